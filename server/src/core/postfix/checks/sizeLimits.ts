// postfix/size-limit-conflict: a mailbox size limit below the message size limit. local(8)
// and virtual(8) set their file size limit to mailbox_size_limit (virtual(8):
// virtual_mailbox_limit) before they accept any work, and refuse to start when that limit is
// non-zero and either smaller than message_size_limit or paired with an unlimited (0)
// message_size_limit: a message that large could not even be written back to the queue
// file. The process exits with
//   fatal: configuration error: mailbox_size_limit is smaller than message_size_limit
//   fatal: configuration error: mailbox_size_limit is limited but message_size_limit is unlimited
// master(8) throttles the service, and mail for it stays in the queue until it expires.
//
// The check happens when the agent starts, i.e. when the queue manager has mail for it, so it
// matters only for a delivery agent some transport in effect uses: local_transport while
// mydestination is not empty, virtual_transport while virtual_mailbox_domains is not empty,
// relay_transport while relay_domains is not, default_transport, and the results of
// inline:/static: transport maps. Values are the ones the agent reads: its master.cf `-o`,
// then main.cf, then the default; `$name` references are expanded when that is exact.

import type { AnalysisContext } from '../../context';
import type { Finding, Fix, Range, RelatedLocation } from '../../types';
import { makeFinding, quote } from '../findings';
import { debianDefaultServices, isMainCfDocument, postfixModel, type PostfixModel, type ServiceEntry } from '../instance';
import { splitList } from '../expand';
import { hasTemplateExpression } from '../template';
import type { Value, ValueWord } from '../tree';
import { assumedMasterNote } from './wording';
import { lineText } from './edits';

const CODE = 'postfix/size-limit-conflict';
const MESSAGE_LIMIT = 'message_size_limit';

/** The delivery agents that compare their mailbox limit with the message limit at start-up. */
const AGENTS = [
  { command: 'local', limit: 'mailbox_size_limit' },
  { command: 'virtual', limit: 'virtual_mailbox_limit' },
] as const;

type Agent = (typeof AGENTS)[number];

export function checkMainCfSizeLimits(ctx: AnalysisContext): Finding[] {
  if (!isMainCfDocument(ctx.doc)) return [];
  return conflictsIn(postfixModel(ctx), ctx.doc.uri);
}

export function checkMasterCfSizeLimits(ctx: AnalysisContext): Finding[] {
  const model = postfixModel(ctx);
  if (model.masterAssumed) return [];
  return conflictsIn(model, ctx.doc.uri);
}

/** A size limit in effect for one service: its number and where it was written (none for a default). */
interface Limit {
  name: string;
  bytes: bigint;
  /** The raw value, as written or the default. */
  raw: string;
  written?: { uri: string; value: Value; inMainCf: boolean };
}

interface Located {
  uri: string;
  finding: Finding;
}

function conflictsIn(model: PostfixModel, uri: string): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const c of allConflicts(model)) {
    if (c.uri !== uri) continue;
    // Two services running the same agent on the same settings: one finding.
    const key = `${c.finding.range.start.line}:${c.finding.range.start.character}:${c.finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c.finding);
  }
  return out;
}

function allConflicts(model: PostfixModel): Located[] {
  const used = transportsInUse(model);
  const out: Located[] = [];
  for (const service of deliveryServices(model)) {
    if (!used.has(service.name)) continue;
    const agent = AGENTS.find((a) => a.command === service.command);
    if (!agent) continue;
    const mailbox = limitOf(model, agent.limit, service);
    const message = limitOf(model, MESSAGE_LIMIT, service);
    if (!mailbox || !message || mailbox.bytes <= 0n) continue; // 0: no mailbox limit, nothing to compare
    if (message.bytes > 0n && mailbox.bytes >= message.bytes) continue;
    const c = conflict(model, agent, service, mailbox, message);
    if (c) out.push(c);
  }
  return out;
}

/** The unix services running local(8) or virtual(8): master.cf's, or Debian's when assumed (or for a fragment). */
function deliveryServices(model: PostfixModel): ServiceEntry[] {
  const isAgent = (s: ServiceEntry) => (s.type === 'unix' || s.type === '') && AGENTS.some((a) => a.command === s.command);
  const own = model.services.filter(isAgent);
  if (!model.masterIsFragment) return own;
  const names = new Set(model.services.map((s) => s.name));
  return [...own, ...debianDefaultServices().filter((s) => isAgent(s) && !names.has(s.name))];
}

/**
 * The transports mail can be handed to: the address classes' transports while their class
 * has domains, default_transport, and what inline:/static: transport maps name. A value
 * that cannot be expanded exactly names nothing (no guess).
 */
function transportsInUse(model: PostfixModel): Set<string> {
  const used = new Set<string>();
  const classes: Array<[transport: string, domains?: string]> = [
    ['local_transport', 'mydestination'],
    ['virtual_transport', 'virtual_mailbox_domains'],
    ['relay_transport', 'relay_domains'],
    ['default_transport'],
  ];
  for (const [transport, domains] of classes) {
    if (domains !== undefined && isEmptyList(model, domains)) continue;
    const name = transportName(model, transport);
    if (name) used.add(name);
  }
  for (const maps of ['transport_maps', 'sender_dependent_default_transport_maps']) {
    for (const p of model.definitions.get(maps)?.slice(-1) ?? []) {
      for (const w of p.value.words) for (const name of tableTransports(w)) used.add(name);
    }
  }
  return used;
}

/** True only when the list in effect is known to be empty. */
function isEmptyList(model: PostfixModel, name: string): boolean {
  const raw = model.valueInEffect(name);
  if (raw === undefined) return false;
  const value = model.expandExact(raw);
  return value !== undefined && splitList(value).length === 0;
}

/** The transport of a `transport:nexthop` parameter in effect. */
function transportName(model: PostfixModel, parameter: string): string | undefined {
  const raw = model.valueInEffect(parameter);
  if (raw === undefined || hasTemplateExpression(raw)) return undefined;
  // Only the transport part needs expanding: `local:$myhostname` names `local` whatever the host name.
  const written = raw.trim().split(':')[0];
  const name = written.includes('$') ? model.expandExact(raw)?.trim().split(':')[0] : written;
  return name && /^[A-Za-z0-9._-]+$/.test(name) ? name : undefined;
}

/** Transports that `inline:{ key=transport:nexthop }` and `static:transport:nexthop` tables return. */
function tableTransports(w: ValueWord): string[] {
  const t = w.table?.type === 'proxy' ? w.table.inner : w.table;
  if (!t) return [];
  const results = t.type === 'static'
    ? [unbraced(t.name)]
    : t.type === 'inline'
      ? (t.members ?? []).map((m) => (m.braced && m.inner ? m.inner.text : m.text)).map((x) => x.slice(x.indexOf('=') + 1).trim())
      : [];
  return results.map((r) => r.split(':')[0]).filter((n) => /^[A-Za-z0-9._-]+$/.test(n));
}

/** `{ name }` without its braces and the blanks inside them (string operations: a /\s*\}$/ regex is quadratic). */
function unbraced(name: string): string {
  let s = name;
  if (s.startsWith('{')) s = s.slice(1).trimStart();
  if (s.endsWith('}')) s = s.slice(0, -1).trimEnd();
  return s;
}

/** The limit `name` in effect for `service`, as a number of bytes; undefined when not a plain number. */
function limitOf(model: PostfixModel, name: string, service: ServiceEntry): Limit | undefined {
  const found = model.lookup(name, service);
  const raw = found.text;
  if (raw === undefined || hasTemplateExpression(raw)) return undefined;
  const value = model.expandExact(raw, service)?.trim();
  if (value === undefined || !/^\d{1,30}$/.test(value)) return undefined; // anything else: postfix/invalid-number
  const limit: Limit = { name, bytes: BigInt(value), raw };
  if (found.source.kind === 'main' && model.main) {
    limit.written = { uri: model.main.doc.uri, value: found.source.parameter.value, inMainCf: true };
  } else if (found.source.kind === 'override' && model.master) {
    limit.written = { uri: model.master.doc.uri, value: found.source.option.value, inMainCf: false };
  }
  return limit;
}

function conflict(model: PostfixModel, agent: Agent, service: ServiceEntry, mailbox: Limit, message: Limit): Located | undefined {
  // The finding goes where the admin would edit: the mailbox limit when it is written down
  // (the fix raises it), else the message limit that outgrew its default.
  const at = mailbox.written ?? message.written;
  if (!at) return undefined;
  const other = at === mailbox.written ? message : mailbox;
  const unlimited = message.bytes === 0n;
  const fatal = unlimited
    ? `${agent.limit} is limited but ${MESSAGE_LIMIT} is unlimited`
    : `${agent.limit} is smaller than ${MESSAGE_LIMIT}`;
  const agentName = `${agent.command}(8)`;
  const serviceNote = service.name === agent.command ? '' : ` (the master.cf service \`${service.name}\`)`;
  const what = unlimited
    ? `\`${MESSAGE_LIMIT}\` is 0 (no limit) while \`${agent.limit}\` is ${describe(mailbox)}`
    : `\`${agent.limit}\` (${describe(mailbox)}) is smaller than \`${MESSAGE_LIMIT}\` (${describe(message)})`;
  const advice = unlimited
    ? `Give \`${MESSAGE_LIMIT}\` a limit no larger than ${mailbox.bytes}, or set \`${agent.limit} = 0\` (no mailbox limit).`
    : `Raise \`${agent.limit}\` to at least ${message.bytes} (0 means no limit), or lower \`${MESSAGE_LIMIT}\`.`;
  const message_ = `${what}. The ${agentName} delivery agent${serviceNote} refuses to start with these limits ` +
    `("fatal: configuration error: ${fatal}"): master(8) throttles the service and every message for it stays in the ` +
    `queue, undelivered, until it expires and bounces. ${advice}` + assumedMasterNote(model);
  const finding = makeFinding(CODE, 'error', at.value.range, message_, raiseFix(model, agent, mailbox, message));
  const related = relatedOf(other, service);
  if (related) finding.related = [related];
  return { uri: at.uri, finding };
}

/** "51200000 bytes, the default", "104857600 bytes", "$limit = 1000 bytes". */
function describe(l: Limit): string {
  const expanded = l.raw.includes('$') ? `${quote(l.raw.trim(), 40)} = ` : '';
  return `${expanded}${l.bytes} bytes${l.written ? '' : ', the default'}`;
}

function relatedOf(l: Limit, service: ServiceEntry): RelatedLocation | undefined {
  if (!l.written) return undefined;
  const where = l.written.inMainCf ? 'main.cf' : `the \`-o\` settings of the service \`${service.name}\``;
  return { uri: l.written.uri, range: l.written.value.range, message: `\`${l.name}\` in ${where}` };
}

/**
 * Raising the mailbox limit to the message limit is the edit Postfix asks for; offered only
 * when main.cf holds the mailbox limit as a plain number, or holds the message limit while
 * the mailbox limit is the default (then a line is added after it). Not for an unlimited
 * message size: whether to limit messages or drop the mailbox limit is the admin's choice.
 */
function raiseFix(model: PostfixModel, agent: Agent, mailbox: Limit, message: Limit): Fix[] {
  if (message.bytes === 0n || !model.main) return [];
  const title = `Raise \`${agent.limit}\` to ${message.bytes} (the message size limit)`;
  if (mailbox.written) {
    if (!mailbox.written.inMainCf || !/^\d+$/.test(mailbox.raw.trim())) return [];
    return [{ title, preferred: true, edits: [{ uri: mailbox.written.uri, range: mailbox.written.value.range, newText: String(message.bytes) }] }];
  }
  if (!message.written?.inMainCf) return [];
  const end = message.written.value.range.end;
  const line = lineText(model.main.doc.analysis.text, end.line);
  const at: Range = { start: { line: end.line, character: line.length }, end: { line: end.line, character: line.length } };
  return [{ title, preferred: true, edits: [{ uri: message.written.uri, range: at, newText: `\n${agent.limit} = ${message.bytes}` }] }];
}
