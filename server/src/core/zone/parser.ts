// Turns a zone file into entries (records, directives, comment lines), tracking the
// context each entry inherits: `$ORIGIN`, `$TTL` and the previous owner. Follows BIND's
// named-checkzone: a line starting with a blank reuses the previous owner; TTL and class
// may come in either order before the type; `$INCLUDE` does not change the including
// file's context (BIND restores origin and owner after the included file).

import type { Finding } from '../types';
import { range } from '../types';
import { ZoneLexer } from './lexer';
import type { PackedTokens, ZoneDirectiveName, ZoneEntry, ZoneSource, ZoneToken, ZoneTree } from './tree';
import {
  F_QUOTED, T_COL, T_FLAGS, T_LENGTH, T_LINE, T_OFFSET, TOKEN_INTS,
  EntryRun, isTxtLike, nextGeneration, recordLayout, spanRange, tokenRange, ZoneCommentLine, ZoneDirective, ZoneRecord,
} from './tree';
import { classAt, lookupRRTypeAt } from './rrtypes';
import { parseTtl, TTL_INVALID, TTL_MAX_EFFECTIVE, TTL_OVERFLOW } from './ttl';
import { absoluteName } from './names';
import { checkRecordShape, isGenericRdata, leadingBlankRange } from './record-checks';
import { checkTxtRecord } from './txt-checks';

const TAB = 9, SPACE = 32, DOLLAR = 36, LPAREN = 40, RPAREN = 41, BOM = 0xfeff;

/** The context the parser carries from entry to entry. */
export interface ParserContext {
  origin: string;
  defaultTtl: number | undefined;
  /** The raw text of the last explicit owner, and the origin it was written under. */
  lastOwner: string | undefined;
  lastOwnerOrigin: string;
}

export function initialContext(): ParserContext {
  return { origin: '', defaultTtl: undefined, lastOwner: undefined, lastOwnerOrigin: '' };
}

/** Entries per run (see EntryRun): after an edit in a zone of a million entries, some 2,000 runs move. */
const RUN_LENGTH = 512;

/**
 * Hands out room for the packed tokens of entries: chunks shared by many entries, growing
 * from small (a re-parse of one entry should not allocate much) to 64K integers.
 */
class TokenChunks implements PackedTokens {
  // The fields describe the entry placed last, so constructors can read them without an
  // intermediate object per entry.
  store = new Int32Array(0);
  base = 0;
  count = 0;
  comments = 0;
  run = new EntryRun();
  private chunk = new Int32Array(0);
  private used = 0;
  private nextSize = 1024;

  place(tokens: Int32Array, tokenCount: number, comments: Int32Array, commentCount: number): this {
    if (this.run.count >= RUN_LENGTH) this.run = new EntryRun();
    const tokenInts = tokenCount * TOKEN_INTS;
    const need = tokenInts + commentCount * TOKEN_INTS;
    let store = this.chunk;
    let base = this.used;
    if (base + need > store.length) {
      if (need > 65536) {
        // One entry larger than a chunk gets an array of its own.
        store = new Int32Array(need);
        base = 0;
      } else {
        while (this.nextSize < need) this.nextSize *= 2;
        store = this.chunk = new Int32Array(this.nextSize);
        base = this.used = 0;
        if (this.nextSize < 65536) this.nextSize *= 2;
      }
    }
    if (store === this.chunk) this.used += need;
    // Plain loops: entries hold a handful of integers, less than a subarray() costs.
    for (let k = 0; k < tokenInts; k++) store[base + k] = tokens[k];
    const commentInts = need - tokenInts;
    for (let k = 0; k < commentInts; k++) store[base + tokenInts + k] = comments[k];
    this.store = store;
    this.base = base;
    this.count = tokenCount;
    this.comments = commentCount;
    return this;
  }
}

export class ZoneParser {
  readonly lexer: ZoneLexer;
  readonly ctx: ParserContext;
  readonly src: ZoneSource;
  /** Whether the BOM finding still has to be given (to the first entry). */
  private bomPending: boolean;
  private readonly chunks = new TokenChunks();

  constructor(text: string, ctx: ParserContext = initialContext(), src: ZoneSource = { text }) {
    this.lexer = new ZoneLexer(text);
    this.ctx = ctx;
    this.src = src;
    this.bomPending = text.charCodeAt(0) === BOM;
    if (this.bomPending) this.lexer.pos = 1;
  }

  /** Continues at a line start (not the first) with the parser's context (incremental re-parsing). */
  resume(offset: number, line: number): void {
    this.lexer.reset(offset, line);
    this.bomPending = false;
  }

  /** Is there another entry (after skipping blank lines)? Leaves the lexer at its line. */
  atEntry(): boolean {
    return this.lexer.skipBlankLines();
  }

  /** Parses the entry at the current position; call atEntry() first. */
  parseEntry(): ZoneEntry {
    const lx = this.lexer;
    const text = lx.text;
    const startOffset = lx.lineStart;
    const firstLine = lx.line;
    const c0 = text.charCodeAt(lx.pos);
    lx.beginEntry();
    while (lx.next()) { /* tokens accumulate in the lexer's buffer */ }

    let entry: ZoneEntry;
    if (c0 === DOLLAR && lx.tokenCount > 0) entry = this.directive(firstLine, startOffset);
    else if (lx.tokenCount === 0) entry = new ZoneCommentLine(firstLine, lx.lastLine, lx.lastEnd, startOffset, this.ctx, this.src, this.pack());
    else entry = this.record(firstLine, startOffset, !(c0 === SPACE || c0 === TAB || c0 === LPAREN || c0 === RPAREN));
    if (lx.findings) entry.findings = entry.findings ? lx.findings.concat(entry.findings) : lx.findings;

    if (this.bomPending) {
      this.bomPending = false;
      (entry.findings ??= []).unshift({
        range: range(0, 0, 0, 1),
        severity: 'error',
        code: 'zone/byte-order-mark',
        message: 'The file starts with a UTF-8 byte-order mark (BOM). BIND reads it as part of the first name and rejects the zone. Save the file as UTF-8 without BOM.',
      });
    }
    return entry;
  }

  private pack(): TokenChunks {
    const lx = this.lexer;
    return this.chunks.place(lx.tokenBuf, lx.tokenCount, lx.commentBuf, lx.commentCount);
  }

  /** Absolute start offset and length of the lexer's i-th token. */
  private tokenStart(i: number): number {
    return this.lexer.entryOffset + this.lexer.tokenBuf[i * TOKEN_INTS + T_OFFSET];
  }

  private tokenLength(i: number): number {
    return this.lexer.tokenBuf[i * TOKEN_INTS + T_LENGTH];
  }

  private tokenQuoted(i: number): boolean {
    return (this.lexer.tokenBuf[i * TOKEN_INTS + T_FLAGS] & F_QUOTED) !== 0;
  }

  private tokenText(i: number): string {
    const s = this.tokenStart(i);
    return this.lexer.text.slice(s, s + this.tokenLength(i));
  }

  private directive(firstLine: number, startOffset: number): ZoneDirective {
    const lx = this.lexer;
    const ctx = this.ctx;
    const nameText = this.tokenLength(0) <= 10 ? this.tokenText(0).slice(1).toUpperCase() : '';
    const directive: ZoneDirectiveName | undefined =
      nameText === 'ORIGIN' || nameText === 'TTL' || nameText === 'INCLUDE' || nameText === 'GENERATE' ? nameText : undefined;
    const entry = new ZoneDirective(firstLine, lx.lastLine, lx.lastEnd, startOffset, ctx, this.src, this.pack(), directive);
    const out: Finding[] = [];
    const argc = lx.tokenCount - 1;
    switch (directive) {
      case undefined: {
        const name = entry.name;
        out.push({
          range: tokenRange(name),
          severity: 'error',
          code: 'zone/unknown-directive',
          message: `"${name.text}" is not a zone-file directive; BIND knows $ORIGIN, $TTL, $INCLUDE and $GENERATE and rejects the zone otherwise. A "$" at the start of a line always begins a directive: to use a name starting with "$", write it as "\\$…".`,
        });
        break;
      }
      case 'ORIGIN':
        if (argumentCount(entry, argc, 1, 1, 'a domain name, e.g. `$ORIGIN example.com.`', out)) {
          ctx.origin = absoluteName(entry.tokenText(1), ctx.origin);
        }
        break;
      case 'TTL':
        if (argumentCount(entry, argc, 1, 1, 'a TTL, e.g. `$TTL 1h` or `$TTL 3600`', out)) {
          const seconds = this.ttlValue(1, firstLine, out);
          if (seconds !== undefined) ctx.defaultTtl = seconds;
        }
        break;
      case 'INCLUDE':
        argumentCount(entry, argc, 1, 2, 'a file name and optionally an origin, e.g. `$INCLUDE keys/dkim.txt example.com.`', out);
        break;
      case 'GENERATE':
        argumentCount(entry, argc, 4, Infinity, 'a range, an owner pattern, optionally TTL and class, a type and an rdata pattern, e.g. `$GENERATE 1-10 host$ A 192.0.2.$`', out);
        break;
    }
    if (out.length) entry.findings = out;
    return entry;
  }

  /** The lexer's i-th token as an object (only for findings: allocates). */
  private tokenObject(i: number, firstLine: number): ZoneToken {
    const b = i * TOKEN_INTS;
    const buf = this.lexer.tokenBuf;
    const start = this.tokenStart(i);
    const text = this.lexer.text.slice(start, start + buf[b + T_LENGTH]);
    return { line: firstLine + buf[b + T_LINE], start: buf[b + T_COL], end: buf[b + T_COL] + buf[b + T_LENGTH], text, value: text, quoted: this.tokenQuoted(i) };
  }

  /** Seconds of the lexer's i-th token as a TTL, with bad-ttl / ttl-too-large findings. */
  private ttlValue(i: number, firstLine: number, out: Finding[]): number | undefined {
    const start = this.tokenStart(i);
    const seconds = this.tokenQuoted(i) ? TTL_INVALID : parseTtl(this.lexer.text, start, start + this.tokenLength(i));
    if (seconds === TTL_INVALID || seconds === TTL_OVERFLOW) {
      const tok = this.tokenObject(i, firstLine);
      out.push({
        range: tokenRange(tok),
        severity: 'error',
        code: 'zone/bad-ttl',
        message: seconds === TTL_OVERFLOW
          ? `"${tok.text}" is larger than a TTL can be (at most 4294967295 seconds; anything above 2147483647 counts as 0). Use a value such as 3600 or 1d.`
          : `"${tok.text}" is not a TTL. Write seconds (3600) or numbers with units w, d, h, m, s (1h30m, 1d, 1w); every number after the first unit needs a unit too.`,
      });
      return undefined;
    }
    if (seconds > TTL_MAX_EFFECTIVE) {
      out.push({
        range: tokenRange(this.tokenObject(i, firstLine)),
        severity: 'warning',
        code: 'zone/ttl-too-large',
        message: 'A TTL above 2147483647 seconds is treated as 0 (RFC 2181 §8; BIND: "> MAXTTL, setting TTL to 0"), so this record would not be cached at all. Use a value such as 1d.',
      });
      return 0;
    }
    return seconds;
  }

  private record(firstLine: number, startOffset: number, explicitOwner: boolean): ZoneRecord {
    const lx = this.lexer;
    const text = lx.text;
    const ctx = this.ctx;
    const n = lx.tokenCount;
    let out: Finding[] | undefined;
    let i = 0;

    let ownerText: string;
    let ownerOrigin: string;
    if (explicitOwner) {
      ownerText = this.tokenText(0);
      ownerOrigin = ctx.origin;
      i = 1;
    } else {
      ownerText = ctx.lastOwner ?? '';
      ownerOrigin = ctx.lastOwner !== undefined ? ctx.lastOwnerOrigin : ctx.origin;
    }

    // Up to one TTL and one class, in either order (BIND tries a TTL first, then a class).
    let ttlIndex = -1;
    let classIndex = -1;
    let ttlSeconds: number | undefined;
    while (i < n && !this.tokenQuoted(i)) {
      const s = this.tokenStart(i);
      const c = text.charCodeAt(s);
      if (ttlIndex < 0 && c >= 48 && c <= 57) {
        ttlIndex = i;
        ttlSeconds = this.ttlValue(i, firstLine, (out ??= []));
        i++;
      } else if (classIndex < 0 && classAt(text, s, s + this.tokenLength(i))) {
        classIndex = i;
        i++;
      } else {
        break;
      }
    }
    const typeIndex = i < n ? i : -1;
    let info;
    let typeName = '';
    if (typeIndex >= 0) {
      const s = this.tokenStart(typeIndex);
      info = this.tokenQuoted(typeIndex) ? undefined : lookupRRTypeAt(text, s, s + this.tokenLength(typeIndex));
      typeName = info ? info.name : this.tokenText(typeIndex).toUpperCase();
    }
    const typeCode = info && info.code >= 0 && !info.meta ? info.code : -1;

    const record = new ZoneRecord(
      firstLine, lx.lastLine, lx.lastEnd, startOffset, ctx, this.src, this.pack(),
      recordLayout(ttlIndex, classIndex, typeIndex, !explicitOwner), ownerText, ownerOrigin, ttlSeconds, typeName, typeCode,
    );

    if (!explicitOwner) {
      if (ctx.lastOwner === undefined) {
        (out ??= []).push({
          range: leadingBlankRange(record),
          severity: 'error',
          code: 'zone/owner-without-previous',
          message: 'This line starts with a blank, which means "same owner as the record above", but there is no record above (BIND: "no current owner name"). Write the owner name (or @) at the very start of the line.',
        });
      } else if (ctx.lastOwnerOrigin !== ctx.origin) {
        (out ??= []).push({
          range: leadingBlankRange(record),
          severity: 'warning',
          code: 'zone/inherited-owner-after-origin',
          message: `This record reuses the owner of the record above (${absoluteName(ownerText, ownerOrigin) || ownerText}), which was written before the $ORIGIN change, so the new origin does not apply to it. Write the owner name explicitly if the record belongs under ${ctx.origin || 'the new origin'}.`,
        });
      }
    } else {
      ctx.lastOwner = ownerText;
      ctx.lastOwnerOrigin = ctx.origin;
    }

    if (typeIndex < 0) {
      const last = record.token(n - 1);
      (out ??= []).push({
        range: tokenRange(last),
        severity: 'error',
        code: 'zone/missing-type',
        message: `This record has no type after ${n === 1 && explicitOwner ? 'its owner' : `"${last.text}"`}. A record is: owner [TTL] [class] TYPE rdata, e.g. \`www 3600 IN A 192.0.2.1\`. BIND rejects the zone ("unexpected end of line").`,
      });
    } else {
      const before = out ? out.length : 0;
      out ??= [];
      checkRecordShape(record, info, out);
      if (isTxtLike(record) && !isGenericRdata(record)) checkTxtRecord(record, lx.gluedCommentIndex, out);
      if (out.length === 0 && before === 0) out = undefined;
    }
    if (out) record.findings = out;
    return record;
  }
}

function argumentCount(entry: ZoneDirective, argc: number, min: number, max: number, what: string, out: Finding[]): boolean {
  const label = '$' + entry.directive;
  if (argc < min) {
    out.push({
      range: tokenRange(entry.name),
      severity: 'error',
      code: 'zone/missing-argument',
      message: `${label} needs ${what}. BIND rejects the zone ("unexpected end of line").`,
    });
    return false;
  }
  if (argc > max) {
    out.push({
      range: spanRange(entry.token(1 + max), entry.token(argc)),
      severity: 'error',
      code: 'zone/extra-argument',
      message: `${label} takes ${what}; the rest of the line is extra and BIND rejects the zone ("extra input text"). Remove it, or start a comment with \`;\`.`,
    });
  }
  return true;
}

/** Parses a whole zone file. Never throws. */
export function parseZoneTree(text: string): ZoneTree {
  const parser = new ZoneParser(text);
  const entries: ZoneEntry[] = [];
  const withFindings: ZoneEntry[] = [];
  while (parser.atEntry()) {
    const e = parser.parseEntry();
    entries.push(e);
    if (e.findings) withFindings.push(e);
  }
  const lx = parser.lexer;
  return {
    entries,
    withFindings,
    generation: nextGeneration(),
    source: parser.src,
    lineCount: lx.line + (lx.lineStart < text.length ? 1 : 0),
    unbalancedToEnd: lx.unbalancedToEnd,
  };
}
