#!/usr/bin/env bash
# Debian's chromium for the browser tests (tests/e2e/test_web_*.py): Playwright drives this
# system browser; Playwright's own browser downloads are never used.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y --no-install-recommends chromium || {
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends chromium
}
test -x /usr/bin/chromium
