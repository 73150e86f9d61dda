// The one-click DKIM setup's core: suggestions from the workspace, and the plan (zone
// record, KeyTable/SigningTable lines, opendkim.conf lines, files to create, refusals),
// applied to in-memory workspaces and checked again by mailconf's own checks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dkimSelectorConflict, dkimSuggestions, keyDirectoriesFor, planDkimSetup, type DkimSetupPlan } from '../../../server/src/core/stack/dkimSetup';
import { WorkspaceZones } from '../../../server/src/core/dns/zoneResolver';
import type { Workspace } from '../../../server/src/core/stack/workspace';
import { afterEdits, applyEdits, generated, problems, SOA, uriOf, workspaceOf } from './helpers';
import { setOpendkimEnvironment, type KeyFileInfo } from '../../../server/src/core/opendkim/checks/environment';

const NOW = new Date(Date.UTC(2026, 10, 5)); // November 2026
const ZONE = '/etc/bind/db.example.org';
const KEY = '/etc/opendkim/keys/example.org/202611.private';

const STACK = {
  '/etc/opendkim.conf': 'Syslog\t\t\tyes\nSocket\t\t\tlocal:/run/opendkim/opendkim.sock\nKeyTable\t\t/etc/opendkim/key.table\nSigningTable\t\trefile:/etc/opendkim/signing.table\n',
  '/etc/opendkim/key.table': 'mail._domainkey.example.org example.org:mail:/etc/opendkim/keys/example.org/mail.private\n',
  '/etc/opendkim/signing.table': '*@example.org mail._domainkey.example.org\n',
  '/etc/postfix/main.cf': 'myhostname = mail.example.org\nmydomain = example.org\nsmtpd_milters = unix:opendkim/opendkim.sock\nnon_smtpd_milters = $smtpd_milters\n',
  [ZONE]: `$ORIGIN example.org.\n$TTL 300\n${SOA}@\tIN\tMX\t10 mail\nmail\tIN\tA\t192.0.2.25\n`,
};

function plan(ws: Workspace, selector = '202611', domain = 'example.org', keyPath = KEY, zoneUri?: string): DkimSetupPlan {
  return planDkimSetup(ws, { domain, selector, keyPath, generated: generated(domain, selector, keyPath), zoneUri });
}

/** Applies the plan; returns the new workspace and the changed texts. */
function apply(ws: Workspace, p: DkimSetupPlan) {
  const changed = applyEdits(ws, p.edits.edits);
  return { changed, next: afterEdits(ws, changed, p.createFiles) };
}

/** Errors and warnings of every document after the plan: each was there before (the plan adds none). */
function assertNoNewProblems(before: Workspace, after: Workspace): void {
  for (const d of after.all()) {
    const was = new Set(before.get(d.uri) ? problems(before, d.uri) : []);
    assert.deepEqual(problems(after, d.uri).filter((p) => !was.has(p)), [], d.uri);
  }
}

test('suggestions: domains from main.cf, the tables and the zones (most sources first), a year-month selector, the KeyTable\'s key folder', () => {
  const ws = workspaceOf({
    ...STACK,
    '/etc/opendkim/signing.table': '*@example.org mail._domainkey.example.org\n*@lists.example.net lists._domainkey.example.net\n*@* mail._domainkey.example.org\n',
    '/etc/bind/db.example.com': `$ORIGIN example.com.\n$TTL 300\n${SOA}`,
    '/etc/bind/db.2.0.192.in-addr.arpa': '$ORIGIN 2.0.192.in-addr.arpa.\n$TTL 300\n@ IN SOA ns1.example.org. hm.example.org. 1 2 3 4 5\n@ IN NS ns1.example.org.\n25 IN PTR mail.example.org.\n',
  });
  const s = dkimSuggestions(ws, NOW);
  assert.deepEqual(s.domains, ['example.org', 'lists.example.net', 'example.com']);
  assert.equal(s.selector, '202611');
  assert.deepEqual(s.keyDirectories, ['/etc/opendkim/keys/example.org']);
  assert.deepEqual(keyDirectoriesFor(ws, 'example.com'), ['/etc/opendkim/keys/example.com', '/etc/opendkim/keys/example.org'], 'one folder per domain, as the KeyTable does');
  assert.deepEqual(s.algorithms.map((a) => [a.algorithm, a.isDefault]), [['rsa2048', true], ['rsa1024', false], ['rsa3072', false], ['rsa4096', false], ['ed25519', false]]);
  assert.match(s.algorithms.find((a) => a.algorithm === 'ed25519')!.notes.join(' '), /RSA/);
  assert.match(s.algorithms.find((a) => a.algorithm === 'rsa1024')!.notes.join(' '), /weak/i);
});

test('suggestions: a selector already in use gives the day, then a counter; an empty workspace still gets a key folder', () => {
  const ws = workspaceOf({ ...STACK, '/etc/opendkim/key.table': 'a example.org:202611:/k/a.private\nb example.org:20261105:/k/b.private\n' });
  assert.equal(dkimSuggestions(ws, NOW).selector, '20261105-2');
  const empty = dkimSuggestions(workspaceOf({}), NOW);
  assert.deepEqual([empty.domains, empty.selector, empty.keyDirectories], [[], '202611', ['/etc/opendkim/keys']]);
  // Postfix's own default: mydomain is myhostname without its first label.
  assert.deepEqual(dkimSuggestions(workspaceOf({ '/etc/postfix/main.cf': 'myhostname = mx1.mail.example.net\n' }), NOW).domains, ['mail.example.net']);
});

test('plan with tables in place: record in the zone (serial bumped), KeyTable line appended, the SigningTable line names the new key', () => {
  const ws = workspaceOf(STACK);
  const p = plan(ws);
  assert.equal(p.refusal, undefined);
  assert.deepEqual(p.createFiles, []);
  assert.equal(p.zoneUri, uriOf(ZONE));
  assert.deepEqual(p.zoneChoices, [{ uri: uriOf(ZONE), owner: '202611._domainkey', origin: 'example.org.' }]);
  const { changed, next } = apply(ws, p);
  const zone = changed.get(uriOf(ZONE))!;
  assert.match(zone, /2024010102/);
  assert.match(zone, /\n202611\._domainkey\tIN\tTXT\t\( "v=DKIM1; h=sha256; k=rsa; "\n\t  "p=[A-Za-z0-9+/]{250}"\n\t  "[A-Za-z0-9+/=]+" \)/);
  const published = new WorkspaceZones(next).txtSync('202611._domainkey.example.org');
  assert.equal(published?.status === 'ok' && published.records[0].join(''), generated('example.org', '202611', KEY).txtValue);
  assert.equal(changed.get(uriOf('/etc/opendkim/key.table')),
    STACK['/etc/opendkim/key.table'] + `202611._domainkey.example.org example.org:202611:${KEY}\n`);
  assert.equal(changed.get(uriOf('/etc/opendkim/signing.table')), '*@example.org 202611._domainkey.example.org\n', 'the line for *@example.org names the new key');
  assert.ok(!changed.has(uriOf('/etc/opendkim.conf')), 'opendkim.conf already loads both tables');
  assertNoNewProblems(ws, next);
  const notes = p.notes.join('\n');
  assert.match(notes, /rndc reload example\.org/);
  assert.match(notes, /signing\.table line 1 \(\*@example\.org\) now names the new key instead of mail\._domainkey\.example\.org/);
  assert.match(notes, /chown opendkim:opendkim \/etc\/opendkim\/keys\/example\.org\/202611\.private/);
  assert.match(notes, /opendkim-testkey -d example\.org -s 202611/);
  assert.doesNotMatch(notes, /smtpd_milters/, 'main.cf hands mail to OpenDKIM');
});

test('a broader SigningTable pattern that matches first (a catch-all) gets the new line in front of it', () => {
  const ws = workspaceOf({ ...STACK, '/etc/opendkim/signing.table': '*@example.com mail._domainkey.example.com\n* mail._domainkey.example.org\n' });
  const p = plan(ws);
  const { changed, next } = apply(ws, p);
  assert.equal(changed.get(uriOf('/etc/opendkim/signing.table')), '*@example.com mail._domainkey.example.com\n*@example.org 202611._domainkey.example.org\n* mail._domainkey.example.org\n');
  assert.match(p.notes.join('\n'), /goes before "\* mail\._domainkey\.example\.org" \(line 2\), which also matches mail from example\.org and would otherwise win/);
  assertNoNewProblems(ws, next);
});

test('refusals: a selector in the KeyTable or already published in the zone; an identical KeyTable line is kept', () => {
  const ws = workspaceOf(STACK);
  const taken = plan(ws, 'mail');
  assert.match(taken.refusal ?? '', /selector "mail" is already in use for example\.org: key\.table line 1/);
  assert.deepEqual([taken.edits.edits, taken.createFiles], [[], []]);
  const zoned = workspaceOf({ ...STACK, [ZONE]: STACK[ZONE] + 'old._domainkey\tIN\tTXT\t"v=DKIM1; p="\n' });
  assert.match(plan(zoned, 'old').refusal ?? '', /old\._domainkey\.example\.org already has a TXT record in db\.example\.org \(line 8\)/);
  assert.match(dkimSelectorConflict(zoned, 'example.org', 'OLD') ?? '', /already has/);
  assert.equal(dkimSelectorConflict(zoned, 'example.org', 'new'), undefined);
  // The same line (same key file) is already there: no conflict, no duplicate.
  const same = workspaceOf({ ...STACK, '/etc/opendkim/key.table': STACK['/etc/opendkim/key.table'] + `202611._domainkey.example.org   example.org:202611:${KEY}\n` });
  const p = plan(same);
  assert.equal(p.refusal, undefined);
  assert.ok(!p.edits.edits.some((e) => e.uri === uriOf('/etc/opendkim/key.table')));
  const bad = planDkimSetup(ws, { domain: 'example.org', selector: 'bad_selector', keyPath: KEY, generated: generated('example.org', '202611', KEY) });
  assert.match(bad.refusal ?? '', /not usable/);
});

test('Debian\'s opendkim.conf without tables: key.table and signing.table are created in /etc/opendkim and loaded', () => {
  const debian = '# Debian\nSyslog\t\t\tyes\nUserID\t\t\topendkim\nSocket\t\t\tlocal:/run/opendkim/opendkim.sock\n';
  const ws = workspaceOf({ '/etc/opendkim.conf': debian, [ZONE]: STACK[ZONE] });
  const p = plan(ws);
  assert.deepEqual(p.createFiles.map((f) => f.uri), [uriOf('/etc/opendkim/key.table'), uriOf('/etc/opendkim/signing.table')]);
  assert.match(p.createFiles[0].text, new RegExp(`^#.*\\n202611\\._domainkey\\.example\\.org example\\.org:202611:${KEY.replace(/[./]/g, '\\$&')}\\n$`));
  assert.match(p.createFiles[1].text, /\n\*@example\.org 202611\._domainkey\.example\.org\n$/);
  const { changed, next } = apply(ws, p);
  assert.ok(changed.get(uriOf('/etc/opendkim.conf'))!.endsWith('KeyTable\t\t/etc/opendkim/key.table\nSigningTable\t\trefile:/etc/opendkim/signing.table\n'));
  assertNoNewProblems(ws, next);
  // opendkim.conf inside /etc/opendkim/: the tables go beside it.
  const inDir = workspaceOf({ '/etc/opendkim/opendkim.conf': debian });
  assert.deepEqual(plan(inDir).createFiles.map((f) => f.uri), [uriOf('/etc/opendkim/key.table'), uriOf('/etc/opendkim/signing.table')]);
});

test('a SigningTable named CamelCase without a KeyTable: /etc/opendkim/KeyTable is created beside it', () => {
  const ws = workspaceOf({
    '/etc/opendkim.conf': 'Socket inet:8891@localhost\nSigningTable refile:/etc/opendkim/SigningTable\n',
    '/etc/opendkim/SigningTable': '',
  }, { '/etc/opendkim/SigningTable': 'opendkim-signingtable' });
  const p = plan(ws);
  assert.deepEqual(p.createFiles.map((f) => f.uri), [uriOf('/etc/opendkim/KeyTable')]);
  const { changed, next } = apply(ws, p);
  assert.equal(changed.get(uriOf('/etc/opendkim/SigningTable')), '*@example.org 202611._domainkey.example.org\n');
  assert.match(problems(ws, uriOf('/etc/opendkim.conf')).join('\n'), /signingtable-without-keytable/, 'the error the plan repairs');
  assert.deepEqual(problems(next, uriOf('/etc/opendkim.conf')), []);
  assert.match(changed.get(uriOf('/etc/opendkim.conf'))!, /\nKeyTable\t\t\/etc\/opendkim\/KeyTable\n$/);
  assertNoNewProblems(ws, next);
  assert.match(p.notes.join('\n'), /Publish a TXT record named 202611\._domainkey\.example\.org/, 'no zone file: publish at the DNS host');
});

test('a single-key setup (Domain, Selector, KeyFile) moves into the new tables and its three lines are commented out', () => {
  const conf = 'Domain\t\t\texample.org\nSelector\t\told\nKeyFile\t\t\t/etc/dkimkeys/old.private\nSocket\t\t\tlocal:/run/opendkim/opendkim.sock\n';
  const ws = workspaceOf({ '/etc/opendkim.conf': conf });
  const p = plan(ws, '202611', 'example.org', '/etc/dkimkeys/202611.private');
  assert.match(p.createFiles[0].text, /\nold\._domainkey\.example\.org example\.org:old:\/etc\/dkimkeys\/old\.private\n202611\._domainkey/);
  assert.equal(p.createFiles[1].text.split('\n').filter((l) => l.startsWith('*@')).join('|'), '*@example.org 202611._domainkey.example.org');
  const { changed, next } = apply(ws, p);
  assert.match(changed.get(uriOf('/etc/opendkim.conf'))!, /^#Domain\t\t\texample\.org\n#Selector\t\told\n#KeyFile/);
  assert.deepEqual(problems(next, uriOf('/etc/opendkim.conf')), []);
  assert.match(p.notes.join('\n'), /carried over.*keep the old key's DNS record/s);
  // Another domain's single key keeps signing that domain's mail.
  const other = plan(ws, '202611', 'example.net', '/etc/dkimkeys/202611.private');
  assert.match(other.createFiles[1].text, /\*@example\.net 202611\._domainkey\.example\.net\n\*@example\.org old\._domainkey\.example\.org\n$/);
});

test('a plain-file SigningTable gets a domain key (patterns need refile:); a database KeyTable gets a note', () => {
  const ws = workspaceOf({ ...STACK, '/etc/opendkim.conf': STACK['/etc/opendkim.conf'].replace('refile:', ''), '/etc/opendkim/signing.table': 'example.com mail._domainkey.example.com\n' });
  const { changed } = apply(ws, plan(ws));
  assert.equal(changed.get(uriOf('/etc/opendkim/signing.table')), 'example.com mail._domainkey.example.com\nexample.org 202611._domainkey.example.org\n');
  const dsn = workspaceOf({ ...STACK, '/etc/opendkim.conf': 'KeyTable dsn:mysql://u:p@3306+127.0.0.1/mail/table=dkim?keycol=id?datacol=domain,selector,key\nSigningTable refile:/etc/opendkim/signing.table\n' });
  const p = plan(dsn);
  assert.match(p.notes.join('\n'), /The KeyTable is dsn:mysql.*add this entry there yourself/s);
  assert.ok(!p.edits.edits.some((e) => e.uri.endsWith('key.table')) && p.createFiles.length === 0);
});

test('zones: no zone holds the domain (publish at the DNS host, web form value); a chosen file that does not hold it', () => {
  const ws = workspaceOf({ ...STACK, [ZONE]: `$ORIGIN example.com.\n$TTL 300\n${SOA}` });
  const p = plan(ws);
  assert.deepEqual([p.zoneChoices, p.zoneUri], [[], undefined]);
  const g = generated('example.org', '202611', KEY);
  assert.ok(p.notes.some((n) => n.includes('Publish a TXT record named 202611._domainkey.example.org') && n.endsWith(g.webFormValue)));
  assert.ok(!/[" ]/.test(g.webFormValue));
  const chosen = plan(ws, '202611', 'example.org', KEY, uriOf(ZONE));
  assert.match(chosen.notes[0], /db\.example\.org is not a zone file of example\.org/);
  assert.ok(!chosen.edits.edits.some((e) => e.uri === uriOf(ZONE)));
});

// OpenDKIM signs with one SignatureAlgorithm per instance (opendkim/key-algorithm-mismatch).
const ED_KEY = '/etc/opendkim/keys/example.org/ed.private';

test('Ed25519 records go in as well; Mode v and a main.cf without milters are pointed out', () => {
  const ws = workspaceOf({
    ...STACK,
    '/etc/opendkim.conf': STACK['/etc/opendkim.conf'] + 'SignatureAlgorithm\ted25519-sha256\nMode\t\t\tv\n',
    '/etc/postfix/main.cf': 'myhostname = mail.example.org\n',
  });
  const g = generated('example.org', 'ed202611', ED_KEY, 'ed25519');
  const p = planDkimSetup(ws, { domain: 'example.org', selector: 'ed202611', keyPath: ED_KEY, generated: g });
  const { next } = apply(ws, p);
  const published = new WorkspaceZones(next).txtSync('ed202611._domainkey.example.org');
  assert.equal(published?.status === 'ok' && published.records[0].join(''), g.txtValue);
  assert.deepEqual(problems(next, uriOf(ZONE)), []);
  const notes = p.notes.join('\n');
  assert.match(notes, /Mode v.*signs nothing/);
  assert.match(notes, /smtpd_milters/);
  assert.match(notes, /RSA signature/, 'the algorithm\'s own note');
});

function edPlan(ws: Workspace, extra: Partial<Parameters<typeof planDkimSetup>[1]> = {}): DkimSetupPlan {
  return planDkimSetup(ws, { domain: 'example.org', selector: 'ed202611', keyPath: ED_KEY, generated: generated('example.org', 'ed202611', ED_KEY, 'ed25519'), ...extra });
}

test('Ed25519 for an OpenDKIM that signs with rsa-sha256 (the default): the record goes in, the tables are left alone, and why', () => {
  const ws = workspaceOf(STACK);
  const p = edPlan(ws);
  assert.equal(p.refusal, undefined);
  assert.ok(p.tablesRefusal);
  assert.equal(p.notes[0], p.tablesRefusal, 'the reason comes first');
  assert.deepEqual([...new Set(p.edits.edits.map((e) => e.uri))], [uriOf(ZONE)], 'only the zone file is edited');
  assert.deepEqual(p.createFiles, []);
  const m = p.tablesRefusal!;
  assert.match(m, /^The KeyTable and SigningTable were left alone: opendkim\.conf sets no SignatureAlgorithm, so OpenDKIM signs with rsa-sha256\. OpenDKIM signs every message with that one algorithm, whatever the key: with this Ed25519 key it would fail every message the key should sign /);
  assert.equal(p.notes.filter((n) => /RFC 8463/.test(n)).length, 0, 'the general Ed25519 note is not repeated');
  assert.match(m, /"EVP_PKEY_get1_RSA\(\) failed"; by default the mail is deferred with "451 4\.7\.0 resource unavailable"/);
  assert.match(m, /second OpenDKIM instance with SignatureAlgorithm ed25519-sha256, Canonicalization relaxed\/simple \(its Ed25519 signatures fail verification with simple header canonicalization\), only Ed25519 keys, its own KeyTable and SigningTable \(KeyTable: ed202611\._domainkey\.example\.org example\.org:ed202611:\/etc\/opendkim\/keys\/example\.org\/ed\.private; SigningTable \(refile:\): \*@example\.org ed202611\._domainkey\.example\.org\) and its own Socket/);
  assert.match(m, /smtpd_milters and non_smtpd_milters/);
  const { next } = apply(ws, p);
  const published = new WorkspaceZones(next).txtSync('ed202611._domainkey.example.org');
  assert.equal(published?.status, 'ok', 'the DNS record is still offered');
  assertNoNewProblems(ws, next);
  // Also when set explicitly, and said with its line; rsa-sha1 counts as RSA too.
  for (const alg of ['rsa-sha256', 'rsa-sha1']) {
    const explicit = edPlan(workspaceOf({ ...STACK, '/etc/opendkim.conf': STACK['/etc/opendkim.conf'] + `SignatureAlgorithm\t${alg}\n` }));
    assert.match(explicit.tablesRefusal ?? '', new RegExp(`opendkim\\.conf sets SignatureAlgorithm ${alg} \\(line 5\\)`));
  }
  // Not asked to add the lines: the note says not to, instead of "Add to the KeyTable".
  const untouched = edPlan(ws, { updateTables: false });
  assert.match(untouched.notes[0], /^Do not add this key to the KeyTable of this OpenDKIM: /);
  assert.ok(!untouched.notes.some((n) => n.startsWith('Add to the KeyTable')));
});

test('Ed25519 without an opendkim.conf in the workspace: OpenDKIM\'s default is assumed, the KeyTable stays as it is', () => {
  const ws = workspaceOf({ '/etc/opendkim/key.table': STACK['/etc/opendkim/key.table'], [ZONE]: STACK[ZONE] });
  const p = edPlan(ws);
  assert.match(p.tablesRefusal ?? '', /the workspace has no opendkim\.conf, and OpenDKIM signs with rsa-sha256 unless SignatureAlgorithm says otherwise/);
  assert.ok(!p.edits.edits.some((e) => e.uri === uriOf('/etc/opendkim/key.table')));
  // An RSA key goes in as before.
  assert.equal(plan(ws).tablesRefusal, undefined);
  assert.ok(plan(ws).edits.edits.some((e) => e.uri === uriOf('/etc/opendkim/key.table')));
});

test('an OpenDKIM with SignatureAlgorithm ed25519-sha256 takes the Ed25519 key and refuses an RSA one', () => {
  const files = { ...STACK, '/etc/opendkim.conf': STACK['/etc/opendkim.conf'] + 'SignatureAlgorithm\ted25519-sha256\n' };
  const ws = workspaceOf(files);
  const keys: Record<string, KeyFileInfo> = {
    '/etc/opendkim/keys/example.org/mail.private': { exists: true, isFile: true, mode: 0o600, isPrivateKey: true, algorithm: 'ed25519' },
    [ED_KEY]: { exists: true, isFile: true, mode: 0o600, isPrivateKey: true, algorithm: 'ed25519' },
  };
  setOpendkimEnvironment(ws, { keyFileInfo: (ref) => keys[ref.path] });
  const p = edPlan(ws);
  assert.equal(p.tablesRefusal, undefined);
  const { changed, next } = apply(ws, p);
  assert.match(changed.get(uriOf('/etc/opendkim/key.table'))!, /\ned202611\._domainkey\.example\.org example\.org:ed202611:/);
  assert.equal(changed.get(uriOf('/etc/opendkim/signing.table')), '*@example.org ed202611._domainkey.example.org\n');
  setOpendkimEnvironment(next, { keyFileInfo: (ref) => keys[ref.path] });
  assert.deepEqual(problems(next, uriOf('/etc/opendkim/key.table')), [], 'mailconf finds nothing wrong with the result');
  assert.ok(!p.notes.some((n) => /other type/.test(n)));
  // The existing key is RSA: said in a note (the new key itself is fine there).
  const rsaWs = workspaceOf(files);
  setOpendkimEnvironment(rsaWs, { keyFileInfo: (ref) => (ref.path === ED_KEY ? keys[ED_KEY] : { exists: true, isFile: true, mode: 0o600, isPrivateKey: true, algorithm: 'rsa', bits: 2048 }) });
  const mixed = edPlan(rsaWs);
  assert.equal(mixed.tablesRefusal, undefined);
  assert.match(mixed.notes.join('\n'), /The KeyTable of opendkim\.conf also has a key of the other type \(mail\._domainkey\.example\.org\): that OpenDKIM signs with one algorithm only/);
  // An RSA key for this instance: record yes, tables no.
  const r = plan(ws);
  assert.match(r.tablesRefusal ?? '', /^The KeyTable and SigningTable were left alone: opendkim\.conf sets SignatureAlgorithm ed25519-sha256 \(line 5\)\. .*label the signatures a=ed25519-sha256, which no receiver can verify\. .*Add it to the tables of an OpenDKIM instance that signs with rsa-sha256 \(the default\): KeyTable: 202611\._domainkey/);
  assert.deepEqual([...new Set(r.edits.edits.map((e) => e.uri))], [uriOf(ZONE)]);
});

test('suggestions say, before the choice, which key type this OpenDKIM cannot use', () => {
  const notesOf = (ws: Workspace, algorithm: string) => dkimSuggestions(ws, NOW).algorithms.find((a) => a.algorithm === algorithm)!;
  const rsaWs = workspaceOf(STACK);
  const ed = notesOf(rsaWs, 'ed25519');
  assert.match(ed.notes[0], /^opendkim\.conf signs with rsa-sha256 \(the default\): a key of this type is written with its DNS record, but not added to that OpenDKIM's KeyTable and SigningTable\.$/);
  assert.match(ed.label, /OpenDKIM of its own with SignatureAlgorithm ed25519-sha256/);
  assert.match(ed.notes.join(' '), /second OpenDKIM|instance of its own/);
  assert.deepEqual(notesOf(rsaWs, 'rsa2048').notes, []);
  const edWs = workspaceOf({ ...STACK, '/etc/opendkim.conf': STACK['/etc/opendkim.conf'] + 'SignatureAlgorithm ed25519-sha256\n' });
  assert.match(notesOf(edWs, 'rsa2048').notes[0], /^opendkim\.conf signs with ed25519-sha256: /);
  assert.ok(!notesOf(edWs, 'ed25519').notes.some((n) => n.startsWith('opendkim.conf')));
});
