// `mailconf dkim generate … --update PATH`: after writing the key, put it to use in the
// configuration tree at PATH (the real /etc or a copy): the TXT record into the zone file
// that holds the domain, the KeyTable and SigningTable lines, the opendkim.conf lines that
// load them — the core's planDkimSetup, written by node/configUpdate.ts (check all, then
// write; temp + rename; never a file that changed since it was read).

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dkimSelectorConflict, planDkimSetup } from '../core/stack/dkimSetup';
import { DkimKeyRefusal, writeDkimKey, type WriteDkimKeyOptions } from '../node/dkimKeys';
import { applyConfigChanges, ConfigUpdateRefusal } from '../node/configUpdate';
import { loadConfigTree } from './configTree';

/** The key's path on the mail server: below the tree's /etc stand-in it is /etc/…. */
function serverPath(file: string, configRoot: string | undefined): string {
  if (!configRoot) return file;
  const rel = path.relative(path.resolve(configRoot), file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : '/etc/' + rel.split(path.sep).join('/');
}

function shown(uri: string): string {
  try { return fileURLToPath(uri); } catch { return uri; }
}

export function runDkimUpdate(key: WriteDkimKeyOptions, treePath: string): number {
  const out = (s: string) => process.stdout.write(s + '\n');
  const refuse = (why: string, written: boolean) => {
    process.stderr.write(`mailconf: dkim generate --update refused: ${why}\n${written ? '' : 'Nothing was written.\n'}`);
    return 2;
  };
  const tree = loadConfigTree([treePath]);
  if (tree.missing.length) return refuse(`${treePath}: no such file or directory`, false);
  const ws = tree.workspace;
  const conflict = dkimSelectorConflict(ws, key.domain, key.selector);
  if (conflict) return refuse(conflict, false);

  let written;
  try {
    written = writeDkimKey(key);
  } catch (e) {
    if (e instanceof DkimKeyRefusal) return refuse(e.message, false);
    throw e;
  }
  out(`Wrote ${written.privateKeyPath} (private key, mode 0600)`);
  out(`Wrote ${written.txtPath} (the TXT record in zone-file form)`);
  const keyPath = serverPath(written.privateKeyPath, tree.configRoot);
  const plan = planDkimSetup(ws, { domain: key.domain, selector: key.selector, keyPath, generated: written });
  if (plan.refusal) return refuse(`${plan.refusal}\nThe key files were written; the configuration was not changed.`, true);
  const readTexts = new Map<string, string>();
  for (const e of plan.edits.edits) {
    const text = ws.get(e.uri)?.analysis.text;
    if (text !== undefined) readTexts.set(e.uri, text);
  }
  try {
    const result = applyConfigChanges({ edits: plan.edits.edits, createFiles: plan.createFiles }, readTexts);
    for (const f of result.created) out(`Created ${f}`);
    for (const f of result.edited) out(`Updated ${f}`);
  } catch (e) {
    if (e instanceof ConfigUpdateRefusal) return refuse(`${e.message}\nThe key files were written; the configuration was not changed.`, true);
    throw e;
  }
  if (plan.zoneUri) out(`The TXT record ${written.recordName} is in ${shown(plan.zoneUri)}.`);
  for (const n of plan.notes) out(`\nTo do: ${n}`);
  return 0;
}
