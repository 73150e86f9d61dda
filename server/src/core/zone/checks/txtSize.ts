// The size of a TXT answer. A classic DNS answer over UDP holds 512 bytes (RFC 1035 §4.2.1);
// larger ones need EDNS0 (which nearly every resolver sends) or a retry over TCP. A 4096-bit
// DKIM key or a long SPF record at a name with several TXT records crosses the limit: worth
// knowing when DNS over TCP is filtered somewhere, nothing more.

import type { Finding } from '../../types';
import { F_QUOTED, F_UNTERMINATED } from '../tree';
import { valueByteLength } from '../escapes';
import { txtStrings } from '../strings';
import { isGenericRdata } from '../record-checks';
import { recordHead } from './zoneChecks';
import { wireLength } from './values';
import { policyRecordOf } from './txtChecks';
import { withoutDot } from './origin';
import type { ZoneFile, ZoneRR } from './zoneData';
import { TXT } from './zoneData';

const UDP_LIMIT = 512;
/** Header 12; question: name + type and class 4; per answer: name pointer 2, type, class, TTL, length 10. */
const HEADER = 12, QUESTION_TAIL = 4, ANSWER_FIXED = 12;

/** RDATA length of a TXT record: a length byte plus the bytes of each character-string. */
export function txtRdataLength(rr: ZoneRR): number {
  const r = rr.record;
  if (isGenericRdata(r)) return 0;
  const text = r.src.text;
  let n = 0;
  for (let i = r.rdataStart; i < r.tokenCount; i++) {
    const flags = r.tokenFlags(i);
    const offset = r.tokenOffset(i);
    const length = r.tokenLength(i);
    n += 1 + (flags & F_QUOTED
      ? valueByteLength(text, offset + 1, offset + length - (flags & F_UNTERMINATED ? 0 : 1))
      : valueByteLength(text, offset, offset + length));
  }
  return n;
}

/** Information findings for TXT answers of the file's owners that exceed 512 bytes. */
export function checkTxtSizes(file: ZoneFile, out: Finding[]): void {
  const done = new Set<string>();
  for (const rr of file.rrs) {
    if (rr.record.typeCode !== TXT || done.has(rr.key)) continue;
    if (rr.group.length > 1) done.add(rr.key);
    checkTxtSizeAt(rr, file, out);
  }
}

/** Whether the TXT answer of rr's name is checked with rr: the name's first TXT record in `file`. */
export function isTxtSizeAnchor(rr: ZoneRR, file: ZoneFile): boolean {
  if (rr.record.typeCode !== TXT) return false;
  for (const x of rr.group) if (x.file === file && x.record.typeCode === TXT) return x === rr;
  return false;
}

/** The TXT answer of rr's name (rr: its first TXT record in `file`). */
export function checkTxtSizeAt(rr: ZoneRR, file: ZoneFile, out: Finding[]): void {
  const group = rr.group;
  let size = 0;
  let biggest = rr;
  let biggestLength = -1;
  let count = 0;
  if (group.length === 1) {
    biggestLength = txtRdataLength(rr);
    size = ANSWER_FIXED + biggestLength;
    count = 1;
  } else {
    for (const x of group) {
      if (x.record.typeCode !== TXT) continue;
      const l = txtRdataLength(x);
      size += ANSWER_FIXED + l;
      count++;
      if (x.file === file && l > biggestLength) { biggest = x; biggestLength = l; }
    }
  }
  if (size + HEADER + QUESTION_TAIL < UDP_LIMIT - 255) return; // cheap exit before the name's length
  const total = size + HEADER + wireLength(rr.owner) + QUESTION_TAIL;
  if (total <= UDP_LIMIT) return;
  if (txtStrings(biggest.record).length === 0) return;
  // An SPF record over 512 bytes on its own is the SPF checker's finding (spf/record-too-long).
  const p = policyRecordOf(biggest);
  if (p.kind === 'spf' && p.text.value.length > UDP_LIMIT) return;
  out.push({
    range: recordHead(biggest),
    severity: 'information',
    code: 'zone/txt-exceeds-udp',
    message: `The TXT answer for ${withoutDot(rr.owner)} is about ${total} bytes (${count === 1 ? 'this record' : `${count} TXT records`}), more than a classic 512-byte DNS answer over UDP holds. Resolvers with EDNS0 (nearly all) get it in one piece; others retry over TCP, so DNS over TCP (port 53) must not be blocked.${count > 1 ? ' Every TXT query for this name returns all its TXT records: moving unrelated ones (site verifications) elsewhere makes the answer smaller.' : ''}`,
  });
}
