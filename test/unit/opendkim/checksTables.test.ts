// Cross-file checks: opendkim.conf → KeyTable / SigningTable / host lists → key files,
// resolved against the folder that plays /etc. Exact ranges and applied quick-fixes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ROOT, add, applyFix, applyFixInPlace, brief, checksOf, doc, uriOf, withCode, workspaceOf,
} from './checksSupport';
import { setOpendkimEnvironment, type KeyFileInfo, type KeyFileRef } from '../../../server/src/core/opendkim/checks/environment';
import {
  configRootOf, confsUsing, opendkimFilesWanted, opendkimTables, resolveServerPath,
} from '../../../server/src/core/opendkim/checks/links';

const CONF = '/etc/opendkim.conf';
const KT = '/etc/opendkim/key.table';
const ST = '/etc/opendkim/signing.table';
const HOSTS = '/etc/opendkim/trusted.hosts';

const conf = (signing = 'refile:/etc/opendkim/signing.table') =>
  `Socket inet:8891@localhost\nKeyTable /etc/opendkim/key.table\nSigningTable ${signing}\nInternalHosts /etc/opendkim/trusted.hosts\n`;
const KEYS = 'mail._domainkey.example.com example.com:mail:/etc/opendkim/keys/example.com/mail.private\n';

test('paths resolve against the folder that plays /etc', () => {
  const ws = workspaceOf({ [CONF]: conf(), [KT]: KEYS, [ST]: '*@example.com mail._domainkey.example.com\n', [HOSTS]: '127.0.0.1\n' });
  const c = doc(ws, CONF);
  assert.equal(configRootOf(ws, c), ROOT);
  const t = opendkimTables(ws, c);
  assert.equal(t.keyTable?.doc?.uri, uriOf(KT));
  assert.equal(t.signingTable?.datasetType, 'refile');
  assert.equal(t.signingTable?.doc?.uri, uriOf(ST));
  assert.equal(t.internalHosts?.doc?.uri, uriOf(HOSTS));
  assert.deepEqual(confsUsing(ws, doc(ws, KT)).map((u) => u.link.optionName), ['KeyTable']);
  assert.deepEqual(resolveServerPath(ROOT, '/usr/share/dns/root.key', ROOT), { uri: 'file:///usr/share/dns/root.key', underRoot: false, relative: false });
  assert.deepEqual(resolveServerPath(ROOT, '/etc/opendkim/../dkimkeys/k', ROOT), { uri: ROOT + '/dkimkeys/k', underRoot: true, relative: false });
});

test('an /etc/opendkim/opendkim.conf has /etc two levels up', () => {
  const ws = workspaceOf({ '/etc/opendkim/opendkim.conf': conf(), [KT]: KEYS });
  assert.equal(configRootOf(ws, doc(ws, '/etc/opendkim/opendkim.conf')), ROOT);
  assert.equal(opendkimTables(ws, doc(ws, '/etc/opendkim/opendkim.conf')).keyTable?.doc?.uri, uriOf(KT));
});

test('the last KeyTable line is the one in effect, and Include\'d files count', () => {
  const ws = workspaceOf({
    [CONF]: 'Socket inet:8891@localhost\nKeyTable /etc/opendkim/old.table\nInclude /etc/opendkim/tables.conf\n',
    '/etc/opendkim/tables.conf': 'KeyTable /etc/opendkim/key.table\nSigningTable refile:/etc/opendkim/signing.table\n',
    [KT]: KEYS, [ST]: '*@example.com mail._domainkey.example.com\n',
  }, { '/etc/opendkim/tables.conf': 'opendkim-conf' });
  const t = opendkimTables(ws, doc(ws, CONF));
  assert.equal(t.keyTable?.doc?.uri, uriOf(KT));
  assert.equal(t.keyTable?.placed.doc.uri, uriOf('/etc/opendkim/tables.conf'));
  // The included file is checked as part of its includer: no "KeyTable without SigningTable" on it.
  assert.deepEqual(brief(checksOf(ws, '/etc/opendkim/tables.conf')), []);
  assert.deepEqual(brief(checksOf(ws, CONF)), []);
});

test('opendkim/signingtable-unknown-key: on the key name, related to the KeyTable, nearest name as fix', () => {
  const ws = workspaceOf({ [CONF]: conf(), [KT]: KEYS, [ST]: '*@example.com mail._domainkey.exmaple.com\n' });
  const f = checksOf(ws, ST);
  assert.deepEqual(brief(f), ['error opendkim/signingtable-unknown-key 0:14-0:41']);
  assert.match(f[0].message, /has no entry named "mail._domainkey.exmaple.com".*temporary failure/);
  assert.deepEqual(f[0].related!.map((x) => `${x.uri} ${x.range.start.line}`), [`${uriOf(CONF)} 1`, `${uriOf(KT)} 0`]);
  assert.equal(f[0].fixes![0].preferred, true);
  assert.equal(applyFix(ws, uriOf(ST), f[0].fixes![0]).get(uriOf(ST)), '*@example.com mail._domainkey.example.com\n');
});

test('KeyTable names are case-sensitive; % and signer parts are understood', () => {
  const ws = workspaceOf({ [CONF]: conf(), [KT]: KEYS, [ST]: '*@example.com Mail._domainkey.example.com\n*@example.org %\n*@example.net mail._domainkey.example.com:user@example.net\n' });
  assert.deepEqual(brief(checksOf(ws, ST)), ['error opendkim/signingtable-unknown-key 0:14-0:41']);
});

test('opendkim/wildcard-without-refile: a *@domain SigningTable loaded as a plain file', () => {
  for (const [signing, edited] of [['/etc/opendkim/signing.table', 'refile:/etc/opendkim/signing.table'], ['file:/etc/opendkim/signing.table', 'refile:/etc/opendkim/signing.table']]) {
    const ws = workspaceOf({ [CONF]: conf(signing), [KT]: KEYS, [ST]: '*@example.com mail._domainkey.example.com\nexample.org mail._domainkey.example.com\n' });
    const f = checksOf(ws, ST);
    assert.deepEqual(brief(f), ['warning opendkim/wildcard-without-refile 0:0-0:13']);
    assert.equal(f[0].related![0].uri, uriOf(CONF));
    assert.equal(applyFix(ws, uriOf(ST), f[0].fixes![0]).get(uriOf(CONF)), conf(edited));
  }
});

test('opendkim/refile-pattern-never-matches: with refile: a key without @ never matches', () => {
  const ws = workspaceOf({ [CONF]: conf(), [KT]: KEYS, [ST]: 'example.com mail._domainkey.example.com\n.example.com mail._domainkey.example.com\nuser@.example.com mail._domainkey.example.com\n*@example.com mail._domainkey.example.com\n' });
  const f = checksOf(ws, ST);
  assert.deepEqual(brief(f), [
    'warning opendkim/refile-pattern-never-matches 0:0-0:11',
    'warning opendkim/refile-pattern-never-matches 1:0-1:12',
    'warning opendkim/refile-pattern-never-matches 2:0-2:17',
  ]);
  assert.deepEqual(f.map((x) => x.fixes![0].edits[0].newText), ['*@example.com', '*@*.example.com', 'user@*.example.com']);
});

test('opendkim/table-duplicate-key: in the KeyTable and in the SigningTable the first line wins', () => {
  const ws = workspaceOf({
    [CONF]: conf(), [KT]: KEYS + 'mail._domainkey.example.com example.com:mail2:/etc/opendkim/keys/example.com/mail2.private\n',
    [ST]: '*@example.com mail._domainkey.example.com\n*@EXAMPLE.com mail._domainkey.example.com\n',
  });
  assert.deepEqual(brief(checksOf(ws, KT)), ['warning opendkim/table-duplicate-key 1:0-1:27']);
  assert.deepEqual(brief(checksOf(ws, ST)), ['warning opendkim/table-duplicate-key 1:0-1:13']);
});

test('opendkim/keytable-duplicate-selector: two keys under one DNS name', () => {
  const ws = workspaceOf({
    [CONF]: conf(), [ST]: '*@example.com a\n*@example.com b\n*@example.com c\n',
    [KT]: 'a example.com:mail:/etc/opendkim/keys/a.private\nb example.com:MAIL:/etc/opendkim/keys/b.private\nc example.com:mail:/etc/opendkim/keys/a.private\n',
  });
  const f = checksOf(ws, KT);
  assert.deepEqual(brief(f), ['warning opendkim/keytable-duplicate-selector 1:2-1:18']);
  assert.match(f[0].message, /MAIL._domainkey.example.com is also used by "a"/);
});

test('opendkim/keytable-unused-key: information, only when every SigningTable is known', () => {
  const files = { [CONF]: conf(), [KT]: KEYS + 'old example.com:old:/etc/opendkim/keys/old.private\n', [ST]: '*@example.com mail._domainkey.example.com\n' };
  const ws = workspaceOf(files);
  const f = checksOf(ws, KT);
  assert.deepEqual(brief(f), ['information opendkim/keytable-unused-key 1:0-1:3']);
  assert.equal(f[0].related![0].uri, uriOf(ST));
  // A % key name (the sender's domain) may use any entry: nothing is reported.
  assert.deepEqual(brief(checksOf(workspaceOf({ ...files, [ST]: '*@example.com %\n' }), KT)), []);
  // Without the SigningTable in the workspace nothing can be said.
  assert.deepEqual(brief(checksOf(workspaceOf({ [CONF]: conf(), [KT]: files[KT] }), KT)), []);
});

test('opendkim/wildcard-without-refile in a host list: write .domain, or load with refile:', () => {
  const text = 'Socket inet:8891@localhost\nExternalIgnoreList /etc/opendkim/trusted.hosts\nInternalHosts /etc/opendkim/trusted.hosts\n';
  const ws = workspaceOf({ [CONF]: text, [HOSTS]: '127.0.0.1\n*.example.com\n' });
  const f = checksOf(ws, HOSTS);
  assert.deepEqual(brief(f), ['warning opendkim/wildcard-without-refile 1:0-1:13']);
  assert.equal(f[0].related!.length, 2);
  assert.equal(applyFix(ws, uriOf(HOSTS), f[0].fixes![0]).get(uriOf(HOSTS)), '127.0.0.1\n.example.com\n');
  assert.equal(applyFix(ws, uriOf(HOSTS), f[0].fixes![1]).get(uriOf(CONF)),
    'Socket inet:8891@localhost\nExternalIgnoreList refile:/etc/opendkim/trusted.hosts\nInternalHosts refile:/etc/opendkim/trusted.hosts\n');
  // Loaded with refile:, the wildcard works.
  const ok = workspaceOf({ [CONF]: 'Socket inet:8891@localhost\nInternalHosts refile:/etc/opendkim/trusted.hosts\n', [HOSTS]: '*.example.com\n' });
  assert.deepEqual(brief(checksOf(ok, HOSTS)), []);
});

test('opendkim/missing-file: only when the front end vouches for a complete tree', () => {
  const files = { [CONF]: conf() + 'TrustAnchorFile /usr/share/dns/root.key\nPidFile /etc/opendkim/opendkim.pid\n', [KT]: KEYS };
  const ws = workspaceOf(files);
  assert.deepEqual(brief(checksOf(ws, CONF)), []);
  setOpendkimEnvironment(ws, { configRoot: ROOT });
  const f = checksOf(ws, CONF);
  // SigningTable and InternalHosts are absent; TrustAnchorFile lies outside /etc, PidFile is written.
  assert.deepEqual(brief(f), ['error opendkim/missing-file 2:20-2:47', 'error opendkim/missing-file 3:14-3:41']);
  assert.match(f[0].message, /\/etc\/opendkim\/signing.table does not exist/);
  // A front end that knows the file exists (a db: map, say) silences it.
  setOpendkimEnvironment(ws, { configRoot: ROOT, fileExists: (uri) => uri.endsWith('trusted.hosts') });
  assert.deepEqual(brief(checksOf(ws, CONF)), ['error opendkim/missing-file 2:20-2:47']);
});

function keyEnv(infos: Record<string, KeyFileInfo>, seen: KeyFileRef[] = []) {
  return { keyFileInfo: (ref: KeyFileRef) => { seen.push(ref); return infos[ref.path]; } };
}

test('key files judged through KeyFileInfo: missing, not a key, too short, permissions, owner', () => {
  const kt = 'a example.com:a:/etc/opendkim/keys/a.private\nb example.com:b:/etc/opendkim/keys/b.txt\nc example.com:c:/etc/opendkim/keys/c.private\nd example.com:d:/etc/opendkim/keys/d.private\ne example.com:e:/etc/opendkim/keys/e.private\nf example.com:f:/etc/opendkim/keys/f.private\ng example.com:g:/etc/opendkim/keys/g.private\n';
  const ws = workspaceOf({ [CONF]: conf() + 'UserID opendkim:opendkim\n', [KT]: kt, [ST]: '*@example.com a\n*@example.com b\n*@example.com c\n*@example.com d\n*@example.com e\n*@example.com f\n*@example.com g\n' });
  const seen: KeyFileRef[] = [];
  setOpendkimEnvironment(ws, keyEnv({
    '/etc/opendkim/keys/a.private': { exists: false },
    '/etc/opendkim/keys/b.txt': { exists: true, isFile: true, mode: 0o644, owner: 'opendkim', isPrivateKey: false },
    '/etc/opendkim/keys/c.private': { exists: true, isFile: true, mode: 0o600, owner: 'opendkim', isPrivateKey: true, algorithm: 'rsa', bits: 512 },
    '/etc/opendkim/keys/d.private': { exists: true, isFile: true, mode: 0o644, owner: 'opendkim', isPrivateKey: true, algorithm: 'rsa', bits: 2048 },
    '/etc/opendkim/keys/e.private': { exists: true, isFile: true, mode: 0o640, owner: 'opendkim', group: 'opendkim', isPrivateKey: true, algorithm: 'rsa', bits: 2048 },
    '/etc/opendkim/keys/f.private': { exists: true, isFile: true, mode: 0o600, owner: 'www-data', isPrivateKey: true, algorithm: 'rsa', bits: 2048 },
    '/etc/opendkim/keys/g.private': { exists: true, isFile: true, mode: 0o600, owner: 'root', isPrivateKey: true, algorithm: 'rsa', bits: 2048 },
  }, seen));
  const f = checksOf(ws, KT);
  assert.deepEqual(brief(f), [
    'error opendkim/missing-file 0:16-0:44',
    'error opendkim/key-not-private-key 1:16-1:40',
    'error opendkim/key-file-permissions 1:16-1:40',
    'error opendkim/key-too-short 2:16-2:44',
    'error opendkim/key-file-permissions 3:16-3:44',
    'warning opendkim/key-file-permissions 4:16-4:44',
    'error opendkim/key-file-permissions 5:16-5:44',
  ]);
  assert.match(f[5].message, /postfix, added to the opendkim group/);
  assert.match(f[6].message, /belongs to www-data, but OpenDKIM runs as opendkim/);
  // The provider is asked with the path as written and its place in the workspace.
  assert.deepEqual(seen[0], { path: '/etc/opendkim/keys/a.private', uri: ROOT + '/opendkim/keys/a.private' });
});

test('RequireSafeKeys no: permissions are not OpenDKIM\'s concern any more', () => {
  const ws = workspaceOf({ [CONF]: conf() + 'RequireSafeKeys no\n', [KT]: KEYS, [ST]: '*@example.com mail._domainkey.example.com\n' });
  setOpendkimEnvironment(ws, keyEnv({ '/etc/opendkim/keys/example.com/mail.private': { exists: true, isFile: true, mode: 0o644, isPrivateKey: true, algorithm: 'rsa', bits: 2048 } }));
  assert.deepEqual(brief(checksOf(ws, KT)), []);
});

test('KeyFile in opendkim.conf is judged the same way', () => {
  const ws = workspaceOf({ [CONF]: 'Socket inet:8891@localhost\nDomain example.com\nSelector mail\nKeyFile /etc/dkimkeys/mail.private\n' });
  setOpendkimEnvironment(ws, keyEnv({ '/etc/dkimkeys/mail.private': { exists: true, isFile: true, mode: 0o604, isPrivateKey: true, algorithm: 'rsa', bits: 2048 } }));
  const f = checksOf(ws, CONF);
  assert.deepEqual(brief(f), ['error opendkim/key-file-permissions 3:8-3:34']);
  assert.match(f[0].message, /can be read by every user \(mode 604\)/);
});

test('findings never contain key material', () => {
  const inline = 'k example.com:s:MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n';
  const ws = workspaceOf({ [CONF]: conf(), [KT]: inline, [ST]: '*@example.com x\n' });
  setOpendkimEnvironment(ws, { configRoot: ROOT, keyFileInfo: () => ({ exists: true, isPrivateKey: true, algorithm: 'rsa', bits: 512 }) });
  for (const p of [CONF, KT, ST]) {
    for (const f of checksOf(ws, p)) {
      const all = JSON.stringify(f);
      assert.ok(!all.includes('MIIEvQIBADAN'), `${f.code} shows key material`);
    }
  }
});

test('opendkimFilesWanted lists the tables (with their kind) and the key files a front end should load', () => {
  const ws = workspaceOf({ [CONF]: conf() + 'KeyFile /etc/dkimkeys/x.private\n', [KT]: KEYS });
  const wanted = opendkimFilesWanted(ws).map((w) => `${w.uri.replace(ROOT, '/etc')} ${w.kind ?? ''} ${w.keyFile ? 'key' : ''}`.trim());
  assert.deepEqual(wanted.sort(), [
    '/etc/dkimkeys/x.private  key',
    '/etc/opendkim/key.table opendkim-keytable',
    '/etc/opendkim/keys/example.com/mail.private  key',
    '/etc/opendkim/signing.table opendkim-signingtable',
    '/etc/opendkim/trusted.hosts opendkim-hostlist',
  ]);
});

test('a fix applied leaves no finding behind (seed 004 SigningTable)', () => {
  const ws = workspaceOf({ [CONF]: conf(), [KT]: 'default._domainkey.voorbeeld.nl voorbeeld.nl:default:/etc/opendkim/keys/voorbeeld.nl/default.private\n', [ST]: '*@your-domain.com default._domainkey.your-domain\n' });
  const f = withCode(checksOf(ws, ST), 'opendkim/signingtable-unknown-key')[0];
  applyFixInPlace(ws, uriOf(ST), f.fixes![0]);
  assert.deepEqual(brief(checksOf(ws, ST)), []);
  assert.deepEqual(brief(checksOf(ws, KT)), []);
});

test('relative dataset paths resolve against the configuration\'s folder (no missing-file for them)', () => {
  const ws = workspaceOf({});
  add(ws, '/etc/tests/t.conf', 'Mode s\nSigningTable file:t.signtable\nKeyTable file:t.keytable\nSocket inet:1@localhost\n', 'opendkim-conf');
  add(ws, '/etc/tests/t.keytable', 'key1 example.com:ts:/k.private\n', 'opendkim-keytable');
  add(ws, '/etc/tests/t.signtable', 'example.com key1\nexample.net key2\n', 'opendkim-signingtable');
  setOpendkimEnvironment(ws, { configRoot: ROOT });
  assert.deepEqual(brief(checksOf(ws, '/etc/tests/t.signtable')), ['error opendkim/signingtable-unknown-key 1:12-1:16']);
  assert.deepEqual(brief(checksOf(ws, '/etc/tests/t.conf')), []);
});

test('large broken tables stay fast and the findings are capped per code', () => {
  let kt = '';
  let st = '';
  let hosts = '';
  for (let i = 0; i < 20000; i++) {
    kt += `k${i}._domainkey.d${i}.com d${i}.com:k${i}:/etc/opendkim/keys/${i}.private\n`;
    st += `*@d${i}.com k${i % 2 ? i : i + 1}x._domainkey.d${i}.com\n`;
    hosts += `*.h${i}.example\n`;
  }
  const ws = workspaceOf({ [CONF]: conf('/etc/opendkim/signing.table'), [KT]: kt, [ST]: st, [HOSTS]: hosts });
  const start = Date.now();
  const s = checksOf(ws, ST);
  const k = checksOf(ws, KT);
  const h = checksOf(ws, HOSTS);
  assert.ok(Date.now() - start < 5000, `took ${Date.now() - start} ms`);
  assert.equal(withCode(s, 'opendkim/signingtable-unknown-key').length, 1000);
  assert.equal(withCode(s, 'opendkim/wildcard-without-refile').length, 1000);
  assert.equal(withCode(k, 'opendkim/keytable-unused-key').length, 1000);
  assert.equal(withCode(h, 'opendkim/wildcard-without-refile').length, 1000);
});

test('opendkim/internalhosts-without-loopback: an InternalHosts list without 127.0.0.1 or localhost leaves local submissions unsigned', () => {
  const conf = (mode = '') => `Socket inet:8891@localhost\n${mode}InternalHosts /etc/opendkim/trusted.hosts\n`;
  const check = (hosts: string, text = conf()) => brief(checksOf(workspaceOf({ [CONF]: text, [HOSTS]: hosts }), HOSTS));
  const ws = workspaceOf({ [CONF]: conf(), [HOSTS]: '# the LAN\n192.168.1.0/24\nmail.example.com\n' });
  const f = checksOf(ws, HOSTS);
  assert.deepEqual(brief(f), ['warning opendkim/internalhosts-without-loopback 1:0-1:14']);
  assert.match(f[0].message, /neither 127\.0\.0\.1 nor localhost\. The list replaces OpenDKIM's default .*sendmail: cron jobs, web applications/);
  assert.equal(f[0].related![0].uri, uriOf(CONF));
  const fixed = applyFix(ws, uriOf(HOSTS), f[0].fixes![0]).get(uriOf(HOSTS))!;
  assert.equal(fixed, '# the LAN\n192.168.1.0/24\nmail.example.com\n127.0.0.1\nlocalhost\n');
  assert.deepEqual(check(fixed), []);
  // Any entry that covers the loopback will do: by name, by address or network, IPv6 too.
  for (const hosts of ['localhost\n', 'LOCALHOST\n', '127.0.0.1\n', '127.0.0.0/8\n', '[127.0.0.1]\n', '::1\n', '192.168.1.0/24\n127.0.0.0/8\n']) assert.deepEqual(check(hosts), [], hosts);
  // A negated loopback or a neighbour does not.
  for (const hosts of ['!127.0.0.1\n10.0.0.0/8\n', '127.0.0.2\n', '128.0.0.0/8\n']) assert.deepEqual(check(hosts).map((x) => x.split(' ')[1]), ['opendkim/internalhosts-without-loopback'], hosts);
  // Not judged: loaded as ExternalIgnoreList only, a verify-only OpenDKIM, placeholders.
  assert.deepEqual(check('192.168.1.0/24\n', 'Socket inet:8891@localhost\nExternalIgnoreList /etc/opendkim/trusted.hosts\n'), []);
  assert.deepEqual(check('192.168.1.0/24\n', conf('Mode v\n')), []);
  assert.deepEqual(check('@LAN@\n'), []);
});
