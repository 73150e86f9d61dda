// `# mailconf-disable-next-line [code …]` (`;` in zone files): a comment that silences
// findings on the line below it — all of them, or only the codes it lists. The same
// comment works in every editor and in the CLI, because it lives in the file.

import type { DocumentKind } from './kinds';
import type { Finding } from './types';

const MARKER = 'mailconf-disable-next-line';

/** The comment character of a file kind. */
export function commentPrefix(kind: DocumentKind): string {
  return kind === 'dns-zone' ? ';' : '#';
}

/**
 * Line number → the codes silenced on it ('all' when the comment lists none). Only comment
 * lines count: the marker must follow the comment character and blanks.
 */
export function suppressedLines(text: string, kind: DocumentKind): Map<number, Set<string> | 'all'> {
  const out = new Map<number, Set<string> | 'all'>();
  let at = text.indexOf(MARKER);
  if (at < 0) return out; // the common case costs one scan
  const prefix = commentPrefix(kind);
  // Only the lines holding the marker are looked at (a zone of a million lines is not split
  // per keystroke); the lines before them are counted on the way.
  let line = 0;
  let counted = 0;
  while (at >= 0) {
    let start = at;
    while (start > counted && !isLineBreak(text.charCodeAt(start - 1))) start--;
    let end = at;
    while (end < text.length && !isLineBreak(text.charCodeAt(end))) end++;
    for (let i = counted; i < start; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
    }
    counted = start;
    const m = text.slice(start, end).trimStart();
    if (m.startsWith(prefix)) {
      const rest = m.slice(prefix.length).trimStart();
      if (rest.startsWith(MARKER)) {
        const codes = rest.slice(MARKER.length).split(/[\s,]+/).filter((c) => c.includes('/'));
        out.set(line + 1, codes.length ? new Set(codes) : 'all');
      }
    }
    at = text.indexOf(MARKER, end);
  }
  return out;
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}

/**
 * The disable comments of one analysed text, found once: a document is checked again without
 * changing (another file it depends on was edited), and the scan of a 34 MB zone takes 5 ms.
 */
const linesOfAnalysis = new WeakMap<object, Map<number, Set<string> | 'all'>>();

/** The findings that no disable comment silences (`analysis` keys the scan: the text it was made from). */
export function applySuppressions(text: string, kind: DocumentKind, findings: Finding[], analysis?: object): Finding[] {
  let lines = analysis ? linesOfAnalysis.get(analysis) : undefined;
  if (!lines) {
    lines = suppressedLines(text, kind);
    if (analysis) linesOfAnalysis.set(analysis, lines);
  }
  if (lines.size === 0) return findings;
  return findings.filter((f) => {
    const s = lines.get(f.range.start.line);
    return !s || (s !== 'all' && !s.has(f.code));
  });
}

/** The comment that silences `code` on `line`, with the line's indentation. */
export function disableComment(kind: DocumentKind, code: string, indentation: string): string {
  return `${indentation}${commentPrefix(kind)} ${MARKER} ${code}\n`;
}
