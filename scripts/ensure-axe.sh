#!/usr/bin/env bash
# axe-core for the browser tests' accessibility pass (tests/support/accessibility.py): the npm
# package pinned in tests/support/axe/package-lock.json, installed with `npm ci` into
# tests/support/axe/node_modules/ (ignored by git). Node and npm come from Debian's `nodejs` and
# `npm` packages when they are missing. Nothing is downloaded when the pinned version is there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../tests/support/axe"
want=$(sed -n 's/.*"axe-core": "\([0-9.]*\)".*/\1/p' package.json)
have=$(sed -n 's/.*"version": "\([0-9.]*\)".*/\1/p' node_modules/axe-core/package.json 2>/dev/null | head -1 || true)
if [ -f node_modules/axe-core/axe.min.js ] && [ "$have" = "$want" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y --no-install-recommends nodejs npm || {
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends nodejs npm
  }
fi
npm ci --no-audit --no-fund --ignore-scripts
test -f node_modules/axe-core/axe.min.js
