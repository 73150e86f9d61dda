// The semantic checks of main.cf and master.cf, in the order they run. Each checker is a
// file of its own; ../instance.ts builds the model of the Postfix instance (main.cf,
// master.cf, postconf's naming rules) that they share with the editor features. Documented in docs/checks.md.
import type { DocumentChecker } from '../../checks';
import { checkMainCfNames, checkMasterCfNames } from './parameterNames';
import { checkMainCfDuplicates, checkMasterCfDuplicates } from './duplicates';
import { checkMainCfValues, checkMasterCfValues } from './values';
import { checkMainCfDeprecated, checkMasterCfDeprecated } from './deprecated';
import { checkMainCfRelayControl, checkMasterCfRelayControl } from './relayControl';
import { checkMainCfRestrictions, checkMasterCfRestrictions } from './restrictions';
import { checkMainCfTransports, checkMasterCfTransports } from './transports';
import { checkMasterCfServices } from './services';
import { checkMainCfSizeLimits, checkMasterCfSizeLimits } from './sizeLimits';
import { checkMainCfAddressClasses, checkMasterCfAddressClasses } from './addressClasses';
import { checkMainCfTls, checkMasterCfTls } from './tls';
import { checkMainCfHostName } from './hostName';

export const mainCfCheckers: DocumentChecker[] = [
  checkMainCfNames,
  checkMainCfDuplicates,
  checkMainCfDeprecated,
  checkMainCfValues,
  checkMainCfRelayControl,
  checkMainCfRestrictions,
  checkMainCfTransports,
  checkMainCfSizeLimits,
  checkMainCfAddressClasses,
  checkMainCfTls,
  checkMainCfHostName,
];

export const masterCfCheckers: DocumentChecker[] = [
  checkMasterCfServices,
  checkMasterCfNames,
  checkMasterCfDuplicates,
  checkMasterCfDeprecated,
  checkMasterCfValues,
  checkMasterCfRelayControl,
  checkMasterCfRestrictions,
  checkMasterCfTransports,
  checkMasterCfSizeLimits,
  checkMasterCfAddressClasses,
  checkMasterCfTls,
];
