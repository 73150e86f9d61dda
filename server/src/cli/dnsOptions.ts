// The arguments of the commands that ask live DNS about one domain (`domain check`,
// `spf tree`): DOMAIN [--dns-server HOST[:PORT]…] [--format text|json] [--timeout MS] and
// one list option of files (--config-root, --zone), read and checked the same way; and the
// resolver every live DNS command (check --dns too) asks.
//
// check's --dns-server/--dns-timeout and spf check-host's --dns are written differently
// (comma lists, one server, other limits), so they keep their own parsing.

import { ArgCursor } from './argCursor';
import { LiveDnsResolver, parseDnsServer } from '../node/dnsResolver';

export interface CliDnsOptions {
  /** `host[:port]` entries; empty: the system's resolvers. */
  servers: string[];
  timeoutMs: number;
}

/** The resolver for a CLI run; throws BadDnsServerError for a server that is not an IP[:port]. */
export function cliResolver(options: CliDnsOptions): LiveDnsResolver {
  return new LiveDnsResolver({ servers: options.servers, timeoutMs: options.timeoutMs, tries: 2 });
}

export interface DomainDnsArgs extends CliDnsOptions {
  /** Lower-cased, without the trailing dot. */
  domain: string;
  format: 'text' | 'json';
  /** The words of the command's list option (`listOption`). */
  paths: string[];
}

export interface DomainDnsSyntax {
  /** The command's option taking one or more paths, such as `--zone`. */
  listOption: string;
  /** The usage error when no domain is given. */
  noDomain: string;
}

/** Parses `DOMAIN [--dns-server …] [LIST-OPTION …] [--format …] [--timeout MS]`; a string is a usage error. */
export function parseDomainDnsArgs(args: string[], syntax: DomainDnsSyntax): DomainDnsArgs | 'help' | string {
  let domain: string | undefined;
  let format = 'text';
  let timeout = '2000';
  const servers: string[] = [];
  const paths: string[] = [];
  const arg = new ArgCursor(args);
  while (arg.next()) {
    switch (arg.name) {
      case '-h': case '--help': return 'help';
      case '--format': { const v = arg.value(); if (v === undefined) return '--format needs a value (text or json)'; format = v; break; }
      case '--timeout': { const v = arg.value(); if (v === undefined) return '--timeout needs milliseconds'; timeout = v; break; }
      case '--dns-server': case syntax.listOption: {
        const list = arg.name === '--dns-server' ? servers : paths;
        if (arg.inline !== undefined) { list.push(arg.inline); break; }
        const words = arg.following();
        if (words.length === 0) return `${arg.name} needs a value`;
        list.push(...words);
        break;
      }
      default:
        if (arg.word.startsWith('-') && arg.word !== '-') return `unknown option ${arg.word}`;
        if (domain !== undefined) return `one domain at a time ("${domain}" and "${arg.word}")`;
        domain = arg.word;
    }
  }
  if (domain === undefined || domain.trim() === '') return syntax.noDomain;
  const d = domain.trim().replace(/\.$/, '').toLowerCase();
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(d)) return `"${domain}" is not a domain name`;
  if (format !== 'text' && format !== 'json') return `unknown format "${format}" (text or json)`;
  if (!/^\d{1,6}$/.test(timeout) || Number(timeout) === 0) return `--timeout ${timeout}: give milliseconds, such as 2000`;
  for (const s of servers) if (!parseDnsServer(s)) return `--dns-server ${s}: not an IP address with an optional :PORT`;
  return { domain: d, servers, paths, format, timeoutMs: Number(timeout) };
}
