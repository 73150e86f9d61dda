// Differential test against BIND's named-checkzone (Debian bind9-utils): for each snippet,
// put into a zone with an SOA and NS, "mailconf reports an error" must equal "BIND refuses
// to load the zone". Skipped when named-checkzone is not installed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { errors, parse, wheres } from './helpers';

const HAVE_BIND = spawnSync('named-checkzone', ['-v'], { encoding: 'utf8' }).status === 0;
const BASE = '$TTL 1h\n$ORIGIN example.com.\n@ IN SOA ns hostmaster 1 2h 1h 4w 1h\n@ IN NS ns\nns IN A 192.0.2.53\n';

function bindLoads(text: string): boolean {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-zone-'));
  try {
    const file = path.join(dir, 'zone');
    fs.writeFileSync(file, text);
    return spawnSync('named-checkzone', ['-q', '-i', 'none', 'example.com', file], { encoding: 'utf8' }).status === 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Snippets on which both must agree. */
const AGREE: string[] = [
  // valid
  'www 3600 IN A 192.0.2.1\n',
  'a IN 1h30m A 192.0.2.1\nb 1w in mx 10 mail\n',
  'mail A 192.0.2.1\n\tAAAA 2001:db8::1\n  MX 10 mail\n',
  'x TXT ((a))\n',
  'x TXT ( "a" ; c ( \n "b" )\n',
  'x TXT "a\\"b\\065\\;" "" plain\\;word\n',
  'f TXT a"b"c\n',
  'x TXT v=DKIM1; p=abc\n',
  'domain.tld. 86400 IN TXT v=spf1 a mx ?all\n',
  '@ TYPE257 \\# 22 000569737375656C657473656E63727970742E6F7267\n',
  'x TYPE65534 \\# 0\n',
  'x type1 \\# 4 01020304\n',
  'x CLASS1 A 192.0.2.1\n',
  'x 01 A 192.0.2.1\n',
  'x 1W2D A 192.0.2.1\n',
  'x CAA 0 issue letsencrypt.org\n',
  'x NSEC3PARAM 1 0 0 -\n',
  'x HTTPS 1 .\n',
  'x APL\n',
  'x DSYNC CDS NOTIFY 5359 ns.\n',
  'x TXT ""\n',
  'x NULL \\# 0\n',
  'x TYPE999 \\# 1 00\n',
  'x TXT \\#\n',
  'x TXT \\# abc\n',
  '$ttl 60\nx A 192.0.2.1\n',
  '$ORIGIN sub\nx A 192.0.2.1\n',
  '$GENERATE 1-3 host$ A 192.0.2.$\n',
  'www A 192.0.2.1\n$ORIGIN sub.example.com.\n  TXT "x"\n',
  'x 4294967295 A 192.0.2.1\n',
  'x\tIN\tTXT\t"a"\r\n\tIN\tTXT\t"b"\r\n',
  '4400._domainkey IN  TXT ( "v=DKIM1; h=sha256; k=rsa; "\n      "p=MIIB" )  ; ----- DKIM key\n',
  // invalid
  'x TXT "a\nb"\n',
  'x TXT "abc',
  'x TXT abc\\\ndef\n',
  'x TXT "\\256"\n',
  'x TXT "\\25"\n',
  '$FOO bar\n',
  '$ORIGIN\n',
  '$ORIGIN a. b.\n',
  '$TTL 1h extra\n',
  '$TTL\n',
  '$TTL abc\n',
  '$INCLUDE inc example.com. extra\n',
  'x A (192.0.2.1\n',
  'x A 192.0.2.1)\n',
  'x A\n',
  'x A 192.0.2.1 192.0.2.2\n',
  'x MX 10\n',
  'x TXT\n',
  'x SPF\n',
  'x HTTPS 0\n',
  'x CAA 0 issue lets encrypt\n',
  'x IPSECKEY 10 1 2 192.0.2.38\n',
  'x NSEC a.example.com.\n',
  'x OPT \\# 0\n',
  'x AXFR \\# 0\n',
  'x \\# 0\n',
  'x TYPE999 abc\n',
  'x TYPE10\n',
  'x TXT \\# 2\n',
  'x A \\#\n',
  'x A \\# 4\n',
  'x 1x A 192.0.2.1\n',
  'x 1h1 A 192.0.2.1\n',
  'x 4294967296 A 192.0.2.1\n',
  'x 3600 IN 7200 A 192.0.2.1\n',
  ' $ORIGIN foo.\n',
  'lonely\n',
  'x IN FOO bar\n',
  '@ IN SOA ns1 hostmaster 1\n',
];

test('named-checkzone agrees on what is an error', () => {
  assert.ok(HAVE_BIND, 'named-checkzone is not installed: apt-get install bind9-utils (npm test installs it)');
  const disagreements: string[] = [];
  for (const snippet of AGREE) {
    const text = BASE + snippet;
    const ours = errors(parse(text).findings).length > 0;
    const bind = !bindLoads(text);
    if (ours !== bind) disagreements.push(`${JSON.stringify(snippet)}: mailconf ${ours ? 'error' : 'ok'} (${wheres(parse(text).findings).join(', ')}), BIND ${bind ? 'rejects' : 'loads'}`);
  }
  assert.deepEqual(disagreements, []);
});

test('named-checkzone: a record with a blank at the very top has no owner', () => {
  assert.ok(HAVE_BIND, 'named-checkzone is not installed: apt-get install bind9-utils (npm test installs it)');
  const text = ' IN A 192.0.2.1\n' + BASE;
  assert.equal(bindLoads(text), false);
  assert.deepEqual(errors(parse(text).findings).map((f) => f.code), ['zone/owner-without-previous']);
});

test('named-checkzone: where mailconf deliberately warns instead (non-BIND servers accept these)', () => {
  assert.ok(HAVE_BIND, 'named-checkzone is not installed: apt-get install bind9-utils (npm test installs it)');
  for (const [snippet, code] of [
    ['@ DYNA geoip!cp\n', 'zone/nonstandard-type'],
    [`x TXT "${'a'.repeat(256)}"\n`, 'zone/txt-string-too-long'],
  ]) {
    const text = BASE + snippet;
    assert.equal(bindLoads(text), false, snippet);
    const findings = parse(text).findings;
    assert.deepEqual(findings.map((f) => [f.code, f.severity]), [[code, 'warning']]);
  }
  // A BOM: BIND rejects it and so does mailconf.
  assert.equal(bindLoads('\uFEFF' + BASE), false);
  assert.deepEqual(errors(parse('\uFEFF' + BASE).findings).map((f) => f.code), ['zone/byte-order-mark']);
});
