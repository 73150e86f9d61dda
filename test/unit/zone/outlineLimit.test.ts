// The outline of a huge zone stays small: records after the first OUTLINE_RECORDS are summed
// up per stretch between directives, and every directive is still listed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseZoneTree } from '../../../server/src/core/zone/parser';
import { OUTLINE_RECORDS, zoneSymbols } from '../../../server/src/core/zone/outline';

const ZONE = [
  '$ORIGIN example.org.', // 0
  'a A 192.0.2.1', //        1
  '  AAAA 2001:db8::1', //   2
  'b A 192.0.2.2', //        3
  'c A 192.0.2.3', //        4
  '$ORIGIN sub.example.org.', // 5
  'd A 192.0.2.4', //        6
  '; a comment', //          7
  'e TXT ( "v=spf1"', //     8
  '   " -all" )', //         9
  '$TTL 300', //             10
  'f A 192.0.2.6', //        11
  '',
].join('\n');

test('records beyond the limit are summed up between directives, which are all listed', () => {
  const symbols = zoneSymbols(parseZoneTree(ZONE), 3);
  assert.deepEqual(symbols.map((s) => [s.name, s.children?.length ?? null, s.range.start.line, s.range.end.line]), [
    ['$ORIGIN example.org.', null, 0, 0],
    ['a', 2, 1, 2],
    ['b', 1, 3, 3],
    ['1 more record', null, 4, 4],
    ['$ORIGIN sub.example.org.', null, 5, 5],
    ['2 more records', null, 6, 9],
    ['$TTL 300', null, 10, 10],
    ['1 more record', null, 11, 11],
  ]);
  assert.equal(symbols[3].detail, 'not listed: the outline shows the first 3 records');
  assert.deepEqual(symbols[5].range.end, { line: 9, character: 12 });
});

test('below the limit nothing is summed up', () => {
  const symbols = zoneSymbols(parseZoneTree(ZONE));
  assert.ok(OUTLINE_RECORDS >= 10_000);
  assert.deepEqual(symbols.map((s) => s.name), ['$ORIGIN example.org.', 'a', 'b', 'c', '$ORIGIN sub.example.org.', 'd', 'e', '$TTL 300', 'f']);
});
