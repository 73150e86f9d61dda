// Does the SPF policy of the domains a Postfix server sends as authorize that server?
// A cross-file check over the workspace, offline: main.cf says who the server is (myhostname,
// the HELO name, myorigin, source addresses) and that mail leaves directly (no relayhost or
// other route through a smarthost); the workspace's zone files give myhostname's addresses
// and the SPF records; OpenDKIM's SigningTable/KeyTable name more domains the server sends
// for. For each sending address and domain, RFC 7208 check_host() runs over the zone files
// (checkHostSync); a fail or softfail that rests only on what the workspace shows becomes a
// finding on both sides: the SPF term that decided, and main.cf's myhostname.
//
// No false positives is the rule: a domain or include outside the workspace's zones, a ptr
// or %{p} whose reverse zone is not there, a macro on the sender's local part, a value that
// depends on run-time facts, any route that may go through a relay: no finding.

import { andList } from '../text/andList';
import type { AnalysisContext } from '../context';
import type { Settings } from '../settings';
import type { Finding, Fix, Range, RelatedLocation } from '../types';
import type { Workspace, WorkspaceDocument } from './workspace';
import { uriBasename } from './postfixInstance';
import { pairedConf } from './milterLink';
import { patternDomain } from './dkimSetup';
import { debianDefaultServices, isMainCfDocument, postfixModel, type PostfixModel, type ServiceEntry } from '../postfix/instance';
import { splitList } from '../postfix/expand';
import { hostSettingsOf, isPrivateAddress, type HostSettings } from '../dns/mailDomain';
import { WorkspaceZones } from '../dns/zoneResolver';
import type { DnsAnswer } from '../dns/resolver';
import { checkHostSync, isCheckableDomain, type SyncSpfResolver } from '../records/spf/evaluate';
import { countLookupsSync, LOOKUP_LIMIT, VOID_LIMIT } from '../records/spf/lookups';
import { hasSpfVersion, parseSpfRecord } from '../records/spf/parser';
import { formatIp, parseClientIp } from '../records/spf/ip';
import type { SpfMechanism } from '../records/spf/tree';
import { keyTableTree, opendkimTables, signingTableTree } from '../opendkim/checks/links';
import { policyRecordOf } from '../zone/checks/txtChecks';
import type { ZoneRecordText } from '../zone/checks/recordText';
import { escapeForQuotes, MAX_CHARACTER_STRING } from '../zone/strings';

export const SENDING_HOST_NOT_AUTHORIZED = 'spf/sending-host-not-authorized';

/** SigningTable/KeyTable domains checked per server: enough for a real server, bounded for a hosting one. */
const MAX_SIGNING_DOMAINS = 20;
/** Sending addresses checked per server. */
const MAX_ADDRESSES = 8;

export interface Located {
  uri: string;
  range: Range;
}

/** Why the server sends as a domain. */
interface Role {
  kind: 'myorigin' | 'helo' | 'signing';
  /** Where the configuration says so (undefined for a default). */
  at?: Located;
}

export interface SendingAddress {
  address: string;
  /** Where it comes from: myhostname's A/AAAA record, or smtp_bind_address / inet_interfaces. */
  from: 'host' | string;
}

/** One domain whose SPF record fails some of the server's addresses. */
export interface SendingHostProblem {
  /** myhostname (lower case) and where it is set. */
  host: string;
  hostAt: Located;
  helo: string;
  /** The sender domain whose policy was checked. */
  domain: string;
  roles: Role[];
  result: 'fail' | 'softfail';
  addresses: SendingAddress[];
  /** The SPF term that decided (in the record of `recordDomain`, which `domain` may redirect to). */
  recordDomain: string;
  term: string;
  termAt: Located;
  /** The record has an `mx` mechanism, and whether the host is an MX host of `recordDomain`. */
  recordHasMx: boolean;
  hostIsMx: boolean;
  /** Edits of the zone file that make every address pass (verified by evaluating again). */
  fixes: Fix[];
}

// ------------------------------------------------------------------ the Postfix side

/**
 * The SMTP client transport all outgoing mail uses, when it certainly goes straight to the
 * receivers' MX hosts: no relayhost, no sender-dependent relay or transport, no
 * transport_maps (a `*` entry would send everything to a smarthost), and a default_transport
 * without a next hop that names an smtp service. Undefined whenever that is not certain.
 */
function directTransport(model: PostfixModel): ServiceEntry | undefined {
  const value = (name: string) => {
    const raw = model.valueInEffect(name);
    return raw === undefined ? '' : model.expandExact(raw)?.trim();
  };
  for (const name of ['relayhost', 'sender_dependent_relayhost_maps', 'sender_dependent_default_transport_maps', 'transport_maps']) {
    if (value(name) !== '') return undefined;
  }
  const transport = value('default_transport');
  if (!transport || /[\s,]/.test(transport)) return undefined;
  const colon = transport.indexOf(':');
  if (colon >= 0 && transport.slice(colon + 1).trim() !== '') return undefined; // smtp:[relay.example]
  const name = colon >= 0 ? transport.slice(0, colon) : transport;
  // A master.cf fragment leaves the distribution's services in place.
  const services = model.masterIsFragment ? [...model.services, ...debianDefaultServices()] : model.services;
  return services.find((s) => s.name === name && s.type === 'unix' && s.command === 'smtp');
}

/** The address families the SMTP client uses (inet_protocols). */
function families(model: PostfixModel): Array<4 | 6> {
  const raw = model.valueInEffect('inet_protocols');
  const words = raw === undefined ? undefined : model.expandExact(raw);
  if (words === undefined) return [];
  const list = splitList(words.toLowerCase());
  if (list.includes('all')) return [4, 6];
  return [...(list.includes('ipv4') ? [4 as const] : []), ...(list.includes('ipv6') ? [6 as const] : [])];
}

/** An address in one text form (lower case, IPv4-mapped IPv6 as IPv4), or undefined when it is none. */
export function canonicalIp(text: string): string | undefined {
  const ip = parseClientIp(text);
  return ip ? formatIp(ip).toLowerCase() : undefined;
}

/**
 * The addresses mail leaves from: per family, the source address main.cf pins
 * (smtp_bind_address, a single inet_interfaces address), else myhostname's A/AAAA records in
 * the workspace's zones. Undefined when the zones give myhostname no address at all.
 * Private addresses are left out: behind NAT the receivers see another one.
 */
function sendingAddresses(model: PostfixModel, settings: HostSettings, host: string, zones: WorkspaceZones): { addresses: SendingAddress[]; own: Set<string> } | undefined {
  const own = new Set<string>();
  const out: SendingAddress[] = [];
  const used = families(model);
  for (const family of [4, 6] as const) {
    const answer = zones.addressesSync(host, family);
    const mine = answer?.status === 'ok' ? answer.records.map(canonicalIp).filter((a) => a !== undefined) : [];
    for (const a of mine) own.add(a);
    if (!used.includes(family)) continue;
    const pinned = settings.sourceAddresses.filter((s) => parseClientIp(s.address)?.family === family);
    const list: SendingAddress[] = pinned.length ? pinned.map((s) => ({ address: s.address.toLowerCase(), from: s.from })) : mine.map((address) => ({ address, from: 'host' }));
    for (const s of list) if (!isPrivateAddress(s.address) && !out.some((o) => o.address === s.address)) out.push(s);
  }
  return own.size ? { addresses: out.slice(0, MAX_ADDRESSES), own } : undefined;
}

/** Where `name` is set for `service`: its `-o` in master.cf, else main.cf. */
export function settingAt(model: PostfixModel, service: ServiceEntry, name: string): Located | undefined {
  const option = model.effectiveOverride(service, name);
  if (option && model.master) return { uri: model.master.doc.uri, range: option.value.text ? option.value.range : option.name.range };
  const def = model.effectiveDefinition(name);
  if (def && model.main) return { uri: model.main.doc.uri, range: def.value.text ? def.value.range : def.name.range };
  return undefined;
}

/** A domain name for comparing: lower case, without the final dot. */
export const lower = (name: string) => name.replace(/\.$/, '').toLowerCase();

/** The domains the server sends as: myorigin, the HELO name, and what its OpenDKIM signs for (with an SPF record in the zones). */
function senderDomains(ctx: { workspace: Workspace; mainDoc: WorkspaceDocument }, model: PostfixModel, service: ServiceEntry, settings: HostSettings, hostAt: Located, zones: WorkspaceZones): Map<string, Role[]> {
  const domains = new Map<string, Role[]>();
  const add = (domain: string, role: Role) => {
    const d = lower(domain);
    if (!isCheckableDomain(d)) return;
    const roles = domains.get(d);
    if (roles) roles.push(role); else domains.set(d, [role]);
  };
  // Locally posted mail leaves as user@myorigin. Debian's `/etc/mailname` is a file mailconf
  // cannot read, and masquerade_domains rewrites the domain on the way: not judged then.
  const masquerade = model.expandExact(model.valueInEffect('masquerade_domains') ?? '');
  if (settings.myorigin && !settings.myorigin.includes('/') && masquerade?.trim() === '') {
    add(settings.myorigin, { kind: 'myorigin', at: settingAt(model, service, 'myorigin') });
  }
  if (settings.heloName) add(settings.heloName, { kind: 'helo', at: settingAt(model, service, 'smtp_helo_name') ?? hostAt });
  const conf = pairedConf(ctx.workspace, ctx.mainDoc);
  if (conf) {
    const tables = opendkimTables(ctx.workspace, conf);
    const signing: Array<{ domain: string; at: Located }> = [];
    const signingDoc = tables.signingTable?.doc;
    for (const e of signingTableTree(signingDoc)?.entries ?? []) {
      const d = patternDomain(e);
      if (d) signing.push({ domain: d, at: { uri: signingDoc!.uri, range: e.pattern.range } });
    }
    const keyDoc = tables.keyTable?.doc;
    for (const e of keyTableTree(keyDoc)?.entries ?? []) {
      if (e.domain && e.domain.text !== '%') signing.push({ domain: e.domain.text, at: { uri: keyDoc!.uri, range: e.domain.range } });
    }
    let taken = 0;
    for (const s of signing) {
      if (taken >= MAX_SIGNING_DOMAINS) break;
      const d = lower(s.domain);
      if (domains.get(d)?.some((r) => r.kind === 'signing')) continue;
      if (!hasSpfRecord(zones, d)) continue;
      add(d, { kind: 'signing', at: s.at });
      taken++;
    }
  }
  return domains;
}

function hasSpfRecord(zones: WorkspaceZones, domain: string): boolean {
  const answer = zones.txtSync(domain);
  return answer?.status === 'ok' && answer.records.some((strings) => hasSpfVersion(strings.join('')));
}

// ------------------------------------------------------------------ the DNS side

/** The one SPF record at `domain` in the workspace's zones, as the zone file writes it. */
interface ZoneSpfRecord {
  uri: string;
  text: ZoneRecordText;
  /** Its position among the TXT records of the answer (for the fix's re-evaluation). */
  index: number;
  answer: DnsAnswer<string[]>;
}

function zoneSpfRecord(zones: WorkspaceZones, domain: string): ZoneSpfRecord | undefined {
  const found = zones.lookup(domain, 'TXT');
  const answer = zones.txtSync(domain);
  if (found?.status !== 'ok' || answer?.status !== 'ok') return undefined;
  const spf = found.records.map((rr, index) => ({ rr, index })).filter((x) => hasSpfVersion(policyRecordOf(x.rr).text.value));
  if (spf.length !== 1) return undefined;
  const { rr, index } = spf[0];
  return { uri: rr.file.doc.uri, text: policyRecordOf(rr).text, index, answer };
}

/** Index of the string holding value[offset]. */
function stringIndexAt(text: ZoneRecordText, offset: number): number {
  for (let i = text.starts.length - 1; i >= 0; i--) {
    if (text.starts[i] <= offset && offset < text.starts[i] + text.strings[i].value.length) return i;
  }
  return -1;
}

interface Evaluation {
  resolver: SyncSpfResolver;
  domain: string;
  helo: string;
}

function passes(e: Evaluation, resolver: SyncSpfResolver, address: string): boolean {
  const out = checkHostSync(resolver, { ip: address, domain: e.domain, sender: `postmaster@${e.domain}`, helo: e.helo });
  return out.result === 'pass' && out.unknownAnswers === 0;
}

/**
 * Quick-fixes that put terms before the `all` that failed: `ip4:`/`ip6:` for the addresses,
 * or `a:HOST` when they are all the host's own. Offered only when the edit stays inside one
 * quoted string of at most 255 bytes, the new record has no syntax error, every address
 * then passes, and (for `a:`) the lookups stay within RFC 7208's limits. The edits name the
 * zone file (the main.cf side offers them too).
 */
function authorizeFixes(e: Evaluation, record: ZoneSpfRecord, term: SpfMechanism, addresses: SendingAddress[], own: Set<string>, host: string, recordDomain: string): Fix[] {
  if (term.mechanism !== 'all') return [];
  const i = stringIndexAt(record.text, term.start);
  const s = record.text.strings[i];
  if (!s?.quoted) return [];
  const ipTerms = addresses.map((a) => `${a.address.includes(':') ? 'ip6' : 'ip4'}:${a.address}`).join(' ');
  const candidates = [{ insert: ipTerms, title: `Authorize ${addresses.map((a) => a.address).join(', ')} in the SPF record of ${recordDomain}: add ${ipTerms}`, lookups: false }];
  if (addresses.every((a) => own.has(a.address))) {
    const aTerm = lower(host) === lower(recordDomain) ? 'a' : `a:${host}`;
    candidates.push({ insert: aTerm, title: `Authorize ${host} in the SPF record of ${recordDomain}: add ${aTerm}`, lookups: true });
  }
  const fixes: Fix[] = [];
  const local = term.start - record.text.starts[i];
  for (const c of candidates) {
    const insert = c.insert + ' ';
    if (s.value.length + insert.length > MAX_CHARACTER_STRING) continue;
    const strings = record.text.strings.map((t) => t.value);
    strings[i] = s.value.slice(0, local) + insert + s.value.slice(local);
    if (parseSpfRecord(strings.join('')).problems.length > 0) continue;
    const answer = record.answer.status === 'ok' ? { ...record.answer, records: record.answer.records.map((r, k) => (k === record.index ? strings : r)) } : record.answer;
    const fixed: SyncSpfResolver = { ...e.resolver, txt: (name) => (lower(name) === lower(recordDomain) ? answer : e.resolver.txt(name)) };
    if (!addresses.every((a) => passes(e, fixed, a.address))) continue;
    if (c.lookups) {
      const count = countLookupsSync(e.domain, fixed);
      if (!count.complete || count.total > LOOKUP_LIMIT || count.voids > VOID_LIMIT) continue;
    }
    const at = record.text.rangeOf(term.start, term.start).start;
    const fix: Fix = { title: c.title, edits: [{ uri: record.uri, range: { start: at, end: at }, newText: escapeForQuotes(insert) }] };
    if (fixes.length === 0) fix.preferred = true;
    fixes.push(fix);
  }
  return fixes;
}

// ------------------------------------------------------------------ the check

/** The problems of one Postfix instance (main.cf), or none when anything is uncertain. */
/** A Postfix instance whose mail certainly leaves directly, from addresses the workspace's zones give. */
export interface DirectSender {
  model: PostfixModel;
  /** The SMTP client transport all outgoing mail uses. */
  service: ServiceEntry;
  settings: HostSettings;
  /** myhostname (lower case, checkable) and where it is set. */
  host: string;
  hostAt: Located;
  /** The HELO name (smtp_helo_name, default myhostname), checkable. */
  helo: string;
  /** The public addresses mail leaves from (at most 8). */
  addresses: SendingAddress[];
  /** myhostname's own addresses in the zones (canonical text). */
  own: Set<string>;
}

/**
 * The sending side of one main.cf, or undefined when anything is uncertain: mail may go
 * through a relay, myhostname is not set or not a name, the zones give it no address, or
 * every sending address is private. Shared by the cross-file checks of the sending host.
 */
export function directSenderOf(workspace: Workspace, settings: Settings, mainDoc: WorkspaceDocument, zones: WorkspaceZones): DirectSender | undefined {
  const model = postfixModel({ doc: mainDoc, workspace, settings });
  if (!model.main) return undefined;
  const service = directTransport(model);
  if (!service) return undefined;
  const host = hostSettingsOf(model, service);
  const hostAt = settingAt(model, service, 'myhostname');
  if (!host.myhostname || !hostAt || !isCheckableDomain(host.myhostname)) return undefined;
  const sending = sendingAddresses(model, host, host.myhostname, zones);
  if (!sending || sending.addresses.length === 0) return undefined;
  const helo = host.heloName && isCheckableDomain(host.heloName) ? host.heloName : host.myhostname;
  return { model, service, settings: host, host: host.myhostname, hostAt, helo, addresses: sending.addresses, own: sending.own };
}

function instanceProblems(workspace: Workspace, settings: Settings, mainDoc: WorkspaceDocument, zones: WorkspaceZones, resolver: SyncSpfResolver): SendingHostProblem[] {
  const sender = directSenderOf(workspace, settings, mainDoc, zones);
  if (!sender) return [];
  const { model, service, settings: host, hostAt, helo } = sender;
  const sending = { addresses: sender.addresses, own: sender.own };
  const problems: SendingHostProblem[] = [];
  for (const [domain, roles] of senderDomains({ workspace, mainDoc }, model, service, host, hostAt, zones)) {
    const e: Evaluation = { resolver, domain, helo };
    const groups = new Map<string, { result: 'fail' | 'softfail'; recordDomain: string; term: string; addresses: SendingAddress[]; roles: Role[] }>();
    for (const a of sending.addresses) {
      const out = checkHostSync(resolver, { ip: a.address, domain, sender: `postmaster@${domain}`, helo });
      if ((out.result !== 'fail' && out.result !== 'softfail') || !out.matched || out.unknownAnswers > 0) continue;
      // With %{l}/%{s} the result is postmaster's: it holds for the HELO identity (always
      // postmaster@HELO), not for the other senders of the domain.
      const judged = out.usedLocalPart ? roles.filter((r) => r.kind === 'helo') : roles;
      if (judged.length === 0) continue;
      const key = `${out.result} ${out.matched.domain} ${out.matched.term}`;
      const g = groups.get(key) ?? { result: out.result, recordDomain: lower(out.matched.domain), term: out.matched.term, addresses: [], roles: judged };
      g.addresses.push(a);
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      const record = zoneSpfRecord(zones, g.recordDomain);
      if (!record) continue;
      const parsed = parseSpfRecord(record.text.value);
      const term = parsed.terms.find((t): t is SpfMechanism => t.kind === 'mechanism' && t.text === g.term);
      if (!term) continue;
      const mx = zones.mxSync(g.recordDomain);
      problems.push({
        host: sender.host,
        hostAt,
        helo,
        domain,
        roles: g.roles,
        result: g.result,
        addresses: g.addresses,
        recordDomain: g.recordDomain,
        term: g.term,
        termAt: { uri: record.uri, range: record.text.rangeOf(term.start, term.end) },
        recordHasMx: parsed.terms.some((t) => t.kind === 'mechanism' && t.mechanism === 'mx'),
        hostIsMx: mx?.status === 'ok' && mx.records.some((r) => lower(r.exchange) === sender.host),
        fixes: authorizeFixes(e, record, term, g.addresses, sending.own, sender.host, g.recordDomain),
      });
    }
  }
  return problems;
}

const KINDS_READ = new Set(['postfix-main', 'postfix-master', 'opendkim-conf', 'opendkim-default', 'opendkim-keytable', 'opendkim-signingtable', 'dns-zone']);

/** The last result of a cross-file check per workspace, valid while every file it read is the same analysis. */
export type FileStateMemo<T> = WeakMap<Workspace, { settings: Settings; inputs: unknown[]; result: T }>;

/**
 * The problems of every main.cf that sets myhostname, made once per state of the files of
 * `kinds` (and the settings): the checkers of every file a finding sits on share one result,
 * and a workspace without such a main.cf or without zones costs nothing more.
 * `instance` runs per main.cf; a throw there drops that instance's problems only.
 */
export function perSendingHost<P>(memo: FileStateMemo<P[]>, workspace: Workspace, settings: Settings, kinds: ReadonlySet<string>, instance: (mainDoc: WorkspaceDocument, zones: WorkspaceZones) => P[]): P[] {
  const mains = workspace.all().filter((d) => isMainCfDocument(d) && /(^|\n)[ \t]*myhostname[ \t]*=/.test(d.analysis.text));
  if (mains.length === 0 || workspace.ofKind('dns-zone').length === 0) return [];
  const inputs = workspace.all().filter((d) => kinds.has(d.kind)).map((d) => d.analysis);
  const last = memo.get(workspace);
  if (last && last.settings === settings && last.inputs.length === inputs.length && last.inputs.every((x, i) => x === inputs[i])) return last.result;
  const zones = new WorkspaceZones(workspace);
  const result: P[] = [];
  for (const doc of mains) {
    try {
      result.push(...instance(doc, zones));
    } catch {
      // A checker never throws; a bug here must not take the other findings with it.
    }
  }
  memo.set(workspace, { settings, inputs, result });
  return result;
}

const memo: FileStateMemo<SendingHostProblem[]> = new WeakMap();

/**
 * Every sending-host SPF problem of the workspace. Made once per state of the files it reads
 * (main.cf, master.cf, OpenDKIM's files, zones): the checkers of main.cf and of every zone
 * file share it.
 */
export function sendingHostSpfProblems(workspace: Workspace, settings: Settings): SendingHostProblem[] {
  return perSendingHost(memo, workspace, settings, KINDS_READ, (doc, zones) => {
    const resolver: SyncSpfResolver = { ...zones.syncResolver(), ptr: (name) => zones.ptrSync(name) };
    return instanceProblems(workspace, settings, doc, zones, resolver);
  });
}

// ------------------------------------------------------------------ findings

function addressText(p: SendingHostProblem): string {
  return andList(p.addresses.map((a) => (a.from === 'host' ? a.address : `${a.address} (${a.from})`)));
}

/** Why the domain's policy applies to this server; `self` names the server ("it", "this server"). */
function rolesText(p: SendingHostProblem, self: string): string {
  const parts: string[] = [];
  for (const r of p.roles) {
    if (r.kind === 'myorigin') parts.push(`mail posted on ${self} (cron, sendmail, local users) leaves as …@${p.domain} (myorigin)`);
    if (r.kind === 'signing') parts.push(`the OpenDKIM of ${self} signs mail from ${p.domain}, so such mail goes out here`);
    if (r.kind === 'helo') parts.push(`${self} greets receivers with HELO ${p.helo}, and they check the SPF record of the HELO name too (RFC 7208 §2.3; bounces are judged by it alone)`);
  }
  return andList([...new Set(parts)]);
}

function consequence(p: SendingHostProblem): string {
  return p.result === 'fail'
    ? 'Receivers that check SPF reject such mail or file it as spam, and DMARC fails for it unless a DKIM signature aligns'
    : 'Receivers treat softfail as suspicious: the mail lands in the spam folder or scores worse, and DMARC fails for it unless a DKIM signature aligns';
}

function advice(p: SendingHostProblem): string {
  const ips = p.addresses.map((a) => `${a.address.includes(':') ? 'ip6' : 'ip4'}:${a.address}`).join(' ');
  const alternatives: string[] = [];
  if (p.addresses.every((a) => a.from === 'host')) alternatives.push(`${p.host === p.recordDomain ? '`a`' : `\`a:${p.host}\``}, which follows the host's addresses`);
  if (p.hostIsMx && !p.recordHasMx) alternatives.push(`\`mx\`, since ${p.host} is an MX host of ${p.recordDomain}`);
  const where = /all$/i.test(p.term) ? ` before \`${p.term}\`` : '';
  return `Add \`${ips}\`${where} in the SPF record of ${p.recordDomain}${alternatives.length ? ` (or ${alternatives.join('; or ')})` : ''}.`;
}

function redirected(p: SendingHostProblem): string {
  return p.recordDomain === p.domain ? '' : ` (${p.domain} redirects to ${p.recordDomain})`;
}

function them(p: SendingHostProblem): string {
  return p.addresses.length > 1 ? 'them' : 'it';
}

function zoneSideFinding(p: SendingHostProblem): Finding {
  const related: RelatedLocation[] = [{ uri: p.hostAt.uri, range: p.hostAt.range, message: `myhostname: the server sends as ${p.host}` }];
  for (const r of p.roles) {
    if (!r.at || related.some((x) => x.uri === r.at!.uri && x.range.start.line === r.at!.range.start.line && x.range.start.character === r.at!.range.start.character)) continue;
    related.push({ uri: r.at.uri, range: r.at.range, message: r.kind === 'signing' ? `OpenDKIM signs for ${p.domain} here` : r.kind === 'myorigin' ? `myorigin: local mail leaves as …@${p.domain}` : `the HELO name ${p.helo}` });
  }
  return {
    range: p.termAt.range,
    severity: 'warning',
    code: SENDING_HOST_NOT_AUTHORIZED,
    message: `${p.host} (myhostname in ${uriBasename(p.hostAt.uri)}) sends mail directly from ${addressText(p)}, and ${rolesText(p, 'it')}. \`${p.term}\` here gives ${p.result} for ${them(p)}${redirected(p)}. ${consequence(p)}. ${advice(p)}`,
    related,
    fixes: p.fixes.length ? p.fixes.map((f) => ({ ...f, edits: f.edits.map(({ uri: _same, ...e }) => e) })) : undefined,
  };
}

function postfixSideFinding(p: SendingHostProblem): Finding {
  return {
    range: p.hostAt.range,
    severity: 'warning',
    code: SENDING_HOST_NOT_AUTHORIZED,
    message: `The SPF record of ${p.domain} does not authorize this server: mail leaves directly from ${p.host}'s ${p.addresses.length > 1 ? 'addresses' : 'address'} ${addressText(p)}, and \`${p.term}\` in ${uriBasename(p.termAt.uri)} gives ${p.result} for ${them(p)}${redirected(p)}. It matters because ${rolesText(p, 'this server')}. ${consequence(p)}. ${advice(p)}`,
    related: [{ uri: p.termAt.uri, range: p.termAt.range, message: `the SPF term that gives ${p.result}` }],
    fixes: p.fixes.length ? p.fixes : undefined,
  };
}

/** Checker for main.cf and master.cf: the finding on myhostname. */
export function checkSendingHostSpfFromPostfix(ctx: AnalysisContext): Finding[] {
  if (ctx.doc.kind === 'postfix-main' && !isMainCfDocument(ctx.doc)) return [];
  return sendingHostSpfProblems(ctx.workspace, ctx.settings).filter((p) => p.hostAt.uri === ctx.doc.uri).map(postfixSideFinding);
}

/** Checker for zone files: the finding on the SPF term that fails the server. */
export function checkSendingHostSpfFromZone(ctx: AnalysisContext): Finding[] {
  return sendingHostSpfProblems(ctx.workspace, ctx.settings).filter((p) => p.termAt.uri === ctx.doc.uri).map(zoneSideFinding);
}
