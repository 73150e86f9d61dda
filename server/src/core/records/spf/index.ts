// SPF (RFC 7208): parser, checks, lookup counting, check_host() and hover texts.
export { parseSpfRecord, hasSpfVersion } from './parser';
export type { SpfRecord, SpfTerm, SpfMechanism, SpfModifier, SpfProblem, SpfResult, Qualifier, MechanismName, Span } from './tree';
export { parseMacroString, expandMacroString, type MacroString, type MacroPart } from './macro';
export { checkSpfRecord, checkSpfRecordSet, spfRrTypeFinding, looksLikeSpf, type SpfCheckOptions } from './checks';
export { countLookups, countLookupsSync, countRecordLookups, LOOKUP_LIMIT, VOID_LIMIT, type SyncResolver, type LookupCount, type LookupNode, type LookupTerm } from './lookups';
export { checkHost, checkMailFrom, checkHeloIdentity, type CheckHostInput, type CheckHostOutput, type MailFromInput } from './evaluate';
export { spfTermHover, spfRecordHoverSummary, spfHover, type SpfHover } from './hover';
