// The semantic checks of OpenDKIM's files, in the order they run.
import type { DocumentChecker } from '../../checks';

export const opendkimConfCheckers: DocumentChecker[] = [];
export const opendkimDefaultCheckers: DocumentChecker[] = [];
export const keyTableCheckers: DocumentChecker[] = [];
export const signingTableCheckers: DocumentChecker[] = [];
export const hostListCheckers: DocumentChecker[] = [];
