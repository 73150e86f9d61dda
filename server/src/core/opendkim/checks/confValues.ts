// opendkim.conf line by line: is the option one Debian's OpenDKIM knows, and is its value
// one it accepts? The rules follow OpenDKIM 2.11: config.c rejects unknown names, Booleans
// whose first character is none of tTyY1fFnN0 and integers strtol(…, 0) does not consume
// whole ("unrecognized parameter", "illegal value"); dkimf_config_load then rejects an
// unknown Mode letter, canonicalization, signing algorithm or On-* action.

import type { AnalysisContext } from '../../context';
import type { Finding, Range } from '../../types';
import type { ConfOption, ConfTree } from '../tree';
import { optionInfo, similarOptionNames, type OptionInfo } from '../catalogue';
import { capPerCode, finding, fix, replaceEdit, nearest, syntaxErrorAt, wholeLineRange, lineLabel } from './util';
import { confTree, confOptions, effectiveOptions } from './links';

export function checkOptionValues(ctx: AnalysisContext): Finding[] {
  const tree = confTree(ctx.doc);
  if (!tree) return [];
  const out: Finding[] = [];
  const effective = effectiveOptions(confOptions(ctx.workspace, ctx.doc));
  const isOn = (key: string) => /^[tTyY1]/.test(effective.get(key)?.option.value?.text ?? '');
  let suggestions = MAX_SUGGESTED;
  for (const option of tree.options) {
    if (syntaxErrorAt(ctx.doc, option.name.range)) continue; // "Socket=…", a non-breaking space …
    const info = optionInfo(option.name.text);
    if (!info || !info.compiledIn) {
      out.push(unknownOption(option, info, suggestions-- > 0));
      continue;
    }
    const value = option.value;
    if (!value || syntaxErrorAt(ctx.doc, value.range)) continue;
    // config.c rejects a bad Boolean or integer on any line; the other values are only
    // looked at by the filter for the line in effect (the last one).
    const parsedByConfigReader = info.kind === 'boolean' || info.kind === 'integer';
    if (!parsedByConfigReader && effective.get(option.name.text.toLowerCase())?.option !== option) continue;
    const f = checkValue(option, info, value.text, value.range, { syslog: isOn('syslog'), autoRestart: isOn('autorestart') });
    if (f) out.push(f);
  }
  out.push(...duplicateOptions(tree, ctx.doc.uri));
  return capPerCode(out);
}

/** "Did you mean" costs a pass over the catalogue; a junk file gets it for its first names only. */
const MAX_SUGGESTED = 100;

// ---------------------------------------------------------------- names

function unknownOption(option: ConfOption, info: OptionInfo | undefined, suggest: boolean): Finding {
  const name = option.name;
  if (info) {
    return finding(name.range, 'error', 'opendkim/unknown-option',
      `${info.name} exists in OpenDKIM only when it is built with ${info.requires ?? 'an optional feature'}; Debian's opendkim is built without it, so it stops at this line ("unrecognized parameter"). Remove the line.`,
      { fixes: [fix('Remove the line', [replaceEdit(wholeLineRange(option.line), '')])] });
  }
  if (name.text.toLowerCase() === 'trustedhosts') {
    return finding(name.range, 'error', 'opendkim/unknown-option',
      'OpenDKIM has no TrustedHosts option, so it stops at this line ("unrecognized parameter"). "TrustedHosts" is only a customary file name: load the file with InternalHosts (mail from these hosts is signed) and/or ExternalIgnoreList (their mail is not flagged as suspicious).',
      { fixes: [
        fix('Change to InternalHosts', [replaceEdit(name.range, 'InternalHosts')], true),
        fix('Change to ExternalIgnoreList', [replaceEdit(name.range, 'ExternalIgnoreList')]),
      ] });
  }
  const similar = suggest ? similarOptionNames(name.text) : [];
  const hint = similar.length > 0 ? ` Did you mean ${similar.join(' or ')}?` : ' See opendkim.conf(5) for the option names.';
  return finding(name.range, 'error', 'opendkim/unknown-option',
    `OpenDKIM does not know the option "${name.text}" and refuses to start ("unrecognized parameter").${hint}`,
    { fixes: similar.map((s, k) => fix(`Change to ${s}`, [replaceEdit(name.range, s)], k === 0 && similar.length === 1)) });
}

/**
 * An option set more than once in one file: OpenDKIM uses the last line (config_get finds
 * the newest entry first), so the earlier ones do nothing. Include may repeat.
 */
function duplicateOptions(tree: ConfTree, uri: string): Finding[] {
  const out: Finding[] = [];
  const last = new Map<string, ConfOption>();
  for (const o of tree.options) if (o.value) last.set(o.name.text.toLowerCase(), o);
  for (const o of tree.options) {
    const key = o.name.text.toLowerCase();
    const winner = last.get(key);
    if (!o.value || !winner || winner === o || key === 'include' || !optionInfo(key)?.compiledIn) continue;
    const same = winner.value?.text === o.value.text;
    out.push(finding(o.name.range, same ? 'information' : 'warning', 'opendkim/duplicate-option',
      same
        ? `${o.name.text} is set to the same value again on ${lineLabel(winner.line)}; this line is redundant.`
        : `${o.name.text} is set again on ${lineLabel(winner.line)} (${winner.value?.text}). OpenDKIM uses the last setting, so this line (${o.value.text}) has no effect. Remove the line that is wrong.`,
      {
        related: [{ uri, range: winner.name.range, message: `${winner.name.text} ${winner.value?.text}: the setting in effect` }],
        fixes: [fix('Remove this line', [replaceEdit(wholeLineRange(o.line), '')], same)],
      }));
  }
  return out;
}

// ---------------------------------------------------------------- values

interface Flags {
  syslog: boolean;
  autoRestart: boolean;
}

/** Range of text[start, end) inside a value token that sits on one line. */
function part(valueRange: Range, start: number, end: number): Range {
  const line = valueRange.start.line;
  const c = valueRange.start.character;
  return { start: { line, character: c + start }, end: { line, character: c + end } };
}

function checkValue(option: ConfOption, info: OptionInfo, text: string, range: Range, flags: Flags): Finding | undefined {
  const name = info.name;
  switch (info.kind) {
    case 'boolean': return checkBoolean(name, text, range);
    case 'integer': return checkInteger(name, text, range);
    case 'mode': return checkMode(text, range);
    case 'canonicalization': return checkCanonicalization(text, range, info.values ?? []);
    case 'signatureAlgorithm': return checkSignatureAlgorithm(text, range, info.values ?? []);
    case 'handling': return checkHandling(name, text, range, info.values ?? [], info.default);
    case 'keyAction':
    case 'atpsHash':
      return checkEnumeration(name, text, range, info.values ?? []);
    case 'syslogFacility': return checkSyslogFacility(text, range, info.values ?? [], flags.syslog);
    case 'minimum': return checkMinimum(text, range);
    case 'restartRate': return checkRestartRate(text, range, flags.autoRestart);
    case 'dataset': return checkDataset(option);
    default: return undefined;
  }
}

const BOOLEAN_WORDS: Readonly<Record<string, 'yes' | 'no'>> = {
  on: 'yes', enable: 'yes', enabled: 'yes', active: 'yes', ja: 'yes', oui: 'yes', si: 'yes', sí: 'yes', ok: 'yes',
  off: 'no', disable: 'no', disabled: 'no', inactive: 'no', nein: 'no', non: 'no', aus: 'no', an: 'yes', ein: 'yes',
};

function checkBoolean(name: string, text: string, range: Range): Finding | undefined {
  if (/^[tTyY1fFnN0]/.test(text)) return undefined;
  const meant = BOOLEAN_WORDS[text.toLowerCase()];
  return finding(range, 'error', 'opendkim/bad-boolean',
    `${name} is a yes/no option, and OpenDKIM looks only at the first character of its value: t, y or 1 mean yes, f, n or 0 mean no. "${text}" starts with none of them, so OpenDKIM refuses the file ("illegal value"). Write ${meant ?? 'yes or no'}.`,
    { fixes: meant ? [fix(`Write ${meant}`, [replaceEdit(range, meant)], true)] : [fix('Write yes', [replaceEdit(range, 'yes')]), fix('Write no', [replaceEdit(range, 'no')])] });
}

/** What C's strtol(s, &end, 0) consumes completely (OpenDKIM's values are already trimmed). */
const C_INTEGER = /^[+-]?(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/;

function checkInteger(name: string, text: string, range: Range): Finding | undefined {
  if (C_INTEGER.test(text)) {
    if (name === 'UMask' && /^[1-9][0-7]+$/.test(text)) {
      return finding(range, 'warning', 'opendkim/umask-decimal',
        `UMask ${text} is read as the decimal number ${text} (octal ${Number(text).toString(8).padStart(3, '0')}), not as the octal mask ${text}: OpenDKIM reads a number as octal only when it starts with 0. Write 0${text}.`,
        { fixes: [fix(`Write 0${text}`, [replaceEdit(range, '0' + text)], true)] });
    }
    return undefined;
  }
  let why = `"${text}" is not a whole number`;
  const fixes = [];
  if (/^0[0-9]+$/.test(text)) why = `"${text}" starts with 0, so OpenDKIM reads it as an octal number, which has no digits 8 or 9`;
  else if (/^0[xX]$/.test(text)) why = '"0x" has no hexadecimal digits after it';
  else {
    const unit = /^([+-]?[1-9][0-9]*|0)\s*[A-Za-z%]+$/.exec(text);
    if (unit) {
      why = `"${text}" has a unit; OpenDKIM takes a plain number (seconds, bytes or a count, see opendkim.conf(5))`;
      fixes.push(fix(`Write ${unit[1]}`, [replaceEdit(range, unit[1])]));
    }
  }
  return finding(range, 'error', 'opendkim/bad-integer',
    `${name} takes a number, and ${why}. OpenDKIM refuses the file ("illegal value").`, { fixes });
}

function checkMode(text: string, range: Range): Finding | undefined {
  if (/^[sv]+$/.test(text)) return undefined;
  const lower = text.toLowerCase();
  let meant: string | undefined;
  if (/^[sv]+$/.test(lower)) meant = [...new Set(lower)].join('');
  else if (lower.includes('sign') && lower.includes('verif')) meant = 'sv';
  else if (lower.startsWith('sign')) meant = 's';
  else if (lower.startsWith('verif')) meant = 'v';
  const bad = [...new Set([...text].filter((c) => c !== 's' && c !== 'v'))].map((c) => `"${c}"`).join(', ');
  return finding(range, 'error', 'opendkim/bad-mode',
    `Mode is made of the letters s (sign) and v (verify), in lower case: sv, s or v. ${bad} ${bad.includes(',') ? 'are' : 'is'} not a mode letter, so OpenDKIM refuses to start ("unknown mode").${meant ? ` Write ${meant}.` : ''}`,
    { fixes: meant ? [fix(`Write ${meant}`, [replaceEdit(range, meant)], true)] : [fix('Write sv', [replaceEdit(range, 'sv')]), fix('Write s', [replaceEdit(range, 's')]), fix('Write v', [replaceEdit(range, 'v')])] });
}

function checkCanonicalization(text: string, range: Range, values: readonly string[]): Finding | undefined {
  const slash = text.indexOf('/');
  const pieces: Array<[string, number, number, string]> = slash < 0
    ? [[text, 0, text.length, 'header']]
    : [[text.slice(0, slash), 0, slash, 'header'], [text.slice(slash + 1), slash + 1, text.length, 'body']];
  for (const [word, start, end, what] of pieces) {
    if (values.some((v) => v.toLowerCase() === word.toLowerCase())) continue;
    // An empty half ("relaxed/" or "/simple"): underline the slash.
    const r = word === '' ? part(range, slash, slash + 1) : part(range, start, end);
    const best = nearest(word, values, 1)[0];
    const suggestion = best && best.distance <= Math.max(2, Math.floor(word.length / 2)) ? best.name : undefined;
    return finding(r, 'error', 'opendkim/bad-canonicalization',
      `Canonicalization is written header/body, each ${values.join(' or ')} (for example relaxed/simple). "${word}" is not a canonicalization for the ${what}, so OpenDKIM refuses to start ("unknown canonicalization algorithm").${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
      { fixes: suggestion && word !== '' ? [fix(`Write ${suggestion}`, [replaceEdit(r, suggestion)], true)] : [fix('Write relaxed/simple', [replaceEdit(range, 'relaxed/simple')])] });
  }
  return undefined;
}

function checkSignatureAlgorithm(text: string, range: Range, values: readonly string[]): Finding | undefined {
  const lower = text.toLowerCase();
  if (lower === 'rsa-sha1') {
    return finding(range, 'warning', 'opendkim/deprecated-signature-algorithm',
      'rsa-sha1 is obsolete: RFC 8301 forbids signing with it and tells receivers not to accept such signatures, so your mail counts as unsigned (and fails DMARC by DKIM). Use rsa-sha256.',
      { fixes: [fix('Write rsa-sha256', [replaceEdit(range, 'rsa-sha256')], true)] });
  }
  if (values.some((v) => v.toLowerCase() === lower)) return undefined;
  const best = nearest(text, values, 1)[0];
  const suggestion = best && best.distance <= 4 ? best.name : 'rsa-sha256';
  return finding(range, 'error', 'opendkim/unknown-signature-algorithm',
    `OpenDKIM signs with ${values.join(', ')}; "${text}" is none of them, so it refuses to start ("unknown signing algorithm"). Write ${suggestion}.`,
    { fixes: [fix(`Write ${suggestion}`, [replaceEdit(range, suggestion)], true)] });
}

function checkEnumeration(name: string, text: string, range: Range, values: readonly string[]): Finding | undefined {
  if (values.some((v) => v.toLowerCase() === text.toLowerCase())) return undefined;
  const words = values.filter((v) => v.length > 1);
  const best = nearest(text, words, 1)[0];
  const suggestion = best && best.distance <= 3 ? best.name : undefined;
  return finding(range, 'error', 'opendkim/bad-value',
    `${name} takes one of ${words.join(', ')}; OpenDKIM does not know "${text}" and refuses to start.${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
    { fixes: suggestion ? [fix(`Write ${suggestion}`, [replaceEdit(range, suggestion)], true)] : [] });
}

/**
 * On-* actions. OpenDKIM 2.11 means to refuse an unknown one, but its parser returns -1
 * from a Boolean function, which counts as success: the value is silently ignored and the
 * default action stays.
 */
function checkHandling(name: string, text: string, range: Range, values: readonly string[], def: string | undefined): Finding | undefined {
  if (values.some((v) => v.toLowerCase() === text.toLowerCase())) return undefined;
  const words = values.filter((v) => v.length > 1);
  const best = nearest(text, words, 1)[0];
  const suggestion = best && best.distance <= 3 ? best.name : undefined;
  return finding(range, 'warning', 'opendkim/bad-value',
    `${name} takes one of ${words.join(', ')} (or their first letters). OpenDKIM does not know "${text}" and, through a bug in 2.11, silently ignores it: the default action${def ? ` (${def})` : ''} applies instead.${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
    { fixes: suggestion ? [fix(`Write ${suggestion}`, [replaceEdit(range, suggestion)], true)] : [] });
}

function checkSyslogFacility(text: string, range: Range, values: readonly string[], syslog: boolean): Finding | undefined {
  if (values.some((v) => v.toLowerCase() === text.toLowerCase())) return undefined;
  const best = nearest(text, values, 1)[0];
  const suggestion = best && best.distance <= 2 ? best.name : 'mail';
  return finding(range, syslog ? 'error' : 'warning', 'opendkim/unknown-syslog-facility',
    `"${text}" is not a syslog facility (${values.join(', ')}). OpenDKIM 2.11 does not catch this: it crashes at start when Syslog is on${syslog ? '' : ' (it is off here, so the value is unused for now)'}. Write ${suggestion}.`,
    { fixes: [fix(`Write ${suggestion}`, [replaceEdit(range, suggestion)], true)] });
}

function checkMinimum(text: string, range: Range): Finding | undefined {
  const m = /^\+?([0-9]+)([%+]?)$/.exec(text);
  if (m && !(m[2] === '%' && Number(m[1]) > 100)) return undefined;
  return finding(range, 'error', 'opendkim/bad-value',
    `Minimum takes a number of bytes (1000), a percentage up to 100% (80%) or a number with + (1000+); OpenDKIM refuses "${text}" ("illegal value for Minimum").`);
}

function checkRestartRate(text: string, range: Range, autoRestart: boolean): Finding | undefined {
  const m = /^\+?[0-9]+\/([0-9]+)([smhdSMHD]?)$/.exec(text);
  if (m && Number(m[1]) > 0) return undefined;
  return finding(range, autoRestart ? 'error' : 'warning', 'opendkim/bad-value',
    `AutoRestartRate is written count/time with an optional unit s, m, h or d, for example 10/1h (at most ten restarts an hour). OpenDKIM refuses "${text}" at start ("AutoRestartRate invalid")${autoRestart ? '' : ' once AutoRestart is on'}.`);
}

/** Dataset types OpenDKIM knows but Debian's build leaves out ("Unknown database type"). */
const NOT_BUILT = new Set(['repute', 'socket', 'mdb', 'erlang']);

function checkDataset(option: ConfOption): Finding | undefined {
  const ds = option.dataset;
  if (ds?.type && NOT_BUILT.has(ds.type) && ds.prefix) {
    return finding(ds.prefix.range, 'error', 'opendkim/dataset-type-not-built',
      `Debian's opendkim is built without ${ds.type}: datasets, so it stops at start ("Unknown database type"). Use a file (file: or refile:), db:, dsn: or ldap: instead.`);
  }
  const wildcards = (option.hosts ?? []).filter((h) => h.kind === 'wildcard');
  if (wildcards.length > 0 && ds?.type === 'csl') {
    const h = wildcards[0];
    const domain = h.host.text.replace(/^\*+/, '');
    return finding(h.host.range, 'warning', 'opendkim/wildcard-without-refile',
      `An inline list matches host names literally, so "${h.host.text}" never matches any client. To cover every host under ${domain.replace(/^\./, '')}, write ${domain}.`,
      { fixes: [fix(`Write ${domain}`, [replaceEdit(h.host.range, domain)], true)] });
  }
  return undefined;
}
