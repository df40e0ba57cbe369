// Sorted set commands against Redis 7.0.15's replies and error texts, run
// in both encodings (listpack and skiplist), plus ZSetObject and ZSkiplist
// checked against a simple ordered model.
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "harness.h"
#include "kv/zset_type.h"

using ordis::Entry;
using ordis::test::RespValue;
using ordis::test::TestServer;

namespace {

const char* kWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";

using V = std::vector<std::string>;

void UseResp3(TestServer& t) {
  t.client().proto = 3;
  t.client().reply.set_proto(3);
}

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

// Runs a section's checks once per encoding: 128 keeps small sets in a
// listpack, 0 makes every set a skiplist.
std::string PickEncoding(TestServer& t) {
  std::string enc = GENERATE(as<std::string>{}, "listpack", "skiplist");
  SetConfig(t, "zset-max-listpack-entries", enc == "listpack" ? "128" : "0");
  return enc;
}

}  // namespace

TEST_CASE("ZADD basics, ZSCORE, ZCARD", "[zsets]") {
  TestServer t;
  std::string enc = PickEncoding(t);
  CHECK(t.Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"}) == 3);
  CHECK(EncodingOf(t, "z") == enc);
  CHECK(t.Run({"ZADD", "z", "1", "a", "5", "b"}) == 0);
  CHECK(t.Run({"ZSCORE", "z", "b"}) == "5");
  CHECK(t.Run({"ZSCORE", "z", "nope"}).is_null());
  CHECK(t.Run({"ZSCORE", "missing", "a"}).is_null());
  CHECK(t.Run({"ZCARD", "z"}) == 3);
  CHECK(t.Run({"ZCARD", "missing"}) == 0);
  CHECK(t.Run({"ZADD", "z", "0.1", "p"}) == 1);
  CHECK(t.Run({"ZSCORE", "z", "p"}) == "0.10000000000000001");
  CHECK(t.Run({"ZADD", "z", "-inf", "lo", "+inf", "hi"}) == 2);
  CHECK(t.Run({"ZSCORE", "z", "lo"}) == "-inf");
  CHECK(t.Run({"ZSCORE", "z", "hi"}) == "inf");
  RespValue ms = t.Run({"ZMSCORE", "z", "a", "nope"});
  REQUIRE(ms.size() == 2);
  CHECK(ms[0] == "1");
  CHECK(ms[1].is_null());
  CHECK(t.Run({"ZMSCORE", "missing", "a"})[0].is_null());
}

TEST_CASE("ZADD option rules and errors", "[zsets]") {
  TestServer t;
  CHECK(t.Run({"ZADD", "z", "nx", "xx", "1", "a"})
            .is_error("ERR XX and NX options at the same time are not compatible"));
  CHECK(t.Run({"ZADD", "z", "gt", "lt", "1", "a"})
            .is_error("ERR GT, LT, and/or NX options at the same time are not compatible"));
  CHECK(t.Run({"ZADD", "z", "nx", "gt", "1", "a"})
            .is_error("ERR GT, LT, and/or NX options at the same time are not compatible"));
  CHECK(t.Run({"ZADD", "z", "incr", "1", "a", "2", "b"})
            .is_error("ERR INCR option supports a single increment-element pair"));
  CHECK(t.Run({"ZADD", "z", "1", "a", "2"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZADD", "z", "ch", "nx", "1"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZADD", "z", "1"}).is_error("ERR wrong number of arguments for 'zadd' command"));
  for (const char* bad : {"x", "nan", "1e999", "-1e999", " 1", "", "1 "}) {
    INFO(bad);
    CHECK(t.Run({"ZADD", "z", bad, "a"}).is_error("ERR value is not a valid float"));
  }
  // Every score is checked before anything is written.
  CHECK(t.Run({"ZADD", "z", "1", "a", "x", "b"}).is_error("ERR value is not a valid float"));
  CHECK_FALSE(Exists(t, "z"));
  CHECK(t.Run({"ZADD", "z", "1e308", "big", "4.9e-324", "tiny", "inf", "i"}) == 3);
}

TEST_CASE("ZADD NX XX GT LT CH INCR", "[zsets]") {
  TestServer t;
  std::string enc = PickEncoding(t);
  t.Run({"ZADD", "z", "1", "a", "2", "b"});
  CHECK(t.Run({"ZADD", "z", "nx", "5", "a", "4", "d"}) == 1);
  CHECK(t.Run({"ZSCORE", "z", "a"}) == "1");
  CHECK(t.Run({"ZADD", "z", "xx", "10", "a", "7", "e"}) == 0);
  CHECK(t.Run({"ZSCORE", "z", "a"}) == "10");
  CHECK(t.Run({"ZSCORE", "z", "e"}).is_null());
  CHECK(t.Run({"ZADD", "z", "xx", "ch", "11", "a", "7", "e"}) == 1);
  CHECK(t.Run({"ZADD", "z", "gt", "ch", "5", "a", "20", "b"}) == 1);
  CHECK(t.Run({"ZSCORE", "z", "a"}) == "11");
  CHECK(t.Run({"ZSCORE", "z", "b"}) == "20");
  CHECK(t.Run({"ZADD", "z", "lt", "ch", "5", "a", "30", "b"}) == 1);
  CHECK(t.Run({"ZSCORE", "z", "a"}) == "5");
  // GT/LT still add new members.
  CHECK(t.Run({"ZADD", "z", "gt", "1", "new"}) == 1);
  // Same score: processed, not updated.
  CHECK(t.Run({"ZADD", "z", "ch", "5", "a"}) == 0);
  CHECK(t.Run({"ZADD", "z", "incr", "2", "a"}) == "7");
  CHECK(t.Run({"ZADD", "z", "incr", "nx", "2", "a"}).is_null());
  CHECK(t.Run({"ZADD", "z", "incr", "gt", "-1", "a"}).is_null());
  CHECK(t.Run({"ZADD", "z", "incr", "xx", "1", "nothere"}).is_null());
  CHECK(t.Run({"ZADD", "z", "incr", "3", "fresh"}) == "3");
  // XX on a missing key creates nothing.
  CHECK(t.Run({"ZADD", "none", "xx", "1", "a"}) == 0);
  CHECK(t.Run({"ZADD", "none", "xx", "incr", "1", "a"}).is_null());
  CHECK_FALSE(Exists(t, "none"));
  // inf + -inf is NaN: an error, nothing changes.
  t.Run({"ZADD", "z", "inf", "i"});
  CHECK(t.Run({"ZADD", "z", "incr", "-inf", "i"})
            .is_error("ERR resulting score is not a number (NaN)"));
  CHECK(t.Run({"ZSCORE", "z", "i"}) == "inf");
  CHECK(EncodingOf(t, "z") == enc);
}

TEST_CASE("ZINCRBY", "[zsets]") {
  TestServer t;
  std::string enc = PickEncoding(t);
  CHECK(t.Run({"ZINCRBY", "z", "2.5", "a"}) == "2.5");
  CHECK(t.Run({"ZINCRBY", "z", "-1", "a"}) == "1.5");
  CHECK(t.Run({"ZINCRBY", "z", "x", "a"}).is_error("ERR value is not a valid float"));
  // ZINCRBY shares ZADD's parser, options included.
  CHECK(t.Run({"ZINCRBY", "z", "nx", "a"}).is_error("ERR syntax error"));
  t.Run({"ZADD", "z", "inf", "i"});
  CHECK(t.Run({"ZINCRBY", "z", "-inf", "i"}).is_error("ERR resulting score is not a number (NaN)"));
  CHECK(EncodingOf(t, "z") == enc);
}

TEST_CASE("Scores are doubles under RESP3", "[zsets]") {
  TestServer t;
  UseResp3(t);
  t.Run({"ZADD", "z", "1.5", "a", "2", "b"});
  RespValue s = t.Run({"ZSCORE", "z", "a"});
  CHECK(s.type == RespValue::kDouble);
  CHECK(s == "1.5");
  CHECK(t.Run({"ZINCRBY", "z", "1", "a"}).type == RespValue::kDouble);
  CHECK(t.Run({"ZADD", "z", "incr", "1", "b"}).type == RespValue::kDouble);
  CHECK(t.Run({"ZMSCORE", "z", "a", "x"})[0].type == RespValue::kDouble);
  // WITHSCORES: [member, score] pairs.
  RespValue r = t.Run({"ZRANGE", "z", "0", "-1", "WITHSCORES"});
  REQUIRE(r.size() == 2);
  REQUIRE(r[0].size() == 2);
  CHECK(r[0][0] == "a");
  CHECK(r[0][1].type == RespValue::kDouble);
  CHECK(r[0][1] == "2.5");
  CHECK(r[1][0] == "b");
  CHECK(t.Run({"ZSCORE", "z", "zz"}).type == RespValue::kNull);
}

TEST_CASE("ZREM and ZRANK/ZREVRANK", "[zsets]") {
  TestServer t;
  std::string enc = PickEncoding(t);
  t.Run({"ZADD", "z", "1", "a", "2", "b", "2", "c", "3", "d"});
  CHECK(t.Run({"ZRANK", "z", "a"}) == 0);
  CHECK(t.Run({"ZRANK", "z", "c"}) == 2);
  CHECK(t.Run({"ZREVRANK", "z", "a"}) == 3);
  CHECK(t.Run({"ZREVRANK", "z", "d"}) == 0);
  CHECK(t.Run({"ZRANK", "z", "nope"}).is_null());
  CHECK(t.Run({"ZRANK", "missing", "a"}).is_null());
  CHECK(t.Run({"ZREM", "z", "b", "nope"}) == 1);
  CHECK(t.Run({"ZRANK", "z", "c"}) == 1);
  CHECK(t.Run({"ZREM", "missing", "a"}) == 0);
  CHECK(t.Run({"ZREM", "z", "a", "c", "d", "a"}) == 3);
  CHECK_FALSE(Exists(t, "z"));
}

TEST_CASE("ZRANGE by rank", "[zsets]") {
  TestServer t;
  std::string enc = PickEncoding(t);
  t.Run({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"});
  CHECK(t.Run({"ZRANGE", "z", "0", "-1"}).strings() == V{"a", "b", "c", "d"});
  CHECK(t.Run({"ZRANGE", "z", "1", "2"}).strings() == V{"b", "c"});
  CHECK(t.Run({"ZRANGE", "z", "-2", "100"}).strings() == V{"c", "d"});
  CHECK(t.Run({"ZRANGE", "z", "0", "-1", "REV"}).strings() == V{"d", "c", "b", "a"});
  CHECK(t.Run({"ZRANGE", "z", "1", "2", "rev"}).strings() == V{"c", "b"});
  CHECK(t.Run({"ZREVRANGE", "z", "0", "1", "WITHSCORES"}).strings() == V{"d", "4", "c", "3"});
  CHECK(t.Run({"ZRANGE", "z", "0", "0", "withscores"}).strings() == V{"a", "1"});
  CHECK(t.Run({"ZRANGE", "z", "3", "1"}).size() == 0);
  CHECK(t.Run({"ZRANGE", "missing", "0", "-1"}).size() == 0);
  CHECK(t.Run({"ZRANGE", "z", "x", "1"}).is_error("ERR value is not an integer or out of range"));
  CHECK(t.Run({"ZRANGE", "z", "0", "-1", "LIMIT", "0", "1"})
            .is_error("ERR syntax error, LIMIT is only supported in combination with either "
                      "BYSCORE or BYLEX"));
  // Redis tests the LIMIT value, so "LIMIT 0 -1" passes.
  CHECK(t.Run({"ZRANGE", "z", "0", "0", "LIMIT", "0", "-1"}).strings() == V{"a"});
  CHECK(t.Run({"ZRANGE", "z", "0", "-1", "foo"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZREVRANGE", "z", "0", "-1", "REV"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZRANGE", "z", "0", "-1", "LIMIT", "0"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZRANGE", "z", "0", "-1", "LIMIT", "x", "1"})
            .is_error("ERR value is not an integer*"));
}

TEST_CASE("ZRANGE by score", "[zsets]") {
  TestServer t;
  std::string enc = PickEncoding(t);
  t.Run({"ZADD", "z", "-inf", "ninf", "1", "a", "2", "b", "2", "c", "3", "d", "inf", "pinf"});
  CHECK(t.Run({"ZRANGE", "z", "1", "2", "BYSCORE"}).strings() == V{"a", "b", "c"});
  CHECK(t.Run({"ZRANGE", "z", "(1", "2", "BYSCORE"}).strings() == V{"b", "c"});
  CHECK(t.Run({"ZRANGE", "z", "(1", "(3", "BYSCORE"}).strings() == V{"b", "c"});
  CHECK(t.Run({"ZRANGE", "z", "-inf", "+inf", "BYSCORE"}).size() == 6);
  CHECK(t.Run({"ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "2"}).strings() ==
        V{"a", "b"});
  CHECK(t.Run({"ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2", "WITHSCORES"})
            .strings() == V{"d", "3", "c", "2"});
  CHECK(t.Run({"ZRANGEBYSCORE", "z", "2", "3", "WITHSCORES"}).strings() ==
        V{"b", "2", "c", "2", "d", "3"});
  CHECK(t.Run({"ZREVRANGEBYSCORE", "z", "(3", "1"}).strings() == V{"c", "b", "a"});
  CHECK(t.Run({"ZRANGE", "z", "3", "1", "BYSCORE"}).size() == 0);
  CHECK(t.Run({"ZRANGE", "z", "2", "(2", "BYSCORE"}).size() == 0);
  CHECK(t.Run({"ZRANGE", "z", "5", "6", "BYSCORE"}).size() == 0);
  // strtod rules: "" is 0, "(" alone is an open 0.
  CHECK(t.Run({"ZRANGE", "z", "", "", "BYSCORE"}).size() == 0);
  CHECK(t.Run({"ZRANGE", "z", "(", "1", "BYSCORE"}).strings() == V{"a"});
  // Offsets: negative yields nothing, past the end nothing; negative count
  // means no limit.
  CHECK(t.Run({"ZRANGE", "z", "-inf", "inf", "BYSCORE", "LIMIT", "-1", "5"}).size() == 0);
  CHECK(t.Run({"ZRANGE", "z", "-inf", "inf", "BYSCORE", "LIMIT", "6", "5"}).size() == 0);
  CHECK(t.Run({"ZRANGE", "z", "-inf", "inf", "BYSCORE", "LIMIT", "4", "-1"}).strings() ==
        V{"d", "pinf"});
  CHECK(t.Run({"ZRANGE", "z", "-inf", "inf", "BYSCORE", "LIMIT", "0", "0"}).size() == 0);
  CHECK(t.Run({"ZRANGE", "z", "a", "1", "BYSCORE"}).is_error("ERR min or max is not a float"));
  CHECK(t.Run({"ZRANGE", "z", "nan", "1", "BYSCORE"}).is_error("ERR min or max is not a float"));
  CHECK(t.Run({"ZCOUNT", "z", "-inf", "+inf"}) == 6);
  CHECK(t.Run({"ZCOUNT", "z", "(1", "2"}) == 2);
  CHECK(t.Run({"ZCOUNT", "missing", "0", "1"}) == 0);
  CHECK(t.Run({"ZCOUNT", "z", "x", "1"}).is_error("ERR min or max is not a float"));
}

TEST_CASE("ZRANGE by lex", "[zsets]") {
  TestServer t;
  std::string enc = PickEncoding(t);
  t.Run({"ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e"});
  CHECK(t.Run({"ZRANGE", "z", "-", "+", "BYLEX"}).strings() == V{"a", "b", "c", "d", "e"});
  CHECK(t.Run({"ZRANGE", "z", "[b", "(d", "BYLEX"}).strings() == V{"b", "c"});
  CHECK(t.Run({"ZRANGE", "z", "(b", "[d", "BYLEX"}).strings() == V{"c", "d"});
  CHECK(t.Run({"ZRANGE", "z", "+", "-", "BYLEX", "REV", "LIMIT", "1", "2"}).strings() ==
        V{"d", "c"});
  CHECK(t.Run({"ZRANGEBYLEX", "z", "[c", "+"}).strings() == V{"c", "d", "e"});
  CHECK(t.Run({"ZREVRANGEBYLEX", "z", "(c", "-"}).strings() == V{"b", "a"});
  CHECK(t.Run({"ZRANGE", "z", "[d", "[b", "BYLEX"}).size() == 0);
  CHECK(t.Run({"ZRANGE", "z", "(b", "(b", "BYLEX"}).size() == 0);
  CHECK(t.Run({"ZRANGE", "z", "[b", "[b", "BYLEX"}).strings() == V{"b"});
  CHECK(t.Run({"ZRANGE", "z", "+", "+", "BYLEX"}).size() == 0);
  CHECK(t.Run({"ZRANGE", "z", "[z", "+", "BYLEX"}).size() == 0);
  CHECK(t.Run({"ZRANGE", "z", "-", "+", "BYLEX", "LIMIT", "-1", "2"}).size() == 0);
  CHECK(t.Run({"ZRANGE", "z", "a", "+", "BYLEX"})
            .is_error("ERR min or max not valid string range item"));
  CHECK(t.Run({"ZRANGE", "z", "-x", "+", "BYLEX"})
            .is_error("ERR min or max not valid string range item"));
  CHECK(t.Run({"ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"})
            .is_error("ERR syntax error, WITHSCORES not supported in combination with BYLEX"));
  CHECK(t.Run({"ZRANGEBYLEX", "z", "-", "+", "WITHSCORES"})
            .is_error("ERR syntax error, WITHSCORES not supported in combination with BYLEX"));
}

TEST_CASE("Sorted set encoding rules", "[zsets]") {
  TestServer t;
  SetConfig(t, "zset-max-listpack-entries", "3");
  t.Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  CHECK(EncodingOf(t, "z") == "listpack");
  t.Run({"ZADD", "z", "5", "a"});  // update only
  CHECK(EncodingOf(t, "z") == "listpack");
  t.Run({"ZADD", "z", "4", "d"});
  CHECK(EncodingOf(t, "z") == "skiplist");
  t.Run({"ZREM", "z", "a", "b", "c"});  // never converts back
  CHECK(EncodingOf(t, "z") == "skiplist");
  SetConfig(t, "zset-max-listpack-entries", "128");
  SetConfig(t, "zset-max-listpack-value", "3");
  t.Run({"ZADD", "long", "1", "abcd"});
  CHECK(EncodingOf(t, "long") == "skiplist");
  t.Run({"ZADD", "grow", "1", "abc"});
  CHECK(EncodingOf(t, "grow") == "listpack");
  t.Run({"ZADD", "grow", "2", "abcd"});
  CHECK(EncodingOf(t, "grow") == "skiplist");
  SetConfig(t, "zset-max-listpack-value", "64");
  // The ziplist names are the same options.
  SetConfig(t, "zset-max-ziplist-entries", "0");
  t.Run({"ZADD", "zip", "1", "a"});
  CHECK(EncodingOf(t, "zip") == "skiplist");
  SetConfig(t, "zset-max-ziplist-entries", "128");
  t.Run({"ZINCRBY", "zip2", "1", "a"});
  CHECK(EncodingOf(t, "zip2") == "listpack");
}

TEST_CASE("Sorted set commands refuse other types", "[zsets]") {
  TestServer t;
  t.Run({"RPUSH", "l", "a"});
  for (const std::vector<std::string>& cmd : std::vector<std::vector<std::string>>{
           {"ZADD", "l", "1", "a"},
           {"ZINCRBY", "l", "1", "a"},
           {"ZREM", "l", "a"},
           {"ZCARD", "l"},
           {"ZSCORE", "l", "a"},
           {"ZMSCORE", "l", "a"},
           {"ZRANK", "l", "a"},
           {"ZREVRANK", "l", "a"},
           {"ZCOUNT", "l", "0", "1"},
           {"ZRANGE", "l", "0", "1"},
           {"ZRANGE", "l", "0", "1", "BYSCORE"},
           {"ZRANGE", "l", "-", "+", "BYLEX"},
           {"ZREVRANGE", "l", "0", "1"},
       }) {
    INFO(cmd[0]);
    CHECK(t.Run(cmd).is_error(kWrongType));
  }
  // Argument errors come before the type check.
  CHECK(t.Run({"ZADD", "l", "x", "a"}).is_error("ERR value is not a valid float"));
  CHECK(t.Run({"ZRANGE", "l", "a", "1", "BYSCORE"}).is_error("ERR min or max is not a float"));
  t.Run({"ZADD", "z", "1", "a"});
  CHECK(t.Run({"GET", "z"}).is_error(kWrongType));
  CHECK(t.Run({"HSET", "z", "f", "v"}).is_error(kWrongType));
}

TEST_CASE("ZSetObject clone is deep in both encodings", "[zsets]") {
  TestServer t;
  std::string enc = PickEncoding(t);
  t.Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  Entry* src = t.server().keyspace().db(0).FindQuiet("z");
  Entry* copy = ordis::CloneEntry(src, "z2");
  CHECK(std::string(copy->EncodingName()) == enc);
  t.server().keyspace().db(0).Add(copy);
  t.Run({"ZADD", "z", "10", "a"});
  t.Run({"ZREM", "z", "b"});
  CHECK(t.Run({"ZRANGE", "z2", "0", "-1", "WITHSCORES"}).strings() ==
        V{"a", "1", "b", "2", "c", "3"});
  t.server().keyspace().db(0).Delete("z");
  CHECK(t.Run({"ZRANK", "z2", "c"}) == 2);
  CHECK(copy->MemoryUsage() > 0);
}

TEST_CASE("VisitElements gives members with %.17g scores", "[zsets]") {
  TestServer t;
  t.Run({"ZADD", "z", "0.1", "a", "inf", "b"});
  std::map<std::string, std::string> seen;
  ordis::VisitElements(t.server().keyspace().db(0).FindQuiet("z"),
                       [&](std::string_view m, std::string_view s) { seen.emplace(m, s); });
  CHECK(seen == std::map<std::string, std::string>{{"a", "0.10000000000000001"}, {"b", "inf"}});
}

TEST_CASE("ZSetObject matches an ordered model in both encodings", "[zsets]") {
  bool big = GENERATE(false, true);
  ordis::ZSetObject z(big);
  std::map<std::string, double> scores;  // member -> score
  std::set<std::pair<double, std::string>> order;
  std::mt19937_64 rng(big ? 3 : 5);
  ordis::ZAddFlags none;
  for (int i = 0; i < 4000; ++i) {
    std::string m = "m" + std::to_string(rng() % 300);
    double s = static_cast<double>(rng() % 50);
    if (rng() % 4 == 0) {
      bool had = scores.count(m) == 1;
      CHECK(z.Remove(m) == had);
      if (had) {
        order.erase({scores[m], m});
        scores.erase(m);
      }
      continue;
    }
    double out = -1;
    unsigned r = z.Add(s, m, none, 1 << 20, 64, &out);
    auto it = scores.find(m);
    if (it == scores.end()) {
      CHECK(r == ordis::kZAdded);
    } else {
      CHECK(r == (it->second == s ? 0u : unsigned{ordis::kZUpdated}));
      order.erase({it->second, m});
    }
    CHECK(out == s);
    scores[m] = s;
    order.insert({s, m});
  }
  CHECK(z.is_listpack() == !big);
  REQUIRE(z.size() == order.size());
  // Full order, ranks and rank ranges.
  std::vector<ordis::ZRangeItem> all;
  z.RangeByRank(0, z.size() - 1, false, &all);
  size_t rank = 0;
  for (const auto& [s, m] : order) {
    CHECK(all[rank].member == m);
    CHECK(all[rank].score == s);
    CHECK(z.Rank(m, false) == rank);
    CHECK(z.Rank(m, true) == order.size() - 1 - rank);
    CHECK(z.Score(m) == s);
    ++rank;
  }
  std::vector<ordis::ZRangeItem> mid;
  z.RangeByRank(10, 20, true, &mid);
  REQUIRE(mid.size() == 11);
  CHECK(mid[0].member == all[all.size() - 1 - 10].member);
  // Score ranges against the model.
  for (int lo = -1; lo < 52; lo += 7) {
    ordis::ZScoreRange r;
    r.min = lo;
    r.max = lo + 5;
    r.minex = lo % 2 == 0;
    std::vector<ordis::ZRangeItem> got;
    z.RangeByScore(r, 0, -1, false, &got);
    std::vector<std::string> want;
    for (const auto& [s, m] : order)
      if (r.GteMin(s) && r.LteMax(s)) want.push_back(m);
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < want.size(); ++i) CHECK(got[i].member == want[i]);
    std::vector<ordis::ZRangeItem> rev;
    z.RangeByScore(r, 1, 3, true, &rev);
    for (size_t i = 0; i < rev.size(); ++i) CHECK(rev[i].member == want[want.size() - 2 - i]);
    CHECK(rev.size() == (want.size() > 1 ? std::min<size_t>(3, want.size() - 1) : 0));
  }
}

TEST_CASE("ZSkiplist ranks stay right through score updates", "[zsets]") {
  ordis::ZSkiplist list;
  std::vector<ordis::ZSkipNode*> nodes;
  for (int i = 0; i < 500; ++i) nodes.push_back(list.Insert(i, "m" + std::to_string(i)));
  std::mt19937_64 rng(9);
  for (int i = 0; i < 2000; ++i) {
    ordis::ZSkipNode* n = nodes[rng() % nodes.size()];
    ordis::ZSkipNode* before = n;
    list.UpdateScore(n, static_cast<double>(rng() % 1000));
    CHECK(n == before);  // the node never moves
  }
  REQUIRE(list.size() == 500);
  uint64_t rank = 1;
  ordis::ZSkipNode* prev = nullptr;
  for (ordis::ZSkipNode* x = list.first(); x; x = x->links[0].forward, ++rank) {
    CHECK(x->backward == prev);
    if (prev) CHECK(ordis::ZLess(prev->score, prev->member(), x->score, x->member()));
    CHECK(list.Rank(x) == rank);
    CHECK(list.ByRank(rank) == x);
    prev = x;
  }
  CHECK(list.last() == prev);
  CHECK(list.ByRank(0) == nullptr);
  CHECK(list.ByRank(501) == nullptr);
  for (int i = 0; i < 500; i += 2) list.Erase(nodes[static_cast<size_t>(i)]);
  CHECK(list.size() == 250);
  rank = 1;
  for (ordis::ZSkipNode* x = list.first(); x; x = x->links[0].forward, ++rank)
    CHECK(list.Rank(x) == rank);
}
