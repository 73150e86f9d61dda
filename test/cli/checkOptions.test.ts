// `mailconf check` options, run through the built CLI: --min-severity and the exit status,
// colour (only on a terminal or with --color; NO_COLOR and --no-color honoured), progress on
// stderr only, --quiet, DNS off unless --dns, and the usage text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Progress } from '../../server/src/cli/progress';
import { wantColour } from '../../server/src/cli/colour';
import { CLI, makeTempTree, REPO, runCli } from './builtCli';

/** The CLI with NO_COLOR unset unless `env` sets it. */
function run(args: string[], cwd = REPO, env: NodeJS.ProcessEnv = {}) {
  return runCli(args, cwd, { ...process.env, NO_COLOR: undefined, ...env });
}

/** The CLI on a pseudo-terminal (util-linux `script`): stdout and stderr are a TTY, merged. */
function runOnTerminal(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const command = [process.execPath, CLI, ...args].map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: undefined, TERM: 'xterm', ...env } });
  return { code: r.status, output: r.stdout.replace(/\r\n/g, '\n'), stderr: r.stderr };
}

const tempTree = (files: Record<string, string>) => makeTempTree('mailconf-cli-opts-', files);

const SEVERITY = /^[^:]+:\d+:\d+: (error|warning|information|hint) /;
const severitiesIn = (stdout: string) => [...new Set(stdout.split('\n').map((l) => SEVERITY.exec(l)?.[1]).filter(Boolean))].sort();

/** A zone with one error (300.1.1.1), warnings and notes. */
const ZONE = [
  '$ORIGIN example.com.', '$TTL 3600', '@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600', '@ IN NS ns1', 'ns1 IN A 192.0.2.1',
  '@ IN TXT "v=spf1 mx -all"', 'www IN TXT v=spf1; -all', 'bad IN A 300.1.1.1',
].join('\n') + '\n';
const ZONE_WITHOUT_ERROR = ZONE.replace('300.1.1.1', '192.0.2.9');

test('--min-severity shows that severity and above; the summary counts what is left out; errors always decide the status', () => {
  const root = tempTree({ 'example.com.zone': ZONE });
  const all = run(['check', root]);
  assert.equal(all.code, 1);
  assert.deepEqual(severitiesIn(all.stdout), ['error', 'information', 'warning']);
  assert.equal(run(['check', '--min-severity', 'hint', root]).stdout, all.stdout, 'hint is the default');
  const warnings = run(['check', '--min-severity', 'warning', root]);
  assert.equal(warnings.code, 1);
  assert.deepEqual(severitiesIn(warnings.stdout), ['error', 'warning']);
  const notes = all.stdout.split('\n').filter((l) => / information /.test(l)).length;
  assert.match(warnings.stdout, new RegExp(`; ${notes} findings? below --min-severity not shown\\n$`));
  const errors = run(['check', '--min-severity=error', root]);
  assert.equal(errors.code, 1);
  assert.deepEqual(severitiesIn(errors.stdout), ['error']);
  assert.equal(run(['check', '--min-severity', 'information', root]).stdout, all.stdout);

  const json = JSON.parse(run(['check', '--format', 'json', '--min-severity', 'warning', root]).stdout);
  assert.equal(json.minSeverity, 'warning');
  assert.equal(json.notShown, notes);
  assert.equal(json.totals.information, 0);

  const clean = tempTree({ 'example.com.zone': ZONE_WITHOUT_ERROR });
  for (const level of ['error', 'warning', 'information', 'hint']) {
    const r = run(['check', '--min-severity', level, clean]);
    assert.equal(r.code, 0, `${level}: warnings and notes alone never make the status 1`);
  }
  assert.match(run(['check', '--min-severity', 'error', clean]).stdout, /^1 file checked: 0 errors, 0 warnings, 0 notes; \d+ findings below --min-severity not shown\n$/);
  const bad = run(['check', '--min-severity', 'info', clean]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown severity "info" \(error, warning, information or hint\)/);
  assert.equal(bad.stdout, '');
});

test('usage errors exit 2 with a message on stderr and nothing on stdout', () => {
  const clean = tempTree({ 'main.cf': 'myhostname = mail.example.com\n' });
  for (const args of [['--format', 'xml'], ['--format'], ['--dns-timeout', '0'], ['--dns-timeout', 'soon'], ['--color=yes'], ['--bogus'], ['--dns', '--dns-server', 'dns.example.com'], ['--postfix-version', 'new']]) {
    const r = run(['check', ...args, clean]);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
    assert.match(r.stderr, /^mailconf: /, args.join(' '));
  }
  const help = run(['check', '--help']);
  assert.equal(help.code, 0);
  for (const word of ['--format sarif', '--min-severity', '--dns', '--no-dns', '--dns-server', '--dns-timeout', '--no-color', '--progress', '--quiet', 'Exit status']) {
    assert.ok(help.stdout.includes(word), `check --help mentions ${word}`);
  }
  assert.match(run(['--help']).stdout, /--format sarif[\s\S]*Exit status of check: 0 no errors, 1 errors found, 2 usage error/);
});

test('colour: none through a pipe; --color forces it; NO_COLOR and --no-color turn it off on a terminal', () => {
  const root = tempTree({ 'example.com.zone': ZONE });
  const ESC = '\x1b[';
  const piped = run(['check', root]);
  assert.ok(!piped.stdout.includes(ESC), 'no escape codes in a pipe');
  const forced = run(['check', '--color', root], REPO, { NO_COLOR: '1' });
  assert.ok(forced.stdout.includes(`${ESC}1;31merror${ESC}0m`), '--color wins over NO_COLOR');
  assert.equal(forced.stdout.replace(/\x1b\[[0-9;]*m/g, ''), piped.stdout, 'colour changes nothing but the escapes');

  const tty = runOnTerminal(['check', root], root);
  assert.equal(tty.code, 1, tty.output + tty.stderr);
  assert.ok(tty.output.includes(`${ESC}1;31merror${ESC}0m`), `coloured on a terminal:\n${tty.output}`);
  assert.ok(tty.output.includes(`${ESC}33mwarning${ESC}0m`));
  for (const [what, args, env] of [['NO_COLOR=1', [], { NO_COLOR: '1' }], ['--no-color', ['--no-color'], {}], ['TERM=dumb', [], { TERM: 'dumb' }]] as const) {
    const plain = runOnTerminal(['check', ...args, root], root, env);
    assert.equal(plain.code, 1);
    assert.match(plain.output, /: error zone\/bad-address /, what);
    assert.ok(!plain.output.includes(ESC), `${what}: no colour`);
  }
  assert.equal(wantColour(undefined, { isTTY: true }, { NO_COLOR: '' }), true, 'an empty NO_COLOR does not count');
  assert.equal(wantColour(undefined, { isTTY: false }, {}), false);
});

test('--progress writes progress to stderr only; stdout is the same as without it; --quiet silences it', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 30; i++) files[`zones/z${String(i).padStart(2, '0')}.example.zone`] = ZONE_WITHOUT_ERROR.replace(/example\.com/g, `z${i}.example`);
  const root = tempTree(files);
  const plain = run(['check', root]);
  const withProgress = run(['check', '--progress', root]);
  assert.equal(withProgress.code, 0);
  assert.equal(withProgress.stdout, plain.stdout, 'nothing of the progress on stdout');
  assert.doesNotMatch(plain.stdout + plain.stderr, /checked \d+\/\d+ files/);
  assert.match(withProgress.stderr, /^read 30\/30 files$/m);
  assert.match(withProgress.stderr, /^checked 30\/30 files$/m);
  assert.doesNotMatch(withProgress.stderr, /\x1b|\r/, 'plain lines when stderr is not a terminal');
  for (const format of ['json', 'sarif']) {
    const r = run(['check', '--progress', '--format', format, root]);
    assert.doesNotThrow(() => JSON.parse(r.stdout), `${format} output stays parseable`);
    assert.match(r.stderr, /checked 30\/30 files/);
  }
  const quiet = run(['check', '--progress', '--quiet', root]);
  assert.equal(quiet.stderr, '');
  assert.equal(quiet.stdout, plain.stdout);
});

test('--quiet drops the notes about files mailconf does not know; missing paths are still reported', () => {
  const root = tempTree({ 'main.cf': 'myhostname = mail.example.com\n', 'notes.txt': 'hello\n' });
  const loud = run(['check', root, path.join(root, 'notes.txt')]);
  assert.match(loud.stderr, /notes\.txt: not a file kind mailconf knows/);
  const quiet = run(['check', '--quiet', root, path.join(root, 'notes.txt')]);
  assert.equal(quiet.code, 0);
  assert.equal(quiet.stderr, '');
  const missing = run(['check', '--quiet', path.join(root, 'nope')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope: no such file or directory/);
});

test('DNS options without --dns: no lookups, and a note saying so', () => {
  const root = tempTree({ 'KeyTable': 'k1 example.com:s1:/etc/opendkim/keys/k1.private\n' });
  const r = run(['check', '--dns-server', '127.0.0.1:9', '--dns-timeout', '100', root]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /--dns-server and --dns-timeout do nothing without --dns/);
  assert.doesNotMatch(r.stdout, /dns\//);
  const off = run(['check', '--dns', '--no-dns', '--dns-server', '127.0.0.1:9', root]);
  assert.equal(off.code, 0, 'the last of --dns/--no-dns counts');
  assert.doesNotMatch(off.stdout, /dns\//);
});

test('the progress line on a terminal: appears after the delay, rewrites itself, is cleared at the end', () => {
  let clock = 0;
  const written: string[] = [];
  const stream = { isTTY: true, write: (t: string) => written.push(t) };
  const p = new Progress({ stream, mode: 'auto', delayMs: 500, intervalMs: 100, now: () => clock });
  p.update('checked 1/40 files');
  assert.deepEqual(written, [], 'nothing during the first half second');
  clock = 600;
  p.update('checked 2/40 files');
  clock = 650;
  p.update('checked 3/40 files');
  clock = 800;
  p.update('checked 4/40 files');
  p.update('checked 40/40 files', true);
  p.done();
  assert.deepEqual(written, ['\r\x1b[2Kchecked 2/40 files', '\r\x1b[2Kchecked 4/40 files', '\r\x1b[2Kchecked 40/40 files', '\r\x1b[2K']);

  const notTty: string[] = [];
  const auto = new Progress({ stream: { write: (t: string) => notTty.push(t) }, mode: 'auto', now: () => 10_000 });
  auto.update('checked 1/2 files', true);
  auto.done();
  assert.deepEqual(notTty, [], "'auto' writes nothing when stderr is not a terminal");
});

test('--kind checks files named explicitly as that kind (templates, backups, other names); folders are still searched by name', () => {
  const root = tempTree({
    'roles/postfix/templates/main.cf.j2': 'myhostname = mail.example.com\nsmtpd_milters = $smtpd_milter\n',
    'backup/main.cf.orig': 'mydomain = example.com\n',
    'postfix/main.cf': 'myhostname = mail.example.com\n',
  });
  const template = path.join(root, 'roles/postfix/templates/main.cf.j2');
  const unnamed = run(['check', template]);
  assert.match(unnamed.stderr, /main\.cf\.j2: not a file kind mailconf knows by its name or content .*; name its kind with --kind/);
  assert.match(unnamed.stdout, /0 files checked/);

  const named = run(['check', '--kind', 'postfix-main', template]);
  assert.equal(named.stderr, '');
  assert.match(named.stdout, /main\.cf\.j2:2:\d+: \w+ postfix\/undefined-parameter .*smtpd_milter/);
  assert.match(named.stdout, /1 file checked/);
  assert.equal(run(['check', '--kind=postfix-main', template]).stdout, named.stdout, '--kind=KIND is the same');

  // A folder among the paths is still searched by name: its main.cf.orig is not picked up.
  const mixed = run(['check', '--kind', 'postfix-main', '--format', 'json', template, path.join(root, 'postfix'), path.join(root, 'backup')]);
  const files = JSON.parse(mixed.stdout).files.map((f: { path: string; kind: string }) => `${path.relative(root, f.path)} ${f.kind}`).sort();
  assert.deepEqual(files, ['postfix/main.cf postfix-main', 'roles/postfix/templates/main.cf.j2 postfix-main']);

  const bad = run(['check', '--kind', 'postfix', template]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown kind "postfix" \(postfix-main, postfix-master, opendkim-conf, .*dns-zone\)/);
  assert.equal(run(['check', template, '--kind']).code, 2, '--kind without a value');
});
