// Semantic checks of parameter names: undefined $references, unknown ("unused") names,
// names newer than the configured version, read-only names, duplicates, deprecations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { r } from './helpers';
import { check, codesAndRanges, fixMain, fixMaster, MINIMAL_MASTER, one, semantic, textAt, withCode } from './checksSupport';

// ------------------------------------------------------------------ postfix/undefined-parameter

test('undefined-parameter: the seed\'s $smtpd_milter, range on the name, preferred fix → $smtpd_milters', () => {
  const c = check({ main: 'smtpd_milters = inet:localhost:8891\nnon_smtpd_milters = $smtpd_milter\n' });
  const f = one(c.main, 'postfix/undefined-parameter');
  assert.deepEqual(r(f.range), [1, 21, 1, 33]);
  assert.equal(textAt(c.mainText, f), 'smtpd_milter');
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /not defined/);
  assert.equal(f.fixes?.[0].title, 'Change to `$smtpd_milters`');
  assert.equal(f.fixes?.[0].preferred, true);
  assert.equal(fixMain(c, f.fixes![0]), 'smtpd_milters = inet:localhost:8891\nnon_smtpd_milters = $smtpd_milters\n');
});

test('undefined-parameter: ${name}, $(name), ${name?…}, nested references and restriction classes', () => {
  const text = [
    'a = ${nope1}',
    'b = $(nope2)',
    'c = ${nope3?yes}',
    'd = ${x?{$nope4}:{z}}',
    'x = 1',
    'smtpd_restriction_classes = cls1, defined_class',
    'defined_class = permit',
    'smtpd_expansion_filter = $not_expanded',
    'e = $$literal',
    '',
  ].join('\n');
  const c = check({ main: text });
  const found = withCode(c.main, 'postfix/undefined-parameter');
  assert.deepEqual(found.map((f) => textAt(text, f)), ['nope1', 'nope2', 'nope3', 'nope4', 'cls1']);
  assert.deepEqual(found.map((f) => r(f.range)), [[0, 6, 0, 11], [1, 6, 1, 11], [2, 6, 2, 11], [3, 10, 3, 15], [5, 28, 5, 32]]);
  assert.match(found[2].message, /always sees an empty value/);
  assert.match(found[4].message, /restriction class `cls1`/);
});

test('undefined-parameter: built-in, main.cf, service and -o names are defined', () => {
  const c = check({
    main: 'a = $myhostname $mine ${relay_destination_concurrency_limit} $submission_only\nmine = 1\nb = $a\n',
    master: MINIMAL_MASTER + 'policyd-spf unix - n n - 0 spawn user=nobody argv=/bin/true\n' +
      'submission inet n - y - - smtpd\n  -o submission_only=1\n  -o smtpd_client_restrictions=$submission_only\n',
  });
  assert.deepEqual(withCode([...c.main, ...c.master], 'postfix/undefined-parameter'), []);
});

test('undefined-parameter: in a master.cf -o value, with the name of a main.cf setting as fix', () => {
  const c = check({
    main: 'mua_client_restrictions = permit_sasl_authenticated, reject\n',
    master: MINIMAL_MASTER + 'submission inet n - y - - smtpd\n  -o smtpd_client_restrictions=$mua_client_restriction\n',
  });
  const f = one(c.master, 'postfix/undefined-parameter');
  assert.equal(textAt(c.masterText, f), 'mua_client_restriction');
  assert.deepEqual(r(f.range), [13, 32, 13, 54]);
  assert.equal(fixMaster(c, f.fixes![0]).split('\n')[13], '  -o smtpd_client_restrictions=$mua_client_restrictions');
  assert.equal(f.fixes![0].preferred, true);
});

test('undefined-parameter: no preferred fix when two names are equally near', () => {
  const c = check({ main: 'ab1 = 1\nab2 = 2\nx = $ab3 $ab1 $ab2\n' });
  const f = one(c.main, 'postfix/undefined-parameter');
  assert.ok((f.fixes ?? []).length >= 2);
  assert.ok(!(f.fixes ?? []).some((x) => x.preferred));
});

// ------------------------------------------------------------------ postfix/unknown-parameter

test('unknown-parameter: a typo, range on the name, preferred fix to the nearest name', () => {
  const c = check({ main: 'myhostname = mail.example.com\nsmtpd_milterz = inet:localhost:8891\n' });
  const f = one(c.main, 'postfix/unknown-parameter');
  assert.deepEqual(r(f.range), [1, 0, 1, 13]);
  assert.match(f.message, /unused parameter/);
  assert.match(f.message, /smtpd_milters/);
  assert.equal(f.fixes![0].preferred, true);
  assert.equal(fixMain(c, f.fixes![0]), 'myhostname = mail.example.com\nsmtpd_milters = inet:localhost:8891\n');
});

test('unknown-parameter: a parameter of your own is fine once referenced, and a restriction class is fine', () => {
  const c = check({
    main: 'my_list = 10.0.0.0/8\nmynetworks = 127.0.0.0/8 $my_list\nsmtpd_restriction_classes = strict\nstrict = reject\nlonely = 1\n',
  });
  const found = withCode(c.main, 'postfix/unknown-parameter');
  assert.deepEqual(found.map((f) => textAt(c.mainText, f)), ['lonely']);
  assert.match(found[0].message, /\$lonely/);
});

test('unknown-parameter: policyd-spf_time_limit needs a policyd-spf spawn service in master.cf', () => {
  const main = 'policyd-spf_time_limit = 3600\n';
  const withService = check({ main, master: MINIMAL_MASTER + 'policyd-spf unix - n n - 0 spawn\n  user=policyd-spf argv=/usr/bin/policyd-spf\n' });
  assert.deepEqual(semantic(withService.main), []);
  const without = check({ main, master: MINIMAL_MASTER });
  const f = one(without.main, 'postfix/unknown-parameter');
  assert.deepEqual(r(f.range), [0, 0, 0, 22]);
  assert.match(f.message, /no service of that name/);
  assert.doesNotMatch(f.message, /assumed/);
  // No master.cf in the workspace: Debian's default services are assumed, and the message says so.
  const assumed = one(check({ main }).main, 'postfix/unknown-parameter');
  assert.match(assumed.message, /assumed Debian's default master\.cf/);
  // A service of that name that runs smtp has no _time_limit.
  const wrongCommand = one(check({ main: 'relay_time_limit = 100\n', master: MINIMAL_MASTER }).main, 'postfix/unknown-parameter');
  assert.match(wrongCommand.message, /runs `smtp`/);
});

test('unknown-parameter: a name the version removed, with a rename fix; -o names too', () => {
  const c = check({ main: 'smtpd_sasl_application_name = smtpd\n' });
  const f = one(c.main, 'postfix/unknown-parameter');
  assert.match(f.message, /Postfix 2\.3 removed/);
  assert.equal(fixMain(c, f.fixes![0]), 'smtpd_sasl_path = smtpd\n');
  const m = check({ main: '', master: MINIMAL_MASTER + 'submission inet n - y - - smtpd\n  -o smtpd_tls_securty_level=encrypt\n' });
  const o = one(m.master, 'postfix/unknown-parameter');
  assert.deepEqual(r(o.range), [13, 5, 13, 28]);
  assert.match(o.message, /`-o` settings of the master\.cf service `submission`/);
  assert.equal(fixMaster(m, o.fixes![0]).split('\n')[13], '  -o smtpd_tls_security_level=encrypt');
});

// ------------------------------------------------------------------ postfix/parameter-too-new

test('parameter-too-new: a 3.8+ parameter with version 3.7, never with latest; back-ports count', () => {
  const main = 'use_srv_lookup = submission\nsmtpd_forbid_bare_newline = normalize\nsmtpd_forbid_unauth_pipelining = yes\n';
  const c = check({ main }, '3.7');
  const f = withCode(c.main, 'postfix/parameter-too-new');
  assert.deepEqual(codesAndRanges(f), [['postfix/parameter-too-new', [0, 0, 0, 14]], ['postfix/parameter-too-new', [1, 28, 1, 37]]]);
  assert.match(f[0].message, /Postfix 3\.8/);
  assert.match(f[1].message, /normalize.*3\.9/s);
  assert.deepEqual(withCode(c.main, 'postfix/unknown-parameter'), [], 'reported once, as too new');
  assert.deepEqual(semantic(check({ main }).main), []);
  // 3.7.4 predates the back-port of smtpd_forbid_unauth_pipelining (3.7.6).
  const early = withCode(check({ main: 'smtpd_forbid_unauth_pipelining = yes\n' }, '3.7.4').main, 'postfix/parameter-too-new');
  assert.equal(early.length, 1);
  assert.match(early[0].message, /3\.7\.6/);
});

// ------------------------------------------------------------------ postfix/read-only-parameter

test('read-only-parameter: process_id, with a fix that removes the line', () => {
  const c = check({ main: 'myhostname = a.example\nprocess_id = 42\nmydomain = example\n' });
  const f = one(c.main, 'postfix/read-only-parameter');
  assert.deepEqual(r(f.range), [1, 0, 1, 10]);
  assert.equal(fixMain(c, f.fixes![0]), 'myhostname = a.example\nmydomain = example\n');
});

// ------------------------------------------------------------------ postfix/duplicate-parameter

test('duplicate-parameter: warning on the ignored one, related to the one in effect, fix deletes its lines', () => {
  const text = 'message_size_limit = 1\nmyhostname = a\nmessage_size_limit =\n    2\n# note\nmessage_size_limit = 3';
  const c = check({ main: text });
  const found = withCode(c.main, 'postfix/duplicate-parameter');
  assert.deepEqual(found.map((f) => r(f.range)), [[0, 0, 0, 18], [2, 0, 2, 18]]);
  assert.deepEqual(found.map((f) => f.related?.map((x) => r(x.range))), [[[5, 0, 5, 18]], [[5, 0, 5, 18]]]);
  assert.match(found[0].message, /line 6/);
  assert.equal(fixMain(c, found[0].fixes![0]), 'myhostname = a\nmessage_size_limit =\n    2\n# note\nmessage_size_limit = 3');
  assert.equal(fixMain(c, found[1].fixes![0]), 'message_size_limit = 1\nmyhostname = a\n# note\nmessage_size_limit = 3');
});

test('duplicate-parameter: the last line of a file without final newline, and CRLF', () => {
  const c = check({ main: 'a_b = 1\r\nmyhostname = x\r\nmyhostname = y' });
  const f = one(c.main, 'postfix/duplicate-parameter');
  assert.equal(fixMain(c, f.fixes![0]), 'a_b = 1\r\nmyhostname = y');
  // The ignored one is last in the file only when it is not in effect — impossible; test the deletion helper's other branch:
  const d = check({ main: 'x = 1\nmyhostname = a\nmyhostname = b' });
  assert.equal(fixMain(d, one(d.main, 'postfix/duplicate-parameter').fixes![0]), 'x = 1\nmyhostname = b');
});

test('duplicate-parameter: -o set twice on one service; the fix removes the ignored option', () => {
  const master = MINIMAL_MASTER + 'submission inet n - y - - smtpd\n  -o smtpd_sasl_auth_enable=yes\n  -o smtpd_sasl_auth_enable=no\n' +
    'smtps inet n - y - - smtpd -o milter_macro_daemon_name=A -o milter_macro_daemon_name=B\n';
  const c = check({ main: '', master });
  const found = withCode(c.master, 'postfix/duplicate-parameter');
  assert.deepEqual(found.map((f) => r(f.range)), [[13, 5, 13, 27], [15, 30, 15, 54]]);
  const afterFirst = fixMaster(c, found[0].fixes![0]).split('\n');
  assert.deepEqual(afterFirst.slice(12, 14), ['submission inet n - y - - smtpd', '  -o smtpd_sasl_auth_enable=no']);
  assert.equal(fixMaster(c, found[1].fixes![0]).split('\n')[15], 'smtps inet n - y - - smtpd -o milter_macro_daemon_name=B');
});

// ------------------------------------------------------------------ postfix/deprecated-parameter

test('deprecated-parameter: smtpd_use_tls=yes → smtpd_tls_security_level = may (seed 000)', () => {
  const c = check({ main: 'smtpd_tls_cert_file=/etc/ssl/x.pem\nsmtpd_use_tls=yes\nmyhostname = a\n' });
  const f = one(c.main, 'postfix/deprecated-parameter');
  assert.deepEqual(r(f.range), [1, 0, 1, 13]);
  assert.match(f.message, /smtpd_tls_security_level/);
  assert.equal(f.fixes![0].preferred, true);
  assert.equal(fixMain(c, f.fixes![0]), 'smtpd_tls_cert_file=/etc/ssl/x.pem\nsmtpd_tls_security_level = may\nmyhostname = a\n');
});

test('deprecated-parameter: the TLS switches combine into one level; an explicit level makes them ignored', () => {
  const both = check({ main: 'smtpd_use_tls = yes\nsmtpd_enforce_tls = yes\n' });
  const fixes = withCode(both.main, 'postfix/deprecated-parameter').map((f) => fixMain(both, f.fixes![0]));
  assert.deepEqual(fixes, ['smtpd_tls_security_level = encrypt\n', 'smtpd_tls_security_level = encrypt\n']);
  const off = check({ main: 'smtpd_use_tls = no\n' });
  assert.equal(fixMain(off, one(off.main, 'postfix/deprecated-parameter').fixes![0]), 'smtpd_tls_security_level = none\n');
  // smtp: enforce with peer name checks (the default) is "verify", without it "encrypt".
  const smtp = check({ main: 'smtp_enforce_tls = yes\n' });
  assert.equal(fixMain(smtp, one(smtp.main, 'postfix/deprecated-parameter').fixes![0]), 'smtp_tls_security_level = verify\n');
  const smtpNoPeer = check({ main: 'smtp_enforce_tls = yes\nsmtp_tls_enforce_peername = no\n' });
  assert.equal(fixMain(smtpNoPeer, withCode(smtpNoPeer.main, 'postfix/deprecated-parameter')[0].fixes![0]), 'smtp_tls_security_level = encrypt\n');
  // With the level set, the old switch has no effect: the fix removes it.
  const ignored = check({ main: 'smtpd_tls_security_level = may\nsmtpd_use_tls = yes\n' });
  const f = one(ignored.main, 'postfix/deprecated-parameter');
  assert.match(f.message, /no effect at all/);
  assert.equal(fixMain(ignored, f.fixes![0]), 'smtpd_tls_security_level = may\n');
  // A value that is not a literal yes/no: no fix.
  const unknown = check({ main: 'smtpd_use_tls = $foo\nfoo = bar\n' });
  assert.deepEqual(one(unknown.main, 'postfix/deprecated-parameter').fixes ?? [], []);
});

test('deprecated-parameter: renames keep the value, ignored parameters are removed, later deprecations wait for their version', () => {
  const renamed = check({ main: 'postscreen_blacklist_action = drop\n' });
  const f = one(renamed.main, 'postfix/deprecated-parameter');
  assert.match(f.message, /renamed to `postscreen_denylist_action`/);
  assert.equal(fixMain(renamed, f.fixes![0]), 'postscreen_denylist_action = drop\n');
  const ttl = check({ main: 'postscreen_dnsbl_ttl = 2h\n' });
  assert.equal(fixMain(ttl, one(ttl.main, 'postfix/deprecated-parameter').fixes![0]), 'postscreen_dnsbl_max_ttl = 2h\n');
  // The new name is set as well: renaming would set it twice, so no fix.
  const both = check({ main: 'postscreen_dnsbl_ttl = 2h\npostscreen_dnsbl_max_ttl = 1h\n' });
  assert.deepEqual(one(both.main, 'postfix/deprecated-parameter').fixes ?? [], []);
  const ignored = check({ main: 'tls_eecdh_strong_curve = prime256v1\nmyhostname = a\n' });
  const g = one(ignored.main, 'postfix/deprecated-parameter');
  assert.match(g.message, /no effect/);
  assert.equal(fixMain(ignored, g.fixes![0]), 'myhostname = a\n');
  // smtpd_use_tls is deprecated as of 3.9: with 3.7 it is not reported.
  assert.deepEqual(semantic(check({ main: 'smtpd_use_tls = yes\n' }, '3.7').main), []);
  // -o settings are checked too.
  const m = check({ main: '', master: MINIMAL_MASTER + 'submission inet n - y - - smtpd\n  -o smtpd_enforce_tls=yes\n' });
  assert.deepEqual(r(one(m.master, 'postfix/deprecated-parameter').range), [13, 5, 13, 22]);
});
