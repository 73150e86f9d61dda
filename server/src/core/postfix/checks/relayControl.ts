// postfix/open-relay: the SMTP server's relay control is missing. smtpd(8) insists that
// smtpd_relay_restrictions or smtpd_recipient_restrictions contains reject_unauth_destination
// (or defer_unauth_destination, reject, defer, defer_if_permit, check_relay_domains) before
// any `permit` — otherwise it would relay for anyone, so it refuses to run ("specify at least
// one working instance of …"). We apply the same test smtpd does (smtpd_check.c has_required():
// restriction classes count by their content, `warn_if_reject X` skips X, `permit` ends
// the search).
//
// When smtpd_relay_restrictions is not set, its default (since Postfix 2.10 with a
// compatibility_level of 1 or more) `permit_mynetworks, permit_sasl_authenticated,
// defer_unauth_destination` applies and is enough. Only an explicit override can break it;
// main.cf snippets without compatibility_level are taken to have the distribution's level.
// master.cf services running smtpd may override either list with `-o`: checked per service.

import type { AnalysisContext } from '../../context';
import type { Finding, RelatedLocation } from '../../types';
import { compareVersions, RELAY_REQUIRED_RESTRICTIONS } from '../catalogue';
import { makeFinding } from '../findings';
import type { Token } from '../tree';
import { isMainCfDocument, postfixModel, type PostfixModel, type ServiceEntry } from '../instance';
import { splitList } from '../expand';

const RELAY = 'smtpd_relay_restrictions';
const RECIPIENT = 'smtpd_recipient_restrictions';
const PROTECTIVE_DEFAULT = 'permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination';

export function checkMainCfRelayControl(ctx: AnalysisContext): Finding[] {
  if (!isMainCfDocument(ctx.doc)) return [];
  const model = postfixModel(ctx);
  if (relayControl(model) !== 'missing') return [];
  const last = (name: string) => model.definitions.get(name)?.at(-1);
  const relay = last(RELAY);
  const recipient = last(RECIPIENT);
  // The finding sits on the list that does the relay control: the relay restrictions, unless
  // they are empty (or unset, with compatibility_level below 1) and the recipient restrictions
  // are in charge.
  const target = relay && (relay.value.text.trim() !== '' || !recipient) ? relay : recipient ?? last('compatibility_level');
  if (!target) return [];
  const other = [relay, recipient].find((p) => p && p !== target);
  const related: RelatedLocation[] = other ? [{ uri: ctx.doc.uri, range: other.name.range, message: `\`${other.name.text}\` lacks relay control too` }] : [];
  return [openRelay(target.name, 'main.cf', related)];
}

export function checkMasterCfRelayControl(ctx: AnalysisContext): Finding[] {
  const model = postfixModel(ctx);
  if (model.masterAssumed) return [];
  const findings: Finding[] = [];
  const mainBroken = model.main !== undefined && relayControl(model) === 'missing';
  for (const service of model.services) {
    if (service.command !== 'smtpd') continue;
    const options = [...(service.options.get(RELAY) ?? []), ...(service.options.get(RECIPIENT) ?? [])];
    if (options.length === 0) continue;
    if (relayControl(model, service) !== 'missing') continue;
    // A service that only inherits main.cf's broken lists is reported in main.cf.
    const inherited = mainBroken && options.every((o) => o.value.text === model.mainValues.get(o.name.text));
    if (inherited) continue;
    const last = options[options.length - 1];
    findings.push(openRelay(last.name, `the \`-o\` settings of the service \`${service.name}\``, []));
  }
  return findings;
}

function openRelay(at: Token, where: string, related: RelatedLocation[]): Finding {
  const f = makeFinding('postfix/open-relay', 'error', at.range,
    `Relay control is missing in ${where}: neither \`${RELAY}\` nor \`${RECIPIENT}\` contains ` +
    '`reject_unauth_destination` (or `defer_unauth_destination`, `reject`, `defer`) before a `permit`. Such a server ' +
    'would relay mail for anyone, so smtpd refuses to run ("specify at least one working instance of …") and no mail ' +
    `is received. Add \`reject_unauth_destination\` after your permit_* rules, e.g. \`${RELAY} = ${PROTECTIVE_DEFAULT.replace('defer_', 'reject_')}\`.`);
  if (related.length) f.related = related;
  return f;
}

/** 'ok', 'missing', or 'unknown' when a list cannot be read (unresolvable $references). */
export function relayControl(model: PostfixModel, service?: ServiceEntry): 'ok' | 'missing' | 'unknown' {
  const classes = model.restrictionClassesFor(service);
  let unknown = false;
  for (const name of [RELAY, RECIPIENT]) {
    const raw = listValue(model, name, service);
    const value = raw === undefined ? undefined : model.expandExact(raw, service);
    if (value === undefined) {
      unknown = true;
      continue;
    }
    const r = hasRequired(model, splitList(value), classes, service, 0);
    if (r === true) return 'ok';
    if (r === undefined) unknown = true;
  }
  return unknown ? 'unknown' : 'missing';
}

/** The list in effect; the relay list's default is the protective one unless compatibility_level is set below 1. */
function listValue(model: PostfixModel, name: string, service?: ServiceEntry): string | undefined {
  const explicit = service?.overrides.get(name) ?? model.mainValues.get(name);
  if (explicit !== undefined) return explicit;
  if (name !== RELAY) return model.valueInEffect(name, service);
  const level = model.mainValues.get('compatibility_level');
  const expanded = level === undefined ? undefined : model.expandExact(level, service);
  return expanded !== undefined && compareVersions(expanded.trim() || '0', '1') < 0 ? '' : PROTECTIVE_DEFAULT;
}

const REQUIRED = new Set(RELAY_REQUIRED_RESTRICTIONS);

/** smtpd_check.c has_required(): true, false, or undefined when a class cannot be read. */
function hasRequired(model: PostfixModel, words: string[], classes: Set<string>, service: ServiceEntry | undefined, depth: number): boolean | undefined {
  if (depth > 20) return undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === 'warn_if_reject' && i + 1 < words.length) {
      i++;
      continue;
    }
    if (w === 'permit') return false;
    if (REQUIRED.has(w)) return true;
    if (classes.has(w)) {
      const raw = service?.overrides.get(w) ?? model.mainValues.get(w);
      const value = raw === undefined ? undefined : model.expandExact(raw, service);
      if (value === undefined) return undefined;
      const inner = hasRequired(model, splitList(value), classes, service, depth + 1);
      if (inner !== false) return inner;
    }
  }
  return false;
}
