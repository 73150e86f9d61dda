// OpenDKIM "dataset" values (opendkim(8), dkimf_db_open in opendkim-db.c): a type prefix
// before the first `:` unless a `,` comes earlier; without a prefix a value ending in `.db`
// is a Berkeley DB file, one starting with `/` a flat file, and anything else a
// comma-separated list. Types are matched case-insensitively.

import type { DatasetSpec, DatasetType, ListItem } from './tree';
import type { FindingList, SpanMapper } from './scan';
import { hasTemplatePlaceholder, isCSpace, tokenOf } from './scan';

/** Options opendkim.conf(5) documents as taking a dataset, lower-cased. */
export const DATASET_OPTIONS: ReadonlySet<string> = new Set([
  'bodylengthdb', 'domain', 'dontsignmailto', 'exemptdomains', 'externalignorelist',
  'internalhosts', 'keytable', 'macrolist', 'mta', 'mustbesigned', 'omitheaders',
  'oversignheaders', 'peerlist', 'popdbfile', 'removearfrom', 'resignmailto',
  'senderheaders', 'signheaders', 'signingtable', 'trustsignaturesfrom',
]);

/** Prefixes OpenDKIM 2.11 knows in some build (Debian's lacks memcache, repute, socket, mdb, erlang). */
const PREFIXES: Readonly<Record<string, DatasetType>> = {
  csl: 'csl', file: 'file', refile: 'refile', db: 'db', dsn: 'dsn',
  ldap: 'ldap', ldapi: 'ldap', ldaps: 'ldap', lua: 'lua', memcache: 'memcache',
  repute: 'repute', socket: 'socket', mdb: 'mdb', erlang: 'erlang',
};

const FILE_BACKED: ReadonlySet<DatasetType> = new Set<DatasetType>(['file', 'refile', 'db', 'mdb', 'lua']);

/** An IP address or CIDR block, which legitimately contains `/` in a list. */
const ADDRESS_LIKE = /^!?\[?[0-9A-Fa-f:.]+\]?(\/[0-9]+)?$/;

export function parseDataset(text: string, map: SpanMapper, out?: FindingList): DatasetSpec {
  const whole = map(0, text.length);
  let colon = text.indexOf(':');
  const comma = text.indexOf(',');
  if (comma >= 0 && colon >= 0 && comma < colon) colon = -1; // a list whose later entries contain colons

  if (colon < 0) {
    const location = tokenOf(text, 0, text.length, map);
    if (text.length > 3 && text.endsWith('.db')) return { type: 'db', location, path: location, range: whole };
    if (text.startsWith('/')) return { type: 'file', location, path: location, range: whole };
    const items = splitList(text, 0, text.length, map);
    if (out && items.length === 1 && looksLikeRelativePath(items[0].text)) {
      out.warning(items[0].range, 'opendkim/dataset-relative-path',
        `"${items[0].text}" does not start with "/", so OpenDKIM reads it as a comma-separated list holding this text, not as a file name. Write the absolute path (or file:${items[0].text} to mean a file relative to OpenDKIM's working directory).`);
    }
    return { type: 'csl', location, items, range: whole };
  }

  const prefix = tokenOf(text, 0, colon, map);
  const location = tokenOf(text, colon + 1, text.length, map);
  const type = PREFIXES[prefix.text.toLowerCase()];
  const spec: DatasetSpec = { prefix, location, range: whole };
  if (type === undefined) {
    if (out) reportUnknownType(text, prefix.text, prefix.text === '' ? whole : prefix.range, out);
    return spec;
  }
  spec.type = type;
  if (FILE_BACKED.has(type)) spec.path = location;
  else if (type === 'csl') spec.items = splitList(text, colon + 1, text.length, map);
  return spec;
}

function reportUnknownType(text: string, prefix: string, r: DatasetSpec['range'], out: FindingList): void {
  const looksIPv6 = /^[0-9A-Fa-f]*:[0-9A-Fa-f:.]*(\/\d+)?$/.test(text.split(',')[0].trim());
  const hint = looksIPv6
    ? ` An IPv6 address cannot start an inline list: put the hosts in a file and name its path here, or write csl:${text}.`
    : ' Known types are file:, refile:, csl:, db:, dsn:, ldap:, lua: (and memcache:, mdb:, erlang:, socket:, repute: in builds that have them); a path starting with "/" needs no prefix.';
  out.error(r, 'opendkim/unknown-dataset-type',
    `OpenDKIM reads the text before the first ":" as a dataset type, and "${prefix}" is none, so it stops with "Unknown database type".${hint}`);
}

function looksLikeRelativePath(item: string): boolean {
  if (!item.includes('/') || ADDRESS_LIKE.test(item)) return false;
  return !hasTemplatePlaceholder(item);
}

/** Splits text[start, end) at commas the way strtok does (empty entries vanish), trimming blanks. */
function splitList(text: string, start: number, end: number, map: SpanMapper): ListItem[] {
  const items: ListItem[] = [];
  let i = start;
  while (i <= end && items.length < 10000) {
    let j = text.indexOf(',', i);
    if (j < 0 || j > end) j = end;
    let s = i;
    let e = j;
    while (s < e && isCSpace(text.charCodeAt(s))) s++;
    while (e > s && isCSpace(text.charCodeAt(e - 1))) e--;
    if (e > s) {
      const item: ListItem = { ...tokenOf(text, s, e, map), key: tokenOf(text, s, e, map) };
      let eq = s;
      while (eq < e && text.charCodeAt(eq) !== 61 /* = */) eq++; // bounded: indexOf would scan the whole text
      if (eq < e) {
        let ke = eq;
        while (ke > s && isCSpace(text.charCodeAt(ke - 1))) ke--;
        let vs = eq + 1;
        while (vs < e && isCSpace(text.charCodeAt(vs))) vs++;
        item.key = tokenOf(text, s, ke, map);
        item.value = tokenOf(text, vs, e, map);
      }
      items.push(item);
    }
    i = j + 1;
  }
  return items;
}
