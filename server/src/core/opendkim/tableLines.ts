// The line format shared by KeyTable, SigningTable and the host lists when they are flat
// files (file: and refile: datasets, opendkim-db.c): a line is read with a 1024-byte
// buffer, cut at the first `#`, stripped of surrounding white space; the key is the first
// run of non-white-space characters and the value is everything after the gap that
// follows it (inner blanks kept). Each kind's parser gets the key and value spans here.

import { splitLines } from '../text/lines';
import type { Comment } from './tree';
import type { CharCheckOptions, SpanMapper } from './scan';
import {
  FindingList, checkByteOrderMark, checkCarriageReturns, checkCharacters, hasTemplatePlaceholder, isCSpace,
  lineSpan, tokenOf,
} from './scan';

/** OpenDKIM reads table lines with fgets(…, 1024): 1023 bytes including the newline. */
export const MAX_TABLE_LINE_BYTES = 1022;

export interface TableLine {
  line: number;
  text: string;
  map: SpanMapper;
  keyStart: number;
  keyEnd: number;
  /** -1 when the line holds a key alone. */
  valueStart: number;
  valueEnd: number;
  hasNbsp: boolean;
  hasTypographicQuotes: boolean;
  /** The line holds a template placeholder such as `{{ host }}`, which may itself contain blanks. */
  hasTemplate: boolean;
}

export interface ScannedTable {
  comments: Comment[];
  lineCount: number;
}

const CHAR_CHECKS: CharCheckOptions = {
  controlConsequence: 'OpenDKIM reads table lines as C strings: a NUL ends the line there, and other control characters become part of the key or value.',
  nbspConsequence: 'OpenDKIM splits key and value only at ASCII white space, so the non-breaking space becomes part of the key or value, which then never matches.',
  quoteConsequence: 'OpenDKIM takes table entries literally, so the quote characters become part of the key or value and it never matches. Remove them.',
  quoteFix: 'remove',
};

/** Calls `onLine` for every line that holds an entry; collects comments and line-level findings. */
export function scanTable(text: string, out: FindingList, onLine: (tl: TableLine) => void): ScannedTable {
  const lines = splitLines(text);
  const result: ScannedTable = { comments: [], lineCount: lines.length };
  const bom = checkByteOrderMark(text, 'warning',
    'OpenDKIM reads it as part of the first entry, which then never matches (or, before a comment, adds a junk entry).', out);
  checkCarriageReturns(text, lines, false, out);

  for (const ln of lines) {
    const t = ln.text;
    const map = lineSpan(ln.line);
    const from = ln.line === 0 && bom ? 1 : 0;
    checkLineLength(t, map, out);
    const hash = t.indexOf('#', from);
    const end = hash >= 0 ? hash : t.length;
    let s = from;
    while (s < end && isCSpace(t.charCodeAt(s))) s++;
    if (hash >= 0) result.comments.push({ ...tokenOf(t, hash, t.length, map), wholeLine: s === hash });
    if (s >= end) continue;

    let e = end;
    while (e > s && isCSpace(t.charCodeAt(e - 1))) e--;
    const chars = checkCharacters(t, s, e, map, CHAR_CHECKS, out);
    let keyEnd = s;
    while (keyEnd < e && !isCSpace(t.charCodeAt(keyEnd))) keyEnd++;
    let vs = keyEnd;
    while (vs < e && isCSpace(t.charCodeAt(vs))) vs++;
    onLine({
      line: ln.line, text: t, map, keyStart: s, keyEnd,
      valueStart: vs < e ? vs : -1, valueEnd: vs < e ? e : -1,
      hasNbsp: chars.hasNbsp, hasTypographicQuotes: chars.hasTypographicQuotes,
      hasTemplate: hasTemplatePlaceholder(t.slice(s, e)),
    });
  }
  return result;
}

/** Lines longer than OpenDKIM's buffer are split in two, and the rest becomes a junk entry. */
function checkLineLength(t: string, map: SpanMapper, out: FindingList): void {
  if (t.length <= MAX_TABLE_LINE_BYTES / 3) return; // cannot exceed the byte limit
  let bytes = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 4 : c >= 0xdc00 && c < 0xe000 ? 0 : 3;
    if (bytes > MAX_TABLE_LINE_BYTES) {
      out.addCapped({
        range: map(i, t.length),
        severity: 'error',
        code: 'opendkim/table-line-too-long',
        message: `This line is longer than ${MAX_TABLE_LINE_BYTES} bytes. OpenDKIM reads table lines into a 1024-byte buffer, so it cuts the line here and reads the rest as a separate entry. Shorten the line (for a key, name a key file instead of writing the key inline).`,
      });
      return;
    }
  }
}
