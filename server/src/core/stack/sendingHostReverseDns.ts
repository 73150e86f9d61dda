// Forward-confirmed reverse DNS (FCrDNS) of the addresses a Postfix server sends from,
// judged offline from the workspace's zone files: the reverse zone's PTR record for each
// address, and whether a PTR name resolves back to the address in the forward zones.
// Receivers (Gmail, Microsoft, most spam filters) refuse or score down mail from an address
// without reverse DNS, or whose PTR name does not lead back to it; many compare the HELO
// name with it too. The live-DNS version of the same judgement is the `fcrdns` and `helo`
// lines of the mail domain report (core/dns/mailDomain.ts); the verdicts agree.
//
// Which addresses, and when at all, is sendingHostSpf.ts's decision (directSenderOf): mail
// leaves directly, from myhostname's public A/AAAA (or a pinned source address), in the
// families inet_protocols enables. No false positives is the rule: nothing is concluded
// from a zone that is not complete (no SOA, an $INCLUDE not found, $GENERATE), a name
// outside the workspace's zones, a delegation, or a forward lookup that cannot be answered.

import { andList } from '../text/andList';
import type { AnalysisContext } from '../context';
import type { Settings } from '../settings';
import type { Finding, Fix, RelatedLocation, Severity, TextEdit } from '../types';
import type { Workspace, WorkspaceDocument } from './workspace';
import { uriBasename } from './postfixInstance';
import { isMainCfDocument } from '../postfix/instance';
import { canonicalIp, directSenderOf, lower, perSendingHost, settingAt, type DirectSender, type FileStateMemo, type Located, type SendingAddress } from './sendingHostSpf';
import type { WorkspaceZones } from '../dns/zoneResolver';
import type { ZoneRR } from '../zone/checks/zoneData';
import { absoluteIn, nameKey, withoutDot } from '../zone/checks/origin';
import { formatIp, parseClientIp, reverseName } from '../records/spf/ip';
import { soaSerialBump, zoneChoicesFor, zoneRecordInsertion } from './zoneInsertion';

export const SENDING_ADDRESS_WITHOUT_PTR = 'rdns/sending-address-without-ptr';
export const PTR_NOT_FORWARD_CONFIRMED = 'rdns/ptr-not-forward-confirmed';
export const PTR_NOT_HELO_NAME = 'rdns/ptr-not-helo-name';
export const SEVERAL_PTR_RECORDS = 'rdns/several-ptr-records';

/** PTR names followed per address (RFC 7208 §5.5 and the live report stop at 10 too). */
const MAX_PTR_NAMES = 10;
/** CNAME hops followed from a reverse name (RFC 2317 delegations use one). */
const MAX_CNAME_CHAIN = 8;

/** One PTR record of a sending address, and what its name's forward lookup says. */
interface PtrName {
  /** Lower case, without the final dot. */
  name: string;
  rr: ZoneRR;
  /** The name's A/AAAA records in the workspace include the address. */
  confirmed: boolean;
}

export type ReverseDnsProblemKind = 'no-ptr' | 'not-confirmed' | 'not-helo' | 'several';

/** One sending address whose reverse DNS receivers would hold against the server. */
export interface ReverseDnsProblem {
  kind: ReverseDnsProblemKind;
  address: string;
  /** smtp_bind_address / inet_interfaces when main.cf pins it, else 'host' (myhostname's A/AAAA). */
  from: SendingAddress['from'];
  /** The reverse name (4.3.2.1.in-addr.arpa, nibbles under ip6.arpa), lower case without the dot. */
  reverse: string;
  host: string;
  helo: string;
  /** Where main.cf (or master.cf) says it: myhostname, the pinned address, or the HELO name. */
  postfixAt: Located;
  /** Where the HELO name is set when it is not myhostname (smtp_helo_name). */
  heloAt?: Located;
  /** The PTR records (not for no-ptr). */
  ptrs: PtrName[];
  /** For no-ptr: the zone that should hold the record (its SOA), its apex, the name the record goes at. */
  zoneAt?: Located;
  zoneApex?: string;
  ownerName?: string;
  /** The name the PTR should carry: the HELO name or myhostname, whichever resolves to the address; undefined when neither does. */
  wanted?: string;
  /** Per PTR record (index in `ptrs`), or for the missing record (index -1): edits of the zone file. */
  fixes: Array<{ ptr: number; fix: Fix }>;
}

// ------------------------------------------------------------------ lookups over the zones

/** True when a workspace zone holding `key` is seen completely (as WorkspaceZones.lookup decides). */
function completeAt(zones: WorkspaceZones, key: string): boolean {
  return zones.zonesFor(key).some((z) => z.complete);
}

/**
 * The name a lookup of `name` ends at after the CNAMEs inside the workspace (RFC 2317
 * classless reverse delegation points 25.2.0.192.in-addr.arpa at 25.0-63.2.0.192…);
 * undefined when a hop leaves what the workspace can answer.
 */
function finalName(zones: WorkspaceZones, name: string): string | undefined {
  let current = lower(name);
  for (let hop = 0; hop <= MAX_CNAME_CHAIN; hop++) {
    const c = zones.lookup(current, 'CNAME');
    if (!c) return undefined;
    if (c.status !== 'ok') return current;
    const r = c.records[0].record;
    if (r.rdataCount === 0) return undefined;
    current = lower(absoluteIn(r.tokenText(r.rdataStart), r.origin, c.records[0].file.base));
  }
  return undefined;
}

/** Does `name` resolve to `address` in the workspace's zones? undefined when the zones cannot tell. */
function resolvesTo(zones: WorkspaceZones, name: string, address: string, family: 4 | 6): boolean | undefined {
  const answer = zones.lookup(name, family === 4 ? 'A' : 'AAAA');
  if (!answer) return undefined;
  if (answer.status === 'nxdomain' || answer.status === 'nodata') return false;
  if (answer.status !== 'ok') return undefined;
  if (answer.records.some((rr) => canonicalIp(rr.record.tokenText(rr.record.rdataStart)) === address)) return true;
  // Other addresses only: more may live in a part of the zone we do not see.
  return answer.records.every((rr) => completeAt(zones, rr.key)) ? false : undefined;
}

// ------------------------------------------------------------------ the check

/** The reverse-DNS problem of one sending address, or undefined (fine, or not judged). */
function addressProblem(workspace: Workspace, zones: WorkspaceZones, sender: DirectSender, heloAt: Located | undefined, a: SendingAddress): ReverseDnsProblem | undefined {
  const ip = parseClientIp(a.address);
  if (!ip) return undefined;
  const address = formatIp(ip).toLowerCase();
  const reverse = lower(reverseName(ip));
  // Only a complete reverse zone may say "no PTR"; its PTRs are all there to compare.
  if (!completeAt(zones, nameKey(reverse + '.'))) return undefined;
  const answer = zones.lookup(reverse, 'PTR');
  if (!answer || answer.status === 'servfail' || answer.status === 'timeout') return undefined;
  const postfixAt = a.from === 'host' ? sender.hostAt : settingAt(sender.model, sender.service, a.from) ?? sender.hostAt;
  // The PTR name to suggest: the HELO name, else myhostname, whichever has the address.
  const wanted = [sender.helo, sender.host].find((n) => resolvesTo(zones, n, address, ip.family) === true);
  const base = { address, from: a.from, reverse, host: sender.host, helo: sender.helo, postfixAt, heloAt, wanted, fixes: [] };

  if (answer.status !== 'ok') {
    const owner = finalName(zones, reverse);
    if (!owner || !completeAt(zones, nameKey(owner + '.'))) return undefined;
    const zone = zones.zonesFor(nameKey(owner + '.'))[0];
    const soa = zone.soas.find((s) => s.key === zone.apexKey) ?? zone.soas[0];
    const zoneAt: Located = soa
      ? { uri: soa.file.doc.uri, range: soa.record.tokenRangeAt(soa.record.typeIndex) }
      : { uri: zone.root.doc.uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
    const problem: ReverseDnsProblem = { ...base, kind: 'no-ptr', ptrs: [], zoneAt, zoneApex: withoutDot(zone.apex), ownerName: owner };
    const fix = wanted ? addPtrFix(workspace, owner, wanted) : undefined;
    if (fix) problem.fixes.push({ ptr: -1, fix });
    return problem;
  }

  if (!answer.records.every((rr) => completeAt(zones, rr.key))) return undefined;
  const ptrs: PtrName[] = [];
  let unknown = false;
  const targets = zones.ptrSync(reverse);
  const names = targets?.status === 'ok' ? targets.records : [];
  for (let i = 0; i < answer.records.length && ptrs.length < MAX_PTR_NAMES; i++) {
    const name = lower(names[i] ?? '');
    if (name === '' || ptrs.some((p) => p.name === name)) continue;
    const back = resolvesTo(zones, name, address, ip.family);
    if (back === undefined) unknown = true;
    ptrs.push({ name, rr: answer.records[i], confirmed: back === true });
  }
  if (ptrs.length === 0) return undefined;
  const confirmed = ptrs.filter((p) => p.confirmed);
  if (confirmed.length === 0) {
    if (unknown) return undefined;
    const problem: ReverseDnsProblem = { ...base, kind: 'not-confirmed', ptrs };
    if (wanted) ptrs.forEach((p, i) => { const fix = retargetFix(workspace, p, wanted); if (fix) problem.fixes.push({ ptr: i, fix }); });
    return problem;
  }
  if (!confirmed.some((p) => p.name === sender.helo)) {
    // The HELO name among the PTR names, but its forward lookup unknown: not judged.
    if (ptrs.some((p) => p.name === sender.helo)) return undefined;
    const problem: ReverseDnsProblem = { ...base, kind: 'not-helo', ptrs };
    if (wanted === sender.helo) ptrs.forEach((p, i) => { const fix = retargetFix(workspace, p, wanted); if (fix) problem.fixes.push({ ptr: i, fix }); });
    return problem;
  }
  if (ptrs.length > 1) return { ...base, kind: 'several', ptrs };
  return undefined;
}

function instanceProblems(workspace: Workspace, settings: Settings, mainDoc: WorkspaceDocument, zones: WorkspaceZones): ReverseDnsProblem[] {
  const sender = directSenderOf(workspace, settings, mainDoc, zones);
  if (!sender) return [];
  const heloAt = sender.helo !== sender.host ? settingAt(sender.model, sender.service, 'smtp_helo_name') : undefined;
  const out: ReverseDnsProblem[] = [];
  for (const a of sender.addresses) {
    const p = addressProblem(workspace, zones, sender, heloAt, a);
    if (p) out.push(p);
  }
  return out;
}

const KINDS_READ = new Set(['postfix-main', 'postfix-master', 'dns-zone']);
const memo: FileStateMemo<ReverseDnsProblem[]> = new WeakMap();

/**
 * Every reverse-DNS problem of the workspace's sending hosts, made once per state of the
 * files it reads (main.cf, master.cf, zones): the checkers of main.cf and of the zone files share it.
 */
export function sendingHostReverseDnsProblems(workspace: Workspace, settings: Settings): ReverseDnsProblem[] {
  return perSendingHost(memo, workspace, settings, KINDS_READ, (doc, zones) => instanceProblems(workspace, settings, doc, zones));
}

// ------------------------------------------------------------------ fixes

/** Adds `owner PTR wanted.` where the generators put new records, and increases the SOA serial. */
function addPtrFix(workspace: Workspace, owner: string, wanted: string): Fix | undefined {
  const choice = zoneChoicesFor(workspace, owner + '.')[0];
  if (!choice) return undefined;
  try {
    const edits: TextEdit[] = [zoneRecordInsertion(workspace, choice.uri, owner + '.', 'PTR', wanted + '.')];
    const bump = soaSerialBump(workspace, choice.uri);
    if (bump) edits.push(bump);
    return { title: `Add the PTR record ${choice.owner} → ${wanted} to ${uriBasename(choice.uri)}${bump ? ' (and increase the SOA serial)' : ''}`, edits, preferred: true };
  } catch {
    return undefined;
  }
}

/** Points one PTR record at `wanted` (absolute, with the dot), and increases the SOA serial. */
function retargetFix(workspace: Workspace, p: PtrName, wanted: string): Fix | undefined {
  const r = p.rr.record;
  // A wildcard PTR answers for every address of the zone: re-pointing it is not this address's fix.
  if (r.rdataCount !== 1 || p.rr.key.startsWith('*.')) return undefined;
  const uri = p.rr.file.doc.uri;
  const edits: TextEdit[] = [{ uri, range: r.tokenRangeAt(r.rdataStart), newText: wanted + '.' }];
  const bump = soaSerialBump(workspace, uri);
  if (bump) edits.push(bump);
  return { title: `Point this PTR record at ${wanted}${bump ? ' (and increase the SOA serial)' : ''}`, edits, preferred: true };
}

// ------------------------------------------------------------------ findings

const SEVERITY: Record<ReverseDnsProblemKind, Severity> = { 'no-ptr': 'warning', 'not-confirmed': 'warning', 'not-helo': 'information', several: 'information' };
const CODE: Record<ReverseDnsProblemKind, string> = {
  'no-ptr': SENDING_ADDRESS_WITHOUT_PTR,
  'not-confirmed': PTR_NOT_FORWARD_CONFIRMED,
  'not-helo': PTR_NOT_HELO_NAME,
  several: SEVERAL_PTR_RECORDS,
};

/** "192.0.2.25 (the address of mail.example.org)" or "192.0.2.26 (smtp_bind_address)". */
function addressText(p: ReverseDnsProblem): string {
  return p.from === 'host' ? `${p.address} (an address of ${p.host})` : `${p.address} (${p.from})`;
}

function heloText(p: ReverseDnsProblem): string {
  return p.helo === p.host ? `${p.helo} (myhostname)` : `${p.helo} (smtp_helo_name)`;
}

/** The reverse name, and the name its CNAME leads to (RFC 2317) where the record belongs. */
function reverseText(p: ReverseDnsProblem): string {
  return p.ownerName && p.ownerName !== p.reverse ? `${p.reverse}, an alias of ${p.ownerName}` : p.reverse;
}

function ptrList(p: ReverseDnsProblem): string {
  return andList(p.ptrs.map((x) => x.name));
}

const NOT_CONFIRMED_WHY = 'so the reverse DNS is not forward-confirmed: receivers treat it like none, and many refuse or score down such mail';
const NO_PTR_WHY = 'Gmail, Microsoft and most spam filters refuse or score down mail from an address without reverse DNS';

/** What to do, in one sentence (the part both sides share). */
function advice(p: ReverseDnsProblem): string {
  switch (p.kind) {
    case 'no-ptr':
      return p.wanted
        ? `Add a PTR record for it naming ${p.wanted}, and increase the SOA serial.`
        : `Add a PTR record for it naming ${p.helo}, and give ${p.helo} the address ${p.address} (an A/AAAA record), so that each leads to the other.`;
    case 'not-confirmed':
      return p.wanted
        ? `Point the PTR at ${p.wanted}, which has this address, or give ${ptrList(p)} the address ${p.address}.`
        : `Give ${p.ptrs.length > 1 ? 'one of them' : ptrList(p)} the address ${p.address}, or point the PTR at a name that has it.`;
    case 'not-helo': {
      const name = p.ptrs.find((x) => x.confirmed)!.name;
      return p.wanted === p.helo
        ? `Point the PTR at ${p.helo} (it has this address), or make ${name} the HELO name (smtp_helo_name, or myhostname).`
        : `Make ${name} the HELO name (smtp_helo_name, or myhostname), or give ${p.helo} this address and point the PTR at it.`;
    }
    case 'several':
      return `Keep one PTR record for the address, naming ${p.helo}.`;
  }
}

function postfixMessage(p: ReverseDnsProblem, zoneFile: string): string {
  const sends = `Mail leaves this server directly from ${addressText(p)}`;
  switch (p.kind) {
    case 'no-ptr':
      return `${sends}, and the reverse zone ${p.zoneApex} in ${zoneFile} has no PTR record for it (${reverseText(p)}). ${NO_PTR_WHY}. ${advice(p)}`;
    case 'not-confirmed':
      return `${sends}; its PTR record in ${zoneFile} names ${ptrList(p)}, but ${p.ptrs.length > 1 ? 'none of these names resolves' : 'that name does not resolve'} back to ${p.address}, ${NOT_CONFIRMED_WHY}. ${advice(p)}`;
    case 'not-helo':
      return `${sends}; its reverse DNS (${ptrList(p)}, in ${zoneFile}) is forward-confirmed, but the server greets receivers with HELO ${heloText(p)}. Receivers that compare the HELO name with the reverse name may score the mail down. ${advice(p)}`;
    case 'several':
      return `${sends}; the address has ${p.ptrs.length} PTR records in ${zoneFile} (${ptrList(p)}). Receivers look at one of them, in the order the DNS server hands them out, which changes; some then see a name other than the HELO name ${p.helo}. ${advice(p)}`;
  }
}

function zoneMessage(p: ReverseDnsProblem, ptr: PtrName | undefined): string {
  const sendsFrom = (address: string) => `the Postfix server ${p.host} (myhostname in ${uriBasename(p.postfixAt.uri)}) sends mail directly from ${address}${p.from === 'host' ? '' : ` (${p.from})`}`;
  const server = sendsFrom(p.address);
  switch (p.kind) {
    case 'no-ptr':
      return `No PTR record for ${p.address} (${reverseText(p)}) in this zone: ${sendsFrom('this address')}. ${NO_PTR_WHY}. ${advice(p)}`;
    case 'not-confirmed': {
      const others = p.ptrs.length > 1 ? ` (nor does any other PTR name of the address: ${ptrList(p)})` : '';
      return `${ptr!.name} does not resolve back to ${p.address}${others}, and ${server}: ${NOT_CONFIRMED_WHY}. ${advice(p)}`;
    }
    case 'not-helo':
      return `The reverse DNS of ${p.address} is ${ptrList(p)} (forward-confirmed), and ${server}, greeting receivers with HELO ${heloText(p)}. Receivers that compare the HELO name with the reverse name may score the mail down. ${advice(p)}`;
    case 'several':
      return `${p.address} has ${p.ptrs.length} PTR records (${ptrList(p)}), and ${server}. Receivers look at one of them, in the order the DNS server hands them out, which changes; some then see a name other than the HELO name ${p.helo}. ${advice(p)}`;
  }
}

/** The zone-side places of a problem: the SOA of the zone that lacks the record, or each PTR's target. */
function zonePlaces(p: ReverseDnsProblem): Array<{ at: Located; ptr?: PtrName; index: number }> {
  if (p.kind === 'no-ptr') return p.zoneAt ? [{ at: p.zoneAt, index: -1 }] : [];
  const shown = p.kind === 'not-helo' ? p.ptrs.filter((x) => x.confirmed) : p.ptrs;
  return shown.map((ptr) => ({ at: { uri: ptr.rr.file.doc.uri, range: ptr.rr.record.tokenRangeAt(ptr.rr.record.rdataStart) }, ptr, index: p.ptrs.indexOf(ptr) }));
}

/** Where the Postfix side of a problem sits: the HELO name's setting for a HELO mismatch, else the address's. */
function postfixPlace(p: ReverseDnsProblem): Located {
  return p.kind === 'not-helo' && p.heloAt ? p.heloAt : p.postfixAt;
}

function postfixSideFinding(p: ReverseDnsProblem): Finding {
  const places = zonePlaces(p);
  const related: RelatedLocation[] = places.map((x) => ({ uri: x.at.uri, range: x.at.range, message: x.ptr ? `the PTR record of ${p.address}: ${x.ptr.name}` : `the reverse zone ${p.zoneApex}: no PTR record for ${p.address}` }));
  // The fixes edit the zone file; with several PTR records to choose from, the zone side offers them.
  const fixes = p.kind === 'no-ptr' || p.ptrs.length === 1 ? p.fixes.map((f) => f.fix) : [];
  return {
    range: postfixPlace(p).range,
    severity: SEVERITY[p.kind],
    code: CODE[p.kind],
    message: postfixMessage(p, uriBasename(places[0]?.at.uri ?? '')),
    related,
    fixes: fixes.length ? fixes : undefined,
  };
}

function zoneSideFindings(p: ReverseDnsProblem, uri: string): Finding[] {
  const related: RelatedLocation[] = [{ uri: p.postfixAt.uri, range: p.postfixAt.range, message: p.from === 'host' ? `myhostname: the server sends as ${p.host}` : `${p.from}: mail leaves from ${p.address}` }];
  if (p.heloAt) related.push({ uri: p.heloAt.uri, range: p.heloAt.range, message: `the HELO name ${p.helo}` });
  return zonePlaces(p).filter((x) => x.at.uri === uri).map((x) => {
    const fixes = p.fixes.filter((f) => f.ptr === x.index).map((f) => ({ ...f.fix, edits: f.fix.edits.map((e) => (e.uri === uri ? { range: e.range, newText: e.newText } : e)) }));
    return { range: x.at.range, severity: SEVERITY[p.kind], code: CODE[p.kind], message: zoneMessage(p, x.ptr), related, fixes: fixes.length ? fixes : undefined };
  });
}

/** Checker for main.cf and master.cf: the finding on myhostname (or the pinned address, or the HELO name). */
export function checkSendingHostReverseDnsFromPostfix(ctx: AnalysisContext): Finding[] {
  if (ctx.doc.kind === 'postfix-main' && !isMainCfDocument(ctx.doc)) return [];
  return sendingHostReverseDnsProblems(ctx.workspace, ctx.settings).filter((p) => postfixPlace(p).uri === ctx.doc.uri).map(postfixSideFinding);
}

/** Checker for zone files: the finding on the reverse zone's SOA (no PTR) or on the PTR records. */
export function checkSendingHostReverseDnsFromZone(ctx: AnalysisContext): Finding[] {
  const out: Finding[] = [];
  for (const p of sendingHostReverseDnsProblems(ctx.workspace, ctx.settings)) out.push(...zoneSideFindings(p, ctx.doc.uri));
  return out;
}
