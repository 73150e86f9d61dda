// `mailconf dkim generate` against independent implementations:
// - python3-dkim (Debian) signs with the generated private key file and verifies with a
//   dnsfunc that returns the generated TXT record (RSA 2048 and Ed25519);
// - Debian's opendkim-testkey reads the generated key file and fetches the record from
//   BIND's named on loopback. opendkim-testkey has no port option and its `Nameservers`
//   takes addresses only, but Debian's build uses libunbound, whose configuration file
//   (opendkim.conf `ResolverConfiguration`, read by opendkim-testkey -x) can point a
//   stub zone at 127.0.0.1@PORT: the query really goes to named on its free port;
// - named-checkzone accepts a zone with the generated `<selector>.txt` inserted;
// - the `<selector>.txt` has the structure of a real `opendkim-genkey` run's;
// - refusals leave the disk as it was; the private key never appears in the CLI's output.
// Missing programs fail the tests (scripts/install-system-packages.sh installs them).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Daemon, describeRun, freePort, run, sleep } from './harness/processes';

const REPO = path.resolve(__dirname, '../..');
const CLI_TS = path.join(REPO, 'server/src/cli.ts');
const PYTHON = '/usr/bin/python3';
const DOMAIN = 'example.org';

let work: string;
/** Every stdout/stderr of the CLI in this file, for the "private key never printed" check. */
const outputs: string[] = [];

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = run(process.execPath, ['--import', 'tsx', CLI_TS, ...args], { timeoutMs: 60_000 });
  outputs.push(r.stdout, r.stderr);
  return r;
}

interface Generated { dir: string; selector: string; keyFile: string; txtFile: string; stdout: string }

function generate(selector: string, algorithm: string, dir = path.join(work, selector)): Generated {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const r = cli(['dkim', 'generate', '--domain', DOMAIN, '--selector', selector, '--algorithm', algorithm, '--out', dir]);
  assert.equal(r.status, 0, `mailconf dkim generate failed:\n${r.stderr}`);
  return { dir, selector, keyFile: path.join(dir, `${selector}.private`), txtFile: path.join(dir, `${selector}.txt`), stdout: r.stdout };
}

/** The TXT value in a zone-file `<selector>.txt`: its quoted strings joined. */
function txtValueOf(zoneText: string): string {
  return [...zoneText.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join('');
}

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-dkimgen-'));
});
after(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

test('the CLI writes the key 0600 (PKCS#8 PEM, as Debian opendkim-genkey) and the record 0644, and prints what to publish', () => {
  const g = generate('rsa', 'rsa2048');
  assert.equal(fs.statSync(g.keyFile).mode & 0o777, 0o600);
  assert.equal(fs.statSync(g.txtFile).mode & 0o777, 0o644);
  assert.match(fs.readFileSync(g.keyFile, 'utf8'), /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/);
  assert.deepEqual(fs.readdirSync(g.dir).sort(), ['rsa.private', 'rsa.txt'], 'no temp file left');
  const value = txtValueOf(fs.readFileSync(g.txtFile, 'utf8'));
  assert.match(g.stdout, new RegExp(`Publish a TXT record named rsa\\._domainkey\\.example\\.org`));
  assert.ok(g.stdout.includes(`\n${value.replace(/ /g, '')}\n`), 'the one-line web-form value is printed');
  assert.ok(g.stdout.includes(`\nrsa._domainkey.example.org example.org:rsa:${g.keyFile}\n`), 'KeyTable line');
  assert.ok(g.stdout.includes('\n*@example.org rsa._domainkey.example.org\n'), 'SigningTable line');
});

// python3-dkim takes an RSA key as PEM but an Ed25519 key only as the base64 of the raw
// 32-byte seed: for Ed25519 the script takes the seed out of the PKCS#8 file (its last 32
// bytes), as an admin would for dkimpy. Keys go in by file name and are never printed.
const DKIMPY = String.raw`
import sys, base64, logging
import dkim
logging.disable(logging.CRITICAL)
keyfile, alg, selector, domain, record = sys.argv[1:6]
pem = open(keyfile, "rb").read()
if alg == "ed25519-sha256":
    der = base64.b64decode(b"".join(l for l in pem.splitlines() if not l.startswith(b"-----")))
    key = base64.b64encode(der[-32:])
else:
    key = pem
message = (b"From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: generated key\r\n"
           b"Date: Mon, 01 Jan 2024 00:00:00 +0000\r\nMessage-ID: <g1@example.org>\r\n\r\nHello.\r\n")
sig = dkim.sign(message, selector.encode(), domain.encode(), key, signature_algorithm=alg.encode())
name = (selector + "._domainkey." + domain + ".").encode()
def dnsfunc(qname, timeout=5):
    return record.encode() if qname == name else None
try:
    print("pass" if dkim.verify(sig + message, dnsfunc=dnsfunc) else "fail")
except Exception as e:
    print("fail: " + type(e).__name__)
`;

for (const [algorithm, alg] of [['rsa2048', 'rsa-sha256'], ['ed25519', 'ed25519-sha256']] as const) {
  test(`python3-dkim signs with the generated ${algorithm} key file and verifies against the generated record`, () => {
    assert.ok(fs.existsSync(PYTHON), `${PYTHON} is missing (Debian python3 with python3-dkim)`);
    const g = generate(`py${algorithm}`, algorithm);
    const record = txtValueOf(fs.readFileSync(g.txtFile, 'utf8'));
    const args = ['-c', DKIMPY, g.keyFile, alg, g.selector, DOMAIN, record];
    const r = run(PYTHON, args, { timeoutMs: 30_000 });
    assert.equal(r.stdout.trim(), 'pass', describeRun(PYTHON, ['-c', '<script>', ...args.slice(2, 5)], r));
    // The check can fail: another selector's record does not verify this key's signature.
    const other = txtValueOf(fs.readFileSync(generate(`py${algorithm}x`, algorithm).txtFile, 'utf8'));
    const r2 = run(PYTHON, ['-c', DKIMPY, g.keyFile, alg, g.selector, DOMAIN, other], { timeoutMs: 30_000 });
    assert.match(r2.stdout.trim(), /^fail/);
  });
}

test("named-checkzone accepts a zone with the generated <selector>.txt inserted", () => {
  for (const algorithm of ['rsa2048', 'rsa4096', 'ed25519']) {
    const g = generate(`zone${algorithm}`, algorithm);
    const zoneFile = path.join(work, `zone-${algorithm}.zone`);
    fs.writeFileSync(zoneFile, zoneWith(fs.readFileSync(g.txtFile, 'utf8')));
    const r = run('named-checkzone', ['-i', 'local', DOMAIN, zoneFile]);
    assert.equal(r.status, 0, describeRun('named-checkzone', [DOMAIN, zoneFile], r));
    assert.match(r.stdout, /OK/);
    // named reads the same value back.
    const dump = run('named-checkzone', ['-D', '-o', '-', DOMAIN, zoneFile]);
    const line = dump.stdout.split('\n').find((l) => l.startsWith(`zone${algorithm}._domainkey.${DOMAIN}.`));
    assert.ok(line, dump.stdout);
    assert.equal(txtValueOf(line), txtValueOf(fs.readFileSync(g.txtFile, 'utf8')));
  }
});

function zoneWith(record: string): string {
  return `$ORIGIN ${DOMAIN}.\n$TTL 300\n@ IN SOA ns hostmaster 1 3600 600 86400 300\n@ IN NS ns\nns IN A 127.0.0.1\n${record}`;
}

test('opendkim-testkey accepts the generated key against the record served by named on loopback', async () => {
  assert.ok(fs.existsSync('/usr/sbin/named'), '/usr/sbin/named is missing (bind9)');
  const rsa = generate('testkey', 'rsa2048');
  const other = generate('otherkey', 'rsa2048');
  const dir = path.join(work, 'named');
  fs.mkdirSync(dir);
  const zoneFile = path.join(dir, 'example.org.zone');
  // Only the first key's record is published; the second selector has none.
  fs.writeFileSync(zoneFile, zoneWith(fs.readFileSync(rsa.txtFile, 'utf8')));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'named.conf'), `options {
  directory "${dir}"; pid-file "${dir}/named.pid"; session-keyfile "${dir}/session.key";
  listen-on port ${port} { 127.0.0.1; }; listen-on-v6 { none; };
  recursion no; allow-transfer { none; }; notify no; dnssec-validation no; querylog yes;
};
controls { };
zone "${DOMAIN}" { type primary; file "${zoneFile}"; };
`);
  const named = Daemon.start('named', '/usr/sbin/named', ['-c', path.join(dir, 'named.conf'), '-g', '-p', String(port), '-4', '-n', '1']);
  try {
    // named logs a line that is just "running" once it answers.
    const ready = () => / running\n/.test(named.log);
    for (let i = 0; i < 300 && !ready() && !named.hasExited; i++) await sleep(50);
    assert.ok(ready(), `named did not start:\n${named.log}`);
    fs.writeFileSync(path.join(dir, 'unbound.conf'), `server:\n  do-not-query-localhost: no\nstub-zone:\n  name: "${DOMAIN}"\n  stub-addr: 127.0.0.1@${port}\n`);
    const conf = path.join(dir, 'opendkim.conf');
    fs.writeFileSync(conf, `ResolverConfiguration ${path.join(dir, 'unbound.conf')}\n`);
    const testkey = (selector: string, keyFile: string) => {
      const args = ['-x', conf, '-d', DOMAIN, '-s', selector, '-k', keyFile, '-vvv'];
      return { args, r: run('opendkim-testkey', args, { timeoutMs: 30_000 }) };
    };
    const good = testkey('testkey', rsa.keyFile);
    assert.equal(good.r.status, 0, describeRun('opendkim-testkey', good.args, good.r));
    assert.match(good.r.stdout + good.r.stderr, /key (OK|not secure)/);
    // The check is real: the wrong private key for a published record is a mismatch, and a
    // selector without a record is not found.
    const mismatch = testkey('testkey', other.keyFile);
    assert.notEqual(mismatch.r.status, 0, describeRun('opendkim-testkey', mismatch.args, mismatch.r));
    assert.match(mismatch.r.stdout + mismatch.r.stderr, /keys do not match/);
    const missing = testkey('otherkey', other.keyFile);
    assert.notEqual(missing.r.status, 0);
    assert.match(missing.r.stdout + missing.r.stderr, /record not found/);
    // The answers came from our named: it logged the queries (its log may lag a little).
    const asked = () => /query: testkey\._domainkey\.example\.org IN TXT/.test(named.log);
    for (let i = 0; i < 40 && !asked(); i++) await sleep(50);
    assert.ok(asked(), `named logged no query for the key:\n${named.log.slice(-2000)}`);
  } finally {
    await named.stop();
  }
});

test("the <selector>.txt has the structure of opendkim-genkey's for the same domain, selector and size", () => {
  const theirs = path.join(work, 'genkey');
  fs.mkdirSync(theirs);
  const args = ['-b', '2048', '-D', theirs, '-d', DOMAIN, '-s', 'same'];
  const r = run('opendkim-genkey', args, { timeoutMs: 30_000 });
  assert.equal(r.status, 0, describeRun('opendkim-genkey', args, r));
  const ours = generate('same', 'rsa2048');
  const shape = (text: string) => text
    .replace(/"p=[A-Za-z0-9+/=]+"/, (s) => `"p=<${s.length - 4}>"`)
    .replace(/"[A-Za-z0-9+/=]+"/g, (s) => `"<${s.length - 2}>"`);
  const theirText = fs.readFileSync(path.join(theirs, 'same.txt'), 'utf8');
  const ourText = fs.readFileSync(ours.txtFile, 'utf8');
  assert.equal(shape(ourText), shape(theirText));
  assert.equal(shape(ourText), 'same._domainkey\tIN\tTXT\t( "v=DKIM1; h=sha256; k=rsa; "\n\t  "p=<250>"\n\t  "<142>" )  ; ----- DKIM key same for example.org\n');
  // Their key file is PKCS#8 PEM too.
  assert.match(fs.readFileSync(path.join(theirs, 'same.private'), 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
});

test('refusals: existing key, missing or non-directory --out, invalid domain or selector; nothing written or lost', () => {
  const g = generate('exists', 'rsa2048');
  const before = new Map(['exists.private', 'exists.txt'].map((f) => {
    const p = path.join(g.dir, f);
    return [p, { text: fs.readFileSync(p, 'utf8'), ino: fs.statSync(p).ino }];
  }));
  const refused = (args: string[], re: RegExp) => {
    const r = cli(['dkim', 'generate', ...args]);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, re);
    assert.equal(r.stdout, '');
  };
  refused(['--domain', DOMAIN, '--selector', 'exists', '--out', g.dir], /exists\.private already exists.*nothing was overwritten/);
  // Only the txt is there (the key was moved away): still refused.
  const lonely = path.join(work, 'lonely');
  fs.mkdirSync(lonely);
  fs.writeFileSync(path.join(lonely, 'exists.txt'), 'keep me\n');
  refused(['--domain', DOMAIN, '--selector', 'exists', '--out', lonely], /exists\.txt already exists/);
  assert.deepEqual(fs.readdirSync(lonely), ['exists.txt']);
  assert.equal(fs.readFileSync(path.join(lonely, 'exists.txt'), 'utf8'), 'keep me\n');
  // A symlink at the key's name is refused, its target untouched.
  const linked = path.join(work, 'linked');
  fs.mkdirSync(linked);
  fs.symlinkSync(path.join(work, 'elsewhere.private'), path.join(linked, 'sym.private'));
  refused(['--domain', DOMAIN, '--selector', 'sym', '--out', linked], /sym\.private already exists/);
  assert.equal(fs.existsSync(path.join(work, 'elsewhere.private')), false);
  const missingDir = path.join(work, 'no-such-dir');
  refused(['--domain', DOMAIN, '--selector', 's', '--out', missingDir], /does not exist/);
  assert.equal(fs.existsSync(missingDir), false);
  const aFile = path.join(work, 'a-file');
  fs.writeFileSync(aFile, 'x');
  refused(['--domain', DOMAIN, '--selector', 's', '--out', aFile], /is not a directory/);
  refused(['--domain', DOMAIN, '--selector', 's', '--out', path.join(aFile, 'sub')], /cannot use the key directory|not a directory/);
  const empty = path.join(work, 'empty');
  fs.mkdirSync(empty);
  refused(['--domain', 'exa mple.org', '--selector', 's', '--out', empty], /not a valid DNS name/);
  refused(['--domain', 'localhost', '--selector', 's', '--out', empty], /single label/);
  refused(['--domain', DOMAIN, '--selector', '../../etc/x', '--out', empty], /selector "..\/..\/etc\/x" is not usable/);
  refused(['--domain', DOMAIN, '--selector', 'a_b', '--out', empty], /not usable/);
  refused(['--domain', DOMAIN, '--selector', 's', '--algorithm', 'dsa', '--out', empty], /--algorithm dsa: use one of/);
  refused(['--domain', DOMAIN, '--out', empty], /--selector is required/);
  assert.deepEqual(fs.readdirSync(empty), []);
  for (const [p, was] of before) {
    assert.equal(fs.readFileSync(p, 'utf8'), was.text, `${p} unchanged`);
    assert.equal(fs.statSync(p).ino, was.ino, `${p} is the same file`);
  }
  assert.deepEqual(fs.readdirSync(g.dir).sort(), ['exists.private', 'exists.txt']);
  // --create-dir makes the missing directory (0700) when asked.
  const made = path.join(work, 'made', 'keys');
  const r = cli(['dkim', 'generate', '--domain', DOMAIN, '--selector', 'm', '--out', made, '--create-dir']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(fs.statSync(made).mode & 0o777, 0o700);
  assert.deepEqual(fs.readdirSync(made).sort(), ['m.private', 'm.txt']);
});

test("no private key's base64 ever appears in the CLI's output", () => {
  const keyFiles: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.private') && !p.includes(`${path.sep}genkey${path.sep}`)) keyFiles.push(p);
    }
  };
  walk(work);
  assert.ok(keyFiles.length >= 8, `keys generated in this file: ${keyFiles.length}`);
  assert.ok(outputs.length >= 20);
  const all = outputs.join('\n');
  for (const f of keyFiles) {
    const body = fs.readFileSync(f, 'utf8').split('\n').filter((l) => l && !l.startsWith('-----'));
    for (const line of body) {
      // Every 64-character line of the PEM body, and a 40-character piece of it.
      assert.ok(!all.includes(line), `a line of ${f} appeared in the output`);
      assert.ok(!all.includes(line.slice(10, 50)), `part of ${f} appeared in the output`);
    }
  }
});
