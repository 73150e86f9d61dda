// Texts above the front end's limit (the editor's: 64 MiB) are not analysed: one
// `syntax/file-too-large` warning, no check on the empty stand-in (an empty opendkim.conf
// would otherwise be told it has no Socket), nothing for hovers or outlines to show; an edit
// that brings the text under the limit gets the full analysis back.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { diagnose } from '../../../server/src/core/checks';
import { symbolsOf } from '../../../server/src/core/service';
import { hoverAt } from '../../../server/src/core/features/index';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { ALL_KINDS } from '../../../server/src/core/kinds';

const LIMIT = 1000;

test('a text over the limit gets one file-too-large warning and no check, of every kind', () => {
  for (const kind of ALL_KINDS) {
    const ws = new Workspace({ maxAnalyzedChars: LIMIT });
    const text = '# filler line of a file far too large for the editor\n'.repeat(40);
    assert.ok(text.length > LIMIT);
    const doc = ws.setOpen(`file:///big/${kind}`, kind, text, 1);
    const findings = diagnose({ doc, workspace: ws, settings: DEFAULT_SETTINGS });
    assert.deepEqual(findings.map((f) => `${f.code} ${f.severity} ${f.range.start.line}:${f.range.start.character}`), ['syntax/file-too-large warning 0:0'], kind);
    assert.match(findings[0].message, /2 KiB of text, more than the 1 KiB mailconf analyses in an editor/);
    assert.match(findings[0].message, /mailconf check FILE/);
    assert.equal(doc.analysis.text, text, 'the text itself is kept');
    assert.deepEqual(symbolsOf(doc.analysis), [], kind);
    assert.equal(hoverAt({ doc, workspace: ws, settings: DEFAULT_SETTINGS }, { line: 0, character: 3 }), undefined, kind);
  }
});

test('the limit applies to edits too, both ways; without a limit everything is analysed', () => {
  const ws = new Workspace({ maxAnalyzedChars: LIMIT });
  const uri = 'file:///etc/opendkim.conf';
  const small = 'Syslog yes\nSocket inet:8891@localhost\nBogusOption 1\n';
  const big = small + '#'.repeat(LIMIT);
  const codes = (doc: ReturnType<Workspace['setOpen']>) => diagnose({ doc, workspace: ws, settings: DEFAULT_SETTINGS }).map((f) => f.code);
  const first = ws.setOpen(uri, 'opendkim-conf', small, 1);
  assert.ok(!first.analysis.tooLarge);
  assert.ok(codes(first).includes('opendkim/unknown-option'), codes(first).join());
  const grown = ws.updateOpen(uri, 'opendkim-conf', big, 2, { startLine: 2, endLine: 3 });
  assert.deepEqual(codes(grown), ['syntax/file-too-large']);
  const shrunk = ws.updateOpen(uri, 'opendkim-conf', small, 3, { startLine: 2, endLine: 3 });
  assert.ok(codes(shrunk).includes('opendkim/unknown-option'), 'back under the limit: analysed again');
  // A zone's incremental re-parse is not used across the limit either.
  const zone = 'file:///zones/db.example.com';
  const zoneText = '$TTL 1h\n@ IN SOA ns hostmaster 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\nwww IN A 300.1.1.1\n';
  ws.setOpen(zone, 'dns-zone', zoneText + ';'.repeat(LIMIT), 1);
  const back = ws.updateOpen(zone, 'dns-zone', zoneText, 2, { startLine: 5, endLine: 5 });
  assert.ok(codes(back).some((c) => c.startsWith('zone/')), codes(back).join());
  const unlimited = new Workspace();
  assert.ok(!unlimited.setOpen(uri, 'opendkim-conf', big, 1).analysis.tooLarge);
});
