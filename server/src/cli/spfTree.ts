// `mailconf spf tree DOMAIN`: the SPF include/redirect tree of a domain from live DNS, with
// the running DNS-lookup and void-lookup counts against RFC 7208's limits (10 and 2), the
// term that pushed a count over, loops, failed lookups, and — with --zone — where the given
// zone files say something else than DNS (core/records/spf/lookupTree.ts).
//
//   mailconf spf tree DOMAIN [--dns-server HOST[:PORT]…] [--zone FILE…] [--format text|json]
//
// Exit status: 0 when receivers can evaluate the record within the limits (failed lookups
// included: they are reported, not judged), 1 when they return permerror (over a limit, a
// loop, a broken include, several or no SPF records), 2 for a usage error or an internal failure.

import { cliResolver, parseDomainDnsArgs, type DomainDnsArgs } from './dnsOptions';
import { argsOrExit } from './usage';
import { readZoneFiles } from './zoneFiles';
import { zoneSyncResolver } from '../core/dns/zoneResolver';
import { renderSpfLookupTree, spfLookupTree, type SpfLookupTreeReport } from '../core/records/spf/lookupTree';
import { LOOKUP_LIMIT, VOID_LIMIT, type SyncResolver } from '../core/records/spf/lookups';

export const SPF_TREE_USAGE = `Usage: mailconf spf tree DOMAIN [--dns-server HOST[:PORT]...] [--zone FILE...]
                         [--format text|json] [--timeout MS]

Prints the SPF include/redirect tree of DOMAIN as live DNS publishes it (Markdown): every
DNS-querying term with the running count of DNS lookups (limit 10) and void lookups
(limit 2, names without records), the term that pushed a count over its limit, loops,
includes without a valid record, and lookups that failed.

Options:
  --dns-server HOST[:PORT]...
                  ask these DNS servers (default: the system's)
  --zone FILE...  compare with these zone files: every name they hold that the walk asked
                  for, where they answer differently than DNS
  --format text   the tree as Markdown (default)
  --format json   the report as JSON
  --timeout MS    per-query timeout (default 2000; each query is tried twice)
  -h, --help      this text

Exit status: 0 receivers can evaluate the record, 1 they return permerror (over a limit, a
loop, a broken include, no or several SPF records), 2 usage error or internal failure.
`;

export interface SpfTreeArgs extends Omit<DomainDnsArgs, 'paths'> {
  zones: string[];
}

/** Parses the arguments after "spf tree"; a string is a usage error. */
export function parseSpfTreeArgs(args: string[]): SpfTreeArgs | 'help' | string {
  const parsed = parseDomainDnsArgs(args, { listOption: '--zone', noDomain: 'give the domain whose SPF record to expand' });
  if (typeof parsed === 'string') return parsed;
  const { paths: zones, ...rest } = parsed;
  return { ...rest, zones };
}

/** The zone files as a synchronous resolver; a string names a file that cannot be read. */
function zonesOf(files: string[]): SyncResolver | string {
  const workspace = readZoneFiles(files);
  return typeof workspace === 'string' ? workspace : zoneSyncResolver(workspace);
}

/** True when receivers would return permerror for the domain's SPF evaluation. */
export function spfTreeFails(report: SpfLookupTreeReport): boolean {
  const c = report.count;
  const root = c.root.status;
  if (root === 'none' || root === 'multiple' || root === 'syntax') return true;
  return c.total > LOOKUP_LIMIT || c.voids > VOID_LIMIT || c.loops.length > 0 || report.rows.some((r) => r.broken);
}

/** Runs `spf tree`; resolves to the exit status. */
export async function spfTree(args: string[], write: (s: string) => void = (s) => process.stdout.write(s), writeError: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  const parsed = argsOrExit(parseSpfTreeArgs(args), SPF_TREE_USAGE, write, writeError);
  if (typeof parsed === 'number') return parsed;
  let zones: SyncResolver | undefined;
  if (parsed.zones.length) {
    const z = zonesOf(parsed.zones);
    if (typeof z === 'string') { writeError(`mailconf: ${z}\n`); return 2; }
    zones = z;
  }
  const resolver = cliResolver(parsed);
  const report = await spfLookupTree(parsed.domain, resolver, { zones });
  write(parsed.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderSpfLookupTree(report));
  return spfTreeFails(report) ? 1 : 0;
}

/** `mailconf spf tree …` for the CLI dispatcher: the exit status, once DNS has answered. */
export function runSpfTreeCommand(args: string[]): Promise<number> {
  return spfTree(args);
}
