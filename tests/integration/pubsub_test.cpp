// Pub/Sub over real sockets: subscribe on one connection, publish from
// another, read what is pushed (RESP2 through hiredis, RESP3 raw), the
// subscribed-mode restriction, disconnects, the idle timeout and the
// pubsub output-buffer class. Passes against redis-server 7.0 too
// (ORDIS_SERVER=/usr/bin/redis-server).
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "fixture.h"

using namespace ordis::it;

namespace {

std::vector<std::string> Texts(const Reply& r) {
  std::vector<std::string> out;
  for (const Reply& e : r.elems) {
    if (e.type == Reply::kInteger) {
      out.push_back(std::to_string(e.integer));
    } else if (e.is_null()) {
      out.push_back("(nil)");
    } else {
      out.push_back(e.str);
    }
  }
  return out;
}

using Strings = std::vector<std::string>;

// Polls `cond` for up to 5 s.
template <typename F>
bool Eventually(F cond) {
  for (int i = 0; i < 250; ++i) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::string InfoField(Redis& r, const std::string& field) {
  std::string info = r.Cmd({"INFO", "stats"}).str;
  size_t p = info.find(field + ":");
  if (p == std::string::npos) return "(missing)";
  size_t e = info.find("\r\n", p);
  return info.substr(p + field.size() + 1, e - p - field.size() - 1);
}

}  // namespace

TEST_CASE("RESP2: subscribe on one connection, publish from another", "[pubsub]") {
  ServerProcess srv;
  Redis sub(srv.port());
  Redis pub(srv.port());
  CHECK(Texts(sub.Cmd({"SUBSCRIBE", "chan1", "chan2"})) == Strings{"subscribe", "chan1", "1"});
  CHECK(Texts(sub.GetReply()) == Strings{"subscribe", "chan2", "2"});
  sub.Append({"PSUBSCRIBE", "chan*"});
  CHECK(Texts(sub.GetReply()) == Strings{"psubscribe", "chan*", "3"});

  CHECK(pub.Cmd({"PUBLISH", "chan1", "hello"}) == 2);
  CHECK(pub.Cmd({"PUBLISH", "chanX", "world"}) == 1);
  CHECK(pub.Cmd({"PUBLISH", "other", "nobody"}) == 0);
  CHECK(Texts(sub.GetReply()) == Strings{"message", "chan1", "hello"});
  CHECK(Texts(sub.GetReply()) == Strings{"pmessage", "chan*", "chan1", "hello"});
  CHECK(Texts(sub.GetReply()) == Strings{"pmessage", "chan*", "chanX", "world"});

  // Only subscription commands, PING, QUIT and RESET run in this mode.
  CHECK(sub.Cmd({"GET", "k"})
            .is_error("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
                      "QUIT / RESET are allowed in this context"));
  CHECK(Texts(sub.Cmd({"PING"})) == Strings{"pong", ""});
  CHECK(Texts(sub.Cmd({"PING", "x"})) == Strings{"pong", "x"});

  CHECK(Texts(pub.Cmd({"PUBSUB", "NUMSUB", "chan1", "chan3"})) ==
        Strings{"chan1", "1", "chan3", "0"});
  CHECK(pub.Cmd({"PUBSUB", "NUMPAT"}) == 1);
  std::string list = pub.Cmd({"CLIENT", "LIST", "TYPE", "pubsub"}).str;
  CHECK(list.find(" flags=P ") != std::string::npos);
  CHECK(list.find(" sub=2 psub=1 ssub=0 ") != std::string::npos);
  CHECK(InfoField(pub, "pubsub_channels") == "2");
  CHECK(InfoField(pub, "pubsub_patterns") == "1");

  // Unsubscribe everything, then the connection is a normal one again.
  sub.Append({"UNSUBSCRIBE"});
  Reply u1 = sub.GetReply();
  Reply u2 = sub.GetReply();
  CHECK(Texts(u1)[2] == "2");
  CHECK(Texts(u2)[2] == "1");
  CHECK(Texts(sub.Cmd({"PUNSUBSCRIBE"})) == Strings{"punsubscribe", "chan*", "0"});
  CHECK(Texts(sub.Cmd({"UNSUBSCRIBE"})) == Strings{"unsubscribe", "(nil)", "0"});
  CHECK(sub.Cmd({"PING"}) == "PONG");
  CHECK(sub.Cmd({"GET", "k"}).is_null());
  CHECK(pub.Cmd({"PUBLISH", "chan1", "x"}) == 0);
}

TEST_CASE("RESP3: confirmations and messages are push frames", "[pubsub][needs:hello]") {
  ServerProcess srv;
  RawConn sub(srv.port());
  Redis pub(srv.port());
  REQUIRE(sub.Send(Resp({"HELLO", "3"})));
  REQUIRE(sub.Read().type == Reply::kMap);
  REQUIRE(sub.Send(Resp({"SUBSCRIBE", "news"})));
  Reply conf = sub.Read();
  CHECK(conf.type == Reply::kPush);
  CHECK(Texts(conf) == Strings{"subscribe", "news", "1"});
  CHECK(sub.last_raw() == ">3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n");
  REQUIRE(sub.Send(Resp({"SSUBSCRIBE", "shard"})));
  CHECK(Texts(sub.Read()) == Strings{"ssubscribe", "shard", "1"});

  CHECK(pub.Cmd({"PUBLISH", "news", "hello"}) == 1);
  Reply msg = sub.Read();
  CHECK(msg.type == Reply::kPush);
  CHECK(sub.last_raw() == ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n");
  CHECK(pub.Cmd({"SPUBLISH", "shard", "s"}) == 1);
  CHECK(sub.Read().type == Reply::kPush);
  CHECK(sub.last_raw() == ">3\r\n$8\r\nsmessage\r\n$5\r\nshard\r\n$1\r\ns\r\n");

  // RESP3 subscribers may run anything; pushes and replies interleave.
  REQUIRE(sub.Send(Resp({"SET", "k", "v"})));
  CHECK(sub.Read() == "OK");
  REQUIRE(sub.Send(Resp({"PUBLISH", "news", "self"})));
  Reply self = sub.Read();
  CHECK(self.type == Reply::kPush);
  CHECK(Texts(self) == Strings{"message", "news", "self"});
  CHECK(sub.Read() == 1);
  REQUIRE(sub.Send(Resp({"PING"})));
  CHECK(sub.Read() == "PONG");

  // RESET drops every subscription silently.
  REQUIRE(sub.Send(Resp({"RESET"})));
  CHECK(sub.Read() == "RESET");
  CHECK(pub.Cmd({"PUBLISH", "news", "gone"}) == 0);
  CHECK(pub.Cmd({"SPUBLISH", "shard", "gone"}) == 0);
}

TEST_CASE("many subscribers each get every message, in order", "[pubsub]") {
  ServerProcess srv;
  std::vector<std::unique_ptr<Redis>> subs;
  for (int i = 0; i < 20; ++i) {
    subs.push_back(std::make_unique<Redis>(srv.port()));
    CHECK(Texts(subs.back()->Cmd({"SUBSCRIBE", "feed"}))[2] == "1");
  }
  Redis pub(srv.port());
  // Pipelined publishes: each one reaches all twenty.
  for (int i = 0; i < 500; ++i) pub.Append({"PUBLISH", "feed", std::to_string(i)});
  int total = 0;
  for (int i = 0; i < 500; ++i) total += static_cast<int>(pub.GetReply().integer);
  CHECK(total == 500 * 20);
  int in_order = 0;
  for (auto& s : subs) {
    bool ok = true;
    for (int i = 0; i < 500 && ok; ++i) ok = Texts(s->GetReply())[2] == std::to_string(i);
    in_order += ok;
  }
  CHECK(in_order == 20);
}

TEST_CASE("a subscriber that disconnects is forgotten", "[pubsub]") {
  ServerProcess srv;
  Redis pub(srv.port());
  {
    RawConn sub(srv.port());
    REQUIRE(sub.Send(Resp({"SUBSCRIBE", "a", "b"}) + Resp({"PSUBSCRIBE", "x*"})));
    sub.Read();
    sub.Read();
    sub.Read();
    CHECK(pub.Cmd({"PUBLISH", "a", "m"}) == 1);
  }
  CHECK(Eventually([&] { return pub.Cmd({"PUBLISH", "a", "m"}) == 0; }));
  CHECK(Texts(pub.Cmd({"PUBSUB", "NUMSUB", "a", "b"})) == Strings{"a", "0", "b", "0"});
  CHECK(pub.Cmd({"PUBSUB", "NUMPAT"}) == 0);
  CHECK(pub.Cmd({"PUBSUB", "CHANNELS"}).elems.empty());
}

TEST_CASE("the pubsub output-buffer class closes a subscriber that never reads",
          "[pubsub][limits]") {
  ServerProcess srv({"--client-output-buffer-limit", "pubsub 256kb 0 0"});
  Redis pub(srv.port());
  RawConn slow(srv.port());
  REQUIRE(slow.Send(Resp({"SUBSCRIBE", "flood"})));
  CHECK(Texts(slow.Read()) == Strings{"subscribe", "flood", "1"});
  const std::string big(64 * 1024, 'm');
  // 40 MB of messages: far beyond the socket buffers and the 256 KB limit.
  for (int i = 0; i < 640; ++i) pub.Append({"PUBLISH", "flood", big});
  int delivered_to = 0;
  for (int i = 0; i < 640; ++i) delivered_to += pub.GetReply().integer > 0;
  CHECK(delivered_to > 0);
  size_t received = 0;
  CHECK(slow.WaitClosed(10000, &received));
  CHECK(received < 640 * big.size());
  CHECK(Eventually([&] { return pub.Cmd({"PUBSUB", "NUMSUB", "flood"}).elems[1] == 0; }));
  CHECK(pub.Cmd({"CLIENT", "LIST", "TYPE", "pubsub"}).str.empty());
  CHECK(pub.Cmd({"PING"}) == "PONG");
}

TEST_CASE("a soft output limit closes a stalled subscriber after its time, without traffic",
          "[pubsub][limits]") {
  ServerProcess srv({"--client-output-buffer-limit", "pubsub 0 256kb 1"});
  Redis pub(srv.port());
  RawConn slow(srv.port());
  REQUIRE(slow.Send(Resp({"SUBSCRIBE", "burst"})));
  CHECK(Texts(slow.Read()) == Strings{"subscribe", "burst", "1"});
  // One burst well past the socket buffers, then silence: only the cron
  // can notice that the soft limit has been exceeded for over a second.
  const std::string big(64 * 1024, 'm');
  for (int i = 0; i < 160; ++i) pub.Append({"PUBLISH", "burst", big});
  for (int i = 0; i < 160; ++i) pub.GetReply();
  CHECK(pub.Cmd({"PUBSUB", "NUMSUB", "burst"}).elems[1] == 1);  // not closed at once
  // Not reading meanwhile (reading would drain the buffer).
  CHECK(Eventually([&] { return pub.Cmd({"PUBSUB", "NUMSUB", "burst"}).elems[1] == 0; }));
  size_t received = 0;
  CHECK(slow.WaitClosed(5000, &received));
  CHECK(received < 160 * big.size());
}

TEST_CASE("the idle timeout spares subscribers", "[pubsub][timeout]") {
  ServerProcess srv({"--timeout", "1"});
  RawConn sub(srv.port());
  RawConn idle(srv.port());
  REQUIRE(sub.Send(Resp({"SUBSCRIBE", "slow"})));
  CHECK(Texts(sub.Read())[0] == "subscribe");
  REQUIRE(idle.Send(Resp({"PING"})));
  CHECK(idle.Read() == "PONG");
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  CHECK(idle.WaitClosed(2000));
  Redis pub(srv.port());
  CHECK(pub.Cmd({"PUBLISH", "slow", "still here"}) == 1);
  CHECK(Texts(sub.Read()) == Strings{"message", "slow", "still here"});
}
