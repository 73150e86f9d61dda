// Whatever bytes arrive, the parser returns (no throw) in bounded time. Bounds are
// generous (CI machines vary); they catch quadratic behaviour, not small slowdowns.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, records } from './helpers';
import { zoneLanguage } from '../../../server/src/core/zone/language';

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

function full(text: string) {
  const r = parse(text);
  // The outline and folds must cope too.
  zoneLanguage.symbols(r.tree);
  zoneLanguage.folding(r.tree);
  return r;
}

test('NUL bytes and control characters', () => {
  const { value } = timed(() => full('x\u0000 A 192.0.2.1\n\u0000\u0000\u0000\n\u0001\u0002 TXT "\u0000"\n'));
  assert.ok(value.tree.entries.length >= 2);
});

test('random binary', () => {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let round = 0; round < 20; round++) {
    let s = '';
    for (let i = 0; i < 20000; i++) s += String.fromCharCode(Math.floor(rnd() * 256));
    const { ms } = timed(() => full(s));
    assert.ok(ms < 2000, `round ${round} took ${ms} ms`);
  }
});

test('random zone-ish soup (quotes, parentheses, semicolons, backslashes, line ends)', () => {
  const alphabet = ['(', ')', '"', ';', '\\', '\n', '\r', '\r\n', ' ', '\t', 'a', 'IN', 'TXT', '1h', '$TTL', '$ORIGIN', '@', '0', '.'];
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let round = 0; round < 50; round++) {
    let s = '';
    for (let i = 0; i < 5000; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    const { ms } = timed(() => full(s));
    assert.ok(ms < 2000, `round ${round} took ${ms} ms`);
  }
});

test('100k nested parentheses on one line', () => {
  const text = 'x TXT ' + '('.repeat(100_000) + ' "a"\n';
  const { value, ms } = timed(() => full(text));
  assert.ok(ms < 2000, `${ms} ms`);
  assert.deepEqual(value.findings.map((f) => f.code), ['zone/unbalanced-parentheses']);
  assert.deepEqual(value.findings[0].range, { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } });
});

test('100k closing parentheses', () => {
  const { value, ms } = timed(() => full('x TXT "a" ' + ')'.repeat(100_000) + '\n'));
  assert.ok(ms < 2000, `${ms} ms`);
  assert.equal(value.findings.length, 100_000);
});

test('many unclosed parentheses on many lines stay linear', () => {
  const text = 'a TXT ( "x"\n'.repeat(50_000);
  const { value, ms } = timed(() => full(text));
  assert.ok(ms < 3000, `${ms} ms`);
  assert.equal(records(value.tree).length, 50_000);
  assert.ok(value.findings.every((f) => f.code === 'zone/unbalanced-parentheses'));
});

test('a 10 MB single line', () => {
  const text = 'x TXT ' + 'abcdefghij'.repeat(1_000_000);
  const { value, ms } = timed(() => full(text));
  assert.ok(ms < 3000, `${ms} ms`);
  assert.equal(records(value.tree)[0].rdata[0].text.length, 10_000_000);
  assert.deepEqual(value.findings.map((f) => f.code), ['zone/txt-string-too-long']);
});

test('10 MB of one-letter words in one record (5M tokens)', () => {
  const { value: txt, ms: m1 } = timed(() => full('x TXT ' + 'a '.repeat(5_000_000)));
  const { value: a, ms: m2 } = timed(() => full('x A ' + 'a '.repeat(5_000_000)));
  assert.ok(m1 < 5000 && m2 < 5000, `${m1} / ${m2} ms`);
  assert.deepEqual(txt.findings.map((f) => [f.code, f.fixes?.length]), [['zone/unquoted-txt', 0]]);
  assert.deepEqual(a.findings.map((f) => f.code), ['zone/extra-rdata']);
});

test('a 10 MB quoted string and a 10 MB comment', () => {
  const { ms: m1 } = timed(() => full('x TXT "' + 'a'.repeat(10_000_000) + '"\n'));
  const { ms: m2 } = timed(() => full('x A 192.0.2.1 ;' + 'c'.repeat(10_000_000)));
  assert.ok(m1 < 3000 && m2 < 3000, `${m1} / ${m2} ms`);
});

test('unterminated quote at the end of the text', () => {
  const { value } = timed(() => full('x TXT ( "abc'));
  assert.deepEqual(value.findings.map((f) => f.code).sort(), ['zone/unbalanced-parentheses', 'zone/unterminated-string']);
});

test('CR-only line ends', () => {
  const { value } = timed(() => full('$TTL 1h\r@ IN SOA ns hm (\r1 2 3 4 5 )\rwww A 192.0.2.1\r\tTXT "x"\r'));
  assert.deepEqual(value.findings, []);
  assert.deepEqual(records(value.tree).map((r) => [r.firstLine, r.lastLine, r.typeName]), [[1, 2, 'SOA'], [3, 3, 'A'], [4, 4, 'TXT']]);
});

test('a million line breaks and a million blanks', () => {
  const { ms: m1 } = timed(() => full('\n'.repeat(1_000_000)));
  const { ms: m2 } = timed(() => full(' '.repeat(1_000_000)));
  const { ms: m3 } = timed(() => full('\r'.repeat(1_000_000)));
  assert.ok(m1 < 2000 && m2 < 2000 && m3 < 2000, `${m1} / ${m2} / ${m3} ms`);
});

test('a million backslashes and a million quotes', () => {
  const { ms: m1 } = timed(() => full('x TXT ' + '\\'.repeat(1_000_000)));
  const { ms: m2 } = timed(() => full('x TXT ' + '"'.repeat(1_000_000)));
  const { ms: m3 } = timed(() => full('x TXT "' + '\\"'.repeat(500_000)));
  assert.ok(m1 < 3000 && m2 < 3000 && m3 < 3000, `${m1} / ${m2} / ${m3} ms`);
});

test('lone surrogates and astral characters', () => {
  const { value } = timed(() => full('x TXT "\uD800\uDC00 \uDFFF \\\uD83D\uDE00"\n\uD800 A 192.0.2.1\n'));
  assert.equal(records(value.tree).length, 2);
});
