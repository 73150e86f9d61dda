// Helpers for the tag-list record tests (DKIM, DMARC, MTA-STS, TLS-RPT): RecordTexts
// built from a plain string (identity mapping) or from several quoted strings (with
// breaks), and compact assertions that show the exact text under each finding.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding, Range } from '../../../server/src/core/types';
import type { RecordText } from '../../../server/src/core/records/recordText';
import { recordTextFromPresentation, recordTextFromString } from '../../../server/src/core/records/tags/recordTexts';
import { splitLines } from '../../../server/src/core/text/lines';

export const REPO = path.resolve(__dirname, '../../..');
export const SAMPLES = path.join(REPO, 'samples');

/** A record and the document it sits in, so a finding's range can be shown as text. */
export interface Placed {
  rec: RecordText;
  doc: string;
}

/** The value itself on line 0, column 0 (offset i is column i). */
export function plain(value: string, owner?: string): Placed {
  return { rec: recordTextFromString(value, owner === undefined ? {} : { owner }), doc: value };
}

/** Several character-strings written `"a" "b"` on one line, joined as receivers join them. */
export function strings(parts: string[], owner?: string): Placed {
  const doc = parts.map((p) => '"' + p.replace(/[\\"]/g, (c) => '\\' + c) + '"').join(' ');
  return { rec: recordTextFromPresentation(doc, owner === undefined ? {} : { owner }), doc };
}

/** Text in presentation format (zone file or dig), as written. */
export function presentation(doc: string, owner?: string): Placed {
  return { rec: recordTextFromPresentation(doc, owner === undefined ? {} : { owner }), doc };
}

/** The document text under a range. */
export function textAt(doc: string, r: Range): string {
  const lines = splitLines(doc).map((l) => l.text);
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  const parts = [lines[r.start.line].slice(r.start.character)];
  for (let l = r.start.line + 1; l < r.end.line; l++) parts.push(lines[l]);
  parts.push(lines[r.end.line].slice(0, r.end.character));
  return parts.join('\n');
}

/** `code[severity]: text under the squiggle` for each finding, in order. */
export function marks(p: Placed, findings: Finding[]): string[] {
  return findings.map((f) => `${f.code}[${f.severity}]: ${textAt(p.doc, f.range)}`);
}

export function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code);
}

export function only(findings: Finding[], code: string): Finding {
  const hits = findings.filter((f) => f.code === code);
  if (hits.length !== 1) throw new Error(`expected one ${code}, got ${JSON.stringify(codes(findings))}`);
  return hits[0];
}

/** Applies a finding's fix edits (single-line edits in `doc`), for fix tests. */
export function applyFix(doc: string, f: Finding, index = 0): string {
  const fix = f.fixes?.[index];
  if (!fix) throw new Error(`${f.code} has no fix ${index}`);
  const lines = splitLines(doc).map((l) => l.text);
  const edits = [...fix.edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
  for (const e of edits) {
    if (e.range.start.line !== e.range.end.line) throw new Error('multi-line edit');
    const l = lines[e.range.start.line];
    lines[e.range.start.line] = l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
  }
  return lines.join('\n');
}

/** A TXT record of a sample zone: owner (absolute, from $ORIGIN) and its strings as written. */
export function sampleRecord(relativePath: string, ownerStartsWith: string): Placed & { line: number } {
  const text = fs.readFileSync(path.join(SAMPLES, relativePath), 'utf8');
  const lines = text.split('\n');
  let origin = '';
  for (let i = 0; i < lines.length; i++) {
    const m = /^\$ORIGIN\s+(\S+)/.exec(lines[i]);
    if (m) origin = m[1].replace(/\.$/, '');
    if (!lines[i].toLowerCase().startsWith(ownerStartsWith.toLowerCase())) continue;
    const owner = lines[i].split(/\s/)[0];
    const absolute = owner.endsWith('.') ? owner.slice(0, -1) : owner === '@' ? origin : origin ? `${owner}.${origin}` : owner;
    const at = lines[i].search(/\sTXT\s/) + 5;
    // The record may continue in parentheses over the next lines.
    let doc = lines[i].slice(at);
    let j = i;
    if (doc.includes('(')) while (!lines[j].includes(')')) doc += '\n' + lines[++j];
    return { rec: recordTextFromPresentation(doc, { owner: absolute, line: i, character: at }), doc: text, line: i };
  }
  throw new Error(`no record ${ownerStartsWith} in ${relativePath}`);
}
