#!/usr/bin/env bash
# Client-library checks: redis-py, redis-cli and hiredis against one server.
# Each check is one test; last line: "SUITE-RESULT clients <passed> <failed>".
#
#   redis-tests/clients/run.sh                 against ordis ($ORDIS_SERVER,
#                                              default build/release/ordis-server)
#   redis-tests/clients/run.sh --server redis  against real redis-server (checks the checks)
# Environment: CLIENTS_PORT first port tried (default 7107).
set -u
cd "$(dirname "$0")/../.." || exit 1
HERE=$(pwd)/redis-tests/clients
. "$HERE/../lib.sh"

SERVER_KIND=ordis
while [ $# -gt 0 ]; do
  case $1 in
    --server) SERVER_KIND=${2:-}; shift ;;
    --server=*) SERVER_KIND=${1#--server=} ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "clients/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
case $SERVER_KIND in
  ordis) SERVER_BIN=${ORDIS_SERVER:-build/release/ordis-server} ;;
  redis) SERVER_BIN=${REDIS_SERVER:-/usr/bin/redis-server} ;;
  *) echo "clients/run.sh: --server must be ordis or redis" >&2; exit 2 ;;
esac

passed=0
failed=0
failures=()
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); failures+=("$1"); }

finish() {
  echo "clients: $passed passed, $failed failed${failures[*]:+ (${failures[*]})}"
  echo "SUITE-RESULT clients $passed $failed"
  [ "$failed" -eq 0 ]
  exit
}

if [ ! -x "$SERVER_BIN" ]; then
  fail "server" "binary $SERVER_BIN not found (build it first)"
  finish
fi
WORK=$(mktemp -d /tmp/ordis-clients.XXXXXX)
keep_work=0
trap 'stop_server; [ "$keep_work" = 1 ] || rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
if ! start_server "${CLIENTS_PORT:-7107}"; then
  fail "server" "cannot start $SERVER_BIN: $(tail -3 "$WORK/server/"*.log 2>/dev/null)"
  finish
fi
P=$server_port
echo "clients: $SERVER_KIND ($SERVER_BIN) on port $P"
cli() { redis-cli -p "$P" "$@" 2>&1; }

# Before each group of checks: if the previous group killed the server, count
# that as a failure and start a fresh one so later groups still run.
last_group=startup
ensure_server() {
  if ! server_alive; then
    fail server "the server died during the $last_group checks (log: $WORK/server/server.log)"
    keep_work=1
    stop_server
    start_server "$P" || { fail server "cannot restart $SERVER_BIN"; finish; }
    P=$server_port
  fi
  last_group=$1
}

# Runs a checker program that prints "ok NAME" / "FAIL NAME: why" lines;
# a checker that dies without reporting all its checks adds one failure.
run_checker() {
  local label=$1 want=$2
  shift 2
  local out line seen=0
  out=$("$@" 2>&1)
  while IFS= read -r line; do
    case $line in
      "ok "*) ok "${line#ok }"; seen=$((seen + 1)) ;;
      "FAIL "*) local rest=${line#FAIL }; fail "${rest%%:*}" "${rest#*: }"; seen=$((seen + 1)) ;;
      *) [ -n "$line" ] && echo "   $line" ;;
    esac
  done <<<"$out"
  [ "$seen" -lt "$want" ] && fail "$label" "checker stopped after $seen of $want checks"
  return 0
}

# --- redis-py (Debian python3-redis; the pyenv python3 on PATH lacks it) ----
ensure_server redis-py
if /usr/bin/python3 -c 'import redis' 2>/dev/null; then
  run_checker redis-py 6 /usr/bin/python3 "$HERE/redis_py_check.py" "$P"
else
  fail redis-py "python3-redis is not installed for /usr/bin/python3 (make deps)"
fi

# --- hiredis ------------------------------------------------------------------
ensure_server hiredis
if g++ -std=c++20 -O1 -Wall -Wextra -Werror -o "$WORK/hiredis_check" "$HERE/hiredis_check.cpp" \
     -lhiredis >"$WORK/hiredis-build.log" 2>&1; then
  run_checker hiredis 3 "$WORK/hiredis_check" "$P"
else
  fail hiredis "build failed: $(head -5 "$WORK/hiredis-build.log")"
fi

# --- redis-cli ----------------------------------------------------------------
# show TEXT: quoted, newlines as \n, cut to 200 characters.
show() {
  local s=${1//$'\n'/\\n}
  printf "'%s'" "${s:0:200}"
}

# expect_out NAME EXPECTED ACTUAL
expect_out() {
  if [ "$3" = "$2" ]; then return 0; fi
  fail "$1" "got $(show "$3"), want $(show "$2")"
  return 1
}

check_cli_plain() {
  local n="redis-cli plain"
  cli del cli:a cli:n cli:b >/dev/null
  expect_out "$n" OK "$(cli set cli:a hello)" || return
  # Not a tty: redis-cli prints raw replies.
  expect_out "$n" hello "$(cli get cli:a)" || return
  expect_out "$n" 1 "$(cli incr cli:n)" || return
  expect_out "$n" "" "$(cli get cli:missing)" || return
  # Commands read from stdin, one per line.
  expect_out "$n" $'OK\n2\n2' "$(printf 'set cli:b 1\nincr cli:b\nget cli:b\n' | cli)" || return
  expect_out "$n" $'3\n4' "$(cli -r 2 incr cli:b)" || return
  cli del cli:a cli:n cli:b >/dev/null
  ok "$n"
}

check_cli_no_raw() {
  local n="redis-cli no-raw"
  cli del cli:a cli:n >/dev/null
  cli set cli:a hello >/dev/null
  expect_out "$n" '"hello"' "$(cli --no-raw get cli:a)" || return
  expect_out "$n" '(nil)' "$(cli --no-raw get cli:missing)" || return
  expect_out "$n" '(integer) 1' "$(cli --no-raw incr cli:n)" || return
  expect_out "$n" $'1) "hello"\n2) (nil)' "$(cli --no-raw mget cli:a cli:missing)" || return
  expect_out "$n" '(error) ERR value is not an integer or out of range' "$(cli --no-raw incr cli:a)" || return
  expect_out "$n" 'OK' "$(cli --no-raw set cli:a x)" || return
  cli del cli:a cli:n >/dev/null
  ok "$n"
}

check_cli_resp3() {
  local n="redis-cli resp3" out
  out=$(cli -3 --no-raw hello 3)
  case $out in
    *'1# "server" => '*'3# "proto" => (integer) 3'*) ;;
    *) fail "$n" "HELLO 3 map: $(show "$out")"; return ;;
  esac
  expect_out "$n" '(nil)' "$(cli -3 --no-raw get cli:missing)" || return
  cli -3 set cli:a 1.5 >/dev/null
  expect_out "$n" '"2.5"' "$(cli -3 --no-raw incrbyfloat cli:a 1)" || return
  cli del cli:a >/dev/null
  ok "$n"
}

# Mass insert: 1,000,000 SETs as raw RESP through --pipe.
check_cli_pipe() {
  local n="redis-cli pipe-1M" out size
  if ! out=$(cli flushall) || [ "$out" != OK ]; then
    fail "$n" "FLUSHALL: $out"
    return
  fi
  /usr/bin/python3 - "$WORK/mass.resp" <<'EOF'
import sys
out = bytearray()
for i in range(1_000_000):
    k = b"key:%d" % i
    v = b"value:%d" % i
    out += b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(k), k, len(v), v)
open(sys.argv[1], "wb").write(out)
EOF
  out=$(timeout 300 redis-cli -p "$P" --pipe <"$WORK/mass.resp" 2>&1)
  rm -f "$WORK/mass.resp"
  case $out in
    *"errors: 0, replies: 1000000"*) ;;
    *) fail "$n" "--pipe said: $(show "${out: -200}")"; return ;;
  esac
  size=$(cli dbsize)
  expect_out "$n" 1000000 "$size" || return
  expect_out "$n" value:999999 "$(cli get key:999999)" || return
  cli flushall >/dev/null
  ok "$n"
}

for group in plain no_raw resp3 pipe; do
  ensure_server "redis-cli $group"
  "check_cli_$group"
done
ensure_server end
finish
