// Checks of the TLS-RPT record at `_smtp._tls.<domain>` (RFC 8460 §3): where sending
// servers report TLS failures (certificates, MTA-STS, DANE) when delivering to the domain.

import type { Finding } from '../../types';
import type { RecordText } from '../recordText';
import { checkWithinDnsLimit } from '../recordText';
import { parseReportUri } from '../tags/reportUri';
import { parseTagList, splitValue, type TagList } from '../tags/tagList';
import {
  editableRange, finding, ownerLabels, quote, tagListFindings, unknownTagFindings, versionState, wholeRecord, type TagFormat,
} from '../tags/tagFindings';
import { strictGrammarFindings } from '../tags/strictGrammar';

export const TLS_RPT_TAGS = ['v', 'rua'] as const;

const CONSEQUENCE = 'senders then send no TLS reports';

const TLS_RPT_FORMAT: TagFormat = {
  label: 'TLS-RPT record',
  syntaxCode: 'tlsrpt/tag-syntax',
  duplicateCode: 'tlsrpt/duplicate-tag',
  unknownCode: 'tlsrpt/unknown-tag',
  syntaxSeverity: () => 'error',
  duplicateSeverity: 'warning',
  syntaxConsequence: 'Senders treat a record that breaks the grammar of RFC 8460 §3 as absent and send no reports.',
  duplicateConsequence: 'RFC 8460 does not say which one counts; senders may take either or reject the record.',
  knownTags: TLS_RPT_TAGS,
  // tlsrpt-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
  validName: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/,
};

/** True for a TXT value that declares itself a TLS-RPT record (`v=TLSRPTv1` first, case forgiven). */
export function isTlsRptText(value: string): boolean {
  return /^[ \t]*v[ \t]*=[ \t]*TLSRPTv1[ \t]*(;|$)/i.test(value);
}

/** Findings for one TXT record at `_smtp._tls.<domain>`. */
export function checkTlsRptRecord(rec: RecordText): Finding[] {
  return checkWithinDnsLimit(rec, checkTlsRptValue);
}

function checkTlsRptValue(rec: RecordText): Finding[] {
  const list = parseTagList(rec.value);
  const out: Finding[] = [];
  if (!checkVersion(rec, list, out)) return out;
  checkOwner(rec, out);
  out.push(...tagListFindings(rec, list, TLS_RPT_FORMAT));
  out.push(...strictGrammarFindings(rec, list, { code: 'tlsrpt/tag-syntax', label: 'TLS-RPT record', consequence: CONSEQUENCE, definedTags: TLS_RPT_TAGS }));
  const rua = list.get('rua');
  if (!rua) {
    const [s, e] = wholeRecord(rec);
    out.push(finding(rec, s, e, 'error', 'tlsrpt/missing-rua',
      `No \`rua=\`: a TLS-RPT record must say where reports go (RFC 8460 §3), and ${CONSEQUENCE}. Add \`rua=mailto:tls-reports@<your domain>\`.`));
  } else {
    for (const part of splitValue(rua, ',')) {
      for (const p of parseReportUri(part, { schemes: ['mailto', 'https'], sizeSuffix: false }).problems) {
        out.push(finding(rec, p.start, p.end, 'error', 'tlsrpt/bad-report-uri',
          `${p.message} Senders skip this address, so no TLS reports arrive there.`));
      }
    }
  }
  out.push(...unknownTagFindings(rec, list, TLS_RPT_FORMAT, 'Senders ignore fields they do not know'));
  return out;
}

/** Findings for all TXT records at one `_smtp._tls` name: more than one TLS-RPT record voids them all. */
export function checkTlsRptRecordSet(records: readonly RecordText[]): Finding[] {
  const rpt = records.filter((r) => isTlsRptText(r.value));
  if (rpt.length < 2) return [];
  return rpt.map((rec) => {
    const [s, e] = wholeRecord(rec);
    return finding(rec, s, e, 'error', 'tlsrpt/several-records',
      `${rpt.length} TLS-RPT records at this name: when there is not exactly one, senders assume the domain does not want TLS reports (RFC 8460 §3). Merge them into one record; \`rua=\` takes several addresses separated by \`,\`.`);
  });
}

function checkVersion(rec: RecordText, list: TagList, out: Finding[]): boolean {
  const v = versionState(list, 'TLSRPTv1');
  const [s, e] = wholeRecord(rec);
  switch (v.state) {
    case 'ok':
      return true;
    case 'absent':
      if (list.get('rua')) {
        out.push(finding(rec, s, e, 'error', 'tlsrpt/missing-version',
          `The record does not start with \`v=TLSRPTv1\`: senders discard it, and ${CONSEQUENCE}. Add \`v=TLSRPTv1;\` at the start.`));
        return true;
      }
      out.push(finding(rec, s, e, 'warning', 'tlsrpt/not-tlsrpt',
        'This TXT record at `_smtp._tls` is not a TLS-RPT record (it does not start with `v=TLSRPTv1`): senders skip it. Remove it, or replace it with `v=TLSRPTv1; rua=mailto:…`.'));
      return false;
    case 'not-first':
      out.push(finding(rec, v.tag.start, v.tag.valueEnd, 'error', 'tlsrpt/version-not-first',
        `\`v=TLSRPTv1\` must come first: senders discard records that do not start with it, and ${CONSEQUENCE}. Move \`v=TLSRPTv1;\` to the front.`));
      return true;
    case 'wrong-value': {
      const f = finding(rec, v.tag.valueStart, v.tag.valueEnd, 'error', 'tlsrpt/bad-version',
        `${quote(v.tag.value)} is not the TLS-RPT version: it must be exactly \`TLSRPTv1\` (case matters), and ${CONSEQUENCE}.`);
      const r = v.caseOnly ? editableRange(rec, v.tag.valueStart, v.tag.valueEnd) : undefined;
      if (r) f.fixes = [{ title: 'Write `TLSRPTv1`', edits: [{ range: r, newText: 'TLSRPTv1' }], preferred: true }];
      out.push(f);
      return true;
    }
  }
}

function checkOwner(rec: RecordText, out: Finding[]): void {
  if (rec.owner === undefined) return;
  const labels = ownerLabels(rec.owner);
  if (labels[0] === '_smtp' && labels[1] === '_tls') return;
  const [s, e] = wholeRecord(rec);
  // Common slips: `_smtp-tls`, `_tls._smtp`, `_smtp_tls`, `_tls`, `_smtp` alone.
  let rest = labels;
  if (['_smtp-tls', '_smtp_tls', '_smtptls', '_tls', '_smtp'].includes(labels[0])) rest = labels.slice(1);
  if (labels[0] === '_tls' && labels[1] === '_smtp') rest = labels.slice(2);
  const target = ['_smtp', '_tls', ...rest].join('.');
  out.push(finding(rec, s, e, 'warning', 'tlsrpt/wrong-name',
    `A TLS-RPT record at \`${labels.join('.')}\` has no effect: senders look for it only at \`_smtp._tls.<domain>\`. Move it to \`${target}\`.`));
}
