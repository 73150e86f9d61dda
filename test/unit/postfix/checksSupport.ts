// Shared by the semantic-check tests (checks*.test.ts): an in-memory Postfix instance
// (/etc/postfix/main.cf and master.cf), its findings, and applying quick fixes.
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { diagnose } from '../../../server/src/core/checks';
import { LineIndex } from '../../../server/src/core/text/lines';
import type { Finding, Fix } from '../../../server/src/core/types';
import { r } from './helpers';

export const MAIN_URI = 'file:///etc/postfix/main.cf';
export const MASTER_URI = 'file:///etc/postfix/master.cf';

export interface Checked {
  main: Finding[];
  master: Finding[];
  mainText: string;
  masterText: string;
}

/** diagnose() of both files of one instance (either may be left out). */
export function check(files: { main?: string; master?: string }, version = 'latest'): Checked {
  const ws = new Workspace();
  const settings = { postfixVersion: version };
  const main = files.main !== undefined ? ws.setOnDisk(MAIN_URI, 'postfix-main', files.main) : undefined;
  const master = files.master !== undefined ? ws.setOnDisk(MASTER_URI, 'postfix-master', files.master) : undefined;
  return {
    main: main ? diagnose({ doc: main, workspace: ws, settings }) : [],
    master: master ? diagnose({ doc: master, workspace: ws, settings }) : [],
    mainText: files.main ?? '',
    masterText: files.master ?? '',
  };
}

/** The findings with `code`. */
export function withCode(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

/** The one finding with `code` (fails unless there is exactly one). */
export function one(findings: Finding[], code: string): Finding {
  const found = withCode(findings, code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(findings.map((f) => [f.code, f.message]), null, 1)}`);
  return found[0];
}

/** [code, range] pairs, for exact comparisons. */
export function codesAndRanges(findings: Finding[]): Array<[string, [number, number, number, number]]> {
  return findings.map((f) => [f.code, r(f.range)]);
}

/** The text of `range` in `text` (a single-line range). */
export function textAt(text: string, f: Finding): string {
  const idx = new LineIndex(text);
  return text.slice(idx.offsetAt(f.range.start), idx.offsetAt(f.range.end));
}

/** The documents' texts after applying `fix` (edits without uri go to `ownUri`). */
export function applyFix(fix: Fix, texts: Record<string, string>, ownUri: string): Record<string, string> {
  const out = { ...texts };
  const byUri = new Map<string, Fix['edits']>();
  for (const e of fix.edits) {
    const uri = e.uri ?? ownUri;
    byUri.set(uri, [...(byUri.get(uri) ?? []), e]);
  }
  for (const [uri, edits] of byUri) {
    const text = out[uri];
    assert.ok(text !== undefined, `edit for unknown document ${uri}`);
    const idx = new LineIndex(text);
    const spans = edits.map((e) => ({ start: idx.offsetAt(e.range.start), end: idx.offsetAt(e.range.end), newText: e.newText }))
      .sort((a, b) => b.start - a.start);
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i].end <= spans[i - 1].start, 'edits overlap');
    let t = text;
    for (const s of spans) t = t.slice(0, s.start) + s.newText + t.slice(s.end);
    out[uri] = t;
  }
  return out;
}

/** main.cf after applying a fix of a main.cf finding. */
export function fixMain(c: Checked, fix: Fix): string {
  return applyFix(fix, { [MAIN_URI]: c.mainText, [MASTER_URI]: c.masterText }, MAIN_URI)[MAIN_URI];
}

/** master.cf after applying a fix of a master.cf finding. */
export function fixMaster(c: Checked, fix: Fix): string {
  return applyFix(fix, { [MAIN_URI]: c.mainText, [MASTER_URI]: c.masterText }, MASTER_URI)[MASTER_URI];
}

/** Codes of the syntax parser: semantic tests assert on the others. */
export function semantic(findings: Finding[]): Finding[] {
  const SEMANTIC = /^(postfix\/(undefined-parameter|unknown-parameter|parameter-too-new|read-only-parameter|duplicate-parameter|invalid-boolean|invalid-time|invalid-number|invalid-enum|deprecated-parameter|open-relay|unknown-restriction|policy-service-undefined|transport-undefined)|master\/(unknown-command|duplicate-service))$/;
  return findings.filter((f) => SEMANTIC.test(f.code));
}

/** A minimal complete master.cf: the services a Postfix needs, plus `extra`. */
export const MINIMAL_MASTER = [
  'smtp      inet  n       -       y       -       -       smtpd',
  'pickup    unix  n       -       y       60      1       pickup',
  'cleanup   unix  n       -       y       -       0       cleanup',
  'qmgr      unix  n       -       n       300     1       qmgr',
  'rewrite   unix  -       -       y       -       -       trivial-rewrite',
  'bounce    unix  -       -       y       -       0       bounce',
  'smtp      unix  -       -       y       -       -       smtp',
  'relay     unix  -       -       y       -       -       smtp',
  'error     unix  -       -       y       -       -       error',
  'local     unix  -       n       n       -       -       local',
  'virtual   unix  -       n       n       -       -       virtual',
  'lmtp      unix  -       -       y       -       -       lmtp',
  '',
].join('\n');
