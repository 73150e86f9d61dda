// The mail host identity report (core/dns/mailDomain.ts, `mailconf domain check`) and the
// main.cf live hovers against BIND's named on 127.0.0.1 (harness/named.ts, zones in
// dns-fixtures/maildomain.test.zone and its reverse zones): a domain where everything is
// right, one with the seeds' mistakes, NXDOMAIN, a zone that answers SERVFAIL, a server that
// swallows queries (timeout) and a port where nothing listens. No query leaves the machine.
// Needs /usr/sbin/named (Debian's bind9); `npm run build` first for the CLI tests.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LiveDnsResolver } from '../../server/src/node/dnsResolver';
import { checkMailDomain, mailDomainFacts, renderMailDomainReport, type MailDomainReport } from '../../server/src/core/dns/mailDomain';
import { liveDnsMarkdown, liveDnsTargetAt, queryLiveTarget } from '../../server/src/core/dns/liveHover';
import { loadConfiguration } from '../../server/src/cli/domainCheck';
import { publicKeyOfKeyRef } from '../../server/src/node/keyTablePublicKeys';
import { Workspace } from '../../server/src/core/stack/workspace';
import { DEFAULT_SETTINGS } from '../../server/src/core/settings';
import { sendingHostReverseDnsProblems } from '../../server/src/core/stack/sendingHostReverseDns';
import { startNamed, type NamedServer } from './harness/named';
import { runCli } from './harness/cli';
import { freePort } from './harness/processes';

let named: NamedServer;
let tmp: string;
/** A copy of /etc for the good domain and one for the broken domain. */
let okEtc: string;
let badEtc: string;
let privatePem: string;

function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text, { mode: rel.endsWith('.private') ? 0o600 : 0o644 });
  }
}

before(async () => {
  named = await startNamed();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-maildomain-'));
  privatePem = named.dkim.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const opendkim = { 'opendkim.conf': 'KeyTable refile:/etc/opendkim/KeyTable\nSigningTable refile:/etc/opendkim/SigningTable\n', 'opendkim/keys/sel.private': privatePem };
  okEtc = path.join(tmp, 'ok', 'etc');
  writeTree(okEtc, {
    ...opendkim,
    'postfix/main.cf': 'myhostname = mx1.maildomain.test\nmydomain = ok.maildomain.test\ninet_interfaces = all\n',
    'opendkim/KeyTable': 'sel._domainkey.ok.maildomain.test ok.maildomain.test:sel:/etc/opendkim/keys/sel.private\n',
    'opendkim/SigningTable': '*@ok.maildomain.test sel._domainkey.ok.maildomain.test\n',
  });
  badEtc = path.join(tmp, 'bad', 'etc');
  writeTree(badEtc, {
    ...opendkim,
    'postfix/main.cf': 'myhostname = out.maildomain.test\nmydomain = maildomain.test\n',
    'opendkim/KeyTable': 'bad._domainkey.maildomain.test maildomain.test:bad:/etc/opendkim/keys/sel.private\n',
    'opendkim/SigningTable': '*@maildomain.test bad._domainkey.maildomain.test\n',
    // The zone file as the admin has it: one MX only (DNS has two).
    'bind/db.maildomain.test': '$ORIGIN maildomain.test.\n$TTL 300\n@ IN SOA ns.mailconf.test. hostmaster.mailconf.test. 1 3600 600 86400 60\n@ IN NS ns.mailconf.test.\n@ IN MX 10 mx1\nmx1 IN A 198.51.100.25\n',
  });
});

after(async () => {
  await named?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const resolver = (servers = [named.address], timeoutMs = 1000) => new LiveDnsResolver({ servers, timeoutMs, tries: 2 });
const summary = (r: MailDomainReport) => r.lines.map((l) => `${l.status} ${l.check}${l.subject ? ' ' + l.subject : ''}`);

async function check(etc: string | undefined, domain: string, servers?: string[], timeoutMs?: number): Promise<MailDomainReport> {
  const { workspace, problems } = loadConfiguration(etc ? [etc] : []);
  assert.deepEqual(problems, []);
  return checkMailDomain(mailDomainFacts(workspace, domain), resolver(servers, timeoutMs), { publicKeyOf: publicKeyOfKeyRef });
}

describe('the report against named', () => {
  test('a domain where everything is right: every line passes, the DKIM key matches the key file', async () => {
    const r = await check(okEtc, 'ok.maildomain.test');
    assert.deepEqual(summary(r), [
      'pass mx ok.maildomain.test',
      'pass address mx1.maildomain.test',
      'pass fcrdns 198.51.100.25',
      'pass fcrdns 2001:db8:25::25',
      'pass helo mx1.maildomain.test',
      'pass spf-record ok.maildomain.test',
      'pass spf-lookups ok.maildomain.test',
      'pass spf-authorizes 198.51.100.25',
      'pass spf-authorizes 2001:db8:25::25',
      'pass dmarc ok.maildomain.test',
      'pass dkim sel._domainkey.ok.maildomain.test',
    ]);
    assert.match(r.lines.at(-1)!.evidence.join('\n'), /matches the public half of \/etc\/opendkim\/keys\/sel\.private/);
    assert.match(renderMailDomainReport(r), /\*\*PASS\*\* 2001:db8:25::25 has forward-confirmed reverse DNS: mx1\.maildomain\.test/);
  });

  test('the seeds\' mistakes: MX host without address, PTR that does not lead back, SPF that does not cover, no DMARC, another DKIM key', async () => {
    const r = await check(badEtc, 'maildomain.test');
    assert.deepEqual(summary(r), [
      'pass mx maildomain.test',
      'warn mx-zone maildomain.test',
      'pass address out.maildomain.test',
      'pass address mx1.maildomain.test',
      'fail address mx2.maildomain.test',
      'fail fcrdns 198.51.100.26',
      'pass fcrdns 198.51.100.25',
      'pass fcrdns 2001:db8:25::25',
      'warn helo out.maildomain.test',
      'pass spf-record maildomain.test',
      'pass spf-lookups maildomain.test',
      'fail spf-authorizes 198.51.100.26',
      'warn spf-authorizes 198.51.100.25',
      'warn spf-authorizes 2001:db8:25::25',
      'fail dmarc maildomain.test',
      'fail dkim bad._domainkey.maildomain.test',
    ]);
    const line = (check: string, subject: string) => r.lines.find((l) => l.check === check && l.subject === subject)!;
    assert.deepEqual(line('fcrdns', '198.51.100.26').evidence.slice(0, 1), ['PTR 198.51.100.26: elsewhere.maildomain.test']);
    assert.match(line('address', 'mx2.maildomain.test').evidence.join('\n'), /A mx2\.maildomain\.test: no record \(NODATA\)/);
    assert.match(line('mx-zone', 'maildomain.test').evidence.join('\n'), /DNS: 10 mx1\.maildomain\.test, 20 mx2\.maildomain\.test\nzone files: 10 mx1\.maildomain\.test/);
    assert.match(line('dkim', 'bad._domainkey.maildomain.test').title, /not the public half of \/etc\/opendkim\/keys\/sel\.private/);
    assert.match(line('dmarc', 'maildomain.test').evidence[0], /TXT _dmarc\.maildomain\.test: the name does not exist \(NXDOMAIN\)/);
  });

  test('NXDOMAIN: the domain does not exist', async () => {
    const r = await check(undefined, 'nx.maildomain.test');
    assert.deepEqual(r.lines.filter((l) => l.status === 'fail').map((l) => l.check), ['mx', 'spf-record', 'dmarc']);
    assert.match(r.lines.find((l) => l.check === 'mx')!.title, /does not exist in DNS/);
  });

  test('a zone that answers SERVFAIL: warn lines saying what could not be checked, nothing fails', async () => {
    const r = await check(undefined, 'broken.test');
    assert.equal(r.counts.fail, 0, summary(r).join('\n'));
    assert.deepEqual(r.lines.filter((l) => l.status === 'warn').map((l) => l.check), ['mx', 'spf-record', 'dmarc']);
    assert.ok(r.lines.filter((l) => l.status === 'warn').every((l) => l.title.startsWith('Could not check')));
    assert.match(renderMailDomainReport(r), /the lookup failed \(SERVFAIL\)/);
  });

  test('a server that swallows queries (timeout) and a port where nothing listens: warn lines, and the report ends', async () => {
    const hole = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => hole.bind(0, '127.0.0.1', resolve));
    try {
      const t0 = Date.now();
      const r = await check(okEtc, 'ok.maildomain.test', [`127.0.0.1:${hole.address().port}`], 200);
      const elapsed = Date.now() - t0;
      process.stdout.write(`# mail domain report with every query timing out (200 ms, 2 tries): ${elapsed} ms\n`);
      assert.equal(r.counts.fail, 0, summary(r).join('\n'));
      assert.deepEqual(r.lines.filter((l) => l.status === 'warn').map((l) => l.check), ['mx', 'address', 'helo', 'spf-record', 'dmarc', 'dkim']);
      assert.match(renderMailDomainReport(r), /no DNS server answered in time/);
      assert.ok(elapsed < 20_000, `the report must end (took ${elapsed} ms)`);
    } finally {
      hole.close();
    }
    const port = await freePort();
    const refused = await check(undefined, 'ok.maildomain.test', [`127.0.0.1:${port}`]);
    assert.equal(refused.counts.fail, 0);
    assert.match(renderMailDomainReport(refused), /connection refused/);
  });
});

describe('the offline reverse-DNS check (rdns/*) agrees with the report\'s FCrDNS verdict', () => {
  test('over the zone files named serves: mx1 forward-confirmed (IPv4 and IPv6), out\'s PTR not leading back', async () => {
    const zones = ['maildomain.test.zone', '100.51.198.in-addr.arpa.zone', '5.2.0.0.8.b.d.0.1.0.0.2.ip6.arpa.zone'];
    for (const [host, domain, expected] of [
      ['mx1.maildomain.test', 'ok.maildomain.test', { '198.51.100.25': 'pass', '2001:db8:25::25': 'pass' }],
      ['out.maildomain.test', 'maildomain.test', { '198.51.100.26': 'fail' }],
    ] as const) {
      const ws = new Workspace();
      ws.setOnDisk('file:///etc/postfix/main.cf', 'postfix-main', `myhostname = ${host}\n`);
      for (const z of zones) ws.setOnDisk(`file:///etc/bind/${z}`, 'dns-zone', fs.readFileSync(path.join(named.dir, z), 'utf8'));
      const offline = new Map(sendingHostReverseDnsProblems(ws, DEFAULT_SETTINGS).map((p) => [p.address, p.kind]));
      const report = await checkMailDomain(mailDomainFacts(ws, domain), resolver());
      for (const [address, status] of Object.entries(expected)) {
        const line = report.lines.find((l) => l.check === 'fcrdns' && l.subject === address);
        assert.equal(line?.status, status, `live, ${address}: ${line?.title}`);
        // pass ↔ no finding; fail ↔ no PTR or a PTR that does not lead back.
        assert.equal(offline.get(address), status === 'pass' ? undefined : /has no PTR/.test(line!.title) ? 'no-ptr' : 'not-confirmed', `offline, ${address}`);
      }
      assert.deepEqual([...offline.keys()].filter((a) => !(a in expected)), [], 'no other address judged');
    }
  });
});

describe('main.cf hovers against named', () => {
  test('mydomain shows MX, SPF and DMARC; myhostname its A and AAAA; a zone file in the workspace is compared', async () => {
    const ws = new Workspace();
    ws.setOnDisk('file:///zones/db.maildomain.test', 'dns-zone', fs.readFileSync(path.join(named.dir, 'maildomain.test.zone'), 'utf8').replace('ok              IN TXT  "v=spf1 mx -all"', 'ok IN TXT "v=spf1 a -all"'));
    const text = 'myhostname = mx1.maildomain.test\nmydomain = ok.maildomain.test\n';
    const doc = ws.setOpen('file:///etc/postfix/main.cf', 'postfix-main', text, 1);
    const ctx = { doc, workspace: ws, settings: DEFAULT_SETTINGS };
    const r = resolver();
    const domain = liveDnsTargetAt(ctx, { line: 1, character: 14 })!;
    const md = liveDnsMarkdown(ctx, domain, await queryLiveTarget(r, domain));
    assert.match(md, /\*\*MX\*\*: 1 record\n- `10 mx1\.maildomain\.test`\n\nSame as the zone files/);
    assert.match(md, /\*\*SPF\*\*: 1 record\n- `v=spf1 mx -all`\n\n\*\*Differs from the zone files of this workspace\*\*:\n- only in the zone files: `v=spf1 a -all`/);
    assert.match(md, /\*\*DMARC\*\* \(`_dmarc\.ok\.maildomain\.test`\): 1 record\n- `v=DMARC1; p=reject; rua=mailto:dmarc@ok\.maildomain\.test`\n\nSame as the zone files/);
    const host = liveDnsTargetAt(ctx, { line: 0, character: 14 })!;
    const hmd = liveDnsMarkdown(ctx, host, await queryLiveTarget(r, host));
    assert.match(hmd, /\*\*A\*\*: 1 record, TTL 300 s\n- `198\.51\.100\.25`\n\nSame as the zone files/);
    assert.match(hmd, /\*\*AAAA\*\*: 1 record, TTL 300 s\n- `2001:db8:25::25`/);
  });
});

describe('mailconf domain check (the CLI)', () => {
  test('text: exit 0 for the good domain, 1 for the broken one; the private key never appears', async () => {
    const ok = await runCli(['domain', 'check', 'ok.maildomain.test', '--dns-server', named.address, '--config-root', okEtc]);
    assert.equal(ok.code, 0, ok.stderr + ok.stdout);
    assert.match(ok.stdout, /^mail domain ok\.maildomain\.test\nfrom the configuration: myhostname mx1\.maildomain\.test; DKIM selectors sel\n/);
    assert.match(ok.stdout, /^PASS  198\.51\.100\.25 has forward-confirmed reverse DNS: mx1\.maildomain\.test\n {6}PTR 198\.51\.100\.25: mx1\.maildomain\.test$/m);
    assert.match(ok.stdout, /\n0 fail, 0 warn, 11 pass\n$/);
    const bad = await runCli(['domain', 'check', 'maildomain.test', `--dns-server=${named.address}`, '--config-root', badEtc, '--format', 'json']);
    assert.equal(bad.code, 1, bad.stderr);
    const report = JSON.parse(bad.stdout) as MailDomainReport;
    assert.equal(report.counts.fail, 5);
    const body = privatePem.split('\n')[2];
    for (const out of [ok.stdout, ok.stderr, bad.stdout, bad.stderr]) assert.ok(!out.includes(body) && !out.includes('PRIVATE KEY'), 'no private key material');
  });

  test('DNS failures are warnings (exit 0); usage errors exit 2', async () => {
    const servfail = await runCli(['domain', 'check', 'broken.test', '--dns-server', named.address]);
    assert.equal(servfail.code, 0, servfail.stdout);
    assert.match(servfail.stdout, /^WARN  Could not check the MX records of broken\.test$/m);
    for (const args of [['domain'], ['domain', 'check'], ['domain', 'check', 'not a domain'], ['domain', 'check', 'x.test', '--dns-server', 'localhost'], ['domain', 'check', 'x.test', '--format', 'xml'], ['domain', 'check', 'x.test', '--config-root', path.join(tmp, 'missing')]]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /^mailconf: /);
    }
  });
});
