// Semantic tokens inside TXT strings: SPF terms and DKIM/DMARC/MTA-STS/TLS-RPT tags get
// colours by role (tag or mechanism name → property, value → string/number/enumMember,
// qualifier → keyword), so a theme shows the structure of a policy inside its quotes.
// Tokens are single-line and never overlap: a part that crosses a string boundary is
// split at the boundary (the quotes between two strings are not part of any token).

import type { FeatureContext, SemanticToken } from '../types';
import { range as rangeOf, type Range } from '../../types';
import type { ZoneRR } from '../../zone/checks/zoneData';
import { zoneContextOf } from '../../zone/checks/context';
import { policyRecordOf } from '../../zone/checks/txtChecks';
import { isTxtLike } from '../../zone/tree';
import { isGenericRdata } from '../../zone/record-checks';
import { valueOffsetToColumn } from '../../zone/strings';
import { policyTerms } from './policyTerms';
import { MAX_RECORD_TEXT } from '../../records/recordText';

/**
 * Strings longer than this get no tokens: each token's column is found by walking its string
 * from the start, so a 10 MB string would take minutes (BIND refuses strings over 255 bytes).
 */
const MAX_COLOURED_STRING = 4096;

/**
 * The tokens of the zone file, or with `range` of the records on its lines only: an editor
 * asks for the visible lines, and a million-record zone holds over a million tokens.
 */
export function zoneSemanticTokens(ctx: FeatureContext, range?: Range): SemanticToken[] {
  const z = zoneContextOf(ctx);
  if (!z) return [];
  const out: SemanticToken[] = [];
  const rrs = z.file.rrs;
  for (let i = range ? firstRecordEndingAtOrAfter(rrs, range.start.line) : 0; i < rrs.length; i++) {
    const rr = rrs[i];
    const r = rr.record;
    if (range && r.firstLine > range.end.line) break;
    if (!isTxtLike(r) || r.rdataCount === 0 || isGenericRdata(r)) continue;
    const p = policyRecordOf(rr);
    // A value longer than any DNS record can hold is not coloured (nor parsed for it).
    if (!p.kind || p.text.value.length > MAX_RECORD_TEXT) continue;
    const { strings, starts } = p.text;
    let si = 0;
    for (const term of policyTerms(p)) {
      for (const part of term.parts) {
        // Strings are in value order and parts ascend, so the string pointer only moves forward.
        while (si + 1 < strings.length && starts[si + 1] <= part.start) si++;
        for (let i = si; i < strings.length && starts[i] < part.end; i++) {
          const t = strings[i];
          if (t.value.length > MAX_COLOURED_STRING) continue;
          const from = Math.max(part.start, starts[i]);
          const to = Math.min(part.end, starts[i] + t.value.length);
          if (to <= from) continue;
          const a = valueOffsetToColumn(t, from - starts[i]);
          const b = valueOffsetToColumn(t, to - starts[i]);
          if (b > a) out.push({ range: rangeOf(t.line, a, t.line, b), type: part.type, modifiers: [] });
        }
      }
    }
  }
  return out;
}

/** Index of the first record whose last line is at or after `line` (records are in file order). */
function firstRecordEndingAtOrAfter(rrs: readonly ZoneRR[], line: number): number {
  let lo = 0;
  let hi = rrs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rrs[mid].record.lastLine < line) lo = mid + 1; else hi = mid;
  }
  return lo;
}
