// The live DKIM key check of KeyTable entries (core/dns/keyTableLive.ts) over an in-memory
// resolver: each outcome of the lookup, and that the key file's public key is asked for
// with the path the entry names.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { MemoryResolver, type MemoryRecord } from '../../../server/src/core/dns/memoryResolver';
import { checkKeyTableLive, keyTableDnsNames } from '../../../server/src/core/dns/keyTableLive';

const mine = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' });
const other = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' });
const txt = (...values: string[]): MemoryRecord[] => values.map((v) => ({ type: 'TXT', strings: [v] }));
const key = (der: Buffer, extra = '') => `v=DKIM1; ${extra}k=rsa; p=${der.toString('base64')}`;

async function check(table: string, records: Record<string, MemoryRecord[]>) {
  const ws = new Workspace();
  const doc = ws.setOpen('file:///srv/opendkim/KeyTable', 'opendkim-keytable', table, 1);
  const asked: string[] = [];
  const findings = await checkKeyTableLive({ doc, workspace: ws, settings: DEFAULT_SETTINGS }, new MemoryResolver(records), (ref) => {
    asked.push(ref.path);
    return new Uint8Array(mine);
  });
  return { findings: findings.map((f) => ({ code: f.code, line: f.range.start.line, severity: f.severity })), asked, raw: findings };
}

const LINE = (s: string, d = 'example.org') => `${s}._domainkey.${d} ${d}:${s}:/keys/${s}.private\n`;

test('names: selector._domainkey.domain per entry; % and incomplete entries are skipped', () => {
  const ws = new Workspace();
  const doc = ws.setOpen('file:///srv/KeyTable', 'opendkim-keytable', LINE('Mail', 'Example.ORG.') + 'k2 %:s1:/keys/a.private\nk3 example.org\n', 1);
  const names = keyTableDnsNames({ doc, workspace: ws, settings: DEFAULT_SETTINGS });
  assert.deepEqual(names.map((n) => n.name), ['mail._domainkey.example.org']);
  assert.equal(names[0].keyFile?.path, '/keys/Mail.private');
  assert.equal(names[0].range.start.character, 'Mail._domainkey.Example.ORG. '.length);
});

test('matching key: no finding; the key file is asked for', async () => {
  const r = await check(LINE('good'), { 'good._domainkey.example.org': txt(key(mine)) });
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.asked, ['/keys/good.private']);
});

test('outcomes: mismatch, not published (NXDOMAIN, NODATA, no key record), several, testing', async () => {
  const r = await check(LINE('bad') + LINE('gone') + LINE('empty') + LINE('spf') + LINE('two') + LINE('test'), {
    'bad._domainkey.example.org': txt(key(other)),
    'empty._domainkey.example.org': [{ type: 'A', value: '192.0.2.1' }],
    'spf._domainkey.example.org': txt('v=spf1 -all'),
    'two._domainkey.example.org': txt(key(mine), key(other)),
    'test._domainkey.example.org': txt(key(mine, 't=y:s; ')),
  });
  assert.deepEqual(r.findings, [
    { code: 'dns/dkim-key-mismatch', line: 0, severity: 'error' },
    { code: 'dns/dkim-not-published', line: 1, severity: 'error' },
    { code: 'dns/dkim-not-published', line: 2, severity: 'error' },
    { code: 'dns/dkim-not-published', line: 3, severity: 'error' },
    { code: 'dns/dkim-several-records', line: 4, severity: 'warning' },
    { code: 'dns/dkim-testing', line: 5, severity: 'information' },
  ]);
  // The mismatch sits under the key file name.
  assert.equal(r.raw[0].range.start.character, LINE('bad').indexOf('/keys/'));
});

test('failures: one dns/lookup-failed per document, whatever the number of entries', async () => {
  const r = await check(LINE('a') + LINE('b'), {
    'a._domainkey.example.org': [{ type: 'TIMEOUT' }],
    'b._domainkey.example.org': [{ type: 'SERVFAIL' }],
  });
  assert.deepEqual(r.findings, [{ code: 'dns/lookup-failed', line: 0, severity: 'information' }]);
});
