// The semantic checks of zone files, in the order they run. Each works on the zone data
// (zoneData.ts) built once per analysis: per-record checks stay per record, whole-zone
// checks use the index.
//
//   recordChecks.ts  one record: addresses, numbers, names, relative names meant absolute
//   zoneChecks.ts    across records: CNAME beside other data, SOA/NS, targets, duplicates, $INCLUDE
//   txtSize.ts       TXT answers beyond 512 bytes
//   txtChecks.ts     TXT payloads handed to the SPF/DKIM/DMARC/MTA-STS/TLS-RPT checkers
//   mailSetup.ts     the zone as a mail domain: SPF or DKIM without DMARC
import type { DocumentChecker } from '../../checks';
import type { Finding } from '../../types';
import { zoneContextOf } from './context';
import { checkRecord } from './recordChecks';
import { checkZoneStructure } from './zoneChecks';
import { checkTxtSizes } from './txtSize';
import { checkTxtPolicies, TxtCheckEnv } from './txtChecks';
import { checkMissingDmarc } from './mailSetup';

/** Findings of one code beyond this many are dropped (a broken generated zone must not flood the editor). */
const MAX_PER_CODE = 1000;

function capped(check: DocumentChecker): DocumentChecker {
  return (ctx) => {
    const all = check(ctx);
    if (all.length <= MAX_PER_CODE) return all;
    const counts = new Map<string, number>();
    return all.filter((f) => {
      const n = counts.get(f.code) ?? 0;
      counts.set(f.code, n + 1);
      return n < MAX_PER_CODE;
    });
  };
}

/** Owner and rdata of every record of the document. */
export const checkZoneRecords: DocumentChecker = (ctx) => {
  const z = zoneContextOf(ctx);
  if (!z) return [];
  const out: Finding[] = [];
  for (const rr of z.file.rrs) checkRecord(rr, z.data, out);
  return out;
};

/** The records of the document against the rest of the zone. */
export const checkZoneConsistency: DocumentChecker = (ctx) => {
  const z = zoneContextOf(ctx);
  if (!z) return [];
  const out: Finding[] = [];
  checkZoneStructure(z.data, z.file, out);
  checkTxtSizes(z.data, z.file, out);
  return out;
};

/** SPF, DKIM, DMARC, MTA-STS and TLS-RPT records, alone and per name. */
export const checkZoneTxt: DocumentChecker = (ctx) => {
  const z = zoneContextOf(ctx);
  if (!z) return [];
  const out: Finding[] = [];
  checkTxtPolicies(z.data, z.file, new TxtCheckEnv(ctx.workspace, z.data), out);
  checkMissingDmarc(z.data, z.file, out);
  return out;
};

export const zoneCheckers: DocumentChecker[] = [checkZoneRecords, checkZoneConsistency, checkZoneTxt].map(capped);
