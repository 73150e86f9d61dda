// Ask the installed `postconf` (Debian's Postfix 3.7 on the reference machine) for its
// parameter names and defaults. It runs against an empty configuration directory so that
// neither /etc/postfix/main.cf nor the services of /etc/postfix/master.cf leak in
// (postconf -d also prints "<service>_<suffix>" names for every master.cf service).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Parse "name = value" lines (value may be empty: "name ="). */
export function parsePostconfOutput(text) {
  const out = new Map();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const eq = line.indexOf(' =');
    if (eq < 0) continue;
    out.set(line.slice(0, eq), line.slice(eq + 2).replace(/^ /, ''));
  }
  return out;
}

export function readInstalledPostconf(postconf = 'postconf') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-postconf-'));
  try {
    // Postfix waits for a file changed within the last second to settle: back-date them.
    const past = new Date(Date.now() - 60_000);
    for (const f of ['main.cf', 'master.cf']) {
      fs.writeFileSync(path.join(dir, f), '');
      fs.utimesSync(path.join(dir, f), past, past);
    }
    const run = (...args) => execFileSync(postconf, ['-c', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const defaults = parsePostconfOutput(run('-d'));
    const expanded = parsePostconfOutput(run('-d', '-x'));
    const tableTypes = run('-m').split('\n').filter(Boolean).sort();
    const version = defaults.get('mail_version');
    return { version, defaults, expanded, tableTypes };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
