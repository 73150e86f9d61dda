// Checks of one record's data, for the types a mail domain uses: addresses (A, AAAA), numbers
// (MX preference, SRV, CAA, TLSA, SOA), domain names (owner and rdata: empty or long labels,
// an IP address where a host name belongs, a relative name that was meant absolute), and the
// TLSA/CAA fields a receiver or a CA reads. Each check looks at one record only, so it runs
// per record on the keystroke path; checks across records live in zoneChecks.ts.

import type { Finding, Range } from '../../types';
import { range } from '../../types';
import type { ZoneRecord } from '../tree';
import { tokenRange } from '../tree';
import { isAbsoluteName } from '../names';
import { isGenericRdata } from '../record-checks';
import { parseTtl, TTL_INVALID, TTL_OVERFLOW } from '../ttl';
import { absoluteIn, effectiveOrigin, nameKey, withoutDot } from './origin';
import { hexProblem, isDigits, isIPv4, isIPv6, looksLikeAddress, nameProblem, parseDecimal } from './values';
import type { ZoneData, ZoneRR } from './zoneData';
import { A, AAAA, CAA, CNAME, DNAME, MX, NS, PTR, SOA, SRV, TLSA } from './zoneData';

/** Where a name-valued rdata field sits, and what to call it in messages. */
const NAME_FIELDS: Record<number, Array<[index: number, label: string]>> = {
  [NS]: [[0, 'name server']],
  [CNAME]: [[0, 'CNAME target']],
  [DNAME]: [[0, 'DNAME target']],
  [PTR]: [[0, 'PTR target']],
  [MX]: [[1, 'mail exchanger']],
  [SRV]: [[3, 'SRV target']],
  [SOA]: [[0, 'primary name server'], [1, 'responsible mailbox']],
};

/** The rdata fields a shallow check found complete and valid enough to read. */
function readable(record: ZoneRecord): boolean {
  if (record.findings) for (const f of record.findings) if (f.severity === 'error') return false;
  return record.rdataCount > 0 && !isGenericRdata(record);
}

/** Checks of one record's owner and data. */
export function checkRecord(rr: ZoneRR, data: ZoneData, out: Finding[]): void {
  const record = rr.record;
  checkOwner(rr, data, out);
  if (!readable(record)) return;
  switch (record.typeCode) {
    case A: checkAddress(record, 4, out); break;
    case AAAA: checkAddress(record, 6, out); break;
    case MX: checkNumber(record, 0, 65535, 'MX preference', out); break;
    case SRV:
      checkNumber(record, 0, 65535, 'SRV priority', out);
      checkNumber(record, 1, 65535, 'SRV weight', out);
      checkNumber(record, 2, 65535, 'SRV port', out);
      break;
    case SOA: checkSoaNumbers(record, out); break;
    case CAA: checkCaa(record, out); break;
    case TLSA: checkTlsa(record, out); break;
  }
  const fields = NAME_FIELDS[record.typeCode];
  if (fields) for (const [index, label] of fields) if (index < record.rdataCount) checkRdataName(rr, data, index, label, out);
}

function checkOwner(rr: ZoneRR, data: ZoneData, out: Finding[]): void {
  const record = rr.record;
  if (record.ownerInherited) return; // reported where the owner is written
  const tok = record.token(0);
  const problem = nameProblem(rr.owner);
  if (problem) {
    out.push(badName(tokenRange(tok), tok.text, rr.owner, problem, 'owner name'));
    return;
  }
  const origin = effectiveOrigin(record.ownerOrigin, rr.file.base);
  const doubled = doubledOrigin(tok.text, origin, data.apex);
  if (doubled) out.push(relativeMeantAbsolute(tok.line, tok.end, tok.text, rr.owner, doubled, 'owner name'));
}

function checkRdataName(rr: ZoneRR, data: ZoneData, index: number, label: string, out: Finding[]): void {
  const record = rr.record;
  const tok = record.rdataToken(index);
  const text = tok.text;
  const origin = effectiveOrigin(record.origin, rr.file.base);
  const absolute = absoluteIn(text, record.origin, rr.file.base);
  const type = record.typeCode;
  if ((type === MX || type === NS) && looksLikeAddress(text)) {
    out.push({
      range: tokenRange(tok),
      severity: 'error',
      code: 'zone/target-is-address',
      message: type === MX
        ? `An MX record names a host, not an address: "${text}" is read as the host name ${absolute}, which does not exist, and mail servers refuse a numeric MX host (Postfix: "numeric domain name in resource data of MX record"). Mail to ${withoutDot(rr.owner)} cannot be delivered through it. Point the MX at a name (mail.${withoutDot(data.apex || rr.owner)}.) that has an A record with this address.`
        : `An NS record names a host, not an address: "${text}" is read as the host name ${absolute}. BIND rejects the zone ("NS record appears to be an address"). Point the NS at a name that has an A record with this address.`,
    });
    return;
  }
  if (text === '.' && (type === MX || type === SRV)) return; // null MX (RFC 7505), "no service" SRV
  const problem = nameProblem(absolute);
  if (problem) {
    out.push(badName(tokenRange(tok), text, absolute, problem, label));
    return;
  }
  if (type === SOA && index === 1) {
    const at = text.indexOf('@');
    if (at > 0) {
      out.push({
        range: tokenRange(tok),
        severity: 'warning',
        code: 'zone/soa-mailbox-with-at',
        message: `The SOA mailbox is written as a domain name, with a dot instead of "@": "${text}" is the mailbox of the host ${text.slice(at + 1)}, with "@" as part of a name. Write ${text.slice(0, at)}.${text.slice(at + 1)}${isAbsoluteName(text) ? '' : '.'} (a dot inside the local part is written "\\.").`,
      });
      return;
    }
  }
  const doubled = doubledOrigin(text, origin, data.apex) ?? reverseZoneTarget(record, text, origin);
  if (doubled) out.push(relativeMeantAbsolute(tok.line, tok.end, text, absolute, doubled, label));
}

/**
 * The origin a relative name repeats (`mail.example.org` under `example.org.` becomes
 * `mail.example.org.example.org.`), or undefined. Checks the `$ORIGIN` in effect and the
 * zone apex.
 */
export function doubledOrigin(text: string, origin: string, apex: string): string | undefined {
  if (text === '@' || text === '' || isAbsoluteName(text)) return undefined;
  const t = nameKey(text);
  if (endsWithOrigin(t, origin)) return origin;
  if (origin !== apex && endsWithOrigin(t, apex)) return apex;
  return undefined;
}

let lastOrigin = '';
let lastBare = '';

/** `t` (lower case, relative) is the origin without its dot, or ends with `.` + it. */
function endsWithOrigin(t: string, origin: string): boolean {
  if (!isAbsoluteName(origin) || origin === '.') return false;
  if (origin !== lastOrigin) { lastOrigin = origin; lastBare = nameKey(origin.slice(0, -1)); }
  const bare = lastBare;
  // Cheap exit first: most names are shorter than the origin they hang off.
  if (t.length < bare.length) return false;
  return t === bare || (t.length > bare.length && t.charCodeAt(t.length - bare.length - 1) === 46 && t.endsWith(bare));
}

/** In a reverse zone, a PTR target that reads like a full host name (`mail.example.org`). */
function reverseZoneTarget(record: ZoneRecord, text: string, origin: string): string | undefined {
  if (record.typeCode !== PTR || isAbsoluteName(text) || !/\.(in-addr|ip6)\.arpa\.$/i.test(origin)) return undefined;
  const last = text.slice(text.lastIndexOf('.') + 1);
  return text.includes('.') && /^[a-z][a-z0-9-]*$/i.test(last) && last.toLowerCase() !== 'arpa' ? origin : undefined;
}

function relativeMeantAbsolute(line: number, end: number, text: string, absolute: string, origin: string, label: string): Finding {
  return {
    range: range(line, end - text.length, line, end),
    severity: 'warning',
    code: 'zone/relative-name',
    message: `The ${label} "${text}" has no final dot, so it is relative to the origin ${origin} and becomes "${absolute}". A name written in full needs the final dot: "${text}.".`,
    fixes: [{ title: `Add the final dot: ${text}.`, preferred: true, edits: [{ range: range(line, end, line, end), newText: '.' }] }],
  };
}

function badName(r: Range, text: string, absolute: string, problem: NonNullable<ReturnType<typeof nameProblem>>, label: string): Finding {
  const why = problem.problem === 'empty-label'
    ? `has an empty label (two dots in a row, or a leading dot)`
    : problem.problem === 'label-too-long'
      ? `has a label longer than 63 bytes ("${problem.label!.slice(0, 20)}…")`
      : `is longer than 255 bytes once made absolute (${absolute.slice(0, 30)}…)`;
  return {
    range: r,
    severity: 'error',
    code: 'zone/bad-name',
    message: `The ${label} "${text.length > 60 ? text.slice(0, 59) + '…' : text}" ${why}. DNS names cannot be written so; BIND rejects the zone ("${problem.problem === 'empty-label' ? 'empty label' : problem.problem === 'label-too-long' ? 'label too long' : 'ran out of space'}"). Fix the name.`,
  };
}

function checkAddress(record: ZoneRecord, family: 4 | 6, out: Finding[]): void {
  const tok = record.rdataToken(0);
  const text = tok.text;
  if (!tok.quoted && (family === 4 ? isIPv4(text) : isIPv6(text))) return;
  const other = family === 4 ? isIPv6(text) : isIPv4(text);
  let hint: string;
  if (other) hint = family === 4 ? ' This is an IPv6 address: publish it in an AAAA record.' : ' This is an IPv4 address: publish it in an A record.';
  else if (family === 4 && /^\d+(\.\d+){3}$/.test(text)) hint = ' Each of the four numbers must be 0–255, written without leading zeros (BIND reads none as octal and refuses them).';
  else if (family === 4) hint = ' An A record holds four decimal numbers 0–255 separated by dots, e.g. 192.0.2.1.';
  else hint = ' An AAAA record holds eight groups of up to four hex digits separated by colons, "::" once for a run of zeros, e.g. 2001:db8::1.';
  out.push({
    range: tokenRange(tok),
    severity: 'error',
    code: 'zone/bad-address',
    message: `"${text}" is not an IPv${family} address, so BIND rejects the zone ("bad dotted quad" / "bad IPv6 address").${hint}`,
  });
}

function numberFinding(record: ZoneRecord, index: number, what: string, text: string, max: number, extra = ''): Finding {
  const tok = record.rdataToken(index);
  return {
    range: tokenRange(tok),
    severity: 'error',
    code: 'zone/bad-number',
    message: isDigits(text)
      ? `The ${what} ${text} is out of range: it must be 0–${max}. BIND rejects the zone ("out of range").${extra}`
      : `The ${what} must be a decimal number 0–${max}, not "${text}". BIND rejects the zone ("not a valid number").${extra}`,
  };
}

function checkNumber(record: ZoneRecord, index: number, max: number, what: string, out: Finding[]): number | undefined {
  if (index >= record.rdataCount) return undefined;
  const text = record.tokenText(record.rdataStart + index);
  const v = parseDecimal(text, max);
  if (v === undefined) out.push(numberFinding(record, index, what, text, max, what === 'MX preference' ? ' Lower values are tried first; 10 is usual.' : ''));
  return v;
}

function checkSoaNumbers(record: ZoneRecord, out: Finding[]): void {
  if (record.rdataCount < 7) return;
  checkNumber(record, 2, 4294967295, 'SOA serial', out);
  const names = ['refresh', 'retry', 'expire', 'minimum (negative-caching TTL)'];
  for (let k = 0; k < 4; k++) {
    const i = 3 + k;
    const text = record.tokenText(record.rdataStart + i);
    const v = parseTtl(text);
    if (v === TTL_INVALID || v === TTL_OVERFLOW) {
      out.push({
        range: tokenRange(record.rdataToken(i)),
        severity: 'error',
        code: 'zone/bad-number',
        message: `The SOA ${names[k]} "${text}" is not a time: write seconds (3600) or a number with units w, d, h, m, s (1h, 2w). BIND rejects the zone.`,
      });
    }
  }
}

function checkCaa(record: ZoneRecord, out: Finding[]): void {
  if (record.rdataCount < 3) return;
  checkNumber(record, 0, 255, 'CAA flags value', out);
  const tok = record.rdataToken(1);
  const tag = tok.text;
  if (tok.quoted || !/^[A-Za-z0-9]+$/.test(tag)) {
    out.push({
      range: tokenRange(tok),
      severity: 'error',
      code: 'zone/bad-caa-tag',
      message: `The CAA tag "${tag}" may hold only letters and digits (RFC 8659 §4.1). BIND rejects the zone ("syntax error"). The usual tags are issue, issuewild and iodef.`,
    });
    return;
  }
  if (!KNOWN_CAA_TAGS.has(tag.toLowerCase())) {
    out.push({
      range: tokenRange(tok),
      severity: 'warning',
      code: 'zone/unknown-caa-tag',
      message: `"${tag}" is not a registered CAA tag, so certificate authorities ignore this record${record.tokenText(record.rdataStart) === '128' ? ' — and with the critical flag 128 they refuse to issue any certificate' : ''}. Did you mean issue, issuewild or iodef?`,
    });
  }
}

const KNOWN_CAA_TAGS = new Set(['issue', 'issuewild', 'iodef', 'contactemail', 'contactphone', 'issuemail', 'issuevmc']);

function checkTlsa(record: ZoneRecord, out: Finding[]): void {
  if (record.rdataCount < 4) return;
  const usage = checkNumber(record, 0, 255, 'TLSA certificate usage', out);
  const selector = checkNumber(record, 1, 255, 'TLSA selector', out);
  const mtype = checkNumber(record, 2, 255, 'TLSA matching type', out);
  let hex = '';
  for (let i = 3; i < record.rdataCount; i++) hex += record.tokenText(record.rdataStart + i);
  const first = record.rdataToken(3);
  const last = record.rdataToken(record.rdataCount - 1);
  const dataRange = range(first.line, first.start, last.line, last.end);
  const problem = hexProblem(hex);
  if (problem) {
    out.push({
      range: dataRange,
      severity: 'error',
      code: 'zone/bad-hex',
      message: problem === 'not-hex'
        ? 'The TLSA certificate data must be hexadecimal digits (0-9, a-f). BIND rejects the zone ("bad hex encoding").'
        : `The TLSA certificate data has an odd number of hex digits (${hex.length}): a byte is two digits, one is missing or extra. BIND rejects the zone ("bad hex encoding").`,
    });
    return;
  }
  const expected = mtype === 1 ? 64 : mtype === 2 ? 128 : undefined;
  if (expected !== undefined && hex.length !== expected) {
    out.push({
      range: dataRange,
      severity: 'error',
      code: 'zone/tlsa-digest-length',
      message: `Matching type ${mtype} is a SHA-${mtype === 1 ? 256 : 512} digest of ${expected / 2} bytes (${expected} hex digits), but ${hex.length} are given. The record can never match: DANE-validating senders (Postfix with smtp_tls_security_level = dane) defer mail to this host. Publish the full digest.`,
    });
  }
  if (usage !== undefined && usage > 3) {
    out.push({ range: tokenRange(record.rdataToken(0)), severity: 'warning', code: 'zone/tlsa-unknown-parameter', message: `TLSA certificate usage ${usage} is not defined (0–3; SMTP uses 3, DANE-EE, or 2, DANE-TA). Senders treat the record as unusable.` });
  }
  if (selector !== undefined && selector > 1) {
    out.push({ range: tokenRange(record.rdataToken(1)), severity: 'warning', code: 'zone/tlsa-unknown-parameter', message: `TLSA selector ${selector} is not defined (0 = full certificate, 1 = public key). Senders treat the record as unusable.` });
  }
  if (mtype !== undefined && mtype > 2) {
    out.push({ range: tokenRange(record.rdataToken(2)), severity: 'warning', code: 'zone/tlsa-unknown-parameter', message: `TLSA matching type ${mtype} is not defined (0 = exact, 1 = SHA-256, 2 = SHA-512). Senders treat the record as unusable.` });
  }
}
