#include "server/config.h"

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

using ordis::Config;
using ordis::ConfigRegistry;

namespace {

// conf/ordis.conf, found from this file's location (tests/unit/).
std::string ConfPath() {
  std::string here = __FILE__;
  size_t slash = here.find_last_of('/');
  std::string dir = slash == std::string::npos ? "." : here.substr(0, slash);
  return dir + "/../../conf/ordis.conf";
}

std::string Get(const ConfigRegistry& r, const char* name) {
  return r.GetOne(name).value_or("?");
}

std::string TempPath(const char* tag) {
  char buf[] = "/tmp/ordis-config-test-XXXXXX";
  int fd = mkstemp(buf);
  REQUIRE(fd >= 0);
  close(fd);
  return std::string(buf) + tag;
}

}  // namespace

TEST_CASE("conf/ordis.conf loads and sets every documented value", "[config]") {
  Config cfg;
  ConfigRegistry reg(&cfg);
  // Options the shipped file sets away from the built-in defaults.
  cfg.port = 1;
  cfg.bind = {"*"};
  cfg.hz = 99;
  REQUIRE(reg.LoadFile(ConfPath()) == "");
  CHECK(cfg.port == 6379);
  CHECK(cfg.bind == std::vector<std::string>{"127.0.0.1", "-::1"});
  CHECK(cfg.protected_mode);
  CHECK(cfg.unixsocket.empty());
  CHECK(cfg.tcp_backlog == 511);
  CHECK(cfg.timeout == 0);
  CHECK(cfg.tcp_keepalive == 300);
  CHECK(cfg.maxclients == 10000);
  CHECK_FALSE(cfg.daemonize);
  CHECK(cfg.logfile.empty());
  CHECK(cfg.loglevel == 2);
  CHECK(Get(reg, "loglevel") == "notice");
  CHECK(cfg.databases == 16);
  CHECK(cfg.hz == 10);
  CHECK(cfg.enable_debug_command == Config::kDebugNo);
  CHECK(cfg.requirepass.empty());
  CHECK(cfg.proto_max_bulk_len == 512LL * 1024 * 1024);
  CHECK(cfg.client_query_buffer_limit == 1024LL * 1024 * 1024);
  CHECK(cfg.obuf_normal.hard == 0);
  CHECK(cfg.obuf_normal.soft == 0);
  CHECK(cfg.obuf_normal.soft_seconds == 0);
  CHECK(cfg.obuf_replica.hard == 256LL << 20);
  CHECK(cfg.obuf_replica.soft == 64LL << 20);
  CHECK(cfg.obuf_replica.soft_seconds == 60);
  CHECK(cfg.obuf_pubsub.hard == 32LL << 20);
  CHECK(cfg.obuf_pubsub.soft == 8LL << 20);
  CHECK(cfg.obuf_pubsub.soft_seconds == 60);
  CHECK(cfg.slowlog_log_slower_than == 10000);
  CHECK(cfg.slowlog_max_len == 128);
  CHECK(cfg.latency_monitor_threshold == 0);
  CHECK(cfg.latency_tracking);
  CHECK(Get(reg, "latency-tracking-info-percentiles") == "50 99 99.9");
  CHECK(Get(reg, "appendfsync") == "always");
  char cwd[4096];
  REQUIRE(getcwd(cwd, sizeof cwd));
  CHECK(Get(reg, "dir") == cwd);
}

TEST_CASE("conf/ordis.conf's commented examples are valid options", "[config]") {
  std::ifstream f(ConfPath());
  REQUIRE(f);
  std::string line, examples;
  int found = 0;
  while (std::getline(f, line)) {
    for (const char* name : {"unixsocket ", "unixsocketperm ", "pidfile ", "requirepass "}) {
      if (line.rfind(std::string("# ") + name, 0) == 0) {
        examples += line.substr(2) + "\n";
        ++found;
      }
    }
  }
  CHECK(found == 4);
  Config cfg;
  ConfigRegistry reg(&cfg);
  REQUIRE(reg.LoadText(examples) == "");
  CHECK(cfg.unixsocket == "/run/ordis/ordis.sock");
  CHECK(cfg.unixsocketperm == 0700);  // octal, as in Redis
  CHECK(reg.GetOne("unixsocketperm") == "700");
  CHECK(cfg.pidfile == "/var/run/ordis.pid");
  CHECK_FALSE(cfg.requirepass.empty());
}

TEST_CASE("config file errors name the line", "[config]") {
  Config cfg;
  ConfigRegistry reg(&cfg);
  CHECK(reg.LoadText("port 7000\nnosuchoption 1\n") ==
        "line 2: Bad directive or wrong number of arguments: 'nosuchoption'");
  CHECK(reg.LoadText("port \"7000\n").rfind("line 1: Unbalanced quotes", 0) == 0);
  std::string e = reg.LoadText("\n\nhz abc\n");
  CHECK(e.rfind("line 3: ", 0) == 0);
  CHECK(e.find("argument couldn't be parsed into an integer") != std::string::npos);
  CHECK(reg.LoadFile("/nonexistent/ordis.conf").find("can't open config file") !=
        std::string::npos);
}

TEST_CASE("config file: comments, quoting, repeated and multi-value lines", "[config]") {
  Config cfg;
  ConfigRegistry reg(&cfg);
  REQUIRE(reg.LoadText("# a comment\n"
                       "   \n"
                       "logfile \"/tmp/my log.txt\"\n"
                       "save 900 1\n"
                       "save 300 10\n"
                       "client-output-buffer-limit pubsub 1mb 2mb 3\n"
                       "enable-debug-command local\n"
                       "databases 4\n") == "");
  CHECK(cfg.logfile == "/tmp/my log.txt");
  CHECK(cfg.save == "900 1 300 10");
  CHECK(cfg.obuf_pubsub.hard == 1 << 20);
  CHECK(cfg.obuf_pubsub.soft == 2 << 20);
  CHECK(cfg.obuf_pubsub.soft_seconds == 3);
  CHECK(cfg.obuf_replica.hard == 256LL << 20);  // other classes untouched
  CHECK(cfg.enable_debug_command == Config::kDebugLocal);
  CHECK(cfg.databases == 4);
}

TEST_CASE("command-line arguments override", "[config]") {
  Config cfg;
  ConfigRegistry reg(&cfg);
  REQUIRE(reg.LoadArgs({"--port", "7777", "--save", "", "--bind", "127.0.0.1", "::1"}) == "");
  CHECK(cfg.port == 7777);
  CHECK(cfg.save.empty());
  CHECK(cfg.bind == std::vector<std::string>{"127.0.0.1", "::1"});
}

TEST_CASE("CONFIG SET errors use Redis's wording", "[config]") {
  Config cfg;
  ConfigRegistry reg(&cfg);
  CHECK(reg.SetMany({{"nosuch", "1"}}) ==
        "Unknown option or number of arguments for CONFIG SET - 'nosuch'");
  CHECK(reg.SetMany({{"daemonize", "yes"}}) ==
        "CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable "
        "config");
  CHECK(reg.SetMany({{"maxmemory", "1"}, {"MAXMEMORY", "2"}}) ==
        "CONFIG SET failed (possibly related to argument 'MAXMEMORY') - duplicate parameter");
  CHECK(reg.SetMany({{"hz", "abc"}}) ==
        "CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed "
        "into an integer");
  CHECK(reg.SetMany({{"timeout", "-1"}}) ==
        "CONFIG SET failed (possibly related to argument 'timeout') - argument must be between 0 "
        "and 2147483647 inclusive");
  CHECK(reg.SetMany({{"maxclients", "0"}}) ==
        "CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between "
        "1 and 4294967295 inclusive");
  CHECK(reg.SetMany({{"loglevel", "loud"}}) ==
        "CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must be one of "
        "the following: debug, verbose, notice, warning");
  CHECK(reg.SetMany({{"appendfsync", "x"}}) ==
        "CONFIG SET failed (possibly related to argument 'appendfsync') - argument(s) must be one "
        "of the following: everysec, always, no");
  CHECK(reg.SetMany({{"protected-mode", "maybe"}}) ==
        "CONFIG SET failed (possibly related to argument 'protected-mode') - argument must be "
        "'yes' or 'no'");
  CHECK(reg.SetMany({{"proto-max-bulk-len", "abc"}}) ==
        "CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must "
        "be a memory value");
  CHECK(reg.SetMany({{"client-output-buffer-limit", "foo 1 2 3"}}) ==
        "CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid "
        "client class specified in buffer limit configuration.");
  CHECK(reg.SetMany({{"latency-tracking-info-percentiles", "10 101"}}) ==
        "CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - "
        "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
  CHECK(reg.SetMany({{"latency-tracking-info-percentiles", "10 a"}})
            .find("Invalid latency-tracking-info-percentiles parameters") != std::string::npos);
  CHECK(reg.SetMany({{"dir", "/nonexistent/dir"}}) ==
        "CONFIG SET failed (possibly related to argument 'dir') - No such file or directory");
}

TEST_CASE("CONFIG SET of several options is all or nothing", "[config]") {
  Config cfg;
  ConfigRegistry reg(&cfg);
  std::vector<std::string> changed;
  reg.OnChange([&](const std::string& n) { changed.push_back(n); });
  // The second value is bad: the first must be rolled back.
  CHECK_FALSE(reg.SetMany({{"timeout", "30"}, {"tcp-keepalive", "-3"}}).empty());
  CHECK(cfg.timeout == 0);
  CHECK(changed.empty());
  // A passthrough option is rolled back too.
  CHECK_FALSE(reg.SetMany({{"maxmemory", "100mb"}, {"hz", "x"}}).empty());
  CHECK(Get(reg, "maxmemory") == "0");
  // An unknown name anywhere sets nothing.
  CHECK_FALSE(reg.SetMany({{"timeout", "30"}, {"bogus", "1"}}).empty());
  CHECK(cfg.timeout == 0);

  CHECK(reg.SetMany({{"timeout", "30"}, {"TCP-KEEPALIVE", "60"}, {"maxmemory", "1mb"}}) == "");
  CHECK(cfg.timeout == 30);
  CHECK(cfg.tcp_keepalive == 60);
  CHECK(Get(reg, "maxmemory") == "1mb");
  CHECK(changed == std::vector<std::string>{"timeout", "tcp-keepalive", "maxmemory"});
}

TEST_CASE("hz is clamped to 1..500 like Redis", "[config]") {
  Config cfg;
  ConfigRegistry reg(&cfg);
  CHECK(reg.Set("hz", "1000") == "");
  CHECK(cfg.hz == 500);
  CHECK(reg.Set("hz", "0") == "");
  CHECK(cfg.hz == 1);
  CHECK(reg.LoadText("hz 100000") == "");
  CHECK(cfg.hz == 500);
}

TEST_CASE("enable-debug-command takes no/yes/local and is immutable", "[config]") {
  Config cfg;
  ConfigRegistry reg(&cfg);
  CHECK(reg.LoadText("enable-debug-command yes") == "");
  CHECK(cfg.enable_debug_command == Config::kDebugYes);
  CHECK(Get(reg, "enable-debug-command") == "yes");
  CHECK(reg.LoadText("enable-debug-command sometimes") != "");
  CHECK(reg.Set("enable-debug-command", "no").find("can't set immutable config") !=
        std::string::npos);
  CHECK(cfg.enable_debug_command == Config::kDebugYes);
}

TEST_CASE("CONFIG GET: exact names as given, globs, dedup", "[config]") {
  Config cfg;
  ConfigRegistry reg(&cfg);
  auto exact = reg.GetMany({"PORT"});
  REQUIRE(exact.size() == 1);
  CHECK(exact[0] == std::pair<std::string, std::string>{"PORT", "6379"});
  // The same option asked twice is reported once.
  CHECK(reg.GetMany({"port", "Port", "p*rt"}).size() == 1);
  auto ro = reg.GetMany({"*read-only*"});
  std::vector<std::string> names;
  for (auto& [n, v] : ro) names.push_back(n);
  CHECK(std::find(names.begin(), names.end(), "replica-read-only") != names.end());
  CHECK(std::find(names.begin(), names.end(), "slave-read-only") != names.end());
  CHECK(reg.GetMany({"nosuch"}).empty());
  CHECK(reg.GetMany({"nosuch*"}).empty());
  auto two = reg.GetMany({"maxclients", "timeout"});
  REQUIRE(two.size() == 2);
  CHECK(two[0].first == "maxclients");
  CHECK(two[1].first == "timeout");
  // Every option appears under '*'.
  auto all = reg.GetMany({"*"});
  CHECK(all.size() > 50);
  CHECK(reg.GetOne("client-output-buffer-limit") ==
        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
}

TEST_CASE("CONFIG REWRITE keeps comments, replaces and appends options", "[config]") {
  std::string path = TempPath(".conf");
  {
    std::ofstream w(path);
    w << "# my comment\nport 7000\ntimeout 10\n# trailing\ntimeout 20\n";
  }
  Config cfg;
  ConfigRegistry reg(&cfg);
  REQUIRE(reg.LoadFile(path) == "");
  cfg.config_file = path;
  {
    std::ofstream a(path, std::ios::app);
    a << "unknown-kept-line\n";  // lines the registry does not know are kept verbatim
  }
  REQUIRE(reg.SetMany({{"timeout", "42"}, {"slowlog-max-len", "7"}, {"maxmemory", "3mb"}}) == "");
  REQUIRE(reg.Rewrite() == "");
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string text = ss.str();
  CHECK(text.find("# my comment\n") == 0);
  CHECK(text.find("# trailing\n") != std::string::npos);
  CHECK(text.find("unknown-kept-line\n") != std::string::npos);
  CHECK(text.find("timeout \"42\"") != std::string::npos);
  CHECK(text.find("timeout 20") == std::string::npos);  // repeat dropped
  CHECK(text.find("slowlog-max-len \"7\"") != std::string::npos);
  CHECK(text.find("maxmemory \"3mb\"") != std::string::npos);
  // Reading it back gives the same values.
  Config c3;
  ConfigRegistry r3(&c3);
  std::string filtered;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line != "unknown-kept-line") filtered += line + "\n";
  REQUIRE(r3.LoadText(filtered) == "");
  CHECK(c3.timeout == 42);
  CHECK(c3.slowlog_max_len == 7);
  CHECK(c3.port == 7000);
  CHECK(r3.GetOne("maxmemory") == "3mb");
  std::remove(path.c_str());
  std::remove(path.substr(0, path.size() - 5).c_str());

  Config none;
  ConfigRegistry rn(&none);
  CHECK(rn.Rewrite() == "The server is running without a config file");
}
