// Zone features: hover on owner names, SPF terms (with the offline lookup count) and DKIM/
// DMARC/MTA-STS/TLS-RPT tags; semantic tokens for the policies inside TXT strings.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hoverAt, semanticTokensOf } from '../../../../server/src/core/features/index';
import type { SemanticToken } from '../../../../server/src/core/features/types';
import { Workspace } from '../../../../server/src/core/stack/workspace';
import { comparePositions } from '../../../../server/src/core/types';

const SETTINGS = { postfixVersion: 'latest' as const };
const SAMPLES = path.resolve(__dirname, '../../../../samples');

function ctxOf(files: Record<string, string>, uri: string) {
  const ws = new Workspace();
  for (const [u, t] of Object.entries(files)) ws.setOnDisk(u, 'dns-zone', t);
  return { doc: ws.get(uri)!, workspace: ws, settings: SETTINGS };
}

const URI = 'file:///etc/bind/db.example.org';
const TEXT = [
  '$TTL 1h',
  '@ IN SOA ns1 hostmaster ( 1 2h 1h 4w 1h )',
  '@ IN NS ns1',
  'ns1 IN A 192.0.2.53',
  '$ORIGIN example.org.',
  '@ IN TXT "v=spf1 mx include:_spf.example.org " "-all"',
  '_spf IN TXT "v=spf1 a:mail.example.org ip4:192.0.2.0/24 ~all"',
  '_dmarc IN TXT "v=DMARC1\\; p=none; " "rua=mailto:d@example.org"',
  'mail._domainkey IN TXT ( "v=DKIM1; k=rsa; "',
  '  "p=MIIB" )',
  '_mta-sts IN TXT "v=STSv1; id=20240101"',
  '_smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:tls@example.org"',
  'mail.example.org IN A 192.0.2.25',
  'mail IN A 192.0.2.25',
].join('\n') + '\n';

function hover(line: number, character: number, files: Record<string, string> = { [URI]: TEXT }, uri = URI) {
  return hoverAt(ctxOf(files, uri), { line, character });
}

test('hover on an owner: the absolute name and where its origin comes from', () => {
  const soa = hover(1, 0)!;
  assert.match(soa.markdown, /\*\*`example\.org\.`\*\*/);
  assert.match(soa.markdown, /`@` stands for the origin, `example\.org\.`, taken from the file name/);
  assert.deepEqual(soa.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } });
  const ns1 = hover(3, 1)!;
  assert.match(ns1.markdown, /Relative name: `ns1` \+ the origin, `example\.org\.`, taken from the file name/);
  const dkim = hover(8, 3)!;
  assert.match(dkim.markdown, /`mail\._domainkey\.example\.org\.`/);
  assert.match(dkim.markdown, /set by `\$ORIGIN` on line 5/);
  assert.match(dkim.markdown, /the DKIM key of selector `mail` for `example\.org`/);
  assert.match(hover(7, 2)!.markdown, /the DMARC policy of `example\.org`/);
  const doubled = hover(12, 4)!;
  assert.match(doubled.markdown, /`mail\.example\.org\.example\.org\.`/);
  assert.match(doubled.markdown, /repeats the origin/);
});

test('hover on SPF terms: the term, and the record\'s lookup count through the workspace', () => {
  const mx = hover(5, 18)!;
  assert.match(mx.markdown, /\*\*mx\*\* matches/);
  assert.match(mx.markdown, /DNS lookups: 3 of 10/, 'mx, include, and a: inside _spf, all in this complete zone');
  assert.deepEqual(mx.range, { start: { line: 5, character: 17 }, end: { line: 5, character: 19 } });
  const all = hover(5, 50)!;
  assert.match(all.markdown, /\*\*all\*\*/);
  assert.deepEqual(all.range, { start: { line: 5, character: 48 }, end: { line: 5, character: 52 } });
  assert.equal(TEXT.split('\n')[5].slice(48, 52), '-all');
  const version = hover(5, 12)!;
  assert.match(version.markdown, /^\*\*SPF record\*\*/);
  // An include outside the workspace: a lower bound.
  const outside = hover(0, 20, { 'file:///srv/db.example.com': '@ TXT "v=spf1 include:_spf.google.com -all"\n' }, 'file:///srv/db.example.com')!;
  assert.match(outside.markdown, /DNS lookups: at least 1 of 10/);
  assert.match(outside.markdown, /1 include is not resolvable offline .*: `include:_spf\.google\.com`\./);
  assert.doesNotMatch(mx.markdown, /not resolvable offline/, 'everything inside the workspace');
});

test('hover on DKIM, DMARC, MTA-STS and TLS-RPT tags (also after an escape and across lines)', () => {
  const p = hover(7, 28)!;
  assert.match(p.markdown, /`p=` — policy/);
  assert.deepEqual(p.range, { start: { line: 7, character: 26 }, end: { line: 7, character: 32 } });
  assert.equal(TEXT.split('\n')[7].slice(26, 32), 'p=none');
  assert.match(hover(7, 40)!.markdown, /rua/);
  assert.match(hover(8, 37)!.markdown, /`k=` — key type/);
  assert.match(hover(9, 4)!.markdown, /`p=` — the public key/);
  assert.match(hover(10, 27)!.markdown, /id/);
  assert.match(hover(11, 34)!.markdown, /rua/);
  assert.equal(hover(13, 12), undefined, 'nothing on an A record\'s data');
});

function brief(tokens: SemanticToken[], text: string): string[] {
  const lines = text.split('\n');
  return tokens.map((t) => `${t.range.start.line}:${t.range.start.character} ${t.type} ${lines[t.range.start.line].slice(t.range.start.character, t.range.end.character)}`);
}

test('semantic tokens inside TXT strings', () => {
  const tokens = semanticTokensOf(ctxOf({ [URI]: TEXT }, URI));
  const b = brief(tokens, TEXT);
  assert.deepEqual(b.filter((x) => x.startsWith('5:')), [
    '5:10 property v', '5:12 enumMember spf1', '5:17 property mx', '5:20 property include', '5:28 string _spf.example.org', '5:48 keyword -', '5:49 property all',
  ]);
  assert.deepEqual(b.filter((x) => x.startsWith('7:')), [
    '7:15 property v', '7:17 enumMember DMARC1', '7:26 property p', '7:28 enumMember none', '7:37 property rua', '7:41 string mailto:d@example.org',
  ]);
  assert.deepEqual(b.filter((x) => x.startsWith('8:') || x.startsWith('9:')), [
    '8:26 property v', '8:28 enumMember DKIM1', '8:35 property k', '8:37 enumMember rsa', '9:3 property p', '9:5 string MIIB',
  ]);
  assert.ok(b.includes('6:52 number /24'));
});

/** Tokens are single-line, inside their line, sorted, and never overlap. */
function assertWellFormed(tokens: SemanticToken[], text: string, name: string): void {
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < tokens.length; i++) {
    const r = tokens[i].range;
    assert.equal(r.start.line, r.end.line, `${name}: single-line`);
    assert.ok(r.end.character > r.start.character && r.end.character <= lines[r.start.line].length, `${name}: inside line ${r.start.line}`);
    if (i > 0) assert.ok(comparePositions(tokens[i - 1].range.end, r.start) <= 0, `${name}: no overlap at ${r.start.line}:${r.start.character}`);
  }
}

test('semantic tokens are single-line and do not overlap (seeds, corpus, a split SPF record)', () => {
  const files: Array<[string, string]> = [['crafted', TEXT], ['split', '@ TXT "v=spf1 inc" "lude:_spf.example.net -a" "ll"\n']];
  const corpus = path.resolve(__dirname, '../../../../../shared/corpus/zone');
  for (const n of fs.readdirSync(corpus)) files.push([n, fs.readFileSync(path.join(corpus, n), 'utf8')]);
  for (const d of fs.readdirSync(SAMPLES)) {
    const z = path.join(SAMPLES, d, 'zones');
    if (fs.existsSync(z)) for (const n of fs.readdirSync(z)) files.push([n, fs.readFileSync(path.join(z, n), 'utf8')]);
  }
  let total = 0;
  for (const [name, text] of files) {
    const tokens = semanticTokensOf(ctxOf({ [`file:///srv/${name}`]: text }, `file:///srv/${name}`));
    assertWellFormed(tokens, text, name);
    total += tokens.length;
  }
  assert.ok(total > 200, `${total} tokens`);
  const split = brief(semanticTokensOf(ctxOf({ 'file:///srv/x': files[1][1] }, 'file:///srv/x')), files[1][1]);
  assert.deepEqual(split, ['0:7 property v', '0:9 enumMember spf1', '0:14 property inc', '0:20 property lude', '0:25 string _spf.example.net', '0:42 keyword -', '0:43 property a', '0:47 property ll']);
});
