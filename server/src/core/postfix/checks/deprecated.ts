// postfix/deprecated-parameter: a parameter the configured Postfix version still accepts,
// but that upstream has deprecated, renamed, or stopped using (ignored). Names a version no
// longer accepts at all are "unknown" (parameterNames.ts), since Postfix ignores them.
//
// Quick fixes only where the replacement means exactly the same:
//   - a rename keeps the value (same kind and unit);
//   - the old TLS switches (smtpd_use_tls, smtpd_enforce_tls, smtp_tls_enforce_peername …)
//     become the one *_tls_security_level value Postfix derives from them, as long as that
//     parameter is not set (when it is, the old switches are ignored and the fix removes them);
//   - an ignored parameter is removed.

import type { AnalysisContext } from '../../context';
import type { Finding, Fix, TextEdit } from '../../types';
import { deprecationIn, getParameter, isKnownParameter, type ParameterInfo } from '../catalogue';
import { makeFinding } from '../findings';
import { isMainCfDocument, postfixModel, type PostfixModel, type ServiceEntry } from '../instance';
import { mainSettings, overrideSettings, type Setting } from './settings';
import { wholeLinesRange } from './edits';

export function checkMainCfDeprecated(ctx: AnalysisContext): Finding[] {
  if (!isMainCfDocument(ctx.doc)) return [];
  const model = postfixModel(ctx);
  const text = ctx.doc.analysis.text;
  return mainSettings(model).flatMap((s) => {
    const defs = model.definitions.get(s.name.text) ?? [];
    const inEffect = defs[defs.length - 1]?.name === s.name;
    return check(model, s, inEffect ? text : undefined);
  });
}

export function checkMasterCfDeprecated(ctx: AnalysisContext): Finding[] {
  const model = postfixModel(ctx);
  return overrideSettings(model).flatMap((s) => check(model, s, undefined));
}

/** `text` is the main.cf text when quick fixes that edit main.cf may be offered. */
function check(model: PostfixModel, s: Setting, text: string | undefined): Finding[] {
  const name = s.name.text;
  const verdict = s.service ? model.rules.checkServiceOverride(name, s.service.model) : model.rules.checkMainName(name);
  if (!verdict.valid || (verdict.reason !== 'builtin' && verdict.reason !== 'legacy')) return [];
  const info = getParameter(name);
  const dep = deprecationIn(info, model.version);
  // A removed name is not deprecated but unknown (parameterNames.ts).
  if (!info || !dep || dep.status === 'removed') return [];
  const replacement = dep.replacement && isKnownParameter(dep.replacement, model.version) ? dep.replacement : undefined;
  const since = dep.since ? ` since Postfix ${dep.since}` : '';
  const warns = dep.postconfWarnsSince ? ` From Postfix ${dep.postconfWarnsSince} on, postconf warns about it.` : '';
  let message: string;
  const fixes: Fix[] = [];
  switch (dep.status) {
    case 'ignored':
      message = `\`${name}\` has no effect${since}: Postfix ignores it. Remove the line.`;
      if (text !== undefined) fixes.push(deleteFix(text, s, `Remove \`${name}\` (it has no effect)`));
      break;
    case 'renamed':
      message = `\`${name}\` was renamed to \`${replacement ?? dep.replacement}\`${since}. The old name still works for now, ` +
        `but will go away; use the new one.${warns}`;
      break;
    case 'obsolete':
      message = `\`${name}\` is obsolete${since}: Postfix no longer needs it${replacement ? ` (see \`${replacement}\`)` : ''}. ` +
        'Remove the line.';
      break;
    default:
      message = `\`${name}\` is deprecated${since}${replacement ? `: use \`${replacement}\` instead` : ''}.${warns}`;
  }
  if (dep.status !== 'ignored' && replacement) {
    const tls = TLS_GROUPS.find((g) => g.use === name || g.enforce === name || g.peername === name);
    if (tls) {
      const fix = text !== undefined ? tlsFix(model, tls, s, text) : undefined;
      if (fix) {
        fixes.push(fix.fix);
        message += fix.explanation;
      }
    } else if (sameMeaning(info, replacement, s) && !model.mainValues.has(replacement) && !s.service?.overrides.has(replacement)) {
      fixes.push({ title: `Rename to \`${replacement}\``, preferred: true, edits: [{ range: s.name.range, newText: replacement }] });
    }
  }
  return [makeFinding('postfix/deprecated-parameter', 'warning', s.name.range, message, fixes)];
}

/** True when the value of `info` means the same under the name `replacement`. */
function sameMeaning(info: ParameterInfo, replacement: string, s: Setting): boolean {
  const r = getParameter(replacement);
  if (!r || r.kind !== info.kind) return false;
  // A bare number counts in the parameter's own unit: only equal units keep the meaning.
  if (info.kind === 'time' && r.unit !== info.unit && !/[smhdw]$/.test(s.value.text.trim())) return false;
  return true;
}

function deleteFix(text: string, s: Setting, title: string): Fix {
  return { title, preferred: true, edits: [{ range: wholeLinesRange(text, s.range.start.line, s.range.end.line), newText: '' }] };
}

// ------------------------------------------------------------------ the old TLS switches

export interface TlsGroup {
  use: string;
  enforce: string;
  /** smtp/lmtp only: with enforce = yes, verify the server name (level verify) unless no. */
  peername?: string;
  level: string;
}

const TLS_GROUPS: TlsGroup[] = [
  { use: 'smtpd_use_tls', enforce: 'smtpd_enforce_tls', level: 'smtpd_tls_security_level' },
  { use: 'smtp_use_tls', enforce: 'smtp_enforce_tls', peername: 'smtp_tls_enforce_peername', level: 'smtp_tls_security_level' },
  { use: 'lmtp_use_tls', enforce: 'lmtp_enforce_tls', peername: 'lmtp_tls_enforce_peername', level: 'lmtp_tls_security_level' },
  { use: 'postscreen_use_tls', enforce: 'postscreen_enforce_tls', level: 'postscreen_tls_security_level' },
  { use: 'tlsproxy_use_tls', enforce: 'tlsproxy_enforce_tls', level: 'tlsproxy_tls_security_level' },
  { use: 'tlsproxy_client_use_tls', enforce: 'tlsproxy_client_enforce_tls', level: 'tlsproxy_client_security_level' },
];

/** The old switches that stand in for `levelParameter` while it is empty (tls.ts reads them too). */
export function oldTlsSwitches(levelParameter: string): TlsGroup | undefined {
  return TLS_GROUPS.find((g) => g.level === levelParameter);
}

/** A yes/no parameter in effect (inside `service` when given); undefined when it cannot be read. */
export function yesNo(model: PostfixModel, name: string, service?: ServiceEntry): boolean | undefined {
  const raw = model.valueInEffect(name, service);
  const v = raw === undefined ? undefined : model.expandExact(raw, service)?.trim().toLowerCase();
  return v === 'yes' ? true : v === 'no' ? false : undefined;
}

/**
 * The level Postfix derives from a group's old switches (enforce → encrypt, or verify with
 * peer name checks; use → may; else none), inside `service` when given; undefined when a
 * switch cannot be read.
 */
export function levelOfOldSwitches(model: PostfixModel, g: TlsGroup, service?: ServiceEntry): string | undefined {
  const use = yesNo(model, g.use, service);
  const enforce = yesNo(model, g.enforce, service);
  const peername = g.peername ? yesNo(model, g.peername, service) : false;
  if (use === undefined || enforce === undefined || peername === undefined) return undefined;
  return enforce ? (peername ? 'verify' : 'encrypt') : use ? 'may' : 'none';
}

/**
 * The fix for one of the old TLS switches: the level Postfix derives from all of them
 * (enforce → encrypt, or verify with peer name checks; use → may; else none), replacing
 * this line and removing the group's other switches from main.cf.
 */
function tlsFix(model: PostfixModel, g: TlsGroup, s: Setting, text: string): { fix: Fix; explanation: string } | undefined {
  const levelRaw = model.valueInEffect(g.level);
  const level = levelRaw === undefined ? undefined : model.expandExact(levelRaw);
  if (level === undefined) return undefined;
  const others = [g.use, g.enforce, g.peername].filter((n): n is string => n !== undefined && n !== s.name.text);
  const removeOthers: TextEdit[] = others.flatMap((n) => (model.definitions.get(n) ?? []).map((p) => ({
    range: wholeLinesRange(text, p.range.start.line, p.range.end.line), newText: '',
  })));
  if (level.trim() !== '') {
    return {
      fix: deleteFix(text, s, `Remove \`${s.name.text}\` (ignored: \`${g.level}\` is set)`),
      explanation: ` Here it has no effect at all: \`${g.level}\` is set, and then Postfix ignores \`${s.name.text}\`.`,
    };
  }
  const derived = levelOfOldSwitches(model, g);
  if (derived === undefined) return undefined;
  const settings = [g.use, g.enforce, g.peername].filter((n): n is string => n !== undefined && model.mainValues.has(n))
    .map((n) => `\`${n} = ${model.mainValues.get(n)!.trim()}\``).join(' with ');
  return {
    fix: {
      title: `Replace with \`${g.level} = ${derived}\``,
      preferred: true,
      edits: [{ range: s.range, newText: `${g.level} = ${derived}` }, ...removeOthers],
    },
    explanation: ` ${settings} means \`${g.level} = ${derived}\`.`,
  };
}
