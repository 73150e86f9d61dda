// `mailconf dmarc generate`: the DMARC record to publish at `_dmarc.<domain>`, by default
// the monitoring start (p=none) with the admin's report address. Prints it in zone-file
// form and as the one-line value for a DNS web form, with what to know next.
//
//   mailconf dmarc generate --domain D --rua mailto:… [--policy none|quarantine|reject]
//                           [--sp POLICY] [--pct N]
//
// Exit status: 0 printed, 2 usage error or invalid input.

import { ArgCursor } from './argCursor';
import { argsOrExit, onlySubcommandArgs } from './usage';
import { dmarcRecordFor, type DmarcPolicy } from '../core/records/dmarc/generate';
import { txtRdataText } from '../core/stack/zoneInsertion';

export const DMARC_GENERATE_USAGE = `Usage: mailconf dmarc generate --domain DOMAIN [--rua mailto:ADDRESS[,mailto:...]]
                               [--policy none|quarantine|reject] [--sp POLICY] [--pct N]

Prints the DMARC record for DOMAIN (published at _dmarc.DOMAIN): by default p=none, which
only collects reports, so you can see whether all your mail passes before a stricter
policy rejects or quarantines what fails.

Options:
  --domain DOMAIN   the domain in the From: addresses
  --rua URIS        where aggregate reports go: mailto: addresses, separated by ","
                    (optional, but without it you get no reports)
  --policy P        none (default), quarantine or reject
  --sp P            a different policy for subdomains
  --pct N           apply the policy to N% of failing mail (RFC 7489; gone from DMARCbis)
  -h, --help        this text

Exit status: 0 printed, 2 usage error or invalid input.
`;

export interface DmarcGenerateArgs {
  domain: string;
  rua?: string;
  policy?: DmarcPolicy;
  subdomainPolicy?: DmarcPolicy;
  pct?: number;
}

const POLICIES = ['none', 'quarantine', 'reject'];

/** Parses the arguments after "dmarc generate"; a string is a usage error. */
export function parseDmarcGenerateArgs(args: string[]): DmarcGenerateArgs | 'help' | string {
  const out: Partial<DmarcGenerateArgs> = {};
  const arg = new ArgCursor(args);
  while (arg.next()) {
    switch (arg.name) {
      case '-h': case '--help': return 'help';
      case '--domain': out.domain = arg.value(); if (out.domain === undefined) return '--domain needs a domain'; break;
      case '--rua': out.rua = arg.value(); if (out.rua === undefined) return '--rua needs mailto: addresses'; break;
      case '--policy': case '--sp': {
        const v = arg.value()?.toLowerCase();
        if (v === undefined || !POLICIES.includes(v)) return `${arg.name} takes none, quarantine or reject`;
        if (arg.name === '--policy') out.policy = v as DmarcPolicy; else out.subdomainPolicy = v as DmarcPolicy;
        break;
      }
      case '--pct': {
        const v = arg.value();
        if (v === undefined || !/^[0-9]{1,3}$/.test(v) || Number(v) > 100) return '--pct takes a whole number from 0 to 100';
        out.pct = Number(v);
        break;
      }
      default: return `unknown argument ${arg.word}`;
    }
  }
  if (out.domain === undefined) return '--domain is required';
  return out as DmarcGenerateArgs;
}

export function runDmarcCommand(args: string[]): number {
  const rest = onlySubcommandArgs(args, 'dmarc', 'generate', DMARC_GENERATE_USAGE);
  if (typeof rest === 'number') return rest;
  const parsed = argsOrExit(parseDmarcGenerateArgs(rest), DMARC_GENERATE_USAGE);
  if (typeof parsed === 'number') return parsed;
  const dmarc = dmarcRecordFor(parsed.domain, parsed);
  if (dmarc.error) {
    process.stderr.write(`mailconf: ${dmarc.error}\n`);
    return 2;
  }
  const lines = [
    `DMARC record for ${dmarc.owner.slice('_dmarc.'.length)} (zone-file form):`,
    `${dmarc.owner}.\tIN\tTXT\t${txtRdataText(dmarc.value)}`,
    '',
    'For a DNS web form: type TXT, name "_dmarc", value:',
    dmarc.value,
    ...dmarc.notes.map((n) => `\nNote: ${n}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
