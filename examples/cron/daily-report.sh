#!/bin/sh
# daily-report.sh: syncs, then writes yesterday's usage as CSV and JSON into
# $LUMO_REPORTS (default ~/.lumo/reports) and prints it as a table for cron's mail.
#   LUMO_DB=... LUMO_REPORTS=... TZ=Area/City examples/cron/daily-report.sh [DAY]
# DAY (YYYY-MM-DD) defaults to yesterday in TZ.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
LUMO="python3 $HERE/../../scripts/lumo"
out=${LUMO_REPORTS:-$HOME/.lumo/reports}
day=${1:-$(date -d yesterday +%Y-%m-%d)}
mkdir -p "$out"
$LUMO sync >/dev/null 2>&1
$LUMO report daily --since "$day" --until "$day" --csv >"$out/daily-$day.csv"
$LUMO report daily --since "$day" --until "$day" --json >"$out/daily-$day.json"
echo "lumo: usage on $day (written to $out/daily-$day.csv and .json)"
$LUMO report daily --since "$day" --until "$day" --table
