// checkHostSync() is checkHost() driven without waiting: over the OpenSPF RFC 7208 suites
// both drivers give the same result, reason, explanation and counts for every case, and
// the sync one says when its result rests on answers it did not know.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkHost, checkHostSync, mailFromCheck, type SyncSpfResolver } from '../../../server/src/core/records/spf/evaluate';
import { MemoryResolver } from '../../../server/src/core/dns/memoryResolver';
import { loadSuite, readSuiteText } from './spfSuite';

const SUITES = [
  '/usr/share/doc/python3-spf/rfc7208-tests.yml.gz',
  path.resolve(__dirname, '../../../../shared/corpus/suites/sdgathman__pyspf__test_rfc7208-tests.yml'),
  path.resolve(__dirname, '../../../../shared/corpus/suites/postalsys__mailauth__test_fixtures_spf_rfc7208-tests-2014-05.yml'),
];

for (const file of SUITES) {
  test(`sync and async check_host agree on every case: ${path.basename(file)}`, async () => {
    assert.ok(fs.existsSync(file), `${file} is missing`);
    const cases = loadSuite(readSuiteText(file));
    assert.ok(cases.length > 100);
    const differences: string[] = [];
    let allowed = 0;
    // %{t} is the clock: one timestamp for both drivers.
    for (const c of cases) {
      const input = { ...mailFromCheck({ ip: c.host, mailFrom: c.mailfrom, helo: c.helo, defaultExplanation: 'DEFAULT' }), timestamp: 1_700_000_000 };
      const async = await checkHost(c.resolver, input);
      const { unknownAnswers, usedLocalPart, ...sync } = checkHostSync(c.syncResolver, input);
      if (JSON.stringify(sync) !== JSON.stringify(async)) differences.push(`${c.id}: sync ${JSON.stringify(sync)} async ${JSON.stringify(async)}`);
      assert.equal(unknownAnswers, 0, 'the suite answers every question');
      assert.equal(typeof usedLocalPart, 'boolean');
      if (c.results.includes(sync.result)) allowed++;
    }
    assert.deepEqual(differences, []);
    assert.equal(allowed, cases.length, 'every sync result is one the suite allows');
  });
}

const txt = (value: string) => ({ type: 'TXT' as const, strings: [value] });
const a = (value: string) => ({ type: 'A' as const, value });

/** The memory resolver's answers, with some names not known at all (undefined). */
function partly(r: MemoryResolver, unknown: string[]): SyncSpfResolver {
  const known = (name: string) => !unknown.includes(name.toLowerCase().replace(/\.$/, ''));
  return {
    txt: (n) => (known(n) ? r.sync.txt(n) : undefined),
    addresses: (n, f) => (known(n) ? r.sync.addresses(n, f) : undefined),
    mx: (n) => (known(n) ? r.sync.mx(n) : undefined),
    ptr: (n) => (known(n) ? r.sync.ptr(n) : undefined),
  };
}

test('unknown answers: an include outside what is known is temperror and counted', () => {
  const r = new MemoryResolver({ 'example.org': [txt('v=spf1 include:_spf.provider.example -all')] });
  const out = checkHostSync(partly(r, ['_spf.provider.example']), { ip: '192.0.2.1', domain: 'example.org', sender: 'postmaster@example.org' });
  assert.equal(out.result, 'temperror');
  assert.equal(out.unknownAnswers, 1);
});

test('unknown answers: an unknown reverse zone makes ptr not match (RFC 7208 §5.5) and is counted', () => {
  const r = new MemoryResolver({ 'example.org': [txt('v=spf1 ptr -all')] });
  const out = checkHostSync(partly(r, ['1.2.0.192.in-addr.arpa']), { ip: '192.0.2.1', domain: 'example.org', sender: 'postmaster@example.org' });
  assert.equal(out.result, 'fail', 'what a receiver whose PTR lookup fails would give');
  assert.equal(out.unknownAnswers, 1, 'but it rests on an answer not known here');
});

test('unknown answers in exp= do not count: the explanation does not change the result', () => {
  const r = new MemoryResolver({ 'example.org': [txt('v=spf1 -all exp=why.elsewhere.example')] });
  const out = checkHostSync(partly(r, ['why.elsewhere.example']), { ip: '192.0.2.1', domain: 'example.org', sender: 'postmaster@example.org', defaultExplanation: 'DEFAULT' });
  assert.equal(out.result, 'fail');
  assert.equal(out.explanation, 'DEFAULT');
  assert.equal(out.unknownAnswers, 0);
});

test('usedLocalPart: a domain-spec with %{l} or %{s} is said, %{d} and %{i} are not', () => {
  const r = new MemoryResolver({
    'l.example.org': [txt('v=spf1 exists:%{l}.users.l.example.org -all')],
    'd.example.org': [txt('v=spf1 exists:%{i}.%{d} -all')],
    '192.0.2.1.d.example.org': [a('127.0.0.2')],
  });
  const l = checkHostSync(r.sync, { ip: '192.0.2.1', domain: 'l.example.org', sender: 'postmaster@l.example.org' });
  assert.equal(l.result, 'fail');
  assert.equal(l.usedLocalPart, true);
  const d = checkHostSync(r.sync, { ip: '192.0.2.1', domain: 'd.example.org', sender: 'postmaster@d.example.org' });
  assert.equal(d.result, 'pass');
  assert.equal(d.usedLocalPart, false);
});

test('a resolver that throws: both drivers give temperror, an exp= lookup that throws falls back', async () => {
  const throwing = { txt: () => { throw new Error('boom'); }, addresses: () => { throw new Error('boom'); }, mx: () => { throw new Error('boom'); } };
  const out = checkHostSync(throwing, { ip: '192.0.2.1', domain: 'example.org', sender: 'x@example.org' });
  assert.equal(out.result, 'temperror');
  assert.match(out.reason, /boom/);
  const r = new MemoryResolver({ 'example.org': [txt('v=spf1 -all exp=why.example.org')] });
  const failingExp = { ...r.sync, txt: (n: string) => { if (n === 'why.example.org') throw new Error('boom'); return r.sync.txt(n); } };
  const fail = checkHostSync(failingExp, { ip: '192.0.2.1', domain: 'example.org', sender: 'x@example.org', defaultExplanation: 'DEFAULT' });
  assert.deepEqual([fail.result, fail.explanation], ['fail', 'DEFAULT']);
  const asyncFail = await checkHost({ ...r, txt: async (n: string) => { if (n === 'why.example.org') throw new Error('boom'); return r.txt(n); }, addresses: (n, f) => r.addresses(n, f), mx: (n) => r.mx(n), ptr: (n) => r.ptr(n) }, { ip: '192.0.2.1', domain: 'example.org', sender: 'x@example.org', defaultExplanation: 'DEFAULT' });
  assert.deepEqual([asyncFail.result, asyncFail.explanation], ['fail', 'DEFAULT']);
});
