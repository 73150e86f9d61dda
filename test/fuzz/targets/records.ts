// Fuzz targets for the TXT payloads (SPF, DKIM, DMARC, MTA-STS, TLS-RPT) and the small
// parsers below the file parsers: every checker on every value (a DMARC checker must
// survive an SPF record and binary junk), hovers at any offset, SPF macro expansion, the
// SPF lookup counter over a resolver with loops, and the round trips where we have a
// printer: zone character-strings (quoteAsCharacterStrings → zone parser) and IP addresses.

import fc from 'fast-check';
import { parseSpfRecord, checkSpfRecord, checkSpfRecordSet, looksLikeSpf, spfHover, countRecordLookups, parseMacroString, expandMacroString } from '../../../server/src/core/records/spf/index';
import { checkDkimKeyRecord, checkDkimRecordSet, dkimPublicKeyOf, isDkimText } from '../../../server/src/core/records/dkim/index';
import { checkDmarcRecord, checkDmarcRecordSet, isDmarcText } from '../../../server/src/core/records/dmarc/dmarcRecord';
import { checkMtaStsRecord, checkMtaStsRecordSet, isMtaStsText } from '../../../server/src/core/records/mtasts/mtaStsRecord';
import { checkTlsRptRecord, checkTlsRptRecordSet, isTlsRptText } from '../../../server/src/core/records/tlsrpt/tlsRptRecord';
import { parseTagList, recordTextFromPresentation, recordTextFromString, parseReportUri } from '../../../server/src/core/records/tags/index';
import { checkBase64, decodeBase64, analyzeKeyBytes } from '../../../server/src/core/records/dkim/publicKey';
import type { RecordText } from '../../../server/src/core/records/recordText';
import { MemoryResolver } from '../../../server/src/core/dns/memoryResolver';
import { recordValueArb, SPF_WORDS, OWNERS } from './recordValues';
import { resolverArb } from './randomDns';
import { parseClientIp, formatIp } from '../../../server/src/core/records/spf/ip';
import { parseIPv4, parseIPv6, formatIPv4, formatIPv6 } from '../../../server/src/core/opendkim/ipAddress';
import { parseZoneTree } from '../../../server/src/core/zone/parser';
import { quoteAsCharacterStrings } from '../../../server/src/core/zone/strings';
import { txtValue } from '../../../server/src/core/zone/strings';
import { ZoneRecord } from '../../../server/src/core/zone/tree';
import { decodeEscapes } from '../../../server/src/core/zone/escapes';
import { parseTtl } from '../../../server/src/core/zone/ttl';
import { expandValue, splitList } from '../../../server/src/core/postfix/expand';
import { splitMilterList } from '../../../server/src/core/stack/milterLink';
import { postfixMilterEndpoint, normalizePath } from '../../../server/src/core/stack/milterEndpoints';
import type { Finding } from '../../../server/src/core/types';
import {
  anyText, applyEditsTracked, applyMutation, assertRangeInside, errorsMadeByEdits, linesOf, mutationArb, soup, target,
  type FuzzTarget,
} from '../harness';

type Checker = (rec: RecordText) => Finding[];

const CHECKERS: Array<[string, Checker]> = [
  ['spf', (r) => checkSpfRecord(r)],
  ['dkim', checkDkimKeyRecord],
  ['dmarc', (r) => checkDmarcRecord(r, { reportAuthorization: () => undefined })],
  ['mta-sts', checkMtaStsRecord],
  ['tls-rpt', checkTlsRptRecord],
];

function checkFindings(findings: Finding[], lines: readonly string[], what: string): void {
  for (const f of findings) {
    assertRangeInside(f.range, lines, `${what} ${f.code}`);
    if (!f.message) throw new Error(`${what} ${f.code}: no message`);
  }
}

/** Each fix applies to the value and makes no new error where it wrote. */
function checkRecordFixes(value: string, owner: string | undefined, checker: Checker, findings: Finding[], what: string): void {
  let n = 0;
  for (const f of findings) {
    for (const fix of f.fixes ?? []) {
      if (n++ >= 10) return;
      const edits = fix.edits.filter((e) => e.uri === undefined);
      const { text, spans } = applyEditsTracked(value, edits, `${what} fix "${fix.title}"`);
      const made = errorsMadeByEdits(findings, checker(recordTextFromString(text, owner === undefined ? {} : { owner })), text, spans);
      if (made.length) throw new Error(`${what}: fix "${fix.title}" of ${f.code} makes ${made.join(', ')}\nbefore: ${JSON.stringify(value)}\nafter: ${JSON.stringify(text)}`);
    }
  }
}

const recordCheckersTarget = target({
  name: 'record checkers (SPF, DKIM, DMARC, MTA-STS, TLS-RPT)',
  arbitrary: fc.record({ value: recordValueArb, owner: fc.constantFrom(...OWNERS), other: recordValueArb }),
  property: ({ value, owner, other }) => {
    const rec = recordTextFromString(value, owner === undefined ? {} : { owner });
    const lines = linesOf(value);
    for (const [name, check] of CHECKERS) {
      const findings = check(rec);
      checkFindings(findings, lines, name);
      checkRecordFixes(value, owner, check, findings, name);
    }
    // The record sets: two records at one name (one of them the same again).
    const second = recordTextFromString(other, owner === undefined ? {} : { owner });
    for (const set of [checkSpfRecordSet, checkDkimRecordSet, checkDmarcRecordSet, checkMtaStsRecordSet, checkTlsRptRecordSet]) {
      for (const f of set([rec, second, rec])) {
        // A set finding points into one of the records (both placed at 0:0).
        try {
          assertRangeInside(f.range, lines, `record set ${f.code}`);
        } catch {
          assertRangeInside(f.range, linesOf(other), `record set ${f.code}`);
        }
      }
    }
    for (const guess of [looksLikeSpf, isDkimText, isDmarcText, isMtaStsText, isTlsRptText]) {
      if (typeof guess(value) !== 'boolean') throw new Error('a classifier returned a non-boolean');
    }
    parseTagList(value);
    parseTagList(value, { caseInsensitiveNames: true });
    dkimPublicKeyOf(value);
  },
  ciRuns: 800,
});

/** Presentation format (`"a" "b" ( … )` with escapes), as dig prints and zones write. */
const presentationTarget = target({
  name: 'record text from presentation format',
  arbitrary: fc.record({
    value: recordValueArb,
    chunk: fc.integer({ min: 1, max: 300 }),
    mutations: fc.array(mutationArb, { maxLength: 4 }),
  }),
  property: ({ value, chunk, mutations }) => {
    let text = '';
    for (let i = 0; i < value.length || i === 0; i += chunk) text += (i ? ' ' : '') + JSON.stringify(value.slice(i, i + chunk));
    for (const m of mutations) text = applyMutation(text, m);
    const rec = recordTextFromPresentation(text, { owner: 'example.org' });
    const lines = linesOf(text);
    for (let i = 0; i <= rec.value.length; i += Math.max(1, rec.value.length >> 3)) {
      assertRangeInside(rec.rangeOf(i, Math.min(rec.value.length, i + 3)), lines, 'rangeOf');
    }
    for (const [name, check] of CHECKERS) checkFindings(check(rec), lines, `${name} (presentation)`);
  },
  ciRuns: 400,
});

const spfHoverTarget = target({
  name: 'SPF hover and lookup count',
  arbitrary: fc.record({ value: fc.oneof(soup(SPF_WORDS, 40), recordValueArb), offsets: fc.array(fc.integer({ min: -2, max: 400 }), { maxLength: 8 }), zone: resolverArb() }),
  property: ({ value, offsets, zone }) => {
    const record = parseSpfRecord(value);
    for (const t of record.terms) if (!(t.start >= 0 && t.start <= t.end && t.end <= value.length)) throw new Error(`term span ${t.start}-${t.end} outside the value`);
    for (const p of record.problems) if (!(p.start >= 0 && p.start <= p.end && p.end <= value.length)) throw new Error(`problem span outside the value: ${JSON.stringify(p)}`);
    const resolver = new MemoryResolver(zone);
    for (const o of offsets) {
      const h = spfHover(value, o, { owner: 'd0.example', resolver: resolver.sync });
      if (h && !(h.start >= 0 && h.start <= h.end && h.end <= value.length && h.markdown.length > 0)) throw new Error(`hover span ${h.start}-${h.end} outside the value`);
    }
    const count = countRecordLookups(record, 'd0.example', resolver.sync);
    if (!(count.total >= 0 && count.total <= 100)) throw new Error(`lookup count ${count.total}: the walk did not stop`);
  },
  ciRuns: 400,
});

const macroTarget = target({
  name: 'SPF macro parse and expansion',
  arbitrary: fc.record({
    text: fc.oneof(soup(['%{', 's', 'l', 'o', 'd', 'i', 'p', 'h', 'c', 'r', 't', 'v', 'S', 'D', 'I', 'x', '0', '1', '2', '9', '99999999999', 'r', '.', '-', '+', ',', '/', '_', '=', '}', '%%', '%_', '%-', '%', 'a', ' '], 30), anyText),
    explanation: fc.boolean(),
    values: fc.array(fc.oneof(anyText, fc.constantFrom('', 'a.b.c.d.e', 'x'.repeat(5000), 'strong-bad@email.example.com', '1.2.0.192')), { minLength: 10, maxLength: 10 }),
  }),
  property: async ({ text, explanation, values }) => {
    const macro = parseMacroString(text, 0, text.length, explanation);
    for (const p of [...macro.parts, ...macro.problems]) if (!(p.start >= 0 && p.start <= p.end && p.end <= text.length)) throw new Error(`macro span outside the text: ${JSON.stringify(p)}`);
    const [sender, local, senderDomain, domain, ipDotted, ipText, helo, receiver, timestamp, validated] = values;
    const out = await expandMacroString(macro, {
      sender, local, senderDomain, domain, ipDotted, ipText, ipVersion: 'in-addr', helo, receiver, timestamp, validatedName: async () => validated,
    });
    if (typeof out !== 'string') throw new Error('expansion is not a string');
    // Without macros the expansion is the text with %% %_ %- resolved.
    if (!macro.hasMacros && macro.problems.length === 0) {
      const want = text.replace(/%([%_-])/g, (_, c: string) => (c === '%' ? '%' : c === '_' ? ' ' : '%20'));
      if (out !== want) throw new Error(`literal expansion ${JSON.stringify(out)}, expected ${JSON.stringify(want)}`);
    }
  },
  ciRuns: 600,
});

// ---------------------------------------------------------------------------------------
// Round trips where a printer exists

const characterStringsTarget = target({
  name: 'zone character-strings round trip (quoteAsCharacterStrings → zone parser)',
  arbitrary: fc.oneof(recordValueArb, fc.string({ unit: 'grapheme-ascii', maxLength: 700 })),
  property: (value) => {
    // The printer writes ASCII-sized strings; every code unit is kept (escaped when a control).
    const zone = `@ 3600 IN TXT ${quoteAsCharacterStrings(value)}\n`;
    const tree = parseZoneTree(zone);
    const rr = tree.entries.find((e): e is ZoneRecord => e instanceof ZoneRecord);
    if (!rr) throw new Error(`no record parsed from ${JSON.stringify(zone)}`);
    // \DDD decodes to a byte: a value's own characters above 255 come back as themselves.
    const back = txtValue(rr);
    if (back !== value) throw new Error(`round trip changed the value\nwas:  ${JSON.stringify(value)}\nnow:  ${JSON.stringify(back)}\nzone: ${JSON.stringify(zone)}`);
    // parse → print → parse is stable.
    const again = parseZoneTree(`@ 3600 IN TXT ${quoteAsCharacterStrings(back)}\n`).entries.find((e): e is ZoneRecord => e instanceof ZoneRecord);
    if (!again || txtValue(again) !== back) throw new Error('second round trip differs');
    if (decodeEscapes(JSON.stringify(value).slice(1, -1).replace(/\\u[0-9a-f]{4}/g, '')) === undefined) throw new Error('decodeEscapes returned nothing');
  },
  ciRuns: 600,
});

const ipTarget = target({
  name: 'IP address parse → format → parse',
  arbitrary: fc.oneof(
    fc.ipV4(), fc.ipV6(), fc.ipV4Extended(),
    soup(['1', '0', '255', '256', '.', ':', '::', 'ffff', 'a', 'g', '%eth0', '/', ' ', '00', '1234', '12345'], 12),
  ),
  property: (text) => {
    const v4 = parseIPv4(text);
    if (v4 && JSON.stringify(parseIPv4(formatIPv4(v4))) !== JSON.stringify(v4)) throw new Error(`IPv4 ${text} → ${formatIPv4(v4)} does not parse back`);
    const v6 = parseIPv6(text);
    if (v6 && JSON.stringify(parseIPv6(formatIPv6(v6))) !== JSON.stringify(v6)) throw new Error(`IPv6 ${text} → ${formatIPv6(v6)} does not parse back`);
    const client = parseClientIp(text);
    if (client) {
      const again = parseClientIp(formatIp(client));
      if (!again || JSON.stringify(again) !== JSON.stringify(client)) throw new Error(`client IP ${text} → ${formatIp(client)} does not parse back`);
    }
  },
  ciRuns: 800,
});

/** Small parsers and helpers below the file parsers: none may throw. */
const smallParsersTarget = target({
  name: 'small parsers (TTL, escapes, base64 keys, report URIs, Postfix expansion, milter lists)',
  arbitrary: fc.oneof(anyText, recordValueArb, soup(['$', '{', '}', '(', ')', 'a', '_', ',', ' ', ':', 'inet', 'unix', 'local', '/', '@', '[', ']', '1', 'h', 'w', 'd', '\\', '0', '9', 'mailto:', '!', 'm'], 30)),
  property: (text) => {
    const ttl = parseTtl(text);
    if (typeof ttl !== 'number') throw new Error('parseTtl returned a non-number');
    decodeEscapes(text);
    const b64 = checkBase64(text);
    if (b64.badIndex < 0) {
      const bytes = decodeBase64(b64.compact);
      analyzeKeyBytes(bytes, 'rsa');
      analyzeKeyBytes(bytes, 'ed25519');
    }
    parseReportUri({ text, start: 0, end: text.length }, { schemes: ['mailto', 'https'], sizeSuffix: true });
    // Every name is set to a value that refers to another (and to itself): cycles, growth.
    const expansion = expandValue(text, (name) => (name.length % 3 === 0 ? { kind: 'undefined' } : name.length % 3 === 1 ? { kind: 'value', text: `$${name}x \${${name}} $(a)` } : { kind: 'computed' }), { limit: 50 });
    if (!expansion) throw new Error('expandValue returned nothing');
    splitList(text);
    for (const m of splitMilterList(text)) postfixMilterEndpoint(m, { chrooted: text.length % 2 === 0, queueDirectory: '/var/spool/postfix' });
    normalizePath(text);
  },
  ciRuns: 800,
});

export const recordTargets: FuzzTarget<any>[] = [
  recordCheckersTarget, presentationTarget, spfHoverTarget, macroTarget, characterStringsTarget, ipTarget, smallParsersTarget,
];
