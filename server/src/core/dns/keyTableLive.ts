// The DKIM key check against live DNS (what opendkim-testkey does), for an open KeyTable:
// each entry's `selector._domainkey.domain` is looked up and the published p= compared with
// the public key of the private key the entry names. Pure: DNS comes through the Resolver
// interface and the public keys through a callback the front end gives (it derives them with
// node:crypto, from the key file or from key data written in the KeyTable itself; the core
// never reads a file, and no output carries private material).
//
// Where the key is: OpenDKIM reads the third field as a file when it starts with "/", "./"
// or "../", else as the key itself (PEM or base64 DER). A relative path is opened from the
// daemon's working directory: BaseDirectory when opendkim.conf sets one (opendkim chdir()s
// there), otherwise wherever it was started (systemd: "/") — which the files do not tell.

import type { AnalysisContext } from '../context';
import type { Finding, Range } from '../types';
import type { Resolver } from './resolver';
import type { KeyTableEntry, KeyTableTree } from '../opendkim/tree';
import { configRootOf, confsUsing, effectiveConf, resolveServerPath } from '../opendkim/checks/links';
import { uriDirname } from '../stack/postfixInstance';
import { dkimPublicKeyOf } from '../records/dkim/index';

/**
 * The public key (DER SubjectPublicKeyInfo) of an entry's private key, or undefined when
 * unknown: of the file at `uri`, or of `inlineKey` (the KeyTable's own key data, PEM or
 * base64 DER; `path` is then empty). Front ends that cannot read inline keys ignore it.
 */
export type PublicKeyOfFile = (ref: { path: string; uri?: string; inlineKey?: string }) => Uint8Array | undefined;

/** One KeyTable entry whose key record can be looked up. */
export interface KeyTableDnsName {
  entry: KeyTableEntry;
  /** `selector._domainkey.domain`, lower-cased, without a trailing dot. */
  name: string;
  /** From the domain to the selector: where DNS findings about the entry sit. */
  range: Range;
  /** The key file, when the entry names one by path. */
  keyFile?: { path: string; uri?: string };
  /**
   * The path is relative and opendkim.conf sets no BaseDirectory: OpenDKIM opens it from its
   * working directory, which the files do not tell.
   */
  keyPathUnresolvable?: boolean;
}

/** `base` + `relative` as POSIX paths, with `.` and `..` folded (`..` stops at the root). */
function joinPosix(base: string, relative: string): string {
  const parts: string[] = [];
  for (const seg of `${base}/${relative}`.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return '/' + parts.join('/');
}

/** The names a KeyTable's entries publish their keys at (entries with `%` or without a selector are skipped). */
export function keyTableDnsNames(ctx: AnalysisContext): KeyTableDnsName[] {
  const tree = ctx.doc.analysis.parse.tree as KeyTableTree | undefined;
  if (!tree || tree.kind !== 'opendkim-keytable') return [];
  const users = confsUsing(ctx.workspace, ctx.doc).filter((u) => u.link.placed.key === 'keytable').map((u) => u.conf);
  const root = users[0] ? configRootOf(ctx.workspace, users[0]) : uriDirname(ctx.doc.uri);
  // OpenDKIM chdir()s to BaseDirectory before reading keys: relative key paths start there.
  const baseDir = users[0] ? effectiveConf(ctx.workspace, users[0]).get('basedirectory')?.option.value?.text : undefined;
  const out: KeyTableDnsName[] = [];
  for (const entry of tree.entries) {
    const { domain, selector } = entry;
    if (!domain || !selector || domain.text === '' || selector.text === '' || domain.text.includes('%')) continue;
    const name = `${selector.text}._domainkey.${domain.text}`.toLowerCase().replace(/\.$/, '');
    const first = domain.range.start.line < selector.range.start.line ||
      (domain.range.start.line === selector.range.start.line && domain.range.start.character <= selector.range.start.character);
    const range = first ? { start: domain.range.start, end: selector.range.end } : { start: selector.range.start, end: domain.range.end };
    let keyFile: KeyTableDnsName['keyFile'];
    let keyPathUnresolvable: boolean | undefined;
    if (entry.keyKind === 'path' && entry.key) {
      const path = entry.key.text;
      const absolute = path.startsWith('/') ? path : baseDir?.startsWith('/') ? joinPosix(baseDir, path) : undefined;
      const r = absolute ? resolveServerPath(root, absolute, uriDirname(ctx.doc.uri)) : undefined;
      keyFile = r ? { path, uri: r.uri } : { path };
      if (!absolute) keyPathUnresolvable = true;
    }
    out.push({ entry, name, range, keyFile, ...(keyPathUnresolvable ? { keyPathUnresolvable } : {}) });
  }
  return out;
}

function finding(range: Range, severity: Finding['severity'], code: string, message: string): Finding {
  return { range, severity, code, message };
}

/** Byte-for-byte equality of two keys (DER). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A TXT value that is a DKIM key record: v=DKIM1 first, or a p= tag. */
export function isKeyRecord(value: string): boolean {
  return /^\s*v\s*=\s*DKIM1\s*(;|$)/i.test(value) || /(^|;)\s*p\s*=/.test(value);
}

/** True when a DKIM key record's t= flags include y (testing). */
function isTesting(value: string): boolean {
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim().toLowerCase() !== 't') continue;
    return part.slice(eq + 1).split(':').some((f) => f.trim().toLowerCase() === 'y');
  }
  return false;
}

/** The DNS findings for an open KeyTable. A lookup that fails is reported once per document. */
export async function checkKeyTableLive(ctx: AnalysisContext, resolver: Resolver, publicKeyOf: PublicKeyOfFile): Promise<Finding[]> {
  const names = keyTableDnsNames(ctx);
  const answers = await Promise.all(names.map((n) => resolver.txt(n.name)));
  const out: Finding[] = [];
  let failureReported = false;
  names.forEach((n, i) => {
    const answer = answers[i];
    const shown = '`' + n.name + '`';
    if (answer.status === 'servfail' || answer.status === 'timeout') {
      if (failureReported) return;
      failureReported = true;
      const why = answer.status === 'timeout' ? 'no DNS server answered in time' : `the DNS server failed (${answer.detail ?? 'SERVFAIL'})`;
      out.push(finding(n.range, 'information', 'dns/lookup-failed',
        `Could not check the published DKIM keys: looking up ${shown} failed because ${why}. The other entries were not checked either when their lookups failed the same way. Check mailconf.dns.servers and the network; the check runs again when the file changes.`));
      return;
    }
    if (answer.status === 'nxdomain' || answer.status === 'nodata') {
      out.push(finding(n.range, 'error', 'dns/dkim-not-published',
        `DNS has no key at ${shown} (${answer.status === 'nxdomain' ? 'the name does not exist' : 'no TXT record there'}). Receivers cannot verify the signatures OpenDKIM makes with this entry, so DKIM fails for every message. Publish the TXT record from the .txt file opendkim-genkey wrote beside the key.`));
      return;
    }
    const keyRecords = answer.records.map((strings) => strings.join('')).filter(isKeyRecord);
    if (keyRecords.length === 0) {
      out.push(finding(n.range, 'error', 'dns/dkim-not-published',
        `The TXT records at ${shown} hold no DKIM key (no v=DKIM1 or p=). Receivers cannot verify the signatures OpenDKIM makes with this entry. Publish the TXT record from the .txt file opendkim-genkey wrote beside the key.`));
      return;
    }
    if (keyRecords.length > 1) {
      out.push(finding(n.range, 'warning', 'dns/dkim-several-records',
        `DNS publishes ${keyRecords.length} DKIM key records at ${shown}. Verifiers take one of them (which one is not defined), so signatures fail some of the time. Keep one record per selector; use a new selector when rotating keys.`));
    }
    if (keyRecords.some(isTesting)) {
      out.push(finding(n.range, 'information', 'dns/dkim-testing',
        `The key published at ${shown} still has t=y (testing): receivers treat failed signatures as if the mail were unsigned, and DMARC gains nothing from DKIM. Remove t=y once signing works.`));
    }
    const range = n.entry.key?.range ?? n.range;
    if (n.keyPathUnresolvable && n.keyFile) {
      out.push(finding(range, 'information', 'dns/dkim-key-unresolvable',
        `The key published at ${shown} was not compared with ${n.keyFile.path}: OpenDKIM opens a relative key path from its working directory, which is BaseDirectory when opendkim.conf sets one — it sets none, so the file depends on where opendkim was started (under systemd: /, making it ${joinPosix('/', n.keyFile.path)}). Write the absolute path of the key file, or set BaseDirectory.`));
      return;
    }
    const inline = n.entry.keyKind === 'data' && n.entry.key ? n.entry.key.text : undefined;
    const fileKey = n.keyFile ? publicKeyOf(n.keyFile) : inline ? publicKeyOf({ path: '', inlineKey: inline }) : undefined;
    if (!fileKey) return;
    const published = keyRecords.map((v) => dkimPublicKeyOf(v)).filter((k) => k !== undefined);
    if (published.length === 0 || published.some((k) => sameBytes(k.spkiDer, fileKey))) return;
    if (!n.keyFile) {
      out.push(finding(range, 'error', 'dns/dkim-key-mismatch',
        `The key published at ${shown} is not the public half of the private key written in this KeyTable entry. Receivers check OpenDKIM's signatures against the published key, so every signature made with it fails. Publish the public half of this key (openssl pkey -pubout on it), or put the key that matches in the entry.`));
      return;
    }
    out.push(finding(range, 'error', 'dns/dkim-key-mismatch',
      `The key published at ${shown} is not the public half of ${n.keyFile.path}. Receivers check OpenDKIM's signatures against the published key, so every signature made with this file fails. Publish the record opendkim-genkey wrote for this key (or derive it: openssl rsa -in ${n.keyFile.path} -pubout), or point the entry at the key that matches.`));
  });
  return out;
}
