// Core shapes → LSP types. The core's ranges already use LSP's line/UTF-16 convention,
// so this is mostly renaming; it is the only place that knows both vocabularies.

import {
  DiagnosticSeverity, FoldingRangeKind, SymbolKind,
  type Diagnostic, type DocumentSymbol, type FoldingRange,
} from 'vscode-languageserver/node';
import type { Finding, FoldingSpan, Severity, SymbolNode } from '../core/types';

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
