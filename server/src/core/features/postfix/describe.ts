// Markdown pieces about parameters, shared by hover and completion: code spans that
// survive any value, the value kind in words, defaults and version notes.

import {
  compareVersions, getServiceSuffix, parameterAvailability, type Deprecation, type ParameterInfo, type ParameterKind,
} from '../../postfix/catalogue';

/** A markdown code span for `text` (blanks of continuation lines collapsed). */
export function code(text: string, max = 300): string {
  let t = text.replace(/[\s]+/g, ' ').trim();
  if (t.length > max) t = `${t.slice(0, max)}…`;
  if (t === '') return '*(empty)*';
  const ticks = /`+/g;
  let longest = 0;
  for (const m of t.matchAll(ticks)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

const KIND_LABELS: Record<ParameterKind, string> = {
  boolean: 'boolean (yes/no)',
  time: 'time',
  integer: 'number',
  size: 'size in bytes',
  enumeration: 'one of fixed values',
  list: 'list',
  lookupTables: 'lookup tables',
  restrictions: 'restriction list',
  path: 'path',
  hostList: 'hosts/networks',
  domainList: 'domains',
  transport: 'transport[:nexthop]',
  service: 'master.cf service name',
  string: 'text',
};

const TIME_UNITS: Record<string, string> = { s: 'seconds', m: 'minutes', h: 'hours', d: 'days', w: 'weeks' };

/** The value kind in words: "time (bare numbers are seconds)", "one of: none, may, encrypt". */
export function kindText(info: Pick<ParameterInfo, 'kind' | 'unit' | 'values' | 'multiple' | 'min' | 'max'>): string {
  let s = KIND_LABELS[info.kind] ?? info.kind;
  if (info.kind === 'time' && info.unit) s += ` (a bare number means ${TIME_UNITS[info.unit] ?? info.unit})`;
  if (info.kind === 'enumeration' && info.values) s = `${info.multiple ? 'any of' : 'one of'}: ${info.values.map((v) => `\`${v}\``).join(', ')}`;
  if (info.min !== undefined && info.max !== undefined) s += `, ${info.min}…${info.max}`;
  else if (info.min !== undefined) s += `, at least ${info.min}`;
  return s;
}

/** Run-time defaults in words. */
const COMPUTED: Record<string, string> = {
  myhostname: 'the machine\'s fully-qualified host name',
  mydomain: '`$myhostname` without its first label',
  mynetworks: 'the networks of this machine\'s interfaces, as `mynetworks_style` says',
  process_id: 'the process ID of the running program',
  process_name: 'the name of the running program',
  service_name: 'the master.cf service name of the running program',
};

export function defaultText(info: ParameterInfo): string {
  if (info.default === null || info.computedDefault) return `computed at run time: ${COMPUTED[info.name] ?? 'depends on the system'}`;
  let s = code(info.default);
  if (info.defaultLatest !== undefined && info.defaultLatest !== info.default) s += ` (newest Postfix: ${code(info.defaultLatest)})`;
  return s;
}

const STATUS: Record<Deprecation['status'], string> = {
  deprecated: 'Deprecated',
  renamed: 'Renamed',
  ignored: 'Ignored (has no effect)',
  obsolete: 'Obsolete',
  removed: 'Removed',
};

export function deprecationText(d: Deprecation): string {
  let s = STATUS[d.status] ?? 'Deprecated';
  if (d.since) s += ` since Postfix ${d.since}`;
  if (d.replacement) s += d.status === 'renamed' ? `: now \`${d.replacement}\`` : `: use \`${d.replacement}\` instead`;
  return `${s}.`;
}

/** Version facts of a built-in parameter, with a warning when the configured version lacks it. */
export function versionLines(info: ParameterInfo, version: string): string[] {
  const lines: string[] = [];
  const facts: string[] = [];
  if (info.since) facts.push(`Since Postfix ${info.since}${info.backports?.length ? ` (back-ported to ${info.backports.join(', ')})` : ''}.`);
  if (info.removedIn) facts.push(`Removed in Postfix ${info.removedIn}.`);
  if (facts.length) lines.push(facts.join(' '));
  const a = parameterAvailability(info.name, version);
  if (a === 'newer') lines.push(`⚠ Not available in Postfix ${version} (the configured version).`);
  else if (a === 'removed') lines.push(`⚠ No longer accepted by Postfix ${version} (the configured version).`);
  else if (a === 'legacy') lines.push(`Accepted by Postfix ${version} only as an old alias.`);
  if (info.deprecated) {
    const d = info.deprecated;
    const later = d.since && compareVersions(version, d.since) < 0;
    lines.push(`${later ? '' : '⚠ '}${deprecationText(d)}`);
  }
  if (info.readOnly) lines.push('Read-only: Postfix sets it itself and ignores assignments.');
  return lines;
}

export function docsLink(url: string | undefined): string | undefined {
  return url ? `[postconf(5)](${url})` : undefined;
}

/** Completion documentation for a built-in parameter. */
export function parameterDocumentation(info: ParameterInfo, version: string): string {
  const parts: string[] = [];
  if (info.description) parts.push(info.description);
  parts.push(`Kind: ${kindText(info)}.`, `Default: ${defaultText(info)}.`);
  parts.push(...versionLines(info, version));
  const link = docsLink(info.docs);
  if (link) parts.push(link);
  return parts.join('\n\n');
}

/** One line for a `<service><suffix>` parameter. */
export function serviceSuffixText(serviceName: string, command: string, suffix: string): string {
  const s = getServiceSuffix(suffix);
  const from = s?.defaultFrom ? ` When unset, \`$${s.defaultFrom}\` applies.` : '';
  return `Applies to the master.cf service \`${serviceName}\` (${command}) only: its \`${suffix.slice(1)}\` setting.${from}`;
}
