// The .vsix holds only what runs: the manifest, the docs a Marketplace page shows, the
// grammars and the two bundles — no sources, tests, samples or node_modules.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../..');

test('vsce packages exactly the bundles, grammars and manifest', () => {
  const r = spawnSync(process.execPath, [path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.trim().split('\n').sort();
  const grammars = fs.readdirSync(path.join(REPO, 'syntaxes')).map((f) => `syntaxes/${f}`);
  assert.deepEqual(files, ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/extension.js', 'dist/server.js', 'images/icon.png', 'package.json', ...grammars].sort());
});

test('the bundles need nothing from node_modules at run time', () => {
  for (const bundle of ['dist/extension.js', 'dist/server.js', 'dist/cli.js']) {
    const text = fs.readFileSync(path.join(REPO, bundle), 'utf8');
    const required = [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    assert.ok(required.length > 0, `${bundle}: the scan finds its require() calls`);
    const external = required.filter((m) => !m.startsWith('node:') && !BUILTINS.has(m) && m !== 'vscode');
    assert.deepEqual(external, [], `${bundle} requires ${external.join(', ')}`);
  }
});

const BUILTINS = new Set(require('node:module').builtinModules as string[]);
