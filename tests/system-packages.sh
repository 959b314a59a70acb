#!/usr/bin/env bash
# The Debian packages the test suite needs, installed when missing (make test runs this first).
#  - chromium: the browser tests drive Debian's headless Chromium through Playwright;
#  - virtuoso-opensource: the remote-store tests run a throwaway Virtuoso server (virtuoso-t, isql-vt).
# As root with apt-get, missing packages are installed; otherwise the command to run is printed and the
# tests do not start (they would fail, never skip, without them).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
{ command -v virtuoso-t && command -v isql-vt; } >/dev/null 2>&1 || missing+=(virtuoso-opensource)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing the Debian packages the tests need: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive  # Virtuoso's package then skips its password question
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "the tests need these Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
