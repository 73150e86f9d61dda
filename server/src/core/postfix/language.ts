// PLACEHOLDER until the parser lands: parses nothing. Replace wholesale.
import type { LanguageModule } from '../language';

export const postfixLanguage: LanguageModule<null> = {
  kinds: ['postfix-main', 'postfix-master'],
  parse: () => ({ tree: null, findings: [] }),
  symbols: () => [],
  folding: () => [],
};
