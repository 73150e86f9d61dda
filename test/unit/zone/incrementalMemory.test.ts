// An open zone edited at many places must not keep the texts of its earlier versions. V8
// makes a slice of 13 characters or more a view into the whole string, so a re-parsed
// entry that keeps such a slice (a long owner name, an $ORIGIN, a finding quoting a token)
// keeps its version of the document alive for as long as the entry stays: in a 1M-record
// zone 34 MB per place edited, until the language server ran out of heap. The test edits a
// 2 MB zone at 30 places, as the server does (incremental re-parse, then the checks), and
// compares the heap after a full garbage collection with the heap after the first edit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString, getHeapStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { diagnose } from '../../../server/src/core/checks';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const URI = 'file:///zones/db.example.org';

/** About 2 MB: sections under their own $ORIGIN, hosts with long names, SPF and MX records. */
function bigZone(): { text: string; ownerLines: number[]; spfLines: number[] } {
  const lines = ['$ORIGIN example.org.', '$TTL 1h', '@ IN SOA ns1 hostmaster ( 1 2h 1h 4w 1h )', '@ IN NS ns1', 'ns1 IN A 192.0.2.1'];
  const ownerLines: number[] = [];
  const spfLines: number[] = [];
  for (let s = 0; s < 40; s++) {
    lines.push(`$ORIGIN section-number-${s}.example.org.`);
    for (let h = 0; h < 500; h++) {
      const name = `host-number-${String(h).padStart(5, '0')}`;
      ownerLines.push(lines.length);
      lines.push(`${name} IN A 192.0.2.${h % 250}`);
      lines.push(`\tIN MX 10 mail-server-${String(h).padStart(5, '0')}.example.net.`);
      spfLines.push(lines.length);
      lines.push(`\tIN TXT "v=spf1 ip4:198.151.100.128/25 include:_spf-${h}.example.net -all"`);
    }
  }
  return { text: lines.join('\n') + '\n', ownerLines, spfLines };
}

/** The offset of the start of line `line`. */
function offsetOfLine(text: string, line: number): number {
  let at = 0;
  for (let i = 0; i < line; i++) at = text.indexOf('\n', at) + 1;
  return at;
}

function heapAfterCollection(): number {
  collectGarbage();
  collectGarbage();
  return getHeapStatistics().used_heap_size;
}

test('edits at many places of a large open zone keep no earlier version of its text', () => {
  const zone = bigZone();
  const ws = new Workspace();
  let text = zone.text;
  let version = 1;
  let doc = ws.setOpen(URI, 'dns-zone', text, version);
  diagnose({ doc, workspace: ws, settings: DEFAULT_SETTINGS });
  const places = 30;
  let baseline = 0;
  for (let k = 0; k < places; k++) {
    // Odd places: a character typed at the end of a long owner name (a new name, re-parsed
    // entries with their own owner text); even places: the SPF address becomes
    // "198.151.100.128x", a finding that quotes it.
    const i = Math.floor(((k + 0.5) / places) * zone.ownerLines.length);
    const line = k % 2 ? zone.ownerLines[i] : zone.spfLines[i];
    const lineStart = offsetOfLine(text, line);
    const at = k % 2 ? text.indexOf(' ', lineStart) : text.indexOf('/25 ', lineStart);
    text = text.slice(0, at) + 'x' + text.slice(at);
    version++;
    doc = ws.updateOpen(URI, 'dns-zone', text, version, { startLine: line, endLine: line });
    const findings = diagnose({ doc, workspace: ws, settings: DEFAULT_SETTINGS });
    if (k % 2 === 0) assert.ok(findings.some((f) => f.range.start.line === line && f.message.includes('"198.151.100.128x"')), `the edit at line ${line} gives a finding`);
    if (k === 0) baseline = heapAfterCollection();
  }
  const grown = heapAfterCollection() - baseline;
  // Kept texts would be 29 × 2 MB; what may grow is the new names and findings (kilobytes).
  assert.ok(grown < 3 * text.length, `the heap grew by ${(grown / 1e6).toFixed(1)} MB over ${places - 1} edits of a ${(text.length / 1e6).toFixed(1)} MB zone: earlier texts are kept`);
});
