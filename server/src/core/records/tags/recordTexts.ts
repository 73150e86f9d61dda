// Building a RecordText outside a zone file: from a plain value (text typed into a command,
// a DNS answer) or from presentation format, the way `dig` prints a TXT record and a zone
// file writes one (`"v=DKIM1; k=rsa; " "p=MIIB…"`, with `\;`, `\"` and `\DDD` escapes).
// The zone checks build their RecordText from the zone tree instead.

import type { Position, Range } from '../../types';
import type { RecordText } from '../recordText';

export interface PlacementOptions {
  /** Owner name, absolute without the trailing dot. */
  owner?: string;
  /** Where the text starts in its document (default 0:0). */
  line?: number;
  character?: number;
}

/** A RecordText whose value is `value` itself, placed at line:character (newlines in it are followed). */
export function recordTextFromString(value: string, options: PlacementOptions = {}): RecordText {
  const line0 = options.line ?? 0;
  const char0 = options.character ?? 0;
  const lineStarts = [0];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 10 || (c === 13 && value.charCodeAt(i + 1) !== 10)) lineStarts.push(i + 1);
  }
  const positionOf = (offset: number): Position => {
    let o = Math.max(0, Math.min(offset, value.length));
    // Between the CR and LF of a CRLF is still the end of the line (LSP has no column there).
    if (o > 0 && value.charCodeAt(o - 1) === 13 && value.charCodeAt(o) === 10) o--;
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= o) lo = mid; else hi = mid - 1;
    }
    return { line: line0 + lo, character: (lo === 0 ? char0 : 0) + o - lineStarts[lo] };
  };
  const rec: RecordText = {
    value,
    rangeOf: (start, end) => ({ start: positionOf(start), end: positionOf(Math.max(start, end)) }),
  };
  if (options.owner !== undefined) rec.owner = options.owner;
  return rec;
}

/**
 * A RecordText from character-strings in presentation format: quoted strings and bare
 * words, separated by blanks, optionally inside parentheses and over several lines; an
 * unquoted `;` starts a comment. Escapes are resolved, the strings joined without
 * separators (as receivers join them), and `breaks` records where each string starts.
 */
export function recordTextFromPresentation(text: string, options: PlacementOptions = {}): RecordText {
  let line = options.line ?? 0;
  let col = options.character ?? 0;
  const chars: string[] = [];
  // Per value character: source start and end as line/column.
  const sLine: number[] = [], sCol: number[] = [], eLine: number[] = [], eCol: number[] = [];
  const breaks: number[] = [];
  const n = text.length;
  let i = 0;
  let strings = 0;

  const newline = (at: number): number => {
    // Returns the length of the line break at `at` (0 if none).
    const c = text.charCodeAt(at);
    if (c === 13) return text.charCodeAt(at + 1) === 10 ? 2 : 1;
    return c === 10 ? 1 : 0;
  };
  /** Reads one (possibly escaped) character at i; returns its length in the source. */
  const readChar = (): number => {
    if (text.charCodeAt(i) !== 92 || i + 1 >= n) { chars.push(text[i]); return 1; }
    const d1 = text.charCodeAt(i + 1);
    if (isDigit(d1) && isDigit(text.charCodeAt(i + 2)) && isDigit(text.charCodeAt(i + 3))) {
      const code = (d1 - 48) * 100 + (text.charCodeAt(i + 2) - 48) * 10 + (text.charCodeAt(i + 3) - 48);
      chars.push(String.fromCharCode(code & 0xff));
      return 4;
    }
    if (newline(i + 1) > 0) { chars.push('\\'); return 1; }
    chars.push(text[i + 1]);
    return 2;
  };
  const take = (): void => {
    const len = readChar();
    sLine.push(line); sCol.push(col);
    col += len;
    i += len;
    eLine.push(line); eCol.push(col);
  };

  while (i < n) {
    const nl = newline(i);
    if (nl > 0) { i += nl; line++; col = 0; continue; }
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 40 || c === 41) { i++; col++; continue; } // blanks and ( )
    if (c === 59) { // ; comment to the end of the line
      while (i < n && newline(i) === 0) { i++; col++; }
      continue;
    }
    if (strings++ > 0) breaks.push(chars.length);
    if (c === 34) { // "quoted string"
      i++; col++;
      while (i < n && text.charCodeAt(i) !== 34) {
        const inner = newline(i);
        if (inner > 0) { // a line break inside quotes is part of the string
          // Its characters lie at the line's end; the last one reaches the next line's start.
          for (let k = 0; k < inner; k++) {
            chars.push(text[i + k]);
            sLine.push(line); sCol.push(col);
            if (k === inner - 1) { eLine.push(line + 1); eCol.push(0); } else { eLine.push(line); eCol.push(col); }
          }
          i += inner; line++; col = 0;
          continue;
        }
        take();
      }
      if (i < n) { i++; col++; }
      continue;
    }
    while (i < n) { // bare word
      const w = text.charCodeAt(i);
      if (w === 32 || w === 9 || w === 34 || w === 40 || w === 41 || w === 59 || newline(i) > 0) break;
      take();
    }
  }

  const value = chars.join('');
  const endPos: Position = { line, character: col };
  const startOf = (o: number): Position => (o < sLine.length ? { line: sLine[o], character: sCol[o] } : o > 0 ? endOf(o) : endPos);
  /** After value character o-1 (o ≥ 1). */
  const endOf = (o: number): Position => (o <= eLine.length ? { line: eLine[o - 1], character: eCol[o - 1] } : endPos);
  const rangeOf = (start: number, end: number): Range => {
    const s = Math.max(0, Math.min(start, value.length));
    const e = Math.max(s, Math.min(end, value.length));
    return e === s ? { start: startOf(s), end: startOf(s) } : { start: startOf(s), end: endOf(e) };
  };
  const rec: RecordText = { value, rangeOf };
  if (breaks.length > 0) rec.breaks = breaks;
  if (options.owner !== undefined) rec.owner = options.owner;
  return rec;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
