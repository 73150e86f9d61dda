// mailconf in a real VS Code: code-server 4.99.4 (VS Code 1.99.3, from the npm registry) with
// the packaged .vsix installed, driven through its UI by Debian's chromium with playwright-core.
// On a temp workspace built from seeds 000-002 (buildSeedWorkspace): the Problems panel
// (`$smtpd_milter`, the milter socket mismatch, an SPF error in a zone), a hover, the quick-fix
// for `$smtpd_milter`, completion, the status bar item, the server SIGKILLed and restarted by
// the client, the zone file's highlighting, "Check host against SPF" and "Generate DKIM key"
// through their prompts, and the extension-host suite (vscode-extension-host/). Screenshots go
// to .test-artifacts/e2e/; readme-screenshots.sh copies the README's into docs/images/.
//
// Needs: `npm run package` (run here), code-server (scripts/e2e/install-code-server.sh, run
// here when .e2e/cs499 is missing) and /usr/bin/chromium (scripts/install-system-packages.sh).
// Everything listens on 127.0.0.1 only; code-server runs in its own session and its whole
// process group is killed at the end (it keeps extension hosts alive otherwise).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, pickFromQuickInput, waitForHealth } from '../../scripts/e2e/codeServer.cjs';

const REPO = path.resolve(__dirname, '../..');
const E2E = path.join(REPO, '.e2e');
const CODE_SERVER = path.join(E2E, 'cs499/node_modules/.bin/code-server');
const VSIX = path.join(REPO, 'dist/mailconf.vsix');
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO, '.test-artifacts/e2e');

// Browser-side globals: used only inside functions that run in the page (no DOM lib here).
interface PageElement { innerText: string; innerHTML: string; textContent: string | null; style: { top: string }; querySelectorAll(sel: string): ArrayLike<PageElement> }
declare const document: { querySelector(sel: string): PageElement | null; querySelectorAll(sel: string): ArrayLike<PageElement> };
declare function getComputedStyle(e: PageElement): { color: string };

const t0 = Date.now();
const log = (msg: string) => console.log(`# [vscode e2e ${((Date.now() - t0) / 1000).toFixed(1)} s] ${msg}`);

/** pid, parent pid and process group of a process, from /proc/PID/stat (undefined when gone). */
function procStat(pid: number): { ppid: number; pgid: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: split after it.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(rest[1]), pgid: Number(rest[2]) };
  } catch {
    return undefined;
  }
}

function procArgs(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** The node processes running dist/server.js of the extension installed under extDir. */
function installedServerPids(extDir: string): number[] {
  return fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number)
    .filter((pid) => procArgs(pid).some((a) => a.startsWith(extDir + path.sep) && a.endsWith(`${path.sep}dist${path.sep}server.js`)));
}

/** The editor's visible text, with the non-breaking spaces Monaco renders turned back into spaces. */
async function editorText(page: Page): Promise<string> {
  return (await page.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

async function quickOpen(page: Page, fileName: string): Promise<void> {
  await pickFromQuickInput(page, 'Control+P', fileName);
  await page.mouse.move(800, 450); // off the tabs and the quick input: no tooltips in screenshots
  await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 20_000 });
  await page.locator('.tabs-container .tab.active', { hasText: fileName }).first().waitFor({ timeout: 20_000 });
}

async function problemsText(page: Page): Promise<string> {
  return (await page.locator('.markers-panel').first().innerText().catch(() => '')).replace(/\s+/g, ' ');
}

/** Runs a palette command by its title. */
async function runCommand(page: Page, title: string): Promise<void> {
  await pickFromQuickInput(page, 'Control+Shift+P', title);
  await page.mouse.move(800, 450); // off the quick input: its next prompt shows no tooltip
}

/** Waits for the quick input whose title mentions `titlePart`, types `value` and accepts it. */
async function typeIntoQuickInput(page: Page, titlePart: string, value: string, shots: { before?: string; after?: string } = {}): Promise<void> {
  const widget = page.locator('.quick-input-widget', { has: page.locator('.quick-input-title', { hasText: titlePart }) }).first();
  await widget.waitFor({ state: 'visible', timeout: 30_000 });
  if (shots.before) {
    await page.waitForTimeout(200); // the list renders after the title
    await shot(page, shots.before);
  }
  const input = widget.locator('input:not([type="checkbox"])').first();
  await input.fill(value);
  // A pick-or-type list puts the typed value first; wait until it is there before accepting.
  await page.waitForTimeout(200);
  if (shots.after) await shot(page, shots.after);
  await input.press('Enter');
  await widget.locator('.quick-input-title', { hasText: titlePart }).waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => {});
}

/** Types into the Problems panel's filter box ('' clears it); the panel lists only matching rows. */
async function filterProblems(page: Page, text: string): Promise<void> {
  const input = page.locator('.part.panel .viewpane-filter input').first();
  await input.waitFor({ timeout: 15_000 });
  await input.fill(text);
  await page.waitForTimeout(400); // the filter is applied after a short debounce
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, name) }).catch((e) => log(`screenshot ${name} failed: ${e}`));
}

/**
 * The workspace the editor opens: seed 000's /etc tree (main.cf with `$smtpd_milter`, its
 * zone) with seed 001's opendkim.conf and tables in place of seed 000's (OpenDKIM on port
 * 8892 while main.cf's smtpd_milters says 8891: milter/socket-mismatch) and seed 002's zones
 * (the unquoted SPF record: spf/split-strings). A temp copy; the repo is never written.
 */
function buildSeedWorkspace(dir: string): void {
  const seed = (name: string, rel: string) => path.join(REPO, 'samples', name, rel);
  fs.cpSync(seed('000-any2any.de', ''), dir, { recursive: true });
  fs.copyFileSync(seed('001-stefanux.net', 'etc/opendkim.conf'), path.join(dir, 'etc/opendkim.conf'));
  fs.cpSync(seed('001-stefanux.net', 'etc/opendkim'), path.join(dir, 'etc/opendkim'), { recursive: true });
  fs.cpSync(seed('002-mysystems.tld', 'zones'), path.join(dir, 'zones'), { recursive: true });
}

describe('VS Code (code-server 4.99.4 + chromium): mailconf on the seeds\' configs', { timeout: 900_000 }, () => {
  let tmp = '';
  let ws = '';
  let port = 0;
  let userDir = '';
  let extDir = '';
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (scripts/install-system-packages.sh does it)`);

    const pack = spawnSync('npm', ['run', '--silent', 'package'], { cwd: REPO, encoding: 'utf8', timeout: 180_000 });
    assert.equal(pack.status, 0, `npm run package failed:\n${pack.stdout}\n${pack.stderr}`);
    assert.ok(fs.existsSync(VSIX), `${VSIX} was not built`);
    log('vsix packed');

    const install = spawnSync('bash', [path.join(REPO, 'scripts/e2e/install-code-server.sh')], { cwd: REPO, encoding: 'utf8', timeout: 600_000 });
    assert.equal(install.status, 0, `installing code-server failed:\n${install.stdout}\n${install.stderr}`);
    assert.ok(fs.existsSync(CODE_SERVER), `${CODE_SERVER} is missing after the install`);
    log('code-server present');

    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-vscode-'));
    ws = path.join(tmp, 'ws');
    buildSeedWorkspace(ws);
    buildSeedWorkspace(path.join(tmp, 'ws-extension-host'));
    extDir = path.join(tmp, 'ext');
    userDir = path.join(tmp, 'user');
    fs.mkdirSync(extDir, { recursive: true }); // must exist before --install-extension
    fs.mkdirSync(path.join(userDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userDir, 'User/settings.json'), JSON.stringify({
      'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
      'workbench.enableExperiments': false, 'update.mode': 'none', 'workbench.tips.enabled': false,
      'mailconf.dns.enabled': false, // no live DNS from a test
      // Other tests' servers (named, Postfix) listen meanwhile: no "port forwarded" pop-ups.
      'remote.autoForwardPorts': false,
      // Desktop VS Code's default (the web build saves after a delay): edits wait for a save.
      'files.autoSave': 'off',
    }, null, 2));
    // Sockets, caches and config of code-server stay in the temp dir, not in $HOME or /tmp.
    const home = path.join(tmp, 'home');
    const env = {
      ...process.env, TMPDIR: path.join(tmp, 'tmp'),
      XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'data'), XDG_CACHE_HOME: path.join(home, 'cache'),
    };
    fs.mkdirSync(env.TMPDIR, { recursive: true });

    const inst = spawnSync(CODE_SERVER, ['--install-extension', VSIX, '--force', '--extensions-dir', extDir, '--user-data-dir', userDir],
      { encoding: 'utf8', env, timeout: 120_000 });
    assert.equal(inst.status, 0, `--install-extension failed:\n${inst.stdout}\n${inst.stderr}`);
    assert.match(inst.stdout, /mailconf/);
    log('vsix installed');

    port = await freePort();
    const serverLog = fs.openSync(path.join(ARTIFACTS, 'code-server.log'), 'w');
    // detached: setsid(), so -pid is code-server's process group, extension hosts included.
    server = spawn(CODE_SERVER, ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
      '--extensions-dir', extDir, '--user-data-dir', userDir, ws],
    { env, detached: true, stdio: ['ignore', serverLog, serverLog] });
    // Also when the test process itself dies (Ctrl+C, a killed runner), not only in after().
    const killServer = () => { try { process.kill(-server!.pid!, 'SIGKILL'); } catch { /* already gone */ } };
    process.once('exit', killServer);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => { killServer(); process.exit(130); });
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, server, 60_000);
    log(`code-server listening on 127.0.0.1:${port}`);

    const chromeHome = path.join(tmp, 'chromehome');
    browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true, timeout: 60_000,
      env: { ...process.env, HOME: chromeHome, XDG_CONFIG_HOME: path.join(chromeHome, 'config'), XDG_CACHE_HOME: path.join(chromeHome, 'cache') },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`, { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    log('workbench loaded');
  }, { timeout: 900_000 });

  after(async () => {
    if (page) await shot(page, 'last.png');
    if (browser) await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 10_000).unref())]).catch(() => {});
    if (server?.pid) {
      try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('main.cf: the Problems panel lists postfix/undefined-parameter for $smtpd_milter', async () => {
    await quickOpen(page, 'main.cf');
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'postfix/undefined-parameter' }).first();
    await row.waitFor({ timeout: 30_000 });
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    await shot(page, 'main-cf-problems.png');
    assert.match(text, /smtpd_milter/, text);
    assert.match(text, /Ln 16, Col 22/, text);
  });

  it('the installed .vsix activates without errors in the extension host log', async () => {
    const hostLogs = () => {
      const found: string[] = [];
      const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const p = path.join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.name === 'remoteexthost.log') found.push(fs.readFileSync(p, 'utf8'));
        }
      };
      walk(path.join(userDir, 'logs'));
      return found.join('\n');
    };
    const deadline = Date.now() + 15_000;
    while (!/_doActivateExtension mailconf\.mailconf\b/.test(hostLogs()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const text = hostLogs();
    assert.match(text, /_doActivateExtension mailconf\.mailconf\b/, text);
    const errors = text.split('\n').filter((l) => /\[error\]/.test(l) && /mailconf/i.test(l));
    assert.deepEqual(errors, []);
  });

  it('Problems panel: milter/socket-mismatch on both sides, spf/split-strings in a zone file', async () => {
    // The server checks open documents: open OpenDKIM's side and seed 002's zone too.
    // (The Socket line, 40, is below the editor's fold: the panel is where to look.)
    await quickOpen(page, 'opendkim.conf');
    await quickOpen(page, 'domain.tld.zone');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+Shift+M');
    await filterProblems(page, 'milter/socket-mismatch');
    const mismatch = page.locator('.markers-panel .monaco-list-row', { hasText: 'milter/socket-mismatch' });
    await page.waitForFunction(() => (document.querySelector('.markers-panel')?.innerText.match(/milter\/socket-mismatch/g) ?? []).length >= 2, null, { timeout: 30_000 });
    const rows = (await mismatch.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    log(`socket-mismatch rows: ${JSON.stringify(rows)}`);
    // main.cf's smtpd_milters value and opendkim.conf's Socket value, each naming both ports.
    assert.ok(rows.some((r) => /Ln 15, Col 17/.test(r) && /8891/.test(r) && /8892/.test(r)), rows.join('\n'));
    assert.ok(rows.some((r) => /Ln 40, Col 25/.test(r) && /8891/.test(r) && /8892/.test(r)), rows.join('\n'));
    const panel = await problemsText(page);
    assert.match(panel, /main\.cf/);
    assert.match(panel, /opendkim\.conf/);
    // Clicking main.cf's row shows the line it is about, with the related OpenDKIM location below.
    await mismatch.filter({ hasText: 'Ln 15, Col 17' }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'main.cf' }).first().waitFor({ timeout: 20_000 });
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 20_000 });
    await shot(page, 'problems-milter-mismatch.png');

    await filterProblems(page, 'spf/');
    const spf = page.locator('.markers-panel .monaco-list-row', { hasText: 'spf/split-strings' }).first();
    await spf.waitFor({ timeout: 20_000 });
    const spfText = (await spf.innerText()).replace(/\s+/g, ' ');
    assert.match(spfText, /v=spf1amx/, spfText);
    assert.match(spfText, /Ln 2, Col 38/, spfText);
    assert.match(await problemsText(page), /domain\.tld\.zone/);
    // The zone with all its problems (the README's picture of seed 002).
    await quickOpen(page, 'domain.tld.zone');
    await filterProblems(page, '**/domain.tld.zone');
    await page.waitForFunction(() => ['spf/split-strings', 'zone/unquoted-txt', 'spf/neutral-all']
      .every((code) => document.querySelector('.markers-panel')?.innerText.includes(code)), null, { timeout: 20_000 });
    await shot(page, 'zone-domain-tld-problems.png');
    await filterProblems(page, '');
    await quickOpen(page, 'main.cf');
  });

  it('main.cf: hovering a parameter name shows its postconf(5) documentation', async () => {
    const name = page.locator('.monaco-editor .view-line span span', { hasText: /^non_smtpd_milters$/ }).first();
    await name.hover();
    const hover = page.locator('.monaco-hover', { hasText: /\S/ }).first();
    await hover.waitFor({ state: 'visible', timeout: 20_000 });
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.monaco-hover')).some((h) => h.innerHTML.includes('postconf.5.html')), null, { timeout: 20_000 });
    await shot(page, 'main-cf-hover.png');
    const html = await page.locator('.monaco-hover').evaluateAll((hs: PageElement[]) => hs.map((h) => h.innerHTML).join('\n'));
    assert.match(html, /postconf\.5\.html/);
    await page.keyboard.press('Escape');
    await page.mouse.move(1300, 850);
  });

  it('main.cf: the quick-fix turns $smtpd_milter into $smtpd_milters and the problem goes away', async () => {
    // Put the cursor inside the squiggled name, then ask for code actions.
    const ref = page.locator('.monaco-editor .view-line span span', { hasText: /^\$?smtpd_milter$/ }).first();
    await ref.click();
    await page.keyboard.press('Control+.');
    const action = page.locator('.action-widget .monaco-list-row', { hasText: 'smtpd_milters' }).first();
    await action.waitFor({ timeout: 20_000 });
    await shot(page, 'main-cf-quickfix.png');
    // The widget's pointer block swallows clicks: walk the list with the keyboard instead.
    const focused = page.locator('.action-widget .monaco-list-row.focused').first();
    for (let i = 0; i < 8 && !(await focused.innerText().catch(() => '')).includes('smtpd_milters'); i++) {
      await page.keyboard.press('ArrowDown');
    }
    assert.match(await focused.innerText(), /smtpd_milters/);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.querySelector('.monaco-editor .view-lines')?.innerText.replace(/\u00a0/g, ' ').includes('$smtpd_milters'),
      null, { timeout: 20_000 });
    assert.match(await editorText(page), /non_smtpd_milters = \$smtpd_milters/);
    // The server re-checks the edited text; the marker leaves the Problems panel.
    await page.waitForFunction(
      () => !document.querySelector('.markers-panel')?.innerText.includes('postfix/undefined-parameter'),
      null, { timeout: 20_000 });
    assert.doesNotMatch(await problemsText(page), /postfix\/undefined-parameter/);
    await shot(page, 'main-cf-fixed.png');
  });

  it('main.cf: completion offers a parameter name', async () => {
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('smtpd_tls_ciph');
    await page.keyboard.press('Control+Space');
    const item = page.locator('.suggest-widget .monaco-list-row', { hasText: 'smtpd_tls_ciphers' }).first();
    await item.waitFor({ timeout: 20_000 });
    await shot(page, 'main-cf-completion.png');
    // The list comes without documentation; VS Code asks for it (completionItem/resolve) for
    // the item shown in the details pane, which Control+Space opens when it is closed.
    const details = page.locator('.suggest-details', { hasText: 'postconf(5)' }).first();
    if (!(await details.isVisible())) await page.keyboard.press('Control+Space');
    await details.waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
  });

  it('status bar: the mailconf item says "mailconf DNS" (live DNS off in this test)', async () => {
    const item = page.locator('.statusbar-item', { hasText: 'mailconf DNS' }).first();
    await item.waitFor({ timeout: 20_000 });
    const text = (await item.innerText()).trim();
    assert.match(text, /mailconf DNS/);
    // The item's accessible label comes from the tooltip-less text: the codicon name is in it.
    const label = (await item.locator('a, .statusbar-item-label').first().getAttribute('aria-label')) ?? '';
    log(`status item: text ${JSON.stringify(text)} aria-label ${JSON.stringify(label)}`);
    assert.match(label, /circle-slash|mailconf DNS/);
    await item.hover();
    const tip = page.locator('.monaco-hover, .workbench-hover', { hasText: 'live DNS' }).first();
    await tip.waitFor({ state: 'visible', timeout: 15_000 });
    const tipText = (await tip.innerText()).replace(/\s+/g, ' ');
    assert.match(tipText, /live DNS off \(mailconf\.dns\.enabled\)/, tipText);
    await shot(page, 'status-bar.png');
    await page.mouse.move(700, 300);
  });

  it('the server is SIGKILLed mid-session: the client starts it again and diagnostics come back', async () => {
    const before = installedServerPids(extDir);
    assert.equal(before.length, 1, `expected one mailconf server of the installed extension, found ${JSON.stringify(before)}`);
    const [pid] = before;
    const stat = procStat(pid)!;
    // A child of the extension host, inside code-server's process group.
    assert.equal(stat.pgid, server!.pid, `server ${pid} is not in code-server's process group`);
    assert.match(procArgs(stat.ppid).join(' '), /extensionHost/, `parent ${stat.ppid}: ${procArgs(stat.ppid).join(' ')}`);

    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    // An edit made while the server is down: a new undefined `$myhostnam`.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('mydestination = $myhostnam, localhost');
    await page.keyboard.press('Escape');

    let restartMs = -1;
    let newPid = 0;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const now = installedServerPids(extDir).filter((p) => p !== pid);
      if (now.length) { newPid = now[0]; restartMs = Date.now() - killedAt; break; }
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(newPid, `no new mailconf server within 60 s after killing ${pid}`);
    assert.equal(procStat(pid), undefined, `the killed server ${pid} is still there`);

    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'myhostnam' }).first();
    await row.waitFor({ timeout: 60_000 });
    const diagnosticsMs = Date.now() - killedAt;
    const rowText = (await row.innerText()).replace(/\s+/g, ' ');
    assert.match(rowText, /postfix\/undefined-parameter/, rowText);
    log(`server ${pid} SIGKILLed: new server ${newPid} after ${restartMs} ms; the diagnostic for the edit made meanwhile after ${diagnosticsMs} ms`);
    await page.locator('.statusbar-item', { hasText: 'mailconf DNS' }).first().waitFor({ timeout: 20_000 });
    await shot(page, 'server-restarted.png');
  });

  it('zone file: owner, type and TXT tags are highlighted in different colours', async () => {
    await quickOpen(page, 'any2any.de.zone');
    await page.locator('.monaco-editor .view-line', { hasText: '_domainkey' }).first().waitFor({ timeout: 20_000 });
    // Let tokenization (TextMate, then semantic tokens) settle.
    await page.waitForTimeout(1500);
    const spans: { line: number; text: string; color: string }[] = await page.locator('.monaco-editor .view-line').evaluateAll((lines: PageElement[]) => {
      const out: { line: number; text: string; color: string }[] = [];
      const sorted = [...lines].sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
      sorted.forEach((l, i) => Array.from(l.querySelectorAll('span > span')).forEach((s) => {
        out.push({ line: i, text: (s.textContent ?? '').replace(/\u00a0/g, ' '), color: getComputedStyle(s).color });
      }));
      return out;
    });
    await shot(page, 'zone-highlighting.png');
    const dump = JSON.stringify(spans.filter((s) => s.text.trim()), null, 0);
    const dkimLine = spans.find((s) => s.text.includes('4400'))?.line;
    assert.notEqual(dkimLine, undefined, dump);
    const onLine = spans.filter((s) => s.line === dkimLine && s.text.trim());
    const owner = onLine[0];
    const type = onLine.find((s) => s.text.trim() === 'TXT');
    const tag = onLine.find((s) => /^\s*(v|h|k|p)\s*$/.test(s.text) || /^\s*(v|h|k|p)=/.test(s.text));
    assert.ok(owner && type && tag, `owner/type/tag spans not found on the DKIM line: ${JSON.stringify(onLine)}`);
    log(`owner ${JSON.stringify(owner)} type ${JSON.stringify(type)} tag ${JSON.stringify(tag)}`);
    assert.notEqual(owner.color, type.color, dump);
    assert.notEqual(type.color, tag.color, dump);
    assert.notEqual(owner.color, tag.color, dump);
  });

  it('command palette: "Check host against SPF" asks for the IP and sender and opens a read-only report', async () => {
    // Room for the report: the Problems panel goes away for this one.
    await runCommand(page, 'View: Hide Panel');
    await page.locator('.part.panel').first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
    await quickOpen(page, 'domain.tld.zone'); // beside the report: the record it is about
    await runCommand(page, 'mailconf: Check host against SPF');
    await typeIntoQuickInput(page, 'client IP', '123.123.123.42');
    await typeIntoQuickInput(page, 'sender', 'domain.tld');
    const tab = page.locator('.tabs-container .tab', { hasText: 'SPF-check_host' }).first();
    await tab.waitFor({ timeout: 30_000 });
    const report = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.editor-group-container.active .monaco-editor .view-lines'))
      .some((e) => e.innerText.replace(/\u00a0/g, ' ').includes('SPF check_host: none')), null, { timeout: 30_000 });
    const text = (await report.innerText()).replace(/\u00a0/g, ' ');
    // Seed 002's record lists 123.123.123.42, but unquoted it is no SPF record at all.
    assert.match(text, /# SPF check_host: none/);
    assert.match(text, /domain\.tld has no SPF record/);
    await page.mouse.move(1100, 700);
    await shot(page, 'report-check-host.png');
    // Read-only: typing changes nothing.
    await report.click();
    await page.keyboard.type('x');
    assert.equal((await report.innerText()).replace(/\u00a0/g, ' '), text);
    await page.keyboard.press('Control+W');
  });

  it('command palette: "Generate DKIM key" runs through its five prompts, writes the key files and edits the zone and tables', async () => {
    const keyDir = path.join(ws, 'etc/opendkim/keys/any2any.de');
    const zoneBefore = fs.readFileSync(path.join(ws, 'zones/any2any.de.zone'), 'utf8');
    await page.mouse.move(1300, 800); // no stray tooltips over the prompts in the screenshots
    await runCommand(page, 'mailconf: Generate DKIM key');
    await typeIntoQuickInput(page, '(1/5)', 'any2any.de', { before: 'dkim-1-domain.png' });
    await typeIntoQuickInput(page, '(2/5)', 'e2e', { before: 'dkim-2-selector.png' });
    await typeIntoQuickInput(page, '(3/5)', 'RSA 2048', { before: 'dkim-3-algorithm.png' });
    await typeIntoQuickInput(page, '(4/5)', keyDir, { before: 'dkim-4-directory.png' });
    // Step 5 is a multi-select: the zone and the tables are ticked by default; accept them.
    const also = page.locator('.quick-input-widget', { has: page.locator('.quick-input-title', { hasText: '(5/5)' }) }).first();
    await also.waitFor({ state: 'visible', timeout: 30_000 });
    const offers = (await also.locator('.quick-input-list .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    log(`DKIM step 5 offers: ${JSON.stringify(offers)}`);
    assert.ok(offers.some((o) => /Insert the TXT record into zones\/any2any\.de\.zone/.test(o)), offers.join('\n'));
    assert.ok(offers.some((o) => /KeyTable and SigningTable/.test(o)), offers.join('\n'));
    const ticked = await also.locator('.quick-input-list .monaco-list-row input[type="checkbox"]').evaluateAll((boxes: Array<{ checked: boolean }>) => boxes.map((b) => b.checked));
    assert.deepEqual(ticked, [true, true, false]);
    await shot(page, 'dkim-5-also.png');
    await also.locator('input:not([type="checkbox"])').first().press('Enter');

    const done = page.locator('.notification-toast', { hasText: 'DKIM key e2e._domainkey.any2any.de' }).first();
    await done.waitFor({ timeout: 60_000 });
    const message = (await done.innerText()).replace(/\s+/g, ' ');
    log(`DKIM done: ${message}`);
    // The zone with the new record (not saved yet) beside the message.
    await quickOpen(page, 'any2any.de.zone');
    await page.locator('.monaco-editor .view-line', { hasText: 'e2e._domainkey' }).first().waitFor({ timeout: 20_000 });
    await page.mouse.move(1300, 500);
    await shot(page, 'dkim-done.png');

    // The key files, on disk: the private key 0600 in a 0700 directory, and the record.
    const key = path.join(keyDir, 'e2e.private');
    const txt = path.join(keyDir, 'e2e.txt');
    assert.ok(fs.existsSync(key), `${key} missing`);
    assert.equal(fs.statSync(key).mode & 0o777, 0o600);
    assert.equal(fs.statSync(keyDir).mode & 0o777, 0o700);
    assert.match(fs.readFileSync(key, 'utf8'), /^-----BEGIN (RSA )?PRIVATE KEY-----/);
    assert.match(fs.readFileSync(txt, 'utf8'), /^e2e\._domainkey\s+IN\s+TXT\s+\(\s*"v=DKIM1; [^]*p=/);
    assert.match(message, /wrote .*e2e\.private \(0600\)/);
    assert.match(message, /inserted the TXT record into any2any\.de\.zone/);
    assert.match(message, /KeyTable and SigningTable/);

    // The zone and the tables are edited in the editor (unsaved, for review): the files on
    // disk change only when saved.
    assert.equal(fs.readFileSync(path.join(ws, 'zones/any2any.de.zone'), 'utf8'), zoneBefore);
    await runCommand(page, 'File: Save All');
    const waitForFile = async (file: string, re: RegExp) => {
      const deadline = Date.now() + 20_000;
      while (!re.test(fs.readFileSync(file, 'utf8')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      return fs.readFileSync(file, 'utf8');
    };
    const zone = await waitForFile(path.join(ws, 'zones/any2any.de.zone'), /^e2e\._domainkey/m);
    assert.match(zone, /^e2e\._domainkey(\.any2any\.de\.)?\s.*TXT/m, zone);
    assert.ok(zone.startsWith(zoneBefore.split('\n').slice(0, 3).join('\n')), zone);
    assert.match(zone, /SOA .*\( 2021083002 /, 'the SOA serial goes up by one'); // seed 000's is 2021083001
    const keyTable = await waitForFile(path.join(ws, 'etc/opendkim/key.table'), /any2any\.de:e2e:/);
    // The workspace is a copy of the server's /etc: the KeyTable names the key by its /etc path.
    assert.ok(keyTable.includes('e2e._domainkey.any2any.de any2any.de:e2e:/etc/opendkim/keys/any2any.de/e2e.private'), keyTable);
    const signingTable = await waitForFile(path.join(ws, 'etc/opendkim/signing.table'), /any2any\.de/);
    assert.match(signingTable, /^\*@any2any\.de\s+e2e\._domainkey\.any2any\.de$/m, signingTable);
    // The seed's own lines stay.
    assert.match(keyTable, /^stefanux stefanux\.net:20201110:/m);
  });

  it('extension host: the vscode-API suite (test/e2e/vscode-extension-host) passes inside code-server', async () => {
    // The same contract as @vscode/test-electron: VS Code web loads the repo as a development
    // extension, runs extensionTestsPath's run() in the real extension host and reports through
    // codeAutomationLog / codeAutomationExit.
    const authority = `127.0.0.1:${port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${REPO}`],
      ['extensionTestsPath', `vscode-remote://${authority}${path.join(__dirname, 'vscode-extension-host/index.js')}`],
    ];
    const hostPage = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
    const lines: string[] = [];
    let exit!: (code: number) => void;
    const exited = new Promise<number>((r) => { exit = r; });
    await hostPage.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = `[${type}] ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`;
      lines.push(line);
      if (/^\[\w+\] (ok -|.*Error)/.test(line)) log(line); // the suite's steps and failures
    });
    await hostPage.exposeFunction('codeAutomationExit', (code: number) => exit(code));
    try {
      await hostPage.goto(`http://${authority}/?folder=${encodeURIComponent(path.join(tmp, 'ws-extension-host'))}&payload=${encodeURIComponent(JSON.stringify(payload))}`, { timeout: 60_000 });
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 120_000).unref())]);
      await hostPage.screenshot({ path: path.join(ARTIFACTS, 'extension-host.png') }).catch(() => {});
      fs.writeFileSync(path.join(ARTIFACTS, 'extension-host.log'), lines.join('\n') + '\n');
      assert.equal(code, 0, `extension-host tests ended with ${code}:\n${lines.filter((l) => !/^\[info\]/.test(l)).slice(-30).join('\n')}`);
      assert.equal(lines.filter((l) => l.includes('ok - ')).length, 10, lines.join('\n'));
    } finally {
      await hostPage.close().catch(() => {});
    }
  });
});
