// SARIF 2.1.0 output of `mailconf check`, for GitHub code scanning and other SARIF viewers.
// One run; one rule per finding code that occurs (described from docs/checks.md); one result
// per finding. Positions: SARIF lines and columns are 1-based, and its default column unit is
// the UTF-16 code unit — the unit of our ranges — which the run states (columnKind) anyway.
// File locations are relative to the working directory (uriBaseId %SRCROOT%), as code
// scanning expects for files of the checked-out repository; files outside it get absolute
// file: URIs.

import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FileReport } from './checkFiles';
import type { Finding, Severity } from '../core/types';
import { sortedFindings } from './format';
import type { CheckDocsSource } from './checkDocs';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SRCROOT = '%SRCROOT%';

/** SARIF has three levels for problems; information and hints are both notes. */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export interface SarifOptions {
  /** The folder relative locations are relative to (the working directory). */
  cwd: string;
  version: string;
  docs?: CheckDocsSource;
  /** mailconf's home page, when known. */
  informationUri?: string;
}

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** A file path as a SARIF artifact location: relative to `cwd` when inside it. */
export function artifactLocation(file: string, cwd: string): ArtifactLocation {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(absolute).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function region(f: { range: Finding['range'] }) {
  return {
    startLine: f.range.start.line + 1,
    startColumn: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    // SARIF's end column is that of the character after the region, as our range end is.
    endColumn: f.range.end.character + 1,
  };
}

/**
 * A fingerprint that survives lines moving: the code, the text of the finding's line with
 * blanks normalised, and which occurrence of that pair in the file it is.
 */
class Fingerprints {
  private lines: string[] | undefined;
  private readonly seen = new Map<string, number>();
  constructor(private readonly report: FileReport) {}

  of(f: Finding): string {
    this.lines ??= (this.report.text ?? '').split(/\r\n|\r|\n/);
    const line = (this.lines[f.range.start.line] ?? '').trim().replace(/\s+/g, ' ');
    const hash = crypto.createHash('sha256').update(`${f.code}\0${line}`).digest('hex').slice(0, 32);
    const n = (this.seen.get(hash) ?? 0) + 1;
    this.seen.set(hash, n);
    return `${hash}:${n}`;
  }
}

export function sarifLog(reports: FileReport[], options: SarifOptions): object {
  const codes = [...new Set(reports.flatMap((r) => r.findings.map((f) => f.code)))].sort();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const rules = codes.map((code) => {
    const doc = options.docs?.docs.get(code);
    const helpUri = options.docs?.linkTo(code);
    return {
      id: code,
      shortDescription: { text: doc?.summary ?? code },
      ...(doc ? { fullDescription: { text: doc.description }, help: { text: doc.markdown, markdown: doc.markdown } } : {}),
      ...(helpUri ? { helpUri } : {}),
      properties: { tags: [code.split('/')[0]] },
    };
  });
  const results = reports.flatMap((report) => {
    const fingerprints = new Fingerprints(report);
    const location = artifactLocation(report.path, options.cwd);
    return sortedFindings(report).map((f) => ({
      ruleId: f.code,
      ruleIndex: ruleIndex.get(f.code)!,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: location, region: region(f) } }],
      ...(f.related?.length ? {
        relatedLocations: f.related.map((r, id) => ({
          id,
          message: { text: r.message },
          physicalLocation: { artifactLocation: relatedLocation(r.uri, options.cwd), region: region(r) },
        })),
      } : {}),
      partialFingerprints: { 'mailconfLineHash/v1': fingerprints.of(f) },
      properties: { severity: f.severity },
    }));
  });
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'mailconf',
          version: options.version,
          ...(/^\d+\.\d+\.\d+/.test(options.version) ? { semanticVersion: options.version } : {}),
          ...(options.informationUri ? { informationUri: options.informationUri } : {}),
          rules,
        },
      },
      originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(options.cwd).href.replace(/\/?$/, '/') } },
      invocations: [{ executionSuccessful: true }],
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
}

function relatedLocation(uri: string, cwd: string): ArtifactLocation {
  if (!uri.startsWith('file:')) return { uri };
  try {
    return artifactLocation(fileURLToPath(uri), cwd);
  } catch {
    return { uri };
  }
}

export function formatSarif(reports: FileReport[], options: SarifOptions): string {
  return JSON.stringify(sarifLog(reports, options), null, 2) + '\n';
}
