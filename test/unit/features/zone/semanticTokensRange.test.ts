// Semantic tokens of a range (the editor's visible lines): exactly the whole document's
// tokens on those lines, for zones (which skip the records outside the range) and for the
// other kinds (filtered after the fact). Zones of the corpus and the seeds, every range
// start and end over a crafted zone with multi-line records and $INCLUDE-free sections.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { semanticTokensOf } from '../../../../server/src/core/features/index';
import type { SemanticToken } from '../../../../server/src/core/features/types';
import type { DocumentKind } from '../../../../server/src/core/kinds';
import type { Range } from '../../../../server/src/core/types';
import { Workspace } from '../../../../server/src/core/stack/workspace';

const SETTINGS = { postfixVersion: 'latest' as const };
const SAMPLES = path.resolve(__dirname, '../../../../samples');
const CORPUS = path.resolve(__dirname, '../../../../../shared/corpus');

function ctxOf(kind: DocumentKind, text: string, uri = 'file:///srv/zone') {
  const ws = new Workspace();
  ws.setOnDisk(uri, kind, text);
  return { doc: ws.get(uri)!, workspace: ws, settings: SETTINGS };
}

const key = (t: SemanticToken) => `${t.range.start.line}:${t.range.start.character}-${t.range.end.character} ${t.type} ${t.modifiers.join('+')}`;

/** The whole document's tokens on the lines a range covers (a range ending at column 0 stops before that line). */
function restricted(all: SemanticToken[], r: Range): string[] {
  const last = r.end.character === 0 && r.end.line > r.start.line ? r.end.line - 1 : r.end.line;
  return all.filter((t) => t.range.start.line >= r.start.line && t.range.start.line <= last).map(key);
}

const ZONE = [
  '$TTL 1h',
  '@ IN SOA ns1 hostmaster ( 1 2h 1h 4w 1h )',
  '@ IN NS ns1',
  '@ IN TXT "v=spf1 mx include:_spf.example.org " "-all"',
  '_spf IN TXT "v=spf1 a:mail.example.org ip4:192.0.2.0/24 ~all"',
  '; a comment between records',
  '_dmarc IN TXT "v=DMARC1; p=none; " "rua=mailto:d@example.org"',
  'mail._domainkey IN TXT ( "v=DKIM1; k=rsa; "',
  '  "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" ; the key',
  '  "IDAQAB" )',
  '$ORIGIN sub.example.org.',
  '@ IN TXT "v=spf1 -all"',
  '_mta-sts IN TXT "v=STSv1; id=20240101"',
  '_smtp._tls IN TXT ( "v=TLSRPTv1; "',
  '',
  '  "rua=mailto:tls@example.org" )',
  'mail IN A 192.0.2.25',
  '_dmarc IN TXT "v=DMARC1; p=reject; adkim=s"',
].join('\n') + '\n';

test('zone: the tokens of every range are the whole-document tokens on its lines', () => {
  const ctx = ctxOf('dns-zone', ZONE);
  const all = semanticTokensOf(ctx);
  assert.ok(all.length > 40, `${all.length} tokens in the crafted zone`);
  const lineCount = ZONE.split('\n').length;
  let nonEmpty = 0;
  for (let a = 0; a < lineCount; a++) {
    for (let b = a; b < lineCount; b++) {
      for (const endChar of [0, 3, 200]) {
        const r: Range = { start: { line: a, character: endChar === 3 ? 3 : 0 }, end: { line: b, character: endChar } };
        const got = semanticTokensOf(ctx, r).map(key);
        assert.deepEqual(got, restricted(all, r), `lines ${a}–${b} (end column ${endChar})`);
        if (got.length) nonEmpty++;
      }
    }
  }
  assert.ok(nonEmpty > 100, `${nonEmpty} ranges with tokens`);
  // Inside a record spread over lines 7–9: the record's tokens on the asked line only.
  assert.deepEqual(semanticTokensOf(ctx, { start: { line: 8, character: 0 }, end: { line: 8, character: 60 } }).map(key),
    ['8:3-4 property ', '8:5-49 string ']);
  // Past the end of the document: nothing, and nothing thrown.
  assert.deepEqual(semanticTokensOf(ctx, { start: { line: 500, character: 0 }, end: { line: 900, character: 0 } }), []);
});

test('zones of the corpus and the seeds: windows of 40 lines give the whole-document tokens on them', () => {
  const files: string[] = [];
  const corpus = path.join(CORPUS, 'zone');
  for (const n of fs.readdirSync(corpus)) files.push(path.join(corpus, n));
  for (const d of fs.readdirSync(SAMPLES)) {
    const z = path.join(SAMPLES, d, 'zones');
    if (fs.existsSync(z)) for (const n of fs.readdirSync(z)) files.push(path.join(z, n));
  }
  let compared = 0;
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const ctx = ctxOf('dns-zone', text);
    const all = semanticTokensOf(ctx);
    const lines = text.split(/\r\n|\r|\n/).length;
    for (let start = 0; start < lines; start += 13) {
      const r: Range = { start: { line: start, character: 0 }, end: { line: start + 40, character: 0 } };
      const want = restricted(all, r);
      assert.deepEqual(semanticTokensOf(ctx, r).map(key), want, `${path.basename(f)} from line ${start}`);
      compared += want.length;
    }
  }
  assert.ok(compared > 200, `${compared} tokens compared`);
});

test('main.cf and master.cf: a range keeps the whole-document tokens on its lines', () => {
  const main = 'myhostname = mail.example.org\nsmtpd_milterz = inet:localhost:8891\nmy_class = reject\n' +
    'smtpd_recipient_restrictions = my_class,\n  permit_mynetworks\nrelayhost = $myhostname\n';
  const ctx = ctxOf('postfix-main', main, 'file:///etc/postfix/main.cf');
  const all = semanticTokensOf(ctx);
  assert.ok(all.length >= 5, `${all.length} tokens`);
  for (let a = 0; a < 7; a++) {
    for (let b = a; b < 7; b++) {
      const r: Range = { start: { line: a, character: 0 }, end: { line: b, character: 5 } };
      assert.deepEqual(semanticTokensOf(ctx, r).map(key), restricted(all, r), `lines ${a}–${b}`);
    }
  }
});
