// What is under the cursor in a zone file: the record, its owner token, or a place inside
// one of its TXT strings (as an offset into the joined value).

import type { Position } from '../../types';
import type { ZoneEntry, ZoneToken } from '../../zone/tree';
import type { ZoneFile, ZoneRR } from '../../zone/checks/zoneData';
import type { PolicyRecord } from '../../zone/checks/txtChecks';
import { policyRecordOf } from '../../zone/checks/txtChecks';
import { isTxtLike } from '../../zone/tree';
import { isGenericRdata } from '../../zone/record-checks';

/** The entry whose lines contain `line`, if any. */
export function entryAtLine(entries: readonly ZoneEntry[], line: number): ZoneEntry | undefined {
  let lo = 0;
  let hi = entries.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (entries[mid].firstLine <= line) lo = mid; else hi = mid - 1;
  }
  const e = entries[lo];
  return e && e.firstLine <= line && line <= e.lastLine ? e : undefined;
}

/** The zone record (with its absolute owner) at a position. */
export function rrAt(file: ZoneFile, position: Position): ZoneRR | undefined {
  const entry = entryAtLine(file.tree.entries, position.line);
  if (!entry || entry.kind !== 'record') return undefined;
  const rrs = file.rrs;
  let lo = 0;
  let hi = rrs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (rrs[mid].record.firstLine <= entry.firstLine) lo = mid; else hi = mid - 1;
  }
  return rrs[lo]?.record === entry ? rrs[lo] : undefined;
}

/** The offset in `token.value` of a column inside the token (the inverse of valueOffsetToColumn). */
export function columnToValueOffset(token: ZoneToken, column: number): number {
  const raw = token.text;
  let i = token.quoted ? 1 : 0;
  const end = token.quoted && raw.length > 1 && raw.charCodeAt(raw.length - 1) === 34 ? raw.length - 1 : raw.length;
  const target = column - token.start;
  let v = 0;
  while (i < end && i < target) {
    if (raw.charCodeAt(i) === 92 && i + 1 < end) {
      const d = raw.charCodeAt(i + 1);
      if (d >= 48 && d <= 57) {
        let e = i + 2;
        while (e < end && e < i + 4 && raw.charCodeAt(e) >= 48 && raw.charCodeAt(e) <= 57) e++;
        if (target < e) return v; // inside the escape: its character
        v += e - i === 4 ? 1 : e - i - 1;
        i = e;
      } else {
        if (target < i + 2) return v;
        v += 1;
        i += 2;
      }
    } else {
      v++;
      i++;
    }
  }
  return v;
}

export interface PlaceInText {
  policy: PolicyRecord;
  /** Offset in the joined value. */
  offset: number;
}

/** The policy record and value offset under the cursor, when it is inside a TXT string. */
export function placeInTxt(rr: ZoneRR, position: Position): PlaceInText | undefined {
  const r = rr.record;
  if (!isTxtLike(r) || isGenericRdata(r)) return undefined;
  const policy = policyRecordOf(rr);
  const { strings, starts } = policy.text;
  for (let i = 0; i < strings.length; i++) {
    const t = strings[i];
    if (t.line !== position.line || position.character < t.start || position.character > t.end) continue;
    // On the closing quote or just after the token, count as its last character.
    const offset = starts[i] + columnToValueOffset(t, position.character);
    return { policy, offset: Math.min(offset, starts[i] + t.value.length) };
  }
  return undefined;
}
