#!/usr/bin/env bash
# The order-benchmark tools' own tests, run by `make test` (suite "orders-bench"):
#  1. utils/ordis-bench/lua_check.sh: the Redis Functions emulation
#     (utils/redis-orders.lua) against a real redis-server;
#  2. ordis-bench --self-test: the generator's RESP scanner against hiredis;
#  3. ordis-bench --check, seeds 1-3: the same deterministic ORDER.* sequence
#     on ordis and on redis-server + the emulation, every reply compared. This
#     is what shows the benchmark compares like with like.
# Prints "SUITE-RESULT orders-bench <passed> <failed>".
#
#   ORDIS_SERVER  ordis binary (default build/release/ordis-server)
#   ORDIS_BENCH   generator binary (default build/release/ordis-bench)
set -u
cd "$(dirname "$0")/../.."
ORDIS=${ORDIS_SERVER:-build/release/ordis-server}
GEN=${ORDIS_BENCH:-build/release/ordis-bench}
pass=0 fail=0
result() {
  if [ "$2" = 0 ]; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; fi
}

out=$(bash utils/ordis-bench/lua_check.sh 2>&1)
rc=$?
grep -v '^SUITE-RESULT' <<<"$out" | tail -5
result "lua_check ($(grep '^SUITE-RESULT' <<<"$out" | awk '{print $3 " checks passed, " $4 " failed"}'))" $rc

"$GEN" --self-test >/tmp/ordis-bench-selftest.$$ 2>&1
result "ordis-bench --self-test" $?
rm -f /tmp/ordis-bench-selftest.$$

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done' EXIT
po=$(free_port) pr=$(free_port)
"$ORDIS" --port "$po" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning >/dev/null 2>&1 &
pids+=($!)
redis-server --port "$pr" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning >/dev/null 2>&1 &
pids+=($!)
for p in $po $pr; do
  for _ in $(seq 50); do redis-cli -p "$p" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
done
redis-cli -p "$pr" -x FUNCTION LOAD REPLACE <utils/redis-orders.lua >/dev/null
for seed in 1 2 3; do
  line=$("$GEN" --check --port "$po" --redis-port "$pr" --seed $seed 2>&1)
  rc=$?
  echo "$line" | head -3
  result "ordis-bench --check --seed $seed" $rc
done
echo "SUITE-RESULT orders-bench $pass $fail"
[ "$fail" = 0 ]
