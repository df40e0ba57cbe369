#include "util/strutil.h"

#include <catch2/catch.hpp>

using namespace ordis;

TEST_CASE("ParseInt64 is as strict as Redis's string2ll", "[util]") {
  int64_t v;
  CHECK(ParseInt64("0", &v));
  CHECK(v == 0);
  CHECK(ParseInt64("-9223372036854775808", &v));
  CHECK(v == INT64_MIN);
  CHECK(ParseInt64("9223372036854775807", &v));
  CHECK_FALSE(ParseInt64("9223372036854775808", &v));
  CHECK_FALSE(ParseInt64("-9223372036854775809", &v));
  for (const char* bad : {"", "-", "+1", "01", "-0", " 1", "1 ", "1a", "0x10", "1e3"})
    CHECK_FALSE(ParseInt64(bad, &v));
}

TEST_CASE("GlobMatch follows Redis's stringmatch", "[util]") {
  CHECK(GlobMatch("*", ""));
  CHECK(GlobMatch("h?llo", "hello"));
  CHECK(GlobMatch("h*llo", "heeeello"));
  CHECK(GlobMatch("h[ae]llo", "hallo"));
  CHECK_FALSE(GlobMatch("h[ae]llo", "hillo"));
  CHECK(GlobMatch("h[^e]llo", "hallo"));
  CHECK_FALSE(GlobMatch("h[^e]llo", "hello"));
  CHECK(GlobMatch("h[a-b]llo", "hbllo"));
  CHECK(GlobMatch("h\\*llo", "h*llo"));
  CHECK_FALSE(GlobMatch("h\\*llo", "hello"));
  CHECK(GlobMatch("KEY*", "key1", true));
  CHECK_FALSE(GlobMatch("KEY*", "key1", false));
  // Nested stars stay fast on long non-matching input.
  std::string s(5000, 'a');
  CHECK_FALSE(GlobMatch("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", s));
}

TEST_CASE("SplitArgs handles quoting like sdssplitargs", "[util]") {
  auto a = SplitArgs("set \"a b\" 'c d' e\\x");
  REQUIRE(a);
  CHECK(*a == std::vector<std::string>{"set", "a b", "c d", "e\\x"});
  CHECK_FALSE(SplitArgs("\"unterminated"));
  CHECK_FALSE(SplitArgs("\"a\"b"));
  CHECK(SplitArgs("   ")->empty());
}

TEST_CASE("ParseMemory units", "[util]") {
  int64_t v;
  CHECK(ParseMemory("1gb", &v));
  CHECK(v == 1024LL * 1024 * 1024);
  CHECK(ParseMemory("512MB", &v));
  CHECK(v == 512LL * 1024 * 1024);
  CHECK(ParseMemory("100k", &v));
  CHECK(v == 100000);
  CHECK(ParseMemory("42", &v));
  CHECK(v == 42);
  CHECK_FALSE(ParseMemory("-1mb", &v));
  CHECK_FALSE(ParseMemory("abc", &v));
}

TEST_CASE("GlobMatch gives up past 1000 star groups, as Redis does", "[util]") {
  std::string key(50000, 'a');
  std::string deep;
  for (int i = 0; i < 50000; ++i) deep += "*?";
  CHECK_FALSE(GlobMatch(deep, key));  // Redis: nesting limit, no match
  std::string ok;
  for (int i = 0; i < 1000; ++i) ok += "*?";
  CHECK(GlobMatch(ok, key));  // 1000 groups are still within the limit
  CHECK(GlobMatch(ok + "*", key));
  std::string over = ok + "*?";
  CHECK_FALSE(GlobMatch(over, key));
  std::string stars(100000, '*');
  CHECK(GlobMatch(stars, key));  // one group
}
