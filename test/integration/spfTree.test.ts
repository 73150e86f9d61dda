// The SPF lookup tree (core/records/spf/lookupTree.ts, `mailconf spf tree`) against BIND's
// named on 127.0.0.1 (harness/named.ts; dns-fixtures/mailconf.test.zone has the include
// chain over the limit and the void lookups, maildomain.test.zone a loop, an include of the
// SERVFAIL zone and one of a name without SPF): the counts, the term over the limit, the
// faults (SERVFAIL, NXDOMAIN, a server that swallows queries), the comparison with a zone
// file, and the CLI's output and exit codes. No query leaves the machine.
// Needs /usr/sbin/named (Debian's bind9); `npm run build` first for the CLI tests.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LiveDnsResolver } from '../../server/src/node/dnsResolver';
import { renderSpfLookupTree, spfLiveTotals, spfLookupTree } from '../../server/src/core/records/spf/lookupTree';
import { zoneSyncResolver } from '../../server/src/core/dns/zoneResolver';
import { Workspace } from '../../server/src/core/stack/workspace';
import { startNamed, type NamedServer } from './harness/named';
import { runCli } from './harness/cli';

let named: NamedServer;
let tmp: string;
/** maildomain.test's zone file as an admin might have it: ok.maildomain.test's SPF is "a", not "mx". */
let editedZone: string;

before(async () => {
  named = await startNamed();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-spftree-'));
  editedZone = path.join(tmp, 'db.maildomain.test');
  const served = fs.readFileSync(path.join(named.dir, 'maildomain.test.zone'), 'utf8');
  assert.ok(served.includes('ok              IN TXT  "v=spf1 mx -all"'));
  fs.writeFileSync(editedZone, served.replace('ok              IN TXT  "v=spf1 mx -all"', 'ok              IN TXT  "v=spf1 a -all"'));
});

after(async () => {
  await named?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const resolver = (servers = [named.address], timeoutMs = 1000) => new LiveDnsResolver({ servers, timeoutMs, tries: 2 });

describe('the tree over named', () => {
  test('an include chain of 11: each include one level deeper, lookup 11 marked as the one over the limit', async () => {
    const report = await spfLookupTree('chain.mailconf.test', resolver());
    assert.equal(report.count.total, 11);
    assert.equal(report.rows.length, 11);
    assert.deepEqual(report.rows.filter((r) => r.overLimit).map((r) => [r.term, r.in, r.lookups, r.depth]), [['include:i11.mailconf.test', 'i10.mailconf.test', 11, 10]]);
    assert.deepEqual(report.errors, []);
    const md = renderSpfLookupTree(report);
    assert.match(md, /DNS lookups: \*\*11 of 10\*\* — over the limit: receivers return permerror/);
    assert.match(md, /\(lookup 11\) — \*\*11th lookup: over the limit\*\* — `i11\.mailconf\.test`: `v=spf1 ip4:192\.0\.2\.0\/24 -all`/);
    const short = await spfLookupTree('shortchain.mailconf.test', resolver());
    assert.deepEqual([short.count.total, short.count.voids, short.count.complete], [3, 0, true]);
  });

  test('void lookups: NXDOMAIN names counted in order; the third is over the limit', async () => {
    const report = await spfLookupTree('void.mailconf.test', resolver());
    assert.deepEqual(report.rows.map((r) => [r.term, r.lookups, r.voids]), [['a:nx1.mailconf.test', 1, 1], ['a:nx2.mailconf.test', 2, 2], ['mx:nx3.mailconf.test', 3, 3]]);
    assert.equal(report.rows[2].overVoidLimit, true);
    assert.match(report.rows[0].note, /void lookup\*\* \(the name does not exist\)/);
  });

  test('a loop, an include of a SERVFAIL zone, an include of a name without SPF', async () => {
    const loop = await spfLookupTree('loop1.maildomain.test', resolver());
    assert.deepEqual(loop.rows.map((r) => [r.term, !!r.loop]), [['include:loop2.maildomain.test', false], ['include:loop1.maildomain.test', true]]);
    assert.match(renderSpfLookupTree(loop), /\*\*Loop\*\*: `include:loop2\.maildomain\.test` → `include:loop1\.maildomain\.test` leads back to `loop1\.maildomain\.test`/);
    const broken = await spfLookupTree('withbroken.maildomain.test', resolver());
    assert.deepEqual(broken.errors, [{ question: 'TXT broken.test', status: 'servfail', detail: undefined }]);
    assert.equal(broken.rows[0].failed, true);
    assert.match(renderSpfLookupTree(broken), /\*\*Lookup failed\*\*: TXT broken\.test: the DNS server failed \(SERVFAIL\)/);
    const none = await spfLookupTree('withnone.maildomain.test', resolver());
    assert.equal(none.rows[0].broken, true);
    assert.match(none.rows[0].note, /has no SPF record: receivers return permerror/);
  });

  test('NXDOMAIN and a server that swallows queries: said at the top, the walk ends', async () => {
    const nx = await spfLookupTree('nx.maildomain.test', resolver());
    assert.equal(nx.count.root.status, 'none');
    assert.match(renderSpfLookupTree(nx), /publishes no SPF record/);
    const hole = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => hole.bind(0, '127.0.0.1', resolve));
    try {
      const t0 = Date.now();
      const report = await spfLookupTree('chain.mailconf.test', resolver([`127.0.0.1:${hole.address().port}`], 200));
      process.stdout.write(`# SPF tree with the server swallowing queries: ${Date.now() - t0} ms\n`);
      assert.deepEqual(report.errors, [{ question: 'TXT chain.mailconf.test', status: 'timeout' }]);
      assert.match(renderSpfLookupTree(report), /could not be read: no DNS server answered in time/);
      assert.match(await spfLiveTotals('chain.mailconf.test', resolver([`127.0.0.1:${hole.address().port}`], 200)), /no DNS server answered in time/);
    } finally {
      hole.close();
    }
  });

  test('with a zone file: where it says something else than DNS', async () => {
    const ws = new Workspace();
    ws.setOnDisk('file://' + editedZone, 'dns-zone', fs.readFileSync(editedZone, 'utf8'));
    const report = await spfLookupTree('provider.maildomain.test', resolver(), { zones: zoneSyncResolver(ws) });
    assert.deepEqual(report.differences, [{ question: 'TXT ok.maildomain.test', live: '"v=spf1 mx -all"', zones: '"v=spf1 a -all"' }]);
    assert.deepEqual(report.zoneTotals, { lookups: 4, voids: 1, complete: false }, 'shortchain.mailconf.test is not in the zone file; ok.maildomain.test has no address for "a"');
    assert.equal(report.count.total, 7);
    assert.equal(await spfLiveTotals('provider.maildomain.test', resolver()), '**Live DNS** (`provider.maildomain.test`): DNS lookups: **7 of 10**; void lookups: **0 of 2**.');
  });
});

describe('mailconf spf tree (the CLI)', () => {
  test('over the limit exits 1, within it 0; --zone shows the differences; JSON; usage errors exit 2', async () => {
    const over = await runCli(['spf', 'tree', 'chain.mailconf.test', '--dns-server', named.address]);
    assert.equal(over.code, 1, over.stderr);
    assert.match(over.stdout, /^# SPF lookup tree of `chain\.mailconf\.test`/);
    assert.match(over.stdout, /11th lookup: over the limit/);
    const ok = await runCli(['spf', 'tree', 'provider.maildomain.test', '--dns-server', named.address, '--zone', editedZone]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /## Zone files of the workspace\n\nFrom the zone files alone: at least 4 DNS lookups, 1 void\./);
    assert.match(ok.stdout, /- TXT ok\.maildomain\.test: DNS "v=spf1 mx -all"; zone files "v=spf1 a -all"/);
    const json = await runCli(['spf', 'tree', 'loop1.maildomain.test', `--dns-server=${named.address}`, '--format', 'json']);
    assert.equal(json.code, 1, 'a loop is a permerror');
    assert.equal(JSON.parse(json.stdout).count.loops.length, 1);
    const servfail = await runCli(['spf', 'tree', 'broken.test', '--dns-server', named.address]);
    assert.equal(servfail.code, 0, 'a failed lookup is reported, not judged');
    for (const args of [['spf', 'tree'], ['spf', 'tree', 'a', 'b'], ['spf', 'tree', 'x.test', '--dns-server', 'nameserver'], ['spf', 'tree', 'x.test', '--zone', path.join(tmp, 'missing.zone')]]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /^mailconf: /);
    }
  });
});
