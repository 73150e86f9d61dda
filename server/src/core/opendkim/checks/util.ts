// Small helpers the OpenDKIM checks share: building findings and fixes, and telling
// whether the parser already explained a piece of text (so the checks do not repeat it).

import type { Finding, Fix, Range, RelatedLocation, Severity, TextEdit } from '../../types';
import type { WorkspaceDocument } from '../../stack/workspace';
import { damerauLevenshtein } from '../../text/editDistance';
import { LineIndex } from '../../text/lines';

export function finding(range: Range, severity: Severity, code: string, message: string, extra: { related?: RelatedLocation[]; fixes?: Fix[] } = {}): Finding {
  const f: Finding = { range, severity, code, message };
  if (extra.related && extra.related.length > 0) f.related = extra.related;
  if (extra.fixes && extra.fixes.length > 0) f.fixes = extra.fixes;
  return f;
}

export function fix(title: string, edits: TextEdit[], preferred = false): Fix {
  const f: Fix = { title, edits };
  if (preferred) f.preferred = true;
  return f;
}

/** Replaces `range` (in `uri`, or the finding's own document when omitted) with `newText`. */
export function replaceEdit(range: Range, newText: string, uri?: string): TextEdit {
  return uri ? { uri, range, newText } : { range, newText };
}

/** The whole line `line` with its line end: deleting it removes the line. */
export function wholeLineRange(line: number): Range {
  return { start: { line, character: 0 }, end: { line: line + 1, character: 0 } };
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return before(a.start, b.end) && before(b.start, a.end)
    || (a.start.line === b.start.line && a.start.character === b.start.character);
}

/** True when the parser reported an error inside (or overlapping) `range`. */
export function syntaxErrorAt(doc: WorkspaceDocument, range: Range): boolean {
  return doc.analysis.parse.findings.some((f) => f.severity === 'error' && overlaps(f.range, range));
}

/** True when the parser reported anything (error or warning) on `line`. */
export function syntaxFindingOnLine(doc: WorkspaceDocument, line: number): boolean {
  return doc.analysis.parse.findings.some((f) => f.range.start.line <= line && f.range.end.line >= line);
}

/**
 * Candidates ordered by edit distance to `word` (case-insensitive), nearest first, at most
 * `limit`, without a distance cap: for "which key name did you mean" any name is a candidate.
 */
export function nearest(word: string, candidates: Iterable<string>, limit = 3): Array<{ name: string; distance: number }> {
  const lower = word.toLowerCase();
  const seen = new Set<string>();
  const out: Array<{ name: string; distance: number }> = [];
  for (const c of candidates) {
    if (seen.has(c) || c === word) continue;
    seen.add(c);
    out.push({ name: c, distance: damerauLevenshtein(lower, c.toLowerCase()) });
  }
  out.sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out.slice(0, limit);
}

/** "line 12" for messages (1-based, as editors show lines). */
export function lineLabel(line: number): string {
  return `line ${line + 1}`;
}

/** Dedupes findings that several opendkim.conf files would each report on the same spot. */
export function uniqueFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code} ${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An edit that adds `line` as a new last line of `doc` (after a line end, adding one if needed). */
export function appendLineEdit(doc: WorkspaceDocument, line: string, uri?: string): TextEdit {
  const text = doc.analysis.text;
  const end = new LineIndex(text).positionAt(text.length);
  const newline = text === '' || /[\n\r]$/.test(text) ? '' : '\n';
  return replaceEdit({ start: end, end }, `${newline}${line}\n`, uri);
}
