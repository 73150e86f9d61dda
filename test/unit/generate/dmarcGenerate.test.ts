// DMARC records: the p=none start with the admin's report address (validated, external
// domains' authorisation named), and the step-up quick-fixes on `dmarc/monitoring-only`
// (to quarantine and to reject) applied to zone records written in one or several strings.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dmarcRecordFor } from '../../../server/src/core/records/dmarc/generate';
import { checkDmarcRecord } from '../../../server/src/core/records/dmarc/dmarcRecord';
import { recordTextFromString } from '../../../server/src/core/records/tags/recordTexts';
import { WorkspaceZones } from '../../../server/src/core/dns/zoneResolver';
import { txtRdataText, zoneRecordInsertion } from '../../../server/src/core/stack/zoneInsertion';
import { afterEdits, applyEdits, applyTextEdits, findingsOf, problems, SOA, uriOf, workspaceOf } from './helpers';

const ZONE = '/etc/bind/db.example.org';
const Z = uriOf(ZONE);
const HEAD = `$ORIGIN example.org.\n$TTL 300\n${SOA}`;

function codesOf(value: string, owner: string): string[] {
  return checkDmarcRecord(recordTextFromString(value, { owner })).map((f) => `${f.severity} ${f.code}`);
}

test('the start: p=none with the report address, at _dmarc.<domain>; the checks only say "monitoring"', () => {
  const d = dmarcRecordFor('Example.ORG.', { rua: 'mailto:dmarc@example.org' });
  assert.deepEqual([d.owner, d.value, d.error], ['_dmarc.example.org', 'v=DMARC1; p=none; rua=mailto:dmarc@example.org', undefined]);
  assert.deepEqual(codesOf(d.value, d.owner), ['information dmarc/monitoring-only']);
  assert.match(d.notes.join('\n'), /p=none only monitors.*step up to p=quarantine, then p=reject/s);
  // Inserted into the zone it reads back the same and adds no problem.
  const ws = workspaceOf({ [ZONE]: HEAD });
  const next = afterEdits(ws, applyEdits(ws, [zoneRecordInsertion(ws, Z, d.owner, 'TXT', txtRdataText(d.value))]));
  const a = new WorkspaceZones(next).txtSync(d.owner);
  assert.deepEqual(a?.status === 'ok' && a.records.map((s) => s.join('')), [d.value]);
  assert.deepEqual(problems(next, Z), []);
});

test('options: policy, a different subdomain policy, pct with its DMARCbis note, several report addresses', () => {
  const d = dmarcRecordFor('example.org', { policy: 'quarantine', subdomainPolicy: 'reject', pct: 50, rua: 'mailto:a@example.org, mailto:b@example.org!10m' });
  assert.equal(d.value, 'v=DMARC1; p=quarantine; sp=reject; pct=50; rua=mailto:a@example.org,mailto:b@example.org!10m');
  assert.deepEqual(codesOf(d.value, d.owner), ['information dmarc/removed-in-dmarcbis']);
  assert.match(d.notes.join('\n'), /pct= is gone from DMARCbis/);
  assert.match(d.notes.join('\n'), /p=quarantine acts on mail that fails DMARC at once/);
  assert.equal(dmarcRecordFor('example.org', { policy: 'reject', subdomainPolicy: 'reject', pct: 100 }).value, 'v=DMARC1; p=reject');
});

test('a report address at another organisation: the authorisation record is named (RFC 7489 §7.1); none at all: no reports', () => {
  const d = dmarcRecordFor('example.org', { rua: 'mailto:x@reports.example.net' });
  assert.match(d.notes[0], /example\.org\._report\._dmarc\.reports\.example\.net TXT "v=DMARC1" \(RFC 7489 §7\.1\)/);
  assert.deepEqual(codesOf(d.value, d.owner), ['information dmarc/monitoring-only', 'information dmarc/external-report-domain']);
  assert.equal(dmarcRecordFor('mail.example.org', { rua: 'mailto:x@example.org' }).notes.some((n) => n.includes('_report')), false, 'same organisation');
  const none = dmarcRecordFor('example.org');
  assert.equal(none.value, 'v=DMARC1; p=none');
  assert.match(none.notes[0], /No rua= address/);
});

test('refusals: an address without mailto:, another scheme, a broken address, a bad domain or percentage', () => {
  assert.match(dmarcRecordFor('example.org', { rua: 'dmarc@example.org' }).error ?? '', /lacks the `mailto:` in front/);
  assert.match(dmarcRecordFor('example.org', { rua: 'https://reports.example.org/' }).error ?? '', /not a scheme reports are sent to/);
  assert.match(dmarcRecordFor('example.org', { rua: 'mailto:nobody' }).error ?? '', /no `@`/);
  assert.match(dmarcRecordFor('example.org', { rua: 'mailto:a@example.org,' }).error ?? '', /empty entry/);
  assert.match(dmarcRecordFor('exa mple.org').error ?? '', /cannot have a DMARC record/);
  assert.match(dmarcRecordFor('example.org', { pct: 120 }).error ?? '', /0 to 100/);
  assert.match(dmarcRecordFor('example.org', { policy: 'block' as 'none' }).error ?? '', /not a DMARC policy/);
  assert.equal(dmarcRecordFor('example.org', { rua: 'mailto:nobody' }).value, '');
});

/** The monitoring-only finding of the zone's _dmarc record, its fixes applied one by one. */
function stepUps(record: string) {
  const text = `${HEAD}${record}\n`;
  const ws = workspaceOf({ [ZONE]: text });
  const f = findingsOf(ws, Z).find((x) => x.code === 'dmarc/monitoring-only');
  assert.ok(f, 'monitoring-only finding');
  return (f.fixes ?? []).map((fix) => {
    const after = applyTextEdits(text, fix.edits);
    const next = workspaceOf({ [ZONE]: after });
    const a = new WorkspaceZones(next).txtSync('_dmarc.example.org');
    return {
      title: fix.title, edits: fix.edits.length,
      value: a?.status === 'ok' ? a.records[0].join('') : '',
      codes: findingsOf(next, Z).map((x) => `${x.severity} ${x.code}`),
    };
  });
}

test('step-up quick-fixes on p=none: to quarantine and to reject, each a minimal edit giving a valid record', () => {
  const fixes = stepUps('_dmarc\tIN\tTXT\t"v=DMARC1; p=none; rua=mailto:dmarc@example.org"');
  assert.deepEqual(fixes, [
    { title: 'Step up to p=quarantine', edits: 1, value: 'v=DMARC1; p=quarantine; rua=mailto:dmarc@example.org', codes: [] },
    { title: 'Step up to p=reject', edits: 1, value: 'v=DMARC1; p=reject; rua=mailto:dmarc@example.org', codes: [] },
  ]);
  const ws = workspaceOf({ [ZONE]: `${HEAD}_dmarc\tIN\tTXT\t"v=DMARC1; p=none"\n` });
  const f = findingsOf(ws, Z).find((x) => x.code === 'dmarc/monitoring-only')!;
  assert.deepEqual(f.fixes![1].edits[0].range, { start: { line: 5, character: 27 }, end: { line: 5, character: 31 } }, 'only the word none');
});

test('step-up across strings: a record in parentheses over several lines, and p=none cut in two strings', () => {
  const multi = stepUps('_dmarc\tIN\tTXT\t( "v=DMARC1; "\n\t"p=none; "\n\t"rua=mailto:dmarc@example.org" )');
  assert.deepEqual(multi.map((m) => [m.value, m.codes]), [
    ['v=DMARC1; p=quarantine; rua=mailto:dmarc@example.org', []],
    ['v=DMARC1; p=reject; rua=mailto:dmarc@example.org', []],
  ]);
  const cut = stepUps('_dmarc\tIN\tTXT\t"v=DMARC1; p=no" "ne; rua=mailto:dmarc@example.org"');
  assert.deepEqual(cut.map((m) => [m.edits, m.value, m.codes]), [
    [2, 'v=DMARC1; p=quarantine; rua=mailto:dmarc@example.org', []],
    [2, 'v=DMARC1; p=reject; rua=mailto:dmarc@example.org', []],
  ]);
  // An escape inside the word cannot be replaced as plain text: no fix rather than a wrong one.
  assert.deepEqual(stepUps('_dmarc\tIN\tTXT\t"v=DMARC1; p=n\\111ne; rua=mailto:dmarc@example.org"'), []);
});
