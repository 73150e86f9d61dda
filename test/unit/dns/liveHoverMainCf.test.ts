// Live DNS hovers on main.cf host and domain names (core/dns/liveHover.ts) and on `_dmarc`
// zone owners, over the in-memory resolver: which words are targets (literal names only,
// not $names, lookup tables or files), which questions each asks, and how the answers
// compare with the workspace's zone files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { MemoryResolver, type MemoryRecord } from '../../../server/src/core/dns/memoryResolver';
import { dnsName, liveDnsMarkdown, liveDnsTargetAt, queryLiveTarget, spfRecordDomainAt } from '../../../server/src/core/dns/liveHover';
import type { AnalysisContext } from '../../../server/src/core/context';

const MAIN = [
  'myhostname = mail.example.org',
  'mydomain = example.org',
  'myorigin = $mydomain',
  'mydestination = $myhostname, localhost.$mydomain, localhost, example.org, hash:/etc/postfix/dest',
  'relayhost = [smtp.provider.example]:587',
  'smtp_helo_name = helo.example.org',
  'relay_domains = relay.example.net /etc/postfix/relay_domains',
  'virtual_mailbox_domains = vmail.example.com',
  'virtual_alias_domains = $virtual_alias_maps',
  'inet_interfaces = all',
  '',
].join('\n');

const ZONE = [
  '$ORIGIN example.org.',
  '$TTL 300',
  '@ IN SOA ns hostmaster 1 3600 600 86400 60',
  '@ IN NS ns',
  'ns IN A 192.0.2.53',
  '@ IN MX 10 mail',
  '@ IN TXT "v=spf1 mx -all"',
  'mail IN A 192.0.2.10',
  '_dmarc IN TXT "v=DMARC1; p=reject"',
  '',
].join('\n');

function ctxOf(text: string, withZone = true): AnalysisContext {
  const ws = new Workspace();
  if (withZone) ws.setOnDisk('file:///zones/example.org.zone', 'dns-zone', ZONE);
  const doc = ws.setOpen('file:///etc/postfix/main.cf', 'postfix-main', text, 1);
  return { doc, workspace: ws, settings: DEFAULT_SETTINGS };
}

const at = (ctx: AnalysisContext, line: number, needle: string) => {
  const text = MAIN.split('\n')[line];
  const col = text.indexOf(needle);
  assert.ok(col >= 0, `${needle} on line ${line}`);
  return liveDnsTargetAt(ctx, { line, character: col + 1 });
};

test('main.cf: literal host and domain names are targets, with the questions Postfix would ask', () => {
  const ctx = ctxOf(MAIN);
  assert.deepEqual(at(ctx, 0, 'mail.example.org'), { name: 'mail.example.org', type: 'HOST', range: { start: { line: 0, character: 13 }, end: { line: 0, character: 29 } } });
  assert.equal(at(ctx, 1, 'example.org')?.type, 'MAILDOMAIN');
  assert.equal(at(ctx, 3, 'example.org, hash')?.name, 'example.org');
  assert.deepEqual({ ...at(ctx, 4, 'smtp.provider')!, range: undefined }, { name: 'smtp.provider.example', type: 'HOST', range: undefined }, '[host]:port: the host\'s addresses');
  assert.equal(at(ctx, 5, 'helo.example.org')?.type, 'HOST');
  assert.equal(at(ctx, 6, 'relay.example.net')?.type, 'MAILDOMAIN');
  assert.equal(at(ctx, 7, 'vmail.example.com')?.type, 'MAILDOMAIN');
});

test('main.cf: $names, lookup tables, files, single labels, IP literals and other parameters are not targets', () => {
  const ctx = ctxOf(MAIN);
  assert.equal(at(ctx, 2, '$mydomain'), undefined);
  assert.equal(at(ctx, 3, '$myhostname'), undefined);
  assert.equal(at(ctx, 3, 'localhost.$mydomain'), undefined);
  assert.equal(at(ctx, 3, 'localhost,'), undefined);
  assert.equal(at(ctx, 3, 'hash:'), undefined);
  assert.equal(at(ctx, 6, '/etc/postfix/relay_domains'), undefined);
  assert.equal(at(ctx, 8, '$virtual_alias_maps'), undefined);
  assert.equal(at(ctx, 9, 'all'), undefined);
  assert.equal(liveDnsTargetAt(ctx, { line: 0, character: 2 }), undefined, 'the parameter name');
  const ip = ctxOf('relayhost = [192.0.2.25]:25\n');
  assert.equal(liveDnsTargetAt(ip, { line: 0, character: 14 }), undefined);
  const bare = ctxOf('relayhost = relay.example.net:2525\n');
  assert.deepEqual(liveDnsTargetAt(bare, { line: 0, character: 14 })?.type, 'MX', 'a bare relayhost is looked up as MX');
  // A database client file in a postfix folder is not main.cf.
  const ws = new Workspace();
  const doc = ws.setOpen('file:///etc/postfix/mysql-domains.cf', 'postfix-main', 'myhostname = db.example.org\n', 1);
  assert.equal(liveDnsTargetAt({ doc, workspace: ws, settings: DEFAULT_SETTINGS }, { line: 0, character: 15 }), undefined);
});

test('dnsName: names with two or more valid labels only', () => {
  assert.equal(dnsName('Mail.Example.ORG.'), 'mail.example.org');
  assert.equal(dnsName('_dmarc.example.org'), '_dmarc.example.org');
  for (const bad of ['localhost', '192.0.2.1', 'a..b', '-a.example', 'a-.example', '', 'x'.repeat(64) + '.example']) assert.equal(dnsName(bad), undefined, bad);
});

const LIVE: Record<string, MemoryRecord[]> = {
  'example.org': [
    { type: 'MX', preference: 10, exchange: 'mail.example.org.' },
    { type: 'TXT', strings: ['v=spf1 mx ~all'] },
    { type: 'TXT', strings: ['google-site-verification=abc'] },
  ],
  '_dmarc.example.org': [{ type: 'TXT', strings: ['v=DMARC1; p=reject'] }],
  'mail.example.org': [{ type: 'A', value: '192.0.2.10' }],
};

test('a mail domain asks MX, SPF and DMARC; each is compared with the zone files', async () => {
  const ctx = ctxOf(MAIN);
  const r = new MemoryResolver(LIVE);
  const target = at(ctx, 1, 'example.org')!;
  const live = await queryLiveTarget(r, target);
  assert.deepEqual(r.queries.sort(), ['MX example.org', 'TXT _dmarc.example.org', 'TXT example.org']);
  assert.equal(live.status, 'ok');
  assert.deepEqual(live.parts?.map((p) => [p.label, p.name, p.answer.status]), [['MX', 'example.org', 'ok'], ['SPF', 'example.org', 'ok'], ['DMARC', '_dmarc.example.org', 'ok']]);
  const md = liveDnsMarkdown(ctx, target, live);
  assert.match(md, /^\*\*Live DNS\*\* — `example\.org` mail domain \(MX, SPF, DMARC\)/);
  assert.match(md, /\*\*MX\*\*: 1 record\n- `10 mail\.example\.org`\n\nSame as the zone files/);
  assert.match(md, /\*\*SPF\*\*: 1 record\n- `v=spf1 mx ~all`\n\n\*\*Differs from the zone files of this workspace\*\*:\n- only in the zone files: `v=spf1 mx -all`\n- only in DNS: `v=spf1 mx ~all`/);
  assert.ok(!md.includes('google-site-verification'), 'other TXT records are not SPF');
  assert.match(md, /\*\*DMARC\*\* \(`_dmarc\.example\.org`\): 1 record\n- `v=DMARC1; p=reject`\n\nSame as the zone files/);
});

test('a host asks A and AAAA; a missing DMARC record and a failing part are told apart', async () => {
  const ctx = ctxOf(MAIN);
  const host = at(ctx, 0, 'mail.example.org')!;
  const r = new MemoryResolver({ ...LIVE, 'mail.example.org': [{ type: 'A', value: '192.0.2.10' }, { type: 'TIMEOUT', rrtype: 'AAAA' }] });
  const live = await queryLiveTarget(r, host);
  assert.equal(live.status, 'ok');
  const md = liveDnsMarkdown(ctx, host, live);
  assert.match(md, /host \(A\/AAAA\)/);
  assert.match(md, /\*\*A\*\*: 1 record\n- `192\.0\.2\.10`\n\nSame as the zone files/);
  assert.match(md, /\*\*AAAA\*\*: no DNS server answered in time$/);

  const domain = at(ctx, 1, 'example.org')!;
  const none = new MemoryResolver({ 'example.org': [{ type: 'MX', preference: 10, exchange: 'mail.example.org' }] });
  const md2 = liveDnsMarkdown(ctx, domain, await queryLiveTarget(none, domain));
  assert.match(md2, /\*\*SPF\*\*: no SPF record\n\n\*\*Differs from the zone files of this workspace\*\*: they have 1 record here, DNS none/);
  assert.match(md2, /\*\*DMARC\*\* \(`_dmarc\.example\.org`\): the name does not exist \(NXDOMAIN\)/);

  const down = new MemoryResolver({ 'example.org': [{ type: 'SERVFAIL' }], '_dmarc.example.org': [{ type: 'SERVFAIL' }] });
  const failed = await queryLiveTarget(down, domain);
  assert.equal(failed.status, 'servfail', 'no part has records: the summary is the failure');
  assert.equal(liveDnsMarkdown(ctx, domain, 'pending'), '**Live DNS** — `example.org` mail domain (MX, SPF, DMARC): looking up … (hover again in a moment)');
});

test('without zone files the hover says they do not cover the name; a resolver that throws is a failed part', async () => {
  const ctx = ctxOf(MAIN, false);
  const target = at(ctx, 5, 'helo.example.org')!;
  const thrower = { addresses: async () => { throw new Error('boom'); }, mx: async () => ({ status: 'nodata' as const }), txt: async () => ({ status: 'nodata' as const }), ptr: async () => ({ status: 'nodata' as const }) };
  const live = await queryLiveTarget(thrower, target);
  assert.equal(live.status, 'servfail');
  const md = liveDnsMarkdown(ctx, target, live);
  assert.match(md, /\*\*A\*\*: the lookup failed \(boom\)/);
  const r = new MemoryResolver({ 'helo.example.org': [{ type: 'A', value: '192.0.2.11' }] });
  assert.match(liveDnsMarkdown(ctx, target, await queryLiveTarget(r, target)), /\*\*A\*\*: 1 record\n- `192\.0\.2\.11`\n\nThe zone files of this workspace do not say what this name should hold\./);
});

test('zone: hovering a `_dmarc` owner shows the published DMARC record beside the zone file\'s', async () => {
  const ws = new Workspace();
  const doc = ws.setOpen('file:///zones/example.org.zone', 'dns-zone', ZONE, 1);
  const ctx = { doc, workspace: ws, settings: DEFAULT_SETTINGS };
  const line = ZONE.split('\n').findIndex((l) => l.startsWith('_dmarc'));
  const target = liveDnsTargetAt(ctx, { line, character: 2 });
  assert.deepEqual(target && { name: target.name, type: target.type }, { name: '_dmarc.example.org', type: 'TXT' });
  const md = liveDnsMarkdown(ctx, target!, await queryLiveTarget(new MemoryResolver({ '_dmarc.example.org': [{ type: 'TXT', strings: ['v=DMARC1; p=none'] }] }), target!));
  assert.match(md, /`_dmarc\.example\.org` TXT: 1 record\n- `v=DMARC1; p=none`/);
  assert.match(md, /only in the zone files: `v=DMARC1; p=reject`/);
});

test('zone: the domain of the SPF record under the cursor (for the live totals in its hover)', () => {
  const ws = new Workspace();
  const doc = ws.setOpen('file:///zones/example.org.zone', 'dns-zone', ZONE, 1);
  const ctx = { doc, workspace: ws, settings: DEFAULT_SETTINGS };
  const lines = ZONE.split('\n');
  const spf = lines.findIndex((l) => l.includes('v=spf1'));
  assert.equal(spfRecordDomainAt(ctx, { line: spf, character: lines[spf].indexOf('v=spf1') + 2 }), 'example.org');
  assert.equal(spfRecordDomainAt(ctx, { line: spf, character: 0 }), undefined, 'on the owner, not the record');
  const dmarc = lines.findIndex((l) => l.startsWith('_dmarc'));
  assert.equal(spfRecordDomainAt(ctx, { line: dmarc, character: lines[dmarc].indexOf('p=reject') }), undefined, 'not an SPF record');
  assert.equal(spfRecordDomainAt(ctxOf(MAIN), { line: 0, character: 15 }), undefined, 'not a zone');
});
