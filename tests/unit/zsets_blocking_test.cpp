// BZPOPMIN, BZPOPMAX, BZMPOP against Redis 7.0.15's replies: at once when
// a sorted set has members, else blocked until a write fills one.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "harness.h"
#include "server/blocking.h"

using ordis::test::RespValue;
using ordis::test::TestServer;
using V = std::vector<std::string>;

namespace {

bool NoReply(const RespValue& v) {
  return v.type == RespValue::kNull && v.str == "(no reply)";
}

}  // namespace

TEST_CASE("BZPOPMIN/BZPOPMAX pop at once or block until ZADD", "[zsets][blocking]") {
  TestServer t;
  t.Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  CHECK(t.Run({"BZPOPMIN", "nokey", "z", "0"}).strings() == V{"z", "a", "1"});
  CHECK(t.Run({"BZPOPMAX", "z", "0"}).strings() == V{"z", "c", "3"});
  t.Run({"SET", "s", "v"});
  CHECK(t.Run({"BZPOPMIN", "s", "0"}).is_error("WRONGTYPE*"));
  CHECK(t.Run({"BZPOPMIN", "z", "-1"}).is_error("ERR timeout is negative"));
  CHECK(NoReply(t.RunOn(1, {"BZPOPMAX", "q", "0"})));
  CHECK(NoReply(t.RunOn(2, {"BZMPOP", "0", "2", "r", "q", "MIN", "COUNT", "5"})));
  t.Run({"ZADD", "q", "1", "x", "2", "y", "3", "w"});
  CHECK(t.Drain(1).at(0).strings() == V{"q", "w", "3"});
  RespValue m = t.Drain(2).at(0);
  CHECK(m[0] == "q");
  REQUIRE(m[1].size() == 2);
  CHECK(m[1][0].strings() == V{"x", "1"});
  CHECK(m[1][1].strings() == V{"y", "2"});
  // A list does not wake a client waiting for a sorted set.
  CHECK(NoReply(t.RunOn(1, {"BZPOPMIN", "k", "0"})));
  t.Run({"RPUSH", "k", "a"});
  CHECK(t.Drain(1).empty());
  CHECK(t.server().blocking().blocked_count() == 1);
}

TEST_CASE("BZMPOP argument errors and MULTI", "[zsets][blocking]") {
  TestServer t;
  CHECK(t.Run({"BZMPOP", "0", "0", "z", "MIN"}).is_error("ERR numkeys should be greater than 0"));
  CHECK(t.Run({"BZMPOP", "0", "1", "z", "MIDDLE"}).is_error("ERR syntax error"));
  CHECK(t.Run({"BZMPOP", "0", "1", "z", "MIN", "COUNT", "0"})
            .is_error("ERR count should be greater than 0"));
  CHECK(t.Run({"BZMPOP", "x", "1", "z", "MIN"})
            .is_error("ERR timeout is not a float or out of range"));
  CHECK(t.Run({"COMMAND", "GETKEYS", "BZMPOP", "0", "2", "a", "b", "MIN"}).strings() ==
        V{"a", "b"});
  t.Run({"MULTI"});
  t.Run({"BZPOPMIN", "z", "0"});
  t.Run({"BZMPOP", "0", "1", "z", "MAX"});
  RespValue r = t.Run({"EXEC"});
  REQUIRE(r.size() == 2);
  CHECK(r[0].type == RespValue::kNullArray);
  CHECK(r[1].type == RespValue::kNullArray);
}
