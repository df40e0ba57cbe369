// Hash commands against Redis 7.0.15's replies and error texts, the
// listpack/hashtable encoding rules, and HashObject directly.
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "harness.h"
#include "kv/hash_type.h"

using ordis::Entry;
using ordis::test::RespValue;
using ordis::test::TestServer;
using ordis::test::UseResp3;

namespace {

const char* kWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";

using V = std::vector<std::string>;

bool Exists(TestServer& t, const std::string& key) {
  return t.server().keyspace().db(0).FindQuiet(key) != nullptr;
}

std::string EncodingOf(TestServer& t, const std::string& key) {
  Entry* e = t.server().keyspace().db(0).FindQuiet(key);
  return e ? e->EncodingName() : "(none)";
}

void SetConfig(TestServer& t, const std::string& name, const std::string& value) {
  REQUIRE(t.server().config_registry().Set(name, value).empty());
}

}  // namespace

TEST_CASE("HSET/HGET/HMGET/HLEN/HEXISTS/HSTRLEN", "[hashes]") {
  TestServer t;
  CHECK(t.Run({"HSET", "h", "f1", "v1", "f2", "v2"}) == 2);
  CHECK(t.Run({"HSET", "h", "f1", "x", "f3", "v3"}) == 1);
  CHECK(t.Run({"HGET", "h", "f1"}) == "x");
  CHECK(t.Run({"HGET", "h", "nope"}).type == RespValue::kNull);
  CHECK(t.Run({"HGET", "missing", "f"}).type == RespValue::kNull);
  RespValue m = t.Run({"HMGET", "h", "f2", "nope", "f3"});
  REQUIRE(m.size() == 3);
  CHECK(m[0] == "v2");
  CHECK(m[1].is_null());
  CHECK(m[2] == "v3");
  RespValue none = t.Run({"HMGET", "missing", "a", "b"});
  REQUIRE(none.size() == 2);
  CHECK((none[0].is_null() && none[1].is_null()));
  CHECK(t.Run({"HLEN", "h"}) == 3);
  CHECK(t.Run({"HLEN", "missing"}) == 0);
  CHECK(t.Run({"HEXISTS", "h", "f2"}) == 1);
  CHECK(t.Run({"HEXISTS", "h", "nope"}) == 0);
  CHECK(t.Run({"HEXISTS", "missing", "f2"}) == 0);
  CHECK(t.Run({"HSTRLEN", "h", "f3"}) == 2);
  CHECK(t.Run({"HSTRLEN", "h", "nope"}) == 0);
  CHECK(t.Run({"HSTRLEN", "missing", "f"}) == 0);
  CHECK(t.Run({"HSET", "h", "odd"}).is_error("ERR wrong number of arguments for 'hset' command"));
  CHECK(t.Run({"HSET", "h", "a", "1", "b"})
            .is_error("ERR wrong number of arguments for 'hset' command"));
}

TEST_CASE("HMSET and HSETNX", "[hashes]") {
  TestServer t;
  CHECK(t.Run({"HMSET", "h", "a", "1", "b", "2"}) == "OK");
  CHECK(t.Run({"HMSET", "h", "a"}).is_error("ERR wrong number of arguments for 'hmset' command"));
  CHECK(t.Run({"HSETNX", "h", "a", "9"}) == 0);
  CHECK(t.Run({"HGET", "h", "a"}) == "1");
  CHECK(t.Run({"HSETNX", "h", "c", "3"}) == 1);
  CHECK(t.Run({"HSETNX", "new", "f", "v"}) == 1);
  CHECK(t.Run({"HGET", "new", "f"}) == "v");
}

TEST_CASE("HGETALL/HKEYS/HVALS keep listpack insertion order", "[hashes]") {
  TestServer t;
  t.Run({"HSET", "h", "z", "1", "a", "2", "m", "3"});
  t.Run({"HSET", "h", "a", "22"});  // update keeps the position
  t.Run({"HDEL", "h", "z"});
  t.Run({"HSET", "h", "z", "4"});  // re-added at the end
  CHECK(t.Run({"HGETALL", "h"}).strings() == V{"a", "22", "m", "3", "z", "4"});
  CHECK(t.Run({"HKEYS", "h"}).strings() == V{"a", "m", "z"});
  CHECK(t.Run({"HVALS", "h"}).strings() == V{"22", "3", "4"});
  CHECK(t.Run({"HGETALL", "missing"}).size() == 0);
  CHECK(t.Run({"HKEYS", "missing"}).size() == 0);
}

TEST_CASE("HGETALL is a map under RESP3", "[hashes]") {
  TestServer t;
  t.Run({"HSET", "h", "f", "v"});
  CHECK(t.Run({"HGETALL", "h"}).type == RespValue::kArray);
  UseResp3(t);
  RespValue all = t.Run({"HGETALL", "h"});
  CHECK(all.type == RespValue::kMap);
  CHECK(all.at("f") == "v");
  CHECK(t.Run({"HGETALL", "missing"}).type == RespValue::kMap);
  CHECK(t.Run({"HKEYS", "h"}).type == RespValue::kArray);
  CHECK(t.Run({"HVALS", "missing"}).type == RespValue::kArray);
}

TEST_CASE("HDEL removes fields and the empty key", "[hashes]") {
  TestServer t;
  t.Run({"HSET", "h", "a", "1", "b", "2"});
  CHECK(t.Run({"HDEL", "h", "a", "nope"}) == 1);
  CHECK(t.Run({"HDEL", "missing", "a"}) == 0);
  CHECK(t.Run({"HDEL", "h", "b", "b"}) == 1);
  CHECK_FALSE(Exists(t, "h"));
}

TEST_CASE("HINCRBY", "[hashes]") {
  TestServer t;
  CHECK(t.Run({"HINCRBY", "h", "n", "5"}) == 5);
  CHECK(t.Run({"HINCRBY", "h", "n", "-7"}) == -2);
  CHECK(t.Run({"HGET", "h", "n"}) == "-2");
  t.Run({"HSET", "h", "s", "abc", "big", "9223372036854775807", "sp", " 1"});
  CHECK(t.Run({"HINCRBY", "h", "s", "1"}).is_error("ERR hash value is not an integer"));
  CHECK(t.Run({"HINCRBY", "h", "sp", "1"}).is_error("ERR hash value is not an integer"));
  CHECK(t.Run({"HINCRBY", "h", "big", "1"}).is_error("ERR increment or decrement would overflow"));
  CHECK(t.Run({"HINCRBY", "h", "n", "x"}).is_error("ERR value is not an integer or out of range"));
  CHECK(t.Run({"HGET", "h", "big"}) == "9223372036854775807");
  // The increment is checked before the key.
  t.Run({"SET", "s", "v"});
  CHECK(t.Run({"HINCRBY", "s", "f", "x"}).is_error("ERR value is not an integer*"));
  CHECK(t.Run({"HINCRBY", "s", "f", "1"}).is_error(kWrongType));
  // A failed increment on a new key leaves no key behind.
  CHECK(t.Run({"HINCRBY", "h2", "f", "x"}).is_error());
  CHECK_FALSE(Exists(t, "h2"));
}

TEST_CASE("HINCRBYFLOAT", "[hashes]") {
  TestServer t;
  CHECK(t.Run({"HINCRBYFLOAT", "h", "f", "1.5"}) == "1.5");
  CHECK(t.Run({"HINCRBYFLOAT", "h", "f", "0.1"}) == "1.6");
  CHECK(t.Run({"HINCRBYFLOAT", "h", "f", "-1.6"}) == "0");
  CHECK(t.Run({"HINCRBYFLOAT", "h", "f", "5.0e3"}) == "5000");
  t.Run({"HSET", "h", "s", "abc", "max", "1e4932"});
  CHECK(t.Run({"HINCRBYFLOAT", "h", "s", "1"}).is_error("ERR hash value is not a float"));
  CHECK(t.Run({"HINCRBYFLOAT", "h", "f", "x"}).is_error("ERR value is not a valid float"));
  CHECK(t.Run({"HINCRBYFLOAT", "h", "f", "inf"}).is_error("ERR value is NaN or Infinity"));
  CHECK(t.Run({"HINCRBYFLOAT", "h", "max", "1e4932"})
            .is_error("ERR increment would produce NaN or Infinity"));
  CHECK(t.Run({"HGET", "h", "f"}) == "5000");
  t.Run({"SET", "s", "v"});
  CHECK(t.Run({"HINCRBYFLOAT", "s", "f", "1"}).is_error(kWrongType));
}

TEST_CASE("Hash encoding follows hash-max-listpack-entries", "[hashes]") {
  TestServer t;
  SetConfig(t, "hash-max-listpack-entries", "2");
  t.Run({"HSET", "h", "a", "1", "b", "2"});
  CHECK(EncodingOf(t, "h") == "listpack");
  t.Run({"HSET", "h", "a", "3"});  // update: no growth
  CHECK(EncodingOf(t, "h") == "listpack");
  t.Run({"HSET", "h", "c", "3"});
  CHECK(EncodingOf(t, "h") == "hashtable");
  // Never converts back.
  t.Run({"HDEL", "h", "a", "b"});
  CHECK(EncodingOf(t, "h") == "hashtable");
  CHECK(t.Run({"HGETALL", "h"}).strings() == V{"c", "3"});
  SetConfig(t, "hash-max-listpack-entries", "0");
  t.Run({"HSET", "z", "f", "v"});
  CHECK(EncodingOf(t, "z") == "hashtable");
  SetConfig(t, "hash-max-listpack-entries", "128");
  t.Run({"HINCRBY", "n", "f", "1"});
  CHECK(EncodingOf(t, "n") == "listpack");
}

TEST_CASE("The ziplist names act on hashes too", "[hashes]") {
  TestServer t;
  SetConfig(t, "hash-max-ziplist-entries", "0");
  t.Run({"HSET", "h", "f", "v"});
  CHECK(EncodingOf(t, "h") == "hashtable");
  SetConfig(t, "hash-max-ziplist-entries", "128");
  t.Run({"HSET", "h2", "f", "v"});
  CHECK(EncodingOf(t, "h2") == "listpack");
}

TEST_CASE("Hash encoding follows hash-max-listpack-value", "[hashes]") {
  TestServer t;
  SetConfig(t, "hash-max-listpack-value", "4");
  t.Run({"HSET", "a", "f", "1234"});
  CHECK(EncodingOf(t, "a") == "listpack");
  t.Run({"HSET", "b", "f", "12345"});
  CHECK(EncodingOf(t, "b") == "hashtable");
  t.Run({"HSET", "c", "fffff", "1"});
  CHECK(EncodingOf(t, "c") == "hashtable");
  // HSET looks at every argument before writing: a long value converts
  // even though its field exists.
  t.Run({"HSET", "d", "f", "1"});
  t.Run({"HSET", "d", "f", "123456"});
  CHECK(EncodingOf(t, "d") == "hashtable");
  // HSETNX on an existing field writes nothing and converts nothing.
  t.Run({"HSET", "e", "f", "1"});
  CHECK(t.Run({"HSETNX", "e", "f", "123456"}) == 0);
  CHECK(EncodingOf(t, "e") == "listpack");
  CHECK(t.Run({"HSETNX", "e", "g", "123456"}) == 1);
  CHECK(EncodingOf(t, "e") == "hashtable");
  // HINCRBY converts when the new value is too long.
  t.Run({"HSET", "n", "f", "9999"});
  CHECK(t.Run({"HINCRBY", "n", "f", "1"}) == 10000);
  CHECK(EncodingOf(t, "n") == "hashtable");
}

TEST_CASE("Hash commands refuse other types", "[hashes]") {
  TestServer t;
  t.Run({"RPUSH", "l", "a"});
  for (const std::vector<std::string>& cmd : std::vector<std::vector<std::string>>{
           {"HSET", "l", "f", "v"},
           {"HMSET", "l", "f", "v"},
           {"HSETNX", "l", "f", "v"},
           {"HGET", "l", "f"},
           {"HMGET", "l", "f"},
           {"HDEL", "l", "f"},
           {"HLEN", "l"},
           {"HEXISTS", "l", "f"},
           {"HGETALL", "l"},
           {"HKEYS", "l"},
           {"HVALS", "l"},
           {"HINCRBY", "l", "f", "1"},
           {"HINCRBYFLOAT", "l", "f", "1"},
           {"HSTRLEN", "l", "f"},
       }) {
    INFO(cmd[0]);
    CHECK(t.Run(cmd).is_error(kWrongType));
  }
  t.Run({"HSET", "h", "f", "v"});
  CHECK(t.Run({"GET", "h"}).is_error(kWrongType));
  CHECK(t.Run({"SADD", "h", "a"}).is_error(kWrongType));
}

TEST_CASE("HashObject clone is deep in both encodings", "[hashes]") {
  TestServer t;
  SetConfig(t, "hash-max-listpack-entries", "2");
  t.Run({"HSET", "small", "a", "1", "b", "2"});
  t.Run({"HSET", "big", "a", "1", "b", "2", "c", "3"});
  REQUIRE(EncodingOf(t, "small") == "listpack");
  REQUIRE(EncodingOf(t, "big") == "hashtable");
  for (const std::string key : {"small", "big"}) {
    Entry* src = t.server().keyspace().db(0).FindQuiet(key);
    Entry* copy = ordis::CloneEntry(src, key + "2");
    CHECK(std::string(copy->EncodingName()) == src->EncodingName());
    t.server().keyspace().db(0).Add(copy);
    t.Run({"HSET", key, "a", "changed"});
    t.Run({"HDEL", key, "b"});
    INFO(key);
    CHECK(t.Run({"HGET", key + "2", "a"}) == "1");
    CHECK(t.Run({"HGET", key + "2", "b"}) == "2");
    t.server().keyspace().db(0).Delete(key);
    CHECK(t.Run({"HLEN", key + "2"}) == (key == "big" ? 3 : 2));
  }
}

TEST_CASE("HashObject matches a map model across conversions", "[hashes]") {
  ordis::HashObject h;
  std::map<std::string, std::string> model;
  std::mt19937_64 rng(11);
  for (int i = 0; i < 3000; ++i) {
    std::string f = "f" + std::to_string(rng() % 200);
    if (rng() % 4 == 0) {
      CHECK(h.Remove(f) == (model.erase(f) == 1));
    } else {
      std::string v(rng() % 10, 'x');
      CHECK(h.Set(f, v, 64, 64) == (model.count(f) == 0));
      model[f] = v;
    }
  }
  CHECK_FALSE(h.is_listpack());
  CHECK(h.size() == model.size());
  std::map<std::string, std::string> seen;
  h.ForEach([&](std::string_view f, std::string_view v) { seen.emplace(f, v); });
  CHECK(seen == model);
  for (const auto& [f, v] : model) {
    const std::string* got = h.Get(f);
    REQUIRE(got);
    CHECK(*got == v);
  }
}

TEST_CASE("VisitElements gives hash fields with values", "[hashes]") {
  TestServer t;
  t.Run({"HSET", "h", "a", "1", "b", "2"});
  std::map<std::string, std::string> seen;
  ordis::VisitElements(t.server().keyspace().db(0).FindQuiet("h"),
                       [&](std::string_view f, std::string_view v) { seen.emplace(f, v); });
  CHECK(seen == std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}});
}
