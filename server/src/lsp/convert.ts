// Core shapes → LSP types. The core's ranges already use LSP's line/UTF-16 convention,
// so this is mostly renaming; it is the only place that knows both vocabularies.

import {
  CompletionItemKind, DiagnosticSeverity, FoldingRangeKind, InsertTextFormat, MarkupKind, SymbolKind,
  type CodeAction, type CompletionItem as LspCompletionItem, type Diagnostic, type DocumentSymbol,
  type FoldingRange, type Hover as LspHover, type TextEdit as LspTextEdit, type WorkspaceEdit as LspWorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Finding, Fix, FoldingSpan, Severity, SymbolNode, TextEdit } from '../core/types';
import type { CompletionItem, Hover, WorkspaceEdit } from '../core/features/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding): Diagnostic {
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    source: 'mailconf',
    message: f.message,
  };
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri: r.uri, range: r.range }, message: r.message }));
  }
  return d;
}

export function toDocumentSymbol(s: SymbolNode): DocumentSymbol {
  return {
    name: s.name || ' ', // LSP forbids empty names
    detail: s.detail,
    kind: SymbolKind[s.kind],
    range: s.range,
    selectionRange: s.selectionRange,
    children: s.children?.map(toDocumentSymbol),
  };
}

export function toFoldingRange(f: FoldingSpan): FoldingRange {
  return {
    startLine: f.startLine,
    endLine: f.endLine,
    kind: f.kind === 'comment' ? FoldingRangeKind.Comment : f.kind === 'region' ? FoldingRangeKind.Region : undefined,
  };
}

export function toHover(h: Hover): LspHover {
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.range };
}

export function toCompletionItem(c: CompletionItem): LspCompletionItem {
  return {
    label: c.label,
    kind: CompletionItemKind[c.kind],
    detail: c.detail,
    documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
    textEdit: { range: c.edit.range, newText: c.edit.newText },
    insertTextFormat: c.edit.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    sortText: c.sortText,
    filterText: c.filterText,
    tags: c.deprecated ? [1 /* CompletionItemTag.Deprecated */] : undefined,
  };
}

function groupEdits(edits: Array<TextEdit & { uri?: string }>, defaultUri: string): LspWorkspaceEdit {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const e of edits) (changes[e.uri ?? defaultUri] ??= []).push({ range: e.range, newText: e.newText });
  return { changes };
}

export function toWorkspaceEdit(edit: WorkspaceEdit): LspWorkspaceEdit {
  return groupEdits(edit.edits, '');
}

/**
 * Edits plus new files, as documentChanges: each file is created (never over an existing
 * one) and filled before the edits of existing documents apply.
 */
export function toWorkspaceEditWithNewFiles(edits: Array<TextEdit & { uri: string }>, createFiles: Array<{ uri: string; text: string }>): LspWorkspaceEdit {
  const documentChanges: NonNullable<LspWorkspaceEdit['documentChanges']> = [];
  const start = { line: 0, character: 0 };
  for (const f of createFiles) {
    documentChanges.push({ kind: 'create', uri: f.uri, options: { overwrite: false, ignoreIfExists: false } });
    documentChanges.push({ textDocument: { uri: f.uri, version: null }, edits: [{ range: { start, end: start }, newText: f.text }] });
  }
  const byUri = new Map<string, LspTextEdit[]>();
  for (const e of edits) {
    let list = byUri.get(e.uri);
    if (!list) byUri.set(e.uri, (list = []));
    list.push({ range: e.range, newText: e.newText });
  }
  for (const [uri, list] of byUri) documentChanges.push({ textDocument: { uri, version: null }, edits: list });
  return { documentChanges };
}

/** A finding's fix as a quick-fix code action; edits without a uri apply to `uri`. */
export function toCodeAction(fix: Fix, diagnostic: Diagnostic, uri: string): CodeAction {
  return {
    title: fix.title,
    kind: 'quickfix',
    diagnostics: [diagnostic],
    isPreferred: fix.preferred,
    edit: groupEdits(fix.edits, uri),
  };
}
