// Talks SMTP to 127.0.0.1:port, the way a mail client or another MTA does with Postfix's
// smtpd (so `smtpd_milters` and the smtpd TLS settings apply). One command at a time, each
// reply read in full (multi-line replies end with "NNN "), bounded by a timeout.
//
//   SmtpSession      a conversation: command() returns the server's reply whatever its code;
//                    startTls() turns the connection into TLS after a 220 to STARTTLS
//   submitOverSmtp   one whole message, EHLO to QUIT, failing on any unexpected reply

import * as net from 'node:net';
import * as tls from 'node:tls';

export interface SmtpSubmission {
  port: number;
  from: string;
  to: string;
  /** The message (headers, empty line, body); LF or CRLF line ends. */
  message: string;
  timeoutMs?: number;
}

export interface SmtpTranscriptLine {
  sent?: string;
  reply?: string;
}

export class SmtpError extends Error {
  constructor(message: string, readonly transcript: SmtpTranscriptLine[]) {
    super(`${message}\n${transcript.map((t) => (t.sent !== undefined ? 'C: ' + t.sent : 'S: ' + t.reply)).join('\n')}`);
  }
}

/** One SMTP conversation with 127.0.0.1:port, plaintext until startTls(). */
export class SmtpSession {
  readonly transcript: SmtpTranscriptLine[] = [];
  /** The server's 220 greeting. */
  greeting = '';
  private socket: net.Socket;
  private pending = '';
  private waiting: { resolve: (r: string) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private readonly deadline: NodeJS.Timeout;

  private constructor(readonly port: number, timeoutMs: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.listen(this.socket);
    this.deadline = setTimeout(() => this.socket.destroy(new Error(`SMTP session with 127.0.0.1:${port} took longer than ${timeoutMs} ms`)), timeoutMs);
  }

  /** Connects and reads the greeting (which must be 220). */
  static async open(port: number, timeoutMs = 10_000): Promise<SmtpSession> {
    const session = new SmtpSession(port, timeoutMs);
    try {
      await new Promise<void>((resolve, reject) => {
        session.socket.once('connect', () => resolve());
        session.socket.once('error', reject);
      });
      session.greeting = await session.reply();
      if (!session.greeting.startsWith('220')) throw new SmtpError('expected 220', session.transcript);
      return session;
    } catch (e) {
      session.close();
      throw e;
    }
  }

  private listen(socket: net.Socket): void {
    socket.on('data', (chunk) => {
      this.pending += chunk.toString('latin1');
      this.deliver();
    });
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  // A complete reply: its last line is "NNN text" (a space after the code, not a dash).
  private deliver(): void {
    if (!this.waiting || !/(?:^|\r\n)\d{3}(?: [^\r\n]*)?\r\n$/.test(this.pending)) return;
    const reply = this.pending;
    this.pending = '';
    const w = this.waiting;
    this.waiting = undefined;
    w.resolve(reply);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.waiting?.reject(e);
    this.waiting = undefined;
  }

  /** The next complete reply, trimmed, recorded in the transcript. */
  private async reply(): Promise<string> {
    let reply: string;
    try {
      reply = await new Promise<string>((resolve, reject) => {
        if (this.failure) { reject(this.failure); return; }
        this.waiting = { resolve, reject };
        this.deliver();
      });
    } catch (e) {
      throw new SmtpError((e as Error).message, this.transcript);
    }
    const trimmed = reply.trimEnd();
    this.transcript.push({ reply: trimmed });
    return trimmed;
  }

  /** Sends one command line and returns the reply, whatever its code. */
  async command(line: string): Promise<string> {
    this.transcript.push({ sent: line.length > 80 ? line.slice(0, 77) + '...' : line });
    this.socket.write(line + '\r\n');
    return this.reply();
  }

  /** command(), failing unless the reply starts with `code`. */
  async expect(code: string, line: string): Promise<string> {
    const reply = await this.command(line);
    if (!reply.startsWith(code)) throw new SmtpError(`expected ${code}`, this.transcript);
    return reply;
  }

  /**
   * The TLS handshake after the server said 220 to STARTTLS. Certificates are not verified
   * (test servers have self-signed ones); resolves with the negotiated protocol.
   */
  async startTls(): Promise<string> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    // The TLS socket reports the errors from now on; this keeps one of the plain socket from being unhandled.
    plain.on('error', () => {});
    const secure = tls.connect({ socket: plain, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.listen(secure);
    return secure.getProtocol() ?? 'unknown';
  }

  close(): void {
    clearTimeout(this.deadline);
    this.socket.destroy();
  }
}

/** The capability lines of an EHLO reply ("STARTTLS", "SIZE 10240000" …), upper case. */
export function ehloKeywords(reply: string): string[] {
  return reply.split(/\r?\n/).slice(1).map((l) => l.slice(4).trim().toUpperCase());
}

/** Sends the message; resolves with the transcript when the server accepted it (250 after DATA). */
export async function submitOverSmtp(s: SmtpSubmission): Promise<SmtpTranscriptLine[]> {
  const session = await SmtpSession.open(s.port, s.timeoutMs ?? 10_000);
  try {
    await session.expect('250', 'EHLO client.example.test');
    await session.expect('250', `MAIL FROM:<${s.from}>`);
    await session.expect('250', `RCPT TO:<${s.to}>`);
    await session.expect('354', 'DATA');
    const body = s.message.replace(/\r?\n/g, '\r\n').replace(/\r\n$/, '')
      .split('\r\n').map((l) => (l.startsWith('.') ? '.' + l : l)).join('\r\n');
    await session.expect('250', body + '\r\n.');
    await session.expect('221', 'QUIT');
    return session.transcript;
  } finally {
    session.close();
  }
}
