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

const DOMAIN = 'mailconf.test';
const SELECTOR = 'good';
const OPENDKIM = '/usr/sbin/opendkim';
const TESTKEY = '/usr/sbin/opendkim-testkey';
const SETSID = '/usr/bin/setsid';
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
  const conf = path.join(dir, 'opendkim.conf');
  // /tmp is writable by everyone, so OpenDKIM would call any key below it unsafe.
  let text = `Mode s\nSyslog no\nRequireSafeKeys no\nResolverConfiguration ${unboundConf}\n`;
  if (how === 'KeyTable') {
    fs.writeFileSync(path.join(dir, 'KeyTable'), `mail ${DOMAIN}:${SELECTOR}:${keyFile}\n`);
    fs.writeFileSync(path.join(dir, 'SigningTable'), `*@${DOMAIN} mail\n`);
    text += `KeyTable ${path.join(dir, 'KeyTable')}\nSigningTable refile:${path.join(dir, 'SigningTable')}\n`;
  } else {
    text += `Domain ${DOMAIN}\nSelector ${SELECTOR}\nKeyFile ${keyFile}\n`;
  }
  fs.writeFileSync(conf, text);
  const message = path.join(dir, 'message.eml');
  fs.writeFileSync(message, MESSAGE);
  const args = [OPENDKIM, '-x', conf, '-t', message, '-vvv'];
  const r = run(SETSID, args, { input: '', timeoutMs: 30_000 });
  const out = r.stdout + r.stderr;
  const signed = /mlfi_eom\(\) returned SMFIS_ACCEPT/.test(out) &&
    new RegExp(`INSHEADER: idx=0 hname='DKIM-Signature' hvalue='v=1; a=rsa-sha256; [^']*d=${DOMAIN.replace('.', '\\.')}; s=${SELECTOR};`).test(out);
  const failed = /no signature added: (.*)$/m.exec(out)?.[1]?.trim();
  const tempfail = /mlfi_eom\(\) returned SMFIS_TEMPFAIL/.test(out) && /SETREPLY: rcode='451' xcode='4\.7\.0' replytxt='resource unavailable'/.test(out);
  return { outcome: signed ? 'signs' : failed && tempfail ? failed : `unexpected: ${out.slice(-600)}`, args, r };
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
