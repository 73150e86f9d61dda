// Brings files from disk into the workspace model: the mail-stack files under the
// workspace folders (once, at start-up) and the partners of a document opened from
// elsewhere (main.cf ↔ master.cf). Never on the keystroke path.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { filePathOf } from './fileUris';
import type { Workspace } from '../core/stack/workspace';
import type { DocumentKind } from '../core/kinds';
import { discover, kindOfFile } from './discovery';
import { mayRead } from './readPolicy';

/** Files larger than this are not loaded by a scan (they are analysed when opened). */
export const SCAN_MAX_BYTES = 8 * 1024 * 1024;

/** How many mail-stack files a scan loads at most (a safety bound for huge trees). */
export const SCAN_MAX_FILES = 2000;

/** Told when a file (or the rest of a folder) is left out, with why, for the front end's log. */
export type SkipReport = (file: string, reason: string) => void;

function readText(file: string, onSkip?: SkipReport): string | undefined {
  if (!mayRead(file)) {
    onSkip?.(file, 'outside the folders of this untrusted workspace');
    return undefined;
  }
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return undefined;
    if (st.size > SCAN_MAX_BYTES) {
      onSkip?.(file, `${Math.round(st.size / 1048576)} MB, above the ${SCAN_MAX_BYTES / 1048576} MB limit for files mailconf reads on its own; open it to check it`);
      return undefined;
    }
    const data = fs.readFileSync(file);
    if (data.subarray(0, 8192).includes(0)) {
      onSkip?.(file, 'it contains NUL bytes (a binary file such as a compiled .db map), not a text configuration');
      return undefined;
    }
    return data.toString('utf8');
  } catch (e) {
    // A partner that does not exist is normal; anything else (permissions) is worth a line.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') onSkip?.(file, `cannot be read: ${(e as Error).message}`);
    return undefined;
  }
}

/** Loads one file into the model (unless the editor has it open). */
export function loadFile(workspace: Workspace, file: string, kind: DocumentKind | undefined = kindOfFile(file), onSkip?: SkipReport): boolean {
  if (!kind) return false;
  const uri = pathToFileURL(file).href;
  if (workspace.get(uri)?.open) return false;
  const text = readText(file, onSkip);
  if (text === undefined) {
    // Gone, a directory now, or too large: an older copy in the model is stale.
    workspace.removeFromDisk(uri);
    return false;
  }
  workspace.setOnDisk(uri, kind, text);
  return true;
}

/** Loads every mail-stack file under the folders; returns how many were loaded. */
export function scanFolders(workspace: Workspace, folderPaths: string[], maxFiles = SCAN_MAX_FILES, onSkip?: SkipReport): number {
  let loaded = 0;
  const found = discover(folderPaths, { maxFiles }).files;
  for (const f of found) if (loadFile(workspace, f.path, f.kind, onSkip)) loaded++;
  if (found.length >= maxFiles) onSkip?.(folderPaths.join(', '), `more than ${maxFiles} mail-stack files: only the first ${maxFiles} are loaded (open a file to check it)`);
  return loaded;
}

/** For a Postfix file opened from outside the scanned folders: its main.cf/master.cf partner. */
export function loadPostfixPartner(workspace: Workspace, uri: string, kind: DocumentKind, onSkip?: SkipReport): void {
  if (!uri.startsWith('file:') || (kind !== 'postfix-main' && kind !== 'postfix-master')) return;
  const file = filePathOf(uri);
  if (!file) return;
  const partner = path.join(path.dirname(file), kind === 'postfix-main' ? 'master.cf' : 'main.cf');
  if (!workspace.get(pathToFileURL(partner).href)) loadFile(workspace, partner, undefined, onSkip);
}
