// The SPF record checker: what a receiver would make of a record, as findings with exact
// ranges. Pure: the record text comes in as a RecordText (a zone TXT record, pasted text),
// DNS facts only through an optional SyncResolver over the workspace's zones.
//
// Entry points for the zone checks: checkSpfRecord (one TXT/SPF value), checkSpfRecordSet
// (all TXT values at one owner: more than one SPF record), spfRrTypeFinding (a record of
// the obsolete type SPF). looksLikeSpf tells which TXT values to hand over.

import type { Finding, Fix, Range, Severity, TextEdit } from '../../types';
import type { RecordText } from '../recordText';
import { checkWithinDnsLimit } from '../recordText';
import { closestMatches } from '../../text/editDistance';
import { hasSpfVersion, parseSpfRecord } from './parser';
import type { SpfMechanism, SpfRecord, SpfTerm } from './tree';
import { countRecordLookups, LOOKUP_LIMIT, MX_LIMIT, VOID_LIMIT, type LookupCount, type LookupTerm, type SyncResolver } from './lookups';
import { formatBytes, hostBitsSet, networkOf } from './ip';

export interface SpfCheckOptions {
  /** Answers from the workspace's zones: lookups are then counted through include/redirect. */
  resolver?: SyncResolver;
  /** The record is published with the obsolete type SPF (99); the range of its type token. */
  spfRrType?: { range: Range; hasTxtTwin?: boolean };
}

/** Modifiers other RFCs define (RFC 6652 reporting); not worth a warning. */
const KNOWN_EXTENSION_MODIFIERS = new Set(['ra', 'rp', 'rr']);

/** An SPF record longer than this does not fit a classic 512-byte UDP DNS answer. */
export const SPF_RECORD_SIZE_HINT = 512;

/**
 * True for TXT values meant as SPF: starting with `v=spf1` (in any case, even glued to the
 * next word or behind blanks), holding a `v=spf1` word elsewhere, or made only of SPF
 * terms such as "mx -all" (the version forgotten).
 */
export function looksLikeSpf(value: string): boolean {
  const head = value.trimStart().slice(0, 6).toLowerCase();
  if (head === 'v=spf1') return true;
  if (/(^|\s)v=spf1(\s|$)/i.test(value)) return true;
  // The version forgotten: every word a valid SPF term, and terms only SPF uses.
  if (value.length > 2048 || !/(^|\s)([-~?+]?all|include:|ip4:|ip6:|redirect=)/i.test(value)) return false;
  const record = parseSpfRecord(value);
  return record.problems.length === 0 && record.terms.length >= 2 && record.terms.every((t) => t.kind === 'mechanism' || t.name === 'redirect' || t.name === 'exp');
}

/** All findings for one SPF record value. */
export function checkSpfRecord(rec: RecordText, options: SpfCheckOptions = {}): Finding[] {
  return checkWithinDnsLimit(rec, (r) => checkSpfValue(r, options));
}

function checkSpfValue(rec: RecordText, options: SpfCheckOptions): Finding[] {
  const out: Finding[] = [];
  if (options.spfRrType) out.push(spfRrTypeFinding(options.spfRrType.range, options.spfRrType.hasTxtTwin));
  const split = findSplitTerms(rec);
  if (split) {
    out.push(split.finding);
    // Check what the admin meant: the strings with the missing spaces put back.
    checkParsed(split.intended, parseSpfRecord(split.intended.value), options, out);
    return out;
  }
  checkParsed(rec, parseSpfRecord(rec.value), options, out);
  return out;
}

function finding(rec: RecordText, start: number, end: number, severity: Severity, code: string, message: string, fixes?: Fix[]): Finding {
  const f: Finding = { range: rec.rangeOf(start, end), severity, code, message };
  if (fixes && fixes.length > 0) f.fixes = fixes;
  return f;
}

function edit(rec: RecordText, start: number, end: number, newText: string): TextEdit {
  return { range: rec.rangeOf(start, end), newText };
}

function checkParsed(rec: RecordText, record: SpfRecord, options: SpfCheckOptions, out: Finding[]): void {
  checkVersion(rec, record, out);
  for (const p of record.problems) out.push(finding(rec, p.start, p.end, 'error', p.code, p.message));
  // Terms with syntax errors are reported as such and left out of the other checks.
  const broken = new Set<number>();
  for (const p of record.problems) if (p.term !== undefined) broken.add(p.term);
  const mechanisms = record.terms.filter((t, i): t is SpfMechanism => t.kind === 'mechanism' && !broken.has(i));
  checkModifiers(rec, record, out);
  checkDuplicates(rec, record, broken, out);
  checkAll(rec, record, mechanisms, broken, out);
  for (const m of mechanisms) {
    if (m.mechanism === 'ptr') {
      out.push(finding(rec, m.start, m.end, 'warning', 'spf/ptr-deprecated',
        `"${m.text}" uses the ptr mechanism, which RFC 7208 says not to use: it is slow, costs the receiver several DNS lookups, and some large receivers ignore it, so mail it should authorise may fail. List the addresses with ip4:/ip6:, or use a or mx.`,
        [removeTermFix(rec, record, m, 'Remove the ptr mechanism', false)]));
    }
    if ((m.mechanism === 'ip4' || m.mechanism === 'ip6') && m.ip?.bytes) checkNetwork(rec, m, out);
  }
  if (rec.value.length > SPF_RECORD_SIZE_HINT) {
    out.push(finding(rec, 0, rec.value.length, 'information', 'spf/record-too-long',
      `This SPF record is ${rec.value.length} bytes long. Answers over 512 bytes do not fit a plain UDP DNS reply, so receivers must retry over TCP, and some fail and treat the domain as having no SPF (temperror or none). Shorten it: merge ip4: ranges into prefixes, or move part of it into an include.`));
  }
  checkLookups(rec, record, options, out);
}

// ---- version ----

function checkVersion(rec: RecordText, record: SpfRecord, out: Finding[]): void {
  if (record.version) return;
  const value = rec.value;
  const lead = value.length - value.trimStart().length;
  if (value.slice(0, 6).toLowerCase() === 'v=spf1') {
    // "v=spf1mx": glued to the next word (the split case is reported before we get here).
    out.push(finding(rec, 0, Math.min(value.length, value.indexOf(' ') < 0 ? value.length : value.indexOf(' ')), 'error', 'spf/bad-version',
      `The record must start with "v=spf1" followed by a space; "${firstWord(value)}" is not that, so receivers see no SPF record at all (result none). Put a space after v=spf1.`,
      [{ title: 'Put a space after v=spf1', preferred: true, edits: [edit(rec, 6, 6, ' ')] }]));
    return;
  }
  const versionTerm = record.terms.find((t) => t.kind === 'modifier' && t.name === 'v' && t.value.toLowerCase() === 'spf1');
  if (lead > 0 && value.slice(lead, lead + 6).toLowerCase() === 'v=spf1') {
    out.push(finding(rec, 0, lead + 6, 'error', 'spf/misplaced-version',
      'The record starts with blanks before "v=spf1". Receivers only take a TXT record as SPF when it begins exactly with "v=spf1", so they see no SPF record at all (result none). Remove the leading blanks.',
      [{ title: 'Remove the blanks before v=spf1', preferred: true, edits: [edit(rec, 0, lead, '')] }]));
    return;
  }
  if (versionTerm) {
    out.push(finding(rec, versionTerm.start, versionTerm.end, 'error', 'spf/misplaced-version',
      '"v=spf1" must be the very first word of the record; anywhere else receivers do not take the record as SPF at all (result none). Move it to the front.',
      [{
        title: 'Move v=spf1 to the start', preferred: true,
        edits: [edit(rec, 0, 0, 'v=spf1 '), edit(rec, spaceBefore(value, versionTerm.start), versionTerm.end, '')],
      }]));
    return;
  }
  out.push(finding(rec, 0, Math.min(value.length, firstWordEnd(value)), 'error', 'spf/missing-version',
    'This looks like an SPF record but does not start with "v=spf1", so receivers ignore it and treat the domain as having no SPF record (result none). Add "v=spf1 " at the start.',
    [{ title: 'Add v=spf1', preferred: true, edits: [edit(rec, 0, 0, 'v=spf1 ')] }]));
}

function firstWordEnd(value: string): number {
  const sp = value.indexOf(' ');
  return sp < 0 ? value.length : Math.max(sp, 1);
}

function firstWord(value: string): string {
  return value.slice(0, firstWordEnd(value));
}

/** The start of the blanks before offset `at` (to remove a term with its separator). */
function spaceBefore(value: string, at: number): number {
  let s = at;
  while (s > 0 && value.charCodeAt(s - 1) === 32) s--;
  return s;
}

function removeTermFix(rec: RecordText, record: SpfRecord, term: SpfTerm, title: string, preferred: boolean): Fix {
  const from = spaceBefore(record.value, term.start);
  // The version or the first term: take the blanks after it instead.
  if (from === 0) {
    let e = term.end;
    while (e < record.value.length && record.value.charCodeAt(e) === 32) e++;
    return { title, preferred, edits: [edit(rec, term.start, e, '')] };
  }
  return { title, preferred, edits: [edit(rec, from, term.end, '')] };
}

// ---- modifiers and duplicates ----

function checkModifiers(rec: RecordText, record: SpfRecord, out: Finding[]): void {
  for (const t of record.terms) {
    if (t.kind !== 'modifier' || t.name === 'redirect' || t.name === 'exp' || KNOWN_EXTENSION_MODIFIERS.has(t.name)) continue;
    if (t.name === 'v' && (!record.version || t.value.toLowerCase() === 'spf1')) continue; // a version problem, reported as such
    const near = closestMatches(t.name, ['redirect', 'exp']);
    out.push(finding(rec, t.nameSpan.start, t.nameSpan.end, 'warning', 'spf/unknown-modifier',
      `"${t.name}=" is not a modifier receivers know, so they ignore it${near.length ? `; did you mean "${near[0]}="?` : '.'} Remove it unless a tool of yours reads it.`,
      near.length ? [{ title: `Change to ${near[0]}=`, preferred: true, edits: [edit(rec, t.nameSpan.start, t.nameSpan.end, near[0])] }] : undefined));
  }
}

/** The same mechanism twice: harmless for the result, but each copy may cost a lookup. */
function checkDuplicates(rec: RecordText, record: SpfRecord, broken: Set<number>, out: Finding[]): void {
  const seen = new Map<string, SpfTerm>();
  for (const [i, t] of record.terms.entries()) {
    if (t.kind !== 'mechanism' || !t.mechanism || broken.has(i)) continue;
    const key = t.text.toLowerCase().replace(/^\+/, '').replace(/\.$/, '');
    const first = seen.get(key);
    if (!first) {
      seen.set(key, t);
      continue;
    }
    out.push(finding(rec, t.start, t.end, 'warning', 'spf/duplicate-mechanism',
      `"${t.text}" appears twice; the second one never changes the result${t.mechanism === 'all' || t.mechanism === 'ip4' || t.mechanism === 'ip6' ? '' : ' but costs receivers another DNS lookup of the 10 allowed'}. Remove it.`,
      [removeTermFix(rec, record, t, `Remove the duplicate "${t.text}"`, true)]));
  }
}

// ---- all, redirect ----

function checkAll(rec: RecordText, record: SpfRecord, mechanisms: SpfMechanism[], broken: Set<number>, out: Finding[]): void {
  const redirect = record.redirect && !broken.has(record.terms.indexOf(record.redirect)) ? record.redirect : undefined;
  const allIndex = mechanisms.findIndex((m) => m.mechanism === 'all');
  const all = allIndex >= 0 ? mechanisms[allIndex] : undefined;
  if (all) {
    const after = mechanisms.slice(allIndex + 1).filter((m) => m.mechanism !== 'all' || m.text !== all.text);
    if (after.length > 0) {
      const first = after[0];
      const last = after[after.length - 1];
      const lastTerm = record.terms[record.terms.length - 1];
      out.push(finding(rec, first.start, last.end, 'warning', 'spf/terms-after-all',
        `"${after.map((m) => m.text).join(' ')}" come${after.length === 1 ? 's' : ''} after "${all.text}", which matches every sender, so receivers never look at ${after.length === 1 ? 'it' : 'them'}: mail from those hosts gets the "${all.text}" result. Move "${all.text}" to the end.`,
        [{
          title: `Move "${all.text}" to the end`, preferred: true,
          edits: [edit(rec, spaceBefore(record.value, all.start), all.end, ''), edit(rec, lastTerm.end, lastTerm.end, ' ' + all.text)],
        }]));
    }
    if (redirect) {
      const r = redirect;
      out.push(finding(rec, r.start, r.end, 'warning', 'spf/redirect-ignored',
        `"${r.text}" is never used: receivers follow redirect only when no mechanism matched, and "${all.text}" always matches. Remove "${all.text}" to hand over to ${r.value}, or remove the redirect.`,
        [removeTermFix(rec, record, all, `Remove "${all.text}" (use the redirect)`, false), removeTermFix(rec, record, r, 'Remove the redirect', false)]));
    }
    checkAllQualifier(rec, all, out);
  } else if (!record.redirect && record.version && record.problems.length === 0) {
    const end = record.terms.length ? record.terms[record.terms.length - 1].end : 6;
    out.push(finding(rec, 0, 6, 'information', 'spf/no-all',
      'The record does not end with an "all" mechanism (nor a redirect), so for hosts it does not list receivers get "neutral", as if there were no policy. End it with "~all" (softfail) or "-all" (fail).',
      [{ title: 'Add ~all at the end', preferred: true, edits: [edit(rec, end, end, ' ~all')] }, { title: 'Add -all at the end', edits: [edit(rec, end, end, ' -all')] }]));
  }
  for (const m of mechanisms) {
    if (m === all || m.qualifier !== '+') continue;
    if ((m.mechanism === 'ip4' && m.cidr4?.value === 0) || (m.mechanism === 'ip6' && m.cidr6?.value === 0)) {
      out.push(finding(rec, m.start, m.end, 'error', 'spf/plus-all',
        `"${m.text}" matches every address, so anyone in the world may send mail as this domain and pass SPF. List your real networks instead.`));
    }
  }
}

function checkAllQualifier(rec: RecordText, all: SpfMechanism, out: Finding[]): void {
  const replace = (q: string): TextEdit => edit(rec, all.start, all.end, q + 'all');
  if (all.qualifier === '+') {
    out.push(finding(rec, all.start, all.end, 'error', 'spf/plus-all',
      `"${all.text}" lets every host on the internet send mail as this domain and pass SPF, so spammers can forge it and receivers learn to distrust it. Use "~all" (softfail) or "-all" (fail).`,
      [{ title: 'Change to ~all', preferred: true, edits: [replace('~')] }, { title: 'Change to -all', edits: [replace('-')] }]));
  } else if (all.qualifier === '?') {
    out.push(finding(rec, all.start, all.end, 'warning', 'spf/neutral-all',
      '"?all" makes the result "neutral" for every host not listed, the same as having no SPF policy: forged mail is not marked, and DMARC gets no SPF pass or fail from it. Use "~all" (softfail) or "-all" (fail) once the listed hosts are complete.',
      [{ title: 'Change to ~all', edits: [replace('~')] }, { title: 'Change to -all', edits: [replace('-')] }]));
  }
}

// ---- ip4 / ip6 ----

function checkNetwork(rec: RecordText, m: SpfMechanism, out: Finding[]): void {
  const bytes = m.ip!.bytes!;
  const cidr = m.mechanism === 'ip4' ? m.cidr4 : m.cidr6;
  if (!cidr || Number.isNaN(cidr.value) || cidr.value > bytes.length * 8) return;
  if (!hostBitsSet(bytes, cidr.value)) return;
  const network = formatBytes(networkOf(bytes, cidr.value));
  out.push(finding(rec, m.ip!.start, cidr.end, 'warning', 'spf/host-bits-set',
    `"${m.ip!.text}/${cidr.value}" has bits set after the first ${cidr.value}: receivers use the network ${network}/${cidr.value}, which may be more than you meant. Write the network address, or /${bytes.length * 8} for the single host.`,
    [
      { title: `Write the network ${network}/${cidr.value}`, preferred: true, edits: [edit(rec, m.ip!.start, m.ip!.end, network)] },
      { title: `Write the single host ${m.ip!.text}`, edits: [edit(rec, cidr.start, cidr.end, '')] },
    ]));
}

// ---- lookups through include and redirect ----

function describeChain(chain: LookupTerm[]): string {
  return chain.map((t) => t.term.text).join(' → ');
}

function checkLookups(rec: RecordText, record: SpfRecord, options: SpfCheckOptions, out: Finding[]): void {
  const count: LookupCount = countRecordLookups(record, rec.owner, options.resolver);
  if (count.overLimit) {
    const top = count.overLimit[0].term;
    out.push(finding(rec, top.start, top.end, 'error', 'spf/too-many-lookups',
      `Evaluating this record needs ${count.complete ? '' : 'at least '}${count.total} DNS lookups (include, a, mx, ptr, exists, redirect, counted through includes); receivers stop at ${LOOKUP_LIMIT} and return permerror, so mail fails SPF. Lookup ${LOOKUP_LIMIT + 1} is reached here${count.overLimit.length > 1 ? ` (${describeChain(count.overLimit)})` : ''}. Replace a, mx and includes by ip4:/ip6: ranges, or drop unused includes.`));
  }
  if (count.overVoidLimit) {
    const top = count.overVoidLimit[0].term;
    out.push(finding(rec, top.start, top.end, 'error', 'spf/too-many-void-lookups',
      `${count.voids} of the names this record queries have no records (NXDOMAIN or no data)${count.overVoidLimit.length > 1 ? `, the third at ${describeChain(count.overVoidLimit)}` : ''}; receivers allow ${VOID_LIMIT} such "void lookups" and then return permerror. Remove the terms that point at names without records.`));
  }
  for (const loop of count.loops) {
    const top = loop[0].term;
    out.push(finding(rec, top.start, top.end, 'error', 'spf/lookup-loop',
      `This include/redirect leads back to a domain already being evaluated (${describeChain(loop)}), so receivers run into the lookup limit and return permerror. Break the loop.`));
  }
  for (const entry of count.root.terms) {
    const t = entry.term;
    const name = t.kind === 'modifier' ? 'redirect' : t.mechanism;
    const child = entry.child;
    if (child && (child.status === 'none' || child.status === 'multiple' || child.status === 'syntax')) {
      const why = child.status === 'none' ? `${child.domain} publishes no SPF record` : child.status === 'multiple' ? `${child.domain} publishes more than one SPF record` : `the SPF record of ${child.domain} has syntax errors`;
      out.push(finding(rec, t.start, t.end, 'error', 'spf/target-without-spf',
        `"${t.text}": ${why}, so receivers return permerror when they reach this ${name} and your mail fails SPF. Point it at a domain with one valid SPF record, or remove it.`));
    }
    if (entry.void && !count.overVoidLimit) {
      out.push(finding(rec, t.start, t.end, 'warning', 'spf/void-lookup',
        `"${t.text}": ${entry.target} has no ${name === 'mx' ? 'MX' : 'address'} records in your zone, so this term never matches and uses up one of the ${VOID_LIMIT} "void lookups" receivers allow. Fix the name or remove the term.`));
    }
    if (entry.mxCount !== undefined && entry.mxCount > MX_LIMIT) {
      out.push(finding(rec, t.start, t.end, 'error', 'spf/too-many-mx',
        `"${t.text}": ${entry.target} has ${entry.mxCount} MX records; receivers allow at most ${MX_LIMIT} for the mx mechanism and return permerror. List the mail servers with ip4:/ip6: or a: instead.`));
    }
  }
}

// ---- strings split inside what should be two terms ----

interface SplitResult {
  finding: Finding;
  /** The record as meant: a space put back at each suspicious break. */
  intended: RecordText;
}

/** True when a fragment is a complete, valid term (or the version) on its own. */
function validAlone(fragment: string): boolean {
  if (fragment.toLowerCase() === 'v=spf1') return true;
  const r = parseSpfRecord(fragment);
  return r.terms.length === 1 && r.problems.length === 0 && !(r.terms[0].kind === 'modifier' && !['redirect', 'exp'].includes(r.terms[0].name));
}

/**
 * Character-strings are joined without spaces. A break where both sides are whole terms
 * ("v=spf1" "mx" → "v=spf1mx") is almost always a missing space; a break inside a term
 * ("include:_spf.goo" "gle.com") is fine and is left alone.
 */
function findSplitTerms(rec: RecordText): SplitResult | undefined {
  const breaks = rec.breaks;
  if (!breaks || breaks.length === 0) return undefined;
  const value = rec.value;
  const flagged: number[] = [];
  let broken = false;
  let tokenStart = 0;
  for (let k = 0; k < breaks.length; k++) {
    const b = breaks[k];
    if (b <= 0 || b >= value.length) continue;
    // Token boundaries: spaces and breaks already taken as boundaries.
    const ls = value.lastIndexOf(' ', b - 1) + 1;
    const from = Math.max(ls, tokenStart);
    if (value.charCodeAt(b - 1) === 32 || value.charCodeAt(b) === 32) {
      tokenStart = b;
      continue;
    }
    let to = value.indexOf(' ', b);
    if (to < 0) to = value.length;
    if (k + 1 < breaks.length && breaks[k + 1] < to) to = breaks[k + 1];
    const left = value.slice(from, b);
    const right = value.slice(b, to);
    if (validAlone(left) && validAlone(right)) {
      flagged.push(b);
      tokenStart = b;
      let joinedEnd = value.indexOf(' ', b);
      if (joinedEnd < 0) joinedEnd = value.length;
      if (from === 0 && left.toLowerCase() === 'v=spf1') broken = true;
      else if (!validAlone(value.slice(from, joinedEnd))) broken = true;
    }
  }
  if (flagged.length === 0) return undefined;
  // The intended text, with a map from its offsets back to the joined value's.
  let intended = '';
  const back: number[] = [];
  let prev = 0;
  for (const b of flagged) {
    for (let i = prev; i < b; i++) back.push(i);
    intended += value.slice(prev, b) + ' ';
    back.push(b);
    prev = b;
  }
  for (let i = prev; i <= value.length; i++) back.push(i);
  intended += value.slice(prev);
  const mapped: RecordText = {
    value: intended,
    owner: rec.owner,
    rangeOf: (s, e) => rec.rangeOf(back[Math.min(s, back.length - 1)], back[Math.min(e, back.length - 1)]),
  };
  const firstStart = value.lastIndexOf(' ', flagged[0] - 1) + 1;
  const lastEnd = (() => { const sp = value.indexOf(' ', flagged[flagged.length - 1]); return sp < 0 ? value.length : sp; })();
  const shown = value.length > 60 ? value.slice(0, 57) + '…' : value;
  const f = finding(rec, firstStart, lastEnd, broken ? 'error' : 'warning', 'spf/split-strings',
    `This record is split into several strings ${flagged.length === 1 ? 'at a point' : `at ${flagged.length} points`} between two terms with no space. Receivers join the strings without adding spaces and read "${shown}"` +
    (broken ? (hasSpfVersion(value) ? ', which is not valid SPF: they return permerror and your mail fails SPF.' : ', which does not start with "v=spf1 ": they see no SPF record at all.') : ', which merges two terms into one.') +
    ' End each string with a space (or start the next with one), or write the value as one quoted string.');
  return { finding: f, intended: mapped };
}

// ---- several records, obsolete type ----

/**
 * The findings for all TXT values at one owner: more than one SPF record is a permerror
 * for every receiver. Returns one finding per extra record (on each record after the first).
 */
export function checkSpfRecordSet(records: RecordText[]): Finding[] {
  const spf = records.filter((r) => hasSpfVersion(r.value));
  if (spf.length < 2) return [];
  return spf.slice(1).map((r) => ({
    range: r.rangeOf(0, Math.min(6, r.value.length)),
    severity: 'error' as const,
    code: 'spf/multiple-records',
    message: `${r.owner ?? 'This name'} publishes ${spf.length} SPF records ("v=spf1 …"); receivers then return permerror and no mail from the domain passes SPF. Merge them into one record.`,
  }));
}

/**
 * A record of type SPF (99): RFC 7208 retired it; receivers only read TXT. `hasTxtTwin`:
 * the same owner already has the value as TXT (then the type is not changed by the fix).
 */
export function spfRrTypeFinding(typeRange: Range, hasTxtTwin = false): Finding {
  return {
    range: typeRange,
    severity: 'warning',
    code: 'spf/obsolete-rr-type',
    message: hasTxtTwin
      ? 'The DNS record type SPF (99) is obsolete since RFC 7208 (2014): receivers only look up TXT records, and the TXT record beside it already carries the policy. Remove this SPF-type record, and keep the two from drifting apart until then.'
      : 'The DNS record type SPF (99) is obsolete since RFC 7208 (2014): receivers only look up TXT records, so this record has no effect and the domain has no SPF policy. Publish it as a TXT record.',
    fixes: hasTxtTwin ? undefined : [{ title: 'Change the record type to TXT', preferred: true, edits: [{ range: typeRange, newText: 'TXT' }] }],
  };
}
