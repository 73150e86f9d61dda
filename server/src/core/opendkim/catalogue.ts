// The OpenDKIM option catalogue: typed, read-only access to the generated data in
// ./data/options.json (scripts/generate-opendkim-catalogue.mjs says where each fact comes
// from) and the hand-written descriptions. Option names are case-insensitive, as
// OpenDKIM's config.c compares them with strcasecmp. Pure: no I/O beyond the bundled JSON.

import optionData from './data/options.json';
import descriptionData from './data/descriptions.json';
import { closestMatches } from '../text/editDistance';

/**
 * What an option's value is. boolean, integer and include are validated by OpenDKIM's
 * configuration parser itself; the others are strings that the filter reads later.
 */
export type OptionKind =
  | 'boolean'            // first character t/T/y/Y/1 or f/F/n/N/0
  | 'integer'            // C strtol with base 0: 0x1F hex, 007 octal, 42 decimal
  | 'include'            // another configuration file
  | 'string'
  | 'dataset'            // file:, refile:, csl:, db:, dsn:, ldap:, lua: … (opendkim(8))
  | 'socket'             // inet:port@host, inet6:…, local:/path
  | 'path'               // a file the filter reads or writes
  | 'directory'
  | 'mode'               // letters s and v
  | 'canonicalization'   // header[/body], each simple or relaxed
  | 'signatureAlgorithm'
  | 'handling'           // On-*: accept, discard, quarantine, reject, tempfail (or a, d, q, r, t)
  | 'keyAction'          // none, neutral, fail
  | 'syslogFacility'
  | 'atpsHash'
  | 'minimum'            // n, n% or n+
  | 'restartRate'        // n/t[smhd]
  | 'user'               // user[:group]
  | 'address';

export interface OptionInfo {
  /** The spelling of the manual (or of the source when undocumented). */
  name: string;
  kind: OptionKind;
  /** The type OpenDKIM's parser gives it when that differs from `kind` (always "string" then). */
  configType?: string;
  /** The type the manual states when it differs from what the parser does. */
  documentedType?: string;
  /** As the manual or the source states it; absent when the option has no default. */
  default?: string;
  /** Where the default comes from: the C source, a sentence of the manual, or the manual's
   *  general rule ("Boolean values default to false, integer values to 0"). */
  defaultFrom?: 'source' | 'manual' | 'manual-rule';
  /** Accepted words of an enumerated option (compared case-insensitively by OpenDKIM). */
  values?: string[];
  /** The filter opens this file at start: a missing one stops it. */
  readsFile?: boolean;
  /** Documented in opendkim.conf(5). */
  documented: boolean;
  /** Recognised by Debian's build (false: compiled out, `opendkim -n` says "unrecognized parameter"). */
  compiledIn: boolean;
  /** The build condition (C preprocessor symbols) the option depends on. */
  requires?: string;
  /** One or two sentences in our own words, for the options admins use most. */
  description?: string;
}

interface CatalogueData {
  source: { program: string; debianPackage: string | null; upstreamTag: string; manual: string };
  docsUrl: string;
  signingAlgorithms: string[];
  canonicalizations: string[];
  activeCodeOptions: string[];
  options: Omit<OptionInfo, 'description'>[];
}

const data = optionData as unknown as CatalogueData;
const descriptions = descriptionData as Record<string, string>;

const BY_KEY = new Map<string, OptionInfo>();
for (const raw of data.options) {
  const info: OptionInfo = { ...raw };
  const description = descriptions[raw.name];
  if (description) info.description = description;
  BY_KEY.set(raw.name.toLowerCase(), info);
}

/** The upstream program the catalogue was generated from, e.g. "OpenDKIM 2.11.0". */
export const CATALOGUE_SOURCE = data.source;

/** The opendkim.conf(5) manual page. */
export const OPENDKIM_CONF_DOCS = data.docsUrl;

/** Signing algorithms of the installed build (`opendkim -V`). */
export const SIGNING_ALGORITHMS: readonly string[] = data.signingAlgorithms;
export const CANONICALIZATIONS: readonly string[] = data.canonicalizations;

/** An option by name, case-insensitively; undefined for names OpenDKIM does not have at all. */
export function optionInfo(name: string): OptionInfo | undefined {
  return BY_KEY.get(name.toLowerCase());
}

/** Whether Debian's opendkim recognises the name (`opendkim -n` accepts it). */
export function isKnownOption(name: string): boolean {
  return BY_KEY.get(name.toLowerCase())?.compiledIn === true;
}

/** Every option of the catalogue, compiled in or not, in alphabetical order. */
export function allOptions(): OptionInfo[] {
  return [...BY_KEY.values()];
}

/** Up to three option names (of the installed build) close to a misspelt one. */
export function similarOptionNames(name: string): string[] {
  const lower = name.toLowerCase();
  const known = allOptions().filter((o) => o.compiledIn);
  const byLower = new Map(known.map((o) => [o.name.toLowerCase(), o.name]));
  return closestMatches(lower, byLower.keys()).map((k) => byLower.get(k) ?? k);
}

/** Link to the manual page (it has no per-option anchors). */
export function docsLink(): string {
  return OPENDKIM_CONF_DOCS;
}

/** Dataset options whose entries are client hosts and networks (PeerList's form). */
export const HOST_LIST_OPTIONS: ReadonlySet<string> = new Set(['internalhosts', 'externalignorelist', 'peerlist']);
