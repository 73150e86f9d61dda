// updateDocument (lsp/documentUpdate.ts): changes that join a CR to an LF leave
// vscode-languageserver-textdocument's line table wrong; the guard rebuilds the document so
// that its lines, and every later position, match the text. Random edits with CRs and LFs
// check it against a document made from scratch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { updateDocument } from '../../../server/src/lsp/documentUpdate';

const lineCount = (t: string) => t.split(/\r\n|\r|\n/).length;

test('the library alone miscounts: a CR typed before an LF', () => {
  let d = TextDocument.create('u', 'x', 1, 'ab\ncd\n');
  d = TextDocument.update(d, [{ range: { start: { line: 0, character: 2 }, end: { line: 0, character: 2 } }, text: '\r' }], 2);
  assert.equal(d.lineCount, 4, 'if this fails, the library was fixed and the guard can go');
  const { doc, rebuilt } = updateDocument(TextDocument.create('u', 'x', 1, 'ab\ncd\n'), [{ range: { start: { line: 0, character: 2 }, end: { line: 0, character: 2 } }, text: '\r' }], 2);
  assert.equal(rebuilt, true);
  assert.equal(doc.lineCount, 3);
});

test('random edits of CR/LF text: the line table always matches the text; ordinary edits are not rebuilt', () => {
  const piece = fc.array(fc.constantFrom('a', 'b', '\r', '\n', '\r\n', ' '), { maxLength: 6 }).map((a) => a.join(''));
  fc.assert(fc.property(piece, fc.array(fc.record({ at: fc.nat(), len: fc.nat(3), text: piece }), { minLength: 1, maxLength: 8 }), (start, edits) => {
    let doc = TextDocument.create('u', 'x', 1, start);
    for (const e of edits) {
      const text = doc.getText();
      const s = e.at % (text.length + 1);
      const end = Math.min(text.length, s + e.len);
      const change = { range: { start: doc.positionAt(s), end: doc.positionAt(end) }, text: e.text };
      doc = updateDocument(doc, [change], doc.version + 1).doc;
      assert.equal(doc.lineCount, lineCount(doc.getText()), JSON.stringify(doc.getText()));
    }
  }), { seed: 42, numRuns: 3000 });
  const plain = updateDocument(TextDocument.create('u', 'x', 1, 'ab\r\ncd\r\n'), [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 2 } }, text: 'xy\r\nz' }], 2);
  assert.equal(plain.rebuilt, false);
  assert.equal(plain.doc.getText(), 'ab\r\nxy\r\nz\r\n');
});
