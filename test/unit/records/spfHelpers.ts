// Helpers for the SPF tests: RecordTexts built from plain strings or from zone files (the
// way the zone checks build them), a memory resolver from zone text, and compact finding
// descriptions ("code 'squiggled text'").

import { recordTextOf } from '../../../server/src/core/zone/checks/recordText';
import { zoneLanguage } from '../../../server/src/core/zone/language';
import type { ZoneRecord, ZoneTree } from '../../../server/src/core/zone/tree';
import { txtStrings, txtValue } from '../../../server/src/core/zone/strings';
import { ownerName } from '../../../server/src/core/zone/names';
import type { RecordText } from '../../../server/src/core/records/recordText';
import { MemoryResolver } from '../../../server/src/core/dns/memoryResolver';
import type { Finding, Range, TextEdit } from '../../../server/src/core/types';
import { range } from '../../../server/src/core/types';

/** A document holding one line; `rec` maps the joined value onto it. */
export interface LineRecord {
  text: string;
  rec: RecordText;
}

/**
 * The strings written on one line as a zone file would (`"a" "b"`, or unquoted `a b`),
 * joined into a RecordText with breaks and exact ranges.
 */
export function lineRecord(strings: string[], options: { quoted?: boolean; owner?: string } = {}): LineRecord {
  const quoted = options.quoted ?? true;
  let text = '';
  const cols: number[] = [];
  const starts: number[] = [];
  let value = '';
  for (const s of strings) {
    if (text) text += ' ';
    if (quoted) text += '"';
    starts.push(value.length);
    for (let i = 0; i < s.length; i++) cols.push(text.length + i);
    text += s;
    value += s;
    if (quoted) text += '"';
  }
  const endCol = (offset: number): number => {
    if (offset < value.length) return cols[offset];
    return quoted ? text.length - 1 : text.length;
  };
  const rangeOf = (s: number, e: number): Range => {
    // An end offset at a string boundary ends at the string's last character.
    const endCol2 = e > s && e > 0 && e <= value.length ? cols[e - 1] + 1 : endCol(e);
    return range(0, endCol(s), 0, endCol2);
  };
  const breaks = starts.slice(1);
  return { text, rec: { value, rangeOf, owner: options.owner, breaks: breaks.length ? breaks : undefined } };
}

/** The record as one quoted string. */
export function single(value: string, owner?: string): LineRecord {
  return lineRecord([value], { owner });
}

export function parseZone(text: string): ZoneTree {
  return zoneLanguage.parse(text, 'dns-zone').tree;
}

export function zoneRecords(tree: ZoneTree): ZoneRecord[] {
  return tree.entries.filter((e): e is ZoneRecord => e.kind === 'record');
}

/** A zone TXT/SPF record as a RecordText: the one the zone checks build (exact columns, breaks). */
export function zoneRecordText(record: ZoneRecord): RecordText {
  return recordTextOf(record, ownerName(record));
}

/** A memory resolver serving every record of the zones (TXT joined per record). */
export function resolverFromZones(...texts: string[]): MemoryResolver {
  const r = new MemoryResolver();
  for (const text of texts) {
    for (const rec of zoneRecords(parseZone(text))) {
      let owner = ownerName(rec);
      const data = rec.rdata.map((t) => t.value);
      switch (rec.typeName) {
        case 'A': case 'AAAA': case 'PTR': case 'CNAME': case 'NS':
          r.add(owner, { type: rec.typeName, value: data[0] });
          break;
        case 'MX':
          r.add(owner, { type: 'MX', preference: Number(data[0]), exchange: data[1] });
          break;
        case 'TXT': case 'SPF':
          r.add(owner, { type: rec.typeName, strings: txtStrings(rec).map((t) => t.value) });
          break;
      }
      owner = '';
    }
  }
  return r;
}

/** The text a range covers in a one-line document, or across lines of a document. */
export function textOf(doc: string, r: Range): string {
  const lines = doc.split(/\r\n|\r|\n/);
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  const parts = [lines[r.start.line].slice(r.start.character)];
  for (let l = r.start.line + 1; l < r.end.line; l++) parts.push(lines[l]);
  parts.push(lines[r.end.line].slice(0, r.end.character));
  return parts.join('\n');
}

/** "code 'squiggled text'" for each finding. */
export function describe(doc: string, findings: Finding[]): string[] {
  return findings.map((f) => `${f.code} '${textOf(doc, f.range)}'`);
}

/** Applies edits (same document, non-overlapping) to a document. */
export function applyEdits(doc: string, edits: TextEdit[]): string {
  const lines = doc.split('\n');
  const offset = (p: { line: number; character: number }): number => {
    let o = 0;
    for (let l = 0; l < p.line; l++) o += lines[l].length + 1;
    return o + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = doc;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

export { txtValue };
