// The facade the front ends call (in the spirit of vscode-json-languageservice's
// getLanguageService): one place that picks the module for a kind and runs it. The LSP
// server and the CLI only forward to these functions and translate the plain results.

import type { ChangedLines, LanguageModule, ParseResult } from './language';
import type { DocumentKind } from './kinds';
import type { Finding, FoldingSpan, SymbolNode } from './types';
import { postfixLanguage } from './postfix/language';
import { opendkimLanguage } from './opendkim/language';
import { zoneLanguage } from './zone/language';

const MODULES: readonly LanguageModule<any>[] = [postfixLanguage, opendkimLanguage, zoneLanguage];

const BY_KIND = new Map<DocumentKind, LanguageModule<any>>();
for (const m of MODULES) for (const k of m.kinds) BY_KIND.set(k, m);

export interface AnalyzedDocument {
  uri: string;
  kind: DocumentKind;
  text: string;
  parse: ParseResult<unknown>;
}

function moduleFor(kind: DocumentKind): LanguageModule<any> {
  const m = BY_KIND.get(kind);
  if (!m) throw new Error(`no language module for ${kind}`); // a programming error, not user input
  return m;
}

/** Parses a document. Never throws for any text. */
export function analyzeDocument(uri: string, kind: DocumentKind, text: string): AnalyzedDocument {
  return { uri, kind, text, parse: moduleFor(kind).parse(text, kind) };
}

/**
 * The analysis of a document's new text after an edit of `changed` lines. Modules that can
 * re-parse locally do (the previous analysis is consumed); the others parse it all again.
 */
export function reanalyzeDocument(previous: AnalyzedDocument, text: string, changed: ChangedLines | undefined): AnalyzedDocument {
  const m = moduleFor(previous.kind);
  if (!changed || !m.reparse) return analyzeDocument(previous.uri, previous.kind, text);
  return { uri: previous.uri, kind: previous.kind, text, parse: m.reparse(previous.parse, text, changed) };
}

/** Every finding for one document (syntax now; semantic layers join here). */
export function findingsOf(doc: AnalyzedDocument): Finding[] {
  return doc.parse.findings;
}

export function symbolsOf(doc: AnalyzedDocument): SymbolNode[] {
  return moduleFor(doc.kind).symbols(doc.parse.tree);
}

export function foldingOf(doc: AnalyzedDocument): FoldingSpan[] {
  return moduleFor(doc.kind).folding(doc.parse.tree);
}
