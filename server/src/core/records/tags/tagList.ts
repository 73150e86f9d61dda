// The `tag=value; tag=value` lists of RFC 6376 §3.2, which DKIM key records, DMARC,
// MTA-STS and TLS-RPT records all use (the last two with a stricter grammar that their
// checkers enforce on top). One linear scan by char codes; never throws. Offsets are
// UTF-16 offsets into the (already unescaped) record value, so checkers can map them to
// document ranges with RecordText.rangeOf.
//
//   tag-list  = tag-spec *( ";" tag-spec ) [ ";" ]
//   tag-spec  = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
//   tag-name  = ALPHA *( ALPHA / DIGIT / "_" )
//   tag-value = [ tval *( 1*(WSP / FWS) tval ) ]     tval = 1*( %x21-3A / %x3C-7E )

export interface Tag {
  /** As written (case preserved). */
  name: string;
  /** Without surrounding whitespace (and without a stray backslash before `;`, see TagProblem). */
  value: string;
  /** Offset of the name's first character. */
  start: number;
  nameEnd: number;
  /** Offset of the `=`. */
  equals: number;
  valueStart: number;
  /** After the value's last non-blank character (== valueStart for an empty value). */
  valueEnd: number;
  /** Offset of the `;` that ends this tag-spec, -1 for the last one without it. */
  separator: number;
  /** No whitespace between name, `=` and value (the MTA-STS and TLS-RPT grammars require it). */
  tight: boolean;
}

export type TagProblemKind =
  /** `;;`, or a `;` with only blanks before it: a tag-spec without a tag. */
  | 'empty-tag'
  /** A part between two `;` without `=`. */
  | 'missing-equals'
  /** The name is not ALPHA *(ALPHA / DIGIT / "_"). */
  | 'bad-name'
  /** A character that no tag value may contain (control characters, non-ASCII, bare CR/LF). */
  | 'bad-character'
  /** A name seen before in the same list. */
  | 'duplicate'
  /** A value ending in `\` right before `;`: dig's `\;` escaping made it into the record. */
  | 'backslash-separator';

export interface TagProblem {
  kind: TagProblemKind;
  /** Offsets in the value of the offending text. */
  start: number;
  end: number;
  /** The tag concerned, when there is one. */
  name?: string;
  /** For 'duplicate': the earlier tag of that name. */
  first?: Tag;
}

export interface TagList {
  /** Every well-formed tag-spec in order, duplicates included. */
  tags: Tag[];
  problems: TagProblem[];
  /** The first tag of this name (compared as the list's options say). */
  get(name: string): Tag | undefined;
}

export interface TagListOptions {
  /** DMARC compares tag names case-insensitively; DKIM, MTA-STS and TLS-RPT do not. */
  caseInsensitiveNames?: boolean;
}

const SPACE = 32, TAB = 9, CR = 13, LF = 10, SEMICOLON = 59, EQUALS = 61, BACKSLASH = 92;

/** Length of the blank at `i`: 1 for SP/HTAB, 3 for a folded CRLF+WSP, 0 otherwise. */
function blankAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === SPACE || c === TAB) return 1;
  if (c === CR && s.charCodeAt(i + 1) === LF) {
    const d = s.charCodeAt(i + 2);
    if (d === SPACE || d === TAB) return 3;
  }
  return 0;
}

function skipBlanks(s: string, i: number): number {
  for (;;) {
    const b = blankAt(s, i);
    if (b === 0) return i;
    i += b;
  }
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isValidName(s: string, start: number, end: number): boolean {
  if (end <= start || !isAlpha(s.charCodeAt(start))) return false;
  for (let i = start + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isAlpha(c) && !(c >= 48 && c <= 57) && c !== 95) return false;
  }
  return true;
}

/** Splits a record value into tags. Never throws; problems describe what is malformed. */
export function parseTagList(text: string, options: TagListOptions = {}): TagList {
  const fold = options.caseInsensitiveNames === true;
  const tags: Tag[] = [];
  const problems: TagProblem[] = [];
  const firstByName = new Map<string, Tag>();
  const n = text.length;
  let i = 0;
  for (;;) {
    i = skipBlanks(text, i);
    if (i >= n) break;
    if (text.charCodeAt(i) === SEMICOLON) {
      problems.push({ kind: 'empty-tag', start: i, end: i + 1 });
      i++;
      continue;
    }
    const start = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === EQUALS || c === SEMICOLON || blankAt(text, i) > 0) break;
      i++;
    }
    const nameEnd = i;
    const equals = skipBlanks(text, i);
    if (equals >= n || text.charCodeAt(equals) !== EQUALS) {
      // Not `name=value`: report the whole part up to the next `;`.
      let semi = text.indexOf(';', equals);
      if (semi < 0) semi = n;
      problems.push({ kind: 'missing-equals', start, end: trimBlanksEnd(text, start, semi), name: text.slice(start, nameEnd) });
      i = semi < n ? semi + 1 : n;
      continue;
    }
    const valueStart = skipBlanks(text, equals + 1);
    let valueEnd = valueStart;
    let badChar = -1;
    let j = valueStart;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === SEMICOLON) break;
      const blank = blankAt(text, j);
      if (blank > 0) { j += blank; continue; }
      if ((c < 0x21 || c > 0x7e) && badChar < 0) badChar = j;
      j++;
      valueEnd = j;
    }
    const separator = j < n ? j : -1;
    const name = text.slice(start, nameEnd);
    if (!isValidName(text, start, nameEnd)) {
      problems.push({ kind: 'bad-name', start, end: nameEnd > start ? nameEnd : equals + 1, name });
    }
    if (badChar >= 0) {
      const width = text.codePointAt(badChar)! > 0xffff ? 2 : 1;
      problems.push({ kind: 'bad-character', start: badChar, end: badChar + width, name });
    }
    if (separator === valueEnd && valueEnd > valueStart && text.charCodeAt(valueEnd - 1) === BACKSLASH) {
      problems.push({ kind: 'backslash-separator', start: valueEnd - 1, end: valueEnd, name });
      valueEnd = trimBlanksEnd(text, valueStart, valueEnd - 1);
    }
    const tag: Tag = {
      name, value: text.slice(valueStart, valueEnd), start, nameEnd, equals, valueStart, valueEnd, separator,
      tight: nameEnd === equals && valueStart === equals + 1,
    };
    const key = fold ? name.toLowerCase() : name;
    const first = firstByName.get(key);
    if (first) problems.push({ kind: 'duplicate', start, end: nameEnd, name, first });
    else firstByName.set(key, tag);
    tags.push(tag);
    i = separator < 0 ? n : separator + 1;
  }
  return {
    tags,
    problems,
    get: (name) => firstByName.get(fold ? name.toLowerCase() : name),
  };
}

/** The end of text[start, end) without trailing blanks. */
function trimBlanksEnd(text: string, start: number, end: number): number {
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c === SPACE || c === TAB || c === CR || c === LF) end--;
    else break;
  }
  return end;
}

/** The tag whose text (name to separator) contains the offset; for hovers and completion. */
export function tagAtOffset(list: TagList, offset: number): Tag | undefined {
  for (const t of list.tags) {
    const end = t.separator >= 0 ? t.separator : t.valueEnd;
    if (offset >= t.start && offset <= end) return t;
  }
  return undefined;
}

/**
 * The parts of a `:`- or `,`-separated value with their offsets in the record value,
 * blanks around each part removed (DKIM `h=sha1:sha256`, DMARC `fo=0:d`, `rua=a,b`).
 */
export function splitValue(tag: Tag, separator: string): Array<{ text: string; start: number; end: number }> {
  const out: Array<{ text: string; start: number; end: number }> = [];
  const v = tag.value;
  let from = 0;
  for (;;) {
    const at = v.indexOf(separator, from);
    const to = at < 0 ? v.length : at;
    let s = from, e = to;
    while (s < e && isBlankCode(v.charCodeAt(s))) s++;
    while (e > s && isBlankCode(v.charCodeAt(e - 1))) e--;
    out.push({ text: v.slice(s, e), start: tag.valueStart + s, end: tag.valueStart + e });
    if (at < 0) return out;
    from = at + separator.length;
  }
}

function isBlankCode(c: number): boolean {
  return c === SPACE || c === TAB || c === CR || c === LF;
}
