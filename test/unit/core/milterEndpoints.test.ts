import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connects, normalizePath, opendkimEndpoint, postfixMilterEndpoint } from '../../../server/src/core/stack/milterEndpoints';
import { parseSocketSpec } from '../../../server/src/core/opendkim/socketSpec';
import { range } from '../../../server/src/core/types';

const spec = (text: string) => parseSocketSpec(text, (a, b) => range(0, a, 0, b));
const chrooted = { chrooted: true, queueDirectory: '/var/spool/postfix' };
const free = { chrooted: false, queueDirectory: '/var/spool/postfix' };
const verdict = (postfix: string, opendkim: string, view = chrooted) =>
  connects(postfixMilterEndpoint(postfix, view), opendkimEndpoint(spec(opendkim))).verdict;

test('inet: same port on loopback meets; another port or family does not', () => {
  assert.equal(verdict('inet:localhost:8891', 'inet:8891@localhost'), 'yes');
  assert.equal(verdict('inet:127.0.0.1:8891', 'inet:8891@localhost'), 'yes');
  assert.equal(verdict('inet:localhost:8891', 'inet:8891@127.0.0.1'), 'yes');
  assert.equal(verdict('inet:localhost:8892', 'inet:8891@localhost'), 'no', 'seed 001 vs a default OpenDKIM port');
  assert.equal(verdict('inet:[::1]:8891', 'inet:8891@127.0.0.1'), 'no');
  assert.equal(verdict('inet:[::1]:8891', 'inet6:8891@[::1]'), 'yes');
  assert.equal(verdict('inet:127.0.0.1:8891', 'inet:8891'), 'yes', 'a bare port listens on all interfaces');
  assert.equal(verdict('inet:192.0.2.10:8891', 'inet:8891@127.0.0.1'), 'no', 'a loopback listener is not reachable at another address');
  assert.equal(verdict('inet:milter.example:8891', 'inet:8891@127.0.0.1'), 'maybe');
  assert.equal(verdict('inet:localhost:8891', 'local:/run/opendkim/opendkim.sock'), 'no');
});

test('unix: the path of a chrooted daemon lies below queue_directory (seed 004)', () => {
  assert.equal(verdict('local:/opendkim/opendkim.sock', 'local:/var/spool/postfix/opendkim/opendkim.sock', chrooted), 'yes');
  assert.equal(verdict('local:/opendkim/opendkim.sock', 'local:/var/spool/postfix/opendkim/opendkim.sock', free), 'no');
  assert.equal(verdict('unix:/run/opendkim/opendkim.sock', 'local:/run/opendkim/opendkim.sock', free), 'yes');
  assert.equal(verdict('unix:/run/opendkim/opendkim.sock', 'local:/run/opendkim/opendkim.sock', chrooted), 'no', 'the jail hides /run');
  assert.equal(verdict('unix:opendkim/opendkim.sock', 'local:/var/spool/postfix/opendkim/opendkim.sock', free), 'yes', 'relative paths start at queue_directory');
  assert.equal(verdict('unix:/x.sock', 'opendkim.sock', free), 'maybe', "OpenDKIM's relative path depends on its working directory");
});

test('paths normalise', () => {
  assert.equal(normalizePath('/var//spool/./postfix/../postfix/x'), '/var/spool/postfix/x');
});
