#!/usr/bin/env bash
# ordis vs redis-server, side by side, in one run (`make bench`).
#
# Both servers run without persistence (--save '' --appendonly no) on free
# ports. Two load generators, each at 50 connections, 32-byte values over
# 100,000 keys, pipeline 1 and 16:
#  - memtier_benchmark (--ratio=1:10) when installed, otherwise
#    redis-benchmark: SET and GET runs (GET 10x as many requests), reported
#    per command and combined as a 1:10 mix (total requests / total time);
#  - utils/bench/loadgen (hiredis reader, epoll): a true SET:GET 1:10 mix.
# Each server's CPU time per operation comes from /proc/PID/stat (utime +
# stime) sampled at the start and end of each run. Memory: used_memory
# (INFO memory) and RSS after loading exactly 1,000,000 keys with 32-byte
# values through pipelined SETs.
#
# Environment:
#   ORDIS_SERVER   ordis binary (default src/ordis-server)
#   REDIS_SERVER   redis binary (default redis-server)
#   BENCH_SECONDS  seconds per workload and server, over all rounds (default 20)
#   BENCH_ROUNDS   alternating rounds per workload (default 5)
#   BENCH_PIN=1    pin servers to CPU 1 and the load generator to CPU 0
#   BENCH_SNAPSHOT=0  skip utils/bench/snapshot.sh (snapshot under load, recovery)
# Output: a markdown table (for the README) on stdout; raw lines in
# build/bench/bench.log.
set -eu
cd "$(dirname "$0")/../.."
ORDIS=${ORDIS_SERVER:-src/ordis-server}
REDIS=${REDIS_SERVER:-redis-server}
SECS=${BENCH_SECONDS:-20}
ROUNDS=${BENCH_ROUNDS:-5}
RSECS=$(awk -v s="$SECS" -v r="$ROUNDS" 'BEGIN {v = int(s / r); print (v < 1 ? 1 : v)}')
CONNS=50
KEYS=100000
out=build/bench
mkdir -p $out
log=$out/bench.log
: >"$log"

[ -x "$ORDIS" ] || { echo "bench: $ORDIS not built (make)"; exit 1; }
command -v "$REDIS" >/dev/null || { echo "bench: $REDIS not found"; exit 1; }
command -v redis-cli >/dev/null || { echo "bench: redis-cli not found"; exit 1; }

gen=$out/loadgen
if [ ! -x $gen ] || [ utils/bench/loadgen.cpp -nt $gen ]; then
  g++ -std=c++20 -O2 -Wall -Wextra -Werror utils/bench/loadgen.cpp -lhiredis -o $gen
fi

. utils/bench/lib.sh

info_field() { redis-cli -p "$1" info memory | tr -d '\r' | sed -n "s/^$2://p"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

for s in redis ordis; do
  bin=$REDIS; [ $s = ordis ] && bin=$ORDIS
  start $s "$bin" "$out/$s.log" || { echo "bench: $s did not start"; exit 1; }
done
redis_version=$(redis-cli -p "$PORT_redis" info server | tr -d '\r' | sed -n 's/^redis_version://p')

# Preload the benchmark keys into both.
for s in redis ordis; do
  port_var=PORT_$s
  "$gen" --port "${!port_var}" --load $KEYS >>"$log"
done

# Runs alternate between the servers in ROUNDS rounds (who goes first flips
# each round), so drift in the machine's speed (a shared 2-core VM) hits
# both alike; ops/s and CPU/op are totals over the rounds, p99 the median.
order() { if [ $(($1 % 2)) = 0 ]; then echo redis ordis; else echo ordis redis; fi; }
declare -A R
for pipe in 1 16; do
  for ((r = 0; r < ROUNDS; r++)); do
    for s in $(order $r); do
      port_var=PORT_$s pid_var=PID_$s
      line=$("${pin_gen[@]}" "$gen" --port "${!port_var}" --pid "${!pid_var}" --seconds "$RSECS" \
        --conns $CONNS --pipeline $pipe --ratio 1:10 --keys $KEYS --value-size 32)
      echo "$s pipeline=$pipe round=$r $line" | tee -a "$log" >&2
      R[$s,$pipe,ops]=$(awk -v a="${R[$s,$pipe,ops]:-0}" -v b="$(field ops_per_sec "$line")" \
        -v n=$ROUNDS 'BEGIN {printf "%.0f", a + b / n}')
      R[$s,$pipe,cpu]=$(awk -v a="${R[$s,$pipe,cpu]:-0}" -v b="$(field cpu_us_per_op "$line")" \
        -v n=$ROUNDS 'BEGIN {printf "%.3f", a + b / n}')
      R[$s,$pipe,p50s]+=" $(field p50_us "$line")"
      R[$s,$pipe,p99s]+=" $(field p99_us "$line")"
      R[$s,$pipe,err]=$((${R[$s,$pipe,err]:-0} + $(field errors "$line")))
    done
  done
  for s in redis ordis; do
    R[$s,$pipe,p50]=$(median <<<"${R[$s,$pipe,p50s]}")
    R[$s,$pipe,p99]=$(median <<<"${R[$s,$pipe,p99s]}")
  done
done

# Standard load generator: memtier_benchmark if installed, else redis-benchmark.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
declare -A S
if command -v memtier_benchmark >/dev/null; then
  TOOL=memtier_benchmark
  for pipe in 1 16; do
    for ((r = 0; r < ROUNDS; r++)); do
      for s in $(order $r); do
        port_var=PORT_$s pid_var=PID_$s
        t0=$(cpu_ticks "${!pid_var}")
        out=$("${pin_gen[@]}" memtier_benchmark -s 127.0.0.1 -p "${!port_var}" --protocol=redis \
          --ratio=1:10 -t 2 -c 25 --pipeline=$pipe -d 32 --key-maximum=$KEYS \
          --test-time="$RSECS" --hide-histogram --print-percentiles=50,99 2>/dev/null)
        t1=$(cpu_ticks "${!pid_var}")
        tot=$(grep '^Totals' <<<"$out")
        echo "memtier $s pipeline=$pipe round=$r $tot" >>"$log"
        # Totals: ops/sec hits/sec misses/sec avg-lat p50 p99 KB/sec
        ops=$(awk '{print $2}' <<<"$tot") p99=$(awk '{print $7}' <<<"$tot")
        S[$s,$pipe,mix,n]=$(awk -v a="${S[$s,$pipe,mix,n]:-0}" -v o="$ops" -v t="$RSECS" \
          'BEGIN {printf "%d", a + o * t}')
        S[$s,$pipe,mix,ticks]=$((${S[$s,$pipe,mix,ticks]:-0} + t1 - t0))
        S[$s,$pipe,mix,p99s]+=" $(awk -v a="$p99" 'BEGIN {printf "%d", a * 1000}')"
      done
    done
    for s in redis ordis; do
      S[$s,$pipe,mix,ops]=$(awk -v n="${S[$s,$pipe,mix,n]}" -v t=$((RSECS * ROUNDS)) \
        'BEGIN {printf "%.0f", n / t}')
      S[$s,$pipe,mix,p99]=$(median <<<"${S[$s,$pipe,mix,p99s]}")
      S[$s,$pipe,mix,cpu]=$(awk -v t="${S[$s,$pipe,mix,ticks]}" -v hz="$HZ" \
        -v n="${S[$s,$pipe,mix,n]}" 'BEGIN {printf "%.3f", t / hz * 1e6 / n}')
    done
  done
  ROWS="mix"
else
  TOOL=redis-benchmark
  for pipe in 1 16; do
    if [ $pipe = 1 ]; then nset=$((SECS * 10000 / ROUNDS)); else nset=$((SECS * 60000 / ROUNDS)); fi
    nget=$((nset * 10))
    for ((r = 0; r < ROUNDS; r++)); do
      for s in $(order $r); do
        port_var=PORT_$s pid_var=PID_$s
        for cmd in set get; do
          if [ $cmd = set ]; then n=$nset; else n=$nget; fi
          t0=$(cpu_ticks "${!pid_var}")
          line=$("${pin_gen[@]}" redis-benchmark -h 127.0.0.1 -p "${!port_var}" -c $CONNS -n $n \
            -d 32 -r $KEYS -P $pipe -t $cmd --csv 2>/dev/null | grep -i "^\"$cmd\"")
          t1=$(cpu_ticks "${!pid_var}")
          echo "redis-benchmark $s pipeline=$pipe round=$r $line" >>"$log"
          IFS=, read -r _ rps _ _ _ _ p99 _ <<<"$(tr -d '"' <<<"$line")"
          # Totals over the rounds: requests, seconds, server CPU ticks.
          S[$s,$pipe,$cmd,n]=$((${S[$s,$pipe,$cmd,n]:-0} + n))
          S[$s,$pipe,$cmd,secs]=$(awk -v a="${S[$s,$pipe,$cmd,secs]:-0}" -v n=$n -v r="$rps" \
            'BEGIN {printf "%.6f", a + n / r}')
          S[$s,$pipe,$cmd,ticks]=$((${S[$s,$pipe,$cmd,ticks]:-0} + t1 - t0))
          S[$s,$pipe,$cmd,p99s]+=" $(awk -v a="$p99" 'BEGIN {printf "%d", a * 1000}')"
        done
        p_set=${S[$s,$pipe,set,p99s]##* } p_get=${S[$s,$pipe,get,p99s]##* }
        S[$s,$pipe,mix,p99s]+=" $((p_set > p_get ? p_set : p_get))"
      done
    done
    for s in redis ordis; do
      for cmd in set get; do
        S[$s,$pipe,$cmd,ops]=$(awk -v n="${S[$s,$pipe,$cmd,n]}" -v t="${S[$s,$pipe,$cmd,secs]}" \
          'BEGIN {printf "%.0f", n / t}')
        S[$s,$pipe,$cmd,p99]=$(median <<<"${S[$s,$pipe,$cmd,p99s]}")
        S[$s,$pipe,$cmd,cpu]=$(awk -v t="${S[$s,$pipe,$cmd,ticks]}" -v hz="$HZ" \
          -v n="${S[$s,$pipe,$cmd,n]}" 'BEGIN {printf "%.3f", t / hz * 1e6 / n}')
      done
      # The 1:10 mix: all requests over the time all runs took.
      S[$s,$pipe,mix,ops]=$(awk -v a="${S[$s,$pipe,set,n]}" -v b="${S[$s,$pipe,get,n]}" \
        -v ta="${S[$s,$pipe,set,secs]}" -v tb="${S[$s,$pipe,get,secs]}" \
        'BEGIN {printf "%.0f", (a + b) / (ta + tb)}')
      S[$s,$pipe,mix,p99]=$(median <<<"${S[$s,$pipe,mix,p99s]}")
      S[$s,$pipe,mix,cpu]=$(awk -v t=$((S[$s,$pipe,set,ticks] + S[$s,$pipe,get,ticks])) -v hz="$HZ" \
        -v n=$((S[$s,$pipe,set,n] + S[$s,$pipe,get,n])) 'BEGIN {printf "%.3f", t / hz * 1e6 / n}')
    done
  done
  ROWS="set get mix"
fi

# Memory: exactly 1,000,000 distinct keys with 32-byte values.
for s in redis ordis; do
  port_var=PORT_$s pid_var=PID_$s
  redis-cli -p "${!port_var}" flushall >/dev/null
  sleep 0.5
  R[$s,mem0]=$(info_field "${!port_var}" used_memory)
  "$gen" --port "${!port_var}" --load 1000000 --value-size 32 >>"$log"
  n=$(redis-cli -p "${!port_var}" dbsize | tr -d '\r')
  [ "$n" = 1000000 ] || echo "bench: $s holds $n keys, expected 1000000" >&2
  R[$s,mem]=$(info_field "${!port_var}" used_memory)
  R[$s,rss]=$(rss_kb "${!pid_var}")
  echo "$s used_memory_empty=${R[$s,mem0]} used_memory=${R[$s,mem]} rss_kb=${R[$s,rss]}" >>"$log"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "") printf "%.2f", a / b; else printf "n/a" }'; }
mb() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 1048576 }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.3f", a / 1000 }'; }

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo
echo "### Benchmark: ordis vs redis-server $redis_version"
echo
echo "$(date -u +%Y-%m-%d), $(nproc) CPUs ($cpu), loopback. $CONNS connections, SET:GET 1:10 over" \
  "$KEYS keys, 32-byte values, about ${SECS} s per workload and server in $ROUNDS alternating rounds," \
  "no persistence on either server. ops/s and CPU/op (server utime+stime per operation) are" \
  "totals over the rounds; p50/p99 are the median of the rounds."
echo
echo "#### $TOOL, 50 connections, 32-byte values"
echo
if [ "$TOOL" = redis-benchmark ]; then
  echo "SET and GET are separate redis-benchmark runs (-t set / -t get, -r $KEYS, GET with 10× the"
  echo "requests); **SET:GET 1:10** combines them: all requests over the time both took, p99 = the"
  echo "larger of the two p99s, CPU/op = server CPU over both runs / all requests."
  echo
fi
echo "| pipeline | workload | redis ops/s | ordis ops/s | ratio | redis p99 ms | ordis p99 ms | ratio | redis CPU µs/op | ordis CPU µs/op | ratio |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for pipe in 1 16; do
  for w in $ROWS; do
    case $w in set) name=SET ;; get) name=GET ;; mix) name="**SET:GET 1:10**" ;; esac
    echo "| $pipe | $name | ${S[redis,$pipe,$w,ops]} | ${S[ordis,$pipe,$w,ops]} | $(ratio "${S[ordis,$pipe,$w,ops]}" "${S[redis,$pipe,$w,ops]}")× | $(ms "${S[redis,$pipe,$w,p99]}") | $(ms "${S[ordis,$pipe,$w,p99]}") | $(ratio "${S[ordis,$pipe,$w,p99]}" "${S[redis,$pipe,$w,p99]}")× | ${S[redis,$pipe,$w,cpu]} | ${S[ordis,$pipe,$w,cpu]} | $(ratio "${S[ordis,$pipe,$w,cpu]}" "${S[redis,$pipe,$w,cpu]}")× |"
  done
done
echo
echo "#### utils/bench/loadgen: SET:GET 1:10 mix"
echo
echo "| pipeline | server | ops/s | p50 ms | p99 ms | server CPU µs/op | errors |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for pipe in 1 16; do
  for s in redis ordis; do
    echo "| $pipe | $s | ${R[$s,$pipe,ops]} | $(ms "${R[$s,$pipe,p50]}") | $(ms "${R[$s,$pipe,p99]}") | ${R[$s,$pipe,cpu]:-n/a} | ${R[$s,$pipe,err]} |"
  done
  echo "| $pipe | **ordis/redis** | $(ratio "${R[ordis,$pipe,ops]}" "${R[redis,$pipe,ops]}")× | $(ratio "${R[ordis,$pipe,p50]}" "${R[redis,$pipe,p50]}")× | $(ratio "${R[ordis,$pipe,p99]}" "${R[redis,$pipe,p99]}")× | $(ratio "${R[ordis,$pipe,cpu]}" "${R[redis,$pipe,cpu]}")× | |"
done
echo
echo "| 1,000,000 keys × 32-byte values | redis | ordis | ordis/redis |"
echo "|---|---:|---:|---:|"
echo "| used_memory (MB) | $(mb "${R[redis,mem]}") | $(mb "${R[ordis,mem]}") | $(ratio "${R[ordis,mem]}" "${R[redis,mem]}")× |"
echo "| used_memory growth (MB) | $(mb $((R[redis,mem] - R[redis,mem0]))) | $(mb $((R[ordis,mem] - R[ordis,mem0]))) | $(ratio $((R[ordis,mem] - R[ordis,mem0])) $((R[redis,mem] - R[redis,mem0])))× |"
echo "| RSS (MB) | $(mb $((R[redis,rss] * 1024))) | $(mb $((R[ordis,rss] * 1024))) | $(ratio "${R[ordis,rss]}" "${R[redis,rss]}")× |"
cleanup; pids=(); ORDIS_SERVER="$ORDIS" REDIS_SERVER="$REDIS" bash utils/bench/orders.sh
# The durable side by side (appendonly yes, appendfsync always) comes last.
ORDIS_SERVER="$ORDIS" REDIS_SERVER="$REDIS" bash utils/bench/durable.sh
# Snapshot under load and recovery (5M orders + 1M keys by default, a few
# minutes); BENCH_SNAPSHOT=0 skips it.
if [ "${BENCH_SNAPSHOT:-1}" != 0 ]; then
  ORDIS_SERVER="$ORDIS" REDIS_SERVER="$REDIS" bash utils/bench/snapshot.sh
fi
