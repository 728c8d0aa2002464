#!/usr/bin/env bash
# Makes sure headless Chromium and its WebDriver are installed (the serve module's browser test drives the
# page at / with them through Selenium). Idempotent and fast when they are present. The source is Debian's
# packages; elsewhere this stops with a message saying what to install.
set -euo pipefail

CHROMIUM=${GHOSTNET_CHROMIUM:-/usr/bin/chromium}
DRIVER=${GHOSTNET_CHROMEDRIVER:-/usr/bin/chromedriver}
probe() { [ -x "$CHROMIUM" ] && [ -x "$DRIVER" ] && "$DRIVER" --version >/dev/null 2>&1; }

if probe; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "provisioning Chromium: apt-get install chromium chromium-driver" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium chromium-driver >&2
  if probe; then
    exit 0
  fi
fi
echo "error: headless Chromium ($CHROMIUM) and chromedriver ($DRIVER) are missing and could not be installed here." >&2
echo "       On Debian as root: apt-get install -y chromium chromium-driver" >&2
echo "       Elsewhere: point GHOSTNET_CHROMIUM and GHOSTNET_CHROMEDRIVER at a Chromium and its matching driver." >&2
exit 1
