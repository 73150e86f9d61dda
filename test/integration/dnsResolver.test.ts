// The live resolver (server/src/node/dnsResolver.ts) against BIND's named on 127.0.0.1
// (harness/named.ts, zones in dns-fixtures/): every answer kind, the outcomes told apart,
// TTL caching and in-flight sharing counted in named's query log, TCP fallback, timeouts
// against real sockets, the SPF evaluator and the CLI over live DNS.
// Needs /usr/sbin/named (Debian's bind9); without it the tests fail with advice, never skip.
// `npm run build` first for the CLI test (scripts/test.sh does).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as dgram from 'node:dgram';
import { LiveDnsResolver, BadDnsServerError } from '../../server/src/node/dnsResolver';
import { nodeResolver } from '../../server/src/node/nodeResolver';
import { checkMailFrom } from '../../server/src/core/records/spf/evaluate';
import { startNamed, dkimPublicKeyBase64, type NamedServer } from './harness/named';
import { freePort, sleep, waitUntil } from './harness/processes';
import { runCli as runBuiltCli } from './harness/cli';

let named: NamedServer;
let namedStartMs = 0;

before(async () => {
  const t0 = Date.now();
  named = await startNamed();
  namedStartMs = Date.now() - t0;
  process.stdout.write(`# named answered on ${named.address} after ${namedStartMs} ms\n`);
});

after(async () => {
  await named?.stop();
});

function resolver(extra: ConstructorParameters<typeof LiveDnsResolver>[0] = {}): LiveDnsResolver {
  return new LiveDnsResolver({ servers: [named.address], timeoutMs: 1000, tries: 2, ...extra });
}

/** Waits until named's log shows `count` queries for name/type (its log arrives through a pipe), then a little longer so extra ones would show too. */
async function queriesLogged(name: string, type: string, count: number): Promise<number> {
  await waitUntil(() => named.queriesFor(name, type).length >= count, 2_000, 20);
  await sleep(100);
  return named.queriesFor(name, type).length;
}

describe('answers of every kind', () => {
  test('A and AAAA with their TTL', async () => {
    const r = resolver();
    assert.deepEqual(await r.addresses('host.mailconf.test', 4), { status: 'ok', records: ['192.0.2.10'], ttl: 300 });
    assert.deepEqual(await r.addresses('host.mailconf.test.', 6), { status: 'ok', records: ['2001:db8::10'], ttl: 300 });
  });

  test('MX with preferences', async () => {
    const r = resolver();
    const mx = await r.mx('multi.mailconf.test');
    assert.equal(mx.status, 'ok');
    if (mx.status !== 'ok') return;
    assert.deepEqual([...mx.records].sort((a, b) => a.preference - b.preference), [
      { preference: 10, exchange: 'host.mailconf.test' },
      { preference: 20, exchange: 'backup.mailconf.test' },
    ]);
    assert.equal(mx.ttl, undefined, 'node:dns gives no TTL for MX');
  });

  test('TXT as character-strings; PTR in in-addr.arpa and ip6.arpa', async () => {
    const r = resolver();
    assert.deepEqual(await r.txt('i11.mailconf.test'), { status: 'ok', records: [['v=spf1 ip4:192.0.2.0/24 -all']] });
    assert.deepEqual(await r.ptr('10.2.0.192.in-addr.arpa'), { status: 'ok', records: ['host.mailconf.test'] });
    const v6 = '0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa';
    assert.deepEqual(await r.ptr(v6), { status: 'ok', records: ['host.mailconf.test'] });
  });

  test('a 2 KB TXT answer arrives whole, over TCP after the truncated UDP answer', async () => {
    const r = resolver();
    const before = named.queriesFor('big.mailconf.test', 'TXT').length;
    const big = await r.txt('big.mailconf.test');
    assert.deepEqual(big, { status: 'ok', records: [named.bigTxt] });
    await queriesLogged('big.mailconf.test', 'TXT', before + 2);
    const lines = named.queriesFor('big.mailconf.test', 'TXT').slice(before);
    assert.ok(lines.some((l) => /IN TXT \+T? ?\(/.test(l) && !/\+T/.test(l)), `a UDP query first:\n${lines.join('\n')}`);
    assert.ok(lines.some((l) => /IN TXT [^ ]*T[^ ]* \(/.test(l)), `then one over TCP (flag T):\n${lines.join('\n')}`);
  });

  test('DKIM: the good selector publishes the run\'s key, the bad one another key', async () => {
    const r = resolver();
    const ownPublic = dkimPublicKeyBase64(crypto.createPublicKey(named.dkim.privateKey));
    const publishedKey = async (selector: string) => {
      const a = await r.txt(`${selector}._domainkey.mailconf.test`);
      assert.equal(a.status, 'ok');
      if (a.status !== 'ok') return '';
      assert.equal(a.records.length, 1);
      const joined = a.records[0].join('');
      assert.match(joined, /^v=DKIM1; k=rsa; p=/);
      return /p=([A-Za-z0-9+/=]+)/.exec(joined)![1];
    };
    assert.equal(await publishedKey('good'), ownPublic);
    const bad = await publishedKey('bad');
    assert.notEqual(bad, ownPublic);
    assert.equal(bad, named.dkim.badPublicKey);
  });
});

describe('outcomes told apart', () => {
  test('NXDOMAIN vs NODATA', async () => {
    const r = resolver();
    assert.deepEqual(await r.addresses('nope.mailconf.test', 4), { status: 'nxdomain' });
    assert.deepEqual(await r.txt('host.mailconf.test'), { status: 'nodata' });
    assert.deepEqual(await r.mx('host.mailconf.test'), { status: 'nodata' });
    assert.deepEqual(await r.ptr('99.2.0.192.in-addr.arpa'), { status: 'nxdomain' });
  });

  test('SERVFAIL from a zone named could not load; not cached', async () => {
    const r = resolver();
    const before = named.queriesFor('x.broken.test', 'TXT').length;
    assert.deepEqual(await r.txt('x.broken.test'), { status: 'servfail' });
    assert.deepEqual(await r.txt('x.broken.test'), { status: 'servfail' });
    assert.equal(r.stats.queriesSent, 2, 'a failure is asked again');
    // node sets ARES_FLAG_NOCHECKRESP: c-ares takes a SERVFAIL as the answer, no retry.
    assert.equal(await queriesLogged('x.broken.test', 'TXT', before + 2), before + 2);
  });

  test('REFUSED (a zone the server does not serve) is a server failure with a reason', async () => {
    const r = resolver();
    const a = await r.addresses('elsewhere.example', 4);
    assert.equal(a.status, 'servfail');
    assert.match((a as { detail?: string }).detail ?? '', /REFUSED/);
  });

  test('timeout: a server that swallows queries; the call returns within the timeout budget', async () => {
    const hole = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => hole.bind(0, '127.0.0.1', resolve));
    let received = 0;
    hole.on('message', () => { received++; });
    try {
      const timeoutMs = 300;
      const tries = 2;
      const r = new LiveDnsResolver({ servers: [`127.0.0.1:${hole.address().port}`], timeoutMs, tries });
      const t0 = Date.now();
      const a = await r.txt('mailconf.test');
      const elapsed = Date.now() - t0;
      assert.deepEqual(a, { status: 'timeout' });
      // c-ares doubles the timeout on each retry: 300 + 600 ms, plus slack.
      const budget = timeoutMs * (2 ** tries - 1) + 1000; // slack for a loaded CI machine
      assert.ok(elapsed >= timeoutMs, `took ${elapsed} ms, less than one timeout`);
      assert.ok(elapsed <= budget, `took ${elapsed} ms, over ${budget} ms`);
      assert.equal(received, tries, 'one query per try');
      process.stdout.write(`# timeout after ${elapsed} ms (timeout ${timeoutMs} ms, ${tries} tries)\n`);
      assert.equal(r.stats.queriesSent, 1);
    } finally {
      hole.close();
    }
  });

  test('no server listening at the port: connection refused, fast, as a server failure', async () => {
    const port = await freePort();
    const r = new LiveDnsResolver({ servers: [`127.0.0.1:${port}`], timeoutMs: 1000, tries: 2 });
    const t0 = Date.now();
    const a = await r.addresses('host.mailconf.test', 4);
    const elapsed = Date.now() - t0;
    process.stdout.write(`# nothing listening: ${JSON.stringify(a)} after ${elapsed} ms\n`);
    // On loopback the kernel answers the UDP query with ICMP port unreachable at once.
    assert.equal(a.status, 'servfail', JSON.stringify(a));
    assert.match((a as { detail?: string }).detail ?? '', /connection refused/);
    assert.ok(elapsed < 1000, `took ${elapsed} ms (a timeout would take 3000)`);
  });

  test('bad server settings are rejected', () => {
    assert.throws(() => new LiveDnsResolver({ servers: ['dns.example'] }), BadDnsServerError);
    assert.throws(() => new LiveDnsResolver({ servers: ['127.0.0.1:99999'] }), BadDnsServerError);
    assert.deepEqual(new LiveDnsResolver({ servers: ['127.0.0.1:5353', '[::1]:5353', '::1'] }).servers, ['127.0.0.1:5353', '[::1]:5353', '::1']);
  });
});

describe('cache and sharing', () => {
  test('an A answer is cached for its TTL: the second query never reaches named', async () => {
    const r = resolver();
    const before = named.queriesFor('backup.mailconf.test', 'A').length;
    const first = await r.addresses('backup.mailconf.test', 4);
    const second = await r.addresses('Backup.Mailconf.Test.', 4);
    assert.deepEqual(second, first);
    assert.deepEqual(r.stats, { queriesSent: 1, cacheHits: 1, sharedInFlight: 0 });
    assert.equal(await queriesLogged('backup.mailconf.test', 'A', before + 1), before + 1);
    // After clear() the query reaches named again although its TTL (300 s) has not run out:
    // c-ares's own query cache is off in node, so this cache is the only one.
    r.clear();
    await r.addresses('backup.mailconf.test', 4);
    assert.equal(await queriesLogged('backup.mailconf.test', 'A', before + 2), before + 2);
  });

  test('a one-second TTL expires: the query goes out again', async () => {
    const r = resolver();
    const before = named.queriesFor('short.mailconf.test', 'A').length;
    assert.deepEqual(await r.addresses('short.mailconf.test', 4), { status: 'ok', records: ['192.0.2.20'], ttl: 1 });
    await r.addresses('short.mailconf.test', 4);
    assert.equal(r.stats.cacheHits, 1);
    await sleep(1100);
    await r.addresses('short.mailconf.test', 4);
    assert.equal(r.stats.queriesSent, 2);
    assert.equal(await queriesLogged('short.mailconf.test', 'A', before + 2), before + 2);
  });

  test('TXT (no TTL from node:dns) is cached for the default TTL, bounded by the maximum', async () => {
    let now = 1_000_000;
    const r = resolver({ now: () => now, defaultTtlSeconds: 300, maxTtlSeconds: 60 });
    await r.txt('i10.mailconf.test');
    now += 59_000;
    await r.txt('i10.mailconf.test');
    assert.equal(r.stats.queriesSent, 1, 'cached within the bound');
    now += 2_000;
    await r.txt('i10.mailconf.test');
    assert.equal(r.stats.queriesSent, 2, 'the maximum (60 s) wins over the default TTL (300 s)');
  });

  test('identical queries in flight share one promise and one query', async () => {
    const r = resolver();
    const before = named.queriesFor('i8.mailconf.test', 'TXT').length;
    const answers = await Promise.all(Array.from({ length: 5 }, () => r.txt('i8.mailconf.test')));
    for (const a of answers) assert.deepEqual(a, answers[0]);
    assert.deepEqual(r.stats, { queriesSent: 1, cacheHits: 0, sharedInFlight: 4 });
    assert.equal(await queriesLogged('i8.mailconf.test', 'TXT', before + 1), before + 1);
  });

  test('forget(tag) drops only the answers asked for that document; clear() drops all', async () => {
    const r = resolver();
    const doc1 = r.forTag('file:///zones/a.zone');
    const doc2 = r.forTag('file:///zones/b.zone');
    await doc1.txt('i7.mailconf.test');
    await doc2.txt('i6.mailconf.test');
    r.forget('file:///zones/a.zone');
    await doc1.txt('i7.mailconf.test');
    await doc2.txt('i6.mailconf.test');
    assert.deepEqual(r.stats, { queriesSent: 3, cacheHits: 1, sharedInFlight: 0 });
    r.clear();
    await doc2.txt('i6.mailconf.test');
    assert.equal(r.stats.queriesSent, 4);
  });

  test('an answer arriving after forget() is not cached', async () => {
    const r = resolver();
    const doc = r.forTag('file:///zones/a.zone');
    const pending = doc.txt('i5.mailconf.test');
    r.forget('file:///zones/a.zone');
    assert.equal((await pending).status, 'ok');
    await doc.txt('i5.mailconf.test');
    assert.equal(r.stats.queriesSent, 2);
  });

  test('the cache holds at most maxEntries answers, dropping the oldest', async () => {
    const r = resolver({ maxEntries: 2 });
    await r.txt('i1.mailconf.test');
    await r.txt('i2.mailconf.test');
    await r.txt('i3.mailconf.test');
    await r.txt('i3.mailconf.test');
    await r.txt('i2.mailconf.test');
    assert.deepEqual(r.stats, { queriesSent: 3, cacheHits: 2, sharedInFlight: 0 });
    await r.txt('i1.mailconf.test');
    assert.equal(r.stats.queriesSent, 4, 'the oldest (i1) was dropped');
  });

  test('NXDOMAIN and NODATA are cached too (for the negative TTL)', async () => {
    const r = resolver();
    assert.deepEqual(await r.addresses('nope2.mailconf.test', 4), { status: 'nxdomain' });
    assert.deepEqual(await r.addresses('nope2.mailconf.test', 4), { status: 'nxdomain' });
    assert.deepEqual(await r.mx('i4.mailconf.test'), { status: 'nodata' });
    assert.deepEqual(await r.mx('i4.mailconf.test'), { status: 'nodata' });
    assert.deepEqual(r.stats, { queriesSent: 2, cacheHits: 2, sharedInFlight: 0 });
  });
});

describe('SPF over live DNS', () => {
  test('an include chain of 11 lookups is a permerror', async () => {
    const out = await checkMailFrom(resolver(), { ip: '192.0.2.10', mailFrom: 'user@chain.mailconf.test', helo: 'host.mailconf.test' });
    assert.equal(out.result, 'permerror', out.reason);
    assert.ok(out.lookups > 10, `lookups ${out.lookups}`);
  });

  test('a short include chain passes; the mx mechanism passes; another address fails', async () => {
    const r = resolver();
    const short = await checkMailFrom(r, { ip: '192.0.2.10', mailFrom: 'user@shortchain.mailconf.test', helo: 'host.mailconf.test' });
    assert.equal(short.result, 'pass', short.reason);
    assert.equal(short.lookups, 3);
    const mx = await checkMailFrom(r, { ip: '192.0.2.10', mailFrom: 'user@mailconf.test', helo: 'host.mailconf.test' });
    assert.equal(mx.result, 'pass', mx.reason);
    const other = await checkMailFrom(r, { ip: '198.51.100.1', mailFrom: 'user@mailconf.test', helo: 'host.mailconf.test' });
    assert.equal(other.result, 'fail', other.reason);
  });

  test('three void lookups are a permerror', async () => {
    const out = await checkMailFrom(resolver(), { ip: '192.0.2.10', mailFrom: 'user@void.mailconf.test', helo: 'host.mailconf.test' });
    assert.equal(out.result, 'permerror', out.reason);
    assert.equal(out.voidLookups, 3);
  });

  test('a SERVFAIL zone is a temperror; nodeResolver (the CLI\'s name) is the live resolver', async () => {
    const r = nodeResolver([named.address], { timeoutMs: 1000 });
    assert.ok(r instanceof LiveDnsResolver);
    const out = await checkMailFrom(r, { ip: '192.0.2.10', mailFrom: 'user@broken.test', helo: 'host.mailconf.test' });
    assert.equal(out.result, 'temperror', out.reason);
  });

  test('the CLI: mailconf spf check-host --dns 127.0.0.1:PORT', async () => {
    const runCli = (args: string[]) => runBuiltCli(args, 20_000);
    const pass = await runCli(['spf', 'check-host', '--ip', '192.0.2.10', '--sender', 'user@shortchain.mailconf.test', '--dns', named.address]);
    assert.equal(pass.code, 0, pass.stderr);
    assert.match(pass.stdout, /^result: pass$/m);
    assert.match(pass.stdout, /^lookups: 3 of 10, void lookups: 0 of 2$/m);
    const chain = await runCli(['spf', 'check-host', '--ip', '192.0.2.10', '--sender', 'user@chain.mailconf.test', '--dns', named.address]);
    assert.equal(chain.code, 0, chain.stderr);
    assert.match(chain.stdout, /^result: permerror$/m);
  });
});
