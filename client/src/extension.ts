// The VS Code extension: starts the mailconf language server in its own process (IPC),
// gives it our documents, and offers a restart command. Everything else lives in the server.

import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient, TransportKind,
  type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';

const LANGUAGES = ['postfix-main', 'postfix-master', 'opendkim-conf', 'opendkim-table', 'dns-zone'];

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
    synchronize: { configurationSection: 'mailconf' },
    initializationOptions: { trusted: vscode.workspace.isTrusted }, // untrusted: the server sends no DNS queries
    outputChannel: output,
    traceOutputChannel: output,
  };
  return new LanguageClient('mailconf', 'mailconf', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('mailconf', { log: true });
  context.subscriptions.push(output);
  client = createClient(context, output);

  context.subscriptions.push(
    vscode.commands.registerCommand('mailconf.restartServer', async () => {
      output.appendLine('Restarting the mailconf server.');
      await client?.restart();
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
