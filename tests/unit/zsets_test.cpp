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

TEST_CASE("ZRANGESTORE", "[zsets]") {
  TestServer t;
  std::string enc = PickEncoding(t);
  t.Run({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"});
  CHECK(t.Run({"ZRANGESTORE", "dst", "z", "0", "-1"}) == 4);
  CHECK(t.Run({"ZRANGE", "dst", "0", "-1", "withscores"}).strings() ==
        V{"a", "1", "b", "2", "c", "3", "d", "4"});
  CHECK(EncodingOf(t, "dst") == enc);
  CHECK(t.Run({"ZRANGESTORE", "dst", "z", "(1", "+inf", "byscore", "limit", "1", "2"}) == 2);
  CHECK(t.Run({"ZRANGE", "dst", "0", "-1"}).strings() == V{"c", "d"});
  CHECK(t.Run({"ZRANGESTORE", "dst", "z", "+inf", "-inf", "byscore", "rev", "limit", "0", "1"}) ==
        1);
  CHECK(t.Run({"ZRANGE", "dst", "0", "-1"}).strings() == V{"d"});
  CHECK(t.Run({"ZRANGESTORE", "dst", "z", "[b", "(d", "bylex"}) == 2);
  CHECK(t.Run({"ZRANGE", "dst", "0", "-1"}).strings() == V{"b", "c"});
  // Storing into the source itself.
  CHECK(t.Run({"ZRANGESTORE", "z", "z", "1", "2"}) == 2);
  CHECK(t.Run({"ZRANGE", "z", "0", "-1"}).strings() == V{"b", "c"});
  // An empty range or a missing source deletes the destination.
  CHECK(t.Run({"ZRANGESTORE", "dst", "z", "5", "9"}) == 0);
  CHECK_FALSE(Exists(t, "dst"));
  t.Run({"SET", "dst", "x"});
  CHECK(t.Run({"ZRANGESTORE", "dst", "missing", "0", "-1"}) == 0);
  CHECK_FALSE(Exists(t, "dst"));
  // The destination is overwritten whatever it held, TTL included.
  t.Run({"SET", "dst", "x", "EX", "100"});
  CHECK(t.Run({"ZRANGESTORE", "dst", "z", "0", "0"}) == 1);
  CHECK(t.Run({"TTL", "dst"}) == -1);
  t.Run({"SET", "str", "x"});
  CHECK(t.Run({"ZRANGESTORE", "dst", "str", "0", "-1"}).is_error(kWrongType));
  CHECK(t.Run({"ZRANGESTORE", "dst", "z", "0", "-1", "withscores"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZRANGESTORE", "dst", "z", "0", "-1", "limit", "0", "1"})
            .is_error("ERR syntax error, LIMIT is only supported*"));
  CHECK(t.Run({"ZRANGESTORE", "dst", "z", "0"})
            .is_error("ERR wrong number of arguments for 'zrangestore' command"));
}

TEST_CASE("ZRANGESTORE encoding follows the listpack limits", "[zsets]") {
  TestServer t;
  SetConfig(t, "zset-max-listpack-entries", "2");
  t.Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  CHECK(t.Run({"ZRANGESTORE", "d", "z", "0", "1"}) == 2);
  CHECK(EncodingOf(t, "d") == "listpack");
  CHECK(t.Run({"ZRANGESTORE", "d", "z", "0", "-1"}) == 3);
  CHECK(EncodingOf(t, "d") == "skiplist");
  CHECK(t.Run({"ZRANGESTORE", "d", "z", "-inf", "2", "byscore"}) == 2);
  CHECK(EncodingOf(t, "d") == "listpack");
}

TEST_CASE("ZLEXCOUNT and ZREMRANGEBY*", "[zsets]") {
  TestServer t;
  std::string enc = PickEncoding(t);
  t.Run({"ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e"});
  CHECK(t.Run({"ZLEXCOUNT", "z", "-", "+"}) == 5);
  CHECK(t.Run({"ZLEXCOUNT", "z", "(a", "[c"}) == 2);
  CHECK(t.Run({"ZLEXCOUNT", "z", "[c", "(a"}) == 0);
  CHECK(t.Run({"ZLEXCOUNT", "missing", "-", "+"}) == 0);
  CHECK(t.Run({"ZLEXCOUNT", "z", "a", "+"}).is_error("ERR min or max not valid string range item"));
  CHECK(t.Run({"ZREMRANGEBYLEX", "z", "(a", "[c"}) == 2);
  CHECK(t.Run({"ZRANGE", "z", "0", "-1"}).strings() == V{"a", "d", "e"});
  CHECK(t.Run({"ZREMRANGEBYLEX", "z", "-", "+"}) == 3);
  CHECK_FALSE(Exists(t, "z"));

  t.Run({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"});
  CHECK(t.Run({"ZREMRANGEBYSCORE", "z", "(1", "3"}) == 2);
  CHECK(t.Run({"ZRANGE", "z", "0", "-1"}).strings() == V{"a", "d", "e"});
  CHECK(t.Run({"ZREMRANGEBYSCORE", "z", "5", "1"}) == 0);
  CHECK(t.Run({"ZREMRANGEBYSCORE", "z", "x", "1"}).is_error("ERR min or max is not a float"));
  CHECK(t.Run({"ZREMRANGEBYRANK", "z", "-1", "-1"}) == 1);
  CHECK(t.Run({"ZRANGE", "z", "0", "-1"}).strings() == V{"a", "d"});
  CHECK(t.Run({"ZREMRANGEBYRANK", "z", "5", "10"}) == 0);
  CHECK(t.Run({"ZREMRANGEBYRANK", "z", "1", "0"}) == 0);
  CHECK(t.Run({"ZREMRANGEBYRANK", "z", "x", "0"})
            .is_error("ERR value is not an integer or out of range"));
  CHECK(EncodingOf(t, "z") == enc);
  CHECK(t.Run({"ZREMRANGEBYRANK", "z", "-100", "100"}) == 2);
  CHECK_FALSE(Exists(t, "z"));
  CHECK(t.Run({"ZREMRANGEBYRANK", "missing", "0", "-1"}) == 0);
  t.Run({"SET", "str", "x"});
  CHECK(t.Run({"ZREMRANGEBYRANK", "str", "0", "-1"}).is_error(kWrongType));
  CHECK(t.Run({"ZLEXCOUNT", "str", "-", "+"}).is_error(kWrongType));
  // The range is parsed before the key is looked up.
  CHECK(t.Run({"ZREMRANGEBYSCORE", "str", "x", "1"}).is_error("ERR min or max is not a float"));
}

TEST_CASE("ZPOPMIN / ZPOPMAX", "[zsets]") {
  TestServer t;
  std::string enc = PickEncoding(t);
  t.Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  CHECK(t.Run({"ZPOPMIN", "z"}).strings() == V{"a", "1"});
  CHECK(t.Run({"ZPOPMAX", "z", "5"}).strings() == V{"c", "3", "b", "2"});
  CHECK_FALSE(Exists(t, "z"));
  CHECK(t.Run({"ZPOPMIN", "z"}).size() == 0);
  CHECK(t.Run({"ZPOPMIN", "z"}).is_array());
  t.Run({"ZADD", "z", "1", "a"});
  CHECK(t.Run({"ZPOPMIN", "z", "0"}).size() == 0);
  CHECK(t.Run({"ZPOPMIN", "z", "-1"}).is_error("ERR value is out of range, must be positive"));
  CHECK(t.Run({"ZPOPMIN", "z", "x"}).is_error("ERR value is out of range, must be positive"));
  CHECK(t.Run({"ZPOPMIN", "z", "1", "2"}).is_error("ERR syntax error"));
  t.Run({"SET", "str", "x"});
  CHECK(t.Run({"ZPOPMIN", "str", "0"}).is_error(kWrongType));
  // RESP3: pairs when a count is given, a flat pair otherwise.
  UseResp3(t);
  t.Run({"ZADD", "z", "2", "b"});
  RespValue one = t.Run({"ZPOPMAX", "z"});
  REQUIRE(one.size() == 2);
  CHECK(one[0] == "b");
  CHECK(one[1].type == RespValue::kDouble);
  RespValue many = t.Run({"ZPOPMAX", "z", "1"});
  REQUIRE(many.size() == 1);
  CHECK(many[0].strings() == V{"a", "1"});
  CHECK(EncodingOf(t, "z") == "(none)");
  (void)enc;
}

TEST_CASE("ZMPOP", "[zsets]") {
  TestServer t;
  PickEncoding(t);
  t.Run({"ZADD", "z2", "1", "a", "2", "b", "3", "c"});
  RespValue r = t.Run({"ZMPOP", "2", "z1", "z2", "max", "count", "2"});
  REQUIRE(r.size() == 2);
  CHECK(r[0] == "z2");
  REQUIRE(r[1].size() == 2);
  CHECK(r[1][0].strings() == V{"c", "3"});
  CHECK(r[1][1].strings() == V{"b", "2"});
  r = t.Run({"ZMPOP", "1", "z2", "MIN"});
  CHECK(r[1][0].strings() == V{"a", "1"});
  CHECK_FALSE(Exists(t, "z2"));
  CHECK(t.Run({"ZMPOP", "2", "z1", "z2", "min"}).type == RespValue::kNullArray);
  t.Run({"SET", "str", "x"});
  t.Run({"ZADD", "z3", "1", "a"});
  CHECK(t.Run({"ZMPOP", "2", "z1", "str", "min"}).is_error(kWrongType));
  // Only keys up to the first existing one are looked at.
  CHECK(t.Run({"ZMPOP", "2", "z3", "str", "min"})[0] == "z3");
  CHECK(t.Run({"ZMPOP", "0", "z", "min"}).is_error("ERR numkeys should be greater than 0"));
  CHECK(t.Run({"ZMPOP", "a", "z", "min"}).is_error("ERR numkeys should be greater than 0"));
  CHECK(t.Run({"ZMPOP", "2", "z", "min"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZMPOP", "9223372036854775807", "z", "min"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZMPOP", "1", "z", "bad"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZMPOP", "1", "z", "min", "count"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZMPOP", "1", "z", "min", "count", "1", "count", "1"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZMPOP", "1", "z", "min", "count", "0"})
            .is_error("ERR count should be greater than 0"));
  CHECK(t.Run({"ZMPOP", "1", "z"}).is_error("ERR wrong number of arguments for 'zmpop' command"));
  CHECK(t.Run({"COMMAND", "GETKEYS", "ZMPOP", "2", "a", "b", "min"}).strings() == V{"a", "b"});
  CHECK(t.Run({"COMMAND", "GETKEYS", "ZMPOP", "3", "a", "b", "min"}).strings() ==
        V{"a", "b", "min"});
  CHECK(t.Run({"COMMAND", "GETKEYS", "ZMPOP", "4", "a", "b", "min"})
            .is_error("ERR Invalid arguments specified for command"));
}

TEST_CASE("ZPOP storage operations for blocking pops", "[zsets]") {
  TestServer t;
  t.Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  ordis::EncodingLimits limits;
  ordis::ZSetOps ops(t.server().keyspace().db(0), limits);
  auto popped = ops.Pop("z", true, 2);
  REQUIRE(popped.ok());
  REQUIRE(popped->size() == 2);
  CHECK((*popped)[0].member == "c");
  CHECK((*popped)[1].score == 2);
  CHECK(ops.Pop("missing", false, 1).status() == ordis::OpStatus::kNotFound);
  std::vector<std::string_view> keys{"missing", "z"};
  auto first = ops.PopFirst(keys, false, 5);
  REQUIRE(first.ok());
  CHECK(first->key_index == 1);
  REQUIRE(first->items.size() == 1);
  CHECK(first->items[0].member == "a");
  CHECK_FALSE(Exists(t, "z"));
  CHECK(ops.PopFirst(keys, false, 1).status() == ordis::OpStatus::kNotFound);
}

TEST_CASE("ZRANDMEMBER", "[zsets]") {
  TestServer t;
  std::string enc = PickEncoding(t);
  t.Run({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"});
  std::set<std::string> all{"a", "b", "c", "d", "e"};
  CHECK(all.count(t.Run({"ZRANDMEMBER", "z"}).str) == 1);
  CHECK(t.Run({"ZRANDMEMBER", "missing"}).is_null());
  CHECK(t.Run({"ZRANDMEMBER", "missing", "3"}).size() == 0);
  CHECK(t.Run({"ZRANDMEMBER", "z", "0"}).size() == 0);
  // Positive counts: distinct members.
  for (int count : {1, 2, 3, 4, 5, 10}) {
    V got = t.Run({"ZRANDMEMBER", "z", std::to_string(count)}).strings();
    std::set<std::string> uniq(got.begin(), got.end());
    CHECK(got.size() == std::min<size_t>(count, 5));
    CHECK(uniq.size() == got.size());
    for (const auto& m : got) CHECK(all.count(m) == 1);
  }
  // The whole set comes highest score first, as Redis's iterator walks.
  CHECK(t.Run({"ZRANDMEMBER", "z", "5"}).strings() == V{"e", "d", "c", "b", "a"});
  // Negative counts repeat; over many draws every member shows up.
  V rep = t.Run({"ZRANDMEMBER", "z", "-200"}).strings();
  CHECK(rep.size() == 200);
  CHECK(std::set<std::string>(rep.begin(), rep.end()) == all);
  V ws = t.Run({"ZRANDMEMBER", "z", "-3", "withscores"}).strings();
  REQUIRE(ws.size() == 6);
  for (size_t i = 0; i < ws.size(); i += 2) CHECK(t.Run({"ZSCORE", "z", ws[i]}) == ws[i + 1]);
  CHECK(t.Run({"ZRANDMEMBER", "z", "1", "foo"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZRANDMEMBER", "z", "x"}).is_error("ERR value is not an integer or out of range"));
  CHECK(t.Run({"ZRANDMEMBER", "z", "-9223372036854775808"})
            .is_error("ERR value is out of range, value must between -9223372036854775807 and "
                      "9223372036854775807"));
  CHECK(t.Run({"ZRANDMEMBER", "z", "-9223372036854770000", "withscores"})
            .is_error("ERR value is out of range"));
  t.Run({"SET", "str", "x"});
  CHECK(t.Run({"ZRANDMEMBER", "str", "1"}).is_error(kWrongType));
  UseResp3(t);
  RespValue pairs = t.Run({"ZRANDMEMBER", "z", "2", "withscores"});
  REQUIRE(pairs.size() == 2);
  CHECK(pairs[0].size() == 2);
  CHECK(pairs[0][1].type == RespValue::kDouble);
  CHECK(EncodingOf(t, "z") == enc);
}

TEST_CASE("ZSCAN", "[zsets]") {
  TestServer t;
  std::string enc = PickEncoding(t);
  std::map<std::string, std::string> want;
  for (int i = 0; i < 100; ++i) {
    std::string m = "m" + std::to_string(i);
    t.Run({"ZADD", "z", std::to_string(i) + ".5", m});
    want[m] = std::to_string(i) + ".5";
  }
  // Iterate to the end: every member once at least, scores as text.
  std::map<std::string, std::string> got;
  std::string cursor = "0";
  int calls = 0;
  do {
    RespValue r = t.Run({"ZSCAN", "z", cursor, "COUNT", "10"});
    REQUIRE(r.size() == 2);
    cursor = r[0].str;
    V items = r[1].strings();
    REQUIRE(items.size() % 2 == 0);
    for (size_t i = 0; i < items.size(); i += 2) got[items[i]] = items[i + 1];
    ++calls;
  } while (cursor != "0" && calls < 1000);
  CHECK(got == want);
  if (enc == "listpack") {
    t.Run({"CONFIG", "SET", "zset-max-listpack-entries", "128"});
  }
  // MATCH filters on members.
  RespValue small = t.Run({"ZADD", "s", "1", "foo", "-inf", "bar", "0.1", "baz"});
  RespValue m = t.Run({"ZSCAN", "s", "0", "MATCH", "ba*"});
  V items = m[1].strings();
  std::map<std::string, std::string> pairs;
  for (size_t i = 0; i < items.size(); i += 2) pairs[items[i]] = items[i + 1];
  CHECK(pairs ==
        std::map<std::string, std::string>{{"bar", "-inf"}, {"baz", "0.10000000000000001"}});
  CHECK(t.Run({"ZSCAN", "missing", "0"}).strings().at(0) == "0");
  CHECK(t.Run({"ZSCAN", "missing", "0", "bogus"})[1].size() == 0);
  CHECK(t.Run({"ZSCAN", "s", "0", "COUNT", "0"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZSCAN", "s", "0", "TYPE", "zset"}).is_error("ERR syntax error"));
  CHECK(t.Run({"ZSCAN", "s", "0", "COUNT", "x"})
            .is_error("ERR value is not an integer or out of range"));
  CHECK(t.Run({"ZSCAN", "s", "x"}).is_error("ERR invalid cursor"));
  t.Run({"SET", "str", "x"});
  CHECK(t.Run({"ZSCAN", "str", "0", "bogus"}).is_error(kWrongType));
}

TEST_CASE("ZSetObject range removals match an ordered model", "[zsets]") {
  bool big = GENERATE(false, true);
  std::mt19937_64 rng(big ? 11 : 13);
  for (int round = 0; round < 50; ++round) {
    ordis::ZSetObject z(big);
    std::set<std::pair<double, std::string>> order;
    ordis::ZAddFlags nx;
    nx.nx = true;  // a member keeps its first score, as in the model
    for (int i = 0; i < 60; ++i) {
      std::string m = "m" + std::to_string(rng() % 100);
      double s = static_cast<double>(rng() % 20), out;
      if (z.Add(s, m, nx, 1 << 20, 64, &out) == ordis::kZAdded) order.insert({s, m});
    }
    std::vector<std::pair<double, std::string>> model(order.begin(), order.end());
    switch (round % 3) {
      case 0: {
        uint64_t a = rng() % model.size(), b = a + rng() % (model.size() - a);
        CHECK(z.RemoveRangeByRank(a, b) == b - a + 1);
        model.erase(model.begin() + static_cast<int64_t>(a),
                    model.begin() + static_cast<int64_t>(b) + 1);
        break;
      }
      case 1: {
        ordis::ZScoreRange r;
        r.min = static_cast<double>(rng() % 20);
        r.max = r.min + static_cast<double>(rng() % 6);
        r.maxex = rng() % 2;
        uint64_t n = z.CountByScore(r);
        CHECK(z.RemoveRangeByScore(r) == n);
        std::erase_if(model, [&](const auto& p) { return r.GteMin(p.first) && r.LteMax(p.first); });
        break;
      }
      default: {
        ordis::ZScoreRange r;
        r.min = r.max = static_cast<double>(rng() % 20);
        std::vector<ordis::ZScored> popped;
        z.PopEnds(round % 2, 5, &popped);
        REQUIRE(popped.size() == 5);
        for (const auto& p : popped) {
          auto it = round % 2 ? model.end() - 1 : model.begin();
          CHECK(p.member == it->second);
          model.erase(it);
        }
        break;
      }
    }
    REQUIRE(z.size() == model.size());
    for (size_t i = 0; i < model.size(); ++i) {
      ordis::ZRangeItem it = z.At(i);
      CHECK(it.member == model[i].second);
      CHECK(it.score == model[i].first);
    }
  }
}
