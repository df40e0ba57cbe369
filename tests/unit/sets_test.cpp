// Set commands against Redis 7.0.15's replies and error texts, the
// intset/hashtable encoding rules, and SetObject directly.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "harness.h"
#include "kv/set_type.h"

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

V Sorted(const RespValue& v) {
  V out = v.strings();
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("SADD/SREM/SCARD/SISMEMBER basics", "[sets]") {
  TestServer t;
  CHECK(t.Run({"SADD", "s", "a", "b", "a"}) == 2);
  CHECK(t.Run({"SADD", "s", "b", "c"}) == 1);
  CHECK(t.Run({"SCARD", "s"}) == 3);
  CHECK(t.Run({"SCARD", "missing"}) == 0);
  CHECK(t.Run({"SISMEMBER", "s", "a"}) == 1);
  CHECK(t.Run({"SISMEMBER", "s", "z"}) == 0);
  CHECK(t.Run({"SISMEMBER", "missing", "a"}) == 0);
  CHECK(t.Run({"SMISMEMBER", "s", "a", "z", "c"}).strings() == V{"1", "0", "1"});
  CHECK(t.Run({"SMISMEMBER", "missing", "a", "b"}).strings() == V{"0", "0"});
  CHECK(t.Run({"SREM", "s", "a", "z"}) == 1);
  CHECK(t.Run({"SREM", "missing", "a"}) == 0);
  CHECK(Sorted(t.Run({"SMEMBERS", "s"})) == V{"b", "c"});
  CHECK(t.Run({"SREM", "s", "b", "c", "x"}) == 2);
  CHECK_FALSE(Exists(t, "s"));
  CHECK(t.Run({"SMEMBERS", "s"}).size() == 0);
}

TEST_CASE("Integer sets are intsets until a limit or a non-integer", "[sets]") {
  TestServer t;
  t.Run({"SADD", "s", "3", "-1", "2"});
  CHECK(EncodingOf(t, "s") == "intset");
  // An intset lists its members in ascending order.
  CHECK(t.Run({"SMEMBERS", "s"}).strings() == V{"-1", "2", "3"});
  t.Run({"SADD", "s", "x"});
  CHECK(EncodingOf(t, "s") == "hashtable");
  // Never converts back.
  t.Run({"SREM", "s", "x"});
  CHECK(EncodingOf(t, "s") == "hashtable");
  CHECK(Sorted(t.Run({"SMEMBERS", "s"})) == V{"-1", "2", "3"});

  // Non-canonical integers are strings.
  for (const char* m : {"01", "+1", " 1", "1.0", "9223372036854775808", ""}) {
    t.server().keyspace().db(0).Delete("n");
    t.Run({"SADD", "n", m});
    INFO(m);
    CHECK(EncodingOf(t, "n") == "hashtable");
  }
  t.Run({"SADD", "edge", "9223372036854775807", "-9223372036854775808", "0"});
  CHECK(EncodingOf(t, "edge") == "intset");
  CHECK(t.Run({"SISMEMBER", "edge", "-9223372036854775808"}) == 1);
  CHECK(t.Run({"SISMEMBER", "edge", "00"}) == 0);
  CHECK(t.Run({"SISMEMBER", "edge", "abc"}) == 0);
  CHECK(t.Run({"SREM", "edge", "abc"}) == 0);
}

TEST_CASE("set-max-intset-entries decides the conversion", "[sets]") {
  TestServer t;
  REQUIRE(t.server().config_registry().Set("set-max-intset-entries", "3").empty());
  t.Run({"SADD", "s", "1", "2", "3"});
  CHECK(EncodingOf(t, "s") == "intset");
  t.Run({"SADD", "s", "3"});  // not new: no conversion
  CHECK(EncodingOf(t, "s") == "intset");
  t.Run({"SADD", "s", "4"});
  CHECK(EncodingOf(t, "s") == "hashtable");
  CHECK(t.Run({"SCARD", "s"}) == 4);
  REQUIRE(t.server().config_registry().Set("set-max-intset-entries", "0").empty());
  t.Run({"SADD", "z", "1"});
  CHECK(EncodingOf(t, "z") == "hashtable");
}

TEST_CASE("SMEMBERS is a set under RESP3", "[sets]") {
  TestServer t;
  t.Run({"SADD", "s", "a"});
  CHECK(t.Run({"SMEMBERS", "s"}).type == RespValue::kArray);
  UseResp3(t);
  CHECK(t.Run({"SMEMBERS", "s"}).type == RespValue::kSet);
  CHECK(t.Run({"SMEMBERS", "missing"}).type == RespValue::kSet);
  CHECK(t.Run({"SPOP", "missing", "2"}).type == RespValue::kSet);
  CHECK(t.Run({"SRANDMEMBER", "s", "2"}).type == RespValue::kArray);
  CHECK(t.Run({"SRANDMEMBER", "missing"}).type == RespValue::kNull);
}

TEST_CASE("SRANDMEMBER without and with count", "[sets]") {
  TestServer t;
  CHECK(t.Run({"SRANDMEMBER", "missing"}).type == RespValue::kNull);
  CHECK(t.Run({"SRANDMEMBER", "missing", "3"}).size() == 0);
  for (const char* enc : {"int", "str"}) {
    t.server().keyspace().db(0).Delete("s");
    std::vector<std::string> add = {"SADD", "s"};
    std::set<std::string> all;
    for (int i = 0; i < 20; ++i) {
      std::string m = std::string(enc) == "int" ? std::to_string(i) : "m" + std::to_string(i);
      add.push_back(m);
      all.insert(m);
    }
    t.Run(add);
    INFO(enc);
    CHECK(all.count(t.Run({"SRANDMEMBER", "s"}).str) == 1);
    // Positive counts: distinct members, at most the set.
    for (int count : {1, 5, 15, 19, 20, 100}) {
      V got = t.Run({"SRANDMEMBER", "s", std::to_string(count)}).strings();
      CHECK(got.size() == static_cast<size_t>(std::min(count, 20)));
      std::set<std::string> uniq(got.begin(), got.end());
      CHECK(uniq.size() == got.size());
      for (const auto& m : got) CHECK(all.count(m) == 1);
    }
    // Negative counts: exactly |count| members, repeats allowed.
    V got = t.Run({"SRANDMEMBER", "s", "-50"}).strings();
    CHECK(got.size() == 50);
    for (const auto& m : got) CHECK(all.count(m) == 1);
    CHECK(t.Run({"SRANDMEMBER", "s", "0"}).size() == 0);
    CHECK(t.Run({"SCARD", "s"}) == 20);  // nothing removed
  }
}

TEST_CASE("SRANDMEMBER errors", "[sets]") {
  TestServer t;
  t.Run({"SADD", "s", "a"});
  CHECK(t.Run({"SRANDMEMBER", "s", "x"}).is_error("ERR value is not an integer or out of range"));
  CHECK(t.Run({"SRANDMEMBER", "s", "-9223372036854775808"})
            .is_error("ERR value is out of range, value must between -9223372036854775807 and "
                      "9223372036854775807"));
  CHECK(t.Run({"SRANDMEMBER", "s", "1", "2"}).is_error("ERR syntax error"));
}

TEST_CASE("SPOP without and with count", "[sets]") {
  TestServer t;
  CHECK(t.Run({"SPOP", "missing"}).is_null());
  CHECK(t.Run({"SPOP", "missing", "2"}).size() == 0);
  t.Run({"SADD", "s", "a", "b", "c"});
  std::string first = t.Run({"SPOP", "s"}).str;
  CHECK((first == "a" || first == "b" || first == "c"));
  CHECK(t.Run({"SISMEMBER", "s", first}) == 0);
  CHECK(t.Run({"SPOP", "s", "0"}).size() == 0);
  CHECK(t.Run({"SCARD", "s"}) == 2);
  V rest = t.Run({"SPOP", "s", "5"}).strings();
  CHECK(rest.size() == 2);
  CHECK(std::find(rest.begin(), rest.end(), first) == rest.end());
  CHECK_FALSE(Exists(t, "s"));
  CHECK(t.Run({"SPOP", "s", "-1"}).is_error("ERR value is out of range, must be positive"));
  CHECK(t.Run({"SPOP", "s", "x"}).is_error("ERR value is out of range, must be positive"));
  CHECK(t.Run({"SPOP", "s", "1", "2"}).is_error("ERR syntax error"));
}

TEST_CASE("SPOP with count pops distinct members by either strategy", "[sets]") {
  TestServer t;
  // count 3 of 20 draws one by one; count 18 of 20 keeps 2 and rebuilds.
  for (int count : {3, 18}) {
    for (bool ints : {true, false}) {
      t.server().keyspace().db(0).Delete("s");
      std::vector<std::string> add = {"SADD", "s"};
      for (int i = 0; i < 20; ++i) add.push_back((ints ? "" : "m") + std::to_string(i));
      t.Run(add);
      V popped = t.Run({"SPOP", "s", std::to_string(count)}).strings();
      INFO("count " << count << " ints " << ints);
      CHECK(popped.size() == static_cast<size_t>(count));
      std::set<std::string> uniq(popped.begin(), popped.end());
      CHECK(uniq.size() == popped.size());
      CHECK(t.Run({"SCARD", "s"}) == 20 - count);
      for (const auto& m : popped) CHECK(t.Run({"SISMEMBER", "s", m}) == 0);
      V left = t.Run({"SMEMBERS", "s"}).strings();
      for (const auto& m : left) CHECK(uniq.count(m) == 0);
      CHECK(EncodingOf(t, "s") == (ints ? "intset" : "hashtable"));
    }
  }
}

TEST_CASE("SPOP rebuild starts an intset again when the kept members are integers", "[sets]") {
  TestServer t;
  // 1 string among 20: popping 19 of 20 (rebuild strategy) can keep only
  // integers; the rebuilt set is then an intset, as in Redis.
  bool saw_intset = false;
  for (int round = 0; round < 40 && !saw_intset; ++round) {
    t.server().keyspace().db(0).Delete("s");
    std::vector<std::string> add = {"SADD", "s", "x"};
    for (int i = 0; i < 19; ++i) add.push_back(std::to_string(i));
    t.Run(add);
    REQUIRE(EncodingOf(t, "s") == "hashtable");
    t.Run({"SPOP", "s", "19"});
    REQUIRE(t.Run({"SCARD", "s"}) == 1);
    V left = t.Run({"SMEMBERS", "s"}).strings();
    CHECK(EncodingOf(t, "s") == (left[0] == "x" ? "hashtable" : "intset"));
    saw_intset = left[0] != "x";
  }
  CHECK(saw_intset);
}

TEST_CASE("Set commands refuse other types", "[sets]") {
  TestServer t;
  t.Run({"RPUSH", "l", "a"});
  for (const std::vector<std::string>& cmd : std::vector<std::vector<std::string>>{
           {"SADD", "l", "a"},
           {"SREM", "l", "a"},
           {"SMEMBERS", "l"},
           {"SISMEMBER", "l", "a"},
           {"SMISMEMBER", "l", "a"},
           {"SCARD", "l"},
           {"SRANDMEMBER", "l"},
           {"SRANDMEMBER", "l", "2"},
           {"SPOP", "l"},
           {"SPOP", "l", "2"},
       }) {
    INFO(cmd[0]);
    CHECK(t.Run(cmd).is_error(kWrongType));
  }
  t.Run({"SADD", "s", "a"});
  CHECK(t.Run({"GET", "s"}).is_error(kWrongType));
  CHECK(t.Run({"LPUSH", "s", "a"}).is_error(kWrongType));
}

TEST_CASE("SetObject clone is deep in both encodings", "[sets]") {
  TestServer t;
  t.Run({"SADD", "ints", "1", "2", "3"});
  t.Run({"SADD", "strs", "1", "2", "a"});
  for (const char* key : {"ints", "strs"}) {
    Entry* src = t.server().keyspace().db(0).FindQuiet(key);
    REQUIRE(src);
    Entry* copy = ordis::CloneEntry(src, std::string(key) + "2");
    CHECK(std::string(copy->EncodingName()) == src->EncodingName());
    t.server().keyspace().db(0).Add(copy);
    t.Run({"SREM", key, "1"});
    t.Run({"SADD", key, "new"});
    INFO(key);
    CHECK(t.Run({"SISMEMBER", std::string(key) + "2", "1"}) == 1);
    CHECK(t.Run({"SISMEMBER", std::string(key) + "2", "new"}) == 0);
    t.server().keyspace().db(0).Delete(key);
    CHECK(t.Run({"SCARD", std::string(key) + "2"}) == 3);
    CHECK(copy->MemoryUsage() > 0);
  }
}

TEST_CASE("SetObject keeps members correct across many changes", "[sets]") {
  ordis::SetObject set;
  std::set<std::string> model;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 5000; ++i) {
    std::string m = (rng() % 4 == 0 && i > 2000)
                        ? "s" + std::to_string(rng() % 300)
                        : std::to_string(static_cast<int>(rng() % 600) - 300);
    if (rng() % 3 == 0) {
      CHECK(set.Remove(m) == (model.erase(m) == 1));
    } else {
      CHECK(set.Add(m, 512) == model.insert(m).second);
    }
  }
  CHECK(set.size() == model.size());
  std::set<std::string> seen;
  set.ForEach([&](std::string_view m) { seen.emplace(m); });
  CHECK(seen == model);
  for (const auto& m : model) CHECK(set.Contains(m));
  CHECK_FALSE(set.Contains("nope"));
}

TEST_CASE("VisitElements visits every set member", "[sets]") {
  TestServer t;
  t.Run({"SADD", "s", "b", "a", "3"});
  std::set<std::string> seen;
  ordis::VisitElements(t.server().keyspace().db(0).FindQuiet("s"),
                       [&](std::string_view a, std::string_view) { seen.emplace(a); });
  CHECK(seen == std::set<std::string>{"3", "a", "b"});
}
