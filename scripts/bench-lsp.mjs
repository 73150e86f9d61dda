// The language server as an editor drives it, for scripts/bench.mjs: `node dist/server.js
// --stdio` spawned per scenario, JSON-RPC over its pipes (the same protocol library as
// test/lsp/lspClient.ts), times taken on this side of the pipe. Live DNS stays off.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');

/** A server process and its connection. */
export class BenchClient {
  constructor(serverJs) {
    this.spawnedAt = performance.now();
    // BENCH_SERVER_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=DIR" profiles the server (docs/performance.md).
    const nodeArgs = process.env.BENCH_SERVER_NODE_OPTIONS ? process.env.BENCH_SERVER_NODE_OPTIONS.split(' ') : [];
    this.child = spawn(process.execPath, [...nodeArgs, serverJs, '--stdio'], { stdio: 'pipe' });
    this.stderr = '';
    this.child.stderr.on('data', (d) => { this.stderr += d.toString(); });
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.waiters = [];
    this.connection.onNotification('textDocument/publishDiagnostics', (p) => {
      const at = performance.now();
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const w = this.waiters[i];
        if (w.uri === p.uri && (w.version === undefined || p.version === w.version)) {
          this.waiters.splice(i, 1);
          w.resolve({ at, params: p });
        }
      }
    });
    this.connection.onRequest('workspace/configuration', (params) => params.items.map((i) => (i.section === 'mailconf' ? { dns: { enabled: false } } : null)));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  /** Sends initialize; resolves with the milliseconds from spawn to the answer. */
  async initialize() {
    const answer = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          hover: { contentFormat: ['markdown'] },
          // As VS Code's client: list defaults (one edit range for all items), lazy documentation.
          completion: {
            completionItem: { snippetSupport: true, resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } },
            completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
          },
        },
        workspace: { configuration: true },
      },
      workspaceFolders: null,
    });
    const ms = performance.now() - this.spawnedAt;
    this.capabilities = answer.capabilities;
    await this.connection.sendNotification('initialized', {});
    return ms;
  }

  diagnostics(uri, version, timeoutMs = 300_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms\n${this.stderr}`)), timeoutMs);
      this.waiters.push({ uri, version, resolve: (r) => { clearTimeout(timer); resolve(r); } });
    });
  }

  /** didOpen → first publishDiagnostics, in ms; also the diagnostics. */
  async open(uri, languageId, text) {
    const next = this.diagnostics(uri, 1);
    const t0 = performance.now();
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    const { at, params } = await next;
    return { ms: at - t0, count: params.diagnostics.length };
  }

  /** didChange (one change) → the publishDiagnostics of that version, in ms. */
  async change(uri, version, range, text) {
    const next = this.diagnostics(uri, version);
    const t0 = performance.now();
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    const { at } = await next;
    return at - t0;
  }

  async request(method, params) {
    const t0 = performance.now();
    const result = await this.connection.sendRequest(method, params);
    return { ms: performance.now() - t0, result };
  }

  /** Resident memory of the server process now (MB), from /proc. */
  rssMb() {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  async close() {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch { /* already gone */ }
    const timer = setTimeout(() => this.child.kill(), 5000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Spawn → initialize answer, `runs` times (a fresh process each time). */
export async function spawnToInitialize(serverJs, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const c = new BenchClient(serverJs);
    times.push(await c.initialize());
    await c.close();
  }
  return times;
}

/**
 * Opens a zone, then types one character into an owner name in the middle and deletes it
 * again, `edits` times, each time waiting for the diagnostics of the new version: first
 * 100 ms apart (a fast typist, ten characters a second), then as a burst 30 ms apart (the
 * garbage collector gets less room); then hover and completion requests.
 */
export async function zoneSession(serverJs, path, { edits = 50, requests = 50, gaps = [100, 30], besideMainCf = true } = {}) {
  const text = readFileSync(path, 'utf8');
  const uri = pathToFileURL(path).href;
  const c = new BenchClient(serverJs);
  await c.initialize();
  const opened = await c.open(uri, 'dns-zone', text);
  const rssAfterOpen = c.rssMb();
  // The user reads the file before typing: the server finishes what it does after a publish.
  await pause(1000);
  // A host in the middle: `hNNN<TAB>IN<TAB>A …` at the start of a line.
  const middle = text.indexOf('\nh', text.length >> 1) + 1;
  const line = countLines(text, middle);
  const nameEnd = text.indexOf('\t', middle) - middle;
  const typing = [];
  let version = 1;
  for (const gapMs of gaps) {
    const times = [];
    for (let i = 0; i < edits; i++) {
      version++;
      const range = i % 2 === 0
        ? { start: { line, character: nameEnd }, end: { line, character: nameEnd } }
        : { start: { line, character: nameEnd }, end: { line, character: nameEnd + 1 } };
      times.push(await c.change(uri, version, range, i % 2 === 0 ? '7' : ''));
      await pause(gapMs);
    }
    typing.push({ gapMs, times });
  }
  const hover = [];
  const completion = [];
  for (let i = 0; i < requests; i++) {
    hover.push((await c.request('textDocument/hover', { textDocument: { uri }, position: { line, character: 1 } })).ms);
    // Zone files have no completion provider: this is the request's round trip (and any
    // analysis still pending), what an editor waits for when it asks anyway.
    completion.push((await c.request('textDocument/completion', { textDocument: { uri }, position: { line: line + 1, character: 1 } })).ms);
  }
  // What editors ask for after edits besides diagnostics: outline, folds, semantic tokens
  // (this client announces no range requests: over 50,000 lines it gets the first 50,000).
  const whole = { symbols: [], folding: [], semanticTokens: [] };
  for (let i = 0; i < 5; i++) {
    whole.symbols.push((await c.request('textDocument/documentSymbol', { textDocument: { uri } })).ms);
    whole.folding.push((await c.request('textDocument/foldingRange', { textDocument: { uri } })).ms);
    whole.semanticTokens.push((await c.request('textDocument/semanticTokens/full', { textDocument: { uri } })).ms);
  }
  // What VS Code asks for while the user scrolls: the visible lines and a screen above and
  // below (150 lines), here around the edited line.
  const rangeTokens = [];
  for (let i = 0; i < requests; i++) {
    const from = Math.max(0, line - 75 + (i % 10) * 15);
    const range = { start: { line: from, character: 0 }, end: { line: from + 150, character: 0 } };
    rangeTokens.push((await c.request('textDocument/semanticTokens/range', { textDocument: { uri }, range })).ms);
  }
  // A main.cf beside the open zone, typed in: its findings come first, then the zone is
  // re-checked (cross-file findings: the SPF of the sending host), which must stay cheap.
  const mainUri = pathToFileURL(join(dirname(path), 'main.cf')).href;
  let mainText = `myhostname = mail.example.com\nmydomain = example.com\n`;
  if (besideMainCf) {
    await c.open(mainUri, 'postfix-main', mainText);
    await pause(500);
  }
  const besideZone = { main: [], zone: [] };
  for (let i = 0; besideMainCf && i < edits; i++) {
    const v = i + 2;
    const zoneAgain = c.diagnostics(uri, version);
    const next = c.diagnostics(mainUri, v);
    const t0 = performance.now();
    await c.connection.sendNotification('textDocument/didChange', { textDocument: { uri: mainUri, version: v }, contentChanges: [{ text: (mainText += '#') }] });
    besideZone.main.push((await next).at - t0);
    besideZone.zone.push((await zoneAgain).at - t0);
    await pause(gaps[0]);
  }
  const rssEnd = c.rssMb();
  await c.close();
  return { open: opened, typing, hover, completion, whole, rangeTokens, besideZone, rssAfterOpen, rssEnd };
}

/**
 * Opens a file of another kind; hover and completion on its line `line`, column `character`,
 * and completionItem/resolve of the first item offered. `moreCompletions` ({ name: position })
 * are completion requests at other places (fewer characters typed), timed the same way.
 */
export async function fileSession(serverJs, path, languageId, position, { requests = 50, moreCompletions = {} } = {}) {
  const text = readFileSync(path, 'utf8');
  const uri = pathToFileURL(path).href;
  const c = new BenchClient(serverJs);
  await c.initialize();
  const opened = await c.open(uri, languageId, text);
  const hover = [];
  const completion = [];
  const resolve = [];
  const more = Object.fromEntries(Object.keys(moreCompletions).map((k) => [k, { times: [], items: 0, bytes: 0 }]));
  let items = 0;
  for (let i = 0; i < requests; i++) {
    hover.push((await c.request('textDocument/hover', { textDocument: { uri }, position })).ms);
    const answer = await c.request('textDocument/completion', { textDocument: { uri }, position });
    completion.push(answer.ms);
    const list = Array.isArray(answer.result) ? answer.result : answer.result?.items ?? [];
    items = list.length;
    // The item as the client has it (list defaults filled in), resolved when the server offers it.
    const defaultData = Array.isArray(answer.result) ? undefined : answer.result?.itemDefaults?.data;
    if (list.length && c.capabilities?.completionProvider?.resolveProvider) {
      resolve.push((await c.request('completionItem/resolve', { data: defaultData, ...list[0] })).ms);
    }
    for (const [name, at] of Object.entries(moreCompletions)) {
      const r = await c.request('textDocument/completion', { textDocument: { uri }, position: at });
      more[name].times.push(r.ms);
      more[name].items = (Array.isArray(r.result) ? r.result : r.result?.items ?? []).length;
      more[name].bytes = JSON.stringify(r.result).length;
    }
  }
  await c.close();
  return { open: opened, hover, completion, items, resolve, more };
}

function countLines(text, offset) {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
