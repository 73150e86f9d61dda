// The live DNS resolver: the core's Resolver interface (core/dns/resolver.ts) over real DNS
// servers. Node side because it does network I/O; the pure core only sees the interface.
// It is never called on a keystroke path: the server runs DNS checks after the local
// findings are published.
//
// Why node:dns (c-ares) suffices, without a DNS library: it asks given servers with ports
// (setServers), has a per-query timeout and a try count, falls back to TCP by itself when a
// UDP answer is truncated (tested with a 2 KB TXT answer), returns TTLs for A/AAAA
// (`ttl: true`) and tells NXDOMAIN (ENOTFOUND), NODATA (ENODATA), SERVFAIL (ESERVFAIL),
// REFUSED (EREFUSED), ICMP-refused (ECONNREFUSED) and timeouts (ETIMEOUT) apart. What it
// cannot give: the TTL of TXT/MX/PTR answers and the SOA minimum of negative answers. We
// cache those for `defaultTtlSeconds` / `negativeTtlSeconds` instead (300 s / 60 s), which
// only matters for how fresh a hover is; a library with raw packets (e.g. dns-packet over
// dgram) would give exact TTLs but means writing retries, TCP fallback and server rotation
// ourselves — not worth it for that.
//
// c-ares 1.31+ has its own query cache; node disables it (qcache_max_ttl 0), checked by
// test/integration/dnsResolver.test.ts through named's query log, so this cache is the only
// one and clear()/forget() really make the next query go out. node also sets
// ARES_FLAG_NOCHECKRESP: a SERVFAIL or REFUSED answer ends the query, it is not asked again
// of the next server in the list (only timeouts move on to the next server).
// A worst-case timeout: c-ares doubles the per-try timeout on each round over the servers,
// so one query takes up to timeoutMs × (2^tries − 1) per server (measured: 300 ms, 2 tries
// → 900 ms).

import { Resolver as DnsResolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { DnsAnswer, MxAnswer, Resolver } from '../core/dns/resolver';

/** "192.0.2.53", "192.0.2.53:5353", "[2001:db8::53]:53", "2001:db8::53" → setServers syntax. */
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

export interface LiveResolverOptions {
  /** `host[:port]` entries (the setting mailconf.dns.servers); empty or absent: the system's. */
  servers?: string[];
  /** Timeout of the first try in milliseconds (c-ares doubles it on each retry). Default 2000. */
  timeoutMs?: number;
  /** Rounds over the servers before giving up with a timeout. Default 2. */
  tries?: number;
  /** Cache time of answers whose TTL node:dns does not report (TXT, MX, PTR). Default 300. */
  defaultTtlSeconds?: number;
  /** Cache time of NXDOMAIN/NODATA (node:dns does not report the SOA minimum). Default 60. */
  negativeTtlSeconds?: number;
  /** Upper bound of any cache time. Default 3600. */
  maxTtlSeconds?: number;
  /** Cached answers kept at most; the oldest go first. Default 10000. */
  maxEntries?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
  /** Told of every query that failed (SERVFAIL, REFUSED, timeout): the status bar shows the last. */
  onFailure?: (failure: DnsFailure) => void;
}

/** A query that got no usable answer. */
export interface DnsFailure {
  query: string;
  status: 'servfail' | 'timeout';
  detail?: string;
  at: number;
}

type QueryKind = 'A' | 'AAAA' | 'MX' | 'TXT' | 'PTR';

interface CacheEntry {
  answer: DnsAnswer<unknown>;
  expiresAt: number;
}

/** What went out and what was answered from the cache (tests, status bar). */
export interface ResolverStats {
  queriesSent: number;
  cacheHits: number;
  sharedInFlight: number;
}

/** Thrown by setServers when a `host[:port]` entry is not an IP address with an optional port. */
export class BadDnsServerError extends Error {}

export class LiveDnsResolver implements Resolver {
  private readonly dns: DnsResolver;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<DnsAnswer<unknown>>>();
  private readonly keysByTag = new Map<string, Set<string>>();
  private readonly now: () => number;
  private readonly defaultTtl: number;
  private readonly negativeTtl: number;
  private readonly maxTtl: number;
  private readonly maxEntries: number;
  private readonly onFailure: ((failure: DnsFailure) => void) | undefined;
  readonly stats: ResolverStats = { queriesSent: 0, cacheHits: 0, sharedInFlight: 0 };

  constructor(options: LiveResolverOptions = {}) {
    this.dns = new DnsResolver({ timeout: options.timeoutMs ?? 2000, tries: options.tries ?? 2 });
    if (options.servers && options.servers.length > 0) this.setServers(options.servers);
    this.now = options.now ?? Date.now;
    this.defaultTtl = options.defaultTtlSeconds ?? 300;
    this.negativeTtl = options.negativeTtlSeconds ?? 60;
    this.maxTtl = options.maxTtlSeconds ?? 3600;
    this.maxEntries = options.maxEntries ?? 10000;
    this.onFailure = options.onFailure;
  }

  /** Points the resolver at other servers (a settings change); drops every cached answer. */
  setServers(servers: string[]): void {
    const parsed = servers.map((s) => {
      const p = parseDnsServer(s);
      if (!p) throw new BadDnsServerError(`"${s}" is not an IP address with an optional :port`);
      return p;
    });
    this.dns.setServers(parsed);
    this.clear();
  }

  get servers(): string[] { return this.dns.getServers(); }

  addresses(name: string, family: 4 | 6): Promise<DnsAnswer<string>> {
    return this.query(family === 4 ? 'A' : 'AAAA', name, undefined);
  }
  mx(name: string): Promise<DnsAnswer<MxAnswer>> { return this.query('MX', name, undefined); }
  txt(name: string): Promise<DnsAnswer<string[]>> { return this.query('TXT', name, undefined); }
  ptr(name: string): Promise<DnsAnswer<string>> { return this.query('PTR', name, undefined); }

  /**
   * The same resolver, remembering that its queries were made for `tag` (a document URI),
   * so that forget(tag) drops them when the document changes.
   */
  forTag(tag: string): Resolver {
    return {
      addresses: (name, family) => this.query(family === 4 ? 'A' : 'AAAA', name, tag),
      mx: (name) => this.query('MX', name, tag),
      txt: (name) => this.query('TXT', name, tag),
      ptr: (name) => this.query('PTR', name, tag),
    };
  }

  /** Drops the cached answers of queries made for `tag`; the next ones go out again. */
  forget(tag: string): void {
    const keys = this.keysByTag.get(tag);
    if (!keys) return;
    this.keysByTag.delete(tag);
    for (const key of keys) {
      this.cache.delete(key);
      // A query still in flight for the old document must not fill the cache afterwards.
      this.inFlight.delete(key);
    }
  }

  /** Drops every cached answer. Queries in flight finish but are not cached. */
  clear(): void {
    this.cache.clear();
    this.inFlight.clear();
    this.keysByTag.clear();
  }

  /** Stops the queries in flight (they end as servfail "ECANCELLED"). */
  cancel(): void { this.dns.cancel(); }

  private query<T>(kind: QueryKind, rawName: string, tag: string | undefined): Promise<DnsAnswer<T>> {
    const name = rawName.toLowerCase().replace(/\.$/, '');
    const key = `${kind} ${name}`;
    if (tag !== undefined) {
      let keys = this.keysByTag.get(tag);
      if (!keys) this.keysByTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    const cached = this.cache.get(key);
    if (cached) {
      if (cached.expiresAt > this.now()) {
        this.stats.cacheHits++;
        return Promise.resolve(cached.answer as DnsAnswer<T>);
      }
      this.cache.delete(key);
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      this.stats.sharedInFlight++;
      return pending as Promise<DnsAnswer<T>>;
    }
    this.stats.queriesSent++;
    const promise = this.ask(kind, name).then(({ answer, ttlSeconds }) => {
      // Cache only when nobody cleared or forgot this query meanwhile.
      if (this.inFlight.get(key) === promise) {
        this.inFlight.delete(key);
        if (ttlSeconds > 0) this.remember(key, answer, ttlSeconds);
      }
      return answer;
    });
    this.inFlight.set(key, promise);
    return promise as Promise<DnsAnswer<T>>;
  }

  private remember(key: string, answer: DnsAnswer<unknown>, ttlSeconds: number): void {
    if (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(key, { answer, expiresAt: this.now() + Math.min(ttlSeconds, this.maxTtl) * 1000 });
  }

  /** One query on the wire; the answer and how long it may be cached (0: not at all). */
  private async ask(kind: QueryKind, name: string): Promise<{ answer: DnsAnswer<unknown>; ttlSeconds: number }> {
    try {
      switch (kind) {
        case 'A':
        case 'AAAA': {
          const records = kind === 'A' ? await this.dns.resolve4(name, { ttl: true }) : await this.dns.resolve6(name, { ttl: true });
          if (records.length === 0) return { answer: { status: 'nodata' }, ttlSeconds: this.negativeTtl };
          const ttl = Math.min(...records.map((r) => r.ttl));
          return { answer: { status: 'ok', records: records.map((r) => r.address), ttl }, ttlSeconds: ttl };
        }
        case 'MX': {
          const records = (await this.dns.resolveMx(name)).map((r) => ({ preference: r.priority, exchange: r.exchange }));
          return this.withoutTtl(records);
        }
        case 'TXT': return this.withoutTtl(await this.dns.resolveTxt(name));
        case 'PTR': return this.withoutTtl(await this.dns.resolvePtr(name));
      }
    } catch (e) {
      const answer = failure(e);
      if ((answer.status === 'servfail' && answer.detail !== 'ECANCELLED') || answer.status === 'timeout') {
        this.onFailure?.({ query: `${kind} ${name}`, status: answer.status, detail: answer.status === 'servfail' ? answer.detail : undefined, at: this.now() });
      }
      // NXDOMAIN/NODATA are answers too (negative caching); failures are asked again.
      const negative = answer.status === 'nxdomain' || answer.status === 'nodata';
      return { answer, ttlSeconds: negative ? this.negativeTtl : 0 };
    }
  }

  private withoutTtl<T>(records: T[]): { answer: DnsAnswer<unknown>; ttlSeconds: number } {
    if (records.length === 0) return { answer: { status: 'nodata' }, ttlSeconds: this.negativeTtl };
    return { answer: { status: 'ok', records }, ttlSeconds: this.defaultTtl };
  }
}

/** node:dns error codes onto the outcomes SPF and the checks tell apart. */
function failure(e: unknown): DnsAnswer<never> {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOTFOUND': return { status: 'nxdomain' };
    case 'ENODATA': return { status: 'nodata' };
    case 'ETIMEOUT': return { status: 'timeout' };
    case 'ESERVFAIL': return { status: 'servfail' };
    case 'EREFUSED': return { status: 'servfail', detail: 'the server refused the query (REFUSED)' };
    case 'ECONNREFUSED': return { status: 'servfail', detail: 'nothing answers at the DNS server\'s address (connection refused)' };
    default: return { status: 'servfail', detail: code ?? String(e) };
  }
}
