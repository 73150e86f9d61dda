// What the server does when one of its handlers throws (a bug in a feature): the request
// is answered with an LSP error naming the request, the stack goes to the server log, and
// the server goes on. Also the fault-injection switch the tests use to make a handler of
// the real, built server throw.

import { LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';

/**
 * The environment variable that makes named handlers throw: a comma list of the handler
 * names the server uses (`hover`, `completion`, `didChange` …). Read once, from the
 * server's own environment only — never from a document or a setting — for tests.
 */
export const FAULT_INJECTION_ENV = 'MAILCONF_FAULT_INJECTION';

/** The error an injected fault throws (also what the tests look for in the log). */
export const INJECTED_FAULT_MESSAGE = `fault injected by ${FAULT_INJECTION_ENV}`;

/** Which handlers throw on purpose; empty (the normal case) unless the switch is set. */
export class FaultInjection {
  readonly names: ReadonlySet<string>;

  constructor(spec: string | undefined) {
    this.names = new Set((spec ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  }

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): FaultInjection {
    return new FaultInjection(env[FAULT_INJECTION_ENV]);
  }

  /** Throws, as a bug in the handler would, when the switch names it. */
  failIfInjected(name: string): void {
    if (this.names.has(name)) throw new Error(`${INJECTED_FAULT_MESSAGE} (${name})`);
  }
}

/** Longest error message put into an answer or a log line (an exception is not a report). */
const MAX_MESSAGE_CHARS = 300;

/**
 * Our exceptions name code, not text, but a message could quote a value. So that no piece
 * of a key reaches the client or the log through an exception, a message is cut where a
 * PEM block begins, and a run that looks like base64 (a key written inline in a KeyTable, a
 * PEM body line of 64 characters) is blanked.
 */
function safeMessage(text: string): string {
  const pem = text.indexOf('-----BEGIN');
  const beforePem = pem >= 0 ? `${text.slice(0, pem)}[PEM text left out]` : text;
  const blanked = beforePem.replace(/[A-Za-z0-9+/]{40,}={0,2}/g, '[…]');
  return blanked.length > MAX_MESSAGE_CHARS ? `${blanked.slice(0, MAX_MESSAGE_CHARS)}…` : blanked;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : `thrown ${typeof error}`;
}

/**
 * The answer to a request whose handler threw. LSPErrorCodes.RequestFailed rather than
 * JSON-RPC's InternalError: the request itself was valid and understood (LSP 3.17 defines
 * RequestFailed for exactly that, with a readable message), and InternalError stays what
 * the JSON-RPC layer sends for its own failures. Clients treat both alike (VS Code logs
 * "Request … failed." with the message); neither is a cancellation, so the editor does not
 * silently retry.
 */
export function requestFailure(name: string, error: unknown): ResponseError<void> {
  return new ResponseError<void>(LSPErrorCodes.RequestFailed, `mailconf: ${name} failed: ${safeMessage(messageOf(error))} (details in the mailconf log)`);
}

/** The log line for a handler that threw: the message (made safe as above) and the stack frames. */
export function failureLog(name: string, error: unknown): string {
  const frames = error instanceof Error && error.stack
    ? error.stack.split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 30)
    : [];
  return [`mailconf: ${name} failed: ${safeMessage(messageOf(error))}`, ...frames].join('\n');
}
