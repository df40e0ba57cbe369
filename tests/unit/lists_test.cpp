// List commands against Redis 7.0.15's replies and error texts, plus
// ListObject/ListOps directly (deep clone, element visitor, index rules).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "harness.h"
#include "kv/list_type.h"

using ordis::Entry;
using ordis::test::RespValue;
using ordis::test::TestServer;

namespace {

const char* kWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";

std::vector<std::string> Strings(const RespValue& v) {
  return v.strings();
}

void UseResp3(TestServer& t) {
  t.client().proto = 3;
  t.client().reply.set_proto(3);
}

// Keyspace checks without the generic key commands (another family).
bool Exists(TestServer& t, const std::string& key) {
  return t.server().keyspace().db(0).FindQuiet(key) != nullptr;
}

const char* EncodingOf(TestServer& t, const std::string& key) {
  Entry* e = t.server().keyspace().db(0).FindQuiet(key);
  return e ? e->EncodingName() : "(none)";
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("LPUSH/RPUSH order and length", "[lists]") {
  TestServer t;
  CHECK(t.Run({"LPUSH", "l", "a", "b", "c"}) == 3);
  CHECK(t.Run({"RPUSH", "l", "x", "y"}) == 5);
  CHECK(Strings(t.Run({"LRANGE", "l", "0", "-1"})) == V{"c", "b", "a", "x", "y"});
  CHECK(t.Run({"LLEN", "l"}) == 5);
  CHECK(t.Run({"LLEN", "missing"}) == 0);
  CHECK(std::string(EncodingOf(t, "l")) == "quicklist");
  CHECK(t.server().keyspace().db(0).FindQuiet("l")->type == ordis::ValueType::kList);
}

TEST_CASE("LPUSHX/RPUSHX only push to an existing list", "[lists]") {
  TestServer t;
  CHECK(t.Run({"LPUSHX", "l", "a"}) == 0);
  CHECK(t.Run({"RPUSHX", "l", "a", "b"}) == 0);
  CHECK(!Exists(t, "l"));
  CHECK(t.Run({"RPUSH", "l", "m"}) == 1);
  CHECK(t.Run({"LPUSHX", "l", "a", "b"}) == 3);
  CHECK(t.Run({"RPUSHX", "l", "z"}) == 4);
  CHECK(Strings(t.Run({"LRANGE", "l", "0", "-1"})) == V{"b", "a", "m", "z"});
}

TEST_CASE("LPOP/RPOP without and with count", "[lists]") {
  TestServer t;
  t.Run({"RPUSH", "l", "a", "b", "c", "d", "e"});
  CHECK(t.Run({"LPOP", "l"}) == "a");
  CHECK(t.Run({"RPOP", "l"}) == "e");
  RespValue two = t.Run({"RPOP", "l", "2"});
  CHECK(two.type == RespValue::kArray);
  CHECK(Strings(two) == V{"d", "c"});
  RespValue zero = t.Run({"LPOP", "l", "0"});
  CHECK(zero.type == RespValue::kArray);
  CHECK(zero.size() == 0);
  CHECK(Strings(t.Run({"LPOP", "l", "10"})) == V{"b"});
  // The last pop deleted the key.
  CHECK(!Exists(t, "l"));
  CHECK(t.Run({"LPOP", "l"}).type == RespValue::kNull);
  CHECK(t.Run({"LPOP", "l", "3"}).type == RespValue::kNullArray);
  CHECK(t.Run({"LPOP", "l", "0"}).type == RespValue::kNullArray);
}

TEST_CASE("LPOP count errors", "[lists]") {
  TestServer t;
  t.Run({"RPUSH", "l", "a"});
  CHECK(t.Run({"LPOP", "l", "-1"}).is_error("ERR value is out of range, must be positive"));
  CHECK(t.Run({"LPOP", "l", "abc"}).is_error("ERR value is out of range, must be positive"));
  CHECK(
      t.Run({"RPOP", "l", "1", "2"}).is_error("ERR wrong number of arguments for 'rpop' command"));
  // The count is checked before the key.
  t.Run({"SET", "s", "v"});
  CHECK(t.Run({"LPOP", "s", "-1"}).is_error("ERR value is out of range*"));
  CHECK(t.Run({"LPOP", "s", "0"}).is_error(kWrongType));
  CHECK(t.Run({"LLEN", "l"}) == 1);
}

TEST_CASE("LPOP/RPOP replies under RESP3", "[lists]") {
  TestServer t;
  UseResp3(t);
  CHECK(t.Run({"LPOP", "nolist"}).type == RespValue::kNull);
  CHECK(t.Run({"LPOP", "nolist", "2"}).type == RespValue::kNull);
  t.Run({"RPUSH", "l", "a", "b"});
  CHECK(Strings(t.Run({"RPOP", "l", "5"})) == V{"b", "a"});
}

TEST_CASE("LRANGE index rules", "[lists]") {
  TestServer t;
  t.Run({"RPUSH", "l", "0", "1", "2", "3", "4"});
  CHECK(Strings(t.Run({"LRANGE", "l", "1", "3"})) == V{"1", "2", "3"});
  CHECK(Strings(t.Run({"LRANGE", "l", "-2", "-1"})) == V{"3", "4"});
  CHECK(Strings(t.Run({"LRANGE", "l", "-100", "100"})) == V{"0", "1", "2", "3", "4"});
  CHECK(t.Run({"LRANGE", "l", "3", "1"}).size() == 0);
  CHECK(t.Run({"LRANGE", "l", "5", "10"}).size() == 0);
  CHECK(t.Run({"LRANGE", "l", "0", "-6"}).size() == 0);
  CHECK(t.Run({"LRANGE", "missing", "0", "-1"}).size() == 0);
  CHECK(t.Run({"LRANGE", "l", "x", "1"}).is_error("ERR value is not an integer or out of range"));
  // Index errors come before the type check.
  t.Run({"SET", "s", "v"});
  CHECK(t.Run({"LRANGE", "s", "0", "y"}).is_error("ERR value is not an integer*"));
  CHECK(t.Run({"LRANGE", "s", "0", "1"}).is_error(kWrongType));
}

TEST_CASE("LINDEX and its error order", "[lists]") {
  TestServer t;
  t.Run({"RPUSH", "l", "a", "b", "c"});
  CHECK(t.Run({"LINDEX", "l", "0"}) == "a");
  CHECK(t.Run({"LINDEX", "l", "-1"}) == "c");
  CHECK(t.Run({"LINDEX", "l", "3"}).is_null());
  CHECK(t.Run({"LINDEX", "l", "-4"}).is_null());
  CHECK(t.Run({"LINDEX", "l", "x"}).is_error("ERR value is not an integer or out of range"));
  // Redis looks the key up first: a missing key answers nil even for a bad
  // index, a wrong type answers WRONGTYPE.
  CHECK(t.Run({"LINDEX", "missing", "x"}).is_null());
  t.Run({"SET", "s", "v"});
  CHECK(t.Run({"LINDEX", "s", "x"}).is_error(kWrongType));
}

TEST_CASE("LSET and its error order", "[lists]") {
  TestServer t;
  t.Run({"RPUSH", "l", "a", "b", "c"});
  CHECK(t.Run({"LSET", "l", "1", "B"}) == "OK");
  CHECK(t.Run({"LSET", "l", "-1", "C"}) == "OK");
  CHECK(Strings(t.Run({"LRANGE", "l", "0", "-1"})) == V{"a", "B", "C"});
  CHECK(t.Run({"LSET", "l", "3", "x"}).is_error("ERR index out of range"));
  CHECK(t.Run({"LSET", "l", "-4", "x"}).is_error("ERR index out of range"));
  CHECK(t.Run({"LSET", "l", "x", "x"}).is_error("ERR value is not an integer or out of range"));
  CHECK(t.Run({"LSET", "missing", "x", "x"}).is_error("ERR no such key"));
  CHECK(t.Run({"LSET", "missing", "0", "x"}).is_error("ERR no such key"));
  t.Run({"SET", "s", "v"});
  CHECK(t.Run({"LSET", "s", "x", "x"}).is_error(kWrongType));
}

TEST_CASE("LREM from the head, the tail, or everywhere", "[lists]") {
  TestServer t;
  auto reset = [&] {
    t.server().keyspace().db(0).Delete("l");
    t.Run({"RPUSH", "l", "a", "b", "a", "c", "a", "d", "a"});
  };
  reset();
  CHECK(t.Run({"LREM", "l", "2", "a"}) == 2);
  CHECK(Strings(t.Run({"LRANGE", "l", "0", "-1"})) == V{"b", "c", "a", "d", "a"});
  reset();
  CHECK(t.Run({"LREM", "l", "-2", "a"}) == 2);
  CHECK(Strings(t.Run({"LRANGE", "l", "0", "-1"})) == V{"a", "b", "a", "c", "d"});
  reset();
  CHECK(t.Run({"LREM", "l", "0", "a"}) == 4);
  CHECK(Strings(t.Run({"LRANGE", "l", "0", "-1"})) == V{"b", "c", "d"});
  reset();
  CHECK(t.Run({"LREM", "l", "-9223372036854775808", "a"}) == 4);
  CHECK(t.Run({"LREM", "l", "1", "zz"}) == 0);
  CHECK(t.Run({"LREM", "missing", "1", "a"}) == 0);
  CHECK(t.Run({"LREM", "l", "x", "a"}).is_error("ERR value is not an integer or out of range"));
  // Removing everything deletes the key.
  t.server().keyspace().db(0).Delete("l");
  t.Run({"RPUSH", "l", "q", "q"});
  CHECK(t.Run({"LREM", "l", "0", "q"}) == 2);
  CHECK(!Exists(t, "l"));
}

TEST_CASE("LTRIM keeps a range and may delete the key", "[lists]") {
  TestServer t;
  t.Run({"RPUSH", "l", "0", "1", "2", "3", "4", "5"});
  CHECK(t.Run({"LTRIM", "l", "1", "-2"}) == "OK");
  CHECK(Strings(t.Run({"LRANGE", "l", "0", "-1"})) == V{"1", "2", "3", "4"});
  CHECK(t.Run({"LTRIM", "l", "-2", "100"}) == "OK");
  CHECK(Strings(t.Run({"LRANGE", "l", "0", "-1"})) == V{"3", "4"});
  CHECK(t.Run({"LTRIM", "l", "1", "0"}) == "OK");
  CHECK(!Exists(t, "l"));
  CHECK(t.Run({"LTRIM", "missing", "0", "1"}) == "OK");
  CHECK(t.Run({"LTRIM", "l", "a", "1"}).is_error("ERR value is not an integer or out of range"));
}

TEST_CASE("List commands refuse other types", "[lists]") {
  TestServer t;
  t.Run({"SET", "s", "v"});
  for (const std::vector<std::string>& cmd : std::vector<std::vector<std::string>>{
           {"LPUSH", "s", "a"},
           {"RPUSH", "s", "a"},
           {"LPUSHX", "s", "a"},
           {"RPUSHX", "s", "a"},
           {"LPOP", "s"},
           {"RPOP", "s", "2"},
           {"LRANGE", "s", "0", "1"},
           {"LLEN", "s"},
           {"LINDEX", "s", "0"},
           {"LSET", "s", "0", "a"},
           {"LREM", "s", "0", "a"},
           {"LTRIM", "s", "0", "1"},
       }) {
    INFO(cmd[0]);
    CHECK(t.Run(cmd).is_error(kWrongType));
  }
  CHECK(t.Run({"GET", "s"}) == "v");
  // And the other way round: string commands refuse a list.
  t.Run({"RPUSH", "l", "a"});
  CHECK(t.Run({"GET", "l"}).is_error(kWrongType));
  CHECK(t.Run({"APPEND", "l", "x"}).is_error(kWrongType));
  CHECK(t.Run({"INCR", "l"}).is_error(kWrongType));
}

TEST_CASE("List commands are registered with Redis's arity", "[lists]") {
  TestServer t;
  CHECK(t.Run({"LPUSH", "l"}).is_error("ERR wrong number of arguments for 'lpush' command"));
  CHECK(t.Run({"LINDEX", "l"}).is_error("ERR wrong number of arguments for 'lindex' command"));
  CHECK(t.Run({"LTRIM", "l", "0"}).is_error("ERR wrong number of arguments for 'ltrim' command"));
  CHECK(t.Run({"LPOP"}).is_error("ERR wrong number of arguments for 'lpop' command"));
}

TEST_CASE("ListObject clone is deep", "[lists]") {
  TestServer t;
  t.Run({"RPUSH", "l", "a", "b", "c"});
  Entry* src = t.server().keyspace().db(0).FindQuiet("l");
  REQUIRE(src);
  Entry* copy = ordis::CloneEntry(src, "l2");
  REQUIRE(copy->object() != src->object());
  CHECK(copy->type == ordis::ValueType::kList);
  t.server().keyspace().db(0).Add(copy);
  t.Run({"LSET", "l", "0", "changed"});
  t.Run({"RPOP", "l"});
  CHECK(Strings(t.Run({"LRANGE", "l2", "0", "-1"})) == V{"a", "b", "c"});
  t.server().keyspace().db(0).Delete("l");
  CHECK(Strings(t.Run({"LRANGE", "l2", "0", "-1"})) == V{"a", "b", "c"});
  CHECK(copy->MemoryUsage() > 0);
}

TEST_CASE("VisitElements walks a list in order", "[lists]") {
  TestServer t;
  t.Run({"RPUSH", "l", "x", "y", "z"});
  std::vector<std::string> seen;
  ordis::VisitElements(t.server().keyspace().db(0).FindQuiet("l"),
                       [&](std::string_view a, std::string_view b) {
                         CHECK(b.empty());
                         seen.emplace_back(a);
                       });
  CHECK(seen == V{"x", "y", "z"});
}

TEST_CASE("ClampRange and NormalizeIndex follow Redis", "[lists]") {
  int64_t s = -3, e = -1;
  REQUIRE(ordis::ClampRange(5, &s, &e));
  CHECK(s == 2);
  CHECK(e == 4);
  s = -10, e = 1;
  REQUIRE(ordis::ClampRange(5, &s, &e));
  CHECK(s == 0);
  CHECK(e == 1);
  s = 2, e = 1;
  CHECK_FALSE(ordis::ClampRange(5, &s, &e));
  s = 0, e = -1;
  CHECK_FALSE(ordis::ClampRange(0, &s, &e));
  int64_t i = -1;
  REQUIRE(ordis::NormalizeIndex(3, &i));
  CHECK(i == 2);
  i = 3;
  CHECK_FALSE(ordis::NormalizeIndex(3, &i));
  i = -4;
  CHECK_FALSE(ordis::NormalizeIndex(3, &i));
}
