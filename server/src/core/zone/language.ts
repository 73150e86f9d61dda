// The zone-file language module: RFC 1035 §5.1 master files with RFC 2308 `$TTL` and
// BIND's extensions, read the way named-checkzone reads them. Parsing lives in
// lexer.ts/parser.ts, the tree shape in tree.ts, the outline in outline.ts.

import type { LanguageModule } from '../language';
import type { ZoneTree } from './tree';
import { collectFindings } from './tree';
import { parseZoneTree } from './parser';
import { zoneFolding, zoneSymbols } from './outline';
import { reparseIncremental } from './incremental';

export const zoneLanguage: LanguageModule<ZoneTree> = {
  kinds: ['dns-zone'],
  parse(text) {
    const tree = parseZoneTree(text);
    return { tree, findings: collectFindings(tree) };
  },
  reparse(previous, text, changed) {
    const tree = reparseIncremental(previous.tree, text, changed);
    return { tree, findings: collectFindings(tree) };
  },
  symbols: zoneSymbols,
  folding: zoneFolding,
};
