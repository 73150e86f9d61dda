// `mailconf check --dns` against BIND's named on 127.0.0.1 (harness/named.ts): the live DKIM
// key check of KeyTables from the command line, as CI would run it, and that without --dns
// (the default) not one query is sent. Needs /usr/sbin/named (Debian's bind9); without it
// the tests fail with advice, never skip. Every server named here is on 127.0.0.1.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startNamed, type NamedServer } from './harness/named';
import { describeErrors, sarifValidator } from '../cli/sarifSchema';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist', 'cli.js');
let named: NamedServer;
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-cli-dns-'));
const KEY = path.join(DIR, 'keys', 'good.private');
let keyPem = '';

before(async () => {
  named = await startNamed();
  fs.mkdirSync(path.dirname(KEY), { recursive: true });
  keyPem = named.dkim.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  fs.writeFileSync(KEY, keyPem, { mode: 0o600 });
});

after(async () => {
  await named?.stop();
  fs.rmSync(DIR, { recursive: true, force: true });
});

/** Runs the built CLI without blocking the event loop (named's log is read meanwhile). */
function run(args: string[], timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: DIR, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`mailconf ${args.join(' ')} did not end within ${timeoutMs} ms`)); }, timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** A folder with a KeyTable whose entries all use the run's key file, one line per selector. */
function keyTableDir(name: string, selectors: string[], extra = ''): string {
  const dir = path.join(DIR, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'KeyTable'), extra + selectors.map((s) => `${s}._domainkey.mailconf.test mailconf.test:${s}:${KEY}\n`).join(''));
  return dir;
}

interface JsonOutput { files: Array<{ path: string; findings: Array<{ line: number; code: string; severity: string; message: string }> }> }
const dnsFindings = (stdout: string) => (JSON.parse(stdout) as JsonOutput).files.flatMap((f) => f.findings.filter((x) => x.code.startsWith('dns/')).map((x) => ({ line: x.line, code: x.code })));

test('--dns: the good selector passes, the bad one mismatches, a missing one is not published (exit 1)', async () => {
  const dir = keyTableDir('three', ['good', 'bad', 'nosuch']);
  const r = await run(['check', '--dns', '--dns-server', named.address, '--dns-timeout', '1000', '--format', 'json', dir]);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(dnsFindings(r.stdout), [
    { line: 2, code: 'dns/dkim-key-mismatch' },
    { line: 3, code: 'dns/dkim-not-published' },
  ]);
  assert.ok(named.queriesFor('good._domainkey.mailconf.test', 'TXT').length >= 1);
  assert.ok(named.queriesFor('nosuch._domainkey.mailconf.test', 'TXT').length >= 1);
  assert.ok(!r.stdout.includes('PRIVATE KEY') && !r.stderr.includes('PRIVATE KEY'));
  const body = keyPem.split('\n')[1];
  assert.ok(body.length > 40 && !r.stdout.includes(body) && !r.stderr.includes(body), 'no private key material in the output');

  const good = await run(['check', '--dns', '--dns-server', named.address, keyTableDir('good', ['good'])]);
  assert.equal(good.code, 0, good.stdout + good.stderr);
  assert.doesNotMatch(good.stdout, / dns\//);
});

test('--dns with the key written in the KeyTable itself (base64 PKCS#8): compared too, never printed', async () => {
  const inline = (named.dkim.privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64');
  const dir = path.join(DIR, 'inline');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'KeyTable'), `k1 mailconf.test:good:${inline}\nk2 mailconf.test:bad:${inline}\n`, { mode: 0o600 });
  const r = await run(['check', '--dns', '--dns-server', named.address, '--format', 'json', dir]);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(dnsFindings(r.stdout), [{ line: 2, code: 'dns/dkim-key-mismatch' }]);
  for (const piece of [inline.slice(40, 80), inline.slice(-60, -20)]) {
    assert.ok(!r.stdout.includes(piece) && !r.stderr.includes(piece), 'no private key material in the output');
  }
});

test('without --dns (the default) and with --no-dns no query reaches named', async () => {
  const dir = keyTableDir('offline', ['offline1']);
  for (const args of [[], ['--no-dns'], ['--dns-server', named.address], ['--dns', '--no-dns', '--dns-server', named.address]]) {
    const r = await run(['check', ...args, '--format', 'json', dir]);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.deepEqual(dnsFindings(r.stdout), []);
  }
  // The same run with --dns does ask: the query log would have shown the ones above.
  const asked = await run(['check', '--dns', '--dns-server', named.address, '--format', 'json', keyTableDir('online', ['online1'])]);
  assert.deepEqual(dnsFindings(asked.stdout), [{ line: 1, code: 'dns/dkim-not-published' }]);
  assert.equal(named.queriesFor('online1._domainkey.mailconf.test', 'TXT').length >= 1, true);
  assert.deepEqual(named.queriesFor('offline1._domainkey.mailconf.test', 'TXT'), []);
});

test('--dns with --format sarif: valid SARIF 2.1.0 with the dns/ rules; progress names the KeyTables on stderr', async () => {
  const dir = keyTableDir('sarif', ['good', 'bad']);
  const r = await run(['check', '--dns', '--dns-server', named.address, '--format', 'sarif', '--progress', dir]);
  assert.equal(r.code, 1, r.stderr);
  const log = JSON.parse(r.stdout) as { runs: Array<{ results: Array<{ ruleId: string; level: string }>; tool: { driver: { rules: Array<{ id: string }> } } }> };
  const validate = sarifValidator();
  assert.equal(validate(log), true, describeErrors(validate.errors));
  assert.deepEqual(log.runs[0].results.filter((x) => x.ruleId.startsWith('dns/')).map((x) => [x.ruleId, x.level]), [['dns/dkim-key-mismatch', 'error']]);
  assert.ok(log.runs[0].tool.driver.rules.some((x) => x.id === 'dns/dkim-key-mismatch'));
  assert.match(r.stderr, /looked up the DKIM keys of 1\/1 KeyTables/);
});

test('a disable comment silences a DNS finding from the command line too', async () => {
  const dir = keyTableDir('silenced', ['bad'], '# mailconf-disable-next-line dns/dkim-key-mismatch\n');
  const r = await run(['check', '--dns', '--dns-server', named.address, '--format', 'json', dir]);
  assert.equal(r.code, 0, r.stdout);
  assert.deepEqual(dnsFindings(r.stdout), []);
  assert.ok(named.queriesFor('bad._domainkey.mailconf.test', 'TXT').length >= 1, 'it was looked up');
});

test('a DNS server that never answers: one dns/lookup-failed note, exit 0, the run ends', async () => {
  // A UDP socket on loopback that reads queries and answers none.
  const silent = dgram.createSocket('udp4');
  let received = 0;
  silent.on('message', () => { received++; });
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  try {
    const dir = keyTableDir('silent', ['good', 'bad']);
    const r = await run(['check', '--dns', '--dns-server', `127.0.0.1:${silent.address().port}`, '--dns-timeout', '150', '--format', 'json', dir]);
    assert.equal(r.code, 0, r.stderr);
    const failed = (JSON.parse(r.stdout) as JsonOutput).files.flatMap((f) => f.findings).filter((x) => x.code === 'dns/lookup-failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].severity, 'information');
    assert.match(failed[0].message, /no DNS server answered in time/);
    assert.ok(received >= 2, `the queries went to the silent server (${received})`);
  } finally {
    silent.close();
  }
});
