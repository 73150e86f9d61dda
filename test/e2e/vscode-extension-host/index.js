// Extension-host tests: the `run(): Promise<void>` module that @vscode/test-electron would load
// via extensionTestsPath. test/e2e/vscode.test.ts runs it inside code-server's real extension
// host (the `payload` URL parameter), with the repo as extensionDevelopmentPath and a copy of
// seed 000 as the workspace. Plain CommonJS: the extension host require()s it as is.
const assert = require('assert');
const vscode = require('vscode');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const codeOf = (d) => (typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code));

/** Polls until check() returns a truthy value; fails after ms. */
async function waitFor(what, check, ms = 20000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

async function step(name, fn) {
  const t0 = Date.now();
  await fn();
  console.log(`ok - ${name} (${Date.now() - t0} ms)`);
}

exports.run = async function run() {
  const folder = vscode.workspace.workspaceFolders[0].uri;
  const mainCf = vscode.Uri.joinPath(folder, 'etc/postfix/main.cf');
  const doc = await vscode.workspace.openTextDocument(mainCf);
  await vscode.window.showTextDocument(doc);
  const undefinedRef = () => vscode.languages.getDiagnostics(mainCf).find((d) => codeOf(d) === 'postfix/undefined-parameter');

  await step('main.cf is postfix-main and the extension is active', async () => {
    assert.strictEqual(doc.languageId, 'postfix-main');
    const ext = vscode.extensions.getExtension('mailconf.mailconf');
    assert.ok(ext, 'extension mailconf.mailconf not found');
    await waitFor('activation', () => ext.isActive);
  });

  let diag;
  await step('getDiagnostics: postfix/undefined-parameter on $smtpd_milter', async () => {
    diag = await waitFor('the undefined-parameter diagnostic', undefinedRef);
    assert.strictEqual(doc.getText(diag.range), 'smtpd_milter');
    assert.strictEqual(diag.range.start.line, 15);
    assert.strictEqual(diag.severity, vscode.DiagnosticSeverity.Warning);
  });

  await step('executeHoverProvider: parameter documentation with the postconf(5) link', async () => {
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', mainCf, new vscode.Position(15, 3));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /non_smtpd_milters/);
    assert.match(text, /postconf\.5\.html#non_smtpd_milters/);
  });

  await step('executeCodeActionProvider + applyEdit: $smtpd_milter becomes $smtpd_milters, the diagnostic goes', async () => {
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', mainCf, diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.includes('smtpd_milters') && a.edit);
    assert.ok(fix, `no smtpd_milters quick-fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(doc.lineAt(15).text, 'non_smtpd_milters = $smtpd_milters');
    await waitFor('the diagnostic to disappear', () => !undefinedRef());
  });

  await step('mailconf.restartServer: the server comes back and checks again', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('mailconf.restartServer'));
    await vscode.commands.executeCommand('mailconf.restartServer');
    // Undo the fix: the restarted server must report the reference again.
    const undo = new vscode.WorkspaceEdit();
    undo.replace(mainCf, new vscode.Range(15, 20, 15, 34), '$smtpd_milter');
    assert.ok(await vscode.workspace.applyEdit(undo));
    assert.strictEqual(doc.lineAt(15).text, 'non_smtpd_milters = $smtpd_milter');
    await waitFor('the diagnostic from the restarted server', undefinedRef, 30000);
  });
};
