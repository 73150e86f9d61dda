// The semantic checks of OpenDKIM's files, in the order they run. Cross-file helpers for
// other areas (the socket in effect, the tables an opendkim.conf loads) are re-exported.
import type { DocumentChecker } from '../../checks';
import { checkOptionValues } from './confValues';
import { checkMissingFiles, checkSigningSetup, checkSocketPresent } from './confConsistency';
import { checkDefaultSocket } from './defaultFile';
import { checkHostList, checkKeyTable, checkSigningTable } from './tables';
import { checkConfKeyFile, checkKeyTableKeyFiles } from './keyFiles';
import { checkEd25519Canonicalization } from './ed25519Canonicalization';
import { capPerCode } from './util';

/** A checker whose findings are capped per code, like the parsers' (a broken 20 000-line table must not flood the editor). */
function capped(check: DocumentChecker): DocumentChecker {
  return (ctx) => capPerCode(check(ctx));
}

export const opendkimConfCheckers: DocumentChecker[] = [checkOptionValues, checkSigningSetup, checkSocketPresent, checkMissingFiles, checkConfKeyFile, checkEd25519Canonicalization].map(capped);
export const opendkimDefaultCheckers: DocumentChecker[] = [checkDefaultSocket];
export const keyTableCheckers: DocumentChecker[] = [checkKeyTable, checkKeyTableKeyFiles].map(capped);
export const signingTableCheckers: DocumentChecker[] = [checkSigningTable].map(capped);
export const hostListCheckers: DocumentChecker[] = [checkHostList].map(capped);

export { opendkimSocketInEffect, type SocketInEffect, type InitSystem } from './socketInEffect';
export {
  configRootOf, confsUsing, effectiveConf, opendkimFileLinks, opendkimFilesWanted, opendkimTables, resolveServerPath,
  type FileLink, type OpendkimTables,
} from './links';
export {
  setOpendkimEnvironment, opendkimEnvironment, type OpendkimEnvironment, type KeyFileInfo, type KeyFileRef, type AuxiliaryFile,
} from './environment';
