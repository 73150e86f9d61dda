// Groups physical lines into Postfix's logical lines, the way main.cf and master.cf are
// read (Postfix's readllines()): a line that starts with text begins a logical line; a
// line that starts with whitespace continues it; comment lines (first non-blank is `#`)
// and empty or blank lines are skipped WITHOUT ending the logical line, so
//
//     name = a
//     # comment
//
//       b
//
// is `name = a  b`. Postfix drops the newline and keeps the continuation's leading
// blanks, so the joined text has no invented characters: every offset in it maps back
// to one character of the file, which keeps ranges exact even across lines.

import type { Finding, Position, Range } from '../types';
import { splitLines } from '../text/lines';
import type { Comment } from './tree';
import { makeFinding } from './findings';

/** One physical line's contribution to a logical line. */
interface Piece {
  /** Offset of the piece in the joined logical text. */
  offset: number;
  line: number;
  /** Column of the piece's first character in its line. */
  character: number;
  length: number;
}

/** The joined text of one logical line, with offsets mapped back to file positions. */
export class LogicalLine {
  text = '';
  private readonly pieces: Piece[] = [];

  /** Appends `text`, which starts at `line`:`character` in the file. */
  append(line: number, character: number, text: string): void {
    this.pieces.push({ offset: this.text.length, line, character, length: text.length });
    this.text += text;
  }

  get firstLine(): number {
    return this.pieces[0].line;
  }

  get lastLine(): number {
    return this.pieces[this.pieces.length - 1].line;
  }

  /** File position of the character at `offset`; an offset on a piece boundary belongs to the later piece. */
  positionAt(offset: number): Position {
    const p = this.pieces;
    let lo = 0;
    let hi = p.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (p[mid].offset <= offset) lo = mid;
      else hi = mid - 1;
    }
    const piece = p[lo];
    return { line: piece.line, character: piece.character + Math.max(0, offset - piece.offset) };
  }

  /** Position just after the character at `offset - 1`: keeps range ends on the token's own line. */
  endPositionAt(offset: number): Position {
    if (offset <= 0) return this.positionAt(0);
    const p = this.positionAt(offset - 1);
    return { line: p.line, character: p.character + 1 };
  }

  /** Range of the text between two offsets (end exclusive). */
  rangeOf(start: number, end: number): Range {
    if (end <= start) {
      const pos = this.positionAt(start);
      return { start: pos, end: { ...pos } };
    }
    return { start: this.positionAt(start), end: this.endPositionAt(end) };
  }
}

export interface LogicalLineScan {
  /** Logical lines that start at column 0 with text. */
  lines: LogicalLine[];
  comments: Comment[];
  /** Zero-based numbers of lines that are empty or blank. */
  blankLines: number[];
  lineCount: number;
  findings: Finding[];
}

/** Blanks as C's isspace() sees them inside a line: space, tab, vertical tab, form feed. */
export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12;
}

/** Postfix's name for the thing a logical line defines, for messages ("parameter" or "service"). */
export type EntryNoun = 'parameter' | 'service';

export function scanLogicalLines(text: string, entry: EntryNoun, codePrefix: 'postfix' | 'master'): LogicalLineScan {
  const findings: Finding[] = [];
  const physical = splitLines(text);
  const lines: LogicalLine[] = [];
  const comments: Comment[] = [];
  const blankLines: number[] = [];
  let current: LogicalLine | undefined;
  // Continuation lines with nothing before them: Postfix warns once and drops them all.
  let orphan: LogicalLine | undefined;

  const hasBom = text.charCodeAt(0) === 0xfeff;
  if (hasBom) {
    findings.push(makeFinding('postfix/byte-order-mark', 'warning', { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      'The file starts with a byte-order mark (U+FEFF). Postfix reads it as part of the first name, so the first ' +
      `${entry} is not recognised. Save the file as UTF-8 without BOM.`));
  }
  reportLoneCarriageReturn(text, findings);

  for (const pl of physical) {
    const s = pl.text;
    const from = hasBom && pl.line === 0 ? 1 : 0;
    reportNul(s, pl.line, findings);
    let i = from;
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    if (i === s.length) {
      blankLines.push(pl.line);
      continue;
    }
    if (s.charCodeAt(i) === 35 /* # */) {
      comments.push({ text: s.slice(i), range: { start: { line: pl.line, character: i }, end: { line: pl.line, character: s.length } } });
      continue;
    }
    if (i > from) {
      // Leading blanks: continues the current logical line, if there is one.
      const target = current ?? orphan;
      if (target) {
        target.append(pl.line, from, s.slice(from));
        continue;
      }
      orphan = new LogicalLine();
      orphan.append(pl.line, from, s.slice(from));
      const code = codePrefix === 'postfix' ? 'postfix/continuation-without-parameter' : 'master/continuation-without-service';
      findings.push(makeFinding(code, 'warning', { start: { line: pl.line, character: i }, end: { line: pl.line, character: trimmedEnd(s) } },
        `This line starts with whitespace, which makes it a continuation line, but there is no ${entry} before it to ` +
        `continue. Postfix ignores it (and any continuation lines after it). Remove the leading whitespace to make it a ` +
        `${entry} of its own, or move it under the ${entry} it belongs to.`));
      continue;
    }
    orphan = undefined;
    current = new LogicalLine();
    current.append(pl.line, from, s.slice(from));
    lines.push(current);
  }
  const lineCount = physical.length;
  return { lines, comments, blankLines, lineCount, findings };
}

/** Column after the last non-blank character of a line. */
export function trimmedEnd(s: string): number {
  let e = s.length;
  while (e > 0 && isSpace(s.charCodeAt(e - 1))) e--;
  return e;
}

function reportNul(s: string, line: number, findings: Finding[]): void {
  const at = s.indexOf('\u0000');
  if (at < 0) return;
  findings.push(makeFinding('postfix/nul-byte', 'warning', { start: { line, character: at }, end: { line, character: at + 1 } },
    'This line contains a NUL byte. Postfix stops reading a line at a NUL byte, so the text after it may be ignored. ' +
    'Remove the NUL byte (the file may have been saved in a binary or UTF-16 encoding).'));
}

/** Postfix ends lines only at LF; a file with bare CR line ends is one long line to it. */
function reportLoneCarriageReturn(text: string, findings: Finding[]): void {
  let line = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
    } else if (c === 13) {
      if (i + 1 < n && text.charCodeAt(i + 1) === 10) {
        line++;
        i++;
        continue;
      }
      // Column of the CR = distance to the previous line start.
      let start = i;
      while (start > 0 && text.charCodeAt(start - 1) !== 10 && text.charCodeAt(start - 1) !== 13) start--;
      // The range covers the line break itself (to the start of the next line), as LSP counts lines.
      findings.push(makeFinding('postfix/cr-line-ending', 'warning',
        { start: { line, character: i - start }, end: { line: line + 1, character: 0 } },
        'This line ends with a bare carriage return (old Mac line ending). Postfix ends lines only at a newline (LF), ' +
        'so it reads this line and the next as one. Convert the file to LF (Unix) line endings.'));
      return;
    }
  }
}
