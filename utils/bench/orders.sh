#!/usr/bin/env bash
# ordis vs redis-server on the order workload of issue 3, side by side in
# one run (`make bench-orders`; `make bench` runs it after utils/bench/run.sh).
#
# redis-server runs the ORDER.* emulation of utils/redis-orders.lua (Redis
# Functions: FCALL); ordis answers ORDER.* itself. Both without persistence
# (--save '' --appendonly no) on free ports. Steps:
#  1. ordis-bench --check: a deterministic sequence of a few thousand ORDER.*
#     operations on both, every reply compared (is the emulation faithful?);
#  2. the default mix (place=60,open=15,depth=10,amend=5,cancel=5,fill=5) at
#     50 connections, pipeline 1 and 16: each round resets the orders and
#     prefills BENCH_MIX_PREFILL orders first;
#  3. ORDER.DEPTH of 20 levels alone and ORDER.OPEN alone (20 orders per user:
#     BENCH_USERS x 20 orders prefilled once), pipeline 16;
#  4. memory per live order after placing BENCH_MEM_ORDERS orders (ordis:
#     INFO orders order_memory_bytes / orders_live; redis: used_memory
#     growth / orders). ordis's used_memory growth is not shown: the arena
#     keeps the chunks earlier runs committed (ORDER.RESET does not unmap),
#     so its growth here would understate ordis.
# Runs alternate between the servers in BENCH_ROUNDS rounds (who goes first
# flips each round) so drift in the machine's speed hits both alike; ops/s and
# CPU/op are totals over the rounds, p99 the median of the rounds. Server CPU
# per operation is utime+stime from /proc/PID/stat over each run.
# When ordis does not answer ORDER.* (yet), its side is reported unavailable
# and only redis's numbers are printed.
#
# Environment:
#   ORDIS_SERVER   ordis binary (default src/ordis-server)
#   REDIS_SERVER   redis binary (default redis-server)
#   ORDIS_BENCH    ordis-bench binary (default build/release/ordis-bench; built if missing)
#   BENCH_SECONDS  seconds per workload and server, over all rounds (default 10)
#   BENCH_ROUNDS   alternating rounds per workload (default 5)
#   BENCH_USERS, BENCH_SYMBOLS      workload universe (default 10000, 50)
#   BENCH_MIX_PREFILL               orders placed before each mix round (default 20000)
#   BENCH_MEM_ORDERS                orders for the memory row (default 500000)
#   BENCH_PIN=1    pin servers to CPU 1 and the load generator to CPU 0
# Output: a markdown table on stdout; raw lines in build/bench/orders.log.
set -eu
cd "$(dirname "$0")/../.."
ORDIS=${ORDIS_SERVER:-src/ordis-server}
REDIS=${REDIS_SERVER:-redis-server}
GEN=${ORDIS_BENCH:-build/release/ordis-bench}
SECS=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-5}
RSECS=$(awk -v s="$SECS" -v r="$ROUNDS" 'BEGIN {v = s / r; print (v < 1 ? 1 : v)}')
USERS=${BENCH_USERS:-10000}
SYMBOLS=${BENCH_SYMBOLS:-50}
MIX_PREFILL=${BENCH_MIX_PREFILL:-20000}
MEM_ORDERS=${BENCH_MEM_ORDERS:-500000}
CONNS=50
LUA=utils/redis-orders.lua
out=build/bench
mkdir -p $out
log=$out/orders.log
: >"$log"

command -v "$REDIS" >/dev/null || { echo "bench-orders: $REDIS not found"; exit 1; }
command -v redis-cli >/dev/null || { echo "bench-orders: redis-cli not found"; exit 1; }
if [ ! -x "$GEN" ]; then
  make --no-print-directory -s "$GEN" BUILD="$(dirname "$GEN")" >&2
fi

. utils/bench/lib.sh

start redis "$REDIS" "$out/orders-redis.log" || { echo "bench-orders: redis-server did not start"; exit 1; }
redis-cli -p "$PORT_redis" -x FUNCTION LOAD REPLACE <"$LUA" >/dev/null
redis_version=$(redis-cli -p "$PORT_redis" info server | tr -d '\r' | sed -n 's/^redis_version://p')

# Is there an ordis side? It must run and answer ORDER.*.
ORDIS_OK=1 why=
if [ ! -x "$ORDIS" ]; then
  ORDIS_OK=0 why="$ORDIS not built"
elif ! start ordis "$ORDIS" "$out/orders-ordis.log"; then
  ORDIS_OK=0 why="ordis did not start (see $out/orders-ordis.log)"
else
  probe=$(redis-cli -p "$PORT_ordis" ORDER.TOP SYM0001 2>&1 | head -1)
  if [[ "$probe" == ERR* ]]; then ORDIS_OK=0 why="ORDER.TOP -> $probe"; fi
fi
SERVERS="redis"
[ $ORDIS_OK = 1 ] && SERVERS="redis ordis"
[ $ORDIS_OK = 1 ] || echo "bench-orders: ordis side unavailable ($why); running redis only" >&2

check_line="not run: the ordis side is unavailable ($why)"
if [ $ORDIS_OK = 1 ]; then
  set +e
  check_out=$("$GEN" --check --port "$PORT_ordis" --redis-port "$PORT_redis" 2>&1)
  check_rc=$?
  set -e
  echo "$check_out" >>"$log"
  check_line=$(head -1 <<<"$check_out")
  [ $check_rc = 0 ] || { echo "bench-orders: the check found a difference:" >&2; echo "$check_out" >&2; }
fi

order() { if [ $(($1 % 2)) = 0 ]; then echo "$SERVERS"; else echo "$SERVERS" | awk '{for (i = NF; i; i--) printf "%s ", $i}'; fi; }
declare -A R

# run WORKLOAD PIPE MIX EXTRA...: ROUNDS alternating rounds on every server.
run() {
  local w=$1 pipe=$2 mix=$3 s r line port_var pid_var target
  shift 3
  for ((r = 0; r < ROUNDS; r++)); do
    for s in $(order $r); do
      port_var=PORT_$s pid_var=PID_$s
      line=$("${pin_gen[@]}" "$GEN" --port "${!port_var}" --pid "${!pid_var}" --target "$s" \
        --clients $CONNS --pipeline "$pipe" --duration "$RSECS" --users "$USERS" \
        --symbols "$SYMBOLS" --mix "$mix" --seed $((r + 1)) "$@" | tee -a "$log" |
        grep '^summary ' || true)
      [ -n "$line" ] || { echo "bench-orders: $s $w pipeline $pipe failed (see $log)" >&2; exit 1; }
      echo "$s $w pipeline=$pipe round=$r $line" >&2
      R[$s,$w,$pipe,ops]+=" $(field ops "$line")"
      R[$s,$w,$pipe,secs]+=" $(field seconds "$line")"
      R[$s,$w,$pipe,cpu]+=" $(field cpu_us_per_op "$line")"
      R[$s,$w,$pipe,p99s]+=" $(field p99_us "$line")"
      R[$s,$w,$pipe,err]=$((${R[$s,$w,$pipe,err]:-0} + $(field errors "$line") + $(field mismatch "$line")))
    done
  done
  for s in $SERVERS; do
    # ops/s over all rounds; CPU/op weighted by each round's operations.
    R[$s,$w,$pipe,opsps]=$(awk -v o="${R[$s,$w,$pipe,ops]}" -v t="${R[$s,$w,$pipe,secs]}" \
      'BEGIN {n = split(o, a, " "); split(t, b, " "); for (i = 1; i <= n; i++) {x += a[i]; y += b[i]}
              printf "%.0f", x / y}')
    R[$s,$w,$pipe,cpuop]=$(awk -v o="${R[$s,$w,$pipe,ops]}" -v c="${R[$s,$w,$pipe,cpu]}" \
      'BEGIN {n = split(o, a, " "); split(c, b, " "); for (i = 1; i <= n; i++) {x += a[i] * b[i]; y += a[i]}
              if (y > 0 && c !~ /n\/a/) printf "%.2f", x / y; else printf "n/a"}')
    R[$s,$w,$pipe,p99]=$(median <<<"${R[$s,$w,$pipe,p99s]}")
  done
}

reset_prefill() {  # reset_prefill SERVER N: a fresh book of N orders
  local port_var=PORT_$1
  "$GEN" --port "${!port_var}" --target "$1" --reset --fill "$2" --users "$USERS" \
    --symbols "$SYMBOLS" >>"$log" 2>&1 ||
    echo "bench-orders: $1: errors while placing $2 orders (see $log)" >&2
}

for pipe in 1 16; do
  run mix $pipe place=60,open=15,depth=10,amend=5,cancel=5,fill=5 --reset --prefill "$MIX_PREFILL"
done
# Read-only workloads on a book of 20 orders per user.
for s in $SERVERS; do reset_prefill "$s" $((USERS * 20)); done
run depth 16 depth=100
run open 16 open=100

# Memory per live order.
for s in $SERVERS; do
  reset_prefill "$s" "$MEM_ORDERS"
  line=$(grep '^fill ' "$log" | tail -1)
  R[$s,mem]=$(field mem_bytes_per_live_order "$line")
  R[$s,used]=$(field used_memory_delta_per_live_order "$line")
done

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f×", a / b; else printf "n/a" }'
}
ms() { awk -v a="$1" 'BEGIN { if (a == "") print "—"; else printf "%.3f", a / 1000 }'; }
val() { if [ $ORDIS_OK = 1 ] || [ "$1" = redis ]; then echo "${R[$1,$2]:-n/a}"; else echo "—"; fi; }

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo
echo "### Order workload: ordis vs redis-server $redis_version (ORDER.* as Redis Functions)"
echo
echo "$(date -u +%Y-%m-%d), $(nproc) CPUs ($cpu), loopback, no persistence on either server." \
  "utils/ordis-bench, $CONNS connections, $USERS users, $SYMBOLS symbols (tens of price levels" \
  "per book side); redis runs utils/redis-orders.lua through FCALL. About $SECS s per workload and" \
  "server in $ROUNDS alternating rounds; ops/s and CPU/op (server utime+stime per operation) are" \
  "totals over the rounds, p99 the median of the rounds."
echo
if [ $ORDIS_OK = 0 ]; then
  echo "**ordis side unavailable: $why.** Only redis-server's numbers are shown."
  echo
fi
echo "Emulation check (ordis-bench --check): $check_line"
echo
echo "| workload | pipeline | redis ops/s | ordis ops/s | ratio | redis p99 ms | ordis p99 ms | ratio | redis CPU µs/op | ordis CPU µs/op | ratio | errors+mismatches redis/ordis |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for row in "mix 1" "mix 16" "depth 16" "open 16"; do
  set -- $row
  w=$1 pipe=$2
  case $w in
    mix) name="default mix" ;;
    depth) name="ORDER.DEPTH 20 levels" ;;
    open) name="ORDER.OPEN, 20 orders" ;;
  esac
  ro=$(val redis "$w,$pipe,opsps") oo=$(val ordis "$w,$pipe,opsps")
  rp=$(val redis "$w,$pipe,p99") op=$(val ordis "$w,$pipe,p99")
  rc=$(val redis "$w,$pipe,cpuop") oc=$(val ordis "$w,$pipe,cpuop")
  echo "| $name | $pipe | $ro | $oo | $(ratio "$oo" "$ro") | $(ms "${R[redis,$w,$pipe,p99]}") |" \
    "$( [ "$op" = — ] && echo — || ms "$op") | $(ratio "$op" "$rp") | $rc | $oc | $(ratio "$oc" "$rc") |" \
    "$(val redis "$w,$pipe,err")/$(val ordis "$w,$pipe,err") |"
done
echo
echo "| memory per live order ($MEM_ORDERS orders) | redis | ordis | ordis/redis |"
echo "|---|---:|---:|---:|"
echo "| bytes (ordis: INFO orders; redis: used_memory growth) | $(val redis mem) | $(val ordis mem) | $(ratio "$(val ordis mem)" "$(val redis mem)") |"
echo
echo "Targets (issue 3): pipeline 1 ops/s ≥ 2× and p99 ≤ 0.5×; pipeline 16 ops/s ≥ 4× and CPU/op ≤ 0.2×;" \
  "memory ≤ 0.5× (and ≤ 192 bytes/order at 10,000,000 orders: \`ordis-bench --fill 10000000\` by hand);" \
  "ORDER.DEPTH and ORDER.OPEN ≥ 100,000/s at pipeline 16."
