import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, master, r } from './helpers';

test('a service line: eight fields with exact ranges', () => {
  const { tree, findings } = master('smtp      inet  n       -       y       -       -       smtpd\n');
  assert.deepEqual(findings, []);
  const s = tree.services[0];
  assert.deepEqual(
    [s.name, s.type, s.private, s.unprivileged, s.chroot, s.wakeup, s.maxproc, s.command].map((t) => [t!.text, r(t!.range)]),
    [['smtp', [0, 0, 0, 4]], ['inet', [0, 10, 0, 14]], ['n', [0, 16, 0, 17]], ['-', [0, 24, 0, 25]], ['y', [0, 32, 0, 33]],
      ['-', [0, 40, 0, 41]], ['-', [0, 48, 0, 49]], ['smtpd', [0, 56, 0, 61]]],
  );
  assert.deepEqual(r(s.range), [0, 0, 0, 61]);
  assert.deepEqual([s.args, s.options, s.attributes, s.argv], [[], [], [], []]);
});

test('-o overrides on continuation lines, plain and { name = value } forms', () => {
  const text = [
    'submission inet n       -       y       -       -       smtpd',
    '  -o syslog_name=postfix/submission',
    '#  -o smtpd_tls_security_level=encrypt',
    '  -o { smtpd_client_restrictions = permit_sasl_authenticated, reject }',
    '  -osmtpd_sasl_auth_enable=yes',
  ].join('\n');
  const { tree, findings } = master(text);
  assert.deepEqual(findings, []);
  const s = tree.services[0];
  assert.deepEqual(r(s.range), [0, 0, 4, 30]);
  assert.deepEqual(s.options.map((o) => [o.flag.text, o.name.text, o.value.text, o.braced]), [
    ['-o', 'syslog_name', 'postfix/submission', false],
    ['-o', 'smtpd_client_restrictions', 'permit_sasl_authenticated, reject', true],
    ['-o', 'smtpd_sasl_auth_enable', 'yes', false],
  ]);
  const [a, b, c] = s.options;
  assert.deepEqual([r(a.flag.range), r(a.name.range), r(a.value.range), r(a.range)], [[1, 2, 1, 4], [1, 5, 1, 16], [1, 17, 1, 35], [1, 2, 1, 35]]);
  assert.deepEqual([r(b.name.range), r(b.value.range), r(b.range)], [[3, 7, 3, 32], [3, 35, 3, 68], [3, 2, 3, 70]]);
  assert.deepEqual(b.value.words.map((w) => w.text), ['permit_sasl_authenticated', 'reject']);
  assert.deepEqual([r(c.flag.range), r(c.name.range), r(c.value.range)], [[4, 2, 4, 4], [4, 4, 4, 26], [4, 27, 4, 30]]);
  assert.deepEqual(tree.comments.map((x) => r(x.range)), [[2, 0, 2, 38]]);
});

test('-o values are scanned for $references', () => {
  const { tree } = master('relay unix - - y - - smtp\n        -o syslog_name=postfix/$service_name\n');
  const ref = tree.services[0].options[0].value.references[0];
  assert.deepEqual([ref.name, r(ref.nameRange)], ['service_name', [1, 32, 1, 44]]);
});

test('spawn/pipe attributes and argv (seed 004 policyd-spf, a dovecot pipe)', () => {
  const text = 'policyd-spf  unix  -       n       n       -       0       spawn\n    user=policyd-spf argv=/usr/bin/policyd-spf\n' +
    'dovecot unix - n n - - pipe\n  flags=DRhu user=vmail:vmail argv=/usr/lib/dovecot/deliver -f ${sender} -d ${recipient}\n';
  const { tree, findings } = master(text);
  assert.deepEqual(findings, []);
  const [spf, dovecot] = tree.services;
  assert.deepEqual(spf.attributes.map((a) => [a.name.text, a.value.text, r(a.name.range), r(a.value.range)]), [
    ['user', 'policyd-spf', [1, 4, 1, 8], [1, 9, 1, 20]],
    ['argv', '/usr/bin/policyd-spf', [1, 21, 1, 25], [1, 26, 1, 46]],
  ]);
  assert.deepEqual(spf.argv.map((t) => t.text), ['/usr/bin/policyd-spf']);
  assert.deepEqual(dovecot.attributes.map((a) => a.name.text), ['flags', 'user', 'argv']);
  assert.deepEqual(dovecot.argv.map((t) => t.text), ['/usr/lib/dovecot/deliver', '-f', '${sender}', '-d', '${recipient}']);
  assert.deepEqual(dovecot.options, []); // `-f` after argv= is the command's, not an -o
});

test('master/field-count: fewer than eight fields', () => {
  const { tree, findings } = master('smtp inet n - y\n');
  assert.deepEqual(brief(findings), [['master/field-count', 'error', [0, 0, 0, 15]]]);
  assert.match(findings[0].message, /Missing: wakeup, maxproc, command\./);
  assert.equal(tree.services[0].command, undefined);
  assert.deepEqual(tree.invalidLines.map(r), [[0, 0, 0, 15]]);
});

test('master/unknown-service-type with a case fix', () => {
  const { findings } = master('smtp tcp n - y - - smtpd\nsmtp INET n - y - - smtpd\n');
  assert.deepEqual(brief(findings), [
    ['master/unknown-service-type', 'error', [0, 5, 0, 8]],
    ['master/unknown-service-type', 'error', [1, 5, 1, 9]],
  ]);
  assert.equal(findings[0].fixes, undefined);
  assert.equal(findings[1].fixes?.[0].edits[0].newText, 'inet');
});

test('all five service types are accepted', () => {
  const { findings } = master(['a inet n - y - - smtpd', 'b unix - - y - - smtp', 'c unix-dgram n - n - 1 postlogd',
    'd fifo n - n 60 1 pickup', 'e pass - - y - - smtpd'].join('\n'));
  assert.deepEqual(findings, []);
});

test('master/bad-yes-no-field for private, unpriv and chroot', () => {
  const { findings } = master('smtp inet no yes x - - smtpd\n');
  assert.deepEqual(brief(findings), [
    ['master/bad-yes-no-field', 'error', [0, 10, 0, 12]],
    ['master/bad-yes-no-field', 'error', [0, 13, 0, 16]],
    ['master/bad-yes-no-field', 'error', [0, 17, 0, 18]],
  ]);
  assert.deepEqual(findings.map((f) => f.fixes?.[0].edits[0].newText), ['n', 'y', undefined]);
});

test('master/inet-private: an inet service with private y or - (the default is y)', () => {
  const { findings } = master('smtp inet y - y - - smtpd\n2525 inet - - y - - smtpd\n');
  assert.deepEqual(brief(findings), [
    ['master/inet-private', 'error', [0, 10, 0, 11]],
    ['master/inet-private', 'error', [1, 10, 1, 11]],
  ]);
});

test('master/bad-wakeup-field: digits with optional ?, or -', () => {
  const ok = master('pickup unix n - y 60 1 pickup\nqmgr unix n - n 300? 1 qmgr\nx unix - - n - 1 x\n');
  assert.deepEqual(ok.findings, []);
  const { findings } = master('a unix n - y 60x 1 pickup\nb unix n - y ? 1 pickup\nc unix n - y -1 1 pickup\n');
  assert.deepEqual(brief(findings), [
    ['master/bad-wakeup-field', 'error', [0, 13, 0, 16]],
    ['master/bad-wakeup-field', 'error', [1, 13, 1, 14]],
    ['master/bad-wakeup-field', 'error', [2, 13, 2, 15]],
  ]);
});

test('master/bad-maxproc-field', () => {
  const { findings } = master('smtp inet n - y - 1a smtpd\nsmtp inet n - y - 100 smtpd\n');
  assert.deepEqual(brief(findings), [['master/bad-maxproc-field', 'error', [0, 18, 0, 20]]]);
});

test('master/option-missing-value: -o at the end of the entry', () => {
  const { findings } = master('smtp inet n - y - - smtpd -o\n');
  assert.deepEqual(brief(findings), [['master/option-missing-value', 'error', [0, 26, 0, 28]]]);
});

test('master/option-missing-equals, with a fix for `-o name = value`', () => {
  const { tree, findings } = master('smtp inet n - y - - smtpd\n  -o smtpd_tls_security_level = encrypt\n');
  assert.deepEqual(brief(findings), [['master/option-missing-equals', 'error', [1, 5, 1, 29]]]);
  assert.deepEqual(findings[0].fixes?.[0].edits.map((e) => [r(e.range), e.newText]), [[[1, 5, 1, 39], 'smtpd_tls_security_level=encrypt']]);
  assert.deepEqual(tree.services[0].options, []);
  const plain = master('smtp inet n - y - - smtpd -o foo\n');
  assert.deepEqual(brief(plain.findings), [['master/option-missing-equals', 'error', [0, 29, 0, 32]]]);
  assert.equal(plain.findings[0].fixes, undefined);
});

test('master/option-missing-name', () => {
  const { findings } = master('smtp inet n - y - - smtpd -o =yes -o { }\n');
  assert.deepEqual(brief(findings), [
    ['master/option-missing-name', 'error', [0, 29, 0, 33]],
    ['master/option-missing-name', 'error', [0, 37, 0, 40]],
  ]);
});

test('braces: postfix/unclosed-brace and master/text-after-brace in -o', () => {
  const open = master('smtp inet n - y - - smtpd -o { foo = bar\n');
  assert.deepEqual(brief(open.findings), [['postfix/unclosed-brace', 'error', [0, 29, 0, 30]]]);
  assert.equal(open.tree.services[0].options[0].name.text, 'foo');
  const after = master('smtp inet n - y - - smtpd -o {foo = bar}x\n');
  assert.deepEqual(brief(after.findings), [['master/text-after-brace', 'error', [0, 40, 0, 41]]]);
  assert.equal(after.tree.services[0].options[0].value.text, 'bar');
});

test('master/option-value-split: a blank after a comma makes a stray argument', () => {
  const { findings } = master('smtp inet n - y - - smtpd\n  -o smtpd_client_restrictions=permit_sasl_authenticated, reject\n  -o x=\n  -o y=1\n');
  assert.deepEqual(brief(findings), [['master/option-value-split', 'warning', [1, 58, 1, 64]]]);
  // `-o x=` followed by another option is a legal empty value.
});

test('master/comment-in-arguments', () => {
  const { findings } = master('smtp inet n - y - - smtpd -o a=b # the comment\n');
  assert.deepEqual(brief(findings), [['master/comment-in-arguments', 'warning', [0, 33, 0, 34]]]);
});

test('master/continuation-without-service', () => {
  const { tree, findings } = master('  -o x=y\nsmtp inet n - y - - smtpd\n');
  assert.deepEqual(brief(findings), [['master/continuation-without-service', 'warning', [0, 2, 0, 8]]]);
  assert.equal(tree.services.length, 1);
  assert.deepEqual(tree.services[0].options, []);
});

test('options end at the first argument that is not an option, or at --', () => {
  const { tree } = master('a unix - n n - - pipe -v -o x=1 flags=R -o y=2\nb unix - - n - - x -- -o z=3\n');
  assert.deepEqual(tree.services[0].options.map((o) => o.name.text), ['x']);
  // pipe(8) reads every later `name=value` as an attribute (and would reject `y`); a later check can say so.
  assert.deepEqual(tree.services[0].attributes.map((o) => o.name.text), ['flags', 'y']);
  assert.deepEqual(tree.services[1].options, []);
});

test('-o value with template tags stays one argument (Mailu master.cf)', () => {
  const { tree, findings } = master('smtp inet n - n - 1 smtpd\n  -o smtpd_reject_unlisted_recipient={% if X %}{{ X }}{% else %}no{% endif %}\n');
  assert.deepEqual(findings, []);
  assert.equal(tree.services[0].options[0].value.text, '{% if X %}{{ X }}{% else %}no{% endif %}');
});

test('-o name check reuses postfix/invalid-parameter-name', () => {
  const { findings } = master('smtp inet n - y - - smtpd -o my$x=1\n');
  assert.deepEqual(brief(findings), [['postfix/invalid-parameter-name', 'warning', [0, 29, 0, 33]]]);
});
