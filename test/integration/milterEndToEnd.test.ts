// End-to-end test of the Postfix ↔ OpenDKIM milter link with the real programs (issue 4,
// "Must show"): for each fixture under fixtures/, Debian's Postfix and OpenDKIM run on
// loopback inside a temporary directory (harness/mailStack.ts), one message is submitted
// over SMTP (smtpd_milters applies) and one with sendmail (pickup → cleanup,
// non_smtpd_milters applies), and the SMTP sink that plays the outside world shows whether
// each left with a DKIM-Signature (checked again with python3-dkim).
//
// Two tests per case:
//   1. "real programs": what actually happened must be what the fixture was built to show
//      (this is the harness; it must pass on its own).
//   2. "mailconf agrees": mailconf's diagnose() over the same files (harness/mailconfVerdict.ts)
//      must report a `milter/*` error for every path whose mail left unsigned, and none for a
//      path whose mail was signed. Where the link works but OpenDKIM does not sign (a case's
//      `unsignedBecause`), that finding must explain the unsigned mail instead, and no
//      `milter/*` error may be reported.
// The observed table is printed at the end and written to .test-artifacts/milter-e2e.txt;
// each case's logs and rendered configuration go to .test-artifacts/milter-e2e/<case>/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MailStack, type PathOutcome, type SubmissionPath } from './harness/mailStack';
import { mailconfVerdict, type MailconfVerdict } from './harness/mailconfVerdict';
import { missingRequirements } from './harness/requirements';

const REPO = path.resolve(__dirname, '../..');
const FIXTURES = path.join(__dirname, 'fixtures');
const ARTIFACTS = path.join(REPO, '.test-artifacts');

type Outcome = 'signed' | 'unsigned';

interface E2ECase {
  dir: string;
  what: string;
  expect: Record<SubmissionPath, Outcome>;
  /**
   * The finding that must explain unsigned mail when the link itself is fine (OpenDKIM is
   * reached but does not sign); without it, a `milter/*` error must.
   */
  unsignedBecause?: string;
}

const CASES: E2ECase[] = [
  { dir: '01-inet-match', what: 'inet socket, same port on both sides', expect: { smtp: 'signed', sendmail: 'signed' } },
  { dir: '02-unix-chroot-match', what: 'unix socket in the chroot jail, path relative to it', expect: { smtp: 'signed', sendmail: 'signed' } },
  { dir: '03-inet-port-mismatch', what: 'Postfix connects to another port than OpenDKIM listens on', expect: { smtp: 'unsigned', sendmail: 'unsigned' } },
  { dir: '04-non-smtpd-milter-typo', what: 'seed 000: non_smtpd_milters = $smtpd_milter', expect: { smtp: 'signed', sendmail: 'unsigned' } },
  { dir: '05-unix-host-path-in-chroot', what: 'host path of the socket given to chrooted smtpd/cleanup', expect: { smtp: 'unsigned', sendmail: 'unsigned' } },
  {
    dir: '06-mode-verify-only', what: 'the link works, but OpenDKIM runs with Mode v beside its KeyTable and SigningTable',
    expect: { smtp: 'unsigned', sendmail: 'unsigned' }, unsignedBecause: 'opendkim/signing-disabled',
  },
  {
    dir: '07-internalhosts-without-loopback', what: 'the link works, but InternalHosts lists neither 127.0.0.1 nor localhost',
    expect: { smtp: 'unsigned', sendmail: 'unsigned' }, unsignedBecause: 'opendkim/internalhosts-without-loopback',
  },
  { dir: '08-internalhosts-with-loopback', what: 'as 07 with 127.0.0.1 and localhost in the list', expect: { smtp: 'signed', sendmail: 'signed' } },
];

const PATHS: SubmissionPath[] = ['smtp', 'sendmail'];

interface CaseResult {
  outcomes: Record<SubmissionPath, PathOutcome>;
  milterLog: string[];
  verdict: MailconfVerdict;
  diagnostics: string;
  seconds: number;
  timings: MailStack['timings'];
}

const results = new Map<string, CaseResult>();
const failures = new Map<string, string>();
let suiteStarted = 0;

before(() => { suiteStarted = Date.now(); });

function outcomeOf(o: PathOutcome): string {
  if (!o.accepted) return 'not accepted';
  if (!o.delivered) return 'not delivered';
  return o.signed ? 'signed' : 'unsigned';
}

for (const c of CASES) {
  test(`real programs, ${c.dir}: ${c.what} → SMTP ${c.expect.smtp}, sendmail ${c.expect.sendmail}`, { timeout: 120_000 }, async () => {
    const problems = missingRequirements();
    if (problems.length) assert.fail(`the end-to-end test cannot run here:\n- ${problems.join('\n- ')}`);
    const started = Date.now();
    let stack: MailStack;
    try {
      stack = await MailStack.start({
        name: c.dir.slice(0, 2),
        fixtureDir: path.join(FIXTURES, c.dir),
        artifactsDir: path.join(ARTIFACTS, 'milter-e2e', c.dir),
      });
    } catch (e) {
      failures.set(c.dir, (e as Error).message.split('\n')[0]);
      throw e;
    }
    let result: CaseResult;
    try {
      const outcomes = {} as Record<SubmissionPath, PathOutcome>;
      for (const p of PATHS) outcomes[p] = await stack.submit(p);
      result = {
        outcomes,
        milterLog: stack.milterLogLines(),
        // The files as they ran; they are removed on stop.
        verdict: mailconfVerdict(stack.etcDir, stack.renderedFiles),
        diagnostics: stack.diagnosticTail(),
        seconds: 0,
        timings: [],
      };
    } finally {
      await stack.stop();
    }
    result.seconds = (Date.now() - started) / 1000;
    result.timings = stack.timings;
    results.set(c.dir, result);

    for (const p of PATHS) {
      const o = result.outcomes[p];
      assert.ok(o.accepted, `${p}: Postfix did not accept the message: ${o.submitError}${result.diagnostics}`);
      assert.ok(o.delivered, `${p}: the message did not reach the sink within the time limit${result.diagnostics}`);
      assert.equal(outcomeOf(o), c.expect[p], `${p}: the message left ${outcomeOf(o)}, the fixture was built for ${c.expect[p]}${result.diagnostics}`);
      if (o.signed) assert.equal(o.verification, 'pass', `${p}: python3-dkim does not accept OpenDKIM's signature`);
    }
  });

  test(`mailconf agrees with what happened, ${c.dir}`, () => {
    const r = results.get(c.dir);
    if (!r) assert.fail(`the real programs did not run for ${c.dir} (${failures.get(c.dir) ?? 'see the test before'}), so there is nothing to compare mailconf with`);
    const listed = (found: MailconfVerdict['all']) => found.map((f) => `  ${f.file}:${f.line} ${f.severity} ${f.code} [${f.paths.join(',')}] ${f.message}`).join('\n') || '  (none)';
    for (const p of PATHS) {
      const o = r.outcomes[p];
      if (!o.delivered) continue;
      const errors: MailconfVerdict['milterErrors'] = r.verdict.milterErrors.filter((f) => f.paths.includes(p));
      if (o.signed) {
        assert.equal(errors.length, 0, `${p}: the message left signed, yet mailconf reports a milter/* error for this path:\n${listed(errors)}`);
      } else if (c.unsignedBecause) {
        assert.equal(errors.length, 0, `${p}: OpenDKIM was reached, yet mailconf reports a milter/* error for this path:\n${listed(errors)}`);
        assert.ok(r.verdict.all.some((f) => f.code === c.unsignedBecause), `${p}: the message left unsigned, yet mailconf does not report ${c.unsignedBecause}. All findings:\n${listed(r.verdict.all)}`);
      } else {
        assert.ok(errors.length > 0, `${p}: the message left unsigned, yet mailconf reports no milter/* error for this path. All findings:\n${listed(r.verdict.all)}`);
      }
    }
  });
}

after(() => {
  const lines = [
    'Milter link, end to end (Debian Postfix + OpenDKIM on loopback): what left Postfix, and what mailconf said',
    '',
    pad(['case', 'path', 'expected', 'observed', 'python3-dkim', 'ms', 'mailconf milter/* errors']),
    pad(['----', '----', '--------', '--------', '------------', '--', '------------------------']),
  ];
  for (const c of CASES) {
    const r = results.get(c.dir);
    if (!r) {
      lines.push(pad([c.dir, '-', '-', `did not run: ${failures.get(c.dir) ?? 'not reached'}`, '', '', '']));
      continue;
    }
    for (const p of PATHS) {
      const o = r.outcomes[p];
      const errs = r.verdict.milterErrors.filter((f) => f.paths.includes(p)).map((f) => `${f.code} (${f.file}:${f.line})`);
      lines.push(pad([c.dir, p, c.expect[p], outcomeOf(o), o.verification ?? '-', String(o.milliseconds), errs.join(' ') || 'none']));
    }
    for (const l of r.milterLog.slice(0, 4)) lines.push(`    postfix: ${l}`);
    lines.push(`    ${r.seconds.toFixed(1)} s: ${r.timings.map(([phase, ms]) => `${phase} ${ms} ms`).join(', ')}`);
  }
  lines.push('', `total ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s`);
  const table = lines.join('\n');
  console.log('\n' + table + '\n');
  try {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'milter-e2e.txt'), table + '\n');
  } catch { /* the table was printed */ }
});

function pad(cols: string[]): string {
  const widths = [28, 9, 9, 14, 13, 5];
  return cols.map((c, i) => (i < widths.length ? c.padEnd(widths[i]) : c)).join(' ').trimEnd();
}
