# Shared by redis-tests/run.sh and redis-tests/clients/run.sh: starts and
# stops one server (ordis or real redis-server) on a free local port.
#
# Callers set SERVER_BIN, SERVER_KIND (ordis|redis) and WORK (a temp dir),
# then use start_server / stop_server / server_alive; the server's port is
# $server_port and its pid $server_pid.

PY=/usr/bin/python3
server_pid=""
server_port=""

# First port >= $1 that nothing listens on and that we can bind.
free_port() {
  $PY - "$1" <<'EOF'
import socket, sys
p = int(sys.argv[1])
while p < 65000:
    s = socket.socket()
    # Like the servers themselves: TIME_WAIT leftovers do not make a port busy.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", p)); s.close(); print(p); break
    except OSError:
        p += 1
EOF
}

# start_server FIRST_PORT [extra server args...]
start_server() {
  local start=$1 i
  shift
  for _ in 1 2 3; do
    server_port=$(free_port "$start")
    local dir=$WORK/server
    mkdir -p "$dir"
    local args=(--port "$server_port" --bind 127.0.0.1 --dir "$dir" --logfile "$dir/server.log" "$@")
    [ "$SERVER_KIND" = redis ] && args+=(--save '' --appendonly no)
    "$SERVER_BIN" "${args[@]}" </dev/null >>"$dir/stdout.log" 2>&1 &
    server_pid=$!
    for i in $(seq 100); do
      kill -0 "$server_pid" 2>/dev/null || break
      [ "$(redis-cli -p "$server_port" ping 2>/dev/null)" = PONG ] && return 0
      sleep 0.1
    done
    stop_server
    start=$((server_port + 1))  # lost a race for the port, or slow start
  done
  return 1
}

stop_server() {
  [ -n "$server_pid" ] || return 0
  kill "$server_pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null
  server_pid=""
}

server_alive() {
  [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null &&
    [ "$(redis-cli -p "$server_port" ping 2>/dev/null)" = PONG ]
}
