import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitLines, LineIndex } from '../../../server/src/core/text/lines';

test('LF, CRLF and lone CR all end a line', () => {
  assert.deepEqual(splitLines('a\nb\r\nc\rd').map((l) => [l.line, l.start, l.text]), [[0, 0, 'a'], [1, 2, 'b'], [2, 5, 'c'], [3, 7, 'd']]);
  assert.deepEqual(splitLines('a\n').map((l) => l.text), ['a']);
  assert.deepEqual(splitLines('').length, 0);
  assert.deepEqual(splitLines('\n\n').map((l) => l.text), ['', '']);
});

test('LineIndex maps offsets and positions both ways, agreeing with splitLines', () => {
  const text = 'one\r\ntwo\rthree\nfour';
  const idx = new LineIndex(text);
  assert.equal(idx.lineCount, 4);
  for (const l of splitLines(text)) {
    for (let c = 0; c <= l.text.length; c++) {
      assert.deepEqual(idx.positionAt(l.start + c), { line: l.line, character: c });
      assert.equal(idx.offsetAt({ line: l.line, character: c }), l.start + c);
    }
  }
  assert.deepEqual(idx.positionAt(-5), { line: 0, character: 0 });
  assert.equal(idx.offsetAt({ line: 99, character: 0 }), text.length);
});
