// The words of smtpd restriction lists (smtpd_*_restrictions, restriction classes, and
// user-defined lists used in them as $name):
//
//   postfix/unknown-restriction       a word that is neither a restriction smtpd knows, nor a
//                                     restriction class, nor a lookup table. smtpd answers
//                                     every client that reaches it with "451 4.3.5 Server
//                                     configuration error".
//   postfix/policy-service-undefined  `check_policy_service unix:private/NAME` where master.cf
//                                     has no service NAME: every check fails the same way.
//   postfix/parameter-too-new         a restriction newer than the configured Postfix version.

import type { AnalysisContext } from '../../context';
import type { Finding, Fix, Range } from '../../types';
import { allRestrictionNames, compareVersions, getParameter, getRestriction } from '../catalogue';
import { makeFinding, quote } from '../findings';
import type { Value, ValueWord } from '../tree';
import { isMainCfDocument, isNewerThan, postfixModel, type PostfixModel, type ServiceEntry } from '../instance';
import { hasTemplateExpression } from '../template';
import { assumedMasterNote, versionLabel } from './wording';
import { mainSettings, overrideSettings, type Setting } from './settings';
import { orList, replacementFixes, suggest } from './edits';

export function checkMainCfRestrictions(ctx: AnalysisContext): Finding[] {
  if (!isMainCfDocument(ctx.doc)) return [];
  const model = postfixModel(ctx);
  // main.cf lists that master.cf services use as `-o smtpd_…_restrictions=$name`.
  const usedByServices = new Set<string>();
  for (const s of overrideSettings(model)) {
    if (getParameter(s.name.text)?.kind !== 'restrictions') continue;
    for (const w of s.value.words) {
      const m = WHOLE_REFERENCE.exec(w.text);
      if (m) usedByServices.add(m[1] ?? m[2] ?? m[3]);
    }
  }
  return checkLists(model, mainSettings(model), undefined, usedByServices);
}

const WHOLE_REFERENCE = /^\$(?:\{(\w+)\}|\((\w+)\)|(\w+))$/;

export function checkMasterCfRestrictions(ctx: AnalysisContext): Finding[] {
  const model = postfixModel(ctx);
  const findings: Finding[] = [];
  const settings = overrideSettings(model);
  for (const service of model.services) {
    findings.push(...checkLists(model, settings.filter((s) => s.service === service), service));
  }
  return findings;
}

/**
 * The restriction lists among `settings`: built-in restriction parameters, restriction
 * classes, and user parameters that such a list names as a whole word `$name`.
 */
function checkLists(model: PostfixModel, settings: Setting[], service: ServiceEntry | undefined, alsoLists = new Set<string>()): Finding[] {
  const classes = model.restrictionClassesFor(service);
  const findings: Finding[] = [];
  const byName = new Map<string, Setting>();
  for (const s of settings) byName.set(s.name.text, s);
  const isList = (name: string) => getParameter(name)?.kind === 'restrictions' || classes.has(name) || alsoLists.has(name);
  const queue = settings.filter((s) => isList(s.name.text));
  const seen = new Set<Setting>(queue);
  while (queue.length > 0) {
    const s = queue.shift()!;
    for (const referenced of checkList(model, s.value, classes, findings)) {
      // `$name` standing for a whole list: check that list too (in this file).
      const target = byName.get(referenced);
      if (target && !seen.has(target) && !getParameter(referenced)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return findings;
}

/** Checks the words of one list; returns the names of `$name` words (lists within the list). */
function checkList(model: PostfixModel, value: Value, classes: Set<string>, findings: Finding[]): string[] {
  const referenced: string[] = [];
  const words = value.words;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.braced || w.table || w.text.includes(':') || hasTemplateExpression(w.text) || w.text.includes('}}')) continue;
    if (w.text.includes('$')) {
      const m = WHOLE_REFERENCE.exec(w.text);
      if (m) referenced.push(m[1] ?? m[2] ?? m[3]);
      continue;
    }
    const r = getRestriction(w.text);
    if (!r) {
      if (classes.has(w.text)) continue;
      if (/^\d+$/.test(w.text)) continue; // an argument we do not know the restriction of
      findings.push(unknownRestriction(w, classes));
      continue;
    }
    if (r.deprecated?.removedIn && compareVersions(model.version, r.deprecated.removedIn) >= 0) {
      findings.push(makeFinding('postfix/unknown-restriction', 'error', w.range,
        `\`${w.text}\` was removed in Postfix ${r.deprecated.removedIn}${r.deprecated.replacement ? `; use \`${r.deprecated.replacement}\` instead` : ''}. ` +
        `${versionLabel(model).replace(/^c/, 'C')} no longer know it: smtpd answers every client that reaches it with ` +
        '"451 4.3.5 Server configuration error", so mail is deferred.'));
    } else if (model.versionPinned && isNewerThan(r.since, model.version)) {
      findings.push(makeFinding('postfix/parameter-too-new', 'warning', w.range,
        `The restriction \`${w.text}\` exists only from Postfix ${r.since} on, but this configuration is for ` +
        `${versionLabel(model)} (setting \`mailconf.postfix.version\`). That smtpd answers every client that reaches it ` +
        'with "451 4.3.5 Server configuration error". Upgrade Postfix, or use an older restriction.'));
    }
    if (r.argument) {
      const arg = words[i + 1];
      if (!arg) continue;
      i++;
      if (r.argument === 'policyService') {
        const f = policyServiceFinding(model, arg);
        if (f) findings.push(f);
      }
    }
  }
  return referenced;
}

function unknownRestriction(w: ValueWord, classes: Set<string>): Finding {
  const suggestions = suggest(w.text.toLowerCase(), [...allRestrictionNames(), ...classes]);
  const looksLikeTable = /^[a-z]+\//.test(w.text) || w.text.startsWith('/');
  return makeFinding('postfix/unknown-restriction', 'error', w.range,
    `${quote(w.text, 50)} is not a restriction smtpd knows, nor a restriction class (smtpd_restriction_classes), nor a ` +
    'lookup table. When a client reaches it, smtpd answers "451 4.3.5 Server configuration error" and mail is deferred. ' +
    (suggestions.length ? `Did you mean ${orList(suggestions.map((s) => s.name))}?` :
      looksLikeTable ? 'A lookup table needs its type, for example `hash:/etc/postfix/access`.' : 'Fix or remove it.'),
    replacementFixes(w.range, suggestions, (n) => `Change to \`${n}\``));
}

// ------------------------------------------------------------------ policy services

/** The master.cf service a policy endpoint names: `unix:private/NAME`, `private/NAME`, or those in `{ … }`. */
function policyServiceName(arg: ValueWord): { name: string; range: Range } | undefined {
  const tok = arg.braced && arg.inner ? arg.inner : arg;
  const m = /^(?:unix:)?private\/([^\s,{}]+)/.exec(tok.text);
  if (!m) return undefined;
  const start = tok.text.indexOf(m[1]);
  const r = tok.range;
  if (r.start.line !== r.end.line) return { name: m[1], range: r };
  return {
    name: m[1],
    range: { start: { line: r.start.line, character: r.start.character + start }, end: { line: r.start.line, character: r.start.character + start + m[1].length } },
  };
}

function policyServiceFinding(model: PostfixModel, arg: ValueWord): Finding | undefined {
  const target = policyServiceName(arg);
  if (!target || model.hasUnixService(target.name)) return undefined;
  const fixes: Fix[] = [];
  if (model.master) {
    const text = model.master.doc.analysis.text;
    const end = endPosition(text);
    const known = KNOWN_POLICY_SERVICES[target.name];
    const entry = known ?? `${target.name}  unix  -       n       n       -       0       spawn\n    user=nobody argv=/usr/local/bin/${target.name}\n`;
    fixes.push({
      title: `Add a \`${target.name}\` service to master.cf${known ? '' : ' (adjust user= and argv=)'}`,
      preferred: known !== undefined,
      edits: [{ uri: model.master.doc.uri, range: { start: end, end }, newText: (text === '' || /[\r\n]$/.test(text) ? '' : '\n') + entry }],
    });
  }
  return makeFinding('postfix/policy-service-undefined', model.masterAssumed ? 'warning' : 'error', target.range,
    `\`check_policy_service\` connects to the master.cf service \`${target.name}\`, but master.cf defines no unix service ` +
    `of that name. smtpd cannot reach the policy server and answers every client that reaches this check with ` +
    `"451 4.3.5 Server configuration problem", so mail is deferred. Add the service to master.cf, or fix the name.` +
    assumedMasterNote(model), fixes);
}

/** Services whose master.cf entry is well known (Debian's packages). */
const KNOWN_POLICY_SERVICES: Record<string, string> = {
  // postfix-policyd-spf-python
  'policyd-spf': 'policyd-spf  unix  -       n       n       -       0       spawn\n    user=policyd-spf argv=/usr/bin/policyd-spf\n',
};

function endPosition(text: string): { line: number; character: number } {
  const lines = text.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}
