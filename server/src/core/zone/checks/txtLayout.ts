// Writing a TXT value back into a zone file: as opendkim-genkey writes a DKIM key record (the
// tags before the key in one string, the key in strings of at most 255 bytes, one per line,
// inside parentheses), and adapting the record checkers' quick-fixes, which edit the joined
// value, to the quoting of the zone file.

import type { Finding, Fix, TextEdit } from '../../types';
import { comparePositions } from '../../types';
import type { ZoneRecord } from '../tree';
import { escapeForQuotes, MAX_CHARACTER_STRING } from '../strings';
import type { ZoneRecordText } from './recordText';

/** Splits at most `max` UTF-16 units per piece (DKIM/SPF values are ASCII: units are bytes). */
function chunks(value: string, max: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i += max) out.push(value.slice(i, i + max));
  return out;
}

/** The character-strings of a DKIM key record: the tags before `p=`, then the key in 255-byte pieces. */
export function dkimStrings(value: string): string[] {
  const m = /(^|;)[ \t]*p[ \t]*=/.exec(value);
  if (!m) return chunks(value, MAX_CHARACTER_STRING);
  const pStart = m.index + m[0].lastIndexOf('p');
  const head = value.slice(0, pStart);
  return [...(head.trim() ? chunks(head, MAX_CHARACTER_STRING) : []), ...chunks(value.slice(pStart), MAX_CHARACTER_STRING)];
}

/**
 * The strings quoted, one per line: `"…"\n<indent>"…"`; wrapped in `( … )` unless the
 * record already has its parentheses.
 */
export function layoutStrings(strings: string[], indent: string, parenthesize: boolean): string {
  const quoted = strings.map((s) => '"' + escapeForQuotes(s) + '"');
  const body = quoted.join('\n' + indent);
  return parenthesize ? '( ' + body + ' )' : body;
}

/** True when the record's rdata is inside parentheses (a `(` between the type and the first string). */
export function rdataInParentheses(record: ZoneRecord): boolean {
  if (record.typeIndex < 0 || record.rdataCount === 0) return false;
  const from = record.tokenOffset(record.typeIndex) + record.tokenLength(record.typeIndex);
  const to = record.tokenOffset(record.rdataStart);
  return record.src.text.slice(from, to).includes('(');
}

/** Blanks that line continuation strings up under the first string (tabs kept, so editors agree). */
export function indentUnder(record: ZoneRecord, column: number, parenthesize: boolean): string {
  const lineStart = record.startOffset;
  const prefix = record.src.text.slice(lineStart, lineStart + column);
  return prefix.replace(/[^\t]/g, ' ') + (parenthesize ? '  ' : '');
}

/**
 * A record checker's fixes made safe for the zone file. Their edits replace parts of the
 * joined value at rangeOf() positions: inside one quoted string the new text needs `"` and
 * `\` escaped; inside an unquoted word a blank would split the word into two strings, and
 * an edit across strings would cut quotes: such fixes are dropped (the quoting fix comes first).
 */
export function adaptFixes(findings: Finding[], rt: ZoneRecordText): Finding[] {
  for (const f of findings) {
    if (!f.fixes) continue;
    const kept: Fix[] = [];
    for (const fix of f.fixes) {
      const edits: TextEdit[] = [];
      let ok = true;
      for (const e of fix.edits) {
        if (e.uri !== undefined) { edits.push(e); continue; }
        const tokenIndex = rt.strings.findIndex((t) => t.line === e.range.start.line && t.line === e.range.end.line &&
          e.range.start.character >= t.start && e.range.end.character <= t.end);
        const t = tokenIndex >= 0 ? rt.strings[tokenIndex] : undefined;
        if (!t) {
          // Outside the strings (a whole-record edit the checker built itself): keep as is.
          if (!rt.strings.some((s) => overlaps(e.range, s))) { edits.push(e); continue; }
          ok = false;
          break;
        }
        if (t.quoted) {
          // Not over the quotes themselves.
          if (e.range.start.character === t.start || (e.range.end.character === t.end && t.text.endsWith('"') && t.text.length > 1)) { ok = false; break; }
          edits.push({ range: e.range, newText: escapeForQuotes(e.newText) });
        } else {
          if (/[\s"();\\]/.test(e.newText)) { ok = false; break; }
          edits.push(e);
        }
      }
      if (ok && edits.length) kept.push({ ...fix, edits });
    }
    f.fixes = kept.length ? kept : undefined;
    if (!f.fixes) delete f.fixes;
  }
  return findings;
}

function overlaps(r: { start: { line: number; character: number }; end: { line: number; character: number } }, t: { line: number; start: number; end: number }): boolean {
  const ts = { line: t.line, character: t.start };
  const te = { line: t.line, character: t.end };
  return comparePositions(r.start, te) < 0 && comparePositions(ts, r.end) < 0;
}
