import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, main, r } from './helpers';

test('name = value with and without blanks around =, empty values allowed', () => {
  const { tree, findings } = main('myhostname = mail.example.com\nsmtpd_use_tls=yes\nrelayhost =\nmydomain   =   example.com   \n');
  assert.deepEqual(findings, []);
  assert.deepEqual(tree.parameters.map((p) => [p.name.text, p.value.text]), [
    ['myhostname', 'mail.example.com'], ['smtpd_use_tls', 'yes'], ['relayhost', ''], ['mydomain', 'example.com'],
  ]);
  const [a, b, c, d] = tree.parameters;
  assert.deepEqual(r(a.name.range), [0, 0, 0, 10]);
  assert.deepEqual(r(a.equals), [0, 11, 0, 12]);
  assert.deepEqual(r(a.value.range), [0, 13, 0, 29]);
  assert.deepEqual(r(a.range), [0, 0, 0, 29]);
  assert.deepEqual(r(b.equals), [1, 13, 1, 14]);
  assert.deepEqual(r(b.value.range), [1, 14, 1, 17]);
  // Empty value: the parameter ends at the `=`, the value is an empty range after it.
  assert.deepEqual(r(c.range), [2, 0, 2, 11]);
  assert.equal(c.value.words.length, 0);
  // Trailing blanks are not part of the value (Postfix trims them).
  assert.deepEqual(r(d.value.range), [3, 15, 3, 26]);
});

test('continuation lines join the value; ranges span the lines exactly', () => {
  const text = 'smtpd_recipient_restrictions =\n   reject_unauth_destination,\n   check_policy_service unix:private/policyd-spf\n';
  const { tree, findings } = main(text);
  assert.deepEqual(findings, []);
  const p = tree.parameters[0];
  assert.equal(p.value.text, '   reject_unauth_destination,   check_policy_service unix:private/policyd-spf'.trimStart());
  assert.deepEqual(r(p.value.range), [1, 3, 2, 48]);
  assert.deepEqual(r(p.range), [0, 0, 2, 48]);
  assert.deepEqual(p.value.words.map((w) => [w.text, r(w.range)]), [
    ['reject_unauth_destination', [1, 3, 1, 28]],
    ['check_policy_service', [2, 3, 2, 23]],
    ['unix:private/policyd-spf', [2, 24, 2, 48]],
  ]);
  // `unix:private/...` is a socket address here, not the unix: table (which is unix:passwd.byname).
  assert.equal(p.value.words[2].table, undefined);
});

test('comment and blank lines inside a continuation do not end it (Postfix readllines)', () => {
  const text = 'mynetworks = 127.0.0.0/8\n# local networks\n\n    10.0.0.0/8\nnext = 1\n';
  const { tree, findings } = main(text);
  assert.deepEqual(findings, []);
  assert.equal(tree.parameters.length, 2);
  const p = tree.parameters[0];
  assert.deepEqual(p.value.words.map((w) => [w.text, r(w.range)]), [['127.0.0.0/8', [0, 13, 0, 24]], ['10.0.0.0/8', [3, 4, 3, 14]]]);
  assert.deepEqual(r(p.range), [0, 0, 3, 14]);
  assert.deepEqual(tree.comments.map((c) => [c.text, r(c.range)]), [['# local networks', [1, 0, 1, 16]]]);
});

test('an indented comment is a comment, not a continuation', () => {
  const { tree, findings } = main('a = 1\n   # indented comment\nb = 2\n');
  assert.deepEqual(findings, []);
  assert.deepEqual(tree.parameters.map((p) => p.value.text), ['1', '2']);
  assert.deepEqual(r(tree.comments[0].range), [1, 3, 1, 21]);
});

test('# inside a value is data, and a #word in a value gets a warning', () => {
  const { tree, findings } = main('mynetworks = 127.0.0.0/8 # local\nsmtpd_banner = a#b\n');
  assert.equal(tree.parameters[0].value.text, '127.0.0.0/8 # local');
  assert.equal(tree.parameters[1].value.text, 'a#b');
  assert.deepEqual(brief(findings), [['postfix/comment-in-value', 'warning', [0, 25, 0, 26]]]);
});

test('postfix/missing-equals: a line without =, with a fix for `name value`', () => {
  const { tree, findings } = main('smtpd_milters inet:localhost:8891\nmyhostname\n');
  assert.deepEqual(brief(findings), [
    ['postfix/missing-equals', 'error', [0, 0, 0, 13]],
    ['postfix/missing-equals', 'error', [1, 0, 1, 10]],
  ]);
  assert.equal(tree.parameters.length, 0);
  assert.deepEqual(tree.invalidLines.map(r), [[0, 0, 0, 33], [1, 0, 1, 10]]);
  const fix = findings[0].fixes?.[0];
  assert.ok(fix);
  assert.deepEqual(fix.edits.map((e) => [r(e.range), e.newText]), [[[0, 13, 0, 14], ' = ']]);
  assert.equal(findings[1].fixes, undefined); // nothing to put after the name
  assert.match(findings[0].message, /inet:localhost:8891/);
});

test('postfix/missing-equals: `name: value` gets the colon replaced', () => {
  const { findings } = main('smtpd_milters: inet:localhost:8891\n');
  assert.deepEqual(brief(findings), [['postfix/missing-equals', 'error', [0, 0, 0, 14]]]);
  assert.deepEqual(findings[0].fixes?.[0].edits.map((e) => [r(e.range), e.newText]), [[[0, 13, 0, 15], ' = ']]);
});

test('postfix/missing-equals: two words before = is still missing = after the first', () => {
  const { findings } = main('foo bar = 1\n');
  assert.deepEqual(brief(findings), [['postfix/missing-equals', 'error', [0, 0, 0, 3]]]);
});

test('postfix/missing-parameter-name', () => {
  const { tree, findings } = main('= value\n');
  assert.deepEqual(brief(findings), [['postfix/missing-parameter-name', 'error', [0, 0, 0, 1]]]);
  assert.equal(tree.parameters.length, 0);
});

test('postfix/continuation-without-parameter: indented text at the start is dropped, once', () => {
  const { tree, findings } = main('  leading = 1\n   more\nfoo = 2\n');
  assert.deepEqual(brief(findings), [['postfix/continuation-without-parameter', 'warning', [0, 2, 0, 13]]]);
  assert.deepEqual(tree.parameters.map((p) => p.name.text), ['foo']);
});

test('postfix/continuation-without-parameter after a comment at the top of the file', () => {
  const { findings } = main('# header\n\n\tstray\n');
  assert.deepEqual(brief(findings), [['postfix/continuation-without-parameter', 'warning', [2, 1, 2, 6]]]);
});

test('postfix/invalid-parameter-name: characters no program can read', () => {
  const { tree, findings } = main('my$name = 1\npolicyd-spf_time_limit = 3600\n2bounce_notice_recipient = postmaster\nrelay.example_x = 1\n');
  assert.deepEqual(brief(findings), [['postfix/invalid-parameter-name', 'warning', [0, 0, 0, 7]]]);
  assert.equal(tree.parameters.length, 4); // Postfix stores it anyway
});

test('a parameter set twice is not a syntax finding', () => {
  const { tree, findings } = main('a = 1\na = 2\n');
  assert.deepEqual(findings, []);
  assert.equal(tree.parameters.length, 2);
});

test('template tags are skipped with an information note, their values are still parsed', () => {
  const text = 'myhostname = {{ mail_server_hostname }}\n{% if x == 1 %}\nheader_checks = pcre:/etc/postfix/h\n{% endif %}\n';
  const { tree, findings } = main(text);
  assert.deepEqual(brief(findings), [
    ['postfix/template-line', 'information', [1, 0, 1, 15]],
    ['postfix/template-line', 'information', [3, 0, 3, 11]],
  ]);
  assert.deepEqual(tree.parameters.map((p) => p.name.text), ['myhostname', 'header_checks']);
  assert.deepEqual(tree.templateLines.map(r), [[1, 0, 1, 15], [3, 0, 3, 11]]);
  assert.equal(tree.parameters[0].value.words.length, 1); // `{{ … }}` stays one word
});

test('CRLF files parse like LF files', () => {
  const { tree, findings } = main('a = 1\r\nb =\r\n  x,\r\n  y\r\n');
  assert.deepEqual(findings, []);
  assert.deepEqual(tree.parameters[1].value.words.map((w) => [w.text, r(w.range)]), [['x', [2, 2, 2, 3]], ['y', [3, 2, 3, 3]]]);
});

test('lineCount and comments are recorded', () => {
  const { tree } = main('# one\n# two\na = 1\n');
  assert.equal(tree.lineCount, 3);
  assert.deepEqual(tree.comments.map((c) => c.text), ['# one', '# two']);
});
