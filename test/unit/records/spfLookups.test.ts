// Lookup counting through include and redirect (async over a Resolver, sync over the
// workspace's zones), the findings it feeds, and the hover texts that show it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryResolver, type MemoryRecord } from '../../../server/src/core/dns/memoryResolver';
import { countLookups, countLookupsSync, countRecordLookups } from '../../../server/src/core/records/spf/lookups';
import { checkSpfRecord } from '../../../server/src/core/records/spf/checks';
import { parseSpfRecord } from '../../../server/src/core/records/spf/parser';
import { spfHover, spfRecordHoverSummary, spfTermHover } from '../../../server/src/core/records/spf/hover';
import { MECHANISM_NAMES } from '../../../server/src/core/records/spf/tree';
import { describe, single } from './spfHelpers';
import { spfFindingsOfZone } from './spfZone';

const txt = (s: string): MemoryRecord => ({ type: 'TXT', strings: [s] });

function provider(): MemoryResolver {
  return new MemoryResolver({
    'example.com': [txt('v=spf1 mx include:_spf.mail.example.net include:_spf.crm.example.org -all'), { type: 'MX', preference: 10, exchange: 'mx.example.com' }],
    '_spf.mail.example.net': [txt('v=spf1 include:_n1.mail.example.net include:_n2.mail.example.net include:_n3.mail.example.net ~all')],
    '_n1.mail.example.net': [txt('v=spf1 ip4:192.0.2.0/24 -all')],
    '_n2.mail.example.net': [txt('v=spf1 ip4:198.51.100.0/24 -all')],
    '_n3.mail.example.net': [txt('v=spf1 a:x1.example.net a:x2.example.net a:x3.example.net -all')],
    'x1.example.net': [{ type: 'A', value: '203.0.113.1' }],
    'x2.example.net': [{ type: 'AAAA', value: '2001:db8::2' }],
    'x3.example.net': [{ type: 'A', value: '203.0.113.3' }],
    '_spf.crm.example.org': [txt('v=spf1 mx exists:%{i}._ip.crm.example.org redirect=_more.crm.example.org')],
    'crm.example.org': [],
    '_more.crm.example.org': [txt('v=spf1 ptr -all')],
  });
}

test('countLookups (async) follows includes and redirects, in evaluation order', async () => {
  const count = await countLookups('example.com', provider());
  // mx, include, its 3 includes and 3 a: 8; include, mx, exists (the 11th), redirect, ptr: 13.
  assert.equal(count.total, 13);
  assert.equal(count.complete, false, 'the exists macro and ptr cannot be counted offline');
  assert.deepEqual(count.overLimit?.map((t) => t.term.text), ['include:_spf.crm.example.org', 'exists:%{i}._ip.crm.example.org']);
  assert.equal(count.overLimit?.at(-1)?.runningTotal, 11);
  assert.equal(count.voids, 1, 'only the mx of _spf.crm.example.org finds nothing (example.com has its MX record)');
  assert.deepEqual(count.root.terms.map((t) => [t.term.text, t.runningTotal]), [
    ['mx', 1], ['include:_spf.mail.example.net', 2], ['include:_spf.crm.example.org', 9],
  ]);
  const mail = count.root.terms[1].child!;
  assert.equal(mail.status, 'ok');
  assert.deepEqual(mail.terms.map((t) => t.child?.domain), ['_n1.mail.example.net', '_n2.mail.example.net', '_n3.mail.example.net']);
  assert.deepEqual(mail.terms[2].child!.terms.map((t) => t.void ?? false), [false, false, false], 'a: with only an AAAA record is not void');
});

test('countLookupsSync gives the same over a synchronous resolver; unknown names stay a lower bound', () => {
  const r = provider();
  const sync = countLookupsSync('example.com', r.sync);
  assert.equal(sync.total, 13);
  const partial = countLookupsSync('example.com', { txt: (n) => (n === 'example.com' ? r.sync.txt(n) : undefined), addresses: () => undefined, mx: () => undefined });
  assert.equal(partial.total, 3);
  assert.equal(partial.complete, false);
  assert.deepEqual(partial.root.terms.map((t) => t.child?.status ?? '-'), ['-', 'unknown', 'unknown']);
});

test('the record\'s own terms are counted without any resolver: 11 lookups is an error on the 11th', () => {
  const { text, rec } = single('v=spf1 a mx a:a.example.com a:b.example.com a:c.example.com mx:d.example.com mx:e.example.com exists:%{i}.f.example.com include:g.example.com include:h.example.com ptr -all');
  const list = checkSpfRecord(rec);
  assert.deepEqual(describe(text, list), ["spf/ptr-deprecated 'ptr'", "spf/too-many-lookups 'ptr'"]);
  assert.match(list[1].message, /at least 11 DNS lookups/);
  assert.equal(countRecordLookups(parseSpfRecord(rec.value), undefined).total, 11);
});

test('redirect is not counted when "all" is present (it never runs)', () => {
  const count = countRecordLookups(parseSpfRecord('v=spf1 a redirect=x.example.com -all'), 'example.com');
  assert.equal(count.total, 1);
});

const ZONE = `$ORIGIN example.com.
@ SOA ns1 hostmaster 1 7200 3600 1209600 3600
@ NS ns1
ns1 A 192.0.2.53
@ TXT "v=spf1 include:_a.example.com include:_b.example.com mx:nomx.example.com a:gone.example.com -all"
_a TXT "v=spf1 include:_b.example.com -all"
_b TXT "v=spf1 include:_a.example.com -all"
nomx A 192.0.2.9
`;

test('through the workspace zones: loops, void lookups and a target without SPF, each on the root term', () => {
  const lines = ZONE.split('\n');
  const got = spfFindingsOfZone(ZONE).map((f) => `${f.code} '${lines[f.range.start.line].slice(f.range.start.character, f.range.end.character)}'`);
  assert.ok(got.includes("spf/lookup-loop 'include:_a.example.com'"), got.join('\n'));
  assert.ok(got.includes("spf/void-lookup 'mx:nomx.example.com'"), got.join('\n'));
  assert.ok(got.includes("spf/void-lookup 'a:gone.example.com'"), got.join('\n'));
  const noSpf = `$ORIGIN example.com.\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ TXT "v=spf1 redirect=_x.example.com"\n_x TXT "v=DKIM1; p="\n`;
  assert.deepEqual(spfFindingsOfZone(noSpf).map((f) => f.code), ['spf/target-without-spf']);
});

test('hover: our words for every mechanism, qualifier and modifier', () => {
  for (const m of MECHANISM_NAMES) {
    const rec = parseSpfRecord(`v=spf1 ~${m}${m === 'include' || m === 'exists' ? ':x.example.com' : m === 'ip4' ? ':192.0.2.1' : m === 'ip6' ? ':2001:db8::1' : ''}`);
    const md = spfTermHover(rec.terms[0]);
    assert.match(md, new RegExp(`\\*\\*${m}`), m);
    assert.match(md, /softfail/, `${m} shows its qualifier`);
  }
  for (const mod of ['redirect=x.example.com', 'exp=x.example.com', 'foo=bar']) assert.ok(spfTermHover(parseSpfRecord(`v=spf1 ${mod}`).terms[0]).length > 20, mod);
  assert.match(spfTermHover(parseSpfRecord('v=spf1 bogus').terms[0]), /not an SPF mechanism/);
});

test('hover on a record: the term, then the summary with the lookup count', () => {
  const value = 'v=spf1 mx include:_spf.mail.example.net ~all';
  const h = spfHover(value, value.indexOf('include') + 3, { owner: 'example.com', resolver: provider().sync });
  assert.ok(h);
  assert.deepEqual([h.start, h.end], [value.indexOf('include'), value.indexOf(' ~all')]);
  assert.match(h.markdown, /\*\*include:domain\*\*/);
  assert.match(h.markdown, /DNS lookups: 8 of 10 allowed; void lookups: 0 of 2\./);
  assert.match(h.markdown, /Hosts not listed: `~` \*\*softfail\*\*/);
  const onVersion = spfHover(value, 2);
  assert.deepEqual([onVersion?.start, onVersion?.end], [0, 6]);
  assert.equal(spfHover(value, 6 + 0.5), undefined);
  assert.match(spfRecordHoverSummary(parseSpfRecord('v=spf1 redirect=x.example.com')), /decided by the SPF record of `x\.example\.com`/);
});
