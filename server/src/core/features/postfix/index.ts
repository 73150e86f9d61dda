// Editor features of main.cf and master.cf. Both kinds share one implementation: every
// feature asks locate.ts what is under the cursor and core/postfix/instance.ts about the
// instance (the main.cf and master.cf of one directory, the same model the checks use), so
// a feature behaves the same from either file.
//
//   hover.ts           parameters, $references, table types, restrictions, master.cf columns
//   completion.ts      names, values by kind, $references, master.cf columns and -o
//   navigation.ts      go to definition, find references
//   rename.ts          prepareRename / rename (own parameters only)
//   semanticTokens.ts  known / own / unknown parameter names
import type { FeatureProvider } from '../types';
import { postfixHover } from './hover';
import { postfixCompletion } from './completion';
import { postfixDefinition, postfixReferences } from './navigation';
import { postfixPrepareRename, postfixRename } from './rename';
import { postfixSemanticTokens } from './semanticTokens';

const postfixFeatures: FeatureProvider = {
  hover: postfixHover,
  completion: postfixCompletion,
  definition: postfixDefinition,
  references: postfixReferences,
  prepareRename: postfixPrepareRename,
  rename: postfixRename,
  semanticTokens: postfixSemanticTokens,
};

export const postfixMainFeatures: FeatureProvider = postfixFeatures;
export const postfixMasterFeatures: FeatureProvider = postfixFeatures;
