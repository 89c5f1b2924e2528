#!/bin/sh
# tests/bench/run.sh: `make bench` (not part of `make test`). Needs npm for the peer.
set -eu
cd "$(dirname "$0")/../.."
command -v npm >/dev/null || { echo "bench: npm is needed to install the peer (ccusage); apt-get install npm" >&2; exit 1; }
exec /usr/bin/python3 tests/bench/bench.py
