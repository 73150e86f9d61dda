// The server's commands as the client calls them (workspace/executeCommand). The names and
// shapes mirror server/src/lsp/commands.ts; the server answers plain data.

import type { LanguageClient } from 'vscode-languageclient/node';

export const SERVER = {
  status: 'mailconf.server.status',
  checkHost: 'mailconf.server.checkHost',
  dkimSuggestions: 'mailconf.server.dkimSuggestions',
  generateDkimKey: 'mailconf.server.generateDkimKey',
  checkMailDomain: 'mailconf.server.checkMailDomain',
  spfLookupTree: 'mailconf.server.spfLookupTree',
  generateSpfRecord: 'mailconf.server.generateSpfRecord',
  generateDmarcRecord: 'mailconf.server.generateDmarcRecord',
} as const;

export interface DnsStatus {
  enabled: boolean;
  trusted: boolean;
  servers: string[];
  lastError?: string;
}

export interface Report {
  title: string;
  markdown: string;
}

/** Runs a server command; a refusal arrives as an Error whose message is for the user. */
export async function serverCommand<T>(client: LanguageClient, command: string, args: object = {}): Promise<T> {
  return client.sendRequest('workspace/executeCommand', { command, arguments: [args] }) as Promise<T>;
}
