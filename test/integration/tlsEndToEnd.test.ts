// The smtpd TLS checks against Debian's real Postfix. Each case starts Postfix from
// fixtures/tls-smtpd with one smtpd TLS setting, talks SMTP to it, reads its log, and has
// mailconf judge the same configuration:
//
//   encrypt + certificate   the internet-facing smtpd answers MAIL FROM without STARTTLS with
//                           530 (after STARTTLS the same command is accepted): mailconf says
//                           postfix/tls-required-on-mx; its quick fix gives the `may` setup below
//   may, no certificate     "No server certs available. TLS won't be enabled" in the log;
//                           STARTTLS is still announced but answered 454; mail comes in plaintext:
//                           postfix/tls-without-certificate (warning)
//   encrypt, no certificate STARTTLS 454 and MAIL FROM 530: no mail at all:
//                           postfix/tls-without-certificate (error)
//   may + certificate       (self-signed, made with `openssl req -x509`) STARTTLS, handshake,
//                           mail accepted over TLS: no TLS finding
//
// Postfix runs the smtpd on 127.0.0.1 and a free port (the test cannot take port 25); mailconf
// judges the configuration as deployed, with that smtpd as `smtp` (port 25) like Debian's
// master.cf — the only difference between the two renderings (see the fixture's master.cf).
//
// Needs Linux, root, Postfix and openssl (scripts/install-system-packages.sh); a missing piece
// fails with advice, never skips. The certificate's private key stays in a 0700 temporary
// directory and is never printed. Logs go to .test-artifacts/tls-e2e/<case>/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MailStack, SENDER, RECIPIENT } from './harness/mailStack';
import { SmtpSession, ehloKeywords } from './harness/smtpClient';
import { renderFixture } from './harness/fixture';
import { mailconfVerdict, type AttributedFinding } from './harness/mailconfVerdict';
import { programAvailable, run, describeRun } from './harness/processes';
import { applyTextEdits } from '../../server/src/core/text/applyEdits';

const REPO = path.resolve(__dirname, '../..');
const FIXTURE = path.join(__dirname, 'fixtures', 'tls-smtpd');
const ARTIFACTS = path.join(REPO, '.test-artifacts', 'tls-e2e');
const TLS_CODES = ['postfix/tls-required-on-mx', 'postfix/tls-without-certificate', 'postfix/outbound-tls-off'];
const NO_CERTIFICATE = '# no server certificate';

let certDir = '';
let certificateLines = '';

before(() => {
  const missing: string[] = [];
  if (process.platform !== 'linux') missing.push(`Debian's Postfix needs Linux, not ${process.platform}`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) missing.push('Postfix\'s master must be started as root: run the test as root, as CI does');
  if (!programAvailable('postfix', ['-c', '/nonexistent', 'status'])) missing.push('`postfix` is not installed (apt-get install postfix; scripts/install-system-packages.sh)');
  if (!programAvailable('openssl', ['version'])) missing.push('`openssl` is not installed (apt-get install openssl)');
  assert.deepEqual(missing, [], `the TLS end-to-end test cannot run here:\n${missing.join('\n')}`);
  // A self-signed certificate, as an admin makes one for a test server.
  certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-tls-cert-'));
  fs.chmodSync(certDir, 0o700);
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=mail.example.test',
    '-keyout', path.join(certDir, 'key.pem'), '-out', path.join(certDir, 'cert.pem')];
  const r = run('openssl', args, { timeoutMs: 60_000 });
  assert.equal(r.status, 0, `openssl could not make the test certificate: ${describeRun('openssl', args.slice(0, 9), r)}`);
  certificateLines = `smtpd_tls_cert_file = ${path.join(certDir, 'cert.pem')}\nsmtpd_tls_key_file = ${path.join(certDir, 'key.pem')}`;
});

after(() => {
  if (certDir) fs.rmSync(certDir, { recursive: true, force: true });
});

interface Case {
  name: string;
  level: 'may' | 'encrypt';
  certificate: boolean;
}

/** The fixture's own placeholders for a case; `deployed` renders the smtpd as `smtp` (port 25). */
function placeholders(c: Case, deployed: boolean): Record<string, string> {
  return {
    SMTPD_TLS_LEVEL: c.level,
    SMTPD_TLS_CERTIFICATE: c.certificate ? certificateLines : NO_CERTIFICATE,
    SMTPD_HOST: deployed ? '' : '127.0.0.1:',
    ...(deployed ? { SMTPD_PORT: 'smtp' } : {}),
  };
}

/** mailconf's findings on the case's configuration as deployed, and that main.cf's text. */
function verdict(stack: MailStack, c: Case): { tls: AttributedFinding[]; all: AttributedFinding[]; mainCf: string } {
  const etc = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-tls-deployed-'));
  try {
    const files = renderFixture(FIXTURE, etc, {
      ETC: etc, QUEUE: stack.queueDir, DATA: stack.dataDir, LOG: stack.logDir, SINK_PORT: String(stack.ports.sink),
      SMTPD_PORT: String(stack.ports.smtpd), ...placeholders(c, true),
    });
    const v = mailconfVerdict(etc, files);
    return { tls: v.all.filter((f) => TLS_CODES.includes(f.code)), all: v.all, mainCf: fs.readFileSync(path.join(etc, 'postfix', 'main.cf'), 'utf8') };
  } finally {
    fs.rmSync(etc, { recursive: true, force: true });
  }
}

async function withCase<T>(c: Case, body: (stack: MailStack) => Promise<T>): Promise<T> {
  const stack = await MailStack.start({
    name: c.name, fixtureDir: FIXTURE, placeholders: placeholders(c, false), artifactsDir: path.join(ARTIFACTS, c.name),
  });
  try {
    return await body(stack);
  } finally {
    await stack.stop();
  }
}

/** Postfix's log lines that mention TLS or certificates, without the date and host. */
function tlsLogLines(stack: MailStack): string[] {
  return stack.postfixLog().split('\n').filter((l) => /TLS|cert/i.test(l)).map((l) => l.replace(/^\w{3} +\d+ [\d:]+ \S+ /, ''));
}

const listed = (fs: AttributedFinding[]) => fs.map((f) => `${f.file}:${f.line} ${f.severity} ${f.code}: ${f.message}`).join('\n') || '(none)';

test('encrypt on the internet-facing smtpd: MAIL FROM without STARTTLS gets 530; mailconf: tls-required-on-mx, fixed by may', async () => {
  const c: Case = { name: 'mx-encrypt', level: 'encrypt', certificate: true };
  await withCase(c, async (stack) => {
    const plain = await SmtpSession.open(stack.ports.smtpd);
    try {
      assert.ok(ehloKeywords(await plain.expect('250', 'EHLO client.example.test')).includes('STARTTLS'));
      const mail = await plain.command(`MAIL FROM:<${SENDER}>`);
      assert.match(mail, /^530 5\.7\.0 Must issue a STARTTLS command first/, 'a server without TLS is refused');
    } finally {
      plain.close();
    }
    // The refusal is the requirement, not broken TLS: after STARTTLS the same command is accepted.
    const secure = await SmtpSession.open(stack.ports.smtpd);
    try {
      await secure.expect('250', 'EHLO client.example.test');
      await secure.expect('220', 'STARTTLS');
      assert.match(await secure.startTls(), /^TLSv1\.[23]$/);
      await secure.expect('250', 'EHLO client.example.test');
      await secure.expect('250', `MAIL FROM:<${SENDER}>`);
      await secure.expect('250', `RCPT TO:<${RECIPIENT}>`);
      await secure.expect('221', 'QUIT');
    } finally {
      secure.close();
    }

    const v = verdict(stack, c);
    assert.deepEqual(v.tls.map((f) => [f.file, f.code, f.severity]), [['postfix/main.cf', 'postfix/tls-required-on-mx', 'warning']], listed(v.all));
    const [finding] = v.tls;
    assert.match(v.mainCf.split('\n')[finding.line - 1], /^smtpd_tls_security_level = encrypt$/);
    assert.match(finding.message, /530 5\.7\.0 Must issue a STARTTLS command first/);
    // The quick fix turns this main.cf into the one of the `may` case with the same certificate
    // (run below: plaintext mail is accepted there, and mailconf is quiet).
    const fixed = applyTextEdits(v.mainCf, finding.fixes[0].edits);
    const mayCase = verdict(stack, { name: 'fixed', level: 'may', certificate: true });
    assert.equal(fixed, mayCase.mainCf);
  });
});

test('may without a certificate: STARTTLS announced but answered 454, log warning, mail arrives in plaintext; mailconf: tls-without-certificate (warning)', async () => {
  const c: Case = { name: 'may-no-cert', level: 'may', certificate: false };
  await withCase(c, async (stack) => {
    const s = await SmtpSession.open(stack.ports.smtpd);
    try {
      // smtpd.c keeps announcing STARTTLS (var_smtpd_use_tls stays on) …
      assert.ok(ehloKeywords(await s.expect('250', 'EHLO client.example.test')).includes('STARTTLS'));
      // … but has no TLS context to start.
      assert.match(await s.command('STARTTLS'), /^454 4\.7\.0 TLS not available due to local problem/);
    } finally {
      s.close();
    }
    const outcome = await stack.submit('smtp');
    assert.ok(outcome.accepted && outcome.delivered, `plaintext mail still flows: ${JSON.stringify(outcome)}`);
    assert.ok(tlsLogLines(stack).some((l) => l.includes("warning: No server certs available. TLS won't be enabled")), tlsLogLines(stack).join('\n'));

    const v = verdict(stack, c);
    assert.deepEqual(v.tls.map((f) => [f.file, f.code, f.severity]), [['postfix/main.cf', 'postfix/tls-without-certificate', 'warning']], listed(v.all));
    assert.match(v.mainCf.split('\n')[v.tls[0].line - 1], /^smtpd_tls_security_level = may$/);
    assert.match(v.tls[0].message, /No server certs available/);
    assert.match(v.tls[0].message, /454 4\.7\.0/);
  });
});

test('encrypt without a certificate: STARTTLS 454 and MAIL FROM 530, no mail at all; mailconf: tls-without-certificate (error)', async () => {
  const c: Case = { name: 'encrypt-no-cert', level: 'encrypt', certificate: false };
  await withCase(c, async (stack) => {
    const s = await SmtpSession.open(stack.ports.smtpd);
    try {
      await s.expect('250', 'EHLO client.example.test');
      assert.match(await s.command('STARTTLS'), /^454 4\.7\.0 TLS not available due to local problem/);
      assert.match(await s.command(`MAIL FROM:<${SENDER}>`), /^530 5\.7\.0 Must issue a STARTTLS command first/);
    } finally {
      s.close();
    }
    const outcome = await stack.submit('smtp');
    assert.equal(outcome.accepted, false, 'no mail is accepted');
    assert.match(outcome.submitError ?? '', /530 5\.7\.0/);

    const v = verdict(stack, c);
    assert.deepEqual(v.tls.map((f) => [f.code, f.severity]).sort(), [
      ['postfix/tls-required-on-mx', 'warning'],
      ['postfix/tls-without-certificate', 'error'],
    ], listed(v.all));
    const cert = v.tls.find((f) => f.code === 'postfix/tls-without-certificate')!;
    assert.match(cert.message, /no mail is accepted there at all/);
  });
});

test('may with a self-signed certificate (openssl req -x509): STARTTLS works, mail accepted over TLS and in plaintext; mailconf: no TLS finding', async () => {
  const c: Case = { name: 'may-cert', level: 'may', certificate: true };
  await withCase(c, async (stack) => {
    const s = await SmtpSession.open(stack.ports.smtpd);
    try {
      assert.ok(ehloKeywords(await s.expect('250', 'EHLO client.example.test')).includes('STARTTLS'));
      await s.expect('220', 'STARTTLS');
      assert.match(await s.startTls(), /^TLSv1\.[23]$/);
      assert.ok(!ehloKeywords(await s.expect('250', 'EHLO client.example.test')).includes('STARTTLS'), 'no second STARTTLS inside TLS');
      await s.expect('250', `MAIL FROM:<${SENDER}>`);
      await s.expect('250', `RCPT TO:<${RECIPIENT}>`);
      await s.expect('221', 'QUIT');
    } finally {
      s.close();
    }
    const outcome = await stack.submit('smtp');
    assert.ok(outcome.accepted && outcome.delivered, JSON.stringify(outcome));
    assert.ok(!tlsLogLines(stack).some((l) => /No server certs|cannot get|disabling TLS/.test(l)), tlsLogLines(stack).join('\n'));

    const v = verdict(stack, c);
    assert.deepEqual(v.tls, [], listed(v.all));
  });
});
