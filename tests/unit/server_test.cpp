#include <catch2/catch.hpp>
#include <string>

#include "harness.h"
#include "kv/db.h"
#include "server/info.h"
#include "server/log.h"
#include "server/memory.h"

using ordis::Config;
using ordis::GlobMatch;
using ordis::Server;
using ordis::test::RespValue;
using ordis::test::TestServer;
using ordis::test::UseResp3;

namespace {

Config DebugConfig() {
  Config c;
  c.enable_debug_command = Config::kDebugYes;
  return c;
}

// Value of "field:" in INFO text, or "" when absent.
std::string InfoField(const std::string& info, const std::string& field) {
  std::string key = "\r\n" + field + ":";
  size_t p = ("\r\n" + info).find(key);
  if (p == std::string::npos) return "";
  size_t start = p + key.size() - 2;
  size_t end = info.find("\r\n", start);
  return info.substr(start, end - start);
}

bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

struct FakeHost : ordis::ClientHost {
  int stops = 0;
  void CloseClient(ordis::Client*) override {}
  void WakeWriter(ordis::Client*) override {}
  void Stop() override { ++stops; }
  int bound_port() const override { return 4242; }
};

}  // namespace

// ---------------------------------------------------------------------------
// INFO

TEST_CASE("INFO default sections", "[server][info]") {
  TestServer t;
  std::string info = t.Run({"INFO"}).str;
  for (const char* s :
       {"# Server", "# Clients", "# Memory", "# Persistence", "# Stats", "# Replication", "# CPU",
        "# Modules", "# Errorstats", "# Cluster", "# Keyspace"})
    CHECK(Has(info, s));
  CHECK_FALSE(Has(info, "# Commandstats"));
  CHECK_FALSE(Has(info, "# Latencystats"));
  CHECK(t.Run({"INFO", "default"}).str.size() > 1000);
  CHECK_FALSE(Has(t.Run({"INFO", "default"}).str, "# Commandstats"));
  // Sections are separated by exactly one blank line.
  CHECK(Has(info, "\r\n\r\n# Clients\r\n"));
  CHECK_FALSE(Has(info, "\r\n\r\n\r\n"));
}

TEST_CASE("INFO section selection", "[server][info]") {
  TestServer t;
  t.Run({"SET", "k", "v"});
  std::string all = t.Run({"INFO", "all"}).str;
  CHECK(Has(all, "# Commandstats"));
  CHECK(Has(all, "rejected_calls"));
  CHECK(Has(all, "# Latencystats"));
  CHECK(t.Run({"INFO", "everything"}).str.size() >= all.size() - 200);

  std::string cpu = t.Run({"INFO", "cpu"}).str;
  CHECK(cpu.rfind("# CPU\r\n", 0) == 0);
  CHECK(Has(cpu, "used_cpu_user:"));
  CHECK_FALSE(Has(cpu, "used_memory"));

  // Case-insensitive, unknown names ignored, each section once.
  std::string cs = t.Run({"INFO", "commandSTATS"}).str;
  CHECK(Has(cs, "cmdstat_set:calls=1,"));
  CHECK_FALSE(Has(cs, "used_memory"));
  CHECK(t.Run({"INFO", "sentinel"}).str.empty());
  std::string twice = t.Run({"INFO", "cpu", "all", "CPU"}).str;
  size_t first = twice.find("used_cpu_user_children");
  CHECK(first != std::string::npos);
  CHECK(twice.find("used_cpu_user_children", first + 1) == std::string::npos);
  std::string cd = t.Run({"INFO", "cpu", "default"}).str;
  CHECK(Has(cd, "used_memory"));
  CHECK(Has(cd, "master_repl_offset"));
  CHECK_FALSE(Has(cd, "rejected_calls"));
}

TEST_CASE("INFO fields use Redis's names and values", "[server][info]") {
  TestServer t;
  std::string info = t.Run({"INFO", "everything"}).str;
  CHECK(InfoField(info, "redis_version") == "7.0.15");
  CHECK(InfoField(info, "redis_mode") == "standalone");
  CHECK(InfoField(info, "arch_bits") == "64");
  CHECK(InfoField(info, "process_id") == std::to_string(getpid()));
  CHECK(InfoField(info, "run_id") == t.server().run_id);
  CHECK(InfoField(info, "tcp_port") == "6379");
  CHECK(InfoField(info, "role") == "master");
  CHECK(InfoField(info, "connected_slaves") == "0");
  CHECK(InfoField(info, "connected_clients") == "1");
  CHECK(InfoField(info, "maxclients") == "10000");
  CHECK(InfoField(info, "loading") == "0");
  CHECK(InfoField(info, "rdb_bgsave_in_progress") == "0");
  CHECK(InfoField(info, "rdb_last_bgsave_status") == "ok");
  CHECK(InfoField(info, "aof_enabled") == "0");
  CHECK(InfoField(info, "aof_rewrite_in_progress") == "0");
  CHECK(InfoField(info, "aof_last_write_status") == "ok");
  CHECK(InfoField(info, "rdb_last_save_time") == std::to_string(t.server().lastsave_sec));
  CHECK(InfoField(info, "mem_allocator") == ordis::AllocatorName());
  CHECK(InfoField(info, "master_replid") == ordis::ReplicationId());
  CHECK(InfoField(info, "cluster_enabled") == "0");
  CHECK_FALSE(InfoField(info, "used_cpu_sys").empty());
  CHECK_FALSE(InfoField(info, "uptime_in_seconds").empty());
  CHECK(InfoField(info, "rejected_connections") == "0");
  // With a network host, tcp_port is the port actually bound.
  FakeHost host;
  t.server().set_host(&host);
  CHECK(InfoField(t.Run({"INFO", "server"}).str, "tcp_port") == "4242");
  t.server().set_host(nullptr);
}

TEST_CASE("INFO stats and keyspace follow the dataset", "[server][info]") {
  TestServer t;
  CHECK(InfoField(t.Run({"INFO", "keyspace"}).str, "db0").empty());
  t.Run({"SET", "a", "1"});
  t.Run({"SET", "b", "2"});
  t.Run({"GET", "a"});
  t.Run({"GET", "nosuch"});
  t.Run({"SELECT", "3"});
  t.Run({"SET", "c", "3"});
  auto& ks = t.server().keyspace();
  ks.db(3).SetExpire(ks.db(3).FindQuiet("c"), Server::NowMs() + 100000);
  std::string info = t.Run({"INFO"}).str;
  CHECK(Has(InfoField(info, "db0"), "keys=2,expires=0,avg_ttl="));
  CHECK(Has(InfoField(info, "db3"), "keys=1,expires=1,"));
  CHECK(InfoField(info, "keyspace_hits") == "1");
  CHECK(InfoField(info, "keyspace_misses") == "1");
  CHECK(InfoField(info, "rdb_changes_since_last_save") == "3");
  // The first INFO counts; this one is not yet counted while it renders.
  CHECK(InfoField(info, "total_commands_processed") == "7");
}

TEST_CASE("INFO commandstats, errorstats and latencystats", "[server][info]") {
  TestServer t;
  t.Run({"SET", "k", "v"});
  t.Run({"SET", "k"});  // arity: rejected
  t.Run({"NOSUCHCMD"});
  t.Run({"CONFIG", "GET", "port"});
  std::string info = t.Run({"INFO", "commandstats", "errorstats", "latencystats"}).str;
  CHECK(Has(info, "cmdstat_set:calls=1,usec="));
  CHECK(Has(info, ",rejected_calls=1,failed_calls=0\r\n"));
  CHECK(Has(info, "cmdstat_config|get:calls=1,"));
  CHECK(InfoField(info, "errorstat_ERR") == "count=2");
  std::string lat = InfoField(info, "latency_percentiles_usec_set");
  CHECK(GlobMatch("p50=*,p99=*,p99.9=*", lat));
  CHECK(Has(InfoField(info, "latency_percentiles_usec_config|get"), "p50="));

  REQUIRE(t.Run({"CONFIG", "SET", "latency-tracking-info-percentiles", "0.0 50.0 100.0"}) == "OK");
  CHECK(GlobMatch("p0=*,p50=*,p100=*",
                  InfoField(t.Run({"INFO", "latencystats"}).str, "latency_percentiles_usec_set")));
  REQUIRE(t.Run({"CONFIG", "SET", "latency-tracking", "no"}) == "OK");
  CHECK(t.Run({"INFO", "latencystats"}).str == "# Latencystats\r\n");
}

TEST_CASE("INFO is a verbatim string in RESP3", "[server][info]") {
  TestServer t;
  UseResp3(t);
  RespValue v = t.Run({"INFO", "server"});
  CHECK(v.type == RespValue::kVerbatim);
  CHECK(v.str.rfind("# Server", 0) == 0);
}

TEST_CASE("used_memory comes from the allocator", "[server][info][memory]") {
  TestServer t;
  auto used = [&] { return std::stoll(InfoField(t.Run({"INFO", "memory"}).str, "used_memory")); };
  long long before = used();
  CHECK(before > 0);
  t.Run({"SET", "big", std::string(8 << 20, 'x')});
  long long after = used();
  CHECK(after - before >= (8 << 20) - (64 << 10));  // other small frees happen meanwhile
  REQUIRE(t.server().keyspace().db(0).Delete("big"));
  CHECK(used() < after - (4 << 20));
  std::string mem = t.Run({"INFO", "memory"}).str;
  CHECK(std::stoll(InfoField(mem, "used_memory_peak")) >= after);
  CHECK(InfoField(mem, "used_memory_human").size() >= 2);
  CHECK(std::stoll(InfoField(mem, "used_memory_rss")) > 0);
  CHECK(std::stoll(InfoField(mem, "total_system_memory")) > 0);
}

TEST_CASE("percentile names are trimmed like Redis", "[server][info]") {
  CHECK(ordis::FormatPercentileName(50) == "50");
  CHECK(ordis::FormatPercentileName(99.9) == "99.9");
  CHECK(ordis::FormatPercentileName(0) == "0");
  CHECK(ordis::FormatPercentileName(99.99) == "99.99");
}

// ---------------------------------------------------------------------------
// CONFIG

TEST_CASE("CONFIG GET and SET", "[server][config]") {
  TestServer t;
  RespValue v = t.Run({"CONFIG", "GET", "maxclients", "time*"});
  REQUIRE(v.size() == 4);
  CHECK(v.at("maxclients") == "10000");
  CHECK(v.at("timeout") == "0");
  CHECK(t.Run({"CONFIG", "SET", "timeout", "5", "maxmemory-policy", "allkeys-lru"}) == "OK");
  CHECK(t.server().config().timeout == 5);
  CHECK(t.Run({"CONFIG", "GET", "maxmemory-policy"}).at("maxmemory-policy") == "allkeys-lru");
  CHECK(t.Run({"CONFIG", "SET", "timeout", "6", "bogus"}).is_error("ERR syntax error"));
  CHECK(t.Run({"CONFIG", "SET", "bogus", "1"})
            .is_error("ERR Unknown option or number of arguments for CONFIG SET - 'bogus'"));
  CHECK(t.Run({"CONFIG", "SET", "timeout", "7", "hz", "x"})
            .is_error("ERR CONFIG SET failed (possibly related to argument 'hz') - *"));
  CHECK(t.server().config().timeout == 5);
  CHECK(t.Run({"CONFIG", "SET", "port"})
            .is_error("ERR wrong number of arguments for 'config|set' command"));
  CHECK(
      t.Run({"CONFIG", "GET"}).is_error("ERR wrong number of arguments for 'config|get' command"));
  CHECK(t.Run({"CONFIG", "NOPE"}).is_error("ERR unknown subcommand 'NOPE'. Try CONFIG HELP."));
  CHECK(t.Run({"CONFIG", "SET", "loglevel", "warning"}) == "OK");
  CHECK(t.server().config().loglevel == 3);
  CHECK(t.Run({"CONFIG", "SET", "loglevel", "notice"}) == "OK");
  UseResp3(t);
  RespValue m = t.Run({"CONFIG", "GET", "port"});
  CHECK(m.type == RespValue::kMap);
  CHECK(m.at("port") == "6379");
}

TEST_CASE("CONFIG RESETSTAT clears statistics but not the dataset", "[server][config]") {
  TestServer t;
  t.Run({"SET", "k", "v"});
  t.Run({"GET", "k"});
  t.Run({"GET", "missing"});
  t.Run({"CONFIG", "SET", "hz", "x"});  // an error reply
  std::string before = t.Run({"INFO", "all"}).str;
  CHECK(Has(before, "cmdstat_get:"));
  CHECK(Has(before, "errorstat_ERR:count=1"));
  CHECK(t.Run({"CONFIG", "RESETSTAT"}) == "OK");
  std::string after = t.Run({"INFO", "all"}).str;
  CHECK_FALSE(Has(after, "cmdstat_get:"));
  CHECK_FALSE(Has(after, "errorstat_"));
  CHECK_FALSE(Has(after, "latency_percentiles_usec_get"));
  CHECK(InfoField(after, "keyspace_hits") == "0");
  CHECK(InfoField(after, "keyspace_misses") == "0");
  CHECK(InfoField(after, "total_error_replies") == "0");
  CHECK(InfoField(after, "total_commands_processed") == "1");  // the RESETSTAT itself
  CHECK(Has(after, "cmdstat_config|resetstat:calls=1,"));
  CHECK(InfoField(after, "rdb_changes_since_last_save") == "1");
  CHECK(t.Run({"GET", "k"}) == "v");
}

TEST_CASE("CONFIG REWRITE and HELP", "[server][config]") {
  TestServer t;
  CHECK(t.Run({"CONFIG", "REWRITE"}).is_error("ERR The server is running without a config file"));
  RespValue help = t.Run({"CONFIG", "HELP"});
  REQUIRE(help.is_array());
  CHECK(help[0] == "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  CHECK(help[help.size() - 2] == "HELP");
  CHECK(help[0].type == RespValue::kSimple);
}

// ---------------------------------------------------------------------------
// DEBUG

TEST_CASE("DEBUG is refused unless enabled", "[server][debug]") {
  TestServer t;
  CHECK(t.Run({"DEBUG", "SLEEP", "0"})
            .is_error("ERR DEBUG command not allowed. If the enable-debug-command option is set "
                      "to \"local\", you can run it from a local connection, otherwise you need "
                      "to set this option in the configuration file, and then restart the "
                      "server."));
  Config local;
  local.enable_debug_command = Config::kDebugLocal;
  TestServer tl(local);  // harness clients are 127.0.0.1
  CHECK(tl.Run({"DEBUG", "SLEEP", "0"}) == "OK");
  tl.client(0).addr = "10.1.2.3:5000";
  CHECK(tl.Run({"DEBUG", "SLEEP", "0"}).is_error("ERR DEBUG command not allowed*"));
}

TEST_CASE("DEBUG PROTOCOL replies with every type", "[server][debug]") {
  TestServer t(DebugConfig());
  CHECK(t.Run({"DEBUG", "PROTOCOL", "string"}) == "Hello World");
  CHECK(t.Run({"DEBUG", "PROTOCOL", "integer"}) == 12345);
  CHECK(t.Run({"DEBUG", "PROTOCOL", "double"}) == "3.141");
  CHECK(t.Run({"DEBUG", "PROTOCOL", "null"}).is_null());
  CHECK(t.Run({"DEBUG", "PROTOCOL", "array"}).strings() == std::vector<std::string>{"0", "1", "2"});
  CHECK(t.Run({"DEBUG", "PROTOCOL", "true"}) == 1);
  CHECK(t.Run({"DEBUG", "PROTOCOL", "false"}) == 0);
  CHECK(t.Run({"DEBUG", "PROTOCOL", "attrib"}) == "Some real reply following the attribute");
  CHECK(t.Run({"DEBUG", "PROTOCOL", "push"}).is_error("ERR RESP2 is not supported*"));
  CHECK(t.Run({"DEBUG", "PROTOCOL", "verbatim"}) == "This is a verbatim\nstring");
  CHECK(t.Run({"DEBUG", "PROTOCOL", "nope"}).is_error("ERR Wrong protocol type name*"));

  UseResp3(t);
  CHECK(t.Run({"DEBUG", "PROTOCOL", "double"}).type == RespValue::kDouble);
  RespValue big = t.Run({"DEBUG", "PROTOCOL", "bignum"});
  CHECK(big.type == RespValue::kBigNum);
  CHECK(big.str == "1234567999999999999999999999999999999");
  CHECK(t.Run({"DEBUG", "PROTOCOL", "set"}).type == RespValue::kSet);
  RespValue map = t.Run({"DEBUG", "PROTOCOL", "map"});
  CHECK(map.type == RespValue::kMap);
  REQUIRE(map.size() == 6);
  CHECK(map[3].type == RespValue::kBool);
  CHECK(map[3].integer == 1);
  CHECK(t.Run({"DEBUG", "PROTOCOL", "true"}).type == RespValue::kBool);
  CHECK(t.Run({"DEBUG", "PROTOCOL", "verbatim"}).type == RespValue::kVerbatim);
  // attrib and push write a prefix before the real reply.
  t.client(0).out.Clear();
  t.server().Dispatch(t.client(0), std::vector<std::string_view>{"DEBUG", "PROTOCOL", "attrib"});
  std::string raw(t.client(0).out.view());
  CHECK(raw.rfind("|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n", 0) == 0);
  t.client(0).out.Clear();
  t.server().Dispatch(t.client(0), std::vector<std::string_view>{"DEBUG", "PROTOCOL", "push"});
  auto replies = t.Drain(0);
  REQUIRE(replies.size() == 2);
  CHECK(replies[0].type == RespValue::kPush);
  CHECK(replies[1] == "Some real reply following the push reply");
}

TEST_CASE("DEBUG DIGEST and DIGEST-VALUE", "[server][debug]") {
  TestServer a(DebugConfig()), b(DebugConfig());
  const std::string zeros(40, '0');
  CHECK(a.Run({"DEBUG", "DIGEST"}) == zeros);
  a.Run({"SET", "k1", "v1"});
  std::string d1 = a.Run({"DEBUG", "DIGEST"}).str;
  CHECK(d1 != zeros);
  CHECK(d1.size() == 40);
  // Same data inserted in another order: same digest.
  a.Run({"SET", "k2", "v2"});
  b.Run({"SET", "k2", "v2"});
  b.Run({"SET", "k1", "v1"});
  CHECK(a.Run({"DEBUG", "DIGEST"}) == b.Run({"DEBUG", "DIGEST"}).str);
  b.Run({"SET", "k2", "v3"});
  CHECK(a.Run({"DEBUG", "DIGEST"}).str != b.Run({"DEBUG", "DIGEST"}).str);
  // The database a key lives in matters.
  REQUIRE(b.server().keyspace().db(0).Delete("k2"));
  b.Run({"SELECT", "1"});
  b.Run({"SET", "k2", "v2"});
  CHECK(a.Run({"DEBUG", "DIGEST"}).str != b.Run({"DEBUG", "DIGEST"}).str);

  RespValue dv = a.Run({"DEBUG", "DIGEST-VALUE", "k1", "nosuch"});
  REQUIRE(dv.size() == 2);
  CHECK(dv[1] == zeros);
  a.Run({"SET", "copy", "v1"});
  CHECK(a.Run({"DEBUG", "DIGEST-VALUE", "copy"})[0] == dv[0].str);  // key name not included
  ordis::Db& db = a.server().keyspace().db(0);
  db.SetExpire(db.FindQuiet("copy"), Server::NowMs() + 100000);
  CHECK(a.Run({"DEBUG", "DIGEST-VALUE", "copy"})[0].str != dv[0].str);  // TTL is
  CHECK(a.Run({"DEBUG", "DIGEST-VALUE"}).size() == 0);
}

TEST_CASE("DEBUG subcommands", "[server][debug]") {
  TestServer t(DebugConfig());
  CHECK(t.Run({"DEBUG", "SET-ACTIVE-EXPIRE", "0"}) == "OK");
  CHECK_FALSE(t.server().config().active_expire);
  CHECK(t.Run({"DEBUG", "SET-ACTIVE-EXPIRE", "1"}) == "OK");
  CHECK(t.server().config().active_expire);

  int64_t start = Server::NowMs();
  CHECK(t.Run({"DEBUG", "SLEEP", "0.05"}) == "OK");
  CHECK(Server::NowMs() - start >= 45);
  CHECK(t.Run({"DEBUG", "SLEEP", "0"}) == "OK");

  t.Run({"SET", "foo", "20000"});
  RespValue obj = t.Run({"DEBUG", "OBJECT", "foo"});
  CHECK(obj.type == RespValue::kSimple);
  CHECK(GlobMatch(
      "Value at:0x* refcount:1 encoding:int serializedlength:5 lru:* lru_seconds_idle:*", obj.str));
  t.Run({"SET", "small", "5"});
  CHECK(Has(t.Run({"DEBUG", "OBJECT", "small"}).str, "refcount:2147483647"));
  CHECK(t.Run({"DEBUG", "OBJECT", "nosuch"}).is_error("ERR no such key"));

  CHECK(t.Run({"DEBUG", "RELOAD"}).is_error("ERR DEBUG RELOAD is not available*durability*"));
  CHECK(t.Run({"DEBUG", "LOADAOF"}).is_error("ERR DEBUG LOADAOF is not available*"));
  CHECK(t.Run({"DEBUG", "LOG", "hello from the test"}) == "OK");
  CHECK(t.Run({"DEBUG", "ERROR", "MYERR custom"}).is_error("MYERR custom"));
  CHECK(t.Run({"DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1mb"}) == "OK");
  CHECK(t.Run({"DEBUG", "QUICKLIST-PACKED-THRESHOLD", "5gb"})
            .is_error("ERR argument must be a memory value bigger than 1 and smaller than 4gb"));
  std::string old_id = ordis::ReplicationId();
  CHECK(t.Run({"DEBUG", "CHANGE-REPL-ID"}) == "OK");
  CHECK(ordis::ReplicationId() != old_id);
  CHECK(t.Run({"DEBUG", "STRINGMATCH-TEST"}) == "Apparently ordis did not crash: test passed");
  ordis::LogSetLevel(ordis::kLogWarning);  // JMAP writes a long report at notice level
  CHECK(t.Run({"DEBUG", "JMAP"}) == "OK");
  ordis::LogSetLevel(ordis::kLogNotice);
  CHECK(t.Run({"DEBUG", "HELP"}).size() > 10);
  CHECK(t.Run({"DEBUG", "NOPE"})
            .is_error(
                "ERR unknown subcommand or wrong number of arguments for 'NOPE'. Try DEBUG HELP."));
  CHECK(t.Run({"DEBUG", "OBJECT"}).is_error("ERR unknown subcommand or wrong number*"));

  CHECK(t.Run({"DEBUG", "POPULATE", "10"}) == "OK");
  CHECK(t.Run({"GET", "key:3"}) == "value:3");
  CHECK(t.Run({"DEBUG", "POPULATE", "3", "p", "20"}) == "OK");
  CHECK(t.Run({"GET", "p:1"}).str.size() == 20);
  CHECK(t.Run({"DEBUG", "POPULATE", "-1"}).is_error("ERR value is out of range, must be positive"));
}

// ---------------------------------------------------------------------------
// MEMORY

TEST_CASE("MEMORY USAGE", "[server][memory]") {
  TestServer t;
  CHECK(t.Run({"MEMORY", "USAGE", "nosuch"}).is_null());
  t.Run({"SET", "k", std::string(1000, 'x')});
  RespValue u = t.Run({"MEMORY", "USAGE", "k"});
  CHECK(u.type == RespValue::kInteger);
  CHECK(u.integer >= 1000);
  CHECK(t.Run({"MEMORY", "USAGE", "k", "SAMPLES", "0"}) == u.integer);
  CHECK(t.Run({"MEMORY", "USAGE", "k", "SAMPLES", "5"}) == u.integer);
  CHECK(t.Run({"MEMORY", "USAGE", "k", "SAMPLES"}).is_error("ERR syntax error"));
  CHECK(t.Run({"MEMORY", "USAGE", "k", "SAMPLES", "x"}).is_error("ERR value is not an integer*"));
  CHECK(t.Run({"MEMORY", "USAGE", "k", "SAMPLES", "-1"}).is_error("ERR syntax error"));
  CHECK(t.Run({"MEMORY", "USAGE", "k", "FOO"}).is_error("ERR syntax error"));
  t.Run({"SET", "small", "x"});
  CHECK(t.Run({"MEMORY", "USAGE", "small"}).integer < u.integer);
}

TEST_CASE("MEMORY STATS, DOCTOR, MALLOC-STATS, PURGE, HELP", "[server][memory]") {
  TestServer t;
  t.Run({"SET", "a", "1"});
  RespValue s = t.Run({"MEMORY", "STATS"});
  CHECK(s.at("total.allocated").integer > 0);
  CHECK(s.at("peak.allocated").integer >= s.at("total.allocated").integer);
  CHECK(s.at("keys.count") == 1);
  CHECK(s.at("db.0").at("overhead.hashtable.main").type == RespValue::kInteger);
  CHECK(s.at("startup.allocated").integer == static_cast<int64_t>(ordis::StartupMemory()));
  CHECK(s.at("fragmentation").type == RespValue::kBulk);  // doubles are bulk in RESP2
  CHECK_FALSE(t.Run({"MEMORY", "DOCTOR"}).str.empty());
  CHECK(t.Run({"MEMORY", "MALLOC-STATS"}).str.size() > 100);
  CHECK(t.Run({"MEMORY", "PURGE"}) == "OK");
  CHECK(t.Run({"MEMORY", "HELP"})[0] ==
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  CHECK(t.Run({"MEMORY"}).is_error("ERR wrong number of arguments for 'memory' command"));
}

// ---------------------------------------------------------------------------
// SHUTDOWN, TIME, LASTSAVE, WAIT, FUNCTION

TEST_CASE("SHUTDOWN stops the host without replying", "[server][shutdown]") {
  TestServer t;
  CHECK(t.Run({"SHUTDOWN", "BOGUS"}).is_error("ERR syntax error"));
  CHECK(t.Run({"SHUTDOWN", "SAVE", "NOSAVE"}).is_error("ERR syntax error"));
  CHECK(t.Run({"SHUTDOWN", "ABORT", "NOW"}).is_error("ERR syntax error"));
  CHECK(t.Run({"SHUTDOWN", "ABORT"}).is_error("ERR No shutdown in progress."));
  CHECK_FALSE(t.server().shutdown_requested);
  FakeHost host;
  t.server().set_host(&host);
  RespValue r = t.Run({"SHUTDOWN", "NOSAVE", "NOW", "FORCE"});
  CHECK(r.str == "(no reply)");
  CHECK(t.server().shutdown_requested);
  CHECK(host.stops == 1);
  t.server().set_host(nullptr);
  TestServer t2;
  t2.Run({"SHUTDOWN"});  // no host: only the flag
  CHECK(t2.server().shutdown_requested);
  t2.Run({"MULTI"});
  if (t2.client(0).in_multi())
    CHECK(t2.Run({"SHUTDOWN"}).is_error("ERR Command not allowed inside a transaction"));
}

TEST_CASE("TIME, LASTSAVE, WAIT", "[server]") {
  TestServer t;
  RespValue time = t.Run({"TIME"});
  REQUIRE(time.size() == 2);
  CHECK(time[0].type == RespValue::kBulk);
  int64_t secs = std::stoll(time[0].str);
  CHECK(std::abs(secs - Server::NowMs() / 1000) <= 1);
  CHECK(std::stoll(time[1].str) < 1000000);
  CHECK(t.Run({"LASTSAVE"}) == t.server().lastsave_sec);
  CHECK(t.Run({"WAIT", "0", "0"}) == 0);
  CHECK(t.Run({"WAIT", "1", "10"}) == 0);
  CHECK(t.Run({"WAIT", "1", "-1"}).is_error("ERR timeout is negative"));
  CHECK(t.Run({"WAIT", "x", "0"}).is_error("ERR value is not an integer or out of range"));
  CHECK(t.Run({"WAIT", "1", "x"}).is_error("ERR timeout is not an integer or out of range"));
}

TEST_CASE("FUNCTION: an empty library", "[server][function]") {
  TestServer t;
  CHECK(t.Run({"FUNCTION", "FLUSH"}) == "OK");
  CHECK(t.Run({"FUNCTION", "FLUSH", "ASYNC"}) == "OK");
  CHECK(t.Run({"FUNCTION", "FLUSH", "sync"}) == "OK");
  CHECK(t.Run({"FUNCTION", "FLUSH", "LATER"})
            .is_error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option"));
  CHECK(t.Run({"FUNCTION", "LIST"}).size() == 0);
  CHECK(t.Run({"FUNCTION", "LIST"}).is_array());
  CHECK(t.Run({"FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "x*"}).size() == 0);
  CHECK(t.Run({"FUNCTION", "LIST", "LIBRARYNAME"})
            .is_error("ERR library name argument was not given"));
  CHECK(t.Run({"FUNCTION", "LIST", "FOO"}).is_error("ERR Unknown argument FOO"));
  RespValue stats = t.Run({"FUNCTION", "STATS"});
  CHECK(stats.at("running_script").is_null());
  CHECK(t.Run({"FUNCTION", "DELETE", "lib"}).is_error("ERR Library not found"));
  CHECK(t.Run({"FUNCTION", "KILL"}).is_error("NOTBUSY*"));
}
