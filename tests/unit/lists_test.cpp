// List commands against Redis 7.0.15's replies and error texts, plus
// ListObject/ListOps directly (deep clone, element visitor, index rules).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "harness.h"
#include "kv/list_type.h"
#include "server/blocking.h"

using ordis::Entry;
using ordis::test::RespValue;
using ordis::test::TestServer;
using ordis::test::UseResp3;

namespace {

const char* kWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";

std::vector<std::string> Strings(const RespValue& v) {
  return v.strings();
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

// ---- LINSERT, LPOS, LMOVE, RPOPLPUSH, LMPOP ---------------------------------

TEST_CASE("LINSERT before/after the first pivot", "[lists]") {
  TestServer t;
  t.Run({"RPUSH", "l", "a", "c", "c"});
  CHECK(t.Run({"LINSERT", "l", "BEFORE", "c", "b"}) == 4);
  CHECK(t.Run({"LINSERT", "l", "after", "c", "d"}) == 5);
  CHECK(Strings(t.Run({"LRANGE", "l", "0", "-1"})) == V{"a", "b", "c", "d", "c"});
  CHECK(t.Run({"LINSERT", "l", "before", "zz", "x"}) == -1);
  CHECK(t.Run({"LINSERT", "nokey", "before", "a", "x"}) == 0);
  CHECK(!Exists(t, "nokey"));
  // The position word is checked before the key.
  CHECK(t.Run({"LINSERT", "nokey", "middle", "a", "x"}).is_error("ERR syntax error"));
  t.Run({"SET", "s", "v"});
  CHECK(t.Run({"LINSERT", "s", "before", "a", "x"}).is_error(kWrongType));
  CHECK(t.Run({"LINSERT", "l", "before", "a"}).is_error("ERR wrong number of arguments*"));
}

TEST_CASE("LPOS with RANK, COUNT and MAXLEN", "[lists]") {
  TestServer t;
  t.Run({"RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c"});
  CHECK(t.Run({"LPOS", "l", "c"}) == 2);
  CHECK(t.Run({"LPOS", "l", "c", "RANK", "2"}) == 6);
  CHECK(t.Run({"LPOS", "l", "c", "RANK", "-1"}) == 7);
  CHECK(t.Run({"LPOS", "l", "c", "RANK", "4"}).is_null());
  CHECK(t.Run({"LPOS", "l", "x"}).is_null());
  CHECK(Strings(t.Run({"LPOS", "l", "c", "COUNT", "0"})) == V{"2", "6", "7"});
  CHECK(Strings(t.Run({"LPOS", "l", "c", "COUNT", "2", "RANK", "-1"})) == V{"7", "6"});
  CHECK(Strings(t.Run({"LPOS", "l", "c", "COUNT", "0", "MAXLEN", "3"})) == V{"2"});
  CHECK(Strings(t.Run({"LPOS", "l", "c", "COUNT", "0", "MAXLEN", "3", "RANK", "-1"})) ==
        V{"7", "6"});
  CHECK(t.Run({"LPOS", "l", "x", "COUNT", "1"}).size() == 0);
  // INT64_MIN stays negative in Redis's negation: the first match from the tail.
  CHECK(t.Run({"LPOS", "l", "c", "RANK", "-9223372036854775808"}) == 7);
  // Absent key: null without COUNT, empty array with it.
  CHECK(t.Run({"LPOS", "nokey", "c"}).is_null());
  RespValue empty = t.Run({"LPOS", "nokey", "c", "COUNT", "0"});
  CHECK(empty.type == RespValue::kArray);
  CHECK(empty.size() == 0);
  CHECK(t.Run({"LPOS", "l", "c", "RANK", "0"}).is_error("ERR RANK can't be zero: use 1 to start*"));
  CHECK(t.Run({"LPOS", "l", "c", "RANK", "x"}).is_error("ERR value is not an integer*"));
  CHECK(t.Run({"LPOS", "l", "c", "COUNT", "-1"}).is_error("ERR COUNT can't be negative"));
  CHECK(t.Run({"LPOS", "l", "c", "COUNT", "x"}).is_error("ERR COUNT can't be negative"));
  CHECK(t.Run({"LPOS", "l", "c", "MAXLEN", "-1"}).is_error("ERR MAXLEN can't be negative"));
  CHECK(t.Run({"LPOS", "l", "c", "COUNT"}).is_error("ERR syntax error"));
  CHECK(t.Run({"LPOS", "l", "c", "FOO", "1"}).is_error("ERR syntax error"));
  t.Run({"SET", "s", "v"});
  CHECK(t.Run({"LPOS", "s", "c"}).is_error(kWrongType));
}

TEST_CASE("LMOVE and RPOPLPUSH", "[lists]") {
  TestServer t;
  t.Run({"RPUSH", "src", "a", "b", "c"});
  CHECK(t.Run({"LMOVE", "src", "dst", "LEFT", "RIGHT"}) == "a");
  CHECK(t.Run({"LMOVE", "src", "dst", "right", "left"}) == "c");
  CHECK(Strings(t.Run({"LRANGE", "dst", "0", "-1"})) == V{"c", "a"});
  CHECK(t.Run({"RPOPLPUSH", "src", "dst"}) == "b");
  CHECK(!Exists(t, "src"));  // emptied source is deleted
  CHECK(Strings(t.Run({"LRANGE", "dst", "0", "-1"})) == V{"b", "c", "a"});
  CHECK(t.Run({"LMOVE", "src", "dst", "LEFT", "RIGHT"}).is_null());
  CHECK(t.Run({"RPOPLPUSH", "src", "dst"}).is_null());
  // Same key: rotation; a one-element list survives.
  CHECK(t.Run({"RPOPLPUSH", "dst", "dst"}) == "a");
  CHECK(Strings(t.Run({"LRANGE", "dst", "0", "-1"})) == V{"a", "b", "c"});
  t.Run({"RPUSH", "one", "x"});
  CHECK(t.Run({"LMOVE", "one", "one", "LEFT", "RIGHT"}) == "x");
  CHECK(Strings(t.Run({"LRANGE", "one", "0", "-1"})) == V{"x"});
  // Errors: direction words first, then source type, then destination type.
  CHECK(t.Run({"LMOVE", "dst", "x", "UP", "LEFT"}).is_error("ERR syntax error"));
  CHECK(t.Run({"LMOVE", "dst", "x", "LEFT", "DOWN"}).is_error("ERR syntax error"));
  t.Run({"SET", "s", "v"});
  CHECK(t.Run({"LMOVE", "s", "dst", "LEFT", "LEFT"}).is_error(kWrongType));
  CHECK(t.Run({"LMOVE", "dst", "s", "LEFT", "LEFT"}).is_error(kWrongType));
  CHECK(Strings(t.Run({"LRANGE", "dst", "0", "-1"})) == V{"a", "b", "c"});
  CHECK(t.Run({"LMOVE", "nokey", "s", "LEFT", "LEFT"}).is_null());  // dst not checked
}

TEST_CASE("LMPOP pops from the first non-empty list", "[lists]") {
  TestServer t;
  t.Run({"RPUSH", "b", "1", "2", "3"});
  RespValue r = t.Run({"LMPOP", "2", "a", "b", "LEFT"});
  REQUIRE(r.size() == 2);
  CHECK(r[0] == "b");
  CHECK(Strings(r[1]) == V{"1"});
  r = t.Run({"LMPOP", "2", "a", "b", "RIGHT", "COUNT", "10"});
  CHECK(r[0] == "b");
  CHECK(Strings(r[1]) == V{"3", "2"});
  CHECK(!Exists(t, "b"));
  CHECK(t.Run({"LMPOP", "2", "a", "b", "LEFT"}).type == RespValue::kNullArray);
  CHECK(t.Run({"LMPOP", "0", "a", "LEFT"}).is_error("ERR numkeys should be greater than 0"));
  CHECK(t.Run({"LMPOP", "x", "a", "LEFT"}).is_error("ERR numkeys should be greater than 0"));
  CHECK(t.Run({"LMPOP", "2", "a", "LEFT"}).is_error("ERR syntax error"));
  CHECK(t.Run({"LMPOP", "9223372036854775807", "a", "LEFT"}).is_error("ERR syntax error"));
  CHECK(t.Run({"LMPOP", "1", "a", "MIDDLE"}).is_error("ERR syntax error"));
  CHECK(t.Run({"LMPOP", "1", "a", "LEFT", "COUNT"}).is_error("ERR syntax error"));
  CHECK(t.Run({"LMPOP", "1", "a", "LEFT", "COUNT", "0"})
            .is_error("ERR count should be greater than 0"));
  CHECK(
      t.Run({"LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"}).is_error("ERR syntax error"));
  t.Run({"SET", "s", "v"});
  CHECK(t.Run({"LMPOP", "2", "a", "s", "LEFT"}).is_error(kWrongType));
  // Movable keys.
  CHECK(Strings(t.Run({"COMMAND", "GETKEYS", "LMPOP", "2", "a", "b", "LEFT"})) == V{"a", "b"});
  CHECK(Strings(t.Run({"COMMAND", "GETKEYS", "BLMPOP", "0", "2", "a", "b", "LEFT"})) ==
        V{"a", "b"});
  CHECK(t.Run({"COMMAND", "GETKEYS", "LMPOP", "4", "a", "b", "LEFT"})
            .is_error("ERR Invalid arguments specified for command"));
}

// ---- blocking commands ---------------------------------------------------------
//
// Client 0 writes, client 1 (and 2) block. A blocked call writes no reply:
// RunOn returns the "(no reply)" marker and the late reply is Drain()ed.

namespace {

bool NoReply(const RespValue& v) {
  return v.type == RespValue::kNull && v.str == "(no reply)";
}

std::string InfoField(TestServer& t, const std::string& field) {
  RespValue info = t.Run({"INFO", "clients"});
  size_t at = info.str.find(field + ":");
  if (at == std::string::npos) return "?";
  size_t from = at + field.size() + 1;
  return info.str.substr(from, info.str.find('\r', from) - from);
}

}  // namespace

TEST_CASE("BLPOP/BRPOP answer at once when a list has data", "[lists][blocking]") {
  TestServer t;
  t.Run({"RPUSH", "b", "1", "2"});
  CHECK(Strings(t.Run({"BLPOP", "a", "b", "0"})) == V{"b", "1"});
  CHECK(Strings(t.Run({"BRPOP", "a", "b", "0"})) == V{"b", "2"});
  CHECK(!Exists(t, "b"));
  t.Run({"SET", "s", "v"});
  CHECK(t.Run({"BLPOP", "a", "s", "0"}).is_error(kWrongType));
  CHECK(t.client().flags == 0);
}

TEST_CASE("BLPOP blocks until a push, then replies after the push", "[lists][blocking]") {
  TestServer t;
  CHECK(NoReply(t.RunOn(1, {"BLPOP", "a", "b", "0"})));
  CHECK((t.client(1).flags & ordis::Client::kBlocked));
  CHECK(InfoField(t, "blocked_clients") == "1");
  CHECK(InfoField(t, "clients_in_timeout_table") == "0");
  CHECK(t.Run({"CLIENT", "LIST"}).str.find("flags=b") != std::string::npos);
  CHECK(t.Run({"RPUSH", "b", "x", "y"}) == 2);  // the pusher sees the full length
  auto got = t.Drain(1);
  REQUIRE(got.size() == 1);
  CHECK(Strings(got[0]) == V{"b", "x"});
  CHECK(!(t.client(1).flags & ordis::Client::kBlocked));
  CHECK(InfoField(t, "blocked_clients") == "0");
  CHECK(Strings(t.Run({"LRANGE", "b", "0", "-1"})) == V{"y"});
  // Counted once in commandstats, as in Redis.
  CHECK(t.Run({"INFO", "commandstats"}).str.find("cmdstat_blpop:calls=1,") != std::string::npos);
}

TEST_CASE("blocked clients are served in FIFO order per key", "[lists][blocking]") {
  TestServer t;
  CHECK(NoReply(t.RunOn(1, {"BRPOP", "k", "0"})));
  CHECK(NoReply(t.RunOn(2, {"BLPOP", "k", "0"})));
  CHECK(NoReply(t.RunOn(3, {"BLPOP", "k", "0"})));
  t.Run({"RPUSH", "k", "a", "b"});
  CHECK(Strings(t.Drain(1).at(0)) == V{"k", "b"});
  CHECK(Strings(t.Drain(2).at(0)) == V{"k", "a"});
  CHECK(t.Drain(3).empty());  // list emptied: still blocked
  CHECK(!Exists(t, "k"));
  t.Run({"LPUSH", "k", "c"});
  CHECK(Strings(t.Drain(3).at(0)) == V{"k", "c"});
}

TEST_CASE("a key that is not a list by the end of the command wakes nobody", "[lists][blocking]") {
  TestServer t;
  CHECK(NoReply(t.RunOn(1, {"BLPOP", "k", "0"})));
  t.Run({"MULTI"});
  t.Run({"LPUSH", "k", "a"});
  t.Run({"DEL", "k"});
  t.Run({"SET", "k", "str"});
  t.Run({"EXEC"});
  CHECK(t.Drain(1).empty());
  t.Run({"DEL", "k"});
  // Inside MULTI the client sees only the result of the whole transaction.
  t.Run({"MULTI"});
  t.Run({"LPUSH", "k", "a"});
  t.Run({"LPUSH", "k", "b"});
  t.Run({"EXEC"});
  CHECK(Strings(t.Drain(1).at(0)) == V{"k", "b"});
}

TEST_CASE("keys moved into place wake blocked clients", "[lists][blocking]") {
  TestServer t;
  CHECK(NoReply(t.RunOn(1, {"BLPOP", "foo", "0"})));
  t.Run({"RPUSH", "bob", "x"});
  t.Run({"RENAME", "bob", "foo"});
  CHECK(Strings(t.Drain(1).at(0)) == V{"foo", "x"});
  // SWAPDB: the client waits on db 9's key, the data comes from db 1.
  t.client(2).db = 9;
  CHECK(NoReply(t.RunOn(2, {"BRPOP", "k", "0"})));
  t.Run({"SELECT", "1"});
  t.Run({"RPUSH", "k", "hello"});
  t.Run({"SWAPDB", "1", "9"});
  CHECK(Strings(t.Drain(2).at(0)) == V{"k", "hello"});
}

TEST_CASE("BLMOVE blocks, serves, and chains to clients blocked on its target",
          "[lists][blocking]") {
  TestServer t;
  CHECK(NoReply(t.RunOn(1, {"BLPOP", "target", "0"})));
  CHECK(NoReply(t.RunOn(2, {"BLMOVE", "src", "target", "RIGHT", "LEFT", "0"})));
  t.Run({"RPUSH", "src", "foo"});
  CHECK(t.Drain(2).at(0) == "foo");
  CHECK(Strings(t.Drain(1).at(0)) == V{"target", "foo"});
  CHECK(!Exists(t, "src"));
  CHECK(!Exists(t, "target"));
  // Circular BRPOPLPUSH: the element ends where it started.
  CHECK(NoReply(t.RunOn(1, {"BRPOPLPUSH", "l1", "l2", "0"})));
  CHECK(NoReply(t.RunOn(2, {"BRPOPLPUSH", "l2", "l1", "0"})));
  t.Run({"RPUSH", "l1", "foo"});
  CHECK(Strings(t.Run({"LRANGE", "l1", "0", "-1"})) == V{"foo"});
  CHECK(!Exists(t, "l2"));
  // Self-referential.
  t.Run({"DEL", "l1"});
  CHECK(NoReply(t.RunOn(3, {"BRPOPLPUSH", "l1", "l1", "0"})));
  t.Run({"RPUSH", "l1", "bar"});
  CHECK(t.Drain(3).at(0) == "bar");
  CHECK(Strings(t.Run({"LRANGE", "l1", "0", "-1"})) == V{"bar"});
}

TEST_CASE("BRPOPLPUSH to a wrong-type target: error for that client only", "[lists][blocking]") {
  TestServer t;
  t.Run({"SET", "target1", "nolist"});
  CHECK(NoReply(t.RunOn(1, {"BRPOPLPUSH", "blist", "target1", "0"})));
  CHECK(NoReply(t.RunOn(2, {"BRPOPLPUSH", "blist", "target2", "0"})));
  t.Run({"LPUSH", "blist", "foo"});
  CHECK(t.Drain(1).at(0).is_error("WRONGTYPE*"));
  CHECK(t.Drain(2).at(0) == "foo");
  CHECK(Strings(t.Run({"LRANGE", "target2", "0", "-1"})) == V{"foo"});
  // Answered at once when the source has data.
  t.Run({"RPUSH", "src", "x"});
  CHECK(t.Run({"BRPOPLPUSH", "src", "target1", "0"}).is_error(kWrongType));
  CHECK(Strings(t.Run({"LRANGE", "src", "0", "-1"})) == V{"x"});
}

TEST_CASE("BLMPOP blocks with its count and side", "[lists][blocking]") {
  TestServer t;
  CHECK(NoReply(t.RunOn(1, {"BLMPOP", "0", "2", "a", "b", "LEFT", "COUNT", "1"})));
  CHECK(NoReply(t.RunOn(2, {"BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "10"})));
  CHECK(NoReply(t.RunOn(3, {"BLMPOP", "0", "2", "a", "b", "LEFT", "COUNT", "10"})));
  t.Run({"MULTI"});
  t.Run({"LPUSH", "a", "1", "2", "3", "4", "5"});
  t.Run({"LPUSH", "b", "x", "y"});
  t.Run({"EXEC"});
  RespValue r1 = t.Drain(1).at(0), r2 = t.Drain(2).at(0), r3 = t.Drain(3).at(0);
  CHECK(r1[0] == "a");
  CHECK(Strings(r1[1]) == V{"5"});
  CHECK(r2[0] == "a");
  CHECK(Strings(r2[1]) == V{"1", "2", "3", "4"});
  CHECK(r3[0] == "b");
  CHECK(Strings(r3[1]) == V{"y", "x"});
  // Argument errors come before the timeout's.
  CHECK(t.Run({"BLMPOP", "x", "1", "a", "MIDDLE"}).is_error("ERR syntax error"));
  CHECK(t.Run({"BLMPOP", "x", "1", "a", "LEFT"})
            .is_error("ERR timeout is not a float or out of range"));
  CHECK(t.Run({"BLMPOP", "0", "0", "a", "LEFT"}).is_error("ERR numkeys should be greater than 0"));
}

TEST_CASE("blocking commands inside MULTI do not block", "[lists][blocking]") {
  TestServer t;
  t.Run({"LPUSH", "x", "foo"});
  t.Run({"MULTI"});
  t.Run({"BLPOP", "x", "0"});
  t.Run({"BLPOP", "x", "0"});
  t.Run({"BLMOVE", "x", "y", "LEFT", "LEFT", "0"});
  t.Run({"BLMPOP", "0", "1", "x", "LEFT"});
  RespValue r = t.Run({"EXEC"});
  REQUIRE(r.size() == 4);
  CHECK(Strings(r[0]) == V{"x", "foo"});
  CHECK(r[1].type == RespValue::kNullArray);
  CHECK(r[2].type == RespValue::kNull);  // BLMOVE: a null bulk, as LMOVE
  CHECK(r[3].type == RespValue::kNullArray);
  CHECK(!(t.client().flags & ordis::Client::kBlocked));
}

TEST_CASE("blocking timeouts: parsing, expiry and null replies", "[lists][blocking]") {
  TestServer t;
  CHECK(t.Run({"BLPOP", "k", "x"}).is_error("ERR timeout is not a float or out of range"));
  CHECK(t.Run({"BLPOP", "k", " 1"}).is_error("ERR timeout is not a float or out of range"));
  CHECK(t.Run({"BLPOP", "k", "nan"}).is_error("ERR timeout is not a float or out of range"));
  CHECK(t.Run({"BLPOP", "k", "-1"}).is_error("ERR timeout is negative"));
  CHECK(t.Run({"BLPOP", "k", "inf"}).is_error("ERR timeout is negative"));
  CHECK(t.Run({"BLPOP", "k", "1e20"}).is_error("ERR timeout is negative"));
  CHECK(t.Run({"BRPOPLPUSH", "k", "d", "-0.5"}).is_error("ERR timeout is negative"));
  CHECK(NoReply(t.RunOn(1, {"BLPOP", "k", "0.5"})));
  CHECK(NoReply(t.RunOn(2, {"BLPOP", "k", "0"})));
  CHECK(InfoField(t, "clients_in_timeout_table") == "1");
  auto& reg = t.server().blocking();
  int64_t deadline = reg.next_deadline_ms();
  CHECK(deadline > ordis::Server::NowMs());
  CHECK(deadline <= ordis::Server::NowMs() + 500);
  reg.CheckTimeouts(deadline);  // not yet: deadlines are exclusive
  CHECK(t.Drain(1).empty());
  reg.CheckTimeouts(deadline + 1);
  CHECK(t.Drain(1).at(0).type == RespValue::kNullArray);
  CHECK(t.Drain(2).empty());  // 0: forever
  CHECK(reg.blocked_count() == 1);
  // RESP3: null.
  t.client(3).proto = 3;
  t.client(3).reply.set_proto(3);
  CHECK(NoReply(t.RunOn(3, {"BLMOVE", "k", "d", "LEFT", "LEFT", "0.01"})));
  reg.CheckTimeouts(ordis::Server::NowMs() + 1000);
  CHECK(t.Drain(3).at(0).type == RespValue::kNull);
}

TEST_CASE("CLIENT UNBLOCK with TIMEOUT or ERROR", "[lists][blocking]") {
  TestServer t;
  std::string id1 = std::to_string(t.client(1).id);
  std::string id2 = std::to_string(t.client(2).id);
  CHECK(NoReply(t.RunOn(1, {"BLPOP", "k", "0"})));
  CHECK(NoReply(t.RunOn(2, {"BLMPOP", "0", "1", "k", "LEFT"})));
  CHECK(t.Run({"CLIENT", "UNBLOCK", id1}) == 1);
  CHECK(t.Drain(1).at(0).type == RespValue::kNullArray);
  CHECK(t.Run({"CLIENT", "UNBLOCK", id1}) == 0);  // no longer blocked
  CHECK(t.Run({"CLIENT", "UNBLOCK", id2, "ERROR"}) == 1);
  CHECK(t.Drain(2).at(0).is_error("UNBLOCKED client unblocked via CLIENT UNBLOCK"));
  CHECK(t.Run({"CLIENT", "UNBLOCK", "999999"}) == 0);
  CHECK(t.Run({"CLIENT", "UNBLOCK", id1, "MAYBE"})
            .is_error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"));
  std::string stats = t.Run({"INFO", "commandstats"}).str;
  CHECK(stats.find("cmdstat_blpop:calls=1,") != std::string::npos);
  CHECK(stats.find("cmdstat_blmpop:calls=1,") != std::string::npos);
  CHECK(stats.find("failed_calls=1") != std::string::npos);
  CHECK(t.Run({"INFO", "errorstats"}).str.find("errorstat_UNBLOCKED:count=1") != std::string::npos);
}

TEST_CASE("a blocked client that disconnects is forgotten", "[lists][blocking]") {
  TestServer t;
  CHECK(NoReply(t.RunOn(1, {"BLPOP", "k", "5"})));
  CHECK(NoReply(t.RunOn(2, {"BLPOP", "k", "0"})));
  t.server().RemoveClient(&t.client(1));
  CHECK(t.server().blocking().blocked_count() == 1);
  CHECK(t.server().blocking().timeout_count() == 0);
  t.Run({"RPUSH", "k", "v"});
  CHECK(Strings(t.Drain(2).at(0)) == V{"k", "v"});
  CHECK(t.Drain(1).empty());
  t.server().AddClient(&t.client(1));  // the harness removes it again
}

TEST_CASE("a push served by BRPOPLPUSH touches WATCHed keys", "[lists][blocking]") {
  TestServer t;
  CHECK(NoReply(t.RunOn(1, {"BRPOPLPUSH", "src", "dst", "0"})));
  t.RunOn(2, {"WATCH", "dst"});
  t.RunOn(2, {"MULTI"});
  t.RunOn(2, {"PING"});
  t.Run({"LPUSH", "src", "e"});
  CHECK(t.RunOn(2, {"EXEC"}).type == RespValue::kNullArray);
}
