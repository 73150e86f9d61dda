// Shared by the generation tests: in-memory workspaces laid out like /etc (plus zone files),
// applying a plan's edits to the documents (LSP semantics: all ranges refer to the text
// before the edit), and the findings mailconf itself reports on the result.

import * as crypto from 'node:crypto';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { detectKind, type DocumentKind } from '../../../server/src/core/kinds';
import { diagnose } from '../../../server/src/core/checks';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { LineIndex } from '../../../server/src/core/text/lines';
import type { Finding, TextEdit } from '../../../server/src/core/types';
import { buildDkimRecords, type DkimGenerateAlgorithm, type DkimGenerated } from '../../../server/src/core/records/dkim/generate';

export const ROOT = 'file:///srv/etc';

export function uriOf(serverPath: string): string {
  return serverPath.startsWith('/etc/') ? ROOT + serverPath.slice(4) : 'file://' + serverPath;
}

/** A workspace holding `files` (server paths; /etc/… lands below ROOT, which plays /etc). */
export function workspaceOf(files: Record<string, string>, kinds: Record<string, DocumentKind> = {}): Workspace {
  const ws = new Workspace();
  for (const [p, text] of Object.entries(files)) {
    const kind = kinds[p] ?? detectKind({ path: p, text });
    if (!kind) throw new Error(`no kind for ${p}`);
    ws.setOnDisk(uriOf(p), kind, text);
  }
  return ws;
}

/** The texts after applying edits (grouped by uri; each group's ranges refer to the old text). */
export function applyEdits(ws: Workspace, edits: Array<TextEdit & { uri: string }>): Map<string, string> {
  const out = new Map<string, string>();
  const byUri = new Map<string, Array<TextEdit & { uri: string }>>();
  for (const e of edits) byUri.set(e.uri, [...(byUri.get(e.uri) ?? []), e]);
  for (const [uri, list] of byUri) {
    const text = ws.get(uri)?.analysis.text;
    if (text === undefined) throw new Error(`edit of a document not in the workspace: ${uri}`);
    out.set(uri, applyTextEdits(text, list));
  }
  return out;
}

export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const index = new LineIndex(text);
  const spans = edits.map((e) => ({ s: index.offsetAt(e.range.start), t: index.offsetAt(e.range.end), text: e.newText }));
  spans.sort((a, b) => b.s - a.s || b.t - a.t);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].t > spans[i - 1].s) throw new Error('overlapping edits');
  }
  let out = text;
  for (const sp of spans) out = out.slice(0, sp.s) + sp.text + out.slice(sp.t);
  return out;
}

/** A new workspace: `ws`'s documents with the changed texts and the created files. */
export function afterEdits(ws: Workspace, changed: Map<string, string>, created: Array<{ uri: string; text: string }> = [], kinds: Record<string, DocumentKind> = {}): Workspace {
  const next = new Workspace();
  for (const d of ws.all()) next.setOnDisk(d.uri, d.kind, changed.get(d.uri) ?? d.analysis.text);
  for (const c of created) {
    const kind = kinds[c.uri] ?? detectKind({ path: c.uri.replace(/^file:\/\//, ''), text: c.text });
    if (!kind) throw new Error(`no kind for ${c.uri}`);
    next.setOnDisk(c.uri, kind, c.text);
  }
  return next;
}

export function findingsOf(ws: Workspace, uri: string): Finding[] {
  const doc = ws.get(uri);
  if (!doc) throw new Error(`not in the workspace: ${uri}`);
  return diagnose({ doc, workspace: ws, settings: DEFAULT_SETTINGS });
}

/** `severity code: message` of the errors and warnings of a document. */
export function problems(ws: Workspace, uri: string): string[] {
  return findingsOf(ws, uri).filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.severity} ${f.code}: ${f.message}`);
}

const keyCache = new Map<string, Uint8Array>();

/** The records of a fresh key (key pairs cached per algorithm: generating RSA keys is slow). */
export function generated(domain: string, selector: string, keyPath: string, algorithm: DkimGenerateAlgorithm = 'rsa2048'): DkimGenerated {
  let spki = keyCache.get(algorithm);
  if (!spki) {
    const bits = /^rsa(\d+)$/.exec(algorithm);
    const pair = bits ? crypto.generateKeyPairSync('rsa', { modulusLength: Number(bits[1]) }) : crypto.generateKeyPairSync('ed25519');
    spki = pair.publicKey.export({ type: 'spki', format: 'der' });
    keyCache.set(algorithm, spki);
  }
  return buildDkimRecords({ domain, selector, algorithm, publicKeySpki: spki, keyPath });
}

/** The head of a whole zone: SOA, NS and the name server's address (three lines). */
export const SOA = '@\tIN\tSOA\tns1 hostmaster 2024010101 3600 600 86400 300\n@\tIN\tNS\tns1\nns1\tIN\tA\t192.0.2.1\n';
