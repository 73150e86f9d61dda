// The answer and the log line for a handler that threw: they name the request and the
// error, keep the stack frames for the log, and carry no piece of a key even when an
// exception message quotes one; the fault-injection switch names handlers, nothing else.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { LSPErrorCodes } from 'vscode-languageserver/node';
import { FaultInjection, failureLog, requestFailure, INJECTED_FAULT_MESSAGE } from '../../../server/src/lsp/handlerFaults';

test('requestFailure: RequestFailed naming the request and the error', () => {
  const e = requestFailure('hover', new TypeError("Cannot read properties of undefined (reading 'range')"));
  assert.equal(e.code, LSPErrorCodes.RequestFailed);
  assert.equal(e.message, "mailconf: hover failed: TypeError: Cannot read properties of undefined (reading 'range') (details in the mailconf log)");
  // Something thrown that is not an Error is not stringified (it could be anything).
  assert.equal(requestFailure('completion', 'private text').message, 'mailconf: completion failed: thrown string (details in the mailconf log)');
});

test('a key quoted in an exception message reaches neither the answer nor the log', () => {
  const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const body = pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
  // As a PEM block (a key file), and as one base64 run (a key written inline in a KeyTable).
  for (const error of [new Error(`unexpected key text ${pem}`), new Error(`unexpected key text ${body}`), new Error(`bad line "x example.org:s:${body}"`)]) {
    for (const text of [requestFailure('codeAction', error).message, failureLog('codeAction', error)]) {
      assert.match(text, /unexpected key text|bad line/);
      for (let i = 0; i + 16 <= body.length; i += 8) assert.ok(!text.includes(body.slice(i, i + 16)), `a piece of the key at ${i} in: ${text}`);
    }
  }
});

test('messages are bounded; the log keeps the stack frames', () => {
  const error = new Error('x '.repeat(5000));
  assert.ok(requestFailure('hover', error).message.length < 400);
  const log = failureLog('hover', error);
  assert.match(log, /^mailconf: hover failed: Error: x x/);
  assert.match(log, /\n\s+at .*handlerFaults\.test\.ts:\d+/);
});

test('FaultInjection: the named handlers throw, others and an unset switch do nothing', () => {
  const faults = new FaultInjection(' hover, didChange ,,');
  assert.deepEqual([...faults.names], ['hover', 'didChange']);
  assert.throws(() => faults.failIfInjected('hover'), new RegExp(`${INJECTED_FAULT_MESSAGE} \\(hover\\)`));
  assert.throws(() => faults.failIfInjected('didChange'));
  assert.doesNotThrow(() => faults.failIfInjected('completion'));
  const off = FaultInjection.fromEnvironment({});
  assert.equal(off.names.size, 0);
  assert.doesNotThrow(() => off.failIfInjected('hover'));
  assert.deepEqual([...FaultInjection.fromEnvironment({ MAILCONF_FAULT_INJECTION: 'completion' }).names], ['completion']);
});
