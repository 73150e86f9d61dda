// The bad and good examples of the "DNS zone semantic checks" section of docs/checks.md:
// run through diagnose() as /etc/bind/db.example.org (zone example.org from the file
// name), the bad example gives its code and the good example gives no finding at all.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readText, REPO } from './helpers';
import { diagnoseZone } from './checksSupport';

const DOC = path.join(REPO, 'docs', 'checks.md');

function semanticSection(): string {
  const text = readText(DOC);
  const start = text.indexOf('\n## DNS zone semantic checks');
  assert.ok(start >= 0, 'docs/checks.md has the zone semantic section');
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

function examples(): Array<{ code: string; bad: string; good: string }> {
  const out = [];
  for (const part of semanticSection().split(/^### /m).slice(1)) {
    const code = /^`([^`]+)`/.exec(part)?.[1];
    assert.ok(code, 'each entry starts with its code');
    const blocks = [...part.matchAll(/^```\n([\s\S]*?)^```/gm)].map((m) => m[1]);
    assert.equal(blocks.length, 2, `${code} has a bad and a good example`);
    out.push({ code, bad: blocks[0], good: blocks[1] });
  }
  return out;
}

test('the zone semantic codes are documented with examples', () => {
  const codes = examples().map((e) => e.code);
  for (const code of ['zone/bad-address', 'zone/bad-number', 'zone/bad-name', 'zone/relative-name', 'zone/target-is-address',
    'zone/target-is-cname', 'zone/target-without-address', 'zone/null-mx-with-other-mx', 'zone/null-mx-preference', 'zone/cname-and-other-data', 'zone/multiple-cname', 'zone/multiple-soa',
    'zone/soa-not-at-apex', 'zone/missing-ns', 'zone/soa-mailbox-with-at', 'zone/duplicate-record', 'zone/out-of-zone',
    'zone/bad-caa-tag', 'zone/unknown-caa-tag', 'zone/bad-hex', 'zone/tlsa-digest-length', 'zone/tlsa-unknown-parameter',
    'zone/txt-exceeds-udp', 'zone/missing-dmarc', 'zone/include-not-found', 'zone/include-loop']) {
    assert.ok(codes.includes(code), code);
  }
});

for (const { code, bad, good } of examples()) {
  test(`docs example for ${code}`, () => {
    const uri = 'file:///etc/bind/db.example.org';
    const badCodes = diagnoseZone({ [uri]: bad }, uri).map((f) => f.code);
    assert.ok(badCodes.includes(code), `bad example gives ${code}: ${JSON.stringify(badCodes)}`);
    assert.deepEqual(diagnoseZone({ [uri]: good }, uri).map((f) => `${f.code}: ${f.message}`), [], 'good example is clean');
  });
}
