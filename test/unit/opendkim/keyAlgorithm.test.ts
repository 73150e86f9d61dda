// opendkim/key-algorithm-mismatch: OpenDKIM 2.11 signs with the one SignatureAlgorithm of its
// opendkim.conf (default rsa-sha256), so an Ed25519 key under rsa-sha256 fails each message
// ("EVP_PKEY_get1_RSA() failed", then On-InternalError) and an RSA key under ed25519-sha256
// gives signatures nobody can verify. What the real daemon does with each pair is proved by
// test/integration/opendkimKeyFiles.test.ts; here: which key, which instance, which message.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { brief, checksOf, uriOf, withCode, workspaceOf } from './checksSupport';
import { setOpendkimEnvironment, type KeyFileInfo } from '../../../server/src/core/opendkim/checks/environment';
import { inlineKeyType, isInlineEd25519Key } from '../../../server/src/core/opendkim/checks/keyAlgorithm';
import type { DocumentKind } from '../../../server/src/core/kinds';

const CONF = '/etc/opendkim.conf';
const KT = '/etc/opendkim/key.table';
const ST = '/etc/opendkim/signing.table';
const KEY = '/etc/opendkim/keys/mail.private';
const FILE = { exists: true, isFile: true, mode: 0o600, owner: 'opendkim', group: 'opendkim' };
const RSA: KeyFileInfo = { ...FILE, isPrivateKey: true, algorithm: 'rsa', bits: 2048 };
const ED25519: KeyFileInfo = { ...FILE, isPrivateKey: true, algorithm: 'ed25519' };
const CODE = 'opendkim/key-algorithm-mismatch';
/** The key path in `mail example.org:mail:/etc/opendkim/keys/mail.private`. */
const KEY_RANGE = '0:22-0:53';

function tableSetup(info: KeyFileInfo, extraConf = '') {
  const ws = workspaceOf({
    [CONF]: `Socket inet:8891@localhost\nKeyTable ${KT}\nSigningTable refile:${ST}\n${extraConf}`,
    [KT]: `mail example.org:mail:${KEY}\n`,
    [ST]: '*@example.org mail\n',
  });
  setOpendkimEnvironment(ws, { keyFileInfo: (ref) => (ref.path === KEY ? info : undefined) });
  return ws;
}

function mismatchOf(info: KeyFileInfo, extraConf = '') {
  const f = checksOf(tableSetup(info, extraConf), KT);
  assert.deepEqual(brief(f), [`error ${CODE} ${KEY_RANGE}`], JSON.stringify(f));
  return f[0];
}

test('an Ed25519 key under the default rsa-sha256: the log line, the deferred mail, and the two ways out', () => {
  const f = mismatchOf(ED25519);
  const m = f.message;
  assert.match(m, /^\/etc\/opendkim\/keys\/mail\.private holds an Ed25519 key, but this OpenDKIM signs with rsa-sha256, the default \(opendkim\.conf sets no SignatureAlgorithm\)/);
  assert.match(m, /its log says "EVP_PKEY_get1_RSA\(\) failed"/);
  assert.match(m, /defers every message it should sign with this key \("451 4\.7\.0 resource unavailable"; On-InternalError tempfail, the default\)/);
  assert.match(m, /Use an RSA key in this instance \(opendkim-genkey -b 2048\)/);
  assert.match(m, /OpenDKIM instance of its own with SignatureAlgorithm ed25519-sha256, only Ed25519 keys and Canonicalization relaxed\/simple/);
  assert.match(m, /two OpenDKIM instances, each with its own SignatureAlgorithm, KeyTable, SigningTable and Socket, both sockets in smtpd_milters/);
  // Points at opendkim.conf, which has no SignatureAlgorithm line.
  assert.deepEqual(f.related?.map((r) => [r.uri, r.range.start.line]), [[uriOf(CONF), 0]]);
});

test('the same under an explicit rsa-sha256 or rsa-sha1, pointing at the line; On-InternalError decides the mail', () => {
  for (const alg of ['rsa-sha256', 'RSA-SHA1']) {
    const f = mismatchOf(ED25519, `SignatureAlgorithm ${alg}\n`);
    assert.match(f.message, new RegExp(`signs with ${alg.toLowerCase()} \\(SignatureAlgorithm in opendkim\\.conf line 4\\)`));
    assert.deepEqual(f.related?.map((r) => `${r.uri} ${r.range.start.line}:${r.range.start.character}`), [`${uriOf(CONF)} 3:19`]);
  }
  assert.match(mismatchOf(ED25519, 'On-InternalError reject\n').message, /rejects every message it should sign with this key \("550 5\.7\.0 resource unavailable"\)/);
  assert.match(mismatchOf(ED25519, 'On-Default accept\n').message, /lets every message it should sign with this key through unsigned/);
});

test('an RSA key under ed25519-sha256: no log line, a signature nobody can verify', () => {
  const m = mismatchOf(RSA, 'SignatureAlgorithm ed25519-sha256\n').message;
  assert.match(m, /^\/etc\/opendkim\/keys\/mail\.private holds an RSA key \(2048 bits\), but this OpenDKIM signs with ed25519-sha256 \(SignatureAlgorithm in opendkim\.conf line 4\)\./);
  assert.match(m, /logs no error, signs with this key anyway and labels the signature a=ed25519-sha256/);
  assert.match(m, /dkim=permerror, "unable to apply public key"/);
  assert.match(m, /Give this instance an Ed25519 key, or remove the SignatureAlgorithm line/);
  assert.doesNotMatch(m, /451/);
});

test('keys of the instance\'s type, and keys of unknown type, are fine', () => {
  const none = (info: KeyFileInfo, extra = '') => assert.deepEqual(brief(withCode(checksOf(tableSetup(info, extra), KT), CODE)), [], `${info.algorithm} ${extra}`);
  none(RSA);
  none(RSA, 'SignatureAlgorithm rsa-sha256\n');
  none(ED25519, 'SignatureAlgorithm ed25519-sha256\n');
  none(ED25519, 'signaturealgorithm ED25519-SHA256\n');
  none({ ...FILE, isPrivateKey: true }); // type unknown
  none({ ...FILE, unreadable: true });
  // An unknown value stops OpenDKIM from starting; that finding is opendkim.conf's.
  const ws = tableSetup(ED25519, 'SignatureAlgorithm ed448-sha256\n');
  assert.deepEqual(brief(withCode(checksOf(ws, KT), CODE)), []);
  assert.ok(checksOf(ws, CONF).some((f) => f.code === 'opendkim/unknown-signature-algorithm'));
});

test('an EC key is refused under either algorithm', () => {
  const ec: KeyFileInfo = { ...FILE, isPrivateKey: true, algorithm: 'ec' };
  assert.match(mismatchOf(ec).message, /holds an EC \(ECDSA\) key, .*"EVP_PKEY_get1_RSA\(\) failed".*DKIM keys are RSA or Ed25519/);
  assert.match(mismatchOf(ec, 'SignatureAlgorithm ed25519-sha256\n').message, /holds an EC \(ECDSA\) key, .*a=ed25519-sha256/);
});

test('no double report: a key OpenDKIM cannot load gets key-not-private-key only', () => {
  for (const reason of ['text-before-pem', 'der', 'encrypted'] as const) {
    const info: KeyFileInfo = { ...FILE, isPrivateKey: false, notKeyReason: reason, algorithm: 'ed25519', leadingText: reason === 'text-before-pem' ? 'blank-lines' : undefined };
    assert.deepEqual(brief(checksOf(tableSetup(info), KT)), [`error opendkim/key-not-private-key ${KEY_RANGE}`], reason);
  }
  // Both problems of a loadable key are its own: too short and of the wrong type.
  const short = checksOf(tableSetup({ ...RSA, bits: 512 }, 'SignatureAlgorithm ed25519-sha256\n'), KT);
  assert.deepEqual(brief(short).sort(), [`error ${CODE} ${KEY_RANGE}`, `error opendkim/key-too-short ${KEY_RANGE}`]);
});

test('KeyFile (without a KeyTable) is judged against its own opendkim.conf', () => {
  const conf = (extra: string) => `Socket inet:8891@localhost\nDomain example.org\nSelector mail\nKeyFile ${KEY}\n${extra}`;
  const run = (info: KeyFileInfo, extra = '') => {
    const ws = workspaceOf({ [CONF]: conf(extra) });
    setOpendkimEnvironment(ws, { keyFileInfo: (ref) => (ref.path === KEY ? info : undefined) });
    return checksOf(ws, CONF);
  };
  const f = run(ED25519);
  assert.deepEqual(brief(f), [`error ${CODE} 3:8-3:39`]);
  assert.match(f[0].message, /EVP_PKEY_get1_RSA/);
  // (Canonicalization relaxed/simple: OpenDKIM's Ed25519 signatures need it, ed25519Canonicalization.test.ts.)
  assert.deepEqual(brief(run(RSA, 'SignatureAlgorithm ed25519-sha256\nCanonicalization relaxed/simple\n')), [`error ${CODE} 3:8-3:39`]);
  assert.deepEqual(brief(run(ED25519, 'SignatureAlgorithm ed25519-sha256\nCanonicalization relaxed/simple\n')), []);
});

test('a KeyTable no opendkim.conf loads is not judged (the algorithm is unknown)', () => {
  const ws = workspaceOf({ [KT]: `mail example.org:mail:${KEY}\n` });
  setOpendkimEnvironment(ws, { keyFileInfo: () => ED25519 });
  assert.deepEqual(brief(withCode(checksOf(ws, KT), CODE)), []);
});

test('dual signing done right: two instances share the KeyTable, each SigningTable names only keys of its type', () => {
  const ED_CONF = '/etc/opendkim/ed25519.conf';
  const ED_ST = '/etc/opendkim/signing-ed25519.table';
  const RSA_KEY = '/etc/opendkim/keys/rsa.private';
  const ED_KEY = '/etc/opendkim/keys/ed.private';
  const kinds: Record<string, DocumentKind> = { [ED_CONF]: 'opendkim-conf', [ED_ST]: 'opendkim-signingtable' };
  const files = (rsaSigning: string) => ({
    [CONF]: `Socket local:/run/opendkim/opendkim.sock\nKeyTable ${KT}\nSigningTable refile:${ST}\n`,
    [ED_CONF]: `Socket local:/run/opendkim/ed25519.sock\nSignatureAlgorithm ed25519-sha256\nKeyTable ${KT}\nSigningTable refile:${ED_ST}\n`,
    [KT]: `rsa example.org:rsa:${RSA_KEY}\ned example.org:ed:${ED_KEY}\n`,
    [ST]: rsaSigning,
    [ED_ST]: '*@example.org ed\n',
  });
  const infos: Record<string, KeyFileInfo> = { [RSA_KEY]: RSA, [ED_KEY]: ED25519 };
  const ws = workspaceOf(files('*@example.org rsa\n'), kinds);
  setOpendkimEnvironment(ws, { keyFileInfo: (ref) => infos[ref.path] });
  assert.deepEqual(brief(withCode(checksOf(ws, KT), CODE)), []);
  // The RSA instance's SigningTable also names the Ed25519 key: that instance fails on it.
  const wrong = workspaceOf(files('*@example.org rsa\n*@example.org ed\n'), kinds);
  setOpendkimEnvironment(wrong, { keyFileInfo: (ref) => infos[ref.path] });
  const f = withCode(checksOf(wrong, KT), CODE);
  assert.deepEqual(brief(f), [`error ${CODE} 1:18-1:47`]);
  assert.match(f[0].message, /holds an Ed25519 key, but this OpenDKIM signs with rsa-sha256, the default \(opendkim\.conf sets no SignatureAlgorithm\)/);
  // A `%` key name may pick any key: the Ed25519 instance may sign with the RSA key.
  const any = workspaceOf({ ...files('*@example.org rsa\n'), [ED_ST]: '*@example.org %\n' }, kinds);
  setOpendkimEnvironment(any, { keyFileInfo: (ref) => infos[ref.path] });
  const g = withCode(checksOf(any, KT), CODE);
  assert.deepEqual(brief(g), [`error ${CODE} 0:20-0:50`]);
  assert.match(g[0].message, /holds an RSA key \(2048 bits\), but this OpenDKIM signs with ed25519-sha256 \(SignatureAlgorithm in ed25519\.conf line 2\)/);
});

// Inline keys: OpenDKIM decodes inline data starting "MII" as base64 DER (an RSA key).
const rsa1024 = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
const INLINE_PKCS1 = (rsa1024.export({ type: 'pkcs1', format: 'der' }) as Buffer).toString('base64');
const INLINE_PKCS8 = (rsa1024.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64');
const INLINE_ED = (crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64');

test('inlineKeyType: RSA in PKCS#1 and PKCS#8 from the first bytes; nothing else', () => {
  assert.equal(inlineKeyType(INLINE_PKCS1), 'rsa');
  assert.equal(inlineKeyType(INLINE_PKCS8), 'rsa');
  assert.equal(inlineKeyType(INLINE_ED), undefined);
  const ec = (crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64');
  assert.equal(inlineKeyType(ec), undefined);
  for (const junk of ['', 'MII', 'MIIxyz', 'MII!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKc'.slice(0, 20)]) assert.equal(inlineKeyType(junk), undefined, junk);
});

test('a key written inline: an RSA key under ed25519-sha256 is reported without showing the key', () => {
  for (const key of [INLINE_PKCS1, INLINE_PKCS8]) {
    const kt = `mail example.org:mail:${key}\n`;
    const run = (extra: string) => {
      const ws = workspaceOf({ [CONF]: `Socket inet:8891@localhost\nKeyTable ${KT}\nSigningTable refile:${ST}\n${extra}`, [KT]: kt, [ST]: '*@example.org mail\n' });
      return withCode(checksOf(ws, KT), CODE);
    };
    const f = run('SignatureAlgorithm ed25519-sha256\n');
    assert.deepEqual(brief(f), [`error ${CODE} 0:22-0:${22 + key.length}`]);
    assert.match(f[0].message, /^The key written inline for "mail" holds an RSA key, but this OpenDKIM signs with ed25519-sha256/);
    assert.ok(!JSON.stringify(f).includes(key.slice(0, 12)), 'no key material in the finding');
    assert.deepEqual(run(''), []);
  }
  // An inline Ed25519 key is not taken for RSA (OpenDKIM cannot load it inline at all).
  const ws = workspaceOf({ [CONF]: `Socket inet:8891@localhost\nKeyTable ${KT}\nSigningTable refile:${ST}\n`, [KT]: `mail example.org:mail:${INLINE_ED}\n`, [ST]: '*@example.org mail\n' });
  assert.deepEqual(brief(withCode(checksOf(ws, KT), CODE)), []);
});

test('isInlineEd25519Key: PKCS#8 Ed25519 (with or without its public key), nothing else', () => {
  assert.ok(isInlineEd25519Key(INLINE_ED));
  assert.ok(INLINE_ED.startsWith('MC4'));
  // RFC 8410's OneAsymmetricKey v2 (version 1, the public key appended), as some tools write it.
  const der = Buffer.from(INLINE_ED, 'base64');
  const pub = Buffer.concat([Buffer.from([0x81, 0x21, 0x00]), Buffer.alloc(32, 7)]);
  const v2 = Buffer.concat([Buffer.from([0x30, der[1] + pub.length]), der.subarray(2, 4), Buffer.from([0x01]), der.subarray(5), pub]);
  assert.ok(isInlineEd25519Key(v2.toString('base64')));
  assert.equal(isInlineEd25519Key(INLINE_PKCS1), false);
  assert.equal(isInlineEd25519Key(INLINE_PKCS8), false);
  const ec = (crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64');
  const x25519 = (crypto.generateKeyPairSync('x25519').privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64');
  for (const other of [ec, x25519, '', 'MC4', 'MC4CAQAwBQYDK2Vx', '/etc/opendkim/keys/ed.private', INLINE_ED.slice(0, 15)]) assert.equal(isInlineEd25519Key(other), false, other);
});

test('a key written inline that is Ed25519: key-not-private-key with the reason, under any algorithm, without showing the key', () => {
  for (const extra of ['', 'SignatureAlgorithm ed25519-sha256\nCanonicalization relaxed/simple\n', 'On-InternalError accept\n']) {
    const ws = workspaceOf({ [CONF]: `Socket inet:8891@localhost\nKeyTable ${KT}\nSigningTable refile:${ST}\n${extra}`, [KT]: `mail example.org:mail:${INLINE_ED}\n`, [ST]: '*@example.org mail\n' });
    const f = checksOf(ws, KT);
    // Only this: not also key-algorithm-mismatch under rsa-sha256 (the key never loads).
    assert.deepEqual(brief(f), [`error opendkim/key-not-private-key 0:22-0:${22 + INLINE_ED.length}`], extra);
    const m = f[0].message;
    assert.match(m, /^The key written inline for "mail" is an Ed25519 private key \(base64 DER\)\./);
    assert.match(m, /decodes key data written in the KeyTable only when it starts with "MII"/);
    assert.match(m, /its log says "d2i_PrivateKey_bio\(\) failed"/);
    assert.match(m, extra.startsWith('On-') ? /lets every message it should sign with this key through unsigned/ : /"451 4\.7\.0 resource unavailable"/);
    assert.match(m, /Put the key in a file: .*-----BEGIN PRIVATE KEY-----.*write that file's absolute path as the third field/);
    assert.ok(!JSON.stringify(f).includes(INLINE_ED.slice(0, 12)), 'no key material in the finding');
    assert.ok(!JSON.stringify(f).includes(INLINE_ED.slice(-16)), 'no key material in the finding');
  }
  // An inline RSA key under the default rsa-sha256 gets no finding.
  const rsa = workspaceOf({ [CONF]: `Socket inet:8891@localhost\nKeyTable ${KT}\nSigningTable refile:${ST}\n`, [KT]: `mail example.org:mail:${INLINE_PKCS1}\n`, [ST]: '*@example.org mail\n' });
  assert.deepEqual(brief(checksOf(rsa, KT)), []);
});
