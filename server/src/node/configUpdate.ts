// Writes a plan's edits and new files to disk safely, for `mailconf dkim generate --update`:
// every file is checked first (an edited file must still hold exactly the text the plan was
// made from, a regular file and no symlink; a new file must not exist), and only then is
// anything written. An edited file is replaced by a complete temp file in its directory
// (same mode and, when we may, owner) renamed over it, after one last check that it has not
// changed meanwhile; a new file is created exclusively. Nothing is ever half written.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextEdit } from '../core/types';
import { applyTextEdits } from '../core/text/applyEdits';

/** Nothing was written: the message says why and what to do. */
export class ConfigUpdateRefusal extends Error {}

export interface ConfigChanges {
  edits: Array<TextEdit & { uri: string }>;
  createFiles: Array<{ uri: string; text: string }>;
}

export interface ConfigUpdateResult {
  /** Paths of edited files, in the order written. */
  edited: string[];
  created: string[];
}

function pathOf(uri: string): string {
  try {
    return fileURLToPath(uri);
  } catch {
    throw new ConfigUpdateRefusal(`${uri} is not a file on this machine`);
  }
}

/**
 * Applies `changes`; `readTexts` maps each edited file's uri to the text the plan was made
 * from. Throws ConfigUpdateRefusal (nothing written) when a check fails before writing.
 */
export function applyConfigChanges(changes: ConfigChanges, readTexts: ReadonlyMap<string, string>): ConfigUpdateResult {
  const byUri = new Map<string, Array<TextEdit & { uri: string }>>();
  for (const e of changes.edits) byUri.set(e.uri, [...(byUri.get(e.uri) ?? []), e]);

  // ---- check everything first
  const planned: Array<{ file: string; text: string; before: string; mode: number; uid: number; gid: number }> = [];
  for (const [uri, edits] of byUri) {
    const file = pathOf(uri);
    const before = readTexts.get(uri);
    if (before === undefined) throw new ConfigUpdateRefusal(`${file} was not read before planning: nothing was written`);
    const st = lstatOrUndefined(file);
    if (!st || st.isSymbolicLink() || !st.isFile()) {
      throw new ConfigUpdateRefusal(`${file} is ${!st ? 'gone' : st.isSymbolicLink() ? 'a symbolic link (edit the file it points to)' : 'not a regular file'}: nothing was written`);
    }
    if (fs.readFileSync(file, 'utf8') !== before) throw new ConfigUpdateRefusal(`${file} changed since it was read: nothing was written; run the command again`);
    planned.push({ file, text: applyTextEdits(before, edits), before, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
  }
  const creating = changes.createFiles.map((c) => ({ file: pathOf(c.uri), text: c.text }));
  for (const c of creating) {
    if (lstatOrUndefined(c.file)) throw new ConfigUpdateRefusal(`${c.file} exists although the configuration does not load it: add the lines yourself or remove it; nothing was written`);
  }

  // ---- write: new files first, so a configuration never names a table that is not there
  const result: ConfigUpdateResult = { edited: [], created: [] };
  for (const c of creating) {
    fs.mkdirSync(path.dirname(c.file), { recursive: true, mode: 0o755 });
    const fd = fs.openSync(c.file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o644);
    try {
      fs.writeSync(fd, c.text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    result.created.push(c.file);
  }
  for (const p of planned) {
    replaceFile(p);
    result.edited.push(p.file);
  }
  return result;
}

function lstatOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch {
    return undefined;
  }
}

/** Temp file beside the target, same mode/owner, renamed over it unless the target changed. */
function replaceFile(p: { file: string; text: string; before: string; mode: number; uid: number; gid: number }): void {
  const dir = path.dirname(p.file);
  const temp = path.join(dir, `.${path.basename(p.file)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
  let renamed = false;
  try {
    fs.writeSync(fd, p.text);
    fs.fchmodSync(fd, p.mode);
    try { fs.fchownSync(fd, p.uid, p.gid); } catch { /* only root may give files away */ }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    if (fs.readFileSync(p.file, 'utf8') !== p.before) {
      throw new ConfigUpdateRefusal(`${p.file} changed while the update ran: it was left as it is; add the change again`);
    }
    fs.renameSync(temp, p.file);
    renamed = true;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
    if (!renamed) fs.rmSync(temp, { force: true });
  }
}
