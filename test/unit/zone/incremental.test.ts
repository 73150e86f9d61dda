// reparseIncremental must give exactly the tree a full parse gives, after any edit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseZoneTree } from '../../../server/src/core/zone/parser';
import { reparseIncremental } from '../../../server/src/core/zone/incremental';
import type { ZoneTree } from '../../../server/src/core/zone/tree';
import { collectFindings } from '../../../server/src/core/zone/tree';
import { CORPUS, records, snapshot } from './helpers';
import { LineIndex } from '../../../server/src/core/text/lines';

/**
 * Applies an edit at [from, to) and returns the new text and the changed lines as an LSP
 * server would compute them: from the line of the edit start to the line of the end of
 * the inserted text, both in the new text. Edits never split a CRLF (editors do not).
 */
function edit(text: string, from: number, to: number, insert: string): { text: string; startLine: number; endLine: number } {
  if (from > 0 && text.charCodeAt(from - 1) === 13 && text.charCodeAt(from) === 10) from--;
  if (to > from && to < text.length && text.charCodeAt(to - 1) === 13 && text.charCodeAt(to) === 10) to++;
  const next = text.slice(0, from) + insert + text.slice(to);
  const lines = new LineIndex(next);
  return { text: next, startLine: lines.positionAt(from).line, endLine: lines.positionAt(from + insert.length).line };
}

function check(prevTree: ZoneTree, next: { text: string; startLine: number; endLine: number }, label: string): ZoneTree {
  const incremental = reparseIncremental(prevTree, next.text, { startLine: next.startLine, endLine: next.endLine });
  const full = parseZoneTree(next.text);
  assert.deepEqual(snapshot(incremental), snapshot(full), label);
  assert.deepEqual(collectFindings(incremental), collectFindings(full), label);
  return incremental;
}

const BASE = [
  '$ORIGIN example.com.',
  '$TTL 1h',
  '@ IN SOA ns1 hostmaster (',
  '        2026013001 ; serial',
  '        1d 30m 4w 30m )',
  '@ IN NS ns1',
  '  IN MX 10 mail',
  '; mail',
  'mail IN A 192.0.2.1',
  '     IN AAAA 2001:db8::1',
  '$ORIGIN sub.example.com.',
  'www A 192.0.2.2',
  '    TXT "v=spf1 -all"',
  'k._domainkey TXT ( "v=DKIM1; k=rsa; "',
  '   "p=MIIB" )',
  '_dmarc TXT v=DMARC1; p=none',
  '$TTL 5m',
  'last CNAME www',
  '',
].join('\n');

test('typing inside a record re-parses locally and equals a full parse', () => {
  let tree = parseZoneTree(BASE);
  let text = BASE;
  const at = text.indexOf('192.0.2.1') + 9;
  for (const ch of ['0', '0', '\b', '\b']) {
    const e = ch === '\b' ? edit(text, text.indexOf('192.0.2.1') + 9, text.indexOf('192.0.2.1') + 10, '') : edit(text, at, at, ch);
    tree = check(tree, e, `typing ${JSON.stringify(ch)}`);
    text = e.text;
  }
  assert.equal(text, BASE);
});

test('edits that change context downstream: owner, $ORIGIN, $TTL, parentheses, quotes', () => {
  const cases: Array<[string, string]> = [
    ['mail IN A', 'post IN A'], // inherited owner of the next line changes
    ['$ORIGIN sub.example.com.', '$ORIGIN other.example.com.'],
    ['$TTL 1h', '$TTL 2h'],
    ['1d 30m 4w 30m )', '1d 30m 4w 30m'], // unclosed parenthesis: full-parse fallback path
    ['"v=spf1 -all"', '"v=spf1 -all'], // unterminated string
    ['@ IN NS ns1', ' IN NS ns1'], // owner becomes inherited
    ['; mail', 'x ( ; mail'],
    ['last CNAME www', 'last CNAME www\n  A 192.0.2.9'],
    ['mail IN A 192.0.2.1\n', ''], // delete a line
    ['$ORIGIN example.com.\n', ''], // delete the first line
    ['k._domainkey', '\n\n\nk._domainkey'], // insert blank lines
  ];
  for (const [from, to] of cases) {
    const i = BASE.indexOf(from);
    assert.ok(i >= 0, from);
    check(parseZoneTree(BASE), edit(BASE, i, i + from.length, to), `${from} → ${to}`);
  }
});

test('a reused entry after an edit keeps exact token ranges', () => {
  const tree = parseZoneTree(BASE);
  const i = BASE.indexOf('; mail');
  const e = edit(BASE, i, i, '\n\n');
  const next = reparseIncremental(tree, e.text, e);
  const last = records(next).find((r) => r.ownerText === 'last')!;
  assert.deepEqual(last.owner, { line: 19, start: 0, end: 4, text: 'last', value: 'last', quoted: false });
  assert.deepEqual(last.rdata.map((t) => [t.line, t.start, t.text]), [[19, 11, 'www']]);
});

function randomEdits(text: string, seed: number, rounds: number, label: string): void {
  const pieces = ['(', ')', '"', ';', '\\', '\n', '\r\n', ' ', '\t', 'a', ' IN ', 'TXT', ' 1h ', '$TTL 5\n', '$ORIGIN x.\n', '@', '\n  A 192.0.2.1\n', 'x\n', '"q"'];
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  let tree = parseZoneTree(text);
  for (let r = 0; r < rounds; r++) {
    const from = Math.floor(rnd() * (text.length + 1));
    const to = Math.min(text.length, from + (rnd() < 0.5 ? 0 : Math.floor(rnd() * 12)));
    const insert = rnd() < 0.3 ? '' : pieces[Math.floor(rnd() * pieces.length)];
    const e = edit(text, from, to, insert);
    tree = check(tree, e, `${label} round ${r}: [${from},${to}) → ${JSON.stringify(insert)}`);
    text = e.text;
  }
}

test('random edit sequences on the sample zone equal full parses', () => {
  randomEdits(BASE, 1, 300, 'base');
});

test('random edit sequences on every corpus zone equal full parses', () => {
  const dir = path.join(CORPUS, 'zone');
  let seed = 100;
  for (const name of fs.readdirSync(dir)) randomEdits(fs.readFileSync(path.join(dir, name), 'utf8'), seed++, 40, name);
});

test('a keystroke in a 100k-record zone re-parses only a few entries', () => {
  const lines = ['$ORIGIN example.com.', '$TTL 1h'];
  for (let i = 0; i < 100_000; i++) lines.push(i % 2 ? `  IN TXT "v=spf1 ip4:192.0.2.${i % 256} -all"` : `h${i} IN A 192.0.2.${i % 256}`);
  const text = lines.join('\n') + '\n';
  const tree = parseZoneTree(text);
  const entries = tree.entries;
  const before = entries.slice();
  const at = text.indexOf('h50000 IN A') + 1;
  const e = edit(text, at, at, '7');
  const t0 = performance.now();
  const next = reparseIncremental(tree, e.text, e);
  const ms = performance.now() - t0;
  // The same array with the same entry objects, except the few around the edit.
  assert.equal(next.entries, entries);
  assert.equal(next.entries.length, 100_002);
  const replaced = before.filter((entry, i) => next.entries[i] !== entry).length;
  assert.ok(replaced <= 2, `${replaced} entries re-parsed`);
  assert.equal(records(next)[50_000].ownerText, 'h750000');
  assert.deepEqual(snapshot(next), snapshot(parseZoneTree(e.text)));
  assert.ok(ms < 1000, `${ms} ms`); // a hang guard; the bench script measures the real time
});
