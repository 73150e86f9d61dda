// A CNAME loop in real DNS: BIND's named on 127.0.0.1 (harness/named.ts) serves
// loop1 → loop2 → loop1 from dns-fixtures/mailconf.test.zone. The live resolver (node:dns)
// must end with an outcome, the SPF evaluator with a result, and the CLI's check-host too.
// Needs /usr/sbin/named (Debian's bind9); without it the tests fail with advice, never skip.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { LiveDnsResolver } from '../../server/src/node/dnsResolver';
import { checkHost } from '../../server/src/core/records/spf/evaluate';
import { startNamed, type NamedServer } from './harness/named';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
let named: NamedServer;

before(async () => {
  named = await startNamed();
});

after(async () => {
  await named?.stop();
});

test('a lookup into a CNAME loop ends (no data or a failure), quickly', async () => {
  const resolver = new LiveDnsResolver({ servers: [named.address], timeoutMs: 1000, tries: 2 });
  const t0 = Date.now();
  for (const name of ['loop1.mailconf.test', 'loop2.mailconf.test']) {
    const txt = await resolver.txt(name);
    const a = await resolver.addresses(name, 4);
    console.log(`${name}: TXT ${txt.status}, A ${a.status}`);
    for (const answer of [txt, a]) assert.ok(['nodata', 'servfail', 'nxdomain'].includes(answer.status), JSON.stringify(answer));
  }
  assert.ok(Date.now() - t0 < 10_000, 'no retries until a timeout');
});

test('SPF: an include of a CNAME loop is a permerror or temperror, over live DNS and through the CLI', async () => {
  const resolver = new LiveDnsResolver({ servers: [named.address], timeoutMs: 1000, tries: 2 });
  const out = await checkHost(resolver, { ip: '192.0.2.1', domain: 'cnameloop.mailconf.test', sender: 'x@cnameloop.mailconf.test' });
  console.log(`check_host: ${out.result} (${out.reason})`);
  assert.ok(out.result === 'permerror' || out.result === 'temperror', out.reason);
  assert.match(out.reason, /loop1\.mailconf\.test/);
  const direct = await checkHost(resolver, { ip: '192.0.2.1', domain: 'loop1.mailconf.test', sender: 'x@loop1.mailconf.test' });
  assert.ok(direct.result === 'none' || direct.result === 'temperror', `${direct.result}: ${direct.reason}`);

  const cli = spawnSync(process.execPath, [CLI, 'spf', 'check-host', '--ip', '192.0.2.1', '--sender', 'x@cnameloop.mailconf.test', '--dns', named.address], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(cli.signal, null, 'the CLI ended');
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /permerror|temperror/);
});
