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

/**
 * The entries of a section whose examples span several files: per `### \`code\``, the fenced
 * blocks after its "Bad" line and after its "Good" line (at least `files` of each), in order.
 */
export function multiFileExamples(heading: string, files: number): Array<{ code: string; bad: string[]; good: string[] }> {
  const out = [];
  for (const part of checksSection(heading).split(/^### /m).slice(1)) {
    const code = /^`([^`]+)`/.exec(part)?.[1];
    assert.ok(code, 'each entry starts with its code');
    const blocksAfter = (label: string): string[] => {
      const from = part.search(new RegExp(`^${label}\\b`, 'm'));
      assert.ok(from >= 0, `${code} has a ${label} example`);
      const blocks = [...part.slice(from).matchAll(/^```\n([\s\S]*?)^```/gm)].map((m) => m[1]);
      assert.ok(blocks.length >= files, `${code}: ${label} has ${files} blocks`);
      return blocks.slice(0, files);
    };
    out.push({ code, bad: blocksAfter('Bad'), good: blocksAfter('Good') });
  }
  return out;
}
