// Turns a zone file into entries (records, directives, comment lines), tracking the
// context each entry inherits: `$ORIGIN`, `$TTL` and the previous owner. Follows BIND's
// named-checkzone: a line starting with a blank reuses the previous owner; TTL and class
// may come in either order before the type; `$INCLUDE` does not change the including
// file's context (BIND restores origin and owner after the included file).

import type { Finding } from '../types';
import { range } from '../types';
import { ZoneLexer } from './lexer';
import type { ZoneCommentLine, ZoneDirective, ZoneDirectiveName, ZoneEntry, ZoneRecord, ZoneToken, ZoneTree } from './tree';
import { isTxtLike, spanRange, tokenRange } from './tree';
import { isClassToken, lookupRRType } from './rrtypes';
import { looksLikeTtl, parseTtl, TTL_INVALID, TTL_MAX_EFFECTIVE, TTL_OVERFLOW } from './ttl';
import { absoluteName } from './names';
import { checkRecordShape, leadingBlankRange } from './record-checks';
import { checkTxtRecord } from './txt-checks';

const TAB = 9, SPACE = 32, DOLLAR = 36, LPAREN = 40, RPAREN = 41, BOM = 0xfeff;

/** The context the parser carries from entry to entry. */
export interface ParserContext {
  origin: string;
  defaultTtl: number | undefined;
  /** The last explicit owner, and the origin it was written under. */
  lastOwner: ZoneToken | undefined;
  lastOwnerOrigin: string;
}

export function initialContext(): ParserContext {
  return { origin: '', defaultTtl: undefined, lastOwner: undefined, lastOwnerOrigin: '' };
}

export class ZoneParser {
  readonly lexer: ZoneLexer;
  readonly ctx: ParserContext;
  /** Whether the BOM finding still has to be given (to the first entry). */
  private bomPending: boolean;
  private readonly scratch: ZoneToken[] = [];

  constructor(text: string, ctx: ParserContext = initialContext()) {
    this.lexer = new ZoneLexer(text);
    this.ctx = ctx;
    this.bomPending = text.charCodeAt(0) === BOM;
    if (this.bomPending) this.lexer.pos = 1;
  }

  /** Continues at a line start with the given context (incremental re-parsing). */
  resume(offset: number, line: number, bomPending: boolean): void {
    this.lexer.reset(offset, line);
    this.bomPending = bomPending && offset === 0;
    if (offset === 0 && this.lexer.text.charCodeAt(0) === BOM) this.lexer.pos = 1;
  }

  /** Is the lexer at the start of a line with an entry on it (after skipping blank lines)? */
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
    const tokens = this.scratch;
    tokens.length = 0;
    lx.beginEntry();
    for (let tok = lx.next(); tok !== null; tok = lx.next()) tokens.push(tok);

    let entry: ZoneEntry;
    if (c0 === DOLLAR && tokens.length > 0) entry = this.directive(firstLine, startOffset, tokens);
    else if (tokens.length === 0) entry = this.commentLine(firstLine, startOffset);
    else entry = this.record(firstLine, startOffset, tokens, !(c0 === SPACE || c0 === TAB || c0 === LPAREN || c0 === RPAREN));

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

  private commentLine(firstLine: number, startOffset: number): ZoneCommentLine {
    const lx = this.lexer;
    const ctx = this.ctx;
    return {
      kind: 'comment',
      firstLine, lastLine: lx.lastLine, endChar: lx.lastEnd, startOffset,
      origin: ctx.origin, defaultTtl: ctx.defaultTtl,
      comments: lx.comments, findings: lx.findings,
    };
  }

  private directive(firstLine: number, startOffset: number, tokens: ZoneToken[]): ZoneDirective {
    const lx = this.lexer;
    const ctx = this.ctx;
    const name = tokens[0];
    const args = tokens.slice(1);
    const upper = name.text.length <= 10 ? name.text.slice(1).toUpperCase() : '';
    const directive: ZoneDirectiveName | undefined =
      upper === 'ORIGIN' || upper === 'TTL' || upper === 'INCLUDE' || upper === 'GENERATE' ? upper : undefined;
    const entry: ZoneDirective = {
      kind: 'directive',
      firstLine, lastLine: lx.lastLine, endChar: lx.lastEnd, startOffset,
      origin: ctx.origin, defaultTtl: ctx.defaultTtl,
      comments: lx.comments, findings: lx.findings,
      name, directive, args,
    };
    const out: Finding[] = (entry.findings ??= []);
    switch (directive) {
      case undefined:
        out.push({
          range: tokenRange(name),
          severity: 'error',
          code: 'zone/unknown-directive',
          message: `"${name.text}" is not a zone-file directive; BIND knows $ORIGIN, $TTL, $INCLUDE and $GENERATE and rejects the zone otherwise. A "$" at the start of a line always begins a directive: to use a name starting with "$", write it as "\\$…".`,
        });
        break;
      case 'ORIGIN':
        if (this.argumentCount(entry, 1, 1, 'a domain name, e.g. `$ORIGIN example.com.`', out)) {
          ctx.origin = absoluteName(args[0].text, ctx.origin);
        }
        break;
      case 'TTL':
        if (this.argumentCount(entry, 1, 1, 'a TTL, e.g. `$TTL 1h` or `$TTL 3600`', out)) {
          const seconds = this.ttlValue(args[0], out);
          if (seconds !== undefined) ctx.defaultTtl = seconds;
        }
        break;
      case 'INCLUDE':
        this.argumentCount(entry, 1, 2, 'a file name and optionally an origin, e.g. `$INCLUDE keys/dkim.txt example.com.`', out);
        break;
      case 'GENERATE':
        this.argumentCount(entry, 4, Infinity, 'a range, an owner pattern, optionally TTL and class, a type and an rdata pattern, e.g. `$GENERATE 1-10 host$ A 192.0.2.$`', out);
        break;
    }
    if (out.length === 0) entry.findings = undefined;
    return entry;
  }

  private argumentCount(entry: ZoneDirective, min: number, max: number, what: string, out: Finding[]): boolean {
    const args = entry.args;
    const label = '$' + entry.directive;
    if (args.length < min) {
      out.push({
        range: tokenRange(entry.name),
        severity: 'error',
        code: 'zone/missing-argument',
        message: `${label} needs ${what}. BIND rejects the zone ("unexpected end of line").`,
      });
      return false;
    }
    if (args.length > max) {
      out.push({
        range: spanRange(args[max], args[args.length - 1]),
        severity: 'error',
        code: 'zone/extra-argument',
        message: `${label} takes ${what}; the rest of the line is extra and BIND rejects the zone ("extra input text"). Remove it, or start a comment with \`;\`.`,
      });
    }
    return true;
  }

  /** Seconds of a TTL token, with bad-ttl / ttl-too-large findings. */
  private ttlValue(tok: ZoneToken, out: Finding[]): number | undefined {
    const seconds = tok.quoted ? TTL_INVALID : parseTtl(tok.text);
    if (seconds === TTL_INVALID || seconds === TTL_OVERFLOW) {
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
        range: tokenRange(tok),
        severity: 'warning',
        code: 'zone/ttl-too-large',
        message: `A TTL above 2147483647 seconds is treated as 0 (RFC 2181 §8; BIND: "> MAXTTL, setting TTL to 0"), so this record would not be cached at all. Use a value such as 1d.`,
      });
      return 0;
    }
    return seconds;
  }

  private record(firstLine: number, startOffset: number, tokens: ZoneToken[], explicitOwner: boolean): ZoneRecord {
    const lx = this.lexer;
    const ctx = this.ctx;
    const out: Finding[] = lx.findings ?? [];
    const n = tokens.length;
    let i = 0;

    let owner: ZoneToken;
    let ownerOrigin: string;
    if (explicitOwner) {
      owner = tokens[i++];
      ownerOrigin = ctx.origin;
    } else {
      const prev = ctx.lastOwner;
      const t = prev ? prev.text : '';
      owner = { line: firstLine, start: 0, end: 0, text: t, value: prev ? prev.value : '', quoted: false };
      ownerOrigin = prev ? ctx.lastOwnerOrigin : ctx.origin;
    }

    let ttl: ZoneToken | undefined;
    let ttlSeconds: number | undefined;
    let cls: ZoneToken | undefined;
    while (i < n) {
      const tok = tokens[i];
      if (tok.quoted) break;
      if (ttl === undefined && looksLikeTtl(tok.text)) {
        ttl = tok;
        ttlSeconds = this.ttlValue(tok, out);
        i++;
      } else if (cls === undefined && isClassToken(tok.text)) {
        cls = tok;
        i++;
      } else {
        break;
      }
    }
    const type = i < n ? tokens[i++] : undefined;
    const info = type && !type.quoted ? lookupRRType(type.text) : undefined;
    const rdata = tokens.slice(i);

    const record: ZoneRecord = {
      kind: 'record',
      firstLine, lastLine: lx.lastLine, endChar: lx.lastEnd, startOffset,
      origin: ctx.origin, defaultTtl: ctx.defaultTtl,
      comments: lx.comments, findings: undefined,
      owner, ownerInherited: !explicitOwner, ownerOrigin,
      ttl, ttlSeconds, class: cls, type,
      typeName: info ? info.name : type ? type.text.toUpperCase() : '',
      typeCode: info && info.code >= 0 && !info.meta ? info.code : -1,
      rdata,
    };

    if (!explicitOwner) {
      if (!ctx.lastOwner) {
        out.push({
          range: leadingBlankRange(record, tokens[0]),
          severity: 'error',
          code: 'zone/owner-without-previous',
          message: 'This line starts with a blank, which means "same owner as the record above", but there is no record above (BIND: "no current owner name"). Write the owner name (or @) at the very start of the line.',
        });
      } else if (ctx.lastOwnerOrigin !== ctx.origin) {
        out.push({
          range: leadingBlankRange(record, tokens[0]),
          severity: 'warning',
          code: 'zone/inherited-owner-after-origin',
          message: `This record reuses the owner of the record above (${absoluteName(owner.text, ownerOrigin) || owner.text}), which was written before the $ORIGIN change, so the new origin does not apply to it. Write the owner name explicitly if the record belongs under ${ctx.origin || 'the new origin'}.`,
        });
      }
    } else {
      ctx.lastOwner = owner;
      ctx.lastOwnerOrigin = ctx.origin;
    }

    if (!type) {
      const last = tokens[n - 1];
      out.push({
        range: tokenRange(last),
        severity: 'error',
        code: 'zone/missing-type',
        message: `This record has no type after ${last === owner ? 'its owner' : `"${last.text}"`}. A record is: owner [TTL] [class] TYPE rdata, e.g. \`www 3600 IN A 192.0.2.1\`. BIND rejects the zone ("unexpected end of line").`,
      });
    } else {
      checkRecordShape(record, type, info, out);
      if (isTxtLike(record)) checkTxtRecord(record, lx.gluedCommentIndex, out);
    }
    record.findings = out.length ? out : undefined;
    return record;
  }
}

/** Parses a whole zone file. Never throws. */
export function parseZoneTree(text: string): ZoneTree {
  const parser = new ZoneParser(text);
  const entries: ZoneEntry[] = [];
  while (parser.atEntry()) entries.push(parser.parseEntry());
  return {
    entries,
    textLength: text.length,
    lineCount: parser.lexer.line + (parser.lexer.lineStart < text.length ? 1 : 0),
    unbalancedToEnd: parser.lexer.unbalancedToEnd,
  };
}
