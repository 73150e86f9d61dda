// `mailconf spf check-host`: would mail from this IP with this sender pass SPF? Evaluates
// RFC 7208 check_host() against zone files (offline) or live DNS through a given server,
// and prints the result, the explanation and why.
//
//   mailconf spf check-host --ip IP --sender ADDR [--helo NAME] [--zone FILE…] [--dns SERVER[:PORT]]
//
// Exit status: 0 whatever the SPF result, 2 for a usage error (or a file that cannot be read).

import { ArgCursor } from './argCursor';
import { argsOrExit } from './usage';
import { readZoneFiles } from './zoneFiles';
import { zoneResolver } from '../core/dns/zoneResolver';
import type { Resolver } from '../core/dns/resolver';
import { checkMailFrom, type CheckHostOutput } from '../core/records/spf/evaluate';
import { parseClientIp } from '../core/records/spf/ip';
import { nodeResolver, parseDnsServer } from '../node/nodeResolver';

export const SPF_USAGE = `Usage: mailconf spf check-host --ip IP --sender ADDR [--helo NAME]
                               [--zone FILE...] [--dns SERVER[:PORT]]

Evaluates SPF (RFC 7208 check_host) for mail from IP with envelope sender ADDR and prints
the result (pass, fail, softfail, neutral, none, permerror, temperror), the explanation
a receiver would give for a fail, and which term decided.

Options:
  --ip IP           the sending server's address (IPv4 or IPv6)
  --sender ADDR     the MAIL FROM address; "" for a bounce (then --helo is checked)
  --helo NAME       the name the server gives in HELO/EHLO (default: the sender's domain)
  --zone FILE...    answer DNS questions from these zone files (offline); names outside
                    them are unknown and make the result temperror
  --dns SERVER[:PORT]
                    ask this DNS server (live DNS)
  -h, --help        this text

Exit status: 0 for any SPF result, 2 for a usage error or an unreadable zone file.

Other spf commands: mailconf spf tree --help, mailconf spf generate --help.
`;

export interface CheckHostArgs {
  ip: string;
  sender: string;
  helo?: string;
  zones: string[];
  dns?: string;
}

/** Parses the arguments after "spf check-host"; a string is a usage error. */
export function parseCheckHostArgs(args: string[]): CheckHostArgs | 'help' | string {
  let ip: string | undefined;
  let sender: string | undefined;
  let helo: string | undefined;
  let dns: string | undefined;
  const zones: string[] = [];
  const arg = new ArgCursor(args);
  const value = () => arg.value();
  while (arg.next()) {
    switch (arg.name) {
      case '-h': case '--help': return 'help';
      case '--ip': ip = value(); if (ip === undefined) return '--ip needs an address'; break;
      case '--sender': sender = value(); if (sender === undefined) return '--sender needs an address ("" for a bounce)'; break;
      case '--helo': helo = value(); if (helo === undefined) return '--helo needs a name'; break;
      case '--dns': dns = value(); if (dns === undefined) return '--dns needs a server address'; break;
      case '--zone': {
        if (arg.inline !== undefined) { zones.push(arg.inline); break; }
        // --zone FILE…: every following word up to the next option.
        const files = arg.following();
        if (files.length === 0) return '--zone needs at least one zone file';
        zones.push(...files);
        break;
      }
      default: return `unknown argument ${arg.word}`;
    }
  }
  if (ip === undefined) return '--ip is required';
  if (!parseClientIp(ip)) return `--ip ${ip}: not an IPv4 or IPv6 address`;
  if (sender === undefined) return '--sender is required';
  if (sender.trim() === '' && !helo) return 'a bounce (--sender "") is checked by its HELO name: give --helo';
  if (zones.length === 0 && dns === undefined) return 'give --zone FILE... (offline) or --dns SERVER (live DNS)';
  if (zones.length > 0 && dns !== undefined) return 'give either --zone or --dns, not both';
  if (dns !== undefined && !parseDnsServer(dns)) return `--dns ${dns}: not an IP address with an optional :PORT`;
  return { ip, sender, helo, zones, dns };
}

/** A resolver over zone files read from disk; a string names a file that cannot be read. */
export function resolverOverZoneFiles(files: string[]): Resolver | string {
  const workspace = readZoneFiles(files);
  return typeof workspace === 'string' ? workspace : zoneResolver(workspace);
}

export function formatCheckHost(args: CheckHostArgs, out: CheckHostOutput): string {
  const lines = [`result: ${out.result}`];
  if (out.explanation !== undefined) lines.push(`explanation: ${out.explanation}`);
  lines.push(`reason: ${out.reason}`);
  lines.push(`lookups: ${out.lookups} of 10, void lookups: ${out.voidLookups} of 2`);
  lines.push(`checked: ip ${args.ip}, sender ${args.sender || '<>'}${args.helo ? `, helo ${args.helo}` : ''}`);
  return lines.join('\n') + '\n';
}

/** Runs the command; resolves to the exit status. */
export async function spfCheckHost(args: string[], write: (s: string) => void = (s) => process.stdout.write(s), writeError: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  const parsed = argsOrExit(parseCheckHostArgs(args), SPF_USAGE, write, writeError);
  if (typeof parsed === 'number') return parsed;
  let resolver: Resolver;
  if (parsed.dns !== undefined) {
    resolver = nodeResolver([parseDnsServer(parsed.dns)!]);
  } else {
    const r = resolverOverZoneFiles(parsed.zones);
    if (typeof r === 'string') { writeError(`mailconf: ${r}\n`); return 2; }
    resolver = r;
  }
  const sender = parsed.sender.trim();
  const helo = parsed.helo ?? (sender.includes('@') ? sender.slice(sender.lastIndexOf('@') + 1) : sender);
  const out = await checkMailFrom(resolver, { ip: parsed.ip, mailFrom: sender, helo });
  write(formatCheckHost(parsed, out));
  return 0;
}

/**
 * The `mailconf spf …` command for the synchronous CLI dispatcher: returns 0 at once and
 * sets process.exitCode when the evaluation ends (usage errors: 2).
 */
export function runSpfCommand(args: string[]): number {
  const [sub, ...rest] = args;
  if (sub !== 'check-host') {
    if (sub === '-h' || sub === '--help') { process.stdout.write(SPF_USAGE); return 0; }
    process.stderr.write(`mailconf: ${sub === undefined ? 'spf needs a subcommand' : `unknown spf subcommand "${sub}"`}\n${SPF_USAGE}`);
    return 2;
  }
  spfCheckHost(rest).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`mailconf: internal error: ${(e as Error).stack ?? e}\n`); process.exitCode = 2; },
  );
  return 0;
}
