// The OpenDKIM files of the seed samples (samples/000, 001, 004, each laid out like the /etc
// of the server its blog post describes) get exactly the findings an expert gives them —
// syntax and semantic, every OpenDKIM file of the sample. Private keys are never part of a
// post, so nothing about key files can be said here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFixInPlace, brief, sampleWorkspace } from './checksSupport';
import { diagnose } from '../../../server/src/core/checks';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { setOpendkimEnvironment } from '../../../server/src/core/opendkim/checks/environment';
import { opendkimSocketInEffect } from '../../../server/src/core/opendkim/checks/socketInEffect';
import type { Workspace } from '../../../server/src/core/stack/workspace';

function findingsBySample(ws: Workspace, root: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of ws.all()) {
    if (!d.kind.startsWith('opendkim')) continue;
    out[d.uri.slice(root.length)] = brief(diagnose({ doc: d, workspace: ws, settings: DEFAULT_SETTINGS }));
  }
  return out;
}

/** Runs `check` on the sample as the editor sees it, and again with the front end vouching for a complete /etc. */
function bothWays(sample: string, check: (ws: Workspace, root: string) => void): void {
  const plain = sampleWorkspace(sample);
  check(plain.ws, plain.root);
  const complete = sampleWorkspace(sample);
  setOpendkimEnvironment(complete.ws, { configRoot: complete.root });
  check(complete.ws, complete.root);
}

test('seed 000 (any2any.de): KeyTable, refile: SigningTable and InternalHosts fit together: no findings', () => {
  bothWays('000-any2any.de', (ws, root) => {
    assert.deepEqual(findingsBySample(ws, root), {
      '/opendkim.conf': [],
      '/dkimkeys/keytable': [],
      '/dkimkeys/signingtable': [],
      '/dkimkeys/trustedhosts': [],
    });
  });
});

test('seed 001 (stefanux.net): a complete, consistent setup: no findings', () => {
  bothWays('001-stefanux.net', (ws, root) => {
    // "trusted" is loaded as a host list because InternalHosts names it (as a front end does).
    assert.deepEqual(findingsBySample(ws, root), {
      '/opendkim.conf': [],
      '/opendkim/key.table': [],
      '/opendkim/signing.table': [],
      '/opendkim/trusted': [],
    });
  });
});

test('seed 004 (voorbeeld.nl): the five things an expert points out', () => {
  bothWays('004-voorbeeld.nl', (ws, root) => {
    assert.deepEqual(findingsBySample(ws, root), {
      // SOCKET=”local:…” — the post's typographic quotes end up in the value; and systemd
      // ignores this file anyway, which the information finding explains.
      '/default/opendkim': ['error opendkim/typographic-quotes 7:7-7:56', 'information opendkim/socket-in-effect 7:0-7:6'],
      // The post adds lines to Debian's opendkim.conf but sets the socket only in
      // /etc/default/opendkim: under systemd OpenDKIM has no socket.
      '/opendkim.conf': ['warning opendkim/no-socket 1:0-1:16'],
      // The SigningTable still has the guide's placeholder key name …
      '/opendkim/signing.table': ['error opendkim/signingtable-unknown-key 0:18-0:48'],
      // … so the real key is never used.
      '/opendkim/key.table': ['information opendkim/keytable-unused-key 0:0-0:31'],
      // *.voorbeeld.nl in a list InternalHosts/ExternalIgnoreList load without refile: never matches.
      '/opendkim/trusted.hosts': ['warning opendkim/wildcard-without-refile 3:0-3:14'],
    });
  });
});

test('seed 004: the messages name the cause, and the quick-fixes repair it', () => {
  const { ws, root } = sampleWorkspace('004-voorbeeld.nl');
  const get = (p: string) => ws.get(root + p)!;
  const findings = (p: string) => diagnose({ doc: get(p), workspace: ws, settings: DEFAULT_SETTINGS });

  const socket = findings('/default/opendkim').find((f) => f.code === 'opendkim/socket-in-effect')!;
  assert.match(socket.message, /listens on no socket at all: opendkim\.conf sets no Socket, systemd \(Debian 10 and later\)/);
  assert.match(socket.message, /Put "Socket local:\/var\/spool\/postfix\/opendkim\/opendkim.sock" in opendkim\.conf/);

  const unknown = findings('/opendkim/signing.table')[0];
  assert.match(unknown.message, /no entry named "default._domainkey.your-domain"/);
  assert.equal(unknown.fixes![0].title, 'Change to default._domainkey.voorbeeld.nl');
  assert.equal(unknown.related![1].uri, root + '/opendkim/key.table');

  // Apply the preferred fixes: SigningTable key name, the wildcard, and the socket.
  applyFixInPlace(ws, root + '/opendkim/signing.table', unknown.fixes![0]);
  const wildcard = findings('/opendkim/trusted.hosts')[0];
  applyFixInPlace(ws, root + '/opendkim/trusted.hosts', wildcard.fixes![0]);
  applyFixInPlace(ws, root + '/default/opendkim', socket.fixes![0]);
  assert.equal(get('/opendkim/signing.table').analysis.text, '*@your-domain.com default._domainkey.voorbeeld.nl\n');
  assert.equal(get('/opendkim/trusted.hosts').analysis.text, '127.0.0.1\nlocalhost\n\n.voorbeeld.nl\n');
  assert.match(get('/opendkim.conf').analysis.text, /\nSocket local:\/var\/spool\/postfix\/opendkim\/opendkim.sock\n$/);

  const after = findingsBySample(ws, root);
  assert.deepEqual(after['/opendkim.conf'], []);
  assert.deepEqual(after['/opendkim/signing.table'], []);
  assert.deepEqual(after['/opendkim/key.table'], []);
  assert.deepEqual(after['/opendkim/trusted.hosts'], []);
  assert.deepEqual(after['/default/opendkim'], ['error opendkim/typographic-quotes 7:7-7:56', 'information opendkim/socket-in-effect 7:0-7:6']);
  const inEffect = opendkimSocketInEffect(ws, get('/opendkim.conf'));
  assert.equal(inEffect.text, 'local:/var/spool/postfix/opendkim/opendkim.sock');
  assert.equal(inEffect.source, 'opendkim.conf');
});
