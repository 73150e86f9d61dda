// A real mail stack on loopback, built from a fixture: Debian's Postfix and OpenDKIM (when
// the fixture has an opendkim.conf), started inside a temporary directory, with an SMTP
// sink as the outside world. A test submits a message on either path into Postfix and sees
// what left it:
//
//   sendmail ─► postdrop ─► pickup ─► cleanup (non_smtpd_milters) ─► qmgr ─► smtp ─► sink
//   SMTP client ─► smtpd (smtpd_milters) ─► cleanup ─────────────────► qmgr ─► smtp ─► sink
//
// Layout of a run's directory (created 0755, removed on stop):
//   etc/            the rendered fixture; Postfix runs with `-c etc/postfix`, OpenDKIM with `-x etc/opendkim.conf`
//   etc/opendkim/keys/<selector>.private   the throw-away key (0600), .txt its DNS record
//   spool/          queue_directory, the chroot jail of chrooted Postfix daemons
//   data/           data_directory
//   log/postfix.log Postfix's maillog_file (Postfix 3.7 logs to a file through its postlog
//                   service; no syslog daemon is needed)
//
// How the programs run (found by trying on Debian 12 without systemd or syslog):
//   - `postfix -c DIR check` first: it creates the queue subdirectories and data_directory
//     with the owners and modes Postfix wants (data_directory must belong to the postfix
//     user); a `quick-start` file then lets `start-fg` skip repeating those checks.
//   - `postfix -c DIR start-fg`, in its own session: postfix-script runs `master -s` in the
//     foreground (as PID ≠ 1 it does not exec). master makes its own session, so it is stopped
//     with `postfix -c DIR stop`, and its process group is killed if anything is left.
//   - Chrooted daemons (master.cf column 5 = y) work with the jail as created by
//     `postfix check`; like Debian's configure-instance.sh, the harness copies localtime,
//     services, resolv.conf, hosts, host.conf and nsswitch.conf into spool/etc. Only numeric
//     loopback addresses are used, so no name service is needed inside the jail.
//   - `opendkim -x CONF -f` in the foreground as root (no UserID), `Syslog no`. OpenDKIM
//     refuses keys whose path has a directory writable by others ("key data is not secure"),
//     and the temporary directory lies below /tmp (mode 1777): the fixtures therefore say
//     `RequireSafeKeys no`. A `local:` socket's directory is created before OpenDKIM starts
//     (it does not create it), as an admin would `mkdir /var/spool/postfix/opendkim`.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SmtpSink, hasHeader } from './smtpSink';
import { submitOverSmtp } from './smtpClient';
import { renderFixture, opendkimOption, parseOpendkimSocket, type OpendkimSocket } from './fixture';
import { generateDkimKey, verifyWithPythonDkim, type DkimKey, type Verification } from './dkimKeys';
import {
  Daemon, describeRun, freePort, processGroupAlive, run, signalProcessGroup, smtpGreeting, tcpAccepts, unixSocketAccepts, waitUntil,
} from './processes';

export type SubmissionPath = 'smtp' | 'sendmail';

export const SENDER = 'sender@example.test';
export const RECIPIENT = 'rcpt@example.net';

export interface MailStackOptions {
  /** Short name, used in temporary directory names, subjects and log folders. */
  name: string;
  /** The fixture folder (laid out like /etc, with placeholders). */
  fixtureDir: string;
  /** Values of the fixture's own placeholders, besides the harness's (fixture.ts). */
  placeholders?: Record<string, string>;
  /** When set, the logs and the rendered configuration are copied here on stop. */
  artifactsDir?: string;
  /** Keep the temporary directory (for debugging; also MAILCONF_E2E_KEEP=1). */
  keepTemp?: boolean;
  dkimDomain?: string;
  dkimSelector?: string;
  /** Time limits in milliseconds. */
  startTimeoutMs?: number;
  deliveryTimeoutMs?: number;
}

export interface PathOutcome {
  path: SubmissionPath;
  /** Postfix took the message (sendmail exited 0 / smtpd answered 250 after DATA). */
  accepted: boolean;
  submitError?: string;
  /** The message reached the sink within the time limit. */
  delivered: boolean;
  /** It left Postfix with a DKIM-Signature header. */
  signed: boolean;
  /** python3-dkim's verdict on the signature (when delivered). */
  verification?: Verification;
  /** From submission to arrival (or to giving up). */
  milliseconds: number;
}

/** One message of `postqueue -j`: its queue (active, deferred …) and recipients. */
export interface QueuedMessage {
  queue_name: string;
  queue_id: string;
  recipients: Array<{ address: string; delay_reason?: string }>;
}

export interface Ports {
  smtpd: number;
  sink: number;
  milter: number;
  other: number;
}

/**
 * Stacks not stopped yet: killed synchronously if the test process exits early, also when
 * it is interrupted or the test runner terminates it (signals skip 'exit' handlers, so the
 * signal handlers are installed while a stack is live, and then exit as the signal would).
 */
const live = new Set<MailStack>();
const killAll = () => { for (const s of live) s.killNow(); };
const onSignal = (signal: NodeJS.Signals) => {
  killAll();
  process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
};
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
process.on('exit', killAll);

function track(stack: MailStack): void {
  if (live.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  live.add(stack);
}

function untrack(stack: MailStack): void {
  if (live.delete(stack) && live.size === 0) for (const s of SIGNALS) process.off(s, onSignal);
}

export class MailStack {
  readonly etcDir: string;
  readonly postfixDir: string;
  readonly queueDir: string;
  readonly dataDir: string;
  readonly logDir: string;
  renderedFiles: string[] = [];
  key: DkimKey | undefined;
  opendkimSocket: OpendkimSocket | undefined;
  private sink: SmtpSink | undefined;
  private opendkim: Daemon | undefined;
  private postfix: Daemon | undefined;
  private masterPid: number | undefined;
  private stopped = false;
  private stopNotes: string[] = [];
  ports: Ports = { smtpd: 0, sink: 0, milter: 0, other: 0 };
  /** Milliseconds spent in each phase of start and stop, in order (for the timing report). */
  readonly timings: Array<[phase: string, ms: number]> = [];
  private phaseStarted = Date.now();

  private constructor(readonly options: MailStackOptions, readonly root: string) {
    this.etcDir = path.join(root, 'etc');
    this.postfixDir = path.join(this.etcDir, 'postfix');
    this.queueDir = path.join(root, 'spool');
    this.dataDir = path.join(root, 'data');
    this.logDir = path.join(root, 'log');
  }

  /** Starts sink, OpenDKIM and Postfix; on any failure stops what was started and throws. */
  static async start(options: MailStackOptions): Promise<MailStack> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `mailconf-e2e-${options.name}-`));
    // Unchrooted Postfix daemons run as the postfix user and must reach the queue below it.
    fs.chmodSync(root, 0o755);
    const stack = new MailStack(options, root);
    track(stack);
    try {
      await stack.bringUp();
      return stack;
    } catch (e) {
      const logs = stack.diagnosticTail();
      await stack.stop();
      (e as Error).message += logs;
      throw e;
    }
  }

  /** Records the time since the previous mark under `phase`. */
  private mark(phase: string): void {
    const now = Date.now();
    this.timings.push([phase, now - this.phaseStarted]);
    this.phaseStarted = now;
  }

  private async bringUp(): Promise<void> {
    const startTimeout = this.options.startTimeoutMs ?? 15_000;
    this.phaseStarted = Date.now();
    this.sink = await SmtpSink.start();
    this.ports = { smtpd: await freePort(), sink: this.sink.port, milter: await freePort(), other: await freePort() };
    fs.mkdirSync(this.logDir, { mode: 0o755 });
    this.renderedFiles = renderFixture(this.options.fixtureDir, this.etcDir, {
      ETC: this.etcDir,
      QUEUE: this.queueDir,
      DATA: this.dataDir,
      LOG: this.logDir,
      SMTPD_PORT: String(this.ports.smtpd),
      SINK_PORT: String(this.ports.sink),
      MILTER_PORT: String(this.ports.milter),
      OTHER_PORT: String(this.ports.other),
      ...this.options.placeholders,
    });

    this.mark('render');
    // A fixture without opendkim.conf is Postfix alone (the TLS tests): no key, no OpenDKIM.
    const conf = path.join(this.etcDir, 'opendkim.conf');
    const withOpendkim = fs.existsSync(conf);
    if (withOpendkim) this.key = generateDkimKey(path.join(this.etcDir, 'opendkim/keys'), this.options.dkimDomain ?? 'example.test', this.options.dkimSelector ?? 'sel');
    this.mark('genkey');

    // Postfix: `check` chdirs into queue_directory, then creates its subdirectories and
    // data_directory with the owners and modes Postfix wants.
    fs.mkdirSync(this.queueDir, { mode: 0o755 });
    const check = run('postfix', ['-c', this.postfixDir, 'check'], { timeoutMs: 30_000 });
    if (check.status !== 0) throw new Error(`Postfix refused the configuration: ${describeRun('postfix', ['-c', this.postfixDir, 'check'], check)}`);
    // `start` would run the same checks again (≈2 s); this file, Postfix's own mechanism
    // for quick-stop/start, makes it skip them once.
    fs.writeFileSync(path.join(this.queueDir, 'quick-start'), '');
    this.prepareChrootJail();
    this.mark('postfix check');

    if (withOpendkim) await this.startOpendkim(conf, startTimeout);

    // Postfix's master in the foreground of postfix-script.
    this.postfix = Daemon.start('postfix', 'postfix', ['-c', this.postfixDir, 'start-fg']);
    let greeting: string | undefined;
    const up = await waitUntil(async () => {
      if (this.postfix!.hasExited) return true;
      greeting = await smtpGreeting(this.ports.smtpd);
      return greeting !== undefined && /^220 .*Postfix/.test(greeting);
    }, startTimeout, 100);
    this.masterPid = this.readMasterPid();
    if (this.postfix.hasExited || !up) {
      throw new Error(`Postfix's smtpd did not greet on 127.0.0.1:${this.ports.smtpd} (postfix start-fg ${this.postfix.exitDescription}; last answer: ${greeting ?? 'none'}): ${this.postfix.log || '(no output)'}`);
    }
    this.mark('postfix start');
  }

  /** OpenDKIM in the foreground, listening before Postfix may connect. */
  private async startOpendkim(conf: string, startTimeout: number): Promise<void> {
    const socketValue = opendkimOption(fs.readFileSync(conf, 'utf8'), 'Socket');
    if (!socketValue) throw new Error(`${conf} has no Socket line`);
    this.opendkimSocket = parseOpendkimSocket(socketValue);
    if (this.opendkimSocket.kind === 'unix') fs.mkdirSync(path.dirname(this.opendkimSocket.path), { recursive: true, mode: 0o755 });
    this.opendkim = Daemon.start('opendkim', 'opendkim', ['-x', conf, '-f']);
    const sock = this.opendkimSocket;
    const listening = await waitUntil(async () => this.opendkim!.hasExited
      || (sock.kind === 'inet' ? tcpAccepts(sock.port) : unixSocketAccepts(sock.path)), startTimeout);
    if (this.opendkim.hasExited || !listening) {
      throw new Error(`OpenDKIM did not start listening on ${socketValue} (${this.opendkim.exitDescription}): ${this.opendkim.log || '(no output)'}`);
    }
    this.mark('opendkim start');
  }

  /** What Debian's configure-instance.sh copies into the jail; see the header comment. */
  private prepareChrootJail(): void {
    const jailEtc = path.join(this.queueDir, 'etc');
    fs.mkdirSync(jailEtc, { recursive: true, mode: 0o755 });
    for (const name of ['localtime', 'services', 'resolv.conf', 'hosts', 'host.conf', 'nsswitch.conf']) {
      try {
        fs.copyFileSync(path.join('/etc', name), path.join(jailEtc, name));
        fs.chmodSync(path.join(jailEtc, name), 0o644);
      } catch { /* absent on this host: Debian's script skips it too */ }
    }
  }

  private readMasterPid(): number | undefined {
    try {
      const pid = Number(fs.readFileSync(path.join(this.queueDir, 'pid/master.pid'), 'utf8').trim());
      return Number.isInteger(pid) && pid > 1 ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Submits one message on the path and waits for it at the sink. The message carries a
   * unique token in its Subject so that it is recognised among others.
   */
  async submit(via: SubmissionPath): Promise<PathOutcome> {
    const token = `${this.options.name}-${via}-${randomBytes(6).toString('hex')}`;
    const message = [
      `From: Sender <${SENDER}>`,
      `To: <${RECIPIENT}>`,
      `Subject: mailconf end-to-end ${token}`,
      `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
      `Message-ID: <${token}@example.test>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      `Submitted with ${via === 'smtp' ? 'SMTP to smtpd' : 'sendmail (pickup, cleanup)'}.`,
      '.a line starting with a dot, to exercise dot-stuffing',
      '',
    ].join('\n');
    const started = Date.now();
    const outcome: PathOutcome = { path: via, accepted: false, delivered: false, signed: false, milliseconds: 0 };
    try {
      if (via === 'sendmail') {
        const args = ['-C', this.postfixDir, '-i', '-f', SENDER, RECIPIENT];
        const r = run('sendmail', args, { input: message, timeoutMs: 20_000 });
        if (r.status !== 0) throw new Error(describeRun('sendmail', args, r));
      } else {
        await submitOverSmtp({ port: this.ports.smtpd, from: SENDER, to: RECIPIENT, message, timeoutMs: 20_000 });
      }
      outcome.accepted = true;
    } catch (e) {
      outcome.submitError = (e as Error).message;
      outcome.milliseconds = Date.now() - started;
      return outcome;
    }
    const got = await this.sink!.waitFor((m) => m.data.includes(token), this.options.deliveryTimeoutMs ?? 20_000);
    outcome.milliseconds = Date.now() - started;
    if (!got) return outcome;
    outcome.delivered = true;
    outcome.signed = hasHeader(got.data, 'DKIM-Signature');
    outcome.verification = this.key ? verifyWithPythonDkim(got.data, this.key) : undefined;
    return outcome;
  }

  postfixLog(): string {
    try { return fs.readFileSync(path.join(this.logDir, 'postfix.log'), 'utf8'); } catch { return ''; }
  }

  /** The first line of Postfix's log that `pattern` matches, waiting for it at most `timeoutMs`. */
  async waitForLog(pattern: RegExp, timeoutMs: number): Promise<string | undefined> {
    let line: string | undefined;
    await waitUntil(() => (line = this.postfixLog().split('\n').find((l) => pattern.test(l))) !== undefined, timeoutMs, 100);
    return line;
  }

  /** The messages in Postfix's queue, from `postqueue -j` (one JSON object per message). */
  queue(): QueuedMessage[] {
    const args = ['-c', this.postfixDir, '-j'];
    const r = run('postqueue', args, { timeoutMs: 15_000 });
    if (r.status !== 0) throw new Error(describeRun('postqueue', args, r));
    return r.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as QueuedMessage);
  }

  opendkimLog(): string {
    return this.opendkim?.log ?? '';
  }

  /** Postfix's log lines about milters (connection failures and the like), without the date. */
  milterLogLines(): string[] {
    return this.postfixLog().split('\n').filter((l) => /milter/i.test(l))
      .map((l) => l.replace(/^\w{3} +\d+ [\d:]+ \S+ /, ''))
      .map((l) => l.split(this.root).join('<tmp>'));
  }

  /** The end of both logs, for error messages. */
  diagnosticTail(): string {
    const tail = (s: string) => s.trim().split('\n').slice(-25).join('\n');
    const pf = tail(this.postfixLog());
    const od = tail(this.opendkimLog());
    return `${pf ? `\n--- Postfix log (tail):\n${pf}` : ''}${od ? `\n--- OpenDKIM output (tail):\n${od}` : ''}`;
  }

  /** Stops everything that was started, copies the logs, removes the directory. Never throws. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.phaseStarted = Date.now();
    try {
      // OpenDKIM takes about 4 s to exit after SIGTERM (libmilter polls): stop it in parallel.
      const opendkimStopped = this.opendkim?.stop(8_000);
      if (this.postfix && !this.postfix.hasExited) {
        const r = run('postfix', ['-c', this.postfixDir, 'stop'], { timeoutMs: 15_000 });
        if (r.status !== 0) this.stopNotes.push(describeRun('postfix', ['-c', this.postfixDir, 'stop'], r));
        if (!(await this.postfix.waitForExit(10_000))) {
          this.stopNotes.push('postfix start-fg did not exit after postfix stop: killed');
          await this.postfix.stop(1_000);
        }
      }
      this.mark('postfix stop');
      // master runs its daemons in its own process group; give them a moment, then make sure.
      const master = this.masterPid;
      if (master !== undefined && !(await waitUntil(() => !processGroupAlive(master), 5_000, 100))) {
        this.stopNotes.push(`Postfix processes of group ${master} were still running: killed`);
        signalProcessGroup(master, 'SIGKILL');
      }
      this.mark('postfix daemons gone');
      await opendkimStopped;
      await this.sink?.close();
      this.mark('opendkim stop');
    } finally {
      this.saveArtifacts();
      untrack(this);
      if (!(this.options.keepTemp || process.env.MAILCONF_E2E_KEEP === '1')) fs.rmSync(this.root, { recursive: true, force: true });
    }
  }

  /** Synchronous last resort when the process exits without stop(). */
  killNow(): void {
    if (this.masterPid !== undefined) signalProcessGroup(this.masterPid, 'SIGKILL');
    if (this.postfix?.pid !== undefined) signalProcessGroup(this.postfix.pid, 'SIGKILL');
    if (this.opendkim?.pid !== undefined) signalProcessGroup(this.opendkim.pid, 'SIGKILL');
    if (!(this.options.keepTemp || process.env.MAILCONF_E2E_KEEP === '1')) fs.rmSync(this.root, { recursive: true, force: true });
  }

  private saveArtifacts(): void {
    const dir = this.options.artifactsDir;
    if (!dir) return;
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'postfix.log'), this.postfixLog());
      fs.writeFileSync(path.join(dir, 'opendkim.log'), this.opendkimLog());
      fs.writeFileSync(path.join(dir, 'stop-notes.txt'), this.stopNotes.join('\n'));
      for (const file of this.renderedFiles) {
        if (file === this.key?.privateKey) continue;
        const rel = path.relative(this.etcDir, file);
        fs.mkdirSync(path.join(dir, 'etc', path.dirname(rel)), { recursive: true });
        fs.copyFileSync(file, path.join(dir, 'etc', rel));
      }
    } catch { /* artifacts are a help, not part of the result */ }
  }

  get notes(): readonly string[] { return this.stopNotes; }
}

/** Starts a stack, runs `body`, and always stops it. */
export async function withMailStack<T>(options: MailStackOptions, body: (stack: MailStack) => Promise<T>): Promise<T> {
  const stack = await MailStack.start(options);
  try {
    return await body(stack);
  } finally {
    await stack.stop();
  }
}
