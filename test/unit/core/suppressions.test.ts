import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { diagnose } from '../../../server/src/core/checks';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { suppressedLines } from '../../../server/src/core/suppressions';

function codes(uri: string, kind: 'postfix-main' | 'dns-zone', text: string): string[] {
  const ws = new Workspace();
  const doc = ws.setOnDisk(uri, kind, text);
  return diagnose({ doc, workspace: ws, settings: DEFAULT_SETTINGS }).map((f) => f.code);
}

test('a disable comment silences the listed codes on the next line only', () => {
  const base = 'smtpd_milterz = x\nnon_smtpd_milters = $smtpd_milter\n';
  assert.deepEqual(codes('file:///a/main.cf', 'postfix-main', base).sort(), ['postfix/undefined-parameter', 'postfix/unknown-parameter']);
  const silenced = '# mailconf-disable-next-line postfix/unknown-parameter\n' + base;
  assert.deepEqual(codes('file:///b/main.cf', 'postfix-main', silenced), ['postfix/undefined-parameter']);
  const other = '# mailconf-disable-next-line postfix/duplicate-parameter\n' + base;
  assert.equal(codes('file:///c/main.cf', 'postfix-main', other).length, 2, 'another code silences nothing');
  const all = 'smtpd_milterz = x\n# mailconf-disable-next-line\nnon_smtpd_milters = $smtpd_milter\n';
  assert.deepEqual(codes('file:///d/main.cf', 'postfix-main', all), ['postfix/unknown-parameter']);
});

test("zone files use `;`; the marker must be a comment", () => {
  const zone = '$ORIGIN example.org.\n; mailconf-disable-next-line zone/unquoted-txt\n@ IN TXT v=DKIM1\n';
  assert.ok(!codes('file:///z/example.org.zone', 'dns-zone', zone).includes('zone/unquoted-txt'));
  assert.equal(suppressedLines('x = mailconf-disable-next-line\n', 'postfix-main').size, 0, 'not in a value');
  assert.deepEqual([...suppressedLines('  # mailconf-disable-next-line a/b, c/d\n', 'postfix-main').entries()], [[1, new Set(['a/b', 'c/d'])]]);
});
