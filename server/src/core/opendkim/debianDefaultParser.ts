// Debian's /etc/default/opendkim: a POSIX shell fragment that the init script (and
// /lib/opendkim/opendkim.service.generate) sources with `.`. We read the subset such files
// use: `NAME=value` assignments (several per line, optionally after `export`), values made
// of unquoted text, '…' and "…" strings (which may span lines), backslash escapes and
// `$NAME` / `${NAME…}` references, plus `#` comments that start a word. Anything else is
// kept as a command and not evaluated.

import type { ParseResult } from '../language';
import type { Range } from '../types';
import { LineIndex, splitLines } from '../text/lines';
import type { Comment, DefaultTree, ShellAssignment, ShellReference, Token } from './tree';
import type { CharCheckOptions, CharCheckResult, SpanMapper } from './scan';
import { FindingList, checkByteOrderMark, checkCarriageReturns, checkCharacters, replaceFix } from './scan';
import { parseSocketSpec } from './socketSpec';

/** A shell word as read: its raw span, its text after quote removal, and where each char came from. */
interface Word {
  start: number;
  end: number;
  /** Text after quote removal; references kept as written. */
  decoded: string;
  /** offsets[k] = offset in the document of decoded[k]. */
  offsets: number[];
  refs: ShellReference[];
  /** Whether a blank follows the word (to tell `A= b` from `A=b`). */
  followedByBlank: boolean;
}

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'case', 'esac', 'for', 'in', '{', '}', '!']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseDebianDefault(text: string): ParseResult<DefaultTree> {
  return new DefaultParser(text).run();
}

class DefaultParser {
  private readonly out = new FindingList();
  private readonly index: LineIndex;
  private readonly n: number;
  private readonly tree: DefaultTree;
  private i = 0;
  /** Last offset of each quote character: no closing quote can lie beyond it (keeps unclosed quotes linear). */
  private readonly lastQuote: Record<string, number>;

  constructor(private readonly text: string) {
    this.index = new LineIndex(text);
    this.n = text.length;
    this.lastQuote = { "'": text.lastIndexOf("'"), '"': text.lastIndexOf('"'), '`': text.lastIndexOf('`') };
    const lines = splitLines(text);
    this.tree = { kind: 'opendkim-default', assignments: [], exports: [], commands: [], comments: [], lineCount: lines.length };
    if (checkByteOrderMark(text, 'error', 'The shell reads it as part of the first word, so the first line fails ("not found").', this.out)) this.i = 1;
    checkCarriageReturns(text, lines, true, this.out);
  }

  run(): ParseResult<DefaultTree> {
    while (this.i < this.n) this.command();
    return { tree: this.tree, findings: this.out.items };
  }

  private range(a: number, b: number): Range {
    return { start: this.index.positionAt(a), end: this.index.positionAt(b) };
  }

  private token(a: number, b: number): Token {
    return { text: this.text.slice(a, b), range: this.range(a, b) };
  }

  /** Reads one simple command: words up to a newline, `;`, `&`, `|` or a comment. */
  private command(): void {
    const words: Word[] = [];
    const t = this.text;
    while (this.i < this.n) {
      const c = t.charCodeAt(this.i);
      if (c === 32 || c === 9) { this.i++; continue; }
      if (c === 10 || c === 13 || c === 59 || c === 38 || c === 124) { this.i++; break; } // \n \r ; & |
      if (c === 92 && (t.charCodeAt(this.i + 1) === 10 || t.charCodeAt(this.i + 1) === 13)) { this.skipContinuation(); continue; }
      if (c === 35 /* # */) { this.comment(); continue; }
      if (c === 40 || c === 41 || c === 60 || c === 62) { this.i++; continue; } // ( ) < >: not modelled
      words.push(this.word());
    }
    if (words.length > 0) this.interpret(words);
  }

  private skipContinuation(): void {
    this.i += this.text.charCodeAt(this.i + 1) === 13 && this.text.charCodeAt(this.i + 2) === 10 ? 3 : 2;
  }

  private comment(): void {
    const t = this.text;
    const start = this.i;
    let end = start;
    while (end < this.n && t.charCodeAt(end) !== 10 && t.charCodeAt(end) !== 13) end++;
    const lineStart = this.index.lineStart(this.index.positionAt(start).line);
    let wholeLine = true;
    for (let k = lineStart; k < start; k++) {
      const c = t.charCodeAt(k);
      if (c !== 32 && c !== 9 && c !== 0xfeff) { wholeLine = false; break; }
    }
    const comment: Comment = { ...this.token(start, end), wholeLine };
    this.tree.comments.push(comment);
    this.i = end;
  }

  /** Reads one word at this.i, with quote removal, escapes and references. */
  private word(): Word {
    const t = this.text;
    const w: Word = { start: this.i, end: this.i, decoded: '', offsets: [], refs: [], followedByBlank: false };
    let decoded = '';
    const offsets = w.offsets;
    // Only assignments need their decoded value; other words (a 10 MB junk line) just get skipped.
    const push = this.startsAssignment(this.i) ? (k: number) => { decoded += t[k]; offsets.push(k); } : () => {};
    let j = this.i;
    while (j < this.n) {
      const c = t.charCodeAt(j);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 59 || c === 38 || c === 124
        || c === 40 || c === 41 || c === 60 || c === 62) break;
      if (c === 92 /* \ */) {
        const d = t.charCodeAt(j + 1);
        if (d === 10 || d === 13) { j += d === 13 && t.charCodeAt(j + 2) === 10 ? 3 : 2; continue; }
        if (j + 1 < this.n) push(j + 1);
        j += 2;
        continue;
      }
      if (c === 39 /* ' */) {
        const close = j < this.lastQuote["'"] ? t.indexOf("'", j + 1) : -1;
        const stop = close >= 0 ? close : this.unterminated(j, "'");
        for (let k = j + 1; k < stop; k++) push(k);
        j = close >= 0 ? close + 1 : stop;
        continue;
      }
      if (c === 34 /* " */) {
        j = this.doubleQuoted(j, w, push);
        continue;
      }
      if (c === 36 /* $ */) {
        const end = this.reference(j, w);
        for (let k = j; k < end; k++) push(k);
        j = end;
        continue;
      }
      if (c === 96 /* ` */) {
        const close = j < this.lastQuote['`'] ? t.indexOf('`', j + 1) : -1;
        const end = close >= 0 ? close + 1 : this.unterminated(j, '`');
        for (let k = j; k < end; k++) push(k);
        j = end;
        continue;
      }
      push(j);
      j++;
    }
    w.end = j;
    w.decoded = decoded;
    w.followedByBlank = t.charCodeAt(j) === 32 || t.charCodeAt(j) === 9;
    this.i = j;
    return w;
  }

  /** True when NAME= starts at `at`. */
  private startsAssignment(at: number): boolean {
    const t = this.text;
    if (!isNameChar(t.charCodeAt(at), true)) return false;
    let k = at + 1;
    while (k < this.n && isNameChar(t.charCodeAt(k), false)) k++;
    return t.charCodeAt(k) === 61; /* = */
  }

  /** A "…" string from `open`; returns the offset after the closing quote. */
  private doubleQuoted(open: number, w: Word, push: (k: number) => void): number {
    const t = this.text;
    // Find the closing quote first, so an unclosed string stops at its own line.
    let close = open + 1;
    const last = this.lastQuote['"'];
    while (close <= last && t.charCodeAt(close) !== 34) close += t.charCodeAt(close) === 92 ? 2 : 1;
    if (close > last) close = this.n;
    const limit = close < this.n ? close : this.unterminated(open, '"');
    let j = open + 1;
    while (j < limit) {
      const c = t.charCodeAt(j);
      if (c === 92) {
        const d = t[j + 1];
        if (d === '\n' || d === '\r') { j += d === '\r' && t[j + 2] === '\n' ? 3 : 2; continue; }
        if (d === '$' || d === '`' || d === '"' || d === '\\') { push(j + 1); j += 2; continue; }
        push(j);
        j++;
        continue;
      }
      if (c === 36) {
        const end = Math.min(this.reference(j, w), limit);
        for (let k = j; k < end; k++) push(k);
        j = end;
        continue;
      }
      push(j);
      j++;
    }
    return close < this.n ? close + 1 : limit;
  }

  /** Reports an unclosed quote and returns the end of its line (where we resume). */
  private unterminated(open: number, quote: string): number {
    this.out.error(this.range(open, open + 1), 'opendkim/default-unterminated-quote',
      `This ${quote} opens a quoted string that is never closed. When the init script sources this file, the shell stops with a syntax error and none of the settings take effect. Close the quote.`);
    let e = open + 1;
    while (e < this.n && this.text.charCodeAt(e) !== 10 && this.text.charCodeAt(e) !== 13) e++;
    return e;
  }

  /** `$NAME`, `${NAME…}`, `$(…)`, `$1`: records variable references; returns the end offset. */
  private reference(at: number, w: Word): number {
    const t = this.text;
    const next = t.charCodeAt(at + 1);
    if (next === 123 /* { */) {
      let depth = 1;
      let k = at + 2;
      while (k < this.n && depth > 0) {
        const c = t.charCodeAt(k);
        if (c === 123) depth++;
        else if (c === 125) depth--;
        else if (c === 10) break;
        k++;
      }
      const end = k;
      let ne = at + 2;
      while (ne < end && isNameChar(t.charCodeAt(ne), ne === at + 2)) ne++;
      if (ne > at + 2) w.refs.push({ name: this.token(at + 2, ne), range: this.range(at, end), braced: true });
      return end;
    }
    if (next === 40 /* ( */) {
      // Command substitution; not evaluated. Kept to its line so junk cannot make this quadratic.
      let depth = 1;
      let k = at + 2;
      while (k < this.n && depth > 0) {
        const c = t.charCodeAt(k);
        if (c === 10 || c === 13) break;
        if (c === 40) depth++;
        else if (c === 41) depth--;
        k++;
      }
      return k;
    }
    if (isNameChar(next, true)) {
      let k = at + 1;
      while (k < this.n && isNameChar(t.charCodeAt(k), k === at + 1)) k++;
      w.refs.push({ name: this.token(at + 1, k), range: this.range(at, k), braced: false });
      return k;
    }
    if ((next >= 48 && next <= 57) || '@*#?$!-'.includes(t[at + 1] ?? ' ')) return at + 2;
    return at + 1; // a lone '$' is literal
  }

  /** Decides what a command's words mean: assignments, export, or some other command. */
  private interpret(words: Word[]): void {
    const t = this.text;
    let k = 0;
    while (k < words.length && RESERVED.has(t.slice(words[k].start, words[k].end))) k++;
    if (k >= words.length) return;
    let exported = false;
    const first = t.slice(words[k].start, words[k].end);
    if (first === 'export' || first === 'readonly') {
      exported = first === 'export';
      const keyword = words[k];
      for (k++; k < words.length; k++) {
        const raw = t.slice(words[k].start, words[k].end);
        // The first assignment's range includes the keyword, so the outline shows `export A=1`.
        if (ASSIGNMENT.test(raw)) this.assignment(words[k], exported, words[k - 1] === keyword ? keyword.start : words[k].start);
        else if (NAME.test(raw)) { if (exported) this.tree.exports.push(this.token(words[k].start, words[k].end)); }
        else this.checkWord(words[k], undefined);
      }
      return;
    }

    let assigned = 0;
    while (k < words.length && ASSIGNMENT.test(t.slice(words[k].start, words[k].end))) {
      const a = this.assignment(words[k], false, words[k].start);
      assigned++;
      k++;
      if (k < words.length && a.value.text === '' && words[k - 1].followedByBlank) {
        // "SOCKET= local:…": an empty assignment for the command "local:…".
        this.out.error(this.range(words[k - 1].end, words[k].start), 'opendkim/default-space-around-equals',
          `The blank after "=" ends the assignment: the shell sets ${a.name.text} to an empty value and then runs "${t.slice(words[k].start, words[k].end)}" as a command. Remove the blank.`,
          [replaceFix('Remove the blank', this.range(words[k - 1].end, words[k].start), '')]);
        for (const w of words.slice(k)) this.checkWord(w, undefined);
        return;
      }
    }
    if (k >= words.length) return;

    const cmd = words[k];
    const cmdText = t.slice(cmd.start, cmd.end);
    this.tree.commands.push(this.token(cmd.start, cmd.end));
    for (const w of words.slice(k)) this.checkWord(w, undefined);
    const second = words[k + 1];
    if (assigned > 0 || !NAME.test(cmdText) || !second) return;
    const secondText = t.slice(second.start, second.end);
    if (secondText.startsWith('=')) {
      // "SOCKET = value" or "SOCKET =value".
      const valueStart = secondText === '=' && words[k + 2] ? words[k + 2].start : second.start + 1;
      const r = this.range(cmd.end, valueStart);
      this.out.error(r, 'opendkim/default-space-around-equals',
        `The shell allows no blanks around "=": this line runs a command called ${cmdText} instead of setting the variable, so ${cmdText} stays unset. Write ${cmdText}=value.`,
        [replaceFix('Remove the blanks around "="', r, '=')]);
    } else if (/^[A-Z_][A-Z0-9_]*$/.test(cmdText)) {
      const r = this.range(cmd.end, second.start);
      this.out.warning(this.range(cmd.start, cmd.end), 'opendkim/default-not-assignment',
        `This line runs a command called ${cmdText} rather than setting a variable (the shell only assigns NAME=value, without blanks), so ${cmdText} stays unset. Did you mean ${cmdText}=${secondText}?`,
        [replaceFix(`Write ${cmdText}=${secondText}`, r, '=')]);
    }
  }

  private assignment(w: Word, exported: boolean, rangeStart: number): ShellAssignment {
    const t = this.text;
    const eq = t.indexOf('=', w.start);
    const nameLen = eq - w.start;
    const name = this.token(w.start, eq);
    const value = this.token(eq + 1, w.end);
    const decoded = w.decoded.slice(nameLen + 1);
    const offsets = w.offsets.slice(nameLen + 1);
    const a: ShellAssignment = {
      name, value, text: decoded,
      references: w.refs,
      exported,
      range: this.range(rangeStart, w.end),
    };
    this.tree.assignments.push(a);
    const chars = this.checkWord(w, name.text);
    if (name.text === 'SOCKET' && decoded !== '') {
      const map = this.decodedMapper(offsets, w.end);
      // "$MYSOCKET" or "${PROTO}:…": the protocol is only known after expansion, so no findings.
      const colon = decoded.indexOf(':');
      const expandedProtocol = decoded.slice(0, colon < 0 ? decoded.length : colon).includes('$');
      const report = !chars.hasNbsp && !chars.hasTypographicQuotes && !expandedProtocol;
      a.socket = parseSocketSpec(decoded, map, report ? this.out : undefined);
    }
    return a;
  }

  /** Maps spans of a decoded value back to the document. */
  private decodedMapper(offsets: number[], endOffset: number): SpanMapper {
    return (a, b) => {
      const s = a < offsets.length ? offsets[a] : endOffset;
      const e = b > a ? offsets[b - 1] + 1 : s;
      return this.range(s, e);
    };
  }

  private checkWord(w: Word, variable: string | undefined): CharCheckResult {
    const opts: CharCheckOptions = {
      controlConsequence: 'The shell keeps it as part of the word (a NUL may cut the value short).',
      nbspConsequence: 'The shell does not treat it as a blank, so it becomes part of the word and the line does something else than it seems.',
      quoteConsequence: variable === 'SOCKET'
        ? 'The shell treats only straight quotes (" and \') as quotes, so these characters stay in the value of SOCKET: OpenDKIM gets a socket whose type it does not know (for example ”local) and does not start. Replace them with straight quotes.'
        : `The shell treats only straight quotes (" and ') as quotes, so these characters stay in the ${variable ? `value of ${variable}` : 'word'}. Replace them with straight quotes.`,
      quoteFix: 'straighten',
    };
    return checkCharacters(this.text, w.start, w.end, (a, b) => this.range(a, b), opts, this.out);
  }
}

function isNameChar(c: number, first: boolean): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (!first && c >= 48 && c <= 57);
}

