// Hovers with the published truth: what live DNS says now about the name under the cursor
// (a KeyTable line's `selector._domainkey.domain`, a zone owner name, an SPF include:/a:/mx:/
// exists:/redirect= target), beside what the workspace's zone files say. Pure: the front end
// does the query (bounded in time) through the Resolver interface and passes the answer in.

import type { AnalysisContext } from '../context';
import type { Position, Range } from '../types';
import type { DnsAnswer, Resolver } from './resolver';
import { keyTableDnsNames } from './keyTableLive';
import { zoneSyncResolver } from './zoneResolver';
import { zoneContextOf } from '../zone/checks/context';
import { placeInTxt, rrAt } from '../features/zone/locate';
import { parseSpfRecord } from '../records/spf/index';

export type LiveQueryType = 'TXT' | 'A' | 'AAAA' | 'MX';

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

/** The name (and type) under the cursor that live DNS can answer for, if any. */
export function liveDnsTargetAt(ctx: AnalysisContext, position: Position): LiveDnsTarget | undefined {
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

/** The records as comparable text: TXT joined, MX as "preference exchange", names without the final dot. */
function asText<T>(answer: DnsAnswer<T>, show: (r: T) => string): DnsAnswer<string> {
  return answer.status === 'ok' ? { status: 'ok', records: answer.records.map(show), ttl: answer.ttl } : answer;
}

const host = (n: string) => n.replace(/\.$/, '').toLowerCase();

/** Asks live DNS for a target's records, as text. */
export async function queryLiveTarget(resolver: Resolver, target: LiveDnsTarget): Promise<DnsAnswer<string>> {
  switch (target.type) {
    case 'TXT': return asText(await resolver.txt(target.name), (r) => r.join(''));
    case 'A': return asText(await resolver.addresses(target.name, 4), (r) => r.toLowerCase());
    case 'AAAA': return asText(await resolver.addresses(target.name, 6), (r) => r.toLowerCase());
    case 'MX': return asText(await resolver.mx(target.name), (r) => `${r.preference} ${host(r.exchange)}`);
  }
}

/** What the workspace's zone files say about the target; undefined when they do not cover it. */
function localAnswer(ctx: AnalysisContext, target: LiveDnsTarget): DnsAnswer<string> | undefined {
  const zones = zoneSyncResolver(ctx.workspace);
  switch (target.type) {
    case 'TXT': { const a = zones.txt(target.name); return a && asText(a, (r) => r.join('')); }
    case 'A': { const a = zones.addresses(target.name, 4); return a && asText(a, (r) => r.toLowerCase()); }
    case 'AAAA': { const a = zones.addresses(target.name, 6); return a && asText(a, (r) => r.toLowerCase()); }
    case 'MX': { const a = zones.mx(target.name); return a && asText(a, (r) => `${r.preference} ${host(r.exchange)}`); }
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

/**
 * The hover text: the live answer (or that it is still being looked up) and how it compares
 * with the zone files of the workspace.
 */
export function liveDnsMarkdown(ctx: AnalysisContext, target: LiveDnsTarget, live: DnsAnswer<string> | 'pending'): string {
  const head = `**Live DNS** — \`${target.name}\` ${target.type}`;
  if (live === 'pending') return `${head}: looking up … (hover again in a moment)`;
  const lines = [`${head}: ${outcome(live)}${live.status === 'ok' && live.ttl !== undefined ? `, TTL ${live.ttl} s` : ''}`];
  if (live.status === 'ok') {
    for (const r of live.records.slice(0, MAX_SHOWN)) lines.push(`- ${shown(r)}`);
    if (live.records.length > MAX_SHOWN) lines.push(`- … ${live.records.length - MAX_SHOWN} more`);
  }
  if (live.status === 'servfail' || live.status === 'timeout') return lines.join('\n');
  const local = localAnswer(ctx, target);
  if (!local || local.status === 'servfail' || local.status === 'timeout') {
    lines.push('', 'The zone files of this workspace do not say what this name should hold.');
  } else if (local.status === 'ok' && live.status === 'ok') {
    if (sameSet(local.records, live.records)) {
      lines.push('', 'Same as the zone files of this workspace.');
    } else {
      const missing = local.records.filter((r) => !live.records.includes(r));
      const extra = live.records.filter((r) => !local.records.includes(r));
      lines.push('', '**Differs from the zone files of this workspace**' + (missing.length || extra.length ? ':' : ' (duplicates).'));
      for (const r of missing.slice(0, MAX_SHOWN)) lines.push(`- only in the zone files: ${shown(r)}`);
      for (const r of extra.slice(0, MAX_SHOWN)) lines.push(`- only in DNS: ${shown(r)}`);
    }
  } else if (local.status === 'ok') {
    lines.push('', `**Differs from the zone files of this workspace**: they have ${local.records.length} record${local.records.length === 1 ? '' : 's'} here, DNS none (not published yet, or not reloaded).`);
  } else if (live.status === 'ok') {
    lines.push('', '**Differs from the zone files of this workspace**: they have no such record, DNS has (the published zone is not this file).');
  } else {
    lines.push('', 'The zone files of this workspace have no such record either.');
  }
  return lines.join('\n');
}
