// Re-parses only the entries around an edit. Entries depend on the text before them only
// through their inherited context ($ORIGIN, $TTL, previous owner), which every entry
// stores. So after an edit we re-parse from the entry containing the first changed line
// and stop at the first entry, past the changed lines, that starts where an old entry
// started and inherits the same context as that old entry did; the old entries from there
// on are reused, their lines and offsets shifted.
//
// The previous tree is consumed: reused entries are moved in place (their tokens are
// stored relative to the entry, and entries relative to their run of a few hundred, so
// only the runs after the edit move), so do not use the previous tree after calling
// reparseIncremental.

import type { Finding, Fix, Range } from '../types';
import type { ZoneEntry, ZoneSource, ZoneTree, ZoneTreeEdit } from './tree';
import { EntryRun, nextGeneration } from './tree';
import { parseZoneTree, ZoneParser } from './parser';
import type { ParserContext } from './parser';

import type { ChangedLines } from '../language';

/**
 * The tree of `newText`, equal to parseZoneTree(newText), re-using what it can of
 * `previous`. `changed` must cover every line of the new text that differs: lines before
 * `startLine` are unchanged, and the text after line `endLine` is the unchanged end of the
 * old text. An LSP change with range R and new text T gives startLine = R.start.line and
 * endLine = R.start.line + (number of line breaks in T); apply several changes one by one
 * or pass the union of their lines.
 */
export function reparseIncremental(previous: ZoneTree, newText: string, changed: ChangedLines): ZoneTree {
  const old = previous.entries;
  if (previous.unbalancedToEnd || changed.startLine < 0 || changed.endLine < changed.startLine || old.length === 0) {
    return parseZoneTree(newText);
  }
  const charDelta = newText.length - previous.source.text.length;
  // Every entry reaches its text through this one holder: pointing it at the new text moves
  // all reused entries at once.
  const source: ZoneSource = previous.source;
  source.text = newText;

  // Resume at the last old entry starting at or before the first changed line (at the
  // very start when that is the first entry, so a BOM finding is given again).
  const k = lastEntryStartingAtOrBefore(old, changed.startLine);
  const fromIndex = k < 0 ? 0 : k;
  let parser: ZoneParser;
  if (fromIndex === 0) {
    parser = new ZoneParser(newText, undefined, source);
  } else {
    parser = new ZoneParser(newText, contextBefore(old, fromIndex), source);
    parser.resume(old[fromIndex].startOffset, old[fromIndex].firstLine);
  }

  const fresh: ZoneEntry[] = [];
  let j = -1; // first reused old entry
  let lineDelta = 0;
  const lx = parser.lexer;
  while (parser.atEntry()) {
    if (lx.line > changed.endLine && !lx.unbalancedToEnd) {
      const candidate = entryStartingAt(old, lx.lineStart - charDelta, fromIndex);
      if (candidate >= 0 && sameContext(parser.ctx, old, candidate)) {
        j = candidate;
        lineDelta = lx.line - old[candidate].firstLine;
        break;
      }
    }
    fresh.push(parser.parseEntry());
  }
  copyStringsOutOfText(fresh);

  let entries: ZoneEntry[];
  let lineCount: number;
  let removed: ZoneEntry[];
  const keptBefore = fromIndex > 0 ? old[fromIndex - 1].lastLine : -1;
  let shiftedFrom = Infinity;
  if (j < 0) {
    entries = old.slice(0, fromIndex);
    for (const e of fresh) entries.push(e);
    removed = old.slice(fromIndex);
    for (const e of removed) e.run.count--;
    lineCount = lx.line + (lx.lineStart < newText.length ? 1 : 0);
  } else {
    shiftedFrom = old[j].firstLine;
    for (let i = fromIndex; i < j; i++) old[i].run.count--;
    if (lineDelta !== 0) moveFindings(previous, old, j, shiftedFrom, lineDelta);
    moveRuns(old, j, lineDelta, charDelta);
    entries = old;
    removed = replaceRange(entries, fromIndex, j - fromIndex, fresh);
    lineCount = previous.lineCount + lineDelta;
  }
  const edit: ZoneTreeEdit | undefined = previous.generation === undefined ? undefined : {
    previous: previous.generation, from: fromIndex, added: fresh.length, removed, keptBefore, shiftedFrom, lineDelta: j < 0 ? 0 : lineDelta,
  };
  const withFindings = entriesWithFindings(previous, keptBefore, fresh, removed, j >= 0);
  return { entries, withFindings, generation: nextGeneration(), edit, source, lineCount, unbalancedToEnd: lx.unbalancedToEnd };
}

/**
 * V8 makes a slice of 13 characters or more a view into the string it was cut from. The new
 * entries' owner and origin texts and their findings' texts are such slices of this
 * version's text (or strings built on them), and the entries stay in the tree for the edits
 * to come: each place edited kept one whole version of the document alive (34 MB in a
 * 1M-record zone; the server ran out of heap after about a hundred). They get copies of
 * their own. Entries from the first full parse keep views of the text they were parsed
 * from: one text, whatever the number of edits.
 */
function copyStringsOutOfText(entries: ZoneEntry[]): void {
  const copies = new Map<string, string>();
  const copy = (s: string): string => {
    if (s.length < 13) return s; // V8 copies shorter slices anyway
    let c = copies.get(s);
    if (c === undefined) {
      c = ownCopy(s);
      copies.set(s, c);
    }
    return c;
  };
  for (const e of entries) {
    // The fields are readonly for the tree's users; the entry is new and not shared yet.
    const w = e as { origin: string; ownerText?: string; ownerOrigin?: string };
    w.origin = copy(e.origin);
    if (e.kind === 'record') {
      w.ownerText = copy(e.ownerText);
      w.ownerOrigin = copy(e.ownerOrigin);
    }
    if (e.findings) e.findings = e.findings.map(findingOutOfText);
  }
}

/** A flat copy of `s` that refers to no other string (prepending a character makes V8 copy it). */
function ownCopy(s: string): string {
  return (' ' + s).slice(1);
}

/** The finding with its texts copied (see copyStringsOutOfText). */
function findingOutOfText(f: Finding): Finding {
  return {
    ...f,
    message: ownCopy(f.message),
    ...(f.related ? { related: f.related.map((r) => ({ ...r, message: ownCopy(r.message) })) } : {}),
    ...(f.fixes ? { fixes: f.fixes.map((fix) => ({ ...fix, title: ownCopy(fix.title), edits: fix.edits.map((e) => ({ ...e, newText: ownCopy(e.newText) })) })) } : {}),
  };
}

/**
 * The entries with syntax findings after an edit, from those before it: the untouched ones
 * before the edit, the new ones, then (when old entries follow) the old ones after the
 * replaced ones. No walk over all entries.
 */
function entriesWithFindings(previous: ZoneTree, keptBefore: number, fresh: ZoneEntry[], removed: ZoneEntry[], keepsTail: boolean): ZoneEntry[] {
  const old = previous.withFindings ?? previous.entries.filter((e) => e.findings);
  const out: ZoneEntry[] = [];
  let i = 0;
  // Untouched entries keep their lines; those after the edit start below keptBefore.
  while (i < old.length && old[i].firstLine <= keptBefore) out.push(old[i++]);
  for (const e of fresh) if (e.findings) out.push(e);
  if (!keepsTail) return out;
  const gone = new Set<ZoneEntry>();
  for (const e of removed) if (e.findings) gone.add(e);
  while (i < old.length && gone.has(old[i])) i++;
  for (; i < old.length; i++) out.push(old[i]);
  return out;
}

/**
 * entries.splice(from, count, ...items), returning the removed entries, without passing
 * `items` as arguments (an edit that re-parses 100k entries would overflow the stack).
 */
function replaceRange(entries: ZoneEntry[], from: number, count: number, items: ZoneEntry[]): ZoneEntry[] {
  if (items.length <= 10_000) return entries.splice(from, count, ...items);
  const removed = entries.slice(from, from + count);
  const tail = entries.slice(from + count);
  entries.length = from;
  for (const e of items) entries.push(e);
  for (const e of tail) entries.push(e);
  return removed;
}

function lastEntryStartingAtOrBefore(entries: ZoneEntry[], line: number): number {
  let lo = 0;
  let hi = entries.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid].firstLine <= line) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

function entryStartingAt(entries: ZoneEntry[], offset: number, from: number): number {
  let lo = from;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const o = entries[mid].startOffset;
    if (o === offset) return mid;
    if (o < offset) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

/** The owner a record after entries[0..index) would inherit: that of the nearest record before. */
function inheritedOwnerBefore(entries: ZoneEntry[], index: number): { owner: string | undefined; origin: string } {
  for (let i = index - 1; i >= 0; i--) {
    const e = entries[i];
    if (e.kind !== 'record') continue;
    // An inherited owner carries the text of the owner it inherited ('' when there was none).
    if (e.ownerText === '') break;
    return { owner: e.ownerText, origin: e.ownerOrigin };
  }
  return { owner: undefined, origin: '' };
}

/** The parser context in effect at the start of entries[index]. */
function contextBefore(entries: ZoneEntry[], index: number): ParserContext {
  const e = entries[index];
  const owner = inheritedOwnerBefore(entries, index);
  return { origin: e.origin, defaultTtl: e.defaultTtl, lastOwner: owner.owner, lastOwnerOrigin: owner.origin };
}

function sameContext(ctx: ParserContext, entries: ZoneEntry[], index: number): boolean {
  const e = entries[index];
  if (ctx.origin !== e.origin || ctx.defaultTtl !== e.defaultTtl) return false;
  // A record with its own owner does not look at the previous owner, and sets it for the
  // entries after it.
  if (e.kind === 'record' && !e.ownerInherited) return true;
  const owner = inheritedOwnerBefore(entries, index);
  if (ctx.lastOwner === undefined || owner.owner === undefined) return ctx.lastOwner === owner.owner;
  return ctx.lastOwner === owner.owner && ctx.lastOwnerOrigin === owner.origin;
}

function shiftRange(r: Range, d: number): Range {
  return { start: { line: r.start.line + d, character: r.start.character }, end: { line: r.end.line + d, character: r.end.character } };
}

function shiftFinding(f: Finding, d: number): Finding {
  const fixes: Fix[] | undefined = f.fixes?.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, range: shiftRange(e.range, d) })) }));
  return { ...f, range: shiftRange(f.range, d), ...(fixes ? { fixes } : {}) };
}

/** The syntax findings of the reused entries (from old index j, at old line shiftedFrom on) move with them. */
function moveFindings(previous: ZoneTree, old: ZoneEntry[], j: number, shiftedFrom: number, lineDelta: number): void {
  const list = previous.withFindings;
  if (!list) {
    for (let i = j; i < old.length; i++) {
      const e = old[i];
      if (e.findings) e.findings = e.findings.map((f) => shiftFinding(f, lineDelta));
    }
    return;
  }
  // The list is in document order; the reused entries are its end (not moved yet: old lines).
  for (let i = list.length - 1; i >= 0 && list[i].firstLine >= shiftedFrom; i--) {
    const e = list[i];
    e.findings = e.findings!.map((f) => shiftFinding(f, lineDelta));
  }
}

/**
 * Moves the reused entries (old index j on) to their place in the new text: their runs
 * move, not each entry (tokens are relative to the entry, entries to their run). A run
 * that also holds entries before j is split first, so that those stay where they are.
 */
function moveRuns(entries: ZoneEntry[], j: number, lineDelta: number, charDelta: number): void {
  // Split even when nothing moves: a run's entries must stay consecutive for later edits.
  const first = entries[j].run;
  if (j > 0 && entries[j - 1].run === first) {
    const tail = new EntryRun();
    tail.line = first.line;
    tail.offset = first.offset;
    for (let k = j; k < entries.length && entries[k].run === first; k++) {
      entries[k].run = tail;
      tail.count++;
      first.count--;
    }
  }
  if (lineDelta === 0 && charDelta === 0) return;
  for (let k = j; k < entries.length;) {
    const run = entries[k].run;
    run.line += lineDelta;
    run.offset += charDelta;
    k += run.count > 0 ? run.count : 1;
  }
}
