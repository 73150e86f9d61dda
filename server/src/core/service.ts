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
  /**
   * The text is longer than the front end lets the core analyse: `parse` is that of an
   * empty document plus one `syntax/file-too-large` finding, and no check runs on it.
   */
  tooLarge?: true;
}

function moduleFor(kind: DocumentKind): LanguageModule<any> {
  const m = BY_KIND.get(kind);
  if (!m) throw new Error(`no language module for ${kind}`); // a programming error, not user input
  return m;
}

/**
 * Parses a document. Never throws for any text. A text longer than `maxChars` is not parsed
 * (an editor must stay responsive: a 200 MB zone takes a minute and 3.6 GB to check).
 */
export function analyzeDocument(uri: string, kind: DocumentKind, text: string, maxChars = Infinity): AnalyzedDocument {
  if (text.length > maxChars) return tooLargeAnalysis(uri, kind, text, maxChars);
  return { uri, kind, text, parse: moduleFor(kind).parse(text, kind) };
}

function tooLargeAnalysis(uri: string, kind: DocumentKind, text: string, maxChars: number): AnalyzedDocument {
  const empty = moduleFor(kind).parse('', kind);
  const size = (n: number) => (n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MiB` : `${Math.round(n / 1024)} KiB`);
  const finding: Finding = {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 'warning',
    code: 'syntax/file-too-large',
    message: `This document has ${size(text.length)} of text, more than the ${size(maxChars)} mailconf analyses in an editor ` +
      '(a check that size takes a minute or more and gigabytes of memory, and the editor would wait for it): it was not checked. ' +
      'Check it from a shell with `mailconf check FILE`, or split a zone this size with $INCLUDE.',
  };
  return { uri, kind, text, parse: { tree: empty.tree, findings: [finding] }, tooLarge: true };
}

/**
 * The analysis of a document's new text after an edit of `changed` lines. Modules that can
 * re-parse locally do (the previous analysis is consumed); the others parse it all again.
 */
export function reanalyzeDocument(previous: AnalyzedDocument, text: string, changed: ChangedLines | undefined, maxChars = Infinity): AnalyzedDocument {
  const m = moduleFor(previous.kind);
  if (!changed || !m.reparse || previous.tooLarge || text.length > maxChars) return analyzeDocument(previous.uri, previous.kind, text, maxChars);
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
