// The pure DKIM record builder: the TXT value, the `<selector>.txt` layout, the web-form
// value, the table lines, input validation; and the project's own DKIM record checks (on
// the value and on a zone file holding the generated record) find nothing wrong.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import {
  buildDkimRecords, validateDkimDomain, validateDkimSelector, DKIM_GENERATE_ALGORITHMS, type DkimGenerateAlgorithm,
} from '../../../server/src/core/records/dkim/generate';
import { checkDkimKeyRecord, dkimPublicKeyOf } from '../../../server/src/core/records/dkim';
import { recordTextFromPresentation, recordTextFromString } from '../../../server/src/core/records/tags/recordTexts';
import { diagnoseText } from '../zone/checksSupport';

function spkiFor(algorithm: DkimGenerateAlgorithm): Buffer {
  const m = /^rsa(\d+)$/.exec(algorithm);
  const pair = m ? crypto.generateKeyPairSync('rsa', { modulusLength: Number(m[1]) }) : crypto.generateKeyPairSync('ed25519');
  return pair.publicKey.export({ type: 'spki', format: 'der' });
}

const KEYS = new Map(DKIM_GENERATE_ALGORITHMS.map((a) => [a, spkiFor(a)]));

function build(algorithm: DkimGenerateAlgorithm, domain = 'example.org', selector = '202611') {
  return buildDkimRecords({ domain, selector, algorithm, publicKeySpki: KEYS.get(algorithm)!, keyPath: `/etc/opendkim/keys/${domain}/${selector}.private` });
}

for (const algorithm of DKIM_GENERATE_ALGORITHMS) {
  test(`${algorithm}: the record carries the key and passes mailconf's DKIM key checks`, () => {
    const g = build(algorithm);
    const spki = KEYS.get(algorithm)!;
    const p = algorithm === 'ed25519' ? spki.subarray(12).toString('base64') : spki.toString('base64');
    const head = algorithm === 'ed25519' ? 'v=DKIM1; k=ed25519; ' : 'v=DKIM1; h=sha256; k=rsa; ';
    assert.equal(g.txtValue, `${head}p=${p}`);
    assert.equal(g.recordName, '202611._domainkey.example.org');
    const findings = checkDkimKeyRecord(recordTextFromString(g.txtValue, { owner: g.recordName }));
    // Only the weak size draws a warning; nothing is an error.
    assert.deepEqual(findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code),
      algorithm === 'rsa1024' ? ['dkim/key-1024-bits'] : []);
    const key = dkimPublicKeyOf(g.txtValue);
    assert.ok(key, 'the checker reads a public key from the record');
    // The zone-file form joins to the same value, in strings of at most 255 characters.
    const afterType = g.zoneFileText.slice(g.zoneFileText.indexOf('TXT\t') + 4);
    const rec = recordTextFromPresentation(afterType);
    assert.equal(rec.value, g.txtValue);
    for (const s of afterType.match(/"[^"]*"/g)!) assert.ok(s.length - 2 <= 255, `string of ${s.length - 2} characters`);
  });
}

test('rsa1024 is flagged weak by the checker and carries a note; ed25519 notes the RSA fallback', () => {
  const weak = build('rsa1024');
  assert.match(weak.notes.join(' '), /RSA 1024 .*weakest/);
  const ed = build('ed25519');
  assert.match(ed.notes.join(' '), /RSA signature|RSA key too/);
  assert.deepEqual(build('rsa2048').notes, []);
});

test('a zone file with the generated <selector>.txt has no error or warning from the zone checks', () => {
  for (const algorithm of ['rsa2048', 'rsa4096', 'ed25519'] as const) {
    const g = build(algorithm);
    const zone = `$ORIGIN example.org.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n${g.zoneFileText}`;
    const bad = diagnoseText(zone).filter((f) => f.severity === 'error' || (f.severity === 'warning' && f.code.startsWith('dkim/')));
    assert.deepEqual(bad.map((f) => `${f.code}: ${f.message}`), [], algorithm);
  }
});

test("<selector>.txt has opendkim-genkey's layout", () => {
  const g = build('rsa2048', 'Example.ORG.', 'mail');
  const lines = g.zoneFileText.split('\n');
  assert.equal(lines[0], 'mail._domainkey\tIN\tTXT\t( "v=DKIM1; h=sha256; k=rsa; "');
  const key = KEYS.get('rsa2048')!.toString('base64');
  assert.equal(lines[1], `\t  "p=${key.slice(0, 250)}"`);
  assert.equal(lines[2], `\t  "${key.slice(250)}" )  ; ----- DKIM key mail for example.org`);
  assert.equal(lines[3], '');
  assert.equal(lines.length, 4);
});

test('the web-form value has no quotes, spaces or line breaks', () => {
  const g = build('rsa2048');
  assert.equal(g.webFormValue, `v=DKIM1;h=sha256;k=rsa;p=${KEYS.get('rsa2048')!.toString('base64')}`);
  assert.doesNotMatch(g.webFormValue, /[\s"]/);
});

test('KeyTable and SigningTable lines', () => {
  const g = build('rsa2048', 'example.org', '202611');
  assert.equal(g.keyTableLine, '202611._domainkey.example.org example.org:202611:/etc/opendkim/keys/example.org/202611.private');
  assert.equal(g.signingTableLine, '*@example.org 202611._domainkey.example.org');
});

test('invalid domains and selectors are refused with a reason', () => {
  const badDomains: Array<[string, RegExp]> = [
    ['', /empty/], ['localhost', /single label/], ['exa mple.org', /" " in "exa mple"/], ['-x.example.org', /hyphen/],
    ['a..example.org', /empty label/], [`${'a'.repeat(64)}.org`, /longer than 63/], ['ex_ample.org', /"_"/],
    ['../etc.org', /empty label|"\/"/], [`${'abcdefghi.'.repeat(26)}org`, /253/],
  ];
  for (const [d, re] of badDomains) {
    const msg = validateDkimDomain(d);
    assert.ok(msg, `${JSON.stringify(d)} refused`);
    assert.match(msg, re);
    assert.throws(() => build('rsa2048', d), re);
  }
  const badSelectors: Array<[string, RegExp]> = [
    ['', /empty/], ['a/b', /"\/"/], ['..', /empty label/], ['sel ector', /" "/], ['sel_', /"_"/], ['-s', /hyphen/],
  ];
  for (const [s, re] of badSelectors) {
    const msg = validateDkimSelector(s);
    assert.ok(msg, `${JSON.stringify(s)} refused`);
    assert.match(msg, re);
  }
  for (const ok of ['202611', 'mail', 'k1.2024', 'S-1']) assert.equal(validateDkimSelector(ok), undefined, ok);
  for (const ok of ['example.org', 'mail.example.co.uk', 'example.org.', 'xn--bcher-kva.example']) assert.equal(validateDkimDomain(ok), undefined, ok);
});

test('ed25519 refuses a public key that is not Ed25519', () => {
  assert.throws(() => buildDkimRecords({ domain: 'example.org', selector: 's', algorithm: 'ed25519', publicKeySpki: KEYS.get('rsa2048')!, keyPath: '/k' }), /not an Ed25519/);
});
