// Editor features of OpenDKIM's files.
//
//   conf.ts      opendkim.conf: option hover, name and value completion, definition of table files
//   tables.ts    KeyTable (hover with the DNS name and key facts, references), SigningTable
//                (definition/hover/completion of key names, pattern hover), host-list hover
//   defaults.ts  /etc/default/opendkim: variable hover (SOCKET: the socket in effect), completion
import type { FeatureProvider } from '../types';
import { confCompletion, confDefinition, confHover } from './conf';
import {
  hostListHover, keyTableDefinition, keyTableHover, keyTableReferences, signingTableCompletion, signingTableDefinition,
  signingTableHover,
} from './tables';
import { defaultCompletion, defaultHover } from './defaults';

export const opendkimConfFeatures: FeatureProvider = { hover: confHover, completion: confCompletion, definition: confDefinition };
export const opendkimDefaultFeatures: FeatureProvider = { hover: defaultHover, completion: defaultCompletion };
export const keyTableFeatures: FeatureProvider = { hover: keyTableHover, definition: keyTableDefinition, references: keyTableReferences };
export const signingTableFeatures: FeatureProvider = { hover: signingTableHover, definition: signingTableDefinition, completion: signingTableCompletion };
export const hostListFeatures: FeatureProvider = { hover: hostListHover };
