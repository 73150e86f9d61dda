// An untrusted workspace through the real server (initializationOptions {trusted: false},
// as the VS Code client sends for Restricted Mode), with every file system call, child
// process, socket and DNS query of the server recorded by a preload (fixtures/recordIo.cjs):
// the server writes nothing, starts no process, opens no socket and asks no DNS even with
// live DNS switched on, ignores a mailconf.configRoot outside the workspace, and reads nothing
// outside the workspace folders, not even the tables and keys its configurations name.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Hover } from 'vscode-languageserver-protocol';
import { TestClient, fileUri, REPO } from './lspClient';

const BASE = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-untrusted-')));
const W = path.join(BASE, 'workspace');
/** Named by the workspace's files: the tables and key a hostile opendkim.conf points at. */
const O = path.join(BASE, 'outside');
/** Named only by mailconf.configRoot. */
const ROOT = path.join(BASE, 'config-root');
after(() => fs.rmSync(BASE, { recursive: true, force: true }));

function write(p: string, text: string): string {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

write(path.join(W, 'opendkim.conf'), `KeyTable refile:${O}/KeyTable\nSigningTable refile:${O}/SigningTable\nInternalHosts ${O}/hosts\nSocket inet:8891@localhost\n`);
write(path.join(W, 'opendkim', 'KeyTable'), `s._domainkey.example.org example.org:s:${O}/s.private\n`);
write(path.join(W, 'postfix', 'main.cf'), 'smtpd_milters = inet:localhost:8891\n');
write(path.join(W, 'db.example.org'), '$ORIGIN example.org.\n@ IN TXT "v=spf1 include:_spf.example.net -all"\n');
write(path.join(O, 'KeyTable'), `x._domainkey.example.org example.org:x:${O}/x.private\n`);
write(path.join(O, 's.private'), 'not a key\n');
write(path.join(ROOT, 'opendkim.conf'), 'Socket inet:8892@localhost\n');
write(path.join(ROOT, 'postfix', 'main.cf'), 'myhostname = root.example.org\n');

interface Io { kind: string; what: string }

function ioOf(stderr: string): Io[] {
  return stderr.split('\n').filter((l) => l.startsWith('MAILCONF-IO ')).map((l) => {
    const [kind, ...rest] = l.slice('MAILCONF-IO '.length).split(' ');
    return { kind, what: rest.join(' ') };
  });
}

test('an untrusted workspace: no writes, no processes, no sockets or DNS, configRoot outside ignored', async () => {
  // A DNS server that counts what reaches it, named in the settings with live DNS on.
  const hole = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => hole.bind(0, '127.0.0.1', resolve));
  let packets = 0;
  hole.on('message', () => { packets++; });

  process.env.NODE_OPTIONS = `--require ${path.join(__dirname, 'fixtures', 'recordIo.cjs')}`;
  const c = new TestClient();
  delete process.env.NODE_OPTIONS;
  c.settings.mailconf = { configRoot: ROOT, dns: { enabled: true, servers: [`127.0.0.1:${hole.address().port}`], timeoutMs: 200 } };
  const logs: string[] = [];
  c.connection.onNotification('window/logMessage', (p: { message: string }) => { logs.push(p.message); });
  try {
    await c.initializeWith({ rootUri: fileUri(W), capabilities: { workspace: { configuration: true } }, initializationOptions: { trusted: false } });
    for (const [file, languageId] of [['opendkim.conf', 'opendkim-conf'], ['opendkim/KeyTable', 'opendkim-table'], ['postfix/main.cf', 'postfix-main'], ['db.example.org', 'dns-zone']]) {
      const uri = fileUri(path.join(W, file));
      const text = fs.readFileSync(path.join(W, file), 'utf8');
      const d = await c.open(uri, languageId, text);
      assert.ok(Array.isArray(d.diagnostics));
      for (let line = 0; line < 3; line++) {
        for (const character of [0, 12, 30]) {
          await c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
          await c.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line, character: 0 }, end: { line, character } }, context: { diagnostics: [] } });
        }
      }
    }
    await new Promise((r) => setTimeout(r, 700)); // past the delay before DNS checks would start
  } finally {
    await c.shutdown();
    hole.close();
  }

  const io = ioOf(c.stderr);
  assert.ok(io.some((e) => e.kind === 'ready'), 'the recorder ran in the server');
  const ours = (p: string) => p.startsWith(REPO) || p.includes(`${path.sep}node_modules${path.sep}`);
  assert.deepEqual(io.filter((e) => e.kind === 'write'), [], 'no writes');
  assert.deepEqual(io.filter((e) => e.kind === 'child'), [], 'no child processes');
  assert.deepEqual(io.filter((e) => e.kind === 'net' || e.kind === 'dns'), [], 'no sockets, no DNS');
  assert.equal(packets, 0, 'nothing reached the DNS server');
  assert.ok(logs.some((l) => l.includes('is outside the untrusted workspace and is ignored')), logs.join('\n'));
  assert.deepEqual(io.filter((e) => e.what.includes(ROOT)), [], 'the configRoot outside the workspace is not read');

  // Reads outside the workspace folder: none, not even the files the workspace's
  // configurations name (the server calls restrictReadsTo(folders), node/readPolicy.ts).
  const outside = [...new Set(io.filter((e) => (e.kind === 'read' || e.kind === 'open') && !ours(e.what) && !e.what.includes(W) && e.what.startsWith(BASE)).map((e) => e.what.replace(/^\S+ (?=\/)/, '')))].sort();
  console.log(`reads outside the untrusted workspace: ${outside.length ? outside.map((p) => path.relative(BASE, p)).join(', ') : 'none'}`);
  assert.deepEqual(outside, [], 'nothing outside the untrusted workspace is read');
});
