// No child process is started with text from a document, because none is started at all:
// no source of the server, the CLI or the core imports child_process (checked with the
// TypeScript compiler API), and the built CLI does not contain it. The built server bundle
// carries vscode-languageserver's helpers that could (resolving a global npm module); that
// the server never calls them is shown at run time by test/integration/keyMaterial.test.ts
// and test/lsp/untrusted.test.ts, which record every process the server starts (none).
// The VS Code client starts the server itself (vscode-languageclient's fork): the one
// documented process.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const REPO = path.resolve(__dirname, '../../..');
const FORBIDDEN = new Set(['child_process', 'node:child_process', 'worker_threads', 'node:worker_threads', 'cluster', 'node:cluster']);

function modulesImported(dir: string): Array<{ file: string; module: string }> {
  const out: Array<{ file: string; module: string }> = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { walk(p); continue; }
      if (!e.name.endsWith('.ts')) continue;
      const sf = ts.createSourceFile(p, fs.readFileSync(p, 'utf8'), ts.ScriptTarget.ES2022, true);
      const visit = (node: ts.Node): void => {
        let spec: ts.Expression | undefined;
        if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) spec = node.moduleSpecifier;
        else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) spec = node.moduleReference.expression;
        else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) spec = node.arguments[0];
        if (spec && ts.isStringLiteralLike(spec)) out.push({ file: path.relative(REPO, p), module: spec.text });
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
  };
  walk(path.join(REPO, dir));
  return out;
}

test('no source of the server, CLI or core imports child_process (or worker threads)', () => {
  const imports = modulesImported('server/src');
  assert.ok(imports.length > 100, 'the scan sees the imports');
  assert.deepEqual(imports.filter((i) => FORBIDDEN.has(i.module)), []);
});

test('the VS Code client imports no child_process either (vscode-languageclient starts the server)', () => {
  assert.deepEqual(modulesImported('client/src').filter((i) => FORBIDDEN.has(i.module)), []);
});

/** Node modules the pure core may use: they compute, they do no I/O. */
const PURE_NODE_MODULES = new Set(['node:crypto']); // DER parsing of DKIM public keys (records/dkim/publicKey.ts)

test('the core imports no Node module that does I/O (fs, net, dns, processes)', () => {
  const core = modulesImported('server/src/core').filter((i) => !i.module.startsWith('.') && !PURE_NODE_MODULES.has(i.module));
  assert.deepEqual(core, []);
});

test('the built CLI bundle contains no child_process', () => {
  const cli = path.join(REPO, 'dist', 'cli.js');
  assert.ok(fs.existsSync(cli), 'npm run build first');
  assert.ok(!fs.readFileSync(cli, 'utf8').includes('child_process'));
});
