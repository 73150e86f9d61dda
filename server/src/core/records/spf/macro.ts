// SPF macro strings (RFC 7208 §7): the syntax of domain-specs and explanation texts, and
// their expansion. Parsing is separate from expansion so that the checker can underline a
// bad macro without any DNS, and the evaluator can expand a parsed string many times.

/** One piece of a macro string; offsets are into the record value. */
export type MacroPart =
  | { kind: 'literal'; text: string; start: number; end: number }
  /** `%%` → "%", `%_` → " ", `%-` → "%20". */
  | { kind: 'escape'; text: string; start: number; end: number }
  | MacroExpand;

export interface MacroExpand {
  kind: 'macro';
  /** The macro letter in lower case (s l o d i p h c r t v). */
  letter: string;
  /** Upper-case letter: the value is URL-escaped. */
  escape: boolean;
  /** How many right-hand parts to keep; undefined = all. */
  digits: number | undefined;
  reverse: boolean;
  /** The delimiters to split on ("." when none were given). */
  delimiters: string;
  start: number;
  end: number;
}

export interface MacroProblem {
  /** A character outside the allowed set, or a malformed `%` macro. */
  kind: 'character' | 'macro';
  start: number;
  end: number;
  message: string;
}

export interface MacroString {
  parts: MacroPart[];
  problems: MacroProblem[];
  /** True when at least one `%{…}` is present (the text depends on the message). */
  hasMacros: boolean;
}

const MACRO_LETTERS = 'slodiphcrtv';
/** Letters that only make sense in an explanation (the message is already rejected then). */
const EXPLANATION_ONLY = 'crt';
const DELIMITERS = '.-+,/_=';

/**
 * Parses value[start, end) as a macro-string. `explanation` allows spaces and the c/r/t
 * letters (the text of an `exp=` TXT record, RFC 7208 §6.2 and §7.1).
 */
export function parseMacroString(value: string, start: number, end: number, explanation = false): MacroString {
  const parts: MacroPart[] = [];
  const problems: MacroProblem[] = [];
  let hasMacros = false;
  let literalStart = start;
  const flushLiteral = (to: number): void => {
    if (to > literalStart) parts.push({ kind: 'literal', text: value.slice(literalStart, to), start: literalStart, end: to });
  };
  let i = start;
  while (i < end) {
    const c = value.charCodeAt(i);
    if (c !== 37 /* % */) {
      // macro-literal = %x21-24 / %x26-7E; an explanation also allows spaces.
      if (!((c >= 0x21 && c <= 0x7e) || (explanation && c === 0x20))) {
        problems.push({ kind: 'character', start: i, end: i + 1, message: describeBadChar(c) });
      }
      i++;
      continue;
    }
    flushLiteral(i);
    const next = i + 1 < end ? value.charCodeAt(i + 1) : -1;
    if (next === 37 || next === 95 || next === 45) {
      parts.push({ kind: 'escape', text: next === 37 ? '%' : next === 95 ? ' ' : '%20', start: i, end: i + 2 });
      i += 2;
      literalStart = i;
      continue;
    }
    if (next !== 123 /* { */) {
      problems.push({ kind: 'macro', start: i, end: Math.min(i + 2, end), message: 'A "%" must start a macro such as %{d}, or be written %% for a literal percent sign.' });
      i += next < 0 ? 1 : 2;
      literalStart = i;
      continue;
    }
    // Searched within [i, end) only: indexOf over the rest of the value made many unclosed macros quadratic.
    let close = i + 2;
    while (close < end && value.charCodeAt(close) !== 125 /* } */) close++;
    if (close >= end) {
      problems.push({ kind: 'macro', start: i, end, message: 'The macro is not closed with "}".' });
      i = end;
      literalStart = end;
      break;
    }
    hasMacros = true;
    const macro = parseMacroBody(value, i, close + 1, explanation, problems);
    if (macro) parts.push(macro);
    i = close + 1;
    literalStart = i;
  }
  flushLiteral(end);
  return { parts, problems, hasMacros };
}

function describeBadChar(c: number): string {
  if (c === 0x20) return 'A space cannot appear inside a term; it separates terms.';
  if (c < 0x20 || c === 0x7f) return `The control character U+${c.toString(16).padStart(4, '0').toUpperCase()} is not allowed in an SPF record.`;
  return `The character "${String.fromCharCode(c)}" is not allowed: SPF records are plain ASCII.`;
}

/** `%{` letter *DIGIT ["r"] *delimiter `}` between start and end (end after the brace). */
function parseMacroBody(value: string, start: number, end: number, explanation: boolean, problems: MacroProblem[]): MacroExpand | undefined {
  let i = start + 2;
  const inner = end - 1;
  if (i >= inner) {
    problems.push({ kind: 'macro', start, end, message: 'The macro %{} has no letter; use one of s l o d i p h v (c r t only in explanations).' });
    return undefined;
  }
  const raw = value[i];
  const letter = raw.toLowerCase();
  if (!MACRO_LETTERS.includes(letter)) {
    problems.push({ kind: 'macro', start, end, message: `"${raw}" is not a macro letter; use one of s l o d i p h v (c r t only in explanations).` });
    return undefined;
  }
  if (!explanation && EXPLANATION_ONLY.includes(letter)) {
    problems.push({ kind: 'macro', start, end, message: `The macro %{${raw}} is allowed only in an explanation (exp=) text, not in a domain name.` });
    return undefined;
  }
  i++;
  let digits: number | undefined;
  const digitStart = i;
  while (i < inner && value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) i++;
  if (i > digitStart) {
    const n = Number(value.slice(digitStart, i));
    if (n === 0) {
      problems.push({ kind: 'macro', start, end, message: 'A macro cannot keep 0 parts; the number after the letter must be 1 or more.' });
      return undefined;
    }
    digits = n;
  }
  let reverse = false;
  if (i < inner && (value[i] === 'r' || value[i] === 'R')) {
    reverse = true;
    i++;
  }
  let delimiters = '';
  for (; i < inner; i++) {
    if (!DELIMITERS.includes(value[i])) {
      problems.push({ kind: 'macro', start, end, message: `"${value[i]}" is not allowed in a macro; after the letter come digits, "r" and delimiters (. - + , / _ =).` });
      return undefined;
    }
    delimiters += value[i];
  }
  return { kind: 'macro', letter, escape: raw !== letter, digits, reverse, delimiters: delimiters || '.', start, end };
}

/** What the macro letters stand for in one evaluation. */
export interface MacroValues {
  /** s: the sender (local-part@domain). */
  sender: string;
  /** l: the sender's local-part. */
  local: string;
  /** o: the sender's domain. */
  senderDomain: string;
  /** d: the domain being checked. */
  domain: string;
  /** i: the client IP, IPv6 as dotted nibbles. */
  ipDotted: string;
  /** c: the client IP in its usual text form. */
  ipText: string;
  /** v: "in-addr" or "ip6". */
  ipVersion: string;
  /** h: the HELO/EHLO name. */
  helo: string;
  /** r: the receiving host's name. */
  receiver: string;
  /** t: seconds since the epoch. */
  timestamp: string;
  /** p: the validated domain name of the client (looked up only when used). */
  validatedName: () => Promise<string>;
}

/** The macro values with %{p} already looked up (or '' when the string does not use it). */
export type ResolvedMacroValues = Omit<MacroValues, 'validatedName'> & { validatedName: string };

/** Expands a parsed macro string (callers reject strings with problems first). */
export async function expandMacroString(macro: MacroString, values: MacroValues): Promise<string> {
  const p = usesMacroLetter(macro, 'p') ? await values.validatedName() : '';
  return expandMacroText(macro, { ...values, validatedName: p });
}

/** The same, synchronously, once %{p} is known: the evaluator's generator looks it up first. */
export function expandMacroText(macro: MacroString, values: ResolvedMacroValues): string {
  let out = '';
  for (const part of macro.parts) {
    if (part.kind !== 'macro') {
      out += part.text;
      continue;
    }
    out += transform(letterValue(part.letter, values), part);
  }
  return out;
}

/** True when the string expands `%{letter}` (lower case: s l o d i p h c r t v). */
export function usesMacroLetter(macro: MacroString, letter: string): boolean {
  return macro.parts.some((part) => part.kind === 'macro' && part.letter === letter);
}

function letterValue(letter: string, v: ResolvedMacroValues): string {
  switch (letter) {
    case 's': return v.sender;
    case 'l': return v.local;
    case 'o': return v.senderDomain;
    case 'd': return v.domain;
    case 'i': return v.ipDotted;
    case 'p': return v.validatedName;
    case 'h': return v.helo;
    case 'c': return v.ipText;
    case 'r': return v.receiver;
    case 't': return v.timestamp;
    case 'v': return v.ipVersion;
    default: return '';
  }
}

/** Splits on the delimiters, reverses, keeps the right-hand parts, joins with dots. */
function transform(text: string, m: MacroExpand): string {
  let result = text;
  if (m.reverse || m.digits !== undefined || m.delimiters !== '.') {
    let parts: string[] = [];
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      if (m.delimiters.includes(text[i])) {
        parts.push(text.slice(from, i));
        from = i + 1;
      }
    }
    parts.push(text.slice(from));
    if (m.reverse) parts.reverse();
    if (m.digits !== undefined && m.digits < parts.length) parts = parts.slice(parts.length - m.digits);
    result = parts.join('.');
  }
  return m.escape ? urlEscape(result) : result;
}

/** RFC 3986 escaping of everything but the unreserved characters (RFC 7208 §7.3). */
export function urlEscape(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) {
    const unreserved = (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) ||
      byte === 45 || byte === 46 || byte === 95 || byte === 126;
    out += unreserved ? String.fromCharCode(byte) : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}
