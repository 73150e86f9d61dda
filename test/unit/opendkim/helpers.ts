// Shared helpers for the OpenDKIM parser tests: compact range strings and finding lists.

import type { DocumentKind } from '../../../server/src/core/kinds';
import type { Finding, Range } from '../../../server/src/core/types';
import { parseOpendkim } from '../../../server/src/core/opendkim/language';
import type {
  ConfTree, DefaultTree, HostListTree, KeyTableTree, SigningTableTree,
} from '../../../server/src/core/opendkim/tree';

/** "line:char-line:char", zero-based, for exact range assertions. */
export function r(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** Each finding as "severity code range". */
export function brief(findings: Finding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.code} ${r(f.range)}`);
}

export function conf(text: string) {
  const res = parseOpendkim(text, 'opendkim-conf');
  return { tree: res.tree as ConfTree, findings: res.findings };
}

export function debianDefault(text: string) {
  const res = parseOpendkim(text, 'opendkim-default');
  return { tree: res.tree as DefaultTree, findings: res.findings };
}

export function keyTable(text: string) {
  const res = parseOpendkim(text, 'opendkim-keytable');
  return { tree: res.tree as KeyTableTree, findings: res.findings };
}

export function signingTable(text: string) {
  const res = parseOpendkim(text, 'opendkim-signingtable');
  return { tree: res.tree as SigningTableTree, findings: res.findings };
}

export function hostList(text: string) {
  const res = parseOpendkim(text, 'opendkim-hostlist');
  return { tree: res.tree as HostListTree, findings: res.findings };
}

export function parseAs(kind: DocumentKind, text: string) {
  return parseOpendkim(text, kind);
}

/** Applies the edits of a finding's first fix to one-line-per-entry text (edits on distinct spots). */
export function applyFix(text: string, f: Finding): string {
  const fix = f.fixes?.[0];
  if (!fix) throw new Error(`${f.code} has no fix`);
  const lines = text.split('\n');
  const edits = [...fix.edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
  for (const e of edits) {
    if (e.range.start.line !== e.range.end.line) throw new Error('multi-line edit');
    const l = lines[e.range.start.line];
    lines[e.range.start.line] = l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
  }
  return lines.join('\n');
}
