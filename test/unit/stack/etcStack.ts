// An in-memory /etc tree for the cross-file checks' tests: files by path below /etc (zone
// files are named db.*), their findings through diagnose(), as the editor gets them.

import { Workspace } from '../../../server/src/core/stack/workspace';
import { diagnose } from '../../../server/src/core/checks';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { kindFromName } from '../../../server/src/core/kinds';
import type { Finding } from '../../../server/src/core/types';

/** The workspace of `files`; `findings(path)` keeps those `keep` selects, `all(path)` every one. */
export function etcStack(files: Record<string, string>, keep: (f: Finding) => boolean) {
  const ws = new Workspace();
  const uri = (path: string) => `file:///etc/${path}`;
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split('/');
    const name = parts[parts.length - 1];
    const kind = name.startsWith('db.') ? 'dns-zone' : kindFromName(name, parts[parts.length - 2] ?? '')!;
    ws.setOnDisk(uri(path), kind, text);
  }
  const all = (path: string): Finding[] => diagnose({ doc: ws.get(uri(path))!, workspace: ws, settings: DEFAULT_SETTINGS });
  const findings = (path: string): Finding[] => all(path).filter(keep);
  return { ws, uri, findings, all, text: (path: string) => ws.get(uri(path))!.analysis.text };
}
