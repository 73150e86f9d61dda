// IPv4/IPv6 text parsing and the exact text form OpenDKIM looks addresses up by.
// OpenDKIM matches host-list entries as strings: it prints the client address (dotted quad
// for IPv4; glibc inet_ntop() form, lower case, for IPv6), then the address masked to
// each prefix length with "/len" appended, and looks each string up. An entry written any
// other way ("10.1.2.3/8", "2001:DB8:0:0::/32" is fine for case but not for the zeros)
// never matches.

/** Four octets, or undefined unless the text is exactly four decimal numbers 0-255. */
export function parseIPv4(text: string): number[] | undefined {
  const out: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46; /* a final '.' closes the last octet */
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return undefined;
    } else if (c === 46) {
      if (digits === 0) return undefined;
      out.push(value);
      value = 0;
      digits = 0;
    } else {
      return undefined;
    }
  }
  return out.length === 4 ? out : undefined;
}

export function formatIPv4(octets: readonly number[]): string {
  return octets.join('.');
}

/** Eight 16-bit words, or undefined unless the text is an IPv6 address (RFC 4291 text forms). */
export function parseIPv6(text: string): number[] | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  const gap = text.indexOf('::');
  if (gap >= 0 && text.indexOf('::', gap + 1) >= 0) return undefined;
  const head = gap >= 0 ? text.slice(0, gap) : text;
  const tail = gap >= 0 ? text.slice(gap + 2) : '';
  const headWords = parseGroups(head, gap < 0);
  const tailWords = gap >= 0 ? parseGroups(tail, true) : [];
  if (!headWords || !tailWords) return undefined;
  const count = headWords.length + tailWords.length;
  if (gap < 0) return count === 8 ? headWords : undefined;
  if (count > 7) return undefined;
  return [...headWords, ...new Array<number>(8 - count).fill(0), ...tailWords];
}

/** Colon-separated hex groups; the last may be a dotted IPv4 address when `mayEndInV4`. */
function parseGroups(text: string, mayEndInV4: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const words: number[] = [];
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    if (k === parts.length - 1 && mayEndInV4 && p.includes('.')) {
      const v4 = parseIPv4(p);
      if (!v4) return undefined;
      words.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      continue;
    }
    if (!/^[0-9A-Fa-f]{1,4}$/.test(p)) return undefined;
    words.push(parseInt(p, 16));
  }
  return words;
}

/** The text glibc's inet_ntop() prints, which is what OpenDKIM compares entries with. */
export function formatIPv6(words: readonly number[]): string {
  // Longest run of two or more zero words, the first one on a tie.
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) { bestBase = i; bestLen = j - i; }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    // glibc prints IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) tails dotted.
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += `${words[6] >> 8}.${words[6] & 0xff}.${words[7] >> 8}.${words[7] & 0xff}`;
      return out;
    }
    out += words[i].toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out += ':';
  return out;
}

/** Clears the bits after the first `bits` of an address given as bytes or words of `width` bits. */
export function maskParts(parts: readonly number[], width: number, bits: number): number[] {
  return parts.map((p, i) => {
    const before = i * width;
    if (bits >= before + width) return p;
    if (bits <= before) return 0;
    const keep = bits - before;
    const mask = ((1 << keep) - 1) << (width - keep);
    return p & mask;
  });
}
