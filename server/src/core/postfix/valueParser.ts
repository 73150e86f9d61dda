// Scans a Postfix parameter value (a main.cf value or the value of a master.cf `-o`):
// its `$` references, following Postfix's mac_parse()/mac_expand() rules, and its words,
// split the way Postfix splits lists (blanks and commas separate; `{ … }` and `${ … }`
// stay whole). Syntax errors that make Postfix stop ("macro processing error") become
// findings with the range of the offending construct.

import type { Finding, Position, Range } from '../types';
import type { Reference, Value, ValueWord } from './tree';
import { makeFinding, quote } from './findings';
import { matchBrace, parseTable, type TableScanContext } from './lookupTables';

/** Text with a way back to file positions (a LogicalLine, or anything shaped like it). */
export interface ValueSource {
  text: string;
  positionAt(offset: number): Position;
  rangeOf(start: number, end: number): Range;
}

/** Postfix gives up on macros nested deeper than 100; we stop descending well before the stack would. */
const MAX_DEPTH = 50;

const DOLLAR = 36;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const COMMA = 44;
const HASH = 35;

/** Characters of `$name`: letters, digits and underscore. */
export function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** Blanks between list elements (CR and LF included: Postfix keeps a CR of a CRLF file in the value). */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 13 || c === 10;
}

/**
 * For `$(` or `${` at `dollar`: the index just after the matching close bracket, or -1.
 * Like Postfix, only the bracket type that opened is counted.
 */
export function macroEnd(text: string, dollar: number, end: number): number {
  const open = text.charCodeAt(dollar + 1);
  const close = open === OPEN_PAREN ? CLOSE_PAREN : CLOSE_BRACE;
  let level = 1;
  for (let i = dollar + 2; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === open) level++;
    else if (c === close && --level === 0) return i + 1;
  }
  return -1;
}

/** Parses text[start, end) of `src` as a value. Findings go to `findings`. */
export function parseValue(src: ValueSource, start: number, end: number, findings: Finding[]): Value {
  const scanner = new ValueScanner(src, findings);
  const references: Reference[] = [];
  scanner.scanReferences(start, end, references, 0);
  const words = scanner.splitWords(start, end, 0, true);
  return { text: src.text.slice(start, end), range: src.rangeOf(start, end), words, references };
}

class ValueScanner implements TableScanContext {
  readonly text: string;

  constructor(private readonly src: ValueSource, private readonly findings: Finding[]) {
    this.text = src.text;
  }

  positionAt(offset: number): Position {
    return this.src.positionAt(offset);
  }

  rangeOf(start: number, end: number): Range {
    return this.src.rangeOf(start, end);
  }

  private skipBlanks(i: number, end: number): number {
    while (i < end && isBlank(this.text.charCodeAt(i))) i++;
    return i;
  }

  private error(code: string, start: number, end: number, message: string): void {
    this.findings.push(makeFinding(code, 'error', this.rangeOf(start, end), message));
  }

  // ------------------------------------------------------------------ references

  /** Finds every `$` construct in text[start, end) (Postfix's mac_parse). */
  scanReferences(start: number, end: number, out: Reference[], depth: number): void {
    const text = this.text;
    let i = start;
    while (i < end) {
      if (text.charCodeAt(i) !== DOLLAR) {
        i++;
        continue;
      }
      const next = i + 1 < end ? text.charCodeAt(i + 1) : -1;
      if (next === DOLLAR) {
        i += 2; // `$$` is a literal dollar
        continue;
      }
      if (next === OPEN_BRACE || next === OPEN_PAREN) {
        const close = macroEnd(text, i, end);
        if (close < 0) {
          const closer = next === OPEN_BRACE ? '}' : ')';
          this.error('postfix/unterminated-macro', i, end,
            `${quote(text.slice(i, end))} opens a macro with \`${text[i + 1]}\` that is never closed with \`${closer}\`. ` +
            `Postfix stops with "truncated macro reference" when it expands this value. Add the missing \`${closer}\`.`);
          return; // Postfix does not read past this point either
        }
        this.parseExpression(i, close, next === OPEN_BRACE ? 'braces' : 'parens', out, depth);
        i = close;
        continue;
      }
      let j = i + 1;
      while (j < end && isNameChar(text.charCodeAt(j))) j++;
      if (j === i + 1) {
        this.error('postfix/empty-macro-name', i, i + 1,
          'A `$` must be followed by a parameter name, `{name}` or `(name)`. Postfix stops with "empty macro name" ' +
          'when it expands this value. Write `$$` for a literal dollar sign.');
        i++;
        continue;
      }
      out.push({ name: text.slice(i + 1, j), nameRange: this.rangeOf(i + 1, j), range: this.rangeOf(i, j), form: 'plain', use: 'value' });
      i = j;
    }
  }

  /** The inside of `${…}` / `$(…)` spanning text[dollar, close) (Postfix's mac_expand). */
  private parseExpression(dollar: number, close: number, form: 'braces' | 'parens', out: Reference[], depth: number): void {
    const text = this.text;
    const innerEnd = close - 1;
    let p = this.skipBlanks(dollar + 2, innerEnd);
    if (p === innerEnd) {
      this.error('postfix/empty-macro-name', dollar, close,
        `${quote(text.slice(dollar, close))} has no parameter name inside the brackets. Postfix stops with ` +
        '"empty macro name" when it expands this value. Put a parameter name inside, or write `$$` for a literal dollar sign.');
      return;
    }
    let op: number;
    if (text.charCodeAt(p) === OPEN_BRACE) {
      const after = this.parseRelational(p, innerEnd, out, depth);
      if (after < 0) return;
      p = after;
      if (p === innerEnd) return;
      op = text.charCodeAt(p);
      if (op !== 63 /* ? */ && op !== 58 /* : */) {
        this.error('postfix/macro-syntax', p, innerEnd,
          `Expected \`?\` or \`:\` after the comparison, found ${quote(text.slice(p, innerEnd))}. Write ` +
          '`${{left} == {right} ? {if-true} : {if-false}}`.');
        return;
      }
    } else {
      const nameStart = p;
      while (p < innerEnd && isNameChar(text.charCodeAt(p))) p++;
      const nameEnd = p;
      const r = this.skipBlanks(p, innerEnd);
      const c = r < innerEnd ? text.charCodeAt(r) : -1;
      if (c !== -1 && c !== 63 && c !== 58 && c !== OPEN_BRACE) {
        this.error('postfix/macro-syntax', r, innerEnd,
          `${quote(text.slice(dollar, close))}: a parameter name may contain only letters, digits and \`_\`; ` +
          `${quote(text.slice(r, innerEnd), 20)} is not allowed here. Postfix stops with "attribute name syntax error". ` +
          'Conditional forms are `${name?text}`, `${name:text}` and `${name?{text}:{text}}`.');
        return;
      }
      if (nameEnd === nameStart) {
        this.error('postfix/empty-macro-name', dollar, close,
          `${quote(text.slice(dollar, close))} has no parameter name before \`${text[r]}\`. Put the parameter name first, ` +
          'as in `${name?text}`.');
        return;
      }
      const use = c === -1 ? 'value' : c === OPEN_BRACE ? 'function' : 'test';
      out.push({ name: text.slice(nameStart, nameEnd), nameRange: this.rangeOf(nameStart, nameEnd), range: this.rangeOf(dollar, close), form, use });
      if (c === -1) return;
      if (c === OPEN_BRACE) {
        const argEnd = this.bracedOperand(r, innerEnd, out, depth);
        if (argEnd < 0) return;
        const rest = this.skipBlanks(argEnd, innerEnd);
        if (rest < innerEnd) this.unexpectedInput(rest, innerEnd);
        return;
      }
      op = c;
      p = r;
    }
    // p is at `?` or `:`.
    p++;
    if (op === 63 /* ? */) {
      const q = this.skipBlanks(p, innerEnd);
      if (q < innerEnd && text.charCodeAt(q) === OPEN_BRACE) {
        const after = this.bracedOperand(q, innerEnd, out, depth);
        if (after < 0) return;
        p = this.skipBlanks(after, innerEnd);
        if (p === innerEnd) return;
        if (text.charCodeAt(p) !== 58) {
          this.error('postfix/macro-syntax', p, innerEnd,
            `Expected \`:\` or the end of the macro after \`{…}\`, found ${quote(text.slice(p, innerEnd), 20)}. ` +
            'Write `${name?{if-set}:{if-empty}}`.');
          return;
        }
        p++;
      } else {
        this.nested(p, innerEnd, out, depth); // `${name?text}`: the rest is the text
        return;
      }
    }
    // After `:`.
    const q = this.skipBlanks(p, innerEnd);
    if (q < innerEnd && text.charCodeAt(q) === OPEN_BRACE) {
      const after = this.bracedOperand(q, innerEnd, out, depth);
      if (after < 0) return;
      const rest = this.skipBlanks(after, innerEnd);
      if (rest < innerEnd) this.unexpectedInput(rest, innerEnd);
    } else {
      this.nested(p, innerEnd, out, depth);
    }
  }

  /**
   * A `{…}` operand whose `{` is at `open`: its references are parsed; returns the index
   * after the `}`, or -1 (reported) when the braces do not close before innerEnd.
   */
  private bracedOperand(open: number, innerEnd: number, out: Reference[], depth: number): number {
    const after = matchBrace(this.text, open, innerEnd);
    if (after < 0) {
      this.unbalancedOperand(open, innerEnd);
      return -1;
    }
    this.nested(open + 1, after - 1, out, depth);
    return after;
  }

  /** `{left} op {right}` starting at the `{` at p; returns the index after it (blanks skipped) or -1. */
  private parseRelational(p: number, innerEnd: number, out: Reference[], depth: number): number {
    const text = this.text;
    const leftEnd = matchBrace(text, p, innerEnd);
    if (leftEnd < 0) {
      this.unbalancedOperand(p, innerEnd);
      return -1;
    }
    this.nested(p + 1, leftEnd - 1, out, depth);
    const opStart = this.skipBlanks(leftEnd, innerEnd);
    let opEnd = opStart;
    while (opEnd < innerEnd && '<>!=?+-*/~&|%'.includes(text[opEnd])) opEnd++;
    const operator = text.slice(opStart, opEnd);
    if (!['==', '!=', '<', '<=', '>=', '>'].includes(operator)) {
      this.error('postfix/macro-syntax', opStart, Math.max(opEnd, Math.min(opStart + 1, innerEnd)),
        `Expected a comparison operator (\`==\`, \`!=\`, \`<\`, \`<=\`, \`>=\` or \`>\`) after \`{…}\`, found ` +
        `${quote(operator || text.slice(opStart, Math.min(opStart + 10, innerEnd)), 20)}.`);
      return -1;
    }
    const rightStart = this.skipBlanks(opEnd, innerEnd);
    if (rightStart >= innerEnd || text.charCodeAt(rightStart) !== OPEN_BRACE) {
      this.error('postfix/macro-syntax', opStart, opEnd,
        `The comparison \`${operator}\` needs a right-hand operand in braces, as in \`{$name} ${operator} {value}\`.`);
      return -1;
    }
    const rightEnd = matchBrace(text, rightStart, innerEnd);
    if (rightEnd < 0) {
      this.unbalancedOperand(rightStart, innerEnd);
      return -1;
    }
    this.nested(rightStart + 1, rightEnd - 1, out, depth);
    return this.skipBlanks(rightEnd, innerEnd);
  }

  private nested(start: number, end: number, out: Reference[], depth: number): void {
    if (depth < MAX_DEPTH) this.scanReferences(start, end, out, depth + 1);
  }

  private unbalancedOperand(open: number, innerEnd: number): void {
    this.error('postfix/macro-syntax', open, open + 1,
      `This \`{\` inside ${quote(this.text.slice(open, innerEnd), 30)} has no matching \`}\` within the macro. ` +
      'Postfix stops with "unbalanced {} in attribute expression".');
  }

  private unexpectedInput(start: number, end: number): void {
    this.error('postfix/macro-syntax', start, end,
      `Unexpected text ${quote(this.text.slice(start, end), 20)} after the last \`{…}\` of the macro. Postfix stops with ` +
      '"unexpected input". Remove it or move it outside the macro.');
  }

  // ------------------------------------------------------------------ words

  /**
   * Splits text[start, end) into words. `report` is true for a value's top level, where
   * unbalanced braces and `#` words are findings; the inside of `type:{…}` is already balanced.
   */
  splitWords(start: number, end: number, depth: number, report = false): ValueWord[] {
    const text = this.text;
    const words: ValueWord[] = [];
    let reportedHash = false;
    let reportedStrayBrace = false; // one per value: a line of `}}}}` is one mistake, not a million
    let i = start;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (isBlank(c) || c === COMMA) {
        i++;
        continue;
      }
      const wordStart = i;
      let level = 0;
      let outerOpen = -1;
      while (i < end) {
        const d = text.charCodeAt(i);
        if (d === DOLLAR && i + 1 < end) {
          const n = text.charCodeAt(i + 1);
          if (n === DOLLAR) {
            i += 2;
            continue;
          }
          if (n === OPEN_BRACE || n === OPEN_PAREN) {
            const close = macroEnd(text, i, end);
            i = close < 0 ? end : close; // unterminated: reported by scanReferences
            continue;
          }
        }
        if (d === OPEN_BRACE) {
          if (level === 0) outerOpen = i;
          level++;
        } else if (d === CLOSE_BRACE) {
          if (level > 0) level--;
          else if (report && !reportedStrayBrace) {
            reportedStrayBrace = true;
            this.findings.push(makeFinding('postfix/unmatched-closing-brace', 'warning', this.rangeOf(i, i + 1),
              'This `}` has no `{` before it. Postfix keeps it as an ordinary character, which is rarely what was ' +
              'meant. Remove it or add the missing `{`.'));
          }
        } else if (level === 0 && (isBlank(d) || d === COMMA)) {
          break;
        }
        i++;
      }
      if (level > 0 && report) {
        this.error('postfix/unclosed-brace', outerOpen, outerOpen + 1,
          'This `{` is never closed, so everything after it up to the end of the value is one element. ' +
          'Postfix reports "missing \'}\'". Add the matching `}`.');
      }
      const word: ValueWord = { text: text.slice(wordStart, i), range: this.rangeOf(wordStart, i), braced: false };
      if (text.charCodeAt(wordStart) === OPEN_BRACE && matchBrace(text, wordStart, i) === i) {
        word.braced = true;
        const innerStart = this.skipBlanks(wordStart + 1, i - 1);
        let innerEnd = i - 1;
        while (innerEnd > innerStart && isBlank(text.charCodeAt(innerEnd - 1))) innerEnd--;
        word.inner = { text: text.slice(innerStart, innerEnd), range: this.rangeOf(innerStart, innerEnd) };
      } else {
        const table = parseTable(this, wordStart, i, depth);
        if (table) word.table = table;
      }
      if (report && !reportedHash && text.charCodeAt(wordStart) === HASH) {
        reportedHash = true;
        this.findings.push(makeFinding('postfix/comment-in-value', 'warning', word.range,
          `${quote(word.text, 30)} is not a comment: \`#\` starts a comment only as the first character of a line. ` +
          'Here it is part of the value, and in lists Postfix ignores it and everything after it with a warning. ' +
          'Move the comment to a line of its own.'));
      }
      words.push(word);
    }
    return words;
  }
}
