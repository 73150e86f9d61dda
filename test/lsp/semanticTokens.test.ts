// Semantic tokens through the real server: range requests (what VS Code asks for the
// visible lines) give the whole-document tokens on those lines, and a huge document gets no
// whole-document answer: a client that asks for ranges and takes a server cancel (VS Code)
// gets ServerCancelled, another (Neovim up to 0.11) the tokens of the first 50,000 lines.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LSPErrorCodes, ResponseError, type SemanticTokens } from 'vscode-languageserver-protocol';
import { TestClient } from './lspClient';

/** Absolute tokens from LSP's relative encoding, as `line:char+length type/modifiers`. */
function decode(tokens: SemanticTokens): string[] {
  const out: string[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < tokens.data.length; i += 5) {
    const [dl, dc, len, type, mods] = tokens.data.slice(i, i + 5);
    line += dl;
    char = dl === 0 ? char + dc : dc;
    out.push(`${line}:${char}+${len} ${type}/${mods}`);
  }
  return out;
}

const lineOf = (t: string) => Number(t.slice(0, t.indexOf(':')));

/** A zone with a policy every few lines: SPF, DMARC, a DKIM key over three lines. */
function zone(hosts: number): string {
  const out = ['$ORIGIN example.org.', '$TTL 3600', '@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600', '  IN NS ns1', '  IN TXT "v=spf1 mx -all"', 'ns1 IN A 192.0.2.1'];
  for (let i = 0; i < hosts; i++) {
    out.push(`h${i} IN A 192.0.2.${i % 250 + 1}`);
    out.push(`h${i} IN TXT "v=spf1 ip4:192.0.2.${i % 250 + 1} a:mail${i}.example.org ~all"`);
    if (i % 3 === 0) out.push(`_dmarc.h${i} IN TXT "v=DMARC1; p=reject; rua=mailto:d@example.org"`);
    if (i % 7 === 0) out.push(`k._domainkey.h${i} IN TXT ( "v=DKIM1; k=rsa; "`, '    "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" ; key', '    "IDAQAB" )');
  }
  return out.join('\n') + '\n';
}

let client: TestClient;

before(async () => {
  client = new TestClient();
  await client.initialize(null);
});

after(async () => {
  assert.equal(await client.shutdown(), 0);
});

test('the server offers range requests; range tokens are the whole-document tokens on those lines', async () => {
  const provider = client.initializeResult!.capabilities.semanticTokensProvider as { full?: unknown; range?: unknown };
  assert.equal(provider.range, true);
  assert.equal(provider.full, true);
  const uri = 'file:///tmp/mailconf-tokens-lsp/example.org.zone';
  const text = zone(60);
  await client.open(uri, 'dns-zone', text);
  const full = decode(await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } }));
  assert.ok(full.length > 500, `${full.length} tokens`);
  const lines = text.split('\n').length;
  let compared = 0;
  for (const [from, to, endChar] of [[0, 5, 0], [6, 6, 80], [10, 40, 0], [7, 9, 3], [lines - 20, lines + 5, 0], [0, lines, 0]] as const) {
    const got = decode(await client.request<SemanticTokens>('textDocument/semanticTokens/range', {
      textDocument: { uri }, range: { start: { line: from, character: 0 }, end: { line: to, character: endChar } },
    }));
    const last = endChar === 0 && to > from ? to - 1 : to;
    const want = full.filter((t) => lineOf(t) >= from && lineOf(t) <= last);
    assert.deepEqual(got, want, `lines ${from}–${to}`);
    compared += want.length;
  }
  assert.ok(compared > full.length, `${compared} tokens compared`);
  // After an edit the range answers for the new text (the edit shifts every later token).
  await client.change(uri, 2, [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: '; a new comment line\n' }]);
  const shifted = decode(await client.request<SemanticTokens>('textDocument/semanticTokens/range', {
    textDocument: { uri }, range: { start: { line: 11, character: 0 }, end: { line: 41, character: 0 } },
  }));
  const wantShifted = full.filter((t) => lineOf(t) >= 10 && lineOf(t) < 40).map((t) => t.replace(/^\d+/, (l) => String(Number(l) + 1)));
  assert.deepEqual(shifted, wantShifted);
});

test('a document over 50,000 lines: no whole-document tokens, ranges still answered', async () => {
  const text = zone(20_000);
  const lines = text.split('\n').length;
  assert.ok(lines > 50_000, `${lines} lines`);
  const open = async (c: TestClient, uri: string) => {
    const diagnostics = c.nextDiagnostics(uri, 1, 60_000);
    await c.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dns-zone', version: 1, text } });
    await diagnostics;
  };
  const middle = { start: { line: 30_000, character: 0 }, end: { line: 30_060, character: 0 } };

  // This client (like Neovim up to 0.11) announces no range requests: the first 50,000 lines.
  const headUri = 'file:///tmp/mailconf-tokens-lsp/huge-head.zone';
  await open(client, headUri);
  const head = decode(await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: headUri } }));
  assert.ok(head.length > 10_000, `${head.length} tokens`);
  assert.ok(head.every((t) => lineOf(t) < 50_000), 'nothing past line 50,000');
  assert.ok(head.some((t) => lineOf(t) >= 49_000), 'tokens up to line 50,000');
  const range = decode(await client.request<SemanticTokens>('textDocument/semanticTokens/range', { textDocument: { uri: headUri }, range: middle }));
  assert.deepEqual(range, head.filter((t) => lineOf(t) >= 30_000 && lineOf(t) < 30_060));

  // A client as VS Code's: ranges, and a server cancel of the whole-document request.
  const vscodeLike = await TestClient.startedAs({
    semanticTokens: {
      requests: { range: true, full: { delta: true } }, serverCancelSupport: true,
      tokenTypes: [], tokenModifiers: [], formats: ['relative'],
    },
  });
  try {
    const uri = 'file:///tmp/mailconf-tokens-lsp/huge-vscode.zone';
    await open(vscodeLike, uri);
    await assert.rejects(vscodeLike.request('textDocument/semanticTokens/full', { textDocument: { uri } }),
      (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.ServerCancelled && /visible range/.test(e.message));
    const visible = decode(await vscodeLike.request<SemanticTokens>('textDocument/semanticTokens/range', { textDocument: { uri }, range: middle }));
    assert.deepEqual(visible, range, 'the same tokens as for the other client');
    assert.ok(visible.length > 50, `${visible.length} tokens on 60 lines`);
  } finally {
    assert.equal(await vscodeLike.shutdown(), 0);
  }
});
