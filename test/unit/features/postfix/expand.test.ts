// $name expansion for hover: every macro form, cycles, depth and size limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandValue, type Resolved } from '../../../../server/src/core/postfix/expand';

function resolver(values: Record<string, string | null>): (name: string) => Resolved {
  return (name) => {
    if (!(name in values)) return { kind: 'undefined' };
    const v = values[name];
    return v === null ? { kind: 'computed' } : { kind: 'value', text: v };
  };
}

const values = resolver({
  mydomain: 'example.org',
  myhostname: null,
  myorigin: '$mydomain',
  empty: '',
  level: '3.6',
  relay: '${{$level} <level {2} ? {$mydomain} : {}}',
  a: '$b',
  b: '$c x',
  c: '$a',
});

test('plain, braced and parenthesized references', () => {
  assert.equal(expandValue('$mydomain ${mydomain} $(mydomain)', values).text, 'example.org example.org example.org');
  assert.equal(expandValue('mail.$myorigin', values).text, 'mail.example.org');
  assert.equal(expandValue('a$$b', values).text, 'a$b');
});

test('conditional forms', () => {
  assert.equal(expandValue('${mydomain?set}', values).text, 'set');
  assert.equal(expandValue('${empty?set}', values).text, '');
  assert.equal(expandValue('${empty:unset}', values).text, 'unset');
  assert.equal(expandValue('${mydomain:unset}', values).text, '');
  assert.equal(expandValue('${mydomain?{yes $mydomain}:{no}}', values).text, 'yes example.org');
  assert.equal(expandValue('${empty?{yes}:{no}}', values).text, 'no');
  assert.equal(expandValue('${nothing?{yes}:{no}}', values).text, 'no');
});

test('relational forms, with compatibility levels', () => {
  assert.equal(expandValue('$relay', values).text, '');
  assert.equal(expandValue('${{$mydomain} == {example.org} ? {same} : {other}}', values).text, 'same');
  assert.equal(expandValue('${{1} < {2} ? {lt} : {ge}}', values).text, 'lt');
  assert.equal(expandValue('${{3.6} <level {3.10} ? {older} : {newer}}', values).text, 'older');
});

test('computed, undefined and cyclic names are reported, not invented', () => {
  const e = expandValue('$myhostname $nope $a', values);
  assert.equal(e.text, '$myhostname  $a x');
  assert.deepEqual(e.computedNames, ['myhostname']);
  assert.deepEqual(e.undefinedNames, ['nope']);
  assert.deepEqual(e.cyclic, ['a']);
  assert.deepEqual(expandValue('$b', values, { self: 'b' }).cyclic, ['b']);
});

test('size and work limits', () => {
  const many: Record<string, string> = {};
  for (let k = 0; k < 40; k++) many[`p${k}`] = `$p${k + 1} $p${k + 1}`;
  many.p40 = 'x';
  const e = expandValue('$p0', resolver(many));
  assert.ok(e.truncated);
  assert.ok(e.text.length <= 301 && e.text.endsWith('…'), String(e.text.length));
  const long = expandValue('y'.repeat(1000), values, { limit: 50 });
  assert.equal(long.text, `${'y'.repeat(50)}…`);
});

test('broken macros are shown as written', () => {
  assert.equal(expandValue('${mydomain', values).text, '${mydomain');
  assert.equal(expandValue('${mydomain{x}}', values).text, '${mydomain{x}}');
  assert.equal(expandValue('$', values).text, '$');
});
