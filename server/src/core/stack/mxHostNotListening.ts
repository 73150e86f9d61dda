// A domain's MX record (in a workspace zone file) names this Postfix server, but the server
// takes no mail from the internet: main.cf's inet_interfaces lists loopback addresses only
// (loopback-only, localhost, 127.0.0.1, [::1] … after $name expansion), or master.cf has no
// `smtp inet … smtpd` (nor postscreen) listening on port 25. Senders then get "connection
// refused", keep the mail in their queue and bounce it days later. It is the send-only
// (null client) tutorial setup left on the host the MX points at.
//
// What Postfix does is read from its source: master(8) binds a `host:port` service to that
// host, any other inet service to the inet_interfaces addresses (master_ent.c); a changed
// inet_interfaces is ignored by `postfix reload` ("ignoring inet_interfaces change … stop and
// start Postfix"), so the fix needs a restart.
//
// Judged only when certain: main.cf sets myhostname; the MX target is myhostname (case and
// final dot ignored) or has one of its A/AAAA addresses in the workspace's zones; the MX is no
// null MX and not below a delegation; no smtpd/postscreen listens publicly on a port other than
// the submission ones (a firewall may forward port 25 there); not a postfix-multi instance
// (another instance may receive); a missing port-25 service only with the whole master.cf in
// the workspace.

import { andList } from '../text/andList';
import type { AnalysisContext } from '../context';
import type { Settings } from '../settings';
import type { Finding, Fix, RelatedLocation, Severity } from '../types';
import type { Workspace, WorkspaceDocument } from './workspace';
import { uriBasename } from './postfixInstance';
import { canonicalIp, perSendingHost, type FileStateMemo, type Located } from './sendingHostSpf';
import { isMainCfDocument, postfixModel, type PostfixModel, type ServiceEntry } from '../postfix/instance';
import { hostOf, internetSmtpd, isLoopback, portOf } from '../postfix/checks/tls';
import { splitList } from '../postfix/expand';
import { hostSettingsOf } from '../dns/mailDomain';
import type { WorkspaceZones } from '../dns/zoneResolver';
import { delegationAbove, MX, type ZoneRR } from '../zone/checks/zoneData';
import { absoluteIn, withoutDot } from '../zone/checks/origin';
import { isGenericRdata } from '../zone/record-checks';
import { isCheckableDomain } from '../records/spf/evaluate';

export const MX_HOST_NOT_LISTENING = 'mx/host-not-listening';

/** Ports of the submission services (587, 465): for the server's own users, never an MX's. */
const SUBMISSION_PORTS = new Set(['submission', '587', 'smtps', 'submissions', '465']);
/** The inet_interfaces values the quick-fix replaces: plain words, nothing to keep. */
const PLAIN_LOOPBACK = new Set(['loopback-only', 'localhost', '127.0.0.1']);

/** Why no mail from the internet arrives. */
export type NotListeningReason =
  /** inet_interfaces is loopback only, and the port-25 service binds no address of its own. */
  | 'loopback-interfaces'
  /** The port-25 service of master.cf is bound to a loopback address (127.0.0.1:smtp). */
  | 'loopback-service'
  /** master.cf has no inet smtpd/postscreen on port 25 at all. */
  | 'no-smtp-service';

/** One MX record of the workspace's zones that names this server. */
export interface MxPointer {
  /** The domain the MX is for (lower case, no final dot). */
  domain: string;
  /** The MX target as written, absolute, lower case, no final dot. */
  exchange: string;
  /** The target's token in the zone file. */
  at: Located;
  /** Set when the target is another name with an address of myhostname. */
  sharedAddress?: string;
  /** Every MX of the domain names this server: no mail for it can arrive. */
  onlyMx: boolean;
}

export interface MxNotListeningProblem {
  /** myhostname (lower case) and where main.cf sets it. */
  host: string;
  hostAt: Located;
  reason: NotListeningReason;
  /** The inet_interfaces value, the master.cf service line, or myhostname (no service). */
  postfixAt: Located;
  /** inet_interfaces as written (loopback-interfaces). */
  interfaces?: string;
  /** The master.cf file (no-smtp-service). */
  masterUri?: string;
  mxs: MxPointer[];
  /** main.cf: `inet_interfaces = all`, for a plain loopback value. */
  fix?: Fix;
}

// ------------------------------------------------------------------ the Postfix side

type Interfaces = 'loopback' | 'public' | 'unknown';

/** What main.cf's inet_interfaces binds (master(8) reads it from main.cf only). */
function interfacesOf(model: PostfixModel): Interfaces {
  const raw = model.valueInEffect('inet_interfaces');
  const value = raw === undefined ? undefined : model.expandExact(raw);
  if (value === undefined) return 'unknown';
  const words = splitList(value.toLowerCase()).map((w) => w.replace(/^\[(.*)\]$/, '$1'));
  return words.length > 0 && words.every(isLoopback) ? 'loopback' : 'public';
}

const isReceiver = (s: ServiceEntry) => s.type === 'inet' && (s.command === 'smtpd' || s.command === 'postscreen');
const onPort25 = (s: ServiceEntry) => ['smtp', '25'].includes(portOf(s.name));

interface NotListening {
  reason: NotListeningReason;
  postfixAt: Located;
  interfaces?: string;
  masterUri?: string;
  fix?: Fix;
}

/** Why this instance takes no mail from the internet, or undefined (it does, or we cannot be sure). */
function notListening(model: PostfixModel, hostAt: Located): NotListening | undefined {
  if (!model.main || internetSmtpd(model).length > 0) return undefined;
  // postfix-multi: another instance of this host may be the one that receives.
  for (const name of ['multi_instance_directories', 'multi_instance_name']) {
    if ((model.effectiveDefinition(name)?.value.text.trim() ?? '') !== '') return undefined;
  }
  const interfaces = interfacesOf(model);
  const receivers = model.services.filter(isReceiver);
  const boundHere = (s: ServiceEntry) => hostOf(s.name) !== '';
  // A service that follows inet_interfaces while we cannot tell what that is: not judged.
  if (interfaces === 'unknown' && receivers.some((s) => !boundHere(s))) return undefined;
  const publicly = receivers.filter((s) => (boundHere(s) ? !isLoopback(hostOf(s.name)) : interfaces === 'public'));
  // Port 25 forwarded by a firewall to another port (2525 …) would still receive.
  if (publicly.some((s) => !SUBMISSION_PORTS.has(portOf(s.name)))) return undefined;

  const port25 = receivers.filter(onPort25);
  const def = model.effectiveDefinition('inet_interfaces');
  if (interfaces === 'loopback' && def && port25.some((s) => !boundHere(s))) {
    const written = def.value.text.trim();
    const fix: Fix | undefined = PLAIN_LOOPBACK.has(written.toLowerCase())
      ? {
          title: 'Set `inet_interfaces = all` (then restart Postfix: `postfix reload` keeps the old listening addresses)',
          edits: [{ range: def.value.range, newText: 'all' }],
          preferred: true,
        }
      : undefined;
    return { reason: 'loopback-interfaces', postfixAt: { uri: model.main.doc.uri, range: def.value.range }, interfaces: written, fix };
  }
  // A missing service is a fact only about a whole master.cf that is in the workspace.
  if (!model.master || model.masterAssumed || model.masterIsFragment) return undefined;
  const loopbackService = port25.find(boundHere);
  if (loopbackService) return { reason: 'loopback-service', postfixAt: { uri: model.master.doc.uri, range: loopbackService.node.name.range } };
  if (port25.length > 0) return undefined;
  return { reason: 'no-smtp-service', postfixAt: hostAt, masterUri: model.master.doc.uri };
}

// ------------------------------------------------------------------ the DNS side

/** The A/AAAA addresses of `name` in the workspace's zones (what they certainly say). */
function addressesOf(zones: WorkspaceZones, name: string): string[] {
  const out: string[] = [];
  for (const family of [4, 6] as const) {
    const answer = zones.addressesSync(name, family);
    if (answer?.status === 'ok') for (const a of answer.records) { const c = canonicalIp(a); if (c) out.push(c); }
  }
  return out;
}

/** The MX target of a record, absolute, lower case, without the final dot ('' for a null MX). */
function exchangeOf(rr: ZoneRR): string | undefined {
  const r = rr.record;
  if (r.rdataCount < 2) return undefined;
  return withoutDot(absoluteIn(r.tokenText(r.rdataStart + 1), r.origin, rr.file.base)).toLowerCase();
}

/** The address-class lists whose domains this server is meant to receive mail for. */
const CLASS_LISTS = ['mydestination', 'virtual_alias_domains', 'virtual_mailbox_domains', 'relay_domains'];

/**
 * The names whose MX records are looked at: every zone's apex, the domains above myhostname,
 * mydomain and the literal domains of the address-class lists. Looked up by name, so a zone
 * of a million records costs a handful of index reads, not a walk over every owner.
 */
function candidateKeys(model: PostfixModel, zones: WorkspaceZones, host: string): Set<string> {
  const keys = new Set<string>();
  const add = (domain: string) => {
    const d = withoutDot(domain.trim()).toLowerCase();
    if (d !== '' && isCheckableDomain(d)) keys.add(d + '.');
  };
  for (const z of zones.allZones()) if (z.apexKey !== '') keys.add(z.apexKey);
  const labels = host.split('.');
  for (let i = 1; i < labels.length - 1; i++) add(labels.slice(i).join('.'));
  for (const name of ['mydomain', ...CLASS_LISTS]) {
    const value = model.expandExact(model.valueInEffect(name) ?? '');
    if (value === undefined) continue;
    for (const word of splitList(value)) if (!word.includes(':') && !word.startsWith('/')) add(word);
  }
  return keys;
}

/** The MX records at `keys` in the workspace's zones that name `host` (by name or by a shared address). */
function mxPointersTo(zones: WorkspaceZones, host: string, keys: Set<string>): MxPointer[] {
  const own = new Set(addressesOf(zones, host));
  const verdicts = new Map<string, { match: boolean; shared?: string }>();
  const names = (exchange: string) => {
    let v = verdicts.get(exchange);
    if (!v) {
      const shared = exchange === host ? undefined : addressesOf(zones, exchange).find((a) => own.has(a));
      v = { match: exchange === host || shared !== undefined, shared };
      verdicts.set(exchange, v);
    }
    return v;
  };
  const out: MxPointer[] = [];
  for (const z of zones.allZones()) {
    for (const key of keys) {
      const group = z.byName.get(key);
      if (!group) continue;
      const mx = group.filter((rr) => rr.record.typeCode === MX && !rr.removed && !isGenericRdata(rr.record));
      if (mx.length === 0 || delegationAbove(z, key) !== undefined) continue;
      const targets = mx.map((rr) => ({ rr, exchange: exchangeOf(rr) }));
      for (const { rr, exchange } of targets) {
        if (!exchange) continue; // a null MX (RFC 7505) or a record without a target
        const v = names(exchange);
        if (!v.match) continue;
        const r = rr.record;
        out.push({
          domain: withoutDot(rr.owner).toLowerCase(),
          exchange,
          at: { uri: rr.file.doc.uri, range: r.tokenRangeAt(r.rdataStart + 1) },
          sharedAddress: v.shared,
          onlyMx: targets.every((t) => t.exchange !== undefined && t.exchange !== '' && names(t.exchange).match),
        });
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------ the check

function instanceProblems(workspace: Workspace, settings: Settings, mainDoc: WorkspaceDocument, zones: WorkspaceZones): MxNotListeningProblem[] {
  const model = postfixModel({ doc: mainDoc, workspace, settings });
  const hostDef = model.effectiveDefinition('myhostname');
  const host = hostSettingsOf(model).myhostname;
  if (!model.main || !hostDef || !host || !isCheckableDomain(host)) return [];
  const hostAt: Located = { uri: model.main.doc.uri, range: hostDef.value.range };
  // The Postfix side first: most servers receive, and then the zones are not read at all.
  const why = notListening(model, hostAt);
  if (!why) return [];
  const mxs = mxPointersTo(zones, host, candidateKeys(model, zones, host));
  return mxs.length ? [{ host, hostAt, ...why, mxs }] : [];
}

const KINDS_READ = new Set(['postfix-main', 'postfix-master', 'dns-zone']);
const memo: FileStateMemo<MxNotListeningProblem[]> = new WeakMap();

/** Every MX that names a Postfix server of the workspace that takes no mail; once per state of the files. */
export function mxHostNotListeningProblems(workspace: Workspace, settings: Settings): MxNotListeningProblem[] {
  return perSendingHost(memo, workspace, settings, KINDS_READ, (doc, zones) => instanceProblems(workspace, settings, doc, zones));
}

// ------------------------------------------------------------------ findings

const severityOf = (onlyMx: boolean): Severity => (onlyMx ? 'error' : 'warning');

/** What keeps mail out, in the words of the file that says it. */
function cause(p: MxNotListeningProblem): string {
  switch (p.reason) {
    case 'loopback-interfaces':
      return `\`inet_interfaces = ${p.interfaces}\` makes Postfix listen on this host's loopback addresses only`;
    case 'loopback-service':
      return 'the port-25 smtpd service of master.cf is bound to a loopback address';
    case 'no-smtp-service':
      return `master.cf has no \`smtp inet … smtpd\` (or postscreen) service, so nothing listens on port 25`;
  }
}

function remedy(p: MxNotListeningProblem): string {
  switch (p.reason) {
    case 'loopback-interfaces':
      return 'Set `inet_interfaces = all` and restart Postfix (`systemctl restart postfix`; a reload keeps the old addresses), and open port 25 in the firewall';
    case 'loopback-service':
      return 'Write the service as `smtp inet n - y - - smtpd` (no address, or this host\'s public one), run `postfix reload` (master.cf changes need no restart), and open port 25 in the firewall';
    case 'no-smtp-service':
      return 'Add `smtp inet n - y - - smtpd` to master.cf, run `postfix reload` (master.cf changes need no restart), and open port 25 in the firewall';
  }
}

const BOUNCE = 'other mail servers that deliver to it get "connection refused" on port 25, keep the mail in their queue and bounce it days later';

function via(m: MxPointer, host: string): string {
  return m.sharedAddress ? `${m.exchange}, which has ${host}'s address ${m.sharedAddress}` : m.exchange;
}

function postfixSideFinding(p: MxNotListeningProblem): Finding {
  const domains = [...new Set(p.mxs.map((m) => m.domain))];
  const only = [...new Set(p.mxs.filter((m) => m.onlyMx).map((m) => m.domain))];
  const others = only.length === domains.length ? '' : ` (${andList(domains.filter((d) => !only.includes(d)))} ${domains.length - only.length > 1 ? 'have' : 'has'} other MX hosts, which get the mail after a delay)`;
  const related: RelatedLocation[] = p.mxs.map((m) => ({ uri: m.at.uri, range: m.at.range, message: `the MX of ${m.domain}: ${via(m, p.host)}` }));
  if (p.masterUri) related.push({ uri: p.masterUri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: 'master.cf: no smtpd or postscreen on port 25' });
  const pointsHere = p.reason === 'no-smtp-service' ? `This server (${p.host})` : `This server (${p.host}, myhostname in ${uriBasename(p.hostAt.uri)})`;
  return {
    range: p.postfixAt.range,
    severity: severityOf(only.length > 0),
    code: MX_HOST_NOT_LISTENING,
    message: `${pointsHere} is the MX host of ${andList(domains)} in ${andList([...new Set(p.mxs.map((m) => uriBasename(m.at.uri)))])}, but ${cause(p)}: ${BOUNCE}${others}. ${remedy(p)}. If this server should only send mail, point the MX at the server that receives mail for ${domains.length > 1 ? 'these domains' : domains[0]}.`,
    related,
    fixes: p.fix ? [p.fix] : undefined,
  };
}

function zoneSideFinding(p: MxNotListeningProblem, m: MxPointer): Finding {
  const related: RelatedLocation[] = [{ uri: p.postfixAt.uri, range: p.postfixAt.range, message: p.reason === 'no-smtp-service' ? `myhostname ${p.host}: no port-25 service in master.cf` : cause(p) }];
  if (p.postfixAt.uri !== p.hostAt.uri || p.postfixAt.range !== p.hostAt.range) related.push({ uri: p.hostAt.uri, range: p.hostAt.range, message: `myhostname: ${p.host}` });
  const delay = m.onlyMx ? 'no mail for the domain arrives' : 'the domain\'s other MX hosts get the mail only after senders give up on this one';
  return {
    range: m.at.range,
    severity: severityOf(m.onlyMx),
    code: MX_HOST_NOT_LISTENING,
    message: `This MX sends mail for ${m.domain} to ${via(m, p.host)}, the Postfix server of ${uriBasename(p.hostAt.uri)} (myhostname), but ${cause(p)} (${uriBasename(p.masterUri ?? p.postfixAt.uri)}): ${BOUNCE}, and ${delay}. ${remedy(p)}; or point this MX at the server that receives mail for ${m.domain}.`,
    related,
  };
}

/** Checker for main.cf and master.cf: the finding on inet_interfaces, the port-25 service, or myhostname. */
export function checkMxHostNotListeningFromPostfix(ctx: AnalysisContext): Finding[] {
  if (ctx.doc.kind === 'postfix-main' && !isMainCfDocument(ctx.doc)) return [];
  return mxHostNotListeningProblems(ctx.workspace, ctx.settings).filter((p) => p.postfixAt.uri === ctx.doc.uri).map(postfixSideFinding);
}

/** Checker for zone files: the finding on each MX target that names such a server. */
export function checkMxHostNotListeningFromZone(ctx: AnalysisContext): Finding[] {
  const out: Finding[] = [];
  for (const p of mxHostNotListeningProblems(ctx.workspace, ctx.settings)) {
    for (const m of p.mxs) if (m.at.uri === ctx.doc.uri) out.push(zoneSideFinding(p, m));
  }
  return out;
}
