// Small helpers shared by the zone tests.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { zoneLanguage } from '../../../server/src/core/zone/language';
import type { ZoneDirective, ZoneEntry, ZoneRecord, ZoneTree } from '../../../server/src/core/zone/tree';
import type { Finding } from '../../../server/src/core/types';

export const REPO = path.resolve(__dirname, '../../..');
export const CORPUS = path.resolve(__dirname, '../../../../shared/corpus');
export const SEEDS = path.resolve(__dirname, '../../../../shared/seeds');
export const SAMPLES = path.join(REPO, 'samples');

export function parse(text: string): { tree: ZoneTree; findings: Finding[] } {
  return zoneLanguage.parse(text, 'dns-zone');
}

export function records(tree: ZoneTree): ZoneRecord[] {
  return tree.entries.filter((e): e is ZoneRecord => e.kind === 'record');
}

export function directives(tree: ZoneTree): ZoneDirective[] {
  return tree.entries.filter((e): e is ZoneDirective => e.kind === 'directive');
}

/** `code@line:start-line:end` for compact, exact assertions. */
export function where(f: Finding): string {
  const r = f.range;
  return `${f.code}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

export function wheres(findings: Finding[]): string[] {
  return findings.map(where);
}

export function errors(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error');
}

/** [line, start, end, text] of a token, for compact assertions. */
export function tok(t: { line: number; start: number; end: number; text: string } | undefined): [number, number, number, string] | undefined {
  return t ? [t.line, t.start, t.end, t.text] : undefined;
}

export function readText(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

/** Everything a tree says, as plain data (tokens materialized), for deep comparison. */
export function snapshot(tree: ZoneTree): unknown {
  return {
    lineCount: tree.lineCount,
    unbalancedToEnd: tree.unbalancedToEnd,
    entries: tree.entries.map((e) => {
      const tokens = [];
      for (let i = 0; i < e.tokenCount + e.commentCount; i++) tokens.push(e.token(i));
      const common = {
        kind: e.kind, firstLine: e.firstLine, lastLine: e.lastLine, endChar: e.endChar, startOffset: e.startOffset,
        origin: e.origin, defaultTtl: e.defaultTtl ?? null, findings: e.findings ?? null, tokens, tokenCount: e.tokenCount,
      };
      if (e.kind === 'record') {
        return { ...common, owner: e.owner, ownerOrigin: e.ownerOrigin, layout: e.layout, ttlSeconds: e.ttlSeconds ?? null, typeName: e.typeName, typeCode: e.typeCode };
      }
      if (e.kind === 'directive') return { ...common, directive: e.directive ?? null };
      return common;
    }),
  };
}

export type { ZoneEntry };
