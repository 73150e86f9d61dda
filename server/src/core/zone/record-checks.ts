// Shallow shape checks of one resource record: is the type a type, and does it have as
// many rdata fields as its text form needs? (A needs one address, MX a preference and an
// exchange, SOA seven fields.) Whether each field is valid is for later layers.

import type { Finding, Range } from '../types';
import { range } from '../types';
import type { ZoneRecord } from './tree';
import { spanRange, tokenRange } from './tree';
import type { RRTypeInfo } from './rrtypes';
import { looksLikeTtl } from './ttl';

function fieldList(info: RRTypeInfo, from: number, to: number): string {
  const names = info.fieldNames;
  if (!names) return '';
  return names.slice(from, Math.min(to, names.length)).join(', ');
}

function isNumber(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Whether the rdata is in RFC 3597 generic form (`\# LENGTH HEX`). For TXT/SPF only when
 * a length follows: `TXT \#` alone is the text "#".
 */
export function isGenericRdata(record: ZoneRecord): boolean {
  const count = record.rdataCount;
  if (count === 0 || !record.tokenIs(record.rdataStart, '\\#')) return false;
  if (record.typeCode !== 16 && record.typeCode !== 99) return true;
  return count > 1 && isNumber(record.tokenText(record.rdataStart + 1));
}

/** RFC 3597 generic rdata: `\# length hex…`. */
function checkGenericRdata(record: ZoneRecord, out: Finding[]): void {
  const count = record.rdataCount;
  if (count < 2) {
    out.push({
      range: tokenRange(record.rdataToken(0)),
      severity: 'error',
      code: 'zone/missing-rdata',
      message: 'Generic rdata (RFC 3597) is written `\\# LENGTH HEX`; the length is missing. Write for example `\\# 4 C0000201`, or `\\# 0` for empty rdata.',
    });
    return;
  }
  if (count >= 3) return;
  const lengthTok = record.rdataToken(1);
  let length = 0;
  const t = lengthTok.text;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57 || length > 65535) { length = -1; break; }
    length = length * 10 + (c - 48);
  }
  if (length > 0) {
    out.push({
      range: spanRange(record.type!, lengthTok),
      severity: 'error',
      code: 'zone/missing-rdata',
      message: `Generic rdata says it has ${length} bytes but gives no hex data after the length. Add the ${length * 2} hex digits, or write \`\\# 0\` for empty rdata.`,
    });
  }
}

/** Type and rdata-count findings for a record that has a type token. */
export function checkRecordShape(record: ZoneRecord, info: RRTypeInfo | undefined, out: Finding[]): void {
  if (!info) {
    const type = record.type!;
    const t = type.text;
    const asTtl = looksLikeTtl(t) && record.ttl !== undefined;
    out.push({
      range: tokenRange(type),
      severity: 'error',
      code: 'zone/unknown-type',
      message: asTtl
        ? `"${t}" stands where the record type belongs, but the record already has a TTL (${record.ttl!.text}). A record has one TTL; remove one of them.`
        : type.quoted
          ? `A quoted string ${t} stands where the record type belongs (A, MX, TXT …). BIND rejects the zone with "unknown RR type". Check that the owner, TTL and class come before the type.`
          : `"${t}" is not a DNS record type. BIND rejects the zone with "unknown RR type". Use a registered type such as A, AAAA, MX, TXT, CNAME, SRV or CAA, or TYPE<number> (RFC 3597) for a type without a mnemonic.`,
    });
    return;
  }
  if (info.meta) {
    out.push({
      range: tokenRange(record.type!),
      severity: 'error',
      code: 'zone/meta-type',
      message: `${info.name} is a query or transport type, not a type of data: it cannot appear in a zone file (BIND: "invalid use of a meta type"). Remove the record or use the data type you meant.`,
    });
    return;
  }
  if (info.nonstandard) {
    out.push({
      range: tokenRange(record.type!),
      severity: 'warning',
      code: 'zone/nonstandard-type',
      message: `${info.name} is not a DNS record type but an extension of ${info.nonstandard}. BIND, NSD and Knot reject the zone ("unknown RR type"); keep it only if this file is served by that software.`,
    });
    return;
  }

  const count = record.rdataCount;
  if (count > 0 && record.tokenIs(record.rdataStart, '\\#')) {
    // For TXT, `\#` not followed by a length is just the text "#" (BIND reads it so).
    if (isGenericRdata(record)) {
      checkGenericRdata(record, out);
      return;
    }
  } else if (info.genericOnly) {
    out.push({
      range: count === 0 ? tokenRange(record.type!) : spanRange(record.rdataToken(0), record.rdataToken(count - 1)),
      severity: 'error',
      code: 'zone/generic-rdata-required',
      message: `${record.typeName} has no text form that DNS servers know, so its rdata must be written generically (RFC 3597): \\# LENGTH HEX, e.g. \`\\# 4 0A000001\`, or \`\\# 0\` when empty. BIND rejects the zone otherwise.`,
    });
    return;
  }
  const min = info.minFields;
  const max = info.maxFields;
  if (min === undefined || max === undefined || (count >= min && count <= max)) return;
  const type = record.type!;
  if (count < min) {
    const missing = fieldList(info, count, min);
    const what = info.fieldNames ? ` (${fieldList(info, 0, min)})` : '';
    const have = count === 0 ? 'none is given' : `only ${count} ${count === 1 ? 'is' : 'are'} given`;
    out.push({
      range: count === 0 ? tokenRange(type) : spanRange(type, record.rdataToken(count - 1)),
      severity: 'error',
      code: 'zone/missing-rdata',
      message: `A ${info.name} record needs ${min === max ? '' : 'at least '}${plural(min, 'field')}${what}, but ${have}${missing ? `: ${missing} ${min - count === 1 ? 'is' : 'are'} missing` : ''}. BIND rejects the zone ("unexpected end of input").` +
        (info.name === 'SOA' && count > 0 ? ' An SOA record that continues on the next lines must be wrapped in parentheses: `@ IN SOA ns hostmaster ( serial refresh retry expire minimum )`.' : ''),
    });
  } else if (count > max) {
    const extraCount = count - max;
    out.push({
      range: spanRange(record.rdataToken(max), record.rdataToken(count - 1)),
      severity: 'error',
      code: 'zone/extra-rdata',
      message: `A ${info.name} record has ${plural(max, 'field')}${info.fieldNames ? ` (${fieldList(info, 0, max)})` : ''}, but ${count} are given. BIND rejects the zone ("extra input text"). Remove the extra ${extraCount === 1 ? 'field' : 'fields'}, or put a comment after \`;\`.` +
        (info.name === 'CAA' ? ' A CAA value with blanks must be in double quotes.' : ''),
    });
  }
}

/** The leading blanks of a record's first line (where an inherited owner would stand). */
export function leadingBlankRange(record: ZoneRecord): Range {
  const first = record.tokenCount > 0 ? record.token(0) : undefined;
  const end = first && first.line === record.firstLine ? first.start : 0;
  return range(record.firstLine, 0, record.firstLine, end);
}
