// Plain results of the editor features (hover, completion, navigation, rename). Like
// core/types.ts they mirror LSP's shapes without depending on it.

import type { Position, Range, TextEdit } from '../types';
import type { AnalysisContext } from '../context';

export type FeatureContext = AnalysisContext;

export interface Hover {
  /** Markdown. Never contains private key material. */
  markdown: string;
  range?: Range;
}

export type CompletionKind =
  | 'Property' | 'Variable' | 'Value' | 'Keyword' | 'Function' | 'Module' | 'EnumMember' | 'File' | 'Snippet' | 'Reference';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /**
   * Set instead of `documentation` when the text is made only for the item the user looks
   * at (completionItem/resolve → completionDocumentation): the list of main.cf names holds
   * thousands of entries, and their texts made a 1.9 MB answer per keystroke.
   */
  resolve?: CompletionResolve;
  /** Replaces `range` (the word being typed) with `newText`; snippets use `$1` placeholders. */
  edit: { range: Range; newText: string; snippet?: boolean };
  sortText?: string;
  filterText?: string;
  deprecated?: boolean;
}

/** What completionDocumentation needs to write an item's documentation later. */
export interface CompletionResolve {
  /**
   * The item's label: a parameter name, built into Postfix (documented for the configured
   * version), per service, or the configuration's own.
   */
  parameter: string;
  /** For a per-service name (`<service>_<suffix>`): the master.cf service it belongs to. */
  service?: { name: string; command: string };
  /** A name of the configuration's own (not Postfix's): set in it, or a restriction class. */
  own?: 'setting' | 'restriction-class';
}

export interface Location {
  uri: string;
  range: Range;
}

/** Edits to several documents (a rename); each TextEdit names its uri. */
export interface WorkspaceEdit {
  edits: Array<TextEdit & { uri: string }>;
}

export type SemanticTokenType = 'property' | 'variable' | 'parameter' | 'enumMember' | 'keyword' | 'function' | 'type' | 'string' | 'number' | 'macro';
export type SemanticTokenModifier = 'declaration' | 'deprecated' | 'readonly' | 'defaultLibrary' | 'modification';

export interface SemanticToken {
  range: Range; // single-line
  type: SemanticTokenType;
  modifiers: SemanticTokenModifier[];
}

/** What a language offers beyond parsing; every member is optional. */
export interface FeatureProvider {
  hover?(ctx: FeatureContext, position: Position): Hover | undefined;
  completion?(ctx: FeatureContext, position: Position): CompletionItem[];
  definition?(ctx: FeatureContext, position: Position): Location[];
  references?(ctx: FeatureContext, position: Position, includeDeclaration: boolean): Location[];
  /** The range of the symbol that would be renamed, or undefined when nothing there can be. */
  prepareRename?(ctx: FeatureContext, position: Position): { range: Range; placeholder: string } | undefined;
  rename?(ctx: FeatureContext, position: Position, newName: string): WorkspaceEdit | { error: string } | undefined;
  /**
   * Semantic tokens of the document; with `range`, a provider may skip what lies outside it
   * (semanticTokensOf drops the tokens of other lines anyway).
   */
  semanticTokens?(ctx: FeatureContext, range?: Range): SemanticToken[];
}
