// Completion in every context of main.cf and master.cf, with exact edit ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completionDocumentation, completionsAt } from '../../../../server/src/core/features/index';
import type { CompletionItem } from '../../../../server/src/core/features/types';
import { parameterNamesFor, getParameter } from '../../../../server/src/core/postfix/catalogue';
import { at, instance, r, sample } from './helpers';

function onMain(text: string, needle: string, offset: number, master?: string, version?: string): CompletionItem[] {
  return completionsAt(instance(text, master).onMain(version), at(text, needle, offset));
}

function onMaster(mainText: string | undefined, text: string, needle: string, offset: number): CompletionItem[] {
  return completionsAt(instance(mainText, text).onMaster(), at(text, needle, offset));
}

function item(items: CompletionItem[], label: string): CompletionItem {
  const found = items.find((i) => i.label === label);
  assert.ok(found, `no completion item ${label} among ${items.slice(0, 10).map((i) => i.label).join(', ')}…`);
  return found;
}

function labels(items: CompletionItem[]): string[] {
  return items.map((i) => i.label);
}

test('main.cf start of line: every parameter of the version, inserted as `name = `', () => {
  const text = 'myhostname = mail.example.org\nsmtpd_mi\n';
  const items = onMain(text, 'smtpd_mi', 8);
  const milters = item(items, 'smtpd_milters');
  assert.equal(milters.kind, 'Property');
  assert.deepEqual(r(milters.edit.range), [1, 0, 1, 8]);
  assert.equal(milters.edit.newText, 'smtpd_milters = ');
  assert.equal(milters.detail, 'default: (empty)');
  // The documentation is written when the editor resolves the item it shows.
  assert.equal(milters.documentation, undefined);
  assert.deepEqual(milters.resolve, { parameter: 'smtpd_milters' });
  const doc = completionDocumentation({ postfixVersion: 'latest' }, milters.resolve!);
  assert.ok(doc?.includes(getParameter('smtpd_milters')!.description!));
  assert.ok(doc?.includes('[postconf(5)](https://www.postfix.org/postconf.5.html#smtpd_milters)'));
  assert.equal(item(items, 'myorigin').detail, 'default: $myhostname');
  // All names of the version that can be set (read-only ones such as process_id are left out).
  const builtin = items.filter((i) => i.kind === 'Property').map((i) => i.label).sort();
  const expected = parameterNamesFor('3.12').filter((n) => !getParameter(n)!.readOnly).sort();
  assert.deepEqual(builtin, expected);
  assert.ok(!labels(items).includes('process_id'));
});

test('main.cf start of line: deprecated names are marked and sorted last; the version decides what exists', () => {
  const items = onMain('smtpd_use\n', 'smtpd_use', 9);
  const old = item(items, 'smtpd_use_tls');
  assert.equal(old.deprecated, true);
  const current = item(items, 'smtpd_tls_security_level');
  // Editors sort by sortText, the label standing in for a missing one (LSP).
  assert.ok(old.sortText! > (current.sortText ?? current.label));
  // smtpd_use_tls is deprecated from 3.9 on: for 3.7 it is a normal name.
  const items37 = onMain('smtpd_use\n', 'smtpd_use', 9, undefined, '3.7');
  assert.equal(item(items37, 'smtpd_use_tls').deprecated, undefined);
  // A 3.9 parameter is not offered for 3.7.
  assert.ok(!parameterNamesFor('3.7').includes('smtpd_hide_client_session'));
  assert.ok(labels(onMain('x\n', 'x', 1)).includes('smtpd_hide_client_session'));
  assert.ok(!labels(onMain('x\n', 'x', 1, undefined, '3.7')).includes('smtpd_hide_client_session'));
});

test('main.cf start of line: editing the name of an existing setting replaces only the name', () => {
  const items = onMain('smtpd_milterz = inet:localhost:8891\n', 'milterz', 2);
  const it = item(items, 'smtpd_milters');
  assert.deepEqual(r(it.edit.range), [0, 0, 0, 13]);
  assert.equal(it.edit.newText, 'smtpd_milters');
});

test('main.cf: names of the instance (user-defined, per-service) are offered too', () => {
  const main = 'my_hosts = 10.0.0.1\nmynetworks = $my_hosts\nx\n';
  const master = 'policyd-spf unix - n n - 0 spawn user=nobody argv=/usr/bin/policyd-spf\n';
  const items = onMain(main, '\nx', 2, master);
  const user = item(items, 'my_hosts');
  assert.equal(user.kind, 'Variable');
  assert.equal(user.detail, '= 10.0.0.1');
  assert.deepEqual(user.resolve, { parameter: 'my_hosts', own: 'setting' });
  assert.equal(completionDocumentation({ postfixVersion: 'latest' }, user.resolve!), 'Defined in this configuration.');
  const svc = item(items, 'policyd-spf_time_limit');
  assert.equal(svc.detail, 'for the policyd-spf service');
  assert.equal(svc.edit.newText, 'policyd-spf_time_limit = ');
  assert.deepEqual(svc.resolve, { parameter: 'policyd-spf_time_limit', service: { name: 'policyd-spf', command: 'spawn' } });
  assert.match(completionDocumentation({ postfixVersion: 'latest' }, svc.resolve!) ?? '', /service `policyd-spf` \(spawn\) only: its `time_limit` setting/);

  // The order an editor shows (sortText, the label where there is none, then the label):
  // own names, built-in ones, per-service ones, deprecated ones — whatever the labels.
  const key = (c: CompletionItem) => c.sortText ?? c.label;
  const shown = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const group = (c: CompletionItem) => (c.kind === 'Variable' ? 0 : c.deprecated ? 3 : c.resolve?.service ? 2 : 1);
  const groups = shown.map(group);
  assert.deepEqual(groups, [...groups].sort((a, b) => a - b), 'groups in order');
  assert.deepEqual([...new Set(groups)], [0, 1, 2, 3]);
  const builtins = shown.filter((c) => group(c) === 1).map((c) => c.label);
  assert.deepEqual(builtins, [...builtins].sort(), 'built-in names by label');
  assert.ok(builtins.includes('mynetworks') && builtins.includes('zzz_not_a_name') === false);
});

test('main.cf values: enumeration values, booleans, nothing for free text', () => {
  const text = 'milter_default_action = \nsmtpd_use_tls = y\nmyhostname = m\nsmtpd_tls_security_level = e\n';
  const enumItems = onMain(text, 'milter_default_action = ', 24);
  assert.deepEqual(labels(enumItems), ['accept', 'reject', 'tempfail', 'quarantine', 'shutdown']);
  assert.deepEqual(r(enumItems[0].edit.range), [0, 24, 0, 24]);
  assert.equal(item(enumItems, 'tempfail').detail, 'default');
  // `shutdown` arrived in 3.11.
  assert.deepEqual(labels(onMain(text, 'milter_default_action = ', 24, undefined, '3.7')), ['accept', 'reject', 'tempfail', 'quarantine']);
  const bool = onMain(text, 'smtpd_use_tls = y', 17);
  assert.deepEqual(labels(bool), ['yes', 'no']);
  assert.deepEqual(r(bool[0].edit.range), [1, 16, 1, 17]);
  assert.deepEqual(onMain(text, 'myhostname = m', 14), []);
  const level = onMain(text, 'level = e', 9);
  assert.deepEqual(labels(level), ['none', 'may', 'encrypt']);
  assert.deepEqual(r(level[2].edit.range), [3, 27, 3, 28]);
});

test('main.cf values: lookup table types, also after proxy:', () => {
  const text = 'virtual_alias_maps = \ntransport_maps = hash:/etc/postfix/transport, proxy:my\n';
  const items = onMain(text, 'virtual_alias_maps = ', 21);
  const hash = item(items, 'hash:');
  assert.equal(hash.kind, 'Module');
  assert.equal(hash.edit.newText, 'hash:');
  assert.equal(hash.detail, 'indexed file (postmap)');
  assert.ok(hash.sortText! < item(items, 'nis:').sortText!);
  assert.ok(labels(items).includes('regexp:') && labels(items).includes('inline:'));
  const proxied = onMain(text, 'proxy:my', 8);
  const mysql = item(proxied, 'mysql:');
  assert.deepEqual(r(mysql.edit.range), [1, 52, 1, 54]);
  // 3.0 brought inline:; 2.10 does not have it.
  assert.ok(!labels(onMain(text, 'virtual_alias_maps = ', 21, undefined, '2.10')).includes('inline:'));
});

test('main.cf values: restrictions (and restriction classes), their table and policy-service arguments', () => {
  const main = 'smtpd_restriction_classes = strict\nstrict = reject\n' +
    'smtpd_recipient_restrictions = permit_mynetworks,\n  reject_\n  check_sender_access \n  check_policy_service \n';
  const master = 'policyd-spf unix - n n - 0 spawn user=nobody argv=/usr/bin/policyd-spf\ncleanup unix n - y - 0 cleanup\n';
  const items = onMain(main, '  reject_', 9, master);
  const relay = item(items, 'reject_unauth_destination');
  assert.equal(relay.kind, 'Function');
  assert.deepEqual(r(relay.edit.range), [3, 2, 3, 9]);
  assert.ok(relay.documentation?.includes('relay control'));
  assert.equal(item(items, 'check_client_access').detail, 'check_client_access <table>');
  const cls = item(items, 'strict');
  assert.equal(cls.kind, 'Variable');
  assert.equal(cls.detail, 'restriction class');
  // Aliases and deprecated names are marked; names removed in the version are not offered.
  assert.equal(item(items, 'reject_unknown_client').deprecated, true);
  assert.ok(!labels(items).includes('check_relay_domains'));
  assert.ok(labels(onMain(main, '  reject_', 9, master, '3.7')).includes('check_relay_domains'));
  // After check_sender_access: a table.
  const tables = onMain(main, 'check_sender_access ', 20, master);
  assert.ok(labels(tables).includes('hash:'));
  assert.ok(!labels(tables).includes('reject'));
  // After check_policy_service: the instance's own unix services (not Postfix daemons).
  const policy = onMain(main, 'check_policy_service ', 21, master);
  assert.deepEqual(labels(policy), ['unix:private/policyd-spf', 'inet:127.0.0.1:']);
});

test('main.cf values: $ references, also inside ${ and $(', () => {
  const text = 'my_dir = /srv\nmydestination = $myh\nsmtpd_tls_cert_file = ${my_\nalias_maps = $(\n';
  const plain = onMain(text, '$myh', 4);
  const myhostname = item(plain, 'myhostname');
  assert.deepEqual(r(myhostname.edit.range), [1, 17, 1, 20]);
  assert.equal(myhostname.edit.newText, 'myhostname');
  const braces = onMain(text, '${my_', 5);
  const mine = item(braces, 'my_dir');
  assert.deepEqual(r(mine.edit.range), [2, 24, 2, 27]);
  assert.equal(mine.kind, 'Variable');
  assert.equal(mine.detail, '= /srv');
  const parens = onMain(text, '$(', 2);
  assert.deepEqual(r(item(parens, 'data_directory').edit.range), [3, 15, 3, 15]);
  assert.equal(item(parens, 'data_directory').detail, '= /var/lib/postfix');
  // `$$` is a literal dollar: no references after it.
  assert.deepEqual(onMain('myhostname = a$$b\n', '$$b', 2), []);
});

test('main.cf values: transports and service names come from master.cf', () => {
  const main = 'content_filter = \nrelay_transport = re\ndovecot_transport = \npickup_service_name = \n';
  const master = 'smtp inet n - y - - smtpd\nrelay unix - - y - - smtp\namavis unix - - n - 2 smtp\npickup unix n - y 60 1 pickup\n';
  const filter = onMain(main, 'content_filter = ', 17, master);
  assert.deepEqual(labels(filter), ['relay', 'amavis', 'pickup']);
  assert.equal(item(filter, 'amavis').detail, 'master.cf: unix smtp');
  const relay = onMain(main, 'relay_transport = re', 20, master);
  assert.deepEqual(r(relay[0].edit.range), [1, 18, 1, 20]);
  assert.deepEqual(labels(onMain(main, 'dovecot_transport = ', 20, master)), ['relay', 'amavis', 'pickup']);
  assert.deepEqual(labels(onMain(main, 'pickup_service_name = ', 22, master)), ['smtp', 'relay', 'amavis', 'pickup']);
});

test('main.cf: nothing in comments, after the name before `=`, or on lines without a parameter', () => {
  const text = '# smtpd_mi\nmyhostname x\n   continued\n';
  assert.deepEqual(onMain(text, 'smtpd_mi', 3), []);
  assert.deepEqual(onMain(text, 'myhostname x', 12), []);
  assert.deepEqual(onMain(text, 'continued', 3), []);
});

test('main.cf seed 000: value completion on a continuation-free seed line', () => {
  const text = sample('000-any2any.de', 'main.cf');
  const items = onMain(text, 'milter_default_action = accept', 30);
  assert.deepEqual(labels(items), ['accept', 'reject', 'tempfail', 'quarantine', 'shutdown']);
  assert.deepEqual(r(items[0].edit.range), [12, 24, 12, 30]);
});

const master004 = sample('004-voorbeeld.nl', 'master.cf');

test('master.cf columns: service types, y/n/-, daemons', () => {
  const text = 'smtp inet n - y - - smtpd\nsub u\nsub unix \nsub unix - - - - - sp\n';
  const types = onMaster(undefined, text, 'sub u', 5);
  assert.deepEqual(labels(types), ['inet', 'unix', 'unix-dgram', 'fifo', 'pass']);
  assert.deepEqual(r(types[0].edit.range), [1, 4, 1, 5]);
  const yn = onMaster(undefined, text, 'sub unix ', 9);
  assert.deepEqual(labels(yn), ['y', 'n', '-']);
  assert.equal(yn[0].detail, 'private (column 3): yes');
  assert.deepEqual(r(yn[0].edit.range), [2, 9, 2, 9]);
  const daemons = onMaster(undefined, text, ' sp', 3);
  for (const d of ['smtpd', 'smtp', 'lmtp', 'pipe', 'spawn', 'local', 'virtual', 'cleanup', 'qmgr', 'pickup']) assert.ok(labels(daemons).includes(d), d);
  assert.deepEqual(r(item(daemons, 'spawn').edit.range), [3, 19, 3, 21]);
  // The chroot column explains itself.
  const chroot = onMaster(undefined, 'smtp inet n - \n', 'n - ', 4);
  assert.ok(item(chroot, 'y').documentation?.includes('chrooted'));
});

test('master.cf -o: parameter names as `name=`, then values as in main.cf', () => {
  const text = 'submission inet n - y - - smtpd\n  -o smtpd_tls_sec\n  -o smtpd_tls_security_level=en\n' +
    '  -o smtpd_recipient_restrictions=permit_sasl_authenticated,rej\n  -o syslog_name=postfix/$ser\n  -\n';
  const names = onMaster(undefined, text, 'smtpd_tls_sec', 13);
  const level = item(names, 'smtpd_tls_security_level');
  assert.equal(level.edit.newText, 'smtpd_tls_security_level=');
  assert.deepEqual(r(level.edit.range), [1, 5, 1, 18]);
  const values = onMaster(undefined, text, 'level=en', 8);
  assert.deepEqual(labels(values), ['none', 'may', 'encrypt']);
  assert.deepEqual(r(values[0].edit.range), [2, 30, 2, 32]);
  const restrictions = onMaster(undefined, text, ',rej', 4);
  assert.deepEqual(r(item(restrictions, 'reject').edit.range), [3, 60, 3, 63]);
  const refs = onMaster(undefined, text, '$ser', 4);
  assert.deepEqual(r(item(refs, 'service_name').edit.range), [4, 26, 4, 29]);
  const flag = onMaster(undefined, text, '  -\n', 3);
  assert.deepEqual(labels(flag), ['-o']);
});

test('master.cf seed 004: nothing after argv=, in comments or in the first column', () => {
  assert.deepEqual(onMaster(undefined, master004, 'argv=/usr/bin/policyd-spf', 10), []);
  assert.deepEqual(onMaster(undefined, master004, '# Seed', 3), []);
  assert.deepEqual(onMaster(undefined, master004, 'policyd-spf  ', 3), []);
  const cmd = onMaster(undefined, master004, 'trivial-rewrite', 4);
  assert.deepEqual(r(item(cmd, 'trivial-rewrite').edit.range), [6, 56, 6, 60]);
});
