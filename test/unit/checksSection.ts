// One `## ` section of docs/checks.md, for the tests that run its examples.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CHECKS_DOC = path.resolve(__dirname, '../../docs/checks.md');

/** The text from the `## ` heading that starts with `heading` to the next `## ` heading. */
export function checksSection(heading: string): string {
  const text = fs.readFileSync(CHECKS_DOC, 'utf8');
  const start = text.indexOf(`\n## ${heading}`);
  assert.ok(start >= 0, `docs/checks.md has the section "${heading}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}
