// Semantic checks of opendkim.conf on their own: option names, values by kind, duplicates,
// and the signing setups OpenDKIM accepts. Exact ranges and applied quick-fixes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, brief, checksOf, uriOf, withCode, workspaceOf } from './checksSupport';

const CONF = '/etc/opendkim.conf';
/** A Socket line keeps opendkim/no-socket out of tests about other things. */
const SOCKET = 'Socket inet:8891@localhost\n';

function check(text: string) {
  const ws = workspaceOf({ [CONF]: text });
  return { ws, findings: checksOf(ws, CONF) };
}

/** The text after applying the finding's fix number `n` (default: the first). */
function fixed(text: string, code: string, n = 0): string {
  const { ws, findings } = check(text);
  const f = withCode(findings, code)[0];
  assert.ok(f, `expected ${code} in ${JSON.stringify(brief(findings))}`);
  assert.ok(f.fixes && f.fixes[n], `${code} has no fix ${n}`);
  return applyFix(ws, uriOf(CONF), f.fixes[n]).get(uriOf(CONF))!;
}

test('a clean Debian-style configuration has no findings', () => {
  const text = 'Syslog\t\t\tyes\nSyslogSuccess\t\tyes\nCanonicalization\trelaxed/simple\nOversignHeaders\t\tFrom\nUserID\t\t\topendkim\nUMask\t\t\t007\nSocket\t\t\tlocal:/run/opendkim/opendkim.sock\nPidFile\t\t\t/run/opendkim/opendkim.pid\nTrustAnchorFile\t\t/usr/share/dns/root.key\n';
  assert.deepEqual(brief(check(text).findings), []);
});

test('option names are case-insensitive', () => {
  assert.deepEqual(brief(check('syslog yes\nSOCKET inet:8891@localhost\nuserid opendkim\n').findings), []);
});

test('opendkim/unknown-option: a misspelt name, with the close names as fixes', () => {
  const text = SOCKET + 'Canonicalisation relaxed/simple\n';
  const { findings } = check(text);
  assert.deepEqual(brief(findings), ['error opendkim/unknown-option 1:0-1:16']);
  assert.match(findings[0].message, /does not know the option "Canonicalisation".*unrecognized parameter.*Did you mean Canonicalization\?/);
  assert.equal(fixed(text, 'opendkim/unknown-option'), SOCKET + 'Canonicalization relaxed/simple\n');
  assert.equal(findings[0].fixes![0].preferred, true);
});

test('opendkim/unknown-option: TrustedHosts is a file name, not an option', () => {
  const text = SOCKET + 'TrustedHosts /etc/opendkim/TrustedHosts\n';
  const { findings } = check(text);
  assert.deepEqual(brief(findings), ['error opendkim/unknown-option 1:0-1:12']);
  assert.match(findings[0].message, /no TrustedHosts option/);
  assert.equal(fixed(text, 'opendkim/unknown-option'), SOCKET + 'InternalHosts /etc/opendkim/TrustedHosts\n');
  assert.equal(fixed(text, 'opendkim/unknown-option', 1), SOCKET + 'ExternalIgnoreList /etc/opendkim/TrustedHosts\n');
});

test('opendkim/unknown-option: an option Debian builds without', () => {
  const text = SOCKET + 'IdentityHeader X-Sender\n';
  const { findings } = check(text);
  assert.deepEqual(brief(findings), ['error opendkim/unknown-option 1:0-1:14']);
  assert.match(findings[0].message, /_FFR_IDENTITY_HEADER/);
  assert.equal(fixed(text, 'opendkim/unknown-option'), SOCKET);
});

test('no unknown-option on top of a syntax error in the name', () => {
  const { ws } = check('Socket=inet:8891@localhost\n');
  const all = brief(checksOf(ws, CONF));
  assert.ok(!all.some((f) => f.includes('unknown-option')), all.join(';'));
});

test('opendkim/bad-boolean: only the first character counts', () => {
  assert.deepEqual(brief(check(SOCKET + 'Syslog nope\nSubDomains True\nAutoRestart 0\n').findings), []);
  const text = SOCKET + 'Syslog on\n';
  assert.deepEqual(brief(check(text).findings), ['error opendkim/bad-boolean 1:7-1:9']);
  assert.equal(fixed(text, 'opendkim/bad-boolean'), SOCKET + 'Syslog yes\n');
  assert.equal(fixed(SOCKET + 'Syslog off\n', 'opendkim/bad-boolean'), SOCKET + 'Syslog no\n');
  const unknown = check(SOCKET + 'Syslog maybe\n').findings;
  assert.deepEqual(unknown[0].fixes!.map((f) => f.title), ['Write yes', 'Write no']);
});

test('opendkim/bad-boolean is reported on every line, even one a later line overrides', () => {
  assert.deepEqual(brief(withCode(check(SOCKET + 'Syslog on\nSyslog yes\n').findings, 'opendkim/bad-boolean')), ['error opendkim/bad-boolean 1:7-1:9']);
});

test('opendkim/bad-integer: what C strtol(…, 0) reads whole', () => {
  assert.deepEqual(brief(check(SOCKET + 'DNSTimeout 5\nUMask 007\nUMask 0x1F\nClockDrift -1\n').findings.filter((f) => f.code !== 'opendkim/duplicate-option')), []);
  const octal = check(SOCKET + 'UMask 008\n').findings;
  assert.deepEqual(brief(octal), ['error opendkim/bad-integer 1:6-1:9']);
  assert.match(octal[0].message, /octal number, which has no digits 8 or 9/);
  const unit = SOCKET + 'DNSTimeout 5s\n';
  assert.deepEqual(brief(check(unit).findings), ['error opendkim/bad-integer 1:11-1:13']);
  assert.equal(fixed(unit, 'opendkim/bad-integer'), SOCKET + 'DNSTimeout 5\n');
});

test('opendkim/umask-decimal: UMask without a leading 0 is decimal', () => {
  const text = SOCKET + 'UMask 22\n';
  const { findings } = check(text);
  assert.deepEqual(brief(findings), ['warning opendkim/umask-decimal 1:6-1:8']);
  assert.match(findings[0].message, /decimal number 22 \(octal 026\)/);
  assert.equal(fixed(text, 'opendkim/umask-decimal'), SOCKET + 'UMask 022\n');
  assert.deepEqual(brief(check(SOCKET + 'UMask 7\nUMask 89\n').findings.filter((f) => f.code === 'opendkim/umask-decimal')), []);
});

test('opendkim/bad-mode: only the lower-case letters s and v', () => {
  assert.deepEqual(brief(check(SOCKET + 'Mode sv\n').findings), []);
  assert.deepEqual(brief(check(SOCKET + 'Mode vs\n').findings), []);
  const upper = SOCKET + 'Mode SV\n';
  assert.deepEqual(brief(check(upper).findings), ['error opendkim/bad-mode 1:5-1:7']);
  assert.equal(fixed(upper, 'opendkim/bad-mode'), SOCKET + 'Mode sv\n');
  assert.equal(fixed(SOCKET + 'Mode signer\n', 'opendkim/bad-mode'), SOCKET + 'Mode s\n');
  assert.equal(fixed(SOCKET + 'Mode verify\n', 'opendkim/bad-mode'), SOCKET + 'Mode v\n');
  assert.match(check(SOCKET + 'Mode x\n').findings[0].message, /"x" is not a mode letter/);
});

test('string values are judged on the line in effect only (the last one)', () => {
  const { findings } = check(SOCKET + 'Mode x\nMode sv\n');
  assert.deepEqual(brief(findings), ['warning opendkim/duplicate-option 1:0-1:4']);
  assert.deepEqual(brief(check(SOCKET + 'Mode sv\nMode x\n').findings), ['error opendkim/bad-mode 2:5-2:6', 'warning opendkim/duplicate-option 1:0-1:4']);
});

test('opendkim/bad-canonicalization: header/body, each relaxed or simple', () => {
  assert.deepEqual(brief(check(SOCKET + 'Canonicalization Relaxed/SIMPLE\n').findings), []);
  assert.deepEqual(brief(check(SOCKET + 'Canonicalization relaxed\n').findings), []);
  const body = SOCKET + 'Canonicalization relaxed/simpel\n';
  assert.deepEqual(brief(check(body).findings), ['error opendkim/bad-canonicalization 1:25-1:31']);
  assert.equal(fixed(body, 'opendkim/bad-canonicalization'), SOCKET + 'Canonicalization relaxed/simple\n');
  const header = SOCKET + 'Canonicalization relax\n';
  assert.deepEqual(brief(check(header).findings), ['error opendkim/bad-canonicalization 1:17-1:22']);
  assert.equal(fixed(header, 'opendkim/bad-canonicalization'), SOCKET + 'Canonicalization relaxed\n');
  assert.deepEqual(brief(check(SOCKET + 'Canonicalization relaxed/\n').findings), ['error opendkim/bad-canonicalization 1:24-1:25']);
  assert.deepEqual(brief(check(SOCKET + 'Canonicalization relaxed/simple/x\n').findings), ['error opendkim/bad-canonicalization 1:25-1:33']);
});

test('opendkim/deprecated-signature-algorithm and opendkim/unknown-signature-algorithm', () => {
  assert.deepEqual(brief(check(SOCKET + 'SignatureAlgorithm ed25519-sha256\nCanonicalization relaxed/simple\n').findings), []);
  const sha1 = SOCKET + 'SignatureAlgorithm rsa-sha1\n';
  const f = check(sha1).findings;
  assert.deepEqual(brief(f), ['warning opendkim/deprecated-signature-algorithm 1:19-1:27']);
  assert.match(f[0].message, /RFC 8301/);
  assert.equal(fixed(sha1, 'opendkim/deprecated-signature-algorithm'), SOCKET + 'SignatureAlgorithm rsa-sha256\n');
  const unknown = SOCKET + 'SignatureAlgorithm rsa-sha-256\n';
  assert.deepEqual(brief(check(unknown).findings), ['error opendkim/unknown-signature-algorithm 1:19-1:30']);
  assert.equal(fixed(unknown, 'opendkim/unknown-signature-algorithm'), SOCKET + 'SignatureAlgorithm rsa-sha256\n');
});

test('opendkim/bad-value: On-* actions (ignored by OpenDKIM 2.11), key actions, Minimum, AutoRestartRate', () => {
  const handling = SOCKET + 'On-BadSignature rejekt\n';
  const h = check(handling).findings;
  assert.deepEqual(brief(h), ['warning opendkim/bad-value 1:16-1:22']);
  assert.match(h[0].message, /silently ignores it: the default action \(accept\) applies/);
  assert.equal(fixed(handling, 'opendkim/bad-value'), SOCKET + 'On-BadSignature reject\n');
  assert.deepEqual(brief(check(SOCKET + 'On-Default r\nOn-NoSignature Accept\n').findings), []);
  assert.deepEqual(brief(check(SOCKET + 'BogusKey ignore\n').findings), ['error opendkim/bad-value 1:9-1:15']);
  assert.deepEqual(brief(check(SOCKET + 'Minimum 50%\nAutoRestart yes\nAutoRestartRate 10/1h\n').findings), []);
  assert.deepEqual(brief(check(SOCKET + 'Minimum 150%\n').findings), ['error opendkim/bad-value 1:8-1:12']);
  assert.deepEqual(brief(check(SOCKET + 'AutoRestart yes\nAutoRestartRate 10/hour\n').findings), ['error opendkim/bad-value 2:16-2:23']);
  assert.deepEqual(brief(check(SOCKET + 'AutoRestartRate 10\n').findings), ['warning opendkim/bad-value 1:16-1:18']);
});

test('opendkim/unknown-syslog-facility: an error when Syslog is on (OpenDKIM crashes)', () => {
  const text = SOCKET + 'Syslog yes\nSyslogFacility mial\n';
  const { findings } = check(text);
  assert.deepEqual(brief(findings), ['error opendkim/unknown-syslog-facility 2:15-2:19']);
  assert.equal(fixed(text, 'opendkim/unknown-syslog-facility'), SOCKET + 'Syslog yes\nSyslogFacility mail\n');
  assert.deepEqual(brief(check(SOCKET + 'SyslogFacility mial\n').findings), ['warning opendkim/unknown-syslog-facility 1:15-1:19']);
  assert.deepEqual(brief(check(SOCKET + 'Syslog yes\nSyslogFacility LOCAL3\n').findings), []);
});

test('opendkim/dataset-type-not-built: dataset types Debian leaves out', () => {
  const { findings } = check(SOCKET + 'InternalHosts repute:example\n');
  assert.deepEqual(brief(findings), ['error opendkim/dataset-type-not-built 1:14-1:20']);
  assert.deepEqual(brief(check(SOCKET + 'InternalHosts memcache:localhost\n').findings), []);
});

test('opendkim/wildcard-without-refile: *.domain in an inline host list', () => {
  const text = SOCKET + 'InternalHosts 127.0.0.1, *.example.com\n';
  const { findings } = check(text);
  assert.deepEqual(brief(findings), ['warning opendkim/wildcard-without-refile 1:25-1:38']);
  assert.equal(fixed(text, 'opendkim/wildcard-without-refile'), SOCKET + 'InternalHosts 127.0.0.1, .example.com\n');
});

test('opendkim/duplicate-option: the last line wins', () => {
  const text = 'Socket local:/run/opendkim/opendkim.sock\nSyslog yes\nSocket inet:8891@localhost\n';
  const { findings } = check(text);
  assert.deepEqual(brief(findings), ['warning opendkim/duplicate-option 0:0-0:6']);
  assert.match(findings[0].message, /set again on line 3 \(inet:8891@localhost\).*uses the last setting/);
  assert.equal(findings[0].related![0].range.start.line, 2);
  assert.equal(fixed(text, 'opendkim/duplicate-option'), 'Syslog yes\nSocket inet:8891@localhost\n');
  const same = check(SOCKET + 'Syslog yes\nsyslog yes\n').findings;
  assert.deepEqual(brief(same), ['information opendkim/duplicate-option 1:0-1:6']);
  assert.equal(same[0].fixes![0].preferred, true);
});

test('opendkim/ignored-with-keytable: KeyFile, Selector and Domain next to a KeyTable', () => {
  const text = SOCKET + 'Domain example.com\nSelector mail\nKeyFile /etc/opendkim/mail.private\nKeyTable /etc/opendkim/KeyTable\nSigningTable refile:/etc/opendkim/SigningTable\n';
  const { findings } = check(text);
  assert.deepEqual(brief(findings), [
    'warning opendkim/ignored-with-keytable 3:0-3:7',
    'warning opendkim/ignored-with-keytable 2:0-2:8',
    'warning opendkim/ignored-with-keytable 1:0-1:6',
  ]);
  assert.equal(findings[0].related![0].range.start.line, 4);
  assert.equal(fixed(text, 'opendkim/ignored-with-keytable'), SOCKET + 'Domain example.com\nSelector mail\nKeyTable /etc/opendkim/KeyTable\nSigningTable refile:/etc/opendkim/SigningTable\n');
});

test('opendkim/keyfile-selector-pair and opendkim/domain-without-keyfile in signing mode', () => {
  assert.deepEqual(brief(check(SOCKET + 'Domain example.com\nSelector mail\nKeyFile /etc/dkimkeys/mail.private\n').findings), []);
  assert.deepEqual(brief(check(SOCKET + 'Selector mail\n').findings), ['error opendkim/keyfile-selector-pair 1:0-1:8']);
  assert.deepEqual(brief(check(SOCKET + 'KeyFile /etc/dkimkeys/mail.private\n').findings), ['error opendkim/keyfile-selector-pair 1:0-1:7']);
  assert.deepEqual(brief(check(SOCKET + 'Domain example.com\n').findings), ['error opendkim/domain-without-keyfile 1:0-1:6']);
  // Verify-only: nothing is signed, so OpenDKIM does not ask for a key.
  assert.deepEqual(brief(check(SOCKET + 'Mode v\nSelector mail\nDomain example.com\n').findings), []);
});

test('opendkim/signingtable-without-keytable and opendkim/keytable-without-signingtable', () => {
  assert.deepEqual(brief(check(SOCKET + 'SigningTable refile:/etc/opendkim/SigningTable\n').findings), ['error opendkim/signingtable-without-keytable 1:0-1:12']);
  // Even verify-only: OpenDKIM opens the SigningTable and then refuses it without a KeyTable.
  assert.deepEqual(brief(check(SOCKET + 'Mode v\nSigningTable /etc/opendkim/SigningTable\n').findings),
    ['error opendkim/signingtable-without-keytable 2:0-2:12', 'warning opendkim/signing-disabled 1:5-1:6']);
  assert.deepEqual(brief(check(SOCKET + 'KeyTable /etc/opendkim/KeyTable\n').findings), ['error opendkim/keytable-without-signingtable 1:0-1:8']);
  assert.deepEqual(brief(check(SOCKET + 'KeyTable /etc/opendkim/KeyTable\nSetupPolicyScript /etc/opendkim/setup.lua\n').findings), []);
  // Verify-only does not need a SigningTable (but its KeyTable signs nothing: see signing-disabled).
  assert.deepEqual(brief(check(SOCKET + 'Mode v\nKeyTable /etc/opendkim/KeyTable\n').findings), ['warning opendkim/signing-disabled 1:5-1:6']);
});

test('opendkim/signing-disabled: Mode without s beside a signing setup signs nothing', () => {
  const text = SOCKET + 'Mode v\nKeyTable /etc/opendkim/KeyTable\nSigningTable refile:/etc/opendkim/SigningTable\n';
  const f = withCode(check(text).findings, 'opendkim/signing-disabled');
  assert.deepEqual(brief(f), ['warning opendkim/signing-disabled 1:5-1:6']);
  assert.match(f[0].message, /Mode v only verifies: .*KeyTable \(line 3\) is never used and outgoing mail carries no DKIM signature/);
  assert.equal(f[0].related![0].range.start.line, 2);
  assert.equal(fixed(text, 'opendkim/signing-disabled'), text.replace('Mode v', 'Mode sv'));
  assert.deepEqual(withCode(check(text.replace('Mode v', 'Mode sv')).findings, 'opendkim/signing-disabled'), []);
  // A single-key setup counts too; verify-only without any signing setup is a verifier, fine.
  assert.deepEqual(brief(withCode(check(SOCKET + 'Mode v\nKeyFile /etc/dkimkeys/mail.private\nSelector mail\n').findings, 'opendkim/signing-disabled')), ['warning opendkim/signing-disabled 1:5-1:6']);
  assert.deepEqual(brief(check(SOCKET + 'Mode v\n').findings), []);
  // No Mode line: OpenDKIM signs and verifies; an unknown letter is bad-mode's business.
  assert.deepEqual(withCode(check(SOCKET + 'KeyTable /etc/opendkim/KeyTable\nSigningTable /etc/opendkim/SigningTable\n').findings, 'opendkim/signing-disabled'), []);
  assert.deepEqual(withCode(check(SOCKET + 'Mode V\nKeyTable /etc/opendkim/KeyTable\nSigningTable /etc/opendkim/SigningTable\n').findings, 'opendkim/signing-disabled'), []);
});

test('checks never throw on junk and tolerate an empty file', () => {
  const junk = ['', '\u0000\u0001', 'x'.repeat(100000), 'Mode\nSocket\n', '\uFEFFSyslog yes\n', 'Canonicalization /\nMinimum %\n', 'KeyTable refile:\nSigningTable file:\n'];
  for (const text of junk) assert.doesNotThrow(() => check(text), JSON.stringify(text.slice(0, 20)));
});

test('a 50 000-line junk file is checked quickly, with findings capped per code', () => {
  let text = '';
  for (let i = 0; i < 50000; i++) text += i % 3 ? `Opt${i} "v"\n` : 'Mode s\n';
  const start = Date.now();
  const { findings } = check(text);
  assert.ok(Date.now() - start < 5000, `took ${Date.now() - start} ms`);
  assert.equal(withCode(findings, 'opendkim/unknown-option').length, 1000);
  assert.equal(withCode(findings, 'opendkim/duplicate-option').length, 1000);
});
