// Editor features of opendkim.conf: hover on every option (our description, kind, default,
// a link to opendkim.conf(5)) and on dataset and Socket values; completion of option names
// and of values by kind; go to definition from KeyTable, SigningTable, InternalHosts … (and
// Include, KeyFile) to the files they name.

import type { Position, Range } from '../../types';
import type { SigningTableTree } from '../../opendkim/tree';
import type { CompletionItem, FeatureContext, Hover, Location } from '../types';
import type { ConfOption, ConfTree, Token } from '../../opendkim/tree';
import { allOptions, optionInfo, SIGNING_ALGORITHMS, type OptionInfo } from '../../opendkim/catalogue';
import {
  configRootOf, confTree, documentAt, effectiveConf, KIND_OF_OPTION, resolveServerPath,
} from '../../opendkim/checks/links';
import { opendkimEnvironment } from '../../opendkim/checks/environment';
import { opendkimSocketInEffect } from '../../opendkim/checks/socketInEffect';
import { uriDirname } from '../../stack/postfixInstance';
import { code, containsPosition, datasetMarkdown, kindText, optionMarkdown, socketMarkdown, touches } from './describe';

function optionOnLine(tree: ConfTree, line: number): ConfOption | undefined {
  return tree.options.find((o) => o.line === line);
}

// ---------------------------------------------------------------- hover

export function confHover(ctx: FeatureContext, position: Position): Hover | undefined {
  const tree = confTree(ctx.doc);
  const option = tree && optionOnLine(tree, position.line);
  if (!option) return undefined;
  const info = optionInfo(option.name.text);
  if (!info) return undefined;
  if (containsPosition(option.name.range, position)) return { markdown: optionMarkdown(info), range: option.name.range };
  if (!option.value || !containsPosition(option.value.range, position)) return undefined;
  const value = option.value;
  if (option.dataset) {
    const lines = [`**${info.name}**: ${datasetMarkdown(option.dataset)}`];
    const target = fileTarget(ctx, option);
    if (target) lines.push(target.doc ? `Opens ${code(target.path)} (in the workspace).` : `Opens ${code(target.path)}.`);
    return { markdown: lines.join('\n\n'), range: value.range };
  }
  if (info.kind === 'socket') {
    const lines = [`**Socket**: ${socketMarkdown(option.socket, value.text)}.`];
    const inEffect = opendkimSocketInEffect(ctx.workspace, ctx.doc);
    if (inEffect.source === 'opendkim.conf' && inEffect.range && inEffect.uri === ctx.doc.uri && inEffect.range.start.line === option.line) {
      lines.push('This is the socket OpenDKIM listens on: ' + inEffect.reason);
    } else if (inEffect.text !== undefined) {
      lines.push(`Not in effect: OpenDKIM listens on ${code(inEffect.text)}. ${inEffect.reason}`);
    }
    return { markdown: lines.join('\n\n'), range: value.range };
  }
  return { markdown: optionMarkdown(info), range: value.range };
}

// ---------------------------------------------------------------- definition

interface FileTarget {
  path: string;
  uri: string;
  doc?: ReturnType<typeof documentAt>;
  token: Token;
}

/** The file an option line names (for datasets, the part after `type:`). */
function fileTarget(ctx: FeatureContext, option: ConfOption): FileTarget | undefined {
  const info = optionInfo(option.name.text);
  if (!info) return undefined;
  let token: Token | undefined;
  if (option.dataset) token = option.dataset.path;
  else if (info.kind === 'path' || info.kind === 'include') token = option.value;
  if (!token) return undefined;
  const root = configRootOf(ctx.workspace, ctx.doc);
  const baseDir = effectiveConf(ctx.workspace, ctx.doc).get('basedirectory')?.option.value?.text;
  const base = baseDir ? resolveServerPath(root, baseDir, uriDirname(ctx.doc.uri))?.uri ?? uriDirname(ctx.doc.uri) : uriDirname(ctx.doc.uri);
  const resolved = resolveServerPath(root, token.text, base);
  if (!resolved) return undefined;
  return { path: token.text, uri: resolved.uri, doc: documentAt(ctx.workspace, resolved.uri), token };
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function confDefinition(ctx: FeatureContext, position: Position): Location[] {
  const tree = confTree(ctx.doc);
  const option = tree && optionOnLine(tree, position.line);
  if (!option?.value || !containsPosition(option.value.range, position)) return [];
  const target = fileTarget(ctx, option);
  if (!target) return [];
  if (target.doc) return [{ uri: target.doc.uri, range: START }];
  if (option.name.text.toLowerCase() === 'keyfile') {
    const info = opendkimEnvironment(ctx.workspace).keyFileInfo?.({ path: target.path, uri: target.uri });
    if (info?.exists) return [{ uri: target.uri, range: START }];
  }
  return [];
}

// ---------------------------------------------------------------- completion

const DATASET_PREFIXES: ReadonlyArray<[string, string]> = [
  ['refile:', 'a file of wildcard patterns (`*@example.com`)'],
  ['file:', 'a file looked up literally'],
  ['csl:', 'an inline comma-separated list'],
  ['db:', 'a Berkeley DB file'],
  ['dsn:', 'an SQL database'],
  ['ldap:', 'an LDAP directory'],
  ['lua:', 'a Lua script'],
];

const SOCKET_EXAMPLES: ReadonlyArray<[string, string]> = [
  ['inet:8891@localhost', 'TCP port 8891 on the loopback interface (Postfix: inet:localhost:8891)'],
  ['local:/run/opendkim/opendkim.sock', 'UNIX socket, Debian\'s default'],
  ['local:/var/spool/postfix/opendkim/opendkim.sock', 'UNIX socket inside Postfix\'s chroot (Postfix: unix:/opendkim/opendkim.sock)'],
  ['inet6:8891@[::1]', 'TCP port 8891 on IPv6 loopback'],
];


export function confCompletion(ctx: FeatureContext, position: Position): CompletionItem[] {
  const tree = confTree(ctx.doc);
  if (!tree) return [];
  const line = ctx.doc.analysis.text.split(/\r\n|\r|\n/)[position.line];
  // A position off the text (no such line, a column past its end) gets nothing, not items that edit there.
  if (line === undefined || !(position.character >= 0 && position.character <= line.length)) return [];
  const before = line.slice(0, position.character);
  if (before.includes('#')) return [];
  const option = optionOnLine(tree, position.line);
  const typingName = !/^[ \t]*\S+[ \t]/.test(before);
  if (typingName) {
    const start = before.length - before.trimStart().length;
    const range: Range = option && touches(option.name.range, position)
      ? option.name.range
      : { start: { line: position.line, character: start }, end: position };
    return nameItems(tree, range);
  }
  if (!option) return [];
  const info = optionInfo(option.name.text);
  if (!info) return [];
  const valueStart = option.value?.range.start.character ?? position.character;
  const range: Range = { start: { line: position.line, character: Math.min(valueStart, position.character) }, end: position };
  return valueItems(ctx, info, range);
}

function nameItems(tree: ConfTree, range: Range): CompletionItem[] {
  const used = new Set(tree.options.map((o) => o.name.text.toLowerCase()));
  return allOptions().filter((o) => o.compiledIn).map((o) => ({
    label: o.name,
    kind: 'Property' as const,
    detail: kindText(o).replace(/`/g, ''),
    documentation: optionMarkdown(o),
    edit: { range, newText: `${o.name} ` },
    // Options with a description (the common ones) first; ones already set last.
    sortText: `${used.has(o.name.toLowerCase()) ? 'z' : o.description ? 'a' : 'm'}${o.name.toLowerCase()}`,
  }));
}

function valueItems(ctx: FeatureContext, info: OptionInfo, range: Range): CompletionItem[] {
  const item = (label: string, detail?: string, extra: Partial<CompletionItem> = {}): CompletionItem => ({
    label, kind: 'Value', detail, edit: { range, newText: label }, ...extra,
  });
  switch (info.kind) {
    case 'boolean': return [item('yes'), item('no')];
    case 'mode': return [item('sv', 'sign and verify'), item('s', 'sign only'), item('v', 'verify only')];
    case 'canonicalization':
      return ['relaxed/simple', 'relaxed/relaxed', 'simple/simple', 'simple/relaxed'].map((v, i) => item(v, i === 0 ? 'the usual choice' : undefined, { sortText: String(i) }));
    case 'signatureAlgorithm':
      return SIGNING_ALGORITHMS.map((v) => item(v, v === 'rsa-sha1' ? 'obsolete (RFC 8301)' : v === 'rsa-sha256' ? 'the standard' : undefined, { deprecated: v === 'rsa-sha1' }));
    case 'handling':
    case 'keyAction':
    case 'syslogFacility':
    case 'atpsHash':
      return (info.values ?? []).filter((v) => info.kind !== 'handling' || v.length > 1).map((v) => item(v, v === info.default ? 'default' : undefined));
    case 'socket': return SOCKET_EXAMPLES.map(([v, d]) => item(v, d));
    case 'dataset': {
      const items = DATASET_PREFIXES.map(([p, d]) => item(p, d, { kind: 'Keyword' }));
      const kind = KIND_OF_OPTION[info.name.toLowerCase()];
      if (kind) {
        const root = configRootOf(ctx.workspace, ctx.doc);
        for (const doc of ctx.workspace.ofKind(kind)) {
          if (!doc.uri.startsWith(root + '/')) continue;
          const serverPath = '/etc' + decodeURIComponent(doc.uri.slice(root.length));
          // A SigningTable with wildcard patterns only works when loaded with refile:.
          const globs = kind === 'opendkim-signingtable' && (doc.analysis.parse.tree as SigningTableTree).entries.some((e) => e.patternKind === 'glob');
          const prefix = globs ? 'refile:' : '';
          items.push(item(prefix + serverPath, 'a table in this workspace', { kind: 'File' }));
        }
      }
      return items;
    }
    default: return [];
  }
}
