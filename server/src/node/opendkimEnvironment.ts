// The node side of the OpenDKIM checks' environment (core/opendkim/checks/environment.ts):
// facts about key files, systemd drop-ins and file existence, read from disk. Key material
// is parsed here (privateKeyShape.ts, else node:crypto) only to learn its type and size; it
// never leaves this module (not in results, not in logs).

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
import { privateKeyShape } from './privateKeyShape';
import { mayRead } from './readPolicy';

/** Key files are small; anything bigger is not a key and is not read whole. */
const MAX_KEY_BYTES = 64 * 1024;

/** Type and size of a key file, or that it is none. The key itself is dropped at once. */
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
    return { ...info, ...keyFacts(data) };
  } finally {
    data.fill(0);
  }
}

/**
 * Whether a key file's bytes are a private key, of which type and size. The key's own
 * structure tells the usual keys at once (privateKeyShape.ts); node:crypto, 0.5 ms a key,
 * decides the rest: other types, unusual encodings, damaged files. The caller zeroes `data`.
 */
export function keyFacts(data: Buffer): Pick<KeyFileInfo, 'isPrivateKey' | 'algorithm' | 'bits'> {
  const shape = privateKeyShape(data);
  if (shape?.type === 'encrypted') return { isPrivateKey: false }; // no passphrase: OpenDKIM cannot load it
  if (shape?.type === 'rsa') return { isPrivateKey: true, algorithm: 'rsa', bits: shape.bits };
  if (shape) return { isPrivateKey: true, algorithm: shape.type };
  const key = privateKeyOf(data);
  if (!key) return { isPrivateKey: false };
  const bits = key.asymmetricKeyDetails?.modulusLength;
  return bits ? { isPrivateKey: true, algorithm: key.asymmetricKeyType, bits } : { isPrivateKey: true, algorithm: key.asymmetricKeyType };
}

/** The key node:crypto reads from a key file: PEM, else DER as PKCS#8 or PKCS#1; undefined for none. */
function privateKeyOf(data: Buffer): crypto.KeyObject | undefined {
  const attempts: crypto.PrivateKeyInput[] = data.indexOf('-----BEGIN') >= 0
    ? [{ key: data }]
    : [{ key: data, format: 'der', type: 'pkcs8' }, { key: data, format: 'der', type: 'pkcs1' }];
  for (const input of attempts) {
    try {
      return crypto.createPrivateKey(input);
    } catch {
      // not this encoding
    }
  }
  return undefined;
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
