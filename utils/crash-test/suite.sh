#!/usr/bin/env bash
# The crash tester in `make test` (suite "crash-test"), the short setting:
#  1. --no-kill against ordis: the model and the verification agree with a
#     live server, in-doubt operations included (a check of the tester);
#  2. --no-kill --tamper: a write behind the clients' backs is detected in
#     every cycle (the verification can fail);
#  3. positive control: redis-server with appendfsync always, kill -9
#     cycles, keys only (--no-orders): nothing lost;
#  4. negative control: ordis with appendonly no: --expect-loss (kill -9
#     loses writes and the tester says so);
#  5. the test itself: ordis with appendonly yes, appendfsync always,
#     CRASH_SUITE_CYCLES (default 20) kill -9 cycles, BGSAVE and
#     BGREWRITEAOF shortly before some kills, some right after a WAL
#     segment switch: 0 lost, 0 mismatched;
#  6. the same with 256 KB WAL segments (a switch every few ms) and the
#     fsync-thread I/O path (wal-io thread), 10 cycles.
# `make crash-test` is the long setting (200 cycles).
# Prints "SUITE-RESULT crash-test <passed> <failed>".
#
#   ORDIS_SERVER        ordis binary (default build/release/ordis-server)
#   CRASH_TEST          tester binary (default build/release/crash-test)
#   CRASH_SUITE_CYCLES  cycles of step 5 (default 20)
#   CRASH_PORT_BASE     ports BASE+1..BASE+6 (default: free ports the tester picks)
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build/release}
ORDIS=${ORDIS_SERVER:-$BUILD/ordis-server}
TESTER=${CRASH_TEST:-$BUILD/crash-test}
CYCLES=${CRASH_SUITE_CYCLES:-20}
logs=$(mktemp -d /tmp/crash-suite.XXXXXX)
pass=0 fail=0
step=0

# run <name> <tester args...>: runs the tester, shows its summary lines.
run() {
  local name=$1; shift
  step=$((step + 1))
  local port=()
  if [ -n "${CRASH_PORT_BASE:-}" ]; then port=(--port $((CRASH_PORT_BASE + step))); fi
  local log="$logs/$step.log"
  "$TESTER" "${port[@]}" "$@" >"$log" 2>&1
  local rc=$?
  grep -E '^crash-test: ([0-9]+ (cycles|failed)|--)' "$log" | sed 's/^/     /'
  if [ $rc = 0 ]; then
    pass=$((pass + 1)); echo "ok   $name"
  else
    fail=$((fail + 1)); echo "FAIL $name (log: $log)"
    grep -E 'FAIL|^    ' "$log" | head -20 | sed 's/^/     /'
  fi
}

run "crash-test --no-kill (model vs live ordis)" \
  --server "$ORDIS" --no-kill --cycles 5 --max-ms 400 --preload 2000 --seed 1 \
  --rotation-percent 0
run "crash-test --no-kill --tamper (differences are detected)" \
  --server "$ORDIS" --no-kill --tamper --cycles 6 --max-ms 300 --preload 1000 --seed 2 \
  --rotation-percent 0
if command -v redis-server >/dev/null; then
  run "crash-test vs redis-server, appendfsync always (positive control)" \
    --server "$(command -v redis-server)" --no-orders --cycles 8 --max-ms 600 --preload 5000 \
    --seed 3 --rotation-percent 0 -- --save ''
else
  fail=$((fail + 1)); echo "FAIL redis-server is not installed (make deps)"
fi
run "crash-test --expect-loss vs ordis with appendonly no (negative control)" \
  --server "$ORDIS" --expect-loss --cycles 2 --max-ms 300 --preload 1000 --seed 4 \
  --max-fail-copies 0 -- --appendonly no
seed=$RANDOM
run "crash-test vs ordis, appendfsync always, $CYCLES kill -9 cycles (seed $seed)" \
  --server "$ORDIS" --cycles "$CYCLES" --max-ms 600 --preload 5000 --seed "$seed"
run "crash-test vs ordis, 256 KB WAL segments, wal-io thread, 10 cycles (seed $((seed + 1)))" \
  --server "$ORDIS" --cycles 10 --max-ms 600 --preload 5000 --seed $((seed + 1)) \
  --rotation-percent 50 -- --wal-segment-size 256kb --wal-io thread
[ "$fail" = 0 ] && rm -rf "$logs"
echo "SUITE-RESULT crash-test $pass $fail"
[ "$fail" = 0 ]
