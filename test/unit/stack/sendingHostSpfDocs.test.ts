// The examples of the "Postfix ↔ DNS" section of docs/checks.md do what the page says: each
// example is a main.cf block and a zone file block, put at /etc/postfix/main.cf and
// /etc/bind/db.example.org; the bad one gives its code on both files, the good one gives no
// finding at all on either.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { diagnose } from '../../../server/src/core/checks';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { checksSection } from '../checksSection';

interface Example { main: string; zone: string }

function examples(): Array<{ code: string; bad: Example; good: Example }> {
  const out = [];
  for (const part of checksSection('Postfix ↔ DNS').split(/^### /m).slice(1)) {
    const code = /^`([^`]+)`/.exec(part)?.[1];
    assert.ok(code, 'each entry starts with its code');
    const pair = (label: string): Example => {
      const from = part.search(new RegExp(`^${label}\\b`, 'm'));
      assert.ok(from >= 0, `${code} has a ${label} example`);
      const blocks = [...part.slice(from).matchAll(/^```\n([\s\S]*?)^```/gm)].map((m) => m[1]);
      assert.ok(blocks.length >= 2, `${code}: ${label} has a main.cf block and a zone block`);
      return { main: blocks[0], zone: blocks[1] };
    };
    out.push({ code, bad: pair('Bad'), good: pair('Good') });
  }
  return out;
}

function findings(ex: Example): { main: string[]; zone: string[] } {
  const ws = new Workspace();
  const main = ws.setOnDisk('file:///etc/postfix/main.cf', 'postfix-main', ex.main);
  const zone = ws.setOnDisk('file:///etc/bind/db.example.org', 'dns-zone', ex.zone);
  const codes = (doc: typeof main) => diagnose({ doc, workspace: ws, settings: DEFAULT_SETTINGS }).map((f) => `${f.code}: ${f.message}`);
  return { main: codes(main), zone: codes(zone) };
}

const all = examples();

test('the section documents its codes', () => {
  assert.deepEqual(all.map((e) => e.code), ['spf/sending-host-not-authorized']);
});

for (const { code, bad, good } of all) {
  test(`docs example for ${code}`, () => {
    const b = findings(bad);
    assert.ok(b.main.some((f) => f.startsWith(code + ':')), `main.cf of the bad example: ${JSON.stringify(b.main)}`);
    assert.ok(b.zone.some((f) => f.startsWith(code + ':')), `zone of the bad example: ${JSON.stringify(b.zone)}`);
    assert.deepEqual(findings(good), { main: [], zone: [] }, 'the good example is clean');
  });
}
