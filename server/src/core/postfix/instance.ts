// One Postfix instance: the main.cf and master.cf of one directory
// (stack/postfixInstance.ts), where each parameter is set, the values in effect, the
// master.cf services with their `-o` overrides, and postconf's naming rules (nameRules.ts)
// over both. Built once per pair of analyses and version, then shared by the semantic
// checks (postfix/checks/) and the editor features (features/postfix/).
//
// The two readers want two views of master.cf, so the model has both:
//   masterServices  every entry of the user's master.cf as written (incomplete ones too),
//                   none without a master.cf: what the editor shows and navigates;
//   services        the services in effect: master.cf's complete entries, or Debian's
//                   default master.cf when the workspace has none beside the main.cf
//                   (`masterAssumed`): what Postfix would run, for checks and name rules.

import type { AnalysisContext } from '../context';
import type { WorkspaceDocument } from '../stack/workspace';
import { postfixInstanceOf, uriBasename } from '../stack/postfixInstance';
import {
  compareVersions, getParameter, getServiceSuffix, LATEST_VERSION, matchServiceSuffix,
} from './catalogue';
import { NameRules, type MasterService, type NameVerdict } from './nameRules';
import type { MainCfTree, MasterCfTree, Parameter, Service, ServiceOption, Value } from './tree';
import { debianDefaultMasterTree } from './debianMaster';
import { expandValue, splitList, type Expansion, type Resolved } from './expand';

// ------------------------------------------------------------------ versions

/**
 * The catalogue version questions are asked for: the setting when it is a version ("3.7",
 * "3.7.11"); "latest", nothing or anything unparseable means the newest series we know.
 * A bare series such as "3.7" stands for its newest patch level (catalogue.ts counts the
 * series' back-ports as present).
 */
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

// ------------------------------------------------------------------ shapes

export interface MainFile {
  doc: WorkspaceDocument;
  tree: MainCfTree;
}

export interface MasterFile {
  doc: WorkspaceDocument;
  tree: MasterCfTree;
}

/** A master.cf service with its `-o` settings indexed by name. */
export interface ServiceEntry {
  node: Service;
  /** Field 1, the service name. */
  name: string;
  /** Field 2 (inet, unix …), "" when missing. */
  type: string;
  /** First word of the command field, "" when missing. */
  command: string;
  /** name → value of its `-o` settings (the last one of a name wins). */
  overrides: Map<string, string>;
  /** name → the `-o` options setting it, in order (the last one wins). */
  options: Map<string, ServiceOption[]>;
  /** The shape nameRules.ts needs. */
  model: MasterService;
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

/** Where the value of a parameter was written: a main.cf line or a service's `-o`. */
export interface ValueOwner {
  /** The parameter whose value it is. */
  name: string;
  value: Value;
  /** Set for a master.cf `-o` value. */
  service?: ServiceEntry;
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

/** An entry Postfix can run: all 8 fields are there. */
function isComplete(s: ServiceEntry): boolean {
  return s.type !== '' && s.command !== '';
}

let debianServices: ServiceEntry[] | undefined;

/** The services of Debian's default master.cf (built once, shared by every model). */
export function debianDefaultServices(): readonly ServiceEntry[] {
  debianServices ??= debianDefaultMasterTree().services.map(serviceEntry).filter(isComplete);
  return debianServices;
}

const REQUIRED_SERVICES = ['cleanup', 'qmgr'];

/** Output limit of expandExact: far beyond real values, yet bounded. */
const EXACT_LIMIT = 1_000_000;

// ------------------------------------------------------------------ the model

export class PostfixModel {
  /** main.cf name → every line that sets it, in file order (the last one wins). */
  readonly definitions = new Map<string, Parameter[]>();
  /** main.cf name → value in effect (the last assignment wins, as in Postfix). */
  readonly mainValues = new Map<string, string>();
  /** Every entry of the user's master.cf, in file order (incomplete ones too); none without a master.cf. */
  readonly masterServices: ServiceEntry[] = [];
  /** The services in effect: master.cf's complete entries, or Debian's defaults when `masterAssumed`. */
  readonly services: readonly ServiceEntry[];
  /** No master.cf beside the main.cf in the workspace: Debian's default services are assumed. */
  readonly masterAssumed: boolean;
  /**
   * The master.cf has none of the services every Postfix needs (cleanup, qmgr): it is a
   * fragment to be appended to the distribution's file (iRedMail ships one). Checks for a
   * missing service then also accept Debian's default services.
   */
  readonly masterIsFragment: boolean;
  readonly rules: NameRules;
  /** Names listed in main.cf's smtpd_restriction_classes (its value in effect, expanded). */
  readonly restrictionClasses: Set<string>;
  private readonly byNode = new Map<Service, ServiceEntry>();

  /**
   * `version` is the catalogue version (effectiveVersion()); `versionPinned` is true when
   * the user asked for a specific version rather than "latest".
   */
  constructor(readonly version: string, readonly versionPinned: boolean, readonly main?: MainFile, readonly master?: MasterFile) {
    for (const p of main?.tree.parameters ?? []) {
      const list = this.definitions.get(p.name.text);
      if (list) list.push(p);
      else this.definitions.set(p.name.text, [p]);
      this.mainValues.set(p.name.text, p.value.text);
    }
    for (const node of master?.tree.services ?? []) {
      const entry = serviceEntry(node);
      this.masterServices.push(entry);
      this.byNode.set(node, entry);
    }
    this.masterAssumed = master === undefined;
    this.services = master ? this.masterServices.filter(isComplete) : debianDefaultServices();
    this.masterIsFragment = master !== undefined && !REQUIRED_SERVICES.every((n) => this.services.some((s) => s.name === n));
    this.rules = new NameRules({ main: this.mainValues, services: this.services.map((s) => s.model), version });
    this.restrictionClasses = this.classesListed();
  }

  /** The entry of a master.cf service node. */
  serviceOf(node: Service): ServiceEntry | undefined {
    return this.byNode.get(node);
  }

  /** The master.cf entries whose first field is `name` (a name may be used by an inet and a unix entry). */
  servicesNamed(name: string): ServiceEntry[] {
    return this.masterServices.filter((s) => s.name === name);
  }

  /**
   * True when a unix service `name` is in effect (a transport or a policy service can be
   * reached). A master.cf fragment also counts on Debian's default services.
   */
  hasUnixService(name: string): boolean {
    const match = (s: ServiceEntry) => s.name === name && (s.type === 'unix' || s.type === '');
    return this.services.some(match) || (this.masterIsFragment && debianDefaultServices().some(match));
  }

  /** The main.cf line whose value is in effect for `name`. */
  effectiveDefinition(name: string): Parameter | undefined {
    const defs = this.definitions.get(name);
    return defs ? defs[defs.length - 1] : undefined;
  }

  /** The `-o` of `service` in effect for `name`. */
  effectiveOverride(service: ServiceEntry, name: string): ServiceOption | undefined {
    const list = service.options.get(name);
    return list ? list[list.length - 1] : undefined;
  }

  /** postconf's verdict on a main.cf name (built-in, service parameter, user-defined …). */
  verdictForMain(name: string): NameVerdict {
    return this.rules.checkMainName(name);
  }

  verdictForOverride(name: string, service: ServiceEntry): NameVerdict {
    return this.rules.checkServiceOverride(name, service.model);
  }

  /** The service in effect a `<service><suffix>` name belongs to, with its suffix. */
  serviceParameter(name: string): { service: ServiceEntry; suffix: string } | undefined {
    for (const s of this.services) {
      const suffix = matchServiceSuffix(name, s.name, s.command);
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
      if (name === 'service_name') return { text: service.name, source: { kind: 'serviceField' } };
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

  /**
   * The raw value of `name` in effect (inside `service` when given). Undefined when unknown:
   * not set, no default, or computed at run time.
   */
  valueInEffect(name: string, service?: ServiceEntry): string | undefined {
    return this.lookup(name, service).text;
  }

  /** lookup() in the shape expand.ts wants. */
  resolve(name: string, service?: ServiceEntry): Resolved {
    const r = this.lookup(name, service);
    if (r.text !== undefined) return { kind: 'value', text: r.text };
    return r.source.kind === 'computed' ? { kind: 'computed' } : { kind: 'undefined' };
  }

  /** `value` expanded for display (hover): unresolvable parts stay as written, long output is cut. */
  expand(value: string, service?: ServiceEntry, options: { self?: string; limit?: number } = {}): Expansion {
    return expandValue(value, (n) => this.resolve(n, service), options);
  }

  /**
   * `value` with every `$reference` expanded as Postfix would, inside `service` when given.
   * Undefined when that cannot be known (a run-time value, an undefined name, a loop, a
   * malformed or unsupported macro): a check must then skip the value rather than guess.
   */
  expandExact(value: string, service?: ServiceEntry): string | undefined {
    if (!value.includes('$')) return value;
    const e = this.expand(value, service, { limit: EXACT_LIMIT });
    return e.exact ? e.text : undefined;
  }

  /** The restriction classes listed in smtpd_restriction_classes as in effect for `service` (main.cf's without). */
  restrictionClassesFor(service?: ServiceEntry): Set<string> {
    return service?.overrides.has('smtpd_restriction_classes') ? this.classesListed(service) : this.restrictionClasses;
  }

  /** The words of smtpd_restriction_classes, expanded when that is exact (as written otherwise). */
  private classesListed(service?: ServiceEntry): Set<string> {
    const raw = this.valueInEffect('smtpd_restriction_classes', service) ?? '';
    return new Set(splitList(this.expandExact(raw, service) ?? raw));
  }
}

// ------------------------------------------------------------------ cache

export function mainTreeOf(doc: WorkspaceDocument | undefined): MainCfTree | undefined {
  const tree = doc?.analysis.parse.tree as MainCfTree | undefined;
  return tree && tree.kind === 'postfix-main' ? tree : undefined;
}

export function masterTreeOf(doc: WorkspaceDocument | undefined): MasterCfTree | undefined {
  const tree = doc?.analysis.parse.tree as MasterCfTree | undefined;
  return tree && tree.kind === 'postfix-master' ? tree : undefined;
}

interface CacheEntry {
  main?: object;
  master?: object;
  version: string;
  pinned: boolean;
  model: PostfixModel;
}

/** The last few models; an edit makes a new analysis object, so a stale model is never hit. */
const cache: CacheEntry[] = [];
const CACHE_SIZE = 8;

/** The model of the instance `ctx.doc` belongs to. */
export function postfixModel(ctx: AnalysisContext): PostfixModel {
  const instance = postfixInstanceOf(ctx.workspace, ctx.doc);
  const mainDoc = instance.main;
  const masterDoc = instance.master;
  const setting = ctx.settings?.postfixVersion;
  const version = effectiveVersion(setting);
  const pinned = setting === version;
  const hit = cache.find((c) => c.main === mainDoc?.analysis && c.master === masterDoc?.analysis && c.version === version && c.pinned === pinned);
  if (hit) return hit.model;
  const mainTree = mainTreeOf(mainDoc);
  const masterTree = masterTreeOf(masterDoc);
  const model = new PostfixModel(
    version,
    pinned,
    mainDoc && mainTree ? { doc: mainDoc, tree: mainTree } : undefined,
    masterDoc && masterTree ? { doc: masterDoc, tree: masterTree } : undefined,
  );
  cache.unshift({ main: mainDoc?.analysis, master: masterDoc?.analysis, version, pinned, model });
  if (cache.length > CACHE_SIZE) cache.pop();
  return model;
}
