// `mailconf spf check-host`: arguments, evaluation over zone files, output and exit status.
// --dns is exercised only against a loopback port where nothing answers (no query leaves
// the machine in tests).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseCheckHostArgs, spfCheckHost } from '../../../server/src/cli/spfCheckHost';
import { nodeResolver, parseDnsServer } from '../../../server/src/node/nodeResolver';

const REPO = path.resolve(__dirname, '../../..');

const ZONE = `$ORIGIN example.com.
$TTL 3600
@    IN SOA ns1 hostmaster 1 7200 3600 1209600 3600
@    IN NS  ns1
ns1  IN A   192.0.2.53
@    IN MX  10 mail
mail IN A   192.0.2.25
@    IN TXT "v=spf1 mx include:_spf.example.com -all exp=why.example.com"
_spf IN TXT "v=spf1 ip4:198.51.100.0/24 ~all"
why  IN TXT "%{i} may not send mail for %{d}"
`;

function zoneFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-spf-'));
  const file = path.join(dir, 'example.com.zone');
  fs.writeFileSync(file, ZONE);
  return file;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await spfCheckHost(args, (s) => { out += s; }, (s) => { err += s; });
  return { code, out, err };
}

test('pass, fail with the explanation, and the reason, from a zone file', async () => {
  const file = zoneFile();
  const pass = await run(['--ip', '192.0.2.25', '--sender', 'alice@example.com', '--zone', file]);
  assert.equal(pass.code, 0);
  assert.match(pass.out, /^result: pass\n/);
  assert.match(pass.out, /reason: "mx" in the SPF record of example\.com matched\./);
  const viaInclude = await run(['--ip', '198.51.100.9', '--sender', 'alice@example.com', '--zone', file]);
  assert.match(viaInclude.out, /^result: pass\n/);
  const fail = await run(['--ip', '203.0.113.1', '--sender=alice@example.com', '--helo', 'mx.other.example', '--zone', file]);
  assert.equal(fail.code, 0);
  assert.match(fail.out, /^result: fail\nexplanation: 203\.0\.113\.1 may not send mail for example\.com\n/);
  assert.match(fail.out, /lookups: 2 of 10, void lookups: 0 of 2/);
  const none = await run(['--ip', '203.0.113.1', '--sender', 'x@unknown.example.com', '--zone', file]);
  assert.match(none.out, /^result: none\n/);
  const bounce = await run(['--ip', '192.0.2.25', '--sender', '', '--helo', 'mail.example.com', '--zone', file]);
  assert.match(bounce.out, /^result: none\n/, 'mail.example.com has no SPF record of its own');
});

test('the sample zones: seed 002\'s unquoted record is no SPF record at all', async () => {
  const out = await run(['--ip', '123.123.123.42', '--sender', 'a@domain.tld', '--zone', path.join(REPO, 'samples/002-mysystems.tld/zones/domain.tld.zone')]);
  assert.match(out.out, /^result: none\nreason: domain\.tld has no SPF record\./);
});

test('usage errors exit 2 with a message', async () => {
  for (const [args, message] of [
    [[], /--ip is required/],
    [['--ip', '192.0.2.1'], /--sender is required/],
    [['--ip', 'nope', '--sender', 'a@b.example'], /not an IPv4 or IPv6 address/],
    [['--ip', '192.0.2.1', '--sender', 'a@b.example'], /give --zone FILE\.\.\. \(offline\) or --dns SERVER/],
    [['--ip', '192.0.2.1', '--sender', '', '--zone', 'x'], /give --helo/],
    [['--ip', '192.0.2.1', '--sender', 'a@b.example', '--dns', 'dns.example'], /not an IP address/],
    [['--ip', '192.0.2.1', '--sender', 'a@b.example', '--zone'], /at least one zone file/],
    [['--ip', '192.0.2.1', '--sender', 'a@b.example', '--bogus'], /unknown argument --bogus/],
    [['--ip', '192.0.2.1', '--sender', 'a@b.example', '--zone', '/nonexistent/x.zone'], /no such file/],
  ] as Array<[string[], RegExp]>) {
    const r = await run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, message, args.join(' '));
  }
  assert.equal((await run(['--help'])).code, 0);
});

test('--zone takes several files; --dns takes an address with an optional port', () => {
  const parsed = parseCheckHostArgs(['--zone', 'a.zone', 'b.zone', '--ip', '192.0.2.1', '--sender', 'x@example.com']);
  assert.ok(typeof parsed === 'object');
  assert.deepEqual(parsed.zones, ['a.zone', 'b.zone']);
  assert.equal(parseDnsServer('192.0.2.53'), '192.0.2.53');
  assert.equal(parseDnsServer('192.0.2.53:5353'), '192.0.2.53:5353');
  assert.equal(parseDnsServer('2001:db8::53'), '2001:db8::53');
  assert.equal(parseDnsServer('[2001:db8::53]:53'), '[2001:db8::53]:53');
  assert.equal(parseDnsServer('192.0.2.53:0'), undefined);
  assert.equal(parseDnsServer('ns.example.com'), undefined);
});

test('live DNS resolver: a server that does not answer gives timeout or servfail, never a crash', async () => {
  // Port 9 (discard) on loopback: nothing answers DNS there.
  const r = nodeResolver(['127.0.0.1:9'], { timeoutMs: 200, tries: 1 });
  const answer = await r.txt('example.com');
  assert.ok(answer.status === 'timeout' || answer.status === 'servfail', JSON.stringify(answer));
});

test('the real command line: mailconf spf check-host dispatches and exits 0 or 2', () => {
  const file = zoneFile();
  const cli = path.join(REPO, 'server/src/cli.ts');
  const ok = spawnSync(process.execPath, ['--import', 'tsx', cli, 'spf', 'check-host', '--ip', '192.0.2.25', '--sender', 'a@example.com', '--zone', file], { encoding: 'utf8', cwd: REPO });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^result: pass/);
  const usage = spawnSync(process.execPath, ['--import', 'tsx', cli, 'spf', 'check-host', '--ip', '192.0.2.25'], { encoding: 'utf8', cwd: REPO });
  assert.equal(usage.status, 2);
  const sub = spawnSync(process.execPath, ['--import', 'tsx', cli, 'spf', 'nothing'], { encoding: 'utf8', cwd: REPO });
  assert.equal(sub.status, 2);
  assert.match(sub.stderr, /unknown spf subcommand "nothing"/);
});
