// The bad and good examples of the zone section of docs/checks.md do what the page says:
// "Bad" gives the finding, "Good" gives no finding at all.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parse, readText, REPO } from './helpers';

const DOC = path.join(REPO, 'docs', 'checks.md');
/** Examples shortened with "…" for the page, so they cannot show the finding. */
const ILLUSTRATIVE = new Set(['zone/txt-string-too-long']);

function sections(): Array<{ code: string; bad: string; good: string }> {
  const out = [];
  // The syntax section only: the semantic section's examples need diagnose() (checksDocs.test.ts).
  const text = readText(DOC);
  const semantic = text.indexOf('\n## DNS zone semantic checks');
  for (const part of (semantic < 0 ? text : text.slice(0, semantic)).split(/^### /m).slice(1)) {
    const code = /^`([^`]+)`/.exec(part)?.[1];
    if (!code?.startsWith('zone/')) continue;
    const blocks = [...part.matchAll(/^```\n([\s\S]*?)^```/gm)].map((m) => m[1]);
    assert.equal(blocks.length, 2, `${code} has a bad and a good example`);
    out.push({ code, bad: blocks[0], good: blocks[1] });
  }
  return out;
}

test('every zone code emitted by the parser has a documented example', () => {
  const documented = new Set(sections().map((s) => s.code));
  for (const code of ['zone/unbalanced-parentheses', 'zone/unterminated-string', 'zone/bad-escape', 'zone/byte-order-mark',
    'zone/unknown-directive', 'zone/missing-argument', 'zone/extra-argument', 'zone/owner-without-previous',
    'zone/inherited-owner-after-origin', 'zone/bad-ttl', 'zone/ttl-too-large', 'zone/missing-type', 'zone/unknown-type',
    'zone/meta-type', 'zone/nonstandard-type', 'zone/generic-rdata-required', 'zone/missing-rdata', 'zone/extra-rdata',
    'zone/unquoted-txt', 'zone/txt-semicolon-comment', 'zone/txt-string-too-long']) {
    assert.ok(documented.has(code), code);
  }
});

for (const { code, bad, good } of sections()) {
  test(`docs example for ${code}`, () => {
    if (!ILLUSTRATIVE.has(code)) {
      assert.ok(parse(bad).findings.some((f) => f.code === code), `bad example gives ${code}`);
    }
    assert.deepEqual(parse(good).findings.map((f) => f.code), [], 'good example is clean');
  });
}
