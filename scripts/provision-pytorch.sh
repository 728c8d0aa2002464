#!/usr/bin/env bash
# Makes sure /usr/bin/python3 can import torch, torchvision, PIL and numpy (the test suite's reference).
# Idempotent and fast when they are present. PyPI is not reachable on our machines, so the source is
# Debian's packages; elsewhere this stops with a message saying what to install.
set -euo pipefail

PYTHON=${GHOSTNET_PYTHON:-/usr/bin/python3}
probe() { "$PYTHON" -c 'import torch, torchvision, PIL, numpy' >/dev/null 2>&1; }

if probe; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "provisioning PyTorch: apt-get install python3-torch python3-torchvision python3-pil python3-numpy" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq python3-torch python3-torchvision python3-pil python3-numpy >&2
  if probe; then
    exit 0
  fi
fi
echo "error: $PYTHON cannot import torch, torchvision, PIL and numpy, and they could not be installed here." >&2
echo "       On Debian as root: apt-get install -y python3-torch python3-torchvision python3-pil python3-numpy" >&2
echo "       Elsewhere: point GHOSTNET_PYTHON at a Python 3 with torch (1.13+), torchvision, pillow and numpy." >&2
exit 1
