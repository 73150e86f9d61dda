// The built server over stdio, driven as an editor drives it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DocumentSymbol, FoldingRange } from 'vscode-languageserver-protocol';
import { TestClient, REPO, fileUri } from './lspClient';

const SAMPLES = path.join(REPO, 'samples');
let client: TestClient;

function sample(rel: string): { uri: string; text: string } {
  const p = path.join(SAMPLES, rel);
  return { uri: fileUri(p), text: fs.readFileSync(p, 'utf8') };
}

function names(symbols: DocumentSymbol[]): string[] {
  return symbols.flatMap((s) => [s.name, ...names(s.children ?? [])]);
}

before(async () => {
  client = new TestClient();
  await client.initialize(fileUri(SAMPLES));
});

after(async () => {
  const code = await client.shutdown();
  assert.equal(code, 0, 'server exits cleanly after shutdown/exit');
});

test('initialize announces the features and the server name', () => {
  const caps = client.initializeResult!.capabilities;
  assert.equal(caps.textDocumentSync, 2, 'incremental sync');
  assert.equal(caps.documentSymbolProvider, true);
  assert.equal(caps.foldingRangeProvider, true);
  assert.equal(client.initializeResult!.serverInfo?.name, 'mailconf');
});

test('main.cf: the seed has no syntax error, its one error is the milter typo; the outline lists every parameter', async () => {
  const { uri, text } = sample('000-any2any.de/etc/postfix/main.cf');
  const diags = await client.open(uri, 'postfix-main', text);
  assert.deepEqual(diags.diagnostics.filter((d) => d.severity === 1).map((d) => d.code), ['milter/local-mail-unsigned']);
  const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
  const all = names(symbols);
  for (const p of ['myorigin', 'smtpd_use_tls', 'smtpd_milters', 'non_smtpd_milters']) assert.ok(all.includes(p), `outline has ${p}: ${all}`);
});

test('master.cf: services are outlined, the policyd-spf spawn service among them', async () => {
  const { uri, text } = sample('004-voorbeeld.nl/etc/postfix/master.cf');
  const diags = await client.open(uri, 'postfix-master', text);
  assert.deepEqual(diags.diagnostics.filter((d) => d.severity === 1), []);
  const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
  assert.ok(names(symbols).some((n) => n.startsWith('policyd-spf')), names(symbols).join(','));
  const folds = (await client.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri } })) as FoldingRange[];
  const spawnLine = text.split('\n').findIndex((l) => l.startsWith('policyd-spf'));
  assert.ok(folds.some((f) => f.startLine === spawnLine && f.endLine === spawnLine + 1), 'the two-line spawn service folds');
});

test('zone: seed 002 unquoted TXT records get findings with exact ranges', async () => {
  const spf = sample('002-mysystems.tld/zones/domain.tld.zone');
  const d1 = await client.open(spf.uri, 'dns-zone', spf.text);
  const unquoted = d1.diagnostics.find((d) => d.code === 'zone/unquoted-txt');
  assert.ok(unquoted, JSON.stringify(d1.diagnostics));
  const line = spf.text.split('\n')[unquoted.range.start.line];
  assert.ok(line.slice(unquoted.range.start.character).startsWith('v=spf1'), 'the squiggle starts at the record text');

  const dkim = sample('002-mysystems.tld/zones/mysystems.tld.zone');
  const d2 = await client.open(dkim.uri, 'dns-zone', dkim.text);
  const comment = d2.diagnostics.find((d) => d.code === 'zone/txt-semicolon-comment');
  assert.ok(comment, JSON.stringify(d2.diagnostics));
  const dline = dkim.text.split('\n')[comment.range.start.line];
  assert.ok(dline.slice(comment.range.start.character).startsWith(';'), 'the squiggle sits on the comment that swallows p=');
});

test('OpenDKIM: all five kinds are recognised and outlined', async () => {
  const cases: Array<[string, string, string]> = [
    ['001-stefanux.net/etc/opendkim.conf', 'opendkim-conf', 'Socket'],
    ['004-voorbeeld.nl/etc/default/opendkim', 'opendkim-conf', 'SOCKET'],
    ['001-stefanux.net/etc/opendkim/key.table', 'opendkim-table', 'stefanux'],
    ['001-stefanux.net/etc/opendkim/signing.table', 'opendkim-table', '*@stefanux.net'],
    ['004-voorbeeld.nl/etc/opendkim/trusted.hosts', 'opendkim-table', '127.0.0.1'],
  ];
  for (const [rel, languageId, expected] of cases) {
    const { uri, text } = sample(rel);
    await client.open(uri, languageId, text);
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
    assert.ok(names(symbols).some((n) => n.includes(expected)), `${rel}: ${names(symbols)}`);
  }
});

test("other editors' language ids and plain text are recognised by file name and content", async () => {
  const main = sample('000-any2any.de/etc/postfix/main.cf');
  const uri = main.uri.replace('main.cf', 'main.cf') + '?pfmain';
  await client.open(uri, 'pfmain', main.text);
  const s1 = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
  assert.ok(names(s1).includes('smtpd_milters'));

  const zoneUri = 'file:///tmp/mailconf-test/db.example';
  await client.open(zoneUri, 'plaintext', '$ORIGIN example.\n@ 3600 IN MX 10 mail\nmail IN A 192.0.2.1\n');
  const s2 = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: zoneUri } })) as DocumentSymbol[];
  assert.ok(names(s2).some((n) => n.includes('mail')), names(s2).join(','));

  const bindUri = 'untitled:Untitled-1';
  await client.open(bindUri, 'bindzone', '@ IN TXT "v=spf1 -all"\n');
  const s3 = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: bindUri } })) as DocumentSymbol[];
  assert.ok(s3.length > 0);
});

test('incremental edits re-publish diagnostics for the new version', async () => {
  const uri = 'file:///tmp/mailconf-test/edit.zone';
  const first = await client.open(uri, 'dns-zone', '@ IN TXT "v=spf1 -all"\n');
  assert.deepEqual(first.diagnostics, []);
  // Delete the closing quote: the string is now unterminated.
  const second = await client.change(uri, 2, [{ range: { start: { line: 0, character: 21 }, end: { line: 0, character: 22 } }, text: '' }]);
  assert.ok(second.diagnostics.some((d) => d.severity === 1), JSON.stringify(second.diagnostics));
  const third = await client.change(uri, 3, [{ range: { start: { line: 0, character: 21 }, end: { line: 0, character: 21 } }, text: '"' }]);
  assert.deepEqual(third.diagnostics, []);
});

test('binary junk does not crash the server; it keeps answering', async () => {
  const junk = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)).toString('latin1');
  for (const languageId of ['postfix-main', 'postfix-master', 'opendkim-conf', 'opendkim-table', 'dns-zone']) {
    const uri = `file:///tmp/mailconf-test/junk-${languageId}`;
    await client.open(uri, languageId, junk);
    const symbols = await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(Array.isArray(symbols));
  }
  assert.doesNotMatch(client.stderr, /analysis of .* failed/);
});

test('a zone edited in many small steps has the diagnostics of the same text opened fresh', async () => {
  const base = fs.readFileSync(path.join(SAMPLES, '000-any2any.de/zones/any2any.de.zone'), 'utf8');
  const lines = base.split('\n');
  const uri = 'file:///tmp/mailconf-test/incremental.zone';
  await client.open(uri, 'dns-zone', base);
  let seed = 11;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  let doc = TextDocument.create(uri, 'dns-zone', 1, base);
  const pieces = ['"', '(', ')', ';', ' ', '\n', 'IN TXT "v=spf1 -all"\n', 'x', ''];
  for (let version = 2; version < 60; version++) {
    const line = rand(doc.lineCount);
    const char = rand((lines[line]?.length ?? 0) + 1);
    const change = { range: { start: { line, character: char }, end: { line, character: char + rand(2) } }, text: pieces[rand(pieces.length)] };
    doc = TextDocument.update(doc, [change], version);
    const edited = await client.change(uri, version, [change]);
    const freshUri = `file:///tmp/mailconf-test/fresh-${version}.zone`;
    const fresh = await client.open(freshUri, 'dns-zone', doc.getText());
    // Related information may point into the document itself: compare it under one name.
    const sameUri = JSON.parse(JSON.stringify(fresh.diagnostics).split(freshUri).join(uri));
    assert.deepEqual(edited.diagnostics, sameUri, `after edit ${version}`);
  }
});

test('a change that joins a CR to an LF keeps the server\'s copy in step with the editor\'s', async () => {
  const c = new TestClient();
  try {
    await c.initialize();
    const uri = 'file:///tmp/crlf-join/main.cf';
    await c.open(uri, 'postfix-main', 'myhostname = a.example\rmydomain = example\n');
    // The editor types an LF right after the lone CR: the text is now CRLF, two lines.
    await c.change(uri, 2, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '\n' }]);
    // An edit on the second line must land there, not one line off.
    const d = await c.change(uri, 3, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 8 } }, text: 'mydomainz' }]);
    const unknown = d.diagnostics.find((x) => x.code === 'postfix/unknown-parameter');
    assert.ok(unknown, JSON.stringify(d.diagnostics));
    assert.deepEqual(unknown.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 9 } });
  } finally {
    await c.shutdown();
  }
});
