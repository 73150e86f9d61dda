// `mailconf`: the command-line front end. Same core, same findings as the editor.
//   mailconf check [--format text|json] PATH…
// Exit codes: 0 no errors, 1 errors found, 2 usage or internal failure.

import { discover } from './node/discovery';
import { ArgCursor } from './cli/argCursor';
import { checkFiles } from './cli/checkFiles';
import { formatJson, formatText, totals } from './cli/format';
import { DEFAULT_SETTINGS } from './core/settings';
import { findConfigRoot } from './node/opendkimEnvironment';
import { runSpfCommand } from './cli/spfCheckHost';
import { runDkimCommand } from './cli/dkimGenerate';
import * as fs from 'node:fs';
import * as path from 'node:path';

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

declare const MAILCONF_VERSION: string | undefined;

const USAGE = `Usage: mailconf check [--format text|json] [--postfix-version X.Y] [--config-root DIR] [PATH...]
       mailconf spf check-host --ip IP --sender ADDR [--helo NAME] (--zone FILE... | --dns SERVER[:PORT])
       mailconf dkim generate --domain D --selector S [--algorithm rsa2048|ed25519|...] --out DIR

Checks Postfix (main.cf, master.cf), OpenDKIM (opendkim.conf, /etc/default/opendkim,
KeyTable, SigningTable, host lists) and DNS zone files. A directory, such as a copy of
/etc, is searched for them. PATH defaults to the current directory.

Options:
  --format text   one line per finding: file:line:col: severity code message (default)
  --format json   all findings as JSON
  --postfix-version X.Y
                  the Postfix release the configuration is for (default: latest);
                  parameters newer than that are reported
  --config-root DIR
                  DIR is a complete copy of the server's /etc: files the configurations
                  name (key files, tables) that are not in it are reported as missing
                  (always so when checking /etc itself)
  -h, --help      this text
  --version       the version

spf check-host evaluates SPF (RFC 7208 check_host) for mail from IP with the sender's
domain, against the given zone files or a DNS server, and prints the result (pass, fail,
softfail, neutral, none, permerror, temperror) with its explanation.

Exit status: 0 no errors (check) or any SPF result (spf check-host), 1 errors found,
2 usage error or internal failure.
`;

function fail(message: string): never {
  process.stderr.write(`mailconf: ${message}\n`);
  process.exit(2);
}

function runCheck(args: string[]): number {
  let format = 'text';
  let postfixVersion = DEFAULT_SETTINGS.postfixVersion;
  let configRootArg: string | undefined;
  const paths: string[] = [];
  const arg = new ArgCursor(args);
  while (arg.next()) {
    switch (arg.name) {
      case '--format': format = arg.value() ?? fail('--format needs a value (text or json)'); break;
      case '--config-root': configRootArg = arg.value() ?? fail('--config-root needs a directory'); break;
      case '--postfix-version': postfixVersion = arg.value() ?? fail('--postfix-version needs a value such as 3.7'); break;
      case '-h': case '--help': process.stdout.write(USAGE); return 0;
      default:
        if (arg.word.startsWith('-') && arg.word !== '-') fail(`unknown option ${arg.word}\n${USAGE}`);
        paths.push(arg.word);
    }
  }
  if (format !== 'text' && format !== 'json') fail(`unknown format "${format}" (text or json)`);
  if (postfixVersion !== 'latest' && !/^\d+\.\d+(\.\d+)?$/.test(postfixVersion)) fail(`--postfix-version must look like 3.7 or 3.7.11, not "${postfixVersion}"`);
  if (paths.length === 0) paths.push('.');

  const found = discover(paths);
  for (const m of found.missing) process.stderr.write(`mailconf: ${m}: no such file or directory\n`);
  for (const u of found.unknown) process.stderr.write(`mailconf: ${u}: not a file kind mailconf knows (main.cf, master.cf, opendkim.conf, KeyTable, SigningTable, zone file …)\n`);
  if (found.missing.length > 0) return 2;

  // Files the configurations name but that are absent are reported as missing only in a
  // tree known to be complete: the real /etc, or the folder given with --config-root (a
  // copy in a repository usually lacks the private keys on purpose).
  const configRoot = configRootArg ?? paths.map((p) => path.resolve(p)).find((p) => p === '/etc' && isDirectory(p));
  if (configRootArg && !findConfigRoot(configRootArg)) fail(`--config-root ${configRootArg}: no opendkim.conf or postfix/main.cf there`);
  const reports = checkFiles(found.files, { settings: { ...DEFAULT_SETTINGS, postfixVersion }, configRoot });
  process.stdout.write(format === 'json' ? formatJson(reports) : formatText(reports));
  return totals(reports).error > 0 ? 1 : 0;
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return runCheck(rest);
    case 'spf': return runSpfCommand(rest);
    case 'dkim': return runDkimCommand(rest);
    case '--version':
      process.stdout.write(`${typeof MAILCONF_VERSION === 'string' ? MAILCONF_VERSION : 'dev'}\n`);
      return 0;
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      return fail(`unknown command "${command}"\n${USAGE}`);
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`mailconf: internal error: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 2;
}
