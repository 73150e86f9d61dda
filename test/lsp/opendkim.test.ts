// OpenDKIM and the Postfix ↔ OpenDKIM link through the real server.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Hover, Location, TextEdit } from 'vscode-languageserver-protocol';
import { TestClient, fileUri } from './lspClient';

let client: TestClient;
const ETC = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-lsp-dkim-')), 'etc');
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

const FILES: Record<string, string> = {
  'postfix/main.cf': 'smtpd_milters = inet:localhost:8892\nnon_smtpd_milters = $smtpd_milters\n',
  'postfix/master.cf': 'smtp inet n - y - - smtpd\ncleanup unix n - y - 0 cleanup\nqmgr unix n - n 300 1 qmgr\n',
  'opendkim.conf': 'Socket inet:8891@localhost\nCanonicalization relaxed/simple\nKeyTable /etc/opendkim/key.table\nSigningTable refile:/etc/opendkim/signing.table\n',
  'opendkim/key.table': 'default._domainkey.voorbeeld.nl voorbeeld.nl:default:/etc/opendkim/keys/voorbeeld.nl/default.private\n',
  'opendkim/signing.table': '*@voorbeeld.nl default._domainkey.voorbeeld.n\n',
};

function doc(rel: string) {
  return { uri: fileUri(path.join(ETC, rel)), text: FILES[rel] };
}

const apply = (text: string, edits: TextEdit[]) => TextDocument.applyEdits(TextDocument.create('file:///x', 'x', 1, text), edits);
const markdown = (h: Hover | null) => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');

before(async () => {
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(ETC, rel)), { recursive: true });
    fs.writeFileSync(path.join(ETC, rel), text);
  }
  const key = path.join(ETC, 'opendkim/keys/voorbeeld.nl/default.private');
  fs.mkdirSync(path.dirname(key), { recursive: true });
  fs.writeFileSync(key, PEM, { mode: 0o600 });
  client = new TestClient();
  await client.initialize(fileUri(ETC));
});

after(async () => {
  assert.equal(await client.shutdown(), 0);
});

test('milter mismatch: errors on main.cf and opendkim.conf, each pointing at the other; the fix rewrites the socket', async () => {
  const main = doc('postfix/main.cf');
  const conf = doc('opendkim.conf');
  const dm = await client.open(main.uri, 'postfix-main', main.text);
  const onMain = dm.diagnostics.find((d) => d.code === 'milter/socket-mismatch');
  assert.ok(onMain, JSON.stringify(dm.diagnostics));
  assert.equal(onMain.relatedInformation?.[0].location.uri, conf.uri);

  const dc = await client.open(conf.uri, 'opendkim-conf', conf.text);
  const onConf = dc.diagnostics.find((d) => d.code === 'milter/socket-mismatch');
  assert.ok(onConf, JSON.stringify(dc.diagnostics));
  assert.equal(onConf.relatedInformation?.[0].location.uri, main.uri);
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: conf.uri }, range: onConf.range, context: { diagnostics: [onConf] } });
  const fix = actions.find((a) => a.edit?.changes?.[conf.uri]);
  assert.ok(fix);
  const fixed = apply(conf.text, fix.edit!.changes![conf.uri]);
  assert.match(fixed, /^Socket inet:8892@localhost$/m);

  // Applying it clears the finding on both sides.
  const mainAfter = client.nextDiagnostics(main.uri);
  const confAfter = await client.change(conf.uri, 2, [{ text: fixed }]);
  assert.ok(!confAfter.diagnostics.some((d) => d.code === 'milter/socket-mismatch'));
  assert.ok(!(await mainAfter).diagnostics.some((d) => d.code === 'milter/socket-mismatch'));
});

test('SigningTable → KeyTable: unknown key name with a quick-fix, and go to definition', async () => {
  const st = doc('opendkim/signing.table');
  const d = await client.open(st.uri, 'opendkim-table', st.text);
  const unknown = d.diagnostics.find((x) => x.code === 'opendkim/signingtable-unknown-key');
  assert.ok(unknown, JSON.stringify(d.diagnostics));
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: st.uri }, range: unknown.range, context: { diagnostics: [unknown] } });
  const fix = actions.find((a) => a.edit?.changes?.[st.uri]);
  assert.ok(fix, JSON.stringify(actions));
  const fixed = apply(st.text, fix.edit!.changes![st.uri]);
  assert.equal(fixed, '*@voorbeeld.nl default._domainkey.voorbeeld.nl\n');
  await client.change(st.uri, 2, [{ text: fixed }]);

  const defs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: st.uri }, position: { line: 0, character: 20 } });
  assert.deepEqual(defs.map((l) => [l.uri, l.range.start.line]), [[doc('opendkim/key.table').uri, 0]]);
});

test('hover: an option explains itself; a KeyTable line tells the key size, never the key', async () => {
  const conf = doc('opendkim.conf');
  const h1 = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: conf.uri }, position: { line: 1, character: 3 } });
  assert.match(markdown(h1), /opendkim\.conf/i);
  assert.match(markdown(h1), /relaxed|simple/);

  const kt = doc('opendkim/key.table');
  await client.open(kt.uri, 'opendkim-table', kt.text);
  const h2 = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: kt.uri }, position: { line: 0, character: 3 } });
  const text = markdown(h2);
  assert.match(text, /default\._domainkey\.voorbeeld\.nl/);
  assert.match(text, /2048/);
  const body = PEM.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
  for (let i = 0; i + 16 <= body.length; i += 16) assert.ok(!text.includes(body.slice(i, i + 16)), 'no piece of the private key in the hover');
  assert.ok(!client.stderr.includes(body.slice(0, 32)));
});

test('completion of option names and values', async () => {
  const uri = fileUri(path.join(ETC, 'opendkim-completion.conf'));
  await client.open(uri, 'opendkim-conf', 'Canon\nMode \n');
  const names = await client.request<Array<{ label: string }> | { items: Array<{ label: string }> }>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 5 } });
  const labels = (Array.isArray(names) ? names : names.items).map((i) => i.label);
  assert.ok(labels.includes('Canonicalization'), labels.slice(0, 20).join(','));
  const values = await client.request<Array<{ label: string }> | { items: Array<{ label: string }> }>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 5 } });
  const v = (Array.isArray(values) ? values : values.items).map((i) => i.label);
  assert.ok(v.includes('sv') && v.includes('s') && v.includes('v'), v.join(','));
});

test('mailconf.configRoot vouches for a complete tree: only then is an absent key file reported missing', async () => {
  const rel = 'opendkim/other.keytable';
  const text = 'k2 example.org:s1:/etc/opendkim/keys/absent.private\n';
  fs.writeFileSync(path.join(ETC, rel), text);
  const uri = fileUri(path.join(ETC, rel));
  const before = await client.open(uri, 'opendkim-table', text);
  assert.ok(!before.diagnostics.some((d) => d.code === 'opendkim/missing-file'), JSON.stringify(before.diagnostics));
  const next = client.nextDiagnostics(uri);
  await client.configure('mailconf', { configRoot: ETC });
  const after = await next;
  assert.ok(after.diagnostics.some((d) => d.code === 'opendkim/missing-file'), JSON.stringify(after.diagnostics));
  await client.configure('mailconf', {});
});
