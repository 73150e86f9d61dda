// The bad and good examples of "OpenDKIM semantic checks" in docs/checks.md do what the page
// says: "Bad" gives the finding, "Good" gives no finding at all (fragments without a Socket
// line may get opendkim/no-socket). A block may hold several files, each after a
// "# /etc/…" line (the first file without one is /etc/opendkim.conf), and key-file facts as
// "# key file PATH: missing", "# key file PATH: -rw------- owner:group, RSA 2048 bits" or
// "…, not a private key" with the reason OpenDKIM cannot load it, if any, in parentheses
// ("not a private key (dns-record)"; KeyFileInfo.notKeyReason); keyFactsNotation.ts reads them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, brief, diagnoseFile, uriOf, workspaceOf } from './checksSupport';
import { setOpendkimEnvironment, type KeyFileInfo } from '../../../server/src/core/opendkim/checks/environment';
import { keyFactsOf } from './keyFactsNotation';
import type { DocumentKind } from '../../../server/src/core/kinds';

const DOC = path.resolve(__dirname, '../../../docs/checks.md');

interface Example { code: string; bad: string; good: string }

function examples(): Example[] {
  const text = fs.readFileSync(DOC, 'utf8');
  const start = text.indexOf('## OpenDKIM semantic checks');
  assert.ok(start >= 0, 'docs/checks.md has an OpenDKIM semantic checks section');
  const end = text.indexOf('\n## ', start + 10);
  const section = text.slice(start, end < 0 ? undefined : end);
  return section.split(/^### /m).slice(1).map((part) => {
    const code = /^`([^`]+)`/.exec(part)?.[1] ?? '';
    const blocks = [...part.matchAll(/^```\n([\s\S]*?)^```/gm)].map((m) => m[1]);
    assert.equal(blocks.length, 2, `${code} has a bad and a good example`);
    return { code, bad: blocks[0], good: blocks[1] };
  });
}

const KINDS: Record<string, DocumentKind> = { '/etc/default/opendkim': 'opendkim-default' };

function load(block: string, code = '') {
  const files: Record<string, string> = {};
  const keys = new Map<string, KeyFileInfo>();
  let current = '/etc/opendkim.conf';
  for (const line of block.split('\n')) {
    const file = /^# (\/etc\/\S+)$/.exec(line);
    const key = /^# key file (\S+): (.*)$/.exec(line);
    if (file) current = file[1];
    else if (key) keys.set(key[1], keyFactsOf(key[2]));
    else if (line !== '' || files[current] !== undefined) files[current] = (files[current] ?? '') + line + '\n';
  }
  const ws = workspaceOf(files, KINDS);
  // Only the missing-file examples stand for a complete /etc; the others are fragments.
  setOpendkimEnvironment(ws, { configRoot: code === 'opendkim/missing-file' ? ROOT : undefined, keyFileInfo: (ref) => keys.get(ref.path) });
  return { ws, files: Object.keys(files) };
}

function findings(block: string, code: string): string[] {
  const { ws, files } = load(block, code);
  return files.flatMap((f) => brief(diagnoseFile(ws, f)).map((b) => `${f} ${b}`));
}

test('the section documents every semantic OpenDKIM code', () => {
  const documented = new Set(examples().map((e) => e.code));
  const codes = new Set<string>();
  const dir = path.resolve(__dirname, '../../../server/src/core/opendkim/checks');
  for (const f of fs.readdirSync(dir)) {
    for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/'(opendkim\/[a-z0-9-]+)'/g)) codes.add(m[1]);
  }
  assert.ok(codes.size >= 25);
  assert.deepEqual([...codes].filter((c) => !documented.has(c)).sort(), []);
});

for (const { code, bad, good } of examples()) {
  test(`docs example for ${code}`, () => {
    const b = findings(bad, code);
    assert.ok(b.some((f) => f.includes(` ${code} `)), `bad example gives ${code}: ${JSON.stringify(b)}`);
    const g = findings(good, code).filter((f) => !(f.includes('opendkim/no-socket') && code !== 'opendkim/no-socket'));
    assert.deepEqual(g, [], 'good example is clean');
  });
}

test('the examples are real configurations: the checks run on every block without syntax errors', () => {
  for (const { bad, good } of examples()) {
    for (const block of [bad, good]) {
      const { ws, files } = load(block);
      for (const f of files) {
        const syntax = ws.get(uriOf(f))!.analysis.parse.findings;
        assert.ok(syntax.every((x) => x.severity !== 'error'), `${f}: ${JSON.stringify(brief(syntax))}`);
      }
    }
  }
});
