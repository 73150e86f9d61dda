import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectKind, kindFromName, looksLikeZone, sniffTable, languageIdOf, ALL_KINDS } from '../../../server/src/core/kinds';

test('file names decide the kind', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['main.cf', 'postfix', 'postfix-main'],
    ['master.cf', 'postfix', 'postfix-master'],
    ['opendkim.conf', 'etc', 'opendkim-conf'],
    ['opendkim', 'default', 'opendkim-default'],
    ['opendkim', 'sbin', undefined],
    ['KeyTable', 'opendkim', 'opendkim-keytable'],
    ['key.table', 'opendkim', 'opendkim-keytable'],
    ['keytable', 'dkimkeys', 'opendkim-keytable'],
    ['SigningTable', 'opendkim', 'opendkim-signingtable'],
    ['signing.table', 'opendkim', 'opendkim-signingtable'],
    ['signingtable', 'dkimkeys', 'opendkim-signingtable'],
    ['TrustedHosts', 'opendkim', 'opendkim-hostlist'],
    ['trusted.hosts', 'opendkim', 'opendkim-hostlist'],
    ['trustedhosts', 'dkimkeys', 'opendkim-hostlist'],
    ['InternalHosts', 'opendkim', 'opendkim-hostlist'],
    ['ExternalIgnoreList', 'opendkim', 'opendkim-hostlist'],
    ['example.org.zone', 'zones', 'dns-zone'],
    ['db.example.org', 'bind', 'dns-zone'],
    ['virtual.db', 'postfix', undefined], // a Postfix hash map: decided by content only
    ['README', 'etc', undefined],
  ];
  for (const [name, parent, expected] of cases) assert.equal(kindFromName(name, parent), expected, name);
});

test('*.cf is main.cf only beside a master.cf', () => {
  assert.equal(kindFromName('backup_mx.cf', 'postfix', true), 'postfix-main');
  assert.equal(kindFromName('backup_mx.cf', 'postfix', false), undefined);
});

test("our language id wins; other editors' ids and plain text fall back to name and content", () => {
  assert.equal(detectKind({ languageId: 'postfix-main', path: '/tmp/whatever.txt' }), 'postfix-main');
  assert.equal(detectKind({ languageId: 'pfmain', path: '/tmp/x' }), 'postfix-main');
  assert.equal(detectKind({ languageId: 'bindzone', path: '/tmp/x' }), 'dns-zone');
  assert.equal(detectKind({ languageId: 'plaintext', path: '/etc/postfix/master.cf' }), 'postfix-master');
  assert.equal(detectKind({ languageId: 'plaintext', path: 'file:///etc/default/opendkim' }), 'opendkim-default');
  assert.equal(detectKind({ languageId: 'opendkim-conf', path: '/etc/default/opendkim' }), 'opendkim-default');
  assert.equal(detectKind({ languageId: 'plaintext', path: '/srv/records.txt', text: '$TTL 3600\n@ IN SOA a. b. 1 2 3 4 5\n' }), 'dns-zone');
  assert.equal(detectKind({ languageId: 'plaintext', path: '/srv/notes.txt', text: 'hello world\n' }), undefined);
});

test('opendkim-table documents with unusual names are told apart by their lines', () => {
  assert.equal(detectKind({ languageId: 'opendkim-table', path: '/etc/opendkim/keys.map', text: '# c\nk1 example.com:sel:/etc/k.private\n' }), 'opendkim-keytable');
  assert.equal(detectKind({ languageId: 'opendkim-table', path: '/etc/opendkim/trusted', text: '127.0.0.1\n::1\n' }), 'opendkim-hostlist');
  assert.equal(sniffTable('*@example.com k1\n'), 'opendkim-signingtable');
  assert.equal(sniffTable(''), 'opendkim-hostlist');
});

test('zone content sniffing: directives, records, and not-zones', () => {
  assert.ok(looksLikeZone('$ORIGIN example.com.\n'));
  assert.ok(looksLikeZone('; comment\n\n4400._domainkey IN  TXT ( "v=DKIM1; k=rsa; "\n'));
  assert.ok(looksLikeZone('example.com. 3600 IN MX 10 mail.example.com.\n'));
  assert.ok(!looksLikeZone('myhostname = mail.example.com\n'));
  assert.ok(!looksLikeZone('\u0000\u0001binary'));
});

test('every kind maps to one of the five language ids', () => {
  const ids = new Set(ALL_KINDS.map(languageIdOf));
  assert.deepEqual([...ids].sort(), ['dns-zone', 'opendkim-conf', 'opendkim-table', 'postfix-main', 'postfix-master']);
});
