// Edit distances for "did you mean …?" suggestions. Pure and allocation-light: two or three
// rows of integers, and an early exit once every cell of a row exceeds the limit, so
// comparing one word with a thousand candidates stays cheap.

/**
 * Optimal-string-alignment distance (Damerau–Levenshtein without repeated edits of one
 * substring): insertions, deletions, substitutions and swaps of two adjacent characters
 * each cost 1. Returns `limit + 1` as soon as the distance is known to exceed `limit`.
 */
export function damerauLevenshtein(a: string, b: string, limit = Number.MAX_SAFE_INTEGER): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a.length === 0) return Math.min(b.length, limit + 1);
  if (b.length === 0) return Math.min(a.length, limit + 1);

  const n = b.length;
  let beforePrev = new Array<number>(n + 1).fill(0);
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;

  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        d = Math.min(d, beforePrev[j - 2] + 1);
      }
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    const recycled = beforePrev;
    beforePrev = prev;
    prev = cur;
    cur = recycled;
  }
  return Math.min(prev[n], limit + 1);
}

/** How many edits a typo of a word this long may plausibly contain. */
export function typoBudget(length: number): number {
  if (length <= 4) return 1;
  if (length <= 12) return 2;
  return 3;
}

export interface ClosestOptions {
  /** Largest distance worth suggesting; defaults to typoBudget(word.length). */
  maxDistance?: number;
  /** At most this many results (default 3). */
  limit?: number;
}

/**
 * The candidates nearest to `word` (Damerau–Levenshtein), nearest first; ties keep the
 * candidate sharing the longer prefix with `word` first, then alphabetical order.
 * `word` itself is never returned.
 */
export function closestMatches(word: string, candidates: Iterable<string>, options: ClosestOptions = {}): string[] {
  const maxDistance = options.maxDistance ?? typoBudget(word.length);
  const limit = options.limit ?? 3;
  const found: { name: string; distance: number; prefix: number }[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (c === word || seen.has(c)) continue;
    seen.add(c);
    const distance = damerauLevenshtein(word, c, maxDistance);
    if (distance <= maxDistance) found.push({ name: c, distance, prefix: commonPrefixLength(word, c) });
  }
  found.sort((x, y) => x.distance - y.distance || y.prefix - x.prefix || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return found.slice(0, limit).map((f) => f.name);
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
