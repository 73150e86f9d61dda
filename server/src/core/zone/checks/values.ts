// Readers for rdata fields, strict the way BIND 9 reads them (its inet_pton and number
// parsers): what is refused here, named-checkzone refuses too.

/** An IPv4 address in dotted-quad form, no leading zeros (BIND rejects `01.2.3.4`). */
export function isIPv4(text: string): boolean {
  let parts = 0;
  let digits = 0;
  let value = 0;
  let first = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c >= 48 && c <= 57) {
      if (digits === 0) first = c;
      else if (first === 48) return false; // leading zero
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return false;
    } else if (c === 46) {
      if (digits === 0) return false;
      parts++;
      digits = 0;
      value = 0;
    } else {
      return false;
    }
  }
  return parts === 4;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** An IPv6 address in one of the RFC 4291 text forms (with an optional trailing dotted quad). */
export function isIPv6(text: string): boolean {
  const n = text.length;
  if (n < 2 || n > 45) return false;
  let groups = 0;
  let gap = false;
  let i = 0;
  if (text.startsWith('::')) { gap = true; i = 2; if (i === n) return true; }
  else if (text.charCodeAt(0) === 58) return false;
  for (;;) {
    // A group: 1–4 hex digits, or the final dotted quad.
    let j = i;
    while (j < n && isHex(text.charCodeAt(j))) j++;
    if (j < n && text.charCodeAt(j) === 46) {
      if (!isIPv4(text.slice(i))) return false;
      groups += 2;
      break;
    }
    if (j === i || j - i > 4) return false;
    groups++;
    if (j === n) break;
    if (text.charCodeAt(j) !== 58) return false;
    if (j + 1 < n && text.charCodeAt(j + 1) === 58) {
      if (gap) return false;
      gap = true;
      i = j + 2;
      if (i === n) break;
    } else {
      i = j + 1;
      if (i === n) return false; // a single trailing ':'
    }
  }
  return gap ? groups <= 7 : groups === 8;
}

/** An address written where a host name belongs (`MX 10 192.0.2.1`), with or without final dot. */
export function looksLikeAddress(name: string): boolean {
  const t = name.endsWith('.') ? name.slice(0, -1) : name;
  return isIPv4(t) || (t.includes(':') && isIPv6(t));
}

/** A decimal number (digits only, as BIND's number parser wants) no larger than `max`; else undefined. */
export function parseDecimal(text: string, max: number): number | undefined {
  if (text.length === 0 || text.length > 12) return undefined;
  let v = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    v = v * 10 + (c - 48);
  }
  return v <= max ? v : undefined;
}

/** True when the text is digits only (to tell "not a number" from "out of range"). */
export function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export type NameProblem = 'empty-label' | 'label-too-long' | 'name-too-long';

/**
 * What is wrong with a domain name in presentation form (escapes count as one byte), or
 * undefined. `absolute` is the name as the server stores it, for the 255-byte limit.
 */
export function nameProblem(name: string): { problem: NameProblem; label?: string } | undefined {
  if (name === '.' || name === '@' || name === '') return undefined;
  let labelLength = 0;
  let labelStart = 0;
  let wire = 1; // the root label
  const n = name.length;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c === 46) {
      if (labelLength === 0) return { problem: 'empty-label' };
      wire += labelLength + 1;
      labelLength = 0;
      labelStart = i + 1;
      continue;
    }
    if (c === 92 && i + 1 < n) {
      const d = name.charCodeAt(i + 1);
      i += d >= 48 && d <= 57 && i + 3 < n ? 3 : 1;
    }
    if (++labelLength > 63) {
      let end = name.indexOf('.', i);
      if (end < 0) end = n;
      return { problem: 'label-too-long', label: name.slice(labelStart, end) };
    }
  }
  if (labelLength > 0) wire += labelLength + 1;
  if (wire > 255) return { problem: 'name-too-long' };
  return undefined;
}

/** Wire length of an absolute name in presentation form (escapes count as one byte). */
export function wireLength(name: string): number {
  if (name === '.' || name === '') return 1;
  let bytes = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 92 && i + 1 < name.length) {
      const d = name.charCodeAt(i + 1);
      i += d >= 48 && d <= 57 ? 3 : 1;
    }
    bytes++;
  }
  // "a.b." is 1+a+1+b+1: the dots become length bytes and the root adds one.
  return name.endsWith('.') ? bytes + 1 : bytes + 2;
}

/** Hex digits (the TLSA/SSHFP data form; BIND allows blanks between groups). */
export function hexProblem(hex: string): 'not-hex' | 'odd-length' | undefined {
  for (let i = 0; i < hex.length; i++) if (!isHex(hex.charCodeAt(i))) return 'not-hex';
  return hex.length % 2 === 1 ? 'odd-length' : undefined;
}
