// DKIM key records (RFC 6376 §3.6.1, RFC 8463, RFC 8301): every finding code with its
// exact range, the seed records, and the key dkimPublicKeyOf hands to later checks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import {
  checkDkimKeyRecord, checkDkimRecordSet, dkimPublicKeyOf, dkimTagHover, isDkimText, DKIM_KEY_TAGS,
} from '../../../server/src/core/records/dkim';
import { analyzeKeyBase64, analyzeKeyBytes, decodeBase64 } from '../../../server/src/core/records/dkim/publicKey';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnoseText } from '../zone/checksSupport';
import { applyFix, codes, marks, plain, presentation, SAMPLES, sampleRecord, strings } from './tagsHelpers';

const b64 = (buf: Buffer | Uint8Array) => Buffer.from(buf).toString('base64');

const rsa2048 = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsa1024 = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
const rsa512 = crypto.generateKeyPairSync('rsa', { modulusLength: 512 });
const ed = crypto.generateKeyPairSync('ed25519');
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

const spki = (k: crypto.KeyObject) => k.export({ type: 'spki', format: 'der' });
const RSA2048 = b64(spki(rsa2048.publicKey));
const RSA1024 = b64(spki(rsa1024.publicKey));
const RSA512 = b64(spki(rsa512.publicKey));
const RSA2048_PKCS1 = b64(rsa2048.publicKey.export({ type: 'pkcs1', format: 'der' }));
const ED_SPKI = b64(spki(ed.publicKey));
const ED_RAW = b64(spki(ed.publicKey).subarray(12));

/** An RSA public key of any size (a random odd modulus: fine for a public-key parser). */
function bigRsaKey(bits: number): string {
  const n = crypto.randomBytes(bits / 8);
  n[0] |= 0x80;
  n[n.length - 1] |= 1;
  const key = crypto.createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: 'AQAB' }, format: 'jwk' });
  return b64(spki(key));
}

const SEL = 'mail._domainkey.example.org';

/** Stands for "owner not known" (an undefined argument would take the default). */
const NO_OWNER = null;

function check(value: string, owner: string | null = SEL) {
  const p = plain(value, owner ?? undefined);
  return { p, findings: checkDkimKeyRecord(p.rec) };
}

function marked(value: string, owner: string | null = SEL): string[] {
  const { p, findings } = check(value, owner);
  return marks(p, findings);
}

// ---- the seeds ----

test('seed 000: the 4400._domainkey record (RSA 2048, h=sha256) is clean, in the zone and in opendkim-genkey\'s file', () => {
  const zone = sampleRecord('000-any2any.de/zones/any2any.de.zone', '4400._domainkey');
  assert.equal(zone.rec.owner, '4400._domainkey.any2any.de');
  assert.deepEqual(checkDkimKeyRecord(zone.rec), []);
  const key = dkimPublicKeyOf(zone.rec)!;
  assert.deepEqual([key.algorithm, key.bits], ['rsa', 2048]);
  const file = sampleRecord('000-any2any.de/etc/dkimkeys/any2any.de/4400.txt', '4400._domainkey');
  assert.equal(file.rec.owner, '4400._domainkey', 'no $ORIGIN: the name stays relative');
  assert.deepEqual(checkDkimKeyRecord(file.rec), []);
  assert.deepEqual(dkimPublicKeyOf(file.rec)!.spkiDer, key.spkiDer, 'the zone publishes the key of the file');
});

test('seed 001: the 20201110._domainkey record (s=email) is clean, in the zone and in the key file', () => {
  const zone = sampleRecord('001-stefanux.net/zones/stefanux.net.zone', '20201110._domainkey');
  assert.deepEqual(checkDkimKeyRecord(zone.rec), []);
  assert.equal(dkimPublicKeyOf(zone.rec)!.bits, 2048);
  const file = sampleRecord('001-stefanux.net/etc/opendkim/keys/stefanux.txt', '20201110._domainkey');
  assert.deepEqual(checkDkimKeyRecord(file.rec), []);
  assert.deepEqual(dkimPublicKeyOf(file.rec)!.spkiDer, dkimPublicKeyOf(zone.rec)!.spkiDer);
});

const SEED_002 = 'v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCobe5aaqYeaUxLG3lTV3rcUP8OnB1KfGAOUU4/yYj/Fy0uOJNWajyGeAS9s3IEOhb5Zl8t0q4CB20ani3WfxhWQUGLCd3tkmira4nD8k5HMeCzUD5XbB1pmd3xTfdD03ahAm11Ii6skHYvZxJ+HOLdDaogDK8nkQw9cnydCZOTJwIDAQA';

test('seed 002: the dkim._domainkey.mysystems.tld key is cut short (…IDAQA instead of …IDAQAB)', () => {
  const { p, findings } = check(SEED_002, 'dkim._domainkey.mysystems.tld');
  assert.deepEqual(marks(p, findings), [`dkim/truncated-key[error]: ${SEED_002.slice(11)}`]);
  assert.match(findings[0].message, /The key is cut short: its DER header announces 162 bytes, but `p=` decodes to only 161/);
  assert.match(findings[0].message, /about 1 base64 character missing/);
  assert.equal(dkimPublicKeyOf(SEED_002), undefined);
  // With the missing `B` it is a complete (1024-bit) key.
  assert.deepEqual(codes(check(SEED_002 + 'B', 'dkim._domainkey.mysystems.tld').findings), ['dkim/key-1024-bits']);
});

test('seed 002 through the zone checks: as written only `v=DKIM1` is published; quoted, the key is cut short', () => {
  const zone = fs.readFileSync(path.join(SAMPLES, '002-mysystems.tld/zones/mysystems.tld.zone'), 'utf8');
  const uri = 'file:///etc/bind/db.mysystems.tld';
  assert.deepEqual(diagnoseText(zone, uri).map((f) => f.code), ['zone/txt-semicolon-comment', 'dkim/missing-key']);
  const quoted = zone.replace(/TXT (v=DKIM1.*)$/m, 'TXT "$1"');
  const findings = diagnoseText(quoted, uri);
  assert.deepEqual(findings.map((f) => `${f.code}[${f.severity}]`), ['dkim/truncated-key[error]']);
  assert.match(findings[0].message, /cut short/);
});

test('seed 003: `v=DKIM1;k=rsa;p=` as the post prints it is a revoked key; with the PEM pasted after it, bad base64', () => {
  assert.deepEqual(marked('v=DKIM1;k=rsa;p='), ['dkim/revoked-key[information]: p=']);
  // A DNS provider's web form flattens the PEM's lines into one.
  const pem = rsa2048.publicKey.export({ type: 'spki', format: 'pem' }).toString().trim().replace(/\n/g, ' ');
  const { findings } = check('v=DKIM1;k=rsa;p=' + pem);
  assert.deepEqual(codes(findings), ['dkim/bad-base64']);
  assert.match(findings[0].message, /PEM header line/);
  assert.deepEqual(findings[0].range.start.character, 16, 'under the first `-`');
});

test('seed 004: the placeholder `p=(...)` is reported as a placeholder', () => {
  const { p, findings } = check('v=DKIM1; k=rsa; p=(...)', 'default._domainkey.voorbeeld.nl');
  assert.deepEqual(marks(p, findings), ['dkim/bad-base64[error]: (']);
  assert.match(findings[0].message, /placeholder/);
});

// ---- valid records ----

test('valid records: with and without v=, Ed25519, blanks inside p=, split strings, all optional tags', () => {
  const clean = [
    `p=${RSA2048}`,
    `v=DKIM1; k=rsa; p=${RSA2048}`,
    `v=DKIM1; h=sha256; k=rsa; s=email; t=s; n=rotated 2024; p=${RSA2048};`,
    `v=DKIM1; h=sha1:sha256; s=*; p=${RSA2048}`,
    `v=DKIM1; s=email:tlsrpt; p=${RSA2048}`,
    `v=DKIM1; k=ed25519; p=${ED_RAW}`,
    `v=DKIM1; k=ed25519; h=sha256; p=${ED_RAW.slice(0, 20)} ${ED_RAW.slice(20)}`,
    `v=DKIM1; p=${RSA2048.slice(0, 100)}\r\n\t${RSA2048.slice(100)}`,
    `p=${bigRsaKey(4096)}`,
    `p=${bigRsaKey(3072)}`,
  ];
  for (const value of clean) assert.deepEqual(marked(value), [], value.slice(0, 60));
  const split = strings([`v=DKIM1; k=rsa; p=${RSA2048.slice(0, 200)}`, RSA2048.slice(200)], SEL);
  assert.deepEqual(checkDkimKeyRecord(split.rec), []);
  assert.equal(dkimPublicKeyOf(split.rec)!.bits, 2048);
  assert.ok(isDkimText('v=DKIM1; p=x') && isDkimText(' v = dkim1 ;') && !isDkimText('k=rsa; v=DKIM1') && !isDkimText('v=DKIM10'));
});

// ---- the tag list ----

test('dkim/tag-syntax and dkim/duplicate-tag: a malformed list makes verifiers reject the record', () => {
  assert.deepEqual(marked(`v=DKIM1;; k=rsa; rsa; p=${RSA2048}`), [
    'dkim/tag-syntax[error]: ;',
    'dkim/tag-syntax[error]: rsa',
  ]);
  assert.deepEqual(marked(`v=DKIM1; n=“x”; p=${RSA2048}`), ['dkim/tag-syntax[warning]: “']);
  assert.deepEqual(marked(`k=rsa; p=${RSA2048}; k=rsa`), ['dkim/duplicate-tag[error]: k']);
});

test('dkim/unknown-tag: a likely typo is a warning, anything else information; g= gets its history', () => {
  assert.deepEqual(marked(`v=DKIM1; P=${RSA2048}`), [
    'dkim/missing-key[error]: ' + `v=DKIM1; P=${RSA2048}`,
    'dkim/unknown-tag[warning]: P',
  ]);
  assert.match(check(`P=${RSA2048}`).findings[1].message, /did you mean `p`\?.*case-sensitive/);
  const g = check(`g=*; p=${RSA2048}`).findings;
  assert.deepEqual(codes(g), ['dkim/unknown-tag']);
  assert.equal(g[0].severity, 'information');
  assert.match(g[0].message, /RFC 4871/);
  assert.deepEqual(marked(`x_custom=1; p=${RSA2048}`), ['dkim/unknown-tag[information]: x_custom']);
});

test('dkim/version-not-first and dkim/bad-version', () => {
  assert.deepEqual(marked(`k=rsa; v=DKIM1; p=${RSA2048}`), ['dkim/version-not-first[error]: v=DKIM1']);
  assert.deepEqual(marked(`v=DKIM2; p=${RSA2048}`), ['dkim/bad-version[error]: DKIM2']);
  const { p, findings } = check(`v=dkim1; p=${RSA2048}`);
  assert.deepEqual(marks(p, findings), ['dkim/bad-version[error]: dkim1']);
  assert.equal(applyFix(p.doc, findings[0]), `v=DKIM1; p=${RSA2048}`);
  assert.equal(findings[0].fixes![0].preferred, true);
});

test('dkim/unknown-key-type: unknown, upper case or empty k=', () => {
  assert.deepEqual(marked(`k=dsa; p=${RSA2048}`), ['dkim/unknown-key-type[error]: dsa']);
  const { p, findings } = check(`k=RSA; p=${RSA2048}`);
  assert.deepEqual(marks(p, findings), ['dkim/unknown-key-type[error]: RSA']);
  assert.match(findings[0].message, /lower case/);
  assert.equal(applyFix(p.doc, findings[0]), `k=rsa; p=${RSA2048}`);
  assert.deepEqual(marked(`k=; p=${RSA2048}`), ['dkim/unknown-key-type[error]: k=']);
});

test('dkim/unknown-hash and dkim/sha1-only', () => {
  assert.deepEqual(marked(`h=sha256:md5; p=${RSA2048}`), ['dkim/unknown-hash[warning]: md5']);
  assert.deepEqual(marked(`h=sha512; p=${RSA2048}`), ['dkim/unknown-hash[error]: sha512']);
  assert.deepEqual(marked(`h=sha1; p=${RSA2048}`), ['dkim/sha1-only[warning]: sha1']);
  assert.deepEqual(marked(`k=ed25519; h=sha1; p=${ED_RAW}`), ['dkim/sha1-only[error]: sha1']);
});

test('dkim/not-for-email: s= without email or *', () => {
  const tls = check(`s=tlsrpt; p=${RSA2048}`);
  assert.deepEqual(marks(tls.p, tls.findings), ['dkim/not-for-email[error]: tlsrpt']);
  assert.match(tls.findings[0].message, /TLS reports/);
  assert.deepEqual(marked(`s=mail; p=${RSA2048}`), ['dkim/not-for-email[error]: mail']);
});

test('dkim/testing-mode and dkim/unknown-flag', () => {
  assert.deepEqual(marked(`t=y; p=${RSA2048}`), ['dkim/testing-mode[information]: y']);
  assert.deepEqual(marked(`t=s:y:x; p=${RSA2048}`), ['dkim/testing-mode[information]: y', 'dkim/unknown-flag[information]: x']);
});

// ---- the key ----

test('dkim/missing-key and dkim/revoked-key', () => {
  assert.deepEqual(marked('v=DKIM1; k=rsa; '), ['dkim/missing-key[error]: v=DKIM1; k=rsa;']);
  assert.deepEqual(marked('v=DKIM1; p= ;'), ['dkim/revoked-key[information]: p=']);
});

test('dkim/bad-base64: stray characters, URL-safe base64, misplaced or missing padding', () => {
  const quoted = check(`p=${RSA2048.slice(0, 50)}" "${RSA2048.slice(50)}`);
  assert.deepEqual(marks(quoted.p, quoted.findings), ['dkim/bad-base64[error]: "']);
  assert.match(quoted.findings[0].message, /quotes of the zone file/);
  const urlSafe = RSA2048.slice(0, 30) + '-' + RSA2048.slice(31);
  assert.match(check(`p=${urlSafe}`).findings[0].message, /URL-safe/);
  assert.deepEqual(marked(`p=${RSA2048.slice(0, 40)}==${RSA2048.slice(40)}`), ['dkim/bad-base64[error]: =']);
  assert.deepEqual(marked(`k=ed25519; p=${ED_RAW.replace(/=$/, '')}`), [`dkim/bad-base64[error]: ${ED_RAW.replace(/=$/, '')}`]);
  assert.equal(dkimPublicKeyOf(`p=${RSA2048.slice(0, 30)}!${RSA2048.slice(31)}`), undefined);
});

test('dkim/truncated-key: across string breaks, the squiggle covers the whole key', () => {
  const cut = RSA2048.slice(0, -6);
  const p = strings([`v=DKIM1; p=${cut.slice(0, 200)}`, cut.slice(200)], SEL);
  const findings = checkDkimKeyRecord(p.rec);
  assert.deepEqual(codes(findings), ['dkim/truncated-key']);
  assert.deepEqual(marks(p, findings), [`dkim/truncated-key[error]: ${cut.slice(0, 200)}" "${cut.slice(200)}`]);
  assert.match(findings[0].message, /294 bytes.*about 6 base64 characters missing/);
  // Cut inside the DER header itself.
  assert.deepEqual(codes(check('p=MIIB').findings), ['dkim/truncated-key']);
});

test('dkim/bad-key: a wrapped Ed25519 key (with its fix), an EC key, a wrong length, no key at all', () => {
  const wrapped = check(`k=ed25519; p=${ED_SPKI}`);
  assert.deepEqual(marks(wrapped.p, wrapped.findings), [`dkim/bad-key[error]: ${ED_SPKI}`]);
  assert.equal(applyFix(wrapped.p.doc, wrapped.findings[0]), `k=ed25519; p=${ED_RAW}`);
  assert.deepEqual(codes(checkDkimKeyRecord(plain(applyFix(wrapped.p.doc, wrapped.findings[0]), SEL).rec)), []);
  assert.match(check(`p=${b64(spki(ec.publicKey))}`).findings[0].message, /an EC public key/);
  // Raw bytes of the wrong length, also when the first is a DER SEQUENCE tag (0x30): not a cut-short DER key.
  for (const bytes of [crypto.randomBytes(31), Buffer.alloc(31, 0x30), Buffer.from([0x30, 0x1e, ...crypto.randomBytes(29)]), crypto.randomBytes(20)]) {
    const found = check(`k=ed25519; p=${b64(bytes)}`).findings;
    assert.deepEqual(codes(found), ['dkim/bad-key'], bytes.toString('hex'));
    assert.match(found[0].message, new RegExp(`${bytes.length} bytes`));
  }
  // A wrapped Ed25519 key cut short is still told as cut short.
  assert.deepEqual(codes(check(`k=ed25519; p=${b64(spki(ed.publicKey).subarray(0, 30))}`).findings), ['dkim/truncated-key']);
  assert.deepEqual(codes(check('p=SGVsbG8gd29ybGQh').findings), ['dkim/bad-key']);
});

test('dkim/extra-key-bytes: bytes after a complete key are ignored by verifiers, but worth a warning', () => {
  const extra = b64(Buffer.concat([spki(rsa2048.publicKey), Buffer.from([0, 0, 0])]));
  assert.deepEqual(marked(`p=${extra}`), [`dkim/extra-key-bytes[warning]: ${extra}`]);
  assert.match(check(`p=${extra}`).findings[0].message, /3 extra bytes/);
  assert.deepEqual(Buffer.from(dkimPublicKeyOf(`p=${extra}`)!.spkiDer), spki(rsa2048.publicKey));
});

test('dkim/private-key-published: a private key in p= (its text never appears in the message)', () => {
  const der = rsa1024.privateKey.export({ type: 'pkcs8', format: 'der' });
  const findings = check(`p=${b64(der)}`).findings;
  assert.deepEqual(codes(findings), ['dkim/private-key-published']);
  assert.ok(!findings[0].message.includes(b64(der).slice(20, 40)));
  const pkcs1 = rsa1024.privateKey.export({ type: 'pkcs1', format: 'der' });
  assert.deepEqual(codes(check(`p=${b64(pkcs1)}`).findings), ['dkim/private-key-published']);
});

test('dkim/key-type-mismatch: Ed25519 bytes under k=rsa and an RSA key under k=ed25519', () => {
  assert.deepEqual(marked(`p=${ED_RAW}`), [`dkim/key-type-mismatch[error]: ${ED_RAW}`]);
  assert.match(check(`p=${ED_RAW}`).findings[0].message, /Add `k=ed25519`/);
  assert.deepEqual(marked(`k=ed25519; p=${RSA2048}`), [`dkim/key-type-mismatch[error]: ${RSA2048}`]);
});

test('dkim/pkcs1-key: a bare RSAPublicKey is a warning, and dkimPublicKeyOf converts it', () => {
  assert.deepEqual(marked(`p=${RSA2048_PKCS1}`), [`dkim/pkcs1-key[warning]: ${RSA2048_PKCS1}`]);
  assert.deepEqual(Buffer.from(dkimPublicKeyOf(`p=${RSA2048_PKCS1}`)!.spkiDer), spki(rsa2048.publicKey));
});

test('dkim/key-too-short, dkim/key-1024-bits and dkim/key-over-4096-bits (RFC 8301)', () => {
  assert.deepEqual(marked(`p=${RSA512}`), [`dkim/key-too-short[error]: ${RSA512}`]);
  assert.deepEqual(marked(`p=${RSA1024}`), [`dkim/key-1024-bits[warning]: ${RSA1024}`]);
  const huge = bigRsaKey(8192);
  assert.deepEqual(marked(`p=${huge}`), [`dkim/key-over-4096-bits[warning]: ${huge}`]);
});

// ---- where the record is ----

test('dkim/wrong-name: not a selector name, no selector, the DomainKeys policy record, the domain written twice', () => {
  const value = `v=DKIM1; p=${RSA2048}`;
  assert.deepEqual(marked(value, 'example.org'), [`dkim/wrong-name[warning]: ${value}`]);
  assert.match(check(value, '_domainkey.example.org').findings[0].message, /no selector/);
  const dk = check('o=~; r=postmaster@example.org', '_domainkey.example.org').findings;
  assert.deepEqual(dk.map((f) => `${f.code}[${f.severity}]`), ['dkim/wrong-name[information]']);
  assert.match(dk[0].message, /DomainKeys/);
  const twice = check(value, 'mail._domainkey.example.org.example.org').findings;
  assert.deepEqual(codes(twice), ['dkim/wrong-name']);
  assert.match(twice[0].message, /trailing dot/);
  for (const owner of [SEL, 'a.b._domainkey.example.org', 'mail._domainkey', 'MAIL._DomainKey.Example.ORG', NO_OWNER]) {
    assert.deepEqual(marked(value, owner), [], String(owner));
  }
});

test('dkim/several-records: more than one TXT record at a selector', () => {
  const a = plain(`v=DKIM1; p=${RSA2048}`, SEL);
  const b = plain(`v=DKIM1; p=${RSA1024}`, SEL);
  assert.deepEqual(checkDkimRecordSet([a.rec, b.rec]).map((f) => f.code), ['dkim/several-records', 'dkim/several-records']);
  assert.deepEqual(checkDkimRecordSet([a.rec]), []);
});

test('dkimPublicKeyOf: the SubjectPublicKeyInfo of RSA and Ed25519 keys, undefined when unusable', () => {
  assert.deepEqual(Buffer.from(dkimPublicKeyOf(`v=DKIM1; p=${RSA2048}`)!.spkiDer), spki(rsa2048.publicKey));
  const edKey = dkimPublicKeyOf(`k=ed25519; p=${ED_RAW}`)!;
  assert.deepEqual([edKey.algorithm, edKey.bits], ['ed25519', 256]);
  assert.deepEqual(Buffer.from(edKey.spkiDer), spki(ed.publicKey));
  assert.equal(crypto.createPublicKey({ key: Buffer.from(edKey.spkiDer), format: 'der', type: 'spki' }).asymmetricKeyType, 'ed25519');
  for (const bad of ['v=DKIM1; p=', 'k=dsa; p=' + RSA2048, 'v=DKIM1', SEED_002, `k=ed25519; p=${RSA2048}`, '']) {
    assert.equal(dkimPublicKeyOf(bad), undefined, bad.slice(0, 30));
  }
});

test('hover texts for every DKIM tag', () => {
  for (const tag of DKIM_KEY_TAGS) assert.match(dkimTagHover(tag)!, new RegExp('`' + tag + '=`'));
  assert.equal(dkimTagHover('x'), undefined);
  assert.equal(dkimTagHover('P'), undefined, 'DKIM tag names are case-sensitive');
});

test('dkim checks never throw on junk', () => {
  let seed = 11;
  const alphabet = 'vpkhstn=;: \t"\\ABCabc019+/=-\u201c\0';
  for (let n = 0; n < 300; n++) {
    let s = n % 2 ? 'v=DKIM1; p=' : '';
    for (let i = 0; i < 80; i++) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; s += alphabet[seed % alphabet.length]; }
    assert.doesNotThrow(() => checkDkimKeyRecord(plain(s, n % 3 ? SEL : 'x').rec));
    assert.doesNotThrow(() => dkimPublicKeyOf(s));
  }
  assert.doesNotThrow(() => checkDkimKeyRecord(presentation('"p=' + 'A'.repeat(1_000_000) + '"').rec));
});

test('analyzeKeyBase64 remembers public-key analyses, not private keys, and agrees with analyzeKeyBytes', () => {
  for (const [text, k] of [[RSA2048, 'rsa'], [RSA2048_PKCS1, 'rsa'], [ED_RAW, 'ed25519'], [ED_SPKI, 'ed25519'], [RSA1024.slice(0, 100), 'rsa']] as const) {
    const first = analyzeKeyBase64(text, k);
    assert.deepEqual(first, analyzeKeyBytes(decodeBase64(text), k), text.slice(0, 20));
    assert.equal(analyzeKeyBase64(text, k), first, 'the second look is the remembered result');
  }
  // The declared algorithm is part of what is remembered.
  assert.equal(analyzeKeyBase64(RSA2048, 'ed25519').ok, false);
  assert.equal(analyzeKeyBase64(RSA2048, 'rsa').ok, true);
  const priv = b64(rsa1024.privateKey.export({ type: 'pkcs8', format: 'der' }));
  const p1 = analyzeKeyBase64(priv, 'rsa');
  assert.deepEqual(p1, { ok: false, problem: 'private-key' });
  assert.notEqual(analyzeKeyBase64(priv, 'rsa'), p1, 'a private key is analysed afresh each time, never kept');
});
