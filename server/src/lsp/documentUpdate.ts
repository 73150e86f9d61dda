// TextDocument.update with a guard: vscode-languageserver-textdocument 1.0.12 keeps a table
// of line starts that it patches per change, and it miscounts when a change joins a CR to
// an LF (a CR typed before a line's LF, an LF typed after a CR, or the text between them
// deleted): the table then has one line too many, every later position the editor sends
// lands on the wrong offset, and the server's copy of the document drifts from the editor's.
// Such a change rebuilds the document from its text (and the caller re-parses it whole).

import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

const CR = 13;
const LF = 10;

/** True when `text` has a CR right before an LF at `at` (the boundary between offset at-1 and at). */
function crLfAt(text: string, at: number): boolean {
  return at > 0 && text.charCodeAt(at - 1) === CR && text.charCodeAt(at) === LF;
}

/**
 * Applies `changes` in order; `rebuilt` is true when one of them joined a CR to an LF, in
 * which case the document was made anew from its text (its line table is right again).
 */
export function updateDocument(doc: TextDocument, changes: readonly TextDocumentContentChangeEvent[], version: number): { doc: TextDocument; rebuilt: boolean } {
  let current = doc;
  let rebuilt = false;
  for (const change of changes) {
    if (!('range' in change) || !change.range) {
      current = TextDocument.update(current, [change], version);
      continue;
    }
    const start = current.offsetAt(change.range.start);
    current = TextDocument.update(current, [change], version);
    const text = current.getText();
    // The change's text now lies at [start, start + length): a CR/LF pair across either edge is new.
    if (crLfAt(text, start) || crLfAt(text, start + change.text.length)) {
      current = TextDocument.create(current.uri, current.languageId, version, text);
      rebuilt = true;
    }
  }
  return { doc: current, rebuilt };
}
