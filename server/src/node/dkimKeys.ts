// Writes a new DKIM key pair to disk: `<dir>/<selector>.private` (PKCS#8 PEM, the form
// Debian's opendkim-genkey writes through `openssl genrsa` and OpenDKIM reads; mode 0600)
// and `<dir>/<selector>.txt` (the zone-file record, 0644). Each file is created exclusively
// and never through a symlink: written to a temp file opened O_CREAT|O_EXCL|O_NOFOLLOW,
// fsynced, then hard-linked to its name (link fails when the name exists, unlike rename)
// and the temp unlinked. Any failure removes what this call created: no partial file, no
// overwritten file. The private key is never printed or logged.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  buildDkimRecords, rsaBits, validateDkimDomain, validateDkimSelector, type DkimGenerateAlgorithm, type DkimGenerated,
} from '../core/records/dkim/generate';

export interface WriteDkimKeyOptions {
  domain: string;
  selector: string;
  algorithm: DkimGenerateAlgorithm;
  dir: string;
  /** Create the directory (0700) when missing; otherwise a missing directory is refused. */
  createDir?: boolean;
}

export interface WrittenDkimKey extends DkimGenerated {
  privateKeyPath: string;
  txtPath: string;
}

/** A refusal: the message says what is wrong and what to do; nothing was written. */
export class DkimKeyRefusal extends Error {}

export function writeDkimKey(opts: WriteDkimKeyOptions): WrittenDkimKey {
  const problem = validateDkimDomain(opts.domain) ?? validateDkimSelector(opts.selector);
  if (problem) throw new DkimKeyRefusal(problem);
  const dir = path.resolve(opts.dir);
  checkDirectory(dir, opts.createDir === true);
  const privateKeyPath = path.join(dir, `${opts.selector}.private`);
  const txtPath = path.join(dir, `${opts.selector}.txt`);
  for (const p of [privateKeyPath, txtPath]) {
    if (existsNoFollow(p)) throw new DkimKeyRefusal(`${p} already exists: choose another selector (or move the old file away yourself); nothing was overwritten`);
  }

  const { publicKey, privateKeyPem } = generateKeyPair(opts.algorithm);
  const records = buildDkimRecords({
    domain: opts.domain, selector: opts.selector, algorithm: opts.algorithm,
    publicKeySpki: publicKey.export({ type: 'spki', format: 'der' }), keyPath: privateKeyPath,
  });
  writeExclusive(privateKeyPath, privateKeyPem, 0o600);
  try {
    writeExclusive(txtPath, records.zoneFileText, 0o644);
  } catch (e) {
    // The pair belongs together: without its record the new key is of no use.
    fs.rmSync(privateKeyPath, { force: true });
    throw e;
  }
  return { ...records, privateKeyPath, txtPath };
}

function generateKeyPair(algorithm: DkimGenerateAlgorithm): { publicKey: crypto.KeyObject; privateKeyPem: string } {
  const bits = rsaBits(algorithm);
  const pair = bits !== undefined
    ? crypto.generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 })
    : crypto.generateKeyPairSync('ed25519');
  return { publicKey: pair.publicKey, privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

function checkDirectory(dir: string, createDir: boolean): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      if (!createDir) throw new DkimKeyRefusal(`the key directory ${dir} does not exist: create it first (owned by the opendkim user, mode 0700) or ask for it to be created`);
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        return;
      } catch (e2) {
        throw new DkimKeyRefusal(`cannot create the key directory ${dir}: ${(e2 as Error).message}`);
      }
    }
    throw new DkimKeyRefusal(`cannot use the key directory ${dir}: ${(e as Error).message}`);
  }
  if (!st.isDirectory()) throw new DkimKeyRefusal(`${dir} is not a directory: give the directory the keys go in`);
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    throw new DkimKeyRefusal(`the key directory ${dir} is not writable for this user: run as a user who may write there (often root) or choose another directory`);
  }
}

function existsNoFollow(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Creates `target` with `content`, exclusively and atomically (see the file comment). */
function writeExclusive(target: string, content: string, mode: number): void {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  let created = false;
  try {
    fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, mode);
    created = true;
    fs.fchmodSync(fd, mode); // the umask may have taken bits away (0644 for the record)
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    try {
      fs.linkSync(temp, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new DkimKeyRefusal(`${target} already exists: choose another selector; nothing was overwritten`);
      throw e;
    }
  } catch (e) {
    if (e instanceof DkimKeyRefusal) throw e;
    throw new DkimKeyRefusal(`cannot write ${target}: ${(e as Error).message}`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
    if (created) fs.rmSync(temp, { force: true });
  }
  syncDirectory(dir);
}

/** Makes the new name durable; not every file system allows fsync on a directory. */
function syncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, fs.constants.O_RDONLY);
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  } catch {
    // best effort
  }
}
