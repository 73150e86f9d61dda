// Small helpers every OpenDKIM parser shares: ranges for pieces of a line, a finding list
// that keeps binary junk from flooding the editor, and the character-level checks (byte
// order mark, CR line ends, control characters, non-breaking spaces, typographic quotes)
// that bite in every one of these files because they are so often pasted from web pages.

import type { Finding, Fix, Range, Severity } from '../types';
import { range } from '../types';
import type { Line } from '../text/lines';
import type { Token } from './tree';

/** Maps a [start, end) span of some parsed string to a document range. */
export type SpanMapper = (start: number, end: number) => Range;

/** Mapper for a string that sits on one line, starting at `baseChar`. */
export function lineSpan(line: number, baseChar = 0): SpanMapper {
  return (start, end) => range(line, baseChar + start, line, baseChar + end);
}

export function tokenOf(text: string, start: number, end: number, map: SpanMapper): Token {
  return { text: text.slice(start, end), range: map(start, end) };
}

/** No editor needs more than this many findings of one kind in one file. */
export const MAX_PER_CODE = 1000;

/** Collects findings; `addCapped` stops repeating one code after `limit` findings. */
export class FindingList {
  readonly items: Finding[] = [];
  private readonly counts = new Map<string, number>();

  /** Adds a finding; past MAX_PER_CODE of one code (a wrong-kind or junk file) the rest are dropped. */
  add(f: Finding): void {
    this.addCapped(f, MAX_PER_CODE);
  }

  addCapped(f: Finding, limit = 25): void {
    const n = this.counts.get(f.code) ?? 0;
    if (n >= limit) return;
    this.counts.set(f.code, n + 1);
    this.items.push(f);
  }

  error(range: Range, code: string, message: string, fixes?: Fix[]): void {
    this.add(withFixes({ range, severity: 'error', code, message }, fixes));
  }

  warning(range: Range, code: string, message: string, fixes?: Fix[]): void {
    this.add(withFixes({ range, severity: 'warning', code, message }, fixes));
  }
}

function withFixes(f: Finding, fixes?: Fix[]): Finding {
  if (fixes && fixes.length > 0) f.fixes = fixes;
  return f;
}

export function replaceFix(title: string, r: Range, newText: string, preferred = true): Fix {
  return { title, edits: [{ range: r, newText }], preferred };
}

/** Blank as OpenDKIM's config reader splits words: space and tab only. */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** C's isspace() for ASCII, which OpenDKIM's table reader uses. */
export function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** True when the text contains a template placeholder (`%(x)s`, `%{x}`, `@x@`, `{{x}}`, `${x}`, `$X`). */
export function hasTemplatePlaceholder(text: string): boolean {
  return TEMPLATE_PLACEHOLDER.test(text);
}
// Every alternative stops at a character it cannot contain, so the regex stays linear on junk.
const TEMPLATE_PLACEHOLDER = /%\([\w.-]*\)[sdr]|%\{[\w.-]*\}|%[a-z_][a-z0-9_]*|@[A-Za-z_]\w*@|\{\{|\{%|\$\{?[A-Za-z_]/;

// ---------------------------------------------------------------- file-level checks

/**
 * A byte order mark. OpenDKIM and the shell read it as three bytes of the first word, so
 * the first option name (or the shell's first command) is not recognised.
 */
export function checkByteOrderMark(text: string, severity: Severity, consequence: string, out: FindingList): boolean {
  if (text.charCodeAt(0) !== 0xfeff) return false;
  const r = range(0, 0, 0, 1);
  out.add({
    range: r,
    severity,
    code: 'opendkim/byte-order-mark',
    message: `The file starts with a byte order mark (U+FEFF), which some Windows editors add. ${consequence} Save the file as UTF-8 without BOM.`,
    fixes: [replaceFix('Remove the byte order mark', r, '')],
  });
  return true;
}

/**
 * Line ends OpenDKIM does not read as the editor shows them. opendkim.conf and the tables
 * are read up to LF, so CRLF is harmless there, but a lone CR (old Mac line end) glues
 * lines together: OpenDKIM sees only the text before the first CR. The shell keeps every
 * CR, so in /etc/default/opendkim even CRLF puts a CR at the end of each value.
 */
export function checkCarriageReturns(text: string, lines: Line[], shell: boolean, out: FindingList): void {
  let i = text.indexOf('\r');
  while (i >= 0 && !shell && text.charCodeAt(i + 1) === 10) i = text.indexOf('\r', i + 2);
  if (i < 0) return;
  const lineNo = lineEndingAt(lines, i);
  if (lineNo < 0) return;
  const len = lines[lineNo].text.length;
  const r = range(lineNo, len, lineNo + 1, 0);
  const crlf = text.charCodeAt(i + 1) === 10;
  const message = shell
    ? `This file has ${crlf ? 'Windows (CRLF)' : 'old Mac (CR)'} line ends. The shell that reads /etc/default/opendkim keeps the CR as part of each value, so for example SOCKET ends in an invisible CR and OpenDKIM cannot use it. Convert the file to Unix (LF) line ends (dos2unix).`
    : 'This line ends in a lone CR (old Mac line end). OpenDKIM reads up to LF and drops everything from a CR to the next LF, so the lines after this one are ignored. Convert the file to Unix (LF) line ends.';
  out.add({ range: r, severity: 'error', code: 'opendkim/cr-line-ending', message });
}

/** The line whose terminator starts at `offset`, by binary search. */
function lineEndingAt(lines: Line[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const end = lines[mid].start + lines[mid].text.length;
    if (end === offset) return mid;
    if (end < offset) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

// ---------------------------------------------------------------- character checks

const TYPOGRAPHIC_DOUBLE = new Set([0x201c, 0x201d, 0x201e, 0x201f, 0x2033, 0x00ab, 0x00bb]);
const TYPOGRAPHIC_SINGLE = new Set([0x2018, 0x2019, 0x201a, 0x201b, 0x2032, 0x2039, 0x203a]);

export function isTypographicQuote(c: number): boolean {
  return TYPOGRAPHIC_DOUBLE.has(c) || TYPOGRAPHIC_SINGLE.has(c);
}

export interface CharCheckOptions {
  /** What a control character does in this file, for the message. */
  controlConsequence: string;
  /** What a non-breaking space does in this file. */
  nbspConsequence: string;
  /** What typographic quotes do in this file. */
  quoteConsequence: string;
  /** Straight quotes replace typographic ones (shell) or they are removed (OpenDKIM files). */
  quoteFix: 'straighten' | 'remove';
}

export interface CharCheckResult {
  hasNbsp: boolean;
  hasTypographicQuotes: boolean;
}

/**
 * Reports control characters, non-breaking spaces and typographic quotes in text[start, end),
 * at most one finding of each kind per call (`map` takes indices into `text`). A quick scan first: most lines
 * hold none of them.
 */
export function checkCharacters(
  text: string, start: number, end: number, map: SpanMapper, opts: CharCheckOptions, out: FindingList,
): CharCheckResult {
  const result: CharCheckResult = { hasNbsp: false, hasTypographicQuotes: false };
  let control = -1;
  let nbspStart = -1;
  let nbspEnd = -1;
  const quotes: number[] = [];
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      // Tab is a blank; LF and CR only occur inside multi-line shell values.
      if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) { if (control < 0) control = i; }
      continue;
    }
    if (c === 0xa0) {
      if (nbspStart < 0) { nbspStart = i; nbspEnd = i + 1; while (nbspEnd < end && text.charCodeAt(nbspEnd) === 0xa0) nbspEnd++; }
    } else if (isTypographicQuote(c) && quotes.length < 64) {
      quotes.push(i);
    }
  }
  if (control >= 0) {
    const c = text.charCodeAt(control);
    const name = c === 0 ? 'a NUL byte' : `the control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
    out.addCapped({
      range: map(control, control + 1),
      severity: 'error',
      code: 'opendkim/control-character',
      message: `This line contains ${name}. ${opts.controlConsequence} Remove it (the file may be binary or damaged).`,
    });
  }
  if (nbspStart >= 0) {
    result.hasNbsp = true;
    const r = map(nbspStart, nbspEnd);
    out.addCapped({
      range: r,
      severity: 'error',
      code: 'opendkim/non-breaking-space',
      message: `A non-breaking space (U+00A0), usually copied from a web page. ${opts.nbspConsequence} Replace it with a normal space.`,
      fixes: [replaceFix('Replace with a normal space', r, ' '.repeat(nbspEnd - nbspStart))],
    });
  }
  if (quotes.length > 0) {
    result.hasTypographicQuotes = true;
    const first = quotes[0];
    const last = quotes[quotes.length - 1];
    const shown = quotes.map((i) => text[i]).filter((q, k, all) => all.indexOf(q) === k).join(' ');
    // Straight quotes that would not pair up (a curly quote lost its partner) leave the shell
    // an unterminated string: then the fix removes the typographic quotes instead.
    const quoteFix = opts.quoteFix === 'straighten' && !straightQuotesPair(text, start, end, quotes) ? 'remove' : opts.quoteFix;
    const edits = quotes.map((i) => {
      const c = text.charCodeAt(i);
      const newText = quoteFix === 'remove' ? '' : TYPOGRAPHIC_DOUBLE.has(c) ? '"' : "'";
      return { range: map(i, i + 1), newText };
    });
    out.addCapped({
      range: map(first, last + 1),
      severity: 'error',
      code: 'opendkim/typographic-quotes',
      message: `Typographic quote characters (${shown}), typical of text copied from a web page or word processor. ${opts.quoteConsequence}`,
      fixes: [{
        title: quoteFix === 'remove' ? 'Remove the typographic quotes' : 'Replace with straight quotes',
        edits,
        preferred: true,
      }],
    });
  }
  return result;
}

/**
 * Straightening `quotes` is safe: text[start, end) has no straight quote, `$` or backquote of
 * its own (unescaped), and an even number of curly double and of curly single quotes.
 */
function straightQuotesPair(text: string, start: number, end: number, quotes: readonly number[]): boolean {
  let doubles = 0;
  let singles = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    // A backslash escapes what follows (a curly quote after one becomes \" : no delimiter).
    if (c === 92) { i++; continue; }
    // Inside ${…} or `…` the shell's quoting nests, and straight quotes already there make
    // the curly ones part of some other string: counting cannot tell, removing is safe.
    if (c === 36 /* $ */ || c === 96 /* ` */ || c === 34 || c === 39) return false;
    if (TYPOGRAPHIC_DOUBLE.has(c)) doubles++;
    else if (TYPOGRAPHIC_SINGLE.has(c)) singles++;
  }
  return quotes.length < 64 && doubles % 2 === 0 && singles % 2 === 0;
}
