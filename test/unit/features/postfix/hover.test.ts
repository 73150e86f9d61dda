// Hover on main.cf and master.cf: parameters, $references, table types, restrictions,
// service links and master.cf columns, with exact ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverAt } from '../../../../server/src/core/features/index';
import { allParameterNames, getParameter } from '../../../../server/src/core/postfix/catalogue';
import { at, instance, r, sample } from './helpers';

const seed000 = sample('000-any2any.de', 'main.cf');
const main004 = sample('004-voorbeeld.nl', 'main.cf');
const master004 = sample('004-voorbeeld.nl', 'master.cf');

function hoverMain(text: string, needle: string, offset = 0, occurrence = 0, master?: string, version?: string) {
  const i = instance(text, master);
  return hoverAt(i.onMain(version), at(text, needle, offset, occurrence));
}

function hoverMaster(mainText: string | undefined, text: string, needle: string, offset = 0, occurrence = 0) {
  const i = instance(mainText, text);
  return hoverAt(i.onMaster(), at(text, needle, offset, occurrence));
}

test('seed 000: hover on a parameter name gives description, kind, default, value in effect and the manual link', () => {
  const h = hoverMain(seed000, 'milter_default_action', 3);
  assert.ok(h);
  assert.deepEqual(r(h.range), [12, 0, 12, 21]);
  assert.match(h.markdown, /^\*\*milter_default_action\*\* — Postfix parameter/);
  assert.ok(h.markdown.includes(getParameter('milter_default_action')!.description!), 'our description');
  assert.ok(h.markdown.includes('Kind: one of: `accept`, `reject`, `tempfail`, `quarantine`, `shutdown`'));
  assert.ok(h.markdown.includes('Default: `tempfail` (newest Postfix: `shutdown`)'));
  assert.ok(h.markdown.includes('In effect (set on main.cf line 13): `accept`'));
  assert.ok(h.markdown.includes('Since Postfix 2.3.'));
  assert.ok(h.markdown.includes('[postconf(5)](https://www.postfix.org/postconf.5.html#milter_default_action)'));
});

test('seed 000: a deprecated parameter says since when and what replaces it', () => {
  const h = hoverMain(seed000, 'smtpd_use_tls', 2)!;
  assert.deepEqual(r(h.range), [5, 0, 5, 13]);
  assert.ok(h.markdown.includes('⚠ Deprecated since Postfix 3.9: use `smtpd_tls_security_level` instead.'));
  assert.ok(h.markdown.includes('In effect (set on main.cf line 6): `yes`'));
  // For Postfix 3.7 the deprecation is still in the future: no warning sign.
  const old = hoverMain(seed000, 'smtpd_use_tls', 2, 0, undefined, '3.7')!;
  assert.ok(old.markdown.includes('\nDeprecated since Postfix 3.9: use `smtpd_tls_security_level` instead.'));
});

test('seed 000: hover on ${data_directory} shows that the default applies and its value', () => {
  const h = hoverMain(seed000, '${data_directory}', 3)!;
  assert.deepEqual(r(h.range), [6, 43, 6, 57]);
  assert.match(h.markdown, /^\*\*\$data_directory\*\* — not set in main.cf: the default applies/);
  assert.ok(h.markdown.includes('Value: `/var/lib/postfix`'));
  // On the `$` and the braces it is the same reference.
  assert.deepEqual(r(hoverMain(seed000, '${data_directory}', 0)!.range), [6, 43, 6, 57]);
  assert.deepEqual(r(hoverMain(seed000, '${data_directory}', 16)!.range), [6, 43, 6, 57]);
});

test('seed 000: the value in effect of a parameter is shown with its references expanded', () => {
  const h = hoverMain(seed000, 'smtpd_tls_session_cache_database', 1)!;
  assert.ok(h.markdown.includes('In effect (set on main.cf line 7): `btree:${data_directory}/smtpd_scache` → `btree:/var/lib/postfix/smtpd_scache`'));
});

test('seed 000: $smtpd_milter is undefined, with the likely intended name', () => {
  const h = hoverMain(seed000, '$smtpd_milter', 1)!;
  assert.deepEqual(r(h.range), [15, 21, 15, 33]);
  assert.match(h.markdown, /^\*\*\$smtpd_milter\*\* — not defined anywhere/);
  assert.ok(h.markdown.includes('Postfix substitutes an empty value here'));
  assert.ok(h.markdown.includes('Did you mean `$smtpd_milters`'));
  // The parameter holding it tells the same story in its value line.
  const p = hoverMain(seed000, 'non_smtpd_milters', 0)!;
  assert.ok(p.markdown.includes('`$smtpd_milter` → *(empty)*'));
  assert.ok(p.markdown.includes('⚠ `$smtpd_milter` not defined: Postfix substitutes nothing'));
});

test('seed 000: hover on a lookup table type', () => {
  const h = hoverMain(seed000, 'btree:', 1)!;
  assert.deepEqual(r(h.range), [6, 35, 6, 40]);
  assert.match(h.markdown, /^\*\*btree:\*\* — lookup table \(indexed file\)/);
  assert.ok(h.markdown.includes('Run `postmap`'));
});

test('seed 004: a per-service parameter names its master.cf service', () => {
  const h = hoverMain(main004, 'policyd-spf_time_limit', 0, 0, master004)!;
  assert.deepEqual(r(h.range), [1, 0, 1, 22]);
  assert.match(h.markdown, /^\*\*policyd-spf_time_limit\*\* — per-service parameter/);
  assert.ok(h.markdown.includes('Applies to the master.cf service `policyd-spf` (spawn) only'));
  assert.ok(h.markdown.includes('transport_time_limit'));
  // Without master.cf the name is unknown to Postfix.
  const alone = hoverMain(main004, 'policyd-spf_time_limit', 0)!;
  assert.match(alone.markdown, /— unknown parameter/);
  assert.ok(alone.markdown.includes('reports it as unused'));
});

test('seed 004: restriction and policy-service hovers', () => {
  const h = hoverMain(main004, 'reject_unauth_destination', 4, 0, master004)!;
  assert.deepEqual(r(h.range), [3, 3, 3, 28]);
  assert.match(h.markdown, /^\*\*reject_unauth_destination\*\* — smtpd restriction/);
  assert.ok(h.markdown.includes('relay control'));
  assert.ok(h.markdown.includes('Examines the envelope recipient.'));
  const p = hoverMain(main004, 'unix:private/policyd-spf', 2, 0, master004)!;
  assert.deepEqual(r(p.range), [4, 24, 4, 48]);
  assert.match(p.markdown, /^\*\*policyd-spf\*\* — master\.cf policy service/);
  assert.ok(p.markdown.includes('master.cf line 29: `policyd-spf` unix, runs `spawn`'));
  assert.ok(p.markdown.includes('External command: `/usr/bin/policyd-spf`'));
  const missing = hoverMain(main004, 'unix:private/policyd-spf', 2, 0, 'smtp inet n - y - - smtpd\n')!;
  assert.ok(missing.markdown.includes('⚠ master.cf defines no service `policyd-spf`'));
});

test('seed 004 master.cf: columns, service type, command and where main.cf uses the service', () => {
  const chroot = hoverMaster(main004, master004, 'smtp      inet  n       -       y', 32)!;
  assert.deepEqual(r(chroot.range), [1, 32, 1, 33]);
  assert.match(chroot.markdown, /^\*\*chroot \(column 5\)\*\*: `y`/);
  assert.ok(chroot.markdown.includes('This service runs chrooted in `/var/spool/postfix`.'));
  assert.ok(chroot.markdown.includes('`smtpd_milters` names the socket `/opendkim/opendkim.sock`: from inside the jail that is `/var/spool/postfix/opendkim/opendkim.sock` on disk.'));
  const type = hoverMaster(main004, master004, 'unix-dgram')!;
  assert.deepEqual(r(type.range), [26, 10, 26, 20]);
  assert.ok(type.markdown.includes('UNIX-domain datagram socket'));
  const cmd = hoverMaster(main004, master004, 'spawn')!;
  assert.deepEqual(r(cmd.range), [28, 59, 28, 64]);
  assert.ok(cmd.markdown.includes('`spawn`: Runs an external program'));
  const name = hoverMaster(main004, master004, 'policyd-spf  ')!;
  assert.deepEqual(r(name.range), [28, 0, 28, 11]);
  assert.ok(name.markdown.includes('Used by `smtpd_recipient_restrictions` (main.cf line 5), `policyd-spf_time_limit` (main.cf line 2).'));
  const wakeup = hoverMaster(main004, master004, '1000?')!;
  assert.ok(wakeup.markdown.includes('Woken every 1000 seconds, but only while it is in use.'));
  const dash = hoverMaster(main004, master004, 'n       -', 8)!;
  assert.match(dash.markdown, /^\*\*unpriv \(column 4\)\*\*: `-`/);
  assert.ok(dash.markdown.includes('`-` is the default: `y` (unprivileged).'));
  const attr = hoverMaster(main004, master004, 'user=', 1)!;
  assert.deepEqual(r(attr.range), [29, 4, 29, 8]);
  assert.match(attr.markdown, /^\*\*user=\*\* — spawn attribute/);
});

test('seed 004 master.cf: -o syslog_name with $service_name expanded for that service', () => {
  const h = hoverMaster(main004, master004, 'syslog_name', 2)!;
  assert.deepEqual(r(h.range), [16, 11, 16, 22]);
  assert.ok(h.markdown.includes('For `relay`: `postfix/$service_name` → `postfix/relay`'));
  assert.ok(h.markdown.includes('Elsewhere (not set in main.cf: the default applies): `${multi_instance_name?{$multi_instance_name}:{postfix}}` → `postfix`'));
  const ref = hoverMaster(main004, master004, '$service_name', 1)!;
  assert.deepEqual(r(ref.range), [16, 32, 16, 44]);
  assert.ok(ref.markdown.includes('Value: `relay`'));
  const flag = hoverMaster(main004, master004, '-o syslog', 0)!;
  assert.match(flag.markdown, /^\*\*-o\*\* — override for this service/);
});

test('main.cf: overridden in master.cf, set twice, cycles and depth are reported', () => {
  const main = 'smtpd_tls_security_level = may\nmyorigin = $mydomain\nmydomain = example.org\n' +
    'a = $b\nb = $a\nsmtpd_tls_security_level = none\n';
  const master = 'submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n';
  const first = hoverMain(main, 'smtpd_tls_security_level', 0, 0, master)!;
  assert.ok(first.markdown.includes('⚠ Set again on line 6: this line is ignored.'));
  assert.ok(first.markdown.includes('Overridden in master.cf for: `submission` (line 2): `encrypt`.'));
  const last = hoverMain(main, 'smtpd_tls_security_level', 0, 1, master)!;
  assert.ok(last.markdown.includes('Also set on line 1, which is ignored: this line wins.'));
  const origin = hoverMain(main, 'myorigin', 0)!;
  assert.ok(origin.markdown.includes('In effect (set on main.cf line 2): `$mydomain` → `example.org`'));
  const loop = hoverMain(main, 'a =', 0)!;
  assert.ok(loop.markdown.includes('refers back to itself through `$a`'));
  const o = hoverMaster(main, master, 'smtpd_tls_security_level', 1)!;
  assert.ok(o.markdown.includes('For `submission`: `encrypt`'));
  assert.ok(o.markdown.includes('Elsewhere (set on main.cf line 6): `none`'));
});

test('main.cf: computed defaults and user-defined parameters', () => {
  const main = 'myorigin = $myhostname\nmy_networks = 10.0.0.0/8\nmynetworks = $my_networks\n';
  const h = hoverMain(main, '$myhostname', 1)!;
  assert.match(h.markdown, /^\*\*\$myhostname\*\* — not set: computed by Postfix at run time/);
  assert.ok(h.markdown.includes('computed at run time: the machine\'s fully-qualified host name'));
  const user = hoverMain(main, 'my_networks', 0)!;
  assert.match(user.markdown, /^\*\*my_networks\*\* — user-defined parameter/);
  assert.ok(user.markdown.includes('used through `$my_networks`'));
  const expanded = hoverMain(main, 'mynetworks =', 0)!;
  assert.ok(expanded.markdown.includes('`$my_networks` → `10.0.0.0/8`'));
});

test('hover text is never undefined for a known parameter, and stays short', () => {
  const names = allParameterNames();
  const text = names.map((n) => `${n} = x`).join('\n') + '\n';
  const i = instance(text);
  const ctx = i.onMain();
  for (let line = 0; line < names.length; line++) {
    const h = hoverAt(ctx, { line, character: 0 });
    assert.ok(h, `hover for ${names[line]}`);
    assert.ok(h.markdown.startsWith(`**${names[line]}**`), names[line]);
    assert.deepEqual(r(h.range), [line, 0, line, names[line].length]);
    assert.ok(h.markdown.length < 4000, `${names[line]}: ${h.markdown.length} characters`);
  }
});

test('long expansions are cut at about 300 characters', () => {
  const main = `a = ${'x'.repeat(200)} $b $b\nb = ${'y'.repeat(200)}\nc = $a\n`;
  const h = hoverMain(main, 'c =', 0)!;
  const m = /`\$a` → `([^`]*)`/.exec(h.markdown);
  assert.ok(m, h.markdown);
  assert.ok(m[1].endsWith('…') && m[1].length <= 302, `${m[1].length}`);
});

test('nothing to hover on blanks, comments, line ends, `=`, and past the end', () => {
  const text = '# comment line\nmyhostname = mail.example.com\n\nbroken line without equals\n';
  const i = instance(text);
  const ctx = i.onMain();
  for (const pos of [
    { line: 0, character: 3 }, { line: 1, character: 10 }, { line: 1, character: 11 }, { line: 1, character: 29 },
    { line: 2, character: 0 }, { line: 3, character: 2 }, { line: 9, character: 0 }, { line: 1, character: 999 },
  ]) {
    assert.equal(hoverAt(ctx, pos), undefined, JSON.stringify(pos));
  }
});
