// Which key files the real OpenDKIM can sign with, and mailconf's opendkim/key-not-private-key
// agreeing file by file. Debian 12's opendkim (2.11.0~beta2) signs a message offline in its
// test mode (`opendkim -x CONF -t MESSAGE`: the milter's own code, with the KeyTable and
// SigningTable of CONF), printing the DKIM-Signature it adds, or "no signature added: WHY"
// and the SMTP reply it would give. The variants are one key written the ways admins end up
// with: PEM (PKCS#8, PKCS#1, CRLF, text after it), base64 DER, and the broken ones — text
// before -----BEGIN (empty line, byte order mark, "Bag Attributes" lines, a comment), binary
// DER, a passphrase, the public key, the DNS record.
//
// opendkim-testkey reads keys another way (always with OpenSSL's PEM reader): it says
// "key OK" for a key after an empty line, which the milter cannot load. The test shows that
// too, against the key published by BIND's named on loopback (test/integration/harness/named.ts)
// through a libunbound stub zone, as in dkimGenerate.test.ts; every other name is refused
// inside libunbound, so no query leaves 127.0.0.1. The milter signs without DNS.
//
// Programs run under setsid: without a controlling terminal OpenSSL cannot prompt for a
// passphrase, so an encrypted key fails instead of waiting for input.
//
// One SignatureAlgorithm per instance (opendkim/key-algorithm-mismatch): the milter signs
// with RSA and Ed25519 keys, by KeyTable (file and inline) and KeyFile, under the default,
// rsa-sha256 and ed25519-sha256; each signature it adds is checked by a verifier — the
// milter itself in verify mode against the RSA key named publishes, python3-dkim (Debian)
// for Ed25519 with the record handed over — and mailconf, reading the same files from disk
// as `mailconf check` does, reports exactly the pairs that fail. Keys written inline in the
// KeyTable: RSA signs, Ed25519 never loads (opendkim/key-not-private-key). Ed25519 signatures
// verify only with relaxed header canonicalization (opendkim/ed25519-simple-header-
// canonicalization, its quick-fix applied on disk and re-run through the daemon).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startNamed, type NamedServer } from './harness/named';
import { describeRun, programAvailable, run, waitUntil, type RunResult } from './harness/processes';
import { readKeyFileInfo } from '../../server/src/node/opendkimEnvironment';
import { keyFileFindings } from '../../server/src/core/opendkim/checks/keyFiles';
import type { KeyFileInfo } from '../../server/src/core/opendkim/checks/environment';
import { loadConfigTree } from '../../server/src/cli/configTree';
import { diagnose } from '../../server/src/core/checks';
import { DEFAULT_SETTINGS } from '../../server/src/core/settings';
import type { Finding, TextEdit } from '../../server/src/core/types';
import { LineIndex } from '../../server/src/core/text/lines';
import { fileURLToPath } from 'node:url';

const DOMAIN = 'mailconf.test';
const SELECTOR = 'good';
const OPENDKIM = '/usr/sbin/opendkim';
const TESTKEY = '/usr/sbin/opendkim-testkey';
const SETSID = '/usr/bin/setsid';
const PYTHON = '/usr/bin/python3';
const MESSAGE = `From: Alice <alice@${DOMAIN}>\r\nTo: bob@example.net\r\nSubject: key file test\r\nDate: Mon, 01 Jan 2024 00:00:00 +0000\r\nMessage-ID: <k1@${DOMAIN}>\r\n\r\nHello.\r\n`;

let named: NamedServer;
let work: string;
let unboundConf: string;

interface Variant {
  name: string;
  data: Buffer;
  /** What the milter does: sign, or fail with this log line. */
  milter: 'signs' | 'd2i_PrivateKey_bio() failed' | 'PEM_read_bio_PrivateKey() failed';
  /** mailconf's reason (KeyFileInfo.notKeyReason and leadingText) when it cannot sign. */
  reason?: Pick<KeyFileInfo, 'notKeyReason' | 'leadingText'>;
}

function variants(key: crypto.KeyObject): Variant[] {
  const pem8 = key.export({ type: 'pkcs8', format: 'pem' }) as string;
  const pem1 = key.export({ type: 'pkcs1', format: 'pem' }) as string;
  const der8 = key.export({ type: 'pkcs8', format: 'der' }) as Buffer;
  const der1 = key.export({ type: 'pkcs1', format: 'der' }) as Buffer;
  const spki = (crypto.createPublicKey(key).export({ type: 'spki', format: 'der' }) as Buffer).toString('base64');
  const text = (s: string) => Buffer.from(s);
  const passphrase = { cipher: 'aes-256-cbc', passphrase: 'not given to OpenDKIM' };
  return [
    { name: 'PKCS#8 PEM (opendkim-genkey)', data: text(pem8), milter: 'signs' },
    { name: 'PKCS#1 PEM (openssl genrsa)', data: text(pem1), milter: 'signs' },
    { name: 'PEM with CRLF line ends', data: text(pem8.replace(/\n/g, '\r\n')), milter: 'signs' },
    { name: 'PEM, then a comment', data: text(`${pem8}# mail key for ${DOMAIN}\n`), milter: 'signs' },
    { name: 'base64 DER in 64-character lines', data: text(`${der1.toString('base64').replace(/(.{64})/g, '$1\n')}\n`), milter: 'signs' },
    { name: 'base64 DER on one line (PKCS#8)', data: text(der8.toString('base64')), milter: 'signs' },
    { name: 'an empty line before -----BEGIN', data: text(`\n${pem8}`), milter: 'd2i_PrivateKey_bio() failed', reason: { notKeyReason: 'text-before-pem', leadingText: 'blank-lines' } },
    { name: 'a UTF-8 byte order mark before -----BEGIN', data: text(`\ufeff${pem8}`), milter: 'd2i_PrivateKey_bio() failed', reason: { notKeyReason: 'text-before-pem', leadingText: 'byte-order-mark' } },
    {
      name: 'Bag Attributes lines (openssl pkcs12 -nodes)',
      data: text(`Bag Attributes\n    localKeyID: 01 00 00 00\n    friendlyName: mail\nKey Attributes: <No Attributes>\n${pem8}`),
      milter: 'd2i_PrivateKey_bio() failed',
      reason: { notKeyReason: 'text-before-pem', leadingText: 'bag-attributes' },
    },
    { name: 'a comment before -----BEGIN', data: text(`# mail key for ${DOMAIN}\n${pem1}`), milter: 'd2i_PrivateKey_bio() failed', reason: { notKeyReason: 'text-before-pem', leadingText: 'text' } },
    { name: 'binary DER (PKCS#8)', data: der8, milter: 'd2i_PrivateKey_bio() failed', reason: { notKeyReason: 'der' } },
    { name: 'binary DER (PKCS#1)', data: der1, milter: 'd2i_PrivateKey_bio() failed', reason: { notKeyReason: 'der' } },
    { name: 'passphrase (ENCRYPTED PRIVATE KEY)', data: text(key.export({ type: 'pkcs8', format: 'pem', ...passphrase }) as string), milter: 'PEM_read_bio_PrivateKey() failed', reason: { notKeyReason: 'encrypted' } },
    { name: 'passphrase (Proc-Type: 4,ENCRYPTED)', data: text(key.export({ type: 'pkcs1', format: 'pem', ...passphrase }) as string), milter: 'PEM_read_bio_PrivateKey() failed', reason: { notKeyReason: 'encrypted' } },
    { name: 'the public key', data: text(crypto.createPublicKey(key).export({ type: 'spki', format: 'pem' }) as string), milter: 'PEM_read_bio_PrivateKey() failed', reason: { notKeyReason: 'public-key' } },
    {
      name: "the DNS record (opendkim-genkey's .txt)",
      data: text(`${SELECTOR}._domainkey\tIN\tTXT\t( "v=DKIM1; h=sha256; k=rsa; "\n\t  "p=${spki.slice(0, 250)}"\n\t  "${spki.slice(250)}" )  ; ----- DKIM key ${SELECTOR} for ${DOMAIN}\n`),
      milter: 'd2i_PrivateKey_bio() failed',
      reason: { notKeyReason: 'dns-record' },
    },
  ];
}

function writeKey(name: string, data: Buffer): string {
  const file = path.join(work, 'keys', `${name.replace(/[^A-Za-z0-9]+/g, '_')}.private`);
  fs.writeFileSync(file, data, { mode: 0o600 });
  return file;
}

/** The milter in test mode signing MESSAGE with `keyFile`, named by a KeyTable or by KeyFile. */
function milterSigns(keyFile: string, how: 'KeyTable' | 'KeyFile'): { outcome: string; args: string[]; r: RunResult } {
  const dir = fs.mkdtempSync(path.join(work, 'conf-'));
  writeSigningConf(dir, '', keyFile, how);
  const { out, args, r } = runMilter(dir);
  const signed = /mlfi_eom\(\) returned SMFIS_ACCEPT/.test(out) &&
    new RegExp(`INSHEADER: idx=0 hname='DKIM-Signature' hvalue='v=1; a=rsa-sha256; [^']*d=${DOMAIN.replace('.', '\\.')}; s=${SELECTOR};`).test(out);
  const failed = failureOf(out);
  return { outcome: signed ? 'signs' : failed ?? `unexpected: ${out.slice(-600)}`, args, r };
}

/**
 * Writes DIR/opendkim.conf for the milter's test mode: the common lines, then `extra`, then
 * the key named by a KeyTable/SigningTable pair in DIR or by KeyFile (a path, or inline data
 * in the KeyTable). /tmp is writable by everyone, so OpenDKIM would call any key below it
 * unsafe: RequireSafeKeys no.
 */
function writeSigningConf(dir: string, extra: string, keyText: string, how: 'KeyTable' | 'KeyFile'): void {
  let text = `Mode s\nSyslog no\nRequireSafeKeys no\nResolverConfiguration ${unboundConf}\n${extra}`;
  if (how === 'KeyTable') {
    fs.writeFileSync(path.join(dir, 'KeyTable'), `mail ${DOMAIN}:${SELECTOR}:${keyText}\n`);
    fs.writeFileSync(path.join(dir, 'SigningTable'), `*@${DOMAIN} mail\n`);
    text += `KeyTable ${path.join(dir, 'KeyTable')}\nSigningTable refile:${path.join(dir, 'SigningTable')}\n`;
  } else {
    text += `Domain ${DOMAIN}\nSelector ${SELECTOR}\nKeyFile ${keyText}\n`;
  }
  fs.writeFileSync(path.join(dir, 'opendkim.conf'), text);
}

/** `opendkim -x DIR/opendkim.conf -t MESSAGE`: its output and how it was run. */
function runMilter(dir: string): { out: string; args: string[]; r: RunResult } {
  const message = path.join(dir, 'message.eml');
  fs.writeFileSync(message, MESSAGE);
  const args = [OPENDKIM, '-x', path.join(dir, 'opendkim.conf'), '-t', message, '-vvv'];
  const r = run(SETSID, args, { input: '', timeoutMs: 30_000 });
  return { out: r.stdout + r.stderr, args, r };
}

/** The reason the milter added no signature, when it then deferred the message (451 4.7.0); undefined otherwise. */
function failureOf(out: string): string | undefined {
  const failed = /no signature added: (.*)$/m.exec(out)?.[1]?.trim();
  const tempfail = /mlfi_eom\(\) returned SMFIS_TEMPFAIL/.test(out) && /SETREPLY: rcode='451' xcode='4\.7\.0' replytxt='resource unavailable'/.test(out);
  return failed && tempfail ? failed : undefined;
}

function testkey(keyFile: string): { out: string; status: number | null; args: string[]; r: RunResult } {
  const conf = path.join(work, 'testkey.conf');
  fs.writeFileSync(conf, `ResolverConfiguration ${unboundConf}\n`);
  const args = [TESTKEY, '-x', conf, '-d', DOMAIN, '-s', SELECTOR, '-k', keyFile, '-vvv'];
  const r = run(SETSID, args, { input: '', timeoutMs: 30_000 });
  return { out: r.stdout + r.stderr, status: r.status, args, r };
}

before(async () => {
  const missing = [OPENDKIM, TESTKEY, SETSID].filter((p) => !fs.existsSync(p));
  assert.deepEqual(missing, [], 'install with scripts/install-system-packages.sh (opendkim, opendkim-tools; setsid is in util-linux)');
  assert.ok(programAvailable(OPENDKIM, ['-V']), `${OPENDKIM} -V does not run`);
  named = await startNamed();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-keyfiles-'));
  fs.mkdirSync(path.join(work, 'keys'), { mode: 0o700 });
  unboundConf = path.join(work, 'unbound.conf');
  // Only mailconf.test is asked, of named on loopback; libunbound refuses every other name.
  fs.writeFileSync(unboundConf, `server:\n  do-not-query-localhost: no\n  local-zone: "." refuse\n  local-zone: "${DOMAIN}." transparent\nstub-zone:\n  name: "${DOMAIN}"\n  stub-addr: 127.0.0.1@${named.port}\n`);
});

after(async () => {
  await named?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the real OpenDKIM signs with exactly the key files mailconf accepts, and fails as mailconf says on the others', () => {
  const table: string[] = [];
  for (const v of variants(named.dkim.privateKey)) {
    const file = writeKey(v.name, v.data);
    const milter = milterSigns(file, 'KeyTable');
    table.push(`${v.name.padEnd(48)} ${milter.outcome}`);
    assert.equal(milter.outcome, v.milter, `${v.name}: ${describeRun(SETSID, milter.args, milter.r)}`);

    const info = readKeyFileInfo(file);
    const findings = keyFileFindings(info, file, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, { safeKeys: false });
    const notKey = findings.filter((f) => f.code === 'opendkim/key-not-private-key');
    if (v.milter === 'signs') {
      assert.deepEqual({ isPrivateKey: info.isPrivateKey, algorithm: info.algorithm, bits: info.bits }, { isPrivateKey: true, algorithm: 'rsa', bits: 2048 }, v.name);
      assert.deepEqual(findings, [], `${v.name}: no finding for a key OpenDKIM signs with`);
    } else {
      assert.equal(info.isPrivateKey, false, v.name);
      assert.deepEqual({ notKeyReason: info.notKeyReason, leadingText: info.leadingText }, { leadingText: undefined, ...v.reason }, v.name);
      assert.equal(notKey.length, 1, v.name);
      // The message quotes the line OpenDKIM logged, and what it then did with the mail.
      assert.ok(notKey[0].message.includes(`"${v.milter}"`), `${v.name}: ${notKey[0].message}`);
      assert.ok(notKey[0].message.includes('"451 4.7.0 resource unavailable"'), notKey[0].message);
    }
  }
  console.log(`# opendkim ${SELECTOR}@${DOMAIN} per key file:\n${table.map((l) => `#   ${l}`).join('\n')}`);
});

test('KeyFile (without a KeyTable) loads keys the same way', () => {
  const all = variants(named.dkim.privateKey);
  for (const name of ['PKCS#8 PEM (opendkim-genkey)', 'an empty line before -----BEGIN', 'binary DER (PKCS#1)']) {
    const v = all.find((x) => x.name === name)!;
    const milter = milterSigns(writeKey(`keyfile ${v.name}`, v.data), 'KeyFile');
    assert.equal(milter.outcome, v.milter, `${v.name}: ${describeRun(SETSID, milter.args, milter.r)}`);
  }
});

test("opendkim-testkey says \"key OK\" for a key after an empty line, which the milter cannot load; it refuses a passphrase", async () => {
  const all = variants(named.dkim.privateKey);
  const clean = all.find((x) => x.name === 'PKCS#8 PEM (opendkim-genkey)')!;
  const blank = all.find((x) => x.name === 'an empty line before -----BEGIN')!;
  const encrypted = all.find((x) => x.name === 'passphrase (ENCRYPTED PRIVATE KEY)')!;
  const ok = testkey(writeKey('testkey clean', clean.data));
  assert.equal(ok.status, 0, describeRun(SETSID, ok.args, ok.r));
  assert.match(ok.out, /key OK/);
  const blankRun = testkey(writeKey('testkey blank', blank.data));
  assert.equal(blankRun.status, 0, describeRun(SETSID, blankRun.args, blankRun.r));
  assert.match(blankRun.out, /key OK/);
  assert.equal(milterSigns(writeKey('testkey blank milter', blank.data), 'KeyTable').outcome, 'd2i_PrivateKey_bio() failed');
  const enc = testkey(writeKey('testkey encrypted', encrypted.data));
  assert.notEqual(enc.status, 0, describeRun(SETSID, enc.args, enc.r));
  assert.match(enc.out, /PEM_read_bio_PrivateKey\(\) failed/);
  // The check is real: a key that does not match the published one is told apart.
  const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const mismatch = testkey(writeKey('testkey other', Buffer.from(other)));
  assert.notEqual(mismatch.status, 0);
  assert.match(mismatch.out, /keys do not match/);
  // The record came from our named: it logged the queries (its log may lag a little).
  const asked = await waitUntil(() => named.queriesFor(`${SELECTOR}._domainkey.${DOMAIN}`, 'TXT').length > 0, 5_000);
  assert.ok(asked, `named logged no query for the key:\n${named.log().slice(-2000)}`);
});

// ---------------------------------------------------------------- one algorithm per instance

type Algorithm = 'default' | 'rsa-sha256' | 'ed25519-sha256';

/**
 * A configuration directory as an admin has it (opendkim.conf, KeyTable, SigningTable) for
 * `key` — a file path, or the key itself written inline in the KeyTable — and the milter's
 * test-mode run on MESSAGE with it. Canonicalization relaxed/simple is Debian's default
 * opendkim.conf's (OpenDKIM's own default, simple/simple, breaks Ed25519: see the last test).
 */
function signWith(key: { file: string } | { inline: string }, how: 'KeyTable' | 'KeyFile', algorithm: Algorithm, canonicalization: string | null = 'relaxed/simple') {
  const dir = fs.mkdtempSync(path.join(work, 'alg-'));
  let extra = '';
  // null: no Canonicalization line, OpenDKIM's own default (simple/simple).
  if (canonicalization !== null) extra += `Canonicalization ${canonicalization}\n`;
  if (algorithm !== 'default') extra += `SignatureAlgorithm ${algorithm}\n`;
  writeSigningConf(dir, extra, 'file' in key ? key.file : key.inline, how);
  return signIn(dir);
}

/** The milter's test-mode run on MESSAGE with DIR/opendkim.conf as it is on disk. */
function signIn(dir: string) {
  const { out, args, r } = runMilter(dir);
  const header = /INSHEADER: idx=0 hname='DKIM-Signature' hvalue='([^']*)'/.exec(out)?.[1];
  const accepted = /mlfi_eom\(\) returned SMFIS_ACCEPT/.test(out);
  const failed = failureOf(out);
  const signed = accepted && header ? `DKIM-Signature: ${header.replace(/\r?\n/g, '\r\n')}\r\n${MESSAGE}` : undefined;
  const outcome = signed ? `signs a=${/\ba=([a-z0-9-]+);/.exec(header!)?.[1]}` : failed ? `451: ${failed}` : `unexpected: ${out.slice(-600)}`;
  return { dir, outcome, signed, describe: () => describeRun(SETSID, args, r) };
}

/**
 * The milter in verify mode on a signed message: its Authentication-Results dkim= result.
 * The key record comes from named (the RSA key), or from `record` through TestPublicKeys.
 */
function opendkimVerifies(signed: string, record?: string): { result: string; describe: () => string } {
  const dir = fs.mkdtempSync(path.join(work, 'verify-'));
  let conf = `Mode v\nSyslog no\nResolverConfiguration ${unboundConf}\n`;
  if (record) {
    fs.writeFileSync(path.join(dir, 'keys'), `${SELECTOR}._domainkey.${DOMAIN} ${record}\n`);
    conf += `TestPublicKeys ${path.join(dir, 'keys')}\n`;
  }
  fs.writeFileSync(path.join(dir, 'opendkim.conf'), conf);
  fs.writeFileSync(path.join(dir, 'signed.eml'), signed);
  const args = [OPENDKIM, '-x', path.join(dir, 'opendkim.conf'), '-t', path.join(dir, 'signed.eml'), '-vvv'];
  const r = run(SETSID, args, { input: '', timeoutMs: 30_000 });
  const out = r.stdout + r.stderr;
  const ar = /hname='Authentication-Results' hvalue='[^']*\bdkim=([a-z]+)/.exec(out)?.[1];
  const why = /verification \([^)]*\) failed: (.*)$/m.exec(out)?.[1]?.trim();
  return { result: ar ? (why ? `${ar} (${why})` : ar) : `unexpected: ${out.slice(-600)}`, describe: () => describeRun(SETSID, args, r) };
}

// python3-dkim verifies an Ed25519 signature against the record given (no DNS involved).
const DKIMPY_VERIFY = String.raw`
import sys, logging
import dkim
logging.disable(logging.CRITICAL)
message = open(sys.argv[1], "rb").read()
record = sys.argv[2].encode()
try:
    print("pass" if dkim.verify(message, dnsfunc=lambda name, timeout=5: record) else "fail")
except Exception as e:
    print("fail: " + type(e).__name__)
`;

function dkimpyVerifies(signed: string, record: string): string {
  const file = path.join(fs.mkdtempSync(path.join(work, 'dkimpy-')), 'signed.eml');
  fs.writeFileSync(file, signed);
  const r = run(PYTHON, ['-c', DKIMPY_VERIFY, file, record], { timeoutMs: 30_000 });
  return r.stdout.trim() || describeRun(PYTHON, ['-c', '<script>', file], r);
}

/** mailconf on the configuration directory, read from disk as `mailconf check DIR` reads it. */
function mailconfFindings(dir: string): Finding[] {
  return mailconfFindingsByFile(dir).map((f) => f.finding);
}

function mailconfFindingsByFile(dir: string): Array<{ uri: string; finding: Finding }> {
  const { workspace } = loadConfigTree([dir]);
  return workspace.all().flatMap((doc) => diagnose({ doc, workspace, settings: DEFAULT_SETTINGS }).map((finding) => ({ uri: doc.uri, finding })));
}

/** Applies a quick-fix's edits to the files on disk, as an editor would. */
function applyFixOnDisk(ownUri: string, fix: NonNullable<Finding['fixes']>[number]): void {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of fix.edits) {
    const file = fileURLToPath(e.uri ?? ownUri);
    byFile.set(file, [...(byFile.get(file) ?? []), e]);
  }
  for (const [file, edits] of byFile) {
    let text = fs.readFileSync(file, 'utf8');
    const index = new LineIndex(text);
    const sorted = [...edits].sort((a, b) => index.offsetAt(b.range.start) - index.offsetAt(a.range.start));
    for (const e of sorted) text = text.slice(0, index.offsetAt(e.range.start)) + e.newText + text.slice(index.offsetAt(e.range.end));
    fs.writeFileSync(file, text);
  }
}

test('one SignatureAlgorithm per instance: the real OpenDKIM signs verifiably only with keys of its type, and mailconf reports exactly the others', () => {
  assert.ok(fs.existsSync(PYTHON), `${PYTHON} is missing (Debian python3 with python3-dkim)`);
  const rsaFile = writeKey('alg rsa', Buffer.from(named.dkim.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string));
  const ed = crypto.generateKeyPairSync('ed25519');
  const edFile = writeKey('alg ed25519', Buffer.from(ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string));
  const edRecord = `v=DKIM1; k=ed25519; p=${(ed.publicKey.export({ type: 'spki', format: 'der' }) as Buffer).subarray(12).toString('base64')}`;
  const otherEdRecord = `v=DKIM1; k=ed25519; p=${(crypto.generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }) as Buffer).subarray(12).toString('base64')}`;
  // Inline keys are base64 DER; a KeyTable line holds 1024 bytes, so a 1024-bit RSA key.
  const inlineRsa = (crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'der' }) as Buffer).toString('base64');

  interface Case { key: 'RSA' | 'Ed25519' | 'inline RSA'; how: 'KeyTable' | 'KeyFile'; algorithm: Algorithm }
  const cases: Case[] = [];
  for (const algorithm of ['default', 'rsa-sha256', 'ed25519-sha256'] as const) {
    for (const how of ['KeyTable', 'KeyFile'] as const) for (const key of ['RSA', 'Ed25519'] as const) cases.push({ key, how, algorithm });
    cases.push({ key: 'inline RSA', how: 'KeyTable', algorithm });
  }
  const table: string[] = [];
  for (const c of cases) {
    const name = `${c.key} key by ${c.how}, SignatureAlgorithm ${c.algorithm}`;
    const keyType = c.key === 'Ed25519' ? 'ed25519' : 'rsa';
    const instanceType = c.algorithm === 'ed25519-sha256' ? 'ed25519' : 'rsa';
    const run = signWith(c.key === 'inline RSA' ? { inline: inlineRsa } : { file: keyType === 'rsa' ? rsaFile : edFile }, c.how, c.algorithm);
    const label = instanceType === 'rsa' ? 'rsa-sha256' : 'ed25519-sha256';
    let verified = '-';
    if (keyType === 'ed25519' && instanceType === 'rsa') {
      // The key loads, then signing fails on each message; On-InternalError's default defers it.
      assert.equal(run.outcome, '451: EVP_PKEY_get1_RSA() failed', `${name}: ${run.describe()}`);
    } else {
      // Signed either way, labelled with the instance's algorithm whatever the key.
      assert.equal(run.outcome, `signs a=${label}`, `${name}: ${run.describe()}`);
      if (c.key === 'RSA') {
        const v = opendkimVerifies(run.signed!);
        verified = `opendkim verifier: ${v.result}`;
        assert.equal(v.result, instanceType === 'rsa' ? 'pass' : 'permerror (unable to apply public key)', `${name}: ${v.describe()}`);
      } else if (c.key === 'Ed25519') {
        verified = `python3-dkim: ${dkimpyVerifies(run.signed!, edRecord)}, opendkim verifier: ${opendkimVerifies(run.signed!, edRecord).result}`;
        assert.equal(verified, 'python3-dkim: pass, opendkim verifier: pass', name);
        // The verification is real: another key's record does not verify it.
        assert.match(dkimpyVerifies(run.signed!, otherEdRecord), /^fail/, name);
      }
    }
    table.push(`${name.padEnd(58)} ${run.outcome.padEnd(22)} ${verified}`);

    // mailconf, on the same files: a finding exactly when the key is not of the instance's type.
    const findings = mailconfFindings(run.dir);
    const mismatch = findings.filter((f) => f.code === 'opendkim/key-algorithm-mismatch');
    assert.deepEqual(findings.filter((f) => f.code === 'opendkim/key-not-private-key'), [], name);
    assert.equal(mismatch.length, keyType === instanceType ? 0 : 1, `${name}: ${JSON.stringify(findings.map((f) => `${f.code}: ${f.message}`))}`);
    if (mismatch.length === 0) continue;
    const m = mismatch[0].message;
    // The message says what the daemon did, in its words.
    if (keyType === 'ed25519') {
      assert.ok(m.includes('"EVP_PKEY_get1_RSA() failed"') && m.includes('"451 4.7.0 resource unavailable"'), m);
    } else {
      assert.ok(m.includes('a=ed25519-sha256') && m.includes('dkim=permerror, "unable to apply public key"'), m);
    }
    // Inline key data never shows in a finding.
    assert.ok(!JSON.stringify(mismatch).includes(inlineRsa.slice(0, 16)), 'no key material');
  }
  console.log(`# opendkim ${SELECTOR}@${DOMAIN}, one algorithm per instance:\n${table.map((l) => `#   ${l}`).join('\n')}`);
});

// A key written inline in the KeyTable (the third field holding base64 instead of a path):
// OpenDKIM base64-decodes it only when it starts "MII" (an RSA key), so an Ed25519 key
// (base64 of its PKCS#8 DER, "MC4…") is read as binary DER and never loads, whatever the
// SignatureAlgorithm. mailconf says so (opendkim/key-not-private-key) without the key.
test('a key written inline: the real OpenDKIM signs with an RSA key and never loads an Ed25519 one; mailconf reports exactly the Ed25519 one', () => {
  const ed = crypto.generateKeyPairSync('ed25519');
  const inlineEd = (ed.privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64');
  const edRecord = `v=DKIM1; k=ed25519; p=${(ed.publicKey.export({ type: 'spki', format: 'der' }) as Buffer).subarray(12).toString('base64')}`;
  // A KeyTable line holds 1024 bytes, so a 1024-bit RSA key.
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
  const rsaRecord = `v=DKIM1; k=rsa; p=${(rsa.publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64')}`;
  const keys = {
    'inline Ed25519 (PKCS#8)': inlineEd,
    'inline RSA (PKCS#1)': (rsa.privateKey.export({ type: 'pkcs1', format: 'der' }) as Buffer).toString('base64'),
    'inline RSA (PKCS#8)': (rsa.privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64'),
  };
  const table: string[] = [];
  for (const [keyName, inline] of Object.entries(keys)) {
    const isEd = keyName.includes('Ed25519');
    for (const algorithm of ['default', 'rsa-sha256', 'ed25519-sha256'] as const) {
      // An RSA key under ed25519-sha256 is key-algorithm-mismatch's case (the test above).
      if (!isEd && algorithm === 'ed25519-sha256') continue;
      const name = `${keyName}, SignatureAlgorithm ${algorithm}`;
      const run = signWith({ inline }, 'KeyTable', algorithm);
      let verified = '-';
      if (isEd) {
        // The key never loads: each message fails, and On-InternalError's default defers it.
        assert.equal(run.outcome, '451: d2i_PrivateKey_bio() failed', `${name}: ${run.describe()}`);
      } else {
        assert.equal(run.outcome, 'signs a=rsa-sha256', `${name}: ${run.describe()}`);
        const v = opendkimVerifies(run.signed!, rsaRecord);
        verified = `opendkim verifier: ${v.result}`;
        assert.equal(v.result, 'pass', `${name}: ${v.describe()}`);
      }
      table.push(`${name.padEnd(52)} ${run.outcome.padEnd(32)} ${verified}`);

      const findings = mailconfFindings(run.dir);
      const notKey = findings.filter((f) => f.code === 'opendkim/key-not-private-key');
      assert.deepEqual(findings.filter((f) => f.code === 'opendkim/key-algorithm-mismatch'), [], name);
      assert.equal(notKey.length, isEd ? 1 : 0, `${name}: ${JSON.stringify(findings.map((f) => `${f.code}: ${f.message}`))}`);
      if (isEd) {
        // In the daemon's words: the line it logged, and what it did with the mail.
        assert.ok(notKey[0].message.includes('"d2i_PrivateKey_bio() failed"') && notKey[0].message.includes('"451 4.7.0 resource unavailable"'), notKey[0].message);
        assert.ok(notKey[0].message.includes('Ed25519'), notKey[0].message);
      }
      // Inline key data never shows in any finding.
      const all = JSON.stringify(findings);
      for (let i = 0; i + 16 <= inline.length; i += 16) assert.ok(!all.includes(inline.slice(i, i + 16)), `${name}: no key material`);
    }
  }
  // The same Ed25519 key in a PEM file signs, and both verifiers accept it: the key is fine, writing it inline is not.
  const edFile = writeKey('inline ed25519 as file', Buffer.from(`-----BEGIN PRIVATE KEY-----\n${inlineEd}\n-----END PRIVATE KEY-----\n`));
  const asFile = signWith({ file: edFile }, 'KeyTable', 'ed25519-sha256');
  assert.equal(asFile.outcome, 'signs a=ed25519-sha256', asFile.describe());
  assert.equal(`${opendkimVerifies(asFile.signed!, edRecord).result} ${dkimpyVerifies(asFile.signed!, edRecord)}`, 'pass pass');
  assert.deepEqual(mailconfFindings(asFile.dir).map((f) => f.code).filter((c) => c.startsWith('opendkim/key')), []);
  table.push(`${'the Ed25519 key in a PEM file, ed25519-sha256'.padEnd(52)} ${asFile.outcome.padEnd(32)} opendkim verifier, python3-dkim: pass`);
  console.log(`# opendkim keys written inline in the KeyTable:\n${table.map((l) => `#   ${l}`).join('\n')}`);
});

// OpenDKIM 2.11.0~beta2 folds the DKIM-Signature header after signing so that "b=" moves to a
// line of its own, which simple header canonicalization counts, so its Ed25519 signatures
// verify only with relaxed header canonicalization (RSA signatures are folded before signing
// and are not affected). mailconf's opendkim/ed25519-simple-header-canonicalization reports
// exactly the failing configurations, and its quick-fix, applied to the file on disk, gives
// signatures both verifiers accept.
test("OpenDKIM's Ed25519 signatures verify only with relaxed header canonicalization; mailconf reports exactly the others and its quick-fix makes them verify", () => {
  const CODE = 'opendkim/ed25519-simple-header-canonicalization';
  const ed = crypto.generateKeyPairSync('ed25519');
  const edFile = writeKey('canon ed25519', Buffer.from(ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string));
  const record = `v=DKIM1; k=ed25519; p=${(ed.publicKey.export({ type: 'spki', format: 'der' }) as Buffer).subarray(12).toString('base64')}`;
  const rows: string[] = [];
  const verifiers = (signed: string) => {
    const byOpendkim = opendkimVerifies(signed, record);
    return { byOpendkim, byDkimpy: dkimpyVerifies(signed, record) };
  };
  // null: Canonicalization not set (OpenDKIM's default, simple/simple). A single word sets the header.
  const forms: Array<[string | null, 'pass' | 'fail']> = [
    ['simple/simple', 'fail'], ['simple/relaxed', 'fail'], ['simple', 'fail'], [null, 'fail'], ['Simple/Simple', 'fail'],
    ['relaxed/simple', 'pass'], ['relaxed/relaxed', 'pass'], ['relaxed', 'pass'],
  ];
  for (const [canonicalization, expected] of forms) {
    const label = canonicalization ?? '(not set)';
    const signed = signWith({ file: edFile }, 'KeyTable', 'ed25519-sha256', canonicalization);
    assert.equal(signed.outcome, 'signs a=ed25519-sha256', `${label}: ${signed.describe()}`);
    const { byOpendkim, byDkimpy } = verifiers(signed.signed!);
    assert.equal(byOpendkim.result, expected === 'pass' ? 'pass' : 'fail (signature verification failed)', `${label}: ${byOpendkim.describe()}`);
    assert.equal(byDkimpy, expected, label);

    // mailconf, on the same files: the finding exactly when the verifiers fail, in their words.
    const found = mailconfFindingsByFile(signed.dir).filter((f) => f.finding.code === CODE);
    assert.equal(found.length, expected === 'fail' ? 1 : 0, `${label}: ${JSON.stringify(found)}`);
    let afterFix = '-';
    if (found.length === 1) {
      const { uri, finding } = found[0];
      assert.ok(finding.message.includes('dkim=fail, "signature verification failed"'), finding.message);
      assert.ok(uri.endsWith('/opendkim.conf'));
      // The quick-fix, applied on disk: the daemon's signatures now verify, and mailconf is content.
      applyFixOnDisk(uri, finding.fixes![0]);
      const conf = fs.readFileSync(path.join(signed.dir, 'opendkim.conf'), 'utf8');
      const fixedRun = signIn(signed.dir);
      assert.equal(fixedRun.outcome, 'signs a=ed25519-sha256', `${label} fixed:\n${conf}\n${fixedRun.describe()}`);
      const fixed = verifiers(fixedRun.signed!);
      afterFix = `after "${finding.fixes![0].title}": opendkim verifier: ${fixed.byOpendkim.result}; python3-dkim: ${fixed.byDkimpy}`;
      assert.equal(`${fixed.byOpendkim.result} ${fixed.byDkimpy}`, 'pass pass', `${label} fixed:\n${conf}\n${fixed.byOpendkim.describe()}`);
      assert.deepEqual(mailconfFindings(signed.dir).filter((f) => f.code === CODE), [], conf);
    }
    rows.push(`${label.padEnd(16)} opendkim verifier: ${byOpendkim.result}; python3-dkim: ${byDkimpy}; mailconf: ${found.length ? CODE : 'no finding'}; ${afterFix}`);
  }
  // RSA under simple/simple verifies, and mailconf says nothing: the failure is Ed25519's.
  const rsa = signWith({ file: writeKey('canon rsa', Buffer.from(named.dkim.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)) }, 'KeyTable', 'default', 'simple/simple');
  assert.equal(opendkimVerifies(rsa.signed!).result, 'pass');
  assert.deepEqual(mailconfFindings(rsa.dir).filter((f) => f.code === CODE), []);
  const rsaUnset = signWith({ file: writeKey('canon rsa unset', Buffer.from(named.dkim.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)) }, 'KeyTable', 'rsa-sha256', null);
  assert.equal(opendkimVerifies(rsaUnset.signed!).result, 'pass');
  assert.deepEqual(mailconfFindings(rsaUnset.dir).filter((f) => f.code === CODE), []);
  console.log(`# opendkim Ed25519 signatures by Canonicalization:\n${rows.map((l) => `#   ${l}`).join('\n')}`);
});
