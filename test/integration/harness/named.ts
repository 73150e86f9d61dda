// BIND's named on 127.0.0.1 for the live-DNS tests: authoritative only (recursion no), on a
// free port, serving the zones of test/integration/dns-fixtures/ from a temporary directory.
// No query leaves the machine: named listens on loopback and, without recursion, never asks
// anyone else.
//
// Run as `named -c CONF -g -p PORT -4 -n 1`: -g keeps it in the foreground as our child and
// logs to stderr (where the query log lands too, so tests can count the queries that arrived),
// -4 IPv4 only. Stopped by its process group (Daemon.stop), also when a test fails.
// As root without -u, named stays root; its files are all in the temporary directory.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Resolver as DnsResolver } from 'node:dns/promises';
import { Daemon, freePort, programAvailable, sleep } from './processes';

export const DNS_FIXTURES = path.resolve(__dirname, '../dns-fixtures');
export const NAMED = '/usr/sbin/named';

/** The zones named serves, by origin → fixture file. */
const ZONES: Record<string, string> = {
  'mailconf.test': 'mailconf.test.zone',
  '2.0.192.in-addr.arpa': '2.0.192.in-addr.arpa.zone',
  '8.b.d.0.1.0.0.2.ip6.arpa': '8.b.d.0.1.0.0.2.ip6.arpa.zone',
  // Mail domains (mailDomain.test.ts, spfTree.test.ts) and the reverse zones of their hosts.
  'maildomain.test': 'maildomain.test.zone',
  '100.51.198.in-addr.arpa': '100.51.198.in-addr.arpa.zone',
  '5.2.0.0.8.b.d.0.1.0.0.2.ip6.arpa': '5.2.0.0.8.b.d.0.1.0.0.2.ip6.arpa.zone',
};
/** A zone whose file does not exist: named fails to load it and answers SERVFAIL for it. */
export const SERVFAIL_ZONE = 'broken.test';

export interface DkimFixture {
  /** The run's private key (never printed): the published "good" selector belongs to it. */
  privateKey: crypto.KeyObject;
  /** base64 of the DER SubjectPublicKeyInfo, as in p= of good._domainkey. */
  goodPublicKey: string;
  /** The key published at bad._domainkey: another key pair's. */
  badPublicKey: string;
}

export interface NamedServer {
  port: number;
  /** "127.0.0.1:PORT" for setServers / mailconf.dns.servers. */
  address: string;
  dir: string;
  dkim: DkimFixture;
  /** The character-strings of big.mailconf.test's TXT record. */
  bigTxt: string[];
  /** named's output so far (its log, with the query log). */
  log(): string;
  /** Queries for `name` of `type` named has logged (e.g. ("host.mailconf.test", "A")). */
  queriesFor(name: string, type: string): string[];
  stop(): Promise<void>;
}

/** Problems that keep named from running here; empty when all is in place. */
export function missingNamedRequirements(): string[] {
  if (!fs.existsSync(NAMED) || !programAvailable(NAMED, ['-v'])) {
    return [`${NAMED} is not installed (Debian package bind9): install with scripts/install-system-packages.sh (apt-get install bind9)`];
  }
  return [];
}

/** base64 SPKI of an RSA public key, as DKIM's p= carries it. */
export function dkimPublicKeyBase64(key: crypto.KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** A TXT rdata in zone-file syntax: quoted character-strings of at most 255 bytes. */
function txtRdata(value: string): string {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i += 250) parts.push(`"${value.slice(i, i + 250)}"`);
  return `( ${parts.join(' ')} )`;
}

function bigTxtStrings(): string[] {
  // Eight strings of 250 bytes, each distinct, so a lost or reordered piece shows.
  return Array.from({ length: 8 }, (_, i) => `part${i}-`.padEnd(250, String.fromCharCode(97 + i)));
}

/** The file an extra zone (startNamed's `zones`) is written to. */
function extraZoneFile(origin: string): string {
  return `extra-${origin}.zone`;
}

function namedConf(dir: string, port: number, extraOrigins: string[]): string {
  const zones = [...Object.entries(ZONES), ...extraOrigins.map((o) => [o, extraZoneFile(o)])]
    .map(([origin, file]) => `zone "${origin}" { type primary; file "${path.join(dir, file)}"; };`)
    .join('\n');
  return `options {
  directory "${dir}";
  pid-file "${path.join(dir, 'named.pid')}";
  session-keyfile "${path.join(dir, 'session.key')}";
  managed-keys-directory "${dir}";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  allow-query { 127.0.0.1; };
  allow-transfer { none; };
  notify no;
  dnssec-validation no;
  querylog yes;
};
${zones}
zone "${SERVFAIL_ZONE}" { type primary; file "${path.join(dir, 'missing', 'broken.test.zone')}"; };
`;
}

// A test run that is interrupted or ends without after() still takes named down: on exit
// (synchronously, SIGKILL to its group) and on the usual signals, which skip 'exit' handlers.
const running = new Map<Daemon, string>();
const killAll = () => {
  for (const [d, dir] of running) {
    d.signalGroup('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const onSignal = (signal: NodeJS.Signals) => {
  killAll();
  process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
};
process.on('exit', killAll);

function track(daemon: Daemon, dir: string): void {
  if (running.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  running.set(daemon, dir);
}

function untrack(daemon: Daemon): void {
  running.delete(daemon);
  if (running.size === 0) for (const s of SIGNALS) process.off(s, onSignal);
}

/**
 * Starts named with the fixture zones and waits (bounded) until it answers. `zones` adds zones
 * of the test's own (origin → zone file text), served as they are.
 */
export async function startNamed(opts: { startTimeoutMs?: number; zones?: Record<string, string> } = {}): Promise<NamedServer> {
  const missing = missingNamedRequirements();
  if (missing.length > 0) throw new Error(`cannot run named:\n- ${missing.join('\n- ')}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-named-'));
  const good = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const bad = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dkim: DkimFixture = {
    privateKey: good.privateKey,
    goodPublicKey: dkimPublicKeyBase64(good.publicKey),
    badPublicKey: dkimPublicKeyBase64(bad.publicKey),
  };
  const bigTxt = bigTxtStrings();
  const fill: Record<string, string> = {
    DKIM_GOOD_TXT: txtRdata(`v=DKIM1; k=rsa; p=${dkim.goodPublicKey}`),
    DKIM_BAD_TXT: txtRdata(`v=DKIM1; k=rsa; p=${dkim.badPublicKey}`),
    BIG_TXT: `( ${bigTxt.map((s) => `"${s}"`).join(' ')} )`,
  };
  for (const file of Object.values(ZONES)) {
    const text = fs.readFileSync(path.join(DNS_FIXTURES, file), 'utf8')
      .replace(/\{\{([A-Z_]+)\}\}/g, (all, key: string) => fill[key] ?? all);
    fs.writeFileSync(path.join(dir, file), text);
  }
  const extra = opts.zones ?? {};
  for (const [origin, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, extraZoneFile(origin)), text);
  const port = await freePort();
  const conf = path.join(dir, 'named.conf');
  fs.writeFileSync(conf, namedConf(dir, port, Object.keys(extra)));

  const daemon = Daemon.start('named', NAMED, ['-c', conf, '-g', '-p', String(port), '-4', '-n', '1']);
  track(daemon, dir);
  const server: NamedServer = {
    port,
    address: `127.0.0.1:${port}`,
    dir,
    dkim,
    bigTxt,
    log: () => daemon.log,
    queriesFor: (name, type) => {
      const needle = `query: ${name} IN ${type} `;
      return daemon.log.split('\n').filter((l) => l.includes(needle));
    },
    stop: async () => {
      await daemon.stop();
      untrack(daemon);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilAnswering(daemon, port, opts.startTimeoutMs ?? 15_000);
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}

/** Polls with a real query (ns.mailconf.test A) until named answers, exits or time runs out. */
async function waitUntilAnswering(daemon: Daemon, port: number, timeoutMs: number): Promise<void> {
  const probe = new DnsResolver({ timeout: 200, tries: 1 });
  probe.setServers([`127.0.0.1:${port}`]);
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (daemon.hasExited) throw new Error(`named ${daemon.exitDescription} before answering:\n${daemon.log}`);
    try {
      const a = await probe.resolve4('ns.mailconf.test');
      if (a.includes('127.0.0.1')) return;
    } catch {
      // not yet
    }
    if (Date.now() >= end) throw new Error(`named did not answer on 127.0.0.1:${port} within ${timeoutMs} ms:\n${daemon.log}`);
    await sleep(50);
  }
}
