// RequestParser: every malformed-input case, incremental input, limits.
#include "resp/request_parser.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using ordis::ParserLimits;
using ordis::RequestParser;
using R = RequestParser::Result;

namespace {

struct Parsed {
  R result;
  std::vector<std::string> args;
  size_t consumed = 0;
  std::string error;
};

Parsed ParseOnce(RequestParser& p, const std::string& in) {
  Parsed out;
  out.result = p.Parse(in.data(), in.size(), &out.consumed);
  for (auto a : p.args()) out.args.emplace_back(a);
  out.error = p.error();
  return out;
}

Parsed ParseOnce(const std::string& in, ParserLimits limits = {}) {
  RequestParser p(limits);
  return ParseOnce(p, in);
}

}  // namespace

TEST_CASE("multibulk request", "[resp]") {
  auto r = ParseOnce("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
  REQUIRE(r.result == R::kCommand);
  CHECK(r.args == std::vector<std::string>{"GET", "k"});
  CHECK(r.consumed == 20);
}

TEST_CASE("binary-safe bulk with CR LF and NUL inside", "[resp]") {
  std::string v("a\r\n\0b", 5);
  auto r = ParseOnce("*2\r\n$4\r\nECHO\r\n$5\r\n" + v + "\r\n");
  REQUIRE(r.result == R::kCommand);
  CHECK(r.args[1] == v);
}

TEST_CASE("empty bulk argument", "[resp]") {
  auto r = ParseOnce("*2\r\n$3\r\nGET\r\n$0\r\n\r\n");
  REQUIRE(r.result == R::kCommand);
  CHECK(r.args[1].empty());
}

TEST_CASE("pipelined requests are parsed one at a time", "[resp]") {
  std::string in = "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\nPING\r\n";
  RequestParser p;
  size_t pos = 0;
  int n = 0;
  while (pos < in.size()) {
    size_t consumed;
    REQUIRE(p.Parse(in.data() + pos, in.size() - pos, &consumed) == R::kCommand);
    REQUIRE(p.args().size() == 1);
    CHECK(p.args()[0] == "PING");
    pos += consumed;
    ++n;
  }
  CHECK(n == 3);
}

TEST_CASE("every split point of a request needs more input, then completes", "[resp]") {
  std::string in = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
  for (size_t cut = 1; cut < in.size(); ++cut) {
    RequestParser p;
    size_t consumed = 99;
    INFO("cut at " << cut);
    REQUIRE(p.Parse(in.data(), cut, &consumed) == R::kNeedMore);
    CHECK(consumed == 0);
    // The caller passes the same prefix again plus the rest.
    REQUIRE(p.Parse(in.data(), in.size(), &consumed) == R::kCommand);
    CHECK(consumed == in.size());
    CHECK(p.args().size() == 3);
    CHECK(p.args()[2] == "value");
  }
}

TEST_CASE("bulk_hint announces a large argument", "[resp]") {
  RequestParser p;
  std::string in = "*2\r\n$3\r\nSET\r\n$100000\r\nabc";
  size_t consumed;
  REQUIRE(p.Parse(in.data(), in.size(), &consumed) == R::kNeedMore);
  CHECK(p.bulk_hint() == std::string("*2\r\n$3\r\nSET\r\n$100000\r\n").size() + 100002);
}

TEST_CASE("empty and negative multibulk counts are empty requests", "[resp]") {
  for (std::string in : {"*0\r\n", "*-1\r\n", "*-10\r\n"}) {
    auto r = ParseOnce(in);
    CHECK(r.result == R::kCommand);
    CHECK(r.args.empty());
    CHECK(r.consumed == in.size());
  }
}

TEST_CASE("malformed multibulk count", "[resp]") {
  for (std::string in :
       {"*3000000000\r\n", "*abc\r\n", "*1a\r\n", "*\r\n", "* 1\r\n", "*+1\r\n", "*01\r\n"}) {
    auto r = ParseOnce(in);
    INFO(in);
    CHECK(r.result == R::kError);
    CHECK(r.error == "Protocol error: invalid multibulk length");
  }
}

TEST_CASE("malformed bulk length", "[resp]") {
  for (std::string len : {"-10", "2000000000000", "blabla", "", "1.5", "-0"}) {
    auto r = ParseOnce("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$" + len + "\r\n");
    INFO(len);
    CHECK(r.result == R::kError);
    CHECK(r.error == "Protocol error: invalid bulk length");
  }
}

TEST_CASE("bulk length above proto-max-bulk-len is rejected at the header", "[resp]") {
  ParserLimits lim;
  lim.max_bulk_len = 1024 * 1024;
  auto r = ParseOnce("*2\r\n$3\r\nSET\r\n$1048577\r\n", lim);
  CHECK(r.result == R::kError);
  CHECK(r.error == "Protocol error: invalid bulk length");
  r = ParseOnce("*2\r\n$3\r\nSET\r\n$1048576\r\n", lim);
  CHECK(r.result == R::kNeedMore);
  // 600 MB against the default 512 MB limit.
  r = ParseOnce("*2\r\n$3\r\nSET\r\n$629145600\r\n");
  CHECK(r.result == R::kError);
}

TEST_CASE("wrong type byte where a bulk is expected", "[resp]") {
  auto r = ParseOnce("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n");
  CHECK(r.result == R::kError);
  CHECK(r.error == "Protocol error: expected '$', got 'f'");
  r = ParseOnce("*1\r\n:1\r\n");
  CHECK(r.error == "Protocol error: expected '$', got ':'");
}

TEST_CASE("too big count strings and inline requests", "[resp]") {
  ParserLimits lim;
  lim.max_inline_len = 64;
  CHECK(ParseOnce("*" + std::string(100, '1'), lim).error ==
        "Protocol error: too big mbulk count string");
  CHECK(ParseOnce("*1\r\n$" + std::string(100, '1'), lim).error ==
        "Protocol error: too big bulk count string");
  CHECK(ParseOnce(std::string(100, 'A'), lim).error == "Protocol error: too big inline request");
  // Within the limit, an unterminated line simply needs more input.
  CHECK(ParseOnce(std::string(10, 'A'), lim).result == R::kNeedMore);
}

TEST_CASE("NUL and junk bytes never crash and end in an error or need-more", "[resp]") {
  ParserLimits lim;
  lim.max_inline_len = 1024;
  for (std::string seq : {std::string("\0", 1), std::string("*\0", 2), std::string("$\0", 2)}) {
    std::string in = seq + std::string(2000, 'A');
    auto r = ParseOnce(in, lim);
    CHECK(r.result == R::kError);
  }
}

TEST_CASE("inline commands", "[resp]") {
  auto r = ParseOnce("SET k \"hello world\"\r\n");
  REQUIRE(r.result == R::kCommand);
  CHECK(r.args == std::vector<std::string>{"SET", "k", "hello world"});
  r = ParseOnce("ping\n");
  REQUIRE(r.result == R::kCommand);
  CHECK(r.args == std::vector<std::string>{"ping"});
  CHECK(r.consumed == 5);
  r = ParseOnce("set k \"\\x41\\n\" 'it\\'s'\r\n");
  CHECK(r.args == std::vector<std::string>{"set", "k", "A\n", "it's"});
  r = ParseOnce("\r\n");
  CHECK(r.result == R::kCommand);
  CHECK(r.args.empty());
}

TEST_CASE("unbalanced quotes in an inline command", "[resp]") {
  for (std::string in : {"set \"\"\"test-key\"\"\" test-value\r\n", "set \"k v\r\n", "set 'k\r\n",
                         "set \"a\"b\r\n"}) {
    auto r = ParseOnce(in);
    INFO(in);
    CHECK(r.result == R::kError);
    CHECK(r.error == "Protocol error: unbalanced quotes in request");
  }
}

TEST_CASE("unauthenticated limits", "[resp]") {
  ParserLimits lim;
  lim.unauthenticated = true;
  std::string many = "*11\r\n";
  CHECK(ParseOnce(many, lim).error == "Protocol error: unauthenticated multibulk length");
  CHECK(ParseOnce("*2\r\n$4\r\nAUTH\r\n$16385\r\n", lim).error ==
        "Protocol error: unauthenticated bulk length");
  CHECK(ParseOnce("*2\r\n$4\r\nAUTH\r\n$3\r\npwd\r\n", lim).result == R::kCommand);
}

TEST_CASE("a million arguments parse incrementally", "[resp]") {
  const int n = 1000000;
  std::string in = "*" + std::to_string(n) + "\r\n";
  for (int i = 0; i < n; ++i) in += "$1\r\nk\r\n";
  RequestParser p;
  size_t consumed;
  // Feed in growing prefixes, as a socket would.
  size_t step = in.size() / 7;
  for (size_t len = step; len < in.size(); len += step)
    REQUIRE(p.Parse(in.data(), len, &consumed) == R::kNeedMore);
  REQUIRE(p.Parse(in.data(), in.size(), &consumed) == R::kCommand);
  CHECK(p.args().size() == static_cast<size_t>(n));
  CHECK(consumed == in.size());
}
