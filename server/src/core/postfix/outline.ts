// Outline and folding for main.cf and master.cf.
//
// main.cf parameters are grouped under section header comments when the file has them.
// A header is a comment line that reads like a title rather than prose:
//   - all capitals, as in Postfix's stock main.cf (`# SOFT BOUNCE`, `# TLS PARAMETERS`);
//   - or written with two or more `#` (`## DKIM configuration`, `### TLS ###`);
//   - or framed by rule characters (`# ---- Milters ----`, `# === Relay ===`).
// A header followed (after blank lines only) by another comment that is itself prose
// still counts; a comment directly attached to a parameter is documentation, not a
// section, unless it has one of the header forms above.

import type { FoldingSpan, Range, SymbolNode } from '../types';
import type { Comment, MainCfTree, MasterCfTree, Parameter, PostfixTree, Service } from './tree';
import { isWhitespace, trailingRun, trimEndWhile } from '../text/trim';

const isRuleChar = (c: string): boolean => '-=*#~_'.includes(c);

const DETAIL_MAX = 80;

/** Collapses blanks (continuation lines) and shortens a value for the outline's detail column. */
export function shortDetail(text: string): string {
  let out = '';
  let blank = false;
  for (let i = 0; i < text.length && out.length <= DETAIL_MAX; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12) {
      blank = true;
      continue;
    }
    if (blank && out.length > 0) out += ' ';
    blank = false;
    out += text[i];
  }
  return out.length > DETAIL_MAX ? `${out.slice(0, DETAIL_MAX - 1)}…` : out;
}

export function postfixSymbols(tree: PostfixTree): SymbolNode[] {
  return tree.kind === 'postfix-main' ? mainCfSymbols(tree) : masterCfSymbols(tree);
}

export function postfixFolding(tree: PostfixTree): FoldingSpan[] {
  const spans: FoldingSpan[] = [];
  const entries: Range[] = tree.kind === 'postfix-main' ? tree.parameters.map((p) => p.range) : tree.services.map((s) => s.range);
  for (const r of entries) if (r.end.line > r.start.line) spans.push({ startLine: r.start.line, endLine: r.end.line });
  commentRuns(tree.comments, spans);
  spans.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return spans;
}

/** Runs of two or more comment lines on consecutive lines fold as one comment block. */
function commentRuns(comments: Comment[], out: FoldingSpan[]): void {
  let i = 0;
  while (i < comments.length) {
    let j = i;
    while (j + 1 < comments.length && comments[j + 1].range.start.line === comments[j].range.start.line + 1) j++;
    if (j > i) out.push({ startLine: comments[i].range.start.line, endLine: comments[j].range.start.line, kind: 'comment' });
    i = j + 1;
  }
}

// ---------------------------------------------------------------------------- main.cf

function parameterSymbol(p: Parameter): SymbolNode {
  return { name: p.name.text, detail: shortDetail(p.value.text), kind: 'Property', range: p.range, selectionRange: p.name.range };
}

/** The title of a section header comment, or undefined when the comment is ordinary prose. */
export function sectionTitle(comment: string): string | undefined {
  let i = 0;
  while (i < comment.length && comment[i] === '#') i++;
  const hashes = i;
  let body = comment.slice(i).trim();
  // Strip rule characters around the title: `---- Title ----`, `=== Title ===`, `### Title ###`.
  const framed = /^[-=*#~_]{2,}/.test(body) || trailingRun(body, isRuleChar) >= 2;
  body = trimEndWhile(body.replace(/^[-=*#~_\s]+/, ''), (c) => isRuleChar(c) || isWhitespace(c));
  if (body.length < 2 || body.length > 60) return undefined;
  if (!/[A-Za-z]/.test(body)) return undefined;
  // A title is short and does not read like a sentence or a commented-out setting.
  if (/[=;]/.test(body) || /\.$/.test(body)) return undefined;
  const capitals = !/[a-z]/.test(body) && /[A-Z]{2}/.test(body);
  if (capitals || hashes >= 2 || framed) return body;
  return undefined;
}

function mainCfSymbols(tree: MainCfTree): SymbolNode[] {
  const headers = tree.comments
    .map((c) => ({ title: sectionTitle(c.text), range: c.range }))
    .filter((h): h is { title: string; range: Range } => h.title !== undefined);
  const top: SymbolNode[] = [];
  let h = 0;
  let section: SymbolNode | undefined;
  for (const p of tree.parameters) {
    // The last header that starts before this parameter opens its section.
    let opened = false;
    while (h < headers.length && headers[h].range.start.line < p.range.start.line) {
      h++;
      opened = true;
    }
    if (opened) {
      const hdr = headers[h - 1];
      if (!section || section.selectionRange.start.line !== hdr.range.start.line) {
        section = { name: hdr.title, kind: 'Namespace', range: { start: hdr.range.start, end: hdr.range.end }, selectionRange: hdr.range, children: [] };
        top.push(section);
      }
    }
    const sym = parameterSymbol(p);
    if (section) {
      section.children!.push(sym);
      section.range = { start: section.range.start, end: p.range.end };
    } else {
      top.push(sym);
    }
  }
  return top;
}

// ---------------------------------------------------------------------------- master.cf

function serviceSymbol(s: Service): SymbolNode {
  const name = s.type ? `${s.name.text}/${s.type.text}` : s.name.text;
  const detailParts = [s.command?.text ?? ''];
  if (s.argv.length > 0) detailParts.push(s.argv[0].text);
  return {
    name,
    detail: shortDetail(detailParts.filter(Boolean).join(' ')),
    kind: 'Class',
    range: s.range,
    selectionRange: s.name.range,
    children: s.options.map((o) => ({
      name: o.name.text,
      detail: shortDetail(o.value.text),
      kind: 'Property' as const,
      range: o.range,
      selectionRange: o.name.range,
    })),
  };
}

function masterCfSymbols(tree: MasterCfTree): SymbolNode[] {
  return tree.services.map(serviceSymbol);
}
