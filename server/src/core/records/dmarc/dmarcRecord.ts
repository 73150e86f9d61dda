// Checks of a DMARC policy record at `_dmarc.<domain>` (RFC 7489, and its revision
// DMARCbis, RFC 9989, which dropped `pct`, `rf` and `ri` and added `np`, `psd` and `t`).
// Also the records report receivers publish at `<domain>._report._dmarc.<host>` to accept
// reports for another domain (RFC 7489 §7.1). DMARC compares tag names and keyword values
// case-insensitively; only `v=DMARC1` must match exactly.

import type { Finding, Fix, Severity, TextEdit } from '../../types';
import type { RecordText } from '../recordText';
import { checkWithinDnsLimit } from '../recordText';
import { parseReportUri } from '../tags/reportUri';
import { parseTagList, splitValue, type Tag, type TagList } from '../tags/tagList';
import {
  domainWrittenTwice, editableRange, finding, ownerLabels, quote, tagListFindings, unknownTagFindings, versionState,
  wholeRecord, type TagFormat,
} from '../tags/tagFindings';
import { sameOrganization } from './organizationalDomain';

export const DMARC_TAGS = ['v', 'p', 'sp', 'np', 'psd', 't', 'rua', 'ruf', 'adkim', 'aspf', 'fo', 'pct', 'rf', 'ri'] as const;

const DMARC_FORMAT: TagFormat = {
  label: 'DMARC record',
  syntaxCode: 'dmarc/tag-syntax',
  duplicateCode: 'dmarc/duplicate-tag',
  unknownCode: 'dmarc/unknown-tag',
  syntaxSeverity: (kind) => (kind === 'empty-tag' || kind === 'bad-character' ? 'warning' : 'error'),
  duplicateSeverity: 'error',
  syntaxConsequence: 'Receivers skip what they cannot parse, and strict ones ignore the whole record.',
  duplicateConsequence: 'A tag list with a repeated tag is invalid (RFC 6376 §3.2, which DMARC uses): receivers may ignore the record or take either value.',
  knownTags: DMARC_TAGS,
  caseInsensitiveNames: true,
};

export interface DmarcCheckContext {
  /**
   * Whether `<policyDomain>._report._dmarc.<reportHost>` authorises reports, when the caller
   * knows (zone files of the workspace, DNS); undefined when it cannot tell.
   */
  reportAuthorization?(policyDomain: string, reportHost: string): boolean | undefined;
}

/** True for a TXT value that declares itself DMARC (`v=DMARC1` first; case and a dig-style `\` forgiven). */
export function isDmarcText(value: string): boolean {
  return /^[ \t]*v[ \t]*=[ \t]*DMARC1\\?[ \t]*(;|$)/i.test(value);
}

type OwnerKind =
  | { kind: 'policy'; domain?: string }
  | { kind: 'authorization'; policyDomain: string; reportHost: string }
  | { kind: 'elsewhere'; owner: string }
  | { kind: 'unknown' };

function ownerKind(owner: string | undefined): OwnerKind {
  if (owner === undefined) return { kind: 'unknown' };
  const labels = ownerLabels(owner);
  if (labels[0] === '_dmarc') return { kind: 'policy', domain: labels.length > 1 ? labels.slice(1).join('.') : undefined };
  const r = labels.indexOf('_report');
  if (r > 0 && labels[r + 1] === '_dmarc') {
    return { kind: 'authorization', policyDomain: labels.slice(0, r).join('.'), reportHost: labels.slice(r + 2).join('.') };
  }
  return { kind: 'elsewhere', owner: labels.join('.') };
}

/** Findings for one TXT record at `_dmarc.<domain>`, or a DMARC record found elsewhere. */
export function checkDmarcRecord(rec: RecordText, context: DmarcCheckContext = {}): Finding[] {
  return checkWithinDnsLimit(rec, (r) => checkDmarcValue(r, context));
}

function checkDmarcValue(rec: RecordText, context: DmarcCheckContext): Finding[] {
  const list = parseTagList(rec.value, { caseInsensitiveNames: true });
  const owner = ownerKind(rec.owner);
  const out: Finding[] = [];
  if (!checkVersion(rec, list, owner, out)) return out;
  checkOwner(rec, owner, out);
  out.push(...tagListFindings(rec, list, DMARC_FORMAT));
  if (owner.kind === 'authorization') {
    // `v=DMARC1` is all an authorisation needs; other tags (a rua override) are rare.
    out.push(...unknownTagFindings(rec, list, DMARC_FORMAT, 'Receivers ignore tags they do not know'));
    return out;
  }
  checkPolicies(rec, list, out);
  checkValues(rec, list, out);
  const domain = owner.kind === 'policy' ? owner.domain : owner.kind === 'elsewhere' ? owner.owner : undefined;
  checkReportUris(rec, list, domain, context, out);
  checkRemovedTags(rec, list, out);
  out.push(...unknownTagFindings(rec, list, DMARC_FORMAT, 'Receivers ignore tags they do not know'));
  return out;
}

/** Findings for all TXT records at one `_dmarc` name: more than one DMARC record voids them all. */
export function checkDmarcRecordSet(records: readonly RecordText[]): Finding[] {
  const dmarc = records.filter((r) => isDmarcText(r.value));
  if (dmarc.length < 2) return [];
  return dmarc.map((rec) => {
    const [s, e] = wholeRecord(rec);
    return finding(rec, s, e, 'error', 'dmarc/several-records',
      `${dmarc.length} DMARC records at this name: receivers apply none of them when there is more than one (RFC 7489 §6.6.3), as if the domain had no DMARC at all. Merge them into one record.`);
  });
}

// ---- version and place ----

const DMARC_LOOKING_TAGS = ['p', 'sp', 'rua', 'ruf', 'adkim', 'aspf', 'fo', 'pct'];

/** Reports version problems; false when the text is not meant as DMARC at all (nothing more to say). */
function checkVersion(rec: RecordText, list: TagList, owner: OwnerKind, out: Finding[]): boolean {
  const v = versionState(list, 'DMARC1');
  const [s, e] = wholeRecord(rec);
  switch (v.state) {
    case 'ok':
      return true;
    case 'absent': {
      if (DMARC_LOOKING_TAGS.some((t) => list.get(t))) {
        const f = finding(rec, s, e, 'error', 'dmarc/missing-version',
          'The record does not start with `v=DMARC1`: receivers discard TXT records at `_dmarc` that do not, so the domain has no DMARC policy. Add `v=DMARC1;` at the start.');
        const r = editableRange(rec, s, s);
        if (r) f.fixes = [{ title: 'Add `v=DMARC1;` at the start', edits: [{ range: r, newText: 'v=DMARC1; ' }], preferred: true }];
        out.push(f);
        return true;
      }
      if (owner.kind === 'policy' || owner.kind === 'unknown') {
        out.push(finding(rec, s, e, 'warning', 'dmarc/not-dmarc',
          'This TXT record at `_dmarc` is not a DMARC record (it does not start with `v=DMARC1`). Receivers skip it; if it is the only one, the domain has no DMARC policy. Remove it, or replace it with a DMARC record.'));
      }
      return false;
    }
    case 'not-first':
      out.push(finding(rec, v.tag.start, v.tag.valueEnd, 'error', 'dmarc/version-not-first',
        '`v=DMARC1` must be the very first tag: receivers discard records that do not start with it (RFC 7489 §6.6.3), so the domain has no DMARC policy. Move `v=DMARC1;` to the front.'));
      return true;
    case 'wrong-value': {
      const f = finding(rec, v.tag.valueStart, v.tag.valueEnd, 'error', 'dmarc/bad-version',
        `${quote(v.tag.value)} is not the DMARC version: it must be exactly \`DMARC1\` (upper case), and receivers discard the record otherwise, so the domain has no DMARC policy.`);
      const r = v.caseOnly ? editableRange(rec, v.tag.valueStart, v.tag.valueEnd) : undefined;
      if (r) f.fixes = [{ title: 'Write `DMARC1`', edits: [{ range: r, newText: 'DMARC1' }], preferred: true }];
      out.push(f);
      return true;
    }
  }
}

function checkOwner(rec: RecordText, owner: OwnerKind, out: Finding[]): void {
  const [s, e] = wholeRecord(rec);
  if (owner.kind === 'elsewhere') {
    const labels = owner.owner.split('.');
    const target = labels[0] === 'dmarc' || labels[0] === '_dmarc_' || labels[0] === '-dmarc'
      ? '_dmarc.' + labels.slice(1).join('.') : '_dmarc.' + owner.owner;
    out.push(finding(rec, s, e, 'warning', 'dmarc/wrong-name',
      `A DMARC record at \`${owner.owner}\` has no effect: receivers look for the policy of a domain only at \`_dmarc.<domain>\`. Move it to \`${target}\`.`));
  } else if (owner.kind === 'policy' && owner.domain !== undefined) {
    const labels = owner.domain.split('.');
    if (domainWrittenTwice(labels, 0)) {
      const half = labels.slice(0, labels.length / 2).join('.');
      out.push(finding(rec, s, e, 'warning', 'dmarc/wrong-name',
        `The owner \`_dmarc.${owner.domain}\` contains the domain twice: the name was written without its trailing dot, so the zone added the origin again. Receivers look at \`_dmarc.${half}\` and find nothing. Add the trailing dot or write just \`_dmarc\`.`));
    }
  }
}

// ---- policies and values ----

const POLICIES = ['none', 'quarantine', 'reject'];

function checkPolicies(rec: RecordText, list: TagList, out: Finding[]): void {
  const p = list.get('p');
  if (!p) {
    const [s, e] = wholeRecord(rec);
    out.push(finding(rec, s, e, 'error', 'dmarc/missing-policy',
      'No `p=` policy. RFC 7489 receivers ignore the whole record unless `rua=` has a valid address (then they act as `p=none`); DMARCbis (RFC 9989) receivers treat it as `p=none`. Write the policy right after `v=DMARC1;` (`p=none` to start with reports only).'));
  } else if (checkPolicyValue(rec, p, out) === 'none') {
    const f = finding(rec, p.valueStart, p.valueEnd, 'information', 'dmarc/monitoring-only',
      '`p=none`: monitoring only. Receivers deliver mail that fails DMARC as usual and only report it, so the domain is not yet protected from spoofing. Once the reports show that all your own mail passes, step up to `p=quarantine`, then `p=reject`.');
    const fixes: Fix[] = [];
    for (const policy of ['quarantine', 'reject']) {
      const edits = replaceAcrossStrings(rec, p.valueStart, p.valueEnd, policy);
      if (edits) fixes.push({ title: `Step up to p=${policy}`, edits });
    }
    if (fixes.length) f.fixes = fixes;
    out.push(f);
  }
  if (p && list.tags[1] !== p && list.tags[0]?.name.toLowerCase() === 'v') {
    out.push(finding(rec, p.start, p.valueEnd, 'warning', 'dmarc/policy-not-second',
      '`p=` is not right after `v=DMARC1`: RFC 7489\'s grammar puts it there, and strict RFC 7489 parsers reject the record otherwise (DMARCbis dropped the rule). Move `p=` to the second place.'));
  }
  for (const name of ['sp', 'np']) {
    const t = list.get(name);
    if (t) checkPolicyValue(rec, t, out);
  }
}

/**
 * Edits that replace value[start, end) by `text`, also when that part of the value spans
 * several character-strings (`"p=no" "ne"`): the first piece takes the new text, the other
 * pieces are emptied, the quotes stay. undefined when a piece is not plain text in the
 * document (escapes, a line break).
 */
function replaceAcrossStrings(rec: RecordText, start: number, end: number, text: string): TextEdit[] | undefined {
  const cuts = [start, ...(rec.breaks ?? []).filter((b) => b > start && b < end), end];
  const edits: TextEdit[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const r = editableRange(rec, cuts[i], cuts[i + 1]);
    if (!r) return undefined;
    edits.push({ range: r, newText: i === 0 ? text : '' });
  }
  return edits;
}

/** The lower-cased policy, or undefined after reporting a bad one. */
function checkPolicyValue(rec: RecordText, tag: Tag, out: Finding[]): string | undefined {
  const v = tag.value.toLowerCase();
  if (POLICIES.includes(v)) return v;
  const name = tag.name.toLowerCase();
  const what = name === 'p' ? 'the domain' : name === 'sp' ? 'its subdomains' : 'its non-existent subdomains';
  const consequence = name === 'p'
    ? 'RFC 7489 receivers ignore the whole record then (unless `rua=` is valid), so the domain has no DMARC policy.'
    : 'Receivers treat an invalid subdomain policy like an invalid `p=`.';
  out.push(finding(rec, tag.value ? tag.valueStart : tag.start, tag.value ? tag.valueEnd : tag.equals + 1, 'error', 'dmarc/bad-policy',
    `${tag.value ? quote(tag.value) + ' is not' : 'An empty value is not'} a policy for ${what}: \`${name}=\` takes \`none\`, \`quarantine\` or \`reject\`. ${consequence}`));
  return undefined;
}

function badValue(rec: RecordText, tag: Tag, allowed: string, fallback: string): Finding {
  const severity: Severity = 'warning';
  return finding(rec, tag.value ? tag.valueStart : tag.start, tag.value ? tag.valueEnd : tag.equals + 1, severity, 'dmarc/bad-value',
    `${tag.value ? quote(tag.value) : 'An empty value'} is not valid for \`${tag.name}=\`: it takes ${allowed}. Receivers ignore the value and use ${fallback}.`);
}

function checkValues(rec: RecordText, list: TagList, out: Finding[]): void {
  for (const name of ['adkim', 'aspf']) {
    const t = list.get(name);
    if (t && !/^[rs]$/i.test(t.value)) out.push(badValue(rec, t, '`r` (relaxed) or `s` (strict)', 'the default `r`'));
  }
  const fo = list.get('fo');
  if (fo && !splitValue(fo, ':').every((p) => /^[01ds]$/i.test(p.text))) {
    out.push(badValue(rec, fo, '`0`, `1`, `d` or `s`, several separated by `:` (`fo=1` or `fo=d:s`)', 'the default `0`'));
  }
  const pct = list.get('pct');
  if (pct && !(/^[0-9]{1,3}$/.test(pct.value) && Number(pct.value) <= 100)) {
    out.push(badValue(rec, pct, 'a whole number from 0 to 100', 'the default 100'));
  }
  const rf = list.get('rf');
  if (rf && !splitValue(rf, ':').every((p) => p.text.toLowerCase() === 'afrf')) {
    out.push(badValue(rec, rf, '`afrf`, the only report format defined', '`afrf`'));
  }
  const ri = list.get('ri');
  if (ri && !(/^[0-9]{1,10}$/.test(ri.value) && Number(ri.value) <= 4294967295)) {
    out.push(badValue(rec, ri, 'a number of seconds', 'the default 86400 (one day)'));
  }
  const psd = list.get('psd');
  if (psd && !/^[ynu]$/i.test(psd.value)) out.push(badValue(rec, psd, '`y`, `n` or `u` (DMARCbis)', 'the default `u`'));
  const t = list.get('t');
  if (t && !/^[yn]$/i.test(t.value)) out.push(badValue(rec, t, '`y` (testing) or `n` (DMARCbis)', 'the default `n`'));
}

const REMOVED_NOTES: Record<string, string> = {
  pct: '`pct=` is gone from DMARCbis (RFC 9989): receivers that follow it apply the policy to all failing mail. To roll out a policy gently, DMARCbis has `t=y` (testing) instead.',
  rf: '`rf=` is gone from DMARCbis (RFC 9989): `afrf` was its only format anyway. It can go.',
  ri: '`ri=` is gone from DMARCbis (RFC 9989): receivers send aggregate reports daily whatever it says. It can go.',
};

function checkRemovedTags(rec: RecordText, list: TagList, out: Finding[]): void {
  for (const t of list.tags) {
    const name = t.name.toLowerCase();
    if (REMOVED_NOTES[name] !== undefined && list.get(name) === t) {
      out.push(finding(rec, t.start, t.nameEnd, 'information', 'dmarc/removed-in-dmarcbis', REMOVED_NOTES[name]));
    }
  }
}

// ---- report addresses ----

function checkReportUris(rec: RecordText, list: TagList, domain: string | undefined, context: DmarcCheckContext, out: Finding[]): void {
  const external = new Map<string, { start: number; end: number }>();
  for (const name of ['rua', 'ruf']) {
    const tag = list.get(name);
    if (!tag) continue;
    for (const part of splitValue(tag, ',')) {
      const uri = parseReportUri(part, { schemes: ['mailto'], sizeSuffix: true });
      for (const p of uri.problems) {
        out.push(finding(rec, p.start, p.end, p.kind === 'scheme' ? 'warning' : 'error', 'dmarc/bad-report-uri',
          p.kind === 'scheme'
            ? `${p.message} DMARC reports are sent by mail (\`mailto:\`); receivers skip other URIs, so no ${name === 'rua' ? 'aggregate' : 'failure'} reports arrive there.`
            : `${p.message} Receivers skip this address, so no ${name === 'rua' ? 'aggregate' : 'failure'} reports arrive there.`));
      }
      if (uri.host && uri.problems.length === 0 && domain !== undefined && !sameOrganization(uri.host, domain) && !external.has(uri.host)) {
        external.set(uri.host, { start: uri.hostStart!, end: uri.hostEnd! });
      }
    }
  }
  if (domain !== undefined) {
    for (const [host, at] of external) {
      const known = context.reportAuthorization?.(domain, host);
      if (known === true) continue;
      const record = `${domain}._report._dmarc.${host}`;
      out.push(finding(rec, at.start, at.end, known === false ? 'warning' : 'information', 'dmarc/external-report-domain',
        `Reports for ${domain} go to ${host}, another organisation's domain: receivers send them only if ${host} publishes \`${record} TXT "v=DMARC1"\` (RFC 7489 §7.1)` +
        (known === false
          ? ', and that record does not exist. Publish it (or ask the report service to).'
          : '. Report services publish it for their customers; for a domain of your own, publish it yourself.')));
    }
  }
  const rua = list.get('rua');
  if (!rua) {
    const p = list.get('p');
    const [s, e] = p ? [p.start, p.valueEnd] : wholeRecord(rec);
    out.push(finding(rec, s, e, 'information', 'dmarc/no-report-address',
      'No `rua=` address: receivers send no aggregate reports, so you cannot see who sends mail as this domain or whether your own mail passes. Add `rua=mailto:` with an address that collects them.'));
  }
}
