// Config: every server option, parsed from a redis.conf-syntax file and
// "--name value" command-line pairs, and read/changed at run time through
// CONFIG GET/SET/REWRITE.
//
// Each option is declared once in config.cpp's table (name, type, default,
// limits, mutability, optional apply hook). Lookup is case-insensitive.
//
// Errors are returned as strings in Redis's wording; nothing throws.
// Thread safety: none; loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ordis {

struct OutputBufferLimit {
  int64_t hard = 0;  // bytes; 0 = none
  int64_t soft = 0;  // bytes; 0 = none
  int64_t soft_seconds = 0;
};

struct Config {
  // network
  int64_t port = 6379;
  std::vector<std::string> bind = {"*", "-::*"};
  bool protected_mode = true;
  std::string unixsocket;
  int64_t unixsocketperm = 0;
  int64_t tcp_backlog = 511;
  int64_t timeout = 0;  // seconds idle before closing; 0 = never
  int64_t tcp_keepalive = 300;
  int64_t maxclients = 10000;
  // general
  bool daemonize = false;
  std::string pidfile;
  std::string dir = ".";
  std::string logfile;   // empty = stdout
  int64_t loglevel = 2;  // 0 debug, 1 verbose, 2 notice, 3 warning (server/log.h levels)
  int64_t databases = 16;
  int64_t hz = 10;  // CONFIG SET clamps to [1, 500] as Redis does
  // DEBUG is refused unless "yes", or "local" and the client is local.
  enum : int64_t { kDebugNo = 0, kDebugYes = 1, kDebugLocal = 2 };
  int64_t enable_debug_command = kDebugNo;
  std::string requirepass;
  // limits
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  int64_t client_query_buffer_limit = 1024LL * 1024 * 1024;
  OutputBufferLimit obuf_normal{0, 0, 0};
  OutputBufferLimit obuf_replica{256LL << 20, 64LL << 20, 60};
  OutputBufferLimit obuf_pubsub{32LL << 20, 8LL << 20, 60};
  // introspection
  int64_t slowlog_log_slower_than = 10000;
  int64_t slowlog_max_len = 128;
  int64_t latency_monitor_threshold = 0;
  bool latency_tracking = true;
  std::vector<double> latency_tracking_info_percentiles = {50.0, 99.0, 99.9};
  bool active_expire = true;  // DEBUG SET-ACTIVE-EXPIRE
  bool activerehashing = true;
  // persistence (placeholders the WAL issue fills in; CONFIG GET answers)
  bool appendonly = false;
  std::string appendfilename = "appendonly.aof";
  std::string appenddirname = "appendonlydir";
  int64_t appendfsync = 0;  // 0 always, 1 everysec, 2 no
  bool aof_load_truncated = true;
  int64_t wal_segment_size = 64LL << 20;  // bytes per preallocated WAL segment
  int64_t wal_io = 0;                     // 0 auto (io_uring if it works), 1 thread
  int64_t auto_snapshot_wal_size = 256LL << 20;  // BGSAVE after this much log; 0: never
  std::string save;
  std::string dbfilename = "dump.rdb";
  // order tables (startup only; order/order_table.h)
  int64_t order_table_capacity = 16000000;  // records reserved (address space)
  enum : int64_t { kOrderHugePagesAuto = 0, kOrderHugePagesOn = 1, kOrderHugePagesOff = 2 };
  int64_t order_hugepages = kOrderHugePagesAuto;
  enum : int64_t { kOrderNumaAuto = -2, kOrderNumaOff = -1 };
  int64_t order_numa_node = kOrderNumaAuto;  // or a node number
  int64_t order_completed_keep = 1000000;    // terminal orders readable by ORDER.GET
  // values Redis exposes that clients and tests read; stored, not used
  std::map<std::string, std::string> passthrough;

  std::string config_file;  // absolute path, for CONFIG REWRITE
};

class ConfigRegistry {
 public:
  explicit ConfigRegistry(Config* cfg);

  // Applies a config file's text. Returns an error ("line N: ...") or "".
  std::string LoadText(std::string_view text);
  std::string LoadFile(const std::string& path);
  // Applies "--name value ..." arguments (after the optional file).
  std::string LoadArgs(const std::vector<std::string>& args);

  // Sets one option. Returns "" on success or the error message (without
  // "ERR "). `startup` allows immutable options and reports bare errors
  // (config file wording); otherwise errors use CONFIG SET's wording.
  std::string Set(std::string_view name, std::string_view value, bool startup = false);
  // CONFIG SET n1 v1 n2 v2 ...: all or nothing. Every name is checked
  // first (unknown, immutable, duplicate); then values are set in order and
  // on the first failure the ones already set are restored. Returns "" or
  // Redis's error text without "ERR ". OnChange runs once per option after
  // all succeeded.
  std::string SetMany(const std::vector<std::pair<std::string_view, std::string_view>>& pairs);
  // CONFIG GET: all (name, value) pairs whose name matches the glob.
  std::vector<std::pair<std::string, std::string>> Get(std::string_view pattern) const;
  // CONFIG GET p1 p2 ...: a pattern without glob characters is an exact
  // lookup reported under the name as given; globs match names and
  // aliases. Each option appears once, in order of first match.
  std::vector<std::pair<std::string, std::string>> GetMany(
      const std::vector<std::string_view>& patterns) const;
  // Current value of one option, or nullopt if unknown.
  std::optional<std::string> GetOne(std::string_view name) const;
  // CONFIG REWRITE: rewrites cfg->config_file keeping comments and order.
  std::string Rewrite() const;

  // Called after a successful CONFIG SET of the named option.
  void OnChange(std::function<void(const std::string&)> fn) { on_change_ = std::move(fn); }

 private:
  Config* cfg_;
  std::function<void(const std::string&)> on_change_;
};

}  // namespace ordis
