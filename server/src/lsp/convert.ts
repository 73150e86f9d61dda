// Core shapes → LSP types. The core's ranges already use LSP's line/UTF-16 convention,
// so this is mostly renaming; it is the only place that knows both vocabularies.

import {
  CompletionItemKind, DiagnosticSeverity, FoldingRangeKind, InsertTextFormat, MarkupKind, SymbolKind,
  type CodeAction, type CompletionItem as LspCompletionItem, type CompletionList, type Diagnostic, type DocumentSymbol,
  type FoldingRange, type Hover as LspHover, type TextEdit as LspTextEdit, type WorkspaceEdit as LspWorkspaceEdit,
} from 'vscode-languageserver/node';
import { comparePositions, type Finding, type Fix, type FoldingSpan, type Severity, type SymbolNode, type TextEdit } from '../core/types';
import type { CompletionItem, CompletionResolve, Hover, WorkspaceEdit } from '../core/features/types';

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

/**
 * What an item says of itself, whatever the list: only the fields it has (main.cf sends
 * 5,000 items per request, so no spread or rest pattern per item either). `detailOnResolve`:
 * an item with `resolve` leaves its detail to completionItem/resolve (lsp/completionDetails.ts).
 */
function itemFields(c: CompletionItem, detailOnResolve: boolean): LspCompletionItem {
  const item: LspCompletionItem = { label: c.label, kind: CompletionItemKind[c.kind] };
  if (c.detail !== undefined && !(detailOnResolve && c.resolve)) item.detail = c.detail;
  if (c.documentation) item.documentation = { kind: MarkupKind.Markdown, value: c.documentation };
  if (c.sortText !== undefined) item.sortText = c.sortText;
  if (c.filterText !== undefined && c.filterText !== c.label) item.filterText = c.filterText;
  if (c.deprecated) item.tags = [1 /* CompletionItemTag.Deprecated */];
  return item;
}

export function toCompletionItem(c: CompletionItem, detailOnResolve = false): LspCompletionItem {
  const item = itemFields(c, detailOnResolve);
  item.textEdit = { range: c.edit.range, newText: c.edit.newText };
  item.insertTextFormat = c.edit.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText;
  if (c.resolve) item.data = toCompletionData(c.resolve);
  return item;
}

/**
 * An item's `resolve` as its LSP `data`, which the editor sends back on completionItem/resolve
 * with the label (the parameter). Small on purpose, a main.cf list has thousands of items:
 * 0 for a parameter of the catalogue, 1 / 2 for a name of the configuration's own (a setting /
 * a restriction class), [service, command] for a per-service name.
 */
type CompletionData = 0 | 1 | 2 | [string, string];

export function toCompletionData(r: CompletionResolve): CompletionData {
  if (r.own) return r.own === 'setting' ? 1 : 2;
  return r.service ? [r.service.name, r.service.command] : 0;
}

/** The `resolve` of an item the editor sends back; undefined when its data is not ours. */
export function fromCompletionData(data: unknown, label: unknown): CompletionResolve | undefined {
  if (typeof label !== 'string') return undefined;
  if (data === 0) return { parameter: label };
  if (data === 1 || data === 2) return { parameter: label, own: data === 1 ? 'setting' : 'restriction-class' };
  if (!Array.isArray(data) || !data.every((x) => typeof x === 'string')) return undefined;
  return data.length === 2 ? { parameter: label, service: { name: data[0], command: data[1] } } : undefined;
}

/** Which LSP 3.17 completion list defaults (itemDefaults) the client takes. */
export interface CompletionDefaultsSupport {
  editRange: boolean;
  insertTextFormat: boolean;
  data: boolean;
}

/**
 * A completion list. What every item shares is said once when the client takes list defaults
 * (VS Code): the edit range, the insert format, and the `data` of built-in parameter names.
 * For main.cf's thousands of names that halves the bytes. `detailOnResolve`: items with
 * `resolve` come without their detail (CompletionDetailsOnResolve decides and puts it back).
 */
export function toCompletionList(list: { items: CompletionItem[]; isIncomplete: boolean }, support: CompletionDefaultsSupport, detailOnResolve = false): CompletionList {
  const first = list.items[0];
  if (!first || !support.editRange || !support.insertTextFormat || !list.items.every((c) => sameEdit(c, first))) {
    return { isIncomplete: list.isIncomplete, items: list.items.map((c) => toCompletionItem(c, detailOnResolve)) };
  }
  // Items without data of their own take the default: an item without `resolve` then resolves
  // by its label, which finds nothing unless it is a built-in parameter name.
  let dataDefault = false;
  if (support.data) for (const c of list.items) if (c.resolve && toCompletionData(c.resolve) === 0) { dataDefault = true; break; }
  // One pass, each item with only the fields it has: a spread or a rest pattern per item had
  // cost more than the JSON (12–18 ms for main.cf's list).
  const items: LspCompletionItem[] = new Array(list.items.length);
  for (let i = 0; i < list.items.length; i++) {
    const c = list.items[i];
    const item = itemFields(c, detailOnResolve);
    if (c.edit.newText !== c.label) item.textEditText = c.edit.newText;
    if (c.resolve) {
      const data = toCompletionData(c.resolve);
      if (!(dataDefault && data === 0)) item.data = data;
    }
    items[i] = item;
  }
  return {
    isIncomplete: list.isIncomplete,
    itemDefaults: {
      editRange: first.edit.range,
      insertTextFormat: first.edit.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      ...(dataDefault ? { data: 0 } : {}),
    },
    items,
  };
}

/** Same edit range and insert format as `first` (then the list defaults can say them once). */
function sameEdit(c: CompletionItem, first: CompletionItem): boolean {
  return !!c.edit.snippet === !!first.edit.snippet &&
    comparePositions(c.edit.range.start, first.edit.range.start) === 0 && comparePositions(c.edit.range.end, first.edit.range.end) === 0;
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
