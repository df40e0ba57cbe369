# Shell helpers shared by the side-by-side benchmarks (run.sh, orders.sh).
# Source it after setting `out` (log directory); it sets pin_server/pin_gen
# from BENCH_PIN and kills every server it started on exit.

pin_server=() pin_gen=()
if [ "${BENCH_PIN:-0}" = 1 ] && [ "$(nproc)" -ge 2 ]; then
  pin_server=(taskset -c 1) pin_gen=(taskset -c 0)
fi

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# start NAME BINARY LOG [OPTION...] -> sets PORT_<NAME>, PID_<NAME>; false if
# it does not answer PING within 10 s. No persistence, loopback only; extra
# options come last, so they override those (e.g. --dir D --appendonly yes).
start() {
  local name=$1 bin=$2 log=$3 port
  shift 3
  port=$(free_port)
  "${pin_server[@]}" "$bin" --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
    --loglevel warning "$@" >"$log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 100); do
    redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break
    sleep 0.1
  done
  eval "PORT_$name=$port PID_$name=$pid"
  redis-cli -p "$port" ping 2>/dev/null | grep -q PONG
}

# field NAME "k=v k=v ...": the value of NAME.
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }
# median <<<"v1 v2 ...": the upper median.
median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR] = $1} END {print v[int(NR / 2) + 1]}'; }
