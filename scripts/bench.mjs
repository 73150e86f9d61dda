#!/usr/bin/env node
// `npm run bench`: the figures of docs/performance.md, measured on inputs generated on the
// spot (scripts/bench-inputs.mjs: zones of 10k, 100k and 1M records, a reverse zone of
// 65,536 PTRs, a main.cf of 2,000 parameters with a master.cf of 300 services, a KeyTable/
// SigningTable of 10,000 domains with key files). Prints a table and exits 0; it asserts
// nothing (benchmarks print numbers, tests check behaviour).
//
//   node scripts/bench.mjs [--quick] [--only core,cli,lsp,package] [--keep DIR]
//
//   --quick   no 1M-record zone, fewer runs, no .vsix packaging (about a minute)
//   --only    run some sections: core (in-process check, peak RSS), cli (mailconf against
//             named-checkzone / postconf), lsp (the server over stdio), package (.vsix)
//   --keep    write the inputs to DIR and keep them (default: a temporary directory)
//
// Each figure is the median of several runs with min and max; keystroke, hover and
// completion latencies are p50/p95 over 50 samples. Builds dist/ first when it is missing.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem, availableParallelism, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { writeInputs } from './bench-inputs.mjs';
import { fileSession, spawnToInitialize, zoneSession } from './bench-lsp.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const keepDir = args.includes('--keep') ? args[args.indexOf('--keep') + 1] : undefined;
const sections = new Set((onlyArg ?? (quick ? 'core,cli,lsp' : 'core,cli,lsp,package')).split(','));
const RUNS = quick ? 3 : 5;
const RUNS_1M = 3;

// ---- statistics and printing ----

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => { const s = sorted(xs); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const pct = (xs, p) => { const s = sorted(xs); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };
const fmt = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);
const spread = (xs) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
const mb = (x) => (x === undefined ? '?' : `${x.toFixed(0)} MB`);

function table(title, header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
}

function run(cmd, argv, options = {}) {
  return spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
}

// Loads the extension bundle with a stand-in for `vscode` (every member a no-op) and prints the milliseconds.
const LOAD_EXTENSION = `
const Module = require('module');
const stub = new Proxy(function () {}, { get: (t, k) => (k === Symbol.toPrimitive ? () => '' : stub), apply: () => stub, construct: () => stub });
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const t0 = performance.now();
require(process.argv[1]);
process.stdout.write(String(performance.now() - t0));
`;

// ---- set-up ----

const started = performance.now();
const dist = join(repo, 'dist');
if (!existsSync(join(dist, 'server.js')) || !existsSync(join(dist, 'cli.js')) || !existsSync(join(dist, 'extension.js'))) {
  console.log('dist/ is missing: building (node esbuild.mjs) …');
  const b = run(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'inherit' });
  if (b.status !== 0) { console.log('build failed: nothing measured'); process.exit(0); }
}
const work = keepDir ?? mkdtempSync(join(tmpdir(), 'mailconf-bench-'));
const needsInputs = ['core', 'cli', 'lsp'].some((x) => sections.has(x));
if (needsInputs) console.log(`generating inputs in ${work} …`);
const inputs = needsInputs
  ? writeInputs(work, { sizes: quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000] })
  : { zones: [], reverse: undefined, postfix: undefined, opendkim: undefined };
const zones = needsInputs ? [...inputs.zones, inputs.reverse] : [];

// The core bundle the in-process measurements load (what dist/cli.js runs, without its main).
const coreBundle = join(work, 'core-bundle.cjs');
const entry = join(work, 'core-entry.ts');
writeFileSync(entry, `export { discover } from ${JSON.stringify(join(repo, 'server/src/node/discovery.ts'))};\n` +
  `export { checkFiles } from ${JSON.stringify(join(repo, 'server/src/cli/checkFiles.ts'))};\n`);
await require('esbuild').build({ entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, outfile: coreBundle, logLevel: 'warning' });

const hasTime = existsSync('/usr/bin/time');
const tool = (cmd) => run('sh', ['-c', `command -v ${cmd}`]).stdout.trim();
const namedCheckzone = tool('named-checkzone');
const postconf = tool('postconf') || (existsSync('/usr/sbin/postconf') ? '/usr/sbin/postconf' : '');

console.log('\n## Machine\n');
console.log(`- CPU: ${cpus()[0]?.model ?? '?'}, ${availableParallelism()} cores (nproc), ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM`);
console.log(`- Node ${process.version}; load average at the start ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min)`);
if (namedCheckzone) console.log(`- named-checkzone: ${run(namedCheckzone, ['-v']).stdout.trim()}`);
if (postconf) console.log(`- postconf: Postfix ${run(postconf, ['-d', 'mail_version']).stdout.trim().replace(/^mail_version = /, '')}`);
if (needsInputs) console.log(`- inputs: ${zones.map((z) => `${z.name} ${(z.bytes / 1e6).toFixed(1)} MB`).join(', ')}; main.cf+master.cf ${(inputs.postfix.bytes / 1e3).toFixed(0)} KB; ${inputs.opendkim.domains} KeyTable domains`);

/** The inputs as the CLI and the core take them: paths, and the real program to compare with. */
const cases = !needsInputs ? [] : [
  ...zones.map((z) => ({ name: z.name, paths: [z.path], runs: z.records >= 1_000_000 ? RUNS_1M : RUNS, real: namedCheckzone && { label: 'named-checkzone', cmd: namedCheckzone, argv: [z.origin, z.path] } })),
  { name: inputs.postfix.name, paths: [inputs.postfix.dir], runs: RUNS, real: postconf && { label: 'postconf -n', cmd: postconf, argv: ['-n', '-c', inputs.postfix.dir] } },
  { name: inputs.opendkim.name, paths: [inputs.opendkim.root], configRoot: inputs.opendkim.root, runs: RUNS, real: undefined },
];

/** Runs a section when it was asked for; a failure is printed and the next section runs. */
async function section(name, body) {
  if (!sections.has(name)) return;
  try {
    await body();
  } catch (e) {
    console.log(`\n(section ${name} failed: ${e?.stack ?? e})`);
  }
}

// ---- 1. the core, in-process ----

await section('core', async () => {
  const rows = [];
  for (const c of cases) {
    const times = [];
    const rss = [];
    let findings = 0;
    for (let r = 0; r < c.runs; r++) {
      const out = run(process.execPath, [join(repo, 'scripts/bench-core-child.mjs'), coreBundle, ...(c.configRoot ? ['--config-root', c.configRoot] : []), ...c.paths]);
      if (out.status !== 0) { console.log(`core run failed for ${c.name}: ${out.stderr.slice(0, 500)}`); break; }
      const m = JSON.parse(out.stdout.trim().split('\n').pop());
      times.push(m.ms);
      rss.push(m.maxRssMb);
      findings = m.findings;
    }
    if (times.length) rows.push([c.name, spread(times), `${mb(median(rss))} (${mb(Math.min(...rss))}–${mb(Math.max(...rss))})`, findings]);
  }
  table('## 1. Full check in-process (read + parse + every check; a process per run for its peak RSS)', ['input', 'time: median (min–max)', 'peak RSS', 'findings'], rows);
});

// ---- 2. the CLI against the real programs ----

/** Wall time (ms) and peak RSS (MB, with GNU time) of a command. */
function timed(cmd, argv) {
  const t0 = performance.now();
  const out = hasTime ? run('/usr/bin/time', ['-f', '%M', cmd, ...argv]) : run(cmd, argv);
  const ms = performance.now() - t0;
  const rss = hasTime ? Number(out.stderr.trim().split('\n').pop()) / 1024 : undefined;
  return { ms, rss, status: out.status };
}

await section('cli', async () => {
  const rows = [];
  const cli = join(dist, 'cli.js');
  for (const c of cases) {
    const mine = [];
    const mineRss = [];
    const real = [];
    for (let r = 0; r < c.runs; r++) {
      const m = timed(process.execPath, [cli, 'check', ...(c.configRoot ? ['--config-root', c.configRoot] : []), ...c.paths]);
      mine.push(m.ms);
      if (m.rss !== undefined) mineRss.push(m.rss);
      if (c.real) {
        const t = timed(c.real.cmd, c.real.argv);
        if (t.status === 0) real.push(t.ms);
      }
    }
    const ratio = real.length ? `${(median(mine) / median(real)).toFixed(2)} (${c.real.label} ${spread(real)})` : '— (no such program)';
    rows.push([c.name, spread(mine), mineRss.length ? mb(median(mineRss)) : '?', ratio]);
  }
  table('## 2. `mailconf check` (dist/cli.js, wall time incl. Node start-up) against the real programs, same files, same run', ['input', 'mailconf: median (min–max)', 'peak RSS', 'ratio mailconf/real (real: median (min–max))'], rows);
});

// ---- 3. the server over stdio ----

await section('lsp', async () => {
  const server = join(dist, 'server.js');
  const init = await spawnToInitialize(server, quick ? 5 : 10);
  const rows = [['spawn → initialize answer', spread(init), '', '']];
  for (const z of zones) {
    const big = z.records >= 100_000 && z.name.startsWith('zone');
    const s = big ? await zoneSession(server, z.path, { edits: 50, requests: 50 }) : await zoneSessionOpenOnly(server, z);
    rows.push([`${z.name}: didOpen → first diagnostics`, fmt(s.open.ms), `${s.open.count} diagnostics`, s.rssAfterOpen ? `server RSS ${mb(s.rssAfterOpen)}` : '']);
    if (big) {
      for (const t of s.typing) {
        rows.push([`${z.name}: one-character edit → diagnostics, ${t.gapMs} ms apart`, `p50 ${fmt(pct(t.times, 0.5))}, p95 ${fmt(pct(t.times, 0.95))}`, `max ${fmt(Math.max(...t.times))}`, `${t.times.length} edits`]);
      }
      rows.push([`${z.name}: hover (owner name)`, `p50 ${fmt(pct(s.hover, 0.5))}, p95 ${fmt(pct(s.hover, 0.95))}`, `max ${fmt(Math.max(...s.hover))}`, `${s.hover.length} requests`]);
      rows.push([`${z.name}: documentSymbol / foldingRange / semanticTokens/full (over 50,000 lines: the first 50,000)`, `p50 ${fmt(pct(s.whole.symbols, 0.5))} / ${fmt(pct(s.whole.folding, 0.5))} / ${fmt(pct(s.whole.semanticTokens, 0.5))}`,
        `max ${fmt(Math.max(...s.whole.symbols))} / ${fmt(Math.max(...s.whole.folding))} / ${fmt(Math.max(...s.whole.semanticTokens))}`, `${s.whole.symbols.length} requests each`]);
      rows.push([`${z.name}: semanticTokens/range (150 lines around the edit, as VS Code asks when scrolling)`, `p50 ${fmt(pct(s.rangeTokens, 0.5))}, p95 ${fmt(pct(s.rangeTokens, 0.95))}`, `max ${fmt(Math.max(...s.rangeTokens))}`, `${s.rangeTokens.length} requests`]);
      rows.push([`${z.name}: a keystroke in a main.cf beside it → its diagnostics / the zone's re-check`, `p50 ${fmt(pct(s.besideZone.main, 0.5))} / ${fmt(pct(s.besideZone.zone, 0.5))}, p95 ${fmt(pct(s.besideZone.main, 0.95))} / ${fmt(pct(s.besideZone.zone, 0.95))}`,
        `max ${fmt(Math.max(...s.besideZone.main))} / ${fmt(Math.max(...s.besideZone.zone))}`, `${s.besideZone.main.length} edits`]);
      rows.push([`${z.name}: completion (zones offer none: the request's round trip)`, `p50 ${fmt(pct(s.completion, 0.5))}, p95 ${fmt(pct(s.completion, 0.95))}`, `max ${fmt(Math.max(...s.completion))}`, `server RSS ${mb(s.rssEnd)} at the end`]);
    }
  }
  // Completion of a parameter name with three characters typed, one, and none (Ctrl+Space at the start of the line).
  const pf = await fileSession(server, inputs.postfix.main, 'postfix-main', { line: 1, character: 3 },
    { moreCompletions: { 'one character typed': { line: 1, character: 1 }, 'nothing typed': { line: 1, character: 0 } } });
  rows.push([`main.cf 2k: didOpen → first diagnostics`, fmt(pf.open.ms), `${pf.open.count} diagnostics`, '']);
  rows.push(['main.cf 2k: hover / completion (parameter name, 3 characters typed)', `p95 ${fmt(pct(pf.hover, 0.95))} / ${fmt(pct(pf.completion, 0.95))}`, `p50 ${fmt(pct(pf.hover, 0.5))} / ${fmt(pct(pf.completion, 0.5))}`, `${pf.items} items`]);
  for (const [name, m] of Object.entries(pf.more)) {
    rows.push([`main.cf 2k: completion, ${name}`, `p95 ${fmt(pct(m.times, 0.95))}`, `p50 ${fmt(pct(m.times, 0.5))}`, `${m.items} items, ${(m.bytes / 1024).toFixed(0)} KB`]);
  }
  if (pf.resolve.length) rows.push(['main.cf 2k: completionItem/resolve (the documentation)', `p95 ${fmt(pct(pf.resolve, 0.95))}`, `p50 ${fmt(pct(pf.resolve, 0.5))}`, '']);
  const kt = await fileSession(server, inputs.opendkim.keyTable, 'opendkim-table', { line: 1, character: 2 });
  rows.push([`KeyTable 10k: didOpen → first diagnostics`, fmt(kt.open.ms), `${kt.open.count} diagnostics`, '']);
  rows.push(['KeyTable 10k: hover / completion', `p95 ${fmt(pct(kt.hover, 0.95))} / ${fmt(pct(kt.completion, 0.95))}`, `p50 ${fmt(pct(kt.hover, 0.5))} / ${fmt(pct(kt.completion, 0.5))}`, '']);
  table('## 3. The language server over stdio (node dist/server.js --stdio; each keystroke waits for its diagnostics)', ['what', 'time', '', ''], rows);
});

async function zoneSessionOpenOnly(server, z) {
  const s = await fileSession(server, z.path, 'dns-zone', { line: 0, character: 0 }, { requests: 1 });
  return { open: s.open };
}

// ---- 4. the extension bundle ----

await section('package', async () => {
  const p = run('npm', ['run', '--silent', 'package'], { cwd: repo });
  const vsix = join(dist, 'mailconf.vsix');
  const rows = [];
  if (p.status === 0 && existsSync(vsix)) rows.push(['.vsix (npm run package)', `${(statSync(vsix).size / 1024).toFixed(0)} KB`]);
  else rows.push(['.vsix (npm run package)', `packaging failed: ${(p.stderr || p.stdout).trim().split('\n').pop()}`]);
  // Activation: VS Code loads dist/extension.js, and activate() awaits the client's start,
  // that is the server's spawn and initialize. The load is measured with a stand-in for
  // the `vscode` module; the start is the spawn → initialize figure of section 3.
  const loads = [];
  for (let r = 0; r < RUNS; r++) {
    const out = run(process.execPath, ['-e', LOAD_EXTENSION, join(dist, 'extension.js')]);
    if (out.status === 0 && out.stdout.trim() !== '') loads.push(Number(out.stdout.trim()));
  }
  if (loads.length) rows.push(['dist/extension.js load (stand-in vscode module)', spread(loads)]);
  rows.push(['activation ≈ load + server spawn → initialize', 'see section 3 for the second part']);
  table('## 4. Extension bundle', ['what', 'figure'], rows);
});

await section('activation', async () => run(process.execPath, [join(repo, 'scripts/bench-activation.mjs')], { stdio: 'inherit' })); // --only activation: in a real VS Code (code-server), not part of the default run

console.log(`\nbench took ${((performance.now() - started) / 1000).toFixed(0)} s; load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' / ')}`);
if (!keepDir) rmSync(work, { recursive: true, force: true });
