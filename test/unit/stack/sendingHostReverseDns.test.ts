// rdns/*: the forward-confirmed reverse DNS of the addresses a Postfix server sends from,
// judged offline from the workspace's forward and reverse zone files, over in-memory /etc
// trees. Each finding is checked on both sides (main.cf, the reverse zone), each quick-fix is
// applied and the stack checked again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import type { Finding } from '../../../server/src/core/types';
import { etcStack } from './etcStack';
import { sendingHostReverseDnsProblems } from '../../../server/src/core/stack/sendingHostReverseDns';
import { parseClientIp, reverseName } from '../../../server/src/core/records/spf/ip';

const MAIN = 'postfix/main.cf';
const FWD = 'bind/db.example.org';
const REV = 'bind/db.192.0.2';
const REV6 = 'bind/db.2001.db8';
const NO_PTR = 'rdns/sending-address-without-ptr';
const NOT_CONFIRMED = 'rdns/ptr-not-forward-confirmed';
const NOT_HELO = 'rdns/ptr-not-helo-name';
const SEVERAL = 'rdns/several-ptr-records';

/** example.org: mail at 192.0.2.25 and 2001:db8::25, plus what `extra` adds. */
function forward(extra = ''): string {
  return `$ORIGIN example.org.
$TTL 3600
@     IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 3600
      IN NS  ns1
      IN MX  10 mail
ns1   IN A   192.0.2.53
mail  IN A   192.0.2.25
mail  IN AAAA 2001:db8::25
${extra}`;
}

/** The reverse zone of 192.0.2.0/24 with the records given (owners relative to it). */
function reverse(records: string, serial = '2024010101'): string {
  return `$ORIGIN 2.0.192.in-addr.arpa.
$TTL 3600
@     IN SOA ns1.example.org. hostmaster.example.org. ${serial} 7200 3600 1209600 3600
      IN NS  ns1.example.org.
53    IN PTR ns1.example.org.
${records}`;
}

/** The reverse zone of 2001:db8::/32. */
function reverse6(records: string): string {
  return `$ORIGIN 8.b.d.0.1.0.0.2.ip6.arpa.
$TTL 3600
@     IN SOA ns1.example.org. hostmaster.example.org. 1 7200 3600 1209600 3600
      IN NS  ns1.example.org.
${records}`;
}

const V6_OWNER = '5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0';

function stack(files: Record<string, string>) {
  return etcStack(files, (f) => f.code.startsWith('rdns/'));
}

function slice(text: string, f: { range: Finding['range'] }): string {
  const lines = text.split('\n');
  return lines[f.range.start.line].slice(f.range.start.character, f.range.end.character);
}

/** The text of `path` after the edits of fix `index` that concern it (edits without a uri are the finding's own file). */
function applyFix(text: string, f: Finding, uri: string, own: boolean, index = 0): string {
  const edits = f.fixes![index].edits.filter((e) => (e.uri === undefined ? own : e.uri === uri));
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'x', 1, text), edits);
}

const HOST = 'myhostname = mail.example.org\n';
const V4_ONLY = HOST + 'inet_protocols = ipv4\n';

test('the reverse names: dotted quads reversed under in-addr.arpa, 32 nibbles under ip6.arpa', () => {
  assert.equal(reverseName(parseClientIp('192.0.2.25')!), '25.2.0.192.in-addr.arpa');
  assert.equal(reverseName(parseClientIp('2001:db8::25')!), `${V6_OWNER}.8.b.d.0.1.0.0.2.ip6.arpa`);
});

test('forward-confirmed and the HELO name: no finding on any file', () => {
  const s = stack({ [MAIN]: HOST, [FWD]: forward(), [REV]: reverse('25 IN PTR mail.example.org.\n'), [REV6]: reverse6(`${V6_OWNER} IN PTR mail.example.org.\n`) });
  for (const f of [MAIN, FWD, REV, REV6]) assert.deepEqual(s.findings(f), [], f);
  assert.deepEqual(sendingHostReverseDnsProblems(s.ws, DEFAULT_SETTINGS), []);
});

test('no PTR: a warning on myhostname and on the reverse zone\'s SOA, each pointing at the other', () => {
  const s = stack({ [MAIN]: V4_ONLY, [FWD]: forward(), [REV]: reverse('') });
  const [main] = s.findings(MAIN);
  const [zone] = s.findings(REV);
  assert.equal(s.findings(MAIN).length, 1);
  assert.equal(s.findings(REV).length, 1);
  assert.deepEqual(s.findings(FWD), []);
  assert.equal(main.code, NO_PTR);
  assert.equal(main.severity, 'warning');
  assert.equal(slice(s.text(MAIN), main), 'mail.example.org');
  assert.equal(slice(s.text(REV), zone), 'SOA');
  assert.match(main.message, /directly from 192\.0\.2\.25 \(an address of mail\.example\.org\)/);
  assert.match(main.message, /reverse zone 2\.0\.192\.in-addr\.arpa in db\.192\.0\.2 has no PTR record for it \(25\.2\.0\.192\.in-addr\.arpa\)/);
  assert.match(main.message, /Gmail, Microsoft and most spam filters refuse or score down/);
  assert.match(zone.message, /^No PTR record for 192\.0\.2\.25 \(25\.2\.0\.192\.in-addr\.arpa\) in this zone: the Postfix server mail\.example\.org \(myhostname in main\.cf\)/);
  assert.match(zone.message, /Add a PTR record for it naming mail\.example\.org, and increase the SOA serial\./);
  assert.equal(main.related![0].uri, s.uri(REV));
  assert.deepEqual(main.related![0].range, zone.range);
  assert.equal(zone.related![0].uri, s.uri(MAIN));
  assert.deepEqual(zone.related![0].range, main.range);
});

test('the no-PTR quick-fix adds the record relative to $ORIGIN, bumps the serial, and clears both sides', () => {
  const s = stack({ [MAIN]: V4_ONLY, [FWD]: forward(), [REV]: reverse('') });
  const [zone] = s.findings(REV);
  assert.equal(zone.fixes!.length, 1);
  assert.equal(zone.fixes![0].preferred, true);
  assert.match(zone.fixes![0].title, /Add the PTR record 25 → mail\.example\.org to db\.192\.0\.2 \(and increase the SOA serial\)/);
  const fixed = applyFix(s.text(REV), zone, s.uri(REV), true);
  assert.match(fixed, /\n25\tIN\tPTR\tmail\.example\.org\.\n/);
  assert.match(fixed, / 2024010102 7200/);
  const again = stack({ [MAIN]: V4_ONLY, [FWD]: forward(), [REV]: fixed });
  assert.deepEqual(again.findings(MAIN), []);
  assert.deepEqual(again.findings(REV), []);
  assert.deepEqual(again.all(REV), [], 'the fixed zone has no finding at all');
  // main.cf offers the same edits, addressed to the zone file.
  const [main] = s.findings(MAIN);
  assert.ok(main.fixes![0].edits.every((e) => e.uri === s.uri(REV)));
  assert.equal(applyFix(s.text(REV), main, s.uri(REV), false), fixed);
});

test('$ORIGIN: a /16 reverse zone gets the owner relative to the origin in effect, a later $ORIGIN its own', () => {
  const wide = `$ORIGIN 0.192.in-addr.arpa.
$TTL 3600
@     IN SOA ns1.example.org. hostmaster.example.org. 7 7200 3600 1209600 3600
      IN NS  ns1.example.org.
53.2  IN PTR ns1.example.org.
`;
  const s = stack({ [MAIN]: V4_ONLY, [FWD]: forward(), 'bind/db.192.0': wide });
  const [zone] = s.findings('bind/db.192.0');
  assert.equal(zone.code, NO_PTR);
  const fixed = applyFix(s.text('bind/db.192.0'), zone, s.uri('bind/db.192.0'), true);
  assert.match(fixed, /\n25\.2\tIN\tPTR\tmail\.example\.org\.\n/);
  assert.deepEqual(stack({ [MAIN]: V4_ONLY, [FWD]: forward(), 'bind/db.192.0': fixed }).findings('bind/db.192.0'), []);
  const sections = wide + '$ORIGIN 2.0.192.in-addr.arpa.\n99 IN PTR other.example.org.\n';
  const t = stack({ [MAIN]: V4_ONLY, [FWD]: forward('other IN A 192.0.2.99\n'), 'bind/db.192.0': sections });
  const [z] = t.findings('bind/db.192.0');
  const fixedSections = applyFix(t.text('bind/db.192.0'), z, t.uri('bind/db.192.0'), true);
  assert.match(fixedSections, /\$ORIGIN 2\.0\.192\.in-addr\.arpa\.\n99 IN PTR other\.example\.org\.\n25\tIN\tPTR\tmail\.example\.org\.\n/);
  assert.deepEqual(stack({ [MAIN]: V4_ONLY, [FWD]: forward('other IN A 192.0.2.99\n'), 'bind/db.192.0': fixedSections }).findings(MAIN), []);
});

test('IPv6: the nibble name, a finding per family, the fix with the nibbles relative to the /32 origin', () => {
  const s = stack({ [MAIN]: HOST, [FWD]: forward(), [REV]: reverse('25 IN PTR mail.example.org.\n'), [REV6]: reverse6('') });
  const [main] = s.findings(MAIN);
  assert.equal(s.findings(MAIN).length, 1, 'only the IPv6 address lacks a PTR');
  assert.match(main.message, /2001:db8::25/);
  assert.match(main.message, new RegExp(`\\(${V6_OWNER.replace(/\./g, '\\.')}\\.8\\.b\\.d\\.0\\.1\\.0\\.0\\.2\\.ip6\\.arpa\\)`));
  const [zone] = s.findings(REV6);
  const fixed = applyFix(s.text(REV6), zone, s.uri(REV6), true);
  assert.ok(fixed.includes(`\n${V6_OWNER}\tIN\tPTR\tmail.example.org.\n`), fixed);
  const again = stack({ [MAIN]: HOST, [FWD]: forward(), [REV]: reverse('25 IN PTR mail.example.org.\n'), [REV6]: fixed });
  assert.deepEqual(again.findings(MAIN), []);
  assert.deepEqual(again.all(REV6), []);
  // inet_protocols without IPv6: its address is not judged.
  assert.deepEqual(stack({ [MAIN]: V4_ONLY, [FWD]: forward(), [REV]: reverse('25 IN PTR mail.example.org.\n'), [REV6]: reverse6('') }).findings(MAIN), []);
});

test('PTR to a name that does not lead back: a warning on the PTR target and on myhostname; the fix re-points it', () => {
  for (const [target, extra, why] of [
    ['other.example.org.', 'other IN A 192.0.2.99\n', 'another address'],
    ['other.example.org.', 'other IN TXT "no address"\n', 'no A record'],
    ['gone.example.org.', '', 'the name does not exist'],
    ['mail.example.org', '', 'a relative name: mail.example.org.2.0.192.in-addr.arpa'],
  ] as const) {
    const rev = reverse(`25 IN PTR ${target}\n`);
    const s = stack({ [MAIN]: V4_ONLY, [FWD]: forward(extra), [REV]: rev });
    const [zone] = s.findings(REV);
    const [main] = s.findings(MAIN);
    assert.ok(zone && main, why);
    assert.equal(zone.code, NOT_CONFIRMED, why);
    assert.equal(main.code, NOT_CONFIRMED, why);
    assert.equal(zone.severity, 'warning');
    assert.equal(slice(s.text(REV), zone), target, why);
    assert.equal(slice(s.text(MAIN), main), 'mail.example.org');
    assert.match(zone.message, /does not resolve back to 192\.0\.2\.25/);
    assert.match(zone.message, /not forward-confirmed: receivers treat it like none/);
    assert.match(zone.message, /Point the PTR at mail\.example\.org, which has this address/);
    assert.deepEqual(main.related![0].range, zone.range);
    assert.deepEqual(zone.related![0].range, main.range);
    const fixed = applyFix(s.text(REV), zone, s.uri(REV), true);
    assert.match(fixed, /\n25 IN PTR mail\.example\.org\.\n/);
    assert.match(fixed, / 2024010102 /);
    assert.deepEqual(stack({ [MAIN]: V4_ONLY, [FWD]: forward(extra), [REV]: fixed }).findings(MAIN), [], why);
    assert.equal(applyFix(s.text(REV), main, s.uri(REV), false), fixed, 'main.cf offers the same edit');
  }
});

test('a wildcard PTR answers for the address: judged, but not re-pointed for all the others', () => {
  const s = stack({ [MAIN]: V4_ONLY, [FWD]: forward('generic IN A 192.0.2.200\n'), [REV]: reverse('* IN PTR generic.example.org.\n') });
  const [zone] = s.findings(REV);
  assert.equal(zone.code, NOT_CONFIRMED);
  assert.equal(slice(s.text(REV), zone), 'generic.example.org.');
  assert.equal(zone.fixes, undefined);
  assert.deepEqual(stack({ [MAIN]: V4_ONLY, [FWD]: forward(), [REV]: reverse('* IN PTR mail.example.org.\n') }).findings(MAIN), [], 'a wildcard naming the host leads back');
});

test('a CNAME on the way back is followed as a resolver does: confirmed', () => {
  const s = stack({ [MAIN]: V4_ONLY, [FWD]: forward('smtp IN CNAME mail\n'), [REV]: reverse('25 IN PTR smtp.example.org.\n') });
  // Confirmed through the alias; the name is not the HELO name, which is worth knowing.
  assert.deepEqual(s.findings(REV).map((f) => f.code), [NOT_HELO]);
});

test('RFC 2317: the reverse name is a CNAME into a classless zone of the workspace; the record goes there', () => {
  const parent = reverse('0-63 IN NS ns.provider.example.\n25 IN CNAME 25.0-63.2.0.192.in-addr.arpa.\n');
  const child = `$ORIGIN 0-63.2.0.192.in-addr.arpa.
$TTL 3600
@  IN SOA ns1.example.org. hostmaster.example.org. 5 7200 3600 1209600 3600
   IN NS  ns1.example.org.
`;
  const s = stack({ [MAIN]: V4_ONLY, [FWD]: forward(), [REV]: parent, 'bind/db.192.0.2.0-63': child });
  assert.deepEqual(s.findings(REV), []);
  const [zone] = s.findings('bind/db.192.0.2.0-63');
  assert.equal(zone.code, NO_PTR);
  const fixed = applyFix(s.text('bind/db.192.0.2.0-63'), zone, s.uri('bind/db.192.0.2.0-63'), true);
  assert.match(fixed, /\n25\tIN\tPTR\tmail\.example\.org\.\n/);
  assert.match(fixed, / 6 7200/);
  assert.match(s.findings(MAIN)[0].message, /\(25\.2\.0\.192\.in-addr\.arpa, an alias of 25\.0-63\.2\.0\.192\.in-addr\.arpa\)/);
  assert.deepEqual(stack({ [MAIN]: V4_ONLY, [FWD]: forward(), [REV]: parent, 'bind/db.192.0.2.0-63': fixed }).findings(MAIN), []);
  // The CNAME leads into the delegated zone, which is not in the workspace: not judged.
  // Without the delegation the parent answers for the target itself: it does not exist there.
  assert.deepEqual(stack({ [MAIN]: V4_ONLY, [FWD]: forward(), [REV]: reverse('25 IN CNAME 25.0-63.2.0.192.in-addr.arpa.\n') }).findings(MAIN).map((f) => f.code), [NO_PTR]);
  assert.deepEqual(stack({ [MAIN]: V4_ONLY, [FWD]: forward(), [REV]: parent }).findings(MAIN), []);
});

test('forward-confirmed, but not the HELO name: information on the PTR and where the HELO name is set; the fix points the PTR at it', () => {
  const s = stack({ [MAIN]: V4_ONLY, [FWD]: forward('mx IN A 192.0.2.25\n'), [REV]: reverse('25 IN PTR mx.example.org.\n') });
  const [zone] = s.findings(REV);
  const [main] = s.findings(MAIN);
  assert.equal(zone.code, NOT_HELO);
  assert.equal(zone.severity, 'information');
  assert.equal(main.severity, 'information');
  assert.equal(slice(s.text(REV), zone), 'mx.example.org.');
  assert.equal(slice(s.text(MAIN), main), 'mail.example.org');
  assert.match(main.message, /forward-confirmed, but the server greets receivers with HELO mail\.example\.org \(myhostname\)/);
  assert.match(main.message, /Point the PTR at mail\.example\.org \(it has this address\), or make mx\.example\.org the HELO name/);
  const fixed = applyFix(s.text(REV), zone, s.uri(REV), true);
  assert.deepEqual(stack({ [MAIN]: V4_ONLY, [FWD]: forward('mx IN A 192.0.2.25\n'), [REV]: fixed }).findings(REV), []);
  // The other way round: make the PTR name the HELO name.
  assert.deepEqual(stack({ [MAIN]: V4_ONLY + 'smtp_helo_name = mx.example.org\n', [FWD]: forward('mx IN A 192.0.2.25\n'), [REV]: reverse('25 IN PTR mx.example.org.\n') }).findings(MAIN), []);
  // smtp_helo_name names a host without this address: the finding sits on smtp_helo_name, no fix.
  const helo = stack({ [MAIN]: V4_ONLY + 'smtp_helo_name = out.example.org\n', [FWD]: forward('out IN A 192.0.2.80\n'), [REV]: reverse('25 IN PTR mail.example.org.\n') });
  const [h] = helo.findings(MAIN);
  assert.equal(h.code, NOT_HELO);
  assert.equal(slice(helo.text(MAIN), h), 'out.example.org');
  assert.match(h.message, /HELO out\.example\.org \(smtp_helo_name\)/);
  assert.match(h.message, /Make mail\.example\.org the HELO name/);
  assert.equal(h.fixes, undefined);
  const [hz] = helo.findings(REV);
  assert.ok(hz.related!.some((r) => r.range.start.line === 2 && /HELO name/.test(r.message)));
});

test('several PTR records, one of them the HELO name: information (receivers pick one)', () => {
  const s = stack({ [MAIN]: V4_ONLY, [FWD]: forward('www IN A 192.0.2.25\n'), [REV]: reverse('25 IN PTR mail.example.org.\n25 IN PTR www.example.org.\n') });
  const zone = s.findings(REV);
  assert.deepEqual(zone.map((f) => f.code), [SEVERAL, SEVERAL], 'one on each PTR record');
  assert.deepEqual(zone.map((f) => slice(s.text(REV), f)), ['mail.example.org.', 'www.example.org.']);
  const [main] = s.findings(MAIN);
  assert.equal(main.code, SEVERAL);
  assert.equal(main.severity, 'information');
  assert.match(main.message, /2 PTR records in db\.192\.0\.2 \(mail\.example\.org and www\.example\.org\)/);
  assert.match(main.message, /Keep one PTR record for the address, naming mail\.example\.org\./);
  // Several, none leading back: the warning names them all; the main.cf side leaves the choice to the zone.
  const none = stack({ [MAIN]: V4_ONLY, [FWD]: forward(), [REV]: reverse('25 IN PTR a.example.org.\n25 IN PTR b.example.org.\n') });
  assert.deepEqual(none.findings(REV).map((f) => f.code), [NOT_CONFIRMED, NOT_CONFIRMED]);
  const [m] = none.findings(MAIN);
  assert.match(m.message, /names a\.example\.org and b\.example\.org, but none of these names resolves back/);
  assert.equal(m.fixes, undefined);
  assert.equal(m.related!.length, 2);
});

test('what the workspace cannot tell is not judged', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['no reverse zone', { [MAIN]: V4_ONLY, [FWD]: forward() }],
    ['a reverse zone without SOA', { [MAIN]: V4_ONLY, [FWD]: forward(), [REV]: reverse('').replace(/^@ .*SOA.*\n/m, '') }],
    ['an $INCLUDE that is not in the workspace', { [MAIN]: V4_ONLY, [FWD]: forward(), [REV]: reverse('$INCLUDE /etc/bind/rev.inc\n') }],
    ['a delegation below the reverse zone', { [MAIN]: V4_ONLY, [FWD]: forward(), 'bind/db.192.0': '$ORIGIN 0.192.in-addr.arpa.\n$TTL 3600\n@ IN SOA ns1.example.org. h.example.org. 1 2 3 4 5\n  IN NS ns1.example.org.\n2 IN NS ns.provider.example.\n' }],
    ['the PTR name outside the workspace', { [MAIN]: V4_ONLY, [FWD]: forward(), [REV]: reverse('25 IN PTR mail.provider.example.\n') }],
    ['the PTR name in a forward zone without SOA', { [MAIN]: V4_ONLY, [FWD]: forward(), [REV]: reverse('25 IN PTR x.example.net.\n'), 'bind/db.example.net': '$ORIGIN example.net.\nx IN A 192.0.2.99\n' }],
    ['a private address (NAT)', { [MAIN]: V4_ONLY, [FWD]: forward().replace('192.0.2.25', '10.0.0.25'), 'bind/db.10': '$ORIGIN 10.in-addr.arpa.\n$TTL 3600\n@ IN SOA ns1.example.org. h.example.org. 1 2 3 4 5\n  IN NS ns1.example.org.\n' }],
    ['a relayhost', { [MAIN]: V4_ONLY + 'relayhost = [smtp.provider.example]:587\n', [FWD]: forward(), [REV]: reverse('') }],
    ['a default_transport with a next hop', { [MAIN]: V4_ONLY + 'default_transport = smtp:[smarthost.example]\n', [FWD]: forward(), [REV]: reverse('') }],
    ['myhostname without an address in the zones', { [MAIN]: 'myhostname = mx9.example.org\ninet_protocols = ipv4\n', [FWD]: forward(), [REV]: reverse('') }],
    ['myhostname not set', { [MAIN]: 'inet_protocols = ipv4\n', [FWD]: forward(), [REV]: reverse('') }],
  ];
  for (const [why, files] of cases) {
    const s = stack(files);
    for (const path of Object.keys(files)) assert.deepEqual(s.findings(path), [], `${why}: ${path}`);
  }
});

test('a pinned source address: the finding sits on smtp_bind_address (main.cf) or on the -o in master.cf', () => {
  const s = stack({ [MAIN]: V4_ONLY + 'smtp_bind_address = 192.0.2.26\n', [FWD]: forward(), [REV]: reverse('25 IN PTR mail.example.org.\n') });
  const [main] = s.findings(MAIN);
  assert.equal(main.code, NO_PTR);
  assert.equal(slice(s.text(MAIN), main), '192.0.2.26');
  assert.match(main.message, /192\.0\.2\.26 \(smtp_bind_address\)/);
  assert.match(main.message, /give mail\.example\.org the address 192\.0\.2\.26/, 'no name has the address: no fix, the advice says so');
  assert.equal(main.fixes, undefined);
  const master = 'smtp inet n - y - - smtpd\nsmtp unix - - y - - smtp\n  -o smtp_bind_address=192.0.2.27\n';
  const m = stack({ [MAIN]: V4_ONLY, 'postfix/master.cf': master, [FWD]: forward('mail IN A 192.0.2.27\n'), [REV]: reverse('25 IN PTR mail.example.org.\n') });
  const [o] = m.findings('postfix/master.cf');
  assert.equal(o.code, NO_PTR);
  assert.equal(slice(m.text('postfix/master.cf'), o), '192.0.2.27');
  assert.deepEqual(m.findings(MAIN), []);
  assert.match(o.fixes![0].title, /Add the PTR record 27 → mail\.example\.org/);
});

test('the problems are made once per state of the files, and again after an edit of either side', () => {
  const s = stack({ [MAIN]: V4_ONLY, [FWD]: forward(), [REV]: reverse('') });
  const first = sendingHostReverseDnsProblems(s.ws, DEFAULT_SETTINGS);
  assert.equal(first.length, 1);
  assert.equal(sendingHostReverseDnsProblems(s.ws, DEFAULT_SETTINGS), first, 'same object: memoized');
  s.ws.setOpen(s.uri(REV), 'dns-zone', reverse('25 IN PTR mail.example.org.\n'), 2);
  assert.deepEqual(sendingHostReverseDnsProblems(s.ws, DEFAULT_SETTINGS), []);
  assert.deepEqual(s.findings(MAIN), []);
  s.ws.setOpen(s.uri(MAIN), 'postfix-main', V4_ONLY + 'smtp_helo_name = mx.example.org\n', 2);
  s.ws.setOpen(s.uri(FWD), 'dns-zone', forward('mx IN A 192.0.2.25\n'), 2);
  assert.deepEqual(s.findings(REV).map((f) => f.code), [NOT_HELO]);
});
