// Differential test against Debian's real `opendkim -n -x FILE` (configuration check only):
// over every opendkim.conf of ../shared/corpus/opendkim and mutants of them, mailconf must
// report an error exactly where opendkim reports a configuration error.
//
// How the files are made checkable. `opendkim -n` opens every dataset and KeyFile the
// configuration names, so the real paths (/etc/opendkim/KeyTable …) would fail on this
// machine. The copy given to opendkim ("sandboxed") has each such path replaced, on its own
// line (line numbers stay), by a file in a private temporary folder: the corpus file of the
// same project at that path when there is one (KeyTable, SigningTable, TrustedHosts …), an
// empty file otherwise, and a freshly generated RSA key for KeyFile. Network datasets
// (dsn:, ldap:) become an empty file: no database answers here. When a KeyFile is present,
// "RequireSafeKeys no" is appended (after every line, so numbering is unchanged): key-file
// permissions are judged by mailconf through KeyFileInfo, not by this test. mailconf reads
// the original text, with the project's corpus tables placed at their paths in the workspace.
//
// opendkim reports syntax errors with a line ("configuration error at line N") and semantic
// ones without ("unknown mode \"x\"", "KeyTable requires either SigningTable …"); the latter
// are mapped to the option they name; a crash (an unknown SyslogFacility) counts as an error
// on SyslogFacility. Errors opendkim only finds when it really starts (Socket syntax,
// AutoRestartRate, key files, no socket) are not part of `-n`, and its SigningTable → KeyTable
// walk stops silently at the first line without a ":signer" (so it rarely runs): mailconf
// errors on Socket/AutoRestartRate lines and its SigningTable/KeyTable errors are listed as
// "beyond -n" in the table instead of being compared, unless opendkim reports the key record.
// The table is printed and written to .test-artifacts/opendkim-differential.txt.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { detectKind, type DocumentKind } from '../../../server/src/core/kinds';
import { diagnose } from '../../../server/src/core/checks';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { optionInfo } from '../../../server/src/core/opendkim/catalogue';
import type { Finding } from '../../../server/src/core/types';
import { opendkimTables } from '../../../server/src/core/opendkim/checks/index';

const CORPUS = path.resolve(__dirname, '../../../../shared/corpus');
const REPO = path.resolve(__dirname, '../../..');

function requireOpendkim(): void {
  const r = spawnSync('opendkim', ['-V'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    assert.fail('opendkim is not installed: this differential test needs Debian\'s opendkim (apt-get install opendkim, or scripts/install-system-packages.sh). ' + (r.error?.message ?? r.stderr));
  }
}

// ---------------------------------------------------------------- corpus

interface CorpusFile { file: string; repo: string; repoPath: string; text: string }

function corpusFiles(): CorpusFile[] {
  const rows = fs.readFileSync(path.join(CORPUS, 'SOURCES.tsv'), 'utf8').split('\n').map((l) => l.split('\t'));
  return rows.filter((r) => r[0]?.startsWith('opendkim/') && r[1] && r[2])
    .map((r) => ({ file: r[0], repo: r[1], repoPath: r[2], text: fs.readFileSync(path.join(CORPUS, r[0]), 'utf8') }));
}

function isConf(f: CorpusFile): boolean {
  return /opendkim\.conf|t-conf-check\.conf$/.test(f.repoPath);
}

function kindOf(f: CorpusFile): DocumentKind | undefined {
  if (isConf(f)) return 'opendkim-conf';
  if (/keytable$/i.test(f.repoPath)) return 'opendkim-keytable';
  if (/sign(ing)?table$/i.test(f.repoPath)) return 'opendkim-signingtable';
  return detectKind({ path: f.repoPath, text: f.text }) ?? (/hosts/i.test(f.repoPath) ? 'opendkim-hostlist' : undefined);
}

/** The corpus file of the same project that a path in its configuration names. */
function corpusFileFor(files: CorpusFile[], conf: CorpusFile, serverPath: string): CorpusFile | undefined {
  const same = files.filter((f) => f.repo === conf.repo && f !== conf);
  if (serverPath.startsWith('/')) return same.find((f) => f.repoPath === serverPath.slice(1) || f.repoPath.endsWith(serverPath));
  const dir = path.posix.dirname(conf.repoPath);
  return same.find((f) => f.repoPath === path.posix.join(dir, serverPath));
}

// ---------------------------------------------------------------- running opendkim

const FILE_TYPES = new Set(['file', 'refile', 'db']);
const NETWORK_TYPES = new Set(['dsn', 'ldap', 'ldaps', 'ldapi', 'memcache']);

interface Sandbox { dir: string; counter: number }

function sandboxPath(sb: Sandbox, content: string, mode = 0o600): string {
  const p = path.join(sb.dir, `f${sb.counter++}`);
  fs.writeFileSync(p, content, { mode });
  return p;
}

let generatedKey: string | undefined;

/** One RSA key for every sandbox (generated with node:crypto; never leaves the temporary folder). */
function rsaKey(): string {
  generatedKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return generatedKey;
}

/** The configuration with every file it names replaced by a sandbox file (see the header). */
function sandboxed(text: string, conf: CorpusFile, files: CorpusFile[], sb: Sandbox): string {
  const lines = text.split('\n');
  let keyFile = false;
  const out = lines.map((full) => {
    // CRLF files: the CR stays at the end of the line (OpenDKIM cuts a line at a CR anyway).
    const cr = full.endsWith('\r') ? '\r' : '';
    const line = cr ? full.slice(0, -1) : full;
    return rewrite(line) + cr;
  });
  function rewrite(line: string): string {
    const hash = line.indexOf('#');
    const body = hash >= 0 ? line.slice(0, hash) : line;
    const m = /^([ \t]*)(\S+)([ \t]+)(.*?)[ \t]*$/.exec(body);
    if (!m || m[4] === '') return line;
    const [, lead, name, gap, value] = m;
    const info = optionInfo(name);
    if (!info) return line;
    const rest = line.slice(lead.length + name.length + gap.length + value.length);
    const replace = (v: string) => lead + name + gap + v + rest;
    const contentFor = (p: string) => corpusFileFor(files, conf, p)?.text ?? '';
    if (info.kind === 'dataset') {
      const colon = value.indexOf(':');
      const comma = value.indexOf(',');
      const type = colon > 0 && (comma < 0 || colon < comma) ? value.slice(0, colon).toLowerCase() : undefined;
      if (type && FILE_TYPES.has(type)) return replace(`${type}:${sandboxPath(sb, contentFor(value.slice(colon + 1)))}`);
      if (type && NETWORK_TYPES.has(type)) return replace(`file:${sandboxPath(sb, '')}`);
      if (!type && value.startsWith('/') && !value.endsWith('.db')) return replace(sandboxPath(sb, contentFor(value)));
      return line;
    }
    if (info.name === 'KeyFile') {
      keyFile = true;
      return replace(sandboxPath(sb, rsaKey()));
    }
    if (info.kind === 'path' && info.readsFile) return replace(sandboxPath(sb, contentFor(value)));
    if (info.kind === 'include') return replace(sandboxPath(sb, contentFor(value)));
    if (info.name === 'BaseDirectory') return replace(sb.dir);
    return line;
  }
  let result = out.join('\n');
  if (keyFile) result += (result.endsWith('\n') ? '' : '\n') + 'RequireSafeKeys no\n';
  return result;
}

interface OpendkimVerdict { ok: boolean; message: string; line?: number; crashed?: boolean }

function runOpendkim(text: string, sb: Sandbox): OpendkimVerdict {
  const file = path.join(sb.dir, 'opendkim.conf');
  fs.writeFileSync(file, text, { mode: 0o600 });
  const r = spawnSync('opendkim', ['-n', '-x', file], { encoding: 'utf8', cwd: sb.dir });
  const message = (r.stderr + r.stdout).trim().replace(file, 'opendkim.conf');
  if (r.signal) return { ok: false, message: `crashed (${r.signal})`, crashed: true };
  if (r.status === 0) return { ok: true, message };
  const line = /configuration error at line (\d+)/.exec(message);
  return { ok: false, message, line: line ? Number(line[1]) - 1 : undefined };
}

// ---------------------------------------------------------------- comparing

/** Option names an opendkim message without a line number is about. */
function optionsNamedBy(message: string): string[] {
  const rules: Array<[RegExp, string[]]> = [
    [/unknown mode/, ['Mode']],
    [/unknown canonicalization/, ['Canonicalization']],
    [/unknown signing algorithm/, ['SignatureAlgorithm']],
    [/invalid handling value/, ['On-Default', 'On-BadSignature', 'On-DNSError', 'On-InternalError', 'On-KeyNotFound', 'On-NoSignature', 'On-Security', 'On-SignatureError']],
    [/unknown key action/, ['BogusKey', 'UnprotectedKey']],
    [/unknown ATPS hash/, ['ATPSHashAlgorithm']],
    [/illegal value for "Minimum"/, ['Minimum']],
    [/KeyFile and Selector must both/, ['KeyFile', 'Selector']],
    [/Domain requires KeyFile and Selector/, ['Domain']],
    [/requires KeyTable/, ['SigningTable']],
    [/KeyTable requires/, ['KeyTable']],
    [/crashed/, ['SyslogFacility']],
  ];
  for (const [re, names] of rules) if (re.test(message)) return names;
  return [];
}

interface Case { label: string; conf: CorpusFile; text: string; files: CorpusFile[] }

interface Outcome {
  label: string;
  opendkim: string;
  mailconf: string;
  agree: boolean;
  /** mailconf errors that `opendkim -n` cannot detect (listed, not compared). */
  beyond: string[];
}

function mailconfErrors(c: Case): { conf: Finding[]; tables: Finding[]; lines: Map<string, number[]> } {
  const ws = new Workspace();
  const confUri = `file:///${c.conf.repo}/${c.conf.repoPath}`;
  for (const f of c.files) {
    if (f.repo !== c.conf.repo || f === c.conf || isConf(f)) continue;
    const kind = kindOf(f);
    if (kind) ws.setOnDisk(`file:///${f.repo}/${f.repoPath}`, kind, f.text);
  }
  const confDoc = ws.setOnDisk(confUri, 'opendkim-conf', c.text);
  const conf = diagnose({ doc: confDoc, workspace: ws, settings: DEFAULT_SETTINGS }).filter((f) => f.severity === 'error');
  const linked = opendkimTables(ws, confDoc);
  const tables = [linked.keyTable?.doc, linked.signingTable?.doc].filter((d) => d !== undefined)
    .flatMap((doc) => diagnose({ doc: doc!, workspace: ws, settings: DEFAULT_SETTINGS }))
    .filter((f) => f.severity === 'error' && (f.code === 'opendkim/signingtable-unknown-key' || f.code === 'opendkim/keytable-bad-key-spec'));
  // For each option name, the lines it is on (case-insensitively).
  const lines = new Map<string, number[]>();
  c.text.split('\n').forEach((l, i) => {
    const name = /^[ \t]*([^\s#]+)/.exec(l)?.[1]?.toLowerCase();
    if (name) lines.set(name, [...(lines.get(name) ?? []), i]);
  });
  return { conf, tables, lines };
}

/** Lines mailconf errors are on whose option opendkim -n cannot check (Socket: only at start). */
function startupOnlyLines(text: string): Set<number> {
  const out = new Set<number>();
  text.split('\n').forEach((l, i) => { if (/^[ \t]*(socket|autorestartrate)[ \t]/i.test(l)) out.add(i); });
  return out;
}

function compare(c: Case, v: OpendkimVerdict): Outcome {
  const { conf, tables, lines } = mailconfErrors(c);
  const startup = startupOnlyLines(c.text);
  const counted = conf.filter((f) => !startup.has(f.range.start.line));
  const brief = (f: Finding) => `${f.code}@${f.range.start.line + 1}`;
  const keyRecord = !v.ok && /could not find valid key record/.test(v.message);
  // Findings -n cannot see: Socket/AutoRestartRate lines, and the SigningTable → KeyTable
  // link unless opendkim's own walk (which stops at the first line without a signer) found it.
  const beyond = [...conf.filter((f) => startup.has(f.range.start.line)), ...(keyRecord ? [] : tables)].map(brief);
  const mailconf = [...counted, ...(keyRecord ? tables : [])].map(brief).join(', ') || 'ok';
  if (v.ok) return { label: c.label, opendkim: 'ok', mailconf, agree: counted.length === 0, beyond };
  let agree: boolean;
  if (v.line !== undefined) {
    agree = counted.some((f) => f.range.start.line === v.line);
  } else if (keyRecord) {
    agree = tables.length > 0;
  } else if (/: dkimf_db_open\(\): /.test(v.message)) {
    // A dataset opendkim cannot open although the sandbox provides every file: the value
    // itself is wrong (a dataset type this build lacks …); mailconf must flag that line.
    const value = /^opendkim: opendkim\.conf: (.+?): dkimf_db_open/.exec(v.message)?.[1] ?? '\u0000';
    const textLines = c.text.split('\n');
    agree = counted.some((f) => textLines[f.range.start.line]?.includes(value));
  } else {
    const names = optionsNamedBy(v.message).map((n) => n.toLowerCase());
    const candidateLines = new Set(names.flatMap((n) => lines.get(n) ?? []));
    agree = names.length > 0 && counted.some((f) => candidateLines.has(f.range.start.line));
  }
  return { label: c.label, opendkim: v.line !== undefined ? `line ${v.line + 1}: ${v.message.replace(/^.*: /, '')}` : v.message.replace(/^opendkim: opendkim\.conf: /, ''), mailconf, agree, beyond };
}

// ---------------------------------------------------------------- mutants

type Mutant = { label: string; apply: (lines: string[]) => string[] | undefined };

function findLine(lines: string[], name: string): number {
  let found = -1;
  lines.forEach((l, i) => { if (new RegExp(`^[ \\t]*${name}[ \\t]`, 'i').test(l.replace(/#.*/, ''))) found = i; });
  return found;
}

function setOption(name: string, value: string): (lines: string[]) => string[] {
  return (lines) => {
    const i = findLine(lines, name);
    const out = [...lines];
    if (i >= 0) out[i] = `${name}\t${value}`;
    else out.splice(lastContentLine(out) + 1, 0, `${name}\t${value}`);
    return out;
  };
}

function lastContentLine(lines: string[]): number {
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i].trim() !== '') return i;
  return -1;
}

function firstOption(lines: string[]): number {
  return lines.findIndex((l) => /^[ \t]*[A-Za-z]/.test(l));
}

const MUTANTS: Mutant[] = [
  { label: 'misspelt option', apply: (lines) => {
    const i = firstOption(lines);
    if (i < 0) return undefined;
    const out = [...lines];
    out[i] = out[i].replace(/^([ \t]*)([A-Za-z])([A-Za-z])/, '$1$3$2'); // swap the first two letters
    return out;
  } },
  { label: 'bad boolean (Syslog on)', apply: setOption('Syslog', 'on') },
  { label: 'bad integer (DNSTimeout 5s)', apply: setOption('DNSTimeout', '5s') },
  { label: 'octal 8 (UMask 008)', apply: setOption('UMask', '008') },
  { label: 'bad Mode (sign)', apply: setOption('Mode', 'sign') },
  { label: 'bad Mode (SV)', apply: setOption('Mode', 'SV') },
  { label: 'bad Canonicalization (relaxed/simpel)', apply: setOption('Canonicalization', 'relaxed/simpel') },
  { label: 'bad Canonicalization (relax)', apply: setOption('Canonicalization', 'relax') },
  { label: 'unknown SignatureAlgorithm (rsa-sha512)', apply: setOption('SignatureAlgorithm', 'rsa-sha512') },
  { label: 'bad On-BadSignature (bounce)', apply: setOption('On-BadSignature', 'bounce') },
  { label: 'bad Minimum (10x)', apply: setOption('Minimum', '10x') },
  { label: 'missing value (Syslog alone)', apply: (lines) => [...lines.slice(0, lastContentLine(lines) + 1), 'Syslog', ...lines.slice(lastContentLine(lines) + 1)] },
  { label: 'equals sign (Mode=sv)', apply: (lines) => [...lines.slice(0, lastContentLine(lines) + 1), 'Mode=sv', ...lines.slice(lastContentLine(lines) + 1)] },
  { label: 'TrustedHosts option', apply: setOption('TrustedHosts', '/etc/opendkim/TrustedHosts') },
  { label: 'compiled-out option (IdentityHeader)', apply: setOption('IdentityHeader', 'X-Identity') },
  { label: 'unknown dataset type (InternalHosts repute:)', apply: setOption('InternalHosts', 'repute:example') },
  { label: 'bad SyslogFacility (with Syslog yes)', apply: (lines) => setOption('SyslogFacility', 'mial')(setOption('Syslog', 'yes')(lines)) },
  { label: 'Selector without KeyFile', apply: (lines) => findLine(lines, 'KeyFile') >= 0 ? undefined : setOption('Selector', 'default')(lines) },
  { label: 'KeyFile without Selector', apply: (lines) => {
    if (findLine(lines, 'KeyTable') >= 0) return undefined;
    const out = setOption('KeyFile', '/etc/opendkim/keys/default.private')(lines);
    const sel = findLine(out, 'Selector');
    if (sel >= 0) out[sel] = '';
    return out;
  } },
  { label: 'Domain without KeyFile and Selector', apply: (lines) => {
    if (findLine(lines, 'KeyTable') >= 0 || findLine(lines, 'KeyFile') >= 0 || findLine(lines, 'Selector') >= 0) return undefined;
    return setOption('Domain', 'example.com')(lines);
  } },
  { label: 'bad BogusKey (ignore)', apply: setOption('BogusKey', 'ignore') },
  { label: 'bad ATPSHashAlgorithm (md5)', apply: setOption('ATPSHashAlgorithm', 'md5') },
  { label: 'SigningTable without KeyTable', apply: (lines) => {
    const k = findLine(lines, 'KeyTable');
    if (k < 0 || findLine(lines, 'SigningTable') < 0) return undefined;
    const out = [...lines];
    out[k] = '';
    return out;
  } },
  { label: 'KeyTable without SigningTable', apply: (lines) => {
    const s = findLine(lines, 'SigningTable');
    if (s < 0 || findLine(lines, 'KeyTable') < 0) return undefined;
    const out = setOption('Mode', 'sv')(lines);
    out[findLine(out, 'SigningTable')] = '';
    return out;
  } },
  { label: 'earlier bad Mode, later good (last wins)', apply: (lines) => ['Mode x', ...setOption('Mode', 'sv')(lines)] },
  { label: 'earlier good Mode, later bad (last wins)', apply: (lines) => ['Mode sv', ...setOption('Mode', 'x')(lines)] },
];

// ---------------------------------------------------------------- the test

test('opendkim -n -x agrees with mailconf on every corpus opendkim.conf and its mutants', { timeout: 600_000 }, () => {
  requireOpendkim();
  const files = corpusFiles();
  const confs = files.filter(isConf).filter((f) => !/opendmarc/.test(f.repoPath));
  assert.ok(confs.length >= 15, `expected the corpus opendkim.conf files, found ${confs.length}`);
  const artifacts = path.join(REPO, '.test-artifacts');
  fs.mkdirSync(artifacts, { recursive: true });
  const outcomes: Outcome[] = [];
  for (const conf of confs) {
    const name = conf.file.replace('opendkim/', '');
    const cases: Case[] = [{ label: name, conf, text: conf.text, files }];
    for (const m of MUTANTS) {
      const lines = m.apply(conf.text.split('\n'));
      if (lines) cases.push({ label: `${name} + ${m.label}`, conf, text: lines.join('\n'), files });
    }
    for (const c of cases) {
      const sb: Sandbox = { dir: fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-opendkim-')), counter: 0 };
      fs.chmodSync(sb.dir, 0o700);
      try {
        outcomes.push(compare(c, runOpendkim(sandboxed(c.text, c.conf, c.files, sb), sb)));
      } finally {
        fs.rmSync(sb.dir, { recursive: true, force: true });
      }
    }
  }
  const agreeing = outcomes.filter((o) => o.agree).length;
  const rejected = outcomes.filter((o) => o.opendkim !== 'ok').length;
  const table = outcomes.map((o) => `${o.agree ? 'agree   ' : 'DISAGREE'} | ${o.label} | opendkim: ${o.opendkim} | mailconf: ${o.mailconf}${o.beyond.length ? ` | beyond -n: ${o.beyond.join(', ')}` : ''}`);
  const summary = `${outcomes.length} configurations (${confs.length} corpus files + mutants): ${agreeing} agree, ${outcomes.length - agreeing} disagree; opendkim rejected ${rejected}.`;
  const report = ['opendkim -n -x vs mailconf', summary, ...table].join('\n');
  fs.writeFileSync(path.join(artifacts, 'opendkim-differential.txt'), report + '\n');
  console.log(report);
  assert.ok(rejected > outcomes.length / 3, 'the mutants must make opendkim reject a good share of the configurations');
  assert.deepEqual(outcomes.filter((o) => !o.agree).map((o) => `${o.label}: opendkim ${o.opendkim}; mailconf ${o.mailconf}`), [], summary);
});
