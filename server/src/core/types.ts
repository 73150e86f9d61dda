// Plain data shared by every part of the core. Nothing here knows about LSP or VS Code;
// the server translates these shapes (which happen to mirror LSP's) into protocol types.

/** Zero-based line and UTF-16 code-unit column, as in LSP and JavaScript strings. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A place in another file (or the same one) that explains a finding. */
export interface RelatedLocation {
  uri: string;
  range: Range;
  message: string;
}

/** A text edit in some document; `uri` omitted means the document the finding is in. */
export interface TextEdit {
  uri?: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one fix an editor may apply without asking (LSP `isPreferred`). */
  preferred?: boolean;
}

/** What every check returns: a problem in the user's file, never an exception. */
export interface Finding {
  range: Range;
  severity: Severity;
  /** Stable identifier such as `postfix/missing-equals`, documented in docs/checks.md. */
  code: string;
  message: string;
  related?: RelatedLocation[];
  fixes?: Fix[];
}

/** Symbol kinds we use, named after LSP's SymbolKind members. */
export type SymbolKindName =
  | 'File' | 'Module' | 'Namespace' | 'Class' | 'Property' | 'Field' | 'Variable'
  | 'Constant' | 'String' | 'Key' | 'Function' | 'Event' | 'Object' | 'EnumMember';

/** One entry of the outline. */
export interface SymbolNode {
  name: string;
  detail?: string;
  kind: SymbolKindName;
  /** The whole construct (for example a parameter with all its continuation lines). */
  range: Range;
  /** The part to highlight when the symbol is picked (for example the parameter name). */
  selectionRange: Range;
  children?: SymbolNode[];
}

export type FoldingKind = 'comment' | 'region';

/** Zero-based, inclusive line span that an editor may fold. */
export interface FoldingSpan {
  startLine: number;
  endLine: number;
  kind?: FoldingKind;
}

export function range(startLine: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}
