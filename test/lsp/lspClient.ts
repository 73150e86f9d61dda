// A minimal LSP client for tests: spawns the built server exactly as an editor does
// (`node dist/server.js --stdio`) and speaks JSON-RPC to it over the pipes.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  type ClientCapabilities, type TextDocumentClientCapabilities, type ProtocolConnection, type PublishDiagnosticsParams, type InitializeResult,
} from 'vscode-languageserver-protocol/node';

export const REPO = path.resolve(__dirname, '../..');
export const SERVER = path.join(REPO, 'dist', 'server.js');

export class TestClient {
  readonly connection: ProtocolConnection;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: Array<{ uri: string; version?: number; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  stderr = '';
  initializeResult?: InitializeResult;
  /** What the server gets for workspace/configuration requests, by section. */
  settings: Record<string, unknown> = {};
  /** Every workspace/applyEdit the server asked for, in order; answered with `applyEditResult`. */
  readonly appliedEdits: unknown[] = [];
  applyEditResult = true;
  /** Every notification of other methods than publishDiagnostics, in order. */
  readonly notifications: Array<{ method: string; params: unknown }> = [];

  /** `env`: variables added to the server's environment (such as MAILCONF_FAULT_INJECTION). */
  constructor(env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe', env: { ...process.env, ...env } });
    this.child.stderr.on('data', (d) => (this.stderr += d.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const w = this.waiters[i];
        if (w.uri === p.uri && (w.version === undefined || p.version === w.version)) {
          this.waiters.splice(i, 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) =>
      params.items.map((i) => (i.section ? this.settingsFor(i.section) : null)));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('workspace/applyEdit', (params: { edit: unknown }) => {
      this.appliedEdits.push(params.edit);
      return { applied: this.applyEditResult };
    });
    this.connection.onUnhandledNotification((m) => this.notifications.push({ method: m.method, params: m.params }));
    this.connection.listen();
  }

  async initialize(rootUri: string | null = null): Promise<InitializeResult> {
    return this.initializeWith({
      rootUri,
      capabilities: {
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          foldingRange: { lineFoldingOnly: true },
        },
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } },
      },
    });
  }

  /**
   * initialize and initialized as a given editor sends them: its capabilities (such as VS
   * Code's list defaults) and initializationOptions; the root, if any, is the one folder.
   */
  async initializeWith(params: { rootUri?: string | null; capabilities: ClientCapabilities; initializationOptions?: unknown }): Promise<InitializeResult> {
    const rootUri = params.rootUri ?? null;
    this.initializeResult = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      capabilities: params.capabilities,
      initializationOptions: params.initializationOptions,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
    });
    await this.connection.sendNotification('initialized', {});
    return this.initializeResult;
  }

  /**
   * A section as the server reads it. Live DNS stays off unless a test turns it on
   * (mailconf.dns), so that no test sends a query to the machine's resolvers.
   */
  private settingsFor(section: string): unknown {
    const value = this.settings[section] ?? null;
    if (section !== 'mailconf') return value;
    const v = (value ?? {}) as { dns?: unknown };
    return v.dns === undefined ? { ...v, dns: { enabled: false } } : v;
  }

  /**
   * A client of an editor with these text document capabilities (VS Code's completion list
   * defaults, its semantic token requests …), no workspace folder, and versioned diagnostics.
   */
  static async startedAs(textDocument: TextDocumentClientCapabilities): Promise<TestClient> {
    const c = new TestClient();
    try {
      await c.initializeWith({ capabilities: { textDocument: { publishDiagnostics: { versionSupport: true }, ...textDocument } } });
    } catch (e) {
      c.kill();
      throw e;
    }
    return c;
  }

  /** Resolves with the next diagnostics for `uri` (for `version`, when given). */
  nextDiagnostics(uri: string, version?: number, timeoutMs = 5000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms\n${this.stderr}`)), timeoutMs);
      this.waiters.push({ uri, version, resolve: (p) => { clearTimeout(timer); resolve(p); } });
    });
  }

  async open(uri: string, languageId: string, text: string, version = 1): Promise<PublishDiagnosticsParams> {
    const next = this.nextDiagnostics(uri, version);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return next;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async change(uri: string, version: number, changes: unknown[]): Promise<PublishDiagnosticsParams> {
    const next = this.nextDiagnostics(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return next;
  }

  /** Changes the settings the server reads and tells it, as an editor does. */
  async configure(section: string, value: unknown): Promise<void> {
    this.settings[section] = value;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await exited;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    this.child.kill();
  }

  /** The server process has not exited. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first log message matching `pattern` (already logged or still to come). */
  async waitForLog(pattern: RegExp, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logMessages().find((m) => pattern.test(m));
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no log message matching ${pattern} within ${timeoutMs} ms:\n${this.logMessages().join('\n')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** The server's log so far (window/logMessage), one message per entry. */
  logMessages(): string[] {
    return this.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
  }
}

export function fileUri(p: string): string {
  return pathToFileURL(p).href;
}
