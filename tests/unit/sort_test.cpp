// SORT and SORT_RO against Redis 7.0.15's replies and error texts.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "harness.h"

using ordis::Entry;
using ordis::test::RespValue;
using ordis::test::TestServer;

namespace {

using V = std::vector<std::string>;

V Strings(const RespValue& v) {
  return v.strings();
}

const char* EncodingOf(TestServer& t, const std::string& key) {
  Entry* e = t.server().keyspace().db(0).FindQuiet(key);
  return e ? e->EncodingName() : "(none)";
}

void Fill(TestServer& t) {
  t.Run({"RPUSH", "l", "3", "1", "2", "10"});
  t.Run({"MSET", "w_3", "30", "w_1", "10", "w_2", "-5", "w_10", "abc"});
  t.Run({"HSET", "h_1", "f", "9"});
  t.Run({"HSET", "h_2", "f", "1"});
}

}  // namespace

TEST_CASE("SORT numeric, ALPHA, DESC and LIMIT", "[sort]") {
  TestServer t;
  Fill(t);
  CHECK(Strings(t.Run({"SORT", "l"})) == V{"1", "2", "3", "10"});
  CHECK(Strings(t.Run({"SORT", "l", "DESC"})) == V{"10", "3", "2", "1"});
  CHECK(Strings(t.Run({"SORT", "l", "alpha"})) == V{"1", "10", "2", "3"});
  CHECK(Strings(t.Run({"SORT", "l", "LIMIT", "1", "2"})) == V{"2", "3"});
  CHECK(Strings(t.Run({"SORT", "l", "LIMIT", "-5", "2"})) == V{"1", "2"});
  CHECK(Strings(t.Run({"SORT", "l", "LIMIT", "2", "-1"})) == V{"3", "10"});
  CHECK(t.Run({"SORT", "l", "LIMIT", "10", "1"}).size() == 0);
  CHECK(t.Run({"SORT", "missing"}).size() == 0);
  // strtod rules: spaces, hex, inf; "" is 0.
  t.Run({"RPUSH", "f", " 1.5", "0x10", "inf", "-inf", ""});
  CHECK(Strings(t.Run({"SORT", "f"})) == V{"-inf", "", " 1.5", "0x10", "inf"});
  t.Run({"RPUSH", "g", "1e400"});
  CHECK(t.Run({"SORT", "g"}).is_error("ERR One or more scores can't be converted into double"));
}

TEST_CASE("SORT BY key, hash field and GET", "[sort]") {
  TestServer t;
  Fill(t);
  CHECK(t.Run({"SORT", "l", "BY", "w_*"})
            .is_error("ERR One or more scores can't be converted into double"));
  CHECK(Strings(t.Run({"SORT", "l", "BY", "w_*", "ALPHA"})) == V{"2", "1", "3", "10"});
  CHECK(Strings(t.Run({"SORT", "l", "BY", "w_*", "ALPHA", "DESC"})) == V{"10", "3", "1", "2"});
  // Missing weights count as 0; ties order by the element bytes.
  CHECK(Strings(t.Run({"SORT", "l", "BY", "h_*->f"})) == V{"10", "3", "2", "1"});
  CHECK(Strings(t.Run({"SORT", "l", "BY", "h_*->f", "DESC"})) == V{"1", "2", "3", "10"});
  CHECK(Strings(t.Run({"SORT", "l", "BY", "h_*->f", "LIMIT", "1", "2"})) == V{"3", "2"});

  RespValue r = t.Run(
      {"SORT", "l", "BY", "h_*->f", "GET", "#", "GET", "h_*->f", "GET", "w_*", "GET", "nope"});
  REQUIRE(r.size() == 16);
  CHECK(r[0] == "10");
  CHECK(r[1].is_null());
  CHECK(r[2] == "abc");
  CHECK(r[3].is_null());
  CHECK(r[12] == "1");
  CHECK(r[13] == "9");
  CHECK(r[14] == "10");
  CHECK(r[15].is_null());

  // A trailing "->" is part of the key name, not a field lookup.
  t.Run({"DEL", "l"});
  t.Run({"LPUSH", "l", "a"});
  t.Run({"SET", "x:a->", "100"});
  CHECK(Strings(t.Run({"SORT", "l", "BY", "num", "GET", "x:*->"})) == V{"100"});
}

TEST_CASE("SORT BY nosort keeps list and sorted set order", "[sort]") {
  TestServer t;
  t.Run({"LPUSH", "testa", "2", "1", "4", "3", "5"});
  CHECK(Strings(t.Run({"SORT", "testa", "BY", "nosort"})) == V{"5", "3", "4", "1", "2"});
  CHECK(Strings(t.Run({"SORT", "testa", "BY", "nosort", "DESC", "LIMIT", "1", "2"})) ==
        V{"1", "4"});
  CHECK(t.Run({"SORT", "testa", "BY", "nosort", "LIMIT", "0", "3", "STORE", "testb"}) == 3);
  CHECK(Strings(t.Run({"LRANGE", "testb", "0", "-1"})) == V{"5", "3", "4"});

  t.Run({"ZADD", "z", "1", "a", "5", "b", "2", "c", "10", "d", "3", "e"});
  CHECK(std::string(EncodingOf(t, "z")) == "listpack");
  CHECK(Strings(t.Run({"SORT", "z", "BY", "nosort", "ASC"})) == V{"a", "c", "e", "b", "d"});
  CHECK(std::string(EncodingOf(t, "z")) == "skiplist");  // as Redis's zsetConvert
  CHECK(Strings(t.Run({"SORT", "z", "BY", "nosort", "DESC"})) == V{"d", "b", "e", "c", "a"});
  CHECK(Strings(t.Run({"SORT", "z", "BY", "nosort", "DESC", "LIMIT", "0", "2"})) == V{"d", "b"});
  CHECK(Strings(t.Run({"SORT", "z", "BY", "nosort", "LIMIT", "1", "2"})) == V{"c", "e"});
  CHECK(t.Run({"SORT", "z", "BY", "nosort", "LIMIT", "5", "10"}).size() == 0);
  CHECK(Strings(t.Run({"SORT", "z", "BY", "nosort", "LIMIT", "-10", "100"})) ==
        V{"a", "c", "e", "b", "d"});
  CHECK(Strings(t.Run({"SORT", "z", "ALPHA", "DESC"})) == V{"e", "d", "c", "b", "a"});

  // Sets: iteration order (intset: ascending), DESC ignored; with STORE
  // they are sorted ALPHA.
  t.Run({"SADD", "s", "5", "3", "1", "9"});
  CHECK(Strings(t.Run({"SORT", "s", "BY", "nosort", "DESC", "LIMIT", "1", "2"})) == V{"3", "5"});
  t.Run({"SADD", "s2", "b", "aa", "a", "c"});
  CHECK(t.Run({"SORT", "s2", "BY", "_", "STORE", "out"}) == 4);
  CHECK(Strings(t.Run({"LRANGE", "out", "0", "-1"})) == V{"a", "aa", "b", "c"});
}

TEST_CASE("SORT STORE", "[sort]") {
  TestServer t;
  Fill(t);
  CHECK(t.Run({"SORT", "l", "BY", "h_*->f", "STORE", "dst"}) == 4);
  CHECK(Strings(t.Run({"LRANGE", "dst", "0", "-1"})) == V{"10", "3", "2", "1"});
  CHECK(std::string(EncodingOf(t, "dst")) == "quicklist");
  // Missing GET values are stored as empty strings.
  CHECK(t.Run({"SORT", "l", "BY", "h_*->f", "GET", "h_*->f", "STORE", "dst"}) == 4);
  CHECK(Strings(t.Run({"LRANGE", "dst", "0", "-1"})) == V{"", "", "1", "9"});
  // An empty result deletes the destination; a TTL is dropped on overwrite.
  CHECK(t.Run({"SORT", "l", "LIMIT", "10", "10", "STORE", "dst"}) == 0);
  CHECK(t.Run({"EXISTS", "dst"}) == 0);
  CHECK(t.Run({"SORT", "nokey", "STORE", "nodst"}) == 0);
  CHECK(t.Run({"EXISTS", "nodst"}) == 0);
  t.Run({"SET", "dst", "x", "EX", "100"});
  CHECK(t.Run({"SORT", "l", "STORE", "dst"}) == 4);
  CHECK(t.Run({"TTL", "dst"}) == -1);
  CHECK(t.Run({"TYPE", "dst"}) == "list");
  // A score error stores nothing.
  CHECK(t.Run({"SORT", "l", "BY", "w_*", "STORE", "w_1"})
            .is_error("ERR One or more scores can't be converted into double"));
  CHECK(t.Run({"TYPE", "w_1"}) == "string");
  // Sorting a key into itself.
  CHECK(t.Run({"SORT", "l", "DESC", "STORE", "l"}) == 4);
  CHECK(Strings(t.Run({"LRANGE", "l", "0", "-1"})) == V{"10", "3", "2", "1"});
}

TEST_CASE("SORT errors and SORT_RO", "[sort]") {
  TestServer t;
  Fill(t);
  t.Run({"SET", "str", "x"});
  CHECK(t.Run({"SORT", "str"}).is_error("WRONGTYPE*"));
  CHECK(t.Run({"SORT", "h_1"}).is_error("WRONGTYPE*"));
  CHECK(t.Run({"SORT", "l", "foo"}).is_error("ERR syntax error"));
  CHECK(t.Run({"SORT", "l", "LIMIT", "0"}).is_error("ERR syntax error"));
  CHECK(t.Run({"SORT", "l", "BY", "nosort", "GET"}).is_error("ERR syntax error"));
  CHECK(t.Run({"SORT", "l", "LIMIT", "x", "1"})
            .is_error("ERR value is not an integer or out of range"));
  // Options are checked before the key's type.
  CHECK(t.Run({"SORT", "str", "foo"}).is_error("ERR syntax error"));
  CHECK(t.Run({"SORT_RO", "l", "STORE", "x"}).is_error("ERR syntax error"));
  CHECK(Strings(t.Run({"SORT_RO", "l", "DESC"})) == V{"10", "3", "2", "1"});
  CHECK(Strings(t.Run({"SORT_RO", "l", "BY", "a", "LIMIT", "2", "9223372036854775807"})) ==
        V{"2", "10"});
}

TEST_CASE("SORT key extraction", "[sort]") {
  TestServer t;
  CHECK(Strings(t.Run({"COMMAND", "GETKEYS", "sort", "abc", "store", "def"})) == V{"abc", "def"});
  CHECK(Strings(t.Run({"COMMAND", "GETKEYS", "sort", "abc", "store", "invalid", "store", "stillbad",
                       "store", "def"})) == V{"abc", "def"});
  CHECK(Strings(t.Run({"COMMAND", "GETKEYS", "sort", "abc", "get", "store", "limit", "store",
                       "x"})) == V{"abc"});
  CHECK(Strings(t.Run({"COMMAND", "GETKEYS", "sort_ro", "abc", "store", "def"})) == V{"abc"});
  RespValue r = t.Run({"COMMAND", "GETKEYSANDFLAGS", "sort", "k1", "store", "k2"});
  REQUIRE(r.size() == 2);
  CHECK(r[0][0] == "k1");
  CHECK(Strings(r[0][1]) == V{"RO", "access"});
  CHECK(r[1][0] == "k2");
  CHECK(Strings(r[1][1]) == V{"OW", "update"});
  RespValue info = t.Run({"COMMAND", "INFO", "sort_ro"});
  REQUIRE(info.size() == 1);
  CHECK(info[0][1] == -2);
  CHECK(Strings(info[0][2]) == V{"readonly", "movablekeys"});
}
