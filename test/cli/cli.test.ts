// The built CLI (`node dist/cli.js`), run as a user or CI job runs it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { CLI, makeTempTree, runCli as run } from './builtCli';

const tempTree = (files: Record<string, string>) => makeTempTree('mailconf-cli-', files);

const LINE = /^(.+):(\d+):(\d+): (error|warning|information|hint) ([a-z-]+\/[a-z0-9-]+) (.+)$/;

test('a directory laid out like /etc is searched; findings print as file:line:col: severity code message', () => {
  const root = tempTree({
    'etc/postfix/main.cf': 'myhostname = mail.example.com\n',
    'etc/postfix/master.cf': 'smtp inet n - y - - smtpd\n',
    'etc/opendkim.conf': 'Socket inet:8891@localhost\n',
    'etc/opendkim/KeyTable': 'k1 example.com:s1:/etc/opendkim/keys/k1.private\n',
    'zones/example.com.zone': '$ORIGIN example.com.\n@ IN TXT "v=spf1 -all\n',
    'etc/README': 'not ours\n',
  });
  const r = run(['check', root]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const findings = r.stdout.trim().split('\n').filter((l) => LINE.test(l));
  assert.ok(findings.length >= 1, r.stdout);
  const m = LINE.exec(findings.find((l) => l.includes('example.com.zone'))!)!;
  assert.equal(m[2], '2', 'line is 1-based');
  assert.equal(m[4], 'error');
  assert.match(r.stdout, /5 files checked: [1-9]\d* errors?/);
});

test('--format json lists every file with its kind and 1-based positions', () => {
  const root = tempTree({ 'main.cf': 'myhostname = mail.example.com\n', 'db.example': '@ IN MX 10 mail\n' });
  const r = run(['check', '--format', 'json', root]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.files.map((f: { kind: string }) => f.kind).sort(), ['dns-zone', 'postfix-main']);
  assert.equal(out.totals.error, 0);
});

test('exit codes: 0 clean, 1 errors, 2 usage or missing path', () => {
  const clean = tempTree({ 'main.cf': 'myhostname = mail.example.com\n' });
  assert.equal(run(['check', clean]).code, 0);
  assert.equal(run(['check', path.join(clean, 'nope')]).code, 2);
  assert.equal(run(['check', '--format', 'xml', clean]).code, 2);
  assert.equal(run(['frobnicate']).code, 2);
  assert.equal(run(['check', '--help']).code, 0);
  assert.match(run(['--version']).stdout, /^\d+\.\d+\.\d+/);
});

test('binary files named like configs get a finding, not a crash', () => {
  const root = tempTree({ 'postfix/virtual.db': '\u0000\u0001\u0002 binary', 'postfix/main.cf': '\u0000junk\u0000' });
  const r = run(['check', path.join(root, 'postfix/main.cf')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /syntax\/binary-file/);
});

test('the bundled samples are checked by default from the repository', () => {
  const r = run(['check', 'samples']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.match(r.stdout, /2\d files checked/);
  assert.match(r.stdout, /002-mysystems\.tld\/zones\/mysystems\.tld\.zone:2:\d+: \w+ zone\/txt-semicolon-comment/);
});

test('a reader that goes away (`mailconf check | head`) ends the check quietly with its own exit status', async () => {
  // Enough findings to fill more than a pipe buffer, and errors among them: exit status 1.
  const lines = ['$ORIGIN example.com.', '$TTL 3600', '@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600', '@ IN NS ns1', 'ns1 IN A 192.0.2.1'];
  for (let i = 0; i < 3000; i++) lines.push(`h${i} IN A 300.0.0.${i % 250}`);
  const root = tempTree({ 'db.example.com': lines.join('\n') + '\n' });
  const child = spawn(process.execPath, [CLI, 'check', path.join(root, 'db.example.com')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy(); // like `head -0`: the pipe's reading end is closed before anything is written
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.doesNotMatch(stderr, /EPIPE|Error|at /, stderr);
  assert.equal(code, 1, 'the status of a check that found errors, not of a crash');
  // The same file to a reader that stays: the findings are errors, so 1 is the check's own status.
  const full = run(['check', path.join(root, 'db.example.com')]);
  assert.equal(full.code, 1);
  assert.ok(full.stdout.length > 65536, `output of ${full.stdout.length} bytes fills a pipe buffer`);
});
