// The mailconf status bar item: whether live DNS is on, and the last DNS error. The server
// sends `mailconf/status` whenever that changes; a click opens the output channel.

import * as vscode from 'vscode';
import type { DnsStatus } from './serverApi';

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mailconf.status', vscode.StatusBarAlignment.Right, 100);

  constructor(showOutputCommand: string) {
    this.item.name = 'mailconf';
    this.item.command = showOutputCommand;
    this.starting();
    this.item.show();
  }

  starting(): void {
    this.item.text = '$(sync~spin) mailconf';
    this.item.tooltip = 'mailconf: starting the language server';
    this.item.backgroundColor = undefined;
  }

  stopped(): void {
    this.item.text = '$(error) mailconf';
    this.item.tooltip = 'mailconf: the language server is not running. Click for its log; "mailconf: Restart server" starts it again.';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
  }

  update(status: DnsStatus): void {
    const dnsOn = status.enabled && status.trusted;
    const why = !status.trusted ? 'off in an untrusted workspace' : !status.enabled ? 'off (mailconf.dns.enabled)' : `on, asking ${status.servers.length ? status.servers.join(', ') : 'the system\'s resolvers'}`;
    this.item.text = dnsOn ? (status.lastError ? '$(warning) mailconf DNS' : '$(globe) mailconf DNS') : '$(circle-slash) mailconf DNS';
    const tooltip = new vscode.MarkdownString(`**mailconf** — live DNS ${why}`);
    if (status.lastError) tooltip.appendMarkdown(`\n\nLast DNS error: ${status.lastError.replace(/[\\`*_[\]<>]/g, '\\$&')}`);
    tooltip.appendMarkdown('\n\nClick to show the mailconf log.');
    this.item.tooltip = tooltip;
    this.item.backgroundColor = dnsOn && status.lastError ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
