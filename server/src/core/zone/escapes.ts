// RFC 1035 §5.1 escapes: `\X` is the character X (used for `\"`, `\;`, `\(`, `\\`,
// `\.` in names); `\DDD` is the byte with decimal value DDD (000–255). BIND rejects a
// `\DDD` above 255, a backslash followed by fewer than three digits, and a backslash
// at the end of a line.

const BACKSLASH = 92;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The text with escapes resolved; malformed escapes are kept as their characters. */
export function decodeEscapes(raw: string): string {
  let out = '';
  let chunk = 0;
  let i = raw.indexOf('\\');
  if (i < 0) return raw;
  const n = raw.length;
  while (i < n) {
    if (raw.charCodeAt(i) !== BACKSLASH) { i++; continue; }
    out += raw.slice(chunk, i);
    if (i + 1 >= n) { chunk = i + 1; i++; continue; }
    const d1 = raw.charCodeAt(i + 1);
    if (isDigit(d1) && i + 3 < n && isDigit(raw.charCodeAt(i + 2)) && isDigit(raw.charCodeAt(i + 3))) {
      out += String.fromCharCode(((d1 - 48) * 100 + (raw.charCodeAt(i + 2) - 48) * 10 + (raw.charCodeAt(i + 3) - 48)) & 0xff);
      i += 4;
    } else if (isDigit(d1)) {
      let e = i + 2;
      while (e < n && e < i + 4 && isDigit(raw.charCodeAt(e))) e++;
      out += raw.slice(i + 1, e);
      i = e;
    } else {
      out += raw[i + 1];
      i += 2;
    }
    chunk = i;
  }
  return out + raw.slice(chunk);
}

export interface EscapeProblem {
  /** Offsets in the text. */
  from: number;
  to: number;
  message: string;
}

/** Malformed escapes in text[from, to), for findings. */
export function findBadEscapes(text: string, from: number, to: number, out: EscapeProblem[]): void {
  let i = from;
  while (i < to) {
    if (text.charCodeAt(i) !== BACKSLASH) { i++; continue; }
    if (i + 1 >= to) {
      out.push({ from: i, to: i + 1, message: 'A `\\` at the end of a line escapes nothing: zone files have no `\\` line continuation (BIND: "syntax error"). Use parentheses to continue a record on the next line, or write `\\\\` for a backslash.' });
      return;
    }
    const d1 = text.charCodeAt(i + 1);
    if (!isDigit(d1)) { i += 2; continue; }
    const d2 = i + 2 < to ? text.charCodeAt(i + 2) : -1;
    const d3 = i + 3 < to ? text.charCodeAt(i + 3) : -1;
    if (isDigit(d2) && isDigit(d3)) {
      const code = (d1 - 48) * 100 + (d2 - 48) * 10 + (d3 - 48);
      if (code > 255) out.push({ from: i, to: i + 4, message: `\`\\${text.slice(i + 1, i + 4)}\` is not a byte: a \\DDD escape takes a decimal value from 000 to 255 (BIND: "syntax error").` });
      i += 4;
    } else {
      let e = i + 2;
      while (e < to && e < i + 4 && isDigit(text.charCodeAt(e))) e++;
      out.push({ from: i, to: e, message: 'A backslash followed by a digit must be a three-digit decimal byte such as `\\059` (BIND: "syntax error"). Write all three digits, e.g. `\\009` for a tab.' });
      i = e;
    }
  }
}

/**
 * Bytes the value of text[from, to) takes in DNS: an escape counts as one byte
 * (`\DDD`) or as the escaped character, other characters as UTF-8.
 */
export function valueByteLength(text: string, from: number, to: number): number {
  let bytes = 0;
  let i = from;
  while (i < to) {
    let c = text.charCodeAt(i);
    if (c === BACKSLASH && i + 1 < to) {
      const d1 = text.charCodeAt(i + 1);
      if (isDigit(d1) && i + 3 < to && isDigit(text.charCodeAt(i + 2)) && isDigit(text.charCodeAt(i + 3))) {
        bytes++;
        i += 4;
        continue;
      }
      i++;
      c = d1;
    }
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) { bytes += 4; i++; }
    else bytes += 3;
    i++;
  }
  return bytes;
}
