// The mail policies in TXT records: each TXT (and obsolete SPF-type) record is handed to the
// checker of what it holds (SPF, DKIM key, DMARC, MTA-STS, TLS-RPT), as a RecordText whose
// ranges point into the zone file; the records at one name are checked together where the
// RFCs care (several SPF records: permerror; several DMARC or DKIM records: undefined
// results). The SPF lookup count runs over the workspace's zones (offline).

import type { Finding } from '../../types';
import { range } from '../../types';
import type { Workspace } from '../../stack/workspace';
import type { RecordText } from '../../records/recordText';
import { checkDkimKeyRecord, checkDkimRecordSet } from '../../records/dkim/index';
import { checkDmarcRecord, checkDmarcRecordSet, isDmarcText } from '../../records/dmarc/index';
import type { DmarcCheckContext } from '../../records/dmarc/index';
import { checkMtaStsRecord, checkMtaStsRecordSet } from '../../records/mtasts/index';
import { checkTlsRptRecord, checkTlsRptRecordSet } from '../../records/tlsrpt/index';
import { checkSpfRecord, checkSpfRecordSet, spfRrTypeFinding } from '../../records/spf/index';
import type { SyncResolver } from '../../records/spf/index';
import { WorkspaceZones } from '../../dns/zoneResolver';
import { isGenericRdata } from '../record-checks';
import { isTxtLike } from '../tree';
import { txtValue } from '../strings';
import type { ZoneRecordText } from './recordText';
import { recordTextOf } from './recordText';
import type { TxtKind } from './txtKinds';
import { classifyTxt, labelsOf } from './txtKinds';
import { adaptFixes, dkimStrings, indentUnder, layoutStrings, rdataInParentheses } from './txtLayout';
import type { ZoneData, ZoneFile, ZoneRR } from './zoneData';
import { noteRead, SPF } from './zoneData';
import { doubledOrigin } from './recordChecks';
import { effectiveOrigin } from './origin';

/** A TXT record of the zone with its payload and what it holds. */
export interface PolicyRecord {
  rr: ZoneRR;
  text: ZoneRecordText;
  kind: TxtKind | undefined;
}

/**
 * The RecordText and kind of a TXT/SPF record. The kind is kept on the record (checks ask
 * for it again and again: sets, DKIM presence); the text, with ranges that move with the
 * record and token objects a zone of a million records should not keep, is made per call.
 */
export function policyRecordOf(rr: ZoneRR): PolicyRecord {
  const text = recordTextOf(rr.record, rr.owner === '' ? undefined : rr.owner);
  let kind = rr.policy as TxtKind | null | undefined;
  if (kind === undefined) rr.policy = kind = classifyTxt(rr.key, text.value) ?? null;
  return { rr, text, kind: kind ?? undefined };
}

/** What a TXT/SPF record holds, classified once per record (from its value, no RecordText made). */
export function policyKindOf(rr: ZoneRR): TxtKind | undefined {
  let kind = rr.policy as TxtKind | null | undefined;
  if (kind === undefined) rr.policy = kind = classifyTxt(rr.key, txtValue(rr.record)) ?? null;
  return kind ?? undefined;
}

export function isPolicyCandidate(rr: ZoneRR): boolean {
  const r = rr.record;
  return isTxtLike(r) && r.rdataCount > 0 && !isGenericRdata(r);
}

/** What the checkers need besides the record: the workspace's zones (SPF lookups, DMARC report authorisations). */
export class TxtCheckEnv {
  private zones: WorkspaceZones | undefined;
  private sync: SyncResolver | undefined;

  constructor(readonly workspace: Workspace, readonly data: ZoneData) {}

  workspaceZones(): WorkspaceZones {
    return (this.zones ??= new WorkspaceZones(this.workspace));
  }

  /** Answers from every zone of the workspace, for counting SPF lookups through includes. */
  resolver(): SyncResolver {
    return (this.sync ??= this.workspaceZones().syncResolver());
  }

  /** `<domain>._report._dmarc.<host>` from the workspace's zones: true, false, or undefined (not known here). */
  readonly dmarcContext: DmarcCheckContext = {
    reportAuthorization: (policyDomain, reportHost) => {
      const answer = this.workspaceZones().txtSync(`${policyDomain}._report._dmarc.${reportHost}`);
      if (!answer) return undefined;
      return answer.status === 'ok' && answer.records.some((strings) => isDmarcText(strings.join('')));
    },
  };
}

type RecordChecker = (rec: PolicyRecord, env: TxtCheckEnv) => Finding[];
type SetChecker = (recs: RecordText[]) => Finding[];

const RECORD_CHECKERS: Record<TxtKind, RecordChecker> = {
  spf: checkSpf,
  dkim: (p) => checkDkimKeyRecord(p.text),
  dmarc: (p, env) => checkDmarcRecord(p.text, env.dmarcContext),
  'mta-sts': (p) => checkMtaStsRecord(p.text),
  tlsrpt: (p) => checkTlsRptRecord(p.text),
};

const SET_CHECKERS: Record<TxtKind, SetChecker> = {
  spf: checkSpfRecordSet,
  dkim: checkDkimRecordSet,
  dmarc: checkDmarcRecordSet,
  'mta-sts': checkMtaStsRecordSet,
  tlsrpt: checkTlsRptRecordSet,
};

/**
 * SPF, with lookups counted through the workspace's zones. A record of the obsolete type
 * SPF (99) is reported as such; its content is checked only when no TXT twin carries it.
 */
function checkSpf(p: PolicyRecord, env: TxtCheckEnv): Finding[] {
  const r = p.rr.record;
  if (r.typeCode !== SPF) return checkSpfRecord(p.text, { resolver: env.resolver() });
  const typeRange = r.tokenRangeAt(r.typeIndex);
  const twin = env.data.byName.get(p.rr.key)?.some((x) => x !== p.rr && x.record.typeCode !== SPF && isPolicyCandidate(x) && policyRecordOf(x).text.value === p.text.value) ?? false;
  if (twin) return [spfRrTypeFinding(typeRange, true)];
  return checkSpfRecord(p.text, { resolver: env.resolver(), spfRrType: { range: typeRange } });
}

/** Per-record and per-name findings for the TXT records of `file`. */
export function checkTxtPolicies(data: ZoneData, file: ZoneFile, env: TxtCheckEnv, out: Finding[]): void {
  const setsDone = new Set<string>();
  for (const rr of file.rrs) {
    if (!isPolicyCandidate(rr)) continue;
    const setsHere = policyKindOf(rr) !== undefined && rr.group.length > 1 && !setsDone.has(rr.key);
    if (setsHere) setsDone.add(rr.key);
    checkTxtPolicy(rr, data, file, env, setsHere, out);
  }
}

/**
 * Whether the record sets of rr's name are checked with rr: the name's first TXT record
 * in `file` that holds a policy (what checkTxtPolicies's walk does).
 */
export function isTxtSetAnchor(rr: ZoneRR, file: ZoneFile): boolean {
  if (rr.group.length < 2) return false;
  for (const x of rr.group) if (x.file === file && isPolicyCandidate(x) && policyKindOf(x) !== undefined) return x === rr;
  return false;
}

/** The policy a TXT record holds, checked; the record sets of its name too when `setsHere`. */
export function checkTxtPolicy(rr: ZoneRR, data: ZoneData, file: ZoneFile, env: TxtCheckEnv, setsHere: boolean, out: Finding[]): void {
  const p = policyRecordOf(rr);
  if (p.kind) {
    const check = RECORD_CHECKERS[p.kind];
    if (check) {
      let findings = check(p, env);
      // An owner that repeats the origin is reported (with its fix) by the owner check already;
      // a key at another name that a `<selector>._domainkey` CNAME points to is found by verifiers.
      if (p.kind === 'dkim' && findings.some((f) => f.code === 'dkim/wrong-name') && (ownerRepeatsOrigin(rr, data) || reachedThroughAlias(rr, env))) {
        findings = findings.filter((f) => f.code !== 'dkim/wrong-name');
      }
      adaptFixes(findings, p.text);
      offerQuoting(rr, findings);
      out.push(...findings);
    }
  }
  if (setsHere) checkSets(file, rr.group, out);
}

/**
 * A value the parser reports as unquoted is broken for SPF/DKIM readers too; their finding
 * about the glued strings gets the parser's "put it in quotes" fix, the one thing to do.
 */
function offerQuoting(rr: ZoneRR, findings: Finding[]): void {
  const quoting = rr.record.findings?.find((f) => (f.code === 'zone/unquoted-txt' || f.code === 'zone/txt-semicolon-comment') && f.fixes?.length);
  if (!quoting) return;
  for (const f of findings) if (f.code === 'spf/split-strings' && !f.fixes?.length) f.fixes = quoting.fixes!.map((x) => ({ ...x }));
}

/** A dependency key for "the CNAMEs that point at this name" (findingCache.ts). */
export const ALIASES_OF = '\u0000aliases ';

function reachedThroughAlias(rr: ZoneRR, env: TxtCheckEnv): boolean {
  noteRead(ALIASES_OF + rr.key);
  return env.workspaceZones().aliasesOf(rr.key).some((alias) => labelsOf(alias.owner).indexOf('_domainkey') > 0);
}

function ownerRepeatsOrigin(rr: ZoneRR, data: ZoneData): boolean {
  const r = rr.record;
  return !r.ownerInherited && doubledOrigin(r.ownerText, effectiveOrigin(r.ownerOrigin, rr.file.base), data.apex) !== undefined;
}

/** The records of each kind at one name, checked together. */
function checkSets(file: ZoneFile, group: ZoneRR[], out: Finding[]): void {
  const byKind = new Map<TxtKind, PolicyRecord[]>();
  for (const rr of group) {
    if (!isPolicyCandidate(rr) || rr.record.typeCode === SPF) continue; // the SPF type is never read
    const p = policyRecordOf(rr);
    // At a DKIM or DMARC name every TXT record counts: verifiers fetch them all.
    const kind = p.kind ?? kindOfName(group);
    if (!kind) continue;
    const list = byKind.get(kind);
    if (list) list.push(p); else byKind.set(kind, [p]);
  }
  for (const [kind, list] of byKind) {
    const check = SET_CHECKERS[kind];
    if (!check || list.length < 2) continue;
    // Findings for records in other files of the zone are placed there, not here.
    const texts = list.map((p) => (p.rr.file === file ? p.text : elsewhere(p.text)));
    const findings = check(texts).filter((f) => f.range.start.line >= 0);
    if (kind === 'dkim') offerDkimJoin(list, file, findings);
    out.push(...findings);
  }
}

/** The kind a name itself implies (`_dmarc`, `sel._domainkey`), from its classified records. */
function kindOfName(group: ZoneRR[]): TxtKind | undefined {
  for (const rr of group) {
    if (!isPolicyCandidate(rr)) continue;
    const k = policyKindOf(rr);
    if (k === 'dkim' || k === 'dmarc') return k;
  }
  return undefined;
}

function elsewhere(rt: RecordText): RecordText {
  return { ...rt, rangeOf: () => range(-1, 0, -1, 0) };
}

/**
 * A DKIM key split over several TXT records (a DNS provider's 255-character field, filled
 * twice): when the first holds `p=` and the others only continue the key, offer to join
 * them into one record written as opendkim-genkey writes it.
 */
function offerDkimJoin(list: PolicyRecord[], file: ZoneFile, findings: Finding[]): void {
  if (list.some((p) => p.rr.file !== file)) return;
  const ordered = [...list].sort((a, b) => a.rr.record.firstLine - b.rr.record.firstLine);
  const [head, ...rest] = ordered;
  if (!/(^|;)\s*p\s*=/.test(head.text.value)) return;
  if (!rest.every((p) => /^[A-Za-z0-9+/=\s]+$/.test(p.text.value))) return;
  const joined = ordered.map((p) => p.text.value).join('');
  const r = head.rr.record;
  const first = r.rdataToken(0);
  const last = r.rdataToken(r.rdataCount - 1);
  const inParens = rdataInParentheses(r);
  const newText = layoutStrings(dkimStrings(joined), indentUnder(r, first.start, !inParens), !inParens);
  const fix = {
    title: `Join the ${ordered.length} parts into one DKIM record (strings of at most 255 bytes)`,
    preferred: true,
    edits: [
      { range: range(first.line, first.start, last.line, last.end), newText },
      ...rest.map((p) => ({ range: range(p.rr.record.firstLine, 0, p.rr.record.lastLine + 1, 0), newText: '' })),
    ],
  };
  for (const f of findings) if (f.code === 'dkim/several-records') f.fixes = [...(f.fixes ?? []), fix];
}
