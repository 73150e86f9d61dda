// master.cf semantics: commands, duplicate services; and the built-in copy of Debian's
// default master.cf and daemon list against the installed Postfix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { r } from './helpers';
import { check, fixMaster, MINIMAL_MASTER, one, semantic, withCode } from './checksSupport';
import { DEBIAN_DEFAULT_MASTER_CF, POSTFIX_DAEMONS } from '../../../server/src/core/postfix/debianMaster';

const INSTALL_HINT = 'Debian\'s postfix package is not installed (apt-get install postfix; `npm test` installs it)';

test('unknown-command: a misspelt daemon, with a fix; paths and pipe/spawn are fine', () => {
  const c = check({ main: '', master: 'smtp inet n - y - - smptd\nfoo unix - n n - - /usr/local/libexec/foo\nspf unix - n n - 0 spawn user=x argv=/bin/true\n' });
  const f = one(c.master, 'master/unknown-command');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(r(f.range), [0, 20, 0, 25]);
  assert.equal(fixMaster(c, f.fixes![0]).split('\n')[0], 'smtp inet n - y - - smtpd');
  assert.equal(f.fixes![0].preferred, true);
  const custom = one(check({ main: '', master: 'amavis unix - - n - 2 amavisd-feeder\n' }).master, 'master/unknown-command');
  assert.match(custom.message, /pipe` or `spawn`/);
  assert.deepEqual(custom.fixes ?? [], []);
});

test('duplicate-service: same name and type twice, related to the first; other types are separate services', () => {
  const c = check({ main: '', master: MINIMAL_MASTER + 'submission inet n - y - - smtpd\nsubmission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n' });
  const f = one(c.master, 'master/duplicate-service');
  assert.deepEqual(r(f.range), [13, 0, 13, 10]);
  assert.deepEqual(f.related?.map((x) => r(x.range)), [[12, 0, 12, 10]]);
  assert.match(f.message, /line 13/);
  assert.match(f.message, /address and port/);
  // smtp inet and smtp unix in MINIMAL_MASTER are two different services.
  assert.deepEqual(withCode(check({ main: '', master: MINIMAL_MASTER }).master, 'master/duplicate-service'), []);
});

test('a complete master.cf and Debian\'s default one have no semantic findings', () => {
  assert.deepEqual(semantic(check({ main: '', master: MINIMAL_MASTER }).master), []);
  assert.deepEqual(semantic(check({ main: '', master: DEBIAN_DEFAULT_MASTER_CF }).master), []);
});

test('the built-in default master.cf is Debian\'s master.cf.dist without comments', () => {
  const file = '/usr/share/postfix/master.cf.dist';
  assert.ok(fs.existsSync(file), `${file} is missing: ${INSTALL_HINT}`);
  const entries = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#')).map((l) => l.replace(/\s+/g, ' ').trim());
  assert.deepEqual(entries(DEBIAN_DEFAULT_MASTER_CF), entries(fs.readFileSync(file, 'utf8')));
});

test('the daemon list is what Debian installs in /usr/lib/postfix/sbin (programs, not scripts)', () => {
  const dir = '/usr/lib/postfix/sbin';
  assert.ok(fs.existsSync(dir), `${dir} is missing: ${INSTALL_HINT}`);
  const installed = fs.readdirSync(dir).filter((n) => {
    const head = fs.readFileSync(`${dir}/${n}`).subarray(0, 4);
    return head[0] === 0x7f && head.toString('latin1', 1, 4) === 'ELF';
  });
  // master is the supervisor itself, fsstone a file system benchmark: neither is a service command.
  const expected = installed.filter((n) => n !== 'master' && n !== 'fsstone').sort();
  assert.deepEqual([...POSTFIX_DAEMONS].sort(), expected);
});
