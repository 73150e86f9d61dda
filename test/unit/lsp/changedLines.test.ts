import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { countLineBreaks, mergeChange, type ContentChange } from '../../../server/src/lsp/changedLines';
import type { ChangedLines } from '../../../server/src/core/language';

const r = (a: number, b: number) => ({ start: { line: a, character: 0 }, end: { line: b, character: 0 } });

test('line breaks count LF, CRLF and lone CR once each', () => {
  assert.equal(countLineBreaks('a\nb\r\nc\rd'), 3);
  assert.equal(countLineBreaks(''), 0);
});

test('one event: from its start line to its start plus the inserted line breaks', () => {
  assert.deepEqual(mergeChange('none', { range: r(4, 6), text: 'x' }), { startLine: 4, endLine: 4 });
  assert.deepEqual(mergeChange('none', { range: r(4, 4), text: 'a\nb\n' }), { startLine: 4, endLine: 6 });
  assert.equal(mergeChange('none', { text: 'whole new text' }), undefined, 'a full replacement changes everything');
  assert.equal(mergeChange(undefined, { range: r(1, 1), text: '' }), undefined, 'once everything changed, it stays so');
});

test('later events shift the earlier span when they add or remove lines above it', () => {
  const first = mergeChange('none', { range: r(10, 10), text: 'x' })!;
  assert.deepEqual(mergeChange(first, { range: r(2, 2), text: '\n\n' }), { startLine: 2, endLine: 12 });
  assert.deepEqual(mergeChange(first, { range: r(2, 5), text: '' }), { startLine: 2, endLine: 7 });
});

// Property: the span covers every line of the final text that differs from the original
// (comparing line by line from the top, and from the bottom).
test('random edit sequences: every changed line lies in the span', () => {
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let round = 0; round < 300; round++) {
    const original = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    let doc = TextDocument.create('file:///x', 'dns-zone', 1, original);
    let span: ChangedLines | 'none' | undefined = 'none';
    for (let k = 0, n = 1 + rand(4); k < n; k++) {
      const a = rand(doc.lineCount), b = Math.min(doc.lineCount - 1, a + rand(3));
      const change: ContentChange & { range: ReturnType<typeof r> } = {
        range: { start: { line: a, character: rand(3) }, end: { line: b, character: rand(5) } },
        text: ['', 'x', '\n', 'y\nz', '\n\n'][rand(5)],
      };
      span = mergeChange(span, change);
      doc = TextDocument.update(doc, [change], doc.version + 1);
    }
    const before = original.split('\n');
    const after = doc.getText().split('\n');
    let top = 0;
    while (top < before.length && top < after.length && before[top] === after[top]) top++;
    let bottom = 0;
    while (bottom < before.length - top && bottom < after.length - top &&
      before[before.length - 1 - bottom] === after[after.length - 1 - bottom]) bottom++;
    if (top === after.length && before.length === after.length) continue; // no change at all
    assert.ok(span && span !== 'none');
    assert.ok(span.startLine <= top, `round ${round}: span starts at ${span.startLine}, first changed line ${top}`);
    assert.ok(span.endLine >= after.length - 1 - bottom, `round ${round}: span ends at ${span.endLine}, last changed line ${after.length - 1 - bottom}`);
  }
});
