#!/usr/bin/env bash
# Installs the Debian packages whose real programs the tests run against: Postfix's
# postconf, OpenDKIM (opendkim -n, opendkim.conf(5), opendkim-testkey), BIND's
# named-checkzone and named, the independent SPF/DKIM implementations, Neovim (a
# second LSP editor), and what the VS Code tests need: Debian's chromium (driven by
# playwright-core), ripgrep, and the build tools code-server's native modules compile with.
# Idempotent: does nothing when everything is there. Needs root (CI runs as root).
set -euo pipefail

PACKAGES=(postfix opendkim opendkim-tools bind9-utils bind9 python3-dkim python3-spf neovim chromium ripgrep libkrb5-dev pkg-config build-essential)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "mailconf tests need these Debian packages: ${missing[*]}" >&2
  echo "install them as root: apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "Installing Debian packages for the tests: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Postfix must not ask how to configure itself, and no daemon of these packages may start:
# the tests run the programs on their own files, and start named themselves on loopback.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created_policy=1
fi
trap '[ $created_policy -eq 1 ] && rm -f "$policy"' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "Installed: ${missing[*]}"
