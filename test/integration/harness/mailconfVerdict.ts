// mailconf's verdict on a rendered fixture: every file of the run's /etc copy goes into one
// Workspace (as the CLI does), `diagnose()` runs on each, and the `milter/*` errors are
// attributed to the submission path they concern:
//
//   - a finding in main.cf belongs to the parameter of its (logical) line: `smtpd_milters`
//     → the SMTP path, `non_smtpd_milters` → the sendmail path;
//   - a finding in master.cf belongs to a `-o smtpd_milters=` / `-o non_smtpd_milters=`
//     override on its line, else to its service's command: smtpd → SMTP, cleanup or
//     pickup → sendmail;
//   - a finding elsewhere (opendkim.conf's Socket …) takes the paths of its related
//     locations in the Postfix files;
//   - what none of these decides is decided by the parameter names its message mentions,
//     and failing that it concerns both paths.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Workspace, type WorkspaceDocument } from '../../../server/src/core/stack/workspace';
import { diagnose } from '../../../server/src/core/checks';
import { kindFromName } from '../../../server/src/core/kinds';
import type { Settings } from '../../../server/src/core/settings';
import type { Finding, Range } from '../../../server/src/core/types';
import type { SubmissionPath } from './mailStack';

/** Debian 12's Postfix, the one the test runs. */
export const SETTINGS: Settings = { postfixVersion: '3.7' };

export interface AttributedFinding {
  file: string;
  line: number;
  code: string;
  severity: Finding['severity'];
  message: string;
  paths: SubmissionPath[];
  /** The finding's quick fixes (edits of the rendered files). */
  fixes: NonNullable<Finding['fixes']>;
}

export interface MailconfVerdict {
  /** Every finding of every file (for diagnosis when an assertion fails). */
  all: AttributedFinding[];
  /** The error-severity `milter/*` findings, with their paths. */
  milterErrors: AttributedFinding[];
}

const BOTH: SubmissionPath[] = ['smtp', 'sendmail'];

export function mailconfVerdict(etcDir: string, files: string[]): MailconfVerdict {
  const workspace = new Workspace();
  const docs: WorkspaceDocument[] = [];
  for (const file of files) {
    const kind = kindFromName(path.basename(file), path.basename(path.dirname(file)));
    if (!kind) continue;
    docs.push(workspace.setOnDisk(pathToFileURL(file).href, kind, fs.readFileSync(file, 'utf8')));
  }
  const all: AttributedFinding[] = [];
  for (const doc of docs) {
    for (const f of diagnose({ doc, workspace, settings: SETTINGS })) {
      all.push({
        file: path.relative(etcDir, fileURLToPath(doc.uri)),
        line: f.range.start.line + 1,
        code: f.code,
        severity: f.severity,
        message: f.message,
        paths: f.code.startsWith('milter/') ? pathsOf(workspace, doc, f) : [],
        fixes: f.fixes ?? [],
      });
    }
  }
  return { all, milterErrors: all.filter((f) => f.code.startsWith('milter/') && f.severity === 'error') };
}

function pathsOf(workspace: Workspace, doc: WorkspaceDocument, f: Finding): SubmissionPath[] {
  const own = pathsAt(doc, f.range);
  if (own) return own;
  const fromRelated = new Set<SubmissionPath>();
  for (const r of f.related ?? []) {
    const other = workspace.get(r.uri);
    for (const p of (other && pathsAt(other, r.range)) ?? []) fromRelated.add(p);
  }
  if (fromRelated.size) return [...fromRelated];
  return pathsMentioned(f.message) ?? BOTH;
}

/** The paths a location in main.cf or master.cf concerns, or undefined when it does not tell. */
function pathsAt(doc: WorkspaceDocument, range: Range): SubmissionPath[] | undefined {
  const lines = doc.analysis.text.split(/\r\n|\r|\n/);
  if (doc.kind === 'postfix-main') {
    const start = logicalLineStart(lines, range.start.line);
    const m = /^\s*([A-Za-z0-9_]+)\s*=/.exec(lines[start] ?? '');
    return m ? pathsOfParameter(m[1]) : undefined;
  }
  if (doc.kind === 'postfix-master') {
    const here = lines[range.start.line] ?? '';
    const override = /-o\s*(non_smtpd_milters|smtpd_milters)\s*=/.exec(here);
    if (override) return pathsOfParameter(override[1]);
    const service = (lines[logicalLineStart(lines, range.start.line)] ?? '').trim().split(/\s+/);
    const command = service[7];
    if (command === 'smtpd') return ['smtp'];
    if (command === 'cleanup' || command === 'pickup') return ['sendmail'];
    return undefined;
  }
  return undefined;
}

function pathsOfParameter(name: string): SubmissionPath[] | undefined {
  if (name === 'smtpd_milters') return ['smtp'];
  if (name === 'non_smtpd_milters') return ['sendmail'];
  return undefined;
}

/** Postfix continues a logical line on lines that start with white space. */
function logicalLineStart(lines: string[], line: number): number {
  let i = Math.min(line, lines.length - 1);
  while (i > 0 && /^[ \t]+\S/.test(lines[i]) && !/^\s*#/.test(lines[i])) i--;
  return i;
}

function pathsMentioned(message: string): SubmissionPath[] | undefined {
  const out: SubmissionPath[] = [];
  if (/\bsmtpd_milters\b/.test(message)) out.push('smtp');
  if (/\bnon_smtpd_milters\b/.test(message)) out.push('sendmail');
  return out.length ? out : undefined;
}
