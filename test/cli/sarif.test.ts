// `mailconf check --format sarif`: every log is valid against the official SARIF 2.1.0
// schema (fixtures/sarif-schema-2.1.0.json) and says what GitHub code scanning needs —
// rules described from docs/checks.md, levels, repository-relative locations with 1-based
// UTF-16 columns, stable fingerprints.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeErrors, loadSarifSchema, sarifValidator, schemaKeywords } from './sarifSchema';
import { sarifLog } from '../../server/src/cli/sarif';
import { githubAnchor, githubUrl, loadCheckDocs, parseCheckDocs } from '../../server/src/cli/checkDocs';
import type { FileReport } from '../../server/src/cli/checkFiles';
import { range } from '../../server/src/core/types';
import { makeTempTree, REPO, runCli as run } from './builtCli';

const validate = sarifValidator();

const tempTree = (files: Record<string, string>) => makeTempTree('mailconf-sarif-', files);

interface Region { startLine: number; startColumn: number; endLine: number; endColumn: number }
interface Location { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Region } }
interface Result {
  ruleId: string; ruleIndex: number; level: string; message: { text: string };
  locations: Location[]; relatedLocations?: Location[];
  partialFingerprints: Record<string, string>; properties: { severity: string };
}
interface Rule { id: string; shortDescription: { text: string }; fullDescription?: { text: string }; help?: { text: string; markdown: string }; helpUri?: string }
interface Run {
  tool: { driver: { name: string; version: string; rules: Rule[] } };
  columnKind: string; originalUriBaseIds: Record<string, { uri: string }>; results: Result[];
}

function assertValid(log: unknown): void {
  assert.equal(validate(log), true, `not valid SARIF 2.1.0:\n${describeErrors(validate.errors)}`);
}

function sarifOf(args: string[], cwd = REPO): { code: number | null; run: Run; log: unknown } {
  const r = run(['check', '--format', 'sarif', ...args], cwd);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const log = JSON.parse(r.stdout) as { runs: Run[] };
  assertValid(log);
  assert.equal(log.runs.length, 1);
  return { code: r.code, run: log.runs[0], log };
}

const LEVELS: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

test('the vendored schema is the OASIS 2.1.0 errata 01 schema and uses only keywords that mean the same in draft-07', () => {
  const schema = loadSarifSchema();
  assert.equal(schema.id, 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
  assert.equal(schema.$schema, 'http://json-schema.org/draft-04/schema#');
  const same = new Set(['$ref', '$schema', 'additionalProperties', 'anyOf', 'default', 'definitions', 'description', 'enum', 'format', 'id',
    'items', 'maximum', 'minItems', 'minimum', 'oneOf', 'pattern', 'properties', 'required', 'title', 'type', 'uniqueItems']);
  assert.deepEqual([...schemaKeywords(schema)].filter((k) => !same.has(k)), []);
  const refs = JSON.stringify(schema).match(/"\$ref":\s*"[^"]*"/g) ?? [];
  assert.ok(refs.length > 50);
  assert.deepEqual(refs.filter((r) => !/"#\/definitions\/[A-Za-z]+"$/.test(r)), [], 'only local references');
});

test('the validator is not vacuous: broken logs are rejected', () => {
  const { log } = sarifOf(['samples']);
  const broken = (change: (run: Run & Record<string, unknown>) => void) => {
    const copy = structuredClone(log) as { runs: Array<Run & Record<string, unknown>> };
    change(copy.runs[0]);
    return validate(copy);
  };
  assert.equal(broken(() => {}), true);
  assert.equal(broken((r) => { r.results[0].level = 'information'; }), false, 'level outside error/warning/note/none');
  assert.equal(broken((r) => { r.results[0].locations[0].physicalLocation.region.startLine = 0; }), false, 'lines are 1-based');
  assert.equal(broken((r) => { r.columnKind = 'codePoints'; }), false);
  assert.equal(broken((r) => { r.results[0].locations[0].physicalLocation.artifactLocation.uri = 'has space.cf'; }), false, 'uri-reference format');
  assert.equal(broken((r) => { (r.tool.driver as unknown as Record<string, unknown>).informationUri = 'not a uri'; }), false, 'uri format');
  assert.equal(broken((r) => { r.unknownProperty = 1; }), false);
});

test('samples/: valid SARIF with a rule per code, relative locations and 1-based regions', () => {
  const { code, run: r } = sarifOf(['samples']);
  const text = run(['check', 'samples']);
  assert.equal(code, text.code, 'same exit status as the text output');
  const textLines = text.stdout.trim().split('\n').slice(0, -1);
  assert.equal(r.results.length, textLines.length, 'one result per finding');
  assert.ok(r.results.length >= 10);
  assert.equal(r.tool.driver.name, 'mailconf');
  assert.match(r.tool.driver.version, /^\d+\.\d+\.\d+/);
  assert.equal(r.columnKind, 'utf16CodeUnits');
  assert.equal(r.originalUriBaseIds['%SRCROOT%'].uri, pathToFileURL(REPO).href + '/');
  const rules = r.tool.driver.rules;
  assert.deepEqual(rules.map((x) => x.id), [...new Set(r.results.map((x) => x.ruleId))].sort());
  const checksMd = fs.readFileSync(path.join(REPO, 'docs', 'checks.md'), 'utf8');
  for (const rule of rules) {
    assert.ok(checksMd.includes(`### \`${rule.id}\``), `${rule.id} is documented`);
    assert.notEqual(rule.shortDescription.text, rule.id, `${rule.id} has a description from docs/checks.md`);
    assert.ok(!rule.shortDescription.text.startsWith('Severity'), rule.shortDescription.text);
    assert.match(rule.help!.markdown, /^Severity: /);
    assert.ok(rule.helpUri!.endsWith(`/docs/checks.md#${githubAnchor(`\`${rule.id}\``)}`), rule.helpUri);
  }
  for (const res of r.results) {
    assert.equal(rules[res.ruleIndex].id, res.ruleId);
    assert.equal(res.level, LEVELS[res.properties.severity]);
    const loc = res.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.match(loc.artifactLocation.uri, /^samples\//);
    assert.ok(fs.existsSync(path.join(REPO, decodeURIComponent(loc.artifactLocation.uri))), loc.artifactLocation.uri);
    assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
    const line = `${decodeURIComponent(loc.artifactLocation.uri)}:${loc.region.startLine}:${loc.region.startColumn}: ${res.properties.severity} ${res.ruleId} `;
    assert.ok(textLines.some((l) => l.startsWith(line)), `the text output has ${line}`);
  }
  // The samples have cross-file findings with related locations (KeyTable ↔ SigningTable).
  assert.ok(r.results.some((x) => x.relatedLocations?.length));
});

const EVERY_SEVERITY_ZONE = [
  '$ORIGIN example.com.',
  '$TTL 3600',
  '@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600',
  '@ IN NS ns1',
  'ns1 IN A 192.0.2.1',
  '@ IN TXT "v=spf1 mx -all"',
  'www IN TXT "é😀" x; y',
  'bad IN A 300.1.1.1',
].join('\n') + '\n';

test('a tree with errors, warnings and notes: levels error/warning/note, columns in UTF-16 code units', () => {
  const root = tempTree({ 'zones/example.com.zone': EVERY_SEVERITY_ZONE, 'etc/opendkim/KeyTable': 'k1 example.com:s1:/etc/opendkim/keys/k1.private\n' });
  const { code, run: r } = sarifOf(['.'], root);
  assert.equal(code, 1);
  assert.deepEqual([...new Set(r.results.map((x) => x.level))].sort(), ['error', 'note', 'warning']);
  assert.deepEqual([...new Set(r.results.map((x) => x.properties.severity))].sort(), ['error', 'information', 'warning']);
  const semicolon = r.results.find((x) => x.ruleId === 'zone/txt-semicolon-comment')!;
  const region = semicolon.locations[0].physicalLocation.region;
  const line = EVERY_SEVERITY_ZONE.split('\n')[6];
  assert.equal(region.startLine, 7);
  // "é😀": é is one code unit, 😀 two (one code point): column 19, not 18.
  assert.equal(region.startColumn, line.indexOf(';') + 1);
  assert.equal(region.startColumn, [...line].indexOf(';') + 2);
  assert.equal(semicolon.locations[0].physicalLocation.artifactLocation.uri, 'zones/example.com.zone');
});

test('--min-severity warning leaves the notes out of the SARIF log; it stays valid', () => {
  const root = tempTree({ 'zones/example.com.zone': EVERY_SEVERITY_ZONE });
  const { code, run: r } = sarifOf(['--min-severity', 'warning', '.'], root);
  assert.equal(code, 1);
  assert.deepEqual([...new Set(r.results.map((x) => x.level))].sort(), ['error', 'warning']);
  assert.deepEqual(r.tool.driver.rules.map((x) => x.id), [...new Set(r.results.map((x) => x.ruleId))].sort(), 'no rules for codes left out');
});

test('fingerprints stay the same when lines move', () => {
  const root = tempTree({ 'zones/example.com.zone': EVERY_SEVERITY_ZONE });
  const before = sarifOf(['.'], root).run.results.map((x) => `${x.ruleId} ${x.partialFingerprints['mailconfLineHash/v1']}`).sort();
  fs.writeFileSync(path.join(root, 'zones/example.com.zone'), `; a comment line added at the top\n\n${EVERY_SEVERITY_ZONE}`);
  const after = sarifOf(['.'], root).run;
  assert.equal(after.results.find((x) => x.ruleId === 'zone/bad-address')!.locations[0].physicalLocation.region.startLine, 10);
  assert.deepEqual(after.results.map((x) => `${x.ruleId} ${x.partialFingerprints['mailconfLineHash/v1']}`).sort(), before);
  assert.equal(new Set(before).size, before.length, 'fingerprints are distinct');
});

test('every severity, odd file names, files outside the working directory (sarifLog directly)', () => {
  const cwd = path.join(os.tmpdir(), 'work dir');
  const severities = ['error', 'warning', 'information', 'hint'] as const;
  const reports: FileReport[] = [
    {
      path: path.join(cwd, 'zones', 'db.exämple #1'), kind: 'dns-zone', text: 'a\nb\nc\nd\n',
      findings: severities.map((severity, i) => ({ range: range(i, 0, i, 1), severity, code: 'zone/bad-address', message: `${severity} here` })),
    },
    {
      path: '/etc/postfix/main.cf', kind: 'postfix-main', text: 'x = 1\n',
      findings: [{ range: range(0, 0, 0, 0), severity: 'hint', code: 'postfix/unknown-parameter', message: 'm',
        related: [{ uri: pathToFileURL(path.join(cwd, 'master.cf')).href, range: range(1, 2, 1, 5), message: 'there' }] }],
    },
  ];
  const log = sarifLog(reports, { cwd, version: '1.2.3', docs: loadCheckDocs({ root: REPO, repositoryUrl: 'https://github.com/example/mailconf' }), informationUri: 'https://github.com/example/mailconf' });
  assertValid(log);
  const r = (log as { runs: Run[] }).runs[0];
  assert.deepEqual(r.results.map((x) => x.level), ['error', 'warning', 'note', 'note', 'note']);
  const first = r.results[0].locations[0].physicalLocation.artifactLocation;
  assert.deepEqual(first, { uri: 'zones/db.ex%C3%A4mple%20%231', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(r.results[4].locations[0].physicalLocation.artifactLocation, { uri: 'file:///etc/postfix/main.cf' });
  assert.deepEqual(r.results[4].relatedLocations![0].physicalLocation.artifactLocation, { uri: 'master.cf', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(r.results[4].relatedLocations![0].physicalLocation.region, { startLine: 2, startColumn: 3, endLine: 2, endColumn: 6 });
  assert.equal(r.tool.driver.rules[0].helpUri, 'https://github.com/example/mailconf/blob/HEAD/docs/checks.md#postfixunknown-parameter');
  assert.equal(r.originalUriBaseIds['%SRCROOT%'].uri, 'file:///tmp/work%20dir/'.replace('/tmp', pathToFileURL(os.tmpdir()).pathname));
});

test('docs/checks.md gives every code a distinct anchor and a one-sentence summary', () => {
  const docs = parseCheckDocs(fs.readFileSync(path.join(REPO, 'docs', 'checks.md'), 'utf8'));
  assert.ok(docs.size > 100);
  const anchors = [...docs.values()].map((d) => d.anchor);
  assert.equal(new Set(anchors).size, anchors.length);
  assert.equal(docs.get('postfix/byte-order-mark')!.anchor, 'postfixbyte-order-mark');
  assert.equal(docs.get('postfix/byte-order-mark')!.summary, 'The file starts with a UTF-8 byte-order mark.');
  // Full stops inside parentheses, in `master.cf` and after "e.g." do not end the sentence.
  assert.match(docs.get('postfix/transport-undefined')!.summary, /^A transport named in .* has no unix service of that name in master\.cf\.$/);
  assert.match(docs.get('zone/extra-rdata')!.summary, /e\.g\. a CAA value .*\.$/);
  for (const [code, d] of docs) {
    assert.ok(d.summary.length > 3 && !d.summary.startsWith('Severity'), `${code}: "${d.summary}"`);
    assert.match(d.markdown, /^Severity: /, code);
  }
  assert.equal(githubUrl('github:o/r'), 'https://github.com/o/r');
  assert.equal(githubUrl({ url: 'git+https://github.com/o/r.git' }), 'https://github.com/o/r');
  assert.equal(githubUrl('git@github.com:o/r.git'), 'https://github.com/o/r');
  assert.equal(githubUrl('https://gitlab.com/o/r'), undefined);
});
