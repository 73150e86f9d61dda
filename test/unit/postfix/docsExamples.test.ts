// The bad/good examples of the documentation are real: each bad example produces its
// code, each good example does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main, master } from './helpers';

const REPO = path.resolve(__dirname, '../../..');
const CHECKS = path.join(REPO, 'docs', 'checks.md');

/** Examples that stand for bytes a code block cannot show, or for a bug. */
const NOT_LITERAL = new Set(['postfix/byte-order-mark', 'postfix/cr-line-ending', 'postfix/nul-byte', 'postfix/too-many-findings', 'postfix/internal-error']);

interface Example { code: string; bad?: string; good?: string }

function examples(markdown: string): Example[] {
  const out: Example[] = [];
  const sections = markdown.split(/^### `/m).slice(1);
  for (const s of sections) {
    const code = s.slice(0, s.indexOf('`'));
    if (!/^(postfix|master)\//.test(code)) continue;
    const blocks = [...s.matchAll(/^(Bad|Good)[^\n]*\n\n```\n([\s\S]*?)```/gm)];
    const ex: Example = { code };
    for (const b of blocks) ex[b[1] === 'Bad' ? 'bad' : 'good'] = b[2];
    out.push(ex);
  }
  return out;
}

const source = CHECKS;
const all = examples(fs.readFileSync(source, 'utf8'));

test('the Postfix checks are documented with examples', () => {
  assert.ok(all.length >= 25, `${all.length} sections in ${source}`);
  for (const ex of all) assert.ok(ex.bad !== undefined && ex.good !== undefined, `${ex.code} has a bad and a good example`);
});

for (const ex of all.filter((e) => !NOT_LITERAL.has(e.code))) {
  test(`documented example: ${ex.code}`, () => {
    const parse = ex.code.startsWith('master/') ? master : main;
    const bad = parse(ex.bad ?? '').findings.map((f) => f.code);
    const good = parse(ex.good ?? '').findings.map((f) => f.code);
    assert.ok(bad.includes(ex.code), `bad example gives ${JSON.stringify(bad)}`);
    assert.deepEqual(good, [], 'good example is clean');
  });
}
