// The editor features, dispatched by document kind: each area's FeatureProvider is listed
// below. The server and the tests call these functions only.

import type { DocumentKind } from '../kinds';
import type { Position, Range } from '../types';
import type {
  CompletionItem, CompletionResolve, FeatureContext, FeatureProvider, Hover, Location, SemanticToken, WorkspaceEdit,
} from './types';
import type { Settings } from '../settings';
import { postfixNameDocumentation } from './postfix/completion';
import { mayMatchTyped } from './completionFilter';
import { LineIndex } from '../text/lines';
import { postfixMainFeatures, postfixMasterFeatures } from './postfix/index';
import {
  hostListFeatures, keyTableFeatures, opendkimConfFeatures, opendkimDefaultFeatures, signingTableFeatures,
} from './opendkim/index';
import { zoneFeatures } from './zone/index';

const PROVIDERS: Partial<Record<DocumentKind, readonly FeatureProvider[]>> = {
  'postfix-main': [postfixMainFeatures],
  'postfix-master': [postfixMasterFeatures],
  'opendkim-conf': [opendkimConfFeatures],
  'opendkim-default': [opendkimDefaultFeatures],
  'opendkim-keytable': [keyTableFeatures],
  'opendkim-signingtable': [signingTableFeatures],
  'opendkim-hostlist': [hostListFeatures],
  'dns-zone': [zoneFeatures],
};

function providers(ctx: FeatureContext): readonly FeatureProvider[] {
  return PROVIDERS[ctx.doc.kind] ?? [];
}

export function hoverAt(ctx: FeatureContext, position: Position): Hover | undefined {
  for (const p of providers(ctx)) {
    const h = p.hover?.(ctx, position);
    if (h) return h;
  }
  return undefined;
}

export function completionsAt(ctx: FeatureContext, position: Position): CompletionItem[] {
  return providers(ctx).flatMap((p) => p.completion?.(ctx, position) ?? []);
}

/**
 * Lists longer than this go to the editor cut down to what can match the typed word (and,
 * for a client that resolves it, without each item's detail: lsp/completionDetails.ts).
 */
export const NARROW_LISTS_ABOVE = 500;

/**
 * The completion list for an editor: completionsAt, and when that is long (main.cf's
 * parameter names), only the items whose text can still match what is typed before the
 * cursor in the editor's own fuzzy filter (completionFilter.ts). `isIncomplete` then tells
 * the editor to ask again as the word changes.
 */
export function completionListAt(ctx: FeatureContext, position: Position): { items: CompletionItem[]; isIncomplete: boolean } {
  const items = completionsAt(ctx, position);
  if (items.length <= NARROW_LISTS_ABOVE) return { items, isIncomplete: false };
  const text = ctx.doc.analysis.text;
  const lineStart = new LineIndex(text).lineStart(position.line);
  // What the editor filters an item by: the text from the start of its edit to the cursor.
  const typedFrom = new Map<number, string>();
  const typedBefore = (item: CompletionItem): string => {
    const start = item.edit.range.start;
    if (start.line !== position.line || start.character >= position.character) return '';
    let typed = typedFrom.get(start.character);
    if (typed === undefined) {
      typed = text.slice(lineStart + start.character, lineStart + position.character);
      const lineEnd = typed.search(/[\r\n]/);
      if (lineEnd >= 0) typed = typed.slice(0, lineEnd);
      typedFrom.set(start.character, typed);
    }
    return typed;
  };
  const kept = items.filter((item) => mayMatchTyped(item.filterText ?? item.label, typedBefore(item)));
  return { items: kept, isIncomplete: kept.length < items.length };
}

/**
 * The documentation (Markdown) of a completion item that came with `resolve` instead, for
 * completionItem/resolve. `resolve` comes back from the editor: anything malformed gives
 * undefined.
 */
export function completionDocumentation(settings: Settings, resolve: CompletionResolve): string | undefined {
  const { parameter, service, own } = (resolve ?? {}) as Partial<CompletionResolve>;
  if (typeof parameter !== 'string' || parameter.length > 200) return undefined;
  if (own === 'setting' || own === 'restriction-class') return postfixNameDocumentation(settings, { parameter, own });
  if (own !== undefined) return undefined;
  if (service === undefined) return postfixNameDocumentation(settings, { parameter });
  const { name, command } = (service ?? {}) as Partial<NonNullable<CompletionResolve['service']>>;
  if (typeof name !== 'string' || typeof command !== 'string' || name.length > 200 || command.length > 200) return undefined;
  return postfixNameDocumentation(settings, { parameter, service: { name, command } });
}

export function definitionAt(ctx: FeatureContext, position: Position): Location[] {
  return providers(ctx).flatMap((p) => p.definition?.(ctx, position) ?? []);
}

export function referencesAt(ctx: FeatureContext, position: Position, includeDeclaration: boolean): Location[] {
  return providers(ctx).flatMap((p) => p.references?.(ctx, position, includeDeclaration) ?? []);
}

export function prepareRenameAt(ctx: FeatureContext, position: Position): { range: Range; placeholder: string } | undefined {
  for (const p of providers(ctx)) {
    const r = p.prepareRename?.(ctx, position);
    if (r) return r;
  }
  return undefined;
}

export function renameAt(ctx: FeatureContext, position: Position, newName: string): WorkspaceEdit | { error: string } | undefined {
  for (const p of providers(ctx)) {
    const r = p.rename?.(ctx, position, newName);
    if (r) return r;
  }
  return undefined;
}

/**
 * The semantic tokens of a document, or with `range` those on the lines it covers (whole
 * lines: an editor asks for the visible ones; a range ending at column 0 ends before its
 * last line).
 */
export function semanticTokensOf(ctx: FeatureContext, range?: Range): SemanticToken[] {
  const tokens = providers(ctx).flatMap((p) => p.semanticTokens?.(ctx, range) ?? []);
  if (!range) return tokens;
  const first = range.start.line;
  const last = range.end.character === 0 && range.end.line > first ? range.end.line - 1 : range.end.line;
  return tokens.filter((t) => t.range.start.line >= first && t.range.start.line <= last);
}
