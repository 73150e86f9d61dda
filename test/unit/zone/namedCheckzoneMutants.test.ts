// Differential test against BIND's named-checkzone (Debian bind9-utils, installed by npm
// test) on whole zones: every zone file of ../shared/corpus/zone, every seed zone and genkey record, as
// they are and with mutations (a bad address, a CNAME beside other data, an MX pointing at
// a CNAME, a relative name in rdata meant absolute, a broken TTL, unbalanced quotes and
// parentheses, an unknown type, a 300-byte string, and more). Where named-checkzone rejects
// a zone (non-zero exit), mailconf must report an error; where it loads the zone, mailconf
// must not — except for the documented cases below. A table of all cases is printed.
//
// named-checkzone needs the zone name: the first $ORIGIN, else the name the file name
// gives, else example.com. Fragments without SOA (opendkim-genkey mail.txt, the seeds'
// records) are wrapped into a zone with SOA, NS and the name server's address. The ocf
// zones `$INCLUDE ../db.ocf`, which is not in the corpus: a stub with the SOA stands in for
// it, beside the zone for BIND and in the workspace for mailconf.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CORPUS, SAMPLES } from './helpers';
import { zoneWorkspace, contextFor } from './checksSupport';
import { diagnose } from '../../../server/src/core/checks';
import { originFromFileName } from '../../../server/src/core/zone/checks/origin';
import { zoneDataOf } from '../../../server/src/core/zone/checks/zoneData';

const HAVE_BIND = spawnSync('named-checkzone', ['-v'], { encoding: 'utf8' }).status === 0;
const OCF_STUB = '@ IN SOA ns.ocf.berkeley.edu. hostmaster.ocf.berkeley.edu. ( 1 5m 5m 1w 5m )\n';

interface Source {
  name: string;
  text: string;
  origin: string;
  /** Files beside it, by path relative to the zone file's directory. */
  beside: Record<string, string>;
}

function wrap(fragment: string, origin: string): string {
  return `$TTL 3600\n$ORIGIN ${origin}\n@ IN SOA ns.${origin} hostmaster.${origin} ( 1 2h 1h 4w 1h )\n@ IN NS ns.${origin}\nns.${origin} IN A 192.0.2.53\n$ORIGIN ${origin}\n` +
    fragment + (fragment.endsWith('\n') ? '' : '\n');
}

function originOf(text: string, fileName: string): string {
  const m = /^\$ORIGIN\s+(\S+)/m.exec(text);
  if (m) return m[1].endsWith('.') ? m[1] : m[1] + '.';
  return originFromFileName('file:///' + fileName) ?? 'example.com.';
}

function sources(): Source[] {
  const out: Source[] = [];
  const add = (name: string, text: string, fileName: string) => {
    const origin = originOf(text, fileName);
    const hasSoa = /\bSOA\b/.test(text) || text.includes('$INCLUDE ../db.ocf');
    out.push({ name, text: hasSoa ? text : wrap(text, origin), origin, beside: text.includes('$INCLUDE ../db.ocf') ? { '../db.ocf': OCF_STUB } : {} });
  };
  const dir = path.join(CORPUS, 'zone');
  for (const name of fs.readdirSync(dir).sort()) add(name, fs.readFileSync(path.join(dir, name), 'utf8'), name.slice(name.lastIndexOf('__') + 2));
  for (const d of fs.readdirSync(SAMPLES).sort()) {
    const zones = path.join(SAMPLES, d, 'zones');
    if (fs.existsSync(zones)) for (const name of fs.readdirSync(zones).sort()) add(`${d}/${name}`, fs.readFileSync(path.join(zones, name), 'utf8'), name);
    // The opendkim-genkey records under the seed's etc/ (selector.txt).
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.txt') ? [path.join(dir, e.name)] : []));
    const etc = path.join(SAMPLES, d, 'etc');
    if (fs.existsSync(etc)) for (const file of walk(etc).sort()) add(path.relative(SAMPLES, file), fs.readFileSync(file, 'utf8'), path.basename(file));
  }
  return out;
}

// ---- mutations: each returns the mutated zone, or undefined when it does not apply ----

type Mutation = (text: string, origin: string, src: Source) => string | undefined;

function append(text: string, lines: string): string {
  return text + (text.endsWith('\n') ? '' : '\n') + lines;
}

/** An owner of the zone (absolute) that has an A record, from mailconf's zone data. */
function ownerWithAddress(src: Source, text: string): string | undefined {
  const ws = zoneWorkspace(filesOf(src, text));
  const data = zoneDataOf(ws.get(zoneUri(src))!, ws);
  for (const [, group] of data.byName) {
    if (group.some((rr) => rr.record.typeCode === 1) && group[0].owner.endsWith(data.apex) && group[0].key !== data.apexKey) return group[0].owner;
  }
  return undefined;
}

const MUTATIONS: Record<string, Mutation> = {
  'bad address': (t, o) => {
    const m = /^(\S+[ \t]+(?:\d+[ \t]+)?(?:IN[ \t]+)?A[ \t]+)(\d+\.\d+\.\d+\.\d+)/m.exec(t);
    return m ? t.slice(0, m.index) + m[1] + '192.0.2.256' + t.slice(m.index + m[0].length) : append(t, `badaddr.${o} IN A 192.0.2.256\n`);
  },
  'bad IPv6 address': (t, o) => append(t, `badaddr6.${o} IN AAAA 2001:db8::12345\n`),
  'CNAME beside other data': (t, o, s) => {
    const owner = ownerWithAddress(s, t);
    return append(t, owner ? `${owner} IN CNAME ${o}\n` : `both.${o} IN A 192.0.2.1\nboth.${o} IN CNAME ${o}\n`);
  },
  'two CNAMEs': (t, o) => append(t, `alias.${o} IN CNAME a.example.net.\nalias.${o} IN CNAME b.example.net.\n`),
  'MX to CNAME': (t, o, s) => append(t, `mx-alias.${o} IN CNAME ${ownerWithAddress(s, t) ?? 'mail.example.net.'}\n${o} IN MX 10 mx-alias.${o}\n`),
  'MX to an address': (t, o) => append(t, `${o} IN MX 10 192.0.2.25\n`),
  'NS to an address': (t, o) => append(t, `${o} IN NS 192.0.2.53\n`),
  'relative name in rdata': (t, o) => {
    const bare = o.slice(0, -1).replace(/\./g, '\\.');
    const re = new RegExp(`^(.*\\s(?:MX[ \\t]+\\d+|CNAME|NS)[ \\t]+)(\\S+\\.${bare})\\.([ \\t]*(?:;.*)?)$`, 'mi');
    const m = re.exec(t);
    return m ? t.slice(0, m.index) + m[1] + m[2] + m[3] + t.slice(m.index + m[0].length) : append(t, `${o} IN MX 10 mail.${o.slice(0, -1)}\n`);
  },
  'relative NS target': (t, o) => append(t, `${o} IN NS ns9.${o.slice(0, -1)}\n`),
  'MX preference out of range': (t, o) => append(t, `${o} IN MX 65536 mail.example.net.\n`),
  'broken TTL': (t, o) => (/^\$TTL[ \t]+\S+/m.test(t) ? t.replace(/^(\$TTL[ \t]+)\S+/m, '$11hour') : append(t, `badttl.${o} 1hour IN A 192.0.2.1\n`)),
  'unbalanced quotes': (t, o) => {
    const m = /^[^;\n]*TXT[^;\n]*?"[^"\n]*"/m.exec(t);
    if (!m) return append(t, `q.${o} IN TXT "abc\n`);
    return t.slice(0, m.index + m[0].length - 1) + t.slice(m.index + m[0].length);
  },
  'unbalanced parentheses': (t, o) => {
    const m = /^[^;"\n]*\)/m.exec(t);
    return m ? t.slice(0, m.index + m[0].length - 1) + t.slice(m.index + m[0].length) : append(t, `p.${o} IN TXT ( "abc"\n`);
  },
  'unknown type': (t, o) => {
    const m = /^(\S+[ \t]+(?:\d+[ \t]+)?(?:IN[ \t]+)?)A([ \t]+\d)/m.exec(t);
    return m ? t.slice(0, m.index) + m[1] + 'AA' + m[2] + t.slice(m.index + m[0].length) : append(t, `u.${o} IN FOO bar\n`);
  },
  '300-byte string': (t, o) => append(t, `long.${o} IN TXT "${'x'.repeat(300)}"\n`),
  'empty label': (t, o) => append(t, `a..b.${o} IN A 192.0.2.1\n`),
  'SOA below the apex': (t, o) => append(t, `sub-soa.${o} IN SOA ns.${o} hostmaster.${o} 1 1 1 1 1\n`),
  'bad TLSA data': (t, o) => append(t, `_25._tcp.mail.${o} IN TLSA 3 1 1 0d6fce3\n`),
  'bad CAA tag': (t, o) => append(t, `${o} IN CAA 0 issue-wild "ca.example.net"\n`),
};

/** Where mailconf deliberately disagrees with BIND, and why (by mutation, for every source). */
const BIND_REJECTS_MAILCONF_WARNS: Record<string, string> = {
  '300-byte string': 'a character-string over 255 bytes: BIND, NSD and Knot refuse the zone, gdnsd and several DNS providers split it; mailconf warns (zone/txt-string-too-long, documented in the parser\'s differential test)',
};
const BIND_LOADS_MAILCONF_ERRS: Record<string, string> = {
  'MX to an address': 'BIND only warns ("MX is an address"); mail servers refuse a numeric MX host (Postfix: "numeric domain name in resource data of MX record"), so mail cannot be delivered through it',
};

interface Row {
  source: string;
  mutation: string;
  bind: boolean;
  bindSays: string;
  mailconf: string[];
}

function zoneUri(src: Source): string {
  return `file:///work/zones/${path.basename(src.name)}`;
}

function filesOf(src: Source, text: string): Record<string, string> {
  const files: Record<string, string> = { [zoneUri(src)]: text };
  for (const [rel, t] of Object.entries(src.beside)) files[new URL(rel, zoneUri(src)).href] = t;
  return files;
}

function mailconfErrors(src: Source, text: string): string[] {
  const ws = zoneWorkspace(filesOf(src, text));
  return [...new Set(diagnose(contextFor(ws, zoneUri(src))).filter((f) => f.severity === 'error').map((f) => f.code))];
}

/** Runs named-checkzone on a zone in its own directory (with the files beside it). */
async function bindCheck(src: Source, text: string, dir: string): Promise<{ ok: boolean; says: string }> {
  const zones = path.join(dir, 'zones');
  fs.mkdirSync(zones, { recursive: true });
  fs.writeFileSync(path.join(zones, 'zone'), text);
  for (const [rel, t] of Object.entries(src.beside)) fs.writeFileSync(path.join(zones, rel), t);
  // `-i local`: integrity checks (NS/MX/SRV targets) for names inside the zone only; BIND
  // would otherwise look up outside names in live DNS (slow, and not what mailconf does offline).
  const child = spawn('named-checkzone', ['-i', 'local', src.origin, 'zone'], { cwd: zones });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const says = output.split('\n').find((l) => /error|failed|rejected|out of range|unknown|bad|unbalanced|not at top|CNAME|has no|ran out|label|syntax|singleton|appears/i.test(l) && !/loaded serial/.test(l)) ?? '';
  return { ok: status === 0, says: says.replace(/^zone [^ ]+: /, '').replace(/^dns_[a-z_]+: zone:\d+: /, '').slice(0, 70) };
}

/** Runs jobs with at most `limit` at a time, results in order. */
async function pool<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => { while (next < jobs.length) { const i = next++; out[i] = await jobs[i](); } };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return out;
}

test('named-checkzone and mailconf agree on which zones are broken (corpus, seeds, mutants)', async () => {
  assert.ok(HAVE_BIND, 'named-checkzone is not installed: apt-get install bind9-utils (npm test installs it)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-mutants-'));
  const cases: Array<{ src: Source; mutation: string; text: string }> = [];
  for (const src of sources()) {
    cases.push({ src, mutation: '(as is)', text: src.text });
    for (const [name, mutate] of Object.entries(MUTATIONS)) {
      const t = mutate(src.text, src.origin, src);
      if (t !== undefined && t !== src.text) cases.push({ src, mutation: name, text: t });
    }
  }
  let rows: Row[];
  try {
    const verdicts = await pool(cases.map((c, i) => () => bindCheck(c.src, c.text, path.join(dir, String(i)))), Math.max(8, 2 * os.cpus().length));
    rows = cases.map((c, i) => ({ source: c.src.name, mutation: c.mutation, bind: verdicts[i].ok, bindSays: verdicts[i].says, mailconf: mailconfErrors(c.src, c.text) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const verdict = (r: Row) => {
    const ours = r.mailconf.length > 0;
    if (!r.bind === ours) return 'agree';
    // Errors of the record checkers (SPF, DKIM, DMARC …) are about what mail receivers make of
    // TXT contents, which BIND does not read: a zone BIND loads may still break mail.
    if (r.bind && r.mailconf.every((c) => !c.startsWith('zone/'))) return 'mail-level';
    if (!r.bind && BIND_REJECTS_MAILCONF_WARNS[r.mutation]) return 'documented';
    if (r.bind && BIND_LOADS_MAILCONF_ERRS[r.mutation]) return 'documented';
    return 'DISAGREE';
  };
  const short = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s).padEnd(n);
  const lines = [`${short('zone', 44)} ${short('mutation', 26)} ${short('named-checkzone', 40)} ${short('mailconf errors', 44)} verdict`];
  for (const r of rows) {
    lines.push(`${short(r.source.replace(/^.*__/, ''), 44)} ${short(r.mutation, 26)} ${short(r.bind ? 'loads' : 'rejects: ' + r.bindSays, 40)} ${short(r.mailconf.join(' ') || '-', 44)} ${verdict(r)}`);
  }
  const count = (v: string) => rows.filter((r) => verdict(r) === v).length;
  lines.push('', `${short('mutation', 26)} cases  BIND rejects  mailconf errors  agree`);
  for (const m of ['(as is)', ...Object.keys(MUTATIONS)]) {
    const of = rows.filter((r) => r.mutation === m);
    lines.push(`${short(m, 26)} ${String(of.length).padStart(5)}  ${String(of.filter((r) => !r.bind).length).padStart(12)}  ${String(of.filter((r) => r.mailconf.length).length).padStart(15)}  ${String(of.filter((r) => verdict(r) === 'agree').length).padStart(5)}`);
  }
  const rejected = rows.filter((r) => !r.bind).length;
  lines.push(`${rows.length} zones checked: named-checkzone rejects ${rejected}, loads ${rows.length - rejected}; ` +
    `agree ${count('agree')}, documented exceptions ${count('documented')}, mail-level errors in zones BIND loads ${count('mail-level')}, disagree ${count('DISAGREE')}`);
  console.log(lines.join('\n'));

  assert.ok(rows.length >= 300, `${rows.length} cases`);
  assert.ok(rejected >= 150, 'the mutants do break zones');
  assert.deepEqual(rows.filter((r) => verdict(r) === 'DISAGREE').map((r) => `${r.source} / ${r.mutation}: BIND ${r.bind ? 'loads' : `rejects (${r.bindSays})`}, mailconf ${r.mailconf.join(', ') || 'no error'}`), []);
  // Every documented exception still happens (or the list is out of date).
  for (const m of Object.keys(BIND_REJECTS_MAILCONF_WARNS)) assert.ok(rows.some((r) => r.mutation === m && verdict(r) === 'documented'), m);
});
