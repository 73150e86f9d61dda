// Checks across the records of a zone, on the index zoneData.ts builds once per analysis:
// a CNAME beside other data or twice at a name, SOA placement, the apex NS set, MX/NS/SRV
// targets that are aliases or have no address, duplicate records, data outside the zone,
// and `$INCLUDE`s that cannot be followed. Findings are given for the records of the
// document being checked; the other records involved are `related`.

import type { Finding, RelatedLocation } from '../../types';
import { range } from '../../types';
import { entryRange, tokenRange } from '../tree';
import { isGenericRdata } from '../record-checks';
import { absoluteIn, isAtOrBelow, nameKey, withoutDot } from './origin';
import { isAbsolutePath } from './includes';
import { isIPv4, isIPv6, looksLikeAddress } from './values';
import type { ZoneData, ZoneFile, ZoneRR } from './zoneData';
import { A, AAAA, CNAME, delegationAbove, DNAME, MX, NS, SOA, SRV, TXT } from './zoneData';

/** Types DNSSEC keeps beside a CNAME (RFC 2181 §10.1, RFC 4035 §2.5). */
const BESIDE_CNAME = new Set([46 /* RRSIG */, 47 /* NSEC */, 25 /* KEY */, 30 /* NXT */]);

function related(rr: ZoneRR, message: string): RelatedLocation {
  const r = rr.record;
  const t = r.typeIndex >= 0 ? r.tokenRangeAt(r.typeIndex) : entryRange(r);
  return { uri: rr.file.doc.uri, range: r.ownerInherited ? t : range(r.firstLine, 0, t.end.line, t.end.character), message };
}

/** The range of a record's owner (or, inherited, its type) and type: where whole-record findings go. */
export function recordHead(rr: ZoneRR) {
  const r = rr.record;
  const typeRange = r.typeIndex >= 0 ? r.tokenRangeAt(r.typeIndex) : entryRange(r);
  if (r.ownerInherited) return typeRange;
  const owner = r.tokenRangeAt(0);
  return owner.start.line === typeRange.end.line ? range(owner.start.line, owner.start.character, typeRange.end.line, typeRange.end.character) : owner;
}

/** The rdata of a record normalized for "same record" comparison. */
function rdataKey(rr: ZoneRR): string {
  const r = rr.record;
  const n = r.rdataCount;
  if (n === 0) return '';
  if (isGenericRdata(r)) {
    let s = '#';
    for (let i = 0; i < n; i++) s += ' ' + r.tokenText(r.rdataStart + i).toLowerCase();
    return s;
  }
  switch (r.typeCode) {
    case A: case AAAA: return normalizeAddress(r.tokenText(r.rdataStart));
    case NS: case CNAME: case DNAME: case 12 /* PTR */:
      return nameKey(absoluteIn(r.tokenText(r.rdataStart), r.origin, rr.file.base));
    case MX:
      return r.tokenText(r.rdataStart) + ' ' + (n > 1 ? nameKey(absoluteIn(r.tokenText(r.rdataStart + 1), r.origin, rr.file.base)) : '');
    case TXT: case 99: {
      const parts: string[] = [];
      for (let i = 0; i < n; i++) parts.push(r.token(r.rdataStart + i).value);
      return JSON.stringify(parts);
    }
    default: {
      let s = '';
      for (let i = 0; i < n; i++) s += (i ? ' ' : '') + r.tokenText(r.rdataStart + i);
      return s;
    }
  }
}

/** IPv6 addresses compare by value (`2001:DB8:0::1` = `2001:db8::1`). */
function normalizeAddress(text: string): string {
  if (isIPv4(text) || !isIPv6(text)) return text;
  const lower = text.toLowerCase();
  const [head, tail] = lower.includes('::') ? lower.split('::') : [lower, undefined];
  const words = (s: string) => (s === '' ? [] : s.split(':')).flatMap((w) => (w.includes('.') ? v4words(w) : [parseInt(w, 16)]));
  const h = words(head);
  const t = tail === undefined ? [] : words(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  return all.map((w) => w.toString(16)).join(':');
}

function v4words(s: string): number[] {
  const o = s.split('.').map(Number);
  return [(o[0] << 8) | o[1], (o[2] << 8) | o[3]];
}

/** Zone-wide checks for the records of `file`. */
export function checkZoneStructure(data: ZoneData, file: ZoneFile, out: Finding[]): void {
  checkIncludes(data, file, out);
  const seenGroups = new Set<string>();
  for (const rr of file.rrs) {
    const groupHere = rr.group.length > 1 && !outOfZone(rr, data) && !seenGroups.has(rr.key);
    if (groupHere) seenGroups.add(rr.key);
    checkRecordInZone(rr, data, file, groupHere, out);
  }
  checkApexNs(data, file, out);
}

/** A record outside the zone: reported as such and not checked further. */
function outOfZone(rr: ZoneRR, data: ZoneData): boolean {
  return data.soas.length > 0 && data.apexKey !== '' && rr.record.typeCode >= 0 && !isAtOrBelow(rr.key, data.apexKey);
}

/**
 * Whether the group checks of rr's name are reported with rr: the first record of the
 * name in `file` that lies inside the zone (what checkZoneStructure's walk does).
 */
export function isGroupAnchor(rr: ZoneRR, data: ZoneData, file: ZoneFile): boolean {
  if (rr.group.length < 2) return false;
  for (const x of rr.group) if (x.file === file && !outOfZone(x, data)) return x === rr;
  return false;
}

/** The zone-wide checks of one record; the checks of its name's group too when `groupHere`. */
export function checkRecordInZone(rr: ZoneRR, data: ZoneData, file: ZoneFile, groupHere: boolean, out: Finding[]): void {
  const r = rr.record;
  const type = r.typeCode;
  if (outOfZone(rr, data)) {
    out.push({
      range: recordHead(rr),
      severity: 'warning',
      code: 'zone/out-of-zone',
      message: `${withoutDot(rr.owner)} is not inside the zone ${withoutDot(data.apex)}, so DNS servers ignore this record (BIND: "ignoring out-of-zone data"). Publish it in the zone of ${withoutDot(rr.owner)}, or fix the owner name (a missing final dot, or a wrong $ORIGIN).`,
    });
    return;
  }
  if (type === SOA && rr.key !== data.soas[0].key) {
    out.push({
      range: recordHead(rr),
      severity: 'error',
      code: 'zone/soa-not-at-apex',
      message: `An SOA record belongs only at the top of the zone (${withoutDot(data.apex)}); this one is at ${withoutDot(rr.owner)}. BIND rejects the zone ("SOA record not at top of zone"). A subdomain with its own SOA is a separate zone: delegate it with NS records instead.`,
      related: [related(data.soas[0], 'the zone\'s SOA record')],
    });
  }
  if (groupHere) checkGroup(rr.group, file, out);
  if ((type === MX || type === NS || type === SRV) && !hasSyntaxError(rr)) checkTarget(rr, data, out);
}

/** The apex of a complete zone without NS records (reported once, on the SOA of the root file). */
export function checkApexNs(data: ZoneData, file: ZoneFile, out: Finding[]): void {
  const apexKey = data.apexKey;
  if (data.complete && data.root === file && data.soas[0]?.file === file) {
    if (!data.byName.get(apexKey)?.some((rr) => rr.record.typeCode === NS)) {
      out.push({
        range: recordHead(data.soas[0]),
        severity: 'error',
        code: 'zone/missing-ns',
        message: `The zone ${withoutDot(data.apex)} has no NS records at its apex. A zone names its own name servers; BIND rejects the zone ("has no NS records"). Add for example "@ IN NS ns1.${withoutDot(data.apex)}." with an address record for that name.`,
      });
    }
  }
}

/** Records sharing one owner: CNAME beside other data, two CNAMEs or SOAs, duplicates. */
function checkGroup(group: ZoneRR[], file: ZoneFile, out: Finding[]): void {
  let cnames = 0;
  let others = 0;
  for (const rr of group) {
    const t = rr.record.typeCode;
    if (t === CNAME) cnames++;
    else if (t >= 0 && !BESIDE_CNAME.has(t)) others++;
  }
  if (cnames > 0 && others > 0) {
    const firstCname = group.find((rr) => rr.record.typeCode === CNAME)!;
    const firstOther = group.find((rr) => rr.record.typeCode !== CNAME && rr.record.typeCode >= 0 && !BESIDE_CNAME.has(rr.record.typeCode))!;
    for (const rr of group) {
      if (rr.file !== file) continue;
      const t = rr.record.typeCode;
      if (t < 0 || BESIDE_CNAME.has(t)) continue;
      const isCname = t === CNAME;
      out.push({
        range: recordHead(rr),
        severity: 'error',
        code: 'zone/cname-and-other-data',
        message: isCname
          ? `${withoutDot(rr.owner)} has a CNAME and other records (${otherTypes(group)}). A CNAME makes the name an alias of another: nothing else may live there (RFC 1034 §3.6.2), so BIND rejects the zone ("CNAME and other data"). Move the other records to the CNAME's target, or replace the CNAME by the records it points at.`
          : `${withoutDot(rr.owner)} is an alias (CNAME), so it cannot also have ${rr.record.typeName} records: BIND rejects the zone ("CNAME and other data"), and resolvers would follow the alias anyway. Put this record at the CNAME's target, or remove the CNAME.`,
        related: [related(isCname ? firstOther : firstCname, isCname ? 'other data at the same name' : 'the CNAME record')],
      });
    }
  }
  // Same type and same data twice: DNS keeps one (BIND drops the copy silently). Different
  // CNAMEs or SOAs at one name: a singleton type, BIND rejects the zone. Only types that
  // occur more than once need their data compared (most names have one record per type).
  if (!hasRepeatedType(group)) return;
  const perType = new Map<number, number>();
  for (const rr of group) perType.set(rr.record.typeCode, (perType.get(rr.record.typeCode) ?? 0) + 1);
  const seen = new Map<string, ZoneRR>();
  const singletons = new Map<number, ZoneRR>();
  for (const rr of group) {
    const t = rr.record.typeCode;
    if (t < 0 || perType.get(t)! < 2) continue;
    const key = t + '\u0000' + rdataKey(rr);
    const first = seen.get(key);
    if (first) {
      if (rr.file === file) {
        out.push({
          range: recordHead(rr),
          severity: 'warning',
          code: 'zone/duplicate-record',
          message: `This ${rr.record.typeName} record repeats an earlier one at ${withoutDot(rr.owner)} with the same data. DNS publishes a record once (BIND drops the copy), so it has no effect${rr.record.ttlSeconds !== first.record.ttlSeconds ? ', and its different TTL is ignored too' : ''}. Remove it, or change its data if another value was meant.`,
          related: [related(first, 'the same record, earlier')],
        });
      }
      continue;
    }
    seen.set(key, rr);
    if (t === CNAME || t === SOA || t === DNAME) {
      const one = singletons.get(t);
      if (!one) { singletons.set(t, rr); continue; }
      if (rr.file !== file) continue;
      out.push({
        range: recordHead(rr),
        severity: 'error',
        code: t === SOA ? 'zone/multiple-soa' : 'zone/multiple-cname',
        message: t === SOA
          ? `A zone has exactly one SOA record; this is a second one at ${withoutDot(rr.owner)}. BIND rejects the zone ("multiple RRs of singleton type"). Keep one and increase its serial.`
          : `${withoutDot(rr.owner)} already has a ${rr.record.typeName} record: a name can be an alias of one name only. BIND rejects the zone ("multiple RRs of singleton type"). Keep one ${rr.record.typeName}.`,
        related: [related(one, `the first ${rr.record.typeName} record`)],
      });
    }
  }
}

/** Whether two records of the group have one type (no Map for the usual handful of records). */
function hasRepeatedType(group: ZoneRR[]): boolean {
  if (group.length > 16) {
    const seen = new Set<number>();
    for (const rr of group) {
      if (seen.has(rr.record.typeCode)) return true;
      seen.add(rr.record.typeCode);
    }
    return false;
  }
  for (let i = 1; i < group.length; i++) {
    const t = group[i].record.typeCode;
    for (let k = 0; k < i; k++) if (group[k].record.typeCode === t) return true;
  }
  return false;
}

function otherTypes(group: ZoneRR[]): string {
  const types = new Set<string>();
  for (const rr of group) if (rr.record.typeCode !== CNAME && !BESIDE_CNAME.has(rr.record.typeCode) && rr.record.typeCode >= 0) types.add(rr.record.typeName);
  return [...types].join(', ');
}

function hasSyntaxError(rr: ZoneRR): boolean {
  const f = rr.record.findings;
  return f !== undefined && f.some((x) => x.severity === 'error');
}

/** Index of the name field of MX, NS and SRV records. */
function targetIndex(type: number): number {
  return type === MX ? 1 : type === SRV ? 3 : 0;
}

/** MX/NS/SRV pointing at an alias, or at a name of the zone with no address. */
function checkTarget(rr: ZoneRR, data: ZoneData, out: Finding[]): void {
  const r = rr.record;
  const type = r.typeCode;
  const index = targetIndex(type);
  if (index >= r.rdataCount || isGenericRdata(r) || data.apexKey === '') return;
  const tok = r.rdataToken(index);
  if (tok.text === '.') {
    if (type === MX) checkNullMx(rr, out);
    return;
  }
  if (looksLikeAddress(tok.text)) return;
  const target = absoluteIn(tok.text, r.origin, rr.file.base);
  const key = nameKey(target);
  if (!isAtOrBelow(key, data.apexKey)) return;
  const atTarget = data.byName.get(key);
  const label = type === MX ? 'MX' : type === NS ? 'NS' : 'SRV';
  const apexNs = type === NS && rr.key === data.apexKey;
  const cname = atTarget?.find((x) => x.record.typeCode === CNAME);
  if (cname) {
    out.push({
      range: tokenRange(tok),
      severity: apexNs ? 'error' : 'warning',
      code: 'zone/target-is-cname',
      message: `${withoutDot(target)} is an alias (CNAME), and an ${label} record must point at the host's real name (RFC 2181 §10.3${type === SRV ? ', RFC 2782' : ''}). ${type === MX ? 'Many mail servers refuse or mishandle an MX that points at an alias, so mail may bounce. ' : ''}${apexNs ? 'BIND rejects the zone ("is a CNAME (illegal)"). ' : ''}Point it at the CNAME's target instead.`,
      related: [related(cname, 'the CNAME record')],
    });
    return;
  }
  if (!data.complete) return;
  if (atTarget?.some((x) => x.record.typeCode === A || x.record.typeCode === AAAA)) return;
  const cut = delegationAbove(data, key);
  if (cut !== undefined) {
    // Below a delegation: the child zone answers, unless this is the NS of that very delegation (glue).
    if (!(type === NS && rr.key === cut)) return;
  } else if (coveredByWildcard(data, key)) {
    return;
  }
  out.push({
    range: tokenRange(tok),
    severity: apexNs ? 'error' : 'warning',
    code: 'zone/target-without-address',
    message: apexNs
      ? `The name server ${withoutDot(target)} lies inside this zone but has no A or AAAA record in it, so nobody can reach it. BIND rejects the zone ("has no address records"). Add an address record for ${withoutDot(target)}.`
      : type === NS
        ? `The name server ${withoutDot(target)} of the delegation ${withoutDot(rr.owner)} lies inside it but has no glue (A or AAAA) record here, so resolvers cannot reach it. Add the glue records.`
        : `${withoutDot(target)} has no A or AAAA record in this zone, so ${type === MX ? `mail servers cannot deliver mail for ${withoutDot(rr.owner)} through this MX` : 'clients cannot reach this service'}. Add an address record for it, or point the ${label} at a host that has one.`,
  });
}

/**
 * `MX 0 .`, the null MX (RFC 7505): the domain accepts no mail. It must be the name's only
 * MX; Postfix, for one, answers the whole MX set with "does not accept mail (nullMX)" as
 * soon as one of them is `.`, whatever the preferences, while other senders may use the rest.
 */
function checkNullMx(rr: ZoneRR, out: Finding[]): void {
  const r = rr.record;
  const other = rr.group.find((x) => x !== rr && !x.removed && x.record.typeCode === MX && x.record.rdataCount > 1 && x.record.tokenText(x.record.rdataStart + 1) !== '.');
  if (other) {
    out.push({
      range: recordHead(rr),
      severity: 'error',
      code: 'zone/null-mx-with-other-mx',
      message: `${withoutDot(rr.owner)} has a null MX ("accepts no mail", RFC 7505) and also ${other.record.tokenText(other.record.rdataStart + 1)} as MX. A null MX must be the only MX of a name, and senders disagree about this mix: Postfix bounces all mail for the domain ("does not accept mail (nullMX)"), others deliver to the other MX. Remove the null MX if the domain receives mail, or the other MX records if it does not.`,
      related: [related(other, 'another MX at the same name')],
    });
  }
  const pref = r.rdataToken(0);
  if (/^\d+$/.test(pref.text) && Number(pref.text) !== 0) {
    out.push({
      range: tokenRange(pref),
      severity: 'warning',
      code: 'zone/null-mx-preference',
      message: `A null MX is written with preference 0 (RFC 7505 §3: "MX 0 ."), not ${pref.text}. Senders that look for exactly that form do not recognise this one and keep trying to deliver, or bounce later with a less clear error. Write 0.`,
      fixes: [{ title: 'Write the null MX as `MX 0 .`', edits: [{ range: tokenRange(pref), newText: '0' }], preferred: true }],
    });
  }
}

/** Whether a wildcard (`*.parent`) of the zone covers a name that has no records of its own. */
function coveredByWildcard(data: ZoneData, key: string): boolean {
  let k = key;
  for (;;) {
    const dot = k.indexOf('.');
    if (dot < 0 || dot === k.length - 1) return false;
    k = k.slice(dot + 1);
    if (data.byName.has('*.' + k)) return true;
    if (k === data.apexKey) return false;
  }
}

export function checkIncludes(data: ZoneData, file: ZoneFile, out: Finding[]): void {
  for (const u of data.unresolved) {
    if (u.file !== file) continue;
    const d = u.line.directive;
    const pathTok = d.token(1);
    if (u.reason === 'loop') {
      out.push({
        range: tokenRange(pathTok),
        severity: 'error',
        code: 'zone/include-loop',
        message: `${u.line.path} is already being included (this file includes itself through it), so BIND would include it without end and fails. Remove this $INCLUDE.`,
      });
    } else if (!isAbsolutePath(u.line.path)) {
      out.push({
        range: tokenRange(pathTok),
        severity: 'warning',
        code: 'zone/include-not-found',
        message: `The included file ${u.line.path} is not in the workspace (looked for beside this file), so its records are not checked, and checks that need the whole zone (missing NS, targets without address) are skipped. BIND resolves a relative path against its working directory (named.conf's "directory"); if the file is there, open the folder that contains it.`,
      });
    }
  }
}
