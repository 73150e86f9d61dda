// Where a new record goes in a zone file of the workspace, and the text edit that puts it
// there: shared by the one-click DKIM, SPF and DMARC commands. The owner is written
// relative to the `$ORIGIN` in effect at the insertion point (`@` when equal) and fully
// qualified when that origin does not cover it, so the record lands at the same name
// whatever `$ORIGIN` lines the file has. Long TXT values are split into quoted strings of
// at most 255 characters inside parentheses, as opendkim-genkey writes them.

import type { TextEdit } from '../types';
import { range } from '../types';
import type { Workspace, WorkspaceDocument } from './workspace';
import type { ZoneRecord, ZoneTree } from '../zone/tree';
import { splitLines } from '../text/lines';
import { escapeForQuotes, MAX_CHARACTER_STRING, txtValue } from '../zone/strings';
import { isAbsoluteName } from '../zone/names';
import { delegationAbove, SOA, TXT, zoneDataOf, type ZoneData, type ZoneFile, type ZoneRR } from '../zone/checks/zoneData';
import { effectiveOrigin, isAtOrBelow, nameKey } from '../zone/checks/origin';
import { WorkspaceZones } from '../dns/zoneResolver';

/** A zone file that can take a record at some name, and how the owner would be written there. */
export interface ZoneChoice {
  uri: string;
  /** The owner as it would be written at the insertion point (`@`, relative, or absolute with the dot). */
  owner: string;
  /** The origin in effect at the insertion point (absolute with the dot; '' when unknown). */
  origin: string;
}

/** Where a record goes in one file: after `after` (undefined: at the end), with this origin. */
interface InsertionPoint {
  doc: WorkspaceDocument;
  after?: ZoneRecord;
  origin: string;
  /** The TTL to write when the file has no `$TTL` in effect there (the previous record's). */
  ttl?: string;
}

/** The name with a final dot, lower-cased is not done: presentation form kept. */
function absolute(name: string): string {
  return isAbsoluteName(name) ? name : name + '.';
}

/**
 * The owner as written under `origin`: `@` when equal, the labels in front when below it,
 * otherwise fully qualified (also when the origin is unknown).
 */
export function ownerRelativeTo(absoluteOwner: string, origin: string): string {
  const owner = absolute(absoluteOwner);
  if (origin === '' || !isAbsoluteName(origin)) return owner;
  const o = nameKey(owner);
  const z = nameKey(origin);
  if (o === z) return '@';
  if (z === '.') return owner.slice(0, -1);
  if (isAtOrBelow(o, z)) return owner.slice(0, owner.length - origin.length - 1);
  return owner;
}

function zoneTree(doc: WorkspaceDocument): ZoneTree | undefined {
  return doc.kind === 'dns-zone' ? (doc.analysis.parse.tree as ZoneTree) : undefined;
}

/**
 * The insertion point for a record at `ownerKey` in one file: after the last record whose
 * origin covers the name, moved past records that inherit its owner (a line starting with
 * a blank takes the previous owner, so nothing may come between).
 */
function insertionPoint(doc: WorkspaceDocument, base: string, ownerKey: string): InsertionPoint {
  const tree = zoneTree(doc);
  const records: ZoneRecord[] = [];
  for (const e of tree?.entries ?? []) if (e.kind === 'record' && e.typeName !== '') records.push(e);
  if (records.length === 0) return { doc, origin: '' };
  let index = -1;
  for (let i = records.length - 1; i >= 0; i--) {
    const origin = effectiveOrigin(records[i].origin, base);
    if (isAbsoluteName(origin) && isAtOrBelow(ownerKey, nameKey(origin))) { index = i; break; }
  }
  if (index < 0) index = records.length - 1;
  while (index + 1 < records.length && records[index + 1].ownerInherited) index++;
  const after = records[index];
  const origin = effectiveOrigin(after.origin, base);
  const ttl = after.defaultTtl === undefined && after.ttlIndex >= 0 ? after.tokenText(after.ttlIndex) : undefined;
  return { doc, after, origin: isAbsoluteName(origin) ? origin : '', ttl };
}

/** The zones of the workspace a name belongs to (the closest enclosing apex, not below a delegation). */
function zonesHolding(workspace: Workspace, ownerKey: string): ZoneData[] {
  return new WorkspaceZones(workspace).zonesFor(ownerKey).filter((z) => delegationAbove(z, ownerKey) === undefined);
}

/**
 * The zone files that could take a record at `absoluteOwner`: every file (root first, then
 * its `$INCLUDE`d files) of the workspace zones whose apex is the closest one above the name.
 */
export function zoneChoicesFor(workspace: Workspace, absoluteOwner: string): ZoneChoice[] {
  const ownerKey = nameKey(absolute(absoluteOwner));
  const out: ZoneChoice[] = [];
  for (const zone of zonesHolding(workspace, ownerKey)) {
    for (const file of zone.files) {
      if (!zoneTree(file.doc) || out.some((c) => c.uri === file.doc.uri)) continue;
      const p = insertionPoint(file.doc, file.base, ownerKey);
      out.push({ uri: file.doc.uri, owner: ownerRelativeTo(absoluteOwner, p.origin), origin: p.origin });
    }
  }
  return out;
}

/** The file's line ending (CRLF when its first line ends so). */
function lineEnding(text: string): string {
  const lf = text.indexOf('\n');
  return lf > 0 && text.charCodeAt(lf - 1) === 13 ? '\r\n' : '\n';
}

/** The zone file's place in its zone (for `$INCLUDE`d files the base origin the includer gives). */
function fileOfZone(workspace: Workspace, doc: WorkspaceDocument): ZoneFile | undefined {
  return zoneDataOf(doc, workspace).fileOf(doc.uri);
}

/**
 * The text edit that inserts `owner TYPE rdata` into the zone file `zoneUri`, with the
 * owner written relative to the `$ORIGIN` in effect at the insertion point. `rdataText` is
 * in zone syntax (for TXT use txtRdataText); line breaks in it follow the file's.
 * Throws when `zoneUri` is not a zone file of the workspace (a caller's mistake).
 */
export function zoneRecordInsertion(workspace: Workspace, zoneUri: string, absoluteOwner: string, type: string, rdataText: string): TextEdit & { uri: string } {
  const doc = workspace.get(zoneUri);
  if (!doc || !zoneTree(doc)) throw new Error(`${zoneUri} is not a zone file of the workspace`);
  const base = fileOfZone(workspace, doc)?.base ?? '';
  const p = insertionPoint(doc, base, nameKey(absolute(absoluteOwner)));
  const eol = lineEnding(doc.analysis.text);
  const owner = ownerRelativeTo(absoluteOwner, p.origin);
  const line = `${owner}\t${p.ttl !== undefined ? p.ttl + '\t' : ''}IN\t${type}\t${rdataText.replace(/\r?\n/g, eol)}`;
  return { uri: zoneUri, ...insertionEdit(doc.analysis.text, p.after?.lastLine, line, eol) };
}

/** Inserts `line` as a line of its own after line `afterLine` (undefined: at the end of the text). */
export function insertionEdit(text: string, afterLine: number | undefined, line: string, eol: string): TextEdit {
  const lines = splitLines(text);
  const endsWithBreak = text.length > 0 && (text.endsWith('\n') || text.endsWith('\r'));
  const target = afterLine === undefined ? lines.length - 1 : afterLine;
  if (target < 0) return { range: range(0, 0, 0, 0), newText: line + eol };
  if (target + 1 < lines.length || endsWithBreak) {
    return { range: range(target + 1, 0, target + 1, 0), newText: line + eol };
  }
  const last = lines[target].text.length;
  return { range: range(target, last, target, last), newText: eol + line };
}

/**
 * Splits a value into character-strings of at most `max` characters, preferring to cut
 * after a blank so no word (an SPF term, a DMARC tag) is cut in two.
 */
export function splitCharacterStrings(value: string, max = MAX_CHARACTER_STRING): string[] {
  const out: string[] = [];
  let start = 0;
  while (value.length - start > max) {
    let cut = value.lastIndexOf(' ', start + max - 1) + 1;
    if (cut <= start) cut = start + max;
    out.push(value.slice(start, cut));
    start = cut;
  }
  out.push(value.slice(start));
  return out;
}

/**
 * TXT rdata in zone syntax: one quoted string when the value fits, otherwise quoted strings
 * of at most 255 characters inside parentheses, one per line (as opendkim-genkey writes).
 */
export function txtRdataText(value: string): string {
  const parts = splitCharacterStrings(value).map((p) => '"' + escapeForQuotes(p) + '"');
  return parts.length === 1 ? parts[0] : `( ${parts.join('\n\t  ')} )`;
}

/**
 * The edit that replaces the value of an existing TXT record at `absoluteOwner` (the first,
 * in the workspace's zones, whose value `matches`: an SPF or DMARC record), keeping its
 * owner, TTL, class, parentheses and comments; undefined when there is none. Publishing a
 * second SPF or DMARC record beside the old one would void both, so callers try this before
 * zoneRecordInsertion.
 */
export function zoneTxtReplacement(workspace: Workspace, absoluteOwner: string, matches: (value: string) => boolean, value: string): (TextEdit & { uri: string }) | undefined {
  const key = nameKey(absolute(absoluteOwner));
  for (const zone of zonesHolding(workspace, key)) {
    for (const rr of zone.byName.get(key) ?? []) {
      const r = rr.record;
      if (r.typeCode !== TXT || r.rdataCount === 0 || !matches(txtValue(r))) continue;
      return txtValueReplacement(rr, value);
    }
  }
  return undefined;
}

/**
 * The edit that gives one TXT record of a zone a new value, keeping its owner, TTL, class,
 * parentheses and comments; strings of at most 255 characters, one per line when several.
 */
export function txtValueReplacement(rr: ZoneRR, value: string): TextEdit & { uri: string } {
  const r = rr.record;
  const first = r.rdataToken(0);
  const last = r.rdataToken(r.rdataCount - 1);
  const text = rr.file.doc.analysis.text;
  const typeEnd = r.tokenOffset(r.typeIndex) + r.tokenLength(r.typeIndex);
  const parenthesised = text.slice(typeEnd, r.tokenOffset(r.rdataStart)).includes('(');
  const parts = splitCharacterStrings(value).map((p) => '"' + escapeForQuotes(p) + '"');
  const eol = lineEnding(text);
  const newText = parenthesised ? parts.join(`${eol}	  `) : parts.length === 1 ? parts[0] : `( ${parts.join(`${eol}	  `)} )`;
  return { uri: rr.file.doc.uri, range: range(first.line, first.start, last.line, last.end), newText };
}

/**
 * The edit that increases the SOA serial of the zone `zoneUri` belongs to by one, so
 * secondaries transfer the change (and `rndc reload` is not ignored by them); undefined
 * when the zone's SOA is not in the workspace or its serial is not a plain number.
 */
export function soaSerialBump(workspace: Workspace, zoneUri: string): (TextEdit & { uri: string }) | undefined {
  const doc = workspace.get(zoneUri);
  if (!doc || !zoneTree(doc)) return undefined;
  const data = zoneDataOf(doc, workspace);
  const soa = data.soas.find((s) => s.key === data.apexKey) ?? data.soas[0];
  if (!soa) return undefined;
  const r = soa.record;
  if (r.typeCode !== SOA || r.rdataCount < 3) return undefined;
  const serialIndex = r.rdataStart + 2;
  const text = r.tokenText(serialIndex);
  if (!/^[0-9]{1,10}$/.test(text)) return undefined;
  const serial = Number(text);
  if (serial >= 4294967295) return undefined;
  return { uri: soa.file.doc.uri, range: r.tokenRangeAt(serialIndex), newText: String(serial + 1) };
}
