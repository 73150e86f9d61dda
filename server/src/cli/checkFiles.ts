// Reads files from disk and runs the core on them: the CLI's whole "check" job, kept apart
// from argument parsing and output so tests can call it directly.

import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { attachDiskEnvironment, loadOpendkimFiles } from '../node/opendkimEnvironment';
import { Workspace, type WorkspaceDocument } from '../core/stack/workspace';
import { diagnose } from '../core/checks';
import { DEFAULT_SETTINGS, type Settings } from '../core/settings';
import type { DocumentKind } from '../core/kinds';
import type { AnalysisContext } from '../core/context';
import type { Finding } from '../core/types';
import { range } from '../core/types';

export interface FileReport {
  path: string;
  kind: DocumentKind;
  findings: Finding[];
  /** The file's text, when it was read (SARIF fingerprints quote the finding's line). */
  text?: string;
}

/** Files above this size get a single finding instead of a parse (a guard, not a target). */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

function fileFinding(code: string, severity: Finding['severity'], message: string): Finding {
  return { range: range(0, 0, 0, 0), severity, code, message };
}

export interface CheckOptions {
  settings?: Settings;
  /** The folder that plays /etc, when the files given are a complete copy of it. */
  configRoot?: string;
  /** Called after each file is read (and parsed) and after each file is checked. */
  onProgress?: (phase: 'read' | 'check', done: number, total: number) => void;
}

/** The reports, and what later checks (live DNS) need to look at each checked document again. */
export interface CheckedWorkspace {
  reports: FileReport[];
  documents: Array<{ report: FileReport; ctx: AnalysisContext }>;
}

/**
 * Loads every file into one workspace model first (so cross-file checks see the whole
 * mail stack: main.cf with its master.cf, opendkim.conf with the tables it names …), then
 * collects each file's findings: the given files in input order, then the files the
 * configurations named that were found only that way (a host list called `trusted`).
 */
export function checkFiles(files: Array<{ path: string; kind: DocumentKind }>, options: CheckOptions = {}): FileReport[] {
  return checkWorkspace(files, options).reports;
}

/** checkFiles, keeping the workspace model for checks that run afterwards. */
export function checkWorkspace(files: Array<{ path: string; kind: DocumentKind }>, options: CheckOptions = {}): CheckedWorkspace {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const workspace = new Workspace();
  const loaded: Array<{ report: FileReport; doc: WorkspaceDocument }> = [];
  const reports: FileReport[] = [];
  /** Files read as UTF-8 that are not (Latin-1 …): a note goes before their findings. */
  const notUtf8 = new Map<FileReport, Finding>();
  const progress = options.onProgress ?? (() => {});
  files.forEach((f, index) => {
    progress('read', index, files.length);
    let data: Buffer;
    try {
      const st = fs.statSync(f.path);
      // Reading a named pipe or a device would block or never end.
      if (!st.isFile()) {
        reports.push({ ...f, findings: [fileFinding('syntax/unreadable-file', 'error', 'Not a regular file (a named pipe, socket or device): mailconf reads only regular files, so it was not checked.')] });
        return;
      }
      if (st.size > MAX_FILE_BYTES) {
        reports.push({ ...f, findings: [fileFinding('syntax/file-too-large', 'warning', `File is ${Math.round(st.size / 1048576)} MB, above the ${MAX_FILE_BYTES / 1048576} MB limit: not checked.`)] });
        return;
      }
      data = fs.readFileSync(f.path);
    } catch (e) {
      reports.push({ ...f, findings: [fileFinding('syntax/unreadable-file', 'error', `Cannot read the file: ${(e as Error).message}`)] });
      return;
    }
    if (data.subarray(0, 8192).includes(0)) {
      reports.push({ ...f, findings: [fileFinding('syntax/binary-file', 'warning', 'The file contains NUL bytes and looks binary (a compiled map such as a .db?): it is not a text configuration file and was not checked.')] });
      return;
    }
    const text = data.toString('utf8');
    const report: FileReport = { ...f, findings: [], text };
    reports.push(report);
    if (!isUtf8(data)) notUtf8.set(report, notUtf8Finding(text));
    loaded.push({ report, doc: workspace.setOnDisk(pathToFileURL(f.path).href, f.kind, text) });
  });
  progress('read', files.length, files.length);
  const given = new Set(loaded.map((l) => l.doc.uri));
  attachDiskEnvironment(workspace, options.configRoot);
  loadOpendkimFiles(workspace);
  for (const doc of workspace.all()) {
    if (given.has(doc.uri)) continue;
    const report: FileReport = { path: path.relative(process.cwd(), fileURLToPath(doc.uri)) || fileURLToPath(doc.uri), kind: doc.kind, findings: [], text: doc.analysis.text };
    reports.push(report);
    loaded.push({ report, doc });
  }
  const documents = loaded.map(({ report, doc }) => ({ report, ctx: { doc, workspace, settings } }));
  documents.forEach(({ report, ctx }, index) => {
    progress('check', index, documents.length);
    report.findings = diagnose(ctx);
    const note = notUtf8.get(report);
    if (note) report.findings.unshift(note);
  });
  progress('check', documents.length, documents.length);
  return { reports, documents };
}

/** The note for a file that is not UTF-8, at its first byte that does not decode (shown as U+FFFD). */
function notUtf8Finding(text: string): Finding {
  const at = Math.max(0, text.indexOf('\uFFFD'));
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) { line++; lineStart = i + 1; }
  }
  return {
    range: range(line, at - lineStart, line, at - lineStart + 1),
    severity: 'information',
    code: 'syntax/not-utf8',
    message: 'The file is not valid UTF-8 (Latin-1 or Windows-1252?): this is its first byte that does not decode, shown as \uFFFD. ' +
      'Postfix and OpenDKIM compare bytes, so a name, path or address with such characters is not what an editor shows, and mailconf checks it as \uFFFD. ' +
      'Save the file as UTF-8, or keep such characters out of values (comments do not matter).',
  };
}
