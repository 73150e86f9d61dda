// Finds the mail-stack files under a path, for the CLI and for the server's workspace
// scan. This is the I/O edge of the core's kind detection: it reads the head of files
// whose names do not decide, and never follows symlinked directories (an /etc copy can
// hold links that point anywhere).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectKind, isZoneCandidateName, kindFromName, type DocumentKind } from '../core/kinds';

export interface DiscoveredFile {
  path: string;
  kind: DocumentKind;
}

export interface DiscoveryOptions {
  /** Stop after this many files (a safety bound for huge trees). */
  maxFiles?: number;
  /**
   * The kind of the files named explicitly (`mailconf check --kind`), whatever their names:
   * `main.cf.j2`, `main.cf.orig`. Directories are still searched by name and content.
   */
  explicitKind?: DocumentKind;
}

const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.svn', '.hg']);
const SNIFF_BYTES = 4096;

function readHead(file: string): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = fs.readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Kind of one file on disk, by name and, where the name does not decide, by content. */
export function kindOfFile(file: string): DocumentKind | undefined {
  const name = path.basename(file);
  const dir = path.dirname(file);
  const hasSiblingMasterCf = name.endsWith('.cf') && fs.existsSync(path.join(dir, 'master.cf'));
  const byName = kindFromName(name, path.basename(dir), hasSiblingMasterCf);
  if (byName) return byName;
  if (!isZoneCandidateName(name)) return undefined;
  const head = readHead(file);
  return detectKind({ path: file, text: head });
}

/** Walks files and directories; files named explicitly are checked by name, then content. */
export function discover(paths: string[], options: DiscoveryOptions = {}): { files: DiscoveredFile[]; unknown: string[]; missing: string[] } {
  const maxFiles = options.maxFiles ?? 100_000;
  const files: DiscoveredFile[] = [];
  const unknown: string[] = [];
  const missing: string[] = [];

  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (files.length >= maxFiles) return;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) walk(full);
      } else if (e.isFile()) {
        const kind = kindOfFile(full);
        if (kind) files.push({ path: full, kind });
      }
    }
  };

  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      missing.push(p);
      continue;
    }
    if (st.isDirectory()) {
      walk(p);
    } else {
      // A named pipe or device is never opened here (that would block): its name alone decides.
      const kind = options.explicitKind ?? (st.isFile() ? kindOfFile(p) ?? detectKind({ path: p, text: readHead(p) }) : detectKind({ path: p }));
      if (kind) files.push({ path: p, kind });
      else unknown.push(p);
    }
  }
  return { files, unknown, missing };
}
