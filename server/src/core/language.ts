// The contract every file kind implements. A module parses text into a tree with exact
// ranges (never throwing: syntax errors are findings) and derives the outline and folds.
// Later layers (semantic checks, hover, completion) work on the same trees.

import type { Finding, FoldingSpan, SymbolNode } from './types';
import type { DocumentKind } from './kinds';

export interface ParseResult<Tree> {
  tree: Tree;
  /** Syntax findings only; semantic checks come from other layers. */
  findings: Finding[];
}

/** Lines of the NEW text that differ from the old text (inclusive, zero-based). */
export interface ChangedLines {
  startLine: number;
  endLine: number;
}

export interface LanguageModule<Tree = unknown> {
  readonly kinds: readonly DocumentKind[];
  parse(text: string, kind: DocumentKind): ParseResult<Tree>;
  /**
   * Optional: the result for `text`, equal to `parse(text)`, re-using what it can of
   * `previous` (which it may consume). Only kinds whose files grow huge (zones) have it.
   */
  reparse?(previous: ParseResult<Tree>, text: string, changed: ChangedLines): ParseResult<Tree>;
  symbols(tree: Tree): SymbolNode[];
  folding(tree: Tree): FoldingSpan[];
}
