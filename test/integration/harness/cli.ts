// The built CLI (dist/cli.js) as a subprocess for the integration tests, run without
// blocking the event loop so that named keeps answering while it waits.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../../..');
export const CLI = path.join(REPO, 'dist', 'cli.js');

export interface CliResult {
  /** null when it was killed at the time limit. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `mailconf ARGS` in the repository; killed after `timeoutMs`. Needs `npm run build` first. */
export function runCli(args: string[], timeoutMs = 30_000): Promise<CliResult> {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build first`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}
