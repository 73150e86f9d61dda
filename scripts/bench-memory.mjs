#!/usr/bin/env node
// A memory benchmark (not a test; prints numbers, exits 0): drives the built server
// (dist/server.js --stdio, `npm run build` first) as an editor does, with 10,000
// incremental didChange edits on a main.cf and then on a zone file, and samples the
// server's resident memory (VmRSS from /proc/<pid>/status) every 1,000 edits. The edits
// type a parameter or record, then delete it again, so the documents stay the same size:
// memory that keeps growing is kept by the server, not by the text.
//
//   node scripts/bench-memory.mjs [edits] [sampleEvery]
//   node scripts/bench-memory.mjs 20000 2000

import { spawn } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const server = join(repo, 'dist', 'server.js');
const edits = Number(process.argv[2] ?? 10_000);
const every = Number(process.argv[3] ?? 1_000);

if (!existsSync(server)) {
  console.log(`${server} is missing: run npm run build first`);
  process.exit(0);
}

/** Resident memory of a process in MB, from /proc (Linux). */
function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : NaN;
  } catch {
    return NaN;
  }
}

const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const waiting = new Map();
conn.onNotification('textDocument/publishDiagnostics', (p) => {
  const w = waiting.get(`${p.uri}#${p.version}`);
  if (w) { waiting.delete(`${p.uri}#${p.version}`); w(p); }
});
conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({ dns: { enabled: false } })));
conn.onRequest('client/registerCapability', () => null);
conn.onNotification('window/logMessage', () => {});
conn.listen();

const diagnosticsFor = (uri, version) => new Promise((resolve) => waiting.set(`${uri}#${version}`, resolve));

await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } }, workspaceFolders: null });
await conn.sendNotification('initialized', {});

const corpus = join(repo, '..', 'shared', 'corpus');
const mainCf = existsSync(join(corpus, 'postfix/vdukhovni__postfix__postfix_conf_main.cf'))
  ? readFileSync(join(corpus, 'postfix/vdukhovni__postfix__postfix_conf_main.cf'), 'utf8')
  : 'myhostname = mail.example.org\nsmtpd_milters = inet:localhost:8891\n'.repeat(50);
let zone = '$ORIGIN example.org.\n$TTL 1h\n@ IN SOA ns1 hostmaster ( 1 2h 1h 4w 1h )\n@ IN NS ns1\n@ IN MX 10 mail\n@ IN TXT "v=spf1 mx -all"\n';
for (let i = 0; i < 2000; i++) zone += `host${i} IN A 192.0.2.${i % 250}\n`;

/** Typing text at the start of `line` one character at a time, then deleting it the same way. */
function* keystrokes(line, text) {
  for (let i = 0; i < text.length; i++) yield { range: { start: { line, character: i }, end: { line, character: i } }, text: text[i] };
  for (let i = text.length; i > 0; i--) yield { range: { start: { line, character: i - 1 }, end: { line, character: i } }, text: '' };
}

async function run(name, uri, languageId, text, typed) {
  const opened = diagnosticsFor(uri, 1);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  await opened;
  const samples = [{ edits: 0, rss: rssMb(child.pid) }];
  const t0 = performance.now();
  let version = 1;
  let lines = text.split('\n').length;
  let stream = keystrokes(0, typed);
  for (let n = 1; n <= edits; n++) {
    let next = stream.next();
    if (next.done) {
      // The next line, so the edits move through the file.
      stream = keystrokes((version * 7) % (lines - 1), typed);
      next = stream.next();
    }
    version++;
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [next.value] });
    // Every 50th edit waits for its diagnostics (as a typist pauses), and asks a hover.
    if (n % 50 === 0) {
      const published = diagnosticsFor(uri, version);
      await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
      await published;
    }
    if (n % every === 0) samples.push({ edits: n, rss: rssMb(child.pid) });
  }
  const ms = performance.now() - t0;
  await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await new Promise((r) => setTimeout(r, 500));
  samples.push({ edits: 'closed', rss: rssMb(child.pid) });
  console.log(`\n${name}: ${text.length} characters, ${edits} edits in ${Math.round(ms)} ms (${Math.round((edits / ms) * 1000)}/s)`);
  console.log('  edits    RSS MB');
  for (const s of samples) console.log(`  ${String(s.edits).padStart(6)}  ${String(s.rss).padStart(7)}`);
  const [first, ...rest] = samples.filter((s) => typeof s.edits === 'number' && s.edits > 0);
  if (first && rest.length) console.log(`  growth from ${first.edits} to ${rest[rest.length - 1].edits} edits: ${Math.round((rest[rest.length - 1].rss - first.rss) * 10) / 10} MB`);
  void lines;
}

console.log(`mailconf memory benchmark: ${edits} didChange edits per document, RSS of the server (pid ${child.pid}) every ${every}`);
console.log(`server RSS after start: ${rssMb(child.pid)} MB`);
await run('main.cf', pathToFileURL('/nonexistent-mailconf-bench/postfix/main.cf').href, 'postfix-main', mainCf, 'smtpd_milters = inet:localhost:8891 ');
await run('zone', pathToFileURL('/nonexistent-mailconf-bench/db.example.org').href, 'dns-zone', zone, 'new IN TXT "v=spf1 a -all" ');

// Many documents opened, edited once and closed: what the server keeps per document must go on close.
{
  const docs = Math.max(100, Math.round(edits / 5));
  const samples = [{ docs: 0, rss: rssMb(child.pid) }];
  const t0 = performance.now();
  for (let n = 1; n <= docs; n++) {
    const uri = pathToFileURL(`/nonexistent-mailconf-bench/many/${n}/postfix/main.cf`).href;
    const opened = diagnosticsFor(uri, 1);
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'postfix-main', version: 1, text: mainCf } });
    await opened;
    const changed = diagnosticsFor(uri, 2);
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#' }] });
    await changed;
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    if (n % Math.round(docs / 10) === 0) samples.push({ docs: n, rss: rssMb(child.pid) });
  }
  console.log(`\n${docs} documents opened, edited and closed (${mainCf.length} characters each) in ${Math.round(performance.now() - t0)} ms`);
  console.log('  documents  RSS MB');
  for (const s of samples) console.log(`  ${String(s.docs).padStart(9)}  ${String(s.rss).padStart(7)}`);
}

await conn.sendRequest('shutdown');
await conn.sendNotification('exit');
conn.dispose();
