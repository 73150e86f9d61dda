// Real zone files (../shared/corpus/zone) and the seeds' zone snippets (samples/, taken
// from ../shared/seeds) must parse without a false syntax error.
//
// Checked by hand against BIND 9.18's named-checkzone (Debian bind9-utils):
//  - mox example.zone, ocf db.asuc.org, the mmes-2 zone and all suhaibchaudhry zones load as
//    they are.
//  - ocf db.ocf.berkeley.edu and db.ocf.io `$INCLUDE ../db.ocf`, which is not in the corpus;
//    with a stub db.ocf holding the SOA both load. The core does no I/O, so the include is
//    kept as a directive and not followed.
//  - The three opendkim-genkey mail.txt files are fragments (no $TTL, no SOA): alone,
//    named-checkzone says "no TTL specified; zone rejected"; pasted into a zone with a
//    $TTL they load. mailconf parses them as fragments, without findings.
//  - The two WikiTide zones are gdnsd zones: named-checkzone rejects `DYNA` ("unknown RR
//    type") and a 434-byte DKIM string ("out of range"); gdnsd accepts both (it splits long
//    strings). mailconf gives warnings (zone/nonstandard-type, zone/txt-string-too-long), not
//    errors, because the software the file is written for accepts it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS, SAMPLES, SEEDS, errors, parse, readText, records, wheres } from './helpers';
import { txtValue } from '../../../server/src/core/zone/strings';
import { ownerName } from '../../../server/src/core/zone/names';

const ZONE_CORPUS = path.join(CORPUS, 'zone');

test('the zone corpus is there', () => {
  assert.ok(fs.readdirSync(ZONE_CORPUS).length >= 17);
});

for (const name of fs.existsSync(ZONE_CORPUS) ? fs.readdirSync(ZONE_CORPUS).sort() : []) {
  test(`corpus ${name}: no error finding`, () => {
    const text = readText(path.join(ZONE_CORPUS, name));
    const { tree, findings } = parse(text);
    assert.deepEqual(errors(findings).map((f) => `${f.code} ${f.range.start.line}: ${f.message}`), []);
    assert.ok(records(tree).length > 0, 'records were found');
    for (const r of records(tree)) assert.ok(r.typeName !== '' && r.rdata.length > 0, `record on line ${r.firstLine} has a type and rdata`);
  });
}

test('corpus: the gdnsd zones get only the documented warnings', () => {
  for (const name of ['WikiTideOrg__dns__zones_wikitide.com', 'WikiTideOrg__dns__zones_wikitide.org']) {
    const { findings } = parse(readText(path.join(ZONE_CORPUS, name)));
    assert.deepEqual(wheres(findings), [
      'zone/nonstandard-type@12:3-12:7',
      'zone/nonstandard-type@13:3-13:7',
      'zone/txt-string-too-long@34:21-34:433',
    ], name);
  }
});

test('corpus: every other file has no finding at all', () => {
  for (const name of fs.readdirSync(ZONE_CORPUS)) {
    if (name.startsWith('WikiTideOrg')) continue;
    assert.deepEqual(wheres(parse(readText(path.join(ZONE_CORPUS, name))).findings), [], name);
  }
});

test('corpus: ocf db.ocf.berkeley.edu — $INCLUDE kept, multi-line DKIM with an unindented continuation', () => {
  const { tree } = parse(readText(path.join(ZONE_CORPUS, 'ocf__dns__etc_zones_db.ocf.berkeley.edu')));
  const include = tree.entries.find((e) => e.kind === 'directive' && e.directive === 'INCLUDE');
  assert.ok(include && include.kind === 'directive');
  assert.deepEqual(include.args.map((a) => a.text), ['../db.ocf']);
  const google = records(tree).find((r) => r.owner.text === 'google._domainkey')!;
  assert.deepEqual([google.firstLine, google.lastLine, google.rdata.length], [25, 26, 2]);
  assert.equal(google.rdata[1].start, 0);
  assert.ok(txtValue(google).startsWith('v=DKIM1; k=rsa; p=MIIBIjAN'));
  assert.ok(txtValue(google).endsWith('IDAQAB'));
  assert.equal(ownerName(google), 'google._domainkey.ocf.berkeley.edu.');
});

test('corpus: SOA records spread over parentheses have their 7 fields', () => {
  for (const name of fs.readdirSync(ZONE_CORPUS)) {
    for (const r of records(parse(readText(path.join(ZONE_CORPUS, name))).tree)) {
      if (r.typeName === 'SOA') assert.equal(r.rdata.length, 7, name);
    }
  }
});

// ---- seeds (via samples/, whose snippets are copied from ../shared/seeds) ----

function sample(rel: string): string {
  return readText(path.join(SAMPLES, rel));
}

function seedContains(seed: string, snippetLine: string): void {
  const file = fs.readdirSync(SEEDS).find((f) => f.startsWith(seed));
  assert.ok(file, `seed ${seed}`);
  assert.ok(readText(path.join(SEEDS, file)).includes(snippetLine), `seed ${seed} has ${snippetLine.slice(0, 40)}…`);
}

test('seed 000: opendkim-genkey 4400.txt parses cleanly as a fragment', () => {
  const text = sample('000-any2any.de/etc/dkimkeys/any2any.de/4400.txt');
  seedContains('000', text.split('\n')[0]);
  const { tree, findings } = parse(text);
  assert.deepEqual(findings, []);
  const [r] = records(tree);
  assert.deepEqual([r.owner.text, r.class?.text, r.typeName, r.rdata.length, r.firstLine, r.lastLine], ['4400._domainkey', 'IN', 'TXT', 3, 0, 2]);
  assert.ok(r.rdata.every((s) => s.quoted));
  assert.match(txtValue(r), /^v=DKIM1; h=sha256; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAx5vnqsfJ.*IDAQAB$/);
  assert.deepEqual(r.comments?.map((c) => c.text), ['; ----- DKIM key 4400 for any2any.de']);
});

test('seed 000: its dig output pasted as a record — the post lost the closing quote', () => {
  const line = '"v=spf1 mx ip4:94.130.57.108 ip6:2a01:4f8:c0c:81d7::1 -all';
  seedContains('000', line);
  const { tree, findings } = parse(`@ IN TXT ${line}\n`);
  assert.deepEqual(wheres(findings), ['zone/unterminated-string@0:9-0:67']);
  assert.equal(txtValue(records(tree)[0]), 'v=spf1 mx ip4:94.130.57.108 ip6:2a01:4f8:c0c:81d7::1 -all');
});

test('seed 000: the zone behind the dig output (inherited owners under @)', () => {
  const { tree, findings } = parse(sample('000-any2any.de/zones/any2any.de.zone'));
  assert.deepEqual(findings, []);
  const rs = records(tree);
  assert.deepEqual(rs.map((r) => [r.typeName, ownerName(r)]), [
    ['SOA', 'any2any.de.'], ['NS', 'any2any.de.'], ['MX', 'any2any.de.'], ['TXT', 'any2any.de.'],
    ['A', 'ns1.any2any.de.'], ['TXT', '4400._domainkey.any2any.de.'],
  ]);
  assert.equal(txtValue(rs[3]), 'v=spf1 mx ip4:94.130.57.108 ip6:2a01:4f8:c0c:81d7::1 -all');
  assert.equal(rs[5].rdata.length, 2);
});

test('seed 001: 20201110.txt parses cleanly; the dig-output records decode', () => {
  const key = sample('001-stefanux.net/etc/opendkim/keys/stefanux.txt');
  seedContains('001', key.split('\n')[0]);
  const k = parse(key);
  assert.deepEqual(k.findings, []);
  const [r] = records(k.tree);
  assert.deepEqual([r.owner.text, r.rdata.length], ['20201110._domainkey', 3]);
  assert.match(txtValue(r), /^v=DKIM1; h=sha256; k=rsa; s=email; p=MIIB.*IDAQAB$/);

  const ebay = parse(sample('001-stefanux.net/zones/ebay.de.zone'));
  assert.deepEqual(ebay.findings, []);
  const [dmarc] = records(ebay.tree);
  assert.deepEqual([dmarc.owner.text, dmarc.ttlSeconds, dmarc.class?.text], ['_dmarc.ebay.de.', 300, 'IN']);
  assert.match(txtValue(dmarc), /^v=DMARC1; p=none; rua=mailto:ebay@rua\.agari\.com,/);
  assert.ok(txtValue(dmarc).endsWith('; pct=100'));

  const stefanux = parse(sample('001-stefanux.net/zones/stefanux.net.zone'));
  assert.deepEqual(stefanux.findings, []);
  const [dkim, d2] = records(stefanux.tree);
  assert.equal(dkim.rdata.length, 2);
  assert.equal(ownerName(d2), '_DMARC.stefanux.net.');
});

test('seed 002: the unquoted SPF record and the DKIM record cut by ";" get their findings', () => {
  seedContains('002', 'domain.tld.    86400    IN    TXT    v=spf1 a mx');
  seedContains('002', 'dkim._domainkey.mysystems.tld. 3600 IN TXT v=DKIM1; p=MIGf');
  const spf = parse(sample('002-mysystems.tld/zones/domain.tld.zone'));
  assert.deepEqual(wheres(spf.findings), ['zone/unquoted-txt@1:37-1:110']);
  assert.equal(records(spf.tree)[0].rdata.length, 7);
  const dkim = parse(sample('002-mysystems.tld/zones/mysystems.tld.zone'));
  assert.deepEqual(wheres(dkim.findings), ['zone/txt-semicolon-comment@1:50-1:269']);
  assert.equal(txtValue(records(dkim.tree)[0]), 'v=DKIM1');
});

test('seeds 003 and 004: provider-style records parse without findings', () => {
  for (const rel of ['003-example.org/zones/example.org.zone', '004-voorbeeld.nl/zones/voorbeeld.nl.zone']) {
    const { tree, findings } = parse(sample(rel));
    assert.deepEqual(findings, [], rel);
    assert.ok(records(tree).every((r) => r.typeName === 'TXT' && r.rdata.length === 1));
  }
  // Seed 004's entry box, as a zone line: owner, no TTL, no class.
  const { tree, findings } = parse('@                   TXT     "v=spf1 mx ~all"    \n_dmarc     TXT    "v=DMARC1; p=none; rua=mailto:reports@voorbeeld.nl"    \n');
  assert.deepEqual(findings, []);
  assert.deepEqual(records(tree).map((r) => [r.owner.text, r.ttl, r.class, r.typeName]), [['@', undefined, undefined, 'TXT'], ['_dmarc', undefined, undefined, 'TXT']]);
});
