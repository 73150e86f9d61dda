// spf/sending-host-not-authorized: the SPF policy of the domains a Postfix server sends as,
// evaluated offline over the workspace's zone files for the server's addresses, over
// in-memory /etc trees. Each finding is checked on both sides (zone term, main.cf's
// myhostname) and against check_host() itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { diagnose } from '../../../server/src/core/checks';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import type { Finding } from '../../../server/src/core/types';
import { etcStack } from './etcStack';
import { sendingHostSpfProblems } from '../../../server/src/core/stack/sendingHostSpf';
import { checkHostSync } from '../../../server/src/core/records/spf/evaluate';
import { WorkspaceZones } from '../../../server/src/core/dns/zoneResolver';

const CODE = 'spf/sending-host-not-authorized';
const MAIN = 'postfix/main.cf';
const ZONE = 'bind/db.example.org';

/** A zone of example.org with the SPF record given and mail.example.org at 192.0.2.25 / 2001:db8::25. */
function exampleZone(spf: string, extra = ''): string {
  return `$ORIGIN example.org.
$TTL 3600
@     IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 3600
      IN NS  ns1
      IN MX  10 mail
      IN TXT ${spf}
ns1   IN A   192.0.2.53
mail  IN A   192.0.2.25
mail  IN AAAA 2001:db8::25
${extra}`;
}

function stack(files: Record<string, string>) {
  return etcStack(files, (f) => f.code === CODE);
}

function slice(text: string, f: Finding): string {
  const lines = text.split('\n');
  return lines[f.range.start.line].slice(f.range.start.character, f.range.end.character);
}

function applyFix(text: string, f: Finding, fixIndex = 0, uri?: string): string {
  const edits = f.fixes![fixIndex].edits.filter((e) => e.uri === undefined || e.uri === uri);
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'x', 1, text), edits);
}

const SENDS_AS_DOMAIN = 'myhostname = mail.example.org\nmydomain = example.org\nmyorigin = $mydomain\n';

test('pass: the record lists the host (a:, mx, ip4:/ip6:): no finding on either side', () => {
  for (const spf of ['"v=spf1 a:mail.example.org -all"', '"v=spf1 mx -all"', '"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/64 -all"']) {
    const s = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: exampleZone(spf) });
    assert.deepEqual(s.findings(MAIN), [], spf);
    assert.deepEqual(s.findings(ZONE), [], spf);
  }
});

test('fail: a warning on -all and on myhostname, each pointing at the other, naming both addresses', () => {
  const s = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: exampleZone('"v=spf1 ip4:198.51.100.7 -all"') });
  const [zone] = s.findings(ZONE);
  const [main] = s.findings(MAIN);
  assert.ok(zone && main);
  assert.equal(s.findings(ZONE).length, 1);
  assert.equal(s.findings(MAIN).length, 1);
  assert.equal(zone.severity, 'warning');
  assert.equal(slice(s.text(ZONE), zone), '-all');
  assert.equal(slice(s.text(MAIN), main), 'mail.example.org');
  assert.match(zone.message, /192\.0\.2\.25 and 2001:db8::25/);
  assert.match(zone.message, /gives fail/);
  assert.match(zone.message, /reject/);
  assert.match(zone.message, /DMARC fails for it unless a DKIM signature aligns/);
  assert.match(zone.message, /ip4:192\.0\.2\.25 ip6:2001:db8::25/);
  assert.match(zone.message, /`a:mail\.example\.org`/);
  assert.match(zone.message, /`mx`, since mail\.example\.org is an MX host/);
  assert.equal(zone.related![0].uri, s.uri(MAIN));
  assert.equal(main.related![0].uri, s.uri(ZONE));
  assert.deepEqual(main.related![0].range, zone.range);
  assert.deepEqual(zone.related![0].range, main.range);
  assert.ok(zone.related!.some((r) => /myorigin/.test(r.message) && r.range.start.line === 2), 'and where myorigin says so');
});

test('the finding is what check_host() says, address by address', () => {
  const s = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: exampleZone('"v=spf1 ip4:192.0.2.25 ~all"') });
  const zones = new WorkspaceZones(s.ws);
  const resolver = { ...zones.syncResolver(), ptr: (n: string) => zones.ptrSync(n) };
  const v4 = checkHostSync(resolver, { ip: '192.0.2.25', domain: 'example.org', sender: 'postmaster@example.org', helo: 'mail.example.org' });
  const v6 = checkHostSync(resolver, { ip: '2001:db8::25', domain: 'example.org', sender: 'postmaster@example.org', helo: 'mail.example.org' });
  assert.deepEqual([v4.result, v6.result], ['pass', 'softfail']);
  const [p] = sendingHostSpfProblems(s.ws, DEFAULT_SETTINGS);
  assert.deepEqual(p.addresses.map((a) => a.address), ['2001:db8::25'], 'only the address that fails');
  assert.equal(p.result, 'softfail');
  assert.equal(p.term, v6.matched!.term);
});

test('softfail: a warning that says spam folder, not reject', () => {
  const s = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: exampleZone('"v=spf1 ip4:198.51.100.7 ~all"') });
  const [zone] = s.findings(ZONE);
  assert.equal(zone.severity, 'warning');
  assert.equal(slice(s.text(ZONE), zone), '~all');
  assert.match(zone.message, /gives softfail/);
  assert.match(zone.message, /spam folder/);
  assert.doesNotMatch(zone.message, /reject/);
});

test('mail through a relay or a smarthost route: no finding', () => {
  const zone = exampleZone('"v=spf1 ip4:198.51.100.7 -all"');
  for (const extra of [
    'relayhost = [smtp.provider.example]:587\n',
    'sender_dependent_relayhost_maps = hash:/etc/postfix/sender_relay\n',
    'sender_dependent_default_transport_maps = hash:/etc/postfix/sender_transport\n',
    'transport_maps = hash:/etc/postfix/transport\n',
    'default_transport = smtp:[smarthost.example]\n',
    'default_transport = error\n',
    'default_transport = $my_transport\n',
    'relayhost = $undefined_relay\n',
  ]) {
    const s = stack({ [MAIN]: SENDS_AS_DOMAIN + extra, [ZONE]: zone });
    assert.deepEqual(s.findings(MAIN), [], extra);
    assert.deepEqual(s.findings(ZONE), [], extra);
  }
  // A relayhost set and then emptied again: the last line wins, mail goes out directly.
  const direct = stack({ [MAIN]: SENDS_AS_DOMAIN + 'relayhost = [old.relay]\nrelayhost =\n', [ZONE]: zone });
  assert.equal(direct.findings(MAIN).length, 1);
});

test('a default_transport that names a master.cf service other than smtp: no finding; an smtp-command service: judged', () => {
  const zone = exampleZone('"v=spf1 ip4:198.51.100.7 -all"');
  const master = 'smtp inet n - y - - smtpd\nsmtp unix - - y - - smtp\nout unix - - y - - smtp\nlocal-pipe unix - n n - - pipe user=nobody argv=/bin/true\n';
  assert.deepEqual(stack({ [MAIN]: SENDS_AS_DOMAIN + 'default_transport = local-pipe\n', 'postfix/master.cf': master, [ZONE]: zone }).findings(ZONE), []);
  assert.equal(stack({ [MAIN]: SENDS_AS_DOMAIN + 'default_transport = out\n', 'postfix/master.cf': master, [ZONE]: zone }).findings(ZONE).length, 1);
});

test('names outside the workspace are not judged: the zone missing, an include elsewhere, myhostname without an address', () => {
  // The domain's zone is not in the workspace.
  const other = stack({ [MAIN]: SENDS_AS_DOMAIN, 'bind/db.example.net': exampleZone('"v=spf1 -all"').replace('$ORIGIN example.org.', '$ORIGIN example.net.') });
  assert.deepEqual(other.findings(MAIN), []);
  // The include is answered by nobody here: temperror offline, not fail.
  const include = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: exampleZone('"v=spf1 include:_spf.provider.example -all"') });
  assert.deepEqual(include.findings(MAIN), []);
  assert.deepEqual(include.findings(ZONE), []);
  // myhostname has no address in the zones.
  const noAddress = stack({ [MAIN]: 'myhostname = mx9.example.org\nmyorigin = example.org\n', [ZONE]: exampleZone('"v=spf1 -all"') });
  assert.deepEqual(noAddress.findings(MAIN), []);
  // myhostname not set: Postfix uses the system's name.
  assert.deepEqual(stack({ [MAIN]: 'myorigin = example.org\n', [ZONE]: exampleZone('"v=spf1 -all"') }).findings(ZONE), []);
});

test('include: to a name in another workspace zone is followed: pass when it lists the host, fail when it does not', () => {
  const provider = (ip: string) => `$ORIGIN provider.example.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n  IN NS ns1\nns1 IN A 198.51.100.53\n_spf IN TXT "v=spf1 ip4:${ip} ip6:2001:db8::/32 -all"\n`;
  const zone = exampleZone('"v=spf1 include:_spf.provider.example -all"');
  const passes = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: zone, 'bind/db.provider.example': provider('192.0.2.0/24') });
  assert.deepEqual(passes.findings(ZONE), []);
  const fails = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: zone, 'bind/db.provider.example': provider('198.51.100.0/24') });
  const [f] = fails.findings(ZONE);
  assert.equal(slice(fails.text(ZONE), f), '-all', 'the include did not match; the -all of example.org decided');
  assert.match(f.message, /from 192\.0\.2\.25, and/, 'the IPv6 address is inside the include');
  assert.deepEqual(fails.findings('bind/db.provider.example'), [], 'the included record did not decide');
});

test('redirect=: the finding sits on the target record, and says where it came from', () => {
  const zone = exampleZone('"v=spf1 redirect=_spf.example.org"', '_spf IN TXT "v=spf1 ip4:198.51.100.7 -all"\n');
  const s = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: zone });
  const [f] = s.findings(ZONE);
  assert.equal(f.range.start.line, 9);
  assert.equal(slice(s.text(ZONE), f), '-all');
  assert.match(f.message, /example\.org redirects to _spf\.example\.org/);
  const fixed = applyFix(s.text(ZONE), f);
  assert.match(fixed.split('\n')[9], /"v=spf1 ip4:198\.51\.100\.7 ip4:192\.0\.2\.25 ip6:2001:db8::25 -all"/);
  assert.deepEqual(stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: fixed }).findings(ZONE), []);
});

test('HELO: an SPF record at myhostname that fails its own address', () => {
  const zone = exampleZone('"v=spf1 mx -all"', 'mail  IN TXT "v=spf1 ip4:192.0.2.99 -all"\n');
  const s = stack({ [MAIN]: 'myhostname = mail.example.org\n', [ZONE]: zone });
  const zoneFindings = s.findings(ZONE);
  assert.equal(zoneFindings.length, 1, 'myorigin defaults to $myhostname: one evaluation for both roles');
  const [f] = zoneFindings;
  assert.equal(f.range.start.line, 9);
  assert.match(f.message, /HELO mail\.example\.org/);
  assert.match(f.message, /RFC 7208 §2\.3/);
  assert.match(f.message, /`a`, which follows/, 'the record is at the host itself: plain a');
  assert.equal(f.fixes!.length, 2);
  const withA = applyFix(s.text(ZONE), f, 1);
  assert.match(withA.split('\n')[9], /"v=spf1 ip4:192\.0\.2\.99 a -all"/);
  assert.deepEqual(stack({ [MAIN]: 'myhostname = mail.example.org\n', [ZONE]: withA }).findings(ZONE), []);
  // smtp_helo_name names another host: its record is the one checked.
  const helo = stack({ [MAIN]: 'myhostname = mail.example.org\nmyorigin = example.org\nsmtp_helo_name = out.example.org\n', [ZONE]: exampleZone('"v=spf1 mx -all"', 'out IN TXT "v=spf1 -all"\n') });
  const [h] = helo.findings(ZONE);
  assert.match(h.message, /HELO out\.example\.org/);
  assert.ok(h.related!.some((r) => r.range.start.line === 2 && /HELO name/.test(r.message)));
});

test('SigningTable domains: checked when their SPF record is in a workspace zone', () => {
  const customer = `$ORIGIN customer.example.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n  IN NS ns1\n  IN TXT "v=spf1 include:_spf.example.org ~all"\nns1 IN A 198.51.100.53\n`;
  const zone = exampleZone('"v=spf1 mx -all"', '_spf IN TXT "v=spf1 ip4:198.51.100.0/24 -all"\n');
  const s = stack({
    [MAIN]: 'myhostname = mail.example.org\nmyorigin = example.org\nsmtpd_milters = inet:localhost:8891\n',
    'opendkim.conf': 'Socket inet:8891@localhost\nKeyTable /etc/opendkim/key.table\nSigningTable refile:/etc/opendkim/signing.table\n',
    'opendkim/key.table': 'customer customer.example:2024:/etc/opendkim/keys/customer.private\nexample example.org:2024:/etc/opendkim/keys/example.private\nother other.example:2024:/etc/opendkim/keys/other.private\n',
    'opendkim/signing.table': '*@customer.example customer\n*@example.org example\n*@other.example other\n',
    [ZONE]: zone,
    'bind/db.customer.example': customer,
  });
  assert.deepEqual(s.findings(ZONE), [], 'example.org passes (mx), and _spf.example.org only fails inside an include');
  const [c] = s.findings('bind/db.customer.example');
  assert.ok(c, 'customer.example ~all does not cover the server');
  assert.equal(slice(s.text('bind/db.customer.example'), c), '~all');
  assert.match(c.message, /OpenDKIM of it signs mail from customer\.example/);
  assert.ok(c.related!.some((r) => r.uri === 'file:///etc/opendkim/signing.table' && r.range.start.line === 0));
  const [m] = s.findings(MAIN);
  assert.match(m.message, /SPF record of customer\.example/);
  assert.deepEqual(m.fixes![0].edits.map((e) => e.uri), ['file:///etc/bind/db.customer.example'], 'the main.cf side fixes the zone file');
});

test('the quick-fix adds the addresses before all, keeps the record valid, and clears the finding', () => {
  const s = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: exampleZone('( "v=spf1 ip4:198.51.100.7 "\n        "-all" )') });
  const [f] = s.findings(ZONE);
  assert.equal(f.fixes![0].preferred, true);
  const fixed = applyFix(s.text(ZONE), f);
  assert.match(fixed, /\n {8}"ip4:192\.0\.2\.25 ip6:2001:db8::25 -all" \)\n/, 'inside the second string, before -all');
  const again = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: fixed });
  assert.deepEqual(again.findings(ZONE), []);
  assert.deepEqual(again.findings(MAIN), []);
  const all = diagnose({ doc: again.ws.get(again.uri(ZONE))!, workspace: again.ws, settings: DEFAULT_SETTINGS });
  assert.deepEqual(all.filter((x) => x.code.startsWith('spf/') || x.code.startsWith('zone/txt')).map((x) => x.code), [], 'no SPF or TXT finding after the fix');
  // The main.cf side's fix is the same edit, addressed to the zone file.
  const [m] = s.findings(MAIN);
  assert.equal(applyFix(s.text(ZONE), m, 0, s.uri(ZONE)), fixed);
});

test('no fix where it would not be safe: unquoted words, a string that would pass 255 bytes, a term other than all', () => {
  const unquoted = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: exampleZone('v=spf1 -all') });
  // Unquoted, the words are separate strings joined without blanks: the record is "v=spf1-all", no SPF at all.
  assert.deepEqual(unquoted.findings(ZONE), []);
  // A string with room for `a:mail.example.org ` (19 bytes) but not for the two ip terms (32).
  let content = 'v=spf1';
  for (let i = 1; content.length + ' -all'.length < 225; i++) content += ` ip4:198.51.100.${i}`;
  content += ' -all';
  assert.ok(content.length + 19 <= 255 && content.length + 32 > 255, `${content.length} bytes`);
  const full = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: exampleZone(`"${content}"`) });
  const [f] = full.findings(ZONE);
  assert.ok(f, 'the finding is there');
  assert.equal(f.fixes?.length ?? 0, 1, 'only a:mail.example.org (20 bytes) still fits the 255-byte string');
  assert.match(f.fixes![0].title, /a:mail\.example\.org/);
  const exclude = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: exampleZone('"v=spf1 -ip4:192.0.2.0/24 -ip6:2001:db8::/32 +all"') });
  const [x] = exclude.findings(ZONE);
  assert.equal(slice(exclude.text(ZONE), x), '-ip4:192.0.2.0/24');
  assert.equal(x.fixes, undefined, 'a deliberate exclusion is not undone by a quick-fix');
});

test('no a: fix when it would pass the 10-lookup limit', () => {
  const includes = Array.from({ length: 9 }, (_, i) => `include:s${i}.example.org`).join(' ');
  const extra = Array.from({ length: 9 }, (_, i) => `s${i} IN TXT "v=spf1 ip4:198.51.100.${i} -all"`).join('\n') + '\n';
  // Two strings, so that the one holding -all has room for any fix.
  const s = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: exampleZone(`( "v=spf1 ${includes} " "-all" )`, extra) });
  const [f] = s.findings(ZONE);
  assert.ok(f);
  assert.deepEqual(f.fixes!.map((x) => /a:/.test(x.title)), [false, true], '9 lookups + a: = 10 is allowed');
  const ten = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: exampleZone(`( "v=spf1 ${includes} " "exists:example.org -all" )`, extra) });
  const [g] = ten.findings(ZONE);
  assert.ok(g);
  assert.deepEqual(g.fixes!.map((x) => /a:/.test(x.title)), [false], '10 + 1 would be a permerror');
});

test('what the workspace cannot tell is not judged: ptr without the reverse zone, %{l} for local mail, private addresses, /etc/mailname', () => {
  const ptr = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: exampleZone('"v=spf1 ptr -all"') });
  assert.deepEqual(ptr.findings(ZONE), []);
  const local = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: exampleZone('"v=spf1 exists:%{l}.senders.example.org -all"') });
  assert.deepEqual(local.findings(ZONE), [], 'depends on who sends');
  const nat = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: exampleZone('"v=spf1 -all"').replace('192.0.2.25', '10.0.0.25').replace('2001:db8::25', 'fd00::25') });
  assert.deepEqual(nat.findings(ZONE), [], 'behind NAT receivers see another address');
  const debian = stack({ [MAIN]: 'myhostname = mail.example.org\nmyorigin = /etc/mailname\n', [ZONE]: exampleZone('"v=spf1 -all"') });
  assert.deepEqual(debian.findings(ZONE), [], 'the domain is in a file mailconf cannot read, and mail.example.org has no SPF record');
  const masquerade = stack({ [MAIN]: SENDS_AS_DOMAIN + 'masquerade_domains = example.net\n', [ZONE]: exampleZone('"v=spf1 -all"') });
  assert.deepEqual(masquerade.findings(ZONE), []);
});

test('which addresses send: inet_protocols, smtp_bind_address, a master.cf -o on the smtp transport', () => {
  const zone = exampleZone('"v=spf1 ip4:198.51.100.7 -all"');
  const v4 = stack({ [MAIN]: SENDS_AS_DOMAIN + 'inet_protocols = ipv4\n', [ZONE]: zone });
  assert.match(v4.findings(ZONE)[0].message, /from 192\.0\.2\.25, and/);
  const bound = stack({ [MAIN]: SENDS_AS_DOMAIN + 'smtp_bind_address = 192.0.2.26\n', [ZONE]: zone });
  const [b] = bound.findings(ZONE);
  assert.match(b.message, /192\.0\.2\.26 \(smtp_bind_address\) and 2001:db8::25/);
  assert.deepEqual(b.fixes!.map((f) => f.title).filter((t) => /a:/.test(t)), [], 'a:mail.example.org would not cover the bound address');
  const master = 'smtp inet n - y - - smtpd\nsmtp unix - - y - - smtp\n  -o smtp_bind_address=192.0.2.27\n';
  const [o] = stack({ [MAIN]: SENDS_AS_DOMAIN, 'postfix/master.cf': master, [ZONE]: zone }).findings(ZONE);
  assert.match(o.message, /192\.0\.2\.27 \(smtp_bind_address\)/);
});

test('the problems are made once per state of the files, and again after an edit', () => {
  const s = stack({ [MAIN]: SENDS_AS_DOMAIN, [ZONE]: exampleZone('"v=spf1 -all"') });
  const first = sendingHostSpfProblems(s.ws, DEFAULT_SETTINGS);
  assert.equal(sendingHostSpfProblems(s.ws, DEFAULT_SETTINGS), first, 'same object: memoized');
  s.ws.setOpen(s.uri(ZONE), 'dns-zone', exampleZone('"v=spf1 mx -all"'), 2);
  assert.deepEqual(sendingHostSpfProblems(s.ws, DEFAULT_SETTINGS), []);
  assert.deepEqual(s.findings(MAIN), []);
});
