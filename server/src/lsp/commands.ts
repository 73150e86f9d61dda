// The server's commands (LSP `workspace/executeCommand`), so that every LSP editor gets
// them: the VS Code client asks its prompts and calls these; Neovim users call them with
// `vim.lsp.buf.execute_command`. Each takes one plain-object argument and answers plain
// data (reports as Markdown). Commands that write files refuse in an untrusted workspace;
// commands that need DNS say so when live DNS is off instead of guessing.

import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Resolver } from '../core/dns/resolver';
import { zoneResolver, zoneSyncResolver } from '../core/dns/zoneResolver';
import { renderSpfLookupTree, spfLookupTree } from '../core/records/spf/lookupTree';
import { checkHost, type CheckHostOutput } from '../core/records/spf/evaluate';
import { parseClientIp } from '../core/records/spf/ip';
import { DKIM_GENERATE_ALGORITHMS, type DkimGenerateAlgorithm } from '../core/records/dkim/generate';
import type { Workspace } from '../core/stack/workspace';
import { DkimKeyRefusal, writeDkimKey } from '../node/dkimKeys';
import type { LiveDnsResolver } from '../node/dnsResolver';

/** The command names; the VS Code client calls them, other editors may too. */
export const SERVER_COMMANDS = {
  status: 'mailconf.server.status',
  checkHost: 'mailconf.server.checkHost',
  spfLookupTree: 'mailconf.server.spfLookupTree',
  generateDkimKey: 'mailconf.server.generateDkimKey',
} as const;

/** What the commands need from the server. */
export interface CommandHost {
  workspace: Workspace;
  /** The live resolver, or undefined when DNS must not run (off, untrusted). */
  liveResolver(): LiveDnsResolver | undefined;
  trusted(): boolean;
  /** Why live DNS is not usable, if it is not. */
  dnsStatus(): DnsStatus;
  log(message: string): void;
}

export interface DnsStatus {
  enabled: boolean;
  trusted: boolean;
  servers: string[];
  lastError?: string;
}

/** A report for the editor to show as a read-only document. */
export interface Report {
  title: string;
  markdown: string;
}

/** A refusal the editor shows as an error message; nothing was changed. */
export class CommandRefusal extends Error {}

/** Live DNS when on; else the workspace's zone files, said in the report. */
function resolverFor(host: CommandHost): { resolver: Resolver; source: string } {
  const live = host.liveResolver();
  if (live) return { resolver: live, source: 'live DNS' };
  const status = host.dnsStatus();
  const why = !status.trusted ? 'the workspace is not trusted' : !status.enabled ? 'mailconf.dns.enabled is off' : status.lastError ?? 'live DNS is not available';
  return { resolver: zoneResolver(host.workspace), source: `the workspace's zone files only (live DNS is off: ${why})` };
}

/** The report with a line under its title saying where the answers came from. */
function withSource(markdown: string, source: string): string {
  const nl = markdown.indexOf('\n');
  return nl < 0 ? `${markdown}\n\n_Answers from ${source}._\n` : `${markdown.slice(0, nl)}\n\n_Answers from ${source}._${markdown.slice(nl)}`;
}

function stringArg(args: Record<string, unknown>, name: string): string | undefined {
  const v = args[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function required(args: Record<string, unknown>, name: string, what: string): string {
  return stringArg(args, name) ?? (() => { throw new CommandRefusal(`${what} is required`); })();
}

// --- check host against SPF -----------------------------------------------------------

async function runCheckHost(host: CommandHost, args: Record<string, unknown>): Promise<Report & { result: CheckHostOutput['result'] }> {
  const ip = required(args, 'ip', 'the client IP address');
  if (!parseClientIp(ip)) throw new CommandRefusal(`"${ip}" is not an IPv4 or IPv6 address`);
  const senderArg = required(args, 'sender', 'the sender address or domain');
  const sender = senderArg.includes('@') ? senderArg : `postmaster@${senderArg}`;
  const domain = sender.slice(sender.lastIndexOf('@') + 1);
  const helo = stringArg(args, 'helo');
  const { resolver, source } = resolverFor(host);
  const out = await checkHost(resolver, { ip, domain, sender, helo });
  const lines = [
    `# SPF check_host: ${out.result}`,
    '',
    `Mail from **${ip}** with sender \`${sender}\`${helo ? ` (HELO \`${helo}\`)` : ''}, checked against the SPF policy of \`${domain}\` with ${source}.`,
    '',
    `- **Result:** \`${out.result}\` — ${RESULT_MEANING[out.result]}`,
    `- **Why:** ${out.reason}`,
  ];
  if (out.matched) lines.push(`- **Matched:** \`${out.matched.term}\` in the record of \`${out.matched.domain}\``);
  if (out.explanation !== undefined) lines.push(`- **Explanation given to the sender:** ${out.explanation}`);
  lines.push(`- **DNS lookups:** ${out.lookups} of 10, void lookups ${out.voidLookups} of 2`);
  return { title: `SPF check_host ${ip} ${domain}`, markdown: lines.join('\n') + '\n', result: out.result };
}

const RESULT_MEANING: Record<CheckHostOutput['result'], string> = {
  pass: 'the address is authorized to send for the domain.',
  fail: 'the domain says this address must not send its mail; receivers usually reject it.',
  softfail: 'the domain says this address is probably not authorized; receivers usually accept but mark it.',
  neutral: 'the domain makes no statement about this address.',
  none: 'the domain publishes no SPF record (or the name does not exist).',
  permerror: 'the record is broken (syntax, too many lookups, loops): receivers treat SPF as failed or ignore it.',
  temperror: 'a DNS error stopped the check: receivers will defer or retry.',
};

// --- SPF lookup tree ----------------------------------------------------------------------

async function runSpfLookupTree(host: CommandHost, args: Record<string, unknown>): Promise<Report> {
  const domain = required(args, 'domain', 'the domain').replace(/\.$/, '').toLowerCase();
  const live = host.liveResolver();
  const { resolver, source } = resolverFor(host);
  // With live DNS the zone files are compared against it; without, they are the answers.
  const report = await spfLookupTree(domain, resolver, live ? { zones: zoneSyncResolver(host.workspace) } : {});
  return { title: `SPF lookup tree ${domain}`, markdown: withSource(renderSpfLookupTree(report), source) };
}

// --- generate a DKIM key ----------------------------------------------------------------

export interface GenerateDkimResult {
  privateKeyPath: string;
  txtPath: string;
  recordName: string;
  relativeOwner: string;
  webFormValue: string;
  keyTableLine: string;
  signingTableLine: string;
  notes: string[];
}

function runGenerateDkimKey(host: CommandHost, args: Record<string, unknown>): GenerateDkimResult {
  if (!host.trusted()) throw new CommandRefusal('mailconf writes no files in an untrusted workspace: trust the workspace to generate keys');
  const domain = required(args, 'domain', 'the domain');
  const selector = required(args, 'selector', 'the selector');
  const directory = required(args, 'directory', 'the key directory');
  const algorithm = (stringArg(args, 'algorithm') ?? 'rsa2048') as DkimGenerateAlgorithm;
  if (!DKIM_GENERATE_ALGORITHMS.includes(algorithm)) throw new CommandRefusal(`unknown algorithm ${algorithm}: use one of ${DKIM_GENERATE_ALGORITHMS.join(', ')}`);
  if (!path.isAbsolute(directory)) throw new CommandRefusal(`the key directory must be an absolute path, not "${directory}"`);
  try {
    const written = writeDkimKey({ domain, selector, algorithm, dir: directory, createDir: args.createDirectory === true });
    // Logged without any key material: the paths and the DNS name only.
    host.log(`mailconf: wrote DKIM key ${written.privateKeyPath} and ${written.txtPath} for ${written.recordName}`);
    return {
      privateKeyPath: written.privateKeyPath,
      txtPath: written.txtPath,
      recordName: written.recordName,
      relativeOwner: written.relativeOwner,
      webFormValue: written.webFormValue,
      keyTableLine: written.keyTableLine,
      signingTableLine: written.signingTableLine,
      notes: written.notes,
    };
  } catch (e) {
    if (e instanceof DkimKeyRefusal) throw new CommandRefusal(`${e.message}. Nothing was written.`);
    throw e;
  }
}

// --- dispatch ---------------------------------------------------------------------------

/** Runs a command; throws CommandRefusal for what the user must change. */
export async function executeCommand(host: CommandHost, command: string, rawArgs: unknown): Promise<unknown> {
  const args = (rawArgs && typeof rawArgs === 'object' ? rawArgs : {}) as Record<string, unknown>;
  switch (command) {
    case SERVER_COMMANDS.status: return host.dnsStatus();
    case SERVER_COMMANDS.checkHost: return runCheckHost(host, args);
    case SERVER_COMMANDS.spfLookupTree: return runSpfLookupTree(host, args);
    case SERVER_COMMANDS.generateDkimKey: return runGenerateDkimKey(host, args);
    default: throw new CommandRefusal(`unknown command ${command}`);
  }
}

export function fileUri(p: string): string {
  return pathToFileURL(p).href;
}

export function uriPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}
