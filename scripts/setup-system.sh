#!/usr/bin/env bash
# Installs the Debian packages a build needs when they are missing (OpenSSL's headers for the
# bundled PostgreSQL client library, pkg-config), or the packages named as arguments (`make setup-browser`: chromium and
# a Japanese font for the SPA's browser tests). Run by `make run`, `make test` and CI; does
# nothing when all are there.
set -euo pipefail

packages=(libssl-dev pkg-config)
[ $# -gt 0 ] && packages=("$@")
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: please install: ${missing[*]} (Debian/Ubuntu names)" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
