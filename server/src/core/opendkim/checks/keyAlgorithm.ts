// One signing algorithm per OpenDKIM instance. OpenDKIM 2.11 signs every message with the
// SignatureAlgorithm of its opendkim.conf (default rsa-sha256), whichever key the KeyTable or
// KeyFile gives it. Checked against Debian 12's opendkim 2.11.0~beta2 (`opendkim -t`, see
// test/integration/opendkimKeyFiles.test.ts):
// - rsa-sha256 or rsa-sha1 with a key that is not RSA (Ed25519, EC): the key loads, then each
//   message fails with "EVP_PKEY_get1_RSA() failed" and On-InternalError decides (default
//   tempfail: "451 4.7.0 resource unavailable");
// - ed25519-sha256 with a key that is not Ed25519 (RSA, EC): no error at all. OpenDKIM signs
//   with that key and labels the signature a=ed25519-sha256, which no verifier can check
//   (OpenDKIM's own verifier: dkim=permerror, "unable to apply public key").
// So signing with both an RSA and an Ed25519 key ("dual signing") takes two OpenDKIM
// instances, each with its own SignatureAlgorithm, keys and socket, both in smtpd_milters.
// The Ed25519 one needs relaxed header canonicalization: OpenDKIM refolds the signature
// header after signing, so its Ed25519 signatures fail under `simple` (same test file;
// opendkim/ed25519-simple-header-canonicalization, ed25519Canonicalization.ts).

import type { Finding, Range, RelatedLocation } from '../../types';
import type { Workspace, WorkspaceDocument } from '../../stack/workspace';
import { uriBasename } from '../../stack/postfixInstance';
import { hasTemplatePlaceholder } from '../scan';
import { effectiveConf, opendkimTables, signingTableTree } from './links';
import { finding } from './util';

/** The key type a signing algorithm needs. */
export type SigningKeyType = 'rsa' | 'ed25519';

/** The algorithm an opendkim.conf signs with. */
export interface SigningAlgorithm {
  /** As OpenDKIM names it, lower case. */
  name: 'rsa-sha1' | 'rsa-sha256' | 'ed25519-sha256';
  keyType: SigningKeyType;
  /** The opendkim.conf. */
  confUri: string;
  /** The SignatureAlgorithm value in effect; undefined when the default applies. */
  setAt?: { uri: string; range: Range };
}

const KEY_TYPES: Record<SigningAlgorithm['name'], SigningKeyType> = { 'rsa-sha1': 'rsa', 'rsa-sha256': 'rsa', 'ed25519-sha256': 'ed25519' };

/**
 * The algorithm `conf` signs with (Include'd files followed). Undefined for a value OpenDKIM
 * does not know: it then refuses to start (opendkim/unknown-signature-algorithm says so).
 */
export function signingAlgorithmOf(workspace: Workspace, conf: WorkspaceDocument): SigningAlgorithm | undefined {
  const placed = effectiveConf(workspace, conf).get('signaturealgorithm');
  const value = placed?.option.value;
  if (!placed || !value) return { name: 'rsa-sha256', keyType: 'rsa', confUri: conf.uri };
  const name = value.text.toLowerCase();
  if (!(name in KEY_TYPES)) return undefined;
  const known = name as SigningAlgorithm['name'];
  return { name: known, keyType: KEY_TYPES[known], confUri: conf.uri, setAt: { uri: placed.doc.uri, range: value.range } };
}

/**
 * For a KeyTable loaded by `confs`: the algorithms of those that may sign with the entry
 * named `keyName`. An instance is left out only when its SigningTable is in the workspace
 * and no line names the key (no `%` or template key names, no Lua SetupPolicyScript that
 * could pick keys): two instances may share a KeyTable, each with its own SigningTable
 * naming only the keys of its algorithm. Computed once per table; each call is cheap.
 */
export function keySigners(workspace: Workspace, confs: readonly WorkspaceDocument[]): (keyName: string) => SigningAlgorithm[] {
  const instances: Array<{ signing: SigningAlgorithm; names?: ReadonlySet<string> }> = [];
  for (const conf of confs) {
    const signing = signingAlgorithmOf(workspace, conf);
    if (signing) instances.push({ signing, names: keyNamesSigned(workspace, conf) });
  }
  return (keyName) => instances.filter((i) => !i.names || i.names.has(keyName)).map((i) => i.signing);
}

/** The key names `conf`'s SigningTable names; undefined when it may sign with any key. */
function keyNamesSigned(workspace: Workspace, conf: WorkspaceDocument): ReadonlySet<string> | undefined {
  if (effectiveConf(workspace, conf).get('setuppolicyscript')) return undefined;
  const tree = signingTableTree(opendkimTables(workspace, conf).signingTable?.doc);
  if (!tree) return undefined;
  const names = new Set<string>();
  for (const e of tree.entries) {
    const n = e.keyName?.text;
    if (n === undefined) continue;
    if (n === '%' || hasTemplatePlaceholder(n)) return undefined;
    names.add(n);
  }
  return names;
}

/**
 * The type of a key written inline in a KeyTable, when cheap to tell: OpenDKIM decodes
 * inline data starting "MII" as base64 DER, and an RSA key (PKCS#1, or PKCS#8 with the
 * rsaEncryption OID) shows in its first bytes. Undefined otherwise (an inline Ed25519 key
 * never starts "MII", and OpenDKIM cannot load it: isInlineEd25519Key).
 */
export function inlineKeyType(text: string): 'rsa' | undefined {
  if (!text.startsWith('MII')) return undefined;
  const b = base64Prefix(text, 24);
  if (b.length < 20 || b[0] !== 0x30 || b[1] !== 0x82 || b[4] !== 0x02 || b[5] !== 0x01 || b[6] !== 0x00) return undefined;
  if (b[7] === 0x02) return 'rsa'; // PKCS#1 RSAPrivateKey: version, then the modulus
  const RSA_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
  return b[7] === 0x30 && RSA_OID.every((x, i) => b[9 + i] === x) ? 'rsa' : undefined;
}

/**
 * True for KeyTable key data that is the base64 of a PKCS#8 Ed25519 private key (RFC 8410:
 * SEQUENCE, version 0 or 1, AlgorithmIdentifier id-Ed25519; it starts "MC4" or "MFE"). Not
 * starting "MII", OpenDKIM 2.11 does not base64-decode it but reads the text as binary DER,
 * so it can never load such a key ("d2i_PrivateKey_bio() failed", proved with the real
 * daemon by test/integration/opendkimKeyFiles.test.ts).
 */
export function isInlineEd25519Key(text: string): boolean {
  const b = base64Prefix(text, 12);
  const ED25519_ALGORITHM = [0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70];
  return b.length === 12 && b[0] === 0x30 && b[1] < 0x80 && b[2] === 0x02 && b[3] === 0x01 && (b[4] === 0x00 || b[4] === 0x01)
    && ED25519_ALGORITHM.every((x, i) => b[5 + i] === x);
}

/** The first `max` bytes of base64 text (the alphabet only; stops at anything else). */
function base64Prefix(text: string, max: number): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length && out.length < max; i++) {
    const c = text.charCodeAt(i);
    const v = c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 71 : c >= 48 && c <= 57 ? c + 4 : c === 43 ? 62 : c === 47 ? 63 : -1;
    if (v < 0) break;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return out;
}

function keyDescription(algorithm: string, bits?: number): string {
  if (algorithm === 'rsa') return bits ? `an RSA key (${bits} bits)` : 'an RSA key';
  if (algorithm === 'ed25519') return 'an Ed25519 key';
  return 'an EC (ECDSA) key';
}

/** "ed25519-sha256 (SignatureAlgorithm in opendkim.conf line 12)" or "rsa-sha256, the default …". */
function algorithmSource(s: SigningAlgorithm): string {
  const conf = uriBasename(s.confUri);
  if (!s.setAt) return `rsa-sha256, the default (${conf} sets no SignatureAlgorithm)`;
  return `${s.name} (SignatureAlgorithm in ${uriBasename(s.setAt.uri)} line ${s.setAt.range.start.line + 1})`;
}

function relatedOf(s: SigningAlgorithm): RelatedLocation[] {
  if (s.setAt) return [{ uri: s.setAt.uri, range: s.setAt.range, message: `SignatureAlgorithm ${s.name}: the algorithm this OpenDKIM signs with` }];
  const start = { line: 0, character: 0 };
  return [{ uri: s.confUri, range: { start, end: start }, message: 'no SignatureAlgorithm: OpenDKIM signs with rsa-sha256' }];
}

const DUAL_SIGNING = 'Signing with both an RSA and an Ed25519 key takes two OpenDKIM instances, each with its own SignatureAlgorithm, KeyTable, SigningTable and Socket, both sockets in smtpd_milters and non_smtpd_milters.';

/**
 * opendkim/key-algorithm-mismatch for a key of type `algorithm` (KeyFileInfo.algorithm) at
 * `range`, when the first instance in `signers` whose algorithm needs another key type signs
 * with it. `subject` names the key ("/etc/opendkim/keys/mail.private", never inline key
 * data); `failedOutcome` says what On-InternalError does with the mail when signing fails.
 */
export function keyAlgorithmMismatch(
  algorithm: string | undefined, bits: number | undefined, subject: string, range: Range,
  signers: readonly SigningAlgorithm[], failedOutcome: string,
): Finding | undefined {
  if (algorithm !== 'rsa' && algorithm !== 'ed25519' && algorithm !== 'ec') return undefined;
  const s = signers.find((x) => x.keyType !== algorithm);
  if (!s) return undefined;
  const key = keyDescription(algorithm, bits);
  const related = { related: relatedOf(s) };
  if (s.keyType === 'rsa') {
    const fix = algorithm === 'ed25519'
      ? `Use an RSA key in this instance (opendkim-genkey -b 2048) and publish its record. An Ed25519 key needs an OpenDKIM instance of its own with SignatureAlgorithm ed25519-sha256, only Ed25519 keys and Canonicalization relaxed/simple (OpenDKIM's Ed25519 signatures fail verification with simple header canonicalization). ${DUAL_SIGNING}`
      : 'DKIM keys are RSA or Ed25519: use an RSA key (opendkim-genkey -b 2048) and publish its record.';
    return finding(range, 'error', 'opendkim/key-algorithm-mismatch',
      `${subject} holds ${key}, but this OpenDKIM signs with ${algorithmSource(s)}, and OpenDKIM signs every message with that one algorithm whatever the key. It cannot sign with this key (its log says "EVP_PKEY_get1_RSA() failed") and ${failedOutcome}. ${fix}`,
      related);
  }
  const fix = algorithm === 'rsa'
    ? `Give this instance an Ed25519 key, or remove the SignatureAlgorithm line if it should sign with RSA (rsa-sha256 is the default). ${DUAL_SIGNING}`
    : 'DKIM keys are RSA or Ed25519: use an Ed25519 key here.';
  return finding(range, 'error', 'opendkim/key-algorithm-mismatch',
    `${subject} holds ${key}, but this OpenDKIM signs with ${algorithmSource(s)}. OpenDKIM does not notice: it logs no error, signs with this key anyway and labels the signature a=ed25519-sha256, which no receiver can verify (OpenDKIM as a verifier reports dkim=permerror, "unable to apply public key"). Every message signed with this key counts as not DKIM-signed, and fails DMARC unless SPF passes for the From domain. ${fix}`,
    related);
}
