// Hover in zone files: on an owner name, the absolute name and where its origin comes from;
// inside a TXT string, what the SPF term or DKIM/DMARC/MTA-STS/TLS-RPT tag under the cursor
// means (the record helpers' texts), and for SPF the record's DNS lookup count, counted
// through includes over the workspace's zones.

import type { Position, Range } from '../../types';
import type { FeatureContext, Hover } from '../types';
import { zoneContextOf } from '../../zone/checks/context';
import type { ZoneData, ZoneRR } from '../../zone/checks/zoneData';
import type { ZoneTree } from '../../zone/tree';
import { effectiveOrigin, withoutDot } from '../../zone/checks/origin';
import type { OriginSource } from '../../zone/checks/origin';
import { doubledOrigin } from '../../zone/checks/recordChecks';
import { labelsOf } from '../../zone/checks/txtKinds';
import { WorkspaceZones } from '../../dns/zoneResolver';
import { spfHover } from '../../records/spf/hover';
import { countRecordLookups, parseSpfRecord } from '../../records/spf/index';
import type { LookupCount, LookupNode } from '../../records/spf/index';
import { dkimTagHover } from '../../records/dkim/index';
import { dmarcTagHover } from '../../records/dmarc/index';
import { mtaStsTagHover } from '../../records/mtasts/index';
import { tlsRptTagHover } from '../../records/tlsrpt/index';
import { placeInTxt, rrAt } from './locate';
import { policyTerms } from './policyTerms';
import { MAX_RECORD_TEXT } from '../../records/recordText';

function inside(r: Range, p: Position): boolean {
  return r.start.line === p.line && p.character >= r.start.character && p.character <= r.end.character;
}

export function zoneHover(ctx: FeatureContext, position: Position): Hover | undefined {
  const z = zoneContextOf(ctx);
  if (!z) return undefined;
  const rr = rrAt(z.file, position);
  if (!rr) return undefined;
  const record = rr.record;
  if (!record.ownerInherited && record.tokenCount > 0) {
    const ownerRange = record.tokenRangeAt(0);
    if (inside(ownerRange, position)) return { markdown: ownerMarkdown(rr, z.data), range: ownerRange };
  }
  const place = placeInTxt(rr, position);
  if (!place || !place.policy.kind) return undefined;
  const p = place.policy;
  const rt = p.text;
  if (p.kind === 'spf') {
    const resolver = new WorkspaceZones(ctx.workspace).syncResolver();
    const owner = rr.owner.endsWith('.') ? withoutDot(rr.owner) : undefined;
    const h = spfHover(rt.value, place.offset, { owner, resolver });
    if (!h) return undefined;
    // No more than a DNS record holds, as spfHover reads it.
    const unknown = unresolvedTargets(countRecordLookups(parseSpfRecord(rt.value.slice(0, MAX_RECORD_TEXT)), owner, resolver));
    const note = unknown.length
      ? `\n\n${unknown.length} ${unknown.length === 1 ? 'include is' : 'includes are'} not resolvable offline (outside the zone files of this workspace, or built from macros), so their lookups are not counted: ${unknown.slice(0, 8).map((u) => `\`${u}\``).join(', ')}${unknown.length > 8 ? ', …' : ''}.`
      : '';
    return { markdown: h.markdown + note, range: rt.rangeOf(h.start, h.end) };
  }
  const term = policyTerms(p).find((t) => place.offset >= t.start && place.offset <= t.end);
  if (!term?.tag) return undefined;
  const name = p.kind === 'dmarc' ? term.tag.name.toLowerCase() : term.tag.name;
  const text = p.kind === 'dkim' ? dkimTagHover(name)
    : p.kind === 'dmarc' ? dmarcTagHover(name)
      : p.kind === 'mta-sts' ? mtaStsTagHover(name)
        : tlsRptTagHover(name);
  if (!text) return undefined;
  return { markdown: text, range: rt.rangeOf(term.start, term.end) };
}

/**
 * The includes and redirects the offline count could not follow (their own lookups are
 * missing from the count), as written: `include:_spf.google.com`.
 */
function unresolvedTargets(count: LookupCount): string[] {
  const out: string[] = [];
  const walk = (node: LookupNode) => {
    for (const t of node.terms) {
      const follows = t.term.kind === 'modifier' || t.term.mechanism === 'include';
      if (!follows) continue;
      const label = t.term.kind === 'modifier' ? `redirect=${t.term.value}` : t.term.text.replace(/^[+?~-]/, '');
      if (t.unknown || !t.child || t.child.status === 'unknown') out.push(label);
      else walk(t.child);
    }
  };
  walk(count.root);
  return [...new Set(out)];
}

const SOURCE_TEXT: Record<OriginSource, string> = {
  '$ORIGIN': 'set by `$ORIGIN`',
  'file name': 'taken from the file name (no `$ORIGIN` before this record; BIND takes the zone name from named.conf)',
  'SOA owner': 'the zone\'s SOA owner',
  '$INCLUDE': 'given by the `$INCLUDE` that reads this file',
  none: 'unknown',
};

/** Where the origin a record's owner is relative to comes from. */
function originSource(rr: ZoneRR): { source: OriginSource; line?: number } {
  const r = rr.record;
  if (r.ownerOrigin !== '') return { source: '$ORIGIN', line: originLine(rr.file.tree, r.firstLine) };
  return { source: rr.file.baseSource };
}

/** The line of the last `$ORIGIN` above `line` (for the hover). */
function originLine(tree: ZoneTree, line: number): number | undefined {
  const entries = tree.entries;
  // From the last entry above the line (found by halving: a zone may have a million), upwards.
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid].firstLine < line) lo = mid + 1; else hi = mid - 1;
  }
  for (let i = hi; i >= 0; i--) {
    const e = entries[i];
    if (e.kind === 'directive' && e.directive === 'ORIGIN') return e.firstLine;
  }
  return undefined;
}

/** What a policy owner name is for (`_dmarc`, `<selector>._domainkey` …). */
function ownerPurpose(owner: string): string | undefined {
  const labels = labelsOf(owner);
  const rest = (from: number) => labels.slice(from).join('.');
  if (labels[0] === '_dmarc') return `the DMARC policy of \`${rest(1)}\``;
  const dk = labels.indexOf('_domainkey');
  if (dk > 0) return `the DKIM key of selector \`${labels.slice(0, dk).join('.')}\` for \`${rest(dk + 1)}\``;
  if (labels[0] === '_mta-sts') return `the MTA-STS record of \`${rest(1)}\``;
  if (labels[0] === '_smtp' && labels[1] === '_tls') return `the TLS-RPT record of \`${rest(2)}\``;
  return undefined;
}

function ownerMarkdown(rr: ZoneRR, data: ZoneData): string {
  const r = rr.record;
  const written = r.ownerText;
  const lines: string[] = [`**\`${rr.owner || written}\`**`];
  const origin = effectiveOrigin(r.ownerOrigin, rr.file.base);
  if (written === '@') {
    lines.push(origin ? `\`@\` stands for the origin, ${originPhrase(rr, origin)}.` : '`@` stands for the origin, which is not known here (no `$ORIGIN`, and the file name names no domain).');
  } else if (written.endsWith('.') && !written.endsWith('\\.')) {
    lines.push('Written absolute (with the final dot): the origin does not apply.');
  } else if (origin) {
    lines.push(`Relative name: \`${written}\` + the origin, ${originPhrase(rr, origin)}.`);
    const doubled = doubledOrigin(written, origin, data.apex);
    if (doubled) lines.push(`⚠ This repeats the origin: a name meant in full needs the final dot (\`${written}.\`).`);
  } else {
    lines.push('Relative name; the origin is not known here (no `$ORIGIN`, and the file name names no domain).');
  }
  const purpose = ownerPurpose(rr.owner || written);
  if (purpose) lines.push(`This name holds ${purpose}.`);
  if (data.apex && rr.file === data.root) lines.push(`Zone: \`${data.apex}\` (${SOURCE_TEXT[data.apexSource]}).`);
  return lines.join('\n\n');
}

function originPhrase(rr: ZoneRR, origin: string): string {
  const { source, line } = originSource(rr);
  return `\`${origin}\`, ${SOURCE_TEXT[source]}${line !== undefined ? ` on line ${line + 1}` : ''}`;
}

