// Recognises `type:name` lookup tables in a value word. Which types exist is a fact from
// Postfix's DATABASE_README and `postconf -m`; which parameter expects a table is a
// semantic question left to later checks.

import type { Position, Range } from '../types';
import type { TableRef, ValueWord } from './tree';

/** The lookup table types Postfix 3.x knows (compiled in or available as plugins). */
export const TABLE_TYPES: ReadonlySet<string> = new Set([
  'btree', 'cdb', 'cidr', 'dbm', 'environ', 'fail', 'hash', 'inline', 'internal', 'ldap', 'lmdb',
  'memcache', 'mongodb', 'mysql', 'netinfo', 'nis', 'nisplus', 'pcre', 'pgsql', 'pipemap', 'proxy',
  'randmap', 'regexp', 'sdbm', 'socketmap', 'sqlite', 'static', 'tcp', 'texthash', 'unionmap', 'unix',
]);

/**
 * `unix:` is both a table type (`unix:passwd.byname`) and the prefix of a socket address
 * (`check_policy_service unix:private/policyd-spf`). Only these names make it a table.
 */
const UNIX_TABLE_NAMES: ReadonlySet<string> = new Set(['passwd.byname', 'passwd.byuid', 'group.byname', 'group.bygid']);

/** What the table recogniser needs from the value scanner. */
export interface TableScanContext {
  text: string;
  rangeOf(start: number, end: number): Range;
  positionAt(offset: number): Position;
  /** Splits text[start, end) into words (used for the content of `type:{ … }`). */
  splitWords(start: number, end: number, depth: number): ValueWord[];
}

function isTypeChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
}

/** Index just after the `}` matching the `{` at `open`, or -1 when unbalanced within `end`. */
export function matchBrace(text: string, open: number, end: number): number {
  let level = 0;
  for (let i = open; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 123) level++;
    else if (c === 125 && --level === 0) return i + 1;
  }
  return -1;
}

/** The table written in text[start, end), or undefined when it is not a known `type:name`. */
export function parseTable(ctx: TableScanContext, start: number, end: number, depth: number): TableRef | undefined {
  const text = ctx.text;
  let i = start;
  while (i < end && isTypeChar(text.charCodeAt(i))) i++;
  if (i === start || i >= end || text.charCodeAt(i) !== 58 /* : */) return undefined;
  const type = text.slice(start, i);
  if (!TABLE_TYPES.has(type)) return undefined;
  const nameStart = i + 1;
  const name = text.slice(nameStart, end);
  if (type === 'unix' && !UNIX_TABLE_NAMES.has(name)) return undefined;
  const table: TableRef = {
    type,
    typeRange: ctx.rangeOf(start, i),
    name,
    nameRange: ctx.rangeOf(nameStart, end),
    range: ctx.rangeOf(start, end),
  };
  if (depth > 20) return table; // pathological nesting: keep the outer table, skip the inside
  if (type === 'proxy') {
    const inner = parseTable(ctx, nameStart, end, depth + 1);
    if (inner) table.inner = inner;
  } else if (text.charCodeAt(nameStart) === 123 /* { */ && matchBrace(text, nameStart, end) === end) {
    table.members = ctx.splitWords(nameStart + 1, end - 1, depth + 1);
  }
  return table;
}
