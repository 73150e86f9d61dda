// Which files an opendkim.conf uses, and which opendkim.conf uses a given table. The
// configuration names absolute server paths (/etc/opendkim/key.table); the workspace holds
// documents under some folder that plays /etc — the configuration root, found from the
// opendkim.conf's own place (`<root>/opendkim.conf` or `<root>/opendkim/opendkim.conf`)
// unless the front end names it (environment.ts). Paths below /etc resolve against that
// root; other absolute paths only match a workspace document at exactly that path.
//
// Exported for the cross-file checks of other areas (the Postfix ↔ OpenDKIM milter link).

import type { Workspace, WorkspaceDocument } from '../../stack/workspace';
import { uriBasename, uriDirname } from '../../stack/postfixInstance';
import type { ConfOption, ConfTree, DatasetType, KeyTableTree, SigningTableTree, Token } from '../tree';
import { optionInfo } from '../catalogue';
import { opendkimEnvironment } from './environment';

// ---------------------------------------------------------------- URIs and paths

function decode(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

function trimSlash(uri: string): string {
  return uri.endsWith('/') ? uri.slice(0, -1) : uri;
}

/** True when `uri` lies inside the folder `dir` (both URIs; compared decoded). */
export function isUnder(uri: string, dir: string): boolean {
  const d = decode(trimSlash(dir));
  return decode(uri).startsWith(d + '/');
}

/** The workspace document at `uri` (compared decoded, since front ends encode differently). */
export function documentAt(workspace: Workspace, uri: string): WorkspaceDocument | undefined {
  const exact = workspace.get(uri);
  if (exact) return exact;
  const wanted = decode(uri);
  return workspace.all().find((d) => decode(d.uri) === wanted);
}

/** A server path as a URI path: `/opendkim/key.table`, segments encoded, `.` and `..` applied. */
function encodePath(path: string): string {
  const segments: string[] = [];
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') segments.pop();
    else segments.push(encodeSegment(s));
  }
  return '/' + segments.join('/');
}

/** encodeURIComponent, with a lone surrogate (a broken character in the file) as U+FFFD instead of a URIError. */
function encodeSegment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
  }
}

function join(dirUri: string, path: string): string {
  return trimSlash(dirUri) + encodePath(path);
}

/**
 * The folder that plays /etc for a document: the front end's configRoot when the document
 * lies inside it; else `<root>` of `<root>/opendkim.conf`, `<root>/opendkim/opendkim.conf`
 * or `<root>/default/opendkim`.
 */
export function configRootOf(workspace: Workspace, doc: WorkspaceDocument): string {
  const env = opendkimEnvironment(workspace);
  if (env.configRoot && isUnder(doc.uri, env.configRoot)) return trimSlash(env.configRoot);
  const dir = uriDirname(doc.uri);
  const parent = uriBasename(dir).toLowerCase();
  if ((doc.kind === 'opendkim-conf' && parent === 'opendkim') || (doc.kind === 'opendkim-default' && parent === 'default')) {
    return uriDirname(dir);
  }
  return dir;
}

/** True when the front end vouches that the workspace holds the complete tree at `root`. */
export function isCompleteRoot(workspace: Workspace, root: string): boolean {
  const env = opendkimEnvironment(workspace);
  return env.configRoot !== undefined && decode(trimSlash(env.configRoot)) === decode(root);
}

export interface ResolvedPath {
  /** Where the file is in the workspace's terms. */
  uri: string;
  /** The path lies below /etc, so the workspace (if complete) must have it. */
  underRoot: boolean;
  /** Written relative: OpenDKIM reads it from its working directory, which we can only guess. */
  relative: boolean;
}

/**
 * Resolves a path from an OpenDKIM file. Relative paths are read from `baseDir` (the
 * BaseDirectory option's folder) or, lacking one, the configuration file's own folder.
 */
export function resolveServerPath(root: string, path: string, baseDirUri: string): ResolvedPath | undefined {
  if (path === '') return undefined;
  if (path === '/etc' || path.startsWith('/etc/')) return { uri: join(root, path.slice(4)), underRoot: true, relative: false };
  if (path.startsWith('/')) return { uri: 'file://' + encodePath(path), underRoot: false, relative: false };
  return { uri: join(baseDirUri, path), underRoot: false, relative: true };
}

// ---------------------------------------------------------------- options in effect

/** An option line and the document it is in (an Include'd file or the opendkim.conf itself). */
export interface PlacedOption {
  option: ConfOption;
  doc: WorkspaceDocument;
  /** The lower-cased name. */
  key: string;
}

const MAX_INCLUDE_DEPTH = 5; // config.c's MAXLEVEL

export function confTree(doc: WorkspaceDocument): ConfTree | undefined {
  const tree = doc.analysis.parse.tree as ConfTree | undefined;
  return tree && tree.kind === 'opendkim-conf' ? tree : undefined;
}

/** The document's KeyTable tree, or undefined for another kind (or no document). */
export function keyTableTree(doc: WorkspaceDocument | undefined): KeyTableTree | undefined {
  const tree = doc?.analysis.parse.tree as KeyTableTree | undefined;
  return tree?.kind === 'opendkim-keytable' ? tree : undefined;
}

/** The document's SigningTable tree, or undefined for another kind (or no document). */
export function signingTableTree(doc: WorkspaceDocument | undefined): SigningTableTree | undefined {
  const tree = doc?.analysis.parse.tree as SigningTableTree | undefined;
  return tree?.kind === 'opendkim-signingtable' ? tree : undefined;
}

/**
 * Every option line OpenDKIM reads for this opendkim.conf, in its order: `Include`d files
 * (when the workspace has them) stand where their Include line is, as in config.c.
 */
export function confOptions(workspace: Workspace, confDoc: WorkspaceDocument): PlacedOption[] {
  const out: PlacedOption[] = [];
  const root = configRootOf(workspace, confDoc);
  const visit = (doc: WorkspaceDocument, depth: number, seen: Set<string>) => {
    const tree = confTree(doc);
    if (!tree) return;
    for (const option of tree.options) {
      const key = option.name.text.toLowerCase();
      out.push({ option, doc, key });
      if (key !== 'include' || !option.value || depth >= MAX_INCLUDE_DEPTH) continue;
      const target = resolveServerPath(root, option.value.text, uriDirname(doc.uri));
      const included = target && documentAt(workspace, target.uri);
      if (included && included.kind === 'opendkim-conf' && !seen.has(included.uri)) {
        visit(included, depth + 1, new Set([...seen, included.uri]));
      }
    }
  };
  visit(confDoc, 0, new Set([confDoc.uri]));
  return out;
}

/** The line OpenDKIM uses for each option: the last one (config_get finds the newest entry first). */
export function effectiveOptions(placed: readonly PlacedOption[]): Map<string, PlacedOption> {
  const map = new Map<string, PlacedOption>();
  for (const p of placed) if (p.option.value) map.set(p.key, p);
  return map;
}

/** The options in effect of an opendkim.conf (Include'd files followed). */
export function effectiveConf(workspace: Workspace, confDoc: WorkspaceDocument): Map<string, PlacedOption> {
  return effectiveOptions(confOptions(workspace, confDoc));
}

/** The Mode in effect: its letters as written, `sv` (sign and verify) when not set. */
export function modeInEffect(effective: ReadonlyMap<string, PlacedOption>): string {
  return effective.get('mode')?.option.value?.text ?? 'sv';
}

// ---------------------------------------------------------------- referenced files

/** A file an option in effect names (a dataset's file, KeyFile, Include …). */
export interface FileLink {
  /** The option's name as the catalogue spells it (KeyTable, InternalHosts …). */
  optionName: string;
  placed: PlacedOption;
  /** Dataset type, when the option takes a dataset (refile, file, db …). */
  datasetType?: DatasetType;
  /** The path as written (the part after `type:` for datasets). */
  path: Token;
  resolved: ResolvedPath;
  /** The workspace document at that place, if the workspace has one. */
  doc?: WorkspaceDocument;
}

const FILE_DATASETS: ReadonlySet<DatasetType> = new Set<DatasetType>(['file', 'refile', 'db', 'mdb', 'lua']);

/** Every file the options in effect name, resolved against the configuration root. */
export function opendkimFileLinks(workspace: Workspace, confDoc: WorkspaceDocument): FileLink[] {
  const root = configRootOf(workspace, confDoc);
  const effective = effectiveConf(workspace, confDoc);
  const baseDir = effective.get('basedirectory')?.option.value?.text;
  const baseDirUri = baseDir ? (resolveServerPath(root, baseDir, uriDirname(confDoc.uri))?.uri ?? uriDirname(confDoc.uri)) : uriDirname(confDoc.uri);
  const links: FileLink[] = [];
  for (const placed of effective.values()) {
    const info = optionInfo(placed.option.name.text);
    if (!info) continue;
    let path: Token | undefined;
    let datasetType: DatasetType | undefined;
    const ds = placed.option.dataset;
    if (ds) {
      if (ds.type && FILE_DATASETS.has(ds.type) && ds.path) {
        path = ds.path;
        datasetType = ds.type;
      }
    } else if ((info.kind === 'path' || info.kind === 'include') && placed.option.value) {
      path = placed.option.value;
    }
    if (!path) continue;
    const resolved = resolveServerPath(root, path.text, baseDirUri);
    if (!resolved) continue;
    links.push({ optionName: info.name, placed, datasetType, path, resolved, doc: documentAt(workspace, resolved.uri) });
  }
  return links;
}

/** The table files of an opendkim.conf, by option. */
export interface OpendkimTables {
  keyTable?: FileLink;
  signingTable?: FileLink;
  internalHosts?: FileLink;
  externalIgnoreList?: FileLink;
  peerList?: FileLink;
  exemptDomains?: FileLink;
  keyFile?: FileLink;
}

export function opendkimTables(workspace: Workspace, confDoc: WorkspaceDocument): OpendkimTables {
  const out: OpendkimTables = {};
  for (const link of opendkimFileLinks(workspace, confDoc)) {
    switch (link.placed.key) {
      case 'keytable': out.keyTable = link; break;
      case 'signingtable': out.signingTable = link; break;
      case 'internalhosts': out.internalHosts = link; break;
      case 'externalignorelist': out.externalIgnoreList = link; break;
      case 'peerlist': out.peerList = link; break;
      case 'exemptdomains': out.exemptDomains = link; break;
      case 'keyfile': out.keyFile = link; break;
    }
  }
  return out;
}

/** Every opendkim.conf of the workspace that loads `tableDoc`, with the option that does. */
export function confsUsing(workspace: Workspace, tableDoc: WorkspaceDocument): Array<{ conf: WorkspaceDocument; link: FileLink }> {
  const out: Array<{ conf: WorkspaceDocument; link: FileLink }> = [];
  const wanted = decode(tableDoc.uri);
  for (const conf of workspace.ofKind('opendkim-conf')) {
    for (const link of opendkimFileLinks(workspace, conf)) {
      if (decode(link.resolved.uri) === wanted) out.push({ conf, link });
    }
  }
  return out;
}

/**
 * The files the OpenDKIM checks would like to see, for a front end that loads what the
 * configuration references: tables (with the document kind to read them as), key files
 * (for KeyFileInfo), and included configurations.
 */
export function opendkimFilesWanted(workspace: Workspace): Array<{ uri: string; path: string; kind?: WorkspaceDocument['kind']; keyFile?: boolean }> {
  const out = new Map<string, { uri: string; path: string; kind?: WorkspaceDocument['kind']; keyFile?: boolean }>();
  for (const conf of workspace.ofKind('opendkim-conf')) {
    for (const link of opendkimFileLinks(workspace, conf)) {
      const kind = KIND_OF_OPTION[link.placed.key];
      const keyFile = link.placed.key === 'keyfile' || undefined;
      if (!kind && !keyFile) continue;
      if (link.datasetType === 'db' || link.datasetType === 'mdb') continue; // binary maps
      out.set(link.resolved.uri, { uri: link.resolved.uri, path: link.path.text, kind, keyFile });
    }
  }
  for (const table of workspace.ofKind('opendkim-keytable')) {
    const users = confsUsing(workspace, table);
    const root = users.length > 0 ? configRootOf(workspace, users[0].conf) : uriDirname(table.uri);
    const tree = table.analysis.parse.tree as { entries?: Array<{ key?: Token; keyKind?: string }> };
    for (const e of tree.entries ?? []) {
      if (e.keyKind !== 'path' || !e.key) continue;
      const r = resolveServerPath(root, e.key.text, uriDirname(table.uri));
      if (r) out.set(r.uri, { uri: r.uri, path: e.key.text, keyFile: true });
    }
  }
  return [...out.values()];
}

/** The document kind a file loaded by an option (lower-case name) is read as. */
export const KIND_OF_OPTION: Readonly<Record<string, WorkspaceDocument['kind']>> = {
  keytable: 'opendkim-keytable',
  signingtable: 'opendkim-signingtable',
  internalhosts: 'opendkim-hostlist',
  externalignorelist: 'opendkim-hostlist',
  peerlist: 'opendkim-hostlist',
  exemptdomains: 'opendkim-hostlist',
  include: 'opendkim-conf',
};
