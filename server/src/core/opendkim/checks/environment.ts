// What the OpenDKIM checks need to know beyond the documents' text, and that only a front
// end (which does the I/O) can tell: whether the workspace holds a complete /etc-like tree,
// facts about private key files (never their content), and the text of systemd drop-ins,
// which are not mailconf documents. The core stays pure: a front end fills an
// OpendkimEnvironment once per workspace with setOpendkimEnvironment(); every provider is
// synchronous, so the front end reads what `opendkimFilesWanted()` lists ahead of time and
// diagnoses again when it has the answers.

import type { Workspace } from '../../stack/workspace';

/** Facts about a private key file. Key material never leaves the front end. */
export interface KeyFileInfo {
  exists: boolean;
  /** A regular file (OpenDKIM refuses directories, sockets …). */
  isFile?: boolean;
  /** Permission bits (st_mode & 0o7777). */
  mode?: number;
  /** Owning user and group names. */
  owner?: string;
  group?: string;
  /** The front end could not read it (permissions): nothing is known about the content. */
  unreadable?: boolean;
  /**
   * OpenDKIM can load the content as a private key: PEM from the first byte (PKCS#1 or
   * PKCS#8, no passphrase), or base64 DER starting "MII". False also for a key OpenDKIM
   * cannot load although it is one (notKeyReason 'encrypted', 'text-before-pem', 'der').
   */
  isPrivateKey?: boolean;
  /** Why OpenDKIM cannot load it, when isPrivateKey is false and the content tells. */
  notKeyReason?: KeyFileProblem;
  /** With notKeyReason 'text-before-pem': what precedes the -----BEGIN line. */
  leadingText?: 'byte-order-mark' | 'blank-lines' | 'bag-attributes' | 'text';
  /** 'rsa' or 'ed25519' (node:crypto's asymmetricKeyType); also for a key OpenDKIM cannot load. */
  algorithm?: string;
  /** RSA modulus length. */
  bits?: number;
  /**
   * The public half of the key (DER SubjectPublicKeyInfo, as node:crypto exports it), for a
   * key OpenDKIM can load (isPrivateKey true); derived by the front end when it reads the
   * file. Compared with the DKIM key records of the workspace's zones (stack/keyTableZones.ts).
   */
  publicKeyDer?: Uint8Array;
}

/**
 * Why OpenDKIM cannot load a key file's content (libopendkim reads it as PEM only when it
 * starts with "-----", as base64 DER when it starts with "MII", else as binary DER up to
 * its first zero byte):
 * - 'encrypted': a passphrase-protected PEM key (OpenDKIM has no passphrase to give);
 * - 'text-before-pem': a good PEM private key after other bytes (blank line, byte order mark,
 *   "Bag Attributes" lines, a comment), read as DER instead;
 * - 'der': a binary DER private key, cut at its first zero byte;
 * - 'dns-record': the DKIM TXT record (v=DKIM1 … p=…), as in opendkim-genkey's .txt file;
 * - 'public-key': a PEM public key.
 */
export type KeyFileProblem = 'encrypted' | 'text-before-pem' | 'der' | 'dns-record' | 'public-key';

/** A key file as a KeyTable or `KeyFile` names it. */
export interface KeyFileRef {
  /** The path as written in the configuration (absolute on the mail server). */
  path: string;
  /**
   * Where the file is in this workspace: the path resolved against the configuration root
   * (the folder that plays /etc) when it lies below /etc; undefined otherwise. A front end
   * reading a real /etc gets `file:///etc/…` here, one reading a checked-out tree gets the
   * file inside the checkout.
   */
  uri?: string;
}

/** A file that is not a mailconf document, as `systemdDropIns` returns it. */
export interface AuxiliaryFile {
  uri: string;
  text: string;
}

export interface OpendkimEnvironment {
  /**
   * URI (without trailing slash) of the folder that plays /etc, set only when the front end
   * vouches that the workspace holds every file of that tree (a server's real /etc, or a
   * checked-out copy of one). Only then does a referenced file that is absent from the
   * workspace count as missing (`opendkim/missing-file`).
   */
  configRoot?: string;
  /**
   * Whether a file exists, for referenced files that are not mailconf documents (db: maps,
   * Lua scripts, TrustAnchorFile copies below the root). Undefined: unknown.
   */
  fileExists?(uri: string): boolean | undefined;
  /** Facts about a private key file; undefined when unknown (not looked at yet). */
  keyFileInfo?(ref: KeyFileRef): KeyFileInfo | undefined;
  /**
   * The systemd drop-ins of opendkim.service below a configuration root:
   * `<root>/systemd/system/opendkim.service.d/*.conf`, in the order systemd reads them
   * (lexical). Undefined when the front end did not look; [] when there are none.
   */
  systemdDropIns?(root: string): AuxiliaryFile[] | undefined;
  /**
   * The public half (DER SubjectPublicKeyInfo) of a private key written inline in a KeyTable
   * (the third field, as OpenDKIM takes it: base64 DER or PEM); undefined when it is none.
   * The front end answers from a memo: it is asked again on every analysis of the table.
   */
  inlineKeyPublicKey?(text: string): Uint8Array | undefined;
}

const environments = new WeakMap<Workspace, OpendkimEnvironment>();

/** Attaches (or with undefined, removes) the environment of a workspace. */
export function setOpendkimEnvironment(workspace: Workspace, env: OpendkimEnvironment | undefined): void {
  if (env) environments.set(workspace, env);
  else environments.delete(workspace);
}

/** The environment attached to a workspace with setOpendkimEnvironment, or nothing known. */
export function opendkimEnvironment(workspace: Workspace): OpendkimEnvironment {
  return environments.get(workspace) ?? {};
}
