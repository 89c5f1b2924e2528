#!/bin/sh
# tests/fuzz/run.sh SECONDS: builds the libFuzzer target with clang (ASan+UBSan) and runs
# it for SECONDS, seeded with lines of the test fixtures. A crashing input is copied to
# tests/fuzz/regressions/, which `make test` replays.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
DEPS_EXTRA="clang libclang-rt-14-dev" sh scripts/deps.sh
mkdir -p dist/fuzz-corpus dist/fuzz-artifacts
clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -DSQLITE_CORE -Iext \
  -Idist -o dist/fuzz_scanner tests/fuzz/fuzz_scanner.c $(ls ext/*.c) -lsqlite3 -lz -lm -lpthread
# Seeds: the first 200 lines of each fixture transcript, one file per line.
i=0
for f in $(find tests/fixtures/real tests/fixtures/traps -name '*.jsonl' | sort); do  # Claude, Codex, Gemini lines
  head -n 200 "$f" | while IFS= read -r line; do
    i=$((i + 1)); printf '%s' "$line" >"dist/fuzz-corpus/$(basename "$f").$i"
  done
done
# OTLP requests, one line each (the captures' payloads out of their envelopes).
for f in $(find tests/fixtures/real/otlp -name '*.json' | sort); do
  /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.stdout.write(json.dumps(d.get("payload", d)))' \
    "$f" >"dist/fuzz-corpus/otlp-$(basename "$f")"
done
cp tests/fuzz/regressions/* dist/fuzz-corpus/ 2>/dev/null || true
status=0
./dist/fuzz_scanner -max_total_time="$secs" -max_len=65536 -dict=tests/fuzz/json.dict \
  -artifact_prefix=dist/fuzz-artifacts/ dist/fuzz-corpus || status=$?
for a in dist/fuzz-artifacts/*; do
  [ -f "$a" ] && cp "$a" tests/fuzz/regressions/ && echo "fuzz: kept $(basename "$a") in tests/fuzz/regressions/"
done
exit $status
