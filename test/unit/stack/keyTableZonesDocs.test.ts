// The examples of the "OpenDKIM ↔ DNS" section of docs/checks.md do what the page says: each
// example is a KeyTable block (its `# key file` line gives the key file's facts and public key,
// keyFactsNotation.ts) and a zone file block, put at /etc/opendkim/KeyTable and
// /etc/bind/db.example.org; the bad one gives its code on the KeyTable (and, for a mismatch,
// on the zone file), the good one gives no finding at all on either. The quick-fix of the bad
// example, applied, leaves no finding of the section either.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { multiFileExamples } from '../checksSection';
import { applyFix, diagnoseFile, uriOf, workspaceOf } from '../opendkim/checksSupport';
import { keyFactsOf } from '../opendkim/keyFactsNotation';
import { setOpendkimEnvironment, type KeyFileInfo } from '../../../server/src/core/opendkim/checks/environment';

const TABLE = '/etc/opendkim/KeyTable';
const ZONE = '/etc/bind/db.example.org';

interface Example { table: string; zone: string }

function examples(): Array<{ code: string; bad: Example; good: Example }> {
  return multiFileExamples('OpenDKIM ↔ DNS', 2).map(({ code, bad, good }) => ({
    code, bad: { table: bad[0], zone: bad[1] }, good: { table: good[0], zone: good[1] },
  }));
}

function load(ex: Example) {
  const keys = new Map<string, KeyFileInfo>();
  for (const m of ex.table.matchAll(/^# key file (\S+): (.*)$/gm)) keys.set(m[1], keyFactsOf(m[2]));
  const ws = workspaceOf({ [TABLE]: ex.table, [ZONE]: ex.zone });
  setOpendkimEnvironment(ws, { keyFileInfo: (ref) => keys.get(ref.path) });
  const findings = (path: string) => diagnoseFile(ws, path);
  return { ws, findings, codes: (path: string) => findings(path).map((f) => `${f.code}: ${f.message}`) };
}

const all = examples();

test('the section documents its codes', () => {
  assert.deepEqual(all.map((e) => e.code), ['opendkim/key-not-in-zone', 'opendkim/key-mismatch-zone']);
});

for (const { code, bad, good } of all) {
  test(`docs example for ${code}`, () => {
    const b = load(bad);
    const onTable = b.findings(TABLE).filter((f) => f.code === code);
    assert.equal(onTable.length, 1, `KeyTable of the bad example: ${JSON.stringify(b.codes(TABLE))}`);
    const onZone = b.findings(ZONE).filter((f) => f.code === code);
    assert.equal(onZone.length, code === 'opendkim/key-mismatch-zone' ? 1 : 0, `zone of the bad example: ${JSON.stringify(b.codes(ZONE))}`);
    const g = load(good);
    assert.deepEqual({ table: g.codes(TABLE), zone: g.codes(ZONE) }, { table: [], zone: [] }, 'the good example is clean');
    // The fix of the bad example (the KeyTable side adds the record, the zone side replaces the key).
    const [f, own] = onZone.length ? [onZone[0], ZONE] : [onTable[0], TABLE];
    for (const [uri, text] of applyFix(b.ws, uriOf(own), f.fixes![0])) b.ws.setOnDisk(uri, b.ws.get(uri)!.kind, text);
    assert.deepEqual({ table: b.codes(TABLE), zone: b.codes(ZONE) }, { table: [], zone: [] }, 'the fixed example is clean');
  });
}
