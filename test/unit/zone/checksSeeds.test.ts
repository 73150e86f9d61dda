// Every seed zone (samples/*/zones/*.zone) and every opendkim-genkey record under
// samples/*/etc gets exactly the findings an expert gives, with exact ranges. Why each:
//  - 000 any2any.de: a clean zone and a clean 2048-bit key; the zone publishes SPF (and a
//    DKIM key) but no _dmarc record: information, with a fix that adds p=none.
//  - 001 stefanux.net: the DKIM key is fine; `_DMARC` (upper case is the same name) has
//    p=none: information only. eBay's record (escaped `\;` as dig prints it, but inside
//    quotes that is just `;`): p=none, reports to other organisations' domains (they must
//    authorise it), and pct=/rf= which DMARCbis removed — all information.
//  - 002 mysystems.tld: the unquoted SPF record is stored as 7 strings that receivers join
//    into "v=spf1amxa:…": no longer SPF (error from the SPF checker, warning from the zone
//    parser, both with the quoting fix); ?all is neutral (warning). The unquoted DKIM record
//    loses everything after `;` to a comment, so it is `v=DKIM1` without p= (error).
//  - 003 example.org, 004 voorbeeld.nl: SPF fine; p=none (and 003 without rua=) information.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SAMPLES } from './helpers';
import { applyEdits, brief, diagnoseZone, zoneWorkspace, contextFor } from './checksSupport';
import { diagnose } from '../../../server/src/core/checks';

function sampleFiles(): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    for (const e of fs.readdirSync(p, { withFileTypes: true })) {
      const q = path.join(p, e.name);
      if (e.isDirectory()) walk(q);
      else if (q.endsWith('.zone') || (q.endsWith('.txt') && q.includes(`${path.sep}etc${path.sep}`))) out.push(q);
    }
  };
  walk(SAMPLES);
  return out.map((f) => path.relative(SAMPLES, f)).sort();
}

const EXPECTED: Record<string, string[]> = {
  '000-any2any.de/etc/dkimkeys/any2any.de/4400.txt': [],
  '000-any2any.de/zones/any2any.de.zone': ['information zone/missing-dmarc@6:20-6:23'],
  '001-stefanux.net/etc/opendkim/keys/stefanux.txt': [],
  '001-stefanux.net/zones/ebay.de.zone': [
    'information dmarc/monitoring-only@1:42-1:46',
    'information dmarc/external-report-domain@1:65-1:78',
    'information dmarc/external-report-domain@1:96-1:115',
    'information dmarc/external-report-domain@1:134-1:147',
    'information dmarc/removed-in-dmarcbis@1:195-1:197',
    'information dmarc/removed-in-dmarcbis@1:205-1:208',
  ],
  '001-stefanux.net/zones/stefanux.net.zone': ['information dmarc/monitoring-only@4:27-4:31'],
  '002-mysystems.tld/zones/domain.tld.zone': [
    'error spf/split-strings@1:37-1:110',
    'warning zone/unquoted-txt@1:37-1:110',
    'warning spf/neutral-all@1:106-1:110',
  ],
  '002-mysystems.tld/zones/mysystems.tld.zone': [
    'error dkim/missing-key@1:43-1:50',
    'warning zone/txt-semicolon-comment@1:50-1:269',
  ],
  '003-example.org/zones/example.org.zone': [
    'information dmarc/no-report-address@4:39-4:45',
    'information dmarc/monitoring-only@4:41-4:45',
  ],
  '004-voorbeeld.nl/zones/voorbeeld.nl.zone': ['information dmarc/monitoring-only@4:31-4:35'],
};

function uriOf(rel: string): string {
  return 'file://' + path.join(SAMPLES, rel);
}

test('every seed zone and genkey record is listed here', () => {
  assert.deepEqual(sampleFiles(), Object.keys(EXPECTED).sort());
});

for (const [rel, expected] of Object.entries(EXPECTED)) {
  test(`seed ${rel}`, () => {
    const text = fs.readFileSync(path.join(SAMPLES, rel), 'utf8');
    assert.deepEqual(brief(diagnoseZone({ [uriOf(rel)]: text }, uriOf(rel))), expected);
  });
}

test('all seeds in one workspace: the same findings (no zone leaks into another)', () => {
  const files = Object.fromEntries(Object.keys(EXPECTED).map((rel) => [uriOf(rel), fs.readFileSync(path.join(SAMPLES, rel), 'utf8')]));
  const ws = zoneWorkspace(files);
  for (const [rel, expected] of Object.entries(EXPECTED)) {
    assert.deepEqual(brief(diagnose(contextFor(ws, uriOf(rel)))), expected, rel);
  }
});

test('seed 002: the SPF error carries the quoting fix, and after it the record is clean but for ?all', () => {
  const rel = '002-mysystems.tld/zones/domain.tld.zone';
  const text = fs.readFileSync(path.join(SAMPLES, rel), 'utf8');
  const findings = diagnoseZone({ [uriOf(rel)]: text }, uriOf(rel));
  const split = findings.find((f) => f.code === 'spf/split-strings')!;
  assert.match(split.message, /v=spf1amx/);
  assert.equal(split.fixes?.[0].title, 'Put the TXT value in double quotes');
  const fixed = applyEdits(text, split.fixes![0].edits);
  assert.match(fixed, /TXT {4}"v=spf1 a mx a:mail\.domain1\.tld a:mail\.domain2\.tld ip4:123\.123\.123\.42 \?all"/);
  assert.deepEqual(brief(diagnoseZone({ [uriOf(rel)]: fixed }, uriOf(rel))), ['warning spf/neutral-all@1:107-1:111']);
});

test('seed 002: quoting the DKIM record brings the key back, and shows it is truncated', () => {
  const rel = '002-mysystems.tld/zones/mysystems.tld.zone';
  const text = fs.readFileSync(path.join(SAMPLES, rel), 'utf8');
  const comment = diagnoseZone({ [uriOf(rel)]: text }, uriOf(rel)).find((f) => f.code === 'zone/txt-semicolon-comment')!;
  const fixed = applyEdits(text, comment.fixes![0].edits);
  const after = diagnoseZone({ [uriOf(rel)]: fixed }, uriOf(rel));
  assert.ok(!after.some((f) => f.code === 'dkim/missing-key'), 'p= is part of the record now');
  assert.ok(after.some((f) => f.severity === 'error' && f.code.startsWith('dkim/')), `the truncated key is an error: ${brief(after).join(', ')}`);
});

test('seed 000: the missing-DMARC fix adds p=none after the apex records, and then the zone is clean', () => {
  const rel = '000-any2any.de/zones/any2any.de.zone';
  const text = fs.readFileSync(path.join(SAMPLES, rel), 'utf8');
  const f = diagnoseZone({ [uriOf(rel)]: text }, uriOf(rel))[0];
  assert.match(f.message, /any2any\.de publishes SPF but no DMARC record/);
  const fixed = applyEdits(text, f.fixes![0].edits);
  assert.equal(fixed.split('\n')[7], '_dmarc          IN TXT "v=DMARC1; p=none; rua=mailto:postmaster@any2any.de"');
  assert.deepEqual(brief(diagnoseZone({ [uriOf(rel)]: fixed }, uriOf(rel))), ['information dmarc/monitoring-only@7:36-7:40']);
});
