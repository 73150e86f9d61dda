// Key files: type and size read from the key's structure (privateKeyShape.ts) must say
// exactly what node:crypto says, for keys node:crypto generates — RSA of every common size
// and odd ones, Ed25519; PKCS#1 and PKCS#8, PEM and DER; CRLF; encrypted (not usable) —
// for the types left to node:crypto (EC, Ed448, X25519, RSA-PSS), and for garbage: random
// bytes, truncated and mutated keys, text around a PEM block. Key bytes never reach the
// answer, and the buffers that held them are zeroed.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { keyFacts, readKeyFileInfo } from '../../../server/src/node/opendkimEnvironment';
import { privateKeyShape } from '../../../server/src/node/privateKeyShape';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-keyfacts-'));
after(() => fs.rmSync(DIR, { recursive: true, force: true }));

/** What node:crypto alone says about the bytes (PEM when they mention a PEM header, else DER as PKCS#8, then PKCS#1). */
function reference(data: Buffer): { isPrivateKey: boolean; algorithm?: string; bits?: number } {
  const inputs: crypto.PrivateKeyInput[] = data.includes('-----BEGIN')
    ? [{ key: data }]
    : [{ key: data, format: 'der', type: 'pkcs8' }, { key: data, format: 'der', type: 'pkcs1' }];
  for (const input of inputs) {
    try {
      const key = crypto.createPrivateKey(input);
      const bits = key.asymmetricKeyDetails?.modulusLength;
      return bits ? { isPrivateKey: true, algorithm: key.asymmetricKeyType, bits } : { isPrivateKey: true, algorithm: key.asymmetricKeyType };
    } catch {
      // next
    }
  }
  return { isPrivateKey: false };
}

interface Sample { name: string; data: Buffer; fast: boolean }

const PASSPHRASE = 'correct horse battery staple';
const RSA_SIZES = [512, 768, 1023, 1024, 1025, 1536, 2047, 2048, 3072, 4096];

function rsaSamples(bits: number): Sample[] {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: bits });
  const pem = (type: 'pkcs1' | 'pkcs8', extra: object = {}) => Buffer.from(privateKey.export({ type, format: 'pem', ...extra }) as string);
  return [
    { name: `rsa ${bits} pkcs1 pem`, data: pem('pkcs1'), fast: true },
    { name: `rsa ${bits} pkcs8 pem`, data: pem('pkcs8'), fast: true },
    { name: `rsa ${bits} pkcs1 der`, data: privateKey.export({ type: 'pkcs1', format: 'der' }) as Buffer, fast: true },
    { name: `rsa ${bits} pkcs8 der`, data: privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer, fast: true },
    { name: `rsa ${bits} pkcs8 pem, CRLF`, data: Buffer.from(pem('pkcs8').toString().replace(/\n/g, '\r\n')), fast: true },
    { name: `rsa ${bits} pkcs1 pem, no final newline`, data: Buffer.from(pem('pkcs1').toString().trimEnd()), fast: true },
    { name: `rsa ${bits} encrypted pkcs8 pem`, data: pem('pkcs8', { cipher: 'aes-256-cbc', passphrase: PASSPHRASE }), fast: true },
    { name: `rsa ${bits} encrypted pkcs1 pem (Proc-Type)`, data: pem('pkcs1', { cipher: 'aes-128-cbc', passphrase: PASSPHRASE }), fast: true },
  ];
}

function pkcs8Samples(name: string, privateKey: crypto.KeyObject, fast: boolean): Sample[] {
  return [
    { name: `${name} pkcs8 pem`, data: Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string), fast },
    { name: `${name} pkcs8 der`, data: privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer, fast },
    { name: `${name} encrypted pkcs8 pem`, data: Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }) as string), fast: true },
  ];
}

const samples: Sample[] = [
  ...RSA_SIZES.flatMap(rsaSamples),
  ...pkcs8Samples('ed25519', crypto.generateKeyPairSync('ed25519').privateKey, true),
  ...pkcs8Samples('ed25519 (2)', crypto.generateKeyPairSync('ed25519').privateKey, true),
  // Left to node:crypto: other key types.
  ...pkcs8Samples('ec p-256', crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, false),
  ...pkcs8Samples('ed448', crypto.generateKeyPairSync('ed448').privateKey, false),
  ...pkcs8Samples('x25519', crypto.generateKeyPairSync('x25519').privateKey, false),
  ...pkcs8Samples('rsa-pss', crypto.generateKeyPairSync('rsa-pss', { modulusLength: 1024 }).privateKey, false),
];
{
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
  samples.push({ name: 'ec p-384 sec1 pem', data: Buffer.from(ec.export({ type: 'sec1', format: 'pem' }) as string), fast: false });
}

test('keys node:crypto generates: the structure says what node:crypto says, without asking it', () => {
  for (const s of samples) {
    const want = reference(s.data);
    assert.deepEqual(keyFacts(s.data), want, s.name);
    assert.equal(privateKeyShape(s.data) !== undefined, s.fast, `${s.name}: read from the structure`);
  }
  // The sizes themselves, and the verdicts an admin sees.
  for (const bits of RSA_SIZES) {
    const s = samples.find((x) => x.name === `rsa ${bits} pkcs8 der`)!;
    assert.deepEqual(keyFacts(s.data), { isPrivateKey: true, algorithm: 'rsa', bits });
  }
  assert.deepEqual(keyFacts(samples.find((x) => x.name === 'ed25519 pkcs8 pem')!.data), { isPrivateKey: true, algorithm: 'ed25519' });
  for (const s of samples.filter((x) => x.name.includes('encrypted'))) {
    assert.deepEqual(keyFacts(s.data), { isPrivateKey: false }, `${s.name}: without its passphrase the key cannot be used`);
    assert.deepEqual(privateKeyShape(s.data), { type: 'encrypted' }, s.name);
  }
});

test('the same through files: readKeyFileInfo with mode, PKCS#1 DER counts as a key', () => {
  const cases = samples.filter((s) => /^(rsa 2048|ed25519 pkcs8|ec p-256 pkcs8 pem)/.test(s.name));
  for (const s of cases) {
    const file = path.join(DIR, s.name.replace(/[^a-z0-9]+/gi, '_'));
    fs.writeFileSync(file, s.data, { mode: 0o600 });
    assert.deepEqual(readKeyFileInfo(file), { exists: true, isFile: true, mode: 0o600, ...reference(s.data) }, s.name);
  }
  const der1 = samples.find((s) => s.name === 'rsa 2048 pkcs1 der')!;
  assert.deepEqual(keyFacts(der1.data), { isPrivateKey: true, algorithm: 'rsa', bits: 2048 });
});

test('not keys: garbage, text, public keys, empty files; text around a PEM block is left to node:crypto', () => {
  const rsa = samples.find((s) => s.name === 'rsa 1024 pkcs8 pem')!.data.toString();
  const pub = crypto.createPublicKey(rsa).export({ type: 'spki', format: 'pem' }) as string;
  let seed = 11;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  const garbage: Array<[string, Buffer]> = [
    ['empty', Buffer.alloc(0)],
    ['one byte', Buffer.from([0x30])],
    ['the DNS record opendkim-genkey writes', Buffer.from('mail._domainkey\tIN\tTXT\t( "v=DKIM1; h=sha256; k=rsa; "\n\t  "p=MIIBIjANBgkq" )  ; ----- DKIM key mail for example.org\n')],
    ['a public key', Buffer.from(pub)],
    ['BEGIN without END', Buffer.from(rsa.slice(0, 200))],
    ['only the BEGIN line', Buffer.from('-----BEGIN PRIVATE KEY-----')],
    ['only the BEGIN line of an encrypted key', Buffer.from('-----BEGIN ENCRYPTED PRIVATE KEY-----\n')],
    ['Proc-Type cut short', Buffer.from('-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00')],
    ['BEGIN and END, nothing between', Buffer.from('-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n')],
    ['mismatched END label', Buffer.from(rsa.replace('-----END PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----'))],
    ['a blank line before the block', Buffer.from('\n' + rsa)],
    ['a comment before the block', Buffer.from('# my key\n' + rsa)],
    ['text after the block', Buffer.from(rsa + 'trailing words\n')],
    ['two blocks, the first broken', Buffer.from(rsa.replace(/M/, '!') + rsa)],
    ['one long base64 line', Buffer.from(rsa.replace(/\n(?!-----END)(?=[A-Za-z0-9+/=])/g, ''))],
    ['an unknown label', Buffer.from(rsa.replace(/PRIVATE KEY/g, 'SECRET KEY'))],
    ['Proc-Type on a PKCS#8 block', Buffer.from(rsa.replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n'))],
    ...Array.from({ length: 40 }, (_, i): [string, Buffer] => [`random ${i}`, crypto.randomBytes(1 + rand(3000))]),
    ...Array.from({ length: 20 }, (_, i): [string, Buffer] => [`random DER-looking ${i}`, Buffer.concat([Buffer.from([0x30, 0x82, 0x02, rand(256)]), crypto.randomBytes(rand(700))])]),
  ];
  for (const [name, data] of garbage) assert.deepEqual(keyFacts(data), reference(data), name);
  assert.equal(keyFacts(Buffer.from(pub)).isPrivateKey, false);
  assert.equal(privateKeyShape(Buffer.from('\n' + rsa)), undefined, 'node:crypto decides about a block after a blank line');
});

test('truncated and mutated keys: the structure never says more than node:crypto (3,000 variants)', () => {
  const bases = samples.filter((s) => /^(rsa (512|1024) (pkcs1|pkcs8) (pem|der)|ed25519 pkcs8 (pem|der)|rsa 512 encrypted)/.test(s.name));
  let seed = 5;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  let fast = 0;
  for (let i = 0; i < 3000; i++) {
    const base = bases[i % bases.length].data;
    let data: Buffer;
    const at = rand(base.length);
    switch (rand(5)) {
      case 0: data = base.subarray(0, at); break; // truncated
      case 1: data = Buffer.concat([base.subarray(0, at), base.subarray(at + 1 + rand(4))]); break; // bytes removed
      case 2: data = Buffer.concat([base.subarray(0, at), Buffer.from([rand(256)]), base.subarray(at)]); break; // a byte inserted
      default: data = Buffer.from(base); data[at] ^= 1 << rand(8); break; // a bit flipped
    }
    if (privateKeyShape(data)) fast++;
    assert.deepEqual(keyFacts(data), reference(data), `${bases[i % bases.length].name}, variant ${i}`);
  }
  // Many variants only change key bits (still a key of the same size), others break the structure.
  assert.ok(fast > 300 && fast < 2900, `${fast} variants read from the structure`);
});

test('no key bytes in the answer; the buffers that held the key are zeroed', () => {
  const s = samples.find((x) => x.name === 'rsa 2048 pkcs8 pem')!;
  const body = s.data.toString().split('\n').filter((l) => l && !l.startsWith('-----'));
  const der = samples.find((x) => x.name === 'rsa 2048 pkcs8 der')!.data;
  const file = path.join(DIR, 'secret.private');
  fs.writeFileSync(file, s.data, { mode: 0o600 });
  const info = readKeyFileInfo(file);
  const json = JSON.stringify(info);
  for (const line of body) assert.ok(!json.includes(line.slice(0, 16)), 'no base64 of the key');
  assert.ok(!json.includes(der.subarray(40, 56).toString('hex')) && !json.includes(der.subarray(40, 56).toString('base64')));
  assert.deepEqual(Object.keys(info).sort(), ['algorithm', 'bits', 'exists', 'isFile', 'isPrivateKey', 'mode']);

  // Every buffer allocated while reading a PEM key's structure is zero afterwards.
  const allocated: Buffer[] = [];
  const alloc = Buffer.alloc;
  Buffer.alloc = ((size: number, ...rest: unknown[]) => {
    const b = (alloc as (...a: unknown[]) => Buffer)(size, ...rest);
    allocated.push(b);
    return b;
  }) as typeof Buffer.alloc;
  try {
    assert.deepEqual(privateKeyShape(s.data), { type: 'rsa', bits: 2048 });
  } finally {
    Buffer.alloc = alloc;
  }
  assert.ok(allocated.length > 0 && allocated.some((b) => b.length > 1000), 'the decoded DER');
  for (const b of allocated) assert.ok(b.every((x) => x === 0), `a ${b.length}-byte buffer left with key bytes`);

  // The bytes read from the file are zeroed too (readFileSync's buffer, seen through a spy
  // on node:fs, synced to its ES module view).
  const read: Buffer[] = [];
  const nodeFs = createRequire(__filename)('node:fs') as { readFileSync: (...a: unknown[]) => Buffer };
  const readFileSync = nodeFs.readFileSync;
  nodeFs.readFileSync = (...args: unknown[]) => {
    const b = readFileSync(...args);
    if (args[0] === file) read.push(b);
    return b;
  };
  syncBuiltinESMExports();
  try {
    readKeyFileInfo(file);
  } finally {
    nodeFs.readFileSync = readFileSync;
    syncBuiltinESMExports();
  }
  assert.equal(read.length, 1, 'the key file was read through fs.readFileSync');
  assert.ok(read[0].every((x) => x === 0));
});
