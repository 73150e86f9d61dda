// The examples of the "Postfix ↔ DNS: reverse DNS" section of docs/checks.md do what the page
// says: each example is a main.cf, a forward zone and a reverse zone, put at
// /etc/postfix/main.cf, /etc/bind/db.example.org and /etc/bind/db.192.0.2; the bad one gives
// its code on main.cf and the reverse zone, the good one gives no finding at all on any file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { diagnose } from '../../../server/src/core/checks';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { multiFileExamples } from '../checksSection';

const SECTION = 'Postfix ↔ DNS: reverse DNS of the sending host';

function findings([main, forward, reverse]: string[]): { main: string[]; forward: string[]; reverse: string[] } {
  const ws = new Workspace();
  const docs = [
    ws.setOnDisk('file:///etc/postfix/main.cf', 'postfix-main', main),
    ws.setOnDisk('file:///etc/bind/db.example.org', 'dns-zone', forward),
    ws.setOnDisk('file:///etc/bind/db.192.0.2', 'dns-zone', reverse),
  ];
  const [m, f, r] = docs.map((doc) => diagnose({ doc, workspace: ws, settings: DEFAULT_SETTINGS }).map((x) => `${x.code}: ${x.message}`));
  return { main: m, forward: f, reverse: r };
}

const all = multiFileExamples(SECTION, 3);

test('the section documents its codes', () => {
  assert.deepEqual(all.map((e) => e.code), ['rdns/sending-address-without-ptr', 'rdns/ptr-not-forward-confirmed', 'rdns/ptr-not-helo-name', 'rdns/several-ptr-records']);
});

for (const { code, bad, good } of all) {
  test(`docs example for ${code}`, () => {
    const b = findings(bad);
    assert.ok(b.main.some((f) => f.startsWith(code + ':')), `main.cf of the bad example: ${JSON.stringify(b.main)}`);
    assert.ok(b.reverse.some((f) => f.startsWith(code + ':')), `reverse zone of the bad example: ${JSON.stringify(b.reverse)}`);
    assert.deepEqual(b.forward, [], 'the forward zone of the bad example is clean');
    assert.deepEqual(findings(good), { main: [], forward: [], reverse: [] }, 'the good example is clean');
  });
}
