// The mail host identity report (core/dns/mailDomain.ts) over the in-memory resolver: what
// the workspace says (main.cf, zone files, KeyTables), each check's pass/warn/fail with its
// evidence, DNS failures as warn lines (never a crash), and the Markdown.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { MemoryResolver, type MemoryRecord } from '../../../server/src/core/dns/memoryResolver';
import { checkMailDomain, mailDomainFacts, renderMailDomainReport, type MailDomainReport } from '../../../server/src/core/dns/mailDomain';

const key = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
const otherKey = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
const spki = (k: crypto.KeyObject) => k.export({ type: 'spki', format: 'der' }) as Buffer;
const inlinePrivate = (key.privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64');

const MAIN = 'myhostname = mail.example.org\nmydestination = $myhostname, localhost\ninet_interfaces = all\n';
const ZONE = ['$ORIGIN example.org.', '$TTL 300', '@ IN SOA ns hostmaster 1 3600 600 86400 60', '@ IN NS ns', 'ns IN A 192.0.2.53', '@ IN MX 10 mail', 'mail IN A 192.0.2.10', ''].join('\n');
const KEYTABLE = 'mail._domainkey.example.org example.org:mail:/etc/opendkim/keys/mail.private\nother example.net:sel:/etc/opendkim/keys/other.private\n';

function workspace(files: { main?: string; zone?: string; keytable?: string } = { main: MAIN, zone: ZONE, keytable: KEYTABLE }): Workspace {
  const ws = new Workspace();
  if (files.main !== undefined) ws.setOnDisk('file:///etc/postfix/main.cf', 'postfix-main', files.main);
  if (files.zone !== undefined) ws.setOnDisk('file:///etc/bind/example.org.zone', 'dns-zone', files.zone);
  if (files.keytable !== undefined) ws.setOnDisk('file:///etc/opendkim/KeyTable', 'opendkim-keytable', files.keytable);
  return ws;
}

const txt = (s: string): MemoryRecord => ({ type: 'TXT', strings: [s] });
const ptr = (v: string): MemoryRecord => ({ type: 'PTR', value: v });

/** A domain where everything is right. */
function good(): Record<string, MemoryRecord[]> {
  return {
    'example.org': [{ type: 'MX', preference: 10, exchange: 'mail.example.org' }, txt('v=spf1 mx -all')],
    'mail.example.org': [{ type: 'A', value: '192.0.2.10' }, { type: 'AAAA', value: '2001:db8::10' }],
    '10.2.0.192.in-addr.arpa': [ptr('mail.example.org.')],
    '0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa': [ptr('mail.example.org')],
    '_dmarc.example.org': [txt('v=DMARC1; p=reject; rua=mailto:dmarc@example.org')],
    'mail._domainkey.example.org': [txt(`v=DKIM1; k=rsa; p=${spki(key.publicKey).toString('base64')}`)],
  };
}

const summary = (r: MailDomainReport) => r.lines.map((l) => `${l.status} ${l.check}${l.subject ? ' ' + l.subject : ''}`);

test('facts: main.cf names, mydomain derived from myhostname, the zone files\' MX, the KeyTable selectors of the domain', () => {
  const f = mailDomainFacts(workspace());
  assert.deepEqual({ ...f, mainCf: undefined }, {
    domain: 'example.org', domainFrom: 'mydomain', mainCf: undefined, myhostname: 'mail.example.org', mydomain: 'example.org', heloName: 'mail.example.org',
    sourceAddresses: [], zoneMx: [{ preference: 10, exchange: 'mail.example.org' }],
    dkim: [{ selector: 'mail', keyName: 'mail._domainkey.example.org', keyFile: { path: '/etc/opendkim/keys/mail.private', uri: 'file:///etc/opendkim/opendkim/keys/mail.private' } }],
    notes: [],
  });
  assert.equal(f.mainCf, 'file:///etc/postfix/main.cf');
});

test('facts: $name expansion, smtp_helo_name, source addresses from smtp_bind_address or a single inet_interfaces address', () => {
  const a = mailDomainFacts(workspace({ main: 'mydomain = Example.ORG\nmyhostname = mx1.$mydomain\nsmtp_helo_name = out.$mydomain\ninet_interfaces = 127.0.0.1, 192.0.2.25, [2001:db8::25]\n' }));
  assert.deepEqual([a.myhostname, a.mydomain, a.heloName, a.domain], ['mx1.example.org', 'example.org', 'out.example.org', 'example.org']);
  assert.deepEqual(a.sourceAddresses, [{ address: '192.0.2.25', from: 'inet_interfaces' }, { address: '2001:db8::25', from: 'inet_interfaces' }]);
  const b = mailDomainFacts(workspace({ main: 'myhostname = mail.example.org\nsmtp_bind_address = 192.0.2.99\ninet_interfaces = 192.0.2.25, 192.0.2.26\n' }));
  assert.deepEqual(b.sourceAddresses, [{ address: '192.0.2.99', from: 'smtp_bind_address' }]);
  const c = mailDomainFacts(workspace({ main: 'myhostname = host\ninet_interfaces = 192.0.2.25, 192.0.2.26\n' }));
  assert.deepEqual([c.mydomain, c.domain, c.sourceAddresses], ['localdomain', '', []], 'a single-label myhostname: mydomain is localdomain, not a mail domain');
  assert.match(c.notes.join(' '), /No mail domain/);
});

test('facts: without main.cf the domain comes from the argument or a zone with MX; several main.cf: the one about the domain', () => {
  const none = mailDomainFacts(workspace({ zone: ZONE }));
  assert.deepEqual([none.domain, none.domainFrom, none.myhostname], ['example.org', 'zone files', undefined]);
  assert.match(none.notes[0], /No main\.cf in the workspace/);
  assert.equal(mailDomainFacts(new Workspace(), 'Other.Example.').domain, 'other.example');
  const ws = workspace({ main: 'myhostname = mx.example.net\n' });
  ws.setOnDisk('file:///srv/b/postfix/main.cf', 'postfix-main', 'myhostname = mail.example.org\n');
  const f = mailDomainFacts(ws, 'example.org');
  assert.equal(f.myhostname, 'mail.example.org');
  assert.match(f.notes[0], /2 main\.cf files; the host facts come from file:\/\/\/srv\/b\/postfix\/main\.cf/);
});

test('facts: an inline KeyTable key is marked, never copied', () => {
  const f = mailDomainFacts(workspace({ main: MAIN, keytable: `k1 example.org:inl:${inlinePrivate}\n` }));
  assert.deepEqual(f.dkim, [{ selector: 'inl', keyName: 'k1', inlineKey: true }]);
  assert.ok(!JSON.stringify(f).includes(inlinePrivate.slice(10, 50)));
});

test('a good domain: every check passes, with its evidence', async () => {
  const r = await checkMailDomain(mailDomainFacts(workspace()), new MemoryResolver(good()));
  assert.deepEqual(summary(r), [
    'pass mx example.org',
    'pass address mail.example.org',
    'pass fcrdns 192.0.2.10',
    'pass fcrdns 2001:db8::10',
    'pass helo mail.example.org',
    'pass spf-record example.org',
    'pass spf-lookups example.org',
    'pass spf-authorizes 192.0.2.10',
    'pass spf-authorizes 2001:db8::10',
    'pass dmarc example.org',
    'pass dkim mail._domainkey.example.org',
  ]);
  assert.deepEqual(r.counts, { pass: 11, warn: 0, fail: 0, info: 0 });
  const fcrdns = r.lines.find((l) => l.check === 'fcrdns')!;
  assert.deepEqual(fcrdns.evidence, ['PTR 192.0.2.10: mail.example.org', 'mail.example.org resolves back to 192.0.2.10']);
  const md = renderMailDomainReport(r);
  assert.match(md, /^# Mail domain check: `example\.org`\n\n0 fail, 0 warn, 11 pass — checked against live DNS\./);
  assert.match(md, /- \*\*PASS\*\* 192\.0\.2\.10 has forward-confirmed reverse DNS: mail\.example\.org\n  - PTR 192\.0\.2\.10: mail\.example\.org/);
  assert.match(md, /- \*\*PASS\*\* example\.org has a DMARC record: p=reject/);
});

test('a broken domain: MX host without address, no PTR, PTR that does not lead back, SPF that does not cover, no DMARC, DKIM not published', async () => {
  const dns = good();
  dns['example.org'] = [{ type: 'MX', preference: 10, exchange: 'mail.example.org' }, { type: 'MX', preference: 20, exchange: 'backup.example.org' }, txt('v=spf1 ip4:198.51.100.0/24 -all')];
  delete dns['10.2.0.192.in-addr.arpa'];
  dns['0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa'] = [ptr('dynamic.isp.example')];
  dns['dynamic.isp.example'] = [{ type: 'AAAA', value: '2001:db8::99' }];
  delete dns['_dmarc.example.org'];
  delete dns['mail._domainkey.example.org'];
  const r = await checkMailDomain(mailDomainFacts(workspace()), new MemoryResolver(dns));
  assert.deepEqual(summary(r), [
    'pass mx example.org',
    'warn mx-zone example.org',
    'pass address mail.example.org',
    'fail address backup.example.org',
    'fail fcrdns 192.0.2.10',
    'fail fcrdns 2001:db8::10',
    'warn helo mail.example.org',
    'pass spf-record example.org',
    'pass spf-lookups example.org',
    'fail spf-authorizes 192.0.2.10',
    'fail spf-authorizes 2001:db8::10',
    'fail dmarc example.org',
    'fail dkim mail._domainkey.example.org',
  ]);
  const line = (check: string, subject: string) => r.lines.find((l) => l.check === check && l.subject === subject)!;
  assert.match(line('address', 'backup.example.org').title, /backup\.example\.org \(MX\) has no A or AAAA record/);
  assert.match(line('fcrdns', '192.0.2.10').title, /has no PTR record$/);
  assert.match(line('fcrdns', '2001:db8::10').title, /PTR \(dynamic\.isp\.example\) does not resolve back to it/);
  assert.match(line('spf-authorizes', '192.0.2.10').evidence.join('\n'), /= fail[\s\S]*Add ip4:192\.0\.2\.10/);
  assert.match(line('dkim', 'mail._domainkey.example.org').title, /selector mail \(KeyTable mail\._domainkey\.example\.org\) is not published/);
  assert.equal(r.counts.fail, 7);
});

test('an MX host that does not send: missing PTR and SPF are warnings; myhostname\'s PTR to another confirmed name is a warning', async () => {
  const dns = good();
  dns['example.org'] = [{ type: 'MX', preference: 10, exchange: 'mail.example.org' }, { type: 'MX', preference: 20, exchange: 'inbound.example.org' }, txt('v=spf1 a:mail.example.org -all')];
  dns['inbound.example.org'] = [{ type: 'A', value: '192.0.2.30' }];
  dns['0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa'] = [ptr('mail6.example.org')];
  dns['mail6.example.org'] = [{ type: 'AAAA', value: '2001:db8::10' }];
  const r = await checkMailDomain(mailDomainFacts(workspace({ main: MAIN, keytable: KEYTABLE })), new MemoryResolver(dns));
  const bySubject = (check: string, s: string) => r.lines.find((l) => l.check === check && l.subject === s)?.status;
  assert.equal(bySubject('fcrdns', '192.0.2.30'), 'warn');
  assert.equal(bySubject('spf-authorizes', '192.0.2.30'), 'warn');
  assert.equal(bySubject('fcrdns', '2001:db8::10'), 'warn');
  assert.match(r.lines.find((l) => l.subject === '2001:db8::10' && l.check === 'fcrdns')!.title, /points back to mail6\.example\.org, not to mail\.example\.org/);
  assert.equal(r.counts.fail, 0);
});

test('DNS down (timeouts, SERVFAIL, a resolver that throws): warn lines saying what could not be checked, no fail, no crash', async () => {
  const facts = mailDomainFacts(workspace());
  for (const rec of [{ type: 'TIMEOUT' } as MemoryRecord, { type: 'SERVFAIL' } as MemoryRecord]) {
    const names = ['example.org', '_dmarc.example.org', 'mail._domainkey.example.org', 'mail.example.org'];
    const r = await checkMailDomain(facts, new MemoryResolver(Object.fromEntries(names.map((n) => [n, [rec]]))));
    assert.equal(r.counts.fail, 0, summary(r).join('\n'));
    assert.ok(r.counts.warn >= 4, summary(r).join('\n'));
    assert.ok(r.lines.every((l) => l.status !== 'warn' || l.title.startsWith('Could not') || l.check === 'mx-zone'), summary(r).join('\n'));
    assert.match(renderMailDomainReport(r), rec.type === 'TIMEOUT' ? /no DNS server answered in time/ : /the lookup failed \(SERVFAIL\)/);
  }
  const thrower = { txt: async () => { throw new Error('boom'); }, mx: async () => { throw new Error('boom'); }, addresses: async () => { throw new Error('boom'); }, ptr: async () => { throw new Error('boom'); } };
  const r = await checkMailDomain(facts, thrower);
  assert.equal(r.counts.fail, 0);
  assert.match(renderMailDomainReport(r), /the lookup failed \(boom\)/);
  // With MX unknown, the zone files' MX hosts are checked instead.
  assert.ok(r.lines.some((l) => l.check === 'mx' && /zone files are checked instead/.test(l.title)));
});

test('MX outcomes: none (implicit MX), null MX, NXDOMAIN; no domain at all', async () => {
  const facts = mailDomainFacts(workspace({ main: 'myhostname = mail.example.org\n' }));
  const noMx = await checkMailDomain(facts, new MemoryResolver({ 'example.org': [txt('v=spf1 -all')] }));
  assert.equal(noMx.lines.find((l) => l.check === 'mx')?.status, 'warn');
  const nullMx = await checkMailDomain(facts, new MemoryResolver({ 'example.org': [{ type: 'MX', preference: 0, exchange: '.' }] }));
  assert.deepEqual(nullMx.lines.filter((l) => l.check === 'mx').map((l) => [l.status, l.title]), [['info', 'example.org publishes a null MX: it accepts no mail (RFC 7505)']]);
  const gone = await checkMailDomain(mailDomainFacts(new Workspace(), 'gone.example'), new MemoryResolver({}));
  assert.deepEqual(gone.lines.filter((l) => l.check === 'mx').map((l) => l.status), ['fail']);
  assert.match(gone.lines.find((l) => l.check === 'spf-record')!.title, /has no SPF record/);
  const nothing = await checkMailDomain(mailDomainFacts(new Workspace()), new MemoryResolver({}));
  assert.deepEqual(summary(nothing), ['info setup', 'info setup', 'fail setup']);
});

test('DMARC: p=none is a warning, several records fail, a subdomain inherits the organizational domain\'s record (sp=)', async () => {
  const facts = mailDomainFacts(new Workspace(), 'news.example.org');
  const run = (records: Record<string, MemoryRecord[]>) => checkMailDomain(facts, new MemoryResolver(records)).then((r) => r.lines.find((l) => l.check === 'dmarc')!);
  assert.equal((await run({ '_dmarc.news.example.org': [txt('v=DMARC1; p=none')] })).status, 'warn');
  assert.equal((await run({ '_dmarc.news.example.org': [txt('v=DMARC1; p=none'), txt('v=DMARC1; p=reject')] })).status, 'fail');
  assert.equal((await run({ '_dmarc.news.example.org': [txt('v=DMARC1; rua=mailto:x@example.org')] })).status, 'fail');
  const inherited = await run({ '_dmarc.example.org': [txt('v=DMARC1; p=none; sp=reject')] });
  assert.deepEqual([inherited.status, inherited.title], ['pass', 'news.example.org has a DMARC record: p=reject']);
  assert.match(inherited.evidence.join('\n'), /organizational domain's applies \(sp=\)/);
});

test('DKIM: a published key is compared with the key file when the front end gives public keys', async () => {
  const facts = mailDomainFacts(workspace());
  const publicKeyOf = (ref: { path: string }) => (ref.path.endsWith('mail.private') ? new Uint8Array(spki(otherKey.publicKey)) : undefined);
  const r = await checkMailDomain(facts, new MemoryResolver(good()), { publicKeyOf });
  const line = r.lines.find((l) => l.check === 'dkim')!;
  assert.equal(line.status, 'fail');
  assert.match(line.title, /is not the public half of \/etc\/opendkim\/keys\/mail\.private/);
  const ok = await checkMailDomain(facts, new MemoryResolver(good()), { publicKeyOf: () => new Uint8Array(spki(key.publicKey)) });
  assert.match(ok.lines.find((l) => l.check === 'dkim')!.evidence.join('\n'), /matches the public half of/);
  const none = await checkMailDomain(mailDomainFacts(workspace({ main: MAIN })), new MemoryResolver(good()));
  assert.equal(none.lines.find((l) => l.check === 'dkim')?.status, 'info');
});
