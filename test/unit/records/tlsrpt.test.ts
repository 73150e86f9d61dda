// TLS-RPT records (RFC 8460 §3): every finding code with its exact range.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkTlsRptRecord, checkTlsRptRecordSet, isTlsRptText, tlsRptTagHover, TLS_RPT_TAGS,
} from '../../../server/src/core/records/tlsrpt';
import { applyFix, codes, marks, plain } from './tagsHelpers';

const AT = '_smtp._tls.example.org';
/** Stands for "owner not known" (an undefined argument would take the default). */
const NO_OWNER = null;

function check(value: string, owner: string | null = AT) {
  const p = plain(value, owner ?? undefined);
  return { p, findings: checkTlsRptRecord(p.rec) };
}

function marked(value: string, owner: string | null = AT): string[] {
  const { p, findings } = check(value, owner);
  return marks(p, findings);
}

test('clean records: mailto and https, several addresses, trailing ;, unknown or relative owner', () => {
  for (const value of [
    'v=TLSRPTv1; rua=mailto:tls@example.org',
    'v=TLSRPTv1;rua=https://reports.example.net/tlsrpt;',
    'v=TLSRPTv1; rua=mailto:tls@example.org, https://reports.example.net/v1',
  ]) {
    assert.deepEqual(marked(value), [], value);
  }
  assert.deepEqual(marked('v=TLSRPTv1; rua=mailto:tls@example.org', NO_OWNER), []);
  assert.deepEqual(marked('v=TLSRPTv1; rua=mailto:tls@example.org', '_smtp._tls'), []);
  assert.ok(isTlsRptText('v=TLSRPTv1; rua=x') && isTlsRptText('v = tlsrptv1') && !isTlsRptText('rua=x; v=TLSRPTv1'));
});

test('tlsrpt/not-tlsrpt and tlsrpt/missing-version', () => {
  assert.deepEqual(marked('some-verification=abc'), ['tlsrpt/not-tlsrpt[warning]: some-verification=abc']);
  assert.deepEqual(marked('rua=mailto:tls@example.org'), ['tlsrpt/missing-version[error]: rua=mailto:tls@example.org']);
});

test('tlsrpt/version-not-first and tlsrpt/bad-version (with its fix for the case)', () => {
  assert.deepEqual(marked('rua=mailto:tls@example.org; v=TLSRPTv1'), ['tlsrpt/version-not-first[error]: v=TLSRPTv1']);
  assert.deepEqual(marked('v=TLSRPTv2; rua=mailto:tls@example.org'), ['tlsrpt/bad-version[error]: TLSRPTv2']);
  const { p, findings } = check('v=tlsrptv1; rua=mailto:tls@example.org');
  assert.deepEqual(marks(p, findings), ['tlsrpt/bad-version[error]: tlsrptv1']);
  assert.equal(applyFix(p.doc, findings[0]), 'v=TLSRPTv1; rua=mailto:tls@example.org');
});

test('tlsrpt/tag-syntax: blanks around =, a blank before v=, bad extension values', () => {
  assert.deepEqual(marked('v=TLSRPTv1; rua = mailto:tls@example.org'), ['tlsrpt/tag-syntax[error]: rua = ']);
  assert.deepEqual(marked('\tv=TLSRPTv1; rua=mailto:tls@example.org'), ['tlsrpt/tag-syntax[error]: \t']);
  assert.deepEqual(marked('v=TLSRPTv1; rua=mailto:tls@example.org; x=a b'), ['tlsrpt/tag-syntax[error]: a b', 'tlsrpt/unknown-tag[information]: x']);
});

test('tlsrpt/duplicate-tag and tlsrpt/unknown-tag', () => {
  assert.deepEqual(marked('v=TLSRPTv1; rua=mailto:a@example.org; rua=mailto:b@example.org'), ['tlsrpt/duplicate-tag[warning]: rua']);
  const typo = check('v=TLSRPTv1; ruf=mailto:a@example.org');
  assert.deepEqual(marks(typo.p, typo.findings), ['tlsrpt/missing-rua[error]: v=TLSRPTv1; ruf=mailto:a@example.org', 'tlsrpt/unknown-tag[warning]: ruf']);
});

test('tlsrpt/missing-rua and tlsrpt/bad-report-uri', () => {
  assert.deepEqual(marked('v=TLSRPTv1'), ['tlsrpt/missing-rua[error]: v=TLSRPTv1']);
  assert.deepEqual(marked('v=TLSRPTv1; rua=tls@example.org'), ['tlsrpt/bad-report-uri[error]: tls@example.org']);
  assert.deepEqual(marked('v=TLSRPTv1; rua=http://reports.example.net/'), ['tlsrpt/bad-report-uri[error]: http']);
  assert.deepEqual(marked('v=TLSRPTv1; rua=https://'), ['tlsrpt/bad-report-uri[error]: ']);
  assert.deepEqual(marked('v=TLSRPTv1; rua=mailto:tls@example.org!10m'), ['tlsrpt/bad-report-uri[error]: example.org!10m']);
});

test('tlsrpt/wrong-name: _smtp-tls, _tls._smtp, the domain itself', () => {
  const v = 'v=TLSRPTv1; rua=mailto:tls@example.org';
  assert.match(check(v, '_smtp-tls.example.org').findings[0].message, /Move it to `_smtp\._tls\.example\.org`/);
  assert.match(check(v, '_tls._smtp.example.org').findings[0].message, /Move it to `_smtp\._tls\.example\.org`/);
  assert.deepEqual(marked(v, 'example.org'), [`tlsrpt/wrong-name[warning]: ${v}`]);
});

test('tlsrpt/several-records', () => {
  const a = plain('v=TLSRPTv1; rua=mailto:a@example.org', AT), b = plain('v=TLSRPTv1; rua=mailto:b@example.org', AT);
  assert.deepEqual(codes(checkTlsRptRecordSet([a.rec, b.rec])), ['tlsrpt/several-records', 'tlsrpt/several-records']);
  assert.deepEqual(checkTlsRptRecordSet([a.rec]), []);
});

test('hover texts for the TLS-RPT tags', () => {
  for (const tag of TLS_RPT_TAGS) assert.match(tlsRptTagHover(tag)!, new RegExp('`' + tag + '=`'));
  assert.equal(tlsRptTagHover('ruf'), undefined);
});

test('tlsrpt checks never throw on junk', () => {
  let seed = 9;
  const alphabet = 'vrua=TLSRPTv1;:/,@.mailto \t\\"\u201c\0';
  for (let n = 0; n < 200; n++) {
    let s = n % 2 ? 'v=TLSRPTv1; rua=' : '';
    for (let i = 0; i < 60; i++) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; s += alphabet[seed % alphabet.length]; }
    assert.doesNotThrow(() => checkTlsRptRecord(plain(s, n % 3 ? AT : 'x').rec));
  }
});
