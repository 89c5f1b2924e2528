#!/bin/sh
# daily-report.sh: syncs, then writes yesterday's usage as CSV and JSON into
# $LUMO_REPORTS (default ~/.lumo/reports) and prints it as a table for cron's mail.
#   LUMO_DB=... LUMO_REPORTS=... TZ=Area/City examples/cron/daily-report.sh [DAY]
# DAY (YYYY-MM-DD) defaults to yesterday in TZ. On a day without usage the CSV holds its
# header only, the JSON is [] and the mail says so.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
LUMO="python3 $HERE/../../scripts/lumo"
out=${LUMO_REPORTS:-$HOME/.lumo/reports}
day=${1:-$(date -d yesterday +%Y-%m-%d)}
mkdir -p "$out"
$LUMO sync -q || echo "lumo: the sync failed (above); the report is from the database as it was"
$LUMO report daily --no-sync --since "$day" --until "$day" --csv >"$out/daily-$day.csv"
$LUMO report daily --no-sync --since "$day" --until "$day" --json >"$out/daily-$day.json"
if [ "$(wc -l <"$out/daily-$day.csv")" -le 1 ]; then
  echo "lumo: no usage on $day (written to $out/daily-$day.csv, header only, and .json, [])"
else
  echo "lumo: usage on $day (written to $out/daily-$day.csv and .json)"
fi
$LUMO report daily --no-sync --since "$day" --until "$day" --table
