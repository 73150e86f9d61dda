// postfix/size-limit-conflict (checks/sizeLimits.ts) and postfix/domain-in-two-classes
// (checks/addressClasses.ts): what local(8)/virtual(8) refuse at start-up and what
// trivial-rewrite warns about, with the values Postfix would use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { r } from './helpers';
import { check, fixMain, MAIN_URI, MINIMAL_MASTER, one, textAt, withCode } from './checksSupport';

const SIZE = 'postfix/size-limit-conflict';
const CLASSES = 'postfix/domain-in-two-classes';

function sizeFindings(main: string, master?: string) {
  const c = check({ main, master });
  return { c, main: withCode(c.main, SIZE), master: withCode(c.master, SIZE) };
}

// ------------------------------------------------------------------ postfix/size-limit-conflict

test('size-limit-conflict: a raised message_size_limit over the default mailbox_size_limit, fixed by adding the line', () => {
  const main = 'myhostname = mail.example.com\nmessage_size_limit = 104857600\n';
  const { c } = sizeFindings(main);
  const f = one(c.main, SIZE);
  assert.equal(f.severity, 'error');
  assert.equal(textAt(main, f), '104857600');
  assert.match(f.message, /`mailbox_size_limit` \(51200000 bytes, the default\) is smaller than `message_size_limit` \(104857600 bytes\)/);
  assert.match(f.message, /"fatal: configuration error: mailbox_size_limit is smaller than message_size_limit"/);
  assert.match(f.message, /local\(8\)/);
  assert.equal(f.related, undefined);
  assert.equal(f.fixes?.length, 1);
  assert.equal(f.fixes?.[0].preferred, true);
  const fixed = fixMain(c, f.fixes![0]);
  assert.equal(fixed, 'myhostname = mail.example.com\nmessage_size_limit = 104857600\nmailbox_size_limit = 104857600\n');
  assert.deepEqual(withCode(check({ main: fixed }).main, SIZE), []);
});

test('size-limit-conflict: both limits written: on the mailbox limit, related to the message limit, fix raises it', () => {
  const main = 'mailbox_size_limit = 51200000\nmessage_size_limit = 60000000\n';
  const { c } = sizeFindings(main);
  const f = one(c.main, SIZE);
  assert.deepEqual(r(f.range), [0, 21, 0, 29]);
  assert.deepEqual(f.related?.map((x) => [x.uri, r(x.range), x.message]), [[MAIN_URI, [1, 21, 1, 29], '`message_size_limit` in main.cf']]);
  const fixed = fixMain(c, f.fixes![0]);
  assert.equal(fixed, 'mailbox_size_limit = 60000000\nmessage_size_limit = 60000000\n');
  assert.deepEqual(withCode(check({ main: fixed }).main, SIZE), []);
  // Equal limits are fine: local(8) refuses only a smaller mailbox limit.
  assert.deepEqual(sizeFindings('mailbox_size_limit = 60000000\nmessage_size_limit = 60000000\n').main, []);
});

test('size-limit-conflict: an unlimited message size with a mailbox limit; no fix (which limit to keep is the admin\'s call)', () => {
  const main = 'message_size_limit = 0\n';
  const f = one(check({ main }).main, SIZE);
  assert.equal(textAt(main, f), '0');
  assert.match(f.message, /"fatal: configuration error: mailbox_size_limit is limited but message_size_limit is unlimited"/);
  assert.equal(f.fixes, undefined);
});

test('size-limit-conflict: no finding with the defaults, 0 (no limit) mailbox limits, or values that are not plain numbers', () => {
  const clean = [
    '',
    'myhostname = mail.example.com\n',
    'message_size_limit = 51200000\n',
    'message_size_limit = 104857600\nmailbox_size_limit = 0\n',
    'message_size_limit = 0\nmailbox_size_limit = 0\n',
    'message_size_limit = 104857600\nmailbox_size_limit = 0\nvirtual_mailbox_domains = example.com\nvirtual_mailbox_limit = 0\n',
    // Not numbers: postfix/invalid-number's business.
    'message_size_limit = 100M\n',
    'message_size_limit = 104857600\nmailbox_size_limit = lots\n',
    // Cannot be expanded: not judged.
    'message_size_limit = $undefined_limit\n',
    // A template placeholder.
    'message_size_limit = {{ MESSAGE_SIZE_LIMIT }}\n',
  ];
  for (const main of clean) assert.deepEqual(sizeFindings(main).main, [], main);
});

test('size-limit-conflict: only for an agent some transport uses', () => {
  const big = 'message_size_limit = 104857600\n';
  // local(8) without local domains (a null client) or with local delivery handed elsewhere.
  assert.deepEqual(sizeFindings(big + 'mydestination =\n').main, []);
  assert.deepEqual(sizeFindings(big + 'local_transport = error:local delivery is disabled\n').main, []);
  assert.deepEqual(sizeFindings(big + 'local_transport = lmtp:unix:private/dovecot-lmtp\n').main, []);
  // local_transport's nexthop does not matter (local:$myhostname with a computed host name).
  assert.equal(sizeFindings(big + 'local_transport = local:$myhostname\n').main.length, 1);

  // virtual(8): only with virtual mailbox domains and virtual_transport pointing at it.
  const small = 'mailbox_size_limit = 0\nvirtual_mailbox_limit = 5000000\n';
  assert.deepEqual(sizeFindings(small).main, []);
  assert.deepEqual(sizeFindings(small + 'virtual_mailbox_domains = example.com\nvirtual_transport = lmtp:unix:private/dovecot-lmtp\n').main, []);
  const used = sizeFindings(small + 'virtual_mailbox_domains = example.com\n');
  const f = one(used.c.main, SIZE);
  assert.equal(textAt(used.c.mainText, f), '5000000');
  assert.match(f.message, /virtual\(8\)/);
  assert.match(f.message, /"fatal: configuration error: virtual_mailbox_limit is smaller than message_size_limit"/);
  assert.deepEqual(fixMain(used.c, f.fixes![0]).split('\n')[1], 'virtual_mailbox_limit = 10240000');
  // A lookup table of domains counts as not empty; so does an inline: transport map naming virtual.
  assert.equal(sizeFindings(small + 'virtual_mailbox_domains = mysql:/etc/postfix/domains.cf\n').main.length, 1);
  assert.equal(sizeFindings(small + 'transport_maps = inline:{ example.org=virtual: }\n').main.length, 1);
  assert.equal(sizeFindings(small + 'transport_maps = static:virtual\n').main.length, 1);
  // A hash: transport map may name anything: not a reason to report.
  assert.deepEqual(sizeFindings(small + 'transport_maps = hash:/etc/postfix/transport\n').main, []);
});

test('size-limit-conflict: $name references are expanded', () => {
  const main = 'big = 104857600\nmessage_size_limit = $big\n';
  const f = one(check({ main }).main, SIZE);
  assert.equal(textAt(main, f), '$big');
  assert.match(f.message, /\(`\$big` = 104857600 bytes\)/);
  // A mailbox limit written as a reference is not rewritten by the fix.
  const ref = 'small = 1000\nmailbox_size_limit = $small\n';
  const g = one(check({ main: ref }).main, SIZE);
  assert.equal(textAt(ref, g), '$small');
  assert.equal(g.fixes, undefined);
});

test('size-limit-conflict: master.cf -o settings of the local service count for that agent', () => {
  const master = MINIMAL_MASTER.replace('local     unix  -       n       n       -       -       local',
    'local     unix  -       n       n       -       -       local\n  -o mailbox_size_limit=1000000');
  const c = check({ main: 'myhostname = mail.example.com\n', master });
  assert.deepEqual(withCode(c.main, SIZE), []);
  const f = one(c.master, SIZE);
  assert.equal(textAt(master, f), '1000000');
  assert.equal(f.fixes, undefined); // the fix edits main.cf values only
  // The message limit raised for the local service alone.
  const m2 = MINIMAL_MASTER.replace('local     unix  -       n       n       -       -       local',
    'local     unix  -       n       n       -       -       local\n  -o message_size_limit=104857600');
  const c2 = check({ main: 'myhostname = mail.example.com\n', master: m2 });
  assert.equal(textAt(m2, one(c2.master, SIZE)), '104857600');
  assert.deepEqual(withCode(c2.main, SIZE), []);
  // The main.cf value with a master.cf that has the services: the finding stays in main.cf, once.
  const c3 = check({ main: 'message_size_limit = 104857600\n', master: MINIMAL_MASTER + 'local2 unix - n n - - local\n' });
  assert.equal(withCode(c3.main, SIZE).length, 1);
  assert.deepEqual(withCode(c3.master, SIZE), []);
  // A master.cf without a local service: local(8) is never started.
  const c4 = check({ main: 'message_size_limit = 104857600\n', master: MINIMAL_MASTER.replace(/^local .*\n/m, '') });
  assert.deepEqual(withCode(c4.main, SIZE), []);
});

// ------------------------------------------------------------------ postfix/domain-in-two-classes

function classFindings(main: string, master?: string) {
  const c = check({ main, master });
  return { c, main: withCode(c.main, CLASSES), master: withCode(c.master, CLASSES) };
}

test('domain-in-two-classes: mydestination and virtual_mailbox_domains — on the mydestination entry, related to the other', () => {
  const main = 'mydestination = localhost, example.com\nvirtual_mailbox_domains = example.com\nvirtual_mailbox_maps = hash:/etc/postfix/vmailbox\n';
  const { c } = classFindings(main);
  const f = one(c.main, CLASSES);
  assert.equal(f.severity, 'error');
  assert.deepEqual(r(f.range), [0, 27, 0, 38]);
  assert.deepEqual(f.related?.map((x) => [x.uri, r(x.range)]), [[MAIN_URI, [1, 26, 1, 37]]]);
  assert.match(f.message, /`example\.com` is listed in both `mydestination` and `virtual_mailbox_domains`/);
  assert.match(f.message, /"warning: do not list domain example\.com in BOTH mydestination and virtual_mailbox_domains"/);
  assert.match(f.message, /User unknown in local recipient table/);
  assert.match(f.message, /Remove it from `mydestination`/);
  assert.equal(f.fixes, undefined);
});

test('domain-in-two-classes: every pair resolve.c warns about, with the class that wins and its severity', () => {
  const cases: Array<[text: string, winner: string, loser: string, severity: 'error' | 'warning', effect: RegExp]> = [
    ['mydestination = localhost, d.example\nvirtual_alias_domains = d.example\n', 'mydestination', 'virtual_alias_domains', 'warning', /local account/],
    ['virtual_alias_domains = d.example\nvirtual_mailbox_domains = d.example\n', 'virtual_alias_domains', 'virtual_mailbox_domains', 'error', /User unknown in virtual alias table/],
    ['virtual_alias_domains = d.example\nrelay_domains = d.example\n', 'virtual_alias_domains', 'relay_domains', 'error', /not relayed/],
    ['virtual_mailbox_domains = d.example\nrelay_domains = d.example\n', 'virtual_mailbox_domains', 'relay_domains', 'error', /instead of being relayed/],
    // Order in the file does not matter: the class order does.
    ['relay_domains = d.example\nvirtual_mailbox_domains = d.example\n', 'virtual_mailbox_domains', 'relay_domains', 'error', /User unknown in virtual mailbox table/],
  ];
  for (const [text, winner, loser, severity, effect] of cases) {
    const f = one(check({ main: text }).main, CLASSES);
    assert.equal(f.severity, severity, text);
    assert.match(f.message, effect, text);
    assert.ok(f.message.includes(`BOTH ${winner} and ${loser}`), f.message);
    // The finding is on the entry of the list that wins; the related location on the other.
    assert.ok(text.split('\n')[f.range.start.line].startsWith(winner), text);
    assert.ok(text.split('\n')[f.related![0].range.start.line].startsWith(loser), text);
  }
});

test('domain-in-two-classes: pairs Postfix does not warn about, and domains in one list', () => {
  const clean = [
    'mydestination = localhost, example.com\nrelay_domains = example.com\n',
    'mydestination = $myhostname, localhost, example.com\nrelay_domains = $mydestination\n',
    'myhostname = mail.example.com\nvirtual_mailbox_domains = example.com\nrelay_domains = example.org\n',
    'virtual_alias_domains = a.example\nvirtual_mailbox_domains = b.example\nrelay_domains = c.example\n',
    // A subdomain is another domain for these exact-match lists.
    'mydestination = example.com\nvirtual_mailbox_domains = mail.example.com\n',
  ];
  for (const main of clean) assert.deepEqual(classFindings(main).main, [], main);
});

test('domain-in-two-classes: lookup tables, /file lists and unexpandable values are not judged', () => {
  const clean = [
    'virtual_mailbox_domains = hash:/etc/postfix/vdomains\nmydestination = localhost\n',
    'virtual_mailbox_domains = mysql:/etc/postfix/mysql-domains.cf\nvirtual_alias_domains = mysql:/etc/postfix/mysql-domains.cf\n',
    'virtual_alias_maps = hash:/etc/postfix/virtual\nvirtual_mailbox_domains = example.com\n', // alias domains default to $virtual_alias_maps
    'mydestination = /etc/postfix/local-domains\nvirtual_mailbox_domains = example.com\n',
    'mydestination = $undefined_domains\nvirtual_mailbox_domains = example.com\n',
    // A table earlier in mydestination may hold the domain: which class wins is unknown.
    'mydestination = hash:/etc/postfix/local\nvirtual_alias_domains = example.com\nvirtual_mailbox_domains = example.com\n',
    // A negated entry excludes the domain before the literal one.
    'mydestination = localhost\nvirtual_mailbox_domains = !example.com, example.com\nrelay_domains = example.com\n',
    // Template placeholders.
    'mydestination = {{ DOMAINS }}\nvirtual_mailbox_domains = example.com\n',
  ];
  for (const main of clean) assert.deepEqual(classFindings(main).main, [], main);
  // A table before a literal in the same list does not hide the literal.
  assert.equal(classFindings('mydestination = localhost\nvirtual_mailbox_domains = hash:/etc/postfix/vd, example.com\nrelay_domains = example.com\n').main.length, 1);
});

test('domain-in-two-classes: $name expansion, defaults and case', () => {
  // mydestination's default holds $myhostname: the finding goes to the list written down.
  const main = 'myhostname = example.com\nvirtual_mailbox_domains = example.com\n';
  const f = one(check({ main }).main, CLASSES);
  assert.equal(textAt(main, f), 'example.com');
  assert.deepEqual(r(f.range), [1, 26, 1, 37]);
  assert.match(f.message, /`mydestination` \(by default, through `\$myhostname`\)/);
  assert.equal(f.related, undefined);
  // Written through a reference: the finding is on the reference.
  const ref = 'myhostname = example.com\nmydestination = $myhostname, localhost\nvirtual_alias_domains = EXAMPLE.com\n';
  const g = one(check({ main: ref }).main, CLASSES);
  assert.equal(textAt(ref, g), '$myhostname');
  assert.equal(g.severity, 'warning');
  assert.match(g.message, /\(through `\$myhostname`\)/);
  // An unset myhostname is a run-time value: taken not to be a hosted domain.
  assert.equal(classFindings('virtual_alias_domains = example.com\nvirtual_mailbox_domains = example.com\n').main.length, 1);
  // One domain in three lists: both warnings of the local branch.
  assert.equal(classFindings('mydestination = localhost, example.com\nvirtual_alias_domains = example.com\nvirtual_mailbox_domains = example.com\n').main.length, 2);
});

test('domain-in-two-classes: trivial-rewrite\'s own -o settings count, and are reported in master.cf', () => {
  const master = MINIMAL_MASTER.replace('rewrite   unix  -       -       y       -       -       trivial-rewrite',
    'rewrite   unix  -       -       y       -       -       trivial-rewrite\n  -o mydestination=localhost,example.com');
  const c = check({ main: 'virtual_mailbox_domains = example.com\n', master });
  const f = one(c.master, CLASSES);
  assert.equal(textAt(master, f), 'example.com');
  assert.equal(f.range.start.line, 5);
  assert.deepEqual(f.related?.map((x) => x.uri), [MAIN_URI]);
  assert.deepEqual(withCode(c.main, CLASSES), []);
  // Without such -o, the finding is in main.cf only.
  const plain = check({ main: 'mydestination = localhost, example.com\nvirtual_mailbox_domains = example.com\n', master: MINIMAL_MASTER });
  assert.equal(withCode(plain.main, CLASSES).length, 1);
  assert.deepEqual(withCode(plain.master, CLASSES), []);
});

test('domain-in-two-classes: a table before a negated entry leaves the verdict open; long lists and huge words', () => {
  // hash:/x may match first (a match) or not (then !example.com excludes it): not judged.
  assert.deepEqual(classFindings('mydestination = localhost\nvirtual_mailbox_domains = hash:/x, !example.com, example.com\nrelay_domains = example.com\n').main, []);
  // Thousands of domains in two lists: one finding each (lists are indexed, not scanned per domain).
  const domains = Array.from({ length: 5000 }, (_, i) => `d${i}.example`).join(', ');
  assert.equal(classFindings(`virtual_mailbox_domains = ${domains}\nrelay_domains = ${domains}\n`).main.length, 5000);
  // A huge word is cut in the message.
  const huge = `${'a'.repeat(100_000)}.example`;
  const f = one(check({ main: `virtual_alias_domains = ${huge}\nvirtual_mailbox_domains = ${huge}\n` }).main, CLASSES);
  assert.ok(f.message.length < 2_000, `${f.message.length} characters`);
});
