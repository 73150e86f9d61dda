// The server log's list of skipped files: each file once, the first N by name, then one
// summary line per scan for the rest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SkipLog } from '../../../server/src/lsp/skipLog';

test('each file once with its reason; past the limit counted and summarised once per scan', () => {
  const lines: string[] = [];
  const log = new SkipLog((l) => lines.push(l), 2);
  log.report('/w/a.zone', 'binary');
  log.report('/w/a.zone', 'binary'); // the same file again: nothing new
  log.report('/w/b.zone', 'too large');
  log.report('/w/c.zone', 'binary');
  log.report('/w/d.zone', 'binary');
  log.summarize();
  log.summarize(); // nothing more to say
  assert.deepEqual(lines, [
    'mailconf: skipped /w/a.zone: binary',
    'mailconf: skipped /w/b.zone: too large',
    'mailconf: 2 more skipped files not listed (the log names the first 2)',
  ]);
  log.report('/w/a.zone', 'too large');
  log.summarize();
  assert.equal(lines.length, 3, 'a listed file is not named again');
});

test('no skips, no lines', () => {
  const lines: string[] = [];
  new SkipLog((l) => lines.push(l)).summarize();
  assert.deepEqual(lines, []);
});
