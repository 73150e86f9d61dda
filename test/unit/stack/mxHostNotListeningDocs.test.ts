// The examples of the "Postfix ↔ DNS: does the MX host accept mail" section of docs/checks.md
// do what the page says: each example is a main.cf and a zone file, put at
// /etc/postfix/main.cf and /etc/bind/db.example.org; the bad one gives its code on both, the
// good one gives no finding at all on either file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etcStack } from './etcStack';
import { multiFileExamples } from '../checksSection';

const SECTION = 'Postfix ↔ DNS: does the MX host accept mail';

function findings([main, zone]: string[]): { main: string[]; zone: string[] } {
  const s = etcStack({ 'postfix/main.cf': main, 'bind/db.example.org': zone }, () => true);
  const text = (path: string) => s.findings(path).map((x) => `${x.code}: ${x.message}`);
  return { main: text('postfix/main.cf'), zone: text('bind/db.example.org') };
}

const all = multiFileExamples(SECTION, 2);

test('the section documents its code', () => {
  assert.deepEqual(all.map((e) => e.code), ['mx/host-not-listening']);
});

for (const { code, bad, good } of all) {
  test(`docs example for ${code}`, () => {
    const b = findings(bad);
    assert.ok(b.main.some((f) => f.startsWith(code + ':')), `main.cf of the bad example: ${JSON.stringify(b.main)}`);
    assert.ok(b.zone.some((f) => f.startsWith(code + ':')), `zone of the bad example: ${JSON.stringify(b.zone)}`);
    assert.deepEqual(findings(good), { main: [], zone: [] }, 'the good example is clean');
  });
}
