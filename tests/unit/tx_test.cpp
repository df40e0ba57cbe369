// MULTI/EXEC/DISCARD/WATCH/UNWATCH against Redis 7.0.15's behaviour,
// including WATCH with expiring keys and whole-db events (the cases of
// upstream's unit/multi).
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"
#include "kv/db.h"

using ordis::Client;
using ordis::Server;
using ordis::test::RespValue;
using ordis::test::TestServer;

namespace {

// Stores key=value in db directly, with an absolute expire time (ms) or -1.
void Put(TestServer& t, int db, const std::string& key, const std::string& value,
         int64_t expire_at = -1) {
  ordis::Db& d = t.server().keyspace().db(db);
  ordis::Entry* e = ordis::NewStringEntry(key, value);
  d.Set(e);
  if (expire_at >= 0) d.SetExpire(e, expire_at);
}

// A key that is present but already past its TTL (active expiry does not
// run in the harness, so it stays until something looks it up).
void PutStale(TestServer& t, int db, const std::string& key) {
  Put(t, db, key, "stale", Server::NowMs() - 1000);
}

void SleepMs(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

// MULTI; PING; EXEC on client i: "PONG" if the transaction ran, "nil" if a
// watched key was touched.
std::string TryExec(TestServer& t, int i = 0) {
  REQUIRE(t.RunOn(i, {"MULTI"}) == "OK");
  REQUIRE(t.RunOn(i, {"PING"}) == "QUEUED");
  RespValue r = t.RunOn(i, {"EXEC"});
  if (r.type == RespValue::kNullArray) return "nil";
  REQUIRE(r.size() == 1);
  return r[0].str;
}

int g_fake_calls = 0;
// A write command whose keys are every other argument from 1 (like MSET).
void FakeWrite(ordis::CommandContext& ctx) {
  ++g_fake_calls;
  ctx.dirty = 1;
  ctx.reply.Ok();
}
void FakeNoop(ordis::CommandContext& ctx) {
  ctx.reply.Ok();
}

}  // namespace

TEST_CASE("MULTI / EXEC basics", "[tx]") {
  TestServer t;
  CHECK(t.Run({"MULTI"}) == "OK");
  CHECK(t.client().in_multi());
  CHECK(t.Run({"SET", "k", "v"}) == "QUEUED");
  CHECK(t.Run({"GET", "k"}) == "QUEUED");
  CHECK(t.Run({"PING"}) == "QUEUED");
  // Nothing ran yet.
  CHECK(t.RunOn(1, {"GET", "k"}).is_null());
  RespValue r = t.Run({"EXEC"});
  REQUIRE(r.type == RespValue::kArray);
  REQUIRE(r.size() == 3);
  CHECK(r[0] == "OK");
  CHECK(r[1] == "v");
  CHECK(r[2] == "PONG");
  CHECK_FALSE(t.client().in_multi());
  CHECK(t.client().multi_queue.empty());
  CHECK(t.Run({"GET", "k"}) == "v");
  // An empty transaction is an empty array.
  t.Run({"MULTI"});
  r = t.Run({"EXEC"});
  CHECK(r.type == RespValue::kArray);
  CHECK(r.size() == 0);
}

TEST_CASE("MULTI errors", "[tx]") {
  TestServer t;
  CHECK(t.Run({"EXEC"}).str == "ERR EXEC without MULTI");
  CHECK(t.Run({"DISCARD"}).str == "ERR DISCARD without MULTI");
  CHECK(t.Run({"MULTI", "x"}).str == "ERR wrong number of arguments for 'multi' command");
  CHECK(t.Run({"MULTI"}) == "OK");
  CHECK(t.Run({"MULTI"}).str == "ERR MULTI calls can not be nested");
  CHECK(t.Run({"WATCH", "x"}).str == "ERR WATCH inside MULTI is not allowed");
  // Neither error aborts the transaction.
  CHECK(t.Run({"PING"}) == "QUEUED");
  RespValue r = t.Run({"EXEC"});
  REQUIRE(r.size() == 1);
  CHECK(r[0] == "PONG");
  CHECK(t.client().watched.empty());
}

TEST_CASE("DISCARD drops the queue", "[tx]") {
  TestServer t;
  t.Run({"MULTI"});
  CHECK(t.Run({"SET", "k", "v"}) == "QUEUED");
  CHECK(t.Run({"DISCARD"}) == "OK");
  CHECK_FALSE(t.client().in_multi());
  CHECK(t.client().multi_queue.empty());
  CHECK(t.Run({"GET", "k"}).is_null());
  CHECK(t.Run({"EXEC"}).str == "ERR EXEC without MULTI");
}

TEST_CASE("Errors while queueing abort EXEC", "[tx]") {
  TestServer t;
  t.Run({"MULTI"});
  CHECK(t.Run({"SET", "foo1", "bar1"}) == "QUEUED");
  CHECK(t.Run({"non-existing-command"}).is_error("ERR unknown command*"));
  CHECK(t.Run({"SET", "foo2", "bar2"}) == "QUEUED");
  // Nothing more is stored once the transaction is doomed.
  CHECK(t.client().multi_queue.size() == 1);
  CHECK(t.Run({"EXEC"}).str == "EXECABORT Transaction discarded because of previous errors.");
  CHECK_FALSE(t.client().in_multi());
  CHECK(t.Run({"GET", "foo1"}).is_null());
  CHECK(t.Run({"GET", "foo2"}).is_null());
  CHECK(t.Run({"PING"}) == "PONG");

  // Wrong arity and unknown subcommands count too.
  t.Run({"MULTI"});
  CHECK(t.Run({"GET"}).is_error("ERR wrong number of arguments for 'get' command"));
  CHECK(t.Run({"EXEC"}).is_error("EXECABORT*"));
  t.Run({"MULTI"});
  CHECK(t.Run({"CLIENT", "nosuch"}).is_error("ERR unknown subcommand*"));
  CHECK(t.Run({"EXEC"}).is_error("EXECABORT*"));
  CHECK(t.server().stats().errors.at("EXECABORT") == 3);
}

TEST_CASE("Errors of queued commands are replies inside EXEC", "[tx]") {
  TestServer t;
  t.Run({"MULTI"});
  t.Run({"ECHO", "a"});
  t.Run({"SELECT", "abc"});
  t.Run({"SELECT", "2"});
  t.Run({"SET", "k", "v"});
  t.Run({"CLIENT", "SETNAME", "bad name"});
  RespValue r = t.Run({"EXEC"});
  REQUIRE(r.size() == 5);
  CHECK(r[0] == "a");
  CHECK(r[1].is_error("ERR value is not an integer or out of range"));
  CHECK(r[2] == "OK");
  CHECK(r[3] == "OK");
  CHECK(r[4].is_error("ERR Client names cannot contain*"));
  // SELECT inside the transaction applied to the commands after it.
  CHECK(t.client().db == 2);
  CHECK(t.Run({"GET", "k"}) == "v");
  t.Run({"SELECT", "0"});
  CHECK(t.Run({"GET", "k"}).is_null());
}

TEST_CASE("EXEC counts each queued command in commandstats", "[tx]") {
  TestServer t;
  t.Run({"MULTI"});
  t.Run({"SET", "a", "1"});
  t.Run({"SET", "b", "2"});
  t.Run({"CLIENT", "ID"});
  t.Run({"EXEC"});
  auto& cmds = t.server().stats().commands;
  CHECK(cmds.at("set").calls == 2);
  CHECK(cmds.at("client|id").calls == 1);
  CHECK(cmds.at("exec").calls == 1);
  CHECK(cmds.at("multi").calls == 1);
  CHECK(t.client().last_cmd == "exec");
  CHECK(t.server().stats().dirty == 2);
}

TEST_CASE("QUEUED commands that are refused inside MULTI", "[tx]") {
  TestServer t;
  t.Run({"MULTI"});
  // UNWATCH is queued (not a control command), RESET is not.
  CHECK(t.Run({"UNWATCH"}) == "QUEUED");
  RespValue r = t.Run({"EXEC"});
  REQUIRE(r.size() == 1);
  CHECK(r[0] == "OK");
}

TEST_CASE("WATCH: unmodified keys let EXEC run", "[tx][watch]") {
  TestServer t;
  CHECK(t.Run({"WATCH", "x", "y", "z"}) == "OK");
  CHECK(t.Run({"WATCH", "k"}) == "OK");
  CHECK(t.Run({"WATCH", "k"}) == "OK");  // watching twice is one watch
  CHECK(t.client().watched.size() == 4);
  CHECK(t.server().watched_keys_count() == 4);
  CHECK(TryExec(t) == "PONG");
  // EXEC unwatches everything.
  CHECK(t.client().watched.empty());
  CHECK(t.server().watched_keys_count() == 0);
}

TEST_CASE("WATCH: a modified key makes EXEC return a null array", "[tx][watch]") {
  TestServer t;
  t.Run({"SET", "x", "30"});
  t.Run({"WATCH", "x"});
  t.Run({"SET", "x", "40"});
  CHECK(t.client().flags & Client::kDirtyCas);
  CHECK(TryExec(t) == "nil");
  // The transaction's commands did not run.
  t.Run({"SET", "k", "orig"});
  t.Run({"WATCH", "k"});
  t.RunOn(1, {"SET", "k", "other"});
  t.Run({"MULTI"});
  t.Run({"SET", "k", "mine"});
  CHECK(t.Run({"EXEC"}).is_null());
  CHECK(t.Run({"GET", "k"}) == "other");
  // After a failed EXEC the key is no longer watched.
  t.Run({"SET", "k", "again"});
  CHECK(TryExec(t) == "PONG");
}

TEST_CASE("WATCH: 1 key of 5 modified", "[tx][watch]") {
  TestServer t;
  t.Run({"SET", "x", "30"});
  t.Run({"WATCH", "a", "b", "x", "k", "z"});
  t.RunOn(1, {"SET", "x", "40"});
  CHECK(TryExec(t) == "nil");
  // A dirty client has nothing left to watch.
  CHECK(t.server().watched_keys_count() == 0);
}

TEST_CASE("WATCH: null array encodings", "[tx][watch]") {
  TestServer t;
  auto raw_exec = [&]() {
    Client& c = t.client();
    c.out.Clear();
    std::vector<std::string_view> args{"EXEC"};
    t.server().Dispatch(c, args);
    std::string s(c.out.view());
    c.out.Clear();
    return s;
  };
  t.Run({"WATCH", "x"});
  t.RunOn(1, {"SET", "x", "1"});
  t.Run({"MULTI"});
  CHECK(raw_exec() == "*-1\r\n");
  t.Run({"HELLO", "3"});
  t.Run({"WATCH", "x"});
  t.RunOn(1, {"SET", "x", "2"});
  t.Run({"MULTI"});
  CHECK(raw_exec() == "_\r\n");
}

TEST_CASE("WATCH remembers the db a key belongs to", "[tx][watch]") {
  TestServer t;
  t.Run({"SELECT", "5"});
  t.Run({"SET", "x", "30"});
  t.Run({"WATCH", "x"});
  t.Run({"SELECT", "1"});
  t.Run({"SET", "x", "10"});
  t.Run({"SELECT", "5"});
  CHECK(TryExec(t) == "PONG");

  t.Run({"WATCH", "x"});
  t.RunOn(1, {"SELECT", "5"});
  t.RunOn(1, {"SET", "x", "11"});
  CHECK(TryExec(t) == "nil");
}

TEST_CASE("UNWATCH and DISCARD forget watched keys", "[tx][watch]") {
  TestServer t;
  t.Run({"SET", "x", "30"});
  t.Run({"WATCH", "x"});
  t.Run({"SET", "x", "40"});
  CHECK(t.Run({"UNWATCH"}) == "OK");
  CHECK_FALSE(t.client().flags & Client::kDirtyCas);
  CHECK(TryExec(t) == "PONG");
  CHECK(t.Run({"UNWATCH"}) == "OK");

  // DISCARD clears the dirty flag...
  t.Run({"WATCH", "x"});
  t.Run({"SET", "x", "10"});
  t.Run({"MULTI"});
  CHECK(t.Run({"DISCARD"}) == "OK");
  CHECK(TryExec(t) == "PONG");
  // ...and unwatches.
  t.Run({"WATCH", "x"});
  CHECK(t.server().watched_keys_count() == 1);
  t.Run({"MULTI"});
  t.Run({"DISCARD"});
  CHECK(t.server().watched_keys_count() == 0);
  t.Run({"SET", "x", "10"});
  CHECK(TryExec(t) == "PONG");
}

TEST_CASE("WATCH on a dirty client adds nothing", "[tx][watch]") {
  TestServer t;
  t.Run({"WATCH", "x"});
  t.RunOn(1, {"SET", "x", "1"});
  CHECK(t.Run({"WATCH", "y", "z"}) == "OK");
  CHECK(t.client().watched.empty());
  CHECK(TryExec(t) == "nil");
}

TEST_CASE("Writes inside another client's EXEC touch watched keys", "[tx][watch]") {
  TestServer t;
  t.Run({"WATCH", "k"});
  t.RunOn(1, {"MULTI"});
  t.RunOn(1, {"SET", "k", "v"});
  // Queued, not run: not a modification yet.
  CHECK_FALSE(t.client().flags & Client::kDirtyCas);
  t.RunOn(1, {"EXEC"});
  CHECK(TryExec(t) == "nil");
  // A transaction's own writes to keys it watched do not fail it.
  t.Run({"WATCH", "k"});
  t.Run({"MULTI"});
  t.Run({"SET", "k", "w"});
  RespValue r = t.Run({"EXEC"});
  REQUIRE(r.size() == 1);
  CHECK(r[0] == "OK");
}

TEST_CASE("Reads and failed writes do not touch watched keys", "[tx][watch]") {
  TestServer t;
  t.Run({"SET", "k", "v"});
  t.Run({"WATCH", "k"});
  t.RunOn(1, {"GET", "k"});
  t.RunOn(1, {"SET", "k"});  // arity error
  CHECK(TryExec(t) == "PONG");
}

TEST_CASE("Call() touches every key position of a dirty command", "[tx][watch]") {
  TestServer t;
  // keys at 1, 3, 5 ... like MSET
  ordis::CommandSpec fake{"fakemset", -3,       ordis::kCmdWrite, 0,  1,  -1, 2,
                          FakeWrite,  "string", "1.0.0",          "", "", ""};
  ordis::CommandSpec noop{"fakenoop", -3,       ordis::kCmdWrite, 0,  1,  -1, 2,
                          FakeNoop,   "string", "1.0.0",          "", "", ""};
  auto call = [&](const ordis::CommandSpec& spec, std::vector<std::string_view> args) {
    Client& c = t.client(1);
    t.server().Call(c, &spec, args, spec.name);
    c.out.Clear();
  };
  t.RunOn(2, {"WATCH", "a"});
  t.RunOn(3, {"WATCH", "1"});  // a value position, not a key
  t.RunOn(4, {"WATCH", "c"});
  t.RunOn(5, {"WATCH", "b"});
  call(noop, {"fakenoop", "b", "1"});  // dirty == 0: nothing touched
  CHECK_FALSE(t.client(5).flags & Client::kDirtyCas);
  call(fake, {"fakemset", "a", "1", "b", "2"});
  CHECK(g_fake_calls == 1);
  CHECK(t.client(2).flags & Client::kDirtyCas);
  CHECK_FALSE(t.client(3).flags & Client::kDirtyCas);
  CHECK_FALSE(t.client(4).flags & Client::kDirtyCas);
  CHECK(t.client(5).flags & Client::kDirtyCas);
  CHECK(t.server().watched_keys_count() == 2);
}

TEST_CASE("TouchKey for keys outside a command's key arguments", "[tx][watch]") {
  TestServer t;
  t.Run({"SELECT", "3"});
  t.Run({"WATCH", "k"});
  t.server().TouchKey(0, "k");  // other db
  CHECK(TryExec(t) == "PONG");
  t.Run({"WATCH", "k"});
  t.server().TouchKey(3, "k");
  CHECK(TryExec(t) == "nil");
}

TEST_CASE("WATCH and expiry", "[tx][watch][expire]") {
  SECTION("a watched key that expires before EXEC fails it (lazy expiry)") {
    TestServer t;
    Put(t, 0, "key", "1", Server::NowMs() + 30);
    t.Run({"WATCH", "key"});
    SleepMs(40);
    t.Run({"MULTI"});
    t.Run({"SET", "key", "2"});
    CHECK(t.Run({"EXEC"}).is_null());
  }
  SECTION("a watched key deleted by expiry before EXEC fails it") {
    TestServer t;
    Put(t, 0, "x", "foo", Server::NowMs() + 30);
    t.Run({"WATCH", "x"});
    SleepMs(40);
    // Someone else's read expires it (no write is reported).
    CHECK(t.RunOn(1, {"GET", "x"}).is_null());
    CHECK(t.server().keyspace().db(0).size() == 0);
    CHECK(TryExec(t) == "nil");
  }
  SECTION("a watched key with a TTL that is still live is fine") {
    TestServer t;
    Put(t, 0, "x", "foo", Server::NowMs() + 100000);
    t.Run({"WATCH", "x"});
    CHECK(TryExec(t) == "PONG");
  }
  SECTION("WATCH stale keys should not fail EXEC") {
    TestServer t;
    PutStale(t, 0, "x");
    t.Run({"WATCH", "x"});
    CHECK(TryExec(t) == "PONG");
  }
  SECTION("Delete WATCHed stale keys should not fail EXEC") {
    TestServer t;
    PutStale(t, 0, "x");
    t.Run({"WATCH", "x"});
    CHECK(t.Run({"GET", "x"}).is_null());  // lazy deletion
    CHECK(TryExec(t) == "PONG");
  }
  SECTION("a stale watched key that is written again is a change") {
    TestServer t;
    PutStale(t, 0, "x");
    t.Run({"WATCH", "x"});
    t.RunOn(1, {"SET", "x", "new"});
    CHECK(TryExec(t) == "nil");
  }
  SECTION("a missing watched key that is created is a change") {
    TestServer t;
    t.Run({"WATCH", "x"});
    t.RunOn(1, {"SET", "x", "new"});
    CHECK(TryExec(t) == "nil");
  }
}

TEST_CASE("FLUSHDB / FLUSHALL touch watched keys that exist", "[tx][watch][flush]") {
  auto flushdb = [](TestServer& t, int db) {
    t.server().TouchFlushedDb(db);
    t.server().keyspace().db(db).Clear();
  };
  auto flushall = [](TestServer& t) {
    t.server().TouchFlushedDb(-1);
    t.server().keyspace().FlushAll();
  };
  SECTION("FLUSHALL is able to touch the watched keys") {
    TestServer t;
    t.Run({"SET", "x", "30"});
    t.Run({"WATCH", "x"});
    flushall(t);
    CHECK(TryExec(t) == "nil");
  }
  SECTION("FLUSHALL does not touch non affected keys") {
    TestServer t;
    t.Run({"WATCH", "x"});
    flushall(t);
    CHECK(TryExec(t) == "PONG");
  }
  SECTION("FLUSHALL reaches other dbs") {
    TestServer t;
    t.Run({"SELECT", "7"});
    t.Run({"SET", "x", "30"});
    t.Run({"WATCH", "x"});
    flushall(t);
    CHECK(TryExec(t) == "nil");
  }
  SECTION("FLUSHDB is able to touch the watched keys") {
    TestServer t;
    t.Run({"SET", "x", "30"});
    t.Run({"WATCH", "x"});
    flushdb(t, 0);
    CHECK(TryExec(t) == "nil");
  }
  SECTION("FLUSHDB does not touch non affected keys") {
    TestServer t;
    t.Run({"WATCH", "x"});
    flushdb(t, 0);
    CHECK(TryExec(t) == "PONG");
  }
  SECTION("FLUSHDB of another db does not touch") {
    TestServer t;
    t.Run({"SET", "x", "30"});
    t.Run({"WATCH", "x"});
    t.RunOn(1, {"SELECT", "1"});
    t.RunOn(1, {"SET", "x", "30"});
    flushdb(t, 1);
    CHECK(TryExec(t) == "PONG");
  }
  SECTION("FLUSHDB while watching stale keys should not fail EXEC") {
    TestServer t;
    PutStale(t, 0, "x");
    t.Run({"WATCH", "x"});
    flushdb(t, 0);
    CHECK(TryExec(t) == "PONG");
  }
}

TEST_CASE("SWAPDB and watched keys", "[tx][watch][swapdb]") {
  auto swapdb = [](TestServer& t, int a, int b) {
    t.server().TouchSwappedDbs(a, b);
    t.server().keyspace().SwapDbs(a, b);
  };
  SECTION("SWAPDB is able to touch the watched keys that exist") {
    TestServer t;
    t.Run({"SET", "x", "30"});
    t.Run({"WATCH", "x"});
    swapdb(t, 0, 1);
    CHECK(TryExec(t) == "nil");
  }
  SECTION("SWAPDB is able to touch the watched keys that do not exist") {
    TestServer t;
    t.Run({"SELECT", "1"});
    t.Run({"SET", "x", "30"});
    t.Run({"SELECT", "0"});
    t.Run({"WATCH", "x"});
    swapdb(t, 0, 1);
    CHECK(TryExec(t) == "nil");
  }
  SECTION("SWAPDB of unrelated dbs does not touch") {
    TestServer t;
    t.Run({"SET", "x", "30"});
    t.Run({"WATCH", "x"});
    t.RunOn(1, {"SELECT", "2"});
    t.RunOn(1, {"SET", "x", "1"});
    swapdb(t, 2, 3);
    CHECK(TryExec(t) == "PONG");
  }
  SECTION("SWAPDB does not touch watched stale keys") {
    TestServer t;
    t.Run({"SELECT", "1"});
    PutStale(t, 1, "x");
    t.Run({"WATCH", "x"});
    swapdb(t, 0, 1);  // expired key replaced with no key => no change
    CHECK(TryExec(t) == "PONG");
  }
  SECTION("SWAPDB does not touch non-existing key replaced with stale key") {
    TestServer t;
    PutStale(t, 0, "x");
    t.Run({"SELECT", "1"});
    t.Run({"WATCH", "x"});
    swapdb(t, 0, 1);
    CHECK(TryExec(t) == "PONG");
  }
  SECTION("SWAPDB does not touch stale key replaced with another stale key") {
    TestServer t;
    PutStale(t, 1, "x");
    PutStale(t, 0, "x");
    t.Run({"SELECT", "1"});
    t.Run({"WATCH", "x"});
    swapdb(t, 0, 1);
    CHECK(TryExec(t) == "PONG");
  }
  SECTION("a stale key replaced with a live key is a change") {
    TestServer t;
    PutStale(t, 1, "x");
    Put(t, 0, "x", "live");
    t.Run({"SELECT", "1"});
    t.Run({"WATCH", "x"});
    swapdb(t, 0, 1);
    CHECK(TryExec(t) == "nil");
  }
}

TEST_CASE("Disconnecting a client drops its watches", "[tx][watch]") {
  TestServer t;
  t.RunOn(1, {"WATCH", "a", "b"});
  t.Run({"WATCH", "a"});
  CHECK(t.server().watched_keys_count() == 3);
  t.server().RemoveClient(&t.client(1));
  CHECK(t.server().watched_keys_count() == 1);
  // The remaining watcher is still notified.
  t.RunOn(2, {"SET", "a", "1"});
  CHECK(TryExec(t) == "nil");
}

TEST_CASE("QUIT inside MULTI acts at once", "[tx]") {
  TestServer t;
  t.Run({"MULTI"});
  t.Run({"ECHO", "before"});
  // QUIT is not queued: it acts at once, like in Redis.
  CHECK(t.Run({"QUIT"}) == "OK");
  CHECK(t.client().flags & Client::kCloseAfterReply);
}

TEST_CASE("WATCH sees only the keys a command writes", "[tx]") {
  TestServer t;
  t.Run({"RPUSH", "src", "3", "1", "2"});
  // Another client's SORT reads src and writes dst: src's watcher is not
  // aborted, dst's is (as in Redis).
  t.Run({"WATCH", "src"});
  t.RunOn(1, {"SORT", "src", "STORE", "dst"});
  t.Run({"MULTI"});
  t.Run({"PING"});
  CHECK(t.Run({"EXEC"}).size() == 1);
  t.Run({"WATCH", "dst"});
  t.RunOn(1, {"SORT", "src", "STORE", "dst"});
  t.Run({"MULTI"});
  t.Run({"PING"});
  CHECK(t.Run({"EXEC"}).is_null());
}
