// TXT records handed to the record checkers (SPF, DKIM, DMARC, MTA-STS, TLS-RPT): which
// checker sees which record, exact ranges through strings, escapes and lines, the sets of
// records at one name, SPF lookups and DMARC report authorisations over the workspace's
// zones, and the quick-fixes as the zone file needs them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, brief, diagnoseText, diagnoseZone, where } from './checksSupport';
import { CORPUS, SAMPLES, parse } from './helpers';
import { classifyTxt } from '../../../server/src/core/zone/checks/txtKinds';
import { recordTextOf } from '../../../server/src/core/zone/checks/recordText';
import { dkimStrings, layoutStrings } from '../../../server/src/core/zone/checks/txtLayout';
import type { Finding } from '../../../server/src/core/types';
import type { ZoneRecord } from '../../../server/src/core/zone/tree';

const HEAD = '$TTL 1h\n$ORIGIN example.org.\n@ IN SOA ns1 hostmaster ( 1 2h 1h 4w 1h )\n@ IN NS ns1\nns1 IN A 192.0.2.53\n';
const L = 5;
/** A real 2048-bit key (seed 000's). */
const KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAx5vnqsfJyWKKnTtHviUJqrBF6jDDGe81S+UFli5s50epu4m1YWD27wE1MFABWk2M6LfZCKdYG8VT5SDHBRtPv/W4cWvr+0UfZpmwh6/D8gYTgtZi1Eqyg9c1uhYbZTsw6iBZ147+x1K7ciaKy4naU1lRvqzLRjTSFSjtP2dD8kLE/NhGpE5D8ZPcCq2fu+5u9ZV6aoU1ZbEaEmn7vRx148oZekG8AaqbDPNlm2dDiXQBRpoXTZbLKwj3IAv/y2ejWVi5mtZdGARsvzzwOrJoTJImGV6zdgDMi3M0x9ADAUpvCEkNjEVjSpaksSFB5xmUw2eutv739eyGO+r3yShL2QIDAQAB';

function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code);
}

test('which checker a TXT record goes to: by owner, then by content', () => {
  assert.equal(classifyTxt('example.org.', 'v=spf1 -all'), 'spf');
  assert.equal(classifyTxt('example.org.', 'v=spf1amx?all'), 'spf');
  assert.equal(classifyTxt('_dmarc.example.org.', 'v=spf1 -all'), 'dmarc');
  assert.equal(classifyTxt('_DMARC.example.org.', 'v=DMARC1; p=none'), 'dmarc');
  assert.equal(classifyTxt('sel._domainkey.example.org.', 'k=rsa; p=MIIB'), 'dkim');
  assert.equal(classifyTxt('_adsp._domainkey.example.org.', 'dkim=all'), undefined);
  assert.equal(classifyTxt('_domainkey.example.org.', 'o=~'), undefined);
  assert.equal(classifyTxt('example.org.', 'v=DKIM1; p=MIIB'), 'dkim');
  assert.equal(classifyTxt('_mta-sts.example.org.', 'v=STSv1; id=1'), 'mta-sts');
  assert.equal(classifyTxt('_smtp._tls.example.org.', 'v=TLSRPTv1; rua=mailto:a@example.org'), 'tlsrpt');
  assert.equal(classifyTxt('example.org.', 'v=DMARC1; p=none'), 'dmarc');
  assert.equal(classifyTxt('example.org.', 'google-site-verification=abc'), undefined);
});

test('RecordText of a zone record: joined value, string breaks, ranges through lines and escapes', () => {
  const { tree } = parse('x TXT ( "v=DMARC1\\; p=none; "\n        "rua=mailto:a@example.org" )\n');
  const rt = recordTextOf(tree.entries[0] as ZoneRecord, 'x.example.org.');
  assert.equal(rt.value, 'v=DMARC1; p=none; rua=mailto:a@example.org');
  assert.equal(rt.owner, 'x.example.org');
  assert.deepEqual(rt.breaks, [18]);
  assert.deepEqual(rt.rangeOf(10, 16), { start: { line: 0, character: 20 }, end: { line: 0, character: 26 } }); // p=none after `\;`
  assert.deepEqual(rt.rangeOf(18, 21), { start: { line: 1, character: 9 }, end: { line: 1, character: 12 } });
  assert.deepEqual(rt.rangeOf(14, 22), { start: { line: 0, character: 24 }, end: { line: 1, character: 13 } });
});

test('each policy gets its checker, with exact ranges in the zone file', () => {
  const f = diagnoseText(HEAD + [
    '@ TXT "v=spf1 mx " "+all"',
    'sel._domainkey TXT ( "v=DKIM1; k=rsb; "',
    '  "p=' + KEY + '" )',
    'key TXT "v=DKIM1; p=' + KEY + '"',
    '_dmarc TXT "v=DMARC1; p=maybe"',
    '_mta-sts TXT "v=STSv1"',
    '_smtp._tls TXT "v=TLSRPTv1; rua=https//x"',
    'www TXT "google-site-verification=abc"',
  ].join('\n') + '\n');
  const mine = f.filter((x) => !x.code.startsWith('zone/'));
  assert.deepEqual(mine.map((x) => x.code.split('/')[0]).filter((v, i, a) => a.indexOf(v) === i).sort(), ['dkim', 'dmarc', 'mta-sts', 'spf', 'tlsrpt']);
  const plusAll = f.find((x) => x.code === 'spf/plus-all')!;
  assert.equal(where(plusAll), `spf/plus-all@${L}:20-${L}:24`);
  const keyType = f.find((x) => x.code === 'dkim/unknown-key-type')!;
  assert.equal(keyType.range.start.line, L + 1);
  assert.ok(f.some((x) => x.code === 'dkim/wrong-name' && x.range.start.line === L + 3), 'a DKIM key at a name without _domainkey');
  assert.ok(f.some((x) => x.code === 'dmarc/bad-policy' && x.range.start.line === L + 4));
  assert.ok(!f.some((x) => x.range.start.line === L + 7), 'a site verification is nobody\'s business');
});

test('several SPF or DMARC records at one name', () => {
  const f = diagnoseText(HEAD + '@ TXT "v=spf1 mx -all"\n@ TXT "v=spf1 a -all"\n_dmarc TXT "v=DMARC1; p=none; rua=mailto:d@example.org"\n_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@example.org"\n');
  assert.deepEqual(brief(f.filter((x) => x.code.endsWith('-records'))), [
    `error spf/multiple-records@${L + 1}:7-${L + 1}:13`,
    `error dmarc/several-records@${L + 2}:12-${L + 2}:54`,
    `error dmarc/several-records@${L + 3}:12-${L + 3}:56`,
  ]);
});

test('a record set split over two files: each file gets the findings of its own records', () => {
  const files = {
    'file:///srv/db.example.org': HEAD + '@ TXT "v=spf1 ip4:192.0.2.1 -all"\n$INCLUDE spf.inc\n',
    'file:///srv/spf.inc': '@ TXT "v=spf1 ip4:192.0.2.2 -all"\n',
  };
  assert.deepEqual(codes(diagnoseZone(files, 'file:///srv/db.example.org')).filter((c) => c.startsWith('spf/')), []);
  assert.deepEqual(brief(diagnoseZone(files, 'file:///srv/spf.inc')).filter((x) => x.includes('spf/')), ['error spf/multiple-records@0:7-0:13']);
});

test('the obsolete SPF record type: alone it carries the policy; beside its TXT twin it is just obsolete', () => {
  const alone = diagnoseText('@ SPF "v=spf1 mx -all"\n');
  assert.deepEqual(brief(alone), ['warning spf/obsolete-rr-type@0:2-0:5']);
  assert.deepEqual(applyEdits('@ SPF "v=spf1 mx -all"\n', alone[0].fixes![0].edits), '@ TXT "v=spf1 mx -all"\n');
  const twin = diagnoseText('@ TXT "v=spf1 mx +all"\n@ SPF "v=spf1 mx +all"\n');
  assert.deepEqual(brief(twin), ['error spf/plus-all@0:17-0:21', 'warning spf/obsolete-rr-type@1:2-1:5']);
  assert.equal(twin[1].fixes, undefined);
});

test('SPF lookups are counted through the workspace\'s other zones; names outside stay unknown', () => {
  const provider = '$TTL 1h\n$ORIGIN provider.net.\n@ SOA ns1 hostmaster 1 2h 1h 4w 1h\n@ NS ns1\nns1 A 192.0.2.53\n' +
    '_spf TXT "v=spf1 ' + Array.from({ length: 10 }, (_, i) => `include:_s${i}.provider.net`).join(' ') + ' -all"\n' +
    Array.from({ length: 10 }, (_, i) => `_s${i} TXT "v=spf1 ip4:192.0.2.${i} -all"\n`).join('');
  const files = {
    'file:///srv/db.example.org': HEAD + '@ TXT "v=spf1 include:_spf.provider.net -all"\nother TXT "v=spf1 include:_spf.unknown.example -all"\n',
    'file:///srv/db.provider.net': provider,
  };
  const f = diagnoseZone(files, 'file:///srv/db.example.org');
  assert.deepEqual(brief(f), [`information zone/missing-dmarc@${L}:0-${L}:5`, `error spf/too-many-lookups@${L}:14-${L}:39`]);
  assert.match(f.find((x) => x.code === 'spf/too-many-lookups')!.message, /11/);
  // Without the provider's zone in the workspace, nothing can be said.
  assert.deepEqual(codes(diagnoseZone({ 'file:///srv/db.example.org': files['file:///srv/db.example.org'] }, 'file:///srv/db.example.org')), ['zone/missing-dmarc']);
});

test('DMARC report authorisations are looked up in the workspace\'s zones', () => {
  const ours = HEAD + '_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@reports.example.net"\n';
  const theirs = (record: string) => '$TTL 1h\n$ORIGIN example.net.\n@ SOA ns1 hostmaster 1 2h 1h 4w 1h\n@ NS ns1\nns1 A 192.0.2.53\n' + record;
  const severity = (record: string | undefined) => {
    const files: Record<string, string> = { 'file:///srv/db.example.org': ours };
    if (record !== undefined) files['file:///srv/db.example.net'] = theirs(record);
    return diagnoseZone(files, 'file:///srv/db.example.org').filter((x) => x.code === 'dmarc/external-report-domain').map((x) => x.severity);
  };
  assert.deepEqual(severity(undefined), ['information'], 'unknown: a hint');
  assert.deepEqual(severity('example.org._report._dmarc.reports TXT "v=DMARC1"\n'), [], 'authorised');
  assert.deepEqual(severity('reports MX 10 mail.example.net.\n'), ['warning'], 'the zone says it is not');
});

test('a DKIM key at a name that a <selector>._domainkey CNAME points to is where verifiers find it', () => {
  const f = diagnoseText(HEAD + `mail._domainkey CNAME keys.example.org.\nkeys TXT "v=DKIM1; p=${KEY}"\nstray TXT "v=DKIM1; p=${KEY}"\n`);
  assert.deepEqual(f.filter((x) => x.code === 'dkim/wrong-name').map((x) => x.range.start.line), [L + 2]);
});

test('an owner that repeats the origin: one finding (the zone\'s, with the fix), not the DKIM checker\'s too', () => {
  const f = diagnoseText(`sel._domainkey.example.org TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="\n`);
  assert.deepEqual(codes(f), ['zone/relative-name']);
});

test('a DKIM key split over two TXT records: joined into one record as opendkim-genkey writes it', () => {
  const text = HEAD + `sel._domainkey IN TXT "v=DKIM1; k=rsa; p=${KEY.slice(0, 200)}"\nsel._domainkey IN TXT "${KEY.slice(200)}"\nwww IN A 192.0.2.80\n`;
  const f = diagnoseText(text);
  const several = f.filter((x) => x.code === 'dkim/several-records');
  assert.equal(several.length, 2);
  const fix = several[0].fixes?.find((x) => x.title.startsWith('Join the 2 parts'));
  assert.ok(fix, JSON.stringify(several[0].fixes));
  const fixed = applyEdits(text, fix.edits);
  const lines = fixed.split('\n');
  assert.equal(lines[L], 'sel._domainkey IN TXT ( "v=DKIM1; k=rsa; "');
  assert.equal(lines[L + 1], '                        "p=' + KEY.slice(0, 253) + '"');
  assert.equal(lines[L + 2], '                        "' + KEY.slice(253) + '" )');
  assert.equal(lines[L + 3], 'www IN A 192.0.2.80');
  assert.deepEqual(brief(diagnoseText(fixed)).filter((x) => !x.includes('missing-dmarc')), []);
});

test('the genkey layout: tags in one string, the key in pieces of at most 255 bytes', () => {
  const strings = dkimStrings(`v=DKIM1; h=sha256; k=rsa; p=${KEY}`);
  assert.deepEqual(strings.map((s) => s.length), [26, 255, 139]);
  assert.equal(strings.join(''), `v=DKIM1; h=sha256; k=rsa; p=${KEY}`);
  assert.equal(layoutStrings(['a"b', 'c'], '  ', true), '( "a\\"b"\n  "c" )');
});

test('checker fixes inside quoted strings are escaped; fixes that would cut quotes or split words are dropped', () => {
  // eBay-style escapes before the tag the fix edits.
  const text = '_dmarc.example.org. TXT "v=DMARC1\\; p=none\\; rua=mailto:d@example.org"\n';
  const none = diagnoseText(text).find((x) => x.code === 'dmarc/monitoring-only')!;
  assert.equal(where(none), 'dmarc/monitoring-only@0:38-0:42');
  assert.equal(applyEdits(text, none.fixes![0].edits), '_dmarc.example.org. TXT "v=DMARC1\\; p=quarantine\\; rua=mailto:d@example.org"\n');
  // An unquoted record: a fix that inserts a blank would split a word into two strings.
  const bare = diagnoseText('@ TXT v=spf1 mx\n');
  for (const f of bare) for (const fix of f.fixes ?? []) for (const e of fix.edits) {
    if (!/^"/.test(e.newText)) assert.doesNotMatch(e.newText, /\s/, `${f.code}: ${fix.title}`);
  }
});

/** Every fix of every finding, applied alone, leaves the edited record free of new syntax errors. */
function assertFixesKeepSyntax(name: string, text: string, uri: string): number {
  let applied = 0;
  const before = new Set(parse(text).findings.filter((f) => f.severity === 'error').map((f) => f.code + f.range.start.line));
  for (const f of diagnoseZone({ [uri]: text }, uri)) {
    for (const fix of f.fixes ?? []) {
      const after = parse(applyEdits(text, fix.edits)).findings.filter((x) => x.severity === 'error' && !before.has(x.code + x.range.start.line));
      assert.deepEqual(after.map((x) => `${x.code}@${x.range.start.line}`), [], `${name}: ${f.code} "${fix.title}"`);
      applied++;
    }
  }
  return applied;
}

test('fixes on the corpus, the seeds and crafted records keep the zone file well-formed', () => {
  let applied = 0;
  const dir = path.join(CORPUS, 'zone');
  for (const name of fs.readdirSync(dir)) applied += assertFixesKeepSyntax(name, fs.readFileSync(path.join(dir, name), 'utf8'), `file:///corpus/${name}`);
  for (const d of fs.readdirSync(SAMPLES)) {
    const zones = path.join(SAMPLES, d, 'zones');
    if (!fs.existsSync(zones)) continue;
    for (const name of fs.readdirSync(zones)) applied += assertFixesKeepSyntax(name, fs.readFileSync(path.join(zones, name), 'utf8'), `file:///samples/${name}`);
  }
  const crafted = HEAD + [
    '@ TXT "v=spf1 -all mx" "a"',
    'a TXT "spf1 mx -all"',
    'b TXT "v=spf1 mx mx ~all"',
    'c TXT "v=spf1 ip4:192.0.2.1/24 ?all"',
    'd TXT "v=spf1" " mx" " redirect=x.example.net" " -all"',
    '_dmarc TXT "p=none; v=DMARC1"',
    'mail.example.org A 192.0.2.25',
    '@ MX 10 mail.example.org',
  ].join('\n') + '\n';
  applied += assertFixesKeepSyntax('crafted', crafted, 'file:///srv/db.example.org');
  assert.ok(applied >= 10, `${applied} fixes applied`);
});
