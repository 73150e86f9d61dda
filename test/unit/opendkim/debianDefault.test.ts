import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, brief, debianDefault, r } from './helpers';

// Debian bookworm's /etc/default/opendkim as shipped (opendkim 2.11.0~beta2-8).
const DEBIAN_DEFAULT = `# NOTE: This is a legacy configuration file. It is not used by the opendkim
# systemd service. Please use the corresponding configuration parameters in
# /etc/opendkim.conf instead.
#
#DAEMON_OPTS=""
# Change to /var/spool/postfix/run/opendkim to use a Unix socket with
# postfix in a chroot:
#RUNDIR=/var/spool/postfix/run/opendkim
RUNDIR=/run/opendkim
#
# Uncomment to specify an alternate socket
# Note that setting this will override any Socket value in opendkim.conf
# default:
SOCKET=local:$RUNDIR/opendkim.sock
# listen on all interfaces on port 54321:
#SOCKET=inet:54321
USER=opendkim
GROUP=opendkim
PIDFILE=$RUNDIR/$NAME.pid
EXTRAAFTER=
`;

test('default file: Debian\'s shipped file parses cleanly, with references and the socket parts', () => {
  const { tree, findings } = debianDefault(DEBIAN_DEFAULT);
  assert.deepEqual(findings, []);
  assert.deepEqual(tree.assignments.map((a) => `${a.name.text}=${a.text}`), [
    'RUNDIR=/run/opendkim', 'SOCKET=local:$RUNDIR/opendkim.sock', 'USER=opendkim', 'GROUP=opendkim',
    'PIDFILE=$RUNDIR/$NAME.pid', 'EXTRAAFTER=',
  ]);
  const socket = tree.assignments[1];
  assert.equal(r(socket.name.range), '13:0-13:6');
  assert.equal(r(socket.value.range), '13:7-13:34');
  assert.deepEqual(socket.references.map((x) => `${x.name.text}@${r(x.name.range)}/${r(x.range)}`), ['RUNDIR@13:14-13:20/13:13-13:20']);
  assert.equal(socket.socket?.family, 'unix');
  assert.equal(socket.socket?.path?.text, '$RUNDIR/opendkim.sock');
  assert.equal(r(socket.socket!.path!.range), '13:13-13:34');
  const pid = tree.assignments[4];
  assert.deepEqual(pid.references.map((x) => x.name.text), ['RUNDIR', 'NAME']);
  const empty = tree.assignments[5];
  assert.equal(empty.value.text, '');
  assert.equal(r(empty.value.range), '19:11-19:11');
  assert.equal(tree.comments.filter((c) => c.wholeLine).length, 14);
});

test('default file: quoting: double, single, escapes, ${braced} references, export', () => {
  const text = [
    'SOCKET="inet:8891@localhost"',
    "DAEMON_OPTS='-x /etc/opendkim.conf'",
    'export RUNDIR=/run/opendkim USER=opendkim',
    'PIDFILE="${RUNDIR:-/run}/opendkim.pid"',
    'X=a\\ b',
    'export GROUP',
  ].join('\n');
  const { tree, findings } = debianDefault(text);
  assert.deepEqual(findings, []);
  const [socket, opts, rundir, user, pid, x] = tree.assignments;
  assert.equal(socket.text, 'inet:8891@localhost');
  assert.equal(socket.value.text, '"inet:8891@localhost"');
  assert.equal(r(socket.socket!.port!.range), '0:13-0:17');
  assert.equal(r(socket.socket!.host!.range), '0:18-0:27');
  assert.equal(opts.text, '-x /etc/opendkim.conf');
  assert.equal(rundir.exported, true);
  assert.equal(r(rundir.range), '2:0-2:27', 'the first assignment after export includes the keyword');
  assert.equal(user.exported, true);
  assert.equal(r(user.range), '2:28-2:41');
  assert.equal(pid.references[0].braced, true);
  assert.equal(r(pid.references[0].range), '3:9-3:24');
  assert.equal(r(pid.references[0].name.range), '3:11-3:17');
  assert.equal(x.text, 'a b');
  assert.deepEqual(tree.exports.map((e) => e.text), ['GROUP']);
});

test('default file: a double-quoted value may span lines', () => {
  const { tree, findings } = debianDefault('DAEMON_OPTS="-v\n  -x /etc/opendkim.conf"\nUSER=opendkim\n');
  assert.deepEqual(findings, []);
  assert.equal(tree.assignments[0].text, '-v\n  -x /etc/opendkim.conf');
  assert.equal(r(tree.assignments[0].value.range), '0:12-1:24');
  assert.equal(tree.assignments[1].name.text, 'USER');
});

test('default file: seed 004\'s typographic quotes are an error with a fix to straight quotes', () => {
  const text = [
    '# Uncomment to specify an alternate socket',
    'SOCKET=”local:/var/spool/postfix/opendkim/opendkim.sock”',
    '# listen on all interfaces on port 54321:',
    '#SOCKET=”inet:54321″',
  ].join('\n');
  const { tree, findings } = debianDefault(text);
  assert.deepEqual(brief(findings), ['error opendkim/typographic-quotes 1:7-1:56']);
  assert.match(findings[0].message, /straight quotes/);
  assert.match(findings[0].message, /does not start/);
  assert.equal(applyFix(text, findings[0]).split('\n')[1], 'SOCKET="local:/var/spool/postfix/opendkim/opendkim.sock"');
  // The shell keeps the curly quotes as part of the value.
  assert.equal(tree.assignments[0].text, '”local:/var/spool/postfix/opendkim/opendkim.sock”');
  assert.equal(tree.assignments[0].socket?.family, 'unknown');
  assert.equal(tree.comments.length, 3);
});

test('default file: blanks around "=" and a forgotten "="', () => {
  const spaced = 'SOCKET = "inet:8891@localhost"';
  const f1 = debianDefault(spaced).findings;
  assert.deepEqual(brief(f1), ['error opendkim/default-space-around-equals 0:6-0:9']);
  assert.equal(applyFix(spaced, f1[0]), 'SOCKET="inet:8891@localhost"');

  const after = 'SOCKET= inet:8891@localhost';
  const f2 = debianDefault(after).findings;
  assert.deepEqual(brief(f2), ['error opendkim/default-space-around-equals 0:7-0:8']);
  assert.equal(applyFix(after, f2[0]), 'SOCKET=inet:8891@localhost');

  const missing = 'SOCKET inet:8891@localhost';
  const f3 = debianDefault(missing).findings;
  assert.deepEqual(brief(f3), ['warning opendkim/default-not-assignment 0:0-0:6']);
  assert.equal(applyFix(missing, f3[0]), 'SOCKET=inet:8891@localhost');

  // Ordinary shell commands are kept, not judged.
  const cmd = debianDefault('if [ -d /run ]; then\n  RUNDIR=/run/opendkim\nfi\n');
  assert.deepEqual(cmd.findings, []);
  assert.deepEqual(cmd.tree.assignments.map((a) => a.name.text), ['RUNDIR']);
  assert.deepEqual(cmd.tree.commands.map((c) => c.text), ['[']);
});

test('default file: unterminated quotes, CRLF, BOM, bad socket', () => {
  const open = debianDefault('SOCKET="local:/run/x.sock\nUSER=opendkim\n');
  assert.deepEqual(brief(open.findings), ['error opendkim/default-unterminated-quote 0:7-0:8']);
  assert.equal(open.tree.assignments[0].text, 'local:/run/x.sock', 'the unclosed string stops at its line');
  assert.equal(r(open.tree.assignments[0].value.range), '0:7-0:25');
  assert.equal(open.tree.assignments[1].name.text, 'USER', 'parsing resumes on the next line');

  const crlf = debianDefault('USER=opendkim\r\nGROUP=opendkim\r\n');
  assert.deepEqual(brief(crlf.findings), ['error opendkim/cr-line-ending 0:13-1:0']);
  assert.equal(crlf.tree.assignments[1].text, 'opendkim');

  assert.deepEqual(brief(debianDefault('\ufeffUSER=opendkim\n').findings), ['error opendkim/byte-order-mark 0:0-0:1']);
  assert.deepEqual(brief(debianDefault('SOCKET=inet:localhost:8891\n').findings), ['error opendkim/socket-bad-port 0:12-0:26']);
  assert.deepEqual(debianDefault('SOCKET=$MYSOCKET\nSOCKET=${PROTO}:8891\n').findings, [], 'expanded protocols are not judged');
});
