// spf/sending-host-not-authorized through the built CLI: `mailconf check` on a copy of /etc
// and a zone file reports it on both files, and `mailconf spf check-host --zone` over the
// same zone file gives, address by address, the result the finding names.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { makeTempTree, runCli } from './builtCli';

const ZONE = `$ORIGIN example.org.
$TTL 3600
@     IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 3600
      IN NS  ns1
      IN MX  10 mail
      IN TXT "v=spf1 ip4:198.51.100.7 ip6:2001:db8::/64 ~all"
_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.org"
ns1   IN A   192.0.2.53
mail  IN A   192.0.2.25
mail  IN AAAA 2001:db8::25
`;

interface JsonFinding { line: number; column: number; code: string; severity: string; message: string }

test('check reports the unauthorized address on main.cf and the zone; check-host agrees per address', (t) => {
  const root = makeTempTree('mailconf-sending-spf-', {
    'etc/postfix/main.cf': 'myhostname = mail.example.org\nmydomain = example.org\nmyorigin = $mydomain\n',
    'zones/example.org.zone': ZONE,
  });
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const check = runCli(['check', '--format', 'json', '.'], root);
  assert.equal(check.code, 0, check.stderr);
  const files = (JSON.parse(check.stdout) as { files: Array<{ path: string; findings: JsonFinding[] }> }).files;
  const of = (p: string) => files.find((f) => f.path === p)!.findings.filter((f) => f.code === 'spf/sending-host-not-authorized');
  const [main] = of('etc/postfix/main.cf');
  const [zone] = of('zones/example.org.zone');
  assert.deepEqual([main.line, main.column, main.severity], [1, 14, 'warning']);
  assert.deepEqual([zone.line, zone.column, zone.severity], [6, 57, 'warning']);
  assert.match(zone.message, /from 192\.0\.2\.25, and/, 'the IPv6 address is inside ip6:2001:db8::/64');
  assert.match(zone.message, /`~all` here gives softfail/);

  const hostResult = (ip: string) => {
    const r = runCli(['spf', 'check-host', '--ip', ip, '--sender', 'postmaster@example.org', '--helo', 'mail.example.org', '--zone', 'zones/example.org.zone'], root);
    assert.equal(r.code, 0, r.stderr);
    return { result: /^result: (\S+)/m.exec(r.stdout)?.[1], reason: /^reason: (.*)$/m.exec(r.stdout)?.[1] };
  };
  assert.deepEqual(hostResult('192.0.2.25'), { result: 'softfail', reason: '"~all" in the SPF record of example.org matched.' });
  assert.equal(hostResult('2001:db8::25').result, 'pass');
});
