// Splits the text of one zone-file entry into tokens, as BIND's master-file lexer does:
// blanks separate words; `(` … `)` make newlines blanks (and may nest); `;` starts a
// comment up to the end of the line, also inside parentheses; `"…"` is one word that
// must close on its line; `\X` and `\DDD` escape a character. A `"` also ends an unquoted
// word (`a"b"` is two words, as in BIND). LF, CRLF and a lone CR all end a line.
//
// The lexer scans char codes and slices nothing: it writes each token as integers into
// a growable buffer (see tree.ts for the layout), relative to the entry's first line and
// start offset. Findings are collected per entry, so every finding belongs to its entry.

import type { Finding } from '../types';
import { range } from '../types';
import { F_ESCAPED, F_QUOTED, F_UNTERMINATED, TOKEN_INTS } from './tree';
import type { EscapeProblem } from './escapes';
import { findBadEscapes } from './escapes';

const TAB = 9, LF = 10, CR = 13, SPACE = 32, QUOTE = 34, LPAREN = 40, RPAREN = 41, SEMI = 59, BACKSLASH = 92;

export function isLineBreak(c: number): boolean {
  return c === LF || c === CR;
}

/** Characters that end an unquoted word. */
function endsWord(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR || c === SEMI || c === LPAREN || c === RPAREN || c === QUOTE;
}

/**
 * True when a line starting with this character starts a new record or directive. Used
 * only to recover from a `(` that is never closed: BIND would swallow the rest of the
 * file into that record; we end it before the next line that looks like a record.
 */
function startsRecordLine(c: number): boolean {
  return !(c === SPACE || c === TAB || c === LF || c === CR || c === SEMI || c === LPAREN || c === RPAREN || c === QUOTE);
}

export class ZoneLexer {
  readonly text: string;
  readonly length: number;
  /** Current offset. */
  pos = 0;
  /** Current zero-based line and the offset where it starts. */
  line = 0;
  lineStart = 0;

  /** Set once a `(` was found open at the end of the text (see ZoneTree.unbalancedToEnd). */
  unbalancedToEnd = false;

  // Per-entry state (reset by beginEntry).
  depth = 0;
  /** Tokens of the entry (TOKEN_INTS integers each), then its comments in `commentBuf`. */
  tokenBuf = new Int32Array(64 * TOKEN_INTS);
  tokenCount = 0;
  commentBuf = new Int32Array(8 * TOKEN_INTS);
  commentCount = 0;
  /** Line and offset where the entry starts (token positions are relative to them). */
  entryLine = 0;
  entryOffset = 0;
  findings: Finding[] | undefined;
  /** Line and column after the entry's last character (token, comment or parenthesis). */
  lastLine = 0;
  lastEnd = 0;
  /** Index among the comments of the first comment that is glued to the word before it (`v=DKIM1;`), or -1. */
  gluedCommentIndex = -1;
  /** Offset after the last unquoted word (-1 after anything else), to detect glued comments. */
  private wordEndOffset = -1;
  /** Offset up to which the current parenthesised group is known to close. */
  private groupCheckedUntil = -1;
  /** Offset at which the entry is cut short (recovery from an unclosed `(`), or -1. */
  private cutOffset = -1;
  /** Line and column of the outermost `(` of the current group. */
  private openLine = 0;
  private openChar = 0;

  constructor(text: string) {
    this.text = text;
    this.length = text.length;
  }

  /** Moves to a line start (used when a parse resumes in the middle of a text). */
  reset(offset: number, line: number): void {
    this.pos = offset;
    this.line = line;
    this.lineStart = offset;
  }

  /**
   * Skips lines that hold only blanks. Returns false at the end of the text; otherwise the
   * position is at the start of the next non-blank line (or after a leading BOM).
   */
  skipBlankLines(): boolean {
    const text = this.text;
    const n = this.length;
    for (;;) {
      let i = this.pos;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c !== SPACE && c !== TAB) break;
        i++;
      }
      if (i >= n) {
        this.pos = n;
        return false;
      }
      const c = text.charCodeAt(i);
      if (c !== LF && c !== CR) return true;
      this.pos = i;
      this.newline();
    }
  }

  beginEntry(): void {
    this.depth = 0;
    this.tokenCount = 0;
    this.commentCount = 0;
    this.entryLine = this.line;
    this.entryOffset = this.lineStart;
    this.findings = undefined;
    this.lastLine = this.line;
    this.lastEnd = this.pos - this.lineStart;
    this.gluedCommentIndex = -1;
    this.wordEndOffset = -1;
    this.groupCheckedUntil = -1;
    this.cutOffset = -1;
  }

  addFinding(f: Finding): void {
    (this.findings ??= []).push(f);
  }

  private push(comment: boolean, start: number, end: number, flags: number): void {
    let buf = comment ? this.commentBuf : this.tokenBuf;
    const count = comment ? this.commentCount : this.tokenCount;
    let b = count * TOKEN_INTS;
    if (b + TOKEN_INTS > buf.length) {
      const bigger = new Int32Array(buf.length * 2);
      bigger.set(buf);
      buf = bigger;
      if (comment) this.commentBuf = bigger; else this.tokenBuf = bigger;
    }
    buf[b++] = this.line - this.entryLine;
    buf[b++] = start - this.lineStart;
    buf[b++] = start - this.entryOffset;
    buf[b++] = end - start;
    buf[b] = flags;
    if (comment) this.commentCount++; else this.tokenCount++;
  }

  /** Consumes the line break at `pos` (LF, CRLF or CR) and starts the next line. */
  private newline(): void {
    const text = this.text;
    if (text.charCodeAt(this.pos) === CR && this.pos + 1 < this.length && text.charCodeAt(this.pos + 1) === LF) this.pos += 2;
    else this.pos += 1;
    this.line++;
    this.lineStart = this.pos;
  }

  private touch(endOffset: number): void {
    this.lastLine = this.line;
    this.lastEnd = endOffset - this.lineStart;
  }

  /**
   * Reads the next token of the current entry into the token buffer; false when the entry
   * ends (at a line break outside parentheses, which is consumed, or at the end of the text).
   */
  next(): boolean {
    const text = this.text;
    const n = this.length;
    for (;;) {
      if (this.pos >= n || this.pos === this.cutOffset) {
        this.depth = 0;
        return false;
      }
      const c = text.charCodeAt(this.pos);
      switch (c) {
        case SPACE:
        case TAB:
          this.pos++;
          this.wordEndOffset = -1;
          continue;
        case LF:
        case CR:
          this.newline();
          this.wordEndOffset = -1;
          if (this.depth === 0) return false;
          continue;
        case SEMI:
          this.readComment();
          continue;
        case LPAREN:
          this.openParen();
          continue;
        case RPAREN:
          this.closeParen();
          continue;
        case QUOTE:
          this.readQuoted();
          return true;
        default:
          this.readWord();
          return true;
      }
    }
  }

  private readComment(): void {
    const text = this.text;
    const n = this.length;
    const start = this.pos;
    let i = start + 1;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === LF || c === CR) break;
      i++;
    }
    let end = i;
    // Trailing blanks are not part of the comment's range.
    while (end > start + 1) {
      const c = text.charCodeAt(end - 1);
      if (c !== SPACE && c !== TAB) break;
      end--;
    }
    if (this.gluedCommentIndex < 0 && this.wordEndOffset === start) this.gluedCommentIndex = this.commentCount;
    this.push(true, start, end, 0);
    this.touch(end);
    this.pos = i;
    this.wordEndOffset = -1;
  }

  private openParen(): void {
    const at = this.pos;
    if (this.depth === 0) {
      this.openLine = this.line;
      this.openChar = at - this.lineStart;
      if (at >= this.groupCheckedUntil) this.checkGroup(at);
    }
    this.depth++;
    this.pos++;
    this.touch(this.pos);
    this.wordEndOffset = -1;
  }

  private closeParen(): void {
    if (this.depth === 0) {
      const col = this.pos - this.lineStart;
      this.addFinding({
        range: range(this.line, col, this.line, col + 1),
        severity: 'error',
        code: 'zone/unbalanced-parentheses',
        message: 'This `)` has no matching `(`. BIND rejects the zone with "unbalanced parentheses". Remove it, or add the `(` where the record\'s multi-line part begins.',
      });
    } else {
      this.depth--;
    }
    this.pos++;
    this.touch(this.pos);
    this.wordEndOffset = -1;
  }

  /**
   * Scans ahead from a `(` to see whether its group closes. If it does not, the entry is
   * cut at the next line that starts a record (see startsRecordLine), so one missing `)`
   * does not swallow the rest of the file. After the first group that stays open to the
   * end of the text, later scans stop at that recovery line too, which keeps the total
   * work linear however many groups are unclosed.
   */
  private checkGroup(from: number): void {
    const text = this.text;
    const n = this.length;
    let depth = 0;
    let recovery = -1;
    let i = from;
    scan: while (i < n) {
      const c = text.charCodeAt(i);
      switch (c) {
        case LPAREN:
          depth++;
          i++;
          break;
        case RPAREN:
          depth--;
          i++;
          if (depth === 0) {
            this.groupCheckedUntil = i;
            return;
          }
          break;
        case QUOTE:
          i++;
          while (i < n) {
            const q = text.charCodeAt(i);
            if (q === QUOTE) { i++; break; }
            if (q === LF || q === CR) break;
            if (q === BACKSLASH && i + 1 < n && !isLineBreak(text.charCodeAt(i + 1))) i += 2;
            else i++;
          }
          break;
        case SEMI:
          while (i < n && !isLineBreak(text.charCodeAt(i))) i++;
          break;
        case BACKSLASH:
          i += i + 1 < n && !isLineBreak(text.charCodeAt(i + 1)) ? 2 : 1;
          break;
        case LF:
        case CR:
          i += c === CR && i + 1 < n && text.charCodeAt(i + 1) === LF ? 2 : 1;
          if (recovery < 0 && i < n && startsRecordLine(text.charCodeAt(i))) {
            recovery = i;
            if (this.unbalancedToEnd) break scan;
          }
          break;
        default:
          i++;
      }
    }
    // The group does not close (before the end, or before the recovery line).
    this.unbalancedToEnd = true;
    this.cutOffset = recovery < 0 ? n : recovery;
    this.groupCheckedUntil = n;
    const where = recovery < 0 ? '' : ' mailconf ends the record before the next line that starts a new record.';
    this.addFinding({
      range: range(this.openLine, this.openChar, this.openLine, this.openChar + 1),
      severity: 'error',
      code: 'zone/unbalanced-parentheses',
      message: 'This `(` is never closed: BIND reads everything up to the end of the file as part of this record and rejects the zone with "unbalanced parentheses". Add the `)` after the record\'s last field.' + where,
    });
  }

  private readQuoted(): void {
    const text = this.text;
    const n = this.length;
    const start = this.pos;
    let i = start + 1;
    let escaped = false;
    let closed = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) { closed = true; break; }
      if (c === LF || c === CR) break;
      if (c === BACKSLASH && i + 1 < n && !isLineBreak(text.charCodeAt(i + 1))) {
        escaped = true;
        i += 2;
        continue;
      }
      i++;
    }
    const end = closed ? i + 1 : i;
    if (escaped) this.checkEscapes(start + 1, i);
    if (!closed) {
      this.addFinding({
        range: range(this.line, start - this.lineStart, this.line, end - this.lineStart),
        severity: 'error',
        code: 'zone/unterminated-string',
        message: 'This string has no closing `"` on its line. A quoted string cannot span lines in a zone file (BIND: "unbalanced quotes"). Add the closing `"`; for a long value write several strings: "part 1" "part 2".',
      });
    }
    this.push(false, start, end, F_QUOTED | (escaped ? F_ESCAPED : 0) | (closed ? 0 : F_UNTERMINATED));
    this.pos = end;
    this.touch(end);
    this.wordEndOffset = -1;
  }

  private readWord(): void {
    const text = this.text;
    const n = this.length;
    const start = this.pos;
    let i = start;
    let escaped = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === BACKSLASH) {
        escaped = true;
        if (i + 1 < n && !isLineBreak(text.charCodeAt(i + 1))) { i += 2; continue; }
        i++;
        break;
      }
      if (endsWord(c)) break;
      i++;
    }
    if (escaped) this.checkEscapes(start, i);
    this.push(false, start, i, escaped ? F_ESCAPED : 0);
    this.pos = i;
    this.touch(i);
    this.wordEndOffset = i;
  }

  private readonly escapeProblems: EscapeProblem[] = [];

  /** Reports malformed escapes in text[from, to) (all on the current line). */
  private checkEscapes(from: number, to: number): void {
    const problems = this.escapeProblems;
    problems.length = 0;
    findBadEscapes(this.text, from, to, problems);
    for (const p of problems) {
      this.addFinding({
        range: range(this.line, p.from - this.lineStart, this.line, p.to - this.lineStart),
        severity: 'error',
        code: 'zone/bad-escape',
        message: p.message,
      });
    }
  }
}
