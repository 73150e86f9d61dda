// A throw-away DKIM key per run (opendkim-genkey), and verification of a signed message
// with python3-dkim, an implementation independent of OpenDKIM, against that key's TXT
// record (no DNS involved).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeRun, run } from './processes';

const REPO = path.resolve(__dirname, '../../..');
export const VERIFY_SCRIPT = path.join(REPO, 'scripts/integration/verify-dkim.py');
/** Debian's interpreter: python3-dkim is in its dist-packages, not in a pyenv or venv python. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

export interface DkimKey {
  domain: string;
  selector: string;
  /** The private key file (mode 0600). */
  privateKey: string;
  /** The TXT record file opendkim-genkey wrote beside it. */
  txtRecord: string;
}

/** Generates an RSA key for domain/selector into `dir` (created 0700). */
export function generateDkimKey(dir: string, domain: string, selector: string, bits = 2048): DkimKey {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const args = ['-D', dir, '-d', domain, '-s', selector, '-b', String(bits)];
  const r = run('opendkim-genkey', args, { timeoutMs: 30_000 });
  const privateKey = path.join(dir, `${selector}.private`);
  const txtRecord = path.join(dir, `${selector}.txt`);
  if (r.status !== 0 || !fs.existsSync(privateKey) || !fs.existsSync(txtRecord)) {
    throw new Error(`could not generate a DKIM key: ${describeRun('opendkim-genkey', args, r)}`);
  }
  fs.chmodSync(privateKey, 0o600);
  return { domain, selector, privateKey, txtRecord };
}

export type Verification = 'pass' | 'none' | `fail: ${string}`;

/** Verifies the message's DKIM-Signature against the key's record with python3-dkim. */
export function verifyWithPythonDkim(message: Buffer, key: DkimKey): Verification {
  const r = run(SYSTEM_PYTHON, [VERIFY_SCRIPT, key.txtRecord], { input: message, timeoutMs: 20_000 });
  const out = r.stdout.trim();
  if (out === 'pass' || out === 'none' || out.startsWith('fail: ')) return out as Verification;
  return `fail: ${describeRun(SYSTEM_PYTHON, [VERIFY_SCRIPT, key.txtRecord], r)}`;
}
