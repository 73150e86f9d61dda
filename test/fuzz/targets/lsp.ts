// Fuzz target for the LSP request handlers through the real built server (dist/server.js
// over stdio, `npm run build` first): a document of a random kind is opened, edited with
// random incremental changes (some answered by a request before the analysis ran), then
// hover, completion, code actions, document symbols, semantic tokens and folding are asked
// at random positions. Every answer must fit the editor's copy of the text, code actions
// must apply and make no new syntax error, no handler may fail (the server logs a caught
// exception as "… failed"), and the server must stay up.

import fc from 'fast-check';
import * as fs from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction, CompletionItem, CompletionList, DocumentSymbol, FoldingRange, Hover, SemanticTokens,
} from 'vscode-languageserver-protocol';
import { ALL_KINDS, languageIdOf, type DocumentKind } from '../../../server/src/core/kinds';
import { analyzeDocument } from '../../../server/src/core/service';
import { TestClient, SERVER } from '../../lsp/lspClient';
import {
  applyEditsTracked, applyMutation, assertRangeInside, errorsMadeByEdits, linesOf, lspChangeFor, mutatedText, mutationArb,
  target, type Mutation,
} from '../harness';

/** File names the server recognises per kind; the folder does not exist, so nothing is read beside them. */
const FILE_OF: Record<DocumentKind, string> = {
  'postfix-main': 'postfix/main.cf',
  'postfix-master': 'postfix/master.cf',
  'opendkim-conf': 'opendkim.conf',
  'opendkim-default': 'default/opendkim',
  'opendkim-keytable': 'opendkim/KeyTable',
  'opendkim-signingtable': 'opendkim/SigningTable',
  'opendkim-hostlist': 'opendkim/TrustedHosts',
  'dns-zone': 'bind/db.example.org',
};
const ROOT = 'file:///nonexistent-mailconf-fuzz';

interface LspCase {
  kind: DocumentKind;
  text: string;
  /** Each edit; `ask` sends a request right after it, before the server's scheduled analysis. */
  edits: Array<{ mutation: Mutation; ask: boolean }>;
  positions: Array<{ line: number; character: number }>;
}

const caseArb: fc.Arbitrary<LspCase> = fc.constantFrom(...ALL_KINDS).chain((kind) => fc.record({
  kind: fc.constant(kind),
  text: mutatedText(kind, { maxChars: 2500, maxMutations: 3 }),
  edits: fc.array(fc.record({ mutation: mutationArb, ask: fc.boolean() }), { maxLength: 8 }),
  positions: fc.array(fc.record({ line: fc.nat(120), character: fc.nat(100) }), { minLength: 1, maxLength: 5 }),
}));

let client: TestClient | undefined;
let caseNo = 0;
/** What the server logged (window/logMessage: where connection.console writes) and on stderr. */
let log = '';

function errorsIn(stderr: string): string[] {
  return stderr.split('\n').filter((l) => / failed[: ]|internal error|Unhandled|TypeError|RangeError/.test(l));
}

async function runCase(c: LspCase): Promise<void> {
  const cl = client!;
  const logBefore = log.length;
  const stderrBefore = cl.stderr.length;
  const uri = `${ROOT}/${++caseNo}/${FILE_OF[c.kind]}`;
  let mirror = TextDocument.create(uri, languageIdOf(c.kind), 1, c.text);
  const opened = await cl.open(uri, languageIdOf(c.kind), c.text);
  try {
    let diagnostics = opened.diagnostics;
    for (const [i, e] of c.edits.entries()) {
      const change = lspChangeFor(mirror, applyMutation(mirror.getText(), e.mutation));
      mirror = TextDocument.update(mirror, [change], mirror.version + 1);
      // The last version's diagnostics: waited for from before its change is sent.
      const published = i === c.edits.length - 1 ? cl.nextDiagnostics(uri, mirror.version, 10_000) : undefined;
      await cl.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: mirror.version }, contentChanges: [change] });
      // A request before the analysis: the server must bring the document up to date first.
      if (e.ask) checkSymbols(await cl.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } }), linesOf(mirror.getText()), 'documentSymbol mid-edit');
      if (published) diagnostics = (await published).diagnostics;
    }
    const text = mirror.getText();
    const lines = linesOf(text);
    for (const d of diagnostics) assertRangeInside(d.range, lines, `diagnostic ${d.code}`);

    checkSymbols(await cl.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } }), lines, 'documentSymbol');
    for (const f of await cl.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } })) {
      if (!(f.startLine >= 0 && f.startLine <= f.endLine && f.endLine < lines.length)) throw new Error(`folding range ${JSON.stringify(f)} outside ${lines.length} lines`);
    }
    checkSemanticTokens(await cl.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } }), lines);

    for (const raw of c.positions) {
      const line = raw.line % lines.length;
      const position = { line, character: raw.character % (lines[line].length + 1) };
      const at = `at ${line}:${position.character}`;
      const hover = await cl.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
      if (hover?.range) assertRangeInside(hover.range, lines, `hover ${at}`);
      const completion = await cl.request<CompletionItem[] | CompletionList | null>('textDocument/completion', { textDocument: { uri }, position });
      const items = Array.isArray(completion) ? completion : completion?.items ?? [];
      for (const item of items) {
        const edit = item.textEdit;
        if (edit && 'range' in edit) assertRangeInside(edit.range, lines, `completion ${item.label} ${at}`);
      }
    }

    // Code actions on each diagnostic (a few) and on the first position.
    const ranges = [...diagnostics.slice(0, 4).map((d) => d.range), { start: { line: c.positions[0].line % lines.length, character: 0 }, end: { line: c.positions[0].line % lines.length, character: 0 } }];
    for (const range of ranges) {
      const actions = await cl.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } });
      for (const a of actions.slice(0, 6)) checkCodeAction(a, uri, c.kind, text);
    }
  } finally {
    await cl.close(uri);
  }
  const errors = errorsIn(log.slice(logBefore) + cl.stderr.slice(stderrBefore));
  if (errors.length) throw new Error(`the server logged a failure:\n${errors.join('\n')}`);
}

function checkSymbols(symbols: DocumentSymbol[] | null, lines: readonly string[], what: string): void {
  for (const s of symbols ?? []) {
    assertRangeInside(s.range, lines, `${what} ${s.name}`);
    assertRangeInside(s.selectionRange, lines, `${what} ${s.name} selection`);
    if (s.children) checkSymbols(s.children, lines, what);
  }
}

/** Decodes LSP's relative token encoding; each token lies on one line, inside it. */
function checkSemanticTokens(tokens: SemanticTokens | null, lines: readonly string[]): void {
  const data = tokens?.data ?? [];
  if (data.length % 5 !== 0) throw new Error(`semantic tokens: ${data.length} numbers, not a multiple of 5`);
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [dLine, dChar, length] = [data[i], data[i + 1], data[i + 2]];
    if (dLine < 0 || dChar < 0 || length < 0) throw new Error('semantic tokens: a negative delta');
    line += dLine;
    char = dLine === 0 ? char + dChar : dChar;
    if (line >= lines.length || char + length > lines[line].length) throw new Error(`semantic token ${line}:${char}+${length} outside the line (${lines[line]?.length} characters)`);
  }
}

function checkCodeAction(a: CodeAction, uri: string, kind: DocumentKind, text: string): void {
  const what = `code action "${a.title}"`;
  const changes = a.edit?.changes ?? {};
  for (const [target, edits] of Object.entries(changes)) {
    // Fixes may edit a partner file the server read from disk; here nothing is on disk.
    if (target !== uri) continue;
    const { text: after, spans } = applyEditsTracked(text, edits, what);
    const made = errorsMadeByEdits(analyzeDocument(uri, kind, text).parse.findings, analyzeDocument(uri, kind, after).parse.findings, after, spans);
    if (made.length) throw new Error(`${what} makes ${made.join(', ')}\nbefore: ${JSON.stringify(text)}\nafter: ${JSON.stringify(after)}`);
  }
}

export const lspTarget = target({
  name: 'LSP handlers through the built server after random edits',
  arbitrary: caseArb,
  property: runCase,
  ciRuns: 200,
  budgetMs: 5000,
  async setUp() {
    if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run npm run build first`);
    client = new TestClient();
    log = '';
    client.connection.onNotification('window/logMessage', (p: { message: string }) => { log += p.message + '\n'; });
    await client.initialize(null);
  },
  async tearDown() {
    const c = client;
    client = undefined;
    if (!c) return;
    const code = await c.shutdown();
    if (code !== 0) throw new Error(`the server exited with ${code}\n${c.stderr}`);
  },
});
