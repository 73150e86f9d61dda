// The language server: LSP wiring only. It keeps the editor's documents in the core's
// workspace model, asks the core for findings, symbols and folds, and translates them.
// Run as `node dist/server.js --stdio` (any LSP editor) or over IPC (the VS Code client).

import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectKind } from './core/kinds';
import { Workspace } from './core/stack/workspace';
import { findingsOf, foldingOf, symbolsOf } from './core/service';
import { toDiagnostic, toDocumentSymbol, toFoldingRange } from './lsp/convert';
import { mergeChange } from './lsp/changedLines';
import type { ChangedLines } from './core/language';

const connection = createConnection(ProposedFeatures.all);
const workspace = new Workspace();

/**
 * Lines touched since a document was last analysed ('none' right after an analysis;
 * undefined once something replaced the whole text), so zones re-parse only what changed.
 */
const touched = new Map<string, ChangedLines | 'none' | undefined>();

const documents = new TextDocuments<TextDocument>({
  create: TextDocument.create,
  update(doc, changes, version) {
    let span = touched.has(doc.uri) ? touched.get(doc.uri) : 'none';
    for (const change of changes) span = mergeChange(span, change);
    touched.set(doc.uri, span);
    return TextDocument.update(doc, changes, version);
  },
});

/** Documents whose analysis is due; edits arriving in one burst are analysed once. */
const pending = new Set<string>();
let flushScheduled = false;

function filePath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

function hasSiblingMasterCf(uri: string): boolean {
  const p = filePath(uri);
  return !!p && p.endsWith('.cf') && fs.existsSync(path.join(path.dirname(p), 'master.cf'));
}

function analyse(doc: TextDocument): void {
  const kind = detectKind({
    path: filePath(doc.uri) ?? doc.uri,
    languageId: doc.languageId,
    text: doc.getText(),
    hasSiblingMasterCf: hasSiblingMasterCf(doc.uri),
  });
  if (!kind) {
    workspace.close(doc.uri);
    void connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
    return;
  }
  const span = touched.get(doc.uri);
  touched.set(doc.uri, 'none');
  const entry = workspace.get(doc.uri)?.open
    ? workspace.updateOpen(doc.uri, kind, doc.getText(), doc.version, span === 'none' ? undefined : span)
    : workspace.setOpen(doc.uri, kind, doc.getText(), doc.version);
  void connection.sendDiagnostics({
    uri: doc.uri,
    version: doc.version,
    diagnostics: findingsOf(entry.analysis).map(toDiagnostic),
  });
}

function schedule(uri: string): void {
  pending.add(uri);
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(() => {
    flushScheduled = false;
    for (const u of [...pending]) {
      pending.delete(u);
      const doc = documents.get(u);
      if (!doc) continue;
      try {
        analyse(doc);
      } catch (e) {
        // A bug in a check must not take the server down: log it and go on. The document
        // leaves the model, so the next analysis starts from a full parse.
        connection.console.error(`mailconf: analysis of ${u} failed: ${(e as Error).stack ?? e}`);
        workspace.close(u);
      }
    }
  });
}

connection.onInitialize((): InitializeResult => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    documentSymbolProvider: true,
    foldingRangeProvider: true,
  },
  serverInfo: { name: 'mailconf', version: typeof MAILCONF_VERSION === 'string' ? MAILCONF_VERSION : 'dev' },
}));

documents.onDidOpen((e) => schedule(e.document.uri));
documents.onDidChangeContent((e) => schedule(e.document.uri));
documents.onDidClose((e) => {
  pending.delete(e.document.uri);
  touched.delete(e.document.uri);
  workspace.close(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

/** The analysis for a request; brings a document whose analysis is still pending up to date. */
function current(uri: string) {
  const doc = documents.get(uri);
  if (doc && pending.has(uri)) {
    pending.delete(uri);
    analyse(doc);
  }
  return workspace.get(uri);
}

connection.onDocumentSymbol((params) => {
  const entry = current(params.textDocument.uri);
  return entry ? symbolsOf(entry.analysis).map(toDocumentSymbol) : [];
});

connection.onFoldingRanges((params) => {
  const entry = current(params.textDocument.uri);
  return entry ? foldingOf(entry.analysis).map(toFoldingRange) : [];
});

declare const MAILCONF_VERSION: string | undefined;

documents.listen(connection);
connection.listen();
