// The `# key file PATH: FACTS` lines of docs/checks.md's examples: what a front end would tell
// about a key file (KeyFileInfo), written as `ls -l` and `openssl` show it — "missing",
// "-rw------- owner:group, RSA 2048 bits", "…, Ed25519", "…, not a private key (REASON)" —
// optionally followed by ", public key BASE64" (the DER SubjectPublicKeyInfo, as
// KeyFileInfo.publicKeyDer, for the checks that compare keys with DNS records).

import assert from 'node:assert/strict';
import type { KeyFileInfo, KeyFileProblem } from '../../../server/src/core/opendkim/checks/environment';

const REASONS: KeyFileProblem[] = ['encrypted', 'text-before-pem', 'der', 'dns-record', 'public-key'];

/** The KeyFileInfo a `# key file` line stands for. */
export function keyFactsOf(text: string): KeyFileInfo {
  if (text === 'missing') return { exists: false };
  const m = /^([-rwx]{10}) (\S+):(\S+), (?:(RSA|Ed25519) ?(\d+)? ?(?:bits)?|not a private key(?: \(([a-z-]+)\))?)(?:, public key ([A-Za-z0-9+/]+=*))?$/.exec(text);
  assert.ok(m, `readable key facts: ${text}`);
  const reason = m[6] as KeyFileProblem | undefined;
  assert.ok(reason === undefined || REASONS.includes(reason), `a reason KeyFileInfo knows: ${reason}`);
  const bits = (s: string) => (s === '-' ? 0 : 1);
  const p = m[1];
  const mode = [1, 2, 3, 4, 5, 6, 7, 8, 9].reduce((acc, i) => (acc << 1) | bits(p[i]), 0);
  const info: KeyFileInfo = { exists: true, isFile: true, mode, owner: m[2], group: m[3], isPrivateKey: m[4] !== undefined };
  if (m[4]) info.algorithm = m[4].toLowerCase();
  if (m[5]) info.bits = Number(m[5]);
  if (reason) info.notKeyReason = reason;
  if (m[7]) info.publicKeyDer = new Uint8Array(Buffer.from(m[7], 'base64'));
  return info;
}
