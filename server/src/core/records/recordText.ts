// A TXT payload to check (SPF, DKIM key, DMARC, MTA-STS, TLS-RPT), wherever it comes from:
// a zone file's TXT record (several character-strings, joined without spaces as receivers
// join them), text pasted into a command, or a DNS answer. Checkers see the joined value
// and map offsets in it back to document ranges for exact squiggles.

import type { Finding, Range } from '../types';

export interface RecordText {
  /** The payload as a receiver reads it: the character-strings joined without separators. */
  value: string;
  /** The document range of value[start, end); it may span several strings and lines. */
  rangeOf(start: number, end: number): Range;
  /** The owner name, absolute without the trailing dot ("_dmarc.example.org"), when known. */
  owner?: string;
  /** Where the character-strings break, as offsets into `value` (for "split inside a term" checks). */
  breaks?: number[];
}

/** The most a DNS record's data can hold (a 16-bit length, RFC 1035 §3.2.1); longer values exist only in files. */
export const MAX_RECORD_TEXT = 65535;

/**
 * Runs a record checker on at most MAX_RECORD_TEXT characters of the value: a longer value
 * (a 10 MB line in a zone file, reported there as too long) is checked up to that length, so
 * the checks stay fast. Findings on a cut value carry no fixes: a rewrite of the record from
 * the cut value would drop the rest of it.
 */
export function checkWithinDnsLimit<T extends RecordText>(rec: T, check: (rec: T) => Finding[]): Finding[] {
  if (rec.value.length <= MAX_RECORD_TEXT) return check(rec);
  const cut: T = { ...rec, value: rec.value.slice(0, MAX_RECORD_TEXT), breaks: rec.breaks?.filter((b) => b < MAX_RECORD_TEXT) };
  return check(cut).map(({ fixes: _dropped, ...f }) => f);
}
