// The SPF section of docs/checks.md does what it says: each "Bad" zone snippet gives its
// code, each "Good" one gives no SPF finding at all. The snippets run the way the zone
// checks run them: every SPF-looking TXT record, the set of TXT records per owner, and a
// resolver over the snippet's own records for the lookup counting.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spfFindingsOfZone } from './spfZone';
import { checksSection } from '../checksSection';

function sections(): Array<{ code: string; bad: string; good: string }> {
  const out = [];
  // The SPF section only: spf/ codes documented elsewhere need other files beside the zone (their own tests).
  for (const part of checksSection('SPF records\n').split(/^### /m).slice(1)) {
    const code = /^`([^`]+)`/.exec(part)?.[1];
    if (!code?.startsWith('spf/')) continue;
    const blocks = [...part.matchAll(/^```\n([\s\S]*?)^```/gm)].map((m) => m[1]);
    assert.equal(blocks.length, 2, `${code} has a bad and a good example`);
    out.push({ code, bad: blocks[0], good: blocks[1] });
  }
  return out;
}

const documented = sections();

test('the SPF section documents every spf/ code the sources use', () => {
  const src = path.resolve(__dirname, '../../../server/src/core/records/spf');
  const used = new Set<string>();
  for (const f of fs.readdirSync(src)) {
    for (const m of fs.readFileSync(path.join(src, f), 'utf8').matchAll(/'(spf\/[a-z0-9-]+)'/g)) used.add(m[1]);
  }
  const have = new Set(documented.map((s) => s.code));
  assert.ok(used.size >= 30, `found ${used.size} codes`);
  assert.deepEqual([...used].filter((c) => !have.has(c)).sort(), []);
});

for (const { code, bad, good } of documented) {
  test(`docs example for ${code}`, () => {
    const badCodes = spfFindingsOfZone(bad).map((f) => f.code);
    assert.ok(badCodes.includes(code), `bad example gives ${code} (got ${badCodes.join(', ') || 'nothing'})`);
    assert.deepEqual(spfFindingsOfZone(good).map((f) => `${f.code}: ${f.message}`), [], 'good example has no SPF finding');
  });
}
