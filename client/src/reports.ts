// Reports (SPF lookup tree, check_host, mail domain check) open as read-only Markdown
// documents under the `mailconf-report:` scheme: no "save changes?" on close, and the
// same report opened twice shows the newest run.

import * as vscode from 'vscode';
import type { Report } from './serverApi';

export const REPORT_SCHEME = 'mailconf-report';

export class ReportDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Shows a report beside the current editor. */
  async show(report: Report): Promise<vscode.TextEditor> {
    const name = trimDashes(report.title.replace(/[^\w.@:-]+/g, '-')) || 'report';
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${name}.md` });
    this.contents.set(uri.toString(), report.markdown);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    return vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }
}

/** Dashes off both ends, with loops (/-+$/ is quadratic on a long run of dashes). */
function trimDashes(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === '-') start++;
  while (end > start && text[end - 1] === '-') end--;
  return text.slice(start, end);
}
