// The zone a document belongs to, as the checks see it: the root zone file (the one no
// other workspace zone `$INCLUDE`s), every file it includes, each record with its owner made
// absolute, and an index of the records by owner name. Built once per analysis and cached
// by the root's ParseResult (validated against the included documents' analyses), so the
// keystroke path pays for the whole-zone index only when a zone file changed.

import type { ParseResult } from '../../language';
import type { Workspace, WorkspaceDocument } from '../../stack/workspace';
import type { ZoneRecord, ZoneTree } from '../tree';
import { isAbsoluteName } from '../names';
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
  /** @internal The TXT payload, once read (see txtChecks.ts policyRecordOf). */
  policy?: unknown;
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

interface Cached {
  data: ZoneData;
  /** uri → parse of every included document, and the resolution of every include line. */
  deps: Array<{ uri: string; parse: ParseResult<unknown> }>;
  resolutions: Array<{ from: string; path: string; target: string | undefined }>;
}

const cache = new WeakMap<ParseResult<unknown>, Cached>();

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

/** The zone data of a root zone document (cached per analysis). */
export function zoneDataOfRoot(root: WorkspaceDocument, workspace: Workspace): ZoneData {
  const key = root.analysis.parse;
  const hit = cache.get(key);
  if (hit && stillValid(hit, workspace)) return hit.data;
  const built = buildZoneData(root, workspace);
  cache.set(key, built);
  return built.data;
}

function stillValid(c: Cached, workspace: Workspace): boolean {
  for (const d of c.deps) if (workspace.get(d.uri)?.analysis.parse !== d.parse) return false;
  for (const r of c.resolutions) if (resolveInclude(r.from, r.path, workspace)?.uri !== r.target) return false;
  return true;
}

function buildZoneData(rootDoc: WorkspaceDocument, workspace: Workspace): Cached {
  const files: ZoneFile[] = [];
  const byName = new Map<string, ZoneRR[]>();
  const soas: ZoneRR[] = [];
  const unresolved: UnresolvedInclude[] = [];
  const deps: Cached['deps'] = [];
  const resolutions: Cached['resolutions'] = [];
  let generates = false;

  const fromName = originFromFileName(rootDoc.uri);
  const rootTree = treeOf(rootDoc);
  let rootBase = fromName ?? '';
  let rootSource: OriginSource = fromName ? 'file name' : 'none';
  if (!fromName && rootTree) {
    // No hint in the name: an absolute SOA owner names the zone (named-checkzone's argument).
    for (const e of rootTree.entries) {
      if (e.kind === 'record' && e.typeCode === SOA) {
        const owner = absoluteIn(e.ownerText, e.ownerOrigin, '');
        if (isAbsoluteName(owner)) { rootBase = owner; rootSource = 'SOA owner'; }
        break;
      }
    }
  }

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
          owner = absoluteIn(e.ownerText, e.ownerOrigin, base);
          key = nameKey(owner);
          const known = byName.get(key);
          if (known) group = known; else { group = []; byName.set(key, group); }
        }
        const rr: ZoneRR = { record: e, file, owner, key, group, policy: undefined };
        rrs.push(rr);
        group.push(rr);
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
  addFile(rootDoc, rootBase, rootSource, undefined);
  const root = files[0];

  // The apex: the SOA's owner, else the first origin a record sees.
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

  let delegationSet: Set<string> | undefined;
  const byUri = new Map(files.map((f) => [f.doc.uri, f]));
  const data: ZoneData = {
    root, files, apex, apexKey, apexSource, byName, soas, unresolved, generates, complete,
    fileOf: (uri) => byUri.get(uri),
    delegations() {
      if (!delegationSet) {
        delegationSet = new Set();
        for (const [k, group] of byName) {
          if (k === apexKey || !isAtOrBelow(k, apexKey)) continue;
          for (const rr of group) if (rr.record.typeCode === NS) { delegationSet.add(k); break; }
        }
      }
      return delegationSet;
    },
  };
  return { data, deps, resolutions };
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
