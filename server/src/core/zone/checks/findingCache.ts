// The findings of a zone's checks, kept per record between analyses of an open document,
// so that a keystroke in a zone of a million records re-checks only what the edit touched.
// The result is exactly that of a full analysis (test/unit/zone/incrementalChecks.test.ts
// compares them after random edits).
//
// Each record (ZoneRR) keeps its findings in four slots, one per place they take in the
// output: REC (recordChecks.ts), STRUCT (zoneChecks.ts: the record in the zone, and its
// name's group when it is the name's first record), SIZE (txtSize.ts), TXT (txtChecks.ts).
// After an incremental update of the zone data (a ZoneDelta), a slot is computed again when
//   - its record is new (the re-parsed entries get new ZoneRRs);
//   - its record's name is among the changed names (STRUCT, SIZE and TXT read the group);
//   - it looked up a changed name in the index (noted while it ran: MX/NS/SRV targets,
//     SPF lookups, DMARC report authorisations, wildcards), or a name below it changed
//     (an empty non-terminal appears or goes);
//   - its findings point at other records (related locations, fixes) on both sides of the
//     edit, whose distance the edit changed;
//   - a zone-wide fact changed (apex, completeness, the first SOA, delegations): all slots;
//   - another zone of the workspace changed: the TXT slots (SPF lookups cross zones).
// Findings that stay are moved with their record when lines were added or removed above.
// An analysis computes the pending slots, then walks only the records that have findings
// (kept in document order), so its cost follows the edit and the number of findings, not
// the size of the zone. Multi-file zones ($INCLUDE) and documents read from disk (the
// CLI) are checked in full, by the checks' own walks (allFindings).
//
// The dependencies on other names are noted by zoneData.ts's read log while a slot is
// computed (every byName.get/has), so new checks that look names up are covered without
// telling this module; a check that reads the zone another way (iterating byName) must
// either be a zone-wide fact compared in zoneData.ts's update or note its reads.

import type { Finding, Fix, Range, RelatedLocation, TextEdit } from '../../types';
import type { Workspace } from '../../stack/workspace';
import { checkRecord } from './recordChecks';
import { checkApexNs, checkIncludes, checkRecordInZone, checkZoneStructure, isGroupAnchor } from './zoneChecks';
import { checkTxtSizeAt, checkTxtSizes, isTxtSizeAnchor } from './txtSize';
import { ALIASES_OF, checkTxtPolicies, checkTxtPolicy, isPolicyCandidate, isTxtSetAnchor, TxtCheckEnv } from './txtChecks';
import { checkMissingDmarc, isDkimKeyRecord } from './mailSetup';
import { isAtOrBelow } from './origin';
import type { ZoneData, ZoneDelta, ZoneFile, ZoneRR } from './zoneData';
import { CNAME, startReadLog, stopReadLog, watchZone } from './zoneData';

/** The zone checks' findings for one document, in the order of the three zone checkers. */
export interface ZoneFindings {
  /** checkZoneRecords: each record's owner and data. */
  records: Finding[];
  /** checkZoneConsistency: the records against the rest of the zone, then TXT answer sizes. */
  consistency: Finding[];
  /** checkZoneTxt: the mail policies in TXT records, then the zone's mail set-up. */
  txt: Finding[];
}

const REC = 1, STRUCT = 2, SIZE = 4, TXT = 8, ALL = 15;
/** Slots that read the record's name group. */
const GROUP_SLOTS = STRUCT | SIZE | TXT;

/** A record's kept findings (only for records that have some, or that depend on other names). */
interface Found {
  /** The record's first line when the findings were made (or last moved). */
  atLine: number;
  rec: Finding[] | undefined;
  struct: Finding[] | undefined;
  size: Finding[] | undefined;
  txt: Finding[] | undefined;
  /** Names (other than the record's own) the STRUCT and TXT slots looked up. */
  structReads: string[] | undefined;
  txtReads: string[] | undefined;
  /** Slots whose findings point outside the record, and the lines they span (the record's own included). */
  positional: number;
  spanMin: number;
  spanMax: number;
  /** In FindingCache.ordered. */
  listed: boolean;
}

/** The document of `file` is open and edited: its zone's findings are kept between analyses. */
class FindingCache {
  /** Every record must be checked (the first analysis, or a zone-wide fact changed). */
  fresh = true;
  /** The records that have findings, in document order (records an edit removed are dropped lazily). */
  ordered: ZoneRR[] = [];
  /** Records with slots to compute. */
  readonly pending = new Set<ZoneRR>();
  /** Records with findings that point at other records. */
  readonly positional = new Set<ZoneRR>();
  /** Name key → records whose STRUCT or TXT slot looked it up. */
  readonly readers = new Map<string, Set<ZoneRR>>();
  /** Records whose TXT slot asked which CNAMEs point at their name. */
  readonly aliasReaders = new Set<ZoneRR>();
  /** The other zone documents' analyses the TXT slots were computed with. */
  others: unknown[] = [];
  /** The DKIM key records below `_domainkey.<apex>` (for the missing-DMARC check), once looked for. */
  dkimKeys: Set<ZoneRR> | undefined;
  dkimZone = '';

  /** The zone's owner index (the same Map across updates). */
  constructor(readonly file: ZoneFile, readonly index: Map<string, ZoneRR[]>) {}

  readonly onDelta = (delta: ZoneDelta): void => {
    if (delta.globalsChanged || this.fresh) { this.reset(); return; }
    const dkimZone = this.dkimZone;
    for (const rr of delta.removed) {
      this.forget(rr);
      this.dkimKeys?.delete(rr);
    }
    for (const rr of delta.added) {
      this.pending.add(rr);
      if (this.dkimKeys && rr.key !== dkimZone && isAtOrBelow(rr.key, dkimZone) && isDkimKeyRecord(rr)) this.dkimKeys.add(rr);
    }
    // Findings spanning several records: still right only when the edit left their distance alone.
    for (const rr of [...this.positional]) {
      const f = rr.found as Found;
      if (f.spanMax <= delta.keptBefore) continue;
      if (f.spanMin >= delta.shiftedFrom) {
        if (delta.lineDelta !== 0) moveFound(f, delta.lineDelta, this.file.doc.uri);
        continue;
      }
      this.invalidate(rr, f.positional);
    }
    let aliasesChanged = false;
    for (const rr of delta.removed) if (rr.record.typeCode === CNAME) aliasesChanged = true;
    for (const rr of delta.added) if (rr.record.typeCode === CNAME) aliasesChanged = true;
    if (aliasesChanged) for (const rr of [...this.aliasReaders]) this.invalidate(rr, TXT);
    for (const key of delta.dirtyKeys) {
      const group = Map.prototype.get.call(this.index, key) as ZoneRR[] | undefined;
      if (group) for (const rr of group) if (rr.file === this.file) this.invalidate(rr, GROUP_SLOTS);
      // The name itself, and the names above it (whether they are empty non-terminals).
      for (let k: string | undefined = key; k !== undefined; k = parentKey(k)) {
        const readers = this.readers.get(k);
        if (readers) for (const rr of [...readers]) this.invalidate(rr, STRUCT | TXT);
      }
    }
  };

  /** Every record's findings are made again at the next analysis. */
  reset(): void {
    this.fresh = true;
    this.ordered = [];
    this.pending.clear();
    this.positional.clear();
    this.readers.clear();
    this.aliasReaders.clear();
    this.dkimKeys = undefined;
  }

  /** A record left the zone: it is nobody's reader any more. */
  private forget(rr: ZoneRR): void {
    this.pending.delete(rr);
    const f = rr.found as Found | undefined;
    if (!f) return;
    this.unread(rr, f.structReads);
    this.unread(rr, f.txtReads);
    this.aliasReaders.delete(rr);
    this.positional.delete(rr);
  }

  private unread(rr: ZoneRR, keys: string[] | undefined): void {
    if (keys) for (const k of keys) this.readers.get(k)?.delete(rr);
  }

  /** The slots `bits` of a record must be computed again. */
  invalidate(rr: ZoneRR, bits: number): void {
    if (!(rr.checked! & bits)) return;
    rr.checked! &= ~bits;
    this.pending.add(rr);
    const f = rr.found as Found | undefined;
    if (!f) return;
    if (bits & REC) f.rec = undefined;
    if (bits & STRUCT) { f.struct = undefined; this.unread(rr, f.structReads); f.structReads = undefined; }
    if (bits & SIZE) f.size = undefined;
    if (bits & TXT) { f.txt = undefined; this.unread(rr, f.txtReads); f.txtReads = undefined; this.aliasReaders.delete(rr); }
    if (f.positional & bits) {
      f.positional &= ~bits;
      if (!f.positional) this.positional.delete(rr);
    }
  }

  /** Whether the zone publishes a DKIM key (found once, then kept up to date by the deltas). */
  hasDkimKey(data: ZoneData): boolean {
    const dkimZone = '_domainkey.' + data.apexKey;
    if (!this.dkimKeys || this.dkimZone !== dkimZone) {
      this.dkimZone = dkimZone;
      this.dkimKeys = new Set();
      for (const [key, group] of Map.prototype.entries.call(data.byName) as IterableIterator<[string, ZoneRR[]]>) {
        if (key === dkimZone || !isAtOrBelow(key, dkimZone)) continue;
        for (const rr of group) if (isDkimKeyRecord(rr)) this.dkimKeys.add(rr);
      }
    }
    return this.dkimKeys.size > 0;
  }

  /** The analyses of the other zone documents changed: the TXT slots may differ (SPF lookups, DMARC authorisations). */
  checkOthers(workspace: Workspace): void {
    const now = otherZones(workspace, this.file.doc.uri);
    if (now.length === this.others.length && now.every((x, i) => x === this.others[i])) return;
    this.others = now;
    if (this.fresh) return;
    const rrs = this.file.rrs;
    for (let i = 0; i < rrs.length; i++) this.invalidate(rrs[i], TXT);
  }
}

function otherZones(workspace: Workspace, uri: string): unknown[] {
  const out: unknown[] = [];
  for (const d of workspace.ofKind('dns-zone')) if (d.uri !== uri) out.push(d.uri, d.analysis.parse);
  return out;
}

/** `b.example.org.` for `a.b.example.org.`; undefined above the last label. */
function parentKey(key: string): string | undefined {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 92) { i++; continue; }
    if (c === 46) return i + 1 < key.length ? key.slice(i + 1) : undefined;
  }
  return undefined;
}

const caches = new WeakMap<ZoneFile, FindingCache | null>();

/**
 * The zone checks' findings for the document of `file`. With `keep` (an open document in
 * a single-file zone) they are kept per record and only what the last edits touched is
 * checked again; otherwise every record is checked.
 */
export function zoneFindings(data: ZoneData, file: ZoneFile, workspace: Workspace, keep: boolean): ZoneFindings {
  let cache = keep ? caches.get(file) : null;
  if (cache === undefined) {
    cache = new FindingCache(file, data.byName);
    if (!watchZone(data, cache.onDelta)) cache = null;
    caches.set(file, cache);
  }
  return cache ? keptFindings(cache, data, file, workspace) : allFindings(data, file, workspace);
}

/** Every record checked, as the checks themselves walk the file. */
function allFindings(data: ZoneData, file: ZoneFile, workspace: Workspace): ZoneFindings {
  const records: Finding[] = [];
  for (const rr of file.rrs) checkRecord(rr, data, records);
  const consistency: Finding[] = [];
  checkZoneStructure(data, file, consistency);
  checkTxtSizes(file, consistency);
  const txt: Finding[] = [];
  checkTxtPolicies(data, file, new TxtCheckEnv(workspace, data), txt);
  checkMissingDmarc(data, file, txt);
  return { records, consistency, txt };
}

function keptFindings(cache: FindingCache, data: ZoneData, file: ZoneFile, workspace: Workspace): ZoneFindings {
  cache.checkOthers(workspace);
  const env = new TxtCheckEnv(workspace, data);
  const uri = file.doc.uri;
  if (cache.fresh) {
    cache.fresh = false;
    cache.pending.clear();
    const ordered: ZoneRR[] = [];
    const rrs = file.rrs;
    for (let i = 0; i < rrs.length; i++) {
      const rr = rrs[i];
      rr.checked = 0;
      rr.found = undefined;
      const f = computeSlots(cache, rr, data, file, env);
      if (f && hasFindings(f)) { f.listed = true; ordered.push(rr); }
    }
    cache.ordered = ordered;
  } else {
    const newly: ZoneRR[] = [];
    for (const rr of cache.pending) {
      if (rr.removed) continue;
      const f = computeSlots(cache, rr, data, file, env);
      if (f && !f.listed && hasFindings(f)) { f.listed = true; newly.push(rr); }
    }
    cache.pending.clear();
    cache.ordered = mergeOrdered(cache.ordered, newly);
  }
  const records: Finding[] = [];
  const struct: Finding[] = [];
  const sizes: Finding[] = [];
  const txt: Finding[] = [];
  checkIncludes(data, file, struct);
  const ordered = cache.ordered;
  for (let i = 0; i < ordered.length; i++) {
    const rr = ordered[i];
    const f = rr.found as Found;
    const line = rr.record.firstLine;
    if (f.atLine !== line) moveFound(f, line - f.atLine, uri);
    if (f.rec) for (const x of f.rec) records.push(x);
    if (f.struct) for (const x of f.struct) struct.push(x);
    if (f.size) for (const x of f.size) sizes.push(x);
    if (f.txt) for (const x of f.txt) txt.push(x);
  }
  checkApexNs(data, file, struct);
  for (const x of sizes) struct.push(x);
  checkMissingDmarc(data, file, txt, (d) => cache.hasDkimKey(d));
  return { records, consistency: struct, txt };
}

function hasFindings(f: Found): boolean {
  return f.rec !== undefined || f.struct !== undefined || f.size !== undefined || f.txt !== undefined;
}

/**
 * The records with findings in document order: those listed before that still are (not
 * removed, findings left), merged with the newly found ones. Lines are current for every
 * record in the zone (the tree moves its entries), so they give the order.
 */
function mergeOrdered(ordered: ZoneRR[], newly: ZoneRR[]): ZoneRR[] {
  if (newly.length > 1) newly.sort((a, b) => a.record.firstLine - b.record.firstLine);
  const out: ZoneRR[] = [];
  let j = 0;
  for (let i = 0; i < ordered.length; i++) {
    const rr = ordered[i];
    const f = rr.found as Found | undefined;
    if (rr.removed || !f || !hasFindings(f)) {
      if (f) f.listed = false;
      continue;
    }
    const line = rr.record.firstLine;
    while (j < newly.length && newly[j].record.firstLine < line) out.push(newly[j++]);
    out.push(rr);
  }
  while (j < newly.length) out.push(newly[j++]);
  return out;
}

/** Computes the record's missing slots; returns its Found (undefined when it has no findings and reads nothing). */
function computeSlots(cache: FindingCache, rr: ZoneRR, data: ZoneData, file: ZoneFile, env: TxtCheckEnv): Found | undefined {
  const missing = ALL & ~rr.checked!;
  let f = rr.found as Found | undefined;
  // The slots kept follow the record first: new ones are made where it is now.
  if (f && f.atLine !== rr.record.firstLine) moveFound(f, rr.record.firstLine - f.atLine, file.doc.uri);
  const own = rr.key;
  if (missing & REC) {
    const out: Finding[] = [];
    checkRecord(rr, data, out);
    if (out.length) (f ??= newFound(rr)).rec = out;
  }
  if (missing & STRUCT) {
    const out: Finding[] = [];
    startReadLog();
    try {
      checkRecordInZone(rr, data, file, isGroupAnchor(rr, data, file), out);
    } finally {
      const reads = otherKeys(stopReadLog(), own);
      // Other SOAs are compared with the first one, whatever its name's group does.
      if (rr.record.typeCode === 6 && data.soas[0] && data.soas[0].key !== own) reads.push(data.soas[0].key);
      if (reads.length) { f ??= newFound(rr); f.structReads = reads; addReaders(cache, rr, reads); }
    }
    if (out.length) (f ??= newFound(rr)).struct = out;
  }
  if (missing & SIZE) {
    const out: Finding[] = [];
    if (isTxtSizeAnchor(rr, file)) checkTxtSizeAt(rr, file, out);
    if (out.length) (f ??= newFound(rr)).size = out;
  }
  if (missing & TXT) {
    const out: Finding[] = [];
    if (isPolicyCandidate(rr)) {
      startReadLog();
      try {
        checkTxtPolicy(rr, data, file, env, isTxtSetAnchor(rr, file), out);
      } finally {
        let reads = stopReadLog();
        if (reads.some((k) => k.startsWith(ALIASES_OF))) {
          cache.aliasReaders.add(rr);
          reads = reads.filter((k) => !k.startsWith(ALIASES_OF));
        }
        reads = otherKeys(reads, own);
        if (reads.length) { f ??= newFound(rr); f.txtReads = reads; addReaders(cache, rr, reads); }
      }
    }
    if (out.length) (f ??= newFound(rr)).txt = out;
  }
  rr.checked = ALL;
  rr.found = f;
  if (f) notePositions(cache, rr, f, missing, file.doc.uri);
  return f;
}

function newFound(rr: ZoneRR): Found {
  return {
    atLine: rr.record.firstLine, rec: undefined, struct: undefined, size: undefined, txt: undefined,
    structReads: undefined, txtReads: undefined, positional: 0, spanMin: rr.record.firstLine, spanMax: rr.record.lastLine, listed: false,
  };
}

/** The distinct keys of `keys` other than `own`. */
function otherKeys(keys: string[], own: string): string[] {
  if (keys.length === 0) return keys;
  const out: string[] = [];
  for (const k of keys) if (k !== own && !out.includes(k)) out.push(k);
  return out;
}

function addReaders(cache: FindingCache, rr: ZoneRR, keys: string[]): void {
  for (const k of keys) {
    let set = cache.readers.get(k);
    if (!set) { set = new Set(); cache.readers.set(k, set); }
    set.add(rr);
  }
}

/** Marks the slots just computed whose findings reach lines outside the record. */
function notePositions(cache: FindingCache, rr: ZoneRR, f: Found, computed: number, uri: string): void {
  const first = rr.record.firstLine;
  const last = rr.record.lastLine;
  const slots: Array<[number, Finding[] | undefined]> = [[REC, f.rec], [STRUCT, f.struct], [SIZE, f.size], [TXT, f.txt]];
  for (const [bit, list] of slots) {
    if (!(computed & bit) || !list) continue;
    let min = first;
    let max = last;
    const see = (r: Range): void => {
      if (r.start.line < min) min = r.start.line;
      if (r.end.line > max) max = r.end.line;
    };
    for (const x of list) forEachRange(x, uri, see);
    if (min < first || max > last) {
      f.positional |= bit;
      if (min < f.spanMin) f.spanMin = min;
      if (max > f.spanMax) f.spanMax = max;
      cache.positional.add(rr);
    }
  }
}

/** Every range of a finding in document `uri`: its own, its related locations', its fixes' edits'. */
function forEachRange(x: Finding, uri: string, see: (r: Range) => void): void {
  see(x.range);
  if (x.related) for (const r of x.related) if (r.uri === uri) see(r.range);
  if (x.fixes) for (const fix of x.fixes) for (const e of fix.edits) if (e.uri === undefined || e.uri === uri) see(e.range);
}

/** Moves a record's kept findings by `delta` lines (new objects: findings already handed out stay as they were). */
function moveFound(f: Found, delta: number, uri: string): void {
  f.atLine += delta;
  f.spanMin += delta;
  f.spanMax += delta;
  if (f.rec) f.rec = f.rec.map((x) => moveFinding(x, delta, uri));
  if (f.struct) f.struct = f.struct.map((x) => moveFinding(x, delta, uri));
  if (f.size) f.size = f.size.map((x) => moveFinding(x, delta, uri));
  if (f.txt) f.txt = f.txt.map((x) => moveFinding(x, delta, uri));
}

function moveRange(r: Range, d: number): Range {
  return { start: { line: r.start.line + d, character: r.start.character }, end: { line: r.end.line + d, character: r.end.character } };
}

function moveFinding(x: Finding, d: number, uri: string): Finding {
  const moved: Finding = { ...x, range: moveRange(x.range, d) };
  if (x.related) moved.related = x.related.map((r): RelatedLocation => (r.uri === uri ? { ...r, range: moveRange(r.range, d) } : r));
  if (x.fixes) {
    moved.fixes = x.fixes.map((fix): Fix => ({
      ...fix,
      edits: fix.edits.map((e): TextEdit => (e.uri === undefined || e.uri === uri ? { ...e, range: moveRange(e.range, d) } : e)),
    }));
  }
  return moved;
}
