#!/usr/bin/env bash
# The whole test suite, as CI runs it (`npm test`; the README's `npm ci && npm test`).
# Builds the bundles, type-checks, then runs unit tests, LSP tests against the built
# server, and grammar tests, and ends with one line: "N passed, N failed".
set -uo pipefail
shopt -s globstar nullglob
cd "$(dirname "$0")/.."

ARTIFACTS=.test-artifacts
rm -rf "$ARTIFACTS" && mkdir -p "$ARTIFACTS"
status=0

step() { printf '\n== %s\n' "$*"; }

step "system packages for the real programs (postconf, opendkim, named-checkzone …)"
bash scripts/install-system-packages.sh || exit 1

step "build"
npm run --silent build || exit 1

step "type-check (tsc --strict)"
npx tsc -p . --noEmit || status=1

step "unit, CLI, LSP and integration tests (node:test; the integration tests run the real Postfix and OpenDKIM on loopback)"
node --import tsx --test \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./test/countingReporter.mjs --test-reporter-destination="$ARTIFACTS/node-counts.json" \
  test/unit/**/*.test.ts test/cli/**/*.test.ts test/lsp/**/*.test.ts test/integration/**/*.test.ts test/e2e/**/*.test.ts test/fuzz/**/*.test.ts || status=1

step "grammar tests (vscode-tmgrammar-test)"
GRAMMAR_COUNTS="$ARTIFACTS/grammar-counts.json" node test/grammar/run.mjs || status=1

node -e '
const fs = require("fs");
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch { return { passed: 0, failed: 1, missing: f }; } };
const parts = [read(process.argv[1]), read(process.argv[2])];
for (const p of parts) if (p.missing) console.log("no results from " + p.missing);
const sum = (k) => parts.reduce((n, p) => n + (p[k] || 0), 0);
console.log(`\nmailconf: ${sum("passed")} passed, ${sum("failed")} failed` + (sum("skipped") ? `, ${sum("skipped")} skipped` : ""));
process.exit(sum("failed") || sum("skipped") ? 1 : 0);
' "$ARTIFACTS/node-counts.json" "$ARTIFACTS/grammar-counts.json" || status=1
exit $status
