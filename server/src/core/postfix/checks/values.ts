// Values of the parameters whose syntax Postfix checks when a program reads them:
//
//   postfix/invalid-boolean  not yes/no        ("bad boolean configuration", the daemon stops)
//   postfix/invalid-time     not number+unit   ("bad time value or unit" / out of bounds)
//   postfix/invalid-number   integers and sizes ("bad numerical configuration" / out of bounds)
//   postfix/invalid-enum     a word the parameter does not know
//   postfix/parameter-too-new  an enumeration value newer than the configured version
//
// A value with $references is checked after expansion; when a reference cannot be
// resolved (run-time values, undefined names) the value is skipped rather than guessed.

import type { AnalysisContext } from '../../context';
import type { Finding, Fix, Range } from '../../types';
import { getParameter, getServiceSuffix, serviceSuffixes, type ParameterInfo, type ParameterKind } from '../catalogue';
import { makeFinding, quote } from '../findings';
import { isMainCfDocument, isNewerThan, postfixModel, type PostfixModel } from '../instance';
import { hasTemplateExpression } from '../template';
import { versionLabel } from './wording';
import { mainSettings, overrideSettings, type Setting } from './settings';
import { orList, replacementFixes, suggest } from './edits';

export function checkMainCfValues(ctx: AnalysisContext): Finding[] {
  if (!isMainCfDocument(ctx.doc)) return [];
  const model = postfixModel(ctx);
  return mainSettings(model).flatMap((s) => checkSetting(model, s));
}

export function checkMasterCfValues(ctx: AnalysisContext): Finding[] {
  const model = postfixModel(ctx);
  return overrideSettings(model).flatMap((s) => checkSetting(model, s));
}

/** What the value of a setting must look like, from the catalogue or a service suffix. */
interface Shape {
  kind: ParameterKind;
  unit?: string;
  min?: number;
  max?: number;
  cType?: string;
  info?: ParameterInfo;
}

function shapeOf(model: PostfixModel, s: Setting): Shape | undefined {
  const name = s.name.text;
  const verdict = s.service ? model.rules.checkServiceOverride(name, s.service.model) : model.rules.checkMainName(name);
  if (!verdict.valid) return undefined;
  if (verdict.reason === 'builtin' || verdict.reason === 'legacy') {
    const info = getParameter(name);
    return info && { kind: info.kind, unit: info.unit, min: info.min, max: info.max, cType: info.cType, info };
  }
  if (verdict.reason === 'service') {
    const svc = model.services.find((x) => x.name === verdict.service);
    const suffix = svc && serviceSuffixes(svc.command).find((x) => name === svc.name + x);
    const info = suffix ? getServiceSuffix(suffix) : undefined;
    if (!info) return undefined;
    const global = getParameter(info.defaultFrom);
    return { kind: info.kind, unit: info.unit ?? global?.unit, min: global?.min, max: global?.max };
  }
  return undefined;
}

function checkSetting(model: PostfixModel, s: Setting): Finding[] {
  const shape = shapeOf(model, s);
  if (!shape) return [];
  const raw = s.value.text;
  if (shape.cType === 'raw' || hasTemplateExpression(raw)) return [];
  const value = model.expandExact(raw, s.service);
  if (value === undefined) return [];
  const expanded = value !== raw;
  switch (shape.kind) {
    case 'boolean': return checkBoolean(s, value.trim(), expanded);
    case 'time': return checkTime(s, value.trim(), shape, expanded);
    case 'integer':
    case 'size': return checkNumber(s, value.trim(), shape, expanded);
    case 'enumeration': return shape.info ? checkEnumeration(model, s, shape.info, value, expanded) : [];
    default: return [];
  }
}

/** Text that says what the value expanded to, for messages about a value with $references. */
function expandedNote(value: string, expanded: boolean): string {
  return expanded ? ` (after expanding its $references: ${quote(value, 40)})` : '';
}

function replaceValue(s: Setting, newText: string, title: string, preferred = true): Fix {
  const fix: Fix = { title, edits: [{ range: s.value.range, newText }] };
  if (preferred) fix.preferred = true;
  return fix;
}

// ------------------------------------------------------------------ boolean

const TRUE_WORDS = new Set(['true', 'on', '1', 'y', 'enable', 'enabled', 'ja', 'oui', 'si']);
const FALSE_WORDS = new Set(['false', 'off', '0', 'n', 'disable', 'disabled', 'nee', 'nein', 'non']);

function checkBoolean(s: Setting, value: string, expanded: boolean): Finding[] {
  const lower = value.toLowerCase();
  if (lower === 'yes' || lower === 'no') return [];
  const meant = TRUE_WORDS.has(lower) ? 'yes' : FALSE_WORDS.has(lower) ? 'no' : undefined;
  const fixes = meant && !expanded ? [replaceValue(s, meant, `Change to \`${meant}\``)] : [];
  return [makeFinding('postfix/invalid-boolean', 'error', s.value.words.length ? s.value.range : s.name.range,
    `\`${s.name.text}\` takes \`yes\` or \`no\`, not ${value === '' ? 'an empty value' : quote(value, 40)}${expandedNote(value, expanded)}. ` +
    'Postfix programs that read it stop with "bad boolean configuration", so mail is not handled. ' +
    `Write ${meant ? `\`${meant}\`` : '`yes` or `no`'}.`, fixes)];
}

// ------------------------------------------------------------------ time

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const UNIT_NAMES: Record<string, string> = { s: 'seconds', m: 'minutes', h: 'hours', d: 'days', w: 'weeks' };
const INT_MAX = 2147483647;

function checkTime(s: Setting, value: string, shape: Shape, expanded: boolean): Finding[] {
  const unit = shape.unit ?? 's';
  const range = value === '' ? s.name.range : s.value.range;
  const invalid = (why: string, fixes: Fix[] = []) => [makeFinding('postfix/invalid-time', 'error', range,
    `${why}${expandedNote(value, expanded)}. Postfix programs that read \`${s.name.text}\` stop with "bad time value or unit" ` +
    '(or a bounds error), so mail is not handled.', fixes)];
  const m = /^(\d+)([a-zA-Z]?)(.*)$/s.exec(value);
  if (!m) {
    return invalid(`\`${s.name.text}\` takes a time: a whole number with an optional unit s, m, h, d or w ` +
      `(a bare number counts in ${UNIT_NAMES[unit]}), not ${value === '' ? 'an empty value' : quote(value, 40)}`);
  }
  const [, digits, letter, rest] = m;
  if (letter && !UNIT_SECONDS[letter]) {
    const lower = letter.toLowerCase();
    const fixes = UNIT_SECONDS[lower] && !rest && !expanded ? [replaceValue(s, digits + lower, `Change to \`${digits + lower}\``)] : [];
    return invalid(`${quote(letter, 5)} is not a time unit: use s (seconds), m (minutes), h (hours), d (days) or w (weeks), in lower case`, fixes);
  }
  if (rest) {
    // "1h30m", "5 min": depending on the release Postfix stops ("bad time value or unit") or
    // reads only the first number and unit. Either way it is not what was meant.
    return invalid(`${quote(value, 40)} is not a time Postfix understands: a time is one whole number with at most one ` +
      `unit (write \`90m\`, not \`1h30m\`; \`5m\`, not \`5 min\`)`);
  }
  const n = Number(digits);
  const seconds = n * UNIT_SECONDS[letter || unit];
  if (n > INT_MAX || seconds > INT_MAX) {
    return invalid(`${quote(value, 40)} is too large: Postfix stores times as seconds in a 32-bit number (at most about 68 years)`);
  }
  if (shape.min !== undefined && seconds < shape.min) {
    return invalid(`\`${s.name.text}\` must be at least ${describeSeconds(shape.min)}; ${quote(value, 40)} is less`);
  }
  if (shape.max !== undefined && seconds > shape.max) {
    return invalid(`\`${s.name.text}\` must be at most ${describeSeconds(shape.max)}; ${quote(value, 40)} is more`);
  }
  return [];
}

function describeSeconds(seconds: number): string {
  for (const u of ['w', 'd', 'h', 'm']) {
    if (seconds % UNIT_SECONDS[u] === 0 && seconds >= UNIT_SECONDS[u]) return `\`${seconds / UNIT_SECONDS[u]}${u}\``;
  }
  return `\`${seconds}s\``;
}

// ------------------------------------------------------------------ integers and sizes

const SIZE_SUFFIX: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

function checkNumber(s: Setting, value: string, shape: Shape, expanded: boolean): Finding[] {
  const isLong = shape.cType === 'long';
  const limit = isLong ? Number.MAX_SAFE_INTEGER : INT_MAX;
  const range = value === '' ? s.name.range : s.value.range;
  const what = shape.kind === 'size' ? 'a size in bytes (a plain number, no unit)' : 'a whole number';
  const invalid = (why: string, fixes: Fix[] = []) => [makeFinding('postfix/invalid-number', 'error', range,
    `${why}${expandedNote(value, expanded)}. Postfix programs that read \`${s.name.text}\` stop with "bad numerical ` +
    'configuration" or a bounds error, so mail is not handled.', fixes)];
  if (!/^[+-]?\d+$/.test(value)) {
    const unit = /^(\d+)\s*([kKmMgG])i?[bB]?$/.exec(value);
    const fixes: Fix[] = [];
    if (unit && shape.kind === 'size' && !expanded) {
      const bytes = Number(unit[1]) * SIZE_SUFFIX[unit[2].toLowerCase()];
      if (bytes <= limit) fixes.push(replaceValue(s, String(bytes), `Change to \`${bytes}\` (${unit[1]} × ${SIZE_SUFFIX[unit[2].toLowerCase()]} bytes)`, false));
    }
    return invalid(`\`${s.name.text}\` takes ${what}, not ${value === '' ? 'an empty value' : quote(value, 40)}` +
      (unit ? '; Postfix does not understand units such as K, M or G' : ''), fixes);
  }
  const n = Number(value);
  if (Math.abs(n) > limit) return invalid(`${quote(value, 40)} is too large for \`${s.name.text}\` (at most ${limit})`);
  if (shape.min !== undefined && n < shape.min) return invalid(`\`${s.name.text}\` must be at least ${shape.min}, not ${n}`);
  if (shape.max !== undefined && n > shape.max) return invalid(`\`${s.name.text}\` must be at most ${shape.max}, not ${n}`);
  return [];
}

// ------------------------------------------------------------------ enumerations

/** Words some enumerations accept besides their documented values. */
const EXTRA_WORDS: Record<string, string[]> = {
  // milter8(8) protocol extension, written after the version number.
  milter_protocol: ['no_header_reply'],
};

function checkEnumeration(model: PostfixModel, s: Setting, info: ParameterInfo, value: string, expanded: boolean): Finding[] {
  const values = info.values ?? [];
  const allowed = new Set([...values, ...(EXTRA_WORDS[info.name] ?? [])]);
  const findings: Finding[] = [];
  // Check the words as written when nothing was expanded (exact ranges), else the expanded text.
  const words: { text: string; range: Range }[] = expanded
    ? splitWords(value).map((text) => ({ text, range: s.value.range }))
    : s.value.words.map((w) => ({ text: w.text, range: w.range }));
  if (words.length === 0) {
    if (info.empty) return [];
    return [makeFinding('postfix/invalid-enum', 'error', s.name.range,
      `\`${s.name.text}\` must not be empty: write ${orList(values)}.`)];
  }
  if (!info.multiple && words.filter((w) => !EXTRA_WORDS[info.name]?.includes(w.text)).length > 1) {
    return [makeFinding('postfix/invalid-enum', 'error', s.value.range,
      `\`${s.name.text}\` takes one of ${orList(values)}, not a list${expandedNote(value, expanded)}.`)];
  }
  for (const w of words) {
    if (info.tablesAllowed && w.text.includes(':')) continue;
    const lower = w.text.toLowerCase();
    if (allowed.has(lower)) {
      const since = info.valueSince?.[lower];
      if (model.versionPinned && isNewerThan(since, model.version)) {
        findings.push(makeFinding('postfix/parameter-too-new', 'warning', w.range,
          `\`${s.name.text} = ${lower}\` needs Postfix ${since} or later, but this configuration is for ${versionLabel(model)} ` +
          '(setting `mailconf.postfix.version`), which does not know the value. Use ' +
          `${orList(values.filter((v) => !isNewerThan(info.valueSince?.[v], model.version)))}, or upgrade Postfix.`));
      }
      continue;
    }
    const suggestions = suggest(lower, values);
    const fixes = expanded ? [] : replacementFixes(w.range, suggestions, (n) => `Change to \`${n}\``);
    findings.push(makeFinding('postfix/invalid-enum', 'error', w.range,
      `${quote(w.text, 40)} is not a valid value of \`${s.name.text}\`${expandedNote(value, expanded)}: it takes ` +
      `${info.multiple ? 'a list of ' : ''}${orList(values)}. ${consequence(info.name)}` +
      (suggestions.length ? ` Did you mean ${orList(suggestions.map((x) => x.name))}?` : ''), fixes));
  }
  return findings;
}

function splitWords(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

/** What an invalid value does, for the parameters admins touch most. */
function consequence(name: string): string {
  if (name === 'milter_default_action') return 'When a milter fails, Postfix then answers with a temporary error instead of the action you meant, so mail is deferred.';
  if (name.endsWith('tls_security_level')) return 'The Postfix program using it refuses to work ("invalid TLS security level"), so no mail passes it.';
  if (name === 'inet_protocols') return 'Every Postfix program stops at start-up ("bad inet_protocols value").';
  if (name === 'milter_protocol') return 'The milter connection fails, and the milter_default_action applies to every message.';
  return 'Postfix rejects the setting when a program reads it.';
}
