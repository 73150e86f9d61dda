// The semantic checks of zone files, in the order they run.
import type { DocumentChecker } from '../../checks';

export const zoneCheckers: DocumentChecker[] = [];
