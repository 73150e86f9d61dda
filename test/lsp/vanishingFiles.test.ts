// Files that change under the server: a document open in the editor whose file is deleted
// or replaced by a directory, a partner file (master.cf) that vanishes, turns into a
// directory or a named pipe, with the watcher's events as VS Code sends them. The server
// keeps answering, logs no failure, never blocks on the pipe, and stops using what is gone.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestClient, fileUri } from './lspClient';

const DIR = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-vanish-')));
after(() => fs.rmSync(DIR, { recursive: true, force: true }));

const MAIN = path.join(DIR, 'postfix', 'main.cf');
const MASTER = path.join(DIR, 'postfix', 'master.cf');
// main.cf names a service only master.cf defines: whether master.cf is known shows in the findings.
const MAIN_TEXT = 'myhostname = mail.example.org\nrelay_transport = special\n';
const MASTER_TEXT = 'smtp inet n - y - - smtpd\nspecial unix - - y - - smtp\n';

const CREATED = 1, CHANGED = 2, DELETED = 3;

async function watched(c: TestClient, changes: Array<[string, number]>): Promise<void> {
  await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map(([p, type]) => ({ uri: fileUri(p), type })) });
}

/** Waits for diagnostics of `uri` that satisfy `ok`. */
async function until(c: TestClient, uri: string, ok: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
  const end = Date.now() + 8000;
  for (;;) {
    const p = await c.nextDiagnostics(uri, undefined, Math.max(1, end - Date.now()));
    if (ok(p)) return p;
  }
}

const text = (m: string | { value: string }) => (typeof m === 'string' ? m : m.value);
const unknownService = (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => /special/.test(text(d.message)) && /master\.cf/.test(text(d.message)));

test('a partner file that vanishes, becomes a directory or a named pipe; an open file deleted and replaced by a directory', async () => {
  fs.mkdirSync(path.dirname(MAIN), { recursive: true });
  fs.writeFileSync(MAIN, MAIN_TEXT);
  fs.writeFileSync(MASTER, MASTER_TEXT);
  const c = new TestClient();
  const logs: string[] = [];
  c.connection.onNotification('window/logMessage', (p: { message: string }) => { logs.push(p.message); });
  try {
    await c.initialize(fileUri(DIR));
    const main = fileUri(MAIN);
    const first = await c.open(main, 'postfix-main', MAIN_TEXT);
    assert.ok(!unknownService(first), 'with master.cf on disk, the special service is known');

    // master.cf is deleted, then a directory of that name appears.
    const gone = until(c, main, unknownService);
    fs.rmSync(MASTER);
    await watched(c, [[MASTER, DELETED]]);
    await gone;
    fs.mkdirSync(MASTER);
    await watched(c, [[MASTER, CREATED]]);
    await new Promise((r) => setTimeout(r, 300));

    // Now a named pipe: reading it would block the server for good.
    fs.rmdirSync(MASTER);
    execFileSync('mkfifo', [MASTER]);
    await watched(c, [[MASTER, CREATED], [MASTER, CHANGED]]);
    const t0 = Date.now();
    const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: main }, position: { line: 0, character: 3 } });
    assert.ok(h, 'the server still answers');
    assert.ok(Date.now() - t0 < 5000);

    // master.cf is back as a file: it counts again.
    fs.rmSync(MASTER);
    fs.writeFileSync(MASTER, MASTER_TEXT);
    const back = until(c, main, (p) => !unknownService(p));
    await watched(c, [[MASTER, CREATED]]);
    await back;

    // The open main.cf itself is deleted and a directory takes its name; the editor edits, then closes it.
    fs.rmSync(MAIN);
    fs.mkdirSync(MAIN);
    await watched(c, [[MAIN, DELETED], [MAIN, CREATED]]);
    const edited = await c.change(main, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }]);
    assert.ok(Array.isArray(edited.diagnostics));
    await c.close(main);
    const master = fileUri(MASTER);
    const m = await c.open(master, 'postfix-master', MASTER_TEXT);
    assert.ok(Array.isArray(m.diagnostics));
    const symbols = await c.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: master } });
    assert.ok(symbols.length > 0);
  } finally {
    const code = await c.shutdown();
    assert.equal(code, 0);
  }
  assert.deepEqual(logs.filter((l) => / failed|Error/.test(l)), [], 'no handler failed');
});
