// The DKIM, DMARC, MTA-STS and TLS-RPT sections of docs/checks.md do what they say: run
// through diagnose() as /etc/bind/db.example.org (the zone checks dispatch each TXT
// record to the record checkers), each "Bad" example gives its code and each "Good"
// example gives no finding at all. Every code the record checkers can emit is documented.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnoseText } from '../zone/checksSupport';

const REPO = path.resolve(__dirname, '../../..');
const DOC = path.join(REPO, 'docs', 'checks.md');
const SECTIONS = ['## DKIM key records', '## DMARC records', '## MTA-STS and TLS-RPT records'];
const SOURCES = ['dkim', 'dmarc', 'mtasts', 'tlsrpt', 'tags'].map((d) => path.join(REPO, 'server/src/core/records', d));
/** Examples shortened with "…" for the page (a private key, an 8192-bit key): they cannot show the finding. */
const ILLUSTRATIVE = new Set(['dkim/private-key-published', 'dkim/key-over-4096-bits']);

function sectionText(text: string, heading: string): string {
  const start = text.indexOf('\n' + heading + '\n');
  assert.ok(start >= 0, `docs/checks.md has the section "${heading}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

function examples(): Array<{ code: string; bad: string; good: string }> {
  const text = fs.readFileSync(DOC, 'utf8');
  const out = [];
  for (const heading of SECTIONS) {
    for (const part of sectionText(text, heading).split(/^### /m).slice(1)) {
      const code = /^`([^`]+)`/.exec(part)?.[1];
      assert.ok(code, 'each entry starts with its code');
      assert.match(part, /^Severity: /m, `${code} states its severity`);
      const blocks = [...part.matchAll(/^```\n([\s\S]*?)^```/gm)].map((m) => m[1]);
      assert.equal(blocks.length, 2, `${code} has a bad and a good example`);
      out.push({ code, bad: blocks[0], good: blocks[1] });
    }
  }
  return out;
}

function codesInSources(): Set<string> {
  const used = new Set<string>();
  for (const dir of SOURCES) {
    for (const f of fs.readdirSync(dir)) {
      for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/'((?:dkim|dmarc|mta-sts|tlsrpt)\/[a-z0-9-]+)'/g)) used.add(m[1]);
    }
  }
  return used;
}

const documented = examples();

test('every dkim/, dmarc/, mta-sts/ and tlsrpt/ code of the record checkers is documented once', () => {
  const used = codesInSources();
  assert.ok(used.size >= 60, `found ${used.size} codes`);
  const have = documented.map((d) => d.code);
  assert.deepEqual([...used].filter((c) => !have.includes(c)).sort(), [], 'codes without an entry');
  assert.deepEqual(have.filter((c) => !used.has(c)), [], 'entries for codes nothing emits');
  assert.equal(new Set(have).size, have.length, 'no code documented twice');
});

for (const { code, bad, good } of documented) {
  test(`docs example for ${code}`, () => {
    if (!ILLUSTRATIVE.has(code)) {
      const badCodes = diagnoseText(bad).map((f) => f.code);
      assert.ok(badCodes.includes(code), `bad example gives ${code}: ${JSON.stringify(badCodes)}`);
    }
    assert.deepEqual(diagnoseText(good).map((f) => `${f.code}: ${f.message}`), [], 'good example is clean');
  });
}
