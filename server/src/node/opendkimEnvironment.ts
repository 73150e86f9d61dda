// The node side of the OpenDKIM checks' environment (core/opendkim/checks/environment.ts):
// facts about key files, systemd drop-ins and file existence, read from disk. Key material
// is parsed (opendkimKeyLoading.ts: whether OpenDKIM can load it, its type and size, its
// public half) and never leaves this module (not in results, not in logs).

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { filePathOf } from './fileUris';
import type { Workspace } from '../core/stack/workspace';
import {
  opendkimFilesWanted, setOpendkimEnvironment, type AuxiliaryFile, type KeyFileInfo, type KeyFileRef, type OpendkimEnvironment,
} from '../core/opendkim/checks/index';
import { loadFile, type SkipReport } from './loadFiles';
import { keyFacts } from './opendkimKeyLoading';
import { mayRead } from './readPolicy';
import { publicKeyOfInlineKey } from './keyTablePublicKeys';
import type { PublicKeyOut } from './privateKeyShape';

export { keyFacts };

/** Key files are small; anything bigger is not a key and is not read whole. */
const MAX_KEY_BYTES = 64 * 1024;

/**
 * Whether OpenDKIM can load a key file, its type and size, and the public half of a key it
 * can load (derived here, once per read). The private key itself is dropped at once.
 */
export function readKeyFileInfo(file: string): KeyFileInfo {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return { exists: false };
  }
  const info: KeyFileInfo = { exists: true, isFile: st.isFile(), mode: st.mode & 0o7777 };
  if (!st.isFile()) return info;
  if (st.size > MAX_KEY_BYTES) return { ...info, isPrivateKey: false };
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch {
    return { ...info, unreadable: true };
  }
  try {
    const publicKey: PublicKeyOut = {};
    const facts = keyFacts(data, publicKey);
    return facts.isPrivateKey && publicKey.spki ? { ...info, ...facts, publicKeyDer: publicKey.spki } : { ...info, ...facts };
  } finally {
    data.fill(0);
  }
}

function readDropIns(rootUri: string): AuxiliaryFile[] | undefined {
  const root = filePathOf(rootUri);
  if (!root) return undefined;
  const dir = path.join(root, 'systemd', 'system', 'opendkim.service.d');
  if (!mayRead(dir)) return [];
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.conf')).sort();
  } catch {
    return [];
  }
  const out: AuxiliaryFile[] = [];
  for (const n of names) {
    try {
      if (!fs.statSync(path.join(dir, n)).isFile()) continue; // a pipe would block the read
      out.push({ uri: pathToFileURL(path.join(dir, n)).href, text: fs.readFileSync(path.join(dir, n), 'utf8') });
    } catch {
      // unreadable drop-in: systemd would not read it either
    }
  }
  return out;
}

/**
 * The environment for a workspace read from disk. `configRoot` is the folder that plays
 * /etc, given only when the caller knows the whole tree is there.
 */
export function diskOpendkimEnvironment(configRoot?: string): OpendkimEnvironment {
  const keyCache = new Map<string, KeyFileInfo>();
  // By a digest of the key text: the table keeps no private key, and a keystroke in the
  // KeyTable does not derive the keys of its other lines again.
  const inlineCache = new Map<string, Uint8Array | null>();
  // Outside a complete tree an absent file says nothing (a repository leaves keys out on
  // purpose): answer "unknown" rather than "missing".
  const complete = configRoot !== undefined;
  return {
    configRoot: configRoot ? pathToFileURL(path.resolve(configRoot)).href.replace(/\/$/, '') : undefined,
    fileExists(uri) {
      const p = filePathOf(uri);
      // Outside an untrusted workspace's folders nothing is looked at: unknown.
      if (p === undefined || !mayRead(p)) return undefined;
      return fs.existsSync(p) || (complete ? false : undefined);
    },
    keyFileInfo(ref: KeyFileRef) {
      const p = ref.uri ? filePathOf(ref.uri) : undefined;
      if (!p || !mayRead(p)) return undefined;
      let info = keyCache.get(p);
      if (!info) keyCache.set(p, (info = readKeyFileInfo(p)));
      return info.exists || complete ? info : undefined;
    },
    systemdDropIns: readDropIns,
    inlineKeyPublicKey(text) {
      const digest = crypto.createHash('sha256').update(text).digest('base64');
      let spki = inlineCache.get(digest);
      if (spki === undefined) inlineCache.set(digest, (spki = publicKeyOfInlineKey(text) ?? null));
      return spki ?? undefined;
    },
  };
}

/** Gives the workspace's OpenDKIM checks the facts from disk (see diskOpendkimEnvironment). */
export function attachDiskEnvironment(workspace: Workspace, configRoot?: string): void {
  setOpendkimEnvironment(workspace, diskOpendkimEnvironment(configRoot));
}

/**
 * Loads the tables the OpenDKIM configurations name that the workspace does not have yet
 * (a host list called `trusted` is found only this way). Returns how many it loaded.
 */
export function loadOpendkimFiles(workspace: Workspace, onSkip?: SkipReport): number {
  let loaded = 0;
  // Tables can name further files (a KeyTable names key files); two rounds reach them.
  for (let round = 0; round < 2; round++) {
    for (const want of opendkimFilesWanted(workspace)) {
      if (!want.kind || workspace.get(want.uri)) continue;
      const p = filePathOf(want.uri);
      if (p && loadFile(workspace, p, want.kind, onSkip)) loaded++;
    }
  }
  return loaded;
}

/** The folder under `dir` that looks like /etc (has postfix/ or opendkim.conf), if any. */
export function findConfigRoot(dir: string): string | undefined {
  for (const candidate of [dir, path.join(dir, 'etc')]) {
    if (fs.existsSync(path.join(candidate, 'opendkim.conf')) || fs.existsSync(path.join(candidate, 'postfix', 'main.cf'))) return candidate;
  }
  return undefined;
}
