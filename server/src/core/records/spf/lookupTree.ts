// The SPF lookup tree as a readable report: the include/redirect tree a receiver walks for a
// domain, asked of live DNS, with every DNS-querying term, the running lookup and void
// counts against RFC 7208's limits (10 and 2), the term that pushed a count over, loops,
// failed lookups, and — when the workspace's zone files are given — where they say
// something else than DNS.
//
// The walk is lookups.ts's (countLookups); this file only watches the questions it asks
// (a recording resolver) and lays the result out. Pure: DNS comes through the Resolver.

import type { DnsAnswer, MxAnswer, Resolver } from '../../dns/resolver';
import { countLookups, countLookupsSync, LOOKUP_LIMIT, VOID_LIMIT, type LookupCount, type LookupNode, type LookupTerm, type SyncResolver } from './lookups';

export type SpfQuestionType = 'TXT' | 'A' | 'AAAA' | 'MX';

/** One DNS question the walk asked, with the live answer as comparable text. */
export interface SpfAskedQuestion {
  type: SpfQuestionType;
  /** Lower case, without the final dot. */
  name: string;
  answer: DnsAnswer<string>;
}

/** A term of the tree, in the order a receiver evaluates it. */
export interface SpfTreeRow {
  /** 0 for the terms of the domain's own record, 1 inside its includes, … */
  depth: number;
  /** The domain whose record holds the term. */
  in: string;
  /** The term as written (`include:_spf.example.net`, `mx`, `redirect=…`). */
  term: string;
  /** DNS lookups of the whole evaluation after this term. */
  lookups: number;
  /** Void lookups of the whole evaluation after this term. */
  voids: number;
  /** The name the term queries, when fixed. */
  target?: string;
  /** What happened, in plain words. */
  note: string;
  /** This term is lookup number 11 (the first over the limit). */
  overLimit?: boolean;
  /** This term is void lookup number 3. */
  overVoidLimit?: boolean;
  /** This term could not be followed because a lookup failed (timeout, SERVFAIL). */
  failed?: boolean;
  /** include/redirect that leads back to a domain being evaluated. */
  loop?: boolean;
  /** include/redirect of a domain without one valid SPF record: a permerror for receivers. */
  broken?: boolean;
}

export interface SpfLookupError {
  /** "TXT name", "A name" … */
  question: string;
  status: 'timeout' | 'servfail';
  detail?: string;
}

export interface SpfZoneDifference {
  /** "TXT name", "A name" … */
  question: string;
  /** What live DNS answered, as text. */
  live: string;
  /** What the workspace's zone files answer. */
  zones: string;
}

export interface SpfLookupTreeReport {
  domain: string;
  /** The walk's result: the tree, totals, the chains over the limits, loops. */
  count: LookupCount;
  /** The tree flattened in evaluation order. */
  rows: SpfTreeRow[];
  /** Every question asked, in order. */
  questions: SpfAskedQuestion[];
  errors: SpfLookupError[];
  /** Questions the zone files answer differently (only with `options.zones`). */
  differences: SpfZoneDifference[];
  /** The totals the zone files alone give, when they have the domain's record. */
  zoneTotals?: { lookups: number; voids: number; complete: boolean };
}

const host = (n: string) => n.replace(/\.$/, '').toLowerCase();

function asText<T>(a: DnsAnswer<T>, show: (r: T) => string): DnsAnswer<string> {
  return a.status === 'ok' ? { status: 'ok', records: a.records.map(show), ttl: a.ttl } : a;
}

const txtText = (r: string[]) => r.join('');
const addressText = (r: string) => r.toLowerCase();
const mxText = (r: MxAnswer) => `${r.preference} ${host(r.exchange)}`;

/** Wraps a resolver so that every TXT/A/AAAA/MX question and its answer is kept. */
function recording(resolver: Resolver, questions: SpfAskedQuestion[]): Resolver {
  const keep = (type: SpfQuestionType, name: string, answer: DnsAnswer<string>) => { questions.push({ type, name: host(name), answer }); };
  return {
    async txt(name) {
      const a = await resolver.txt(name);
      keep('TXT', name, asText(a, txtText));
      return a;
    },
    async addresses(name, family) {
      const a = await resolver.addresses(name, family);
      keep(family === 4 ? 'A' : 'AAAA', name, asText(a, addressText));
      return a;
    },
    async mx(name) {
      const a = await resolver.mx(name);
      keep('MX', name, asText(a, mxText));
      return a;
    },
    ptr: (name) => resolver.ptr(name),
  };
}

function zoneAnswer(zones: SyncResolver, q: SpfAskedQuestion): DnsAnswer<string> | undefined {
  switch (q.type) {
    case 'TXT': { const a = zones.txt(q.name); return a && asText(a, txtText); }
    case 'A': { const a = zones.addresses(q.name, 4); return a && asText(a, addressText); }
    case 'AAAA': { const a = zones.addresses(q.name, 6); return a && asText(a, addressText); }
    case 'MX': { const a = zones.mx(q.name); return a && asText(a, mxText); }
  }
}

/** An answer in a few words: the records, or what kind of nothing. */
export function answerText(a: DnsAnswer<string>): string {
  switch (a.status) {
    case 'ok': return a.records.length === 0 ? 'no records' : [...a.records].sort().map((r) => `"${r}"`).join(', ');
    case 'nxdomain': return 'the name does not exist (NXDOMAIN)';
    case 'nodata': return 'no record of this type (NODATA)';
    case 'servfail': return `lookup failed (${a.detail ?? 'SERVFAIL'})`;
    case 'timeout': return 'no answer in time (timeout)';
  }
}

function sameAnswer(a: DnsAnswer<string>, b: DnsAnswer<string>): boolean {
  if (a.status === 'ok' && b.status === 'ok') {
    const norm = (l: string[]) => [...new Set(l)].sort().join('\n');
    return norm(a.records) === norm(b.records);
  }
  // NXDOMAIN and NODATA are both "nothing here" for SPF's purposes, but a zone file that has
  // the name and DNS that does not is still worth a line.
  return a.status === b.status;
}

function failureOf(a: DnsAnswer<string> | undefined): { status: 'timeout' | 'servfail'; detail?: string } | undefined {
  if (a?.status === 'timeout') return { status: 'timeout' };
  if (a?.status === 'servfail') return { status: 'servfail', detail: a.detail };
  return undefined;
}

function failureWords(f: { status: 'timeout' | 'servfail'; detail?: string }): string {
  return f.status === 'timeout' ? 'no DNS server answered in time' : `the DNS server failed (${f.detail ?? 'SERVFAIL'})`;
}

/** The last answer recorded for a question (a name may be asked more than once). */
function findAnswer(questions: SpfAskedQuestion[], type: SpfQuestionType, name: string): DnsAnswer<string> | undefined {
  const n = host(name);
  for (let i = questions.length - 1; i >= 0; i--) if (questions[i].type === type && questions[i].name === n) return questions[i].answer;
  return undefined;
}

const CHILD_STATUS_TEXT: Record<string, string> = {
  none: 'has no SPF record: receivers return permerror for the whole evaluation',
  multiple: 'publishes several SPF records: receivers return permerror',
  syntax: 'has an SPF record with syntax errors: receivers return permerror; its terms are not counted',
  loop: 'is already being evaluated above: an include/redirect loop, which receivers end with permerror (the lookup limit)',
  skipped: 'not followed: the count is already far over the limit',
};

/** The rows of the tree, in evaluation order, with the running void count. */
function flatten(count: LookupCount, questions: SpfAskedQuestion[]): SpfTreeRow[] {
  const rows: SpfTreeRow[] = [];
  const overTerm = count.overLimit?.at(-1);
  const overVoidTerm = count.overVoidLimit?.at(-1);
  let voids = 0;
  const visit = (node: LookupNode, depth: number) => {
    for (const t of node.terms) {
      if (t.void) voids++;
      const row: SpfTreeRow = { depth, in: node.domain, term: t.term.text, lookups: t.runningTotal, voids, target: t.target, note: '' };
      if (t === overTerm) row.overLimit = true;
      if (t === overVoidTerm) row.overVoidLimit = true;
      row.note = describeTerm(t, row, questions);
      rows.push(row);
      if (t.child && t.child.status === 'ok') visit(t.child, depth + 1);
    }
  };
  visit(count.root, 0);
  return rows;
}

function describeTerm(t: LookupTerm, row: SpfTreeRow, questions: SpfAskedQuestion[]): string {
  const name = t.term.kind === 'modifier' ? 'redirect' : t.term.mechanism;
  if (t.child) {
    const c = t.child;
    if (c.status === 'ok') return `\`${c.domain}\`: ${code(c.record ?? '')}`;
    if (c.status === 'loop') row.loop = true;
    if (c.status === 'none' || c.status === 'multiple' || c.status === 'syntax') row.broken = true;
    if (c.status === 'unknown') {
      const f = failureOf(findAnswer(questions, 'TXT', c.domain));
      row.failed = true;
      return `\`${c.domain}\`: not followed — ${f ? failureWords(f) : 'its record is not known'}`;
    }
    const record = c.record ? `: ${code(c.record)}` : '';
    return `\`${c.domain}\` ${CHILD_STATUS_TEXT[c.status] ?? c.status}${record}`;
  }
  if (t.unknown) {
    if (name === 'ptr') return 'depends on the connecting client\'s reverse DNS (ptr is deprecated)';
    if (t.target === undefined) {
      return (t.term.kind === 'modifier' ? t.term.macro.hasMacros : t.term.domainSpec?.macro.hasMacros)
        ? 'depends on macros filled in per message'
        : 'not followed (the term has a syntax error)';
    }
    const type = name === 'mx' ? 'MX' : 'A';
    const f = failureOf(findAnswer(questions, type, t.target)) ?? failureOf(findAnswer(questions, 'AAAA', t.target));
    row.failed = true;
    return `\`${t.target}\`: ${f ? failureWords(f) : 'not known'}`;
  }
  if (t.void) {
    const a = findAnswer(questions, name === 'mx' ? 'MX' : name === 'a' ? 'AAAA' : 'A', t.target ?? '');
    const why = a?.status === 'nxdomain' ? 'the name does not exist' : 'no records';
    return `\`${t.target}\`: **void lookup** (${why})`;
  }
  if (name === 'mx') return `\`${t.target}\`: ${t.mxCount ?? 0} MX host${t.mxCount === 1 ? '' : 's'}${(t.mxCount ?? 0) > 10 ? ' — more than 10: permerror' : ''}`;
  if (name === 'exists') return `\`${t.target}\`: has an A record`;
  return `\`${t.target}\`: has addresses`;
}

/**
 * Walks the SPF tree of `domain` over `resolver` (live DNS). With `zones` (the workspace's
 * zone files, synchronously), every question they can answer is compared with DNS.
 * Never throws: a failing resolver call counts as a SERVFAIL.
 */
export async function spfLookupTree(domain: string, resolver: Resolver, options: { zones?: SyncResolver } = {}): Promise<SpfLookupTreeReport> {
  const questions: SpfAskedQuestion[] = [];
  const d = host(domain);
  const count = await countLookups(d, recording(safe(resolver), questions));
  const errors: SpfLookupError[] = [];
  const differences: SpfZoneDifference[] = [];
  const seen = new Set<string>();
  for (const q of questions) {
    const key = `${q.type} ${q.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const f = failureOf(q.answer);
    if (f) { errors.push({ question: key, ...f }); continue; }
    const z = options.zones && zoneAnswer(options.zones, q);
    if (!z || z.status === 'servfail' || z.status === 'timeout') continue;
    if (!sameAnswer(q.answer, z)) differences.push({ question: key, live: answerText(q.answer), zones: answerText(z) });
  }
  let zoneTotals: SpfLookupTreeReport['zoneTotals'];
  if (options.zones) {
    const z = countLookupsSync(d, options.zones);
    if (z.root.status === 'ok') zoneTotals = { lookups: z.total, voids: z.voids, complete: z.complete };
  }
  return { domain: d, count, rows: flatten(count, questions), questions, errors, differences, zoneTotals };
}

/** A resolver whose rejections become SERVFAIL answers, so the walk always ends. */
function safe(resolver: Resolver): Resolver {
  const guard = async <T>(p: () => Promise<DnsAnswer<T>>): Promise<DnsAnswer<T>> => {
    try {
      return await p();
    } catch (e) {
      return { status: 'servfail', detail: (e as Error)?.message ?? String(e) };
    }
  };
  return {
    txt: (n) => guard(() => resolver.txt(n)),
    addresses: (n, f) => guard(() => resolver.addresses(n, f)),
    mx: (n) => guard(() => resolver.mx(n)),
    ptr: (n) => guard(() => resolver.ptr(n)),
  };
}

function code(text: string): string {
  return '`' + text.replace(/`/g, "'") + '`';
}

/** The chain of terms that led to a term, outermost first: "`include:a` → `include:b`". */
function chainText(chain: LookupTerm[]): string {
  return chain.map((t) => code(t.term.text)).join(' → ');
}

function rootStatusText(report: SpfLookupTreeReport): string | undefined {
  const root = report.count.root;
  switch (root.status) {
    case 'ok': return undefined;
    case 'none': return `\`${report.domain}\` publishes no SPF record: receivers get result *none* (no policy).`;
    case 'multiple': return `\`${report.domain}\` publishes several SPF records: receivers return *permerror*. Merge them into one.`;
    case 'syntax': return `The SPF record of \`${report.domain}\` has syntax errors: receivers return *permerror*. Record: ${code(root.record ?? '')}`;
    case 'unknown': {
      const f = failureOf(findAnswer(report.questions, 'TXT', report.domain));
      return `The SPF record of \`${report.domain}\` could not be read: ${f ? failureWords(f) : 'unknown'}.`;
    }
    default: return `\`${report.domain}\`: ${root.status}`;
  }
}

/** The totals in one line (Markdown), as the hover and the report's head show them. */
export function spfTotalsLine(report: SpfLookupTreeReport): string {
  const c = report.count;
  const bound = c.complete ? '' : 'at least ';
  const over = c.total > LOOKUP_LIMIT;
  const overVoid = c.voids > VOID_LIMIT;
  let line = `DNS lookups: **${bound}${c.total} of ${LOOKUP_LIMIT}**${over ? ' — over the limit: receivers return permerror' : ''}; void lookups: **${c.voids} of ${VOID_LIMIT}**${overVoid ? ' — over the limit: receivers return permerror' : ''}.`;
  if (c.overLimit) line += ` Pushed over by ${code(c.overLimit.at(-1)!.term.text)} (lookup ${c.overLimit.at(-1)!.runningTotal}).`;
  if (c.overVoidLimit) line += ` Void limit passed at ${code(c.overVoidLimit.at(-1)!.term.text)}.`;
  if (!c.complete) line += ' Some terms could not be counted (macros, ptr, failed lookups).';
  return line;
}

/** Markdown for a read-only document: totals, what went wrong, the tree, differences with the zone files. */
export function renderSpfLookupTree(report: SpfLookupTreeReport): string {
  const out: string[] = [`# SPF lookup tree of \`${report.domain}\``, ''];
  const status = rootStatusText(report);
  if (status) {
    out.push(status, '');
  } else {
    out.push(`Record: ${code(report.count.root.record ?? '')}`, '', spfTotalsLine(report), '');
  }
  const c = report.count;
  const problems: string[] = [];
  if (c.overLimit) problems.push(`**Over the 10-lookup limit** at lookup ${c.overLimit.at(-1)!.runningTotal}: ${chainText(c.overLimit)}. Receivers stop there with permerror, so mail from every sender this record does not list before that point fails SPF. Replace includes by ip4:/ip6: ranges or drop includes nobody sends through.`);
  if (c.overVoidLimit) problems.push(`**Over the 2-void-lookup limit**: ${chainText(c.overVoidLimit)}. Names without records cost a lookup and count as void; receivers return permerror after the second. Remove terms that point at names that do not exist.`);
  for (const loop of c.loops) problems.push(`**Loop**: ${chainText(loop)} leads back to \`${loop.at(-1)!.child?.domain ?? ''}\`, which is already being evaluated. Receivers end with permerror.`);
  for (const e of report.errors) problems.push(`**Lookup failed**: ${e.question}: ${failureWords(e)}. The count is a lower bound; receivers would return temperror.`);
  for (const r of report.rows) if (r.broken) problems.push(`**Broken include**: ${code(r.term)} in \`${r.in}\`: ${r.note}`);
  if (problems.length) out.push('## Problems', '', ...problems.map((p) => `- ${p}`), '');

  if (report.rows.length) {
    out.push('## Tree', '', `- \`${report.domain}\``);
    for (const r of report.rows) {
      const marks: string[] = [`lookup ${r.lookups}`];
      if (r.voids > 0) marks.push(`void ${r.voids}`);
      let flag = '';
      if (r.overLimit) flag = ' — **11th lookup: over the limit**';
      else if (r.overVoidLimit) flag = ' — **3rd void lookup: over the limit**';
      else if (r.loop) flag = ' — **loop**';
      else if (r.broken) flag = ' — **permerror**';
      else if (r.failed) flag = ' — **lookup failed**';
      out.push(`${'  '.repeat(r.depth + 1)}- ${code(r.term)} (${marks.join(', ')})${flag} — ${r.note}`);
    }
    out.push('');
  }

  if (report.zoneTotals || report.differences.length) {
    out.push('## Zone files of the workspace', '');
    if (report.zoneTotals) {
      const z = report.zoneTotals;
      out.push(`From the zone files alone: ${z.complete ? '' : 'at least '}${z.lookups} DNS lookups, ${z.voids} void.`, '');
    }
    if (report.differences.length === 0) {
      out.push('Where the zone files have the names asked, they agree with live DNS.', '');
    } else {
      out.push('They say something else than live DNS here (not published yet, not reloaded, or another copy):', '');
      for (const d of report.differences) out.push(`- ${d.question}: DNS ${d.live}; zone files ${d.zones}`);
      out.push('');
    }
  }
  return out.join('\n');
}

/**
 * One Markdown line with the live totals of the SPF record of `domain`, for the record's
 * hover: "Live DNS: 7 of 10 lookups, 0 of 2 void", or what kept it from being counted.
 */
export async function spfLiveTotals(domain: string, resolver: Resolver): Promise<string> {
  const report = await spfLookupTree(domain, resolver);
  const status = rootStatusText(report);
  if (status) return `**Live DNS**: ${status}`;
  return `**Live DNS** (\`${report.domain}\`): ${spfTotalsLine(report)}`;
}
