#!/usr/bin/env bash
# Durable ordis vs durable redis-server, side by side in one run
# (`make bench-durable`; `make bench` runs it after utils/bench/orders.sh).
#
# Four servers run at once, each on a fresh directory on the disk that holds
# this checkout (build/bench/durable-data.*; the device and filesystem are
# printed, and a RAM filesystem is flagged), all with --save '':
#   redis_aof    redis-server --appendonly yes --appendfsync always
#                (--auto-aof-rewrite-percentage 0: no rewrite forks mid-run;
#                ordis does not compact its WAL without a snapshot either)
#   ordis_aof    ordis-server --appendonly yes --appendfsync always (the WAL:
#                group commit, a reply leaves once its entry is durable)
#   redis_plain, ordis_plain   the same with --appendonly no (the baseline of
#                the durability tax)
# Workloads, 50 connections, pipeline 1 and 16:
#   places  ORDER.PLACE only (ordis-bench --mix place=1, a fresh book each
#           round); redis through utils/redis-orders.lua (FCALL)
#   set     redis-benchmark -t set, 32-byte values, -r 100000 (a round's
#           request count comes from the previous run's rate, so rounds last
#           about as long as ordis-bench's; an untimed warm-up run on every
#           server gives the first rate)
# Rounds alternate over the four servers (the order flips each round) so
# drift in the machine's speed hits all alike. ops/s and server CPU/op
# (utime+stime from /proc/PID/stat) are totals over the rounds; p50/p99 are
# the median of the rounds. For ordis_aof the WAL's INFO persistence counters
# are read around every run: fsyncs/s and entries per batch (wal_fsyncs,
# wal_batches, wal_last_lsn deltas) and wal_fsync_p50_us/p99_us (recent
# syncs, read at the end of each run; median of the rounds). The disk's own
# append+fdatasync latency (python, 200 x 4 KiB) is printed for reference.
#
# Environment:
#   ORDIS_SERVER   ordis binary (default src/ordis-server)
#   REDIS_SERVER   redis binary (default redis-server)
#   ORDIS_BENCH    ordis-bench binary (default build/release/ordis-bench; built if missing)
#   BENCH_SECONDS  seconds per workload, pipeline and server, over all rounds (default 12)
#   BENCH_ROUNDS   alternating rounds (default 4)
#   BENCH_USERS, BENCH_SYMBOLS   order workload universe (default 10000, 50)
#   BENCH_PIN=1    pin servers to CPU 1 and the load generator to CPU 0
# Output: a markdown table and PASS/MISS lines for the durability issue's
# targets on stdout; raw lines in build/bench/durable.log. Exit status 0
# unless a run fails (a MISS is a result, not a failure).
set -eu
cd "$(dirname "$0")/../.."
ORDIS=${ORDIS_SERVER:-src/ordis-server}
REDIS=${REDIS_SERVER:-redis-server}
GEN=${ORDIS_BENCH:-build/release/ordis-bench}
SECS=${BENCH_SECONDS:-12}
ROUNDS=${BENCH_ROUNDS:-4}
RSECS=$(awk -v s="$SECS" -v r="$ROUNDS" 'BEGIN {v = s / r; print (v < 1 ? 1 : v)}')
USERS=${BENCH_USERS:-10000}
SYMBOLS=${BENCH_SYMBOLS:-50}
CONNS=50
KEYS=100000
LUA=utils/redis-orders.lua
out=build/bench
mkdir -p $out
log=$out/durable.log
: >"$log"

die() { echo "bench-durable: $*" >&2; exit 1; }
[ -x "$ORDIS" ] || die "$ORDIS not built (make)"
command -v "$REDIS" >/dev/null || die "$REDIS not found"
command -v redis-cli >/dev/null || die "redis-cli not found"
command -v redis-benchmark >/dev/null || die "redis-benchmark not found"
if [ ! -x "$GEN" ]; then
  make --no-print-directory -s "$GEN" BUILD="$(dirname "$GEN")" >&2
fi

. utils/bench/lib.sh

# Data directories on the checkout's disk; removed (after the servers exit)
# on the way out.
data=$(mktemp -d "$PWD/$out/durable-data.XXXXXX")
finish() {
  cleanup
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$data"
}
trap finish EXIT
read -r DEV FSTYPE <<<"$(findmnt -n -o SOURCE,FSTYPE -T "$data" | tail -1)"
case $FSTYPE in
  tmpfs | ramfs) disk_note="**warning: $FSTYPE is RAM, fsync costs nothing here**" ;;
  *) disk_note="" ;;
esac

# The disk's fdatasync latency: 200 appends of 4 KiB, each followed by one.
disk_sync=$(python3 - "$data/probe" <<'EOF'
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
buf, t = b"x" * 4096, []
for _ in range(200):
    os.write(fd, buf)
    a = time.perf_counter(); os.fdatasync(fd); t.append((time.perf_counter() - a) * 1e6)
os.close(fd); os.unlink(sys.argv[1]); t.sort()
print("p50_us=%d p99_us=%d" % (t[len(t) // 2], t[int(len(t) * 0.99)]))
EOF
)
echo "disk $DEV $FSTYPE $data fdatasync_4k $disk_sync" >>"$log"

SERVERS="redis_aof ordis_aof redis_plain ordis_plain"
for s in $SERVERS; do
  mkdir -p "$data/$s"
  bin=$REDIS extra=()
  [ "${s%%_*}" = ordis ] && bin=$ORDIS
  if [ "${s#*_}" = aof ]; then
    extra=(--appendonly yes --appendfsync always)
    [ "${s%%_*}" = redis ] && extra+=(--auto-aof-rewrite-percentage 0)
  fi
  start "$s" "$bin" "$out/durable-$s.log" --dir "$data/$s" "${extra[@]}" ||
    die "$s did not start (see $out/durable-$s.log)"
done
port() { local v=PORT_$1; echo "${!v}"; }
pid() { local v=PID_$1; echo "${!v}"; }
cli() { local s=$1; shift; redis-cli -p "$(port "$s")" "$@" | tr -d '\r'; }
for s in $SERVERS; do
  want=no; [ "${s#*_}" = aof ] && want=yes
  got=$(cli "$s" config get appendonly | tail -1)
  [ "$got" = $want ] || die "$s: appendonly is '$got', expected $want"
  if [ $want = yes ]; then
    got=$(cli "$s" config get appendfsync | tail -1)
    [ "$got" = always ] || die "$s: appendfsync is '$got', expected always"
  fi
done
for s in redis_aof redis_plain; do
  redis-cli -p "$(port $s)" -x FUNCTION LOAD REPLACE <"$LUA" >/dev/null
done
probe=$(cli ordis_aof ORDER.TOP SYM0001 2>&1 | head -1)
[[ "$probe" != ERR* ]] || die "ordis does not answer ORDER.* (ORDER.TOP -> $probe)"
redis_version=$(cli redis_aof info server | sed -n 's/^redis_version://p')
wal_io=$(cli ordis_aof info persistence | sed -n 's/^wal_io://p')
[ -n "$wal_io" ] || die "ordis_aof has no WAL (INFO persistence has no wal_io)"

# WAL counters of ordis_aof: "fsyncs batches last_lsn p50 p99".
wal_counters() {
  cli ordis_aof info persistence | awk -F: '
    {v[$1] = $2}
    END {print v["wal_fsyncs"], v["wal_batches"], v["wal_last_lsn"], v["wal_fsync_p50_us"], v["wal_fsync_p99_us"]}'
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
order() {
  if [ $(($1 % 2)) = 0 ]; then echo "$SERVERS"; else echo "$SERVERS" | awk '{for (i = NF; i; i--) printf "%s ", $i}'; fi
}

declare -A R
# add SERVER WORKLOAD PIPE ops secs cpu_us_per_op p50_us p99_us errors
add() {
  local k=$1,$2,$3
  R[$k,ops]+=" $4" R[$k,secs]+=" $5" R[$k,cpu]+=" $6" R[$k,p50s]+=" $7" R[$k,p99s]+=" $8"
  R[$k,err]=$((${R[$k,err]:-0} + $9))
}

# One places run: ordis-bench, ORDER.PLACE only, on a fresh book.
run_places() {
  local s=$1 pipe=$2 r=$3 line
  line=$("${pin_gen[@]}" "$GEN" --port "$(port "$s")" --pid "$(pid "$s")" --target "${s%%_*}" \
    --clients $CONNS --pipeline "$pipe" --duration "$RSECS" --users "$USERS" \
    --symbols "$SYMBOLS" --mix place=1 --seed $((r + 1)) --reset | tee -a "$log" |
    grep '^summary ' || true)
  [ -n "$line" ] || die "$s places pipeline $pipe failed (see $log)"
  echo "$s places pipeline=$pipe round=$r $line" | tee -a "$log" >&2
  add "$s" places "$pipe" "$(field ops "$line")" "$(field seconds "$line")" \
    "$(field cpu_us_per_op "$line")" "$(field p50_us "$line")" "$(field p99_us "$line")" \
    $(($(field errors "$line") + $(field mismatch "$line")))
}

# One SET run: redis-benchmark, sized from the last rate seen on this server.
# Round "warmup" (untimed, before the rounds) measures that first rate.
run_set() {
  local s=$1 pipe=$2 r=$3 k=$1,set,$2 n rate t0 t1 line rps p50 p99 secs
  rate=${R[$k,rate]:-0}
  n=$(awk -v r="$rate" -v t="$RSECS" 'BEGIN {n = int(r * t); print (n < 5000 ? 5000 : n)}')
  [ "$r" = warmup ] && n=$((pipe == 1 ? 20000 : 100000))
  t0=$(cpu_ticks "$(pid "$s")")
  line=$("${pin_gen[@]}" redis-benchmark -h 127.0.0.1 -p "$(port "$s")" -c $CONNS -n "$n" \
    -d 32 -r $KEYS -P "$pipe" -t set --csv 2>/dev/null | grep -i '^"set"' || true)
  t1=$(cpu_ticks "$(pid "$s")")
  [ -n "$line" ] || die "$s redis-benchmark SET pipeline $pipe failed"
  echo "redis-benchmark $s pipeline=$pipe round=$r n=$n $line" >>"$log"
  # "SET",rps,avg,min,p50,p95,p99,max (ms)
  IFS=, read -r _ rps _ _ p50 _ p99 _ <<<"$(tr -d '"' <<<"$line")"
  secs=$(awk -v n="$n" -v r="$rps" 'BEGIN {printf "%.4f", n / r}')
  R[$k,rate]=$rps
  echo "$s set pipeline=$pipe round=$r ops=$n seconds=$secs ops_per_sec=$rps" >&2
  [ "$r" != warmup ] || return 0
  add "$s" set "$pipe" "$n" "$secs" \
    "$(awk -v t=$((t1 - t0)) -v hz="$HZ" -v n="$n" 'BEGIN {printf "%.3f", t / hz * 1e6 / n}')" \
    "$(awk -v a="$p50" 'BEGIN {printf "%d", a * 1000}')" \
    "$(awk -v a="$p99" 'BEGIN {printf "%d", a * 1000}')" 0
}

for w in places set; do
  for pipe in 1 16; do
    if [ $w = set ]; then for s in $SERVERS; do run_set "$s" "$pipe" warmup; done; fi
    for ((r = 0; r < ROUNDS; r++)); do
      for s in $(order $r); do
        [ "$s" = ordis_aof ] && read -r f0 b0 l0 _ _ <<<"$(wal_counters)"
        run_$w "$s" "$pipe" "$r"
        if [ "$s" = ordis_aof ]; then
          read -r f1 b1 l1 q50 q99 <<<"$(wal_counters)"
          k=$w,$pipe
          R[wal,$k,fsyncs]=$((${R[wal,$k,fsyncs]:-0} + f1 - f0))
          R[wal,$k,batches]=$((${R[wal,$k,batches]:-0} + b1 - b0))
          R[wal,$k,entries]=$((${R[wal,$k,entries]:-0} + l1 - l0))
          R[wal,$k,p50s]+=" $q50" R[wal,$k,p99s]+=" $q99"
          echo "wal $w pipeline=$pipe round=$r fsyncs=$((f1 - f0)) batches=$((b1 - b0))" \
            "entries=$((l1 - l0)) fsync_p50_us=$q50 fsync_p99_us=$q99" | tee -a "$log" >&2
          # Every acknowledged write must have gone through the WAL.
          acked=${R[$s,$w,$pipe,ops]##* }
          [ $((l1 - l0)) -ge "$acked" ] || echo "bench-durable: warning: ordis_aof $w pipeline" \
            "$pipe round $r: $acked writes acknowledged but only $((l1 - l0)) WAL entries" | tee -a "$log" >&2
        fi
      done
    done
    # Totals over the rounds: ops/s, CPU/op weighted by each round's ops.
    for s in $SERVERS; do
      k=$s,$w,$pipe
      R[$k,opsps]=$(awk -v o="${R[$k,ops]}" -v t="${R[$k,secs]}" \
        'BEGIN {n = split(o, a, " "); split(t, b, " "); for (i = 1; i <= n; i++) {x += a[i]; y += b[i]}
                printf "%.0f", x / y}')
      R[$k,cpuop]=$(awk -v o="${R[$k,ops]}" -v c="${R[$k,cpu]}" \
        'BEGIN {n = split(o, a, " "); split(c, b, " "); for (i = 1; i <= n; i++) {x += a[i] * b[i]; y += a[i]}
                if (y > 0 && c !~ /n\/a/) printf "%.2f", x / y; else printf "n/a"}')
      R[$k,p50]=$(median <<<"${R[$k,p50s]}")
      R[$k,p99]=$(median <<<"${R[$k,p99s]}")
      R[$k,secsum]=$(awk -v t="${R[$k,secs]}" 'BEGIN {n = split(t, b, " "); for (i = 1; i <= n; i++) y += b[i]; print y}')
    done
    k=$w,$pipe
    R[wal,$k,fsyncps]=$(awk -v f="${R[wal,$k,fsyncs]}" -v t="${R[ordis_aof,$k,secsum]}" \
      'BEGIN {printf "%.0f", (t > 0 ? f / t : 0)}')
    R[wal,$k,perbatch]=$(awk -v e="${R[wal,$k,entries]}" -v b="${R[wal,$k,batches]}" \
      'BEGIN {if (b > 0) printf "%.1f", e / b; else print "n/a"}')
    R[wal,$k,p50]=$(median <<<"${R[wal,$k,p50s]}")
    R[wal,$k,p99]=$(median <<<"${R[wal,$k,p99s]}")
  done
done

num() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]]; }
ratio() { if num "$1" && num "$2" && [ "$2" != 0 ]; then awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; else echo n/a; fi; }
ms() { if num "$1"; then awk -v a="$1" 'BEGIN {printf "%.3f", a / 1000}'; else echo n/a; fi; }
v() { echo "${R[$1,$2,$3,$4]:-n/a}"; }
tax() { ratio "$(v "${1}_aof" "$2" "$3" opsps)" "$(v "${1}_plain" "$2" "$3" opsps)"; }

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo
echo "### Durable: ordis vs redis-server $redis_version, appendonly yes + appendfsync always"
echo
echo "$(date -u +%Y-%m-%d), $(nproc) CPUs ($cpu), loopback; data on $DEV ($FSTYPE)${disk_note:+ $disk_note}" \
  "— its fdatasync after a 4 KiB append takes p50 $(field p50_us "$disk_sync") µs, p99" \
  "$(field p99_us "$disk_sync") µs. $CONNS connections." \
  "**durable**: --appendonly yes --appendfsync always (a reply only after its write is fsynced;" \
  "ordis: WAL with group commit, wal_io=$wal_io; redis: --auto-aof-rewrite-percentage 0);" \
  "**no persistence**: --appendonly no; both --save ''. ORDER.PLACE only: utils/ordis-bench" \
  "--mix place=1 ($USERS users, $SYMBOLS symbols, a fresh book each round), redis through" \
  "utils/redis-orders.lua (FCALL). SET: redis-benchmark -t set, 32-byte values, -r $KEYS." \
  "About $SECS s per workload, pipeline and server in $ROUNDS rounds alternating over the four" \
  "servers; ops/s and CPU/op (server utime+stime per operation) are totals over the rounds," \
  "p50/p99 the median of the rounds. tax = durable ops/s ÷ no-persistence ops/s."
echo
echo "| workload | pipeline | server | durable ops/s | p50 ms | p99 ms | CPU µs/op | no persistence ops/s | p50 ms | p99 ms | CPU µs/op | tax | errors |"
echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for w in places set; do
  name="ORDER.PLACE"; [ $w = set ] && name=SET
  for pipe in 1 16; do
    for s in redis ordis; do
      a=${s}_aof p=${s}_plain
      echo "| $name | $pipe | $s | $(v $a $w $pipe opsps) | $(ms "$(v $a $w $pipe p50)") | $(ms "$(v $a $w $pipe p99)") |" \
        "$(v $a $w $pipe cpuop) | $(v $p $w $pipe opsps) | $(ms "$(v $p $w $pipe p50)") |" \
        "$(ms "$(v $p $w $pipe p99)") | $(v $p $w $pipe cpuop) | $(tax $s $w $pipe) |" \
        "$(v $a $w $pipe err)/$(v $p $w $pipe err) |"
    done
    c=(opsps p50 p99 cpuop)
    row="| $name | $pipe | **ordis/redis** |"
    for m in aof plain; do
      for f in "${c[@]}"; do row+=" $(ratio "$(v ordis_$m $w $pipe "$f")" "$(v redis_$m $w $pipe "$f")")× |"; done
    done
    echo "$row $(ratio "$(tax ordis $w $pipe)" "$(tax redis $w $pipe)")× | |"
  done
done
echo
echo "ordis's WAL during the durable runs (INFO persistence deltas; fsync latency: wal_fsync_p50_us /" \
  "wal_fsync_p99_us over recent syncs at the end of each round, median of the rounds):"
echo
echo "| workload | pipeline | durable ops/s | fsyncs/s | entries per batch | fsync p50 µs | fsync p99 µs |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for w in places set; do
  name="ORDER.PLACE"; [ $w = set ] && name=SET
  for pipe in 1 16; do
    echo "| $name | $pipe | $(v ordis_aof $w $pipe opsps) | ${R[wal,$w,$pipe,fsyncps]} |" \
      "${R[wal,$w,$pipe,perbatch]} | ${R[wal,$w,$pipe,p50]} | ${R[wal,$w,$pipe,p99]} |"
  done
done

# The targets of the durability issue: PASS or MISS, every one shown.
verdicts=()
check() {  # check OK(0/1) TEXT
  local t
  if [ "$1" = 1 ]; then t="PASS  $2"; else t="MISS  $2"; fi
  verdicts+=("$t")
  echo "$t" >>"$log"
}
ge() { num "$1" && num "$2" && awk -v a="$1" -v b="$2" 'BEGIN {exit !(a >= b)}'; }
lt() { num "$1" && num "$2" && awk -v a="$1" -v b="$2" 'BEGIN {exit !(a < b)}'; }
ops=$(v ordis_aof places 1 opsps) p99=$(v ordis_aof places 1 p99)
ok=0; ge "$ops" 100000 && lt "$p99" 1000 && ok=1
check $ok "durable ORDER.PLACE, pipeline 1: ordis $ops orders/s, p99 $(ms "$p99") ms (target >= 100000/s with p99 < 1 ms)"
for pipe in 1 16; do
  x=$(ratio "$(v ordis_aof places $pipe opsps)" "$(v redis_aof places $pipe opsps)")
  ok=0; ge "$x" 2 && ok=1
  check $ok "durable ORDER.PLACE, pipeline $pipe: ordis/redis $x× ($(v ordis_aof places $pipe opsps) vs $(v redis_aof places $pipe opsps) orders/s; target >= 2×)"
done
for pipe in 1 16; do
  o=$(v ordis_aof set $pipe opsps) r=$(v redis_aof set $pipe opsps)
  ok=0; ge "$o" "$r" && ok=1
  check $ok "durable SET, pipeline $pipe: ordis $o vs redis $r ops/s, p99 $(ms "$(v ordis_aof set $pipe p99)") vs $(ms "$(v redis_aof set $pipe p99)") ms (target: ordis >= redis)"
done
for w in set places; do
  name="ORDER.PLACE"; [ $w = set ] && name=SET
  for pipe in 1 16; do
    x=$(tax ordis $w $pipe)
    ok=0; ge "$x" 0.8 && ok=1
    check $ok "durability tax, $name pipeline $pipe: ordis $x (redis $(tax redis $w $pipe)); target ordis >= 0.8"
  done
done
echo
echo "Targets (durability issue; PASS/MISS as measured in this run):"
echo
echo '```'
printf '%s\n' "${verdicts[@]}"
echo '```'
