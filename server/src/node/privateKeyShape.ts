// The type and size of a private key, read from its structure instead of node:crypto:
// createPrivateKey costs about 0.5 ms per key, which made a KeyTable of 10,000 domains take
// five seconds to check. The walk knows the shapes OpenDKIM keys come in: one PEM block
// (RSA PRIVATE KEY = PKCS#1, PRIVATE KEY = PKCS#8, ENCRYPTED PRIVATE KEY or a legacy
// "Proc-Type: 4,ENCRYPTED" header) or bare DER (PKCS#8 or PKCS#1), RSA and Ed25519. Anything
// it does not recognise exactly (other key types, text around the block, damaged or unusual
// DER) is left to node:crypto: the answer is then undefined. Nothing here keeps or returns
// private key bytes; the DER decoded from a PEM block is zeroed before returning. Asked for
// it, the public half of an RSA key (modulus and public exponent, as DER SubjectPublicKeyInfo)
// is copied out first: it costs a few byte copies, where node:crypto costs half a millisecond.

export type PrivateKeyShape =
  | { type: 'rsa'; bits: number }
  | { type: 'ed25519' }
  /** Protected by a passphrase: OpenDKIM (and node:crypto without one) cannot load it. */
  | { type: 'encrypted' };

const BEGIN = bytesOf('-----BEGIN ');
const END = bytesOf('-----END ');
const PROC_TYPE = bytesOf('Proc-Type:');
const DEK_INFO = bytesOf('DEK-Info: ');
/** PEM writers (OpenSSL, Node, opendkim-genkey) break base64 at 64 characters. */
const MAX_PEM_LINE = 64;

function bytesOf(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Where privateKeyShape puts the public half of an RSA key when the caller asks for it. */
export interface PublicKeyOut {
  /** DER SubjectPublicKeyInfo, byte for byte what node:crypto exports (`{ type: 'spki', format: 'der' }`). */
  spki?: Uint8Array;
}

/**
 * The shape of the key in `data` (a whole key file), or undefined when node:crypto must
 * decide. With `publicKey`, an RSA key's public half is put there (Ed25519's needs crypto).
 */
export function privateKeyShape(data: Uint8Array, publicKey?: PublicKeyOut): PrivateKeyShape | undefined {
  if (startsWith(data, 0, BEGIN)) return pemShape(data, publicKey);
  // node:crypto's caller treats any file mentioning a PEM header as PEM: leave those to it.
  if (indexOf(data, BEGIN) >= 0) return undefined;
  return derShape(data, 0, data.length, publicKey);
}

/** `prefix` at `at` of `data` (byte for byte). */
export function startsWith(data: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > data.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[at + i] !== prefix[i]) return false;
  return true;
}

function indexOf(data: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= data.length; i++) {
    for (let k = 0; k < needle.length; k++) if (data[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

// ------------------------------------------------------------------ PEM

/** The end of the line starting at `at` (its LF, or the end of the data). */
function lineEnd(data: Uint8Array, at: number): number {
  let i = at;
  while (i < data.length && data[i] !== 10) i++;
  return i;
}

/** The line's end before its CR, if any. */
function contentEnd(data: Uint8Array, start: number, end: number): number {
  return end > start && data[end - 1] === 13 ? end - 1 : end;
}

/** Only for BEGIN/END and header lines (labels, never key material: a string cannot be zeroed). */
function latin1(data: Uint8Array, start: number, end: number): string {
  return Buffer.from(data.buffer, data.byteOffset + start, Math.min(end - start, 80)).toString('latin1');
}

function onlyBlanksFrom(data: Uint8Array, at: number): boolean {
  for (let i = at; i < data.length; i++) {
    const c = data[i];
    if (c !== 10 && c !== 13 && c !== 32 && c !== 9) return false;
  }
  return true;
}

/** base64 digit values by character code; -1 for anything else. */
export const BASE64 = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) BASE64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;

function pemShape(data: Uint8Array, publicKey?: PublicKeyOut): PrivateKeyShape | undefined {
  let at = lineEnd(data, 0);
  const label = /^-----BEGIN ([A-Z0-9 ]+)-----$/.exec(latin1(data, 0, contentEnd(data, 0, at)))?.[1];
  if (label === undefined) return undefined;
  at++;
  let encrypted = label === 'ENCRYPTED PRIVATE KEY';
  if (label === 'RSA PRIVATE KEY' && startsWith(data, at, PROC_TYPE)) {
    // Legacy OpenSSL encryption: Proc-Type, DEK-Info, a blank line, then the encrypted DER.
    const procEnd = lineEnd(data, at);
    const dekEnd = lineEnd(data, procEnd + 1);
    const blankEnd = lineEnd(data, dekEnd + 1);
    if (latin1(data, at, contentEnd(data, at, procEnd)) !== 'Proc-Type: 4,ENCRYPTED' || !startsWith(data, procEnd + 1, DEK_INFO) ||
      contentEnd(data, dekEnd + 1, blankEnd) !== dekEnd + 1) return undefined;
    encrypted = true;
    at = blankEnd + 1;
  } else if (label !== 'PRIVATE KEY' && label !== 'RSA PRIVATE KEY' && !encrypted) {
    return undefined;
  }
  const der = Buffer.alloc(Math.max(0, Math.floor(((data.length - at) * 3) / 4)));
  try {
    const n = decodeBody(data, at, `-----END ${label}-----`, der);
    if (n === undefined || encrypted) return n === undefined ? undefined : { type: 'encrypted' };
    return label === 'RSA PRIVATE KEY' ? rsaShape(der, 0, n, publicKey) : pkcs8Shape(der, 0, n, publicKey);
  } finally {
    der.fill(0);
  }
}

/**
 * Decodes the base64 lines from `at` up to the END line into `out`; the number of bytes, or
 * undefined unless the block is as PEM writers make it: lines of at most 64 characters, `=`
 * only at the very end, the END line, and nothing but blank space after it.
 */
function decodeBody(data: Uint8Array, at: number, endLine: string, out: Uint8Array): number | undefined {
  let n = 0;
  let acc = 0;
  let bits = 0;
  let chars = 0;
  let padding = 0;
  let lines = 0;
  while (at < data.length) {
    const end = lineEnd(data, at);
    const stop = contentEnd(data, at, end);
    if (startsWith(data, at, END)) {
      const ok = lines > 0 && chars % 4 === 0 && latin1(data, at, stop) === endLine && onlyBlanksFrom(data, end);
      return ok ? n : undefined;
    }
    if (stop === at || stop - at > MAX_PEM_LINE || padding > 0) return undefined; // a blank line, too long, or data after `=`
    for (let i = at; i < stop; i++) {
      const c = data[i];
      if (c === 61 /* = */) {
        if (++padding > 2) return undefined;
        continue;
      }
      const v = BASE64[c];
      if (v < 0 || padding > 0) return undefined;
      acc = ((acc << 6) | v) & 0xffffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[n++] = (acc >> bits) & 0xff;
      }
    }
    chars += stop - at;
    lines++;
    at = end + 1;
  }
  return undefined; // no END line
}

// ------------------------------------------------------------------ DER

interface Element {
  tag: number;
  /** Content [start, end). */
  start: number;
  end: number;
}

/** The DER element at `at` (minimal lengths only, below 16 MB), or undefined. */
function element(der: Uint8Array, at: number, limit: number): Element | undefined {
  if (at + 2 > limit) return undefined;
  const tag = der[at];
  let len = der[at + 1];
  let start = at + 2;
  if (len >= 0x80) {
    const count = len & 0x7f;
    if (count === 0 || count > 3 || start + count > limit || der[start] === 0) return undefined;
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + der[start + i];
    if (len < 0x80 || (count > 1 && len < 1 << (8 * (count - 1)))) return undefined;
    start += count;
  }
  const end = start + len;
  return end <= limit ? { tag, start, end } : undefined;
}

const SEQUENCE = 0x30, INTEGER = 0x02, OCTET_STRING = 0x04, NULL = 0x05, OID = 0x06;
const RSA_ENCRYPTION = bytesOf('\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01'); // 1.2.840.113549.1.1.1
const ED25519 = bytesOf('\x2b\x65\x70'); // 1.3.101.112

/** A non-negative INTEGER in minimal form; its bit length (0 for zero), or -1. */
function unsignedBits(der: Uint8Array, e: Element | undefined): number {
  if (!e || e.tag !== INTEGER || e.end === e.start) return -1;
  let i = e.start;
  if (der[i] & 0x80) return -1; // negative
  if (der[i] === 0 && e.end - i > 1) {
    if ((der[i + 1] & 0x80) === 0) return -1; // not minimal
    i++;
  }
  if (der[i] === 0) return 0;
  return (e.end - i - 1) * 8 + (32 - Math.clz32(der[i]));
}

function isZeroInteger(der: Uint8Array, e: Element | undefined): boolean {
  return !!e && e.tag === INTEGER && e.end - e.start === 1 && der[e.start] === 0;
}

function sameBytes(der: Uint8Array, e: Element | undefined, expected: Uint8Array): boolean {
  return !!e && e.end - e.start === expected.length && startsWith(der, e.start, expected);
}

/** Bare DER: PKCS#8 (what node:crypto reads) or PKCS#1 RSAPrivateKey. */
function derShape(der: Uint8Array, from: number, to: number, publicKey?: PublicKeyOut): PrivateKeyShape | undefined {
  return pkcs8Shape(der, from, to, publicKey) ?? rsaShape(der, from, to, publicKey);
}

/**
 * PKCS#1 RSAPrivateKey filling [from, to) exactly: version 0 and the eight integers
 * (modulus, exponents, primes, CRT values), all non-negative; the modulus gives the size.
 */
function rsaShape(der: Uint8Array, from: number, to: number, publicKey?: PublicKeyOut): PrivateKeyShape | undefined {
  const seq = element(der, from, to);
  if (!seq || seq.tag !== SEQUENCE || seq.end !== to) return undefined;
  let at = seq.start;
  const version = element(der, at, seq.end);
  if (!isZeroInteger(der, version)) return undefined;
  at = version!.end;
  let bits = -1;
  // The modulus and the public exponent, whole DER elements (tag and length included).
  let publicStart = at;
  let publicEnd = at;
  for (let k = 0; k < 8; k++) {
    const int = element(der, at, seq.end);
    const b = unsignedBits(der, int);
    if (b < 0 || (k === 0 && b === 0)) return undefined;
    if (k === 0) bits = b;
    if (k === 0) publicStart = at;
    at = int!.end;
    if (k === 1) publicEnd = at;
  }
  if (at !== seq.end) return undefined;
  if (publicKey) publicKey.spki = rsaSpki(der.subarray(publicStart, publicEnd));
  return { type: 'rsa', bits };
}

/** Writes the DER header (tag and length) of an element with `length` content bytes at `at`; returns the next offset. */
function writeHeader(out: Uint8Array, at: number, tag: number, length: number): number {
  out[at++] = tag;
  if (length < 0x80) out[at++] = length;
  else if (length < 0x100) { out[at++] = 0x81; out[at++] = length; }
  else if (length < 0x10000) { out[at++] = 0x82; out[at++] = length >> 8; out[at++] = length & 0xff; }
  else { out[at++] = 0x83; out[at++] = length >> 16; out[at++] = (length >> 8) & 0xff; out[at++] = length & 0xff; }
  return at;
}

function headerSize(length: number): number {
  return length < 0x80 ? 2 : length < 0x100 ? 3 : length < 0x10000 ? 4 : 5;
}

/** The AlgorithmIdentifier of RSA keys: SEQUENCE { OID rsaEncryption, NULL }. */
const RSA_ALGORITHM = Uint8Array.from([SEQUENCE, 13, OID, 9, ...RSA_ENCRYPTION, NULL, 0]);

/**
 * SEQUENCE { AlgorithmIdentifier rsaEncryption NULL, BIT STRING { SEQUENCE { modulus, exponent } } }
 * (RFC 3279), written straight into one array (10,000 keys make 10,000 of them).
 */
function rsaSpki(modulusAndExponent: Uint8Array): Uint8Array {
  const inner = headerSize(modulusAndExponent.length) + modulusAndExponent.length;
  const bits = 1 + inner;
  const content = RSA_ALGORITHM.length + headerSize(bits) + bits;
  const out = new Uint8Array(headerSize(content) + content);
  let at = writeHeader(out, 0, SEQUENCE, content);
  out.set(RSA_ALGORITHM, at);
  at = writeHeader(out, at + RSA_ALGORITHM.length, 0x03, bits);
  out[at++] = 0; // no unused bits
  at = writeHeader(out, at, SEQUENCE, modulusAndExponent.length);
  out.set(modulusAndExponent, at);
  return out;
}

/** PKCS#8 PrivateKeyInfo (version 0, no attributes) of an RSA or Ed25519 key filling [from, to). */
function pkcs8Shape(der: Uint8Array, from: number, to: number, publicKey?: PublicKeyOut): PrivateKeyShape | undefined {
  const seq = element(der, from, to);
  if (!seq || seq.tag !== SEQUENCE || seq.end !== to) return undefined;
  const version = element(der, seq.start, seq.end);
  if (!isZeroInteger(der, version)) return undefined;
  const algorithm = element(der, version!.end, seq.end);
  if (!algorithm || algorithm.tag !== SEQUENCE) return undefined;
  const key = element(der, algorithm.end, seq.end);
  if (!key || key.tag !== OCTET_STRING || key.end !== seq.end) return undefined;
  const oid = element(der, algorithm.start, algorithm.end);
  if (!oid || oid.tag !== OID) return undefined;
  if (sameBytes(der, oid, RSA_ENCRYPTION)) {
    const params = element(der, oid.end, algorithm.end);
    if (!params || params.tag !== NULL || params.start !== params.end || params.end !== algorithm.end) return undefined;
    return rsaShape(der, key.start, key.end, publicKey);
  }
  if (sameBytes(der, oid, ED25519)) {
    if (oid.end !== algorithm.end) return undefined;
    const inner = element(der, key.start, key.end);
    return inner && inner.tag === OCTET_STRING && inner.end === key.end && inner.end - inner.start === 32 ? { type: 'ed25519' } : undefined;
  }
  return undefined;
}
