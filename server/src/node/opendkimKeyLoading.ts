// Whether OpenDKIM can load a key file's bytes, and if not, why — as libopendkim 2.11 does
// it (checked against Debian 12's opendkim 2.11.0~beta2 by test/integration/opendkimKeyFiles):
// dkim_sign() takes the file's content as a C string, so it ends at the first zero byte,
// except that content starting "MII" is base64-decoded first (DER of an RSA key);
// dkim_privkey_load() then reads it as PEM (PEM_read_bio_PrivateKey) when it starts with the
// five bytes "-----", otherwise as DER (d2i_PrivateKey_bio). So a PEM key with anything
// before "-----BEGIN" (a blank line, a byte order mark, "Bag Attributes" lines) fails, and
// so does every binary DER key (its version field is a zero byte) — although OpenSSL's own
// PEM reader, node:crypto and opendkim-testkey accept the first. Passphrase-protected keys
// fail: OpenDKIM passes no passphrase.
//
// Key type and size come from the key's structure (privateKeyShape.ts), else from
// node:crypto. Nothing returned holds private key bytes; buffers decoded here are zeroed. The
// caller zeroes `data`. Asked for it (a PublicKeyOut), the public half of a key OpenDKIM can
// load is put there as DER SubjectPublicKeyInfo: for RSA from the structure, for Ed25519 and
// anything node:crypto had to read with node:crypto.

import * as crypto from 'node:crypto';
import type { KeyFileInfo } from '../core/opendkim/checks/index';
import { BASE64, privateKeyShape, startsWith, type PrivateKeyShape, type PublicKeyOut } from './privateKeyShape';

export type KeyFacts = Pick<KeyFileInfo, 'isPrivateKey' | 'notKeyReason' | 'leadingText' | 'algorithm' | 'bits'>;

const DASHES = Buffer.from('-----');
const BEGIN = Buffer.from('-----BEGIN ');
const BASE64_DER = Buffer.from('MII');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const BAG_ATTRIBUTES = Buffer.from('Bag Attributes');

/**
 * What OpenDKIM makes of a key file's bytes (see the header comment). With `publicKey`, the
 * public half of a key it can load (isPrivateKey true) is put there.
 */
export function keyFacts(data: Buffer, publicKey?: PublicKeyOut): KeyFacts {
  // OpenDKIM's copy of the key ends at the first zero byte (a C string).
  const nul = data.indexOf(0);
  const text = nul < 0 ? data : data.subarray(0, nul);
  if (startsWith(text, 0, DASHES)) return pemFacts(text, publicKey);
  if (startsWith(text, 0, BASE64_DER)) return base64DerFacts(text, publicKey);
  // Everything else OpenDKIM reads as DER, cut at the first zero byte: never a key. Say why.
  const begin = pemBeginAfterText(data);
  if (begin > 0) {
    const pem = pemFacts(data.subarray(begin));
    if (!pem.isPrivateKey) return pem; // encrypted or a public key: that is the first thing to fix
    return { ...withoutUsability(pem), isPrivateKey: false, notKeyReason: 'text-before-pem', leadingText: leadingTextKind(data, begin) };
  }
  if (data.includes('v=DKIM1') && data.includes('p=')) return { isPrivateKey: false, notKeyReason: 'dns-record' };
  const der = derKey(data);
  return der ? { ...der, isPrivateKey: false, notKeyReason: 'der' } : { isPrivateKey: false };
}

function withoutUsability(f: KeyFacts): Pick<KeyFacts, 'algorithm' | 'bits'> {
  return f.bits !== undefined ? { algorithm: f.algorithm, bits: f.bits } : { algorithm: f.algorithm };
}

function factsOfShape(shape: Exclude<PrivateKeyShape, { type: 'encrypted' }>): KeyFacts {
  return shape.type === 'rsa' ? { isPrivateKey: true, algorithm: 'rsa', bits: shape.bits } : { isPrivateKey: true, algorithm: shape.type };
}

function factsOfKey(key: crypto.KeyObject, publicKey?: PublicKeyOut): KeyFacts {
  if (publicKey) publicKey.spki = spkiOf(key);
  const bits = key.asymmetricKeyDetails?.modulusLength;
  return bits ? { isPrivateKey: true, algorithm: key.asymmetricKeyType, bits } : { isPrivateKey: true, algorithm: key.asymmetricKeyType };
}

/** The DER SubjectPublicKeyInfo of a private key object; undefined if node:crypto cannot export it. */
function spkiOf(key: crypto.KeyObject): Uint8Array | undefined {
  try {
    return new Uint8Array(crypto.createPublicKey(key).export({ type: 'spki', format: 'der' }));
  } catch {
    return undefined;
  }
}

/**
 * The public half of an Ed25519 key the structure walk recognised (it is computed from the
 * private seed: node:crypto's work, about half a millisecond, paid only for Ed25519 keys).
 */
function ed25519Spki(key: crypto.PrivateKeyInput): Uint8Array | undefined {
  try {
    return spkiOf(crypto.createPrivateKey(key));
  } catch {
    return undefined;
  }
}

/** A PEM file starting at its first byte: read as OpenSSL's PEM reader (OpenDKIM's) reads it. */
function pemFacts(data: Buffer, publicKey?: PublicKeyOut): KeyFacts {
  const shape = privateKeyShape(data, publicKey);
  if (shape?.type === 'encrypted') return { isPrivateKey: false, notKeyReason: 'encrypted' };
  if (shape?.type === 'ed25519' && publicKey) publicKey.spki = ed25519Spki({ key: data });
  if (shape) return factsOfShape(shape);
  try {
    return factsOfKey(crypto.createPrivateKey({ key: data }), publicKey);
  } catch {
    // not a private key node:crypto can read: say what it is when the header tells
  }
  const label = firstLabel(data);
  if (label === 'ENCRYPTED PRIVATE KEY' || data.includes('Proc-Type: 4,ENCRYPTED')) return { isPrivateKey: false, notKeyReason: 'encrypted' };
  if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') return { isPrivateKey: false, notKeyReason: 'public-key' };
  return { isPrivateKey: false };
}

/** The label of the first BEGIN line (a header, never key material). */
function firstLabel(data: Buffer): string | undefined {
  const at = data.indexOf(BEGIN);
  if (at < 0) return undefined;
  const end = data.indexOf('-----', at + BEGIN.length);
  if (end < 0 || end - at > 80) return undefined;
  return data.toString('latin1', at + BEGIN.length, end);
}

/**
 * Where a PEM block starts after other text: the first "-----BEGIN " at the start of a line,
 * or right after a byte order mark; -1 when there is none.
 */
function pemBeginAfterText(data: Buffer): number {
  for (let at = data.indexOf(BEGIN); at > 0; at = data.indexOf(BEGIN, at + 1)) {
    if (data[at - 1] === 10 || (at === BOM.length && startsWith(data, 0, BOM))) return at;
  }
  return -1;
}

function leadingTextKind(data: Buffer, begin: number): NonNullable<KeyFacts['leadingText']> {
  const bom = startsWith(data, 0, BOM);
  const from = bom ? BOM.length : 0;
  if (startsWith(data, from, BAG_ATTRIBUTES)) return 'bag-attributes';
  for (let i = from; i < begin; i++) {
    const c = data[i];
    if (c !== 10 && c !== 13 && c !== 32 && c !== 9) return 'text';
  }
  return bom ? 'byte-order-mark' : 'blank-lines';
}

/** A private key in DER: its structure, else node:crypto (PKCS#8, then PKCS#1); undefined for none. */
function derKey(der: Buffer, publicKey?: PublicKeyOut): KeyFacts | undefined {
  const shape = privateKeyShape(der, publicKey);
  if (shape?.type === 'ed25519' && publicKey) publicKey.spki = ed25519Spki({ key: der, format: 'der', type: 'pkcs8' });
  if (shape && shape.type !== 'encrypted') return factsOfShape(shape);
  if (der.includes(BEGIN)) return undefined; // privateKeyShape leaves such files to PEM readers
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    try {
      return factsOfKey(crypto.createPrivateKey({ key: der, format: 'der', type }), publicKey);
    } catch {
      // not this encoding
    }
  }
  return undefined;
}

/**
 * libopendkim's base64 decoding into `out`: characters outside the alphabet skipped, up to
 * "=" or a zero byte. The number of bytes; 0 when a lone character is left over (OpenDKIM
 * then fails).
 */
function decodeBase64LikeOpendkim(data: Uint8Array, out: Uint8Array): number {
  let n = 0;
  let acc = 0;
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (c === 61 /* = */ || c === 0) break;
    const v = BASE64[c];
    if (v < 0) continue;
    acc = (acc << 6) | v;
    if (++count === 4) {
      out[n++] = (acc >> 16) & 0xff;
      out[n++] = (acc >> 8) & 0xff;
      out[n++] = acc & 0xff;
      acc = 0;
      count = 0;
    }
  }
  if (count === 1) return 0;
  if (count === 2) out[n++] = (acc >> 4) & 0xff;
  if (count === 3) {
    out[n++] = (acc >> 10) & 0xff;
    out[n++] = (acc >> 2) & 0xff;
  }
  return n;
}

/** Content starting "MII": OpenDKIM decodes the base64 and reads the DER. */
function base64DerFacts(data: Buffer, publicKey?: PublicKeyOut): KeyFacts {
  const der = Buffer.alloc(Math.floor((data.length * 3) / 4) + 3);
  try {
    const n = decodeBase64LikeOpendkim(data, der);
    return (n > 0 && derKey(der.subarray(0, n), publicKey)) || { isPrivateKey: false };
  } finally {
    der.fill(0);
  }
}
