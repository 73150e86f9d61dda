// The syntax tree of a zone file. A zone is a flat sequence of independent entries (one
// per logical line: a resource record, a `$` directive, or a comment-only line). Each entry
// carries the context it inherits — `$ORIGIN`, `$TTL`, the previous owner — so that an
// edit can be re-parsed locally (see incremental.ts) and checks never need to walk back.
//
// Built for 1M-record zones: an entry is ONE object; its tokens are packed as integers in
// a shared Int32Array (line relative to the entry, column, offset relative to the entry,
// length, flags) and become ZoneToken objects only when asked for. The getters (owner,
// rdata, comments …) build new objects on every call: keep the result in a local.

import type { Finding, Range } from '../types';
import { range } from '../types';
import { decodeEscapes } from './escapes';

/** One word of the zone file: a name, number, type, rdata field, string or comment. */
export interface ZoneToken {
  /** Zero-based line of the token (tokens never span lines). */
  line: number;
  /** UTF-16 column of the first character (for a quoted string: the opening quote). */
  start: number;
  /** UTF-16 column after the last character (after the closing quote, if any). */
  end: number;
  /** The source text, quotes included. */
  text: string;
  /**
   * The text with RFC 1035 escapes resolved (`\"` → `"`, `\059` → `;`) and quotes
   * removed. `\DDD` becomes the character with that code, i.e. one byte. For a comment:
   * the text from the `;` on. Same string as `text` when nothing needed resolving.
   */
  value: string;
  /** True for a "double-quoted" string. */
  quoted: boolean;
}

/** The context an entry inherits from the lines above it. */
export interface ZoneContext {
  /**
   * The `$ORIGIN` in effect, made absolute where possible (`sub` after `$ORIGIN example.com.`
   * is `sub.example.com.`). Empty when none was set: names are then relative to the zone
   * name the server configuration gives (typical for an opendkim-genkey `selector.txt`).
   */
  readonly origin: string;
  /** Seconds of the `$TTL` in effect; undefined before any valid `$TTL`. */
  readonly defaultTtl: number | undefined;
}

/** The text a tree was parsed from; entries reach their characters through it. */
export interface ZoneSource {
  text: string;
}

// ---- the packed token layout ----

/** Integers per token in a store. */
export const TOKEN_INTS = 5;
/** Offsets inside one token's integers. */
export const T_LINE = 0, T_COL = 1, T_OFFSET = 2, T_LENGTH = 3, T_FLAGS = 4;
/** Token flags. */
export const F_QUOTED = 1, F_ESCAPED = 2, F_UNTERMINATED = 4;

/** Where an entry's tokens live: `count` tokens then `comments` comments, from `base` of `store`. */
export interface PackedTokens {
  readonly store: Int32Array;
  readonly base: number;
  readonly count: number;
  readonly comments: number;
  /** The run the entry joins. */
  readonly run: EntryRun;
}

/**
 * Consecutive entries of one parse (a few hundred) whose lines and offsets are kept relative
 * to the run, so that an edit moves the runs after it, not each of a million entries.
 * @internal Kept by parser.ts and incremental.ts.
 */
export class EntryRun {
  line = 0;
  offset = 0;
  /** The entries of the tree in this run; they follow each other in the entry list. */
  count = 0;
}

abstract class ZoneEntryBase implements ZoneContext {
  /** @internal The run the entry belongs to, and its first line and offset relative to it. */
  run: EntryRun;
  private readonly relLine: number;
  private readonly relOffset: number;
  /** lastLine - firstLine. */
  private readonly span: number;
  /** Column after the last character that belongs to the entry on `lastLine`. */
  endChar: number;
  readonly origin: string;
  readonly defaultTtl: number | undefined;
  /** Syntax findings of this entry; undefined when none. */
  findings: Finding[] | undefined;
  /** @internal The text (shared by all entries of a tree). */
  src: ZoneSource;
  /** @internal Packed tokens. */
  readonly store: Int32Array;
  readonly base: number;
  /** Number of tokens (comments not counted). */
  readonly tokenCount: number;
  readonly commentCount: number;

  constructor(firstLine: number, lastLine: number, endChar: number, startOffset: number, ctx: ZoneContext, src: ZoneSource, packed: PackedTokens) {
    const run = packed.run;
    if (run.count === 0) {
      run.line = firstLine;
      run.offset = startOffset;
    }
    run.count++;
    this.run = run;
    this.relLine = firstLine - run.line;
    this.relOffset = startOffset - run.offset;
    this.span = lastLine - firstLine;
    this.endChar = endChar;
    this.origin = ctx.origin;
    this.defaultTtl = ctx.defaultTtl;
    this.findings = undefined;
    this.src = src;
    this.store = packed.store;
    this.base = packed.base;
    this.tokenCount = packed.count;
    this.commentCount = packed.comments;
  }

  /** First and last line of the entry (records in parentheses span several lines). */
  get firstLine(): number {
    return this.run.line + this.relLine;
  }

  get lastLine(): number {
    return this.run.line + this.relLine + this.span;
  }

  /** Offset in the text where `firstLine` starts. */
  get startOffset(): number {
    return this.run.offset + this.relOffset;
  }

  /** The i-th token (0 ≤ i < tokenCount), or comment (tokenCount ≤ i < tokenCount + commentCount). */
  token(i: number): ZoneToken {
    const s = this.store;
    const b = this.base + i * TOKEN_INTS;
    const offset = this.startOffset + s[b + T_OFFSET];
    const length = s[b + T_LENGTH];
    const flags = s[b + T_FLAGS];
    const col = s[b + T_COL];
    const text = this.src.text.slice(offset, offset + length);
    let value = text;
    if (flags & F_QUOTED) {
      const inner = text.slice(1, flags & F_UNTERMINATED ? length : length - 1);
      value = flags & F_ESCAPED ? decodeEscapes(inner) : inner;
    } else if (flags & F_ESCAPED) {
      value = decodeEscapes(text);
    }
    return { line: this.firstLine + s[b + T_LINE], start: col, end: col + length, text, value, quoted: (flags & F_QUOTED) !== 0 };
  }

  /** The i-th token's value (see ZoneToken.value) without building a token object. */
  tokenValue(i: number): string {
    const s = this.store;
    const b = this.base + i * TOKEN_INTS;
    const offset = this.startOffset + s[b + T_OFFSET];
    const length = s[b + T_LENGTH];
    const flags = s[b + T_FLAGS];
    if (flags & F_QUOTED) {
      const inner = this.src.text.slice(offset + 1, offset + (flags & F_UNTERMINATED ? length : length - 1));
      return flags & F_ESCAPED ? decodeEscapes(inner) : inner;
    }
    const text = this.src.text.slice(offset, offset + length);
    return flags & F_ESCAPED ? decodeEscapes(text) : text;
  }

  /** Raw text of the i-th token without building a token object. */
  tokenText(i: number): string {
    const b = this.base + i * TOKEN_INTS;
    const offset = this.startOffset + this.store[b + T_OFFSET];
    return this.src.text.slice(offset, offset + this.store[b + T_LENGTH]);
  }

  /** True when the i-th token's raw text is exactly `s` (no allocation). */
  tokenIs(i: number, s: string): boolean {
    const b = this.base + i * TOKEN_INTS;
    if (this.store[b + T_LENGTH] !== s.length) return false;
    const text = this.src.text;
    const offset = this.startOffset + this.store[b + T_OFFSET];
    for (let k = 0; k < s.length; k++) if (text.charCodeAt(offset + k) !== s.charCodeAt(k)) return false;
    return true;
  }

  tokenFlags(i: number): number {
    return this.store[this.base + i * TOKEN_INTS + T_FLAGS];
  }

  /** The range of the i-th token, without building a token object. */
  tokenRangeAt(i: number): Range {
    const b = this.base + i * TOKEN_INTS;
    const line = this.firstLine + this.store[b + T_LINE];
    const col = this.store[b + T_COL];
    return range(line, col, line, col + this.store[b + T_LENGTH]);
  }

  /** Offset of the i-th token in the text, and its length (quotes included). */
  tokenOffset(i: number): number {
    return this.startOffset + this.store[this.base + i * TOKEN_INTS + T_OFFSET];
  }

  tokenLength(i: number): number {
    return this.store[this.base + i * TOKEN_INTS + T_LENGTH];
  }

  protected tokens(from: number, to: number): ZoneToken[] {
    const out: ZoneToken[] = [];
    for (let i = from; i < to; i++) out.push(this.token(i));
    return out;
  }

  /** Comments inside or after the entry (`; …`), in order; undefined when none. */
  get comments(): ZoneToken[] | undefined {
    return this.commentCount ? this.tokens(this.tokenCount, this.tokenCount + this.commentCount) : undefined;
  }
}

/** Record layout bits: which token is the TTL, class and type (index + 1; 0 = absent). */
const L_TTL_SHIFT = 0, L_CLASS_SHIFT = 3, L_TYPE_SHIFT = 6, L_INHERITED = 1 << 9, L_MASK = 7;

export function recordLayout(ttlIndex: number, classIndex: number, typeIndex: number, inherited: boolean): number {
  return ((ttlIndex + 1) << L_TTL_SHIFT) | ((classIndex + 1) << L_CLASS_SHIFT) | ((typeIndex + 1) << L_TYPE_SHIFT) | (inherited ? L_INHERITED : 0);
}

export class ZoneRecord extends ZoneEntryBase {
  get kind(): 'record' { return 'record'; }
  /** @internal Token roles, see recordLayout. */
  readonly layout: number;
  /** The owner's raw text; for an inherited owner the text of the owner inherited ('' when none). */
  readonly ownerText: string;
  /**
   * The `$ORIGIN` the owner text is relative to. Differs from `origin` only for an
   * inherited owner after a `$ORIGIN` change (BIND keeps the earlier absolute name).
   */
  readonly ownerOrigin: string;
  /** Seconds of the TTL when it is valid. */
  readonly ttlSeconds: number | undefined;
  /** Upper-case type as written (`TXT`, `TYPE257`), the mnemonic for `TYPEnnn` of a known type; '' when missing. */
  readonly typeName: string;
  /** IANA type number; -1 when missing, unknown, a meta type or a server-specific pseudo type. */
  readonly typeCode: number;

  constructor(
    firstLine: number, lastLine: number, endChar: number, startOffset: number, ctx: ZoneContext, src: ZoneSource, packed: PackedTokens,
    layout: number, ownerText: string, ownerOrigin: string, ttlSeconds: number | undefined, typeName: string, typeCode: number,
  ) {
    super(firstLine, lastLine, endChar, startOffset, ctx, src, packed);
    this.layout = layout;
    this.ownerText = ownerText;
    this.ownerOrigin = ownerOrigin;
    this.ttlSeconds = ttlSeconds;
    this.typeName = typeName;
    this.typeCode = typeCode;
  }

  /** True when the line starts with a blank: the owner is the previous record's. */
  get ownerInherited(): boolean {
    return (this.layout & L_INHERITED) !== 0;
  }

  /**
   * The owner as written at column 0. For an inherited owner a zero-width token at
   * column 0 of `firstLine` whose text and value are the inherited owner's.
   */
  get owner(): ZoneToken {
    if (this.layout & L_INHERITED) {
      const t = this.ownerText;
      return { line: this.firstLine, start: 0, end: 0, text: t, value: t.indexOf('\\') >= 0 ? decodeEscapes(t) : t, quoted: false };
    }
    return this.token(0);
  }

  /** Token index of the TTL, class, type (-1 when absent). */
  get ttlIndex(): number { return ((this.layout >> L_TTL_SHIFT) & L_MASK) - 1; }
  get classIndex(): number { return ((this.layout >> L_CLASS_SHIFT) & L_MASK) - 1; }
  get typeIndex(): number { return ((this.layout >> L_TYPE_SHIFT) & L_MASK) - 1; }
  /** Token index of the first rdata field. */
  get rdataStart(): number {
    const t = this.typeIndex;
    return t < 0 ? this.tokenCount : t + 1;
  }
  get rdataCount(): number { return this.tokenCount - this.rdataStart; }

  get ttl(): ZoneToken | undefined { const i = this.ttlIndex; return i < 0 ? undefined : this.token(i); }
  get class(): ZoneToken | undefined { const i = this.classIndex; return i < 0 ? undefined : this.token(i); }
  get type(): ZoneToken | undefined { const i = this.typeIndex; return i < 0 ? undefined : this.token(i); }

  /**
   * The rdata fields in order. For TXT/SPF each token is one character-string (an
   * unquoted word is a string of its own); `value` is the decoded string.
   */
  get rdata(): ZoneToken[] {
    return this.tokens(this.rdataStart, this.tokenCount);
  }

  /** The i-th rdata field (no array built). */
  rdataToken(i: number): ZoneToken {
    return this.token(this.rdataStart + i);
  }
}

export type ZoneDirectiveName = 'ORIGIN' | 'TTL' | 'INCLUDE' | 'GENERATE';

export class ZoneDirective extends ZoneEntryBase {
  get kind(): 'directive' { return 'directive'; }
  /** Which directive (upper-case, without `$`); undefined for an unknown one. */
  readonly directive: ZoneDirectiveName | undefined;

  constructor(firstLine: number, lastLine: number, endChar: number, startOffset: number, ctx: ZoneContext, src: ZoneSource, packed: PackedTokens,
    directive: ZoneDirectiveName | undefined) {
    super(firstLine, lastLine, endChar, startOffset, ctx, src, packed);
    this.directive = directive;
  }

  /** The `$NAME` token. */
  get name(): ZoneToken { return this.token(0); }
  get args(): ZoneToken[] { return this.tokens(1, this.tokenCount); }
}

/** A line with only a comment (or only parentheses) on it. */
export class ZoneCommentLine extends ZoneEntryBase {
  get kind(): 'comment' { return 'comment'; }
}

export type ZoneEntry = ZoneRecord | ZoneDirective | ZoneCommentLine;

/**
 * What one incremental re-parse changed (incremental.ts), for the layers that keep work per
 * entry between analyses (zone data and checks): entries [0, from) are the old ones,
 * untouched; [from, from + added) are new; the old entries after the replaced ones follow,
 * moved by lineDelta lines.
 */
export interface ZoneTreeEdit {
  /** The generation of the tree this one was made from. */
  previous: number;
  /** Index of the first new entry. */
  from: number;
  /** Number of new entries. */
  added: number;
  /** The old entries they replace, in order (their lines are those of the old text). */
  removed: ZoneEntry[];
  /** Last line of the untouched entries before the edit (-1 when none). */
  keptBefore: number;
  /** First line, in the OLD text, of the old entries reused after the edit (Infinity when none). */
  shiftedFrom: number;
  /** How many lines those entries moved (negative: up). */
  lineDelta: number;
}

let generations = 0;

/** A number no other tree has: trees made by one chain of incremental re-parses say which one they follow. */
export function nextGeneration(): number {
  return ++generations;
}

export interface ZoneTree {
  entries: ZoneEntry[];
  /** Identifies this tree (see ZoneTreeEdit.previous); absent in hand-made trees. */
  generation?: number;
  /** Set by an incremental re-parse: what changed since the tree of generation edit.previous. */
  edit?: ZoneTreeEdit;
  /** The entries that have syntax findings, in order (kept by the parsers; absent in hand-made trees). */
  withFindings?: ZoneEntry[];
  /** The parsed text. */
  source: ZoneSource;
  /** Number of lines (as splitLines counts them). */
  lineCount: number;
  /**
   * True when a `(` stayed open to the end of the text. The parser then cut that record at
   * the next line that starts a new record and parsed later parenthesised records in the
   * same forgiving way; incremental re-parsing falls back to a full parse.
   */
  unbalancedToEnd: boolean;
}

export function tokenRange(token: ZoneToken): Range {
  return range(token.line, token.start, token.line, token.end);
}

/** From the start of one token to the end of another (which may lie on a later line). */
export function spanRange(first: ZoneToken, last: ZoneToken): Range {
  return range(first.line, first.start, last.line, last.end);
}

/** The whole entry, from column 0 of its first line to its last character. */
export function entryRange(entry: ZoneEntry): Range {
  return range(entry.firstLine, 0, entry.lastLine, entry.endChar);
}

/** All syntax findings of a tree, in document order. */
export function collectFindings(tree: ZoneTree): Finding[] {
  const out: Finding[] = [];
  const list = tree.withFindings ?? tree.entries;
  for (let i = 0; i < list.length; i++) {
    const found = list[i].findings;
    if (found) for (const f of found) out.push(f);
  }
  return out;
}

export function isTxtLike(record: ZoneRecord): boolean {
  return record.typeCode === 16 || record.typeCode === 99;
}
