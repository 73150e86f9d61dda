// The Postfix ↔ OpenDKIM milter link, over in-memory /etc trees.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { diagnose } from '../../../server/src/core/checks';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { kindFromName } from '../../../server/src/core/kinds';
import type { Finding } from '../../../server/src/core/types';
import { splitMilterList } from '../../../server/src/core/stack/milterLink';

const DEBIAN_MASTER = 'smtp inet n - y - - smtpd\npickup unix n - y 60 1 pickup\ncleanup unix n - y - 0 cleanup\nqmgr unix n - n 300 1 qmgr\n';

function stack(files: Record<string, string>) {
  const ws = new Workspace();
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split('/');
    const kind = kindFromName(parts[parts.length - 1], parts[parts.length - 2] ?? '')!;
    ws.setOnDisk(`file:///etc/${path}`, kind, text);
  }
  const findings = (path: string): Finding[] => diagnose({ doc: ws.get(`file:///etc/${path}`)!, workspace: ws, settings: DEFAULT_SETTINGS })
    .filter((f) => f.code.startsWith('milter/'));
  return { ws, findings, text: (path: string) => ws.get(`file:///etc/${path}`)!.analysis.text };
}

function slice(text: string, f: Finding): string {
  const lines = text.split('\n');
  return lines[f.range.start.line].slice(f.range.start.character, f.range.end.character);
}

function apply(text: string, f: Finding, fixIndex = 0, uri?: string): string {
  const edits = f.fixes![fixIndex].edits.filter((e) => (e.uri ?? uri) === uri || e.uri === undefined);
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'x', 1, text), edits);
}

test('inet, same port on loopback: no finding on either side', () => {
  const s = stack({
    'postfix/main.cf': 'smtpd_milters = inet:localhost:8891\nnon_smtpd_milters = $smtpd_milters\n',
    'postfix/master.cf': DEBIAN_MASTER,
    'opendkim.conf': 'Socket inet:8891@localhost\n',
  });
  assert.deepEqual(s.findings('postfix/main.cf'), []);
  assert.deepEqual(s.findings('opendkim.conf'), []);
});

test('inet, different ports: an error on both sides, pointing at each other, with fixes for either side', () => {
  const s = stack({
    'postfix/main.cf': 'smtpd_milters = inet:localhost:8892\nnon_smtpd_milters = $smtpd_milters\n',
    'postfix/master.cf': DEBIAN_MASTER,
    'opendkim.conf': 'Socket inet:8891@localhost\n',
  });
  const main = s.findings('postfix/main.cf').filter((f) => f.code === 'milter/socket-mismatch');
  assert.equal(main.length, 2, 'smtpd and cleanup both miss it');
  assert.equal(slice(s.text('postfix/main.cf'), main[0]), 'inet:localhost:8892');
  assert.equal(main[0].severity, 'error');
  assert.equal(main[0].related![0].uri, 'file:///etc/opendkim.conf');
  assert.match(main[0].message, /port 8892.*port 8891/);
  assert.equal(apply(s.text('postfix/main.cf'), main[0], 0, 'file:///etc/postfix/main.cf').split('\n')[0], 'smtpd_milters = inet:localhost:8891');
  assert.equal(apply(s.text('opendkim.conf'), main[0], 1, 'file:///etc/opendkim.conf'), 'Socket inet:8892@localhost\n');

  const conf = s.findings('opendkim.conf');
  assert.equal(conf.length, 1, 'one finding per socket value');
  assert.equal(slice(s.text('opendkim.conf'), conf[0]), 'inet:8891@localhost');
  assert.equal(conf[0].related![0].uri, 'file:///etc/postfix/main.cf');
  assert.equal(apply(s.text('opendkim.conf'), conf[0]), 'Socket inet:8892@localhost\n');
});

test('seed 004: local:/opendkim/… meets /var/spool/postfix/opendkim/… only with a chrooted smtpd', () => {
  const files = {
    'postfix/main.cf': 'smtpd_milters = local:/opendkim/opendkim.sock\nnon_smtpd_milters = local:/opendkim/opendkim.sock\n',
    'postfix/master.cf': DEBIAN_MASTER,
    'opendkim.conf': 'Socket local:/var/spool/postfix/opendkim/opendkim.sock\n',
  };
  assert.deepEqual(stack(files).findings('postfix/main.cf'), []);

  const unchrooted = stack({ ...files, 'postfix/master.cf': DEBIAN_MASTER.replace(/ y /g, ' n ') });
  const f = unchrooted.findings('postfix/main.cf').filter((x) => x.code === 'milter/socket-mismatch');
  assert.equal(f.length, 2);
  assert.match(f[0].message, /\/opendkim\/opendkim\.sock.*\/var\/spool\/postfix\/opendkim\/opendkim\.sock/);
  assert.equal(apply(unchrooted.text('postfix/main.cf'), f[0], 0, 'file:///etc/postfix/main.cf').split('\n')[0],
    'smtpd_milters = local:/var/spool/postfix/opendkim/opendkim.sock');
  // The message says why the chroot-relative path misses: this daemon is not chrooted.
  assert.match(f[0].message, /written as a daemon chrooted in \/var\/spool\/postfix would see the socket, but this one runs outside the jail: master\.cf's chroot column for "smtp" is `n`\. Either write the full path, or set the chroot column to y/);

  // `-` in the chroot column (upstream master.cf, seen in the corpus): n since Postfix 3.0, said so.
  const dashed = stack({ ...files, 'postfix/master.cf': DEBIAN_MASTER.replace(/ y /g, ' - ') });
  const g = dashed.findings('postfix/main.cf').filter((x) => x.code === 'milter/socket-mismatch');
  assert.equal(g.length, 2);
  assert.match(g[0].message, /chroot column for "smtp" is `-`, which means n since Postfix 3\.0/);
  assert.match(g[1].message, /chroot column for "cleanup" is `-`/);
  const conf = dashed.findings('opendkim.conf').find((x) => x.code === 'milter/socket-mismatch')!;
  assert.match(conf.message, /runs outside the jail/);
  // A path that is simply wrong gets no chroot story.
  const wrong = stack({ ...files, 'postfix/master.cf': DEBIAN_MASTER.replace(/ y /g, ' - '), 'postfix/main.cf': 'smtpd_milters = local:/elsewhere/opendkim.sock\n' });
  const w = wrong.findings('postfix/main.cf').find((x) => x.code === 'milter/socket-mismatch')!;
  assert.doesNotMatch(w.message, /jail/);
});

test("a chrooted smtpd cannot reach a socket outside the queue directory; the fix moves OpenDKIM's socket", () => {
  const s = stack({
    'postfix/main.cf': 'smtpd_milters = unix:/run/opendkim/opendkim.sock\n',
    'postfix/master.cf': DEBIAN_MASTER,
    'opendkim.conf': 'Socket local:/run/opendkim/opendkim.sock\n',
  });
  const f = s.findings('postfix/main.cf').find((x) => x.code === 'milter/socket-mismatch')!;
  assert.ok(f);
  assert.equal(f.fixes!.length, 1, 'no Postfix-side rewrite can reach /run from inside the jail');
  assert.equal(apply(s.text('opendkim.conf'), f, 0, 'file:///etc/opendkim.conf'), 'Socket local:/var/spool/postfix/run/opendkim/opendkim.sock\n');
});

test('seed 000: non_smtpd_milters = $smtpd_milter leaves local mail unsigned', () => {
  const s = stack({
    'postfix/main.cf': 'milter_default_action = accept\nsmtpd_milters = inet:localhost:8891\nnon_smtpd_milters = $smtpd_milter\n',
    'opendkim.conf': 'Socket inet:8891@localhost\n',
  });
  const codes = s.findings('postfix/main.cf').map((f) => f.code).sort();
  assert.deepEqual(codes, ['milter/default-accept', 'milter/local-mail-unsigned']);
  const local = s.findings('postfix/main.cf').find((f) => f.code === 'milter/local-mail-unsigned')!;
  assert.equal(slice(s.text('postfix/main.cf'), local), '$smtpd_milter');
});

test('milter lists are compared after expansion; OpenDMARC must come after OpenDKIM', () => {
  const ok = stack({
    'postfix/main.cf': 'dkim_milter = inet:localhost:8891\ndmarc_milter = inet:localhost:8893\nsmtpd_milters = $dkim_milter $dmarc_milter\nnon_smtpd_milters = $dkim_milter\n',
    'opendkim.conf': 'Socket inet:8891@localhost\n',
  });
  assert.deepEqual(ok.findings('postfix/main.cf'), []);
  const wrong = stack({
    'postfix/main.cf': 'dkim_milter = inet:localhost:8891\ndmarc_milter = inet:localhost:8893\nsmtpd_milters = $dmarc_milter, $dkim_milter\nnon_smtpd_milters = $dkim_milter\n',
    'opendkim.conf': 'Socket inet:8891@localhost\n',
  });
  const f = wrong.findings('postfix/main.cf');
  assert.deepEqual(f.map((x) => x.code), ['milter/opendmarc-before-opendkim']);
  assert.equal(slice(wrong.text('postfix/main.cf'), f[0]), 'inet:localhost:8893');
});

test('a master.cf -o smtpd_milters override is checked for its own service, on the -o value', () => {
  const s = stack({
    'postfix/main.cf': 'smtpd_milters = inet:localhost:8891\nnon_smtpd_milters = $smtpd_milters\n',
    'postfix/master.cf': DEBIAN_MASTER + 'submission inet n - y - - smtpd\n  -o smtpd_milters=inet:localhost:9999\n',
    'opendkim.conf': 'Socket inet:8891@localhost\n',
  });
  assert.deepEqual(s.findings('postfix/main.cf'), []);
  const f = s.findings('postfix/master.cf');
  assert.equal(f.length, 1);
  assert.equal(slice(s.text('postfix/master.cf'), f[0]), 'inet:localhost:9999');
  assert.match(f[0].message, /submission/);
});

test("/etc/default/opendkim's SOCKET counts where a systemd drop-in carries it", () => {
  const s = stack({
    'postfix/main.cf': 'smtpd_milters = inet:localhost:8891\n',
    'postfix/master.cf': DEBIAN_MASTER,
    'opendkim.conf': 'Socket inet:8891@localhost\n',
  });
  // Without any socket at all, Postfix is told OpenDKIM is not listening.
  const none = stack({ 'postfix/main.cf': 'smtpd_milters = inet:localhost:8891\n', 'postfix/master.cf': DEBIAN_MASTER, 'opendkim.conf': 'Mode sv\n' });
  assert.deepEqual(none.findings('postfix/main.cf').map((f) => f.code), ['milter/opendkim-not-listening']);
  assert.deepEqual(s.findings('postfix/main.cf'), []);
});

test('milter lists split on blanks and commas; braces keep their options', () => {
  assert.deepEqual(splitMilterList('inet:a:1, unix:/x { inet:b:2, connect_timeout=10s } ,'), ['inet:a:1', 'unix:/x', 'inet:b:2']);
});
