#!/usr/bin/env bash
# Makes sure the Fashion-MNIST IDX files (Debian's dataset-fashion-mnist, MIT licence) are present: the
# real-data parity test classifies its 10,000 test images, and verify/python/train_fashion.py trains on it.
# Idempotent and fast when they are present. Prints the directory holding the files on stdout.
set -euo pipefail

DIR=${GHOSTNET_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
FILES="train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz"
present() { for f in $FILES; do [ -s "$DIR/$f" ] || return 1; done; }

if ! present && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "provisioning Fashion-MNIST: apt-get install dataset-fashion-mnist" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq dataset-fashion-mnist >&2 || { apt-get update -qq >&2 && apt-get install -y -qq dataset-fashion-mnist >&2; }
fi
if present; then
  echo "$DIR"
  exit 0
fi
echo "error: the Fashion-MNIST files ($FILES) are not in $DIR and could not be installed here." >&2
echo "       On Debian as root: apt-get install -y dataset-fashion-mnist" >&2
echo "       Elsewhere: download them from https://github.com/zalandoresearch/fashion-mnist and point" >&2
echo "       GHOSTNET_FASHION_MNIST at their directory." >&2
exit 1
