// The outline and folds of a zone: one symbol per owner name (consecutive records of the
// same owner grouped, comment lines between them do not break a group), a child per
// record (`MX 10 mail.example.com.`), directives as symbols of their own. Folds: records
// in parentheses that span lines, and runs of comment lines.
//
// Editors ask for the outline after every edit. A zone of a million records would make
// an outline of hundreds of megabytes in seconds, so records after the first 10,000 are
// summed up per stretch between directives ("12,000 more records"); the directives are
// always listed, so `$ORIGIN` sections stay reachable.

import type { FoldingSpan, Range, SymbolNode } from '../types';
import { range } from '../types';
import type { ZoneEntry, ZoneRecord, ZoneTree } from './tree';
import { entryRange } from './tree';
import { absoluteName } from './names';

const SUMMARY_MAX = 60;

function summarize(record: ZoneRecord): string {
  let s = record.typeName || '(no type)';
  for (let i = record.rdataStart; i < record.tokenCount && s.length <= SUMMARY_MAX; i++) s += ' ' + record.tokenText(i);
  return s.length > SUMMARY_MAX ? s.slice(0, SUMMARY_MAX - 1) + '…' : s;
}

function recordSymbol(record: ZoneRecord): SymbolNode {
  const typeIndex = record.typeIndex;
  const ttlIndex = record.ttlIndex;
  return {
    name: summarize(record),
    detail: ttlIndex >= 0 ? 'TTL ' + record.tokenText(ttlIndex) : undefined,
    kind: record.typeName === 'TXT' || record.typeName === 'SPF' ? 'String' : 'Field',
    range: entryRange(record),
    selectionRange: typeIndex >= 0 ? record.tokenRangeAt(typeIndex) : ownerRange(record),
  };
}

function ownerRange(record: ZoneRecord): Range {
  return record.ownerInherited ? range(record.firstLine, 0, record.firstLine, 0) : record.tokenRangeAt(0);
}

function directiveSymbol(entry: ZoneEntry & { kind: 'directive' }): SymbolNode {
  const args = entry.args.map((a) => a.text).join(' ');
  return {
    name: args ? `${entry.name.text} ${args}` : entry.name.text,
    kind: 'Key',
    range: entryRange(entry),
    selectionRange: entry.tokenRangeAt(0),
  };
}

/** Whether a record continues the current owner group. */
function sameOwnerGroup(record: ZoneRecord, groupOwner: string, groupOrigin: string): boolean {
  return record.ownerText === groupOwner && record.ownerOrigin === groupOrigin;
}

/** Records listed one by one in the outline; later ones are summed up. */
export const OUTLINE_RECORDS = 10_000;

export function zoneSymbols(tree: ZoneTree, maxRecords = OUTLINE_RECORDS): SymbolNode[] {
  const out: SymbolNode[] = [];
  let group: SymbolNode | undefined;
  let groupOwner = '';
  let groupOrigin = '';
  let groupEnd: Range | undefined;
  let listed = 0;
  let unlisted = 0;
  let unlistedFirst: ZoneRecord | undefined;
  let unlistedLast: ZoneRecord | undefined;
  const close = () => {
    if (group && groupEnd) group.range = range(group.range.start.line, group.range.start.character, groupEnd.end.line, groupEnd.end.character);
    group = undefined;
  };
  const sumUp = () => {
    if (!unlistedFirst || !unlistedLast) return;
    out.push({
      name: `${unlisted.toLocaleString('en')} more record${unlisted === 1 ? '' : 's'}`,
      detail: `not listed: the outline shows the first ${maxRecords.toLocaleString('en')} records`,
      kind: 'Namespace',
      range: range(unlistedFirst.firstLine, 0, unlistedLast.lastLine, unlistedLast.endChar),
      selectionRange: range(unlistedFirst.firstLine, 0, unlistedFirst.firstLine, 0),
    });
    unlisted = 0;
    unlistedFirst = unlistedLast = undefined;
  };
  const entries = tree.entries;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.kind === 'comment') continue;
    if (entry.kind === 'directive') {
      close();
      sumUp();
      out.push(directiveSymbol(entry));
      continue;
    }
    if (listed >= maxRecords) {
      close();
      unlisted++;
      unlistedFirst ??= entry;
      unlistedLast = entry;
      continue;
    }
    listed++;
    const child = recordSymbol(entry);
    if (!group || !sameOwnerGroup(entry, groupOwner, groupOrigin)) {
      close();
      groupOwner = entry.ownerText;
      groupOrigin = entry.ownerOrigin;
      const full = absoluteName(groupOwner, groupOrigin);
      group = {
        name: groupOwner || '(no owner)',
        detail: full && full !== groupOwner ? full : undefined,
        kind: 'Namespace',
        range: entryRange(entry),
        selectionRange: ownerRange(entry),
        children: [],
      };
      out.push(group);
    }
    group.children!.push(child);
    groupEnd = child.range;
  }
  close();
  sumUp();
  return out;
}

export function zoneFolding(tree: ZoneTree): FoldingSpan[] {
  const out: FoldingSpan[] = [];
  let runStart = -1;
  let runEnd = -1;
  const flush = () => {
    if (runStart >= 0 && runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: 'comment' });
    runStart = -1;
  };
  const entries = tree.entries;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.kind === 'comment' && entry.commentCount > 0) {
      if (runStart >= 0 && entry.firstLine === runEnd + 1) runEnd = entry.lastLine;
      else {
        flush();
        runStart = entry.firstLine;
        runEnd = entry.lastLine;
      }
      continue;
    }
    flush();
    if (entry.lastLine > entry.firstLine) out.push({ startLine: entry.firstLine, endLine: entry.lastLine, kind: 'region' });
  }
  flush();
  return out;
}
