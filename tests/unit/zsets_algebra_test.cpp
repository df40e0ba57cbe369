// ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD against Redis
// 7.0.15's replies and error texts, in both encodings, with sets as inputs.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "harness.h"

using ordis::Entry;
using ordis::test::RespValue;
using ordis::test::TestServer;

namespace {

const char* kWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";

using V = std::vector<std::string>;

std::string EncodingOf(TestServer& t, const std::string& key) {
  Entry* e = t.server().keyspace().db(0).FindQuiet(key);
  return e ? e->EncodingName() : "(none)";
}

std::string PickEncoding(TestServer& t) {
  std::string enc = GENERATE(as<std::string>{}, "listpack", "skiplist");
  REQUIRE(t.server()
              .config_registry()
              .Set("zset-max-listpack-entries", enc == "listpack" ? "128" : "0")
              .empty());
  return enc;
}

void Fill(TestServer& t) {
  t.Run({"ZADD", "z1", "1", "a", "2", "b", "3", "c"});
  t.Run({"ZADD", "z2", "1", "b", "2", "c", "3", "d"});
  t.Run({"SADD", "s1", "a", "c", "e"});
  t.Run({"SADD", "si", "1", "2"});  // an intset
  t.Run({"SET", "str", "x"});
}

}  // namespace

TEST_CASE("ZUNION / ZUNIONSTORE", "[zsets]") {
  TestServer t;
  std::string enc = PickEncoding(t);
  Fill(t);
  CHECK(t.Run({"ZUNIONSTORE", "d", "2", "z1", "z2"}) == 4);
  CHECK(t.Run({"ZRANGE", "d", "0", "-1", "withscores"}).strings() ==
        V{"a", "1", "b", "3", "d", "3", "c", "5"});
  CHECK(EncodingOf(t, "d") == enc);
  CHECK(t.Run({"ZUNION", "3", "z1", "z2", "s1", "withscores"}).strings() ==
        V{"e", "1", "a", "2", "b", "3", "d", "3", "c", "6"});
  CHECK(t.Run({"ZUNION", "3", "z1", "z2", "s1", "aggregate", "max", "withscores"}).strings() ==
        V{"a", "1", "e", "1", "b", "2", "c", "3", "d", "3"});
  CHECK(t.Run({"ZUNION", "3", "z1", "z2", "s1", "weights", "1", "2", "3", "aggregate", "min",
               "withscores"})
            .strings() == V{"a", "1", "b", "2", "c", "3", "e", "3", "d", "6"});
  CHECK(t.Run({"ZUNION", "2", "z1", "si"}).strings() == V{"1", "2", "a", "b", "c"});
  CHECK(t.Run({"ZUNION", "2", "z1", "missing"}).strings() == V{"a", "b", "c"});
  // An empty result deletes the destination.
  CHECK(t.Run({"ZUNIONSTORE", "d", "1", "missing"}) == 0);
  CHECK(EncodingOf(t, "d") == "(none)");
}

TEST_CASE("ZINTER / ZINTERSTORE / ZINTERCARD", "[zsets]") {
  TestServer t;
  std::string enc = PickEncoding(t);
  Fill(t);
  CHECK(t.Run({"ZINTERSTORE", "d", "2", "z1", "z2", "weights", "2", "3"}) == 2);
  CHECK(t.Run({"ZRANGE", "d", "0", "-1", "withscores"}).strings() == V{"b", "7", "c", "12"});
  CHECK(t.Run({"ZINTER", "2", "z1", "s1", "withscores"}).strings() == V{"a", "2", "c", "4"});
  CHECK(t.Run({"ZINTER", "2", "z1", "z1", "aggregate", "max"}).strings() == V{"a", "b", "c"});
  CHECK(t.Run({"ZINTER", "2", "s1", "s1", "withscores"}).strings() ==
        V{"a", "2", "c", "2", "e", "2"});
  CHECK(t.Run({"ZINTER", "2", "z1", "missing"}).size() == 0);
  CHECK(t.Run({"ZINTERCARD", "2", "z1", "z2"}) == 2);
  CHECK(t.Run({"ZINTERCARD", "2", "z1", "z2", "limit", "1"}) == 1);
  CHECK(t.Run({"ZINTERCARD", "2", "z1", "z2", "LIMIT", "0"}) == 2);
  CHECK(t.Run({"ZINTERCARD", "1", "z1", "limit", "-1"}).is_error("ERR LIMIT can't be negative"));
  CHECK(t.Run({"ZINTERCARD", "1", "z1", "limit", "a"}).is_error("ERR LIMIT can't be negative"));
  CHECK(t.Run({"ZINTERCARD", "1", "z1", "withscores"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZINTERCARD", "1", "z1", "weights", "1"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZINTERCARD", "1", "z1", "limit"}).is_error("ERR syntax error"));
  CHECK(EncodingOf(t, "d") == enc);
}

TEST_CASE("ZDIFF / ZDIFFSTORE", "[zsets]") {
  TestServer t;
  PickEncoding(t);
  Fill(t);
  CHECK(t.Run({"ZDIFF", "2", "z1", "z2", "withscores"}).strings() == V{"a", "1"});
  CHECK(t.Run({"ZDIFF", "2", "z1", "s1"}).strings() == V{"b"});
  CHECK(t.Run({"ZDIFF", "2", "s1", "z1", "withscores"}).strings() == V{"e", "1"});
  CHECK(t.Run({"ZDIFF", "1", "missing"}).size() == 0);
  CHECK(t.Run({"ZDIFFSTORE", "d", "2", "z1", "z1"}) == 0);
  CHECK(EncodingOf(t, "d") == "(none)");
  CHECK(t.Run({"ZDIFFSTORE", "d", "3", "z1", "missing", "s1"}) == 1);
  CHECK(t.Run({"ZRANGE", "d", "0", "-1", "withscores"}).strings() == V{"b", "2"});
  CHECK(t.Run({"ZDIFF", "2", "z1", "z2", "weights", "1", "1"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZDIFF", "2", "z1", "z2", "aggregate", "min"}).is_error("ERR syntax error"));
}

TEST_CASE("Set algebra with infinities and NaN weights", "[zsets]") {
  TestServer t;
  PickEncoding(t);
  t.Run({"ZADD", "p", "inf", "a"});
  t.Run({"ZADD", "n", "-inf", "a"});
  // inf + -inf and 0 * inf count as 0.
  CHECK(t.Run({"ZUNION", "2", "p", "n", "withscores"}).strings() == V{"a", "0"});
  CHECK(t.Run({"ZINTER", "2", "p", "n", "withscores"}).strings() == V{"a", "0"});
  CHECK(t.Run({"ZUNION", "1", "p", "weights", "0", "withscores"}).strings() == V{"a", "0"});
  CHECK(t.Run({"ZINTER", "2", "p", "p", "weights", "1", "-inf", "aggregate", "max", "withscores"})
            .strings() == V{"a", "inf"});
  CHECK(t.Run({"ZUNION", "2", "p", "n", "aggregate", "min", "withscores"}).strings() ==
        V{"a", "-inf"});
}

TEST_CASE("Set algebra argument errors in Redis's order", "[zsets]") {
  TestServer t;
  Fill(t);
  for (const char* cmd : {"zunion", "zinter", "zdiff", "zintercard"}) {
    INFO(cmd);
    CHECK(
        t.Run({cmd, "0", "z1"})
            .is_error(std::string("ERR at least 1 input key is needed for '") + cmd + "' command"));
    CHECK(t.Run({cmd, "-1", "z1"}).is_error("ERR at least 1 input key is needed*"));
    CHECK(t.Run({cmd, "x", "z1"}).is_error("ERR value is not an integer or out of range"));
    CHECK(t.Run({cmd, "3", "z1"}).is_error("ERR syntax error"));
    CHECK(t.Run({cmd, "2", "z1", "str"}).is_error(kWrongType));
    // Keys are looked up before the options are parsed.
    CHECK(t.Run({cmd, "1", "str", "bogus"}).is_error(kWrongType));
    CHECK(t.Run({cmd, "1", "z1", "bogus"}).is_error("ERR syntax error"));
  }
  for (const char* cmd : {"zunionstore", "zinterstore", "zdiffstore"}) {
    INFO(cmd);
    CHECK(
        t.Run({cmd, "d", "0", "z1"})
            .is_error(std::string("ERR at least 1 input key is needed for '") + cmd + "' command"));
    CHECK(t.Run({cmd, "d", "2", "z1", "z2", "withscores"}).is_error("ERR syntax error"));
  }
  CHECK(t.Run({"ZUNION", "2", "z1", "z2", "weights", "1"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZUNION", "2", "z1", "z2", "weights", "1", "x"})
            .is_error("ERR weight value is not a float"));
  CHECK(t.Run({"ZUNION", "1", "z1", "weights", "nan"}).is_error("ERR weight value is not a float"));
  CHECK(t.Run({"ZUNION", "1", "z1", "aggregate", "avg"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZUNION", "1", "z1", "aggregate"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZUNIONSTORE", "d", "1"})
            .is_error("ERR wrong number of arguments for 'zunionstore' command"));
}

TEST_CASE("Set algebra RESP3 pairs", "[zsets]") {
  TestServer t;
  Fill(t);
  t.client().proto = 3;
  t.client().reply.set_proto(3);
  RespValue r = t.Run({"ZINTER", "2", "z1", "z2", "withscores"});
  REQUIRE(r.size() == 2);
  CHECK(r[0][0] == "b");
  CHECK(r[0][1].type == RespValue::kDouble);
  CHECK(r[1].strings() == V{"c", "5"});
}

TEST_CASE("Set algebra keys: COMMAND GETKEYS and movablekeys", "[zsets]") {
  TestServer t;
  std::vector<std::string> req{"COMMAND", "GETKEYS", "ZUNIONSTORE", "target", "260"};
  for (int i = 1; i <= 260; ++i) req.push_back("key" + std::to_string(i));
  V keys = t.Run(req).strings();
  REQUIRE(keys.size() == 261);
  CHECK(keys[0] == "target");
  CHECK(keys[1] == "key1");
  CHECK(keys[260] == "key260");
  CHECK(t.Run({"COMMAND", "GETKEYS", "ZUNIONSTORE", "d", "2", "a", "b", "c"}).strings() ==
        V{"d", "a", "b"});
  CHECK(t.Run({"COMMAND", "GETKEYS", "ZUNION", "2", "a", "b", "withscores"}).strings() ==
        V{"a", "b"});
  CHECK(t.Run({"COMMAND", "GETKEYS", "ZINTERCARD", "1", "a"}).strings() == V{"a"});
  CHECK(t.Run({"COMMAND", "GETKEYS", "ZDIFFSTORE", "d", "0", "a"})
            .is_error("ERR Invalid arguments specified for command"));
  CHECK(t.Run({"COMMAND", "GETKEYS", "ZINTERSTORE", "d", "5", "a"})
            .is_error("ERR Invalid arguments specified for command"));
  RespValue fl = t.Run({"COMMAND", "GETKEYSANDFLAGS", "ZUNIONSTORE", "d", "1", "a"});
  REQUIRE(fl.size() == 2);
  CHECK(fl[0][1].strings() == V{"OW", "update"});
  CHECK(fl[1][1].strings() == V{"RO", "access"});
  for (const char* cmd : {"zunionstore", "zinterstore", "zdiffstore", "zunion", "zinter", "zdiff",
                          "zintercard", "zmpop"}) {
    INFO(cmd);
    RespValue info = t.Run({"COMMAND", "INFO", cmd});
    REQUIRE(info.size() == 1);
    V flags = info[0][2].strings();
    CHECK(std::find(flags.begin(), flags.end(), "movablekeys") != flags.end());
  }
  RespValue info = t.Run({"COMMAND", "INFO", "zunionstore"});
  CHECK(info[0][1] == -4);
  CHECK(info[0][3] == 1);
  CHECK(t.Run({"COMMAND", "INFO", "zunion"})[0][3] == 0);
}
