// TTL values as BIND reads them: plain seconds (`3600`) or a sequence of number+unit
// groups (`1h30m`, `1w`, `3D`), units w d h m s in either case. A trailing number without
// a unit after a group (`1h1`) is invalid, as in BIND.

/** Largest value the text form can hold (32 bits). */
export const TTL_MAX_TEXT = 4294967295;
/** RFC 2181 §8: TTLs above 2^31-1 are treated as 0. */
export const TTL_MAX_EFFECTIVE = 2147483647;

export const TTL_INVALID = -1;
export const TTL_OVERFLOW = -2;

function unitSeconds(c: number): number {
  switch (c | 0x20) { // lower-case the ASCII letter
    case 0x77: return 604800; // w
    case 0x64: return 86400;  // d
    case 0x68: return 3600;   // h
    case 0x6d: return 60;     // m
    case 0x73: return 1;      // s
    default: return 0;
  }
}

/**
 * Seconds for a TTL token (text[from, to), the whole text by default), TTL_INVALID when it
 * is not a TTL, TTL_OVERFLOW when it is larger than 32 bits.
 */
export function parseTtl(text: string, from = 0, to = text.length): number {
  if (to <= from) return TTL_INVALID;
  let total = 0;
  let current = 0;
  let digits = 0;
  let sawUnit = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      current = current * 10 + (c - 48);
      digits++;
      if (current > TTL_MAX_TEXT) return TTL_OVERFLOW;
      continue;
    }
    const unit = unitSeconds(c);
    if (unit === 0 || digits === 0) return TTL_INVALID;
    total += current * unit;
    if (total > TTL_MAX_TEXT) return TTL_OVERFLOW;
    current = 0;
    digits = 0;
    sawUnit = true;
  }
  if (digits > 0) {
    if (sawUnit) return TTL_INVALID;
    return current;
  }
  return total;
}

/** True when a token is meant as a TTL (BIND tries a TTL first for tokens like these). */
export function looksLikeTtl(text: string): boolean {
  const c = text.charCodeAt(0);
  return c >= 48 && c <= 57;
}
