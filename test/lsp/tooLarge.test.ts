// A document above the editor's limit (64 MiB; a 200 MB zone would keep the server busy
// for a minute and take 3.6 GB) through the real server: one file-too-large warning at
// once, nothing else computed for it, and the server goes on answering for other documents.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover } from 'vscode-languageserver-protocol';
import { TestClient } from './lspClient';

test('a 65 MiB zone gets one file-too-large warning, and the server stays responsive', async () => {
  const c = new TestClient();
  try {
    await c.initialize();
    const line = 'h1\tIN\tA\t192.0.2.1 ; a line of a zone far too large to analyse in an editor\n';
    const text = line.repeat(Math.ceil((65 * 1024 * 1024) / line.length));
    const uri = 'file:///zones/db.huge.example';
    const next = c.nextDiagnostics(uri, 1, 60_000);
    await c.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dns-zone', version: 1, text } });
    const published = await next;
    assert.deepEqual(published.diagnostics.map((d) => [d.code, d.severity, d.range.start.line]), [['syntax/file-too-large', 2, 0]]);
    assert.match(published.diagnostics[0].message as string, /65 MiB of text, more than the 64 MiB mailconf analyses in an editor/);
    assert.equal(await c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1000, character: 1 } }), null);
    assert.deepEqual(await c.request('textDocument/documentSymbol', { textDocument: { uri } }), []);
    // Another document is analysed as usual meanwhile.
    const other = await c.open('file:///etc/postfix/main.cf', 'postfix-main', 'smtpd_milters = inet:localhost:8891\nnon_smtpd_milters = $smtpd_milter\n');
    assert.deepEqual(other.diagnostics.map((d) => d.code), ['postfix/undefined-parameter']);
    assert.ok(c.alive);
    assert.ok(!c.logMessages().some((m) => /failed/.test(m)), c.logMessages().join('\n'));
  } finally {
    c.kill();
  }
});
