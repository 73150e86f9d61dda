// The parameter catalogue against the real program: Debian's postconf must be installed
// (apt-get install postfix); without it these tests fail on purpose, they never skip.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  BASELINE_VERSION, LATEST_VERSION, RELAY_REQUIRED_RESTRICTIONS, allParameterNames, allTableTypes, compareVersions,
  getParameter, getRestriction, getServiceSuffix, getTableType, isKnownParameter, matchServiceSuffix,
  parameterAvailability, parameterNamesFor, serviceParameterNames, suggestParameterNames,
} from '../../../server/src/core/postfix/catalogue';
import { NameRules, referencedNames, type ConfigModel, type MasterService } from '../../../server/src/core/postfix/nameRules';
import descriptions from '../../../server/src/core/postfix/data/descriptions.json';

// ------------------------------------------------------------------ running postconf

const INSTALL_HINT = 'postconf is not installed: install Postfix (Debian/Ubuntu: apt-get install postfix) so that the catalogue can be checked against the real program';

interface PostconfResult {
  stdout: string;
  stderr: string;
}

/** Run `postconf -c DIR ARGS` on a throw-away config directory with these files. */
function postconf(files: { main?: string; master?: string }, ...args: string[]): PostconfResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-catalogue-'));
  try {
    // Postfix re-reads a file that changed less than a second ago until it settles, so
    // back-date the files to keep each run fast.
    const past = new Date(Date.now() - 60_000);
    for (const [name, text] of [['main.cf', files.main ?? ''], ['master.cf', files.master ?? '']]) {
      fs.writeFileSync(path.join(dir, name), text);
      fs.utimesSync(path.join(dir, name), past, past);
    }
    const res = spawnSync('postconf', ['-c', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (res.error && (res.error as NodeJS.ErrnoException).code === 'ENOENT') assert.fail(INSTALL_HINT);
    if (res.error) throw res.error;
    return { stdout: res.stdout, stderr: res.stderr.split(dir).join('DIR') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function parseSettings(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf(' =');
    if (eq > 0) out.set(line.slice(0, eq), line.slice(eq + 2).replace(/^ /, ''));
  }
  return out;
}

let installedCache: { version: string; defaults: Map<string, string>; expanded: Map<string, string> } | undefined;
function installed() {
  if (!installedCache) {
    const defaults = parseSettings(postconf({}, '-d').stdout);
    const expanded = parseSettings(postconf({}, '-d', '-x').stdout);
    installedCache = { version: defaults.get('mail_version') ?? '?', defaults, expanded };
  }
  return installedCache;
}

/** Names postconf reports, from its warnings. */
function warnings(stderr: string) {
  const pick = (re: RegExp) => [...stderr.matchAll(re)].map((m) => m[1]).sort();
  return {
    mainUnused: [...new Set(pick(/DIR\/main\.cf: unused parameter: ([^=\s]+)=/g))],
    masterUnused: [...new Set(pick(/DIR\/master\.cf: unused parameter: ([^=\s]+)=/g))],
    undefined: [...new Set(pick(/undefined parameter: (\S+)/g))],
    readOnly: [...new Set(pick(/read-only parameter assignment: ([^=\s]+)=/g))],
  };
}

// ------------------------------------------------------------------ a minimal reader for the tests

/** main.cf → name/value map (continuation lines start with white space). */
function readMain(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    if (/^\s/.test(line) && last) {
      out.set(last, (out.get(last) + ' ' + line.trim()).trim());
      continue;
    }
    const eq = line.indexOf('=');
    last = line.slice(0, eq).trim();
    out.set(last, line.slice(eq + 1).trim());
  }
  return out;
}

/** master.cf → services with their command and -o overrides. */
function readMaster(text: string): MasterService[] {
  const entries: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    if (/^\s/.test(line) && entries.length) entries[entries.length - 1] += ' ' + line.trim();
    else entries.push(line.trim());
  }
  return entries.map((e) => {
    const f = e.split(/\s+/);
    const overrides = new Map<string, string>();
    for (let i = 8; i < f.length - 1; i++) {
      if (f[i] !== '-o') continue;
      const eq = f[i + 1].indexOf('=');
      overrides.set(f[i + 1].slice(0, eq), f[i + 1].slice(eq + 1));
      i++;
    }
    return { name: f[0], command: f[7], overrides };
  });
}

/** What our rules say postconf will warn about, in the same shape as warnings(). */
function predicted(mainText: string, masterText: string) {
  const model: ConfigModel = { main: readMain(mainText), services: readMaster(masterText), version: installed().version };
  const rules = new NameRules(model);
  const mainUnused: string[] = [];
  const readOnly = new Set<string>();
  for (const n of model.main.keys()) {
    const v = rules.checkMainName(n);
    if (v.reason === 'unused') mainUnused.push(n);
    if (v.reason === 'readOnly') readOnly.add(n);
  }
  const masterUnused = new Set<string>();
  for (const svc of model.services ?? []) {
    for (const n of svc.overrides?.keys() ?? []) {
      const v = rules.checkServiceOverride(n, svc);
      if (v.reason === 'unused') masterUnused.add(n);
      if (v.reason === 'readOnly') readOnly.add(n);
    }
  }
  return { mainUnused: mainUnused.sort(), masterUnused: [...masterUnused].sort(), undefined: rules.undefinedReferences(), readOnly: [...readOnly].sort() };
}

const DEBIAN_MASTER = `
smtp      inet  n       -       y       -       -       smtpd
pickup    unix  n       -       y       60      1       pickup
cleanup   unix  n       -       y       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       y       -       -       trivial-rewrite
bounce    unix  -       -       y       -       0       bounce
smtp      unix  -       -       y       -       -       smtp
relay     unix  -       -       y       -       -       smtp
        -o syslog_name=postfix/$service_name
error     unix  -       -       y       -       -       error
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       y       -       -       lmtp
maildrop  unix  -       n       n       -       -       pipe
  flags=DRXhu user=vmail argv=/usr/bin/maildrop -d \${recipient}
`;

const POLICYD_SPF = `policyd-spf  unix  -       n       n       -       0       spawn
    user=policyd-spf argv=/usr/bin/policyd-spf
`;

// ------------------------------------------------------------------ names and defaults

test('postconf is installed (the catalogue tests need the real program)', () => {
  const res = spawnSync('postconf', ['-h', 'mail_version'], { encoding: 'utf8' });
  if (res.error && (res.error as NodeJS.ErrnoException).code === 'ENOENT') assert.fail(INSTALL_HINT);
  assert.match(installed().version, /^\d+\.\d+(\.\d+)?/);
});

test('the catalogue has exactly the names postconf -d prints for the installed version', () => {
  const { version, defaults } = installed();
  assert.ok(RELEASES_INCLUDE(version), `installed Postfix ${version} is outside the catalogue's releases`);
  const ours = parameterNamesFor(version).sort();
  const theirs = [...defaults.keys()].sort();
  assert.deepEqual(ours.filter((n) => !defaults.has(n)), [], 'names the catalogue has but postconf -d does not');
  assert.deepEqual(theirs.filter((n) => !ours.includes(n)), [], 'names postconf -d prints but the catalogue lacks');
  assert.equal(ours.length, theirs.length);
  assert.ok(ours.length > 800);
});

function RELEASES_INCLUDE(version: string): boolean {
  return compareVersions(version, '1.1') >= 0 && compareVersions(version.split('.').slice(0, 2).join('.'), LATEST_VERSION) <= 0;
}

test('defaults are what postconf -d prints for the baseline (computed ones excepted)', () => {
  const { version, defaults } = installed();
  assert.equal(BASELINE_VERSION, '3.7.11', 'the catalogue was generated from Debian 12\'s Postfix 3.7.11');
  if (version !== BASELINE_VERSION) {
    // Another release: its defaults differ where upstream changed them; names are checked above.
    assert.ok(parameterNamesFor(version).length > 0);
    return;
  }
  const differ: string[] = [];
  for (const [name, value] of defaults) {
    const p = getParameter(name)!;
    if (p.computedDefault) {
      assert.equal(p.default, null, `${name}: computed defaults are stored as null`);
      continue;
    }
    if (p.default !== value) differ.push(`${name}: ${JSON.stringify(p.default)} ≠ ${JSON.stringify(value)}`);
  }
  assert.deepEqual(differ, []);
  assert.deepEqual(
    allParameterNames().filter((n) => getParameter(n)!.computedDefault).sort(),
    ['mydomain', 'myhostname', 'mynetworks', 'process_id', 'process_name', 'service_name'],
  );
});

test('time parameters carry the unit postconf applies to a bare number', () => {
  const { expanded } = installed();
  let checked = 0;
  for (const name of parameterNamesFor(installed().version)) {
    const p = getParameter(name)!;
    if (p.kind !== 'time') continue;
    const unit = /[a-z]/.exec(expanded.get(name) ?? '')?.[0];
    assert.equal(p.unit, unit, name);
    checked++;
  }
  assert.ok(checked > 90, `${checked} time parameters`);
  assert.equal(getParameter('smtpd_timeout')!.unit, 's');
  assert.equal(getParameter('maximal_queue_lifetime')!.unit, 'd');
  assert.equal(getParameter('postscreen_dnsbl_max_ttl')!.unit, 'h');
});

// ------------------------------------------------------------------ kinds

test('kinds of well-known parameters', () => {
  const kind = (n: string) => getParameter(n)?.kind;
  assert.equal(kind('smtpd_use_tls'), 'boolean');
  assert.equal(kind('smtputf8_enable'), 'boolean');
  assert.equal(kind('smtpd_timeout'), 'time');
  assert.equal(kind('message_size_limit'), 'size');
  assert.equal(kind('mailbox_size_limit'), 'size');
  assert.equal(kind('smtpd_recipient_limit'), 'integer');
  assert.equal(kind('alias_maps'), 'lookupTables');
  assert.equal(kind('virtual_alias_maps'), 'lookupTables');
  assert.equal(kind('header_checks'), 'lookupTables');
  assert.equal(kind('smtpd_recipient_restrictions'), 'restrictions');
  assert.equal(kind('smtpd_relay_restrictions'), 'restrictions');
  assert.equal(kind('smtpd_restriction_classes'), 'list');
  assert.equal(kind('queue_directory'), 'path');
  assert.equal(kind('smtpd_tls_cert_file'), 'path');
  assert.equal(kind('mynetworks'), 'hostList');
  assert.equal(kind('relayhost'), 'hostList');
  assert.equal(kind('mydestination'), 'domainList');
  assert.equal(kind('content_filter'), 'transport');
  assert.equal(kind('myhostname'), 'string');
  assert.equal(kind('smtpd_banner'), 'string');
  const milters = getParameter('smtpd_milters')!;
  assert.equal(milters.kind, 'list');
  assert.equal(milters.items, 'milter');
  assert.equal(getParameter('non_smtpd_milters')!.items, 'milter');

  const enumOf = (n: string) => {
    const p = getParameter(n)!;
    assert.equal(p.kind, 'enumeration', n);
    return p.values;
  };
  assert.deepEqual(enumOf('milter_default_action'), ['accept', 'reject', 'tempfail', 'quarantine', 'shutdown']);
  assert.equal(getParameter('milter_default_action')!.valueSince?.shutdown, '3.11');
  assert.deepEqual(enumOf('smtpd_tls_security_level'), ['none', 'may', 'encrypt']);
  assert.deepEqual(enumOf('smtp_tls_security_level'), ['none', 'may', 'encrypt', 'dane', 'dane-only', 'fingerprint', 'verify', 'secure']);
  assert.deepEqual(enumOf('lmtp_tls_security_level'), enumOf('smtp_tls_security_level'));
  assert.deepEqual(enumOf('inet_protocols'), ['all', 'ipv4', 'ipv6']);
  assert.equal(getParameter('inet_protocols')!.multiple, true);
  assert.deepEqual(enumOf('milter_protocol'), ['2', '3', '4', '5', '6']);
  assert.deepEqual(enumOf('mynetworks_style'), ['host', 'subnet', 'class']);

  const bounds = getParameter('smtpd_client_ipv4_prefix_length')!;
  assert.deepEqual([bounds.kind, bounds.min, bounds.max], ['integer', undefined, 32]);
  assert.equal(getParameter('line_length_limit')!.min, 512);
  assert.equal(getParameter('smtpd_expansion_filter')!.cType, 'raw');
});

test('every parameter has a kind, upstream ones a docs link', () => {
  const kinds = new Set(['boolean', 'time', 'integer', 'size', 'enumeration', 'list', 'lookupTables', 'restrictions', 'path', 'hostList', 'domainList', 'transport', 'service', 'string']);
  for (const n of allParameterNames()) {
    const p = getParameter(n)!;
    assert.ok(kinds.has(p.kind), `${n}: ${p.kind}`);
    if (p.docs) assert.equal(p.docs, 'https://www.postfix.org/postconf.5.html#' + n);
    if (p.kind === 'time') assert.match(p.unit ?? '', /^[smhdw]$/, n);
  }
  assert.equal(getParameter('myhostname')!.docs, 'https://www.postfix.org/postconf.5.html#myhostname');
});

// ------------------------------------------------------------------ versions and deprecations

test('since, back-ports and removal decide which version knows a name', () => {
  assert.equal(getParameter('myhostname')!.since, undefined, 'present in the oldest release');
  assert.equal(getParameter('smtpd_relay_restrictions')!.since, '2.10');
  assert.equal(getParameter('smtpd_milters')!.since, '2.3');
  assert.equal(isKnownParameter('smtpd_relay_restrictions', '2.9'), false);
  assert.equal(isKnownParameter('smtpd_relay_restrictions', '2.10.0'), true);

  // smtpd_forbid_bare_newline came with 3.9 and was back-ported to 3.7.9 (Debian's 3.7.11 has it).
  const bare = getParameter('smtpd_forbid_bare_newline')!;
  assert.equal(bare.since, '3.9');
  assert.ok(bare.backports!.includes('3.7.9'));
  assert.equal(parameterAvailability('smtpd_forbid_bare_newline', '3.7.11'), 'known');
  assert.equal(parameterAvailability('smtpd_forbid_bare_newline', '3.7.4'), 'newer');
  assert.equal(parameterAvailability('smtpd_forbid_bare_newline', '3.7'), 'known');
  assert.equal(parameterAvailability('smtpd_forbid_bare_newline', '3.6.1'), 'newer');

  // A parameter newer than the baseline: "newer than your Postfix".
  const newer = allParameterNames().filter((n) => parameterAvailability(n, BASELINE_VERSION) === 'newer');
  assert.ok(newer.length > 50, `${newer.length} names newer than ${BASELINE_VERSION}`);
  for (const n of newer) assert.ok(isKnownParameter(n, LATEST_VERSION) || getParameter(n)!.removedIn, n);

  // Removed names.
  assert.equal(parameterAvailability('tls_dane_digest_agility', '3.3'), 'known');
  assert.equal(parameterAvailability('tls_dane_digest_agility', '3.7'), 'removed');
  assert.equal(parameterAvailability('no_such_parameter'), 'unknown');

  // Migration aliases are accepted but not printed by postconf -d.
  assert.equal(parameterAvailability('virtual_maps', '3.7'), 'legacy');
  assert.equal(isKnownParameter('virtual_maps', '3.7'), true);
  assert.ok(!parameterNamesFor('3.7.11').includes('virtual_maps'));
});

test('deprecations and renames with their replacement', () => {
  const dep = (n: string) => getParameter(n)?.deprecated;
  for (const [old, replacement] of [
    ['smtpd_use_tls', 'smtpd_tls_security_level'],
    ['smtpd_enforce_tls', 'smtpd_tls_security_level'],
    ['smtp_use_tls', 'smtp_tls_security_level'],
    ['smtp_enforce_tls', 'smtp_tls_security_level'],
    ['lmtp_use_tls', 'lmtp_tls_security_level'],
    ['smtp_tls_per_site', 'smtp_tls_policy_maps'],
    ['disable_dns_lookups', 'smtp_dns_support_level'],
    ['virtual_maps', 'virtual_alias_maps'],
    ['fallback_relay', 'smtp_fallback_relay'],
    ['smtpd_tls_cipherlist', 'smtpd_tls_mandatory_ciphers'],
    ['postscreen_blacklist_action', 'postscreen_denylist_action'],
    ['postscreen_whitelist_interfaces', 'postscreen_allowlist_interfaces'],
  ]) {
    assert.equal(dep(old)?.replacement, replacement, old);
    assert.ok(getParameter(replacement), replacement);
  }
  assert.equal(dep('smtpd_use_tls')!.postconfWarnsSince, '3.9');
  assert.equal(dep('disable_dns_lookups')!.since, '2.11');
  assert.deepEqual(dep('tls_low_cipherlist'), { status: 'ignored', since: '3.8' });
  assert.equal(dep('tls_export_cipherlist')!.status, 'ignored');
  assert.equal(dep('smtpd_tls_security_level'), undefined);
  assert.equal(dep('myhostname'), undefined);
});

// ------------------------------------------------------------------ service-defined names

test('service parameter names follow the daemon of the master.cf entry', () => {
  assert.deepEqual(serviceParameterNames('policyd-spf', 'spawn'), ['policyd-spf_time_limit']);
  const pipe = serviceParameterNames('dovecot', 'pipe');
  assert.ok(pipe.includes('dovecot_time_limit'));
  assert.ok(pipe.includes('dovecot_destination_recipient_limit'));
  const relay = serviceParameterNames('relay', 'smtp');
  assert.ok(relay.includes('relay_destination_concurrency_limit'));
  assert.ok(!relay.includes('relay_time_limit'), '_time_limit is only for pipe and spawn');
  assert.deepEqual(serviceParameterNames('smtp', 'smtpd'), [], 'the SMTP server gets none');
  assert.deepEqual(serviceParameterNames('policyd-spf', 'spawn', '2.8'), [], 'postconf knows them since 2.9');
  assert.equal(matchServiceSuffix('relay_destination_rate_delay', 'relay', 'smtp'), '_destination_rate_delay');
  const s = getServiceSuffix('_time_limit')!;
  assert.deepEqual([s.defaultFrom, s.kind, s.unit], ['command_time_limit', 'time', 's']);
});

test('policyd-spf_time_limit is valid with a spawn service and unused without, as postconf says', () => {
  const mainText = 'policyd-spf_time_limit = 3600\n';
  const without = warnings(postconf({ main: mainText, master: DEBIAN_MASTER }, '-n').stderr);
  const withSpf = warnings(postconf({ main: mainText, master: DEBIAN_MASTER + POLICYD_SPF }, '-n').stderr);
  assert.deepEqual(without.mainUnused, ['policyd-spf_time_limit']);
  assert.deepEqual(withSpf.mainUnused, []);
  assert.deepEqual(predicted(mainText, DEBIAN_MASTER).mainUnused, ['policyd-spf_time_limit']);
  assert.deepEqual(predicted(mainText, DEBIAN_MASTER + POLICYD_SPF).mainUnused, []);
});

const RULES_CASES: { title: string; main: string; master: string }[] = [
  {
    title: 'per-transport names for smtp, pipe, local, lmtp and relay services',
    main: [
      'relay_destination_concurrency_limit = 5',
      'relay_time_limit = 100',
      'smtp_time_limit = 100',
      'maildrop_destination_recipient_limit = 1',
      'maildrop_time_limit = 600',
      'local_destination_recipient_limit = 1',
      'lmtp_destination_rate_delay = 1s',
      'virtual_transport_rate_delay = 1s',
      'error_recipient_limit = 3',
      'cleanup_destination_concurrency_limit = 2',
      '',
    ].join('\n'),
    master: DEBIAN_MASTER + POLICYD_SPF,
  },
  {
    title: 'restriction classes, $references, raw values, typos and read-only names',
    main: [
      'smtpd_restriction_classes = rc1, rc2',
      'rc1 = permit_mynetworks, reject',
      'smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination, $extra_checks',
      'extra_checks = reject_unknown_sender_domain',
      'a1 = ${b1?{$c1}:{$d1}}',
      'b1 = x',
      'c1 = y',
      'd1 = z',
      'g1 = $(h1)',
      'h1 = q',
      'smtpd_expansion_filter = $f1',
      'f1 = 1',
      'smtpd_milterz = inet:localhost:8891',
      'smtpd_milter = inet:localhost:8891',
      'process_id = 42',
      'virtual_maps = hash:/etc/postfix/virtual',
      'fallback_relay = [mx.example.net]',
      'foo = bar',
      'uses_undefined = $nowhere',
      '',
    ].join('\n'),
    master: DEBIAN_MASTER,
  },
  {
    title: 'old-style database client settings and master.cf -o overrides',
    main: [
      'virtual_alias_maps = ldap:myldap, proxy:mysql:mysq',
      'myldap_server_host = ldap.example.com',
      'myldap_bogus = 1',
      'mysq_hosts = db.example.com',
      'mua_client_restrictions = permit_sasl_authenticated, reject',
      'mua_unused = 1',
      'smtpd_restriction_classes = rc1',
      'rc1 = permit',
      '',
    ].join('\n'),
    master: DEBIAN_MASTER + [
      'submission inet n - y - - smtpd',
      '  -o smtpd_client_restrictions=$mua_client_restrictions',
      '  -o bogus_local=1',
      '  -o rc1=reject',
      '  -o local_ref=2',
      '  -o smtpd_helo_restrictions=$local_ref',
      '  -o smtp_time_limit=10',
      '  -o relay_destination_concurrency_limit=3',
      '',
    ].join('\n'),
  },
];

for (const c of RULES_CASES) {
  test(`name rules agree with postconf: ${c.title}`, () => {
    const real = warnings(postconf({ main: c.main, master: c.master }, '-n').stderr);
    const ours = predicted(c.main, c.master);
    assert.deepEqual(ours, real);
  });
}

test('the name rules in detail', () => {
  const model: ConfigModel = {
    main: readMain('smtpd_restriction_classes = rc1\nrc1 = permit\nx = $y\ny = 1\nsmtpd_milterz = z\n'),
    services: readMaster(DEBIAN_MASTER + POLICYD_SPF),
  };
  const rules = new NameRules(model);
  assert.deepEqual(rules.checkMainName('myhostname'), { valid: true, reason: 'builtin' });
  assert.deepEqual(rules.checkMainName('policyd-spf_time_limit'), { valid: true, reason: 'service', service: 'policyd-spf' });
  assert.deepEqual(rules.checkMainName('rc1'), { valid: true, reason: 'restrictionClass' });
  assert.deepEqual(rules.checkMainName('y'), { valid: true, reason: 'referenced' });
  assert.deepEqual(rules.checkMainName('x'), { valid: false, reason: 'unused', availability: 'unknown' });
  assert.deepEqual(rules.checkMainName('smtpd_milterz'), { valid: false, reason: 'unused', availability: 'unknown' });
  assert.deepEqual(rules.checkMainName('virtual_maps'), { valid: true, reason: 'legacy' });
  assert.deepEqual(rules.checkMainName('process_id'), { valid: false, reason: 'readOnly' });
  const newer = allParameterNames().find((n) => getParameter(n)!.since === '3.10')!;
  assert.deepEqual(rules.checkMainName(newer), { valid: false, reason: 'unused', availability: 'newer' });
  assert.deepEqual(referencedNames('$a ${b} $(c) ${d?{$e}:{f}} $$g ${{$h} <level {2} ? {x} : {y}}'), ['a', 'b', 'c', 'd', 'e', 'h']);
});

test('a parameter newer than the installed postconf is reported unused by it', () => {
  const { version } = installed();
  const newer = allParameterNames().filter((n) => parameterAvailability(n, version) === 'newer').slice(0, 5);
  assert.ok(newer.length > 0);
  const mainText = newer.map((n) => `${n} = 1\n`).join('');
  assert.deepEqual(warnings(postconf({ main: mainText }, '-n').stderr).mainUnused, [...newer].sort());
  assert.deepEqual(predicted(mainText, '').mainUnused, [...newer].sort());
});

// ------------------------------------------------------------------ suggestions

test('closest-name suggestions for typos', () => {
  assert.equal(suggestParameterNames('smtpd_milterz')[0], 'smtpd_milters');
  assert.equal(suggestParameterNames('smtpd_milter')[0], 'smtpd_milters');
  assert.equal(suggestParameterNames('non_smtpd_milter')[0], 'non_smtpd_milters');
  assert.equal(suggestParameterNames('myhostnme')[0], 'myhostname');
  assert.equal(suggestParameterNames('smtpd_tls_securty_level')[0], 'smtpd_tls_security_level');
  assert.equal(suggestParameterNames('smtpd_tls_cert_flie')[0], 'smtpd_tls_cert_file', 'a swapped pair counts once');
  assert.equal(suggestParameterNames('relay_host')[0], 'relayhost');
  assert.deepEqual(suggestParameterNames('completely_unrelated_name_xyz'), []);
  // Deprecated names are offered only when no current name is close.
  assert.equal(suggestParameterNames('smtpd_use_tl')[0], 'smtpd_use_tls');
  assert.ok(!suggestParameterNames('smtpd_tls_security_levle').some((n) => getParameter(n)!.deprecated));
  // Names the chosen version does not have come last.
  assert.equal(suggestParameterNames('smtpd_forbid_bare_newlin', { version: '3.7.11' })[0], 'smtpd_forbid_bare_newline');
  // Extra names (service parameters, restriction classes) take part.
  assert.equal(suggestParameterNames('policyd-spf_time_limt', { extraNames: ['policyd-spf_time_limit'] })[0], 'policyd-spf_time_limit');
  assert.ok(suggestParameterNames('smtpd_milterz').length <= 3);
});

// ------------------------------------------------------------------ restrictions and table types

test('restriction names with their argument shape', () => {
  assert.deepEqual(getRestriction('reject_unauth_destination'), {
    name: 'reject_unauth_destination', examines: 'recipient', docs: 'https://www.postfix.org/postconf.5.html#reject_unauth_destination',
  });
  assert.equal(getRestriction('REJECT_UNAUTH_DESTINATION')?.name, 'reject_unauth_destination', 'case-insensitive');
  assert.equal(getRestriction('permit_mynetworks')!.examines, 'client');
  assert.equal(getRestriction('permit_sasl_authenticated')!.examines, 'client');
  assert.equal(getRestriction('check_policy_service')!.argument, 'policyService');
  assert.equal(getRestriction('reject_rbl_client')!.argument, 'dnsList');
  assert.equal(getRestriction('reject_rhsbl_sender')!.argument, 'dnsList');
  assert.equal(getRestriction('check_client_access')!.argument, 'table');
  assert.equal(getRestriction('check_sender_access')!.argument, 'table');
  assert.equal(getRestriction('sleep')!.argument, 'seconds');
  assert.equal(getRestriction('permit_mynetworks')!.argument, undefined);
  assert.deepEqual(getRestriction('reject_sender_login_mismatch')!.expandsTo, [
    'reject_authenticated_sender_login_mismatch', 'reject_unauthenticated_sender_login_mismatch',
  ]);
  assert.equal(getRestriction('reject_unknown_client')!.aliasOf, 'reject_unknown_client_hostname');
  assert.equal(getRestriction('check_relay_domains')!.deprecated?.removedIn, '3.9');
  assert.equal(getRestriction('reject_unknown_forward_client_hostname'), undefined, 'documented only in a comment upstream');
  assert.ok(RELAY_REQUIRED_RESTRICTIONS.includes('reject_unauth_destination'));
  assert.ok(RELAY_REQUIRED_RESTRICTIONS.includes('defer_unauth_destination'));
});

test('lookup table types, and every type the installed postconf lists', () => {
  const listed = postconf({}, '-m').stdout.split('\n').filter(Boolean);
  assert.ok(listed.includes('hash'));
  for (const t of listed) assert.ok(getTableType(t), `postconf -m lists ${t}`);
  for (const t of ['hash', 'lmdb', 'btree', 'cdb', 'regexp', 'pcre', 'cidr', 'texthash', 'inline', 'proxy', 'mysql', 'pgsql', 'ldap', 'sqlite',
    'memcache', 'tcp', 'socketmap', 'static', 'unix', 'randmap', 'pipemap', 'unionmap', 'fail', 'environ', 'internal', 'nis', 'nisplus',
    'netinfo', 'sdbm', 'dbm']) {
    assert.ok(allTableTypes().includes(t), t);
  }
  assert.equal(getTableType('hash')!.postmap, true);
  assert.equal(getTableType('pcre')!.debianPackage, 'postfix-pcre');
  assert.equal(getTableType('pcre')!.postmap, undefined);
  assert.equal(getTableType('inline')!.since, '3.0');
  assert.ok(getTableType('ldap')!.legacyMainCfSuffixes!.includes('server_host'));
});

// ------------------------------------------------------------------ descriptions

test('descriptions: about 120+ common parameters, one or two sentences each', () => {
  const entries = Object.entries(descriptions as Record<string, string>);
  assert.ok(entries.length >= 120, `${entries.length} descriptions`);
  for (const [name, text] of entries) {
    assert.ok(getParameter(name), `${name} is a parameter`);
    assert.equal(getParameter(name)!.description, text);
    const sentences = text.split(/(?<=[.!?])\s+(?=[A-Z])/).length;
    assert.ok(sentences >= 1 && sentences <= 2, `${name}: ${sentences} sentences`);
    assert.ok(text.length < 320, `${name}: ${text.length} characters`);
  }
  for (const n of ['myhostname', 'mydestination', 'mynetworks', 'relayhost', 'smtpd_milters', 'non_smtpd_milters',
    'smtpd_relay_restrictions', 'smtpd_tls_security_level', 'smtp_tls_security_level', 'virtual_alias_maps', 'compatibility_level']) {
    assert.ok(getParameter(n)!.description, n);
  }
});
