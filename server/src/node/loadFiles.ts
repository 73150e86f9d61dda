// Brings files from disk into the workspace model: the mail-stack files under the
// workspace folders (once, at start-up) and the partners of a document opened from
// elsewhere (main.cf ↔ master.cf). Never on the keystroke path.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Workspace } from '../core/stack/workspace';
import type { DocumentKind } from '../core/kinds';
import { discover, kindOfFile } from './discovery';

/** Files larger than this are not loaded by a scan (they are analysed when opened). */
export const SCAN_MAX_BYTES = 8 * 1024 * 1024;

function readText(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > SCAN_MAX_BYTES) return undefined;
    const data = fs.readFileSync(file);
    return data.subarray(0, 8192).includes(0) ? undefined : data.toString('utf8');
  } catch {
    return undefined;
  }
}

/** Loads one file into the model (unless the editor has it open). */
export function loadFile(workspace: Workspace, file: string, kind: DocumentKind | undefined = kindOfFile(file)): boolean {
  if (!kind) return false;
  const uri = pathToFileURL(file).href;
  if (workspace.get(uri)?.open) return false;
  const text = readText(file);
  if (text === undefined) return false;
  workspace.setOnDisk(uri, kind, text);
  return true;
}

/** Loads every mail-stack file under the folders; returns how many were loaded. */
export function scanFolders(workspace: Workspace, folderPaths: string[], maxFiles = 2000): number {
  let loaded = 0;
  for (const f of discover(folderPaths, { maxFiles }).files) if (loadFile(workspace, f.path, f.kind)) loaded++;
  return loaded;
}

/** For a Postfix file opened from outside the scanned folders: its main.cf/master.cf partner. */
export function loadPostfixPartner(workspace: Workspace, uri: string, kind: DocumentKind): void {
  if (!uri.startsWith('file:') || (kind !== 'postfix-main' && kind !== 'postfix-master')) return;
  let file: string;
  try {
    file = fileURLToPath(uri);
  } catch {
    return;
  }
  const partner = path.join(path.dirname(file), kind === 'postfix-main' ? 'master.cf' : 'main.cf');
  if (!workspace.get(pathToFileURL(partner).href)) loadFile(workspace, partner);
}
