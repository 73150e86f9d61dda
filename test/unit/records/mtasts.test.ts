// MTA-STS TXT records (RFC 8461 §3.1): every finding code with its exact range.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkMtaStsRecord, checkMtaStsRecordSet, isMtaStsText, mtaStsTagHover, MTA_STS_TAGS,
} from '../../../server/src/core/records/mtasts';
import { applyFix, codes, marks, plain, strings } from './tagsHelpers';

const AT = '_mta-sts.example.org';
/** Stands for "owner not known" (an undefined argument would take the default). */
const NO_OWNER = null;

function check(value: string, owner: string | null = AT) {
  const p = plain(value, owner ?? undefined);
  return { p, findings: checkMtaStsRecord(p.rec) };
}

function marked(value: string, owner: string | null = AT): string[] {
  const { p, findings } = check(value, owner);
  return marks(p, findings);
}

test('clean records: id forms, trailing ;, extension fields, split strings, unknown or relative owner', () => {
  for (const value of ['v=STSv1; id=20240601T1200', 'v=STSv1;id=1;', 'v=STSv1; id=' + 'a'.repeat(32), 'v=STSv1; id=abc; x-ext.1=v!']) {
    assert.deepEqual(marked(value).filter((m) => !m.startsWith('mta-sts/unknown-tag')), [], value);
  }
  assert.deepEqual(marked('v=STSv1; id=1', NO_OWNER), []);
  assert.deepEqual(marked('v=STSv1; id=1', '_mta-sts'), []);
  const split = strings(['v=STSv1; ', 'id=2024'], AT);
  assert.deepEqual(checkMtaStsRecord(split.rec), []);
  assert.ok(isMtaStsText('v=STSv1; id=1') && isMtaStsText(' v = stsv1;') && !isMtaStsText('id=1; v=STSv1'));
});

test('mta-sts/not-sts and mta-sts/missing-version', () => {
  assert.deepEqual(marked('google-site-verification=x'), ['mta-sts/not-sts[warning]: google-site-verification=x']);
  assert.deepEqual(marked('id=20240601'), ['mta-sts/missing-version[error]: id=20240601']);
});

test('mta-sts/version-not-first and mta-sts/bad-version (with its fix for the case)', () => {
  assert.deepEqual(marked('id=1; v=STSv1'), ['mta-sts/version-not-first[error]: v=STSv1']);
  assert.deepEqual(marked('v=STSv2; id=1'), ['mta-sts/bad-version[error]: STSv2']);
  const { p, findings } = check('v=stsv1; id=1');
  assert.deepEqual(marks(p, findings), ['mta-sts/bad-version[error]: stsv1']);
  assert.equal(applyFix(p.doc, findings[0]), 'v=STSv1; id=1');
});

test('mta-sts/tag-syntax: blanks around =, a blank before v=, bad extension values, malformed lists', () => {
  assert.deepEqual(marked('v=STSv1; id = 1'), ['mta-sts/tag-syntax[error]: id = ']);
  assert.deepEqual(marked(' v=STSv1; id=1'), ['mta-sts/tag-syntax[error]:  ']);
  assert.deepEqual(marked('v=STSv1; id=1; ext='), ['mta-sts/tag-syntax[error]: ext=', 'mta-sts/unknown-tag[information]: ext']);
  assert.deepEqual(marked('v=STSv1;; id=1'), ['mta-sts/tag-syntax[error]: ;']);
  assert.deepEqual(marked('v=STSv1; id=1; garbage'), ['mta-sts/tag-syntax[error]: garbage']);
});

test('mta-sts/duplicate-tag and mta-sts/unknown-tag', () => {
  assert.deepEqual(marked('v=STSv1; id=1; id=2'), ['mta-sts/duplicate-tag[warning]: id']);
  const typo = check('v=STSv1; idd=1');
  assert.deepEqual(marks(typo.p, typo.findings), ['mta-sts/missing-id[error]: v=STSv1; idd=1', 'mta-sts/unknown-tag[warning]: idd']);
  assert.deepEqual(marked('v=STSv1; id=1; mode=enforce'), ['mta-sts/unknown-tag[information]: mode']);
});

test('mta-sts/missing-id and mta-sts/bad-id', () => {
  assert.deepEqual(marked('v=STSv1;'), ['mta-sts/missing-id[error]: v=STSv1;']);
  assert.deepEqual(marked('v=STSv1; id=2024-06-01'), ['mta-sts/bad-id[error]: 2024-06-01']);
  assert.match(check('v=STSv1; id=2024-06-01').findings[0].message, /characters other than letters and digits/);
  assert.deepEqual(marked('v=STSv1; id=' + '1'.repeat(33)), ['mta-sts/bad-id[error]: ' + '1'.repeat(33)]);
  assert.deepEqual(marked('v=STSv1; id='), ['mta-sts/bad-id[error]: id=']);
});

test('mta-sts/wrong-name: the policy host name, an underscore slip, the domain itself', () => {
  const v = 'v=STSv1; id=1';
  const host = check(v, 'mta-sts.example.org').findings;
  assert.deepEqual(codes(host), ['mta-sts/wrong-name']);
  assert.match(host[0].message, /Move it to `_mta-sts\.example\.org` \(`mta-sts\.<domain>` without underscore is the web server/);
  assert.match(check(v, '_mta_sts.example.org').findings[0].message, /Move it to `_mta-sts\.example\.org`\./);
  assert.deepEqual(marked(v, 'example.org'), [`mta-sts/wrong-name[warning]: ${v}`]);
});

test('mta-sts/several-records', () => {
  const a = plain('v=STSv1; id=1', AT), b = plain('v=STSv1; id=2', AT), other = plain('x', AT);
  assert.deepEqual(codes(checkMtaStsRecordSet([a.rec, other.rec, b.rec])), ['mta-sts/several-records', 'mta-sts/several-records']);
  assert.deepEqual(checkMtaStsRecordSet([a.rec, other.rec]), []);
});

test('hover texts for the MTA-STS tags', () => {
  for (const tag of MTA_STS_TAGS) assert.match(mtaStsTagHover(tag)!, new RegExp('`' + tag + '=`'));
  assert.equal(mtaStsTagHover('mode'), undefined);
});

test('mta-sts checks never throw on junk', () => {
  let seed = 3;
  const alphabet = 'vid=STSv1;.- \t\\"\u201c\0x';
  for (let n = 0; n < 200; n++) {
    let s = n % 2 ? 'v=STSv1; ' : '';
    for (let i = 0; i < 60; i++) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; s += alphabet[seed % alphabet.length]; }
    assert.doesNotThrow(() => checkMtaStsRecord(plain(s, n % 3 ? AT : 'x').rec));
  }
});
