// The generators over real configurations: every sample tree (the seeds' snippets laid out
// as /etc) and every zone file of ../shared/corpus. Suggestions, the DKIM plan, SPF and
// DMARC records never throw, the edits apply, and mailconf's checks find no new error or
// warning afterwards; records inserted into corpus zones read back exactly.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { discover } from '../../../server/src/node/discovery';
import { dkimSuggestions, planDkimSetup } from '../../../server/src/core/stack/dkimSetup';
import { txtRdataText, zoneChoicesFor, zoneRecordInsertion, zoneTxtReplacement } from '../../../server/src/core/stack/zoneInsertion';
import { isDmarcText } from '../../../server/src/core/records/dmarc/dmarcRecord';
import { looksLikeSpf } from '../../../server/src/core/records/spf/checks';
import { validateDkimDomain } from '../../../server/src/core/records/dkim/generate';
import { spfRecordFor } from '../../../server/src/core/records/spf/generate';
import { dmarcRecordFor } from '../../../server/src/core/records/dmarc/generate';
import { WorkspaceZones } from '../../../server/src/core/dns/zoneResolver';
import { afterEdits, applyEdits, generated, problems } from './helpers';

const REPO = path.resolve(__dirname, '../../..');
const SAMPLES = path.join(REPO, 'samples');
const CORPUS_ZONES = path.join(REPO, '..', 'shared', 'corpus', 'zone');
const NOW = new Date(Date.UTC(2026, 10, 5));

function load(dir: string): Workspace {
  const ws = new Workspace();
  for (const f of discover([dir]).files) ws.setOnDisk(pathToFileURL(f.path).href, f.kind, fs.readFileSync(f.path, 'utf8'));
  return ws;
}

function assertNoNewProblems(before: Workspace, after: Workspace, label: string): void {
  for (const d of after.all()) {
    const was = new Set(before.get(d.uri) ? problems(before, d.uri) : []);
    assert.deepEqual(problems(after, d.uri).filter((p) => !was.has(p)), [], `${label}: ${d.uri}`);
  }
}

const samples = fs.readdirSync(SAMPLES).filter((d) => fs.statSync(path.join(SAMPLES, d)).isDirectory());

test('sample trees: a DKIM plan for each suggested domain applies cleanly and adds no problem', () => {
  assert.ok(samples.length >= 5);
  let plans = 0;
  for (const sample of samples) {
    const ws = load(path.join(SAMPLES, sample));
    const s = dkimSuggestions(ws, NOW);
    assert.ok(s.domains.length > 0, `${sample}: some domain is suggested`);
    for (const domain of s.domains.slice(0, 3)) {
      const keyPath = `${s.keyDirectories[0]}/${s.selector}.private`;
      const plan = planDkimSetup(ws, { domain, selector: s.selector, keyPath, generated: generated(domain, s.selector, keyPath) });
      assert.equal(plan.refusal, undefined, `${sample} ${domain}`);
      const next = afterEdits(ws, applyEdits(ws, plan.edits.edits), plan.createFiles);
      assertNoNewProblems(ws, next, `${sample} ${domain}`);
      if (plan.zoneUri) {
        const a = new WorkspaceZones(next).txtSync(`${s.selector}._domainkey.${domain}`);
        assert.equal(a?.status === 'ok' && a.records[0].join(''), generated(domain, s.selector, keyPath).txtValue, `${sample} ${domain}`);
      }
      plans++;
    }
  }
  assert.ok(plans >= 5);
});

test('sample trees: SPF and DMARC records for each suggested domain pass their checks', () => {
  for (const sample of samples) {
    const ws = load(path.join(SAMPLES, sample));
    for (const domain of dkimSuggestions(ws, NOW).domains) {
      const spf = spfRecordFor(ws, domain, { all: '~all' });
      assert.equal(spf.error, undefined);
      assert.match(spf.value, /^v=spf1( \S+)* ~all$/);
      if (spf.lookups <= 10) assert.deepEqual(spf.findings.filter((f) => f.severity === 'error').map((f) => f.code), [], `${sample} ${domain}: ${spf.value}`);
      else assert.ok(spf.findings.some((f) => f.code === 'spf/too-many-lookups'), 'never over the limit silently');
      // Into the zone: replacing the SPF/DMARC record already there, else inserted.
      const dmarc = dmarcRecordFor(domain, { rua: `mailto:dmarc@${domain}` });
      for (const [owner, value, isKind] of [[dmarc.owner, dmarc.value, isDmarcText], [domain, spf.value, looksLikeSpf]] as const) {
        const choice = zoneChoicesFor(ws, owner)[0];
        if (!choice) continue;
        const edit = zoneTxtReplacement(ws, owner, isKind, value) ?? zoneRecordInsertion(ws, choice.uri, owner, 'TXT', txtRdataText(value));
        const next = afterEdits(ws, applyEdits(ws, [edit]));
        const published = new WorkspaceZones(next).txtSync(owner);
        assert.deepEqual(published?.status === 'ok' && published.records.map((r) => r.join('')).filter((v) => isKind(v)), [value], `${sample} ${owner}`);
        if (isKind === isDmarcText || spf.lookups <= 10) assertNoNewProblems(ws, next, `${sample} ${owner}`);
      }
    }
  }
});

test('corpus zone files: a DKIM-sized record inserted at each zone\'s apex domain reads back and adds no problem', () => {
  const files = fs.readdirSync(CORPUS_ZONES);
  assert.ok(files.length >= 10, 'the corpus is beside the clone');
  let inserted = 0;
  for (const name of files) {
    const file = path.join(CORPUS_ZONES, name);
    const ws = new Workspace();
    ws.setOnDisk(pathToFileURL(file).href, 'dns-zone', fs.readFileSync(file, 'utf8'));
    const zones = new WorkspaceZones(ws).allZones();
    if (zones.length === 0) continue; // a fragment without a known origin (a selector.txt)
    const apex = zones[0].apex.replace(/\.$/, '');
    if (validateDkimDomain(apex)) continue; // a test zone such as `example.`
    const g = generated(apex, 'mc202611', '/k/mc.private');
    const choice = zoneChoicesFor(ws, g.recordName)[0];
    assert.ok(choice, name);
    const edit = zoneRecordInsertion(ws, choice.uri, g.recordName, 'TXT', txtRdataText(g.txtValue));
    const next = afterEdits(ws, applyEdits(ws, [edit]));
    const a = new WorkspaceZones(next).txtSync(g.recordName);
    assert.equal(a?.status === 'ok' && a.records[0].join(''), g.txtValue, name);
    assertNoNewProblems(ws, next, name);
    inserted++;
  }
  assert.ok(inserted >= 8, `records inserted into ${inserted} corpus zones`);
});
