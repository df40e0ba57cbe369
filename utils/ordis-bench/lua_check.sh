#!/usr/bin/env bash
# Checks utils/redis-orders.lua (ORDER.* as Redis Functions) against a real
# redis-server: loads the library and checks place/get/open/depth/top/amend/
# reduce/fill/cancel results, time priority within a price level (read from
# the book's sorted set), aggregate quantities and counts per level, exact
# decimal arithmetic and the errors of bad input.
#
#   bash utils/ordis-bench/lua_check.sh             starts its own redis-server
#   REDIS_PORT=P bash utils/ordis-bench/lua_check.sh  uses a running one
#                                                    (FLUSHALL: its data is lost)
# Prints one line per failed check, then "SUITE-RESULT lua-orders <passed> <failed>"
# (the format tests/run-all.sh reads); exits non-zero on any failure.
set -u
cd "$(dirname "$0")/../.."
LIB=${LUA_LIB:-utils/redis-orders.lua}
REDIS=${REDIS_SERVER:-redis-server}
pass=0 fail=0
pid=

if [ -z "${REDIS_PORT:-}" ]; then
  command -v "$REDIS" >/dev/null || { echo "lua_check: $REDIS not found"; exit 1; }
  REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$REDIS" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning \
    >/dev/null 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null' EXIT
  for _ in $(seq 50); do
    redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
    sleep 0.1
  done
fi

r() { redis-cli -p "$REDIS_PORT" "$@"; }
# One reply as one line: elements joined by '|' (nil and an empty array both print as '').
j() { r "$@" | paste -sd'|'; }
f() { local fn=$1; shift; j FCALL "$fn" 0 "$@"; }

# check NAME EXPECTED ACTUAL
check() {
  if [ "$2" == "$3" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    printf 'FAIL %s\n  expected: %s\n  actual:   %s\n' "$1" "$2" "$3"
  fi
}
# field ID NAME: one field of ORDER.GET
field() { r FCALL order_get 0 "$1" | awk -v k="$2" 'NR % 2 == 1 && $0 == k {getline; print; exit}'; }
# book SYMBOL B|S: order ids in book order (best price first, then time priority)
book() { r ZRANGE "ob:$1:$2" 0 -1 | sed 's/^[0-9]*://' | paste -sd' '; }
# err ...: "ERR" when the call fails, else its reply
err() { local out; out=$(f "$@"); if [[ "$out" == ERR* ]]; then echo ERR; else echo "$out"; fi; }

r FLUSHALL >/dev/null
check "function load" orders "$(r -x FUNCTION LOAD REPLACE <"$LIB")"

# --- place, get, canonical decimals
check "place 1" 1 "$(f order_place 7 BTC-USD BUY 27123.450 0.5 CID c1)"
check "place 2" 2 "$(f order_place 7 BTC-USD BUY 27123.45 1.25)"
check "place 3" 3 "$(f order_place 8 BTC-USD SELL 27200.00 2)"
check "place 4" 4 "$(f order_place 7 ETH-USD SELL 1800 00010.00000001 TYPE LIMIT_MAKER)"
check "place 5" 5 "$(f order_place 9 BTC-USD BUY 27000 3)"
got=$(f order_get 1 | cut -d'|' -f1-27,29,31-33)
check "get 1" "id|1|user|7|symbol|BTC-USD|side|BUY|type|LIMIT|tif|GTC|status|NEW|price|27123.45|qty|0.5|filled|0|remaining|0.5|quote|0|cid|c1|created|updated|seq|1" "$got"
check "get 2: no cid, no expire" "quote|0|created" "$(f order_get 2 | cut -d'|' -f23-25)"
check "get 4 qty" 10.00000001 "$(field 4 qty)"
check "get 4 type" LIMIT_MAKER "$(field 4 type)"
check "get 2 cid nil" "" "$(field 2 cid)"
check "getcid" 1 "$(r FCALL order_getcid 0 7 c1 | sed -n 2p)"
check "getcid unknown" "" "$(f order_getcid 7 nope)"
check "get unknown" "" "$(f order_get 999)"
check "created = updated" "$(field 1 created)" "$(field 1 updated)"
check "created is µs" 16 "$(field 1 created | tr -d '\n' | wc -c)"

# --- open, depth, top
check "open 7 ids" "1 2 4" "$(r FCALL order_open 0 7 | awk 'p == "id" {printf "%s ", $0} {p = $0}' | sed 's/ $//')"
check "open 7 symbol" "1 2" "$(r FCALL order_open 0 7 SYMBOL BTC-USD | awk 'p == "id" {printf "%s ", $0} {p = $0}' | sed 's/ $//')"
check "open 7 limit" "1" "$(r FCALL order_open 0 7 LIMIT 1 | awk 'p == "id" {printf "%s ", $0} {p = $0}' | sed 's/ $//')"
check "open nobody" "" "$(f order_open 12345)"
check "depth" "27123.45|1.75|2|27000|3|1|27200|2|1" "$(f order_depth BTC-USD)"
check "depth 1 level" "27123.45|1.75|2|27200|2|1" "$(f order_depth BTC-USD 1)"
check "depth unknown" "|" "$(f order_depth NONE)"
check "top" "27123.45|1.75|27200|2" "$(f order_top BTC-USD)"
check "top one side" "||1800|10.00000001" "$(f order_top ETH-USD)"

# --- time priority within a level
for u in 21 22 23 24; do f order_place $u SOL SELL 20.5 1 >/dev/null; done # ids 6..9
f order_place 25 SOL SELL 20.4 1 >/dev/null                                  # id 10
check "book time order" "10 6 7 8 9" "$(book SOL S)"
check "amend qty down keeps priority" OK "$(f order_amend 6 QTY 0.5)"
check "book after qty down" "10 6 7 8 9" "$(book SOL S)"
check "amend qty up: back of level" OK "$(f order_amend 7 QTY 2)"
check "book after qty up" "10 6 8 9 7" "$(book SOL S)"
check "amend same price keeps priority" OK "$(f order_amend 8 PRICE 20.50)"
check "book after same price" "10 6 8 9 7" "$(book SOL S)"
check "amend new price: back of new level" OK "$(f order_amend 6 PRICE 20.4)"
check "book after new price" "10 6 8 9 7" "$(book SOL S)"
check "amend price back: back of old level" OK "$(f order_amend 6 PRICE 20.5 QTY 0.25)"
check "book after price back" "10 8 9 7 6" "$(book SOL S)"
check "levels after amends" "|20.4|1|1|20.5|4.25|4" "$(f order_depth SOL)"
check "amended price" 20.5 "$(field 6 price)"
check "amended qty = filled + remaining" 0.25 "$(field 6 qty)"
check "reduce keeps priority" 0.5 "$(f order_reduce 8 0.5)"
check "book after reduce" "10 8 9 7 6" "$(book SOL S)"
check "levels after reduce" "|20.4|1|1|20.5|3.75|4" "$(f order_depth SOL)"
check "reduce above remaining" ERR "$(err order_reduce 8 0.6)"
check "reduce to zero cancels" 0 "$(f order_reduce 8 0.5)"
check "reduced status" CANCELED "$(field 8 status)"
check "book after reduce to zero" "10 9 7 6" "$(book SOL S)"
check "levels after reduce to zero" "|20.4|1|1|20.5|3.25|3" "$(f order_depth SOL)"
check "open after reduce to zero" "" "$(f order_open 23)"
check "bids: best = highest first" OK "$(f order_amend 2 PRICE 27100)"
check "book bids" "1 2 5" "$(book BTC-USD B)"
check "depth bids after amend" "27123.45|0.5|1|27100|1.25|1|27000|3|1|27200|2|1" "$(f order_depth BTC-USD)"
f order_place 31 BTC-USD BUY 27100 1 >/dev/null # id 11
check "bids time order in level" "1 2 11 5" "$(book BTC-USD B)"

# --- fill, quote, trade retry
check "fill partial" 0.3 "$(f order_fill 1 0.2 27123.45 TRADE 1)"
check "fill status" PARTIALLY_FILLED "$(field 1 status)"
check "fill filled" 0.2 "$(field 1 filled)"
check "fill quote" 5424.69 "$(field 1 quote)"
check "fill qty unchanged" 0.5 "$(field 1 qty)"
check "fill trade retry: same reply" 0.3 "$(f order_fill 1 0.2 27123.45 TRADE 1)"
check "fill trade retry: no change" 0.2 "$(field 1 filled)"
check "fill above remaining" ERR "$(err order_fill 1 0.31 27123.45)"
check "fill above remaining changes nothing" 0.3 "$(field 1 remaining)"
check "fill keeps priority" "1 2 11 5" "$(book BTC-USD B)"
check "level after fill" "27123.45|0.3|1" "$(f order_depth BTC-USD 1 | cut -d'|' -f1-3)"
check "fill at a better price" 0.1 "$(f order_fill 1 0.2 27100.5 TRADE 2)"
check "quote accumulates" 10844.79 "$(field 1 quote)"
check "fill rest" 0 "$(f order_fill 1 0.1 27123.45 TRADE 3)"
check "filled status" FILLED "$(field 1 status)"
check "filled remaining" 0 "$(field 1 remaining)"
check "filled quote" 13557.135 "$(field 1 quote)"
check "filled leaves book" "2 11 5" "$(book BTC-USD B)"
check "filled leaves levels" "27100|2.25|2" "$(f order_depth BTC-USD 1 | cut -d'|' -f1-3)"
check "filled leaves open" "2 4" "$(r FCALL order_open 0 7 | awk 'p == "id" {printf "%s ", $0} {p = $0}' | sed 's/ $//')"
check "getcid reads a filled order" FILLED "$(r FCALL order_getcid 0 7 c1 | sed -n 14p)"
check "filled: retry of the last trade" 0 "$(f order_fill 1 0.1 27123.45 TRADE 3)"
check "fill of a filled order" ERR "$(err order_fill 1 0.1 27123.45)"
check "cid reusable after fill" 12 "$(f order_place 7 BTC-USD BUY 1 1 CID c1)"
check "getcid: the latest order with the cid" 12 "$(r FCALL order_getcid 0 7 c1 | sed -n 2p)"
f order_place 40 TINY BUY 0.12345678 0.00000003 >/dev/null # id 13
check "quote has 16 decimals" 0.00000001 "$(f order_fill 13 0.00000002 0.12345678)"
check "exact 16-digit quote" 0.0000000024691356 "$(field 13 quote)"
f order_place 41 BIG BUY 90071992 1.5 >/dev/null # id 14
check "large quote" 0 "$(f order_fill 14 1.5 90071992.54740991)"
check "large quote exact" 135107988.821114865 "$(field 14 quote)"

# --- cancel
check "cancel" 1 "$(f order_cancel 3)"
check "cancel again" 0 "$(f order_cancel 3)"
check "cancel unknown" 0 "$(f order_cancel 999)"
check "canceled status" CANCELED "$(field 3 status)"
check "canceled keeps remaining" 2 "$(field 3 remaining)"
check "canceled leaves book" "" "$(book BTC-USD S)"
check "top after cancel" "27100|2.25||" "$(f order_top BTC-USD)"
check "cancelcid" 1 "$(f order_cancelcid 7 c1)"
check "cancelcid again" 0 "$(f order_cancelcid 7 c1)"
for s in A B A; do f order_place 50 "$s" BUY 1 1 >/dev/null; done # ids 15..17
check "cancelall symbol" 2 "$(f order_cancelall 50 SYMBOL A)"
check "cancelall" 1 "$(f order_cancelall 50)"
check "cancelall none" 0 "$(f order_cancelall 50)"
check "amend canceled" ERR "$(err order_amend 15 QTY 1)"
check "reduce canceled" ERR "$(err order_reduce 15 0.1)"
check "amend unknown" ERR "$(err order_amend 999 QTY 1)"
check "empty level removed" "" "$(r ZRANGE ol:A:B 0 -1)"
check "empty aggregates removed" 0 "$(r EXISTS oa:A:B)"
check "level aggregate field" "3.25 3" "$(r HGET oa:SOL:S 20.5)"

# --- symbol rules
check "symbol set" OK "$(f order_symbol_set TCK TICK 0.5 LOT 0.01)"
check "symbol get" "symbol|TCK|tick|0.5|lot|0.01" "$(f order_symbol_get TCK)"
check "tick ok" 18 "$(f order_place 1 TCK BUY 10.5 0.03)"
check "not a tick multiple" ERR "$(err order_place 1 TCK BUY 10.2 0.03)"
check "not a lot multiple" ERR "$(err order_place 1 TCK BUY 10.5 0.015)"
check "amend not a tick multiple" ERR "$(err order_amend 18 PRICE 10.7)"
check "symbol list" "A|B|BIG|BTC-USD|ETH-USD|SOL|TCK|TINY" "$(f order_symbol_list)"

# --- GTD
now_ms=$(($(date +%s%3N)))
check "gtd" 19 "$(f order_place 60 GTD-X SELL 5 1 TIF GTD EXPIRE $((now_ms + 300)))"
check "gtd expire field" $((now_ms + 300)) "$(field 19 expire)"
check "gtd not yet" 0 "$(f order_expire)"
sleep 0.4
check "gtd expired" 1 "$(f order_expire)"
check "gtd status" EXPIRED "$(field 19 status)"
check "gtd leaves book" "|" "$(f order_depth GTD-X)"

# --- bad input changes nothing
before=$(r GET o:id)
for bad in "7 X BUY 0 1" "7 X BUY 1 0" "7 X BUY -1 1" "7 X BUY abc 1" "7 X BUY 1.123456789 1" \
  "7 X BUY 1. 1" "7 X BUY .5 1" "7 X BUY 1e3 1" "7 X BUY 90071992.54740992 1" "7 X HOLD 1 1" \
  "0 X BUY 1 1" "-3 X BUY 1 1" "x X BUY 1 1" "7 btc BUY 1 1" "7 ABCDEFGHIJKLMNOPQ BUY 1 1" \
  "7 X BUY 1 1 TYPE MARKET" "7 X BUY 1 1 TIF DAY" "7 X BUY 1 1 TIF GTD" \
  "7 X BUY 1 1 TIF GTD EXPIRE 1000" "7 X BUY 1 1 EXPIRE 99999999999999" \
  "7 X BUY 1 1 CID abcdefghijabcdefghijabcdefghijabc" "7 X BUY 1 1 ID 2" "7 X BUY 1 1 CID" \
  "7 X BUY 1 1 COLOR red" "7 X BUY"; do
  # shellcheck disable=SC2086
  check "bad input: $bad" ERR "$(err order_place $bad)"
done
check "bad input assigns no id" "$before" "$(r GET o:id)"
check "bad input registers no symbol" 0 "$(r HEXISTS o:sym X)"
check "cid" 20 "$(f order_place 70 X BUY 1 1 CID dup)"
check "duplicate live cid" ERR "$(err order_place 70 X BUY 1 1 CID dup)"
check "same cid, other user" 21 "$(f order_place 71 X BUY 1 1 CID dup)"
check "explicit id" 1000 "$(f order_place 70 X BUY 1 1 ID 1000)"
check "explicit id reused" ERR "$(err order_place 70 X BUY 1 1 ID 1000)"
check "ids continue after explicit" 1001 "$(f order_place 70 X BUY 1 1)"
check "bad amend price" ERR "$(err order_amend 21 PRICE 0)"
check "bad fill qty" ERR "$(err order_fill 21 0 1)"
check "bad fill price" ERR "$(err order_fill 21 1 -1)"
check "bad trade id" ERR "$(err order_fill 21 1 1 TRADE t1)"
check "bad depth levels" ERR "$(err order_depth X 0)"
check "bad open limit" ERR "$(err order_open 70 LIMIT x)"
check "X level untouched by errors" "1|4|4" "$(f order_depth X | cut -d'|' -f1-3)"

# --- a thousand orders on one level keep time order and aggregates
for i in $(seq 1000); do echo "FCALL order_place 0 $((i % 37 + 1)) LOT BUY 3.25 0.001"; done |
  r >/dev/null
check "1000 orders: level" "3.25|1|1000|" "$(f order_depth LOT)"
ids=$(book LOT B | tr ' ' '\n')
check "1000 orders: time order" "$(sort -n <<<"$ids")" "$ids"
first=$(head -1 <<<"$ids")
check "1000 orders: fill the first" 0 "$(f order_fill "$first" 0.001 3.25)"
check "1000 orders: after fill" "3.25|0.999|999|" "$(f order_depth LOT)"

# --- reset
check "reset" OK "$(f order_reset)"
check "reset: nothing left" 0 "$(r DBSIZE)"
check "ids restart" 1 "$(f order_place 7 BTC-USD BUY 1 1)"

echo "SUITE-RESULT lua-orders $pass $fail"
[ "$fail" = 0 ]
