// Long completion lists (main.cf's thousands of parameter names) come without each item's
// `detail` to a client that resolves it (VS Code), and completionItem/resolve gives back the
// very detail a client without that capability finds in its list; short lists and other
// clients are unchanged.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, CompletionList, Position } from 'vscode-languageserver-protocol';
import { TestClient } from './lspClient';

const DIR = 'file:///tmp/mailconf-completion-details-lsp/postfix';
const MAIN = [
  'myhostname = mail.example.org',
  'smtpd_restriction_classes = trusted_senders',
  'trusted_senders = check_sender_access hash:/etc/postfix/trusted, reject',
  'my_relay_list = 192.0.2.1, 192.0.2.2, 192.0.2.3, 192.0.2.4, 192.0.2.5, 192.0.2.6, 192.0.2.7',
  'relayhost = $',
  '',
  'smtpd_tls_c',
  '',
].join('\n');
const MASTER = [
  'smtp inet n - y - - smtpd',
  'submission inet n - y - - smtpd -o submission_only=yes -o ',
  'policyd-spf unix - n n - 0 spawn user=nobody argv=/usr/bin/policyd-spf',
  '',
].join('\n');

/** The places with long lists: an empty line, a `$reference`, master.cf's `-o`. */
const PLACES: Array<{ what: string; uri: string; position: Position }> = [
  { what: 'main.cf, empty line', uri: `${DIR}/main.cf`, position: { line: 5, character: 0 } },
  { what: 'main.cf, after $', uri: `${DIR}/main.cf`, position: { line: 4, character: 13 } },
  { what: 'master.cf, after -o', uri: `${DIR}/master.cf`, position: { line: 1, character: MASTER.split('\n')[1].length } },
];

const VSCODE_COMPLETION = {
  completionItem: { snippetSupport: true, resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } },
  completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
};

let vscode: TestClient;
let withoutDetailResolve: TestClient;

before(async () => {
  vscode = await TestClient.startedAs({ completion: VSCODE_COMPLETION });
  // The same editor, except that it resolves only the documentation.
  withoutDetailResolve = await TestClient.startedAs({
    completion: { ...VSCODE_COMPLETION, completionItem: { ...VSCODE_COMPLETION.completionItem, resolveSupport: { properties: ['documentation'] } } },
  });
  for (const c of [vscode, withoutDetailResolve]) {
    await c.open(`${DIR}/master.cf`, 'postfix-master', MASTER);
    await c.open(`${DIR}/main.cf`, 'postfix-main', MAIN);
  }
});

after(async () => {
  assert.equal(await vscode.shutdown(), 0);
  assert.equal(await withoutDetailResolve.shutdown(), 0);
});

const completion = (c: TestClient, uri: string, position: Position) =>
  c.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position });

/** The kind of a name item, from its data (the list default filled in, as the client does) and tags. */
function kindOf(item: CompletionItem, list: CompletionList): string {
  const data = item.data ?? list.itemDefaults?.data;
  if (Array.isArray(data)) return 'per-service name';
  if (data === 1) return 'own setting';
  if (data === 2) return 'own restriction class';
  if (data === 0) return item.tags?.includes(1) ? 'deprecated' : 'built-in parameter';
  return 'other';
}

/** A few items of each kind: the first, one in the middle, the last. */
function samplesByKind(list: CompletionList): Map<string, CompletionItem[]> {
  const byKind = new Map<string, CompletionItem[]>();
  for (const item of list.items) {
    const kind = kindOf(item, list);
    byKind.set(kind, [...(byKind.get(kind) ?? []), item]);
  }
  for (const [kind, items] of byKind) byKind.set(kind, [...new Set([items[0], items[items.length >> 1], items[items.length - 1]])]);
  return byKind;
}

test('VS Code: long lists come without details; resolve gives each item the detail the list would have held', async () => {
  const kindsSeen = new Set<string>();
  for (const { what, uri, position } of PLACES) {
    const compact = await completion(vscode, uri, position);
    const full = await completion(withoutDetailResolve, uri, position);
    assert.ok(compact.items.length > 500, `${what}: a long list (${compact.items.length} items)`);
    assert.deepEqual(compact.items.map((i) => i.label), full.items.map((i) => i.label), `${what}: the same items`);
    assert.ok(compact.items.every((i) => i.detail === undefined), `${what}: no detail in the list`);
    assert.ok(JSON.stringify(compact).length < JSON.stringify(full).length * 0.85, `${what}: fewer bytes`);
    const fullDetail = new Map(full.items.map((i) => [i.label, i.detail]));
    for (const [kind, items] of samplesByKind(compact)) {
      kindsSeen.add(kind);
      for (const item of items) {
        const expected = fullDetail.get(item.label);
        assert.ok(expected, `${what}: ${kind} ${item.label} has a detail in the full list`);
        const resolved = await vscode.request<CompletionItem>('completionItem/resolve', { ...item, data: item.data ?? compact.itemDefaults?.data });
        assert.equal(resolved.detail, expected, `${what}: ${kind} ${item.label}`);
        assert.ok(typeof resolved.documentation === 'object' && resolved.documentation.value.length > 0, `${what}: ${item.label} documented too`);
      }
    }
  }
  assert.deepEqual([...kindsSeen].sort(), ['built-in parameter', 'deprecated', 'own restriction class', 'own setting', 'per-service name']);
});

test('the details a long list held are those of its own place: a built-in name after $ shows its value', async () => {
  const [names, references] = [PLACES[0], PLACES[1]];
  const full = await completion(withoutDetailResolve, references.uri, references.position);
  assert.equal(full.items.find((i) => i.label === 'myhostname')?.detail, '= mail.example.org');
  const compactNames = await completion(vscode, names.uri, names.position);
  const compactReferences = await completion(vscode, references.uri, references.position);
  const item = compactReferences.items.find((i) => i.label === 'myhostname')!;
  const resolved = await vscode.request<CompletionItem>('completionItem/resolve', { ...item, data: item.data ?? compactReferences.itemDefaults?.data });
  assert.equal(resolved.detail, '= mail.example.org');
  assert.ok(compactNames.items.length > 500);
});

test('a client that does not resolve `detail` gets it in the list, for every kind of item', async () => {
  const list = await completion(withoutDetailResolve, PLACES[0].uri, PLACES[0].position);
  const byKind = samplesByKind(list);
  assert.equal(byKind.size, 5, [...byKind.keys()].join(', '));
  assert.ok(list.items.every((i) => typeof i.detail === 'string' && i.detail.length > 0));
  assert.equal(list.items.find((i) => i.label === 'my_relay_list')?.detail, '= 192.0.2.1, 192.0.2.2, 192.0.2.3, 192.0.2.4, 192.0.2.5, 192.…');
  assert.equal(list.items.find((i) => i.label === 'trusted_senders')?.detail, '= check_sender_access hash:/etc/postfix/trusted, reject');
  assert.equal(list.items.find((i) => i.label === 'policyd-spf_time_limit')?.detail, 'for the policyd-spf service');
  assert.match(list.items.find((i) => i.label === 'smtpd_milters')?.detail ?? '', /^default: /);
});

test('VS Code: a short list (three characters typed) keeps its details; a resolve leaves them as they are', async () => {
  const list = await completion(vscode, `${DIR}/main.cf`, { line: 6, character: 11 });
  assert.ok(list.items.length > 0 && list.items.length <= 500, `${list.items.length} items`);
  assert.ok(list.items.every((i) => typeof i.detail === 'string'));
  const item = list.items.find((i) => i.label === 'smtpd_tls_ciphers')!;
  const resolved = await vscode.request<CompletionItem>('completionItem/resolve', { ...item, data: item.data ?? list.itemDefaults?.data });
  assert.equal(resolved.detail, item.detail);
  // A name the last long list does not hold gets no detail made up.
  assert.equal((await vscode.request<CompletionItem>('completionItem/resolve', { label: 'no_such_name', data: 0 })).detail, undefined);
});
