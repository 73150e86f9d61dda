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

/** More findings than this are noise (a binary file, a wrong file kind) and slow every editor down. */
export const MAX_FINDINGS = 1000;

function capFindings(result: ParseResult<PostfixTree>): ParseResult<PostfixTree> {
  const all = result.findings;
  if (all.length <= MAX_FINDINGS) return result;
  const kept = all.slice(0, MAX_FINDINGS);
  kept.push({
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 'information',
    code: 'postfix/too-many-findings',
    message: `Only the first ${MAX_FINDINGS} of ${all.length} problems are shown. Is this really a Postfix ` +
      'configuration file (and the right one: main.cf or master.cf)?',
  });
  return { tree: result.tree, findings: kept };
}

export function parsePostfix(text: string, kind: DocumentKind): ParseResult<PostfixTree> {
  try {
    return capFindings(kind === 'postfix-master' ? parseMasterCf(text) : parseMainCf(text));
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
