// The zone's origin (its apex name), which relative names in the file hang off. A zone file
// usually sets it with `$ORIGIN`; without one, BIND takes the zone name from named.conf, so
// we guess it the way admins name their files (`db.example.org`, `example.org.zone`), or
// take it from the file that `$INCLUDE`s this one.

import { absoluteName, isAbsoluteName } from '../names';

/** Where the origin of a zone file comes from, for hovers and messages. */
export type OriginSource = '$ORIGIN' | 'file name' | 'SOA owner' | '$INCLUDE' | 'none';

/** Extensions that say "zone file", not "top-level domain". */
const FILE_EXTENSIONS = new Set(['zone', 'db', 'hosts', 'txt', 'conf', 'cf', 'signed', 'jnl', 'bak', 'orig', 'old', 'tmp', 'swp', 'in', 'rev', 'fwd', 'dns', 'private', 'key']);

function baseNameOf(uri: string): string {
  let path = uri;
  const q = path.search(/[?#]/);
  if (q >= 0) path = path.slice(0, q);
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  let name = path.slice(slash + 1);
  try { name = decodeURIComponent(name); } catch { /* keep as is */ }
  return name;
}

/** A plausible domain name: labels of letters, digits, `-` and `_`, the last one alphabetic. */
function looksLikeDomain(name: string): boolean {
  const labels = name.split('.');
  if (labels.length < 2) return false;
  for (const l of labels) if (!/^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(l)) return false;
  const tld = labels[labels.length - 1];
  return /^[A-Za-z][A-Za-z0-9-]*$/.test(tld) && !FILE_EXTENSIONS.has(tld.toLowerCase());
}

/**
 * The zone name a file name suggests, absolute with the final dot: `db.example.org`,
 * `example.org.zone`, `example.org.db`, `example.org.hosts`, or a bare `example.org`.
 * undefined when the name says nothing (an opendkim-genkey `mail.txt`).
 */
export function originFromFileName(uri: string): string | undefined {
  let name = baseNameOf(uri);
  const lower = name.toLowerCase();
  if (lower.startsWith('db.')) name = name.slice(3);
  else {
    const m = /\.(zone|db|hosts)$/i.exec(name);
    if (m) name = name.slice(0, name.length - m[0].length);
  }
  if (name.toLowerCase().startsWith('db.')) name = name.slice(3); // db.example.org.zone
  if (name.endsWith('.')) name = name.slice(0, -1);
  return looksLikeDomain(name) ? name + '.' : undefined;
}

/**
 * The origin in effect for an entry whose parser origin is `entryOrigin` in a file whose
 * names start out relative to `base`: an absolute `$ORIGIN` stands alone, a relative one
 * (`$ORIGIN sub` before any absolute one) and the empty one hang off `base`.
 */
export function effectiveOrigin(entryOrigin: string, base: string): string {
  if (entryOrigin === '') return base;
  if (isAbsoluteName(entryOrigin) || base === '') return entryOrigin;
  return absoluteName(entryOrigin, base);
}

/** A name made absolute against the entry's origin in a file based at `base`. */
export function absoluteIn(name: string, entryOrigin: string, base: string): string {
  return absoluteName(name, effectiveOrigin(entryOrigin, base));
}

/** Lower-case key of a name for indexes (ASCII case folding, as DNS compares names). */
export function nameKey(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 65 && c <= 90) return name.toLowerCase();
  }
  return name;
}

/** True when `name` is `zone` or below it (both absolute or both relative, any case). */
export function isAtOrBelow(nameLower: string, zoneLower: string): boolean {
  if (zoneLower === '.' ) return true;
  if (nameLower === zoneLower) return true;
  return nameLower.length > zoneLower.length && nameLower.endsWith(zoneLower) && nameLower.charCodeAt(nameLower.length - zoneLower.length - 1) === 46 &&
    !isEscapedAt(nameLower, nameLower.length - zoneLower.length - 1);
}

function isEscapedAt(s: string, i: number): boolean {
  let n = 0;
  for (let k = i - 1; k >= 0 && s.charCodeAt(k) === 92; k--) n++;
  return n % 2 === 1;
}

/** The name without its final dot, as RecordText.owner and messages show it. */
export function withoutDot(name: string): string {
  return isAbsoluteName(name) && name !== '.' ? name.slice(0, -1) : name;
}
