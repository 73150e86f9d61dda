// Every syntax finding of the zone parser, with its exact range and severity.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, records, wheres } from './helpers';

function only(text: string): { code: string; severity: string; at: string; message: string } {
  const { findings } = parse(text);
  assert.equal(findings.length, 1, `exactly one finding for ${JSON.stringify(text)}: ${JSON.stringify(wheres(findings))}`);
  const f = findings[0];
  return { code: f.code, severity: f.severity, at: wheres([f])[0].split('@')[1], message: f.message };
}

test('zone/unbalanced-parentheses: a stray ) is underlined', () => {
  const f = only('x A 192.0.2.1 )\n');
  assert.deepEqual([f.code, f.severity, f.at], ['zone/unbalanced-parentheses', 'error', '0:14-0:15']);
});

test('zone/unbalanced-parentheses: an unclosed ( is underlined and the record ends before the next record line', () => {
  const { tree, findings } = parse('a TXT ( "x"\n  "y"\nb A 192.0.2.1\n\tMX 10 b\n');
  assert.deepEqual(wheres(findings), ['zone/unbalanced-parentheses@0:6-0:7']);
  assert.equal(tree.unbalancedToEnd, true);
  const [a, b, mx] = records(tree);
  assert.deepEqual([a.firstLine, a.lastLine, a.rdata.map((t) => t.value)], [0, 1, ['x', 'y']]);
  assert.deepEqual([b.owner.text, b.typeName], ['b', 'A']);
  assert.deepEqual([mx.owner.text, mx.ownerInherited, mx.typeName], ['b', true, 'MX']);
});

test('zone/unterminated-string: from the quote to the end of the line; the next line is a new record', () => {
  const { tree, findings } = parse('x TXT "v=spf1 mx\ny A 192.0.2.1\n');
  assert.deepEqual(wheres(findings), ['zone/unterminated-string@0:6-0:16']);
  assert.equal(records(tree)[0].rdata[0].value, 'v=spf1 mx');
  assert.equal(records(tree)[1].typeName, 'A');
});

test('zone/unterminated-string at the end of the text', () => {
  const f = only('x TXT "abc');
  assert.deepEqual([f.code, f.at], ['zone/unterminated-string', '0:6-0:10']);
});

test('zone/bad-escape: \\DDD above 255, short \\DD, backslash at the end of a line', () => {
  assert.deepEqual(wheres(parse('x TXT "\\256"\n').findings), ['zone/bad-escape@0:7-0:11']);
  assert.deepEqual(wheres(parse('x TXT "\\25"\n').findings), ['zone/bad-escape@0:7-0:10']);
  assert.deepEqual(wheres(parse('x TXT abc\\\n').findings), ['zone/bad-escape@0:9-0:10']);
});

test('zone/unknown-directive', () => {
  const f = only('$FOO bar\n');
  assert.deepEqual([f.code, f.severity, f.at], ['zone/unknown-directive', 'error', '0:0-0:4']);
});

test('zone/missing-argument and zone/extra-argument on directives', () => {
  assert.deepEqual(wheres(parse('$ORIGIN\n').findings), ['zone/missing-argument@0:0-0:7']);
  assert.deepEqual(wheres(parse('$TTL\n').findings), ['zone/missing-argument@0:0-0:4']);
  assert.deepEqual(wheres(parse('$ORIGIN a. b.\n').findings), ['zone/extra-argument@0:11-0:13']);
  assert.deepEqual(wheres(parse('$TTL 1h extra words\n').findings), ['zone/extra-argument@0:8-0:19']);
  assert.deepEqual(wheres(parse('$INCLUDE f o. extra\n').findings), ['zone/extra-argument@0:14-0:19']);
  assert.deepEqual(wheres(parse('$GENERATE 1-3 host$ A\n').findings), ['zone/missing-argument@0:0-0:9']);
});

test('zone/missing-type: on the last token of the record', () => {
  assert.deepEqual(wheres(parse('lonely\n').findings), ['zone/missing-type@0:0-0:6']);
  assert.deepEqual(wheres(parse('x 3600 IN\n').findings), ['zone/missing-type@0:7-0:9']);
});

test('zone/unknown-type: any word that is no type, a second TTL, a TTL-like word that is not one', () => {
  assert.deepEqual(wheres(parse('x IN FOO bar\n').findings), ['zone/unknown-type@0:5-0:8']);
  const second = parse('x 3600 IN 7200 A 192.0.2.1\n').findings;
  assert.deepEqual(wheres(second), ['zone/unknown-type@0:10-0:14']);
  assert.match(second[0].message, /already has a TTL/);
  assert.deepEqual(wheres(parse('x IN "TXT" a\n').findings), ['zone/unknown-type@0:5-0:10']);
  // Every IANA mnemonic and TYPEnnn is accepted.
  for (const t of ['A', 'NS', 'SOA', 'PTR', 'HINFO', 'MX', 'TXT', 'RP', 'AFSDB', 'AAAA', 'LOC', 'SRV', 'NAPTR', 'KX', 'CERT', 'DNAME', 'APL', 'DS',
    'SSHFP', 'IPSECKEY', 'RRSIG', 'NSEC', 'DNSKEY', 'DHCID', 'NSEC3', 'NSEC3PARAM', 'TLSA', 'SMIMEA', 'HIP', 'CDS', 'CDNSKEY', 'OPENPGPKEY',
    'CSYNC', 'ZONEMD', 'SVCB', 'HTTPS', 'DSYNC', 'SPF', 'NID', 'L32', 'L64', 'LP', 'EUI48', 'EUI64', 'URI', 'CAA', 'AVC', 'AMTRELAY',
    'RESINFO', 'WALLET', 'TA', 'NULL', 'WKS', 'X25', 'ISDN', 'RT', 'NSAP', 'NSAP-PTR', 'SIG', 'KEY', 'PX', 'GPOS', 'TYPE1', 'type65535', 'nsec3param']) {
    const codes = parse(`x ${t} \\# 0\n`).findings.map((f) => f.code);
    assert.ok(!codes.includes('zone/unknown-type'), `${t} is known`);
  }
  assert.deepEqual(wheres(parse('x TYPE65536 \\# 0\n').findings), ['zone/unknown-type@0:2-0:11']);
});

test('zone/meta-type: query types cannot be data', () => {
  const f = only('x AXFR \\# 0\n');
  assert.deepEqual([f.code, f.severity, f.at], ['zone/meta-type', 'error', '0:2-0:6']);
});

test('zone/nonstandard-type: gdnsd DYNA is a warning, not an error', () => {
  const f = only('@ DYNA geoip!cp\n');
  assert.deepEqual([f.code, f.severity, f.at], ['zone/nonstandard-type', 'warning', '0:2-0:6']);
  assert.match(f.message, /gdnsd/);
});

test('zone/bad-ttl: record TTL and $TTL', () => {
  assert.deepEqual(wheres(parse('x 1x A 192.0.2.1\n').findings), ['zone/bad-ttl@0:2-0:4']);
  assert.deepEqual(wheres(parse('x 1h1 A 192.0.2.1\n').findings), ['zone/bad-ttl@0:2-0:5']);
  assert.deepEqual(wheres(parse('x 4294967296 A 192.0.2.1\n').findings), ['zone/bad-ttl@0:2-0:12']);
  assert.deepEqual(wheres(parse('$TTL abc\n').findings), ['zone/bad-ttl@0:5-0:8']);
  assert.deepEqual(wheres(parse('$TTL 1d2\n').findings), ['zone/bad-ttl@0:5-0:8']);
});

test('zone/ttl-too-large: above 2^31-1 counts as 0 (warning)', () => {
  const { tree, findings } = parse('x 4294967295 A 192.0.2.1\n');
  assert.deepEqual(wheres(findings), ['zone/ttl-too-large@0:2-0:12']);
  assert.equal(findings[0].severity, 'warning');
  assert.equal(records(tree)[0].ttlSeconds, 0);
});

test('zone/missing-rdata: fixed field counts per type', () => {
  assert.deepEqual(wheres(parse('x A\n').findings), ['zone/missing-rdata@0:2-0:3']);
  assert.deepEqual(wheres(parse('x MX 10\n').findings), ['zone/missing-rdata@0:2-0:7']);
  assert.deepEqual(wheres(parse('x TXT\n').findings), ['zone/missing-rdata@0:2-0:5']);
  const soa = parse('@ IN SOA ns1 hostmaster 1\n').findings;
  assert.deepEqual(wheres(soa), ['zone/missing-rdata@0:5-0:25']);
  assert.match(soa[0].message, /refresh, retry, expire, minimum are missing/);
  assert.match(soa[0].message, /parentheses/);
  assert.deepEqual(wheres(parse('x SRV 0 5 5060\n').findings), ['zone/missing-rdata@0:2-0:14']);
  assert.deepEqual(wheres(parse('x TYPE1 \\#\n').findings), ['zone/missing-rdata@0:8-0:10']);
  assert.deepEqual(wheres(parse('x TYPE1 \\# 4\n').findings), ['zone/missing-rdata@0:2-0:12']);
});

test('zone/generic-rdata-required: NULL and TYPEnnn without a mnemonic need \\# LENGTH HEX', () => {
  assert.deepEqual(wheres(parse('x TYPE999 abc def\n').findings), ['zone/generic-rdata-required@0:10-0:17']);
  assert.deepEqual(wheres(parse('x NULL\n').findings), ['zone/generic-rdata-required@0:2-0:6']);
  assert.deepEqual(parse('x TYPE999 \\# 1 00\nx NULL \\# 0\n').findings, []);
  // For TXT, \# without a length is the text "#", as BIND reads it.
  assert.deepEqual(parse('x TXT \\#\n').findings, []);
  assert.deepEqual(wheres(parse('x TXT \\# 2\n').findings), ['zone/missing-rdata@0:2-0:10']);
});

test('zone/extra-rdata: more fields than the type has', () => {
  assert.deepEqual(wheres(parse('x A 192.0.2.1 192.0.2.2\n').findings), ['zone/extra-rdata@0:14-0:23']);
  assert.deepEqual(wheres(parse('x CAA 0 issue lets encrypt\n').findings), ['zone/extra-rdata@0:19-0:26']);
  assert.deepEqual(wheres(parse('x CNAME a b c\n').findings), ['zone/extra-rdata@0:10-0:13']);
});

test('zone/owner-without-previous: a record starting with a blank at the top', () => {
  const { tree, findings } = parse('   IN A 192.0.2.1\n');
  assert.deepEqual(wheres(findings), ['zone/owner-without-previous@0:0-0:3']);
  assert.equal(records(tree)[0].owner.text, '');
  assert.equal(findings[0].severity, 'error');
});

test('zone/unquoted-txt: seed 002 SPF record — words stored as separate strings, with a quoting fix', () => {
  const text = 'domain.tld.    86400    IN    TXT    v=spf1 a mx a:mail.domain1.tld a:mail.domain2.tld ip4:123.123.123.42 ?all\n';
  const { findings } = parse(text);
  assert.deepEqual(wheres(findings), ['zone/unquoted-txt@0:37-0:110']);
  const f = findings[0];
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /7 words/);
  assert.match(f.message, /v=spf1amxa:mail/);
  assert.equal(f.fixes?.[0].edits[0].newText, '"v=spf1 a mx a:mail.domain1.tld a:mail.domain2.tld ip4:123.123.123.42 ?all"');
  assert.deepEqual(f.fixes?.[0].edits[0].range, f.range);
});

test('zone/txt-semicolon-comment: seed 002 DKIM record — the key after ; is a comment', () => {
  const key = 'MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCobe5aaqYeaUxLG3lTV3rcUP8OnB1KfGAOUU4/yYj/Fy0uOJNWajyGeAS9s3IEOhb5Zl8t0q4CB20ani3WfxhWQUGLCd3tkmira4nD8k5HMeCzUD5XbB1pmd3xTfdD03ahAm11Ii6skHYvZxJ+HOLdDaogDK8nkQw9cnydCZOTJwIDAQA';
  const text = `dkim._domainkey.mysystems.tld. 3600 IN TXT v=DKIM1; p=${key}\n`;
  const { tree, findings } = parse(text);
  assert.deepEqual(wheres(findings), [`zone/txt-semicolon-comment@0:50-0:${54 + key.length}`]);
  const f = findings[0];
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /publish only "v=DKIM1"/);
  assert.equal(f.fixes?.[0].edits[0].newText, `"v=DKIM1; p=${key}"`);
  assert.deepEqual(f.fixes?.[0].edits[0].range, { start: { line: 0, character: 43 }, end: { line: 0, character: 54 + key.length } });
  assert.deepEqual(records(tree)[0].rdata.map((t) => t.value), ['v=DKIM1']);
});

test('zone/txt-semicolon-comment also when a blank precedes a `tag=` comment; ordinary comments are left alone', () => {
  assert.deepEqual(wheres(parse('_dmarc TXT v=DMARC1 ; p=none\n').findings), ['zone/txt-semicolon-comment@0:20-0:28']);
  assert.deepEqual(parse('_dmarc TXT "v=DMARC1; p=none" ; p=reject later\n').findings, []);
  assert.deepEqual(parse('x TXT hello ; a note\n').findings, []);
});

test('zone/txt-string-too-long: over 255 bytes, with a split fix', () => {
  const long = 'a'.repeat(300);
  const { findings } = parse(`x TXT "${long}"\n`);
  assert.deepEqual(wheres(findings), ['zone/txt-string-too-long@0:6-0:308']);
  assert.equal(findings[0].severity, 'warning');
  assert.equal(findings[0].fixes?.[0].edits[0].newText, `"${'a'.repeat(255)}" "${'a'.repeat(45)}"`);
  assert.deepEqual(parse(`x TXT "${'a'.repeat(255)}"\n`).findings, []);
  // Bytes, not characters: 128 two-byte characters are 256 bytes.
  assert.deepEqual(wheres(parse(`x TXT "${'é'.repeat(128)}"\n`).findings), ['zone/txt-string-too-long@0:6-0:136']);
});

test('zone/byte-order-mark', () => {
  const f = only('\uFEFFx A 192.0.2.1\n');
  assert.deepEqual([f.code, f.severity, f.at], ['zone/byte-order-mark', 'error', '0:0-0:1']);
});

test('findings have messages that say what to do', () => {
  const samples = ['x A 192.0.2.1 )\n', 'x TXT "abc', '$FOO\n', 'x\n', 'x FOO\n', 'x 1x A 192.0.2.1\n', 'x A\n', '  A 192.0.2.1\n'];
  for (const s of samples) {
    for (const f of parse(s).findings) assert.ok(f.message.length > 60 && /[.)]$/.test(f.message), `${f.code}: ${f.message}`);
  }
});
