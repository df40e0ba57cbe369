// Blocking list commands over real sockets: a blocked client gets no reply
// and runs none of its pipelined requests until it is served, timed out or
// unblocked; a disconnect while blocked leaves nothing behind.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "fixture.h"

using namespace ordis::it;
using Clock = std::chrono::steady_clock;

namespace {

int64_t MsSince(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

// INFO clients field as an integer (-1 if absent).
int64_t ClientsField(Redis& r, const std::string& field) {
  Reply info = r.Cmd({"INFO", "clients"});
  size_t at = info.str.find(field + ":");
  if (at == std::string::npos) return -1;
  return std::stoll(info.str.substr(at + field.size() + 1));
}

// Waits until INFO reports n blocked clients (up to 2 s).
bool WaitBlocked(Redis& r, int64_t n) {
  for (int i = 0; i < 200; ++i) {
    if (ClientsField(r, "blocked_clients") == n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

TEST_CASE("BLPOP blocks until another client pushes", "[blocking]") {
  ServerProcess srv;
  Redis r(srv.port());
  RawConn blocked(srv.port());
  REQUIRE(blocked.Send(Resp({"BLPOP", "a", "b", "0"})));
  REQUIRE(WaitBlocked(r, 1));
  CHECK(!blocked.Read(200).ok());  // nothing yet
  CHECK(r.Cmd({"CLIENT", "LIST"}).str.find("flags=b") != std::string::npos);
  CHECK(r.Cmd({"RPUSH", "b", "x", "y"}) == 2);
  Reply got = blocked.Read();
  REQUIRE(got.type == Reply::kArray);
  REQUIRE(got.elems.size() == 2);
  CHECK(got.elems[0] == "b");
  CHECK(got.elems[1] == "x");
  CHECK(ClientsField(r, "blocked_clients") == 0);
  CHECK(r.Cmd({"LRANGE", "b", "0", "-1"}).elems.size() == 1);
}

TEST_CASE("requests pipelined behind a blocked one wait, then run", "[blocking]") {
  ServerProcess srv;
  Redis r(srv.port());
  RawConn c(srv.port());
  REQUIRE(c.Send(Resp({"BLPOP", "nolist", "0"}) + Resp({"BLPOP", "nolist", "0"}) + Resp({"PING"})));
  REQUIRE(WaitBlocked(r, 1));
  CHECK(!c.Read(200).ok());
  CHECK(r.Cmd({"RPUSH", "nolist", "a"}) == 1);
  Reply first = c.Read();
  REQUIRE(first.type == Reply::kArray);
  CHECK(first.elems.at(1) == "a");
  // The second BLPOP ran and blocked in turn; PING waits behind it.
  REQUIRE(WaitBlocked(r, 1));
  CHECK(!c.Read(200).ok());
  CHECK(r.Cmd({"RPUSH", "nolist", "b"}) == 1);
  CHECK(c.Read().elems.at(1) == "b");
  CHECK(c.Read() == "PONG");
}

TEST_CASE("a blocking timeout replies a null array (RESP2) or null (RESP3)", "[blocking]") {
  ServerProcess srv;
  RawConn c(srv.port());
  auto start = Clock::now();
  REQUIRE(c.Send(Resp({"BRPOP", "k", "0.2"})));
  Reply r = c.Read(3000);
  int64_t ms = MsSince(start);
  CHECK(r.is_null());
  CHECK(c.last_raw() == "*-1\r\n");
  CHECK(ms >= 190);
  CHECK(ms < 1500);
  REQUIRE(c.Send(Resp({"HELLO", "3"})));
  REQUIRE(c.Read().ok());
  REQUIRE(c.Send(Resp({"BLMOVE", "k", "d", "LEFT", "RIGHT", "0.05"})));
  CHECK(c.Read(3000).is_null());
  CHECK(c.last_raw() == "_\r\n");
}

TEST_CASE("CLIENT UNBLOCK wakes a blocked client with null or an error", "[blocking]") {
  ServerProcess srv;
  Redis r(srv.port());
  RawConn c(srv.port());
  REQUIRE(c.Send(Resp({"CLIENT", "ID"})));
  Reply id = c.Read();
  REQUIRE(id.type == Reply::kInteger);
  std::string ids = std::to_string(id.integer);
  REQUIRE(c.Send(Resp({"BLMPOP", "0", "1", "k", "LEFT"})));
  REQUIRE(WaitBlocked(r, 1));
  CHECK(r.Cmd({"CLIENT", "UNBLOCK", ids, "ERROR"}) == 1);
  CHECK(c.Read().is_error("UNBLOCKED client unblocked via CLIENT UNBLOCK"));
  REQUIRE(c.Send(Resp({"BRPOPLPUSH", "k", "d", "0"})));
  REQUIRE(WaitBlocked(r, 1));
  CHECK(r.Cmd({"CLIENT", "UNBLOCK", ids}) == 1);
  CHECK(c.Read().is_null());
  CHECK(r.Cmd({"CLIENT", "UNBLOCK", ids}) == 0);
  // The connection works normally afterwards.
  REQUIRE(c.Send(Resp({"PING"})));
  CHECK(c.Read() == "PONG");
}

TEST_CASE("a client that disconnects while blocked is forgotten", "[blocking]") {
  ServerProcess srv;
  Redis r(srv.port());
  {
    RawConn gone(srv.port());
    REQUIRE(gone.Send(Resp({"BLPOP", "k", "0"})));
    REQUIRE(WaitBlocked(r, 1));
    gone.Abort();
  }
  REQUIRE(WaitBlocked(r, 0));
  RawConn waiting(srv.port());
  REQUIRE(waiting.Send(Resp({"BLPOP", "k", "0"})));
  REQUIRE(WaitBlocked(r, 1));
  CHECK(r.Cmd({"RPUSH", "k", "v"}) == 1);
  CHECK(waiting.Read().elems.at(1) == "v");  // the dead client took nothing
  CHECK(r.Cmd({"EXISTS", "k"}) == 0);
  CHECK(srv.Alive());
}

TEST_CASE("the idle timeout spares blocked clients", "[blocking]") {
  ServerProcess srv({"--timeout", "1"});
  Redis r(srv.port());
  RawConn c(srv.port());
  REQUIRE(c.Send(Resp({"BLPOP", "k", "0"})));
  std::this_thread::sleep_for(std::chrono::milliseconds(2300));
  Redis pusher(srv.port());
  CHECK(pusher.Cmd({"RPUSH", "k", "v"}) == 1);
  CHECK(c.Read().elems.at(1) == "v");
}
