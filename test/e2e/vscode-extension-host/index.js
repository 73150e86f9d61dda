// Extension-host tests: the `run(): Promise<void>` module that @vscode/test-electron would load
// via extensionTestsPath. test/e2e/vscode.test.ts runs it inside code-server's real extension
// host (the `payload` URL parameter), with the repo as extensionDevelopmentPath and a temp
// workspace built from seeds 000, 001 and 002 (buildSeedWorkspace there). Plain CommonJS: the
// extension host require()s it as is.
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

  await step('getDiagnostics: milter/socket-mismatch on main.cf and opendkim.conf, each pointing to the other', async () => {
    const mismatch = (uri) => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'milter/socket-mismatch');
    const onMain = await waitFor('the mismatch on main.cf', () => mismatch(mainCf));
    assert.strictEqual(onMain.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(doc.getText(onMain.range), 'inet:localhost:8891');
    assert.match(onMain.message, /port 8891, OpenDKIM listens on port 8892/);
    const conf = vscode.Uri.joinPath(folder, 'etc/opendkim.conf');
    assert.ok(onMain.relatedInformation.some((r) => r.location.uri.toString() === conf.toString() && r.location.range.start.line === 39),
      JSON.stringify(onMain.relatedInformation));
    const confDoc = await vscode.workspace.openTextDocument(conf);
    const onConf = await waitFor('the mismatch on opendkim.conf', () => mismatch(conf));
    assert.strictEqual(onConf.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(confDoc.getText(onConf.range), 'inet:8892@localhost');
    assert.ok(onConf.relatedInformation.some((r) => r.location.uri.toString() === mainCf.toString() && r.location.range.start.line === 14));
  });

  /** Runs a report command with its argument object; returns the report and the shown document's text. */
  async function report(command, args) {
    const result = await vscode.commands.executeCommand(command, args);
    assert.ok(result && typeof result.markdown === 'string', `${command} returned ${JSON.stringify(result)}`);
    const editor = await waitFor(`the report document of ${command}`, () => vscode.window.visibleTextEditors.find(
      (e) => e.document.uri.scheme === 'mailconf-report' && e.document.getText() === result.markdown));
    assert.strictEqual(editor.document.languageId, 'markdown');
    console.log(`report ${command}: ${JSON.stringify(result.markdown.slice(0, 4000))}`);
    return { result, text: editor.document.getText() };
  }

  await step('mailconf.checkHost: seed 000 over the zone files, the MX host is not in them: temperror, said why', async () => {
    const { text } = await report('mailconf.checkHost', { ip: '94.130.57.108', sender: 'postmaster@any2any.de' });
    assert.match(text, /^# SPF check_host: temperror/);
    assert.match(text, /mail\.hottemax\.org is not in the workspace's zone files/);
    assert.match(text, /live DNS is off: mailconf\.dns\.enabled is off/);
  });

  await step('mailconf.checkHost: seed 002\'s unquoted record lists the IP, yet receivers see no SPF record: none', async () => {
    const { text } = await report('mailconf.checkHost', { ip: '123.123.123.42', sender: 'domain.tld' });
    assert.match(text, /^# SPF check_host: none/);
    assert.match(text, /postmaster@domain\.tld/);
  });

  await step('mailconf.showSpfLookupTree: seed 000\'s record as a tree', async () => {
    const { text } = await report('mailconf.showSpfLookupTree', { domain: 'any2any.de' });
    assert.match(text, /any2any\.de/);
    assert.match(text, /v=spf1 mx ip4:94\.130\.57\.108/);
    assert.match(text, /`mx` \(lookup 1\)/);
    assert.match(text, /DNS lookups: \*\*1 of 10\*\*/);
    assert.match(text, /workspace's zone files only/);
  });

  await step('mailconf.checkMailDomain: seed 000\'s domain over the zone files', async () => {
    const { text } = await report('mailconf.checkMailDomain', { domain: 'any2any.de' });
    assert.match(text, /^# Mail domain check: `any2any\.de`/);
    assert.match(text, /workspace's zone files only/);
    assert.match(text, /\*\*PASS\*\* any2any\.de publishes an SPF record/);
    assert.match(text, /\*\*FAIL\*\* any2any\.de has no DMARC record/);
    assert.match(text, /\*\*PASS\*\* The DKIM key of selector 4400 is published/);
    // The answers came from the zone files: the summary must not claim live DNS.
    assert.doesNotMatch(text, /checked against live DNS/);
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
