// One Postfix instance as the semantic checks see it: the main.cf and master.cf of one
// directory (stack/postfixInstance.ts), the values in effect, the master.cf services, and
// postconf's naming rules (nameRules.ts) over both. When the workspace has no master.cf
// beside a main.cf, Debian's default master.cf stands in (and findings that depend on it
// say so). Built once per pair of analyses and version, then shared by every checker.

import type { AnalysisContext } from '../../context';
import type { WorkspaceDocument } from '../../stack/workspace';
import { postfixInstanceOf, uriBasename } from '../../stack/postfixInstance';
import { compareVersions, getParameter, LATEST_VERSION } from '../catalogue';
import { NameRules, type MasterService } from '../nameRules';
import type { MainCfTree, MasterCfTree, Parameter, Service, ServiceOption } from '../tree';
import { debianDefaultMasterTree } from './debianMaster';

/** A master.cf service with what the checks ask of it. */
export interface ServiceEntry {
  node: Service;
  name: string;
  /** Field 2 (inet, unix …), "" when missing. */
  type: string;
  /** First word of the command field, "" when missing. */
  command: string;
  /** name → value of its `-o` settings (the last one of a name wins). */
  overrides: Map<string, string>;
  /** name → the `-o` options setting it, in order. */
  options: Map<string, ServiceOption[]>;
  /** The shape nameRules.ts needs. */
  model: MasterService;
}

export interface PostfixModel {
  /** The catalogue version the checks use ("3.7", "3.7.11" or the newest series for "latest"). */
  version: string;
  /** True when the user asked for a specific version (not "latest"). */
  versionPinned: boolean;
  main?: WorkspaceDocument;
  mainTree?: MainCfTree;
  master?: WorkspaceDocument;
  /** The services in effect: master.cf's, or Debian's defaults when `masterAssumed`. */
  services: ServiceEntry[];
  /** No master.cf beside the main.cf in the workspace: Debian's default services are assumed. */
  masterAssumed: boolean;
  /**
   * The master.cf has none of the services every Postfix needs (cleanup, qmgr): it is a
   * fragment to be appended to the distribution's file (iRedMail ships one). Checks for a
   * missing service then also accept Debian's default services.
   */
  masterIsFragment: boolean;
  /** main.cf name → value in effect (the last assignment wins, as in Postfix). */
  mainValues: Map<string, string>;
  /** main.cf name → every definition, in file order. */
  definitions: Map<string, Parameter[]>;
  rules: NameRules;
}

/** The version the catalogue questions are asked for: "latest" (or nonsense) means the newest series we know. */
export function effectiveVersion(setting: string | undefined): string {
  return setting && /^\d+\.\d+(\.\d+)?$/.test(setting) ? setting : LATEST_VERSION;
}

/** Versions compare by release series unless a patch level is given: "3.8" is newer than "3.7.11". */
export function isNewerThan(since: string | undefined, version: string): boolean {
  return since !== undefined && compareVersions(since, version) > 0 && compareVersions(since.split('.').slice(0, 2).join('.'), version) > 0;
}

/**
 * True for documents the main.cf checks apply to. Editors give every `*.cf` under a
 * postfix directory the main.cf language, but `mysql-virtual.cf` or `ldap-aliases.cf`
 * are database client settings with names of their own (hosts, query …), not main.cf.
 */
export function isMainCfDocument(doc: WorkspaceDocument): boolean {
  if (doc.kind !== 'postfix-main') return false;
  const base = uriBasename(doc.uri).toLowerCase();
  return !base.endsWith('.cf') || /(^|[^a-z])main([^a-z]|$)/.test(base);
}

function serviceEntry(node: Service): ServiceEntry {
  const overrides = new Map<string, string>();
  const options = new Map<string, ServiceOption[]>();
  for (const o of node.options) {
    overrides.set(o.name.text, o.value.text);
    const list = options.get(o.name.text);
    if (list) list.push(o);
    else options.set(o.name.text, [o]);
  }
  const name = node.name.text;
  const command = node.command?.text ?? '';
  return { node, name, type: node.type?.text ?? '', command, overrides, options, model: { name, command, overrides } };
}

const REQUIRED_SERVICES = ['cleanup', 'qmgr'];

interface CacheEntry {
  main?: object;
  master?: object;
  version: string;
  model: PostfixModel;
}
const cache: CacheEntry[] = [];
const CACHE_SIZE = 8;

/** The model of the instance `ctx.doc` belongs to. */
export function postfixModel(ctx: AnalysisContext): PostfixModel {
  const instance = postfixInstanceOf(ctx.workspace, ctx.doc);
  const main = instance.main && isMainCfDocument(instance.main) ? instance.main : undefined;
  const master = instance.master;
  const version = effectiveVersion(ctx.settings.postfixVersion);
  const hit = cache.find((c) => c.main === main?.analysis && c.master === master?.analysis && c.version === version);
  if (hit) return hit.model;
  const model = buildModel(main, master, version, ctx.settings.postfixVersion === version);
  cache.unshift({ main: main?.analysis, master: master?.analysis, version, model });
  if (cache.length > CACHE_SIZE) cache.pop();
  return model;
}

function buildModel(main: WorkspaceDocument | undefined, master: WorkspaceDocument | undefined, version: string, pinned: boolean): PostfixModel {
  const mainTree = main?.analysis.parse.tree as MainCfTree | undefined;
  const masterTree = master?.analysis.parse.tree as MasterCfTree | undefined;
  const definitions = new Map<string, Parameter[]>();
  const mainValues = new Map<string, string>();
  for (const p of mainTree?.parameters ?? []) {
    mainValues.set(p.name.text, p.value.text);
    const list = definitions.get(p.name.text);
    if (list) list.push(p);
    else definitions.set(p.name.text, [p]);
  }
  const services = (masterTree ?? debianDefaultMasterTree()).services.filter((s) => s.type && s.command).map(serviceEntry);
  const masterIsFragment = masterTree !== undefined && !REQUIRED_SERVICES.every((n) => services.some((s) => s.name === n));
  const rules = new NameRules({ main: mainValues, services: services.map((s) => s.model), version });
  return {
    version,
    versionPinned: pinned,
    main,
    mainTree,
    master,
    services,
    masterAssumed: masterTree === undefined,
    masterIsFragment,
    mainValues,
    definitions,
    rules,
  };
}

/** "Postfix 3.7" for a pinned version, "current Postfix releases" otherwise. */
export function versionLabel(model: PostfixModel): string {
  return model.versionPinned ? `Postfix ${model.version}` : 'current Postfix releases';
}

/** What messages add when the services are Debian's defaults rather than the user's master.cf. */
export function assumedMasterNote(model: PostfixModel): string {
  return model.masterAssumed
    ? ' (There is no master.cf beside this main.cf in the workspace, so mailconf assumed Debian\'s default master.cf.)'
    : '';
}

// ------------------------------------------------------------------ values in effect

/**
 * The value of `name` in effect for the instance (inside service `service` when given):
 * the service's `-o`, then main.cf, then the built-in default. Undefined when unknown
 * (not set, no default, or computed at run time).
 */
export function valueInEffect(model: PostfixModel, name: string, service?: ServiceEntry): string | undefined {
  const local = service?.overrides.get(name);
  if (local !== undefined) return local;
  const v = model.mainValues.get(name);
  if (v !== undefined) return v;
  const info = getParameter(name);
  return info?.default ?? undefined;
}

/**
 * `value` with its `$name`, `${name}` and `$(name)` references replaced by their values in
 * effect, recursively; `${name?text}` and `${name:text}` are evaluated. Undefined when a
 * reference cannot be resolved (unknown name, a run-time value, `${{…} == {…} ? …}`
 * expressions, or nesting deeper than Postfix would go): a check must then skip the value.
 */
export function expandValue(model: PostfixModel, value: string, service?: ServiceEntry, depth = 0): string | undefined {
  if (depth > 20) return undefined;
  if (!value.includes('$')) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const c = value[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = value[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{' || next === '(') {
      const close = matching(value, i + 1);
      if (close < 0) return undefined;
      const inner = value.slice(i + 2, close);
      const m = /^([A-Za-z0-9_]+)(?:([?:])(.*))?$/s.exec(inner);
      if (!m) return undefined;
      const resolved = resolveName(model, m[1], service, depth);
      if (resolved === undefined) return undefined;
      if (m[2] === undefined) out += resolved;
      else {
        const text = m[3];
        if (text.startsWith('{')) return undefined; // ${name?{a}:{b}}: rare in values we check
        const chosen = (m[2] === '?') === (resolved !== '') ? text : '';
        const expanded = expandValue(model, chosen, service, depth + 1);
        if (expanded === undefined) return undefined;
        out += expanded;
      }
      i = close + 1;
      continue;
    }
    let j = i + 1;
    while (j < value.length && /[A-Za-z0-9_]/.test(value[j])) j++;
    if (j === i + 1) return undefined;
    const resolved = resolveName(model, value.slice(i + 1, j), service, depth);
    if (resolved === undefined) return undefined;
    out += resolved;
    i = j;
  }
  return out;
}

function resolveName(model: PostfixModel, name: string, service: ServiceEntry | undefined, depth: number): string | undefined {
  const raw = valueInEffect(model, name, service);
  return raw === undefined ? undefined : expandValue(model, raw, service, depth + 1);
}

/** Index of the bracket closing the one at `open` (only that bracket type counts, as in Postfix), or -1. */
function matching(text: string, open: number): number {
  const o = text[open];
  const c = o === '{' ? '}' : ')';
  let level = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === o) level++;
    else if (text[i] === c && --level === 0) return i;
  }
  return -1;
}

/**
 * True when text holds a template expression (`{{ var }}`, `{% … %}`): the file is a
 * Jinja/Ansible/Salt template and the value is known only once it is rendered.
 */
export function hasTemplateExpression(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

/** Splits a list the way Postfix does: blanks and commas separate, `{…}` stays whole. */
export function splitList(value: string): string[] {
  const words: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of value) {
    if (ch === '{') depth++;
    else if (ch === '}' && depth > 0) depth--;
    if (depth === 0 && (ch === ',' || ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r')) {
      if (cur) words.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) words.push(cur);
  return words;
}

/** The restriction classes listed in smtpd_restriction_classes (as in effect for `service`). */
export function restrictionClasses(model: PostfixModel, service?: ServiceEntry): Set<string> {
  const raw = valueInEffect(model, 'smtpd_restriction_classes', service) ?? '';
  const expanded = expandValue(model, raw, service) ?? raw;
  return new Set(splitList(expanded));
}
