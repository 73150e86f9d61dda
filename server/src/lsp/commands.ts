// The server's commands (LSP `workspace/executeCommand`), so that every LSP editor gets
// them: the VS Code client asks its prompts and calls these; Neovim users call them with
// `vim.lsp.buf.execute_command`. Each takes one plain-object argument and answers plain
// data (reports as Markdown). Commands that write files refuse in an untrusted workspace;
// commands that need DNS say so when live DNS is off instead of guessing.

import * as path from 'node:path';
import type { Resolver } from '../core/dns/resolver';
import { zoneResolver, zoneSyncResolver } from '../core/dns/zoneResolver';
import { renderSpfLookupTree, spfLookupTree } from '../core/records/spf/lookupTree';
import { checkHost, type CheckHostOutput } from '../core/records/spf/evaluate';
import { parseClientIp } from '../core/records/spf/ip';
import { DKIM_GENERATE_ALGORITHMS, type DkimGenerateAlgorithm } from '../core/records/dkim/generate';
import type { Workspace } from '../core/stack/workspace';
import type { TextEdit } from '../core/types';
import { looksLikeSpf } from '../core/records/spf/checks';
import { isDmarcText } from '../core/records/dmarc/dmarcRecord';
import { zoneTxtReplacement } from '../core/stack/zoneInsertion';
import {
  dkimSelectorConflict, dkimSuggestions, keyDirectoriesFor, planDkimSetup, soaSerialBump, txtRdataText, zoneChoicesFor, zoneRecordInsertion,
  type ZoneChoice,
} from '../core/stack/dkimSetup';
import { checkMailDomain, mailDomainFacts, renderMailDomainReport } from '../core/dns/mailDomain';
import { spfRecordFor } from '../core/records/spf/generate';
import { dmarcRecordFor } from '../core/records/dmarc/generate';
import { WorkspaceZones } from '../core/dns/zoneResolver';
import { DkimKeyRefusal, writeDkimKey } from '../node/dkimKeys';
import type { LiveDnsResolver } from '../node/dnsResolver';
import { publicKeyOfKeyRef } from '../node/keyTablePublicKeys';
import { filePathOf } from '../node/fileUris';
import { configRootOf } from '../core/opendkim/checks/links';

import { SERVER_COMMANDS, type DnsStatus, type GenerateDkimResult, type GeneratedRecordResult, type Report, type Suggestions } from './protocol';

export { SERVER_COMMANDS };

/** Edits the server asks the editor to apply (workspace/applyEdit): existing documents and new files. */
export interface PlannedEdit {
  label: string;
  edits: Array<TextEdit & { uri: string }>;
  createFiles?: Array<{ uri: string; text: string }>;
}

/** What the commands need from the server. */
export interface CommandHost {
  workspace: Workspace;
  /** The live resolver, or undefined when DNS must not run (off, untrusted). */
  liveResolver(): LiveDnsResolver | undefined;
  trusted(): boolean;
  /** Why live DNS is not usable, if it is not. */
  dnsStatus(): DnsStatus;
  /** A document URI as the user knows it: relative to the workspace folder, else the path. */
  displayPath(uri: string): string;
  /** Asks the editor to apply the edits; false when it did not. */
  applyEdit(edit: PlannedEdit): Promise<boolean>;
  log(message: string): void;
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

/** A document's file name for messages (the URI itself when it is not a file). */
function fileNameOf(uri: string): string {
  return path.basename(filePathOf(uri) ?? uri);
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
  if (out.result === 'none') {
    // A record that only looks like SPF (seed 002's unquoted value joined into "v=spf1amx…").
    const txt = await resolver.txt(domain);
    const almost = txt.status === 'ok' ? txt.records.map((r) => r.join('')).filter((v) => /^v=spf1/i.test(v) && !/^v=spf1(\s|$)/i.test(v)) : [];
    for (const v of almost) lines.push(`- **Note:** \`${domain}\` has the TXT record \`${v.slice(0, 60).replace(/`/g, "'")}${v.length > 60 ? '…' : ''}\`, which is not SPF: a receiver needs \`v=spf1\` followed by a space. In a zone file, quote the whole value in one string.`);
  }
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

// --- mail domain check -------------------------------------------------------------------

async function runCheckMailDomain(host: CommandHost, args: Record<string, unknown>): Promise<Report> {
  const facts = mailDomainFacts(host.workspace, stringArg(args, 'domain'));
  const { resolver, source } = resolverFor(host);
  // Key files are read (for their public half) only in a trusted workspace.
  const report = await checkMailDomain(facts, resolver, host.trusted() ? { publicKeyOf: publicKeyOfKeyRef } : {});
  const markdown = renderMailDomainReport(report, { source, location: (uri) => host.displayPath(uri) });
  return { title: `Mail domain ${facts.domain || 'check'}`, markdown };
}

// --- suggestions for the prompts -------------------------------------------------------------


function runSuggestions(host: CommandHost): Suggestions {
  const s = dkimSuggestions(host.workspace);
  const keyDirectories: Record<string, string[]> = {};
  const zones = new Map<string, { uri: string; origin: string; domains: string[] }>();
  for (const domain of s.domains.slice(0, 20)) {
    keyDirectories[domain] = keyDirectoriesFor(host.workspace, domain);
    for (const z of zoneChoicesFor(host.workspace, `${s.selector}._domainkey.${domain}.`)) {
      const known = zones.get(z.uri);
      if (known) known.domains.push(domain);
      else zones.set(z.uri, { uri: z.uri, origin: z.origin, domains: [domain] });
    }
  }
  return { domains: s.domains, selector: s.selector, keyDirectories, algorithms: s.algorithms, zones: [...zones.values()] };
}

// --- generate a DKIM key ----------------------------------------------------------------


async function runGenerateDkimKey(host: CommandHost, args: Record<string, unknown>): Promise<GenerateDkimResult> {
  if (!host.trusted()) throw new CommandRefusal('mailconf writes no files in an untrusted workspace: trust the workspace to generate keys');
  const domain = required(args, 'domain', 'the domain');
  const selector = required(args, 'selector', 'the selector');
  const directory = required(args, 'directory', 'the key directory');
  const algorithm = (stringArg(args, 'algorithm') ?? 'rsa2048') as DkimGenerateAlgorithm;
  if (!DKIM_GENERATE_ALGORITHMS.includes(algorithm)) throw new CommandRefusal(`unknown algorithm ${algorithm}: use one of ${DKIM_GENERATE_ALGORITHMS.join(', ')}`);
  if (!path.isAbsolute(directory)) throw new CommandRefusal(`the key directory must be an absolute path, not "${directory}"`);
  const zoneUri = stringArg(args, 'zoneUri');
  const updateTables = args.updateTables === true;
  // A selector already in use would replace a published key: refused before anything is written.
  const conflict = dkimSelectorConflict(host.workspace, domain, selector);
  if (conflict) throw new CommandRefusal(`${conflict} Nothing was written.`);
  let written;
  try {
    written = writeDkimKey({ domain, selector, algorithm, dir: directory, createDir: args.createDirectory === true });
  } catch (e) {
    if (e instanceof DkimKeyRefusal) throw new CommandRefusal(`${e.message}. Nothing was written.`);
    throw e;
  }
  // Logged without any key material: the paths and the DNS name only.
  host.log(`mailconf: wrote DKIM key ${written.privateKeyPath} and ${written.txtPath} for ${written.recordName}`);
  const plan = planDkimSetup(host.workspace, {
    domain, selector, keyPath: serverPathOfKey(host, written.privateKeyPath), generated: written, zoneUri, insertRecord: zoneUri !== undefined, updateTables,
  });
  const applied: string[] = [];
  const notes = [...plan.notes];
  if (plan.refusal) {
    notes.unshift(`The key files were written, but the tables and zone were left alone: ${plan.refusal}`);
  } else if (plan.edits.edits.length || plan.createFiles.length) {
    const ok = await host.applyEdit({ label: `mailconf: set up DKIM key ${written.recordName}`, edits: plan.edits.edits, createFiles: plan.createFiles });
    if (ok) {
      if (plan.zoneUri) applied.push(`inserted the TXT record into ${fileNameOf(plan.zoneUri)}`);
      // Left alone when OpenDKIM signs with the other key type (plan.tablesRefusal, the first note).
      if (updateTables && !plan.tablesRefusal) applied.push('added the KeyTable and SigningTable lines (review and save the changed files)');
    } else {
      notes.unshift('The editor did not apply the zone and table edits: add the lines by hand (see the notes).');
    }
  }
  return {
    privateKeyPath: written.privateKeyPath,
    txtPath: written.txtPath,
    recordName: written.recordName,
    relativeOwner: written.relativeOwner,
    webFormValue: written.webFormValue,
    keyTableLine: written.keyTableLine,
    signingTableLine: written.signingTableLine,
    applied,
    notes,
  };
}

/**
 * The key's path as OpenDKIM on the server will see it: a key written into a copy of /etc
 * (the folder that plays /etc for opendkim.conf) is named by its /etc path in the KeyTable.
 */
function serverPathOfKey(host: CommandHost, local: string): string {
  const conf = host.workspace.ofKind('opendkim-conf')[0];
  const rootPath = conf && filePathOf(configRootOf(host.workspace, conf));
  if (!rootPath || rootPath === '/etc' || !local.startsWith(rootPath + path.sep)) return local;
  return '/etc/' + path.relative(rootPath, local).split(path.sep).join('/');
}

// --- generate SPF and DMARC records --------------------------------------------------------


const RECORD_TEST = { SPF: looksLikeSpf, DMARC: isDmarcText } as const;

/** Whether the workspace's zones already publish a record of this kind at `owner`. */
function hasRecord(host: CommandHost, owner: string, kind: 'SPF' | 'DMARC'): boolean {
  const existing = new WorkspaceZones(host.workspace).txtSync(owner + '.');
  return existing?.status === 'ok' && existing.records.some((r) => RECORD_TEST[kind](r.join('')));
}

/**
 * Puts a TXT record into a zone of the workspace. An existing record of the kind is
 * replaced only when asked (`replace`): a second record would make receivers ignore both.
 */
async function insertTxt(host: CommandHost, zoneUri: string, owner: string, value: string, kind: 'SPF' | 'DMARC', zones: ZoneChoice[], replace: boolean): Promise<string> {
  if (!host.trusted()) throw new CommandRefusal('mailconf changes no files in an untrusted workspace');
  const file = fileNameOf(zoneUri);
  if (!zones.some((z) => z.uri === zoneUri)) throw new CommandRefusal(`${file} is not a zone of the workspace that holds ${owner}`);
  let edit: TextEdit & { uri: string };
  let verb = 'added';
  if (hasRecord(host, owner, kind)) {
    const replacement = replace ? zoneTxtReplacement(host.workspace, owner + '.', RECORD_TEST[kind], value) : undefined;
    if (!replacement) {
      throw new CommandRefusal(`${owner} already has a${kind === 'SPF' ? 'n SPF' : ' DMARC'} record in the zone files: a second one makes receivers ignore both (permerror). Replace the existing record instead. Nothing was changed.`);
    }
    edit = replacement;
    verb = 'replaced';
  } else {
    edit = zoneRecordInsertion(host.workspace, zoneUri, owner + '.', 'TXT', txtRdataText(value));
  }
  const edits = [edit];
  const bump = soaSerialBump(host.workspace, edit.uri);
  if (bump) edits.push(bump);
  const ok = await host.applyEdit({ label: `mailconf: ${verb === 'added' ? 'add' : 'replace'} the ${kind} record of ${owner}`, edits });
  if (!ok) throw new CommandRefusal('the editor did not apply the edit');
  return `${verb} the ${kind} record of ${owner} in ${verb === 'added' ? file : fileNameOf(edit.uri)}${bump ? ' (SOA serial increased)' : ''}: review, save and reload the zone`;
}

async function runGenerateSpf(host: CommandHost, args: Record<string, unknown>): Promise<GeneratedRecordResult> {
  const domain = required(args, 'domain', 'the domain').replace(/\.$/, '').toLowerCase();
  const all = stringArg(args, 'all') === '-all' ? '-all' : '~all';
  const addresses = Array.isArray(args.addresses) ? args.addresses.filter((a): a is string => typeof a === 'string') : [];
  const includes = Array.isArray(args.includes) ? args.includes.filter((a): a is string => typeof a === 'string') : [];
  // With live DNS the server's public addresses come from myhostname's A/AAAA records.
  const live = host.liveResolver();
  const myhostname = mailDomainFacts(host.workspace, domain).myhostname;
  if (live && myhostname && addresses.length === 0) {
    for (const family of [4, 6] as const) {
      const a = await live.addresses(myhostname, family);
      if (a.status === 'ok') addresses.push(...a.records);
    }
  }
  const spf = spfRecordFor(host.workspace, domain, { all, addresses, includes });
  if (spf.error) throw new CommandRefusal(spf.error);
  const notes = [...spf.explanation];
  for (const f of spf.findings) notes.push(`${f.severity}: ${f.message}`);
  const zones = zoneChoicesFor(host.workspace, domain + '.');
  const result: GeneratedRecordResult = { owner: domain, value: spf.value, zoneText: `${domain}. IN TXT ${txtRdataText(spf.value)}`, notes, zones, existing: hasRecord(host, domain, 'SPF'), lookups: spf.lookups };
  const zoneUri = stringArg(args, 'zoneUri');
  if (args.insert === true && zoneUri) {
    if (spf.findings.some((f) => f.severity === 'error')) throw new CommandRefusal('the generated record has errors (see the notes); nothing was inserted');
    result.inserted = await insertTxt(host, zoneUri, domain, spf.value, 'SPF', zones, args.replace === true);
  }
  return result;
}

async function runGenerateDmarc(host: CommandHost, args: Record<string, unknown>): Promise<GeneratedRecordResult> {
  const domain = required(args, 'domain', 'the domain').replace(/\.$/, '').toLowerCase();
  const dmarc = dmarcRecordFor(domain, { rua: stringArg(args, 'rua') });
  if (dmarc.error) throw new CommandRefusal(dmarc.error);
  const zones = zoneChoicesFor(host.workspace, dmarc.owner + '.');
  const result: GeneratedRecordResult = { owner: dmarc.owner, value: dmarc.value, zoneText: `${dmarc.owner}. IN TXT ${txtRdataText(dmarc.value)}`, notes: dmarc.notes, zones, existing: hasRecord(host, dmarc.owner, 'DMARC') };
  const zoneUri = stringArg(args, 'zoneUri');
  if (args.insert === true && zoneUri) result.inserted = await insertTxt(host, zoneUri, dmarc.owner, dmarc.value, 'DMARC', zones, args.replace === true);
  return result;
}

// --- dispatch ---------------------------------------------------------------------------

/** Runs a command; throws CommandRefusal for what the user must change. */
export async function executeCommand(host: CommandHost, command: string, rawArgs: unknown): Promise<unknown> {
  const args = (rawArgs && typeof rawArgs === 'object' ? rawArgs : {}) as Record<string, unknown>;
  switch (command) {
    case SERVER_COMMANDS.status: return host.dnsStatus();
    case SERVER_COMMANDS.checkHost: return runCheckHost(host, args);
    case SERVER_COMMANDS.spfLookupTree: return runSpfLookupTree(host, args);
    case SERVER_COMMANDS.checkMailDomain: return runCheckMailDomain(host, args);
    case SERVER_COMMANDS.dkimSuggestions: return runSuggestions(host);
    case SERVER_COMMANDS.generateDkimKey: return runGenerateDkimKey(host, args);
    case SERVER_COMMANDS.generateSpfRecord: return runGenerateSpf(host, args);
    case SERVER_COMMANDS.generateDmarcRecord: return runGenerateDmarc(host, args);
    default: throw new CommandRefusal(`unknown command ${command}`);
  }
}
