// Outline and folding for the OpenDKIM trees: one symbol per option, assignment, key,
// pattern or host entry; runs of comment lines fold.

import type { FoldingSpan, SymbolNode } from '../types';
import type { Comment, HostEntryKind, OpendkimTree } from './tree';

/** Long values (a 10 MB junk line) are cut in the outline's detail. */
const MAX_DETAIL = 200;

const HOST_KIND_LABEL: Record<HostEntryKind, string> = {
  hostname: 'host',
  domain: 'domain and its subdomains',
  wildcard: 'wildcard (refile: only)',
  ipv4: 'IPv4',
  ipv6: 'IPv6',
  template: 'template placeholder',
  invalid: 'invalid entry',
};

export function opendkimSymbols(tree: OpendkimTree): SymbolNode[] {
  switch (tree.kind) {
    case 'opendkim-conf':
      return tree.options.map((o) => ({
        name: o.name.text,
        detail: short(o.value?.text ?? ''),
        kind: 'Property',
        range: o.range,
        selectionRange: o.name.range,
      }));
    case 'opendkim-default':
      return tree.assignments.map((a) => ({
        name: a.name.text,
        detail: short(a.value.text),
        kind: 'Variable',
        range: a.range,
        selectionRange: a.name.range,
      }));
    case 'opendkim-keytable':
      return tree.entries.map((e) => ({
        name: e.name.text,
        detail: e.domain && e.selector ? short(`${e.selector.text}._domainkey.${e.domain.text}`) : '',
        kind: 'Key',
        range: e.range,
        selectionRange: e.name.range,
      }));
    case 'opendkim-signingtable':
      return tree.entries.map((e) => ({
        name: e.pattern.text,
        detail: short(e.keyName?.text ?? ''),
        kind: 'Key',
        range: e.range,
        selectionRange: e.pattern.range,
      }));
    case 'opendkim-hostlist':
      return tree.entries.map((e) => {
        const net = e.prefixBits !== undefined ? ' network' : '';
        return {
          name: e.text,
          detail: `${e.negated ? 'not: ' : ''}${HOST_KIND_LABEL[e.kind]}${net}`,
          kind: 'Constant',
          range: e.range,
          selectionRange: e.range,
        };
      });
  }
}

/** Folds every run of two or more consecutive comment lines. */
export function opendkimFolding(tree: OpendkimTree): FoldingSpan[] {
  return foldCommentRuns(tree.comments);
}

export function foldCommentRuns(comments: readonly Comment[]): FoldingSpan[] {
  const spans: FoldingSpan[] = [];
  let start = -1;
  let last = -2;
  for (const c of comments) {
    if (!c.wholeLine) continue;
    const line = c.range.start.line;
    if (line === last + 1) {
      last = line;
      continue;
    }
    if (start >= 0 && last > start) spans.push({ startLine: start, endLine: last, kind: 'comment' });
    start = line;
    last = line;
  }
  if (start >= 0 && last > start) spans.push({ startLine: start, endLine: last, kind: 'comment' });
  return spans;
}

function short(s: string): string {
  return s.length > MAX_DETAIL ? `${s.slice(0, MAX_DETAIL)}…` : s;
}
