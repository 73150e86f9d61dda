// Key files: whether OpenDKIM can load them, their type and size, read from the key's
// structure (privateKeyShape.ts, opendkimKeyLoading.ts), must say exactly what a model of
// libopendkim's loading with node:crypto as the parser says — for keys node:crypto generates
// (RSA of every common size and odd ones, Ed25519; PKCS#1 and PKCS#8, PEM, DER and base64
// DER; CRLF; encrypted), for the types left to node:crypto (EC, Ed448, X25519, RSA-PSS), and
// for garbage: random bytes, truncated and mutated keys, text around a PEM block. Files
// OpenDKIM cannot load say why (notKeyReason); the real OpenDKIM agrees in
// test/integration/opendkimKeyFiles.test.ts. Key bytes never reach the answer, and the
// buffers that held them are zeroed. The public half of a key OpenDKIM loads (for comparing
// it with the zones' DKIM records) is node:crypto's SubjectPublicKeyInfo byte for byte.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { keyFacts, readKeyFileInfo } from '../../../server/src/node/opendkimEnvironment';
import { privateKeyShape, type PublicKeyOut } from '../../../server/src/node/privateKeyShape';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-keyfacts-'));
after(() => fs.rmSync(DIR, { recursive: true, force: true }));

interface Facts { isPrivateKey: boolean; algorithm?: string; bits?: number }

/** What node:crypto reads from the bytes as PEM, or as DER (PKCS#8, then PKCS#1). */
function nodeFacts(data: Buffer, as: 'pem' | 'der'): Facts {
  const inputs: crypto.PrivateKeyInput[] = as === 'pem'
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

/**
 * What OpenDKIM loads, with node:crypto as the parser (libopendkim 2.11: dkim_sign keeps the
 * key as a C string and base64-decodes it when it starts "MII"; dkim_privkey_load reads PEM
 * when it starts "-----", else DER).
 */
function reference(data: Buffer): Facts {
  const nul = data.indexOf(0);
  const text = nul < 0 ? data : data.subarray(0, nul);
  const head = text.subarray(0, 5).toString('latin1');
  if (head.startsWith('-----')) return nodeFacts(text, 'pem');
  if (head.startsWith('MII')) {
    const digits = text.toString('latin1').split('=')[0].replace(/[^A-Za-z0-9+/]/g, '');
    return digits.length % 4 === 1 ? { isPrivateKey: false } : nodeFacts(Buffer.from(digits, 'base64'), 'der');
  }
  return nodeFacts(text, 'der');
}

/** The public half node:crypto derives, for a key OpenDKIM loads (reference() says which); undefined otherwise. */
function referencePublicKey(data: Buffer): Buffer | undefined {
  if (!reference(data).isPrivateKey) return undefined;
  const nul = data.indexOf(0);
  const text = nul < 0 ? data : data.subarray(0, nul);
  const inputs: crypto.PrivateKeyInput[] = text.subarray(0, 5).toString('latin1') === '-----'
    ? [{ key: text }]
    : ['pkcs8', 'pkcs1'].map((type) => ({ key: Buffer.from(text.toString('latin1').split('=')[0].replace(/[^A-Za-z0-9+/]/g, ''), 'base64'), format: 'der', type }) as crypto.PrivateKeyInput);
  for (const input of inputs) {
    try {
      return crypto.createPublicKey(crypto.createPrivateKey(input)).export({ type: 'spki', format: 'der' }) as Buffer;
    } catch {
      // next
    }
  }
  return undefined;
}

/** What readKeyFileInfo adds to keyFacts: the public half of a key OpenDKIM loads. */
function publicPart(data: Buffer): { publicKeyDer?: Uint8Array } {
  const out: PublicKeyOut = {};
  const f = keyFacts(data, out);
  return f.isPrivateKey && out.spki ? { publicKeyDer: out.spki } : {};
}

/** The public half keyFacts gives, as a Buffer for comparing. */
function publicOf(data: Buffer): Buffer | undefined {
  const p = publicPart(data).publicKeyDer;
  return p && Buffer.from(p);
}

/** keyFacts' verdict on usability, type and size (without the reason). */
function usable(data: Buffer): Facts {
  const f = keyFacts(data);
  if (!f.isPrivateKey) return { isPrivateKey: false };
  return f.bits !== undefined ? { isPrivateKey: true, algorithm: f.algorithm, bits: f.bits } : { isPrivateKey: true, algorithm: f.algorithm };
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

const pemOf = (name: string) => samples.find((x) => x.name === name)!.data;

test('keys node:crypto generates: the structure says what OpenDKIM does, without asking node:crypto', () => {
  for (const s of samples) {
    assert.deepEqual(usable(s.data), reference(s.data), s.name);
    assert.equal(privateKeyShape(s.data) !== undefined, s.fast, `${s.name}: read from the structure`);
  }
  // The sizes themselves, and the verdicts an admin sees.
  for (const bits of RSA_SIZES) {
    assert.deepEqual(keyFacts(pemOf(`rsa ${bits} pkcs8 pem`)), { isPrivateKey: true, algorithm: 'rsa', bits });
    assert.deepEqual(keyFacts(pemOf(`rsa ${bits} pkcs1 pem`)), { isPrivateKey: true, algorithm: 'rsa', bits });
    assert.deepEqual(keyFacts(pemOf(`rsa ${bits} pkcs8 pem, CRLF`)), { isPrivateKey: true, algorithm: 'rsa', bits }, 'CRLF line ends are fine');
  }
  assert.deepEqual(keyFacts(pemOf('ed25519 pkcs8 pem')), { isPrivateKey: true, algorithm: 'ed25519' });
  for (const s of samples.filter((x) => x.name.includes('encrypted'))) {
    assert.deepEqual(keyFacts(s.data), { isPrivateKey: false, notKeyReason: 'encrypted' }, `${s.name}: without its passphrase OpenDKIM cannot load it`);
    assert.deepEqual(privateKeyShape(s.data), { type: 'encrypted' }, s.name);
  }
  // Binary DER is a key, but OpenDKIM reads it only up to its first zero byte.
  for (const s of samples.filter((x) => x.name.endsWith(' der'))) {
    assert.deepEqual(keyFacts(s.data), { ...nodeFacts(s.data, 'der'), isPrivateKey: false, notKeyReason: 'der' }, s.name);
  }
  assert.deepEqual(keyFacts(pemOf('rsa 2048 pkcs1 der')), { isPrivateKey: false, notKeyReason: 'der', algorithm: 'rsa', bits: 2048 });
});

test('the same through files: readKeyFileInfo with mode', () => {
  const cases = samples.filter((s) => /^(rsa 2048|ed25519 pkcs8|ec p-256 pkcs8 pem)/.test(s.name));
  for (const s of cases) {
    const file = path.join(DIR, s.name.replace(/[^a-z0-9]+/gi, '_'));
    fs.writeFileSync(file, s.data, { mode: 0o600 });
    assert.deepEqual(readKeyFileInfo(file), { exists: true, isFile: true, mode: 0o600, ...keyFacts(s.data), ...publicPart(s.data) }, s.name);
    assert.equal(readKeyFileInfo(file).isPrivateKey, reference(s.data).isPrivateKey, s.name);
  }
});

test('why OpenDKIM cannot load it: text before the PEM block, passphrase, DER, the DNS record, a public key', () => {
  const rsa = pemOf('rsa 2048 pkcs8 pem').toString();
  const key = { algorithm: 'rsa', bits: 2048 };
  const before = (prefix: string | Buffer, leadingText: string) => {
    const data = Buffer.concat([Buffer.from(prefix), Buffer.from(rsa)]);
    assert.equal(nodeFacts(data, 'pem').isPrivateKey, true, 'OpenSSL\'s PEM reader takes it');
    assert.equal(reference(data).isPrivateKey, false, 'OpenDKIM does not');
    assert.deepEqual(keyFacts(data), { isPrivateKey: false, notKeyReason: 'text-before-pem', leadingText, ...key }, JSON.stringify(prefix.toString()));
  };
  before('\n', 'blank-lines');
  before('\r\n\r\n', 'blank-lines');
  before('  \t\n', 'blank-lines');
  before(Buffer.from([0xef, 0xbb, 0xbf]), 'byte-order-mark');
  before(Buffer.from([0xef, 0xbb, 0xbf, 0x0a]), 'byte-order-mark');
  before('Bag Attributes\n    localKeyID: 01 00 00 00\n    friendlyName: mail\nKey Attributes: <No Attributes>\n', 'bag-attributes');
  before('# DKIM key for example.org\n', 'text');
  before('Private-Key: (2048 bit, 2 primes)\n', 'text');
  // The same with PKCS#1 and CRLF after the text.
  const crlf1 = Buffer.from('\r\n' + pemOf('rsa 1024 pkcs1 pem').toString().replace(/\n/g, '\r\n'));
  assert.deepEqual(keyFacts(crlf1), { isPrivateKey: false, notKeyReason: 'text-before-pem', leadingText: 'blank-lines', algorithm: 'rsa', bits: 1024 });
  // Text before a passphrase-protected key: the passphrase is the reason given.
  assert.deepEqual(keyFacts(Buffer.from('\n' + pemOf('rsa 2048 encrypted pkcs8 pem').toString())), { isPrivateKey: false, notKeyReason: 'encrypted' });
  // Text on the BEGIN line itself: OpenSSL refuses it too; nothing more specific to say.
  assert.deepEqual(keyFacts(Buffer.from(' ' + rsa)), { isPrivateKey: false });
  // Text after the block is fine for OpenDKIM's PEM reader.
  assert.deepEqual(keyFacts(Buffer.from(rsa + '\n# comment\n')), { isPrivateKey: true, ...key });

  const pub = crypto.createPublicKey(rsa);
  assert.deepEqual(keyFacts(Buffer.from(pub.export({ type: 'spki', format: 'pem' }) as string)), { isPrivateKey: false, notKeyReason: 'public-key' });
  assert.deepEqual(keyFacts(Buffer.from(pub.export({ type: 'pkcs1', format: 'pem' }) as string)), { isPrivateKey: false, notKeyReason: 'public-key' });
  const p = (pub.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64');
  const genkeyTxt = `mail._domainkey\tIN\tTXT\t( "v=DKIM1; h=sha256; k=rsa; "\n\t  "p=${p.slice(0, 250)}"\n\t  "${p.slice(250)}" )  ; ----- DKIM key mail for example.org\n`;
  assert.deepEqual(keyFacts(Buffer.from(genkeyTxt)), { isPrivateKey: false, notKeyReason: 'dns-record' });
  assert.deepEqual(keyFacts(Buffer.from(`v=DKIM1; k=rsa; p=${p}\n`)), { isPrivateKey: false, notKeyReason: 'dns-record' });
  // A certificate, an EC parameters block: not a key, nothing more specific.
  assert.deepEqual(keyFacts(Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')), { isPrivateKey: false });
});

test('base64 DER without PEM lines: OpenDKIM decodes content starting "MII"', () => {
  for (const bits of [512, 1024, 2048, 4096]) {
    for (const type of ['pkcs1', 'pkcs8'] as const) {
      const der = pemOf(`rsa ${bits} ${type} der`);
      const b64 = der.toString('base64');
      const variants = [b64, b64 + '\n', b64.replace(/(.{64})/g, '$1\n') + '\n', b64.replace(/(.{76})/g, '$1\r\n')];
      for (const v of variants) {
        assert.ok(v.startsWith('MII'));
        assert.deepEqual(keyFacts(Buffer.from(v)), { isPrivateKey: true, algorithm: 'rsa', bits }, `${bits} ${type}`);
        assert.deepEqual(usable(Buffer.from(v)), reference(Buffer.from(v)));
      }
    }
  }
  // Not "MII" (an Ed25519 key's base64 starts "MC4C"): OpenDKIM reads the text as DER.
  const ed = pemOf('ed25519 pkcs8 der').toString('base64');
  assert.ok(ed.startsWith('MC4C'));
  assert.deepEqual(keyFacts(Buffer.from(ed)), { isPrivateKey: false });
  // "MII" and then nothing that decodes to a key.
  for (const junk of ['MII', 'MIIxyz', 'MIIBCgKCAQEA\n', 'MII=' + pemOf('rsa 1024 pkcs8 der').toString('base64')]) {
    assert.deepEqual(keyFacts(Buffer.from(junk)), { isPrivateKey: false }, junk);
    assert.deepEqual(reference(Buffer.from(junk)), { isPrivateKey: false }, junk);
  }
});

test('not keys: garbage, text, public keys, empty files; usability as OpenDKIM sees it', () => {
  const rsa = pemOf('rsa 1024 pkcs8 pem').toString();
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
    ['a zero byte after the block', Buffer.from(rsa + '\0junk')],
    ['a zero byte inside the block', Buffer.from(rsa.replace(/\n(?=[A-Za-z0-9+/])/, '\n\0'))],
    ['two blocks, the first broken', Buffer.from(rsa.replace(/M/, '!') + rsa)],
    ['one long base64 line', Buffer.from(rsa.replace(/\n(?!-----END)(?=[A-Za-z0-9+/=])/g, ''))],
    ['an unknown label', Buffer.from(rsa.replace(/PRIVATE KEY/g, 'SECRET KEY'))],
    ['Proc-Type on a PKCS#8 block', Buffer.from(rsa.replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n'))],
    ...Array.from({ length: 40 }, (_, i): [string, Buffer] => [`random ${i}`, crypto.randomBytes(1 + rand(3000))]),
    ...Array.from({ length: 20 }, (_, i): [string, Buffer] => [`random DER-looking ${i}`, Buffer.concat([Buffer.from([0x30, 0x82, 0x02, rand(256)]), crypto.randomBytes(rand(700))])]),
    ...Array.from({ length: 20 }, (_, i): [string, Buffer] => [`random base64 after MII ${i}`, Buffer.from('MII' + crypto.randomBytes(rand(900)).toString('base64'))]),
  ];
  for (const [name, data] of garbage) {
    assert.deepEqual(usable(data), reference(data), name);
    const f = keyFacts(data);
    // A reason that names a key (DER, text before it) comes with the key's type, as node:crypto reads it.
    if (f.notKeyReason === 'der') assert.deepEqual({ isPrivateKey: true, algorithm: f.algorithm, bits: f.bits }, { bits: undefined, ...nodeFacts(data, 'der') }, name);
  }
  assert.deepEqual(keyFacts(Buffer.from(pub)), { isPrivateKey: false, notKeyReason: 'public-key' });
  assert.equal(privateKeyShape(Buffer.from('\n' + rsa)), undefined, 'a block after a blank line is not read from the start');
});

test('truncated and mutated keys: the verdict is OpenDKIM\'s (3,000 variants)', () => {
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
    assert.deepEqual(usable(data), reference(data), `${bases[i % bases.length].name}, variant ${i}`);
  }
  // Many variants only change key bits (still a key of the same size), others break the structure.
  assert.ok(fast > 300 && fast < 2900, `${fast} variants read from the structure`);
});

test('the public half of every key OpenDKIM loads is node:crypto\'s SubjectPublicKeyInfo; none for the others', () => {
  let withKey = 0;
  for (const s of samples) {
    assert.deepEqual(publicOf(s.data), referencePublicKey(s.data), s.name);
    if (publicOf(s.data)) withKey++;
  }
  // Every RSA size in PKCS#1 and PKCS#8 PEM (CRLF, no final newline), Ed25519, and the PEM keys of other
  // types OpenDKIM loads (and then cannot sign with); never DER or encrypted keys.
  assert.equal(withKey, RSA_SIZES.length * 4 + 2 + 5);
  for (const bits of [512, 2048]) {
    const b64 = pemOf(`rsa ${bits} pkcs1 der`).toString('base64');
    assert.deepEqual(publicOf(Buffer.from(b64 + '\n')), referencePublicKey(Buffer.from(b64)), `${bits} base64 DER`);
  }
  // A public exponent other than 65537, and the RSA key node:crypto would have to read (after a comment line: none).
  const e3 = Buffer.from(crypto.generateKeyPairSync('rsa', { modulusLength: 1024, publicExponent: 3 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string);
  assert.deepEqual(publicOf(e3), referencePublicKey(e3));
  assert.equal(publicOf(Buffer.from('# key\n' + pemOf('rsa 1024 pkcs8 pem').toString())), undefined, 'OpenDKIM cannot load it: no public half either');
  // Mutated keys: the structure and node:crypto agree on the public half too.
  const bases = samples.filter((x) => /^rsa (512|1024) (pkcs1|pkcs8) pem$/.test(x.name));
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  for (let i = 0; i < 600; i++) {
    const data = Buffer.from(bases[i % bases.length].data);
    data[rand(data.length)] ^= 1 << rand(8);
    assert.deepEqual(publicOf(data), referencePublicKey(data), `variant ${i}`);
  }
});

/** The buffers Buffer.alloc hands out while `run` runs (a spy, removed afterwards). */
function allocationsDuring(run: () => void): Buffer[] {
  const allocated: Buffer[] = [];
  const alloc = Buffer.alloc;
  Buffer.alloc = ((size: number, ...rest: unknown[]) => {
    const b = (alloc as (...a: unknown[]) => Buffer)(size, ...rest);
    allocated.push(b);
    return b;
  }) as typeof Buffer.alloc;
  try {
    run();
  } finally {
    Buffer.alloc = alloc;
  }
  return allocated;
}

test('no key bytes in the answer; the buffers that held the key are zeroed', () => {
  const s = samples.find((x) => x.name === 'rsa 2048 pkcs8 pem')!;
  // A key OpenDKIM cannot load is described without its bytes as well.
  for (const data of [Buffer.from('\n' + s.data.toString()), samples.find((x) => x.name === 'rsa 2048 pkcs8 der')!.data]) {
    const facts = JSON.stringify(keyFacts(data));
    assert.ok(!facts.includes(s.data.toString().split('\n')[1].slice(0, 16)) && /^\{[^{}]*\}$/.test(facts), facts);
    assert.ok(Object.keys(keyFacts(data)).every((k) => ['isPrivateKey', 'notKeyReason', 'leadingText', 'algorithm', 'bits'].includes(k)));
  }
  const body = s.data.toString().split('\n').filter((l) => l && !l.startsWith('-----'));
  const der = samples.find((x) => x.name === 'rsa 2048 pkcs8 der')!.data;
  const file = path.join(DIR, 'secret.private');
  fs.writeFileSync(file, s.data, { mode: 0o600 });
  const info = readKeyFileInfo(file);
  const json = JSON.stringify(info);
  for (const line of body) assert.ok(!json.includes(line.slice(0, 16)), 'no base64 of the key');
  assert.ok(!json.includes(der.subarray(40, 56).toString('hex')) && !json.includes(der.subarray(40, 56).toString('base64')));
  assert.deepEqual(Object.keys(info).sort(), ['algorithm', 'bits', 'exists', 'isFile', 'isPrivateKey', 'mode', 'publicKeyDer']);
  assert.deepEqual(Buffer.from(info.publicKeyDer!), referencePublicKey(s.data), 'only the public half');

  // Every buffer allocated while reading a PEM key's structure is zero afterwards.
  let allocated = allocationsDuring(() => assert.deepEqual(privateKeyShape(s.data), { type: 'rsa', bits: 2048 }));
  assert.ok(allocated.length > 0 && allocated.some((b) => b.length > 1000), 'the decoded DER');
  for (const b of allocated) assert.ok(b.every((x) => x === 0), `a ${b.length}-byte buffer left with key bytes`);
  // The same for base64 DER (decoded as OpenDKIM does) and for a block after a blank line.
  allocated = allocationsDuring(() => {
    assert.deepEqual(keyFacts(Buffer.from(der.toString('base64'))), { isPrivateKey: true, algorithm: 'rsa', bits: 2048 });
    assert.equal(keyFacts(Buffer.from('\n' + s.data.toString())).notKeyReason, 'text-before-pem');
  });
  assert.ok(allocated.filter((b) => b.length > 1000).length >= 2, 'both decoded');
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
