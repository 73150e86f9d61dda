#!/usr/bin/env node
// Memory of the language server over a long editing session on a large zone (not a test;
// prints a table, exits 0). Opens the generated 1M-record zone (scripts/bench-inputs.mjs) in
// the built server (dist/server.js --stdio, `npm run build` first), then types and deletes
// one character, waiting for each version's diagnostics, and samples the server every N
// edits: resident memory (VmRSS), V8's heap as it is, and with --gc the heap after a full
// collection (what is really still referenced) and V8's large-object space, where each
// 34 MB document text lives: a count of texts there that grows with the edits is a leak.
//
// Three sessions, each in a fresh server:
//   same      every edit in the owner name of one host in the middle (as scripts/bench-lsp.mjs)
//   moving    two edits (type, delete) at the end of a long owner name (_dmarc.h12345), then the
//             next such line: an edit at a new place each time, as someone working down a file
//   findings  one character typed into the SPF record of a host, then the next host's: each
//             edit leaves a finding that quotes the changed term
//
//   node scripts/bench-memory-large.mjs [--records 1000000] [--edits 1000] [--every 100]
//        [--gap 30] [--sessions same,moving,findings] [--gc] [--keep DIR] [--snapshot-at N]
//        [--idle 15] [--server dist/server.js] [--server-flags "--heap-growing-percent=…"]
//
// After the edits the session waits --idle seconds and samples once more (V8 shrinks a heap
// that has been quiet for a while). --keep DIR writes the zone there and reuses it on the
// next run; --snapshot-at N writes a heap snapshot of the server after N edits of each
// session into DIR (or the temporary directory), for Chrome DevTools' Memory tab (look for
// the retainers of the large strings). --server-flags are given to the server's node.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { forwardZone, ZONE_APEX } from './bench-inputs.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const probe = join(repo, 'scripts', 'bench-memory-probe.mjs');

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const serverJs = option('server', join(repo, 'dist', 'server.js'));
const serverFlags = option('server-flags', '').split(' ').filter(Boolean);
const records = Number(option('records', 1_000_000));
const edits = Number(option('edits', 1000));
const every = Number(option('every', 100));
const gapMs = Number(option('gap', 30));
const sessions = option('sessions', 'same,moving,findings').split(',');
const forceGc = args.includes('--gc');
const keepDir = option('keep', undefined);
const idleSeconds = Number(option('idle', 15));
const snapshotAt = option('snapshot-at', undefined) === undefined ? undefined : Number(option('snapshot-at'));

if (!existsSync(serverJs)) {
  console.log(`${serverJs} is missing: run npm run build first`);
  process.exit(0);
}

const MB = 1024 * 1024;
const mb = (bytes) => (bytes === undefined ? '' : (bytes / MB).toFixed(0));
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The zone's text: generated, or read from --keep DIR when an earlier run wrote it there. */
function zoneText() {
  const dir = keepDir ?? mkdtempSync(join(tmpdir(), 'mailconf-bench-memory-'));
  const path = join(dir, `zones-${records}`, `db.${ZONE_APEX}`);
  if (keepDir && existsSync(path)) return { path, text: readFileSync(path, 'utf8'), cleanup: () => {} };
  const { text } = forwardZone(records);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return { path, text, cleanup: () => { if (!keepDir) rmSync(dir, { recursive: true, force: true }); } };
}

/** A server with the probe preloaded; `ask(word)` returns the probe's answer. */
class ProbedServer {
  constructor() {
    this.probeDir = mkdtempSync(join(tmpdir(), 'mailconf-probe-'));
    this.child = spawn(process.execPath, [...serverFlags, '--expose-gc', '--import', pathToFileURL(probe).href, serverJs, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, MAILCONF_MEMORY_PROBE_DIR: this.probeDir, MAILCONF_MEMORY_SNAPSHOT_DIR: keepDir ?? tmpdir() },
    });
    this.conn = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.waiting = new Map();
    this.stderr = '';
    this.child.stderr.on('data', (d) => { this.stderr = (this.stderr + d).slice(-20_000); });
    // A server that dies (out of heap) ends the session: the table says so.
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => {
      const why = /FATAL ERROR: [^\n]*/.exec(this.stderr)?.[0] ?? this.stderr.trim().split('\n').pop();
      resolve(`the server exited (${signal ?? `code ${code}`}${why ? `: ${why}` : ''})`);
    }));
    this.conn.onNotification('textDocument/publishDiagnostics', (p) => {
      const key = `${p.uri}#${p.version}`;
      const w = this.waiting.get(key);
      if (w) { this.waiting.delete(key); w(p); }
    });
    this.conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({ dns: { enabled: false } })));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onNotification('window/logMessage', () => {});
    this.conn.listen();
  }

  async initialize() {
    await this.conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } }, workspaceFolders: null });
    await this.conn.sendNotification('initialized', {});
  }

  /** The diagnostics of that version; throws when the server exits first. */
  async diagnostics(uri, version) {
    const published = new Promise((resolve) => this.waiting.set(`${uri}#${version}`, resolve));
    const result = await Promise.race([published, this.exited]);
    if (typeof result === 'string') throw new Error(result);
    return result;
  }

  /** Resident memory now (VmRSS) and its peak so far (VmHWM), in bytes, from /proc (Linux). */
  rss() {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) * 1024 || undefined;
      return { now: kb('VmRSS'), peak: kb('VmHWM') };
    } catch {
      return {};
    }
  }

  async ask(word) {
    const answer = join(this.probeDir, 'answer.json');
    rmSync(answer, { force: true });
    writeFileSync(join(this.probeDir, 'request'), word);
    this.child.kill('SIGUSR2');
    for (let waited = 0; !existsSync(answer); waited += 10) {
      if (waited > 600_000) throw new Error(`the probe did not answer "${word}"`);
      await pause(10);
    }
    return JSON.parse(readFileSync(answer, 'utf8'));
  }

  async close() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await this.conn.sendRequest('shutdown');
      await this.conn.sendNotification('exit');
    }
    await this.exited;
    this.conn.dispose();
    rmSync(this.probeDir, { recursive: true, force: true });
  }
}

/** The places a session edits: [line, character] pairs. */
function placesOf(session, lines) {
  if (session === 'findings') {
    // The SPF records of the middle half: "ip4:10.0.1.2" becomes "ip47:10.0.1.2", a finding
    // that quotes the mechanism.
    const out = [];
    for (let i = lines.length >> 2; i < (lines.length * 3) >> 2 && out.length < edits; i++) {
      if (lines[i].includes('"v=spf1 ip4:')) out.push([i, lines[i].indexOf('ip4') + 3]);
    }
    return out;
  }
  if (session === 'same') {
    const line = lines.findIndex((l, i) => i >= lines.length >> 1 && /^h\d+\t/.test(l));
    return [[line, lines[line].indexOf('\t')]];
  }
  // Owner names of 13 characters or more (V8 makes a slice that long of a string a view
  // into the whole string, not a copy), spread over the middle half of the file.
  const candidates = [];
  for (let i = lines.length >> 2; i < (lines.length * 3) >> 2; i++) if (/^[^\s;$]{13,}\t/.test(lines[i])) candidates.push(i);
  const wanted = Math.max(1, Math.ceil(edits / 2));
  const step = Math.max(1, Math.floor(candidates.length / wanted));
  const out = [];
  for (let k = 0; k < wanted; k++) {
    const line = candidates[(k * step) % candidates.length];
    out.push([line, lines[line].indexOf('\t')]);
  }
  return out;
}

function pct(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;
}

async function runSession(session, path, text, lines) {
  const server = new ProbedServer();
  await server.initialize();
  const uri = pathToFileURL(path).href;
  const t0 = performance.now();
  const opened = server.diagnostics(uri, 1);
  await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dns-zone', version: 1, text } });
  const first = await opened;
  const openMs = performance.now() - t0;
  // As a user reads the file before typing: the server finishes what it does after a publish.
  await pause(1000);
  const rows = [];
  let lastDiagnostics = first.diagnostics.length;
  async function sample(n, times) {
    const rss = server.rss();
    const now = await server.ask('stats');
    const live = forceGc ? await server.ask('gc') : undefined;
    const sorted = [...times].sort((a, b) => a - b);
    rows.push({ n, diagnostics: lastDiagnostics, rss: rss.now, peak: rss.peak, heapUsed: now.heapUsed, heapTotal: now.heapTotal, live: live?.heapUsed, large: live?.spaces.large_object_space, p50: pct(sorted, 0.5), p95: pct(sorted, 0.95), max: sorted[sorted.length - 1] });
  }
  await sample(0, []);
  const places = placesOf(session, lines);
  let version = 1;
  let times = [];
  let died;
  for (let n = 1; n <= edits && !died; n++) {
    const perPlace = session === 'findings' ? 1 : 2;
    const [line, character] = places[Math.floor((n - 1) / perPlace) % places.length];
    const typing = session === 'findings' || n % 2 === 1;
    const range = typing
      ? { start: { line, character }, end: { line, character } }
      : { start: { line, character }, end: { line, character: character + 1 } };
    version++;
    const published = server.diagnostics(uri, version);
    const sent = performance.now();
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: typing ? '7' : '' }] });
    try {
      lastDiagnostics = (await published).diagnostics.length;
    } catch (e) {
      died = `${e.message} at edit ${n}`;
      break;
    }
    times.push(performance.now() - sent);
    if (n % every === 0) {
      await sample(n, times);
      times = [];
    }
    if (snapshotAt === n) console.log(`  heap snapshot after ${n} edits: ${(await server.ask('snapshot')).file}`);
    if (gapMs > 0) await pause(gapMs);
  }
  // The user stops typing: V8 gives memory back when the heap has been quiet a while.
  if (!died && idleSeconds > 0) {
    await pause(idleSeconds * 1000);
    await sample(`idle ${idleSeconds} s`, []);
  }
  await server.close();
  const what = { same: 'one owner name in the middle', moving: `${places.length} long owner names, two edits each`, findings: `${places.length} SPF records, one edit each (ip47:…, a finding)` }[session];
  console.log(`\n${session}: ${what}; didOpen → ${first.diagnostics.length} diagnostics in ${(openMs / 1000).toFixed(2)} s; ${edits} edits ${gapMs} ms apart`);
  const head = ['edits', 'RSS MB', 'peak RSS MB', 'heap used MB', 'heap total MB', ...(forceGc ? ['after full GC MB', 'large objects MB'] : []), 'keystroke p50 / p95 / max ms', ...(session === 'findings' ? ['diagnostics'] : [])];
  const body = rows.map((r) => [String(r.n), mb(r.rss), mb(r.peak), mb(r.heapUsed), mb(r.heapTotal), ...(forceGc ? [mb(r.live), mb(r.large)] : []),
    typeof r.n !== 'number' || r.n === 0 ? '' : `${r.p50.toFixed(0)} / ${r.p95.toFixed(0)} / ${r.max.toFixed(0)}`, ...(session === 'findings' ? [String(r.diagnostics)] : [])]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
  if (died) console.log(`  ${died}`);
}

const zone = zoneText();
console.log(`mailconf memory benchmark, large zone: ${records} records, ${(Buffer.byteLength(zone.text) / MB).toFixed(1)} MB (${zone.path}); Node ${process.version}; ${serverJs}${serverFlags.length ? ` with ${serverFlags.join(' ')}` : ''}${forceGc ? '; --gc: a full collection at every sample' : ''}`);
const lines = zone.text.split('\n');
for (const session of sessions) await runSession(session, zone.path, zone.text, lines);
zone.cleanup();
