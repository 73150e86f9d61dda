// Postfix's rules for main.cf and master.cf "-o" names that are not built-in parameters,
// as `postconf` applies them when it decides what to report as "unused parameter" or
// "undefined parameter" (postconf_service.c, postconf_user.c, postconf_dbms.c and
// postconf_unused.c upstream; the behaviour is checked against the real postconf in
// test/unit/postfix/catalogue.test.ts). A name is valid when it is
//
//   1. a built-in parameter of the Postfix version (catalogue.ts), including migration
//      aliases such as virtual_maps;
//   2. "<service><suffix>" for a master.cf service whose command is smtp, lmtp, local,
//      virtual, error, pipe or spawn (policyd-spf_time_limit needs a policyd-spf service
//      running spawn or pipe);
//   3. set (name = value) and listed in smtpd_restriction_classes;
//   4. set and referenced as $name, ${name}, $(name) or ${name?…}/${name:…} in the value of
//      any main.cf or master.cf setting, or in the default of a built-in parameter that is
//      left at its default (values of "raw" parameters such as smtpd_expansion_filter are
//      not expanded and so not scanned);
//   5. set and "<table>_<suffix>" for an old-style database client reference such as
//      "ldap:mytable" (mytable_server_host) in the value of a built-in or service parameter.
//
// Pure: it works on name → value maps that the caller builds from the parsed files.

import {
  allParameterNames, BASELINE_VERSION, compareVersions, getParameter, getTableType, isKnownParameter, parameterAvailability,
  serviceParameterNames, type ParameterAvailability,
} from './catalogue';
import { expandValue, splitList, type Resolved } from './expand';
import { isNameChar } from './valueParser';

/** One master.cf entry, as far as the naming rules need it. */
export interface MasterService {
  /** First field: "smtp", "policyd-spf", "127.0.0.1:10025" … */
  name: string;
  /** First word of the command field (field 8): "smtpd", "spawn", "pipe" … */
  command: string;
  /** The entry's "-o name=value" settings. */
  overrides?: ReadonlyMap<string, string>;
}

export interface ConfigModel {
  /** main.cf settings, name → value (the last assignment of a name wins, as in Postfix). */
  main: ReadonlyMap<string, string>;
  services?: readonly MasterService[];
  /** The Postfix version the files are for (default: the catalogue's baseline). */
  version?: string;
}

export type NameVerdict =
  /** A built-in parameter of the version. */
  | { valid: true; reason: 'builtin' }
  /** A migration alias that postconf still accepts (virtual_maps, fallback_relay …). */
  | { valid: true; reason: 'legacy' }
  | { valid: true; reason: 'service'; service: string }
  | { valid: true; reason: 'restrictionClass' }
  | { valid: true; reason: 'referenced' }
  | { valid: true; reason: 'databaseClient'; table: string }
  /** A built-in parameter that cannot be set (process_id …): postconf drops the setting. */
  | { valid: false; reason: 'readOnly' }
  /** postconf reports it as unused; `availability` says whether another version has it. */
  | { valid: false; reason: 'unused'; availability: ParameterAvailability };

/** Table types whose old main.cf-style settings are "<table name>_<suffix>". */
const CLIENT_TABLE_TYPES = ['ldap', 'mysql', 'pgsql', 'sqlite', 'memcache', 'mongodb'];

/**
 * The names referenced by `$name`, `${name…}` or `$(name…)` anywhere in `value`, nested
 * ones included ("${a?{$b}:{$c}}" references a, b and c). "$$" is a literal dollar.
 */
export function referencedNames(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) !== 36 /* $ */) continue;
    const next = value.charCodeAt(i + 1);
    if (next === 36) {
      i++;
      continue;
    }
    let j = i + 1;
    if (next === 123 /* { */ || next === 40 /* ( */) j++;
    const start = j;
    while (j < value.length && isNameChar(value.charCodeAt(j))) j++;
    if (j > start) out.push(value.slice(start, j));
  }
  return out;
}

/**
 * "ldap:mytable" style references in a value: table name → type. `proxy:` is unwrapped;
 * from Postfix 3.11 on (`wrappers` true) also `debug:`, and the tables inside
 * `pipemap:{…}` / `unionmap:{…}` count (upstream's postconf test77). Older postconf sees
 * "debug" as an unknown type and does not look inside the braces.
 */
function clientTableReferences(value: string, into: Map<string, string>, wrappers: boolean): void {
  for (let word of splitList(value)) {
    if (word.startsWith('{') && word.endsWith('}')) {
      clientTableReferences(word.slice(1, -1), into, wrappers);
      continue;
    }
    let colon: number;
    while ((colon = word.indexOf(':')) > 0 && (word.slice(0, colon) === 'proxy' || (wrappers && word.slice(0, colon) === 'debug'))) {
      word = word.slice(colon + 1);
    }
    colon = word.indexOf(':');
    if (colon <= 0) continue;
    const type = word.slice(0, colon);
    const name = word.slice(colon + 1);
    if (wrappers && (type === 'pipemap' || type === 'unionmap') && name.startsWith('{') && name.endsWith('}')) {
      clientTableReferences(name.slice(1, -1), into, wrappers);
      continue;
    }
    if (!CLIENT_TABLE_TYPES.includes(type) || !name || name[0] === '/' || name[0] === '.' || name[0] === '{') continue;
    into.set(name, type);
  }
}

/** The first release whose postconf unwraps debug: and looks inside pipemap:/unionmap: for client tables. */
const TABLE_WRAPPERS_SINCE = '3.11';

/** Precomputed facts about one configuration, shared by all name checks. */
export class NameRules {
  private readonly version: string;
  private readonly main: ReadonlyMap<string, string>;
  private readonly services: readonly MasterService[];
  /** Names referenced as $name from main.cf values, defaults in effect, and master.cf. */
  private readonly referencedGlobally = new Set<string>();
  /** Per service: names referenced from that service's own -o values. */
  private readonly referencedLocally = new Map<MasterService, Set<string>>();
  private readonly serviceNames = new Map<string, string>();
  private readonly restrictionClasses: string[];
  private readonly clientTables = new Map<string, string>();

  constructor(model: ConfigModel) {
    this.version = model.version ?? BASELINE_VERSION;
    this.main = model.main;
    this.services = model.services ?? [];

    for (const svc of this.services) {
      for (const n of serviceParameterNames(svc.name, svc.command, this.version)) {
        if (!this.serviceNames.has(n)) this.serviceNames.set(n, svc.name);
      }
    }

    const scan = (name: string, value: string, into: Set<string>) => {
      if (getParameter(name)?.cType === 'raw') return; // not expanded by Postfix
      for (const r of referencedNames(value)) into.add(r);
    };
    const wrappers = compareVersions(this.version.split('.').slice(0, 2).join('.'), TABLE_WRAPPERS_SINCE) >= 0;
    const builtinOrService = (name: string) => isKnownParameter(name, this.version) || this.serviceNames.has(name);

    for (const [name, value] of this.main) {
      scan(name, value, this.referencedGlobally);
      if (builtinOrService(name)) clientTableReferences(value, this.clientTables, wrappers);
    }
    // Defaults of built-in parameters left unset may name other parameters ($virtual_maps
    // in virtual_alias_maps): setting those is not "unused".
    for (const name of this.defaultsInEffect()) {
      const def = getParameter(name)?.default;
      if (def) scan(name, def, this.referencedGlobally);
    }
    for (const svc of this.services) {
      const local = new Set<string>();
      for (const [name, value] of svc.overrides ?? []) {
        scan(name, value, local);
        if (builtinOrService(name)) clientTableReferences(value, this.clientTables, wrappers);
      }
      this.referencedLocally.set(svc, local);
      for (const r of local) this.referencedGlobally.add(r);
    }

    const classes = this.main.get('smtpd_restriction_classes') ?? '';
    this.restrictionClasses = splitList(this.expand(classes));
  }

  private *defaultsInEffect(): Iterable<string> {
    for (const name of parameterNamesKnown(this.version)) if (!this.main.has(name)) yield name;
  }

  /** $name expansion with main.cf values and defaults only, enough for smtpd_restriction_classes. */
  private expand(value: string): string {
    return expandValue(value, (n): Resolved => {
      const text = this.main.get(n) ?? getParameter(n)?.default ?? undefined;
      return text === undefined ? { kind: 'undefined' } : { kind: 'value', text };
    }, { limit: 100_000 }).text;
  }

  /** Is the main.cf setting `name` one that Postfix uses? */
  checkMainName(name: string): NameVerdict {
    const builtin = this.builtin(name);
    if (builtin) return builtin;
    if (this.serviceNames.has(name)) return { valid: true, reason: 'service', service: this.serviceNames.get(name)! };
    if (this.main.has(name)) {
      if (this.restrictionClasses.includes(name)) return { valid: true, reason: 'restrictionClass' };
      if (this.referencedGlobally.has(name)) return { valid: true, reason: 'referenced' };
      const table = this.databaseClientTable(name);
      if (table) return { valid: true, reason: 'databaseClient', table };
    }
    return { valid: false, reason: 'unused', availability: parameterAvailability(name, this.version) };
  }

  /** Is the "-o name=value" of master.cf entry `service` one that Postfix uses? */
  checkServiceOverride(name: string, service: MasterService): NameVerdict {
    const builtin = this.builtin(name);
    if (builtin) return builtin;
    if (this.serviceNames.has(name)) return { valid: true, reason: 'service', service: this.serviceNames.get(name)! };
    if (service.overrides?.has(name)) {
      // Restriction classes of main.cf may be (re)defined per service.
      if (this.restrictionClasses.includes(name) && this.main.has(name)) return { valid: true, reason: 'restrictionClass' };
      const localClasses = service.overrides.get('smtpd_restriction_classes');
      if (localClasses !== undefined && splitList(localClasses).includes(name)) return { valid: true, reason: 'restrictionClass' };
      if (this.referencedLocally.get(service)?.has(name) || this.referencedFromMain(name)) return { valid: true, reason: 'referenced' };
      const table = this.databaseClientTable(name);
      if (table) return { valid: true, reason: 'databaseClient', table };
    }
    return { valid: false, reason: 'unused', availability: parameterAvailability(name, this.version) };
  }

  /**
   * Names used as $name (in main.cf or master.cf values) or listed in
   * smtpd_restriction_classes that nothing defines: postconf's "undefined parameter".
   */
  undefinedReferences(): string[] {
    const out = new Set<string>();
    const defined = (n: string, local?: ReadonlyMap<string, string>) => this.isDefined(n, local);
    const check = (name: string, value: string, local?: ReadonlyMap<string, string>) => {
      if (getParameter(name)?.cType === 'raw') return;
      for (const r of referencedNames(value)) if (!defined(r, local)) out.add(r);
    };
    for (const [n, v] of this.main) check(n, v);
    for (const svc of this.services) for (const [n, v] of svc.overrides ?? []) check(n, v, svc.overrides);
    for (const c of this.restrictionClasses) if (!defined(c)) out.add(c);
    return [...out].sort();
  }

  /**
   * Whether a `$name` reference (from main.cf, or from the `-o` values `local` of one
   * master.cf entry) finds a value: a built-in or service parameter, a main.cf setting, or
   * an `-o` setting of any service (postconf does not ask which one).
   */
  isDefined(name: string, local?: ReadonlyMap<string, string>): boolean {
    return this.main.has(name) || local?.has(name) === true || isKnownParameter(name, this.version) ||
      this.serviceNames.has(name) || this.services.some((s) => s.overrides?.has(name));
  }

  /** The names listed in smtpd_restriction_classes (with $references expanded). */
  get restrictionClassNames(): readonly string[] {
    return this.restrictionClasses;
  }

  private builtin(name: string): NameVerdict | undefined {
    const a = parameterAvailability(name, this.version);
    if (a === 'legacy') return { valid: true, reason: 'legacy' };
    if (a !== 'known') return undefined;
    if (getParameter(name)?.readOnly) return { valid: false, reason: 'readOnly' };
    return { valid: true, reason: 'builtin' };
  }

  private referencedFromMain(name: string): boolean {
    for (const [n, v] of this.main) {
      if (getParameter(n)?.cType === 'raw') continue;
      if (referencedNames(v).includes(name)) return true;
    }
    return false;
  }

  private databaseClientTable(name: string): string | undefined {
    for (const [table, type] of this.clientTables) {
      if (!name.startsWith(table + '_')) continue;
      const suffix = name.slice(table.length + 1);
      if (getTableType(type)?.legacyMainCfSuffixes?.includes(suffix)) return table;
    }
    return undefined;
  }
}

const knownCache = new Map<string, string[]>();
function parameterNamesKnown(version: string): string[] {
  let names = knownCache.get(version);
  if (!names) {
    names = [];
    for (const n of allParameterNames()) if (parameterAvailability(n, version) === 'known') names.push(n);
    knownCache.set(version, names);
  }
  return names;
}
