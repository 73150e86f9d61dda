// The semantic checks of zone files, in the order they run. Each works on the zone data
// (zoneData.ts) built once per analysis (updated, not rebuilt, after an edit): per-record
// checks stay per record, whole-zone checks use the index. For an open document the
// findings are kept per record between analyses (findingCache.ts).
//
//   recordChecks.ts  one record: addresses, numbers, names, relative names meant absolute
//   zoneChecks.ts    across records: CNAME beside other data, SOA/NS, targets, duplicates, $INCLUDE
//   txtSize.ts       TXT answers beyond 512 bytes
//   txtChecks.ts     TXT payloads handed to the SPF/DKIM/DMARC/MTA-STS/TLS-RPT checkers
//   mailSetup.ts     the zone as a mail domain: SPF or DKIM without DMARC
import type { DocumentChecker } from '../../checks';
import type { AnalysisContext } from '../../context';
import { zoneContextOf } from './context';
import type { ZoneData } from './zoneData';
import type { ZoneFindings } from './findingCache';
import { zoneFindings } from './findingCache';

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

/**
 * The findings of the three checkers below, made once per analysis (each checker takes
 * its part) and, for an open document, kept per record between analyses (findingCache.ts).
 */
function zoneFindingsOf(ctx: AnalysisContext): ZoneFindings | undefined {
  const z = zoneContextOf(ctx);
  if (!z) return undefined;
  const others = ctx.workspace.ofKind('dns-zone');
  const memo = lastFindings.get(z.data);
  if (memo && memo.doc === ctx.doc && memo.workspace === ctx.workspace && memo.others.length === others.length &&
    memo.others.every((d, i) => d === others[i])) return memo.findings;
  const findings = zoneFindings(z.data, z.file, ctx.workspace, ctx.doc.open);
  lastFindings.set(z.data, { doc: ctx.doc, workspace: ctx.workspace, others, findings });
  return findings;
}

const lastFindings = new WeakMap<ZoneData, { doc: unknown; workspace: unknown; others: unknown[]; findings: ZoneFindings }>();

/** Owner and rdata of every record of the document. */
export const checkZoneRecords: DocumentChecker = (ctx) => zoneFindingsOf(ctx)?.records ?? [];

/** The records of the document against the rest of the zone. */
export const checkZoneConsistency: DocumentChecker = (ctx) => zoneFindingsOf(ctx)?.consistency ?? [];

/** SPF, DKIM, DMARC, MTA-STS and TLS-RPT records, alone and per name. */
export const checkZoneTxt: DocumentChecker = (ctx) => zoneFindingsOf(ctx)?.txt ?? [];

export const zoneCheckers: DocumentChecker[] = [checkZoneRecords, checkZoneConsistency, checkZoneTxt].map(capped);
