// Files on disk that are not what they seem, as the server's loaders and the key reader meet
// them: too large for the scan, binary, a named pipe (reading one blocks forever), a device
// that never ends (/dev/zero), a file that vanishes or turns into a directory. Each is left
// out with a reason the front end can log, never read in a way that blocks.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { loadFile, scanFolders, SCAN_MAX_BYTES } from '../../../server/src/node/loadFiles';
import { discover } from '../../../server/src/node/discovery';
import { publicKeyOfKeyFile } from '../../../server/src/node/liveDnsSettings';
import { readKeyFileInfo } from '../../../server/src/node/opendkimEnvironment';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-bad-files-'));
after(() => fs.rmSync(DIR, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string | Buffer>): string {
  const root = path.join(DIR, name);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

function fifo(p: string): string {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  execFileSync('mkfifo', [p]);
  return p;
}

test('the workspace scan says why it left a file out: too large, binary, too many files', () => {
  const root = tree('scan', {
    'postfix/main.cf': 'myhostname = mail.example.org\n',
    'postfix/master.cf': Buffer.from([0x73, 0x6d, 0x74, 0x70, 0, 1, 2, 3]),
    'opendkim/KeyTable': 'k._domainkey.example.org example.org:k:/etc/opendkim/keys/k.private\n',
  });
  // A sparse file: its size is above the limit without writing megabytes.
  const big = path.join(root, 'opendkim.conf');
  fs.writeFileSync(big, 'Syslog yes\n');
  fs.truncateSync(big, SCAN_MAX_BYTES + 1);
  const skipped: Array<[string, string]> = [];
  const ws = new Workspace();
  const loaded = scanFolders(ws, [root], undefined, (file, reason) => skipped.push([path.relative(root, file), reason]));
  assert.equal(loaded, 2);
  assert.deepEqual(skipped.map(([f]) => f).sort(), ['opendkim.conf', 'postfix/master.cf']);
  assert.match(skipped.find(([f]) => f === 'opendkim.conf')![1], /above the 8 MB limit.*open it to check it/);
  assert.match(skipped.find(([f]) => f === 'postfix/master.cf')![1], /NUL bytes/);

  const few: Array<[string, string]> = [];
  scanFolders(new Workspace(), [root], 1, (file, reason) => few.push([file, reason]));
  assert.ok(few.some(([, r]) => /more than 1 mail-stack files: only the first 1/.test(r)), JSON.stringify(few));
});

test('a named pipe is never opened: not by the scan, discovery, the loader or the key readers', () => {
  const root = tree('fifo', { 'postfix/master.cf': 'smtp inet n - y - - smtpd\n' });
  const main = fifo(path.join(root, 'postfix', 'main.cf'));
  const zone = fifo(path.join(root, 'zones', 'db.example.org'));
  const key = fifo(path.join(root, 'keys', 'k.private'));
  const ws = new Workspace();
  const t0 = performance.now();
  assert.equal(scanFolders(ws, [root]), 1);
  assert.equal(loadFile(ws, main, 'postfix-main'), false);
  // Named explicitly (as on the command line): its name decides the kind, nothing is read.
  assert.deepEqual(discover([main, zone]).files.map((f) => f.kind), ['postfix-main', 'dns-zone']);
  assert.equal(publicKeyOfKeyFile({ path: key, uri: pathToFileURL(key).href }), undefined);
  assert.deepEqual(readKeyFileInfo(key), { exists: true, isFile: false, mode: fs.statSync(key).mode & 0o7777 });
  assert.ok(performance.now() - t0 < 10_000, 'nothing blocked');
});

test('a key path that is a device that never ends (/dev/zero) is not read', () => {
  assert.equal(publicKeyOfKeyFile({ path: '/dev/zero', uri: 'file:///dev/zero' }), undefined);
  assert.equal(readKeyFileInfo('/dev/zero').isFile, false);
});

test('a file that vanishes or turns into a directory leaves the model instead of staying stale', () => {
  const root = tree('vanish', { 'postfix/main.cf': 'myhostname = a.example.org\n', 'postfix/master.cf': 'smtp inet n - y - - smtpd\n' });
  const main = path.join(root, 'postfix', 'main.cf');
  const master = path.join(root, 'postfix', 'master.cf');
  const ws = new Workspace();
  assert.equal(scanFolders(ws, [root]), 2);
  fs.rmSync(main);
  fs.mkdirSync(main);
  fs.rmSync(master);
  const skipped: string[] = [];
  assert.equal(loadFile(ws, main, 'postfix-main', (f) => skipped.push(f)), false);
  assert.equal(loadFile(ws, master, 'postfix-master', (f) => skipped.push(f)), false);
  assert.deepEqual(ws.all(), []);
  assert.deepEqual(skipped, [], 'a vanished file is normal, not worth a log line');
});
