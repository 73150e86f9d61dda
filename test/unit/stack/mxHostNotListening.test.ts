// mx/host-not-listening: a domain's MX (in a workspace zone file) names this Postfix
// server, which takes no mail from the internet (inet_interfaces on loopback, or no port-25
// smtpd in master.cf). Over in-memory /etc trees: both sides of each finding, the cases that
// must stay quiet, and the quick-fix applied and the stack checked again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../../../server/src/core/types';
import { etcStack } from './etcStack';

const CODE = 'mx/host-not-listening';
const MAIN = 'postfix/main.cf';
const MASTER = 'postfix/master.cf';
const ZONE = 'bind/db.example.org';

/** example.org: MX `mx` (default: mail), mail at 192.0.2.25, plus `extra`. */
function zone(mx = 'mail', extra = ''): string {
  return `$ORIGIN example.org.
$TTL 3600
@     IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 3600
      IN NS  ns1
      IN MX  10 ${mx}
ns1   IN A   192.0.2.53
mail  IN A   192.0.2.25
${extra}`;
}

const HOST = 'myhostname = mail.example.org\n';
const SEND_ONLY = HOST + 'inet_interfaces = loopback-only\n';

/** A whole master.cf (cleanup, qmgr …) with the given receiving lines. */
function master(receivers: string): string {
  return `${receivers}
pickup    unix  n       -       y       60      1       pickup
cleanup   unix  n       -       y       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       y       -       -       trivial-rewrite
bounce    unix  -       -       y       -       0       bounce
smtp      unix  -       -       y       -       -       smtp
`;
}

function stack(files: Record<string, string>) {
  return etcStack(files, (f) => f.code === CODE);
}

function slice(text: string, f: { range: Finding['range'] }): string {
  return text.split('\n')[f.range.start.line].slice(f.range.start.character, f.range.end.character);
}

test('MX → myhostname with inet_interfaces = loopback-only: error on both sides, each pointing at the other', () => {
  const s = stack({ [MAIN]: SEND_ONLY, [ZONE]: zone() });
  const [main] = s.findings(MAIN);
  const [mx] = s.findings(ZONE);
  assert.ok(main && mx, `main.cf: ${JSON.stringify(s.findings(MAIN))}; zone: ${JSON.stringify(s.findings(ZONE))}`);
  assert.equal(s.findings(MAIN).length, 1);
  assert.equal(s.findings(ZONE).length, 1);
  assert.equal(main.severity, 'error');
  assert.equal(mx.severity, 'error');
  assert.equal(slice(s.text(MAIN), main), 'loopback-only');
  assert.equal(slice(s.text(ZONE), mx), 'mail');
  assert.match(main.message, /MX host of example\.org/);
  assert.match(main.message, /connection refused/);
  assert.match(mx.message, /inet_interfaces = loopback-only/);
  assert.deepEqual(main.related!.map((r) => [r.uri, slice(s.text(ZONE), r)]), [[s.uri(ZONE), 'mail']]);
  assert.ok(mx.related!.some((r) => r.uri === s.uri(MAIN) && slice(s.text(MAIN), r) === 'loopback-only'));
  assert.ok(mx.related!.some((r) => r.uri === s.uri(MAIN) && slice(s.text(MAIN), r) === 'mail.example.org'));
});

test('every loopback form counts, after $name expansion: localhost, 127.0.0.1, [::1], lists of them', () => {
  for (const value of ['localhost', '127.0.0.1', '[::1]', '127.0.0.1, [::1]', '$local_only\nlocal_only = loopback-only']) {
    const s = stack({ [MAIN]: `${HOST}inet_interfaces = ${value}\n`, [ZONE]: zone() });
    assert.equal(s.findings(MAIN).length, 1, value);
    assert.equal(s.findings(ZONE).length, 1, value);
  }
});

test('a server that listens (all, the default, a public address) gets no finding', () => {
  for (const main of [HOST + 'inet_interfaces = all\n', HOST, HOST + 'inet_interfaces = 192.0.2.25, 127.0.0.1\n']) {
    const s = stack({ [MAIN]: main, [ZONE]: zone() });
    assert.deepEqual([...s.findings(MAIN), ...s.findings(ZONE)], [], main);
  }
});

test('an MX naming another host, with another address: no finding', () => {
  const s = stack({ [MAIN]: SEND_ONLY, [ZONE]: zone('mx1', 'mx1   IN A   192.0.2.26\n') });
  assert.deepEqual([...s.findings(MAIN), ...s.findings(ZONE)], []);
});

test('an MX naming another name with an address of myhostname: found by address equality', () => {
  const s = stack({ [MAIN]: SEND_ONLY, [ZONE]: zone('mx1', 'mx1   IN A   192.0.2.25\n') });
  const [mx] = s.findings(ZONE);
  assert.ok(mx, JSON.stringify(s.all(ZONE)));
  assert.equal(slice(s.text(ZONE), mx), 'mx1');
  assert.match(mx.message, /mx1\.example\.org, which has mail\.example\.org's address 192\.0\.2\.25/);
  assert.equal(s.findings(MAIN).length, 1);
});

test('myhostname written with another case and a final dot matches the MX target', () => {
  const s = stack({ [MAIN]: 'myhostname = Mail.Example.ORG.\ninet_interfaces = loopback-only\n', [ZONE]: zone('MAIL.example.org.') });
  assert.equal(s.findings(ZONE).length, 1);
});

test('the MX in a zone that is not in the workspace: no finding (nothing certain)', () => {
  const other = `$ORIGIN example.net.
$TTL 3600
@     IN SOA ns1 hostmaster 1 7200 3600 1209600 3600
      IN NS  ns1
ns1   IN A   192.0.2.53
`;
  const s = stack({ [MAIN]: SEND_ONLY, 'bind/db.example.net': other });
  assert.deepEqual([...s.findings(MAIN), ...s.findings('bind/db.example.net')], []);
});

test('a null MX (MX 0 .) is no MX host: no finding', () => {
  const s = stack({ [MAIN]: SEND_ONLY, [ZONE]: zone().replace('IN MX  10 mail', 'IN MX  0 .') });
  assert.deepEqual([...s.findings(MAIN), ...s.findings(ZONE)], []);
});

test('another MX host beside this one: a warning (mail arrives through the other, late)', () => {
  const s = stack({ [MAIN]: SEND_ONLY, [ZONE]: zone('mail', '@     IN MX  20 backup.example.net.\n') });
  const [mx] = s.findings(ZONE);
  assert.equal(mx?.severity, 'warning');
  assert.equal(s.findings(MAIN)[0]?.severity, 'warning');
});

test('master.cf without a port-25 smtpd: finding on main.cf\'s myhostname and the MX', () => {
  const s = stack({ [MAIN]: HOST, [MASTER]: master('submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt'), [ZONE]: zone() });
  const [main] = s.findings(MAIN);
  assert.ok(main, JSON.stringify(s.all(MAIN)));
  assert.equal(slice(s.text(MAIN), main), 'mail.example.org');
  assert.match(main.message, /no `smtp inet … smtpd`/);
  assert.equal(main.fixes, undefined);
  assert.ok(main.related!.some((r) => r.uri === s.uri(MASTER)));
  assert.equal(s.findings(ZONE).length, 1);
  assert.deepEqual(s.findings(MASTER), []);
});

test('master.cf with the port-25 smtpd bound to 127.0.0.1: finding on that line', () => {
  const s = stack({ [MAIN]: HOST, [MASTER]: master('127.0.0.1:smtp inet n - y - - smtpd'), [ZONE]: zone() });
  const [m] = s.findings(MASTER);
  assert.ok(m, JSON.stringify(s.all(MASTER)));
  assert.equal(slice(s.text(MASTER), m), '127.0.0.1:smtp');
  assert.equal(s.findings(ZONE).length, 1);
});

test('master.cf with smtpd (or postscreen) on port 25 listening: no finding', () => {
  for (const receivers of ['smtp inet n - y - - smtpd', '25 inet n - y - - smtpd', 'smtp inet n - y - 1 postscreen\nsmtpd pass - - y - - smtpd']) {
    const s = stack({ [MAIN]: HOST, [MASTER]: master(receivers), [ZONE]: zone() });
    assert.deepEqual([...s.findings(MAIN), ...s.findings(MASTER), ...s.findings(ZONE)], [], receivers);
  }
});

test('not judged: master.cf not in the workspace, a fragment, an smtpd on another port, postfix-multi, no myhostname', () => {
  const cases: Array<Record<string, string>> = [
    { [MAIN]: HOST, [ZONE]: zone() },
    { [MAIN]: HOST, [MASTER]: 'submission inet n - y - - smtpd\n', [ZONE]: zone() },
    { [MAIN]: HOST, [MASTER]: master('2525 inet n - y - - smtpd'), [ZONE]: zone() },
    { [MAIN]: SEND_ONLY + 'multi_instance_directories = /etc/postfix-out\n', [ZONE]: zone() },
    { [MAIN]: 'inet_interfaces = loopback-only\n', [ZONE]: zone() },
    { [MAIN]: HOST + 'inet_interfaces = $undefined_here\n', [ZONE]: zone() },
  ];
  for (const files of cases) {
    const s = stack(files);
    const found = Object.keys(files).flatMap((p) => s.findings(p));
    assert.deepEqual(found, [], JSON.stringify(files));
  }
});

test('quick-fix: inet_interfaces = all (restart named in the title); the stack is clean again', () => {
  const s = stack({ [MAIN]: SEND_ONLY, [ZONE]: zone() });
  const [main] = s.findings(MAIN);
  const fix = main.fixes?.[0];
  assert.ok(fix, 'a quick-fix is offered');
  assert.match(fix.title, /inet_interfaces = all/);
  assert.match(fix.title, /restart/);
  const fixed = TextDocument.applyEdits(TextDocument.create('file:///x', 'x', 1, s.text(MAIN)), fix.edits);
  assert.equal(fixed, HOST + 'inet_interfaces = all\n');
  const again = stack({ [MAIN]: fixed, [ZONE]: zone() });
  assert.deepEqual([...again.findings(MAIN), ...again.findings(ZONE)], []);
});

test('no quick-fix for a value that is not a plain loopback word ($name, a list)', () => {
  for (const value of ['127.0.0.1, [::1]', '$local_only\nlocal_only = loopback-only']) {
    const s = stack({ [MAIN]: `${HOST}inet_interfaces = ${value}\n`, [ZONE]: zone() });
    assert.equal(s.findings(MAIN)[0]?.fixes, undefined, value);
  }
});

test('the MX records looked at: the zone apex, the domains above myhostname and those Postfix receives for; no walk over every name', () => {
  // lists.example.org is a domain the server is meant to receive for (virtual_mailbox_domains).
  const extra = 'lists IN MX 10 mail\nother IN MX 10 mail\n';
  const listed = stack({ [MAIN]: SEND_ONLY + 'virtual_mailbox_domains = lists.example.org\n', [ZONE]: zone('mx.example.net.', extra) });
  assert.deepEqual(listed.findings(ZONE).map((f) => f.range.start.line), [7], 'lists.example.org, listed');
  // A subdomain's MX that no list names and that is not above myhostname is not looked at.
  const unlisted = stack({ [MAIN]: SEND_ONLY, [ZONE]: zone('mx.example.net.', extra) });
  assert.deepEqual(unlisted.findings(ZONE), []);
});
