// Bad files through the built command line (`node dist/cli.js check`, `npm run build`
// first), which reads bytes: each gets a clear finding or message and an exit status, and
// the run ends (a named pipe used to block it forever).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_FILE_BYTES } from '../../../server/src/cli/checkFiles';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-bad-cli-'));
after(() => fs.rmSync(DIR, { recursive: true, force: true }));

/** Runs the CLI; a run that does not end within 60 s is killed and fails the test. */
function check(...paths: string[]): { code: number | null; stdout: string; stderr: string; lines: string[] } {
  const r = spawnSync(process.execPath, [CLI, 'check', '--no-color', ...paths], { cwd: DIR, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, `the CLI did not end: ${r.signal}\n${r.stdout}${r.stderr}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.split('\n').filter((l) => /: (error|warning|information|hint) /.test(l)) };
}

let n = 0;
function file(name: string, content: string | Buffer): string {
  const dir = path.join(DIR, String(++n), 'postfix');
  fs.mkdirSync(dir, { recursive: true });
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

test('the CLI has been built', () => {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build`);
});

test('a binary file (NUL bytes) is reported, not parsed', () => {
  const r = check(file('main.cf', Buffer.from([0x61, 0x20, 0x3d, 0, 0xff, 0xfe, 0, 1, 2])));
  assert.match(r.stdout, /main\.cf:1:1: warning syntax\/binary-file /);
});

test('Latin-1 (invalid UTF-8) gets a note at its first undecodable byte and is still checked', () => {
  const r = check(file('main.cf', Buffer.from('# r\xe9sum\xe9\nmyhostname = mail.example.org\nsmtpd_milter = x\n', 'latin1')));
  assert.ok(r.lines.some((l) => /main\.cf:1:4: information syntax\/not-utf8 /.test(l)), r.stdout);
  assert.ok(r.lines.some((l) => / postfix\/unknown-parameter /.test(l)), 'the rest of the file is checked');
});

test('valid UTF-8 gets no encoding note', () => {
  const r = check(file('main.cf', '# résumé\nmyhostname = mail.example.org\n'));
  assert.ok(!r.stdout.includes('syntax/not-utf8'), r.stdout);
});

test('a UTF-8 byte-order mark, CRLF and lone CR line ends', () => {
  assert.match(check(file('main.cf', '\uFEFFmyhostname = mail.example.org\n')).stdout, /main\.cf:1:1: \w+ postfix\/byte-order-mark /);
  const crlf = check(file('main.cf', 'myhostname = mail.example.org\r\nmydomain = example.org\r\n'));
  assert.deepEqual(crlf.lines, [], crlf.stdout);
  assert.match(check(file('main.cf', 'myhostname = mail.example.org\rmydomain = example.org\r')).stdout, / postfix\/cr-line-ending /);
});

test('a 10 MB single line is checked and the run ends', () => {
  const t0 = Date.now();
  const r = check(file('main.cf', 'myhostname = ' + 'a'.repeat(10 << 20)));
  console.log(`10 MB single line: ${Date.now() - t0} ms, exit ${r.code}`);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
});

test(`a file over ${MAX_FILE_BYTES >> 20} MB gets syntax/file-too-large without being read`, () => {
  const p = file('main.cf', 'myhostname = mail.example.org\n');
  fs.truncateSync(p, MAX_FILE_BYTES + 1); // sparse: nothing is written
  const r = check(p);
  assert.match(r.stdout, /main\.cf:1:1: warning syntax\/file-too-large File is 256 MB, above the 256 MB limit: not checked\./);
});

test('a named pipe given as a path is reported, not read (reading blocked the run forever)', () => {
  const p = path.join(DIR, 'pipe', 'main.cf');
  fs.mkdirSync(path.dirname(p), { recursive: true });
  spawnSync('mkfifo', [p]);
  const r = check(p);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /main\.cf:1:1: error syntax\/unreadable-file Not a regular file \(a named pipe, socket or device\)/);
  // In a directory walk a pipe is skipped.
  const walked = check(path.dirname(p));
  assert.equal(walked.code, 0, walked.stdout + walked.stderr);
});

test('a directory named like a file is searched; a path that does not exist is an error', () => {
  const d = path.join(DIR, 'dir', 'main.cf');
  fs.mkdirSync(d, { recursive: true });
  const r = check(d);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const missing = check(path.join(DIR, 'no-such-file.cf'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no-such-file\.cf: no such file or directory/);
});

test('an unreadable file is reported (as root, who reads every file, it is checked)', () => {
  const p = file('main.cf', 'myhostname = mail.example.org\n');
  fs.chmodSync(p, 0o000);
  const r = check(p);
  if (process.getuid?.() === 0) {
    // root reads a mode-0000 file: it is checked like any other.
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
  } else {
    assert.match(r.stdout, /main\.cf:1:1: error syntax\/unreadable-file Cannot read the file: EACCES/);
  }
});
