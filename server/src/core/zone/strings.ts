// Character-strings (RFC 1035 §3.3): the pieces of TXT/SPF rdata. Helpers to read them
// as the DNS stores them, to map a position inside a decoded string back to the source
// column (so SPF/DKIM/DMARC checks can underline one tag), and to write a value back
// in zone syntax.

import type { ZoneRecord, ZoneToken } from './tree';
import { isTxtLike } from './tree';
import { isGenericRdata } from './record-checks';

/** Longest character-string: its length is one byte. */
export const MAX_CHARACTER_STRING = 255;

/**
 * The character-strings of a TXT/SPF record, in order; empty for other types and for
 * rdata in generic form (`\# LENGTH HEX`), which later layers decode themselves.
 */
export function txtStrings(record: ZoneRecord): ZoneToken[] {
  return isTxtLike(record) && !isGenericRdata(record) ? record.rdata : [];
}

/**
 * The record's text as SPF (RFC 7208 §3.3), DKIM (RFC 6376 §3.6.2.2) and DMARC readers
 * see it: the character-strings concatenated without anything in between.
 */
export function txtValue(record: ZoneRecord): string {
  if (!isTxtLike(record) || isGenericRdata(record)) return '';
  const from = record.rdataStart;
  const to = record.tokenCount;
  if (to - from === 1) return record.tokenValue(from);
  let out = '';
  for (let i = from; i < to; i++) out += record.tokenValue(i);
  return out;
}

/**
 * The source column of a position in `token.value`, so a finding about part of a string
 * (one SPF mechanism, one DKIM tag) can be underlined exactly. `valueOffset` may equal
 * value.length (the end).
 */
export function valueOffsetToColumn(token: ZoneToken, valueOffset: number): number {
  const raw = token.text;
  let i = token.quoted ? 1 : 0;
  const end = token.quoted && raw.length > 1 && raw.charCodeAt(raw.length - 1) === 34 ? raw.length - 1 : raw.length;
  let v = 0;
  while (i < end && v < valueOffset) {
    if (raw.charCodeAt(i) === 92 && i + 1 < end) {
      const d = raw.charCodeAt(i + 1);
      if (d >= 48 && d <= 57) {
        let e = i + 2;
        while (e < end && e < i + 4 && raw.charCodeAt(e) >= 48 && raw.charCodeAt(e) <= 57) e++;
        // A well-formed \DDD is one value character; a short one decodes to its digits.
        v += e - i === 4 ? 1 : e - i - 1;
        i = e;
      } else {
        v += 1;
        i += 2;
      }
    } else {
      v++;
      i++;
    }
  }
  return token.start + i;
}

/** Escapes a value for use inside "double quotes" in a zone file. */
export function escapeForQuotes(value: string): string {
  let out = '';
  let chunk = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 34 || c === 92) {
      out += value.slice(chunk, i) + '\\' + value[i];
      chunk = i + 1;
    } else if (c < 32 || c === 127) {
      out += value.slice(chunk, i) + '\\' + String(c).padStart(3, '0');
      chunk = i + 1;
    }
  }
  return out + value.slice(chunk);
}

/**
 * A value written as one or more quoted character-strings of at most 255 bytes each,
 * separated by a space: `"…" "…"`. Splits at character boundaries (ASCII assumed for
 * the byte count, which is what SPF/DKIM/DMARC values are).
 */
export function quoteAsCharacterStrings(value: string): string {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i += MAX_CHARACTER_STRING) {
    parts.push('"' + escapeForQuotes(value.slice(i, i + MAX_CHARACTER_STRING)) + '"');
  }
  return parts.length ? parts.join(' ') : '""';
}
