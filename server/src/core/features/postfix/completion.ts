// Completion for main.cf and master.cf. While the admin types, the line is usually not
// valid yet (`smtpd_mi`, `milter_default_action = `), so the context comes from the raw
// text around the cursor rather than from the tree:
//
//   main.cf   start of a line            parameter names, inserted as `name = `
//             after `=` / continuation   values for the parameter's kind: enumeration
//                                        values, yes/no, table types, restrictions (and
//                                        restriction classes), master.cf services
//             after `$`, `${`, `$(`      parameter names as references
//   master.cf column 2                   service types
//             columns 3–5                y / n / -
//             column 8                   Postfix daemons
//             after `-o`                 parameter names, inserted as `name=`
//             after `-o name=`           values as in main.cf

import type { Position, Range } from '../../types';
import type { CompletionItem, CompletionResolve, FeatureContext } from '../types';
import { LineIndex } from '../../text/lines';
import {
  allRestrictionNames, allTableTypes, compareVersions, deprecationIn, getParameter, getRestriction, getTableType,
  parameterAvailability, parameterNamesFor, serviceParameterNames, type ParameterInfo,
} from '../../postfix/catalogue';
import { SERVICE_TYPES } from '../../postfix/masterCfParser';
import { effectiveVersion, postfixModel, type PostfixModel, type ServiceEntry } from '../../postfix/instance';
import type { Settings } from '../../settings';
import { code, parameterDocumentation, serviceSuffixText } from './describe';
import { restrictionSummary } from './restrictionTexts';
import { tableTypeSummary } from './tableTypeTexts';
import { COLUMN_TEXTS, COMMAND_TEXTS, SERVICE_TYPE_TEXTS } from './masterCfTexts';
import { MASTER_COLUMNS } from './locate';

export function postfixCompletion(ctx: FeatureContext, position: Position): CompletionItem[] {
  if (!Number.isInteger(position?.line) || !Number.isInteger(position?.character) || position.line < 0 || position.character < 0) return [];
  const text = ctx.doc.analysis.text;
  const lines = new LineIndex(text);
  if (position.line >= lines.lineCount) return [];
  const model = postfixModel(ctx);
  const doc = new DocLines(text, lines);
  const line = doc.line(position.line);
  // Past the end of the line is not a place to type (editors never ask there).
  if (position.character > line.length || isCommentLine(line)) return [];
  const ch = position.character;
  return ctx.doc.kind === 'postfix-master'
    ? masterCompletion(model, doc, position.line, ch)
    : mainCompletion(model, doc, position.line, ch);
}

/** Line access on the raw text. */
class DocLines {
  constructor(private readonly text: string, private readonly index: LineIndex) {}

  get count(): number {
    return this.index.lineCount;
  }

  line(n: number): string {
    const start = this.index.lineStart(n);
    let end = start;
    while (end < this.text.length) {
      const c = this.text.charCodeAt(end);
      if (c === 10 || c === 13) break;
      end++;
    }
    return this.text.slice(start, end);
  }
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

function isCommentLine(line: string): boolean {
  return line.trimStart().startsWith('#');
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;
}

function rangeOn(line: number, from: number, to: number): Range {
  return { start: { line, character: from }, end: { line, character: to } };
}

/**
 * The first line of the logical line that `line` continues: Postfix joins lines that start
 * with a blank (and skips comment and empty lines in between). Undefined when none does.
 */
function logicalStart(doc: DocLines, line: number): number | undefined {
  for (let n = line; n >= 0 && line - n < 10000; n--) {
    const t = doc.line(n);
    if (t.length === 0 || isCommentLine(t)) continue;
    if (!isBlank(t.charCodeAt(0))) return n;
    if (t.trim() === '') continue;
  }
  return undefined;
}

// ------------------------------------------------------------------ main.cf

function mainCompletion(model: PostfixModel, doc: DocLines, lineNo: number, ch: number): CompletionItem[] {
  const line = doc.line(lineNo);
  const startsBlank = line.length > 0 && isBlank(line.charCodeAt(0));
  if (!startsBlank || (ch === 0 && line.trim() === '')) {
    const eq = line.indexOf('=');
    if (eq < 0 || ch <= eq) {
      const before = line.slice(0, ch);
      if (/[\s]/.test(before)) return [];
      let end = ch;
      while (end < line.length && isNameChar(line.charCodeAt(end))) end++;
      const hasEquals = /^\s*=/.test(line.slice(end));
      return parameterNameItems(model, rangeOn(lineNo, 0, end), hasEquals ? '' : ' = ');
    }
    const name = line.slice(0, eq).trim();
    return valueCompletion(model, doc, { name, lineNo, ch, valueStart: eq + 1, firstLine: lineNo });
  }
  const first = logicalStart(doc, lineNo);
  if (first === undefined) return [];
  const head = doc.line(first);
  const eq = head.indexOf('=');
  if (eq < 0) return [];
  return valueCompletion(model, doc, { name: head.slice(0, eq).trim(), lineNo, ch, valueStart: 0, firstLine: first });
}

interface ValueSpot {
  /** The parameter whose value is being typed. */
  name: string;
  lineNo: number;
  ch: number;
  /** Column of this line where the value may begin (after `=` or 0 on continuation lines). */
  valueStart: number;
  /** Line of the parameter name (where to stop looking back for the previous word). */
  firstLine: number;
  service?: ServiceEntry;
  /** Characters that end a word besides blanks and commas (master.cf: `=` of `-o name=`). */
  separators?: string;
}

function isWordSeparator(c: number, extra: string): boolean {
  return isBlank(c) || c === 44 /* , */ || (extra.length > 0 && extra.includes(String.fromCharCode(c)));
}

function valueCompletion(model: PostfixModel, doc: DocLines, spot: ValueSpot): CompletionItem[] {
  const line = doc.line(spot.lineNo);
  const extra = spot.separators ?? '';
  let wordStart = spot.ch;
  while (wordStart > spot.valueStart && !isWordSeparator(line.charCodeAt(wordStart - 1), extra)) wordStart--;
  const prefix = line.slice(wordStart, spot.ch);

  const ref = /(^|[^$])\$([{(]?)([A-Za-z0-9_]*)$/.exec(line.slice(spot.valueStart, spot.ch));
  if (ref) {
    return referenceItems(model, rangeOn(spot.lineNo, spot.ch - ref[3].length, spot.ch), spot.service);
  }
  if (prefix.includes('$')) return [];
  const range = rangeOn(spot.lineNo, wordStart, spot.ch);
  const info = getParameter(spot.name);
  const restrictionList = info?.kind === 'restrictions' || model.restrictionClasses.has(spot.name);
  if (restrictionList) {
    const previous = previousWord(doc, spot, wordStart);
    const arg = previous ? getRestriction(previous)?.argument : undefined;
    if (arg === 'table') return tableTypeItems(model, prefix, spot.lineNo, wordStart);
    if (arg === 'policyService') return policyServiceItems(model, range);
    if (arg) return [];
    return restrictionItems(model, range);
  }
  if (!info) {
    if (spot.name.endsWith('_transport')) return serviceItems(model, range, 'transport');
    return [];
  }
  switch (info.kind) {
    case 'boolean':
      return wordItems(['yes', 'no'], range, info);
    case 'enumeration':
      return wordItems(enumerationValues(info, model.version), range, info);
    case 'lookupTables':
      return tableTypeItems(model, prefix, spot.lineNo, wordStart);
    case 'transport':
      return isFirstWord(doc, spot, wordStart) ? serviceItems(model, range, 'transport') : [];
    case 'service':
      return serviceItems(model, range, 'service');
    default:
      if (info.items === 'tableType') return tableTypeItems(model, prefix, spot.lineNo, wordStart, false);
      if (info.items === 'restriction') return restrictionItems(model, range);
      return [];
  }
}

/** The word before `wordStart` in the value (on this line or the value's earlier lines). */
function previousWord(doc: DocLines, spot: ValueSpot, wordStart: number): string | undefined {
  const extra = spot.separators ?? '';
  for (let n = spot.lineNo; n >= spot.firstLine; n--) {
    const t = doc.line(n);
    if (isCommentLine(t)) continue;
    let end = n === spot.lineNo ? wordStart : t.length;
    const min = n === spot.firstLine ? (n === spot.lineNo ? spot.valueStart : Math.max(0, t.indexOf('=') + 1)) : 0;
    while (end > min && isWordSeparator(t.charCodeAt(end - 1), extra)) end--;
    if (end <= min) continue;
    let start = end;
    while (start > min && !isWordSeparator(t.charCodeAt(start - 1), extra)) start--;
    return t.slice(start, end).toLowerCase();
  }
  return undefined;
}

/** Whether the word at wordStart is the value's first. */
function isFirstWord(doc: DocLines, spot: ValueSpot, wordStart: number): boolean {
  return previousWord(doc, spot, wordStart) === undefined;
}

function enumerationValues(info: ParameterInfo, version: string): string[] {
  return (info.values ?? []).filter((v) => {
    const since = info.valueSince?.[v];
    return !since || compareVersions(version, since) >= 0;
  });
}

function wordItems(words: string[], range: Range, info: ParameterInfo): CompletionItem[] {
  return words.map((w, i) => ({
    label: w,
    kind: 'EnumMember',
    detail: w === info.default ? 'default' : undefined,
    edit: { range, newText: w },
    sortText: String(i).padStart(3, '0'),
  }));
}

// ------------------------------------------------------------------ parameter names

interface NameEntry {
  label: string;
  /** Computed by Postfix (service_name …): usable as $name, never set. */
  readOnly: boolean;
  detail: string;
  deprecated: boolean;
}

const nameCache = new Map<string, NameEntry[]>();

/**
 * Every parameter `version` knows, with its default (built once per version). The
 * documentation is written on demand (postfixParameterDocumentation), for the item shown.
 */
function builtinNames(version: string): NameEntry[] {
  let entries = nameCache.get(version);
  if (entries) return entries;
  entries = [];
  for (const name of parameterNamesFor(version)) {
    const info = getParameter(name)!;
    const def = info.default === null || info.computedDefault ? '(computed)' : info.default === '' ? '(empty)' : info.default;
    entries.push({
      label: name,
      readOnly: !!info.readOnly,
      detail: `default: ${def.length > 60 ? `${def.slice(0, 59)}…` : def}`,
      deprecated: !!deprecationIn(info, version),
    });
  }
  nameCache.set(version, entries);
  return entries;
}

/**
 * A parameter name as completion offers it, before the edit (which depends on the cursor).
 * `sortText` is the group only, and none for the biggest group: editors order by sort text,
 * the label standing in for a missing one (LSP), and thousands of names are sent per
 * keystroke. Own names `0` come before every built-in name (lower-case letters), built-in
 * ones sort by their labels, per-service names `~2` and deprecated ones `~9` after them
 * (`~` sorts after `z`).
 */
interface NameOffer {
  label: string;
  kind: 'Property' | 'Variable';
  detail: string;
  documentation?: string;
  resolve?: CompletionResolve;
  sortText: string | undefined;
  deprecated?: true;
}

/** Sort texts of the name groups (see NameOffer). */
const OWN_NAMES = '0', BUILT_IN = undefined, PER_SERVICE = '~2', DEPRECATED = '~9';

/**
 * The offers of a model, per service (master.cf `-o`) and for `$references`: made once per
 * model (a model is made per analysis and never changes), since main.cf offers every name
 * on each keystroke at the start of a line (5,000 with a big master.cf).
 */
const offerCache = new WeakMap<PostfixModel, Map<ServiceEntry | undefined, { names?: NameOffer[]; references?: NameOffer[] }>>();

function nameOffers(model: PostfixModel, service: ServiceEntry | undefined, forReference: boolean): NameOffer[] {
  let perService = offerCache.get(model);
  if (!perService) offerCache.set(model, (perService = new Map()));
  let cached = perService.get(service);
  if (!cached) perService.set(service, (cached = {}));
  if (forReference) {
    return (cached.references ??= makeNameOffers(model, service, true).map((o) => {
      const value = model.lookup(o.label, service);
      return value.text !== undefined && o.kind !== 'Variable' ? { ...o, detail: `= ${shorten(value.text)}` } : o;
    }));
  }
  return (cached.names ??= makeNameOffers(model, service, false));
}

/**
 * Parameter names: built-in ones, then the instance's per-service and user-defined names.
 * `forReference`: names after `$`, which include the read-only ones Postfix computes.
 * Their documentation is written on resolve.
 */
function makeNameOffers(model: PostfixModel, service: ServiceEntry | undefined, forReference: boolean): NameOffer[] {
  const offers: NameOffer[] = [];
  const seen = new Set<string>();
  for (const e of builtinNames(model.version)) {
    seen.add(e.label);
    if (e.readOnly && !forReference) continue;
    const offer: NameOffer = { label: e.label, kind: 'Property', detail: e.detail, resolve: { parameter: e.label }, sortText: e.deprecated ? DEPRECATED : BUILT_IN };
    if (e.deprecated) offer.deprecated = true;
    offers.push(offer);
  }
  for (const s of model.masterServices) {
    const serviceName = s.node.name.text;
    for (const name of serviceParameterNames(serviceName, s.command, model.version)) {
      if (seen.has(name)) continue;
      seen.add(name);
      offers.push({
        label: name,
        kind: 'Property',
        detail: `for the ${serviceName} service`,
        resolve: { parameter: name, service: { name: serviceName, command: s.command } },
        sortText: PER_SERVICE,
      });
    }
  }
  const user = new Map<string, string>();
  for (const [name, defs] of model.definitions) user.set(name, defs[defs.length - 1].value.text);
  if (service) for (const [name, value] of service.overrides) user.set(name, value);
  for (const [name, value] of user) {
    if (seen.has(name) || parameterAvailability(name, model.version) !== 'unknown') continue;
    seen.add(name);
    offers.push({
      label: name,
      kind: 'Variable',
      detail: `= ${value.length > 60 ? `${value.slice(0, 59)}…` : value}`,
      resolve: { parameter: name, own: model.restrictionClasses.has(name) ? 'restriction-class' : 'setting' },
      sortText: OWN_NAMES,
    });
  }
  return offers;
}

function nameItems(model: PostfixModel, range: Range, suffix: string, service?: ServiceEntry, forReference = false): CompletionItem[] {
  // Every item built with the same shape (no spread): thousands of them per keystroke.
  return nameOffers(model, service, forReference).map((o) => ({
    label: o.label,
    kind: o.kind,
    detail: o.detail,
    documentation: o.documentation,
    resolve: o.resolve,
    edit: { range, newText: suffix ? o.label + suffix : o.label },
    sortText: o.sortText,
    deprecated: o.deprecated,
  }));
}

/**
 * The documentation of a name offered by completion (what the item's `resolve` asks for):
 * a built-in parameter's for the configured version, what a per-service name sets, or that
 * a name is the configuration's own.
 * Undefined for a name the catalogue does not know.
 */
export function postfixNameDocumentation(settings: Settings, resolve: CompletionResolve): string | undefined {
  const { parameter, service, own } = resolve;
  if (own) return own === 'restriction-class' ? 'Restriction class defined in main.cf.' : 'Defined in this configuration.';
  if (service) {
    return parameter.startsWith(service.name) ? serviceSuffixText(service.name, service.command, parameter.slice(service.name.length)) : undefined;
  }
  const info = getParameter(parameter);
  return info ? parameterDocumentation(info, effectiveVersion(settings.postfixVersion)) : undefined;
}

function parameterNameItems(model: PostfixModel, range: Range, suffix: string): CompletionItem[] {
  return nameItems(model, range, suffix);
}

function referenceItems(model: PostfixModel, range: Range, service?: ServiceEntry): CompletionItem[] {
  return nameItems(model, range, '', service, true);
}

function shorten(v: string): string {
  const t = v.replace(/\s+/g, ' ').trim();
  return t === '' ? '(empty)' : t.length > 60 ? `${t.slice(0, 59)}…` : t;
}

// ------------------------------------------------------------------ value words

/** Table types, inserted as `type:`. After `proxy:` (or `debug:`) the wrapped type is completed. */
function tableTypeItems(model: PostfixModel, prefix: string, lineNo: number, wordStart: number, withColon = true): CompletionItem[] {
  const m = /^((?:(?:proxy|debug):)*)([a-z0-9_]*)$/.exec(prefix);
  if (!m) return [];
  const from = wordStart + m[1].length;
  const range = rangeOn(lineNo, from, wordStart + prefix.length);
  const common = ['hash', 'lmdb', 'cdb', 'btree', 'texthash', 'regexp', 'pcre', 'cidr', 'inline', 'static', 'proxy', 'mysql', 'pgsql', 'sqlite', 'ldap'];
  const items: CompletionItem[] = [];
  for (const type of allTableTypes()) {
    const info = getTableType(type)!;
    if (info.since && compareVersions(model.version, info.since) < 0) continue;
    if (!withColon && info.form !== 'indexedFile') continue;
    const rank = common.indexOf(type);
    items.push({
      label: withColon ? `${type}:` : type,
      kind: 'Module',
      detail: info.postmap ? 'indexed file (postmap)' : info.form,
      documentation: tableTypeSummary(type),
      edit: { range, newText: withColon ? `${type}:` : type },
      sortText: `${rank < 0 ? 99 : String(rank).padStart(2, '0')}_${type}`,
      filterText: type,
    });
  }
  return items;
}

function restrictionItems(model: PostfixModel, range: Range): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const name of allRestrictionNames()) {
    const info = getRestriction(name)!;
    if (info.since && compareVersions(model.version, info.since) < 0) continue;
    if (info.deprecated?.removedIn && compareVersions(model.version, info.deprecated.removedIn) >= 0) continue;
    const deprecated = !!info.deprecated || !!info.aliasOf;
    items.push({
      label: name,
      kind: 'Function',
      detail: info.argument ? `${name} <${info.argument}>` : undefined,
      documentation: restrictionSummary(name),
      edit: { range, newText: name },
      sortText: `${deprecated ? '9' : '1'}_${name}`,
      ...(deprecated ? { deprecated: true } : {}),
    });
  }
  for (const name of model.restrictionClasses) {
    if (!model.definitions.has(name)) continue;
    items.push({
      label: name,
      kind: 'Variable',
      detail: 'restriction class',
      documentation: `Defined in main.cf: ${code(model.mainValues.get(name) ?? '', 200)}`,
      edit: { range, newText: name },
      sortText: `0_${name}`,
    });
  }
  return items;
}

/** `unix:private/NAME` for the instance's unix services that are not Postfix's own daemons. */
function policyServiceItems(model: PostfixModel, range: Range): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const s of model.masterServices) {
    const postfixDaemon = COMMAND_TEXTS[s.command] !== undefined && s.command !== 'spawn' && s.command !== 'pipe';
    if (s.node.type?.text !== 'unix' || postfixDaemon) continue;
    const text = `unix:private/${s.node.name.text}`;
    items.push({
      label: text,
      kind: 'Reference',
      detail: `master.cf service (${s.command})`,
      edit: { range, newText: text },
    });
  }
  items.push({ label: 'inet:127.0.0.1:', kind: 'Reference', detail: 'policy server on a TCP port', edit: { range, newText: 'inet:127.0.0.1:' } });
  return items;
}

function serviceItems(model: PostfixModel, range: Range, what: 'transport' | 'service'): CompletionItem[] {
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const s of model.masterServices) {
    const name = s.node.name.text;
    if (seen.has(name) || (what === 'transport' && s.node.type?.text !== 'unix')) continue;
    seen.add(name);
    items.push({
      label: name,
      kind: 'Reference',
      detail: `master.cf: ${s.node.type?.text ?? '?'} ${s.command}`,
      documentation: COMMAND_TEXTS[s.command],
      edit: { range, newText: name },
    });
  }
  return items;
}

// ------------------------------------------------------------------ master.cf

interface Tok {
  text: string;
  line: number;
  start: number;
  end: number;
}

/** Blank-separated tokens of lines first..last (up to `ch` on the last); comment lines skipped. */
function tokensUpTo(doc: DocLines, first: number, last: number, ch: number): Tok[] {
  const out: Tok[] = [];
  for (let n = first; n <= last; n++) {
    const t = doc.line(n);
    if (n !== first && isCommentLine(t)) continue;
    const end = n === last ? ch : t.length;
    let level = 0;
    let i = 0;
    while (i < end) {
      if (isBlank(t.charCodeAt(i))) {
        i++;
        continue;
      }
      const start = i;
      while (i < end) {
        const c = t.charCodeAt(i);
        if (c === 123) level++;
        else if (c === 125 && level > 0) level--;
        else if (level === 0 && isBlank(c)) break;
        i++;
      }
      out.push({ text: t.slice(start, i), line: n, start, end: i });
    }
  }
  return out;
}

function masterCompletion(model: PostfixModel, doc: DocLines, lineNo: number, ch: number): CompletionItem[] {
  const line = doc.line(lineNo);
  const first = line.length > 0 && !isBlank(line.charCodeAt(0)) ? lineNo : ch === 0 ? undefined : logicalStart(doc, lineNo);
  if (first === undefined) return [];
  const tokens = tokensUpTo(doc, first, lineNo, ch);
  const typing = ch > 0 && !isBlank(line.charCodeAt(ch - 1)) && tokens.length > 0 && tokens[tokens.length - 1].line === lineNo;
  const index = typing ? tokens.length - 1 : tokens.length;
  const partial = typing ? tokens[tokens.length - 1] : undefined;
  const range = partial ? rangeOn(lineNo, partial.start, ch) : rangeOn(lineNo, ch, ch);
  if (index < MASTER_COLUMNS.length) return columnItems(MASTER_COLUMNS[index], range);
  const args = tokens.slice(MASTER_COLUMNS.length, index).map((t) => t.text);
  if (!inOptions(args)) return [];
  const previous = args[args.length - 1];
  const node = model.masterServices.find((s) => s.node.name.range.start.line === first);
  if (previous === '-o') {
    const text = partial?.text ?? '';
    if (text.startsWith('{')) return []; // `-o { name = value }`: blanks inside, not worth guessing
    const eq = text.indexOf('=');
    if (eq < 0) return nameItems(model, range, '=', node);
    const name = text.slice(0, eq);
    return valueCompletion(model, doc, {
      name, lineNo, ch, valueStart: partial!.start + eq + 1, firstLine: lineNo, service: node, separators: '=',
    });
  }
  if (!partial || partial.text.startsWith('-')) {
    return [{ label: '-o', kind: 'Keyword', detail: '-o name=value', documentation: 'Overrides a main.cf parameter for this service only.', edit: { range, newText: '-o ' } }];
  }
  return [];
}

/** Whether the arguments so far are all leading options (`-o x=y`, `-v` …), where more options may follow. */
function inOptions(args: string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-o') {
      i++;
      continue;
    }
    if (!a.startsWith('-') || a === '--') return false;
  }
  return true;
}

function columnItems(column: typeof MASTER_COLUMNS[number], range: Range): CompletionItem[] {
  const doc = COLUMN_TEXTS[column];
  switch (column) {
    case 'type':
      return SERVICE_TYPES.map((t, i) => ({
        label: t, kind: 'EnumMember', documentation: SERVICE_TYPE_TEXTS[t], edit: { range, newText: t }, sortText: String(i),
      }));
    case 'private':
    case 'unprivileged':
    case 'chroot':
      return ['y', 'n', '-'].map((v, i) => ({
        label: v,
        kind: 'EnumMember',
        detail: v === '-' ? `${doc.title}: default` : `${doc.title}: ${v === 'y' ? 'yes' : 'no'}`,
        documentation: `${doc.about}${doc.dash ? `\n\n\`-\` is ${doc.dash}` : ''}`,
        edit: { range, newText: v },
        sortText: String(i),
      }));
    case 'wakeup':
    case 'maxproc':
      return [{ label: '-', kind: 'EnumMember', detail: `${doc.title}: default`, documentation: `${doc.about}\n\n\`-\` is ${doc.dash}`, edit: { range, newText: '-' } }];
    case 'command':
      return Object.keys(COMMAND_TEXTS).filter((c) => c !== 'master').map((c) => ({
        label: c, kind: 'Function', documentation: COMMAND_TEXTS[c], edit: { range, newText: c },
      }));
    default:
      return [];
  }
}
