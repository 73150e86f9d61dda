// The one model of a Postfix instance (core/postfix/instance.ts) that the checks and the
// editor features share: version semantics, the cache, the two views of master.cf, values
// in effect and exact expansion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { LATEST_VERSION } from '../../../server/src/core/postfix/catalogue';
import { effectiveVersion, isMainCfDocument, isNewerThan, postfixModel } from '../../../server/src/core/postfix/instance';
import { expandValue, splitList } from '../../../server/src/core/postfix/expand';

const MAIN_URI = 'file:///etc/postfix/main.cf';
const MASTER_URI = 'file:///etc/postfix/master.cf';

function instance(main: string | undefined, master?: string, version = 'latest') {
  const workspace = new Workspace();
  const settings = { postfixVersion: version };
  const mainDoc = main !== undefined ? workspace.setOnDisk(MAIN_URI, 'postfix-main', main) : undefined;
  const masterDoc = master !== undefined ? workspace.setOnDisk(MASTER_URI, 'postfix-master', master) : undefined;
  return {
    workspace,
    onMain: (v = version) => postfixModel({ doc: mainDoc!, workspace, settings: { postfixVersion: v } }),
    onMaster: () => postfixModel({ doc: masterDoc!, workspace, settings }),
  };
}

const MASTER = [
  'smtp      inet  n       -       y       -       -       smtpd',
  'submission inet n       -       y       -       -       smtpd',
  '  -o syslog_name=postfix/$service_name',
  '  -o smtpd_restriction_classes=local_only',
  'cleanup   unix  n       -       y       -       0       cleanup',
  'qmgr      unix  n       -       n       300     1       qmgr',
  'relay     unix  -       -       y       -       -       smtp',
  'broken    unix  -',
  '',
].join('\n');

test('effectiveVersion: a version as given, anything else the newest series', () => {
  assert.equal(effectiveVersion('3.7'), '3.7');
  assert.equal(effectiveVersion('3.7.11'), '3.7.11');
  for (const s of ['latest', '', undefined, 'bogus', '3', '3.7.x', ' 3.7']) assert.equal(effectiveVersion(s), LATEST_VERSION, String(s));
});

test('isNewerThan compares by series unless a patch level is given', () => {
  assert.equal(isNewerThan('3.8', '3.7.11'), true);
  assert.equal(isNewerThan('3.7.5', '3.7'), false); // a bare series means its newest patch
  assert.equal(isNewerThan('3.7', '3.7'), false);
  assert.equal(isNewerThan(undefined, '3.7'), false);
});

test('one model per pair of analyses, version and pin, whichever file asks', () => {
  const i = instance('myhostname = mx.example.org\n', MASTER);
  const fromMain = i.onMain();
  assert.equal(i.onMaster(), fromMain);
  assert.equal(i.onMain(), fromMain);
  assert.equal(fromMain.versionPinned, false);
  const pinned = i.onMain(LATEST_VERSION);
  assert.notEqual(pinned, fromMain);
  assert.equal(pinned.version, fromMain.version);
  assert.equal(pinned.versionPinned, true);
  const edited = i.workspace.setOnDisk(MAIN_URI, 'postfix-main', 'myhostname = mx2.example.org\n');
  const afterEdit = postfixModel({ doc: edited, workspace: i.workspace, settings: { postfixVersion: 'latest' } });
  assert.notEqual(afterEdit, fromMain);
  assert.equal(afterEdit.valueInEffect('myhostname'), 'mx2.example.org');
});

test('two views of master.cf: every entry as written, and the services in effect', () => {
  const m = instance('', MASTER).onMain();
  assert.deepEqual(m.masterServices.map((s) => s.name), ['smtp', 'submission', 'cleanup', 'qmgr', 'relay', 'broken']);
  assert.deepEqual(m.services.map((s) => s.name), ['smtp', 'submission', 'cleanup', 'qmgr', 'relay']);
  assert.equal(m.masterAssumed, false);
  assert.equal(m.masterIsFragment, false);
  const submission = m.servicesNamed('submission')[0];
  assert.equal(m.serviceOf(submission.node), submission);
  assert.equal(submission.overrides.get('syslog_name'), 'postfix/$service_name');
  assert.equal(submission.options.get('syslog_name')?.length, 1);
  assert.equal(m.hasUnixService('relay'), true);
  assert.equal(m.hasUnixService('smtp'), false); // only an inet smtp here

  const alone = instance('relay_destination_concurrency_limit = 2\n').onMain();
  assert.equal(alone.masterAssumed, true);
  assert.deepEqual(alone.masterServices, []);
  assert.ok(alone.services.some((s) => s.name === 'maildrop' && s.command === 'pipe'));
  // Debian's default services make their per-service names valid, for checks and features alike.
  assert.deepEqual(alone.verdictForMain('maildrop_destination_recipient_limit'), { valid: true, reason: 'service', service: 'maildrop' });
  assert.equal(alone.serviceParameter('maildrop_destination_recipient_limit')?.suffix, '_destination_recipient_limit');

  const fragment = instance('', 'policyd-spf unix - n n - 0 spawn user=nobody argv=/usr/bin/policyd-spf\n').onMain();
  assert.equal(fragment.masterIsFragment, true);
  assert.equal(fragment.hasUnixService('policyd-spf'), true);
  assert.equal(fragment.hasUnixService('relay'), true); // from Debian's defaults
  assert.equal(fragment.hasUnixService('nothing'), false);
});

test('values in effect: -o, service fields, main.cf, defaults, per-service defaults', () => {
  const m = instance('mydomain = example.org\nmydomain = example.net\nrelay_transport = relay\n', MASTER).onMain();
  const submission = m.servicesNamed('submission')[0];
  assert.equal(m.valueInEffect('mydomain'), 'example.net');
  assert.equal(m.effectiveDefinition('mydomain')?.name.range.start.line, 1);
  assert.equal(m.valueInEffect('syslog_name', submission), 'postfix/$service_name');
  assert.equal(m.lookup('service_name', submission).source.kind, 'serviceField');
  assert.equal(m.valueInEffect('myhostname'), undefined); // computed at run time
  assert.equal(m.lookup('myhostname').source.kind, 'computed');
  assert.equal(m.lookup('maximal_queue_lifetime').source.kind, 'default');
  assert.deepEqual(m.lookup('relay_destination_rate_delay'), { text: '$default_destination_rate_delay', source: { kind: 'serviceDefault', from: 'default_destination_rate_delay' } });
  assert.equal(m.lookup('nonsense_name').source.kind, 'undefined');
});

test('expandExact: the value Postfix computes, or undefined when it cannot be known', () => {
  const m = instance([
    'mydomain = example.org',
    'myorigin = $mydomain',
    'empty =',
    'indirect = $empty',
    'loop_a = $loop_b',
    'loop_b = $loop_a',
    '',
  ].join('\n'), MASTER).onMain();
  const submission = m.servicesNamed('submission')[0];
  assert.equal(m.expandExact('no references'), 'no references');
  assert.equal(m.expandExact('mail.$myorigin'), 'mail.example.org');
  assert.equal(m.expandExact('$syslog_name', submission), 'postfix/submission');
  // `${name?…}` tests the raw value, as postconf does: `indirect = $empty` counts as set.
  assert.equal(m.expandExact('${indirect?{set}:{unset}}|${empty?{set}:{unset}}'), 'set|unset');
  assert.equal(m.expandExact('${{$mydomain} == {example.org} ? {same} : {other}}'), 'same');
  assert.equal(m.expandExact('$myhostname'), undefined); // run-time value
  assert.equal(m.expandExact('${myhostname?x}'), undefined); // tested, but only Postfix knows it
  assert.equal(m.expandExact('$not_defined'), undefined);
  assert.equal(m.expandExact('$loop_a'), undefined);
  assert.equal(m.expandExact('a$-b'), undefined); // empty macro name
  assert.equal(m.expandExact('${mydomain'), undefined);
  // Display expansion keeps going and says what it could not do.
  const shown = m.expand('$myhostname $not_defined $myorigin');
  assert.equal(shown.text, '$myhostname  example.org');
  assert.equal(shown.exact, false);
});

test('restriction classes: main.cf value in effect, or the service -o', () => {
  const m = instance('smtpd_restriction_classes = old\nsmtpd_restriction_classes = $my_classes, other\nmy_classes = a b\n', MASTER).onMain();
  assert.deepEqual([...m.restrictionClasses], ['a', 'b', 'other']);
  assert.equal(m.restrictionClassesFor(m.servicesNamed('smtp')[0]), m.restrictionClasses);
  assert.deepEqual([...m.restrictionClassesFor(m.servicesNamed('submission')[0])], ['local_only']);
});

test('expandValue: exact only when nothing was left as written or cut', () => {
  const resolve = (n: string) => (n === 'a' ? { kind: 'value' as const, text: 'x' } : { kind: 'undefined' as const });
  assert.equal(expandValue('$a $a', resolve).exact, true);
  assert.equal(expandValue('$b', resolve).exact, false);
  assert.equal(expandValue('${a{x}}', resolve).exact, false);
  assert.equal(expandValue('y'.repeat(400), resolve).exact, false);
  assert.deepEqual(splitList('a, b {c d},e\tf'), ['a', 'b', '{c d}', 'e', 'f']);
});

test('isMainCfDocument: main.cf-like files, not database client *.cf files', () => {
  const ws = new Workspace();
  assert.equal(isMainCfDocument(ws.setOnDisk('file:///etc/postfix/main.cf', 'postfix-main', '')), true);
  assert.equal(isMainCfDocument(ws.setOnDisk('file:///etc/postfix/main.cf.proto', 'postfix-main', '')), true);
  assert.equal(isMainCfDocument(ws.setOnDisk('file:///etc/postfix/mysql-virtual.cf', 'postfix-main', '')), false);
  assert.equal(isMainCfDocument(ws.setOnDisk('file:///etc/postfix/master.cf', 'postfix-master', '')), false);
});
