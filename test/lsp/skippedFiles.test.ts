// Files the server's own reading leaves out are named in its log ("mailconf" output
// channel) once each, with the reason: too large, binary, outside an untrusted workspace.
// A tree full of them gives 50 named lines and one summary, not a flood.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestClient, fileUri } from './lspClient';
import { SCAN_MAX_BYTES } from '../../server/src/node/loadFiles';
import { SKIP_LOG_LIMIT } from '../../server/src/lsp/skipLog';

const DIR = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-skipped-')));
after(() => fs.rmSync(DIR, { recursive: true, force: true }));

function write(file: string, content: string | Buffer): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

const skipLines = (c: TestClient) => c.logMessages().filter((m) => m.startsWith('mailconf: skipped '));

test('the workspace scan logs each skipped file once with why; past the limit one summary line', async () => {
  const root = path.join(DIR, 'trusted');
  write(path.join(root, 'postfix', 'main.cf'), 'myhostname = mail.example.org\n');
  const master = write(path.join(root, 'postfix', 'master.cf'), Buffer.from([0x73, 0x6d, 0x74, 0x70, 0, 1, 2, 3]));
  // A sparse file above the scan's size limit.
  const big = write(path.join(root, 'opendkim.conf'), 'Syslog yes\n');
  fs.truncateSync(big, SCAN_MAX_BYTES + 1);
  const junk = 60;
  for (let i = 0; i < junk; i++) write(path.join(root, 'zones', `junk-${String(i).padStart(2, '0')}.zone`), Buffer.from([0, 0xff, 0xfe, i]));

  const c = new TestClient();
  try {
    await c.initialize(fileUri(root));
    await c.waitForLog(/mailconf: loaded \d+ mail-stack files/); // the folders are read once `initialized` arrives
    const lines = skipLines(c);
    assert.equal(lines.length, SKIP_LOG_LIMIT, lines.join('\n'));
    assert.ok(lines.includes(`mailconf: skipped ${master}: it contains NUL bytes (a binary file such as a compiled .db map), not a text configuration`), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith(`mailconf: skipped ${big}: `) && /above the 8 MB limit .*open it to check it/.test(l)), lines.join('\n'));
    const total = junk + 2;
    assert.ok(c.logMessages().includes(`mailconf: ${total - SKIP_LOG_LIMIT} more skipped files not listed (the log names the first ${SKIP_LOG_LIMIT})`), c.logMessages().join('\n'));
    assert.ok(c.logMessages().some((m) => /loaded 1 mail-stack files/.test(m)), 'main.cf was loaded');

    // The binary master.cf changes on disk and is skipped again: not named a second time.
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(master), type: 2 }] });
    await c.request('textDocument/documentSymbol', { textDocument: { uri: fileUri(path.join(root, 'postfix', 'main.cf')) } });
    assert.equal(skipLines(c).filter((l) => l.includes(master)).length, 1);
    assert.equal(skipLines(c).length, SKIP_LOG_LIMIT);
  } finally {
    assert.equal(await c.shutdown(), 0);
  }
});

test('an untrusted workspace: the tables its opendkim.conf names outside the folder are logged as skipped', async () => {
  const root = path.join(DIR, 'untrusted');
  const outside = path.join(DIR, 'outside');
  const keyTable = write(path.join(outside, 'KeyTable'), 'k._domainkey.example.org example.org:k:/etc/opendkim/keys/k.private\n');
  write(path.join(root, 'opendkim.conf'), `KeyTable refile:${keyTable}\nSigningTable refile:${path.join(root, 'SigningTable')}\n`);
  write(path.join(root, 'SigningTable'), '*@example.org k._domainkey.example.org\n');

  const c = new TestClient();
  try {
    await c.initializeWith({ rootUri: fileUri(root), capabilities: {}, initializationOptions: { trusted: false } });
    await c.waitForLog(/mailconf: loaded \d+ mail-stack files/);
    assert.deepEqual(skipLines(c), [`mailconf: skipped ${keyTable}: outside the folders of this untrusted workspace`]);
  } finally {
    assert.equal(await c.shutdown(), 0);
  }
});
