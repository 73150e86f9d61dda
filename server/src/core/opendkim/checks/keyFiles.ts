// Private key files named by a KeyTable (or by KeyFile), judged by what the front end tells
// about them (KeyFileInfo: existence, permissions, owner, key type and size — never the
// key). OpenDKIM reads the key when it first signs with it and, with RequireSafeKeys on
// (the default), refuses a key that other users could read: the file must belong to root
// or to the user OpenDKIM runs as (UserID), others must have no access, and group access
// is accepted only when nobody else is in the file's group (dkimf_checkfsnode). A key it
// cannot load (KeyFileInfo.notKeyReason says why) fails each message it should sign, which
// On-InternalError (default tempfail) then defers, rejects, drops or lets through unsigned.
// A key of another type than the instance's SignatureAlgorithm needs: keyAlgorithm.ts.

import type { AnalysisContext } from '../../context';
import type { Finding, Range } from '../../types';
import type { Workspace, WorkspaceDocument } from '../../stack/workspace';
import type { KeyTableTree } from '../tree';
import { opendkimEnvironment, type KeyFileInfo, type KeyFileRef } from './environment';
import { configRootOf, confsUsing, confTree, effectiveConf, opendkimTables, resolveServerPath } from './links';
import { finding, uniqueFindings } from './util';
import { inlineKeyType, isInlineEd25519Key, keyAlgorithmMismatch, keySigners, signingAlgorithmOf, type SigningAlgorithm } from './keyAlgorithm';
import { uriDirname } from '../../stack/postfixInstance';

/** RFC 8301: verifiers must not accept signatures made with RSA keys shorter than this. */
const MIN_RSA_BITS = 1024;

interface KeyContext {
  /** The user OpenDKIM runs as (UserID before any ":group"); undefined when not set. */
  user?: string;
  /** RequireSafeKeys (default on). */
  safeKeys: boolean;
  /** On-InternalError, else On-Default, lower-cased (undefined: tempfail). */
  onInternalError?: string;
  /**
   * The algorithms of the opendkim.conf files that may sign with the key; empty or
   * undefined when none is known (then the key type is not judged).
   */
  signing?: readonly SigningAlgorithm[];
}

function keyContexts(workspace: Workspace, confs: WorkspaceDocument[]): KeyContext {
  // Several opendkim.conf files may share a KeyTable; take the first one's settings.
  const conf = confs[0];
  if (!conf) return { safeKeys: true };
  const eff = effectiveConf(workspace, conf);
  const user = eff.get('userid')?.option.value?.text.split(':')[0];
  const safe = eff.get('requiresafekeys')?.option.value?.text;
  const onError = (eff.get('on-internalerror') ?? eff.get('on-default'))?.option.value?.text.toLowerCase();
  return { user, safeKeys: safe === undefined || /^[tTyY1]/.test(safe), onInternalError: onError, signing: signingAlgorithms(workspace, confs) };
}

function signingAlgorithms(workspace: Workspace, confs: WorkspaceDocument[]): SigningAlgorithm[] {
  const out: SigningAlgorithm[] = [];
  for (const conf of confs) {
    const s = signingAlgorithmOf(workspace, conf);
    if (s) out.push(s);
  }
  return out;
}

/** What OpenDKIM does with a message it should sign when the key fails to load (On-InternalError). */
function failedKeyOutcome(kc: KeyContext): string {
  switch (kc.onInternalError?.[0]) {
    case 'a': return 'lets every message it should sign with this key through unsigned (On-InternalError accept)';
    case 'r': return 'rejects every message it should sign with this key ("550 5.7.0 resource unavailable")';
    case 'd': return 'silently discards every message it should sign with this key';
    case 'q': return 'quarantines every message it should sign with this key';
    default: return 'defers every message it should sign with this key ("451 4.7.0 resource unavailable"; On-InternalError tempfail, the default), so that mail is held and retried until the key is fixed';
  }
}

/** The shell commands that replace `path` with OpenSSL's rewrite of it, keeping its owner. */
function rewriteCommand(path: string, info: KeyFileInfo, opensslOptions: string): string {
  // openssl pkey creates its output with mode 600, owned by whoever runs it (root).
  const chown = info.owner !== undefined && info.owner !== 'root' ? `chown ${info.owner} ${path}.new && ` : '';
  return `openssl pkey ${opensslOptions}-in ${path} -out ${path}.new && ${chown}mv ${path}.new ${path}`;
}

/** What comes before the PEM block, with its verb. */
const LEADING_TEXT: Record<NonNullable<KeyFileInfo['leadingText']>, string> = {
  'byte-order-mark': 'an invisible UTF-8 byte order mark (some editors add one) comes',
  'blank-lines': 'an empty line comes',
  'bag-attributes': '"Bag Attributes" lines (as openssl pkcs12 -nodes writes them) come',
  text: 'other text comes',
};

/** A few words on what is wrong with a key file OpenDKIM cannot load, for hovers. */
export function keyFileProblemBrief(info: KeyFileInfo): string {
  switch (info.notKeyReason) {
    case 'encrypted': return 'protected by a passphrase, which OpenDKIM cannot load';
    case 'text-before-pem': return `${info.leadingText === 'byte-order-mark' ? 'a byte order mark' : info.leadingText === 'bag-attributes' ? '"Bag Attributes" lines' : 'text'} before -----BEGIN, which OpenDKIM cannot load`;
    case 'der': return 'a binary DER key, which OpenDKIM cannot load';
    case 'dns-record': return 'the DKIM DNS record, not the private key';
    case 'public-key': return 'a public key, not the private key';
    default: return 'not a private key';
  }
}

/** The message of opendkim/key-not-private-key for a file that holds no key OpenDKIM can load. */
function notKeyMessage(path: string, info: KeyFileInfo, kc: KeyContext): string {
  const outcome = failedKeyOutcome(kc);
  switch (info.notKeyReason) {
    case 'encrypted':
      return `${path} holds a private key protected by a passphrase. OpenDKIM has no way to be given the passphrase, so it cannot load the key (its log says "PEM_read_bio_PrivateKey() failed") and ${outcome}. Remove the passphrase (openssl asks for it once): ${rewriteCommand(path, info, '')}`;
    case 'text-before-pem':
      return `The key in ${path} is fine, but ${LEADING_TEXT[info.leadingText ?? 'text']} before its -----BEGIN line. OpenDKIM reads a key file as PEM only when it starts with "-----" and otherwise as binary DER, so it cannot load this key (its log says "d2i_PrivateKey_bio() failed"; opendkim-testkey still says "key OK") and ${outcome}. Delete everything before -----BEGIN, or let OpenSSL rewrite the file: ${rewriteCommand(path, info, '')}`;
    case 'der':
      return `${path} holds a private key in binary DER form. OpenDKIM reads a key file as text, up to its first zero byte, so it cannot load a DER key (its log says "d2i_PrivateKey_bio() failed") and ${outcome}. Convert it to PEM: ${rewriteCommand(path, info, '-inform DER ')}`;
    case 'dns-record':
      return `${path} holds the DKIM DNS record (v=DKIM1; … p=…), not the private key: it is the .txt file opendkim-genkey writes for your DNS zone. OpenDKIM cannot sign with it (its log says "d2i_PrivateKey_bio() failed") and ${outcome}. Name the private key instead: the .private file opendkim-genkey wrote next to it.`;
    case 'public-key':
      return `${path} holds a public key, but signing needs the private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----). OpenDKIM cannot load it (its log says "PEM_read_bio_PrivateKey() failed") and ${outcome}. Name the private key file; the public key belongs in DNS, as p= of the selector's TXT record.`;
    default:
      return `${path} does not hold a private key OpenDKIM can load (a PEM file starting with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----), so it ${outcome}. The private key is the .private file opendkim-genkey writes; the .txt file is the DNS record.`;
  }
}

/**
 * opendkim/key-not-private-key for an Ed25519 key written inline in the KeyTable (base64 of
 * its PKCS#8 DER): OpenDKIM 2.11 base64-decodes inline key data only when it starts "MII"
 * (an RSA key) and reads any other text as binary DER, so it can never load this key.
 */
function inlineEd25519Message(keyName: string, kc: KeyContext): string {
  return `The key written inline for "${keyName}" is an Ed25519 private key (base64 DER). OpenDKIM decodes key data written in the KeyTable only when it starts with "MII" (the base64 of an RSA key) and reads any other text as binary DER, so it can never load an Ed25519 key written inline (its log says "d2i_PrivateKey_bio() failed") and ${failedKeyOutcome(kc)}. Put the key in a file: the same base64 text between a line -----BEGIN PRIVATE KEY----- and a line -----END PRIVATE KEY----- (or a new key: openssl genpkey -algorithm ed25519), readable only by OpenDKIM (chown opendkim, chmod 600), and write that file's absolute path as the third field instead. An Ed25519 key signs only in an OpenDKIM with SignatureAlgorithm ed25519-sha256 and Canonicalization relaxed/simple.`;
}

/** Findings about one key file at `range` (the path in the KeyTable or the KeyFile value). */
export function keyFileFindings(info: KeyFileInfo | undefined, path: string, range: Range, kc: KeyContext): Finding[] {
  if (!info) return [];
  if (!info.exists) {
    return [finding(range, 'error', 'opendkim/missing-file',
      `The key file ${path} does not exist, so OpenDKIM cannot sign with this key (mail leaves unsigned, or OpenDKIM does not start when KeyFile names it). Create the key (opendkim-genkey) or correct the path.`)];
  }
  const out: Finding[] = [];
  if (info.isFile === false) {
    out.push(finding(range, 'error', 'opendkim/key-not-private-key',
      `${path} is not a regular file, so OpenDKIM cannot read a key from it. Name the private key file itself.`));
    return out;
  }
  if (info.isPrivateKey === false) {
    out.push(finding(range, 'error', 'opendkim/key-not-private-key', notKeyMessage(path, info, kc)));
  } else if (info.algorithm === 'rsa' && info.bits !== undefined && info.bits < MIN_RSA_BITS) {
    out.push(finding(range, 'error', 'opendkim/key-too-short',
      `This is a ${info.bits}-bit RSA key. RFC 8301 tells receivers to reject signatures made with RSA keys under ${MIN_RSA_BITS} bits, so your mail counts as unsigned. Generate a 2048-bit key (opendkim-genkey -b 2048) and publish its record.`));
  }
  // A key OpenDKIM cannot load is reported above (key-not-private-key), not twice.
  if (info.isPrivateKey !== false) {
    const mismatch = keyAlgorithmMismatch(info.algorithm, info.bits, path, range, kc.signing ?? [], failedKeyOutcome(kc));
    if (mismatch) out.push(mismatch);
  }
  if (info.mode !== undefined && kc.safeKeys) {
    const perms = (info.mode & 0o777).toString(8).padStart(3, '0');
    if ((info.mode & 0o006) !== 0) {
      out.push(finding(range, 'error', 'opendkim/key-file-permissions',
        `${path} can be ${info.mode & 0o004 ? 'read' : 'written'} by every user (mode ${perms}). OpenDKIM refuses such a key ("key data is not secure") because RequireSafeKeys is on, so mail leaves unsigned; anyone on the machine could also copy the key and sign as you. Run chmod 600 ${path}.`));
    } else if ((info.mode & 0o060) !== 0) {
      out.push(finding(range, 'warning', 'opendkim/key-file-permissions',
        `${path} is accessible to its group${info.group ? ` ${info.group}` : ''} (mode ${perms}). OpenDKIM refuses the key when any other user is in that group — for example postfix, added to the opendkim group for the socket — and then signs nothing. Run chmod 600 ${path}.`));
    }
  }
  if (info.owner !== undefined && info.owner !== 'root' && kc.user !== undefined && info.owner !== kc.user && kc.safeKeys) {
    out.push(finding(range, 'error', 'opendkim/key-file-permissions',
      `${path} belongs to ${info.owner}, but OpenDKIM runs as ${kc.user} (UserID) and accepts only keys owned by itself or root ("key data is not secure"). Run chown ${kc.user} ${path}.`));
  }
  return out;
}

/** A key path as a KeyFileRef: with its place in the workspace when it lies below the configuration root. */
export function keyRef(root: string, path: string, baseDir: string): KeyFileRef {
  const r = resolveServerPath(root, path, baseDir);
  return r && !r.relative ? { path, uri: r.uri } : { path };
}

export function checkKeyTableKeyFiles(ctx: AnalysisContext): Finding[] {
  const env = opendkimEnvironment(ctx.workspace);
  const tree = ctx.doc.analysis.parse.tree as KeyTableTree;
  if (!tree || tree.kind !== 'opendkim-keytable') return [];
  const users = confsUsing(ctx.workspace, ctx.doc).filter((u) => u.link.placed.key === 'keytable').map((u) => u.conf);
  const root = users[0] ? configRootOf(ctx.workspace, users[0]) : uriDirname(ctx.doc.uri);
  const kc = keyContexts(ctx.workspace, users);
  // Only the instances whose SigningTable may pick a key sign with it.
  const signersOf = keySigners(ctx.workspace, users);
  const out: Finding[] = [];
  for (const e of tree.entries) {
    if (!e.key) continue;
    const entryKc: KeyContext = { ...kc, signing: signersOf(e.name.text) };
    if (e.keyKind === 'path') {
      if (env.keyFileInfo) out.push(...keyFileFindings(env.keyFileInfo(keyRef(root, e.key.text, uriDirname(ctx.doc.uri))), e.key.text, e.key.range, entryKc));
    } else if (e.keyKind === 'data') {
      // Named by what it is, never by its text: that is the private key.
      if (isInlineEd25519Key(e.key.text)) {
        out.push(finding(e.key.range, 'error', 'opendkim/key-not-private-key', inlineEd25519Message(e.name.text, entryKc)));
        continue;
      }
      const type = inlineKeyType(e.key.text);
      const mismatch = type && keyAlgorithmMismatch(type, undefined, `The key written inline for "${e.name.text}"`, e.key.range, entryKc.signing ?? [], failedKeyOutcome(entryKc));
      if (mismatch) out.push(mismatch);
    }
  }
  return uniqueFindings(out);
}

export function checkConfKeyFile(ctx: AnalysisContext): Finding[] {
  const env = opendkimEnvironment(ctx.workspace);
  if (!env.keyFileInfo || !confTree(ctx.doc)) return [];
  const link = opendkimTables(ctx.workspace, ctx.doc).keyFile;
  if (!link || link.placed.doc.uri !== ctx.doc.uri || effectiveConf(ctx.workspace, ctx.doc).get('keytable')) return [];
  const ref: KeyFileRef = link.resolved.relative ? { path: link.path.text } : { path: link.path.text, uri: link.resolved.uri };
  return keyFileFindings(env.keyFileInfo(ref), link.path.text, link.path.range, keyContexts(ctx.workspace, [ctx.doc]));
}
