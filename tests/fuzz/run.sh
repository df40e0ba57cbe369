#!/usr/bin/env bash
# Builds the libFuzzer target (clang++, ASan + UBSan, no jemalloc) into
# build/fuzz/ and runs it for SECONDS (default 60). Last line:
#   SUITE-RESULT fuzz 1 0    no crash
#   SUITE-RESULT fuzz 0 1    crash, build failure or fuzzer error; the
#                            reproducer's path is printed above it
# Reproduce: build/fuzz/request-fuzzer <reproducer>
# New interesting inputs accumulate in build/fuzz/corpus (the seeds in
# tests/fuzz/corpus stay small and hand-written).
set -u
cd "$(dirname "$0")/../.."
secs=${1:-60}
out=build/fuzz
CLANG=${CLANG:-clang++}
san='-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer'

fail() {
  echo "fuzz: $*"
  echo "SUITE-RESULT fuzz 0 1"
  exit 1
}

command -v "$CLANG" >/dev/null || fail "$CLANG not found (apt-get install clang)"
# The project's own Makefile builds the library with clang, coverage
# instrumentation and sanitizers (SAN set = no jemalloc).
make --no-print-directory CXX="$CLANG" BUILD=$out OPT=-O1 \
  SAN="$san -fsanitize=fuzzer-no-link" $out/libordis.a || fail "library build failed"
src=tests/fuzz/request_fuzzer.cpp
bin=$out/request-fuzzer
if [ ! -x $bin ] || [ $src -nt $bin ] || [ $out/libordis.a -nt $bin ]; then
  echo "  LINK $bin"
  "$CLANG" -std=c++20 -O1 -g -Wall -Wextra -Werror -Isrc $san -fsanitize=fuzzer \
    $src $out/libordis.a -levent_core -luring -lnuma -lpthread -o $bin || fail "fuzzer build failed"
fi

mkdir -p $out/corpus $out/artifacts
log=$out/fuzz.log
echo "fuzzing for ${secs}s (log: $log)"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
  $bin -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=4096 \
  -dict=tests/fuzz/resp.dict -artifact_prefix=$out/artifacts/ -print_final_stats=1 \
  $out/corpus tests/fuzz/corpus >$log 2>&1
rc=$?
grep -E '^#[0-9]+.*DONE|^stat::number_of_executed_units|^stat::peak_rss_mb' $log | tail -3
if [ $rc -ne 0 ]; then
  grep -E 'ERROR:|SUMMARY:|request_fuzzer:|runtime error' $log | head -5
  artifact=$(grep -oE 'Test unit written to [^ ]+' $log | tail -1 | sed 's/Test unit written to //')
  echo "fuzz: exit code $rc; reproducer: ${artifact:-none} (full log $log)"
  echo "SUITE-RESULT fuzz 0 1"
  exit 1
fi
echo "SUITE-RESULT fuzz 1 0"
