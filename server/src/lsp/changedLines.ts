// Which lines an editor's didChange events touched, so that the core can re-parse only
// those (zone files of a million records). Events of one notification apply in order,
// each in the coordinates of the text the previous one produced.

import type { ChangedLines } from '../core/language';

export interface ContentChange {
  range?: { start: { line: number }; end: { line: number } };
  text: string;
}

/** Line breaks as LSP counts them: LF, CRLF and lone CR. */
export function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

/**
 * The span, in the new text's lines, that covers `span` (from earlier events) and one
 * more event. Undefined means "everything changed" (a full-text replacement).
 */
export function mergeChange(span: ChangedLines | undefined | 'none', change: ContentChange): ChangedLines | undefined {
  if (!change.range || span === undefined) return undefined;
  const a = change.range.start.line;
  const b = change.range.end.line;
  const added = countLineBreaks(change.text);
  if (span === 'none') return { startLine: a, endLine: a + added };
  const delta = added - (b - a);
  let { startLine, endLine } = span;
  if (startLine > b) startLine += delta;
  if (endLine > b) endLine += delta;
  else if (endLine >= a) endLine = a + added;
  return { startLine: Math.min(startLine, a), endLine: Math.max(endLine, a + added) };
}
