// `mailconf domain check DOMAIN`: the mail host identity report (core/dns/mailDomain.ts)
// from live DNS, with the host facts of the configuration files given by --config-root.
//
//   mailconf domain check DOMAIN [--dns-server HOST[:PORT]…] [--config-root DIR|PATH…]
//                                [--format text|json] [--timeout MS]
//
// Exit status: 0 when every line passes or warns, 1 when a line fails, 2 for a usage error
// or an internal failure.

import * as path from 'node:path';
import { cliResolver, parseDomainDnsArgs, type DomainDnsArgs } from './dnsOptions';
import { argsOrExit } from './usage';
import { Workspace } from '../core/stack/workspace';
import { checkMailDomain, mailDomainFacts, type MailCheckStatus, type MailDomainReport } from '../core/dns/mailDomain';
import { discover } from '../node/discovery';
import { loadFile } from '../node/loadFiles';
import { attachDiskEnvironment, findConfigRoot, loadOpendkimFiles } from '../node/opendkimEnvironment';
import { publicKeyOfKeyRef } from '../node/keyTablePublicKeys';
import * as fs from 'node:fs';

export const DOMAIN_USAGE = `Usage: mailconf domain check DOMAIN [--dns-server HOST[:PORT]...]
                             [--config-root DIR|PATH...] [--format text|json] [--timeout MS]

Checks a mail domain against live DNS, the way receivers look at it: the MX records; for
myhostname and each MX host, that A/AAAA records exist and each address has a PTR that
points back to the same name (forward-confirmed reverse DNS); that the HELO name is that
name; that the SPF record authorizes those addresses and stays within 10 DNS lookups; that
a DMARC record exists (and its p=); that the DKIM keys of the KeyTable are published.
Each line says pass, warn, fail or info, with what DNS answered.

Options:
  --dns-server HOST[:PORT]...
                  ask these DNS servers (default: the system's)
  --config-root DIR|PATH...
                  the server's configuration (a copy of /etc, or single files): main.cf
                  gives myhostname, mydomain, smtp_helo_name and the sending address, zone
                  files the MX the domain should have, KeyTables the DKIM selectors.
                  Without it only DNS is looked at (the MX hosts).
  --format text   one line per check with its evidence (default)
  --format json   the report as JSON
  --timeout MS    per-query timeout (default 2000; each query is tried twice)
  -h, --help      this text

Exit status: 0 every check passes or warns, 1 a check fails, 2 usage error or internal failure.
`;

export interface DomainCheckArgs extends Omit<DomainDnsArgs, 'paths'> {
  configPaths: string[];
}

/** Parses the arguments after "domain check"; a string is a usage error. */
export function parseDomainCheckArgs(args: string[]): DomainCheckArgs | 'help' | string {
  const parsed = parseDomainDnsArgs(args, { listOption: '--config-root', noDomain: 'give the mail domain to check' });
  if (typeof parsed === 'string') return parsed;
  const { paths: configPaths, ...rest } = parsed;
  return { ...rest, configPaths };
}

/** The configuration files of the given paths in one workspace, with the OpenDKIM files they name. */
export function loadConfiguration(paths: string[]): { workspace: Workspace; problems: string[] } {
  const workspace = new Workspace();
  const problems: string[] = [];
  if (paths.length === 0) return { workspace, problems };
  const found = discover(paths);
  for (const m of found.missing) problems.push(`${m}: no such file or directory`);
  for (const f of found.files) loadFile(workspace, f.path, f.kind);
  // A directory laid out like /etc is the configuration root: /etc/… paths in the files point into it.
  const root = paths.map((p) => (isDirectory(p) ? findConfigRoot(p) : undefined)).find((r) => r !== undefined);
  attachDiskEnvironment(workspace, root && path.resolve(root));
  loadOpendkimFiles(workspace);
  return { workspace, problems };
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

const WORD: Record<MailCheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', info: 'info' };

/** The report as plain text: a head, then one line per check with its evidence indented. */
export function formatDomainReportText(report: MailDomainReport): string {
  const f = report.facts;
  const out: string[] = [`mail domain ${report.domain || '(none)'}`];
  const known: string[] = [];
  if (f.myhostname) known.push(`myhostname ${f.myhostname}`);
  if (f.heloName && f.heloName !== f.myhostname) known.push(`smtp_helo_name ${f.heloName}`);
  for (const s of f.sourceAddresses) known.push(`${s.from} ${s.address}`);
  if (f.dkim.length) known.push(`DKIM selectors ${f.dkim.map((k) => k.selector).join(', ')}`);
  if (known.length) out.push(`from the configuration: ${known.join('; ')}`);
  out.push('');
  for (const l of report.lines) {
    out.push(`${WORD[l.status].padEnd(4)}  ${l.title}`);
    for (const e of l.evidence) out.push(`      ${e}`);
  }
  const c = report.counts;
  out.push('', `${c.fail} fail, ${c.warn} warn, ${c.pass} pass${c.info ? `, ${c.info} info` : ''}`);
  return out.join('\n') + '\n';
}

/** Runs `domain check`; resolves to the exit status. */
export async function domainCheck(args: string[], write: (s: string) => void = (s) => process.stdout.write(s), writeError: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  const parsed = argsOrExit(parseDomainCheckArgs(args), DOMAIN_USAGE, write, writeError);
  if (typeof parsed === 'number') return parsed;
  const { workspace, problems } = loadConfiguration(parsed.configPaths);
  for (const p of problems) writeError(`mailconf: ${p}\n`);
  if (problems.length) return 2;
  const resolver = cliResolver(parsed);
  const facts = mailDomainFacts(workspace, parsed.domain);
  const report = await checkMailDomain(facts, resolver, { publicKeyOf: publicKeyOfKeyRef });
  write(parsed.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatDomainReportText(report));
  return report.counts.fail > 0 ? 1 : 0;
}

/** The `mailconf domain …` command for the CLI dispatcher: the exit status (a promise while DNS is asked). */
export function runDomainCommand(args: string[]): number | Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'check') {
    if (sub === '-h' || sub === '--help') { process.stdout.write(DOMAIN_USAGE); return 0; }
    process.stderr.write(`mailconf: ${sub === undefined ? 'domain needs a subcommand (check)' : `unknown domain subcommand "${sub}"`}\n${DOMAIN_USAGE}`);
    return 2;
  }
  return domainCheck(rest);
}
