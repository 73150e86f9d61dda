#!/usr/bin/env node
// Generates the OpenDKIM option catalogue, server/src/core/opendkim/data/options.json:
// every opendkim.conf option of OpenDKIM 2.11 with its value kind, its default where the
// documentation or the source states one, whether Debian's build knows it, and the values
// an enumerated option accepts.
//
// Sources (facts only; no upstream prose is copied — descriptions.json is written by hand):
//
//   1. The installed program (Debian's opendkim): `opendkim -V` for the version and the
//      signing/canonicalization algorithms it supports; `opendkim -n -x FILE` run once per
//      option name to learn which names this build recognises (the others are compiled
//      out, e.g. the _FFR_REPUTATION options) and once per enumerated value to learn which
//      values it accepts; dpkg for the package version.
//   2. The installed manual page /usr/share/man/man5/opendkim.conf.5.gz: which options are
//      documented, the type it gives each (Boolean, integer, string, dataset), and the
//      default where a sentence states one ("The default is …").
//   3. The upstream source at the tag of the installed release (github.com/trusteddomainproject/OpenDKIM,
//      rel-opendkim-2-11-0-Beta2): opendkim/opendkim-config.h gives each option's parser type
//      (CONFIG_TYPE_BOOLEAN/INTEGER/STRING/INCLUDE: what config.c validates) and the #ifdef it
//      depends on; the lookup tables in opendkim/opendkim.c give the enumerations
//      (dkimf_values, dkimf_canon, dkimf_sign, dkimf_keyactions, log_facilities, dkimf_atpshash).
//   4. CURATED below: what the value of a string option means (a socket, a path, a Mode …)
//      and defaults the source sets where the manual's sentence is not machine-readable.
//
// Re-run:
//   git clone --bare https://github.com/trusteddomainproject/OpenDKIM.git /tmp/opendkim.git   (once)
//   OPENDKIM_GIT=/tmp/opendkim.git node scripts/generate-opendkim-catalogue.mjs
// (on the reference machine the mirror at /work/.mirror/trusteddomainproject+OpenDKIM/repo is
// used when OPENDKIM_GIT is not set). It needs `opendkim` on PATH (apt-get install opendkim)
// and takes a few seconds. The output is deterministic.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const outFile = path.join(repoRoot, 'server/src/core/opendkim/data/options.json');
const MAN_PAGE = process.env.OPENDKIM_MAN ?? '/usr/share/man/man5/opendkim.conf.5.gz';
const DOCS_URL = 'https://manpages.debian.org/bookworm/opendkim/opendkim.conf.5.en.html';

const log = (msg) => process.stderr.write(msg + '\n');

// ---------------------------------------------------------------- curated facts

/**
 * What the value of a string option is, beyond "any text". Kinds the checks know:
 * socket, path (a file the filter reads), directory, mode, canonicalization,
 * signatureAlgorithm, handling (On-*), keyAction, syslogFacility, atpsHash, minimum,
 * restartRate, user, address. Datasets come from the manual's "(dataset)" type.
 */
const CURATED_KINDS = {
  Socket: 'socket',
  Mode: 'mode',
  Canonicalization: 'canonicalization',
  SignatureAlgorithm: 'signatureAlgorithm',
  BogusKey: 'keyAction',
  UnprotectedKey: 'keyAction',
  SyslogFacility: 'syslogFacility',
  ATPSHashAlgorithm: 'atpsHash',
  Minimum: 'minimum',
  AutoRestartRate: 'restartRate',
  UserID: 'user',
  RedirectFailuresTo: 'address',
  ReportAddress: 'address',
  ReportBccAddress: 'address',
  KeyFile: 'path',
  TrustAnchorFile: 'path',
  ResolverConfiguration: 'path',
  ReplaceRules: 'path',
  FinalPolicyScript: 'path',
  ScreenPolicyScript: 'path',
  SetupPolicyScript: 'path',
  StatisticsPolicyScript: 'path',
  TestPublicKeys: 'path',
  PidFile: 'path',
  Statistics: 'path',
  MTACommand: 'path',
  BaseDirectory: 'directory',
  ChangeRootDirectory: 'directory',
  TemporaryDirectory: 'directory',
  DiagnosticDirectory: 'directory',
  // Opened with dkimf_db_open although the manual calls them strings (or omits them).
  ATPSDomains: 'dataset',
  'VBR-TrustedCertifiers': 'dataset',
};
for (const h of ['On-Default', 'On-BadSignature', 'On-DNSError', 'On-InternalError', 'On-KeyNotFound',
  'On-NoSignature', 'On-Security', 'On-SignatureError', 'On-ReputationError']) CURATED_KINDS[h] = 'handling';

/** Paths the filter opens at start (so a missing one stops it); PidFile and Statistics are written, not read. */
const READS_FILE = new Set(['KeyFile', 'TrustAnchorFile', 'ResolverConfiguration', 'ReplaceRules',
  'FinalPolicyScript', 'ScreenPolicyScript', 'SetupPolicyScript', 'StatisticsPolicyScript', 'TestPublicKeys', 'Include']);

/** Defaults set in the C source where the manual's sentence is not a plain value. */
const SOURCE_DEFAULTS = {
  Canonicalization: 'simple/simple', // DKIM_CANON_DEFAULT for header and body
  Mode: 'sv', // DKIMF_MODE_DEFAULT (signer | verifier) outside test mode
  SignatureAlgorithm: 'rsa-sha256', // DKIM_SIGN_DEFAULT when SHA-256 is available
  InternalHosts: '127.0.0.1, ::1', // DEFINTERNAL "csl:127.0.0.1,::1" (the manual mentions only 127.0.0.1)
  MaximumSignaturesToVerify: '3', // DEFMAXVERIFY ("three" in the manual)
  'On-Default': 'accept',
  'On-BadSignature': 'accept',
  'On-DNSError': 'tempfail',
  'On-InternalError': 'tempfail',
  'On-KeyNotFound': 'accept',
  'On-NoSignature': 'accept',
  'On-Security': 'tempfail',
  'On-SignatureError': 'reject',
  MTACommand: '/usr/sbin/sendmail',
  TemporaryDirectory: '/tmp',
  SyslogName: 'opendkim',
};

/** Integers whose absence means "not set" rather than 0 (the manual's general rule does not apply). */
const NO_DEFAULT = new Set(['UMask', 'MaximumSignedBytes']);

/** Words a "The default is …" sentence may use for a number. */
const NUMBER_WORDS = { zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', ten: '10' };

// ---------------------------------------------------------------- the installed program

function installedVersion() {
  const out = spawnSync('opendkim', ['-V'], { encoding: 'utf8' });
  if (out.error) throw new Error('opendkim is not installed (apt-get install opendkim): ' + out.error.message);
  const text = out.stdout + out.stderr;
  const version = /OpenDKIM Filter v(\S+)/.exec(text)?.[1];
  if (!version) throw new Error('cannot read the version from opendkim -V:\n' + text);
  const section = (title) => {
    const m = new RegExp(`${title}:\\n((?:\\t\\t.*\\n)+)`).exec(text);
    return m ? m[1].split('\n').map((s) => s.trim()).filter(Boolean) : [];
  };
  let pkg;
  try { pkg = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'opendkim'], { encoding: 'utf8' }).trim(); } catch { pkg = undefined; }
  return {
    version,
    pkg,
    signingAlgorithms: section('Supported signing algorithms'),
    canonicalizations: section('Supported canonicalization algorithms'),
    codeOptions: section('Active code options'),
  };
}

/** Runs `opendkim -n -x` on a configuration; returns its exit status and message. */
function makeProbe() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendkim-catalogue-'));
  const file = path.join(dir, 'probe.conf');
  return {
    run(text) {
      fs.writeFileSync(file, text);
      const r = spawnSync('opendkim', ['-n', '-x', file], { encoding: 'utf8', cwd: dir });
      return { status: r.status, signal: r.signal, message: (r.stderr + r.stdout).trim() };
    },
    /** True when this build recognises the option name. */
    knows(name) {
      return !/unrecognized parameter/.test(this.run(`${name} x\n`).message);
    },
    /** True when `lines` pass the check (exit 0, no crash). */
    accepts(lines) {
      const r = this.run(lines.join('\n') + '\n');
      return r.status === 0 && !r.signal;
    },
    close() { fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

// ---------------------------------------------------------------- the manual page

/** Option entries of opendkim.conf(5): name, the type it states, and its paragraph as plain text. */
function readManual() {
  const roff = zlib.gunzipSync(fs.readFileSync(MAN_PAGE)).toString('utf8');
  const lines = roff.split('\n');
  const entries = new Map();
  let current;
  let inParameters = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('.SH')) {
      inParameters = /PARAMETERS/.test(line);
      current = undefined;
      continue;
    }
    if (!inParameters) continue;
    if (line.startsWith('.TP')) {
      const head = /^\.I\s+(\S+)\s+\(([^)]*)\)\s*$/.exec(lines[i + 1] ?? '');
      current = head ? { name: head[1], docType: head[2].toLowerCase().replace(/\s+/g, ''), text: [] } : undefined;
      if (current) entries.set(current.name.toLowerCase(), current);
      i++;
      continue;
    }
    if (current) current.text.push(plainRoff(line));
  }
  for (const e of entries.values()) e.text = e.text.join(' ').replace(/\s+/g, ' ').trim();
  return entries;
}

function plainRoff(line) {
  if (line.startsWith('.') && !/^\.(I|B|IR|BR|RI|RB)\s/.test(line)) return '';
  return line.replace(/^\.\w+\s+/, '').replace(/\\-/g, '-').replace(/\\\(em/g, '-').replace(/\\&/g, '').replace(/\\f[BIRP]/g, '');
}

/** The default a documentation paragraph states, or undefined. */
function documentedDefault(text) {
  const quoted = /[Tt]he default is "([^"]+)"/.exec(text) ?? /the default of "([^"]+)"/.exec(text);
  if (quoted) return quoted[1];
  const word = /[Tt]he default (?:value )?is (\S+)/.exec(text);
  if (word) {
    const w = word[1].replace(/[.,;]+$/, '');
    if (NUMBER_WORDS[w.toLowerCase()]) return NUMBER_WORDS[w.toLowerCase()];
    if (/^(?:[0-9]+|\/\S+|[a-z0-9/-]+)$/.test(w) && !['to', 'the', 'an', 'a', 'empty', 'used', 'no'].includes(w)) return w;
  }
  const marked = /(\S+) \([^()]*this is the default\)/.exec(text);
  if (marked) return marked[1].replace(/[.,;"]+/g, '');
  if (/\b0 implies no limit; this is the default/.test(text)) return '0';
  return undefined;
}

// ---------------------------------------------------------------- the upstream source

function locateGit() {
  const candidates = [process.env.OPENDKIM_GIT, '/work/.mirror/trusteddomainproject+OpenDKIM/repo'].filter(Boolean);
  for (const c of candidates) {
    if (fs.existsSync(path.join(c, '.git'))) return path.join(c, '.git');
    if (fs.existsSync(path.join(c, 'HEAD'))) return c;
  }
  throw new Error('No OpenDKIM git repository found. Clone one with\n  git clone --bare https://github.com/trusteddomainproject/OpenDKIM.git /tmp/opendkim.git\nand run with OPENDKIM_GIT=/tmp/opendkim.git');
}

/** "2.11.0" and Debian's "2.11.0~beta2-8" → rel-opendkim-2-11-0-Beta2. */
function releaseTag(version, pkg) {
  const beta = /~beta(\d+)/i.exec(pkg ?? '');
  return `rel-opendkim-${version.replace(/\./g, '-')}${beta ? `-Beta${beta[1]}` : ''}`;
}

function gitShow(gitDir, rev, file) {
  return execFileSync('git', ['--git-dir', gitDir, 'show', `${rev}:${file}`], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** Entries of `struct configdef dkimf_config[]` with the #ifdef conditions around each. */
function readConfigTable(source) {
  const start = source.indexOf('dkimf_config[]');
  const end = source.indexOf('};', start);
  const body = source.slice(start, end);
  const conditions = [];
  const entries = [];
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    let m;
    if ((m = /^#\s*if(n?)def\s+(\w+)/.exec(line))) conditions.push((m[1] ? '!' : '') + m[2]);
    else if ((m = /^#\s*if\s+(.*)$/.exec(line))) conditions.push(m[1].replace(/\s+/g, ' '));
    else if (/^#\s*endif/.test(line)) conditions.pop();
    else if ((m = /\{\s*"([^"]+)",\s*(?:\/\*.*?\*\/\s*)?CONFIG_TYPE_(\w+)/.exec(line))) {
      entries.push({ name: m[1], type: m[2].toLowerCase(), conditions: [...conditions] });
    }
  }
  return entries;
}

/** The strings of a `struct lookup NAME[] = { { "x", CODE }, … }` table in opendkim.c. */
function readLookupTable(source, name) {
  const start = source.indexOf(`struct lookup ${name}[]`);
  if (start < 0) throw new Error(`lookup table ${name} not found in opendkim.c`);
  const body = source.slice(start, source.indexOf('};', start));
  return [...body.matchAll(/\{\s*"([^"]+)"/g)].map((m) => m[1]);
}

// ---------------------------------------------------------------- build

const installed = installedVersion();
log(`installed: OpenDKIM ${installed.version} (Debian package ${installed.pkg ?? 'unknown'})`);
const gitDir = locateGit();
const tag = releaseTag(installed.version, installed.pkg);
const configHeader = gitShow(gitDir, tag, 'opendkim/opendkim-config.h');
const mainSource = gitShow(gitDir, tag, 'opendkim/opendkim.c');
const table = readConfigTable(configHeader);
const manual = readManual();
log(`upstream ${tag}: ${table.length} configdef entries; manual: ${manual.size} documented options`);

const probe = makeProbe();
const problems = [];

// One entry per name (case-insensitively); the manual's spelling wins for display.
const byKey = new Map();
for (const e of table) {
  const key = e.name.toLowerCase();
  if (byKey.has(key)) continue; // ReputationTest/ReputationVerbose appear under two #ifdefs
  byKey.set(key, { name: e.name, configType: e.type, conditions: e.conditions });
}
for (const [key, doc] of manual) {
  const entry = byKey.get(key) ?? { name: doc.name };
  entry.name = doc.name;
  entry.docType = doc.docType;
  byKey.set(key, entry);
}

const enumerations = {
  handling: readLookupTable(mainSource, 'dkimf_values'),
  keyAction: readLookupTable(mainSource, 'dkimf_keyactions'),
  syslogFacility: readLookupTable(mainSource, 'log_facilities'),
  canonicalization: readLookupTable(mainSource, 'dkimf_canon'),
  signatureAlgorithm: readLookupTable(mainSource, 'dkimf_sign'),
  atpsHash: readLookupTable(mainSource, 'dkimf_atpshash'),
};
// Which values this build accepts: the table may list values compiled out (quarantine
// without SMFIF_QUARANTINE, sha256 without HAVE_SHA256). An unknown syslog facility
// crashes opendkim (it runs past the end of log_facilities), hence the exit-status test.
const probeOption = { handling: 'On-Default', keyAction: 'BogusKey', canonicalization: 'Canonicalization', signatureAlgorithm: 'SignatureAlgorithm', atpsHash: 'ATPSHashAlgorithm' };
const accepted = {};
for (const [kind, values] of Object.entries(enumerations)) {
  accepted[kind] = values.filter((v) => kind === 'syslogFacility'
    ? probe.accepts(['Syslog yes', `SyslogFacility ${v}`])
    : probe.accepts([`${probeOption[kind]} ${v}`]));
}
for (const alg of installed.signingAlgorithms) if (!accepted.signatureAlgorithm.includes(alg)) problems.push(`opendkim -V lists ${alg}, the probe rejects it`);
for (const c of installed.canonicalizations) if (!accepted.canonicalization.includes(c)) problems.push(`opendkim -V lists canonicalization ${c}, the probe rejects it`);

const options = [];
for (const entry of [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }))) {
  const doc = manual.get(entry.name.toLowerCase());
  const compiledIn = probe.knows(entry.name);
  const configType = entry.configType ?? (compiledIn ? 'string' : undefined);
  let kind;
  if (configType === 'boolean' || configType === 'integer' || configType === 'include') kind = configType;
  else if (CURATED_KINDS[entry.name]) kind = CURATED_KINDS[entry.name];
  else if (entry.docType === 'dataset') kind = 'dataset';
  else kind = 'string';
  // Debian patches the source: ReplaceHeaders is recognised although the upstream table lacks it.
  if (!entry.configType && compiledIn) log(`note: ${entry.name} is known to the binary but not in opendkim-config.h of ${tag} (a Debian patch); read as a string`);

  const option = { name: entry.name, kind };
  if (configType && configType !== kind) option.configType = configType;
  // Where the manual names another type than the parser applies (LDAPKeepaliveIdle is
  // "integer" in the manual but read as a string; VBR-PurgeFields the other way round).
  const basicDocType = ['boolean', 'integer', 'dataset'].includes(entry.docType) || (entry.docType === 'string' && (configType === 'boolean' || configType === 'integer'));
  if (entry.docType && entry.docType !== kind && basicDocType) option.documentedType = entry.docType;

  let def = SOURCE_DEFAULTS[entry.name];
  let defaultFrom = def !== undefined ? 'source' : undefined;
  const stated = doc ? documentedDefault(doc.text) : undefined;
  if (def === undefined && stated !== undefined) { def = stated; defaultFrom = 'manual'; }
  if (def === undefined && (kind === 'boolean' || kind === 'integer') && doc && !NO_DEFAULT.has(entry.name)) {
    def = kind === 'boolean' ? 'false' : '0'; // the manual's general rule for unstated defaults
    defaultFrom = 'manual-rule';
  }
  if (kind === 'boolean' && def !== undefined) def = /^[tTyY1]/.test(def) ? 'true' : 'false';
  if (def !== undefined) {
    option.default = def;
    option.defaultFrom = defaultFrom;
  }

  if (accepted[kind]) option.values = accepted[kind];
  if (READS_FILE.has(entry.name)) option.readsFile = true;
  option.documented = Boolean(doc);
  option.compiledIn = compiledIn;
  if (entry.conditions && entry.conditions.length > 0) option.requires = entry.conditions.join(' && ');
  options.push(option);
}
probe.close();

// Sanity checks: the catalogue must agree with what the binary does for the common options.
const must = { Socket: 'socket', KeyTable: 'dataset', SigningTable: 'dataset', InternalHosts: 'dataset', Syslog: 'boolean', UMask: 'integer', Mode: 'mode', Include: 'include' };
for (const [name, kind] of Object.entries(must)) {
  const o = options.find((x) => x.name === name);
  if (!o || o.kind !== kind || !o.compiledIn) problems.push(`${name}: expected a compiled-in ${kind} option, got ${JSON.stringify(o)}`);
}
if (problems.length > 0) {
  for (const p of problems) log('problem: ' + p);
  process.exit(1);
}

const data = {
  source: {
    program: `OpenDKIM ${installed.version}`,
    debianPackage: installed.pkg ?? null,
    upstreamTag: tag,
    manual: 'opendkim.conf(5)',
  },
  docsUrl: DOCS_URL,
  signingAlgorithms: installed.signingAlgorithms,
  canonicalizations: installed.canonicalizations,
  activeCodeOptions: installed.codeOptions,
  options,
};
fs.mkdirSync(path.dirname(outFile), { recursive: true });
// One option per line: diffs of a re-run stay readable.
const head = JSON.stringify({ ...data, options: [] }, null, 2).replace(/\n {2}"options": \[\]\n\}$/, '');
fs.writeFileSync(outFile, `${head}\n  "options": [\n${options.map((o) => '    ' + JSON.stringify(o)).join(',\n')}\n  ]\n}\n`);
log(`wrote ${path.relative(repoRoot, outFile)}: ${options.length} options, ${options.filter((o) => o.compiledIn).length} compiled into Debian's build`);
