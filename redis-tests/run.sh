#!/usr/bin/env bash
# Runs units of the upstream Redis 7.0 Tcl test suite (external-server mode)
# against ordis and judges the results against redis-tests/expectations.txt.
# Last line: "SUITE-RESULT redis-tests <passed> <failed>". See README.md.
#
#   redis-tests/run.sh                 run and judge (exit 1 on any failure)
#   redis-tests/run.sh --update        rewrite expectations.txt from this run
#   redis-tests/run.sh --server redis  run real redis-server, rewrite the baseline
#   --unit U (repeatable)              run a subset of the units
#   --durable                          diagnostics: keep going after a test
#                                      raises (never with --update)
# Environment:
#   ORDIS_SERVER            server binary (default build/release/ordis-server)
#   REDIS_SERVER            reference binary for --server redis (/usr/bin/redis-server)
#   REDIS_TESTS_PORT        first port tried for the server (default 7105)
#   REDIS_TESTS_BASEPORT    runtest --baseport (default 21600)
#   REDIS_TESTS_UNIT_TIMEOUT  seconds per unit (default 600)
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
HERE=$ROOT/redis-tests
CACHE=$HERE/cache
SUITE=$CACHE/suite
. "$HERE/lib.sh"
EXPECT=$HERE/expectations.txt
BASELINE=$HERE/baseline-redis-7.0.15.txt

UNITS_DEFAULT="unit/type/string unit/type/incr unit/keyspace unit/expire unit/protocol
unit/info-command unit/quit unit/bitops unit/introspection-2 unit/pubsub"
# unit/pubsubshard is not listed: every test in it is tagged external:skip
# (it needs its own servers), so external mode runs none of it.

# Tag exclusions. Each one needs a reason here.
#   needs:repl  ordis has no replication: tests attach a replica stream.
#   needs:save  ordis has no RDB snapshots (SAVE/BGSAVE/DEBUG RELOAD).
TAGS=(--tags -needs:repl --tags -needs:save)

mode=check
server_kind=ordis
durable=0
units=()
while [ $# -gt 0 ]; do
  case $1 in
    --update) mode=update ;;
    --server) server_kind=${2:-}; shift ;;
    --server=*) server_kind=${1#--server=} ;;
    --unit) units+=("${2:-}"); shift ;;
    --durable) durable=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ ${#units[@]} -eq 0 ] && read -r -d '' -a units <<<"$UNITS_DEFAULT"
SERVER_KIND=$server_kind
case $server_kind in
  ordis) SERVER_BIN=${ORDIS_SERVER:-build/release/ordis-server} ;;
  redis) SERVER_BIN=${REDIS_SERVER:-/usr/bin/redis-server}; mode=baseline ;;
  *) echo "run.sh: --server must be ordis or redis" >&2; exit 2 ;;
esac
if [ "$durable" = 1 ] && [ "$mode" != check ]; then
  echo "run.sh: --durable is for diagnostics only; results would not match a normal run" >&2
  exit 2
fi
UNIT_TIMEOUT=${REDIS_TESTS_UNIT_TIMEOUT:-600}
BASEPORT=${REDIS_TESTS_BASEPORT:-21600}

fail_early() {
  echo "redis-tests: $*"
  echo "SUITE-RESULT redis-tests 0 1"
  exit 1
}

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo

# --- Obtaining the suite -----------------------------------------------------

have_redis_source() {
  apt-cache showsrc redis 2>/dev/null | grep -q '^Package: redis$'
}

# True when some enabled apt source already has deb-src entries.
have_deb_src_entry() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] && grep -qE '^[[:space:]]*deb-src[[:space:]]' "$f" && return 0
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'BEGIN{RS=""; found=0}
         /(^|\n)Types:[^\n]*deb-src/ && !/(^|\n)Enabled:[[:space:]]*no/ {found=1}
         END{exit !found}' "$f" && return 0
  done
  return 1
}

# Prints a deb822 deb-src twin of the machine's Debian sources: same URIs,
# suites, components and keys, so no mirror name is ever baked in here.
derive_deb_src() {
  local deb822=/etc/apt/sources.list.d/debian.sources
  if [ -f "$deb822" ]; then
    echo "# deb-src twin of $deb822, written by ordis redis-tests/run.sh"
    # Paragraph mode: one stanza per record; keep those with a "deb" type.
    awk 'BEGIN{RS=""; ORS="\n\n"}
         /(^|\n)Enabled:[[:space:]]*no/ {next}
         {
           n = split($0, L, "\n"); out = ""; keep = 0
           for (i = 1; i <= n; i++) {
             if (L[i] ~ /^Types:/) {
               if (L[i] ~ /[[:space:]]deb([[:space:]]|$)/) keep = 1
               L[i] = "Types: deb-src"
             }
             out = out L[i] (i < n ? "\n" : "")
           }
           if (keep) print out
         }' "$deb822"
    return
  fi
  local list=/etc/apt/sources.list codename
  [ -f "$list" ] || return 1
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || return 1
  echo "# deb-src twin of $list, written by ordis redis-tests/run.sh"
  # One-line format: deb [opts] URI SUITE COMPONENT...; only this release's suites.
  awk -v codename="$codename" '
    $1 != "deb" {next}
    {
      opts = ""; i = 2
      if ($2 ~ /^\[/) {
        while (i <= NF) { opts = opts " " $i; if ($i ~ /\]$/) { i++; break } ; i++ }
        gsub(/^ *\[ *| *\] *$/, "", opts)
      }
      uri = $i; suite = $(i + 1); comps = ""
      for (j = i + 2; j <= NF; j++) comps = comps (comps == "" ? "" : " ") $j
      if (suite !~ ("^" codename "([-/]|$)")) next
      print "Types: deb-src"; print "URIs: " uri; print "Suites: " suite
      print "Components: " comps
      m = split(opts, O, " ")
      for (k = 1; k <= m; k++) {
        split(O[k], kv, "=")
        if (kv[1] == "signed-by") print "Signed-By: " kv[2]
        if (kv[1] == "arch") print "Architectures: " kv[2]
      }
      print ""
    }' "$list"
}

ensure_redis_source() {
  have_redis_source && return 0
  local out=/etc/apt/sources.list.d/ordis-deb-src.sources
  if ! have_deb_src_entry; then
    local text
    text=$(derive_deb_src) || fail_early "no Debian apt sources file to derive deb-src from"
    grep -q '^Types: deb-src' <<<"$text" || fail_early "no deb entries found in the apt sources"
    echo "redis-tests: writing $out (deb-src entries) and running apt-get update"
    printf '%s\n' "$text" | $SUDO tee "$out" >/dev/null || fail_early "cannot write $out"
  fi
  $SUDO apt-get update -q >/dev/null || fail_early "apt-get update failed"
  have_redis_source || fail_early "apt has no source package 'redis' even with deb-src"
}

# Downloads Debian's redis source package and keeps only the Tcl harness:
# runtest and tests/ without the module, cluster and sentinel parts.
ensure_suite() {
  [ -f "$SUITE/.complete" ] && return 0
  command -v dpkg-source >/dev/null || fail_early "dpkg-source missing (make deps installs dpkg-dev)"
  ensure_redis_source
  local dl=$CACHE/download
  rm -rf "$dl" "$SUITE"
  mkdir -p "$dl"
  echo "redis-tests: fetching the Debian redis source package"
  if ! (cd "$dl" && apt-get source --download-only -q redis) >"$CACHE/fetch.log" 2>&1; then
    cat "$CACHE/fetch.log"
    fail_early "apt-get source failed"
  fi
  local dsc ver
  dsc=$(ls "$dl"/redis_*.dsc 2>/dev/null | head -1)
  [ -n "$dsc" ] || fail_early "no .dsc downloaded"
  ver=$(sed -n 's/^Version: //p' "$dsc")
  case $ver in
    *:7.0.*|7.0.*) ;;
    *) fail_early "Debian's redis source is $ver, not 7.0.x" ;;
  esac
  # dpkg-source applies Debian's patches (some touch tests/unit/keyspace.tcl).
  (cd "$dl" && dpkg-source -q -x "$(basename "$dsc")" src >/dev/null 2>&1) \
    || fail_early "dpkg-source -x failed"
  mkdir -p "$SUITE/tests/tmp"
  cp "$dl/src/runtest" "$SUITE/"
  cp -r "$dl/src/tests/test_helper.tcl" "$dl/src/tests/support" "$dl/src/tests/helpers" \
    "$dl/src/tests/assets" "$dl/src/tests/unit" "$dl/src/tests/integration" "$SUITE/tests/"
  echo "$ver" >"$SUITE/VERSION"
  touch "$SUITE/.complete"
  rm -rf "$dl"
  echo "redis-tests: cached Debian redis $ver test suite in ${SUITE#"$ROOT"/}"
}

# --- Main --------------------------------------------------------------------

[ -x "$SERVER_BIN" ] || fail_early "server binary $SERVER_BIN not found (build it first)"
[ -x "$PY" ] || fail_early "$PY missing"
command -v tclsh8.6 >/dev/null || command -v tclsh8.5 >/dev/null || fail_early "tclsh missing (make deps)"
if [ "$server_kind" = redis ]; then
  "$SERVER_BIN" --version | grep -q 'v=7\.0\.15' ||
    echo "redis-tests: WARNING: $SERVER_BIN is not redis 7.0.15: $("$SERVER_BIN" --version)"
fi
mkdir -p "$CACHE"
ensure_suite

WORK=$(mktemp -d /tmp/ordis-redis-tests.XXXXXX)
trap 'stop_server' EXIT
trap 'exit 130' INT TERM

FIRST_PORT=${REDIS_TESTS_PORT:-7105}
start_server "$FIRST_PORT" --enable-debug-command yes || fail_early "cannot start $SERVER_BIN (see $WORK/server)"
echo "redis-tests: $server_kind ($SERVER_BIN) on port $server_port, suite $(cat "$SUITE/VERSION")"

extra=()
[ "$durable" = 1 ] && extra+=(--durable) && echo "redis-tests: --durable: diagnostics run"
results=()
for u in "${units[@]}"; do
  name=$(echo "$u" | tr / _)
  log=$WORK/$name.log
  note=""
  if ! server_alive; then
    stop_server
    start_server "$FIRST_PORT" --enable-debug-command yes || fail_early "cannot restart $SERVER_BIN"
    note="server restarted before this unit"
  fi
  # Tests marked "skip" in the expectations would abort the unit if run.
  skips=()
  if [ "$mode" != baseline ]; then
    "$PY" "$HERE/judge.py" --mode skiplist --unit "$u" --expectations "$EXPECT" \
      --baseline "$BASELINE" >"$WORK/$name.skip" || fail_early "bad $EXPECT"
    [ -s "$WORK/$name.skip" ] && skips=(--skipfile "$WORK/$name.skip")
  fi
  t0=$(date +%s)
  # timeout(1) runs runtest in its own process group and kills the whole
  # group (test server and its test client) when the unit overruns.
  (cd "$SUITE" && TERM=dumb timeout -k 10 "$UNIT_TIMEOUT" ./runtest --host 127.0.0.1 \
    --port "$server_port" --baseport "$BASEPORT" --single "$u" "${TAGS[@]}" --clients 1 \
    --timeout "$UNIT_TIMEOUT" "${skips[@]}" "${extra[@]}") >"$log" 2>&1
  rc=$?
  secs=$(($(date +%s) - t0))
  crashed=0
  if ! kill -0 "$server_pid" 2>/dev/null; then crashed=1; fi
  printf 'unit=%s\nrc=%s\nseconds=%s\ncrashed=%s\ntimeout=%s\nnote=%s\n' "$u" "$rc" "$secs" \
    "$crashed" "$UNIT_TIMEOUT" "$note" >"$WORK/$name.status"
  results+=("$log")
  # A unit that died half-way may leave CONFIG overrides behind: restart.
  if [ "$crashed" = 1 ] || ! grep -qE "^\[[0-9]+/[0-9]+ done\]: $u " "$log"; then
    stop_server
    start_server "$FIRST_PORT" --enable-debug-command yes || fail_early "cannot restart $SERVER_BIN"
  fi
done
stop_server

"$PY" "$HERE/judge.py" --mode "$mode" --expectations "$EXPECT" --baseline "$BASELINE" \
  --server-log "$WORK/server/server.log" "${results[@]}" >"$WORK/judge.out"
rc=$?
# The SUITE-RESULT line must stay last: the log note goes before it.
grep -v '^SUITE-RESULT ' "$WORK/judge.out"
result=$(grep '^SUITE-RESULT ' "$WORK/judge.out")
if [ "$rc" -eq 0 ]; then
  rm -rf "$WORK"
else
  echo "redis-tests: logs kept in $WORK"
fi
[ -n "$result" ] && echo "$result"
exit "$rc"
