// Outline: one symbol per owner (consecutive records grouped), a child per record,
// directives as symbols. Folding: multi-line records and comment runs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from './helpers';
import { zoneLanguage } from '../../../server/src/core/zone/language';

const TEXT = [
  '$ORIGIN example.com.',                         // 0
  '$TTL 1h',                                      // 1
  '@ IN SOA ns1 hostmaster (',                    // 2
  '        1 2h 1h 4w 1h )',                      // 3
  '  IN NS ns1',                                  // 4
  '; mail servers',                               // 5
  '; (two of them)',                              // 6
  '@ 300 IN MX 10 mail',                          // 7
  'mail IN A 192.0.2.1',                          // 8
  'k._domainkey TXT ( "v=DKIM1; k=rsa; "',        // 9
  '    "p=MIIB" )',                               // 10
].join('\n');

test('symbols: owners group consecutive records, comments do not split a group', () => {
  const { tree } = parse(TEXT);
  const symbols = zoneLanguage.symbols(tree);
  assert.deepEqual(symbols.map((s) => [s.name, s.kind, s.detail]), [
    ['$ORIGIN example.com.', 'Key', undefined],
    ['$TTL 1h', 'Key', undefined],
    ['@', 'Namespace', 'example.com.'],
    ['mail', 'Namespace', 'mail.example.com.'],
    ['k._domainkey', 'Namespace', 'k._domainkey.example.com.'],
  ]);
  const apex = symbols[2];
  assert.deepEqual(apex.children?.map((c) => [c.name, c.kind, c.detail]), [
    ['SOA ns1 hostmaster 1 2h 1h 4w 1h', 'Field', undefined],
    ['NS ns1', 'Field', undefined],
    ['MX 10 mail', 'Field', 'TTL 300'],
  ]);
  assert.deepEqual(apex.range, { start: { line: 2, character: 0 }, end: { line: 7, character: 19 } });
  assert.deepEqual(apex.selectionRange, { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } });
  assert.deepEqual(apex.children?.[0].range, { start: { line: 2, character: 0 }, end: { line: 3, character: 23 } });
  assert.deepEqual(apex.children?.[0].selectionRange, { start: { line: 2, character: 5 }, end: { line: 2, character: 8 } });
  const dkim = symbols[4].children?.[0];
  assert.equal(dkim?.kind, 'String');
  assert.equal(dkim?.name, 'TXT "v=DKIM1; k=rsa; " "p=MIIB"');
  assert.deepEqual(symbols[0].selectionRange, { start: { line: 0, character: 0 }, end: { line: 0, character: 7 } });
});

test('symbols: long rdata is shortened; a record without owner is still listed', () => {
  const { tree } = parse(`  IN TXT "${'x'.repeat(100)}"\n`);
  const [s] = zoneLanguage.symbols(tree);
  assert.equal(s.name, '(no owner)');
  assert.equal(s.children?.[0].name.length, 60);
  assert.ok(s.children?.[0].name.endsWith('…'));
});

test('folding: multi-line records are regions, runs of comment lines are comments', () => {
  const { tree } = parse(TEXT);
  assert.deepEqual(zoneLanguage.folding(tree), [
    { startLine: 2, endLine: 3, kind: 'region' },
    { startLine: 5, endLine: 6, kind: 'comment' },
    { startLine: 9, endLine: 10, kind: 'region' },
  ]);
});

test('folding: a single comment line does not fold; a blank line splits comment runs', () => {
  const { tree } = parse('; one\n\n; two\n; three\nx A 192.0.2.1\n');
  assert.deepEqual(zoneLanguage.folding(tree), [{ startLine: 2, endLine: 3, kind: 'comment' }]);
});
