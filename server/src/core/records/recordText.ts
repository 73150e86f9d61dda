// A TXT payload to check (SPF, DKIM key, DMARC, MTA-STS, TLS-RPT), wherever it comes from:
// a zone file's TXT record (several character-strings, joined without spaces as receivers
// join them), text pasted into a command, or a DNS answer. Checkers see the joined value
// and map offsets in it back to document ranges for exact squiggles.

import type { Range } from '../types';

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
