// OpenDKIM editor features through the facade (core/features/index.ts): hovers, completion,
// go to definition and references across opendkim.conf, the tables and /etc/default/opendkim.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completionsAt, definitionAt, hoverAt, referencesAt } from '../../../../server/src/core/features/index';
import { DEFAULT_SETTINGS } from '../../../../server/src/core/settings';
import { Workspace } from '../../../../server/src/core/stack/workspace';
import type { DocumentKind } from '../../../../server/src/core/kinds';
import type { Position } from '../../../../server/src/core/types';
import { setOpendkimEnvironment } from '../../../../server/src/core/opendkim/checks/environment';

const ROOT = 'file:///srv/etc';
const CONF = `${ROOT}/opendkim.conf`;
const KT = `${ROOT}/opendkim/key.table`;
const ST = `${ROOT}/opendkim/signing.table`;
const HOSTS = `${ROOT}/opendkim/trusted.hosts`;
const DEFAULT = `${ROOT}/default/opendkim`;

const CONF_TEXT = 'Syslog yes\nMode sv\nSocket inet:8891@localhost\nKeyTable /etc/opendkim/key.table\nSigningTable refile:/etc/opendkim/signing.table\nInternalHosts /etc/opendkim/trusted.hosts\nCanonicalization relaxed/simple\n';
const KT_TEXT = 'mail._domainkey.example.com example.com:mail:/etc/opendkim/keys/mail.private\ninline example.org:s:MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n';
const ST_TEXT = '*@example.com mail._domainkey.example.com\n*@example.org inline\n';

function setup(): Workspace {
  const ws = new Workspace();
  const files: Array<[string, DocumentKind, string]> = [
    [CONF, 'opendkim-conf', CONF_TEXT], [KT, 'opendkim-keytable', KT_TEXT], [ST, 'opendkim-signingtable', ST_TEXT],
    [HOSTS, 'opendkim-hostlist', '127.0.0.1\n10.0.0.0/8\n.example.com\n'], [DEFAULT, 'opendkim-default', 'RUNDIR=/run/opendkim\nSOCKET=local:$RUNDIR/opendkim.sock\n'],
  ];
  for (const [uri, kind, text] of files) ws.setOnDisk(uri, kind, text);
  return ws;
}

const at = (line: number, character: number): Position => ({ line, character });
const ctx = (ws: Workspace, uri: string) => ({ doc: ws.get(uri)!, workspace: ws, settings: DEFAULT_SETTINGS });

test('hover on an option name: our words, kind, default and the manual', () => {
  const ws = setup();
  const h = hoverAt(ctx(ws, CONF), at(6, 3))!;
  assert.deepEqual(h.range, { start: at(6, 0), end: at(6, 16) });
  assert.match(h.markdown, /^\*\*Canonicalization\*\* — header\/body canonicalization/);
  assert.match(h.markdown, /relaxed\/simple is the usual choice/);
  assert.match(h.markdown, /Default: `simple\/simple`/);
  assert.match(h.markdown, /\[opendkim\.conf\(5\)\]\(https:\/\/manpages\.debian\.org\/bookworm\/opendkim\/opendkim\.conf\.5\.en\.html\)/);
  // Every compiled-in option has a hover, described or not.
  const rare = new Workspace();
  rare.setOnDisk(CONF, 'opendkim-conf', 'MilterDebug 0\n');
  assert.match(hoverAt(ctx(rare, CONF), at(0, 1))!.markdown, /\*\*MilterDebug\*\* — number .*Default: `0`/s);
});

test('hover on values: a dataset says how it is read and where it is, Socket whether it is in effect', () => {
  const ws = setup();
  const st = hoverAt(ctx(ws, CONF), at(4, 20))!;
  assert.match(st.markdown, /`refile:` — a flat file whose keys are wildcard patterns/);
  assert.match(st.markdown, /Opens `\/etc\/opendkim\/signing.table` \(in the workspace\)/);
  const socket = hoverAt(ctx(ws, CONF), at(2, 10))!;
  assert.match(socket.markdown, /TCP port `8891` on `localhost`/);
  assert.match(socket.markdown, /This is the socket OpenDKIM listens on/);
});

test('completion of option names at the start of a line, and of values by kind', () => {
  const ws = setup();
  ws.setOnDisk(CONF, 'opendkim-conf', CONF_TEXT + 'Sig\nSignatureAlgorithm \nSubDomains \nMode \nOn-BadSignature \nCanonicalization \nKeyTable \n# Syslog \n');
  const names = completionsAt(ctx(ws, CONF), at(7, 3));
  const sig = names.find((c) => c.label === 'SigningTable')!;
  assert.deepEqual(sig.edit, { range: { start: at(7, 0), end: at(7, 3) }, newText: 'SigningTable ' });
  assert.ok(!names.some((c) => c.label === 'IdentityHeader'), 'options Debian lacks are not offered');
  assert.ok(!names.some((c) => c.label === 'TrustedHosts'));
  const labels = (line: number, ch: number) => completionsAt(ctx(ws, CONF), at(line, ch)).map((c) => c.label);
  assert.deepEqual(labels(8, 19), ['rsa-sha1', 'rsa-sha256', 'ed25519-sha256']);
  assert.equal(completionsAt(ctx(ws, CONF), at(8, 19)).find((c) => c.label === 'rsa-sha1')?.deprecated, true);
  assert.deepEqual(labels(9, 11), ['yes', 'no']);
  assert.deepEqual(labels(10, 5), ['sv', 's', 'v']);
  assert.deepEqual(labels(11, 16), ['accept', 'discard', 'quarantine', 'reject', 'tempfail']);
  assert.deepEqual(labels(12, 17), ['relaxed/simple', 'relaxed/relaxed', 'simple/simple', 'simple/relaxed']);
  const kt = labels(13, 9);
  assert.ok(kt.includes('refile:') && kt.includes('csl:'));
  assert.ok(kt.includes('/etc/opendkim/key.table'), 'the workspace KeyTable is offered as a server path');
  assert.deepEqual(labels(14, 9), [], 'nothing in a comment');
});

test('go to definition: opendkim.conf values to the table files', () => {
  const ws = setup();
  assert.deepEqual(definitionAt(ctx(ws, CONF), at(3, 12)), [{ uri: KT, range: { start: at(0, 0), end: at(0, 0) } }]);
  assert.deepEqual(definitionAt(ctx(ws, CONF), at(4, 25)).map((l) => l.uri), [ST]);
  assert.deepEqual(definitionAt(ctx(ws, CONF), at(5, 20)).map((l) => l.uri), [HOSTS]);
  assert.deepEqual(definitionAt(ctx(ws, CONF), at(0, 8)), [], 'Syslog names no file');
});

test('SigningTable key names: definition, hover and completion from the KeyTable', () => {
  const ws = setup();
  assert.deepEqual(definitionAt(ctx(ws, ST), at(0, 20)), [{ uri: KT, range: { start: at(0, 0), end: at(0, 27) } }]);
  const h = hoverAt(ctx(ws, ST), at(0, 20))!;
  assert.match(h.markdown, /TXT record at `mail._domainkey.example.com`/);
  const pattern = hoverAt(ctx(ws, ST), at(0, 3))!;
  assert.match(pattern.markdown, /wildcard pattern \(loaded with `refile:`\)/);
  ws.setOnDisk(ST, 'opendkim-signingtable', ST_TEXT + '*@example.net ma\n');
  const items = completionsAt(ctx(ws, ST), at(2, 16));
  assert.deepEqual(items.map((c) => c.label), ['mail._domainkey.example.com', 'inline']);
  assert.deepEqual(items[0].edit.range, { start: at(2, 14), end: at(2, 16) });
});

test('KeyTable hover: DNS name and key facts from KeyFileInfo, never the key', () => {
  const ws = setup();
  const plain = hoverAt(ctx(ws, KT), at(0, 5))!;
  assert.match(plain.markdown, /public key must be published as a TXT record at `mail._domainkey.example.com`/);
  assert.match(plain.markdown, /Private key file: `\/etc\/opendkim\/keys\/mail.private`$/m);
  assert.match(plain.markdown, /Used by SigningTable line `\*@example.com`/);
  setOpendkimEnvironment(ws, { keyFileInfo: (ref) => (ref.uri === `${ROOT}/opendkim/keys/mail.private` ? { exists: true, isFile: true, mode: 0o600, isPrivateKey: true, algorithm: 'rsa', bits: 2048 } : undefined) });
  assert.match(hoverAt(ctx(ws, KT), at(0, 5))!.markdown, /mail.private` — RSA, 2048 bits, mode 600/);
  const inline = hoverAt(ctx(ws, KT), at(1, 2))!;
  assert.match(inline.markdown, /written inline \(not shown\)/);
  assert.ok(!inline.markdown.includes('MIIEvQ'), 'no key material in hovers');
  // With the key file known to exist, definition opens it.
  assert.deepEqual(definitionAt(ctx(ws, KT), at(0, 60)).map((l) => l.uri), [`${ROOT}/opendkim/keys/mail.private`]);
});

test('KeyTable references: the SigningTable lines naming an entry', () => {
  const ws = setup();
  assert.deepEqual(referencesAt(ctx(ws, KT), at(0, 3), true).map((l) => `${l.uri} ${l.range.start.line}:${l.range.start.character}`), [`${KT} 0:0`, `${ST} 0:14`]);
  assert.deepEqual(referencesAt(ctx(ws, KT), at(0, 3), false).map((l) => l.uri), [ST]);
});

test('host-list hover says what an entry matches', () => {
  const ws = setup();
  assert.match(hoverAt(ctx(ws, HOSTS), at(1, 2))!.markdown, /^Matches clients in the IPv4 network `10.0.0.0\/8` \(InternalHosts\)/);
  assert.match(hoverAt(ctx(ws, HOSTS), at(2, 2))!.markdown, /every client whose host name ends in `.example.com`/);
});

test('/etc/default/opendkim: hover on SOCKET gives the socket in effect; variable names complete', () => {
  const ws = setup();
  const h = hoverAt(ctx(ws, DEFAULT), at(1, 2))!;
  assert.match(h.markdown, /Value after expansion: `local:\/run\/opendkim\/opendkim.sock`/);
  assert.match(h.markdown, /OpenDKIM listens on `inet:8891@localhost`: systemd/);
  ws.setOnDisk(DEFAULT, 'opendkim-default', 'RUNDIR=/run/opendkim\nSOCKET=local:$RUNDIR/opendkim.sock\nSO\n');
  const items = completionsAt(ctx(ws, DEFAULT), at(2, 2));
  assert.deepEqual(items.find((c) => c.label === 'SOCKET')?.edit, { range: { start: at(2, 0), end: at(2, 2) }, newText: 'SOCKET=' });
});

test('features never throw on junk or at odd positions', () => {
  const ws = new Workspace();
  const junk = '\u0000\uFEFFSocket\n\t\t#\nKeyTable refile:\n' + 'x'.repeat(5000) + '\n';
  for (const [uri, kind] of [[CONF, 'opendkim-conf'], [KT, 'opendkim-keytable'], [ST, 'opendkim-signingtable'], [HOSTS, 'opendkim-hostlist'], [DEFAULT, 'opendkim-default']] as const) {
    ws.setOnDisk(uri, kind, junk);
  }
  for (const uri of [CONF, KT, ST, HOSTS, DEFAULT]) {
    for (const p of [at(0, 0), at(0, 3), at(2, 9), at(3, 4000), at(99, 0)]) {
      assert.doesNotThrow(() => { hoverAt(ctx(ws, uri), p); completionsAt(ctx(ws, uri), p); definitionAt(ctx(ws, uri), p); referencesAt(ctx(ws, uri), p, true); });
    }
  }
});
