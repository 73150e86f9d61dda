// One place that builds findings, so every Postfix parser reports the same shape.

import type { Finding, Fix, Range, Severity } from '../types';

export function makeFinding(code: string, severity: Severity, range: Range, message: string, fixes?: Fix[]): Finding {
  const f: Finding = { range, severity, code, message };
  if (fixes && fixes.length > 0) f.fixes = fixes;
  return f;
}

/** Quotes user text for a message, shortened so a 1 MB line does not become a 1 MB message. */
export function quote(text: string, max = 60): string {
  const t = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return `\`${t}\``;
}
