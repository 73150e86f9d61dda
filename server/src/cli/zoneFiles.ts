// Zone files named on the command line (`--zone FILE…` of spf check-host and spf tree),
// read into a workspace that the zone resolvers answer from.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Workspace } from '../core/stack/workspace';

/** A workspace holding the zone files; a string names a file that cannot be read. */
export function readZoneFiles(files: string[]): Workspace | string {
  const workspace = new Workspace();
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (e) {
      return `${f}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`;
    }
    workspace.setOnDisk(pathToFileURL(path.resolve(f)).href, 'dns-zone', text);
  }
  return workspace;
}
