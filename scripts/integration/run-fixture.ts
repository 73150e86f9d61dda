// Runs one end-to-end fixture by hand: starts Debian's Postfix and OpenDKIM on loopback
// from the fixture (test/integration/harness/mailStack.ts), submits a message over SMTP and
// one with sendmail, prints whether each left signed and what mailconf says about the
// milter link. Needs root and the Debian packages of scripts/install-system-packages.sh.
//
//   node --import tsx scripts/integration/run-fixture.ts test/integration/fixtures/02-unix-chroot-match
//   node --import tsx scripts/integration/run-fixture.ts FIXTURE --hold   # keep it running until Ctrl-C
//
// With --hold the stack stays up (ports and paths are printed) so you can submit more mail,
// read the logs, or open the rendered configuration in the editor; Ctrl-C stops everything.

import * as path from 'node:path';
import { MailStack, type SubmissionPath } from '../../test/integration/harness/mailStack';
import { mailconfVerdict } from '../../test/integration/harness/mailconfVerdict';
import { missingRequirements } from '../../test/integration/harness/requirements';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const hold = args.includes('--hold');
  const fixture = args.find((a) => !a.startsWith('--'));
  if (!fixture) {
    console.error('usage: run-fixture.ts FIXTURE_DIR [--hold]');
    return 2;
  }
  const problems = missingRequirements();
  if (problems.length) {
    console.error(`cannot run here:\n- ${problems.join('\n- ')}`);
    return 1;
  }
  const stack = await MailStack.start({ name: path.basename(fixture).slice(0, 8), fixtureDir: path.resolve(fixture), keepTemp: hold });
  try {
    console.log(`run directory ${stack.root}`);
    console.log(`ports: smtpd ${stack.ports.smtpd}, sink ${stack.ports.sink}, milter ${stack.ports.milter}, other ${stack.ports.other}`);
    for (const via of ['smtp', 'sendmail'] as SubmissionPath[]) {
      const o = await stack.submit(via);
      const what = !o.accepted ? `not accepted: ${o.submitError}` : !o.delivered ? 'not delivered' : o.signed ? `signed (python3-dkim: ${o.verification})` : 'unsigned';
      console.log(`${via.padEnd(8)} ${what} (${o.milliseconds} ms)`);
    }
    for (const line of stack.milterLogLines()) console.log(`postfix: ${line}`);
    const verdict = mailconfVerdict(stack.etcDir, stack.renderedFiles);
    console.log(verdict.all.length ? 'mailconf:' : 'mailconf: no findings');
    for (const f of verdict.all) console.log(`  ${f.file}:${f.line} ${f.severity} ${f.code}${f.paths.length ? ` [${f.paths.join(',')}]` : ''} ${f.message}`);
    if (hold) {
      console.log(`\nrunning; Postfix log: ${path.join(stack.logDir, 'postfix.log')}; Ctrl-C stops it (the run directory is kept)`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
  } finally {
    await stack.stop();
  }
  return 0;
}

main().then((code) => { process.exitCode = code; }, (e) => { console.error((e as Error).message); process.exitCode = 1; });
