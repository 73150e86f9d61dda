// Zone semantics: record data, names and origins, the records of a name together, the zone as
// a whole, and $INCLUDE within the workspace. Exact ranges; fixes applied and re-checked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, brief, contextFor, diagnoseText, diagnoseZone, where, zoneWorkspace } from './checksSupport';
import { diagnose } from '../../../server/src/core/checks';
import { originFromFileName, effectiveOrigin } from '../../../server/src/core/zone/checks/origin';
import { zoneDataOf } from '../../../server/src/core/zone/checks/zoneData';
import type { Finding } from '../../../server/src/core/types';

const HEAD = '$TTL 1h\n$ORIGIN example.org.\n@ IN SOA ns1 hostmaster ( 1 2h 1h 4w 1h )\n@ IN NS ns1\nns1 IN A 192.0.2.53\n';
/** Line numbers below count from the first line after HEAD. */
const L = 5;

function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code);
}

function only(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

test('the zone origin from the file name', () => {
  assert.equal(originFromFileName('file:///etc/bind/db.example.org'), 'example.org.');
  assert.equal(originFromFileName('file:///etc/bind/example.org.zone'), 'example.org.');
  assert.equal(originFromFileName('file:///etc/bind/zones/example.org.db'), 'example.org.');
  assert.equal(originFromFileName('file:///srv/dns/wikitide.com'), 'wikitide.com.');
  assert.equal(originFromFileName('file:///etc/bind/db.2.0.192.in-addr.arpa'), '2.0.192.in-addr.arpa.');
  assert.equal(originFromFileName('file:///etc/opendkim/keys/mail.txt'), undefined);
  assert.equal(originFromFileName('file:///etc/bind/named.conf'), undefined);
  assert.equal(originFromFileName('file:///etc/bind/db.local'), undefined);
  assert.equal(effectiveOrigin('', 'example.org.'), 'example.org.');
  assert.equal(effectiveOrigin('sub', 'example.org.'), 'sub.example.org.');
  assert.equal(effectiveOrigin('other.net.', 'example.org.'), 'other.net.');
});

test('owner names are made absolute: $ORIGIN, the file name, an inherited owner', () => {
  const ws = zoneWorkspace({ 'file:///etc/bind/db.example.org': 'www A 192.0.2.1\n  AAAA 2001:db8::1\n$ORIGIN sub.example.org.\nmail A 192.0.2.2\n@ TXT "x"\nabs.example.net. A 192.0.2.3\n' });
  const data = zoneDataOf(ws.get('file:///etc/bind/db.example.org')!, ws);
  assert.deepEqual(data.root.rrs.map((rr) => rr.owner), ['www.example.org.', 'www.example.org.', 'mail.sub.example.org.', 'sub.example.org.', 'abs.example.net.']);
  assert.equal(data.apex, 'example.org.');
  assert.equal(data.apexSource, 'file name');
  assert.equal(data.complete, false, 'no SOA: a fragment of a zone');
});

test('bad addresses (BIND inet_pton rules)', () => {
  const f = diagnoseText('a A 192.0.2.256\nb A 01.2.3.4\nc A 2001:db8::1\nd AAAA 192.0.2.1\ne AAAA 2001:db8::g\nf A 192.0.2.1\ng AAAA ::ffff:192.0.2.1\n');
  assert.deepEqual(f.map(where), [
    'zone/bad-address@0:4-0:15', 'zone/bad-address@1:4-1:12', 'zone/bad-address@2:4-2:15', 'zone/bad-address@3:7-3:16', 'zone/bad-address@4:7-4:18',
  ]);
  assert.equal(f.every((x) => x.severity === 'error'), true);
  assert.match(f[1].message, /without leading zeros/);
  assert.match(f[2].message, /publish it in an AAAA record/);
  assert.match(f[3].message, /publish it in an A record/);
});

test('numbers: MX preference, SRV, CAA, TLSA, SOA', () => {
  const f = diagnoseText([
    '@ MX 65536 mail.example.org.',
    '@ MX ten mail.example.org.',
    '@ MX 65535 mail.example.org.',
    '_sip._tcp SRV 0 5 70000 sip.example.org.',
    '@ CAA 256 issue "ca.example.net"',
    '_25._tcp.mail TLSA 3 1 256 00',
    '@ SOA ns1 hostmaster 1h 1x 1h 4w 1h',
  ].join('\n') + '\n');
  assert.deepEqual(only(f, 'zone/bad-number').map(where), [
    'zone/bad-number@0:5-0:10', 'zone/bad-number@1:5-1:8', 'zone/bad-number@3:18-3:23', 'zone/bad-number@4:6-4:9',
    'zone/bad-number@5:23-5:26', 'zone/bad-number@6:21-6:23', 'zone/bad-number@6:24-6:26',
  ]);
  assert.match(f[0].message, /out of range: it must be 0–65535/);
  assert.match(f[1].message, /must be a decimal number/);
});

test('bad names: empty label, long label, long name', () => {
  const long = ('a'.repeat(60) + '.').repeat(5);
  const f = diagnoseText(`a..b A 192.0.2.1\nx CNAME ${'l'.repeat(64)}.example.net.\ny CNAME ${long}\n`);
  assert.deepEqual(f.map(where), ['zone/bad-name@0:0-0:4', 'zone/bad-name@1:8-1:85', 'zone/bad-name@2:8-2:313']);
  assert.match(f[0].message, /empty label/);
  assert.match(f[1].message, /longer than 63 bytes/);
  assert.match(f[2].message, /longer than 255 bytes/);
});

test('relative names meant absolute: owner and rdata, with the fix that adds the dot', () => {
  const text = HEAD + 'mail.example.org IN A 192.0.2.25\n@ IN MX 10 mail.example.org\nwww IN CNAME web.example.org\nok IN CNAME web\nother IN CNAME www.example.net\n';
  const f = only(diagnoseText(text), 'zone/relative-name');
  assert.deepEqual(f.map(where), [`zone/relative-name@${L}:0-${L}:16`, `zone/relative-name@${L + 1}:11-${L + 1}:27`, `zone/relative-name@${L + 2}:13-${L + 2}:28`]);
  assert.match(f[1].message, /becomes "mail\.example\.org\.example\.org\."\. A name written in full needs the final dot: "mail\.example\.org\."/);
  let fixed = text;
  for (const x of [...f].reverse()) fixed = applyEdits(fixed, x.fixes![0].edits);
  assert.match(fixed, /^mail\.example\.org\. IN A/m);
  assert.match(fixed, /MX 10 mail\.example\.org\.$/m);
  assert.deepEqual(codes(diagnoseText(fixed)).filter((c) => c === 'zone/relative-name'), []);
});

test('relative name: with the origin from the file name, and in a reverse zone', () => {
  assert.deepEqual(only(diagnoseText('@ MX 10 mail.example.org\n'), 'zone/relative-name').map(where), ['zone/relative-name@0:8-0:24']);
  const reverse = diagnoseText('$ORIGIN 2.0.192.in-addr.arpa.\n25 PTR mail.example.org\n26 PTR mail.example.org.\n27 PTR host\n', 'file:///etc/bind/db.192.0.2');
  assert.deepEqual(only(reverse, 'zone/relative-name').map(where), ['zone/relative-name@1:7-1:23']);
  assert.match(only(reverse, 'zone/relative-name')[0].message, /mail\.example\.org\.2\.0\.192\.in-addr\.arpa\./);
});

test('MX and NS naming an address', () => {
  const f = diagnoseText(HEAD + '@ MX 10 192.0.2.25\nsub NS 192.0.2.53.\n');
  assert.deepEqual(only(f, 'zone/target-is-address').map((x) => `${where(x)} ${x.severity}`), [
    `zone/target-is-address@${L}:8-${L}:18 error`, `zone/target-is-address@${L + 1}:7-${L + 1}:18 error`,
  ]);
  assert.match(f[0].message, /192\.0\.2\.25\.example\.org\./);
});

test('null MX (RFC 7505): alone and with preference 0 it is clean; beside other MX or with another preference it is not', () => {
  // A parked domain as M3AAWG advises: null MX, SPF -all, DMARC reject.
  const clean = diagnoseText(HEAD + '@ MX 0 .\n@ TXT "v=spf1 -all"\n_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@example.net"\nparked MX 0 .\n_sip._tcp SRV 0 0 0 .\n');
  assert.deepEqual(clean.filter((x) => !x.code.startsWith('dmarc/')).map((x) => x.code), []);

  const f = diagnoseText(HEAD + '@ MX 0 .\n@ MX 10 mail\nmail A 192.0.2.25\nparked MX 10 .\n');
  assert.deepEqual(only(f, 'zone/null-mx-with-other-mx').map((x) => `${where(x)} ${x.severity}`), [`zone/null-mx-with-other-mx@${L}:0-${L}:4 error`]);
  const mix = only(f, 'zone/null-mx-with-other-mx')[0];
  assert.match(mix.message, /example\.org has a null MX .* also mail as MX\. .*Postfix bounces all mail for the domain/);
  assert.deepEqual(mix.related?.map((r) => r.range.start.line), [L + 1]);
  const pref = only(f, 'zone/null-mx-preference');
  assert.deepEqual(pref.map((x) => `${where(x)} ${x.severity}`), [`zone/null-mx-preference@${L + 3}:10-${L + 3}:12 warning`]);
  const fixed = applyEdits(HEAD + '@ MX 0 .\n@ MX 10 mail\nmail A 192.0.2.25\nparked MX 10 .\n', pref[0].fixes![0].edits);
  assert.match(fixed, /\nparked MX 0 \.\n/);
  assert.deepEqual(only(diagnoseText(fixed), 'zone/null-mx-preference'), []);
  // Taking the other MX away (as an edit would) ends the mix.
  assert.deepEqual(only(diagnoseText(HEAD + '@ MX 0 .\nmail A 192.0.2.25\n'), 'zone/null-mx-with-other-mx'), []);
});

test('MX, NS and SRV pointing at an alias', () => {
  const f = diagnoseText(HEAD + '@ MX 10 smtp\n@ NS alias\n_sip._tcp SRV 0 0 5060 smtp\nsmtp CNAME mail\nalias CNAME ns1\nmail A 192.0.2.25\nsub NS alias\n');
  assert.deepEqual(only(f, 'zone/target-is-cname').map((x) => `${where(x)} ${x.severity}`), [
    `zone/target-is-cname@${L}:8-${L}:12 warning`,
    `zone/target-is-cname@${L + 1}:5-${L + 1}:10 error`,
    `zone/target-is-cname@${L + 2}:23-${L + 2}:27 warning`,
    `zone/target-is-cname@${L + 6}:7-${L + 6}:12 warning`,
  ]);
  assert.deepEqual(f[0].related?.map((r) => r.range.start.line), [L + 3]);
});

test('targets without an address: only in a complete zone; wildcards and delegations', () => {
  const text = HEAD + '@ MX 10 mail\n@ MX 20 backup\n@ NS ns2\n*.wild A 192.0.2.9\n@ MX 30 x.wild\nsub NS ns.sub\nsub NS ns.other.net.\n@ MX 40 host.sub\n@ MX 50 mx.example.net.\nbackup A 192.0.2.26\n';
  const f = only(diagnoseText(text), 'zone/target-without-address');
  assert.deepEqual(f.map((x) => `${where(x)} ${x.severity}`), [
    `zone/target-without-address@${L}:8-${L}:12 warning`,
    `zone/target-without-address@${L + 2}:5-${L + 2}:8 error`,
    `zone/target-without-address@${L + 5}:7-${L + 5}:13 warning`,
  ]);
  assert.match(f[0].message, /mail servers cannot deliver mail for example\.org through this MX/);
  // The same records without SOA: a fragment; nothing can be concluded.
  assert.deepEqual(only(diagnoseText('@ MX 10 mail\n'), 'zone/target-without-address'), []);
});

test('CNAME beside other data: on both sides, with related locations', () => {
  const f = diagnoseText(HEAD + 'www CNAME web.example.net.\nwww TXT "v=spf1 -all"\n  MX 10 mail.example.net.\n@ CNAME web.example.net.\n');
  assert.deepEqual(brief(only(f, 'zone/cname-and-other-data')).map((x) => x.replace('error ', '')), [
    'zone/cname-and-other-data@2:0-2:8',
    'zone/cname-and-other-data@3:0-3:7',
    `zone/cname-and-other-data@${L}:0-${L}:9`,
    `zone/cname-and-other-data@${L + 1}:0-${L + 1}:7`,
    `zone/cname-and-other-data@${L + 2}:2-${L + 2}:4`,
    `zone/cname-and-other-data@${L + 3}:0-${L + 3}:7`,
  ]);
  const www = f.filter((x) => x.range.start.line === L || x.range.start.line === L + 1);
  assert.match(www[0].message, /www\.example\.org has a CNAME and other records \(TXT, MX\)/);
  assert.equal(www[1].related?.[0].range.start.line, L);
  assert.ok(f.every((x) => x.code !== 'zone/cname-and-other-data' || x.severity === 'error'));
});

test('names are compared without case; DNSSEC records may stand beside a CNAME', () => {
  const f = diagnoseText('WWW CNAME web.example.net.\nwww RRSIG CNAME 8 3 3600 20300101000000 20200101000000 12345 example.org. AAAA\nWww A 192.0.2.1\n');
  assert.deepEqual(brief(only(f, 'zone/cname-and-other-data')).map((x) => x.replace('error ', '')), ['zone/cname-and-other-data@0:0-0:9', 'zone/cname-and-other-data@2:0-2:5']);
});

test('two CNAMEs, two SOAs, an SOA below the apex; identical records are duplicates', () => {
  const f = diagnoseText(HEAD + 'www CNAME a.example.net.\nwww CNAME b.example.net.\nwww CNAME A.example.net.\n@ SOA ns1 hostmaster 2 2h 1h 4w 1h\nsub SOA ns1 hostmaster 1 2h 1h 4w 1h\n');
  assert.deepEqual(brief(f.filter((x) => x.code !== 'zone/cname-and-other-data')), [
    `error zone/multiple-cname@${L + 1}:0-${L + 1}:9`,
    `warning zone/duplicate-record@${L + 2}:0-${L + 2}:9`,
    `error zone/multiple-soa@${L + 3}:0-${L + 3}:5`,
    `error zone/soa-not-at-apex@${L + 4}:0-${L + 4}:7`,
  ]);
});

test('duplicate records: addresses by value, names without case, TXT by strings; a TTL difference is named', () => {
  const f = only(diagnoseText('a AAAA 2001:db8::1\na AAAA 2001:DB8:0:0::1\nb MX 10 Mail.example.org.\nb MX 10 mail.example.org.\nc TXT "x" "y"\nc TXT "xy"\nc 60 TXT "x" "y"\n'), 'zone/duplicate-record');
  assert.deepEqual(f.map(where), ['zone/duplicate-record@1:0-1:6', 'zone/duplicate-record@3:0-3:4', 'zone/duplicate-record@6:0-6:8']);
  assert.deepEqual(f[0].related?.map((r) => r.range.start.line), [0]);
  assert.match(f[2].message, /different TTL is ignored/);
});

test('out-of-zone data, missing NS', () => {
  const f = diagnoseText(HEAD + 'mail.example.net. A 192.0.2.1\n');
  assert.deepEqual(brief(f), [`warning zone/out-of-zone@${L}:0-${L}:19`]);
  const noNs = diagnoseText('$TTL 1h\n@ SOA ns1 hostmaster 1 2h 1h 4w 1h\nns1 A 192.0.2.53\n');
  assert.deepEqual(brief(noNs), ['error zone/missing-ns@1:0-1:5']);
});

test('SOA mailbox written with @', () => {
  const f = diagnoseText('$TTL 1h\n@ SOA ns1.example.org. hostmaster@example.org. 1 2h 1h 4w 1h\n@ NS ns1\nns1 A 192.0.2.53\n');
  assert.deepEqual(brief(f), ['warning zone/soa-mailbox-with-at@1:23-1:46']);
  assert.match(f[0].message, /Write hostmaster\.example\.org\./);
});

test('CAA tags; TLSA data', () => {
  const f = diagnoseText([
    '@ CAA 0 issue "ca.example.net"',
    '@ CAA 0 issue-wild "ca.example.net"',
    '@ CAA 128 isue "ca.example.net"',
    '_25._tcp.mail TLSA 3 1 1 0d6fce33 68f8b0b5 e6d8f2a6 c1b5e0a7 c9f3d1e2 b4a6c8d0 e2f4a6b8 c0d2e4f6',
    '_25._tcp.mail TLSA 3 1 1 0d6fce3',
    '_25._tcp.mail TLSA 3 1 2 0d6fce33',
    '_25._tcp.mail TLSA 5 2 1 0d6fce3368f8b0b5e6d8f2a6c1b5e0a7c9f3d1e2b4a6c8d0e2f4a6b8c0d2e4f6',
  ].join('\n') + '\n');
  assert.deepEqual(brief(f), [
    'error zone/bad-caa-tag@1:8-1:18',
    'warning zone/unknown-caa-tag@2:10-2:14',
    'error zone/bad-hex@4:25-4:32',
    'error zone/tlsa-digest-length@5:25-5:33',
    'warning zone/tlsa-unknown-parameter@6:19-6:20',
    'warning zone/tlsa-unknown-parameter@6:21-6:22',
  ]);
  assert.match(f[1].message, /critical flag 128 they refuse to issue/);
});

test('a record with a syntax error is not checked again', () => {
  const f = diagnoseText('a A 192.0.2.1 192.0.2.2\nb MX 10\n');
  assert.deepEqual(codes(f), ['zone/extra-rdata', 'zone/missing-rdata']);
});

test('$INCLUDE: followed within the workspace, relative to the including file', () => {
  const files = {
    'file:///srv/dns/db.example.org': HEAD + '$INCLUDE keys/mail.txt\n$INCLUDE inc/sub.inc sub.example.org.\n@ MX 10 mail\nmail CNAME host.example.net.\n',
    'file:///srv/dns/keys/mail.txt': 'mail._domainkey IN TXT ( "v=DKIM1; k=ed25519; "\n  "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=" )\n',
    'file:///srv/dns/inc/sub.inc': 'www A 192.0.2.80\n@ MX 10 mail.example.org.\nmail.example.org. A 192.0.2.25\n',
  };
  const root = diagnoseZone(files, 'file:///srv/dns/db.example.org');
  // mail has a CNAME in the root and an A in the included file: reported in both files.
  assert.deepEqual(brief(root), [
    'information zone/missing-dmarc@2:0-2:8',
    `warning zone/target-is-cname@${L + 2}:8-${L + 2}:12`,
    `error zone/cname-and-other-data@${L + 3}:0-${L + 3}:10`,
  ]);
  assert.equal(only(root, 'zone/cname-and-other-data')[0].related?.[0].uri, 'file:///srv/dns/inc/sub.inc');
  assert.match(only(root, 'zone/missing-dmarc')[0].message, /example\.org publishes DKIM but no DMARC record/);
  const inc = diagnoseZone(files, 'file:///srv/dns/inc/sub.inc');
  assert.deepEqual(brief(inc), ['warning zone/target-is-cname@1:8-1:25', 'error zone/cname-and-other-data@2:0-2:19']);
  // The included fragment's names hang off the $INCLUDE's origin.
  const ws = zoneWorkspace(files);
  const data = zoneDataOf(ws.get('file:///srv/dns/inc/sub.inc')!, ws);
  assert.equal(data.root.doc.uri, 'file:///srv/dns/db.example.org');
  assert.deepEqual(data.fileOf('file:///srv/dns/inc/sub.inc')!.rrs.map((rr) => rr.owner), ['www.sub.example.org.', 'sub.example.org.', 'mail.example.org.']);
  assert.deepEqual(data.fileOf('file:///srv/dns/keys/mail.txt')!.rrs.map((rr) => rr.owner), ['mail._domainkey.example.org.']);
  assert.equal(data.complete, true);
  // The genkey fragment alone is clean; included, its owner is absolute for the DKIM checker too.
  assert.deepEqual(diagnoseZone(files, 'file:///srv/dns/keys/mail.txt'), []);
});

test('$INCLUDE not in the workspace: reported for relative paths only, and whole-zone checks stop', () => {
  const f = diagnoseText('$TTL 1h\n@ SOA ns1 hostmaster 1 2h 1h 4w 1h\n$INCLUDE ../db.common\n$INCLUDE /etc/bind/keys.inc\n@ MX 10 mail\n');
  assert.deepEqual(brief(f), ['warning zone/include-not-found@2:9-2:21']);
  assert.match(f[0].message, /not in the workspace/);
});

test('$INCLUDE of an absolute path finds a copy of the server tree below the workspace', () => {
  const files = {
    'file:///home/me/dns/etc/bind/db.example.org': HEAD + '$INCLUDE /etc/bind/keys/mail.inc\n',
    'file:///home/me/dns/etc/bind/keys/mail.inc': 'mail A 192.0.2.25\n',
  };
  const ws = zoneWorkspace(files);
  const data = zoneDataOf(ws.get('file:///home/me/dns/etc/bind/db.example.org')!, ws);
  assert.equal(data.files.length, 2);
  assert.equal(data.complete, true);
});

test('$INCLUDE loop', () => {
  const f = diagnoseZone({ 'file:///srv/db.example.org': 'a A 192.0.2.1\n$INCLUDE db.example.org\n' }, 'file:///srv/db.example.org');
  assert.deepEqual(brief(f), ['error zone/include-loop@1:9-1:23']);
});

test('the zone data is cached per analysis and rebuilt when an included file changes', () => {
  const ws = zoneWorkspace({
    'file:///srv/db.example.org': HEAD + '$INCLUDE inc\n',
    'file:///srv/inc': 'www A 192.0.2.1\n',
  });
  const doc = ws.get('file:///srv/db.example.org')!;
  const a = zoneDataOf(doc, ws);
  assert.equal(zoneDataOf(doc, ws), a, 'same analysis: same data');
  ws.setOpen('file:///srv/inc', 'dns-zone', 'www CNAME @\nwww A 192.0.2.1\n', 1);
  const b = zoneDataOf(doc, ws);
  assert.notEqual(b, a);
  assert.deepEqual(codes(diagnose(contextFor(ws, 'file:///srv/inc'))), ['zone/cname-and-other-data', 'zone/cname-and-other-data']);
});

test('TXT answers beyond 512 bytes: one big record, or many at one name (information)', () => {
  const key = 'A'.repeat(700);
  const big = diagnoseText(`sel._domainkey TXT ( "v=DKIM1; k=rsa; " "p=${key.slice(0, 240)}" "${key.slice(240, 480)}" "${key.slice(480)}" )\n`);
  assert.ok(big.some((f) => f.code === 'zone/txt-exceeds-udp' && f.severity === 'information'), brief(big).join());
  const many = Array.from({ length: 7 }, (_, i) => `@ TXT "verification-${i}=${'x'.repeat(45)}"`).join('\n') + '\n';
  const f = only(diagnoseText(many), 'zone/txt-exceeds-udp');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /7 TXT records/);
  assert.deepEqual(only(diagnoseText('@ TXT "v=spf1 -all"\n'), 'zone/txt-exceeds-udp'), []);
});

test('robustness: garbage, binary and broken records never throw', () => {
  const inputs = ['\u0000\u0001\u0002', '@ MX', '$INCLUDE', '$INCLUDE ""', '( ( (', 'x CNAME\nx A', '@ SOA ( 1 2', '\uFEFF@ TXT "v=spf1', 'a'.repeat(100000),
    'x TLSA 3 1 1', 'x CAA 0', '@ MX 10 .\n@ MX 0 .', 'x SRV 0 0 0 .', '* CNAME *\n*.* A 1.2.3.4', '$ORIGIN .\n@ SOA . . 1 1 1 1 1\n. NS .'];
  for (const text of inputs) assert.doesNotThrow(() => diagnoseText(text), JSON.stringify(text.slice(0, 20)));
});

test('missing DMARC: the fix also works when the apex records end the file without a line break', () => {
  const text = '$TTL 1h\n@ SOA ns1.example.net. hostmaster.example.net. 1 1h 1h 1w 1h\n@ NS ns1.example.net.\n@ TXT "v=spf1 -all"';
  const f = diagnoseText(text).find((x) => x.code === 'zone/missing-dmarc')!;
  assert.equal(where(f), 'zone/missing-dmarc@3:0-3:5');
  const fixed = applyEdits(text, f.fixes![0].edits);
  assert.equal(fixed, text + '\n_dmarc\tIN TXT "v=DMARC1; p=none; rua=mailto:postmaster@example.org"');
  assert.deepEqual(codes(diagnoseText(fixed)).filter((c) => c.startsWith('zone/')), []);
});
