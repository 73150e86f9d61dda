// Go to definition, find references and rename across main.cf and master.cf of one instance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { definitionAt, prepareRenameAt, referencesAt, renameAt } from '../../../../server/src/core/features/index';
import { at, instance, locs, r, sample } from './helpers';

const MAIN = [
  'myhostname = mail.example.com', //                                          0
  'mydomain = example.com', //                                                 1
  'my_relays = relay1 relay2', //                                              2
  'relay_domains = $mydomain, ${my_relays}', //                                3
  'smtpd_restriction_classes = strict', //                                     4
  'strict = reject_unknown_sender_domain, reject', //                          5
  'smtpd_recipient_restrictions = permit_mynetworks, strict,', //             6
  '  reject_unauth_destination, check_policy_service unix:private/policyd-spf', // 7
  'content_filter = amavis:[127.0.0.1]:10024', //                              8
  'policyd-spf_time_limit = 3600', //                                          9
  'mydomain = example.org', //                                                 10
  '',
].join('\n');

const MASTER = [
  'smtp inet n - y - - smtpd', //                                              0
  'submission inet n - y - - smtpd', //                                        1
  '  -o my_relays=$mydomain', //                                               2
  '  -o smtpd_recipient_restrictions=strict,$my_relays', //                    3
  'amavis unix - - n - 2 smtp', //                                             4
  'policyd-spf unix - n n - 0 spawn', //                                       5
  '  user=policyd-spf argv=/usr/bin/policyd-spf', //                           6
  '',
].join('\n');

const i = instance(MAIN, MASTER);

test('definition: $name in main.cf goes to the main.cf line in effect (the later of two)', () => {
  assert.deepEqual(locs(definitionAt(i.onMain(), at(MAIN, '$mydomain', 1))), ['main.cf:10:0-8']);
  assert.deepEqual(locs(definitionAt(i.onMain(), at(MAIN, '${my_relays}', 4))), ['main.cf:2:0-9']);
  // On the ignored first setting: to the one in effect.
  assert.deepEqual(locs(definitionAt(i.onMain(), at(MAIN, 'mydomain =', 2))), ['main.cf:10:0-8']);
  // On the setting in effect there is nothing further to go to.
  assert.deepEqual(definitionAt(i.onMain(), at(MAIN, 'mydomain = example.org', 2)), []);
  // A built-in left at its default has no definition in the files.
  const j = instance('a = $data_directory\n');
  assert.deepEqual(definitionAt(j.onMain(), { line: 0, character: 6 }), []);
});

test('definition: inside a master.cf service its own -o wins; otherwise main.cf', () => {
  assert.deepEqual(locs(definitionAt(i.onMaster(), at(MASTER, '$my_relays', 2))), ['master.cf:2:5-14']);
  assert.deepEqual(locs(definitionAt(i.onMaster(), at(MASTER, '$mydomain', 2))), ['main.cf:10:0-8']);
  // From a -o name to main.cf's setting of the same name.
  assert.deepEqual(locs(definitionAt(i.onMaster(), at(MASTER, 'my_relays=', 2))), ['main.cf:2:0-9']);
});

test('definition: restriction classes, per-service names and service links', () => {
  assert.deepEqual(locs(definitionAt(i.onMain(), at(MAIN, 'strict,', 2))), ['main.cf:5:0-6']);
  assert.deepEqual(locs(definitionAt(i.onMaster(), at(MASTER, 'strict,', 2))), ['main.cf:5:0-6']);
  assert.deepEqual(locs(definitionAt(i.onMain(), at(MAIN, 'policyd-spf_time_limit', 3))), ['master.cf:5:0-11']);
  assert.deepEqual(locs(definitionAt(i.onMain(), at(MAIN, 'unix:private/policyd-spf', 15))), ['master.cf:5:0-11']);
  assert.deepEqual(locs(definitionAt(i.onMain(), at(MAIN, 'amavis:', 2))), ['master.cf:4:0-6']);
  // The next-hop part of content_filter is not the service.
  assert.deepEqual(definitionAt(i.onMain(), at(MAIN, '[127.0.0.1]', 3)), []);
});

test('definition: *_transport and *_service_name values, inet policy services', () => {
  const main = 'virtual_transport = lmtp:unix:private/dovecot-lmtp\ndovecot_transport = dovecot\n' +
    'cleanup_service_name = cleanup\nsmtpd_recipient_restrictions = check_policy_service inet:127.0.0.1:10023\n';
  const master = 'lmtp unix - - y - - lmtp\ndovecot unix - n n - - pipe flags=DRhu user=vmail argv=/usr/lib/dovecot/deliver\n' +
    'cleanup unix n - y - 0 cleanup\n127.0.0.1:10023 inet n - n - 0 spawn user=nobody argv=/usr/sbin/postgrey\n';
  const j = instance(main, master);
  assert.deepEqual(locs(definitionAt(j.onMain(), at(main, 'lmtp:', 1))), ['master.cf:0:0-4']);
  assert.deepEqual(locs(definitionAt(j.onMain(), at(main, '= dovecot', 3))), ['master.cf:1:0-7']);
  assert.deepEqual(locs(definitionAt(j.onMain(), at(main, '= cleanup', 3))), ['master.cf:2:0-7']);
  assert.deepEqual(locs(definitionAt(j.onMain(), at(main, 'inet:127', 6))), ['master.cf:3:0-15']);
});

test('references: settings, -o overrides and every $use across both files', () => {
  const expected = ['main.cf:2:0-9', 'main.cf:3:29-38', 'master.cf:2:5-14', 'master.cf:3:42-51'];
  assert.deepEqual(locs(referencesAt(i.onMain(), at(MAIN, 'my_relays =', 0), true)), expected);
  assert.deepEqual(locs(referencesAt(i.onMaster(), at(MASTER, '$my_relays', 3), true)), expected);
  assert.deepEqual(locs(referencesAt(i.onMain(), at(MAIN, 'my_relays =', 0), false)), ['main.cf:3:29-38', 'master.cf:3:42-51']);
  assert.deepEqual(locs(referencesAt(i.onMain(), at(MAIN, '$mydomain', 3), true)),
    ['main.cf:1:0-8', 'main.cf:3:17-25', 'main.cf:10:0-8', 'master.cf:2:16-24']);
  // Restriction classes: the list entry, the definition and every use in restriction lists.
  assert.deepEqual(locs(referencesAt(i.onMain(), at(MAIN, 'strict =', 0), true)),
    ['main.cf:4:28-34', 'main.cf:5:0-6', 'main.cf:6:50-56', 'master.cf:3:34-40']);
});

test('references: a master.cf service and the words that name it', () => {
  assert.deepEqual(locs(referencesAt(i.onMaster(), at(MASTER, 'policyd-spf unix', 2), true)), ['master.cf:5:0-11', 'main.cf:7:50-74']);
  assert.deepEqual(locs(referencesAt(i.onMain(), at(MAIN, 'amavis', 1), false)), ['main.cf:8:17-23']);
});

test('rename: an own parameter everywhere in main.cf and master.cf', () => {
  const prep = prepareRenameAt(i.onMaster(), at(MASTER, '$my_relays', 3));
  assert.deepEqual(prep && { range: r(prep.range), placeholder: prep.placeholder }, { range: [3, 42, 3, 51], placeholder: 'my_relays' });
  const edit = renameAt(i.onMain(), at(MAIN, 'my_relays', 1), 'relay_hosts');
  assert.ok(edit && 'edits' in edit);
  assert.deepEqual(edit.edits.map((e) => `${locs([e])[0]}=${e.newText}`),
    ['main.cf:2:0-9=relay_hosts', 'main.cf:3:29-38=relay_hosts', 'master.cf:2:5-14=relay_hosts', 'master.cf:3:42-51=relay_hosts']);
  const cls = renameAt(i.onMain(), at(MAIN, 'strict,', 0), 'tight');
  assert.ok(cls && 'edits' in cls);
  assert.deepEqual(locs(cls.edits), ['main.cf:4:28-34', 'main.cf:5:0-6', 'main.cf:6:50-56', 'master.cf:3:34-40']);
});

test('rename: refused for Postfix parameters, per-service names, bad or taken new names', () => {
  const builtin = renameAt(i.onMain(), at(MAIN, 'myhostname', 2), 'my_host');
  assert.ok(builtin && 'error' in builtin);
  assert.match(builtin.error, /`myhostname` is a Postfix parameter/);
  // prepareRename still shows the name, so the editor can show the refusal's reason.
  assert.deepEqual(r(prepareRenameAt(i.onMain(), at(MAIN, 'myhostname', 2))!.range), [0, 0, 0, 10]);
  const ref = renameAt(i.onMain(), at(MAIN, '$mydomain', 2), 'x');
  assert.ok(ref && 'error' in ref && ref.error.includes('`mydomain` is a Postfix parameter'));
  const svc = renameAt(i.onMain(), at(MAIN, 'policyd-spf_time_limit', 0), 'x');
  assert.ok(svc && 'error' in svc && svc.error.includes('belongs to the master.cf service `policyd-spf`'));
  const bad = renameAt(i.onMain(), at(MAIN, 'my_relays', 0), 'my-relays');
  assert.ok(bad && 'error' in bad && bad.error.includes('cannot be a parameter name'));
  const toBuiltin = renameAt(i.onMain(), at(MAIN, 'my_relays', 0), 'relayhost');
  assert.ok(toBuiltin && 'error' in toBuiltin && toBuiltin.error.includes('`relayhost` is a Postfix parameter'));
  const taken = renameAt(i.onMain(), at(MAIN, 'my_relays', 0), 'strict');
  assert.ok(taken && 'error' in taken && taken.error.includes('already set on main.cf line 6'));
  // Not a parameter: nothing to rename.
  assert.equal(prepareRenameAt(i.onMain(), at(MAIN, 'reject_unauth_destination', 2)), undefined);
  assert.equal(renameAt(i.onMain(), at(MAIN, 'reject_unauth_destination', 2), 'x'), undefined);
});

test('seed 004: policy service and per-service parameter lead to master.cf; the seed 000 typo has no definition', () => {
  const main = sample('004-voorbeeld.nl', 'main.cf');
  const master = sample('004-voorbeeld.nl', 'master.cf');
  const j = instance(main, master);
  assert.deepEqual(locs(definitionAt(j.onMain(), at(main, 'private/policyd-spf', 9))), ['master.cf:28:0-11']);
  assert.deepEqual(locs(definitionAt(j.onMain(), at(main, 'policyd-spf_time_limit', 0))), ['master.cf:28:0-11']);
  assert.deepEqual(locs(referencesAt(j.onMaster(), at(master, 'policyd-spf  unix', 0), true)), ['master.cf:28:0-11', 'main.cf:4:24-48']);
  const seed = sample('000-any2any.de', 'main.cf');
  const k = instance(seed);
  assert.deepEqual(definitionAt(k.onMain(), at(seed, '$smtpd_milter', 2)), []);
  assert.deepEqual(locs(referencesAt(k.onMain(), at(seed, '$smtpd_milter', 2), true)), ['main.cf:15:21-33']);
  assert.deepEqual(locs(referencesAt(k.onMain(), at(seed, '${data_directory}', 2), true)), ['main.cf:6:43-57', 'main.cf:8:42-56']);
});

test('nothing to navigate on blanks, comments and line ends', () => {
  const ctx = i.onMain();
  for (const pos of [{ line: 0, character: 10 }, { line: 0, character: 29 }, { line: 11, character: 0 }, { line: 50, character: 3 }]) {
    assert.deepEqual(definitionAt(ctx, pos), []);
    assert.deepEqual(referencesAt(ctx, pos, true), []);
    assert.equal(prepareRenameAt(ctx, pos), undefined);
  }
});
