// What every fuzz target shares: the seed texts (../shared/corpus and samples/, by kind),
// the mutations applied to them, the checks of a result against its document (ranges
// inside, edits that apply) and the runner that measures each case.
//
// A target is a fast-check arbitrary plus a property. The suite runs each target with a
// fixed seed and a few hundred cases (test/fuzz/*.test.ts); `npm run fuzz` runs the same
// targets long, with a random or given seed (test/fuzz/long.ts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { DocumentKind } from '../../server/src/core/kinds';
import { detectKind } from '../../server/src/core/kinds';
import type { Range } from '../../server/src/core/types';

export const REPO = path.resolve(__dirname, '../..');
export const CORPUS = path.resolve(REPO, '../shared/corpus');
export const SAMPLES = path.join(REPO, 'samples');

/** The seed of the suite's runs; a failure report names the seed and path to replay it. */
export const CI_SEED = 20_240_610;

/**
 * A case slower than this fails: a gross overrun (a hang, a quadratic blow-up), never a
 * small slowdown, so the suite stays deterministic on slow machines.
 */
export const CASE_BUDGET_MS = 2000;

// ---------------------------------------------------------------------------------------
// Seeds

/** The kind of a corpus or sample file from its (flattened) name, or undefined. */
export function seedKind(file: string): DocumentKind | undefined {
  const name = path.basename(file);
  const rel = file.replace(/\\/g, '/');
  if (rel.includes('/zone/') || rel.includes('/zones/') || /\.zone$|^db\./.test(name)) return 'dns-zone';
  if (/default[/_]opendkim$/.test(rel)) return 'opendkim-default';
  if (/master\.cf$/.test(name)) return 'postfix-master';
  if (/main\.cf(\.[a-z0-9]+)?$|postfix-main\.cf$|test77-main\.cf$/.test(name)) return 'postfix-main';
  if (/\.(conf|conf\.sample|conf\.simple\.in|conf\.simple-verify\.in|conf\.tpl)$/.test(name)) return 'opendkim-conf';
  if (/(key[._]?table)$/i.test(name) || name.endsWith('.keytable')) return 'opendkim-keytable';
  if (/(signing[._]?table)$/i.test(name) || name.endsWith('.signtable')) return 'opendkim-signingtable';
  if (/(TrustedHosts|InternalHosts|trustedhosts|trusted\.hosts|\.hosts\.tpl)$/.test(name) || /\/trusted$/.test(rel)) return 'opendkim-hostlist';
  // keys/<selector>.txt files are zone snippets
  if (name.endsWith('.txt')) return 'dns-zone';
  return detectKind({ path: file });
}

function walk(dir: string, out: string[]): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else if (e.isFile() && !/\.(md|tsv|yml|yaml|json|eml|LICENSE|CHANGES)$/.test(e.name)) out.push(full);
  }
}

let seedCache: Map<DocumentKind, string[]> | undefined;

/** Seed texts per kind: every corpus file and sample, sorted so runs replay. */
export function seedsByKind(): Map<DocumentKind, string[]> {
  if (seedCache) return seedCache;
  const files: string[] = [];
  walk(path.join(CORPUS, 'postfix'), files);
  walk(path.join(CORPUS, 'opendkim'), files);
  walk(path.join(CORPUS, 'zone'), files);
  walk(SAMPLES, files);
  files.sort();
  const map = new Map<DocumentKind, string[]>();
  for (const f of files) {
    const kind = seedKind(f);
    if (!kind) continue;
    const list = map.get(kind) ?? [];
    list.push(fs.readFileSync(f, 'utf8'));
    map.set(kind, list);
  }
  seedCache = map;
  return map;
}

export function seedsOf(kind: DocumentKind): string[] {
  const list = seedsByKind().get(kind);
  if (!list?.length) throw new Error(`no seed files for ${kind}: is ../shared/corpus beside the clone?`);
  return list;
}

// ---------------------------------------------------------------------------------------
// Mutations

/** Tokens that break parsers in interesting ways, inserted anywhere. */
export const HOSTILE_TOKENS = [
  '$', '${', '$(', '}', ')', '(', '{', '"', '\\', '\\0', '\\255', '\\999', '\u0000', '\r', '\n', '\r\n',
  '\t', ' ', '#', ';', '=', ':', ',', '%{', '%{d2r}', '%%', '\uFEFF', '\uD800', '\u00e9', '\u{1F600}',
  '"\n', '(\n', ')\n', '\\\n', ' \\', '-o ', 'inline:{', 'v=spf1 ', 'include:', 'redirect=', 'v=DKIM1; p=',
  'v=DMARC1; p=', '@', '.', '..', '*', '$ORIGIN', '$TTL', '$INCLUDE', 'IN', 'TXT', 'SOA', 'MX',
  'inet:', 'local:', 'unix:', 'refile:', 'csl:', '/', '/etc/opendkim/keys/x.private', '0', '-1', '99999999999',
  'a'.repeat(300), '${a?{', '$(b:', '}}', '{{', '=\n', ' = ',
];

export type Mutation =
  | { op: 'flip'; at: number; code: number }
  | { op: 'insert'; at: number; token: string }
  | { op: 'delete'; at: number; len: number }
  | { op: 'duplicate'; at: number; len: number }
  | { op: 'lines'; at: number; from: number; count: number };

const position = fc.nat({ max: 1 << 30 });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: position, code: fc.oneof(fc.integer({ min: 0, max: 127 }), fc.integer({ min: 0, max: 0xffff })) }),
  fc.record({ op: fc.constant('insert' as const), at: position, token: fc.constantFrom(...HOSTILE_TOKENS) }),
  fc.record({ op: fc.constant('delete' as const), at: position, len: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: position, len: fc.integer({ min: 1, max: 200 }) }),
  // Moves a run of lines elsewhere (a line splice): the `from` line and `count` after it are copied to `at`.
  fc.record({ op: fc.constant('lines' as const), at: position, from: position, count: fc.integer({ min: 1, max: 5 }) }),
);

export function applyMutation(text: string, m: Mutation): string {
  const n = text.length;
  const at = n === 0 ? 0 : m.at % (n + 1);
  switch (m.op) {
    case 'flip':
      return n === 0 ? String.fromCharCode(m.code) : text.slice(0, Math.min(at, n - 1)) + String.fromCharCode(m.code) + text.slice(Math.min(at, n - 1) + 1);
    case 'insert':
      return text.slice(0, at) + m.token + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.len);
    case 'duplicate':
      return text.slice(0, at + m.len) + text.slice(at, at + m.len) + text.slice(at + m.len);
    case 'lines': {
      const lines = text.split('\n');
      const from = m.from % lines.length;
      const copied = lines.slice(from, from + m.count);
      const to = m.at % (lines.length + 1);
      return [...lines.slice(0, to), ...copied, ...lines.slice(to)].join('\n');
    }
  }
}

/** Mutated seed texts of one kind (a window of a long seed keeps cases small and fast). */
export function mutatedText(kind: DocumentKind, options: { maxMutations?: number; maxChars?: number } = {}): fc.Arbitrary<string> {
  const seeds = seedsOf(kind);
  const maxChars = options.maxChars ?? 6000;
  return fc.record({
    seed: fc.nat({ max: seeds.length - 1 }),
    offset: position,
    mutations: fc.array(mutationArb, { maxLength: options.maxMutations ?? 8 }),
  }).map(({ seed, offset, mutations }) => {
    let text = seeds[seed];
    if (text.length > maxChars) {
      // Start at a line boundary so the window reads like the file.
      const start = text.lastIndexOf('\n', offset % (text.length - maxChars)) + 1;
      text = text.slice(start, start + maxChars);
    }
    for (const m of mutations) text = applyMutation(text, m);
    return text;
  });
}

/** Text made of a vocabulary's words, for the record syntaxes. */
export function soup(words: readonly string[], maxLength = 30): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...words), { maxLength }).map((w) => w.join(''));
}

/** A string of any code units, including lone surrogates and controls. */
export const anyText = fc.string({ unit: 'binary', maxLength: 200 });

// ---------------------------------------------------------------------------------------
// Checks of results against their document

/** Lines as LSP counts them (LF, CRLF, lone CR). */
export function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export function assertRangeInside(range: Range, lines: readonly string[], what: string): void {
  const ok = (p: { line: number; character: number }) =>
    Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < lines.length &&
    p.character >= 0 && p.character <= lines[p.line].length;
  if (!ok(range.start) || !ok(range.end)) {
    throw new Error(`${what}: range ${JSON.stringify(range)} lies outside the document (${lines.length} lines; line ${range.start.line} has ${lines[range.start.line]?.length} characters)`);
  }
  if (range.start.line > range.end.line || (range.start.line === range.end.line && range.start.character > range.end.character)) {
    throw new Error(`${what}: range ${JSON.stringify(range)} ends before it starts`);
  }
}

/** The offset of a position in `text` (positions already checked to be inside). */
export function offsetAt(text: string, lines: readonly string[], pos: { line: number; character: number }): number {
  let offset = 0;
  for (let l = 0; l < pos.line; l++) {
    offset += lines[l].length;
    offset += text.charCodeAt(offset) === 13 && text.charCodeAt(offset + 1) === 10 ? 2 : 1;
  }
  return offset + pos.character;
}

/**
 * Applies edits of one document as an editor does (all ranges in the old text). Throws
 * when a range lies outside the document or two edits overlap.
 */
export function applyEdits(text: string, edits: ReadonlyArray<{ range: Range; newText: string }>, what: string): string {
  return applyEditsTracked(text, edits, what).text;
}

/** applyEdits, and where each edit's new text lies in the result (offsets). */
export function applyEditsTracked(text: string, edits: ReadonlyArray<{ range: Range; newText: string }>, what: string): { text: string; spans: Array<{ start: number; end: number }> } {
  const lines = linesOf(text);
  const spans = edits.map((e) => {
    // "To the start of the next line" on the last line (no final line break) names a line
    // past the end; LSP clients clamp it to the end of the document, and so does this.
    const pastEnd = e.range.end.line === lines.length && e.range.end.character === 0;
    const range = pastEnd ? { start: e.range.start, end: { line: lines.length - 1, character: lines[lines.length - 1].length } } : e.range;
    assertRangeInside(range, lines, what);
    return { start: offsetAt(text, lines, range.start), end: offsetAt(text, lines, range.end), newText: e.newText };
  }).sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].start < spans[i - 1].end) throw new Error(`${what}: edits overlap (${JSON.stringify(edits)})`);
  }
  let out = '';
  let at = 0;
  const placed: Array<{ start: number; end: number }> = [];
  for (const s of spans) {
    out += text.slice(at, s.start);
    placed.push({ start: out.length, end: out.length + s.newText.length });
    out += s.newText;
    at = s.end;
  }
  return { text: out + text.slice(at), spans: placed };
}

/**
 * Codes of syntax errors in the strict sense: the structure of the text (quotes, escapes,
 * parentheses, fields, separators, characters), as opposed to values that mean nothing.
 */
export const STRUCTURAL_ERROR = /unterminated|unbalanced|quote|escape|missing-equals|continuation|field-count|syntax|control-character|nul-byte|bad-character|missing-type|missing-value|separator|too-long/;

/**
 * Syntax errors of `after` that a fix made: structural (STRUCTURAL_ERROR), of a code that
 * now occurs more often than before, starting on what the fix wrote. Errors a fix only
 * uncovers do not count: a value checked now that its option name is corrected, a socket
 * read now that its curly quotes are straight, the next SPF term once a space is put back.
 */
export function errorsMadeByEdits(
  before: ReadonlyArray<{ severity: string; code: string }>,
  after: ReadonlyArray<{ severity: string; code: string; range: Range }>,
  afterText: string, spans: ReadonlyArray<{ start: number; end: number }>,
): string[] {
  const count = (list: ReadonlyArray<{ severity: string; code: string }>) => {
    const m = new Map<string, number>();
    for (const f of list) if (f.severity === 'error') m.set(f.code, (m.get(f.code) ?? 0) + 1);
    return m;
  };
  const was = count(before);
  const now = count(after);
  const lines = linesOf(afterText);
  const out: string[] = [];
  for (const f of after) {
    if (f.severity !== 'error' || !STRUCTURAL_ERROR.test(f.code) || (now.get(f.code) ?? 0) <= (was.get(f.code) ?? 0)) continue;
    const a = offsetAt(afterText, lines, f.range.start);
    // On the written text; a deletion (an empty span) counts at its place.
    if (spans.some((s) => (s.start < s.end ? a >= s.start && a < s.end : a === s.start))) out.push(f.code);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Targets and the runner

export interface FuzzTarget<T = unknown> {
  name: string;
  arbitrary: fc.Arbitrary<T>;
  /** Throws (or rejects) when the property does not hold. */
  property(input: T): void | Promise<void>;
  /** Cases in the suite's short run. */
  ciRuns: number;
  /** Set up before the first case (a server process), torn down after the last. */
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
  /** Per-case budget, when not CASE_BUDGET_MS (a whole workspace or an LSP session). */
  budgetMs?: number;
}

export function target<T>(t: FuzzTarget<T>): FuzzTarget<T> {
  return t;
}

/** The property wrapped with the time bound: a case that overruns fails with its time. */
function timedProperty<T>(t: FuzzTarget<T>, onCase?: (ms: number) => void): fc.IAsyncProperty<[T]> {
  const budget = t.budgetMs ?? CASE_BUDGET_MS;
  return fc.asyncProperty(t.arbitrary, async (input) => {
    const t0 = performance.now();
    await t.property(input);
    const ms = performance.now() - t0;
    onCase?.(ms);
    if (ms > budget) throw new Error(`${t.name}: one case took ${Math.round(ms)} ms (budget ${budget} ms)`);
  });
}

export interface RunReport {
  name: string;
  runs: number;
  clean: number;
  maxMs: number;
  totalMs: number;
  failure?: string;
}

/** Runs a target `numRuns` times from `seed`; reports how many cases ran clean. */
export async function runTarget<T>(t: FuzzTarget<T>, seed: number, numRuns: number): Promise<RunReport> {
  let maxMs = 0;
  let cases = 0;
  const t0 = performance.now();
  const details = await fc.check(timedProperty(t, (ms) => { cases++; if (ms > maxMs) maxMs = ms; }), { seed, numRuns, endOnFailure: false });
  const report: RunReport = { name: t.name, runs: details.numRuns, clean: details.failed ? details.numRuns - 1 : details.numRuns, maxMs, totalMs: performance.now() - t0 };
  if (details.failed) {
    report.failure = `${t.name} failed (seed ${seed}, path "${details.counterexamplePath}"): ${details.errorInstance instanceof Error ? details.errorInstance.stack : String(details.errorInstance)}\n` +
      `counterexample: ${fc.stringify(details.counterexample)}`;
  }
  void cases;
  return report;
}

/**
 * The LSP incremental change that turns the document's text into `next` (the differing
 * middle, as an editor sends it). The text the server ends up with is what
 * TextDocument.update makes of it, which the caller takes as the truth.
 */
export function lspChangeFor(doc: { getText(): string; positionAt(offset: number): { line: number; character: number } }, next: string): { range: Range; text: string } {
  const prev = doc.getText();
  let start = 0;
  const max = Math.min(prev.length, next.length);
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
  let endPrev = prev.length;
  let endNext = next.length;
  while (endPrev > start && endNext > start && prev.charCodeAt(endPrev - 1) === next.charCodeAt(endNext - 1)) { endPrev--; endNext--; }
  return { range: { start: doc.positionAt(start), end: doc.positionAt(endPrev) }, text: next.slice(start, endNext) };
}

/**
 * vscode-languageserver-textdocument 1.0.12 miscounts lines when a change puts a CR right
 * before an LF (or an LF right after a CR): its line table then has one line too many and
 * later positions land on the wrong offsets. Tells whether `doc` is in that state, so a
 * caller can rebuild it from its text (and re-parse the whole document), as the server
 * should (reported: server.ts's TextDocuments update hook).
 */
export function lineTableIsStale(doc: { getText(): string; lineCount: number }): boolean {
  return doc.lineCount !== linesOf(doc.getText()).length;
}
