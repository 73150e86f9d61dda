// How a new DKIM key reaches the disk (node/dkimKeys.ts), beyond what the CLI tests show
// (test/integration/dkimGenerate.test.ts: 0600/0644, refusals, a planted symlink at the
// key's name): the modes hold whatever the umask, the key is one file with one link (the
// temporary name is gone), nothing is left behind by a refusal, a symlink planted at the
// record's name stops the run before a key exists, and the files are created exclusively
// (O_EXCL): two writers racing for one selector cannot both win or overwrite each other.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { DkimKeyRefusal, writeDkimKey } from '../../../server/src/node/dkimKeys';

/** The fs module object itself (the namespace import is read-only), to slip a step into linkSync. */
const nodeFs = createRequire(__filename)('node:fs') as { linkSync: typeof fs.linkSync };

const BASE = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-key-writing-'));
after(() => fs.rmSync(BASE, { recursive: true, force: true }));

let n = 0;
function dir(): string {
  const d = path.join(BASE, String(++n));
  fs.mkdirSync(d, { mode: 0o700 });
  return d;
}

test('the key is 0600 and the record 0644 whatever the umask; one link each; no temporary file remains', () => {
  for (const mask of [0o000, 0o022, 0o077]) {
    const old = process.umask(mask);
    try {
      const d = dir();
      const w = writeDkimKey({ domain: 'example.org', selector: 's', algorithm: 'ed25519', dir: d });
      assert.equal(fs.statSync(w.privateKeyPath).mode & 0o777, 0o600, `key with umask ${mask.toString(8)}`);
      assert.equal(fs.statSync(w.txtPath).mode & 0o777, 0o644, `record with umask ${mask.toString(8)}`);
      assert.equal(fs.statSync(w.privateKeyPath).nlink, 1, 'the temporary name was removed');
      assert.deepEqual(fs.readdirSync(d).sort(), ['s.private', 's.txt']);
    } finally {
      process.umask(old);
    }
  }
});

test('a symlink planted at the record\'s name stops the run before any key is written', () => {
  const d = dir();
  const target = path.join(BASE, 'victim.txt');
  fs.writeFileSync(target, 'do not touch\n');
  fs.symlinkSync(target, path.join(d, 's.txt'));
  assert.throws(() => writeDkimKey({ domain: 'example.org', selector: 's', algorithm: 'ed25519', dir: d }), (e: unknown) => e instanceof DkimKeyRefusal && /s\.txt already exists/.test(e.message));
  assert.deepEqual(fs.readdirSync(d), ['s.txt'], 'no key, no temporary file');
  assert.equal(fs.readFileSync(target, 'utf8'), 'do not touch\n');
});

test('a dangling symlink at the key\'s name (a key file the attacker wants created elsewhere) is refused', () => {
  const d = dir();
  const elsewhere = path.join(BASE, 'planted.private');
  fs.symlinkSync(elsewhere, path.join(d, 's.private'));
  assert.throws(() => writeDkimKey({ domain: 'example.org', selector: 's', algorithm: 'rsa1024', dir: d }), DkimKeyRefusal);
  assert.equal(fs.existsSync(elsewhere), false, 'nothing was created through the link');
  assert.deepEqual(fs.readdirSync(d), ['s.private']);
});

test('creation is exclusive: a key that appears between the check and the write is not overwritten', () => {
  const d = dir();
  const key = path.join(d, 's.private');
  // Another writer creates the key while this one generates its pair: the name is taken
  // when the hard link is made (link fails on an existing name, unlike rename).
  const realLink = nodeFs.linkSync;
  nodeFs.linkSync = (existing, target) => {
    if (String(target) === key && !fs.existsSync(key)) fs.writeFileSync(key, 'the other writer\'s key\n', { mode: 0o600 });
    return realLink(existing, target);
  };
  try {
    assert.throws(() => writeDkimKey({ domain: 'example.org', selector: 's', algorithm: 'ed25519', dir: d }), (e: unknown) => e instanceof DkimKeyRefusal && /already exists/.test(e.message));
  } finally {
    nodeFs.linkSync = realLink;
  }
  assert.equal(fs.readFileSync(key, 'utf8'), 'the other writer\'s key\n');
  assert.deepEqual(fs.readdirSync(d), ['s.private'], 'no record without its key, no temporary file');
});

test('when the record cannot be written after the key was, the key is removed again', () => {
  const d = dir();
  const txt = path.join(d, 's.txt');
  const realLink = nodeFs.linkSync;
  nodeFs.linkSync = (existing, target) => {
    if (String(target) === txt) fs.writeFileSync(txt, 'taken\n');
    return realLink(existing, target);
  };
  try {
    assert.throws(() => writeDkimKey({ domain: 'example.org', selector: 's', algorithm: 'ed25519', dir: d }), DkimKeyRefusal);
  } finally {
    nodeFs.linkSync = realLink;
  }
  assert.deepEqual(fs.readdirSync(d), ['s.txt'], 'the new key went with the failed pair; no temporary file');
  assert.equal(fs.readFileSync(txt, 'utf8'), 'taken\n');
});
