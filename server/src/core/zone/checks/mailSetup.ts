// The mail-authentication set-up of a whole zone: a domain that publishes SPF or DKIM but no
// DMARC record gets no reports and no policy for forged mail. The quick-fix inserts the usual
// first step, `p=none` with reports to postmaster, after the records at the apex.

import type { Finding } from '../../types';
import { range } from '../../types';
import type { ZoneRecord } from '../tree';
import { isGenericRdata } from '../record-checks';
import { isTxtLike } from '../tree';
import { isAtOrBelow, nameKey, withoutDot } from './origin';
import { policyKindOf } from './txtChecks';
import { recordHead } from './zoneChecks';
import type { ZoneData, ZoneFile, ZoneRR } from './zoneData';
import { SPF } from './zoneData';

/**
 * Information on the apex SPF record (or the SOA) when the zone has SPF or DKIM but no
 * `_dmarc`. `hasDkim` answers whether the zone publishes a DKIM key (looked up when absent).
 */
export function checkMissingDmarc(data: ZoneData, file: ZoneFile, out: Finding[], hasDkim: (data: ZoneData) => boolean = hasDkimKey): void {
  if (!data.complete || data.root !== file) return;
  const apexKey = data.apexKey;
  if (data.byName.has('_dmarc.' + apexKey)) return;
  const atApex = data.byName.get(apexKey) ?? [];
  const spf = atApex.find((rr) => rr.file === file && rr.record.typeCode !== SPF && isTxtLike(rr.record) && !isGenericRdata(rr.record) && policyKindOf(rr) === 'spf');
  if (!spf && !hasDkim(data)) return;
  const soa = data.soas.find((rr) => rr.file === file && rr.key === apexKey);
  const anchorFor = spf ?? soa;
  if (!anchorFor) return;
  const domain = withoutDot(data.apex);
  const insert = insertionAfterApex(data, file);
  const finding: Finding = {
    range: recordHead(anchorFor),
    severity: 'information',
    code: 'zone/missing-dmarc',
    message: `${domain} publishes ${spf ? 'SPF' : 'DKIM'} but no DMARC record (_dmarc.${domain}). Without DMARC, receivers apply no policy to mail that forges your domain, and you get no reports about who sends as ${domain}. Start with "v=DMARC1; p=none; rua=mailto:postmaster@${domain}" and tighten p= once the reports show all your mail passes.`,
  };
  // The apex goes into a quoted TXT as written: only a plain host name can (escapes such as
  // \DDD or a `"` in a broken $ORIGIN would mean something else there, or break the string).
  if (insert && /^[A-Za-z0-9._-]+$/.test(domain)) {
    const line = dmarcLine(insert.after, data, domain);
    finding.fixes = [{
      title: `Add a DMARC record: _dmarc IN TXT "v=DMARC1; p=none; rua=mailto:postmaster@${domain}"`,
      preferred: true,
      edits: [insert.atEnd
        ? { range: range(insert.line, insert.character, insert.line, insert.character), newText: line.nl + line.text }
        : { range: range(insert.line, 0, insert.line, 0), newText: line.text + line.nl }],
    }];
  }
  out.push(finding);
}

const dkimCache = new WeakMap<ZoneData, boolean>();

/** Whether the zone publishes a DKIM key below `_domainkey.<apex>` (looked for once per zone data). */
function hasDkimKey(data: ZoneData): boolean {
  let found = dkimCache.get(data);
  if (found === undefined) {
    found = false;
    const dkimZone = '_domainkey.' + data.apexKey;
    for (const [key, group] of data.byName) {
      if (key === dkimZone || !isAtOrBelow(key, dkimZone)) continue;
      if (group.some(isDkimKeyRecord)) { found = true; break; }
    }
    dkimCache.set(data, found);
  }
  return found;
}

/** A DKIM key record (the name is checked by the caller: below `_domainkey.<apex>`). */
export function isDkimKeyRecord(rr: ZoneRR): boolean {
  return isTxtLike(rr.record) && !isGenericRdata(rr.record) && policyKindOf(rr) === 'dkim';
}

/** The line after the last record of the first run of apex records (the SOA and what follows it at `@`). */
function insertionAfterApex(data: ZoneData, file: ZoneFile): { line: number; character: number; atEnd: boolean; after: ZoneRecord } | undefined {
  let last: ZoneRR | undefined;
  let started = false;
  for (const rr of file.rrs) {
    if (rr.key === data.apexKey) { started = true; last = rr; continue; }
    if (started) break;
  }
  if (!last) return undefined;
  const r = last.record;
  const text = file.tree.source.text;
  // The record's last line ends the file without a line break: append after it.
  const endsFile = r.lastLine + 1 >= file.tree.lineCount && !/[\r\n]$/.test(text);
  if (endsFile) {
    const lineStart = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1;
    return { line: r.lastLine, character: text.length - lineStart, atEnd: true, after: r };
  }
  return { line: r.lastLine + 1, character: 0, atEnd: false, after: r };
}

/** `_dmarc  IN TXT "…"` lined up under the record above, relative when the origin there is the apex. */
function dmarcLine(after: ZoneRecord, data: ZoneData, domain: string): { text: string; nl: string } {
  const origin = after.origin === '' ? data.root.base : after.origin;
  const owner = nameKey(origin) === data.apexKey ? '_dmarc' : `_dmarc.${domain}.`;
  const ttl = after.defaultTtl === undefined && after.ttlSeconds !== undefined ? ` ${after.ttlSeconds}` : '';
  // Line up "IN" with the record above when it has a class written on its first line.
  const cls = after.classIndex >= 0 ? after.tokenRangeAt(after.classIndex) : undefined;
  const column = cls && cls.start.line === after.firstLine && after.ttlIndex < 0 ? cls.start.character : 0;
  const lineText = after.src.text.slice(after.startOffset, after.startOffset + column);
  const gap = lineText.includes('\t') || column <= owner.length ? '\t' : ' '.repeat(column - owner.length);
  const text = `v=DMARC1; p=none; rua=mailto:postmaster@${domain}`;
  const nl = after.src.text.includes('\r\n') ? '\r\n' : '\n';
  return { text: `${owner}${ttl}${ttl ? ' ' : gap}IN TXT "${text}"`, nl };
}
