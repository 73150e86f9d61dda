// The palette commands: each asks what it needs (prompts with suggestions from the
// workspace), then calls the server command that does the work. Every command also takes
// its answers as an argument object, which skips the prompts (keybindings, tests).

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ReportDocuments } from './reports';
import { SERVER, serverCommand, type GenerateDkimResult, type GeneratedRecordResult, type Report, type Suggestions } from './serverApi';

export interface CommandDeps {
  client(): LanguageClient | undefined;
  reports: ReportDocuments;
  output: vscode.LogOutputChannel;
}

type Args = Record<string, unknown> | undefined;

/** Lets the user pick a suggestion or type another value; undefined when cancelled. */
async function pickOrType(title: string, suggestions: string[], prompt: string, validate?: (v: string) => string | undefined): Promise<string | undefined> {
  if (suggestions.length === 0) {
    return vscode.window.showInputBox({ title, prompt, ignoreFocusOut: true, validateInput: (v) => validate?.(v.trim()) });
  }
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick();
    qp.title = title;
    qp.placeholder = prompt;
    qp.ignoreFocusOut = true;
    const base = suggestions.map((label) => ({ label }));
    qp.items = base;
    qp.onDidChangeValue((value) => {
      const typed = value.trim();
      const problem = typed ? validate?.(typed) : undefined;
      qp.items = typed && !suggestions.includes(typed) ? [{ label: typed, description: problem ?? 'use this value' }, ...base] : base;
    });
    let done = false;
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0]?.label ?? qp.value.trim();
      const problem = chosen ? validate?.(chosen) : 'a value is required';
      if (problem) {
        void vscode.window.showWarningMessage(problem);
        return;
      }
      done = true;
      resolve(chosen);
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

function stringOf(args: Args, name: string): string | undefined {
  const v = args?.[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

const DOMAIN_RE = /^(?=.{1,253}\.?$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63}\.?$/;
const validDomain = (v: string) => (DOMAIN_RE.test(v) ? undefined : `"${v}" is not a domain name such as example.com`);

/** The runner every command goes through: a missing server or a refusal becomes a message. */
function command<T>(deps: CommandDeps, name: string, body: (client: LanguageClient, args: Args) => Promise<T>): (args?: Args) => Promise<T | undefined> {
  return async (args?: Args) => {
    const client = deps.client();
    if (!client?.isRunning()) {
      void vscode.window.showErrorMessage('mailconf: the language server is not running (see the mailconf output; "mailconf: Restart server" starts it again).');
      return undefined;
    }
    try {
      return await body(client, args);
    } catch (e) {
      const message = (e as Error).message;
      deps.output.warn(`${name}: ${message}`);
      void vscode.window.showErrorMessage(`mailconf: ${message}`);
      return undefined;
    }
  };
}

async function showReport(deps: CommandDeps, report: Report | undefined): Promise<Report | undefined> {
  if (report) await deps.reports.show(report);
  return report;
}

// --- DKIM ---------------------------------------------------------------------------------




async function generateDkimKey(deps: CommandDeps, client: LanguageClient, args: Args): Promise<GenerateDkimResult | undefined> {
  const suggestions = await serverCommand<Suggestions>(client, SERVER.dkimSuggestions);
  const title = 'mailconf: Generate DKIM key';
  const domain = stringOf(args, 'domain') ?? await pickOrType(`${title} (1/5): domain`, suggestions.domains, 'The domain that signs (the d= of the signature)', validDomain);
  if (!domain) return undefined;
  const selector = stringOf(args, 'selector') ?? await vscode.window.showInputBox({
    title: `${title} (2/5): selector`, value: suggestions.selector, ignoreFocusOut: true,
    prompt: 'The selector (s=): the key is published at <selector>._domainkey.<domain>. A date keeps rotations apart.',
    validateInput: (v) => (/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(v.trim()) ? undefined : 'letters, digits and hyphens (dots between labels)'),
  });
  if (!selector) return undefined;
  let algorithm = stringOf(args, 'algorithm');
  if (!algorithm) {
    // The default first; the notes (weak key, Ed25519 needs an OpenDKIM of its own) as the detail line.
    const items = [...suggestions.algorithms].sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
      .map((a) => ({ label: a.label, detail: a.notes.join(' ') || undefined, id: a.algorithm }));
    const picked = await vscode.window.showQuickPick(items, { title: `${title} (3/5): algorithm`, ignoreFocusOut: true });
    if (!picked) return undefined;
    algorithm = picked.id;
  }
  const dirs = suggestions.keyDirectories[domain.toLowerCase().replace(/\.$/, '')] ?? [`/etc/opendkim/keys/${domain.toLowerCase().replace(/\.$/, '')}`];
  const directory = stringOf(args, 'directory') ?? await pickOrType(`${title} (4/5): key directory`, dirs, 'Where the private key goes (absolute path; created 0700 when missing)',
    (v) => (path.isAbsolute(v) ? undefined : 'an absolute path, such as /etc/opendkim/keys/example.com'));
  if (!directory) return undefined;

  let zoneUri = stringOf(args, 'zoneUri');
  let updateTables = args?.updateTables === true;
  let copyValue = args?.copyWebFormValue === true;
  if (!args) {
    const zones = suggestions.zones.filter((z) => z.domains.includes(domain.toLowerCase().replace(/\.$/, '')));
    const offers: Array<vscode.QuickPickItem & { zone?: string; tables?: boolean; copy?: boolean }> = [
      ...zones.map((z) => ({ label: `Insert the TXT record into ${vscode.workspace.asRelativePath(vscode.Uri.parse(z.uri))}`, description: `$ORIGIN ${z.origin}`, zone: z.uri, picked: true })),
      { label: 'Add the KeyTable and SigningTable lines', description: 'creating the tables and the opendkim.conf lines when missing', tables: true, picked: true },
      { label: 'Copy the record value for a DNS web form', description: 'one line, no quotes', copy: true, picked: zones.length === 0 },
    ];
    const chosen = await vscode.window.showQuickPick(offers, { title: `${title} (5/5): also`, canPickMany: true, ignoreFocusOut: true, placeHolder: 'The key files are written in any case; choose what else to do' });
    if (!chosen) return undefined;
    zoneUri = chosen.find((c) => c.zone)?.zone;
    updateTables = chosen.some((c) => c.tables);
    copyValue = chosen.some((c) => c.copy);
  }

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `mailconf: generating the DKIM key ${selector} for ${domain}…` },
    () => serverCommand<GenerateDkimResult>(client, SERVER.generateDkimKey, { domain, selector, algorithm, directory, createDirectory: true, zoneUri, updateTables }),
  );
  if (copyValue) await vscode.env.clipboard.writeText(result.webFormValue);
  const done = [`wrote ${result.privateKeyPath} (0600) and ${path.basename(result.txtPath)}`, ...result.applied, ...(copyValue ? ['copied the DNS value to the clipboard'] : [])];
  deps.output.info(`Generate DKIM key: ${done.join('; ')}`);
  for (const note of result.notes) deps.output.info(`Generate DKIM key: note: ${note}`);
  void vscode.window.showInformationMessage(`mailconf: DKIM key ${result.recordName}: ${done.join('; ')}.${result.notes.length ? ` ${result.notes[0]}` : ''}`, 'Open record', 'Copy DNS value').then(async (choice) => {
    if (choice === 'Open record') await vscode.window.showTextDocument(vscode.Uri.file(result.txtPath));
    if (choice === 'Copy DNS value') await vscode.env.clipboard.writeText(result.webFormValue);
  });
  return result;
}

// --- reports --------------------------------------------------------------------------------

/** The domain of the active editor's context, for the prompts' default. */
async function domainSuggestions(client: LanguageClient): Promise<string[]> {
  try {
    return (await serverCommand<Suggestions>(client, SERVER.dkimSuggestions)).domains;
  } catch {
    return [];
  }
}

async function checkMailDomain(deps: CommandDeps, client: LanguageClient, args: Args): Promise<Report | undefined> {
  const domain = stringOf(args, 'domain') ?? await pickOrType('mailconf: Check mail domain', await domainSuggestions(client), 'The mail domain to check (MX, A/AAAA, PTR, HELO, SPF, DMARC, DKIM)', validDomain);
  if (!domain) return undefined;
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `mailconf: checking ${domain} in DNS…` },
    () => serverCommand<Report>(client, SERVER.checkMailDomain, { domain }),
  );
  return showReport(deps, report);
}

async function spfLookupTree(deps: CommandDeps, client: LanguageClient, args: Args): Promise<Report | undefined> {
  const domain = stringOf(args, 'domain') ?? await pickOrType('mailconf: Show SPF lookup tree', await domainSuggestions(client), 'The domain whose SPF record to expand', validDomain);
  if (!domain) return undefined;
  return showReport(deps, await serverCommand<Report>(client, SERVER.spfLookupTree, { domain }));
}

async function checkHost(deps: CommandDeps, client: LanguageClient, args: Args): Promise<Report | undefined> {
  const ip = stringOf(args, 'ip') ?? await vscode.window.showInputBox({
    title: 'mailconf: Check host against SPF (1/2): client IP', prompt: 'The address the mail comes from (IPv4 or IPv6)', ignoreFocusOut: true,
    validateInput: (v) => (/^[0-9a-fA-F:.]+$/.test(v.trim()) ? undefined : 'an IPv4 or IPv6 address'),
  });
  if (!ip) return undefined;
  const sender = stringOf(args, 'sender') ?? await pickOrType('mailconf: Check host against SPF (2/2): sender', await domainSuggestions(client), 'The MAIL FROM address or its domain');
  if (!sender) return undefined;
  return showReport(deps, await serverCommand<Report>(client, SERVER.checkHost, { ip, sender, helo: stringOf(args, 'helo') }));
}

// --- SPF and DMARC records --------------------------------------------------------------------


async function generateRecord(deps: CommandDeps, client: LanguageClient, args: Args, kind: 'SPF' | 'DMARC'): Promise<GeneratedRecordResult | undefined> {
  const title = `mailconf: Generate ${kind} record`;
  const domain = stringOf(args, 'domain') ?? await pickOrType(`${title}: domain`, await domainSuggestions(client), `The domain the ${kind} record is for`, validDomain);
  if (!domain) return undefined;
  const request: Record<string, unknown> = { domain };
  if (kind === 'SPF') {
    let all = stringOf(args, 'all');
    if (!all) {
      const picked = await vscode.window.showQuickPick([
        { label: '~all', description: 'softfail the rest', detail: 'Start here: mail from unlisted servers is marked, not rejected, while you check every sender is listed.' },
        { label: '-all', description: 'fail the rest', detail: 'Receivers may reject mail from servers the record does not list.' },
      ], { title: `${title}: what happens to other senders`, ignoreFocusOut: true });
      if (!picked) return undefined;
      all = picked.label;
    }
    request.all = all;
  } else {
    const rua = stringOf(args, 'rua') ?? await vscode.window.showInputBox({
      title: `${title}: aggregate reports`, value: `dmarc-reports@${domain}`, ignoreFocusOut: true,
      prompt: 'Where receivers send the daily aggregate reports (rua); empty for none',
    });
    if (rua === undefined) return undefined;
    request.rua = rua.trim() === '' ? undefined : rua.trim().startsWith('mailto:') ? rua.trim() : `mailto:${rua.trim()}`;
  }
  // First a preview (nothing changes), then the choice where it goes.
  const preview = await serverCommand<GeneratedRecordResult>(client, kind === 'SPF' ? SERVER.generateSpfRecord : SERVER.generateDmarcRecord, request);
  let zoneUri = stringOf(args, 'zoneUri');
  if (!args) {
    const choices: Array<vscode.QuickPickItem & { zone?: string }> = [
      ...preview.zones.map((z) => ({
        label: `${preview.existing ? 'Replace the existing record in' : 'Insert into'} ${vscode.workspace.asRelativePath(vscode.Uri.parse(z.uri))}`,
        description: `$ORIGIN ${z.origin}`, zone: z.uri,
      })),
      { label: 'Copy the value for a DNS web form', description: preview.value },
    ];
    const picked = await vscode.window.showQuickPick(choices, { title: `${title}: ${preview.owner} TXT "${preview.value}"`, ignoreFocusOut: true, placeHolder: preview.notes[0] });
    if (!picked) return undefined;
    zoneUri = picked.zone;
    if (!zoneUri) {
      await vscode.env.clipboard.writeText(preview.value);
      void vscode.window.showInformationMessage(`mailconf: copied the ${kind} value for ${preview.owner}.`);
      return preview;
    }
  }
  if (!zoneUri) return preview;
  const replace = args ? args.replace === true : preview.existing;
  const done = await serverCommand<GeneratedRecordResult>(client, kind === 'SPF' ? SERVER.generateSpfRecord : SERVER.generateDmarcRecord, { ...request, zoneUri, insert: true, replace });
  for (const note of done.notes) deps.output.info(`Generate ${kind} record: note: ${note}`);
  if (done.inserted) void vscode.window.showInformationMessage(`mailconf: ${done.inserted}`);
  return done;
}

/** Registers the palette commands. */
export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const reg = (name: string, fn: (args?: Args) => Promise<unknown>) => context.subscriptions.push(vscode.commands.registerCommand(name, fn));
  reg('mailconf.generateDkimKey', command(deps, 'generateDkimKey', (c, a) => generateDkimKey(deps, c, a)));
  reg('mailconf.checkMailDomain', command(deps, 'checkMailDomain', (c, a) => checkMailDomain(deps, c, a)));
  reg('mailconf.showSpfLookupTree', command(deps, 'showSpfLookupTree', (c, a) => spfLookupTree(deps, c, a)));
  reg('mailconf.checkHost', command(deps, 'checkHost', (c, a) => checkHost(deps, c, a)));
  reg('mailconf.generateSpfRecord', command(deps, 'generateSpfRecord', (c, a) => generateRecord(deps, c, a, 'SPF')));
  reg('mailconf.generateDmarcRecord', command(deps, 'generateDmarcRecord', (c, a) => generateRecord(deps, c, a, 'DMARC')));
}
