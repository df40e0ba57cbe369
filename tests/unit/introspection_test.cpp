#include <catch2/catch.hpp>
#include <string>

#include "cmd/command_docs.h"
#include "harness.h"

using ordis::CommandSpec;
using ordis::DocArg;
using ordis::GlobMatch;
using ordis::Server;
using ordis::test::RespValue;
using ordis::test::TestServer;
using ordis::test::UseResp3;

namespace {

CommandSpec Spec(const char* name, const char* syntax, int first = 0, int last = 0, int step = 0,
                 uint32_t flags = 0) {
  return CommandSpec{name,    -1,     flags,   0,   first,  last,  step,
                     nullptr, "test", "1.0.0", "s", "O(1)", syntax};
}

std::string Hint(const char* syntax, int first = 0, int last = 0, int step = 0) {
  return ordis::RenderHint(ordis::ParseSyntax(Spec("x", syntax, first, last, step), false));
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

// ---------------------------------------------------------------------------
// Syntax parsing (COMMAND DOCS argument trees)

TEST_CASE("syntax strings render back to redis-cli's hints", "[introspection][docs]") {
  for (const char* s : {
           "key",
           "key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT "
           "unix-time-milliseconds|KEEPTTL]",
           "key [key ...]",
           "key value [key value ...]",
           "[section [section ...]]",
           "source destination LEFT|RIGHT LEFT|RIGHT",
           "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] "
           "[ALPHA] [STORE destination]",
           "[NOSAVE|SAVE] [NOW] [FORCE] [ABORT]",
           "numkeys key [key ...]",
           "[TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]",
           "LIB-NAME libname|LIB-VER libver",
           "key [GET encoding offset|[OVERFLOW WRAP|SAT|FAIL] SET encoding offset value|INCRBY "
           "encoding offset increment [GET encoding offset|[OVERFLOW WRAP|SAT|FAIL] SET encoding "
           "offset value|INCRBY encoding offset increment ...]]",
           "",
       }) {
    CHECK(Hint(s) == s);
  }
  // The explicit required group reads as Redis shows it.
  CHECK(Hint("[FILTERBY <MODULE module-name|ACLCAT category|PATTERN pattern>]") ==
        "[FILTERBY MODULE module-name|ACLCAT category|PATTERN pattern]");
}

TEST_CASE("every command's syntax survives the round trip", "[introspection][docs]") {
  TestServer t;
  auto check = [](const CommandSpec& spec, bool sub) {
    std::string syntax = spec.syntax ? spec.syntax : "";
    std::string expect;
    for (char c : syntax)
      if (c != '<' && c != '>') expect += c;
    INFO("command " << spec.name << " syntax '" << syntax << "'");
    CHECK(ordis::RenderHint(ordis::ParseSyntax(spec, sub)) == expect);
  };
  for (const CommandSpec* spec : t.server().commands().all()) {
    check(*spec, false);
    for (const CommandSpec& sub : spec->subcommands) check(sub, true);
  }
}

TEST_CASE("SET's arguments parse into Redis's tree", "[introspection][docs]") {
  CommandSpec set = Spec("set",
                         "key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT "
                         "unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]",
                         1, 1, 1);
  std::vector<DocArg> a = ordis::ParseSyntax(set, false);
  REQUIRE(a.size() == 5);
  CHECK(a[0].name == "key");
  CHECK(a[0].type == "key");
  CHECK(a[0].key_spec_index == 0);
  CHECK(a[1].name == "value");
  CHECK(a[1].type == "string");
  CHECK(a[2].type == "oneof");
  CHECK(a[2].optional);
  REQUIRE(a[2].args.size() == 2);
  CHECK(a[2].args[0].type == "pure-token");
  CHECK(a[2].args[0].token == "NX");
  CHECK(a[2].args[0].name == "nx");
  CHECK(a[3].type == "pure-token");
  CHECK(a[3].token == "GET");
  CHECK(a[3].optional);
  REQUIRE(a[4].args.size() == 5);
  CHECK(a[4].args[0].name == "seconds");
  CHECK(a[4].args[0].type == "integer");
  CHECK(a[4].args[0].token == "EX");
  CHECK(a[4].args[2].type == "unix-time");
  CHECK(a[4].args[4].type == "pure-token");
}

TEST_CASE("repeats, blocks and tokens", "[introspection][docs]") {
  auto parse = [](const char* syntax, int first = 0, int last = 0, int step = 0) {
    return ordis::ParseSyntax(Spec("x", syntax, first, last, step), false);
  };
  auto mset = parse("key value [key value ...]", 1, -1, 2);
  REQUIRE(mset.size() == 1);
  CHECK(mset[0].type == "block");
  CHECK(mset[0].multiple);
  CHECK_FALSE(mset[0].optional);
  REQUIRE(mset[0].args.size() == 2);
  CHECK(mset[0].args[0].type == "key");
  CHECK(mset[0].args[1].type == "string");

  auto sort = parse("key [LIMIT offset count] [GET pattern [GET pattern ...]]", 1, 1, 1);
  REQUIRE(sort.size() == 3);
  CHECK(sort[1].type == "block");
  CHECK(sort[1].token == "LIMIT");
  CHECK(sort[1].args[0].type == "integer");
  CHECK(sort[2].name == "pattern");
  CHECK(sort[2].type == "pattern");
  CHECK(sort[2].token == "GET");
  CHECK(sort[2].optional);
  CHECK(sort[2].multiple);
  CHECK(sort[2].multiple_token);

  auto list = parse("[FILTERBY <MODULE module-name|ACLCAT category|PATTERN pattern>]");
  REQUIRE(list.size() == 1);
  CHECK(list[0].type == "oneof");
  CHECK(list[0].token == "FILTERBY");
  CHECK(list[0].optional);
  REQUIRE(list[0].args.size() == 3);
  CHECK(list[0].args[1].token == "ACLCAT");
  CHECK(list[0].args[1].name == "category");

  auto lmove = parse("source destination LEFT|RIGHT LEFT|RIGHT", 1, 2, 1);
  REQUIRE(lmove.size() == 4);
  CHECK(lmove[0].type == "key");
  CHECK(lmove[1].type == "key");
  CHECK(lmove[2].type == "oneof");
  CHECK_FALSE(lmove[2].optional);
  CHECK(lmove[2].args[1].token == "RIGHT");

  // Keys by position even when the name says nothing.
  auto rename = parse("from to", 1, 2, 1);
  CHECK(rename[0].type == "key");
  CHECK(rename[1].type == "key");
  auto getrange = parse("key start end", 1, 1, 1);
  CHECK(getrange[1].type == "integer");

  auto type = parse("[TYPE NORMAL|MASTER]");
  REQUIRE(type.size() == 1);
  CHECK(type[0].token == "TYPE");
  CHECK(type[0].type == "oneof");
  CHECK(type[0].args.size() == 2);

  auto bitfield = parse(
      "key [GET encoding offset|INCRBY encoding offset increment [GET encoding offset|INCRBY "
      "encoding offset increment ...]]",
      1, 1, 1);
  REQUIRE(bitfield.size() == 2);
  CHECK(bitfield[1].type == "oneof");
  CHECK(bitfield[1].multiple);
  CHECK(bitfield[1].optional);
  CHECK(bitfield[1].args.size() == 2);

  // Malformed syntax does not crash and yields something.
  CHECK_NOTHROW(parse("key [unclosed <group | ] > ] ..."));
  CHECK_NOTHROW(parse("| | [ ] < >"));
}

TEST_CASE("key specs from positions and key_flags", "[introspection][docs]") {
  CommandSpec get = Spec("get", "key", 1, 1, 1, ordis::kCmdReadonly);
  auto ks = ordis::KeySpecsOf(get);
  REQUIRE(ks.size() == 1);
  CHECK(ks[0].flags == "RO access");
  CHECK(ks[0].begin_index == 1);
  CHECK(ks[0].lastkey == 0);

  CommandSpec mset = Spec("mset", "key value [key value ...]", 1, -1, 2, ordis::kCmdWrite);
  mset.key_flags = "OW update";
  ks = ordis::KeySpecsOf(mset);
  REQUIRE(ks.size() == 1);
  CHECK(ks[0].lastkey == -1);
  CHECK(ks[0].keystep == 2);
  std::vector<std::string_view> req5 = {"x", "a", "b", "c", "d"};
  auto keys = ordis::KeysOf(mset, req5);
  REQUIRE(keys.size() == 2);
  CHECK(keys[0].pos == 1);
  CHECK(keys[1].pos == 3);
  CHECK(keys[1].flags == "OW update");

  CommandSpec lmove =
      Spec("lmove", "source destination LEFT|RIGHT LEFT|RIGHT", 1, 2, 1, ordis::kCmdWrite);
  lmove.key_flags = "RW access delete, RW insert";
  ks = ordis::KeySpecsOf(lmove);
  REQUIRE(ks.size() == 2);
  CHECK(ks[0].begin_index == 1);
  CHECK(ks[0].lastkey == 0);
  CHECK(ks[1].begin_index == 2);
  CHECK(ks[1].flags == "RW insert");
  keys = ordis::KeysOf(lmove, req5);
  REQUIRE(keys.size() == 2);
  CHECK(keys[0].flags == "RW access delete");
  CHECK(keys[1].flags == "RW insert");
  auto args = ordis::ParseSyntax(lmove, false);
  CHECK(args[0].key_spec_index == 0);
  CHECK(args[1].key_spec_index == 1);

  CommandSpec bitop = Spec("bitop", "operation destkey key [key ...]", 2, -1, 1, ordis::kCmdWrite);
  bitop.key_flags = "OW update,RO access";
  ks = ordis::KeySpecsOf(bitop);
  REQUIRE(ks.size() == 2);
  CHECK(ks[1].begin_index == 3);
  CHECK(ks[1].lastkey == -1);
  std::vector<std::string_view> req6 = {"bitop", "and", "d", "k1", "k2", "k3"};
  CHECK(ordis::KeysOf(bitop, req6).size() == 4);

  CHECK(ordis::KeySpecsOf(Spec("ping", "[message]")).empty());
}

// ---------------------------------------------------------------------------
// COMMAND

TEST_CASE("COMMAND, COUNT and INFO", "[introspection][command]") {
  TestServer t;
  size_t n = t.server().commands().size();
  CHECK(t.Run({"COMMAND", "COUNT"}) == static_cast<int64_t>(n));
  RespValue all = t.Run({"COMMAND"});
  CHECK(all.size() == n);
  CHECK(t.Run({"COMMAND", "INFO"}).size() == n);

  RespValue info =
      t.Run({"COMMAND", "INFO", "get", "nosuch", "CONFIG|GET", "get|key", "config|get|key"});
  REQUIRE(info.size() == 5);
  const RespValue& get = info[0];
  REQUIRE(get.size() == 10);
  CHECK(get[0] == "get");
  CHECK(get[1] == 2);
  CHECK(get[2].strings() == std::vector<std::string>{"readonly", "fast"});
  CHECK(get[3] == 1);
  CHECK(get[4] == 1);
  CHECK(get[5] == 1);
  CHECK(get[6].strings() == std::vector<std::string>{"@read", "@string", "@fast"});
  CHECK(get[7].size() == 0);
  REQUIRE(get[8].size() == 1);
  CHECK(get[8][0].at("flags").strings() == std::vector<std::string>{"RO", "access"});
  CHECK(get[8][0].at("begin_search").at("spec").at("index") == 1);
  CHECK(get[8][0].at("find_keys").at("spec").at("lastkey") == 0);
  CHECK(get[9].size() == 0);
  CHECK(info[1].is_null());
  CHECK(info[2][0] == "config|get");
  CHECK(info[2][1] == -3);
  CHECK(info[3].is_null());
  CHECK(info[4].is_null());

  RespValue config = t.Run({"COMMAND", "INFO", "config"})[0];
  CHECK(config[2].size() == 0);
  CHECK(config[6].strings() == std::vector<std::string>{"@slow"});
  std::vector<std::string> subs;
  for (const RespValue& s : config[9].elems) subs.push_back(s[0].str);
  CHECK(Contains(subs, "config|set"));
  CHECK(Contains(subs, "config|resetstat"));

  // No command here has movable keys.
  for (const char* c : {"set", "get", "memory", "memory|usage", "ping"}) {
    RespValue e = t.Run({"COMMAND", "INFO", c})[0];
    CHECK_FALSE(Contains(e[2].strings(), "movablekeys"));
  }
}

TEST_CASE("COMMAND INFO flags are simple strings in RESP3 sets", "[introspection][command]") {
  TestServer t;
  UseResp3(t);
  RespValue e = t.Run({"COMMAND", "INFO", "memory|usage"})[0];
  CHECK(e[2].type == RespValue::kSet);
  CHECK(e[2][0].type == RespValue::kSimple);
  CHECK(e[8][0].type == RespValue::kMap);
  CHECK(e[8][0].at("flags").strings() == std::vector<std::string>{"RO"});
}

TEST_CASE("COMMAND DOCS", "[introspection][command]") {
  TestServer t;
  UseResp3(t);
  RespValue docs = t.Run({"COMMAND", "DOCS", "set", "nosuch", "config"});
  REQUIRE(docs.type == RespValue::kMap);
  REQUIRE(docs.size() == 4);
  CHECK(docs[0] == "set");
  const RespValue& set = docs[1];
  CHECK(set.at("group") == "string");
  CHECK(set.at("since") == "1.0.0");
  CHECK_FALSE(set.at("summary").str.empty());
  const RespValue& args = set.at("arguments");
  REQUIRE(args.size() >= 2);
  CHECK(args[0].at("name") == "key");
  CHECK(args[0].at("type") == "key");
  CHECK(args[0].at("key_spec_index") == 0);
  // flags are status replies: redis-cli asserts on it
  bool saw_flags = false;
  for (const RespValue& a : args.elems) {
    if (a.type != RespValue::kMap) continue;
    for (size_t i = 0; i + 1 < a.elems.size(); i += 2) {
      if (a.elems[i].str != "flags") continue;
      saw_flags = true;
      CHECK(a.elems[i + 1].type == RespValue::kSet);
      CHECK(a.elems[i + 1][0].type == RespValue::kSimple);
    }
  }
  CHECK(saw_flags);
  CHECK(docs[2] == "config");
  const RespValue& subs = docs[3].at("subcommands");
  CHECK(subs.at("config|get").at("arguments")[0].at("name") == "parameter");
  CHECK(subs.at("config|get").at("arguments")[0].at("flags")[0] == "multiple");

  RespValue sub = t.Run({"COMMAND", "DOCS", "config|get"});
  CHECK(sub[0] == "config|get");
  RespValue all = t.Run({"COMMAND", "DOCS"});
  CHECK(all.size() == 2 * t.server().commands().size());
  RespValue none = t.Run({"COMMAND", "DOCS", "nosuch"});
  CHECK(none.size() == 0);
  // Commands without arguments have no "arguments" field.
  CHECK_THROWS(t.Run({"COMMAND", "DOCS", "time"})[1].at("arguments"));
}

TEST_CASE("COMMAND LIST", "[introspection][command]") {
  TestServer t;
  std::vector<std::string> all = t.Run({"COMMAND", "LIST"}).strings();
  CHECK(Contains(all, "set"));
  CHECK(Contains(all, "config|get"));
  CHECK(Contains(all, "slowlog|get"));
  CHECK(t.Run({"COMMAND", "LIST", "FILTERBY", "PATTERN", "set"}).strings() ==
        std::vector<std::string>{"set"});
  auto config = t.Run({"COMMAND", "LIST", "FILTERBY", "PATTERN", "config*"}).strings();
  CHECK(Contains(config, "config"));
  CHECK(Contains(config, "config|get"));
  auto re = t.Run({"COMMAND", "LIST", "FILTERBY", "pattern", "config|*re*"}).strings();
  CHECK(Contains(re, "config|resetstat"));
  CHECK(Contains(re, "config|rewrite"));
  CHECK_FALSE(Contains(re, "config|get"));
  auto help = t.Run({"COMMAND", "LIST", "FILTERBY", "PATTERN", "*help"}).strings();
  CHECK(Contains(help, "config|help"));
  CHECK(Contains(help, "command|help"));
  CHECK(t.Run({"COMMAND", "LIST", "FILTERBY", "PATTERN", "non_exists*"}).size() == 0);
  auto admin = t.Run({"COMMAND", "LIST", "FILTERBY", "ACLCAT", "admin"}).strings();
  CHECK(Contains(admin, "config|set"));
  CHECK(Contains(admin, "debug"));
  CHECK_FALSE(Contains(admin, "get"));
  auto scripting = t.Run({"COMMAND", "LIST", "FILTERBY", "ACLCAT", "SCRIPTING"}).strings();
  CHECK(Contains(scripting, "function|flush"));
  CHECK(t.Run({"COMMAND", "LIST", "FILTERBY", "ACLCAT", "non_existing"}).size() == 0);
  CHECK(t.Run({"COMMAND", "LIST", "FILTERBY", "MODULE", "m"}).size() == 0);
  CHECK(t.Run({"COMMAND", "LIST", "bad_arg"}).is_error("ERR syntax error"));
  CHECK(t.Run({"COMMAND", "LIST", "FILTERBY", "bad_arg"}).is_error("ERR syntax error"));
  CHECK(t.Run({"COMMAND", "LIST", "FILTERBY", "bad", "x"}).is_error("ERR syntax error"));
}

TEST_CASE("COMMAND GETKEYS and GETKEYSANDFLAGS", "[introspection][command]") {
  TestServer t;
  CHECK(t.Run({"COMMAND", "GETKEYS", "get", "key"}).strings() == std::vector<std::string>{"key"});
  CHECK(t.Run({"COMMAND", "GETKEYS", "memory", "usage", "key"}).strings() ==
        std::vector<std::string>{"key"});
  CHECK(t.Run({"COMMAND", "GETKEYS", "nosuch", "x"}).is_error("ERR Invalid command specified"));
  CHECK(
      t.Run({"COMMAND", "GETKEYS", "config", "nosuch"}).is_error("ERR Invalid command specified"));
  CHECK(
      t.Run({"COMMAND", "GETKEYS", "ping", "x"}).is_error("ERR The command has no key arguments"));
  // Shard channels are key specs flagged not_key: Redis 7.0 reports no keys.
  CHECK(t.Run({"COMMAND", "GETKEYS", "spublish", "ch", "m"})
            .is_error("ERR The command has no key arguments"));
  CHECK(t.Run({"COMMAND", "GETKEYS", "get", "a", "b"})
            .is_error("ERR Invalid number of arguments specified for command"));
  CHECK(t.Run({"COMMAND", "GETKEYS"}).is_error("ERR wrong number of arguments*"));
  RespValue kf = t.Run({"COMMAND", "GETKEYSANDFLAGS", "get", "k1"});
  REQUIRE(kf.size() == 1);
  CHECK(kf[0][0] == "k1");
  CHECK(kf[0][1].strings() == std::vector<std::string>{"RO", "access"});
  RespValue usage = t.Run({"COMMAND", "GETKEYSANDFLAGS", "memory", "usage", "k"});
  CHECK(usage[0][1].strings() == std::vector<std::string>{"RO"});
}

TEST_CASE("COMMAND HELP and unknown subcommands", "[introspection][command]") {
  TestServer t;
  RespValue help = t.Run({"COMMAND", "HELP"});
  CHECK(help[0] == "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  CHECK(help[help.size() - 1] == "    Prints this help.");
  CHECK(t.Run({"COMMAND", "FOO"}).is_error("ERR unknown subcommand 'FOO'. Try COMMAND HELP."));
}

// ---------------------------------------------------------------------------
// SLOWLOG

TEST_CASE("SLOWLOG records, lists and resets", "[introspection][slowlog]") {
  TestServer t;
  t.client(0).name = "me";
  REQUIRE(t.Run({"CONFIG", "SET", "slowlog-log-slower-than", "0"}) == "OK");
  CHECK(t.Run({"SLOWLOG", "RESET"}) == "OK");
  t.Run({"SET", "k", "v"});
  t.Run({"GET", "k"});
  CHECK(t.Run({"SLOWLOG", "LEN"}) == 3);  // RESET, SET, GET
  RespValue log = t.Run({"SLOWLOG", "GET"});
  REQUIRE(log.size() == 4);  // the LEN too
  const RespValue& newest = log[0];
  REQUIRE(newest.size() == 6);
  CHECK(newest[3].strings() == std::vector<std::string>{"SLOWLOG", "LEN"});
  CHECK(log[1][3].strings() == std::vector<std::string>{"GET", "k"});
  CHECK(log[1][0].integer > log[2][0].integer);  // ids grow
  CHECK(std::abs(log[1][1].integer - Server::NowMs() / 1000) <= 2);
  CHECK(log[1][2].integer >= 0);
  CHECK(log[1][4] == t.client(0).addr);
  CHECK(log[1][5] == "me");
  CHECK(t.Run({"SLOWLOG", "GET", "1"}).size() == 1);
  CHECK(t.Run({"SLOWLOG", "GET", "0"}).size() == 0);
  CHECK(t.Run({"SLOWLOG", "GET", "-1"}).size() == 7);
  CHECK(
      t.Run({"SLOWLOG", "GET", "-2"}).is_error("ERR count should be greater than or equal to -1"));
  CHECK(
      t.Run({"SLOWLOG", "GET", "1", "2"})
          .is_error(
              "ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP."));
  CHECK(t.Run({"SLOWLOG", "RESET"}) == "OK");
  CHECK(t.Run({"SLOWLOG", "LEN"}) == 1);
  CHECK(t.Run({"SLOWLOG", "HELP"}).size() == 12);
  // Negative threshold disables logging.
  REQUIRE(t.Run({"CONFIG", "SET", "slowlog-log-slower-than", "-1"}) == "OK");
  t.Run({"SLOWLOG", "RESET"});
  t.Run({"SET", "k", "v"});
  CHECK(t.Run({"SLOWLOG", "LEN"}) == 0);
}

// ---------------------------------------------------------------------------
// LATENCY

TEST_CASE("LATENCY events, history, graph, doctor, reset", "[introspection][latency]") {
  ordis::Config cfg;
  cfg.enable_debug_command = ordis::Config::kDebugYes;
  TestServer t(cfg);
  CHECK(t.Run({"LATENCY", "LATEST"}).size() == 0);
  CHECK(t.Run({"LATENCY", "DOCTOR"}).str.find("Latency monitoring is disabled") !=
        std::string::npos);
  REQUIRE(t.Run({"CONFIG", "SET", "latency-monitor-threshold", "10"}) == "OK");
  CHECK(t.Run({"DEBUG", "SLEEP", "0.02"}) == "OK");
  RespValue latest = t.Run({"LATENCY", "LATEST"});
  REQUIRE(latest.size() == 1);
  CHECK(latest[0][0] == "command");
  CHECK(latest[0][2].integer >= 20);
  CHECK(latest[0][3].integer >= 20);
  RespValue hist = t.Run({"LATENCY", "HISTORY", "command"});
  REQUIRE(hist.size() == 1);
  CHECK(hist[0][1].integer >= 20);
  CHECK(t.Run({"LATENCY", "HISTORY", "nosuch"}).size() == 0);
  std::string graph = t.Run({"LATENCY", "GRAPH", "command"}).str;
  CHECK(graph.rfind("command - high ", 0) == 0);
  CHECK(graph.find('#') != std::string::npos);
  CHECK(t.Run({"LATENCY", "GRAPH", "nosuch"})
            .is_error("ERR No samples available for event 'nosuch'"));
  CHECK(t.Run({"LATENCY", "DOCTOR"}).str.find("1. command:") != std::string::npos);
  CHECK(t.Run({"LATENCY", "RESET", "nosuch"}) == 0);
  CHECK(t.Run({"LATENCY", "RESET", "command"}) == 1);
  CHECK(t.Run({"LATENCY", "LATEST"}).size() == 0);
  CHECK(t.Run({"LATENCY", "DOCTOR"}).str.find("no latency spike") != std::string::npos);
  CHECK(t.Run({"DEBUG", "SLEEP", "0.02"}) == "OK");
  CHECK(t.Run({"LATENCY", "RESET"}) == 1);
  CHECK(t.Run({"LATENCY", "HELP"})[0] ==
        "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
}

TEST_CASE("LATENCY HISTOGRAM", "[introspection][latency]") {
  TestServer t;
  t.Run({"SET", "a", "1"});
  t.Run({"SET", "a", "2"});
  t.Run({"CONFIG", "GET", "port"});
  UseResp3(t);
  RespValue h = t.Run({"LATENCY", "HISTOGRAM", "set", "config", "nosuch"});
  REQUIRE(h.type == RespValue::kMap);
  CHECK(h.at("set").at("calls") == 2);
  const RespValue& buckets = h.at("set").at("histogram_usec");
  REQUIRE(buckets.size() >= 2);
  CHECK(buckets[buckets.size() - 1] == 2);  // cumulative count ends at the calls
  CHECK(h.at("config|get").at("calls") == 1);
  CHECK_THROWS(h.at("get"));
  RespValue all = t.Run({"LATENCY", "HISTOGRAM"});
  CHECK(all.at("set").at("calls") == 2);
  CHECK(all.at("latency|histogram").at("calls") == 1);
}

// ---------------------------------------------------------------------------
// MONITOR

TEST_CASE("MONITOR feeds other clients' commands", "[introspection][monitor]") {
  TestServer t;
  CHECK(t.RunOn(1, {"MONITOR"}) == "OK");
  CHECK(t.client(1).flags & ordis::Client::kMonitor);
  CHECK(t.RunOn(1, {"MONITOR"}).str == "(no reply)");  // already monitoring
  CHECK(t.server().monitors().size() == 1);
  t.Run({"SET", "k", "a b\"c"});
  t.Run({"CONFIG", "GET", "port"});  // admin commands are not fed
  auto feed = t.Drain(1);
  REQUIRE(feed.size() == 1);
  CHECK(feed[0].type == RespValue::kSimple);
  // '[' is a glob character class: escape it.
  CHECK(GlobMatch("*.* \\[0 127.0.0.1:*\\] \"SET\" \"k\" \"a b\\\\\"c\"", feed[0].str));
}
