// An SPF record for a domain, built from what the workspace knows about the mail server:
// the domain's MX hosts (zone files), the server's own addresses (Postfix's
// inet_interfaces and smtp_bind_address literals, myhostname's A/AAAA records in the
// zones), addresses and includes the admin adds, and the relay host mail leaves through.
// The result is checked by the same SPF checks as a record in a zone file and its DNS
// lookups counted over the zones; a record over the limit of 10 is never handed out
// without an error finding and an explanation.

import type { Finding } from '../../types';
import type { Workspace } from '../../stack/workspace';
import { WorkspaceZones } from '../../dns/zoneResolver';
import { isMainCfDocument, postfixModel, type PostfixModel } from '../../postfix/instance';
import { splitList } from '../../postfix/expand';
import { DEFAULT_SETTINGS } from '../../settings';
import { recordTextFromString } from '../tags/recordTexts';
import { DNS_NAME_LABEL, domainNameProblem, hostNameProblem } from '../domainName';
import { checkSpfRecord, looksLikeSpf } from './checks';
import { countRecordLookups, LOOKUP_LIMIT } from './lookups';
import { ip4Bytes, ip6Bytes, parseSpfRecord } from './parser';

export interface SpfGenerateOptions {
  all: '~all' | '-all';
  /** More sending addresses (IPv4/IPv6, optionally with /prefix): live DNS answers, other servers. */
  addresses?: string[];
  /** Domains whose SPF record is included (a mail provider's, the relay's). */
  includes?: string[];
}

export interface GeneratedSpf {
  /** The record (`v=spf1 … ~all`); '' when `error` is set. */
  value: string;
  /** Why each part is there, and what is left to do, one sentence each. */
  explanation: string[];
  /** DNS lookups a receiver makes (counted through includes the zones know). */
  lookups: number;
  /** False when some include could not be followed offline: `lookups` is then a lower bound. */
  lookupsComplete: boolean;
  /** The SPF checks' findings on the value (ranges on line 0, columns = offsets in `value`). */
  findings: Finding[];
  /** Set when no record can be built (an invalid domain). */
  error?: string;
}

interface Term {
  text: string;
  why: string;
}

/** Relay services whose SPF include is well known, by the relay host's domain. */
const KNOWN_RELAYS: Array<{ suffix: string; include: string; name: string }> = [
  { suffix: 'sendgrid.net', include: 'sendgrid.net', name: 'SendGrid' },
  { suffix: 'mailgun.org', include: 'mailgun.org', name: 'Mailgun' },
  { suffix: 'amazonaws.com', include: 'amazonses.com', name: 'Amazon SES' },
  { suffix: 'office365.com', include: 'spf.protection.outlook.com', name: 'Microsoft 365' },
  { suffix: 'outlook.com', include: 'spf.protection.outlook.com', name: 'Microsoft 365' },
  { suffix: 'gmail.com', include: '_spf.google.com', name: 'Google Workspace' },
  { suffix: 'googlemail.com', include: '_spf.google.com', name: 'Google Workspace' },
  { suffix: 'mailjet.com', include: 'spf.mailjet.com', name: 'Mailjet' },
  { suffix: 'brevo.com', include: 'spf.brevo.com', name: 'Brevo' },
  { suffix: 'sendinblue.com', include: 'spf.brevo.com', name: 'Brevo' },
  { suffix: 'postmarkapp.com', include: 'spf.mtasv.net', name: 'Postmark' },
];

/** The SPF record for `domain` from what the workspace knows, checked and with its lookup count. */
export function spfRecordFor(workspace: Workspace, domain: string, options: SpfGenerateOptions): GeneratedSpf {
  const name = domain.trim().replace(/\.$/, '').toLowerCase();
  const problem = spfDomainProblem(name);
  if (problem) {
    return { value: '', explanation: [], lookups: 0, lookupsComplete: true, findings: [], error: `"${domain}" cannot have an SPF record: ${problem}.` };
  }
  const zones = new WorkspaceZones(workspace);
  const resolver = zones.syncResolver();
  const notes: string[] = [];
  const terms: Term[] = [];
  const addresses = new Map<string, string>(); // "ip4:192.0.2.1" → why
  const addAddress = (text: string, why: string): boolean => {
    const term = addressTerm(text);
    if (!term) return false;
    if (!addresses.has(term)) addresses.set(term, why);
    return true;
  };

  // ---- the MX hosts
  const mx = zones.mxSync(name);
  const mxHosts = mx?.status === 'ok' ? mx.records.map((r) => r.exchange).filter((h) => h !== '') : [];
  if (mxHosts.length > 0) {
    terms.push({ text: 'mx', why: `mx: the hosts that receive mail for ${name} (${mxHosts.join(', ')}) may send it too; it costs one DNS lookup.` });
  }

  // ---- the server: Postfix's addresses and host name
  const model = mainModel(workspace);
  let relay: string | undefined;
  if (model) {
    const value = (n: string) => {
      const raw = model.valueInEffect(n);
      return raw === undefined ? undefined : model.expandExact(raw);
    };
    for (const param of ['smtp_bind_address', 'smtp_bind_address6', 'inet_interfaces']) {
      for (const word of splitList(value(param) ?? '')) {
        const w = word.replace(/^\[|\]$/g, '');
        if (!addressTerm(w)) continue;
        if (isLoopback(w)) continue; // the local listener, never a sending address
        if (isInternal(w)) {
          notes.push(`${param} has ${w}, a private or loopback address receivers never see: if the server is behind NAT, give its public address (--ip).`);
          continue;
        }
        addAddress(w, `${param} in main.cf`);
      }
    }
    const host = value('myhostname');
    if (host && host.includes('.') && !hostNameProblem(host)) {
      let known = false;
      for (const family of [4, 6] as const) {
        const a = zones.addressesSync(host, family);
        if (a === undefined) continue;
        known = true;
        if (a.status === 'ok') for (const ip of a.records) if (!isInternal(ip)) addAddress(ip, `the ${family === 4 ? 'A' : 'AAAA'} record of myhostname ${host}`);
      }
      if (!known && !addresses.size) {
        const target = host.toLowerCase() === name ? 'a' : `a:${host.toLowerCase()}`;
        terms.push({ text: target, why: `${target}: the addresses of myhostname ${host}, which the workspace's zones do not hold; it costs one DNS lookup (an ip4:/ip6: term with the address costs none).` });
      }
    }
    const relayhost = value('relayhost')?.trim();
    if (relayhost) relay = relayhost.replace(/^\[/, '').replace(/\](:\d+)?$/, '').replace(/:\d+$/, '').toLowerCase();
  }

  // ---- what the admin adds
  for (const a of options.addresses ?? []) {
    if (!addAddress(a.trim(), 'given')) notes.push(`"${a}" is not an IPv4 or IPv6 address (with an optional /prefix): left out.`);
  }
  for (const [term, why] of addresses) {
    terms.push({ text: term, why: `${term}: ${why === 'given' ? 'an address you gave' : why}; it costs no DNS lookup.` });
  }
  const includes: string[] = [];
  for (const inc of options.includes ?? []) {
    const n = inc.trim().replace(/^include:/i, '').replace(/\.$/, '').toLowerCase();
    const why = spfDomainProblem(n);
    if (why) { notes.push(`include "${inc}" left out: ${why}.`); continue; }
    if (includes.includes(n)) continue;
    includes.push(n);
    terms.push({ text: `include:${n}`, why: `include:${n}: the servers ${n}'s SPF record lists may send for ${name}; it costs one lookup plus those inside it.` });
  }

  // ---- the relay
  if (relay) {
    const known = KNOWN_RELAYS.find((r) => relay === r.suffix || relay!.endsWith('.' + r.suffix));
    const covered = known && includes.includes(known.include);
    if (!covered) {
      notes.push(`Postfix sends all mail through relayhost ${relay}, so receivers see the relay's addresses, not this server's: the record needs the relay's SPF ${known ? `include (${known.name} documents include:${known.include}; add it with --include ${known.include})` : 'include, which its operator documents (add it with --include NAME)'}.`);
    }
  }

  // ---- the record, flattened when it is over the lookup limit
  let value = build(terms, options.all);
  let count = countRecordLookups(parseSpfRecord(value), name, resolver);
  if (count.total > LOOKUP_LIMIT) {
    const flat = flatten(terms, name, zones);
    if (flat.changed) {
      const v2 = build(flat.terms, options.all);
      const c2 = countRecordLookups(parseSpfRecord(v2), name, resolver);
      if (c2.total < count.total) {
        notes.push(`The record needed ${count.total} DNS lookups, more than the ${LOOKUP_LIMIT} receivers allow: ${flat.what} ${flat.what.includes(' and ') ? 'were' : 'was'} replaced by the addresses the zones give for them (update the record when those addresses change).`);
        value = v2;
        count = c2;
        terms.splice(0, terms.length, ...flat.terms);
      }
    }
  }
  const explanation = terms.map((t) => t.why);
  explanation.push(options.all === '-all'
    ? '-all: receivers reject mail from any other host (fail). Use it once you are sure every server that sends for the domain is listed.'
    : '~all: mail from other hosts is marked suspicious (softfail) rather than rejected: the safe start; step up to -all once reports show nothing legitimate fails.');
  explanation.push(...notes);
  if (terms.length === 0) {
    explanation.push(`Nothing in the workspace sends mail for ${name}: this record says no server may (right for a domain that sends no mail). Give the sending addresses with --ip or a provider with --include otherwise.`);
  }
  const existing = zones.txtSync(name + '.');
  if (existing?.status === 'ok' && existing.records.some((strings) => looksLikeSpf(strings.join('')))) {
    explanation.push(`${name} already publishes an SPF record in the zone files: replace it with this one, never add a second (two SPF records make every check fail with permerror).`);
  }
  const findings = checkSpfRecord(recordTextFromString(value, { owner: name }), { resolver });
  if (count.total > LOOKUP_LIMIT) {
    explanation.push(`This record still needs ${count.complete ? '' : 'at least '}${count.total} DNS lookups, over the limit of ${LOOKUP_LIMIT}: receivers return permerror and the mail fails SPF. Replace includes by the provider's ip4:/ip6: ranges or drop ones you do not use before publishing it.`);
  }
  return { value, explanation, lookups: count.total, lookupsComplete: count.complete, findings };
}

function build(terms: Term[], all: string): string {
  return ['v=spf1', ...terms.map((t) => t.text), all].join(' ');
}

/** The main.cf of the workspace (the one named main.cf first). */
function mainModel(workspace: Workspace): PostfixModel | undefined {
  const mains = workspace.ofKind('postfix-main').filter(isMainCfDocument);
  const doc = mains.find((d) => /\/main\.cf$/.test(d.uri)) ?? mains[0];
  return doc ? postfixModel({ doc, workspace, settings: DEFAULT_SETTINGS }) : undefined;
}

/** `ip4:…` / `ip6:…` for an address with an optional prefix, or undefined when it is none. */
function addressTerm(text: string): string | undefined {
  const slash = text.indexOf('/');
  const addr = slash >= 0 ? text.slice(0, slash) : text;
  const prefix = slash >= 0 ? text.slice(slash + 1) : undefined;
  if (prefix !== undefined && !/^[0-9]{1,3}$/.test(prefix)) return undefined;
  if (ip4Bytes(addr)) {
    if (prefix !== undefined && Number(prefix) > 32) return undefined;
    return `ip4:${addr}${prefix !== undefined && prefix !== '32' ? '/' + prefix : ''}`;
  }
  if (addr.includes(':') && ip6Bytes(addr)) {
    if (prefix !== undefined && Number(prefix) > 128) return undefined;
    return `ip6:${addr.toLowerCase()}${prefix !== undefined && prefix !== '128' ? '/' + prefix : ''}`;
  }
  return undefined;
}

function isLoopback(text: string): boolean {
  const b4 = ip4Bytes(text);
  if (b4) return b4[0] === 127;
  const b6 = ip6Bytes(text);
  return b6 !== undefined && b6.slice(0, 15).every((x) => x === 0) && b6[15] === 1;
}

/**
 * Why a name cannot be an SPF domain or include target, or undefined. Labels may hold `_`
 * (`_spf.google.com`): SPF targets are DNS names, not host names.
 */
function spfDomainProblem(name: string): string | undefined {
  return domainNameProblem(name, DNS_NAME_LABEL);
}

/** Loopback, private (RFC 1918), link-local, CGNAT and IPv6 unique-local addresses. */
function isInternal(text: string): boolean {
  const b4 = ip4Bytes(text);
  if (b4) {
    const [a, b] = b4;
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b < 128) || a === 0;
  }
  const b6 = ip6Bytes(text);
  if (b6) {
    const loopback = b6.slice(0, 15).every((x) => x === 0) && b6[15] === 1;
    return loopback || (b6[0] & 0xfe) === 0xfc || (b6[0] === 0xfe && (b6[1] & 0xc0) === 0x80);
  }
  return false;
}

/** `mx` and `a:` terms replaced by the addresses the zones know for them (all of them, or the term stays). */
function flatten(terms: Term[], domain: string, zones: WorkspaceZones): { terms: Term[]; changed: boolean; what: string } {
  const out: Term[] = [];
  const replaced: string[] = [];
  const seen = new Set(terms.map((t) => t.text));
  const addressesOf = (host: string): string[] | undefined => {
    const all: string[] = [];
    for (const family of [4, 6] as const) {
      const a = zones.addressesSync(host, family);
      if (a === undefined) return undefined;
      if (a.status === 'ok') all.push(...a.records);
    }
    return all.length ? all : undefined;
  };
  for (const t of terms) {
    let hosts: string[] | undefined;
    if (t.text === 'mx') {
      const mx = zones.mxSync(domain);
      hosts = mx?.status === 'ok' ? mx.records.map((r) => r.exchange) : undefined;
    } else if (t.text === 'a' || t.text.startsWith('a:')) {
      hosts = [t.text === 'a' ? domain : t.text.slice(2)];
    }
    const ips = hosts?.map(addressesOf);
    if (!hosts || !ips || ips.some((x) => x === undefined)) { out.push(t); continue; }
    replaced.push(`\`${t.text}\``);
    for (const ip of ips.flat() as string[]) {
      const term = addressTerm(ip);
      if (!term || seen.has(term)) continue;
      seen.add(term);
      out.push({ text: term, why: `${term}: an address of ${t.text === 'mx' ? 'an MX host' : hosts.join(', ')} (instead of \`${t.text}\`, which costs a lookup).` });
    }
  }
  return { terms: out, changed: replaced.length > 0, what: replaced.join(' and ') };
}
