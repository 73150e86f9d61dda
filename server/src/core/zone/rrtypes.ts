// The resource-record types a zone file may name: the IANA "Resource Record (RR) TYPEs"
// registry (mnemonic and number), plus the shallow rdata shape the syntax layer checks —
// how many whitespace-separated fields a record of that type needs. Real validation of
// each field (addresses, names, base64) belongs to later layers.

export interface RRTypeInfo {
  /** Canonical upper-case mnemonic, e.g. `TXT`. */
  readonly name: string;
  /** IANA type number. */
  readonly code: number;
  /** Fewest rdata fields the text form needs; undefined when we do not check. */
  readonly minFields?: number;
  /** Most rdata fields (Infinity when the last field may be split, e.g. base64). */
  readonly maxFields?: number;
  /** What the fields are called, for messages (`preference exchange`). */
  readonly fieldNames?: readonly string[];
  /** Query-only or transport types (OPT, AXFR, ANY …): never valid in a zone file. */
  readonly meta?: boolean;
  /** Not an IANA type but a server's own extension, with the servers that know it. */
  readonly nonstandard?: string;
  /** Obsolete per IANA/RFC (kept so we do not call it unknown). */
  readonly obsolete?: boolean;
  /**
   * The type has no text form: its rdata must be written generically, `\# LENGTH HEX`
   * (RFC 3597) — NULL, and every TYPEnnn we have no mnemonic for.
   */
  readonly genericOnly?: boolean;
}

const INF = Infinity;

function t(
  name: string, code: number, min?: number, max?: number, fieldNames?: string[],
  extra?: { meta?: boolean; nonstandard?: string; obsolete?: boolean; genericOnly?: boolean },
): RRTypeInfo {
  return { name, code, minFields: min, maxFields: max, fieldNames, ...extra };
}

/** The IANA registry as of 2025, with field counts where the text form is fixed. */
const TYPES: readonly RRTypeInfo[] = [
  t('A', 1, 1, 1, ['address']),
  t('NS', 2, 1, 1, ['nsdname']),
  t('MD', 3, 1, 1, ['madname'], { obsolete: true }),
  t('MF', 4, 1, 1, ['madname'], { obsolete: true }),
  t('CNAME', 5, 1, 1, ['target']),
  t('SOA', 6, 7, 7, ['mname', 'rname', 'serial', 'refresh', 'retry', 'expire', 'minimum']),
  t('MB', 7, 1, 1, ['madname']),
  t('MG', 8, 1, 1, ['mgmname']),
  t('MR', 9, 1, 1, ['newname']),
  t('NULL', 10, undefined, undefined, undefined, { genericOnly: true }),
  t('WKS', 11, 2, INF, ['address', 'protocol']),
  t('PTR', 12, 1, 1, ['ptrdname']),
  t('HINFO', 13, 2, 2, ['cpu', 'os']),
  t('MINFO', 14, 2, 2, ['rmailbx', 'emailbx']),
  t('MX', 15, 2, 2, ['preference', 'exchange']),
  t('TXT', 16, 1, INF, ['text']),
  t('RP', 17, 2, 2, ['mbox', 'txtdname']),
  t('AFSDB', 18, 2, 2, ['subtype', 'hostname']),
  t('X25', 19, 1, 1, ['psdn-address']),
  t('ISDN', 20, 1, 2, ['isdn-address', 'sa']),
  t('RT', 21, 2, 2, ['preference', 'intermediate-host']),
  t('NSAP', 22, 1, 1, ['nsap']),
  t('NSAP-PTR', 23, 1, 1, ['owner']),
  t('SIG', 24, 9, INF),
  t('KEY', 25, 4, INF, ['flags', 'protocol', 'algorithm', 'key']),
  t('PX', 26, 3, 3, ['preference', 'map822', 'mapx400']),
  t('GPOS', 27, 3, 3, ['longitude', 'latitude', 'altitude']),
  t('AAAA', 28, 1, 1, ['address']),
  t('LOC', 29),
  t('NXT', 30, undefined, undefined, undefined, { obsolete: true }),
  t('EID', 31),
  t('NIMLOC', 32),
  t('SRV', 33, 4, 4, ['priority', 'weight', 'port', 'target']),
  t('ATMA', 34, 1, 1, ['address']),
  t('NAPTR', 35, 6, 6, ['order', 'preference', 'flags', 'services', 'regexp', 'replacement']),
  t('KX', 36, 2, 2, ['preference', 'exchanger']),
  t('CERT', 37, 4, INF, ['type', 'key-tag', 'algorithm', 'certificate']),
  t('A6', 38, undefined, undefined, undefined, { obsolete: true }),
  t('DNAME', 39, 1, 1, ['target']),
  t('SINK', 40),
  t('OPT', 41, undefined, undefined, undefined, { meta: true }),
  t('APL', 42, 0, INF),
  t('DS', 43, 4, INF, ['key-tag', 'algorithm', 'digest-type', 'digest']),
  t('SSHFP', 44, 3, INF, ['algorithm', 'fp-type', 'fingerprint']),
  t('IPSECKEY', 45, 5, INF, ['precedence', 'gateway-type', 'algorithm', 'gateway', 'public-key']),
  t('RRSIG', 46, 9, INF, ['type-covered', 'algorithm', 'labels', 'original-ttl', 'expiration', 'inception', 'key-tag', 'signer', 'signature']),
  t('NSEC', 47, 2, INF, ['next-domain', 'types']),
  t('DNSKEY', 48, 4, INF, ['flags', 'protocol', 'algorithm', 'public-key']),
  t('DHCID', 49, 1, INF, ['digest']),
  t('NSEC3', 50, 5, INF, ['hash-algorithm', 'flags', 'iterations', 'salt', 'next-hashed-owner']),
  t('NSEC3PARAM', 51, 4, 4, ['hash-algorithm', 'flags', 'iterations', 'salt']),
  t('TLSA', 52, 4, INF, ['usage', 'selector', 'matching-type', 'certificate-data']),
  t('SMIMEA', 53, 4, INF, ['usage', 'selector', 'matching-type', 'certificate-data']),
  t('HIP', 55, 3, INF, ['algorithm', 'hit', 'public-key']),
  t('NINFO', 56, 1, INF),
  t('RKEY', 57, 4, INF),
  t('TALINK', 58, 2, 2, ['previous', 'next']),
  t('CDS', 59, 4, INF, ['key-tag', 'algorithm', 'digest-type', 'digest']),
  t('CDNSKEY', 60, 4, INF, ['flags', 'protocol', 'algorithm', 'public-key']),
  t('OPENPGPKEY', 61, 1, INF, ['key']),
  t('CSYNC', 62, 2, INF, ['serial', 'flags']),
  t('ZONEMD', 63, 4, INF, ['serial', 'scheme', 'hash-algorithm', 'digest']),
  t('SVCB', 64, 2, INF, ['priority', 'target']),
  t('HTTPS', 65, 2, INF, ['priority', 'target']),
  t('DSYNC', 66, 4, 4, ['rrtype', 'scheme', 'port', 'target']),
  t('HHIT', 67),
  t('BRID', 68),
  t('SPF', 99, 1, INF, ['text']),
  t('UINFO', 100),
  t('UID', 101),
  t('GID', 102),
  t('UNSPEC', 103),
  t('NID', 104, 2, 2, ['preference', 'node-id']),
  t('L32', 105, 2, 2, ['preference', 'locator32']),
  t('L64', 106, 2, 2, ['preference', 'locator64']),
  t('LP', 107, 2, 2, ['preference', 'fqdn']),
  t('EUI48', 108, 1, 1, ['address']),
  t('EUI64', 109, 1, 1, ['address']),
  t('NXNAME', 128, undefined, undefined, undefined, { meta: true }),
  t('TKEY', 249, undefined, undefined, undefined, { meta: true }),
  t('TSIG', 250, undefined, undefined, undefined, { meta: true }),
  t('IXFR', 251, undefined, undefined, undefined, { meta: true }),
  t('AXFR', 252, undefined, undefined, undefined, { meta: true }),
  t('MAILB', 253, undefined, undefined, undefined, { meta: true }),
  t('MAILA', 254, undefined, undefined, undefined, { meta: true }),
  t('ANY', 255, undefined, undefined, undefined, { meta: true }),
  t('URI', 256, 3, 3, ['priority', 'weight', 'target']),
  t('CAA', 257, 3, 3, ['flags', 'tag', 'value']),
  t('AVC', 258, 1, INF),
  t('DOA', 259, 5, 5),
  t('AMTRELAY', 260, 3, 4, ['precedence', 'discovery-optional', 'type', 'relay']),
  t('RESINFO', 261, 1, INF),
  t('WALLET', 262, 1, INF),
  t('CLA', 263),
  t('IPN', 264),
  t('TA', 32768, 4, INF, ['key-tag', 'algorithm', 'digest-type', 'digest']),
  t('DLV', 32769, 4, INF, ['key-tag', 'algorithm', 'digest-type', 'digest'], { obsolete: true }),
  // Server-specific pseudo types seen in real zones. BIND, NSD and Knot reject them.
  t('DYNA', -1, undefined, undefined, undefined, { nonstandard: 'gdnsd' }),
  t('DYNC', -1, undefined, undefined, undefined, { nonstandard: 'gdnsd' }),
  t('ALIAS', -1, undefined, undefined, undefined, { nonstandard: 'PowerDNS and several DNS hosting providers' }),
  t('ANAME', -1, undefined, undefined, undefined, { nonstandard: 'some DNS hosting providers (an unfinished IETF draft)' }),
  t('LUA', -1, undefined, undefined, undefined, { nonstandard: 'PowerDNS' }),
];

const BY_NAME = new Map<string, RRTypeInfo>();
const BY_CODE = new Map<number, RRTypeInfo>();
/** Mnemonics keyed by a number computed from their characters (see nameKey): no string needed. */
const BY_KEY = new Map<number, RRTypeInfo>();
for (const info of TYPES) {
  BY_NAME.set(info.name, info);
  if (info.code >= 0) BY_CODE.set(info.code, info);
  BY_KEY.set(nameKey(info.name, 0, info.name.length), info);
}

/**
 * A number unique to an upper-cased mnemonic of up to 10 letters, digits or `-`
 * (base 38, below 2^53), or -1 when text[from, to) cannot be one.
 */
function nameKey(text: string, from: number, to: number): number {
  if (to - from > 10 || to <= from) return -1;
  let key = 0;
  for (let i = from; i < to; i++) {
    let c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) c -= 32;
    let d: number;
    if (c >= 65 && c <= 90) d = c - 64; // 1..26
    else if (c >= 48 && c <= 57) d = c - 21; // 27..36
    else if (c === 45) d = 37; // '-'
    else return -1;
    key = key * 38 + d;
  }
  return key;
}

/** lookupRRType for text[from, to), without slicing for the usual mnemonics. */
export function lookupRRTypeAt(text: string, from: number, to: number): RRTypeInfo | undefined {
  const key = nameKey(text, from, to);
  if (key >= 0) {
    const known = BY_KEY.get(key);
    if (known) return known;
  }
  return to - from > 4 && to - from <= 12 ? lookupRRType(text.slice(from, to)) : undefined;
}

/** A `TYPEnnn` spelling (RFC 3597) of a type without a mnemonic we know. */
function genericType(code: number, name: string): RRTypeInfo {
  return BY_CODE.get(code) ?? { name, code, genericOnly: true };
}

/** Returns true when the code unit is an ASCII lower-case letter. */
function hasLowerCase(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) return true;
  }
  return false;
}

/**
 * Looks a type token up, case-insensitively: a mnemonic, or `TYPEnnn` (0–65535).
 * Returns undefined for anything else.
 */
export function lookupRRType(token: string): RRTypeInfo | undefined {
  if (token.length === 0 || token.length > 12) return undefined;
  const upper = hasLowerCase(token) ? token.toUpperCase() : token;
  const known = BY_NAME.get(upper);
  if (known) return known;
  if (upper.length > 4 && upper.startsWith('TYPE')) {
    const code = parseSmallNumber(upper, 4);
    if (code >= 0 && code <= 65535) return genericType(code, upper);
  }
  return undefined;
}

export function rrTypeByCode(code: number): RRTypeInfo | undefined {
  return BY_CODE.get(code);
}

/** Classes a record may name (RFC 1035 §3.2.4, RFC 2136, RFC 3597 `CLASSnnn`). */
export function isClassToken(token: string): boolean {
  return classAt(token, 0, token.length);
}

function upperAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 97 && c <= 122 ? c - 32 : c;
}

function equalsUpper(text: string, from: number, to: number, word: string): boolean {
  if (to - from !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (upperAt(text, from + i) !== word.charCodeAt(i)) return false;
  return true;
}

/** Whether text[from, to) is a class, case-insensitively (no allocation: runs per record). */
export function classAt(text: string, from: number, to: number): boolean {
  const len = to - from;
  if (len < 2 || len > 10) return false;
  switch (upperAt(text, from)) {
    case 73: return equalsUpper(text, from, to, 'IN'); // I
    case 67: // C
      if (equalsUpper(text, from, to, 'CH') || equalsUpper(text, from, to, 'CHAOS')) return true;
      if (len > 5 && equalsUpper(text, from, from + 5, 'CLASS')) {
        const n = parseSmallNumber(text.slice(from, to), 5);
        return n >= 0 && n <= 65535;
      }
      return false;
    case 72: return equalsUpper(text, from, to, 'HS') || equalsUpper(text, from, to, 'HESIOD'); // H
    case 78: return equalsUpper(text, from, to, 'NONE'); // N
    case 65: return equalsUpper(text, from, to, 'ANY'); // A
    default: return false;
  }
}

/** Decimal digits from `from` to the end, or -1 when anything else appears (or none). */
function parseSmallNumber(s: string, from: number): number {
  if (from >= s.length || s.length - from > 5) return -1;
  let n = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}
