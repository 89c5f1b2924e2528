#!/bin/sh
# tests/run.sh: the whole test suite, called by `make test` (and `make test-asan`).
#   1. C unit tests of the JSON scanner and line reader (built with ASan+UBSan)
#   2. golden SQL tests: tests/sql/NNN_topic.sql run through sqlite3, output compared
#      with NNN_topic.out (UPDATE=1 rewrites the .out files: review the diff)
#   3. cross-checks in Python against independent computations (tests/check_*.py; exit
#      77 = skipped, printed as "skip", counted neither way: only where a client the
#      check drives cannot be installed)
#   4. the golden SQL tests again with the extension built under ASan+UBSan
#   5. fuzz regressions (tests/fuzz/regressions/) replayed through the unit binary
# Output ends with the line "N passed, N failed"; the exit status is 1 on any failure.
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
OUT="$ROOT/tests/out"
PY=/usr/bin/python3
pass=0
fail=0
ok() { pass=$((pass + 1)); printf 'ok   %s\n' "$1"; }
bad() { fail=$((fail + 1)); printf 'FAIL %s\n' "$1"; }

rm -rf "$OUT"
mkdir -p "$OUT"
# The gen-corpus tree (seed 25, with its expected.json) ships as a tarball so that the
# file mtimes the dedup tie-break uses survive a git checkout.
mkdir -p "$OUT/corpus" && tar xzf tests/fixtures/corpus-s25.tar.gz -C "$OUT/corpus"
# The hand-made traps need session aaaa1111 to be older than its resumed copy bbbb2222.
T=tests/fixtures/traps/claude/projects/-home-u-app
touch -d '2026-03-01 11:00:00Z' $T/aaaa1111-0000-4000-8000-000000000001.jsonl \
  $T/aaaa1111-0000-4000-8000-000000000001/subagents/agent-aside_question-1.jsonl
touch -d '2026-03-02 10:00:00Z' $T/bbbb2222-0000-4000-8000-000000000002.jsonl
touch -d '2026-03-04 00:00:00Z' tests/fixtures/traps/claude/projects/C--src-delete-ansible/*.gz

run_golden() { # $1: extension path, $2: label
  so=$1
  for sql in tests/sql/*.sql; do
    name=$(basename "$sql" .sql)
    exp="tests/sql/$name.out"
    got="$OUT/$name$2.out"
    env TZ=UTC LC_ALL=C HOME="$ROOT/tests/fixtures/home" LUMO_TEST_OUT="$OUT" $3 \
      sqlite3 -header -nullvalue NULL -cmd ".load $so" :memory: <"$sql" >"$got" 2>"$got.err"
    # Errors are part of the golden output, after the rows (stable ordering).
    if [ -s "$got.err" ]; then echo "-- stderr:" >>"$got"; cat "$got.err" >>"$got"; fi
    if [ "${UPDATE:-}" = 1 ] && [ -z "$2" ]; then cp "$got" "$exp"; fi
    if [ -f "$exp" ] && cmp -s "$exp" "$got"; then
      ok "golden $name$2"
    else
      bad "golden $name$2"
      diff -u "$exp" "$got" | head -40
    fi
  done
}

if [ -z "${LUMO_ONLY_ASAN:-}" ]; then
  # 1. unit tests
  if make -s dist/test_json >"$OUT/unit-build.log" 2>&1; then
    ./dist/test_json >"$OUT/unit.log" 2>&1
    rc=$?
    grep -E '^(ok|FAIL)' "$OUT/unit.log" | grep FAIL
    if [ $rc = 0 ]; then ok "unit: $(grep -c '^ok' "$OUT/unit.log") scanner/reader cases"; else bad "unit tests (tests/out/unit.log)"; fi
  else
    bad "unit build"; cat "$OUT/unit-build.log"
  fi
  # 2. golden SQL
  run_golden dist/lumo "" ""
  # 3. independent cross-checks
  for chk in tests/check_*.py; do
    $PY "$chk" >"$OUT/$(basename "$chk" .py).log" 2>&1
    rc=$?
    if [ $rc = 0 ]; then ok "$(basename "$chk")"
    elif [ $rc = 77 ]; then printf 'skip %s: %s\n' "$(basename "$chk")" "$(grep -m1 '^SKIP' "$OUT/$(basename "$chk" .py).log")"
    else bad "$(basename "$chk")"; tail -20 "$OUT/$(basename "$chk" .py).log"; fi
  done
  # docs: the README reference section is generated from the code and must be current
  if $PY scripts/gendoc.py --check >"$OUT/docs.log" 2>&1; then ok "docs-check (README reference = lumo_reference)"
  else bad "docs-check"; cat "$OUT/docs.log"; fi
  # the build is warning-free under clang too
  if command -v clang >/dev/null; then
    if clang -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -D_GNU_SOURCE -Idist -fPIC \
        -fvisibility=hidden -shared -o "$OUT/lumo-clang.so" ext/*.c -lz -lm -lpthread >"$OUT/clang.log" 2>&1; then
      ok "clang build, -Wall -Wextra -Werror"
    else bad "clang build"; cat "$OUT/clang.log"; fi
  else bad "clang build: clang not installed (make deps installs it)"; fi
  # valgrind over the trap goldens: no invalid access, no leak
  if command -v valgrind >/dev/null; then
    for sql in tests/sql/010_traps_usage.sql tests/sql/011_traps_messages.sql tests/sql/012_traps_tool_uses.sql tests/sql/021_pricing_functions.sql tests/sql/060_gemini.sql tests/sql/070_codex.sql tests/sql/090_otlp.sql; do
      if env TZ=UTC valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
          sqlite3 -cmd ".load dist/lumo" :memory: <"$sql" >"$OUT/valgrind.out" 2>"$OUT/valgrind.log"; then
        ok "valgrind $(basename "$sql" .sql)"
      elif grep -q "==[0-9]*==" "$OUT/valgrind.log"; then bad "valgrind $(basename "$sql" .sql)"; head -30 "$OUT/valgrind.log"
      else ok "valgrind $(basename "$sql" .sql) (SQL errors are part of the golden)"; fi
    done
  else bad "valgrind not installed (make deps installs it)"; fi
  # 5. fuzz regressions
  for f in tests/fuzz/regressions/*; do
    [ -f "$f" ] || continue
    if ./dist/test_json --replay "$f" >/dev/null 2>&1; then ok "fuzz regression $(basename "$f")"
    else bad "fuzz regression $(basename "$f")"; fi
  done
fi

# 4. the goldens under ASan+UBSan: the sanitizer runtimes are preloaded into sqlite3.
if make -s dist/asan/lumo.so >"$OUT/asan-build.log" 2>&1; then
  ASAN_LIB=$(cc -print-file-name=libasan.so)
  UBSAN_LIB=$(cc -print-file-name=libubsan.so)
  run_golden dist/asan/lumo "-asan" \
    "LD_PRELOAD=$ASAN_LIB:$UBSAN_LIB ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1"
  # the threaded claude_usage scan and a sync under the sanitizers, answers unchanged
  Q="select count(*), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens) from claude_usage('$OUT/corpus/claude')"
  want=$(LUMO_THREADS=1 sqlite3 -cmd ".load dist/lumo" :memory: "$Q")
  got=$(env LUMO_THREADS=3 LD_PRELOAD="$ASAN_LIB:$UBSAN_LIB" ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
        UBSAN_OPTIONS=halt_on_error=1 sqlite3 -cmd ".load dist/asan/lumo" :memory: "$Q" 2>"$OUT/asan-threads.log")
  if [ -n "$want" ] && [ "$want" = "$got" ] && [ ! -s "$OUT/asan-threads.log" ]; then ok "asan: 3-thread claude_usage = 1-thread ($got)"
  else bad "asan: threaded claude_usage ($want vs $got)"; head -30 "$OUT/asan-threads.log"; fi
  rm -f "$OUT/asan.db"*
  if env TZ=UTC LD_PRELOAD="$ASAN_LIB:$UBSAN_LIB" ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1 \
      sqlite3 -cmd ".load dist/asan/lumo" "$OUT/asan.db" "select lumo_sync('$OUT/corpus/claude')" \
      "select count(*) from blocks" "select count(*) from session_messages" >"$OUT/asan-sync.out" 2>"$OUT/asan-sync.log" \
      && [ ! -s "$OUT/asan-sync.log" ]; then ok "asan: lumo_sync of the corpus and the views"
  else bad "asan: lumo_sync"; head -30 "$OUT/asan-sync.log"; fi
else
  bad "asan build"; cat "$OUT/asan-build.log"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
