// A DMARC record to publish at `_dmarc.<domain>`: by default the safe start, `p=none`
// (monitoring) with the admin's aggregate-report address, so the reports show which mail
// passes before a stricter policy is switched on (the step-up is a quick-fix on the
// record's `dmarc/monitoring-only` finding). Report addresses at another organisation's
// domain need that domain's authorisation record (RFC 7489 §7.1), which the notes name.

import { hostNameProblem, parseReportUri } from '../tags/reportUri';
import { sameOrganization } from './organizationalDomain';

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';

export interface DmarcGenerateOptions {
  /** Aggregate report addresses: `mailto:` URIs, several separated by `,`. */
  rua?: string;
  /** Default `none`. */
  policy?: DmarcPolicy;
  /** `sp=`: the policy for subdomains, when it should differ from `p=`. */
  subdomainPolicy?: DmarcPolicy;
  /** `pct=` (0–100): the share of failing mail the policy applies to (RFC 7489; gone from DMARCbis). */
  pct?: number;
}

export interface GeneratedDmarc {
  /** `_dmarc.<domain>`, absolute without the final dot. */
  owner: string;
  /** The record (`v=DMARC1; p=none; rua=mailto:…`); '' when `error` is set. */
  value: string;
  /** What to know and do next, one sentence each. */
  notes: string[];
  /** Set when no record can be built (invalid domain, report address or percentage). */
  error?: string;
}

const POLICIES: readonly DmarcPolicy[] = ['none', 'quarantine', 'reject'];

/** The DMARC record for `domain`. Never throws: invalid input comes back as `error`. */
export function dmarcRecordFor(domain: string, options: DmarcGenerateOptions = {}): GeneratedDmarc {
  const name = domain.trim().replace(/\.$/, '').toLowerCase();
  const owner = `_dmarc.${name}`;
  const fail = (error: string): GeneratedDmarc => ({ owner, value: '', notes: [], error });
  const problem = hostNameProblem(name);
  if (problem) return fail(`"${domain}" cannot have a DMARC record: ${problem}.`);
  const policy = options.policy ?? 'none';
  if (!POLICIES.includes(policy)) return fail(`"${policy}" is not a DMARC policy: use none, quarantine or reject.`);
  if (options.subdomainPolicy !== undefined && !POLICIES.includes(options.subdomainPolicy)) {
    return fail(`"${options.subdomainPolicy}" is not a DMARC subdomain policy: use none, quarantine or reject.`);
  }
  if (options.pct !== undefined && !(Number.isInteger(options.pct) && options.pct >= 0 && options.pct <= 100)) {
    return fail(`pct must be a whole number from 0 to 100, not ${options.pct}.`);
  }

  const notes: string[] = [];
  const tags = ['v=DMARC1', `p=${policy}`];
  if (options.subdomainPolicy !== undefined && options.subdomainPolicy !== policy) tags.push(`sp=${options.subdomainPolicy}`);
  if (options.pct !== undefined && options.pct !== 100) {
    tags.push(`pct=${options.pct}`);
    notes.push('pct= is gone from DMARCbis (RFC 9989): receivers that follow it apply the policy to all failing mail. It still helps with RFC 7489 receivers during a gradual step-up.');
  }
  const rua = (options.rua ?? '').trim();
  if (rua !== '') {
    const uris = rua.split(',').map((u) => u.trim());
    const external = new Set<string>();
    for (const uri of uris) {
      const parsed = parseReportUri({ text: uri, start: 0, end: uri.length }, { schemes: ['mailto'], sizeSuffix: true });
      if (parsed.problems.length > 0) return fail(`rua ${uri === '' ? '(empty entry)' : `"${uri}"`}: ${parsed.problems[0].message}`);
      if (parsed.host && !sameOrganization(parsed.host, name)) external.add(parsed.host);
    }
    tags.push(`rua=${uris.join(',')}`);
    for (const host of external) {
      notes.push(`Reports go to ${host}, another organisation's domain: receivers send them only if ${host} publishes the record ${name}._report._dmarc.${host} TXT "v=DMARC1" (RFC 7489 §7.1). Report services do this for their customers; for a domain of your own, publish it there.`);
    }
  } else {
    notes.push('No rua= address: receivers send no aggregate reports, so you cannot see whether your own mail passes DMARC before stepping up the policy. Give one (mailto:dmarc-reports@…).');
  }
  if (policy === 'none') {
    notes.push('p=none only monitors: failing mail is delivered as usual and reported. Once the reports show that all your own mail passes SPF or DKIM aligned with the From domain (a few weeks), step up to p=quarantine, then p=reject (mailconf offers both as quick-fixes on the record).');
  } else {
    notes.push(`p=${policy} acts on mail that fails DMARC at once: publish it only when the reports of a p=none period show that all your own mail passes, or it is ${policy === 'reject' ? 'rejected' : 'sent to spam'} too.`);
  }
  return { owner, value: tags.join('; '), notes };
}
