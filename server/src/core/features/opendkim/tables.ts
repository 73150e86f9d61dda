// Editor features of KeyTable, SigningTable and host lists. A KeyTable line's hover names
// the DNS record its public key belongs at and, through KeyFileInfo, the key's type and
// size (never the key). SigningTable key names lead to their KeyTable entry (definition,
// hover, completion); KeyTable names list the SigningTable lines using them (references).

import type { Position, Range } from '../../types';
import type { CompletionItem, FeatureContext, Hover, Location } from '../types';
import type { Workspace, WorkspaceDocument } from '../../stack/workspace';
import type { HostListTree, KeyTableEntry, KeyTableTree, SigningTableEntry, SigningTableTree } from '../../opendkim/tree';
import { configRootOf, confsUsing, keyTableTree, opendkimTables, resolveServerPath, signingTableTree } from '../../opendkim/checks/links';
import { opendkimEnvironment } from '../../opendkim/checks/environment';
import { keyFileProblemBrief } from '../../opendkim/checks/keyFiles';
import { uriDirname } from '../../stack/postfixInstance';
import { code, containsPosition, touches } from './describe';
import { isWhitespace, trailingRun } from '../../text/trim';

/** The KeyTable documents the opendkim.conf files loading this SigningTable use. */
function keyTablesFor(workspace: Workspace, signingDoc: WorkspaceDocument): WorkspaceDocument[] {
  const out = new Map<string, WorkspaceDocument>();
  for (const { conf, link } of confsUsing(workspace, signingDoc)) {
    if (link.placed.key !== 'signingtable') continue;
    const kt = opendkimTables(workspace, conf).keyTable?.doc;
    if (kt && keyTableTree(kt)) out.set(kt.uri, kt);
  }
  return [...out.values()];
}

/** The SigningTable documents of the opendkim.conf files loading this KeyTable. */
function signingTablesFor(workspace: Workspace, keyDoc: WorkspaceDocument): WorkspaceDocument[] {
  const out = new Map<string, WorkspaceDocument>();
  for (const { conf, link } of confsUsing(workspace, keyDoc)) {
    if (link.placed.key !== 'keytable') continue;
    const st = opendkimTables(workspace, conf).signingTable?.doc;
    if (st && signingTableTree(st)) out.set(st.uri, st);
  }
  return [...out.values()];
}

// ---------------------------------------------------------------- KeyTable

function keyEntryAt(tree: KeyTableTree, position: Position): KeyTableEntry | undefined {
  return tree.entries.find((e) => e.line === position.line && containsPosition(e.range, position));
}

/** What a hover says about a KeyTable entry. */
export function keyEntryMarkdown(workspace: Workspace, keyDoc: WorkspaceDocument, e: KeyTableEntry): string {
  const lines = [`**${e.name.text}**`];
  if (e.domain && e.selector) {
    const domain = e.domain.text === '%' ? '<sender domain>' : e.domain.text;
    lines.push(`Signs with ${code(`d=${domain}`)}, ${code(`s=${e.selector.text}`)}: the public key must be published as a TXT record at ${code(`${e.selector.text}._domainkey.${domain}`)}.`);
  }
  if (e.key && e.keyKind === 'path') {
    let keyLine = `Private key file: ${code(e.key.text)}`;
    const users = confsUsing(workspace, keyDoc).filter((u) => u.link.placed.key === 'keytable');
    const root = users[0] ? configRootOf(workspace, users[0].conf) : uriDirname(keyDoc.uri);
    const resolved = resolveServerPath(root, e.key.text, uriDirname(keyDoc.uri));
    const info = opendkimEnvironment(workspace).keyFileInfo?.(resolved && !resolved.relative ? { path: e.key.text, uri: resolved.uri } : { path: e.key.text });
    if (info) {
      if (!info.exists) keyLine += ' — does not exist';
      else if (info.isPrivateKey === false) keyLine += ` — ${keyFileProblemBrief(info)}`;
      else if (info.algorithm) keyLine += ` — ${info.algorithm === 'rsa' ? 'RSA' : info.algorithm === 'ed25519' ? 'Ed25519' : info.algorithm}${info.bits ? `, ${info.bits} bits` : ''}`;
      if (info.mode !== undefined) keyLine += `, mode ${(info.mode & 0o777).toString(8).padStart(3, '0')}`;
    }
    lines.push(keyLine);
  } else if (e.key) {
    lines.push('The private key is written inline (not shown).');
  }
  const users = signingTablesFor(workspace, keyDoc).flatMap((st) => (signingTableTree(st)?.entries ?? []).filter((s) => s.keyName?.text === e.name.text));
  if (users.length > 0) lines.push(`Used by SigningTable ${users.length === 1 ? 'line' : 'lines'} ${users.slice(0, 5).map((s) => code(s.pattern.text)).join(', ')}${users.length > 5 ? ' …' : ''}.`);
  return lines.join('\n\n');
}

export function keyTableHover(ctx: FeatureContext, position: Position): Hover | undefined {
  const tree = keyTableTree(ctx.doc);
  const e = tree && keyEntryAt(tree, position);
  if (!e) return undefined;
  return { markdown: keyEntryMarkdown(ctx.workspace, ctx.doc, e), range: e.range };
}

export function keyTableDefinition(ctx: FeatureContext, position: Position): Location[] {
  const tree = keyTableTree(ctx.doc);
  const e = tree && keyEntryAt(tree, position);
  if (!e?.key || e.keyKind !== 'path' || !containsPosition(e.key.range, position)) return [];
  const users = confsUsing(ctx.workspace, ctx.doc).filter((u) => u.link.placed.key === 'keytable');
  const root = users[0] ? configRootOf(ctx.workspace, users[0].conf) : uriDirname(ctx.doc.uri);
  const resolved = resolveServerPath(root, e.key.text, uriDirname(ctx.doc.uri));
  if (!resolved) return [];
  const info = opendkimEnvironment(ctx.workspace).keyFileInfo?.({ path: e.key.text, uri: resolved.uri });
  return info?.exists ? [{ uri: resolved.uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] : [];
}

export function keyTableReferences(ctx: FeatureContext, position: Position, includeDeclaration: boolean): Location[] {
  const tree = keyTableTree(ctx.doc);
  const e = tree && keyEntryAt(tree, position);
  if (!e || !containsPosition(e.name.range, position)) return [];
  const out: Location[] = includeDeclaration ? [{ uri: ctx.doc.uri, range: e.name.range }] : [];
  for (const st of signingTablesFor(ctx.workspace, ctx.doc)) {
    for (const s of signingTableTree(st)?.entries ?? []) {
      if (s.keyName?.text === e.name.text) out.push({ uri: st.uri, range: s.keyName.range });
    }
  }
  return out;
}

// ---------------------------------------------------------------- SigningTable

function signingEntryAt(tree: SigningTableTree, position: Position): SigningTableEntry | undefined {
  return tree.entries.find((e) => e.line === position.line);
}

function keyEntriesNamed(workspace: Workspace, signingDoc: WorkspaceDocument, name: string): Array<{ doc: WorkspaceDocument; entry: KeyTableEntry }> {
  return keyTablesFor(workspace, signingDoc).flatMap((doc) => (keyTableTree(doc)?.entries ?? [])
    .filter((k) => k.name.text === name).map((entry) => ({ doc, entry })));
}

export function signingTableDefinition(ctx: FeatureContext, position: Position): Location[] {
  const tree = signingTableTree(ctx.doc);
  const e = tree && signingEntryAt(tree, position);
  if (!e?.keyName || !containsPosition(e.keyName.range, position)) return [];
  return keyEntriesNamed(ctx.workspace, ctx.doc, e.keyName.text).map(({ doc, entry }) => ({ uri: doc.uri, range: entry.name.range }));
}

export function signingTableHover(ctx: FeatureContext, position: Position): Hover | undefined {
  const tree = signingTableTree(ctx.doc);
  const e = tree && signingEntryAt(tree, position);
  if (!e) return undefined;
  if (e.keyName && containsPosition(e.keyName.range, position)) {
    const found = keyEntriesNamed(ctx.workspace, ctx.doc, e.keyName.text);
    if (found.length === 0) return undefined;
    return { markdown: keyEntryMarkdown(ctx.workspace, found[0].doc, found[0].entry), range: e.keyName.range };
  }
  if (!containsPosition(e.pattern.range, position)) return undefined;
  const refile = confsUsing(ctx.workspace, ctx.doc).find((u) => u.link.placed.key === 'signingtable')?.link.datasetType;
  return { markdown: patternMarkdown(e, refile), range: e.pattern.range };
}

function patternMarkdown(e: SigningTableEntry, type: string | undefined): string {
  const p = code(e.pattern.text);
  if (type === 'refile') {
    return e.pattern.text.includes('@') || e.pattern.text.includes('*')
      ? `${p}: a wildcard pattern (loaded with \`refile:\`), matched against the whole sender address; the first matching line wins.`
      : `${p}: loaded with \`refile:\`, this is matched against the whole address user@domain and, having no @ or *, never matches.`;
  }
  const how: Record<string, string> = {
    address: 'exactly this sender address',
    domain: 'every sender address of this domain',
    'address-subdomains': 'this user at every subdomain',
    subdomains: 'every subdomain of this domain',
    'user-any-domain': 'this user at any domain',
    any: 'every sender',
    glob: '— nothing: `*` is a wildcard only when the SigningTable is loaded with `refile:`',
    template: 'a placeholder, filled in by a template tool',
  };
  return `${p} matches ${how[e.patternKind] ?? 'senders'}${type ? '' : ' (when the table is a plain file)'}.`;
}

export function signingTableCompletion(ctx: FeatureContext, position: Position): CompletionItem[] {
  const tree = signingTableTree(ctx.doc);
  if (!tree) return [];
  const line = ctx.doc.analysis.text.split(/\r\n|\r|\n/)[position.line] ?? '';
  const before = line.slice(0, position.character);
  if (before.includes('#') || !/^\s*\S+\s+/.test(before)) return []; // only in the key-name column
  const typed = before.slice(before.length - trailingRun(before, (c) => !isWhitespace(c)));
  if (typed.includes(':')) return [];
  const range: Range = { start: { line: position.line, character: position.character - typed.length }, end: position };
  const e = signingEntryAt(tree, position);
  const r = e?.keyName && touches(e.keyName.range, position) ? e.keyName.range : range;
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const doc of keyTablesFor(ctx.workspace, ctx.doc)) {
    for (const k of keyTableTree(doc)?.entries ?? []) {
      if (seen.has(k.name.text)) continue;
      seen.add(k.name.text);
      items.push({
        label: k.name.text,
        kind: 'Reference',
        detail: k.domain && k.selector ? `${k.selector.text}._domainkey.${k.domain.text}` : undefined,
        documentation: keyEntryMarkdown(ctx.workspace, doc, k),
        edit: { range: r, newText: k.name.text },
      });
    }
  }
  return items;
}

// ---------------------------------------------------------------- host lists

export function hostListHover(ctx: FeatureContext, position: Position): Hover | undefined {
  const tree = ctx.doc.analysis.parse.tree as HostListTree;
  if (tree?.kind !== 'opendkim-hostlist') return undefined;
  const e = tree.entries.find((h) => h.line === position.line && containsPosition(h.range, position));
  if (!e) return undefined;
  const refile = confsUsing(ctx.workspace, ctx.doc).some((u) => u.link.datasetType === 'refile');
  const h = code(e.host.text);
  const text: Record<string, string> = {
    hostname: `the client whose host name (reverse DNS) is ${h}, and any host under it`,
    domain: `every client whose host name ends in ${h}`,
    wildcard: refile ? `client host names matching the pattern ${h}` : `nothing: ${h} is a pattern, and the list is not loaded with \`refile:\``,
    ipv4: e.prefixBits !== undefined ? `clients in the IPv4 network ${code(e.text.replace(/^!/, ''))}` : `the client at ${h}`,
    ipv6: e.prefixBits !== undefined ? `clients in the IPv6 network ${code(e.text.replace(/^!/, ''))}` : `the client at ${h}`,
    template: 'a placeholder, filled in by a template tool',
    invalid: 'nothing: OpenDKIM cannot read this entry',
  };
  const users = [...new Set(confsUsing(ctx.workspace, ctx.doc).map((u) => u.link.optionName))];
  const role = users.length > 0 ? ` (${users.join(', ')})` : '';
  return { markdown: `${e.negated ? 'Excludes' : 'Matches'} ${text[e.kind] ?? h}${role}.`, range: e.range };
}
