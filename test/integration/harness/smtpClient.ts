// Submits one message over SMTP to 127.0.0.1:port, the way a mail client or another MTA
// hands mail to Postfix's smtpd (so `smtpd_milters` applies). One command at a time, each
// reply read in full (multi-line replies end with "NNN "), bounded by a timeout.

import * as net from 'node:net';

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

/** Sends the message; resolves with the transcript when the server accepted it (250 after DATA). */
export async function submitOverSmtp(s: SmtpSubmission): Promise<SmtpTranscriptLine[]> {
  const transcript: SmtpTranscriptLine[] = [];
  const socket = net.connect(s.port, '127.0.0.1');
  const deadline = setTimeout(() => socket.destroy(new Error(`SMTP session with 127.0.0.1:${s.port} took longer than ${s.timeoutMs ?? 10_000} ms`)), s.timeoutMs ?? 10_000);

  let pending = '';
  let waiting: { resolve: (r: string) => void; reject: (e: Error) => void } | undefined;
  let failure: Error | undefined;
  // A complete reply: its last line is "NNN text" (a space after the code, not a dash).
  const deliver = () => {
    if (!waiting || !/(?:^|\r\n)\d{3}(?: [^\r\n]*)?\r\n$/.test(pending)) return;
    const reply = pending;
    pending = '';
    const w = waiting;
    waiting = undefined;
    w.resolve(reply);
  };
  socket.on('data', (chunk) => {
    pending += chunk.toString('latin1');
    deliver();
  });
  const fail = (e: Error) => {
    failure ??= e;
    waiting?.reject(e);
    waiting = undefined;
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed')));

  const nextReply = () => new Promise<string>((resolve, reject) => {
    if (failure) { reject(failure); return; }
    waiting = { resolve, reject };
    deliver();
  });
  const expect = async (code: string, send?: string) => {
    if (send !== undefined) {
      transcript.push({ sent: send.length > 80 ? send.slice(0, 77) + '...' : send });
      socket.write(send + '\r\n');
    }
    let reply: string;
    try {
      reply = await nextReply();
    } catch (e) {
      throw new SmtpError((e as Error).message, transcript);
    }
    transcript.push({ reply: reply.trimEnd() });
    if (!reply.startsWith(code)) throw new SmtpError(`expected ${code}`, transcript);
  };

  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    await expect('220');
    await expect('250', 'EHLO client.example.test');
    await expect('250', `MAIL FROM:<${s.from}>`);
    await expect('250', `RCPT TO:<${s.to}>`);
    await expect('354', 'DATA');
    const body = s.message.replace(/\r?\n/g, '\r\n').replace(/\r\n$/, '')
      .split('\r\n').map((l) => (l.startsWith('.') ? '.' + l : l)).join('\r\n');
    await expect('250', body + '\r\n.');
    await expect('221', 'QUIT');
    return transcript;
  } finally {
    clearTimeout(deadline);
    socket.destroy();
  }
}
