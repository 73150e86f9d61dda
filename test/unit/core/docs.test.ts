// docs/checks.md must describe every finding code the code can emit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');
const CODE = /['"`]((?:postfix|master|opendkim|table|keytable|signingtable|hostlist|milter|rdns|mx|stack|zone|spf|dkim|dmarc|mta-sts|tlsrpt|dns|syntax)\/[a-z0-9-]+)['"`]/g;

/** Strings that look like codes but are not: SPF syntax quoted in the parser's comments ("mx/abc", a bad prefix). */
const NOT_CODES = new Set(['mx/abc']);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every finding code used in server/src is documented in docs/checks.md', () => {
  const docs = fs.readFileSync(path.join(REPO, 'docs', 'checks.md'), 'utf8');
  const used = new Set<string>();
  for (const file of sources(path.join(REPO, 'server', 'src'))) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(CODE)) if (!NOT_CODES.has(m[1])) used.add(m[1]);
  }
  assert.ok(used.size > 0, 'the scan finds codes');
  const missing = [...used].filter((c) => !docs.includes('`' + c + '`'));
  assert.deepEqual(missing, [], 'codes without an entry in docs/checks.md');
});
