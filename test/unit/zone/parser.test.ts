// The zone tree: tokens with exact ranges, inherited context, directives, lexical rules.
// Expected values follow what BIND's named-checkzone reads from the same text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { directives, errors, parse, records, tok, wheres } from './helpers';
import { absoluteName, ownerName, sameName } from '../../../server/src/core/zone/names';
import { txtValue, valueOffsetToColumn } from '../../../server/src/core/zone/strings';

test('a full record: owner, TTL, class, type and rdata with exact ranges', () => {
  const { tree, findings } = parse('www 3600 IN A 192.0.2.1\n');
  assert.deepEqual(findings, []);
  const [r] = records(tree);
  assert.deepEqual(tok(r.owner), [0, 0, 3, 'www']);
  assert.deepEqual(tok(r.ttl), [0, 4, 8, '3600']);
  assert.equal(r.ttlSeconds, 3600);
  assert.deepEqual(tok(r.class), [0, 9, 11, 'IN']);
  assert.deepEqual(tok(r.type), [0, 12, 13, 'A']);
  assert.equal(r.typeName, 'A');
  assert.equal(r.typeCode, 1);
  assert.deepEqual(r.rdata.map(tok), [[0, 14, 23, '192.0.2.1']]);
  assert.equal(r.ownerInherited, false);
  assert.deepEqual([r.firstLine, r.lastLine, r.endChar], [0, 0, 23]);
});

test('TTL and class in either order, TTL units, lower-case class and type', () => {
  const { tree, findings } = parse('a IN 1h30m A 192.0.2.1\nb 1w in mx 10 mail\nc 3D TXT "x"\n');
  assert.deepEqual(findings, []);
  const [a, b, c] = records(tree);
  assert.deepEqual([a.ttlSeconds, a.class?.text, a.typeName], [5400, 'IN', 'A']);
  assert.deepEqual([b.ttlSeconds, b.class?.text, b.typeName, b.typeCode], [604800, 'in', 'MX', 15]);
  assert.deepEqual([c.ttlSeconds, c.class, c.typeName], [259200, undefined, 'TXT']);
});

test('a line starting with a blank inherits the owner; the token is zero-width at column 0', () => {
  const { tree, findings } = parse('mail IN A 192.0.2.1\n\tIN AAAA 2001:db8::1\n  MX 10 mail\n');
  assert.deepEqual(findings, []);
  const [a, b, c] = records(tree);
  assert.equal(a.ownerInherited, false);
  assert.equal(b.ownerInherited, true);
  assert.deepEqual(tok(b.owner), [1, 0, 0, 'mail']);
  assert.deepEqual(tok(c.owner), [2, 0, 0, 'mail']);
  assert.deepEqual(tok(c.type), [2, 2, 4, 'MX']);
});

test('$ORIGIN, $TTL and @: context stored on every entry, names made absolute by a helper', () => {
  const text = '$ORIGIN example.com.\n$TTL 1h\n@ IN NS ns1\n$ORIGIN sub\nwww A 192.0.2.1\nabs.example.net. A 192.0.2.2\n';
  const { tree, findings } = parse(text);
  assert.deepEqual(findings, []);
  const [o1, ttl, o2] = directives(tree);
  assert.equal(o1.directive, 'ORIGIN');
  assert.deepEqual(tok(o1.name), [0, 0, 7, '$ORIGIN']);
  assert.deepEqual(o1.args.map(tok), [[0, 8, 20, 'example.com.']]);
  assert.equal(ttl.directive, 'TTL');
  assert.equal(o2.origin, 'example.com.');
  const [ns, www, abs] = records(tree);
  assert.equal(ns.origin, 'example.com.');
  assert.equal(ns.defaultTtl, 3600);
  assert.equal(ownerName(ns), 'example.com.');
  assert.equal(www.origin, 'sub.example.com.');
  assert.equal(ownerName(www), 'www.sub.example.com.');
  assert.equal(ownerName(abs), 'abs.example.net.');
  assert.equal(absoluteName('a\\.', 'x.'), 'a\\..x.');
  assert.ok(sameName('WWW.Example.com', 'www.example.com.'));
});

test('$INCLUDE and $GENERATE are kept as directives with their arguments', () => {
  const { tree, findings } = parse('$INCLUDE ../db.ocf\n$INCLUDE keys.txt example.com.\n$GENERATE 1-10 host$ A 192.0.2.$\n');
  assert.deepEqual(findings, []);
  const d = directives(tree);
  assert.deepEqual(d.map((x) => [x.directive, x.args.map((a) => a.text)]), [
    ['INCLUDE', ['../db.ocf']],
    ['INCLUDE', ['keys.txt', 'example.com.']],
    ['GENERATE', ['1-10', 'host$', 'A', '192.0.2.$']],
  ]);
});

test('directives are case-insensitive ($ttl), as in BIND', () => {
  const { tree, findings } = parse('$ttl 60\nx A 192.0.2.1\n');
  assert.deepEqual(findings, []);
  assert.equal(records(tree)[0].defaultTtl, 60);
});

test('parentheses: newlines inside are blanks, comments inside end at the line end, they may nest', () => {
  const text = [
    '@ IN SOA ns1 hostmaster (',
    '2026013001 ; serial ( not a paren',
    '      1d ; refresh',
    '      30m 4w',
    '      30m )   ; negative',
    'x TXT ((a))',
  ].join('\n');
  const { tree, findings } = parse(text);
  assert.deepEqual(findings, []);
  const [soa, x] = records(tree);
  assert.equal(soa.rdata.length, 7);
  assert.deepEqual(tok(soa.rdata[2]), [1, 0, 10, '2026013001']);
  assert.deepEqual([soa.firstLine, soa.lastLine, soa.endChar], [0, 4, 24]);
  assert.deepEqual(soa.comments?.map(tok), [
    [1, 11, 33, '; serial ( not a paren'],
    [2, 9, 18, '; refresh'],
    [4, 14, 24, '; negative'],
  ]);
  assert.deepEqual(x.rdata.map((t) => t.value), ['a']);
});

test('parentheses glued to words separate them: (1 0m 0m 0m 5m)', () => {
  const { tree, findings } = parse('@ IN SOA dns.example. webmaster.example. (1 0m 0m 0m 5m)\n');
  assert.deepEqual(findings, []);
  assert.deepEqual(records(tree)[0].rdata.slice(2).map(tok), [
    [0, 42, 43, '1'], [0, 44, 46, '0m'], [0, 47, 49, '0m'], [0, 50, 52, '0m'], [0, 53, 55, '5m'],
  ]);
});

test('quoted strings: escapes decoded, ranges include the quotes', () => {
  const { tree, findings } = parse('x TXT "a\\"b\\065\\;" "" plain\\;word\n');
  const [r] = records(tree);
  assert.deepEqual(r.rdata.map((t) => [t.start, t.end, t.quoted, t.value]), [
    [6, 18, true, 'a"bA;'],
    [19, 21, true, ''],
    [22, 33, false, 'plain;word'],
  ]);
  // "" next to an unquoted word: three strings (one of them unquoted) is worth a note.
  assert.deepEqual(wheres(findings), ['zone/unquoted-txt@0:22-0:33']);
  assert.equal(findings[0].severity, 'information');
});

test('a quote starts a new word even inside one: a"b"c is three strings (BIND)', () => {
  const { tree } = parse('f TXT a"b"c\n');
  assert.deepEqual(records(tree)[0].rdata.map((t) => [t.text, t.quoted]), [['a', false], ['"b"', true], ['c', false]]);
});

test('valueOffsetToColumn maps a decoded offset back to the source column', () => {
  const { tree } = parse('_dmarc TXT "v=DMARC1\\; p=none"\n');
  const s = records(tree)[0].rdata[0];
  assert.equal(s.value, 'v=DMARC1; p=none');
  const p = s.value.indexOf('p=');
  assert.equal(valueOffsetToColumn(s, p), 23);
  assert.equal(valueOffsetToColumn(s, 0), 12);
  const { tree: t2 } = parse('x TXT "\\065BC"\n');
  assert.equal(valueOffsetToColumn(records(t2)[0].rdata[0], 1), 11);
});

test('TXT character-strings and their joined value (no spaces, as SPF/DKIM readers join)', () => {
  const { tree } = parse('k TXT ( "v=DKIM1; k=rsa; "\n  "p=AAAA"\n  "BBBB" )\n');
  const r = records(tree)[0];
  assert.deepEqual(r.rdata.map((t) => [t.line, t.start, t.end]), [[0, 8, 26], [1, 2, 10], [2, 2, 8]]);
  assert.equal(txtValue(r), 'v=DKIM1; k=rsa; p=AAAABBBB');
});

test('comment lines are entries of their own; blank lines are not entries', () => {
  const { tree } = parse('; first\n\n   ; indented\n  \nx A 192.0.2.1 ; trailing\n');
  assert.deepEqual(tree.entries.map((e) => [e.kind, e.firstLine]), [['comment', 0], ['comment', 2], ['record', 4]]);
  assert.deepEqual(tree.entries[1].comments?.map(tok), [[2, 3, 13, '; indented']]);
  assert.deepEqual(records(tree)[0].comments?.map(tok), [[4, 14, 24, '; trailing']]);
  assert.equal(tree.lineCount, 5);
});

test('CRLF and lone CR end lines like LF; a final line without terminator parses', () => {
  for (const nl of ['\r\n', '\r', '\n']) {
    const { tree, findings } = parse(['$TTL 1h', 'x IN TXT ( "a"', ' "b" )', '\tIN A 192.0.2.1'].join(nl));
    assert.deepEqual(findings, [], JSON.stringify(nl));
    const [txt, a] = records(tree);
    assert.deepEqual(txt.rdata.map(tok), [[1, 11, 14, '"a"'], [2, 1, 4, '"b"']]);
    assert.deepEqual([txt.firstLine, txt.lastLine], [1, 2]);
    assert.deepEqual([a.firstLine, a.owner.text, a.ownerInherited], [3, 'x', true]);
  }
});

test('generic type and rdata (RFC 3597): TYPE257 \\# 22 …', () => {
  const { tree, findings } = parse('@ TYPE257 \\# 22 000569737375656C657473656E63727970742E6F7267\n@ TYPE65534 \\# 0\n');
  assert.deepEqual(findings, []);
  const [caa, priv] = records(tree);
  assert.deepEqual([caa.typeName, caa.typeCode], ['CAA', 257]);
  assert.deepEqual([priv.typeName, priv.typeCode], ['TYPE65534', 65534]);
});

test('the opendkim-genkey selector.txt form parses as a fragment: no $ORIGIN, relative owner', () => {
  const text = '4400._domainkey IN  TXT ( "v=DKIM1; h=sha256; k=rsa; "\n      "p=MIIB"\n      "n7vR" )  ; ----- DKIM key 4400 for any2any.de\n';
  const { tree, findings } = parse(text);
  assert.deepEqual(findings, []);
  const [r] = records(tree);
  assert.equal(r.origin, '');
  assert.equal(ownerName(r), '4400._domainkey');
  assert.equal(txtValue(r), 'v=DKIM1; h=sha256; k=rsa; p=MIIBn7vR');
  assert.deepEqual(r.comments?.map((c) => c.text), ['; ----- DKIM key 4400 for any2any.de']);
});

test('an inherited owner right after $ORIGIN keeps the earlier origin (BIND warns)', () => {
  const { tree, findings } = parse('$ORIGIN example.com.\nwww A 192.0.2.1\n$ORIGIN sub.example.com.\n  TXT "x"\n');
  const r = records(tree)[1];
  assert.equal(r.ownerOrigin, 'example.com.');
  assert.equal(ownerName(r), 'www.example.com.');
  assert.deepEqual(wheres(findings), ['zone/inherited-owner-after-origin@3:0-3:2']);
  assert.equal(findings[0].severity, 'warning');
});

test('$INCLUDE does not change the context of the including file', () => {
  const { tree } = parse('$ORIGIN example.com.\nns A 192.0.2.1\n$INCLUDE other.zone sub.example.com.\n  TXT "x"\n');
  const r = records(tree)[1];
  assert.equal(r.origin, 'example.com.');
  assert.equal(ownerName(r), 'ns.example.com.');
});

test('a BOM is skipped for parsing but reported (BIND rejects it)', () => {
  const { tree, findings } = parse('\uFEFF$TTL 1h\nx A 192.0.2.1\n');
  assert.deepEqual(wheres(findings), ['zone/byte-order-mark@0:0-0:1']);
  assert.equal(directives(tree)[0].directive, 'TTL');
  assert.deepEqual(tok(directives(tree)[0].name), [0, 1, 5, '$TTL']);
  assert.equal(errors(findings).length, 1);
});
