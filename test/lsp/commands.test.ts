// The server's commands (workspace/executeCommand) through the real server over stdio, as
// the VS Code client and other LSP editors call them: the DNS status notification,
// check_host over the workspace's zone files, DKIM key generation and its refusals.
// DNS stays off here (lspClient's default); live DNS is tested in liveDns.test.ts.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { TestClient, fileUri } from './lspClient';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-lsp-commands-'));
after(() => fs.rmSync(DIR, { recursive: true, force: true }));

const ZONE = `$ORIGIN example.com.
$TTL 3600
@ IN SOA ns1 hostmaster 1 7200 900 1209600 300
  IN NS ns1
  IN MX 10 mail
  IN TXT "v=spf1 mx ip4:192.0.2.0/24 -all"
ns1 IN A 192.0.2.1
mail IN A 198.51.100.25
`;

async function started(initializationOptions?: unknown): Promise<TestClient> {
  const c = new TestClient();
  if (initializationOptions === undefined) {
    await c.initialize(fileUri(DIR));
  } else {
    await c.initializeWith({ rootUri: fileUri(DIR), capabilities: { workspace: { configuration: true, applyEdit: true } }, initializationOptions });
  }
  return c;
}

function execute<R>(c: TestClient, command: string, args: unknown): Promise<R> {
  return c.request<R>('workspace/executeCommand', { command, arguments: [args] });
}

test('initialize lists the commands; mailconf/status tells that DNS is off', async () => {
  const c = await started();
  try {
    const commands = c.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
    for (const name of ['mailconf.server.status', 'mailconf.server.checkHost', 'mailconf.server.generateDkimKey']) assert.ok(commands.includes(name), name);
    const deadline = Date.now() + 5000;
    while (!c.notifications.some((n) => n.method === 'mailconf/status') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const status = c.notifications.find((n) => n.method === 'mailconf/status')?.params as { enabled: boolean; trusted: boolean };
    assert.deepEqual({ enabled: status.enabled, trusted: status.trusted }, { enabled: false, trusted: true });
    const asked = await execute<{ enabled: boolean }>(c, 'mailconf.server.status', {});
    assert.equal(asked.enabled, false);
  } finally {
    await c.shutdown();
  }
});

test('check_host answers from the zone files when DNS is off, and says so', async () => {
  const c = await started();
  try {
    await c.open(fileUri(path.join(DIR, 'example.com.zone')), 'dns-zone', ZONE);
    const pass = await execute<{ result: string; markdown: string }>(c, 'mailconf.server.checkHost', { ip: '198.51.100.25', sender: 'alice@example.com' });
    assert.equal(pass.result, 'pass');
    assert.match(pass.markdown, /`mx`/);
    assert.match(pass.markdown, /zone files only \(live DNS is off: mailconf\.dns\.enabled is off\)/);
    const inRange = await execute<{ result: string }>(c, 'mailconf.server.checkHost', { ip: '192.0.2.77', sender: 'example.com' });
    assert.equal(inRange.result, 'pass');
    const fail = await execute<{ result: string; markdown: string }>(c, 'mailconf.server.checkHost', { ip: '203.0.113.9', sender: 'bob@example.com' });
    assert.equal(fail.result, 'fail');
    assert.match(fail.markdown, /-all/);
    await assert.rejects(execute(c, 'mailconf.server.checkHost', { ip: 'not-an-ip', sender: 'example.com' }), /not an IPv4 or IPv6 address/);
  } finally {
    await c.shutdown();
  }
});

test('generateDkimKey writes a 0600 key and the record; a second run with the same selector refuses and changes nothing', async () => {
  const c = await started();
  const keys = path.join(DIR, 'keys', 'example.com');
  try {
    const r = await execute<{ privateKeyPath: string; txtPath: string; recordName: string; webFormValue: string }>(c, 'mailconf.server.generateDkimKey', {
      domain: 'example.com', selector: '202611', algorithm: 'rsa2048', directory: keys, createDirectory: true,
    });
    assert.equal(r.recordName, '202611._domainkey.example.com');
    assert.equal(fs.statSync(r.privateKeyPath).mode & 0o777, 0o600);
    const pem = fs.readFileSync(r.privateKeyPath, 'utf8');
    const published = crypto.createPublicKey(crypto.createPrivateKey(pem)).export({ type: 'spki', format: 'der' }).toString('base64');
    assert.ok(r.webFormValue.endsWith(`p=${published}`), 'the record carries the key file\'s public key');
    // The key's bytes appear in no answer or log line.
    const body = pem.replace(/-----[^-]+-----|\s/g, '');
    assert.ok(!JSON.stringify(r).includes(body.slice(40, 80)));
    const before = fs.readFileSync(r.privateKeyPath);
    await assert.rejects(execute(c, 'mailconf.server.generateDkimKey', { domain: 'example.com', selector: '202611', directory: keys }), /already exists.*Nothing was written/s);
    assert.deepEqual(fs.readFileSync(r.privateKeyPath), before);
    await assert.rejects(execute(c, 'mailconf.server.generateDkimKey', { domain: 'exa mple.com', selector: 's1', directory: keys }), /Nothing was written/);
    await assert.rejects(execute(c, 'mailconf.server.generateDkimKey', { domain: 'example.com', selector: 's1', directory: 'relative/dir' }), /absolute path/);
    assert.deepEqual(fs.readdirSync(keys).sort(), ['202611.private', '202611.txt']);
    assert.ok(!c.stderr.includes(body.slice(40, 80)));
  } finally {
    await c.shutdown();
  }
});

test('an untrusted workspace: no key is written, DNS is off and says why', async () => {
  const c = await started({ trusted: false });
  const keys = path.join(DIR, 'untrusted-keys');
  try {
    await assert.rejects(execute(c, 'mailconf.server.generateDkimKey', { domain: 'example.com', selector: 's1', directory: keys, createDirectory: true }), /untrusted workspace/);
    assert.equal(fs.existsSync(keys), false);
    const status = await execute<{ trusted: boolean }>(c, 'mailconf.server.status', {});
    assert.equal(status.trusted, false);
    await c.open(fileUri(path.join(DIR, 'example.com.zone')), 'dns-zone', ZONE);
    const r = await execute<{ markdown: string }>(c, 'mailconf.server.checkHost', { ip: '198.51.100.25', sender: 'example.com' });
    assert.match(r.markdown, /the workspace is not trusted/);
  } finally {
    await c.shutdown();
  }
});

test('the SPF lookup tree from the zone files counts lookups through includes', async () => {
  const c = await started();
  try {
    const other = `$ORIGIN spf.example.net.
$TTL 3600
@ IN SOA ns1 hostmaster 1 7200 900 1209600 300
  IN NS ns1
  IN TXT "v=spf1 a:out1.spf.example.net a:out2.spf.example.net mx ~all"
ns1 IN A 192.0.2.53
out1 IN A 192.0.2.10
out2 IN A 192.0.2.11
`;
    await c.open(fileUri(path.join(DIR, 'spf.example.net.zone')), 'dns-zone', other);
    await c.open(fileUri(path.join(DIR, 'example.com.zone')), 'dns-zone', ZONE.replace('mx ip4:192.0.2.0/24 -all', 'mx include:spf.example.net -all'));
    const r = await execute<{ title: string; markdown: string }>(c, 'mailconf.server.spfLookupTree', { domain: 'example.com.' });
    assert.equal(r.title, 'SPF lookup tree example.com');
    assert.match(r.markdown, /^# SPF lookup tree of `example\.com`\n\n_Answers from the workspace's zone files only/);
    // mx, include, then a, a, mx inside: 5 lookups; the inner mx of spf.example.net has no MX: one void.
    assert.match(r.markdown, /DNS lookups: \*\*5 of 10\*\*/);
    assert.match(r.markdown, /`include:spf\.example\.net`/);
    assert.match(r.markdown, /`a:out2\.spf\.example\.net` \(lookup 4\)/);
  } finally {
    await c.shutdown();
  }
});

test('a table changed on disk (didChangeWatchedFiles) is read again and the open documents re-checked', async () => {
  const etc = path.join(DIR, 'watched', 'etc');
  fs.mkdirSync(path.join(etc, 'opendkim'), { recursive: true });
  const keyTable = path.join(etc, 'opendkim', 'key.table');
  fs.writeFileSync(path.join(etc, 'opendkim.conf'), `KeyTable ${keyTable}\nSigningTable refile:${path.join(etc, 'opendkim', 'signing.table')}\n`);
  fs.writeFileSync(keyTable, 'other._domainkey.example.com example.com:other:/etc/opendkim/keys/other.private\n');
  const signingUri = fileUri(path.join(etc, 'opendkim', 'signing.table'));
  const c = new TestClient();
  try {
    await c.initialize(fileUri(path.join(DIR, 'watched')));
    const first = await c.open(signingUri, 'opendkim-table', '*@example.com default._domainkey.example.com\n');
    assert.ok(first.diagnostics.some((d) => d.code === 'opendkim/signingtable-unknown-key'), JSON.stringify(first.diagnostics));
    fs.writeFileSync(keyTable, 'default._domainkey.example.com example.com:default:/etc/opendkim/keys/default.private\n');
    const next = c.nextDiagnostics(signingUri);
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(keyTable), type: 2 }] });
    const after = await next;
    assert.ok(!after.diagnostics.some((d) => d.code === 'opendkim/signingtable-unknown-key'), JSON.stringify(after.diagnostics));
  } finally {
    await c.shutdown();
  }
});

/** A small /etc copy with a zone: opendkim.conf naming tables (plus `confExtra`), main.cf with mydomain. */
function mailTree(name: string, confExtra = ''): { root: string; etc: string; zoneUri: string } {
  const root = path.join(DIR, name);
  const etc = path.join(root, 'etc');
  fs.mkdirSync(path.join(etc, 'opendkim', 'keys'), { recursive: true });
  fs.mkdirSync(path.join(etc, 'postfix'), { recursive: true });
  fs.mkdirSync(path.join(etc, 'bind'), { recursive: true });
  fs.writeFileSync(path.join(etc, 'postfix', 'main.cf'), 'myhostname = mail.example.com\nmydomain = example.com\nsmtpd_milters = inet:127.0.0.1:8891\nnon_smtpd_milters = $smtpd_milters\n');
  fs.writeFileSync(path.join(etc, 'opendkim.conf'), `Socket inet:8891@127.0.0.1\nKeyTable /etc/opendkim/key.table\nSigningTable refile:/etc/opendkim/signing.table\n${confExtra}`);
  fs.writeFileSync(path.join(etc, 'opendkim', 'key.table'), '');
  fs.writeFileSync(path.join(etc, 'opendkim', 'signing.table'), '');
  const zone = path.join(etc, 'bind', 'db.example.com');
  fs.writeFileSync(zone, ZONE.replace('  IN TXT "v=spf1 mx ip4:192.0.2.0/24 -all"\n', ''));
  return { root, etc, zoneUri: fileUri(zone) };
}

type Changes = { documentChanges: Array<{ kind?: string; uri?: string; textDocument?: { uri: string }; edits?: Array<{ newText: string }> }> };

test('DKIM from the editor: suggestions from the workspace, then key files plus zone and table edits via workspace/applyEdit', async () => {
  // An OpenDKIM that signs with Ed25519 (one algorithm per instance): it takes the Ed25519 keys.
  const t = mailTree('dkim-tree', 'SignatureAlgorithm ed25519-sha256\n');
  const c = new TestClient();
  try {
    await c.initialize(fileUri(t.root));
    await c.configure('mailconf', { configRoot: 'etc' });
    const s = await execute<{ domains: string[]; selector: string; zones: Array<{ uri: string; domains: string[] }>; algorithms: Array<{ algorithm: string; isDefault: boolean }> }>(c, 'mailconf.server.dkimSuggestions', {});
    assert.equal(s.domains[0], 'example.com');
    assert.match(s.selector, /^\d{6}/);
    assert.deepEqual(s.zones.map((z) => [z.uri, z.domains[0]]), [[t.zoneUri, 'example.com']]);
    assert.equal(s.algorithms.find((a) => a.isDefault)?.algorithm, 'rsa2048');

    const keys = path.join(t.root, 'keys');
    const r = await execute<{ applied: string[]; notes: string[]; privateKeyPath: string }>(c, 'mailconf.server.generateDkimKey', {
      domain: 'example.com', selector: 'sel1', algorithm: 'ed25519', directory: keys, createDirectory: true, zoneUri: t.zoneUri, updateTables: true,
    });
    assert.equal(fs.statSync(r.privateKeyPath).mode & 0o777, 0o600);
    assert.equal(r.applied.length, 2, JSON.stringify(r));
    assert.equal(c.appliedEdits.length, 1);
    const edit = c.appliedEdits[0] as Changes;
    const texts = new Map<string, string>();
    for (const ch of edit.documentChanges) if (ch.textDocument) texts.set(ch.textDocument.uri, (texts.get(ch.textDocument.uri) ?? '') + ch.edits!.map((e) => e.newText).join(''));
    // opendkim-genkey's layout, relative to the zone's $ORIGIN, and the SOA serial bumped (1 → 2).
    assert.match(texts.get(t.zoneUri) ?? '', /^sel1\._domainkey\tIN\tTXT\t\( "v=DKIM1; k=ed25519; "\n\t  "p=[A-Za-z0-9+/]{43}=" \)\n2$/);
    assert.match(texts.get(fileUri(path.join(t.etc, 'opendkim', 'key.table'))) ?? '', new RegExp(`sel1\\._domainkey\\.example\\.com example\\.com:sel1:${keys.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/sel1\\.private`));
    assert.match(texts.get(fileUri(path.join(t.etc, 'opendkim', 'signing.table'))) ?? '', /example\.com sel1\._domainkey\.example\.com/);
    assert.ok(r.notes.some((n) => /chown opendkim/.test(n)));
    // The editor applies the edits to the documents (the KeyTable was empty: the edit is its text).
    const keyTableUri = fileUri(path.join(t.etc, 'opendkim', 'key.table'));
    await c.open(keyTableUri, 'opendkim-table', texts.get(keyTableUri)!);
    // Same selector again: refused before a key is written (the first key's files stay as they are).
    await assert.rejects(execute(c, 'mailconf.server.generateDkimKey', { domain: 'example.com', selector: 'sel1', directory: path.join(t.root, 'keys2'), createDirectory: true }), /Nothing was written/);
    assert.equal(fs.existsSync(path.join(t.root, 'keys2')), false);
    // A key written inside the copy of /etc is named by its /etc path in the KeyTable.
    const inCopy = path.join(t.etc, 'opendkim', 'keys', 'example.com');
    await execute(c, 'mailconf.server.generateDkimKey', { domain: 'example.com', selector: 'sel2', algorithm: 'ed25519', directory: inCopy, createDirectory: true, updateTables: true });
    const second = c.appliedEdits[1] as Changes;
    const keyLine = second.documentChanges.filter((ch) => ch.textDocument?.uri === keyTableUri).flatMap((ch) => ch.edits!.map((e) => e.newText)).join('');
    assert.match(keyLine, /sel2\._domainkey\.example\.com example\.com:sel2:\/etc\/opendkim\/keys\/example\.com\/sel2\.private/);
    assert.ok(fs.existsSync(path.join(inCopy, 'sel2.private')));
  } finally {
    await c.shutdown();
  }
});

test('DKIM from the editor: an Ed25519 key for an OpenDKIM that signs with rsa-sha256 gets its key files and record, not the table lines', async () => {
  const t = mailTree('dkim-ed-tree');
  const keyTableUri = fileUri(path.join(t.etc, 'opendkim', 'key.table'));
  const c = new TestClient();
  try {
    await c.initialize(fileUri(t.root));
    await c.configure('mailconf', { configRoot: 'etc' });
    const s = await execute<{ algorithms: Array<{ algorithm: string; notes: string[] }> }>(c, 'mailconf.server.dkimSuggestions', {});
    assert.match(s.algorithms.find((a) => a.algorithm === 'ed25519')!.notes[0], /^opendkim\.conf signs with rsa-sha256 \(the default\): a key of this type is written with its DNS record, but not added/);
    const keys = path.join(t.root, 'keys');
    const r = await execute<{ applied: string[]; notes: string[]; privateKeyPath: string; txtPath: string }>(c, 'mailconf.server.generateDkimKey', {
      domain: 'example.com', selector: 'ed1', algorithm: 'ed25519', directory: keys, createDirectory: true, zoneUri: t.zoneUri, updateTables: true,
    });
    assert.equal(fs.statSync(r.privateKeyPath).mode & 0o777, 0o600);
    assert.ok(fs.existsSync(r.txtPath));
    assert.deepEqual(r.applied, ['inserted the TXT record into db.example.com']);
    assert.match(r.notes[0], /^The KeyTable and SigningTable were left alone: opendkim\.conf sets no SignatureAlgorithm, so OpenDKIM signs with rsa-sha256/);
    assert.match(r.notes[0], /EVP_PKEY_get1_RSA\(\) failed/);
    const edit = c.appliedEdits[0] as Changes;
    const uris = [...new Set(edit.documentChanges.map((ch) => ch.textDocument?.uri ?? ch.uri))];
    assert.deepEqual(uris, [t.zoneUri], 'only the zone file is edited');
    assert.equal(fs.readFileSync(new URL(keyTableUri), 'utf8'), '');
  } finally {
    await c.shutdown();
  }
});

test('SPF and DMARC records from the editor: a preview, then the insertion; a second record is refused', async () => {
  const t = mailTree('records-tree');
  const c = new TestClient();
  try {
    await c.initialize(fileUri(t.root));
    const spf = await execute<{ owner: string; value: string; zones: Array<{ uri: string }>; lookups: number }>(c, 'mailconf.server.generateSpfRecord', { domain: 'example.com', all: '-all' });
    assert.equal(spf.owner, 'example.com');
    assert.match(spf.value, /^v=spf1 .*-all$/);
    assert.ok(spf.value.includes('mx') || spf.value.includes('ip4:198.51.100.25'), spf.value);
    assert.ok(spf.lookups <= 10);
    assert.deepEqual(spf.zones.map((z) => z.uri), [t.zoneUri]);
    assert.equal(c.appliedEdits.length, 0, 'a preview changes nothing');
    const inserted = await execute<{ inserted: string }>(c, 'mailconf.server.generateSpfRecord', { domain: 'example.com', all: '-all', zoneUri: t.zoneUri, insert: true });
    assert.match(inserted.inserted, /added the SPF record of example\.com/);
    assert.equal(c.appliedEdits.length, 1);

    const dmarc = await execute<{ owner: string; value: string }>(c, 'mailconf.server.generateDmarcRecord', { domain: 'example.com', rua: 'mailto:dmarc@example.com' });
    assert.equal(dmarc.owner, '_dmarc.example.com');
    assert.equal(dmarc.value, 'v=DMARC1; p=none; rua=mailto:dmarc@example.com');
    await assert.rejects(execute(c, 'mailconf.server.generateDmarcRecord', { domain: 'example.com', rua: 'not a uri' }), /rua/);

    // Once the zone has an SPF record, inserting another is refused.
    await c.open(t.zoneUri, 'dns-zone', fs.readFileSync(new URL(t.zoneUri), 'utf8') + '@ IN TXT "v=spf1 mx -all"\n');
    await assert.rejects(execute(c, 'mailconf.server.generateSpfRecord', { domain: 'example.com', zoneUri: t.zoneUri, insert: true }), /already has an SPF record/);
    assert.equal(c.appliedEdits.length, 1);
    // Asked to replace, the existing record's strings are replaced in place.
    const preview = await execute<{ existing: boolean }>(c, 'mailconf.server.generateSpfRecord', { domain: 'example.com' });
    assert.equal(preview.existing, true);
    const replaced = await execute<{ inserted: string }>(c, 'mailconf.server.generateSpfRecord', { domain: 'example.com', all: '-all', zoneUri: t.zoneUri, insert: true, replace: true });
    assert.match(replaced.inserted, /replaced the SPF record of example\.com/);
    const edit = c.appliedEdits[1] as { documentChanges: Array<{ edits: Array<{ range: { start: { line: number } }; newText: string }> }> };
    const lines = fs.readFileSync(new URL(t.zoneUri), 'utf8').split('\n').length;
    assert.equal(edit.documentChanges[0].edits[0].range.start.line, lines - 1, 'the last line, where the old record is');
    assert.match(edit.documentChanges[0].edits[0].newText, /^"v=spf1 .*-all"$/);
  } finally {
    await c.shutdown();
  }
});

test('check mail domain with DNS off: the report over the zone files, saying so', async () => {
  const t = mailTree('domain-tree');
  const c = new TestClient();
  try {
    await c.initialize(fileUri(t.root));
    const r = await execute<{ title: string; markdown: string }>(c, 'mailconf.server.checkMailDomain', {});
    assert.equal(r.title, 'Mail domain example.com');
    assert.match(r.markdown, /— checked against the workspace's zone files only \(live DNS is off: mailconf\.dns\.enabled is off\)\./);
    assert.doesNotMatch(r.markdown, /live DNS\.$/m);
    assert.match(r.markdown, /From the workspace \(`etc\/postfix\/main\.cf`\)/);
    assert.match(r.markdown, /mail\.example\.com/);
    assert.match(r.markdown, /DMARC/);
  } finally {
    await c.shutdown();
  }
});

test('check_host explains a TXT record that only looks like SPF (seed 002: unquoted, joined without spaces)', async () => {
  const c = await started();
  try {
    const zone = '$ORIGIN domain.tld.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 900 1209600 300\n  IN NS ns1\nns1 IN A 192.0.2.1\n@ IN TXT v=spf1 a mx ~all\n';
    await c.open(fileUri(path.join(DIR, 'domain.tld.zone')), 'dns-zone', zone);
    const r = await execute<{ result: string; markdown: string }>(c, 'mailconf.server.checkHost', { ip: '192.0.2.1', sender: 'domain.tld' });
    assert.equal(r.result, 'none');
    assert.match(r.markdown, /has the TXT record `v=spf1amx~all`, which is not SPF/);
  } finally {
    await c.shutdown();
  }
});
