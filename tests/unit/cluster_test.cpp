#include <catch2/catch.hpp>

#include "harness.h"

using ordis::test::TestServer;

TEST_CASE("CLUSTER answers as a standalone redis-server does", "[cluster]") {
  TestServer t;
  CHECK(t.Run({"CLUSTER", "INFO"}).is_error("ERR This instance has cluster support disabled"));
  CHECK(t.Run({"cluster", "help"}).is_error("ERR This instance has cluster support disabled"));
  CHECK(t.Run({"CLUSTER", "KEYSLOT", "k"})
            .is_error("ERR This instance has cluster support disabled"));
  // The subcommand and arity checks come first, with Redis's wording.
  CHECK(t.Run({"CLUSTER", "foo"}).is_error("ERR unknown subcommand 'foo'. Try CLUSTER HELP."));
  CHECK(t.Run({"CLUSTER", "KEYSLOT", "a", "b"})
            .is_error("ERR wrong number of arguments for 'cluster|keyslot' command"));
  CHECK(t.Run({"CLUSTER"}).is_error("ERR wrong number of arguments for 'cluster' command"));
}

TEST_CASE("CLUSTER subcommands are in the command table", "[cluster]") {
  TestServer t;
  auto info = t.Run({"COMMAND", "INFO", "cluster|replicas"});
  REQUIRE(info.size() == 1);
  REQUIRE(info[0].size() == 10);
  CHECK(info[0][0] == "cluster|replicas");
  CHECK(info[0][1] == 3);
  CHECK(info[0][2].strings() == std::vector<std::string>{"admin", "stale"});
  auto names = t.Run({"COMMAND", "LIST", "FILTERBY", "PATTERN", "cl*help"}).strings();
  CHECK(std::find(names.begin(), names.end(), "cluster|help") != names.end());
  CHECK(std::find(names.begin(), names.end(), "client|help") != names.end());
}
