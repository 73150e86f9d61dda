// Applies text edits to a text the way an editor applies a WorkspaceEdit: every range refers
// to the text before any edit, edits do not overlap, and two insertions at one place keep
// their order. Used where no editor does it for us (the CLI writing a plan to disk).

import type { TextEdit } from '../types';
import { LineIndex } from './lines';

/** The text with the edits applied; throws on overlapping edits (a caller's mistake). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const index = new LineIndex(text);
  const spans = edits.map((e, order) => ({ s: index.offsetAt(e.range.start), t: index.offsetAt(e.range.end), text: e.newText, order }));
  spans.sort((a, b) => a.s - b.s || a.t - b.t || a.order - b.order);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].s < spans[i - 1].t) throw new Error('overlapping text edits');
  }
  let out = '';
  let at = 0;
  for (const sp of spans) {
    out += text.slice(at, sp.s) + sp.text;
    at = sp.t;
  }
  return out + text.slice(at);
}
