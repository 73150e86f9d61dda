// The Postfix language module: main.cf and master.cf. Parsing never throws: the parsers
// work on any text, and a last-resort guard turns an internal bug into a finding
// instead of taking the language server down.

import type { LanguageModule, ParseResult } from '../language';
import type { DocumentKind } from '../kinds';
import { parseMainCf } from './mainCfParser';
import { parseMasterCf } from './masterCfParser';
import { postfixFolding, postfixSymbols } from './outline';
import type { PostfixTree } from './tree';

function emptyTree(kind: DocumentKind): PostfixTree {
  const common = { comments: [], invalidLines: [], templateLines: [], lineCount: 0 };
  return kind === 'postfix-master' ? { kind: 'postfix-master', services: [], ...common } : { kind: 'postfix-main', parameters: [], ...common };
}

export function parsePostfix(text: string, kind: DocumentKind): ParseResult<PostfixTree> {
  try {
    return kind === 'postfix-master' ? parseMasterCf(text) : parseMainCf(text);
  } catch (e) {
    return {
      tree: emptyTree(kind),
      findings: [{
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: 'error',
        code: 'postfix/internal-error',
        message: `mailconf could not parse this file (an internal error, please report it): ${e instanceof Error ? e.message : String(e)}`,
      }],
    };
  }
}

export const postfixLanguage: LanguageModule<PostfixTree> = {
  kinds: ['postfix-main', 'postfix-master'],
  parse: parsePostfix,
  symbols: postfixSymbols,
  folding: postfixFolding,
};
