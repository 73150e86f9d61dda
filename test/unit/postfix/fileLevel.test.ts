// File-level rules shared by main.cf and master.cf: how lines become logical lines, and
// the byte-level problems (BOM, bare CR, NUL) that change what Postfix reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, main, master, r } from './helpers';
import { scanLogicalLines } from '../../../server/src/core/postfix/logicalLines';

test('readllines cases: blank, comment and indented-comment lines are skipped without ending the entry', () => {
  // The cases of Postfix's own readlline test, with our joined text.
  const join = (t: string) => scanLogicalLines(t, 'parameter', 'postfix').lines.map((l) => l.text);
  assert.deepEqual(join('abc\n def\n'), ['abc def']);
  assert.deepEqual(join('abc\n #def\n ghi'), ['abc ghi']);
  assert.deepEqual(join('abc\n#def\n ghi'), ['abc ghi']);
  assert.deepEqual(join('abc\n \n ghi'), ['abc ghi']);
  assert.deepEqual(join('abc\n\n ghi'), ['abc ghi']);
  assert.deepEqual(join('abc\n#def\n'), ['abc']);
  assert.deepEqual(join('abc\n '), ['abc']);
  assert.deepEqual(join('#abc\ndef'), ['def']);
  assert.deepEqual(join('\n \n'), []);
});

test('a logical line maps every offset back to its own line', () => {
  const [line] = scanLogicalLines('name = a\n# c\n\n   b\n', 'parameter', 'postfix').lines;
  assert.equal(line.text, 'name = a   b');
  assert.deepEqual(r(line.rangeOf(7, 8)), [0, 7, 0, 8]);
  assert.deepEqual(r(line.rangeOf(8, 12)), [3, 0, 3, 4]);
  assert.deepEqual(r(line.rangeOf(11, 12)), [3, 3, 3, 4]);
  // A range that ends at a line's last character ends on that line, not at column 0 of the next piece.
  assert.deepEqual(r(line.rangeOf(0, 8)), [0, 0, 0, 8]);
  assert.deepEqual([line.firstLine, line.lastLine], [0, 3]);
});

test('postfix/byte-order-mark: warned, and the first name is read without it', () => {
  const { tree, findings } = main('\uFEFFmyhostname = x\n');
  assert.deepEqual(brief(findings), [['postfix/byte-order-mark', 'warning', [0, 0, 0, 1]]]);
  assert.equal(tree.parameters[0].name.text, 'myhostname');
  assert.deepEqual(r(tree.parameters[0].name.range), [0, 1, 0, 11]);
  const m = master('\uFEFFsmtp inet n - y - - smtpd\n');
  assert.deepEqual(brief(m.findings), [['postfix/byte-order-mark', 'warning', [0, 0, 0, 1]]]);
  assert.equal(m.tree.services[0].name.text, 'smtp');
});

test('postfix/cr-line-ending: bare CR line ends are reported once; lines still split for the editor', () => {
  const { tree, findings } = main('a = 1\rb = 2\rc = 3');
  assert.deepEqual(brief(findings), [['postfix/cr-line-ending', 'warning', [0, 5, 1, 0]]]);
  assert.deepEqual(tree.parameters.map((p) => p.name.text), ['a', 'b', 'c']);
  // CRLF is not a bare CR.
  assert.deepEqual(main('a = 1\r\nb = 2\r\n').findings, []);
  // The CR after a CRLF line is found on the right line.
  assert.deepEqual(brief(main('a = 1\r\nb = 2\rc = 3\n').findings), [['postfix/cr-line-ending', 'warning', [1, 5, 2, 0]]]);
});

test('postfix/nul-byte: one warning per line, at the first NUL', () => {
  const { findings } = main('a = b\u0000c\u0000\nd = e\n\u0000\n');
  assert.deepEqual(brief(findings).filter((f) => f[0] === 'postfix/nul-byte'), [
    ['postfix/nul-byte', 'warning', [0, 5, 0, 6]],
    ['postfix/nul-byte', 'warning', [2, 0, 2, 1]],
  ]);
});

test('empty and whitespace-only files have no findings and no entries', () => {
  for (const text of ['', '\n', '   \n\t\n', '\r\n\r\n', '# only a comment']) {
    assert.deepEqual(main(text).findings, [], JSON.stringify(text));
    assert.deepEqual(master(text).findings, [], JSON.stringify(text));
    assert.equal(main(text).tree.parameters.length, 0);
    assert.equal(master(text).tree.services.length, 0);
  }
});
