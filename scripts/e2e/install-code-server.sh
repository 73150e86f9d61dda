#!/usr/bin/env bash
# Installs what the VS Code end-to-end test (test/e2e/vscode.test.ts) drives: code-server
# 4.99.4 from the npm registry (VS Code 1.99.3; the last line whose engines accept Node 20)
# into .e2e/cs499 inside the repo (gitignored). Chromium, ripgrep and the build headers come
# from Debian (scripts/install-system-packages.sh); playwright-core is a devDependency and
# never downloads a browser (the test uses /usr/bin/chromium).
# Idempotent: returns at once when code-server is already there.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
E2E="${E2E:-$REPO/.e2e}"
DIR="$E2E/cs499"
CS="$DIR/node_modules/.bin/code-server"
VERSION=4.99.4
start=$(date +%s)

# Isolated home for code-server's own --version run, so nothing lands in $HOME.
cs_env=(env XDG_CONFIG_HOME="$E2E/cshome/config" XDG_DATA_HOME="$E2E/cshome/data" XDG_CACHE_HOME="$E2E/cshome/cache")
if [ -x "$CS" ] && "${cs_env[@]}" "$CS" --version 2>/dev/null | grep -q "^$VERSION "; then
  exit 0
fi

# chromium, ripgrep, libkrb5-dev (kerberos' gssapi.h), pkg-config, build-essential (node-pty,
# @parcel/watcher, spdlog are compiled at install time).
bash "$REPO/scripts/install-system-packages.sh"

# @vscode/ripgrep's postinstall downloads rg from GitHub, which cannot work here: seed the
# tarball cache it looks into ($TMPDIR/vscode-ripgrep-cache-<version>) with Debian's rg.
mkdir -p "$E2E/tmp"
RGCACHE="$E2E/tmp/vscode-ripgrep-cache-1.15.11"
RGTAR="$RGCACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$RGTAR" ]; then
  mkdir -p "$RGCACHE" "$E2E/rg"
  cp "$(command -v rg)" "$E2E/rg/rg"
  tar czf "$RGTAR" -C "$E2E/rg" rg
fi

mkdir -p "$DIR"
cd "$DIR"
[ -f package.json ] || echo '{ "name": "mailconf-e2e-code-server", "private": true }' > package.json
# unsafe_perm: code-server's postinstall refuses to run as root otherwise;
# yes: node-pty runs `npx node-gyp` and would wait for a confirmation.
TMPDIR="$E2E/tmp" npm_config_unsafe_perm=true npm_config_yes=true npm_config_fund=false npm_config_audit=false \
  npm install "code-server@$VERSION" --foreground-scripts > "$E2E/install-code-server.log" 2>&1 \
  || { tail -40 "$E2E/install-code-server.log" >&2; echo "code-server install failed; full log: $E2E/install-code-server.log" >&2; exit 1; }
"${cs_env[@]}" "$CS" --version
echo "code-server $VERSION installed in $DIR in $(( $(date +%s) - start )) s"
