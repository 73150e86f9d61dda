// The Resolver interface over live DNS (node:dns), for `mailconf spf check-host --dns`.
// Simple on purpose: one query per question, no cache (the live-DNS issue adds caching and
// TTLs). node's error codes map onto the outcomes SPF tells apart: ENOTFOUND is NXDOMAIN,
// ENODATA is "no records of that type", ESERVFAIL/EREFUSED a server failure, ETIMEOUT a timeout.

import { Resolver as DnsResolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { DnsAnswer, MxAnswer, Resolver } from '../core/dns/resolver';

/** "192.0.2.53", "192.0.2.53:5353", "[2001:db8::53]:53", "2001:db8::53". */
export function parseDnsServer(text: string): string | undefined {
  const t = text.trim();
  let host = t;
  let port: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (bracket) {
    host = bracket[1];
    port = bracket[2];
  } else if (isIP(t) !== 6) {
    const colon = t.lastIndexOf(':');
    if (colon > 0) {
      host = t.slice(0, colon);
      port = t.slice(colon + 1);
    }
  }
  if (isIP(host) === 0) return undefined;
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) > 0 && Number(port) < 65536)) return undefined;
  if (port === undefined) return host;
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

export interface NodeResolverOptions {
  /** Per-query timeout in milliseconds (node's default otherwise). */
  timeoutMs?: number;
  tries?: number;
}

/** A Resolver asking the given DNS servers (node:dns setServers syntax). */
export function nodeResolver(servers: string[], options: NodeResolverOptions = {}): Resolver {
  const dns = new DnsResolver({ timeout: options.timeoutMs ?? 5000, tries: options.tries ?? 2 });
  dns.setServers(servers);
  return {
    addresses: (name, family) => ask(() => (family === 4 ? dns.resolve4(name) : dns.resolve6(name))),
    mx: (name) => ask<MxAnswer>(async () => (await dns.resolveMx(name)).map((r) => ({ preference: r.priority, exchange: r.exchange }))),
    txt: (name) => ask(() => dns.resolveTxt(name)),
    ptr: (name) => ask(() => dns.resolvePtr(name)),
  };
}

async function ask<T>(query: () => Promise<T[]>): Promise<DnsAnswer<T>> {
  try {
    const records = await query();
    return records.length > 0 ? { status: 'ok', records } : { status: 'nodata' };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    switch (code) {
      case 'ENOTFOUND': return { status: 'nxdomain' };
      case 'ENODATA': return { status: 'nodata' };
      case 'ETIMEOUT': return { status: 'timeout' };
      default: return { status: 'servfail', detail: code ?? String(e) };
    }
  }
}
