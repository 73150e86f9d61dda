// The SPF record parser (RFC 7208 §4.5, §4.6.1, §5, §6, §7.1 ABNF). It never throws: every
// deviation from the grammar is an SpfProblem with the exact span, and the terms keep as
// much structure as could be read so that checks and hovers still work on a broken record.

import { parseIPv4, parseIPv6 } from '../../opendkim/ipAddress';
import { parseMacroString, type MacroString } from './macro';
import type { CidrLength, DomainSpec, MechanismName, Qualifier, SpfMechanism, SpfModifier, SpfProblem, SpfRecord, SpfTerm } from './tree';
import { MECHANISM_NAMES } from './tree';

/** True when the value starts with the SPF version tag followed by a space or the end. */
export function hasSpfVersion(value: string): boolean {
  return value.length >= 6 && value.slice(0, 6).toLowerCase() === 'v=spf1' && (value.length === 6 || value.charCodeAt(6) === 32);
}

/** Parses an SPF record value. Without a leading `v=spf1` all words are read as terms. */
export function parseSpfRecord(value: string): SpfRecord {
  const record: SpfRecord = { value, terms: [], problems: [] };
  let i = 0;
  if (hasSpfVersion(value)) {
    record.version = { start: 0, end: 6 };
    i = 6;
  }
  const n = value.length;
  while (i < n) {
    if (value.charCodeAt(i) === 32) {
      i++;
      continue;
    }
    let end = i;
    while (end < n && value.charCodeAt(end) !== 32) end++;
    const index = record.terms.length;
    const term = parseTerm(value, i, end, record.problems, index);
    record.terms.push(term);
    if (term.kind === 'modifier' && (term.name === 'redirect' || term.name === 'exp')) {
      const first = term.name === 'redirect' ? record.redirect : record.exp;
      if (first) {
        record.problems.push({
          code: 'spf/duplicate-modifier', start: term.start, end: term.end, term: index,
          message: `"${term.name}=" appears twice; RFC 7208 allows it once, so receivers reject the whole record (permerror). Keep one.`,
        });
      } else if (term.name === 'redirect') record.redirect = term;
      else record.exp = term;
    }
    i = end;
  }
  return record;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isNameChar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === 45 || c === 95 || c === 46;
}

function parseTerm(value: string, start: number, end: number, problems: SpfProblem[], index: number): SpfTerm {
  // modifier = name "=" …, name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
  if (isAlpha(value.charCodeAt(start))) {
    let j = start + 1;
    while (j < end && isNameChar(value.charCodeAt(j))) j++;
    if (j < end && value.charCodeAt(j) === 61 /* = */) return parseModifier(value, start, j, end, problems, index);
  }
  return parseMechanism(value, start, end, problems, index);
}

function parseModifier(value: string, start: number, eq: number, end: number, problems: SpfProblem[], index: number): SpfModifier {
  const name = value.slice(start, eq).toLowerCase();
  const valueSpan = { start: eq + 1, end };
  const known = name === 'redirect' || name === 'exp';
  const macro = parseMacroString(value, eq + 1, end);
  const modifier: SpfModifier = {
    kind: 'modifier', start, end, text: value.slice(start, end), name, nameSpan: { start, end: eq },
    value: value.slice(eq + 1, end), valueSpan, macro,
  };
  if (known) {
    if (eq + 1 === end) {
      problems.push({ code: 'spf/missing-domain', start, end, term: index, message: `"${name}=" needs a domain name after the "=".` });
    } else {
      checkDomainSpec(value, { start: eq + 1, end, text: modifier.value, macro }, problems, index);
    }
  } else {
    pushMacroProblems(macro, problems, index);
  }
  return modifier;
}

function parseMechanism(value: string, start: number, end: number, problems: SpfProblem[], index: number): SpfMechanism {
  let i = start;
  let qualifier: Qualifier = '+';
  let qualifierSpan;
  const q = value[i];
  if (q === '+' || q === '-' || q === '~' || q === '?') {
    qualifier = q;
    qualifierSpan = { start: i, end: i + 1 };
    i++;
  }
  const nameStart = i;
  while (i < end && (isAlpha(value.charCodeAt(i)) || isDigit(value.charCodeAt(i)))) i++;
  const name = value.slice(nameStart, i).toLowerCase();
  const mech: SpfMechanism = {
    kind: 'mechanism', start, end, text: value.slice(start, end), qualifier, qualifierSpan, name,
    nameSpan: { start: nameStart, end: i }, mechanism: undefined,
  };
  const known = (MECHANISM_NAMES as readonly string[]).includes(name) ? name as MechanismName : undefined;
  const after = i < end ? value[i] : '';
  if (!known || (after !== '' && after !== ':' && after !== '/')) {
    reportUnknownTerm(value, mech, problems, index);
    return mech;
  }
  mech.mechanism = known;
  const argStart = i;
  switch (known) {
    case 'all':
      if (argStart < end) unexpected(value, argStart, end, `"all" takes no argument; write just "${qualifierSpan ? qualifier : ''}all".`, problems, index);
      break;
    case 'include':
    case 'exists':
      if (after !== ':') {
        problems.push({
          code: 'spf/missing-domain', start, end, term: index,
          message: `"${known}" needs a domain name: ${known}:example.com.`,
        });
      } else {
        mech.domainSpec = readDomainSpec(value, argStart + 1, end, problems, index, known, start);
      }
      break;
    case 'ptr':
      if (after === ':') mech.domainSpec = readDomainSpec(value, argStart + 1, end, problems, index, known, start);
      else if (after === '/') unexpected(value, argStart, end, '"ptr" takes no prefix length.', problems, index);
      break;
    case 'a':
    case 'mx':
      readAOrMx(value, mech, argStart, end, problems, index);
      break;
    case 'ip4':
    case 'ip6':
      readIp(value, mech, known, argStart, end, problems, index);
      break;
  }
  return mech;
}

function unexpected(value: string, start: number, end: number, message: string, problems: SpfProblem[], index: number): void {
  problems.push({ code: 'spf/unexpected-argument', start, end, term: index, message: `"${value.slice(start, end)}" is not allowed here: ${message}` });
}

/** The first character that cannot start a term (for "!all", "*mx", "--all"). */
function reportUnknownTerm(value: string, mech: SpfMechanism, problems: SpfProblem[], index: number): void {
  const { start, end } = mech;
  // A bad qualifier in front of a known mechanism: "!all", "--all", "*mx".
  let k = mech.nameSpan.start;
  while (k < end && !isAlpha(value.charCodeAt(k))) k++;
  let e = k;
  while (e < end && (isAlpha(value.charCodeAt(e)) || isDigit(value.charCodeAt(e)))) e++;
  const rest = value.slice(k, e).toLowerCase();
  const restAfter = e < end ? value[e] : '';
  const badChar = firstBadChar(value, start, end);
  if (badChar >= 0) {
    problems.push({ code: 'spf/bad-character', start: badChar, end: badChar + 1, term: index, message: describeChar(value.charCodeAt(badChar)) + ' Receivers reject the whole record (permerror).' });
    return;
  }
  if (k > mech.nameSpan.start && (MECHANISM_NAMES as readonly string[]).includes(rest) && (restAfter === '' || restAfter === ':' || restAfter === '/')) {
    problems.push({
      code: 'spf/bad-qualifier', start: mech.nameSpan.start, end: k, term: index,
      message: `"${value.slice(mech.nameSpan.start, k)}" is not a qualifier; only + (pass), - (fail), ~ (softfail) and ? (neutral) may precede "${rest}", once. Receivers reject the whole record (permerror).`,
    });
    return;
  }
  const name = mech.name || value.slice(mech.nameSpan.start, Math.min(end, mech.nameSpan.start + 1));
  const suggestion = suggestMechanism(mech.name, value.slice(mech.nameSpan.end, end));
  problems.push({
    code: 'spf/unknown-mechanism', start: mech.name ? mech.nameSpan.start : start, end: mech.name ? mech.nameSpan.end : end, term: index,
    message: `"${mech.name ? name : value.slice(start, end)}" is not an SPF mechanism, so receivers reject the whole record (permerror) and your mail loses its SPF pass.${suggestion} Mechanisms are all, include, a, mx, ptr, ip4, ip6 and exists; modifiers are written name=value.`,
  });
}

function firstBadChar(value: string, start: number, end: number): number {
  for (let k = start; k < end; k++) {
    const c = value.charCodeAt(k);
    if (c < 0x21 || c > 0x7e) return k;
  }
  return -1;
}

function describeChar(c: number): string {
  if (c < 0x20 || c === 0x7f) return `The control character U+${c.toString(16).padStart(4, '0').toUpperCase()} is not allowed in an SPF record; only spaces separate terms.`;
  if ((c >= 0x2010 && c <= 0x2015) || c === 0x2212) return `"${String.fromCharCode(c)}" is a typographic dash, not the ASCII "-" SPF needs (text copied from a web page or word processor).`;
  if (c >= 0x2018 && c <= 0x201f) return `"${String.fromCharCode(c)}" is a typographic quote; SPF records are plain ASCII.`;
  return `The character "${String.fromCharCode(c)}" is not allowed: SPF records are plain ASCII.`;
}

/** Common slips: "ipv4:", "ip:", "redirect:", "exp:", "inlcude:". */
function suggestMechanism(name: string, rest: string): string {
  const map: Record<string, string> = {
    ipv4: 'ip4', ip: 'ip4', ipv6: 'ip6', inc: 'include', includes: 'include', a4: 'a', aaaa: 'a', mxs: 'mx',
    inlcude: 'include', incldue: 'include', inculde: 'include', exist: 'exists', al: 'all', ptrs: 'ptr',
  };
  if ((name === 'redirect' || name === 'exp') && rest.startsWith(':')) return ` "${name}" is a modifier and is written with "=": ${name}=${rest.slice(1)}.`;
  const s = map[name];
  return s ? ` Did you mean "${s}"?` : '';
}

function readDomainSpec(value: string, start: number, end: number, problems: SpfProblem[], index: number, what: string, termStart: number): DomainSpec {
  const text = value.slice(start, end);
  const macro = parseMacroString(value, start, end);
  const spec: DomainSpec = { start, end, text, macro };
  if (start === end) {
    problems.push({ code: 'spf/missing-domain', start: termStart, end, term: index, message: `Nothing follows "${what}:"; write a domain name after the colon or drop the colon.` });
    return spec;
  }
  checkDomainSpec(value, spec, problems, index);
  return spec;
}

function pushMacroProblems(macro: MacroString, problems: SpfProblem[], index: number): boolean {
  for (const p of macro.problems) {
    problems.push({ code: p.kind === 'macro' ? 'spf/bad-macro' : 'spf/bad-character', start: p.start, end: p.end, term: index, message: p.message + ' Receivers reject the whole record (permerror).' });
  }
  return macro.problems.length > 0;
}

/** domain-spec = macro-string domain-end; domain-end = "." toplabel ["."] / macro-expand. */
function checkDomainSpec(value: string, spec: DomainSpec, problems: SpfProblem[], index: number): void {
  if (pushMacroProblems(spec.macro, problems, index)) return;
  if (!spec.macro.hasMacros) {
    const labels = (spec.text.endsWith('.') ? spec.text.slice(0, -1) : spec.text).split('.');
    const bad = labels.find((l) => l.length === 0 || l.length > 63);
    if (bad !== undefined || spec.text.length > 253) {
      problems.push({
        code: 'spf/bad-domain', start: spec.start, end: spec.end, term: index,
        message: `"${spec.text}" is not a valid domain name (${bad === undefined ? 'longer than 253 characters' : bad.length === 0 ? 'it has an empty label, two dots in a row' : 'a label is longer than 63 characters'}); receivers either reject the record (permerror) or never match this term. Fix the name.`,
      });
      return;
    }
  }
  const parts = spec.macro.parts;
  const last = parts[parts.length - 1];
  if (last.kind !== 'literal') return;
  let text = last.text;
  if (text.endsWith('.')) text = text.slice(0, -1);
  const dot = text.lastIndexOf('.');
  const top = dot >= 0 ? text.slice(dot + 1) : undefined;
  if (top === undefined || !isTopLabel(top)) {
    const slash = spec.text.indexOf('/');
    if (slash >= 0) {
      problems.push({
        code: 'spf/bad-prefix-length', start: spec.start + slash, end: spec.end, term: index,
        message: `"${value.slice(spec.start + slash, spec.end)}" is not a prefix length: write /0 to /32 for IPv4 and //0 to //128 for IPv6. Receivers reject the whole record (permerror).`,
      });
      return;
    }
    problems.push({
      code: 'spf/bad-domain', start: spec.start, end: spec.end, term: index,
      message: top === undefined
        ? `"${spec.text}" is not a fully qualified domain name (it has no dot), so receivers reject the whole record (permerror). Write the full name, such as ${spec.text}.example.com.`
        : `"${spec.text}" does not end in a valid top-level label ("${top}"), so receivers reject the whole record (permerror). Check the domain name for typos.`,
    });
  }
}

function isTopLabel(label: string): boolean {
  if (label.length === 0 || label.length > 63) return false;
  let alpha = false;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (isAlpha(c)) alpha = true;
    else if (c === 45) {
      if (i === 0 || i === label.length - 1) return false;
    } else if (!isDigit(c)) return false;
  }
  return alpha || label.includes('-');
}

/** "/" ("0" / %x31-39 0*nDIGIT): digits without a leading zero. */
function readCidr(value: string, start: number, end: number, max: number, v6: boolean, problems: SpfProblem[], index: number): CidrLength {
  const digits = value.slice(start + 1, end);
  const ok = /^(0|[1-9][0-9]*)$/.test(digits);
  const num = ok ? Number(digits) : NaN;
  if (!ok || num > max) {
    const family = v6 ? 'IPv6' : 'IPv4';
    problems.push({
      code: 'spf/bad-prefix-length', start, end, term: index,
      message: ok
        ? `An ${family} prefix length is at most ${max}, not ${digits}; receivers reject the whole record (permerror). Use /${max} for a single address or the prefix of the network.`
        : `"${value.slice(start, end)}" is not a valid ${family} prefix length: write / and a number from 0 to ${max} without leading zeros. Receivers reject the whole record (permerror).`,
    });
  }
  return { start, end, value: num };
}

/** a / mx: [":" domain-spec] [ "/" ip4-cidr ] [ "//" ip6-cidr ]. */
function readAOrMx(value: string, mech: SpfMechanism, argStart: number, end: number, problems: SpfProblem[], index: number): void {
  // The dual CIDR suffix is found from the end: a domain-spec may itself contain "/".
  let domainEnd = end;
  const tail = value.slice(argStart, end);
  const m = /(?:\/([0-9]*))?(?:\/\/([0-9]*))?$/.exec(tail);
  let cidrStart = end;
  if (m && m[0].length > 0) {
    cidrStart = argStart + m.index;
    domainEnd = cidrStart;
  }
  if (value[argStart] === ':') {
    mech.domainSpec = readDomainSpec(value, argStart + 1, domainEnd, problems, index, mech.name, mech.start);
  } else if (argStart < cidrStart) {
    // "a/24x", "mx/abc": something after the name that is neither ":" nor a prefix.
    problems.push({
      code: 'spf/bad-prefix-length', start: argStart, end, term: index,
      message: `"${value.slice(argStart, end)}" is not a prefix length: write /0 to /32 for IPv4 and //0 to //128 for IPv6. Receivers reject the whole record (permerror).`,
    });
    return;
  }
  if (cidrStart < end && m) {
    let k = cidrStart;
    if (m[1] !== undefined) {
      const e = k + 1 + m[1].length;
      mech.cidr4 = readCidr(value, k, e, 32, false, problems, index);
      k = e;
    }
    if (m[2] !== undefined) {
      // The "//" form: the IPv6 length starts at the second slash.
      mech.cidr6 = readCidr(value, k + 1, end, 128, true, problems, index);
    }
  }
}

function readIp(value: string, mech: SpfMechanism, family: 'ip4' | 'ip6', argStart: number, end: number, problems: SpfProblem[], index: number): void {
  const code = family === 'ip4' ? 'spf/bad-ip4' : 'spf/bad-ip6';
  if (value[argStart] !== ':' || argStart + 1 === end) {
    problems.push({
      code, start: mech.start, end, term: index,
      message: `"${family}" needs an address: ${family === 'ip4' ? 'ip4:192.0.2.10 or ip4:192.0.2.0/24' : 'ip6:2001:db8::10 or ip6:2001:db8::/32'}. Receivers reject the whole record (permerror).`,
    });
    return;
  }
  const addrStart = argStart + 1;
  // Searched within the term only: indexOf over the rest of the value made long records quadratic.
  let slash = addrStart;
  while (slash < end && value.charCodeAt(slash) !== 47 /* / */) slash++;
  const text = value.slice(addrStart, slash);
  const bytes = family === 'ip4' ? ip4Bytes(text) : ip6Bytes(text);
  mech.ip = { start: addrStart, end: slash, text, bytes };
  if (!bytes) {
    problems.push({
      code, start: addrStart, end: slash, term: index,
      message: family === 'ip4'
        ? `"${text}" is not an IPv4 address (four numbers 0–255 separated by dots, no leading zeros), so receivers reject the whole record (permerror) and none of your mail passes SPF. Write the address, such as ip4:192.0.2.10.`
        : `"${text}" is not an IPv6 address, so receivers reject the whole record (permerror) and none of your mail passes SPF. Write the address, such as ip6:2001:db8::10.`,
    });
  }
  if (slash < end) {
    const cidr = readCidr(value, slash, end, family === 'ip4' ? 32 : 128, family === 'ip6', problems, index);
    if (family === 'ip4') mech.cidr4 = cidr;
    else mech.cidr6 = cidr;
  }
}

/** Four bytes of a dotted quad with no leading zeros (RFC 7208 qnum), or undefined. */
export function ip4Bytes(text: string): number[] | undefined {
  const octets = parseIPv4(text);
  if (!octets) return undefined;
  for (const part of text.split('.')) if (part.length > 1 && part[0] === '0') return undefined;
  return octets;
}

/** Sixteen bytes of an IPv6 address, or undefined. */
export function ip6Bytes(text: string): number[] | undefined {
  const words = parseIPv6(text);
  if (!words) return undefined;
  const out: number[] = [];
  for (const w of words) out.push(w >> 8, w & 0xff);
  return out;
}
