#!/bin/sh
# demo.sh: `make demo`: the dashboard of the shipped demo home (examples/demo-home).
set -eu
cd "$(dirname "$0")/.."
export CLAUDE_CONFIG_DIR="$PWD/examples/demo-home/.claude" TZ=UTC
echo "lumo $(sqlite3 :memory: -cmd '.load dist/lumo' 'select lumo_version()') on examples/demo-home"
sqlite3 :memory: -cmd '.load dist/lumo' '.read examples/dashboard.sql'
