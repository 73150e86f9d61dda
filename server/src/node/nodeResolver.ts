// Kept for the CLI's import (`mailconf spf check-host --dns`): the one live resolver is
// LiveDnsResolver in dnsResolver.ts.

import type { Resolver } from '../core/dns/resolver';
import { LiveDnsResolver } from './dnsResolver';

export { parseDnsServer } from './dnsResolver';

export interface NodeResolverOptions {
  /** Per-query timeout in milliseconds. */
  timeoutMs?: number;
  tries?: number;
}

/** A Resolver asking the given DNS servers (`host[:port]`). */
export function nodeResolver(servers: string[], options: NodeResolverOptions = {}): Resolver {
  return new LiveDnsResolver({ servers, timeoutMs: options.timeoutMs ?? 5000, tries: options.tries ?? 2 });
}
