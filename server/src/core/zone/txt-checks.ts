// Syntax-level traps of TXT/SPF records that the blog posts show again and again:
//  - unquoted words: `TXT v=spf1 a mx ?all` stores four strings, which SPF readers glue
//    together without spaces (`v=spf1amx?all`);
//  - an unquoted `;`: `TXT v=DKIM1; p=MIGf…` — the `;` starts a comment, the key is lost;
//  - a character-string over 255 bytes, which BIND, NSD and Knot refuse.
// What the strings mean (SPF mechanisms, DKIM tags) is checked by the records layer.

import type { Finding, Fix } from '../types';
import { range } from '../types';
import type { ZoneRecord, ZoneToken } from './tree';
import { F_QUOTED, F_UNTERMINATED, spanRange, tokenRange } from './tree';
import { MAX_CHARACTER_STRING, quoteAsCharacterStrings } from './strings';
import { valueByteLength } from './escapes';

/** Record-type tags that make a TXT value a mail policy whose words must stay together. */
function looksLikePolicy(value: string): boolean {
  const head = value.slice(0, 12).toLowerCase();
  return head.startsWith('v=spf1') || head.startsWith('v=dkim1') || head.startsWith('v=dmarc1') ||
    head.startsWith('v=stsv1') || head.startsWith('v=tlsrptv1') || head.startsWith('v=bimi1') ||
    head.startsWith('k=rsa') || head.startsWith('k=ed25519') || head.startsWith('p=');
}

/** `tag=` right after the `;` (blanks allowed): the comment is really the rest of a value. */
function commentLooksLikeValue(comment: string): boolean {
  let i = 1;
  while (i < comment.length && (comment.charCodeAt(i) === 32 || comment.charCodeAt(i) === 9)) i++;
  const tagStart = i;
  while (i < comment.length) {
    const c = comment.charCodeAt(i) | 0x20;
    if ((c >= 97 && c <= 122) || (comment.charCodeAt(i) >= 48 && comment.charCodeAt(i) <= 57) || comment.charCodeAt(i) === 95) i++;
    else break;
  }
  return i > tagStart && i < comment.length && comment.charCodeAt(i) === 61; // '='
}

function shorten(s: string, max = 40): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** Records with more words than this get findings but no quick fix (nor a full preview). */
const FIX_LIMIT = 2048;

/** The values of tokens [from, to) joined by `sep`, stopping once `max` characters are reached. */
function joinValues(record: ZoneRecord, from: number, to: number, sep: string, max = Infinity): string {
  let out = '';
  for (let i = from; i < to && out.length <= max; i++) out += (i > from ? sep : '') + record.token(i).value;
  return out;
}

export function checkTxtRecord(record: ZoneRecord, gluedCommentIndex: number, out: Finding[]): void {
  // A first pass over the packed tokens: most TXT records are quoted strings of fine length,
  // and then nothing needs to be built.
  const from = record.rdataStart;
  const to = record.tokenCount;
  const count = to - from;
  const text = record.src.text;
  let unquoted = 0;
  let firstUnquoted = -1;
  let lastUnquoted = -1;
  for (let i = from; i < to; i++) {
    const flags = record.tokenFlags(i);
    if (!(flags & F_QUOTED)) {
      unquoted++;
      if (firstUnquoted < 0) firstUnquoted = i;
      lastUnquoted = i;
    }
    const length = record.tokenLength(i);
    if (length > MAX_CHARACTER_STRING / 4) {
      const offset = record.tokenOffset(i);
      const bytes = flags & F_QUOTED
        ? valueByteLength(text, offset + 1, offset + length - (flags & F_UNTERMINATED ? 0 : 1))
        : valueByteLength(text, offset, offset + length);
      if (bytes > MAX_CHARACTER_STRING) out.push(tooLong(record.token(i), bytes));
    }
  }
  if (unquoted === 0) return;
  const allUnquoted = unquoted === count;
  const first = record.token(from);
  const last = count > 1 ? record.token(to - 1) : first;
  const fixable = allUnquoted && count <= FIX_LIMIT;

  if (count >= 2) {
    const joined = joinValues(record, from, to, '', 50);
    const fixes: Fix[] = [];
    if (fixable && first.line === last.line) {
      fixes.push({
        title: 'Put the TXT value in double quotes',
        preferred: true,
        edits: [{ range: spanRange(first, last), newText: quoteAsCharacterStrings(joinValues(record, from, to, ' ')) }],
      });
    }
    out.push({
      range: spanRange(record.token(firstUnquoted), record.token(lastUnquoted)),
      severity: looksLikePolicy(joined) ? 'warning' : 'information',
      code: 'zone/unquoted-txt',
      message: `This TXT value is not in double quotes, so each of its ${count} words is stored as a separate character-string. SPF, DKIM and DMARC readers join the strings without spaces and see "${shorten(joined)}". Put the whole value in double quotes.`,
      fixes,
    });
  }

  if (record.commentCount === 0) return;
  for (let ci = 0; ci < record.commentCount; ci++) {
    const comment = record.token(to + ci);
    if (ci !== gluedCommentIndex && !commentLooksLikeValue(comment.text)) continue;
    const fixes: Fix[] = [];
    if (fixable && first.line === comment.line && record.firstLine === record.lastLine) {
      const gap = ci === gluedCommentIndex ? '' : ' ';
      fixes.push({
        title: 'Put the TXT value, including the part after ";", in double quotes',
        preferred: true,
        edits: [{ range: range(first.line, first.start, comment.line, comment.end), newText: quoteAsCharacterStrings(joinValues(record, from, to, ' ') + gap + comment.text) }],
      });
    }
    out.push({
      range: tokenRange(comment),
      severity: 'warning',
      code: 'zone/txt-semicolon-comment',
      message: `Outside double quotes \`;\` starts a comment, so "${shorten(comment.text)}" is not part of this TXT record: DNS will publish only "${shorten(joinValues(record, from, to, '', 50))}". Put the whole value in double quotes (inside quotes \`;\` is an ordinary character).`,
      fixes,
    });
    return; // one finding per record: the first lost part is the one that matters
  }
}

function tooLong(tok: ZoneToken, bytes: number): Finding {
  const fixes: Fix[] = [];
  // Splitting is safe to offer when the string has no escapes and is plain ASCII.
  if (tok.value.length === bytes && (tok.quoted ? tok.text.length === tok.value.length + 2 && tok.text.endsWith('"') : tok.text === tok.value)) {
    fixes.push({
      title: 'Split into strings of at most 255 bytes',
      preferred: true,
      edits: [{ range: tokenRange(tok), newText: quoteAsCharacterStrings(tok.value) }],
    });
  }
  return {
    range: tokenRange(tok),
    severity: 'warning',
    code: 'zone/txt-string-too-long',
    message: `This string is ${bytes} bytes long; a DNS character-string holds at most 255. BIND, NSD and Knot refuse to load the zone (gdnsd and some DNS providers split it silently). Split the value into several quoted strings of at most 255 bytes, "…" "…": SPF and DKIM readers join them again.`,
    fixes,
  };
}
