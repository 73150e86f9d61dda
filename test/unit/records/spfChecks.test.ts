// Every SPF finding code on a record, with the exact text its squiggle covers, and the
// quick fixes applied to the text. The record is written as quoted strings on one line,
// as a zone file would (lineRecord), so ranges, string breaks and edits are real.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSpfRecord, checkSpfRecordSet, looksLikeSpf, spfRrTypeFinding } from '../../../server/src/core/records/spf/checks';
import { applyEdits, describe, lineRecord, single } from './spfHelpers';
import { range } from '../../../server/src/core/types';

function findings(strings: string[]) {
  const { text, rec } = lineRecord(strings);
  return { text, list: checkSpfRecord(rec) };
}

/** [the record's strings, the findings as "code 'squiggled text'"]. */
const CASES: Array<[string[], string[]]> = [
  [["mx -all"], ["spf/missing-version 'mx'"]],
  [["mx v=spf1 -all"], ["spf/misplaced-version 'v=spf1'"]],
  [["  v=spf1 -all"], ["spf/misplaced-version '  v=spf1'"]],
  [["v=spf1mx -all"], ["spf/bad-version 'v=spf1mx'"]],
  [["v=spf1", "mx", "-all"], ["spf/split-strings 'v=spf1\" \"mx\" \"-all'"]],
  [["v=spf1 ip4:192.0.2.1", "-all"], ["spf/split-strings 'ip4:192.0.2.1\" \"-all'"]],
  [["v=spf1 include:a.example.com", "mx -all"], ["spf/split-strings 'include:a.example.com\" \"mx'"]],
  [["v=spf1 ip4:192.0.2.1 include:_spf.goo", "gle.com -all"], []],
  [["v=spf1 mx inc:a.example.com -all"], ["spf/unknown-mechanism 'inc'"]],
  [["v=spf1 mx redirect:a.example.com"], ["spf/unknown-mechanism 'redirect'"]],
  [["v=spf1 mx *all"], ["spf/bad-qualifier '*'"]],
  [["v=spf1 mx --all"], ["spf/bad-qualifier '-'"]],
  [["v=spf1 mx\t-all"], ["spf/bad-character '\t'"]],
  [["v=spf1 mx ip4:192.0.2.256 ip4:192.0.2.01 ip4: ip4 -all"], ["spf/bad-ip4 '192.0.2.256'", "spf/bad-ip4 '192.0.2.01'", "spf/bad-ip4 'ip4:'", "spf/bad-ip4 'ip4'"]],
  [["v=spf1 ip6:2001:db8::/129 ip6:2001:db8:::1 ip6:fe80::1%eth0 -all"], ["spf/bad-prefix-length '/129'", "spf/bad-ip6 '2001:db8:::1'", "spf/bad-ip6 'fe80::1%eth0'"]],
  [["v=spf1 a/33 mx//129 a:mail.example.com/24//64 ip4:192.0.2.0/024 a/ mx/abc -all"], ["spf/bad-prefix-length '/33'", "spf/bad-prefix-length '/129'", "spf/bad-prefix-length '/024'", "spf/bad-prefix-length '/'", "spf/bad-prefix-length '/abc'"]],
  [["v=spf1 include: exists a: redirect= -all"], ["spf/missing-domain 'include:'", "spf/missing-domain 'exists'", "spf/missing-domain 'a:'", "spf/missing-domain 'redirect='"]],
  [["v=spf1 a:mail a:mail.example.123 a:mail..example.com a:-x.-com -all"], ["spf/bad-domain 'mail'", "spf/bad-domain 'mail.example.123'", "spf/bad-domain 'mail..example.com'", "spf/bad-domain '-x.-com'"]],
  [["v=spf1 exists:%{z}.example.com exists:%{i0}.example.com exists:%{ir.example.com exists:%x.example.com exists:%{c}.example.com -all"], ["spf/bad-macro '%{z}'", "spf/bad-macro '%{i0}'", "spf/bad-macro '%{ir.example.com'", "spf/bad-macro '%x'", "spf/bad-macro '%{c}'"]],
  [["v=spf1 all:x ptr/24 include/24 -all"], ["spf/unexpected-argument ':x'", "spf/unexpected-argument '/24'", "spf/missing-domain 'include/24'"]],
  [["v=spf1 redirect=a.example.com redirect=b.example.com"], ["spf/duplicate-modifier 'redirect=b.example.com'"]],
  [["v=spf1 mx exp=a.example.com exp=b.example.com -all"], ["spf/duplicate-modifier 'exp=b.example.com'"]],
  [["v=spf1 mx foo=bar redirct=a.example.com ra=postmaster -all"], ["spf/unknown-modifier 'foo'", "spf/unknown-modifier 'redirct'"]],
  [["v=spf1 mx a mx ip4:192.0.2.1 ip4:192.0.2.1 -all"], ["spf/duplicate-mechanism 'mx'", "spf/duplicate-mechanism 'ip4:192.0.2.1'"]],
  [["v=spf1 -all mx a"], ["spf/terms-after-all 'mx a'"]],
  [["v=spf1 mx ~all redirect=_spf.example.com"], ["spf/redirect-ignored 'redirect=_spf.example.com'"]],
  [["v=spf1 ptr -all"], ["spf/ptr-deprecated 'ptr'"]],
  [["v=spf1 mx +all"], ["spf/plus-all '+all'"]],
  [["v=spf1 mx all"], ["spf/plus-all 'all'"]],
  [["v=spf1 ip4:0.0.0.0/0 -all"], ["spf/plus-all 'ip4:0.0.0.0/0'"]],
  [["v=spf1 mx ?all"], ["spf/neutral-all '?all'"]],
  [["v=spf1 mx"], ["spf/no-all 'v=spf1'"]],
  [["v=spf1 ip4:192.0.2.10/24 ip6:2001:db8::1/64 -all"], ["spf/host-bits-set '192.0.2.10/24'", "spf/host-bits-set '2001:db8::1/64'"]],
  [["v=spf1 a a a a a a a a a a a -all"], ["spf/duplicate-mechanism 'a'", "spf/duplicate-mechanism 'a'", "spf/duplicate-mechanism 'a'", "spf/duplicate-mechanism 'a'", "spf/duplicate-mechanism 'a'", "spf/duplicate-mechanism 'a'", "spf/duplicate-mechanism 'a'", "spf/duplicate-mechanism 'a'", "spf/duplicate-mechanism 'a'", "spf/duplicate-mechanism 'a'", "spf/too-many-lookups 'a'"]],
  [["v=spf1 mx –all"], ["spf/bad-character '–'"]],
];

for (const [strings, expected] of CASES) {
  test(`findings of ${JSON.stringify(strings)}`, () => {
    const { text, list } = findings(strings);
    assert.deepEqual(describe(text, list), expected);
    for (const f of list) {
      assert.ok(f.message.length > 40, `${f.code} has a message that explains`);
      assert.equal(f.severity, SEVERITY[f.code] ?? f.severity, `${f.code} severity`);
    }
  });
}

const SEVERITY: Record<string, string> = {
  'spf/missing-version': 'error', 'spf/misplaced-version': 'error', 'spf/bad-version': 'error',
  'spf/unknown-mechanism': 'error', 'spf/bad-qualifier': 'error', 'spf/bad-ip4': 'error', 'spf/bad-ip6': 'error',
  'spf/bad-prefix-length': 'error', 'spf/plus-all': 'error', 'spf/neutral-all': 'warning', 'spf/no-all': 'information',
  'spf/terms-after-all': 'warning', 'spf/redirect-ignored': 'warning', 'spf/ptr-deprecated': 'warning',
  'spf/host-bits-set': 'warning', 'spf/unknown-modifier': 'warning', 'spf/duplicate-mechanism': 'warning',
  'spf/duplicate-modifier': 'error', 'spf/too-many-lookups': 'error',
};

function fixed(strings: string[], code: string, fixIndex = 0): string {
  const { text, rec } = lineRecord(strings);
  const f = checkSpfRecord(rec).find((x) => x.code === code);
  assert.ok(f?.fixes?.[fixIndex], `${code} has fix ${fixIndex}`);
  return applyEdits(text, f.fixes[fixIndex].edits);
}

test('quick fixes rewrite the record as meant', () => {
  assert.equal(fixed(['mx -all'], 'spf/missing-version'), '"v=spf1 mx -all"');
  assert.equal(fixed(['mx v=spf1 -all'], 'spf/misplaced-version'), '"v=spf1 mx -all"');
  assert.equal(fixed(['  v=spf1 -all'], 'spf/misplaced-version'), '"v=spf1 -all"');
  assert.equal(fixed(['v=spf1mx -all'], 'spf/bad-version'), '"v=spf1 mx -all"');
  assert.equal(fixed(['v=spf1 -all mx a'], 'spf/terms-after-all'), '"v=spf1 mx a -all"');
  assert.equal(fixed(['v=spf1 mx a mx -all'], 'spf/duplicate-mechanism'), '"v=spf1 mx a -all"');
  assert.equal(fixed(['v=spf1 mx +all'], 'spf/plus-all'), '"v=spf1 mx ~all"');
  assert.equal(fixed(['v=spf1 mx +all'], 'spf/plus-all', 1), '"v=spf1 mx -all"');
  assert.equal(fixed(['v=spf1 mx ?all'], 'spf/neutral-all'), '"v=spf1 mx ~all"');
  assert.equal(fixed(['v=spf1 mx'], 'spf/no-all'), '"v=spf1 mx ~all"');
  assert.equal(fixed(['v=spf1 ip4:192.0.2.10/24 -all'], 'spf/host-bits-set'), '"v=spf1 ip4:192.0.2.0/24 -all"');
  assert.equal(fixed(['v=spf1 ip4:192.0.2.10/24 -all'], 'spf/host-bits-set', 1), '"v=spf1 ip4:192.0.2.10 -all"');
  assert.equal(fixed(['v=spf1 mx redirct=a.example.com'], 'spf/unknown-modifier'), '"v=spf1 mx redirect=a.example.com"');
  assert.equal(fixed(['v=spf1 ptr mx -all'], 'spf/ptr-deprecated'), '"v=spf1 mx -all"');
  assert.equal(fixed(['v=spf1 mx ~all redirect=x.example.com'], 'spf/redirect-ignored', 0), '"v=spf1 mx redirect=x.example.com"');
  assert.equal(fixed(['v=spf1 mx ~all redirect=x.example.com'], 'spf/redirect-ignored', 1), '"v=spf1 mx ~all"');
  // The preferred fixes are the obvious ones.
  const { rec } = single('v=spf1 mx mx +all');
  const prefs = checkSpfRecord(rec).map((f) => `${f.code}:${f.fixes?.find((x) => x.preferred)?.title ?? '-'}`);
  assert.deepEqual(prefs, ['spf/duplicate-mechanism:Remove the duplicate "mx"', 'spf/plus-all:Change to ~all']);
});

test('the record as meant is checked behind a split: unquoted seed 002 gets split-strings and ?all', () => {
  const strings = ['v=spf1', 'a', 'mx', 'a:mail.domain1.tld', 'a:mail.domain2.tld', 'ip4:123.123.123.42', '?all'];
  const { text, rec } = lineRecord(strings, { quoted: false });
  const list = checkSpfRecord(rec);
  assert.deepEqual(describe(text, list), [`spf/split-strings '${text}'`, "spf/neutral-all '?all'"]);
  assert.equal(list[0].severity, 'error');
  assert.match(list[0].message, /v=spf1amxa:mail\.domain1/);
  assert.match(list[0].message, /no SPF record at all/);
});

test('a split inside a term, or at a space, is fine; two whole terms merged into a valid one is a warning', () => {
  assert.deepEqual(findings(['v=spf1 ip4:192.0.2.1 include:_spf.goo', 'gle.com -all']).list, []);
  assert.deepEqual(findings(['v=spf1 mx ', '-all']).list, []);
  assert.deepEqual(findings(['v=spf1 mx', ' -all']).list, []);
  assert.deepEqual(findings(['v=spf1 ip4:192.0.2.', '1 -all']).list, []);
  const merged = findings(['v=spf1 include:a.example.com', 'mx -all']).list;
  assert.equal(merged[0].severity, 'warning');
  const broken = findings(['v=spf1 ip4:192.0.2.1', '-all']).list;
  assert.equal(broken[0].severity, 'error');
});

test('several SPF records at one name: permerror on each extra record', () => {
  const a = single('v=spf1 mx -all', 'example.com');
  const b = single('V=SPF1 a -all', 'example.com');
  const c = single('google-site-verification=abc', 'example.com');
  const list = checkSpfRecordSet([a.rec, c.rec, b.rec]);
  assert.deepEqual(list.map((f) => [f.code, f.severity, f.range]), [['spf/multiple-records', 'error', range(0, 1, 0, 7)]]);
  assert.match(list[0].message, /example\.com publishes 2 SPF records/);
  assert.deepEqual(checkSpfRecordSet([a.rec, c.rec]), []);
});

test('the obsolete SPF type: a finding on the type token, with a fix unless a TXT twin exists', () => {
  const r = range(3, 10, 3, 13);
  const alone = spfRrTypeFinding(r);
  assert.deepEqual([alone.code, alone.severity, alone.range], ['spf/obsolete-rr-type', 'warning', r]);
  assert.deepEqual(alone.fixes?.[0].edits, [{ range: r, newText: 'TXT' }]);
  assert.equal(spfRrTypeFinding(r, true).fixes, undefined);
  const { rec } = single('v=spf1 mx -all');
  assert.deepEqual(checkSpfRecord(rec, { spfRrType: { range: r } }).map((f) => f.code), ['spf/obsolete-rr-type']);
});

test('records over 512 bytes get an information', () => {
  const terms = Array.from({ length: 30 }, (_, i) => `ip4:198.51.100.${i + 1}`).join(' ');
  const { rec } = single(`v=spf1 ${terms} -all`);
  const list = checkSpfRecord(rec).filter((f) => f.code === 'spf/record-too-long');
  assert.equal(list.length, 1);
  assert.equal(list[0].severity, 'information');
});

test('which TXT values are handed to the SPF checker', () => {
  for (const v of ['v=spf1 -all', 'V=SPF1 mx', 'v=spf1', 'v=spf1amx-all', '  v=spf1 mx', 'mx v=spf1 -all', 'mx -all', 'ip4:192.0.2.1 include:x.example.com']) {
    assert.ok(looksLikeSpf(v), v);
  }
  for (const v of ['google-site-verification=abc', 'v=DKIM1; p=abc', 'v=DMARC1; p=none', 'all good', 'hello world -all', 'v=spf2.0/pra mx -all', '']) {
    assert.ok(!looksLikeSpf(v), v);
  }
});
