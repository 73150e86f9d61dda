// Checks of the MTA-STS TXT record at `_mta-sts.<domain>` (RFC 8461 §3.1): it announces
// that the domain has an MTA-STS policy (served over HTTPS at
// `https://mta-sts.<domain>/.well-known/mta-sts.txt`) and, with `id=`, when it changed.

import type { Finding } from '../../types';
import type { RecordText } from '../recordText';
import { checkWithinDnsLimit } from '../recordText';
import { parseTagList, type TagList } from '../tags/tagList';
import {
  editableRange, finding, ownerLabels, quote, tagListFindings, unknownTagFindings, versionState, wholeRecord, type TagFormat,
} from '../tags/tagFindings';
import { strictGrammarFindings } from '../tags/strictGrammar';

export const MTA_STS_TAGS = ['v', 'id'] as const;

const CONSEQUENCE = 'senders then assume the domain has no MTA-STS policy';

const MTA_STS_FORMAT: TagFormat = {
  label: 'MTA-STS record',
  syntaxCode: 'mta-sts/tag-syntax',
  duplicateCode: 'mta-sts/duplicate-tag',
  unknownCode: 'mta-sts/unknown-tag',
  syntaxSeverity: () => 'error',
  duplicateSeverity: 'warning',
  syntaxConsequence: 'Senders treat a record that breaks the grammar of RFC 8461 §3.1 as absent: no MTA-STS for this domain.',
  duplicateConsequence: 'RFC 8461 does not say which one counts; senders may take either or reject the record.',
  knownTags: MTA_STS_TAGS,
  // sts-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
  validName: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/,
};

/** True for a TXT value that declares itself an MTA-STS record (`v=STSv1` first, case forgiven). */
export function isMtaStsText(value: string): boolean {
  return /^[ \t]*v[ \t]*=[ \t]*STSv1[ \t]*(;|$)/i.test(value);
}

/** Findings for one TXT record at `_mta-sts.<domain>`. */
export function checkMtaStsRecord(rec: RecordText): Finding[] {
  return checkWithinDnsLimit(rec, checkMtaStsValue);
}

function checkMtaStsValue(rec: RecordText): Finding[] {
  const list = parseTagList(rec.value);
  const out: Finding[] = [];
  if (!checkVersion(rec, list, out)) return out;
  checkOwner(rec, out);
  out.push(...tagListFindings(rec, list, MTA_STS_FORMAT));
  out.push(...strictGrammarFindings(rec, list, { code: 'mta-sts/tag-syntax', label: 'MTA-STS record', consequence: CONSEQUENCE, definedTags: MTA_STS_TAGS }));
  const id = list.get('id');
  if (!id) {
    const [s, e] = wholeRecord(rec);
    out.push(finding(rec, s, e, 'error', 'mta-sts/missing-id',
      `No \`id=\`: an MTA-STS record needs one (RFC 8461 §3.1), and ${CONSEQUENCE}. Add \`id=\` with a value that you change whenever the policy file changes, for example the date: \`id=20240601\`.`));
  } else if (!/^[A-Za-z0-9]{1,32}$/.test(id.value)) {
    const why = id.value === '' ? 'it is empty' : id.value.length > 32 ? `it has ${id.value.length} characters` : 'it contains characters other than letters and digits';
    out.push(finding(rec, id.value ? id.valueStart : id.start, id.value ? id.valueEnd : id.equals + 1, 'error', 'mta-sts/bad-id',
      `\`id=\` must be 1 to 32 letters and digits, but ${why}, and ${CONSEQUENCE}. Use for example the date and time of the last policy change: \`id=20240601T1200\`.`));
  }
  out.push(...unknownTagFindings(rec, list, MTA_STS_FORMAT, 'Senders ignore fields they do not know'));
  return out;
}

/** Findings for all TXT records at one `_mta-sts` name: more than one MTA-STS record voids them all. */
export function checkMtaStsRecordSet(records: readonly RecordText[]): Finding[] {
  const sts = records.filter((r) => isMtaStsText(r.value));
  if (sts.length < 2) return [];
  return sts.map((rec) => {
    const [s, e] = wholeRecord(rec);
    return finding(rec, s, e, 'error', 'mta-sts/several-records',
      `${sts.length} MTA-STS records at this name: when there is not exactly one, senders assume the domain has no MTA-STS policy (RFC 8461 §3.1). Keep one.`);
  });
}

function checkVersion(rec: RecordText, list: TagList, out: Finding[]): boolean {
  const v = versionState(list, 'STSv1');
  const [s, e] = wholeRecord(rec);
  switch (v.state) {
    case 'ok':
      return true;
    case 'absent':
      if (list.get('id')) {
        out.push(finding(rec, s, e, 'error', 'mta-sts/missing-version',
          `The record does not start with \`v=STSv1\`: senders discard it, and ${CONSEQUENCE}. Add \`v=STSv1;\` at the start.`));
        return true;
      }
      out.push(finding(rec, s, e, 'warning', 'mta-sts/not-sts',
        'This TXT record at `_mta-sts` is not an MTA-STS record (it does not start with `v=STSv1`): senders skip it. Remove it, or replace it with `v=STSv1; id=…`.'));
      return false;
    case 'not-first':
      out.push(finding(rec, v.tag.start, v.tag.valueEnd, 'error', 'mta-sts/version-not-first',
        `\`v=STSv1\` must come first: senders discard records that do not start with it, and ${CONSEQUENCE}. Move \`v=STSv1;\` to the front.`));
      return true;
    case 'wrong-value': {
      const f = finding(rec, v.tag.valueStart, v.tag.valueEnd, 'error', 'mta-sts/bad-version',
        `${quote(v.tag.value)} is not the MTA-STS version: it must be exactly \`STSv1\` (case matters), and ${CONSEQUENCE}.`);
      const r = v.caseOnly ? editableRange(rec, v.tag.valueStart, v.tag.valueEnd) : undefined;
      if (r) f.fixes = [{ title: 'Write `STSv1`', edits: [{ range: r, newText: 'STSv1' }], preferred: true }];
      out.push(f);
      return true;
    }
  }
}

function checkOwner(rec: RecordText, out: Finding[]): void {
  if (rec.owner === undefined) return;
  const labels = ownerLabels(rec.owner);
  if (labels[0] === '_mta-sts') return;
  const [s, e] = wholeRecord(rec);
  const rest = labels[0] === 'mta-sts' || labels[0] === '_mta_sts' || labels[0] === '_mtasts' ? labels.slice(1) : labels;
  const target = ['_mta-sts', ...rest].join('.');
  out.push(finding(rec, s, e, 'warning', 'mta-sts/wrong-name',
    `An MTA-STS record at \`${labels.join('.')}\` has no effect: senders look for it only at \`_mta-sts.<domain>\`. Move it to \`${target}\`` +
    (labels[0] === 'mta-sts' ? ' (`mta-sts.<domain>` without underscore is the web server that serves the policy file).' : '.')));
}
