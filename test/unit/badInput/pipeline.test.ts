// Hostile bytes through the whole core pipeline of every file kind, as the server runs it:
// the workspace model, diagnose() with every checker, the outline, folds, semantic tokens,
// hover and completion. Each input gets a clear finding or is read as well as it can be;
// nothing throws, every range stays in the document, nothing hangs (a bound of 30 s per
// input catches a hang, not a slowdown; the times are printed).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_KINDS, type DocumentKind } from '../../../server/src/core/kinds';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { diagnose } from '../../../server/src/core/checks';
import { foldingOf, symbolsOf } from '../../../server/src/core/service';
import { completionsAt, hoverAt, semanticTokensOf } from '../../../server/src/core/features/index';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import type { Finding } from '../../../server/src/core/types';
import { assertRangeInside, linesOf } from '../../fuzz/harness';
import { URI_OF, checkSymbols } from '../../fuzz/targets/documents';

/** A small valid file of each kind, the base the hostile variants are made from. */
const VALID: Record<DocumentKind, string> = {
  'postfix-main': 'myhostname = mail.example.org\nsmtpd_milters = inet:localhost:8891\n',
  'postfix-master': 'smtp      inet  n       -       y       -       -       smtpd\n',
  'opendkim-conf': 'Syslog yes\nSocket inet:8891@localhost\n',
  'opendkim-default': 'SOCKET=inet:8891@localhost\n',
  'opendkim-keytable': 'mail._domainkey.example.org example.org:mail:/etc/opendkim/keys/mail.private\n',
  'opendkim-signingtable': '*@example.org mail._domainkey.example.org\n',
  'opendkim-hostlist': '127.0.0.1\nlocalhost\n',
  'dns-zone': '$TTL 1h\n@ IN SOA ns hostmaster 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\n',
};

const HANG_BOUND_MS = 30_000;
const MB = 1 << 20;

interface Outcome {
  findings: Finding[];
  ms: number;
}

/** Everything the server does with a document; asserts the shape of every result. */
function throughPipeline(kind: DocumentKind, text: string): Outcome {
  const t0 = performance.now();
  const workspace = new Workspace();
  const doc = workspace.setOpen(URI_OF[kind], kind, text, 1);
  const ctx = { doc, workspace, settings: DEFAULT_SETTINGS };
  const findings = diagnose(ctx);
  const lines = linesOf(text);
  for (const f of findings) assertRangeInside(f.range, lines, `${kind} ${f.code}`);
  checkSymbols(symbolsOf(doc.analysis), lines, kind);
  for (const fold of foldingOf(doc.analysis)) assert.ok(fold.startLine <= fold.endLine && fold.endLine < lines.length);
  for (const t of semanticTokensOf(ctx)) assertRangeInside(t.range, lines, `${kind} semantic token`);
  for (const pos of [{ line: 0, character: 0 }, { line: 0, character: 3 }, { line: lines.length - 1, character: 0 }]) {
    const h = hoverAt(ctx, pos);
    if (h?.range) assertRangeInside(h.range, lines, `${kind} hover`);
    for (const c of completionsAt(ctx, pos)) assertRangeInside(c.edit.range, lines, `${kind} completion`);
  }
  const ms = performance.now() - t0;
  assert.ok(ms < HANG_BOUND_MS, `${kind}: ${Math.round(ms)} ms`);
  return { findings, ms };
}

const codes = (o: Outcome) => o.findings.map((f) => f.code);

/** Bytes 0–255 in a fixed pseudo-random order, as a binary file gives them. */
function binaryBytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = 12345;
  for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; b[i] = x >> 16; }
  return b;
}

/** The NUL finding of each kind (zones: the damaged token is reported). */
const NUL_CODE: Record<DocumentKind, RegExp> = {
  'postfix-main': /^postfix\/nul-byte$/,
  'postfix-master': /^postfix\/nul-byte$/,
  'opendkim-conf': /^opendkim\/control-character$/,
  'opendkim-default': /^opendkim\/control-character$/,
  'opendkim-keytable': /^opendkim\/control-character$/,
  'opendkim-signingtable': /^opendkim\/control-character$/,
  'opendkim-hostlist': /^opendkim\/control-character$/,
  'dns-zone': /^zone\//,
};

for (const kind of ALL_KINDS) {
  const valid = VALID[kind];

  test(`${kind}: a NUL byte is reported`, () => {
    const o = throughPipeline(kind, valid.replace('\n', '\u0000\n'));
    assert.ok(o.findings.some((f) => NUL_CODE[kind].test(f.code) && f.range.start.line === 0), codes(o).join(' '));
  });

  test(`${kind}: a binary file (random bytes as UTF-8 and as Latin-1) is read without failing`, () => {
    const bytes = binaryBytes(64 * 1024);
    for (const text of [bytes.toString('utf8'), bytes.toString('latin1')]) {
      const o = throughPipeline(kind, text);
      assert.ok(o.findings.some((f) => f.severity === 'error'), `${kind}: binary junk gets errors`);
    }
  });

  test(`${kind}: invalid UTF-8 (U+FFFD after decoding), Latin-1 text and lone surrogates`, () => {
    const latin1 = Buffer.from(valid.replace('\n', ' # caf\u00e9\n'), 'latin1');
    throughPipeline(kind, latin1.toString('utf8'));
    throughPipeline(kind, latin1.toString('latin1'));
    throughPipeline(kind, valid.replace('\n', '\uD800\n\uDFFF'));
  });

  test(`${kind}: a UTF-8 byte-order mark is reported`, () => {
    const o = throughPipeline(kind, '\uFEFF' + valid);
    assert.ok(codes(o).some((c) => c.endsWith('/byte-order-mark')), codes(o).join(' '));
    const f = o.findings.find((x) => x.code.endsWith('/byte-order-mark'))!;
    assert.deepEqual(f.range.start, { line: 0, character: 0 });
  });

  test(`${kind}: CRLF line ends are read like LF (no findings of their own where the program accepts them)`, () => {
    const lf = codes(throughPipeline(kind, valid)).sort();
    const crlf = codes(throughPipeline(kind, valid.replace(/\n/g, '\r\n'))).sort();
    // The shell that reads /etc/default/opendkim keeps the CR in every value.
    if (kind === 'opendkim-default') assert.deepEqual(crlf.filter((c) => !lf.includes(c)), ['opendkim/cr-line-ending']);
    else assert.deepEqual(crlf, lf);
  });

  test(`${kind}: lone CR line ends`, () => {
    const o = throughPipeline(kind, valid.replace(/\n/g, '\r'));
    // Postfix and OpenDKIM end lines only at LF: the lines run together for them.
    if (kind !== 'dns-zone') assert.ok(codes(o).some((c) => c.endsWith('/cr-line-ending')), codes(o).join(' '));
  });

  test(`${kind}: a 10 MB single line (one word, and 5 million words)`, () => {
    const word = throughPipeline(kind, 'a'.repeat(10 * MB));
    const words = throughPipeline(kind, 'a ' + 'b '.repeat(5 * MB));
    console.log(`${kind}: 10 MB word ${Math.round(word.ms)} ms, 10 MB of words ${Math.round(words.ms)} ms`);
    // A line of junk is an error in every kind but /etc/default/opendkim, where the shell runs it as a command.
    if (kind !== 'opendkim-default') assert.ok(word.findings.length > 0 && words.findings.length > 0, 'a 10 MB line is not a valid entry');
  });
}

test('dns-zone: 100k nested parentheses through every zone check', () => {
  const o = throughPipeline('dns-zone', '$TTL 1h\n@ IN SOA ns hm 1 2 3 4 5\nx TXT ' + '('.repeat(100_000) + ' "a"\n');
  console.log(`100k nested parentheses: ${Math.round(o.ms)} ms`);
  assert.ok(codes(o).includes('zone/unbalanced-parentheses'), codes(o).join(' '));
});

test('dns-zone: a 64 KB TXT record (SPF, DKIM) and a 10 MB one through the record checkers', () => {
  let spf = 'v=spf1';
  for (let i = 0; spf.length < 65_000; i++) spf += ` ip4:10.${i >> 8}.${i & 255}.10`;
  const dkim = 'v=DKIM1; k=rsa; p=' + 'A'.repeat(65_000);
  // An SPF record over 512 bytes is the SPF checker's finding; other TXT records get the zone's.
  for (const [value, code] of [[spf, 'spf/record-too-long'], [dkim, 'zone/txt-exceeds-udp']]) {
    assert.ok(value.length > 60_000 && value.length < 65_536);
    const strings = value.match(/.{1,255}/g)!.map((s) => `"${s}"`).join(' ');
    const o = throughPipeline('dns-zone', `$ORIGIN example.org.\n$TTL 1h\n@ IN SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n@ TXT ( ${strings} )\n`);
    console.log(`a ${value.length}-character TXT record: ${Math.round(o.ms)} ms, ${o.findings.length} findings`);
    assert.ok(codes(o).includes(code), [...new Set(codes(o))].join(' '));
  }
  const huge = throughPipeline('dns-zone', '@ TXT "' + 'v=spf1 ip4:192.0.2.1 '.repeat(500_000) + '"\n');
  console.log(`a 10 MB TXT record: ${Math.round(huge.ms)} ms`);
  assert.ok(codes(huge).includes('zone/txt-string-too-long'));
});

test('postfix-main: 150k duplicate lines (more findings than a call takes arguments)', () => {
  const o = throughPipeline('postfix-main', 'smtpd_milters = inet:localhost:8891\n'.repeat(150_000));
  console.log(`150k duplicate parameters: ${Math.round(o.ms)} ms, ${o.findings.length} findings`);
  assert.ok(o.findings.length > 1000);
});
