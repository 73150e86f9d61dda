// One-click DKIM setup, the pure half: what to suggest in the prompts (domains, selector,
// key directory, algorithm) from what the workspace knows, and the plan that puts a new key
// to use — the TXT record in the right zone file at the right owner, the KeyTable and
// SigningTable lines, the opendkim.conf lines that load the tables, files to create when
// there are none — as plain edits, plus what the admin still has to do by hand. The front
// ends generate the key (node/dkimKeys.ts), show the choices and apply the edits.
// OpenDKIM signs with one SignatureAlgorithm per instance (opendkim/checks/keyAlgorithm.ts):
// a key of the other type is written with its record, but kept out of that instance's tables.

import type { TextEdit } from '../types';
import type { WorkspaceEdit } from '../features/types';
import type { Workspace, WorkspaceDocument } from './workspace';
import type { KeyTableEntry, SigningTableEntry } from '../opendkim/tree';
import {
  algorithmNotes, DEFAULT_DKIM_ALGORITHM, DKIM_GENERATE_ALGORITHMS, keyTypeOf, validateDkimDomain, validateDkimSelector,
  type DkimGenerateAlgorithm, type DkimGenerated,
} from '../records/dkim/generate';
import { inlineKeyType, keySigners, signingAlgorithmOf, type SigningAlgorithm, type SigningKeyType } from '../opendkim/checks/keyAlgorithm';
import { opendkimEnvironment } from '../opendkim/checks/environment';
import { keyRef } from '../opendkim/checks/keyFiles';
import { configRootOf, confOptions, confTree, effectiveConf, isUnder, keyTableTree, opendkimTables, resolveServerPath, signingTableTree, type FileLink } from '../opendkim/checks/links';
import { uriBasename, uriDirname } from './postfixInstance';
import { isMainCfDocument, postfixModel } from '../postfix/instance';
import { DEFAULT_SETTINGS } from '../settings';
import { splitList } from '../postfix/expand';
import { WorkspaceZones } from '../dns/zoneResolver';
import type { ZoneTree } from '../zone/tree';
import { absoluteIn, nameKey, withoutDot } from '../zone/checks/origin';
import { zoneDataOf } from '../zone/checks/zoneData';
import { insertionEdit, soaSerialBump, zoneChoicesFor, zoneRecordInsertion, type ZoneChoice } from './zoneInsertion';

export { zoneRecordInsertion, zoneChoicesFor, zoneTxtReplacement, txtRdataText, soaSerialBump, ownerRelativeTo, type ZoneChoice } from './zoneInsertion';

// ---------------------------------------------------------------- suggestions

export interface DkimAlgorithmChoice {
  algorithm: DkimGenerateAlgorithm;
  /** What a picker shows. */
  label: string;
  /** Advice to show with the choice (weak key; Ed25519 needs an OpenDKIM of its own, and an RSA key too). */
  notes: string[];
  isDefault: boolean;
}

export interface DkimSuggestions {
  /** Domains to sign for, best first (no duplicates). */
  domains: string[];
  /** A fresh selector: the year and month (`202611`), or the day when that is taken. */
  selector: string;
  /** Key directories (server paths) for the first domain, best first. */
  keyDirectories: string[];
  algorithms: DkimAlgorithmChoice[];
}

const ALGORITHM_LABELS: Record<DkimGenerateAlgorithm, string> = {
  rsa2048: 'RSA 2048 (recommended)',
  rsa1024: 'RSA 1024 (weak; only for DNS hosts that cannot publish long records)',
  rsa3072: 'RSA 3072',
  rsa4096: 'RSA 4096 (record over 512 bytes; some DNS web forms refuse it)',
  ed25519: 'Ed25519 (RFC 8463; only for an OpenDKIM of its own with SignatureAlgorithm ed25519-sha256, beside an RSA key)',
};

/** What to offer when the admin asks for a new DKIM key. `now` picks the selector. */
export function dkimSuggestions(workspace: Workspace, now: Date = new Date()): DkimSuggestions {
  const domains = suggestedDomains(workspace);
  const conf = chooseConf(workspace);
  const signing = conf ? signingAlgorithmOf(workspace, conf) : undefined;
  return {
    domains,
    selector: suggestedSelector(workspace, domains, now),
    keyDirectories: keyDirectoriesFor(workspace, domains[0]),
    algorithms: DKIM_GENERATE_ALGORITHMS.map((algorithm) => {
      const notes = algorithmNotes(algorithm);
      // The workspace's OpenDKIM signs with the other key type: say so before the choice is made.
      if (conf && signing && signing.keyType !== keyTypeOf(algorithm)) {
        notes.unshift(`${uriBasename(conf.uri)} signs with ${signing.name}${signing.setAt ? '' : ' (the default)'}: a key of this type is written with its DNS record, but not added to that OpenDKIM's KeyTable and SigningTable.`);
      }
      return { algorithm, label: ALGORITHM_LABELS[algorithm], notes, isDefault: algorithm === DEFAULT_DKIM_ALGORITHM };
    }),
  };
}

/** A domain as mailconf compares them: lower case, no final dot; undefined when not a usable DKIM domain. */
function cleanDomain(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const d = withoutDot(name.trim()).toLowerCase();
  if (d === '' || validateDkimDomain(d) !== undefined) return undefined;
  if (d.endsWith('.arpa') || d === 'localhost' || d.endsWith('.localhost') || d === 'localdomain' || d.endsWith('.localdomain')) return undefined;
  return d;
}

/**
 * Domains from main.cf (mydomain in effect, else myhostname's parent; virtual domains),
 * the SigningTable patterns, the KeyTable entries and the zones (apex, `$ORIGIN`s). A
 * domain named by several of these comes first; ties keep that order of sources.
 */
function suggestedDomains(workspace: Workspace): string[] {
  const seen = new Map<string, { sources: Set<string>; order: number }>();
  let order = 0;
  const add = (source: string, name: string | undefined) => {
    const d = cleanDomain(name);
    if (!d) return;
    const known = seen.get(d);
    if (known) known.sources.add(source);
    else seen.set(d, { sources: new Set([source]), order: order++ });
  };
  for (const doc of workspace.ofKind('postfix-main')) {
    if (!isMainCfDocument(doc)) continue;
    const model = postfixModel({ doc, workspace, settings: DEFAULT_SETTINGS });
    const value = (name: string) => {
      const raw = model.valueInEffect(name);
      return raw === undefined ? undefined : model.expandExact(raw);
    };
    const mydomain = value('mydomain');
    if (mydomain) add('postfix', mydomain);
    else {
      // Postfix's default mydomain: myhostname without its first label.
      const host = value('myhostname');
      if (host && host.split('.').length > 2) add('postfix', host.slice(host.indexOf('.') + 1));
    }
    // Domains main.cf itself names (the defaults are host names or maps, not mail domains).
    for (const name of ['myorigin', 'virtual_alias_domains', 'virtual_mailbox_domains']) {
      if (!model.effectiveDefinition(name)) continue;
      const v = value(name);
      if (!v) continue;
      for (const word of splitList(v)) if (!word.includes(':') && !word.includes('/') && !word.startsWith('$')) add('postfix', word);
    }
  }
  for (const doc of workspace.ofKind('opendkim-signingtable')) {
    for (const e of signingTableTree(doc)?.entries ?? []) add('signingtable', patternDomain(e));
  }
  for (const doc of workspace.ofKind('opendkim-keytable')) {
    for (const e of keyTableTree(doc)?.entries ?? []) if (e.domain && e.domain.text !== '%') add('keytable', e.domain.text);
  }
  const zones = new WorkspaceZones(workspace);
  for (const z of zones.allZones()) add('zone', z.apex);
  for (const doc of workspace.ofKind('dns-zone')) {
    const tree = doc.analysis.parse.tree as ZoneTree;
    for (const e of tree.entries) {
      if (e.kind !== 'directive' || e.directive !== 'ORIGIN' || e.tokenCount < 2) continue;
      const name = absoluteIn(e.tokenText(1), e.origin, '');
      if (!name.split('.').some((l) => l.startsWith('_'))) add('zone', name);
    }
  }
  return [...seen.entries()]
    .sort((a, b) => b[1].sources.size - a[1].sources.size || a[1].order - b[1].order)
    .map(([d]) => d);
}

/** The domain a SigningTable pattern signs for (`*@example.org`, `example.org`, `.example.org` …). */
export function patternDomain(e: SigningTableEntry): string | undefined {
  if (e.patternKind === 'any' || e.patternKind === 'user-any-domain' || e.patternKind === 'template') return undefined;
  let p = e.pattern.text;
  const at = p.lastIndexOf('@');
  if (at >= 0) p = p.slice(at + 1);
  p = p.replace(/^\*?\./, '');
  return p.includes('*') ? undefined : p;
}

function yearMonth(now: Date): string {
  return `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** `YYYYMM`; when a suggested domain already uses it, `YYYYMMDD`, then `YYYYMMDD-2` … */
function suggestedSelector(workspace: Workspace, domains: string[], now: Date): string {
  const month = yearMonth(now);
  const day = month + String(now.getUTCDate()).padStart(2, '0');
  const taken = (s: string) => domains.some((d) => dkimSelectorConflict(workspace, d, s) !== undefined);
  if (!taken(month)) return month;
  if (!taken(day)) return day;
  for (let n = 2; n < 100; n++) if (!taken(`${day}-${n}`)) return `${day}-${n}`;
  return day;
}

function dirnameOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash > 0 ? path.slice(0, slash) : '/';
}

/**
 * Key directories for a domain (server paths), best first: where the KeyTable's and
 * KeyFile's keys are. When keys sit in one folder per domain (`…/keys/example.org/`), the
 * same layout for this domain comes first. Without any: `/etc/opendkim/keys/<domain>`.
 */
export function keyDirectoriesFor(workspace: Workspace, domain?: string): string[] {
  const dirs: string[] = [];
  const perDomain: string[] = [];
  const add = (list: string[], dir: string) => { if (!list.includes(dir)) list.push(dir); };
  for (const doc of workspace.ofKind('opendkim-keytable')) {
    for (const e of keyTableTree(doc)?.entries ?? []) {
      if (e.keyKind !== 'path' || !e.key || !e.key.text.startsWith('/')) continue;
      const dir = dirnameOf(e.key.text);
      add(dirs, dir);
      const keyDomain = e.domain?.text.toLowerCase();
      if (domain && keyDomain && uriBasename(dir).toLowerCase() === keyDomain) add(perDomain, `${dirnameOf(dir)}/${domain}`);
    }
  }
  for (const conf of workspace.ofKind('opendkim-conf')) {
    const keyFile = effectiveConf(workspace, conf).get('keyfile')?.option.value?.text;
    if (keyFile && keyFile.startsWith('/')) add(dirs, dirnameOf(keyFile));
  }
  const out: string[] = [];
  for (const d of [...perDomain, ...dirs]) add(out, d);
  if (out.length === 0) out.push(domain ? `/etc/opendkim/keys/${domain}` : '/etc/opendkim/keys');
  return out;
}

// ---------------------------------------------------------------- conflicts

/** A table line with its blanks normalised, for "the same line is already there". */
function normalizedLine(text: string): string {
  return text.trim().split(/[ \t]+/).join(' ');
}

function lineText(doc: WorkspaceDocument, line: number): string {
  const text = doc.analysis.text;
  let start = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return '';
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}

function entryLine(doc: WorkspaceDocument, e: KeyTableEntry): string {
  const text = lineText(doc, e.line);
  const hash = text.indexOf('#');
  return hash >= 0 ? text.slice(0, hash) : text;
}

/**
 * Why `selector` cannot be used for `domain`: a KeyTable entry already has that key name
 * or that domain and selector (with another key), or the workspace's zones already publish
 * a record at `<selector>._domainkey.<domain>`. With `keyTableLine`, an identical KeyTable
 * line is no conflict (it is simply kept). undefined when the selector is free.
 */
export function dkimSelectorConflict(workspace: Workspace, domain: string, selector: string, keyTableLine?: string): string | undefined {
  const d = withoutDot(domain).toLowerCase();
  const s = selector.toLowerCase();
  const recordName = `${s}._domainkey.${d}`;
  for (const doc of workspace.ofKind('opendkim-keytable')) {
    for (const e of keyTableTree(doc)?.entries ?? []) {
      const sameName = e.name.text.toLowerCase() === recordName;
      const sameKey = e.domain?.text.toLowerCase() === d && e.selector?.text.toLowerCase() === s;
      if (!sameName && !sameKey) continue;
      if (keyTableLine !== undefined && normalizedLine(entryLine(doc, e)) === normalizedLine(keyTableLine)) continue;
      return `the selector "${selector}" is already in use for ${d}: ${uriBasename(doc.uri)} line ${e.line + 1} has "${normalizedLine(entryLine(doc, e))}". ` +
        'A second key under the same selector would replace the published one and break the signatures of mail already sent. Choose another selector (such as the current date).';
    }
  }
  const zones = new WorkspaceZones(workspace);
  const published = zones.lookup(recordName + '.', 'TXT');
  const key = nameKey(recordName + '.');
  for (const z of zones.zonesFor(key)) {
    const group = z.byName.get(key);
    if (!group || group.length === 0) continue;
    const rr = group[0];
    return `${recordName} already has ${published?.status === 'ok' ? 'a TXT record' : 'records'} in ${uriBasename(rr.file.doc.uri)} (line ${rr.record.firstLine + 1}): ` +
      'a new key under this selector would replace the published one and break the signatures of mail already sent. Choose another selector (such as the current date).';
  }
  return undefined;
}

// ---------------------------------------------------------------- the plan

export interface DkimSetupInput {
  domain: string;
  selector: string;
  /** The private key's path on the mail server, as the KeyTable names it. */
  keyPath: string;
  generated: DkimGenerated;
  /** The zone file to insert the record into; default the first of `zoneChoices`. */
  zoneUri?: string;
  /** False: insert no TXT record (the admin publishes it elsewhere). Default true. */
  insertRecord?: boolean;
  /** False: leave the KeyTable, SigningTable and opendkim.conf alone. Default true. */
  updateTables?: boolean;
}

export interface DkimSetupPlan {
  /** Edits to documents of the workspace (zone file, SOA serial, tables, opendkim.conf). */
  edits: WorkspaceEdit;
  /** Files to create (tables opendkim.conf does not name yet). Create only when absent: never overwrite. */
  createFiles: Array<{ uri: string; text: string }>;
  /** Zone files that could take the TXT record, best first. */
  zoneChoices: ZoneChoice[];
  /** The zone file the plan inserts the record into; undefined when it inserts none. */
  zoneUri?: string;
  /** What the admin still has to do by hand, in order. */
  notes: string[];
  /** Set when the setup must not go ahead (selector in use, invalid input): then edits and createFiles are empty. */
  refusal?: string;
  /**
   * Set when the KeyTable and SigningTable were left alone because the OpenDKIM instance
   * signs with an algorithm for the other key type (an Ed25519 key for rsa-sha256, the
   * default): its lines would make OpenDKIM fail, or sign unverifiably, every message the
   * key should sign. The record is still planned; the reason is also the first note.
   */
  tablesRefusal?: string;
}

type Edit = TextEdit & { uri: string };

/** The plan that puts a generated DKIM key to use in this workspace. */
export function planDkimSetup(workspace: Workspace, input: DkimSetupInput): DkimSetupPlan {
  const domain = withoutDot(input.domain).toLowerCase();
  const g = input.generated;
  const recordName = `${input.selector}._domainkey.${domain}`;
  const zoneChoices = zoneChoicesFor(workspace, recordName);
  const invalid = validateDkimDomain(input.domain) ?? validateDkimSelector(input.selector);
  const keyTableLine = `${recordName} ${domain}:${input.selector}:${input.keyPath}`;
  const refusal = invalid ?? dkimSelectorConflict(workspace, domain, input.selector, keyTableLine);
  if (refusal) return { edits: { edits: [] }, createFiles: [], zoneChoices, notes: [], refusal };

  const edits: Edit[] = [];
  const createFiles: Array<{ uri: string; text: string }> = [];
  const notes: string[] = [];
  const zoneUri = input.insertRecord === false ? undefined : input.zoneUri ?? zoneChoices[0]?.uri;
  let inserted: string | undefined;

  // ---- the TXT record
  if (zoneUri !== undefined && zoneChoices.some((c) => c.uri === zoneUri)) {
    edits.push(zoneRecordInsertion(workspace, zoneUri, recordName + '.', 'TXT', dkimRdata(g)));
    const bump = soaSerialBump(workspace, zoneUri);
    if (bump) edits.push(bump);
    inserted = zoneUri;
    const apex = zoneApex(workspace, zoneUri);
    notes.push(`Reload the zone${apex ? ' ' + apex : ''} once the file is saved (rndc reload${apex ? ' ' + apex : ''})${bump ? '; the SOA serial was increased by one so secondaries fetch the change' : ' and increase its SOA serial'}.`);
  } else {
    if (zoneUri !== undefined) {
      notes.push(`${uriBasename(zoneUri)} is not a zone file of ${domain} in the workspace (no zone there holds ${recordName}), so the record was not inserted.`);
    }
    notes.push(`Publish a TXT record named ${recordName} at the DNS host of ${domain}. In a web form the name is usually "${input.selector}._domainkey" and the value, in one line without quotes:\n${g.webFormValue}`);
  }

  // ---- OpenDKIM tables and opendkim.conf
  const conf = chooseConf(workspace);
  const tablesRefusal = algorithmRefusal(workspace, conf, g.keyType, keyTableLine, g.signingTableLine, input.updateTables !== false);
  if (tablesRefusal) notes.unshift(tablesRefusal);
  else if (input.updateTables !== false) planTables(workspace, domain, input, keyTableLine, recordName, edits, createFiles, notes);
  else notes.push(`Add to the KeyTable: ${keyTableLine}`, `Add to the SigningTable (refile:): ${g.signingTableLine}`);
  if (!tablesRefusal && conf) {
    const others = keysOfOtherType(workspace, conf, g.keyType);
    if (others.length) notes.push(`The KeyTable of ${uriBasename(conf.uri)} also has ${others.length === 1 ? 'a key' : 'keys'} of the other type (${others.slice(0, 5).join(', ')}${others.length > 5 ? ' …' : ''}): that OpenDKIM signs with one algorithm only, so ${others.length === 1 ? 'it' : 'they'} cannot sign there (opendkim/key-algorithm-mismatch). Move ${others.length === 1 ? 'it' : 'them'} to an OpenDKIM instance of ${others.length === 1 ? 'its' : 'their'} own.`);
  }

  // ---- what only the admin can do
  notes.push(`Make the private key readable by OpenDKIM only: chown opendkim:opendkim ${input.keyPath} && chmod 600 ${input.keyPath} (its directory 0700); OpenDKIM refuses keys others can read.`);
  notes.push(`Before OpenDKIM signs with the new key, check that the record is visible: opendkim-testkey -d ${domain} -s ${input.selector} -vvv should say "key OK". Then restart OpenDKIM (systemctl restart opendkim); mail signed before the record is visible fails DKIM.`);
  const milter = postfixMilterNote(workspace);
  if (milter) notes.push(milter);
  // The refusal of an Ed25519 key already gives the Ed25519 advice.
  if (!(tablesRefusal && g.keyType === 'ed25519')) notes.push(...g.notes);
  const plan: DkimSetupPlan = { edits: { edits }, createFiles, zoneChoices, zoneUri: inserted, notes };
  if (tablesRefusal) plan.tablesRefusal = tablesRefusal;
  return plan;
}

const KEY_NAMES: Record<SigningKeyType, string> = { rsa: 'RSA', ed25519: 'Ed25519' };

/**
 * Why the new key's table lines must not go into the OpenDKIM of `conf`: it signs with an
 * algorithm for the other key type. Without an opendkim.conf in the workspace OpenDKIM's
 * default (rsa-sha256) is assumed; an unknown SignatureAlgorithm (OpenDKIM does not start)
 * is not judged. `asked`: the admin asked for the lines to be added.
 */
function algorithmRefusal(
  workspace: Workspace, conf: WorkspaceDocument | undefined, keyType: SigningKeyType, keyTableLine: string, signingLine: string, asked: boolean,
): string | undefined {
  const signing: SigningAlgorithm | undefined = conf
    ? signingAlgorithmOf(workspace, conf)
    : { name: 'rsa-sha256', keyType: 'rsa', confUri: '' };
  if (!signing || signing.keyType === keyType) return undefined;
  const lead = asked ? 'The KeyTable and SigningTable were left alone' : 'Do not add this key to the KeyTable of this OpenDKIM';
  const where = !conf
    ? 'the workspace has no opendkim.conf, and OpenDKIM signs with rsa-sha256 unless SignatureAlgorithm says otherwise'
    : signing.setAt
      ? `${uriBasename(conf.uri)} sets SignatureAlgorithm ${signing.name} (line ${signing.setAt.range.start.line + 1})`
      : `${uriBasename(conf.uri)} sets no SignatureAlgorithm, so OpenDKIM signs with rsa-sha256`;
  const lines = `KeyTable: ${keyTableLine}; SigningTable (refile:): ${signingLine}`;
  if (keyType === 'ed25519') {
    return `${lead}: ${where}. OpenDKIM signs every message with that one algorithm, whatever the key: with this Ed25519 key it would fail every message the key should sign ("EVP_PKEY_get1_RSA() failed"; by default the mail is deferred with "451 4.7.0 resource unavailable"). The key and its DNS record are ready. To sign with it, run a second OpenDKIM instance with SignatureAlgorithm ed25519-sha256, Canonicalization relaxed/simple (its Ed25519 signatures fail verification with simple header canonicalization), only Ed25519 keys, its own KeyTable and SigningTable (${lines}) and its own Socket, and add that socket to smtpd_milters and non_smtpd_milters beside the first one's. Keep an RSA key in this instance: many receivers verify only RSA signatures.`;
  }
  return `${lead}: ${where}. OpenDKIM signs every message with that one algorithm, whatever the key: it would sign with this ${KEY_NAMES[keyType]} key without complaint but label the signatures a=${signing.name}, which no receiver can verify. The key and its DNS record are ready. Add it to the tables of an OpenDKIM instance that signs with rsa-sha256 (the default): ${lines}.`;
}

/**
 * The KeyTable entries (and KeyFile) of `conf` whose key is known to be of another type
 * than `keyType`: key files the front end describes (KeyFileInfo), RSA keys written inline.
 */
function keysOfOtherType(workspace: Workspace, conf: WorkspaceDocument, keyType: SigningKeyType): string[] {
  const info = opendkimEnvironment(workspace).keyFileInfo;
  const root = configRootOf(workspace, conf);
  const typeOfPath = (path: string, baseDir: string) => (info ? info(keyRef(root, path, baseDir))?.algorithm : undefined);
  const out: string[] = [];
  const links = opendkimTables(workspace, conf);
  const table = keyTableTree(links.keyTable?.doc);
  if (table && links.keyTable?.doc) {
    // Keys its SigningTable never picks may belong to another instance sharing the table.
    const signers = keySigners(workspace, [conf]);
    for (const e of table.entries) {
      if (!e.key || signers(e.name.text).length === 0) continue;
      const type = e.keyKind === 'path' ? typeOfPath(e.key.text, uriDirname(links.keyTable.doc.uri)) : inlineKeyType(e.key.text);
      if ((type === 'rsa' || type === 'ed25519') && type !== keyType) out.push(e.name.text);
    }
  } else if (!links.keyTable && links.keyFile) {
    const type = typeOfPath(links.keyFile.path.text, uriDirname(conf.uri));
    if ((type === 'rsa' || type === 'ed25519') && type !== keyType) out.push(links.keyFile.path.text);
  }
  return out;
}

/** The record's rdata in opendkim-genkey's layout: the parenthesised strings of `<selector>.txt`. */
function dkimRdata(g: DkimGenerated): string {
  const open = g.zoneFileText.indexOf('(');
  const close = g.zoneFileText.lastIndexOf(')');
  if (open >= 0 && close > open) return g.zoneFileText.slice(open, close + 1);
  return '"' + g.txtValue + '"';
}

function zoneApex(workspace: Workspace, uri: string): string | undefined {
  const doc = workspace.get(uri);
  if (!doc) return undefined;
  const apex = zoneDataOf(doc, workspace).apex;
  return apex ? withoutDot(apex) : undefined;
}

function eolOf(text: string): string {
  const lf = text.indexOf('\n');
  return lf > 0 && text.charCodeAt(lf - 1) === 13 ? '\r\n' : '\n';
}

/** The opendkim.conf to extend: a real opendkim.conf first, one that loads tables before one that does not. */
function chooseConf(workspace: Workspace): WorkspaceDocument | undefined {
  const confs = workspace.ofKind('opendkim-conf').filter((d) => confTree(d));
  const named = confs.filter((d) => /^opendkim\.conf$/i.test(uriBasename(d.uri)));
  const pool = named.length ? named : confs;
  return pool.find((d) => { const t = opendkimTables(workspace, d); return t.keyTable || t.signingTable; }) ?? pool[0];
}

/** The server path of a workspace document, given the folder that plays /etc. */
function serverPathOf(root: string, uri: string): string {
  if (isUnder(uri, root)) {
    const rest = uri.slice(root.replace(/\/$/, '').length);
    try { return '/etc' + decodeURIComponent(rest); } catch { return '/etc' + rest; }
  }
  const path = uri.replace(/^file:\/\//, '');
  try { return decodeURIComponent(path); } catch { return path; }
}

interface TablePlace {
  /** Server path. */
  path: string;
  uri: string;
  doc?: WorkspaceDocument;
}

/**
 * Where new tables go: beside a table the configuration or the workspace already has, else
 * in /etc/opendkim (where most setups keep them). Names follow what is there
 * (`KeyTable`/`SigningTable` or `key.table`/`signing.table`, the Debian wiki's).
 */
function newTablePlace(workspace: Workspace, conf: WorkspaceDocument | undefined, which: 'key' | 'signing', root: string, other?: FileLink): TablePlace {
  const kind = which === 'key' ? 'opendkim-keytable' : 'opendkim-signingtable';
  // A table of that kind already in the workspace under the root, but not named by the conf: use it.
  const existing = workspace.ofKind(kind).find((d) => conf === undefined || isUnder(d.uri, root));
  if (existing) return { path: serverPathOf(root, existing.uri), uri: existing.uri, doc: existing };
  let dir = '/etc/opendkim';
  let camel = false;
  if (other) {
    dir = dirnameOf(other.path.text);
    camel = /^(KeyTable|SigningTable)$/.test(uriBasename(other.resolved.uri));
  } else if (conf && uriBasename(uriDirname(conf.uri)).toLowerCase() === 'opendkim') {
    dir = serverPathOf(root, uriDirname(conf.uri));
  }
  const name = which === 'key' ? (camel ? 'KeyTable' : 'key.table') : (camel ? 'SigningTable' : 'signing.table');
  const path = `${dir}/${name}`;
  const resolved = resolveServerPath(root, path, root);
  return { path, uri: resolved?.uri ?? 'file://' + path };
}

/**
 * Matches an address against a refile: pattern as OpenDKIM does (`*` any text, the rest
 * literal, case ignored). The classic wildcard walk: linear backtracking to the last `*`.
 */
function refileMatches(pattern: string, address: string): boolean {
  const p = pattern.toLowerCase();
  const a = address.toLowerCase();
  let i = 0, j = 0, star = -1, mark = 0;
  while (j < a.length) {
    if (i < p.length && p[i] !== '*' && p[i] === a[j]) { i++; j++; }
    else if (i < p.length && p[i] === '*') { star = i++; mark = j; }
    else if (star >= 0) { i = star + 1; j = ++mark; }
    else return false;
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}

const FILE_LIKE = new Set(['file', 'refile']);

function planTables(
  workspace: Workspace, domain: string, input: DkimSetupInput, keyTableLine: string, recordName: string,
  edits: Edit[], createFiles: Array<{ uri: string; text: string }>, notes: string[],
): void {
  const conf = chooseConf(workspace);
  const root = conf ? configRootOf(workspace, conf) : '';
  const links = conf ? opendkimTables(workspace, conf) : {};
  const effective = conf ? effectiveConf(workspace, conf) : undefined;
  const confLines: string[] = [];
  const keyLines = [keyTableLine];
  let carried: { keyLine: string; signingDomain: string; keyName: string } | undefined;

  // A single-key setup (Domain, Selector, KeyFile) stops working once a KeyTable exists:
  // OpenDKIM then ignores those three, so the old key moves into the new tables.
  if (conf && effective && !links.keyTable) {
    const kf = effective.get('keyfile')?.option.value?.text;
    const sel = effective.get('selector')?.option.value?.text;
    const dom = effective.get('domain')?.option.value?.text;
    if (kf && sel && dom && /^[A-Za-z0-9.-]+$/.test(dom) && /^[A-Za-z0-9._-]+$/.test(sel)) {
      const name = `${sel}._domainkey.${dom.toLowerCase()}`;
      if (name !== recordName) {
        carried = { keyLine: `${name} ${dom.toLowerCase()}:${sel}:${kf}`, signingDomain: dom.toLowerCase(), keyName: name };
        keyLines.unshift(carried.keyLine);
      }
    }
  }

  // ---- KeyTable
  const keyLink = links.keyTable;
  // A KeyTable in a database, LDAP or inline (dsn:, ldap:, csl:) has no file link.
  const keyOption = effective?.get('keytable');
  if (keyOption && (!keyLink || !FILE_LIKE.has(keyLink.datasetType ?? ''))) {
    notes.push(`The KeyTable is ${keyOption.option.value?.text ?? 'not a file'}: add this entry there yourself (key name ${recordName}, domain ${domain}, selector ${input.selector}, key ${input.keyPath}):\n${keyTableLine}`);
  } else if (keyLink?.doc) {
    appendTableLine(keyLink.doc, keyTableLine, edits);
  } else if (keyLink) {
    createFiles.push({ uri: keyLink.resolved.uri, text: tableFileText('key', keyLines) });
    notes.push(`${keyLink.path.text} (the KeyTable opendkim.conf names) is not in the workspace: it is created with the new entry. If it exists on the server, add this line to it instead:\n${keyTableLine}`);
  } else {
    const place = newTablePlace(workspace, conf, 'key', root, links.signingTable);
    if (place.doc) keyLines.forEach((l) => appendTableLine(place.doc!, l, edits));
    else createFiles.push({ uri: place.uri, text: tableFileText('key', keyLines) });
    if (conf) confLines.push(`KeyTable\t\t${place.path}`);
    else notes.push(`No opendkim.conf in the workspace: make sure it loads the KeyTable (KeyTable ${place.path}).`);
  }

  // ---- SigningTable
  const signLink = links.signingTable;
  const refile = signLink ? signLink.datasetType === 'refile' : true;
  const signingLine = refile ? `*@${domain} ${recordName}` : `${domain} ${recordName}`;
  // The new key's line first: with refile: the first match wins. The old single key's
  // line only when it signs another domain (for the same domain the new key replaces it).
  const signingLines = [signingLine];
  if (carried && carried.signingDomain !== domain) {
    signingLines.push(refile ? `*@${carried.signingDomain} ${carried.keyName}` : `${carried.signingDomain} ${carried.keyName}`);
  }
  const signOption = effective?.get('signingtable');
  if (signOption && (!signLink || !FILE_LIKE.has(signLink.datasetType ?? ''))) {
    notes.push(`The SigningTable is ${signOption.option.value?.text ?? 'not a file'}: add an entry that maps mail from ${domain} to the key name ${recordName} there yourself.`);
  } else if (signLink?.doc) {
    addSigningLine(signLink.doc, domain, recordName, signingLine, refile, edits, notes);
  } else if (signLink) {
    createFiles.push({ uri: signLink.resolved.uri, text: tableFileText('signing', signingLines) });
    notes.push(`${signLink.path.text} (the SigningTable opendkim.conf names) is not in the workspace: it is created with the new entry. If it exists on the server, add this line to it instead:\n${signingLine}`);
  } else {
    const place = newTablePlace(workspace, conf, 'signing', root, links.keyTable);
    if (place.doc) {
      // Without a conf line for it we cannot know how it is loaded; refile: is what we add.
      for (const l of signingLines) addSigningLine(place.doc, domain, recordName, l, true, edits, notes);
    } else {
      createFiles.push({ uri: place.uri, text: tableFileText('signing', signingLines) });
    }
    if (conf) confLines.push(`SigningTable\t\trefile:${place.path}`);
    else notes.push(`No opendkim.conf in the workspace: make sure it loads the SigningTable with refile: (SigningTable refile:${place.path}), which the *@domain patterns need.`);
  }

  if (conf && confLines.length) {
    const text = conf.analysis.text;
    const eol = eolOf(text);
    const block = ['# Which key signs which mail (KeyTable: key name → domain:selector:key file; SigningTable: sender pattern → key name)', ...confLines].join(eol);
    edits.push({ uri: conf.uri, ...insertionEdit(text, undefined, block, eol) });
    if (carried) {
      // With a KeyTable, OpenDKIM wants no Domain, KeyFile or Selector (opendkim.conf(5), Mode).
      for (const p of confOptions(workspace, conf)) {
        if (p.doc.uri === conf.uri && (p.key === 'keyfile' || p.key === 'selector' || p.key === 'domain')) {
          edits.push({ uri: conf.uri, range: { start: { line: p.option.line, character: 0 }, end: { line: p.option.line, character: 0 } }, newText: '#' });
        }
      }
      notes.push(`opendkim.conf signed with a single key (Domain, Selector, KeyFile), which OpenDKIM ignores once a KeyTable is set: that key (${carried.keyName}) was carried over into the KeyTable and the three lines are commented out. ${carried.signingDomain === domain
        ? `The new key replaces it for ${domain}: keep the old key's DNS record a few days, until mail signed with it has been delivered, then remove it.`
        : `Its SigningTable line keeps mail from ${carried.signingDomain} signed with it.`}`);
    }
  }
  if (!conf && !workspace.ofKind('opendkim-keytable').length) {
    notes.push(`Add to the KeyTable:\n${keyTableLine}\nand to the SigningTable (loaded with refile:):\n*@${domain} ${recordName}`);
  }
  const mode = effective?.get('mode')?.option.value?.text;
  if (mode !== undefined && !mode.toLowerCase().includes('s')) {
    notes.push(`opendkim.conf has "Mode ${mode}": OpenDKIM only verifies and signs nothing. Set "Mode sv" to sign.`);
  }
}

function tableFileText(which: 'key' | 'signing', lines: string[]): string {
  const head = which === 'key'
    ? '# OpenDKIM KeyTable: key name, then domain:selector:private key file'
    : '# OpenDKIM SigningTable (refile:): sender address pattern, then the KeyTable key name; the first match wins';
  return [head, ...lines].join('\n') + '\n';
}

/** Appends a line to a table unless the same line is already there. */
function appendTableLine(doc: WorkspaceDocument, line: string, edits: Edit[]): void {
  const tree = keyTableTree(doc) ?? signingTableTree(doc);
  const wanted = normalizedLine(line);
  for (const e of tree?.entries ?? []) {
    const text = lineText(doc, e.line);
    const hash = text.indexOf('#');
    if (normalizedLine(hash >= 0 ? text.slice(0, hash) : text) === wanted) return;
  }
  const text = doc.analysis.text;
  edits.push({ uri: doc.uri, ...insertionEdit(text, undefined, line, eolOf(text)) });
}

/**
 * Adds the SigningTable line. With refile: the first matching pattern wins, so the new line
 * goes before the first entry that already matches this domain's mail (otherwise it would
 * never be used); the entry it now shadows is named in a note.
 */
function addSigningLine(doc: WorkspaceDocument, domain: string, recordName: string, line: string, refile: boolean, edits: Edit[], notes: string[]): void {
  const tree = signingTableTree(doc);
  const entries = tree?.entries ?? [];
  const wanted = normalizedLine(line);
  const sample = `postmaster@${domain}`;
  const pattern = line.slice(0, line.indexOf(' ')).toLowerCase();
  let shadow: SigningTableEntry | undefined;
  for (const e of entries) {
    const line = lineText(doc, e.line);
    const hash = line.indexOf('#');
    const text = normalizedLine(hash < 0 ? line : line.slice(0, hash));
    if (text === wanted) return;
    const matches = refile ? refileMatches(e.pattern.text, sample) : e.pattern.text.toLowerCase() === domain;
    if (matches && !shadow) shadow = e;
  }
  const text = doc.analysis.text;
  const eol = eolOf(text);
  const same = entries.find((e) => e.pattern.text.toLowerCase() === pattern && e.keyName);
  if (same && same.keyName && (!shadow || shadow === same)) {
    // Key rotation: the line for this sender pattern now names the new key (a second line
    // with the same pattern would never be used).
    const old = same.keyName.text;
    edits.push({ uri: doc.uri, range: same.keyName.range, newText: recordName });
    notes.push(`In ${uriBasename(doc.uri)} line ${same.line + 1} (${same.pattern.text}) now names the new key instead of ${old}. Keep ${old} in the KeyTable and its DNS record for a few days, until mail signed with it has been delivered, then remove both.`);
    return;
  }
  if (shadow && shadow.keyName?.text.toLowerCase() !== recordName) {
    edits.push({ uri: doc.uri, range: { start: { line: shadow.line, character: 0 }, end: { line: shadow.line, character: 0 } }, newText: line + eol });
    notes.push(`In ${uriBasename(doc.uri)} the new line goes before "${normalizedLine(lineText(doc, shadow.line))}" (line ${shadow.line + 1}), which also matches mail from ${domain}${refile ? ' and would otherwise win, being first' : ''}.`);
    return;
  }
  edits.push({ uri: doc.uri, ...insertionEdit(text, undefined, line, eol) });
}

/** A note when main.cf does not hand mail to a milter: OpenDKIM then never sees it. */
function postfixMilterNote(workspace: Workspace): string | undefined {
  for (const doc of workspace.ofKind('postfix-main')) {
    if (!isMainCfDocument(doc) || uriBasename(doc.uri) !== 'main.cf') continue;
    const model = postfixModel({ doc, workspace, settings: DEFAULT_SETTINGS });
    const milters = (model.valueInEffect('smtpd_milters') ?? '').trim();
    if (milters === '') {
      return 'main.cf sets no smtpd_milters, so Postfix hands no mail to OpenDKIM and nothing gets signed: add the OpenDKIM socket to smtpd_milters and non_smtpd_milters (with milter_default_action = accept).';
    }
  }
  return undefined;
}
