import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, keyTable, r, signingTable } from './helpers';
import { signingPatternKind } from '../../../server/src/core/opendkim/tableParser';

test('KeyTable: name and domain:selector:key with exact ranges; comments anywhere', () => {
  const { tree, findings } = keyTable([
    '#Name Hostname:Selektor:Filename',
    'default._domainkey.example.com   example.com:default:/etc/opendkim/keys/example.com/default.private  # key',
    'key2\t%:s2025:/etc/dkim/%.private',
  ].join('\n'));
  assert.deepEqual(findings, []);
  const [a, b] = tree.entries;
  assert.equal(a.name.text, 'default._domainkey.example.com');
  assert.equal(r(a.name.range), '1:0-1:30');
  assert.equal(a.domain?.text, 'example.com');
  assert.equal(r(a.domain!.range), '1:33-1:44');
  assert.equal(a.selector?.text, 'default');
  assert.equal(r(a.selector!.range), '1:45-1:52');
  assert.equal(a.key?.text, '/etc/opendkim/keys/example.com/default.private');
  assert.equal(r(a.key!.range), '1:53-1:99');
  assert.equal(a.keyKind, 'path');
  assert.equal(r(a.range), '1:0-1:99');
  assert.equal(b.domain?.text, '%', '% stands for the sender domain');
  assert.deepEqual(tree.comments.map((c) => [c.text, c.wholeLine]), [['#Name Hostname:Selektor:Filename', true], ['# key', false]]);
});

test('KeyTable: the key keeps further colons and may be inline key data', () => {
  const { tree, findings } = keyTable('k1 example.com:sel:./keys/k1:old.private\nk2 example.com:sel:MIICdQIBADANBgkqhkiG9w0BAQEFAASCAl8wggJbAgEAAoGBAL' + 'A'.repeat(40) + '\n');
  assert.deepEqual(findings, []);
  assert.equal(tree.entries[0].key?.text, './keys/k1:old.private');
  assert.equal(tree.entries[0].keyKind, 'path');
  assert.equal(tree.entries[1].keyKind, 'data');
});

test('KeyTable: malformed values (keytable-bad-key-spec)', () => {
  const cases: Array<[string, string]> = [
    ['key1', 'error opendkim/keytable-bad-key-spec 0:0-0:4'],
    ['key2 example.net:ts', 'error opendkim/keytable-bad-key-spec 0:5-0:19'],
    ['key3 default._domainkey.example.com', 'error opendkim/keytable-bad-key-spec 0:5-0:35'],
    ['key4 :sel:/k', 'error opendkim/keytable-bad-key-spec 0:5-0:6'],
    ['key5 example.com::/k', 'error opendkim/keytable-bad-key-spec 0:16-0:18'],
    ['key6 example.com:sel:', 'error opendkim/keytable-bad-key-spec 0:20-0:21'],
    ['key7 example.com: sel:/k', 'error opendkim/keytable-bad-key-spec 0:17-0:21'],
  ];
  for (const [text, expected] of cases) assert.deepEqual(brief(keyTable(text).findings), [expected], text);
  const two = keyTable('key2 example.net:ts').tree.entries[0];
  assert.equal(two.domain?.text, 'example.net');
  assert.equal(two.selector?.text, 'ts');
  assert.equal(two.key, undefined);
});

test('KeyTable: a relative key file name is read as key data; extra words join the file name', () => {
  assert.deepEqual(brief(keyTable('key1\texample.com:ts:testkey.private\n').findings), ['warning opendkim/keytable-relative-key-path 0:20-0:35']);
  assert.deepEqual(brief(keyTable('k example.com:s:keys/example.private').findings), ['warning opendkim/keytable-relative-key-path 0:16-0:36']);
  assert.deepEqual(keyTable('k example.com:s:DOMAINKEYS_PRIVATE_KEY_PATH_PLACEHOLDER').findings, [], 'a placeholder is not a path');
  assert.deepEqual(keyTable('{{ name }} {{ domain }}:{{ selector }}:{{ key_dir }}/x.private').findings, [], 'Jinja placeholders hold blanks');
  assert.deepEqual(signingTable('*@{{ domain }} {{ key_name }}').findings, []);
  assert.deepEqual(brief(keyTable('k example.com:s:/etc/k.private extra').findings), ['warning opendkim/table-extra-field 0:30-0:36']);
});

test('KeyTable: lines longer than OpenDKIM\'s 1024-byte buffer are split', () => {
  const long = `k example.com:s:${'A'.repeat(1100)}`;
  assert.deepEqual(brief(keyTable(long).findings), ['error opendkim/table-line-too-long 0:1022-0:1116']);
  const exact = `k example.com:s:/${'a'.repeat(1022 - 17)}`;
  assert.equal(exact.length, 1022);
  assert.deepEqual(keyTable(exact).findings.filter((f) => f.code === 'opendkim/table-line-too-long'), []);
  // Bytes, not characters: 400 three-byte characters are 1200 bytes.
  assert.equal(keyTable(`# ${'€'.repeat(400)}`).findings[0]?.code, 'opendkim/table-line-too-long');
});

test('SigningTable: pattern, key name and optional signer with exact ranges', () => {
  const { tree, findings } = signingTable([
    '# Domain keyname',
    '*@example.com    default._domainkey.example.com',
    'example.net\tkey2:%',
    'user@example.org key3:user@example.org',
  ].join('\n'));
  assert.deepEqual(findings, []);
  const [a, b, c] = tree.entries;
  assert.equal(a.pattern.text, '*@example.com');
  assert.equal(r(a.pattern.range), '1:0-1:13');
  assert.equal(a.patternKind, 'glob');
  assert.equal(a.keyName?.text, 'default._domainkey.example.com');
  assert.equal(r(a.keyName!.range), '1:17-1:47');
  assert.equal(a.signer, undefined);
  assert.equal(b.patternKind, 'domain');
  assert.equal(b.keyName?.text, 'key2');
  assert.equal(b.signer?.text, '%');
  assert.equal(r(b.signer!.range), '2:17-2:18');
  assert.equal(c.patternKind, 'address');
  assert.equal(c.signer?.text, 'user@example.org');
});

test('SigningTable: pattern kinds follow OpenDKIM\'s lookup order', () => {
  assert.equal(signingPatternKind('user@example.com'), 'address');
  assert.equal(signingPatternKind('example.com'), 'domain');
  assert.equal(signingPatternKind('user@.example.com'), 'address-subdomains');
  assert.equal(signingPatternKind('.example.com'), 'subdomains');
  assert.equal(signingPatternKind('user@*'), 'user-any-domain');
  assert.equal(signingPatternKind('*'), 'any');
  assert.equal(signingPatternKind('*@*.example.com'), 'glob');
  assert.equal(signingPatternKind('*@%(domain)s'), 'template');
});

test('SigningTable: missing or empty key name; extra words', () => {
  assert.deepEqual(brief(signingTable('*@example.com\n').findings), ['error opendkim/signingtable-missing-key-name 0:0-0:13']);
  assert.deepEqual(brief(signingTable('*@example.com   # no key\n').findings), ['error opendkim/signingtable-missing-key-name 0:0-0:13']);
  assert.deepEqual(brief(signingTable('*@example.com :signer@example.com').findings), ['error opendkim/signingtable-missing-key-name 0:14-0:15']);
  assert.deepEqual(brief(signingTable('*@example.com key1 key2').findings), ['warning opendkim/table-extra-field 0:18-0:23']);
});

test('tables: typographic quotes, NBSP, BOM and a lone CR', () => {
  assert.deepEqual(brief(signingTable('*@example.com “key1”').findings), ['error opendkim/typographic-quotes 0:14-0:20']);
  assert.deepEqual(brief(signingTable('*@example.com\u00a0key1').findings), ['error opendkim/non-breaking-space 0:13-0:14']);
  const bom = keyTable('\ufeffk example.com:s:/k\n');
  assert.deepEqual(brief(bom.findings), ['warning opendkim/byte-order-mark 0:0-0:1']);
  assert.equal(bom.tree.entries[0].name.text, 'k');
  assert.deepEqual(brief(signingTable('a k1\rb k2\n').findings), ['error opendkim/cr-line-ending 0:4-1:0']);
  assert.deepEqual(signingTable('a k1\r\nb k2\r\n').findings, []);
});
