// `mailconf check --dns`: after the offline checks, the live DNS checks the editor runs for
// KeyTables (is each entry's selector._domainkey key published, and is it the public half
// of the key file, or of the key written in the table?), asked of the given servers or the system's. Off by default so that CI
// runs are repeatable and send nothing.

import { checkKeyTableLive } from '../core/dns/keyTableLive';
import { applySuppressions } from '../core/suppressions';
import type { Resolver } from '../core/dns/resolver';
import { publicKeyOfKeyRef } from '../node/keyTablePublicKeys';
import type { CheckedWorkspace } from './checkFiles';

/**
 * Adds the live DNS findings of every KeyTable in the run to its report (less those a
 * disable comment silences). Tells `onTable` after each table; returns how many were looked at.
 */
export async function addLiveDnsFindings(checked: CheckedWorkspace, resolver: Resolver, onTable: (done: number, total: number) => void = () => {}): Promise<number> {
  const tables = checked.documents.filter((d) => d.ctx.doc.kind === 'opendkim-keytable');
  let done = 0;
  onTable(0, tables.length);
  await Promise.all(tables.map(async ({ report, ctx }) => {
    const findings = await checkKeyTableLive(ctx, resolver, publicKeyOfKeyRef);
    report.findings.push(...applySuppressions(ctx.doc.analysis.text, ctx.doc.kind, findings));
    onTable(++done, tables.length);
  }));
  return tables.length;
}
