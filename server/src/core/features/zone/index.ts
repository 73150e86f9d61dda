// Editor features of zone files.
//
//   hover.ts           owner names (absolute name, where the origin comes from); SPF terms with
//                      the record's lookup count, DKIM/DMARC/MTA-STS/TLS-RPT tags inside TXT strings
//   semanticTokens.ts  the parts of those policies inside TXT strings
//   policyTerms.ts     the terms and tags of a policy value, shared by both
//   locate.ts          what is under the cursor
import type { FeatureProvider } from '../types';
import { zoneHover } from './hover';
import { zoneSemanticTokens } from './semanticTokens';

export const zoneFeatures: FeatureProvider = { hover: zoneHover, semanticTokens: zoneSemanticTokens };
