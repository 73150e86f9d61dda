// Small helpers the checkers share: quick-fix edits and "did you mean" suggestions.

import type { Fix, Range } from '../../types';
import { LineIndex } from '../../text/lines';
import { closestMatches, damerauLevenshtein, typoBudget } from '../../text/editDistance';

let lastText: string | undefined;
let lastIndex: LineIndex | undefined;

/** The LineIndex of `text`, kept for the last text asked for (checkers ask many times for one document). */
export function lineIndexOf(text: string): LineIndex {
  if (lastText !== text || !lastIndex) {
    lastText = text;
    lastIndex = new LineIndex(text);
  }
  return lastIndex;
}

/** The text of line `line` (without its terminator). */
export function lineText(text: string, line: number): string {
  const index = lineIndexOf(text);
  if (line < 0 || line >= index.lineCount) return '';
  const start = index.lineStart(line);
  let end = line + 1 < index.lineCount ? index.lineStart(line + 1) : text.length;
  while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return text.slice(start, end);
}

/**
 * The range that removes lines `startLine`…`endLine` entirely, line ends included. On the
 * last line of a file without a final newline it takes the newline before them instead, so
 * no blank line is left behind.
 */
export function wholeLinesRange(text: string, startLine: number, endLine: number): Range {
  const index = lineIndexOf(text);
  if (endLine + 1 < index.lineCount) {
    return { start: { line: startLine, character: 0 }, end: { line: endLine + 1, character: 0 } };
  }
  const end = index.positionAt(text.length);
  if (startLine === 0) return { start: { line: 0, character: 0 }, end };
  // The terminator of the line before (CRLF counts from its CR).
  let terminator = index.lineStart(startLine) - 1;
  if (text[terminator] === '\n' && text[terminator - 1] === '\r') terminator--;
  return { start: index.positionAt(terminator), end };
}

export interface Suggestion {
  name: string;
  distance: number;
}

/** The nearest candidates to `word`, nearest first (at most `limit`). */
export function suggest(word: string, candidates: Iterable<string>, limit = 3): Suggestion[] {
  const maxDistance = typoBudget(word.length);
  return closestMatches(word, candidates, { maxDistance, limit }).map((name) => ({ name, distance: damerauLevenshtein(word, name, maxDistance) }));
}

/**
 * One replacement fix per suggestion; the first is preferred when it is the one clear
 * candidate (nothing else as close).
 */
export function replacementFixes(range: Range, suggestions: Suggestion[], title: (name: string) => string, newText: (name: string) => string = (n) => n): Fix[] {
  const clear = suggestions.length > 0 && (suggestions.length === 1 || suggestions[1].distance > suggestions[0].distance);
  return suggestions.map((s, i) => {
    const fix: Fix = { title: title(s.name), edits: [{ range, newText: newText(s.name) }] };
    if (i === 0 && clear) fix.preferred = true;
    return fix;
  });
}

/** "a", "a or b", "a, b or c" with each name in backticks. */
export function orList(names: readonly string[]): string {
  const q = names.map((n) => `\`${n}\``);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}
