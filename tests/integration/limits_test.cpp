// Resource limits over real sockets: bulk and query-buffer sizes, output
// buffers of clients that never read, maxclients, thousands of idle
// connections, idle timeout. Each checks Redis's behaviour at the limit and
// that the server and its other clients are unharmed.
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <thread>

#include "fixture.h"

using namespace ordis::it;
using Clock = std::chrono::steady_clock;

namespace {

int64_t MsSince(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

}  // namespace

TEST_CASE("a 600 MB bulk is refused at its header without allocating it", "[limits]") {
  ServerProcess srv;
  Witness w(srv);
  int64_t rss_before = srv.StatusKb("VmRSS");
  REQUIRE(rss_before > 0);
  RawConn c(srv.port());
  REQUIRE(c.Send("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$629145600\r\n"));
  CHECK(c.Read().is_error("ERR Protocol error: invalid bulk length"));
  CHECK(c.WaitClosed());
  // Peak RSS: nothing near 600 MB was ever allocated.
  CHECK(srv.StatusKb("VmHWM") < rss_before + 64 * 1024);
  Redis r(srv.port());
  CHECK(r.Cmd({"GET", "big"}).is_null());
  w.Verify();
}

TEST_CASE("proto-max-bulk-len: a bulk up to the limit works, one byte more does not", "[limits]") {
  ServerProcess srv({"--proto-max-bulk-len", "1mb"});
  Witness w(srv);
  Redis r(srv.port());
  std::string value(1024 * 1024, 'v');
  value[0] = 'a';
  value.back() = 'z';
  CHECK(r.Cmd({"SET", "max", value}) == "OK");
  CHECK(r.Cmd({"GET", "max"}) == value);
  RawConn c(srv.port());
  REQUIRE(c.Send("*3\r\n$3\r\nSET\r\n$4\r\nover\r\n$1048577\r\n"));
  CHECK(c.Read().is_error("ERR Protocol error: invalid bulk length"));
  CHECK(c.WaitClosed());
  CHECK(r.Cmd({"GET", "over"}).is_null());
  w.Verify();
}

TEST_CASE("client-query-buffer-limit closes a client sending an oversized command", "[limits]") {
  ServerProcess srv({"--client-query-buffer-limit", "1mb", "--proto-max-bulk-len", "8mb"});
  Witness w(srv);
  Redis r(srv.port());
  // Under the limit: fine.
  std::string value(512 * 1024, 'q');
  CHECK(r.Cmd({"SET", "under", value}) == "OK");
  CHECK(r.Cmd({"GET", "under"}) == value);
  // An unfinished 3 MB command: the server closes the connection once the
  // query buffer passes 1 MB; the command never runs.
  RawConn c(srv.port());
  REQUIRE(c.Send("*3\r\n$3\r\nSET\r\n$4\r\nover\r\n$3000000\r\n"));
  std::string chunk(64 * 1024, 'x');
  size_t sent = 0;
  while (sent < 2800000 && c.Send(chunk)) sent += chunk.size();
  CHECK(c.WaitClosed());
  CHECK(r.Cmd({"GET", "over"}).is_null());
  w.Verify();
}

TEST_CASE("client-output-buffer-limit disconnects a client that never reads", "[limits]") {
  ServerProcess srv({"--client-output-buffer-limit", "normal 1mb 0 0"});
  Witness w(srv);
  Redis r(srv.port());
  const size_t big = 256 * 1024;
  CHECK(r.Cmd({"SET", "big", std::string(big, 'b')}) == "OK");
  // A client that reads its replies gets them, even pipelined under 1 MB.
  for (int i = 0; i < 3; ++i) r.Append({"GET", "big"});
  int full = 0;
  for (int i = 0; i < 3; ++i) full += r.GetReply().str.size() == big;
  CHECK(full == 3);
  // 200 GETs (50 MB of replies) and no reads: disconnected.
  RawConn slow(srv.port());
  std::string pipe;
  for (int i = 0; i < 200; ++i) pipe += Resp({"GET", "big"});
  REQUIRE(slow.Send(pipe));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(r.Cmd({"GET", "big"}).str.size() == big);  // the others keep working
  size_t received = 0;
  CHECK(slow.WaitClosed(10000, &received));
  CHECK(received < 200 * big);
  w.Verify();
}

TEST_CASE("without an output limit a non-reading client gets backpressure",
          "[limits][ordis-only]") {
  // ordis stops reading from a client whose pending replies pass 256 MB
  // (net_server.cpp kBackpressureBytes) instead of growing without bound.
  ServerProcess srv;
  Witness w(srv);
  Redis r(srv.port());
  const size_t big = 1024 * 1024;
  CHECK(r.Cmd({"SET", "big", std::string(big, 'b')}) == "OK");
  const int n = 300;  // 300 MB of replies
  RawConn slow(srv.port());
  std::string pipe;
  for (int i = 0; i < n; ++i) pipe += Resp({"GET", "big"});
  REQUIRE(slow.Send(pipe));
  // While the slow client sits on its replies, others are served promptly.
  for (int i = 0; i < 10; ++i) {
    auto t = Clock::now();
    CHECK(r.Cmd({"PING"}) == "PONG");
    // Generous: the slow client's first batch (up to 128 MB of replies)
    // may delay one PING, on a loaded machine by a second or more.
    CHECK(MsSince(t) < 5000);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(srv.StatusKb("VmRSS") < 350 * 1024);
  // Then it reads everything, complete and in order.
  int full = 0;
  for (int i = 0; i < n; ++i) {
    Reply rep = slow.Read(10000);
    full += rep.str.size() == big && rep.str[0] == 'b' && rep.str.back() == 'b';
  }
  CHECK(full == n);
  CHECK(srv.StatusKb("VmHWM") < 350 * 1024);
  REQUIRE(slow.Send(Resp({"PING"})));
  CHECK(slow.Read() == "PONG");
  w.Verify();
}

TEST_CASE("10,000 idle connections, then normal clients still work", "[limits][connections]") {
  const int n = 10000;
  INFO("the test raises its own open-file limit");
  REQUIRE(RaiseFdLimit(n + 200) >= static_cast<uint64_t>(n + 100));
  ServerProcess srv({"--maxclients", "10100"});
  Witness w(srv);
  std::vector<std::unique_ptr<RawConn>> idle;
  idle.reserve(n);
  for (int i = 0; i < n; ++i) idle.push_back(std::make_unique<RawConn>(srv.port()));
  // A new client is served promptly.
  auto t = Clock::now();
  Redis r(srv.port());
  CHECK(r.Cmd({"SET", "k", "v"}) == "OK");
  CHECK(r.Cmd({"GET", "k"}) == "v");
  CHECK(MsSince(t) < 2000);
  // Every idle connection was accepted and still answers.
  for (auto& c : idle) REQUIRE(c->Send("PING\r\n"));
  int pong = 0;
  for (auto& c : idle) pong += c->Read() == "PONG";
  CHECK(pong == n);
  for (auto& c : idle) c->Abort();
  idle.clear();
  w.Verify();
}

TEST_CASE("maxclients: the client over the limit gets Redis's error", "[limits][connections]") {
  ServerProcess srv({"--maxclients", "10"});
  Witness w(srv);  // holds one connection
  std::vector<std::unique_ptr<RawConn>> conns;
  for (int i = 0; i < 9; ++i) {
    conns.push_back(std::make_unique<RawConn>(srv.port()));
    REQUIRE(conns.back()->Send("PING\r\n"));
    CHECK(conns.back()->Read() == "PONG");
  }
  RawConn extra(srv.port());
  CHECK(extra.Read().is_error("ERR max number of clients reached"));
  CHECK(extra.WaitClosed());
  // Once a client leaves, a new one is accepted.
  conns.pop_back();
  bool admitted = false;
  for (int attempt = 0; attempt < 50 && !admitted; ++attempt) {
    RawConn again(srv.port());
    REQUIRE(again.Send("PING\r\n"));
    admitted = again.Read() == "PONG";
    if (!admitted) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(admitted);
  // Room for Witness's fresh connection.
  conns.clear();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  w.Verify();
}

TEST_CASE("timeout closes idle clients, not active ones", "[limits][timeout]") {
  ServerProcess srv({"--timeout", "1"});
  RawConn idle(srv.port());
  auto start = Clock::now();  // idle's last interaction is after this
  REQUIRE(idle.Send("PING\r\n"));
  REQUIRE(idle.Read() == "PONG");
  Redis active(srv.port());
  bool closed = false;
  int pongs = 0, pings = 0;
  while (!closed && MsSince(start) < 6000) {
    ++pings;
    pongs += active.Cmd({"PING"}) == "PONG";
    closed = idle.WaitClosed(250);
  }
  CHECK(closed);
  CHECK(MsSince(start) >= 990);  // not before the timeout
  CHECK(pongs == pings);
  CHECK(active.Cmd({"SET", "k", "v"}) == "OK");
  CHECK(srv.Alive());
}
