// Fuzz target for whole workspaces: a random mail stack (main.cf, master.cf, opendkim.conf,
// /etc/default/opendkim, the tables, zones), each file a mutated seed, some open and some
// on disk, then diagnose() on every file (the cross-file checks: milter link, table links,
// SPF over the workspace's zones), the quick fixes, and the features of one file.

import fc from 'fast-check';
import { ALL_KINDS, type DocumentKind } from '../../../server/src/core/kinds';
import { Workspace } from '../../../server/src/core/stack/workspace';
import { mutatedText, target } from '../harness';
import { URI_OF, checkDiagnose, checkFeatures } from './documents';

/** A second zone, so SPF includes between the workspace's zones resolve. */
const SECOND_ZONE = 'file:///etc/bind/db.example.net';

const fileArb = (kind: DocumentKind) => fc.record({ present: fc.boolean(), open: fc.boolean(), text: mutatedText(kind, { maxChars: 3000, maxMutations: 4 }) });

export const workspaceTarget = target({
  name: 'diagnose() and features over a random workspace',
  arbitrary: fc.record({
    files: fc.tuple(...ALL_KINDS.map(fileArb)),
    secondZone: fc.option(mutatedText('dns-zone', { maxChars: 3000, maxMutations: 4 })),
    focus: fc.nat(),
    positions: fc.array(fc.record({ line: fc.nat(200), character: fc.nat(120), fraction: fc.constant(true) }), { minLength: 1, maxLength: 6 }),
  }),
  property: ({ files, secondZone, focus, positions }) => {
    const ws = new Workspace();
    ALL_KINDS.forEach((kind, i) => {
      const f = files[i];
      if (!f.present) return;
      if (f.open) ws.setOpen(URI_OF[kind], kind, f.text, 1);
      else ws.setOnDisk(URI_OF[kind], kind, f.text);
    });
    if (secondZone !== null) ws.setOnDisk(SECOND_ZONE, 'dns-zone', secondZone);
    checkDiagnose(ws, 15);
    const docs = ws.all();
    if (docs.length) checkFeatures(ws, docs[focus % docs.length], positions);
  },
  ciRuns: 150,
  budgetMs: 4000,
});
