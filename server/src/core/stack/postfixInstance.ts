// Which main.cf and master.cf form one Postfix instance: the two files of one directory
// (Postfix reads both from its config_directory). Works on URIs, so it stays pure.

import type { Workspace, WorkspaceDocument } from './workspace';

/** The URI of the directory holding `uri` (without a trailing slash). */
export function uriDirname(uri: string): string {
  const cut = withoutQuery(uri);
  const slash = cut.lastIndexOf('/');
  return slash >= 0 ? cut.slice(0, slash) : cut;
}

export function uriBasename(uri: string): string {
  const cut = withoutQuery(uri);
  const name = cut.slice(cut.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name; // a malformed %-escape: the name as written
  }
}

/** The URI without its ?query and #fragment. */
function withoutQuery(uri: string): string {
  const at = uri.search(/[?#]/);
  return at < 0 ? uri : uri.slice(0, at);
}

export interface PostfixInstance {
  main?: WorkspaceDocument;
  master?: WorkspaceDocument;
}

/**
 * The instance a Postfix document belongs to. A main.cf-like file (`main.cf`, or another
 * `*.cf` beside a master.cf) pairs with the directory's master.cf; a master.cf pairs with
 * the directory's `main.cf`.
 */
export function postfixInstanceOf(workspace: Workspace, doc: WorkspaceDocument): PostfixInstance {
  const dir = uriDirname(doc.uri);
  const inDir = (name: string, kind: WorkspaceDocument['kind']) =>
    workspace.all().find((d) => d.kind === kind && uriDirname(d.uri) === dir && uriBasename(d.uri) === name);
  if (doc.kind === 'postfix-master') return { master: doc, main: inDir('main.cf', 'postfix-main') };
  if (doc.kind === 'postfix-main') return { main: doc, master: inDir('master.cf', 'postfix-master') };
  return {};
}
