// opendkim/key-not-in-zone and opendkim/key-mismatch-zone: the keys a KeyTable signs with
// against the DKIM key records of the workspace's zone files, offline, over in-memory /etc
// trees whose key files are described as a front end describes them (KeyFileInfo with the
// public half, publicKeyDer). Every branch: match, absent name, name without TXT, TXT without
// a key, another key (both sides, each pointing at the other), several records, revoked and
// broken keys, what is not judged, the quick-fixes applied and checked again, no key material.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { ROOT, applyFix, diagnoseFile, r, uriOf, workspaceOf } from '../opendkim/checksSupport';
import { setOpendkimEnvironment, type KeyFileInfo, type OpendkimEnvironment } from '../../../server/src/core/opendkim/checks/environment';
import { keyTableZoneProblems, KEY_MISMATCH_ZONE, KEY_NOT_IN_ZONE } from '../../../server/src/core/stack/keyTableZones';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import type { Finding } from '../../../server/src/core/types';
import { diskOpendkimEnvironment } from '../../../server/src/node/opendkimEnvironment';
import type { Workspace } from '../../../server/src/core/stack/workspace';

const MINE = [KEY_NOT_IN_ZONE, KEY_MISMATCH_ZONE];
const TABLE = '/etc/opendkim/KeyTable';
const ZONE = '/etc/bind/db.example.org';
const KEY = '/etc/opendkim/keys/mail.private';

const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const ed = crypto.generateKeyPairSync('ed25519');
const spki = (k: crypto.KeyObject) => new Uint8Array(k.export({ type: 'spki', format: 'der' }));
const b64 = (k: crypto.KeyObject) => Buffer.from(spki(k)).toString('base64');
/** An RSA key record as opendkim-genkey writes it (strings of 250 characters). */
const rsaRecord = (k: crypto.KeyObject, owner = 'mail._domainkey') => {
  const p = b64(k);
  return `${owner}\tIN\tTXT\t( "v=DKIM1; h=sha256; k=rsa; "\n\t  "p=${p.slice(0, 250)}"\n\t  "${p.slice(250)}" )\n`;
};
const edRecord = (k: crypto.KeyObject) => `mail._domainkey IN TXT "v=DKIM1; k=ed25519; p=${Buffer.from(spki(k)).subarray(12).toString('base64')}"\n`;

const CONF = 'Syslog yes\nKeyTable refile:/etc/opendkim/KeyTable\nSigningTable refile:/etc/opendkim/SigningTable\nSocket inet:8891@localhost\n';

function zone(extra: string, soa = true): string {
  return `$ORIGIN example.org.
$TTL 3600
${soa ? '@     IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 3600\n' : ''}      IN NS  ns1
      IN MX  10 mail
      IN TXT "v=spf1 mx -all"
_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:postmaster@example.org"
ns1   IN A   192.0.2.53
mail  IN A   192.0.2.25
${extra}`;
}

function facts(publicKey: crypto.KeyObject | undefined, algorithm = 'rsa'): KeyFileInfo {
  const f: KeyFileInfo = { exists: true, isFile: true, mode: 0o600, owner: 'opendkim', group: 'opendkim', isPrivateKey: true, algorithm };
  if (algorithm === 'rsa') f.bits = 2048;
  if (publicKey) f.publicKeyDer = spki(publicKey);
  return f;
}

interface Setup {
  zone: string;
  table?: string;
  signing?: string;
  conf?: string | null;
  keys?: Record<string, KeyFileInfo | undefined>;
  extra?: Record<string, string>;
  env?: Partial<OpendkimEnvironment>;
}

function stack(s: Setup) {
  const files: Record<string, string> = {
    [TABLE]: s.table ?? `mail._domainkey.example.org example.org:mail:${KEY}\n`,
    '/etc/opendkim/SigningTable': s.signing ?? '*@example.org mail._domainkey.example.org\n',
    [ZONE]: s.zone,
    ...(s.extra ?? {}),
  };
  if (s.conf !== null) files['/etc/opendkim.conf'] = s.conf ?? CONF;
  const ws = workspaceOf(files);
  const keys = s.keys ?? { [KEY]: facts(rsa.publicKey) };
  const asked: string[] = [];
  setOpendkimEnvironment(ws, { keyFileInfo: (ref) => { asked.push(`${ref.path} ${ref.uri ?? '-'}`); return keys[ref.path]; }, ...(s.env ?? {}) });
  const mine = (path: string): Finding[] => diagnoseFile(ws, path).filter((f) => MINE.includes(f.code));
  return { ws, mine, asked, all: (path: string) => diagnoseFile(ws, path) };
}

const at = (f: Finding) => `${f.severity} ${f.code} ${r(f.range)}`;

function textAt(ws: Workspace, path: string, f: { range: Finding['range'] }): string {
  const lines = ws.get(uriOf(path))!.analysis.text.split('\n');
  const { start, end } = f.range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.character)].join('\n');
}

/** Writes every text the fix changes back into the workspace. */
function apply(ws: Workspace, ownPath: string, f: Finding, index = 0): void {
  for (const [uri, text] of applyFix(ws, uriOf(ownPath), f.fixes![index])) ws.setOnDisk(uri, ws.get(uri)!.kind, text);
}

test('the zone publishes the key file\'s public half: nothing on either side', () => {
  const s = stack({ zone: zone(rsaRecord(rsa.publicKey)) });
  assert.deepEqual(s.mine(TABLE), []);
  assert.deepEqual(s.all(ZONE), [], 'the zone itself is clean too');
  assert.deepEqual(s.asked.filter((a) => a.startsWith(KEY)).slice(0, 1), [`${KEY} ${ROOT}/opendkim/keys/mail.private`], 'the key file as the KeyTable names it, placed below the root');
});

test('no record at the name: key-not-in-zone on the entry, pointing at the zone\'s SOA; the fix adds the record and bumps the serial', () => {
  const s = stack({ zone: zone('') });
  const [f, ...rest] = s.mine(TABLE);
  assert.deepEqual(rest, []);
  assert.equal(at(f), 'warning opendkim/key-not-in-zone 0:28-0:44');
  assert.equal(textAt(s.ws, TABLE, f), 'example.org:mail', 'domain to selector');
  assert.match(f.message, /^The zone file db\.example\.org in this workspace \(zone example\.org\) publishes no DKIM key at `mail\._domainkey\.example\.org` \(the name does not exist there\)\./);
  assert.match(f.message, /DKIM fails for every message signed with it/);
  assert.deepEqual(f.related!.map((x) => [x.uri, r(x.range)]), [[uriOf(ZONE), '2:9-2:12']]);
  assert.equal(textAt(s.ws, ZONE, f.related![0]), 'SOA');
  assert.equal(f.fixes!.length, 1);
  assert.equal(f.fixes![0].title, `Add the DKIM record of ${KEY} to db.example.org (and increase the SOA serial)`);
  assert.ok(f.fixes![0].edits.every((e) => e.uri === uriOf(ZONE)), 'every edit names the zone file');
  apply(s.ws, TABLE, f);
  const fixed = s.ws.get(uriOf(ZONE))!.analysis.text;
  assert.match(fixed, /2024010102 7200/, 'serial + 1');
  assert.match(fixed, /^mail\._domainkey\tIN\tTXT\t\( "v=DKIM1; h=sha256; k=rsa; "\n\t {2}"p=[A-Za-z0-9+/]{250}"\n\t {2}"[A-Za-z0-9+/=]+" \)$/m, 'opendkim-genkey\'s layout, strings under 255');
  assert.deepEqual(s.mine(TABLE), [], 'the fixed zone publishes the key');
  assert.deepEqual(s.all(ZONE), [], 'and has no finding of its own');
});

test('the name exists without TXT, or has TXT without a DKIM key: key-not-in-zone, a fix only where nothing is at the name', () => {
  const nodata = stack({ zone: zone('mail._domainkey IN A 192.0.2.9\n') });
  const [a] = nodata.mine(TABLE);
  assert.match(a.message, /\(the name has no TXT record there\)/);
  assert.equal(a.fixes?.length, 1);
  const noKey = stack({ zone: zone('mail._domainkey IN TXT "hello"\n') });
  const [b, ...rest] = noKey.mine(TABLE);
  assert.deepEqual(rest, []);
  assert.equal(at(b), 'warning opendkim/key-not-in-zone 0:28-0:44');
  assert.match(b.message, /has TXT records at `mail\._domainkey\.example\.org`, but none holds a DKIM key \(no v=DKIM1 or p=\)/);
  assert.equal(b.fixes, undefined, 'a second TXT beside the first would make two records at the selector');
  assert.equal(textAt(noKey.ws, ZONE, b.related![0]), 'hello');
});

test('another key published: an error on the entry\'s key path and on the p= of the record, each pointing at the other', () => {
  const s = stack({ zone: zone(rsaRecord(other.publicKey)) });
  const [k, ...restK] = s.mine(TABLE);
  assert.deepEqual(restK, []);
  assert.equal(at(k), 'error opendkim/key-mismatch-zone 0:45-0:76');
  assert.equal(textAt(s.ws, TABLE, k), KEY);
  assert.match(k.message, /publishes a DKIM key at `mail\._domainkey\.example\.org` that is not the public half of \/etc\/opendkim\/keys\/mail\.private, the key this entry signs with\./);
  assert.match(k.message, /every signature made with this entry fails/);
  assert.match(k.message, /openssl pkey -in \/etc\/opendkim\/keys\/mail\.private -pubout/);
  assert.equal(k.fixes, undefined, 'the KeyTable side never replaces a published key');
  const [z, ...restZ] = s.mine(ZONE);
  assert.deepEqual(restZ, []);
  assert.equal(at(z), 'error opendkim/key-mismatch-zone 10:4-11:146');
  assert.ok(textAt(s.ws, ZONE, z).startsWith('p=MIIB'), 'the p= tag');
  assert.deepEqual(k.related!.map((x) => [x.uri, r(x.range)]), [[uriOf(ZONE), r(z.range)]]);
  assert.deepEqual(z.related!.map((x) => [x.uri, r(x.range), x.message]), [[uriOf(TABLE), r(k.range), `KeyTable entry mail._domainkey.example.org: signs with ${KEY}`]]);
  assert.match(z.message, /^This DKIM key is not the public half of the key OpenDKIM signs with for `mail\._domainkey\.example\.org`: KeyTable entry mail\._domainkey\.example\.org \(KeyTable line 1\) names \/etc\/opendkim\/keys\/mail\.private\./);
  // The zone side may take the key file's public half; the title says what that costs.
  assert.equal(z.fixes!.length, 1);
  assert.match(z.fixes![0].title, /^Publish the public half of \/etc\/opendkim\/keys\/mail\.private here instead \(mail already signed with the key published now stops verifying\)$/);
  apply(s.ws, ZONE, z);
  const fixed = s.ws.get(uriOf(ZONE))!.analysis.text;
  assert.match(fixed, /2024010102/);
  assert.ok(fixed.replace(/"\s*"/g, '').includes(`p=${b64(rsa.publicKey)}`), 'the key file\'s public half');
  assert.ok(fixed.includes('"v=DKIM1; h=sha256; k=rsa; "'), 'the other tags stay as they were');
  assert.deepEqual(s.mine(TABLE), []);
  assert.deepEqual(s.all(ZONE), []);
});

test('several records: one of them the key → no finding here (dkim/several-records already says it); none → each is reported', () => {
  const one = stack({ zone: zone(rsaRecord(other.publicKey) + rsaRecord(rsa.publicKey)) });
  assert.deepEqual(one.mine(TABLE), []);
  assert.deepEqual(one.mine(ZONE), []);
  assert.ok(one.all(ZONE).some((f) => f.code === 'dkim/several-records'), 'the zone\'s own finding');
  const third = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const none = stack({ zone: zone(rsaRecord(other.publicKey) + rsaRecord(third.publicKey)) });
  const [k, ...rest] = none.mine(TABLE);
  assert.deepEqual(rest, []);
  assert.match(k.message, /publishes 2 DKIM key records at `mail\._domainkey\.example\.org`, none of them the public half of/);
  assert.equal(k.related!.length, 2);
  assert.deepEqual(none.mine(ZONE).map(at), ['error opendkim/key-mismatch-zone 10:4-11:146', 'error opendkim/key-mismatch-zone 13:4-14:146']);
});

test('a revoked key (empty p=) or a broken one while the entry still signs with its key: key-mismatch-zone', () => {
  const revoked = stack({ zone: zone('mail._domainkey IN TXT "v=DKIM1; k=rsa; p="\n') });
  const [k] = revoked.mine(TABLE);
  assert.match(k.message, /revokes the key at `mail\._domainkey\.example\.org` \(empty p=\), while this entry still signs with/);
  const [z] = revoked.mine(ZONE);
  assert.equal(textAt(revoked.ws, ZONE, z), 'p=');
  assert.match(z.message, /^This record revokes the key of `mail\._domainkey\.example\.org` \(empty p=\), but OpenDKIM still signs with it/);
  apply(revoked.ws, ZONE, z);
  assert.deepEqual(revoked.mine(TABLE), [], 'the fix publishes the key again');
  const cut = stack({ zone: zone(`mail._domainkey IN TXT "v=DKIM1; k=rsa; p=${b64(rsa.publicKey).slice(0, 200)}"\n`) });
  const [c] = cut.mine(TABLE);
  assert.match(c.message, /without a key a verifier can use \(see the findings in the zone file\)/);
  assert.ok(cut.all(ZONE).some((f) => f.code === 'dkim/truncated-key'), 'the zone says why');
});

test('Ed25519: matched by the raw key; the fixes write k=ed25519 and the 32-byte key', () => {
  const keys = { [KEY]: facts(ed.publicKey, 'ed25519') };
  assert.deepEqual(stack({ zone: zone(edRecord(ed.publicKey)), keys }).mine(TABLE), []);
  const absent = stack({ zone: zone(''), keys });
  const [a] = absent.mine(TABLE);
  apply(absent.ws, TABLE, a);
  assert.match(absent.ws.get(uriOf(ZONE))!.analysis.text, /"v=DKIM1; k=ed25519; "\n\t {2}"p=[A-Za-z0-9+/]{43}=" \)/);
  assert.deepEqual(absent.mine(TABLE), []);
  // An RSA record replaced by the Ed25519 key: k= follows the key.
  const wrongType = stack({ zone: zone(rsaRecord(rsa.publicKey)), keys });
  const [z] = wrongType.mine(ZONE);
  apply(wrongType.ws, ZONE, z);
  assert.match(wrongType.ws.get(uriOf(ZONE))!.analysis.text, /"v=DKIM1; h=sha256; k=ed25519; p=[A-Za-z0-9+/]{43}="/);
  assert.deepEqual(wrongType.mine(TABLE), []);
});

test('a key written inline in the KeyTable (RSA base64 DER): compared through the front end\'s inlineKeyPublicKey', () => {
  const inline = (rsa.privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64');
  const env = diskOpendkimEnvironment();
  const table = `mail._domainkey.example.org example.org:mail:${inline}\n`;
  const good = stack({ zone: zone(rsaRecord(rsa.publicKey)), table, env: { inlineKeyPublicKey: env.inlineKeyPublicKey } });
  assert.deepEqual(good.mine(TABLE), []);
  const bad = stack({ zone: zone(rsaRecord(other.publicKey)), table, env: { inlineKeyPublicKey: env.inlineKeyPublicKey } });
  const [k] = bad.mine(TABLE);
  assert.match(k.message, /not the public half of the key written inline for "mail\._domainkey\.example\.org"/);
  assert.doesNotMatch(k.message, /openssl pkey/);
  const [z] = bad.mine(ZONE);
  const everything = JSON.stringify([k, z, ...bad.mine(TABLE), ...bad.mine(ZONE)]);
  for (let i = 64; i + 40 <= inline.length; i += 40) assert.ok(!everything.includes(inline.slice(i, i + 40)), 'no piece of the private key in any finding or fix');
  // The memo: the same text is derived once (by digest; the private key is not kept as a map key).
  assert.strictEqual(env.inlineKeyPublicKey!(inline), env.inlineKeyPublicKey!(inline));
  assert.equal(env.inlineKeyPublicKey!('MIIjunk'), undefined);
  // No environment that derives inline keys: the comparison is left out, the absence still told.
  assert.deepEqual(stack({ zone: zone(rsaRecord(other.publicKey)), table }).mine(TABLE), []);
  assert.deepEqual(stack({ zone: zone(''), table }).mine(TABLE).map((f) => [f.code, f.fixes]), [[KEY_NOT_IN_ZONE, undefined]]);
});

test('not judged: incomplete zones, delegations, aliases out of the workspace, names outside the zones, % entries, unused keys', () => {
  const cases: Array<[string, Setup]> = [
    ['a zone without SOA (part of a zone: the record may be elsewhere)', { zone: zone('', false) }],
    ['another key in a zone without SOA', { zone: zone(rsaRecord(other.publicKey), false) }],
    ['a missing $INCLUDE', { zone: zone('$INCLUDE /etc/bind/keys.example.org\n') }],
    ['_domainkey delegated to other servers', { zone: zone('_domainkey IN NS ns.dkim-host.example.net.\n') }],
    ['an alias to a name outside the workspace', { zone: zone('mail._domainkey IN CNAME mail.dkim.provider.example.\n') }],
    ['an alias whose target in the zone has no key', { zone: zone('mail._domainkey IN CNAME keys\nkeys IN A 192.0.2.1\n') }],
    ['a name outside every zone of the workspace', { zone: zone(''), table: `mail._domainkey.example.net example.net:mail:${KEY}\n`, signing: '*@example.net mail._domainkey.example.net\n' }],
    ['% (the sender\'s domain)', { zone: zone(''), table: `mail %:mail:${KEY}\n`, signing: '*@example.org mail\n' }],
    ['a key no SigningTable line picks', { zone: zone(''), signing: '*@example.org other\n', table: `mail._domainkey.example.org example.org:mail:${KEY}\nother example.org:other:${KEY}\n`, extra: {} }],
    ['a key file that does not exist', { zone: zone(''), keys: { [KEY]: { exists: false } } }],
    ['a key file OpenDKIM cannot load', { zone: zone(''), keys: { [KEY]: { ...facts(undefined), isPrivateKey: false, notKeyReason: 'dns-record' } } }],
    ['an inline Ed25519 key (OpenDKIM never loads one)', { zone: zone(''), table: `mail._domainkey.example.org example.org:mail:${(ed.privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64')}\n` }],
  ];
  for (const [name, setup] of cases) {
    const s = stack(setup);
    const found = [...s.mine(TABLE), ...s.mine(ZONE)].filter((f) => !(name.startsWith('a key no') && f.range.start.line === 1));
    assert.deepEqual(found.map(at), [], name);
  }
  // The SigningTable picks "other" but not the first entry: only "other" is judged.
  const picked = stack(cases[8][1]);
  assert.deepEqual(picked.mine(TABLE).map(at), ['warning opendkim/key-not-in-zone 1:6-1:23']);
  // The alias to a key record inside the workspace is followed: a mismatch there is reported at the target.
  const alias = stack({ zone: zone(`mail._domainkey IN CNAME keys\n${rsaRecord(other.publicKey, 'keys')}`) });
  assert.deepEqual(alias.mine(TABLE).map((f) => f.code), [KEY_MISMATCH_ZONE]);
  assert.equal(alias.mine(ZONE)[0].range.start.line, 11);
});

test('the comparison needs the key: unknown facts, no public half, or a relative path without BaseDirectory still get key-not-in-zone, never a mismatch', () => {
  for (const keys of [{}, { [KEY]: facts(undefined) }]) {
    assert.deepEqual(stack({ zone: zone(rsaRecord(other.publicKey)), keys }).mine(TABLE), []);
    const absent = stack({ zone: zone(''), keys }).mine(TABLE);
    assert.deepEqual(absent.map((f) => [f.code, f.fixes]), [[KEY_NOT_IN_ZONE, undefined]], 'the absence does not depend on the key; the fix needs it');
  }
  const relative = { table: 'mail._domainkey.example.org example.org:mail:keys/mail.private\n', keys: { 'keys/mail.private': facts(rsa.publicKey) } };
  // "keys/…" is not a path for OpenDKIM (no leading /, ./ or ../): it is key data, and no RSA key.
  assert.deepEqual(stack({ zone: zone(rsaRecord(other.publicKey)), ...relative }).mine(TABLE), []);
  const dotted = { table: 'mail._domainkey.example.org example.org:mail:./keys/mail.private\n', keys: { './keys/mail.private': facts(rsa.publicKey) } };
  assert.deepEqual(stack({ zone: zone(rsaRecord(other.publicKey)), ...dotted }).mine(TABLE), [], 'no BaseDirectory: the file is unknown');
  assert.deepEqual(stack({ zone: zone(''), ...dotted }).mine(TABLE).map((f) => f.code), [KEY_NOT_IN_ZONE]);
  // With BaseDirectory the relative path is placed and compared.
  const based = stack({ zone: zone(rsaRecord(other.publicKey)), ...dotted, conf: `BaseDirectory /etc/opendkim\n${CONF}` });
  assert.deepEqual(based.mine(TABLE).map((f) => f.code), [KEY_MISMATCH_ZONE]);
});

test('a record in an $INCLUDEd file: the zone-side finding is in that file; the KeyTable points there', () => {
  const s = stack({
    zone: zone('$INCLUDE /etc/bind/dkim.example.org\n'),
    extra: { '/etc/bind/dkim.example.org': rsaRecord(other.publicKey) },
  });
  const [k] = s.mine(TABLE);
  assert.equal(k.code, KEY_MISMATCH_ZONE);
  assert.match(k.message, /^The zone file dkim\.example\.org in this workspace \(zone example\.org\)/);
  assert.deepEqual(s.mine(ZONE), []);
  const [z] = s.mine('/etc/bind/dkim.example.org');
  assert.equal(at(z), 'error opendkim/key-mismatch-zone 1:4-2:146');
  assert.deepEqual(k.related!.map((x) => x.uri), [uriOf('/etc/bind/dkim.example.org')]);
  // The fix edits the record there and the serial in the including file.
  assert.deepEqual(z.fixes![0].edits.map((e) => e.uri ?? 'own'), ['own', uriOf(ZONE)]);
});

test('made once per state of the files and the environment; other KeyTables and zones stay apart', () => {
  const s = stack({ zone: zone(rsaRecord(other.publicKey)) });
  const first = keyTableZoneProblems(s.ws, DEFAULT_SETTINGS);
  assert.strictEqual(keyTableZoneProblems(s.ws, DEFAULT_SETTINGS), first, 'memoized');
  s.asked.length = 0;
  keyTableZoneProblems(s.ws, DEFAULT_SETTINGS);
  assert.deepEqual(s.asked, [], 'no key facts asked again');
  assert.equal(s.mine(TABLE).length + s.mine(ZONE).length, 2, 'both sides from the one result');
  setOpendkimEnvironment(s.ws, { keyFileInfo: () => facts(other.publicKey) });
  assert.deepEqual(s.mine(TABLE), [], 'a new environment (the key file changed) is a new result');
});

test('a zone edit changes the verdict; a suppression comment silences the zone side', () => {
  const s = stack({ zone: zone(rsaRecord(other.publicKey)) });
  assert.equal(s.mine(TABLE).length, 1);
  s.ws.setOnDisk(uriOf(ZONE), 'dns-zone', zone(rsaRecord(rsa.publicKey)));
  assert.deepEqual(s.mine(TABLE), []);
  // The comment goes on the line above the p= tag (inside the parentheses of a long record).
  const small = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
  const oneLine = `mail._domainkey IN TXT "v=DKIM1; k=rsa; p=${b64(small)}"\n`;
  s.ws.setOnDisk(uriOf(ZONE), 'dns-zone', zone(oneLine));
  assert.equal(s.mine(ZONE).length, 1);
  s.ws.setOnDisk(uriOf(ZONE), 'dns-zone', zone(`; mailconf-disable-next-line ${KEY_MISMATCH_ZONE}\n${oneLine}`));
  assert.deepEqual(s.mine(ZONE), []);
  assert.equal(s.mine(TABLE).length, 1, 'the KeyTable side is its own line');
});
