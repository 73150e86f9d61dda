// The SPF lookup tree report (core/records/spf/lookupTree.ts) over the in-memory resolver:
// rows in evaluation order with running lookup and void counts, the term that pushed a
// count over, loops, failed lookups, permerror includes, differences with the workspace's
// zone files, the Markdown, and the one-line totals for the record's hover.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryResolver, type MemoryRecord } from '../../../server/src/core/dns/memoryResolver';
import { renderSpfLookupTree, spfLiveTotals, spfLookupTree } from '../../../server/src/core/records/spf/lookupTree';
import { zoneSyncResolver } from '../../../server/src/core/dns/zoneResolver';
import { Workspace } from '../../../server/src/core/stack/workspace';
import type { Resolver } from '../../../server/src/core/dns/resolver';

const txt = (s: string): MemoryRecord => ({ type: 'TXT', strings: [s] });

function chain(n: number): Record<string, MemoryRecord[]> {
  const out: Record<string, MemoryRecord[]> = { 'example.org': [txt('v=spf1 include:i1.example.org -all')] };
  for (let i = 1; i < n; i++) out[`i${i}.example.org`] = [txt(`v=spf1 include:i${i + 1}.example.org -all`)];
  out[`i${n}.example.org`] = [txt('v=spf1 ip4:192.0.2.0/24 -all')];
  return out;
}

test('an include chain of 11: rows nest one level per include; the 11th lookup is marked and named', async () => {
  const report = await spfLookupTree('Example.ORG.', new MemoryResolver(chain(11)));
  assert.equal(report.domain, 'example.org');
  assert.equal(report.count.total, 11);
  assert.deepEqual(report.rows.map((r) => [r.depth, r.term, r.lookups]), Array.from({ length: 11 }, (_, i) => [i, `include:i${i + 1}.example.org`, i + 1]));
  assert.deepEqual(report.rows.filter((r) => r.overLimit).map((r) => r.term), ['include:i11.example.org']);
  assert.equal(report.rows[10].in, 'i10.example.org');
  const md = renderSpfLookupTree(report);
  assert.match(md, /^# SPF lookup tree of `example\.org`/);
  assert.match(md, /DNS lookups: \*\*11 of 10\*\* — over the limit/);
  assert.match(md, /Pushed over by `include:i11\.example\.org` \(lookup 11\)/);
  assert.match(md, /\*\*Over the 10-lookup limit\*\* at lookup 11: `include:i1\.example\.org` → .* → `include:i11\.example\.org`/);
  assert.match(md, /\n {22}- `include:i11\.example\.org` \(lookup 11\) — \*\*11th lookup: over the limit\*\* — `i11\.example\.org`: `v=spf1 ip4:192\.0\.2\.0\/24 -all`/);
  const short = await spfLookupTree('example.org', new MemoryResolver(chain(4)));
  assert.equal(short.rows.some((r) => r.overLimit), false);
  assert.doesNotMatch(renderSpfLookupTree(short), /over the limit|Problems/);
});

test('void lookups counted as they happen; the third is marked; the reason says NXDOMAIN or no records', async () => {
  const r = new MemoryResolver({
    'example.org': [txt('v=spf1 a:nx1.example.org mx:empty.example.org include:_spf.example.org -all')],
    'empty.example.org': [txt('not an spf record')],
    '_spf.example.org': [txt('v=spf1 exists:nx3.example.org a:host.example.org -all')],
    'host.example.org': [{ type: 'AAAA', value: '2001:db8::1' }],
  });
  const report = await spfLookupTree('example.org', r);
  assert.deepEqual(report.rows.map((x) => [x.term, x.lookups, x.voids]), [
    ['a:nx1.example.org', 1, 1], ['mx:empty.example.org', 2, 2], ['include:_spf.example.org', 3, 2], ['exists:nx3.example.org', 4, 3], ['a:host.example.org', 5, 3],
  ]);
  assert.deepEqual(report.rows.filter((x) => x.overVoidLimit).map((x) => x.term), ['exists:nx3.example.org']);
  assert.match(report.rows[0].note, /void lookup\*\* \(the name does not exist\)/);
  assert.match(report.rows[1].note, /void lookup\*\* \(no records\)/);
  assert.match(report.rows[4].note, /has addresses/);
  assert.match(renderSpfLookupTree(report), /void lookups: \*\*3 of 2\*\* — over the limit.*\n[\s\S]*\*\*Over the 2-void-lookup limit\*\*: `include:_spf\.example\.org` → `exists:nx3\.example\.org`/);
});

test('loops, includes without one valid record, macros and ptr; failed lookups are errors, not voids', async () => {
  const r = new MemoryResolver({
    'example.org': [txt('v=spf1 include:loop.example.org include:none.example.org include:two.example.org include:bad.example.org include:slow.example.org a:broken.example.org ptr exists:%{i}.x.example.org -all')],
    'loop.example.org': [txt('v=spf1 redirect=example.org')],
    'none.example.org': [{ type: 'A', value: '192.0.2.1' }],
    'two.example.org': [txt('v=spf1 -all'), txt('v=spf1 ~all')],
    'bad.example.org': [txt('v=spf1 ip4:300.1.1.1 -all')],
    'slow.example.org': [{ type: 'TIMEOUT' }],
    'broken.example.org': [{ type: 'SERVFAIL' }],
  });
  const report = await spfLookupTree('example.org', r);
  const byTerm = new Map(report.rows.map((x) => [x.term, x]));
  assert.equal(byTerm.get('redirect=example.org')?.loop, true);
  assert.equal(report.count.loops.length, 1);
  for (const t of ['include:none.example.org', 'include:two.example.org', 'include:bad.example.org']) assert.equal(byTerm.get(t)?.broken, true, t);
  assert.equal(byTerm.get('include:slow.example.org')?.failed, true);
  assert.match(byTerm.get('include:slow.example.org')!.note, /no DNS server answered in time/);
  assert.match(byTerm.get('a:broken.example.org')!.note, /the DNS server failed \(SERVFAIL\)/);
  assert.match(byTerm.get('ptr')!.note, /reverse DNS/);
  assert.match(byTerm.get('exists:%{i}.x.example.org')!.note, /macros/);
  assert.equal(report.count.voids, 0, 'a failed lookup is not a void lookup');
  assert.deepEqual(report.errors.map((e) => [e.question, e.status]), [['TXT slow.example.org', 'timeout'], ['A broken.example.org', 'servfail'], ['AAAA broken.example.org', 'servfail']]);
  const md = renderSpfLookupTree(report);
  assert.match(md, /DNS lookups: \*\*at least 9 of 10\*\*/);
  assert.match(md, /\*\*Loop\*\*: `include:loop\.example\.org` → `redirect=example\.org` leads back to `example\.org`/);
  assert.match(md, /\*\*Lookup failed\*\*: TXT slow\.example\.org: no DNS server answered in time/);
  assert.match(md, /\*\*Broken include\*\*: `include:two\.example\.org` in `example\.org`: `two\.example\.org` publishes several SPF records/);
});

test('the domain itself: no record, several records, a failure — said at the top, no tree', async () => {
  const none = await spfLookupTree('example.org', new MemoryResolver({ 'example.org': [txt('hello')] }));
  assert.equal(none.rows.length, 0);
  assert.match(renderSpfLookupTree(none), /publishes no SPF record: receivers get result \*none\*/);
  const two = await spfLookupTree('example.org', new MemoryResolver({ 'example.org': [txt('v=spf1 -all'), txt('v=spf1 mx -all')] }));
  assert.match(renderSpfLookupTree(two), /several SPF records: receivers return \*permerror\*/);
  const down = await spfLookupTree('example.org', new MemoryResolver({ 'example.org': [{ type: 'TIMEOUT' }] }));
  assert.match(renderSpfLookupTree(down), /could not be read: no DNS server answered in time/);
  const thrower: Resolver = { txt: async () => { throw new Error('socket closed'); }, addresses: async () => ({ status: 'nodata' }), mx: async () => ({ status: 'nodata' }), ptr: async () => ({ status: 'nodata' }) };
  const thrown = await spfLookupTree('example.org', thrower);
  assert.deepEqual(thrown.errors, [{ question: 'TXT example.org', status: 'servfail', detail: 'socket closed' }]);
});

test('with the zone files: every question they answer is compared; their own totals are shown', async () => {
  const ws = new Workspace();
  ws.setOnDisk('file:///zones/example.org.zone', 'dns-zone', [
    '$ORIGIN example.org.', '$TTL 300', '@ IN SOA ns hostmaster 1 3600 600 86400 60', '@ IN NS ns', 'ns IN A 192.0.2.53',
    '@ IN TXT "v=spf1 mx include:_spf.example.org -all"', '@ IN MX 10 mail', 'mail IN A 192.0.2.10',
    '_spf IN TXT "v=spf1 ip4:192.0.2.0/24 -all"', '',
  ].join('\n'));
  const live = new MemoryResolver({
    'example.org': [txt('v=spf1 mx include:_spf.example.org include:_spf.provider.example -all'), { type: 'MX', preference: 10, exchange: 'mail.example.org' }],
    '_spf.example.org': [txt('v=spf1 ip4:192.0.2.0/24 -all')],
    '_spf.provider.example': [txt('v=spf1 ip4:198.51.100.0/24 -all')],
  });
  const report = await spfLookupTree('example.org', live, { zones: zoneSyncResolver(ws) });
  assert.deepEqual(report.differences.map((d) => d.question), ['TXT example.org']);
  assert.match(report.differences[0].live, /_spf\.provider\.example/);
  assert.deepEqual(report.zoneTotals, { lookups: 2, voids: 0, complete: true });
  const md = renderSpfLookupTree(report);
  assert.match(md, /## Zone files of the workspace\n\nFrom the zone files alone: 2 DNS lookups, 0 void\./);
  assert.match(md, /- TXT example\.org: DNS "v=spf1 mx include:_spf\.example\.org include:_spf\.provider\.example -all"; zone files "v=spf1 mx include:_spf\.example\.org -all"/);
  const same = await spfLookupTree('example.org', new MemoryResolver({ 'example.org': [txt('v=spf1 mx include:_spf.example.org -all'), { type: 'MX', preference: 10, exchange: 'mail.example.org' }], '_spf.example.org': [txt('v=spf1 ip4:192.0.2.0/24 -all')] }), { zones: zoneSyncResolver(ws) });
  assert.deepEqual(same.differences, []);
  assert.match(renderSpfLookupTree(same), /they agree with live DNS/);
});

test('spfLiveTotals: one line for the record hover', async () => {
  assert.equal(await spfLiveTotals('example.org', new MemoryResolver(chain(3))), '**Live DNS** (`example.org`): DNS lookups: **3 of 10**; void lookups: **0 of 2**.');
  assert.match(await spfLiveTotals('example.org', new MemoryResolver(chain(12))), /\*\*12 of 10\*\* — over the limit: receivers return permerror.*Pushed over by `include:i11\.example\.org`/);
  assert.match(await spfLiveTotals('example.org', new MemoryResolver({})), /^\*\*Live DNS\*\*: `example\.org` publishes no SPF record/);
  assert.match(await spfLiveTotals('example.org', new MemoryResolver({ 'example.org': [{ type: 'SERVFAIL' }] })), /could not be read: the DNS server failed \(SERVFAIL\)/);
});
