// `mailconf`: the command-line front end. Same core, same findings as the editor.
// A dispatcher: each command's options and run live in server/src/cli/.
// Exit codes: 0 no errors, 1 errors found, 2 usage or internal failure.

import { CHECK_EXIT_STATUS, CHECK_OPTIONS, runCheckCommand } from './cli/checkCommand';
import { runSpfCommand, spfCheckHost } from './cli/spfCheckHost';
import { runDkimCommand } from './cli/dkimGenerate';
import { runSpfGenerate } from './cli/spfGenerate';
import { runDmarcCommand } from './cli/dmarcGenerate';
import { runDomainCommand } from './cli/domainCheck';
import { runSpfTreeCommand } from './cli/spfTree';

declare const MAILCONF_VERSION: string | undefined;
const VERSION = typeof MAILCONF_VERSION === 'string' ? MAILCONF_VERSION : 'dev';

const USAGE = `Usage: mailconf check [--format text|json|sarif] [--min-severity LEVEL] [--dns] [OPTION...] [PATH...]
       mailconf spf check-host --ip IP --sender ADDR [--helo NAME] (--zone FILE... | --dns SERVER[:PORT])
       mailconf dkim generate --domain D --selector S [--algorithm rsa2048|ed25519|...] --out DIR
                              [--create-dir] [--update PATH]
       mailconf spf generate --domain D [--all ~all|-all] [--ip ADDR...] [--include NAME...] [PATH...]
       mailconf dmarc generate --domain D [--rua mailto:ADDR] [--policy none|quarantine|reject]
                               [--sp POLICY] [--pct N]
       mailconf domain check DOMAIN [--dns-server HOST[:PORT]...] [--timeout MS]
                                    [--config-root DIR|PATH...] [--format text|json]
       mailconf spf tree DOMAIN [--dns-server HOST[:PORT]...] [--timeout MS] [--zone FILE...]
                                [--format text|json]

Checks Postfix (main.cf, master.cf), OpenDKIM (opendkim.conf, /etc/default/opendkim,
KeyTable, SigningTable, host lists) and DNS zone files. A directory, such as a copy of
/etc, is searched for them. PATH defaults to the current directory.

${CHECK_OPTIONS}
  -h, --help      this text (mailconf COMMAND --help: that command's)
  --version       the version

spf check-host evaluates SPF (RFC 7208 check_host) for mail from IP with the sender's
domain, against the given zone files or a DNS server, and prints the result (pass, fail,
softfail, neutral, none, permerror, temperror) with its explanation.

domain check looks at a mail domain the way receivers do, in live DNS: MX, the A/AAAA and
forward-confirmed reverse DNS of myhostname and the MX hosts, the HELO name, SPF (record,
lookups, the addresses it authorizes), DMARC and the DKIM keys of the KeyTable.
spf tree prints the include/redirect tree of a domain's SPF record with the running DNS
and void lookup counts against RFC 7208's limits of 10 and 2.

${CHECK_EXIT_STATUS}
spf check-host: 0 for any SPF result, 2 usage error or unreadable zone file.
spf generate: 0 a record was built, 1 it has errors, 2 usage error.
dmarc generate, dkim generate: 0 done, 2 usage error or refusal (nothing written).
domain check: 0 every check passes or warns, 1 a check fails, 2 usage error.
spf tree: 0 receivers can evaluate the record, 1 permerror (over a limit, loop …), 2 usage error.
`;

function fail(message: string): never {
  process.stderr.write(`mailconf: ${message}\n`);
  process.exit(2);
}

function main(argv: string[]): number | Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return runCheckCommand(rest, VERSION);
    case 'spf':
      if (rest[0] === 'generate') return runSpfGenerate(rest.slice(1));
      if (rest[0] === 'tree') return runSpfTreeCommand(rest.slice(1));
      // check-host's promise carries its exit status (runSpfCommand's early 0 would win over it).
      return rest[0] === 'check-host' ? spfCheckHost(rest.slice(1)) : runSpfCommand(rest);
    case 'domain': return runDomainCommand(rest);
    case 'dmarc': return runDmarcCommand(rest);
    case 'dkim': return runDkimCommand(rest);
    case '--version':
      process.stdout.write(`${VERSION}\n`);
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

function internalError(e: unknown): void {
  process.stderr.write(`mailconf: internal error: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 2;
}

// `mailconf check | head`: the reader went away. What is left to print is dropped quietly and
// the command ends with its own exit status (1 when errors were found), instead of an EPIPE
// stack trace and status 1 whatever was found. Commands print at their end, so nothing is
// left running for long.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });
}

try {
  // Commands that wait for the network (check --dns) return a promise.
  Promise.resolve(main(process.argv.slice(2))).then((code) => { process.exitCode = code; }, internalError);
} catch (e) {
  internalError(e);
}
