// DMARC records (RFC 7489, DMARCbis RFC 9989): every finding code with its exact range,
// and the seed records with the findings an expert would give.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkDmarcRecord, checkDmarcRecordSet, dmarcTagHover, isDmarcText, organizationalDomainGuess, DMARC_TAGS,
  type DmarcCheckContext,
} from '../../../server/src/core/records/dmarc';
import { applyFix, codes, marks, plain, presentation, sampleRecord } from './tagsHelpers';

const AT = '_dmarc.example.org';

/** Stands for "owner not known" (an undefined argument would take the default). */
const NO_OWNER = null;

function check(value: string, owner: string | null = AT, context?: DmarcCheckContext) {
  const p = plain(value, owner ?? undefined);
  return { p, findings: checkDmarcRecord(p.rec, context) };
}

function marked(value: string, owner: string | null = AT, context?: DmarcCheckContext): string[] {
  const { p, findings } = check(value, owner, context);
  return marks(p, findings);
}

const GOOD = 'v=DMARC1; p=reject; rua=mailto:dmarc@example.org';

// ---- the seeds ----

test('seed 001: stefanux.net\'s record (trailing blank, upper-case _DMARC owner) is monitoring only', () => {
  const s = sampleRecord('001-stefanux.net/zones/stefanux.net.zone', '_DMARC');
  assert.equal(s.rec.owner, '_DMARC.stefanux.net');
  const findings = checkDmarcRecord(s.rec);
  assert.deepEqual(marks(s, findings), ['dmarc/monitoring-only[information]: none']);
  assert.match(findings[0].message, /step up to `p=quarantine`/);
});

test('seed 001: eBay\'s record as dig prints it (\\; inside quotes): monitoring, three report hosts of other organisations, DMARCbis notes', () => {
  const s = sampleRecord('001-stefanux.net/zones/ebay.de.zone', '_dmarc.ebay.de.');
  assert.ok(s.rec.value.startsWith('v=DMARC1; p=none; rua='), 'the zone escape \\; is a plain ; in the value');
  const findings = checkDmarcRecord(s.rec);
  assert.deepEqual(marks(s, findings), [
    'dmarc/monitoring-only[information]: none',
    'dmarc/external-report-domain[information]: rua.agari.com',
    'dmarc/external-report-domain[information]: auth.returnpath.net',
    'dmarc/external-report-domain[information]: ruf.agari.com',
    'dmarc/removed-in-dmarcbis[information]: rf',
    'dmarc/removed-in-dmarcbis[information]: pct',
  ]);
  assert.match(findings[1].message, /`ebay\.de\._report\._dmarc\.rua\.agari\.com TXT "v=DMARC1"`/);
  // `none` is plain text in the document (the escape comes after it), so the step-up fix is offered.
  assert.ok(findings[0].fixes);
});

test('seed 001: eBay\'s record pasted as plain text with dig\'s backslashes is broken at every separator', () => {
  const value = 'v=DMARC1\\; p=none\\; rua=mailto:ebay@rua.agari.com';
  const { p, findings } = check(value, '_dmarc.ebay.de');
  assert.deepEqual(marks(p, findings).filter((m) => m.startsWith('dmarc/tag-syntax')), ['dmarc/tag-syntax[error]: \\', 'dmarc/tag-syntax[error]: \\']);
  assert.match(findings.find((f) => f.code === 'dmarc/tag-syntax')!.message, /dig/);
});

test('seed 003: `v=DMARC1; p=none` — monitoring only, and no report address', () => {
  const s = sampleRecord('003-example.org/zones/example.org.zone', '_dmarc');
  assert.deepEqual(marks(s, checkDmarcRecord(s.rec)), [
    'dmarc/monitoring-only[information]: none',
    'dmarc/no-report-address[information]: p=none',
  ]);
});

test('seed 004: with rua= on its own domain — monitoring only', () => {
  const s = sampleRecord('004-voorbeeld.nl/zones/voorbeeld.nl.zone', '_dmarc');
  assert.deepEqual(marks(s, checkDmarcRecord(s.rec)), ['dmarc/monitoring-only[information]: none']);
});

// ---- clean records ----

test('clean records: policies, alignment, failure options, sizes, DMARCbis tags, case-insensitive names and keywords', () => {
  for (const value of [
    GOOD,
    'v=DMARC1; p=quarantine; sp=reject; np=reject; adkim=s; aspf=r; fo=d:s; ruf=mailto:f@example.org; rua=mailto:a@example.org!10m,mailto:b@reports.example.org',
    'v=DMARC1;p=reject;rua=mailto:a@example.org;',
    'v=DMARC1; P=Reject; RUA=mailto:a@example.org; ADKIM=S',
    'v=DMARC1; p=reject; t=y; psd=n; rua=mailto:a@example.org',
    'v = DMARC1 ; p = reject ; rua = mailto:a@example.org , mailto:b@example.org ',
  ]) {
    assert.deepEqual(marked(value), [], value);
  }
  assert.deepEqual(marked('v=DMARC1', 'example.org._report._dmarc.reports.example.net'), [], 'an authorisation record');
  assert.ok(isDmarcText('v=DMARC1; p=none') && isDmarcText('  v = dmarc1') && isDmarcText('v=DMARC1\\; p=none'));
  assert.ok(!isDmarcText('p=none; v=DMARC1') && !isDmarcText('v=DMARC10') && !isDmarcText('v=spf1 -all'));
});

// ---- version and place ----

test('dmarc/missing-version with its fix, and dmarc/not-dmarc for an unrelated TXT at _dmarc', () => {
  const { p, findings } = check('p=reject; rua=mailto:dmarc@example.org');
  assert.deepEqual(marks(p, findings), ['dmarc/missing-version[error]: p=reject; rua=mailto:dmarc@example.org']);
  const fixed = applyFix(p.doc, findings[0]);
  assert.equal(fixed, 'v=DMARC1; p=reject; rua=mailto:dmarc@example.org');
  assert.deepEqual(marked(fixed), []);
  assert.deepEqual(marked('google-site-verification=abc123'), ['dmarc/not-dmarc[warning]: google-site-verification=abc123']);
  assert.deepEqual(marked('google-site-verification=abc123', 'example.org'), [], 'elsewhere an unrelated TXT is none of our business');
});

test('dmarc/version-not-first and dmarc/bad-version (with its fix for the case)', () => {
  assert.deepEqual(marked('p=reject; v=DMARC1; rua=mailto:d@example.org'), ['dmarc/version-not-first[error]: v=DMARC1']);
  assert.deepEqual(marked('v=DMARC2; p=reject; rua=mailto:d@example.org'), ['dmarc/bad-version[error]: DMARC2']);
  const { p, findings } = check('v=dmarc1; p=reject; rua=mailto:d@example.org');
  assert.deepEqual(marks(p, findings), ['dmarc/bad-version[error]: dmarc1']);
  assert.equal(applyFix(p.doc, findings[0]), 'v=DMARC1; p=reject; rua=mailto:d@example.org');
});

test('dmarc/wrong-name: at the domain itself, without the underscore, or with the domain written twice', () => {
  const atApex = check(GOOD, 'example.org').findings;
  assert.deepEqual(marked(GOOD, 'example.org'), [`dmarc/wrong-name[warning]: ${GOOD}`]);
  assert.match(atApex[0].message, /Move it to `_dmarc\.example\.org`/);
  assert.match(check(GOOD, 'dmarc.example.org').findings[0].message, /Move it to `_dmarc\.example\.org`/);
  const twice = check(GOOD, '_dmarc.example.org.example.org').findings;
  assert.deepEqual(codes(twice), ['dmarc/wrong-name']);
  assert.match(twice[0].message, /trailing dot/);
  assert.deepEqual(marked(GOOD, '_dmarc'), [], 'relative owner, zone unknown');
  assert.deepEqual(marked(GOOD, NO_OWNER), []);
});

// ---- the tag list ----

test('dmarc/tag-syntax and dmarc/duplicate-tag', () => {
  assert.deepEqual(marked('v=DMARC1; p=reject;; rua=mailto:d@example.org'), ['dmarc/tag-syntax[warning]: ;']);
  assert.deepEqual(marked('v=DMARC1; p=reject; rua=mailto:d@example.org; mailto:e@example.org'), ['dmarc/tag-syntax[error]: mailto:e@example.org']);
  assert.deepEqual(marked('v=DMARC1; p=none; P=reject; rua=mailto:d@example.org'), [
    'dmarc/duplicate-tag[error]: P',
    'dmarc/monitoring-only[information]: none',
  ]);
});

test('dmarc/unknown-tag: a likely typo is a warning, anything else information', () => {
  const typo = check('v=DMARC1; p=reject; rua=mailto:d@example.org; adkm=s');
  assert.deepEqual(marks(typo.p, typo.findings), ['dmarc/unknown-tag[warning]: adkm']);
  assert.match(typo.findings[0].message, /did you mean `adkim`/);
  assert.deepEqual(marked('v=DMARC1; p=reject; rua=mailto:d@example.org; xyz=bar'), ['dmarc/unknown-tag[information]: xyz']);
});

// ---- policies and values ----

test('dmarc/missing-policy, dmarc/bad-policy and dmarc/policy-not-second', () => {
  assert.deepEqual(marked('v=DMARC1; rua=mailto:d@example.org'), ['dmarc/missing-policy[error]: v=DMARC1; rua=mailto:d@example.org']);
  assert.deepEqual(marked('v=DMARC1; p=block; rua=mailto:d@example.org'), ['dmarc/bad-policy[error]: block']);
  assert.deepEqual(marked('v=DMARC1; p=reject; sp=; np=allow; rua=mailto:d@example.org'), [
    'dmarc/bad-policy[error]: sp=',
    'dmarc/bad-policy[error]: allow',
  ]);
  assert.deepEqual(marked('v=DMARC1; rua=mailto:d@example.org; p=reject'), ['dmarc/policy-not-second[warning]: p=reject']);
});

test('dmarc/monitoring-only and its (not preferred) step-up fix', () => {
  const { p, findings } = check('v=DMARC1; p=none; rua=mailto:d@example.org');
  assert.deepEqual(marks(p, findings), ['dmarc/monitoring-only[information]: none']);
  assert.equal(findings[0].fixes![0].preferred, undefined);
  assert.equal(applyFix(p.doc, findings[0]), 'v=DMARC1; p=quarantine; rua=mailto:d@example.org');
});

test('dmarc/bad-value for adkim, aspf, fo, pct, rf, ri, psd, t', () => {
  assert.deepEqual(marked('v=DMARC1; p=reject; rua=mailto:d@example.org; adkim=x; aspf=relaxed; fo=1:2; psd=yes; t=true'), [
    'dmarc/bad-value[warning]: x',
    'dmarc/bad-value[warning]: relaxed',
    'dmarc/bad-value[warning]: 1:2',
    'dmarc/bad-value[warning]: yes',
    'dmarc/bad-value[warning]: true',
  ]);
  assert.deepEqual(marked('v=DMARC1; p=reject; rua=mailto:d@example.org; pct=150; rf=iodef; ri=daily'), [
    'dmarc/bad-value[warning]: 150',
    'dmarc/bad-value[warning]: iodef',
    'dmarc/bad-value[warning]: daily',
    'dmarc/removed-in-dmarcbis[information]: pct',
    'dmarc/removed-in-dmarcbis[information]: rf',
    'dmarc/removed-in-dmarcbis[information]: ri',
  ]);
});

test('dmarc/removed-in-dmarcbis: pct, rf and ri', () => {
  const { findings } = check('v=DMARC1; p=reject; pct=25; rf=afrf; ri=3600; rua=mailto:d@example.org');
  assert.deepEqual(codes(findings), ['dmarc/removed-in-dmarcbis', 'dmarc/removed-in-dmarcbis', 'dmarc/removed-in-dmarcbis']);
  assert.match(findings[0].message, /t=y/);
});

// ---- report addresses ----

test('dmarc/bad-report-uri: no mailto:, another scheme, bad size, blanks, empty entries, bad addresses', () => {
  const ruaOf = (rua: string) => marked(`v=DMARC1; p=reject; rua=${rua}`);
  assert.deepEqual(ruaOf('dmarc@example.org'), ['dmarc/bad-report-uri[error]: dmarc@example.org']);
  assert.match(check('v=DMARC1; p=reject; rua=dmarc@example.org').findings[0].message, /lacks the `mailto:`/);
  assert.deepEqual(ruaOf('https://example.org/dmarc'), ['dmarc/bad-report-uri[warning]: https']);
  assert.deepEqual(ruaOf('mailto:d@example.org!10x'), ['dmarc/bad-report-uri[error]: !10x']);
  assert.deepEqual(ruaOf('mailto:d@example.org mailto:e@example.org'), ['dmarc/bad-report-uri[error]:  ']);
  assert.deepEqual(ruaOf('mailto:d@example.org,'), ['dmarc/bad-report-uri[error]: ']);
  assert.deepEqual(ruaOf('mailto:d@example'), ['dmarc/bad-report-uri[error]: example']);
  assert.deepEqual(marked('v=DMARC1; p=reject; rua=mailto:d@example.org; ruf=mailto:@example.org'), ['dmarc/bad-report-uri[error]: ']);
});

test('dmarc/external-report-domain: another organisation must authorise; same organisation or known authorisation is silent', () => {
  const value = 'v=DMARC1; p=reject; rua=mailto:d@reports.example.net,mailto:e@sub.example.org';
  assert.deepEqual(marked(value), ['dmarc/external-report-domain[information]: reports.example.net']);
  const asked: string[] = [];
  const yes: DmarcCheckContext = { reportAuthorization: (d, h) => { asked.push(`${d} → ${h}`); return true; } };
  assert.deepEqual(marked(value, AT, yes), []);
  assert.deepEqual(asked, ['example.org → reports.example.net']);
  const no = check(value, AT, { reportAuthorization: () => false }).findings;
  assert.deepEqual(no.map((f) => `${f.code}[${f.severity}]`), ['dmarc/external-report-domain[warning]']);
  assert.match(no[0].message, /does not exist/);
  assert.deepEqual(marked(value, NO_OWNER), [], 'no domain known, nothing to compare');
  assert.deepEqual(marked('v=DMARC1; p=reject; rua=mailto:d@example.co.uk', '_dmarc.shop.example.co.uk'), []);
  assert.equal(organizationalDomainGuess('a.b.example.co.uk'), 'example.co.uk');
  assert.equal(organizationalDomainGuess('mail.example.org.'), 'example.org');
});

test('dmarc/no-report-address: without rua= nobody sees the reports', () => {
  assert.deepEqual(marked('v=DMARC1; p=reject'), ['dmarc/no-report-address[information]: p=reject']);
  assert.deepEqual(marked('v=DMARC1; p=reject; ruf=mailto:f@example.org'), ['dmarc/no-report-address[information]: p=reject']);
});

test('dmarc/several-records: two DMARC records at one name void both; unrelated TXT records do not count', () => {
  const a = plain('v=DMARC1; p=none', AT);
  const b = plain('v=DMARC1; p=reject', AT);
  const other = plain('google-site-verification=x', AT);
  const findings = checkDmarcRecordSet([a.rec, other.rec, b.rec]);
  assert.deepEqual(codes(findings), ['dmarc/several-records', 'dmarc/several-records']);
  assert.deepEqual(marks(a, [findings[0]]), ['dmarc/several-records[error]: v=DMARC1; p=none']);
  assert.deepEqual(checkDmarcRecordSet([a.rec, other.rec]), []);
});

test('checks run on the decoded value of a zone string', () => {
  const p = presentation('"v=DMARC1\\059 p=none\\059 rua=mailto:d@example.org"', AT);
  assert.deepEqual(marks(p, checkDmarcRecord(p.rec)), ['dmarc/monitoring-only[information]: none']);
});

test('hover texts for every DMARC tag, case-insensitive', () => {
  for (const tag of DMARC_TAGS) assert.match(dmarcTagHover(tag)!, new RegExp('`' + tag + '=`'));
  assert.equal(dmarcTagHover('RUA'), dmarcTagHover('rua'));
  assert.equal(dmarcTagHover('x'), undefined);
});

test('dmarc checks never throw on junk', () => {
  let seed = 5;
  const alphabet = 'vpsrufaokdmtinc=;:,!@. \t\\"DMARC1\u201c\0';
  for (let n = 0; n < 300; n++) {
    let s = n % 2 ? 'v=DMARC1; ' : '';
    for (let i = 0; i < 80; i++) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; s += alphabet[seed % alphabet.length]; }
    assert.doesNotThrow(() => checkDmarcRecord(plain(s, n % 3 ? AT : 'x._report._dmarc.y').rec, { reportAuthorization: () => undefined }));
  }
});
