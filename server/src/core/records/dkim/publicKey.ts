// What the `p=` of a DKIM key record really holds. RSA keys are published as DER
// SubjectPublicKeyInfo (RFC 6376 §3.6.1; some tools publish the bare PKCS#1 RSAPublicKey,
// which some verifiers accept), Ed25519 keys as the raw 32 bytes (RFC 8463 §4).
// node:crypto parses the DER (no I/O); the outer DER header is read here first so that
// a key that lost its last characters is reported as cut short, not as "invalid".

import * as crypto from 'node:crypto';

export type DkimKeyAlgorithm = 'rsa' | 'ed25519';

export interface DkimPublicKey {
  algorithm: DkimKeyAlgorithm;
  /** RSA modulus length; 256 for Ed25519. */
  bits: number;
  /** The key as DER SubjectPublicKeyInfo (converted from PKCS#1 or raw Ed25519 when needed). */
  spkiDer: Uint8Array;
}

export type KeyAnalysis =
  /** `extraBytes`: bytes after a complete DER key, which verifiers ignore (OpenSSL's d2i and dkimpy read the first structure). */
  | { ok: true; key: DkimPublicKey; form: 'spki' | 'pkcs1' | 'raw'; extraBytes?: number }
  /** The DER header announces more bytes than the record has. */
  | { ok: false; problem: 'truncated'; declared: number; actual: number }
  /** A private key (PKCS#8 or PKCS#1) where the public key belongs. */
  | { ok: false; problem: 'private-key' }
  /** k=ed25519 but the data is an RSA key, or the other way round. */
  | { ok: false; problem: 'type-mismatch'; found: DkimKeyAlgorithm }
  /** An Ed25519 key wrapped in SubjectPublicKeyInfo instead of the raw 32 bytes. */
  | { ok: false; problem: 'ed25519-spki' }
  /** A public key of a type DKIM does not use (EC, DSA, RSA-PSS …). */
  | { ok: false; problem: 'unsupported-type'; found: string }
  /** For k=ed25519: not 32 bytes. */
  | { ok: false; problem: 'ed25519-length'; length: number }
  /** None of the above: the bytes are not a key. */
  | { ok: false; problem: 'not-a-key' };

const ED25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/** Total length (header + content) of the DER element at the start of `der`; undefined if no header. */
function derTotalLength(der: Uint8Array): number | 'short-header' | undefined {
  if (der.length < 2 || der[0] !== 0x30) return undefined;
  const first = der[1];
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4) return undefined;
  if (der.length < 2 + count) return 'short-header';
  let len = 0;
  for (let i = 0; i < count; i++) len = len * 256 + der[2 + i];
  return 2 + count + len;
}

function publicKeyFrom(der: Buffer, type: 'spki' | 'pkcs1'): crypto.KeyObject | undefined {
  try {
    return crypto.createPublicKey({ key: der, format: 'der', type });
  } catch {
    return undefined;
  }
}

function isPrivateKey(der: Buffer): boolean {
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      crypto.createPrivateKey({ key: der, format: 'der', type });
      return true;
    } catch {
      // not this form
    }
  }
  return false;
}

function rsaKey(key: crypto.KeyObject): DkimPublicKey {
  const spki = key.export({ format: 'der', type: 'spki' });
  return { algorithm: 'rsa', bits: key.asymmetricKeyDetails?.modulusLength ?? 0, spkiDer: new Uint8Array(spki) };
}

/** The bytes begin as an Ed25519 SubjectPublicKeyInfo does (as far as there are bytes). */
function startsLikeEd25519Spki(der: Uint8Array): boolean {
  const n = Math.min(der.length, ED25519_SPKI_PREFIX.length);
  for (let i = 0; i < n; i++) if (der[i] !== ED25519_SPKI_PREFIX[i]) return false;
  return n > 0;
}

/** Looks at decoded key bytes for the key type the record declares (k=, default rsa). */
export function analyzeKeyBytes(bytes: Uint8Array, declared: DkimKeyAlgorithm): KeyAnalysis {
  const der = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (declared === 'ed25519' && der.length === 32) {
    const spki = new Uint8Array(44);
    spki.set(ED25519_SPKI_PREFIX, 0);
    spki.set(der, 12);
    return { ok: true, form: 'raw', key: { algorithm: 'ed25519', bits: 256, spkiDer: spki } };
  }
  // A raw Ed25519 key of the wrong length is just that, even when its first byte happens to
  // be a DER SEQUENCE tag (1 key in 256); only the start of a wrapped key is read as DER.
  if (declared === 'ed25519' && der.length < 32 && !startsLikeEd25519Spki(der)) return { ok: false, problem: 'ed25519-length', length: der.length };
  const total = derTotalLength(der);
  if (total === 'short-header') return { ok: false, problem: 'truncated', declared: der.length + 1, actual: der.length };
  if (total !== undefined && total > der.length) return { ok: false, problem: 'truncated', declared: total, actual: der.length };
  if (total !== undefined) {
    const exact = total < der.length ? der.subarray(0, total) : der;
    const spki = publicKeyFrom(exact, 'spki');
    // node derives a public key from a PKCS#1 *private* key too: rule that out first.
    if (!spki && isPrivateKey(exact)) return { ok: false, problem: 'private-key' };
    const pkcs1 = spki ? undefined : publicKeyFrom(exact, 'pkcs1');
    const key = spki ?? pkcs1;
    if (key) {
      const type = key.asymmetricKeyType ?? 'unknown';
      if (type === 'ed25519') return declared === 'ed25519' ? { ok: false, problem: 'ed25519-spki' } : { ok: false, problem: 'type-mismatch', found: 'ed25519' };
      if (type !== 'rsa') return { ok: false, problem: 'unsupported-type', found: type };
      if (declared === 'ed25519') return { ok: false, problem: 'type-mismatch', found: 'rsa' };
      const extra = der.length - total;
      return extra > 0
        ? { ok: true, form: spki ? 'spki' : 'pkcs1', key: rsaKey(key), extraBytes: extra }
        : { ok: true, form: spki ? 'spki' : 'pkcs1', key: rsaKey(key) };
    }
  }
  if (declared === 'rsa' && der.length === 32) return { ok: false, problem: 'type-mismatch', found: 'ed25519' };
  if (declared === 'ed25519') return { ok: false, problem: 'ed25519-length', length: der.length };
  return { ok: false, problem: 'not-a-key' };
}

/** How many analyses analyzeKeyBase64 remembers (a few hundred bytes each). */
const REMEMBERED_KEYS = 512;
const rememberedKeys = new Map<string, KeyAnalysis>();

/**
 * analyzeKeyBytes of base64 text without blanks, remembered: a hosting provider's zone
 * publishes the same key under many names, and node:crypto needs about 0.3 ms to parse
 * and re-encode an RSA key (0.4 s of a 1,000-key zone's check). The results are only
 * read by the checks, never changed. Public keys only: a private key is never kept.
 */
export function analyzeKeyBase64(compact: string, declared: DkimKeyAlgorithm): KeyAnalysis {
  const id = declared + ' ' + compact;
  const known = rememberedKeys.get(id);
  if (known) return known;
  const analysis = analyzeKeyBytes(decodeBase64(compact), declared);
  // A private key where the public key belongs is not remembered: its text stays nowhere.
  if (!analysis.ok && analysis.problem === 'private-key') return analysis;
  if (rememberedKeys.size >= REMEMBERED_KEYS) rememberedKeys.delete(rememberedKeys.keys().next().value as string);
  rememberedKeys.set(id, analysis);
  return analysis;
}

export interface Base64Check {
  /** The base64 characters with blanks removed. */
  compact: string;
  /** Index in the input of the first character that is not base64 (or a misplaced `=`); -1 if none. */
  badIndex: number;
  /** True when the length or padding is wrong (strict decoders such as Python's refuse it). */
  badPadding: boolean;
}

/** Checks base64 text in which blanks (SP, HTAB, CR, LF) may appear anywhere (RFC 6376 §3.6.1 allows FWS). */
export function checkBase64(text: string): Base64Check {
  let compact = '';
  let badIndex = -1;
  let padding = 0;
  let firstPad = -1;
  let chunk = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13 || c === 10) {
      compact += text.slice(chunk, i);
      chunk = i + 1;
      continue;
    }
    if (c === 61) {
      if (firstPad < 0) firstPad = i;
      padding++;
      continue;
    }
    const alphabet = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
    // A stray character, or base64 data after `=` padding (then the `=` is what is misplaced).
    if (badIndex < 0 && (!alphabet || padding > 0)) badIndex = alphabet ? firstPad : i;
  }
  compact += text.slice(chunk);
  return { compact, badIndex, badPadding: padding > 2 || compact.length % 4 !== 0 };
}

/** Decodes base64 leniently (missing padding tolerated); call checkBase64 first for the verdict. */
export function decodeBase64(compact: string): Uint8Array {
  return new Uint8Array(Buffer.from(compact, 'base64'));
}
