// Zone files and the mail-authentication records through the real server.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Hover, SemanticTokens, TextEdit } from 'vscode-languageserver-protocol';
import { TestClient, REPO, fileUri } from './lspClient';

let client: TestClient;
const markdown = (h: Hover | null) => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');
const apply = (text: string, edits: TextEdit[]) => TextDocument.applyEdits(TextDocument.create('file:///x', 'x', 1, text), edits);

const ZONE = `$ORIGIN example.org.
$TTL 3600
@        IN SOA ns1 hostmaster 1 7200 3600 1209600 3600
         IN NS  ns1
         IN MX  10 mail
         IN TXT "v=spf1 mx include:_spf.example.org -all"
_spf     IN TXT "v=spf1 ip4:192.0.2.0/24 ~all"
ns1      IN A   192.0.2.1
mail     IN A   192.0.2.2
`;

before(async () => {
  client = new TestClient();
  await client.initialize(null);
});

after(async () => {
  assert.equal(await client.shutdown(), 0);
});

test('hover on an SPF mechanism explains it; hover on the record counts its DNS lookups', async () => {
  const uri = 'file:///tmp/mailconf-zone-lsp/example.org.zone';
  await client.open(uri, 'dns-zone', ZONE);
  const line = ZONE.split('\n')[5];
  const onInclude = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: line.indexOf('include:') + 2 } });
  assert.match(markdown(onInclude), /include/i);
  const onVersion = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: line.indexOf('v=spf1') + 1 } });
  assert.match(markdown(onVersion), /lookup/i);
});

test('missing _dmarc: the quick-fix inserts a p=none record and the finding goes away', async () => {
  const uri = 'file:///tmp/mailconf-zone-lsp/fix.example.org.zone';
  const d = await client.open(uri, 'dns-zone', ZONE);
  const missing = d.diagnostics.find((x) => x.code === 'zone/missing-dmarc');
  assert.ok(missing, JSON.stringify(d.diagnostics.map((x) => x.code)));
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: missing.range, context: { diagnostics: [missing] } });
  const fix = actions.find((a) => a.edit?.changes?.[uri]);
  assert.ok(fix, JSON.stringify(actions));
  const fixed = apply(ZONE, fix.edit!.changes![uri]);
  assert.match(fixed, /^_dmarc\s+.*TXT\s+"v=DMARC1; p=none/m);
  const after = await client.change(uri, 2, [{ text: fixed }]);
  assert.ok(!after.diagnostics.some((x) => x.code === 'zone/missing-dmarc'));
});

test('seed 002: the unquoted SPF record is no longer SPF, the DKIM record lost its key', async () => {
  const spf = path.join(REPO, 'samples/002-mysystems.tld/zones/domain.tld.zone');
  const d1 = await client.open(fileUri(spf), 'dns-zone', fs.readFileSync(spf, 'utf8'));
  const c1 = d1.diagnostics.map((x) => x.code);
  assert.ok(c1.includes('zone/unquoted-txt') && c1.includes('spf/split-strings'), c1.join(','));
  const dkim = path.join(REPO, 'samples/002-mysystems.tld/zones/mysystems.tld.zone');
  const d2 = await client.open(fileUri(dkim), 'dns-zone', fs.readFileSync(dkim, 'utf8'));
  const c2 = d2.diagnostics.map((x) => x.code);
  assert.ok(c2.includes('zone/txt-semicolon-comment') && c2.includes('dkim/missing-key'), c2.join(','));
});

test('semantic tokens colour the tags inside TXT strings', async () => {
  const uri = 'file:///tmp/mailconf-zone-lsp/example.org.zone';
  const legend = client.initializeResult!.capabilities.semanticTokensProvider!.legend;
  const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
  let line = 0;
  const onSpfLine = new Set<string>();
  for (let i = 0; i < tokens.data.length; i += 5) {
    line += tokens.data[i];
    if (line === 5) onSpfLine.add(legend.tokenTypes[tokens.data[i + 3]]);
  }
  assert.ok(onSpfLine.size >= 2, `several token kinds on the SPF line: ${[...onSpfLine]}`);
});
