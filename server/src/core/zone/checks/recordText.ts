// A zone TXT record as the record checkers (SPF, DKIM, DMARC, MTA-STS, TLS-RPT) read it: the
// character-strings joined without separators, with a map from offsets in the joined value
// back to the exact columns in the zone file (strings may sit on several lines inside
// parentheses, and escapes such as `\;` make a value character longer than one column).

import type { RecordText } from '../../records/recordText';
import type { Range } from '../../types';
import { range } from '../../types';
import type { ZoneRecord, ZoneToken } from '../tree';
import { txtStrings, valueOffsetToColumn } from '../strings';
import { withoutDot } from './origin';

/** A RecordText with the strings it was built from, for fixes that rewrite the record. */
export interface ZoneRecordText extends RecordText {
  strings: ZoneToken[];
  /** Offset in `value` where each string starts (strings.length entries). */
  starts: number[];
}

/** The RecordText of a TXT/SPF record; `owner` is the absolute owner (with or without the dot). */
export function recordTextOf(record: ZoneRecord, owner: string | undefined): ZoneRecordText {
  const strings = txtStrings(record);
  const starts: number[] = [];
  let value = '';
  for (const s of strings) {
    starts.push(value.length);
    value += s.value;
  }
  const stringAt = (offset: number, preferEnd: boolean): number => {
    // The string holding value[offset]; at a boundary, the one that ends there when preferEnd.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] < offset || (!preferEnd && starts[mid] === offset)) lo = mid; else hi = mid - 1;
    }
    // Skip empty strings at a boundary so ranges do not start on `""`.
    while (!preferEnd && lo + 1 < strings.length && starts[lo] + strings[lo].value.length === offset && offset < value.length) lo++;
    return lo;
  };
  const rangeOf = (start: number, end: number): Range => {
    if (strings.length === 0) return range(record.firstLine, 0, record.firstLine, 0);
    const s = Math.max(0, Math.min(start, value.length));
    const e = Math.max(s, Math.min(end, value.length));
    const si = stringAt(s, false);
    const ei = e === s ? si : stringAt(e, true);
    const a = strings[si];
    const b = strings[ei];
    return range(a.line, valueOffsetToColumn(a, s - starts[si]), b.line, valueOffsetToColumn(b, e - starts[ei]));
  };
  const breaks = starts.slice(1);
  return {
    value,
    rangeOf,
    owner: owner === undefined ? undefined : withoutDot(owner),
    breaks: breaks.length ? breaks : undefined,
    strings,
    starts,
  };
}
