#!/usr/bin/env bash
# Durability checks against a live ordis, run by `make test` (suite
# "durability"). Each numbered check prints ok/FAIL; the last line is
# "SUITE-RESULT durability <passed> <failed>".
#  1. torn tail: a WAL cut inside its last batch loads with a warning, every
#     complete batch is kept, the server appends after it; ordis-check-wal
#     reports and --fix truncates the same way;
#  2. corruption: a flipped byte in a middle batch stops startup with a
#     message naming the file and offset; ordis-check-wal exits 2;
#  4. a snapshot ahead of the log (SAVE saw writes whose batches died with
#     the process): the log resumes after its LSN and restarts load;
#  3. disk full: the WAL on a small tmpfs; writes are refused with MISCONF
#     once the next segment cannot be created, reads keep working, writes
#     resume when space is freed, and after kill -9 every acknowledged write
#     is there. Needs root (mount); skipped with a message otherwise.
#
#   ORDIS_SERVER  ordis binary (default build/release/ordis-server)
set -u
cd "$(dirname "$0")/../.."
ORDIS=${ORDIS_SERVER:-build/release/ordis-server}
CHECK=${ORDIS_CHECK_WAL:-$(dirname "$ORDIS")/ordis-check-wal}
pass=0 fail=0
result() {
  if [ "$2" = 0 ]; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d /tmp/ordis-durability.XXXXXX)
pid=""
mnt=""
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
port=$(free_port)
cli() { redis-cli -p "$port" "$@"; }

start() {  # start DIR [extra args]; returns 0 when it answers PING
  local dir=$1; shift
  "$ORDIS" --port "$port" --bind 127.0.0.1 --dir "$dir" --appendonly yes --appendfsync always \
    --wal-segment-size 256kb --save '' --logfile "$dir/ordis.log" "$@" &
  pid=$!
  for _ in $(seq 100); do
    cli ping 2>/dev/null | grep -q PONG && return 0
    kill -0 "$pid" 2>/dev/null || { pid=""; return 1; }
    sleep 0.05
  done
  return 1
}
crash() { kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=""; }

# ---- 1. torn tail ------------------------------------------------------------
d="$work/torn"; mkdir -p "$d"
start "$d" || echo "server did not start"
for i in $(seq 1 50); do cli set "k$i" "v$i" >/dev/null; done
cli order.place 1 BTC-USD BUY 100 1 >/dev/null
crash
seg="$d/appendonlydir/appendonly.aof.1.incr.aof"
# The end of the log: offset of the last batch + its length. Cut 10 bytes
# before the end (inside the last batch), zeros after it as on a real crash.
end=$(python3 - "$seg" <<'EOF'
import sys
data = open(sys.argv[1], 'rb').read()
pos = 64
while pos + 48 <= len(data) and data[pos:pos+3] == b'#B ':
    pos += 48 + int(data[pos+3:pos+11], 16)
print(pos)
EOF
)
python3 - "$seg" "$end" <<'EOF'
import sys
p, end = sys.argv[1], int(sys.argv[2])
with open(p, 'r+b') as f:
    f.seek(end - 10); f.write(b'\0' * 10)
EOF
"$CHECK" "$d" >"$work/check1.txt" 2>&1; rc=$?
grep -q "TORN final batch" "$work/check1.txt" && [ $rc = 1 ]
result "1a ordis-check-wal reports the torn tail (exit $rc)" $?
start "$d"
ok=0
[ "$(cli get k50)" = "v50" ] || ok=1        # the batch before the torn one is kept
[ "$(cli order.get 1)" = "" ] || ok=1        # the torn batch (the PLACE) is dropped
grep -q "Truncating the torn last batch" "$d/ordis.log" || ok=1
result "1b startup truncates the torn batch with a warning, keeps the rest" $ok
cli set after-torn yes >/dev/null
crash
start "$d"
[ "$(cli get after-torn)" = "yes" ] && [ "$(cli get k1)" = "v1" ]
result "1c appending continues after the truncated tail (survives another kill -9)" $?
crash
"$CHECK" "$d" >"$work/check1d.txt" 2>&1
result "1d ordis-check-wal: the log is valid again" $?

# ---- 2. corruption in the middle ------------------------------------------
d="$work/corrupt"; mkdir -p "$d"
start "$d" || echo "server did not start"
for i in $(seq 1 20); do cli set "k$i" "v$i" >/dev/null; done
crash
seg="$d/appendonlydir/appendonly.aof.1.incr.aof"
off=$(python3 - "$seg" <<'EOF'
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
pos, n = 64, 0
while data[pos:pos+3] == b'#B ':
    n += 1
    if n == 5:
        break
    pos += 48 + int(data[pos+3:pos+11], 16)
data[pos + 60] ^= 0x01   # inside the 5th batch's payload
open(sys.argv[1], 'wb').write(data)
print(pos)
EOF
)
"$ORDIS" --port "$port" --dir "$d" --appendonly yes --logfile "$d/ordis.log" >/dev/null 2>&1
rc=$?
[ $rc != 0 ] && grep -q "appendonly.aof.1.incr.aof at offset $off: batch checksum mismatch" "$d/ordis.log"
result "2a corruption stops startup naming file and offset ($off)" $?
"$CHECK" "$d" >"$work/check2.txt" 2>&1; rc=$?
[ $rc = 2 ] && grep -q "CORRUPT at offset $off" "$work/check2.txt"
result "2b ordis-check-wal exits 2 naming the offset" $?

# ---- 4. snapshot ahead of the log -----------------------------------------
# SAVE wrote entries the log had not synced yet, then the process died: the
# log resumes after the snapshot's LSN (in a new segment) and both restarts
# load.
d="$work/ahead"; mkdir -p "$d"
start "$d" --auto-snapshot-wal-size 0 || echo "server did not start"
for i in $(seq 1 30); do cli set "k$i" "v$i" >/dev/null; done
cli save >/dev/null
crash
python3 - "$d/appendonlydir/appendonly.aof.1.incr.aof" <<'PYEOF'
import sys
p = sys.argv[1]
data = bytearray(open(p, 'rb').read())
pos, offs = 64, []
while data[pos:pos+3] == b'#B ':
    offs.append(pos)
    pos += 48 + int(data[pos+3:pos+11], 16)
cut = offs[-5]                      # the last 5 batches never reached the disk
data[cut:pos] = b'\0' * (pos - cut)
open(p, 'wb').write(data)
PYEOF
ok=0
start "$d" --auto-snapshot-wal-size 0 || ok=1
[ "$(cli get k30)" = "v30" ] || ok=1
cli set after yes >/dev/null
crash
start "$d" --auto-snapshot-wal-size 0 || ok=1
{ [ "$(cli get after)" = "yes" ] && [ "$(cli get k30)" = "v30" ]; } || ok=1
grep -q "is ahead of the log" "$d/ordis.log" || ok=1
crash
"$CHECK" "$d" >"$work/check4.txt" 2>&1 || ok=1
result "4 a snapshot ahead of the log: the log resumes after it; restarts load" $ok

# ---- 3. disk full ------------------------------------------------------------
if [ "$(id -u)" != 0 ] || ! { mkdir -p "$work/mnt" && mount -t tmpfs -o size=4m tmpfs "$work/mnt" 2>/dev/null; }; then
  echo "skip 3 disk full: needs root and mount -t tmpfs (not counted)"
else
  mnt="$work/mnt"
  d="$mnt/db"; mkdir -p "$d"
  start "$d" || echo "server did not start"
  # Leave room for a few segments only, then fill the disk.
  dd if=/dev/zero of="$mnt/filler" bs=64k count=44 status=none 2>/dev/null
  acked=0 refused=""
  val=$(head -c 900 /dev/zero | tr '\0' x)
  # The write that meets the full disk is applied in memory but its reply
  # waits until it is on disk (it is not acknowledged): the client times out.
  for i in $(seq 1 5000); do
    r=$(timeout 2 redis-cli -p "$port" set "f$i" "$val" 2>&1)
    if [ "$r" = "OK" ]; then acked=$i; else break; fi
  done
  refused=$(cli set another 1 2>&1)
  echo "   acknowledged $acked writes; write $((acked + 1)) held; next write: ${refused:0:60}"
  [[ "$refused" == MISCONF* ]]
  result "3a a full disk refuses writes with MISCONF" $?
  ok=0
  [ "$(cli get f1 | head -c 3)" = "xxx" ] || ok=1
  [ "$(cli get "f$acked" | head -c 3)" = "xxx" ] || ok=1
  cli order.open 1 >/dev/null 2>&1 || ok=1
  [[ "$(cli order.place 1 BTC-USD BUY 1 1 2>&1)" == MISCONF* ]] || ok=1
  cli info persistence | grep -q "aof_last_write_status:err" || ok=1
  result "3b reads work, order writes refused too, INFO shows the error" $ok
  rm -f "$mnt/filler"
  back=1
  for _ in $(seq 60); do
    [ "$(cli set after-full yes 2>&1)" = "OK" ] && { back=0; break; }
    sleep 0.1
  done
  result "3c writes resume once space is freed" $back
  crash
  start "$d"
  ok=0
  for i in $(seq 1 "$acked"); do
    [ "$(cli get "f$i" | head -c 3)" = "xxx" ] || { ok=1; echo "   lost f$i"; break; }
  done
  [ "$(cli get after-full)" = "yes" ] || ok=1
  result "3d after kill -9 all $acked acknowledged writes are there" $ok
  crash
fi

echo "SUITE-RESULT durability $pass $fail"
