// The editor features, dispatched by document kind: each area's FeatureProvider is listed
// below. The server and the tests call these functions only.

import type { DocumentKind } from '../kinds';
import type { Position, Range } from '../types';
import type { CompletionItem, FeatureContext, FeatureProvider, Hover, Location, SemanticToken, WorkspaceEdit } from './types';
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
