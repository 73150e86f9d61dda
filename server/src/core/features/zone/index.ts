// Editor features of zone files (hover on SPF/DKIM/DMARC tags, semantic tokens inside TXT).
import type { FeatureProvider } from '../types';

export const zoneFeatures: FeatureProvider = {};
