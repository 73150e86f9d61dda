// Relay control, restriction lists, policy services and transports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { r } from './helpers';
import { check, fixMain, fixMaster, MINIMAL_MASTER, one, semantic, textAt, withCode } from './checksSupport';

// ------------------------------------------------------------------ postfix/open-relay

test('open-relay: not reported while smtpd_relay_restrictions keeps its default', () => {
  assert.deepEqual(semantic(check({ main: 'myhostname = a.example\n' }).main), []);
  assert.deepEqual(semantic(check({ main: 'smtpd_recipient_restrictions = permit_mynetworks, permit_sasl_authenticated, permit\n' }).main), []);
  // seed 004's recipient restrictions
  assert.deepEqual(semantic(check({ main: 'smtpd_recipient_restrictions =\n   reject_unauth_destination,\n   check_policy_service inet:127.0.0.1:10023\n' }).main), []);
});

test('open-relay: an override without relay control, on the list in effect, related to the other', () => {
  const c = check({ main: 'smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated\nsmtpd_recipient_restrictions = permit_mynetworks, permit\n' });
  const f = one(c.main, 'postfix/open-relay');
  assert.equal(f.severity, 'error');
  assert.deepEqual(r(f.range), [0, 0, 0, 24]);
  assert.deepEqual(f.related?.map((x) => r(x.range)), [[1, 0, 1, 28]]);
  // Empty relay restrictions: the recipient restrictions do the relay control.
  const empty = check({ main: 'smtpd_relay_restrictions =\nsmtpd_recipient_restrictions = permit_mynetworks\n' });
  assert.deepEqual(r(one(empty.main, 'postfix/open-relay').range), [1, 0, 1, 28]);
  // compatibility_level below 1 empties the default.
  const compat = check({ main: 'compatibility_level = 0\nsmtpd_recipient_restrictions = permit_mynetworks\n' });
  assert.deepEqual(r(one(compat.main, 'postfix/open-relay').range), [1, 0, 1, 28]);
});

test('open-relay: smtpd\'s rules — permit ends the search, warn_if_reject skips one, classes count by content', () => {
  const ok = [
    'smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination',
    'smtpd_relay_restrictions = permit_mynetworks, reject',
    'smtpd_relay_restrictions = permit_sasl_authenticated, defer_unauth_destination',
    'smtpd_relay_restrictions =\nsmtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination',
    'smtpd_restriction_classes = relay_ctl\nrelay_ctl = reject_unauth_destination\nsmtpd_relay_restrictions = permit_mynetworks, relay_ctl',
    'smtpd_relay_restrictions = permit_mynetworks, $unknown_list',
  ];
  for (const main of ok) assert.deepEqual(withCode(check({ main: main + '\n' }).main, 'postfix/open-relay'), [], main);
  const bad = [
    'smtpd_relay_restrictions = permit, reject_unauth_destination',
    'smtpd_relay_restrictions = warn_if_reject reject_unauth_destination',
    'smtpd_restriction_classes = relay_ctl\nrelay_ctl = permit_mynetworks\nsmtpd_relay_restrictions = relay_ctl',
  ];
  for (const main of bad) assert.equal(withCode(check({ main: main + '\n' }).main, 'postfix/open-relay').length, 1, main);
});

test('open-relay: a master.cf smtpd service that overrides the lists badly', () => {
  const c = check({
    main: 'myhostname = a.example\n',
    master: MINIMAL_MASTER + 'submission inet n - y - - smtpd\n  -o smtpd_relay_restrictions=permit_sasl_authenticated\n' +
      'smtps inet n - y - - smtpd\n  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n',
  });
  const f = one(c.master, 'postfix/open-relay');
  assert.deepEqual(r(f.range), [13, 5, 13, 29]);
  assert.match(f.message, /service `submission`/);
});

// ------------------------------------------------------------------ postfix/unknown-restriction

test('unknown-restriction: typos with a fix; tables, classes, arguments and $lists are fine', () => {
  const text = [
    'smtpd_restriction_classes = my_class',
    'my_class = check_sender_access hash:/etc/postfix/senders, permit',
    'smtpd_recipient_restrictions =',
    '    permit_mynetworks,',
    '    reject_unauth_destinaton,',
    '    check_client_access hash:/etc/postfix/access,',
    '    hash:/etc/postfix/more_access,',
    '    reject_rbl_client zen.spamhaus.org=127.0.0.[2..11],',
    '    my_class, sleep 1,',
    '    check_policy_service { inet:127.0.0.1:10023, default_action=DUNNO },',
    '    PERMIT_SASL_AUTHENTICATED,',
    '    $my_more',
    'my_more = reject_unknown_sender_domian',
    '',
  ].join('\n');
  const c = check({ main: text });
  const found = withCode(c.main, 'postfix/unknown-restriction');
  assert.deepEqual(found.map((f) => [textAt(text, f), r(f.range)]), [
    ['reject_unauth_destinaton', [4, 4, 4, 28]],
    ['reject_unknown_sender_domian', [12, 10, 12, 38]],
  ]);
  assert.equal(found[0].severity, 'error');
  assert.match(found[0].message, /451 4\.3\.5/);
  assert.equal(fixMain(c, found[0].fixes![0]).split('\n')[4], '    reject_unauth_destination,');
  assert.equal(found[0].fixes![0].preferred, true);
});

test('unknown-restriction: removed restrictions; newer ones with a pinned version; lists used by master.cf', () => {
  const removed = one(check({ main: 'smtpd_recipient_restrictions = check_relay_domains\n' }).main, 'postfix/unknown-restriction');
  assert.match(removed.message, /removed in Postfix 3\.9/);
  assert.deepEqual(semantic(check({ main: 'smtpd_recipient_restrictions = check_relay_domains\n' }, '3.7').main), []);
  const newer = one(check({ main: 'smtpd_sender_restrictions = reject_known_sender_login_mismatch\n' }, '2.10').main, 'postfix/parameter-too-new');
  assert.match(newer.message, /2\.11/);
  // A main.cf list that only a master.cf service uses as `-o …=$name`.
  const c = check({
    main: 'mua_sender_restrictions = permit_sasl_authenticated, rejct\n',
    master: MINIMAL_MASTER + 'submission inet n - y - - smtpd\n  -o smtpd_sender_restrictions=$mua_sender_restrictions\n',
  });
  assert.deepEqual(r(one(c.main, 'postfix/unknown-restriction').range), [0, 53, 0, 58]);
  // In a -o list itself.
  const m = check({ main: '', master: MINIMAL_MASTER + 'submission inet n - y - - smtpd\n  -o smtpd_client_restrictions=permit_sasl_authenticatd,reject\n' });
  assert.deepEqual(r(one(m.master, 'postfix/unknown-restriction').range), [13, 31, 13, 55]);
});

// ------------------------------------------------------------------ postfix/policy-service-undefined

const SPF_MAIN = 'smtpd_recipient_restrictions =\n   reject_unauth_destination,\n   check_policy_service unix:private/policyd-spf\n';

test('policy-service-undefined: the service is in master.cf (seed 004): nothing to report', () => {
  const c = check({ main: SPF_MAIN, master: MINIMAL_MASTER + 'policyd-spf  unix  -       n       n       -       0       spawn\n    user=policyd-spf argv=/usr/bin/policyd-spf\n' });
  assert.deepEqual(semantic(c.main), []);
});

test('policy-service-undefined: range on the service name, fix adds the service to master.cf', () => {
  const c = check({ main: SPF_MAIN, master: MINIMAL_MASTER });
  const f = one(c.main, 'postfix/policy-service-undefined');
  assert.equal(f.severity, 'error');
  assert.deepEqual(r(f.range), [2, 37, 2, 48]);
  assert.equal(textAt(c.mainText, f), 'policyd-spf');
  const fix = f.fixes![0];
  assert.equal(fix.edits[0].uri, 'file:///etc/postfix/master.cf');
  assert.equal(fix.preferred, true);
  const after = fixMain(c, fix) === c.mainText ? fixMaster(c, fix) : '';
  assert.equal(after, MINIMAL_MASTER + 'policyd-spf  unix  -       n       n       -       0       spawn\n    user=policyd-spf argv=/usr/bin/policyd-spf\n');
  // With the fix applied, the finding is gone.
  assert.deepEqual(semantic(check({ main: SPF_MAIN, master: after }).main), []);
});

test('policy-service-undefined: private/NAME without unix:, another name (template fix), no master.cf (warning, no fix)', () => {
  const c = check({ main: 'smtpd_recipient_restrictions = reject_unauth_destination, check_policy_service private/mypolicy\n', master: 'smtp inet n - y - - smtpd' });
  const f = one(c.main, 'postfix/policy-service-undefined');
  assert.equal(textAt(c.mainText, f), 'mypolicy');
  assert.equal(f.fixes![0].preferred, false);
  assert.match(f.fixes![0].title, /adjust user= and argv=/);
  assert.equal(fixMaster(c, f.fixes![0]), 'smtp inet n - y - - smtpd\nmypolicy  unix  -       n       n       -       0       spawn\n    user=nobody argv=/usr/local/bin/mypolicy\n');
  const alone = one(check({ main: SPF_MAIN }).main, 'postfix/policy-service-undefined');
  assert.equal(alone.severity, 'warning');
  assert.match(alone.message, /assumed Debian's default master\.cf/);
  assert.deepEqual(alone.fixes ?? [], []);
  assert.deepEqual(semantic(check({ main: 'smtpd_recipient_restrictions = reject_unauth_destination, check_policy_service inet:127.0.0.1:10023\n' }).main), []);
});

// ------------------------------------------------------------------ postfix/transport-undefined

test('transport-undefined: transport:nexthop values; the default services exist', () => {
  const text = [
    'relayhost = [smtp.example.net]:587',
    'default_transport = smtp',
    'relay_transport = relay:[mx.example.net]:25',
    'virtual_transport = lmtp:unix:private/dovecot-lmtp',
    'local_transport = local:$myhostname',
    'fallback_transport = error:no such user',
    'content_filter = amavis:[127.0.0.1]:10024',
    'mailbox_transport = dovecot',
    '',
  ].join('\n');
  const c = check({ main: text, master: MINIMAL_MASTER });
  const found = withCode(c.main, 'postfix/transport-undefined');
  assert.deepEqual(found.map((f) => [textAt(text, f), r(f.range)]), [['amavis', [6, 17, 6, 23]], ['dovecot', [7, 20, 7, 27]]]);
  assert.equal(found[0].severity, 'error');
  assert.match(found[0].message, /mail transport unavailable/);
});

test('transport-undefined: transport maps with inline: and static:, -o content_filter, $references, fixes', () => {
  const text = 'transport_maps = inline:{ example.com=smtp:[a.example], {example.org = dovecat:} }, static:lmtp:unix:private/x\nmy_t = spamasassin\ncontent_filter = $my_t\n';
  const c = check({ main: text, master: MINIMAL_MASTER + 'dovecot unix - n n - - pipe flags=DRhu user=vmail argv=/usr/lib/dovecot/deliver\nspamassassin unix - n n - - pipe user=spamd argv=/usr/bin/spamc\n' });
  const found = withCode(c.main, 'postfix/transport-undefined');
  assert.deepEqual(found.map((f) => r(f.range)), [[0, 71, 0, 78], [2, 17, 2, 22]]);
  assert.equal(fixMain(c, found[0].fixes![0]).split('\n')[0], 'transport_maps = inline:{ example.com=smtp:[a.example], {example.org = dovecot:} }, static:lmtp:unix:private/x');
  assert.match(found[1].message, /spamasassin/);
  const m = check({ main: '', master: MINIMAL_MASTER + 'submission inet n - y - - smtpd\n  -o content_filter=scan:[127.0.0.1]:10025\n  -o smtpd_milters=\n' });
  assert.deepEqual(r(one(m.master, 'postfix/transport-undefined').range), [13, 20, 13, 24]);
});

test('transport-undefined: Debian\'s default master.cf when there is none; a master.cf fragment adds to it', () => {
  const alone = check({ main: 'virtual_transport = dovecot\nmailbox_transport = maildrop\n' });
  const f = one(alone.main, 'postfix/transport-undefined');
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /assumed Debian's default master\.cf/);
  const fragment = check({ main: 'virtual_transport = dovecot\ndefault_transport = smtp\n', master: 'dovecot unix - n n - - pipe flags=DRhu user=vmail argv=/usr/lib/dovecot/deliver\n' });
  assert.deepEqual(semantic(fragment.main), []);
});
