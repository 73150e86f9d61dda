// The SPF parser: exact spans for every part of every term, the ABNF's corners, and that it
// never throws or slows down whatever text it gets.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasSpfVersion, parseSpfRecord } from '../../../server/src/core/records/spf/parser';
import { parseMacroString } from '../../../server/src/core/records/spf/macro';
import { checkSpfRecord } from '../../../server/src/core/records/spf/checks';
import type { SpfMechanism, SpfModifier } from '../../../server/src/core/records/spf/tree';
import { single } from './spfHelpers';

const cut = (value: string, s?: { start: number; end: number }) => (s ? value.slice(s.start, s.end) : undefined);

test('every part of every term has its exact span', () => {
  const v = 'v=spf1 -a:mail.%{d2}.example.com/24//64 ~mx//48 ?ip4:192.0.2.0/24 ip6:2001:db8::/32 +include:_spf.example.net exists:%{ir}.x.example.com ptr:example.com all redirect=_r.example.com exp=why.%{d} ra=postmaster';
  const r = parseSpfRecord(v);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.version, { start: 0, end: 6 });
  const rows = r.terms.map((t) => t.kind === 'mechanism'
    ? [cut(v, t), t.qualifier, cut(v, t.qualifierSpan), cut(v, t.nameSpan), t.mechanism, cut(v, t.domainSpec), cut(v, t.ip), cut(v, t.cidr4), cut(v, t.cidr6)]
    : [cut(v, t), t.name, cut(v, t.nameSpan), cut(v, t.valueSpan)]);
  assert.deepEqual(rows, [
    ['-a:mail.%{d2}.example.com/24//64', '-', '-', 'a', 'a', 'mail.%{d2}.example.com', undefined, '/24', '/64'],
    ['~mx//48', '~', '~', 'mx', 'mx', undefined, undefined, undefined, '/48'],
    ['?ip4:192.0.2.0/24', '?', '?', 'ip4', 'ip4', undefined, '192.0.2.0', '/24', undefined],
    ['ip6:2001:db8::/32', '+', undefined, 'ip6', 'ip6', undefined, '2001:db8::', undefined, '/32'],
    ['+include:_spf.example.net', '+', '+', 'include', 'include', '_spf.example.net', undefined, undefined, undefined],
    ['exists:%{ir}.x.example.com', '+', undefined, 'exists', 'exists', '%{ir}.x.example.com', undefined, undefined, undefined],
    ['ptr:example.com', '+', undefined, 'ptr', 'ptr', 'example.com', undefined, undefined, undefined],
    ['all', '+', undefined, 'all', 'all', undefined, undefined, undefined, undefined],
    ['redirect=_r.example.com', 'redirect', 'redirect', '_r.example.com'],
    ['exp=why.%{d}', 'exp', 'exp', 'why.%{d}'],
    ['ra=postmaster', 'ra', 'ra', 'postmaster'],
  ]);
  const a = r.terms[0] as SpfMechanism;
  assert.equal(a.cidr4?.value, 24);
  assert.equal(a.cidr6?.value, 64);
  assert.deepEqual((r.terms[2] as SpfMechanism).ip?.bytes, [192, 0, 2, 0]);
  assert.equal(r.redirect, r.terms[8] as SpfModifier);
  assert.equal(r.exp, r.terms[9] as SpfModifier);
});

test('macro strings: literals, escapes and macros with their transformers', () => {
  const s = 'a%%b%_c%-d%{L2r-+}e%{ir}.%{v}';
  const m = parseMacroString(s, 0, s.length);
  assert.deepEqual(m.problems, []);
  assert.ok(m.hasMacros);
  assert.deepEqual(m.parts.map((p) => p.kind === 'macro' ? `${p.letter}${p.escape ? '^' : ''}:${p.digits ?? ''}:${p.reverse ? 'r' : ''}:${p.delimiters}@${p.start}-${p.end}` : `${p.kind}:${p.text}@${p.start}-${p.end}`), [
    'literal:a@0-1', 'escape:%@1-3', 'literal:b@3-4', 'escape: @4-6', 'literal:c@6-7', 'escape:%20@7-9', 'literal:d@9-10',
    'l^:2:r:-+@10-18', 'literal:e@18-19', 'i::r:.@19-24', 'literal:.@24-25', 'v:::.@25-29',
  ]);
  for (const bad of ['%', '%{', '%{}', '%{q}', '%{d0}', '%{d2x}', '%{dr?}', '%a', 'x y']) {
    assert.ok(parseMacroString(bad, 0, bad.length).problems.length > 0, bad);
  }
  assert.deepEqual(parseMacroString('x y %{c}', 0, 8, true).problems, [], 'an explanation allows spaces and %{c}');
});

test('the version tag: exact, case-insensitive, followed by a space or the end', () => {
  for (const v of ['v=spf1', 'v=spf1 ', 'V=SPF1 -all', 'v=spf1 mx']) assert.ok(hasSpfVersion(v), v);
  for (const v of ['v=spf10', 'v=spf1mx', ' v=spf1', 'v=spf2.0/pra', 'v=spf', '']) assert.ok(!hasSpfVersion(v), v);
  assert.equal(parseSpfRecord('v=spf1').terms.length, 0);
  assert.equal(parseSpfRecord('v=spf1    mx   -all   ').terms.length, 2, 'several spaces and trailing spaces are fine');
});

test('never throws, whatever the bytes; stays linear on huge records', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const alphabet = 'v=spf1 :/%{}.-+~?!allmxip46include exists ptr redirect exp 0123456789abcdef\t\0\u00e9\u2013"';
  for (let i = 0; i < 2000; i++) {
    let s = i % 3 === 0 ? 'v=spf1 ' : '';
    const n = Math.floor(rnd() * 60);
    for (let k = 0; k < n; k++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    const { rec } = single(s);
    assert.doesNotThrow(() => checkSpfRecord(rec), JSON.stringify(s));
  }
  const huge = 'v=spf1 ' + 'ip4:192.0.2.1 a:%{d}.x.example.com '.repeat(30000) + '-all';
  const started = performance.now();
  const r = parseSpfRecord(huge);
  const { rec } = single(huge);
  const findings = checkSpfRecord(rec);
  const ms = performance.now() - started;
  assert.equal(r.terms.length, 60001);
  assert.ok(findings.some((f) => f.code === 'spf/too-many-lookups'));
  // A hang guard, not a performance target (benchmarks measure speed): generous for a loaded CI machine.
  assert.ok(ms < 30_000, `a ${huge.length}-character record took ${Math.round(ms)} ms`);
});
