// A handler that throws inside the real, built server: the request is answered with an LSP
// error (RequestFailed) that names it, the stack goes to the server log, and every later
// request and notification is served as before. MAILCONF_FAULT_INJECTION (read once from
// the server's environment) makes the named handlers throw as a bug would.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LSPErrorCodes, ResponseError, type CompletionItem, type CompletionList, type DocumentSymbol, type Hover, type MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient } from './lspClient';

const DIR = 'file:///tmp/mailconf-handler-faults/postfix';
const MAIN_URI = `${DIR}/main.cf`;
const MAIN = 'myhostname = mail.example.org\nsmtpd_tls_c\n';

async function started(faults: string): Promise<TestClient> {
  const c = new TestClient({ MAILCONF_FAULT_INJECTION: faults });
  await c.initialize(null);
  return c;
}

const hoverAt = (c: TestClient, line: number, character: number) =>
  c.request<Hover | null>('textDocument/hover', { textDocument: { uri: MAIN_URI }, position: { line, character } });

function symbolNames(symbols: DocumentSymbol[]): string[] {
  return symbols.flatMap((s) => [s.name, ...symbolNames(s.children ?? [])]);
}

/** The request fails with RequestFailed naming the handler and the injected fault, and nothing of the document. */
async function failsAsInjected(request: Promise<unknown>, name: string): Promise<void> {
  await assert.rejects(request, (e: unknown) => {
    assert.ok(e instanceof ResponseError, String(e));
    assert.equal(e.code, LSPErrorCodes.RequestFailed);
    assert.match(e.message, new RegExp(`^mailconf: ${name} failed: Error: fault injected by MAILCONF_FAULT_INJECTION`));
    assert.doesNotMatch(e.message, /example\.org|myhostname/, 'no document text in the answer');
    return true;
  });
}

/** The log names the failed handler, with the stack frames of the throw. */
function assertLogged(c: TestClient, name: string): void {
  const entry = c.logMessages().find((m) => m.startsWith(`mailconf: ${name} failed:`));
  assert.ok(entry, `no log line for ${name}:\n${c.logMessages().join('\n')}`);
  assert.match(entry, /fault injected by MAILCONF_FAULT_INJECTION/);
  assert.match(entry, /\n\s+at .*server\.js:\d+/, 'the stack is in the log');
}

test('a request handler that throws answers that request with RequestFailed; the others, and later requests, are served', async () => {
  const c = await started('hover,executeCommand');
  try {
    assert.ok(c.logMessages().some((m) => /MAILCONF_FAULT_INJECTION is set: .*hover, executeCommand/.test(m)), 'the switch is announced in the log');
    const first = await c.open(MAIN_URI, 'postfix-main', MAIN);

    await failsAsInjected(hoverAt(c, 0, 2), 'hover');
    assertLogged(c, 'hover');
    await failsAsInjected(hoverAt(c, 0, 2), 'hover'); // answered again, not hung or dropped
    await failsAsInjected(c.request('workspace/executeCommand', { command: 'mailconf.server.status', arguments: [{}] }), 'command mailconf.server.status');

    // Handlers not named give their real results.
    const completion = await c.request<CompletionList | CompletionItem[]>('textDocument/completion', { textDocument: { uri: MAIN_URI }, position: { line: 1, character: 11 } });
    const labels = (Array.isArray(completion) ? completion : completion.items).map((i) => i.label);
    assert.ok(labels.includes('smtpd_tls_ciphers'), labels.slice(0, 20).join(','));
    const resolved = await c.request<CompletionItem>('completionItem/resolve', (Array.isArray(completion) ? completion : completion.items).find((i) => i.label === 'smtpd_tls_ciphers'));
    assert.match((resolved.documentation as MarkupContent).value, /smtpd_tls_ciphers/);
    const symbols = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: MAIN_URI } });
    assert.ok(symbolNames(symbols).includes('myhostname'), symbolNames(symbols).join(','));

    // Edits are still analysed: a misspelt parameter gets its finding for the new version.
    assert.ok(!first.diagnostics.some((d) => d.code === 'postfix/unknown-parameter'));
    const edited = await c.change(MAIN_URI, 2, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'myhostnme = mx.example.org\n' }]);
    assert.equal(edited.version, 2);
    assert.ok(edited.diagnostics.some((d) => d.code === 'postfix/unknown-parameter' && d.range.start.line === 2), JSON.stringify(edited.diagnostics));

    assert.ok(c.alive, 'the server process is alive');
  } finally {
    assert.equal(await c.shutdown(), 0, 'and shuts down cleanly');
  }
});

test('a didChange handler that throws is logged; the server goes on answering and analysing other documents', async () => {
  const c = await started('didChange');
  try {
    // An open is a change of content too: the open is still analysed (didOpen schedules it).
    await c.open(MAIN_URI, 'postfix-main', MAIN);
    assertLogged(c, 'didChange');
    const failures = () => c.logMessages().filter((m) => m.startsWith('mailconf: didChange failed:')).length;
    const before = failures();
    await c.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: MAIN_URI, version: 2 },
      contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'relayhost = [smtp.example.net]\n' }],
    });
    const hover = await hoverAt(c, 0, 2);
    assert.match((hover?.contents as MarkupContent).value, /myhostname/, 'a real hover after the failed change');
    assert.equal(failures(), before + 1, 'the failed change is in the log');
    const symbols = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: MAIN_URI } });
    assert.ok(symbolNames(symbols).includes('myhostname'));

    const master = await c.open(`${DIR}/master.cf`, 'postfix-master', 'smtp inet n - y - - smtpd\nbogus unix - - y - - nosuchcommand\n');
    assert.equal(master.version, 1, 'a document opened afterwards is analysed');
    assert.ok(c.alive);
  } finally {
    assert.equal(await c.shutdown(), 0);
  }
});

test('didOpen, didClose, watched files and configuration handlers that throw are logged; the server keeps serving', async () => {
  const c = await started('didOpen,didClose,didChangeWatchedFiles,didChangeConfiguration');
  try {
    const opened = await c.open(MAIN_URI, 'postfix-main', MAIN);
    assert.equal(opened.version, 1);
    await c.configure('mailconf', { postfix: { version: '3.7' } });
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: `${DIR}/master.cf`, type: 2 }] });
    await c.close(MAIN_URI);
    // Requests after the notifications are answered in order, so their failures are logged by now.
    await c.open(`${DIR}/other/main.cf`, 'postfix-main', MAIN);
    const symbols = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: `${DIR}/other/main.cf` } });
    assert.ok(symbolNames(symbols).includes('myhostname'));
    for (const name of ['didOpen', 'didClose', 'didChangeWatchedFiles', 'didChangeConfiguration']) assertLogged(c, name);
    assert.ok(c.alive);
  } finally {
    assert.equal(await c.shutdown(), 0);
  }
});
