// One Postfix instance as the editor features see it: the main.cf and master.cf of one
// directory (stack/postfixInstance.ts), their trees, where each parameter is set, the
// values in effect and postconf's naming rules. Built once per pair of analyses and
// version, then shared by hover, completion, navigation, rename and semantic tokens.

import type { FeatureContext } from '../types';
import type { WorkspaceDocument } from '../../stack/workspace';
import { postfixInstanceOf } from '../../stack/postfixInstance';
import type { MainCfTree, MasterCfTree, Parameter, Service, ServiceOption, Value } from '../../postfix/tree';
import { NameRules, type MasterService, type NameVerdict } from '../../postfix/nameRules';
import { expandValue, type Resolved } from './expand';
import {
  compareVersions, getParameter, getServiceSuffix, LATEST_VERSION, matchServiceSuffix, type Deprecation, type ParameterInfo,
} from '../../postfix/catalogue';

/** The version the catalogue questions are asked for: "latest" means the newest series we know. */
export function effectiveVersion(setting: string | undefined): string {
  return !setting || setting === 'latest' ? LATEST_VERSION : setting;
}

/** The deprecation of a parameter as far as `version` is concerned (a later deprecation does not count yet). */
export function deprecationIn(info: ParameterInfo | undefined, version: string): Deprecation | undefined {
  const d = info?.deprecated;
  if (!d) return undefined;
  if (d.since && compareVersions(version, d.since) < 0) return undefined;
  return d;
}

export interface MainFile {
  doc: WorkspaceDocument;
  tree: MainCfTree;
}

export interface MasterFile {
  doc: WorkspaceDocument;
  tree: MasterCfTree;
}

/** A master.cf service with its `-o` overrides indexed by name. */
export interface ServiceEntry {
  node: Service;
  /** The shape nameRules.ts needs. */
  model: MasterService;
  /** name → the `-o` options setting it, in order (the last one wins). */
  overrides: Map<string, ServiceOption[]>;
  /** First word of the command field, "" when missing. */
  command: string;
}

/** Where a value used for expansion came from. */
export type ValueSource =
  | { kind: 'override'; service: ServiceEntry; option: ServiceOption }
  | { kind: 'main'; parameter: Parameter }
  | { kind: 'default' }
  /** A `<service><suffix>` name left unset: the global parameter's value applies. */
  | { kind: 'serviceDefault'; from: string }
  /** Computed by Postfix at run time (myhostname, mynetworks …). */
  | { kind: 'computed' }
  /** `$service_name` / `$process_name` inside a master.cf service: known from the entry. */
  | { kind: 'serviceField' }
  | { kind: 'undefined' };

export interface ValueLookup {
  /** The raw (unexpanded) value; undefined for computed and undefined names. */
  text?: string;
  source: ValueSource;
}

export class PostfixConfig {
  /** main.cf name → every line that sets it, in file order (the last one wins). */
  readonly definitions = new Map<string, Parameter[]>();
  /** main.cf name → value in effect (last assignment). */
  readonly mainValues = new Map<string, string>();
  readonly services: ServiceEntry[] = [];
  readonly rules: NameRules;
  /** Names listed in main.cf's smtpd_restriction_classes (after $expansion of the list). */
  readonly restrictionClasses = new Set<string>();
  private readonly byNode = new Map<Service, ServiceEntry>();

  constructor(readonly version: string, readonly main?: MainFile, readonly master?: MasterFile) {
    for (const p of main?.tree.parameters ?? []) {
      const list = this.definitions.get(p.name.text);
      if (list) list.push(p);
      else this.definitions.set(p.name.text, [p]);
      this.mainValues.set(p.name.text, p.value.text);
    }
    for (const node of master?.tree.services ?? []) {
      const overrides = new Map<string, ServiceOption[]>();
      const values = new Map<string, string>();
      for (const o of node.options) {
        const list = overrides.get(o.name.text);
        if (list) list.push(o);
        else overrides.set(o.name.text, [o]);
        values.set(o.name.text, o.value.text);
      }
      const command = node.command?.text ?? '';
      const entry: ServiceEntry = { node, model: { name: node.name.text, command, overrides: values }, overrides, command };
      this.services.push(entry);
      this.byNode.set(node, entry);
    }
    this.rules = new NameRules({ main: this.mainValues, services: this.services.map((s) => s.model), version });
    for (const p of main?.tree.parameters ?? []) {
      if (p.name.text !== 'smtpd_restriction_classes') continue;
      const expanded = expandValue(p.value.text, (n) => this.resolve(n), { self: p.name.text, limit: 10000 }).text;
      for (const word of expanded.split(/[\s,]+/)) if (word) this.restrictionClasses.add(word);
    }
  }

  serviceOf(node: Service): ServiceEntry | undefined {
    return this.byNode.get(node);
  }

  /** The services whose first field is `name` (a name may be used by an inet and a unix entry). */
  servicesNamed(name: string): ServiceEntry[] {
    return this.services.filter((s) => s.node.name.text === name);
  }

  /** The main.cf line whose value is in effect for `name`. */
  effectiveDefinition(name: string): Parameter | undefined {
    const defs = this.definitions.get(name);
    return defs ? defs[defs.length - 1] : undefined;
  }

  /** The `-o` of `service` in effect for `name`. */
  effectiveOverride(service: ServiceEntry, name: string): ServiceOption | undefined {
    const list = service.overrides.get(name);
    return list ? list[list.length - 1] : undefined;
  }

  /** postconf's verdict on a main.cf name (built-in, service parameter, user-defined …). */
  verdictForMain(name: string): NameVerdict {
    return this.rules.checkMainName(name);
  }

  verdictForOverride(name: string, service: ServiceEntry): NameVerdict {
    return this.rules.checkServiceOverride(name, service.model);
  }

  /** The service a `<service><suffix>` name belongs to, with its suffix. */
  serviceParameter(name: string): { service: ServiceEntry; suffix: string } | undefined {
    for (const s of this.services) {
      const suffix = matchServiceSuffix(name, s.node.name.text, s.command);
      if (suffix) return { service: s, suffix };
    }
    return undefined;
  }

  /**
   * The raw value of `name` as Postfix would look it up: the service's own `-o` first (when
   * `service` is given), then main.cf, then the built-in default.
   */
  lookup(name: string, service?: ServiceEntry): ValueLookup {
    if (service) {
      const o = this.effectiveOverride(service, name);
      if (o) return { text: o.value.text, source: { kind: 'override', service, option: o } };
      if (name === 'service_name') return { text: service.node.name.text, source: { kind: 'serviceField' } };
      if (name === 'process_name' && service.command) return { text: service.command, source: { kind: 'serviceField' } };
    }
    const p = this.effectiveDefinition(name);
    if (p) return { text: p.value.text, source: { kind: 'main', parameter: p } };
    const info = getParameter(name);
    if (info) {
      if (info.default === null || info.computedDefault) return { source: { kind: 'computed' } };
      return { text: info.default, source: { kind: 'default' } };
    }
    const sp = this.serviceParameter(name);
    if (sp) {
      const from = getServiceSuffix(sp.suffix)?.defaultFrom;
      if (from) return { text: `$${from}`, source: { kind: 'serviceDefault', from } };
    }
    return { source: { kind: 'undefined' } };
  }

  /** lookup() in the shape expand.ts wants. */
  resolve(name: string, service?: ServiceEntry): Resolved {
    const r = this.lookup(name, service);
    if (r.text !== undefined) return { kind: 'value', text: r.text };
    return r.source.kind === 'computed' ? { kind: 'computed' } : { kind: 'undefined' };
  }
}

export function mainTreeOf(doc: WorkspaceDocument | undefined): MainCfTree | undefined {
  const tree = doc?.analysis.parse.tree as MainCfTree | undefined;
  return tree && tree.kind === 'postfix-main' ? tree : undefined;
}

export function masterTreeOf(doc: WorkspaceDocument | undefined): MasterCfTree | undefined {
  const tree = doc?.analysis.parse.tree as MasterCfTree | undefined;
  return tree && tree.kind === 'postfix-master' ? tree : undefined;
}

interface CacheEntry {
  partner: object | undefined;
  version: string;
  config: PostfixConfig;
}

/** Keyed by the analysis of the document asked about; an edit makes a new analysis object. */
const cache = new WeakMap<object, CacheEntry>();

/** The instance `ctx.doc` belongs to, built once per pair of analyses and version. */
export function configOf(ctx: FeatureContext): PostfixConfig {
  const instance = postfixInstanceOf(ctx.workspace, ctx.doc);
  // The document asked about wins over a stale copy in the workspace model.
  const mainDoc = ctx.doc.kind === 'postfix-main' ? ctx.doc : instance.main;
  const masterDoc = ctx.doc.kind === 'postfix-master' ? ctx.doc : instance.master;
  const version = effectiveVersion(ctx.settings?.postfixVersion);
  const key = ctx.doc.analysis;
  const partnerDoc = ctx.doc === mainDoc ? masterDoc : mainDoc;
  const partner = partnerDoc?.analysis;
  const hit = cache.get(key);
  if (hit && hit.partner === partner && hit.version === version) return hit.config;
  const mainTree = mainTreeOf(mainDoc);
  const masterTree = masterTreeOf(masterDoc);
  const config = new PostfixConfig(
    version,
    mainDoc && mainTree ? { doc: mainDoc, tree: mainTree } : undefined,
    masterDoc && masterTree ? { doc: masterDoc, tree: masterTree } : undefined,
  );
  cache.set(key, { partner, version, config });
  return config;
}

/** Where the value of a parameter was written: a main.cf line or a service's `-o`. */
export interface ValueOwner {
  /** The parameter whose value it is. */
  name: string;
  value: Value;
  /** Set for a master.cf `-o` value. */
  service?: ServiceEntry;
}
