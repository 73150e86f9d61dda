// Editor features of main.cf and master.cf.
import type { FeatureProvider } from '../types';

export const postfixMainFeatures: FeatureProvider = {};
export const postfixMasterFeatures: FeatureProvider = {};
