// What is under the cursor in a main.cf or master.cf tree: a parameter name, a `$name`
// reference, a lookup table type, a restriction, a word that names a master.cf service,
// a master.cf column … Every feature starts here, so they all agree on what a position
// means.
//
// A token is under the cursor when start <= position < end: the character to the right of
// the cursor belongs to it. Blanks, comments, line ends and lines the parser could not
// read hit nothing.

import type { Position, Range } from '../../types';
import type { FeatureContext } from '../types';
import { comparePositions } from '../../types';
import type {
  MainCfTree, MasterCfTree, Parameter, Reference, ServiceAttribute, ServiceOption, TableRef, Token, ValueWord,
} from '../../postfix/tree';
import { getParameter, getRestriction } from '../../postfix/catalogue';
import type { PostfixModel, ServiceEntry, ValueOwner } from '../../postfix/instance';

export type MasterColumn = 'name' | 'type' | 'private' | 'unprivileged' | 'chroot' | 'wakeup' | 'maxproc' | 'command';

export const MASTER_COLUMNS: readonly MasterColumn[] = ['name', 'type', 'private', 'unprivileged', 'chroot', 'wakeup', 'maxproc', 'command'];

/** How a value word names a master.cf service. */
export type ServiceLinkKind =
  /** `check_policy_service unix:private/NAME` (or `inet:host:port`). */
  | 'policy'
  /** The transport of `transport:nexthop` in content_filter and the `*_transport` parameters. */
  | 'transport'
  /** A `*_service_name` parameter's value. */
  | 'serviceName';

export type Target =
  /** The name of a main.cf setting. */
  | { kind: 'parameterName'; name: string; range: Range; parameter: Parameter }
  /** The name of a master.cf `-o name=value`. */
  | { kind: 'optionName'; name: string; range: Range; service: ServiceEntry; option: ServiceOption }
  /** `$name`, `${name…}` or `$(name…)`; `range` is the name only. */
  | { kind: 'reference'; name: string; range: Range; reference: Reference; owner: ValueOwner }
  /** A word of a restriction list that names a restriction class defined in main.cf. */
  | { kind: 'restrictionClass'; name: string; range: Range; owner: ValueOwner }
  | { kind: 'tableType'; type: string; range: Range; table: TableRef; owner: ValueOwner }
  | { kind: 'restriction'; name: string; range: Range; owner: ValueOwner }
  | { kind: 'serviceLink'; service: string; range: Range; link: ServiceLink; owner: ValueOwner }
  | { kind: 'column'; column: MasterColumn; token: Token; service: ServiceEntry }
  | { kind: 'optionFlag'; token: Token; service: ServiceEntry; option: ServiceOption }
  | { kind: 'attribute'; attribute: ServiceAttribute; service: ServiceEntry };

/** The targets that stand for a parameter name (navigation and rename work on these). */
export type ParameterTarget = Extract<Target, { kind: 'parameterName' | 'optionName' | 'reference' | 'restrictionClass' }>;

export function isParameterTarget(t: Target | undefined): t is ParameterTarget {
  return !!t && (t.kind === 'parameterName' || t.kind === 'optionName' || t.kind === 'reference' || t.kind === 'restrictionClass');
}

/** start <= pos < end. */
export function containsPosition(range: Range, pos: Position): boolean {
  return comparePositions(range.start, pos) <= 0 && comparePositions(pos, range.end) < 0;
}

/** The last item whose range starts at or before `pos` (items sorted by start), when it also contains pos. */
function itemAt<T extends { range: Range }>(items: readonly T[], pos: Position): T | undefined {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (comparePositions(items[mid].range.start, pos) <= 0) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return undefined;
  const item = items[found];
  return containsPosition(item.range, pos) ? item : undefined;
}

/** What is at `position` in the document of `ctx` (main.cf or master.cf of `model`). */
export function targetAt(ctx: FeatureContext, model: PostfixModel, position: Position): Target | undefined {
  if (ctx.doc.kind === 'postfix-main' && model.main?.doc === ctx.doc) return locateInMain(model.main.tree, model, position);
  if (ctx.doc.kind === 'postfix-master' && model.master?.doc === ctx.doc) return locateInMaster(model.master.tree, model, position);
  return undefined;
}

export function locateInMain(tree: MainCfTree, model: PostfixModel, pos: Position): Target | undefined {
  if (!isValidPosition(pos)) return undefined;
  const p = itemAt(tree.parameters, pos);
  if (!p) return undefined;
  if (containsPosition(p.name.range, pos)) return { kind: 'parameterName', name: p.name.text, range: p.name.range, parameter: p };
  return locateInValue({ name: p.name.text, value: p.value }, model, pos);
}

export function locateInMaster(tree: MasterCfTree, model: PostfixModel, pos: Position): Target | undefined {
  if (!isValidPosition(pos)) return undefined;
  const node = itemAt(tree.services, pos);
  if (!node) return undefined;
  const service = model.serviceOf(node);
  if (!service) return undefined;
  for (const column of MASTER_COLUMNS) {
    const token = node[column];
    if (token && containsPosition(token.range, pos)) return { kind: 'column', column, token, service };
  }
  for (const option of node.options) {
    if (!containsPosition(option.range, pos)) continue;
    if (containsPosition(option.flag.range, pos)) return { kind: 'optionFlag', token: option.flag, service, option };
    if (containsPosition(option.name.range, pos)) {
      return { kind: 'optionName', name: option.name.text, range: option.name.range, service, option };
    }
    return locateInValue({ name: option.name.text, value: option.value, service }, model, pos);
  }
  for (const attribute of node.attributes) {
    if (containsPosition(attribute.name.range, pos)) return { kind: 'attribute', attribute, service };
  }
  return undefined;
}

function isValidPosition(pos: Position): boolean {
  return Number.isInteger(pos?.line) && Number.isInteger(pos?.character) && pos.line >= 0 && pos.character >= 0;
}

/** What the value of `owner` holds at `pos`. */
export function locateInValue(owner: ValueOwner, model: PostfixModel, pos: Position): Target | undefined {
  const value = owner.value;
  if (!containsPosition(value.range, pos)) return undefined;
  // References first: `btree:${data_directory}/x` is about data_directory at the name.
  let innermost: Reference | undefined;
  for (const ref of value.references) {
    if (containsPosition(ref.nameRange, pos)) return { kind: 'reference', name: ref.name, range: ref.nameRange, reference: ref, owner };
    if (containsPosition(ref.range, pos) && (!innermost || comparePositions(ref.range.start, innermost.range.start) >= 0)) innermost = ref;
  }
  if (innermost && innermost.use !== 'function' && isPlainOrBracket(innermost, pos)) {
    return { kind: 'reference', name: innermost.name, range: innermost.nameRange, reference: innermost, owner };
  }
  const words = value.words;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (!containsPosition(word.range, pos)) continue;
    return locateInWord(owner, model, words, i, pos);
  }
  return undefined;
}

/** On the `$`, `{`/`(` or closing bracket of a reference (not inside its conditional text). */
function isPlainOrBracket(ref: Reference, pos: Position): boolean {
  if (ref.form === 'plain') return true;
  const s = ref.range.start;
  const e = ref.range.end;
  const atStart = pos.line === s.line && pos.character <= s.character + 1;
  const atEnd = pos.line === e.line && pos.character === e.character - 1;
  return atStart || atEnd;
}

function locateInWord(owner: ValueOwner, model: PostfixModel, words: readonly ValueWord[], index: number, pos: Position): Target | undefined {
  const word = words[index];
  if (word.table) return locateInTable(owner, model, word.table, pos);
  if (word.braced) return undefined;
  if (isRestrictionContext(owner.name, model, owner.service)) {
    if (model.restrictionClasses.has(word.text) && model.definitions.has(word.text)) {
      return { kind: 'restrictionClass', name: word.text, range: word.range, owner };
    }
    if (getRestriction(word.text)) return { kind: 'restriction', name: word.text.toLowerCase(), range: word.range, owner };
  }
  if (owner.name === 'smtpd_restriction_classes' && !word.text.includes('$')) {
    return { kind: 'restrictionClass', name: word.text, range: word.range, owner };
  }
  const link = serviceLinkOf(owner.name, words, index);
  if (link && containsPosition(link.range, pos)) return { kind: 'serviceLink', service: link.service, range: link.range, link, owner };
  return undefined;
}

function locateInTable(owner: ValueOwner, model: PostfixModel, table: TableRef, pos: Position): Target | undefined {
  if (containsPosition(table.typeRange, pos)) return { kind: 'tableType', type: table.type, range: table.typeRange, table, owner };
  if (table.inner) return locateInTable(owner, model, table.inner, pos);
  for (const member of table.members ?? []) {
    if (!containsPosition(member.range, pos)) continue;
    if (member.table) return locateInTable(owner, model, member.table, pos);
  }
  return undefined;
}

/**
 * Whether the words of `name`'s value are smtpd restrictions: the `*_restrictions`
 * parameters and restriction classes (main.cf ones, or listed in the service's own
 * `-o smtpd_restriction_classes`).
 */
export function isRestrictionContext(name: string, model: PostfixModel, service?: ServiceEntry): boolean {
  if (getParameter(name)?.kind === 'restrictions') return true;
  if (model.restrictionClasses.has(name)) return true;
  const local = service && model.effectiveOverride(service, 'smtpd_restriction_classes');
  return !!local && local.value.words.some((w) => w.text === name);
}

/** Whether `name` (a built-in or `*_transport` parameter) holds a `transport[:nexthop]`. */
export function isTransportParameter(name: string): boolean {
  const kind = getParameter(name)?.kind;
  if (kind) return kind === 'transport';
  return name.endsWith('_transport');
}

export interface ServiceLink {
  service: string;
  range: Range;
  kind: ServiceLinkKind;
  /** For `inet:host:port`: the service may be written as `host:port` or just `port`. */
  alternatives?: string[];
  /** The socket type the service must have (`unix` for unix:private/…, `inet` for inet:…). */
  type?: 'unix' | 'inet';
}

/** The master.cf service that word `index` of `name`'s value refers to, if any. */
export function serviceLinkOf(name: string, words: readonly ValueWord[], index: number): ServiceLink | undefined {
  const word = words[index];
  if (word.braced || word.text.includes('$') || !singleLine(word.range)) return undefined;
  const text = word.text;
  const previous = index > 0 ? words[index - 1].text.toLowerCase() : '';
  if (previous === 'check_policy_service') {
    if (text.startsWith('inet:')) {
      const endpoint = text.slice(5);
      const colon = endpoint.lastIndexOf(':');
      const port = colon >= 0 ? endpoint.slice(colon + 1) : endpoint;
      return { service: endpoint, range: word.range, kind: 'policy', alternatives: [port], type: 'inet' };
    }
    const path = text.startsWith('unix:') ? 5 : 0;
    const rest = text.slice(path);
    const m = /^(private|public)\/([^/]+)$/.exec(rest);
    if (!m) return undefined;
    return { service: m[2], range: word.range, kind: 'policy', type: 'unix' };
  }
  if (index === 0 && isTransportParameter(name)) {
    const colon = text.indexOf(':');
    const transport = colon >= 0 ? text.slice(0, colon) : text;
    if (!transport || transport.includes('[')) return undefined;
    return { service: transport, range: sub(word.range, 0, transport.length), kind: 'transport', type: 'unix' };
  }
  if (index === 0 && getParameter(name)?.kind === 'service') {
    return { service: text, range: word.range, kind: 'serviceName' };
  }
  return undefined;
}

function singleLine(r: Range): boolean {
  return r.start.line === r.end.line;
}

function sub(r: Range, from: number, to: number): Range {
  return {
    start: { line: r.start.line, character: r.start.character + from },
    end: { line: r.start.line, character: r.start.character + to },
  };
}

/** A value with its owner and the document it is in. */
export type LocatedValue = ValueOwner & { uri: string };

/** Every value of the instance with its owner: main.cf settings, then each service's `-o` values. */
export function* allValues(model: PostfixModel): Iterable<LocatedValue> {
  const main = model.main;
  if (main) for (const p of main.tree.parameters) yield { name: p.name.text, value: p.value, uri: main.doc.uri };
  const master = model.master;
  if (master) {
    for (const service of model.masterServices) {
      for (const o of service.node.options) yield { name: o.name.text, value: o.value, service, uri: master.doc.uri };
    }
  }
}

/** The master.cf services a link may mean, best match first. */
export function servicesForLink(model: PostfixModel, link: Pick<ServiceLink, 'service' | 'alternatives' | 'type'>): ServiceEntry[] {
  const names = [link.service, ...(link.alternatives ?? [])];
  const found = model.masterServices.filter((s) => names.includes(s.node.name.text));
  if (!link.type) return found;
  const typed = found.filter((s) => s.node.type?.text === link.type);
  return typed.length > 0 ? typed : found;
}
