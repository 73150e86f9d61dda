// Loads a configuration tree (a copy of /etc, or the real one) into a workspace model for
// the generate commands: every mail-stack file under the paths, plus the tables the
// OpenDKIM configuration names. The folder that plays /etc is found from the tree.

import * as fs from 'node:fs';
import { Workspace } from '../core/stack/workspace';
import { discover } from '../node/discovery';
import { loadFile } from '../node/loadFiles';
import { attachDiskEnvironment, findConfigRoot, loadOpendkimFiles } from '../node/opendkimEnvironment';

export interface LoadedTree {
  workspace: Workspace;
  /** Paths that do not exist. */
  missing: string[];
  /** The folder that plays /etc, when one of the paths is (or holds) one. */
  configRoot?: string;
}

export function loadConfigTree(paths: string[]): LoadedTree {
  const workspace = new Workspace();
  if (paths.length === 0) return { workspace, missing: [] };
  const found = discover(paths);
  for (const f of found.files) loadFile(workspace, f.path, f.kind);
  let configRoot: string | undefined;
  for (const p of paths) {
    try {
      if (fs.statSync(p).isDirectory()) configRoot ??= findConfigRoot(p);
    } catch { /* reported as missing */ }
  }
  // Not a claim that the tree is complete: only where /etc is (paths in the files resolve there).
  attachDiskEnvironment(workspace, undefined);
  loadOpendkimFiles(workspace);
  return { workspace, missing: found.missing, configRoot };
}
