// The syntax tree of a zone file. A zone is a flat sequence of independent entries (one
// per logical line: a resource record, a `$` directive, or a comment-only line). Each entry
// carries the context it inherits — `$ORIGIN`, `$TTL`, the previous owner — so that an
// edit can be re-parsed locally (see incremental.ts) and checks never need to walk back.
//
// Objects are kept small on purpose (a 1M-record zone makes millions of tokens): a token
// lives on one line, so it stores its line and two columns rather than a Range; use
// tokenRange() when a Range is needed.

import type { Finding, Range } from '../types';
import { range } from '../types';

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
  origin: string;
  /** Seconds of the `$TTL` in effect; undefined before any valid `$TTL`. */
  defaultTtl: number | undefined;
}

interface ZoneEntryBase extends ZoneContext {
  /** First and last line of the entry (records in parentheses span several lines). */
  firstLine: number;
  lastLine: number;
  /** Column after the last character that belongs to the entry on `lastLine`. */
  endChar: number;
  /** Offset in the text where `firstLine` starts (used for incremental re-parsing). */
  startOffset: number;
  /** Comments inside or after the entry (`; …`), in order; undefined when none. */
  comments: ZoneToken[] | undefined;
  /** Syntax findings of this entry; undefined when none. */
  findings: Finding[] | undefined;
}

export interface ZoneRecord extends ZoneEntryBase {
  kind: 'record';
  /**
   * The owner as written at column 0. For a record whose line starts with a blank
   * (`ownerInherited`), a zero-width token at column 0 of `firstLine` whose text and value
   * are the inherited owner ('' when there was none).
   */
  owner: ZoneToken;
  ownerInherited: boolean;
  /**
   * The `$ORIGIN` the owner text is relative to. Differs from `origin` only for an
   * inherited owner right after a `$ORIGIN` change (BIND keeps the earlier absolute name).
   */
  ownerOrigin: string;
  ttl: ZoneToken | undefined;
  /** Seconds of `ttl` when it is valid. */
  ttlSeconds: number | undefined;
  class: ZoneToken | undefined;
  type: ZoneToken | undefined;
  /** Upper-case type as written (`TXT`, `TYPE257`); '' when missing. */
  typeName: string;
  /** IANA type number; -1 when missing, unknown or a server-specific pseudo type. */
  typeCode: number;
  /**
   * The rdata fields in order. For TXT/SPF each token is one character-string (an
   * unquoted word is a string of its own); `value` is the decoded string.
   */
  rdata: ZoneToken[];
}

export type ZoneDirectiveName = 'ORIGIN' | 'TTL' | 'INCLUDE' | 'GENERATE';

export interface ZoneDirective extends ZoneEntryBase {
  kind: 'directive';
  /** The `$NAME` token. */
  name: ZoneToken;
  /** Which directive (upper-case, without `$`); undefined for an unknown one. */
  directive: ZoneDirectiveName | undefined;
  args: ZoneToken[];
}

/** A line with only a comment (or only parentheses) on it. */
export interface ZoneCommentLine extends ZoneEntryBase {
  kind: 'comment';
}

export type ZoneEntry = ZoneRecord | ZoneDirective | ZoneCommentLine;

export interface ZoneTree {
  entries: ZoneEntry[];
  /** Length of the parsed text (incremental re-parsing checks it). */
  textLength: number;
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
  for (const e of tree.entries) if (e.findings) for (const f of e.findings) out.push(f);
  return out;
}

export function isTxtLike(record: ZoneRecord): boolean {
  return record.typeCode === 16 || record.typeCode === 99;
}
