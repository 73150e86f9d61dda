// Shared by the zone checks tests: a workspace of zone files in memory, diagnose(), and
// compact views of findings and fixes.

import { Workspace } from '../../../server/src/core/stack/workspace';
import type { WorkspaceDocument } from '../../../server/src/core/stack/workspace';
import { diagnose } from '../../../server/src/core/checks';
import type { Finding, TextEdit } from '../../../server/src/core/types';
import type { AnalysisContext } from '../../../server/src/core/context';

export const SETTINGS = { postfixVersion: 'latest' as const };

/** A workspace holding `files` (uri → text) as zone files. */
export function zoneWorkspace(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  for (const [uri, text] of Object.entries(files)) ws.setOnDisk(uri, 'dns-zone', text);
  return ws;
}

export function contextFor(ws: Workspace, uri: string): AnalysisContext {
  return { doc: ws.get(uri)! as WorkspaceDocument, workspace: ws, settings: SETTINGS };
}

/** Every finding of `uri` in a workspace of `files`. */
export function diagnoseZone(files: Record<string, string>, uri: string): Finding[] {
  return diagnose(contextFor(zoneWorkspace(files), uri));
}

/** The findings of one zone text as /etc/bind/db.example.org. */
export function diagnoseText(text: string, uri = 'file:///etc/bind/db.example.org'): Finding[] {
  return diagnoseZone({ [uri]: text }, uri);
}

/** `code@line:start-line:end` */
export function where(f: Finding): string {
  const r = f.range;
  return `${f.code}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** `severity code@range` of each finding, in document order (then by code). */
export function brief(findings: Finding[]): string[] {
  return [...findings]
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((f) => `${f.severity} ${where(f)}`);
}

/** Applies edits (same document, non-overlapping) to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offsetOf = (line: number, character: number) => {
    let o = 0;
    for (let i = 0; i < line; i++) o += lines[i].length + 1;
    return o + character;
  };
  const sorted = [...edits].sort((a, b) => offsetOf(b.range.start.line, b.range.start.character) - offsetOf(a.range.start.line, a.range.start.character));
  let out = text;
  for (const e of sorted) {
    const s = offsetOf(e.range.start.line, e.range.start.character);
    const t = offsetOf(e.range.end.line, e.range.end.character);
    out = out.slice(0, s) + e.newText + out.slice(t);
  }
  return out;
}
