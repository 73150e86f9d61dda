// What the real-VS-Code test (test/e2e/vscode.test.ts) and the activation benchmark
// (scripts/bench-activation.mjs) both do with code-server: take a free loopback port, wait
// until the server answers, and pick a row of VS Code's quick input (Quick Open, the
// command palette). CommonJS so that the TypeScript test and the ES-module script can both
// load it; its types are in codeServer.d.cts.
'use strict';

const net = require('node:net');

/** A port on 127.0.0.1 that nothing listens on at the moment. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once `url` answers 2xx; rejects when `server` exits or `ms` pass. */
async function waitForHealth(url, server, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url} within ${ms} ms`);
}

/**
 * Opens the quick input with `shortcut` (Control+P: Quick Open, Control+Shift+P: the command
 * palette), types `text` and clicks the first row showing it. Enter raced the file search;
 * clicking the listed row is reliable.
 */
async function pickFromQuickInput(page, shortcut, text) {
  await page.keyboard.press(shortcut);
  await page.locator('.quick-input-widget input:not([type="checkbox"])').first().waitFor({ timeout: 15_000 });
  await page.keyboard.type(text);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout: 20_000 });
  await row.click();
}

module.exports = { freePort, waitForHealth, pickFromQuickInput };
