// opendkim/ed25519-simple-header-canonicalization: OpenDKIM 2.11's Ed25519 signatures fail
// verification whenever the header canonicalization is simple (OpenDKIM refolds the header it
// signed). What the real daemon and two verifiers do with each Canonicalization is proved by
// test/integration/opendkimKeyFiles.test.ts; here: which values count as simple headers (as
// OpenDKIM parses them), where the finding goes, and what the quick-fix leaves behind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, brief, checksOf, uriOf, withCode, workspaceOf } from './checksSupport';
import { parseCanonicalization } from '../../../server/src/core/opendkim/checks/ed25519Canonicalization';
import type { DocumentKind } from '../../../server/src/core/kinds';
import fc from 'fast-check';
import { checkDiagnose } from '../../fuzz/targets/documents';
import { CI_SEED } from '../../fuzz/harness';

const CONF = '/etc/opendkim.conf';
const CODE = 'opendkim/ed25519-simple-header-canonicalization';
const BASE = 'Socket local:/run/opendkim/opendkim.sock\nKeyTable /etc/opendkim/key.table\nSigningTable refile:/etc/opendkim/signing.table\n';

function findingsOf(conf: string) {
  return withCode(checksOf(workspaceOf({ [CONF]: conf }), CONF), CODE);
}

/** The opendkim.conf after applying the finding's only fix. */
function fixed(conf: string): string {
  const ws = workspaceOf({ [CONF]: conf });
  const f = withCode(checksOf(ws, CONF), CODE);
  assert.equal(f.length, 1, conf);
  assert.equal(f[0].fixes?.length, 1);
  assert.equal(f[0].fixes![0].preferred, true);
  const text = applyFix(ws, uriOf(CONF), f[0].fixes![0]).get(uriOf(CONF))!;
  // The fixed file has no such finding left, and no new finding of any kind.
  const after = workspaceOf({ [CONF]: text });
  assert.deepEqual(brief(withCode(checksOf(after, CONF), CODE)), [], text);
  const before = new Set(brief(checksOf(ws, CONF)).filter((b) => !b.includes(CODE)).map((b) => b.split(' ').slice(0, 2).join(' ')));
  for (const b of brief(checksOf(after, CONF))) assert.ok(before.has(b.split(' ').slice(0, 2).join(' ')), `new finding after the fix: ${b}`);
  return text;
}

test('parseCanonicalization reads the value as OpenDKIM does: header/body, one word for the header, case-insensitive', () => {
  assert.deepEqual(parseCanonicalization('simple'), { header: 'simple', body: 'simple' });
  assert.deepEqual(parseCanonicalization('relaxed'), { header: 'relaxed', body: 'simple' });
  assert.deepEqual(parseCanonicalization('Simple/Relaxed'), { header: 'simple', body: 'relaxed', bodyAsWritten: 'Relaxed' });
  assert.deepEqual(parseCanonicalization('relaxed/simple'), { header: 'relaxed', body: 'simple', bodyAsWritten: 'simple' });
  // OpenDKIM refuses to start with these: another check's finding.
  for (const bad of ['', 'simple/', '/simple', 'relaxed/nofws', 'simple/relaxed/simple', 'simple ', 'nowsp']) assert.equal(parseCanonicalization(bad), undefined, bad);
});

test('ed25519-sha256 with simple header canonicalization, every way of writing it: on the Canonicalization value, with a fix', () => {
  const cases: Array<[string, string]> = [
    ['simple/simple', 'relaxed/simple'],
    ['simple/relaxed', 'relaxed/relaxed'],
    ['simple', 'relaxed/simple'],
    ['SIMPLE/Relaxed', 'relaxed/Relaxed'],
  ];
  for (const [value, replacement] of cases) {
    const conf = `${BASE}SignatureAlgorithm ed25519-sha256\nCanonicalization ${value}\n`;
    const f = findingsOf(conf);
    assert.deepEqual(brief(f), [`error ${CODE} 4:17-4:${17 + value.length}`], value);
    const m = f[0].message;
    assert.match(m, /^This OpenDKIM signs with ed25519-sha256 \(SignatureAlgorithm in opendkim\.conf line 4\)/);
    assert.match(m, new RegExp(`Canonicalization ${value} means simple for the headers`));
    assert.match(m, /refolds the DKIM-Signature header after it has signed it/);
    assert.match(m, /every Ed25519 signature it adds fails at receivers \(OpenDKIM's verifier: dkim=fail, "signature verification failed"; other verifiers such as python3-dkim fail it too\)/);
    assert.match(m, /RSA signatures are not affected/);
    assert.match(m, new RegExp(`Change it to ${replacement}`));
    assert.equal(f[0].fixes![0].title, `Change to ${replacement}`);
    assert.deepEqual(f[0].related?.map((r) => `${r.uri} ${r.range.start.line}:${r.range.start.character}`), [`${uriOf(CONF)} 3:19`]);
    assert.equal(fixed(conf), `${BASE}SignatureAlgorithm ed25519-sha256\nCanonicalization ${replacement}\n`);
  }
  // A single word means simple for the body too: the message says so.
  assert.match(findingsOf(`${BASE}SignatureAlgorithm ed25519-sha256\nCanonicalization simple\n`)[0].message, /means simple for the headers \(and simple for the body\)/);
});

test('Canonicalization unset (OpenDKIM\'s default simple/simple): on the SignatureAlgorithm value, the fix adds relaxed/simple', () => {
  const conf = `${BASE}SignatureAlgorithm ed25519-sha256\nMode sv\n`;
  const f = findingsOf(conf);
  assert.deepEqual(brief(f), [`error ${CODE} 3:19-3:33`]);
  assert.match(f[0].message, /no Canonicalization is set, so OpenDKIM uses its default, simple\/simple/);
  assert.match(f[0].message, /Add "Canonicalization relaxed\/simple"/);
  assert.equal(f[0].fixes![0].title, 'Add Canonicalization relaxed/simple');
  assert.equal(fixed(conf), `${BASE}Canonicalization relaxed/simple\nSignatureAlgorithm ed25519-sha256\nMode sv\n`);
  // The last line without a line end, and CRLF files, stay well formed.
  assert.equal(fixed('SignatureAlgorithm ed25519-sha256'), 'Canonicalization relaxed/simple\nSignatureAlgorithm ed25519-sha256');
  assert.equal(fixed('Socket inet:8891@localhost\r\nSignatureAlgorithm ED25519-SHA256\r\n'), 'Socket inet:8891@localhost\r\nCanonicalization relaxed/simple\r\nSignatureAlgorithm ED25519-SHA256\r\n');
});

test('no finding: relaxed headers, RSA, a verifying-only instance, or a value OpenDKIM would not start with', () => {
  const none = (extra: string) => assert.deepEqual(brief(findingsOf(`${BASE}${extra}`)), [], extra);
  none('SignatureAlgorithm ed25519-sha256\nCanonicalization relaxed/simple\n');
  none('SignatureAlgorithm ed25519-sha256\nCanonicalization relaxed/relaxed\n');
  none('SignatureAlgorithm ed25519-sha256\nCanonicalization relaxed\n');
  none('SignatureAlgorithm ed25519-sha256\nCanonicalization Relaxed/Simple\n');
  none('');
  none('Canonicalization simple/simple\n');
  none('SignatureAlgorithm rsa-sha256\nCanonicalization simple/simple\n');
  none('SignatureAlgorithm rsa-sha256\n');
  none('SignatureAlgorithm ed25519-sha256\nMode v\n');
  none('SignatureAlgorithm ed25519-sha256\nCanonicalization simple/nofws\n');
  none('SignatureAlgorithm ed448-sha256\n');
  // The last line of each option counts.
  none('SignatureAlgorithm ed25519-sha256\nCanonicalization simple/simple\nCanonicalization relaxed/simple\n');
  none('SignatureAlgorithm ed25519-sha256\nSignatureAlgorithm rsa-sha256\n');
  assert.deepEqual(brief(findingsOf(`${BASE}SignatureAlgorithm ed25519-sha256\nCanonicalization relaxed/simple\nCanonicalization simple/simple\n`)), [`error ${CODE} 5:17-5:30`]);
});

test('Include: the options of the included file count; the finding goes where the line to change is', () => {
  const INC = '/etc/opendkim/ed25519.conf';
  const kinds: Record<string, DocumentKind> = { [INC]: 'opendkim-conf' };
  // SignatureAlgorithm in the included file, Canonicalization unset: the finding and its fix are the included file's.
  const ws = workspaceOf({ [CONF]: `${BASE}Include ${INC}\n`, [INC]: 'SignatureAlgorithm ed25519-sha256\n' }, kinds);
  assert.deepEqual(brief(withCode(checksOf(ws, CONF), CODE)), []);
  const inc = withCode(checksOf(ws, INC), CODE);
  assert.deepEqual(brief(inc), [`error ${CODE} 0:19-0:33`]);
  assert.match(inc[0].message, /SignatureAlgorithm in ed25519\.conf line 1/);
  assert.equal(applyFix(ws, uriOf(INC), inc[0].fixes![0]).get(uriOf(INC)), 'Canonicalization relaxed/simple\nSignatureAlgorithm ed25519-sha256\n');

  // SignatureAlgorithm included, Canonicalization simple in opendkim.conf: on opendkim.conf's line.
  const ws2 = workspaceOf({ [CONF]: `${BASE}Include ${INC}\nCanonicalization simple/simple\n`, [INC]: 'SignatureAlgorithm ed25519-sha256\n' }, kinds);
  const f2 = withCode(checksOf(ws2, CONF), CODE);
  assert.deepEqual(brief(f2), [`error ${CODE} 4:17-4:30`]);
  assert.deepEqual(f2[0].related?.map((r) => r.uri), [uriOf(INC)]);
  assert.deepEqual(brief(withCode(checksOf(ws2, INC), CODE)), []);

  // Canonicalization simple in the included file, SignatureAlgorithm in opendkim.conf: on the included file's line, pointing back.
  const ws3 = workspaceOf({ [CONF]: `${BASE}SignatureAlgorithm ed25519-sha256\nInclude ${INC}\n`, [INC]: 'Canonicalization simple\n' }, kinds);
  assert.deepEqual(brief(withCode(checksOf(ws3, CONF), CODE)), []);
  const f3 = withCode(checksOf(ws3, INC), CODE);
  assert.deepEqual(brief(f3), [`error ${CODE} 0:17-0:23`]);
  assert.deepEqual(f3[0].related?.map((r) => r.uri), [uriOf(CONF), uriOf(CONF)]);
  assert.equal(applyFix(ws3, uriOf(INC), f3[0].fixes![0]).get(uriOf(INC)), 'Canonicalization relaxed/simple\n');

  // The included file overrides opendkim.conf's earlier line, and opendkim.conf's later line overrides the included one.
  const ws4 = workspaceOf({ [CONF]: `${BASE}SignatureAlgorithm ed25519-sha256\nCanonicalization simple\nInclude ${INC}\n`, [INC]: 'Canonicalization relaxed/simple\n' }, kinds);
  assert.deepEqual(brief(withCode([...checksOf(ws4, CONF), ...checksOf(ws4, INC)], CODE)), []);
  const ws5 = workspaceOf({ [CONF]: `${BASE}Include ${INC}\nCanonicalization relaxed/simple\n`, [INC]: 'SignatureAlgorithm ed25519-sha256\nCanonicalization simple\n' }, kinds);
  assert.deepEqual(brief(withCode([...checksOf(ws5, CONF), ...checksOf(ws5, INC)], CODE)), []);
});

test('dual signing: only the Ed25519 instance is judged', () => {
  const ED_CONF = '/etc/opendkim/ed25519.conf';
  const kinds: Record<string, DocumentKind> = { [ED_CONF]: 'opendkim-conf' };
  const ws = workspaceOf({
    [CONF]: `${BASE}Canonicalization simple/simple\n`,
    [ED_CONF]: 'Socket local:/run/opendkim/ed25519.sock\nSignatureAlgorithm ed25519-sha256\nCanonicalization simple/simple\n',
  }, kinds);
  assert.deepEqual(brief(withCode(checksOf(ws, CONF), CODE)), []);
  assert.deepEqual(brief(withCode(checksOf(ws, ED_CONF), CODE)), [`error ${CODE} 2:17-2:30`]);
});

// Property: over opendkim.conf files made of the lines that matter (in any order, repeated,
// CRLF or not, with or without a last line end), the finding appears exactly when OpenDKIM
// would sign with ed25519-sha256 under a simple header canonicalization, every fix applies
// cleanly (fuzz harness: ranges inside, no new syntax error), and after the fix the finding is gone.
test('property: the finding exactly when the options in effect say so; the fix always clears it', () => {
  const line = fc.constantFrom(
    'SignatureAlgorithm ed25519-sha256', 'SignatureAlgorithm ED25519-SHA256', 'SignatureAlgorithm rsa-sha256', 'SignatureAlgorithm ed448',
    'Canonicalization simple', 'Canonicalization simple/simple', 'Canonicalization simple/relaxed', 'Canonicalization Simple/RELAXED',
    'Canonicalization relaxed', 'Canonicalization relaxed/simple', 'Canonicalization simple/nofws', 'Canonicalization relaxed/',
    'Canonicalization', 'Mode s', 'Mode v', 'Mode sv', '# SignatureAlgorithm ed25519-sha256', '', 'Socket inet:8891@localhost',
  );
  const confText = fc.record({ lines: fc.array(line, { maxLength: 8 }), crlf: fc.boolean(), finalEol: fc.boolean() })
    .map(({ lines, crlf, finalEol }) => lines.join(crlf ? '\r\n' : '\n') + (finalEol && lines.length ? (crlf ? '\r\n' : '\n') : ''));
  /** What OpenDKIM does with the file: the last line of each option counts. */
  const expected = (text: string): boolean => {
    const last = new Map<string, string>();
    for (const l of text.split(/\r?\n/)) {
      const m = /^(\w+) (.+)$/.exec(l);
      if (m) last.set(m[1].toLowerCase(), m[2]);
    }
    if (last.get('signaturealgorithm')?.toLowerCase() !== 'ed25519-sha256' || !(last.get('mode') ?? 'sv').includes('s')) return false;
    const canon = (last.get('canonicalization') ?? 'simple/simple').toLowerCase();
    return ['simple', 'simple/simple', 'simple/relaxed'].includes(canon);
  };
  fc.assert(fc.property(confText, (text) => {
    const ws = workspaceOf({ [CONF]: text });
    checkDiagnose(ws);
    const f = withCode(checksOf(ws, CONF), CODE);
    assert.equal(f.length, expected(text) ? 1 : 0, JSON.stringify(text));
    if (f.length === 0) return;
    const after = applyFix(ws, uriOf(CONF), f[0].fixes![0]).get(uriOf(CONF))!;
    assert.deepEqual(withCode(checksOf(workspaceOf({ [CONF]: after }), CONF), CODE), [], JSON.stringify(after));
    assert.equal(expected(after), false, JSON.stringify(after));
  }), { seed: CI_SEED, numRuns: 400 });
});
