// Editor features of OpenDKIM's files.
import type { FeatureProvider } from '../types';

export const opendkimConfFeatures: FeatureProvider = {};
export const opendkimDefaultFeatures: FeatureProvider = {};
export const keyTableFeatures: FeatureProvider = {};
export const signingTableFeatures: FeatureProvider = {};
export const hostListFeatures: FeatureProvider = {};
