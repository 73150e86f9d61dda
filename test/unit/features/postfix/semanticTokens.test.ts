// Semantic tokens: known, own and unknown parameter names in main.cf and master.cf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { semanticTokensOf } from '../../../../server/src/core/features/index';
import type { SemanticToken } from '../../../../server/src/core/features/types';
import { instance, sample } from './helpers';

/** Tokens as `line:start-end type+modifiers`. */
function brief(tokens: SemanticToken[]): string[] {
  return tokens.map((t) => `${t.range.start.line}:${t.range.start.character}-${t.range.end.character} ${[t.type, ...t.modifiers].join('+')}`);
}

test('seed 000: built-in, deprecated and undefined names', () => {
  const text = sample('000-any2any.de', 'main.cf');
  const tokens = brief(semanticTokensOf(instance(text).onMain()));
  assert.deepEqual(tokens, [
    '1:0-8 property+declaration+defaultLibrary',
    '3:0-19 property+declaration+defaultLibrary',
    '4:0-18 property+declaration+defaultLibrary',
    '5:0-13 property+declaration+defaultLibrary+deprecated',
    '6:0-32 property+declaration+defaultLibrary',
    '6:43-57 property+defaultLibrary',
    '7:0-23 property+declaration+defaultLibrary',
    '8:0-31 property+declaration+defaultLibrary',
    '8:42-56 property+defaultLibrary',
    '9:0-15 property+declaration+defaultLibrary',
    '12:0-21 property+declaration+defaultLibrary',
    '13:0-15 property+declaration+defaultLibrary',
    '14:0-13 property+declaration+defaultLibrary',
    '15:0-17 property+declaration+defaultLibrary',
    // $smtpd_milter: nothing defines it.
    '15:21-33 parameter',
  ]);
  // For Postfix 3.7, smtpd_use_tls is not deprecated yet.
  const old = brief(semanticTokensOf(instance(text).onMain('3.7')));
  assert.ok(old.includes('5:0-13 property+declaration+defaultLibrary'));
});

test('own, per-service, restriction-class and unknown names', () => {
  const main = [
    'my_networks = 10.0.0.0/8', //                      0  referenced: variable
    'mynetworks = $my_networks', //                     1
    'smtpd_milterz = inet:localhost:8891', //           2  typo: parameter
    'policyd-spf_time_limit = 3600', //                 3  per-service: property
    'smtpd_restriction_classes = strict', //            4
    'strict = reject', //                               5  restriction class: variable
    'smtpd_recipient_restrictions = strict, reject_unauth_destination', // 6
    'process_id = 1', //                                7  read-only
    '',
  ].join('\n');
  const master = 'policyd-spf unix - n n - 0 spawn user=nobody argv=/bin/true\n' +
    'submission inet n - y - - smtpd\n  -o syslog_name=postfix/$service_name\n  -o my_flag=yes\n  -o milter_macro_daemon_name=$my_networks\n';
  const i = instance(main, master);
  assert.deepEqual(brief(semanticTokensOf(i.onMain())), [
    '0:0-11 variable+declaration',
    '1:0-10 property+declaration+defaultLibrary',
    '1:14-25 variable',
    '2:0-13 parameter+declaration',
    '3:0-22 property+declaration',
    '4:0-25 property+declaration+defaultLibrary',
    '5:0-6 variable+declaration',
    '6:0-28 property+declaration+defaultLibrary',
    '6:31-37 variable',
    '7:0-10 property+declaration+defaultLibrary+readonly',
  ]);
  assert.deepEqual(brief(semanticTokensOf(i.onMaster())), [
    '2:5-16 property+declaration+defaultLibrary',
    '2:26-38 property+defaultLibrary+readonly',
    // -o my_flag: nothing reads it.
    '3:5-12 parameter+declaration',
    '4:5-29 property+declaration+defaultLibrary',
    '4:31-42 variable',
  ]);
  // Without master.cf the per-service name is unknown.
  const alone = brief(semanticTokensOf(instance(main).onMain()));
  assert.ok(alone.includes('3:0-22 parameter+declaration'));
});

test('seed 004: tokens are single-line, sorted and non-overlapping', () => {
  const main = sample('004-voorbeeld.nl', 'main.cf');
  const master = sample('004-voorbeeld.nl', 'master.cf');
  const i = instance(main, master);
  for (const tokens of [semanticTokensOf(i.onMain()), semanticTokensOf(i.onMaster())]) {
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k];
      assert.equal(t.range.start.line, t.range.end.line);
      assert.ok(t.range.end.character > t.range.start.character);
      if (k > 0) {
        const p = tokens[k - 1];
        assert.ok(p.range.start.line < t.range.start.line || p.range.end.character <= t.range.start.character);
      }
    }
  }
  assert.deepEqual(brief(semanticTokensOf(i.onMaster())), ['16:11-22 property+declaration+defaultLibrary', '16:32-44 property+defaultLibrary+readonly']);
  assert.ok(brief(semanticTokensOf(i.onMain())).includes('1:0-22 property+declaration'));
});
