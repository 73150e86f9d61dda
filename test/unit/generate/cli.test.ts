// The generate commands as a user runs them (the CLI through tsx, on temp trees):
// `spf generate`, `dmarc generate`, `dkim generate --update`, and the safe writer behind
// --update (checks everything first, leaves changed files, symlinks and existing files alone).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyConfigChanges, ConfigUpdateRefusal } from '../../../server/src/node/configUpdate';

const REPO = path.resolve(__dirname, '../../..');
const CLI_TS = path.join(REPO, 'server/src/cli.ts');
const temps: string[] = [];
after(() => { for (const t of temps) fs.rmSync(t, { recursive: true, force: true }); });

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI_TS, ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-gen-'));
  temps.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const ZONE = '$ORIGIN example.org.\n$TTL 300\n@ IN SOA ns1 hm 2024010101 3600 600 86400 300\n@ IN NS ns1\n@ IN MX 10 mail\nns1 IN A 192.0.2.1\nmail IN A 192.0.2.25\n';

test('spf generate: the record from the tree in zone-file and web-form form, why each term is there, the lookup count', () => {
  const root = tree({ 'etc/bind/db.example.org': ZONE, 'etc/postfix/main.cf': 'myhostname = mail.example.org\n' });
  const r = cli(['spf', 'generate', '--domain', 'example.org', '--ip', '198.51.100.7', '203.0.113.0/24', path.join(root, 'etc'), '--include', '_spf.example.net']);
  assert.equal(r.code, 0, r.stderr);
  const value = 'v=spf1 mx ip4:192.0.2.25 ip4:198.51.100.7 ip4:203.0.113.0/24 include:_spf.example.net ~all';
  assert.ok(r.stdout.includes(`example.org.\tIN\tTXT\t"${value}"\n`), r.stdout);
  assert.ok(r.stdout.includes(`value:\n${value}\n`), r.stdout);
  assert.match(r.stdout, /DNS lookups: at least 2 of 10/);
  assert.match(r.stdout, /- ip4:192\.0\.2\.25: the A record of myhostname mail\.example\.org/);
  const strict = cli(['spf', 'generate', '--domain=example.org', '--all=-all', '--ip=192.0.2.1,2001:db8::1']);
  assert.equal(strict.code, 0, strict.stderr);
  assert.match(strict.stdout, /\n"?v=spf1 ip4:192\.0\.2\.1 ip6:2001:db8::1 -all\n/);
});

test('spf generate: usage errors exit 2; a record over the lookup limit exits 1 with the finding', () => {
  assert.equal(cli(['spf', 'generate']).code, 2);
  assert.match(cli(['spf', 'generate', '--domain', 'example.org', '--all', 'all']).stderr, /--all takes ~all or -all/);
  assert.match(cli(['spf', 'generate', '--domain', 'exa mple.org']).stderr, /cannot have an SPF record/);
  const hosts = Array.from({ length: 12 }, (_, i) => `h${i}`);
  const provider = `$ORIGIN example.net.\n$TTL 300\n@ IN SOA ns1 hm 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 198.51.100.1\n_spf IN TXT "v=spf1 ${hosts.map((h) => `a:${h}.example.net`).join(' ')} -all"\n${hosts.map((h, i) => `${h} IN A 198.51.100.${i + 10}\n`).join('')}`;
  const root = tree({ 'zones/db.example.org': ZONE, 'zones/db.example.net': provider });
  const r = cli(['spf', 'generate', '--domain', 'example.org', '--include', '_spf.example.net', root]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /error spf\/too-many-lookups/);
  assert.match(r.stdout, /DNS lookups: 13 of 10/);
  assert.match(r.stdout, /still needs 13 DNS lookups, over the limit of 10/);
});

test('dmarc generate: p=none with the report address; refusals exit 2', () => {
  const r = cli(['dmarc', 'generate', '--domain', 'example.org', '--rua', 'mailto:dmarc@reports.example.net']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes('_dmarc.example.org.\tIN\tTXT\t"v=DMARC1; p=none; rua=mailto:dmarc@reports.example.net"\n'), r.stdout);
  assert.ok(r.stdout.includes('name "_dmarc", value:\nv=DMARC1; p=none; rua=mailto:dmarc@reports.example.net\n'));
  assert.match(r.stdout, /example\.org\._report\._dmarc\.reports\.example\.net/);
  const q = cli(['dmarc', 'generate', '--domain', 'example.org', '--policy', 'quarantine', '--sp', 'reject', '--pct', '25']);
  assert.match(q.stdout, /"v=DMARC1; p=quarantine; sp=reject; pct=25"/);
  assert.match(cli(['dmarc', 'generate', '--domain', 'example.org', '--rua', 'dmarc@example.org']).stderr, /lacks the `mailto:` in front/);
  assert.equal(cli(['dmarc', 'generate', '--domain', 'example.org', '--policy', 'block']).code, 2);
  assert.equal(cli(['dmarc', 'frobnicate']).code, 2);
});

test('dkim generate --update: the key, the new tables, opendkim.conf and the zone, all in one run; mailconf check finds no new problem', () => {
  const root = tree({
    'etc/opendkim.conf': 'Syslog yes\nSocket inet:8891@localhost\n',
    'etc/bind/db.example.org': ZONE,
  });
  const etc = path.join(root, 'etc');
  fs.chmodSync(path.join(etc, 'bind/db.example.org'), 0o640);
  const keys = path.join(etc, 'opendkim/keys/example.org');
  const r = cli(['dkim', 'generate', '--domain', 'example.org', '--selector', '202611', '--out', keys, '--create-dir', '--update', etc]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /Created .*opendkim\/key\.table\nCreated .*opendkim\/signing\.table\nUpdated .*db\.example\.org\nUpdated .*opendkim\.conf/);
  assert.equal(fs.readFileSync(path.join(etc, 'opendkim/key.table'), 'utf8').split('\n')[1],
    '202611._domainkey.example.org example.org:202611:/etc/opendkim/keys/example.org/202611.private', 'the server path, /etc/…');
  assert.match(fs.readFileSync(path.join(etc, 'opendkim.conf'), 'utf8'), /\nKeyTable\t\t\/etc\/opendkim\/key\.table\nSigningTable\t\trefile:\/etc\/opendkim\/signing\.table\n$/);
  const zone = fs.readFileSync(path.join(etc, 'bind/db.example.org'), 'utf8');
  assert.match(zone, /2024010102/);
  assert.match(zone, /\n202611\._domainkey\tIN\tTXT\t\( "v=DKIM1; h=sha256; k=rsa; "/);
  assert.equal(fs.statSync(path.join(etc, 'bind/db.example.org')).mode & 0o777, 0o640, 'mode kept');
  assert.ok(!r.stdout.includes('PRIVATE KEY') && !r.stdout.includes(fs.readFileSync(path.join(keys, '202611.private'), 'utf8').split('\n')[1]));
  const check = cli(['check', etc]);
  assert.doesNotMatch(check.stdout, /: error /, check.stdout);
  // The same selector again: refused before anything is written.
  const again = cli(['dkim', 'generate', '--domain', 'example.org', '--selector', '202611', '--out', path.join(root, 'other'), '--create-dir', '--update', etc]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /selector "202611" is already in use for example\.org.*\nNothing was written/s);
  assert.ok(!fs.existsSync(path.join(root, 'other')));
});

test('the safe writer: a file changed since it was read, a symlink, an existing new file: refused, nothing written', () => {
  const root = tree({ 'a.conf': 'one\n', 'b.conf': 'two\n' });
  const uri = (f: string) => pathToFileURL(path.join(root, f)).href;
  const edit = (f: string, text: string) => ({ uri: uri(f), range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: text });
  const read = new Map([[uri('a.conf'), 'one\n'], [uri('b.conf'), 'two (as read)\n']]);
  assert.throws(() => applyConfigChanges({ edits: [edit('a.conf', 'x\n'), edit('b.conf', 'y\n')], createFiles: [{ uri: uri('c.table'), text: 'c\n' }] }, read),
    (e: unknown) => e instanceof ConfigUpdateRefusal && /b\.conf changed since it was read/.test((e as Error).message));
  assert.deepEqual([fs.readFileSync(path.join(root, 'a.conf'), 'utf8'), fs.existsSync(path.join(root, 'c.table'))], ['one\n', false]);
  fs.symlinkSync(path.join(root, 'a.conf'), path.join(root, 'link.conf'));
  assert.throws(() => applyConfigChanges({ edits: [edit('link.conf', 'x\n')], createFiles: [] }, new Map([[uri('link.conf'), 'one\n']])), /symbolic link/);
  assert.throws(() => applyConfigChanges({ edits: [], createFiles: [{ uri: uri('b.conf'), text: 'new\n' }] }, new Map()), /exists although/);
  assert.equal(fs.readFileSync(path.join(root, 'b.conf'), 'utf8'), 'two\n');
  const ok = applyConfigChanges({ edits: [edit('a.conf', 'x\n')], createFiles: [{ uri: uri('sub/c.table'), text: 'c\n' }] }, new Map([[uri('a.conf'), 'one\n']]));
  assert.deepEqual(ok, { edited: [path.join(root, 'a.conf')], created: [path.join(root, 'sub/c.table')] });
  assert.equal(fs.readFileSync(path.join(root, 'a.conf'), 'utf8'), 'one\nx\n');
  assert.deepEqual(fs.readdirSync(root).filter((f) => f.endsWith('.tmp')), [], 'no temp file left');
});
