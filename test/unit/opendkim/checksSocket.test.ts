// Which socket OpenDKIM listens on (opendkim.conf's Socket, a systemd drop-in's -p, or, for
// the SysV init script, SOCKET in /etc/default/opendkim), the information finding on SOCKET,
// opendkim/no-socket, and the tiny systemd unit reader.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT, applyFix, brief, checksOf, doc, uriOf, workspaceOf } from './checksSupport';
import { opendkimSocketInEffect } from '../../../server/src/core/opendkim/checks/socketInEffect';
import { setOpendkimEnvironment } from '../../../server/src/core/opendkim/checks/environment';
import { effectiveExecStart, readExecStarts, socketArgument } from '../../../server/src/core/opendkim/checks/systemdUnit';

const CONF = '/etc/opendkim.conf';
const DEFAULT = '/etc/default/opendkim';
const OVERRIDE = '/etc/systemd/system/opendkim.service.d/override.conf';
const DEBIAN_DEFAULT = 'RUNDIR=/run/opendkim\nSOCKET=local:$RUNDIR/opendkim.sock\nUSER=opendkim\n';
const GENERATED = '[Service]\nExecStart=\nExecStart=/usr/sbin/opendkim -P /var/spool/postfix/run/opendkim/opendkim.pid -p local:/var/spool/postfix/run/opendkim/opendkim.sock\n';

test('systemd without a drop-in: opendkim.conf\'s Socket (the last one) is in effect', () => {
  const ws = workspaceOf({ [CONF]: 'Socket local:/run/opendkim/opendkim.sock\nSocket inet:8891@localhost\n', [DEFAULT]: DEBIAN_DEFAULT });
  const s = opendkimSocketInEffect(ws, doc(ws, CONF));
  assert.equal(s.source, 'opendkim.conf');
  assert.equal(s.text, 'inet:8891@localhost');
  assert.equal(s.spec?.family, 'inet');
  assert.equal(s.spec?.portNumber, 8891);
  assert.equal(s.uri, uriOf(CONF));
  assert.deepEqual(s.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 26 } });
  assert.match(s.reason, /systemd .* without -p .*opendkim\.conf's Socket applies; \/etc\/default\/opendkim is not read/);
});

test('a systemd drop-in with -p wins (as a workspace document or from the front end)', () => {
  const files = { [CONF]: 'Socket inet:8891@localhost\n', [DEFAULT]: 'RUNDIR=/var/spool/postfix/run/opendkim\nSOCKET=local:$RUNDIR/opendkim.sock\n', [OVERRIDE]: GENERATED };
  const ws = workspaceOf(files, { [OVERRIDE]: 'opendkim-default' });
  const s = opendkimSocketInEffect(ws, doc(ws, CONF));
  assert.equal(s.source, 'override');
  assert.equal(s.text, 'local:/var/spool/postfix/run/opendkim/opendkim.sock');
  assert.equal(s.spec?.family, 'unix');
  assert.equal(s.spec?.path?.text, '/var/spool/postfix/run/opendkim/opendkim.sock');
  assert.equal(s.uri, uriOf(OVERRIDE));
  assert.equal(s.range?.start.line, 2);
  assert.match(s.reason, /-p wins over opendkim\.conf's Socket/);

  const ws2 = workspaceOf({ [CONF]: files[CONF] });
  setOpendkimEnvironment(ws2, { systemdDropIns: (root) => (root === ROOT ? [{ uri: uriOf(OVERRIDE), text: GENERATED }] : []) });
  assert.equal(opendkimSocketInEffect(ws2, doc(ws2, CONF)).text, 'local:/var/spool/postfix/run/opendkim/opendkim.sock');
  // A later drop-in that resets ExecStart= without -p takes the override away again.
  setOpendkimEnvironment(ws2, { systemdDropIns: () => [{ uri: uriOf(OVERRIDE), text: GENERATED }, { uri: ROOT + '/systemd/system/opendkim.service.d/zz.conf', text: '[Service]\nExecStart=\nExecStart=/usr/sbin/opendkim\n' }] });
  assert.equal(opendkimSocketInEffect(ws2, doc(ws2, CONF)).source, 'opendkim.conf');
});

test('the SysV init script: SOCKET only when opendkim.conf has no line starting with "Socket"', () => {
  const ws = workspaceOf({ [CONF]: 'Syslog yes\n', [DEFAULT]: DEBIAN_DEFAULT });
  const s = opendkimSocketInEffect(ws, doc(ws, CONF), 'sysv');
  assert.equal(s.source, 'default');
  assert.equal(s.text, 'local:/run/opendkim/opendkim.sock'); // $RUNDIR expanded
  const ws2 = workspaceOf({ [CONF]: 'Socket inet:8891@localhost\n', [DEFAULT]: DEBIAN_DEFAULT });
  assert.equal(opendkimSocketInEffect(ws2, doc(ws2, CONF), 'sysv').source, 'opendkim.conf');
  // awk '$1 == "Socket"' is case-sensitive: "socket" does not stop the init script from passing -p.
  const ws3 = workspaceOf({ [CONF]: 'socket inet:8891@localhost\n', [DEFAULT]: DEBIAN_DEFAULT });
  assert.equal(opendkimSocketInEffect(ws3, doc(ws3, CONF), 'sysv').source, 'default');
});

test('opendkim/socket-in-effect on SOCKET: which socket systemd really uses', () => {
  const ws = workspaceOf({ [CONF]: 'Socket inet:8891@localhost\n', [DEFAULT]: DEBIAN_DEFAULT });
  const f = checksOf(ws, DEFAULT);
  assert.deepEqual(brief(f), ['information opendkim/socket-in-effect 1:0-1:6']);
  assert.match(f[0].message, /OpenDKIM listens on inet:8891@localhost, not on this SOCKET \(local:\/run\/opendkim\/opendkim.sock\)/);
  assert.deepEqual(f[0].related!.map((x) => `${x.uri} ${x.range.start.line}:${x.range.start.character}`), [`${uriOf(CONF)} 0:7`]);

  const same = workspaceOf({ [CONF]: 'Socket local:/run/opendkim/opendkim.sock\n', [DEFAULT]: DEBIAN_DEFAULT });
  assert.match(checksOf(same, DEFAULT)[0].message, /\(the same socket as here\)/);

  const generated = workspaceOf({ [CONF]: 'Socket inet:8891@localhost\n', [DEFAULT]: 'SOCKET=local:/var/spool/postfix/run/opendkim/opendkim.sock\n', [OVERRIDE]: GENERATED }, { [OVERRIDE]: 'opendkim-default' });
  assert.match(checksOf(generated, DEFAULT)[0].message, /^OpenDKIM listens on local:\/var\/spool\/postfix\/run\/opendkim\/opendkim.sock: systemd starts OpenDKIM with -p/);
});

test('opendkim/socket-in-effect when nothing names a socket: a fix moves SOCKET into opendkim.conf', () => {
  const ws = workspaceOf({ [CONF]: 'Syslog yes', [DEFAULT]: 'SOCKET="inet:12345@localhost"\n' });
  const f = checksOf(ws, DEFAULT);
  assert.deepEqual(brief(f), ['information opendkim/socket-in-effect 0:0-0:6']);
  assert.match(f[0].message, /listens on no socket at all/);
  assert.equal(applyFix(ws, uriOf(DEFAULT), f[0].fixes![0]).get(uriOf(CONF)), 'Syslog yes\nSocket inet:12345@localhost\n');
});

test('opendkim/no-socket: neither Socket nor -p', () => {
  const ws = workspaceOf({ [CONF]: 'Syslog yes\nMode sv\n', [DEFAULT]: DEBIAN_DEFAULT });
  const f = checksOf(ws, CONF);
  assert.deepEqual(brief(f), ['warning opendkim/no-socket 0:0-0:6']);
  assert.match(f[0].message, /milter socket must be specified/);
  assert.equal(f[0].related![0].uri, uriOf(DEFAULT));
  assert.equal(applyFix(ws, uriOf(CONF), f[0].fixes![0]).get(uriOf(CONF)), 'Syslog yes\nMode sv\nSocket local:/run/opendkim/opendkim.sock\n');
  // A drop-in with -p is enough.
  const withOverride = workspaceOf({ [CONF]: 'Syslog yes\n', [OVERRIDE]: GENERATED }, { [OVERRIDE]: 'opendkim-default' });
  assert.deepEqual(brief(checksOf(withOverride, CONF)), []);
});

test('systemd unit reader: sections, resets, continuation lines, quoting, -p forms', () => {
  const text = '# generated\n[Unit]\nExecStart=/bin/false\n[Service]\nExecStart=\nExecStart=-/usr/sbin/opendkim -x /etc/opendkim.conf \\\n  -p "inet:8891@localhost"\n';
  const lines = readExecStarts(text);
  assert.equal(lines.length, 2);
  const exec = effectiveExecStart(lines)!;
  assert.deepEqual(exec.words.map((w) => w.text), ['/usr/sbin/opendkim', '-x', '/etc/opendkim.conf', '-p', 'inet:8891@localhost']);
  assert.equal(socketArgument(exec)?.text, 'inet:8891@localhost');
  assert.equal(socketArgument(effectiveExecStart(readExecStarts('[Service]\nExecStart=/usr/sbin/opendkim -plocal:/x.sock -p inet:1@[::1]\n'))!)?.text, 'inet:1@[::1]');
  assert.equal(effectiveExecStart(readExecStarts('[Service]\nExecStart=/usr/sbin/opendkim\nExecStart=\n')), undefined);
  assert.doesNotThrow(() => readExecStarts('\u0000[Service\nExecStart="unclosed\n' + 'x'.repeat(100000)));
});
