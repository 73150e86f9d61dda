// Differential test against Debian's real `postconf` (`npm test` installs it; without it these tests fail):
// for every corpus file, the parameters and values we read must be the ones Postfix reads
// (`postconf -n` plus its "unused parameter" warnings), and the master.cf fields and -o
// overrides those of `postconf -M` / `postconf -P`. postconf only reads the files given
// with -c; it starts no daemon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { main, master } from './helpers';

const CORPUS = path.resolve(__dirname, '../../../../shared/corpus/postfix');
// Only whether the binary runs matters here (`-c` points it at an empty directory).
const HAVE_POSTCONF = spawnSync('postconf', ['-c', os.tmpdir(), '-h', 'mail_name'], { encoding: 'utf8' }).error === undefined;
function requirePostconf(): void {
  assert.ok(HAVE_POSTCONF, 'postconf is not installed: apt-get install postfix (npm test installs it)');
}

/** Postfix prints multi-line values joined; compare with blanks collapsed. */
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

function postconf(dir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('postconf', ['-c', dir, ...args], { encoding: 'utf8' });
}

function withConfigDir(files: Record<string, string>, fn: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-postconf-'));
  try {
    const past = new Date(Date.now() - 60_000);
    for (const [name, text] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, name), text);
      // Postfix re-reads a file modified in the last second (it might be mid-edit), 300 ms at a time.
      fs.utimesSync(path.join(dir, name), past, past);
    }
    fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const files = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).sort() : [];

for (const file of files.filter((f) => f.includes('main.cf'))) {
  test(`postconf -n agrees on ${file}`, () => {
    requirePostconf();
    const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
    withConfigDir({ 'main.cf': text, 'master.cf': '' }, (dir) => {
      const res = postconf(dir, ['-n']);
      const ours = main(text);
      if (res.status !== 0) {
        // Only the Jinja templates are unreadable to Postfix, and we say so too.
        assert.match(res.stderr, /missing '=' after attribute name: "\{%/);
        assert.ok(ours.findings.some((f) => f.code === 'postfix/template-line'));
        return;
      }
      const theirs = new Map<string, string>();
      for (const line of res.stdout.split('\n')) {
        const m = /^(\S+) = ?(.*)$/.exec(line);
        if (m) theirs.set(m[1], collapse(m[2]));
      }
      for (const line of res.stderr.split('\n')) {
        const m = /unused parameter: ([^=]+)=(.*)$/.exec(line);
        if (m) theirs.set(m[1], collapse(m[2]));
      }
      theirs.delete('config_directory');
      const mine = new Map<string, string>();
      for (const p of ours.tree.parameters) mine.set(p.name.text, collapse(p.value.text)); // last one wins, as in Postfix
      mine.delete('config_directory');
      assert.deepEqual(mine, theirs);
    });
  });
}

for (const file of files.filter((f) => f.includes('master.cf'))) {
  test(`postconf -M / -P agree on ${file}`, () => {
    requirePostconf();
    const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
    withConfigDir({ 'main.cf': '', 'master.cf': text }, (dir) => {
      const fields = postconf(dir, ['-M']);
      const ours = master(text);
      if (fields.status !== 0) {
        // Postfix rejects the file: we must report an error too.
        assert.ok(ours.findings.some((f) => f.severity === 'error' || f.code === 'postfix/template-line'), fields.stderr);
        return;
      }
      const theirServices = fields.stdout.split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/).slice(0, 8).join(' '));
      const myServices = ours.tree.services.map((s) =>
        [s.name, s.type, s.private, s.unprivileged, s.chroot, s.wakeup, s.maxproc, s.command].map((t) => t?.text).join(' '));
      assert.deepEqual(myServices, theirServices);
      const params = postconf(dir, ['-P']);
      const theirOptions = new Set(params.stdout.split('\n').filter(Boolean).map(collapse));
      const myOptions = new Set(ours.tree.services.flatMap((s) =>
        s.options.map((o) => collapse(`${s.name.text}/${s.type?.text}/${o.name.text} = ${o.value.text}`))));
      assert.deepEqual(myOptions, theirOptions);
    });
  });
}

test('postconf agrees on continuation across comment and blank lines', () => {
  requirePostconf();
  const text = 'mynetworks = 127.0.0.0/8\n# a comment\n\n    10.0.0.0/8\n';
  withConfigDir({ 'main.cf': text, 'master.cf': '' }, (dir) => {
    const res = postconf(dir, ['-n', 'mynetworks']);
    assert.equal(collapse(res.stdout), 'mynetworks = 127.0.0.0/8 10.0.0.0/8');
    assert.equal(collapse(main(text).tree.parameters[0].value.text), '127.0.0.0/8 10.0.0.0/8');
  });
});
