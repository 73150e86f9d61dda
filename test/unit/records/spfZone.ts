// Runs the SPF checks over a zone text the way the zone checks do (for tests): every TXT
// or SPF record that looks like SPF, the TXT set of each owner, and a resolver over the
// zone's own records that knows only names at or below the zone's origins.

import type { Finding } from '../../../server/src/core/types';
import { checkSpfRecord, checkSpfRecordSet, looksLikeSpf } from '../../../server/src/core/records/spf/checks';
import type { SyncResolver } from '../../../server/src/core/records/spf/lookups';
import type { RecordText } from '../../../server/src/core/records/recordText';
import { ownerName } from '../../../server/src/core/zone/names';
import { parseZone, resolverFromZones, zoneRecords, zoneRecordText } from './spfHelpers';

function withoutDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1).toLowerCase() : name.toLowerCase();
}

/** A resolver over the zone texts answering only for names under their origins. */
export function zoneSyncResolver(...texts: string[]): SyncResolver {
  const memory = resolverFromZones(...texts);
  const apexes = new Set<string>();
  for (const text of texts) for (const r of zoneRecords(parseZone(text))) if (r.origin) apexes.add(withoutDot(r.origin));
  const known = (name: string): boolean => {
    const n = withoutDot(name);
    for (const a of apexes) if (n === a || n.endsWith('.' + a)) return true;
    return apexes.size === 0;
  };
  return {
    txt: (name) => (known(name) ? memory.sync.txt(name) : undefined),
    addresses: (name, family) => (known(name) ? memory.sync.addresses(name, family) : undefined),
    mx: (name) => (known(name) ? memory.sync.mx(name) : undefined),
  };
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
