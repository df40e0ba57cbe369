// Pub/Sub against Redis 7.0.15's behaviour: confirmations and messages
// (RESP2 arrays, RESP3 pushes), the RESP2 subscribed-mode restriction,
// shard channels, PUBSUB introspection, CLIENT LIST / INFO fields, RESET
// and disconnect, and the Server::Publish / HasSubscribers API.
#include "server/pubsub.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "harness.h"

using ordis::Client;
using ordis::test::RespValue;
using ordis::test::TestServer;
using ordis::test::UseResp3;

namespace {

// Elements of an array-like reply as text; null as "(nil)".
std::vector<std::string> Flat(const RespValue& v) {
  std::vector<std::string> out;
  for (const RespValue& e : v.elems) {
    if (e.is_null()) {
      out.push_back("(nil)");
    } else if (e.type == RespValue::kInteger) {
      out.push_back(std::to_string(e.integer));
    } else {
      out.push_back(e.str);
    }
  }
  return out;
}

using Strings = std::vector<std::string>;

// Runs a command on client i and returns every frame it received (a
// multi-channel SUBSCRIBE writes one confirmation per channel).
std::vector<RespValue> Frames(TestServer& t, int i, const std::vector<std::string>& args) {
  t.Drain(i);
  Client& c = t.client(i);
  std::vector<std::string_view> views(args.begin(), args.end());
  // As the network layer (and RunOn) arm CLIENT REPLY SKIP.
  if (c.flags & Client::kReplySkipNext) {
    c.flags &= ~Client::kReplySkipNext;
    c.flags |= Client::kReplySkip;
  }
  t.server().Dispatch(c, views);
  c.flags &= ~Client::kReplySkip;
  return t.Drain(i);
}

// Frames as flat text, one vector per frame.
std::vector<Strings> FlatFrames(TestServer& t, int i, const std::vector<std::string>& args) {
  std::vector<Strings> out;
  for (const RespValue& v : Frames(t, i, args)) out.push_back(Flat(v));
  return out;
}

std::vector<Strings> Pending(TestServer& t, int i) {
  std::vector<Strings> out;
  for (const RespValue& v : t.Drain(i)) out.push_back(Flat(v));
  return out;
}

constexpr const char* kSubscribedErr =
    "ERR Can't execute '*': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are "
    "allowed in this context";

std::string InfoField(TestServer& t, const std::string& field) {
  RespValue info = t.RunOn(9, {"INFO", "stats"});
  std::string text = info.str;
  size_t p = text.find(field + ":");
  if (p == std::string::npos) return "(missing)";
  size_t e = text.find("\r\n", p);
  return text.substr(p + field.size() + 1, e - p - field.size() - 1);
}

}  // namespace

TEST_CASE("SUBSCRIBE confirms each channel with the running count", "[pubsub]") {
  TestServer t;
  auto f = FlatFrames(t, 1, {"SUBSCRIBE", "chan1", "chan2", "chan1"});
  REQUIRE(f.size() == 3);
  CHECK(f[0] == Strings{"subscribe", "chan1", "1"});
  CHECK(f[1] == Strings{"subscribe", "chan2", "2"});
  CHECK(f[2] == Strings{"subscribe", "chan1", "2"});  // already subscribed: count unchanged
  std::vector<RespValue> raw = Frames(t, 1, {"SUBSCRIBE", "chan3"});
  REQUIRE(raw.size() == 1);
  CHECK(raw[0].type == RespValue::kArray);  // RESP2: a plain array
  CHECK(t.client(1).flags & Client::kPubSub);
}

TEST_CASE("PUBLISH delivers to every subscriber and returns the receivers", "[pubsub]") {
  TestServer t;
  Frames(t, 1, {"SUBSCRIBE", "chan1", "chan2"});
  Frames(t, 2, {"SUBSCRIBE", "chan1"});
  CHECK(t.Run({"PUBLISH", "chan1", "hello"}) == 2);
  CHECK(t.Run({"PUBLISH", "chan2", "world"}) == 1);
  CHECK(t.Run({"PUBLISH", "nobody", "x"}) == 0);
  CHECK(Pending(t, 1) ==
        std::vector<Strings>{{"message", "chan1", "hello"}, {"message", "chan2", "world"}});
  CHECK(Pending(t, 2) == std::vector<Strings>{{"message", "chan1", "hello"}});
  // Binary-safe payloads.
  std::string bin("a\0b\r\nc", 6);
  CHECK(t.Run({"PUBLISH", "chan2", bin}) == 1);
  auto got = t.Drain(1);
  REQUIRE(got.size() == 1);
  CHECK(got[0][2].str == bin);
}

TEST_CASE("UNSUBSCRIBE: named, all, and none", "[pubsub]") {
  TestServer t;
  // Not subscribed at all: one confirmation with a null channel.
  CHECK(FlatFrames(t, 1, {"UNSUBSCRIBE"}) == std::vector<Strings>{{"unsubscribe", "(nil)", "0"}});
  CHECK(FlatFrames(t, 1, {"PUNSUBSCRIBE"}) == std::vector<Strings>{{"punsubscribe", "(nil)", "0"}});
  CHECK(FlatFrames(t, 1, {"SUNSUBSCRIBE"}) == std::vector<Strings>{{"sunsubscribe", "(nil)", "0"}});
  // Channels never subscribed are confirmed too.
  CHECK(FlatFrames(t, 1, {"UNSUBSCRIBE", "foo", "bar"}) ==
        std::vector<Strings>{{"unsubscribe", "foo", "0"}, {"unsubscribe", "bar", "0"}});
  CHECK_FALSE(t.client(1).flags & Client::kPubSub);

  Frames(t, 1, {"SUBSCRIBE", "a", "b", "c"});
  CHECK(FlatFrames(t, 1, {"UNSUBSCRIBE", "b"}) == std::vector<Strings>{{"unsubscribe", "b", "2"}});
  CHECK(t.Run({"PUBLISH", "b", "x"}) == 0);
  auto all = FlatFrames(t, 1, {"UNSUBSCRIBE"});
  REQUIRE(all.size() == 2);
  CHECK(all[0][0] == "unsubscribe");
  CHECK(all[0][2] == "1");
  CHECK(all[1][2] == "0");
  CHECK(((all[0][1] == "a" && all[1][1] == "c") || (all[0][1] == "c" && all[1][1] == "a")));
  CHECK(t.Run({"PUBLISH", "a", "x"}) == 0);
  CHECK(t.Run({"PUBLISH", "c", "x"}) == 0);
  CHECK_FALSE(t.client(1).flags & Client::kPubSub);
  // The RESP2 restriction is lifted once nothing is left.
  CHECK(t.RunOn(1, {"GET", "k"}).is_null());
}

TEST_CASE("PSUBSCRIBE matches patterns; channel and pattern both deliver", "[pubsub]") {
  TestServer t;
  auto f = FlatFrames(t, 1, {"PSUBSCRIBE", "foo.*", "bar.*"});
  CHECK(f == std::vector<Strings>{{"psubscribe", "foo.*", "1"}, {"psubscribe", "bar.*", "2"}});
  CHECK(t.Run({"PUBLISH", "foo.1", "hello"}) == 1);
  CHECK(t.Run({"PUBLISH", "bar.1", "hello"}) == 1);
  CHECK(t.Run({"PUBLISH", "foo1", "hello"}) == 0);
  CHECK(t.Run({"PUBLISH", "barfoo.1", "hello"}) == 0);
  CHECK(Pending(t, 1) == std::vector<Strings>{{"pmessage", "foo.*", "foo.1", "hello"},
                                              {"pmessage", "bar.*", "bar.1", "hello"}});
  // Channel + pattern: the count is shared, the message arrives twice.
  CHECK(FlatFrames(t, 1, {"SUBSCRIBE", "foo.bar"}) ==
        std::vector<Strings>{{"subscribe", "foo.bar", "3"}});
  CHECK(t.Run({"PUBLISH", "foo.bar", "hi"}) == 2);
  CHECK(Pending(t, 1) ==
        std::vector<Strings>{{"message", "foo.bar", "hi"}, {"pmessage", "foo.*", "foo.bar", "hi"}});
  // Two overlapping patterns of one client: one message per pattern.
  Frames(t, 2, {"PSUBSCRIBE", "f*", "*.bar"});
  CHECK(t.Run({"PUBLISH", "foo.bar", "x"}) == 4);
  CHECK(Pending(t, 2).size() == 2);
  CHECK(FlatFrames(t, 1, {"PUNSUBSCRIBE", "foo.*"}) ==
        std::vector<Strings>{{"punsubscribe", "foo.*", "2"}});
  // PUNSUBSCRIBE without arguments goes in subscription order.
  CHECK(FlatFrames(t, 2, {"PUNSUBSCRIBE"}) ==
        std::vector<Strings>{{"punsubscribe", "f*", "1"}, {"punsubscribe", "*.bar", "0"}});
  CHECK(
      FlatFrames(t, 2, {"PUNSUBSCRIBE", "foo.* bar.*", "quux.*"}) ==
      std::vector<Strings>{{"punsubscribe", "foo.* bar.*", "0"}, {"punsubscribe", "quux.*", "0"}});
}

TEST_CASE("RESP2 subscribed mode allows only subscription commands, PING, QUIT, RESET",
          "[pubsub]") {
  TestServer t;
  Frames(t, 1, {"SUBSCRIBE", "somechannel"});
  CHECK(t.RunOn(1, {"GET", "k"}).is_error(kSubscribedErr));
  CHECK(t.RunOn(1, {"GET", "k"}).str ==
        "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
        "are allowed in this context");
  // Subcommands are named in full; arity and unknown commands come first.
  CHECK(t.RunOn(1, {"CLIENT", "LIST"}).str.find("'client|list'") != std::string::npos);
  CHECK(t.RunOn(1, {"HELLO", "3"}).is_error("ERR Can't execute 'hello'*"));
  CHECK(t.RunOn(1, {"GET"}).is_error("ERR wrong number of arguments for 'get' command"));
  CHECK(t.RunOn(1, {"NOSUCH"}).is_error("ERR unknown command 'NOSUCH'*"));
  CHECK(t.RunOn(1, {"MULTI"}).is_error(kSubscribedErr));
  CHECK_FALSE(t.client(1).in_multi());
  // SLOWLOG RESET is not RESET.
  CHECK(t.RunOn(1, {"SLOWLOG", "RESET"}).is_error("ERR Can't execute 'slowlog|reset'*"));
  // PING has the message shape.
  CHECK(Flat(t.RunOn(1, {"PING"})) == Strings{"pong", ""});
  CHECK(Flat(t.RunOn(1, {"PING", "foo"})) == Strings{"pong", "foo"});
  CHECK(
      t.RunOn(1, {"PING", "a", "b"}).is_error("ERR wrong number of arguments for 'ping' command"));
  // The rejections are counted like Redis's rejected calls.
  // (Two subscribed-mode rejections and one arity error.)
  CHECK(t.Run({"INFO", "commandstats"})
            .str.find("cmdstat_get:calls=0,usec=0,usec_per_call=0.00,"
                      "rejected_calls=3") != std::string::npos);
  // Unsubscribed again: back to normal replies.
  Frames(t, 1, {"UNSUBSCRIBE", "somechannel"});
  CHECK(t.RunOn(1, {"PING"}) == "PONG");
  CHECK(t.RunOn(1, {"GET", "k"}).is_null());
}

TEST_CASE("QUIT is allowed while subscribed", "[pubsub]") {
  TestServer t;
  Frames(t, 1, {"SUBSCRIBE", "c"});
  CHECK(t.RunOn(1, {"QUIT"}) == "OK");
  CHECK(t.client(1).flags & Client::kCloseAfterReply);
}

TEST_CASE("RESP3 subscribers get pushes and may run any command", "[pubsub]") {
  TestServer t;
  UseResp3(t, 1);
  std::vector<RespValue> f = Frames(t, 1, {"SUBSCRIBE", "a"});
  REQUIRE(f.size() == 1);
  CHECK(f[0].type == RespValue::kPush);
  CHECK(Flat(f[0]) == Strings{"subscribe", "a", "1"});
  Frames(t, 1, {"PSUBSCRIBE", "a*"});
  CHECK(t.RunOn(1, {"SET", "k", "v"}) == "OK");
  CHECK(t.RunOn(1, {"GET", "k"}) == "v");
  CHECK(t.RunOn(1, {"PING"}) == "PONG");
  CHECK(t.Run({"PUBLISH", "a", "m"}) == 2);
  std::vector<RespValue> got = t.Drain(1);
  REQUIRE(got.size() == 2);
  CHECK(got[0].type == RespValue::kPush);
  CHECK(Flat(got[0]) == Strings{"message", "a", "m"});
  CHECK(got[1].type == RespValue::kPush);
  CHECK(Flat(got[1]) == Strings{"pmessage", "a*", "a", "m"});
  // Publishing to itself: the push precedes PUBLISH's own reply.
  std::vector<RespValue> self = Frames(t, 1, {"PUBLISH", "a", "me"});
  REQUIRE(self.size() == 3);
  CHECK(self[0].type == RespValue::kPush);
  CHECK(self[2] == 2);
  // Unsubscribing from nothing in RESP3: a push with a null channel.
  Frames(t, 1, {"UNSUBSCRIBE"});
  Frames(t, 1, {"PUNSUBSCRIBE"});
  std::vector<RespValue> none = Frames(t, 1, {"UNSUBSCRIBE"});
  REQUIRE(none.size() == 1);
  CHECK(none[0].type == RespValue::kPush);
  CHECK(none[0][1].is_null());
}

TEST_CASE("A subscriber's protocol picks the frame, per receiver", "[pubsub]") {
  TestServer t;
  UseResp3(t, 1);
  Frames(t, 1, {"SUBSCRIBE", "c"});
  Frames(t, 2, {"SUBSCRIBE", "c"});
  CHECK(t.Run({"PUBLISH", "c", "x"}) == 2);
  CHECK(std::string(t.client(1).out.view()) == ">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nx\r\n");
  CHECK(std::string(t.client(2).out.view()) == "*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nx\r\n");
}

TEST_CASE("CLIENT REPLY OFF/SKIP do not silence confirmations or messages", "[pubsub]") {
  TestServer t;
  UseResp3(t, 1);
  CHECK(t.RunOn(1, {"CLIENT", "REPLY", "OFF"}).str == "(no reply)");
  CHECK(FlatFrames(t, 1, {"SUBSCRIBE", "channel"}) ==
        std::vector<Strings>{{"subscribe", "channel", "1"}});
  CHECK(FlatFrames(t, 1, {"PSUBSCRIBE", "ch*"}) ==
        std::vector<Strings>{{"psubscribe", "ch*", "2"}});
  CHECK(t.Run({"PUBLISH", "channel", "hello"}) == 2);
  CHECK(Pending(t, 1) == std::vector<Strings>{{"message", "channel", "hello"},
                                              {"pmessage", "ch*", "channel", "hello"}});
  CHECK(t.RunOn(1, {"PING"}).str == "(no reply)");  // ordinary replies stay off
  CHECK(FlatFrames(t, 1, {"UNSUBSCRIBE", "channel"}) ==
        std::vector<Strings>{{"unsubscribe", "channel", "1"}});
  // RESP2 with SKIP: the skipped command is the SUBSCRIBE, which still confirms.
  CHECK(t.RunOn(2, {"CLIENT", "REPLY", "SKIP"}).str == "(no reply)");
  CHECK(FlatFrames(t, 2, {"PSUBSCRIBE", "*"}) == std::vector<Strings>{{"psubscribe", "*", "1"}});
  CHECK(Flat(t.RunOn(2, {"PING"})) == Strings{"pong", ""});
}

TEST_CASE("Shard channels are a separate namespace with their own count", "[pubsub]") {
  TestServer t;
  CHECK(FlatFrames(t, 1, {"SSUBSCRIBE", "chan1", "chan1"}) ==
        std::vector<Strings>{{"ssubscribe", "chan1", "1"}, {"ssubscribe", "chan1", "1"}});
  CHECK(FlatFrames(t, 1, {"SUBSCRIBE", "chan1"}) ==
        std::vector<Strings>{{"subscribe", "chan1", "1"}});
  CHECK(FlatFrames(t, 2, {"SSUBSCRIBE", "chan1"}) ==
        std::vector<Strings>{{"ssubscribe", "chan1", "1"}});
  CHECK(t.Run({"SPUBLISH", "chan1", "s"}) == 2);
  CHECK(t.Run({"PUBLISH", "chan1", "p"}) == 1);
  CHECK(Pending(t, 1) ==
        std::vector<Strings>{{"smessage", "chan1", "s"}, {"message", "chan1", "p"}});
  // Patterns never see shard messages.
  Frames(t, 3, {"PSUBSCRIBE", "*"});
  CHECK(t.Run({"SPUBLISH", "chan1", "s"}) == 2);
  CHECK(t.Drain(3).empty());
  CHECK(t.Run({"PUBSUB", "SHARDNUMSUB", "chan1", "x"}).strings() ==
        Strings{"chan1", "2", "x", "0"});
  CHECK(t.Run({"PUBSUB", "NUMSUB", "chan1"}).strings() == Strings{"chan1", "1"});
  CHECK(t.Run({"PUBSUB", "SHARDCHANNELS"}).strings() == Strings{"chan1"});
  CHECK(t.Run({"PUBSUB", "SHARDCHANNELS", "x*"}).strings().empty());
  // Counts are per namespace; the client stays in subscribed mode while any
  // kind of subscription is left.
  CHECK(FlatFrames(t, 1, {"UNSUBSCRIBE"}) == std::vector<Strings>{{"unsubscribe", "chan1", "0"}});
  CHECK(t.RunOn(1, {"GET", "k"}).is_error(kSubscribedErr));
  CHECK(FlatFrames(t, 1, {"UNSUBSCRIBE"}) == std::vector<Strings>{{"unsubscribe", "(nil)", "0"}});
  CHECK(FlatFrames(t, 1, {"SUNSUBSCRIBE"}) == std::vector<Strings>{{"sunsubscribe", "chan1", "0"}});
  CHECK(t.RunOn(1, {"GET", "k"}).is_null());
  CHECK(t.Run({"SPUBLISH", "chan1", "s"}) == 1);
  CHECK(FlatFrames(t, 1, {"SUNSUBSCRIBE", "foo"}) ==
        std::vector<Strings>{{"sunsubscribe", "foo", "0"}});
}

TEST_CASE("SUBSCRIBE inside MULTI runs at EXEC; SSUBSCRIBE is refused there", "[pubsub]") {
  TestServer t;
  CHECK(t.Run({"MULTI"}) == "OK");
  CHECK(t.Run({"SUBSCRIBE", "a", "b"}) == "QUEUED");
  CHECK(t.Run({"SSUBSCRIBE", "c"}) == "QUEUED");
  CHECK(t.Run({"PUBLISH", "a", "m"}) == "QUEUED");
  // Redis 7.0 writes the confirmations inside EXEC's array, as here: three
  // commands, five frames after the header.
  std::vector<std::string_view> exec = {"EXEC"};
  t.server().Dispatch(t.client(0), exec);
  std::string out(t.client(0).out.view());
  t.client(0).out.Clear();
  CHECK(out ==
        "*3\r\n"
        "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n"
        "*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n"
        "-ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client\r\n"
        "*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$1\r\nm\r\n"
        ":1\r\n");
  CHECK(t.Run({"GET", "k"}).is_error(kSubscribedErr));
}

TEST_CASE("PUBSUB CHANNELS, NUMSUB, NUMPAT and HELP", "[pubsub]") {
  TestServer t;
  CHECK(t.Run({"PUBSUB", "CHANNELS"}).strings().empty());
  CHECK(t.Run({"PUBSUB", "NUMSUB"}).strings().empty());
  CHECK(t.Run({"PUBSUB", "NUMSUB", "abc", "def"}).strings() == Strings{"abc", "0", "def", "0"});
  CHECK(t.Run({"PUBSUB", "NUMSUB", "abc"})[1].type == RespValue::kInteger);
  CHECK(t.Run({"PUBSUB", "NUMPAT"}) == 0);
  Frames(t, 1, {"SUBSCRIBE", "news.a", "news.b", "other"});
  Frames(t, 2, {"SUBSCRIBE", "news.a"});
  Frames(t, 1, {"PSUBSCRIBE", "foo*", "bar*"});
  Frames(t, 2, {"PSUBSCRIBE", "foo*", "baz*"});
  Strings all = t.Run({"PUBSUB", "CHANNELS"}).strings();
  std::sort(all.begin(), all.end());
  CHECK(all == Strings{"news.a", "news.b", "other"});
  Strings news = t.Run({"PUBSUB", "CHANNELS", "news.*"}).strings();
  std::sort(news.begin(), news.end());
  CHECK(news == Strings{"news.a", "news.b"});
  CHECK(t.Run({"PUBSUB", "NUMSUB", "news.a", "other", "nope"}).strings() ==
        Strings{"news.a", "2", "other", "1", "nope", "0"});
  CHECK(t.Run({"PUBSUB", "NUMPAT"}) == 3);  // unique patterns
  // RESP3: still flat arrays.
  UseResp3(t, 0);
  RespValue numsub = t.Run({"PUBSUB", "NUMSUB", "news.a"});
  CHECK(numsub.type == RespValue::kArray);
  CHECK(numsub.strings() == Strings{"news.a", "2"});
  // Errors as Redis's.
  CHECK(t.Run({"PUBSUB", "CHANNELS", "a", "b"})
            .is_error("ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try "
                      "PUBSUB HELP."));
  CHECK(t.Run({"PUBSUB", "SHARDCHANNELS", "a", "b"})
            .is_error("ERR unknown subcommand or wrong number of arguments for 'SHARDCHANNELS'*"));
  CHECK(t.Run({"PUBSUB", "NUMPAT", "x"})
            .is_error("ERR wrong number of arguments for 'pubsub|numpat' command"));
  CHECK(t.Run({"PUBSUB", "FOO"}).is_error("ERR unknown subcommand 'FOO'. Try PUBSUB HELP."));
  CHECK(t.Run({"PUBSUB"}).is_error("ERR wrong number of arguments for 'pubsub' command"));
  CHECK(t.Run({"PUBSUB", "HELP", "x"})
            .is_error("ERR wrong number of arguments for 'pubsub|help' command"));
  RespValue help = t.Run({"PUBSUB", "HELP"});
  REQUIRE(help.size() == 14);
  CHECK(help[0] == "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  CHECK(help[11] ==
        "    Return the number of subscribers for the specified shard level channel(s)");
  CHECK(t.Run({"PUBLISH", "a"}).is_error("ERR wrong number of arguments for 'publish' command"));
  CHECK(t.Run({"SPUBLISH", "a", "b", "c"})
            .is_error("ERR wrong number of arguments for 'spublish' command"));
  CHECK(t.Run({"SUBSCRIBE"}).is_error("ERR wrong number of arguments for 'subscribe' command"));
  CHECK(t.Run({"PSUBSCRIBE"}).is_error("ERR wrong number of arguments for 'psubscribe' command"));
  CHECK(t.Run({"SSUBSCRIBE"}).is_error("ERR wrong number of arguments for 'ssubscribe' command"));
}

TEST_CASE("RESET and disconnect drop every subscription", "[pubsub]") {
  TestServer t;
  Frames(t, 1, {"SUBSCRIBE", "a"});
  Frames(t, 1, {"PSUBSCRIBE", "a*"});
  Frames(t, 1, {"SSUBSCRIBE", "s"});
  CHECK(t.RunOn(1, {"RESET"}) == "RESET");  // silently: no unsubscribe frames
  CHECK_FALSE(t.client(1).flags & Client::kPubSub);
  CHECK(t.Run({"PUBLISH", "a", "x"}) == 0);
  CHECK(t.Run({"SPUBLISH", "s", "x"}) == 0);
  CHECK(t.Run({"PUBSUB", "NUMPAT"}) == 0);
  CHECK(t.RunOn(1, {"GET", "k"}).is_null());

  Frames(t, 2, {"SUBSCRIBE", "a"});
  Frames(t, 2, {"PSUBSCRIBE", "a*"});
  Frames(t, 3, {"SUBSCRIBE", "a"});
  t.server().RemoveClient(&t.client(2));  // what a disconnect does
  CHECK(t.Run({"PUBLISH", "a", "x"}) == 1);
  CHECK(t.Run({"PUBSUB", "NUMSUB", "a"}).strings() == Strings{"a", "1"});
  CHECK(t.Run({"PUBSUB", "NUMPAT"}) == 0);
  t.server().AddClient(&t.client(2));  // the harness unregisters it at the end
}

TEST_CASE("CLIENT LIST shows sub/psub/ssub counts, flag P and type pubsub", "[pubsub]") {
  TestServer t;
  Frames(t, 1, {"SUBSCRIBE", "a", "b"});
  Frames(t, 1, {"PSUBSCRIBE", "p*"});
  Frames(t, 1, {"SSUBSCRIBE", "s1", "s2", "s3"});
  std::string id1 = std::to_string(t.client(1).id);
  std::string line = t.Run({"CLIENT", "LIST", "ID", id1}).str;
  CHECK(line.find(" flags=P ") != std::string::npos);
  CHECK(line.find(" sub=2 psub=1 ssub=3 ") != std::string::npos);
  std::string mine = t.Run({"CLIENT", "INFO"}).str;
  CHECK(mine.find(" flags=N ") != std::string::npos);
  CHECK(mine.find(" sub=0 psub=0 ssub=0 ") != std::string::npos);
  std::string pubsub_list = t.Run({"CLIENT", "LIST", "TYPE", "pubsub"}).str;
  CHECK(pubsub_list.find("id=" + id1 + " ") == 0);
  CHECK(std::count(pubsub_list.begin(), pubsub_list.end(), '\n') == 1);
  std::string normal = t.Run({"CLIENT", "LIST", "TYPE", "normal"}).str;
  CHECK(normal.find("id=" + id1 + " ") == std::string::npos);
  // RESP3 subscribers are of type pubsub as well (Redis sets the flag for both).
  UseResp3(t, 2);
  Frames(t, 2, {"SUBSCRIBE", "x"});
  CHECK(t.Run({"CLIENT", "KILL", "TYPE", "pubsub"}) == 2);
  CHECK(t.client(1).flags & Client::kCloseAsap);
  CHECK(t.client(2).flags & Client::kCloseAsap);
}

TEST_CASE("INFO stats counts channels, patterns and shard channels", "[pubsub]") {
  TestServer t;
  CHECK(InfoField(t, "pubsub_channels") == "0");
  Frames(t, 1, {"SUBSCRIBE", "a", "b"});
  Frames(t, 2, {"SUBSCRIBE", "b", "c"});
  Frames(t, 1, {"PSUBSCRIBE", "x*"});
  Frames(t, 2, {"PSUBSCRIBE", "x*", "y*"});
  Frames(t, 2, {"SSUBSCRIBE", "s"});
  CHECK(InfoField(t, "pubsub_channels") == "3");
  CHECK(InfoField(t, "pubsub_patterns") == "2");
  CHECK(InfoField(t, "pubsubshard_channels") == "1");
  Frames(t, 2, {"UNSUBSCRIBE"});
  CHECK(InfoField(t, "pubsub_channels") == "2");
}

TEST_CASE("COMMAND INFO of the pub/sub commands matches Redis 7.0", "[pubsub]") {
  TestServer t;
  RespValue sub = t.Run({"COMMAND", "INFO", "subscribe"})[0];
  CHECK(sub[1] == -2);
  CHECK(sub[2].strings() == Strings{"pubsub", "noscript", "loading", "stale"});
  CHECK(sub[6].strings() == Strings{"@pubsub", "@slow"});
  RespValue pub = t.Run({"COMMAND", "INFO", "publish"})[0];
  CHECK(pub[2].strings() == Strings{"pubsub", "loading", "stale", "fast"});
  CHECK(pub[6].strings() == Strings{"@pubsub", "@fast"});
  RespValue spub = t.Run({"COMMAND", "INFO", "spublish"})[0];
  CHECK(spub[3] == 1);
  CHECK(spub[4] == 1);
  RespValue ssub = t.Run({"COMMAND", "INFO", "ssubscribe"})[0];
  CHECK(ssub[3] == 1);
  CHECK(ssub[4] == -1);
  // The shard channel is a key only for cluster routing: "not_key".
  CHECK(ssub[8][0].at("flags").strings() == Strings{"not_key"});
}

TEST_CASE("Server::Publish and HasSubscribers", "[pubsub]") {
  TestServer t;
  ordis::Server& s = t.server();
  CHECK_FALSE(s.HasSubscribers("order.user.7"));
  CHECK(s.Publish("order.user.7", "{}") == 0);
  Frames(t, 1, {"SUBSCRIBE", "order.user.7"});
  CHECK(s.HasSubscribers("order.user.7"));
  CHECK_FALSE(s.HasSubscribers("order.user.8"));
  Frames(t, 2, {"PSUBSCRIBE", "order.book.*"});
  CHECK(s.HasSubscribers("order.book.BTC-USD"));
  CHECK_FALSE(s.HasSubscribers("order.user.8"));
  // Shard subscribers do not count: Publish would not reach them.
  Frames(t, 3, {"SSUBSCRIBE", "order.user.9"});
  CHECK_FALSE(s.HasSubscribers("order.user.9"));
  const std::string event = R"({"event":"new","id":1,"user":7})";
  CHECK(s.Publish("order.user.7", event) == 1);
  CHECK(s.Publish("order.book.BTC-USD", event) == 1);
  CHECK(Pending(t, 1) == std::vector<Strings>{{"message", "order.user.7", event}});
  CHECK(Pending(t, 2) ==
        std::vector<Strings>{{"pmessage", "order.book.*", "order.book.BTC-USD", event}});
  Frames(t, 1, {"UNSUBSCRIBE"});
  CHECK_FALSE(s.HasSubscribers("order.user.7"));
  Frames(t, 2, {"PUNSUBSCRIBE"});
  CHECK_FALSE(s.HasSubscribers("order.book.BTC-USD"));
}

TEST_CASE("Deliveries skip clients being closed but count them", "[pubsub]") {
  TestServer t;
  Frames(t, 1, {"SUBSCRIBE", "c"});
  t.client(1).flags |= Client::kCloseAsap;
  CHECK(t.Run({"PUBLISH", "c", "x"}) == 1);
  CHECK(t.client(1).out.empty());
  // After QUIT's reply nothing else is sent either.
  Frames(t, 2, {"SUBSCRIBE", "c"});
  CHECK(t.RunOn(2, {"QUIT"}) == "OK");
  CHECK(t.Run({"PUBLISH", "c", "x"}) == 2);
  CHECK(t.client(2).out.empty());
}

TEST_CASE("PubSub registry keeps both sides in step", "[pubsub]") {
  ordis::PubSub ps;
  Client a, b;
  CHECK(ps.Subscribe(a, "x"));
  CHECK_FALSE(ps.Subscribe(a, "x"));
  CHECK(ps.Subscribe(b, "x"));
  CHECK(ps.PSubscribe(a, "x*"));
  CHECK_FALSE(ps.PSubscribe(a, "x*"));
  CHECK(ps.SSubscribe(b, "x"));
  CHECK(ps.NumSub("x") == 2);
  CHECK(ps.ShardNumSub("x") == 1);
  CHECK(ps.channel_count() == 1);
  CHECK(ps.pattern_count() == 1);
  CHECK(ps.Publish("x", "m") == 3);
  CHECK(ps.SPublish("x", "m") == 1);
  CHECK(ps.Unsubscribe(a, "x"));
  CHECK_FALSE(ps.Unsubscribe(a, "x"));
  CHECK(a.flags & Client::kPubSub);  // still has a pattern
  CHECK(ps.PUnsubscribe(a, "x*"));
  CHECK_FALSE(a.flags & Client::kPubSub);
  CHECK(ps.pattern_count() == 0);
  ps.RemoveClient(b);
  CHECK(ps.channel_count() == 0);
  CHECK(ps.shard_channel_count() == 0);
  CHECK_FALSE(b.flags & Client::kPubSub);
  CHECK(b.pubsub.channels.empty());
  CHECK_FALSE(ps.SUnsubscribe(b, "x"));
}
