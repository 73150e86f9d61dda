// opendkim/key-not-in-zone and opendkim/key-mismatch-zone through the built CLI: `mailconf
// check` on a copy of /etc with a real private key file (read from disk, its public half
// derived by the CLI) and a zone file: the key published → nothing; no record → the warning
// on the KeyTable; another key → the error on the KeyTable and on the zone's record. No piece
// of the private key in any output.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempTree, runCli } from './builtCli';

const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

function record(key: crypto.KeyObject): string {
  const p = (key.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64');
  return `mail._domainkey IN TXT ( "v=DKIM1; h=sha256; k=rsa; "\n          "p=${p.slice(0, 250)}"\n          "${p.slice(250)}" )\n`;
}

const zone = (extra: string) => `$ORIGIN example.org.
$TTL 3600
@     IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 3600
      IN NS  ns1
      IN MX  10 mail
      IN TXT "v=spf1 mx -all"
_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:postmaster@example.org"
ns1   IN A   192.0.2.53
mail  IN A   192.0.2.25
${extra}`;

interface JsonFinding { line: number; column: number; code: string; severity: string; message: string }

function check(zoneText: string, t: { after: (f: () => void) => void }) {
  const root = makeTempTree('mailconf-keytable-zones-', {
    'etc/opendkim.conf': 'Syslog yes\nSocket inet:8891@localhost\nKeyTable refile:/etc/opendkim/KeyTable\nSigningTable refile:/etc/opendkim/SigningTable\n',
    'etc/opendkim/KeyTable': 'mail._domainkey.example.org example.org:mail:/etc/opendkim/keys/mail.private\n',
    'etc/opendkim/SigningTable': '*@example.org mail._domainkey.example.org\n',
    'zones/example.org.zone': zoneText,
  });
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, 'etc/opendkim/keys'), { mode: 0o700 });
  fs.writeFileSync(path.join(root, 'etc/opendkim/keys/mail.private'), PEM, { mode: 0o600 });
  const json = runCli(['check', '--format', 'json', '--config-root', 'etc', '.'], root);
  const text = runCli(['check', '--no-color', '--config-root', 'etc', '.'], root);
  for (const r of [json, text]) {
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const body = PEM.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    for (let i = 64; i + 40 <= body.length; i += 20) assert.ok(!(r.stdout + r.stderr).includes(body.slice(i, i + 40)), 'no piece of the private key');
  }
  const files = (JSON.parse(json.stdout) as { files: Array<{ path: string; findings: JsonFinding[] }> }).files;
  const of = (p: string) => (files.find((f) => f.path === p)?.findings ?? []).filter((f) => f.code.startsWith('opendkim/key-') && f.code.endsWith('-zone'));
  return { table: of('etc/opendkim/KeyTable'), zone: of('zones/example.org.zone'), text: text.stdout };
}

test('the zone publishes the key file\'s public half: mailconf check says nothing about it', (t) => {
  const r = check(zone(record(pair.publicKey)), t);
  assert.deepEqual([r.table, r.zone], [[], []]);
});

test('no record at the selector: key-not-in-zone on the KeyTable entry', (t) => {
  const r = check(zone(''), t);
  assert.deepEqual(r.table.map((f) => [f.line, f.column, f.severity, f.code]), [[1, 29, 'warning', 'opendkim/key-not-in-zone']]);
  assert.match(r.table[0].message, /^The zone file example\.org\.zone in this workspace \(zone example\.org\) publishes no DKIM key at `mail\._domainkey\.example\.org`/);
  assert.deepEqual(r.zone, []);
  assert.ok(r.text.split('\n').some((l) => l.includes('etc/opendkim/KeyTable:1:29') && l.includes('opendkim/key-not-in-zone')), r.text);
});

test('another key at the selector: key-mismatch-zone on the KeyTable\'s key path and on the zone\'s p=', (t) => {
  const r = check(zone(record(other.publicKey)), t);
  assert.deepEqual(r.table.map((f) => [f.line, f.column, f.severity, f.code]), [[1, 46, 'error', 'opendkim/key-mismatch-zone']]);
  assert.match(r.table[0].message, /that is not the public half of \/etc\/opendkim\/keys\/mail\.private, the key this entry signs with/);
  assert.deepEqual(r.zone.map((f) => [f.line, f.column, f.severity, f.code]), [[11, 12, 'error', 'opendkim/key-mismatch-zone']]);
  assert.match(r.zone[0].message, /KeyTable entry mail\._domainkey\.example\.org \(KeyTable line 1\) names \/etc\/opendkim\/keys\/mail\.private/);
});
