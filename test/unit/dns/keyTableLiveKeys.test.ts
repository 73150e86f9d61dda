// The live DKIM key check (core/dns/keyTableLive.ts) for KeyTable entries that hold the key
// itself (base64 DER or PEM, derived in node/keyTablePublicKeys.ts) or name it by a relative
// path (resolved from opendkim.conf's BaseDirectory, else reported as unresolvable), over the
// in-memory resolver. No output may carry the private key.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { MemoryResolver } from '../../../server/src/core/dns/memoryResolver';
import { checkKeyTableLive, keyTableDnsNames } from '../../../server/src/core/dns/keyTableLive';
import { publicKeyOfInlineKey, publicKeyOfKeyRef } from '../../../server/src/node/keyTablePublicKeys';

const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
const other = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
const spki = (k: crypto.KeyObject) => k.export({ type: 'spki', format: 'der' }) as Buffer;
const pkcs8 = (pair.privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64');
const pkcs1 = (pair.privateKey.export({ type: 'pkcs1', format: 'der' }) as Buffer).toString('base64');
const pemOneLine = (pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string).replace(/\n/g, '');
const record = (k: crypto.KeyObject) => ({ type: 'TXT' as const, strings: [`v=DKIM1; k=rsa; p=${spki(k).toString('base64')}`] });

test('publicKeyOfInlineKey: base64 PKCS#8 and PKCS#1 DER, one-line PEM; junk gives undefined', () => {
  const want = spki(pair.publicKey);
  for (const text of [pkcs8, pkcs1, pemOneLine]) assert.deepEqual(Buffer.from(publicKeyOfInlineKey(text)!), want);
  for (const junk of ['', 'MIIjunk', '/etc/opendkim/keys/a.private', 'x'.repeat(20000), '-----BEGIN PRIVATE KEY-----abc-----END PRIVATE KEY-----']) {
    assert.equal(publicKeyOfInlineKey(junk), undefined, junk.slice(0, 30));
  }
  assert.deepEqual(Buffer.from(publicKeyOfKeyRef({ path: '', inlineKey: pkcs8 })!), want);
  assert.equal(publicKeyOfKeyRef({ path: '/nonexistent/key.private' }), undefined, 'a file without a file: URI is not read');
});

async function check(files: Record<string, string>, table: string, records: ConstructorParameters<typeof MemoryResolver>[0]) {
  const ws = new Workspace();
  for (const [uri, text] of Object.entries(files)) ws.setOnDisk(uri, 'opendkim-conf', text);
  const doc = ws.setOpen('file:///srv/etc/opendkim/KeyTable', 'opendkim-keytable', table, 1);
  const ctx = { doc, workspace: ws, settings: DEFAULT_SETTINGS };
  const asked: Array<{ path: string; uri?: string; inline: boolean }> = [];
  const findings = await checkKeyTableLive(ctx, new MemoryResolver(records), (ref) => {
    asked.push({ path: ref.path, uri: ref.uri, inline: ref.inlineKey !== undefined });
    return publicKeyOfKeyRef(ref.inlineKey !== undefined ? ref : { path: ref.path }) ?? (ref.uri ? new Uint8Array(spki(pair.publicKey)) : undefined);
  });
  return { findings, asked, names: keyTableDnsNames(ctx) };
}

test('an inline key that matches the published one: no finding; one that does not: a mismatch without the key in it', async () => {
  const good = await check({}, `k1 example.org:good:${pkcs8}\n`, { 'good._domainkey.example.org': [record(pair.publicKey)] });
  assert.deepEqual(good.findings, []);
  assert.deepEqual(good.asked, [{ path: '', uri: undefined, inline: true }]);
  const bad = await check({}, `k1 example.org:bad:${pemOneLine}\n`, { 'bad._domainkey.example.org': [record(other.publicKey)] });
  assert.deepEqual(bad.findings.map((f) => [f.code, f.severity]), [['dns/dkim-key-mismatch', 'error']]);
  assert.match(bad.findings[0].message, /not the public half of the private key written in this KeyTable entry/);
  const body = pkcs8.slice(40, 80);
  for (const f of [...bad.findings, ...good.findings]) assert.ok(!f.message.includes(body) && !f.message.includes('PRIVATE KEY'), 'no private key material in a message');
});

const CONF = (base?: string) => `${base ? `BaseDirectory ${base}\n` : ''}KeyTable refile:/etc/opendkim/KeyTable\nSigningTable refile:/etc/opendkim/SigningTable\n`;

test('a relative key path is read from BaseDirectory (mapped into the config root for /etc)', async () => {
  const r = await check({ 'file:///srv/etc/opendkim.conf': CONF('/var/lib/opendkim') }, 'k1 example.org:sel:./keys/../keys/sel.private\n', { 'sel._domainkey.example.org': [record(pair.publicKey)] });
  assert.deepEqual(r.names[0].keyFile, { path: './keys/../keys/sel.private', uri: 'file:///var/lib/opendkim/keys/sel.private' });
  assert.equal(r.names[0].keyPathUnresolvable, undefined);
  assert.deepEqual(r.findings, []);
  const etc = await check({ 'file:///srv/etc/opendkim.conf': CONF('/etc/opendkim') }, 'k1 example.org:sel:../dkim/sel.private\n', { 'sel._domainkey.example.org': [record(other.publicKey)] });
  assert.equal(etc.names[0].keyFile?.uri, 'file:///srv/etc/dkim/sel.private');
  assert.deepEqual(etc.findings.map((f) => f.code), ['dns/dkim-key-mismatch']);
});

test('a relative key path without BaseDirectory cannot be resolved: told once the key is published, never compared', async () => {
  const r = await check({ 'file:///srv/etc/opendkim.conf': CONF() }, 'k1 example.org:sel:./keys/sel.private\nk2 example.org:gone:./keys/gone.private\n', { 'sel._domainkey.example.org': [record(pair.publicKey)] });
  assert.equal(r.names[0].keyPathUnresolvable, true);
  assert.deepEqual(r.findings.map((f) => [f.code, f.severity, f.range.start.line]), [['dns/dkim-key-unresolvable', 'information', 0], ['dns/dkim-not-published', 'error', 1]]);
  assert.match(r.findings[0].message, /BaseDirectory/);
  assert.match(r.findings[0].message, /\/keys\/sel\.private/);
  assert.deepEqual(r.asked, [], 'no key was derived for an unknown file');
  // The same table without any opendkim.conf in the workspace: no BaseDirectory known either.
  const alone = await check({}, 'k1 example.org:sel:../sel.private\n', { 'sel._domainkey.example.org': [record(pair.publicKey)] });
  assert.deepEqual(alone.findings.map((f) => f.code), ['dns/dkim-key-unresolvable']);
});
