// The DKIM key check against live DNS (what opendkim-testkey does), for an open KeyTable:
// each entry's `selector._domainkey.domain` is looked up and the published p= compared with
// the public key of the private key file the entry names. Pure: DNS comes through the
// Resolver interface and the key files' public keys through a callback the front end gives
// (it derives them with node:crypto; private material never reaches the core).

import type { AnalysisContext } from '../context';
import type { Finding, Range } from '../types';
import type { Resolver } from './resolver';
import type { KeyTableEntry, KeyTableTree } from '../opendkim/tree';
import { configRootOf, confsUsing, resolveServerPath } from '../opendkim/checks/links';
import { uriDirname } from '../stack/postfixInstance';
import { dkimPublicKeyOf } from '../records/dkim/index';

/** The base64-free public key of a key file: DER SubjectPublicKeyInfo, or undefined when unknown. */
export type PublicKeyOfFile = (ref: { path: string; uri?: string }) => Uint8Array | undefined;

/** One KeyTable entry whose key record can be looked up. */
export interface KeyTableDnsName {
  entry: KeyTableEntry;
  /** `selector._domainkey.domain`, lower-cased, without a trailing dot. */
  name: string;
  /** From the domain to the selector: where DNS findings about the entry sit. */
  range: Range;
  /** The key file, when the entry names one by path. */
  keyFile?: { path: string; uri?: string };
}

/** The names a KeyTable's entries publish their keys at (entries with `%` or without a selector are skipped). */
export function keyTableDnsNames(ctx: AnalysisContext): KeyTableDnsName[] {
  const tree = ctx.doc.analysis.parse.tree as KeyTableTree | undefined;
  if (!tree || tree.kind !== 'opendkim-keytable') return [];
  const users = confsUsing(ctx.workspace, ctx.doc).filter((u) => u.link.placed.key === 'keytable').map((u) => u.conf);
  const root = users[0] ? configRootOf(ctx.workspace, users[0]) : uriDirname(ctx.doc.uri);
  const out: KeyTableDnsName[] = [];
  for (const entry of tree.entries) {
    const { domain, selector } = entry;
    if (!domain || !selector || domain.text === '' || selector.text === '' || domain.text.includes('%')) continue;
    const name = `${selector.text}._domainkey.${domain.text}`.toLowerCase().replace(/\.$/, '');
    const first = domain.range.start.line < selector.range.start.line ||
      (domain.range.start.line === selector.range.start.line && domain.range.start.character <= selector.range.start.character);
    const range = first ? { start: domain.range.start, end: selector.range.end } : { start: selector.range.start, end: domain.range.end };
    let keyFile: KeyTableDnsName['keyFile'];
    if (entry.keyKind === 'path' && entry.key) {
      const r = resolveServerPath(root, entry.key.text, uriDirname(ctx.doc.uri));
      keyFile = r && !r.relative ? { path: entry.key.text, uri: r.uri } : { path: entry.key.text };
    }
    out.push({ entry, name, range, keyFile });
  }
  return out;
}

function finding(range: Range, severity: Finding['severity'], code: string, message: string): Finding {
  return { range, severity, code, message };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
    const keyRecords = answer.records.map((strings) => strings.join('')).filter((v) => /^\s*v\s*=\s*DKIM1\s*(;|$)/i.test(v) || /(^|;)\s*p\s*=/.test(v));
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
    const fileKey = n.keyFile ? publicKeyOf(n.keyFile) : undefined;
    if (!fileKey) return;
    const published = keyRecords.map((v) => dkimPublicKeyOf(v)).filter((k) => k !== undefined);
    if (published.length === 0 || published.some((k) => sameBytes(k.spkiDer, fileKey))) return;
    const range = n.entry.key?.range ?? n.range;
    out.push(finding(range, 'error', 'dns/dkim-key-mismatch',
      `The key published at ${shown} is not the public half of ${n.keyFile!.path}. Receivers check OpenDKIM's signatures against the published key, so every signature made with this file fails. Publish the record opendkim-genkey wrote for this key (or derive it: openssl rsa -in ${n.keyFile!.path} -pubout), or point the entry at the key that matches.`));
  });
  return out;
}
