// Everything a new DKIM key needs besides the key itself: the TXT record to publish, the
// zone-file `<selector>.txt` in the layout opendkim-genkey writes, the one-line value for a
// hoster's DNS web form, and the KeyTable/SigningTable lines. Pure: the caller generates the
// key pair (node:crypto) and hands over the public key as DER SubjectPublicKeyInfo.

export type DkimGenerateAlgorithm = 'rsa1024' | 'rsa2048' | 'rsa3072' | 'rsa4096' | 'ed25519';

export const DKIM_GENERATE_ALGORITHMS: readonly DkimGenerateAlgorithm[] = ['rsa2048', 'rsa1024', 'rsa3072', 'rsa4096', 'ed25519'];
export const DEFAULT_DKIM_ALGORITHM: DkimGenerateAlgorithm = 'rsa2048';

/** RSA modulus bits for an RSA choice, undefined for Ed25519. */
export function rsaBits(algorithm: DkimGenerateAlgorithm): number | undefined {
  const m = /^rsa(\d+)$/.exec(algorithm);
  return m ? Number(m[1]) : undefined;
}

/** Advice to show with the choice (weak RSA; Ed25519 needing its own OpenDKIM and an RSA key too). */
export function algorithmNotes(algorithm: DkimGenerateAlgorithm): string[] {
  if (algorithm === 'rsa1024') {
    return ['RSA 1024 is the weakest size RFC 8301 still allows and some receivers treat it as insecure; use rsa2048 unless your DNS host cannot publish a longer record.'];
  }
  if (algorithm === 'ed25519') {
    // OpenDKIM 2.11 signs with one SignatureAlgorithm per instance (keyAlgorithm.ts).
    return ['Ed25519 (RFC 8463) keys are short, but many receivers still verify only RSA signatures, so mail needs an RSA signature too or those receivers see it as unsigned. OpenDKIM signs with one algorithm per instance (SignatureAlgorithm, default rsa-sha256, under which an Ed25519 key fails every message: "EVP_PKEY_get1_RSA() failed", and the mail is deferred). So the Ed25519 key needs an OpenDKIM instance of its own, with SignatureAlgorithm ed25519-sha256, Canonicalization relaxed/simple (Ed25519 signatures by OpenDKIM fail verification with simple header canonicalization), only Ed25519 keys and its own socket, added to smtpd_milters and non_smtpd_milters beside the socket of the RSA instance.'];
  }
  return [];
}

/** The key type of a choice: what the SignatureAlgorithm of the OpenDKIM that uses it must need. */
export function keyTypeOf(algorithm: DkimGenerateAlgorithm): 'rsa' | 'ed25519' {
  return algorithm === 'ed25519' ? 'ed25519' : 'rsa';
}

export interface DkimGenerateInput {
  domain: string;
  selector: string;
  algorithm: DkimGenerateAlgorithm;
  /** The public key as DER SubjectPublicKeyInfo (crypto's export({type:'spki',format:'der'})). */
  publicKeySpki: Uint8Array;
  /** Where the private key will live, for the KeyTable line. */
  keyPath: string;
}

export interface DkimGenerated {
  /** The key's type (k= of the record). */
  keyType: 'rsa' | 'ed25519';
  /** `<selector>._domainkey.<domain>`, the DNS name verifiers query. */
  recordName: string;
  /** `<selector>._domainkey`, the owner name relative to the domain's zone. */
  relativeOwner: string;
  /** The TXT value as verifiers read it (`v=DKIM1; h=sha256; k=rsa; p=…`). */
  txtValue: string;
  /** The `<selector>.txt` file text, in opendkim-genkey's layout. */
  zoneFileText: string;
  /** The value for a web form: one line, no quotes, no spaces. */
  webFormValue: string;
  keyTableLine: string;
  signingTableLine: string;
  notes: string[];
}

/** Base64 of the 12-byte SPKI header in front of a raw Ed25519 key (RFC 8410). */
const ED25519_SPKI_HEADER = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

/** opendkim-genkey cuts the key into strings of 250 characters (a string may hold 255). */
const KEY_CHUNK = 250;

/** Why a domain name cannot take a DKIM key, or undefined when it can. */
export function validateDkimDomain(domain: string): string | undefined {
  if (domain.length === 0) return 'the domain is empty: give the domain the mail is signed for, such as example.org';
  const name = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  if (name.length > 253) return `the domain "${domain}" is longer than the 253 characters a DNS name may have`;
  const labels = name.split('.');
  if (labels.length < 2) return `the domain "${domain}" has a single label: give the full domain the mail is signed for, such as example.org`;
  for (const label of labels) {
    const problem = labelProblem(label);
    if (problem) return `the domain "${domain}" is not a valid DNS name: ${problem}`;
  }
  return undefined;
}

/** Why a selector cannot be used, or undefined when it can (one or more dot-separated labels). */
export function validateDkimSelector(selector: string): string | undefined {
  if (selector.length === 0) return 'the selector is empty: give one such as 202611 or mail';
  if (selector.length > 63 * 2) return `the selector "${selector}" is too long`;
  for (const label of selector.split('.')) {
    // Selectors become file names too (<selector>.private): keep to letters, digits, hyphens.
    const problem = labelProblem(label);
    if (problem) return `the selector "${selector}" is not usable: ${problem}`;
  }
  return undefined;
}

function labelProblem(label: string): string | undefined {
  if (label.length === 0) return 'it has an empty label (two dots in a row, or a dot at the start)';
  if (label.length > 63) return `the label "${label}" is longer than 63 characters (RFC 1035)`;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d;
    if (!ok) return `"${label[i]}" in "${label}" is not allowed: use letters, digits and hyphens (RFC 1035)`;
  }
  if (label.startsWith('-') || label.endsWith('-')) return `the label "${label}" starts or ends with a hyphen (RFC 1035)`;
  return undefined;
}

/** Builds the record and table lines; throws on invalid input (validate first to show a message). */
export function buildDkimRecords(input: DkimGenerateInput): DkimGenerated {
  const problem = validateDkimDomain(input.domain) ?? validateDkimSelector(input.selector);
  if (problem) throw new Error(problem);
  const domain = input.domain.replace(/\.$/, '').toLowerCase();
  const selector = input.selector;
  const keyData = publicKeyData(input.algorithm, input.publicKeySpki);
  const keyType = keyTypeOf(input.algorithm);
  const head = keyType === 'rsa' ? 'v=DKIM1; h=sha256; k=rsa; ' : 'v=DKIM1; k=ed25519; ';
  const txtValue = `${head}p=${keyData}`;
  const relativeOwner = `${selector}._domainkey`;
  const recordName = `${relativeOwner}.${domain}`;
  const chunks: string[] = [];
  for (let i = 0; i < keyData.length; i += KEY_CHUNK) chunks.push(keyData.slice(i, i + KEY_CHUNK));
  chunks[0] = `p=${chunks[0]}`;
  const zoneFileText = `${relativeOwner}\tIN\tTXT\t( "${head}"\n\t  "${chunks.join('"\n\t  "')}" )  ; ----- DKIM key ${selector} for ${domain}\n`;
  return {
    keyType,
    recordName,
    relativeOwner,
    txtValue,
    zoneFileText,
    webFormValue: txtValue.replace(/[ \t"]/g, ''),
    keyTableLine: `${recordName} ${domain}:${selector}:${input.keyPath}`,
    signingTableLine: `*@${domain} ${recordName}`,
    notes: algorithmNotes(input.algorithm),
  };
}

/** The p= data: the whole SPKI for RSA, the raw 32-byte key for Ed25519 (RFC 8463 §4). */
function publicKeyData(algorithm: DkimGenerateAlgorithm, spki: Uint8Array): string {
  if (algorithm === 'ed25519') {
    const isEd = spki.length === 44 && ED25519_SPKI_HEADER.every((b, i) => spki[i] === b);
    if (!isEd) throw new Error('the public key is not an Ed25519 SubjectPublicKeyInfo');
    return base64(spki.subarray(12));
  }
  return base64(spki);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}
