// A second LSP editor: Debian's Neovim, headless, drives the built server over stdio —
// diagnostics, a hover and a quick-fix on seed 000's main.cf, diagnostics on a zone file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../..');

test('Neovim: diagnostics, hover and a quick-fix on main.cf; diagnostics on a zone file', () => {
  const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.equal(nvim.status, 0, 'nvim is not installed: apt-get install neovim (npm test installs it)');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-nvim-'));
  // A copy: the quick-fix edits the buffer (never written), and the home dirs stay here.
  fs.mkdirSync(path.join(tmp, 'etc/postfix'), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'samples/000-any2any.de/etc/postfix/main.cf'), path.join(tmp, 'etc/postfix/main.cf'));
  fs.copyFileSync(path.join(REPO, 'samples/002-mysystems.tld/zones/domain.tld.zone'), path.join(tmp, 'domain.tld.zone'));
  const out = path.join(tmp, 'result.json');
  const home = path.join(tmp, 'home');
  const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(__dirname, 'neovim-lsp.lua')}`], {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      MAILCONF_SERVER: path.join(REPO, 'dist/server.js'),
      MAIN_CF: path.join(tmp, 'etc/postfix/main.cf'),
      ZONE_FILE: path.join(tmp, 'domain.tld.zone'),
      OUT: out,
      XDG_CACHE_HOME: path.join(home, 'cache'), XDG_STATE_HOME: path.join(home, 'state'),
      XDG_DATA_HOME: path.join(home, 'data'), XDG_CONFIG_HOME: path.join(home, 'config'),
      NVIM_LOG_FILE: path.join(home, 'nvim.log'),
    },
  });
  assert.equal(r.status, 0, `nvim exited ${r.status}: ${r.stderr}\n${fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : ''}`);
  const result = JSON.parse(fs.readFileSync(out, 'utf8'));

  const mainCodes: string[] = result.main_diagnostics.map((d: { code: string }) => d.code);
  assert.ok(mainCodes.includes('postfix/undefined-parameter'), mainCodes.join(','));
  assert.ok(mainCodes.includes('postfix/deprecated-parameter'), mainCodes.join(','));
  const hover = JSON.stringify(result.hover ?? {});
  assert.match(hover, /postconf\.5\.html#non_smtpd_milters/);
  assert.ok(result.actions.some((t: string) => t.includes('smtpd_milters')), JSON.stringify(result.actions));
  assert.equal(result.line_after_fix, 'non_smtpd_milters = $smtpd_milters');
  assert.ok(!result.main_after_fix.some((d: { code: string }) => d.code === 'postfix/undefined-parameter'));

  const zoneCodes: string[] = result.zone_diagnostics.map((d: { code: string }) => d.code);
  assert.ok(zoneCodes.includes('zone/unquoted-txt'), zoneCodes.join(','));
});
