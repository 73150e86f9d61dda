// The VS Code extension: starts the mailconf language server in its own process (IPC),
// gives it our documents, and adds what only an editor has: prompts for the commands,
// read-only report documents, the status bar item, the output channel. Everything that
// knows about mail lives in the server.

import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient, State, TransportKind,
  type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { REPORT_SCHEME, ReportDocuments } from './reports';
import { STATUS_NOTIFICATION, type DnsStatus } from './serverApi';
import { StatusItem } from './statusBar';

const LANGUAGES = ['postfix-main', 'postfix-master', 'opendkim-conf', 'opendkim-table', 'dns-zone'];

/** The mail-stack files and key files whose changes on disk the server hears of. */
const WATCHED_FILES = '**/{main.cf,master.cf,opendkim.conf,opendkim,KeyTable,SigningTable,TrustedHosts,InternalHosts,ExternalIgnoreList,key.table,signing.table,trusted.hosts,keytable,signingtable,*.zone,db.*,*.db,*.private,*.key}';

let client: LanguageClient | undefined;

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    synchronize: {
      configurationSection: 'mailconf',
      // Files the checks read besides the open ones: edited elsewhere, they are read again.
      fileEvents: vscode.workspace.createFileSystemWatcher(WATCHED_FILES),
    },
    // Untrusted: the server sends no DNS queries, writes nothing, reads only the workspace.
    initializationOptions: { trusted: vscode.workspace.isTrusted },
    outputChannel: output,
    traceOutputChannel: output,
  };
  return new LanguageClient('mailconf', 'mailconf', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('mailconf', { log: true });
  const status = new StatusItem('mailconf.showOutput');
  const reports = new ReportDocuments();
  context.subscriptions.push(output, status, vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports));

  /** A new client (at start, restart, or when the workspace becomes trusted). */
  const start = async (): Promise<void> => {
    const next = createClient(context, output);
    client = next;
    next.onDidChangeState((e) => {
      if (e.newState === State.Stopped) status.stopped();
      else if (e.newState === State.Starting) status.starting();
    });
    next.onNotification(STATUS_NOTIFICATION, (s: DnsStatus) => status.update(s));
    await next.start();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('mailconf.restartServer', async () => {
      output.info('Restarting the mailconf server.');
      await client?.restart();
    }),
    vscode.commands.registerCommand('mailconf.showOutput', () => output.show(true)),
    // Trust granted: start again so the server may use DNS and write files.
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      output.info('The workspace is trusted now: restarting the mailconf server with live DNS.');
      await client?.stop();
      await start();
    }),
  );
  registerCommands(context, { client: () => client, reports, output });
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
