// Small helpers shared by the Postfix tests.
import type { Finding, Range } from '../../../server/src/core/types';
import { parsePostfix } from '../../../server/src/core/postfix/language';
import type { MainCfTree, MasterCfTree } from '../../../server/src/core/postfix/tree';

/** A range as [startLine, startChar, endLine, endChar], for short exact assertions. */
export function r(range: Range): [number, number, number, number] {
  return [range.start.line, range.start.character, range.end.line, range.end.character];
}

/** Findings as [code, severity, range] triples. */
export function brief(findings: Finding[]): Array<[string, string, [number, number, number, number]]> {
  return findings.map((f) => [f.code, f.severity, r(f.range)]);
}

export function main(text: string): { tree: MainCfTree; findings: Finding[] } {
  const res = parsePostfix(text, 'postfix-main');
  return { tree: res.tree as MainCfTree, findings: res.findings };
}

export function master(text: string): { tree: MasterCfTree; findings: Finding[] } {
  const res = parsePostfix(text, 'postfix-master');
  return { tree: res.tree as MasterCfTree, findings: res.findings };
}

export function errors(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error');
}
