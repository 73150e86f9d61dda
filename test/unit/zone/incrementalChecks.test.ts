// The zone checks of an open document keep their findings per record between analyses
// (core/zone/checks/findingCache.ts) and the zone data is updated, not rebuilt, after an
// incremental re-parse. Whatever the edits, diagnose() must then give exactly what a full
// analysis of the same text gives: same findings, same order, same ranges, related
// locations and fixes. Random edits (fast-check) on generated zones whose records meet
// every check: groups, duplicates, CNAME beside data, targets, wildcards, delegations,
// SPF lookups inside and across zones, DMARC, DKIM keys and their sets, big TXT answers,
// $ORIGIN/$TTL changes, parentheses, disable comments, LF, CRLF and CR line ends, any typing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { diagnose } from '../../../server/src/core/checks';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { LineIndex } from '../../../server/src/core/text/lines';
import type { Finding } from '../../../server/src/core/types';

const A_URI = 'file:///zones/db.example.org';
const B_URI = 'file:///zones/db.example.net';

const KEY1 = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAupHIIpkRyw2RjUp3jMgoDXlxzfau4I2npo2oNPRmlSYgUf4UbxNidMKunwKThmVPNESdqX5yNkARwuYubjdaDUfykfBu1a9GrZx1DEBaXhcsIqAknN453fN3P1pPrsQqut5GlJkBVI/gnIfIojlu+uFc02aq';
const KEY2 = 'mlPQ8EWI99/E0L0BSCWZnWssDtYdSAsuWZmgVPX8Hy+HvPj4Wyd6KyZNZ5CkT3G5uh2Q71GVBKd7Mu0mS+lI+J9Bhx+6nfb24IL/DPe7CY4fR0MOEpAGpL+HOJTFg34WnGcqhdmgSYZ6BYCeBZMXynimt4qRspbuiDOOI3mZqLjGv9a0Vtp6s6MnWQIDAQAB';

/** Owners that collide often, so names have groups. */
const OWNERS = ['@', 'www', 'mail', 'mx1', 'ns1', 'a', 'b', 'sub', '*.wild', 'x.wild', 'sel._domainkey', 'k2._domainkey', '_dmarc', 'www.sub', 'mail.example.org', 'other.test.', 'ns.sub', 'WWW'];
const TARGETS = ['mail', 'mx1', 'www', 'a', 'nohost', 'x.wild', 'ns.sub', 'in.sub', 'host.example.com.', 'mail.example.net.', '192.0.2.9', '.', 'b'];

/** One record line (or lines) of a zone, from a palette that meets every zone check. */
const recordLine = fc.tuple(fc.constantFrom(...OWNERS), fc.constantFrom(...TARGETS), fc.nat(30), fc.boolean(), fc.nat(29)).map(([owner, target, n, inherit, kind]) => {
  const o = inherit ? '  ' : owner;
  switch (kind) {
    case 0: return `${o} IN A 192.0.2.${n}`;
    case 1: return `${o} AAAA 2001:db8::${n.toString(16)}`;
    case 2: return `${o} MX ${n} ${target}`;
    case 3: return `${o} CNAME ${target}`;
    case 4: return `${o} NS ${target}`;
    case 5: return `${o} TXT "v=spf1 a mx include:_spf.example.net -all"`;
    case 6: return `${o} TXT "v=spf1 ip4:192.0.2.0/24 include:${target === '.' ? 'x' : target}.example.org ~all"`;
    case 7: return `${o} TXT v=spf1 -all`;
    case 8: return `_dmarc${n % 2 ? '.sub' : ''} TXT "v=DMARC1; p=none; rua=mailto:d@example.net"`;
    case 9: return `sel._domainkey IN TXT ( "v=DKIM1; k=rsa; "\n\t"p=${KEY1}"\n\t"${KEY2}" )`;
    case 10: return `k2._domainkey TXT "v=DKIM1; p=${KEY1}"\nk2._domainkey TXT "${KEY2}"`;
    case 11: return `${o} TXT "${'x'.repeat(250)}" "${'y'.repeat(250)}"`;
    case 12: return n % 2 ? '$ORIGIN sub.example.org.' : '$ORIGIN example.org.';
    case 13: return `$TTL ${n * 60}`;
    case 14: return `; a comment ${n}`;
    case 15: return `; mailconf-disable-next-line${n % 2 ? ' zone/duplicate-record' : ''}`;
    case 16: return `@ IN SOA ns1 hostmaster ( ${n} 2h 1h 4w 1h )`;
    case 17: return 'sub NS ns.sub\nns.sub A 192.0.2.53';
    case 18: return `${o} SRV 0 5 5060 ${target}`;
    case 19: return `${o} CAA 0 ${n % 2 ? 'issue' : 'bogus'} "letsencrypt.org"`;
    case 20: return `${o} A 300.1.${n}.1`;
    case 21: return `${o} TXT "v=DMARC1; p=reject"`;
    case 22: return `${o} MX 10 ${target}\n${o} MX 10 ${target}`;
    case 23: return `${o} PTR ${target}`;
    case 24: return `_spf${n % 2 ? '' : '.sub'} TXT "v=spf1 ip4:198.51.100.0/24 -all"`;
    case 25: return `${o} TXT ( "v=spf1 "\n   "mx -all" ) ; split`;
    case 26: return `${o} 3600 IN TXT "v=spf1 redirect=_spf.example.org"`;
    case 27: return `${o} IN TXT "google-site-verification=${n}"`;
    case 28: return n % 3 ? `sel._domainkey.sub TXT "v=DKIM1; k=rsa; p=${KEY1}${KEY2}"` : `keyhost TXT "v=DKIM1; k=rsa; p=${KEY1}${KEY2}"`;
    default: return `${o} TLSA 3 1 1 ${'ab'.repeat(n + 1)}`;
  }
});

const HEAD = '$ORIGIN example.org.\n$TTL 1h\n@ IN SOA ns1 hostmaster ( 2026010101 2h 1h 4w 1h )\n@ IN NS ns1\nns1 A 192.0.2.1\n';

const zoneText = fc.tuple(fc.boolean(), fc.array(recordLine, { minLength: 5, maxLength: 40 }))
  .map(([withHead, lines]) => (withHead ? HEAD : '') + lines.join('\n') + '\n')
  // Line ends as Windows and old Macs write them, too.
  .chain((t) => fc.constantFrom(t, t.replace(/\n/g, '\r\n'), t.replace(/\n/g, '\r')));

/** What may be typed or pasted. */
const INSERTS = ['', '', 'a', '.', ' ', '\t', '\n', '\n\n', '(', ')', '"', ';', '1', 'www', 'CNAME', 'MX 10 mail', ' IN A 192.0.2.7\n',
  'www CNAME mail\n', '$ORIGIN sub.example.org.\n', 'mail A 192.0.2.2\n', ' TXT "v=spf1 mx -all"\n', '*.wild A 192.0.2.3\n', 'nohost A 192.0.2.4\n',
  '_dmarc TXT "v=DMARC1; p=none"\n', 'sub NS ns.sub\n', '@ NS ns1\n', '; mailconf-disable-next-line\n', '\r\n', 'mail.example.org', 'x._domainkey CNAME sel._domainkey\n',
  's._domainkey CNAME keyhost\n', '@ SOA ns1 h ( 1 2 3 4 5 )\n', '$ORIGIN sub.example.org.\n@ SOA ns1 h ( 1 2 3 4 5 )\n'];

const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.oneof(fc.constant(0), fc.nat(3), fc.nat(40)),
  insert: fc.oneof(fc.constantFrom(...INSERTS), fc.string({ unit: fc.constantFrom(...'ab.\t\n\r()";\\@$*_1AxM '), maxLength: 12 })),
  inB: fc.nat(9).map((n) => n === 0),
});

/** Applies an edit as an editor does, with the lines an LSP server would call changed. */
function applyEdit(text: string, e: { at: number; remove: number; insert: string }): { text: string; startLine: number; endLine: number } {
  let from = Math.floor(e.at * text.length);
  let to = Math.min(text.length, from + e.remove);
  // Editors never split a CRLF.
  if (from > 0 && text.charCodeAt(from - 1) === 13 && text.charCodeAt(from) === 10) from--;
  if (to > from && to < text.length && text.charCodeAt(to - 1) === 13 && text.charCodeAt(to) === 10) to++;
  const next = text.slice(0, from) + e.insert + text.slice(to);
  const lines = new LineIndex(next);
  return { text: next, startLine: lines.positionAt(from).line, endLine: lines.positionAt(from + e.insert.length).line };
}

/** Findings of both zones, each analysed from scratch (documents read from disk: the full walk). */
function fresh(a: string, b: string): { a: Finding[]; b: Finding[] } {
  const ws = new Workspace();
  const da = ws.setOnDisk(A_URI, 'dns-zone', a);
  const db = ws.setOnDisk(B_URI, 'dns-zone', b);
  return { a: diagnose({ doc: da, workspace: ws, settings: DEFAULT_SETTINGS }), b: diagnose({ doc: db, workspace: ws, settings: DEFAULT_SETTINGS }) };
}

const B_TEXT = '$ORIGIN example.net.\n@ SOA ns1.example.org. h ( 1 2 3 4 5 )\n@ NS ns1.example.org.\n_spf TXT "v=spf1 include:_spf.example.org a:mail.example.org -all"\n' +
  'mail A 192.0.2.5\n@ TXT "v=spf1 include:example.org -all"\n';

function runEdits(start: string, edits: Array<{ at: number; remove: number; insert: string; inB: boolean }>): void {
  const ws = new Workspace();
  let a = start;
  let b = B_TEXT;
  let version = 1;
  let docA = ws.setOpen(A_URI, 'dns-zone', a, version);
  let docB = ws.setOpen(B_URI, 'dns-zone', b, version);
  const check = (label: string) => {
    const got = { a: diagnose({ doc: docA, workspace: ws, settings: DEFAULT_SETTINGS }), b: diagnose({ doc: docB, workspace: ws, settings: DEFAULT_SETTINGS }) };
    assert.deepStrictEqual(got, fresh(a, b), `${label}\n--- zone A ---\n${a}`);
  };
  check('first analysis');
  for (const [i, e] of edits.entries()) {
    version++;
    if (e.inB) {
      const next = applyEdit(b, e);
      b = next.text;
      docB = ws.updateOpen(B_URI, 'dns-zone', b, version, { startLine: next.startLine, endLine: next.endLine });
    } else {
      const next = applyEdit(a, e);
      a = next.text;
      docA = ws.updateOpen(A_URI, 'dns-zone', a, version, { startLine: next.startLine, endLine: next.endLine });
    }
    check(`after edit ${i + 1} ${JSON.stringify(e)}`);
  }
}

test('after random edits, the kept zone findings equal a full analysis (findings, order, ranges, related, fixes)', () => {
  fc.assert(fc.property(zoneText, fc.array(edit, { minLength: 1, maxLength: 25 }), (start, edits) => runEdits(start, edits)),
    // A fixed seed keeps the suite deterministic; MAILCONF_PROPERTY_SEED=<n> explores others.
    { numRuns: 300, seed: Number(process.env.MAILCONF_PROPERTY_SEED ?? 20260109) });
});

test('edits that move lines keep findings that span records (duplicates, CNAME beside data, DKIM sets) right', () => {
  const start = HEAD + [
    'www A 192.0.2.10', 'www A 192.0.2.10', 'mail CNAME www', 'mail MX 10 www', '; filler', 'k2._domainkey TXT "v=DKIM1; p=' + KEY1 + '"',
    'k2._domainkey TXT "' + KEY2 + '"', 'www A 192.0.2.10', 'x MX 10 mail', '',
  ].join('\n');
  // Insert and remove lines between and around the records that belong together.
  const edits = [];
  for (const at of [0.3, 0.5, 0.62, 0.75, 0.9, 0.99, 0.1]) {
    edits.push({ at, remove: 0, insert: '\n', inB: false }, { at, remove: 0, insert: '; note\n', inB: false }, { at, remove: 1, insert: '', inB: false });
  }
  runEdits(start, edits);
});

test('a second SOA keeps pointing at the first one when a new first SOA comes in above', () => {
  const start = '$ORIGIN example.org.\n; the zone\n@ SOA ns1 h ( 1 2 3 4 5 )\n@ NS ns1\nns1 A 192.0.2.1\n$ORIGIN sub.example.org.\n@ SOA ns1 h ( 1 2 3 4 5 )\n';
  const at = start.indexOf('; the zone') / start.length;
  runEdits(start, [{ at, remove: 0, insert: '@ SOA ns2 h ( 9 2 3 4 5 )\n', inB: false }, { at, remove: 10, insert: '', inB: false }]);
});

test('a DKIM key away from _domainkey is right again when a CNAME starts or stops pointing at it', () => {
  const start = HEAD + `keyhost TXT "v=DKIM1; k=rsa; p=${KEY1}${KEY2}"\nwww A 192.0.2.80\n`;
  const at = (start.length - 1) / start.length;
  runEdits(start, [
    { at: 1, remove: 0, insert: 's._domainkey CNAME keyhost\n', inB: false },
    { at, remove: 0, insert: 'x', inB: false },
    { at: 0.999, remove: 3, insert: '', inB: false },
  ]);
});

test('an open zone that another zone includes, and edits of $INCLUDE lines, are analysed in full and still right', () => {
  const ws = new Workspace();
  const root = '$ORIGIN example.org.\n@ SOA ns1 h ( 1 2 3 4 5 )\n@ NS ns1\nns1 A 192.0.2.1\n$INCLUDE part.zone\nwww CNAME mail\n';
  const part = 'mail A 192.0.2.2\nwww A 192.0.2.3\n';
  let rootText = root;
  let docRoot = ws.setOpen('file:///zones/db.example.org', 'dns-zone', rootText, 1);
  const docPart = ws.setOpen('file:///zones/part.zone', 'dns-zone', part, 1);
  const freshOf = (text: string) => {
    const w = new Workspace();
    const r = w.setOnDisk('file:///zones/db.example.org', 'dns-zone', text);
    const p = w.setOnDisk('file:///zones/part.zone', 'dns-zone', part);
    return [diagnose({ doc: r, workspace: w, settings: DEFAULT_SETTINGS }), diagnose({ doc: p, workspace: w, settings: DEFAULT_SETTINGS })];
  };
  const got = () => [diagnose({ doc: docRoot, workspace: ws, settings: DEFAULT_SETTINGS }), diagnose({ doc: docPart, workspace: ws, settings: DEFAULT_SETTINGS })];
  assert.deepStrictEqual(got(), freshOf(rootText));
  assert.ok(got()[0].some((f) => f.code === 'zone/cname-and-other-data'), 'the included www A meets the CNAME');
  let v = 1;
  for (const [from, insert] of [[rootText.indexOf('$INCLUDE'), ';'], [rootText.indexOf('$INCLUDE'), ''], [rootText.length, 'mail MX 10 mail\n']] as const) {
    const e = applyEdit(rootText, { at: from / rootText.length, remove: insert === '' ? 1 : 0, insert });
    rootText = e.text;
    docRoot = ws.updateOpen('file:///zones/db.example.org', 'dns-zone', rootText, ++v, { startLine: e.startLine, endLine: e.endLine });
    assert.deepStrictEqual(got(), freshOf(rootText), rootText);
  }
});
