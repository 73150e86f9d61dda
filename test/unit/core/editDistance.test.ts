import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestMatches, damerauLevenshtein, typoBudget } from '../../../server/src/core/text/editDistance';

test('Damerau-Levenshtein (optimal string alignment) counts a swap of neighbours as one edit', () => {
  assert.equal(damerauLevenshtein('ab', 'ba'), 1);
  assert.equal(damerauLevenshtein('smtpd_tls_cert_flie', 'smtpd_tls_cert_file'), 1);
  assert.equal(damerauLevenshtein('ca', 'abc'), 3, 'OSA does not edit a substring twice');
  assert.equal(damerauLevenshtein('kitten', 'sitting'), 3);
  assert.equal(damerauLevenshtein('same', 'same'), 0);
  assert.equal(damerauLevenshtein('smtpd_milter', 'smtpd_milters'), 1);
  assert.equal(damerauLevenshtein('abc', ''), 3);
  assert.equal(damerauLevenshtein('', 'xyz'), 3);
});

test('the limit stops early and reports limit + 1', () => {
  assert.equal(damerauLevenshtein('aaaaaaaaaa', 'bbbbbbbbbb', 2), 3);
  assert.equal(damerauLevenshtein('short', 'a much longer string', 3), 4, 'length difference alone exceeds the limit');
  assert.equal(damerauLevenshtein('smtpd_milterz', 'smtpd_milters', 1), 1);
  // The early exit never hides a match within the limit.
  const words = ['relayhost', 'relay_host', 'relayhosts', 'myhostname', 'mydomain', 'ab', 'ba', 'abc', 'cab'];
  for (const a of words) for (const b of words) {
    const full = damerauLevenshtein(a, b);
    for (let limit = 0; limit <= 4; limit++) assert.equal(damerauLevenshtein(a, b, limit), Math.min(full, limit + 1), `${a}/${b}/${limit}`);
  }
});

test('closest matches: nearest first, longer shared prefix breaks ties, never the word itself', () => {
  const names = ['smtpd_milters', 'non_smtpd_milters', 'milter_protocol', 'smtp_milters_x', 'smtpd_milterz'];
  assert.deepEqual(closestMatches('smtpd_milterz', names), ['smtpd_milters']);
  assert.deepEqual(closestMatches('smtpd_milter', names, { limit: 2 }), ['smtpd_milters', 'smtpd_milterz']);
  assert.deepEqual(closestMatches('zzz', names), []);
  assert.deepEqual(closestMatches('abd', ['abc', 'xbd', 'abc'], { maxDistance: 1 }), ['abc', 'xbd'], 'duplicates collapse');
  assert.equal(typoBudget(3), 1);
  assert.equal(typoBudget(10), 2);
  assert.equal(typoBudget(24), 3);
});
