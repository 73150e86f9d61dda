#!/usr/bin/env bash
# Refreshes the README's screenshots (docs/images/) from the last VS Code end-to-end run
# (.test-artifacts/e2e/, written by test/e2e/vscode.test.ts). Run the test first:
#   npm run package && node --import tsx --test test/e2e/vscode.test.ts && bash test/e2e/readme-screenshots.sh
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
RUN="$REPO/.test-artifacts/e2e"
IMAGES="$REPO/docs/images"
# run artifact -> README image
MAP=(
  main-cf-problems.png:main-cf-seed-000.png
  zone-domain-tld-problems.png:zone-seed-002.png
  problems-milter-mismatch.png:milter-socket-mismatch.png
  report-check-host.png:report-check-host.png
  dkim-1-domain.png:dkim-prompt-domain.png
  dkim-3-algorithm.png:dkim-prompt-algorithm.png
  dkim-5-also.png:dkim-prompt-also.png
  dkim-done.png:dkim-done.png
)
for pair in "${MAP[@]}"; do
  [ -f "$RUN/${pair%%:*}" ] || { echo "missing $RUN/${pair%%:*}: run test/e2e/vscode.test.ts first" >&2; exit 1; }
done
for pair in "${MAP[@]}"; do
  cp "$RUN/${pair%%:*}" "$IMAGES/${pair#*:}"
  echo "docs/images/${pair#*:} <- .test-artifacts/e2e/${pair%%:*}"
done
