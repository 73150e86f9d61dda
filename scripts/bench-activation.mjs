#!/usr/bin/env node
// The extension's activation as a real VS Code records it: code-server 4.99.4 (VS Code 1.99.3,
// the one test/e2e/vscode.test.ts drives; scripts/e2e/install-code-server.sh) with the packaged
// dist/mailconf.vsix installed into a fresh extensions directory, driven by Debian's chromium
// through playwright-core. Each run starts code-server anew with a fresh user-data directory and
// opens a fresh browser window on a copy of samples/000-any2any.de (an /etc tree whose main.cf
// has 3 findings), waits a few seconds for the window's own start-up to settle, opens
// etc/postfix/main.cf (which activates mailconf: onLanguage:postfix-main) and takes:
//
//   - VS Code's own figures for mailconf: "Activation: N ms" of Developer: Show Running
//     Extensions (= load code + call activate), and the "Extension Activation Stats" table of
//     Developer: Startup Performance (Load Code, Call Activate, Finish Activate: the times the
//     extension host keeps as codeLoadingTime, activateCallTime, activateResolvedTime);
//   - in the page: the click on main.cf in Quick Open → the first squiggle in the editor and
//     the first row in the (already open) Problems panel;
//   - from the logs code-server writes at --log trace (ms timestamps): in the extension host's
//     log the activation event, the call of activate(), the initialize answer (the client
//     registers the server's commands) and the first diagnostics handed to VS Code; in the
//     mailconf output channel (mailconf.trace.server = messages) the initialize request's
//     own duration and didOpen → the first publishDiagnostics. The page's and the logs'
//     wall clocks (the same machine) line the click and the squiggle up with them.
//
// Prints each run and median/min/max over the runs; exits 0 whatever happens (a run that
// fails is reported and left out). Everything listens on 127.0.0.1; code-server runs in its
// own session and its whole process group is killed after each run (it keeps extension hosts
// alive otherwise), also when this script is interrupted.
//
//   node scripts/bench-activation.mjs [--runs N] [--settle MS] [--keep]
//
//   --runs    fresh windows to measure (default 5)
//   --settle  wait after the window has loaded, before opening main.cf (default 3000 ms)
//   --keep    keep the temporary directory (logs, screenshots of the last step of each run)

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const REPO = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { freePort, waitForHealth, pickFromQuickInput } = require('./e2e/codeServer.cjs');
const CODE_SERVER = path.join(REPO, '.e2e/cs499/node_modules/.bin/code-server');
const VSIX = path.join(REPO, 'dist/mailconf.vsix');
const CHROMIUM = '/usr/bin/chromium';
const WORKSPACE_SEED = path.join(REPO, 'samples/000-any2any.de');

const args = process.argv.slice(2);
const argValue = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const RUNS = argValue('--runs', 5);
const SETTLE_MS = argValue('--settle', 3000);
const KEEP = args.includes('--keep');

const say = (msg) => console.log(msg);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- statistics ----

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => { const s = sorted(xs); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const fmt = (ms) => (ms === undefined || !Number.isFinite(ms) ? '?' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const spread = (xs) => (xs.length ? `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})` : 'not measured');

function uptimeLine() {
  const u = spawnSync('uptime', [], { encoding: 'utf8' });
  return (u.stdout || '').trim() || `load average ${loadavg().map((x) => x.toFixed(2)).join(', ')}`;
}

// ---- set-up: chromium, code-server, the .vsix ----

/** Returns why the benchmark cannot run, or undefined when everything is there. */
function prepare() {
  if (!fs.existsSync(CHROMIUM)) return `${CHROMIUM} is missing: apt-get install chromium (scripts/install-system-packages.sh does it)`;
  const install = spawnSync('bash', [path.join(REPO, 'scripts/e2e/install-code-server.sh')], { cwd: REPO, encoding: 'utf8', timeout: 900_000 });
  if (install.status !== 0 || !fs.existsSync(CODE_SERVER)) return `installing code-server failed:\n${install.stdout}\n${install.stderr}`;
  // The .vsix must hold what dist/ holds now: packaged again when missing or older than the bundles.
  const newest = Math.max(...['extension.js', 'server.js'].map((f) => fs.statSync(path.join(REPO, 'dist', f), { throwIfNoEntry: false })?.mtimeMs ?? 0));
  const vsix = fs.statSync(VSIX, { throwIfNoEntry: false });
  if (!vsix || vsix.mtimeMs < newest) {
    say(vsix ? 'dist/mailconf.vsix is older than dist/*.js: npm run package …' : 'dist/mailconf.vsix is missing: npm run package …');
    const pack = spawnSync('npm', ['run', '--silent', 'package'], { cwd: REPO, encoding: 'utf8', timeout: 300_000 });
    if (pack.status !== 0 || !fs.existsSync(VSIX)) return `npm run package failed:\n${pack.stdout}\n${pack.stderr}`;
  }
  return undefined;
}

const SETTINGS = {
  'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
  'workbench.enableExperiments': false, 'update.mode': 'none', 'workbench.tips.enabled': false,
  'remote.autoForwardPorts': false,
  'mailconf.dns.enabled': false, // no live DNS from a benchmark
  // Message names (not their bodies) in the mailconf output channel: the log side of the timings.
  'mailconf.trace.server': 'messages',
  // The Startup Performance table is read from the editor's lines: long ones must not wrap.
  'editor.wordWrap': 'off', 'editor.minimap.enabled': false,
};

// ---- one run ----

/** Code-server processes still running (their process group ids), killed on exit. */
const liveGroups = new Set();
function killGroup(pid) {
  try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
  liveGroups.delete(pid);
}
process.on('exit', () => { for (const pid of [...liveGroups]) killGroup(pid); });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(sig, () => { for (const pid of [...liveGroups]) killGroup(pid); process.exit(130); });

/** In the page: notes when the first squiggle and the first Problems row for main.cf appear, and the click that opens it. */
function installObserver() {
  // timeOrigin + a mark = the wall clock, to line the page up with the extension host's log.
  const marks = { origin: performance.timeOrigin, click: 0, editor: 0, squiggle: 0, problem: 0 };
  window.__mailconfBench = marks;
  document.addEventListener('mousedown', () => { if (!marks.click) marks.click = performance.now(); }, true);
  const check = () => {
    const now = performance.now();
    if (!marks.click) return;
    if (!marks.editor && document.querySelector('.tabs-container .tab.active')?.textContent?.includes('main.cf')) marks.editor = now;
    if (!marks.squiggle && document.querySelector('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info')) marks.squiggle = now;
    if (!marks.problem && Array.from(document.querySelectorAll('.markers-panel .monaco-list-row')).some((r) => r.textContent.includes('main.cf'))) marks.problem = now;
  };
  new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
}

/** Lines of `file` with their timestamps (ms, the writer's clock): "2026-11-26 08:17:06.162 [info] …". */
function logLines(file) {
  if (!file || !fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').flatMap((line) => {
    const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) (.*)$/.exec(line);
    return m ? [{ at: Date.parse(`${m[1]}T${m[2]}`), text: m[3] }] : [];
  });
}

function findFile(dir, name) {
  if (!fs.existsSync(dir)) return undefined;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { const found = findFile(p, name); if (found) return found; } else if (e.name === name) return p;
  }
  return undefined;
}

/**
 * The timings code-server's logs hold for this run. The extension host's log (remoteexthost.log)
 * is written with the time of each call. The mailconf channel's first lines are not: the
 * channel's file logger is created asynchronously and lines logged before it is ready get the
 * time they are written out, so of the channel only the JSON-RPC library's own "in N ms" of
 * the initialize request and the later didOpen → publishDiagnostics are used.
 */
function timingsFromLogs(userDir) {
  const host = logLines(findFile(path.join(userDir, 'logs'), 'remoteexthost.log'));
  const channel = logLines(findFile(path.join(userDir, 'logs'), 'mailconf.log'));
  const at = (lines, re) => lines.find((l) => re.test(l.text))?.at;
  const event = at(host, /_doActivateExtension mailconf\.mailconf\b/);
  const called = at(host, /_callActivateOptional mailconf\.mailconf\b/);
  // The client registers the server's commands when the initialize answer arrives.
  const initialized = at(host, /registerCommand mailconf\.server\./);
  const hostDiagnostics = at(host, /\[DiagnosticCollection\] .* mailconf\.mailconf mailconf /);
  const initRequest = /Received response 'initialize - \(0\)' in (\d+)ms/.exec(channel.map((l) => l.text).join('\n'));
  const didOpen = at(channel, /Sending notification 'textDocument\/didOpen'/);
  const published = channel.find((l) => didOpen !== undefined && l.at >= didOpen && /Received notification 'textDocument\/publishDiagnostics'/.test(l.text))?.at;
  const diff = (a, b) => (a !== undefined && b !== undefined ? b - a : undefined);
  return {
    event, hostDiagnostics,
    eventToActivateCall: diff(event, called),
    activateCallToInitialized: diff(called, initialized),
    initializeRequest: initRequest ? Number(initRequest[1]) : undefined,
    initializedToDiagnostics: diff(initialized, hostDiagnostics),
    didOpenToPublished: diff(didOpen, published),
    eventToDiagnostics: diff(event, hostDiagnostics),
  };
}

async function oneRun(browser, run, tmp, extDir, env) {
  const userDir = path.join(tmp, `user-${run}`);
  fs.mkdirSync(path.join(userDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDir, 'User/settings.json'), JSON.stringify(SETTINGS, null, 2));
  const ws = path.join(tmp, 'ws');
  const port = await freePort();
  const serverLog = fs.openSync(path.join(tmp, `code-server-${run}.log`), 'w');
  // detached: setsid(), so -pid is code-server's process group, extension hosts and mailconf servers included.
  const cs = spawn(CODE_SERVER, ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--log', 'trace',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--extensions-dir', extDir, '--user-data-dir', userDir, ws],
  { env, detached: true, stdio: ['ignore', serverLog, serverLog] });
  liveGroups.add(cs.pid);
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  try {
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, cs, 60_000);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`, { timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    await sleep(SETTLE_MS); // the window's start-up (built-in extensions, git) settles, as before a user's first click

    // The Problems panel is open before main.cf is, so its first row shows when it arrives.
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').first().waitFor({ timeout: 15_000 });
    await page.evaluate(installObserver);
    await pickFromQuickInput(page, 'Control+P', 'main.cf');
    await page.waitForFunction(() => window.__mailconfBench.problem && window.__mailconfBench.squiggle, null, { timeout: 60_000, polling: 100 });
    const marks = await page.evaluate(() => window.__mailconfBench);

    // VS Code's figure in Developer: Show Running Extensions.
    await pickFromQuickInput(page, 'Control+Shift+P', 'Developer: Show Running Extensions');
    const runningRow = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'mailconf' }).first();
    await runningRow.waitFor({ timeout: 20_000 });
    const runningText = (await runningRow.innerText()).replace(/\s+/g, ' ');
    const shown = /Activation: (\d+)\s*ms/.exec(runningText);

    // The extension host's three times in Developer: Startup Performance (a markdown editor).
    await pickFromQuickInput(page, 'Control+Shift+P', 'Developer: Startup Performance');
    await page.locator('.tabs-container .tab.active', { hasText: 'Startup Performance' }).first().waitFor({ timeout: 20_000 });
    await page.locator('.monaco-editor .view-line', { hasText: 'Extension Activation Stats' }).first().waitFor({ state: 'attached', timeout: 20_000 }).catch(() => {});
    await page.keyboard.press('Control+F');
    await page.keyboard.type('| mailconf.mailconf');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    const statsLine = page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: /^\|\s*mailconf\.mailconf\s*\|/ }).first();
    await statsLine.waitFor({ timeout: 20_000 });
    const cells = (await statsLine.innerText()).replace(/\u00a0/g, ' ').split('|').map((c) => c.trim()).filter((c, i, all) => i > 0 && i < all.length - 1);
    // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
    const [, eager, loadCode, callActivate, finishActivate, event] = cells;
    if (KEEP) await page.screenshot({ path: path.join(tmp, `run-${run}.png`) }).catch(() => {});

    return {
      shownActivation: shown ? Number(shown[1]) : undefined,
      loadCode: Number(loadCode), callActivate: Number(callActivate), finishActivate: Number(finishActivate), eager, event,
      clickToEditor: marks.editor - marks.click, clickToSquiggle: marks.squiggle - marks.click, clickToProblem: marks.problem - marks.click,
      clickWallClock: marks.origin + marks.click, squiggleWallClock: marks.origin + marks.squiggle,
      logs: undefined, userDir,
    };
  } finally {
    await context.close().catch(() => {});
    killGroup(cs.pid);
    // The group is gone once code-server itself has been reaped.
    if (cs.exitCode === null && cs.signalCode === null) await new Promise((r) => { cs.once('exit', r); setTimeout(r, 5000).unref(); });
  }
}

// ---- main ----

say('# mailconf activation in a real VS Code (code-server 4.99.4 = VS Code 1.99.3, Debian chromium via playwright-core)\n');
const why = prepare();
if (why) {
  say(`not measured: ${why}`);
  process.exit(0);
}
const { chromium } = require('playwright-core');
const csVersion = spawnSync(CODE_SERVER, ['--version'], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: path.join(REPO, '.e2e/cshome/config'), XDG_DATA_HOME: path.join(REPO, '.e2e/cshome/data'), XDG_CACHE_HOME: path.join(REPO, '.e2e/cshome/cache') } }).stdout.trim().split('\n')[0];
const git = spawnSync('git', ['log', '-1', '--format=%h'], { cwd: REPO, encoding: 'utf8' }).stdout.trim();
say(`- machine: ${cpus()[0]?.model ?? '?'}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GB; Node ${process.version}; code-server ${csVersion}`);
say(`- extension: dist/mailconf.vsix (${(fs.statSync(VSIX).size / 1024).toFixed(0)} KB, built ${fs.statSync(VSIX).mtime.toISOString()}), HEAD ${git}`);
say(`- at the start: ${uptimeLine()}`);
say(`- ${RUNS} runs; each a new code-server, fresh user-data dir, new browser context; ${SETTLE_MS} ms after the window loads, main.cf (samples/000-any2any.de/etc/postfix/main.cf) is opened through Quick Open\n`);

const tmp = fs.mkdtempSync(path.join(tmpdir(), 'mailconf-bench-activation-'));
const home = path.join(tmp, 'home');
// Sockets, caches and config of code-server stay in the temp dir, not in $HOME or /tmp.
const env = { ...process.env, TMPDIR: path.join(tmp, 'tmp'), XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'data'), XDG_CACHE_HOME: path.join(home, 'cache') };
fs.mkdirSync(env.TMPDIR, { recursive: true });
fs.cpSync(WORKSPACE_SEED, path.join(tmp, 'ws'), { recursive: true });
const extDir = path.join(tmp, 'extensions');
fs.mkdirSync(extDir, { recursive: true }); // must exist before --install-extension
fs.mkdirSync(path.join(tmp, 'user-install'), { recursive: true });
const inst = spawnSync(CODE_SERVER, ['--install-extension', VSIX, '--force', '--extensions-dir', extDir, '--user-data-dir', path.join(tmp, 'user-install')], { encoding: 'utf8', env, timeout: 120_000 });
const results = [];
let browser;
try {
  if (inst.status !== 0) throw new Error(`--install-extension failed:\n${inst.stdout}\n${inst.stderr}`);
  const chromeHome = path.join(tmp, 'chromehome');
  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, timeout: 60_000,
    env: { ...process.env, HOME: chromeHome, XDG_CONFIG_HOME: path.join(chromeHome, 'config'), XDG_CACHE_HOME: path.join(chromeHome, 'cache') },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  for (let run = 1; run <= RUNS; run++) {
    try {
      const r = await oneRun(browser, run, tmp, extDir, env);
      r.logs = timingsFromLogs(r.userDir);
      results.push(r);
      const l = r.logs;
      r.clickToEvent = l.event === undefined ? undefined : l.event - r.clickWallClock;
      r.hostDiagnosticsToSquiggle = l.hostDiagnostics === undefined ? undefined : r.squiggleWallClock - l.hostDiagnostics;
      say(`run ${run}: Running Extensions "Activation: ${r.shownActivation} ms"; load code ${r.loadCode}, call activate ${r.callActivate}, finish activate ${r.finishActivate} ms (${r.event}); ` +
        `click → activation event ${fmt(r.clickToEvent)}, event → activate() ${l.eventToActivateCall} ms, activate() → initialize answered ${l.activateCallToInitialized} ms (the request ${l.initializeRequest} ms), ` +
        `→ diagnostics in the extension host ${l.initializedToDiagnostics} ms (didOpen → publishDiagnostics ${l.didOpenToPublished} ms), → squiggle ${fmt(r.hostDiagnosticsToSquiggle)}; ` +
        `click → squiggle ${fmt(r.clickToSquiggle)}, → Problems row ${fmt(r.clickToProblem)}`);
    } catch (e) {
      say(`run ${run} failed: ${e?.message ?? e}`);
    }
  }
} catch (e) {
  say(`not measured: ${e?.message ?? e}`);
} finally {
  if (browser) await Promise.race([browser.close(), sleep(10_000)]).catch(() => {});
  for (const pid of [...liveGroups]) killGroup(pid);
}

const col = (f) => results.map(f).filter((x) => typeof x === 'number' && Number.isFinite(x));
const rows = [
  ['VS Code "Activation" (Show Running Extensions = load code + call activate)', col((r) => r.shownActivation)],
  ['  load code (codeLoadingTime: require of dist/extension.js)', col((r) => r.loadCode)],
  ['  call activate (activateCallTime: activate() until it returns its promise)', col((r) => r.callActivate)],
  ['finish activate (activateResolvedTime: until activate()\'s promise resolves = client started, server initialized)', col((r) => r.finishActivate)],
  ['mailconf\'s activate() in all (call + finish activate)', col((r) => r.callActivate + r.finishActivate)],
  ['page → log: click on main.cf → activation event (onLanguage:postfix-main)', col((r) => r.clickToEvent)],
  ['log: activation event → activate() called (load code, extension context)', col((r) => r.logs.eventToActivateCall)],
  ['log: activate() called → initialize answered (server spawned, initialized)', col((r) => r.logs.activateCallToInitialized)],
  ['  of which the initialize request (JSON-RPC\'s own "in N ms")', col((r) => r.logs.initializeRequest)],
  ['log: initialize answered → first diagnostics in the extension host', col((r) => r.logs.initializedToDiagnostics)],
  ['  of which didOpen → first publishDiagnostics (mailconf channel)', col((r) => r.logs.didOpenToPublished)],
  ['log: activation event → first diagnostics in the extension host', col((r) => r.logs.eventToDiagnostics)],
  ['log → page: diagnostics in the extension host → first squiggle', col((r) => r.hostDiagnosticsToSquiggle)],
  ['page: click on main.cf → its editor tab', col((r) => r.clickToEditor)],
  ['page: click on main.cf → first squiggle', col((r) => r.clickToSquiggle)],
  ['page: click on main.cf → first row in the Problems panel', col((r) => r.clickToProblem)],
];
const width = Math.max(...rows.map(([name]) => name.length));
say(`\n## Activation of mailconf in VS Code: median (min–max) over ${results.length} of ${RUNS} runs\n`);
say(`| ${'what'.padEnd(width)} | median (min–max) |`);
say(`|${'-'.repeat(width + 2)}|------------------|`);
for (const [name, xs] of rows) say(`| ${name.padEnd(width)} | ${spread(xs)} |`);
say(`\n- at the end: ${uptimeLine()}`);
say('- "Activation" and load/call/finish are VS Code\'s own figures (its extension host measures them with Date.now(), 1 ms steps); "log:" rows are differences of');
say('  timestamps in code-server\'s extension-host log and the mailconf output channel (--log trace); "page:" rows are performance.now() in the window;');
say('  "page → log" and "log → page" rows compare the page\'s and the extension host\'s wall clocks (the same machine).');
if (KEEP) say(`- kept: ${tmp}`);
else fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0);
