// Editor features of main.cf and master.cf. Both kinds share one implementation: every
// feature asks locate.ts what is under the cursor and config.ts about the instance
// (the main.cf and master.cf of one directory).
import type { FeatureProvider } from '../types';
import { postfixHover } from './hover';

export const postfixMainFeatures: FeatureProvider = {
  hover: postfixHover,
};
export const postfixMasterFeatures: FeatureProvider = {
  hover: postfixHover,
};
