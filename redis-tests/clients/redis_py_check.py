#!/usr/bin/python3
"""redis-py checks against a running server: python3 redis_py_check.py PORT.

Prints one line per check, "ok <name>" or "FAIL <name>: <why>". Uses
Debian's python3-redis (run with /usr/bin/python3). Each check uses its own
key prefix and cleans up with DEL, so one failing check does not cascade.
"""
import socket
import sys
import time
import traceback

import redis

PORT = int(sys.argv[1])
VERSION = tuple(int(x) for x in redis.__version__.split(".")[:2])
HAS_RESP3 = VERSION >= (5, 0)  # protocol=3 arrived in redis-py 5.0


def client(**kw):
    return redis.Redis(host="127.0.0.1", port=PORT, socket_timeout=10, **kw)


def eq(got, want, what):
    if got != want:
        raise AssertionError(f"{what}: got {got!r}, want {want!r}")


def raises(fn, exc, text, what):
    try:
        fn()
    except exc as e:
        if text not in str(e):
            raise AssertionError(f"{what}: error {str(e)!r} lacks {text!r}")
        return
    raise AssertionError(f"{what}: no {exc.__name__} raised")


def check_strings():
    r = client(decode_responses=True)
    r.delete("py:s", "py:n", "py:f", "py:m1", "py:m2", "py:x")
    eq(r.set("py:s", "hello"), True, "SET")
    eq(r.get("py:s"), "hello", "GET")
    eq(r.get("py:missing"), None, "GET missing")
    eq(r.set("py:s", "again", nx=True), None, "SET NX on existing key")
    eq(r.set("py:s", "world", xx=True, get=True), "hello", "SET XX GET")
    eq(r.append("py:s", "!"), 6, "APPEND")
    eq(r.strlen("py:s"), 6, "STRLEN")
    eq(r.getrange("py:s", 0, 2), "wor", "GETRANGE")
    eq(r.setrange("py:s", 1, "OO"), 6, "SETRANGE")
    eq(r.get("py:s"), "wOOld!", "GET after SETRANGE")
    eq(r.incr("py:n"), 1, "INCR")
    eq(r.incrby("py:n", 41), 42, "INCRBY")
    eq(r.decr("py:n"), 41, "DECR")
    eq(r.incrbyfloat("py:f", 1.5), 1.5, "INCRBYFLOAT")
    eq(r.mset({"py:m1": "a", "py:m2": "b"}), True, "MSET")
    eq(r.mget("py:m1", "py:m2", "py:missing"), ["a", "b", None], "MGET")
    eq(r.msetnx({"py:m1": "z", "py:x": "y"}), False, "MSETNX with an existing key")
    eq(r.getdel("py:m1"), "a", "GETDEL")
    eq(r.exists("py:m1"), 0, "EXISTS after GETDEL")
    eq(r.set("py:x", "v", ex=100), True, "SET EX")
    eq(r.getex("py:x", persist=True), "v", "GETEX PERSIST")
    eq(r.ttl("py:x"), -1, "TTL after GETEX PERSIST")
    big = "x" * 1_000_000
    r.set("py:x", big)
    eq(r.get("py:x"), big, "1 MB value round trip")
    r.delete("py:s", "py:n", "py:f", "py:m2", "py:x")


def check_keys():
    r = client(decode_responses=True)
    names = [f"py:k:{i}" for i in range(100)]
    r.delete(*names, "py:k:renamed", "py:k:other")
    r.mset({n: "v" for n in names})
    eq(r.exists(*names[:3], "py:k:missing"), 3, "EXISTS counts")
    eq(r.type("py:k:0"), "string", "TYPE")
    eq(r.type("py:k:missing"), "none", "TYPE missing")
    eq(r.expire("py:k:0", 100), True, "EXPIRE")
    ttl = r.ttl("py:k:0")
    if not 98 <= ttl <= 100:
        raise AssertionError(f"TTL after EXPIRE 100: {ttl}")
    pttl = r.pttl("py:k:0")
    if not 98_000 <= pttl <= 100_000:
        raise AssertionError(f"PTTL after EXPIRE 100: {pttl}")
    eq(r.persist("py:k:0"), True, "PERSIST")
    eq(r.ttl("py:k:0"), -1, "TTL after PERSIST")
    eq(r.ttl("py:k:missing"), -2, "TTL missing")
    eq(r.pexpire("py:k:1", 1), True, "PEXPIRE 1 ms")
    time.sleep(0.02)
    eq(r.get("py:k:1"), None, "GET after expiry")
    eq(r.rename("py:k:2", "py:k:renamed"), True, "RENAME")
    eq(r.renamenx("py:k:3", "py:k:renamed"), False, "RENAMENX onto existing key")
    eq(sorted(r.keys("py:k:renamed*")), ["py:k:renamed"], "KEYS pattern")
    scanned = set(r.scan_iter(match="py:k:*", count=10))
    eq(len(scanned), 99, "SCAN iteration covers every key once")
    eq(r.unlink("py:k:4", "py:k:5"), 2, "UNLINK")
    eq(r.delete(*names, "py:k:renamed"), 97, "DEL counts existing keys")


def check_pipeline():
    r = client(decode_responses=True)
    r.delete("py:p:n")
    p = r.pipeline(transaction=False)
    for i in range(1000):
        p.set(f"py:p:{i}", i)
        p.incr("py:p:n")
    res = p.execute()
    eq(len(res), 2000, "pipeline reply count")
    eq(res[1::2], list(range(1, 1001)), "pipelined INCR replies in order")
    p = r.pipeline(transaction=False)
    for i in range(1000):
        p.get(f"py:p:{i}")
    eq(p.execute(), [str(i) for i in range(1000)], "pipelined GETs")
    r.delete(*[f"py:p:{i}" for i in range(1000)], "py:p:n")


def check_transactions():
    r = client(decode_responses=True)
    r.delete("py:t:a", "py:t:b")
    p = r.pipeline(transaction=True)
    p.set("py:t:a", 1).incr("py:t:a").get("py:t:a")
    eq(p.execute(), [True, 2, "2"], "MULTI/EXEC replies")
    # WATCH: a write from another connection aborts the transaction.
    other = client(decode_responses=True)
    with r.pipeline(transaction=True) as p:
        p.watch("py:t:a")
        other.set("py:t:a", 100)
        p.multi()
        p.set("py:t:a", 5)
        raises(p.execute, redis.WatchError, "", "EXEC after a watched key changed")
    eq(r.get("py:t:a"), "100", "aborted transaction left the key alone")
    # An error inside EXEC does not roll back the other commands.
    r.set("py:t:b", "notanumber")
    p = r.pipeline(transaction=True)
    p.set("py:t:a", "x").incr("py:t:b")
    res = p.execute(raise_on_error=False)
    eq(res[0], True, "first command in EXEC")
    if not isinstance(res[1], redis.ResponseError):
        raise AssertionError(f"INCR on a string inside EXEC: {res[1]!r}")
    eq(r.get("py:t:a"), "x", "no rollback")
    # A command queued with a syntax error makes EXEC fail with EXECABORT.
    raw = client()
    raw.execute_command("MULTI")
    raises(lambda: raw.execute_command("SET", "py:t:a"), redis.ResponseError,
           "wrong number of arguments", "queued SET with too few args")
    # redis-py turns "-EXECABORT ..." into ExecAbortError without the code.
    raises(lambda: raw.execute_command("EXEC"), redis.exceptions.ExecAbortError,
           "Transaction discarded because of previous errors", "EXEC")
    r.delete("py:t:a", "py:t:b")


def check_errors():
    r = client(decode_responses=True)
    r.delete("py:e:s")
    r.set("py:e:s", "abc")
    raises(lambda: r.incr("py:e:s"), redis.ResponseError,
           "value is not an integer or out of range", "INCR on a non-integer")
    raises(lambda: r.incrbyfloat("py:e:s", 1), redis.ResponseError,
           "value is not a valid float", "INCRBYFLOAT on a non-float")
    raises(lambda: r.execute_command("NOSUCHCOMMAND", "x"), redis.ResponseError,
           "unknown command 'NOSUCHCOMMAND'", "unknown command")
    raises(lambda: r.execute_command("GET"), redis.ResponseError,
           "wrong number of arguments for 'get' command", "GET arity")
    raises(lambda: r.execute_command("SET", "k", "v", "NX", "XX"), redis.ResponseError,
           "syntax error", "SET NX XX")
    raises(lambda: r.expire("py:e:s", "notint"), redis.ResponseError,
           "value is not an integer or out of range", "EXPIRE with a bad TTL")
    # The connection stays usable after errors.
    eq(r.get("py:e:s"), "abc", "GET after errors")
    r.delete("py:e:s")


def resp3_raw():
    """HELLO 3 over a plain socket: redis-py before 5.0 cannot parse RESP3."""
    s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    buf = b""

    def exchange(cmd):
        """Sends cmd plus a PING; returns the replies before the PONG."""
        nonlocal buf
        s.sendall(cmd + b"\r\nPING\r\n")
        while not buf.endswith(b"+PONG\r\n"):
            chunk = s.recv(65536)
            if not chunk:
                raise AssertionError(f"connection closed; got {buf!r}")
            buf += chunk
        out, buf = buf[:-len(b"+PONG\r\n")], b""
        return out

    out = exchange(b"HELLO 3")
    if not out.startswith(b"%7\r\n"):
        raise AssertionError(f"HELLO 3 is not a 7-entry map: {out[:60]!r}")
    for field in (b"$6\r\nserver\r\n", b"$5\r\nproto\r\n:3\r\n", b"$4\r\nmode\r\n"):
        if field not in out:
            raise AssertionError(f"HELLO 3 reply lacks {field!r}: {out!r}")
    eq(exchange(b"GET py:r3:missing"), b"_\r\n", "RESP3 null")
    eq(exchange(b"SET py:r3:k 1.5"), b"+OK\r\n", "SET")
    eq(exchange(b"INCRBYFLOAT py:r3:k 1"), b"$3\r\n2.5\r\n", "INCRBYFLOAT")
    eq(exchange(b"MGET py:r3:k py:r3:missing"), b"*2\r\n$3\r\n2.5\r\n_\r\n", "MGET")
    eq(exchange(b"DEL py:r3:k"), b":1\r\n", "DEL")
    out = exchange(b"HELLO 2")
    if not out.startswith(b"*14\r\n"):
        raise AssertionError(f"HELLO 2 is not a 14-element array: {out[:60]!r}")
    eq(exchange(b"GET py:r3:missing"), b"$-1\r\n", "RESP2 null")
    s.close()


def check_resp3():
    if not HAS_RESP3:
        print(f"note: redis-py {redis.__version__} has no RESP3 (protocol=3 needs 5.0): "
              "checking HELLO 3 over a raw socket instead")
        resp3_raw()
        r = client()
        hello = r.execute_command("HELLO", "2")
        fields = dict(zip(hello[::2], hello[1::2]))
        eq(fields.get(b"proto"), 2, "HELLO 2 via execute_command: proto")
        return
    r = client(protocol=3, decode_responses=True)
    eq(r.connection_pool.get_connection("PING").protocol in (3, "3"), True, "negotiated RESP3")
    r.set("py:r3:k", "v")
    eq(r.get("py:r3:k"), "v", "GET over RESP3")
    eq(r.get("py:r3:missing"), None, "null over RESP3")
    r.delete("py:r3:k")
    resp3_raw()


CHECKS = [
    ("strings", check_strings),
    ("keys", check_keys),
    ("pipeline", check_pipeline),
    ("transactions", check_transactions),
    ("errors", check_errors),
    ("resp3", check_resp3),
]


def main():
    print(f"note: redis-py {redis.__version__}")
    failed = 0
    for name, fn in CHECKS:
        try:
            fn()
            print(f"ok redis-py {name}")
        except Exception as e:  # each check reports, the next one still runs
            failed += 1
            frames = [f for f in traceback.extract_tb(e.__traceback__)
                      if f.filename == __file__ and f.name not in ("eq", "raises", "<lambda>")]
            line = frames[-1].lineno if frames else "?"
            print(f"FAIL redis-py {name}: {type(e).__name__}: {e} (line {line})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
