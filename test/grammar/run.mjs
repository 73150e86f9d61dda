#!/usr/bin/env node
// Grammar test runner (npm run test:grammar).
//
// 1. Checks that every grammar package.json contributes exists, parses and declares the
//    scope name package.json gives it, and that every grammar has test files.
// 2. Runs vscode-tmgrammar-test over all test/grammar/**/*.test.* files with those grammars.
// 3. Tokenizes every corpus file (../shared/corpus) with its grammar and fails on tokens
//    scoped invalid.illegal: real configurations must not be painted red.
// 4. Mutation check: breaks one rule per grammar in memory and requires the test files to
//    fail, so a test suite that no longer looks at what it claims to test is noticed.
// 5. Compares the OpenDKIM option names in the grammar with opendkim.conf(5), when installed.
// 6. Checks that docs/grammar-scopes.md lists exactly the scopes the grammars use.
//
// Prints a summary and exits non-zero on any failure. Options: --no-mutations, --no-corpus.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { contributedGrammars, createRegistry, repoRoot, tokenizeText } from './lib/textmate.mjs';
import { corpusFiles, corpusDir } from './lib/corpus.mjs';
import { mutations } from './lib/mutations.mjs';

const require = createRequire(import.meta.url);
const { parseGrammarTestCase } = require('vscode-tmgrammar-test/dist/unit/parsing.js');
const { runGrammarTestCase } = require('vscode-tmgrammar-test/dist/unit/index.js');

const args = new Set(process.argv.slice(2));
const testDir = path.join(repoRoot, 'test', 'grammar');
const problems = [];
const summary = [];

function walk(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (/\.test\.[^/]+$/.test(entry.name) && !/\.(m?js|ts)$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

const rel = (p) => path.relative(repoRoot, p);

// ---- 1. grammars and test files -------------------------------------------------------
const grammars = contributedGrammars();
for (const g of grammars) {
  if (!fs.existsSync(g.path)) {
    problems.push(`grammar file missing: ${rel(g.path)} (${g.scopeName})`);
    continue;
  }
  try {
    const raw = JSON.parse(fs.readFileSync(g.path, 'utf8'));
    if (raw.scopeName !== g.scopeName) {
      problems.push(`${rel(g.path)} declares scopeName ${raw.scopeName}, package.json says ${g.scopeName}`);
    }
  } catch (e) {
    problems.push(`${rel(g.path)} is not valid JSON: ${e.message}`);
  }
}

// vscode-tmgrammar-test's assertion regex backtracks catastrophically (the run hangs) when
// an assertion line has a character it does not expect after the carets, so check the
// assertion lines first with a linear scan and report the bad line instead.
function malformedAssertionLines(text) {
  const lines = text.split(/\r\n|\n/);
  const header = /^(\S+)\s+SYNTAX\s+TEST\s+"[^"]+"/.exec(lines[0] ?? '');
  if (!header) return ['line 1: missing header <comment> SYNTAX TEST "<scope>" "description"'];
  const token = header[1];
  const bad = [];
  lines.forEach((line, i) => {
    if (!line.startsWith(token)) return;
    const rest = line.slice(token.length);
    let words;
    if (/^\s*\^/.test(rest)) words = rest.replace(/[\s^]*/, '').split(/\s+/).filter(Boolean);
    else if (/^\s*<~*-+/.test(rest)) words = rest.replace(/^\s*<~*-+/, '').split(/\s+/).filter(Boolean);
    else return;
    const dashes = words.filter((w) => w === '-').length;
    const ok = words.length > 0 && dashes <= 1 && words.every((w) => w === '-' || /^\w[-\w.]*$/.test(w));
    if (!ok) bad.push(`line ${i + 1}: malformed assertion: ${line.slice(0, 120)}`);
  });
  return bad;
}

// The later stages need every grammar to load; a broken one is already reported above.
const grammarsOk = problems.length === 0;

const testFiles = walk(testDir);
const testCases = new Map(); // file -> parsed test case
const filesPerScope = new Map(grammars.map((g) => [g.scopeName, []]));
let assertionCount = 0;
for (const file of testFiles) {
  const text = fs.readFileSync(file, 'utf8');
  const malformed = malformedAssertionLines(text);
  if (malformed.length) {
    for (const m of malformed) problems.push(`${rel(file)}: ${m}`);
    continue;
  }
  let tc;
  try {
    tc = parseGrammarTestCase(text);
  } catch (e) {
    problems.push(`${rel(file)}: cannot parse test file: ${e.message}`);
    continue;
  }
  const n = tc.assertions.reduce((sum, a) => sum + a.scopeAssertions.length, 0);
  if (n === 0) problems.push(`${rel(file)}: has no assertions`);
  if (!filesPerScope.has(tc.metadata.scope)) {
    problems.push(`${rel(file)}: scope ${tc.metadata.scope} is not contributed by package.json`);
  } else {
    filesPerScope.get(tc.metadata.scope).push(file);
  }
  assertionCount += n;
  testCases.set(file, tc);
}
for (const [scope, files] of filesPerScope) {
  if (files.length === 0) problems.push(`no test file for grammar ${scope}`);
}

// ---- 2. vscode-tmgrammar-test ---------------------------------------------------------
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-grammar-'));
const cli = require.resolve('vscode-tmgrammar-test/dist/unit.js');
const cliArgs = [
  cli,
  '--config', path.join(repoRoot, 'package.json'),
  ...grammars.flatMap((g) => ['-g', g.path]),
  '--xunit-report', reportDir,
  ...[...testCases.keys()].map(rel),
];
console.log(`vscode-tmgrammar-test: ${testCases.size} files, ${assertionCount} assertions\n`);
const run = testCases.size === 0 ? { status: 1 } : spawnSync(process.execPath, cliArgs, { cwd: repoRoot, stdio: 'inherit' });
if (run.status !== 0) problems.push(`vscode-tmgrammar-test failed (exit ${run.status ?? run.signal})`);

let cases = 0;
let failedCases = 0;
for (const name of fs.existsSync(reportDir) ? fs.readdirSync(reportDir) : []) {
  const xml = fs.readFileSync(path.join(reportDir, name), 'utf8');
  cases += (xml.match(/<testcase /g) ?? []).length;
  failedCases += (xml.match(/<testcase [^>]*>\s*<(failure|error) /g) ?? []).length;
}
fs.rmSync(reportDir, { recursive: true, force: true });
summary.push(`assertion lines: ${cases - failedCases}/${cases} passed (${assertionCount} assertions in ${testFiles.length} files)`);

// ---- 3. corpus lint -------------------------------------------------------------------
const registry = createRegistry(grammars);
if (!grammarsOk) {
  summary.push('corpus lint: skipped (a grammar does not load)');
} else if (args.has('--no-corpus')) {
  summary.push('corpus lint: skipped (--no-corpus)');
} else if (!fs.existsSync(corpusDir)) {
  problems.push(`corpus lint: ${corpusDir} not found (the shared corpus must lie beside the repository)`);
} else {
  let files = 0;
  let lines = 0;
  const started = Date.now();
  // A line that starts a new logical line must be recognised as one: if it is not, a rule
  // of the previous line (an unclosed brace, string or paren) has leaked over it.
  const lineStarts = {
    'source.postfix-main': [/^[A-Za-z0-9_][A-Za-z0-9_.-]*\s*=/, 'variable.parameter.postfix-main'],
    'source.postfix-master': [/^[^\s#]/, 'entity.name.function.service.postfix-master'],
  };
  for (const { file, scopeName, allowedInvalid } of corpusFiles()) {
    const grammar = await registry.loadGrammar(scopeName);
    const text = fs.readFileSync(file, 'utf8');
    const sourceLines = text.split(/\r\n|\r|\n/);
    const tokens = tokenizeText(grammar, text);
    files++;
    lines += tokens.length;
    for (const { line, tokens: ts } of tokens) {
      const start = lineStarts[scopeName];
      if (start && start[0].test(sourceLines[line]) && !ts[0].scopes.includes(start[1])) {
        problems.push(`corpus ${path.basename(file)}:${line + 1}: line start is not ${start[1]} (a rule leaked from an earlier line?)`);
      }
      for (const t of ts) {
        const bad = t.scopes.find((s) => s.startsWith('invalid.'));
        if (!bad || t.text.trim() === '') continue;
        const allowed = allowedInvalid.find((a) => a.line === line + 1 && t.text.includes(a.text));
        if (!allowed) {
          problems.push(`corpus ${path.basename(file)}:${line + 1}:${t.start}: ${JSON.stringify(t.text)} is ${bad}`);
        }
      }
    }
  }
  summary.push(`corpus lint: ${files} files, ${lines} lines, no unexpected invalid.illegal token, no leaked rule (${Date.now() - started} ms)`);
}

// ---- 4. mutation check ----------------------------------------------------------------
if (!grammarsOk) {
  summary.push('mutation check: skipped (a grammar does not load)');
} else if (args.has('--no-mutations')) {
  summary.push('mutation check: skipped (--no-mutations)');
} else {
  const rawGrammars = new Map(grammars.map((g) => [g.scopeName, JSON.parse(fs.readFileSync(g.path, 'utf8'))]));
  let caught = 0;
  for (const m of mutations) {
    const mutated = structuredClone(rawGrammars.get(m.scopeName));
    let applied;
    try {
      applied = m.apply(mutated);
    } catch (e) {
      applied = false;
    }
    if (!applied) {
      problems.push(`mutation "${m.name}" no longer applies to ${m.scopeName}; update test/grammar/lib/mutations.mjs`);
      continue;
    }
    const mutatedRegistry = createRegistry(grammars, new Map([[m.scopeName, mutated]]));
    let failures = 0;
    for (const [, tc] of testCases) {
      failures += (await runGrammarTestCase(mutatedRegistry, tc)).length;
    }
    if (failures === 0) problems.push(`mutation "${m.name}" (${m.scopeName}) was not detected by any test`);
    else caught++;
  }
  summary.push(`mutation check: ${caught}/${mutations.length} deliberate grammar breakages detected`);
}

// ---- 5. OpenDKIM option names ---------------------------------------------------------
const manPage = '/usr/share/man/man5/opendkim.conf.5.gz';
if (!grammarsOk) {
  summary.push('opendkim options: skipped (a grammar does not load)');
} else if (fs.existsSync(manPage)) {
  const man = zlib.gunzipSync(fs.readFileSync(manPage)).toString('utf8');
  const documented = new Set([...man.matchAll(/^\.TP\s*\n\.I ([A-Za-z][A-Za-z0-9-]*) \(/gm)].map((m) => m[1].toLowerCase()));
  const grammarText = fs.readFileSync(path.join(repoRoot, 'syntaxes', 'opendkim-conf.tmLanguage.json'), 'utf8');
  const raw = JSON.parse(grammarText);
  const known = new Set();
  for (const key of ['option-boolean', 'option-known', 'option-mode']) {
    const m = /\(\?i:([^)]*)\)/.exec(raw.repository[key].begin);
    for (const name of m ? m[1].split('|') : []) known.add(name.toLowerCase());
  }
  const missing = [...documented].filter((n) => !known.has(n));
  const extra = [...known].filter((n) => !documented.has(n));
  if (missing.length) problems.push(`opendkim-conf grammar misses options of opendkim.conf(5): ${missing.join(', ')}`);
  if (extra.length) problems.push(`opendkim-conf grammar lists options opendkim.conf(5) does not: ${extra.join(', ')}`);
  summary.push(`opendkim options: ${known.size} names in the grammar, ${documented.size} in opendkim.conf(5)`);
} else {
  problems.push('opendkim options: opendkim.conf(5) is not installed (apt-get install opendkim; `npm test` installs it)');
}

// ---- 6. docs/grammar-scopes.md lists exactly the scopes the grammars use --------------
const docPath = path.join(repoRoot, 'docs', 'grammar-scopes.md');
if (!grammarsOk) {
  summary.push('scope documentation: skipped (a grammar does not load)');
} else if (fs.existsSync(docPath)) {
  const suffixes = grammars.map((g) => g.scopeName.replace(/^source\./, ''));
  const isScope = (name) => suffixes.some((sfx) => name.endsWith(`.${sfx}`)) && !name.startsWith('source.');
  const used = new Set();
  const collect = (node) => {
    if (Array.isArray(node)) return node.forEach(collect);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'name' || key === 'contentName') && typeof value === 'string') {
        for (const name of value.split(/\s+/)) if (isScope(name)) used.add(name);
      } else collect(value);
    }
  };
  for (const g of grammars) {
    try {
      collect(JSON.parse(fs.readFileSync(g.path, 'utf8')));
    } catch {
      // already reported in stage 1
    }
  }
  const documented = new Set([...fs.readFileSync(docPath, 'utf8').matchAll(/`([a-z][\w.-]*)`/g)].map((m) => m[1]).filter(isScope));
  const undocumented = [...used].filter((s) => !documented.has(s));
  const stale = [...documented].filter((s) => !used.has(s));
  if (undocumented.length) problems.push(`docs/grammar-scopes.md misses scopes: ${undocumented.join(', ')}`);
  if (stale.length) problems.push(`docs/grammar-scopes.md lists scopes no grammar uses: ${stale.join(', ')}`);
  summary.push(`scope documentation: ${used.size} scopes used, all listed in docs/grammar-scopes.md`);
} else {
  problems.push('docs/grammar-scopes.md is missing');
}

// ---- summary --------------------------------------------------------------------------
// The test script adds these counts to node:test's for the suite's closing line.
if (process.env.GRAMMAR_COUNTS) {
  fs.writeFileSync(process.env.GRAMMAR_COUNTS, JSON.stringify({ passed: cases - failedCases, failed: failedCases + problems.length }));
}
console.log('\nGrammar test summary');
for (const [scope, files] of filesPerScope) console.log(`  ${scope}: ${files.length} test files`);
for (const line of summary) console.log(`  ${line}`);
if (problems.length) {
  console.log(`\nFAILED (${problems.length} problems):`);
  for (const p of problems) console.log(`  - ${p}`);
  process.exit(1);
}
console.log('\nOK');
