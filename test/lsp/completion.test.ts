// Completion through the real server: main.cf's thousands of parameter names come without
// their documentation (written on completionItem/resolve for the item shown), cut down to
// what can match the typed word (isIncomplete), and with one edit range for all items when
// the client takes list defaults (VS Code).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, CompletionList, MarkupContent, Range } from 'vscode-languageserver-protocol';
import { TestClient } from './lspClient';

const DIR = 'file:///tmp/mailconf-completion-lsp/postfix';
const MAIN = 'myhostname = mail.example.org\nsmtpd_tls_c\n\nmy_hosts = 192.0.2.1\n';
const MASTER = 'smtp inet n - y - - smtpd\npolicyd-spf unix - n n - 0 spawn user=nobody argv=/usr/bin/policyd-spf\n';

let client: TestClient;

before(async () => {
  client = new TestClient();
  await client.initialize(null);
  await client.open(`${DIR}/master.cf`, 'postfix-master', MASTER);
  await client.open(`${DIR}/main.cf`, 'postfix-main', MAIN);
});

after(async () => {
  assert.equal(await client.shutdown(), 0);
});

const markdownOf = (i: CompletionItem) => (i.documentation as MarkupContent | undefined)?.value ?? '';

test('the server resolves completion items; lists come without documentation, cut to the typed word', async () => {
  const caps = client.initializeResult!.capabilities.completionProvider!;
  assert.equal(caps.resolveProvider, true);
  const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: `${DIR}/main.cf` }, position: { line: 1, character: 11 } });
  assert.equal(list.isIncomplete, true, 'typed characters cut the list: ask again as they change');
  const labels = list.items.map((i) => i.label);
  assert.ok(labels.includes('smtpd_tls_ciphers') && labels.includes('smtpd_tls_mandatory_ciphers'), labels.slice(0, 20).join(','));
  assert.ok(!labels.includes('myhostname'));
  assert.ok(list.items.every((i) => i.documentation === undefined));
  const item = list.items.find((i) => i.label === 'smtpd_tls_ciphers')!;
  assert.deepEqual(item.textEdit, { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 11 } }, newText: 'smtpd_tls_ciphers = ' });
  assert.equal(item.data, 0, 'the label is the parameter');
  const resolved = await client.request<CompletionItem>('completionItem/resolve', item);
  assert.match(markdownOf(resolved), /postconf\.5\.html#smtpd_tls_ciphers/);
  assert.equal(resolved.label, item.label);
  assert.deepEqual(resolved.textEdit, item.textEdit);
});

test('per-service names resolve to what they set; items of no concern come back unchanged', async () => {
  const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: `${DIR}/main.cf` }, position: { line: 2, character: 0 } });
  assert.equal(list.isIncomplete, false, 'nothing typed: the whole list');
  const svc = list.items.find((i) => i.label === 'policyd-spf_time_limit');
  assert.ok(svc, 'a name of the policyd-spf service');
  assert.equal(svc.documentation, undefined);
  const resolved = await client.request<CompletionItem>('completionItem/resolve', svc);
  assert.match(markdownOf(resolved), /`policyd-spf` \(spawn\) only: its `time_limit` setting/);
  assert.deepEqual(svc.data, ['policyd-spf', 'spawn']);
  const own = list.items.find((i) => i.label === 'my_hosts');
  assert.ok(own, 'a name of the configuration');
  assert.equal(own.data, 1);
  assert.equal(markdownOf(await client.request<CompletionItem>('completionItem/resolve', own)), 'Defined in this configuration.');
  for (const data of [undefined, 0, 42, { parameter: 'smtpd_milters' }, ['a', 'b'], ['a', 'b', 'c', 'd'], [1, 2], 'smtpd_milters']) {
    const other = data === undefined ? { label: 'x' } : { label: 'x', data };
    assert.deepEqual(await client.request<CompletionItem>('completionItem/resolve', other), other);
  }
});

test('a client that takes list defaults (VS Code) gets the edit range once; the text it inserts is the same', async () => {
  const vscodeLike = await TestClient.startedAs({
    completion: {
      completionItem: { snippetSupport: true, resolveSupport: { properties: ['documentation', 'detail'] } },
      completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
    },
  });
  try {
    const uri = `${DIR}/defaults/main.cf`;
    await vscodeLike.open(uri, 'postfix-main', MAIN);
    const position = { line: 1, character: 11 };
    const plain = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: `${DIR}/main.cf` }, position });
    const compact = await vscodeLike.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position });
    assert.deepEqual(compact.itemDefaults?.editRange, { start: { line: 1, character: 0 }, end: { line: 1, character: 11 } });
    assert.equal(compact.itemDefaults?.insertTextFormat, 1);
    assert.ok(compact.items.every((i) => i.textEdit === undefined));
    assert.ok(JSON.stringify(compact).length < JSON.stringify(plain).length * 0.8, 'fewer bytes');
    // What each item inserts, as the client applies the defaults: the same as the full form.
    const range = compact.itemDefaults!.editRange as Range;
    const inserted = (i: CompletionItem) => TextDocument.applyEdits(TextDocument.create(uri, 'x', 1, MAIN), [{ range, newText: i.textEditText ?? i.label }]);
    const plainInserted = (i: CompletionItem) => TextDocument.applyEdits(TextDocument.create(uri, 'x', 1, MAIN), [i.textEdit as { range: Range; newText: string }]);
    assert.deepEqual(compact.items.map((i) => [i.label, inserted(i)]), plain.items.map((i) => [i.label, plainInserted(i)]));
    const ciphers = compact.items.find((i) => i.label === 'smtpd_tls_ciphers')!;
    assert.equal(ciphers.textEditText, 'smtpd_tls_ciphers = ');
    // The data of built-in names is the list default; the client fills it in before resolving.
    assert.equal(compact.itemDefaults?.data, 0);
    assert.equal(ciphers.data, undefined);
    const resolved = await vscodeLike.request<CompletionItem>('completionItem/resolve', { ...ciphers, data: compact.itemDefaults!.data });
    assert.match(markdownOf(resolved), /postconf\.5\.html#smtpd_tls_ciphers/);
  } finally {
    assert.equal(await vscodeLike.shutdown(), 0);
  }
});
