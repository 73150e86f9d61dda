// python3-dkim (dkimpy, Debian) as an independent reader of DKIM key records. For fresh
// keys (RSA 1024/2048, Ed25519) in many valid record forms, every record mailconf accepts
// as a usable key must let dkimpy verify a signature made with the matching private key.
// Records mailconf rejects are fed to dkimpy too: where dkimpy should fail it must, and
// where it is more lenient than the RFCs the difference is written down here.
//
// Debian's python3-dkim imports only under /usr/bin/python3. A missing interpreter or
// module fails the test (scripts/install-system-packages.sh installs them). Private keys
// go to Python on stdin and are never printed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { checkDkimKeyRecord, dkimPublicKeyOf } from '../../../server/src/core/records/dkim';
import type { RecordText } from '../../../server/src/core/records/recordText';
import { plain, strings } from './tagsHelpers';

const PYTHON = '/usr/bin/python3';
const DOMAIN = 'example.org';
const SELECTOR = 'sel';

/** Signs with dkimpy, then verifies with a dnsfunc that returns the record under test. */
const VERIFIER = String.raw`
import sys, json, logging
import dkim
logging.disable(logging.CRITICAL)
message = (b"From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: mailconf dkimpy test\r\n"
           b"Date: Mon, 01 Jan 2024 00:00:00 +0000\r\nMessage-ID: <t1@example.org>\r\n\r\nHello.\r\n")
for line in sys.stdin:
    case = json.loads(line)
    try:
        sig = dkim.sign(message, b"sel", b"example.org", case["key"].encode(),
                        signature_algorithm=case["alg"].encode())
    except Exception as e:
        print(json.dumps({"id": case["id"], "result": "sign-error: " + type(e).__name__}), flush=True)
        continue
    record = case["record"]
    def dnsfunc(name, timeout=5):
        return record.encode() if name == b"sel._domainkey.example.org." else None
    try:
        ok = dkim.verify(sig + message, dnsfunc=dnsfunc)
        result = "pass" if ok else "fail"
    except Exception as e:
        # The exception's text may quote the record's key: print only its class.
        result = "fail: " + type(e).__name__
    print(json.dumps({"id": case["id"], "result": result}), flush=True)
`;

type Alg = 'rsa-sha256' | 'ed25519-sha256';
interface Signer { name: string; alg: Alg; privateKey: string; spki: Buffer }

function rsaSigner(bits: number): Signer & { b64: string; pkcs1: string } {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: bits });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return {
    name: `RSA ${bits}`, alg: 'rsa-sha256', spki,
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    b64: spki.toString('base64'),
    pkcs1: publicKey.export({ type: 'pkcs1', format: 'der' }).toString('base64'),
  };
}

function edSigner(): Signer & { b64: string; wrapped: string } {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  return {
    name: 'Ed25519', alg: 'ed25519-sha256', spki, privateKey: seed.toString('base64'),
    b64: spki.subarray(12).toString('base64'), wrapped: spki.toString('base64'),
  };
}

/** Splits a value into character-strings of at most `size` bytes, as a zone file publishes it. */
function split(value: string, size: number, first = size): string[] {
  const parts = [value.slice(0, first)];
  for (let i = first; i < value.length; i += size) parts.push(value.slice(i, i + size));
  return parts;
}

interface Case {
  id: string;
  signer: Signer;
  rec: RecordText;
  /** For records mailconf rejects: what dkimpy does, and why when it still verifies. */
  dkimpy?: 'fail' | { pass: string };
}

function cases(): Case[] {
  const out: Case[] = [];
  const owner = `${SELECTOR}._domainkey.${DOMAIN}`;
  const add = (signer: Signer, form: string, rec: RecordText, dkimpy?: Case['dkimpy']) =>
    out.push({ id: `${signer.name}: ${form}`, signer, rec, dkimpy });
  const value = (signer: Signer, form: string, v: string, dkimpy?: Case['dkimpy']) => add(signer, form, plain(v, owner).rec, dkimpy);

  for (const s of [rsaSigner(1024), rsaSigner(2048)]) {
    const k = s.b64;
    value(s, 'p= only', `p=${k}`);
    value(s, 'v=, k=, p=', `v=DKIM1; k=rsa; p=${k}`);
    value(s, 'h=sha256', `v=DKIM1; h=sha256; k=rsa; p=${k}`);
    value(s, 'no blanks', `v=DKIM1;k=rsa;p=${k}`);
    value(s, 'every tag, trailing ;', `v=DKIM1; h=sha1:sha256; k=rsa; s=email; t=s; n=rotated yearly; p=${k};`);
    value(s, 's=* and t=y', `v=DKIM1; s=*; t=y; p=${k}`);
    value(s, 'blanks inside p=', `v=DKIM1; k=rsa; p=${k.slice(0, 64)} ${k.slice(64, 128)}\t${k.slice(128)}`);
    add(s, 'split into 255-byte strings', strings(split(`v=DKIM1; h=sha256; k=rsa; p=${k}`, 255), owner).rec);
    add(s, 'split inside a tag name', strings(split(`v=DKIM1; h=sha256; k=rsa; p=${k}`, 255, 17), owner).rec);
    add(s, 'split inside the key', strings(split(`v=DKIM1; k=rsa; p=${k}`, 100), owner).rec);
    if (s.name === 'RSA 2048') {
      value(s, 'PKCS#1 RSAPublicKey', `v=DKIM1; k=rsa; p=${s.pkcs1}`);
      // Rejected by mailconf.
      value(s, 'cut short by 1 character', `v=DKIM1; k=rsa; p=${k.slice(0, -1)}`, 'fail');
      value(s, 'cut short by 6 characters', `v=DKIM1; k=rsa; p=${k.slice(0, -6)}`, 'fail');
      value(s, 'k=ed25519 for an RSA key', `v=DKIM1; k=ed25519; p=${k}`, 'fail');
      value(s, 'k=RSA', `v=DKIM1; k=RSA; p=${k}`, 'fail');
      value(s, 'k=dsa', `v=DKIM1; k=dsa; p=${k}`, 'fail');
      value(s, 'v=DKIM2', `v=DKIM2; k=rsa; p=${k}`, 'fail');
      value(s, 'duplicate p=', `v=DKIM1; p=${k}; p=${k}`, 'fail');
      value(s, 'empty tag (;;)', `v=DKIM1;; p=${k}`, 'fail');
      value(s, 'P= instead of p=', `v=DKIM1; P=${k}`, 'fail');
      value(s, 'revoked (empty p=)', 'v=DKIM1; p=', 'fail');
      value(s, 's=tlsrpt only', `v=DKIM1; s=tlsrpt; p=${k}`, 'fail');
      value(s, 'missing padding', `v=DKIM1; p=${k.slice(0, -4)}${k.slice(-4, -2)}`, 'fail');
      const withExtra = Buffer.concat([s.spki, Buffer.from([0, 0, 0])]).toString('base64');
      value(s, 'extra bytes after the key (a warning)', `v=DKIM1; p=${withExtra}`);
      const throwaway = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'der' });
      value(s, 'a private key in p=', `v=DKIM1; p=${throwaway.toString('base64')}`, 'fail');
      value(s, 'v= not first', `k=rsa; v=DKIM1; p=${k}`,
        { pass: 'dkimpy reads the tags into a dictionary and does not check that v= comes first (RFC 6376 §3.6.1: it MUST)' });
      value(s, 'quotes inside p=', `v=DKIM1; p=${k.slice(0, 100)}" "${k.slice(100)}`,
        { pass: 'dkimpy\'s base64 decoding drops characters outside the alphabet; OpenDKIM decodes with OpenSSL and rejects them' });
    }
  }
  const rsa512 = rsaSigner(512);
  value(rsa512, '512-bit key', `v=DKIM1; k=rsa; p=${rsa512.b64}`, 'fail');

  const ed = edSigner();
  value(ed, 'k=, p=', `k=ed25519; p=${ed.b64}`);
  value(ed, 'v=, k=, p=', `v=DKIM1; k=ed25519; p=${ed.b64}`);
  value(ed, 'h=sha256, s=email', `v=DKIM1; k=ed25519; h=sha256; s=email; p=${ed.b64};`);
  value(ed, 'blanks inside p=', `v=DKIM1; k=ed25519; p=${ed.b64.slice(0, 22)} ${ed.b64.slice(22)}`);
  add(ed, 'split into strings', strings(split(`v=DKIM1; k=ed25519; p=${ed.b64}`, 30), owner).rec);
  value(ed, 'no k= (rsa assumed)', `v=DKIM1; p=${ed.b64}`, 'fail');
  value(ed, 'wrapped in SubjectPublicKeyInfo', `v=DKIM1; k=ed25519; p=${ed.wrapped}`, 'fail');
  value(ed, 'padding missing', `v=DKIM1; k=ed25519; p=${ed.b64.replace(/=$/, '')}`, 'fail');
  value(ed, 'cut short', `v=DKIM1; k=ed25519; p=${ed.b64.slice(0, -8)}`, 'fail');
  return out;
}

/** Records RFC 6376 allows and mailconf accepts, which dkimpy refuses (it compares s= as a whole). */
function dkimpyStricter(): Case[] {
  const s = rsaSigner(2048);
  const owner = `${SELECTOR}._domainkey.${DOMAIN}`;
  return [
    { id: 'RSA 2048: s=email:tlsrpt', signer: s, rec: plain(`v=DKIM1; s=email:tlsrpt; p=${s.b64}`, owner).rec },
    { id: 'RSA 2048: s=*:email', signer: s, rec: plain(`v=DKIM1; s=*:email; p=${s.b64}`, owner).rec },
  ];
}

function runDkimpy(all: Case[]): Map<string, string> {
  const input = all.map((c) => JSON.stringify({ id: c.id, record: c.rec.value, alg: c.signer.alg, key: c.signer.privateKey })).join('\n') + '\n';
  const r = spawnSync(PYTHON, ['-c', VERIFIER], { input, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `python3-dkim run failed: ${r.error?.message ?? ''} ${r.stderr.slice(0, 2000)}`);
  const results = new Map<string, string>();
  for (const line of r.stdout.split('\n').filter((l) => l.trim())) {
    const o = JSON.parse(line) as { id: string; result: string };
    results.set(o.id, o.result);
  }
  return results;
}

/** mailconf accepts a record as a usable key: no error finding, and the key is readable. */
function accepts(rec: RecordText): boolean {
  return !checkDkimKeyRecord(rec).some((f) => f.severity === 'error') && dkimPublicKeyOf(rec) !== undefined;
}

test('python3-dkim is installed for /usr/bin/python3', () => {
  assert.ok(fs.existsSync(PYTHON), `${PYTHON} is missing: install Debian's python3 and python3-dkim (scripts/install-system-packages.sh)`);
  const r = spawnSync(PYTHON, ['-c', 'import dkim, nacl'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, `python3-dkim (with python3-nacl for Ed25519) does not import under ${PYTHON}: apt-get install python3-dkim python3-nacl\n${r.stderr}`);
});

test('dkimpy verifies a signature with every record mailconf accepts, and fails where mailconf rejects', () => {
  const all = cases();
  const extra = dkimpyStricter();
  const results = runDkimpy([...all, ...extra]);
  const rows: string[] = [];
  let verified = 0, bothReject = 0;
  const disagreements: string[] = [];
  for (const c of all) {
    const dk = results.get(c.id) ?? '(no answer)';
    const ours = accepts(c.rec);
    rows.push(`${ours ? 'accept' : 'reject'}  ${dk.startsWith('pass') ? 'pass' : 'fail'}  ${c.id}`);
    if (c.dkimpy === undefined) {
      assert.ok(ours, `mailconf should accept ${c.id}: ${JSON.stringify(checkDkimKeyRecord(c.rec).map((f) => f.code))}`);
      assert.deepEqual(Buffer.from(dkimPublicKeyOf(c.rec)!.spkiDer), c.signer.spki, `${c.id}: the key mailconf reads is the signer's`);
      assert.equal(dk, 'pass', `${c.id}: mailconf accepts it, dkimpy does not verify: ${dk}`);
      verified++;
    } else {
      assert.ok(!ours, `mailconf should reject ${c.id}`);
      if (c.dkimpy === 'fail') {
        assert.notEqual(dk, 'pass', `${c.id}: dkimpy verifies although the record is broken`);
        bothReject++;
      } else {
        assert.equal(dk, 'pass', `${c.id}: dkimpy was expected to be lenient here (${c.dkimpy.pass}) but says ${dk}`);
        disagreements.push(`mailconf stricter — ${c.id}: ${c.dkimpy.pass}`);
      }
    }
  }
  for (const c of extra) {
    const dk = results.get(c.id) ?? '(no answer)';
    assert.ok(accepts(c.rec), `mailconf accepts ${c.id} (RFC 6376: s= is a colon-separated list)`);
    assert.notEqual(dk, 'pass', `${c.id}: dkimpy now accepts a service list; move the case into the main list`);
    disagreements.push(`dkimpy stricter — ${c.id}: dkimpy compares s= as one word (${dk.slice(0, 60)})`);
  }
  console.log(rows.join('\n'));
  console.log(`dkimpy agreement: ${verified} accepted records verified, ${bothReject} rejected records rejected by both, ${disagreements.length} known differences`);
  for (const d of disagreements) console.log('  ' + d);
  assert.ok(verified >= 20 && bothReject >= 15);
});
