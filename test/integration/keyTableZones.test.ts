// opendkim/key-not-in-zone and opendkim/key-mismatch-zone against the real programs. One key
// made by opendkim-genkey signs for three domains (one KeyTable, one SigningTable, the real
// OpenDKIM 2.11 in its test mode: `opendkim -x CONF -t MESSAGE`). Their zone files are served
// by BIND's named on loopback exactly as mailconf reads them: published.test carries the
// record opendkim-genkey wrote for the key, otherkey.test another key's record, nokey.test no
// record. The verifiers ask named: OpenDKIM in verify mode (libunbound stubbed to named, every
// other name refused, so no query leaves 127.0.0.1) and opendkim-testkey, which compares the
// published key with the key file. They agree with `mailconf check` (the built CLI, reading the
// same files): pass and "key OK" where mailconf says nothing, a failed signature and a key
// mismatch where it reports key-mismatch-zone, no key found where it reports key-not-in-zone.
// Then mailconf's quick-fixes are written to the zone files and named restarted on them: every
// signature verifies, testkey says "key OK" for all three, mailconf says nothing more.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNamed, type NamedServer } from './harness/named';
import { generateDkimKey, type DkimKey } from './harness/dkimKeys';
import { describeRun, run } from './harness/processes';
import { REPO, runCli } from './harness/cli';
import { LineIndex } from '../../server/src/core/text/lines';
import type { TextEdit } from '../../server/src/core/types';
import { loadConfigTree } from '../../server/src/cli/configTree';
import { diagnose } from '../../server/src/core/checks';
import { DEFAULT_SETTINGS } from '../../server/src/core/settings';

const OPENDKIM = '/usr/sbin/opendkim';
const TESTKEY = '/usr/sbin/opendkim-testkey';
const SETSID = '/usr/bin/setsid';
const SELECTOR = 'mail';
const DOMAINS = ['published.test', 'otherkey.test', 'nokey.test'] as const;
type Domain = typeof DOMAINS[number];

let work: string;
let etc: string;
let key: DkimKey;
let named: NamedServer | undefined;
let unboundConf: string;

/** A zone like the admin's: SOA, NS, MX, SPF, DMARC, and `dkim` (the DKIM record, if any). */
function zoneText(domain: string, dkim: string): string {
  return `$ORIGIN ${domain}.
$TTL 3600
@     IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 3600
      IN NS  ns1
      IN MX  10 mail
      IN TXT "v=spf1 mx -all"
_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:postmaster@${domain}"
ns1   IN A   127.0.0.1
mail  IN A   127.0.0.1
${dkim}`;
}

const zoneFile = (domain: Domain) => path.join(work, 'zones', `${domain}.zone`);

async function serveZones(): Promise<void> {
  await named?.stop();
  const zones: Record<string, string> = {};
  for (const d of DOMAINS) zones[d] = fs.readFileSync(zoneFile(d), 'utf8');
  named = await startNamed({ zones });
  // Only the test's domains are asked, of named on loopback; libunbound refuses every other name.
  fs.writeFileSync(unboundConf, `server:\n  do-not-query-localhost: no\n  local-zone: "." refuse\n${DOMAINS.map((d) => `  local-zone: "${d}." transparent\n`).join('')}${DOMAINS.map((d) => `stub-zone:\n  name: "${d}"\n  stub-addr: 127.0.0.1@${named!.port}\n`).join('')}`);
}

before(async () => {
  const missing = [OPENDKIM, TESTKEY, SETSID].filter((p) => !fs.existsSync(p));
  assert.deepEqual(missing, [], 'install with scripts/install-system-packages.sh (opendkim, opendkim-tools; setsid is in util-linux)');
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-keyzones-')));
  etc = path.join(work, 'etc');
  unboundConf = path.join(work, 'unbound.conf');
  key = generateDkimKey(path.join(etc, 'opendkim', 'keys'), DOMAINS[0], SELECTOR);
  const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  fs.mkdirSync(path.join(work, 'zones'));
  // published.test: the record exactly as opendkim-genkey wrote it into mail.txt.
  fs.writeFileSync(zoneFile('published.test'), zoneText('published.test', fs.readFileSync(key.txtRecord, 'utf8')));
  fs.writeFileSync(zoneFile('otherkey.test'), zoneText('otherkey.test', `${SELECTOR}._domainkey IN TXT ( "v=DKIM1; h=sha256; k=rsa; "\n\t  "p=${other.slice(0, 250)}"\n\t  "${other.slice(250)}" )\n`));
  fs.writeFileSync(zoneFile('nokey.test'), zoneText('nokey.test', ''));
  // The same files for OpenDKIM and for mailconf: absolute paths of this machine. /tmp is
  // writable by all, so OpenDKIM would call any key below it unsafe: RequireSafeKeys no.
  const table = path.join(etc, 'opendkim', 'KeyTable');
  const signing = path.join(etc, 'opendkim', 'SigningTable');
  fs.writeFileSync(table, DOMAINS.map((d) => `${SELECTOR}._domainkey.${d} ${d}:${SELECTOR}:${key.privateKey}\n`).join(''));
  fs.writeFileSync(signing, DOMAINS.map((d) => `*@${d} ${SELECTOR}._domainkey.${d}\n`).join(''));
  fs.writeFileSync(path.join(etc, 'opendkim.conf'), [
    'Syslog no', 'Mode sv', 'Canonicalization relaxed/simple', 'RequireSafeKeys no', 'Socket inet:8891@localhost',
    `KeyTable ${table}`, `SigningTable refile:${signing}`, `ResolverConfiguration ${unboundConf}`, '',
  ].join('\n'));
  await serveZones();
});

after(async () => {
  await named?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function message(domain: Domain): string {
  return `From: Alice <alice@${domain}>\r\nTo: bob@example.net\r\nSubject: key vs zone\r\nDate: Mon, 01 Jan 2024 00:00:00 +0000\r\nMessage-ID: <z1@${domain}>\r\n\r\nHello.\r\n`;
}

/** `opendkim -x CONF -t FILE -vvv` under setsid; its output. */
function opendkimTestMode(conf: string, file: string): { out: string; describe: () => string } {
  const args = [OPENDKIM, '-x', conf, '-t', file, '-vvv'];
  const r = run(SETSID, args, { input: '', timeoutMs: 30_000 });
  return { out: r.stdout + r.stderr, describe: () => describeRun(SETSID, args, r) };
}

/** The real OpenDKIM signs a message from `domain` with the KeyTable's key: the signed message. */
function sign(domain: Domain): string {
  const file = path.join(work, `${domain}.eml`);
  fs.writeFileSync(file, message(domain));
  const { out, describe } = opendkimTestMode(path.join(etc, 'opendkim.conf'), file);
  const header = /INSHEADER: idx=0 hname='DKIM-Signature' hvalue='([^']*)'/.exec(out)?.[1];
  assert.ok(header && new RegExp(`\\bd=${domain.replace('.', '\\.')};\\s+s=${SELECTOR};`).test(header), `OpenDKIM signs for ${domain}: ${describe()}`);
  return `DKIM-Signature: ${header.replace(/\r?\n/g, '\r\n')}\r\n${message(domain)}`;
}

/** OpenDKIM in verify mode, the key fetched from named: dkim=RESULT and, on failure, why. */
function verify(signed: string): string {
  const dir = fs.mkdtempSync(path.join(work, 'verify-'));
  fs.writeFileSync(path.join(dir, 'opendkim.conf'), `Mode v\nSyslog no\nResolverConfiguration ${unboundConf}\n`);
  fs.writeFileSync(path.join(dir, 'signed.eml'), signed);
  const { out, describe } = opendkimTestMode(path.join(dir, 'opendkim.conf'), path.join(dir, 'signed.eml'));
  const ar = /hname='Authentication-Results' hvalue='[^']*\bdkim=([a-z]+)/.exec(out)?.[1];
  assert.ok(ar, `no Authentication-Results: ${describe()}`);
  const why = /verification \([^)]*\) failed: (.*)$/m.exec(out)?.[1]?.trim() ?? /: (key retrieval failed|no key|.*not found.*)$/m.exec(out)?.[1];
  return why ? `${ar} (${why})` : ar;
}

/** opendkim-testkey: the key published at the domain's selector (from named) against the key file. */
function testkey(domain: Domain): string {
  const args = [TESTKEY, '-x', path.join(etc, 'opendkim.conf'), '-d', domain, '-s', SELECTOR, '-k', key.privateKey, '-vvv'];
  const r = run(SETSID, args, { input: '', timeoutMs: 30_000 });
  const out = (r.stdout + r.stderr).trim().split('\n').filter((l) => !/^opendkim-testkey: (using default configfile|checking key|key loaded|.*key not secure)/.test(l));
  return `${r.status}: ${out.join(' | ')}`;
}

interface JsonFinding { line: number; column: number; code: string; severity: string; message: string; fixes?: unknown }

/** `mailconf check --format json` on the tree (the built CLI): the key/zone findings per file. */
async function mailconf(): Promise<{ byFile: Record<string, string[]>; raw: string }> {
  const r = await runCli(['check', '--format', 'json', work]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const files = (JSON.parse(r.stdout) as { files: Array<{ path: string; findings: JsonFinding[] }> }).files;
  const byFile: Record<string, string[]> = {};
  for (const f of files) {
    const mine = f.findings.filter((x) => x.code === 'opendkim/key-not-in-zone' || x.code === 'opendkim/key-mismatch-zone');
    if (mine.length) byFile[path.relative(work, path.resolve(REPO, f.path))] = mine.map((x) => `${x.line}:${x.column} ${x.severity} ${x.code}`);
  }
  return { byFile, raw: r.stdout + r.stderr };
}

test('real OpenDKIM, named and opendkim-testkey agree with mailconf on each domain; mailconf\'s fixes make all three verify', async () => {
  const signed = Object.fromEntries(DOMAINS.map((d) => [d, sign(d)])) as Record<Domain, string>;
  const before = Object.fromEntries(DOMAINS.map((d) => [d, { verify: verify(signed[d]), testkey: testkey(d) }]));
  assert.deepEqual(before, {
    'published.test': { verify: 'pass', testkey: '0: opendkim-testkey: key OK' },
    'otherkey.test': { verify: 'fail (signature verification failed)', testkey: '65: opendkim-testkey: keys do not match' },
    'nokey.test': { verify: 'fail (key not found in DNS)', testkey: "69: opendkim-testkey: 'mail._domainkey.nokey.test' record not found" },
  });

  const found = await mailconf();
  assert.deepEqual(found.byFile, {
    // The key path of otherkey.test's entry; the domain and selector of nokey.test's; the p= of the record.
    'etc/opendkim/KeyTable': ['2:50 error opendkim/key-mismatch-zone', '3:28 warning opendkim/key-not-in-zone'],
    'zones/otherkey.test.zone': ['11:5 error opendkim/key-mismatch-zone'],
  }, JSON.stringify(before));
  const pem = fs.readFileSync(key.privateKey, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  for (let i = 64; i + 40 <= pem.length; i += 20) assert.ok(!found.raw.includes(pem.slice(i, i + 40)), 'no piece of the private key in mailconf\'s output');

  // mailconf's quick-fixes, from the core as the editor gets them, written to the zone files.
  applyFixes();
  await serveZones();
  for (const d of DOMAINS) {
    assert.equal(verify(signed[d]), 'pass', `${d} after mailconf's fix`);
    assert.match(testkey(d), /^0: .*key OK/, d);
  }
  assert.deepEqual((await mailconf()).byFile, {}, 'nothing more to report');
});

/** The fix of each key/zone finding (the zone side of a mismatch, the KeyTable side of an absence), applied on disk. */
function applyFixes(): void {
  // In-process, as the server computes fixes, over the files as `mailconf check` loads them.
  const { workspace } = loadConfigTree([work]);
  const wanted: Array<{ own: string; edits: TextEdit[] }> = [];
  for (const doc of workspace.all()) {
    for (const f of diagnose({ doc, workspace, settings: DEFAULT_SETTINGS })) {
      const sideWithFix = (f.code === 'opendkim/key-mismatch-zone' && doc.kind === 'dns-zone') || f.code === 'opendkim/key-not-in-zone';
      if (sideWithFix) {
        assert.ok(f.fixes?.length, `${f.code} on ${doc.uri} has a fix`);
        wanted.push({ own: doc.uri, edits: f.fixes![0].edits });
      }
    }
  }
  assert.equal(wanted.length, 2);
  for (const { own, edits } of wanted) {
    const byFile = new Map<string, TextEdit[]>();
    for (const e of edits) byFile.set(e.uri ?? own, [...(byFile.get(e.uri ?? own) ?? []), e]);
    for (const [uri, list] of byFile) {
      const file = fileURLToPath(uri);
      let text = fs.readFileSync(file, 'utf8');
      const index = new LineIndex(text);
      for (const e of [...list].sort((a, b) => index.offsetAt(b.range.start) - index.offsetAt(a.range.start))) {
        text = text.slice(0, index.offsetAt(e.range.start)) + e.newText + text.slice(index.offsetAt(e.range.end));
      }
      fs.writeFileSync(file, text);
    }
  }
}
