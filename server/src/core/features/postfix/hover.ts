// Hover for main.cf and master.cf: parameters (what they do, default, the value in effect
// with `$references` expanded, master.cf overrides, version notes, link to postconf(5)),
// `$name` references (where defined, value), lookup table types, restrictions, words that
// name master.cf services, and master.cf columns, commands and attributes.

import type { Position } from '../../types';
import type { FeatureContext, Hover } from '../types';
import { getParameter, getServiceSuffix, suggestParameterNames, compareVersions } from '../../postfix/catalogue';
import type { NameVerdict } from '../../postfix/nameRules';
import type { ServiceOption } from '../../postfix/tree';
import { postfixModel, type PostfixModel, type ServiceEntry, type ValueLookup } from '../../postfix/instance';
import { allValues, serviceLinkOf, servicesForLink, targetAt, type ServiceLink, type Target } from './locate';
import { code, defaultText, docsLink, kindText, serviceSuffixText, versionLines } from './describe';
import { describeRestriction } from './restrictionTexts';
import { describeTableType } from './tableTypeTexts';
import { ATTRIBUTE_TEXTS, COLUMN_TEXTS, COMMAND_TEXTS, SERVICE_TYPE_TEXTS } from './masterCfTexts';

/** The hover text for what `locate` finds at `position`. */
export function postfixHover(ctx: FeatureContext, position: Position): Hover | undefined {
  const model = postfixModel(ctx);
  const target = targetAt(ctx, model, position);
  if (!target) return undefined;
  const markdown = hoverText(model, target);
  if (!markdown) return undefined;
  return { markdown, range: targetRange(target) };
}

function targetRange(t: Target) {
  switch (t.kind) {
    case 'column':
    case 'optionFlag':
      return t.token.range;
    case 'attribute':
      return t.attribute.name.range;
    default:
      return t.range;
  }
}

function hoverText(model: PostfixModel, t: Target): string | undefined {
  switch (t.kind) {
    case 'parameterName':
      return parameterHover(model, t.name, { line: t.parameter.name.range.start.line });
    case 'optionName':
      return parameterHover(model, t.name, { service: t.service, option: t.option });
    case 'reference':
      return referenceHover(model, t.name, t.owner.service, t.owner.name);
    case 'restrictionClass':
      return referenceHover(model, t.name, t.owner.service, t.owner.name, true);
    case 'tableType':
      return describeTableType(t.type);
    case 'restriction':
      return describeRestriction(t.name);
    case 'serviceLink':
      return serviceLinkHover(model, t.link);
    case 'column':
      return columnHover(model, t.service, t.column);
    case 'optionFlag':
      return `**-o** — override for this service\n\nSets \`${t.option.name.text}\` for the \`${t.service.node.name.text}\` ` +
        'service only; main.cf\'s value (if any) stays in effect for every other service.';
    case 'attribute': {
      const text = ATTRIBUTE_TEXTS[t.attribute.name.text];
      return text ? `**${t.attribute.name.text}=** — ${t.service.command} attribute\n\n${text}` : undefined;
    }
  }
}

// ------------------------------------------------------------------ parameters

function lineNo(line: number): number {
  return line + 1;
}

/** Where a lookup result came from, in words. */
function sourceText(model: PostfixModel, r: ValueLookup): string {
  const s = r.source;
  switch (s.kind) {
    case 'override':
      return `set by \`-o\` of the \`${s.service.node.name.text}\` service (master.cf line ${lineNo(s.option.name.range.start.line)})`;
    case 'main':
      return `set on main.cf line ${lineNo(s.parameter.name.range.start.line)}`;
    case 'default':
      return model.main ? 'not set in main.cf: the default applies' : 'the default';
    case 'serviceDefault':
      return `not set: the value of \`${s.from}\` applies`;
    case 'computed':
      return 'not set: computed by Postfix at run time';
    case 'serviceField':
      return 'the value Postfix gives it for this service';
    case 'undefined':
      return 'not defined anywhere';
  }
}

/** "`raw` → `expanded`" with notes on loops and undefined names. */
function valueText(model: PostfixModel, name: string, raw: string, service?: ServiceEntry): string[] {
  const out: string[] = [];
  const ex = model.expand(raw, service, { self: name });
  const rawShown = code(raw);
  const expandedDiffers = raw.includes('$') && ex.text.replace(/\s+/g, ' ').trim() !== raw.replace(/\s+/g, ' ').trim();
  out.push(expandedDiffers ? `${rawShown} → ${code(ex.text)}` : rawShown);
  const notes: string[] = [];
  if (ex.cyclic.length) notes.push(`⚠ refers back to itself through ${ex.cyclic.map((c) => `\`$${c}\``).join(', ')} (left unexpanded)`);
  if (ex.undefinedNames.length) notes.push(`⚠ ${ex.undefinedNames.map((c) => `\`$${c}\``).join(', ')} not defined: Postfix substitutes nothing`);
  if (ex.computedNames.length) notes.push(`${ex.computedNames.map((c) => `\`$${c}\``).join(', ')} computed at run time`);
  if (notes.length) out.push(notes.join('; '));
  return out;
}

interface ParameterPlace {
  /** A main.cf definition on this line. */
  line?: number;
  /** A master.cf `-o`. */
  service?: ServiceEntry;
  option?: ServiceOption;
}

function parameterHover(model: PostfixModel, name: string, place: ParameterPlace): string {
  const info = getParameter(name);
  const verdict = place.service ? model.verdictForOverride(name, place.service) : model.verdictForMain(name);
  const lines: string[] = [];
  lines.push(`**${name}** — ${headline(info !== undefined, verdict)}`);
  if (info?.description) lines.push('', info.description);
  const status = statusLines(model, name, verdict);
  if (status.length) lines.push('', ...status);
  if (info) {
    let def = `Default: ${defaultText(info)}`;
    if (info.default?.includes('$')) {
      const ex = model.expand(info.default, place.service, { self: name });
      def += ` → ${code(ex.text)}`;
    }
    lines.push('', `Kind: ${kindText(info)}  `, def);
  }
  // The value in effect.
  if (place.service && place.option) {
    const svc = place.service.node.name.text;
    const effective = model.effectiveOverride(place.service, name);
    lines.push('', `For \`${svc}\`: ${valueText(model, name, place.option.value.text, place.service).join('  \n')}`);
    if (effective && effective !== place.option) {
      lines.push(`⚠ Set again by a later \`-o\` on master.cf line ${lineNo(effective.name.range.start.line)}, which wins.`);
    }
    const main = model.lookup(name);
    if (main.text !== undefined) {
      lines.push(`Elsewhere (${sourceText(model, main)}): ${valueText(model, name, main.text).join('  \n')}`);
    }
  } else {
    const main = model.lookup(name);
    if (main.text !== undefined) {
      lines.push('', `In effect (${sourceText(model, main)}): ${valueText(model, name, main.text).join('  \n')}`);
    }
    const defs = model.definitions.get(name) ?? [];
    if (defs.length > 1 && place.line !== undefined) {
      const last = defs[defs.length - 1];
      if (last.name.range.start.line !== place.line) {
        lines.push(`⚠ Set again on line ${lineNo(last.name.range.start.line)}: this line is ignored.`);
      } else {
        const earlier = defs.slice(0, -1).map((d) => lineNo(d.name.range.start.line)).join(', ');
        lines.push(`Also set on line${defs.length > 2 ? 's' : ''} ${earlier}, which ${defs.length > 2 ? 'are' : 'is'} ignored: this line wins.`);
      }
    }
    const overrides = overridesOf(model, name);
    if (overrides.length) {
      lines.push('', `Overridden in master.cf for: ${overrides.slice(0, 8).join(', ')}${overrides.length > 8 ? ` and ${overrides.length - 8} more` : ''}.`);
    }
  }
  if (info) {
    const v = versionLines(info, model.version);
    if (v.length) lines.push('', ...v);
    const link = docsLink(info.docs);
    if (link) lines.push('', link);
  } else if (verdict.valid && verdict.reason === 'service') {
    const sp = model.serviceParameter(name);
    const link = docsLink(sp ? getServiceSuffix(sp.suffix)?.docs : undefined);
    if (link) lines.push('', link);
  }
  return lines.join('\n');
}

function headline(builtin: boolean, verdict: NameVerdict): string {
  if (builtin) return 'Postfix parameter';
  if (!verdict.valid) return 'unknown parameter';
  switch (verdict.reason) {
    case 'service': return 'per-service parameter';
    case 'restrictionClass': return 'restriction class';
    case 'databaseClient': return 'database client setting';
    default: return 'user-defined parameter';
  }
}

function statusLines(model: PostfixModel, name: string, verdict: NameVerdict): string[] {
  if (verdict.valid) {
    switch (verdict.reason) {
      case 'builtin':
      case 'legacy':
        return [];
      case 'service': {
        const sp = model.serviceParameter(name);
        return sp ? [serviceSuffixText(sp.service.node.name.text, sp.service.command, sp.suffix)] : [];
      }
      case 'restrictionClass':
        return ['Listed in `smtpd_restriction_classes`: writing its name in a restriction list applies the restrictions of its value.'];
      case 'referenced':
        return ['Not a Postfix parameter: a name of your own, used through `$' + name + '` in other settings.'];
      case 'databaseClient':
        return [`An old-style setting of the \`${verdict.table}\` database table (better kept in the table's own configuration file).`];
    }
  }
  if (verdict.reason === 'readOnly') return ['⚠ Read-only: Postfix computes it and ignores this setting.'];
  const a = verdict.availability;
  if (a === 'newer') return [`⚠ Postfix ${model.version} (the configured version) does not have this parameter yet.`];
  if (a === 'removed') return [`⚠ Postfix ${model.version} (the configured version) no longer has this parameter.`];
  const suggestions = suggestParameterNames(name, { version: model.version, limit: 3 });
  const mean = suggestions.length ? ` Did you mean ${suggestions.map((s) => `\`${s}\``).join(' or ')}?` : '';
  return [`⚠ Postfix does not know this name and nothing refers to it as \`$${name}\`: \`postconf\` reports it as unused.${mean}`];
}

/** "`submission` (line 20): `value`" for each master.cf service overriding `name`. */
function overridesOf(model: PostfixModel, name: string): string[] {
  const out: string[] = [];
  for (const s of model.masterServices) {
    const o = model.effectiveOverride(s, name);
    if (o) out.push(`\`${s.node.name.text}\` (line ${lineNo(o.name.range.start.line)}): ${code(o.value.text, 60)}`);
  }
  return out;
}

/** `$name` in a value (or, with `asWord`, a restriction class named in a restriction list). */
function referenceHover(model: PostfixModel, name: string, service: ServiceEntry | undefined, ownerName: string, asWord = false): string {
  const r = model.lookup(name, service);
  const lines: string[] = [];
  const info = getParameter(name);
  lines.push(`**${asWord ? '' : '$'}${name}** — ${asWord ? 'restriction class, ' : ''}${sourceText(model, r)}`);
  if (r.text !== undefined) {
    lines.push('', `Value: ${valueText(model, name, r.text, service).join('  \n')}`);
  } else if (r.source.kind === 'undefined') {
    const suggestions = suggestParameterNames(name, { version: model.version, extraNames: model.definitions.keys(), limit: 3 });
    lines.push('', '⚠ Postfix substitutes an empty value here (`postconf` warns about an undefined parameter).' +
      (suggestions.length ? ` Did you mean ${suggestions.map((s) => `\`$${s}\``).join(' or ')}?` : ''));
  } else if (r.source.kind === 'computed' && info) {
    lines.push('', `Value: ${defaultText(info)}`);
  }
  if (ownerName === name && !service && !asWord) lines.push('', '⚠ The value refers to the parameter itself: Postfix stops with a loop error when it expands it.');
  if (info) {
    if (info.description) lines.push('', info.description);
    const v = versionLines(info, model.version);
    if (v.length) lines.push('', ...v);
    const link = docsLink(info.docs);
    if (link) lines.push('', link);
  } else if (model.restrictionClasses.has(name)) {
    lines.push('', 'A restriction class (listed in `smtpd_restriction_classes`).');
  }
  return lines.join('\n');
}

// ------------------------------------------------------------------ master.cf

function serviceLinkHover(model: PostfixModel, link: ServiceLink): string {
  const name = link.service;
  const what = link.kind === 'policy' ? 'policy service' : link.kind === 'transport' ? 'transport' : 'service';
  const found = servicesForLink(model, link);
  const lines = [`**${name}** — master.cf ${what}`];
  if (!model.master) {
    lines.push('', 'No master.cf beside this main.cf is open or known, so the service cannot be shown.');
  } else if (found.length === 0) {
    lines.push('', `⚠ master.cf defines no service \`${name}\`${link.kind === 'transport' && isBuiltinTransport(name) ? '' : ': Postfix cannot reach it'}.`);
  } else {
    for (const s of found) {
      const n = s.node;
      lines.push('', `master.cf line ${lineNo(n.name.range.start.line)}: \`${n.name.text}\` ${n.type?.text ?? ''}, runs \`${s.command || '?'}\``);
      if (n.argv.length) lines.push(`External command: ${code(n.argv.map((a) => a.text).join(' '), 120)}`);
    }
  }
  return lines.join('\n');
}

/** Transports that exist in every stock master.cf; a custom master.cf may still lack them. */
function isBuiltinTransport(name: string): boolean {
  return ['smtp', 'relay', 'local', 'virtual', 'lmtp', 'error', 'retry', 'discard'].includes(name);
}

function columnHover(model: PostfixModel, service: ServiceEntry, column: keyof typeof COLUMN_TEXTS): string {
  const c = COLUMN_TEXTS[column];
  const token = service.node[column]!;
  const value = token.text;
  const lines = [`**${c.title}**: \`${value}\``, '', c.about];
  const meaning = columnValueMeaning(model, service, column, value);
  if (meaning) lines.push('', meaning);
  if (value === '-' && c.dash) lines.push('', `\`-\` is ${c.dash}`);
  return lines.join('\n');
}

function columnValueMeaning(model: PostfixModel, service: ServiceEntry, column: keyof typeof COLUMN_TEXTS, value: string): string | undefined {
  switch (column) {
    case 'name':
      return serviceUsers(model, service);
    case 'type':
      return SERVICE_TYPE_TEXTS[value] ?? `⚠ \`${value}\` is not a service type.`;
    case 'private':
      return value === 'y' ? 'This service: private socket.' : value === 'n' ? 'This service: public (or network) socket.' : undefined;
    case 'unprivileged':
      return value === 'y' ? 'This service runs as `$mail_owner`.' : value === 'n' ? 'This service runs as root.' : undefined;
    case 'chroot':
      return chrootMeaning(model, service, value);
    case 'wakeup': {
      if (value === '-' || value === '0') return 'This service is not woken up.';
      const used = value.endsWith('?');
      const n = used ? value.slice(0, -1) : value;
      return /^\d+$/.test(n) ? `Woken every ${n} seconds${used ? ', but only while it is in use' : ''}.` : undefined;
    }
    case 'maxproc': {
      if (value === '0') return 'No limit on the number of processes.';
      if (value === '-') {
        const r = model.lookup('default_process_limit');
        return r.text !== undefined ? `Here: \`default_process_limit\` = ${code(r.text)} (${sourceText(model, r)}).` : undefined;
      }
      return /^\d+$/.test(value) ? `At most ${value} process${value === '1' ? '' : 'es'} at a time.` : undefined;
    }
    case 'command': {
      const text = COMMAND_TEXTS[value];
      if (text) return `\`${value}\`: ${text}`;
      return `\`${value}\` is not one of Postfix's daemons: master(8) runs \`$daemon_directory/${value}\`, which must exist.`;
    }
  }
}

function chrootMeaning(model: PostfixModel, service: ServiceEntry, value: string): string | undefined {
  const chrootDefault = compareVersions(model.version, '3.0') >= 0 ? 'n' : 'y';
  const effective = value === '-' ? chrootDefault : value;
  if (effective !== 'y') return value === '-' ? `Here: not chrooted (the default of Postfix ${model.version} is \`${chrootDefault}\`).` : 'This service is not chrooted.';
  const qd = model.lookup('queue_directory');
  const dir = qd.text !== undefined ? model.expand(qd.text).text : '/var/spool/postfix';
  const lines = [`This service runs chrooted in \`${dir}\`.`];
  const sockets = milterSockets(model, service);
  for (const s of sockets) {
    lines.push(`\`${s.parameter}\` names the socket \`${s.path}\`: from inside the jail that is \`${dir.replace(/\/$/, '')}${s.path}\` on disk.`);
  }
  return lines.join('  \n');
}

/** UNIX-socket milters this service talks to (smtpd: smtpd_milters; cleanup: non_smtpd_milters). */
function milterSockets(model: PostfixModel, service: ServiceEntry): Array<{ parameter: string; path: string }> {
  const parameter = service.command === 'smtpd' ? 'smtpd_milters' : service.command === 'cleanup' ? 'non_smtpd_milters' : undefined;
  if (!parameter) return [];
  const r = model.lookup(parameter, service);
  if (r.text === undefined) return [];
  const expanded = model.expand(r.text, service, { limit: 2000 }).text;
  const out: Array<{ parameter: string; path: string }> = [];
  for (const word of expanded.split(/[\s,]+/)) {
    const m = /^(?:unix|local):(\/.+)$/.exec(word.replace(/^\{\s*/, ''));
    if (m) out.push({ parameter, path: m[1] });
  }
  return out;
}

/** Where main.cf (and master.cf -o values) name this service. */
function serviceUsers(model: PostfixModel, service: ServiceEntry): string | undefined {
  const users: string[] = [];
  for (const owner of allValues(model)) {
    const words = owner.value.words;
    for (let i = 0; i < words.length; i++) {
      const link = serviceLinkOf(owner.name, words, i);
      if (!link || !servicesForLink(model, link).includes(service)) continue;
      const file = owner.service ? 'master.cf' : 'main.cf';
      users.push(`\`${owner.name}\` (${file} line ${lineNo(link.range.start.line)})`);
    }
  }
  for (const [name, defs] of model.definitions) {
    if (model.serviceParameter(name)?.service === service) users.push(`\`${name}\` (main.cf line ${lineNo(defs[defs.length - 1].name.range.start.line)})`);
  }
  const parts: string[] = [];
  if (service.command) parts.push(`Runs \`${service.command}\`${COMMAND_TEXTS[service.command] ? `: ${COMMAND_TEXTS[service.command]}` : '.'}`);
  if (users.length) parts.push(`Used by ${users.slice(0, 8).join(', ')}${users.length > 8 ? ' …' : ''}.`);
  return parts.length ? parts.join('  \n') : undefined;
}
