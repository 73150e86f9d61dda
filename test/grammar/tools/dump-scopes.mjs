#!/usr/bin/env node
// Prints the TextMate scopes of every token of a file, to write or debug grammar tests.
//   node test/grammar/tools/dump-scopes.mjs source.dns-zone path/to/file [--all]
// Without --all, tokens that carry only the root scope are skipped.
import fs from 'node:fs';
import { contributedGrammars, createRegistry, tokenizeText } from '../lib/textmate.mjs';

const [scopeName, file, flag] = process.argv.slice(2);
if (!scopeName || !file) {
  console.error('usage: dump-scopes.mjs <scopeName> <file> [--all]');
  process.exit(2);
}
const registry = createRegistry(contributedGrammars());
const grammar = await registry.loadGrammar(scopeName);
if (!grammar) {
  console.error(`no grammar for ${scopeName}`);
  process.exit(2);
}
for (const { line, tokens } of tokenizeText(grammar, fs.readFileSync(file, 'utf8'))) {
  for (const t of tokens) {
    if (flag !== '--all' && t.scopes.length === 1) continue;
    if (t.text.trim() === '' && flag !== '--all') continue;
    console.log(`${line + 1}:${t.start}-${t.end} ${JSON.stringify(t.text)}  ${t.scopes.slice(1).join(' ')}`);
  }
}
