// Core semantic tokens → LSP's relative integer encoding, with one fixed legend.

import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver/node';
import type { SemanticToken, SemanticTokenModifier, SemanticTokenType } from '../core/features/types';

const TYPES: SemanticTokenType[] = ['property', 'variable', 'parameter', 'enumMember', 'keyword', 'function', 'type', 'string', 'number', 'macro'];
const MODIFIERS: SemanticTokenModifier[] = ['declaration', 'deprecated', 'readonly', 'defaultLibrary', 'modification'];

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: TYPES, tokenModifiers: MODIFIERS };

export function encodeSemanticTokens(tokens: SemanticToken[]): SemanticTokens {
  const sorted = tokens
    .filter((t) => t.range.start.line === t.range.end.line && t.range.end.character > t.range.start.character)
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const builder = new SemanticTokensBuilder();
  let lastLine = -1;
  let lastEnd = 0;
  for (const t of sorted) {
    const { line, character } = t.range.start;
    if (line === lastLine && character < lastEnd) continue; // overlapping tokens are not allowed
    let mods = 0;
    for (const m of t.modifiers) mods |= 1 << MODIFIERS.indexOf(m);
    builder.push(line, character, t.range.end.character - character, TYPES.indexOf(t.type), mods);
    lastLine = line;
    lastEnd = t.range.end.character;
  }
  return builder.build();
}
