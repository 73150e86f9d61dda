#!/usr/bin/env node
// Generates the Postfix parameter catalogue in server/src/core/postfix/data/:
//
//   parameters.json         every main.cf parameter Postfix 1.1 … 3.12 knows: default, value
//                           kind, the versions that have it, deprecation and renames
//   serviceParameters.json  the "<service>_<suffix>" names postconf accepts for master.cf services
//   restrictions.json       smtpd restriction names, what they examine, their argument
//   lookupTables.json       lookup table types, how their name is written, Debian package
//
// Sources (facts only; no upstream prose is copied, descriptions.json is written by hand):
//
//   1. The installed `postconf` (Debian's Postfix 3.7.11 on the reference machine):
//      `postconf -c EMPTY -d` for every name and default of 3.7 as Debian builds it,
//      `-d -x` for expanded defaults (time units), `-m` for the built-in table types.
//   2. The upstream Postfix git history (https://github.com/vdukhovni/postfix, a mirror of
//      the official releases): for the first and last patch release of every stable series
//      and for the newest snapshot, the C parameter tables (CONFIG_*_TABLE in src/*/*.c,
//      read the way src/postconf/extract.awk reads them) give the names, the value type,
//      the upstream default and min/max bounds; smtpd_check.c gives the restrictions;
//      postconf_service.c the service-defined names; postconf_unused.c postconf's own
//      deprecation list; DICT_TYPE_* macros the table types.
//   3. postconf.proto of the newest snapshot (the source of postconf(5)): which names are
//      documented (for the https://www.postfix.org/postconf.5.html#NAME link), the phrases
//      that state a deprecation or rename, and "available in Postfix X.Y" for a cross-check.
//   4. scripts/postfix-catalogue/curated.mjs: enumerations and kinds written down by hand
//      from the manual, each checked against it here.
//
// Re-run:
//   git clone --bare https://github.com/vdukhovni/postfix.git /tmp/postfix.git   (once)
//   POSTFIX_GIT=/tmp/postfix.git node scripts/generate-postfix-catalogue.mjs
// (on the reference machine the mirror at /work/.mirror/vdukhovni+postfix/repo is used when
// POSTFIX_GIT is not set). It needs `postconf` on PATH (apt-get install postfix) and takes
// about a minute. The output is deterministic: re-running on the same inputs changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GitSource } from './postfix-catalogue/gitSource.mjs';
import { compareVersions, scanHistory } from './postfix-catalogue/releases.mjs';
import { documentedDeprecation, documentedRange, documentedSince, parseProto } from './postfix-catalogue/proto.mjs';
import { readInstalledPostconf } from './postfix-catalogue/installedPostconf.mjs';
import { classify, timeUnit } from './postfix-catalogue/kinds.mjs';
import {
  ENUMERATIONS, EXTRA_DEPRECATIONS, INTERNAL_TABLE_TYPES, KIND_OVERRIDES, RESTRICTION_ALIASES,
  RESTRICTION_ARGUMENTS, RESTRICTION_DEPRECATIONS, TABLE_TYPES,
} from './postfix-catalogue/curated.mjs';
import {
  extractDbmsSuffixes, extractPostconfDeprecations, extractRelayRequired, extractRestrictions,
  extractServiceSuffixes, extractTableTypes,
} from './postfix-catalogue/sourceFacts.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const outDir = path.join(repoRoot, 'server/src/core/postfix/data');
const DOCS = 'https://www.postfix.org/postconf.5.html#';

const log = (msg) => process.stderr.write(msg + '\n');
const problems = [];
const fail = (msg) => problems.push(msg);

function locateGit() {
  const candidates = [process.env.POSTFIX_GIT, '/work/.mirror/vdukhovni+postfix/repo'].filter(Boolean);
  for (const c of candidates) if (fs.existsSync(path.join(c, 'HEAD')) || fs.existsSync(path.join(c, '.git'))) return fs.existsSync(path.join(c, '.git')) ? path.join(c, '.git') : c;
  throw new Error('No Postfix git repository found. Clone one with\n  git clone --bare https://github.com/vdukhovni/postfix.git /tmp/postfix.git\nand run with POSTFIX_GIT=/tmp/postfix.git');
}

// ---------------------------------------------------------------- inputs

const installed = readInstalledPostconf();
log(`installed postconf: Postfix ${installed.version}, ${installed.defaults.size} parameters`);
const baseline = installed.version;

const src = new GitSource(locateGit());
const headSubject = src.describeHead(); // "postfix-3.12-20260821"
const headSeries = /postfix-(\d+\.\d+)/.exec(headSubject)?.[1];
if (!headSeries) throw new Error(`cannot tell the Postfix version of HEAD from "${headSubject}"`);
log(`upstream snapshot: ${headSubject}; scanning releases …`);
const history = scanHistory(src, { headSeries, log });
const points = history.points;
const proto = parseProto(src.read('HEAD', 'postfix/proto/postconf.proto'));
const baselineTag = `v${baseline}`;
const baselineRelease = src.tags().includes(baselineTag) ? history.release(baselineTag) : undefined;
const headRelease = history.release('HEAD');

// ---------------------------------------------------------------- versions of each name

/** Per name: indexes into `points` where postconf accepts it, and where only as a legacy alias. */
function presence(name) {
  const accepted = points.map((p) => p.names.has(name));
  const legacyOnly = points.map((p) => p.legacy.has(name) && !history.release(p.rev).params.has(name));
  return { accepted, legacyOnly };
}

function versionInfo(name) {
  const { accepted, legacyOnly } = presence(name);
  const first = accepted.indexOf(true);
  const last = accepted.lastIndexOf(true);
  const info = {};
  if (first > 0) info.since = points[first].version;
  const bp = history.backports.get(name)?.filter((v) => !info.since || compareVersions(v, info.since) < 0);
  if (bp?.length) info.backports = bp.sort(compareVersions);
  if (last < points.length - 1) info.removedIn = points[last + 1].version;
  const gaps = [];
  for (let i = first; i <= last; i++) {
    if (accepted[i]) continue;
    let j = i;
    while (!accepted[j + 1]) j++;
    gaps.push([points[i].version, points[j].version]);
    i = j;
  }
  if (gaps.length) info.gaps = gaps;
  const legacyFrom = legacyOnly.findIndex((l, i) => l && legacyOnly.slice(i, last + 1).every((x, k) => x || !accepted[i + k]));
  if (legacyFrom >= 0) info.legacySince = points[legacyFrom].version;
  return info;
}

/** The newest release in which `name` is a built-in (table) parameter. */
function newestBuiltin(name) {
  for (let i = points.length - 1; i >= 0; i--) {
    const rel = history.release(points[i].rev);
    if (rel.params.has(name)) return rel.params.get(name);
  }
  return undefined;
}

// ---------------------------------------------------------------- defaults and units

const allNames = new Set();
for (const p of points) for (const n of p.names) allNames.add(n);
for (const n of installed.defaults.keys()) allNames.add(n);

const readOnly = new Set([...headRelease.readOnly, ...(baselineRelease?.readOnly ?? [])]);

/** Default as the baseline postconf prints it, else the newest upstream C default. */
function defaultOf(name, sp) {
  if (installed.defaults.has(name)) return installed.defaults.get(name);
  if (sp?.defaultValue !== undefined) return sp.defaultValue;
  const doc = proto.get(name)?.docDefault;
  if (doc !== undefined && !/postconf -d|&|see /i.test(doc)) return doc;
  return null;
}

const defaults = new Map();
for (const n of allNames) defaults.set(n, defaultOf(n, newestBuiltin(n)));

/** The time unit of a default, resolving `$name` references through other defaults. */
function unitOfDefault(value, depth = 0) {
  if (value == null || depth > 10) return undefined;
  const bare = /^\$\{?([a-z0-9_]+)\}?$/.exec(value.trim());
  if (bare) return unitOfDefault(defaults.get(bare[1]), depth + 1);
  // Drop ${…} and $name constructs; the unit is the first letter left over.
  let stripped = value;
  for (let k = 0; k < 5; k++) stripped = stripped.replace(/\$\{[^{}]*(\{[^{}]*\}[^{}]*)*\}/g, '');
  stripped = stripped.replace(/\$\(?[a-z0-9_]+\)?/g, '');
  const u = timeUnit(stripped);
  if (u) return u;
  const ref = /\$\{?([a-z0-9_]+)/.exec(value);
  return ref ? unitOfDefault(defaults.get(ref[1]), depth + 1) : undefined;
}

// ---------------------------------------------------------------- deprecations

/** postconf_unused.c entries, with the first series whose postconf warns about them. */
const postconfWarns = new Map();
for (const p of points) {
  for (const [name, advice] of extractPostconfDeprecations(src, p.rev)) {
    if (!postconfWarns.has(name)) postconfWarns.set(name, { since: p.version, advice });
  }
}

function deprecationOf(name) {
  const fromDocs = proto.has(name) ? documentedDeprecation(proto.get(name)) : undefined;
  const curated = EXTRA_DEPRECATIONS[name];
  const warns = postconfWarns.get(name);
  if (!fromDocs && !curated && !warns) return undefined;
  const d = { ...(warns ? { status: 'deprecated' } : {}), ...fromDocs, ...curated };
  if (!d.replacement && warns) {
    const m = /^(?:specify "([a-z0-9_]+)"|([a-z0-9_]+))$/.exec(warns.advice);
    if (m) d.replacement = m[1] ?? m[2];
  }
  if (!d.since && warns) d.since = warns.since;
  if (warns) d.postconfWarnsSince = warns.since;
  if (d.replacement && !allNames.has(d.replacement)) fail(`${name}: replacement ${d.replacement} is not a parameter`);
  const ordered = { status: d.status };
  for (const k of ['since', 'replacement', 'postconfWarnsSince']) if (d[k] !== undefined) ordered[k] = d[k];
  return ordered;
}

// ---------------------------------------------------------------- parameters

// Curated names must exist, and every enumeration value must appear in the manual text.
for (const n of Object.keys(KIND_OVERRIDES)) if (!allNames.has(n)) fail(`curated kind for unknown parameter ${n}`);
for (const e of ENUMERATIONS) {
  for (const n of e.names) if (!allNames.has(n)) fail(`curated enumeration for unknown parameter ${n}`);
  const doc = proto.get(e.docsOf ?? e.names[0]);
  if (!doc) {
    fail(`enumeration ${e.names[0]}: no manual entry to check against`);
    continue;
  }
  for (const v of e.values) {
    if (!new RegExp(`(^|[^a-z0-9_-])${v.replace(/[-]/g, '\\-')}([^a-z0-9_-]|$)`, 'i').test(doc.text)) fail(`enumeration ${e.names[0]}: value "${v}" not in the manual text`);
  }
}

const sinceMismatch = [];
const parameters = {};
for (const name of [...allNames].sort()) {
  const sp = newestBuiltin(name);
  const table = sp?.table ?? 'STR';
  const def = defaults.get(name);
  const computed = table === 'STR_FN' || readOnly.has(name);
  const entry = {};
  entry.default = computed ? null : def;
  if (computed) entry.computedDefault = true;

  // A real upstream change of the default after the baseline (not a Debian path choice).
  const baseC = baselineRelease?.params.get(name)?.defaultValue;
  const headC = headRelease.params.get(name)?.defaultValue;
  if (!computed && baseC !== undefined && headC !== undefined && baseC !== headC) entry.defaultLatest = headC;

  const expanded = installed.expanded.has(name) ? installed.expanded.get(name) : undefined;
  const k = classify({
    name,
    table,
    defaultValue: def ?? undefined,
    expandedDefault: table === 'TIME' ? (expanded !== undefined ? expanded : undefined) : undefined,
    min: sp?.min,
    max: sp?.max,
    docText: proto.get(name)?.text ?? '',
  });
  if (k.kind === 'time') {
    const computedUnit = unitOfDefault(def);
    if (expanded !== undefined && computedUnit !== timeUnit(expanded)) fail(`${name}: time unit ${computedUnit} ≠ postconf's ${timeUnit(expanded)}`);
    if (!k.unit) {
      if (computedUnit) k.unit = computedUnit;
      else fail(`${name}: time parameter without a default unit`);
    }
  }
  const { rule, ...kind } = k;
  void rule;
  Object.assign(entry, kind);
  entry.cType = table.toLowerCase();

  Object.assign(entry, versionInfo(name));
  if (readOnly.has(name)) entry.readOnly = true;
  const dep = deprecationOf(name);
  if (dep) entry.deprecated = dep;
  if (proto.has(name)) {
    entry.docs = DOCS + name;
    const documented = documentedSince(proto.get(name));
    const range = documentedRange(proto.get(name));
    if (documented && compareVersions(documented.split('.').slice(0, 2).join('.'), entry.since ?? '1.1') !== 0 && !entry.backports)
      sinceMismatch.push(`${name}: manual says ${documented}, releases say ${entry.since ?? '≤1.1'}${range ? ` (range ${range.from}-${range.to})` : ''}`);
  }
  parameters[name] = entry;
}

// The baseline check: the names this catalogue says the installed release prints must be
// exactly what its postconf -d prints.
const baselineNames = Object.keys(parameters).filter((n) => {
  const p = parameters[n];
  return isKnown(p, baseline) && !(p.legacySince && compareVersions(baseline, p.legacySince) >= 0);
});
const missing = [...installed.defaults.keys()].filter((n) => !baselineNames.includes(n));
const extra = baselineNames.filter((n) => !installed.defaults.has(n));
if (missing.length || extra.length) fail(`baseline ${baseline} mismatch: missing ${missing.join(' ')}; extra ${extra.join(' ')}`);

/** Same rule as catalogue.ts: is the name accepted by Postfix `version` (x.y or x.y.z)? */
function isKnown(p, version) {
  const series = version.split('.').slice(0, 2).join('.');
  const inSeries = (v) => v.split('.').slice(0, 2).join('.') === series;
  let known = !p.since || compareVersions(series, p.since) >= 0;
  if (!known && p.backports) known = p.backports.some((b) => inSeries(b) && (version === series || compareVersions(version, b) >= 0));
  if (p.removedIn && compareVersions(series, p.removedIn) >= 0) known = false;
  for (const [a, b] of p.gaps ?? []) if (compareVersions(series, a) >= 0 && compareVersions(series, b) <= 0) known = false;
  return known;
}

// ---------------------------------------------------------------- service parameters

const seriesPoints = points.filter((p) => p.rev !== 'HEAD');
const suffixSince = new Map();
let serviceSince;
for (const p of [...seriesPoints, points[points.length - 1]]) {
  const byCommand = extractServiceSuffixes(src, p.rev);
  if (!byCommand) continue;
  serviceSince ??= p.version;
  for (const list of Object.values(byCommand)) for (const s of list) if (!suffixSince.has(s.suffix)) suffixSince.set(s.suffix, p.version);
}
const headSuffixes = extractServiceSuffixes(src, 'HEAD');
const suffixes = {};
const commands = {};
for (const [command, list] of Object.entries(headSuffixes)) {
  commands[command] = list.map((s) => s.suffix);
  for (const s of list) {
    const base = parameters[s.defaultFrom];
    if (!base) fail(`service suffix ${s.suffix}: default parameter ${s.defaultFrom} unknown`);
    const template = 'transport' + s.suffix;
    suffixes[s.suffix] = {
      defaultFrom: s.defaultFrom,
      kind: base?.kind,
      ...(base?.unit ? { unit: base.unit } : {}),
      ...(suffixSince.get(s.suffix) !== serviceSince ? { since: suffixSince.get(s.suffix) } : {}),
      ...(proto.has(template) ? { docs: DOCS + template } : {}),
    };
  }
}

// ---------------------------------------------------------------- restrictions

const restrictionSince = new Map();
for (const p of points) for (const name of extractRestrictions(src, p.rev).keys()) if (!restrictionSince.has(name)) restrictionSince.set(name, p.version);
const headRestrictions = extractRestrictions(src, 'HEAD');
const restrictionAnchors = new Set();
for (const p of proto.values()) for (const m of p.html.matchAll(/<a name="([a-z0-9_]+)">/g)) restrictionAnchors.add(m[1]);
const restrictions = {};
for (const name of [...headRestrictions.keys()].sort()) {
  const r = headRestrictions.get(name);
  const e = {};
  // permit_sasl_authenticated and the client-certificate checks sit in the recipient part
  // of smtpd_check.c but look only at the client.
  e.examines = /^permit_(sasl_authenticated|tls_clientcerts|tls_all_clientcerts)$/.test(name) ? 'client' : r.examines;
  if (r.table) e.argument = 'table';
  else if (r.consumesArgument) {
    e.argument = RESTRICTION_ARGUMENTS[name];
    if (!e.argument) fail(`restriction ${name} takes an argument but curated.mjs has no shape for it`);
  } else if (RESTRICTION_ARGUMENTS[name]) fail(`restriction ${name}: curated argument but the source reads none`);
  if (r.expandsTo) e.expandsTo = r.expandsTo;
  const since = restrictionSince.get(name);
  if (since !== points[0].version) e.since = since;
  if (RESTRICTION_ALIASES[name]) e.aliasOf = RESTRICTION_ALIASES[name];
  if (RESTRICTION_DEPRECATIONS[name]) e.deprecated = RESTRICTION_DEPRECATIONS[name];
  if (restrictionAnchors.has(name)) e.docs = DOCS + name;
  restrictions[name] = e;
}
for (const n of [...Object.keys(RESTRICTION_ALIASES), ...Object.keys(RESTRICTION_DEPRECATIONS)]) if (!restrictions[n]) fail(`curated restriction ${n} unknown`);
const relayRequired = extractRelayRequired(src, 'HEAD');

// ---------------------------------------------------------------- lookup table types

const tableSince = new Map();
for (const p of points) for (const t of extractTableTypes(src, p.rev)) if (!tableSince.has(t)) tableSince.set(t, p.version);
const dbms = extractDbmsSuffixes(src, 'HEAD');
const tableTypes = {};
for (const t of [...extractTableTypes(src, 'HEAD')].sort()) {
  if (INTERNAL_TABLE_TYPES.has(t)) continue;
  const c = TABLE_TYPES[t];
  if (!c) {
    fail(`table type ${t} has no entry in curated.mjs TABLE_TYPES`);
    continue;
  }
  const e = { form: c.form };
  if (c.postmap) e.postmap = true;
  if (c.inlineAllowed) e.inlineAllowed = true;
  const since = tableSince.get(t);
  if (since !== points[0].version) e.since = since;
  if (installed.tableTypes.includes(t)) e.debianBuiltin = true;
  if (c.debianPackage) e.debianPackage = c.debianPackage;
  if (dbms[t]) e.legacyMainCfSuffixes = dbms[t];
  tableTypes[t] = e;
}
for (const t of Object.keys(TABLE_TYPES)) if (!tableTypes[t]) fail(`curated table type ${t} not in the sources`);
for (const t of installed.tableTypes) if (!tableTypes[t]) fail(`installed postconf -m lists unknown type ${t}`);

// ---------------------------------------------------------------- descriptions

// descriptions.json is written by hand, in our own words. Check that every entry names a
// parameter and shares no run of six words with the upstream manual entry.
const descriptionsFile = path.join(outDir, 'descriptions.json');
if (fs.existsSync(descriptionsFile)) {
  const descriptions = JSON.parse(fs.readFileSync(descriptionsFile, 'utf8'));
  const words = (t) => t.toLowerCase().replace(/[^a-z0-9_$ ]+/g, ' ').split(/\s+/).filter(Boolean);
  for (const [name, text] of Object.entries(descriptions)) {
    if (!parameters[name]) fail(`descriptions.json: ${name} is not a parameter`);
    const manual = proto.get(name)?.text;
    if (!manual) continue;
    const runs = new Set();
    const mw = words(manual);
    for (let i = 0; i + 6 <= mw.length; i++) runs.add(mw.slice(i, i + 6).join(' '));
    const dw = words(text);
    for (let i = 0; i + 6 <= dw.length; i++) {
      const run = dw.slice(i, i + 6).join(' ');
      if (runs.has(run)) fail(`descriptions.json: ${name} repeats the manual ("${run}")`);
    }
  }
}

// ---------------------------------------------------------------- output

if (problems.length) {
  for (const p of problems) log('ERROR: ' + p);
  process.exit(1);
}

const meta = {
  comment: 'Generated by scripts/generate-postfix-catalogue.mjs from the installed postconf and the upstream Postfix sources. Do not edit by hand.',
  baseline: { version: baseline, source: `postconf -d of the installed Postfix ${baseline} (Debian)` },
  upstream: headSubject,
  releases: points.map((p) => p.version),
  docsBase: DOCS,
};

/** JSON with one line per map entry, so that a regenerated catalogue diffs line by line. */
function writeJson(file, head, mapKey, map, tail = {}) {
  let out = '{\n';
  for (const [k, v] of Object.entries(head)) out += `  ${JSON.stringify(k)}: ${JSON.stringify(v)},\n`;
  out += `  ${JSON.stringify(mapKey)}: {\n`;
  const keys = Object.keys(map);
  keys.forEach((k, i) => {
    out += `    ${JSON.stringify(k)}: ${JSON.stringify(map[k])}${i < keys.length - 1 ? ',' : ''}\n`;
  });
  out += '  }';
  for (const [k, v] of Object.entries(tail)) out += `,\n  ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
  out += '\n}\n';
  fs.writeFileSync(path.join(outDir, file), out);
}

fs.mkdirSync(outDir, { recursive: true });
writeJson('parameters.json', { meta }, 'parameters', parameters);
writeJson('serviceParameters.json', { meta: { ...meta, serviceParametersSince: serviceSince } }, 'suffixes', suffixes, { commands });
writeJson('restrictions.json', { meta }, 'restrictions', restrictions, { relayRequired });
writeJson('lookupTables.json', { meta }, 'types', tableTypes);

// ---------------------------------------------------------------- summary

const byKind = {};
for (const p of Object.values(parameters)) byKind[p.kind] = (byKind[p.kind] ?? 0) + 1;
const count = (f) => Object.values(parameters).filter(f).length;
log(`parameters: ${Object.keys(parameters).length} (baseline ${baseline}: ${baselineNames.length})`);
log(`by kind: ${JSON.stringify(byKind)}`);
log(`with since: ${count((p) => p.since)}, with backports: ${count((p) => p.backports)}, removed: ${count((p) => p.removedIn)}, deprecated: ${count((p) => p.deprecated)}, documented: ${count((p) => p.docs)}`);
log(`restrictions: ${Object.keys(restrictions).length}, table types: ${Object.keys(tableTypes).length}, service suffixes: ${Object.keys(suffixes).length}`);
if (process.env.VERBOSE) for (const m of sinceMismatch) log('since: ' + m);
else log(`manual and releases disagree on "since" for ${sinceMismatch.length} names (VERBOSE=1 lists them)`);
