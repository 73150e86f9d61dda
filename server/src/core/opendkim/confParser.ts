// opendkim.conf (and opendmarc.conf, which shares the format), read as OpenDKIM 2.11's
// config.c reads it: a line is cut at the first `#` wherever it stands (there is no
// escaping), the name is the first run of non-blanks (blank = space or tab), the value is
// the rest with surrounding blanks removed, and a name without a value is rejected
// ("required value missing"). There are no quotes and no continuation lines.

import type { ParseResult } from '../language';
import { range } from '../types';
import { splitLines } from '../text/lines';
import type { Comment, ConfOption, ConfTree, Token } from './tree';
import {
  FindingList, checkByteOrderMark, checkCarriageReturns, checkCharacters, isBlank, lineSpan,
  replaceFix, tokenOf,
} from './scan';
import type { CharCheckOptions, SpanMapper } from './scan';
import { DATASET_OPTIONS, parseDataset } from './datasetSpec';
import { parseSocketSpec } from './socketSpec';
import { parseHostEntry } from './hostListParser';

/** Values never need more words than this; the cap keeps a 10 MB junk line cheap. */
export const MAX_VALUE_WORDS = 1000;

const CHAR_CHECKS: CharCheckOptions = {
  controlConsequence: 'OpenDKIM reads each line as a C string: a NUL ends the line there, and other control characters become part of the name or value.',
  nbspConsequence: 'OpenDKIM separates name and value only at spaces and tabs, so the non-breaking space becomes part of the word and the option is not recognised (or its value is wrong).',
  quoteConsequence: 'OpenDKIM takes values literally and never removes quotes, so these characters become part of the value and the path, socket or name is wrong. Remove them.',
  quoteFix: 'remove',
};

export function parseConf(text: string): ParseResult<ConfTree> {
  const out = new FindingList();
  const lines = splitLines(text);
  const tree: ConfTree = { kind: 'opendkim-conf', options: [], comments: [], lineCount: lines.length };
  const bom = checkByteOrderMark(text, 'error',
    'OpenDKIM reads it as part of the first line, so it stops with "unrecognized parameter".', out);
  checkCarriageReturns(text, lines, false, out);

  for (const ln of lines) {
    parseLine(ln.text, ln.line, ln.line === 0 && bom ? 1 : 0, tree, out);
  }
  return { tree, findings: out.items };
}

function parseLine(text: string, line: number, from: number, tree: ConfTree, out: FindingList): void {
  const map = lineSpan(line);
  const hash = text.indexOf('#', from);
  const end = hash >= 0 ? hash : text.length;
  let s = from;
  while (s < end && isBlank(text.charCodeAt(s))) s++;

  let comment: Comment | undefined;
  if (hash >= 0) {
    comment = { ...tokenOf(text, hash, text.length, map), wholeLine: s === hash };
    tree.comments.push(comment);
  }
  if (s >= end) return; // blank or comment line

  const chars = checkCharacters(text, s, end, map, CHAR_CHECKS, out);

  let nameEnd = s;
  while (nameEnd < end && !isBlank(text.charCodeAt(nameEnd))) nameEnd++;
  let vs = nameEnd;
  while (vs < end && isBlank(text.charCodeAt(vs))) vs++;
  let ve = end;
  while (ve > vs && isBlank(text.charCodeAt(ve - 1))) ve--;

  const name = tokenOf(text, s, nameEnd, map);
  const option: ConfOption = { line, name, words: [], range: map(s, ve > vs ? ve : nameEnd) };
  if (ve > vs) {
    option.value = tokenOf(text, vs, ve, map);
    option.words = splitWords(text, vs, ve, map);
  }
  if (comment && !comment.wholeLine) option.comment = comment;
  tree.options.push(option);

  if (checkEqualsSign(text, option, s, vs, ve, map, out)) return;

  if (!option.value) {
    // Lines such as "Socket" alone; a non-breaking space glued to the name is reported already.
    if (!chars.hasNbsp) {
      out.error(name.range, 'opendkim/missing-value',
        hash >= 0
          ? `"${name.text}" has no value before the "#". OpenDKIM treats "#" as the start of a comment anywhere on a line, so it sees no value and refuses the file ("required value missing").`
          : `"${name.text}" has no value. OpenDKIM refuses a configuration with a name alone ("required value missing"); give a value or comment the line out with "#".`);
    }
    return;
  }

  if (hash >= 0 && hash === ve) {
    // "LDAPBindPassword abc#123": the '#' looks like part of the value but starts a comment.
    out.warning(map(hash, text.length), 'opendkim/hash-in-value',
      `OpenDKIM starts a comment at every "#", even inside a value, so the value of ${name.text} ends at "${text.slice(Math.max(vs, ve - 20), ve)}". If the "#" belongs to the value, OpenDKIM cannot express it here; otherwise put a blank before the comment.`);
  }

  const quoted = checkQuotedValue(option, line, vs, out);
  const valueIsClean = !quoted && !chars.hasTypographicQuotes && !chars.hasNbsp;
  const key = name.text.toLowerCase();
  const value = option.value;
  const valueMap = lineSpan(line, vs);
  const report = valueIsClean ? out : undefined;
  if (DATASET_OPTIONS.has(key)) {
    option.dataset = parseDataset(value.text, valueMap, report);
    if (HOST_LIST_OPTIONS.has(key) && option.dataset.items) {
      // Inline entries are matched exactly like a host-list file's lines.
      option.hosts = option.dataset.items.map((item) => {
        const start = item.range.start.character - vs;
        return parseHostEntry(value.text, start, start + item.text.length, line, valueMap, report);
      });
    }
  } else if (key === 'socket') {
    option.socket = parseSocketSpec(value.text, valueMap, report);
  }
}

/** Dataset options whose entries are host names and addresses (PeerList's form). */
const HOST_LIST_OPTIONS: ReadonlySet<string> = new Set(['internalhosts', 'externalignorelist', 'peerlist']);

function splitWords(text: string, start: number, end: number, map: SpanMapper): Token[] {
  const words: Token[] = [];
  let i = start;
  while (i < end && words.length < MAX_VALUE_WORDS) {
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    if (i >= end) break;
    const ws = i;
    while (i < end && !isBlank(text.charCodeAt(i))) i++;
    words.push(tokenOf(text, ws, i, map));
  }
  return words;
}

/**
 * `Socket=inet:8891`, `Socket= inet:8891`, `Socket = inet:8891`: Postfix and shell habits.
 * OpenDKIM has no "=", so the name or the value is wrong. Returns true when reported.
 */
function checkEqualsSign(
  text: string, option: ConfOption, s: number, vs: number, ve: number, map: SpanMapper, out: FindingList,
): boolean {
  const name = option.name.text;
  const eq = name.indexOf('=');
  if (eq > 0 && /^[A-Za-z][A-Za-z0-9-]*$/.test(name.slice(0, eq))) {
    const eqAt = s + eq;
    const glued = eq + 1 < name.length; // "Socket=inet:8891" rather than "Socket= inet:8891"
    const intended = `${name.slice(0, eq)} ${glued ? name.slice(eq + 1) : text.slice(vs, ve)}`;
    out.error(map(eqAt, eqAt + 1), 'opendkim/equals-sign',
      `opendkim.conf separates a name from its value with blanks, not "=". OpenDKIM reads "${name}" as the option name and does not recognise it. Write "${intended}".`,
      [replaceFix(glued ? 'Replace "=" with a blank' : 'Remove "="', map(eqAt, eqAt + 1), glued ? ' ' : '')]);
    return true;
  }
  if (option.value && option.value.text.startsWith('=')) {
    let rest = vs + 1;
    while (rest < ve && isBlank(text.charCodeAt(rest))) rest++;
    out.error(map(vs, vs + 1), 'opendkim/equals-sign',
      `opendkim.conf has no "=" between name and value, so the value of ${name} would start with "=". Remove the "=".`,
      [replaceFix('Remove "="', map(vs, rest), '')]);
    return true;
  }
  return false;
}

/**
 * `Socket "inet:8891@localhost"` (or a stray quote at one end): OpenDKIM keeps quotes as
 * part of the value, and no path, socket or name it expects contains them.
 */
function checkQuotedValue(option: ConfOption, line: number, vs: number, out: FindingList): boolean {
  const v = option.value;
  if (!v) return false;
  const t = v.text;
  const first = t[0];
  const last = t[t.length - 1];
  const opens = first === '"' || first === "'";
  const closes = last === '"' || last === "'";
  if (!opens && !closes) return false;
  if (t.length >= 2 && opens && first === last) {
    const inner = t.slice(1, -1);
    out.error(v.range, 'opendkim/quoted-value',
      `OpenDKIM does not remove quotes: the value of ${option.name.text} would be ${t} including the quote characters, which no path, socket or name contains. Write ${inner} without quotes.`,
      [replaceFix('Remove the quotes', v.range, inner)]);
    return true;
  }
  const at = opens ? 0 : t.length - 1;
  const quote = range(line, vs + at, line, vs + at + 1);
  out.error(quote, 'opendkim/quoted-value',
    `This ${opens ? first : last} becomes part of the value of ${option.name.text}: OpenDKIM has no quoting, so it keeps quote characters literally. Remove it.`,
    [replaceFix('Remove the quote', quote, '')]);
  return true;
}
