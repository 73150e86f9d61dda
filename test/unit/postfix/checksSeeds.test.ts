// The semantic checks on the seed samples (exactly the findings an expert gives them), on
// every corpus file (no crash, no error that the real Postfix would not also have), on
// files that only look like main.cf, and on hostile input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { diagnose } from '../../../server/src/core/checks';
import { r } from './helpers';
import { check, fixMain, semantic, textAt } from './checksSupport';

const SAMPLES = path.resolve(__dirname, '../../../samples');
const CORPUS = path.resolve(__dirname, '../../../../shared/corpus/postfix');

function sample(seed: string, file: string): string | undefined {
  const p = path.join(SAMPLES, seed, 'etc', 'postfix', file);
  return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined;
}

test('seed 000: exactly the undefined $smtpd_milter (fix → $smtpd_milters) and the deprecated smtpd_use_tls', () => {
  const main = sample('000-any2any.de', 'main.cf');
  assert.ok(main, 'samples/000-any2any.de/etc/postfix/main.cf');
  const c = check({ main });
  assert.deepEqual(c.main.map((f) => [f.code, textAt(main, f)]), [
    ['postfix/undefined-parameter', 'smtpd_milter'],
    ['postfix/deprecated-parameter', 'smtpd_use_tls'],
  ]);
  const [undef, deprecated] = c.main;
  assert.deepEqual(r(undef.range), [15, 21, 15, 33]);
  assert.equal(undef.fixes?.[0].preferred, true);
  assert.match(fixMain(c, undef.fixes![0]), /^non_smtpd_milters = \$smtpd_milters$/m);
  assert.match(fixMain(c, deprecated.fixes![0]), /^smtpd_tls_security_level = may$/m);
  assert.doesNotMatch(fixMain(c, deprecated.fixes![0]), /smtpd_use_tls/);
  // With Postfix 3.7 (where smtpd_use_tls is not yet deprecated) only the reference remains.
  assert.deepEqual(check({ main }, '3.7').main.map((f) => f.code), ['postfix/undefined-parameter']);
});

test('seed 004: policyd-spf_time_limit is valid (master.cf defines policyd-spf), no open relay, nothing else', () => {
  const main = sample('004-voorbeeld.nl', 'main.cf');
  const master = sample('004-voorbeeld.nl', 'master.cf');
  assert.ok(main && master, 'samples/004-voorbeeld.nl/etc/postfix/{main,master}.cf');
  for (const version of ['latest', '3.7']) {
    const c = check({ main, master }, version);
    assert.deepEqual(c.main, [], version);
    assert.deepEqual(c.master, [], version);
  }
  // Without its master.cf (Debian's default assumed) the time limit and the policy service are unknown.
  const alone = check({ main });
  assert.deepEqual(semantic(alone.main).map((f) => [f.code, textAt(main, f)]), [
    ['postfix/unknown-parameter', 'policyd-spf_time_limit'],
    ['postfix/policy-service-undefined', 'policyd-spf'],
  ]);
});

test('seed 001: clean', () => {
  const main = sample('001-stefanux.net', 'main.cf');
  assert.ok(main);
  assert.deepEqual(check({ main }).main, []);
});

/** Errors the semantic checks give on the corpus, each because the file really has them. */
const EXPECTED_CORPUS_ERRORS: Record<string, string[]> = {
  // iRedMail's samples hold PH_* placeholders that its installer replaces: not numbers, not transports.
  'iredmail__iRedMail__samples_postfix_main.cf': ['postfix/invalid-number', 'postfix/invalid-number'],
  'iredmail__iRedMail__samples_postfix_master.cf': ['master/bad-maxproc-field', 'postfix/transport-undefined', 'postfix/transport-undefined'],
  // message_size_limit = 900000000 with mailbox_size_limit at its default (51200000) and local
  // domains in mydestination: local(8) stops with "mailbox_size_limit is smaller than message_size_limit".
  'nazarpunk__server__etc_postfix_main.cf': ['postfix/size-limit-conflict'],
};

test('every corpus file: the checks run without throwing, and errors only where the file has them', () => {
  const files = fs.readdirSync(CORPUS).sort();
  assert.ok(files.length > 30);
  for (const file of files) {
    const ws = new Workspace();
    const kind = file.includes('master.cf') ? 'postfix-master' : 'postfix-main';
    const doc = ws.setOnDisk(`file:///corpus/${kind === 'postfix-master' ? 'master.cf' : 'main.cf'}`, kind, fs.readFileSync(path.join(CORPUS, file), 'utf8'));
    const errors = diagnose({ doc, workspace: ws, settings: { postfixVersion: 'latest' } }).filter((f) => f.severity === 'error').map((f) => f.code);
    assert.deepEqual(errors.sort(), (EXPECTED_CORPUS_ERRORS[file] ?? []).slice().sort(), file);
  }
});

test('database client files that editors open as main.cf (mysql-*.cf) are not checked as main.cf', () => {
  const ws = new Workspace();
  const text = 'hosts = 127.0.0.1\nuser = postfix\nquery = SELECT 1 FROM domains WHERE domain=\'%s\'\n';
  const doc = ws.setOnDisk('file:///etc/postfix/mysql-virtual-domains.cf', 'postfix-main', text);
  assert.deepEqual(diagnose({ doc, workspace: ws, settings: { postfixVersion: 'latest' } }), []);
  // main.cf, or a file with another name that is not a *.cf (an untitled editor buffer), is.
  const untitled = ws.setOnDisk('untitled:Untitled-1', 'postfix-main', text);
  assert.equal(semantic(diagnose({ doc: untitled, workspace: ws, settings: { postfixVersion: 'latest' } })).length, 3);
});

test('hostile input: no throw, bounded time', () => {
  const big = 'x'.repeat(200_000);
  const inputs = [
    '\u0000\u0001 = $\n',
    `smtpd_recipient_restrictions = ${'permit_mynetworks, '.repeat(20_000)}\n`,
    `a = ${'$b '.repeat(10_000)}\nb = $a\n`,
    `smtpd_restriction_classes = c1\nc1 = c1\nsmtpd_relay_restrictions = c1\n`,
    `a = $b\nb = $a\nsmtpd_tls_auth_only = $a\n`,
    `${big} = ${big}\n`,
    'transport_maps = inline:{ {{{{ }\ncontent_filter = :\ndefault_transport = $\n',
    'milter_protocol = ${a?{${b?{${c}}}}}\n',
  ];
  for (const main of inputs) {
    const start = Date.now();
    const c = check({ main, master: 'x y\n-o\nsmtp inet n - y - - smtpd -o a=${b' });
    assert.ok(Array.isArray(c.main) && Array.isArray(c.master));
    assert.ok(Date.now() - start < 30_000, `${main.slice(0, 40)}: ${Date.now() - start} ms (a hang guard)`);
  }
});

test('semantic findings do not repeat syntax findings', () => {
  const main = 'my@name = 1\nsmtpd_tls_auth_only = ${yes\nnon_smtpd_milters = $\nx = ${}\nsmtpd_milters = {unclosed\n';
  const c = check({ main, master: 'smtp tcp n - y - - smtpd\nfoo unix - - n - PH_MAX smtp\nbar unix - n n\n  -o a\n' });
  for (const findings of [c.main, c.master]) {
    const syntax = findings.filter((f) => semantic([f]).length === 0);
    const sem = semantic(findings);
    assert.ok(syntax.length > 0);
    for (const f of sem) {
      assert.ok(!syntax.some((s) => JSON.stringify(s.range) === JSON.stringify(f.range)), `${f.code} repeats a syntax finding at ${JSON.stringify(r(f.range))}`);
    }
  }
  // The invalid name is the parser's finding alone.
  assert.deepEqual(c.main.filter((f) => f.range.start.line === 0).map((f) => f.code), ['postfix/invalid-parameter-name']);
});

test('a master.cf without its main.cf: no undefined-parameter (main.cf may define it), unknown names say why', () => {
  const ws = new Workspace();
  const doc = ws.setOnDisk('file:///etc/postfix/master.cf', 'postfix-master',
    'submission inet n - y - - smtpd\n  -o smtpd_client_restrictions=$mua_client_restrictions\n  -o mua_x=1\n');
  const found = semantic(diagnose({ doc, workspace: ws, settings: { postfixVersion: 'latest' } }));
  assert.deepEqual(found.map((f) => f.code), ['postfix/unknown-parameter']);
  assert.match(found[0].message, /no main\.cf beside this master\.cf/);
});

test('a main.cf full of problems is checked quickly (suggestions are budgeted, lookups cached)', () => {
  const lines: string[] = [];
  for (let i = 0; i < 5000; i++) lines.push(`custom_param_${i} = $undefined_${i % 50} ${i}`);
  for (let i = 0; i < 2000; i++) lines.push(`smtpd_timeout = ${i}x`);
  for (let i = 0; i < 2000; i++) lines.push(`smtpd_recipient_restrictions = permit_mynetworks, rejct_${i}`);
  const start = Date.now();
  const c = check({ main: lines.join('\n') });
  const elapsed = Date.now() - start;
  assert.ok(c.main.length > 9000);
  assert.ok(elapsed < 30_000, `${elapsed} ms (a hang guard against quadratic suggestion work; speed is benchmarked)`);
});
