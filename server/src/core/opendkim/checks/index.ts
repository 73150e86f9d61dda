// The semantic checks of OpenDKIM's files, in the order they run. Cross-file helpers for
// other areas (the socket in effect, the tables an opendkim.conf loads) are re-exported.
import type { DocumentChecker } from '../../checks';
import { checkOptionValues } from './confValues';
import { checkMissingFiles, checkSigningSetup, checkSocketPresent } from './confConsistency';
import { checkDefaultSocket } from './defaultFile';
import { checkHostList, checkKeyTable, checkSigningTable } from './tables';
import { checkConfKeyFile, checkKeyTableKeyFiles } from './keyFiles';

export const opendkimConfCheckers: DocumentChecker[] = [checkOptionValues, checkSigningSetup, checkSocketPresent, checkMissingFiles, checkConfKeyFile];
export const opendkimDefaultCheckers: DocumentChecker[] = [checkDefaultSocket];
export const keyTableCheckers: DocumentChecker[] = [checkKeyTable, checkKeyTableKeyFiles];
export const signingTableCheckers: DocumentChecker[] = [checkSigningTable];
export const hostListCheckers: DocumentChecker[] = [checkHostList];

export { opendkimSocketInEffect, type SocketInEffect, type InitSystem } from './socketInEffect';
export {
  configRootOf, confsUsing, effectiveConf, opendkimFileLinks, opendkimFilesWanted, opendkimTables, resolveServerPath,
  type FileLink, type OpendkimTables,
} from './links';
export {
  setOpendkimEnvironment, opendkimEnvironment, type OpendkimEnvironment, type KeyFileInfo, type KeyFileRef, type AuxiliaryFile,
} from './environment';
