// Small helpers the OpenDKIM checks share: building findings and fixes, and telling
// whether the parser already explained a piece of text (so the checks do not repeat it).

import type { Finding, Fix, Range, RelatedLocation, Severity, TextEdit } from '../../types';
import type { WorkspaceDocument } from '../../stack/workspace';
import { damerauLevenshtein } from '../../text/editDistance';
import { LineIndex } from '../../text/lines';
import { MAX_PER_CODE } from '../scan';

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

const errorsByLine = new WeakMap<readonly Finding[], Map<number, Finding[]>>();

/** True when the parser reported an error inside (or overlapping) `range` (a range on one line). */
export function syntaxErrorAt(doc: WorkspaceDocument, range: Range): boolean {
  const findings = doc.analysis.parse.findings;
  let byLine = errorsByLine.get(findings);
  if (!byLine) {
    byLine = new Map();
    for (const f of findings) {
      if (f.severity !== 'error') continue;
      const list = byLine.get(f.range.start.line) ?? [];
      list.push(f);
      byLine.set(f.range.start.line, list);
    }
    errorsByLine.set(findings, byLine);
  }
  for (let l = Math.max(0, range.start.line - 1); l <= range.end.line; l++) {
    if (byLine.get(l)?.some((f) => overlaps(f.range, range))) return true;
  }
  return false;
}

/** Keeps at most `limit` findings of each code (a junk file must not flood the editor). */
export function capPerCode(findings: Finding[], limit = MAX_PER_CODE): Finding[] {
  const counts = new Map<string, number>();
  return findings.filter((f) => {
    const n = counts.get(f.code) ?? 0;
    counts.set(f.code, n + 1);
    return n < limit;
  });
}

const linesWithFindings = new WeakMap<readonly Finding[], Set<number>>();

/** True when the parser reported anything (error or warning) on `line`. */
export function syntaxFindingOnLine(doc: WorkspaceDocument, line: number): boolean {
  const findings = doc.analysis.parse.findings;
  let lines = linesWithFindings.get(findings);
  if (!lines) {
    lines = new Set();
    for (const f of findings) {
      // A range that ends at character 0 of a line (a line end) does not touch that line.
      const last = f.range.end.character === 0 && f.range.end.line > f.range.start.line ? f.range.end.line - 1 : f.range.end.line;
      for (let l = f.range.start.line; l <= Math.min(last, f.range.start.line + 1000); l++) lines.add(l);
    }
    linesWithFindings.set(findings, lines);
  }
  return lines.has(line);
}

/**
 * Candidates ordered by edit distance to `word` (case-insensitive), nearest first, at most
 * `limit`, without a distance cap: for "which key name did you mean" any name is a candidate.
 */
export function nearest(word: string, candidates: Iterable<string>, limit = 3): Array<{ name: string; distance: number }> {
  const lower = word.toLowerCase();
  const best: Array<{ name: string; distance: number }> = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c) || c === word) continue;
    seen.add(c);
    // Once `limit` candidates are kept, only a nearer one matters: let the distance stop early.
    const cap = best.length < limit ? Number.MAX_SAFE_INTEGER : best[best.length - 1].distance;
    const distance = damerauLevenshtein(lower, c.toLowerCase(), cap);
    if (distance > cap || (best.length >= limit && distance === cap && c >= best[best.length - 1].name)) continue;
    best.push({ name: c, distance });
    best.sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (best.length > limit) best.pop();
  }
  return best;
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
