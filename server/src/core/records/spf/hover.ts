// Hover texts for SPF records, in our own words: what each mechanism, modifier and
// qualifier does, and a summary of the whole record with its DNS lookup count. The zone
// features call spfHover() with an offset in the TXT value.

import { countRecordLookups, LOOKUP_LIMIT, VOID_LIMIT, type LookupCount, type SyncResolver } from './lookups';
import { parseSpfRecord } from './parser';
import type { Qualifier, SpfRecord, SpfTerm } from './tree';
import { MAX_RECORD_TEXT } from '../recordText';

const QUALIFIER_TEXT: Record<Qualifier, string> = {
  '+': '`+` **pass** (the default when no qualifier is written): the host is authorised.',
  '-': '`-` **fail**: the host is not authorised; receivers may reject the mail.',
  '~': '`~` **softfail**: probably not authorised; receivers accept but mark or score the mail.',
  '?': '`?` **neutral**: no statement, treated like having no policy.',
};

const MECHANISM_TEXT: Record<string, string> = {
  all: '**all** matches every sender. It belongs at the end: its qualifier is the answer for every host the terms before it did not list (`~all` or `-all`).',
  include: '**include:domain** evaluates the SPF record of another domain (typically a mail provider\'s). It matches when that record gives *pass*; *fail* or *softfail* there just mean "not matched here". A domain without an SPF record makes it a permerror. Costs one DNS lookup plus all lookups of the included record.',
  a: '**a** matches when the sender\'s IP is one of the A/AAAA addresses of the domain (this domain when none is given). An optional `/len` (IPv4) and `//len` (IPv6) widen it to the network. Costs one DNS lookup.',
  mx: '**mx** matches when the sender\'s IP is an address of one of the domain\'s MX hosts (this domain when none is given) — your inbound servers, which often also send. At most 10 MX hosts. Costs one DNS lookup plus the address lookups of the MX hosts.',
  ptr: '**ptr** matches when the sender\'s reverse DNS name (validated forwards) ends in the domain. Deprecated by RFC 7208: slow, unreliable, and ignored by some receivers. Use ip4/ip6 or a instead.',
  ip4: '**ip4:address[/len]** matches the sender\'s IPv4 address, or a network with a prefix length (0–32). Costs no DNS lookup.',
  ip6: '**ip6:address[/len]** matches the sender\'s IPv6 address, or a network with a prefix length (0–128). Costs no DNS lookup.',
  exists: '**exists:domain** matches when the (usually macro-built) name has an A record, whatever the address. Used for per-sender lookups such as `exists:%{i}._spf.%{d}`. Costs one DNS lookup.',
};

const MODIFIER_TEXT: Record<string, string> = {
  redirect: '**redirect=domain** hands the whole decision to another domain\'s SPF record when no mechanism here matched. Ignored when the record has an `all` mechanism. That domain must have an SPF record (otherwise permerror). Costs one DNS lookup.',
  exp: '**exp=domain** names a TXT record whose text (with macros) receivers may show in their rejection message when the result is *fail*.',
  ra: '**ra=** (RFC 6652) the local-part of the address for SPF failure reports.',
  rp: '**rp=** (RFC 6652) the percentage of failures to report.',
  rr: '**rr=** (RFC 6652) which kinds of failures to report.',
};

/** Our description of one term (mechanism with its qualifier, or modifier). */
export function spfTermHover(term: SpfTerm): string {
  if (term.kind === 'modifier') {
    if (term.name === 'v') return '**v=spf1** marks the TXT record as an SPF policy; it must be its first word.';
    return MODIFIER_TEXT[term.name] ?? `**${term.name}=** is not a modifier SPF defines; receivers ignore it.`;
  }
  const text = term.mechanism ? MECHANISM_TEXT[term.mechanism] : `**${term.name || term.text}** is not an SPF mechanism: receivers reject the whole record (permerror).`;
  const parts = [text];
  if (term.mechanism) {
    parts.push(`Qualifier: ${QUALIFIER_TEXT[term.qualifier]}`);
    if (term.mechanism !== 'all' && term.mechanism !== 'ip4' && term.mechanism !== 'ip6' && !term.domainSpec) parts.push('Applies to the domain the record belongs to.');
    if (term.domainSpec?.macro.hasMacros) parts.push('The domain contains macros (`%{…}`) that receivers fill in from the message being checked.');
  }
  return parts.join('\n\n');
}

/** A summary of the record: the lookup count against the limit, and the default result. */
export function spfRecordHoverSummary(record: SpfRecord, count?: LookupCount): string {
  const lines: string[] = ['**SPF record** (RFC 7208)'];
  if (count) {
    const bound = count.complete ? '' : 'at least ';
    lines.push(`DNS lookups: ${bound}${count.total} of ${LOOKUP_LIMIT} allowed${count.total > LOOKUP_LIMIT ? ' — **over the limit: receivers return permerror**' : ''}; void lookups: ${count.voids} of ${VOID_LIMIT}.` +
      (count.complete ? '' : ' Some includes or names are outside the zones of this workspace, or use macros, and were not counted.'));
  }
  const all = record.terms.find((t) => t.kind === 'mechanism' && t.mechanism === 'all');
  if (all && all.kind === 'mechanism') lines.push(`Hosts not listed: ${QUALIFIER_TEXT[all.qualifier]}`);
  else if (record.redirect) lines.push(`Hosts not listed: decided by the SPF record of \`${record.redirect.value}\`.`);
  else lines.push('Hosts not listed: **neutral** (no `all` at the end).');
  return lines.join('\n\n');
}

export interface SpfHover {
  markdown: string;
  /** The hovered term's offsets in the value (the whole value for the summary). */
  start: number;
  end: number;
}

/**
 * The hover at `offset` of an SPF value: the term's description followed by the record
 * summary, or the summary alone on the version tag and between terms.
 */
export function spfHover(value: string, offset: number, options: { owner?: string; resolver?: SyncResolver } = {}): SpfHover | undefined {
  // As the checks do, read no more than a DNS record holds (a 10 MB line took seconds).
  if (value.length > MAX_RECORD_TEXT) {
    if (offset > MAX_RECORD_TEXT) return undefined;
    value = value.slice(0, MAX_RECORD_TEXT);
  }
  const record = parseSpfRecord(value);
  const count = countRecordLookups(record, options.owner, options.resolver);
  const summary = spfRecordHoverSummary(record, count);
  const term = record.terms.find((t) => offset >= t.start && offset <= t.end);
  if (term) return { markdown: spfTermHover(term) + '\n\n---\n\n' + summary, start: term.start, end: term.end };
  if (record.version && offset <= record.version.end) return { markdown: summary, start: 0, end: record.version.end };
  return undefined;
}
