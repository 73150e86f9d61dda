// SPF records built from the workspace: MX hosts, the server's addresses (main.cf, the
// zones), given addresses and includes, the relay host; checked by the SPF checks, lookups
// counted through the zones, flattened or flagged when over the limit of 10.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spfRecordFor } from '../../../server/src/core/records/spf/generate';
import { checkSpfRecord } from '../../../server/src/core/records/spf/checks';
import { countRecordLookups } from '../../../server/src/core/records/spf/lookups';
import { parseSpfRecord } from '../../../server/src/core/records/spf/parser';
import { recordTextFromString } from '../../../server/src/core/records/tags/recordTexts';
import { zoneSyncResolver } from '../../../server/src/core/dns/zoneResolver';
import { txtRdataText, zoneRecordInsertion } from '../../../server/src/core/stack/zoneInsertion';
import type { Workspace } from '../../../server/src/core/stack/workspace';
import { afterEdits, applyEdits, problems, SOA, uriOf, workspaceOf } from './helpers';

const ZONE = '/etc/bind/db.example.org';
const ZONE_TEXT = `$ORIGIN example.org.\n$TTL 300\n${SOA}@\tIN\tMX\t10 mail\nmail\tIN\tA\t192.0.2.25\n\tIN\tAAAA\t2001:db8::25\n`;
const MAIN = 'myhostname = mail.example.org\nmydomain = example.org\ninet_interfaces = all\n';

/** A provider zone whose SPF record at `name` costs `n` lookups (a:hN terms). */
function providerZone(name: string, n: number): string {
  const hosts = Array.from({ length: n }, (_, i) => `h${i}`);
  return `$ORIGIN example.net.\n$TTL 300\n@\tIN\tSOA\tns1.example.net. hm.example.net. 1 3600 600 86400 300\n@\tIN\tNS\tns1.example.net.\nns1\tIN\tA\t198.51.100.1\n` +
    `${name}\tIN\tTXT\t"v=spf1 ${hosts.map((h) => `a:${h}.example.net`).join(' ')} -all"\n` + hosts.map((h, i) => `${h}\tIN\tA\t198.51.100.${10 + i}\n`).join('');
}

/** The record is clean for the SPF checks and its count agrees with countRecordLookups. */
function assertValid(ws: Workspace, domain: string, value: string, lookups: number): void {
  const findings = checkSpfRecord(recordTextFromString(value, { owner: domain }), { resolver: zoneSyncResolver(ws) });
  assert.deepEqual(findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code), [], value);
  assert.equal(countRecordLookups(parseSpfRecord(value), domain, zoneSyncResolver(ws)).total, lookups);
  assert.ok(lookups <= 10);
}

test('from the zones and main.cf: mx, myhostname\'s A and AAAA as ip4:/ip6:, one lookup; inserted at the apex it passes the zone checks', () => {
  const ws = workspaceOf({ [ZONE]: ZONE_TEXT, '/etc/postfix/main.cf': MAIN });
  const spf = spfRecordFor(ws, 'example.org', { all: '~all' });
  assert.equal(spf.value, 'v=spf1 mx ip4:192.0.2.25 ip6:2001:db8::25 ~all');
  assert.deepEqual([spf.lookups, spf.lookupsComplete, spf.findings, spf.error], [1, true, [], undefined]);
  assert.match(spf.explanation[0], /^mx: the hosts that receive mail for example\.org \(mail\.example\.org\)/);
  assert.match(spf.explanation.join('\n'), /~all: .*softfail/);
  assertValid(ws, 'example.org', spf.value, 1);
  const edit = zoneRecordInsertion(ws, uriOf(ZONE), 'example.org', 'TXT', txtRdataText(spf.value));
  const next = afterEdits(ws, applyEdits(ws, [edit]));
  assert.deepEqual(problems(next, uriOf(ZONE)), []);
  assert.equal(spfRecordFor(ws, 'Example.ORG.', { all: '-all' }).value, 'v=spf1 mx ip4:192.0.2.25 ip6:2001:db8::25 -all');
});

test('inet_interfaces and smtp_bind_address literals are the sending addresses; private ones are left out with a note', () => {
  const ws = workspaceOf({
    '/etc/postfix/main.cf': 'myhostname = mx.example.com\ninet_interfaces = 127.0.0.1, 203.0.113.5, [2001:db8:5::1], 10.0.0.5\nsmtp_bind_address = 203.0.113.6\n',
  });
  const spf = spfRecordFor(ws, 'example.com', { all: '-all', addresses: ['198.51.100.0/24', 'not-an-ip', '2001:DB8:7::/48'] });
  // The addresses are known, so myhostname (outside the zones) needs no a: term.
  assert.equal(spf.value, 'v=spf1 ip4:203.0.113.6 ip4:203.0.113.5 ip6:2001:db8:5::1 ip4:198.51.100.0/24 ip6:2001:db8:7::/48 -all');
  const text = spf.explanation.join('\n');
  assert.match(text, /10\.0\.0\.5, a private or loopback address/);
  assert.doesNotMatch(text, /127\.0\.0\.1/, 'loopback is not reported (never a sending address)');
  assert.match(text, /"not-an-ip" is not an IPv4 or IPv6 address/);
  assert.equal(spf.lookups, 0);
  assertValid(ws, 'example.com', spf.value, 0);
});

test('myhostname outside the zones: a:HOST (one lookup); a host name equal to the domain is plain `a`', () => {
  const ws = workspaceOf({ '/etc/postfix/main.cf': 'myhostname = mail.example.net\n' });
  const spf = spfRecordFor(ws, 'example.com', { all: '~all' });
  assert.equal(spf.value, 'v=spf1 a:mail.example.net ~all');
  assert.deepEqual([spf.lookups, spf.lookupsComplete], [1, false]);
  assert.match(spf.explanation[0], /not hold; it costs one DNS lookup/);
  const same = spfRecordFor(workspaceOf({ '/etc/postfix/main.cf': 'myhostname = example.com\n' }), 'example.com', { all: '~all' });
  assert.equal(same.value, 'v=spf1 a ~all');
});

test('over 10 lookups: mx is replaced by the MX hosts\' addresses when that brings the record under the limit', () => {
  const ws = workspaceOf({ [ZONE]: ZONE_TEXT, '/etc/bind/db.example.net': providerZone('_spf', 9) });
  const spf = spfRecordFor(ws, 'example.org', { all: '~all', includes: ['_spf.example.net'] });
  assert.equal(spf.value, 'v=spf1 ip4:192.0.2.25 ip6:2001:db8::25 include:_spf.example.net ~all');
  assert.equal(spf.lookups, 10);
  assert.match(spf.explanation.join('\n'), /needed 11 DNS lookups, more than the 10 receivers allow: `mx` was replaced/);
  assertValid(ws, 'example.org', spf.value, 10);
});

test('still over 10: an error finding and an explanation, never silently', () => {
  const ws = workspaceOf({ [ZONE]: ZONE_TEXT, '/etc/bind/db.example.net': providerZone('_spf', 11) });
  const spf = spfRecordFor(ws, 'example.org', { all: '~all', includes: ['_spf.example.net'] });
  assert.ok(spf.lookups > 10);
  assert.ok(spf.findings.some((f) => f.code === 'spf/too-many-lookups' && f.severity === 'error'));
  assert.match(spf.explanation.join('\n'), /still needs 12 DNS lookups, over the limit of 10/);
});

test('relayhost: the relay\'s include is asked for (a known service named), and not once it is given', () => {
  const ws = workspaceOf({ '/etc/postfix/main.cf': 'myhostname = mail.example.org\nrelayhost = [smtp.sendgrid.net]:587\n' });
  const without = spfRecordFor(ws, 'example.org', { all: '~all' });
  assert.match(without.explanation.join('\n'), /relayhost smtp\.sendgrid\.net.*include:sendgrid\.net; add it with --include sendgrid\.net/);
  const withIt = spfRecordFor(ws, 'example.org', { all: '~all', includes: ['include:sendgrid.net'] });
  assert.equal(withIt.value, 'v=spf1 a:mail.example.org include:sendgrid.net ~all');
  assert.doesNotMatch(withIt.explanation.join('\n'), /relayhost/);
  assert.equal(withIt.lookupsComplete, false, 'sendgrid.net is not in the workspace: at least 2');
  const unknown = spfRecordFor(workspaceOf({ '/etc/postfix/main.cf': 'relayhost = relay.isp.example\n' }), 'example.org', { all: '~all' });
  assert.match(unknown.explanation.join('\n'), /relayhost relay\.isp\.example.*which its operator documents/);
});

test('an SPF record already in the zone: replace it, never add a second; nothing known: a record that allows no host', () => {
  const ws = workspaceOf({ [ZONE]: ZONE_TEXT + '@\tIN\tTXT\t"v=spf1 a -all"\n' });
  assert.match(spfRecordFor(ws, 'example.org', { all: '-all' }).explanation.join('\n'), /already publishes an SPF record.*replace it/);
  const none = spfRecordFor(workspaceOf({}), 'example.org', { all: '-all' });
  assert.equal(none.value, 'v=spf1 -all');
  assert.match(none.explanation.join('\n'), /Nothing in the workspace sends mail for example\.org/);
});

test('an invalid domain or include is refused with a reason', () => {
  const bad = spfRecordFor(workspaceOf({}), 'exa mple.org', { all: '~all' });
  assert.equal(bad.value, '');
  assert.match(bad.error ?? '', /cannot have an SPF record/);
  const inc = spfRecordFor(workspaceOf({}), 'example.org', { all: '~all', includes: ['bad..name'] });
  assert.equal(inc.value, 'v=spf1 ~all');
  assert.match(inc.explanation.join('\n'), /include "bad\.\.name" left out/);
});
