// The TLS checks (server/src/core/postfix/checks/tls.ts): TLS required on the port-25 smtpd,
// smtpd TLS without a certificate, outgoing mail never encrypted. What the real Postfix does in
// these setups is shown by test/integration/tlsEndToEnd.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { r } from './helpers';
import { check, fixMain, fixMaster, MINIMAL_MASTER, one, withCode, type Checked } from './checksSupport';
import { DEBIAN_DEFAULT_MASTER_CF } from '../../../server/src/core/postfix/debianMaster';
import type { Finding } from '../../../server/src/core/types';

const MX = 'postfix/tls-required-on-mx';
const NO_CERT = 'postfix/tls-without-certificate';
const OUTBOUND = 'postfix/outbound-tls-off';
const TLS = [MX, NO_CERT, OUTBOUND];

const tls = (findings: Finding[]) => findings.filter((f) => TLS.includes(f.code));
const both = (c: Checked) => [...tls(c.main), ...tls(c.master)];
const CERT = 'smtpd_tls_cert_file = /etc/ssl/certs/ssl-cert-snakeoil.pem\nsmtpd_tls_key_file = /etc/ssl/private/ssl-cert-snakeoil.key\n';
const SUBMISSION = 'submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n  -o smtpd_sasl_auth_enable=yes\n';

/** Debian 12's /etc/postfix/main.cf as the package writes it (main.cf.debian, main.cf.tls, postinst). */
const DEBIAN_MAIN_CF = `# See /usr/share/postfix/main.cf.dist for a commented, more complete version

smtpd_banner = $myhostname ESMTP $mail_name (Debian/GNU)
biff = no

# appending .domain is the MUA's job.
append_dot_mydomain = no

readme_directory = no

# See http://www.postfix.org/COMPATIBILITY_README.html -- default to 3.6 on
# fresh installs.
compatibility_level = 3.6

# TLS parameters
smtpd_tls_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem
smtpd_tls_key_file=/etc/ssl/private/ssl-cert-snakeoil.key
smtpd_tls_security_level=may

smtp_tls_CApath=/etc/ssl/certs
smtp_tls_security_level=may
smtp_tls_session_cache_database = btree:\${data_directory}/smtp_scache

smtpd_relay_restrictions = permit_mynetworks permit_sasl_authenticated defer_unauth_destination
myhostname = mail.example.com
alias_maps = hash:/etc/aliases
alias_database = hash:/etc/aliases
myorigin = /etc/mailname
mydestination = $myhostname, mail.example.com, localhost.example.com, localhost
relayhost =
mynetworks = 127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128
mailbox_size_limit = 0
recipient_delimiter = +
inet_interfaces = all
inet_protocols = all
`;

// ------------------------------------------------------------------ the stock configurations

test('Debian\'s stock main.cf (snakeoil certificate, may, may) is clean, with Debian\'s master.cf, its submission enabled, or none', () => {
  for (const version of ['latest', '3.7']) {
    assert.deepEqual(both(check({ main: DEBIAN_MAIN_CF, master: DEBIAN_DEFAULT_MASTER_CF }, version)), [], version);
    assert.deepEqual(both(check({ main: DEBIAN_MAIN_CF, master: DEBIAN_DEFAULT_MASTER_CF + SUBMISSION }, version)), [], version);
    assert.deepEqual(both(check({ main: DEBIAN_MAIN_CF }, version)), [], version);
  }
});

test('upstream\'s main.cf (compatibility_level 3.12, nothing about TLS) and a main.cf snippet without TLS get nothing', () => {
  assert.deepEqual(both(check({ main: 'compatibility_level = 3.12\nqueue_directory = /var/spool/postfix\n', master: MINIMAL_MASTER })), []);
  assert.deepEqual(both(check({ main: 'milter_default_action = accept\nsmtpd_milters = inet:localhost:8891\n', master: MINIMAL_MASTER })), []);
});

// ------------------------------------------------------------------ postfix/tls-required-on-mx

test('tls-required-on-mx: encrypt in main.cf reaches the port-25 smtpd; warning on the name, fix sets may', () => {
  const main = `${CERT}smtpd_tls_security_level = encrypt\nsmtp_tls_security_level = may\n`;
  const c = check({ main, master: MINIMAL_MASTER });
  const f = one(c.main, MX);
  assert.equal(f.severity, 'warning');
  assert.deepEqual(r(f.range), [2, 0, 2, 24]);
  assert.match(f.message, /smtpd service `smtp` \(port 25\)/);
  assert.match(f.message, /530 5\.7\.0 Must issue a STARTTLS command first/);
  assert.match(f.message, /RFC 3207/);
  assert.deepEqual(f.related?.map((x) => [x.uri, r(x.range)]), [['file:///etc/postfix/master.cf', [0, 0, 0, 4]]]);
  assert.equal(f.fixes?.[0].preferred, true);
  const fixed = fixMain(c, f.fixes![0]);
  assert.match(fixed, /^smtpd_tls_security_level = may$/m);
  assert.deepEqual(both(check({ main: fixed, master: MINIMAL_MASTER })), []);
  assert.deepEqual(tls(c.master), [], 'reported once, in main.cf');
});

test('tls-required-on-mx: submission services requiring TLS are right, never reported', () => {
  const main = `${CERT}smtpd_tls_security_level = may\nsmtp_tls_security_level = may\n`;
  const master = MINIMAL_MASTER + SUBMISSION + 'smtps inet n - y - - smtpd\n  -o smtpd_tls_wrappermode=yes\n' +
    '587 inet n - y - - smtpd\n  -o smtpd_enforce_tls=yes\n';
  assert.deepEqual(both(check({ main, master })), []);
});

test('tls-required-on-mx: a submission service that takes main.cf\'s encrypt is named, and the fix is not preferred', () => {
  const main = `${CERT}smtpd_tls_security_level = encrypt\nsmtp_tls_security_level = may\n`;
  const c = check({ main, master: MINIMAL_MASTER + 'submission inet n - y - - smtpd\n  -o smtpd_sasl_auth_enable=yes\n' });
  const f = one(c.main, MX);
  assert.match(f.message, /The service `submission` takes the same value from main\.cf: give it `-o smtpd_tls_security_level=encrypt`/);
  assert.equal(f.fixes?.[0].preferred, false);
});

test('tls-required-on-mx: -o overrides are honoured both ways', () => {
  const main = `${CERT}smtpd_tls_security_level = encrypt\nsmtp_tls_security_level = may\n`;
  // main.cf says encrypt, but the port-25 service takes may: nothing to report.
  const mayOnMx = MINIMAL_MASTER.replace(/^(smtp +inet .*smtpd)$/m, '$1\n  -o smtpd_tls_security_level=may') + SUBMISSION;
  assert.deepEqual(both(check({ main, master: mayOnMx })), []);
  // main.cf says may, the port-25 service's own -o says encrypt: reported on the -o, fixed there.
  const encryptOnMx = MINIMAL_MASTER.replace(/^(smtp +inet .*smtpd)$/m, '$1\n  -o smtpd_tls_security_level=encrypt');
  const c = check({ main: `${CERT}smtpd_tls_security_level = may\nsmtp_tls_security_level = may\n`, master: encryptOnMx });
  assert.deepEqual(tls(c.main), []);
  const f = one(c.master, MX);
  assert.deepEqual(r(f.range), [1, 5, 1, 29]);
  assert.match(f.message, /`-o smtpd_tls_security_level=encrypt` of the service `smtp`/);
  assert.match(fixMaster(c, f.fixes![0]), /^ {2}-o smtpd_tls_security_level=may$/m);
});

test('tls-required-on-mx: the old smtpd_enforce_tls = yes, in main.cf and as -o; the fix writes the level', () => {
  const main = `${CERT}smtpd_use_tls = yes\nsmtpd_enforce_tls = yes\nsmtp_tls_security_level = may\n`;
  const c = check({ main, master: MINIMAL_MASTER });
  const f = one(c.main, MX);
  assert.deepEqual(r(f.range), [3, 0, 3, 17]);
  assert.match(f.message, /`smtpd_enforce_tls = yes` in main\.cf \(the old form of `smtpd_tls_security_level = encrypt`\)/);
  const fixed = fixMain(c, f.fixes![0]);
  assert.match(fixed, /^smtpd_tls_security_level = may$/m);
  assert.deepEqual(withCode(check({ main: fixed, master: MINIMAL_MASTER }).main, MX), []);
  // An empty level in main.cf is where the fix writes may (else that line would win).
  const withEmpty = check({ main: `${CERT}smtpd_enforce_tls = yes\nsmtpd_tls_security_level =\n`, master: MINIMAL_MASTER });
  const fixedEmpty = fixMain(withEmpty, one(withEmpty.main, MX).fixes![0]);
  assert.deepEqual(withCode(check({ main: fixedEmpty, master: MINIMAL_MASTER }).main, MX), []);
  // As -o of the port-25 service.
  const master = MINIMAL_MASTER.replace(/^(smtp +inet .*smtpd)$/m, '$1\n  -o smtpd_enforce_tls=yes');
  const m = check({ main: `${CERT}smtp_tls_security_level = may\n`, master });
  const g = one(m.master, MX);
  const fixedMaster = fixMaster(m, g.fixes![0]);
  assert.match(fixedMaster, /^ {2}-o smtpd_tls_security_level=may$/m);
  assert.deepEqual(withCode(check({ main: m.mainText, master: fixedMaster }).master, MX), []);
});

test('tls-required-on-mx: the smtpd behind postscreen on port 25 (private/$smtpd_service_name)', () => {
  const master = MINIMAL_MASTER.replace(/^smtp +inet .*smtpd$/m, 'smtp      inet  n       -       y       -       1       postscreen\n' +
    'smtpd     pass  -       -       y       -       -       smtpd\ndnsblog   unix  -       -       y       -       0       dnsblog');
  const main = `${CERT}smtpd_tls_security_level = encrypt\nsmtp_tls_security_level = may\n`;
  const f = one(check({ main, master }).main, MX);
  assert.match(f.message, /smtpd service `smtpd` \(behind postscreen on port 25\)/);
  // Another pass service name through -o smtpd_service_name.
  const renamed = master.replace(/^smtp( +inet .*postscreen)$/m, 'smtp$1\n  -o smtpd_service_name=smtpd-in').replace(/^smtpd( +pass)/m, 'smtpd-in$1');
  assert.match(one(check({ main, master: renamed }).main, MX).message, /`smtpd-in` \(behind postscreen/);
});

test('tls-required-on-mx: the port forms of an inet service; loopback-only and wrapper mode are not the MX', () => {
  const main = `${CERT}smtpd_tls_security_level = encrypt\nsmtp_tls_security_level = may\n`;
  const rest = MINIMAL_MASTER.split('\n').slice(1).join('\n');
  for (const name of ['25', '192.0.2.1:smtp', '[2001:db8::1]:25', 'mail.example.com:smtp']) {
    assert.equal(withCode(check({ main, master: `${name} inet n - y - - smtpd\n${rest}` }).main, MX).length, 1, name);
  }
  for (const name of ['127.0.0.1:smtp', '[::1]:25', 'localhost:25', '2525', '127.0.0.1:10025']) {
    assert.deepEqual(withCode(check({ main, master: `${name} inet n - y - - smtpd\n${rest}` }).main, MX), [], name);
  }
  assert.deepEqual(withCode(check({ main: main + 'inet_interfaces = loopback-only\n', master: MINIMAL_MASTER }).main, MX), []);
  assert.deepEqual(withCode(check({ main: main + 'inet_interfaces = 127.0.0.1, [::1]\n', master: MINIMAL_MASTER }).main, MX), []);
  const wrapped = MINIMAL_MASTER.replace(/^(smtp +inet .*smtpd)$/m, '$1\n  -o smtpd_tls_wrappermode=yes');
  assert.deepEqual(withCode(check({ main, master: wrapped }).main, MX), []);
});

test('tls-required-on-mx: values that cannot be judged are left alone; Debian\'s master.cf assumed is said', () => {
  const master = MINIMAL_MASTER;
  for (const main of ['smtpd_tls_security_level = $tls_level\n', 'smtpd_tls_security_level = {{ tls_level }}\n', 'smtpd_enforce_tls = $unknown\n']) {
    assert.deepEqual(withCode(check({ main: CERT + main, master }).main, MX), [], main);
  }
  const alone = one(check({ main: `${CERT}smtpd_tls_security_level = encrypt\n` }).main, MX);
  assert.match(alone.message, /assumed Debian's default master\.cf/);
  // $name expansion to encrypt is judged.
  assert.equal(withCode(check({ main: `${CERT}level = encrypt\nsmtpd_tls_security_level = $level\n`, master }).main, MX).length, 1);
});

// ------------------------------------------------------------------ postfix/tls-without-certificate

test('tls-without-certificate: may without a certificate is a warning, encrypt an error; one finding names every service', () => {
  const may = check({ main: 'smtpd_tls_security_level = may\nsmtp_tls_security_level = may\n', master: MINIMAL_MASTER + 'submission inet n - y - - smtpd\n' });
  const w = one(may.main, NO_CERT);
  assert.equal(w.severity, 'warning');
  assert.deepEqual(r(w.range), [0, 0, 0, 24]);
  assert.match(w.message, /the smtpd services `smtp` and `submission`/);
  assert.match(w.message, /No server certs available\. TLS won't be enabled/);
  assert.match(w.message, /454 4\.7\.0 TLS not available due to local problem/);
  assert.match(w.message, /all mail arrives unencrypted/);
  assert.equal(w.fixes, undefined);
  const enc = one(check({ main: 'smtpd_tls_security_level = encrypt\n', master: MINIMAL_MASTER }).main, NO_CERT);
  assert.equal(enc.severity, 'error');
  assert.match(enc.message, /530 5\.7\.0 Must issue a STARTTLS command first": no mail is accepted there at all/);
  const old = one(check({ main: 'smtpd_use_tls = yes\n', master: MINIMAL_MASTER }).main, NO_CERT);
  assert.equal(old.severity, 'warning');
  assert.deepEqual(r(old.range), [0, 0, 0, 13]);
});

test('tls-without-certificate: a submission service\'s own -o (encrypt, wrapper mode) is reported in master.cf', () => {
  const master = MINIMAL_MASTER + SUBMISSION + 'smtps inet n - y - - smtpd\n  -o smtpd_tls_wrappermode=yes\n';
  const c = check({ main: 'myhostname = mail.example.com\n', master });
  assert.deepEqual(tls(c.main), []);
  const found = withCode(c.master, NO_CERT);
  assert.deepEqual(found.map((f) => [f.severity, r(f.range)]), [['error', [13, 5, 13, 29]], ['error', [16, 5, 16, 26]]]);
  assert.match(found[0].message, /turns on TLS for this service/);
  assert.match(found[1].message, /wrapper mode \(port 465\) and drops every connection/);
  assert.doesNotMatch(found[1].message, /STARTTLS/);
});

test('tls-without-certificate: every way of having a certificate counts, with $name expansion and -o', () => {
  const master = MINIMAL_MASTER + SUBMISSION;
  const ok = [
    CERT,
    'smtpd_tls_cert_file = /etc/ssl/mail.pem\n',
    'smtpd_tls_eccert_file = /etc/ssl/ec.pem\nsmtpd_tls_eckey_file = /etc/ssl/ec.key\n',
    'smtpd_tls_dcert_file = /etc/ssl/dsa.pem\nsmtpd_tls_dkey_file = /etc/ssl/dsa.key\n',
    'smtpd_tls_chain_files = /etc/ssl/key.pem, /etc/ssl/fullchain.pem\n',
    'smtpd_tls_cert_file = none\n',
    'certs = /etc/letsencrypt/live/mail\nsmtpd_tls_cert_file = $certs/fullchain.pem\nsmtpd_tls_key_file = ${certs}/privkey.pem\n',
    // Unknown: not judged.
    'smtpd_tls_cert_file = $cert_from_elsewhere\n',
    'smtpd_tls_cert_file = {{ tls_cert }}\n',
  ];
  for (const certs of ok) {
    assert.deepEqual(withCode(check({ main: `${certs}smtpd_tls_security_level = may\n`, master }).main, NO_CERT), [], certs);
  }
  // The certificate only in the service's -o.
  const own = MINIMAL_MASTER + 'submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n  -o smtpd_tls_chain_files=/etc/ssl/sub.pem\n';
  assert.deepEqual(withCode(check({ main: 'myhostname = a.example\n', master: own }).master, NO_CERT), []);
});

test('tls-without-certificate: a certificate whose key is set to nothing, and a service that empties main.cf\'s certificate', () => {
  const c = check({ main: 'smtpd_tls_cert_file = /etc/ssl/mail.crt\nsmtpd_tls_key_file =\nsmtpd_tls_security_level = may\n', master: MINIMAL_MASTER });
  const f = one(c.main, NO_CERT);
  assert.match(f.message, /`smtpd_tls_cert_file` is set but its private key `smtpd_tls_key_file` is empty/);
  const master = MINIMAL_MASTER + 'submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n  -o smtpd_tls_cert_file=\n';
  const e = check({ main: `${CERT}smtpd_tls_security_level = may\nsmtp_tls_security_level = may\n`, master });
  assert.deepEqual(tls(e.main), []);
  const g = one(e.master, NO_CERT);
  assert.deepEqual(r(g.range), [14, 5, 14, 24]);
  assert.match(g.message, /leaves this service without a certificate/);
});

test('tls-without-certificate: not judged without both files (a main.cf alone may be a snippet; no main.cf: unknown)', () => {
  assert.deepEqual(withCode(check({ main: 'smtpd_tls_security_level = encrypt\n' }).main, NO_CERT), []);
  assert.deepEqual(withCode(check({ master: MINIMAL_MASTER + SUBMISSION }).master, NO_CERT), []);
  // TLS off: no certificate needed.
  const off = check({ main: 'smtpd_tls_security_level = none\nsmtpd_use_tls = yes\n', master: MINIMAL_MASTER });
  assert.deepEqual(withCode(off.main, NO_CERT), []);
});

// ------------------------------------------------------------------ postfix/outbound-tls-off

test('outbound-tls-off: smtp_tls_security_level = none (information), fix sets may', () => {
  const c = check({ main: 'smtp_tls_security_level = none\n', master: MINIMAL_MASTER });
  const f = one(c.main, OUTBOUND);
  assert.equal(f.severity, 'information');
  assert.deepEqual(r(f.range), [0, 0, 0, 23]);
  assert.match(f.message, /all mail you send travels unencrypted/);
  assert.deepEqual(both(check({ main: fixMain(c, f.fixes![0]), master: MINIMAL_MASTER })), []);
  // Also with Debian's master.cf assumed: an explicit none is judged.
  assert.equal(withCode(check({ main: 'smtp_tls_security_level = none\n' }).main, OUTBOUND).length, 1);
  // Empty and the old switch explicitly off.
  const empty = check({ main: 'smtp_tls_security_level =\nsmtp_use_tls = no\n', master: MINIMAL_MASTER });
  const e = one(empty.main, OUTBOUND);
  assert.deepEqual(r(e.range), [0, 0, 0, 23]);
  assert.deepEqual(both(check({ main: fixMain(empty, e.fixes![0]), master: MINIMAL_MASTER })), []);
  const useNo = check({ main: 'smtp_use_tls = no\n', master: MINIMAL_MASTER });
  assert.deepEqual(r(one(useNo.main, OUTBOUND).range), [0, 0, 0, 12]);
});

test('outbound-tls-off: left unset where main.cf sets up TLS; the default of the release and compatibility_level', () => {
  const main = `compatibility_level = 3.6\n${CERT}smtpd_tls_security_level = may\n`;
  const c = check({ main, master: MINIMAL_MASTER });
  const f = one(c.main, OUTBOUND);
  assert.deepEqual(r(f.range), [1, 0, 1, 19]);
  assert.match(f.message, /not `smtp_tls_security_level` for the SMTP client/);
  const fixed = fixMain(c, f.fixes![0]);
  assert.match(fixed, /^smtpd_tls_security_level = may\nsmtp_tls_security_level = may\n$/m);
  assert.deepEqual(both(check({ main: fixed, master: MINIMAL_MASTER })), []);
  // Postfix 3.11 and later: `may` once compatibility_level is 3.11 or more.
  const level311 = main.replace('3.6', '3.11');
  assert.deepEqual(withCode(check({ main: level311, master: MINIMAL_MASTER }).main, OUTBOUND), []);
  assert.deepEqual(withCode(check({ main: level311, master: MINIMAL_MASTER }, '3.11').main, OUTBOUND), []);
  assert.equal(withCode(check({ main: level311, master: MINIMAL_MASTER }, '3.10').main, OUTBOUND).length, 1, 'empty before 3.11');
  assert.equal(withCode(check({ main: level311, master: MINIMAL_MASTER }, '3.7').main, OUTBOUND).length, 1);
  // Unset, but not judged: no master.cf beside (a snippet), or no TLS line at all.
  assert.deepEqual(withCode(check({ main }).main, OUTBOUND), []);
  assert.deepEqual(withCode(check({ main: 'myhostname = mail.example.com\n', master: MINIMAL_MASTER }).main, OUTBOUND), []);
});

test('outbound-tls-off: the old switches, policy maps and the smtp service\'s own -o', () => {
  const tlsLines = `${CERT}smtpd_tls_security_level = may\n`;
  const relayedLocally = ['[127.0.0.1]:10025', '[::1]', 'localhost:2525'].map((h) => `relayhost = ${h}\nsmtp_tls_security_level = none\n`);
  for (const main of ['smtp_use_tls = yes\n', 'smtp_enforce_tls = yes\n', 'smtp_tls_policy_maps = hash:/etc/postfix/tls_policy\nsmtp_tls_security_level = none\n', ...relayedLocally]) {
    assert.deepEqual(withCode(check({ main: tlsLines + main, master: MINIMAL_MASTER }).main, OUTBOUND), [], main);
  }
  assert.equal(withCode(check({ main: `${tlsLines}relayhost = [smtp.example.net]:587\nsmtp_tls_security_level = none\n`, master: MINIMAL_MASTER }).main, OUTBOUND).length, 1);
  // A content filter's smtp service with none (amavis, iRedMail) is normal: only the `smtp` transport counts.
  const filters = MINIMAL_MASTER + 'smtp-amavis unix - - n - 2 smtp\n  -o smtp_tls_security_level=none\n';
  assert.deepEqual(both(check({ main: `${tlsLines}smtp_tls_security_level = may\n`, master: filters })), []);
  // main.cf none, but the smtp transport says may.
  const own = MINIMAL_MASTER.replace(/^(smtp +unix .*smtp)$/m, '$1\n  -o smtp_tls_security_level=may');
  assert.deepEqual(both(check({ main: 'smtp_tls_security_level = none\n', master: own })), []);
  // The smtp transport's own none is reported in master.cf.
  const none = MINIMAL_MASTER.replace(/^(smtp +unix .*smtp)$/m, '$1\n  -o smtp_tls_security_level=none');
  const c = check({ main: `${tlsLines}smtp_tls_security_level = may\n`, master: none });
  assert.deepEqual(tls(c.main), []);
  const f = one(c.master, OUTBOUND);
  assert.match(fixMaster(c, f.fixes![0]), /^ {2}-o smtp_tls_security_level=may$/m);
});
