// Semantic checks of values by kind: booleans, times, numbers and sizes, enumerations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { r } from './helpers';
import { check, fixMain, fixMaster, MINIMAL_MASTER, one, semantic, textAt, withCode } from './checksSupport';

test('invalid-boolean: range on the value, yes/no fix for the usual spellings', () => {
  const c = check({ main: 'smtpd_tls_auth_only = true\nsmtpd_sasl_auth_enable = Yes\nsmtputf8_enable = maybe\n' });
  const found = withCode(c.main, 'postfix/invalid-boolean');
  assert.deepEqual(found.map((f) => r(f.range)), [[0, 22, 0, 26], [2, 18, 2, 23]]);
  assert.equal(found[0].severity, 'error');
  assert.match(found[0].message, /bad boolean configuration/);
  assert.equal(fixMain(c, found[0].fixes![0]), 'smtpd_tls_auth_only = yes\nsmtpd_sasl_auth_enable = Yes\nsmtputf8_enable = maybe\n');
  assert.deepEqual(found[1].fixes ?? [], []);
});

test('invalid-boolean: an empty value sits on the name; service parameters are checked; -o too', () => {
  const c = check({ main: 'smtpd_tls_auth_only =\n' });
  assert.deepEqual(r(one(c.main, 'postfix/invalid-boolean').range), [0, 0, 0, 19]);
  const m = check({ main: '', master: MINIMAL_MASTER + 'submission inet n - y - - smtpd\n  -o smtpd_sasl_auth_enable=off\n' });
  const f = one(m.master, 'postfix/invalid-boolean');
  assert.deepEqual(r(f.range), [13, 28, 13, 31]);
  assert.equal(fixMaster(m, f.fixes![0]).split('\n')[13], '  -o smtpd_sasl_auth_enable=no');
});

test('invalid-time: units, bounds, case, compound times; a bare number is fine', () => {
  const text = [
    'smtpd_timeout = 300',
    'maximal_queue_lifetime = 5d',
    'smtpd_timeout = 5 min',
    'bounce_queue_lifetime = 1h30m',
    'minimal_backoff_time = 10S',
    'address_verify_poll_delay = 0',
    'delay_warning_time = 99999999999w',
    'policyd-spf_time_limit = 1x',
    '',
  ].join('\n');
  const c = check({ main: text, master: MINIMAL_MASTER + 'policyd-spf unix - n n - 0 spawn user=nobody argv=/bin/true\n' });
  const found = withCode(c.main, 'postfix/invalid-time');
  assert.deepEqual(found.map((f) => r(f.range)), [[2, 16, 2, 21], [3, 24, 3, 29], [4, 23, 4, 26], [5, 28, 5, 29], [6, 21, 6, 33], [7, 25, 7, 27]]);
  assert.ok(found.every((f) => f.severity === 'error'));
  assert.match(found[1].message, /90m/);
  assert.match(found[3].message, /at least `1s`/);
  assert.match(found[4].message, /too large/);
  assert.equal(fixMain(c, found[2].fixes![0]).split('\n')[4], 'minimal_backoff_time = 10s');
  assert.equal(withCode(c.main, 'postfix/duplicate-parameter').length, 1, 'smtpd_timeout twice');
});

test('invalid-number: integers and sizes, units on sizes with a conversion fix, bounds', () => {
  const text = [
    'message_size_limit = 50M',
    'mailbox_size_limit = 0',
    'smtpd_recipient_limit = lots',
    'smtpd_client_ipv4_prefix_length = 33',
    'line_length_limit = 100',
    'default_process_limit = 100',
    '',
  ].join('\n');
  const c = check({ main: text });
  const found = withCode(c.main, 'postfix/invalid-number');
  assert.deepEqual(found.map((f) => textAt(text, f)), ['50M', 'lots', '33', '100']);
  assert.match(found[0].message, /units such as K, M or G/);
  assert.equal(found[0].fixes![0].preferred, undefined, 'the 1024 multiple is offered, not applied blindly');
  assert.equal(fixMain(c, found[0].fixes![0]).split('\n')[0], 'message_size_limit = 52428800');
  assert.match(found[2].message, /at most 32/);
  assert.match(found[3].message, /at least 512/);
});

test('invalid-enum: milter_default_action, milter_protocol 2..6, TLS levels, inet_protocols, with did-you-mean fixes', () => {
  const text = [
    'milter_default_action = acept',
    'milter_protocol = 7',
    'smtpd_tls_security_level = encrpyt',
    'smtp_tls_security_level = dane',
    'inet_protocols = ipv4, ipv7',
    'milter_protocol = 6',
    'smtpd_tls_security_level = may',
    'milter_default_action = accept reject',
    '',
  ].join('\n');
  const c = check({ main: text });
  const found = withCode(c.main, 'postfix/invalid-enum');
  assert.deepEqual(found.map((f) => [textAt(text, f), r(f.range)]), [
    ['acept', [0, 24, 0, 29]], ['7', [1, 18, 1, 19]], ['encrpyt', [2, 27, 2, 34]], ['ipv7', [4, 23, 4, 27]],
    ['accept reject', [7, 24, 7, 37]],
  ]);
  assert.equal(fixMain(c, found[0].fixes![0]).split('\n')[0], 'milter_default_action = accept');
  assert.equal(found[0].fixes![0].preferred, true);
  assert.equal(fixMain(c, found[2].fixes![0]).split('\n')[2], 'smtpd_tls_security_level = encrypt');
  assert.match(found[3].message, /all`, `ipv4` or `ipv6/);
  assert.match(found[4].message, /not a list/);
  // Empty is allowed where Postfix allows it (the TLS levels), not elsewhere.
  const empty = check({ main: 'smtpd_tls_security_level =\nmilter_default_action =\n' });
  assert.deepEqual(withCode(empty.main, 'postfix/invalid-enum').map((f) => r(f.range)), [[1, 0, 1, 21]]);
  // milter_protocol's protocol extension.
  assert.deepEqual(semantic(check({ main: 'milter_protocol = 6 no_header_reply\n' }).main), []);
});

test('values with $references are checked after expansion and skipped when unresolvable', () => {
  const c = check({ main: 'my_level = maybe\nsmtpd_tls_security_level = $my_level\nsmtpd_tls_auth_only = $unknown_thing\nmy_limit = 10M\nmessage_size_limit = ${my_limit}\n' });
  const e = one(c.main, 'postfix/invalid-enum');
  assert.deepEqual(r(e.range), [1, 27, 1, 36]);
  assert.match(e.message, /after expanding its \$references: `maybe`/);
  assert.deepEqual(e.fixes ?? [], [], 'no edit of the reference');
  assert.equal(withCode(c.main, 'postfix/invalid-boolean').length, 0, 'unresolvable: skipped');
  assert.equal(one(c.main, 'postfix/invalid-number').fixes?.length ?? 0, 0);
  // Conditional expansion.
  const cond = check({ main: 'a = 1\nsmtpd_tls_auth_only = ${a?yes}\nsmtputf8_enable = ${b:no}\n' });
  assert.deepEqual(semantic(cond.main).map((f) => f.code), ['postfix/undefined-parameter']);
});

test('enumeration values newer than the configured version', () => {
  const c = check({ main: 'milter_default_action = shutdown\n' }, '3.7');
  const f = one(c.main, 'postfix/parameter-too-new');
  assert.deepEqual(r(f.range), [0, 24, 0, 32]);
  assert.match(f.message, /3\.11/);
  assert.deepEqual(semantic(check({ main: 'milter_default_action = shutdown\n' }).main), []);
});

test('defaults and user-defined parameters are not value-checked', () => {
  assert.deepEqual(semantic(check({ main: 'my_flag = maybe\nmynetworks = 127.0.0.0/8 $my_flag\n' }).main), []);
});
