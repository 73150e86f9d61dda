// check_host() beyond the OpenSPF suite: the HELO identity, trailing dots and case, include
// and redirect semantics, limits, macros (p, i for IPv6, r, t, c, v), explanations; and the
// in-memory resolver's answers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryResolver, type MemoryRecord } from '../../../server/src/core/dns/memoryResolver';
import { checkHost, checkHeloIdentity, checkMailFrom, isCheckableDomain } from '../../../server/src/core/records/spf/evaluate';
import { expandMacroString, parseMacroString, type MacroValues } from '../../../server/src/core/records/spf/macro';

const txt = (s: string): MemoryRecord => ({ type: 'TXT', strings: [s] });
const a = (v: string): MemoryRecord => ({ type: 'A', value: v });
const aaaa = (v: string): MemoryRecord => ({ type: 'AAAA', value: v });

function zone(): MemoryResolver {
  return new MemoryResolver({
    'example.com': [txt('v=spf1 mx a:relay.example.com ip6:2001:db8::/32 include:_spf.provider.net -all'), { type: 'MX', preference: 10, exchange: 'mail.example.com' }],
    'mail.example.com': [a('192.0.2.10'), aaaa('2001:db8:1::10'), txt('v=spf1 a -all')],
    'relay.example.com': [a('198.51.100.7')],
    '_spf.provider.net': [txt('v=spf1 ip4:203.0.113.0/24 ~all')],
    'nospf.example.com': [txt('hello')],
    'incnone.example.com': [txt('v=spf1 include:nospf.example.com -all')],
    'redir.example.com': [txt('v=spf1 redirect=example.com.')],
    'redirnone.example.com': [txt('v=spf1 redirect=nospf.example.com')],
    'temp.example.com': [{ type: 'TIMEOUT' }],
    'inctemp.example.com': [txt('v=spf1 include:temp.example.com -all')],
    'exp.example.com': [txt('v=spf1 -all exp=why.example.com')],
    'why.example.com': [txt('%{i} (%{c}) is not allowed to send for %{d}; ask %{l}@%{o} [%{v}] via %{r} at %{t}')],
    'ptr.example.com': [txt('v=spf1 ptr:example.com -all')],
    '7.100.51.198.in-addr.arpa': [{ type: 'PTR', value: 'relay.example.com' }],
    'pmacro.example.com': [txt('v=spf1 -all exp=pwhy.example.com')],
    'pwhy.example.com': [txt('validated: %{p}')],
    'ip6.example.com': [txt('v=spf1 exists:%{ir}.%{v}._spf.example.com -all')],
    // 2001:db8::10 as reversed nibbles.
    [`0.1${'.0'.repeat(22)}.8.b.d.0.1.0.0.2.ip6._spf.example.com`]: [a('127.0.0.2')],
    'CaSe.Example.COM': [txt('V=SpF1 IP4:192.0.2.99 -ALL')],
  });
}

test('mail from: mx, a:, ip6 network, include pass and softfail-as-no-match', async () => {
  const r = zone();
  const from = (ip: string) => checkMailFrom(r, { ip, mailFrom: 'alice@example.com', helo: 'mail.example.com' });
  assert.equal((await from('192.0.2.10')).result, 'pass');
  assert.deepEqual((await from('192.0.2.10')).matched, { domain: 'example.com', term: 'mx' });
  assert.equal((await from('2001:db8:1::10')).result, 'pass');
  assert.equal((await from('198.51.100.7')).result, 'pass');
  assert.equal((await from('203.0.113.5')).result, 'pass');
  assert.equal((await from('::ffff:203.0.113.5')).result, 'pass', 'IPv4-mapped IPv6 is IPv4');
  const fail = await from('192.0.2.200');
  assert.equal(fail.result, 'fail');
  assert.equal(fail.lookups, 3);
  assert.equal(fail.explanation, undefined);
});

test('trailing dots and letter case do not matter', async () => {
  const r = zone();
  assert.equal((await checkMailFrom(r, { ip: '192.0.2.10', mailFrom: 'a@EXAMPLE.com.', helo: 'x' })).result, 'pass');
  assert.equal((await checkMailFrom(r, { ip: '192.0.2.99', mailFrom: 'a@case.example.com', helo: 'x' })).result, 'pass');
  assert.equal((await checkMailFrom(r, { ip: '192.0.2.10', mailFrom: 'a@redir.example.com', helo: 'x' })).result, 'pass');
});

test('the HELO identity, and the null sender checked as postmaster@HELO', async () => {
  const r = zone();
  assert.equal((await checkHeloIdentity(r, { ip: '192.0.2.10', helo: 'mail.example.com' })).result, 'pass');
  assert.equal((await checkHeloIdentity(r, { ip: '192.0.2.11', helo: 'mail.example.com' })).result, 'fail');
  assert.equal((await checkMailFrom(r, { ip: '192.0.2.10', mailFrom: '', helo: 'mail.example.com' })).result, 'pass');
  assert.equal((await checkMailFrom(r, { ip: '192.0.2.10', mailFrom: '<>', helo: 'mail.example.com' })).result, 'pass');
});

test('none, permerror and temperror', async () => {
  const r = zone();
  const res = async (domain: string) => (await checkMailFrom(r, { ip: '192.0.2.1', mailFrom: `x@${domain}`, helo: 'h.example.com' }));
  assert.equal((await res('nospf.example.com')).result, 'none');
  assert.equal((await res('nowhere.example.com')).result, 'none');
  assert.equal((await res('localhost')).result, 'none', 'not a multi-label name');
  assert.equal((await res('incnone.example.com')).result, 'permerror', 'include of a domain without SPF');
  assert.equal((await res('redirnone.example.com')).result, 'permerror', 'redirect to a domain without SPF');
  assert.equal((await res('temp.example.com')).result, 'temperror');
  assert.equal((await res('inctemp.example.com')).result, 'temperror');
  assert.equal((await checkHost(r, { ip: 'not-an-ip', domain: 'example.com', sender: 'a@example.com' })).result, 'permerror');
});

test('explanations: exp= expanded with every macro letter, only for fail', async () => {
  const r = zone();
  const out = await checkHost(r, { ip: '192.0.2.1', domain: 'exp.example.com', sender: 'bob@exp.example.com', receiver: 'mx.receiver.example', timestamp: 1700000000 });
  assert.equal(out.result, 'fail');
  assert.equal(out.explanation, '192.0.2.1 (192.0.2.1) is not allowed to send for exp.example.com; ask bob@exp.example.com [in-addr] via mx.receiver.example at 1700000000');
  const six = await checkHost(r, { ip: '2001:db8::1', domain: 'exp.example.com', sender: 'bob@exp.example.com' });
  assert.match(six.explanation!, /^2\.0\.0\.1\.0\.d\.b\.8(\.0){23}\.1 \(2001:db8::1\)/);
  assert.match(six.explanation!, /\[ip6\] via unknown at \d+$/);
  const dflt = await checkHost(r, { ip: '192.0.2.1', domain: 'mail.example.com', sender: 'a@mail.example.com', defaultExplanation: 'See our policy' });
  assert.equal(dflt.explanation, 'See our policy');
});

test('ptr and %{p}: validated reverse names', async () => {
  const r = zone();
  assert.equal((await checkHost(r, { ip: '198.51.100.7', domain: 'ptr.example.com', sender: 'a@ptr.example.com' })).result, 'pass');
  assert.equal((await checkHost(r, { ip: '198.51.100.8', domain: 'ptr.example.com', sender: 'a@ptr.example.com' })).result, 'fail');
  const p = await checkHost(r, { ip: '198.51.100.7', domain: 'pmacro.example.com', sender: 'a@pmacro.example.com' });
  assert.equal(p.explanation, 'validated: relay.example.com');
  const unknown = await checkHost(r, { ip: '198.51.100.9', domain: 'pmacro.example.com', sender: 'a@pmacro.example.com' });
  assert.equal(unknown.explanation, 'validated: unknown');
});

test('%{ir} of an IPv6 client: reversed nibbles', async () => {
  const r = zone();
  assert.equal((await checkHost(r, { ip: '2001:db8::10', domain: 'ip6.example.com', sender: 'a@ip6.example.com' })).result, 'pass');
  assert.equal((await checkHost(r, { ip: '2001:db8::11', domain: 'ip6.example.com', sender: 'a@ip6.example.com' })).result, 'fail');
});

test('the 10-lookup limit counts across includes; the 11th term is a permerror', async () => {
  const records: Record<string, MemoryRecord[]> = { 'limit.example.com': [txt('v=spf1 include:i1.example.com -all')] };
  // 1 (include:i1) + 2 per record i1–i4 (a, include) + 1 (a in i5) = 10.
  for (let i = 1; i <= 5; i++) records[`i${i}.example.com`] = [txt(`v=spf1 a ${i < 5 ? `include:i${i + 1}.example.com ` : ''}-all`), a('192.0.2.1')];
  const r = new MemoryResolver(records);
  const out = await checkHost(r, { ip: '198.51.100.1', domain: 'limit.example.com', sender: 'x@limit.example.com' });
  assert.equal(out.result, 'fail');
  assert.equal(out.lookups, 10);
  records['i5.example.com'] = [txt('v=spf1 a a ip4:198.51.100.1 -all'), a('192.0.2.1')];
  const over = await checkHost(new MemoryResolver(records), { ip: '198.51.100.1', domain: 'limit.example.com', sender: 'x@limit.example.com' });
  assert.equal(over.result, 'permerror');
  assert.match(over.reason, /More than 10 DNS-querying terms/);
});

test('void lookups: the third name without records is a permerror', async () => {
  const r = new MemoryResolver({ 'v.example.com': [txt('v=spf1 a:n1.example.com mx:n2.example.com exists:n3.example.com -all')] });
  const out = await checkHost(r, { ip: '192.0.2.1', domain: 'v.example.com', sender: 'x@v.example.com' });
  assert.equal(out.result, 'permerror');
  assert.equal(out.voidLookups, 3);
  const two = await checkHost(r, { ip: '192.0.2.1', domain: 'v.example.com', sender: 'x@v.example.com', voidLimit: 3 });
  assert.equal(two.result, 'fail');
});

test('include loops end in permerror without hanging', async () => {
  const r = new MemoryResolver({ 'l1.example.com': [txt('v=spf1 include:l2.example.com -all')], 'l2.example.com': [txt('v=spf1 include:l1.example.com -all')] });
  const out = await checkHost(r, { ip: '192.0.2.1', domain: 'l1.example.com', sender: 'x@l1.example.com' });
  assert.equal(out.result, 'permerror');
  assert.match(out.reason, /l1\.example\.com → l2\.example\.com → l1\.example\.com/);
});

test('which domains check_host can work with (RFC 7208 §4.3)', () => {
  for (const d of ['example.com', 'example.com.', 'a.b.c.example']) assert.ok(isCheckableDomain(d), d);
  for (const d of ['', 'localhost', 'a..example.com', '[192.0.2.1]', 'x'.repeat(64) + '.com']) assert.ok(!isCheckableDomain(d), d);
});

test('macro expansion: transformers, delimiters, URL escaping', async () => {
  const values: MacroValues = {
    sender: 'strong-bad@email.example.com', local: 'strong-bad', senderDomain: 'email.example.com', domain: 'email.example.com',
    ipDotted: '192.0.2.3', ipText: '192.0.2.3', ipVersion: 'in-addr', helo: 'mx.example.org', receiver: 'r.example', timestamp: '1',
    validatedName: async () => 'mx.example.org',
  };
  const x = (s: string, exp = false) => expandMacroString(parseMacroString(s, 0, s.length, exp), values);
  // The examples of RFC 7208 §7.4.
  assert.equal(await x('%{s}'), 'strong-bad@email.example.com');
  assert.equal(await x('%{o}'), 'email.example.com');
  assert.equal(await x('%{d}'), 'email.example.com');
  assert.equal(await x('%{d4}'), 'email.example.com');
  assert.equal(await x('%{d3}'), 'email.example.com');
  assert.equal(await x('%{d2}'), 'example.com');
  assert.equal(await x('%{d1}'), 'com');
  assert.equal(await x('%{dr}'), 'com.example.email');
  assert.equal(await x('%{d2r}'), 'example.email');
  assert.equal(await x('%{l}'), 'strong-bad');
  assert.equal(await x('%{l-}'), 'strong.bad');
  assert.equal(await x('%{lr}'), 'strong-bad');
  assert.equal(await x('%{lr-}'), 'bad.strong');
  assert.equal(await x('%{l1r-}'), 'strong');
  assert.equal(await x('%{ir}.%{v}._spf.%{d2}'), '3.2.0.192.in-addr._spf.example.com');
  assert.equal(await x('%{lr-}.lp._spf.%{d2}'), 'bad.strong.lp._spf.example.com');
  assert.equal(await x('%{lr-}.lp.%{ir}.%{v}._spf.%{d2}'), 'bad.strong.lp.3.2.0.192.in-addr._spf.example.com');
  assert.equal(await x('%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}'), '3.2.0.192.in-addr.strong.lp._spf.example.com');
  assert.equal(await x('%{d2}.trusted-domains.example.net'), 'example.com.trusted-domains.example.net');
  assert.equal(await x('%%%_%-'), '% %20');
  assert.equal(await x('%{S}'), 'strong-bad%40email.example.com');
  assert.equal(await x('%{p}'), 'mx.example.org');
  assert.equal(await x('%{c} %{r} %{t}', true), '192.0.2.3 r.example 1');
  assert.deepEqual(parseMacroString('%{c}', 0, 4).problems.map((p) => p.kind), ['macro'], 'c only in explanations');
});

test('memory resolver: NXDOMAIN, NODATA for empty non-terminals, CNAME, typed and bare TIMEOUT, queries recorded', async () => {
  const r = new MemoryResolver({
    'a.b.example.com': [a('192.0.2.1')],
    'alias.example.com': [{ type: 'CNAME', value: 'a.b.example.com.' }],
    'loop.example.com': [{ type: 'CNAME', value: 'loop.example.com' }],
    'slow.example.com': [txt('v=spf1 -all'), { type: 'TIMEOUT' }],
    'typed.example.com': [{ type: 'TIMEOUT', rrtype: 'MX' }, a('192.0.2.2')],
    'bad.example.com': [{ type: 'SERVFAIL' }],
  });
  assert.deepEqual(await r.addresses('A.B.Example.COM.', 4), { status: 'ok', records: ['192.0.2.1'] });
  assert.deepEqual(await r.addresses('a.b.example.com', 6), { status: 'nodata' });
  assert.deepEqual(await r.addresses('b.example.com', 4), { status: 'nodata' }, 'empty non-terminal');
  assert.deepEqual(await r.addresses('c.example.com', 4), { status: 'nxdomain' });
  assert.deepEqual(await r.addresses('alias.example.com', 4), { status: 'ok', records: ['192.0.2.1'] });
  assert.equal((await r.addresses('loop.example.com', 4)).status, 'servfail');
  assert.deepEqual(await r.txt('slow.example.com'), { status: 'ok', records: [['v=spf1 -all']] });
  assert.deepEqual(await r.addresses('slow.example.com', 4), { status: 'timeout' });
  assert.deepEqual(await r.mx('typed.example.com'), { status: 'timeout' });
  assert.deepEqual(await r.addresses('typed.example.com', 4), { status: 'ok', records: ['192.0.2.2'] });
  assert.equal((await r.txt('bad.example.com')).status, 'servfail');
  assert.ok(r.queries.includes('A A.B.Example.COM.'));
  assert.deepEqual(r.sync.txt('slow.example.com'), { status: 'ok', records: [['v=spf1 -all']] });
});
