// Loads the grammars that package.json contributes into a vscode-textmate registry,
// exactly as vscode-tmgrammar-test does, so tools here see the same tokens as the tests.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const tm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The `contributes.grammars` entries of package.json, with absolute paths. */
export function contributedGrammars(packageJsonPath = path.join(repoRoot, 'package.json')) {
  const manifest = JSON.parse(fs.readFileSync(packageJsonPath, 'utf8'));
  const base = path.dirname(packageJsonPath);
  return (manifest.contributes?.grammars ?? []).map((g) => ({
    language: g.language,
    scopeName: g.scopeName,
    path: path.resolve(base, g.path),
  }));
}

let onigLibPromise;
function onigLib() {
  if (!onigLibPromise) {
    const wasmPath = require.resolve('vscode-oniguruma/release/onig.wasm');
    const wasm = fs.readFileSync(wasmPath).buffer;
    onigLibPromise = oniguruma.loadWASM(wasm).then(() => ({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }));
  }
  return onigLibPromise;
}

/**
 * A registry over the given grammar entries ({scopeName, path}); `overrides` maps a
 * scope name to an already-parsed raw grammar object (used by the mutation check).
 */
export function createRegistry(grammars, overrides = new Map()) {
  const byScope = new Map(grammars.map((g) => [g.scopeName, g]));
  return new tm.Registry({
    onigLib: onigLib(),
    loadGrammar: async (scopeName) => {
      if (overrides.has(scopeName)) {
        return tm.parseRawGrammar(JSON.stringify(overrides.get(scopeName)), `${scopeName}.json`);
      }
      const entry = byScope.get(scopeName);
      if (!entry) return null;
      return tm.parseRawGrammar(fs.readFileSync(entry.path, 'utf8'), entry.path);
    },
  });
}

/** Tokenizes `text` line by line; returns [{line, tokens:[{start,end,text,scopes}]}]. */
export function tokenizeText(grammar, text) {
  const lines = text.split(/\r\n|\r|\n/);
  let ruleStack = tm.INITIAL;
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const r = grammar.tokenizeLine(line, ruleStack);
    ruleStack = r.ruleStack;
    out.push({
      line: i,
      tokens: r.tokens.map((t) => ({
        start: t.startIndex,
        end: Math.min(t.endIndex, line.length),
        text: line.slice(t.startIndex, t.endIndex),
        scopes: t.scopes,
      })),
    });
  }
  return out;
}
