// TLS settings that keep mail from arriving, or send it unencrypted. What Postfix does is
// read from its source (smtpd/smtpd.c, tls/tls_certkey.c, smtp/smtp_proto.c, postconf.proto):
//
// postfix/tls-required-on-mx: smtpd_tls_security_level = encrypt (or the old
//   smtpd_enforce_tls = yes) on the smtpd that receives mail from the internet (an inet
//   service on port 25, or the smtpd behind postscreen there). smtpd then answers every
//   command but EHLO/HELO/STARTTLS/NOOP/QUIT with "530 5.7.0 Must issue a STARTTLS command
//   first", so servers that do not speak TLS cannot deliver; RFC 3207 section 4 forbids it
//   for a publicly referenced server. Submission services (587, 465) may and should require TLS.
//
// postfix/tls-without-certificate: an smtpd service wants TLS (level may or encrypt, the old
//   switches, or wrapper mode) but none of smtpd_tls_cert_file, _eccert_file, _dcert_file and
//   _chain_files is set (or a certificate's key is set to nothing). smtpd logs "No server
//   certs available. TLS won't be enabled", still announces STARTTLS, and answers it with
//   "454 4.7.0 TLS not available due to local problem": with encrypt nothing is accepted at
//   all (530 for the rest), in wrapper mode every connection is dropped, with may mail comes
//   in unencrypted. smtpd_tls_cert_file = none (anonymous ciphers) is deliberate: not reported.
//   Judged only with both files in the workspace: a lone main.cf may be a snippet.
//
// postfix/outbound-tls-off: the SMTP client's level is none or empty (and the old
//   smtp_use_tls/smtp_enforce_tls are off): every message leaves unencrypted. The default is
//   empty before Postfix 3.11 and with compatibility_level below 3.11, `may` after. Not
//   reported with smtp_tls_policy_maps (TLS per destination) or a relayhost on this host.
//   Left unset, it is reported only when main.cf sets up TLS otherwise and its master.cf is
//   there too (else it may be a snippet).
//
// Values are judged in effect for each master.cf service (its `-o` first, then main.cf, then
// the default) and after $name expansion; a value that cannot be expanded exactly is skipped.

import { andList } from '../../text/andList';
import type { AnalysisContext } from '../../context';
import type { Finding, Range, TextEdit } from '../../types';
import { compareVersions, getParameter } from '../catalogue';
import { makeFinding } from '../findings';
import type { Parameter, ServiceOption } from '../tree';
import { hasTemplateExpression } from '../template';
import { splitList } from '../expand';
import { isMainCfDocument, postfixModel, type PostfixModel, type ServiceEntry, type ValueLookup } from '../instance';
import { levelOfOldSwitches, oldTlsSwitches, yesNo } from './deprecated';
import { assumedMasterNote } from './wording';
import { lineIndexOf } from './edits';

const SMTPD_LEVEL = 'smtpd_tls_security_level';
const SMTP_LEVEL = 'smtp_tls_security_level';
const WRAPPER = 'smtpd_tls_wrappermode';
/** postconf.proto: "smtp_tls_security_level (Postfix ≥ 3.11: may; Postfix < 3.11: empty)". */
const SMTP_MAY_BY_DEFAULT_SINCE = '3.11';

type Level = 'none' | 'may' | 'encrypt';

/** What an smtpd service does with TLS, and the setting that decides it. */
interface SmtpdTls {
  level: Level;
  /** smtpd_tls_wrappermode = yes (port 465): TLS from the first byte. */
  wrapper: boolean;
  /** The parameter whose value decides (the level, an old switch, or wrapper mode) … */
  decidedBy: string;
  /** … and where that value comes from. */
  lookup: ValueLookup;
}

/** smtpd.c: wrapper mode wins; else a non-empty level; else the old switches. Undefined when unknown. */
function smtpdTls(model: PostfixModel, service: ServiceEntry): SmtpdTls | undefined {
  const wrapper = yesNo(model, WRAPPER, service);
  if (wrapper === undefined) return undefined;
  if (wrapper) return { level: 'encrypt', wrapper, decidedBy: WRAPPER, lookup: model.lookup(WRAPPER, service) };
  const lookup = model.lookup(SMTPD_LEVEL, service);
  const value = exactValue(model, lookup, service)?.toLowerCase();
  if (value === undefined) return undefined;
  if (value !== '') {
    // smtpd takes fingerprint, verify and secure as encrypt (with a warning); anything else is fatal.
    const level: Level | undefined = value === 'none' || value === 'may' ? value
      : ['encrypt', 'fingerprint', 'verify', 'secure'].includes(value) ? 'encrypt' : undefined;
    return level && { level, wrapper, decidedBy: SMTPD_LEVEL, lookup };
  }
  const switches = oldTlsSwitches(SMTPD_LEVEL)!;
  const derived = levelOfOldSwitches(model, switches, service);
  if (derived === undefined) return undefined;
  const level: Level = derived === 'none' || derived === 'may' ? derived : 'encrypt';
  const decidedBy = level === 'encrypt' ? switches.enforce : level === 'may' ? switches.use : SMTPD_LEVEL;
  return { level, wrapper, decidedBy, lookup: model.lookup(decidedBy, service) };
}

/** The value of a lookup, expanded and trimmed; undefined when unknown or a template. */
function exactValue(model: PostfixModel, lookup: ValueLookup, service?: ServiceEntry): string | undefined {
  if (lookup.text === undefined || hasTemplateExpression(lookup.text)) return undefined;
  return model.expandExact(lookup.text, service)?.trim();
}

function valueOf(model: PostfixModel, name: string, service?: ServiceEntry): string | undefined {
  return exactValue(model, model.lookup(name, service), service);
}

// ------------------------------------------------------------------ where a value is written

/** A place where the deciding value is written: a main.cf line or a service's `-o`. */
type Written =
  | { file: 'main'; parameter: Parameter }
  | { file: 'master'; service: ServiceEntry; option: ServiceOption };

function writtenAt(lookup: ValueLookup): Written | undefined {
  if (lookup.source.kind === 'main') return { file: 'main', parameter: lookup.source.parameter };
  if (lookup.source.kind === 'override') return { file: 'master', service: lookup.source.service, option: lookup.source.option };
  return undefined;
}

function nameRange(w: Written): Range {
  return w.file === 'main' ? w.parameter.name.range : w.option.name.range;
}

/** "`smtpd_tls_security_level = encrypt` in main.cf" / "`-o smtpd_enforce_tls=yes` of the service `smtp`". */
function describeWritten(w: Written): string {
  if (w.file === 'main') return `\`${w.parameter.name.text} = ${clip(w.parameter.value.text)}\` in main.cf`;
  return `\`-o ${w.option.name.text}=${clip(w.option.value.text)}\` of the service \`${w.service.name}\``;
}

/** "`a`", "`a` and `b`", "`a`, `b` and `c`". */
function quotedList(names: readonly string[]): string {
  return andList(names.map((n) => `\`${n}\``));
}

/** A value for a message: on one line, shortened. */
function clip(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 39)}…` : t;
}

/**
 * The edit that makes `levelParameter` `level` where `w` is written: the value itself when
 * `w` sets that parameter, else (an old switch) the whole setting becomes the level parameter,
 * which Postfix then reads instead of the old switches.
 */
function setLevelEdit(model: PostfixModel, w: Written, levelParameter: string, level: string): TextEdit {
  if (w.file === 'main') {
    const p = w.parameter.name.text === levelParameter ? w.parameter : model.effectiveDefinition(levelParameter) ?? w.parameter;
    if (p.name.text === levelParameter && p.value.text.trim() !== '') return { range: p.value.range, newText: level };
    return { range: p.range, newText: `${levelParameter} = ${level}` };
  }
  const own = model.effectiveOverride(w.service, levelParameter);
  const o = w.option.name.text === levelParameter ? w.option : own ?? w.option;
  if (o.name.text === levelParameter && o.value.text.trim() !== '' && !o.braced) return { range: o.value.range, newText: level };
  return { range: o.range, newText: `-o ${levelParameter}=${level}` };
}

// ------------------------------------------------------------------ which smtpd receives from the internet

/** The port of an inet service name (`smtp`, `25`, `1.2.3.4:smtp`, `[::1]:25`). */
export function portOf(name: string): string {
  return name.slice(name.lastIndexOf(':') + 1).toLowerCase();
}

export function hostOf(name: string): string {
  const colon = name.lastIndexOf(':');
  return colon < 0 ? '' : name.slice(0, colon).replace(/^\[|\]$/g, '').toLowerCase();
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === 'loopback-only';
}

/** The host of a relayhost value (`[192.0.2.1]:587`, `mail.example.com:25`, `[::1]`), lower case. */
function relayHostName(value: string): string {
  const first = splitList(value)[0] ?? '';
  const bracketed = /^\[([^\]]*)\]/.exec(first);
  return (bracketed ? bracketed[1] : first.split(':')[0]).toLowerCase();
}

/** inet_interfaces lets no one but this host in (loopback-only, 127.0.0.1 …). */
function listensOnLoopbackOnly(model: PostfixModel, service: ServiceEntry): boolean {
  const host = hostOf(service.name);
  if (host !== '') return isLoopback(host);
  const interfaces = valueOf(model, 'inet_interfaces', service);
  if (interfaces === undefined) return false;
  const words = splitList(interfaces.toLowerCase()).map((w) => w.replace(/^\[(.*)\]$/, '$1'));
  return words.length > 0 && words.every(isLoopback);
}

export interface MxService {
  service: ServiceEntry;
  /** "(port 25)" or "(behind postscreen on port 25)". */
  how: string;
}

/** The smtpd services that take mail from other servers on the internet (port 25). */
export function internetSmtpd(model: PostfixModel): MxService[] {
  const out: MxService[] = [];
  for (const s of model.services) {
    if (s.type !== 'inet' || !['smtp', '25'].includes(portOf(s.name)) || listensOnLoopbackOnly(model, s)) continue;
    if (s.command === 'smtpd') out.push({ service: s, how: 'port 25' });
    if (s.command === 'postscreen') {
      // postscreen hands the clients it lets through to private/$smtpd_service_name.
      const name = valueOf(model, 'smtpd_service_name', s);
      for (const p of model.services) {
        if (p.type === 'pass' && p.command === 'smtpd' && p.name === name) out.push({ service: p, how: 'behind postscreen on port 25' });
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------ postfix/tls-required-on-mx

function requiredOnMx(model: PostfixModel, file: 'main' | 'master', masterUri: string | undefined): Finding[] {
  const findings: Finding[] = [];
  const mx = internetSmtpd(model);
  const reported = new Set<object>();
  for (const { service, how } of mx) {
    const tls = smtpdTls(model, service);
    if (!tls || tls.level !== 'encrypt' || tls.wrapper) continue;
    const w = writtenAt(tls.lookup);
    if (!w || w.file !== file) continue;
    const key = w.file === 'main' ? w.parameter : w.option;
    if (reported.has(key)) continue;
    reported.add(key);
    // Other smtpd services that take the same main.cf value (submission …) rely on it.
    const inheriting = w.file === 'main' ? model.services.filter((s) => {
      if (s.command !== 'smtpd' || mx.some((m) => m.service === s)) return false;
      const other = smtpdTls(model, s);
      return other?.level === 'encrypt' && !other.wrapper && other.lookup.source.kind === 'main';
    }).map((s) => s.name) : [];
    const oldSwitch = tls.decidedBy !== SMTPD_LEVEL ? ` (the old form of \`${SMTPD_LEVEL} = encrypt\`)` : '';
    const many = inheriting.length > 1;
    const inheritNote = inheriting.length
      ? ` The service${many ? 's' : ''} ${quotedList(inheriting)} take${many ? '' : 's'} the same value from main.cf: give ` +
        `${many ? 'them' : 'it'} \`-o ${SMTPD_LEVEL}=encrypt\` in master.cf before you change it here.`
      : '';
    const f = makeFinding('postfix/tls-required-on-mx', 'warning', nameRange(w),
      `${describeWritten(w)}${oldSwitch} makes the smtpd service \`${service.name}\` (${how}), where other mail servers deliver ` +
      'mail to you, require TLS: it answers every command of a server that does not start TLS with "530 5.7.0 Must issue ' +
      'a STARTTLS command first", so mail from servers without TLS is bounced and never arrives. RFC 3207 (section 4) ' +
      `forbids this for a publicly referenced mail server. Use \`${SMTPD_LEVEL} = may\` here (TLS offered, not required) and ` +
      `require TLS only on the submission ports 587 and 465 for your own users.${inheritNote}` +
      (w.file === 'main' ? assumedMasterNote(model) : ''),
      [{ title: `Set \`${SMTPD_LEVEL} = may\``, preferred: inheriting.length === 0, edits: [setLevelEdit(model, w, SMTPD_LEVEL, 'may')] }]);
    if (w.file === 'main' && masterUri && !model.masterAssumed) {
      f.related = [{ uri: masterUri, range: service.node.name.range, message: `the smtpd service \`${service.name}\` (${how})` }];
    }
    findings.push(f);
  }
  return findings;
}

// ------------------------------------------------------------------ postfix/tls-without-certificate

const CERTIFICATES: Array<[cert: string, key: string]> = [
  ['smtpd_tls_cert_file', 'smtpd_tls_key_file'],
  ['smtpd_tls_eccert_file', 'smtpd_tls_eckey_file'],
  ['smtpd_tls_dcert_file', 'smtpd_tls_dkey_file'],
];
const CHAIN = 'smtpd_tls_chain_files';

/** What smtpd.c and tls_certkey.c find: 'ok', 'none' (no certificate), a key left empty, or undefined when unknown. */
type CertificateState = { kind: 'ok' } | { kind: 'none' } | { kind: 'emptyKey'; cert: string; key: string };

function certificateState(model: PostfixModel, service: ServiceEntry): CertificateState | undefined {
  const chain = valueOf(model, CHAIN, service);
  if (chain === undefined) return undefined;
  if (chain !== '') return { kind: 'ok' };
  let any = false;
  for (const [cert, key] of CERTIFICATES) {
    const c = valueOf(model, cert, service);
    if (c === undefined) return undefined;
    // `none`: no certificate on purpose (anonymous ciphers), smtpd.c accepts it.
    if (cert === 'smtpd_tls_cert_file' && c.toLowerCase() === 'none') return { kind: 'ok' };
    if (c === '') continue;
    any = true;
    const k = valueOf(model, key, service);
    if (k === undefined) return undefined;
    if (k === '') return { kind: 'emptyKey', cert, key };
  }
  return any ? { kind: 'ok' } : { kind: 'none' };
}

/** A service's `-o` that empties a certificate setting main.cf has: the problem is in master.cf. */
function certificateOverride(model: PostfixModel, service: ServiceEntry): Written | undefined {
  for (const name of [CHAIN, ...CERTIFICATES.flat()]) {
    const o = model.effectiveOverride(service, name);
    if (o && o.value.text.trim() === '') return { file: 'master', service, option: o };
  }
  return undefined;
}

interface CertificateProblem {
  service: ServiceEntry;
  tls: SmtpdTls;
  state: CertificateState;
}

function withoutCertificate(model: PostfixModel, file: 'main' | 'master'): Finding[] {
  // "No certificate" is judged from what main.cf leaves out: only for a whole instance. Without
  // the main.cf the settings are unknown; a main.cf without its master.cf may be a snippet.
  if (!model.main || model.masterAssumed) return [];
  const groups = new Map<object, { w: Written; problems: CertificateProblem[] }>();
  for (const service of model.services) {
    if (service.command !== 'smtpd') continue;
    const tls = smtpdTls(model, service);
    if (!tls || tls.level === 'none') continue;
    const state = certificateState(model, service);
    if (!state || state.kind === 'ok') continue;
    const w = certificateOverride(model, service) ?? writtenAt(tls.lookup);
    if (!w || w.file !== file) continue;
    const key = w.file === 'main' ? w.parameter : w.option;
    const group = groups.get(key) ?? { w, problems: [] };
    group.problems.push({ service, tls, state });
    groups.set(key, group);
  }
  return [...groups.values()].map(({ w, problems }) => certificateFinding(model, w, problems));
}

function certificateFinding(model: PostfixModel, w: Written, problems: CertificateProblem[]): Finding {
  const names = (ps: CertificateProblem[]) => quotedList(ps.map((p) => p.service.name));
  const many = problems.length > 1;
  const own = w.file === 'master' && !many && problems[0].service === w.service;
  const services = own ? 'this service' : `the smtpd service${many ? 's' : ''} ${names(problems)}`;
  const { state } = problems[0];
  const emptied = w.file === 'master' && !['level', 'switch'].includes(settingRole(w.option.name.text));
  const opening = emptied
    ? `${describeWritten(w)} leaves ${services} without a certificate, but ${many ? 'they want' : 'it wants'} TLS`
    : `${describeWritten(w)} turns on TLS for ${services}`;
  const what = state.kind === 'emptyKey'
    ? `\`${state.cert}\` is set but its private key \`${state.key}\` is empty, so smtpd cannot load the key ("cannot get … private key from file", TLS disabled)`
    : `no server certificate is configured (\`smtpd_tls_cert_file\`, \`smtpd_tls_eccert_file\`, \`smtpd_tls_dcert_file\` and \`${CHAIN}\` are all empty), ` +
      'so smtpd logs "No server certs available. TLS won\'t be enabled"';
  const blocking = problems.filter((p) => p.tls.level === 'encrypt');
  const wrapped = blocking.filter((p) => p.tls.wrapper);
  const enforced = blocking.filter((p) => !p.tls.wrapper);
  const optional = problems.filter((p) => p.tls.level === 'may');
  let effect = '';
  if (wrapped.length < problems.length) {
    effect += ' smtpd still announces STARTTLS, but answers it with "454 4.7.0 TLS not available due to local problem".';
  }
  if (enforced.length) {
    effect += ` ${enforced.length > 1 ? `${names(enforced)} require` : `${names(enforced)} requires`} TLS, so every other ` +
      'command gets "530 5.7.0 Must issue a STARTTLS command first": no mail is accepted there at all.';
  }
  if (wrapped.length) {
    effect += ` ${names(wrapped)} run${wrapped.length > 1 ? '' : 's'} in wrapper mode (port 465) and drop${wrapped.length > 1 ? '' : 's'} ` +
      'every connection ("Wrapper-mode request dropped … TLS context initialization failed"): no mail is accepted there at all.';
  }
  if (optional.length) {
    effect += ` Where TLS is optional (\`may\`${optional.length < problems.length ? `: ${names(optional)}` : ''}), senders carry on ` +
      'without it: all mail arrives unencrypted, and senders that insist on TLS (MTA-STS, DANE or their own policy) cannot deliver.';
  }
  const todo = state.kind === 'emptyKey'
    ? ` Set \`${state.key}\` to the certificate's private key file (or leave it unset when the key is in the certificate file).`
    : ` Set \`${CHAIN} = /path/to/key.pem, /path/to/fullchain.pem\` (or \`smtpd_tls_cert_file\` and \`smtpd_tls_key_file\`), ` +
      'for example a Let\'s Encrypt certificate or Debian\'s self-signed /etc/ssl/certs/ssl-cert-snakeoil.pem with its key.';
  return makeFinding('postfix/tls-without-certificate', blocking.length ? 'error' : 'warning', nameRange(w),
    `${opening}, but ${what}.${effect}${todo}` + (w.file === 'main' ? assumedMasterNote(model) : ''));
}

/** Whether a parameter name asks for TLS (level, old switch, wrapper mode) or names a certificate. */
function settingRole(name: string): 'level' | 'switch' | 'certificate' {
  if (name === SMTPD_LEVEL) return 'level';
  return name === WRAPPER || /^smtpd_(use|enforce)_tls$/.test(name) ? 'switch' : 'certificate';
}

// ------------------------------------------------------------------ postfix/outbound-tls-off

/** Names whose presence says main.cf is where this server's TLS is configured. */
function configuresTls(name: string): boolean {
  return /^smtpd?_tls_/.test(name) || /^smtpd?_(use|enforce)_tls$/.test(name);
}

/** smtp_tls_security_level's default for the configured release and compatibility_level. */
function smtpLevelDefault(model: PostfixModel, service: ServiceEntry): string | undefined {
  const info = getParameter(SMTP_LEVEL);
  if (!info) return undefined;
  const text = compareVersions(model.version, SMTP_MAY_BY_DEFAULT_SINCE) >= 0 && info.defaultLatest !== undefined ? info.defaultLatest : info.default ?? '';
  return model.expandExact(text, service)?.trim();
}

function outboundOff(model: PostfixModel, file: 'main' | 'master', text: string): Finding[] {
  if (compareVersions(model.version, '2.3') < 0) return [];
  // The smtp client that sends to the internet: master.cf's `smtp unix … smtp` (default_transport).
  const client = model.services.find((s) => s.name === 'smtp' && s.type === 'unix' && s.command === 'smtp');
  if (!client) return [];
  const policy = valueOf(model, 'smtp_tls_policy_maps', client);
  if (policy === undefined || policy !== '') return [];
  // All mail goes to a relay on this host (a tunnel, a filter): plaintext never leaves it.
  const relayhost = valueOf(model, 'relayhost');
  if (relayhost === undefined || isLoopback(relayHostName(relayhost))) return [];
  const lookup = model.lookup(SMTP_LEVEL, client);
  let level = lookup.source.kind === 'default' ? smtpLevelDefault(model, client) : exactValue(model, lookup, client);
  if (level === undefined) return [];
  let decidedBy = lookup;
  if (level === '') {
    const switches = oldTlsSwitches(SMTP_LEVEL)!;
    const derived = levelOfOldSwitches(model, switches, client);
    if (derived === undefined) return [];
    level = derived;
    // An explicit `smtp_use_tls = no` is where to report; otherwise the (empty) level.
    const use = model.lookup(switches.use, client);
    if (use.source.kind !== 'default' && lookup.source.kind === 'default') decidedBy = use;
  }
  if (level.toLowerCase() !== 'none') return [];
  const effect = 'so Postfix\'s SMTP client never uses TLS: all mail you send travels unencrypted, even to servers that offer ' +
    'STARTTLS. Receivers show it as unencrypted (Gmail: a red open padlock), and servers that require TLS refuse it. Set ' +
    `\`${SMTP_LEVEL} = may\` (encrypted whenever the other side offers TLS, plaintext otherwise).`;
  const w = writtenAt(decidedBy);
  if (w) {
    if (w.file !== file) return [];
    return [makeFinding('postfix/outbound-tls-off', 'information', nameRange(w), `${describeWritten(w)} turns TLS off for outgoing mail, ${effect}`,
      [{ title: `Set \`${SMTP_LEVEL} = may\``, preferred: true, edits: [setLevelEdit(model, w, SMTP_LEVEL, 'may')] }])];
  }
  // Not set at all: only where main.cf configures TLS and forgot the client side, and only for
  // a whole instance (a main.cf without its master.cf may be a snippet).
  if (file !== 'main' || !model.main || model.masterAssumed) return [];
  const tlsLines = model.main.tree.parameters.filter((p) => configuresTls(p.name.text));
  if (tlsLines.length === 0) return [];
  const since = compareVersions(model.version, SMTP_MAY_BY_DEFAULT_SINCE) >= 0
    ? `its default is empty with compatibility_level below ${SMTP_MAY_BY_DEFAULT_SINCE}` : `its default is empty before Postfix ${SMTP_MAY_BY_DEFAULT_SINCE}`;
  return [makeFinding('postfix/outbound-tls-off', 'information', tlsLines[0].name.range,
    `This main.cf sets up TLS for the SMTP server, but not \`${SMTP_LEVEL}\` for the SMTP client (${since}, and ` +
    `\`smtp_use_tls\` is off), ${effect}`,
    [{ title: `Add \`${SMTP_LEVEL} = may\``, preferred: true, edits: [insertAfter(text, tlsLines[tlsLines.length - 1], `${SMTP_LEVEL} = may`)] }])];
}

/** Inserts `line` on a line of its own after parameter `p`. */
function insertAfter(text: string, p: Parameter, line: string): TextEdit {
  const index = lineIndexOf(text);
  const next = p.range.end.line + 1;
  if (next < index.lineCount) return { range: { start: { line: next, character: 0 }, end: { line: next, character: 0 } }, newText: `${line}\n` };
  const end = index.positionAt(text.length);
  return { range: { start: end, end }, newText: `${/[\r\n]$/.test(text) ? '' : '\n'}${line}\n` };
}

// ------------------------------------------------------------------ the checkers

export function checkMainCfTls(ctx: AnalysisContext): Finding[] {
  if (!isMainCfDocument(ctx.doc)) return [];
  const model = postfixModel(ctx);
  return [
    ...requiredOnMx(model, 'main', model.master?.doc.uri),
    ...withoutCertificate(model, 'main'),
    ...outboundOff(model, 'main', ctx.doc.analysis.text),
  ];
}

export function checkMasterCfTls(ctx: AnalysisContext): Finding[] {
  const model = postfixModel(ctx);
  if (model.masterAssumed) return [];
  return [
    ...requiredOnMx(model, 'master', undefined),
    ...withoutCertificate(model, 'master'),
    ...outboundOff(model, 'master', ctx.doc.analysis.text),
  ];
}
