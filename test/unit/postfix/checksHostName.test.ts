// postfix/myhostname-not-fqdn: a myhostname without a dot, or localhost, reaches the HELO
// name and the sender addresses. The mydomain fallback the message names is checked against
// Debian's real postconf (`npm test` installs it; without it that test fails).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, codesAndRanges, withCode } from './checksSupport';

const CODE = 'postfix/myhostname-not-fqdn';
const found = (main: string) => withCode(check({ main }).main, CODE);

test('myhostname without a dot: HELO and sender addresses are not fully qualified', () => {
  const f = found('myhostname = mail\n');
  assert.deepEqual(codesAndRanges(f), [[CODE, [0, 13, 0, 17]]]);
  assert.equal(f[0].severity, 'warning');
  assert.match(f[0].message, /myhostname `mail` has no dot, .*mydomain to `localdomain`.*HELO mail, .*need fully-qualified hostname.*root@mail/);
});

test('localhost names are reported too; a dotted name, an unset one or a template are not', () => {
  assert.match(found('myhostname = localhost.localdomain\n')[0].message, /is localhost, not this server's name in DNS: .*HELO localhost\.localdomain/);
  assert.equal(found('myhostname = localhost\n').length, 1);
  assert.deepEqual(found('myhostname = mail.example.com\n'), []);
  assert.deepEqual(found('myhostname = mail.example.com.\n'), []);
  assert.deepEqual(found('mydomain = example.com\n'), [], 'unset: the host name comes from the system at run time');
  assert.deepEqual(found('myhostname = {{ hostname }}\n'), [], 'a template value');
  assert.deepEqual(found('myhostname = $undefined_thing\n'), [], 'not known exactly');
});

test('$references are followed; what the name reaches decides the message, and nothing is said when it reaches nothing', () => {
  assert.equal(found('host_part = mail\nmyhostname = $host_part\n').length, 1);
  assert.deepEqual(found('host_part = mail.example.com\nmyhostname = $host_part\n'), []);
  const heloOnly = found('myhostname = mail\nmyorigin = example.com\n');
  assert.match(heloOnly[0].message, /HELO mail/);
  assert.doesNotMatch(heloOnly[0].message, /root@/);
  const originOnly = found('myhostname = mail\nsmtp_helo_name = mail.example.com\n');
  assert.match(originOnly[0].message, /root@mail/);
  assert.doesNotMatch(originOnly[0].message, /HELO/);
  assert.deepEqual(found('myhostname = mail\nsmtp_helo_name = mail.example.com\nmyorigin = example.com\n'), []);
});

test('real postconf: with myhostname = mail, mydomain becomes localdomain and myorigin and smtp_helo_name are mail', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-hostname-'));
  try {
    fs.writeFileSync(path.join(dir, 'main.cf'), 'myhostname = mail\n');
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(dir, 'main.cf'), past, past);
    const r = spawnSync('postconf', ['-c', dir, '-x', '-h', 'mydomain', 'myorigin', 'smtp_helo_name'], { encoding: 'utf8' });
    assert.equal(r.error, undefined, 'postconf is not installed: apt-get install postfix (npm test installs it)');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['localdomain', 'mail', 'mail']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
