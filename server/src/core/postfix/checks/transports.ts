// postfix/transport-undefined: a delivery transport named in main.cf (or a master.cf -o)
// that master.cf does not define. The queue manager hands mail for it to the master.cf
// service of that name; without one, the mail stays in the queue ("mail transport
// unavailable") until it bounces.
//
// Transports come from `*_transport`, `content_filter`, `default_transport`, … (the part
// before the first `:` of `transport:nexthop`, so `smtp:[mx.example.com]:587` names smtp)
// and from the results of `inline:{…}` and `static:…` tables in `*transport_maps`.
// The default master.cf defines smtp, relay, lmtp, local, virtual, error, discard and retry.

import type { AnalysisContext } from '../../context';
import type { Finding, Range } from '../../types';
import { getParameter } from '../catalogue';
import { makeFinding, quote } from '../findings';
import type { Token, ValueWord } from '../tree';
import { isMainCfDocument, postfixModel, type PostfixModel } from '../instance';
import { hasTemplateExpression } from '../template';
import { assumedMasterNote } from './wording';
import { mainSettings, overrideSettings, where, type Setting } from './settings';
import { orList, replacementFixes, suggest } from './edits';

export function checkMainCfTransports(ctx: AnalysisContext): Finding[] {
  if (!isMainCfDocument(ctx.doc)) return [];
  const model = postfixModel(ctx);
  return mainSettings(model).flatMap((s) => checkSetting(model, s));
}

export function checkMasterCfTransports(ctx: AnalysisContext): Finding[] {
  const model = postfixModel(ctx);
  return overrideSettings(model).flatMap((s) => checkSetting(model, s));
}

interface TransportRef {
  name: string;
  range: Range;
}

function checkSetting(model: PostfixModel, s: Setting): Finding[] {
  if (hasTemplateExpression(s.value.text)) return [];
  const info = getParameter(s.name.text);
  const refs: TransportRef[] = [];
  if (info?.kind === 'transport') {
    const ref = transportOfValue(model, s);
    if (ref) refs.push(ref);
  } else if (/transport_maps$/.test(s.name.text) && info) {
    for (const w of s.value.words) refs.push(...transportsOfTable(w));
  }
  return refs.filter((r) => !model.hasUnixService(r.name)).map((r) => undefinedTransport(model, s, r));
}

/** The transport of a `transport:nexthop` value, with the exact range of its name. */
function transportOfValue(model: PostfixModel, s: Setting): TransportRef | undefined {
  const first = s.value.words[0];
  if (!first || s.value.words.length > 1 && !first.text.includes(':')) return undefined;
  return transportOf(first, first.text, () => model.expandExact(s.value.text, s.service));
}

function transportOf(tok: Token, text: string, expand?: () => string | undefined): TransportRef | undefined {
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  if (name.includes('$')) {
    // `$default_transport` and the like: the transport is known only after expansion.
    const expanded = expand?.();
    if (expanded === undefined) return undefined;
    const e = expanded.trim();
    const c = e.indexOf(':');
    const n = c < 0 ? e : e.slice(0, c);
    return n && !n.includes('[') ? { name: n, range: tok.range } : undefined;
  }
  if (!name || name.startsWith('[') || !/^[A-Za-z0-9._-]+$/.test(name)) return undefined;
  return { name, range: prefixRange(tok.range, name.length) };
}

/** Results of `inline:{ key=transport:nexthop … }` and `static:transport:nexthop` in a transport map. */
function transportsOfTable(w: ValueWord): TransportRef[] {
  const t = w.table?.type === 'proxy' ? w.table.inner : w.table;
  if (!t) return [];
  if (t.type === 'static') {
    const ref = transportOf({ text: t.name, range: t.nameRange }, unbraced(t.name));
    return ref && !t.name.startsWith('{') ? [ref] : [];
  }
  if (t.type !== 'inline') return [];
  const out: TransportRef[] = [];
  for (const m of t.members ?? []) {
    const tok = m.braced && m.inner ? m.inner : m;
    const eq = tok.text.indexOf('=');
    if (eq < 0) continue;
    let start = eq + 1;
    while (start < tok.text.length && /\s/.test(tok.text[start])) start++;
    const result = tok.text.slice(start);
    const ref = transportOf({ text: result, range: shiftRange(tok.range, start) }, result);
    if (ref) out.push(ref);
  }
  return out;
}

function prefixRange(r: Range, length: number): Range {
  return { start: r.start, end: r.start.line === r.end.line ? { line: r.start.line, character: r.start.character + length } : r.end };
}

function shiftRange(r: Range, by: number): Range {
  if (r.start.line !== r.end.line) return r;
  return { start: { line: r.start.line, character: r.start.character + by }, end: r.end };
}

function undefinedTransport(model: PostfixModel, s: Setting, r: TransportRef): Finding {
  const unixServices = model.services.filter((x) => x.type === 'unix').map((x) => x.name);
  const suggestions = suggest(r.name, unixServices);
  const inetOnly = model.services.some((x) => x.name === r.name);
  return makeFinding('postfix/transport-undefined', model.masterAssumed ? 'warning' : 'error', r.range,
    `\`${s.name.text}\` in ${where(s)} sends mail to the transport ${quote(r.name, 40)}, but master.cf defines no unix ` +
    `service of that name${inetOnly ? ` (only a service of another type)` : ''}. Postfix keeps such mail in the queue ` +
    '("mail transport unavailable") until it bounces. Define the service in master.cf, or fix the name' +
    (suggestions.length ? ` (did you mean ${orList(suggestions.map((x) => x.name))}?)` : '') + '.' + assumedMasterNote(model),
    replacementFixes(r.range, suggestions, (n) => `Change to \`${n}\``));
}

/** `{ name }` without its braces and the blanks inside them (loops, not /\s*\}$/, which is quadratic). */
function unbraced(name: string): string {
  let s = name;
  if (s.startsWith('{')) s = s.slice(1).trimStart();
  if (s.endsWith('}')) s = s.slice(0, -1).trimEnd();
  return s;
}
