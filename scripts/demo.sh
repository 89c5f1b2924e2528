#!/bin/sh
# demo.sh: `make demo`: syncs the shipped demo home (examples/demo-home) into a scratch
# lumo database and prints the dashboard, as a user would with scripts/lumo.
set -eu
cd "$(dirname "$0")/.."
DB=dist/demo.db
rm -f "$DB" "$DB-wal" "$DB-shm"
export CLAUDE_CONFIG_DIR="$PWD/examples/demo-home/.claude" GEMINI_CLI_HOME="$PWD/examples/demo-home" \
  CODEX_HOME="$PWD/examples/demo-home/.codex" LUMO_OTLP_DIR="$PWD/examples/demo-home/.lumo/otlp" \
  TZ="${TZ:-UTC}" LUMO_MACHINE=demo
echo "lumo $(sqlite3 :memory: -cmd '.load dist/lumo' 'select lumo_version()'): syncing examples/demo-home into $DB"
python3 scripts/lumo sync --db "$DB"
python3 scripts/lumo dashboard --db "$DB"
echo "Straight from the transcripts, without a database: examples/dashboard.sql"
sqlite3 :memory: -cmd '.load dist/lumo' -cmd '.mode box' \
  "SELECT count(*) AS responses, printf('\$%.2f', sum(cost_usd)) AS cost, sum(cost_usd IS NULL) AS unpriced FROM claude_usage"
