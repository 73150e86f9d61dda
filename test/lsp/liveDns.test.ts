// Live DNS through the real server, pointed at BIND's named on 127.0.0.1 (harness/named.ts)
// via mailconf.dns.servers: the DKIM key check of KeyTable entries, no query when DNS is
// off or the workspace untrusted, and hovers that answer while DNS is timing out.
// Needs /usr/sbin/named (Debian's bind9); without it the tests fail with advice, never skip.
// No query leaves the machine: every server named here is on 127.0.0.1.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestClient, fileUri } from './lspClient';
import { startNamed, type NamedServer } from '../integration/harness/named';
import { sleep } from '../integration/harness/processes';

let named: NamedServer;
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-lsp-dns-'));
const KEY = path.join(DIR, 'keys', 'good.private');

before(async () => {
  named = await startNamed();
  fs.mkdirSync(path.dirname(KEY), { recursive: true });
  fs.writeFileSync(KEY, named.dkim.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
});

after(async () => {
  await named?.stop();
  fs.rmSync(DIR, { recursive: true, force: true });
});

/** A KeyTable whose entries all use the run's key file, one line per selector. */
function keyTable(selectors: string[]): string {
  return selectors.map((s) => `${s}._domainkey.mailconf.test mailconf.test:${s}:${KEY}\n`).join('');
}

async function client(dns: unknown, initializationOptions?: unknown): Promise<TestClient> {
  const c = new TestClient();
  c.settings.mailconf = { dns };
  if (initializationOptions === undefined) {
    await c.initialize(fileUri(DIR));
  } else {
    await c.initializeWith({ rootUri: fileUri(DIR), capabilities: { workspace: { configuration: true } }, initializationOptions });
  }
  return c;
}

/** Waits for diagnostics of `uri` that satisfy `ok`, or fails after `timeoutMs`. */
async function diagnosticsUntil(c: TestClient, uri: string, ok: (p: PublishDiagnosticsParams) => boolean, timeoutMs = 8000): Promise<PublishDiagnosticsParams> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const p = await c.nextDiagnostics(uri, undefined, Math.max(1, end - Date.now()));
    if (ok(p)) return p;
  }
}

const markdown = (h: Hover | null) => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');

/** Hovers until live DNS has answered (the first hover may say "looking up …"). */
async function liveHover(c: TestClient, uri: string, line: number, character: number): Promise<string> {
  for (let i = 0; ; i++) {
    const text = markdown(await c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } }));
    if (!text.includes('looking up') || i === 10) return text;
    await sleep(100);
  }
}

const dnsCodes = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => String(d.code).startsWith('dns/')).map((d) => ({ line: d.range.start.line, code: d.code }));

test('DKIM key check: good selector passes, bad one mismatches, a missing one is not published', async () => {
  const c = await client({ servers: [named.address], timeoutMs: 1000 });
  try {
    const uri = fileUri(path.join(DIR, 'KeyTable'));
    const waiting = diagnosticsUntil(c, uri, (p) => dnsCodes(p).length > 0);
    const t0 = Date.now();
    const first = await c.open(uri, 'opendkim-table', keyTable(['good', 'bad', 'nosuch']));
    assert.deepEqual(dnsCodes(first), [], 'the first publish is local only');
    const withDns = await waiting;
    process.stdout.write(`# DNS findings ${Date.now() - t0} ms after open\n`);
    assert.equal(withDns.version, 1);
    assert.deepEqual(dnsCodes(withDns), [
      { line: 1, code: 'dns/dkim-key-mismatch' },
      { line: 2, code: 'dns/dkim-not-published' },
    ]);
    const mismatch = withDns.diagnostics.find((d) => d.code === 'dns/dkim-key-mismatch')!;
    assert.match(String(mismatch.message), /bad\._domainkey\.mailconf\.test/);
    assert.equal(named.queriesFor('good._domainkey.mailconf.test', 'TXT').length >= 1, true);
    // An edit drops the old DNS findings; the new version gets its own.
    const edited = await c.change(uri, 2, [{ text: keyTable(['good']) }]);
    assert.deepEqual(dnsCodes(edited), []);
    // The DNS round for version 2 publishes again (same version), with nothing from DNS.
    const again = await c.nextDiagnostics(uri, 2, 5000);
    assert.deepEqual(dnsCodes(again), [], 'the good selector alone gives no dns/ finding');
  } finally {
    await c.shutdown();
  }
});

for (const [what, dns, init] of [
  ['mailconf.dns.enabled = false', { enabled: false, servers: [] as string[] }, undefined],
  ['an untrusted workspace', { servers: [] as string[] }, { trusted: false }],
] as const) {
  test(`no query reaches named with ${what}`, async () => {
    const selector = init ? 'untrusted' : 'disabled';
    const c = await client({ ...dns, servers: [named.address] }, init);
    try {
      const uri = fileUri(path.join(DIR, `${selector}.KeyTable`));
      const d = await c.open(uri, 'opendkim-table', keyTable([selector]));
      assert.ok(Array.isArray(d.diagnostics));
      await sleep(800); // well past the delay before DNS checks start
      assert.deepEqual(named.queriesFor(`${selector}._domainkey.mailconf.test`, 'TXT'), []);
      const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
      assert.ok(h, 'the local hover still answers');
    } finally {
      await c.shutdown();
    }
  });
}

test('a hover answers quickly while DNS is timing out', async () => {
  const hole = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => hole.bind(0, '127.0.0.1', resolve));
  let received = 0;
  hole.on('message', () => { received++; });
  const c = await client({ servers: [`127.0.0.1:${hole.address().port}`], timeoutMs: 400 });
  try {
    const uri = fileUri(path.join(DIR, 'slow.KeyTable'));
    const conf = fileUri(path.join(DIR, 'opendkim.conf'));
    await c.open(conf, 'opendkim-conf', 'Canonicalization relaxed/simple\nMode sv\n');
    const failed = diagnosticsUntil(c, uri, (p) => dnsCodes(p).length > 0, 10_000);
    await c.open(uri, 'opendkim-table', keyTable(['good', 'bad']));
    const end = Date.now() + 3000;
    while (received === 0 && Date.now() < end) await sleep(20);
    assert.ok(received > 0, 'the DNS query is in flight');
    const t0 = Date.now();
    const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: conf }, position: { line: 0, character: 3 } });
    const elapsed = Date.now() - t0;
    process.stdout.write(`# hover during a DNS timeout: ${elapsed} ms\n`);
    assert.match(markdown(h), /relaxed|simple/, 'the hover has content');
    assert.ok(elapsed < 200, `hover took ${elapsed} ms`);
    // On a KeyTable line the hover waits at most briefly for DNS, then says it is looking up.
    const t1 = Date.now();
    const onLine = markdown(await c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 2 } }));
    const waited = Date.now() - t1;
    process.stdout.write(`# hover on a KeyTable line during a DNS timeout: ${waited} ms\n`);
    assert.match(onLine, /looking up/);
    assert.ok(waited < 600, `hover took ${waited} ms`);
    const p = await failed;
    assert.deepEqual(dnsCodes(p), [{ line: 0, code: 'dns/lookup-failed' }], 'a timeout is told once per document');
  } finally {
    await c.shutdown();
    hole.close();
  }
});

test('hovers with the published truth: a KeyTable line, zone owners (same / different) and an SPF include target', async () => {
  const c = await client({ servers: [named.address], timeoutMs: 1000 });
  try {
    const kt = fileUri(path.join(DIR, 'hover.KeyTable'));
    await c.open(kt, 'opendkim-table', keyTable(['good']));
    const onKey = await liveHover(c, kt, 0, 2);
    assert.match(onKey, /Live DNS.*good\._domainkey\.mailconf\.test.*TXT/);
    assert.ok(onKey.includes('v=DKIM1; k=rsa; p=' + named.dkim.goodPublicKey.slice(0, 40)), onKey);

    const zone = fileUri(path.join(DIR, 'mailconf.test.zone'));
    const text = [
      '$ORIGIN mailconf.test.',
      '$TTL 300',
      '@ IN SOA ns hostmaster 1 3600 600 86400 60',
      '@ IN NS ns',
      'ns IN A 127.0.0.1',
      'host IN A 192.0.2.99',
      'chain IN TXT "v=spf1 include:i1.mailconf.test -all"',
      '',
    ].join('\n');
    await c.open(zone, 'dns-zone', text);
    const host = await liveHover(c, zone, 5, 1);
    assert.match(host, /`host\.mailconf\.test` A: 1 record, TTL 300 s/);
    assert.match(host, /only in the zone files: `192\.0\.2\.99`/);
    assert.match(host, /only in DNS: `192\.0\.2\.10`/);
    const ns = await liveHover(c, zone, 4, 1);
    assert.match(ns, /Same as the zone files/);
    const chain = await liveHover(c, zone, 6, 2);
    assert.match(chain, /Same as the zone files/);
    const include = await liveHover(c, zone, 6, 'chain IN TXT "v=spf1 inc'.length);
    assert.match(include, /`i1\.mailconf\.test` TXT: 1 record/);
    assert.match(include, /include:i2\.mailconf\.test/);
    assert.match(include, /zone files of this workspace have no such record|they have no such record/);
  } finally {
    await c.shutdown();
  }
});

test('live DNS in the SPF record hover and in the commands: lookup tree, check_host, mail domain report', async () => {
  const c = await client({ servers: [named.address], timeoutMs: 1000 });
  const execute = <R>(command: string, args: unknown) => c.request<R>('workspace/executeCommand', { command, arguments: [args] });
  try {
    const zone = fileUri(path.join(DIR, 'spf-hover.zone'));
    await c.open(zone, 'dns-zone', '$ORIGIN mailconf.test.\n$TTL 300\nchain IN TXT "v=spf1 include:i1.mailconf.test -all"\n');
    // On the record (not on a term): the totals from live DNS, 11 lookups through the chain.
    const onRecord = await liveHover(c, zone, 2, 'chain IN TXT "v='.length);
    assert.match(onRecord, /\*\*Live DNS\*\* \(`chain\.mailconf\.test`\): DNS lookups: \*\*11 of 10\*\* — over the limit/);

    const tree = await execute<{ markdown: string }>('mailconf.server.spfLookupTree', { domain: 'chain.mailconf.test' });
    assert.match(tree.markdown, /_Answers from live DNS\._/);
    assert.match(tree.markdown, /Over the 10-lookup limit/);
    assert.match(tree.markdown, /`include:i11\.mailconf\.test` \(lookup 11\)/);

    const pass = await execute<{ result: string }>('mailconf.server.checkHost', { ip: '198.51.100.25', sender: 'postmaster@ok.maildomain.test' });
    assert.equal(pass.result, 'pass');
    const fail = await execute<{ result: string }>('mailconf.server.checkHost', { ip: '198.51.100.26', sender: 'maildomain.test' });
    assert.equal(fail.result, 'fail');

    const good = await execute<{ markdown: string }>('mailconf.server.checkMailDomain', { domain: 'ok.maildomain.test' });
    assert.match(good.markdown, /— checked against live DNS\./);
    assert.match(good.markdown, /mx1\.maildomain\.test/);
    const bad = await execute<{ markdown: string }>('mailconf.server.checkMailDomain', { domain: 'maildomain.test' });
    assert.match(bad.markdown, /mx2\.maildomain\.test/);
    assert.match(bad.markdown, /DMARC/);
    assert.ok(named.queriesFor('_dmarc.maildomain.test', 'TXT').length > 0, 'the report asked named');
  } finally {
    await c.shutdown();
  }
});
