// `mailconf spf generate`: an SPF record for a domain from what the configuration tree
// knows (MX hosts in the zone files, Postfix's addresses and myhostname, the relay host),
// checked by mailconf's SPF checks and with its DNS lookups counted. Prints the record in
// zone-file form and the one-line value for a DNS web form.
//
//   mailconf spf generate --domain D [--all ~all|-all] [--ip ADDR…] [--include NAME…] [PATH…]
//
// Exit status: 0 printed, 1 the record has errors (over the lookup limit), 2 usage error.

import { ArgCursor } from './argCursor';
import { argsOrExit } from './usage';
import { spfRecordFor } from '../core/records/spf/generate';
import { LOOKUP_LIMIT } from '../core/records/spf/lookups';
import { txtRdataText } from '../core/stack/zoneInsertion';
import { loadConfigTree } from './configTree';

export const SPF_GENERATE_USAGE = `Usage: mailconf spf generate --domain DOMAIN [--all ~all|-all] [--ip ADDR...]
                             [--include NAME...] [PATH...]

Builds an SPF record for DOMAIN from the configuration files under PATH (zone files,
Postfix's main.cf): the domain's MX hosts, the server's addresses (inet_interfaces,
smtp_bind_address, myhostname's A/AAAA records in the zones), plus the addresses and
includes given. The record is checked and its DNS lookups are counted (at most ${LOOKUP_LIMIT}).

Options:
  --domain DOMAIN   the domain in the MAIL FROM addresses (the record goes at DOMAIN)
  --all ~all|-all   what other hosts get: softfail (~all, default) or fail (-all)
  --ip ADDR...      more sending addresses (IPv4, IPv6, /prefix allowed); repeatable
  --include NAME    a provider's SPF domain to include (include:NAME); repeatable
  -h, --help        this text

Exit status: 0 printed, 1 the record has errors (such as too many lookups), 2 usage error.
`;

export interface SpfGenerateArgs {
  domain: string;
  all: '~all' | '-all';
  addresses: string[];
  includes: string[];
  paths: string[];
}

/** True for a word that reads as an address or network (so `--ip A B PATH` stops at PATH). */
function looksLikeAddress(word: string): boolean {
  return /^[0-9.]+(\/\d+)?$/.test(word) || (/^[0-9A-Fa-f:.]+(\/\d+)?$/.test(word) && word.includes(':'));
}

/** Parses the arguments after "spf generate"; a string is a usage error. */
export function parseSpfGenerateArgs(args: string[]): SpfGenerateArgs | 'help' | string {
  let domain: string | undefined;
  let all: string = '~all';
  const addresses: string[] = [];
  const includes: string[] = [];
  const paths: string[] = [];
  const arg = new ArgCursor(args);
  const list = (v: string) => v.split(',').map((x) => x.trim()).filter((x) => x !== '');
  while (arg.next()) {
    switch (arg.name) {
      case '-h': case '--help': return 'help';
      case '--domain': domain = arg.value(); if (domain === undefined) return '--domain needs a domain'; break;
      case '--all': {
        const v = arg.value();
        if (v !== '~all' && v !== '-all') return '--all takes ~all or -all';
        all = v;
        break;
      }
      case '--ip': {
        const v = arg.value();
        if (v === undefined) return '--ip needs an address';
        addresses.push(...list(v));
        if (arg.inline === undefined) {
          // --ip A B PATH: the following words that are addresses; the rest are paths.
          const more = arg.following();
          const stop = more.findIndex((w) => !looksLikeAddress(w));
          addresses.push(...(stop < 0 ? more : more.slice(0, stop)));
          if (stop >= 0) paths.push(...more.slice(stop));
        }
        break;
      }
      case '--include': {
        const v = arg.value();
        if (v === undefined) return '--include needs a domain';
        includes.push(...list(v));
        break;
      }
      default:
        if (arg.word.startsWith('-') && arg.word !== '-') return `unknown argument ${arg.word}`;
        paths.push(arg.word);
    }
  }
  if (domain === undefined) return '--domain is required';
  return { domain, all: all as '~all' | '-all', addresses, includes, paths };
}

export function runSpfGenerate(args: string[]): number {
  const parsed = argsOrExit(parseSpfGenerateArgs(args), SPF_GENERATE_USAGE);
  if (typeof parsed === 'number') return parsed;
  const tree = loadConfigTree(parsed.paths);
  if (tree.missing.length) {
    for (const m of tree.missing) process.stderr.write(`mailconf: ${m}: no such file or directory\n`);
    return 2;
  }
  const spf = spfRecordFor(tree.workspace, parsed.domain, { all: parsed.all, addresses: parsed.addresses, includes: parsed.includes });
  if (spf.error) {
    process.stderr.write(`mailconf: ${spf.error}\n`);
    return 2;
  }
  const domain = parsed.domain.trim().replace(/\.$/, '').toLowerCase();
  const lines = [
    `SPF record for ${domain} (zone-file form):`,
    `${domain}.\tIN\tTXT\t${txtRdataText(spf.value)}`,
    '',
    `For a DNS web form: type TXT, name "@" (the domain itself), value:`,
    spf.value,
    '',
    `DNS lookups: ${spf.lookupsComplete ? '' : 'at least '}${spf.lookups} of ${LOOKUP_LIMIT}`,
    '',
    'Why:',
    ...spf.explanation.map((e) => `  - ${e}`),
  ];
  if (spf.findings.length) {
    lines.push('', 'Findings:');
    for (const f of spf.findings) lines.push(`  ${f.severity} ${f.code}: ${f.message}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  return spf.findings.some((f) => f.severity === 'error') ? 1 : 0;
}
