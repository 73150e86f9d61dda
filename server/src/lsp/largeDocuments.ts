// What keeps the LSP side of a keystroke cheap in a document of a million lines: findings
// that the core kept between analyses keep their converted diagnostic, code actions read
// the one line they need through the document's line index instead of splitting the whole
// text, and that line index is built after a document's first diagnostics are out rather
// than on its first keystroke.

import type { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/types';
import { toDiagnostic } from './convert';

const converted = new WeakMap<Finding, Diagnostic>();

/** The diagnostics of the findings (a finding object seen before gets its diagnostic again). */
export function toDiagnostics(findings: Finding[]): Diagnostic[] {
  const out: Diagnostic[] = new Array(findings.length);
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    let d = converted.get(f);
    if (!d) {
      d = toDiagnostic(f);
      converted.set(f, d);
    }
    out[i] = d;
  }
  return out;
}

/** The blanks that start line `line` of the document ('' when there is no such line). */
export function indentationOfLine(document: TextDocument | undefined, line: number): string {
  if (!document || line < 0 || line >= document.lineCount) return '';
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return /^[ \t]*/.exec(text)![0];
}

/**
 * Builds the document's line index (vscode-languageserver-textdocument makes it on first
 * use: for 35 MB that is the first keystroke's time otherwise), once the current work is done.
 */
export function prepareLineIndex(document: TextDocument): void {
  setImmediate(() => void document.lineCount);
}
