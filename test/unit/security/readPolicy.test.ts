// An untrusted workspace is read only inside its folders (node/readPolicy.ts): with reads
// restricted, nothing the configurations name outside is loaded, opened or even looked at —
// tables, key files (a hostile KeyFile ~/.ssh/id_rsa), systemd drop-ins, the partner of a
// main.cf, files reached through a symlink in the workspace. Unrestricted (a trusted
// workspace, the CLI) all of it is read as before.

import { test, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { restrictReadsTo, mayRead } from '../../../server/src/node/readPolicy';
import { loadFile, loadPostfixPartner, scanFolders } from '../../../server/src/node/loadFiles';
import { attachDiskEnvironment, diskOpendkimEnvironment, loadOpendkimFiles } from '../../../server/src/node/opendkimEnvironment';
import { publicKeyOfKeyFile } from '../../../server/src/node/liveDnsSettings';

const BASE = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-read-policy-'));
const W = path.join(BASE, 'workspace');
const O = path.join(BASE, 'outside');
after(() => fs.rmSync(BASE, { recursive: true, force: true }));
afterEach(() => restrictReadsTo(undefined));

function write(p: string, text: string): string {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text, { mode: 0o600 });
  return p;
}

const key = crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
write(path.join(W, 'opendkim.conf'), `KeyTable refile:${O}/KeyTable\nSigningTable refile:${O}/SigningTable\nInternalHosts ${O}/hosts\nSocket inet:8891@localhost\n`);
write(path.join(W, 'opendkim', 'inside.private'), key);
write(path.join(W, 'postfix', 'main.cf'), 'myhostname = mail.example.org\n');
write(path.join(O, 'KeyTable'), `x._domainkey.example.org example.org:x:${O}/x.private\n`);
write(path.join(O, 'SigningTable'), '*@example.org x._domainkey.example.org\n');
write(path.join(O, 'hosts'), '127.0.0.1\n');
write(path.join(O, 'x.private'), key);
write(path.join(O, 'postfix', 'main.cf'), 'myhostname = outside.example.org\n');
write(path.join(O, 'postfix', 'master.cf'), 'smtp inet n - y - - smtpd\n');
write(path.join(O, 'systemd', 'system', 'opendkim.service.d', 'socket.conf'), '[Service]\n');
fs.symlinkSync(path.join(O, 'KeyTable'), path.join(W, 'opendkim', 'linked.table'));

const uri = (p: string) => pathToFileURL(p).href;

test('restricted: the tables and keys an opendkim.conf names outside the folders are not read', () => {
  restrictReadsTo([W]);
  const ws = new Workspace();
  assert.equal(scanFolders(ws, [W]), 2, 'opendkim.conf and main.cf inside are read');
  attachDiskEnvironment(ws, W);
  assert.equal(loadOpendkimFiles(ws), 0);
  assert.deepEqual(ws.all().map((d) => path.relative(W, new URL(d.uri).pathname)).sort(), ['opendkim.conf', 'postfix/main.cf']);
  const env = diskOpendkimEnvironment(W);
  assert.equal(env.keyFileInfo!({ path: `${O}/x.private`, uri: uri(path.join(O, 'x.private')) }), undefined, 'an outside key is "unknown", not read');
  assert.equal(env.fileExists!(uri(path.join(O, 'hosts'))), undefined);
  assert.deepEqual(env.systemdDropIns!(uri(O)), []);
  assert.equal(publicKeyOfKeyFile({ path: 'x.private', uri: uri(path.join(O, 'x.private')) }), undefined);
  // Inside, the same readers work.
  assert.equal(env.keyFileInfo!({ path: 'inside.private', uri: uri(path.join(W, 'opendkim', 'inside.private')) })?.isPrivateKey, true);
  assert.ok(publicKeyOfKeyFile({ path: 'inside.private', uri: uri(path.join(W, 'opendkim', 'inside.private')) }));
});

test('restricted: a symlink in the workspace to a file outside, and the partner of an outside main.cf, are not read', () => {
  restrictReadsTo([W]);
  assert.equal(mayRead(path.join(W, 'opendkim', 'linked.table')), false);
  const ws = new Workspace();
  const skipped: string[] = [];
  assert.equal(loadFile(ws, path.join(W, 'opendkim', 'linked.table'), 'opendkim-keytable', (f, why) => skipped.push(`${path.basename(f)}: ${why}`)), false);
  assert.deepEqual(skipped, ['linked.table: outside the folders of this untrusted workspace']);
  loadPostfixPartner(ws, uri(path.join(O, 'postfix', 'main.cf')), 'postfix-main');
  assert.deepEqual(ws.all(), []);
  assert.equal(mayRead(W), true);
  assert.equal(mayRead(path.join(W, '..', 'outside', 'KeyTable')), false, '.. does not climb out');
});

test('unrestricted (trusted, the CLI): everything the configurations name is read', () => {
  const ws = new Workspace();
  scanFolders(ws, [W]);
  attachDiskEnvironment(ws, W);
  assert.ok(loadOpendkimFiles(ws) >= 3);
  assert.equal(diskOpendkimEnvironment(W).keyFileInfo!({ path: 'x.private', uri: uri(path.join(O, 'x.private')) })?.isPrivateKey, true);
  assert.equal(mayRead('/etc/hostname'), true);
});
