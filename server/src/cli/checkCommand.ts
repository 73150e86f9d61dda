// `mailconf check`: its options, the run (discovery → core → optional live DNS) and the
// output in text, JSON or SARIF. cli.ts only dispatches here.
//
// Exit status: 0 no errors among the findings, 1 errors found, 2 usage error, missing path
// or internal failure. --min-severity cannot hide errors (error is the highest severity), so
// the status never depends on it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { discover } from '../node/discovery';
import { findConfigRoot } from '../node/opendkimEnvironment';
import { BadDnsServerError } from '../node/dnsResolver';
import { DEFAULT_SETTINGS } from '../core/settings';
import type { Severity } from '../core/types';
import { ALL_KINDS, type DocumentKind } from '../core/kinds';
import { ArgCursor } from './argCursor';
import { checkWorkspace } from './checkFiles';
import { atLeast, formatJson, formatText, SEVERITIES, totals } from './format';
import { formatSarif } from './sarif';
import { findPackage, loadCheckDocs } from './checkDocs';
import { ANSI_STYLES, NO_STYLE, wantColour } from './colour';
import { Progress } from './progress';
import { addLiveDnsFindings } from './liveDnsChecks';
import { cliResolver } from './dnsOptions';

/** The options of `mailconf check`, also shown by `mailconf --help`. */
export const CHECK_OPTIONS = `Options of check:
  --format text   one line per finding: file:line:col: severity code message (default);
                  coloured on a terminal
  --format json   all findings as JSON
  --format sarif  SARIF 2.1.0 for GitHub code scanning and other SARIF viewers
  --min-severity error|warning|information|hint
                  show only findings this severe or more (default: hint, all of them)
  --no-dns        check the files only; nothing is sent to DNS (default)
  --dns           also compare the KeyTables' DKIM keys with what DNS publishes
  --dns-server HOST[:PORT]
                  the DNS server to ask (repeat or separate by commas; default: the
                  system's resolvers); used with --dns
  --dns-timeout MS
                  wait this long for a DNS answer before the one retry (default 2000)
  --kind KIND     check the files named as PATH as this kind, whatever their names
                  (main.cf.j2, postfix-main.cf): postfix-main, postfix-master,
                  opendkim-conf, opendkim-default, opendkim-keytable,
                  opendkim-signingtable, opendkim-hostlist or dns-zone; folders are
                  still searched by file name
  --postfix-version X.Y
                  the Postfix release the configuration is for (default: latest);
                  parameters newer than that are reported
  --config-root DIR
                  DIR is a complete copy of the server's /etc: files the configurations
                  name (key files, tables) that are not in it are reported as missing
                  (always so when checking /etc itself)
  --color, --no-color (also --colour, --no-colour)
                  colour the text output or not (default: on a terminal, unless NO_COLOR
                  is set)
  --progress      show progress on stderr even when it is not a terminal
  -q, --quiet     no progress and no notes about skipped files on stderr
`;

export const CHECK_EXIT_STATUS = `Exit status of check: 0 no errors, 1 errors found, 2 usage error, missing path or internal
failure. --min-severity never hides errors, so it does not change the status.`;

export const CHECK_USAGE = `Usage: mailconf check [OPTION...] [PATH...]

Checks Postfix (main.cf, master.cf), OpenDKIM (opendkim.conf, /etc/default/opendkim,
KeyTable, SigningTable, host lists) and DNS zone files. A directory, such as a copy of
/etc, is searched for them. PATH defaults to the current directory.

${CHECK_OPTIONS}  -h, --help      this text

${CHECK_EXIT_STATUS}
`;

class UsageError extends Error {}

type Format = 'text' | 'json' | 'sarif';

export interface CheckArgs {
  format: Format;
  minSeverity: Severity;
  dns: boolean;
  dnsServers: string[];
  dnsTimeoutMs: number;
  /** Whether --dns-server or --dns-timeout was given (they do nothing without --dns). */
  dnsOptionsGiven: boolean;
  postfixVersion: string;
  /** --kind: the kind of the files named explicitly. */
  kind?: DocumentKind;
  configRoot?: string;
  colour?: boolean;
  progress: 'auto' | 'always' | 'never';
  quiet: boolean;
  paths: string[];
}

/** Parses the words after `check`; 'help' for -h/--help; throws UsageError. */
export function parseCheckArgs(args: string[]): CheckArgs | 'help' {
  const a: CheckArgs = {
    format: 'text', minSeverity: 'hint', dns: false, dnsServers: [], dnsTimeoutMs: 2000, dnsOptionsGiven: false,
    postfixVersion: DEFAULT_SETTINGS.postfixVersion, progress: 'auto', quiet: false, paths: [],
  };
  const arg = new ArgCursor(args);
  const value = (what: string): string => {
    const v = arg.value();
    if (v === undefined) throw new UsageError(`${arg.name} needs ${what}`);
    return v;
  };
  const flag = () => {
    if (arg.inline !== undefined) throw new UsageError(`${arg.name} takes no value`);
  };
  while (arg.next()) {
    switch (arg.name) {
      case '--format': {
        const f = value('a value (text, json or sarif)');
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`unknown format "${f}" (text, json or sarif)`);
        a.format = f;
        break;
      }
      case '--min-severity': {
        const s = value('a severity (error, warning, information or hint)');
        if (!(SEVERITIES as readonly string[]).includes(s)) throw new UsageError(`unknown severity "${s}" (error, warning, information or hint)`);
        a.minSeverity = s as Severity;
        break;
      }
      case '--dns': flag(); a.dns = true; break;
      case '--no-dns': flag(); a.dns = false; break;
      case '--dns-server':
        a.dnsServers.push(...value('HOST or HOST:PORT').split(',').map((s) => s.trim()).filter((s) => s !== ''));
        a.dnsOptionsGiven = true;
        break;
      case '--dns-timeout': {
        const t = value('milliseconds');
        if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > 60_000) throw new UsageError(`--dns-timeout must be milliseconds from 1 to 60000, not "${t}"`);
        a.dnsTimeoutMs = Number(t);
        a.dnsOptionsGiven = true;
        break;
      }
      case '--postfix-version': a.postfixVersion = value('a value such as 3.7'); break;
      case '--kind': {
        const k = value(`a kind (${ALL_KINDS.join(', ')})`);
        if (!(ALL_KINDS as readonly string[]).includes(k)) throw new UsageError(`unknown kind "${k}" (${ALL_KINDS.join(', ')})`);
        a.kind = k as DocumentKind;
        break;
      }
      case '--config-root': a.configRoot = value('a directory'); break;
      case '--color': case '--colour': flag(); a.colour = true; break;
      case '--no-color': case '--no-colour': flag(); a.colour = false; break;
      case '--progress': flag(); a.progress = 'always'; break;
      case '--quiet': case '-q': flag(); a.quiet = true; break;
      case '-h': case '--help': return 'help';
      default:
        if (arg.word.startsWith('-') && arg.word !== '-') throw new UsageError(`unknown option ${arg.word}`);
        a.paths.push(arg.word);
    }
  }
  if (a.quiet) a.progress = 'never';
  if (a.postfixVersion !== 'latest' && !/^\d+\.\d+(\.\d+)?$/.test(a.postfixVersion)) {
    throw new UsageError(`--postfix-version must look like 3.7 or 3.7.11, not "${a.postfixVersion}"`);
  }
  if (a.paths.length === 0) a.paths.push('.');
  return a;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

const say = (text: string) => process.stderr.write(`mailconf: ${text}\n`);

/** `mailconf check …`: prints the findings to stdout and returns the exit status. */
export async function runCheckCommand(args: string[], version: string): Promise<number> {
  let a: CheckArgs | 'help';
  try {
    a = parseCheckArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    say(`${e.message}\n${CHECK_USAGE}`);
    return 2;
  }
  if (a === 'help') {
    process.stdout.write(CHECK_USAGE);
    return 0;
  }
  if (a.configRoot && !findConfigRoot(a.configRoot)) {
    say(`--config-root ${a.configRoot}: no opendkim.conf or postfix/main.cf there`);
    return 2;
  }
  let resolver: ReturnType<typeof cliResolver> | undefined;
  if (a.dns) {
    try {
      resolver = cliResolver({ servers: a.dnsServers, timeoutMs: a.dnsTimeoutMs });
    } catch (e) {
      if (!(e instanceof BadDnsServerError)) throw e;
      say(`--dns-server ${e.message}`);
      return 2;
    }
  } else if (a.dnsOptionsGiven && !a.quiet) {
    say('--dns-server and --dns-timeout do nothing without --dns: no DNS lookups in this run');
  }

  const found = discover(a.paths, { explicitKind: a.kind });
  for (const m of found.missing) say(`${m}: no such file or directory`);
  if (!a.quiet) for (const u of found.unknown) say(`${u}: not a file kind mailconf knows by its name or content (main.cf, master.cf, opendkim.conf, KeyTable, SigningTable, zone file …); name its kind with --kind`);
  if (found.missing.length > 0) return 2;

  // Files the configurations name but that are absent are reported as missing only in a
  // tree known to be complete: the real /etc, or the folder given with --config-root (a
  // copy in a repository usually lacks the private keys on purpose).
  const configRoot = a.configRoot ?? a.paths.map((p) => path.resolve(p)).find((p) => p === '/etc' && isDirectory(p));
  const progress = new Progress({ stream: process.stderr, mode: a.progress });
  const checked = checkWorkspace(found.files, {
    settings: { ...DEFAULT_SETTINGS, postfixVersion: a.postfixVersion },
    configRoot,
    onProgress: (phase, done, total) => progress.update(`${phase === 'read' ? 'read' : 'checked'} ${done}/${total} files`, done === total),
  });
  if (resolver) {
    await addLiveDnsFindings(checked, resolver, (done, total) => progress.update(`looked up the DKIM keys of ${done}/${total} KeyTables`, done === total));
  }
  progress.done();

  const { reports, hidden } = atLeast(checked.reports, a.minSeverity);
  if (a.format === 'json') {
    process.stdout.write(formatJson(reports, { minSeverity: a.minSeverity, hidden }));
  } else if (a.format === 'sarif') {
    const pkg = findPackage();
    process.stdout.write(formatSarif(reports, { cwd: process.cwd(), version, docs: loadCheckDocs(pkg), informationUri: pkg?.repositoryUrl }));
  } else {
    const styles = wantColour(a.colour, process.stdout, process.env) ? ANSI_STYLES : NO_STYLE;
    process.stdout.write(formatText(reports, { styles, hidden }));
  }
  return totals(reports).error > 0 ? 1 : 0;
}
