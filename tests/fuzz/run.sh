#!/bin/sh
# tests/fuzz/run.sh SECONDS [TARGET[:SECONDS]...]: builds the libFuzzer targets with clang
# (ASan+UBSan, leak detection on) and fuzzes each TARGET for SECONDS (wall clock; its own
# when given as TARGET:SECONDS), one after the other, under `nice -n 19`. An input that
# runs longer than 60 s is a finding (a hang: libFuzzer's default waits 20 minutes).
# Targets: scanner (fuzz_scanner.c: the JSON scanner and line parsers in-process) and the
# readers driven through SQL by fuzz_sql.c: claude codex gemini_json gemini_jsonl
# opencode_json opencode_db otlp prices sync (all of them by default).
# Each run appends a line to tests/fuzz/hours.tsv (the CPU time it spent; the README's
# table of fuzz hours is rewritten from it at the end, tests/check_fuzz_hours.py), keeps
# a crashing input in tests/fuzz/regressions/TARGET/ (replayed by `make test`) and merges
# what it found into the minimised seed corpus tests/fuzz/corpus/TARGET/ (a few small
# inputs a run; the whole grown corpus stays in dist/fuzz-corpus/, which later runs on
# the same machine resume from).
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-scanner claude codex gemini_json gemini_jsonl opencode_json opencode_db otlp prices sync}
DEPS_EXTRA="clang libclang-rt-14-dev time" sh scripts/deps.sh
zstd=$(printf '#include <zstd.h>\n' | cc -E -x c - >/dev/null 2>&1 && echo "-DLUMO_HAVE_ZSTD -lzstd" || true)
make -s dist/schema_sql.h
CL="clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -D_GNU_SOURCE -DSQLITE_CORE -Iext -Idist"
$CL -o dist/fuzz_scanner tests/fuzz/fuzz_scanner.c ext/*.c -lsqlite3 -lz -lm -lpthread $zstd
$CL -o dist/fuzz_sql tests/fuzz/fuzz_sql.c ext/*.c -lsqlite3 -lz -lm -lpthread $zstd
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -f tests/fuzz/hours.tsv ] || printf 'date\ttarget\tcpu_seconds\texecs\tfindings\tcommit\n' >tests/fuzz/hours.tsv
status=0
for spec in $targets; do
  t=${spec%%:*}
  tsecs=$secs
  [ "$t" = "$spec" ] || tsecs=${spec#*:}
  work=dist/fuzz-corpus/$t
  mkdir -p "$work" "dist/fuzz-artifacts/$t"
  rm -f dist/fuzz-artifacts/$t/*
  if [ "$t" = scanner ]; then
    bin=./dist/fuzz_scanner
    # Seeds: lines of the fixture transcripts, one file per line, and the OTLP payloads.
    if [ -z "$(ls "$work")" ]; then
      i=0
      for f in $(find tests/fixtures/real tests/fixtures/traps -name '*.jsonl' | sort); do
        head -n 200 "$f" | while IFS= read -r line; do
          i=$((i + 1)); printf '%s' "$line" >"$work/$(basename "$f").$i"
        done
      done
    fi
  else
    bin=./dist/fuzz_sql
  fi
  cp tests/fuzz/corpus/$t/* "$work/" 2>/dev/null || true
  cp tests/fuzz/regressions/$t/* "$work/" 2>/dev/null || true
  rc=0
  LUMO_FUZZ_TARGET=$t nice -n 19 /usr/bin/time -f '%U %S' -o dist/fuzz-$t.time \
    $bin -max_total_time="$tsecs" -timeout=60 -max_len=4096 -dict=tests/fuzz/json.dict -print_final_stats=1 \
    -artifact_prefix=dist/fuzz-artifacts/$t/ "$work" >dist/fuzz-$t.log 2>&1 || rc=$?
  cpu=$(awk 'END { printf "%.0f", $1 + $2 }' dist/fuzz-$t.time)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' dist/fuzz-$t.log | tail -n 1)
  found=0
  for a in dist/fuzz-artifacts/$t/*; do
    [ -f "$a" ] || continue
    found=$((found + 1)); mkdir -p tests/fuzz/regressions/$t
    cp "$a" tests/fuzz/regressions/$t/ && echo "fuzz $t: kept $(basename "$a") in tests/fuzz/regressions/$t/"
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$t" "$cpu" "${execs:-0}" "$found" "$commit" >>tests/fuzz/hours.tsv
  echo "fuzz $t: ${cpu}s CPU, ${execs:-0} inputs, $found findings (exit $rc; log dist/fuzz-$t.log)"
  [ $rc = 0 ] || status=$rc
  # Keep the committed corpus small: of what the run found, the smallest new inputs of a
  # minimising merge, at most 8 KiB a run and 36 KiB a target (the rest stays in dist/).
  if [ "$t" != scanner ]; then
    rm -rf dist/fuzz-merged && mkdir -p dist/fuzz-merged "tests/fuzz/corpus/$t"
    if LUMO_FUZZ_TARGET=$t $bin -merge=1 dist/fuzz-merged "$work" >dist/fuzz-$t-merge.log 2>&1; then
      added=0
      for f in $(ls -Sr dist/fuzz-merged); do
        [ -f "tests/fuzz/corpus/$t/$f" ] && continue
        n=$(wc -c <"dist/fuzz-merged/$f")
        have=$(cat tests/fuzz/corpus/$t/* 2>/dev/null | wc -c)
        [ $((added + n)) -le 8192 ] && [ $((have + n)) -le 36864 ] || break
        cp "dist/fuzz-merged/$f" "tests/fuzz/corpus/$t/" && added=$((added + n))
      done
    fi
  fi
done
# Totals per target over every run recorded (the issue asks for >= 1 CPU-hour each), and
# the README's table of them.
/usr/bin/python3 tests/check_fuzz_hours.py --write
awk -F'\t' 'NR > 1 { s[$2] += $3 } END { for (t in s) printf "fuzz total %-14s %6.2f CPU-hours\n", t, s[t] / 3600 }' \
  tests/fuzz/hours.tsv | sort
exit $status
