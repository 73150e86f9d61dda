// Checks of a DKIM key record, the TXT record at `<selector>._domainkey.<domain>` that
// verifiers fetch to check a signature (RFC 6376 §3.6.1, Ed25519 from RFC 8463, key sizes
// and hashes from RFC 8301). Everything here answers one question: will a verifier find
// a usable key in this record, or does every signature made with the selector fail?

import type { Finding, Severity } from '../../types';
import type { RecordText } from '../recordText';
import { checkWithinDnsLimit } from '../recordText';
import { parseTagList, splitValue, type Tag, type TagList } from '../tags/tagList';
import {
  domainWrittenTwice, editableRange, finding, ownerLabels, quote, tagListFindings, unknownTagFindings, versionState,
  wholeRecord, type TagFormat,
} from '../tags/tagFindings';
import { analyzeKeyBase64, checkBase64, type DkimKeyAlgorithm, type DkimPublicKey, type KeyAnalysis } from './publicKey';

/** Base64 of the 12-byte SubjectPublicKeyInfo header in front of an Ed25519 key. */
const ED25519_SPKI_BASE64_PREFIX = 'MCowBQYDK2VwAyEA';

export const DKIM_KEY_TAGS = ['v', 'h', 'k', 'n', 'p', 's', 't'] as const;

const DKIM_FORMAT: TagFormat = {
  label: 'DKIM key record',
  syntaxCode: 'dkim/tag-syntax',
  duplicateCode: 'dkim/duplicate-tag',
  unknownCode: 'dkim/unknown-tag',
  // dkimpy and OpenDKIM refuse the whole record when the list itself is malformed.
  syntaxSeverity: (kind) => (kind === 'bad-character' ? 'warning' : 'error'),
  duplicateSeverity: 'error',
  syntaxConsequence: 'Verifiers reject a key record whose tag list is malformed, so every signature made with this selector fails.',
  duplicateConsequence: 'RFC 6376 §3.2 makes the whole tag list invalid then: verifiers reject the key and every signature fails.',
  knownTags: DKIM_KEY_TAGS,
};

const UNKNOWN_TAG_NOTES: Record<string, string> = {
  g: '`g=` (key granularity) belonged to RFC 4871 and was removed by RFC 6376: today\'s verifiers ignore it. It can go.',
};

/** True for a TXT value that declares itself a DKIM key record (`v=DKIM1` first). */
export function isDkimText(value: string): boolean {
  return /^[ \t]*v[ \t]*=[ \t]*DKIM1[ \t]*(;|$)/i.test(value);
}

/** Findings for one DKIM key record. */
export function checkDkimKeyRecord(rec: RecordText): Finding[] {
  return checkWithinDnsLimit(rec, checkDkimKeyValue);
}

function checkDkimKeyValue(rec: RecordText): Finding[] {
  const list = parseTagList(rec.value);
  const out: Finding[] = tagListFindings(rec, list, DKIM_FORMAT);
  if (rec.owner !== undefined) checkOwner(rec, list, rec.owner, out);
  if (rec.owner !== undefined && isDomainKeysPolicy(rec.owner, list)) return out;
  checkVersion(rec, list, out);
  const algorithm = checkKeyType(rec, list, out);
  checkHashes(rec, list, algorithm, out);
  checkServices(rec, list, out);
  checkFlags(rec, list, out);
  checkKey(rec, list, algorithm, out);
  out.push(...unknownTagFindings(rec, list, DKIM_FORMAT, 'Verifiers ignore tags they do not know', UNKNOWN_TAG_NOTES));
  return out;
}

/** Findings for all TXT records at one selector name: more than one is ambiguous. */
export function checkDkimRecordSet(records: readonly RecordText[]): Finding[] {
  if (records.length < 2) return [];
  return records.map((rec) => {
    const [s, e] = wholeRecord(rec);
    return finding(rec, s, e, 'warning', 'dkim/several-records',
      `${records.length} TXT records at this DKIM selector name. A verifier takes one of them (RFC 6376 §3.6.2.2 leaves the choice open), so signatures pass or fail at random. Keep one key record per selector; use a new selector for a new key.`);
  });
}

/**
 * The public key a DKIM key record publishes, for comparing it with a private key or a
 * DNS answer; undefined when the record has no usable key (see checkDkimKeyRecord for why).
 */
export function dkimPublicKeyOf(record: RecordText | string): DkimPublicKey | undefined {
  const value = typeof record === 'string' ? record : record.value;
  const list = parseTagList(value);
  const k = list.get('k')?.value ?? 'rsa';
  const p = list.get('p');
  if ((k !== 'rsa' && k !== 'ed25519') || !p || p.value === '') return undefined;
  const b64 = checkBase64(p.value);
  if (b64.badIndex >= 0) return undefined;
  const analysis = analyzeKeyBase64(b64.compact, k);
  return analysis.ok ? analysis.key : undefined;
}

// ---- the owner name ----

function isDomainKeysPolicy(owner: string, list: TagList): boolean {
  return ownerLabels(owner)[0] === '_domainkey' && list.get('o') !== undefined && list.get('p') === undefined;
}

function checkOwner(rec: RecordText, list: TagList, owner: string, out: Finding[]): void {
  const labels = ownerLabels(owner);
  const at = labels.indexOf('_domainkey');
  const [s, e] = wholeRecord(rec);
  const shown = '`' + owner + '`';
  if (at < 0) {
    out.push(finding(rec, s, e, 'warning', 'dkim/wrong-name',
      `This DKIM key record is at ${shown}, which is not a \`<selector>._domainkey.<domain>\` name. Verifiers look a key up only at \`<s=>._domainkey.<d=>\` of the signature, so they never find it and signatures fail. Publish it at \`<selector>._domainkey.${owner}\` with the selector your signer uses (OpenDKIM: the KeyTable).`));
  } else if (at === 0) {
    if (isDomainKeysPolicy(owner, list)) {
      out.push(finding(rec, s, e, 'information', 'dkim/wrong-name',
        `${shown} with \`o=\` is the policy record of DomainKeys (RFC 4870), DKIM's predecessor; nothing reads it any more. It can go.`));
    } else {
      out.push(finding(rec, s, e, 'warning', 'dkim/wrong-name',
        `${shown} has no selector before \`_domainkey\`: verifiers look a key up at \`<selector>._domainkey.<domain>\`, so they never find this one. Put the selector your signer uses in front (for example \`mail._domainkey.${labels.slice(1).join('.')}\`).`));
    }
  } else if (domainWrittenTwice(labels, at + 1)) {
    const half = labels.slice(at + 1, at + 1 + (labels.length - at - 1) / 2).join('.');
    out.push(finding(rec, s, e, 'warning', 'dkim/wrong-name',
      `The owner ${shown} contains the domain twice: the name was written without its trailing dot (\`${labels.slice(0, at + 1).join('.')}.${half}\` in a zone for ${half}), so the zone completed it with the origin again. Verifiers look at \`${labels.slice(0, at + 1).join('.')}.${half}\` and find nothing. Add the trailing dot or write the name relative (\`${labels.slice(0, at + 1).join('.')}\`).`));
  }
}

// ---- tags ----

function checkVersion(rec: RecordText, list: TagList, out: Finding[]): void {
  const v = versionState(list, 'DKIM1');
  if (v.state === 'not-first') {
    const end = v.tag.valueEnd;
    out.push(finding(rec, v.tag.start, end, 'error', 'dkim/version-not-first',
      '`v=` must be the first tag of a DKIM key record (RFC 6376 §3.6.1); verifiers that check this discard the record and every signature fails. Move `v=DKIM1` to the front, or leave it out (it is optional).'));
  } else if (v.state === 'wrong-value') {
    const f = finding(rec, v.tag.valueStart, v.tag.valueEnd, 'error', 'dkim/bad-version',
      `${quote(v.tag.value)} is not a DKIM key record version: it must be exactly \`DKIM1\` (case matters), and verifiers discard records with any other \`v=\` (RFC 6376 §3.6.1), so every signature fails. Write \`v=DKIM1\` or leave \`v=\` out.`);
    const r = v.caseOnly ? editableRange(rec, v.tag.valueStart, v.tag.valueEnd) : undefined;
    if (r) f.fixes = [{ title: 'Write `DKIM1`', edits: [{ range: r, newText: 'DKIM1' }], preferred: true }];
    out.push(f);
  }
}

/** The key type in effect (k=, default rsa); undefined when k= names one verifiers do not know. */
function checkKeyType(rec: RecordText, list: TagList, out: Finding[]): DkimKeyAlgorithm | undefined {
  const k = list.get('k');
  if (!k) return 'rsa';
  if (k.value === 'rsa' || k.value === 'ed25519') return k.value;
  const lower = k.value.toLowerCase();
  const known = lower === 'rsa' || lower === 'ed25519';
  const f = finding(rec, k.value ? k.valueStart : k.start, k.value ? k.valueEnd : k.equals + 1, 'error', 'dkim/unknown-key-type',
    k.value === ''
      ? 'Empty `k=`: verifiers know `k=rsa` (the default) and `k=ed25519` only and reject this key, so every signature fails. Write the key type or remove `k=`.'
      : known
        ? `\`k=${k.value}\`: key types are lower case (\`${lower}\`); verifiers compare them exactly and reject this key, so every signature fails.`
        : `Unknown key type ${quote(k.value)}: verifiers know \`rsa\` (the default) and \`ed25519\` (RFC 8463) and reject this key, so every signature fails.`);
  const r = known ? editableRange(rec, k.valueStart, k.valueEnd) : undefined;
  if (r) f.fixes = [{ title: `Write \`${lower}\``, edits: [{ range: r, newText: lower }], preferred: true }];
  out.push(f);
  return undefined;
}

function checkHashes(rec: RecordText, list: TagList, algorithm: DkimKeyAlgorithm | undefined, out: Finding[]): void {
  const h = list.get('h');
  if (!h) return;
  const parts = splitValue(h, ':');
  const known = parts.filter((p) => p.text === 'sha1' || p.text === 'sha256');
  const unknown = parts.filter((p) => p.text !== 'sha1' && p.text !== 'sha256');
  for (const p of unknown) {
    const severity: Severity = known.length === 0 ? 'error' : 'warning';
    out.push(finding(rec, p.text ? p.start : h.start, p.text ? p.end : h.equals + 1, severity, 'dkim/unknown-hash',
      (p.text ? `Unknown hash algorithm ${quote(p.text)} in \`h=\`` : 'An empty entry in `h=`') +
      (known.length === 0
        ? ': verifiers ignore unknown algorithms, and none is left, so no signature can use this key. Write `h=sha256` or remove `h=` (all algorithms allowed).'
        : ': verifiers ignore it. Known algorithms are `sha256` and the obsolete `sha1`.')));
  }
  if (known.length > 0 && known.every((p) => p.text === 'sha1')) {
    const severity: Severity = algorithm === 'ed25519' ? 'error' : 'warning';
    out.push(finding(rec, h.valueStart, h.valueEnd, severity, 'dkim/sha1-only', algorithm === 'ed25519'
      ? '`h=sha1` with an Ed25519 key: Ed25519 signatures use SHA-256 only (RFC 8463), so this key can sign nothing. Write `h=sha256` or remove `h=`.'
      : '`h=sha1` only: this key may be used only with rsa-sha1, which RFC 8301 forbids; verifiers that follow it (Gmail among them) treat the signatures as failing. Write `h=sha256` (and sign with rsa-sha256) or remove `h=`.'));
  }
}

function checkServices(rec: RecordText, list: TagList, out: Finding[]): void {
  const s = list.get('s');
  if (!s) return;
  const parts = splitValue(s, ':').map((p) => p.text);
  if (parts.includes('email') || parts.includes('*')) return;
  out.push(finding(rec, s.value ? s.valueStart : s.start, s.value ? s.valueEnd : s.equals + 1, 'error', 'dkim/not-for-email',
    parts.includes('tlsrpt')
      ? `\`s=${s.value}\` restricts this key to signing TLS reports (RFC 8460): verifiers reject it for ordinary mail. Write \`s=email\` (or \`s=email:tlsrpt\`), or remove \`s=\`.`
      : `\`s=${s.value}\` names no service verifiers know for mail: they ignore unknown service types, so the key is allowed for nothing and every signature fails. Write \`s=email\` or \`s=*\`, or remove \`s=\` (the default is \`*\`).`));
}

function checkFlags(rec: RecordText, list: TagList, out: Finding[]): void {
  const t = list.get('t');
  if (!t) return;
  for (const p of splitValue(t, ':')) {
    if (p.text === 'y') {
      out.push(finding(rec, p.start, p.end, 'information', 'dkim/testing-mode',
        '`t=y`: this domain says it is testing DKIM. Receivers treat its mail like unsigned mail when a signature fails, so mistakes go unnoticed, and some give a passing signature less weight. Remove `y` once signing works.'));
    } else if (p.text !== 's') {
      out.push(finding(rec, p.text ? p.start : t.start, p.text ? p.end : t.equals + 1, 'information', 'dkim/unknown-flag',
        p.text ? `Unknown flag ${quote(p.text)} in \`t=\`: verifiers ignore it. The flags are \`y\` (testing) and \`s\` (the i= domain of a signature must equal its d= domain).` : 'An empty entry in `t=`: verifiers ignore it.'));
    }
  }
}

// ---- the key ----

function checkKey(rec: RecordText, list: TagList, algorithm: DkimKeyAlgorithm | undefined, out: Finding[]): void {
  const p = list.get('p');
  if (!p) {
    const [s, e] = wholeRecord(rec);
    out.push(finding(rec, s, e, 'error', 'dkim/missing-key',
      'No `p=` tag: a DKIM key record must publish the public key (RFC 6376 §3.6.1). Verifiers reject the record and every signature fails. Add `p=` with the base64 key from the record your key generator wrote (opendkim-genkey: `<selector>.txt`).'));
    return;
  }
  const b64 = checkBase64(p.value);
  if (b64.compact === '' && b64.badIndex < 0) {
    out.push(finding(rec, p.start, p.equals + 1, 'information', 'dkim/revoked-key',
      'Empty `p=`: the key of this selector is revoked, and signatures made with it fail (RFC 6376 §3.6.1). That is right when retiring a selector; if mail is still signed with it, publish the public key.'));
    return;
  }
  if (b64.badIndex >= 0) {
    out.push(badBase64(rec, p, b64.badIndex));
    return;
  }
  if (algorithm === undefined) return; // k= unknown: nothing to compare the key with
  const analysis = analyzeKeyBase64(b64.compact, algorithm);
  if (!analysis.ok) {
    const f = keyProblem(rec, p, analysis, b64.compact.length);
    const prefix = ED25519_SPKI_BASE64_PREFIX;
    const r = analysis.problem === 'ed25519-spki' && p.value.startsWith(prefix)
      ? editableRange(rec, p.valueStart, p.valueStart + prefix.length) : undefined;
    if (r) f.fixes = [{ title: 'Publish the bare 32-byte Ed25519 key', edits: [{ range: r, newText: '' }], preferred: true }];
    out.push(f);
    return;
  }
  if (b64.badPadding) {
    out.push(finding(rec, p.valueStart, p.valueEnd, 'error', 'dkim/bad-base64',
      `The base64 of \`p=\` is ${b64.compact.length} characters long, not a multiple of 4: the \`=\` padding at the end is missing or wrong. Strict decoders (Python's, for one) reject the key and the signatures fail. Copy the key again, including any \`=\` at its end.`));
  }
  const key = analysis.key;
  if (analysis.extraBytes) {
    const n = analysis.extraBytes;
    out.push(finding(rec, p.valueStart, p.valueEnd, 'warning', 'dkim/extra-key-bytes',
      `${n} extra byte${n === 1 ? '' : 's'} after the key: verifiers read the key and ignore the rest, but something was appended when the record was assembled (a part pasted twice?). Copy the key again from the key generator's file.`));
  }
  if (analysis.form === 'pkcs1') {
    out.push(finding(rec, p.valueStart, p.valueEnd, 'warning', 'dkim/pkcs1-key',
      `The key is a bare PKCS#1 RSAPublicKey (base64 starting \`MII…CgKC\`…), not the SubjectPublicKeyInfo RFC 6376 asks for. Some verifiers accept it, others (OpenDKIM among them) reject the key. Publish the SubjectPublicKeyInfo form (\`openssl rsa -pubout\`), which starts with \`MIGfMA0G\` or \`MIIBIjAN\`.`));
  }
  if (key.algorithm === 'rsa') {
    if (key.bits < 1024) {
      out.push(finding(rec, p.valueStart, p.valueEnd, 'error', 'dkim/key-too-short',
        `A ${key.bits}-bit RSA key: RFC 8301 requires at least 1024 bits, and verifiers reject shorter keys, so every signature fails. Generate a 2048-bit key (\`opendkim-genkey -b 2048\`) and publish it under a new selector.`));
    } else if (key.bits === 1024) {
      out.push(finding(rec, p.valueStart, p.valueEnd, 'warning', 'dkim/key-1024-bits',
        'A 1024-bit RSA key: the smallest size verifiers still accept (RFC 8301), considered weak today, and some receivers score it down. Move to a 2048-bit key under a new selector.'));
    } else if (key.bits > 4096) {
      out.push(finding(rec, p.valueStart, p.valueEnd, 'warning', 'dkim/key-over-4096-bits',
        `A ${key.bits}-bit RSA key: verifiers must handle keys up to 4096 bits (RFC 8301) and may reject larger ones. 2048 bits is the usual choice.`));
    }
  }
}

function badBase64(rec: RecordText, p: Tag, index: number): Finding {
  const at = p.valueStart + index;
  const ch = p.value[index];
  const value = p.value;
  let why: string;
  if (/^\s*(?:\(\s*)?(?:\.\.\.|…)|^\s*<[^>]*>|^\s*\[[^\]]*\]|^(?:YOUR|KEY|PUBLIC)/i.test(value)) {
    why = `${quote(value, 24)} is a placeholder from an example, not a key. Paste your own public key (the base64 from the record your key generator wrote).`;
  } else if (/-----BEGIN|-----END/.test(value)) {
    why = 'The value contains a PEM header line (`-----BEGIN PUBLIC KEY-----`). Publish only the base64 between the BEGIN and END lines.';
  } else if (ch === '"') {
    why = 'A double quote inside the key: the quotes of the zone file became part of the record. Each string of a split record is quoted on its own: `"p=MIIB…" "…IDAQAB"`.';
  } else if (ch === '\\') {
    why = 'A backslash inside the key: an escape of the zone file or of `dig`\'s output ended up in the record. Copy the key from the key generator\'s file.';
  } else if (ch === '-' || ch === '_') {
    why = `\`${ch}\` belongs to the URL-safe base64 alphabet; DKIM keys use standard base64 (\`+\` and \`/\`). Copy the key from the key generator's file.`;
  } else if (ch === '=') {
    why = 'A `=` padding character in the middle of the key: `=` may appear only at its end. Parts of the key are probably in the wrong order or pasted twice.';
  } else {
    why = `${quote(String.fromCodePoint(value.codePointAt(index)!))} is not a base64 character. Copy the key again from the key generator's file.`;
  }
  const width = value.codePointAt(index)! > 0xffff ? 2 : 1;
  return finding(rec, at, at + width, 'error', 'dkim/bad-base64', `The \`p=\` key is not valid base64: verifiers cannot decode it and every signature fails. ${why}`);
}

function keyProblem(rec: RecordText, p: Tag, a: Exclude<KeyAnalysis, { ok: true }>, chars: number): Finding {
  const at = (severity: Severity, code: string, message: string): Finding => finding(rec, p.valueStart, p.valueEnd, severity, code, message);
  switch (a.problem) {
    case 'truncated': {
      const needed = Math.ceil(a.declared / 3) * 4;
      const missing = Math.max(1, needed - chars);
      return at('error', 'dkim/truncated-key',
        `The key is cut short: its DER header announces ${a.declared} bytes, but \`p=\` decodes to only ${a.actual} (about ${missing} base64 character${missing === 1 ? '' : 's'} missing at the end; an RSA key usually ends in \`IDAQAB\`). Verifiers cannot read it and every signature fails. The end was lost when copying or splitting the record: copy the whole \`p=\` value again from the key generator's file.`);
    }
    case 'private-key':
      return at('error', 'dkim/private-key-published',
        'This is a PRIVATE key: anyone can now sign mail as this domain. Remove the record at once, generate a new key pair, keep the private part on the mail server and publish only the public key under a new selector.');
    case 'type-mismatch':
      return at('error', 'dkim/key-type-mismatch', a.found === 'ed25519'
        ? 'The key is a 32-byte Ed25519 key but the record says RSA (`k=rsa` is the default): verifiers fail every signature. Add `k=ed25519`.'
        : 'The key is an RSA key but the record says `k=ed25519`: verifiers fail every signature. Write `k=rsa` or remove `k=`.');
    case 'ed25519-spki':
      return at('error', 'dkim/bad-key',
        'The Ed25519 key is wrapped in a SubjectPublicKeyInfo (base64 starting `MCowBQYDK2VwAyEA`); RFC 8463 publishes the bare 32-byte key, and verifiers reject this one. Remove the first 16 base64 characters `MCowBQYDK2VwAyEA`.');
    case 'unsupported-type':
      return at('error', 'dkim/bad-key',
        `This is an ${a.found.toUpperCase()} public key; DKIM uses RSA (\`k=rsa\`) and Ed25519 (\`k=ed25519\`) keys only, so verifiers reject it. Generate an RSA or Ed25519 key.`);
    case 'ed25519-length':
      return at('error', 'dkim/bad-key',
        `\`p=\` decodes to ${a.length} bytes, but an Ed25519 key (\`k=ed25519\`) is exactly 32 bytes (RFC 8463): verifiers reject it. Copy the key again.`);
    case 'not-a-key':
      return at('error', 'dkim/bad-key',
        'The base64 of `p=` does not decode to a public key (an RSA SubjectPublicKeyInfo, or 32 bytes for Ed25519): verifiers reject it and every signature fails. Copy the key again from the key generator\'s file.');
  }
}
