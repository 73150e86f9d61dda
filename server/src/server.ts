// The language server: LSP wiring only. It keeps the editor's documents in the core's
// workspace model, asks the core for findings and features, and translates the results.
// Run as `node dist/server.js --stdio` (any LSP editor) or over IPC (the VS Code client).

import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
  ResponseError, ErrorCodes, LSPErrorCodes, FileChangeType, MarkupKind,
  type InitializeParams, type InitializeResult, type Diagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectKind } from './core/kinds';
import { Workspace, type WorkspaceDocument } from './core/stack/workspace';
import { foldingOf, symbolsOf } from './core/service';
import { diagnose } from './core/checks';
import { disableComment } from './core/suppressions';
import {
  completionDocumentation, completionListAt, definitionAt, hoverAt, prepareRenameAt, referencesAt, renameAt, semanticTokensOf,
} from './core/features/index';
import type { AnalysisContext } from './core/context';
import { DEFAULT_SETTINGS, type Settings } from './core/settings';
import type { Finding } from './core/types';
import type { ChangedLines } from './core/language';
import {
  fromCompletionData, toCodeAction, toCompletionList, toDocumentSymbol, toFoldingRange, toHover, toWorkspaceEdit, toWorkspaceEditWithNewFiles,
  type CompletionDefaultsSupport,
} from './lsp/convert';
import { mergeChange } from './lsp/changedLines';
import { CompletionDetailsOnResolve } from './lsp/completionDetails';
import { updateDocument } from './lsp/documentUpdate';
import { indentationOfLine, prepareLineIndex, toDiagnostics } from './lsp/largeDocuments';
import { encodeSemanticTokens, SEMANTIC_TOKENS_LEGEND } from './lsp/semanticTokens';
import { loadFile, loadPostfixPartner, scanFolders } from './node/loadFiles';
import { attachDiskEnvironment, loadOpendkimFiles } from './node/opendkimEnvironment';
import { LiveDns, readDnsSettings } from './node/liveDnsSettings';
import { publicKeyOfKeyRef } from './node/keyTablePublicKeys';
import { restrictReadsTo } from './node/readPolicy';
import { filePathOf } from './node/fileUris';
import { checkKeyTableLive } from './core/dns/keyTableLive';
import { liveDnsMarkdown, liveDnsTargetAt, queryLiveTarget, spfRecordDomainAt } from './core/dns/liveHover';
import { spfLiveTotals } from './core/records/spf/lookupTree';
import { CommandRefusal, executeCommand, SERVER_COMMANDS, type CommandHost } from './lsp/commands';
import { STATUS_NOTIFICATION } from './lsp/protocol';
import { FAULT_INJECTION_ENV, FaultInjection, failureLog, requestFailure } from './lsp/handlerFaults';
import { SkipLog } from './lsp/skipLog';

declare const MAILCONF_VERSION: string | undefined;

const connection = createConnection(ProposedFeatures.all);
/**
 * Open documents longer than this are not analysed (one `syntax/file-too-large` warning):
 * a 1M-record zone (34 MB) takes 5 s to check and a 200 MB one a minute and 3.6 GB, during
 * which the server answers nothing. VS Code itself gives extensions no file over 50 MB.
 */
const EDITOR_MAX_ANALYZED_CHARS = 64 * 1024 * 1024;
const workspace = new Workspace({ maxAnalyzedChars: EDITOR_MAX_ANALYZED_CHARS });
let settings: Settings = { ...DEFAULT_SETTINGS };
let clientHasConfiguration = false;
/** Live DNS; replaced at initialize when the client says the workspace is untrusted. */
let liveDns = new LiveDns(true, () => scheduleStatus());
let trusted = true;
/** The LSP 3.17 completion list defaults the client takes (one edit range for all items …). */
let completionDefaults: CompletionDefaultsSupport = { editRange: false, insertTextFormat: false, data: false };
/** Long lists leave `detail` to completionItem/resolve when the client resolves it (VS Code). */
let completionDetails = new CompletionDetailsOnResolve(false);
/** The client asks for the semantic tokens of visible ranges and takes a server cancel of a whole-document request (VS Code). */
let clientTakesSemanticRanges = false;

/** The `mailconf/status` notification (the VS Code status bar): sent once per burst of changes. */
let statusScheduled = false;
function scheduleStatus(): void {
  if (statusScheduled) return;
  statusScheduled = true;
  setImmediate(() => {
    statusScheduled = false;
    void connection.sendNotification(STATUS_NOTIFICATION, liveDns.status());
  });
}

/**
 * Lines touched since a document was last analysed ('none' right after an analysis;
 * undefined once something replaced the whole text), so zones re-parse only what changed.
 */
const touched = new Map<string, ChangedLines | 'none' | undefined>();

const documents = new TextDocuments<TextDocument>({
  create: TextDocument.create,
  update(doc, changes, version) {
    let span = touched.has(doc.uri) ? touched.get(doc.uri) : 'none';
    for (const change of changes) span = mergeChange(span, change);
    // updateDocument rebuilds a document whose line table the library miscounted (a CR
    // joined to an LF); the lines touched are then unknown and the next analysis is whole.
    const { doc: updated, rebuilt } = updateDocument(doc, changes, version);
    touched.set(doc.uri, rebuilt ? undefined : span);
    return updated;
  },
});

/** The findings last published per document, for code actions. */
const published = new Map<string, { findings: Finding[]; diagnostics: Diagnostic[] }>();

function hasSiblingMasterCf(uri: string): boolean {
  const p = filePathOf(uri);
  return !!p && p.endsWith('.cf') && fs.existsSync(path.join(path.dirname(p), 'master.cf'));
}

function contextOf(doc: WorkspaceDocument): AnalysisContext {
  return { doc, workspace, settings };
}

/** DNS findings per document, for the version they were computed for. */
const dnsFindings = new Map<string, { version: number | undefined; findings: Finding[] }>();
const dnsTimers = new Map<string, NodeJS.Timeout>();
/** Quiet time after the last edit before DNS checks start: no queries per keystroke. */
const DNS_DELAY_MS = 150;

function publish(doc: WorkspaceDocument): void {
  const local = diagnose(contextOf(doc));
  const dns = dnsFindings.get(doc.uri);
  const current = dns && dns.version === doc.version ? dns.findings : [];
  const findings = current.length ? [...local, ...current] : local;
  const diagnostics = toDiagnostics(findings);
  published.set(doc.uri, { findings, diagnostics });
  void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  if (!dns || dns.version !== doc.version) scheduleDnsChecks(doc);
}

/**
 * DNS checks run after the local findings are out, off the keystroke path; their findings
 * are merged into a second publish for the same version, or dropped when the document
 * changed meanwhile.
 */
function scheduleDnsChecks(doc: WorkspaceDocument): void {
  if (!doc.open || doc.kind !== 'opendkim-keytable' || !liveDns.active()) return;
  const { uri, version } = doc;
  clearTimeout(dnsTimers.get(uri));
  dnsTimers.set(uri, setTimeout(() => {
    dnsTimers.delete(uri);
    void runDnsChecks(uri, version);
  }, DNS_DELAY_MS));
}

async function runDnsChecks(uri: string, version: number | undefined): Promise<void> {
  const resolver = liveDns.active();
  const doc = workspace.get(uri);
  if (!resolver || !doc?.open || doc.version !== version) return;
  try {
    const findings = await checkKeyTableLive(contextOf(doc), resolver.forTag(uri), publicKeyOfKeyRef);
    const now = workspace.get(uri);
    if (!now?.open || now.version !== version || liveDns.active() !== resolver) return;
    dnsFindings.set(uri, { version, findings });
    publish(now);
  } catch (e) {
    connection.console.error(`mailconf: DNS checks of ${uri} failed: ${(e as Error).stack ?? e}`);
  }
}

/** The document changed or closed: its DNS results and cached answers go. */
function dropDnsResults(uri: string): void {
  clearTimeout(dnsTimers.get(uri));
  dnsTimers.delete(uri);
  dnsFindings.delete(uri);
  liveDns.forget(uri);
}

/**
 * Re-checks the other open documents whose findings may depend on `changed`. Cross-file
 * findings sit on both sides (the milter link, the SPF and reverse DNS of the sending host:
 * main.cf ↔ zones, the KeyTable's keys ↔ zones), so a configuration edit re-checks the open
 * zones too, and a zone edit the open configuration files; an unchanged zone's re-check
 * reuses its kept findings. A zone edit changes what other zones answer (SPF includes, PTR
 * names), which makes an open zone re-check all its TXT records: other open zones are
 * re-checked once the typing pauses, and only when small (a big zone catches up on its own
 * next edit).
 */
function republishDependents(changed: WorkspaceDocument): void {
  dependentsDue.set(changed.uri, changed);
  // After the edited document's own diagnostics are written (the connection writes in a
  // setImmediate of its own, queued before this one), and once for a burst of edits.
  if (dependentsDue.size === 1) setImmediate(republishDue);
  if (changed.kind === 'dns-zone') {
    zonesChanged.add(changed.uri);
    clearTimeout(otherZonesTimer);
    otherZonesTimer = setTimeout(republishOtherZones, OTHER_ZONES_DELAY_MS);
  }
}

const dependentsDue = new Map<string, WorkspaceDocument>();
const zonesChanged = new Set<string>();
let otherZonesTimer: ReturnType<typeof setTimeout> | undefined;
const OTHER_ZONES_DELAY_MS = 400;
/** Open zones up to this size are re-checked for another zone's edits (a 2 MiB zone, some 60,000 records, takes tens of ms). */
const OTHER_ZONES_MAX_CHARS = 2 * 1024 * 1024;

// Timers' exceptions would end the process: guarded like handlers.
const republishDue = guardedNotification('republishDependents', () => {
  const changed = [...dependentsDue.values()];
  dependentsDue.clear();
  const due = new Set<string>();
  for (const c of changed) {
    for (const other of workspace.all()) {
      if (!other.open || other.uri === c.uri) continue;
      if (c.kind === 'dns-zone' && other.kind === 'dns-zone') continue;
      due.add(other.uri);
    }
  }
  for (const uri of due) {
    const doc = workspace.get(uri);
    if (doc?.open) publish(doc);
  }
});

const republishOtherZones = guardedNotification('republishOtherZones', () => {
  const changed = new Set(zonesChanged);
  zonesChanged.clear();
  for (const zone of workspace.ofKind('dns-zone')) {
    if (!zone.open || zone.analysis.text.length > OTHER_ZONES_MAX_CHARS) continue;
    // A zone that changed itself is up to date, unless another one changed too.
    if (changed.has(zone.uri) && changed.size === 1) continue;
    publish(zone);
  }
});

function analyse(doc: TextDocument): void {
  const kind = detectKind({
    path: filePathOf(doc.uri) ?? doc.uri,
    languageId: doc.languageId,
    text: doc.getText(),
    hasSiblingMasterCf: hasSiblingMasterCf(doc.uri),
  });
  if (!kind) {
    workspace.close(doc.uri);
    published.delete(doc.uri);
    void connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
    return;
  }
  const span = touched.get(doc.uri);
  touched.set(doc.uri, 'none');
  const known = workspace.get(doc.uri);
  if (!known?.open) loadPartners(doc.uri, kind);
  const entry = known?.open
    ? workspace.updateOpen(doc.uri, kind, doc.getText(), doc.version, span === 'none' ? undefined : span)
    : workspace.setOpen(doc.uri, kind, doc.getText(), doc.version);
  publish(entry);
  prepareLineIndex(doc);
  republishDependents(entry);
}

/** Files the server's reading left out (too large, binary, unreadable, outside an untrusted workspace), in the log once each. */
const skipLog = new SkipLog((line) => connection.console.info(line));

/** On first open: the files a document works with that the workspace scan did not bring. */
function loadPartners(uri: string, kind: WorkspaceDocument['kind']): void {
  loadPostfixPartner(workspace, uri, kind, skipLog.report);
  if (kind.startsWith('opendkim-')) loadOpendkimFiles(workspace, skipLog.report);
  skipLog.summarize();
}

/** Documents whose analysis is due; edits arriving in one burst are analysed once. */
const pending = new Set<string>();
let flushScheduled = false;

function analyseSafely(uri: string): void {
  const doc = documents.get(uri);
  if (!doc) return;
  try {
    analyse(doc);
  } catch (e) {
    // A bug in a check must not take the server down: log it and go on. The document
    // leaves the model, so the next analysis starts from a full parse.
    connection.console.error(`mailconf: analysis of ${uri} failed: ${(e as Error).stack ?? e}`);
    workspace.close(uri);
  }
}

function schedule(uri: string): void {
  pending.add(uri);
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(() => {
    flushScheduled = false;
    for (const u of [...pending]) {
      pending.delete(u);
      analyseSafely(u);
    }
  });
}

/** The analysis for a request; brings a document whose analysis is still pending up to date. */
function current(uri: string): WorkspaceDocument | undefined {
  if (pending.has(uri)) {
    pending.delete(uri);
    analyseSafely(uri);
  }
  return workspace.get(uri);
}

/** Workspace folders (paths) given at initialize; a relative mailconf.configRoot starts at the first. */
let folders: string[] = [];
/** The configured mail-stack root (mailconf.configRoot), as an absolute path, once scanned. */
let configRoot: string | undefined;

/**
 * Points the OpenDKIM checks at the folder that plays /etc: mailconf.configRoot when set
 * (the user vouches it is a complete copy), else a workspace folder that is /etc itself.
 * A newly named root is scanned for mail-stack files.
 */
function applyConfigRoot(setting: string | undefined): void {
  let wanted = setting?.trim() ? path.resolve(folders[0] ?? process.cwd(), setting.trim()) : undefined;
  // An untrusted workspace is read only inside its own folders.
  if (wanted && !trusted && !folders.some((f) => wanted === f || wanted!.startsWith(f + path.sep))) {
    connection.console.warn(`mailconf: mailconf.configRoot ${wanted} is outside the untrusted workspace and is ignored`);
    wanted = undefined;
  }
  if (wanted && wanted !== configRoot && fs.existsSync(wanted)) scanFolders(workspace, [wanted], undefined, skipLog.report);
  configRoot = wanted && fs.existsSync(wanted) ? wanted : undefined;
  if (wanted && !configRoot) connection.console.warn(`mailconf: mailconf.configRoot ${wanted} does not exist`);
  attachDiskEnvironment(workspace, configRoot ?? folders.find((f) => path.resolve(f) === '/etc'));
  loadOpendkimFiles(workspace, skipLog.report);
  skipLog.summarize();
}

async function refreshSettings(): Promise<void> {
  if (!clientHasConfiguration) {
    liveDns.configure(readDnsSettings(undefined));
    return;
  }
  try {
    const section = (await connection.workspace.getConfiguration('mailconf')) as { postfix?: { version?: string }; configRoot?: string; dns?: unknown } | null;
    if (liveDns.configure(readDnsSettings(section?.dns))) {
      for (const uri of [...dnsFindings.keys(), ...dnsTimers.keys()]) dropDnsResults(uri);
    }
    const version = section?.postfix?.version;
    settings = { ...DEFAULT_SETTINGS, postfixVersion: typeof version === 'string' && version.trim() ? version.trim() : DEFAULT_SETTINGS.postfixVersion };
    applyConfigRoot(typeof section?.configRoot === 'string' ? section.configRoot : undefined);
  } catch (e) {
    connection.console.warn(`mailconf: could not read settings: ${(e as Error).message}`);
  }
}

/** Handlers the tests make throw (MAILCONF_FAULT_INJECTION, docs/security.md); read once, normally none. */
const faults = FaultInjection.fromEnvironment();

/**
 * Runs a request handler so that a bug in one feature answers that request with an error
 * (LSPErrorCodes.RequestFailed, see lsp/handlerFaults.ts), its stack in the server log, and
 * the server goes on. A ResponseError the handler means to send (a cancellation, a refusal)
 * passes unchanged.
 */
function guarded<P, R>(name: string, handler: (params: P) => R | Promise<R>): (params: P) => Promise<R | ResponseError<void>> {
  return async (params: P) => {
    try {
      faults.failIfInjected(name);
      return await handler(params);
    } catch (e) {
      if (e instanceof ResponseError) return e as ResponseError<void>;
      connection.console.error(failureLog(name, e));
      return requestFailure(name, e);
    }
  };
}

/** Runs a notification handler (or a timer's work): a bug is logged and the server goes on. */
function guardedNotification<P>(name: string, handler: (params: P) => void | Promise<void>): (params: P) => Promise<void> {
  return async (params: P) => {
    try {
      faults.failIfInjected(name);
      await handler(params);
    } catch (e) {
      connection.console.error(failureLog(name, e));
    }
  };
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  clientHasConfiguration = !!params.capabilities.workspace?.configuration;
  const listDefaults = params.capabilities.textDocument?.completion?.completionList?.itemDefaults ?? [];
  completionDefaults = { editRange: listDefaults.includes('editRange'), insertTextFormat: listDefaults.includes('insertTextFormat'), data: listDefaults.includes('data') };
  const resolvedProperties = params.capabilities.textDocument?.completion?.completionItem?.resolveSupport?.properties ?? [];
  completionDetails = new CompletionDetailsOnResolve(resolvedProperties.includes('detail'));
  const tokenCaps = params.capabilities.textDocument?.semanticTokens;
  clientTakesSemanticRanges = !!tokenCaps?.requests?.range && tokenCaps.serverCancelSupport === true;
  const opts = params.initializationOptions as { postfixVersion?: string; trusted?: boolean } | undefined;
  // An untrusted workspace (the VS Code client passes workspace.isTrusted) never queries DNS.
  trusted = opts?.trusted !== false;
  liveDns = new LiveDns(trusted, () => scheduleStatus());
  if (typeof opts?.postfixVersion === 'string') settings = { ...settings, postfixVersion: opts.postfixVersion };
  folders = (params.workspaceFolders ?? []).map((f) => filePathOf(f.uri)).filter((p): p is string => !!p);
  if (folders.length === 0 && params.rootUri) {
    const root = filePathOf(params.rootUri);
    if (root) folders.push(root);
  }
  // An untrusted workspace is read only inside its folders (a hostile opendkim.conf must not
  // make the editor read ~/.ssh or /etc/shadow to "check" them).
  restrictReadsTo(trusted ? undefined : folders);
  if (faults.names.size) connection.console.warn(`mailconf: ${FAULT_INJECTION_ENV} is set: these handlers fail on purpose (a test switch): ${[...faults.names].join(', ')}`);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['$', '{', '(', '=', ':', ' ', ','], resolveProvider: true },
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true, range: true },
      executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) },
    },
    serverInfo: { name: 'mailconf', version: typeof MAILCONF_VERSION === 'string' ? MAILCONF_VERSION : 'dev' },
  };
});

/** Resolved once the settings were read after initialize: commands wait for it (DNS on or off). */
let settingsRead: () => void = () => {};
const settingsReady = new Promise<void>((resolve) => { settingsRead = resolve; });

/**
 * Reads the workspace folders' mail-stack files. Runs when `initialized` arrives, not inside
 * initialize: the editor's activation waits for the initialize answer, and a big folder takes
 * a while to read. It runs before any later message is handled (clients send didOpen after
 * `initialized`), and documents opened earlier all the same are analysed again afterwards.
 */
function loadWorkspaceFolders(): void {
  const started = Date.now();
  // Only the real /etc is known to be complete (a copy in a repository usually lacks the
  // private keys): there, files the configurations name but that are absent are reported.
  // mailconf.configRoot, read after initialize, can name another complete tree.
  attachDiskEnvironment(workspace, folders.find((f) => path.resolve(f) === '/etc'));
  const loaded = scanFolders(workspace, folders, undefined, skipLog.report) + loadOpendkimFiles(workspace, skipLog.report);
  skipLog.summarize();
  if (folders.length) connection.console.info(`mailconf: loaded ${loaded} mail-stack files from ${folders.join(', ')} in ${Date.now() - started} ms`);
  for (const doc of workspace.all()) if (doc.open) schedule(doc.uri);
}

const afterInitialized = guardedNotification('initialized', async () => {
  loadWorkspaceFolders();
  await refreshSettings();
  scheduleStatus();
  // Documents opened before the settings arrived get their DNS checks now.
  for (const doc of workspace.all()) if (doc.open) scheduleDnsChecks(doc);
});
connection.onInitialized(async () => {
  await afterInitialized(undefined);
  settingsRead(); // also after a failure: commands must not wait for ever
});

connection.onDidChangeConfiguration(guardedNotification('didChangeConfiguration', async () => {
  await refreshSettings();
  for (const doc of workspace.all()) if (doc.open) publish(doc);
}));

documents.onDidOpen(guardedNotification('didOpen', (e) => schedule(e.document.uri)));
// The library reports an open as a change of content too, so 'didChange' also runs then.
documents.onDidChangeContent(guardedNotification('didChange', (e) => {
  dropDnsResults(e.document.uri);
  schedule(e.document.uri);
}));
documents.onDidClose(guardedNotification('didClose', (e) => {
  const uri = e.document.uri;
  pending.delete(uri);
  touched.delete(uri);
  dropDnsResults(uri);
  published.delete(uri);
  const closed = workspace.get(uri);
  workspace.close(uri);
  // The saved file is the truth again for the other files' checks.
  const p = filePathOf(uri);
  if (p && closed) loadFile(workspace, p, closed.kind, skipLog.report);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
  if (closed) republishDependents(closed);
}));

/**
 * Files changed on disk (the client watches the mail-stack files): the model takes the new
 * text of files the editor does not have open, and the open documents are checked again,
 * since their findings may depend on those files (a KeyTable, a key file, master.cf).
 */
let watchedTimer: NodeJS.Timeout | undefined;
connection.onDidChangeWatchedFiles(guardedNotification('didChangeWatchedFiles', (params) => {
  for (const change of params.changes) {
    const p = filePathOf(change.uri);
    const known = workspace.get(change.uri);
    if (!p || known?.open) continue;
    if (change.type === FileChangeType.Deleted) workspace.removeFromDisk(change.uri);
    else loadFile(workspace, p, known?.kind, skipLog.report);
  }
  skipLog.summarize();
  clearTimeout(watchedTimer);
  // A timer's exception would end the process: guarded like a handler.
  watchedTimer = setTimeout(guardedNotification('recheckAfterWatchedFiles', () => {
    for (const doc of workspace.all()) if (doc.open) publish(doc);
  }), 100);
}));

connection.onDocumentSymbol(guarded('documentSymbol', (params) => {
  const entry = current(params.textDocument.uri);
  return entry ? symbolsOf(entry.analysis).map(toDocumentSymbol) : [];
}));

connection.onFoldingRanges(guarded('foldingRange', (params) => {
  const entry = current(params.textDocument.uri);
  return entry ? foldingOf(entry.analysis).map(toFoldingRange) : [];
}));

/** How long a hover waits for live DNS; a slower answer shows "looking up …" and is cached for the next hover. */
const HOVER_DNS_WAIT_MS = 250;

/** Resolves with the promise's value, or 'pending' after `ms` (the lookup goes on and lands in the cache). */
async function withinMs<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race<T | 'pending'>([promise, new Promise<'pending'>((resolve) => { timer = setTimeout(() => resolve('pending'), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

connection.onHover(guarded('hover', async (params) => {
  const entry = current(params.textDocument.uri);
  if (!entry) return null;
  const ctx = contextOf(entry);
  const h = hoverAt(ctx, params.position);
  const resolver = liveDns.active();
  const target = resolver && liveDnsTargetAt(ctx, params.position);
  const spfDomain = resolver && spfRecordDomainAt(ctx, params.position);
  if (!resolver || (!target && !spfDomain)) return h ? toHover(h) : null;
  const tagged = resolver.forTag(entry.uri);
  const [live, totals] = await Promise.all([
    target ? withinMs(queryLiveTarget(tagged, target), HOVER_DNS_WAIT_MS) : undefined,
    spfDomain ? withinMs(spfLiveTotals(spfDomain, tagged), HOVER_DNS_WAIT_MS) : undefined,
  ]);
  const sections = h ? [h.markdown] : [];
  if (target && live !== undefined) sections.push(liveDnsMarkdown(ctx, target, live));
  if (totals !== undefined) sections.push(totals === 'pending' ? `**Live DNS**: counting the lookups of \`${spfDomain}\`'s SPF record… (hover again in a moment)` : totals);
  if (sections.length === 0) return null;
  return toHover({ markdown: sections.join('\n\n---\n\n'), range: h?.range ?? target?.range });
}));

connection.onCompletion(guarded('completion', (params) => {
  const entry = current(params.textDocument.uri);
  if (!entry) return [];
  const list = completionListAt(contextOf(entry), params.position);
  return toCompletionList(list, completionDefaults, completionDetails.leaveOut(list.items));
}));

// The documentation of the item the user looks at (lists leave it out: thousands of texts),
// and its detail when a long list left that out too.
connection.onCompletionResolve(guarded('completionResolve', (item) => {
  const resolve = fromCompletionData(item.data, item.label);
  const markdown = resolve && completionDocumentation(settings, resolve);
  const detail = item.detail === undefined ? completionDetails.detailOf(item.label, item.data) : undefined;
  if (!markdown && detail === undefined) return item;
  const resolved = { ...item };
  if (markdown) resolved.documentation = { kind: MarkupKind.Markdown, value: markdown };
  if (detail !== undefined) resolved.detail = detail;
  return resolved;
}));

connection.onDefinition(guarded('definition', (params) => {
  const entry = current(params.textDocument.uri);
  return entry ? definitionAt(contextOf(entry), params.position) : [];
}));

connection.onReferences(guarded('references', (params) => {
  const entry = current(params.textDocument.uri);
  return entry ? referencesAt(contextOf(entry), params.position, params.context.includeDeclaration) : [];
}));

connection.onPrepareRename(guarded('prepareRename', (params) => {
  const entry = current(params.textDocument.uri);
  return (entry && prepareRenameAt(contextOf(entry), params.position)) ?? null;
}));

connection.onRenameRequest(guarded('rename', (params) => {
  const entry = current(params.textDocument.uri);
  const result = entry && renameAt(contextOf(entry), params.position, params.newName);
  if (!result) return null;
  // A refusal, not a bug: the editor shows the message to the user.
  if ('error' in result) return new ResponseError<void>(LSPErrorCodes.RequestFailed, result.error);
  return toWorkspaceEdit(result);
}));

connection.onCodeAction(guarded('codeAction', (params) => {
  current(params.textDocument.uri);
  const last = published.get(params.textDocument.uri);
  if (!last) return [];
  const { start, end } = params.range;
  const overlaps = (f: Finding) =>
    !(f.range.end.line < start.line || (f.range.end.line === start.line && f.range.end.character < start.character) ||
      f.range.start.line > end.line || (f.range.start.line === end.line && f.range.start.character > end.character));
  const uri = params.textDocument.uri;
  const entry = workspace.get(uri);
  const actions = last.findings.flatMap((f, i) =>
    f.fixes && overlaps(f) ? f.fixes.map((fix) => toCodeAction(fix, last.diagnostics[i], uri)) : []);
  // After the fixes: silence a finding on its line with a disable comment above it.
  for (const [i, f] of last.findings.entries()) {
    if (!entry || !overlaps(f)) continue;
    const line = f.range.start.line;
    const indentation = indentationOfLine(documents.get(uri), line);
    const at = { line, character: 0 };
    actions.push(toCodeAction({
      title: `Disable ${f.code} for this line`,
      edits: [{ range: { start: at, end: at }, newText: disableComment(entry.kind, f.code, indentation) }],
    }, last.diagnostics[i], uri));
  }
  return actions;
}));

/**
 * Documents longer than this get no whole-document semantic tokens: the 1M-record zone has
 * 1.2 million of them and took 2 s per request, blocking the server between keystrokes.
 * VS Code asks for the visible ranges until a whole-document answer arrives, and takes a
 * server cancel as "keep asking for ranges"; a client without range requests (Neovim up
 * to 0.11) gets the tokens of the first lines only.
 */
const MAX_WHOLE_DOCUMENT_TOKEN_LINES = 50_000;

connection.languages.semanticTokens.on(guarded('semanticTokens', (params) => {
  const entry = current(params.textDocument.uri);
  if (!entry) return { data: [] };
  const lines = documents.get(params.textDocument.uri)?.lineCount ?? 0;
  if (lines <= MAX_WHOLE_DOCUMENT_TOKEN_LINES) return encodeSemanticTokens(semanticTokensOf(contextOf(entry)));
  if (clientTakesSemanticRanges) {
    return new ResponseError<void>(LSPErrorCodes.ServerCancelled, `mailconf: ${lines} lines are too many for whole-document semantic tokens; ask for the visible range`);
  }
  const head = { start: { line: 0, character: 0 }, end: { line: MAX_WHOLE_DOCUMENT_TOKEN_LINES, character: 0 } };
  return encodeSemanticTokens(semanticTokensOf(contextOf(entry), head));
}));

connection.languages.semanticTokens.onRange(guarded('semanticTokens/range', (params) => {
  const entry = current(params.textDocument.uri);
  return encodeSemanticTokens(entry ? semanticTokensOf(contextOf(entry), params.range) : []);
}));

const commandHost: CommandHost = {
  workspace,
  liveResolver: () => liveDns.active(),
  trusted: () => trusted,
  dnsStatus: () => liveDns.status(),
  displayPath: (uri) => {
    const p = filePathOf(uri);
    if (!p) return uri;
    const folder = folders.find((f) => p.startsWith(f + path.sep));
    return folder ? path.relative(folder, p) : p;
  },
  applyEdit: async (edit) => {
    const result = await connection.workspace.applyEdit({ label: edit.label, edit: toWorkspaceEditWithNewFiles(edit.edits, edit.createFiles ?? []) });
    if (!result.applied) connection.console.warn(`mailconf: the editor did not apply "${edit.label}"${result.failureReason ? `: ${result.failureReason}` : ''}`);
    return result.applied;
  },
  log: (message) => connection.console.info(message),
};

connection.onExecuteCommand(async (params) => {
  const name = `command ${params.command}`;
  try {
    faults.failIfInjected('executeCommand');
    await settingsReady;
    return await executeCommand(commandHost, params.command, params.arguments?.[0]);
  } catch (e) {
    if (e instanceof CommandRefusal) throw new ResponseError(ErrorCodes.InvalidParams, e.message);
    // A bug, answered and logged as in guarded().
    connection.console.error(failureLog(name, e));
    return requestFailure(name, e);
  }
});

documents.listen(connection);
connection.listen();
