// Names postconf would complain about (postconf -n: "unused parameter", "undefined
// parameter", "read-only parameter assignment"), by postconf's own rules (nameRules.ts):
//
//   postfix/unknown-parameter    a setting no Postfix program reads (typo, removed name, a
//                                service parameter without its master.cf service …)
//   postfix/parameter-too-new    a setting the configured Postfix version does not have yet
//   postfix/undefined-parameter  a $name reference (or restriction class) nothing defines
//   postfix/read-only-parameter  an assignment to a name Postfix sets itself

import type { AnalysisContext } from '../../context';
import type { Finding, Fix } from '../../types';
import {
  getParameter, getServiceSuffix, isKnownParameter, serviceParameterNames, serviceSuffixes, suggestParameterNames,
} from '../catalogue';
import type { NameVerdict } from '../nameRules';
import { makeFinding } from '../findings';
import { isParameterNameChar } from '../parameterNames';
import { isNameChar } from '../valueParser';
import type { Reference } from '../tree';
import { isMainCfDocument, postfixModel, type PostfixModel } from '../instance';
import { assumedMasterNote, versionLabel } from './wording';
import { mainSettings, overrideSettings, where, type Setting } from './settings';
import { orList, replacementFixes, wholeLinesRange, type Suggestion } from './edits';
import { damerauLevenshtein, typoBudget } from '../../text/editDistance';

/** Commands whose master.cf services give rise to `<service><suffix>` parameters. */
const SERVICE_COMMANDS = ['smtp', 'lmtp', 'local', 'virtual', 'error', 'pipe', 'spawn'];
const ALL_SUFFIXES = [...new Set(SERVICE_COMMANDS.flatMap((c) => serviceSuffixes(c)))].sort((a, b) => b.length - a.length);

/**
 * Suggestions cost an edit-distance scan of ~1000 names each: a file full of unknown names
 * (a wrong file kind, a generated file) gets them for its first SUGGESTION_BUDGET names only.
 */
const SUGGESTION_BUDGET = 200;
let suggestionsLeft = SUGGESTION_BUDGET;

function suggestionsFor(name: string, model: PostfixModel, extraNames: Iterable<string>): Suggestion[] {
  if (suggestionsLeft <= 0) return [];
  suggestionsLeft--;
  return withDistances(name, suggestParameterNames(name, { version: model.version, extraNames }));
}

export function checkMainCfNames(ctx: AnalysisContext): Finding[] {
  if (!isMainCfDocument(ctx.doc)) return [];
  const model = postfixModel(ctx);
  const findings: Finding[] = [];
  suggestionsLeft = SUGGESTION_BUDGET;
  for (const s of mainSettings(model)) {
    nameFindings(model, s, model.rules.checkMainName(s.name.text), findings, ctx.doc.analysis.text);
    undefinedReferenceFindings(model, s, findings);
  }
  undefinedClassFindings(model, findings);
  return findings;
}

export function checkMasterCfNames(ctx: AnalysisContext): Finding[] {
  const model = postfixModel(ctx);
  const findings: Finding[] = [];
  suggestionsLeft = SUGGESTION_BUDGET;
  for (const s of overrideSettings(model)) {
    nameFindings(model, s, model.rules.checkServiceOverride(s.name.text, s.service!.model), findings);
    // Without the main.cf beside it, a $reference may well be defined there: say nothing.
    if (model.main) undefinedReferenceFindings(model, s, findings);
  }
  return findings;
}

// ------------------------------------------------------------------ unknown, too new, read-only

function nameFindings(model: PostfixModel, s: Setting, verdict: NameVerdict, findings: Finding[], text?: string): void {
  if (verdict.valid) return;
  const name = s.name.text;
  // The parser already reported a name with characters no parameter has (postfix/invalid-parameter-name).
  for (let i = 0; i < name.length; i++) if (!isParameterNameChar(name.charCodeAt(i))) return;
  if (verdict.reason === 'readOnly') {
    findings.push(makeFinding('postfix/read-only-parameter', 'warning', s.name.range,
      `\`${name}\` is set by Postfix itself for every process; an assignment is ignored (postconf: "read-only ` +
      'parameter assignment"). Remove the line.',
      text !== undefined ? [deleteLineFix(text, s)] : undefined));
    return;
  }
  const info = getParameter(name);
  if (verdict.availability === 'newer' && info) {
    const series = model.version.split('.').slice(0, 2).join('.');
    const backport = info.backports?.find((b) => b.startsWith(series + '.'));
    const since = `Postfix ${info.since}${backport ? ` (in the ${series} series: ${backport})` : ''}`;
    findings.push(makeFinding('postfix/parameter-too-new', 'warning', s.name.range,
      `\`${name}\` exists only from ${since} on, but this configuration is for ${versionLabel(model)} ` +
      '(setting `mailconf.postfix.version`). That version does not know the parameter and ignores the line ' +
      '(postconf: "unused parameter"). Upgrade Postfix, or remove the line.'));
    return;
  }
  if (verdict.availability === 'removed' && info) {
    const dep = info.deprecated;
    const gone = info.removedIn ? `Postfix ${info.removedIn} removed \`${name}\`` : `\`${name}\` is not part of ${versionLabel(model)}`;
    const replacement = dep?.replacement && isKnownParameter(dep.replacement, model.version) ? dep.replacement : undefined;
    const fixes: Fix[] = [];
    if (replacement && getParameter(replacement)?.kind === info.kind && getParameter(replacement)?.unit === info.unit) {
      fixes.push({ title: `Rename to \`${replacement}\``, preferred: true, edits: [{ range: s.name.range, newText: replacement }] });
    }
    findings.push(makeFinding('postfix/unknown-parameter', 'warning', s.name.range,
      `${gone}${replacement ? `; use \`${replacement}\` instead` : ''}. ${capitalize(versionLabel(model))} ignore the line ` +
      `(postconf: "unused parameter"), so it has no effect.`, fixes));
    return;
  }
  findings.push(unknownName(model, s));
}

function unknownName(model: PostfixModel, s: Setting): Finding {
  const name = s.name.text;
  const suggestions = suggestionsFor(name, model, namesOf(model).serviceNames);
  const service = serviceParameterHint(model, name);
  // A service that exists but runs the wrong daemon explains more than a near name would.
  if (service && (service.serviceExists || suggestions.length === 0)) {
    return makeFinding('postfix/unknown-parameter', 'warning', s.name.range, service.message);
  }
  let message = `Postfix has no parameter \`${name}\`: no Postfix program reads this setting in ${where(s)}, so it has ` +
    'no effect (postconf: "unused parameter"). ';
  if (s.service && !model.main) message += '(There is no main.cf beside this master.cf in the workspace; a main.cf could still use it as `$' + name + '`.) ';
  message += suggestions.length > 0
    ? `Did you mean ${orList(suggestions.map((x) => x.name))}?`
    : `If it is a parameter of your own, use it somewhere as \`$${name}\`; otherwise remove the line or fix the name.`;
  return makeFinding('postfix/unknown-parameter', 'warning', s.name.range, message,
    replacementFixes(s.name.range, suggestions, (n) => `Change to \`${n}\``));
}

/**
 * For `<service><suffix>` names (policyd-spf_time_limit): why the service does not make the
 * name valid. Undefined when the name does not look like one.
 */
function serviceParameterHint(model: PostfixModel, name: string): { message: string; serviceExists: boolean } | undefined {
  const suffix = ALL_SUFFIXES.find((x) => name.endsWith(x) && name.length > x.length);
  if (!suffix) return undefined;
  const serviceName = name.slice(0, -suffix.length);
  const takers = SERVICE_COMMANDS.filter((c) => serviceSuffixes(c).includes(suffix));
  const commands = takers.length === SERVICE_COMMANDS.length ? 'a delivery agent (smtp, lmtp, local, virtual, error, pipe) or spawn' : orList(takers);
  const services = model.services.filter((s) => s.name === serviceName);
  const info = getServiceSuffix(suffix);
  const what = info ? `the \`${info.defaultFrom}\` of` : 'a setting of';
  const note = assumedMasterNote(model);
  if (services.length > 0) {
    const runs = [...new Set(services.map((s) => s.command))].map((c) => `\`${c}\``).join(' and ');
    return {
      serviceExists: true,
      message: `\`${name}\` would set ${what} the master.cf service \`${serviceName}\`, but that service runs ${runs}, and only ` +
        `services running ${commands} have a \`${suffix}\` setting. Postfix ignores the line (postconf: "unused parameter").${note}`,
    };
  }
  return {
    serviceExists: false,
    message: `\`${name}\` sets ${what} a master.cf service \`${serviceName}\`, but master.cf defines no service of that name ` +
      `(running ${commands}). Postfix ignores the line (postconf: "unused parameter"). Define the service in master.cf, ` +
      `or fix the name.${note}`,
  };
}

function withDistances(word: string, names: string[]): Suggestion[] {
  const max = typoBudget(word.length);
  return names.map((name) => ({ name, distance: damerauLevenshtein(word, name, max) }));
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function deleteLineFix(text: string, s: Setting): Fix {
  return {
    title: `Remove the line setting \`${s.name.text}\``,
    preferred: true,
    edits: [{ range: wholeLinesRange(text, s.range.start.line, s.range.end.line), newText: '' }],
  };
}

// ------------------------------------------------------------------ undefined references

function undefinedReferenceFindings(model: PostfixModel, s: Setting, findings: Finding[]): void {
  if (getParameter(s.name.text)?.cType === 'raw') return; // Postfix does not expand these values
  const local = s.service?.overrides;
  for (const ref of s.value.references) {
    if (ref.use === 'function' || model.rules.isDefined(ref.name, local)) continue;
    findings.push(undefinedReference(model, s, ref));
  }
}

/** Per model: the names services define, and every name a setting defines. */
const namesCache = new WeakMap<PostfixModel, { serviceNames: string[]; defined: string[] }>();

function namesOf(model: PostfixModel): { serviceNames: string[]; defined: string[] } {
  let names = namesCache.get(model);
  if (!names) {
    const serviceNames = model.services.flatMap((svc) => serviceParameterNames(svc.name, svc.command, model.version));
    const defined = new Set<string>([...model.mainValues.keys(), ...serviceNames]);
    for (const svc of model.services) for (const n of svc.overrides.keys()) defined.add(n);
    names = { serviceNames, defined: [...defined] };
    namesCache.set(model, names);
  }
  return names;
}

function undefinedReference(model: PostfixModel, s: Setting, ref: Reference): Finding {
  const name = ref.name;
  // Only names a `$name` can spell: a malformed setting (`$_debug = …`) is no suggestion.
  const suggestions = suggestionsFor(name, model, namesOf(model).defined)
    .filter((x) => model.rules.isDefined(x.name, s.service?.overrides) && [...x.name].every((c) => isNameChar(c.charCodeAt(0))));
  const effect = ref.use === 'test'
    ? `so the test \`${name}\` in \`${s.name.text}\` always sees an empty value`
    : `so \`${s.name.text}\` gets an empty value in its place`;
  let message = `\`$${name}\` refers to a parameter that is not defined: it is not built into ${versionLabel(model)} and ` +
    `not set in main.cf${model.masterAssumed ? '' : ' or master.cf'}. Postfix expands it to nothing, ${effect} ` +
    '(postconf: "undefined parameter"). ';
  message += suggestions.length > 0 ? `Did you mean ${orList(suggestions.map((x) => `$${x.name}`))}?` : `Define \`${name}\`, or fix the reference.`;
  return makeFinding('postfix/undefined-parameter', 'warning', ref.nameRange, message,
    replacementFixes(ref.nameRange, suggestions, (n) => `Change to \`$${n}\``));
}

/** Names listed in smtpd_restriction_classes that nothing defines (postconf: "undefined parameter"). */
function undefinedClassFindings(model: PostfixModel, findings: Finding[]): void {
  const defs = model.definitions.get('smtpd_restriction_classes');
  if (!defs) return;
  const inEffect = defs[defs.length - 1];
  for (const w of inEffect.value.words) {
    if (w.braced || w.text.includes('$') || model.rules.isDefined(w.text)) continue;
    findings.push(makeFinding('postfix/undefined-parameter', 'warning', w.range,
      `The restriction class \`${w.text}\` is listed in smtpd_restriction_classes but not defined. Add a line ` +
      `\`${w.text} = …\` with its restrictions; until then, using \`${w.text}\` in a restriction list makes the SMTP ` +
      `server answer every affected client with a temporary error (postconf: "undefined parameter").`));
  }
}

