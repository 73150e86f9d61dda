// The semantic checks of main.cf and master.cf, in the order they run.
import type { DocumentChecker } from '../../checks';

export const mainCfCheckers: DocumentChecker[] = [];
export const masterCfCheckers: DocumentChecker[] = [];
