// Semantic checks: what a file means, beyond its syntax, and how it fits the rest of the
// mail stack. `diagnose` is what the front ends call to get every finding of a document:
// the parser's syntax findings, then each checker registered for its kind below.

import type { AnalysisContext } from './context';
import type { DocumentKind } from './kinds';
import type { Finding } from './types';
import { findingsOf } from './service';
import { applySuppressions } from './suppressions';
import { mainCfCheckers, masterCfCheckers } from './postfix/checks/index';
import {
  hostListCheckers, keyTableCheckers, opendkimConfCheckers, opendkimDefaultCheckers, signingTableCheckers,
} from './opendkim/checks/index';
import { checkMilterLinkFromOpendkim, checkMilterLinkFromPostfix } from './stack/milterLink';
import { checkSendingHostSpfFromPostfix, checkSendingHostSpfFromZone } from './stack/sendingHostSpf';
import { checkSendingHostReverseDnsFromPostfix, checkSendingHostReverseDnsFromZone } from './stack/sendingHostReverseDns';
import { checkKeyTableZonesFromKeyTable, checkKeyTableZonesFromZone } from './stack/keyTableZones';
import { checkMxHostNotListeningFromPostfix, checkMxHostNotListeningFromZone } from './stack/mxHostNotListening';
import { zoneCheckers } from './zone/checks/index';

/** A semantic check of one document. Must not throw for any tree; returns findings. */
export type DocumentChecker = (ctx: AnalysisContext) => Finding[];

const CHECKERS: Partial<Record<DocumentKind, readonly DocumentChecker[]>> = {
  'postfix-main': [...mainCfCheckers, checkMilterLinkFromPostfix, checkSendingHostSpfFromPostfix, checkSendingHostReverseDnsFromPostfix, checkMxHostNotListeningFromPostfix],
  'postfix-master': [...masterCfCheckers, checkMilterLinkFromPostfix, checkSendingHostSpfFromPostfix, checkSendingHostReverseDnsFromPostfix, checkMxHostNotListeningFromPostfix],
  'opendkim-conf': [...opendkimConfCheckers, checkMilterLinkFromOpendkim],
  'opendkim-default': [...opendkimDefaultCheckers, checkMilterLinkFromOpendkim],
  'opendkim-keytable': [...keyTableCheckers, checkKeyTableZonesFromKeyTable],
  'opendkim-signingtable': signingTableCheckers,
  'opendkim-hostlist': hostListCheckers,
  'dns-zone': [...zoneCheckers, checkSendingHostSpfFromZone, checkKeyTableZonesFromZone, checkSendingHostReverseDnsFromZone, checkMxHostNotListeningFromZone],
};

/**
 * Syntax findings of the document, then those of every semantic checker of its kind,
 * less those a `mailconf-disable-next-line` comment silences.
 */
export function diagnose(ctx: AnalysisContext): Finding[] {
  const findings = [...findingsOf(ctx.doc.analysis)];
  // Not analysed: checks of the empty stand-in tree would report what is not there.
  if (ctx.doc.analysis.tooLarge) return findings;
  for (const check of CHECKERS[ctx.doc.kind] ?? []) {
    // A loop, not push(...): a huge file can have more findings than a call takes arguments.
    for (const f of check(ctx)) findings.push(f);
  }
  return applySuppressions(ctx.doc.analysis.text, ctx.doc.kind, findings, ctx.doc.analysis);
}
