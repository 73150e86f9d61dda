// Live DNS for the language server: the settings (mailconf.dns.*), whether DNS may run at
// all (trusted workspace, enabled), the one LiveDnsResolver, and the public keys of key
// files, derived here with node:crypto so that only public material reaches the core.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LiveDnsResolver, type DnsFailure } from './dnsResolver';
import { mayRead } from './readPolicy';

export interface DnsSettings {
  enabled: boolean;
  /** `host[:port]` entries; empty: the system's servers. */
  servers: string[];
  timeoutMs: number;
}

export const DEFAULT_DNS_SETTINGS: DnsSettings = { enabled: true, servers: [], timeoutMs: 2000 };

/** The `dns` object of the mailconf settings section, with defaults for what is missing or wrong. */
export function readDnsSettings(section: unknown): DnsSettings {
  const s = (section && typeof section === 'object' ? section : {}) as { enabled?: unknown; servers?: unknown; timeoutMs?: unknown };
  const servers = Array.isArray(s.servers) ? s.servers.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : [];
  const timeout = typeof s.timeoutMs === 'number' && Number.isFinite(s.timeoutMs) && s.timeoutMs > 0 ? Math.min(Math.round(s.timeoutMs), 60_000) : DEFAULT_DNS_SETTINGS.timeoutMs;
  return { enabled: typeof s.enabled === 'boolean' ? s.enabled : DEFAULT_DNS_SETTINGS.enabled, servers, timeoutMs: timeout };
}

function sameSettings(a: DnsSettings, b: DnsSettings): boolean {
  return a.enabled === b.enabled && a.timeoutMs === b.timeoutMs && a.servers.join(' ') === b.servers.join(' ');
}

/**
 * Whether live DNS runs and with which resolver. Never creates a resolver (nor sends a
 * query) in an untrusted workspace or with mailconf.dns.enabled off.
 */
export class LiveDns {
  private settings: DnsSettings = DEFAULT_DNS_SETTINGS;
  private resolver: LiveDnsResolver | undefined;
  /** False until the settings were read once: before that the servers are not known yet. */
  private configured = false;
  /** Why the configured servers could not be used, if they could not. */
  lastError: string | undefined;
  /** The last query that failed (timeout, SERVFAIL), for the status bar. */
  lastFailure: DnsFailure | undefined;

  /** `onChange` hears of every change of what status() says (the status bar follows it). */
  constructor(private readonly trusted: boolean, private readonly onChange: () => void = () => {}) {}

  /** What the status bar shows: on or off (and why), the servers, the last error. */
  status(): { enabled: boolean; trusted: boolean; servers: string[]; lastError?: string } {
    const failure = this.lastFailure && `${this.lastFailure.query}: ${this.lastFailure.status === 'timeout' ? 'timed out' : `failed (${this.lastFailure.detail ?? 'SERVFAIL'})`} at ${new Date(this.lastFailure.at).toISOString()}`;
    return {
      enabled: this.settings.enabled,
      trusted: this.trusted,
      servers: this.settings.servers,
      lastError: this.lastError ?? failure,
    };
  }

  /** Applies new settings; true when they changed what DNS answers (results must be redone). */
  configure(next: DnsSettings): boolean {
    const first = !this.configured;
    this.configured = true;
    if (sameSettings(this.settings, next)) return first;
    this.settings = next;
    this.resolver?.cancel();
    this.resolver = undefined;
    this.lastError = undefined;
    this.lastFailure = undefined;
    this.onChange();
    return true;
  }

  /** The resolver, or undefined when DNS must not run. */
  active(): LiveDnsResolver | undefined {
    if (!this.trusted || !this.configured || !this.settings.enabled) return undefined;
    if (!this.resolver) {
      try {
        this.resolver = new LiveDnsResolver({
          servers: this.settings.servers, timeoutMs: this.settings.timeoutMs, tries: 2,
          onFailure: (failure) => { this.lastFailure = failure; this.onChange(); },
        });
      } catch (e) {
        if (this.lastError !== (e as Error).message) {
          this.lastError = (e as Error).message;
          this.onChange();
        }
        return undefined;
      }
    }
    return this.resolver;
  }

  /** Drops what was looked up for a document (it changed or closed). */
  forget(uri: string): void {
    this.resolver?.forget(uri);
  }
}

/** Key files are small; anything bigger is not read. */
const MAX_KEY_BYTES = 64 * 1024;

/**
 * The DER SubjectPublicKeyInfo of the private key in a key file, or undefined when the file
 * is not in reach or holds no private key. The private key stays in this function.
 */
export function publicKeyOfKeyFile(ref: { path: string; uri?: string }): Uint8Array | undefined {
  if (!ref.uri?.startsWith('file:')) return undefined;
  let data: Buffer | undefined;
  try {
    const file = fileURLToPath(ref.uri);
    if (!mayRead(file)) return undefined;
    // A named pipe or device (/dev/zero) would block or never end: regular files only.
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > MAX_KEY_BYTES) return undefined;
    data = fs.readFileSync(file);
    const key = crypto.createPrivateKey(data.toString('utf8').includes('-----BEGIN') ? data : { key: data, format: 'der', type: 'pkcs8' });
    return new Uint8Array(crypto.createPublicKey(key).export({ type: 'spki', format: 'der' }));
  } catch {
    return undefined;
  } finally {
    data?.fill(0);
  }
}
