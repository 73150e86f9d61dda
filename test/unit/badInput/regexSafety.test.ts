// No regular expression of ours is open to catastrophic backtracking (ReDoS): every regex
// literal and every `new RegExp("literal")` in server/src and client/src, found with the
// TypeScript compiler API, and the manifest's firstLine pattern, checked with recheck
// (automaton + fuzz). A `new RegExp(expression)` built at run time cannot be checked
// statically; those are listed here with why they are safe, and a new one fails the test
// until it is looked at. Then the worst inputs recheck finds for our riskiest patterns are
// run against them, timed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
// recheck's CommonJS entry; checkSync runs its bundled checker in-process.
import { checkSync } from 'recheck';
import { uriBasename, uriDirname } from '../../../server/src/core/stack/postfixInstance';
import { sectionTitle } from '../../../server/src/core/postfix/outline';
import { sniffTable, looksLikeZone } from '../../../server/src/core/kinds';
import { postfixMilterEndpoint } from '../../../server/src/core/stack/milterEndpoints';
import { expandDefault, socketAssignment } from '../../../server/src/core/opendkim/checks/socketInEffect';
import { Workspace } from '../../../server/src/core/stack/workspace';

const REPO = path.resolve(__dirname, '../../..');
const ROOTS = ['server/src', 'client/src'];

interface FoundRegex {
  file: string;
  line: number;
  source: string;
  flags: string;
}

/** `new RegExp(...)` calls whose pattern is computed, by file and the text of the argument, with why it is safe. */
const DYNAMIC_REVIEWED: Record<string, string> = {};

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.ts')) out.push(full);
    }
  };
  for (const r of ROOTS) walk(path.join(REPO, r));
  return out.sort();
}

function collect(): { found: FoundRegex[]; dynamic: string[] } {
  const found: FoundRegex[] = [];
  const dynamic: string[] = [];
  for (const file of sourceFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const rel = path.relative(REPO, file);
    const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const literal = node.getText(sf);
        const slash = literal.lastIndexOf('/');
        found.push({ file: rel, line: lineOf(node), source: literal.slice(1, slash), flags: literal.slice(slash + 1) });
      } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
        const [pattern, flags] = node.arguments ?? [];
        const flagText = flags && (ts.isStringLiteral(flags) || ts.isNoSubstitutionTemplateLiteral(flags)) ? flags.text : '';
        if (pattern && (ts.isStringLiteral(pattern) || ts.isNoSubstitutionTemplateLiteral(pattern))) {
          found.push({ file: rel, line: lineOf(node), source: pattern.text, flags: flagText });
        } else if (pattern) {
          dynamic.push(`${rel}: ${pattern.getText(sf)}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { found, dynamic };
}

/** Patterns from the extension manifest that VS Code runs as JavaScript regular expressions. */
function manifestPatterns(): FoundRegex[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const out: FoundRegex[] = [];
  for (const lang of pkg.contributes?.languages ?? []) {
    if (lang.firstLine) out.push({ file: 'package.json', line: 0, source: lang.firstLine, flags: '' });
  }
  for (const [name, prop] of Object.entries<{ pattern?: string }>(pkg.contributes?.configuration?.properties ?? {})) {
    if (prop.pattern) out.push({ file: `package.json ${name}`, line: 0, source: prop.pattern, flags: 'u' });
  }
  return out;
}

const { found, dynamic } = collect();
const all = [...found, ...manifestPatterns()];

test('the sources have regular expressions to check (the scan works)', () => {
  assert.ok(found.length > 50, `${found.length} found`);
});

test('no regular expression is vulnerable to catastrophic backtracking (recheck)', () => {
  const t0 = performance.now();
  const vulnerable: string[] = [];
  const unknown: string[] = [];
  // One check per distinct pattern; every site of a vulnerable one is named.
  const seen = new Map<string, ReturnType<typeof checkSync>>();
  let slowest = { ms: 0, at: '' };
  for (const r of all) {
    const key = `/${r.source}/${r.flags}`;
    const at = `${r.file}:${r.line} ${key}`;
    let result = seen.get(key);
    if (!result) {
      const t1 = performance.now();
      result = checkSync(r.source, r.flags, { timeout: 10_000 });
      const ms = performance.now() - t1;
      if (ms > slowest.ms) slowest = { ms, at };
      seen.set(key, result);
    }
    if (result.status === 'vulnerable') {
      vulnerable.push(`${at}: ${result.complexity.summary}, attack ${result.attack.pattern}`);
    } else if (result.status === 'unknown') {
      unknown.push(`${at}: ${result.error.kind}`);
    }
  }
  console.log(`recheck: ${seen.size} distinct patterns (${all.length} sites) in ${Math.round(performance.now() - t0)} ms; slowest ${Math.round(slowest.ms)} ms (${slowest.at}); ${unknown.length} unknown`);
  for (const u of unknown) console.log(`unknown: ${u}`);
  assert.deepEqual(vulnerable, []);
  // recheck gives up on nothing of ours: every pattern was decided safe.
  assert.deepEqual(unknown, []);
});

test('every RegExp built at run time has been looked at', () => {
  const unreviewed = dynamic.filter((d) => !(d in DYNAMIC_REVIEWED));
  assert.deepEqual(unreviewed, [], 'review each: does the pattern come from our own constants, escaped? then list it in DYNAMIC_REVIEWED');
});

// The inputs recheck named as attacks on the patterns these functions used to have, 100k
// characters and more, through the functions themselves: each must answer at once (a 30 s
// bound catches a hang; the times are printed).
test('the worst inputs of the former quadratic patterns', () => {
  const N = 200_000;
  const cases: Array<[string, () => unknown]> = [
    ['uriDirname', () => uriDirname('file:///' + '#'.repeat(N) + '\n#')],
    ['uriBasename', () => uriBasename('file:///x/%E0%A4%A' + '?'.repeat(N))],
    ['sectionTitle (tabs)', () => sectionTitle('# ' + '\t'.repeat(N) + '\u0000\t')],
    ['sectionTitle (rules)', () => sectionTitle('# ' + '##'.repeat(N) + '\u0000##')],
    ['sniffTable', () => sniffTable('#'.repeat(4000) + '\n#')],
    ['looksLikeZone', () => looksLikeZone(';'.repeat(N) + '\n;')],
    ['milter endpoint in a chroot', () => postfixMilterEndpoint('unix:' + '/'.repeat(N) + 'x', { chrooted: true, queueDirectory: '/var/spool/postfix' + '/'.repeat(N) + '\u0000/' })],
    ['SOCKET=${A-… without }', () => {
      const ws = new Workspace();
      const doc = ws.setOpen('file:///etc/default/opendkim', 'opendkim-default', 'SOCKET=' + '${A-'.repeat(N / 4) + '$A\n', 1);
      const a = socketAssignment(doc);
      return a && expandDefault(doc, a);
    }],
  ];
  for (const [name, run] of cases) {
    const t0 = performance.now();
    run();
    const ms = performance.now() - t0;
    console.log(`${name}: ${Math.round(ms)} ms`);
    assert.ok(ms < 30_000, `${name}: ${Math.round(ms)} ms`);
  }
});
