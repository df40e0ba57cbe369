#!/usr/bin/env bash
# Snapshot under load and recovery (`make bench-snapshot`; `make bench` runs
# it after utils/bench/durable.sh unless BENCH_SNAPSHOT=0): acceptance points
# 3 and 4 of the durability issue, with redis-server's forking BGSAVE beside.
#
# ordis runs with --appendonly yes --appendfsync always --save ''
# --auto-snapshot-wal-size 0 (no automatic snapshot interferes) on a fresh
# directory on the checkout's disk (build/bench/snapshot-data.*; a RAM
# filesystem is flagged). Steps:
#  1. data: BENCH_SNAP_KEYS keys (utils/bench/loadgen --load: key:0..N-1,
#     32-byte values; DBSIZE is checked) and BENCH_SNAP_ORDERS live orders
#     (ordis-bench --fill; INFO orders orders_live is checked);
#  2. load, in BENCH_SNAP_ROUNDS rounds of two windows of BENCH_SNAP_SECONDS
#     each (which goes first flips every round): ordis-bench's default mix at
#     50 connections, pipeline 1, and beside it utils/bench/loadgen SET:GET 1:1
#     over the keys at BENCH_SNAP_KV_CONNS connections (writes to keys, so the
#     keyspace's copy-before-write works too). "baseline": no snapshot;
#     "snapshot": BGSAVE back to back for the whole window (a new one as soon
#     as the last one is seen finished). A sampler polls INFO persistence,
#     memory and stats every BENCH_SNAP_SAMPLE_MS ms (in both windows, so both
#     pay for it), /proc/PID/status VmRSS and the main thread's schedstat (CPU
#     time and run-queue wait: is the box short of CPU?). p99 is the median
#     of the rounds.
#     Memory growth during a snapshot: the largest used_memory (and RSS) seen
#     while it ran minus the value sampled just before its BGSAVE, as % of
#     that value (the data size); the load itself places orders, so the
#     baseline windows' used_memory growth over the same time is shown too.
#     ordis's growth includes fixed-size buffers (the writer's backlog of up
#     to 8 MiB of encoded blocks), so at small BENCH_SNAP_* sizes its % is
#     inflated;
#  3. recovery: a fresh BGSAVE, then BENCH_SNAP_WAL_ORDERS more orders and
#     min(keys, 100000) SETs (WAL after the snapshot), kill -9, restart; time
#     until PING answers PONG (-LOADING replies counted meanwhile), the log's
#     "DB loaded from disk" (orders/s) and "DB loaded from append only file"
#     (entries replayed) lines, and DBSIZE / orders_live equal to before the
#     kill;
#  4. redis-server (--appendonly no --save '') with the same keys and
#     BENCH_SNAP_REDIS_ORDERS orders through utils/redis-orders.lua (FCALL),
#     the same windows: latest_fork_usec, p99 during its BGSAVE vs baseline,
#     used_memory growth and the child's copy-on-write (rdb_last_cow_size,
#     current_cow_peak) as % of used_memory.
#
# Environment:
#   ORDIS_SERVER   ordis binary (default src/ordis-server)
#   REDIS_SERVER   redis binary (default redis-server)
#   ORDIS_BENCH    ordis-bench binary (default build/release/ordis-bench; built if missing)
#   BENCH_SNAP_ORDERS        live orders placed before the load (default 5000000)
#   BENCH_SNAP_KEYS          keys (default 1000000)
#   BENCH_SNAP_REDIS_ORDERS  orders on redis-server (default BENCH_SNAP_ORDERS; the Lua
#                            emulation places ~30-50k/s, so 5M take minutes)
#   BENCH_SNAP_REDIS=0       skip the redis-server side
#   BENCH_SNAP_SECONDS       seconds per window (default 5)
#   BENCH_SNAP_ROUNDS        rounds of baseline + snapshot windows (default 3)
#   BENCH_SNAP_KV_CONNS      loadgen SET:GET connections beside the mix (default 10; 0: none)
#   BENCH_SNAP_WAL_ORDERS    orders placed after the last snapshot, before kill -9 (default 200000)
#   BENCH_SNAP_SAMPLE_MS     sampling interval (default 20)
#   BENCH_SNAP_CAPACITY      ordis --order-table-capacity (default orders * 1.5 + 4000000)
#   BENCH_USERS, BENCH_SYMBOLS   order workload universe (default 10000, 50)
#   BENCH_PIN=1    pin servers to CPU 1 and the load generators to CPU 0
# Output: markdown tables and PASS/MISS lines on stdout; raw lines in
# build/bench/snapshot.log, server logs in build/bench/snapshot-*.log. Exit
# status 0 unless a step fails (a MISS is a result, not a failure).
set -eu
cd "$(dirname "$0")/../.."
ORDIS=${ORDIS_SERVER:-src/ordis-server}
REDIS=${REDIS_SERVER:-redis-server}
GEN=${ORDIS_BENCH:-build/release/ordis-bench}
ORDERS=${BENCH_SNAP_ORDERS:-5000000}
KEYS=${BENCH_SNAP_KEYS:-1000000}
REDIS_ORDERS=${BENCH_SNAP_REDIS_ORDERS:-$ORDERS}
REDIS_SIDE=${BENCH_SNAP_REDIS:-1}
SECS=${BENCH_SNAP_SECONDS:-5}
ROUNDS=${BENCH_SNAP_ROUNDS:-3}
KV_CONNS=${BENCH_SNAP_KV_CONNS:-10}
WAL_ORDERS=${BENCH_SNAP_WAL_ORDERS:-200000}
SAMPLE_MS=${BENCH_SNAP_SAMPLE_MS:-20}
CAPACITY=${BENCH_SNAP_CAPACITY:-$((ORDERS + ORDERS / 2 + 4000000))}
USERS=${BENCH_USERS:-10000}
SYMBOLS=${BENCH_SYMBOLS:-50}
CONNS=50
LUA=utils/redis-orders.lua
out=build/bench
mkdir -p $out
log=$out/snapshot.log
: >"$log"

die() { echo "bench-snapshot: $*" >&2; exit 1; }
[ -x "$ORDIS" ] || die "$ORDIS not built (make)"
command -v redis-cli >/dev/null || die "redis-cli not found"
[ "$REDIS_SIDE" = 0 ] || command -v "$REDIS" >/dev/null || die "$REDIS not found (BENCH_SNAP_REDIS=0 skips it)"
if [ ! -x "$GEN" ]; then
  make --no-print-directory -s "$GEN" BUILD="$(dirname "$GEN")" >&2
fi
loadgen=$out/loadgen
if [ ! -x $loadgen ] || [ utils/bench/loadgen.cpp -nt $loadgen ]; then
  g++ -std=c++20 -O2 -Wall -Wextra -Werror utils/bench/loadgen.cpp -lhiredis -o $loadgen
fi

. utils/bench/lib.sh

data=$(mktemp -d "$PWD/$out/snapshot-data.XXXXXX")
finish() {
  cleanup
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$data"
}
trap finish EXIT
read -r DEV FSTYPE <<<"$(findmnt -n -o SOURCE,FSTYPE -T "$data" | tail -1)"
case $FSTYPE in
  tmpfs | ramfs) disk_note=" **warning: $FSTYPE is RAM**" ;;
  *) disk_note="" ;;
esac
echo "disk $DEV $FSTYPE $data" >>"$log"

# The sampler: polls INFO every SAMPLE_MS ms until STOPFILE exists; in mode
# "bgsave" it keeps a BGSAVE running from 0.3 s on (a new one once the last
# is seen done) until then, and waits for the last one to finish. Prints one
# summary line.
cat >"$data/sampler.py" <<'EOF'
import os, socket, sys, time
port, pid, mode, stopfile, interval = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5]) / 1000
s = socket.create_connection(("127.0.0.1", port))
f = s.makefile("rb")

def call(*args):
    s.sendall(("*%d\r\n" % len(args) + "".join("$%d\r\n%s\r\n" % (len(a), a) for a in args)).encode())
    line = f.readline().decode().rstrip("\r\n")
    if line[0] == "$":
        n = int(line[1:])
        return "" if n < 0 else f.read(n + 2)[:-2].decode()
    return line

def info():
    d = {}
    for l in call("INFO", "persistence", "memory", "stats").split("\r\n"):
        if ":" in l:
            k, v = l.split(":", 1)
            d[k] = v
    return d

def num(d, k):
    try:
        return int(d.get(k, "0"))
    except ValueError:
        return 0

def sched():
    # The main (loop) thread's CPU time and run-queue wait, ns.
    try:
        with open("/proc/%d/task/%d/schedstat" % (pid, pid)) as st:
            a = st.read().split()
            return int(a[0]), int(a[1])
    except (OSError, ValueError, IndexError):
        return 0, 0

def rss():
    with open("/proc/%d/status" % pid) as st:
        for l in st:
            if l.startswith("VmRSS:"):
                return int(l.split()[1]) * 1024
    return 0

t0 = time.monotonic()
run0, wait0 = sched()
first = info()
used0, rss0, used_last = num(first, "used_memory"), rss(), 0
samples = in_snap = errors = 0
snaps = []          # finished snapshots: dicts
cur = None          # the running one: {t, used0, rss0, used_max, rss_max, saves0, seen}
maxes = {"slice": 0, "dur": 0, "fork": 0, "cow": 0, "cow_peak": 0, "early": 0, "bytes": 0}
stop_at = None
while True:
    d = info()
    now = time.monotonic()
    samples += 1
    used, r = num(d, "used_memory"), rss()
    used_last = used
    busy = num(d, "rdb_bgsave_in_progress") == 1
    if busy:
        in_snap += 1
    maxes["cow_peak"] = max(maxes["cow_peak"], num(d, "current_cow_peak"), num(d, "current_cow_size"))
    if cur is not None:
        cur["used_max"] = max(cur["used_max"], used)
        cur["rss_max"] = max(cur["rss_max"], r)
        cur["seen"] |= busy
        if not busy and (cur["seen"] or num(d, "rdb_saves") != cur["saves0"]):
            cur["secs"] = now - cur["t"]
            snaps.append(cur)
            cur = None
            maxes["slice"] = max(maxes["slice"], num(d, "snapshot_last_max_slice_us"))
            maxes["dur"] = max(maxes["dur"], num(d, "snapshot_last_duration_ms"))
            maxes["fork"] = max(maxes["fork"], num(d, "latest_fork_usec"))
            maxes["cow"] = max(maxes["cow"], num(d, "rdb_last_cow_size"))
            maxes["early"] += num(d, "snapshot_last_copied_early")
            maxes["bytes"] = num(d, "snapshot_last_bytes")
            if d.get("rdb_last_bgsave_status", "ok") != "ok":
                errors += 1
    stopping = os.path.exists(stopfile)
    if stopping and stop_at is None:
        stop_at = now
    # The first BGSAVE waits a moment, so the load generators are connected
    # and busy when redis-server forks.
    if mode == "bgsave" and cur is None and not busy and not stopping and now - t0 >= 0.3:
        saves0 = num(d, "rdb_saves")
        reply = call("BGSAVE")
        if reply.startswith("-"):
            errors += 1
        else:
            cur = {"t": time.monotonic(), "used0": used, "rss0": r, "used_max": used, "rss_max": r,
                   "saves0": saves0, "seen": False}
    if stopping and cur is None and not busy:
        break
    time.sleep(interval)

window = (stop_at or time.monotonic()) - t0
run1, wait1 = sched()
span = time.monotonic() - t0
def pct(a, b):
    return 100.0 * a / b if b > 0 else 0.0
g = max(snaps, key=lambda c: pct(c["used_max"] - c["used0"], c["used0"]), default=None)
gr = max(snaps, key=lambda c: pct(c["rss_max"] - c["rss0"], c["rss0"]), default=None)
secs = [c["secs"] for c in snaps]
print(" ".join("%s=%s" % kv for kv in [
    ("sampler", mode), ("window_s", "%.2f" % window), ("samples", samples),
    ("in_snapshot_pct", "%.1f" % pct(in_snap, samples)), ("snapshots", len(snaps)),
    ("snapshot_s_mean", "%.3f" % (sum(secs) / len(secs) if secs else 0)),
    ("snapshot_s_max", "%.3f" % max(secs, default=0)),
    ("used_before", used0), ("used_after", used_last), ("rss_before", rss0),
    ("used_growth_per_s", "%.0f" % ((used_last - used0) / window if window > 0 else 0)),
    ("growth_bytes", g["used_max"] - g["used0"] if g else 0),
    ("growth_pct", "%.2f" % (pct(g["used_max"] - g["used0"], g["used0"]) if g else 0)),
    ("growth_of_s", "%.3f" % (g["secs"] if g else 0)),
    ("rss_growth_bytes", gr["rss_max"] - gr["rss0"] if gr else 0),
    ("rss_growth_pct", "%.2f" % (pct(gr["rss_max"] - gr["rss0"], gr["rss0"]) if gr else 0)),
    ("server_duration_ms_max", maxes["dur"]), ("max_slice_us", maxes["slice"]),
    ("bytes", maxes["bytes"]), ("copied_early", maxes["early"]),
    ("fork_usec_max", maxes["fork"]), ("cow_bytes_max", maxes["cow"]),
    ("cow_peak_bytes", maxes["cow_peak"]),
    ("loop_cpu_pct", "%.1f" % (100.0 * (run1 - run0) / 1e9 / span)),
    ("loop_runq_wait_pct", "%.1f" % (100.0 * (wait1 - wait0) / 1e9 / span)),
    ("loadavg", open("/proc/loadavg").read().split()[0]), ("errors", errors)]))
EOF

port() { local v=PORT_$1; echo "${!v}"; }
pid() { local v=PID_$1; echo "${!v}"; }
cli() { local s=$1; shift; redis-cli -p "$(port "$s")" "$@" | tr -d '\r'; }
infof() { cli "$1" info "$2" | sed -n "s/^$3://p"; }

# Keys and orders into server S (ordis or redis); N orders.
load_data() {
  local s=$1 n=$2 t0 t1 got line
  t0=$(date +%s.%N)
  "${pin_gen[@]}" $loadgen --port "$(port "$s")" --load "$KEYS" >>"$log" || die "$s: loading keys failed"
  got=$(cli "$s" dbsize)
  [ "$got" = "$KEYS" ] || die "$s holds $got keys after loading $KEYS"
  t1=$(date +%s.%N)
  line=$("${pin_gen[@]}" "$GEN" --port "$(port "$s")" --target "$s" --fill "$n" --users "$USERS" \
    --symbols "$SYMBOLS" 2>&1 | tee -a "$log" | grep '^fill ' || true)
  [ "$(field errors "$line")" = 0 ] || die "$s: errors while placing $n orders (see $log)"
  echo "$s data keys=$KEYS orders=$n keys_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')" \
    "$line" | tee -a "$log" >&2
  if [ "$s" = ordis ]; then
    got=$(infof ordis orders orders_live)
    [ "$got" = "$n" ] || die "ordis holds $got live orders after placing $n"
  fi
}

declare -A R
# window S MODE ROUND: one window of load on S, with (MODE=bgsave) or
# without (MODE=none) snapshots back to back.
window() {
  local s=$1 mode=$2 r=$3 stop=$data/stop kvf=$data/kv.out smf=$data/sampler.out
  local spid kpid=0 line kv sm
  rm -f "$stop"
  python3 "$data/sampler.py" "$(port "$s")" "$(pid "$s")" "$mode" "$stop" "$SAMPLE_MS" >"$smf" &
  spid=$!
  if [ "$KV_CONNS" -gt 0 ]; then
    "${pin_gen[@]}" $loadgen --port "$(port "$s")" --seconds "$SECS" --conns "$KV_CONNS" \
      --ratio 1:1 --keys "$KEYS" --value-size 32 >"$kvf" &
    kpid=$!
  fi
  line=$("${pin_gen[@]}" "$GEN" --port "$(port "$s")" --pid "$(pid "$s")" --target "$s" \
    --clients $CONNS --pipeline 1 --duration "$SECS" --users "$USERS" --symbols "$SYMBOLS" \
    --seed $((r + 1)) | tee -a "$log" | grep '^summary ' || true)
  [ "$kpid" = 0 ] || wait "$kpid" || true
  touch "$stop"
  wait "$spid" || die "$s $mode round $r: the sampler failed"
  [ -n "$line" ] || die "$s $mode round $r: ordis-bench failed (see $log)"
  kv=$(cat "$kvf" 2>/dev/null || true) sm=$(cat "$smf")
  echo "$s $mode round=$r $line" >>"$log"
  echo "$s $mode round=$r kv $kv" >>"$log"
  echo "$s $mode round=$r $sm" >>"$log"
  echo "$s $mode round=$r mix ops/s $(field ops_per_sec "$line") p99_us $(field p99_us "$line");" \
    "kv ops/s $(field ops_per_sec "$kv") p99_us $(field p99_us "$kv"); snapshots $(field snapshots "$sm")" \
    "in_snapshot $(field in_snapshot_pct "$sm")% growth $(field growth_pct "$sm")%;" \
    "loop thread cpu $(field loop_cpu_pct "$sm")% runq wait $(field loop_runq_wait_pct "$sm")%;" \
    "loadavg $(field loadavg "$sm")" >&2
  local k=$s,$mode
  R[$k,ops]+=" $(field ops "$line")" R[$k,secs]+=" $(field seconds "$line")"
  R[$k,p50s]+=" $(field p50_us "$line")" R[$k,p99s]+=" $(field p99_us "$line")"
  R[$k,err]=$((${R[$k,err]:-0} + $(field errors "$line") + $(field mismatch "$line")))
  if [ -n "$kv" ]; then
    R[$k,kvops]+=" $(field ops "$kv")" R[$k,kvsecs]+=" $(field seconds "$kv")"
    R[$k,kvp99s]+=" $(field p99_us "$kv")"
    R[$k,err]=$((R[$k,err] + $(field errors "$kv")))
  fi
  R[$k,snaps]=$((${R[$k,snaps]:-0} + $(field snapshots "$sm")))
  R[$k,serr]=$((${R[$k,serr]:-0} + $(field errors "$sm")))
  for f in in_snapshot_pct snapshot_s_mean snapshot_s_max growth_pct growth_bytes rss_growth_pct \
    used_growth_per_s server_duration_ms_max max_slice_us bytes copied_early fork_usec_max \
    cow_bytes_max cow_peak_bytes used_before loop_cpu_pct loop_runq_wait_pct loadavg; do
    R[$k,$f]+=" $(field $f "$sm")"
  done
}

# rounds S: ROUNDS rounds of both windows, then the totals.
rounds() {
  local s=$1 r m k
  for ((r = 0; r < ROUNDS; r++)); do
    if [ $((r % 2)) = 0 ]; then m="none bgsave"; else m="bgsave none"; fi
    for mode in $m; do window "$s" "$mode" "$r"; sleep 0.5; done
  done
  for mode in none bgsave; do
    k=$s,$mode
    R[$k,opsps]=$(sum_rate "${R[$k,ops]}" "${R[$k,secs]}")
    R[$k,p50]=$(median <<<"${R[$k,p50s]}") R[$k,p99]=$(median <<<"${R[$k,p99s]}")
    if [ "$KV_CONNS" -gt 0 ]; then
      R[$k,kvopsps]=$(sum_rate "${R[$k,kvops]}" "${R[$k,kvsecs]}")
      R[$k,kvp99]=$(median <<<"${R[$k,kvp99s]}")
    fi
  done
}
sum_rate() {
  awk -v o="$1" -v t="$2" 'BEGIN {n = split(o, a, " "); split(t, b, " ");
    for (i = 1; i <= n; i++) {x += a[i]; y += b[i]} if (y > 0) printf "%.0f", x / y; else print "n/a"}'
}
maxof() { tr ' ' '\n' | grep . | sort -g | tail -1; }
meanof() { tr ' ' '\n' | grep . | awk '{s += $1; n++} END {if (n) printf "%.3f", s / n; else print "n/a"}'; }

# --- ordis -------------------------------------------------------------------
ORDIS_OPTS=(--dir "$data/ordis" --appendonly yes --appendfsync always --save ''
  --auto-snapshot-wal-size 0 --order-table-capacity "$CAPACITY" --loglevel notice)
mkdir -p "$data/ordis"
start ordis "$ORDIS" "$out/snapshot-ordis.log" "${ORDIS_OPTS[@]}" ||
  die "ordis did not start (see $out/snapshot-ordis.log)"
[ "$(cli ordis config get appendfsync | tail -1)" = always ] || die "ordis: appendfsync is not always"
[ "$(cli ordis config get appendonly | tail -1)" = yes ] || die "ordis: appendonly is not yes"
[ "$(cli ordis config get auto-snapshot-wal-size | tail -1)" = 0 ] || die "ordis: auto-snapshot-wal-size is not 0"
probe=$(cli ordis ORDER.TOP SYM0001 2>&1 | head -1)
[[ "$probe" != ERR* ]] || die "ordis does not answer ORDER.* (ORDER.TOP -> $probe)"
load_data ordis "$ORDERS"
R[ordis,used]=$(infof ordis memory used_memory)
R[ordis,order_mem]=$(infof ordis orders order_memory_bytes)
rounds ordis

# Recovery: a fresh snapshot, WAL after it, kill -9, restart.
cli ordis bgsave >/dev/null
for _ in $(seq 6000); do
  [ "$(infof ordis persistence rdb_bgsave_in_progress)" = 0 ] && break
  sleep 0.05
done
[ "$(infof ordis persistence rdb_last_bgsave_status)" = ok ] || die "ordis: the last BGSAVE failed"
"${pin_gen[@]}" "$GEN" --port "$PORT_ordis" --target ordis --fill "$WAL_ORDERS" --users "$USERS" \
  --symbols "$SYMBOLS" >>"$log" 2>&1 || die "ordis: placing the WAL orders failed (see $log)"
wal_sets=$((KEYS < 100000 ? KEYS : 100000))
"${pin_gen[@]}" $loadgen --port "$PORT_ordis" --load "$wal_sets" >>"$log" || die "ordis: SETs after the snapshot failed"
pre_keys=$(cli ordis dbsize) pre_orders=$(infof ordis orders orders_live)
snap_lsn=$(infof ordis persistence snapshot_lsn) last_lsn=$(infof ordis persistence wal_last_lsn)
snap_bytes=$(stat -c %s "$data/ordis/dump.rdb")
wal_bytes=$(infof ordis persistence wal_bytes_since_snapshot)
echo "recovery before kill: keys=$pre_keys orders=$pre_orders snapshot_lsn=$snap_lsn wal_last_lsn=$last_lsn" \
  "snapshot_bytes=$snap_bytes wal_bytes_since_snapshot=$wal_bytes" | tee -a "$log" >&2
kill -9 "$PID_ordis"
wait "$PID_ordis" 2>/dev/null || true
cp "$out/snapshot-ordis.log" "$out/snapshot-ordis-first.log"
# Restart on the same port; time from the launch until PONG (a client
# polling every 5 ms; wall clock, so python's own start-up is not missed).
launch=$(date +%s.%N)
"${pin_server[@]}" "$ORDIS" --port "$PORT_ordis" --bind 127.0.0.1 "${ORDIS_OPTS[@]}" \
  >"$out/snapshot-ordis.log" 2>&1 &
PID_ordis=$!
pids+=("$PID_ordis")
restart=$(python3 - "$PORT_ordis" "$launch" <<'EOF'
import socket, sys, time
t0, loading, port = float(sys.argv[2]), 0, int(sys.argv[1])
while time.time() - t0 < 600:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            f = s.makefile("rb")
            while True:
                s.sendall(b"PING\r\n")
                l = f.readline()
                if not l:
                    break
                if l.startswith(b"+PONG"):
                    print("pong_s=%.3f loading_replies=%d" % (time.time() - t0, loading))
                    sys.exit(0)
                if l.startswith(b"-LOADING"):
                    loading += 1
                time.sleep(0.005)
    except OSError:
        time.sleep(0.005)
print("pong_s=n/a loading_replies=%d" % loading)
sys.exit(1)
EOF
) || die "ordis did not answer PONG after the restart (see $out/snapshot-ordis.log)"
post_keys=$(cli ordis dbsize) post_orders=$(infof ordis orders orders_live)
snap_line=$(grep -m1 'DB loaded from disk' "$out/snapshot-ordis.log" || true)
wal_line=$(grep -m1 'DB loaded from append only file' "$out/snapshot-ordis.log" || true)
echo "recovery after restart: $restart keys=$post_keys orders=$post_orders" | tee -a "$log" >&2
echo "recovery log: $snap_line" | tee -a "$log" >&2
echo "recovery log: $wal_line" | tee -a "$log" >&2
load_s=$(sed -n 's/.*DB loaded from disk: \([0-9.]*\) seconds.*/\1/p' <<<"$snap_line")
load_rate=$(sed -n 's/.* orders at \([0-9]*\) orders\/s.*/\1/p' <<<"$snap_line")
load_orders=$(sed -n 's/.* s, \([0-9]*\) orders at.*/\1/p' <<<"$snap_line")
load_keys=$(sed -n 's/.*CPU (\([0-9]*\) keys in.*/\1/p' <<<"$snap_line")
wal_s=$(sed -n 's/.*append only file: \([0-9.]*\) seconds.*/\1/p' <<<"$wal_line")
wal_entries=$(sed -n 's/.* \([0-9]*\) entries replayed.*/\1/p' <<<"$wal_line")
kill "$PID_ordis" 2>/dev/null || true
wait "$PID_ordis" 2>/dev/null || true

# --- redis-server --------------------------------------------------------------
redis_version=n/a
if [ "$REDIS_SIDE" != 0 ]; then
  mkdir -p "$data/redis"
  start redis "$REDIS" "$out/snapshot-redis.log" --dir "$data/redis" --loglevel notice ||
    die "redis-server did not start (see $out/snapshot-redis.log)"
  redis-cli -p "$PORT_redis" -x FUNCTION LOAD REPLACE <"$LUA" >/dev/null
  redis_version=$(infof redis server redis_version)
  load_data redis "$REDIS_ORDERS"
  R[redis,used]=$(infof redis memory used_memory)
  rounds redis
  kill "$PID_redis" 2>/dev/null || true
  wait "$PID_redis" 2>/dev/null || true
fi

# --- report ------------------------------------------------------------------
num() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]]; }
ratio() { if num "$1" && num "$2" && [ "$2" != 0 ]; then awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; else echo n/a; fi; }
ms() { if num "$1"; then awk -v a="$1" 'BEGIN {printf "%.3f", a / 1000}'; else echo n/a; fi; }
mb() { if num "$1"; then awk -v a="$1" 'BEGIN {printf "%.1f", a / 1048576}'; else echo n/a; fi; }
v() { echo "${R[$1,$2,$3]:-n/a}"; }
pct1() { if num "$1"; then awk -v a="$1" 'BEGIN {printf "%.1f", a}'; else echo n/a; fi; }
sides=ordis
[ "$REDIS_SIDE" != 0 ] && sides="ordis redis"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo
echo "### Snapshot under load and recovery: ordis vs redis-server $redis_version"
echo
echo "$(date -u +%Y-%m-%d), $(nproc) CPUs ($cpu), loopback; data on $DEV ($FSTYPE)$disk_note." \
  "**ordis**: --appendonly yes --appendfsync always --save '' --auto-snapshot-wal-size 0," \
  "$KEYS keys (32-byte values) + $ORDERS live orders, used_memory $(mb "${R[ordis,used]}") MB" \
  "(orders $(mb "${R[ordis,order_mem]}") MB); BGSAVE is fork-free (slices with copy-before-write)."
if [ "$REDIS_SIDE" != 0 ]; then
  echo "**redis-server**: --appendonly no --save '', $KEYS keys + $REDIS_ORDERS orders as hashes" \
    "through utils/redis-orders.lua, used_memory $(mb "${R[redis,used]}") MB; BGSAVE forks."
fi
echo "Load: ordis-bench default mix (place/open/depth/amend/cancel/fill), $CONNS connections," \
  "pipeline 1, plus loadgen SET:GET 1:1 over the keys at $KV_CONNS connections; $ROUNDS rounds" \
  "of a $SECS s window without and a $SECS s window with BGSAVE back to back (alternating);" \
  "p99 = median of the rounds. Memory growth = largest used_memory (RSS) seen during a snapshot" \
  "minus the value just before its BGSAVE, % of that value (worst snapshot); sampled every" \
  "$SAMPLE_MS ms. \"load alone\" = used_memory growth of the baseline windows over the same time." \
  "Main thread CPU / run-queue wait: % of the window the server's main (loop) thread ran / was" \
  "runnable but waiting for a CPU (/proc/PID/task/PID/schedstat; mean of the rounds)."
echo
echo "| server | window | mix ops/s | mix p50 ms | mix p99 ms | SET:GET ops/s | SET:GET p99 ms | time in snapshot | snapshots | main thread CPU % / run-queue wait % | errors |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for s in $sides; do
  for mode in none bgsave; do
    name="baseline"; [ $mode = bgsave ] && name="BGSAVE back to back"
    echo "| $s | $name | $(v $s $mode opsps) | $(ms "$(v $s $mode p50)") | $(ms "$(v $s $mode p99)") |" \
      "$(v $s $mode kvopsps) | $(ms "$(v $s $mode kvp99)") |" \
      "$(pct1 "$(meanof <<<"$(v $s $mode in_snapshot_pct)")")% | $(v $s $mode snaps) |" \
      "$(pct1 "$(meanof <<<"$(v $s $mode loop_cpu_pct)")") / $(pct1 "$(meanof <<<"$(v $s $mode loop_runq_wait_pct)")") |" \
      "$(v $s $mode err)/$(v $s $mode serr) |"
  done
  echo "| $s | **ratio** | $(ratio "$(v $s bgsave opsps)" "$(v $s none opsps)")× |" \
    "$(ratio "$(v $s bgsave p50)" "$(v $s none p50)")× | **$(ratio "$(v $s bgsave p99)" "$(v $s none p99)")×** |" \
    "$(ratio "$(v $s bgsave kvopsps)" "$(v $s none kvopsps)")× | **$(ratio "$(v $s bgsave kvp99)" "$(v $s none kvp99)")×** | | | | |"
done
echo
for s in $sides; do
  k=$s,bgsave
  R[$s,snap_s]=$(meanof <<<"${R[$k,snapshot_s_mean]}")
  R[$s,growth]=$(maxof <<<"${R[$k,growth_pct]}")
  R[$s,growth_mb]=$(mb "$(maxof <<<"${R[$k,growth_bytes]}")")
  R[$s,rss_growth]=$(maxof <<<"${R[$k,rss_growth_pct]}")
  # What the load alone adds over a snapshot's duration, % of the data.
  R[$s,load_growth]=$(awk -v g="$(meanof <<<"${R[$s,none,used_growth_per_s]}")" -v t="${R[$s,snap_s]}" \
    -v u="${R[$s,used]}" 'BEGIN {if (u > 0) printf "%.2f", 100 * g * t / u; else print "n/a"}')
done
echo "| server | snapshot s (mean) | server-side ms (max) | file MB | longest slice ms / fork ms | used_memory growth | RSS growth | load alone | copy-on-write |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
k=ordis,bgsave
echo "| ordis | ${R[ordis,snap_s]} | $(maxof <<<"${R[$k,server_duration_ms_max]}") |" \
  "$(mb "$(maxof <<<"${R[$k,bytes]}")") | slice $(ms "$(maxof <<<"${R[$k,max_slice_us]}")") |" \
  "${R[ordis,growth]}% (${R[ordis,growth_mb]} MB) | ${R[ordis,rss_growth]}% | ${R[ordis,load_growth]}% |" \
  "$(awk -v s="${R[$k,copied_early]}" 'BEGIN {n = split(s, a, " "); for (i = 1; i <= n; i++) t += a[i]; print t}') records copied before a change |"
if [ "$REDIS_SIDE" != 0 ]; then
  k=redis,bgsave
  cow=$(maxof <<<"${R[$k,cow_bytes_max]} ${R[$k,cow_peak_bytes]}")
  echo "| redis | ${R[redis,snap_s]} | n/a | n/a | fork $(ms "$(maxof <<<"${R[$k,fork_usec_max]}")") |" \
    "${R[redis,growth]}% (${R[redis,growth_mb]} MB, parent) | ${R[redis,rss_growth]}% (parent) | ${R[redis,load_growth]}% |" \
    "$(mb "$cow") MB = $(awk -v c="$cow" -v u="${R[redis,used]}" 'BEGIN {if (u > 0) printf "%.2f", 100 * c / u; else print "n/a"}')% of used_memory |"
fi
echo
echo "Recovery (kill -9 after a snapshot and $WAL_ORDERS orders + $wal_sets SETs more; snapshot" \
  "$(mb "$snap_bytes") MB, WAL since it $(mb "$wal_bytes") MB):"
echo
echo "| keys | orders | snapshot load s | orders/s | WAL entries replayed (expected) | WAL replay s | restart to PONG s | -LOADING replies | state after restart |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---|"
state="equal (keys $post_keys, orders $post_orders)"
state_ok=1
if [ "$post_keys" != "$pre_keys" ] || [ "$post_orders" != "$pre_orders" ]; then
  state="**differs**: keys $pre_keys → $post_keys, orders $pre_orders → $post_orders" state_ok=0
fi
echo "| ${load_keys:-n/a} | ${load_orders:-n/a} | ${load_s:-n/a} | ${load_rate:-n/a} |" \
  "${wal_entries:-n/a} ($((last_lsn - snap_lsn))) | ${wal_s:-n/a} | $(field pong_s "$restart") |" \
  "$(field loading_replies "$restart") | $state |"

verdicts=()
check() {  # check OK(0/1) TEXT
  local t
  if [ "$1" = 1 ]; then t="PASS  $2"; else t="MISS  $2"; fi
  verdicts+=("$t")
  echo "$t" >>"$log"
}
le() { num "$1" && num "$2" && awk -v a="$1" -v b="$2" 'BEGIN {exit !(a <= b)}'; }
x=$(ratio "$(v ordis bgsave p99)" "$(v ordis none p99)")
ok=0; le "$x" 1.5 && ok=1
check $ok "snapshot under load, ORDER.* mix p99: $(ms "$(v ordis bgsave p99)") ms during BGSAVE vs $(ms "$(v ordis none p99)") ms without = ${x}× (target <= 1.5×)"
if [ "$KV_CONNS" -gt 0 ]; then
  x=$(ratio "$(v ordis bgsave kvp99)" "$(v ordis none kvp99)")
  ok=0; le "$x" 1.5 && ok=1
  check $ok "snapshot under load, SET:GET p99: $(ms "$(v ordis bgsave kvp99)") ms during BGSAVE vs $(ms "$(v ordis none kvp99)") ms without = ${x}× (target <= 1.5×)"
fi
ok=0; le "${R[ordis,growth]}" 10 && ok=1
check $ok "memory growth during the snapshot: used_memory +${R[ordis,growth]}% (RSS +${R[ordis,rss_growth]}%) of the data size (target <= 10%)"
ok=0; num "${load_rate:-}" && le 1000000 "$load_rate" && ok=1
check $ok "recovery: snapshot load ${load_rate:-n/a} orders/s (${load_orders:-n/a} orders; the whole load incl. keys took ${load_s:-n/a} s; target >= 1000000/s), then ${wal_entries:-n/a} WAL entries in ${wal_s:-n/a} s"
check $state_ok "recovery: DBSIZE and orders_live after kill -9 + restart equal to before ($state)"
if [ "$REDIS_SIDE" != 0 ]; then
  echo >>"$log"
  echo "redis-server: latest_fork_usec $(maxof <<<"${R[redis,bgsave,fork_usec_max]}")," \
    "p99 ratio $(ratio "$(v redis bgsave p99)" "$(v redis none p99)")" >>"$log"
fi
echo
echo "Targets (durability issue, points 3 and 4; PASS/MISS as measured in this run):"
echo
echo '```'
printf '%s\n' "${verdicts[@]}"
echo '```'
