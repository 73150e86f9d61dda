// Shared set-up for the Postfix feature tests: an in-memory workspace holding one main.cf
// and (optionally) its master.cf, and positions found by searching the text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Position, Range } from '../../../../server/src/core/types';
import { Workspace, type WorkspaceDocument } from '../../../../server/src/core/stack/workspace';
import type { FeatureContext } from '../../../../server/src/core/features/types';

export const MAIN_URI = 'file:///etc/postfix/main.cf';
export const MASTER_URI = 'file:///etc/postfix/master.cf';
export const SAMPLES = path.resolve(__dirname, '../../../../samples');
export const CORPUS = path.resolve(__dirname, '../../../../../shared/corpus/postfix');

export interface Instance {
  workspace: Workspace;
  main?: WorkspaceDocument;
  master?: WorkspaceDocument;
  /** Context for a feature call on main.cf / master.cf. */
  onMain(version?: string): FeatureContext;
  onMaster(version?: string): FeatureContext;
}

export function instance(mainText: string | undefined, masterText?: string, dir = 'file:///etc/postfix'): Instance {
  const workspace = new Workspace();
  const main = mainText !== undefined ? workspace.setOnDisk(`${dir}/main.cf`, 'postfix-main', mainText) : undefined;
  const master = masterText !== undefined ? workspace.setOnDisk(`${dir}/master.cf`, 'postfix-master', masterText) : undefined;
  const ctx = (doc: WorkspaceDocument | undefined, version = 'latest'): FeatureContext => {
    if (!doc) throw new Error('no such document in this test instance');
    return { doc, workspace, settings: { postfixVersion: version } };
  };
  return { workspace, main, master, onMain: (v) => ctx(main, v), onMaster: (v) => ctx(master, v) };
}

/** Reads a sample file (samples/<dir>/etc/postfix/<file>). */
export function sample(dir: string, file: string): string {
  return fs.readFileSync(path.join(SAMPLES, dir, 'etc/postfix', file), 'utf8');
}

/**
 * The position of the `occurrence`-th `needle` in `text`, moved `offset` characters into
 * it: at(text, '$smtpd_milter', 1) is on the `s` after the `$`.
 */
export function at(text: string, needle: string, offset = 0, occurrence = 0): Position {
  let idx = -1;
  for (let i = 0; i <= occurrence; i++) {
    idx = text.indexOf(needle, idx + 1);
    if (idx < 0) throw new Error(`"${needle}" (#${occurrence}) not in text`);
  }
  const before = text.slice(0, idx + offset);
  const line = before.split(/\r\n|\r|\n/).length - 1;
  const lastBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return { line, character: before.length - lastBreak - 1 };
}

/** A range as [startLine, startChar, endLine, endChar]. */
export function r(range: Range | undefined): [number, number, number, number] | undefined {
  return range && [range.start.line, range.start.character, range.end.line, range.end.character];
}

/** Locations as `file:line:start-end` strings (file = main.cf or master.cf). */
export function locs(list: Array<{ uri: string; range: Range }>): string[] {
  return list.map((l) => `${l.uri.slice(l.uri.lastIndexOf('/') + 1)}:${l.range.start.line}:${l.range.start.character}-${l.range.end.character}`);
}

/** The corpus main.cf files, each with the master.cf of the same source when there is one. */
export function corpusPairs(): Array<{ name: string; main?: string; master?: string }> {
  const files = fs.readdirSync(CORPUS).sort();
  const out: Array<{ name: string; main?: string; master?: string }> = [];
  const masters = new Set(files.filter((f) => f.endsWith('master.cf')));
  const usedMasters = new Set<string>();
  for (const f of files) {
    if (!/main\.cf/.test(f)) continue;
    const partner = f.replace(/main\.cf.*$/, 'master.cf');
    const master = masters.has(partner) ? partner : undefined;
    if (master) usedMasters.add(master);
    out.push({ name: f, main: fs.readFileSync(path.join(CORPUS, f), 'utf8'), master: master && fs.readFileSync(path.join(CORPUS, master), 'utf8') });
  }
  for (const m of masters) if (!usedMasters.has(m)) out.push({ name: m, master: fs.readFileSync(path.join(CORPUS, m), 'utf8') });
  return out;
}
