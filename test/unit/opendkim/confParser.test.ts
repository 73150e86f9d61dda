import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, brief, conf, r } from './helpers';

test('opendkim.conf: name, value (inner blanks kept, outer trimmed), words and comments with exact ranges', () => {
  const { tree, findings } = conf('# header\nSyslog\t\t\tyes\nMode   sv extra  words   # trailing\n\n  Canonicalization relaxed/simple\n');
  assert.deepEqual(findings, []);
  assert.equal(tree.lineCount, 5);
  const [syslog, mode, canon] = tree.options;
  assert.equal(syslog.name.text, 'Syslog');
  assert.equal(r(syslog.name.range), '1:0-1:6');
  assert.equal(syslog.value?.text, 'yes');
  assert.equal(r(syslog.value!.range), '1:9-1:12');
  assert.equal(r(syslog.range), '1:0-1:12');
  assert.equal(mode.value?.text, 'sv extra  words');
  assert.equal(r(mode.value!.range), '2:7-2:22');
  assert.deepEqual(mode.words.map((w) => `${w.text}@${r(w.range)}`), ['sv@2:7-2:9', 'extra@2:10-2:15', 'words@2:17-2:22']);
  assert.equal(mode.comment?.text, '# trailing');
  assert.equal(r(mode.comment!.range), '2:25-2:35');
  assert.equal(mode.comment?.wholeLine, false);
  assert.equal(r(canon.name.range), '4:2-4:18');
  assert.deepEqual(tree.comments.map((c) => [c.text, c.wholeLine]), [['# header', true], ['# trailing', false]]);
});

test('opendkim.conf: "#" starts a comment anywhere, even inside a value (config.c cuts the line there)', () => {
  const { tree, findings } = conf('LDAPBindPassword abc#123\n');
  assert.equal(tree.options[0].value?.text, 'abc');
  assert.deepEqual(brief(findings), ['warning opendkim/hash-in-value 0:20-0:24']);
  // A blank before "#" is an ordinary trailing comment.
  assert.deepEqual(conf('Syslog yes # log to syslog\n').findings, []);
});

test('opendkim.conf: a name without a value is rejected by OpenDKIM ("required value missing")', () => {
  assert.deepEqual(brief(conf('Syslog\n').findings), ['error opendkim/missing-value 0:0-0:6']);
  assert.deepEqual(brief(conf('  AutoRestart   \t\n').findings), ['error opendkim/missing-value 0:2-0:13']);
  const commentOnly = conf('Socket #inet:8891@localhost\n');
  assert.deepEqual(brief(commentOnly.findings), ['error opendkim/missing-value 0:0-0:6']);
  assert.match(commentOnly.findings[0].message, /comment anywhere/);
  assert.equal(commentOnly.tree.options[0].value, undefined);
});

test('opendkim.conf: "=" between name and value (Postfix and shell habits) with fixes', () => {
  const glued = 'Socket=inet:8891@localhost';
  const f1 = conf(glued).findings;
  assert.deepEqual(brief(f1), ['error opendkim/equals-sign 0:6-0:7']);
  assert.equal(applyFix(glued, f1[0]), 'Socket inet:8891@localhost');

  const spaced = 'Socket = inet:8891@localhost';
  const f2 = conf(spaced).findings;
  assert.deepEqual(brief(f2), ['error opendkim/equals-sign 0:7-0:8']);
  assert.equal(applyFix(spaced, f2[0]), 'Socket inet:8891@localhost');

  const trailing = 'Socket= inet:8891@localhost';
  const f3 = conf(trailing).findings;
  assert.deepEqual(brief(f3), ['error opendkim/equals-sign 0:6-0:7']);
  assert.equal(applyFix(trailing, f3[0]), 'Socket inet:8891@localhost');
});

test('opendkim.conf: quotes are kept literally, so a quoted value is wrong', () => {
  const text = 'Socket "inet:8891@localhost"';
  const { tree, findings } = conf(text);
  assert.deepEqual(brief(findings), ['error opendkim/quoted-value 0:7-0:28']);
  assert.equal(applyFix(text, findings[0]), 'Socket inet:8891@localhost');
  assert.equal(tree.options[0].socket?.family, 'unknown', 'the tree still records what OpenDKIM would see');
  const stray = 'KeyTable "/etc/opendkim/KeyTable';
  const f = conf(stray).findings;
  assert.deepEqual(brief(f), ['error opendkim/quoted-value 0:9-0:10']);
  assert.equal(applyFix(stray, f[0]), 'KeyTable /etc/opendkim/KeyTable');
  assert.deepEqual(brief(conf("Canonicalization relaxed/simple'").findings), ['error opendkim/quoted-value 0:31-0:32']);
});

test('opendkim.conf: typographic quotes, non-breaking spaces, control characters', () => {
  const curly = 'Socket ”inet:8891@localhost”';
  const q = conf(curly).findings;
  assert.deepEqual(brief(q), ['error opendkim/typographic-quotes 0:7-0:28']);
  assert.equal(applyFix(curly, q[0]), 'Socket inet:8891@localhost');

  const nbsp = conf('Syslog\u00a0yes\n');
  assert.deepEqual(brief(nbsp.findings), ['error opendkim/non-breaking-space 0:6-0:7'], 'no second finding for the missing value');
  assert.equal(applyFix('Syslog\u00a0yes', nbsp.findings[0]), 'Syslog yes');

  assert.deepEqual(brief(conf('Syslog yes\u0000junk\n').findings), ['error opendkim/control-character 0:10-0:11']);
  assert.deepEqual(conf('Syslog yes # “quoted” in a comment\n').findings, [], 'comments may hold anything');
});

test('opendkim.conf: byte order mark and line ends', () => {
  const bom = conf('\ufeffSyslog yes\n');
  assert.deepEqual(brief(bom.findings), ['error opendkim/byte-order-mark 0:0-0:1']);
  assert.equal(r(bom.tree.options[0].name.range), '0:1-0:7');
  assert.equal(bom.tree.options[0].name.text, 'Syslog');

  // OpenDKIM strips CR before LF, but a lone CR hides the rest of the line's LF-run.
  assert.deepEqual(conf('Syslog yes\r\nMode sv\r\n').findings, []);
  assert.deepEqual(brief(conf('Syslog yes\rMode sv\n').findings), ['error opendkim/cr-line-ending 0:10-1:0']);
});

test('opendkim.conf: dataset values: prefixes, implied file/db/csl, exact ranges', () => {
  const { tree, findings } = conf([
    'KeyTable refile:/etc/opendkim/KeyTable',
    'SigningTable /etc/opendkim/SigningTable',
    'InternalHosts 127.0.0.1, 10.0.0.0/8,::1',
    'BodyLengthDB /var/db/bodylength.db',
    'ExternalIgnoreList REFILE:/etc/opendkim/TrustedHosts',
    'KeyTable csl:default=%:default:/data/dkim/%',
    'Domain dsn:mysql://u:p@3306+127.0.0.1/mail/table=dkim?datacol=domain',
    'PeerList ldaps://ldap.example.com/dc=example?cn',
  ].join('\n'));
  assert.deepEqual(findings, []);
  const [kt, st, ih, bl, ei, csl, dsn, ldap] = tree.options.map((o) => o.dataset!);
  assert.equal(kt.type, 'refile');
  assert.equal(r(kt.prefix!.range), '0:9-0:15');
  assert.equal(kt.path?.text, '/etc/opendkim/KeyTable');
  assert.equal(r(kt.path!.range), '0:16-0:38');
  assert.equal(st.type, 'file');
  assert.equal(st.prefix, undefined);
  assert.equal(r(st.path!.range), '1:13-1:39');
  assert.equal(ih.type, 'csl', 'a comma before the first colon makes it a list');
  assert.deepEqual(ih.items!.map((i) => `${i.text}@${r(i.range)}`), ['127.0.0.1@2:14-2:23', '10.0.0.0/8@2:25-2:35', '::1@2:36-2:39']);
  assert.equal(bl.type, 'db');
  assert.equal(ei.type, 'refile', 'prefixes are case-insensitive');
  assert.equal(csl.type, 'csl');
  assert.equal(csl.items![0].key.text, 'default');
  assert.equal(csl.items![0].value?.text, '%:default:/data/dkim/%');
  assert.equal(r(csl.items![0].value!.range), '5:21-5:43');
  assert.equal(dsn.type, 'dsn');
  assert.equal(dsn.location.text, 'mysql://u:p@3306+127.0.0.1/mail/table=dkim?datacol=domain');
  assert.equal(ldap.type, 'ldap');
  assert.equal(r(ldap.prefix!.range), '7:9-7:14');
  assert.equal(tree.options[0].socket, undefined);
});

test('opendkim.conf: an unknown dataset type stops OpenDKIM ("Unknown database type")', () => {
  const v6 = conf('InternalHosts ::1\n');
  assert.deepEqual(brief(v6.findings), ['error opendkim/unknown-dataset-type 0:14-0:17']);
  assert.match(v6.findings[0].message, /IPv6/);
  assert.deepEqual(brief(conf('SigningTable sql:/etc/x\n').findings), ['error opendkim/unknown-dataset-type 0:13-0:16']);
  assert.deepEqual(conf('InternalHosts csl:::1\n').findings, []);
});

test('opendkim.conf: a dataset path without "/" is read as a list', () => {
  assert.deepEqual(brief(conf('KeyTable etc/opendkim/KeyTable\n').findings), ['warning opendkim/dataset-relative-path 0:9-0:30']);
  assert.deepEqual(conf('InternalHosts 10.0.0.0/8\nKeyTable file:keytable\nDomain example.com\nKeyTable @sysconfdir@/KeyTable\n').findings, []);
});

test('opendkim.conf: Socket forms and their parts', () => {
  const { tree, findings } = conf([
    'Socket inet:8891@localhost',
    'Socket inet6:8891@[::1]',
    'socket local:/run/opendkim/opendkim.sock',
    'Socket unix:/var/run/opendkim.sock',
    'Socket /var/run/opendkim.sock',
    'Socket inet:8891',
    'Socket inet:milter@127.0.0.1',
  ].join('\n'));
  assert.deepEqual(findings, []);
  const [inet, inet6, local, unix, bare, all, named] = tree.options.map((o) => o.socket!);
  assert.equal(inet.family, 'inet');
  assert.equal(r(inet.protocol!.range), '0:7-0:11');
  assert.equal(inet.port?.text, '8891');
  assert.equal(r(inet.port!.range), '0:12-0:16');
  assert.equal(inet.portNumber, 8891);
  assert.equal(inet.host?.text, 'localhost');
  assert.equal(r(inet.host!.range), '0:17-0:26');
  assert.equal(inet6.family, 'inet6');
  assert.equal(inet6.host?.text, '[::1]');
  assert.equal(inet6.address, '::1');
  assert.equal(local.family, 'unix');
  assert.equal(local.path?.text, '/run/opendkim/opendkim.sock');
  assert.equal(r(local.path!.range), '2:13-2:40');
  assert.equal(unix.protocol?.text, 'unix');
  assert.equal(bare.family, 'unix');
  assert.equal(bare.protocol, undefined);
  assert.equal(r(bare.path!.range), '4:7-4:29');
  assert.equal(all.host, undefined);
  assert.equal(named.port?.text, 'milter');
  assert.equal(named.portNumber, undefined);
});

test('opendkim.conf: malformed Socket values', () => {
  const cases: Array<[string, string]> = [
    ['Socket tcp:8891', 'error opendkim/socket-unknown-type 0:7-0:10'],
    ['Socket inet:localhost:8891', 'error opendkim/socket-bad-port 0:12-0:26'],
    ['Socket inet:99999@localhost', 'error opendkim/socket-bad-port 0:12-0:17'],
    ['Socket inet:@localhost', 'error opendkim/socket-bad-port 0:11-0:12'],
    ['Socket inet:8891@', 'error opendkim/socket-bad-host 0:16-0:17'],
    ['Socket inet:8891@[127.0.0.1', 'error opendkim/socket-bad-host 0:17-0:27'],
    ['Socket local:', 'error opendkim/socket-missing-path 0:7-0:13'],
    ['Socket 8891', 'warning opendkim/socket-bare-port 0:7-0:11'],
  ];
  for (const [text, expected] of cases) assert.deepEqual(brief(conf(text).findings), [expected], text);
  const swapped = 'Socket inet:localhost:8891';
  assert.equal(applyFix(swapped, conf(swapped).findings[0]), 'Socket inet:8891@localhost');
  assert.equal(applyFix('Socket 8891', conf('Socket 8891').findings[0]), 'Socket inet:8891@localhost');
});

test('opendkim.conf: template placeholders in .in/.tpl files raise nothing', () => {
  const { findings } = conf([
    'Domain\t\t\t@DOMAIN@',
    'KeyFile\t\t\t/var/db/dkim/@DOMAIN@.private',
    'ReportAddress           postmaster@@DOMAIN@',
    'KeyTable\t\tdsn:%{db_driver}://%{db_user}:%{db_password}@%{dbport}+%{dbhost}/%{db_name}/table=dkim?keycol=id?datacol=domain_name,selector,private_key_path',
    'SigningTable\t\tdsn:%db_driver://%{db_user}@%{dbhost}/%{db_name}/table=dkim?keycol=domain_name?datacol=id',
    'Socket                  inet:%{port}@localhost',
    'UserID                %{user}',
    'InternalHosts %(trusted_hosts)s',
    'Socket inet:port@localhost',
  ].join('\n'));
  assert.deepEqual(findings, []);
});

test('opendkim.conf: a huge comment line is fine (config.c reads lines of any length)', () => {
  const { tree, findings } = conf(`# ${'x'.repeat(100_000)}\nSyslog yes\n`);
  assert.deepEqual(findings, []);
  assert.equal(tree.options.length, 1);
});

test('opendkim.conf: inline host lists are read like host-list files', () => {
  const { tree, findings } = conf('InternalHosts 127.0.0.1, 192.168.1.1/24, ::1 ,.example.com\nPeerList csl:!10.0.0.1,10.0.0.0/8\n');
  assert.deepEqual(brief(findings), ['warning opendkim/hostlist-host-bits 0:25-0:36']);
  assert.equal(applyFix('InternalHosts 127.0.0.1, 192.168.1.1/24, ::1 ,.example.com', findings[0]), 'InternalHosts 127.0.0.1, 192.168.1.0/24, ::1 ,.example.com');
  assert.deepEqual(tree.options[0].hosts?.map((h) => `${h.text}:${h.kind}@${r(h.range)}`), [
    '127.0.0.1:ipv4@0:14-0:23', '192.168.1.1/24:ipv4@0:25-0:39', '::1:ipv6@0:41-0:44', '.example.com:domain@0:46-0:58',
  ]);
  assert.deepEqual(tree.options[1].hosts?.map((h) => [h.text, h.negated]), [['!10.0.0.1', true], ['10.0.0.0/8', false]]);
  assert.equal(conf('InternalHosts /etc/opendkim/TrustedHosts').tree.options[0].hosts, undefined);
});
