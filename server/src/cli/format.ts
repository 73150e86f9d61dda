// Output formats of `mailconf check`: compiler-style text lines for people and editors'
// problem matchers, and JSON for scripts. (SARIF for code scanning is in sarif.ts.)

import type { FileReport } from './checkFiles';
import type { Severity } from '../core/types';
import { NO_STYLE, type Styles } from './colour';

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

export function sortedFindings(report: FileReport) {
  return [...report.findings].sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
}

/** The reports with only the findings at `min` or more severe; the count of those left out. */
export function atLeast(reports: FileReport[], min: Severity): { reports: FileReport[]; hidden: number } {
  let hidden = 0;
  const kept = reports.map((r) => {
    const findings = r.findings.filter((f) => SEVERITY_ORDER[f.severity] <= SEVERITY_ORDER[min]);
    hidden += r.findings.length - findings.length;
    return findings.length === r.findings.length ? r : { ...r, findings };
  });
  return { reports: kept, hidden };
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

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export interface TextOptions {
  styles?: Styles;
  /** Findings left out by --min-severity, mentioned in the summary line. */
  hidden?: number;
}

/** `file:line:col: severity code message`, 1-based line and column, then a summary line. */
export function formatText(reports: FileReport[], options: TextOptions = {}): string {
  const s = options.styles ?? NO_STYLE;
  const lines: string[] = [];
  for (const r of reports) {
    for (const f of sortedFindings(r)) {
      // One line per finding (split, not /\s*\n\s*/, which is quadratic on long blank runs).
      const message = f.message.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' ');
      lines.push(`${s.place(`${r.path}:${f.range.start.line + 1}:${f.range.start.character + 1}:`)} ${s[f.severity](f.severity)} ${s.code(f.code)} ${message}`);
    }
  }
  const t = totals(reports);
  const notes = t.information + t.hint;
  const errors = plural(t.error, 'error');
  const hidden = options.hidden ? `; ${plural(options.hidden, 'finding')} below --min-severity not shown` : '';
  lines.push(`${plural(t.files, 'file')} checked: ${t.error > 0 ? s.error(errors) : errors}, ${plural(t.warning, 'warning')}, ${plural(notes, 'note')}${hidden}`);
  return lines.join('\n') + '\n';
}

export function formatJson(reports: FileReport[], options: { minSeverity?: Severity; hidden?: number } = {}): string {
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
    ...(options.minSeverity && options.minSeverity !== 'hint' ? { minSeverity: options.minSeverity, notShown: options.hidden ?? 0 } : {}),
  }, null, 2) + '\n';
}
