// `$name` expansion: what a value turns into once Postfix substitutes every reference,
// following mac_expand()'s forms — `$name`, `${name}`, `$(name)`, `${name?text}`,
// `${name:text}`, `${name?{a}:{b}}`, `${{a} op {b} ? {x} : {y}}` and `$$`. Like Postfix,
// `${name?…}` tests the raw value of name (`postconf` agrees: `ind = $empty` counts as set).
//
// One expander serves two readers. Hover shows the admin a result, so it is bounded
// rather than exact: references that loop are left as written, nesting stops at
// MAX_DEPTH, the output at `limit` characters and the work at MAX_STEPS lookups
// (`a = $b $b`, `b = $c $c` … would otherwise explode). The checks judge a value only when
// `exact` says nothing was left as written, guessed or cut (see expandExact in instance.ts).

import { isBlank, isNameChar, macroEnd } from './valueParser';
import { matchBrace } from './lookupTables';
import { compareVersions } from './catalogue';

/** What expansion knows about a name: its raw value, or why there is none. */
export type Resolved =
  | { kind: 'value'; text: string }
  /** Computed by Postfix at run time (myhostname …): shown as written, counted as non-empty. */
  | { kind: 'computed' }
  /** Nothing sets it: Postfix substitutes the empty string. */
  | { kind: 'undefined' };

export interface Expansion {
  text: string;
  /** The output was cut at the limit (or the work budget ran out). */
  truncated: boolean;
  /** Names that refer back to themselves, directly or through others. */
  cyclic: string[];
  undefinedNames: string[];
  computedNames: string[];
  /**
   * True when the text is what Postfix would compute: no reference was left as written
   * (run-time values, loops, function calls, malformed macros), none was undefined (or
   * tested while undefined or computed), and nothing was cut.
   */
  exact: boolean;
}

const MAX_DEPTH = 20;
const MAX_STEPS = 2000;

const DOLLAR = 36;
const OPEN_PAREN = 40;
const OPEN_BRACE = 123;
const QUESTION = 63;
const COLON = 58;

class Expander {
  steps = 0;
  truncated = false;
  /** Something was left as written or guessed (see Expansion.exact). */
  inexact = false;
  readonly cyclic = new Set<string>();
  readonly undefinedNames = new Set<string>();
  readonly computedNames = new Set<string>();
  private readonly cache = new Map<string, Resolved>();

  constructor(private readonly resolve: (name: string) => Resolved, private readonly budget: number) {}

  lookup(name: string): Resolved {
    let r = this.cache.get(name);
    if (!r) {
      r = this.resolve(name);
      this.cache.set(name, r);
    }
    return r;
  }

  /** Expands `text`; `stack` holds the names being expanded (cycle guard). */
  expand(text: string, stack: string[]): string {
    let out = '';
    let i = 0;
    const n = text.length;
    while (i < n) {
      if (out.length > this.budget) {
        this.truncated = true;
        return out;
      }
      const c = text.charCodeAt(i);
      if (c !== DOLLAR) {
        const next = text.indexOf('$', i);
        const end = next < 0 ? n : next;
        out += text.slice(i, end);
        i = end;
        continue;
      }
      const d = i + 1 < n ? text.charCodeAt(i + 1) : -1;
      if (d === DOLLAR) {
        out += '$';
        i += 2;
        continue;
      }
      if (d === OPEN_BRACE || d === OPEN_PAREN) {
        const close = macroEnd(text, i, n);
        if (close < 0) {
          this.inexact = true;
          out += text.slice(i); // unterminated: shown as written (a syntax finding says why)
          return out;
        }
        out += this.expression(text, i, close, stack);
        i = close;
        continue;
      }
      let j = i + 1;
      while (j < n && isNameChar(text.charCodeAt(j))) j++;
      if (j === i + 1) {
        this.inexact = true; // "empty macro name": Postfix stops with a macro processing error
        out += '$';
        i++;
        continue;
      }
      out += this.reference(text.slice(i + 1, j), text.slice(i, j), stack);
      i = j;
    }
    return out;
  }

  /** `written`, left in the output because it cannot (or must not) be substituted. */
  private asWritten(written: string): string {
    this.inexact = true;
    return written;
  }

  /** The value of one reference, or `written` when it cannot (or must not) be substituted. */
  private reference(name: string, written: string, stack: string[]): string {
    if (++this.steps > MAX_STEPS || stack.length >= MAX_DEPTH) {
      this.truncated = true;
      return written;
    }
    if (stack.includes(name)) {
      this.cyclic.add(name);
      return this.asWritten(written);
    }
    const r = this.lookup(name);
    if (r.kind === 'computed') {
      this.computedNames.add(name);
      return this.asWritten(written);
    }
    if (r.kind === 'undefined') {
      this.undefinedNames.add(name);
      this.inexact = true;
      return '';
    }
    stack.push(name);
    const v = this.expand(r.text, stack);
    stack.pop();
    return v;
  }

  /** Whether `name` has a non-empty value (what `${name?…}` and `${name:…}` test). */
  private isSet(name: string): boolean {
    const r = this.lookup(name);
    if (r.kind === 'computed') {
      this.inexact = true; // probably set, but only Postfix knows
      return true;
    }
    if (r.kind === 'undefined') {
      this.undefinedNames.add(name);
      this.inexact = true;
      return false;
    }
    return r.text.trim().length > 0;
  }

  private skipBlanks(text: string, i: number, end: number): number {
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    return i;
  }

  /** `${…}` / `$(…)` spanning text[dollar, close). */
  private expression(text: string, dollar: number, close: number, stack: string[]): string {
    const written = text.slice(dollar, close);
    const end = close - 1;
    let p = this.skipBlanks(text, dollar + 2, end);
    if (text.charCodeAt(p) === OPEN_BRACE) return this.relational(text, p, end, written, stack);
    const nameStart = p;
    while (p < end && isNameChar(text.charCodeAt(p))) p++;
    const name = text.slice(nameStart, p);
    if (!name) return this.asWritten(written);
    p = this.skipBlanks(text, p, end);
    if (p === end) return this.reference(name, written, stack);
    const op = text.charCodeAt(p);
    if (op !== QUESTION && op !== COLON) return this.asWritten(written); // a function call ${name{…}}: left as written
    if (++this.steps > MAX_STEPS) {
      this.truncated = true;
      return written;
    }
    const branches = this.branches(text, p, end);
    if (!branches) return this.asWritten(written);
    const set = this.isSet(name);
    const chosen = op === QUESTION ? (set ? branches.ifTrue : branches.ifFalse) : set ? '' : branches.ifTrue;
    return chosen === undefined ? '' : this.expand(chosen, stack);
  }

  /**
   * After `?` (or `:`) at `p`: `{a}:{b}`, `{a}`, or plain text to the end. For `:` only
   * `ifTrue` is used (it holds the text for the empty case).
   */
  private branches(text: string, p: number, end: number): { ifTrue: string; ifFalse?: string } | undefined {
    const op = text.charCodeAt(p);
    let q = this.skipBlanks(text, p + 1, end);
    if (text.charCodeAt(q) !== OPEN_BRACE) return { ifTrue: text.slice(p + 1, end) };
    const aEnd = matchBrace(text, q, end);
    if (aEnd < 0) return undefined;
    const a = text.slice(q + 1, aEnd - 1);
    if (op === COLON) return { ifTrue: a };
    q = this.skipBlanks(text, aEnd, end);
    if (q === end) return { ifTrue: a };
    if (text.charCodeAt(q) !== COLON) return undefined;
    q = this.skipBlanks(text, q + 1, end);
    if (text.charCodeAt(q) !== OPEN_BRACE) return { ifTrue: a, ifFalse: text.slice(q, end) };
    const bEnd = matchBrace(text, q, end);
    if (bEnd < 0) return undefined;
    return { ifTrue: a, ifFalse: text.slice(q + 1, bEnd - 1) };
  }

  /** `${{left} op {right} ? {x} : {y}}`; op is ==, !=, <, <=, >, >= with an optional `level` suffix. */
  private relational(text: string, p: number, end: number, written: string, stack: string[]): string {
    const leftEnd = matchBrace(text, p, end);
    if (leftEnd < 0) return this.asWritten(written);
    let q = this.skipBlanks(text, leftEnd, end);
    let opEnd = q;
    while (opEnd < end && '<>!='.includes(text[opEnd])) opEnd++;
    const operator = text.slice(q, opEnd);
    let levels = false;
    if (text.startsWith('level', opEnd)) {
      levels = true;
      opEnd += 5;
    }
    q = this.skipBlanks(text, opEnd, end);
    if (text.charCodeAt(q) !== OPEN_BRACE) return this.asWritten(written);
    const rightEnd = matchBrace(text, q, end);
    if (rightEnd < 0) return this.asWritten(written);
    const left = this.expand(text.slice(p + 1, leftEnd - 1), stack).trim();
    const right = this.expand(text.slice(q + 1, rightEnd - 1), stack).trim();
    const result = compare(left, operator, right, levels);
    if (result === undefined) return this.asWritten(written);
    const r = this.skipBlanks(text, rightEnd, end);
    if (r === end) return result ? '1' : '';
    const op = text.charCodeAt(r);
    if (op !== QUESTION && op !== COLON) return this.asWritten(written);
    const branches = this.branches(text, r, end);
    if (!branches) return this.asWritten(written);
    const chosen = op === QUESTION ? (result ? branches.ifTrue : branches.ifFalse) : result ? '' : branches.ifTrue;
    return chosen === undefined ? '' : this.expand(chosen, stack);
  }
}

function compare(left: string, operator: string, right: string, levels: boolean): boolean | undefined {
  if (operator === '==' && !levels) return left === right;
  if (operator === '!=' && !levels) return left !== right;
  let d: number;
  if (levels) {
    d = compareVersions(left || '0', right || '0');
  } else {
    const a = Number(left);
    const b = Number(right);
    if (!Number.isFinite(a) || !Number.isFinite(b)) return undefined;
    d = a - b;
  }
  switch (operator) {
    case '==': return d === 0;
    case '!=': return d !== 0;
    case '<': return d < 0;
    case '<=': return d <= 0;
    case '>': return d > 0;
    case '>=': return d >= 0;
    default: return undefined;
  }
}

/**
 * Expands `value` with `resolve` giving each name's raw value. `self` is the parameter the
 * value belongs to (a reference back to it is a cycle). Output longer than `limit` is cut
 * and ends with `…`.
 */
export function expandValue(value: string, resolve: (name: string) => Resolved, options: { self?: string; limit?: number } = {}): Expansion {
  const limit = options.limit ?? 300;
  const ex = new Expander(resolve, limit);
  let text = ex.expand(value, options.self ? [options.self] : []);
  if (text.length > limit) {
    text = text.slice(0, limit);
    ex.truncated = true;
  }
  if (ex.truncated) text += '…';
  return {
    text,
    truncated: ex.truncated,
    cyclic: [...ex.cyclic],
    undefinedNames: [...ex.undefinedNames],
    computedNames: [...ex.computedNames],
    exact: !ex.truncated && !ex.inexact,
  };
}

/** Splits a list the way Postfix does: blanks and commas separate, `{…}` stays whole. */
export function splitList(value: string): string[] {
  const words: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of value) {
    if (ch === '{') depth++;
    else if (ch === '}' && depth > 0) depth--;
    if (depth === 0 && (ch === ',' || ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r')) {
      if (cur) words.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) words.push(cur);
  return words;
}
