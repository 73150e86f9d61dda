// The Postfix parameter catalogue: typed, read-only access to the generated data in
// ./data (see scripts/generate-postfix-catalogue.mjs for where every fact comes from) and
// the hand-written descriptions. Pure: no I/O beyond the bundled JSON.
//
// Versions are strings such as "3.7" or "3.7.11". A bare series ("3.7") means the newest
// patch release of that series, so a parameter back-ported to 3.7.9 counts as known in
// "3.7" but not in "3.7.4".

import parameterData from './data/parameters.json';
import serviceData from './data/serviceParameters.json';
import restrictionData from './data/restrictions.json';
import tableData from './data/lookupTables.json';
import descriptionData from './data/descriptions.json';
import { closestMatches, typoBudget } from '../text/editDistance';

export type ParameterKind =
  | 'boolean'
  | 'time'
  | 'integer'
  | 'size'
  | 'enumeration'
  | 'list'
  | 'lookupTables'
  | 'restrictions'
  | 'path'
  | 'hostList'
  | 'domainList'
  | 'transport'
  | 'service'
  | 'string';

export interface Deprecation {
  /** deprecated: still works, superseded; renamed: the new name replaces it; ignored: accepted
   *  but has no effect; obsolete: superseded long ago; removed: no longer accepted. */
  status: 'deprecated' | 'renamed' | 'ignored' | 'obsolete' | 'removed';
  /** The version from which the manual calls it deprecated (or renamed, ignored …). */
  since?: string;
  /** The parameter to use instead. */
  replacement?: string;
  /** From this version on, `postconf` itself warns about the setting. */
  postconfWarnsSince?: string;
}

export interface ParameterInfo {
  name: string;
  /** The default as `postconf -d` of the baseline release prints it (unexpanded), or the
   *  upstream default for parameters the baseline does not have; null when computed at
   *  run time (myhostname, mynetworks, process_id …). */
  default: string | null;
  /** The upstream default of the newest release when it differs from `default`. */
  defaultLatest?: string;
  computedDefault?: true;
  kind: ParameterKind;
  /** Time parameters: the unit of a bare number ("s", "m", "h", "d", "w"). */
  unit?: string;
  /** Numeric and time parameters: bounds Postfix enforces (absent: none). */
  min?: number;
  max?: number;
  /** Enumerations: the accepted words; `multiple` allows several, `empty` the empty value,
   *  `tablesAllowed` type:table entries besides the words. */
  values?: string[];
  multiple?: true;
  empty?: true;
  tablesAllowed?: true;
  /** Enumeration values added after the parameter itself. */
  valueSince?: Record<string, string>;
  /** What one element of a list (or the string) is: 'milter', 'path', 'address' … */
  items?: string;
  /** The C table postconf reads it from: bool, time, int, long, str, raw, str_fn, nint, nbool. */
  cType: string;
  /** First release series that has it (absent: present in the oldest release we read, 1.1). */
  since?: string;
  /** Patch releases of older series that received it, e.g. ["3.7.9", "3.8.4"]. */
  backports?: string[];
  /** First release series that no longer accepts it. */
  removedIn?: string;
  /** Release series ranges [from, to] (inclusive) in between that did not have it. */
  gaps?: [string, string][];
  /** From this series on postconf accepts it only as a migration alias of a new name
   *  (not listed by `postconf -d`). */
  legacySince?: string;
  /** postconf refuses assignments to it. */
  readOnly?: true;
  deprecated?: Deprecation;
  /** https://www.postfix.org/postconf.5.html#NAME when upstream documents it. */
  docs?: string;
  /** One or two sentences in our own words, for the most used parameters. */
  description?: string;
}

export interface ServiceSuffixInfo {
  suffix: string;
  /** The global parameter whose value applies when `<service><suffix>` is not set. */
  defaultFrom: string;
  kind: ParameterKind;
  unit?: string;
  since?: string;
  docs?: string;
}

export type RestrictionArgument = 'table' | 'policyService' | 'seconds' | 'dnsList';

export interface RestrictionInfo {
  name: string;
  /** What the restriction looks at: the client, HELO name, sender, recipient, ETRN
   *  domain, or nothing in particular ('generic': permit, reject, sleep …). */
  examines: 'generic' | 'client' | 'helo' | 'sender' | 'recipient' | 'etrn';
  /** The next word of the list that the restriction consumes, and its shape. */
  argument?: RestrictionArgument;
  /** Built-in restriction classes: the restrictions they stand for. */
  expandsTo?: string[];
  since?: string;
  /** An older name that still works for `aliasOf`. */
  aliasOf?: string;
  deprecated?: { since?: string; removedIn?: string; replacement?: string };
  docs?: string;
}

export interface TableTypeInfo {
  name: string;
  /** How the part after "type:" is written: an indexed file built with postmap, a pattern
   *  or text file read as is, a database client configuration file, inline {…} entries,
   *  a literal value, a wrapper around another table, a network endpoint, a system map. */
  form: 'indexedFile' | 'patternFile' | 'textFile' | 'clientConfig' | 'inline' | 'literal' | 'wrapper' | 'endpoint' | 'systemName';
  /** The file must be compiled with `postmap` (or `postalias`). */
  postmap?: true;
  /** Also accepts `type:{ {pattern result} … }` inline rules. */
  inlineAllowed?: true;
  since?: string;
  /** Part of Debian's postfix package. */
  debianBuiltin?: true;
  /** The Debian package that adds the type. */
  debianPackage?: string;
  /** Suffixes of the old main.cf-style client settings ("<name>_server_host" for "ldap:<name>"). */
  legacyMainCfSuffixes?: string[];
}

type RawParameter = Omit<ParameterInfo, 'name' | 'description'>;
interface Meta {
  baseline: { version: string; source: string };
  upstream: string;
  releases: string[];
  docsBase: string;
}

const META = (parameterData as unknown as { meta: Meta }).meta;
const PARAMETERS = (parameterData as unknown as { parameters: Record<string, RawParameter> }).parameters;
const DESCRIPTIONS = descriptionData as unknown as Record<string, string>;
const SERVICE = serviceData as unknown as {
  meta: { serviceParametersSince: string };
  suffixes: Record<string, Omit<ServiceSuffixInfo, 'suffix'>>;
  commands: Record<string, string[]>;
};
const RESTRICTIONS = (restrictionData as unknown as { restrictions: Record<string, Omit<RestrictionInfo, 'name'>> }).restrictions;
const RELAY_REQUIRED = (restrictionData as unknown as { relayRequired: string[] }).relayRequired;
const TABLE_TYPES = (tableData as unknown as { types: Record<string, Omit<TableTypeInfo, 'name'>> }).types;

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The Postfix release whose `postconf -d` the defaults come from (Debian's 3.7.x). */
export const BASELINE_VERSION: string = META.baseline.version;
/** The newest release series the catalogue knows (an upstream snapshot). */
export const LATEST_VERSION: string = META.releases[META.releases.length - 1];
/** Release series covered, oldest first. */
export const RELEASES: readonly string[] = META.releases;
export const DOCS_BASE: string = META.docsBase;

/** Numeric comparison of dotted versions: compareVersions("3.10", "3.9") > 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (Number(pa[i]) || 0) - (Number(pb[i]) || 0);
    if (d !== 0) return d;
  }
  return 0;
}

function seriesOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

const infoCache = new Map<string, ParameterInfo>();

/** Everything the catalogue knows about a main.cf parameter, or undefined. */
export function getParameter(name: string): ParameterInfo | undefined {
  const cached = infoCache.get(name);
  if (cached) return cached;
  if (!hasOwn(PARAMETERS, name)) return undefined;
  const info: ParameterInfo = { name, ...PARAMETERS[name] };
  if (hasOwn(DESCRIPTIONS, name)) info.description = DESCRIPTIONS[name];
  infoCache.set(name, info);
  return info;
}

/** Every parameter name in the catalogue, any version, sorted. */
export function allParameterNames(): readonly string[] {
  return Object.keys(PARAMETERS);
}

/** The URL of a parameter's entry in the upstream postconf(5) manual. */
export function docsUrl(name: string): string | undefined {
  return getParameter(name)?.docs;
}

export type ParameterAvailability =
  /** Postfix `version` accepts it as a main.cf parameter. */
  | 'known'
  /** Accepted only as a migration alias of a newer name (not printed by postconf -d). */
  | 'legacy'
  /** A later release introduced it. */
  | 'newer'
  /** An earlier release had it; this one no longer does. */
  | 'removed'
  /** Not a built-in parameter of any release. */
  | 'unknown';

/** Whether Postfix `version` has the built-in parameter `name`, and if not, why not. */
export function parameterAvailability(name: string, version: string = BASELINE_VERSION): ParameterAvailability {
  const p = hasOwn(PARAMETERS, name) ? PARAMETERS[name] : undefined;
  if (!p) return 'unknown';
  const series = seriesOf(version);
  let present = !p.since || compareVersions(series, p.since) >= 0;
  if (!present && p.backports) {
    present = p.backports.some((b) => seriesOf(b) === series && (version === series || compareVersions(version, b) >= 0));
  }
  if (!present) return 'newer';
  if (p.removedIn && compareVersions(series, p.removedIn) >= 0) return 'removed';
  for (const [from, to] of p.gaps ?? []) {
    if (compareVersions(series, from) >= 0 && compareVersions(series, to) <= 0) return 'removed';
  }
  if (p.legacySince && compareVersions(series, p.legacySince) >= 0) return 'legacy';
  return 'known';
}

/**
 * True when `postconf` of `version` accepts `name` as a built-in main.cf parameter
 * (migration aliases such as virtual_maps included). Names that only become valid through
 * master.cf services, restriction classes or $references are not built-in: see nameRules.ts.
 */
export function isKnownParameter(name: string, version: string = BASELINE_VERSION): boolean {
  const a = parameterAvailability(name, version);
  return a === 'known' || a === 'legacy';
}

/**
 * The deprecation of a parameter as far as `version` is concerned: a deprecation from a
 * later release does not count yet. Includes the `removed` status, which the editor marks
 * as deprecated too; the checks report removed names as unknown instead.
 */
export function deprecationIn(info: ParameterInfo | undefined, version: string): Deprecation | undefined {
  const d = info?.deprecated;
  if (!d) return undefined;
  if (d.since && compareVersions(version, d.since) < 0) return undefined;
  return d;
}

/** The built-in parameter names `postconf -d` of `version` prints (no migration aliases). */
export function parameterNamesFor(version: string = BASELINE_VERSION): string[] {
  return allParameterNames().filter((n) => parameterAvailability(n, version) === 'known');
}

// ------------------------------------------------------------------ master.cf services

/** The suffixes postconf adds to a master.cf service running `command`, e.g. "_time_limit". */
export function serviceSuffixes(command: string): readonly string[] {
  return hasOwn(SERVICE.commands, command) ? SERVICE.commands[command] : [];
}

export function getServiceSuffix(suffix: string): ServiceSuffixInfo | undefined {
  return hasOwn(SERVICE.suffixes, suffix) ? { suffix, ...SERVICE.suffixes[suffix] } : undefined;
}

/** Postfix version from which postconf knows service-defined parameter names. */
export const SERVICE_PARAMETERS_SINCE: string = SERVICE.meta.serviceParametersSince;

/**
 * The main.cf names a master.cf service makes valid: `<service><suffix>` for every suffix
 * of its command (the first word of the command field: smtp, lmtp, local, virtual, error,
 * pipe, spawn). `serviceName` is the first master.cf field, used as is.
 * serviceParameterNames("policyd-spf", "spawn") → ["policyd-spf_time_limit"].
 */
export function serviceParameterNames(serviceName: string, command: string, version: string = BASELINE_VERSION): string[] {
  if (compareVersions(seriesOf(version), SERVICE_PARAMETERS_SINCE) < 0) return [];
  const series = seriesOf(version);
  return serviceSuffixes(command)
    .filter((s) => {
      const since = SERVICE.suffixes[s]?.since;
      return !since || compareVersions(series, since) >= 0;
    })
    .map((s) => serviceName + s);
}

/**
 * If `name` is `<service><suffix>` for a suffix of `command`, the suffix; used to explain a
 * name such as "relay_destination_concurrency_limit".
 */
export function matchServiceSuffix(name: string, serviceName: string, command: string): string | undefined {
  if (!name.startsWith(serviceName)) return undefined;
  const rest = name.slice(serviceName.length);
  return serviceSuffixes(command).includes(rest) ? rest : undefined;
}

// ------------------------------------------------------------------ restrictions and tables

/** An smtpd restriction by name (Postfix compares restriction names case-insensitively). */
export function getRestriction(name: string): RestrictionInfo | undefined {
  const key = name.toLowerCase();
  return hasOwn(RESTRICTIONS, key) ? { name: key, ...RESTRICTIONS[key] } : undefined;
}

export function allRestrictionNames(): readonly string[] {
  return Object.keys(RESTRICTIONS);
}

/**
 * smtpd refuses to start unless smtpd_relay_restrictions or smtpd_recipient_restrictions
 * contains one of these before any "permit" (restriction classes count by their content).
 */
export const RELAY_REQUIRED_RESTRICTIONS: readonly string[] = RELAY_REQUIRED;

export function getTableType(type: string): TableTypeInfo | undefined {
  return hasOwn(TABLE_TYPES, type) ? { name: type, ...TABLE_TYPES[type] } : undefined;
}

export function allTableTypes(): readonly string[] {
  return Object.keys(TABLE_TYPES);
}

// ------------------------------------------------------------------ suggestions

export interface SuggestOptions {
  /** Prefer names this version knows (default: the baseline). */
  version?: string;
  /** More valid names to consider: service parameters, restriction classes … */
  extraNames?: Iterable<string>;
  /** At most this many suggestions (default 3). */
  limit?: number;
}

const poolCache = new Map<string, { current: string[]; other: string[] }>();

/** Names offered first (current, not deprecated) and last, per version; computed once. */
function suggestionPools(version: string): { current: string[]; other: string[] } {
  let pools = poolCache.get(version);
  if (!pools) {
    pools = { current: [], other: [] };
    for (const n of allParameterNames()) {
      const p = PARAMETERS[n];
      if (parameterAvailability(n, version) === 'known' && !p.deprecated && !p.readOnly) pools.current.push(n);
      else pools.other.push(n);
    }
    poolCache.set(version, pools);
  }
  return pools;
}

/**
 * Parameter names close to a misspelt `name`, nearest first, for a "did you mean" quick
 * fix: suggestParameterNames("smtpd_milterz") → ["smtpd_milters", …]. Names that the
 * version knows and that are not deprecated are tried first; deprecated or other-version
 * names are offered only when nothing current is close.
 */
export function suggestParameterNames(name: string, options: SuggestOptions = {}): string[] {
  const version = options.version ?? BASELINE_VERSION;
  const limit = options.limit ?? 3;
  const pools = suggestionPools(version);
  const current = options.extraNames ? [...pools.current, ...options.extraNames] : pools.current;
  const other = pools.other;
  const maxDistance = typoBudget(name.length);
  const best = closestMatches(name, current, { maxDistance, limit });
  if (best.length > 0) return best;
  return closestMatches(name, other, { maxDistance, limit });
}
