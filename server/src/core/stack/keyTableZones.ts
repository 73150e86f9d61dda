// Do the workspace's zone files publish the DKIM keys OpenDKIM signs with? A cross-file check,
// offline, before anything is published: each KeyTable entry's `selector._domainkey.domain`
// that lies in a zone of the workspace is looked up in the zone files (WorkspaceZones, the
// answers named would give), and the key records there are compared with the public half of
// the entry's key, which the front end derives when it reads the key file
// (KeyFileInfo.publicKeyDer) or from key data written in the table (inlineKeyPublicKey).
// The live DNS version of the same comparison is dns/keyTableLive.ts; its KeyTable reading
// (keyTableDnsNames) is shared.
//
// - opendkim/key-not-in-zone: the zone has no DKIM key record at the name (concluded only from
//   a complete zone). Does not depend on the key: OpenDKIM signs, nobody can verify.
// - opendkim/key-mismatch-zone: the zone publishes key records there, none of them the public
//   half of the key (every zone holding the name complete). Both sides: the KeyTable entry
//   and each record, pointing at each other.
// Several records of which one matches: the zone's dkim/several-records says it already.
// Not judged: `%` entries, names the zones cannot answer for (incomplete zone, delegated
// below, CNAME leaving the workspace), an alias whose target has no record, entries no
// SigningTable of their OpenDKIM picks, keys known not to load (their own findings say so),
// and for the comparison keys the front end could not read or relative paths it cannot place.

import type { AnalysisContext } from '../context';
import type { Settings } from '../settings';
import type { Finding, Fix, Range, RelatedLocation } from '../types';
import type { Workspace, WorkspaceDocument } from './workspace';
import { uriBasename } from './postfixInstance';
import { isKeyRecord, keyTableDnsNames, sameBytes, type KeyTableDnsName } from '../dns/keyTableLive';
import { WorkspaceZones } from '../dns/zoneResolver';
import { confsUsing } from '../opendkim/checks/links';
import { opendkimEnvironment, type OpendkimEnvironment } from '../opendkim/checks/environment';
import { inlineKeyType, keySigners } from '../opendkim/checks/keyAlgorithm';
import { dkimPublicKeyOf } from '../records/dkim/index';
import { buildDkimRecords, validateDkimDomain, validateDkimSelector } from '../records/dkim/generate';
import { parseTagList } from '../records/tags/tagList';
import { policyRecordOf } from '../zone/checks/txtChecks';
import type { ZoneData, ZoneRR } from '../zone/checks/zoneData';
import { nameKey } from '../zone/checks/origin';
import { soaSerialBump, txtValueReplacement, zoneRecordInsertion } from './zoneInsertion';

export const KEY_NOT_IN_ZONE = 'opendkim/key-not-in-zone';
export const KEY_MISMATCH_ZONE = 'opendkim/key-mismatch-zone';

/** Zone-side findings per problem: a DKIM name rarely has more than a few records. */
const MAX_RECORDS_SHOWN = 8;

interface Located {
  uri: string;
  range: Range;
}

/** The public half of an entry's key, and how messages name the key. */
interface EntryKey {
  spki: Uint8Array;
  type: 'rsa' | 'ed25519';
  /** The key file's path, or `the key written inline for "NAME"` (never the key itself). */
  label: string;
  path?: string;
}

/** A DKIM key record at the entry's name that is not the entry's key. */
export interface PublishedRecord {
  at: Located;
  /** 'other': another key; 'revoked': empty p=; 'unusable': no key a verifier can use. */
  state: 'other' | 'revoked' | 'unusable';
  /** Replaces p= (and k=) with the entry's public key; SOA serial bumped. */
  fix?: Fix;
}

export interface KeyTableZoneProblem {
  kind: 'not-in-zone' | 'mismatch';
  keyTableUri: string;
  /** The entry's key name (first field) and where the KeyTable finding sits. */
  entryName: string;
  entryAt: Range;
  entryLine: number;
  /** `selector._domainkey.domain`. */
  name: string;
  /** The zone (apex without the dot) and the file that holds, or would hold, the record. */
  zone: string;
  zoneFile: Located;
  /** not-in-zone: the name does not exist, exists without TXT, or has TXT without a DKIM key. */
  absence?: 'nxdomain' | 'nodata' | 'no-key-record';
  key?: EntryKey;
  /** mismatch: the records found. */
  records?: PublishedRecord[];
  /** not-in-zone: adds the record to the zone file (KeyTable side). */
  fix?: Fix;
}

// ------------------------------------------------------------------ the entry's key

/** Keys OpenDKIM is known not to load: their own findings (missing-file, key-not-private-key) say why. */
function keyKnownBroken(env: OpendkimEnvironment, n: KeyTableDnsName): boolean {
  const e = n.entry;
  if (e.keyKind === 'data' && e.key) return inlineKeyType(e.key.text) !== 'rsa';
  if (!n.keyFile?.uri || n.keyPathUnresolvable || !env.keyFileInfo) return false;
  const info = env.keyFileInfo({ path: n.keyFile.path, uri: n.keyFile.uri });
  return !!info && (!info.exists || info.isFile === false || info.isPrivateKey === false);
}

/** The entry's public key, when the front end gave it. */
function entryKey(env: OpendkimEnvironment, n: KeyTableDnsName): EntryKey | undefined {
  const e = n.entry;
  if (e.keyKind === 'data' && e.key) {
    // OpenDKIM loads inline key data only as base64 DER starting "MII": an RSA key.
    if (inlineKeyType(e.key.text) !== 'rsa') return undefined;
    const spki = env.inlineKeyPublicKey?.(e.key.text);
    return spki ? { spki, type: 'rsa', label: `the key written inline for "${e.name.text}"` } : undefined;
  }
  if (!n.keyFile?.uri || n.keyPathUnresolvable) return undefined;
  const info = env.keyFileInfo?.({ path: n.keyFile.path, uri: n.keyFile.uri });
  if (!info?.exists || info.isPrivateKey !== true || !info.publicKeyDer) return undefined;
  if (info.algorithm !== 'rsa' && info.algorithm !== 'ed25519') return undefined;
  return { spki: info.publicKeyDer, type: info.algorithm, label: n.keyFile.path, path: n.keyFile.path };
}

// ------------------------------------------------------------------ the zone side

/**
 * The file a missing record would go in: the zone's root file, as the generators choose
 * (zoneChoicesFor's first), pointed at by its SOA. Taken from the zone at hand, not asked of
 * zoneChoicesFor, which looks at every zone of the workspace: a KeyTable of many domains
 * with as many zone files would pay that per entry on every keystroke.
 */
function zoneFileFor(zone: ZoneData): Located {
  const soa = zone.soas.find((s) => s.key === zone.apexKey) ?? zone.soas[0];
  if (soa && soa.file.doc.uri === zone.root.doc.uri) return { uri: soa.file.doc.uri, range: soa.record.tokenRangeAt(soa.record.typeIndex) };
  return { uri: zone.root.doc.uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

/** The record opendkim-genkey would write for the key, inserted where the generators put records. */
function insertionFix(workspace: Workspace, n: KeyTableDnsName, key: EntryKey, zoneUri: string): Fix | undefined {
  const domain = n.entry.domain!.text.replace(/\.$/, '');
  const selector = n.entry.selector!.text;
  if (validateDkimDomain(domain) || validateDkimSelector(selector)) return undefined;
  try {
    const g = buildDkimRecords({ domain, selector, algorithm: key.type === 'ed25519' ? 'ed25519' : 'rsa2048', publicKeySpki: key.spki, keyPath: key.path ?? '' });
    const open = g.zoneFileText.indexOf('(');
    const close = g.zoneFileText.lastIndexOf(')');
    const rdata = open >= 0 && close > open ? g.zoneFileText.slice(open, close + 1) : '"' + g.txtValue + '"';
    const edits = [zoneRecordInsertion(workspace, zoneUri, n.name + '.', 'TXT', rdata)];
    const bump = soaSerialBump(workspace, zoneUri);
    if (bump) edits.push(bump);
    return { title: `Add the DKIM record of ${key.label} to ${uriBasename(zoneUri)}${bump ? ' (and increase the SOA serial)' : ''}`, edits };
  } catch {
    return undefined;
  }
}

/** The p= data of a key as a record publishes it (RSA: the SPKI; Ed25519: the raw 32 bytes). */
function publishedKeyData(key: EntryKey): string | undefined {
  const g = buildDkimRecords({ domain: 'example.org', selector: 'x', algorithm: key.type === 'ed25519' ? 'ed25519' : 'rsa2048', publicKeySpki: key.spki, keyPath: '' });
  // The generated value ends with p=<base64>.
  const at = g.txtValue.lastIndexOf('p=');
  return at >= 0 ? g.txtValue.slice(at + 2) : undefined;
}

/**
 * The record's value with p= replaced by the entry's key, and k= set to its type where the
 * record says otherwise (or lacks it for Ed25519); the other tags stay. Undefined when the
 * tag list is broken (the zone's own findings come first).
 */
function replacedKeyValue(value: string, key: EntryKey): string | undefined {
  const list = parseTagList(value);
  const p = list.get('p');
  if (list.problems.length > 0 || !p) return undefined;
  const data = publishedKeyData(key);
  if (!data) return undefined;
  const edits = [{ start: p.valueStart, end: p.valueEnd, text: data }];
  const k = list.get('k');
  if (k && k.value.toLowerCase() !== key.type) edits.push({ start: k.valueStart, end: k.valueEnd, text: key.type });
  if (!k && key.type === 'ed25519') edits.push({ start: p.start, end: p.start, text: 'k=ed25519; ' });
  // From the end of the value, so the earlier offsets stay right.
  let out = value;
  for (const e of edits.sort((x, y) => y.start - x.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function replacementFix(workspace: Workspace, rr: ZoneRR, value: string, key: EntryKey): Fix | undefined {
  const next = replacedKeyValue(value, key);
  if (next === undefined) return undefined;
  const edits = [txtValueReplacement(rr, next)];
  const bump = soaSerialBump(workspace, rr.file.doc.uri);
  if (bump) edits.push(bump);
  return { title: `Publish the public half of ${key.label} here instead (mail already signed with the key published now stops verifying)`, edits };
}

// ------------------------------------------------------------------ the check

/**
 * Whether a name lies in a zone of the workspace, by its suffixes (zones.covers compares the
 * name with every zone: a KeyTable of 10,000 domains against 200 zone files took 0.7 s).
 */
function coverageOf(zones: WorkspaceZones): (name: string) => boolean {
  const apexes = new Set(zones.allZones().map((z) => z.apexKey));
  if (apexes.has('.')) return () => true;
  return (name) => {
    for (let k = nameKey(name + '.'); k.length > 1; k = k.slice(k.indexOf('.') + 1)) {
      if (apexes.has(k)) return true;
      if (k.indexOf('.') < 0) return false;
    }
    return false;
  };
}

/** The problems of the entries of one KeyTable. */
function keyTableProblems(workspace: Workspace, settings: Settings, doc: WorkspaceDocument, zones: WorkspaceZones, covered: (name: string) => boolean): KeyTableZoneProblem[] {
  const ctx: AnalysisContext = { doc, workspace, settings };
  const env = opendkimEnvironment(workspace);
  const users = confsUsing(workspace, doc).filter((u) => u.link.placed.key === 'keytable').map((u) => u.conf);
  const signers = users.length ? keySigners(workspace, users) : undefined;
  const out: KeyTableZoneProblem[] = [];
  for (const n of keyTableDnsNames(ctx)) {
    if (!covered(n.name)) continue;
    // An entry no SigningTable picks never signs: nothing fails for want of its record.
    if (signers && signers(n.entry.name.text).length === 0) continue;
    if (keyKnownBroken(env, n)) continue;
    const problem = entryProblem(workspace, zones, doc, n, env);
    if (problem) out.push(problem);
  }
  return out;
}

function entryProblem(workspace: Workspace, zones: WorkspaceZones, doc: WorkspaceDocument, n: KeyTableDnsName, env: OpendkimEnvironment): KeyTableZoneProblem | undefined {
  const answer = zones.lookup(n.name, 'TXT');
  if (!answer || answer.status === 'servfail' || answer.status === 'timeout') return undefined;
  const key = nameKey(n.name + '.');
  const base = {
    keyTableUri: doc.uri,
    entryName: n.entry.name.text,
    entryLine: n.entry.line,
    name: n.name,
  };
  if (answer.status === 'nxdomain' || answer.status === 'nodata') {
    // An alias: the record belongs at its target, and no record may sit beside a CNAME.
    const alias = zones.lookup(n.name, 'CNAME');
    if (alias?.status === 'ok') return undefined;
    const zone = zones.zonesFor(key).find((z) => z.complete);
    if (!zone) return undefined;
    const zoneFile = zoneFileFor(zone);
    const entryKeyNow = entryKey(env, n);
    return {
      ...base, kind: 'not-in-zone', entryAt: n.range, zone: zone.apex.replace(/\.$/, ''), zoneFile, absence: answer.status, key: entryKeyNow,
      fix: entryKeyNow ? insertionFix(workspace, n, entryKeyNow, zoneFile.uri) : undefined,
    };
  }
  const records = answer.records;
  // A record may be in a part of a zone the workspace does not see: compare only whole zones.
  const holding = zones.zonesFor(records[0].key);
  if (holding.length === 0 || !holding.every((z) => z.complete)) return undefined;
  const zone = holding[0];
  const keyRecords = records.map((rr) => ({ rr, p: policyRecordOf(rr) })).filter((x) => isKeyRecord(x.p.text.value));
  if (keyRecords.length === 0) {
    const first = policyRecordOf(records[0]).text;
    return {
      ...base, kind: 'not-in-zone', entryAt: n.range, zone: zone.apex.replace(/\.$/, ''), absence: 'no-key-record',
      zoneFile: { uri: records[0].file.doc.uri, range: first.rangeOf(0, first.value.length) },
      key: entryKey(env, n),
    };
  }
  const mine = entryKey(env, n);
  if (!mine) return undefined;
  if (keyRecords.some((x) => { const k = dkimPublicKeyOf(x.p.text.value); return k !== undefined && sameBytes(k.spkiDer, mine.spki); })) return undefined;
  const published: PublishedRecord[] = keyRecords.slice(0, MAX_RECORDS_SHOWN).map(({ rr, p }) => {
    const value = p.text.value;
    const list = parseTagList(value);
    const tag = list.get('p');
    const usable = dkimPublicKeyOf(value) !== undefined;
    const state: PublishedRecord['state'] = usable ? 'other' : tag && tag.value === '' ? 'revoked' : 'unusable';
    const range = tag ? p.text.rangeOf(tag.start, Math.max(tag.valueEnd, tag.equals + 1)) : p.text.rangeOf(0, value.length);
    return { at: { uri: rr.file.doc.uri, range }, state, fix: replacementFix(workspace, rr, value, mine) };
  });
  return {
    ...base, kind: 'mismatch', entryAt: n.entry.key?.range ?? n.range, zone: zone.apex.replace(/\.$/, ''),
    zoneFile: published[0].at, key: mine, records: published,
  };
}

const KINDS_READ = new Set(['opendkim-conf', 'opendkim-keytable', 'opendkim-signingtable', 'dns-zone']);

/** The last result per workspace, valid while every file it read is the same analysis and the environment the same. */
const memo = new WeakMap<Workspace, { settings: Settings; env: OpendkimEnvironment; inputs: unknown[]; problems: KeyTableZoneProblem[] }>();

/**
 * Every KeyTable ↔ zone problem of the workspace, made once per state of the files it reads
 * (opendkim.conf, the tables, the zones) and of the front end's environment: the checkers of
 * the KeyTable and of every zone file share it. Costs nothing without a KeyTable or a zone.
 */
export function keyTableZoneProblems(workspace: Workspace, settings: Settings): KeyTableZoneProblem[] {
  const tables = workspace.ofKind('opendkim-keytable');
  if (tables.length === 0 || workspace.ofKind('dns-zone').length === 0) return [];
  const env = opendkimEnvironment(workspace);
  const inputs = workspace.all().filter((d) => KINDS_READ.has(d.kind)).map((d) => d.analysis);
  const last = memo.get(workspace);
  if (last && last.settings === settings && last.env === env && last.inputs.length === inputs.length && last.inputs.every((x, i) => x === inputs[i])) return last.problems;
  const zones = new WorkspaceZones(workspace);
  const covered = coverageOf(zones);
  const problems: KeyTableZoneProblem[] = [];
  for (const doc of tables) {
    try {
      problems.push(...keyTableProblems(workspace, settings, doc, zones, covered));
    } catch {
      // A checker never throws; a bug here must not take the other findings with it.
    }
  }
  memo.set(workspace, { settings, env, inputs, problems });
  return problems;
}

// ------------------------------------------------------------------ findings

function shown(p: KeyTableZoneProblem): string {
  return '`' + p.name + '`';
}

const CONSEQUENCE_LIVE = 'once that zone is what DNS serves';

function notInZoneFinding(p: KeyTableZoneProblem): Finding {
  const file = uriBasename(p.zoneFile.uri);
  const what = p.absence === 'no-key-record'
    ? `has TXT records at ${shown(p)}, but none holds a DKIM key (no v=DKIM1 or p=)`
    : `publishes no DKIM key at ${shown(p)} (${p.absence === 'nxdomain' ? 'the name does not exist there' : 'the name has no TXT record there'})`;
  const advice = p.absence === 'no-key-record'
    ? 'Replace the TXT record there with the key record of this entry (the .txt file opendkim-genkey wrote beside the key)'
    : 'Add the TXT record of this key to the zone file (the .txt file opendkim-genkey wrote beside the key)';
  return {
    range: p.entryAt,
    severity: 'warning',
    code: KEY_NOT_IN_ZONE,
    message: `The zone file ${file} in this workspace (zone ${p.zone}) ${what}. OpenDKIM signs with this entry, and ${CONSEQUENCE_LIVE}, receivers find no key to check the signatures against: DKIM fails for every message signed with it, and DMARC with it unless SPF aligns. ${advice}, increase the SOA serial and reload the zone.`,
    related: [{ uri: p.zoneFile.uri, range: p.zoneFile.range, message: `zone ${p.zone}: no DKIM key at ${p.name}` }],
    fixes: p.fix ? [p.fix] : undefined,
  };
}

function whatIsPublished(p: KeyTableZoneProblem): string {
  const records = p.records ?? [];
  const label = p.key!.label;
  if (records.every((r) => r.state === 'revoked')) return `revokes the key at ${shown(p)} (empty p=), while this entry still signs with ${label}`;
  if (records.every((r) => r.state !== 'other')) {
    return `publishes ${records.length > 1 ? 'DKIM key records' : 'a DKIM key record'} at ${shown(p)} without a key a verifier can use (see the findings in the zone file), while this entry signs with ${label}`;
  }
  return records.length > 1
    ? `publishes ${records.length} DKIM key records at ${shown(p)}, none of them the public half of ${label}, the key this entry signs with`
    : `publishes a DKIM key at ${shown(p)} that is not the public half of ${label}, the key this entry signs with`;
}

function keyTableSideMismatch(p: KeyTableZoneProblem): Finding {
  const file = uriBasename(p.zoneFile.uri);
  const derive = p.key!.path ? ` (or derive it: openssl pkey -in ${p.key!.path} -pubout)` : '';
  return {
    range: p.entryAt,
    severity: 'error',
    code: KEY_MISMATCH_ZONE,
    message: `The zone file ${file} in this workspace (zone ${p.zone}) ${whatIsPublished(p)}. Receivers check OpenDKIM's signatures against the published key, so ${CONSEQUENCE_LIVE}, every signature made with this entry fails. Publish the public half of this key in the zone${derive}, or point the entry at the private key the zone publishes; replacing a published key makes mail already signed with the old one fail verification.`,
    related: (p.records ?? []).map((r) => ({ uri: r.at.uri, range: r.at.range, message: r.state === 'revoked' ? 'the revoked key (empty p=)' : 'the key published here' })),
  };
}

function zoneSideMismatch(p: KeyTableZoneProblem, r: PublishedRecord): Finding {
  const related: RelatedLocation[] = [{ uri: p.keyTableUri, range: p.entryAt, message: `KeyTable entry ${p.entryName}: signs with ${p.key!.label}` }];
  const what = r.state === 'revoked'
    ? `This record revokes the key of ${shown(p)} (empty p=), but OpenDKIM still signs with it`
    : r.state === 'unusable'
      ? `This record at ${shown(p)} holds no key a verifier can use, but OpenDKIM signs with this selector`
      : `This DKIM key is not the public half of the key OpenDKIM signs with for ${shown(p)}`;
  return {
    range: r.at.range,
    severity: 'error',
    code: KEY_MISMATCH_ZONE,
    message: `${what}: KeyTable entry ${p.entryName} (${uriBasename(p.keyTableUri)} line ${p.entryLine + 1}) names ${p.key!.label}. Once this zone is live, every signature made with that key fails verification. Publish the public half of that key here, or point the KeyTable entry at the private key that matches this record.`,
    related,
    fixes: r.fix ? [{ ...r.fix, edits: r.fix.edits.map((e) => (e.uri === r.at.uri ? { range: e.range, newText: e.newText } : e)) }] : undefined,
  };
}

/** Checker for KeyTables: the findings on the entries. */
export function checkKeyTableZonesFromKeyTable(ctx: AnalysisContext): Finding[] {
  const out: Finding[] = [];
  for (const p of keyTableZoneProblems(ctx.workspace, ctx.settings)) {
    if (p.keyTableUri !== ctx.doc.uri) continue;
    out.push(p.kind === 'not-in-zone' ? notInZoneFinding(p) : keyTableSideMismatch(p));
  }
  return out;
}

/** Checker for zone files: the findings on the key records that do not match. */
export function checkKeyTableZonesFromZone(ctx: AnalysisContext): Finding[] {
  const out: Finding[] = [];
  for (const p of keyTableZoneProblems(ctx.workspace, ctx.settings)) {
    if (p.kind !== 'mismatch') continue;
    for (const r of p.records ?? []) if (r.at.uri === ctx.doc.uri) out.push(zoneSideMismatch(p, r));
  }
  return out;
}
