// Malformed and extreme requests over real sockets. Every case checks
// Redis's exact reply, that the offending connection is closed when Redis
// closes it, that nothing sent after the bad bytes runs, and (Witness) that
// the server, its other clients and its keys are unharmed.
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <thread>

#include "fixture.h"

using namespace ordis::it;

namespace {

struct BadInput {
  const char* what;
  std::string bytes;
  const char* error;  // without the leading '-'
};

std::vector<BadInput> BadInputs() {
  return {
      {"huge multibulk count", "*3000000000\r\n", "ERR Protocol error: invalid multibulk length"},
      {"multibulk count over INT_MAX", "*2147483648\r\n",
       "ERR Protocol error: invalid multibulk length"},
      {"non-numeric multibulk count", "*abc\r\n", "ERR Protocol error: invalid multibulk length"},
      {"signed multibulk count", "*+1\r\n$4\r\nPING\r\n",
       "ERR Protocol error: invalid multibulk length"},
      {"empty multibulk count", "*\r\n", "ERR Protocol error: invalid multibulk length"},
      {"negative bulk length", "*1\r\n$-1\r\n", "ERR Protocol error: invalid bulk length"},
      {"very negative bulk length", "*2\r\n$3\r\nGET\r\n$-100\r\n",
       "ERR Protocol error: invalid bulk length"},
      {"bulk length over proto-max-bulk-len", "*1\r\n$9999999999\r\n",
       "ERR Protocol error: invalid bulk length"},
      {"bulk length overflowing int64", "*1\r\n$99999999999999999999\r\n",
       "ERR Protocol error: invalid bulk length"},
      {"non-numeric bulk length", "*1\r\n$abc\r\n", "ERR Protocol error: invalid bulk length"},
      {"empty bulk length", "*1\r\n$\r\n", "ERR Protocol error: invalid bulk length"},
      {"wrong type byte", "*1\r\nfoo\r\n", "ERR Protocol error: expected '$', got 'f'"},
      {"integer instead of bulk", "*2\r\n$3\r\nGET\r\n:1\r\n",
       "ERR Protocol error: expected '$', got ':'"},
      {"unbalanced double quote", "set \"foo bar\r\n",
       "ERR Protocol error: unbalanced quotes in request"},
      {"unbalanced single quote", "ECHO 'a\r\n",
       "ERR Protocol error: unbalanced quotes in request"},
      {"text after closing quote", "ECHO \"a\"b\r\n",
       "ERR Protocol error: unbalanced quotes in request"},
      {"inline request over 64KB", std::string(70000, 'a'),
       "ERR Protocol error: too big inline request"},
      {"multibulk count string over 64KB", "*" + std::string(70000, '1'),
       "ERR Protocol error: too big mbulk count string"},
      {"bulk count string over 64KB", "*1\r\n$" + std::string(70000, '1'),
       "ERR Protocol error: too big bulk count string"},
  };
}

// Waits until the server has surely processed earlier closes, then checks
// that key is absent.
void CheckAbsent(Redis& r, const std::string& key) {
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(r.Cmd({"GET", key}).is_null());
}

}  // namespace

TEST_CASE("negative and zero multibulk counts are empty requests", "[protocol]") {
  ServerProcess srv;
  Witness w(srv);
  RawConn c(srv.port());
  // Redis skips "*-10" (and "*0", "*-1") without a reply; the connection
  // stays usable.
  REQUIRE(c.Send("*-10\r\n"));
  REQUIRE(c.Send("PING\r\n"));
  CHECK(c.Read() == "PONG");
  REQUIRE(c.Send("*0\r\n*-1\r\n" + Resp({"PING"}) + "\r\n\r\n" + Resp({"ECHO", "x"})));
  CHECK(c.Read() == "PONG");
  CHECK(c.Read() == "x");
  w.Verify();
}

TEST_CASE("protocol errors get Redis's reply and close only that client", "[protocol]") {
  ServerProcess srv;
  Witness w(srv);
  Redis other(srv.port());
  int i = 0;
  for (const BadInput& bad : BadInputs()) {
    INFO(bad.what);
    std::string before = "before:" + std::to_string(i), after = "after:" + std::to_string(i);
    ++i;
    RawConn c(srv.port());
    // A good command in the same write runs; whatever follows the bad
    // bytes never does.
    // (Oversized lines get nothing after them: a newline within reach would
    // turn them into ordinary parse errors.)
    bool oversized = bad.bytes.size() > 65536;
    std::string tail = oversized ? "" : "\r\n" + Resp({"SET", after, "1"});
    bool sent = c.Send(Resp({"SET", before, "1"}) + bad.bytes + tail);
    CHECK((sent || oversized));
    CHECK(c.Read() == "OK");
    Reply r = c.Read();
    CHECK(r.is_error(bad.error));
    CHECK(c.WaitClosed());
    CHECK(other.Cmd({"GET", before}) == "1");
    CHECK(other.Cmd({"GET", after}).is_null());
  }
  w.Verify();
}

TEST_CASE("trailing bytes of a bulk are not checked, as in Redis", "[protocol]") {
  ServerProcess srv;
  RawConn c(srv.port());
  // Redis skips the two bytes after a bulk without looking at them.
  REQUIRE(c.Send("*1\r\n$4\r\nPINGxxPING\r\n"));
  CHECK(c.Read() == "PONG");
  CHECK(c.Read() == "PONG");
  // Bare "\n" ends an inline request.
  REQUIRE(c.Send("PING\n\nPING\n"));
  CHECK(c.Read() == "PONG");
  CHECK(c.Read() == "PONG");
}

TEST_CASE("NUL bytes are data in bulk strings", "[protocol]") {
  ServerProcess srv;
  Witness w(srv);
  Redis r(srv.port());
  std::string key("k\0ey", 4), value("\0v\0\r\n\0", 6), zeros(100000, '\0');
  CHECK(r.Cmd({"SET", key, value}) == "OK");
  CHECK(r.Cmd({"SET", "k", "plain"}) == "OK");
  CHECK(r.Cmd({"SET", std::string("\0", 1), zeros}) == "OK");
  CHECK(r.Cmd({"GET", key}) == value);
  CHECK(r.Cmd({"GET", "k"}) == "plain");
  CHECK(r.Cmd({"GET", std::string("k\0", 2)}).is_null());
  CHECK(r.Cmd({"GET", std::string("\0", 1)}) == zeros);
  RawConn c(srv.port());
  REQUIRE(c.Send(Resp({"ECHO", std::string("a\0b", 3)})));
  CHECK(c.Read() == std::string("a\0b", 3));
  // NUL inside inline requests and header lines: Redis's C-string scans
  // stop at the NUL (it waits for more input); whatever the server does,
  // it must survive and keep its keys.
  for (std::string bytes :
       {std::string("PING\0x\r\n", 8), std::string("*1\0\r\n", 5),
        std::string("*1\r\n$4\0\r\nPING\r\n", 15), std::string("\0\0\0\0\r\n", 6)}) {
    RawConn n(srv.port());
    REQUIRE(n.Send(bytes));
    n.Read(200);
  }
  CHECK(r.Cmd({"GET", key}) == value);
  w.Verify();
}

TEST_CASE("a connection closed mid-command never runs it", "[protocol]") {
  ServerProcess srv;
  Witness w(srv);
  const std::vector<std::string> partial = {
      "*3\r\n",
      "*3\r\n$3\r\nSET\r\n$5\r\nhalf2\r\n$1",
      "*3\r\n$3\r\nSET\r\n$5\r\nhalf3\r\n$100\r\n" + std::string(50, 'v'),
      "*3\r\n$3\r\nSET\r\n$5\r\nhalf4\r\n$100\r\n" + std::string(100, 'v'),  // no CRLF
      "*3\r\n$3\r\nSET\r\n$5\r\nhalf5\r\n$2000000\r\n" + std::string(1000000, 'v'),
      "*3\r\n$3\r\nSET\r\n$3\r\nhal",
      "SET half7 v",  // inline without newline
  };
  for (int abort = 0; abort < 2; ++abort) {
    for (const std::string& bytes : partial) {
      RawConn c(srv.port());
      REQUIRE(c.Send(bytes));
      if (abort) {
        c.Abort();  // RST
      } else {
        c.Close();  // FIN
      }
    }
  }
  Redis r(srv.port());
  for (const char* key : {"half2", "half3", "half4", "half5", "half7", "hal"}) {
    INFO(key);
    CheckAbsent(r, key);
  }
  w.Verify();
}

TEST_CASE("thousands of commands in one write are answered in order", "[protocol][pipeline]") {
  ServerProcess srv;
  Witness w(srv);
  RawConn c(srv.port());
  const int n = 10000;
  std::string pipe;
  for (int i = 0; i < n; ++i) {
    std::string k = "p:" + std::to_string(i), v = "value-" + std::to_string(i * 7);
    // Mix multibulk and inline requests.
    pipe += i % 2 ? Resp({"SET", k, v}) : "SET " + k + " " + v + "\r\n";
  }
  for (int i = 0; i < n; ++i) pipe += Resp({"GET", "p:" + std::to_string(i)});
  pipe += "PING\r\n";
  REQUIRE(c.Send(pipe));
  int ok = 0, right = 0;
  for (int i = 0; i < n; ++i) ok += c.Read() == "OK";
  for (int i = 0; i < n; ++i) right += c.Read() == "value-" + std::to_string(i * 7);
  CHECK(ok == n);
  CHECK(right == n);
  CHECK(c.Read() == "PONG");
  w.Verify();
}

TEST_CASE("an error inside a pipeline answers and continues", "[protocol][pipeline]") {
  ServerProcess srv;
  RawConn c(srv.port());
  REQUIRE(c.Send(Resp({"SET", "a", "1"}) + Resp({"NOSUCHCOMMAND", "x"}) + Resp({"GET"}) +
                 Resp({"GET", "a"})));
  CHECK(c.Read() == "OK");
  CHECK(c.Read().is_error("ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'x' "));
  CHECK(c.Read().is_error("ERR wrong number of arguments for 'get' command"));
  CHECK(c.Read() == "1");
}

TEST_CASE("a request with a million arguments is parsed", "[protocol][big]") {
  ServerProcess srv;
  Witness w(srv);
  RawConn c(srv.port());
  std::vector<std::string> args(1000000, "a");
  args[0] = "ECHO";
  REQUIRE(c.Send(Resp(args)));
  CHECK(c.Read(30000).is_error("ERR wrong number of arguments for 'echo' command"));
  REQUIRE(c.Send(Resp({"PING"})));
  CHECK(c.Read() == "PONG");
  w.Verify();
}

TEST_CASE("MSET of 500,000 pairs and DEL of 999,999 keys",
          "[protocol][big][needs:mset][needs:del]") {
  ServerProcess srv;
  Witness w(srv);
  RawConn c(srv.port());
  std::vector<std::string> mset = {"MSET"};
  for (int i = 0; i < 500000; ++i) {
    mset.push_back("key:" + std::to_string(i));
    mset.push_back("val:" + std::to_string(i));
  }
  REQUIRE(mset.size() == 1000001);
  REQUIRE(c.Send(Resp(mset)));
  mset.clear();
  CHECK(c.Read(60000) == "OK");
  Redis r(srv.port());
  CHECK(r.Cmd({"GET", "key:0"}) == "val:0");
  CHECK(r.Cmd({"GET", "key:499999"}) == "val:499999");
  std::vector<std::string> del = {"DEL"};
  for (int i = 0; i < 999999; ++i) del.push_back("key:" + std::to_string(i));
  REQUIRE(c.Send(Resp(del)));
  CHECK(c.Read(60000) == 500000);
  CHECK(r.Cmd({"GET", "key:0"}).is_null());
  CHECK(r.Cmd({"GET", "key:499999"}).is_null());
  w.Verify();
}
