// opendkim/key-not-private-key says what is wrong with the file OpenDKIM cannot load
// (KeyFileInfo.notKeyReason), what OpenDKIM then logs and does with the mail (On-InternalError),
// and the command that fixes it; the KeyTable hover names the problem in a few words. The
// facts themselves come from test/unit/opendkim/keyFileInfo.test.ts and the real OpenDKIM
// (test/integration/opendkimKeyFiles.test.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, checksOf, doc, workspaceOf } from './checksSupport';
import { setOpendkimEnvironment, type KeyFileInfo } from '../../../server/src/core/opendkim/checks/environment';
import { keyFileFindings } from '../../../server/src/core/opendkim/checks/keyFiles';
import { keyEntryMarkdown } from '../../../server/src/core/features/opendkim/tables';
import { keyTableTree } from '../../../server/src/core/opendkim/checks/links';

const CONF = '/etc/opendkim.conf';
const KT = '/etc/opendkim/key.table';
const ST = '/etc/opendkim/signing.table';
const KEY = '/etc/opendkim/keys/mail.private';
const RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 10 } };
const FILE = { exists: true, isFile: true, mode: 0o600, owner: 'opendkim', group: 'opendkim' };

function setup(info: KeyFileInfo, extraConf = '') {
  const ws = workspaceOf({
    [CONF]: `Socket inet:8891@localhost\nUserID opendkim\nKeyTable ${KT}\nSigningTable refile:${ST}\n${extraConf}`,
    [KT]: `mail example.org:mail:${KEY}\n`,
    [ST]: '*@example.org mail\n',
  });
  setOpendkimEnvironment(ws, { keyFileInfo: (ref) => (ref.path === KEY ? info : undefined) });
  return ws;
}

function messageFor(info: KeyFileInfo, extraConf = ''): string {
  const f = checksOf(setup(info, extraConf), KT);
  assert.deepEqual(brief(f), ['error opendkim/key-not-private-key 0:22-0:53'], JSON.stringify(f));
  return f[0].message;
}

function hoverLine(info: KeyFileInfo): string {
  const ws = setup(info);
  const kt = doc(ws, KT);
  const md = keyEntryMarkdown(ws, kt, keyTableTree(kt)!.entries[0]);
  return md.split('\n\n').find((l) => l.startsWith('Private key file:'))!;
}

test('a passphrase: no way to give it, the log line, and the openssl command that removes it', () => {
  const info: KeyFileInfo = { ...FILE, isPrivateKey: false, notKeyReason: 'encrypted' };
  const m = messageFor(info);
  assert.match(m, /^\/etc\/opendkim\/keys\/mail\.private holds a private key protected by a passphrase\. /);
  assert.match(m, /"PEM_read_bio_PrivateKey\(\) failed"/);
  assert.match(m, /defers every message it should sign with this key \("451 4\.7\.0 resource unavailable"; On-InternalError tempfail, the default\)/);
  assert.ok(m.endsWith(`openssl pkey -in ${KEY} -out ${KEY}.new && chown opendkim ${KEY}.new && mv ${KEY}.new ${KEY}`), m);
  assert.equal(hoverLine(info), `Private key file: \`${KEY}\` — protected by a passphrase, which OpenDKIM cannot load, mode 600`);
});

test('text before -----BEGIN: the key is fine, what to remove, and why opendkim-testkey disagrees', () => {
  const cases: Array<[KeyFileInfo['leadingText'], RegExp, string]> = [
    ['blank-lines', /but an empty line comes before its -----BEGIN line/, 'text before -----BEGIN'],
    ['byte-order-mark', /but an invisible UTF-8 byte order mark \(some editors add one\) comes before/, 'a byte order mark before -----BEGIN'],
    ['bag-attributes', /but "Bag Attributes" lines \(as openssl pkcs12 -nodes writes them\) come before/, '"Bag Attributes" lines before -----BEGIN'],
    ['text', /but other text comes before its -----BEGIN line/, 'text before -----BEGIN'],
  ];
  for (const [leadingText, words, hover] of cases) {
    const info: KeyFileInfo = { ...FILE, isPrivateKey: false, notKeyReason: 'text-before-pem', leadingText, algorithm: 'rsa', bits: 2048 };
    const m = messageFor(info);
    assert.match(m, /^The key in \/etc\/opendkim\/keys\/mail\.private is fine, /);
    assert.match(m, words);
    assert.match(m, /OpenDKIM reads a key file as PEM only when it starts with "-----"/);
    assert.match(m, /"d2i_PrivateKey_bio\(\) failed"; opendkim-testkey still says "key OK"/);
    assert.match(m, /Delete everything before -----BEGIN, or let OpenSSL rewrite the file: openssl pkey -in \S+ -out \S+\.new && chown opendkim \S+\.new && mv /);
    assert.equal(hoverLine(info), `Private key file: \`${KEY}\` — ${hover}, which OpenDKIM cannot load, mode 600`);
  }
});

test('DER, the DNS record, a public key, nothing recognisable: each says what it is and what to name instead', () => {
  const der = messageFor({ ...FILE, isPrivateKey: false, notKeyReason: 'der', algorithm: 'rsa', bits: 2048 });
  assert.match(der, /holds a private key in binary DER form\. OpenDKIM reads a key file as text, up to its first zero byte/);
  assert.match(der, /"d2i_PrivateKey_bio\(\) failed"/);
  assert.match(der, /Convert it to PEM: openssl pkey -inform DER -in \/etc\/opendkim\/keys\/mail\.private -out /);

  const record = messageFor({ ...FILE, isPrivateKey: false, notKeyReason: 'dns-record' });
  assert.match(record, /holds the DKIM DNS record \(v=DKIM1; … p=…\), not the private key: it is the \.txt file opendkim-genkey writes/);
  assert.match(record, /"d2i_PrivateKey_bio\(\) failed"/);
  assert.match(record, /Name the private key instead: the \.private file/);
  assert.doesNotMatch(record, /openssl/);

  const pub = messageFor({ ...FILE, isPrivateKey: false, notKeyReason: 'public-key' });
  assert.match(pub, /holds a public key, but signing needs the private key/);
  assert.match(pub, /"PEM_read_bio_PrivateKey\(\) failed"/);
  assert.match(pub, /the public key belongs in DNS, as p= of the selector's TXT record/);

  const unknown = messageFor({ ...FILE, isPrivateKey: false });
  assert.match(unknown, /does not hold a private key OpenDKIM can load \(a PEM file starting with -----BEGIN PRIVATE KEY-----/);
  assert.match(unknown, /so it defers every message it should sign/);

  assert.match(hoverLine({ ...FILE, isPrivateKey: false, notKeyReason: 'der' }), /— a binary DER key, which OpenDKIM cannot load, mode 600$/);
  assert.match(hoverLine({ ...FILE, isPrivateKey: false, notKeyReason: 'dns-record' }), /— the DKIM DNS record, not the private key, mode 600$/);
  assert.match(hoverLine({ ...FILE, isPrivateKey: false, notKeyReason: 'public-key' }), /— a public key, not the private key, mode 600$/);
  assert.match(hoverLine({ ...FILE, isPrivateKey: false }), /— not a private key, mode 600$/);
});

test('what happens to the mail follows On-InternalError, else On-Default', () => {
  const info: KeyFileInfo = { ...FILE, isPrivateKey: false, notKeyReason: 'der', algorithm: 'rsa', bits: 2048 };
  assert.match(messageFor(info, 'On-InternalError accept\n'), /lets every message it should sign with this key through unsigned \(On-InternalError accept\)/);
  assert.match(messageFor(info, 'On-Default reject\n'), /rejects every message it should sign with this key \("550 5\.7\.0 resource unavailable"\)/);
  assert.match(messageFor(info, 'On-Default reject\nOn-InternalError t\n'), /defers every message/);
  assert.match(messageFor(info, 'On-InternalError discard\n'), /silently discards every message/);
  assert.match(messageFor(info, 'On-InternalError quarantine\n'), /quarantines every message/);
});

test('the owner in the fix: kept when it is a user, left out for root or when unknown; a usable key gets no such finding', () => {
  const kc = { safeKeys: true };
  const msg = (info: KeyFileInfo) => keyFileFindings(info, KEY, RANGE, kc).map((f) => f.message).join('\n');
  assert.ok(msg({ ...FILE, owner: 'root', isPrivateKey: false, notKeyReason: 'encrypted' }).endsWith(`openssl pkey -in ${KEY} -out ${KEY}.new && mv ${KEY}.new ${KEY}`));
  assert.ok(msg({ exists: true, isFile: true, isPrivateKey: false, notKeyReason: 'der' }).endsWith(`openssl pkey -inform DER -in ${KEY} -out ${KEY}.new && mv ${KEY}.new ${KEY}`));
  assert.deepEqual(keyFileFindings({ ...FILE, isPrivateKey: true, algorithm: 'rsa', bits: 2048 }, KEY, RANGE, kc), []);
  // A key OpenDKIM cannot load is not also called too short: the first thing to fix is the file.
  const codes = keyFileFindings({ ...FILE, isPrivateKey: false, notKeyReason: 'text-before-pem', leadingText: 'blank-lines', algorithm: 'rsa', bits: 512 }, KEY, RANGE, kc).map((f) => f.code);
  assert.deepEqual(codes, ['opendkim/key-not-private-key']);
});
