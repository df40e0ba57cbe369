// Connection commands (PING ECHO SELECT QUIT RESET AUTH HELLO CLIENT)
// against Redis 7.0.15's replies and error texts.
#include <catch2/catch.hpp>
#include <regex>
#include <string>
#include <vector>

#include "harness.h"

using ordis::Client;
using ordis::Server;
using ordis::test::RespValue;
using ordis::test::TestServer;

namespace {

// The raw bytes a command writes on client i (to check RESP3 exactly).
std::string Raw(TestServer& t, const std::vector<std::string>& args, int i = 0) {
  Client& c = t.client(i);
  c.out.Clear();
  std::vector<std::string_view> views(args.begin(), args.end());
  t.server().Dispatch(c, views);
  std::string out(c.out.view());
  c.out.Clear();
  return out;
}

bool NoReply(const RespValue& v) {
  return v.type == RespValue::kNull && v.str == "(no reply)";
}

// Records CloseClient calls instead of closing sockets.
struct FakeHost : ordis::ClientHost {
  std::vector<Client*> closed;
  void CloseClient(Client* c) override { closed.push_back(c); }
  void WakeWriter(Client*) override {}
  void Stop() override {}
  int bound_port() const override { return 6379; }
};

ordis::Config WithPassword(const std::string& pass) {
  ordis::Config cfg;
  cfg.requirepass = pass;
  return cfg;
}

// Parses "k=v k=v ..." into pairs, in order.
std::vector<std::pair<std::string, std::string>> Fields(const std::string& line) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos < line.size()) {
    size_t sp = line.find(' ', pos);
    if (sp == std::string::npos) sp = line.size();
    std::string kv = line.substr(pos, sp - pos);
    size_t eq = kv.find('=');
    out.emplace_back(kv.substr(0, eq), eq == std::string::npos ? "" : kv.substr(eq + 1));
    pos = sp + 1;
  }
  return out;
}

std::string Field(const std::string& line, const std::string& name) {
  for (auto& [k, v] : Fields(line))
    if (k == name) return v;
  return "(missing)";
}

}  // namespace

TEST_CASE("PING ECHO SELECT", "[connection]") {
  TestServer t;
  CHECK(t.Run({"PING"}) == "PONG");
  CHECK(t.Run({"PING"}).type == RespValue::kSimple);
  CHECK(t.Run({"PING", "hello"}) == "hello");
  CHECK(t.Run({"PING", "hello"}).type == RespValue::kBulk);
  CHECK(t.Run({"PING", "a", "b"}).is_error("ERR wrong number of arguments for 'ping' command"));
  CHECK(t.Run({"ECHO", "x y"}) == "x y");
  CHECK(t.Run({"ECHO"}).is_error("ERR wrong number of arguments for 'echo' command"));
  CHECK(t.Run({"SELECT", "3"}) == "OK");
  CHECK(t.client().db == 3);
  CHECK(t.Run({"SELECT", "16"}).is_error("ERR DB index is out of range"));
  CHECK(t.Run({"SELECT", "-1"}).is_error("ERR DB index is out of range"));
  CHECK(t.Run({"SELECT", "x"}).is_error("ERR value is not an integer or out of range"));
  CHECK(t.client().db == 3);
}

TEST_CASE("QUIT replies OK and closes after the reply", "[connection]") {
  TestServer t;
  CHECK(t.Run({"QUIT"}) == "OK");
  CHECK(t.client().flags & Client::kCloseAfterReply);
  // QUIT inside MULTI is not queued.
  TestServer t2;
  t2.Run({"MULTI"});
  CHECK(t2.Run({"QUIT"}) == "OK");
  CHECK(t2.client().flags & Client::kCloseAfterReply);
}

TEST_CASE("AUTH without requirepass", "[connection][auth]") {
  TestServer t;
  CHECK(t.Run({"AUTH", "pw"}).str ==
        "ERR AUTH <password> called without any password configured for the default user. Are "
        "you sure your configuration is correct?");
  // The default user has no password: any password is accepted for it.
  CHECK(t.Run({"AUTH", "default", "whatever"}) == "OK");
  CHECK(t.Run({"AUTH", "bob", "pw"}).str ==
        "WRONGPASS invalid username-password pair or user is disabled.");
  CHECK(t.Run({"AUTH", "a", "b", "c"}).is_error("ERR syntax error"));
  CHECK(t.Run({"AUTH"}).is_error("ERR wrong number of arguments for 'auth' command"));
}

TEST_CASE("AUTH with requirepass", "[connection][auth]") {
  TestServer t(WithPassword("s3cret"));
  CHECK_FALSE(t.client().authenticated);
  CHECK(t.Run({"GET", "k"}).str == "NOAUTH Authentication required.");
  CHECK(t.Run({"PING"}).str == "NOAUTH Authentication required.");
  CHECK(t.Run({"AUTH", "wrong"}).str ==
        "WRONGPASS invalid username-password pair or user is disabled.");
  CHECK(t.Run({"AUTH", "s3cre"}).is_error("WRONGPASS*"));
  CHECK(t.Run({"AUTH", "s3cret!"}).is_error("WRONGPASS*"));
  CHECK(t.Run({"AUTH", "bob", "s3cret"}).is_error("WRONGPASS*"));
  CHECK_FALSE(t.client().authenticated);
  CHECK(t.Run({"AUTH", "s3cret"}) == "OK");
  CHECK(t.Run({"PING"}) == "PONG");
  // A later wrong password does not log the client out.
  CHECK(t.Run({"AUTH", "nope"}).is_error("WRONGPASS*"));
  CHECK(t.Run({"PING"}) == "PONG");

  CHECK(t.RunOn(1, {"AUTH", "default", "s3cret"}) == "OK");
  CHECK(t.RunOn(1, {"PING"}) == "PONG");

  // Clearing requirepass lets unauthenticated clients in.
  CHECK(t.RunOn(2, {"PING"}).is_error("NOAUTH*"));
  t.server().config().requirepass.clear();
  CHECK(t.RunOn(2, {"PING"}) == "PONG");
}

TEST_CASE("NOAUTH inside MULTI aborts the transaction", "[connection][auth]") {
  TestServer t(WithPassword("pw"));
  // MULTI itself needs auth.
  CHECK(t.Run({"MULTI"}).is_error("NOAUTH*"));
  CHECK(t.Run({"AUTH", "pw"}) == "OK");
  CHECK(t.Run({"MULTI"}) == "OK");
  CHECK(t.Run({"PING"}) == "QUEUED");
  CHECK(t.Run({"EXEC"})[0] == "PONG");
}

TEST_CASE("HELLO switches protocol and reports the connection", "[connection][hello]") {
  TestServer t;
  RespValue r = t.Run({"HELLO"});
  REQUIRE(r.type == RespValue::kArray);
  CHECK(r.size() == 14);
  CHECK(r.at("server") == "redis");
  CHECK(r.at("version") == "7.0.15");
  CHECK(r.at("proto") == 2);
  CHECK(r.at("id") == static_cast<int64_t>(t.client().id));
  CHECK(r.at("mode") == "standalone");
  CHECK(r.at("role") == "master");
  CHECK(r.at("modules").type == RespValue::kArray);
  CHECK(r.at("modules").size() == 0);

  r = t.Run({"HELLO", "3"});
  REQUIRE(r.type == RespValue::kMap);
  CHECK(r.size() == 14);
  CHECK(r.at("proto") == 3);
  CHECK(t.client().proto == 3);
  CHECK(t.client().reply.proto() == 3);
  // RESP3 from now on: nulls, maps.
  CHECK(Raw(t, {"CLIENT", "GETNAME"}) == "_\r\n");
  std::string raw = Raw(t, {"HELLO"});
  CHECK(raw.rfind("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n"
                  "$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:",
                  0) == 0);
  CHECK(raw.find("$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules"
                 "\r\n*0\r\n") != std::string::npos);

  r = t.Run({"HELLO", "2"});
  CHECK(r.type == RespValue::kArray);
  CHECK(r.at("proto") == 2);
  CHECK(Raw(t, {"CLIENT", "GETNAME"}) == "$-1\r\n");
}

TEST_CASE("HELLO errors", "[connection][hello]") {
  TestServer t;
  CHECK(t.Run({"HELLO", "abc"}).str == "ERR Protocol version is not an integer or out of range");
  CHECK(t.Run({"HELLO", "1"}).str == "NOPROTO unsupported protocol version");
  CHECK(t.Run({"HELLO", "4"}).str == "NOPROTO unsupported protocol version");
  CHECK(t.Run({"HELLO", "3", "foo"}).str == "ERR Syntax error in HELLO option 'foo'");
  CHECK(t.Run({"HELLO", "3", "AUTH", "default"}).str == "ERR Syntax error in HELLO option 'AUTH'");
  CHECK(t.Run({"HELLO", "3", "SETNAME"}).str == "ERR Syntax error in HELLO option 'SETNAME'");
  CHECK(t.Run({"HELLO", "3", "SETNAME", "a b"}).str ==
        "ERR Client names cannot contain spaces, newlines or special characters.");
  CHECK(t.Run({"HELLO", "3", "AUTH", "bob", "x"}).str ==
        "WRONGPASS invalid username-password pair or user is disabled.");
  // None of the failures switched the protocol.
  CHECK(t.client().proto == 2);
}

TEST_CASE("HELLO AUTH and SETNAME", "[connection][hello]") {
  TestServer t(WithPassword("pw"));
  CHECK(t.Run({"HELLO", "3"}).str ==
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
        "AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
        "protocol version at the same time");
  CHECK(t.client().proto == 2);
  CHECK(t.Run({"HELLO", "3", "AUTH", "default", "bad"}).is_error("WRONGPASS*"));
  RespValue r = t.Run({"HELLO", "3", "AUTH", "default", "pw", "SETNAME", "conn1"});
  REQUIRE(r.type == RespValue::kMap);
  CHECK(t.client().authenticated);
  CHECK(t.client().name == "conn1");
  CHECK(t.Run({"CLIENT", "GETNAME"}) == "conn1");
  // No protover: reports the context without switching.
  r = t.Run({"HELLO"});
  CHECK(r.type == RespValue::kMap);
  CHECK(r.at("proto") == 3);
}

TEST_CASE("RESET returns the connection to its initial state", "[connection][reset]") {
  TestServer t;
  t.Run({"HELLO", "3", "SETNAME", "n"});
  t.Run({"SELECT", "5"});
  t.Run({"CLIENT", "NO-TOUCH", "ON"});
  t.Run({"WATCH", "k"});
  t.Run({"MULTI"});
  t.Run({"SET", "k", "v"});
  t.client().flags |= Client::kMonitor;
  t.server().monitors().push_back(&t.client());

  std::string raw = Raw(t, {"RESET"});
  CHECK(raw == "+RESET\r\n");
  Client& c = t.client();
  CHECK(c.db == 0);
  CHECK(c.proto == 2);
  CHECK(c.reply.proto() == 2);
  CHECK(c.name.empty());
  CHECK_FALSE(c.in_multi());
  CHECK(c.multi_queue.empty());
  CHECK(c.watched.empty());
  CHECK(t.server().watched_keys_count() == 0);
  CHECK_FALSE(c.flags & Client::kMonitor);
  CHECK(t.server().monitors().empty());
  CHECK_FALSE(c.flags & Client::kNoTouch);
  // The queued SET never ran.
  CHECK(t.Run({"GET", "k"}).is_null());
  CHECK(t.Run({"EXEC"}).is_error("ERR EXEC without MULTI"));
}

TEST_CASE("RESET replies even after CLIENT REPLY OFF", "[connection][reset]") {
  TestServer t;
  CHECK(NoReply(t.Run({"CLIENT", "REPLY", "OFF"})));
  CHECK(NoReply(t.Run({"PING"})));
  CHECK(t.Run({"RESET"}) == "RESET");
  CHECK(t.Run({"PING"}) == "PONG");
}

TEST_CASE("RESET requires AUTH again when requirepass is set", "[connection][reset]") {
  TestServer t(WithPassword("pw"));
  CHECK(t.Run({"AUTH", "pw"}) == "OK");
  CHECK(t.Run({"PING"}) == "PONG");
  CHECK(t.Run({"RESET"}) == "RESET");
  CHECK(t.Run({"PING"}).is_error("NOAUTH*"));
  // RESET itself needs no auth.
  CHECK(t.Run({"RESET"}) == "RESET");
}

TEST_CASE("CLIENT ID SETNAME GETNAME", "[connection][client]") {
  TestServer t;
  CHECK(t.Run({"CLIENT", "ID"}) == static_cast<int64_t>(t.client(0).id));
  CHECK(t.RunOn(1, {"CLIENT", "ID"}) == static_cast<int64_t>(t.client(1).id));
  CHECK(t.client(0).id != t.client(1).id);
  CHECK(t.Run({"CLIENT", "GETNAME"}).is_null());
  CHECK(t.Run({"CLIENT", "SETNAME", "worker-1"}) == "OK");
  CHECK(t.Run({"CLIENT", "GETNAME"}) == "worker-1");
  const std::vector<std::string> bad_names = {"a b",       "a\nb", std::string("a\0b", 3),
                                              "tab\there", "\x7f", "\xc3\xa9"};
  for (const std::string& bad : bad_names) {
    INFO(bad);
    CHECK(t.Run({"CLIENT", "SETNAME", bad}).str ==
          "ERR Client names cannot contain spaces, newlines or special characters.");
  }
  CHECK(t.Run({"CLIENT", "GETNAME"}) == "worker-1");
  // An empty name removes it.
  CHECK(t.Run({"CLIENT", "SETNAME", ""}) == "OK");
  CHECK(t.Run({"CLIENT", "GETNAME"}).is_null());
  CHECK(t.Run({"CLIENT", "SETNAME"}).str ==
        "ERR wrong number of arguments for 'client|setname' command");
  CHECK(t.Run({"CLIENT", "ID", "x"}).str ==
        "ERR wrong number of arguments for 'client|id' command");
  CHECK(t.Run({"CLIENT", "FOO"}).str == "ERR unknown subcommand 'FOO'. Try CLIENT HELP.");
  CHECK(t.Run({"CLIENT"}).str == "ERR wrong number of arguments for 'client' command");
}

TEST_CASE("CLIENT LIST and INFO use Redis 7.0's line format", "[connection][client]") {
  TestServer t;
  t.Run({"CLIENT", "SETNAME", "me"});
  // What the network layer has buffered while the command runs.
  const std::string req = "*2\r\n$6\r\nclient\r\n$4\r\nlist\r\n";
  t.client().in.Append(req);
  RespValue r = t.Run({"client", "list"});
  t.client().in.Clear();
  REQUIRE(r.type == RespValue::kBulk);
  REQUIRE(r.str.back() == '\n');
  std::string line = r.str.substr(0, r.str.size() - 1);
  CHECK(line.find('\n') == std::string::npos);  // one client
  std::vector<std::string> names;
  for (auto& [k, v] : Fields(line)) names.push_back(k);
  CHECK(names == std::vector<std::string>{
                     "id",        "addr",     "laddr",     "fd",   "name", "age",   "idle",
                     "flags",     "db",       "sub",       "psub", "ssub", "multi", "qbuf",
                     "qbuf-free", "argv-mem", "multi-mem", "rbs",  "rbp",  "obl",   "oll",
                     "omem",      "tot-mem",  "events",    "cmd",  "user", "redir", "resp"});
  CHECK(Field(line, "id") == std::to_string(t.client().id));
  CHECK(Field(line, "addr") == "127.0.0.1:40000");
  CHECK(Field(line, "laddr") == "127.0.0.1:6379");
  CHECK(Field(line, "name") == "me");
  CHECK(Field(line, "flags") == "N");
  CHECK(Field(line, "db") == "0");
  CHECK(Field(line, "sub") == "0");
  CHECK(Field(line, "multi") == "-1");
  CHECK(Field(line, "qbuf") == "26");
  CHECK(Field(line, "argv-mem") == "10");
  CHECK(Field(line, "multi-mem") == "0");
  CHECK(Field(line, "obl") == "0");
  CHECK(Field(line, "oll") == "0");
  CHECK(Field(line, "omem") == "0");
  CHECK(Field(line, "events") == "r");
  CHECK(Field(line, "cmd") == "client|list");
  CHECK(Field(line, "user") == "default");
  CHECK(Field(line, "redir") == "-1");
  CHECK(Field(line, "resp") == "2");
  // The same pattern upstream's introspection test uses.
  CHECK(ordis::GlobMatch(
      "id=* addr=*:* laddr=*:* fd=* name=* age=* idle=* flags=N db=* sub=0 psub=0 ssub=0 "
      "multi=-1 qbuf=26 qbuf-free=* argv-mem=* multi-mem=0 rbs=* rbp=* obl=0 oll=0 omem=0 "
      "tot-mem=* events=r cmd=client|list user=* redir=-1 resp=2*",
      r.str));

  r = t.Run({"CLIENT", "INFO"});
  CHECK(Field(r.str.substr(0, r.str.size() - 1), "cmd") == "client|info");
  CHECK(r.str.back() == '\n');
}

TEST_CASE("CLIENT LIST shows flags, db, multi and resp of each client", "[connection][client]") {
  TestServer t;
  t.RunOn(1, {"SELECT", "4"});
  t.RunOn(1, {"MULTI"});
  t.RunOn(1, {"SET", "a", "b"});
  t.RunOn(1, {"PING"});
  t.RunOn(2, {"HELLO", "3"});
  t.RunOn(2, {"CLIENT", "NO-EVICT", "ON"});
  t.RunOn(3, {"WATCH", "k"});
  t.Run({"SET", "k", "1"});  // dirties client 3

  RespValue r = t.Run({"CLIENT", "LIST"});
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < r.str.size()) {
    size_t nl = r.str.find('\n', pos);
    lines.push_back(r.str.substr(pos, nl - pos));
    pos = nl + 1;
  }
  REQUIRE(lines.size() == 4);
  // Ordered by id (connection order).
  CHECK(Field(lines[0], "id") == std::to_string(t.client(0).id));
  CHECK(Field(lines[1], "flags") == "x");
  CHECK(Field(lines[1], "db") == "4");
  CHECK(Field(lines[1], "multi") == "2");
  CHECK(std::stoi(Field(lines[1], "multi-mem")) >= 8);
  CHECK(Field(lines[1], "cmd") == "multi");
  CHECK(Field(lines[2], "resp") == "3");
  CHECK(Field(lines[2], "flags") == "e");
  CHECK(Field(lines[2], "cmd") == "client|no-evict");
  CHECK(Field(lines[3], "flags") == "d");
  // Other clients are between commands: no argv memory.
  CHECK(Field(lines[1], "argv-mem") == "0");
}

TEST_CASE("CLIENT LIST TYPE and ID filters", "[connection][client]") {
  TestServer t;
  t.client(2);
  std::string id0 = std::to_string(t.client(0).id), id2 = std::to_string(t.client(2).id);
  RespValue r = t.Run({"CLIENT", "LIST", "ID", id2, "999", id0});
  REQUIRE(r.type == RespValue::kBulk);
  CHECK(r.str.rfind("id=" + id2 + " ", 0) == 0);
  CHECK(r.str.find("\nid=" + id0 + " ") != std::string::npos);
  CHECK(std::count(r.str.begin(), r.str.end(), '\n') == 2);
  CHECK(t.Run({"CLIENT", "LIST", "ID", "999"}) == "");
  CHECK(t.Run({"CLIENT", "LIST", "ID", "abc"}).str == "ERR Invalid client ID");
  CHECK(t.Run({"CLIENT", "LIST", "ID"}).str == "ERR syntax error");

  r = t.Run({"CLIENT", "LIST", "TYPE", "normal"});
  CHECK(std::count(r.str.begin(), r.str.end(), '\n') == 3);
  CHECK(t.Run({"CLIENT", "LIST", "TYPE", "NORMAL"}).str == r.str);
  CHECK(t.Run({"CLIENT", "LIST", "TYPE", "replica"}) == "");
  CHECK(t.Run({"CLIENT", "LIST", "TYPE", "master"}) == "");
  CHECK(t.Run({"CLIENT", "LIST", "TYPE", "pubsub"}) == "");
  CHECK(t.Run({"CLIENT", "LIST", "TYPE", "foo"}).str == "ERR Unknown client type 'foo'");
  CHECK(t.Run({"CLIENT", "LIST", "foo"}).str == "ERR syntax error");
  CHECK(t.Run({"CLIENT", "LIST", "TYPE", "normal", "x"}).str == "ERR syntax error");
}

TEST_CASE("CLIENT LIST is verbatim text in RESP3", "[connection][client]") {
  TestServer t;
  t.Run({"HELLO", "3"});
  std::string raw = Raw(t, {"CLIENT", "INFO"});
  CHECK(raw.rfind("=", 0) == 0);
  CHECK(raw.find("\r\ntxt:id=") != std::string::npos);
  RespValue r = t.Run({"CLIENT", "LIST"});
  CHECK(r.type == RespValue::kVerbatim);
  CHECK(r.str.rfind("id=", 0) == 0);
}

TEST_CASE("CLIENT KILL argument errors", "[connection][client][kill]") {
  TestServer t;
  CHECK(t.Run({"CLIENT", "KILL"}).str == "ERR wrong number of arguments for 'client|kill' command");
  CHECK(t.Run({"CLIENT", "KILL", "id", "10", "wrong_arg"}).str == "ERR syntax error");
  for (const char* bad : {"str", "-1", "0"})
    CHECK(t.Run({"CLIENT", "KILL", "id", bad}).str == "ERR client-id should be greater than 0");
  CHECK(t.Run({"CLIENT", "KILL", "type", "wrong_type"}).str ==
        "ERR Unknown client type 'wrong_type'");
  CHECK(t.Run({"CLIENT", "KILL", "user", "wrong_user"}).str == "ERR No such user 'wrong_user'");
  CHECK(t.Run({"CLIENT", "KILL", "skipme", "yes_or_no"}).str == "ERR syntax error");
  CHECK(t.Run({"CLIENT", "KILL", "foo", "bar"}).str == "ERR syntax error");
  CHECK(t.Run({"CLIENT", "KILL", "1.2.3.4:5"}).str == "ERR No such client");
}

TEST_CASE("CLIENT KILL closes other clients through the host", "[connection][client][kill]") {
  TestServer t;
  FakeHost host;
  t.server().set_host(&host);
  t.client(3);
  // Old form by address.
  CHECK(t.Run({"CLIENT", "KILL", t.client(1).addr}) == "OK");
  REQUIRE(host.closed.size() == 1);
  CHECK(host.closed[0] == &t.client(1));
  CHECK(t.client(1).flags & Client::kCloseAsap);
  CHECK_FALSE(t.client(0).flags & (Client::kCloseAsap | Client::kCloseAfterReply));

  // New form by id.
  CHECK(t.Run({"CLIENT", "KILL", "ID", std::to_string(t.client(2).id)}) == 1);
  REQUIRE(host.closed.size() == 2);
  CHECK(host.closed[1] == &t.client(2));
  // Several filters must all match.
  CHECK(t.Run({"CLIENT", "KILL", "ID", std::to_string(t.client(3).id), "ADDR", "1.1.1.1:1"}) == 0);
  CHECK(t.Run({"CLIENT", "KILL", "LADDR", "127.0.0.1:1"}) == 0);
  CHECK(t.Run({"CLIENT", "KILL", "TYPE", "master"}) == 0);
  CHECK(host.closed.size() == 2);
  t.server().set_host(nullptr);
}

TEST_CASE("CLIENT KILL SKIPME", "[connection][client][kill]") {
  TestServer t;
  FakeHost host;
  t.server().set_host(&host);
  t.client(2);
  // The host closes asynchronously, so the victims are still listed; all
  // three match, the caller is skipped by default.
  CHECK(t.Run({"CLIENT", "KILL", "USER", "default"}) == 2);
  CHECK_FALSE(t.client(0).flags & Client::kCloseAfterReply);
  host.closed.clear();
  CHECK(t.Run({"CLIENT", "KILL", "SKIPME", "no", "TYPE", "normal"}) == 3);
  CHECK(host.closed.size() == 2);  // the caller is not closed through the host
  CHECK(t.client(0).flags & Client::kCloseAfterReply);
  t.server().set_host(nullptr);
}

TEST_CASE("CLIENT KILL old form can kill the caller", "[connection][client][kill]") {
  TestServer t;
  RespValue r = t.Run({"CLIENT", "KILL", t.client().addr});
  CHECK(r == "OK");  // the reply is still delivered
  CHECK(t.client().flags & Client::kCloseAfterReply);
}

TEST_CASE("CLIENT PAUSE and UNPAUSE", "[connection][client][pause]") {
  TestServer t;
  Server& s = t.server();
  const ordis::CommandSpec* set = s.commands().Find("set");
  const ordis::CommandSpec* get = s.commands().Find("get");
  CHECK_FALSE(s.IsPaused(set));
  CHECK(t.Run({"CLIENT", "PAUSE", "100000"}) == "OK");
  CHECK(s.pause_until_ms > Server::NowMs() + 90000);
  CHECK(s.IsPaused(get));
  CHECK(s.IsPaused(set));
  // A WRITE pause during an ALL pause keeps ALL and the later end.
  int64_t until = s.pause_until_ms;
  CHECK(t.Run({"CLIENT", "PAUSE", "10", "WRITE"}) == "OK");
  CHECK(s.pause_until_ms == until);
  CHECK(s.IsPaused(get));
  CHECK(t.Run({"CLIENT", "UNPAUSE"}) == "OK");
  CHECK_FALSE(s.IsPaused(set));

  CHECK(t.Run({"CLIENT", "PAUSE", "100000", "write"}) == "OK");
  CHECK_FALSE(s.IsPaused(get));
  CHECK(s.IsPaused(set));
  CHECK(t.Run({"CLIENT", "PAUSE", "100000", "ALL"}) == "OK");
  CHECK(s.IsPaused(get));
  CHECK(t.Run({"CLIENT", "UNPAUSE"}) == "OK");

  CHECK(t.Run({"CLIENT", "PAUSE", "abc"}).str == "ERR timeout is not an integer or out of range");
  CHECK(t.Run({"CLIENT", "PAUSE", "-1"}).str == "ERR timeout is negative");
  CHECK(t.Run({"CLIENT", "PAUSE", "10", "foo"}).str ==
        "ERR CLIENT PAUSE mode must be WRITE or ALL");
  CHECK(t.Run({"CLIENT", "PAUSE", "10", "all", "x"}).str ==
        "ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP.");
  CHECK_FALSE(s.IsPaused(set));
  // Zero pauses nothing.
  CHECK(t.Run({"CLIENT", "PAUSE", "0"}) == "OK");
  CHECK_FALSE(s.IsPaused(get));
}

TEST_CASE("CLIENT PAUSE WRITE holds EXEC of transactions with writes",
          "[connection][client][pause]") {
  TestServer t;
  Server& s = t.server();
  const ordis::CommandSpec* exec = s.commands().Find("exec");
  t.RunOn(1, {"MULTI"});
  t.RunOn(1, {"SET", "a", "b"});
  t.RunOn(2, {"MULTI"});
  t.RunOn(2, {"GET", "a"});
  CHECK_FALSE(s.IsPaused(t.client(1), exec));
  CHECK(t.Run({"CLIENT", "PAUSE", "100000", "WRITE"}) == "OK");
  CHECK(s.IsPaused(t.client(1), exec));
  CHECK_FALSE(s.IsPaused(t.client(2), exec));
  CHECK_FALSE(s.IsPaused(t.client(1), s.commands().Find("ping")));
  CHECK(s.IsPaused(t.client(1), s.commands().Find("set")));
  CHECK(t.Run({"CLIENT", "UNPAUSE"}) == "OK");
  CHECK_FALSE(s.IsPaused(t.client(1), exec));
  // DISCARD forgets that the queue had writes.
  t.RunOn(1, {"DISCARD"});
  t.RunOn(1, {"MULTI"});
  t.Run({"CLIENT", "PAUSE", "100000", "WRITE"});
  CHECK_FALSE(s.IsPaused(t.client(1), exec));
  t.Run({"CLIENT", "UNPAUSE"});
}

TEST_CASE("CLIENT REPLY OFF/ON/SKIP", "[connection][client][reply]") {
  TestServer t;
  CHECK(NoReply(t.Run({"CLIENT", "REPLY", "OFF"})));
  CHECK(NoReply(t.Run({"PING", "pong"})));
  CHECK(NoReply(t.Run({"SET", "k", "v"})));
  CHECK(t.Run({"CLIENT", "REPLY", "ON"}) == "OK");
  CHECK(t.Run({"PING", "pong3"}) == "pong3");
  CHECK(t.Run({"GET", "k"}) == "v");  // commands ran while silenced

  CHECK(NoReply(t.Run({"CLIENT", "REPLY", "SKIP"})));
  CHECK(NoReply(t.Run({"PING", "pong"})));
  CHECK(t.Run({"PING", "pong2"}) == "pong2");

  // ON right after SKIP is itself answered.
  CHECK(NoReply(t.Run({"CLIENT", "REPLY", "SKIP"})));
  CHECK(t.Run({"CLIENT", "REPLY", "ON"}) == "OK");
  CHECK(t.Run({"PING"}) == "PONG");

  // SKIP while OFF stays OFF.
  t.Run({"CLIENT", "REPLY", "OFF"});
  CHECK(NoReply(t.Run({"CLIENT", "REPLY", "SKIP"})));
  CHECK(NoReply(t.Run({"PING"})));
  CHECK(NoReply(t.Run({"PING"})));
  CHECK(t.Run({"CLIENT", "REPLY", "ON"}) == "OK");

  CHECK(t.Run({"CLIENT", "REPLY", "maybe"}).str == "ERR syntax error");
  // Errors while silenced are not delivered either.
  t.Run({"CLIENT", "REPLY", "OFF"});
  CHECK(NoReply(t.Run({"CLIENT", "REPLY", "maybe"})));
  CHECK(t.Run({"CLIENT", "REPLY", "ON"}) == "OK");
}

TEST_CASE("CLIENT NO-EVICT NO-TOUCH SETINFO", "[connection][client]") {
  TestServer t;
  CHECK(t.Run({"CLIENT", "NO-EVICT", "on"}) == "OK");
  CHECK(t.client().flags & Client::kNoEvict);
  CHECK(t.Run({"CLIENT", "NO-EVICT", "OFF"}) == "OK");
  CHECK_FALSE(t.client().flags & Client::kNoEvict);
  CHECK(t.Run({"CLIENT", "NO-EVICT", "x"}).str == "ERR syntax error");
  CHECK(t.Run({"CLIENT", "NO-TOUCH", "ON"}) == "OK");
  CHECK(t.client().flags & Client::kNoTouch);
  CHECK(Field(t.Run({"CLIENT", "INFO"}).str, "flags") == "T");
  CHECK(t.Run({"CLIENT", "NO-TOUCH", "off"}) == "OK");
  CHECK_FALSE(t.client().flags & Client::kNoTouch);
  CHECK(t.Run({"CLIENT", "NO-TOUCH", "x"}).str == "ERR syntax error");

  CHECK(t.Run({"CLIENT", "SETINFO", "LIB-NAME", "redis-py"}) == "OK");
  CHECK(t.Run({"CLIENT", "SETINFO", "lib-ver", "5.0.1"}) == "OK");
  CHECK(t.client().lib_name == "redis-py");
  CHECK(t.client().lib_ver == "5.0.1");
  CHECK(t.Run({"CLIENT", "SETINFO", "LIB-NAME", "a b"}).str ==
        "ERR LIB-NAME cannot contain spaces, newlines or special characters.");
  CHECK(t.client().lib_name == "redis-py");
  CHECK(t.Run({"CLIENT", "SETINFO", "color", "red"}).str == "ERR Unrecognized option 'color'");
}

TEST_CASE("CLIENT tracking subcommands describe a non-tracking client", "[connection][client]") {
  TestServer t;
  CHECK(t.Run({"CLIENT", "GETREDIR"}) == -1);
  CHECK(t.Run({"CLIENT", "CACHING", "yes"}).str ==
        "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
        "OPTOUT mode enabled");
  CHECK(t.Run({"CLIENT", "TRACKING", "off"}) == "OK");
  CHECK(t.Run({"CLIENT", "TRACKING", "on"}).is_error("ERR *not supported*"));
  CHECK(t.Run({"CLIENT", "TRACKING", "maybe"}).str == "ERR syntax error");
  CHECK(t.Run({"CLIENT", "TRACKING", "on", "foo"}).str == "ERR syntax error");
  CHECK(t.Run({"CLIENT", "TRACKING", "on", "PREFIX", "a"}).str ==
        "ERR PREFIX option requires BCAST mode to be enabled");
  CHECK(t.Run({"CLIENT", "TRACKING", "on", "BCAST", "OPTIN"}).str ==
        "ERR OPTIN and OPTOUT are not compatible with BCAST");
  CHECK(t.Run({"CLIENT", "TRACKING", "on", "OPTIN", "OPTOUT"}).str ==
        "ERR You can't specify both OPTIN mode and OPTOUT mode");
  CHECK(t.Run({"CLIENT", "TRACKING", "on", "REDIRECT", "999"}).str ==
        "ERR The client ID you want redirect to does not exist");
  RespValue r = t.Run({"CLIENT", "TRACKINGINFO"});
  CHECK(r.at("flags").strings() == std::vector<std::string>{"off"});
  CHECK(r.at("redirect") == -1);
  CHECK(r.at("prefixes").size() == 0);
  t.Run({"HELLO", "3"});
  r = t.Run({"CLIENT", "TRACKINGINFO"});
  CHECK(r.type == RespValue::kMap);
  CHECK(r.at("flags").type == RespValue::kSet);
}

TEST_CASE("CLIENT UNBLOCK and HELP", "[connection][client]") {
  TestServer t;
  CHECK(t.Run({"CLIENT", "UNBLOCK", std::to_string(t.client(1).id)}) == 0);
  CHECK(t.Run({"CLIENT", "UNBLOCK", "5", "ERROR"}) == 0);
  CHECK(t.Run({"CLIENT", "UNBLOCK", "5", "foo"}).str ==
        "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
  CHECK(t.Run({"CLIENT", "UNBLOCK", "abc"}).str == "ERR value is not an integer or out of range");
  RespValue r = t.Run({"CLIENT", "HELP"});
  REQUIRE(r.size() > 10);
  CHECK(r[0] == "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  CHECK(r[0].type == RespValue::kSimple);
  CHECK(r[r.size() - 2] == "HELP");
  CHECK(r[r.size() - 1] == "    Prints this help.");
}

TEST_CASE("Connection commands are registered as in Redis 7.0", "[connection][table]") {
  TestServer t;
  const auto& table = t.server().commands();
  auto flags = [&](const char* name) {
    return ordis::CommandTable::FlagNames(table.Find(name)->flags);
  };
  CHECK(flags("quit") ==
        std::vector<std::string>{"noscript", "loading", "stale", "fast", "no_auth", "allow_busy"});
  CHECK(flags("echo") == std::vector<std::string>{"loading", "stale", "fast"});
  CHECK(table.Find("hello")->arity == -1);
  CHECK(table.Find("auth")->arity == -2);
  const ordis::CommandSpec* client = table.Find("client");
  REQUIRE(client);
  CHECK(client->handler == nullptr);
  const ordis::CommandSpec* kill = ordis::CommandTable::FindSub(*client, "KILL");
  REQUIRE(kill);
  CHECK(kill->arity == -3);
  CHECK(ordis::CommandTable::AclNames(*kill) ==
        std::vector<std::string>{"@admin", "@slow", "@dangerous", "@connection"});
  const ordis::CommandSpec* id = ordis::CommandTable::FindSub(*client, "id");
  CHECK(ordis::CommandTable::AclNames(*id) == std::vector<std::string>{"@slow", "@connection"});
  CHECK(ordis::CommandTable::AclNames(*table.Find("ping")) ==
        std::vector<std::string>{"@fast", "@connection"});
}
