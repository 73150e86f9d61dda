// The resolver over the workspace's zone files (server/src/core/dns/zoneResolver.ts): it
// answers for names inside the zones the workspace has, says NXDOMAIN/NODATA only for a
// complete zone, follows CNAMEs and wildcards, and answers "unknown" (undefined; SERVFAIL on
// the async interface) for everything else.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zoneWorkspace } from './checksSupport';
import { WorkspaceZones, zoneResolver, zoneSyncResolver } from '../../../server/src/core/dns/zoneResolver';
import { countLookupsSync } from '../../../server/src/core/records/spf/lookups';

const ZONE = [
  '$TTL 1h', '$ORIGIN example.org.', '@ SOA ns1 hostmaster 1 2h 1h 4w 1h', '@ NS ns1', 'ns1 A 192.0.2.53',
  '@ MX 10 mail', '@ MX 20 mail2.example.net.', 'mail A 192.0.2.25', '  AAAA 2001:db8::25',
  '@ TXT "v=spf1 mx " "-all"', 'www CNAME mail', 'alias CNAME www', '*.wild A 192.0.2.99', 'x.y.deep A 192.0.2.7',
  'sub NS ns.sub', 'ns.sub A 192.0.2.54', '25.2.0.192.in-addr.arpa. PTR mail',
].join('\n') + '\n';

function zones(extra: Record<string, string> = {}) {
  return new WorkspaceZones(zoneWorkspace({ 'file:///srv/db.example.org': ZONE, ...extra }));
}

test('answers from a complete zone', () => {
  const z = zones();
  assert.deepEqual(z.addressesSync('mail.example.org', 4), { status: 'ok', records: ['192.0.2.25'], ttl: 3600 });
  assert.deepEqual(z.addressesSync('MAIL.example.org.', 6), { status: 'ok', records: ['2001:db8::25'], ttl: 3600 });
  assert.deepEqual(z.mxSync('example.org'), { status: 'ok', records: [{ preference: 10, exchange: 'mail.example.org' }, { preference: 20, exchange: 'mail2.example.net' }], ttl: 3600 });
  assert.deepEqual(z.txtSync('example.org'), { status: 'ok', records: [['v=spf1 mx ', '-all']], ttl: 3600 });
  assert.deepEqual(z.addressesSync('alias.example.org', 4), { status: 'ok', records: ['192.0.2.25'], ttl: 3600 }, 'two CNAMEs followed');
  assert.deepEqual(z.addressesSync('anything.wild.example.org', 4), { status: 'ok', records: ['192.0.2.99'], ttl: 3600 }, 'wildcard');
  assert.deepEqual(z.addressesSync('nothing.example.org', 4), { status: 'nxdomain' });
  assert.deepEqual(z.txtSync('mail.example.org'), { status: 'nodata' });
  assert.deepEqual(z.addressesSync('deep.example.org', 4), { status: 'nodata' }, 'an empty non-terminal exists');
  assert.deepEqual(z.ptrSync('25.2.0.192.in-addr.arpa'), undefined, 'out-of-zone data is not served');
});

test('unknown: other domains, delegated names, a CNAME leaving the workspace, incomplete zones', () => {
  const z = zones();
  assert.equal(z.txtSync('example.net'), undefined);
  assert.equal(z.addressesSync('host.sub.example.org', 4), undefined, 'the child zone answers');
  assert.equal(zones({ 'file:///srv/db.example.org': ZONE + 'ext CNAME target.example.net.\n' }).addressesSync('ext.example.org', 4), undefined);
  const fragment = new WorkspaceZones(zoneWorkspace({ 'file:///srv/example.org.zone': '@ TXT "v=spf1 a -all"\n' }));
  assert.deepEqual(fragment.txtSync('example.org'), { status: 'ok', records: [['v=spf1 a -all']], ttl: undefined });
  assert.equal(fragment.addressesSync('example.org', 4), undefined, 'the A record may be in the part we do not see');
  assert.equal(fragment.txtSync('other.example.org'), undefined);
});

test('the async Resolver interface: unknown is SERVFAIL with a reason', async () => {
  const r = zoneResolver(zoneWorkspace({ 'file:///srv/db.example.org': ZONE }));
  assert.deepEqual(await r.addresses('mail.example.org', 4), { status: 'ok', records: ['192.0.2.25'], ttl: 3600 });
  assert.deepEqual(await r.txt('nothing.example.org'), { status: 'nxdomain' });
  assert.deepEqual(await r.mx('example.net'), { status: 'servfail', detail: "example.net is not in the workspace's zone files" });
});

test('several zones of the workspace; the longest apex wins', () => {
  const z = zones({
    'file:///srv/db.example.net': '$TTL 1h\n$ORIGIN example.net.\n@ SOA ns1 hostmaster 1 2h 1h 4w 1h\n@ NS ns1\nns1 A 192.0.2.53\nmail2 A 192.0.2.26\n',
    'file:///srv/db.sub.example.org': '$TTL 1h\n$ORIGIN sub.example.org.\n@ SOA ns hostmaster 1 2h 1h 4w 1h\n@ NS ns\nns A 192.0.2.54\nhost A 192.0.2.55\n',
  });
  assert.deepEqual(z.addressesSync('mail2.example.net', 4), { status: 'ok', records: ['192.0.2.26'], ttl: 3600 });
  assert.deepEqual(z.addressesSync('host.sub.example.org', 4), { status: 'ok', records: ['192.0.2.55'], ttl: 3600 });
});

test('the SPF lookup count over the workspace (the SPF helper\'s SyncResolver)', () => {
  const sync = zoneSyncResolver(zoneWorkspace({ 'file:///srv/db.example.org': ZONE }));
  const count = countLookupsSync('example.org', sync);
  assert.equal(count.total, 1);
  assert.equal(count.complete, true);
});
