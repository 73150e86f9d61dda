// Process and socket helpers for the end-to-end harness: run a program with a time limit,
// start a daemon in its own process group, wait (bounded) until something listens, stop
// what was started — by process id, never by name.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

/** Runs a program to completion, killed after `timeoutMs`. */
export function run(cmd: string, args: string[], opts: { input?: string | Buffer; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): RunResult {
  const r = spawnSync(cmd, args, {
    input: opts.input,
    timeout: opts.timeoutMs ?? 20_000,
    killSignal: 'SIGKILL',
    env: opts.env ?? process.env,
    maxBuffer: 16 * 1024 * 1024,
  });
  return {
    status: r.status,
    signal: r.signal,
    stdout: r.stdout?.toString('utf8') ?? '',
    stderr: r.stderr?.toString('utf8') ?? '',
    error: r.error,
  };
}

export function describeRun(cmd: string, args: string[], r: RunResult): string {
  const how = r.error ? `failed to run: ${r.error.message}` : r.signal ? `was killed by ${r.signal}` : `exited with ${r.status}`;
  return `\`${[cmd, ...args].join(' ')}\` ${how}${r.stdout.trim() ? `\nstdout: ${r.stdout.trim()}` : ''}${r.stderr.trim() ? `\nstderr: ${r.stderr.trim()}` : ''}`;
}

/** A program started in the background, in its own process group (session). */
export class Daemon {
  private output = '';
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exitWaiters: Array<() => void> = [];

  private constructor(readonly name: string, readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => {
      // Keep the last 64 KB only: enough for a diagnosis, bounded for chatty programs.
      this.output = (this.output + chunk.toString('utf8')).slice(-65536);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', (code, signal) => {
      this.exited = { code, signal };
      for (const w of this.exitWaiters.splice(0)) w();
    });
    child.on('error', (e) => {
      this.output += `\n(spawn error: ${e.message})`;
      this.exited ??= { code: null, signal: null };
      for (const w of this.exitWaiters.splice(0)) w();
    });
  }

  static start(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Daemon {
    const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
    return new Daemon(name, child);
  }

  get pid(): number | undefined { return this.child.pid; }
  get hasExited(): boolean { return this.exited !== undefined; }
  get log(): string { return this.output; }
  get exitDescription(): string {
    if (!this.exited) return 'still running';
    return this.exited.signal ? `killed by ${this.exited.signal}` : `exited with status ${this.exited.code}`;
  }

  /** Resolves true when the process exited within `timeoutMs`. */
  waitForExit(timeoutMs: number): Promise<boolean> {
    if (this.exited) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.exitWaiters.push(() => { clearTimeout(timer); resolve(true); });
    });
  }

  /** Signals the whole process group the daemon leads (it was started with its own). */
  signalGroup(signal: NodeJS.Signals): void {
    if (this.exited || this.pid === undefined) return;
    signalProcessGroup(this.pid, signal);
  }

  /** SIGTERM to the group, then SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.exited || this.pid === undefined) return;
    this.signalGroup('SIGTERM');
    if (await this.waitForExit(graceMs)) return;
    this.signalGroup('SIGKILL');
    await this.waitForExit(2_000);
  }
}

/** kill(-pgid, signal), ignoring "no such process". */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Whether any process of the group still exists. */
export function processGroupAlive(pgid: number): boolean {
  return signalProcessGroup(pgid, 0);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` every `intervalMs` until it returns true or `timeoutMs` passes. */
export async function waitUntil(probe: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() >= end) return false;
    await sleep(intervalMs);
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function tcpAccepts(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The first line an SMTP server on 127.0.0.1:port sends (its 220 greeting), or undefined
 * when nothing answers like an SMTP server: a mere open port could be another program's.
 */
export function smtpGreeting(port: number, timeoutMs = 2_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const done = (line: string | undefined) => { socket.destroy(); resolve(line); };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      const eol = text.indexOf('\r\n');
      if (eol >= 0) done(text.slice(0, eol));
      else if (text.length > 4096) done(undefined);
    });
    socket.once('error', () => done(undefined));
    socket.once('end', () => done(undefined));
  });
}

/** Whether a UNIX-domain socket exists at the path and accepts connections. */
export function unixSocketAccepts(path: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    if (!fs.statSync(path).isSocket()) return Promise.resolve(false);
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const socket = net.connect(path);
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Whether a program can be run (found on PATH or at the given path). */
export function programAvailable(cmd: string, args: string[] = ['-V']): boolean {
  const r = spawnSync(cmd, args, { timeout: 10_000, stdio: 'ignore' });
  return !(r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT');
}
