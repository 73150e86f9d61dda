// Output formats of `mailconf check`: compiler-style text lines for people and editors'
// problem matchers, and JSON for scripts.

import type { FileReport } from './checkFiles';
import type { Severity } from '../core/types';

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

export function sortedFindings(report: FileReport) {
  return [...report.findings].sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
}

export interface Totals {
  error: number;
  warning: number;
  information: number;
  hint: number;
  files: number;
}

export function totals(reports: FileReport[]): Totals {
  const t: Totals = { error: 0, warning: 0, information: 0, hint: 0, files: reports.length };
  for (const r of reports) for (const f of r.findings) t[f.severity]++;
  return t;
}

/** `file:line:col: severity code message`, 1-based line and column. */
export function formatText(reports: FileReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    for (const f of sortedFindings(r)) {
      const message = f.message.replace(/\s*\n\s*/g, ' ');
      lines.push(`${r.path}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code} ${message}`);
    }
  }
  const t = totals(reports);
  lines.push(`${t.files} file${t.files === 1 ? '' : 's'} checked: ${t.error} error${t.error === 1 ? '' : 's'}, ${t.warning} warning${t.warning === 1 ? '' : 's'}, ${t.information + t.hint} note${t.information + t.hint === 1 ? '' : 's'}`);
  return lines.join('\n') + '\n';
}

export function formatJson(reports: FileReport[]): string {
  return JSON.stringify({
    files: reports.map((r) => ({
      path: r.path,
      kind: r.kind,
      findings: sortedFindings(r).map((f) => ({
        line: f.range.start.line + 1,
        column: f.range.start.character + 1,
        endLine: f.range.end.line + 1,
        endColumn: f.range.end.character + 1,
        severity: f.severity,
        code: f.code,
        message: f.message,
      })),
    })),
    totals: totals(reports),
  }, null, 2) + '\n';
}
