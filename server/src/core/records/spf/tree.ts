// The shape of a parsed SPF record (RFC 7208 §4.5–§5, §6, §7). Every span is an offset pair
// into the record value (the character-strings joined), so a checker maps it through
// RecordText.rangeOf and the evaluator reads the same tree.

import type { MacroString } from './macro';

export interface Span {
  start: number;
  end: number;
}

/** The results of check_host() (RFC 7208 §2.6). */
export type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';

export type Qualifier = '+' | '-' | '~' | '?';

export type MechanismName = 'all' | 'include' | 'a' | 'mx' | 'ptr' | 'ip4' | 'ip6' | 'exists';

export const MECHANISM_NAMES: readonly MechanismName[] = ['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists'];

/** Mechanisms and modifiers that cost a DNS lookup (RFC 7208 §4.6.4). */
export const LOOKUP_MECHANISMS: ReadonlySet<string> = new Set(['include', 'a', 'mx', 'ptr', 'exists']);

/** A domain-spec (`include:<here>`, `redirect=<here>`), still with its macros. */
export interface DomainSpec extends Span {
  text: string;
  macro: MacroString;
}

export interface CidrLength extends Span {
  /** The prefix length; NaN when the digits are not a number. */
  value: number;
}

export interface SpfMechanism extends Span {
  kind: 'mechanism';
  /** The whole term as written. */
  text: string;
  /** The qualifier in effect ("+" when none is written). */
  qualifier: Qualifier;
  /** Where the qualifier is written; undefined for the implicit "+". */
  qualifierSpan?: Span;
  /** The mechanism name in lower case as written (may be an unknown name). */
  name: string;
  nameSpan: Span;
  /** The mechanism, or undefined when the name is not one RFC 7208 defines. */
  mechanism: MechanismName | undefined;
  domainSpec?: DomainSpec;
  /** ip4:/ip6: the network address. */
  ip?: Span & { text: string; bytes: number[] | undefined };
  /** The IPv4 prefix (ip4, a, mx) and the IPv6 prefix (ip6; a and mx after "//"). */
  cidr4?: CidrLength;
  cidr6?: CidrLength;
}

export interface SpfModifier extends Span {
  kind: 'modifier';
  text: string;
  /** Lower-case name ("redirect", "exp", or an unknown modifier's name). */
  name: string;
  nameSpan: Span;
  value: string;
  valueSpan: Span;
  macro: MacroString;
}

export type SpfTerm = SpfMechanism | SpfModifier;

/** A syntax error: any one makes receivers return permerror for the whole record. */
export interface SpfProblem extends Span {
  code: string;
  message: string;
  /** Index of the term in `terms` (undefined for record-level problems). */
  term?: number;
}

export interface SpfRecord {
  value: string;
  /** The `v=spf1` version term when the value starts with it (followed by a space or the end). */
  version?: Span;
  terms: SpfTerm[];
  problems: SpfProblem[];
  /** The first `redirect=` and `exp=` modifiers. */
  redirect?: SpfModifier;
  exp?: SpfModifier;
}
