// Which files the node adapters may read. A trusted workspace and the CLI read wherever the
// configurations point (a KeyTable names /etc/opendkim/keys/…); an untrusted workspace
// (VS Code's Restricted Mode) is read only inside its own folders, so a hostile
// opendkim.conf cannot make the editor open ~/.ssh/id_rsa or /etc/shadow to "check" it.
// The front end decides: the server calls restrictReadsTo(folders) for an untrusted
// workspace; the readers in node/ ask mayRead() before touching a file.

import * as fs from 'node:fs';
import * as path from 'node:path';

let roots: string[] | undefined;

/** Real path of `p` (symlinks resolved) when it exists, else its absolute path. */
function real(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

/** Reads allowed only inside `folders` (undefined: everywhere, the default). */
export function restrictReadsTo(folders: readonly string[] | undefined): void {
  roots = folders?.map(real);
}

/**
 * True when `file` may be read: no restriction, or it lies inside one of the folders after
 * its symlinks are resolved (a link in the workspace that points outside does not count).
 */
export function mayRead(file: string): boolean {
  if (!roots) return true;
  const p = real(file);
  return roots.some((r) => p === r || p.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
}
