// rdns/* (forward-confirmed reverse DNS of the sending host, judged offline from the zone
// files) against BIND's named on 127.0.0.1 serving the very same zone files. Four sending
// hosts in fcrdns.test: one with a PTR that leads back to it (no finding), one without a PTR
// (IPv4 and IPv6), one whose PTR names a host with another address, one whose PTR leads back
// but to another name than the HELO name. For each, the real resolver (node:dns pointed at
// named) shows what the check concluded: the PTR answer and the PTR name's addresses; the
// `mailconf domain check` report (core and the built CLI) gives the same FCrDNS verdict; and
// `mailconf check` (the built CLI) reports the finding on main.cf and the reverse zone.
// Then mailconf's quick-fixes are written to the zone files and named restarted on them: every
// address is forward-confirmed to its HELO name, and mailconf says nothing more.
// Needs /usr/sbin/named (Debian's bind9) and `npm run build` first.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Resolver as DnsResolver } from 'node:dns/promises';
import { startNamed, type NamedServer } from './harness/named';
import { runCli } from './harness/cli';
import { LineIndex } from '../../server/src/core/text/lines';
import type { Finding, TextEdit } from '../../server/src/core/types';
import { loadConfiguration } from '../../server/src/cli/domainCheck';
import { checkMailDomain, mailDomainFacts, type MailCheckLine, type MailDomainReport } from '../../server/src/core/dns/mailDomain';
import { sendingHostReverseDnsProblems, type ReverseDnsProblemKind } from '../../server/src/core/stack/sendingHostReverseDns';
import { diagnose } from '../../server/src/core/checks';
import { DEFAULT_SETTINGS } from '../../server/src/core/settings';
import { LiveDnsResolver } from '../../server/src/node/dnsResolver';

const DOMAIN = 'fcrdns.test';
const REV4 = '113.0.203.in-addr.arpa';
const REV6 = 'c.f.0.0.8.b.d.0.1.0.0.2.ip6.arpa';

const FORWARD = `$ORIGIN fcrdns.test.
$TTL 300
@         IN SOA  ns1 hostmaster 2024010101 3600 600 86400 60
          IN NS   ns1
          IN MX   10 good
          IN TXT  "v=spf1 ip4:203.0.113.0/24 ip6:2001:db8:fc::/48 -all"
_dmarc    IN TXT  "v=DMARC1; p=reject; rua=mailto:dmarc@fcrdns.test"
ns1       IN A    127.0.0.1
; forward-confirmed, the HELO name
good      IN A    203.0.113.10
good      IN AAAA 2001:db8:fc::10
; no PTR at all
noptr     IN A    203.0.113.11
noptr     IN AAAA 2001:db8:fc::11
; its PTR names elsewhere, which has another address
away      IN A    203.0.113.12
elsewhere IN A    203.0.113.99
; its PTR names host13, which leads back: forward-confirmed, but not the HELO name
mail13    IN A    203.0.113.13
host13    IN A    203.0.113.13
`;

const REVERSE4 = `$ORIGIN ${REV4}.
$TTL 300
@   IN SOA ns1.fcrdns.test. hostmaster.fcrdns.test. 2024010101 3600 600 86400 60
    IN NS  ns1.fcrdns.test.
10  IN PTR good.fcrdns.test.
12  IN PTR elsewhere.fcrdns.test.
13  IN PTR host13.fcrdns.test.
`;

const REVERSE6 = `$ORIGIN ${REV6}.
$TTL 300
@   IN SOA ns1.fcrdns.test. hostmaster.fcrdns.test. 2024010101 3600 600 86400 60
    IN NS  ns1.fcrdns.test.
; 2001:db8:fc::10
0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0 IN PTR good.fcrdns.test.
`;

/** Each sending host, its addresses and what mailconf concludes offline for each (undefined: nothing). */
const HOSTS: Array<{ host: string; addresses: Array<{ ip: string; kind?: ReverseDnsProblemKind }> }> = [
  { host: 'good', addresses: [{ ip: '203.0.113.10' }, { ip: '2001:db8:fc::10' }] },
  { host: 'noptr', addresses: [{ ip: '203.0.113.11', kind: 'no-ptr' }, { ip: '2001:db8:fc::11', kind: 'no-ptr' }] },
  { host: 'away', addresses: [{ ip: '203.0.113.12', kind: 'not-confirmed' }] },
  { host: 'mail13', addresses: [{ ip: '203.0.113.13', kind: 'not-helo' }] },
];

/** The FCrDNS verdict of the live report that each offline conclusion corresponds to. */
const LIVE_VERDICT: Record<ReverseDnsProblemKind | 'none', { status: string; title: RegExp }> = {
  none: { status: 'pass', title: /has forward-confirmed reverse DNS/ },
  'no-ptr': { status: 'fail', title: /has no PTR record/ },
  'not-confirmed': { status: 'fail', title: /does not resolve back to it/ },
  'not-helo': { status: 'warn', title: /points back to .*, not to/ },
  several: { status: 'pass', title: /has forward-confirmed reverse DNS/ },
};

let work: string;
let named: NamedServer | undefined;
let dns: DnsResolver;

const etcOf = (host: string) => path.join(work, host, 'etc');
const zonePath = (host: string, file: string) => path.join(etcOf(host), 'bind', file);
const ZONE_FILES = { 'db.fcrdns.test': DOMAIN, 'db.203.0.113': REV4, 'db.2001.db8.fc': REV6 } as const;

function writeStack(host: string, zones: Record<string, string>): void {
  const etc = etcOf(host);
  fs.mkdirSync(path.join(etc, 'postfix'), { recursive: true });
  fs.mkdirSync(path.join(etc, 'bind'), { recursive: true });
  fs.writeFileSync(path.join(etc, 'postfix', 'main.cf'), `myhostname = ${host}.${DOMAIN}\nmydomain = ${DOMAIN}\n`);
  fs.writeFileSync(path.join(etc, 'postfix', 'master.cf'), 'smtp inet n - y - - smtpd\nsmtp unix - - y - - smtp\n');
  for (const [file, origin] of Object.entries(ZONE_FILES)) fs.writeFileSync(zonePath(host, file), zones[origin]);
}

/** What the stack of `host` holds as zone files (all stacks start the same), by origin. */
function zonesOf(host: string): Record<string, string> {
  return Object.fromEntries(Object.entries(ZONE_FILES).map(([file, origin]) => [origin, fs.readFileSync(zonePath(host, file), 'utf8')]));
}

async function serve(zones: Record<string, string>): Promise<void> {
  await named?.stop();
  named = await startNamed({ zones });
  dns = new DnsResolver({ timeout: 1000, tries: 2 });
  dns.setServers([named.address]);
}

/** The PTR names of `ip` as named answers them ([] for NXDOMAIN/NODATA). */
async function ptrOf(ip: string): Promise<string[]> {
  try {
    return (await dns.reverse(ip)).map((n) => n.toLowerCase()).sort();
  } catch (e) {
    assert.ok(['ENOTFOUND', 'ENODATA'].includes((e as NodeJS.ErrnoException).code ?? ''), String(e));
    return [];
  }
}

/** The addresses of `name` in the family of `ip` as named answers them. */
async function addressesOf(name: string, ip: string): Promise<string[]> {
  try {
    return ip.includes(':') ? await dns.resolve6(name) : await dns.resolve4(name);
  } catch (e) {
    assert.ok(['ENOTFOUND', 'ENODATA'].includes((e as NodeJS.ErrnoException).code ?? ''), String(e));
    return [];
  }
}

function offline(host: string) {
  const { workspace, problems } = loadConfiguration([etcOf(host)]);
  assert.deepEqual(problems, []);
  return { workspace, problems: sendingHostReverseDnsProblems(workspace, DEFAULT_SETTINGS) };
}

async function liveReport(host: string): Promise<MailDomainReport> {
  const { workspace } = loadConfiguration([etcOf(host)]);
  return checkMailDomain(mailDomainFacts(workspace, DOMAIN), new LiveDnsResolver({ servers: [named!.address], timeoutMs: 1000, tries: 2 }));
}

const fcrdnsLine = (r: MailDomainReport, ip: string): MailCheckLine | undefined => r.lines.find((l) => l.check === 'fcrdns' && l.subject === ip);

function applyEdits(text: string, edits: TextEdit[]): string {
  const index = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => index.offsetAt(b.range.start) - index.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, index.offsetAt(e.range.start)) + e.newText + out.slice(index.offsetAt(e.range.end));
  return out;
}

before(async () => {
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-rdns-')));
  const zones = { [DOMAIN]: FORWARD, [REV4]: REVERSE4, [REV6]: REVERSE6 };
  for (const h of HOSTS) writeStack(h.host, zones);
  await serve(zones);
});

after(async () => {
  await named?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('named serves the zone files: what mailconf concludes is what DNS answers', () => {
  for (const h of HOSTS) {
    test(`${h.host}.${DOMAIN}: ${h.addresses.map((a) => `${a.ip} ${a.kind ?? 'clean'}`).join(', ')}`, async () => {
      const name = `${h.host}.${DOMAIN}`;
      const { problems } = offline(h.host);
      assert.deepEqual(problems.map((p) => `${p.address} ${p.kind}`).sort(), h.addresses.filter((a) => a.kind).map((a) => `${a.ip} ${a.kind}`).sort());
      for (const a of h.addresses) {
        const ptr = await ptrOf(a.ip);
        const back = await Promise.all(ptr.map(async (n) => ({ n, confirmed: (await addressesOf(n, a.ip)).includes(a.ip) })));
        const confirmed = back.filter((b) => b.confirmed).map((b) => b.n);
        // The real resolver's facts, per conclusion.
        if (a.kind === undefined) assert.deepEqual(confirmed, [name], `${a.ip}: PTR ${ptr}, forward-confirmed and the HELO name`);
        if (a.kind === 'no-ptr') assert.deepEqual(ptr, [], `${a.ip}: named has no PTR`);
        if (a.kind === 'not-confirmed') {
          assert.ok(ptr.length > 0, `${a.ip} has a PTR`);
          assert.deepEqual(confirmed, [], `${a.ip}: PTR ${ptr}, none resolves back`);
        }
        if (a.kind === 'not-helo') {
          assert.ok(confirmed.length > 0 && !confirmed.includes(name), `${a.ip}: PTR ${ptr} leads back, but not to ${name}`);
        }
        const p = problems.find((x) => x.address === a.ip);
        if (p) assert.deepEqual(p.ptrs.map((x) => x.name).sort(), ptr, 'mailconf read the PTR names named answers');
      }
    });
  }
});

describe('the live report (mailconf domain check) gives the same FCrDNS verdict', () => {
  for (const h of HOSTS) {
    test(`${h.host}.${DOMAIN}`, async () => {
      const r = await liveReport(h.host);
      for (const a of h.addresses) {
        const line = fcrdnsLine(r, a.ip);
        assert.ok(line, `the report has an fcrdns line for ${a.ip}: ${r.lines.map((l) => `${l.status} ${l.check} ${l.subject}`).join('; ')}`);
        const want = LIVE_VERDICT[a.kind ?? 'none'];
        assert.equal(line.status, want.status, `${a.ip}: ${line.title}`);
        assert.match(line.title, want.title);
      }
      // And the built CLI, JSON output.
      const cli = await runCli(['domain', 'check', DOMAIN, '--dns-server', named!.address, '--config-root', etcOf(h.host), '--format', 'json']);
      const report = JSON.parse(cli.stdout) as MailDomainReport;
      for (const a of h.addresses) assert.equal(fcrdnsLine(report, a.ip)?.status, LIVE_VERDICT[a.kind ?? 'none'].status, `CLI, ${a.ip}`);
    });
  }
});

describe('mailconf check (the built CLI) reports it on main.cf and the reverse zone', () => {
  test('the codes per file, as the offline conclusions say', async () => {
    const codes: Record<ReverseDnsProblemKind, string> = {
      'no-ptr': 'rdns/sending-address-without-ptr', 'not-confirmed': 'rdns/ptr-not-forward-confirmed', 'not-helo': 'rdns/ptr-not-helo-name', several: 'rdns/several-ptr-records',
    };
    for (const h of HOSTS) {
      const r = await runCli(['check', '--format', 'json', etcOf(h.host)]);
      const files = JSON.parse(r.stdout) as { files: Array<{ path: string; findings: Finding[] }> };
      const found = files.files.flatMap((f) => f.findings.filter((x) => x.code.startsWith('rdns/')).map((x) => `${path.basename(f.path)} ${x.code}`)).sort();
      const expected = h.addresses.filter((a) => a.kind).flatMap((a) => [`main.cf ${codes[a.kind!]}`, `${a.ip.includes(':') ? 'db.2001.db8.fc' : 'db.203.0.113'} ${codes[a.kind!]}`]).sort();
      assert.deepEqual(found, expected, `${h.host}: ${r.stdout.slice(0, 2000)}`);
    }
  });
});

describe('the quick-fixes written to the zone files, served by named', () => {
  test('every address is then forward-confirmed to its HELO name, live and offline', async () => {
    for (const h of HOSTS) {
      // Apply each zone-side fix of the host's stack, file by file, until mailconf has none left.
      for (let round = 0; round < 3; round++) {
        const { workspace } = loadConfiguration([etcOf(h.host)]);
        let applied = false;
        for (const file of Object.keys(ZONE_FILES)) {
          const doc = workspace.all().find((d) => d.uri.endsWith(`/bind/${file}`))!;
          const fix = diagnose({ doc, workspace, settings: DEFAULT_SETTINGS }).find((f) => f.code.startsWith('rdns/') && f.fixes?.length)?.fixes![0];
          if (!fix) continue;
          const own = fix.edits.filter((e) => e.uri === undefined || e.uri === doc.uri);
          fs.writeFileSync(zonePath(h.host, file), applyEdits(doc.analysis.text, own));
          applied = true;
          break; // the fixes of other findings were made for the old text: look again
        }
        if (!applied) break;
      }
      assert.deepEqual(offline(h.host).problems, [], `${h.host}: nothing left offline`);
    }
    // Every stack now has its own fixed zones; named serves each in turn.
    for (const h of HOSTS) {
      await serve(zonesOf(h.host));
      const name = `${h.host}.${DOMAIN}`;
      for (const a of h.addresses) {
        const ptr = await ptrOf(a.ip);
        assert.ok(ptr.includes(name), `${a.ip}: named answers PTR ${ptr}`);
        assert.ok((await addressesOf(name, a.ip)).includes(a.ip), `${name} resolves back to ${a.ip}`);
      }
      const r = await liveReport(h.host);
      for (const a of h.addresses) assert.equal(fcrdnsLine(r, a.ip)?.status, 'pass', `${a.ip}: ${fcrdnsLine(r, a.ip)?.title}`);
    }
  });
});
