// The OpenDKIM language module: opendkim.conf, Debian's /etc/default/opendkim, KeyTable,
// SigningTable and host lists. Each kind has its own parser; all share the tree types in
// tree.ts and the outline in outline.ts.

import type { LanguageModule, ParseResult } from '../language';
import type { DocumentKind } from '../kinds';
import type { OpendkimTree } from './tree';
import { parseConf } from './confParser';
import { parseDebianDefault } from './debianDefaultParser';
import { parseKeyTable, parseSigningTable } from './tableParser';
import { parseHostList } from './hostListParser';
import { opendkimFolding, opendkimSymbols } from './outline';

export function parseOpendkim(text: string, kind: DocumentKind): ParseResult<OpendkimTree> {
  switch (kind) {
    case 'opendkim-default': return parseDebianDefault(text);
    case 'opendkim-keytable': return parseKeyTable(text);
    case 'opendkim-signingtable': return parseSigningTable(text);
    case 'opendkim-hostlist': return parseHostList(text);
    default: return parseConf(text);
  }
}

export const opendkimLanguage: LanguageModule<OpendkimTree> = {
  kinds: ['opendkim-conf', 'opendkim-default', 'opendkim-keytable', 'opendkim-signingtable', 'opendkim-hostlist'],
  parse: parseOpendkim,
  symbols: opendkimSymbols,
  folding: opendkimFolding,
};
