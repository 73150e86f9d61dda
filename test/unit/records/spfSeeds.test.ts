// The seeds' SPF records get exactly the findings an expert gives them, both as the blog
// posts print the record text and as the sample zone files publish it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkSpfRecord } from '../../../server/src/core/records/spf/checks';
import { describe, single } from './spfHelpers';
import { spfFindingsOfZone } from './spfZone';

const SEEDS = path.resolve(__dirname, '../../../../shared/seeds');
const SAMPLES = path.resolve(__dirname, '../../../samples');

/** Record text from the posts → the expert's findings ("code 'squiggled text'"). */
const SEED_TEXTS: Array<[string, string, string[]]> = [
  // 000: fine — mx plus the server's own addresses, hard fail for the rest.
  ['000', 'v=spf1 mx ip4:94.130.57.108 ip6:2a01:4f8:c0c:81d7::1 -all', []],
  // 002: "?all" says nothing about unlisted hosts.
  ['002', 'v=spf1 a mx a:mail.domain1.tld a:mail.domain2.tld ip4:123.123.123.42 ?all', ["spf/neutral-all '?all'"]],
  // 003 and 004: fine.
  ['003', 'v=spf1 a mx ~all', []],
  ['004', 'v=spf1 mx ~all', []],
  // 001's schema still has the placeholder of the post in it: a permerror for every receiver.
  ['001', 'v=spf1 mx a include:mailxy.domain.tld ip4:WeitereIP.IP.IP.IP ~all', ["spf/bad-ip4 'WeitereIP.IP.IP.IP'"]],
];

for (const [seed, value, expected] of SEED_TEXTS) {
  test(`seed ${seed}: ${value}`, () => {
    const post = fs.readdirSync(SEEDS).find((f) => f.startsWith(seed + '_'));
    assert.ok(post, `seed ${seed} is in ../shared/seeds`);
    assert.ok(fs.readFileSync(path.join(SEEDS, post), 'utf8').includes(value.split(' ').slice(0, 3).join(' ')), 'the record is the post\'s');
    const { text, rec } = single(value);
    assert.deepEqual(describe(text, checkSpfRecord(rec)), expected);
  });
}

/** Sample zone files → SPF findings ("code line:text"). */
const SAMPLE_ZONES: Array<[string, string[]]> = [
  ['000-any2any.de/zones/any2any.de.zone', []],
  // Unquoted in the post: seven strings that receivers glue into "v=spf1amxa:…", not SPF;
  // the record as meant gets the ?all finding.
  ['002-mysystems.tld/zones/domain.tld.zone', [
    "spf/split-strings 1:v=spf1 a mx a:mail.domain1.tld a:mail.domain2.tld ip4:123.123.123.42 ?all",
    "spf/neutral-all 1:?all",
  ]],
  ['003-example.org/zones/example.org.zone', []],
  ['004-voorbeeld.nl/zones/voorbeeld.nl.zone', []],
];

for (const [file, expected] of SAMPLE_ZONES) {
  test(`sample zone ${file}`, () => {
    const text = fs.readFileSync(path.join(SAMPLES, file), 'utf8');
    const lines = text.split('\n');
    const got = spfFindingsOfZone(text).map((f) => `${f.code} ${f.range.start.line}:${lines[f.range.start.line].slice(f.range.start.character, f.range.end.line === f.range.start.line ? f.range.end.character : undefined)}`);
    assert.deepEqual(got, expected);
  });
}

test('seed 000 dig output: the lost closing quote is the zone parser\'s matter, the record itself is fine', () => {
  const post = fs.readdirSync(SEEDS).find((f) => f.startsWith('000_'))!;
  const line = fs.readFileSync(path.join(SEEDS, post), 'utf8').split('\n').find((l) => l.startsWith('"v=spf1'))!;
  assert.equal(line, '"v=spf1 mx ip4:94.130.57.108 ip6:2a01:4f8:c0c:81d7::1 -all');
  const { rec } = single(line.slice(1));
  assert.deepEqual(checkSpfRecord(rec), []);
});
