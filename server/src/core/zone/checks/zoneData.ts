// The zone a document belongs to, as the checks see it: the root zone file (the one no
// other workspace zone `$INCLUDE`s), every file it includes, each record with its owner made
// absolute, and an index of the records by owner name. Built once per analysis and cached
// by the root's ParseResult (validated against the included documents' analyses). After an
// incremental re-parse of a single-file zone the index is updated in place: the records of
// the re-parsed entries leave and come (ZoneDelta), the others keep their ZoneRR, so the
// keystroke path never rebuilds the index of a million records.

import type { ParseResult } from '../../language';
import type { Workspace, WorkspaceDocument } from '../../stack/workspace';
import type { ZoneEntry, ZoneRecord, ZoneSource, ZoneTree } from '../tree';
import { absoluteName, isAbsoluteName } from '../names';
import type { IncludeLine } from './includes';
import { includeLines, resolveInclude } from './includes';
import type { OriginSource } from './origin';
import { absoluteIn, effectiveOrigin, isAtOrBelow, nameKey, originFromFileName } from './origin';

export const SOA = 6, NS = 2, A = 1, AAAA = 28, CNAME = 5, MX = 15, TXT = 16, PTR = 12, SRV = 33, SPF = 99, DNAME = 39, CAA = 257, TLSA = 52;

/** One record of the zone with its absolute owner. */
export interface ZoneRR {
  readonly record: ZoneRecord;
  readonly file: ZoneFile;
  /** Absolute owner in presentation form (relative only when no origin is known). */
  readonly owner: string;
  /** `owner` lower-cased: the index key. */
  readonly key: string;
  /** All records of the zone at this owner (the index entry), this one included. */
  readonly group: ZoneRR[];
  /** @internal What the TXT payload holds, once classified (see txtChecks.ts policyKindOf). */
  policy?: unknown;
  /** @internal True once an edit took the record out of the zone (its text is gone: read nothing more from it). */
  removed?: boolean;
  /** @internal Findings kept between analyses of an open document (findingCache.ts). */
  checked?: number;
  found?: unknown;
}

/** One file of the zone (the root or an included one). */
export interface ZoneFile {
  readonly doc: WorkspaceDocument;
  readonly tree: ZoneTree;
  /** The origin for names before any `$ORIGIN` ('' when unknown). */
  readonly base: string;
  readonly baseSource: OriginSource;
  /** The `$INCLUDE` that brought this file in (undefined for the root). */
  readonly includedBy?: { file: ZoneFile; line: IncludeLine };
  /** The file's records (those with an owner and a type), in order. */
  readonly rrs: ZoneRR[];
}

export interface UnresolvedInclude {
  file: ZoneFile;
  line: IncludeLine;
  /** Why: not in the workspace, or including itself again. */
  reason: 'not-found' | 'loop';
}

export interface ZoneData {
  readonly root: ZoneFile;
  readonly files: ZoneFile[];
  /** The zone's apex, absolute ('' when unknown). */
  readonly apex: string;
  readonly apexKey: string;
  readonly apexSource: OriginSource;
  /** Every record of the zone by owner key. */
  readonly byName: Map<string, ZoneRR[]>;
  readonly soas: ZoneRR[];
  readonly unresolved: UnresolvedInclude[];
  /** `$GENERATE` lines make records we do not expand. */
  readonly generates: boolean;
  /**
   * True when the zone is a whole zone that we see completely: an SOA at the apex, every
   * `$INCLUDE` found and no `$GENERATE`. Only then may "no such record" be concluded.
   */
  readonly complete: boolean;
  /** The file of a document of this zone. */
  fileOf(uri: string): ZoneFile | undefined;
  /** Lazily built: the owner keys at which NS records delegate (apex excluded). */
  delegations(): Set<string>;
}

/**
 * What one incremental re-parse did to the zone's index (single-file zones only), for
 * findingCache.ts: the records that left and came, the owner keys whose groups changed,
 * and where the lines moved (as in ZoneTreeEdit).
 */
export interface ZoneDelta {
  readonly removed: ZoneRR[];
  readonly added: ZoneRR[];
  readonly dirtyKeys: Set<string>;
  readonly keptBefore: number;
  readonly shiftedFrom: number;
  readonly lineDelta: number;
  /** Apex, completeness, the first SOA's name or the delegation points changed: every check may differ. */
  readonly globalsChanged: boolean;
}

/** The index of a zone as it evolves over edits (one per root document). */
interface ZoneState {
  data: ZoneData;
  /** uri → parse of every included document, and the resolution of every include line. */
  deps: Array<{ uri: string; parse: ParseResult<unknown> }>;
  resolutions: Array<{ from: string; path: string; target: string | undefined }>;
  /** The generation of the root tree the index reflects (undefined: not updatable). */
  generation: number | undefined;
  /** Built lazily; kept up to date by updates once built. */
  delegationSet: Set<string> | undefined;
  /** Told about every update (the finding cache of an open document). */
  listener: ((delta: ZoneDelta) => void) | undefined;
  /** The owner key of the first SOA (other SOAs are compared against it). */
  firstSoaKey: string;
}

// ---- reads of the index, noted while a check of one record runs ----

let readLog: string[] | undefined;

/** Starts noting every key looked up in any zone's index (`byName.get`/`has`). */
export function startReadLog(): void {
  readLog = [];
}

/** Stops noting and returns the keys looked up since startReadLog. */
export function stopReadLog(): string[] {
  const keys = readLog ?? [];
  readLog = undefined;
  return keys;
}

/** Notes a dependency that is not a plain index lookup (the aliases of a name). */
export function noteRead(key: string): void {
  if (readLog !== undefined) readLog.push(key);
}

/** The owner index. Lookups are noted while a read log runs, so that a cached finding knows the names it depends on. */
class NameIndex extends Map<string, ZoneRR[]> {
  override get(key: string): ZoneRR[] | undefined {
    if (readLog !== undefined) readLog.push(key);
    return super.get(key);
  }

  override has(key: string): boolean {
    if (readLog !== undefined) readLog.push(key);
    return super.has(key);
  }
}

const cache = new WeakMap<ParseResult<unknown>, ZoneState>();
/** The state of the last tree of each chain of incremental re-parses (the source object is shared along the chain). */
const bySource = new WeakMap<ZoneSource, ZoneState>();
const stateOfData = new WeakMap<ZoneData, ZoneState>();

function treeOf(doc: WorkspaceDocument): ZoneTree | undefined {
  if (doc.kind !== 'dns-zone') return undefined;
  return doc.analysis.parse.tree as ZoneTree;
}

/** The zone document that `$INCLUDE`s `doc`, with the line, if the workspace has one. */
export function includerOf(doc: WorkspaceDocument, workspace: Workspace): { doc: WorkspaceDocument; line: IncludeLine } | undefined {
  for (const other of workspace.ofKind('dns-zone')) {
    if (other.uri === doc.uri) continue;
    for (const line of includeLines(other.analysis.parse.tree as ZoneTree)) {
      if (resolveInclude(other.uri, line.path, workspace)?.uri === doc.uri) return { doc: other, line };
    }
  }
  return undefined;
}

/** The root zone document `doc` belongs to (itself unless another zone includes it). */
export function rootOf(doc: WorkspaceDocument, workspace: Workspace): WorkspaceDocument {
  let current = doc;
  const seen = new Set([doc.uri]);
  for (;;) {
    const parent = includerOf(current, workspace);
    if (!parent || seen.has(parent.doc.uri)) return current;
    seen.add(parent.doc.uri);
    current = parent.doc;
  }
}

/** The zone data of the zone that `doc` belongs to. */
export function zoneDataOf(doc: WorkspaceDocument, workspace: Workspace): ZoneData {
  const root = doc.kind === 'dns-zone' && hasIncluders(workspace) ? rootOf(doc, workspace) : doc;
  return zoneDataOfRoot(root, workspace);
}

/** Whether any zone document of the workspace has `$INCLUDE` lines (most have none). */
function hasIncluders(workspace: Workspace): boolean {
  for (const d of workspace.ofKind('dns-zone')) if (includeLines(d.analysis.parse.tree as ZoneTree).length) return true;
  return false;
}

/**
 * The zone data of a root zone document: cached per analysis, and after an incremental
 * re-parse of a single-file zone updated from the previous one instead of rebuilt.
 */
export function zoneDataOfRoot(root: WorkspaceDocument, workspace: Workspace): ZoneData {
  const key = root.analysis.parse;
  const hit = cache.get(key);
  if (hit && stillValid(hit, workspace)) return hit.data;
  const tree = treeOf(root);
  const previous = tree && bySource.get(tree.source);
  if (previous && tree && updateState(previous, root, tree, workspace)) {
    cache.set(key, previous);
    return previous.data;
  }
  const built = buildZoneData(root, workspace);
  cache.set(key, built);
  if (tree) bySource.set(tree.source, built);
  return built.data;
}

/**
 * Registers the listener told about every incremental update of the zone `data` belongs
 * to; returns false when the zone is not updated incrementally (several files).
 */
export function watchZone(data: ZoneData, listener: (delta: ZoneDelta) => void): boolean {
  const state = stateOfData.get(data);
  if (!state || state.generation === undefined || data.files.length !== 1) return false;
  state.listener = listener;
  return true;
}

function stillValid(c: ZoneState, workspace: Workspace): boolean {
  for (const d of c.deps) if (workspace.get(d.uri)?.analysis.parse !== d.parse) return false;
  for (const r of c.resolutions) if (resolveInclude(r.from, r.path, workspace)?.uri !== r.target) return false;
  return true;
}

/** Records that get into the index: those with an owner and a type. */
function isIndexed(e: ZoneEntry): e is ZoneRecord {
  return e.kind === 'record' && e.typeName !== '' && e.ownerText !== '';
}

/** The origin the root file's names start from: its file name, else an absolute SOA owner. */
function rootBaseOf(rootDoc: WorkspaceDocument, rootTree: ZoneTree | undefined): { base: string; source: OriginSource } {
  const fromName = originFromFileName(rootDoc.uri);
  if (fromName) return { base: fromName, source: 'file name' };
  if (rootTree) {
    // No hint in the name: an absolute SOA owner names the zone (named-checkzone's argument).
    for (const e of rootTree.entries) {
      if (e.kind === 'record' && e.typeCode === SOA) {
        const owner = absoluteIn(e.ownerText, e.ownerOrigin, '');
        if (isAbsoluteName(owner)) return { base: owner, source: 'SOA owner' };
        break;
      }
    }
  }
  return { base: '', source: 'none' };
}

interface ZoneGlobals {
  apex: string;
  apexKey: string;
  apexSource: OriginSource;
  complete: boolean;
}

/** The apex: the SOA's owner, else the first origin a record sees. */
function zoneGlobals(root: ZoneFile, soas: ZoneRR[], unresolved: UnresolvedInclude[], generates: boolean): ZoneGlobals {
  let apex = '';
  let apexSource: OriginSource = 'none';
  // Several SOAs (one misplaced): the one at the origin the file starts with is the apex.
  const firstRecord = root.rrs[0]?.record;
  const startKey = firstRecord ? nameKey(effectiveOrigin(firstRecord.origin, root.base)) : '';
  const firstSoa = soas.find((s) => s.key === startKey) ?? soas[0];
  if (firstSoa && isAbsoluteName(firstSoa.owner)) {
    apex = firstSoa.owner;
    const r = firstSoa.record;
    apexSource = isAbsoluteName(r.ownerText) ? 'SOA owner' : r.ownerOrigin !== '' ? '$ORIGIN' : firstSoa.file.baseSource;
  } else {
    const first = root.rrs[0]?.record;
    const origin = first ? effectiveOrigin(first.origin, root.base) : root.base;
    if (isAbsoluteName(origin)) {
      apex = origin;
      apexSource = first && first.origin !== '' ? '$ORIGIN' : root.baseSource;
    }
  }
  const apexKey = nameKey(apex);
  const complete = apex !== '' && soas.some((s) => s.key === apexKey) && unresolved.length === 0 && !generates;
  return { apex, apexKey, apexSource, complete };
}

/** The delegation points: owner keys below the apex with NS records. */
function computeDelegations(byName: Map<string, ZoneRR[]>, apexKey: string): Set<string> {
  const set = new Set<string>();
  for (const [k, group] of byName) if (isDelegation(k, group, apexKey)) set.add(k);
  return set;
}

function isDelegation(k: string, group: ZoneRR[] | undefined, apexKey: string): boolean {
  if (!group || k === apexKey || !isAtOrBelow(k, apexKey)) return false;
  for (const rr of group) if (rr.record.typeCode === NS) return true;
  return false;
}

/** A new ZoneData object over the state's (shared, updated) index. */
function dataShell(state: ZoneState, root: ZoneFile, files: ZoneFile[], byName: Map<string, ZoneRR[]>, soas: ZoneRR[],
  unresolved: UnresolvedInclude[], generates: boolean, g: ZoneGlobals): ZoneData {
  const byUri = files.length === 1 ? undefined : new Map(files.map((f) => [f.doc.uri, f]));
  const data: ZoneData = {
    root, files, apex: g.apex, apexKey: g.apexKey, apexSource: g.apexSource, byName, soas, unresolved, generates, complete: g.complete,
    fileOf: (uri) => (byUri ? byUri.get(uri) : root.doc.uri === uri ? root : undefined),
    delegations: () => (state.delegationSet ??= computeDelegations(byName, g.apexKey)),
  };
  stateOfData.set(data, state);
  return data;
}

function buildZoneData(rootDoc: WorkspaceDocument, workspace: Workspace): ZoneState {
  const files: ZoneFile[] = [];
  const byName: Map<string, ZoneRR[]> = new NameIndex();
  const soas: ZoneRR[] = [];
  const unresolved: UnresolvedInclude[] = [];
  const deps: ZoneState['deps'] = [];
  const resolutions: ZoneState['resolutions'] = [];
  let generates = false;
  /** Groups that got a second record (their arrays grew with room to spare). */
  const grown: ZoneRR[][] = [];

  const rootTree = treeOf(rootDoc);
  const rootBase = rootBaseOf(rootDoc, rootTree);

  const visiting = new Set<string>();
  const include = (file: ZoneFile, line: IncludeLine): void => {
    const target = resolveInclude(file.doc.uri, line.path, workspace);
    resolutions.push({ from: file.doc.uri, path: line.path, target: target?.uri });
    if (!target) { unresolved.push({ file, line, reason: 'not-found' }); return; }
    if (visiting.has(target.uri)) { unresolved.push({ file, line, reason: 'loop' }); return; }
    deps.push({ uri: target.uri, parse: target.analysis.parse });
    const incBase = line.originArg !== undefined
      ? absoluteIn(line.originArg, line.directive.origin, file.base)
      : effectiveOrigin(line.directive.origin, file.base);
    addFile(target, incBase, '$INCLUDE', { file, line });
  };
  const addFile = (doc: WorkspaceDocument, base: string, baseSource: OriginSource, includedBy: ZoneFile['includedBy']): void => {
    const tree = treeOf(doc);
    const file: ZoneFile = { doc, tree: tree ?? { entries: [], source: { text: '' }, lineCount: 0, unbalancedToEnd: false }, base, baseSource, includedBy, rrs: [] };
    files.push(file);
    if (!tree) return;
    visiting.add(doc.uri);
    let lastText: string | undefined;
    let lastOrigin: string | undefined;
    let owner = '';
    let key = '';
    let group: ZoneRR[] = [];
    const rrs = file.rrs;
    const includes = includeLines(tree);
    let nextInclude = 0;
    for (const e of tree.entries) {
      if (e.kind === 'record') {
        if (e.typeName === '' || e.ownerText === '') continue;
        // Records of one owner follow each other: the name and its index entry are reused.
        if (e.ownerText !== lastText || e.ownerOrigin !== lastOrigin) {
          lastText = e.ownerText;
          lastOrigin = e.ownerOrigin;
          owner = ownerOf(e, base);
          key = nameKey(owner);
          const known = Map.prototype.get.call(byName, key) as ZoneRR[] | undefined;
          group = known ?? NO_GROUP;
        }
        let rr: ZoneRR;
        if (group === NO_GROUP) {
          // A new name: its group made with the record, at its exact size.
          rr = newRR(e, file, owner, key, group);
          group = [rr];
          (rr as { group: ZoneRR[] }).group = group;
          byName.set(key, group);
        } else {
          rr = newRR(e, file, owner, key, group);
          group.push(rr);
          if (group.length === 2) grown.push(group);
        }
        rrs.push(rr);
        if (e.typeCode === SOA) soas.push(rr);
      } else if (e.kind === 'directive') {
        if (e.directive === 'GENERATE') generates = true;
        // Included records come in where the $INCLUDE stands, as BIND reads them.
        if (nextInclude < includes.length && includes[nextInclude].directive === e) include(file, includes[nextInclude++]);
      }
    }
    visiting.delete(doc.uri);
  };

  // A document included by none of the workspace's zones may still be a fragment that a
  // zone outside the workspace includes; nothing more is known then.
  addFile(rootDoc, rootBase.base, rootBase.source, undefined);
  compactGroups(byName, grown);
  const root = files[0];
  const state: ZoneState = {
    data: undefined as unknown as ZoneData, deps, resolutions, generation: rootTree?.generation, delegationSet: undefined, listener: undefined,
    firstSoaKey: soas[0]?.key ?? '',
  };
  state.data = dataShell(state, root, files, byName, soas, unresolved, generates, zoneGlobals(root, soas, unresolved, generates));
  return state;
}

const NO_GROUP: ZoneRR[] = [];

/**
 * A record's absolute owner as one flat string. `name + '.' + origin` makes a pair of
 * concatenation nodes that the index's hashing then copies anyway: two objects more per
 * name, a million more for the garbage collector to visit in a big zone.
 */
function ownerOf(e: ZoneRecord, base: string): string {
  const name = e.ownerText;
  const origin = effectiveOrigin(e.ownerOrigin, base);
  if (name === '@' || isAbsoluteName(name) || origin === '') return absoluteName(name, origin);
  return origin === '.' ? [name, ''].join('.') : [name, origin].join('.');
}

/**
 * Arrays that grew by push keep room for 16 more elements: a zone of a million records
 * would carry 100 MB of empty slots. Groups of several records get an exact copy (most
 * names have one record, and an array that never grew is exact already).
 */
function compactGroups(byName: Map<string, ZoneRR[]>, grown: ZoneRR[][]): void {
  for (const group of grown) {
    const exact = group.slice();
    for (const rr of exact) (rr as { group: ZoneRR[] }).group = exact;
    byName.set(exact[0].key, exact);
  }
}

function newRR(record: ZoneRecord, file: ZoneFile, owner: string, key: string, group: ZoneRR[]): ZoneRR {
  return { record, file, owner, key, group, policy: undefined, removed: false, checked: 0, found: undefined };
}

/** Index of the first element of `list` whose record starts after `line` (records in document order). */
function firstAfterLine(list: ZoneRR[], line: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].record.firstLine <= line) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function touchesIncludes(entries: ZoneEntry[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const e = entries[i];
    if (e.kind === 'directive' && (e.directive === 'INCLUDE' || e.directive === 'GENERATE')) return true;
  }
  return false;
}

/**
 * Brings a single-file zone's index from the previous tree to `tree` (one incremental
 * re-parse later): the records of the re-parsed entries leave and come, everything else
 * stays. False when that is not possible (the caller builds the index anew).
 */
function updateState(state: ZoneState, rootDoc: WorkspaceDocument, tree: ZoneTree, workspace: Workspace): boolean {
  const data = state.data;
  const edit = tree.edit;
  const file = data.root as MutableZoneFile;
  if (!edit || state.generation === undefined || edit.previous !== state.generation) return false;
  if (data.files.length !== 1 || file.doc.uri !== rootDoc.uri || !stillValid(state, workspace)) return false;
  if (touchesIncludes(edit.removed, 0, edit.removed.length) || touchesIncludes(tree.entries, edit.from, edit.from + edit.added)) return false;
  const base = rootBaseOf(rootDoc, tree);
  if (base.base !== file.base || base.source !== file.baseSource) return false;

  // The removed records sit together in the file's list, right after the untouched ones.
  const rrs = file.rrs;
  const at = firstAfterLine(rrs, edit.keptBefore);
  const removed: ZoneRR[] = [];
  for (const e of edit.removed) {
    if (!isIndexed(e)) continue;
    const rr = rrs[at + removed.length];
    if (!rr || rr.record !== e) return false;
    removed.push(rr);
  }

  file.doc = rootDoc;
  file.tree = tree;
  const byName = data.byName;
  const soas = data.soas as ZoneRR[];
  const dirtyKeys = new Set<string>();
  let nsChanged = false;
  for (const rr of removed) {
    rr.removed = true;
    dirtyKeys.add(rr.key);
    const group = rr.group;
    const i = group.indexOf(rr);
    if (i >= 0) group.splice(i, 1);
    if (group.length === 0 && Map.prototype.get.call(byName, rr.key) === group) byName.delete(rr.key);
    if (rr.record.typeCode === SOA) soas.splice(soas.indexOf(rr), 1);
    if (rr.record.typeCode === NS) nsChanged = true;
  }
  const added: ZoneRR[] = [];
  for (let i = edit.from; i < edit.from + edit.added; i++) {
    const e = tree.entries[i];
    if (!isIndexed(e)) continue;
    const owner = ownerOf(e, file.base);
    const key = nameKey(owner);
    let group = Map.prototype.get.call(byName, key) as ZoneRR[] | undefined;
    if (!group) { group = []; byName.set(key, group); }
    const rr = newRR(e, file, owner, key, group);
    group.splice(firstAfterLine(group, e.firstLine), 0, rr);
    dirtyKeys.add(key);
    if (e.typeCode === SOA) soas.splice(firstAfterLine(soas, e.firstLine), 0, rr);
    if (e.typeCode === NS) nsChanged = true;
    added.push(rr);
  }
  spliceList(rrs, at, removed.length, added);
  state.generation = tree.generation;

  const before = data;
  const g = zoneGlobals(file, soas, before.unresolved, before.generates);
  let globalsChanged = g.apex !== before.apex || g.apexKey !== before.apexKey || g.apexSource !== before.apexSource || g.complete !== before.complete ||
    (soas[0]?.key ?? '') !== state.firstSoaKey;
  state.firstSoaKey = soas[0]?.key ?? '';
  if (g.apexKey !== before.apexKey) state.delegationSet = undefined;
  else if (nsChanged && state.delegationSet) {
    for (const k of dirtyKeys) {
      const is = isDelegation(k, Map.prototype.get.call(byName, k) as ZoneRR[] | undefined, g.apexKey);
      if (is !== state.delegationSet.has(k)) {
        globalsChanged = true;
        if (is) state.delegationSet.add(k); else state.delegationSet.delete(k);
      }
    }
  }
  state.data = dataShell(state, file, before.files, byName, soas, before.unresolved, before.generates, g);
  state.listener?.({ removed, added, dirtyKeys, keptBefore: edit.keptBefore, shiftedFrom: edit.shiftedFrom, lineDelta: edit.lineDelta, globalsChanged });
  return true;
}

interface MutableZoneFile extends ZoneFile {
  doc: WorkspaceDocument;
  tree: ZoneTree;
}

/** list.splice(at, count, ...items) for lists of any length. */
function spliceList<T>(list: T[], at: number, count: number, items: T[]): void {
  if (items.length <= 10_000) { list.splice(at, count, ...items); return; }
  const tail = list.slice(at + count);
  list.length = at;
  for (const x of items) list.push(x);
  for (const x of tail) list.push(x);
}

/** The closest delegation point at or above `key` (below the apex), if any. */
export function delegationAbove(data: ZoneData, key: string): string | undefined {
  const cuts = data.delegations();
  if (cuts.size === 0) return undefined;
  let k = key;
  while (k.length > data.apexKey.length) {
    if (cuts.has(k)) return k;
    const dot = nextLabel(k);
    if (dot < 0) return undefined;
    k = k.slice(dot);
  }
  return undefined;
}

/** Index after the first label's (unescaped) dot; -1 when there is none. */
function nextLabel(name: string): number {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 92) { i++; continue; }
    if (c === 46) return i + 1 < name.length ? i + 1 : -1;
  }
  return -1;
}

/** Records of a type at a name key. */
export function recordsAt(data: ZoneData, key: string, type?: number): ZoneRR[] {
  const group = data.byName.get(key);
  if (!group) return [];
  return type === undefined ? group : group.filter((rr) => rr.record.typeCode === type);
}
