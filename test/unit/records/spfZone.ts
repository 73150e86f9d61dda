// Runs the SPF checks over a zone text the way the zone checks do (for tests): every TXT
// or SPF record that looks like SPF, the TXT set of each owner, and the workspace zone
// resolver over the text.

import type { Finding } from '../../../server/src/core/types';
import { checkSpfRecord, checkSpfRecordSet, looksLikeSpf } from '../../../server/src/core/records/spf/checks';
import type { SyncResolver } from '../../../server/src/core/records/spf/lookups';
import type { RecordText } from '../../../server/src/core/records/recordText';
import { ownerName } from '../../../server/src/core/zone/names';
import { parseZone, zoneRecords, zoneRecordText } from './spfHelpers';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { zoneSyncResolver as workspaceSyncResolver } from '../../../server/src/core/dns/zoneResolver';

function withoutDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1).toLowerCase() : name.toLowerCase();
}

/**
 * The workspace zone resolver (the one the zone checks use) over the zone texts: it
 * answers only for names inside the zones, and negatively only for zones seen completely
 * (with their SOA).
 */
export function zoneSyncResolver(...texts: string[]): SyncResolver {
  const workspace = new Workspace();
  texts.forEach((t, i) => workspace.setOnDisk(`file:///zones/example${i}.zone`, 'dns-zone', t));
  return workspaceSyncResolver(workspace);
}

export function spfFindingsOfZone(text: string, extraZones: string[] = []): Finding[] {
  const resolver = zoneSyncResolver(text, ...extraZones);
  const out: Finding[] = [];
  const byOwner = new Map<string, RecordText[]>();
  for (const record of zoneRecords(parseZone(text))) {
    if (record.typeName !== 'TXT' && record.typeName !== 'SPF') continue;
    const rec = zoneRecordText(record);
    if (record.typeName === 'TXT') {
      const key = withoutDot(ownerName(record));
      byOwner.set(key, [...(byOwner.get(key) ?? []), rec]);
    }
    if (!looksLikeSpf(rec.value)) continue;
    const type = record.type!;
    out.push(...checkSpfRecord(rec, {
      resolver,
      spfRrType: record.typeName === 'SPF' ? { range: { start: { line: type.line, character: type.start }, end: { line: type.line, character: type.end } } } : undefined,
    }));
  }
  for (const set of byOwner.values()) out.push(...checkSpfRecordSet(set));
  return out;
}
