// postfix/size-limit-conflict and postfix/domain-in-two-classes against Debian's real Postfix.
// Each case starts Postfix alone from a fixture (harness/mailStack.ts; no OpenDKIM), sends
// mail to it over SMTP, reads its log and queue, and has mailconf judge the same files:
//
//   size-local-conflict    message_size_limit = 100 MB, mailbox_size_limit at its default:
//                          local(8) logs the fatal error mailconf quotes, the message stays queued
//   size-local-raised      the same after mailconf's quick fix: local(8) delivers, no finding
//   size-virtual-conflict  virtual_mailbox_limit below the default message_size_limit: virtual(8)
//                          logs its fatal error, the message stays queued
//   size-virtual-raised    after the quick fix: virtual(8) writes the maildir file, no finding
//   size-virtual-unused    the same small limit without virtual mailbox domains: virtual(8) is
//                          never started, mail is delivered, no finding (why mailconf asks
//                          whether a transport uses the agent)
//   classes-overlap        five domains, each in two address-class lists: trivial-rewrite logs
//                          the "BOTH" warning mailconf quotes, and the mail is rejected or
//                          delivered in the class mailconf names
//   classes-separate       each domain in one list: no warning, mail goes where it was meant to
//
// Local delivery is shown without writing a mailbox on this machine: the local account is an
// alias that local(8) forwards to the harness's SMTP sink. The virtual and relay classes have
// transports of their own (vsink, rsink: smtp to the sink with their own log names).
//
// Needs Linux, root and Postfix (scripts/install-system-packages.sh); a missing piece fails
// with advice, never skips. Logs and rendered files go to .test-artifacts/size-classes-e2e/<case>/.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MailStack, SENDER } from './harness/mailStack';
import { SmtpSession } from './harness/smtpClient';
import { mailconfVerdict, type AttributedFinding } from './harness/mailconfVerdict';
import { programAvailable } from './harness/processes';
import { applyTextEdits } from '../../server/src/core/text/applyEdits';

const REPO = path.resolve(__dirname, '../..');
const FIXTURES = path.join(__dirname, 'fixtures');
const ARTIFACTS = path.join(REPO, '.test-artifacts', 'size-classes-e2e');
const SIZE = 'postfix/size-limit-conflict';
const CLASSES = 'postfix/domain-in-two-classes';
/** The user virtual(8) delivers as (the fixtures' virtual_uid_maps/virtual_gid_maps = static:65534). */
const NOBODY = 65534;

before(() => {
  const missing: string[] = [];
  if (process.platform !== 'linux') missing.push(`Debian's Postfix needs Linux, not ${process.platform}`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) missing.push('Postfix\'s master must be started as root: run the test as root, as CI does');
  if (!programAvailable('postfix', ['-c', '/nonexistent', 'status'])) missing.push('`postfix` is not installed (apt-get install postfix; scripts/install-system-packages.sh)');
  assert.deepEqual(missing, [], `this end-to-end test cannot run here:\n${missing.join('\n')}`);
});

async function withFixture<T>(name: string, body: (stack: MailStack) => Promise<T>): Promise<T> {
  const stack = await MailStack.start({ name, fixtureDir: path.join(FIXTURES, name), artifactsDir: path.join(ARTIFACTS, name) });
  try {
    // virtual(8) delivers as nobody into {{LOG}}/vmail (the harness makes the log folder 0755;
    // data_directory is 0700). Only the virtual fixtures use it.
    const vmail = path.join(stack.logDir, 'vmail');
    fs.mkdirSync(vmail, { mode: 0o700 });
    fs.chownSync(vmail, NOBODY, NOBODY);
    return await body(stack);
  } finally {
    await stack.stop();
  }
}

/** mailconf's findings of the two codes on the rendered files. */
function findings(stack: MailStack): AttributedFinding[] {
  return mailconfVerdict(stack.etcDir, stack.renderedFiles).all.filter((f) => f.code === SIZE || f.code === CLASSES);
}

const listed = (fs_: AttributedFinding[]) => fs_.map((f) => `${f.file}:${f.line} ${f.severity} ${f.code}: ${f.message}`).join('\n') || '(none)';

interface Sent {
  /** The reply to RCPT TO. */
  rcpt: string;
  /** The reply after the message data (when RCPT was accepted). */
  data?: string;
}

/** One message to `to` over SMTP; a rejected recipient ends the session. */
async function send(stack: MailStack, to: string): Promise<Sent> {
  const s = await SmtpSession.open(stack.ports.smtpd);
  try {
    await s.expect('250', 'EHLO client.example.test');
    await s.expect('250', `MAIL FROM:<${SENDER}>`);
    const rcpt = await s.command(`RCPT TO:<${to}>`);
    if (!rcpt.startsWith('250')) return { rcpt };
    await s.expect('354', 'DATA');
    const data = await s.command(`From: <${SENDER}>\r\nTo: <${to}>\r\nSubject: mailconf size and classes test\r\n\r\nHello.\r\n.`);
    await s.command('QUIT');
    return { rcpt, data };
  } finally {
    s.close();
  }
}

/** The quoted Postfix log text a mailconf message announces ("fatal: …", "warning: …"). */
function quotedLogText(message: string, prefix: 'fatal' | 'warning'): string {
  const m = new RegExp(`"(${prefix}: [^"]+)"`).exec(message);
  assert.ok(m, `the message quotes a ${prefix} line: ${message}`);
  return m[1];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The fixture's main.cf with the finding's quick fix applied, compared line by line (comments aside) with `fixed`. */
function assertFixGives(fixture: string, fixed: string): void {
  const dir = path.join(FIXTURES, fixture);
  const files = [path.join(dir, 'postfix', 'main.cf'), path.join(dir, 'postfix', 'master.cf')];
  const f = mailconfVerdict(dir, files).all.filter((x) => x.code === SIZE);
  assert.equal(f.length, 1, listed(f));
  assert.equal(f[0].fixes.length, 1, 'one quick fix');
  const mainUri = new URL(`file://${files[0]}`).href;
  const edits = f[0].fixes[0].edits.filter((e) => e.uri === undefined || e.uri === mainUri);
  assert.equal(edits.length, f[0].fixes[0].edits.length, 'the fix edits main.cf only');
  const settings = (text: string) => text.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const after = applyTextEdits(fs.readFileSync(files[0], 'utf8'), edits);
  assert.deepEqual(settings(after), settings(fs.readFileSync(path.join(FIXTURES, fixed, 'postfix', 'main.cf'), 'utf8')));
}

// ------------------------------------------------------------------ size limits

test('local(8): message_size_limit over the default mailbox_size_limit — the fatal error mailconf quotes, mail stays queued', { timeout: 120_000 }, async () => {
  await withFixture('size-local-conflict', async (stack) => {
    const found = findings(stack);
    assert.equal(found.length, 1, listed(found));
    const f = found[0];
    assert.deepEqual([f.file, f.code, f.severity], ['postfix/main.cf', SIZE, 'error']);
    assert.match(fs.readFileSync(path.join(stack.postfixDir, 'main.cf'), 'utf8').split('\n')[f.line - 1], /^message_size_limit = 104857600$/);
    const fatal = quotedLogText(f.message, 'fatal');

    const sent = await send(stack, 'tester@local.example.test');
    assert.match(sent.data ?? sent.rcpt, /^250 /, 'smtpd accepts the message (it is small)');
    const line = await stack.waitForLog(new RegExp(`postfix/local\\[\\d+\\]: ${escape(fatal)}$`), 20_000);
    assert.ok(line, `local(8) logs "${fatal}"\n${stack.diagnosticTail()}`);
    assert.ok(await stack.waitForLog(/\/local: bad command startup -- throttling/, 10_000), 'master throttles the local service');
    const queued = stack.queue();
    assert.deepEqual(queued.flatMap((m) => m.recipients.map((r) => r.address)), ['tester@local.example.test'], 'the message waits in the queue');
    assert.doesNotMatch(stack.postfixLog(), /status=sent/);
  });
  assertFixGives('size-local-conflict', 'size-local-raised');
});

test('local(8): after the quick fix (mailbox_size_limit = message_size_limit) it starts and delivers; no finding', { timeout: 120_000 }, async () => {
  await withFixture('size-local-raised', async (stack) => {
    assert.deepEqual(findings(stack), []);
    const sent = await send(stack, 'tester@local.example.test');
    assert.match(sent.data ?? sent.rcpt, /^250 /);
    assert.ok(await stack.waitForLog(/postfix\/local\[\d+\]: \w+: to=<tester@local\.example\.test>, .*status=sent \(forwarded as/, 20_000), stack.diagnosticTail());
    assert.ok(await stack.waitForLog(/orig_to=<tester@local\.example\.test>, relay=127\.0\.0\.1.*status=sent \(250 2\.0\.0 stored\)/, 20_000), stack.diagnosticTail());
    assert.doesNotMatch(stack.postfixLog(), /fatal/);
  });
});

test('virtual(8): virtual_mailbox_limit below message_size_limit — its fatal error, mail stays queued', { timeout: 120_000 }, async () => {
  await withFixture('size-virtual-conflict', async (stack) => {
    const found = findings(stack);
    assert.equal(found.length, 1, listed(found));
    const f = found[0];
    assert.match(fs.readFileSync(path.join(stack.postfixDir, 'main.cf'), 'utf8').split('\n')[f.line - 1], /^virtual_mailbox_limit = 5000000$/);
    const fatal = quotedLogText(f.message, 'fatal');
    assert.equal(fatal, 'fatal: configuration error: virtual_mailbox_limit is smaller than message_size_limit');

    const sent = await send(stack, 'box@virt.example.test');
    assert.match(sent.data ?? sent.rcpt, /^250 /);
    assert.ok(await stack.waitForLog(new RegExp(`postfix/virtual\\[\\d+\\]: ${escape(fatal)}$`), 20_000), stack.diagnosticTail());
    assert.deepEqual(stack.queue().flatMap((m) => m.recipients.map((r) => r.address)), ['box@virt.example.test']);
  });
  assertFixGives('size-virtual-conflict', 'size-virtual-raised');
});

test('virtual(8): after the quick fix it delivers into the maildir; no finding', { timeout: 120_000 }, async () => {
  await withFixture('size-virtual-raised', async (stack) => {
    assert.deepEqual(findings(stack), []);
    const sent = await send(stack, 'box@virt.example.test');
    assert.match(sent.data ?? sent.rcpt, /^250 /);
    assert.ok(await stack.waitForLog(/postfix\/virtual\[\d+\]: \w+: to=<box@virt\.example\.test>, relay=virtual, .*status=sent \(delivered to maildir\)/, 20_000), stack.diagnosticTail());
    const fresh = fs.readdirSync(path.join(stack.logDir, 'vmail', 'virt.example.test', 'box', 'new'));
    assert.equal(fresh.length, 1, 'one message in the maildir');
  });
});

test('virtual(8) not used by any transport: the small limit breaks nothing, and mailconf says nothing', { timeout: 120_000 }, async () => {
  await withFixture('size-virtual-unused', async (stack) => {
    assert.deepEqual(findings(stack), []);
    const sent = await send(stack, 'tester@local.example.test');
    assert.match(sent.data ?? sent.rcpt, /^250 /);
    assert.ok(await stack.waitForLog(/orig_to=<tester@local\.example\.test>, relay=127\.0\.0\.1.*status=sent/, 20_000), stack.diagnosticTail());
    assert.doesNotMatch(stack.postfixLog(), /postfix\/virtual\[/, 'virtual(8) never ran');
  });
});

// ------------------------------------------------------------------ address classes

/** What each domain of the class fixtures is listed in, and what the test sends to it. */
const DOMAINS = {
  destAndMailbox: 'dest-and-mailbox.example.test',
  destAndAlias: 'dest-and-alias.example.test',
  aliasAndMailbox: 'alias-and-mailbox.example.test',
  aliasAndRelay: 'alias-and-relay.example.test',
  mailboxAndRelay: 'mailbox-and-relay.example.test',
};

test('classes-overlap: trivial-rewrite logs each "BOTH" warning mailconf quotes, and the class mailconf names takes the mail', { timeout: 120_000 }, async () => {
  await withFixture('classes-overlap', async (stack) => {
    const found = findings(stack);
    const pairs = found.map((f) => [/`([^`]+)` is listed/.exec(f.message)?.[1], f.severity, quotedLogText(f.message, 'warning')]);
    assert.deepEqual(pairs.sort(), [
      [DOMAINS.aliasAndMailbox, 'error', `warning: do not list domain ${DOMAINS.aliasAndMailbox} in BOTH virtual_alias_domains and virtual_mailbox_domains`],
      [DOMAINS.aliasAndRelay, 'error', `warning: do not list domain ${DOMAINS.aliasAndRelay} in BOTH virtual_alias_domains and relay_domains`],
      [DOMAINS.destAndAlias, 'warning', `warning: do not list domain ${DOMAINS.destAndAlias} in BOTH mydestination and virtual_alias_domains`],
      [DOMAINS.destAndMailbox, 'error', `warning: do not list domain ${DOMAINS.destAndMailbox} in BOTH mydestination and virtual_mailbox_domains`],
      [DOMAINS.mailboxAndRelay, 'error', `warning: do not list domain ${DOMAINS.mailboxAndRelay} in BOTH virtual_mailbox_domains and relay_domains`],
    ].sort(), listed(found));
    // Each finding sits on the entry of the list that wins (the one to remove it from).
    const mainLines = fs.readFileSync(path.join(stack.postfixDir, 'main.cf'), 'utf8').split('\n');
    for (const f of found) {
      const winner = /Postfix checks (\w+) first/.exec(f.message)?.[1] ?? '';
      assert.ok(mainLines[f.line - 1].startsWith(`${winner} =`), `${f.message} is on line ${f.line}`);
    }

    // mydestination wins over virtual_mailbox_domains: the mailbox user is not a local account.
    const ml = await send(stack, `box@${DOMAINS.destAndMailbox}`);
    assert.match(ml.rcpt, /^550 5\.1\.1 .*User unknown in local recipient table/);
    assert.match(found.find((f) => f.message.includes(`\`${DOMAINS.destAndMailbox}\``))!.message, /User unknown in local recipient table/);
    // virtual_alias_domains wins over virtual_mailbox_domains and relay_domains.
    for (const d of [DOMAINS.aliasAndMailbox, DOMAINS.aliasAndRelay]) {
      const r = await send(stack, `box@${d}`);
      assert.match(r.rcpt, /^550 5\.1\.1 .*User unknown in virtual alias table/, d);
      assert.match(found.find((f) => f.message.includes(`\`${d}\``))!.message, /User unknown in virtual alias table/);
    }
    // mydestination wins over virtual_alias_domains: the alias still works, and a local
    // account name is accepted in that domain and delivered by local(8).
    assert.match((await send(stack, `alias@${DOMAINS.destAndAlias}`)).data ?? '', /^250 /);
    assert.match((await send(stack, `tester@${DOMAINS.destAndAlias}`)).data ?? '', /^250 /);
    assert.ok(await stack.waitForLog(new RegExp(`postfix/local\\[\\d+\\]: \\w+: to=<tester@${escape(DOMAINS.destAndAlias)}>, .*status=sent`), 20_000), stack.diagnosticTail());
    assert.ok(await stack.waitForLog(new RegExp(`orig_to=<alias@${escape(DOMAINS.destAndAlias)}>, .*status=sent`), 20_000), stack.diagnosticTail());
    // virtual_mailbox_domains wins over relay_domains: delivered by the virtual transport, not relayed.
    assert.match((await send(stack, `box@${DOMAINS.mailboxAndRelay}`)).data ?? '', /^250 /);
    assert.ok(await stack.waitForLog(new RegExp(`postfix/vsink/smtp\\[\\d+\\]: \\w+: to=<box@${escape(DOMAINS.mailboxAndRelay)}>, .*status=sent`), 20_000), stack.diagnosticTail());
    assert.doesNotMatch(stack.postfixLog(), /postfix\/rsink\//, 'nothing was relayed');

    // Every warning mailconf quotes is in Postfix's log, as trivial-rewrite's.
    const log = stack.postfixLog();
    for (const f of found) {
      const warning = quotedLogText(f.message, 'warning');
      assert.match(log, new RegExp(`postfix/trivial-rewrite\\[\\d+\\]: ${escape(warning)}\\n`), warning);
    }
  });
});

test('classes-separate: each domain in one list — no warning, the mail goes to the class it was meant for; no finding', { timeout: 120_000 }, async () => {
  await withFixture('classes-separate', async (stack) => {
    assert.deepEqual(findings(stack), []);
    for (const d of [DOMAINS.destAndMailbox, DOMAINS.aliasAndMailbox]) {
      assert.match((await send(stack, `box@${d}`)).data ?? '', /^250 /, d);
      assert.ok(await stack.waitForLog(new RegExp(`postfix/vsink/smtp\\[\\d+\\]: \\w+: to=<box@${escape(d)}>, .*status=sent`), 20_000), stack.diagnosticTail());
    }
    for (const d of [DOMAINS.aliasAndRelay, DOMAINS.mailboxAndRelay]) {
      assert.match((await send(stack, `box@${d}`)).data ?? '', /^250 /, d);
      assert.ok(await stack.waitForLog(new RegExp(`postfix/rsink/smtp\\[\\d+\\]: \\w+: to=<box@${escape(d)}>, .*status=sent`), 20_000), stack.diagnosticTail());
    }
    // A virtual alias domain only: aliases work, other names are unknown.
    assert.match((await send(stack, `alias@${DOMAINS.destAndAlias}`)).data ?? '', /^250 /);
    assert.match((await send(stack, `tester@${DOMAINS.destAndAlias}`)).rcpt, /^550 5\.1\.1 .*User unknown in virtual alias table/);
    assert.doesNotMatch(stack.postfixLog(), /in BOTH/);
  });
});
