// Generic key commands against Redis 7.0.15's replies and error texts:
// DEL/UNLINK/EXISTS/TYPE/TOUCH, RENAME/MOVE/COPY/SWAPDB, KEYS/SCAN/
// RANDOMKEY/DBSIZE/FLUSH*, the EXPIRE and TTL families, OBJECT; plus the
// storage operations of kv/key_ops.h directly.
#include <catch2/catch.hpp>
#include <climits>
#include <set>
#include <string>
#include <vector>

#include "harness.h"
#include "kv/key_ops.h"

using ordis::Db;
using ordis::Entry;
using ordis::OpStatus;
using ordis::Server;
using ordis::test::RespValue;
using ordis::test::TestServer;

namespace {

// A stand-in for a non-string value (lists etc. live in other families).
// Counts clones so tests can tell a copy from a hand-over.
struct FakeObject : ordis::Object {
  static inline int clones = 0;
  Object* Clone() const override {
    ++clones;
    return new FakeObject;
  }
  size_t MemoryUsage() const override { return 16; }
  const char* EncodingName() const override { return "quicklist"; }
};

Db& DbOf(TestServer& t, int i = 0) {
  return t.server().keyspace().db(i);
}

Entry* AddObject(TestServer& t, const std::string& key, ordis::ValueType type, int db = 0) {
  Entry* e = ordis::NewObjectEntry(key, type, new FakeObject);
  DbOf(t, db).Add(e);
  return e;
}

Entry* Find(TestServer& t, const std::string& key, int db = 0) {
  return DbOf(t, db).FindQuiet(key);
}

// Gives a key an absolute expire time (ms since the epoch).
void SetExpireAt(TestServer& t, const std::string& key, int64_t when, int db = 0) {
  Entry* e = Find(t, key, db);
  REQUIRE(e != nullptr);
  DbOf(t, db).SetExpire(e, when);
}

int64_t ExpireOf(TestServer& t, const std::string& key, int db = 0) {
  Entry* e = Find(t, key, db);
  return e ? DbOf(t, db).GetExpire(e) : -2;
}

uint64_t Dirty(TestServer& t) {
  return t.server().stats().dirty;
}
uint64_t Expired(TestServer& t) {
  return t.server().keyspace().ctx().expired_keys;
}

std::set<std::string> AsSet(const RespValue& v) {
  auto s = v.strings();
  return {s.begin(), s.end()};
}

// Runs SCAN to completion with the given options; returns every key seen.
std::multiset<std::string> ScanAll(TestServer& t, const std::vector<std::string>& opts) {
  std::multiset<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    std::vector<std::string> cmd = {"SCAN", cursor};
    cmd.insert(cmd.end(), opts.begin(), opts.end());
    RespValue r = t.Run(cmd);
    REQUIRE(r.is_array());
    REQUIRE(r.size() == 2);
    cursor = r[0].str;
    for (const auto& k : r[1].strings()) seen.insert(k);
    REQUIRE(++calls < 100000);
  } while (cursor != "0");
  return seen;
}

}  // namespace

// ---- DEL / UNLINK / EXISTS / TYPE / TOUCH --------------------------------

TEST_CASE("DEL and UNLINK count removed keys and dirty", "[keys]") {
  TestServer t;
  for (const char* k : {"a", "b", "c"}) CHECK(t.Run({"SET", k, "v"}) == "OK");
  uint64_t d = Dirty(t);
  CHECK(t.Run({"DEL", "a", "b", "nokey", "a"}) == 2);
  CHECK(Dirty(t) == d + 2);
  CHECK(t.Run({"EXISTS", "a", "b"}) == 0);
  CHECK(t.Run({"UNLINK", "c", "c"}) == 1);
  CHECK(t.Run({"DBSIZE"}) == 0);
  CHECK(t.Run({"DEL", "x"}) == 0);
  CHECK(t.Run({"DEL"}).is_error("ERR wrong number of arguments for 'del' command"));
}

TEST_CASE("DEL of an expired key returns 0 and counts it as expired", "[keys]") {
  TestServer t;
  t.Run({"SET", "k", "v"});
  SetExpireAt(t, "k", Server::NowMs() - 10);
  uint64_t before = Expired(t);
  CHECK(t.Run({"DEL", "k"}) == 0);
  CHECK(Expired(t) == before + 1);
}

TEST_CASE("EXISTS counts repeats, does not touch, counts hits", "[keys]") {
  TestServer t;
  t.Run({"SET", "k", "v"});
  Entry* e = Find(t, "k");
  e->lru = 1;  // long ago
  auto& ctx = t.server().keyspace().ctx();
  uint64_t hits = ctx.keyspace_hits, misses = ctx.keyspace_misses;
  CHECK(t.Run({"EXISTS", "k", "k", "nokey"}) == 2);
  CHECK(e->lru == 1);
  CHECK(ctx.keyspace_hits == hits + 2);
  CHECK(ctx.keyspace_misses == misses + 1);
}

TEST_CASE("TYPE names every value type; none for missing", "[keys]") {
  TestServer t;
  t.Run({"SET", "s", "v"});
  AddObject(t, "l", ordis::ValueType::kList);
  AddObject(t, "h", ordis::ValueType::kHash);
  AddObject(t, "z", ordis::ValueType::kZSet);
  AddObject(t, "st", ordis::ValueType::kSet);
  AddObject(t, "x", ordis::ValueType::kStream);
  RespValue r = t.Run({"TYPE", "s"});
  CHECK(r.type == RespValue::kSimple);
  CHECK(r == "string");
  CHECK(t.Run({"TYPE", "l"}) == "list");
  CHECK(t.Run({"TYPE", "h"}) == "hash");
  CHECK(t.Run({"TYPE", "z"}) == "zset");
  CHECK(t.Run({"TYPE", "st"}) == "set");
  CHECK(t.Run({"TYPE", "x"}) == "stream");
  CHECK(t.Run({"TYPE", "nokey"}) == "none");
  Entry* e = Find(t, "s");
  e->lru = 1;
  t.Run({"TYPE", "s"});
  CHECK(e->lru == 1);
}

TEST_CASE("TOUCH updates the access time and counts existing keys", "[keys]") {
  TestServer t;
  t.Run({"SET", "a", "1"});
  t.Run({"SET", "b", "2"});
  Find(t, "a")->lru = 1;
  CHECK(t.Run({"TOUCH", "a", "b", "c"}) == 2);
  CHECK(Find(t, "a")->lru > 1);
  CHECK(t.Run({"OBJECT", "IDLETIME", "a"}) == 0);
}

// ---- RENAME / RENAMENX ----------------------------------------------------

TEST_CASE("RENAME moves value and TTL, replaces the target", "[keys]") {
  TestServer t;
  t.Run({"SET", "src", "hello"});
  int64_t when = Server::NowMs() + 100000;
  SetExpireAt(t, "src", when);
  t.Run({"SET", "dst", "old"});
  SetExpireAt(t, "dst", when + 5000);
  uint64_t d = Dirty(t);
  CHECK(t.Run({"RENAME", "src", "dst"}) == "OK");
  CHECK(Dirty(t) == d + 1);
  CHECK(t.Run({"GET", "dst"}) == "hello");
  CHECK(t.Run({"EXISTS", "src"}) == 0);
  CHECK(ExpireOf(t, "dst") == when);
  CHECK(DbOf(t).expires_size() == 1);

  // A volatile target's TTL is not inherited by a persistent source.
  t.Run({"SET", "p", "x"});
  CHECK(t.Run({"RENAME", "p", "dst"}) == "OK");
  CHECK(t.Run({"TTL", "dst"}) == -1);
  CHECK(DbOf(t).expires_size() == 0);
}

TEST_CASE("RENAME errors and same-key cases", "[keys]") {
  TestServer t;
  CHECK(t.Run({"RENAME", "nokey", "x"}).is_error("ERR no such key"));
  CHECK(t.Run({"RENAMENX", "nokey", "x"}).is_error("ERR no such key"));
  CHECK(t.Run({"RENAME", "nokey", "nokey"}).is_error("ERR no such key"));
  t.Run({"SET", "k", "v"});
  uint64_t d = Dirty(t);
  CHECK(t.Run({"RENAME", "k", "k"}) == "OK");
  CHECK(t.Run({"RENAMENX", "k", "k"}) == 0);
  CHECK(Dirty(t) == d);
  CHECK(t.Run({"GET", "k"}) == "v");
  CHECK(t.Run({"RENAME", "k"}).is_error("ERR wrong number of arguments for 'rename' command"));
}

TEST_CASE("RENAMENX refuses an existing target", "[keys]") {
  TestServer t;
  t.Run({"SET", "a", "foo"});
  t.Run({"SET", "b", "bar"});
  CHECK(t.Run({"RENAMENX", "a", "b"}) == 0);
  CHECK(t.Run({"GET", "a"}) == "foo");
  CHECK(t.Run({"GET", "b"}) == "bar");
  CHECK(t.Run({"RENAMENX", "a", "c"}) == 1);
  CHECK(t.Run({"GET", "c"}) == "foo");
  CHECK(t.Run({"EXISTS", "a"}) == 0);
}

TEST_CASE("RENAME onto an expired target works like a missing one", "[keys]") {
  TestServer t;
  t.Run({"SET", "a", "1"});
  t.Run({"SET", "b", "2"});
  SetExpireAt(t, "b", Server::NowMs() - 1);
  CHECK(t.Run({"RENAMENX", "a", "b"}) == 1);
  CHECK(t.Run({"GET", "b"}) == "1");
}

TEST_CASE("RENAME hands large values over without copying", "[keys]") {
  TestServer t;
  std::string big(5000, 'x');
  big[0] = 'y';
  t.Run({"SET", "big", big});
  Entry* e = Find(t, "big");
  REQUIRE(e->enc == ordis::Encoding::kRaw);
  const char* buf = e->raw_ptr();
  CHECK(t.Run({"RENAME", "big", "big2"}) == "OK");
  Entry* n = Find(t, "big2");
  REQUIRE(n != nullptr);
  CHECK(n->raw_ptr() == buf);
  CHECK(t.Run({"GET", "big2"}) == big);

  Entry* obj = AddObject(t, "list", ordis::ValueType::kList);
  ordis::Object* o = obj->object();
  int clones = FakeObject::clones;
  CHECK(t.Run({"RENAME", "list", "list2"}) == "OK");
  CHECK(Find(t, "list2")->object() == o);
  CHECK(FakeObject::clones == clones);
  CHECK(t.Run({"TYPE", "list2"}) == "list");
  CHECK(t.Run({"OBJECT", "ENCODING", "list2"}) == "quicklist");

  // Small and integer values survive renaming too.
  t.Run({"SET", "i", "12345"});
  t.Run({"RENAME", "i", "j"});
  CHECK(t.Run({"OBJECT", "ENCODING", "j"}) == "int");
  CHECK(t.Run({"GET", "j"}) == "12345");
}

// ---- MOVE --------------------------------------------------------------

TEST_CASE("MOVE moves key and TTL to another db", "[keys]") {
  TestServer t;
  t.Run({"SET", "k", "foo"});
  int64_t when = Server::NowMs() + 100000;
  SetExpireAt(t, "k", when);
  uint64_t d = Dirty(t);
  CHECK(t.Run({"MOVE", "k", "3"}) == 1);
  CHECK(Dirty(t) == d + 1);
  CHECK(t.Run({"EXISTS", "k"}) == 0);
  CHECK(ExpireOf(t, "k", 3) == when);
  CHECK(DbOf(t, 0).expires_size() == 0);
  CHECK(t.Run({"SELECT", "3"}) == "OK");
  CHECK(t.Run({"GET", "k"}) == "foo");
  CHECK(t.Run({"DBSIZE"}) == 1);
}

TEST_CASE("MOVE refusals and errors", "[keys]") {
  TestServer t;
  t.Run({"SET", "k", "here"});
  CHECK(t.Run({"MOVE", "nokey", "1"}) == 0);
  t.Run({"SELECT", "1"});
  t.Run({"SET", "k", "there"});
  t.Run({"SELECT", "0"});
  CHECK(t.Run({"MOVE", "k", "1"}) == 0);
  CHECK(t.Run({"GET", "k"}) == "here");
  CHECK(t.Run({"MOVE", "k", "0"}).is_error("ERR source and destination objects are the same"));
  CHECK(t.Run({"MOVE", "k", "16"}).is_error("ERR DB index is out of range"));
  CHECK(t.Run({"MOVE", "k", "-1"}).is_error("ERR DB index is out of range"));
  CHECK(t.Run({"MOVE", "nokey", "99"}).is_error("ERR DB index is out of range"));
  CHECK(t.Run({"MOVE", "k", "notanumber"}).is_error("ERR value is not an integer or out of range"));
  CHECK(t.Run({"MOVE", "k", "4294967296"}).is_error("ERR value is not an integer or out of range"));
}

// ---- COPY ----------------------------------------------------------------

TEST_CASE("COPY within a db and to another db, with TTL", "[keys]") {
  TestServer t;
  t.Run({"SET", "src", "foobar"});
  int64_t when = Server::NowMs() + 100000;
  SetExpireAt(t, "src", when);
  uint64_t d = Dirty(t);
  CHECK(t.Run({"COPY", "src", "dst"}) == 1);
  CHECK(Dirty(t) == d + 1);
  CHECK(t.Run({"GET", "dst"}) == "foobar");
  CHECK(ExpireOf(t, "dst") == when);
  CHECK(t.Run({"COPY", "src", "dst", "DB", "5"}) == 1);
  CHECK(Find(t, "dst", 5) != nullptr);
  CHECK(ExpireOf(t, "dst", 5) == when);
  CHECK(t.Run({"COPY", "src", "src", "DB", "5"}) == 1);  // same name, other db

  // Independent data.
  t.Run({"SET", "dst", "changed"});
  CHECK(t.Run({"GET", "src"}) == "foobar");

  t.Run({"SET", "plain", "v"});
  CHECK(t.Run({"COPY", "plain", "p2"}) == 1);
  CHECK(t.Run({"TTL", "p2"}) == -1);
}

TEST_CASE("COPY refuses an existing target unless REPLACE", "[keys]") {
  TestServer t;
  t.Run({"SET", "a", "new"});
  t.Run({"SET", "b", "old"});
  SetExpireAt(t, "b", Server::NowMs() + 50000);
  CHECK(t.Run({"COPY", "a", "b"}) == 0);
  CHECK(t.Run({"GET", "b"}) == "old");
  CHECK(t.Run({"COPY", "a", "b", "replace"}) == 1);
  CHECK(t.Run({"GET", "b"}) == "new");
  CHECK(t.Run({"TTL", "b"}) == -1);  // the replaced key's TTL is gone
  CHECK(t.Run({"COPY", "nokey", "c"}) == 0);
  CHECK(t.Run({"EXISTS", "c"}) == 0);
}

TEST_CASE("COPY errors", "[keys]") {
  TestServer t;
  t.Run({"SET", "a", "v"});
  CHECK(t.Run({"COPY", "a", "a"}).is_error("ERR source and destination objects are the same"));
  CHECK(t.Run({"COPY", "a", "a", "DB", "0"})
            .is_error("ERR source and destination objects are the same"));
  CHECK(t.Run({"COPY", "a", "b", "DB"}).is_error("ERR syntax error"));
  CHECK(t.Run({"COPY", "a", "b", "foo"}).is_error("ERR syntax error"));
  CHECK(t.Run({"COPY", "a", "b", "DB", "100"}).is_error("ERR DB index is out of range"));
  CHECK(t.Run({"COPY", "a", "b", "DB", "notanumber"})
            .is_error("ERR value is not an integer or out of range"));
  CHECK(t.Run({"COPY", "a"}).is_error("ERR wrong number of arguments for 'copy' command"));
}

TEST_CASE("COPY deep-copies objects", "[keys]") {
  TestServer t;
  Entry* src = AddObject(t, "l", ordis::ValueType::kList);
  int clones = FakeObject::clones;
  CHECK(t.Run({"COPY", "l", "l2"}) == 1);
  CHECK(FakeObject::clones == clones + 1);
  Entry* dst = Find(t, "l2");
  REQUIRE(dst != nullptr);
  CHECK(dst->object() != src->object());
  CHECK(t.Run({"TYPE", "l2"}) == "list");
  CHECK(t.Run({"OBJECT", "REFCOUNT", "l2"}) == 1);
}

// ---- SWAPDB ----------------------------------------------------------------

TEST_CASE("SWAPDB exchanges databases", "[keys]") {
  TestServer t;
  t.Run({"SET", "in0", "a"});
  t.Run({"SELECT", "1"});
  t.Run({"SET", "in1", "b"});
  uint64_t d = Dirty(t);
  CHECK(t.Run({"SWAPDB", "0", "1"}) == "OK");
  CHECK(Dirty(t) == d + 1);
  CHECK(t.Run({"GET", "in0"}) == "a");  // still selected db 1
  CHECK(t.Run({"EXISTS", "in1"}) == 0);
  CHECK(t.Run({"SWAPDB", "1", "1"}) == "OK");
  CHECK(t.Run({"GET", "in0"}) == "a");
  CHECK(t.Run({"SWAPDB", "a", "1"}).is_error("ERR invalid first DB index"));
  CHECK(t.Run({"SWAPDB", "1", "b"}).is_error("ERR invalid second DB index"));
  CHECK(t.Run({"SWAPDB", "0", "16"}).is_error("ERR DB index is out of range"));
  CHECK(t.Run({"SWAPDB", "-1", "0"}).is_error("ERR DB index is out of range"));
  CHECK(t.Run({"SWAPDB", "99999999999", "0"}).is_error("ERR invalid first DB index"));
}

// ---- KEYS / SCAN / RANDOMKEY / DBSIZE / FLUSH ------------------------------

TEST_CASE("KEYS matches patterns and hides expired keys", "[keys]") {
  TestServer t;
  for (const char* k : {"key_x", "key_y", "key_z", "foo_a", "foo_b", "foo_c"})
    t.Run({"SET", k, "hello"});
  CHECK(AsSet(t.Run({"KEYS", "foo*"})) == std::set<std::string>{"foo_a", "foo_b", "foo_c"});
  CHECK(t.Run({"KEYS", "*"}).size() == 6);
  CHECK(AsSet(t.Run({"KEYS", "key_[xy]"})) == std::set<std::string>{"key_x", "key_y"});
  CHECK(t.Run({"KEYS", "nomatch*"}).size() == 0);
  SetExpireAt(t, "foo_a", Server::NowMs() - 1);
  CHECK(AsSet(t.Run({"KEYS", "foo*"})) == std::set<std::string>{"foo_b", "foo_c"});
  CHECK(t.Run({"DBSIZE"}) == 6);  // KEYS does not reclaim (as Redis)
  t.Run({"FLUSHDB"});
  t.Run({"SET", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "1"});
  CHECK(t.Run({"KEYS", "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"}).size() == 0);
}

TEST_CASE("SCAN iterates every key exactly once in a stable db", "[keys]") {
  TestServer t;
  for (int i = 0; i < 1000; ++i) t.Run({"SET", "key:" + std::to_string(i), "v"});
  auto seen = ScanAll(t, {});
  CHECK(seen.size() == 1000);
  CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 1000);
  auto counted = ScanAll(t, {"COUNT", "100"});
  CHECK(counted.size() == 1000);
  RespValue r = t.Run({"SCAN", "0", "COUNT", "1000000"});
  CHECK(r[0] == "0");
  CHECK(r[1].size() == 1000);
}

TEST_CASE("SCAN returns every key present throughout, under writes", "[keys]") {
  TestServer t;
  for (int i = 0; i < 100; ++i) t.Run({"SET", "stable:" + std::to_string(i), "v"});
  std::multiset<std::string> seen;
  std::string cursor = "0";
  int n = 0;
  do {
    RespValue r = t.Run({"SCAN", cursor});
    cursor = r[0].str;
    for (const auto& k : r[1].strings()) seen.insert(k);
    for (int j = 0; j < 20; ++j) t.Run({"SET", "new:" + std::to_string(n++), "v"});
  } while (cursor != "0");
  for (int i = 0; i < 100; ++i) CHECK(seen.count("stable:" + std::to_string(i)) >= 1);
}

TEST_CASE("SCAN MATCH and TYPE filter", "[keys]") {
  TestServer t;
  for (int i = 0; i < 50; ++i) t.Run({"SET", "key:" + std::to_string(i), "v"});
  for (int i = 0; i < 10; ++i) t.Run({"SET", "other:" + std::to_string(i), "v"});
  for (int i = 0; i < 5; ++i) AddObject(t, "list:" + std::to_string(i), ordis::ValueType::kList);
  CHECK(ScanAll(t, {"MATCH", "key:*"}).size() == 50);
  CHECK(ScanAll(t, {"MATCH", "other:*", "COUNT", "3"}).size() == 10);
  CHECK(ScanAll(t, {"TYPE", "list"}).size() == 5);
  CHECK(ScanAll(t, {"TYPE", "LIST"}).size() == 5);
  CHECK(ScanAll(t, {"TYPE", "string", "MATCH", "other:*"}).size() == 10);
  CHECK(ScanAll(t, {"TYPE", "hash"}).empty());
  CHECK(ScanAll(t, {"TYPE", "nosuchtype"}).empty());
  CHECK(ScanAll(t, {"MATCH", ""}).empty());  // "" only matches the empty key
  t.Run({"SET", "", "empty"});
  CHECK(ScanAll(t, {"MATCH", ""}) == std::multiset<std::string>{""});
}

TEST_CASE("SCAN filters and reclaims expired keys", "[keys]") {
  TestServer t;
  for (int i = 0; i < 20; ++i) t.Run({"SET", "k" + std::to_string(i), "v"});
  for (int i = 0; i < 10; ++i) SetExpireAt(t, "k" + std::to_string(i), Server::NowMs() - 1);
  uint64_t before = Expired(t);
  auto seen = ScanAll(t, {});
  CHECK(seen.size() == 10);
  for (int i = 10; i < 20; ++i) CHECK(seen.count("k" + std::to_string(i)) == 1);
  CHECK(t.Run({"DBSIZE"}) == 10);
  CHECK(Expired(t) == before + 10);
}

TEST_CASE("SCAN argument errors and cursor parsing", "[keys]") {
  TestServer t;
  t.Run({"SET", "a", "1"});
  CHECK(t.Run({"SCAN", "0", "COUNT", "0"}).is_error("ERR syntax error"));
  CHECK(t.Run({"SCAN", "0", "COUNT", "-1"}).is_error("ERR syntax error"));
  CHECK(t.Run({"SCAN", "0", "COUNT", "x"}).is_error("ERR value is not an integer or out of range"));
  CHECK(t.Run({"SCAN", "0", "MATCH"}).is_error("ERR syntax error"));
  CHECK(t.Run({"SCAN", "0", "FOO", "bar"}).is_error("ERR syntax error"));
  CHECK(t.Run({"SCAN", "x"}).is_error("ERR invalid cursor"));
  CHECK(t.Run({"SCAN", " 1"}).is_error("ERR invalid cursor"));
  CHECK(t.Run({"SCAN", "1x"}).is_error("ERR invalid cursor"));
  CHECK(t.Run({"SCAN", "18446744073709551616"}).is_error("ERR invalid cursor"));
  CHECK(t.Run({"SCAN", "-"}).is_error("ERR invalid cursor"));
  // strtoul accepts these.
  CHECK(t.Run({"SCAN", ""})[1].size() == 1);
  CHECK(t.Run({"SCAN", "18446744073709551615"}).is_array());
  CHECK(t.Run({"SCAN", "-1"}).is_array());
  CHECK(t.Run({"SCAN", "+0"})[1].size() == 1);
  RespValue r = t.Run({"SCAN", "0"});
  CHECK(r[0].type == RespValue::kBulk);
}

TEST_CASE("RANDOMKEY and DBSIZE", "[keys]") {
  TestServer t;
  CHECK(t.Run({"RANDOMKEY"}).is_null());
  CHECK(t.Run({"DBSIZE"}) == 0);
  t.Run({"SET", "foo", "x"});
  t.Run({"SET", "bar", "y"});
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) seen.insert(t.Run({"RANDOMKEY"}).str);
  CHECK(seen == std::set<std::string>{"foo", "bar"});
  CHECK(t.Run({"DBSIZE"}) == 2);
  t.Run({"DEL", "foo", "bar"});
  CHECK(t.Run({"RANDOMKEY"}).is_null());
  t.Run({"SET", "gone", "x"});
  SetExpireAt(t, "gone", Server::NowMs() - 1);
  CHECK(t.Run({"RANDOMKEY"}).is_null());
  CHECK(t.Run({"DBSIZE"}) == 0);
}

TEST_CASE("FLUSHDB and FLUSHALL with ASYNC/SYNC", "[keys]") {
  TestServer t;
  t.Run({"SET", "a", "1"});
  t.Run({"SET", "b", "1"});
  t.Run({"SELECT", "1"});
  t.Run({"SET", "c", "1"});
  uint64_t d = Dirty(t);
  CHECK(t.Run({"FLUSHDB", "ASYNC"}) == "OK");
  CHECK(Dirty(t) == d + 1);
  CHECK(t.Run({"DBSIZE"}) == 0);
  t.Run({"SELECT", "0"});
  CHECK(t.Run({"DBSIZE"}) == 2);
  CHECK(t.Run({"FLUSHDB", "foo"}).is_error("ERR syntax error"));
  CHECK(t.Run({"FLUSHDB", "sync", "async"}).is_error("ERR syntax error"));
  CHECK(t.Run({"FLUSHALL", "bar"}).is_error("ERR syntax error"));
  t.Run({"SELECT", "3"});
  t.Run({"SET", "z", "1"});
  CHECK(t.Run({"FLUSHALL", "sync"}) == "OK");
  CHECK(t.server().keyspace().TotalKeys() == 0);
  CHECK(t.Run({"FLUSHALL"}) == "OK");
  CHECK(t.Run({"FLUSHDB"}) == "OK");
}

// ---- EXPIRE family --------------------------------------------------------

TEST_CASE("EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT set absolute times", "[keys][expire]") {
  TestServer t;
  t.Run({"SET", "k", "v"});
  int64_t now = Server::NowMs();
  uint64_t d = Dirty(t);
  CHECK(t.Run({"EXPIRE", "k", "100"}) == 1);
  CHECK(Dirty(t) == d + 1);
  CHECK(ExpireOf(t, "k") >= now + 100000);
  CHECK(ExpireOf(t, "k") <= Server::NowMs() + 100000);
  CHECK(t.Run({"PEXPIRE", "k", "5000"}) == 1);
  CHECK(ExpireOf(t, "k") <= Server::NowMs() + 5000);
  CHECK(t.Run({"EXPIREAT", "k", std::to_string(now / 1000 + 300)}) == 1);
  CHECK(ExpireOf(t, "k") == (now / 1000 + 300) * 1000);
  CHECK(t.Run({"PEXPIREAT", "k", std::to_string(now + 123456)}) == 1);
  CHECK(ExpireOf(t, "k") == now + 123456);
  CHECK(t.Run({"EXPIRE", "nokey", "10"}) == 0);
}

TEST_CASE("EXPIRE in the past deletes the key as a DEL", "[keys][expire]") {
  TestServer t;
  uint64_t before = Expired(t);
  t.Run({"SET", "a", "v"});
  t.Run({"SET", "b", "v"});
  t.Run({"SET", "c", "v"});
  uint64_t d = Dirty(t);
  CHECK(t.Run({"EXPIRE", "a", "-10"}) == 1);
  CHECK(t.Run({"PEXPIRE", "b", "0"}) == 1);
  CHECK(t.Run({"EXPIREAT", "c", "1"}) == 1);
  CHECK(Dirty(t) == d + 3);
  CHECK(t.Run({"DBSIZE"}) == 0);
  CHECK(Expired(t) == before);  // a DEL, not an expiry
  t.Run({"SET", "d", "v"});
  CHECK(t.Run({"PEXPIREAT", "d", "-9223372036854770000"}) == 1);
  CHECK(t.Run({"TTL", "d"}) == -2);
}

TEST_CASE("EXPIRE while loading stores a past time instead of deleting", "[keys][expire]") {
  TestServer t;
  t.Run({"SET", "k", "v"});
  t.server().loading = true;
  t.server().keyspace().ctx().lazy_expire_enabled = false;
  CHECK(t.Run({"PEXPIREAT", "k", "1000"}) == 1);
  CHECK(ExpireOf(t, "k") == 1000);
  t.server().loading = false;
  t.server().keyspace().ctx().lazy_expire_enabled = true;
  CHECK(t.Run({"EXISTS", "k"}) == 0);
}

TEST_CASE("EXPIRE NX XX GT LT conditions", "[keys][expire]") {
  TestServer t;
  auto fresh = [&](bool volatile_key) {
    t.Run({"SET", "k", "v"});
    if (volatile_key) t.Run({"EXPIRE", "k", "100"});
  };
  fresh(true);
  CHECK(t.Run({"EXPIRE", "k", "200", "NX"}) == 0);
  CHECK(t.Run({"TTL", "k"}) == 100);
  fresh(false);
  CHECK(t.Run({"EXPIRE", "k", "200", "nx"}) == 1);
  CHECK(t.Run({"TTL", "k"}) == 200);
  fresh(true);
  CHECK(t.Run({"EXPIRE", "k", "200", "XX"}) == 1);
  CHECK(t.Run({"TTL", "k"}) == 200);
  fresh(false);
  CHECK(t.Run({"EXPIRE", "k", "200", "XX"}) == 0);
  CHECK(t.Run({"TTL", "k"}) == -1);
  fresh(true);
  CHECK(t.Run({"EXPIRE", "k", "200", "GT"}) == 1);
  CHECK(t.Run({"EXPIRE", "k", "50", "GT"}) == 0);
  CHECK(t.Run({"TTL", "k"}) == 200);
  fresh(false);
  CHECK(t.Run({"EXPIRE", "k", "200", "GT"}) == 0);  // no TTL = infinite
  CHECK(t.Run({"TTL", "k"}) == -1);
  fresh(true);
  CHECK(t.Run({"EXPIRE", "k", "200", "LT"}) == 0);
  CHECK(t.Run({"EXPIRE", "k", "50", "LT"}) == 1);
  CHECK(t.Run({"TTL", "k"}) == 50);
  fresh(false);
  CHECK(t.Run({"EXPIRE", "k", "100", "LT"}) == 1);
  CHECK(t.Run({"TTL", "k"}) == 100);
  fresh(true);
  CHECK(t.Run({"EXPIRE", "k", "50", "LT", "XX"}) == 1);
  fresh(false);
  CHECK(t.Run({"EXPIRE", "k", "50", "LT", "XX"}) == 0);
  fresh(true);
  CHECK(t.Run({"EXPIRE", "k", "-10", "LT"}) == 1);
  CHECK(t.Run({"TTL", "k"}) == -2);
  fresh(false);
  CHECK(t.Run({"EXPIRE", "k", "-10", "LT"}) == 1);
  CHECK(t.Run({"TTL", "k"}) == -2);
  for (const char* c : {"NX", "XX", "GT", "LT"}) CHECK(t.Run({"EXPIRE", "none", "100", c}) == 0);
}

TEST_CASE("EXPIRE option and value errors", "[keys][expire]") {
  TestServer t;
  t.Run({"SET", "foo", "bar"});
  const char* kNx = "ERR NX and XX, GT or LT options at the same time are not compatible";
  CHECK(t.Run({"EXPIRE", "foo", "200", "LT", "GT"})
            .is_error("ERR GT and LT options at the same time are not compatible"));
  CHECK(t.Run({"EXPIRE", "foo", "200", "NX", "GT"}).is_error(kNx));
  CHECK(t.Run({"EXPIRE", "foo", "200", "NX", "LT"}).is_error(kNx));
  CHECK(t.Run({"EXPIRE", "foo", "200", "NX", "XX"}).is_error(kNx));
  CHECK(t.Run({"EXPIRE", "foo", "200", "AB"}).is_error("ERR Unsupported option AB"));
  CHECK(t.Run({"EXPIRE", "foo", "200", "XX", "AB"}).is_error("ERR Unsupported option AB"));
  // Options are checked before the value, as in Redis.
  CHECK(t.Run({"EXPIRE", "foo", "abc", "AB"}).is_error("ERR Unsupported option AB"));
  CHECK(t.Run({"EXPIRE", "foo", ""}).is_error("ERR value is not an integer or out of range"));
  CHECK(t.Run({"EXPIRE", "foo"}).is_error("ERR wrong number of arguments for 'expire' command"));
  for (const char* v : {"9223370399119966", "9223372036854776", "10000000000000000",
                        "-9223372036854776", "-9999999999999999"})
    CHECK(t.Run({"EXPIRE", "foo", v}).is_error("ERR invalid expire time in 'expire' command"));
  CHECK(t.Run({"PEXPIRE", "foo", "9223372036854770000"})
            .is_error("ERR invalid expire time in 'pexpire' command"));
  CHECK(t.Run({"EXPIREAT", "foo", "9223372036854776"})
            .is_error("ERR invalid expire time in 'expireat' command"));
  CHECK(t.Run({"TTL", "foo"}) == -1);
  CHECK(t.Run({"PEXPIREAT", "foo", "9223372036854770000"}) == 1);
}

TEST_CASE("ExpireTimeMs overflow edges", "[keys][expire]") {
  int64_t w = 0;
  CHECK(ordis::ExpireTimeMs(LLONG_MAX / 1000, true, 0, &w));
  CHECK(w == LLONG_MAX / 1000 * 1000);
  CHECK_FALSE(ordis::ExpireTimeMs(LLONG_MAX / 1000 + 1, true, 0, &w));
  CHECK_FALSE(ordis::ExpireTimeMs(LLONG_MIN / 1000 - 1, true, 0, &w));
  CHECK(ordis::ExpireTimeMs(LLONG_MAX, false, 0, &w));
  CHECK_FALSE(ordis::ExpireTimeMs(LLONG_MAX, false, 1, &w));
  CHECK(ordis::ExpireTimeMs(-5, false, 100, &w));
  CHECK(w == 95);
}

TEST_CASE("TTL, PTTL, EXPIRETIME, PEXPIRETIME", "[keys][expire]") {
  TestServer t;
  for (const char* c : {"TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"}) {
    CHECK(t.Run({c, "nokey"}) == -2);
  }
  t.Run({"SET", "k", "v"});
  for (const char* c : {"TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"}) CHECK(t.Run({c, "k"}) == -1);
  int64_t at = Server::NowMs() + 10'400;
  SetExpireAt(t, "k", at);
  CHECK(t.Run({"PEXPIRETIME", "k"}) == at);
  CHECK(t.Run({"EXPIRETIME", "k"}) == (at + 500) / 1000);
  int64_t pttl = t.Run({"PTTL", "k"}).integer;
  CHECK(pttl > 9000);
  CHECK(pttl <= 10'400);
  CHECK(t.Run({"TTL", "k"}) == 10);  // 10.4 s rounds to 10
  SetExpireAt(t, "k", Server::NowMs() + 10'600);
  CHECK(t.Run({"TTL", "k"}) == 11);  // rounds to nearest
  // Huge expire times do not overflow the rounding.
  SetExpireAt(t, "k", LLONG_MAX);
  CHECK(t.Run({"EXPIRETIME", "k"}) == int64_t{9223372036854776});
  CHECK(t.Run({"PEXPIRETIME", "k"}) == int64_t{LLONG_MAX});
  // TTL does not touch the key.
  Find(t, "k")->lru = 1;
  t.Run({"TTL", "k"});
  CHECK(Find(t, "k")->lru == 1);
}

TEST_CASE("PERSIST removes a TTL", "[keys][expire]") {
  TestServer t;
  t.Run({"SET", "x", "foo"});
  t.Run({"EXPIRE", "x", "50"});
  uint64_t d = Dirty(t);
  CHECK(t.Run({"PERSIST", "x"}) == 1);
  CHECK(Dirty(t) == d + 1);
  CHECK(t.Run({"TTL", "x"}) == -1);
  CHECK(t.Run({"PERSIST", "x"}) == 0);
  CHECK(t.Run({"PERSIST", "nokey"}) == 0);
  CHECK(Dirty(t) == d + 1);
  CHECK(t.Run({"GET", "x"}) == "foo");
}

TEST_CASE("EXPIRE does not resurrect an expired key", "[keys][expire]") {
  TestServer t;
  t.Run({"SET", "foo", "bar"});
  SetExpireAt(t, "foo", Server::NowMs() - 1);
  CHECK(t.Run({"EXPIRE", "foo", "10"}) == 0);
  CHECK(t.Run({"EXISTS", "foo"}) == 0);
}

// ---- OBJECT ------------------------------------------------------------

TEST_CASE("OBJECT ENCODING and missing keys", "[keys][object]") {
  TestServer t;
  t.Run({"SET", "i", "123"});
  t.Run({"SET", "e", "hello"});
  t.Run({"SET", "r", std::string(100, 'x')});
  CHECK(t.Run({"OBJECT", "ENCODING", "i"}) == "int");
  CHECK(t.Run({"OBJECT", "encoding", "e"}) == "embstr");
  CHECK(t.Run({"object", "ENCODING", "r"}) == "raw");
  for (const char* sub : {"ENCODING", "REFCOUNT", "IDLETIME", "FREQ"})
    CHECK(t.Run({"OBJECT", sub, "nokey"}).is_null());
  CHECK(t.Run({"OBJECT", "FOO", "i"}).is_error("ERR unknown subcommand 'FOO'. Try OBJECT HELP."));
  CHECK(t.Run({"OBJECT", "ENCODING"})
            .is_error("ERR wrong number of arguments for 'object|encoding' command"));
  CHECK(t.Run({"OBJECT"}).is_error("ERR wrong number of arguments for 'object' command"));
}

TEST_CASE("OBJECT REFCOUNT reports Redis's shared integers", "[keys][object]") {
  TestServer t;
  auto& reg = t.server().config_registry();
  t.Run({"SET", "small", "9999"});
  t.Run({"SET", "big", "10000"});
  t.Run({"SET", "neg", "-1"});
  t.Run({"SET", "str", "abc"});
  CHECK(t.Run({"OBJECT", "REFCOUNT", "small"}) == INT_MAX);
  CHECK(t.Run({"OBJECT", "REFCOUNT", "big"}) == 1);
  CHECK(t.Run({"OBJECT", "REFCOUNT", "neg"}) == 1);
  CHECK(t.Run({"OBJECT", "REFCOUNT", "str"}) == 1);
  // With maxmemory and a non-LRU policy integers stay shared...
  REQUIRE(reg.Set("maxmemory", "1073741824").empty());
  REQUIRE(reg.Set("maxmemory-policy", "allkeys-random").empty());
  CHECK(t.Run({"OBJECT", "REFCOUNT", "small"}) == INT_MAX);
  // ...but not with an LRU or LFU one.
  REQUIRE(reg.Set("maxmemory-policy", "volatile-lru").empty());
  CHECK(t.Run({"OBJECT", "REFCOUNT", "small"}) == 1);
  REQUIRE(reg.Set("maxmemory-policy", "allkeys-lfu").empty());
  CHECK(t.Run({"OBJECT", "REFCOUNT", "small"}) == 1);
  REQUIRE(reg.Set("maxmemory", "0").empty());
  CHECK(t.Run({"OBJECT", "REFCOUNT", "small"}) == INT_MAX);
}

TEST_CASE("OBJECT IDLETIME and FREQ follow the maxmemory policy", "[keys][object]") {
  TestServer t;
  auto& reg = t.server().config_registry();
  t.Run({"SET", "k", "v"});
  Entry* e = Find(t, "k");
  e->lru = t.server().keyspace().ctx().lru_clock - 42;
  CHECK(t.Run({"OBJECT", "IDLETIME", "k"}) == 42);
  CHECK(t.Run({"OBJECT", "IDLETIME", "k"}) == 42);  // OBJECT does not touch
  CHECK(t.Run({"OBJECT", "FREQ", "k"})
            .is_error("ERR An LFU maxmemory policy is not selected, access frequency not "
                      "tracked. Please note that when switching between policies at runtime "
                      "LRU and LFU data will take some time to adjust."));
  REQUIRE(reg.Set("maxmemory-policy", "allkeys-lfu").empty());
  t.Run({"SET", "f", "v"});
  CHECK(t.Run({"OBJECT", "FREQ", "f"}) == Db::kLfuInit);
  for (int i = 0; i < 3; ++i) t.Run({"GET", "f"});
  CHECK(t.Run({"OBJECT", "FREQ", "f"}).integer > Db::kLfuInit);
  CHECK(t.Run({"OBJECT", "IDLETIME", "k"})
            .is_error("ERR An LFU maxmemory policy is selected, idle time not tracked. Please "
                      "note that when switching between policies at runtime LRU and LFU data "
                      "will take some time to adjust."));
}

TEST_CASE("OBJECT HELP", "[keys][object]") {
  TestServer t;
  RespValue r = t.Run({"OBJECT", "HELP"});
  REQUIRE(r.is_array());
  REQUIRE(r.size() == 15);
  CHECK(r[0].type == RespValue::kSimple);
  CHECK(r[0] == "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  CHECK(r[1] == "ENCODING <key>");
  CHECK(r[13] == "HELP");
  CHECK(r[14] == "    Prints this help.");
  CHECK(t.Run({"OBJECT", "HELP", "x"})
            .is_error("ERR wrong number of arguments for 'object|help' command"));
}

// ---- storage operations directly ------------------------------------------

TEST_CASE("key_ops status codes", "[keys]") {
  TestServer t;
  Db& db = DbOf(t);
  Db& other = DbOf(t, 1);
  db.Set(ordis::NewStringEntry("a", "1"));
  db.Set(ordis::NewStringEntry("b", "2"));
  CHECK(ordis::RenameKey(db, "none", "x", false) == OpStatus::kNotFound);
  CHECK(ordis::RenameKey(db, "a", "b", true) == OpStatus::kExists);
  CHECK(ordis::RenameKey(db, "a", "a", true) == OpStatus::kExists);
  CHECK(ordis::RenameKey(db, "a", "a", false) == OpStatus::kOk);
  CHECK(ordis::MoveKey(db, other, "none") == OpStatus::kNotFound);
  CHECK(ordis::MoveKey(db, other, "a") == OpStatus::kOk);
  CHECK(ordis::CopyKey(other, "a", db, "b", false) == OpStatus::kExists);
  CHECK(ordis::CopyKey(other, "a", db, "b", true) == OpStatus::kOk);
  CHECK(ordis::CopyKey(other, "zz", db, "b", true) == OpStatus::kNotFound);
  auto r = ordis::ExpireKey(db, "b", db.context().now_ms + 1000, ordis::kExpireXx, true);
  CHECK(r.status() == OpStatus::kSkipped);
  r = ordis::ExpireKey(db, "b", db.context().now_ms + 1000, 0, true);
  REQUIRE(r.ok());
  CHECK(r.value() == ordis::ExpireOutcome::kSet);
  r = ordis::ExpireKey(db, "b", db.context().now_ms, 0, true);
  REQUIRE(r.ok());
  CHECK(r.value() == ordis::ExpireOutcome::kDeleted);
  CHECK(ordis::ExpireKey(db, "b", 0, 0, true).status() == OpStatus::kNotFound);
  CHECK(ordis::TypeName(nullptr) == std::string("none"));
}

TEST_CASE("Key commands report Redis 7.0 command metadata", "[keys]") {
  TestServer t;
  const auto& table = t.server().commands();
  const ordis::CommandSpec* del = table.Find("del");
  REQUIRE(del != nullptr);
  CHECK(del->arity == -2);
  CHECK(del->last_key == -1);
  CHECK(table.AclNames(*del) == std::vector<std::string>{"@keyspace", "@write", "@slow"});
  const ordis::CommandSpec* keys = table.Find("KEYS");
  REQUIRE(keys != nullptr);
  CHECK(table.AclNames(*keys) ==
        std::vector<std::string>{"@keyspace", "@read", "@slow", "@dangerous"});
  const ordis::CommandSpec* object = table.Find("object");
  REQUIRE(object != nullptr);
  CHECK(object->subcommands.size() == 5);
  const ordis::CommandSpec* freq = table.FindSub(*object, "FREQ");
  REQUIRE(freq != nullptr);
  CHECK(freq->first_key == 2);
  const ordis::CommandSpec* expire = table.Find("expire");
  REQUIRE(expire != nullptr);
  CHECK(table.FlagNames(expire->flags) == std::vector<std::string>{"write", "fast"});
  CHECK(std::string(expire->syntax) == "key seconds [NX|XX|GT|LT]");
}

// ---- WATCH interplay: keys changed outside the command's own db -----------

namespace {

// Client 1 watches `key` in `db` and opens a transaction.
void WatchOn(TestServer& t, int db, const std::string& key) {
  REQUIRE(t.RunOn(1, {"SELECT", std::to_string(db)}) == "OK");
  REQUIRE(t.RunOn(1, {"WATCH", key}) == "OK");
  REQUIRE(t.RunOn(1, {"MULTI"}) == "OK");
  REQUIRE(t.RunOn(1, {"PING"}) == "QUEUED");
}

bool ExecAborted(TestServer& t) {
  return t.RunOn(1, {"EXEC"}).is_null();
}

}  // namespace

TEST_CASE("MOVE and COPY ... DB touch the watched target key", "[keys][watch]") {
  TestServer t;
  t.Run({"SET", "k", "v"});
  WatchOn(t, 3, "k");
  CHECK(t.Run({"MOVE", "k", "3"}) == 1);
  CHECK(ExecAborted(t));

  t.Run({"SET", "src", "v"});
  WatchOn(t, 4, "dst");
  CHECK(t.Run({"COPY", "src", "dst", "DB", "4"}) == 1);
  CHECK(ExecAborted(t));

  // A refused MOVE changes nothing.
  t.Run({"SET", "k", "again"});
  WatchOn(t, 3, "k");
  CHECK(t.Run({"MOVE", "k", "3"}) == 0);
  CHECK_FALSE(ExecAborted(t));
}

TEST_CASE("FLUSHDB, FLUSHALL and SWAPDB touch watched keys", "[keys][watch]") {
  TestServer t;
  t.Run({"SELECT", "2"});
  t.Run({"SET", "x", "1"});
  WatchOn(t, 2, "x");
  CHECK(t.Run({"FLUSHDB"}) == "OK");
  CHECK(ExecAborted(t));

  t.Run({"SET", "x", "1"});
  WatchOn(t, 2, "x");
  t.Run({"SELECT", "0"});
  CHECK(t.Run({"FLUSHALL"}) == "OK");
  CHECK(ExecAborted(t));

  t.Run({"SELECT", "5"});
  t.Run({"SET", "y", "1"});
  WatchOn(t, 6, "y");  // missing in 6; SWAPDB creates it there
  CHECK(t.Run({"SWAPDB", "5", "6"}) == "OK");
  CHECK(ExecAborted(t));

  WatchOn(t, 9, "z");  // FLUSHDB of another db leaves it alone
  t.Run({"SELECT", "8"});
  t.Run({"SET", "z", "1"});
  CHECK(t.Run({"FLUSHDB"}) == "OK");
  CHECK_FALSE(ExecAborted(t));
}
