#!/bin/sh
# tests/bench/run.sh: `make bench` (not part of `make test`). Needs npm for the peer.
set -eu
cd "$(dirname "$0")/../.."
command -v npm >/dev/null || { echo "bench: npm is needed to install the peer (ccusage); apt-get install npm" >&2; exit 1; }
/usr/bin/python3 tests/bench/bench.py
# the Datasette dashboard's page and panel timings (its own section of results.md)
exec /usr/bin/python3 tests/bench/dashboard.py
