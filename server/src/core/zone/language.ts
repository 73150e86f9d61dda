// PLACEHOLDER until the parser lands: parses nothing. Replace wholesale.
import type { LanguageModule } from '../language';

export const zoneLanguage: LanguageModule<null> = {
  kinds: ['dns-zone'],
  parse: () => ({ tree: null, findings: [] }),
  symbols: () => [],
  folding: () => [],
};
