// Fuzz targets over whole documents, one set per file kind: the parser (tree, outline,
// folds), diagnose() with every checker of the kind, the quick fixes it offers, the zone's
// incremental re-parse, and the editor features at random positions — all in the core,
// without a server (the LSP targets drive the built server).

import fc from 'fast-check';
import { ALL_KINDS, type DocumentKind } from '../../../server/src/core/kinds';
import { analyzeDocument, foldingOf, reanalyzeDocument, symbolsOf } from '../../../server/src/core/service';
import { diagnose } from '../../../server/src/core/checks';
import { Workspace, type WorkspaceDocument } from '../../../server/src/core/stack/workspace';
import {
  completionsAt, definitionAt, hoverAt, prepareRenameAt, referencesAt, renameAt, semanticTokensOf,
} from '../../../server/src/core/features/index';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import type { Finding, SymbolNode } from '../../../server/src/core/types';
import {
  applyEdits, applyEditsTracked, applyMutation, assertRangeInside, errorsMadeByEdits, linesOf, mutatedText, mutationArb, target,
  lspChangeFor, lineTableIsStale, type FuzzTarget,
} from '../harness';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { mergeChange } from '../../../server/src/lsp/changedLines';

/** Where each kind lives in an /etc-like tree (so cross-file checks find their partners). */
export const URI_OF: Record<DocumentKind, string> = {
  'postfix-main': 'file:///etc/postfix/main.cf',
  'postfix-master': 'file:///etc/postfix/master.cf',
  'opendkim-conf': 'file:///etc/opendkim.conf',
  'opendkim-default': 'file:///etc/default/opendkim',
  'opendkim-keytable': 'file:///etc/opendkim/KeyTable',
  'opendkim-signingtable': 'file:///etc/opendkim/SigningTable',
  'opendkim-hostlist': 'file:///etc/opendkim/TrustedHosts',
  'dns-zone': 'file:///etc/bind/db.example.org',
};

export function checkSymbols(symbols: readonly SymbolNode[], lines: readonly string[], what: string): void {
  for (const s of symbols) {
    assertRangeInside(s.range, lines, `${what}: symbol ${s.name}`);
    assertRangeInside(s.selectionRange, lines, `${what}: symbol ${s.name} (selection)`);
    if (typeof s.name !== 'string') throw new Error(`${what}: a symbol without a name`);
    if (s.children) checkSymbols(s.children, lines, what);
  }
}

/** Parse + outline + folds of one text: no throw, every range inside. */
export function checkParse(kind: DocumentKind, text: string): void {
  const doc = analyzeDocument(URI_OF[kind], kind, text);
  const lines = linesOf(text);
  for (const f of doc.parse.findings) assertRangeInside(f.range, lines, `${kind} syntax finding ${f.code}`);
  checkSymbols(symbolsOf(doc), lines, kind);
  for (const fold of foldingOf(doc)) {
    if (!(fold.startLine >= 0 && fold.startLine <= fold.endLine && fold.endLine < lines.length)) {
      throw new Error(`${kind}: fold ${JSON.stringify(fold)} outside ${lines.length} lines`);
    }
  }
}

/** Every document of the workspace by uri, with its lines. */
function textsOf(workspace: Workspace): Map<string, { doc: WorkspaceDocument; lines: string[] }> {
  return new Map(workspace.all().map((d) => [d.uri, { doc: d, lines: linesOf(d.analysis.text) }]));
}

/**
 * diagnose() for every document of the workspace; each finding's ranges inside its
 * document, related locations inside theirs, and each quick fix applies cleanly without
 * making a new syntax error in any file it edits. Returns how many fixes were applied.
 */
export function checkDiagnose(workspace: Workspace, maxFixes = 25): number {
  const texts = textsOf(workspace);
  let applied = 0;
  for (const { doc, lines } of texts.values()) {
    const findings = diagnose({ doc, workspace, settings: DEFAULT_SETTINGS });
    for (const f of findings) checkFinding(f, doc, lines, texts);
    for (const f of findings) {
      for (const fix of f.fixes ?? []) {
        if (applied++ >= maxFixes) return applied;
        checkFix(f, fix, doc, texts);
      }
    }
  }
  return applied;
}

function checkFinding(f: Finding, doc: WorkspaceDocument, lines: string[], texts: ReturnType<typeof textsOf>): void {
  const what = `${doc.kind} finding ${f.code}`;
  assertRangeInside(f.range, lines, what);
  if (typeof f.message !== 'string' || f.message.length === 0) throw new Error(`${what}: no message`);

  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(f.code)) throw new Error(`${what}: malformed code`);
  for (const r of f.related ?? []) {
    const other = texts.get(r.uri);
    // Related places may name files outside the model (a key file); inside it, they must fit.
    if (other) assertRangeInside(r.range, other.lines, `${what}: related ${r.uri}`);
  }
}

function checkFix(f: Finding, fix: NonNullable<Finding['fixes']>[number], doc: WorkspaceDocument, texts: ReturnType<typeof textsOf>): void {
  const what = `${doc.kind} fix "${fix.title}" of ${f.code}`;
  const byUri = new Map<string, Array<{ range: Finding['range']; newText: string }>>();
  for (const e of fix.edits) {
    const uri = e.uri ?? doc.uri;
    const list = byUri.get(uri) ?? [];
    list.push(e);
    byUri.set(uri, list);
  }
  for (const [uri, edits] of byUri) {
    const target = texts.get(uri);
    if (!target) throw new Error(`${what}: edits ${uri}, which is not in the workspace`);
    const before = target.doc.analysis.text;
    const { text: after, spans } = applyEditsTracked(before, edits, what);
    const added = errorsMadeByEdits(target.doc.analysis.parse.findings, analyzeDocument(uri, target.doc.kind, after).parse.findings, after, spans);
    if (added.length) throw new Error(`${what}: the fix adds syntax errors ${added.join(', ')}\nbefore: ${JSON.stringify(before)}\nafter: ${JSON.stringify(after)}`);
  }
}

const positionArb = fc.record({ line: fc.integer({ min: -1, max: 400 }), character: fc.integer({ min: -1, max: 300 }), fraction: fc.boolean() });

/**
 * The editor features at positions of one document: hovers and completions stay on the
 * document, locations in known documents lie inside them, rename edits apply.
 */
export function checkFeatures(workspace: Workspace, doc: WorkspaceDocument, positions: ReadonlyArray<{ line: number; character: number; fraction: boolean }>): void {
  const texts = textsOf(workspace);
  const lines = linesOf(doc.analysis.text);
  const ctx = { doc, workspace, settings: DEFAULT_SETTINGS };
  const what = `${doc.kind} features`;
  for (const raw of positions) {
    // Half the positions land inside the text (a line and column that exist), the rest anywhere.
    const line = raw.fraction ? Math.abs(raw.line) % lines.length : raw.line;
    const character = raw.fraction ? Math.abs(raw.character) % ((lines[line]?.length ?? 0) + 1) : raw.character;
    const pos = { line, character };
    const at = `${what} at ${line}:${character}`;
    const h = hoverAt(ctx, pos);
    if (h) {
      if (typeof h.markdown !== 'string' || h.markdown.length === 0) throw new Error(`${at}: empty hover`);
      if (h.range) assertRangeInside(h.range, lines, `${at}: hover range`);
    }
    for (const item of completionsAt(ctx, pos)) {
      assertRangeInside(item.edit.range, lines, `${at}: completion ${item.label}`);
      if (item.edit.range.start.line !== line || item.edit.range.end.line !== line) throw new Error(`${at}: completion ${item.label} edits another line`);
    }
    for (const loc of [...definitionAt(ctx, pos), ...referencesAt(ctx, pos, true)]) {
      const other = texts.get(loc.uri);
      if (other) assertRangeInside(loc.range, other.lines, `${at}: location in ${loc.uri}`);
    }
    const prep = prepareRenameAt(ctx, pos);
    if (prep) {
      assertRangeInside(prep.range, lines, `${at}: prepareRename`);
      const edit = renameAt(ctx, pos, 'fuzz_renamed');
      if (edit && 'edits' in edit) {
        const byUri = new Map<string, typeof edit.edits>();
        for (const e of edit.edits) byUri.set(e.uri, [...(byUri.get(e.uri) ?? []), e]);
        for (const [uri, edits] of byUri) {
          const other = texts.get(uri);
          if (!other) throw new Error(`${at}: rename edits ${uri}, not in the workspace`);
          applyEdits(other.doc.analysis.text, edits, `${at}: rename`);
        }
      }
    }
  }
  for (const t of semanticTokensOf(ctx)) {
    assertRangeInside(t.range, lines, `${what}: semantic token`);
    if (t.range.start.line !== t.range.end.line) throw new Error(`${what}: semantic token over several lines`);
  }
}

function parseTarget(kind: DocumentKind): FuzzTarget<string> {
  return target({ name: `parse ${kind}`, arbitrary: mutatedText(kind), property: (text) => checkParse(kind, text), ciRuns: 400 });
}

function diagnoseTarget(kind: DocumentKind): FuzzTarget<string> {
  return target({
    name: `diagnose ${kind}`,
    arbitrary: mutatedText(kind),
    property: (text) => {
      const ws = new Workspace();
      ws.setOpen(URI_OF[kind], kind, text, 1);
      checkDiagnose(ws);
    },
    ciRuns: 250,
  });
}

function featuresTarget(kind: DocumentKind): FuzzTarget<{ text: string; positions: Array<{ line: number; character: number; fraction: boolean }> }> {
  return target({
    name: `features ${kind}`,
    arbitrary: fc.record({ text: mutatedText(kind, { maxChars: 3000 }), positions: fc.array(positionArb, { minLength: 1, maxLength: 12 }) }),
    property: ({ text, positions }) => {
      const ws = new Workspace();
      const doc = ws.setOpen(URI_OF[kind], kind, text, 1);
      checkFeatures(ws, doc, positions);
    },
    ciRuns: 150,
  });
}

/**
 * A zone edited step by step the way the server sees it (an LSP change, its lines merged
 * by lsp/changedLines.ts): each incremental re-parse equals a parse from scratch.
 */
const zoneIncrementalTarget = target({
  name: 'zone incremental re-parse',
  arbitrary: fc.record({ text: mutatedText('dns-zone', { maxMutations: 3 }), edits: fc.array(mutationArb, { minLength: 1, maxLength: 6 }) }),
  property: ({ text, edits }) => {
    const uri = URI_OF['dns-zone'];
    let mirror = TextDocument.create(uri, 'dns-zone', 1, text);
    let doc = analyzeDocument(uri, 'dns-zone', text);
    for (const m of edits) {
      const change = lspChangeFor(mirror, applyMutation(mirror.getText(), m));
      mirror = TextDocument.update(mirror, [change], mirror.version + 1);
      const next = mirror.getText();
      let changed = mergeChange('none', change);
      // The library's line table went wrong (a CR joined to an LF): rebuild it, parse it all.
      if (lineTableIsStale(mirror)) {
        mirror = TextDocument.create(uri, 'dns-zone', mirror.version, next);
        changed = undefined;
      }
      doc = reanalyzeDocument(doc, next, changed);
      const full = analyzeDocument(uri, 'dns-zone', next);
      const got = JSON.stringify(doc.parse.findings);
      const want = JSON.stringify(full.parse.findings);
      if (got !== want) throw new Error(`incremental findings differ from a full parse after ${JSON.stringify(change)}\ntext: ${JSON.stringify(next)}\nincremental: ${got}\nfull: ${want}`);
      const gotSymbols = JSON.stringify(symbolsOf(doc));
      const wantSymbols = JSON.stringify(symbolsOf(full));
      if (gotSymbols !== wantSymbols) throw new Error(`incremental outline differs from a full parse after ${JSON.stringify(change)}\ntext: ${JSON.stringify(next)}`);
    }
  },
  ciRuns: 400,
});

export const documentTargets: FuzzTarget<any>[] = [
  ...ALL_KINDS.map(parseTarget),
  ...ALL_KINDS.map(diagnoseTarget),
  ...ALL_KINDS.map(featuresTarget),
  zoneIncrementalTarget,
];
