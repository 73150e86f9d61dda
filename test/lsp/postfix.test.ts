// Postfix language features through the real server, as an editor uses them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction, CompletionItem, CompletionList, Diagnostic, Hover, Location, SemanticTokens, TextEdit, WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { TestClient, REPO, fileUri } from './lspClient';

let client: TestClient;
const ETC = fs.mkdtempSync(path.join(os.tmpdir(), 'mailconf-lsp-postfix-'));

function write(rel: string, text: string): { uri: string; text: string } {
  const p = path.join(ETC, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return { uri: fileUri(p), text };
}

function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'x', 1, text), edits);
}

const seed000 = fs.readFileSync(path.join(REPO, 'samples/000-any2any.de/etc/postfix/main.cf'), 'utf8');
const seed004main = fs.readFileSync(path.join(REPO, 'samples/004-voorbeeld.nl/etc/postfix/main.cf'), 'utf8');
const seed004master = fs.readFileSync(path.join(REPO, 'samples/004-voorbeeld.nl/etc/postfix/master.cf'), 'utf8');

before(async () => {
  write('seed000/postfix/main.cf', seed000);
  write('seed004/postfix/main.cf', seed004main);
  write('seed004/postfix/master.cf', seed004master);
  client = new TestClient();
  await client.initialize(fileUri(ETC));
});

after(async () => {
  assert.equal(await client.shutdown(), 0);
});

test('seed 000: `$smtpd_milter` is undefined; the quick-fix makes it `$smtpd_milters` and the problem goes away', async () => {
  const { uri, text } = { uri: fileUri(path.join(ETC, 'seed000/postfix/main.cf')), text: seed000 };
  const diags = await client.open(uri, 'postfix-main', text);
  const undefinedRef = diags.diagnostics.find((d) => d.code === 'postfix/undefined-parameter');
  assert.ok(undefinedRef, JSON.stringify(diags.diagnostics.map((d) => d.code)));
  const line = text.split('\n')[undefinedRef.range.start.line];
  assert.equal(line.slice(undefinedRef.range.start.character, undefinedRef.range.end.character).replace(/^\$/, ''), 'smtpd_milter');
  assert.ok(diags.diagnostics.some((d) => d.code === 'postfix/deprecated-parameter'), 'smtpd_use_tls is deprecated');

  const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri }, range: undefinedRef.range, context: { diagnostics: [undefinedRef] },
  });
  const fix = actions.find((a) => a.title.includes('smtpd_milters'));
  assert.ok(fix?.edit?.changes?.[uri], JSON.stringify(actions));
  const fixed = applyEdits(text, fix.edit.changes[uri]);
  assert.match(fixed, /^non_smtpd_milters = \$smtpd_milters$/m);

  const after = await client.change(uri, 2, [{ text: fixed }]);
  assert.ok(!after.diagnostics.some((d) => d.code === 'postfix/undefined-parameter'), JSON.stringify(after.diagnostics));
});

test('hover on a parameter shows its documentation and the postconf(5) link; hover on $name its value', async () => {
  const { uri, text } = write('hover/postfix/main.cf', 'mydomain = example.org\nmyorigin = $mydomain\nsmtpd_milters = inet:localhost:8891\n');
  await client.open(uri, 'postfix-main', text);
  const h1 = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 3 } });
  assert.ok(h1, 'hover on smtpd_milters');
  const md1 = typeof h1.contents === 'object' && 'value' in h1.contents ? h1.contents.value : JSON.stringify(h1.contents);
  assert.match(md1, /postconf\.5\.html#smtpd_milters/);
  const h2 = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 13 } });
  const md2 = h2 && typeof h2.contents === 'object' && 'value' in h2.contents ? h2.contents.value : '';
  assert.match(md2, /example\.org/, 'the reference shows the value it expands to');
});

test('completion offers parameter names at the start of a line and values after `=`', async () => {
  const { uri, text } = write('complete/postfix/main.cf', 'smtpd_mil\nmilter_default_action = \n');
  await client.open(uri, 'postfix-main', text);
  const names = await client.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 9 } });
  const nameItems = Array.isArray(names) ? names : names.items;
  assert.ok(nameItems.some((i) => i.label === 'smtpd_milters'), nameItems.slice(0, 10).map((i) => i.label).join(','));
  const values = await client.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 24 } });
  const valueItems = (Array.isArray(values) ? values : values.items).map((i) => i.label);
  for (const v of ['accept', 'reject', 'tempfail']) assert.ok(valueItems.includes(v), valueItems.join(','));
});

test('definition, references and rename of a user-defined parameter across main.cf and master.cf', async () => {
  const main = write('nav/postfix/main.cf', 'my_filter = amavis:[127.0.0.1]:10024\ncontent_filter = $my_filter\n');
  const master = write('nav/postfix/master.cf', 'smtp inet n - y - - smtpd\n  -o content_filter=$my_filter\namavis unix - - - - 2 smtp\n');
  await client.open(main.uri, 'postfix-main', main.text);
  await client.open(master.uri, 'postfix-master', master.text);

  const defs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: main.uri }, position: { line: 1, character: 20 } });
  assert.deepEqual(defs.map((d) => [d.uri, d.range.start.line]), [[main.uri, 0]]);

  const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri: main.uri }, position: { line: 0, character: 2 }, context: { includeDeclaration: true } });
  assert.deepEqual(new Set(refs.map((r) => `${r.uri === main.uri ? 'main' : 'master'}:${r.range.start.line}`)), new Set(['main:0', 'main:1', 'master:1']));

  const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: main.uri }, position: { line: 0, character: 2 }, newName: 'amavis_filter' });
  assert.match(applyEdits(main.text, edit.changes![main.uri]), /^amavis_filter = amavis.*\ncontent_filter = \$amavis_filter\n$/);
  assert.match(applyEdits(master.text, edit.changes![master.uri]), /-o content_filter=\$amavis_filter/);

  await assert.rejects(
    client.request('textDocument/rename', { textDocument: { uri: main.uri }, position: { line: 1, character: 3 }, newName: 'x' }),
    'renaming a built-in parameter (content_filter) is refused',
  );
});

test('master.cf: hover on the chroot column; policyd-spf makes `policyd-spf_time_limit` a known name', async () => {
  const masterUri = fileUri(path.join(ETC, 'seed004/postfix/master.cf'));
  await client.open(masterUri, 'postfix-master', seed004master);
  const lines = seed004master.split('\n');
  const smtp = lines.findIndex((l) => l.startsWith('smtp      inet'));
  const chrootCol = lines[smtp].indexOf('y');
  const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: masterUri }, position: { line: smtp, character: chrootCol } });
  const md = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  assert.match(md, /chroot/i);

  const mainUri = fileUri(path.join(ETC, 'seed004/postfix/main.cf'));
  const diags = await client.open(mainUri, 'postfix-main', seed004main);
  assert.deepEqual(diags.diagnostics.filter((d: Diagnostic) => d.code === 'postfix/unknown-parameter'), []);
  assert.ok(!diags.diagnostics.some((d) => d.code === 'postfix/open-relay'));
});

test('mailconf.postfix.version: a 3.9 parameter is flagged for Postfix 3.7, and not for the latest', async () => {
  const { uri, text } = write('version/postfix/main.cf', 'smtp_tls_enable_rpk = yes\n');
  const latest = await client.open(uri, 'postfix-main', text);
  assert.ok(!latest.diagnostics.some((d) => d.code === 'postfix/parameter-too-new'));
  const next = client.nextDiagnostics(uri);
  await client.configure('mailconf', { postfix: { version: '3.7' } });
  const old = await next;
  assert.ok(old.diagnostics.some((d) => d.code === 'postfix/parameter-too-new'), JSON.stringify(old.diagnostics));
  const back = client.nextDiagnostics(uri);
  await client.configure('mailconf', { postfix: { version: 'latest' } });
  assert.ok(!(await back).diagnostics.some((d) => d.code === 'postfix/parameter-too-new'));
});

test('semantic tokens tell known parameters from unknown ones', async () => {
  const { uri, text } = write('tokens/postfix/main.cf', 'myhostname = mail.example.org\nsmtpd_milterz = x\n');
  await client.open(uri, 'postfix-main', text);
  const legend = client.initializeResult!.capabilities.semanticTokensProvider!.legend;
  const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
  // Decode: groups of five integers (deltaLine, deltaStart, length, type, modifiers).
  const decoded: Array<{ line: number; type: string }> = [];
  let line = 0;
  for (let i = 0; i < tokens.data.length; i += 5) {
    line += tokens.data[i];
    decoded.push({ line, type: legend.tokenTypes[tokens.data[i + 3]] });
  }
  const first = decoded.find((t) => t.line === 0)?.type;
  const second = decoded.find((t) => t.line === 1)?.type;
  assert.ok(first && second, JSON.stringify(decoded));
  assert.notEqual(first, second, 'a typo is coloured differently from a known parameter');
});

test('quick-fixes: a deprecated parameter becomes its successor; a missing policy service is added to master.cf', async () => {
  const uri = fileUri(path.join(ETC, 'seed000/postfix/main.cf'));
  await client.close(uri); // opened and edited by the first test
  const diags = await client.open(uri, 'postfix-main', seed000, 1);
  const deprecated = diags.diagnostics.find((d) => d.code === 'postfix/deprecated-parameter');
  assert.ok(deprecated);
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri }, range: deprecated.range, context: { diagnostics: [deprecated] },
  });
  const fix = actions.find((a) => a.edit?.changes?.[uri]);
  assert.ok(fix, JSON.stringify(actions));
  const fixed = applyEdits(seed000, fix.edit!.changes![uri]);
  assert.match(fixed, /^smtpd_tls_security_level = may$/m);
  assert.doesNotMatch(fixed, /smtpd_use_tls/);

  const main = write('policy/postfix/main.cf', 'smtpd_recipient_restrictions =\n   reject_unauth_destination,\n   check_policy_service unix:private/policyd-spf\n');
  const master = write('policy/postfix/master.cf', 'smtp inet n - y - - smtpd\ncleanup unix n - y - 0 cleanup\nqmgr unix n - n 300 1 qmgr\n');
  await client.open(master.uri, 'postfix-master', master.text);
  const d2 = await client.open(main.uri, 'postfix-main', main.text);
  const missing = d2.diagnostics.find((d) => d.code === 'postfix/policy-service-undefined');
  assert.ok(missing, JSON.stringify(d2.diagnostics));
  const a2 = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: main.uri }, range: missing.range, context: { diagnostics: [missing] },
  });
  const add = a2.find((a) => a.edit?.changes?.[master.uri]);
  assert.ok(add, JSON.stringify(a2));
  const newMaster = applyEdits(master.text, add.edit!.changes![master.uri]);
  assert.match(newMaster, /^policyd-spf\s+unix\s+-\s+n\s+n\s+-\s+0\s+spawn$/m);
  // With the service added, the finding is gone.
  const next = client.nextDiagnostics(main.uri);
  await client.change(master.uri, 2, [{ text: newMaster }]);
  assert.ok(!(await next).diagnostics.some((d) => d.code === 'postfix/policy-service-undefined'));
});

test('every finding can be silenced for its line: the code action inserts the disable comment', async () => {
  const { uri, text } = write('disable/postfix/main.cf', 'myhostname = mail.example.org\nsmtpd_milterz = x\n');
  const d = await client.open(uri, 'postfix-main', text);
  const unknown = d.diagnostics.find((x) => x.code === 'postfix/unknown-parameter');
  assert.ok(unknown);
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: unknown.range, context: { diagnostics: [unknown] } });
  const disable = actions.find((a) => a.title === 'Disable postfix/unknown-parameter for this line');
  assert.ok(disable, actions.map((a) => a.title).join(' | '));
  const silenced = applyEdits(text, disable.edit!.changes![uri]);
  assert.equal(silenced, 'myhostname = mail.example.org\n# mailconf-disable-next-line postfix/unknown-parameter\nsmtpd_milterz = x\n');
  const after = await client.change(uri, 2, [{ text: silenced }]);
  assert.ok(!after.diagnostics.some((x) => x.code === 'postfix/unknown-parameter'));
});
