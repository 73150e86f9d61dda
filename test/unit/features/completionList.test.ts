// The completion list an editor gets: long lists (main.cf's parameter names) cut down to the
// items that can still match the typed word in the editor's own fuzzy filter — never fewer
// than VS Code's or a prefix filter would show — and documentation written on resolve.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completionDocumentation, completionListAt, completionsAt } from '../../../server/src/core/features/index';
import { mayMatchTyped } from '../../../server/src/core/features/completionFilter';
import type { CompletionResolve } from '../../../server/src/core/features/types';
import { instance } from './postfix/helpers';

const SETTINGS = { postfixVersion: 'latest' };

/**
 * The rule an editor's fuzzy filter follows, written plainly: the typed word's first
 * character at a word start of the text (its start, after a non-alphanumeric character, or a
 * capital after a small letter), the rest in order after it; optionally with two neighbouring
 * characters after the first swapped (VS Code in lists of up to 2,000 items).
 */
function editorShows(text: string, typed: string, swaps = true): boolean {
  const candidates = [typed];
  if (swaps) for (let i = 1; i + 1 < typed.length; i++) candidates.push(typed.slice(0, i) + typed[i + 1] + typed[i] + typed.slice(i + 2));
  return candidates.some((p) => inOrderFromWordStart(text, p));
}

function inOrderFromWordStart(text: string, typed: string): boolean {
  if (typed === '') return true;
  const low = text.toLowerCase();
  const p = typed.toLowerCase();
  for (let i = 0; i < low.length; i++) {
    const before = i > 0 ? text[i - 1] : '';
    const start = i === 0 || !/[A-Za-z0-9]/.test(before) || !/[A-Za-z0-9]/.test(text[i]) || (/[A-Z]/.test(text[i]) && !/[A-Z]/.test(before));
    if (!start || low[i] !== p[0]) continue;
    let k = 1;
    for (let j = i + 1; j < low.length && k < p.length; j++) if (low[j] === p[k]) k++;
    if (k === p.length) return true;
  }
  return false;
}

test('mayMatchTyped: word starts, order, case, a swapped pair, camel case', () => {
  assert.ok(mayMatchTyped('smtpd_tls_ciphers', 'tls'));
  assert.ok(mayMatchTyped('smtpd_tls_ciphers', 'tlsci'));
  assert.ok(mayMatchTyped('smtpd_tls_ciphers', 'SMTPD_T'));
  assert.ok(mayMatchTyped('smtpd_milters', 'smtdp'), 'two neighbouring characters swapped');
  assert.ok(mayMatchTyped('myHostName', 'hn'), 'a capital starts a word');
  assert.ok(mayMatchTyped('hash:', 'hash:'));
  assert.ok(mayMatchTyped('anything', ''), 'nothing typed: everything');
  assert.ok(!mayMatchTyped('smtpd_tls_ciphers', 'mtpd'), 'm is inside a word');
  assert.ok(!mayMatchTyped('smtpd_milters', 'smtpd_x'));
  assert.ok(!mayMatchTyped('ab', 'abc'), 'longer than the text');
});

test('mayMatchTyped keeps everything an editor shows (random names and typed words)', () => {
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  const alphabet = 'abcdst_-.MT1';
  const word = (max: number) => Array.from({ length: 1 + rand(max) }, () => alphabet[rand(alphabet.length)]).join('');
  let shown = 0;
  for (let i = 0; i < 20_000; i++) {
    const text = word(18);
    // Typed words taken from the text (so that many match) or made up.
    const from = rand(text.length);
    const typed = rand(2) ? text.slice(from, from + 1 + rand(6)) : word(5);
    if (editorShows(text, typed) || text.toLowerCase().startsWith(typed.toLowerCase())) {
      shown++;
      assert.ok(mayMatchTyped(text, typed), `${JSON.stringify(typed)} in ${JSON.stringify(text)}`);
    }
  }
  assert.ok(shown > 5000, `${shown} pairs an editor shows`);
});

const MAIN = 'myhostname = mail.example.org\nmy_hosts = 10.0.0.1\ntls\n\nmilter_default_action = \n';
const MASTER = 'smtp inet n - y - - smtpd\npolicyd-spf unix - n n - 0 spawn user=nobody argv=/usr/bin/policyd-spf\n';

test('completionListAt: the typed word cuts the parameter names down to what can match; the editor is told to ask again', () => {
  const ctx = instance(MAIN, MASTER).onMain();
  const all = completionsAt(ctx, { line: 2, character: 3 });
  assert.ok(all.length > 800, `${all.length} names`);
  const list = completionListAt(ctx, { line: 2, character: 3 });
  assert.equal(list.isIncomplete, true);
  const labels = new Set(list.items.map((i) => i.label));
  assert.ok(labels.has('smtpd_tls_ciphers') && labels.has('tls_high_cipherlist') && labels.has('smtp_tls_security_level'));
  assert.ok(!labels.has('myhostname') && !labels.has('mynetworks'));
  assert.ok(list.items.length < all.length / 3, `${list.items.length} of ${all.length}`);
  for (const i of all) {
    if (editorShows(i.filterText ?? i.label, 'tls')) assert.ok(labels.has(i.label), `${i.label} is kept`);
  }
  // The kept items are completionsAt's, unchanged and in the same order.
  assert.deepEqual(list.items, all.filter((i) => labels.has(i.label)));
});

test('completionListAt: nothing typed gives every name; short lists are never cut', () => {
  const ctx = instance(MAIN, MASTER).onMain();
  const empty = completionListAt(ctx, { line: 3, character: 0 });
  assert.equal(empty.isIncomplete, false);
  assert.deepEqual(empty.items, completionsAt(ctx, { line: 3, character: 0 }));
  const values = completionListAt(ctx, { line: 4, character: 24 });
  assert.equal(values.isIncomplete, false);
  assert.deepEqual(values.items.map((i) => i.label).sort(), ['accept', 'quarantine', 'reject', 'shutdown', 'tempfail']);
});

test('completionDocumentation: built-in, per-service and own names; anything malformed from the editor gives nothing', () => {
  assert.match(completionDocumentation(SETTINGS, { parameter: 'smtpd_tls_ciphers' }) ?? '', /postconf\.5\.html#smtpd_tls_ciphers/);
  assert.match(completionDocumentation(SETTINGS, { parameter: 'policyd-spf_time_limit', service: { name: 'policyd-spf', command: 'spawn' } }) ?? '', /time_limit/);
  assert.equal(completionDocumentation(SETTINGS, { parameter: 'strict', own: 'restriction-class' }), 'Restriction class defined in main.cf.');
  // The configured version decides what the text says (smtpd_use_tls is deprecated from 3.9 on).
  assert.notEqual(completionDocumentation({ postfixVersion: '3.7' }, { parameter: 'smtpd_use_tls' }), completionDocumentation(SETTINGS, { parameter: 'smtpd_use_tls' }));
  const bad: unknown[] = [null, undefined, {}, { parameter: 5 }, { parameter: 'no_such_parameter' }, { parameter: '__proto__' },
    { parameter: 'x'.repeat(100_000) }, { parameter: 'a_b', service: 'a' }, { parameter: 'a_b', service: { name: 'zz', command: 'spawn' } },
    { parameter: 'a_b', service: { name: 'a', command: 7 } }, { parameter: 'a_b', service: null }, { parameter: 'a', own: 'other' },
    { parameter: 'a', own: 1 }, 'smtpd_milters', []];
  for (const b of bad) assert.equal(completionDocumentation(SETTINGS, b as CompletionResolve), undefined, JSON.stringify(b)?.slice(0, 80));
});
