// The Postfix ↔ OpenDKIM link: does every Postfix daemon that should hand mail to
// OpenDKIM reach the socket OpenDKIM really listens on? smtpd uses smtpd_milters (mail
// from the network, per smtpd service, `-o` overrides win); cleanup uses
// non_smtpd_milters (sendmail, cron, web applications). A chrooted daemon sees unix
// socket paths below queue_directory. Findings sit on both sides, each pointing to the
// other, with a quick-fix that rewrites either side to match.

import type { AnalysisContext } from '../context';
import type { Finding, Fix, Range, RelatedLocation } from '../types';
import type { Workspace, WorkspaceDocument } from './workspace';
import { uriBasename, uriDirname } from './postfixInstance';
import { postfixModel, type PostfixModel, type ServiceEntry } from '../postfix/instance';
import type { Parameter, Value, ValueWord } from '../postfix/tree';
import { opendkimSocketInEffect, type SocketInEffect } from '../opendkim/checks/socketInEffect';
import { configRootOf } from '../opendkim/checks/links';
import { connects, opendkimEndpoint, postfixMilterEndpoint, type Endpoint, type PostfixView, type Verdict } from './milterEndpoints';
import { trimEndWhile } from '../text/trim';

type MilterParameter = 'smtpd_milters' | 'non_smtpd_milters';

/** One place where a Postfix daemon gets its milter list. */
interface MilterUse {
  parameter: MilterParameter;
  /** The smtpd or cleanup service (undefined: no master.cf entry known, main.cf applies). */
  service?: ServiceEntry;
  view: PostfixView;
  /** The milter addresses after `$parameter` expansion, each with where it is written. */
  milters: Array<{ address: string; written?: { uri: string; range: Range; text: string }; via?: string }>;
  /** False when the list depends on run-time values or loops: it is not judged. */
  known: boolean;
  /** Where the list is set: a main.cf parameter or a master.cf `-o`; undefined when defaulted. */
  setAt?: { uri: string; range: Range };
}

const DEFAULT_QUEUE_DIRECTORY = '/var/spool/postfix';

/** Postfix ≥ 3.0 runs a service chrooted only when column 5 says `y` (`-` means n). */
function isChrooted(service: ServiceEntry | undefined): boolean {
  const c = service?.node.chroot?.text;
  return c === 'y' || c === 'yes';
}

/** Milter addresses of a list: blanks and commas separate; `{ address, option=… }` keeps its first item. */
export function splitMilterList(value: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    const c = value[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === ',') { i++; continue; }
    if (c === '{') {
      const close = value.indexOf('}', i);
      const inner = value.slice(i + 1, close < 0 ? value.length : close);
      const first = inner.split(',')[0].trim();
      if (first) out.push(first);
      i = close < 0 ? value.length : close + 1;
      continue;
    }
    let j = i;
    while (j < value.length && !' \t\n,{'.includes(value[j])) j++;
    out.push(value.slice(i, j));
    i = j;
  }
  return out;
}

/**
 * The words of a value with `$name` references followed to where the text is written
 * (main.cf only; a few levels deep), so a quick-fix can edit the literal address.
 */
function literalWords(model: PostfixModel, value: Value, uri: string, via?: string, depth = 0): Array<{ uri: string; word: ValueWord; via?: string }> {
  const out: Array<{ uri: string; word: ValueWord; via?: string }> = [];
  for (const word of value.words) {
    const ref = /^\$\{?([A-Za-z0-9_]+)\}?$/.exec(word.text);
    const def = ref ? model.effectiveDefinition(ref[1]) : undefined;
    if (def && model.main && depth < 5) out.push(...literalWords(model, def.value, model.main.doc.uri, via ?? ref![1], depth + 1));
    else out.push({ uri, word, via });
  }
  return out;
}

function milterUse(model: PostfixModel, parameter: MilterParameter, service: ServiceEntry | undefined, queueDirectory: string): MilterUse {
  const view = { chrooted: isChrooted(service), queueDirectory };
  const option = service ? model.effectiveOverride(service, parameter) : undefined;
  const def: Parameter | undefined = option ? undefined : model.effectiveDefinition(parameter);
  const value = option?.value ?? def?.value;
  const uri = option ? model.master?.doc.uri : model.main?.doc.uri;
  // An undefined `$name` is empty to Postfix too (seed 000's `$smtpd_milter`); a value that
  // depends on run-time facts or loops cannot be judged and counts as no list at all.
  const e = model.expand(value?.text ?? '', service);
  const known = !(e.truncated || e.cyclic.length || e.computedNames.length);
  const addresses = known ? splitMilterList(e.text) : [];
  const literal = value && uri ? literalWords(model, value, uri) : [];
  return {
    parameter,
    service,
    view,
    milters: addresses.map((address) => {
      const w = literal.find((l) => l.word.text === address);
      return { address, written: w && { uri: w.uri, range: w.word.range, text: w.word.text }, via: w?.via };
    }),
    known,
    setAt: value && uri ? { uri, range: value.text ? value.range : (option?.name.range ?? def!.name.range) } : undefined,
  };
}

/** Every daemon's milter list: each smtpd service, and cleanup for non_smtpd_milters. */
function milterUses(model: PostfixModel): MilterUse[] {
  const queueDirectory = model.valueInEffect('queue_directory') || DEFAULT_QUEUE_DIRECTORY;
  const smtpd = model.services.filter((s) => s.command === 'smtpd');
  const cleanup = model.services.filter((s) => s.command === 'cleanup');
  const uses: MilterUse[] = [];
  for (const s of smtpd.length ? smtpd : [undefined]) uses.push(milterUse(model, 'smtpd_milters', s, queueDirectory));
  // The cleanup service named by cleanup_service_name (usually `cleanup`) filters local mail.
  const main = cleanup.find((s) => s.name === (model.valueInEffect('cleanup_service_name') || 'cleanup'));
  uses.push(milterUse(model, 'non_smtpd_milters', main, queueDirectory));
  return uses;
}

/** Which Postfix main.cf goes with an opendkim.conf: the same /etc-like root, or the only pair. */
function stackRootOfMain(uri: string): string {
  const dir = uriDirname(uri);
  return uriBasename(dir).toLowerCase() === 'postfix' ? uriDirname(dir) : dir;
}

/** The opendkim.conf that serves the Postfix instance of a main.cf (its milter), if the workspace tells. */
export function pairedConf(workspace: Workspace, mainDoc: WorkspaceDocument): WorkspaceDocument | undefined {
  const confs = workspace.ofKind('opendkim-conf');
  const root = stackRootOfMain(mainDoc.uri);
  const same = confs.find((c) => configRootOf(workspace, c) === root);
  if (same) return same;
  return confs.length === 1 && workspace.ofKind('postfix-main').filter((m) => uriBasename(m.uri) === 'main.cf').length === 1 ? confs[0] : undefined;
}

function pairedMains(workspace: Workspace, confDoc: WorkspaceDocument): WorkspaceDocument[] {
  return workspace.ofKind('postfix-main').filter((m) => uriBasename(m.uri) === 'main.cf' && pairedConf(workspace, m)?.uri === confDoc.uri);
}

/** OpenDKIM's socket written as a Postfix milter address, seen from a daemon with `view`. */
function postfixFormOf(server: Endpoint, view: PostfixView, original: string): string | undefined {
  if (server.kind === 'inet') {
    const host = server.host && server.host !== '0.0.0.0' && server.host !== '::' ? server.host : server.family === 'inet6' ? '::1' : '127.0.0.1';
    return host.includes(':') ? `inet:[${host}]:${server.port}` : `inet:${host}:${server.port}`;
  }
  if (server.kind === 'unix' && !server.relative) {
    const prefix = original.toLowerCase().startsWith('local:') ? 'local:' : 'unix:';
    if (!view.chrooted) return prefix + server.path;
    const q = trimEndWhile(view.queueDirectory, (c) => c === '/');
    return server.path.startsWith(q + '/') ? prefix + server.path.slice(q.length) : undefined;
  }
  return undefined;
}

/** A Postfix milter address written as OpenDKIM's Socket (the host's view of the path). */
function opendkimFormOf(client: Endpoint): string | undefined {
  if (client.kind === 'inet') return client.host?.includes(':') ? `inet6:${client.port}@[${client.host}]` : `inet:${client.port}@${client.host || 'localhost'}`;
  if (client.kind === 'unix') return `local:${client.path}`;
  return undefined;
}

interface LinkProblem {
  use: MilterUse;
  socket: SocketInEffect;
  verdict: Verdict;
  reason: string;
  /** The milter address compared (the first one, when none meets). */
  address?: { address: string; written?: { uri: string; range: Range; text: string } };
}

function daemonLabel(use: MilterUse): string {
  if (use.parameter === 'non_smtpd_milters') return 'cleanup (mail submitted with sendmail: cron, web applications, local users)';
  return use.service ? `the smtpd service "${use.service.name}"${use.service.type === 'inet' ? ' (mail from the network)' : ''}` : 'smtpd (mail from the network)';
}

/** Compares every milter use of a Postfix instance with the socket OpenDKIM listens on. */
function linkProblems(model: PostfixModel, socket: SocketInEffect): LinkProblem[] {
  if (!socket.spec) return [];
  const server = opendkimEndpoint(socket.spec);
  const problems: LinkProblem[] = [];
  for (const use of milterUses(model)) {
    if (use.milters.length === 0) continue;
    const results = use.milters.map((m) => ({ m, ...connects(postfixMilterEndpoint(m.address, use.view), server) }));
    if (results.some((r) => r.verdict === 'yes')) continue;
    const maybe = results.find((r) => r.verdict === 'maybe');
    const first = maybe ?? results[0];
    problems.push({ use, socket, verdict: maybe ? 'maybe' : 'no', reason: first.reason, address: first.m });
  }
  return problems;
}

function socketLabel(socket: SocketInEffect): string {
  const where = socket.source === 'default' ? '/etc/default/opendkim' : socket.source === 'override' ? 'the systemd drop-in' : 'opendkim.conf';
  return `${socket.text ?? ''} (${where})`;
}

/** main.cf / master.cf side: the finding on the milter address (or the list that names it). */
function postfixSideFinding(p: LinkProblem): Finding | undefined {
  const at = p.address?.written ?? p.use.setAt;
  if (!at || !p.socket.uri || !p.socket.range) return undefined;
  const related: RelatedLocation[] = [{ uri: p.socket.uri, range: p.socket.range, message: `OpenDKIM listens on ${socketLabel(p.socket)}` }];
  const fixes: Fix[] = [];
  const client = p.address ? postfixMilterEndpoint(p.address.address, p.use.view) : undefined;
  const server = p.socket.spec ? opendkimEndpoint(p.socket.spec) : undefined;
  if (p.address?.written && server) {
    const text = postfixFormOf(server, p.use.view, p.address.written.text);
    if (text && isPlainSocketText(text)) fixes.push({ title: `Connect to OpenDKIM's socket: ${text}`, edits: [{ uri: p.address.written.uri, range: p.address.written.range, newText: text }], preferred: true });
  }
  if (client) {
    const text = opendkimFormOf(client);
    if (text && isPlainSocketText(text) && p.socket.range) fixes.push({ title: `Make OpenDKIM listen on ${text} instead`, edits: [{ uri: p.socket.uri, range: p.socket.range, newText: text }] });
  }
  const uncertain = p.verdict === 'maybe';
  const jail = p.use.view.chrooted && client?.kind === 'unix'
    ? ` (this daemon runs chrooted in ${p.use.view.queueDirectory}, so a unix socket path is read below it)`
    : chrootAssumed(p, client, server) ?? '';
  return {
    range: at.range,
    severity: uncertain ? 'information' : 'error',
    code: uncertain ? 'milter/socket-unverified' : 'milter/socket-mismatch',
    message: uncertain
      ? `Cannot tell whether ${daemonLabel(p.use)} reaches OpenDKIM: ${p.reason}. Check that ${p.address?.address} is where OpenDKIM listens (${socketLabel(p.socket)}).`
      : `${p.use.parameter} does not reach OpenDKIM: ${p.reason}${jail}. Mail handled by ${daemonLabel(p.use)} goes out unsigned or is deferred, depending on milter_default_action.`,
    related,
    fixes: fixes.length ? fixes : undefined,
  };
}

/**
 * The classic near miss: the address is written as a chrooted daemon would see OpenDKIM's
 * socket (`unix:/opendkim/opendkim.sock` for `/var/spool/postfix/opendkim/opendkim.sock`),
 * but this daemon does not run chrooted (master.cf's chroot column `-` means n since Postfix
 * 3.0, while Debian's master.cf says y), so Postfix reads the path from `/`.
 */
function chrootAssumed(p: LinkProblem, client: Endpoint | undefined, server: Endpoint | undefined): string | undefined {
  if (p.use.view.chrooted || client?.kind !== 'unix' || server?.kind !== 'unix' || server.relative) return undefined;
  const q = trimEndWhile(p.use.view.queueDirectory, (c) => c === '/');
  if (server.path !== q + client.path) return undefined;
  const column = p.use.service?.node.chroot?.text;
  const why = column === undefined
    ? 'no master.cf entry for it is known, and Postfix runs a service chrooted only when master.cf says so'
    : `master.cf's chroot column for "${p.use.service!.name}" is \`${column}\`${column === '-' ? ', which means n since Postfix 3.0' : ''}`;
  return ` (the address is written as a daemon chrooted in ${q} would see the socket, but this one runs outside the jail: ${why}. Either write the full path, or set the chroot column to y)`;
}

/**
 * opendkim.conf / /etc/default/opendkim side: one finding on the socket value per Postfix
 * address that misses it, naming every milter list that uses that address.
 */
function opendkimSideFindings(problems: LinkProblem[]): Finding[] {
  const byAddress = new Map<string, LinkProblem[]>();
  for (const p of problems) {
    if (p.verdict !== 'no' || !p.socket.range || !(p.address?.written ?? p.use.setAt)) continue;
    const key = p.address?.address ?? '';
    byAddress.set(key, [...(byAddress.get(key) ?? []), p]);
  }
  const out: Finding[] = [];
  for (const [address, group] of byAddress) {
    const p = group[0];
    const client = p.address ? postfixMilterEndpoint(address, p.use.view) : undefined;
    const text = client && opendkimFormOf(client);
    const lists = [...new Set(group.map((g) => g.use.parameter))].join(' and ');
    out.push({
      range: p.socket.range!,
      severity: 'error',
      code: 'milter/socket-mismatch',
      message: `Postfix's ${lists} (${address}) ${group.length > 1 && lists.includes(' and ') ? 'do' : 'does'} not reach this socket: ${p.reason}${chrootAssumed(p, client, p.socket.spec ? opendkimEndpoint(p.socket.spec) : undefined) ?? ''}. Mail handled by ${group.map((g) => daemonLabel(g.use)).join(' and by ')} is not signed.`,
      related: group.map((g) => {
        const at = (g.address?.written ?? g.use.setAt)!;
        return { uri: at.uri, range: at.range, message: `Postfix connects here (${g.use.parameter})` };
      }),
      fixes: text && isPlainSocketText(text) ? [{ title: `Listen where Postfix connects: ${text}`, edits: [{ range: p.socket.range!, newText: text }], preferred: true }] : undefined,
    });
  }
  return out;
}

/** Seed 000: smtpd signs, but non_smtpd_milters expands to nothing, so local mail does not. */
function localMailFinding(model: PostfixModel, socket: SocketInEffect): Finding | undefined {
  const uses = milterUses(model);
  const cleanup = uses.find((u) => u.parameter === 'non_smtpd_milters');
  const smtpdOk = uses.some((u) => u.parameter === 'smtpd_milters' && u.milters.length > 0);
  if (!cleanup?.known || cleanup.milters.length > 0 || !smtpdOk || !cleanup.setAt || !socket.spec) return undefined;
  return {
    range: cleanup.setAt.range,
    severity: 'error',
    code: 'milter/local-mail-unsigned',
    message: 'non_smtpd_milters is set but expands to nothing, so mail submitted with sendmail (cron, web applications, local users) never reaches OpenDKIM and leaves unsigned, while mail from smtpd is signed. Point it at the same milters as smtpd_milters.',
  };
}

/** OpenDMARC reads the result OpenDKIM adds, so OpenDKIM must come first in a milter list. */
function orderFindings(model: PostfixModel, socket: SocketInEffect, docUri: string): Finding[] {
  if (!socket.spec) return [];
  const server = opendkimEndpoint(socket.spec);
  const out: Finding[] = [];
  for (const use of milterUses(model)) {
    const dkim = use.milters.findIndex((m) => connects(postfixMilterEndpoint(m.address, use.view), server).verdict === 'yes');
    const dmarc = use.milters.findIndex((m) => /dmarc/i.test(`${m.address} ${m.via ?? ''}`));
    const at = use.milters[dmarc]?.written;
    if (dkim < 0 || dmarc < 0 || dmarc > dkim || !at || at.uri !== docUri) continue;
    out.push({
      range: at.range,
      severity: 'warning',
      code: 'milter/opendmarc-before-opendkim',
      message: `In ${use.parameter}, OpenDMARC (${use.milters[dmarc].address}) comes before OpenDKIM (${use.milters[dkim].address}). Milters see the message in list order, and OpenDMARC bases its verdict on the DKIM result OpenDKIM adds: put OpenDKIM first.`,
    });
  }
  return out.filter((f, i) => out.findIndex((g) => g.range.start.line === f.range.start.line && g.range.start.character === f.range.start.character) === i);
}

/** accept with a single milter: when OpenDKIM is down, mail leaves unsigned and nobody notices. */
function defaultActionFinding(model: PostfixModel): Finding | undefined {
  const def = model.effectiveDefinition('milter_default_action');
  if (!def || def.value.text.trim() !== 'accept') return undefined;
  if (!milterUses(model).some((u) => u.milters.length === 1)) return undefined;
  return {
    range: def.value.range,
    severity: 'information',
    code: 'milter/default-accept',
    message: 'With milter_default_action = accept, mail is delivered without the milter when OpenDKIM is down or unreachable: it leaves unsigned and nothing but the log says so. tempfail (the default) defers the mail until OpenDKIM is back. Keep accept only if you watch the log.',
  };
}

/** OpenDKIM has no socket in effect: every milter connection fails. */
function notListeningFinding(model: PostfixModel, socket: SocketInEffect, docUri: string, conf: WorkspaceDocument): Finding | undefined {
  if (socket.spec) return undefined;
  const use = milterUses(model).find((u) => u.milters.length > 0 && u.setAt?.uri === docUri);
  if (!use?.setAt) return undefined;
  return {
    range: use.setAt.range,
    severity: 'warning',
    code: 'milter/opendkim-not-listening',
    message: `Postfix hands mail to a milter, but OpenDKIM has no socket in effect (${socket.reason}), so it does not start and no mail is signed.`,
    related: [{ uri: socket.uri ?? conf.uri, range: socket.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: 'OpenDKIM configuration' }],
  };
}

/** Checker for main.cf and master.cf. */
export function checkMilterLinkFromPostfix(ctx: AnalysisContext): Finding[] {
  const model = postfixModel(ctx);
  if (!model.main) return [];
  const conf = pairedConf(ctx.workspace, model.main.doc);
  if (!conf) return [];
  const socket = opendkimSocketInEffect(ctx.workspace, conf);
  const out: Finding[] = [];
  for (const p of linkProblems(model, socket)) {
    const f = postfixSideFinding(p);
    const at = p.address?.written ?? p.use.setAt;
    if (f && at?.uri === ctx.doc.uri) out.push(f);
  }
  out.push(...orderFindings(model, socket, ctx.doc.uri));
  const silent = notListeningFinding(model, socket, ctx.doc.uri, conf);
  if (silent) out.push(silent);
  if (ctx.doc.uri === model.main.doc.uri) {
    const local = localMailFinding(model, socket);
    if (local) out.push(local);
    const accept = defaultActionFinding(model);
    if (accept) out.push(accept);
  }
  return out;
}

/** Checker for opendkim.conf and /etc/default/opendkim: the socket they set, seen from Postfix. */
export function checkMilterLinkFromOpendkim(ctx: AnalysisContext): Finding[] {
  const confs = ctx.doc.kind === 'opendkim-conf'
    ? [ctx.doc]
    : ctx.workspace.ofKind('opendkim-conf').filter((c) => configRootOf(ctx.workspace, c) === configRootOf(ctx.workspace, ctx.doc));
  const out: Finding[] = [];
  for (const conf of confs) {
    const socket = opendkimSocketInEffect(ctx.workspace, conf);
    if (socket.uri !== ctx.doc.uri) continue;
    for (const main of pairedMains(ctx.workspace, conf)) {
      out.push(...opendkimSideFindings(linkProblems(postfixModel({ ...ctx, doc: main }), socket)));
    }
  }
  return out;
}

/**
 * A socket address a fix may copy from one file into the other: only the characters of
 * `inet:8891@localhost`, `inet6:8891@[::1]`, `unix:/path/x.sock` (a NUL, a blank, a quote
 * or a `#` from main.cf would become an error or a comment in opendkim.conf).
 */
function isPlainSocketText(text: string): boolean {
  return /^[A-Za-z0-9:@\/._+\-\[\]%]+$/.test(text);
}
