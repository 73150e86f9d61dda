// Inserting a record into a zone file of the workspace: the owner relative to the $ORIGIN in
// effect where it goes (`@` when equal, fully qualified when the origin does not cover it),
// never between a record and the lines that inherit its owner, the file's line ends, TXT
// values split into strings of at most 255 characters, and the SOA serial bump.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ownerRelativeTo, soaSerialBump, splitCharacterStrings, txtRdataText, zoneChoicesFor, zoneRecordInsertion, zoneTxtReplacement,
} from '../../../server/src/core/stack/zoneInsertion';
import { looksLikeSpf } from '../../../server/src/core/records/spf/checks';
import { WorkspaceZones } from '../../../server/src/core/dns/zoneResolver';
import { afterEdits, applyEdits, problems, SOA, uriOf, workspaceOf } from './helpers';

const ZONE = '/etc/bind/db.example.org';
const Z = uriOf(ZONE);

/** Inserts a TXT record and returns the new text and a workspace holding it. */
function insertTxt(files: Record<string, string>, uri: string, owner: string, value: string) {
  const ws = workspaceOf(files);
  const edit = zoneRecordInsertion(ws, uri, owner, 'TXT', txtRdataText(value));
  const changed = applyEdits(ws, [edit]);
  const next = afterEdits(ws, changed);
  return { edit, text: changed.get(uri)!, ws: next };
}

/** The TXT values the zones publish at a name after the edit. */
function txtAt(ws: ReturnType<typeof workspaceOf>, name: string): string[] {
  const a = new WorkspaceZones(ws).txtSync(name);
  return a?.status === 'ok' ? a.records.map((s) => s.join('')) : [];
}

test('ownerRelativeTo: @ at the origin, the labels in front below it, fully qualified elsewhere or without origin', () => {
  assert.equal(ownerRelativeTo('example.org', 'example.org.'), '@');
  assert.equal(ownerRelativeTo('Example.ORG.', 'example.org.'), '@');
  assert.equal(ownerRelativeTo('_dmarc.example.org', 'example.org.'), '_dmarc');
  assert.equal(ownerRelativeTo('s1._domainkey.mail.example.org.', 'example.org.'), 's1._domainkey.mail');
  assert.equal(ownerRelativeTo('_dmarc.example.org', 'sub.example.org.'), '_dmarc.example.org.');
  assert.equal(ownerRelativeTo('_dmarc.example.org', 'ample.org.'), '_dmarc.example.org.', 'a suffix that is not a label boundary');
  assert.equal(ownerRelativeTo('_dmarc.example.org', ''), '_dmarc.example.org.');
});

test('after the last record, owner relative to the $ORIGIN, the value readable again and no findings', () => {
  const text = `$ORIGIN example.org.\n$TTL 300\n${SOA}; trailing comment\n`;
  const { edit, text: out, ws } = insertTxt({ [ZONE]: text }, Z, '_dmarc.example.org', 'v=DMARC1; p=none; rua=mailto:d@example.org');
  assert.equal(edit.uri, Z);
  assert.deepEqual(edit.range, { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } });
  assert.equal(out.split('\n')[5], '_dmarc\tIN\tTXT\t"v=DMARC1; p=none; rua=mailto:d@example.org"');
  assert.deepEqual(txtAt(ws, '_dmarc.example.org'), ['v=DMARC1; p=none; rua=mailto:d@example.org']);
  assert.deepEqual(problems(ws, Z), []);
});

test('the apex is written @', () => {
  const { text } = insertTxt({ [ZONE]: `$ORIGIN example.org.\n$TTL 300\n${SOA}` }, Z, 'example.org.', 'v=spf1 mx -all');
  assert.match(text, /\n@\tIN\tTXT\t"v=spf1 mx -all"\n$/);
});

test('several $ORIGINs: the record goes after the last record whose origin covers the name, relative to it', () => {
  const text = [
    '$ORIGIN example.org.', '$TTL 300', SOA.trimEnd(),
    '$ORIGIN mail.example.org.', '@\tIN\tA\t192.0.2.25', 'smtp\tIN\tA\t192.0.2.26',
    '$ORIGIN lists.example.org.', '@\tIN\tA\t192.0.2.27', '',
  ].join('\n');
  const files = { [ZONE]: text };
  // _dmarc.example.org: the origins mail. and lists. do not cover it, so it goes after ns1.
  const dmarc = insertTxt(files, Z, '_dmarc.example.org', 'v=DMARC1; p=none');
  assert.equal(dmarc.edit.range.start.line, 5);
  assert.equal(dmarc.text.split('\n')[5], '_dmarc\tIN\tTXT\t"v=DMARC1; p=none"');
  // A name below mail.example.org: after `smtp`, relative to mail.example.org.
  const dkim = insertTxt(files, Z, 's1._domainkey.mail.example.org', 'v=DKIM1; p=');
  assert.equal(dkim.edit.range.start.line, 8);
  assert.equal(dkim.text.split('\n')[8], 's1._domainkey\tIN\tTXT\t"v=DKIM1; p="');
  for (const r of [dmarc, dkim]) assert.deepEqual(problems(r.ws, Z), []);
  assert.deepEqual(txtAt(dmarc.ws, '_dmarc.example.org'), ['v=DMARC1; p=none']);
  assert.deepEqual(txtAt(dkim.ws, 's1._domainkey.mail.example.org'), ['v=DKIM1; p=']);
  // A name below lists.example.org goes at the end, relative to lists.
  const lists = insertTxt(files, Z, '_dmarc.lists.example.org', 'v=DMARC1; p=none');
  assert.equal(lists.edit.range.start.line, 10);
  assert.equal(lists.text.split('\n')[10], '_dmarc\tIN\tTXT\t"v=DMARC1; p=none"');
  assert.deepEqual(txtAt(lists.ws, '_dmarc.lists.example.org'), ['v=DMARC1; p=none']);
});

test('never between a record and the lines that inherit its owner, even across a $ORIGIN', () => {
  const text = [
    '$ORIGIN example.org.', '$TTL 300', SOA.trimEnd(),
    'www\tIN\tA\t192.0.2.80',
    '$ORIGIN sub.example.org.',
    '\tIN\tAAAA\t2001:db8::80', // owner: www.example.org (inherited)
    '',
  ].join('\n');
  const { edit, text: out, ws } = insertTxt({ [ZONE]: text }, Z, '_dmarc.example.org', 'v=DMARC1; p=none');
  assert.equal(edit.range.start.line, 8, 'after the inheriting line');
  assert.match(out, /\n_dmarc\.example\.org\.\tIN\tTXT/);
  const zones = new WorkspaceZones(ws);
  const aaaa = zones.addressesSync('www.example.org', 6);
  assert.equal(aaaa?.status, 'ok');
  assert.deepEqual(txtAt(ws, '_dmarc.example.org'), ['v=DMARC1; p=none']);
  // The admin's own inherited owner after $ORIGIN is reported before and after: nothing new.
  assert.deepEqual(problems(ws, Z), problems(workspaceOf({ [ZONE]: text }), Z));
  assert.equal(problems(ws, Z).length, 1);
});

test('an $INCLUDEd file based at a subdomain takes a name above it fully qualified; choices list the root first', () => {
  const files = {
    [ZONE]: `$ORIGIN example.org.\n$TTL 300\n${SOA}$INCLUDE /etc/bind/sub.inc sub.example.org.\n`,
    '/etc/bind/sub.inc': 'www\tIN\tA\t192.0.2.80\n',
  };
  const ws = workspaceOf(files, { '/etc/bind/sub.inc': 'dns-zone' });
  const choices = zoneChoicesFor(ws, 's1._domainkey.example.org');
  assert.deepEqual(choices, [
    { uri: Z, owner: 's1._domainkey', origin: 'example.org.' },
    { uri: uriOf('/etc/bind/sub.inc'), owner: 's1._domainkey.example.org.', origin: 'sub.example.org.' },
  ]);
  const inc = zoneRecordInsertion(ws, uriOf('/etc/bind/sub.inc'), 's1._domainkey.example.org', 'TXT', '"v=DKIM1; p="');
  assert.equal(inc.newText, 's1._domainkey.example.org.\tIN\tTXT\t"v=DKIM1; p="\n');
  const below = zoneRecordInsertion(ws, uriOf('/etc/bind/sub.inc'), '_dmarc.sub.example.org', 'TXT', '"v=DMARC1; p=none"');
  assert.equal(below.newText, '_dmarc\tIN\tTXT\t"v=DMARC1; p=none"\n');
});

test('zone choices: the closest enclosing zone, none below a delegation or outside every zone', () => {
  const ws = workspaceOf({
    [ZONE]: `$ORIGIN example.org.\n$TTL 300\n${SOA}sub\tIN\tNS\tns1\nother\tIN\tNS\tns.example.net.\n`,
    '/etc/bind/db.sub.example.org': `$ORIGIN sub.example.org.\n$TTL 300\n${SOA}`,
  });
  assert.deepEqual(zoneChoicesFor(ws, 's1._domainkey.sub.example.org').map((c) => [c.uri, c.owner]), [[uriOf('/etc/bind/db.sub.example.org'), 's1._domainkey']]);
  assert.deepEqual(zoneChoicesFor(ws, '_dmarc.other.example.org'), [], 'delegated to a zone the workspace does not have');
  assert.deepEqual(zoneChoicesFor(ws, '_dmarc.example.net'), []);
  assert.deepEqual(zoneChoicesFor(ws, '_dmarc.example.org').map((c) => c.owner), ['_dmarc']);
});

test('line ends: CRLF files get CRLF, a last line without a line end gets one in front', () => {
  const crlf = `$ORIGIN example.org.\r\n$TTL 300\r\n${SOA.replace(/\n/g, '\r\n')}`;
  const a = insertTxt({ [ZONE]: crlf }, Z, '_dmarc.example.org', 'v=DMARC1; p=none');
  assert.ok(a.text.endsWith('\r\n_dmarc\tIN\tTXT\t"v=DMARC1; p=none"\r\n'), JSON.stringify(a.text));
  const long = insertTxt({ [ZONE]: crlf }, Z, 'note.example.org', 'A'.repeat(400));
  assert.ok(!/[^\r]\n/.test(long.text), 'every line break of the parenthesised record is CRLF');
  const open = `$ORIGIN example.org.\n$TTL 300\n${SOA}`.trimEnd();
  const b = insertTxt({ [ZONE]: open }, Z, '_dmarc.example.org', 'v=DMARC1; p=none');
  assert.equal(b.text, open + '\n_dmarc\tIN\tTXT\t"v=DMARC1; p=none"');
  for (const r of [a, long, b]) assert.deepEqual(problems(r.ws, Z), []);
});

test('without $TTL the previous record\'s TTL is written, so the zone does not depend on the SOA minimum', () => {
  const text = '$ORIGIN example.org.\n@ 3600 IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ 3600 IN NS ns1\nns1 3600 IN A 192.0.2.1\n';
  const { text: out } = insertTxt({ [ZONE]: text }, Z, '_dmarc.example.org', 'v=DMARC1; p=none');
  assert.match(out, /\n_dmarc\t3600\tIN\tTXT\t"v=DMARC1; p=none"\n$/);
});

test('an empty zone file, and a file that is not a zone', () => {
  const ws = workspaceOf({ '/etc/bind/empty.zone': '' }, { '/etc/bind/empty.zone': 'dns-zone' });
  const e = zoneRecordInsertion(ws, uriOf('/etc/bind/empty.zone'), '_dmarc.example.org', 'TXT', '"v=DMARC1; p=none"');
  assert.equal(e.newText, '_dmarc.example.org.\tIN\tTXT\t"v=DMARC1; p=none"\n');
  assert.throws(() => zoneRecordInsertion(ws, uriOf('/etc/bind/missing.zone'), 'x.example.org', 'TXT', '""'), /not a zone file/);
});

test('TXT values: one string when short, ≤255-character strings in parentheses when long, cut at blanks, escaped', () => {
  assert.equal(txtRdataText('v=spf1 -all'), '"v=spf1 -all"');
  assert.equal(txtRdataText('say "hi" \\ ok'), '"say \\"hi\\" \\\\ ok"');
  const spf = 'v=spf1 ' + Array.from({ length: 40 }, (_, i) => `ip4:198.51.100.${i}`).join(' ') + ' -all';
  const parts = splitCharacterStrings(spf);
  assert.ok(parts.length >= 3 && parts.every((p) => p.length <= 255));
  assert.equal(parts.join(''), spf);
  for (const p of parts.slice(0, -1)) assert.ok(p.endsWith(' '), 'cut after a blank, no term split');
  const key = 'A'.repeat(600);
  assert.deepEqual(splitCharacterStrings(key).map((p) => p.length), [255, 255, 90]);
  const rdata = txtRdataText(spf);
  assert.ok(rdata.startsWith('( "v=spf1 ') && rdata.endsWith('" )'));
  const { ws } = insertTxt({ [ZONE]: `$ORIGIN example.org.\n$TTL 300\n${SOA}` }, Z, 'example.org', spf);
  assert.deepEqual(txtAt(ws, 'example.org'), [spf]);
  assert.deepEqual(problems(ws, Z), []);
});

test('SOA serial: increased by one where the SOA is (also from an included file); none for a date-less or maximal serial', () => {
  const ws = workspaceOf({
    [ZONE]: `$ORIGIN example.org.\n$TTL 300\n@ IN SOA ns1 hostmaster (\n  2024010101 ; serial\n  3600 600 86400 300 )\n$INCLUDE /etc/bind/keys.inc\n`,
    '/etc/bind/keys.inc': 'x IN TXT "a"\n',
  }, { '/etc/bind/keys.inc': 'dns-zone' });
  const bump = soaSerialBump(ws, uriOf('/etc/bind/keys.inc'));
  assert.deepEqual(bump, { uri: Z, range: { start: { line: 3, character: 2 }, end: { line: 3, character: 12 } }, newText: '2024010102' });
  assert.equal(soaSerialBump(workspaceOf({ [ZONE]: '$ORIGIN example.org.\nx IN TXT "a"\n' }), Z), undefined);
  assert.equal(soaSerialBump(workspaceOf({ [ZONE]: '$ORIGIN example.org.\n@ IN SOA ns1 hm 4294967295 1 1 1 1\n' }), Z), undefined);
});

test('replacing an existing SPF record: only its strings change (owner, TTL, parentheses, comments kept); none there: undefined', () => {
  const text = `$ORIGIN example.org.\n$TTL 300\n${SOA}@ 600 IN TXT "google-site-verification=abc"\n@ 600 IN TXT ( "v=spf1 a " ; old\n  "-all" ) ; keep me\n`;
  const ws = workspaceOf({ [ZONE]: text });
  const long = 'v=spf1 ' + Array.from({ length: 30 }, (_, i) => `ip4:198.51.100.${i}`).join(' ') + ' -all';
  const edit = zoneTxtReplacement(ws, 'example.org', looksLikeSpf, long)!;
  assert.equal(edit.uri, Z);
  const out = applyEdits(ws, [edit]).get(Z)!;
  assert.match(out, /\n@ 600 IN TXT \( "v=spf1 ip4:198\.51\.100\.0 [^"]*"(\n\t  "[^"]*")+ \) ; keep me\n$/);
  const next = afterEdits(ws, new Map([[Z, out]]));
  assert.deepEqual(txtAt(next, 'example.org').sort(), ['google-site-verification=abc', long].sort());
  assert.deepEqual(problems(next, Z), []);
  const one = applyEdits(ws, [zoneTxtReplacement(ws, 'example.org.', looksLikeSpf, 'v=spf1 mx -all')!]).get(Z)!;
  assert.match(one, /\n@ 600 IN TXT \( "v=spf1 mx -all" \) ; keep me\n$/);
  const plain = workspaceOf({ [ZONE]: `$ORIGIN example.org.\n$TTL 300\n${SOA}@ IN TXT "v=spf1 -all"\n` });
  assert.match(applyEdits(plain, [zoneTxtReplacement(plain, 'example.org', looksLikeSpf, long)!]).get(Z)!, /\n@ IN TXT \( "v=spf1 [^"]*"(\n\t  "[^"]*")+ \)\n$/);
  assert.equal(zoneTxtReplacement(ws, '_dmarc.example.org', () => true, 'v=DMARC1; p=none'), undefined);
});
