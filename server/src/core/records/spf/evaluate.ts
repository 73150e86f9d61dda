// check_host() (RFC 7208 §4–§6, §7): would mail from this IP for this domain pass SPF?
// Runs over the Resolver interface only, so the same code answers from zone files, from
// the test suite's data and from live DNS.
//
// One evaluation, two drivers (as in lookups.ts): the evaluation is a generator that yields
// each DNS question, so checkHost() runs it over an async Resolver (live DNS, the CLI, the
// test suite) and checkHostSync() over answers known without waiting (the workspace's
// zone files, on the keystroke path).
//
// Limits as the RFC sets them: 10 DNS-querying terms per evaluation (include, a, mx, ptr,
// exists, redirect, counted across includes), 2 void lookups (NXDOMAIN or no records),
// at most 10 MX names per mx mechanism (more is permerror) and 10 PTR names per ptr/%{p}
// (the rest are ignored).

import type { DnsAnswer, MxAnswer, Resolver } from '../../dns/resolver';
import { expandMacroText, parseMacroString, usesMacroLetter, type MacroString, type ResolvedMacroValues } from './macro';
import { hasSpfVersion, parseSpfRecord } from './parser';
import { answerBytes, dottedIp, formatIp, parseClientIp, prefixMatch, reverseName, type ClientIp } from './ip';
import type { DomainSpec, SpfMechanism, SpfModifier, SpfRecord, SpfResult } from './tree';
import { LOOKUP_MECHANISMS } from './tree';
import type { SyncResolver } from './lookups';

export type { SpfResult } from './tree';

export interface CheckHostInput {
  /** The SMTP client's address (IPv4, IPv6, or IPv4-mapped IPv6). */
  ip: string;
  /** The domain whose policy is checked (the MAIL FROM domain, or the HELO name). */
  domain: string;
  /** The sender address (local-part@domain); a bare domain means postmaster@domain. */
  sender: string;
  /** The HELO/EHLO name (for %{h}). */
  helo?: string;
  /** The receiving host's name (for %{r}; "unknown" when absent). */
  receiver?: string;
  /** Seconds since the epoch (for %{t}); now when absent. */
  timestamp?: number;
  /** The explanation of a fail when the record gives none (or its exp= fails). */
  defaultExplanation?: string;
  /** Void lookups allowed (RFC 7208 recommends 2). */
  voidLimit?: number;
}

export interface CheckHostOutput {
  result: SpfResult;
  /** For a fail: the domain's exp= text, expanded, or the default explanation. */
  explanation?: string;
  /** Why: which term decided, or what went wrong. */
  reason: string;
  /** The domain and term that matched, when one did. */
  matched?: { domain: string; term: string };
  /** DNS-querying terms and void lookups used. */
  lookups: number;
  voidLookups: number;
}

const LOOKUP_LIMIT = 10;
const MX_LIMIT = 10;
const PTR_LIMIT = 10;

/** Ends the whole evaluation with permerror or temperror. */
class Abort {
  constructor(readonly result: 'permerror' | 'temperror', readonly reason: string) {}
}

interface Outcome {
  result: SpfResult;
  reason: string;
  explanation?: string;
  matched?: { domain: string; term: string };
}

/** RFC 7208 §4.3: a name check_host() can work with (otherwise the result is none). */
export function isCheckableDomain(name: string): boolean {
  const d = name.endsWith('.') ? name.slice(0, -1) : name;
  if (d.length === 0 || d.length > 253 || d.includes('[') || d.includes(']')) return false;
  const labels = d.split('.');
  if (labels.length < 2) return false;
  for (const l of labels) if (l.length === 0 || l.length > 63) return false;
  return true;
}

/** Labels of 1–63 characters: a name a DNS query can be made for. */
function isQueryableName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  for (const l of stripDot(name).split('.')) if (l.length === 0 || l.length > 63) return false;
  return true;
}

function stripDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** One DNS question of the evaluation. */
type Question =
  | { kind: 'txt'; name: string }
  | { kind: 'addresses'; name: string; family: 4 | 6 }
  | { kind: 'mx'; name: string }
  | { kind: 'ptr'; name: string };

/** A driver's answer; undefined: not known without asking elsewhere (see checkHostSync). */
type Answer = DnsAnswer<unknown> | undefined;

/** A part of the evaluation: yields questions, gets answers, returns T. */
type Steps<T> = Generator<Question, T, Answer>;

/**
 * Answers known without waiting (the workspace's zone files): SyncResolver's, and PTR when
 * the reverse zone is there. `undefined` means "not known here".
 */
export interface SyncSpfResolver extends SyncResolver {
  ptr?(name: string): DnsAnswer<string> | undefined;
}

/** checkHostSync()'s result: what checkHost() gives, and how far it rests on what was known. */
export interface SyncCheckHostOutput extends CheckHostOutput {
  /**
   * Answers the result rests on that were not known (each counted as a DNS failure: most
   * make the result temperror, a PTR lookup makes ptr and %{p} not match). 0: the result is
   * what any resolver with the same data would give.
   */
  unknownAnswers: number;
  /** A domain-spec used %{l} or %{s}: the result holds for this sender's local-part only. */
  usedLocalPart: boolean;
}

/** check_host(ip, domain, sender) with the macros' other inputs. Never throws. */
export async function checkHost(resolver: Resolver, input: CheckHostInput): Promise<CheckHostOutput> {
  const ip = parseClientIp(input.ip);
  if (!ip) return invalidIp(input.ip);
  const run = new Evaluation(ip, input);
  let outcome: Outcome;
  try {
    outcome = await runAsync(run.check(input.domain, []), resolver);
  } catch (e) {
    outcome = abortOutcome(e);
  }
  return { ...outcome, lookups: run.lookups, voidLookups: run.voids };
}

/**
 * check_host() over answers known without waiting: the same evaluation as checkHost(), with
 * each unknown answer counted (SyncCheckHostOutput.unknownAnswers). Never throws.
 */
export function checkHostSync(resolver: SyncSpfResolver, input: CheckHostInput): SyncCheckHostOutput {
  const ip = parseClientIp(input.ip);
  if (!ip) return { ...invalidIp(input.ip), unknownAnswers: 0, usedLocalPart: false };
  const run = new Evaluation(ip, input);
  let outcome: Outcome;
  try {
    outcome = runSync(run.check(input.domain, []), resolver);
  } catch (e) {
    outcome = abortOutcome(e);
  }
  return { ...outcome, lookups: run.lookups, voidLookups: run.voids, unknownAnswers: run.unknownAnswers, usedLocalPart: run.usedLocalPart };
}

function invalidIp(text: string): CheckHostOutput {
  return { result: 'permerror', reason: `"${text}" is not an IP address.`, lookups: 0, voidLookups: 0 };
}

function abortOutcome(e: unknown): Outcome {
  if (e instanceof Abort) return { result: e.result, reason: e.reason };
  return { result: 'temperror', reason: `internal error: ${(e as Error)?.message ?? String(e)}` };
}

/** Runs the evaluation over an async resolver; a rejected query is thrown into it where it asked. */
async function runAsync<T>(gen: Steps<T>, resolver: Resolver): Promise<T> {
  let step = gen.next(undefined);
  while (!step.done) {
    let answer: Answer;
    try {
      answer = await askAsync(resolver, step.value);
    } catch (e) {
      step = gen.throw(e);
      continue;
    }
    step = gen.next(answer);
  }
  return step.value;
}

function runSync<T>(gen: Steps<T>, resolver: SyncSpfResolver): T {
  let step = gen.next(undefined);
  while (!step.done) {
    let answer: Answer;
    try {
      answer = askSync(resolver, step.value);
    } catch (e) {
      step = gen.throw(e);
      continue;
    }
    step = gen.next(answer);
  }
  return step.value;
}

function askAsync(resolver: Resolver, q: Question): Promise<DnsAnswer<unknown>> {
  switch (q.kind) {
    case 'txt': return resolver.txt(q.name);
    case 'addresses': return resolver.addresses(q.name, q.family);
    case 'mx': return resolver.mx(q.name);
    case 'ptr': return resolver.ptr(q.name);
  }
}

function askSync(resolver: SyncSpfResolver, q: Question): Answer {
  switch (q.kind) {
    case 'txt': return resolver.txt(q.name);
    case 'addresses': return resolver.addresses(q.name, q.family);
    case 'mx': return resolver.mx(q.name);
    case 'ptr': return resolver.ptr?.(q.name);
  }
}

export interface MailFromInput {
  ip: string;
  /** The MAIL FROM address; empty for a bounce (then the HELO identity is checked). */
  mailFrom: string;
  helo: string;
  receiver?: string;
  timestamp?: number;
  defaultExplanation?: string;
}

/** The MAIL FROM check of RFC 7208 §2.4 (postmaster@HELO for the null sender). */
export async function checkMailFrom(resolver: Resolver, input: MailFromInput): Promise<CheckHostOutput> {
  return checkHost(resolver, mailFromCheck(input));
}

/** The check_host() input of a MAIL FROM check: the sender's domain, postmaster@ for a bare or null sender. */
export function mailFromCheck(input: MailFromInput): CheckHostInput {
  let sender = input.mailFrom.trim();
  if (sender.startsWith('<') && sender.endsWith('>')) sender = sender.slice(1, -1);
  if (sender === '') sender = `postmaster@${input.helo}`;
  const at = sender.lastIndexOf('@');
  if (at < 0) sender = `postmaster@${sender}`;
  else if (at === 0) sender = `postmaster${sender}`;
  const domain = sender.slice(sender.lastIndexOf('@') + 1);
  return { ...input, domain, sender };
}

/** The HELO check of RFC 7208 §2.3. */
export async function checkHeloIdentity(resolver: Resolver, input: { ip: string; helo: string; receiver?: string; timestamp?: number; defaultExplanation?: string }): Promise<CheckHostOutput> {
  return checkHost(resolver, { ...input, domain: input.helo, sender: `postmaster@${input.helo}` });
}

class Evaluation {
  lookups = 0;
  voids = 0;
  unknownAnswers = 0;
  usedLocalPart = false;
  private readonly sender: string;
  private readonly local: string;
  private readonly senderDomain: string;
  private validated: string[] | undefined;

  constructor(private readonly ip: ClientIp, private readonly input: CheckHostInput) {
    let sender = input.sender;
    let at = sender.lastIndexOf('@');
    if (at < 0) {
      sender = `postmaster@${sender}`;
      at = sender.lastIndexOf('@');
    } else if (at === 0) {
      sender = `postmaster${sender}`;
      at = sender.lastIndexOf('@');
    }
    this.sender = sender;
    this.local = sender.slice(0, at);
    this.senderDomain = sender.slice(at + 1);
  }

  /** One question; an answer the driver does not know counts as a failed lookup. */
  private *ask<T>(q: Question): Steps<DnsAnswer<T>> {
    const answer = yield q;
    if (answer) return answer as DnsAnswer<T>;
    this.unknownAnswers++;
    return { status: 'servfail', detail: `${stripDot(q.name)}: the answer is not known here` };
  }

  /** check_host() for one domain; `stack` holds the domains being evaluated above it. */
  *check(domainIn: string, stack: string[]): Steps<Outcome> {
    const domain = stripDot(domainIn);
    if (!isCheckableDomain(domain)) return { result: 'none', reason: `"${domainIn}" is not a domain name SPF can check.` };
    const key = domain.toLowerCase();
    if (stack.includes(key)) throw new Abort('permerror', `${domain} includes or redirects to itself (${[...stack, key].join(' → ')}).`);
    const record = yield* this.findRecord(domain);
    if (typeof record === 'string') return { result: 'none', reason: record };
    if (record.problems.length > 0) {
      const p = record.problems[0];
      throw new Abort('permerror', `The SPF record of ${domain} has a syntax error at "${record.value.slice(p.start, p.end)}": ${p.message}`);
    }
    const inner = [...stack, key];
    for (const term of record.terms) {
      if (term.kind !== 'mechanism' || !term.mechanism) continue;
      if (LOOKUP_MECHANISMS.has(term.mechanism)) this.countLookup(domain, term.text);
      if (yield* this.matches(term, domain, inner)) {
        const result = qualifierResult(term.qualifier);
        const outcome: Outcome = { result, reason: `"${term.text}" in the SPF record of ${domain} matched.`, matched: { domain, term: term.text } };
        if (result === 'fail') outcome.explanation = yield* this.explain(record, domain);
        return outcome;
      }
    }
    if (record.redirect) {
      this.countLookup(domain, record.redirect.text);
      const target = yield* this.expandDomain(modifierSpec(record.redirect), domain);
      const sub = yield* this.check(target, inner);
      if (sub.result === 'none') throw new Abort('permerror', `${domain} redirects to ${target}, which has no SPF record: ${sub.reason}`);
      return sub;
    }
    return { result: 'neutral', reason: `No term in the SPF record of ${domain} matched; the default result is neutral.` };
  }

  private countLookup(domain: string, term: string): void {
    if (++this.lookups > LOOKUP_LIMIT) {
      throw new Abort('permerror', `More than ${LOOKUP_LIMIT} DNS-querying terms: "${term}" in the SPF record of ${domain} is number ${this.lookups}.`);
    }
  }

  private countVoid(name: string): void {
    const limit = this.input.voidLimit ?? 2;
    if (++this.voids > limit) throw new Abort('permerror', `More than ${limit} void DNS lookups (names without records); ${name} is number ${this.voids}.`);
  }

  /** The one SPF record of a domain, or a reason string for "none". */
  private *findRecord(domain: string): Steps<SpfRecord | string> {
    const answer = yield* this.ask<string[]>({ kind: 'txt', name: domain });
    if (answer.status === 'timeout' || answer.status === 'servfail') {
      throw new Abort('temperror', `The TXT lookup of ${domain} failed (${failure(answer)}).`);
    }
    if (answer.status !== 'ok') return `${domain} has no TXT records (${answer.status}).`;
    const records = answer.records.map((strings) => strings.join('')).filter(hasSpfVersion);
    if (records.length === 0) return `${domain} has no SPF record.`;
    if (records.length > 1) throw new Abort('permerror', `${domain} publishes ${records.length} SPF records; there must be exactly one.`);
    return parseSpfRecord(records[0]);
  }

  /** The macro values of this evaluation, %{p} looked up first when the string uses it. */
  private *macroValues(macro: MacroString, domain: string): Steps<ResolvedMacroValues> {
    return {
      sender: this.sender,
      local: this.local,
      senderDomain: this.senderDomain,
      domain,
      ipDotted: dottedIp(this.ip),
      ipText: formatIp(this.ip),
      ipVersion: this.ip.family === 4 ? 'in-addr' : 'ip6',
      helo: this.input.helo ?? '',
      receiver: this.input.receiver ?? 'unknown',
      timestamp: String(this.input.timestamp ?? Math.floor(Date.now() / 1000)),
      validatedName: usesMacroLetter(macro, 'p') ? yield* this.validatedName(domain) : '',
    };
  }

  /** A domain-spec expanded and shortened to 253 characters (RFC 7208 §7.3). */
  private *expandDomain(spec: DomainSpec, domain: string): Steps<string> {
    if (usesMacroLetter(spec.macro, 'l') || usesMacroLetter(spec.macro, 's')) this.usedLocalPart = true;
    let name = expandMacroText(spec.macro, yield* this.macroValues(spec.macro, domain));
    name = stripDot(name);
    while (name.length > 253) {
      const dot = name.indexOf('.');
      if (dot < 0) break;
      name = name.slice(dot + 1);
    }
    return name;
  }

  private *matches(term: SpfMechanism, domain: string, stack: string[]): Steps<boolean> {
    const target = term.domainSpec ? yield* this.expandDomain(term.domainSpec, domain) : domain;
    // A macro may expand to a name no DNS query can carry (an empty or over-long label):
    // such a name does not exist, so the mechanism does not match (RFC 7208 §4.3, §5).
    if (term.mechanism !== 'include' && term.domainSpec && !isQueryableName(target)) return false;
    switch (term.mechanism) {
      case 'all':
        return true;
      case 'include': {
        const sub = yield* this.check(target, stack);
        switch (sub.result) {
          case 'pass': return true;
          case 'fail': case 'softfail': case 'neutral': return false;
          case 'temperror': throw new Abort('temperror', sub.reason);
          case 'none': throw new Abort('permerror', `include:${target} in the SPF record of ${domain}: ${target} has no SPF record (${sub.reason}).`);
          default: throw new Abort('permerror', sub.reason);
        }
      }
      case 'a': {
        const addresses = yield* this.addresses(target, this.ip.family, true);
        return this.anyMatch(addresses, term);
      }
      case 'mx': {
        const answer = yield* this.ask<MxAnswer>({ kind: 'mx', name: target });
        const names = this.records(answer, target, true);
        if (names.length > MX_LIMIT) throw new Abort('permerror', `${target} has ${names.length} MX records; the mx mechanism allows at most ${MX_LIMIT}.`);
        for (const mx of names) {
          const addresses = yield* this.addresses(mx.exchange, this.ip.family, false);
          if (this.anyMatch(addresses, term)) return true;
        }
        return false;
      }
      case 'ptr': {
        const names = yield* this.validatedNames();
        const t = target.toLowerCase();
        return names.some((n) => n === t || n.endsWith('.' + t));
      }
      case 'ip4':
      case 'ip6': {
        const net = term.ip?.bytes;
        if (!net) return false;
        const family = term.mechanism === 'ip4' ? 4 : 6;
        if (this.ip.family !== family) return false;
        const prefix = family === 4 ? term.cidr4?.value ?? 32 : term.cidr6?.value ?? 128;
        return prefixMatch(this.ip.bytes, net, prefix);
      }
      case 'exists': {
        const addresses = yield* this.addresses(target, 4, true);
        return addresses.length > 0;
      }
      default:
        return false;
    }
  }

  /** Records of an answer; NXDOMAIN/no data count as a void lookup when `countVoid`. */
  private records<T>(answer: DnsAnswer<T>, name: string, countVoid: boolean): T[] {
    if (answer.status === 'ok') {
      if (answer.records.length === 0 && countVoid) this.countVoid(name);
      return answer.records;
    }
    if (answer.status === 'timeout' || answer.status === 'servfail') throw new Abort('temperror', `The DNS lookup of ${name} failed (${failure(answer)}).`);
    if (countVoid) this.countVoid(name);
    return [];
  }

  private *addresses(name: string, family: 4 | 6, countVoid: boolean): Steps<number[][]> {
    const answer = yield* this.ask<string>({ kind: 'addresses', name, family });
    const out: number[][] = [];
    for (const text of this.records(answer, name, countVoid)) {
      const bytes = answerBytes(text, family);
      if (bytes) out.push(bytes);
    }
    return out;
  }

  private anyMatch(addresses: number[][], term: SpfMechanism): boolean {
    const prefix = this.ip.family === 4 ? term.cidr4?.value ?? 32 : term.cidr6?.value ?? 128;
    return addresses.some((a) => prefixMatch(this.ip.bytes, a, prefix));
  }

  /** Names the client's PTR records give whose addresses include the client (RFC 7208 §5.5); looked up once. */
  private *validatedNames(): Steps<string[]> {
    if (this.validated) return this.validated;
    const out: string[] = [];
    const answer = yield* this.ask<string>({ kind: 'ptr', name: reverseName(this.ip) });
    if (answer.status === 'ok') {
      for (const name of answer.records.slice(0, PTR_LIMIT)) {
        const a = yield* this.ask<string>({ kind: 'addresses', name, family: this.ip.family });
        if (a.status !== 'ok') continue;
        if (a.records.some((text) => {
          const bytes = answerBytes(text, this.ip.family);
          return bytes !== undefined && prefixMatch(this.ip.bytes, bytes, bytes.length * 8);
        })) out.push(stripDot(name).toLowerCase());
      }
    }
    this.validated = out;
    return out;
  }

  /** %{p}: the domain itself, else a subdomain of it, else any validated name, else "unknown". */
  private *validatedName(domain: string): Steps<string> {
    const names = yield* this.validatedNames();
    const d = domain.toLowerCase();
    return names.find((n) => n === d) ?? names.find((n) => n.endsWith('.' + d)) ?? names[0] ?? 'unknown';
  }

  /** The explanation of a fail (RFC 7208 §6.2); problems fall back to the default. Its lookups do not change the result. */
  private *explain(record: SpfRecord, domain: string): Steps<string | undefined> {
    const fallback = this.input.defaultExplanation;
    const exp = record.exp;
    if (!exp) return fallback;
    const unknownBefore = this.unknownAnswers;
    const localPartBefore = this.usedLocalPart;
    try {
      const name = yield* this.expandDomain(modifierSpec(exp), domain);
      const answer = yield* this.ask<string[]>({ kind: 'txt', name });
      if (answer.status !== 'ok' || answer.records.length !== 1) return fallback;
      const text = answer.records[0].join('');
      const macro = parseMacroString(text, 0, text.length, true);
      if (macro.problems.length > 0) return fallback;
      return expandMacroText(macro, yield* this.macroValues(macro, domain));
    } catch {
      return fallback;
    } finally {
      this.unknownAnswers = unknownBefore;
      this.usedLocalPart = localPartBefore;
    }
  }
}

function failure(answer: { status: 'timeout' } | { status: 'servfail'; detail?: string }): string {
  return answer.status === 'servfail' && answer.detail ? `servfail: ${answer.detail}` : answer.status;
}

function qualifierResult(q: SpfMechanism['qualifier']): SpfResult {
  return q === '-' ? 'fail' : q === '~' ? 'softfail' : q === '?' ? 'neutral' : 'pass';
}

function modifierSpec(m: SpfModifier): DomainSpec {
  return { start: m.valueSpan.start, end: m.valueSpan.end, text: m.value, macro: m.macro };
}
