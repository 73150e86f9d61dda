// Shared helpers of the OpenDKIM semantic-check tests: an in-memory workspace laid out like
// /etc, diagnose() per file, compact finding descriptions and applying quick-fix edits.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace, type WorkspaceDocument } from '../../../server/src/core/stack/workspace';
import { detectKind, type DocumentKind } from '../../../server/src/core/kinds';
import { diagnose } from '../../../server/src/core/checks';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { LineIndex } from '../../../server/src/core/text/lines';
import type { Finding, Fix, Range, TextEdit } from '../../../server/src/core/types';
import { opendkimFilesWanted } from '../../../server/src/core/opendkim/checks/index';

export const ROOT = 'file:///srv/etc';

/** A workspace with `files` (server paths such as /etc/opendkim.conf) below ROOT, which plays /etc. */
export function workspaceOf(files: Record<string, string>, kinds: Record<string, DocumentKind> = {}): Workspace {
  const ws = new Workspace();
  for (const [p, text] of Object.entries(files)) add(ws, p, text, kinds[p]);
  return ws;
}

export function uriOf(serverPath: string): string {
  return ROOT + serverPath.replace(/^\/etc/, '');
}

export function add(ws: Workspace, serverPath: string, text: string, kind?: DocumentKind): WorkspaceDocument {
  const k = kind ?? detectKind({ path: serverPath, text });
  if (!k) throw new Error(`no kind for ${serverPath}`);
  return ws.setOnDisk(uriOf(serverPath), k, text);
}

export function doc(ws: Workspace, serverPath: string): WorkspaceDocument {
  const d = ws.get(uriOf(serverPath));
  if (!d) throw new Error(`not in the workspace: ${serverPath}`);
  return d;
}

/** Every finding of a file (syntax and semantic). */
export function diagnoseFile(ws: Workspace, serverPath: string): Finding[] {
  return diagnose({ doc: doc(ws, serverPath), workspace: ws, settings: DEFAULT_SETTINGS });
}

/** The semantic findings only (what the checks add to the parser's). */
export function checksOf(ws: Workspace, serverPath: string): Finding[] {
  const d = doc(ws, serverPath);
  const syntax = new Set(d.analysis.parse.findings);
  return diagnose({ doc: d, workspace: ws, settings: DEFAULT_SETTINGS }).filter((f) => !syntax.has(f));
}

export function r(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** "severity code range" of each finding. */
export function brief(findings: Finding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.code} ${r(f.range)}`);
}

/** Findings of one file with the given code. */
export function withCode(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

/** Applies text edits (any lines) to `text`; edits must not overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const index = new LineIndex(text);
  const offset = (p: Range['start']) => index.lineStart(p.line) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/** Applies a fix: edits without uri go to `ownUri`; returns the new text of each touched document. */
export function applyFix(ws: Workspace, ownUri: string, fix: Fix): Map<string, string> {
  const byUri = new Map<string, TextEdit[]>();
  for (const e of fix.edits) {
    const uri = e.uri ?? ownUri;
    byUri.set(uri, [...(byUri.get(uri) ?? []), e]);
  }
  const out = new Map<string, string>();
  for (const [uri, edits] of byUri) {
    const d = ws.get(uri);
    if (!d) throw new Error(`fix edits a document not in the workspace: ${uri}`);
    out.set(uri, applyEdits(d.analysis.text, edits));
  }
  return out;
}

/** Applies a fix in place (the workspace documents get the new text). */
export function applyFixInPlace(ws: Workspace, ownUri: string, fix: Fix): void {
  for (const [uri, text] of applyFix(ws, ownUri, fix)) {
    const d = ws.get(uri)!;
    ws.setOnDisk(uri, d.kind, text);
  }
}

/** The sample folders' files (samples/NNN-*), as a workspace whose root is the sample's etc/. */
export function sampleWorkspace(sample: string): { ws: Workspace; root: string } {
  const base = path.resolve(__dirname, '../../../samples', sample, 'etc');
  const root = 'file://' + base;
  const ws = new Workspace();
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const file of walk(base)) {
    const text = fs.readFileSync(file, 'utf8');
    const kind = detectKind({ path: file, text });
    if (kind) ws.setOnDisk('file://' + file, kind, text);
  }
  // As a front end does: load the tables opendkim.conf names with the kind its option implies
  // (samples/001's InternalHosts file is called just "trusted").
  for (const wanted of opendkimFilesWanted(ws)) {
    const file = decodeURIComponent(wanted.uri.replace(/^file:\/\//, ''));
    if (wanted.kind && !ws.get(wanted.uri) && fs.existsSync(file)) ws.setOnDisk(wanted.uri, wanted.kind, fs.readFileSync(file, 'utf8'));
  }
  return { ws, root };
}
