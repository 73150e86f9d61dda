import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, main, r } from './helpers';
import type { Value } from '../../../server/src/core/postfix/tree';

/** Parses `x = <value>` and returns the value and findings; value columns start at 4. */
function value(v: string): { value: Value; findings: ReturnType<typeof main>['findings'] } {
  const res = main(`x = ${v}\n`);
  assert.equal(res.tree.parameters.length, 1);
  return { value: res.tree.parameters[0].value, findings: res.findings };
}

function refs(v: Value): Array<[string, string, string, [number, number, number, number], [number, number, number, number]]> {
  return v.references.map((x) => [x.name, x.form, x.use, r(x.nameRange), r(x.range)]);
}

test('$name, ${name}, $(name) with name ranges', () => {
  const { value: v, findings } = value('$myhostname ${mydomain}/x $(queue_directory)');
  assert.deepEqual(findings, []);
  assert.deepEqual(refs(v), [
    ['myhostname', 'plain', 'value', [0, 5, 0, 15], [0, 4, 0, 15]],
    ['mydomain', 'braces', 'value', [0, 18, 0, 26], [0, 16, 0, 27]],
    ['queue_directory', 'parens', 'value', [0, 32, 0, 47], [0, 30, 0, 48]],
  ]);
});

test('a plain $name ends at the first character that is not a letter, digit or _', () => {
  const { value: v } = value('$data_directory/smtpd_scache $a.$b-c');
  assert.deepEqual(v.references.map((x) => x.name), ['data_directory', 'a', 'b']);
});

test('$$ is a literal dollar, not a reference', () => {
  const { value: v, findings } = value('a$$b $$name');
  assert.deepEqual(findings, []);
  assert.deepEqual(v.references, []);
});

test('conditional forms ${name?text}, ${name:text}, ${name?{a}:{b}} and nested references', () => {
  const { value: v, findings } = value('${a?$b} ${c:{$d}} ${e?{x $f}:{$g}}');
  assert.deepEqual(findings, []);
  assert.deepEqual(v.references.map((x) => [x.name, x.use]), [
    ['a', 'test'], ['b', 'value'], ['c', 'test'], ['d', 'value'], ['e', 'test'], ['f', 'value'], ['g', 'value'],
  ]);
  assert.deepEqual(r(v.references[0].range), [0, 4, 0, 11]);
  assert.deepEqual(r(v.references[1].range), [0, 8, 0, 10]);
});

test('relational ${{$a} == {x} ? {y} : {z}} and != find the operand references', () => {
  const { value: v, findings } = value('${{$mydomain} == {example.com} ? {yes} : {$no}} ${{$a}!={b}?{c}}');
  assert.deepEqual(findings, []);
  assert.deepEqual(v.references.map((x) => [x.name, r(x.nameRange)]), [
    ['mydomain', [0, 8, 0, 16]], ['no', [0, 47, 0, 49]], ['a', [0, 56, 0, 57]],
  ]);
});

test('postfix/empty-macro-name: a lone $, $/ and ${}', () => {
  const { findings } = value('a$ b$/ ${}');
  assert.deepEqual(brief(findings), [
    ['postfix/empty-macro-name', 'error', [0, 5, 0, 6]],
    ['postfix/empty-macro-name', 'error', [0, 8, 0, 9]],
    ['postfix/empty-macro-name', 'error', [0, 11, 0, 14]],
  ]);
});

test('postfix/unterminated-macro: ${ or $( without its closing bracket', () => {
  assert.deepEqual(brief(value('${foo bar').findings), [['postfix/unterminated-macro', 'error', [0, 4, 0, 13]]]);
  // Only the opening bracket type counts: `$(foo}` is not closed.
  assert.deepEqual(brief(value('$(foo}').findings), [['postfix/unterminated-macro', 'error', [0, 4, 0, 10]]]);
});

test('postfix/macro-syntax: a blank inside a name, a bad operator, garbage after {…}', () => {
  assert.deepEqual(brief(value('${foo bar}').findings), [['postfix/macro-syntax', 'error', [0, 10, 0, 13]]]);
  assert.deepEqual(brief(value('${a, b}').findings), [['postfix/macro-syntax', 'error', [0, 7, 0, 10]]]);
  assert.deepEqual(brief(value('${{a} =~ {b}?x}').findings), [['postfix/macro-syntax', 'error', [0, 10, 0, 12]]]);
  assert.deepEqual(brief(value('${a?{x}y}').findings), [['postfix/macro-syntax', 'error', [0, 11, 0, 12]]]);
  assert.deepEqual(brief(value('${a:{x}y}').findings), [['postfix/macro-syntax', 'error', [0, 11, 0, 12]]]);
  assert.deepEqual(brief(value('${{a}}').findings).map((f) => f[0]), ['postfix/macro-syntax']);
});

test('words: blanks and commas separate, { … } groups and ${…} stay whole', () => {
  const { value: v, findings } = value('permit_mynetworks,reject ${a?x, y} { check_x, y },last');
  assert.deepEqual(findings, []);
  assert.deepEqual(v.words.map((w) => [w.text, w.braced, r(w.range)]), [
    ['permit_mynetworks', false, [0, 4, 0, 21]],
    ['reject', false, [0, 22, 0, 28]],
    ['${a?x, y}', false, [0, 29, 0, 38]],
    ['{ check_x, y }', true, [0, 39, 0, 53]],
    ['last', false, [0, 54, 0, 58]],
  ]);
  assert.deepEqual([v.words[3].inner?.text, r(v.words[3].inner!.range)], ['check_x, y', [0, 41, 0, 51]]);
});

test('lookup tables: type, name and ranges', () => {
  const { value: v } = value('hash:/etc/postfix/virtual lmdb:$config_directory/x btree:${data_directory}/smtpd_scache');
  const t = v.words.map((w) => w.table!);
  assert.deepEqual(t.map((x) => [x.type, x.name]), [
    ['hash', '/etc/postfix/virtual'], ['lmdb', '$config_directory/x'], ['btree', '${data_directory}/smtpd_scache'],
  ]);
  assert.deepEqual([r(t[0].typeRange), r(t[0].nameRange), r(t[0].range)], [[0, 4, 0, 8], [0, 9, 0, 29], [0, 4, 0, 29]]);
  assert.deepEqual(v.references.map((x) => x.name), ['config_directory', 'data_directory']);
});

test('lookup tables: proxy wraps a table, socketmap keeps its address, unix:passwd.byname', () => {
  const { value: v } = value('proxy:mysql:/etc/postfix/mysql.cf socketmap:inet:127.0.0.1:9999:name unix:passwd.byname');
  const [proxy, socket, unix] = v.words.map((w) => w.table!);
  assert.equal(proxy.type, 'proxy');
  assert.deepEqual([proxy.inner?.type, proxy.inner?.name, r(proxy.inner!.range)], ['mysql', '/etc/postfix/mysql.cf', [0, 10, 0, 37]]);
  assert.deepEqual([socket.type, socket.name], ['socketmap', 'inet:127.0.0.1:9999:name']);
  assert.deepEqual([unix.type, unix.name], ['unix', 'passwd.byname']);
});

test('lookup tables: inline:{…}, unionmap:{…}, pipemap:{…}, randmap:{…} and cidr:{ {…}, {…} } members', () => {
  const { value: v, findings } = value('inline:{ a=b, c=d } unionmap:{hash:/a, lmdb:/b} pipemap:{x:/y,regexp:/z} randmap:{s1,s2} cidr:{ {10.0.0.0/8 OK}, {0.0.0.0/0 REJECT} }');
  assert.deepEqual(findings, []);
  const [inline, union, pipe, rand, cidr] = v.words.map((w) => w.table!);
  assert.deepEqual(inline.members?.map((m) => [m.text, r(m.range)]), [['a=b', [0, 13, 0, 16]], ['c=d', [0, 18, 0, 21]]]);
  assert.deepEqual(union.members?.map((m) => m.table?.type), ['hash', 'lmdb']);
  assert.deepEqual(pipe.members?.map((m) => [m.text, m.table?.type]), [['x:/y', undefined], ['regexp:/z', 'regexp']]);
  assert.deepEqual(rand.members?.map((m) => m.text), ['s1', 's2']);
  assert.deepEqual(cidr.members?.map((m) => [m.braced, m.inner?.text]), [[true, '10.0.0.0/8 OK'], [true, '0.0.0.0/0 REJECT']]);
});

test('not tables: milter and socket addresses, transports, IPv6 networks', () => {
  const { value: v } = value('inet:localhost:8891 local:/opendkim/opendkim.sock smtp:[relay]:587 [::1]/128 unix:private/x');
  assert.deepEqual(v.words.map((w) => w.table), [undefined, undefined, undefined, undefined, undefined]);
});

test('a multi-line inline table keeps its member ranges on their own lines', () => {
  const res = main('virtual_alias_maps = inline:{\n  a@x=b@y,\n  c@x=d@y }\n');
  assert.deepEqual(res.findings, []);
  const t = res.tree.parameters[0].value.words[0].table!;
  assert.deepEqual(t.members?.map((m) => [m.text, r(m.range)]), [['a@x=b@y', [1, 2, 1, 9]], ['c@x=d@y', [2, 2, 2, 9]]]);
  assert.deepEqual(r(t.range), [0, 21, 2, 11]);
});

test('postfix/unclosed-brace and postfix/unmatched-closing-brace', () => {
  assert.deepEqual(brief(value('{127.0.0.0/8, x').findings), [['postfix/unclosed-brace', 'error', [0, 4, 0, 5]]]);
  assert.deepEqual(brief(value('127.0.0.0/8} x}').findings), [['postfix/unmatched-closing-brace', 'warning', [0, 15, 0, 16]]]);
});
