// The mail host identity report (the seeds' checklist), from the workspace and live DNS:
// for myhostname and each MX host — A/AAAA exist, each address has a PTR that points back
// to the same name (forward-confirmed reverse DNS), the HELO name is that name; the domain
// has MX records, an SPF record that authorizes those addresses (check_host), a DMARC record,
// and the DKIM keys the workspace's KeyTables sign with are published.
//
// mailDomainFacts() reads what the workspace says (main.cf, zone files, KeyTables);
// checkMailDomain() asks DNS through the Resolver interface and never throws: a lookup that
// times out or fails becomes a 'warn' line saying what could not be checked.
// Pure: the front end (CLI, LSP command) supplies the resolver and renders the report.

import type { AnalysisContext } from '../context';
import { DEFAULT_SETTINGS } from '../settings';
import type { Workspace, WorkspaceDocument } from '../stack/workspace';
import type { DnsAnswer, MxAnswer, Resolver } from './resolver';
import { isMainCfDocument, postfixModel, type PostfixModel, type ServiceEntry } from '../postfix/instance';
import { expandValue, splitList } from '../postfix/expand';
import { WorkspaceZones } from './zoneResolver';
import { isKeyRecord, keyTableDnsNames, sameBytes, type PublicKeyOfFile } from './keyTableLive';
import { checkHost } from '../records/spf/evaluate';
import { countLookups, LOOKUP_LIMIT, VOID_LIMIT } from '../records/spf/lookups';
import { hasSpfVersion } from '../records/spf/parser';
import { formatIp, parseClientIp, reverseName } from '../records/spf/ip';
import { parseTagList } from '../records/tags/tagList';
import { dkimPublicKeyOf } from '../records/dkim/keyRecord';
import { organizationalDomainGuess } from '../records/dmarc/organizationalDomain';

/** What the workspace says about the mail domain and the host that sends its mail. */
export interface MailDomainFacts {
  /** The mail domain checked, lower case without the final dot; '' when none is known. */
  domain: string;
  /** Where the domain came from. */
  domainFrom: 'argument' | 'mydomain' | 'zone files' | 'none';
  /** The main.cf the host facts come from (its URI), if the workspace has one. */
  mainCf?: string;
  /** myhostname as set in main.cf (expanded); undefined when not set (Postfix then uses the system's host name). */
  myhostname?: string;
  /** mydomain in effect: set, or myhostname minus its first label (Postfix's default). */
  mydomain?: string;
  /** The HELO/EHLO name the SMTP client uses: smtp_helo_name, default $myhostname. */
  heloName?: string;
  /** Literal addresses the SMTP client sends from (smtp_bind_address/6, or a single inet_interfaces address). */
  sourceAddresses: Array<{ address: string; from: string }>;
  /** MX records the workspace's zone files publish for the domain; undefined when they do not say. */
  zoneMx?: MxAnswer[];
  /** DKIM selectors of the workspace's KeyTable entries for the domain. Never the key itself. */
  dkim: Array<{ selector: string; keyName: string; keyFile?: { path: string; uri?: string }; inlineKey?: boolean }>;
  /** What was assumed or missing, in plain words. */
  notes: string[];
}

export type MailCheckStatus = 'pass' | 'warn' | 'fail' | 'info';

/** One line of the report. */
export interface MailCheckLine {
  /** Which check: 'mx', 'mx-zone', 'address', 'fcrdns', 'helo', 'spf-record', 'spf-lookups', 'spf-authorizes', 'dmarc', 'dkim', 'setup'. */
  check: string;
  status: MailCheckStatus;
  title: string;
  /** What DNS (or the workspace) said, one item per line. */
  evidence: string[];
  /** The host or address the line is about. */
  subject?: string;
}

export interface MailDomainReport {
  domain: string;
  facts: MailDomainFacts;
  lines: MailCheckLine[];
  counts: Record<MailCheckStatus, number>;
}

// ------------------------------------------------------------------ facts

const lower = (n: string) => n.replace(/\.$/, '').toLowerCase();

function mainCfs(workspace: Workspace): WorkspaceDocument[] {
  return workspace.all().filter(isMainCfDocument).sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
}

/** A host's names and source addresses as its Postfix configuration sets them (lower case, no final dot). */
export interface HostSettings {
  myhostname?: string;
  mydomain?: string;
  heloName?: string;
  /** myorigin in effect (default $myhostname), expanded: a domain, or a file path (Debian's /etc/mailname). */
  myorigin?: string;
  mydestination: string[];
  sourceAddresses: Array<{ address: string; from: string }>;
}

const isLoopback = (ip: string) => ip.startsWith('127.') || ip === '::1';

/** The host facts of one main.cf, expanded as far as that is exact. */
function hostSettings(workspace: Workspace, doc: WorkspaceDocument): HostSettings {
  const ctx: AnalysisContext = { doc, workspace, settings: DEFAULT_SETTINGS };
  return hostSettingsOf(postfixModel(ctx));
}

/**
 * The host facts of a Postfix instance, expanded as far as that is exact; inside `service`
 * (an SMTP client transport of master.cf) its `-o` settings win over main.cf's.
 */
export function hostSettingsOf(model: PostfixModel, service?: ServiceEntry): HostSettings {
  const known = new Map<string, string>();
  const expand = (raw: string | undefined): string | undefined => {
    if (raw === undefined) return undefined;
    const e = expandValue(raw, (n) => {
      const k = known.get(n);
      return k !== undefined ? { kind: 'value', text: k } : model.resolve(n, service);
    });
    return e.exact ? e.text.trim() : undefined;
  };
  const set = (name: string) => (service ? model.effectiveOverride(service, name) : undefined)?.value.text ?? model.effectiveDefinition(name)?.value.text;
  const myhostname = expand(set('myhostname'));
  if (myhostname) known.set('myhostname', myhostname);
  let mydomain = expand(set('mydomain'));
  if (mydomain === undefined && myhostname) {
    // Postfix: $myhostname minus its first component, or "localdomain" when nothing is left.
    const dot = myhostname.indexOf('.');
    mydomain = dot > 0 && dot < myhostname.length - 1 ? myhostname.slice(dot + 1) : 'localdomain';
  }
  if (mydomain) known.set('mydomain', mydomain);
  const heloName = expand(set('smtp_helo_name') ?? (myhostname ? '$myhostname' : undefined));
  const myorigin = expand(set('myorigin') ?? (myhostname ? '$myhostname' : undefined));
  const mydestination = splitList(expand(set('mydestination')) ?? '').map(lower);
  const sourceAddresses: HostSettings['sourceAddresses'] = [];
  for (const name of ['smtp_bind_address', 'smtp_bind_address6']) {
    const v = expand(set(name));
    const ip = v ? parseClientIp(v) : undefined;
    if (ip) sourceAddresses.push({ address: formatIp(ip), from: name });
  }
  if (sourceAddresses.length === 0) {
    // With exactly one non-loopback address per family in inet_interfaces, the SMTP client sends from it.
    const ips = splitList(expand(set('inet_interfaces')) ?? '').map((w) => parseClientIp(w.replace(/^\[|\]$/g, ''))).filter((ip) => ip !== undefined);
    for (const family of [4, 6] as const) {
      const mine = ips.filter((ip) => ip.family === family).map(formatIp).filter((a) => !isLoopback(a));
      if (mine.length === 1) sourceAddresses.push({ address: mine[0], from: 'inet_interfaces' });
    }
  }
  return { myhostname: myhostname && lower(myhostname), mydomain: mydomain && lower(mydomain), heloName: heloName && lower(heloName), myorigin: myorigin && lower(myorigin), mydestination, sourceAddresses };
}

/**
 * What the workspace says about a mail domain (the one given, else main.cf's mydomain, else
 * the zone files' domain with an MX record): main.cf's host names and source addresses,
 * the zone files' MX, the KeyTables' selectors.
 */
export function mailDomainFacts(workspace: Workspace, domain?: string): MailDomainFacts {
  const notes: string[] = [];
  const wanted = domain ? lower(domain) : undefined;
  const candidates = mainCfs(workspace).map((doc) => ({ doc, s: hostSettings(workspace, doc) }));
  // With several main.cf, the one that is about the domain: its mydomain, myhostname or mydestination.
  const about = (s: HostSettings) => wanted !== undefined && (s.mydomain === wanted || s.myhostname === wanted || (s.myhostname?.endsWith('.' + wanted) ?? false) || s.mydestination.includes(wanted));
  const chosen = candidates.find((c) => about(c.s)) ?? candidates[0];
  if (candidates.length > 1 && chosen) notes.push(`The workspace has ${candidates.length} main.cf files; the host facts come from ${chosen.doc.uri}.`);

  const zones = new WorkspaceZones(workspace);
  let d = wanted ?? '';
  let domainFrom: MailDomainFacts['domainFrom'] = wanted ? 'argument' : 'none';
  if (!d && chosen?.s.mydomain && chosen.s.mydomain !== 'localdomain') { d = chosen.s.mydomain; domainFrom = 'mydomain'; }
  if (!d) {
    const withMx = zones.allZones().find((z) => zones.mxSync(z.apex)?.status === 'ok');
    if (withMx) { d = lower(withMx.apex); domainFrom = 'zone files'; }
  }
  if (!d) notes.push('No mail domain: give one, or have a main.cf with mydomain or a zone file with an MX record in the workspace.');

  const facts: MailDomainFacts = { domain: d, domainFrom, sourceAddresses: [], dkim: [], notes };
  if (chosen) {
    facts.mainCf = chosen.doc.uri;
    facts.myhostname = chosen.s.myhostname;
    facts.mydomain = chosen.s.mydomain;
    facts.heloName = chosen.s.heloName;
    facts.sourceAddresses = chosen.s.sourceAddresses;
    if (!chosen.s.myhostname) notes.push('main.cf does not set myhostname: Postfix uses the system\'s host name, which mailconf cannot see; the MX hosts are checked.');
  } else {
    notes.push('No main.cf in the workspace: the host\'s own name and HELO name are not known; the MX hosts are checked.');
  }
  if (d) {
    const mx = zones.mxSync(d);
    if (mx?.status === 'ok') facts.zoneMx = mx.records.map((r) => ({ preference: r.preference, exchange: lower(r.exchange) }));
    else if (mx) facts.zoneMx = [];
    for (const table of workspace.ofKind('opendkim-keytable')) {
      for (const n of keyTableDnsNames({ doc: table, workspace, settings: DEFAULT_SETTINGS })) {
        if (!n.entry.domain || !n.entry.selector || lower(n.entry.domain.text) !== d) continue;
        const selector = n.entry.selector.text.toLowerCase();
        if (facts.dkim.some((k) => k.selector === selector)) continue;
        const entry: MailDomainFacts['dkim'][number] = { selector, keyName: n.entry.name.text };
        if (n.keyFile) entry.keyFile = n.keyFile;
        if (n.entry.keyKind === 'data') entry.inlineKey = true;
        facts.dkim.push(entry);
      }
    }
  }
  return facts;
}

// ------------------------------------------------------------------ checks

type Answer<T> = DnsAnswer<T>;

/** Resolver calls that never reject: a thrown error is a SERVFAIL with its message. */
/**
 * The resolver as the report uses it: a throw becomes a failed lookup, and the records of
 * a set come sorted — DNS servers rotate them, and the report must read the same every run.
 */
function safe(resolver: Resolver): Resolver {
  const guard = async <T>(p: () => Promise<Answer<T>>, order: (x: T, y: T) => number): Promise<Answer<T>> => {
    try {
      const a = await p();
      return a.status === 'ok' ? { ...a, records: [...a.records].sort(order) } : a;
    } catch (e) {
      return { status: 'servfail', detail: (e as Error)?.message ?? String(e) };
    }
  };
  const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return {
    txt: (n) => guard(() => resolver.txt(n), (x, y) => byText(x.join(''), y.join(''))),
    addresses: (n, f) => guard(() => resolver.addresses(n, f), byText),
    mx: (n) => guard(() => resolver.mx(n), (x, y) => x.preference - y.preference || byText(lower(x.exchange), lower(y.exchange))),
    ptr: (n) => guard(() => resolver.ptr(n), (x, y) => byText(lower(x), lower(y))),
  };
}

function failed<T>(a: Answer<T>): a is Extract<Answer<T>, { status: 'timeout' | 'servfail' }> {
  return a.status === 'timeout' || a.status === 'servfail';
}

function failureText(what: string, a: Answer<unknown>): string {
  if (a.status === 'timeout') return `${what}: no DNS server answered in time`;
  if (a.status === 'servfail') return `${what}: the lookup failed (${a.detail ?? 'SERVFAIL'})`;
  if (a.status === 'nxdomain') return `${what}: the name does not exist (NXDOMAIN)`;
  if (a.status === 'nodata') return `${what}: no record (NODATA)`;
  return `${what}: ${a.records.length} record(s)`;
}

function couldNot(check: string, title: string, what: string, a: Answer<unknown>, subject?: string): MailCheckLine {
  return { check, status: 'warn', title: `Could not check ${title}`, evidence: [failureText(what, a), 'The check runs again when DNS answers; look at the DNS servers used (--dns-server, mailconf.dns.servers).'], subject };
}

/** The addresses of a host, both families. */
interface HostAddresses {
  name: string;
  roles: string[];
  v4: Answer<string>;
  v6: Answer<string>;
  addresses: string[];
}

async function hostAddresses(r: Resolver, name: string, roles: string[]): Promise<HostAddresses> {
  const [v4, v6] = await Promise.all([r.addresses(name, 4), r.addresses(name, 6)]);
  const list = (a: Answer<string>) => (a.status === 'ok' ? a.records.map((x) => x.toLowerCase()) : []);
  return { name, roles, v4, v6, addresses: [...list(v4), ...list(v6)] };
}

const PRIVATE = [/^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^127\./, /^169\.254\./, /^0\./, /^::1$/, /^f[cd][0-9a-f]{2}:/, /^fe80:/];
/** Private, loopback or link-local (lower-case text): not an address the internet sees. */
export const isPrivateAddress = (ip: string) => PRIVATE.some((re) => re.test(ip));

/** The reverse DNS of one address and whether it leads back. */
interface ReverseCheck {
  address: string;
  ptr: Answer<string>;
  /** PTR names whose A/AAAA include the address. */
  confirmed: string[];
  /** PTR names whose forward lookup failed. */
  unknown: string[];
}

async function reverseCheck(r: Resolver, address: string): Promise<ReverseCheck> {
  const ip = parseClientIp(address);
  if (!ip) return { address, ptr: { status: 'servfail', detail: 'not an IP address' }, confirmed: [], unknown: [] };
  const ptr = await r.ptr(reverseName(ip));
  const out: ReverseCheck = { address, ptr, confirmed: [], unknown: [] };
  if (ptr.status !== 'ok') return out;
  // RFC 7208 §5.5 stops at 10 names; so do we.
  const names = [...new Set(ptr.records.map(lower))].slice(0, 10);
  const forward = await Promise.all(names.map((n) => r.addresses(n, ip.family)));
  names.forEach((n, i) => {
    const f = forward[i];
    if (f.status === 'ok' && f.records.some((a) => formatIp(parseClientIp(a) ?? ip) === formatIp(ip))) out.confirmed.push(n);
    else if (failed(f)) out.unknown.push(n);
  });
  return out;
}

function mxLines(facts: MailDomainFacts, mx: Answer<MxAnswer>): MailCheckLine[] {
  const d = facts.domain;
  const lines: MailCheckLine[] = [];
  if (failed(mx)) return [couldNot('mx', `the MX records of ${d}`, `MX ${d}`, mx, d)];
  if (mx.status === 'nxdomain') {
    lines.push({ check: 'mx', status: 'fail', title: `${d} does not exist in DNS`, evidence: [`MX ${d}: NXDOMAIN`, 'Nobody can send mail to this domain. Register or delegate it, or check the spelling.'], subject: d });
    return lines;
  }
  if (mx.status === 'nodata' || mx.records.length === 0) {
    lines.push({ check: 'mx', status: 'warn', title: `${d} has no MX record`, evidence: [`MX ${d}: no record`, `Senders fall back to the A/AAAA records of ${d} (RFC 5321 implicit MX). Publish an MX record naming the mail server.`], subject: d });
  } else if (mx.records.length === 1 && (mx.records[0].exchange === '' || mx.records[0].exchange === '.')) {
    lines.push({ check: 'mx', status: 'info', title: `${d} publishes a null MX: it accepts no mail (RFC 7505)`, evidence: [`MX ${d}: 0 .`], subject: d });
  } else {
    const shown = [...mx.records].sort((a, b) => a.preference - b.preference).map((r) => `MX ${d}: ${r.preference} ${lower(r.exchange)}`);
    lines.push({ check: 'mx', status: 'pass', title: `${d} has MX records`, evidence: shown, subject: d });
  }
  if (facts.zoneMx) {
    const live = mx.status === 'ok' ? mx.records.map((r) => `${r.preference} ${lower(r.exchange)}`).sort() : [];
    const local = facts.zoneMx.map((r) => `${r.preference} ${r.exchange}`).sort();
    if (live.join('\n') !== local.join('\n')) {
      lines.push({ check: 'mx-zone', status: 'warn', title: `The MX records in DNS differ from the workspace's zone files`,
        evidence: [`DNS: ${live.join(', ') || 'none'}`, `zone files: ${local.join(', ') || 'none'}`, 'The zone file is not published yet, not reloaded (serial not raised?), or DNS is served from another copy.'], subject: d });
    }
  }
  return lines;
}

function addressLine(h: HostAddresses, sends: boolean): MailCheckLine {
  const evidence = [failureText(`A ${h.name}`, h.v4), failureText(`AAAA ${h.name}`, h.v6)];
  if (h.v4.status === 'ok') evidence[0] = `A ${h.name}: ${h.v4.records.join(', ')}`;
  if (h.v6.status === 'ok') evidence[1] = `AAAA ${h.name}: ${h.v6.records.join(', ')}`;
  const role = h.roles.join(', ');
  if (h.addresses.length === 0) {
    if (failed(h.v4) || failed(h.v6)) return { ...couldNot('address', `the addresses of ${h.name}`, `A/AAAA ${h.name}`, failed(h.v4) ? h.v4 : h.v6, h.name), evidence };
    const why = sends
      ? 'Receivers that check the HELO name or the sender\'s host (reject_unknown_helo_hostname, reject_unknown_client_hostname) refuse mail from this host. Publish an A (and AAAA) record for it.'
      : 'An MX host without an address cannot receive mail: senders skip it, or bounce when it is the only one. Publish an A (and AAAA) record for it or fix the MX record.';
    return { check: 'address', status: 'fail', title: `${h.name} (${role}) has no A or AAAA record`, evidence: [...evidence, why], subject: h.name };
  }
  const privateOnes = h.addresses.filter(isPrivateAddress);
  if (privateOnes.length) {
    return { check: 'address', status: 'warn', title: `${h.name} (${role}) has private or loopback addresses in public DNS`, evidence: [...evidence, `${privateOnes.join(', ')} cannot be reached from the internet; senders that pick it fail or wait.`], subject: h.name };
  }
  return { check: 'address', status: 'pass', title: `${h.name} (${role}) has addresses`, evidence, subject: h.name };
}

function fcrdnsLine(host: string, sends: boolean, rc: ReverseCheck): MailCheckLine {
  const subject = rc.address;
  const ptrNames = rc.ptr.status === 'ok' ? rc.ptr.records.map(lower) : [];
  const evidence = [rc.ptr.status === 'ok' ? `PTR ${rc.address}: ${ptrNames.join(', ')}` : failureText(`PTR ${rc.address}`, rc.ptr)];
  for (const n of rc.confirmed) evidence.push(`${n} resolves back to ${rc.address}`);
  if (failed(rc.ptr)) return couldNot('fcrdns', `the reverse DNS of ${rc.address}`, `PTR ${rc.address}`, rc.ptr, subject);
  const missingStatus: MailCheckStatus = sends ? 'fail' : 'warn';
  const onlyIfSends = sends ? '' : ' (matters when this MX host also sends mail)';
  if (ptrNames.length === 0) {
    return { check: 'fcrdns', status: missingStatus, title: `${rc.address} (${host}) has no PTR record${onlyIfSends}`,
      evidence: [...evidence, `Many receivers refuse or mark mail from addresses without reverse DNS. Ask whoever owns the address (hosting provider) to set its PTR to ${host}.`], subject };
  }
  if (rc.confirmed.includes(host)) {
    return { check: 'fcrdns', status: 'pass', title: `${rc.address} has forward-confirmed reverse DNS: ${host}`, evidence, subject };
  }
  if (rc.confirmed.length > 0) {
    return { check: 'fcrdns', status: 'warn', title: `${rc.address} points back to ${rc.confirmed[0]}, not to ${host}`,
      evidence: [...evidence, `The reverse DNS is forward-confirmed, but for another name. Set the PTR to ${host}, or use ${rc.confirmed[0]} as myhostname/smtp_helo_name, so that the name the server gives matches its address.`], subject };
  }
  if (rc.unknown.length > 0) {
    return { check: 'fcrdns', status: 'warn', title: `Could not check whether ${rc.address}'s PTR name leads back`, evidence: [...evidence, `${rc.unknown.join(', ')}: lookup failed`], subject };
  }
  return { check: 'fcrdns', status: missingStatus, title: `${rc.address}'s PTR (${ptrNames.join(', ')}) does not resolve back to it${onlyIfSends}`,
    evidence: [...evidence, `No PTR name has ${rc.address} among its addresses, so the reverse DNS is not forward-confirmed; receivers treat it like none. Set the PTR to ${host} and give ${host} this address.`], subject };
}

function heloLines(facts: MailDomainFacts, sending: Array<{ address: string; from: string }>, reverse: Map<string, ReverseCheck>, heloHost: HostAddresses | undefined, myHost: HostAddresses | undefined): MailCheckLine[] {
  const helo = facts.heloName ?? facts.myhostname;
  if (!helo) {
    return [{ check: 'helo', status: 'info', title: 'The HELO name is not known', evidence: [facts.mainCf ? 'main.cf sets neither smtp_helo_name nor myhostname: Postfix uses the system\'s host name.' : 'No main.cf in the workspace.'] }];
  }
  const from = facts.heloName && facts.heloName !== facts.myhostname ? 'smtp_helo_name' : 'myhostname';
  if (!helo.includes('.')) {
    return [{ check: 'helo', status: 'fail', title: `The HELO name ${helo} (${from}) is not a fully qualified domain name`, evidence: [`Receivers with reject_non_fqdn_helo_hostname (and most spam filters) refuse a HELO name without a domain. Set ${from} to the host's full name.`], subject: helo }];
  }
  const lines: MailCheckLine[] = [];
  if (heloHost && heloHost.addresses.length === 0 && !failed(heloHost.v4) && !failed(heloHost.v6)) {
    lines.push({ check: 'helo', status: 'fail', title: `The HELO name ${helo} (${from}) does not resolve`, evidence: [failureText(`A ${helo}`, heloHost.v4), failureText(`AAAA ${helo}`, heloHost.v6), 'Receivers with reject_unknown_helo_hostname refuse the mail. Publish an address for it, or use a name that has one.'], subject: helo });
  }
  if (sending.length === 0 && myHost && (failed(myHost.v4) || failed(myHost.v6))) {
    lines.push(couldNot('helo', `the HELO name ${helo} against reverse DNS`, `A/AAAA ${myHost.name}`, failed(myHost.v4) ? myHost.v4 : myHost.v6, helo));
    return lines;
  }
  if (sending.length === 0) {
    lines.push({ check: 'helo', status: 'info', title: `HELO name: ${helo} (${from})`, evidence: ['No sending address is known, so the HELO name cannot be compared with reverse DNS.'], subject: helo });
    return lines;
  }
  const evidence: string[] = [];
  let mismatch = false;
  let unknown = false;
  for (const s of sending) {
    const rc = reverse.get(s.address);
    if (!rc || failed(rc.ptr)) { unknown = true; evidence.push(`${s.address} (${s.from}): reverse DNS not known`); continue; }
    const names = rc.ptr.status === 'ok' ? rc.ptr.records.map(lower) : [];
    evidence.push(`${s.address} (${s.from}): PTR ${names.join(', ') || 'none'}`);
    if (!names.includes(helo)) mismatch = true;
  }
  if (mismatch) {
    lines.push({ check: 'helo', status: 'warn', title: `The HELO name ${helo} (${from}) is not the reverse DNS name of the sending address`,
      evidence: [...evidence, `Receivers compare the HELO name with the PTR of the connecting address; a mismatch costs spam score and some refuse it. Make the PTR and ${from} the same name.`], subject: helo });
  } else if (unknown) {
    lines.push({ check: 'helo', status: 'warn', title: `Could not compare the HELO name ${helo} with reverse DNS`, evidence, subject: helo });
  } else {
    lines.push({ check: 'helo', status: 'pass', title: `The HELO name ${helo} (${from}) is the reverse DNS name of the sending address`, evidence, subject: helo });
  }
  return lines;
}

function spfRecordLine(d: string, txt: Answer<string[]>): { line: MailCheckLine; record?: string } {
  if (failed(txt)) return { line: couldNot('spf-record', `the SPF record of ${d}`, `TXT ${d}`, txt, d) };
  const spf = txt.status === 'ok' ? txt.records.map((s) => s.join('')).filter(hasSpfVersion) : [];
  if (spf.length === 0) {
    return { line: { check: 'spf-record', status: 'fail', title: `${d} has no SPF record`, evidence: [failureText(`TXT ${d}`, txt) + (txt.status === 'ok' ? ' (none starts with v=spf1)' : ''), 'Receivers cannot tell which servers may send for the domain; Gmail and others reject or junk unauthenticated mail. Publish one TXT record such as "v=spf1 mx -all".'], subject: d } };
  }
  if (spf.length > 1) {
    return { line: { check: 'spf-record', status: 'fail', title: `${d} publishes ${spf.length} SPF records`, evidence: [...spf.map((v) => `TXT ${d}: ${v}`), 'Receivers return permerror when a domain has more than one SPF record, so SPF fails for all mail. Merge them into one.'], subject: d } };
  }
  return { line: { check: 'spf-record', status: 'pass', title: `${d} publishes an SPF record`, evidence: [`TXT ${d}: ${spf[0]}`], subject: d }, record: spf[0] };
}

async function spfLookupLine(r: Resolver, d: string): Promise<MailCheckLine> {
  const c = await countLookups(d, r);
  const evidence = [`${c.complete ? '' : 'at least '}${c.total} of ${LOOKUP_LIMIT} DNS lookups, ${c.voids} of ${VOID_LIMIT} void lookups`];
  if (c.overLimit) evidence.push(`over the limit at ${c.overLimit.map((t) => t.term.text).join(' → ')}`);
  if (c.overVoidLimit) evidence.push(`void limit passed at ${c.overVoidLimit.map((t) => t.term.text).join(' → ')}`);
  if (c.total > LOOKUP_LIMIT || c.voids > VOID_LIMIT) {
    return { check: 'spf-lookups', status: 'fail', title: `The SPF record of ${d} needs more DNS lookups than RFC 7208 allows`, evidence: [...evidence, 'Receivers stop with permerror, so SPF fails. `mailconf spf tree` shows the tree; replace includes by ip4:/ip6: ranges.'], subject: d };
  }
  if (c.loops.length) {
    return { check: 'spf-lookups', status: 'fail', title: `The SPF record of ${d} includes itself (a loop)`, evidence: [...evidence, ...c.loops.map((l) => `loop: ${l.map((t) => t.term.text).join(' → ')}`)], subject: d };
  }
  if (!c.complete) return { check: 'spf-lookups', status: 'warn', title: `The SPF lookups of ${d} could not all be counted`, evidence: [...evidence, 'Some includes failed to load, or terms depend on macros or ptr.'], subject: d };
  return { check: 'spf-lookups', status: 'pass', title: `The SPF record of ${d} stays within RFC 7208's lookup limits`, evidence, subject: d };
}

async function spfAuthorizesLine(r: Resolver, d: string, address: string, hosts: string[], sends: boolean, helo: string | undefined): Promise<MailCheckLine> {
  const out = await checkHost(r, { ip: address, domain: d, sender: `postmaster@${d}`, helo: helo ?? d });
  const evidence = [`check_host(${address}, ${d}, postmaster@${d}) = ${out.result}`, out.reason];
  const who = hosts.join(', ');
  if (out.result === 'pass') return { check: 'spf-authorizes', status: 'pass', title: `SPF of ${d} authorizes ${address} (${who})`, evidence, subject: address };
  if (out.result === 'temperror') return { check: 'spf-authorizes', status: 'warn', title: `Could not check whether SPF of ${d} authorizes ${address}`, evidence: [...evidence, 'A DNS lookup failed (temperror); receivers would defer the mail.'], subject: address };
  const status: MailCheckStatus = sends ? 'fail' : 'warn';
  const tail = sends
    ? `Mail from this server with a ${d} sender fails SPF. Add ip${address.includes(':') ? '6' : '4'}:${address} (or "mx"/"a" when they cover it) to the record.`
    : 'This MX host is not a sender the record lists; that matters only when it sends mail for the domain.';
  return { check: 'spf-authorizes', status, title: `SPF of ${d} does not authorize ${address} (${who}): ${out.result}`, evidence: [...evidence, tail], subject: address };
}

const isDmarc = (v: string) => /^v\s*=\s*DMARC1\s*(;|$)/i.test(v);

async function dmarcLine(r: Resolver, d: string): Promise<MailCheckLine> {
  const name = `_dmarc.${d}`;
  let txt = await r.txt(name);
  let at = name;
  let inherited = false;
  const records = (a: Answer<string[]>) => (a.status === 'ok' ? a.records.map((s) => s.join('')).filter(isDmarc) : []);
  if (!failed(txt) && records(txt).length === 0) {
    // RFC 7489 §6.6.3: without a record of its own, a subdomain follows its organizational domain's.
    const org = organizationalDomainGuess(d);
    if (org !== d) {
      const up = await r.txt(`_dmarc.${org}`);
      if (failed(up) || records(up).length > 0) { txt = up; at = `_dmarc.${org}`; inherited = true; }
    }
  }
  if (failed(txt)) return couldNot('dmarc', `the DMARC record of ${d}`, `TXT ${at}`, txt, d);
  const found = records(txt);
  if (found.length === 0) {
    return { check: 'dmarc', status: 'fail', title: `${d} has no DMARC record`, evidence: [failureText(`TXT ${name}`, txt), `Without DMARC, receivers have no policy for mail that fails SPF and DKIM, and large mailbox providers require one from bulk senders. Publish e.g. _dmarc.${d} TXT "v=DMARC1; p=none; rua=mailto:dmarc@${d}" and tighten p= later.`], subject: d };
  }
  if (found.length > 1) {
    return { check: 'dmarc', status: 'fail', title: `${at} has ${found.length} DMARC records`, evidence: [...found.map((v) => `TXT ${at}: ${v}`), 'Receivers ignore DMARC when there is more than one record. Keep one.'], subject: d };
  }
  const tags = parseTagList(found[0]);
  const policy = (inherited ? tags.get('sp') ?? tags.get('p') : tags.get('p'))?.value.toLowerCase();
  const evidence = [`TXT ${at}: ${found[0]}`];
  if (inherited) evidence.push(`${d} has no record of its own; the organizational domain's applies${tags.get('sp') ? ' (sp=)' : ''}.`);
  if (policy !== 'none' && policy !== 'quarantine' && policy !== 'reject') {
    return { check: 'dmarc', status: 'fail', title: `The DMARC record of ${d} has no valid p= policy`, evidence: [...evidence, 'Receivers ignore a DMARC record without p=none, quarantine or reject.'], subject: d };
  }
  if (policy === 'none') {
    return { check: 'dmarc', status: 'warn', title: `${d} has a DMARC record with p=none (monitoring only)`, evidence: [...evidence, 'Receivers report but take no action on mail that fails. Move to p=quarantine, then p=reject, once the reports show your mail passes.'], subject: d };
  }
  return { check: 'dmarc', status: 'pass', title: `${d} has a DMARC record: p=${policy}`, evidence, subject: d };
}

async function dkimLines(r: Resolver, facts: MailDomainFacts, publicKeyOf?: PublicKeyOfFile): Promise<MailCheckLine[]> {
  const d = facts.domain;
  if (facts.dkim.length === 0) {
    return [{ check: 'dkim', status: 'info', title: `No KeyTable entry for ${d} in the workspace: DKIM not checked`, evidence: ['Open or give the OpenDKIM configuration (KeyTable) to check that its keys are published.'], subject: d }];
  }
  const answers = await Promise.all(facts.dkim.map((k) => r.txt(`${k.selector}._domainkey.${d}`)));
  return facts.dkim.map((k, i) => {
    const name = `${k.selector}._domainkey.${d}`;
    const a = answers[i];
    if (failed(a)) return couldNot('dkim', `the DKIM key ${name}`, `TXT ${name}`, a, name);
    const keys = a.status === 'ok' ? a.records.map((s) => s.join('')).filter(isKeyRecord) : [];
    if (keys.length === 0) {
      return { check: 'dkim', status: 'fail', title: `The DKIM key of selector ${k.selector} (KeyTable ${k.keyName}) is not published`, evidence: [failureText(`TXT ${name}`, a), 'Receivers cannot verify the signatures OpenDKIM makes with it. Publish the record from the .txt file opendkim-genkey wrote.'], subject: name };
    }
    const shown = keys.map((v) => `TXT ${name}: ${v.length > 80 ? v.slice(0, 80) + '…' : v}`);
    const published = keys.map((v) => dkimPublicKeyOf(v)).filter((x) => x !== undefined);
    if (published.length === 0) {
      return { check: 'dkim', status: 'fail', title: `The DKIM record at ${name} holds no usable key (empty or broken p=)`, evidence: [...shown, 'An empty p= means the key was revoked; signatures with it fail.'], subject: name };
    }
    const fileKey = k.keyFile && publicKeyOf ? publicKeyOf(k.keyFile) : undefined;
    if (fileKey && !published.some((p) => sameBytes(p.spkiDer, fileKey))) {
      return { check: 'dkim', status: 'fail', title: `The key published at ${name} is not the public half of ${k.keyFile!.path}`, evidence: [...shown, 'Every signature made with this key file fails. Publish the record for this key or point the KeyTable entry at the matching key.'], subject: name };
    }
    const extra = fileKey ? [`matches the public half of ${k.keyFile!.path}`] : [];
    return { check: 'dkim', status: keys.length > 1 ? 'warn' : 'pass', title: keys.length > 1 ? `${name} publishes ${keys.length} DKIM keys (verifiers pick one)` : `The DKIM key of selector ${k.selector} is published`, evidence: [...shown, ...extra], subject: name };
  });
}

/**
 * Checks a mail domain against live DNS. `options.publicKeyOf` (from the front end) lets the
 * DKIM lines compare the published keys with the KeyTable's key files.
 */
export async function checkMailDomain(facts: MailDomainFacts, resolver: Resolver, options: { publicKeyOf?: PublicKeyOfFile } = {}): Promise<MailDomainReport> {
  const r = safe(resolver);
  const lines: MailCheckLine[] = [];
  for (const note of facts.notes) lines.push({ check: 'setup', status: 'info', title: note, evidence: [] });
  const d = facts.domain;
  if (!d) {
    lines.push({ check: 'setup', status: 'fail', title: 'No mail domain to check', evidence: ['Give the domain (mailconf domain check DOMAIN).'] });
    return report(facts, lines);
  }
  const helo = facts.heloName ?? facts.myhostname;
  const [mx, txt, dmarc, dkim, lookups] = await Promise.all([
    r.mx(d), r.txt(d), dmarcLine(r, d), dkimLines(r, facts, options.publicKeyOf), spfLookupLine(r, d),
  ]);
  lines.push(...mxLines(facts, mx));

  // The hosts: myhostname (it sends), the HELO name when different, and each MX host.
  const roles = new Map<string, string[]>();
  const addRole = (name: string, role: string) => { const k = lower(name); if (!k || k === '.') return; const l = roles.get(k); if (l) { if (!l.includes(role)) l.push(role); } else roles.set(k, [role]); };
  if (facts.myhostname) addRole(facts.myhostname, 'myhostname');
  if (helo && helo !== facts.myhostname && helo.includes('.')) addRole(helo, 'smtp_helo_name');
  let mxHosts: string[] = [];
  if (mx.status === 'ok') mxHosts = mx.records.map((x) => lower(x.exchange)).filter((x) => x !== '');
  else if (failed(mx) && facts.zoneMx?.length) {
    mxHosts = facts.zoneMx.map((x) => x.exchange);
    lines.push({ check: 'mx', status: 'info', title: 'The MX hosts of the zone files are checked instead', evidence: mxHosts });
  }
  for (const h of mxHosts) addRole(h, 'MX');
  const hosts = await Promise.all([...roles].map(([name, rs]) => hostAddresses(r, name, rs)));
  const sendsOf = (h: HostAddresses) => h.roles.includes('myhostname') || h.roles.includes('smtp_helo_name');
  for (const h of hosts) lines.push(addressLine(h, sendsOf(h)));

  // Every address once: which hosts have it, whether any of them sends.
  const byAddress = new Map<string, { hosts: string[]; sends: boolean }>();
  for (const h of hosts) {
    for (const a of h.addresses) {
      const e = byAddress.get(a) ?? { hosts: [], sends: false };
      e.hosts.push(h.name);
      e.sends ||= sendsOf(h);
      byAddress.set(a, e);
    }
  }
  for (const s of facts.sourceAddresses) {
    const e = byAddress.get(s.address) ?? { hosts: [], sends: true };
    e.hosts.push(`${s.from} in main.cf`);
    e.sends = true;
    byAddress.set(s.address, e);
  }
  const addresses = [...byAddress.keys()];
  const [reverse, authorized] = await Promise.all([
    Promise.all(addresses.map((a) => reverseCheck(r, a))),
    txt.status === 'ok' && txt.records.some((s) => hasSpfVersion(s.join('')))
      ? Promise.all(addresses.map((a) => spfAuthorizesLine(r, d, a, byAddress.get(a)!.hosts, byAddress.get(a)!.sends, helo)))
      : Promise.resolve([] as MailCheckLine[]),
  ]);
  const reverseOf = new Map(reverse.map((rc) => [rc.address, rc]));
  for (const rc of reverse) {
    const e = byAddress.get(rc.address)!;
    // The name the PTR should carry: the sending host's for a sending address, else the MX host's.
    const host = e.sends ? (helo ?? e.hosts[0]) : e.hosts[0];
    lines.push(fcrdnsLine(lower(host), e.sends, rc));
  }

  const myHost = hosts.find((h) => h.roles.includes('myhostname'));
  const heloHost = helo ? hosts.find((h) => h.name === helo) : undefined;
  const sending = facts.sourceAddresses.length > 0 ? facts.sourceAddresses : (myHost?.addresses ?? []).map((a) => ({ address: a, from: `address of ${myHost!.name}` }));
  lines.push(...heloLines(facts, sending, reverseOf, heloHost, myHost));

  const spf = spfRecordLine(d, txt);
  lines.push(spf.line);
  if (spf.record) lines.push(lookups, ...authorized);
  lines.push(dmarc, ...dkim);
  return report(facts, lines);
}

function report(facts: MailDomainFacts, lines: MailCheckLine[]): MailDomainReport {
  const counts: Record<MailCheckStatus, number> = { pass: 0, warn: 0, fail: 0, info: 0 };
  for (const l of lines) counts[l.status]++;
  return { domain: facts.domain, facts, lines, counts };
}

// ------------------------------------------------------------------ rendering

const MARK: Record<MailCheckStatus, string> = { pass: '**PASS**', warn: '**WARN**', fail: '**FAIL**', info: 'info' };

function code(text: string): string {
  return '`' + text.replace(/`/g, "'") + '`';
}

export interface RenderOptions {
  /** Where the answers came from, for the summary line. Default "live DNS". */
  source?: string;
  /** How a document URI is shown (the front end knows the workspace's folders). Default: the URI. */
  location?: (uri: string) => string;
}

/** The report as Markdown (a read-only document): what the workspace says, then each line with its evidence. */
export function renderMailDomainReport(report: MailDomainReport, options: RenderOptions = {}): string {
  const f = report.facts;
  const out: string[] = [`# Mail domain check: ${report.domain ? code(report.domain) : '(none)'}`, ''];
  const c = report.counts;
  out.push(`${c.fail} fail, ${c.warn} warn, ${c.pass} pass${c.info ? `, ${c.info} info` : ''} — checked against ${options.source ?? 'live DNS'}.`, '');
  const known: string[] = [];
  if (f.myhostname) known.push(`myhostname ${code(f.myhostname)}`);
  if (f.heloName && f.heloName !== f.myhostname) known.push(`smtp_helo_name ${code(f.heloName)}`);
  if (f.mydomain) known.push(`mydomain ${code(f.mydomain)}`);
  for (const s of f.sourceAddresses) known.push(`${s.from} ${code(s.address)}`);
  if (f.zoneMx) known.push(`MX in the zone files: ${f.zoneMx.length ? f.zoneMx.map((m) => code(`${m.preference} ${m.exchange}`)).join(', ') : 'none'}`);
  if (f.dkim.length) known.push(`DKIM selectors: ${f.dkim.map((k) => code(k.selector)).join(', ')}`);
  if (known.length) out.push(`From the workspace${f.mainCf ? ` (${code(options.location ? options.location(f.mainCf) : f.mainCf)})` : ''}: ${known.join('; ')}.`, '');
  for (const l of report.lines) {
    out.push(`- ${MARK[l.status]} ${l.title}`);
    for (const e of l.evidence) out.push(`  - ${e}`);
  }
  out.push('');
  return out.join('\n');
}
