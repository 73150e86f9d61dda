// Public keys for the live DKIM key check (core/dns/keyTableLive.ts), in the Node layer
// because they need node:crypto and, for key files, the file system. A KeyTable entry's key
// is a file (read by publicKeyOfKeyFile) or the key itself written in the table: PEM or, as
// libopendkim reads it, base64 of the DER private key (it decodes data starting "MII").
// Only the public half leaves these functions; buffers holding private material are zeroed.

import * as crypto from 'node:crypto';
import { publicKeyOfKeyFile } from './liveDnsSettings';

/** Inline keys are short; anything longer is not a key. */
const MAX_INLINE_CHARS = 16 * 1024;

/** The DER of a one-line PEM or of bare base64 text; undefined when it is neither. */
function derOf(text: string): { der: Buffer; label?: string } | undefined {
  const t = text.trim();
  const pem = /^-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----$/.exec(t);
  const body = (pem ? pem[2] : t).replace(/\s+/g, '');
  if (body === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined;
  return { der: Buffer.from(body, 'base64'), label: pem?.[1] };
}

/** The DER SubjectPublicKeyInfo of a private key written inline in a KeyTable, or undefined. */
export function publicKeyOfInlineKey(text: string): Uint8Array | undefined {
  if (text.length > MAX_INLINE_CHARS) return undefined;
  const parsed = derOf(text);
  if (!parsed) return undefined;
  const { der, label } = parsed;
  try {
    // PKCS#8 ("PRIVATE KEY", what opendkim-genkey writes), then PKCS#1 ("RSA PRIVATE KEY").
    const types: Array<'pkcs8' | 'pkcs1'> = label === 'RSA PRIVATE KEY' ? ['pkcs1'] : label ? ['pkcs8'] : ['pkcs8', 'pkcs1'];
    for (const type of types) {
      try {
        const key = crypto.createPrivateKey({ key: der, format: 'der', type });
        return new Uint8Array(crypto.createPublicKey(key).export({ type: 'spki', format: 'der' }));
      } catch {
        // try the next encoding
      }
    }
    return undefined;
  } finally {
    der.fill(0);
  }
}

/**
 * The public key of a KeyTable entry's private key: inline key data when the entry holds
 * the key itself, else the key file. Pass this to checkKeyTableLive and checkMailDomain.
 */
export function publicKeyOfKeyRef(ref: { path: string; uri?: string; inlineKey?: string }): Uint8Array | undefined {
  if (ref.inlineKey !== undefined) return publicKeyOfInlineKey(ref.inlineKey);
  return publicKeyOfKeyFile(ref);
}
