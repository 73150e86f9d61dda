// The shared tag-list parser (RFC 6376 §3.2), the RecordText builders for plain and
// presentation-format text, and the report-URI reader.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTagList, splitValue, tagAtOffset, type TagList } from '../../../server/src/core/records/tags/tagList';
import { recordTextFromString } from '../../../server/src/core/records/tags/recordTexts';
import { parseReportUri, hostNameProblem } from '../../../server/src/core/records/tags/reportUri';
import { editableRange, domainWrittenTwice } from '../../../server/src/core/records/tags/tagFindings';
import { range } from '../../../server/src/core/types';
import { presentation, textAt } from './tagsHelpers';

/** name=value pairs with the exact source slices of name and value. */
function shape(text: string, list: TagList): string[] {
  return list.tags.map((t) => `${text.slice(t.start, t.nameEnd)}=${text.slice(t.valueStart, t.valueEnd)}|${t.value}`);
}

function problems(text: string, list: TagList): string[] {
  return list.problems.map((p) => `${p.kind}: ${text.slice(p.start, p.end)}`);
}

test('tags: names, values and exact offsets', () => {
  const text = 'v=DKIM1; k=rsa; p=MIIB';
  const list = parseTagList(text);
  assert.deepEqual(shape(text, list), ['v=DKIM1|DKIM1', 'k=rsa|rsa', 'p=MIIB|MIIB']);
  assert.deepEqual(list.problems, []);
  const k = list.get('k')!;
  assert.deepEqual([k.start, k.nameEnd, k.equals, k.valueStart, k.valueEnd, k.separator], [9, 10, 10, 11, 14, 14]);
  assert.equal(list.get('p')!.separator, -1);
  assert.equal(list.get('K'), undefined, 'names are case-sensitive by default');
});

test('tags: blanks around names, = and values, inside values, and folding whitespace', () => {
  const text = '  v = DMARC1 ;\tp=none\r\n  ; rua= mailto:a@b.example , mailto:c@d.example  ';
  const list = parseTagList(text);
  assert.deepEqual(shape(text, list), ['v=DMARC1|DMARC1', 'p=none|none', 'rua=mailto:a@b.example , mailto:c@d.example|mailto:a@b.example , mailto:c@d.example']);
  assert.deepEqual(list.problems, []);
  assert.equal(list.get('v')!.tight, false);
  assert.equal(list.get('p')!.tight, true);
});

test('tags: a trailing ; (with or without blanks after it) is allowed', () => {
  for (const text of ['v=DKIM1;', 'v=DKIM1; ', 'v=DKIM1 ;  \t', 'v=DMARC1; p=none; rua=mailto:postmaster@stefanux.net; ruf=mailto:postmaster@stefanux.net; fo=1 ']) {
    assert.deepEqual(parseTagList(text).problems, [], text);
  }
  assert.deepEqual(parseTagList('').tags, []);
  assert.deepEqual(parseTagList('   ').problems, []);
});

test('tags: empty tag-specs, missing =, bad names', () => {
  const text = ';v=DKIM1;; rsa ; 1p=x; =y; a b=c; k=rsa';
  const list = parseTagList(text);
  assert.deepEqual(problems(text, list), [
    'empty-tag: ;',
    'empty-tag: ;',
    'missing-equals: rsa',
    'bad-name: 1p',
    'bad-name: =',
    'missing-equals: a b=c',
  ]);
  assert.deepEqual(list.tags.map((t) => t.name), ['v', '1p', '', 'k']);
});

test('tags: characters no tag value may contain', () => {
  const text = 'p=“none”; n=caf\u00e9; x=a\nb; y=\u{1F600}';
  const list = parseTagList(text);
  assert.deepEqual(problems(text, list), ['bad-character: “', 'bad-character: é', 'bad-character: \n', 'bad-character: \u{1F600}']);
  // A CRLF followed by a blank is folding whitespace, not a bad character.
  assert.deepEqual(parseTagList('p=ab\r\n cd').problems, []);
  assert.equal(parseTagList('p=ab\r\n cd').tags[0].value, 'ab\r\n cd');
});

test('tags: duplicates, case-sensitive or folded', () => {
  const text = 'p=none; P=reject; p=quarantine';
  const exact = parseTagList(text);
  assert.deepEqual(problems(text, exact), ['duplicate: p']);
  assert.equal(exact.problems[0].start, 18);
  assert.equal(exact.problems[0].first, exact.tags[0]);
  const folded = parseTagList(text, { caseInsensitiveNames: true });
  assert.deepEqual(problems(text, folded), ['duplicate: P', 'duplicate: p']);
  assert.equal(folded.get('P')!.value, 'none', 'get returns the first occurrence');
});

test('tags: a backslash before ; (dig\'s escaping pasted into the record) is reported and left out of the value', () => {
  const text = 'v=DMARC1\\; p=none\\;rua=mailto:a@b.example';
  const list = parseTagList(text);
  assert.deepEqual(problems(text, list), ['backslash-separator: \\', 'backslash-separator: \\']);
  assert.deepEqual(list.tags.map((t) => t.value), ['DMARC1', 'none', 'mailto:a@b.example']);
  // A backslash elsewhere is an ordinary character.
  assert.deepEqual(parseTagList('n=a\\b; p=x').problems, []);
});

test('tags: tagAtOffset and splitValue', () => {
  const text = 'v=DKIM1; h=sha1 : sha256; t=';
  const list = parseTagList(text);
  assert.equal(tagAtOffset(list, 0)!.name, 'v');
  assert.equal(tagAtOffset(list, 7)!.name, 'v', 'the ; belongs to the tag before it');
  assert.equal(tagAtOffset(list, 12)!.name, 'h');
  assert.equal(tagAtOffset(list, text.length)!.name, 't');
  const parts = splitValue(list.get('h')!, ':');
  assert.deepEqual(parts.map((p) => [p.text, text.slice(p.start, p.end)]), [['sha1', 'sha1'], ['sha256', 'sha256']]);
  assert.deepEqual(splitValue(list.get('t')!, ':').map((p) => p.text), ['']);
});

test('tags: never throws and stays linear on hostile input', () => {
  const junk = ['\0\0;;==', '=;=;=', ';'.repeat(1000), '\\;'.repeat(500), 'a='.repeat(1000), '\uFEFFv=DKIM1', '\uD800p=x'];
  for (const j of junk) assert.doesNotThrow(() => parseTagList(j), JSON.stringify(j.slice(0, 20)));
  let seed = 7;
  for (let n = 0; n < 200; n++) {
    let s = '';
    for (let i = 0; i < 64; i++) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; s += String.fromCharCode(seed % 130); }
    assert.doesNotThrow(() => parseTagList(s));
  }
  const big = 'p=' + 'A'.repeat(2_000_000) + '; ' + 'x=1;'.repeat(200_000);
  const t0 = Date.now();
  const list = parseTagList(big);
  assert.equal(list.tags.length, 200_001);
  assert.ok(Date.now() - t0 < 30_000, `parse took ${Date.now() - t0} ms (a hang guard, not a performance target)`);
});

test('recordTextFromString: identity mapping, also across newlines', () => {
  const rec = recordTextFromString('v=DMARC1; p=none', { owner: '_dmarc.example.org', line: 3, character: 10 });
  assert.deepEqual(rec.rangeOf(10, 16), range(3, 20, 3, 26));
  assert.equal(rec.owner, '_dmarc.example.org');
  const multi = recordTextFromString('ab\ncd');
  assert.deepEqual(multi.rangeOf(3, 5), range(1, 0, 1, 2));
  assert.deepEqual(multi.rangeOf(1, 4), range(0, 1, 1, 1));
});

test('recordTextFromPresentation: strings joined without separators, breaks, exact ranges', () => {
  const p = presentation('"v=DKIM1; k=rsa; " "p=MIIB" ( "IjAN" ) ; a comment');
  assert.equal(p.rec.value, 'v=DKIM1; k=rsa; p=MIIBIjAN');
  assert.deepEqual(p.rec.breaks, [16, 22]);
  // A range across the string breaks covers the quotes between them.
  assert.equal(textAt(p.doc, p.rec.rangeOf(18, 26)), 'MIIB" ( "IjAN');
  assert.equal(textAt(p.doc, p.rec.rangeOf(0, 7)), 'v=DKIM1');
  // An empty range sits where the character would be; one at the end after the last character.
  assert.deepEqual(p.rec.rangeOf(16, 16), range(0, 20, 0, 20));
  assert.deepEqual(p.rec.rangeOf(26, 26), range(0, 35, 0, 35));
});

test('recordTextFromPresentation: escapes are decoded (seed 001\'s eBay record as dig prints it)', () => {
  const dig = '"v=DMARC1\\; p=none\\; rua=mailto:ebay@rua.agari.com\\; pct=100"';
  const p = presentation(dig, '_dmarc.ebay.de');
  assert.equal(p.rec.value, 'v=DMARC1; p=none; rua=mailto:ebay@rua.agari.com; pct=100');
  const list = parseTagList(p.rec.value);
  assert.deepEqual(list.problems, [], 'after decoding, \\; is a plain separator');
  const pTag = list.get('p')!;
  assert.equal(textAt(p.doc, p.rec.rangeOf(pTag.start, pTag.valueEnd)), 'p=none');
  // The separator itself maps to the two characters of its escape.
  assert.equal(textAt(p.doc, p.rec.rangeOf(8, 9)), '\\;');
  const ddd = presentation('"a\\059b\\"c"');
  assert.equal(ddd.rec.value, 'a;b"c');
  assert.equal(textAt(ddd.doc, ddd.rec.rangeOf(1, 2)), '\\059');
});

test('recordTextFromPresentation: several lines in parentheses (opendkim-genkey\'s layout)', () => {
  const doc = '( "v=DKIM1; k=rsa; "\n\t  "p=MIIB" )  ; ----- DKIM key mail for example.org';
  const p = presentation(doc);
  assert.equal(p.rec.value, 'v=DKIM1; k=rsa; p=MIIB');
  assert.deepEqual(p.rec.rangeOf(16, 22), range(1, 4, 1, 10));
  assert.equal(textAt(doc, p.rec.rangeOf(0, 22)), 'v=DKIM1; k=rsa; "\n\t  "p=MIIB');
  for (const junk of ['"unterminated', '\\', '"\\', '((((', ';;;', '"a\nb"', '\\999']) {
    assert.doesNotThrow(() => presentation(junk).rec.rangeOf(0, 100));
  }
});

test('editableRange: only where the document shows the value as is', () => {
  const p = presentation('"v=dmarc1\\; p=none" "x"');
  assert.ok(editableRange(p.rec, 2, 8), 'plain text inside one string');
  assert.equal(editableRange(p.rec, 2, 12), undefined, 'an escape inside');
  assert.equal(editableRange(p.rec, 12, 17), undefined, 'across a string break');
  assert.ok(editableRange(recordTextFromString('abc'), 0, 0), 'an insertion point');
});

test('report URIs: mailto with size limits, https, and what is wrong with the rest', () => {
  const uri = (text: string, sizeSuffix = true) =>
    parseReportUri({ text, start: 0, end: text.length }, { schemes: sizeSuffix ? ['mailto'] : ['mailto', 'https'], sizeSuffix });
  const ok = uri('mailto:dmarc@example.org!10m');
  assert.deepEqual([ok.scheme, ok.host, ok.problems], ['mailto', 'example.org', []]);
  assert.deepEqual(uri('MAILTO:a.b+c@Sub.Example.ORG').host, 'sub.example.org');
  assert.deepEqual(uri('https://reports.example.org/tlsrpt', false).host, 'reports.example.org');
  const wrong = (text: string, sizeSuffix = true) => uri(text, sizeSuffix).problems.map((p) => `${p.kind} ${text.slice(p.start, p.end)}`);
  assert.deepEqual(wrong('postmaster@example.org'), ['syntax postmaster@example.org']);
  assert.match(uri('postmaster@example.org').problems[0].message, /lacks the `mailto:`/);
  assert.deepEqual(wrong('mailto:a@example.org!'), ['syntax !']);
  assert.deepEqual(wrong('mailto:a@example.org!10x'), ['syntax !10x']);
  assert.deepEqual(wrong('mailto: a@example.org'), ['syntax  ']);
  assert.deepEqual(wrong('mailto:example.org'), ['syntax example.org']);
  assert.deepEqual(wrong('mailto:a..b@example.org'), ['syntax a..b']);
  assert.deepEqual(wrong('mailto:a@localhost'), ['syntax localhost']);
  assert.deepEqual(wrong('mailto:a@exa_mple.org'), ['syntax exa_mple.org']);
  assert.deepEqual(wrong('https://x.example.org/r'), ['scheme https']);
  assert.deepEqual(wrong('https:/x', false), ['syntax /x']);
  assert.deepEqual(wrong('', true), ['syntax ']);
  assert.equal(hostNameProblem('example.org.'), undefined);
  assert.match(hostNameProblem('a..b')!, /empty label/);
});

test('domainWrittenTwice: the missing trailing dot', () => {
  assert.equal(domainWrittenTwice(['sel', '_domainkey', 'example', 'org', 'example', 'org'], 2), true);
  assert.equal(domainWrittenTwice(['sel', '_domainkey', 'example', 'org'], 2), false);
  assert.equal(domainWrittenTwice(['org', 'org'], 0), false);
});
