// Private key material never leaves its file. Keys are made the ways the tests and users
// make them (writeDkimKey RSA and Ed25519 as `mailconf dkim generate` writes them, a PKCS#1
// "RSA PRIVATE KEY" as older opendkim-genkey wrote, a key inline in a KeyTable, the key
// named serves the public half of, a key the server generates on request), laid out as
// /etc with KeyTable lines pointing at them. Then everything that can show text runs on
// them — the CLI (check in text, JSON and SARIF, with --dns against named; dkim generate)
// and the LSP server (diagnostics, hovers everywhere with live DNS on, code actions,
// symbols, semantic tokens, definitions, commands, its stderr and log) — and every byte of
// output is searched for any 40-character piece of any key's base64. Last, the suite's
// artifacts and the repository's files are searched for anything that parses as a private
// key. Needs /usr/sbin/named and `npm run build`.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeDkimKey } from '../../server/src/node/dkimKeys';
import { startNamed, type NamedServer } from './harness/named';
import { TestClient, fileUri } from '../lsp/lspClient';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const BASE = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-keys-')));
const ETC = path.join(BASE, 'etc');
const KEYS = path.join(ETC, 'opendkim', 'keys');
const DOMAIN = 'mailconf.test';

let named: NamedServer;
/** base64 bodies of every private key of this test (PEM bodies joined, inline DER). */
const secrets: Array<{ name: string; base64: string }> = [];
/** Everything any front end printed, answered or logged. */
const outputs: Array<{ what: string; text: string }> = [];

function pemBody(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}

function addSecretFile(name: string, file: string): void {
  secrets.push({ name, base64: pemBody(fs.readFileSync(file, 'utf8')) });
}

function write(p: string, text: string, mode = 0o644): void {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text, { mode });
}

before(async () => {
  named = await startNamed();
  fs.mkdirSync(KEYS, { recursive: true, mode: 0o700 });
  // As `mailconf dkim generate` and the server's command write them.
  const rsa = writeDkimKey({ domain: DOMAIN, selector: 'rsa', algorithm: 'rsa2048', dir: KEYS });
  const ed = writeDkimKey({ domain: DOMAIN, selector: 'ed', algorithm: 'ed25519', dir: KEYS });
  addSecretFile('rsa (writeDkimKey)', rsa.privateKeyPath);
  addSecretFile('ed25519 (writeDkimKey)', ed.privateKeyPath);
  // PKCS#1, as openssl genrsa wrote for older opendkim-genkey.
  const pkcs1 = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  write(path.join(KEYS, 'old.private'), pkcs1, 0o600);
  addSecretFile('rsa PKCS#1', path.join(KEYS, 'old.private'));
  // The key whose public half named publishes at good._domainkey.
  write(path.join(KEYS, 'good.private'), named.dkim.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
  addSecretFile('named fixture key', path.join(KEYS, 'good.private'));
  // A key inline in the KeyTable (OpenDKIM takes base64 DER key data in place of a path).
  const inline = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
  secrets.push({ name: 'inline KeyTable key', base64: inline });

  write(path.join(ETC, 'opendkim.conf'), [
    'Syslog yes', 'Mode sv', 'Canonicalization relaxed/simple', 'Socket inet:8891@localhost',
    'KeyTable refile:/etc/opendkim/KeyTable', 'SigningTable refile:/etc/opendkim/SigningTable', '',
  ].join('\n'));
  write(path.join(ETC, 'opendkim', 'KeyTable'), [
    `rsa._domainkey.${DOMAIN} ${DOMAIN}:rsa:/etc/opendkim/keys/rsa.private`,
    `ed._domainkey.${DOMAIN} ${DOMAIN}:ed:/etc/opendkim/keys/ed.private`,
    `old._domainkey.${DOMAIN} ${DOMAIN}:old:/etc/opendkim/keys/old.private`,
    `good._domainkey.${DOMAIN} ${DOMAIN}:good:/etc/opendkim/keys/good.private`,
    `bad._domainkey.${DOMAIN} ${DOMAIN}:bad:/etc/opendkim/keys/good.private`,
    `inline._domainkey.${DOMAIN} ${DOMAIN}:inline:${inline}`,
    '',
  ].join('\n'));
  // Every key is picked by a line, so the checks comparing them with the zone (opendkim/key-not-in-zone,
  // whose quick-fix writes the key's public record) run on each.
  write(path.join(ETC, 'opendkim', 'SigningTable'), ['*', 'old', 'good', 'bad', 'inline'].map((who) => `${who}@${DOMAIN} ${who === '*' ? 'rsa' : who}._domainkey.${DOMAIN}\n`).join(''));
  write(path.join(ETC, 'postfix', 'main.cf'), 'smtpd_milters = inet:localhost:8891\nnon_smtpd_milters = $smtpd_milters\n');
  write(path.join(BASE, 'zones', `${DOMAIN}.zone`), `$ORIGIN ${DOMAIN}.\n$TTL 1h\n@ IN SOA ns hm 1 2h 1h 4w 1h\n@ IN NS ns\nns IN A 192.0.2.1\n${rsa.zoneFileText}${ed.zoneFileText}`);
});

after(async () => {
  await named?.stop();
  fs.rmSync(BASE, { recursive: true, force: true });
});

function cli(args: string[]): void {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: BASE, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.signal, null, `mailconf ${args.join(' ')} did not end`);
  outputs.push({ what: `mailconf ${args.join(' ')} (stdout)`, text: r.stdout }, { what: `mailconf ${args.join(' ')} (stderr)`, text: r.stderr });
}

/** base64 of the DER SubjectPublicKeyInfo of a secret's key ('' when it does not parse). */
function publicHalf(base64: string): string {
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    try {
      return crypto.createPublicKey(crypto.createPrivateKey({ key: Buffer.from(base64, 'base64'), format: 'der', type })).export({ type: 'spki', format: 'der' }).toString('base64');
    } catch {
      // the other encoding
    }
  }
  return '';
}

/**
 * Every window of `size` characters of each secret, for a quick membership test. The first
 * 64 characters (for a short Ed25519 key, up to the last window) are left out: they are the
 * DER structure every key of a type starts with (a test may quote "MIIEvQIBADANBg…"), and a
 * window two keys share is structure too, not a secret. So is a window that is also in the
 * key's public half: a PKCS#1 key holds the modulus at the same base64 alignment as the DNS
 * record's SubjectPublicKeyInfo, and publishing that is the point.
 */
function windows(size: number): Map<string, string> {
  const m = new Map<string, string>();
  const shared = new Set<string>();
  for (const s of secrets) {
    const pub = publicHalf(s.base64);
    for (let i = Math.min(64, s.base64.length - size); i + size <= s.base64.length; i++) {
      const w = s.base64.slice(i, i + size);
      if (pub.includes(w)) continue;
      const owner = m.get(w);
      if (owner !== undefined && owner !== s.name) shared.add(w);
      m.set(w, s.name);
    }
  }
  for (const w of shared) m.delete(w);
  return m;
}

/** The secret (and where) any 40-character run of base64 characters in `text` comes from. */
function leaks(text: string, table: Map<string, string>): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/[A-Za-z0-9+/]{40,}/g)) {
    const run = m[0];
    for (let i = 0; i + 40 <= run.length; i++) {
      const from = table.get(run.slice(i, i + 40));
      if (from) { found.push(`${from} at offset ${m.index! + i}`); break; }
    }
  }
  return found;
}

/** PEM private key blocks and base64 runs in `text` that parse as a private key. */
function parseablePrivateKeys(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[A-Za-z0-9+/=\s\\n]+-----END \1-----/g)) {
    try {
      crypto.createPrivateKey(m[0].replace(/\\n/g, '\n'));
      found.push(`a PEM ${m[1]}`);
    } catch {
      // a placeholder or broken block, not key material
    }
  }
  for (const m of text.matchAll(/[A-Za-z0-9+/]{60,}={0,2}/g)) {
    const der = Buffer.from(m[0], 'base64');
    for (const type of ['pkcs8', 'pkcs1'] as const) {
      try {
        crypto.createPrivateKey({ key: der, format: 'der', type });
        found.push(`base64 ${type} DER (${m[0].slice(0, 12)}…)`);
        break;
      } catch {
        // not a key
      }
    }
  }
  return found;
}

test('the command line: check (text, JSON, SARIF, live DNS against named) and dkim generate', () => {
  cli(['check', '--no-color', '--config-root', ETC, BASE]);
  cli(['check', '--format', 'json', '--config-root', ETC, BASE]);
  cli(['check', '--format', 'sarif', '--config-root', ETC, BASE]);
  cli(['check', '--no-color', '--config-root', ETC, '--dns', '--dns-server', named.address, BASE]);
  const out = path.join(BASE, 'generated');
  cli(['dkim', 'generate', '--domain', DOMAIN, '--selector', 'cli', '--out', out, '--create-dir']);
  addSecretFile('rsa (dkim generate)', path.join(out, 'cli.private'));
  // The checks did read the keys: a mismatch at bad._domainkey is found over DNS, and the
  // zone file lacks the records of old, good, bad and inline.
  assert.ok(outputs.some((o) => o.text.includes('dns/dkim-key-mismatch')), 'the DNS comparison ran');
  assert.ok(outputs.some((o) => o.text.includes('opendkim/key-not-in-zone')), 'the zone comparison ran');
});

test('the language server: diagnostics, hovers with live DNS, code actions, symbols, tokens, definitions, commands, logs', async () => {
  // Every process, socket and file write of the server is recorded (test/lsp/fixtures/recordIo.cjs).
  process.env.NODE_OPTIONS = `--require ${path.join(REPO, 'test', 'lsp', 'fixtures', 'recordIo.cjs')}`;
  const c = new TestClient();
  delete process.env.NODE_OPTIONS;
  let raw = '';
  (c as unknown as { child: { stdout: NodeJS.ReadableStream } }).child.stdout.on('data', (d: Buffer) => { raw += d.toString('utf8'); });
  c.settings.mailconf = { configRoot: ETC, dns: { enabled: true, servers: [named.address], timeoutMs: 1000 } };
  try {
    await c.initialize(fileUri(BASE));
    for (const [file, languageId] of [['etc/opendkim/KeyTable', 'opendkim-table'], ['etc/opendkim.conf', 'opendkim-conf'], ['etc/opendkim/SigningTable', 'opendkim-table'], [`zones/${DOMAIN}.zone`, 'dns-zone']]) {
      const uri = fileUri(path.join(BASE, file));
      const text = fs.readFileSync(path.join(BASE, file), 'utf8');
      const d = await c.open(uri, languageId, text);
      const lines = text.split('\n');
      for (const [line, content] of lines.entries()) {
        // Every 3rd column, and twice with time for live DNS to answer.
        for (let character = 0; character <= content.length; character += content.length > 200 ? 37 : 3) {
          await c.request('textDocument/hover', { textDocument: { uri }, position: { line, character } });
          await c.request('textDocument/definition', { textDocument: { uri }, position: { line, character } });
        }
        await c.request('textDocument/completion', { textDocument: { uri }, position: { line, character: content.length } });
        await c.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line, character: 0 }, end: { line, character: content.length } }, context: { diagnostics: [] } });
      }
      for (const diag of d.diagnostics) await c.request('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
      await c.request('textDocument/documentSymbol', { textDocument: { uri } });
      await c.request('textDocument/semanticTokens/full', { textDocument: { uri } });
    }
    await new Promise((r) => setTimeout(r, 1500)); // live DNS answers arrive, the DKIM comparison is published
    const keyTable = fileUri(path.join(ETC, 'opendkim', 'KeyTable'));
    for (let line = 0; line < 6; line++) await c.request('textDocument/hover', { textDocument: { uri: keyTable }, position: { line, character: 3 } });
    // Commands that read keys or write one.
    await c.request('workspace/executeCommand', { command: 'mailconf.server.status', arguments: [{}] });
    await c.request('workspace/executeCommand', { command: 'mailconf.server.dkimSuggestions', arguments: [{}] }).catch(() => undefined);
    const generated = await c.request<{ privateKeyPath: string }>('workspace/executeCommand', {
      command: 'mailconf.server.generateDkimKey',
      arguments: [{ domain: DOMAIN, selector: 'lsp', algorithm: 'rsa2048', directory: path.join(BASE, 'lsp-keys'), createDirectory: true }],
    });
    addSecretFile('rsa (server command)', generated.privateKeyPath);
    await c.request('workspace/executeCommand', { command: 'mailconf.server.checkMailDomain', arguments: [{ domain: DOMAIN }] }).catch(() => undefined);
  } finally {
    await c.shutdown();
  }
  assert.ok(raw.includes('dns/dkim-key-mismatch'), 'live DNS compared the keys');
  // The quick-fix of opendkim/key-not-in-zone was offered with the PKCS#1 key's public record (public, not secret).
  const oldPublic = publicHalf(secrets.find((s) => s.name === 'rsa PKCS#1')!.base64);
  assert.ok(raw.includes('opendkim/key-not-in-zone') && raw.includes(oldPublic.slice(60, 100)), 'the zone check offered the public record');
  const io = c.stderr.split('\n').filter((l) => l.startsWith('MAILCONF-IO '));
  assert.ok(io.some((l) => l.startsWith('MAILCONF-IO ready')), 'the recorder ran');
  assert.deepEqual(io.filter((l) => l.startsWith('MAILCONF-IO child')), [], 'the server starts no process');
  // Its only writes: the key and record the generateDkimKey command was asked for.
  const writes = io.filter((l) => l.startsWith('MAILCONF-IO write')).map((l) => l.replace(/^MAILCONF-IO write /, ''));
  assert.ok(writes.length > 0 && writes.every((w) => w.startsWith(path.join(BASE, 'lsp-keys'))), writes.join('\n'));
  c.stderr = c.stderr.split('\n').filter((l) => !l.startsWith('MAILCONF-IO ')).join('\n');
  outputs.push({ what: 'the server\'s messages (stdout)', text: raw }, { what: 'the server\'s stderr', text: c.stderr });
  outputs.push({ what: 'applyEdit requests', text: JSON.stringify((c as unknown as { applyEdits?: unknown[] }).applyEdits ?? []) });
});

test('no piece of any private key appears in any output', () => {
  assert.ok(secrets.length >= 7, `${secrets.length} keys`);
  assert.ok(outputs.length >= 10 && outputs.every((o) => typeof o.text === 'string'));
  const table = windows(40);
  const found = outputs.flatMap((o) => leaks(o.text, table).map((l) => `${o.what}: ${l}`));
  assert.deepEqual(found, []);
  const parsed = outputs.flatMap((o) => parseablePrivateKeys(o.text).map((l) => `${o.what}: ${l}`));
  assert.deepEqual(parsed, []);
  // The test sees keys where they are: a check of the check.
  assert.ok(leaks(fs.readFileSync(path.join(KEYS, 'rsa.private'), 'utf8'), table).length > 0);
  assert.ok(leaks(fs.readFileSync(path.join(KEYS, 'old.private'), 'utf8'), table).length > 0, 'a PKCS#1 key beyond its public half');
  assert.ok(parseablePrivateKeys(fs.readFileSync(path.join(KEYS, 'old.private'), 'utf8')).length > 0);
});

test('no private key in the suite\'s artifacts or in any file of the repository', () => {
  const files: string[] = [];
  const artifacts = path.join(REPO, '.test-artifacts');
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) files.push(p);
    }
  };
  walk(artifacts);
  const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: REPO, encoding: 'utf8' }).stdout.split('\0').filter(Boolean).map((f) => path.join(REPO, f));
  files.push(...tracked);
  const table = windows(40);
  const found: string[] = [];
  let scanned = 0;
  for (const f of files) {
    let st: fs.Stats;
    try { st = fs.statSync(f); } catch { continue; }
    if (!st.isFile() || st.size > 20 * 1024 * 1024) continue;
    const data = fs.readFileSync(f);
    if (data.subarray(0, 4096).includes(0)) continue; // screenshots and other binaries
    const text = data.toString('utf8');
    scanned++;
    for (const l of [...parseablePrivateKeys(text), ...leaks(text, table)]) found.push(`${path.relative(REPO, f)}: ${l}`);
  }
  console.log(`searched ${scanned} text files (artifacts and the repository) for private keys`);
  assert.ok(scanned > 100);
  assert.deepEqual(found, []);
});
