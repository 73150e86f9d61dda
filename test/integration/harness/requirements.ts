// What the end-to-end harness needs from the machine. A missing piece is a failure with
// advice, never a skip: CI installs everything (scripts/install-system-packages.sh).

import * as fs from 'node:fs';
import { programAvailable, run } from './processes';
import { SYSTEM_PYTHON, VERIFY_SCRIPT } from './dkimKeys';

/** Problems that keep the harness from running here; empty when all is in place. */
export function missingRequirements(): string[] {
  const problems: string[] = [];
  const apt = 'install with scripts/install-system-packages.sh (apt-get install postfix opendkim opendkim-tools python3-dkim)';
  if (process.platform !== 'linux') problems.push(`the harness runs Debian's Postfix and OpenDKIM and needs Linux, not ${process.platform}`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    problems.push('Postfix\'s master must be started as root (it changes to the postfix user and chroots its daemons): run the test as root, as CI does');
  }
  for (const [cmd, args, pkg] of [
    ['postfix', ['-c', '/nonexistent', 'status'], 'postfix'],
    ['sendmail', ['-bV'], 'postfix'],
    ['opendkim', ['-V'], 'opendkim'],
    ['opendkim-genkey', ['--help'], 'opendkim-tools'],
  ] as const) {
    if (!programAvailable(cmd, [...args])) problems.push(`\`${cmd}\` is not installed (Debian package ${pkg}): ${apt}`);
  }
  if (!fs.existsSync(SYSTEM_PYTHON)) {
    problems.push(`${SYSTEM_PYTHON} is missing (Debian package python3): ${apt}`);
  } else {
    const r = run(SYSTEM_PYTHON, ['-c', 'import dkim'], { timeoutMs: 10_000 });
    if (r.status !== 0) problems.push(`python3-dkim is not installed for ${SYSTEM_PYTHON}: ${apt}`);
  }
  if (!fs.existsSync(VERIFY_SCRIPT)) problems.push(`${VERIFY_SCRIPT} is missing`);
  return problems;
}
