// A tiny SMTP server on 127.0.0.1 that accepts every message and keeps it: the place
// where mail "leaves" to in the end-to-end tests (Postfix's relayhost points here), so a
// test can look at the headers the message carried when it left Postfix.
//
// It speaks just enough ESMTP for Postfix's smtp client: greeting, EHLO/HELO, MAIL, RCPT,
// DATA (with dot-unstuffing), RSET, NOOP, QUIT. It advertises no extensions, so Postfix
// never tries STARTTLS, BDAT or pipelining tricks.

import * as net from 'node:net';

export interface ReceivedMessage {
  /** MAIL FROM address, without the angle brackets. */
  from: string;
  /** RCPT TO addresses. */
  to: string[];
  /** The message as sent after DATA, dot-unstuffed, with CRLF line ends. */
  data: Buffer;
}

/** Caps what one connection may send, so a runaway peer cannot fill the memory. */
const MAX_BUFFER_BYTES = 16 * 1024 * 1024;

export class SmtpSink {
  readonly messages: ReceivedMessage[] = [];
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly waiters = new Set<() => void>();

  private constructor(server: net.Server, readonly port: number) {
    this.server = server;
  }

  /** Starts listening on 127.0.0.1 on a free port (or the given one). */
  static async start(port = 0): Promise<SmtpSink> {
    let sink: SmtpSink | undefined;
    const server = net.createServer((socket) => sink?.serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    sink = new SmtpSink(server, (server.address() as net.AddressInfo).port);
    return sink;
  }

  /**
   * The first stored message that `match` accepts, waiting for it at most `timeoutMs`;
   * undefined when none arrived in time.
   */
  async waitFor(match: (m: ReceivedMessage) => boolean, timeoutMs: number): Promise<ReceivedMessage | undefined> {
    const found = () => this.messages.find(match);
    const now = found();
    if (now) return now;
    return new Promise((resolve) => {
      const check = () => {
        const m = found();
        if (m) finish(m);
      };
      const finish = (m: ReceivedMessage | undefined) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(m);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      this.waiters.add(check);
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private store(m: ReceivedMessage): void {
    this.messages.push(m);
    for (const w of [...this.waiters]) w();
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(30_000, () => socket.destroy());

    let buffer = Buffer.alloc(0);
    let inData = false;
    let from = '';
    let to: string[] = [];
    const reply = (line: string) => { if (!socket.destroyed) socket.write(line + '\r\n'); };

    const handleCommand = (line: string) => {
      const verb = line.slice(0, 4).toUpperCase();
      switch (verb) {
        case 'EHLO':
        case 'HELO': reply('250 sink.example.test'); break;
        case 'MAIL': from = addressOf(line); to = []; reply('250 2.1.0 ok'); break;
        case 'RCPT': to.push(addressOf(line)); reply('250 2.1.5 ok'); break;
        case 'DATA':
          if (to.length === 0) { reply('503 5.5.1 no recipients'); break; }
          inData = true; reply('354 end with <CRLF>.<CRLF>'); break;
        case 'RSET': from = ''; to = []; reply('250 2.0.0 ok'); break;
        case 'NOOP': reply('250 2.0.0 ok'); break;
        case 'QUIT': reply('221 2.0.0 bye'); socket.end(); break;
        default: reply('502 5.5.2 not implemented');
      }
    };

    socket.write('220 sink.example.test ESMTP mailconf test sink\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length > MAX_BUFFER_BYTES) { socket.destroy(); return; }
      for (;;) {
        if (inData) {
          // The data ends with CRLF . CRLF; a message may also be empty (". CRLF" first).
          const end = buffer.subarray(0, 3).toString('latin1') === '.\r\n' ? 0 : buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const raw = end === 0 ? Buffer.alloc(0) : buffer.subarray(0, end + 2);
          buffer = buffer.subarray(end === 0 ? 3 : end + 5);
          inData = false;
          this.store({ from, to, data: dotUnstuff(raw) });
          from = ''; to = [];
          reply('250 2.0.0 stored');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.subarray(0, eol).toString('latin1');
        buffer = buffer.subarray(eol + 2);
        handleCommand(line);
      }
    });
  }
}

function addressOf(command: string): string {
  const m = /<([^>]*)>/.exec(command);
  return m ? m[1] : command.replace(/^[A-Za-z]+\s+(FROM|TO):\s*/i, '').trim();
}

/** Removes the extra dot SMTP puts before lines that start with a dot. */
function dotUnstuff(raw: Buffer): Buffer {
  const lines = raw.toString('latin1').split('\r\n');
  return Buffer.from(lines.map((l) => (l.startsWith('.') ? l.slice(1) : l)).join('\r\n'), 'latin1');
}

/** The header section of a message (up to the first empty line), unfolded lines kept as sent. */
export function headerSection(data: Buffer): string {
  const text = data.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  return end < 0 ? text : text.slice(0, end + 2);
}

/** Whether the header section has a field of that name (case-insensitive). */
export function hasHeader(data: Buffer, name: string): boolean {
  const re = new RegExp(`^${name.replace(/[-]/g, '\\-')}:`, 'im');
  return re.test(headerSection(data));
}
