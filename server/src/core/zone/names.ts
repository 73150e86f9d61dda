// Domain names as a zone file writes them: `@` is the origin, a name ending in an
// unescaped `.` is absolute, anything else is relative to the `$ORIGIN` in effect.
// Names stay in their presentation form (escapes kept) so they can be shown as written.

import type { ZoneRecord, ZoneToken } from './tree';

/** True when the name ends with a `.` that is not escaped (`a\.` is relative). */
export function isAbsoluteName(name: string): boolean {
  const n = name.length;
  if (n === 0 || name.charCodeAt(n - 1) !== 46) return false;
  let backslashes = 0;
  for (let i = n - 2; i >= 0 && name.charCodeAt(i) === 92; i--) backslashes++;
  return backslashes % 2 === 0;
}

/**
 * The name made absolute against an origin. With an empty origin (a fragment such as an
 * opendkim-genkey selector.txt) a relative name stays relative; `@` then becomes ''.
 */
export function absoluteName(name: string, origin: string): string {
  if (name === '@') return origin;
  if (isAbsoluteName(name)) return name;
  if (origin === '') return name;
  if (origin === '.') return name + '.';
  return name + '.' + origin;
}

/** The record's owner as an absolute name (relative when the origin is unknown). */
export function ownerName(record: ZoneRecord): string {
  return absoluteName(record.ownerText, record.ownerOrigin);
}

/** A name-valued rdata field of the record made absolute (MX exchange, CNAME target …). */
export function rdataName(record: ZoneRecord, token: ZoneToken): string {
  return absoluteName(token.text, record.origin);
}

/** Case-insensitive comparison of two presentation-form names, ignoring a final dot. */
export function sameName(a: string, b: string): boolean {
  const ea = isAbsoluteName(a) ? a.length - 1 : a.length;
  const eb = isAbsoluteName(b) ? b.length - 1 : b.length;
  if (ea !== eb) return false;
  for (let i = 0; i < ea; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}
