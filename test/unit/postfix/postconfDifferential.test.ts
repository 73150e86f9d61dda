// The acceptance test of the Postfix semantic checks: mailconf must name exactly the
// parameters that Debian's real postconf (3.7) warns about.
//
// For every main.cf of ../shared/corpus/postfix (with the master.cf of the same source,
// see SOURCES.tsv, else Debian's default /usr/share/postfix/master.cf.dist) and for the
// seed samples (samples/*/etc/postfix), with mailconf.postfix.version = 3.7:
//
//   postconf -c DIR -n  warnings             mailconf findings
//   main.cf: unused parameter: X=…      ↔    postfix/unknown-parameter (or parameter-too-new) on X in main.cf
//   master.cf: unused parameter: X=…    ↔    the same on `-o X=…` in master.cf
//   undefined parameter: X              ↔    postfix/undefined-parameter on X (either file)
//
// `parameter-too-new` counts as "unused": it is postconf's "unused parameter" for a name a
// later release knows, reported under its own code so the message can say so.
// When the source has no master.cf, postconf reads Debian's default one while mailconf gets
// no master.cf at all: that checks mailconf's built-in copy of Debian's default services.
//
// Every master.cf that `postconf -c DIR -M` rejects must get an error finding from mailconf.
// The test prints an agreement table and fails on any disagreement not in ALLOWED below.
// postconf must be installed (`npm test` installs it): without it the test fails, it never skips.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { diagnose } from '../../../server/src/core/checks';
import type { Finding } from '../../../server/src/core/types';

const REPO = path.resolve(__dirname, '../../..');
const SHARED = path.resolve(__dirname, '../../../../shared/corpus');
const CORPUS = path.join(SHARED, 'postfix');
const SAMPLES = path.join(REPO, 'samples');
const DEBIAN_MASTER = '/usr/share/postfix/master.cf.dist';
const VERSION = '3.7';

const INSTALL_HINT = 'postconf is not installed: install Postfix (Debian/Ubuntu: apt-get install postfix; `npm test` does it) — ' +
  'this differential test compares mailconf with the real program and cannot run without it';

/**
 * Cases where mailconf and postconf disagree on purpose, with the reason mailconf is right
 * (or why postconf cannot read the file at all). Keyed by the case label of the table.
 */
const ALLOWED: Record<string, string> = {
  'corpus/sovereign__sovereign__roles_mailserver_templates_etc_postfix_main.cf.j2':
    'A Jinja template: postconf stops at the first `{% … %}` line ("missing \'=\' after attribute name"); ' +
    'mailconf skips template lines (postfix/template-line) and checks the rest.',
  'corpus/Mailu__Mailu__core_postfix_conf_main.cf':
    'A Jinja template (Mailu): postconf stops at the first `{% … %}` line; mailconf skips template lines and checks the rest.',
};

/** master.cf files postconf -M rejects for which mailconf reports no error, with the reason. */
const ALLOWED_MASTER: Record<string, string> = {
  'corpus/Mailu__Mailu__core_postfix_conf_master.cf':
    'A Jinja template: postconf reads the `{{- "\\n" }}` tag line as a service entry ("bad field count"); mailconf ' +
    'recognises template tags and reports them as postfix/template-line (information), since the rendered file has no such line.',
};

/** Lines that start with a Jinja tag, as postfix/template-line recognises them. */
const TEMPLATE_TAG = /^\{[%#{]/m;

/** The text with every template tag line made a comment. */
function untemplate(text: string): string {
  return text.split('\n').map((l) => (/^\{[%#{]/.test(l) ? `#${l}` : l)).join('\n');
}

interface Case {
  label: string;
  main: string;
  /** The master.cf postconf reads; mailconf gets it only when `masterForMailconf`. */
  master: string;
  masterForMailconf: boolean;
}

interface PostconfRun {
  status: number | null;
  stderr: string;
}

function requirePostconf(): void {
  const res = spawnSync('postconf', ['-c', os.tmpdir(), '-h', 'mail_version'], { encoding: 'utf8' });
  if (res.error) assert.fail(`${INSTALL_HINT} (${res.error.message})`);
  assert.ok(fs.existsSync(DEBIAN_MASTER), `${DEBIAN_MASTER} is missing: ${INSTALL_HINT}`);
}

function postconf(files: { main: string; master: string }, args: string[]): PostconfRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-differential-'));
  try {
    // Postfix waits for a file changed in the last second to settle: back-date them.
    const past = new Date(Date.now() - 60_000);
    for (const [name, text] of [['main.cf', files.main], ['master.cf', files.master]]) {
      fs.writeFileSync(path.join(dir, name), text);
      fs.utimesSync(path.join(dir, name), past, past);
    }
    const res = spawnSync('postconf', ['-c', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (res.error) assert.fail(`${INSTALL_HINT} (${res.error.message})`);
    return { status: res.status, stderr: res.stderr.split(dir).join('DIR') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface NameSets {
  mainUnused: string[];
  masterUnused: string[];
  undefined: string[];
}

function theirNames(stderr: string): NameSets {
  const pick = (re: RegExp) => [...new Set([...stderr.matchAll(re)].map((m) => m[1]))].sort();
  return {
    mainUnused: pick(/DIR\/main\.cf: unused parameter: ([^=\s]+)=/g),
    masterUnused: pick(/DIR\/master\.cf: unused parameter: ([^=\s]+)=/g),
    undefined: pick(/undefined parameter: (\S+)/g),
  };
}

const UNUSED_CODES = new Set(['postfix/unknown-parameter', 'postfix/parameter-too-new']);

/** The name a finding is about: the text of its range in the document. */
function nameOf(text: string, f: Finding): string {
  const lines = text.split(/\r\n|\r|\n/);
  if (f.range.start.line !== f.range.end.line) return '?';
  return lines[f.range.start.line].slice(f.range.start.character, f.range.end.character);
}

interface MailconfRun {
  main: Finding[];
  master: Finding[];
  names: NameSets;
}

function mailconf(c: { main?: string; master?: string }): MailconfRun {
  const ws = new Workspace();
  const settings = { postfixVersion: VERSION };
  const mainDoc = c.main !== undefined ? ws.setOnDisk('file:///srv/case/main.cf', 'postfix-main', c.main) : undefined;
  const masterDoc = c.master !== undefined ? ws.setOnDisk('file:///srv/case/master.cf', 'postfix-master', c.master) : undefined;
  const main = mainDoc ? diagnose({ doc: mainDoc, workspace: ws, settings }) : [];
  const master = masterDoc ? diagnose({ doc: masterDoc, workspace: ws, settings }) : [];
  const pick = (findings: Finding[], text: string | undefined, codes: Set<string>) =>
    findings.filter((f) => codes.has(f.code)).map((f) => nameOf(text ?? '', f));
  const undef = new Set([
    ...pick(main, c.main, new Set(['postfix/undefined-parameter'])),
    ...pick(master, c.master, new Set(['postfix/undefined-parameter'])),
  ]);
  return {
    main,
    master,
    names: {
      mainUnused: [...new Set(pick(main, c.main, UNUSED_CODES))].sort(),
      masterUnused: [...new Set(pick(master, c.master, UNUSED_CODES))].sort(),
      undefined: [...undef].sort(),
    },
  };
}

// ------------------------------------------------------------------ the cases

interface Source {
  file: string;
  repo: string;
  dir: string;
}

function corpusSources(): Source[] {
  const tsv = fs.readFileSync(path.join(SHARED, 'SOURCES.tsv'), 'utf8');
  const out: Source[] = [];
  for (const line of tsv.split('\n')) {
    const [file, repo, p] = line.split('\t');
    if (!file?.startsWith('postfix/') || !repo || !p) continue;
    out.push({ file: file.slice('postfix/'.length), repo, dir: path.posix.dirname(p) });
  }
  return out;
}

function corpusCases(): Case[] {
  const sources = corpusSources();
  const debian = fs.readFileSync(DEBIAN_MASTER, 'utf8');
  const cases: Case[] = [];
  for (const src of sources.filter((s) => s.file.includes('main.cf'))) {
    const partner = sources.find((s) => s.repo === src.repo && s.dir === src.dir && s.file.includes('master.cf'));
    const main = fs.readFileSync(path.join(CORPUS, src.file), 'utf8');
    cases.push(partner
      ? { label: `corpus/${src.file}`, main, master: fs.readFileSync(path.join(CORPUS, partner.file), 'utf8'), masterForMailconf: true }
      : { label: `corpus/${src.file}`, main, master: debian, masterForMailconf: false });
  }
  return cases;
}

function sampleCases(): Case[] {
  const debian = fs.readFileSync(DEBIAN_MASTER, 'utf8');
  const cases: Case[] = [];
  for (const seed of fs.readdirSync(SAMPLES).sort()) {
    const dir = path.join(SAMPLES, seed, 'etc', 'postfix');
    if (!fs.existsSync(path.join(dir, 'main.cf'))) continue;
    const main = fs.readFileSync(path.join(dir, 'main.cf'), 'utf8');
    const masterPath = path.join(dir, 'master.cf');
    cases.push(fs.existsSync(masterPath)
      ? { label: `samples/${seed}`, main, master: fs.readFileSync(masterPath, 'utf8'), masterForMailconf: true }
      : { label: `samples/${seed}`, main, master: debian, masterForMailconf: false });
  }
  return cases;
}

/** Every master.cf of the corpus and the samples, for the postconf -M check. */
function masterFiles(): { label: string; text: string }[] {
  const out: { label: string; text: string }[] = [];
  if (fs.existsSync(CORPUS)) {
    for (const f of fs.readdirSync(CORPUS).sort()) if (f.includes('master.cf')) out.push({ label: `corpus/${f}`, text: fs.readFileSync(path.join(CORPUS, f), 'utf8') });
  }
  for (const seed of fs.readdirSync(SAMPLES).sort()) {
    const p = path.join(SAMPLES, seed, 'etc', 'postfix', 'master.cf');
    if (fs.existsSync(p)) out.push({ label: `samples/${seed}`, text: fs.readFileSync(p, 'utf8') });
  }
  return out;
}

// ------------------------------------------------------------------ the table

interface Row {
  label: string;
  theirs: string;
  ours: string;
  agree: boolean;
  note?: string;
}

const show = (s: NameSets): string => {
  const parts: string[] = [];
  if (s.mainUnused.length) parts.push(`unused ${s.mainUnused.join(' ')}`);
  if (s.masterUnused.length) parts.push(`master.cf unused ${s.masterUnused.join(' ')}`);
  if (s.undefined.length) parts.push(`undefined ${s.undefined.join(' ')}`);
  return parts.join('; ') || '—';
};

function printTable(title: string, rows: Row[]): void {
  const w = Math.max(...rows.map((r) => r.label.length), 10);
  const lines = [`\n${title}`, `${'case'.padEnd(w)} | agree | postconf | mailconf`];
  for (const r of rows) {
    const mark = r.agree ? 'yes' : r.note ? 'allow' : 'NO';
    lines.push(`${r.label.padEnd(w)} | ${mark.padEnd(5)} | ${r.theirs} | ${r.ours}${r.note ? `   [${r.note}]` : ''}`);
  }
  console.log(lines.join('\n'));
}

const countNames = (s: NameSets) => s.mainUnused.length + s.masterUnused.length + s.undefined.length;

// ------------------------------------------------------------------ tests

test('differential: unused and undefined parameter names agree with postconf -n (corpus and seeds, Postfix 3.7)', () => {
  requirePostconf();
  assert.ok(fs.existsSync(CORPUS), `the corpus is missing at ${CORPUS}`);
  const cases = [...corpusCases(), ...sampleCases()];
  assert.ok(cases.length >= 25, `${cases.length} cases`);
  const rows: Row[] = [];
  const failures: string[] = [];
  let agreedNames = 0;
  const record = (label: string, theirs: NameSets | string, ours: NameSets, agree: boolean) => {
    const note = agree ? undefined : ALLOWED[label];
    rows.push({ label, theirs: typeof theirs === 'string' ? theirs : show(theirs), ours: show(ours), agree, note });
    if (agree && typeof theirs !== 'string') agreedNames += countNames(theirs);
    if (!agree && !note) failures.push(`${label}: postconf ${typeof theirs === 'string' ? theirs : show(theirs)} ≠ mailconf ${show(ours)}`);
  };

  for (const c of cases) {
    const run = postconf({ main: c.main, master: c.master }, ['-n']);
    const ours = mailconf({ main: c.main, master: c.masterForMailconf ? c.master : undefined });
    const fatal = /fatal:/.exec(run.stderr) ? run.stderr.slice(run.stderr.indexOf('fatal:')).split('\n')[0] : undefined;
    if (run.status !== 0 || fatal) {
      const inMaster = /master\.cf|field/.test(fatal ?? '');
      if (inMaster) {
        // postconf stops at the master.cf; mailconf must report an error there too. Then
        // compare the names once more with Debian's default master.cf in its place.
        const errorInMaster = ours.master.some((f) => f.severity === 'error');
        record(`${c.label} (its master.cf)`, `rejected: ${fatal}`, ours.names, errorInMaster);
        const debian = fs.readFileSync(DEBIAN_MASTER, 'utf8');
        const again = postconf({ main: c.main, master: debian }, ['-n']);
        const oursAgain = mailconf({ main: c.main });
        const theirs = theirNames(again.stderr);
        record(`${c.label} (Debian master.cf)`, theirs, oursAgain.names, again.status === 0 && JSON.stringify(theirs) === JSON.stringify(oursAgain.names));
      } else {
        record(c.label, `rejected: ${fatal}`, ours.names, false);
        // A template: compare once more with its tag lines turned into comments, which
        // postconf can read (values with {{ … }} stay as text for both).
        if (TEMPLATE_TAG.test(c.main)) {
          const main = untemplate(c.main);
          const master = untemplate(c.master);
          const again = postconf({ main, master }, ['-n']);
          const oursAgain = mailconf({ main, master: c.masterForMailconf ? master : undefined });
          const theirs = theirNames(again.stderr);
          record(`${c.label} (tags commented out)`, again.status === 0 ? theirs : `rejected: ${again.stderr.trim()}`, oursAgain.names,
            again.status === 0 && JSON.stringify(theirs) === JSON.stringify(oursAgain.names));
        }
      }
      continue;
    }
    const theirs = theirNames(run.stderr);
    record(c.label, theirs, ours.names, JSON.stringify(theirs) === JSON.stringify(ours.names));
  }

  printTable(`postconf -n warnings vs mailconf findings (version ${VERSION}); names agreed: ${agreedNames}`, rows);
  for (const [label, reason] of Object.entries(ALLOWED)) {
    assert.ok(rows.some((r) => r.label === label && r.note), `allow-list entry ${label} is not needed any more: ${reason}`);
  }
  assert.deepEqual(failures, []);
});

test('differential: master.cf alone — -o names agree with postconf -n', () => {
  requirePostconf();
  const rows: Row[] = [];
  const failures: string[] = [];
  for (const m of masterFiles()) {
    const run = postconf({ main: '', master: m.text }, ['-n']);
    const ours = mailconf({ main: '', master: m.text });
    if (run.status !== 0 || /fatal:/.test(run.stderr)) continue; // the -M test covers rejected files
    const theirs = theirNames(run.stderr);
    const agree = JSON.stringify(theirs) === JSON.stringify(ours.names);
    rows.push({ label: m.label, theirs: show(theirs), ours: show(ours.names), agree });
    if (!agree) failures.push(`${m.label}: postconf ${show(theirs)} ≠ mailconf ${show(ours.names)}`);
  }
  printTable('master.cf with an empty main.cf: postconf -n warnings vs mailconf', rows);
  assert.ok(rows.length >= 15, `${rows.length} master.cf files compared`);
  assert.deepEqual(failures, []);
});

test('differential: every master.cf that postconf -M rejects gets an error from mailconf', () => {
  requirePostconf();
  const rows: string[] = [];
  const failures: string[] = [];
  let rejected = 0;
  for (const m of masterFiles()) {
    const run = postconf({ main: '', master: m.text }, ['-M']);
    const fatal = run.status !== 0 || /fatal:/.test(run.stderr);
    const ours = mailconf({ main: '', master: m.text });
    const errors = ours.master.filter((f) => f.severity === 'error').map((f) => f.code);
    if (fatal) rejected++;
    const ok = !fatal || errors.length > 0;
    const note = ok ? '' : ALLOWED_MASTER[m.label] ? '  [allowed]' : '  [DISAGREE]';
    rows.push(`${m.label} | postconf -M ${fatal ? `rejects (${run.stderr.trim().split('\n').pop()})` : 'accepts'} | mailconf errors: ${[...new Set(errors)].join(' ') || '—'}${note}`);
    if (!ok && !ALLOWED_MASTER[m.label]) failures.push(`${m.label}: postconf -M rejects it (${run.stderr.trim()}), mailconf reports no error`);
  }
  console.log(`\npostconf -M vs mailconf errors (${rejected} rejected)\n${rows.join('\n')}`);
  assert.ok(rejected >= 1, 'the corpus has master.cf files postconf rejects');
  assert.deepEqual(failures, []);
});
