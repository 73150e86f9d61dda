// How many DNS lookups an SPF record costs a receiver (RFC 7208 §4.6.4): the DNS-querying
// terms (include, a, mx, ptr, exists, redirect) counted through every include and
// redirect, and the void lookups (names without records) among them. A static count: every
// term is assumed to be evaluated, which is what happens for a sender the record does not
// list — the mail that matters when the limit is hit.
//
// One walk, two drivers: the walk is a generator that yields each DNS question, so the same
// code runs over an async Resolver (live DNS, the CLI) and synchronously over what the
// workspace's zone files answer (the keystroke path).

import type { DnsAnswer, MxAnswer, Resolver } from '../../dns/resolver';
import { hasSpfVersion, parseSpfRecord } from './parser';
import type { SpfMechanism, SpfModifier, SpfRecord } from './tree';
import { LOOKUP_MECHANISMS } from './tree';

/**
 * Answers a resolver can give without waiting, e.g. from the workspace's zone files.
 * `undefined` means "not known here" (a name outside every zone the workspace has): the
 * count then stays a lower bound instead of guessing.
 */
export interface SyncResolver {
  txt(name: string): DnsAnswer<string[]> | undefined;
  addresses(name: string, family: 4 | 6): DnsAnswer<string> | undefined;
  mx(name: string): DnsAnswer<MxAnswer> | undefined;
}

export const LOOKUP_LIMIT = 10;
export const VOID_LIMIT = 2;
export const MX_LIMIT = 10;
/** The walk stops descending past this many lookups: the record is over the limit anyway. */
const WALK_CAP = 40;

export interface LookupTerm {
  /** The term (a DNS-querying mechanism or the redirect modifier). */
  term: SpfMechanism | SpfModifier;
  /** The whole evaluation's lookup count after this term. */
  runningTotal: number;
  /** The name the term queries (undefined when it depends on macros). */
  target?: string;
  /** The query found no records (NXDOMAIN or no data): a void lookup. */
  void?: boolean;
  /** The answer is not known (macros, ptr, a name outside the workspace, a DNS failure). */
  unknown?: boolean;
  /** mx: how many MX records the target has. */
  mxCount?: number;
  /** include/redirect: what was found at the target. */
  child?: LookupNode;
}

export type LookupNodeStatus =
  /** One SPF record, walked. */
  | 'ok'
  /** No SPF record at the name (include/redirect of it is a permerror). */
  | 'none'
  /** Several SPF records (permerror). */
  | 'multiple'
  /** The record has syntax errors (permerror); its terms are not walked. */
  | 'syntax'
  /** The name is already being evaluated above: an include/redirect loop. */
  | 'loop'
  /** Not known here, or the lookup failed. */
  | 'unknown'
  /** Not walked: the count was already far over the limit. */
  | 'skipped';

export interface LookupNode {
  domain: string;
  status: LookupNodeStatus;
  /** The SPF record text when one was found. */
  record?: string;
  terms: LookupTerm[];
}

export interface LookupCount {
  root: LookupNode;
  /** DNS-querying terms counted. */
  total: number;
  voids: number;
  /** False when some part could not be followed (then `total` is a lower bound). */
  complete: boolean;
  /** The chain of terms, outermost first, whose last term was lookup number 11. */
  overLimit?: LookupTerm[];
  /** The chain of terms whose last term was void lookup number 3. */
  overVoidLimit?: LookupTerm[];
  /** Chains that lead back to a name being evaluated. */
  loops: LookupTerm[][];
}

type Question =
  | { kind: 'txt'; name: string }
  | { kind: 'addresses'; name: string; family: 4 | 6 }
  | { kind: 'mx'; name: string };

type Answer = DnsAnswer<unknown> | undefined;

/** The counts while walking: the result without its tree. */
type WalkState = Omit<LookupCount, 'root'>;

/** Walks a record (already parsed) published at `domain`. */
function* walkRecord(record: SpfRecord, domain: string, state: WalkState, stack: string[], path: LookupTerm[], evenIfBroken = false): Generator<Question, LookupNode, Answer> {
  const node: LookupNode = { domain, status: 'ok', record: record.value, terms: [] };
  if (record.problems.length > 0 && !evenIfBroken) {
    node.status = 'syntax';
    return node;
  }
  const inner = [...stack, domain.toLowerCase()];
  const hasAll = record.terms.some((t) => t.kind === 'mechanism' && t.mechanism === 'all');
  const counted: (SpfMechanism | SpfModifier)[] = [];
  for (const t of record.terms) if (t.kind === 'mechanism' && t.mechanism && LOOKUP_MECHANISMS.has(t.mechanism)) counted.push(t);
  // Terms with syntax errors are counted but not followed (their target is not reliable).
  const broken = new Set<SpfMechanism | SpfModifier>();
  for (const p of record.problems) if (p.term !== undefined) broken.add(record.terms[p.term]);
  // redirect is evaluated only when no mechanism matched, and never when "all" is present.
  if (record.redirect && !hasAll) counted.push(record.redirect);
  for (const term of counted) {
    state.total++;
    const entry: LookupTerm = { term, runningTotal: state.total };
    node.terms.push(entry);
    const chain = [...path, entry];
    if (state.total > LOOKUP_LIMIT && !state.overLimit) state.overLimit = chain;
    const spec = term.kind === 'modifier' ? { text: term.value, hasMacros: term.macro.hasMacros } : term.domainSpec ? { text: term.domainSpec.text, hasMacros: term.domainSpec.macro.hasMacros } : undefined;
    if (spec?.hasMacros) {
      entry.unknown = true;
      state.complete = false;
      continue;
    }
    const target = stripDot(spec ? spec.text : domain);
    if (target === '' || broken.has(term)) {
      entry.unknown = true;
      state.complete = false;
      continue;
    }
    entry.target = target;
    const name = term.kind === 'modifier' ? 'redirect' : term.mechanism;
    if (name === 'ptr') {
      entry.unknown = true; // depends on the client's reverse DNS
      continue;
    }
    if (name === 'include' || name === 'redirect') {
      if (state.total > WALK_CAP) {
        entry.child = { domain: target, status: 'skipped', terms: [] };
        state.complete = false;
        continue;
      }
      if (inner.includes(target.toLowerCase())) {
        entry.child = { domain: target, status: 'loop', terms: [] };
        state.loops.push(chain);
        continue;
      }
      entry.child = yield* walkDomain(target, state, inner, chain);
      continue;
    }
    // a, mx, exists: one query whose emptiness makes a void lookup.
    let answer: Answer;
    if (name === 'mx') {
      answer = yield { kind: 'mx', name: target };
      if (answer?.status === 'ok') entry.mxCount = (answer as { records: unknown[] }).records.length;
    } else if (name === 'exists') {
      answer = yield { kind: 'addresses', name: target, family: 4 };
    } else {
      // a: a name is void when it has neither A nor AAAA records.
      const a4 = yield { kind: 'addresses', name: target, family: 4 };
      answer = a4?.status === 'ok' && (a4 as { records: unknown[] }).records.length > 0 ? a4 : mergeVoid(a4, yield { kind: 'addresses', name: target, family: 6 });
    }
    if (answer === undefined || answer.status === 'timeout' || answer.status === 'servfail') {
      entry.unknown = true;
      state.complete = false;
    } else if (answer.status !== 'ok' || (answer as { records: unknown[] }).records.length === 0) {
      entry.void = true;
      state.voids++;
      if (state.voids > VOID_LIMIT && !state.overVoidLimit) state.overVoidLimit = chain;
    }
  }
  return node;
}

/** For "a": void only when both families are void; unknown when either is. */
function mergeVoid(a4: Answer, a6: Answer): Answer {
  if (a4 === undefined || a6 === undefined) return undefined;
  if (a6.status === 'ok' && (a6 as { records: unknown[] }).records.length > 0) return a6;
  if (a4.status === 'timeout' || a4.status === 'servfail') return a4;
  return a6;
}

function* walkDomain(domain: string, state: WalkState, stack: string[], path: LookupTerm[]): Generator<Question, LookupNode, Answer> {
  const answer = yield { kind: 'txt', name: domain };
  if (answer === undefined || answer.status === 'timeout' || answer.status === 'servfail') {
    state.complete = false;
    return { domain, status: 'unknown', terms: [] };
  }
  if (answer.status !== 'ok') return { domain, status: 'none', terms: [] };
  const records = (answer.records as string[][]).map((s) => s.join('')).filter(hasSpfVersion);
  if (records.length === 0) return { domain, status: 'none', terms: [] };
  if (records.length > 1) return { domain, status: 'multiple', terms: [] };
  return yield* walkRecord(parseSpfRecord(records[0]), domain, state, stack, path);
}

function stripDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

function newState(): WalkState {
  return { total: 0, voids: 0, complete: true, loops: [] };
}

function finish(root: LookupNode, state: WalkState): LookupCount {
  return { root, total: state.total, voids: state.voids, complete: state.complete, overLimit: state.overLimit, overVoidLimit: state.overVoidLimit, loops: state.loops };
}

function askSync(resolver: SyncResolver | undefined, q: Question): Answer {
  if (!resolver) return undefined;
  switch (q.kind) {
    case 'txt': return resolver.txt(q.name);
    case 'addresses': return resolver.addresses(q.name, q.family);
    case 'mx': return resolver.mx(q.name);
  }
}

async function askAsync(resolver: Resolver, q: Question): Promise<Answer> {
  switch (q.kind) {
    case 'txt': return resolver.txt(q.name);
    case 'addresses': return resolver.addresses(q.name, q.family);
    case 'mx': return resolver.mx(q.name);
  }
}

function runSync<T>(gen: Generator<Question, T, Answer>, resolver: SyncResolver | undefined): T {
  let step = gen.next(undefined);
  while (!step.done) step = gen.next(askSync(resolver, step.value));
  return step.value;
}

async function runAsync<T>(gen: Generator<Question, T, Answer>, resolver: Resolver): Promise<T> {
  let step = gen.next(undefined);
  while (!step.done) step = gen.next(await askAsync(resolver, step.value));
  return step.value;
}

/** Counts the lookups of the SPF record published at `domain`, asking live (async) DNS. */
export async function countLookups(domain: string, resolver: Resolver): Promise<LookupCount> {
  const state = newState();
  const root = await runAsync(walkDomain(stripDot(domain), state, [], []), resolver);
  return finish(root, state);
}

/** The same over answers known without waiting (the workspace's zones). */
export function countLookupsSync(domain: string, resolver: SyncResolver): LookupCount {
  const state = newState();
  const root = runSync(walkDomain(stripDot(domain), state, [], []), resolver);
  return finish(root, state);
}

/**
 * Counts the lookups of a record in hand (the one being edited) published at `domain`;
 * without a resolver only the record's own terms are counted.
 */
export function countRecordLookups(record: SpfRecord, domain: string | undefined, resolver?: SyncResolver): LookupCount {
  const state = newState();
  const root = runSync(walkRecord(record, stripDot(domain ?? ''), state, [], [], true), domain === undefined ? undefined : resolver);
  return finish(root, state);
}
