// The records the one-click commands insert, read by BIND: named-checkzone (Debian's
// bind9-utils) loads each zone after the insertion — DKIM keys of every size from
// planDkimSetup, a long SPF record split into strings, DMARC before and after the step-up
// fix, owners relative to several $ORIGINs, a fully qualified owner in an $INCLUDEd file,
// CRLF line ends — and its dump holds exactly the value generated. mailconf's own zone
// checks find no error in the same texts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeRun, run } from './harness/processes';
import { planDkimSetup } from '../../server/src/core/stack/dkimSetup';
import { txtRdataText, zoneRecordInsertion } from '../../server/src/core/stack/zoneInsertion';
import { spfRecordFor } from '../../server/src/core/records/spf/generate';
import { dmarcRecordFor } from '../../server/src/core/records/dmarc/generate';
import type { Workspace } from '../../server/src/core/stack/workspace';
import { afterEdits, applyEdits, applyTextEdits, findingsOf, generated, SOA, uriOf, workspaceOf } from '../unit/generate/helpers';

const DOMAIN = 'example.org';
let work: string;

before(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-genzone-')); });
after(() => { fs.rmSync(work, { recursive: true, force: true }); });

/** Runs named-checkzone on a zone text (extra files written beside it); returns the dump. */
function namedAccepts(zoneText: string, extra: Record<string, string> = {}, origin = DOMAIN): string {
  const dir = fs.mkdtempSync(path.join(work, 'z-'));
  for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), text);
  const file = path.join(dir, 'zone');
  fs.writeFileSync(file, zoneText.replaceAll('@INCLUDEDIR@', dir));
  const args = ['-i', 'local', '-k', 'fail', '-n', 'fail', '-w', dir, origin, file];
  const r = run('named-checkzone', args);
  assert.equal(r.status, 0, describeRun('named-checkzone', args, r) + '\n' + zoneText);
  assert.match(r.stdout, /OK/);
  const dumpArgs = ['-D', '-o', '-', '-w', dir, origin, file];
  const dump = run('named-checkzone', dumpArgs);
  assert.equal(dump.status, 0, describeRun('named-checkzone', dumpArgs, dump));
  return dump.stdout;
}

/** The TXT values at `name` in a named-checkzone dump (strings joined as receivers join them). */
function dumpTxt(dump: string, name: string): string[] {
  const out: string[] = [];
  for (const line of dump.split('\n')) {
    const m = /^(\S+)\s+\d+\s+IN\s+TXT\s+(.*)$/.exec(line);
    if (!m || m[1].toLowerCase() !== name.toLowerCase() + '.') continue;
    out.push([...m[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1].replace(/\\(.)/g, '$1')).join(''));
  }
  return out;
}

function noZoneErrors(ws: Workspace, uri: string): void {
  assert.deepEqual(findingsOf(ws, uri).filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`), []);
}

const ZONE = '/etc/bind/db.example.org';
const Z = uriOf(ZONE);
const LAYOUT = [
  `$ORIGIN ${DOMAIN}.`, '$TTL 300', SOA.trimEnd(),
  '@\tIN\tMX\t10 mail', 'mail\tIN\tA\t192.0.2.25', '\tIN\tAAAA\t2001:db8::25',
  '$ORIGIN lists.example.org.', '@\tIN\tA\t192.0.2.30', '',
].join('\n');

test('DKIM keys (RSA 1024/2048/4096, Ed25519) inserted by the setup plan: named-checkzone loads the zone and serves the generated value', () => {
  const stack = {
    '/etc/opendkim.conf': 'Socket local:/run/opendkim/opendkim.sock\n',
    [ZONE]: LAYOUT,
  };
  for (const algorithm of ['rsa1024', 'rsa2048', 'rsa4096', 'ed25519'] as const) {
    const ws = workspaceOf(stack);
    const selector = `s${algorithm}`;
    const keyPath = `/etc/opendkim/keys/${DOMAIN}/${selector}.private`;
    const g = generated(DOMAIN, selector, keyPath, algorithm);
    const plan = planDkimSetup(ws, { domain: DOMAIN, selector, keyPath, generated: g });
    assert.equal(plan.zoneUri, Z);
    const changed = applyEdits(ws, plan.edits.edits);
    const zone = changed.get(Z)!;
    assert.match(zone, new RegExp(`\\n${selector}\\._domainkey\\tIN\\tTXT\\t\\(`), 'relative to $ORIGIN example.org., before $ORIGIN lists.');
    const dump = namedAccepts(zone);
    assert.deepEqual(dumpTxt(dump, g.recordName), [g.txtValue], algorithm);
    assert.match(dump, /IN\s+SOA\s+\S+\s+\S+\s+2024010102\s/, 'serial increased');
    noZoneErrors(afterEdits(ws, changed, plan.createFiles), Z);
  }
});

test('a DKIM key for a name below the later $ORIGIN goes after its records, relative to it', () => {
  const ws = workspaceOf({ [ZONE]: LAYOUT });
  const g = generated('lists.example.org', 'l1', '/k/l1.private');
  const plan = planDkimSetup(ws, { domain: 'lists.example.org', selector: 'l1', keyPath: '/k/l1.private', generated: g });
  const zone = applyEdits(ws, plan.edits.edits).get(Z)!;
  assert.match(zone, /\$ORIGIN lists\.example\.org\.\n@\tIN\tA\t192\.0\.2\.30\nl1\._domainkey\tIN\tTXT\t\(/);
  assert.deepEqual(dumpTxt(namedAccepts(zone), 'l1._domainkey.lists.example.org'), [g.txtValue]);
});

test('a long SPF record (over 255 characters) at the apex: split between terms, loaded and served whole', () => {
  const ws = workspaceOf({ [ZONE]: LAYOUT, '/etc/postfix/main.cf': 'myhostname = mail.example.org\n' });
  const addresses = Array.from({ length: 30 }, (_, i) => `198.51.100.${i + 1}`);
  const spf = spfRecordFor(ws, DOMAIN, { all: '-all', addresses });
  assert.ok(spf.value.length > 255 && spf.lookups <= 10);
  const zone = applyEdits(ws, [zoneRecordInsertion(ws, Z, DOMAIN, 'TXT', txtRdataText(spf.value))]).get(Z)!;
  assert.match(zone, /\n@\tIN\tTXT\t\( "v=spf1 mx /);
  assert.deepEqual(dumpTxt(namedAccepts(zone), DOMAIN), [spf.value]);
  noZoneErrors(afterEdits(ws, new Map([[Z, zone]])), Z);
});

test('DMARC at _dmarc, then each step-up fix: named-checkzone loads every version', () => {
  const ws = workspaceOf({ [ZONE]: LAYOUT });
  const d = dmarcRecordFor(DOMAIN, { rua: `mailto:dmarc@${DOMAIN}` });
  const zone = applyEdits(ws, [zoneRecordInsertion(ws, Z, d.owner, 'TXT', txtRdataText(d.value))]).get(Z)!;
  assert.deepEqual(dumpTxt(namedAccepts(zone), d.owner), [d.value]);
  const next = workspaceOf({ [ZONE]: zone });
  const f = findingsOf(next, Z).find((x) => x.code === 'dmarc/monitoring-only')!;
  assert.equal(f.fixes?.length, 2);
  for (const [i, policy] of ['quarantine', 'reject'].entries()) {
    const stepped = applyTextEdits(zone, f.fixes![i].edits);
    assert.deepEqual(dumpTxt(namedAccepts(stepped), d.owner), [d.value.replace('p=none', `p=${policy}`)]);
  }
});

test('an $INCLUDEd file based below the name gets a fully qualified owner; a CRLF zone stays CRLF; both load', () => {
  const files = {
    [ZONE]: `$ORIGIN ${DOMAIN}.\n$TTL 300\n${SOA}$INCLUDE @INCLUDEDIR@/lists.inc lists.example.org.\n`,
    '/etc/bind/lists.inc': '@\tIN\tA\t192.0.2.30\n',
  };
  const ws = workspaceOf({ ...files, [ZONE]: files[ZONE].replace('@INCLUDEDIR@', '/etc/bind') }, { '/etc/bind/lists.inc': 'dns-zone' });
  const d = dmarcRecordFor(DOMAIN, { rua: `mailto:dmarc@${DOMAIN}` });
  const inc = applyEdits(ws, [zoneRecordInsertion(ws, uriOf('/etc/bind/lists.inc'), d.owner, 'TXT', txtRdataText(d.value))]).get(uriOf('/etc/bind/lists.inc'))!;
  assert.match(inc, /\n_dmarc\.example\.org\.\tIN\tTXT\t/);
  assert.deepEqual(dumpTxt(namedAccepts(files[ZONE], { 'lists.inc': inc }), d.owner), [d.value]);

  const crlf = LAYOUT.replace(/\n/g, '\r\n');
  const cws = workspaceOf({ [ZONE]: crlf });
  const g = generated(DOMAIN, 'crlf', '/k/crlf.private');
  const zone = applyEdits(cws, planDkimSetup(cws, { domain: DOMAIN, selector: 'crlf', keyPath: '/k/crlf.private', generated: g }).edits.edits).get(Z)!;
  assert.ok(!/[^\r]\n/.test(zone), 'only CRLF line ends');
  assert.deepEqual(dumpTxt(namedAccepts(zone), g.recordName), [g.txtValue]);
});
