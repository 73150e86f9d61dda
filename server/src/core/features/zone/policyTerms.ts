// The parts of a mail-policy TXT value an editor shows: each SPF term or DKIM/DMARC/MTA-STS/
// TLS-RPT tag with its offsets in the joined value, split into coloured parts (name,
// qualifier, value). Hover and semantic tokens both read this.

import type { SemanticTokenType } from '../types';
import type { PolicyRecord } from '../../zone/checks/txtChecks';
import type { TxtKind } from '../../zone/checks/txtKinds';
import { parseSpfRecord } from '../../records/spf/parser';
import type { SpfRecord, SpfTerm } from '../../records/spf/tree';
import { parseTagList } from '../../records/tags/tagList';
import type { Tag } from '../../records/tags/tagList';

export interface TermPart {
  start: number;
  end: number;
  type: SemanticTokenType;
}

export interface PolicyTerm {
  /** Offsets of the whole term (tag or SPF term) in the value. */
  start: number;
  end: number;
  kind: TxtKind;
  /** SPF: the term; tag lists: the tag. */
  spf?: SpfTerm;
  /** The `v=spf1` version term of an SPF record. */
  spfVersion?: boolean;
  tag?: Tag;
  parts: TermPart[];
}

/** Tags whose values are from a fixed list (coloured as enum members). */
const ENUM_TAGS: Record<TxtKind, ReadonlySet<string>> = {
  spf: new Set(),
  dkim: new Set(['v', 'k', 'h', 's', 't']),
  dmarc: new Set(['v', 'p', 'sp', 'np', 'adkim', 'aspf', 'fo', 'rf', 't', 'psd']),
  'mta-sts': new Set(['v']),
  tlsrpt: new Set(['v']),
};
const NUMBER_TAGS: Record<TxtKind, ReadonlySet<string>> = {
  spf: new Set(),
  dkim: new Set(),
  dmarc: new Set(['pct', 'ri']),
  'mta-sts': new Set(),
  tlsrpt: new Set(),
};

const spfCache = new WeakMap<PolicyRecord, SpfRecord>();

/** The parsed SPF record of a policy record (cached per analysis). */
export function spfRecordOf(p: PolicyRecord): SpfRecord {
  let r = spfCache.get(p);
  if (!r) { r = parseSpfRecord(p.text.value); spfCache.set(p, r); }
  return r;
}

function part(start: number, end: number, type: SemanticTokenType): TermPart[] {
  return end > start ? [{ start, end, type }] : [];
}

function spfTerms(p: PolicyRecord): PolicyTerm[] {
  const rec = spfRecordOf(p);
  const out: PolicyTerm[] = [];
  if (rec.version) {
    const v = rec.version;
    out.push({ start: v.start, end: v.end, kind: 'spf', spfVersion: true, parts: [...part(v.start, v.start + 1, 'property'), ...part(v.start + 2, v.end, 'enumMember')] });
  }
  for (const t of rec.terms) {
    const parts: TermPart[] = [];
    if (t.kind === 'mechanism') {
      if (t.qualifierSpan) parts.push(...part(t.qualifierSpan.start, t.qualifierSpan.end, 'keyword'));
      parts.push(...part(t.nameSpan.start, t.nameSpan.end, 'property'));
      if (t.domainSpec) parts.push(...part(t.domainSpec.start, t.domainSpec.end, 'string'));
      if (t.ip) parts.push(...part(t.ip.start, t.ip.end, 'string'));
      if (t.cidr4) parts.push(...part(t.cidr4.start, t.cidr4.end, 'number'));
      if (t.cidr6) parts.push(...part(t.cidr6.start, t.cidr6.end, 'number'));
    } else {
      parts.push(...part(t.nameSpan.start, t.nameSpan.end, 'property'));
      parts.push(...part(t.valueSpan.start, t.valueSpan.end, 'string'));
    }
    parts.sort((a, b) => a.start - b.start);
    out.push({ start: t.start, end: t.end, kind: 'spf', spf: t, parts });
  }
  return out;
}

function tagTerms(p: PolicyRecord, kind: TxtKind): PolicyTerm[] {
  const list = parseTagList(p.text.value, { caseInsensitiveNames: kind === 'dmarc' });
  return list.tags.map((tag) => {
    const name = kind === 'dmarc' ? tag.name.toLowerCase() : tag.name;
    const valueType: SemanticTokenType = ENUM_TAGS[kind].has(name) ? 'enumMember' : NUMBER_TAGS[kind].has(name) ? 'number' : 'string';
    return {
      start: tag.start,
      end: tag.valueEnd,
      kind,
      tag,
      parts: [...part(tag.start, tag.nameEnd, 'property'), ...part(tag.valueStart, tag.valueEnd, valueType)],
    };
  });
}

/** The terms of a policy record, in order; empty for a TXT record that holds no known policy. */
export function policyTerms(p: PolicyRecord): PolicyTerm[] {
  if (!p.kind) return [];
  return p.kind === 'spf' ? spfTerms(p) : tagTerms(p, p.kind);
}
