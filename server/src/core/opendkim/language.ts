// PLACEHOLDER until the parser lands: parses nothing. Replace wholesale.
import type { LanguageModule } from '../language';

export const opendkimLanguage: LanguageModule<null> = {
  kinds: ['opendkim-conf', 'opendkim-default', 'opendkim-keytable', 'opendkim-signingtable', 'opendkim-hostlist'],
  parse: () => ({ tree: null, findings: [] }),
  symbols: () => [],
  folding: () => [],
};
