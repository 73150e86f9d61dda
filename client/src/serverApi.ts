// The server's commands as the client calls them (workspace/executeCommand). The names and
// shapes live in server/src/lsp/protocol.ts, shared with the server; it answers plain data.

import type { LanguageClient } from 'vscode-languageclient/node';

export {
  SERVER_COMMANDS as SERVER, STATUS_NOTIFICATION,
  type DnsStatus, type GenerateDkimResult, type GeneratedRecordResult, type Report, type Suggestions,
} from '../../server/src/lsp/protocol';

/** Runs a server command; a refusal arrives as an Error whose message is for the user. */
export async function serverCommand<T>(client: LanguageClient, command: string, args: object = {}): Promise<T> {
  return client.sendRequest('workspace/executeCommand', { command, arguments: [args] }) as Promise<T>;
}
