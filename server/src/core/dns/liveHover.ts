// Hovers with the published truth: what live DNS says now about the name under the cursor
// (a KeyTable line's `selector._domainkey.domain`, a zone owner name such as `_dmarc`, an SPF
// include:/a:/mx:/exists:/redirect= target, a host or domain name in main.cf), beside what
// the workspace's zone files say. Pure: the front end does the query (bounded in time)
// through the Resolver interface and passes the answer in.
//
// A main.cf name asks several questions at once: a host its A and AAAA records, a mail
// domain its MX, SPF and DMARC records. Those answers travel as one LiveAnswer whose
// `parts` hold each question's answer, so the front end still makes one call and waits once.

import type { AnalysisContext } from '../context';
import type { Position, Range } from '../types';
import type { DnsAnswer, Resolver } from './resolver';
import { keyTableDnsNames } from './keyTableLive';
import { zoneSyncResolver } from './zoneResolver';
import { zoneContextOf } from '../zone/checks/context';
import { placeInTxt, rrAt } from '../features/zone/locate';
import { hasSpfVersion, parseSpfRecord } from '../records/spf/index';
import { isMainCfDocument, mainTreeOf } from '../postfix/instance';
import type { ValueWord } from '../postfix/tree';

/**
 * One question per type, or a group: `HOST` asks A and AAAA, `MAILDOMAIN` asks MX, the SPF
 * record (TXT) and the DMARC record (TXT at `_dmarc.`).
 */
export type LiveQueryType = 'TXT' | 'A' | 'AAAA' | 'MX' | 'HOST' | 'MAILDOMAIN';

/** One question of a group and its answer (records as text). */
export interface LivePart {
  /** "A", "AAAA", "MX", "SPF", "DMARC". */
  label: string;
  /** The name asked (without the final dot). */
  name: string;
  answer: DnsAnswer<string>;
}

/**
 * A live answer: for a single type the records as text; for a group the summary (ok when
 * any part has records, the parts' records prefixed with their label) and each part.
 */
export type LiveAnswer = DnsAnswer<string> & { parts?: LivePart[] };

/** A name under the cursor whose live records a hover shows. */
export interface LiveDnsTarget {
  /** Without the final dot. */
  name: string;
  type: LiveQueryType;
  /** What the hover covers. */
  range: Range;
}

function inside(r: Range, p: Position): boolean {
  return r.start.line === p.line && p.character >= r.start.character && p.character <= r.end.character;
}

const QUERY_TYPES: ReadonlySet<string> = new Set(['TXT', 'A', 'AAAA', 'MX']);
const SPF_TARGETS: ReadonlySet<string> = new Set(['include', 'a', 'mx', 'exists']);

function plainName(text: string): string | undefined {
  // Macros (%{d}) are expanded per message: nothing fixed to look up.
  if (text === '' || text.includes('%')) return undefined;
  return text.replace(/\.$/, '');
}

/** main.cf parameters whose values name hosts (A/AAAA). */
const HOST_PARAMETERS: ReadonlySet<string> = new Set(['myhostname', 'smtp_helo_name']);
/** main.cf parameters whose values name mail domains (MX, SPF, DMARC). */
const DOMAIN_PARAMETERS: ReadonlySet<string> = new Set(['mydomain', 'myorigin', 'mydestination', 'relay_domains', 'virtual_mailbox_domains', 'virtual_alias_domains']);

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/i;

/** A DNS name with at least two labels (not an IP address): worth asking DNS about. */
export function dnsName(text: string): string | undefined {
  const t = text.replace(/\.$/, '');
  if (t.length === 0 || t.length > 253 || /^[0-9.]+$/.test(t)) return undefined;
  const labels = t.split('.');
  if (labels.length < 2 || !labels.every((l) => l.length <= 63 && LABEL.test(l))) return undefined;
  return t.toLowerCase();
}

function within(r: Range, p: Position): boolean {
  if (p.line < r.start.line || p.line > r.end.line) return false;
  if (p.line === r.start.line && p.character < r.start.character) return false;
  return !(p.line === r.end.line && p.character > r.end.character);
}

/**
 * relayhost: `[host]:port` is delivered to the host's addresses (no MX lookup), `host:port`
 * or `host` to the MX hosts of the name, like Postfix does.
 */
function relayhostTarget(word: string): { name: string; type: LiveQueryType } | undefined {
  const bracket = /^\[([^\]]*)\](?::\d*)?$/.exec(word);
  if (bracket) {
    const name = dnsName(bracket[1]);
    return name ? { name, type: 'HOST' } : undefined;
  }
  const name = dnsName(word.replace(/:\d*$/, ''));
  return name ? { name, type: 'MX' } : undefined;
}

/** A literal host or domain name in a main.cf value (not `$name`, not a lookup table or file). */
function mainCfWordTarget(parameter: string, w: ValueWord): { name: string; type: LiveQueryType } | undefined {
  if (w.table || w.braced || w.text.includes('$') || w.text.startsWith('/')) return undefined;
  if (parameter === 'relayhost') return relayhostTarget(w.text);
  const name = dnsName(w.text);
  if (!name) return undefined;
  if (HOST_PARAMETERS.has(parameter)) return { name, type: 'HOST' };
  if (DOMAIN_PARAMETERS.has(parameter)) return { name, type: 'MAILDOMAIN' };
  return undefined;
}

function mainCfTargetAt(ctx: AnalysisContext, position: Position): LiveDnsTarget | undefined {
  if (!isMainCfDocument(ctx.doc)) return undefined;
  const tree = mainTreeOf(ctx.doc);
  if (!tree) return undefined;
  for (const p of tree.parameters) {
    const parameter = p.name.text;
    if (parameter !== 'relayhost' && !HOST_PARAMETERS.has(parameter) && !DOMAIN_PARAMETERS.has(parameter)) continue;
    if (!within(p.value.range, position)) continue;
    for (const w of p.value.words) {
      if (!within(w.range, position)) continue;
      const t = mainCfWordTarget(parameter, w);
      return t ? { ...t, range: w.range } : undefined;
    }
  }
  return undefined;
}

/** The name (and type) under the cursor that live DNS can answer for, if any. */
export function liveDnsTargetAt(ctx: AnalysisContext, position: Position): LiveDnsTarget | undefined {
  if (ctx.doc.kind === 'postfix-main') return mainCfTargetAt(ctx, position);
  if (ctx.doc.kind === 'opendkim-keytable') {
    const n = keyTableDnsNames(ctx).find((k) => k.entry.line === position.line);
    return n ? { name: n.name, type: 'TXT', range: n.entry.range } : undefined;
  }
  if (ctx.doc.kind !== 'dns-zone') return undefined;
  const z = zoneContextOf(ctx);
  const rr = z && rrAt(z.file, position);
  if (!rr) return undefined;
  const record = rr.record;
  if (!record.ownerInherited && record.tokenCount > 0 && inside(record.tokenRangeAt(0), position)) {
    if (!rr.owner.endsWith('.') || !QUERY_TYPES.has(record.typeName)) return undefined;
    return { name: rr.owner.slice(0, -1).toLowerCase(), type: record.typeName as LiveQueryType, range: record.tokenRangeAt(0) };
  }
  const place = placeInTxt(rr, position);
  if (!place || place.policy.kind !== 'spf') return undefined;
  const rt = place.policy.text;
  for (const term of parseSpfRecord(rt.value).terms) {
    if (place.offset < term.start || place.offset > term.end) continue;
    if (term.kind === 'mechanism' && term.mechanism && SPF_TARGETS.has(term.mechanism) && term.domainSpec) {
      const name = plainName(term.domainSpec.text);
      const type: LiveQueryType = term.mechanism === 'mx' ? 'MX' : term.mechanism === 'a' || term.mechanism === 'exists' ? 'A' : 'TXT';
      return name ? { name: name.toLowerCase(), type, range: rt.rangeOf(term.start, term.end) } : undefined;
    }
    if (term.kind === 'modifier' && term.name === 'redirect') {
      const name = plainName(term.value);
      return name ? { name: name.toLowerCase(), type: 'TXT', range: rt.rangeOf(term.start, term.end) } : undefined;
    }
  }
  return undefined;
}

/**
 * The domain whose SPF record is under the cursor in a zone file (the record's owner), so a
 * hover can add the live totals (spfLiveTotals in records/spf/lookupTree.ts). Undefined
 * off an SPF record, and for an owner that is not absolute.
 */
export function spfRecordDomainAt(ctx: AnalysisContext, position: Position): string | undefined {
  if (ctx.doc.kind !== 'dns-zone') return undefined;
  const z = zoneContextOf(ctx);
  const rr = z && rrAt(z.file, position);
  if (!rr || !rr.owner.endsWith('.')) return undefined;
  const place = placeInTxt(rr, position);
  if (!place || place.policy.kind !== 'spf') return undefined;
  return rr.owner.slice(0, -1).toLowerCase();
}

/** The records as comparable text: TXT joined, MX as "preference exchange", names without the final dot. */
function asText<T>(answer: DnsAnswer<T>, show: (r: T) => string): DnsAnswer<string> {
  return answer.status === 'ok' ? { status: 'ok', records: answer.records.map(show), ttl: answer.ttl } : answer;
}

const host = (n: string) => n.replace(/\.$/, '').toLowerCase();

type SingleType = 'TXT' | 'A' | 'AAAA' | 'MX';

/** The questions a target asks: one for a single type, several for a group. */
interface Question {
  label: string;
  name: string;
  type: SingleType;
  /** Keep only the TXT records that are this kind of policy. */
  only?: 'spf' | 'dmarc';
}

function questionsOf(target: LiveDnsTarget): Question[] {
  const { name } = target;
  switch (target.type) {
    case 'HOST': return [{ label: 'A', name, type: 'A' }, { label: 'AAAA', name, type: 'AAAA' }];
    case 'MAILDOMAIN': return [
      { label: 'MX', name, type: 'MX' },
      { label: 'SPF', name, type: 'TXT', only: 'spf' },
      { label: 'DMARC', name: `_dmarc.${name}`, type: 'TXT', only: 'dmarc' },
    ];
    default: return [{ label: target.type, name, type: target.type }];
  }
}

const isDmarc = (v: string) => /^v\s*=\s*DMARC1\s*(;|$)/i.test(v);

/** TXT answers narrowed to SPF or DMARC records; a name with other TXT records only has none of them. */
function narrowed(a: DnsAnswer<string>, only: Question['only']): DnsAnswer<string> {
  if (!only || a.status !== 'ok') return a;
  const records = a.records.filter(only === 'spf' ? hasSpfVersion : isDmarc);
  return records.length ? { ...a, records } : { status: 'nodata' };
}

async function askLive(resolver: Resolver, q: Question): Promise<DnsAnswer<string>> {
  try {
    switch (q.type) {
      case 'TXT': return narrowed(asText(await resolver.txt(q.name), (r) => r.join('')), q.only);
      case 'A': return asText(await resolver.addresses(q.name, 4), (r) => r.toLowerCase());
      case 'AAAA': return asText(await resolver.addresses(q.name, 6), (r) => r.toLowerCase());
      case 'MX': return asText(await resolver.mx(q.name), (r) => `${r.preference} ${host(r.exchange)}`);
    }
  } catch (e) {
    return { status: 'servfail', detail: (e as Error)?.message ?? String(e) };
  }
}

/** How a group's summary reads when no part has records: the worst outcome wins. */
const FAILURE_ORDER: DnsAnswer<string>['status'][] = ['timeout', 'servfail', 'nodata', 'nxdomain'];

function groupAnswer(parts: LivePart[]): LiveAnswer {
  const ok = parts.filter((p) => p.answer.status === 'ok');
  if (ok.length) {
    const records = ok.flatMap((p) => (p.answer as { records: string[] }).records.map((r) => `${p.label} ${r}`));
    const ttls = ok.map((p) => (p.answer as { ttl?: number }).ttl).filter((t): t is number => t !== undefined);
    return { status: 'ok', records, ttl: ttls.length ? Math.min(...ttls) : undefined, parts };
  }
  for (const status of FAILURE_ORDER) {
    const hit = parts.find((p) => p.answer.status === status);
    if (hit) return { ...hit.answer, parts } as LiveAnswer;
  }
  return { status: 'nodata', parts };
}

/** Asks live DNS for a target's records, as text (a group's questions in parallel). */
export async function queryLiveTarget(resolver: Resolver, target: LiveDnsTarget): Promise<LiveAnswer> {
  const questions = questionsOf(target);
  if (questions.length === 1 && target.type !== 'HOST' && target.type !== 'MAILDOMAIN') return askLive(resolver, questions[0]);
  const answers = await Promise.all(questions.map((q) => askLive(resolver, q)));
  return groupAnswer(questions.map((q, i) => ({ label: q.label, name: q.name, answer: answers[i] })));
}

/** What the workspace's zone files say about one question; undefined when they do not cover it. */
function localAnswer(ctx: AnalysisContext, q: Question): DnsAnswer<string> | undefined {
  const zones = zoneSyncResolver(ctx.workspace);
  switch (q.type) {
    case 'TXT': { const a = zones.txt(q.name); return a && narrowed(asText(a, (r) => r.join('')), q.only); }
    case 'A': { const a = zones.addresses(q.name, 4); return a && asText(a, (r) => r.toLowerCase()); }
    case 'AAAA': { const a = zones.addresses(q.name, 6); return a && asText(a, (r) => r.toLowerCase()); }
    case 'MX': { const a = zones.mx(q.name); return a && asText(a, (r) => `${r.preference} ${host(r.exchange)}`); }
  }
}

const MAX_SHOWN = 10;
const MAX_CHARS = 160;

function shown(record: string): string {
  const r = record.length > MAX_CHARS ? record.slice(0, MAX_CHARS) + '…' : record;
  return '`' + r.replace(/`/g, "'") + '`';
}

function outcome(a: DnsAnswer<string>): string {
  switch (a.status) {
    case 'ok': return `${a.records.length} record${a.records.length === 1 ? '' : 's'}`;
    case 'nxdomain': return 'the name does not exist (NXDOMAIN)';
    case 'nodata': return 'the name exists but has no record of this type (NODATA)';
    case 'servfail': return `the lookup failed (${a.detail ?? 'SERVFAIL'})`;
    case 'timeout': return 'no DNS server answered in time';
  }
}

function sameSet(a: string[], b: string[]): boolean {
  const norm = (l: string[]) => [...new Set(l)].sort().join('\n');
  return norm(a) === norm(b);
}

/** The comparison of one live answer with the zone files, as hover lines. */
function comparisonLines(live: DnsAnswer<string>, local: DnsAnswer<string> | undefined): string[] {
  const lines: string[] = [];
  if (!local || local.status === 'servfail' || local.status === 'timeout') {
    lines.push('The zone files of this workspace do not say what this name should hold.');
  } else if (local.status === 'ok' && live.status === 'ok') {
    if (sameSet(local.records, live.records)) {
      lines.push('Same as the zone files of this workspace.');
    } else {
      const missing = local.records.filter((r) => !live.records.includes(r));
      const extra = live.records.filter((r) => !local.records.includes(r));
      lines.push('**Differs from the zone files of this workspace**' + (missing.length || extra.length ? ':' : ' (duplicates).'));
      for (const r of missing.slice(0, MAX_SHOWN)) lines.push(`- only in the zone files: ${shown(r)}`);
      for (const r of extra.slice(0, MAX_SHOWN)) lines.push(`- only in DNS: ${shown(r)}`);
    }
  } else if (local.status === 'ok') {
    lines.push(`**Differs from the zone files of this workspace**: they have ${local.records.length} record${local.records.length === 1 ? '' : 's'} here, DNS none (not published yet, or not reloaded).`);
  } else if (live.status === 'ok') {
    lines.push('**Differs from the zone files of this workspace**: they have no such record, DNS has (the published zone is not this file).');
  } else {
    lines.push('The zone files of this workspace have no such record either.');
  }
  return lines;
}

function recordLines(live: DnsAnswer<string>): string[] {
  if (live.status !== 'ok') return [];
  const lines = live.records.slice(0, MAX_SHOWN).map((r) => `- ${shown(r)}`);
  if (live.records.length > MAX_SHOWN) lines.push(`- … ${live.records.length - MAX_SHOWN} more`);
  return lines;
}

function ttlText(a: DnsAnswer<string>): string {
  return a.status === 'ok' && a.ttl !== undefined ? `, TTL ${a.ttl} s` : '';
}

const GROUP_TITLE: Partial<Record<LiveQueryType, string>> = {
  HOST: 'host (A/AAAA)',
  MAILDOMAIN: 'mail domain (MX, SPF, DMARC)',
};

/**
 * The hover text: the live answer (or that it is still being looked up) and how it compares
 * with the zone files of the workspace; for a group, each question in turn.
 */
export function liveDnsMarkdown(ctx: AnalysisContext, target: LiveDnsTarget, live: LiveAnswer | 'pending'): string {
  const group = GROUP_TITLE[target.type];
  const head = `**Live DNS** — \`${target.name}\` ${group ?? target.type}`;
  if (live === 'pending') return `${head}: looking up … (hover again in a moment)`;
  const questions = questionsOf(target);
  if (!group) {
    const lines = [`${head}: ${outcome(live)}${ttlText(live)}`, ...recordLines(live)];
    if (live.status === 'servfail' || live.status === 'timeout') return lines.join('\n');
    lines.push('', ...comparisonLines(live, localAnswer(ctx, questions[0])));
    return lines.join('\n');
  }
  const lines = [head];
  questions.forEach((q, i) => {
    // A summary without parts (the front end kept an older answer shape) says what it can.
    const answer = live.parts?.[i]?.answer ?? live;
    const where = q.name === target.name ? '' : ` (\`${q.name}\`)`;
    const said = q.only && answer.status === 'nodata' ? `no ${q.label} record` : outcome(answer);
    lines.push('', `**${q.label}**${where}: ${said}${ttlText(answer)}`, ...recordLines(answer));
    if (answer.status !== 'servfail' && answer.status !== 'timeout') lines.push('', ...comparisonLines(answer, localAnswer(ctx, q)));
  });
  return lines.join('\n');
}
