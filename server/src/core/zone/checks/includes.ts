// `$INCLUDE file [origin]`, followed inside the workspace model. The core does no I/O: the
// included file is whatever document the workspace holds at that path. A relative path is
// taken relative to the including file's directory (named's working directory is unknown
// here; zone repositories keep includes beside the zone), an absolute one also matches a
// copy of that tree below the workspace (`/etc/bind/keys/x` as `…/etc/bind/keys/x`).

import type { Workspace, WorkspaceDocument } from '../../stack/workspace';
import type { ZoneDirective, ZoneEntry, ZoneSource, ZoneTree } from '../tree';

/** One `$INCLUDE` line of a zone file. */
export interface IncludeLine {
  directive: ZoneDirective;
  /** The file argument, escapes and quotes resolved. */
  path: string;
  /** The origin argument as written, when given. */
  originArg?: string;
}

const includeCache = new WeakMap<ZoneTree, IncludeLine[]>();
/** The lines of the last tree of each chain of incremental re-parses (they share the source object). */
const lastOfChain = new WeakMap<ZoneSource, { generation: number; lines: IncludeLine[] }>();

/**
 * The `$INCLUDE` lines of a tree: scanned once per tree, and taken over from the previous
 * tree when an incremental re-parse touched no `$INCLUDE` (no full scan per keystroke).
 */
export function includeLines(tree: ZoneTree): IncludeLine[] {
  let lines = includeCache.get(tree);
  if (lines) return lines;
  const last = lastOfChain.get(tree.source);
  const edit = tree.edit;
  if (last && edit && edit.previous === last.generation && !hasInclude(edit.removed, 0, edit.removed.length) && !hasInclude(tree.entries, edit.from, edit.from + edit.added)) {
    lines = last.lines;
  } else {
    lines = [];
    for (const e of tree.entries) {
      if (e.kind !== 'directive' || e.directive !== 'INCLUDE' || e.tokenCount < 2) continue;
      lines.push({ directive: e, path: e.token(1).value, originArg: e.tokenCount > 2 ? e.tokenText(2) : undefined });
    }
  }
  includeCache.set(tree, lines);
  if (tree.generation !== undefined) lastOfChain.set(tree.source, { generation: tree.generation, lines });
  return lines;
}

function hasInclude(entries: ZoneEntry[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const e = entries[i];
    if (e.kind === 'directive' && e.directive === 'INCLUDE') return true;
  }
  return false;
}

/** The path part of a file URI (percent-decoded); undefined for other schemes. */
function uriPath(uri: string): string | undefined {
  const m = /^file:\/\/[^/]*(\/.*)$/.exec(uri);
  if (!m) return undefined;
  try { return decodeURIComponent(m[1]); } catch { return m[1]; }
}

/** `a/b/../c` → `a/c`, keeping a leading `/`. */
function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') { if (out.length && out[out.length - 1] !== '..') out.pop(); else if (!absolute) out.push('..'); continue; }
    out.push(part);
  }
  return (absolute ? '/' : '') + out.join('/');
}

export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/');
}

/**
 * The workspace document an `$INCLUDE` names, or undefined. Zone documents are preferred;
 * any kind is accepted (an opendkim-genkey `mail.txt` may have been classified otherwise).
 */
export function resolveInclude(fromUri: string, path: string, workspace: Workspace): WorkspaceDocument | undefined {
  const from = uriPath(fromUri);
  if (from === undefined || path === '') return undefined;
  const wanted = normalizePath(isAbsolutePath(path) ? path : from.slice(0, from.lastIndexOf('/') + 1) + path);
  let suffixMatch: WorkspaceDocument | undefined;
  for (const doc of workspace.all()) {
    const p = uriPath(doc.uri);
    if (p === undefined) continue;
    const np = normalizePath(p);
    if (np === wanted) return doc;
    // An absolute path may point into a copy of the server's tree below the workspace.
    if (isAbsolutePath(path) && !suffixMatch && np.endsWith(wanted)) suffixMatch = doc;
  }
  return suffixMatch;
}
