#include "server/config.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <sstream>

#include "util/strutil.h"

namespace ordis {

namespace {

enum class Kind { kBool, kInt, kMemory, kString, kEnum, kSpecial };

struct Option {
  const char* name;
  const char* alias;
  Kind kind;
  bool immutable;
  int64_t min, max;
  // Accessors into Config. For kSpecial, get/set do all the work.
  bool Config::*b = nullptr;
  int64_t Config::*i = nullptr;
  std::string Config::*s = nullptr;
  // kEnum: names and values, in the order Redis lists them in errors.
  std::vector<std::pair<const char*, int64_t>> enum_values = {};
  std::function<std::string(const Config&)> get = nullptr;
  std::function<std::string(Config&, std::string_view)> set = nullptr;
  // Runs after a successful set (clamping, derived values).
  void (*apply)(Config&) = nullptr;
};

std::string FormatObuf(const Config& c) {
  auto one = [](const char* cls, const OutputBufferLimit& l) {
    return std::string(cls) + " " + std::to_string(l.hard) + " " + std::to_string(l.soft) + " " +
           std::to_string(l.soft_seconds);
  };
  return one("normal", c.obuf_normal) + " " + one("slave", c.obuf_replica) + " " +
         one("pubsub", c.obuf_pubsub);
}

std::string SetObuf(Config& c, std::string_view v) {
  auto args = SplitArgs(v);
  if (!args || args->empty() || args->size() % 4 != 0) return "Wrong number of arguments";
  std::vector<std::pair<OutputBufferLimit*, OutputBufferLimit>> updates;
  for (size_t k = 0; k < args->size(); k += 4) {
    std::string cls = ToLower((*args)[k]);
    OutputBufferLimit* target;
    if (cls == "normal")
      target = &c.obuf_normal;
    else if (cls == "slave" || cls == "replica")
      target = &c.obuf_replica;
    else if (cls == "pubsub")
      target = &c.obuf_pubsub;
    else
      return "Invalid client class specified in buffer limit configuration.";
    OutputBufferLimit l;
    if (!ParseMemory((*args)[k + 1], &l.hard) || !ParseMemory((*args)[k + 2], &l.soft) ||
        !ParseInt64((*args)[k + 3], &l.soft_seconds) || l.soft_seconds < 0)
      return "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
    updates.emplace_back(target, l);
  }
  for (auto& [t, l] : updates) *t = l;
  return "";
}

std::string JoinBind(const Config& c) {
  std::string r;
  for (const auto& b : c.bind) {
    if (!r.empty()) r += ' ';
    r += b;
  }
  return r;
}

const std::vector<Option>& Options() {
  static const std::vector<Option> kOptions = [] {
    std::vector<Option> o;
    auto add_bool = [&](const char* n, bool Config::*f, bool imm = false,
                        const char* alias = nullptr) {
      Option x{n, alias, Kind::kBool, imm, 0, 0};
      x.b = f;
      o.push_back(x);
    };
    auto add_int = [&](const char* n, int64_t Config::*f, int64_t mn, int64_t mx, bool imm = false,
                       const char* alias = nullptr) {
      Option x{n, alias, Kind::kInt, imm, mn, mx};
      x.i = f;
      o.push_back(x);
    };
    auto add_mem = [&](const char* n, int64_t Config::*f, int64_t mn, int64_t mx) {
      Option x{n, nullptr, Kind::kMemory, false, mn, mx};
      x.i = f;
      o.push_back(x);
    };
    auto add_str = [&](const char* n, std::string Config::*f, bool imm = false) {
      Option x{n, nullptr, Kind::kString, imm, 0, 0};
      x.s = f;
      o.push_back(x);
    };
    auto add_enum = [&](const char* n, int64_t Config::*f,
                        std::vector<std::pair<const char*, int64_t>> values, bool imm = false) {
      Option x{n, nullptr, Kind::kEnum, imm, 0, 0};
      x.i = f;
      x.enum_values = std::move(values);
      o.push_back(x);
    };
    auto add_special = [&](const char* n, bool imm, std::function<std::string(const Config&)> g,
                           std::function<std::string(Config&, std::string_view)> s) {
      Option x{n, nullptr, Kind::kSpecial, imm, 0, 0};
      x.get = std::move(g);
      x.set = std::move(s);
      o.push_back(x);
    };

    add_int("port", &Config::port, 0, 65535, true);
    add_special("bind", true, JoinBind, [](Config& c, std::string_view v) -> std::string {
      auto a = SplitArgs(v);
      if (!a || a->empty()) return "Invalid bind address";
      c.bind = *a;
      return "";
    });
    add_bool("protected-mode", &Config::protected_mode);
    add_str("unixsocket", &Config::unixsocket, true);
    // Octal, like chmod: "unixsocketperm 700".
    add_special(
        "unixsocketperm", true,
        [](const Config& c) {
          char buf[16];
          snprintf(buf, sizeof buf, "%llo", static_cast<unsigned long long>(c.unixsocketperm));
          return std::string(buf);
        },
        [](Config& c, std::string_view v) -> std::string {
          if (v.empty() || v.size() > 4 ||
              v.find_first_not_of("01234567") != std::string_view::npos)
            return "argument couldn't be parsed into an integer";
          int64_t perm = std::stoll(std::string(v), nullptr, 8);
          if (perm > 0777) return "argument must be between 0 and 777 inclusive";
          c.unixsocketperm = perm;
          return "";
        });
    add_int("tcp-backlog", &Config::tcp_backlog, 0, INT32_MAX, true);
    add_int("timeout", &Config::timeout, 0, INT32_MAX);
    add_int("tcp-keepalive", &Config::tcp_keepalive, 0, INT32_MAX);
    add_int("maxclients", &Config::maxclients, 1, UINT32_MAX);
    add_bool("daemonize", &Config::daemonize, true);
    add_str("pidfile", &Config::pidfile, true);
    // dir is the process's working directory: CONFIG GET reports getcwd()
    // and setting it changes directory at once, as Redis does.
    add_special(
        "dir", false,
        [](const Config&) {
          char buf[PATH_MAX];
          return std::string(getcwd(buf, sizeof buf) ? buf : "");
        },
        [](Config& c, std::string_view v) -> std::string {
          std::string path(v);
          if (chdir(path.c_str()) != 0) return strerror(errno);
          char buf[PATH_MAX];
          c.dir = getcwd(buf, sizeof buf) ? buf : path;
          return "";
        });
    add_str("logfile", &Config::logfile, true);
    add_enum("loglevel", &Config::loglevel,
             {{"debug", 0}, {"verbose", 1}, {"notice", 2}, {"warning", 3}});
    add_int("databases", &Config::databases, 1, INT32_MAX, true);
    add_int("hz", &Config::hz, 0, INT32_MAX);
    o.back().apply = [](Config& c) {
      // hz is a hint: out-of-range values are accepted and clamped.
      if (c.hz < 1) c.hz = 1;
      if (c.hz > 500) c.hz = 500;
    };
    add_enum("enable-debug-command", &Config::enable_debug_command,
             {{"no", Config::kDebugNo}, {"yes", Config::kDebugYes}, {"local", Config::kDebugLocal}},
             /*imm=*/true);
    add_str("requirepass", &Config::requirepass);
    add_mem("proto-max-bulk-len", &Config::proto_max_bulk_len, 1024 * 1024, INT64_MAX);
    add_mem("client-query-buffer-limit", &Config::client_query_buffer_limit, 1024 * 1024,
            INT64_MAX);
    add_special("client-output-buffer-limit", false, FormatObuf, SetObuf);
    add_int("slowlog-log-slower-than", &Config::slowlog_log_slower_than, -1, INT64_MAX);
    add_int("slowlog-max-len", &Config::slowlog_max_len, 0, INT64_MAX);
    add_int("latency-monitor-threshold", &Config::latency_monitor_threshold, 0, INT64_MAX);
    add_bool("latency-tracking", &Config::latency_tracking);
    add_special(
        "latency-tracking-info-percentiles", false,
        [](const Config& c) {
          std::string r;
          for (double d : c.latency_tracking_info_percentiles) {
            if (!r.empty()) r += ' ';
            char buf[32];
            snprintf(buf, sizeof buf, "%g", d);
            r += buf;
          }
          return r;
        },
        [](Config& c, std::string_view v) -> std::string {
          auto a = SplitArgs(v);
          if (!a) return "Invalid latency-tracking-info-percentiles parameters";
          std::vector<double> p;
          for (const auto& s : *a) {
            double d;
            if (!ParseDouble(s, &d)) return "Invalid latency-tracking-info-percentiles parameters";
            if (d < 0 || d > 100)
              return "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]";
            p.push_back(d);
          }
          c.latency_tracking_info_percentiles = p;
          return "";
        });
    add_bool("activerehashing", &Config::activerehashing);
    add_bool("appendonly", &Config::appendonly);
    add_str("appendfilename", &Config::appendfilename, true);
    add_str("appenddirname", &Config::appenddirname, true);
    add_enum("appendfsync", &Config::appendfsync, {{"everysec", 1}, {"always", 0}, {"no", 2}});
    add_bool("aof-load-truncated", &Config::aof_load_truncated);
    // WAL segment size and I/O path: read when the log is opened (startup).
    add_mem("wal-segment-size", &Config::wal_segment_size, 64 * 1024, 1LL << 40);
    add_enum("wal-io", &Config::wal_io, {{"auto", 0}, {"thread", 1}}, /*imm=*/true);
    add_mem("auto-snapshot-wal-size", &Config::auto_snapshot_wal_size, 0, INT64_MAX);
    add_str("save", &Config::save);
    add_str("dbfilename", &Config::dbfilename);
    // Order tables: sized and placed once, at startup.
    add_int("order-table-capacity", &Config::order_table_capacity, 1, 2000000000, true);
    add_enum("order-hugepages", &Config::order_hugepages,
             {{"auto", Config::kOrderHugePagesAuto},
              {"on", Config::kOrderHugePagesOn},
              {"off", Config::kOrderHugePagesOff}},
             /*imm=*/true);
    add_special(
        "order-numa-node", true,
        [](const Config& c) {
          if (c.order_numa_node == Config::kOrderNumaAuto) return std::string("auto");
          if (c.order_numa_node == Config::kOrderNumaOff) return std::string("off");
          return std::to_string(c.order_numa_node);
        },
        [](Config& c, std::string_view v) -> std::string {
          int64_t n;
          if (EqualsNoCase(v, "auto")) {
            c.order_numa_node = Config::kOrderNumaAuto;
          } else if (EqualsNoCase(v, "off")) {
            c.order_numa_node = Config::kOrderNumaOff;
          } else if (ParseInt64(v, &n) && n >= 0 && n <= 1023) {
            c.order_numa_node = n;
          } else {
            return "argument must be 'auto', 'off' or a NUMA node number";
          }
          return "";
        });
    add_int("order-completed-keep", &Config::order_completed_keep, 0, 50000000, true);
    return o;
  }();
  return kOptions;
}

// Options Redis has that clients and the test suite read or set; kept as
// strings so CONFIG GET/SET round-trip without affecting behaviour.
const std::vector<std::pair<const char*, const char*>>& PassthroughDefaults() {
  static const std::vector<std::pair<const char*, const char*>> kDefaults = {
      {"maxmemory", "0"},
      {"maxmemory-policy", "noeviction"},
      {"maxmemory-samples", "5"},
      {"lazyfree-lazy-eviction", "no"},
      {"lazyfree-lazy-expire", "no"},
      {"lazyfree-lazy-server-del", "no"},
      {"lazyfree-lazy-user-del", "no"},
      {"lazyfree-lazy-user-flush", "no"},
      {"replica-read-only", "yes"},
      {"slave-read-only", "yes"},
      {"replica-serve-stale-data", "yes"},
      {"hash-max-listpack-entries", "128"},
      {"hash-max-ziplist-entries", "128"},
      {"hash-max-listpack-value", "64"},
      {"hash-max-ziplist-value", "64"},
      {"zset-max-listpack-entries", "128"},
      {"zset-max-ziplist-entries", "128"},
      {"zset-max-listpack-value", "64"},
      {"zset-max-ziplist-value", "64"},
      {"set-max-intset-entries", "512"},
      {"list-max-listpack-size", "-2"},
      {"list-max-ziplist-size", "-2"},
      {"list-compress-depth", "0"},
      {"notify-keyspace-events", ""},
      {"lua-time-limit", "5000"},
      {"busy-reply-threshold", "5000"},
      {"stop-writes-on-bgsave-error", "yes"},
      {"rdbcompression", "yes"},
      {"rdbchecksum", "yes"},
      {"io-threads", "1"},
      {"io-threads-do-reads", "no"},
      {"cluster-enabled", "no"},
      {"supervised", "no"},
      {"maxmemory-clients", "0"},
      {"close-on-replica-write", "yes"},
      {"appendonly-auto-rewrite", "no"},
      {"auto-aof-rewrite-percentage", "100"},
      {"auto-aof-rewrite-min-size", "67108864"},
      {"aof-use-rdb-preamble", "yes"},
      {"aof-timestamp-enabled", "no"},
      {"active-expire-effort", "1"},
      {"lfu-log-factor", "10"},
      {"lfu-decay-time", "1"},
      {"repl-diskless-sync", "yes"},
      {"repl-ping-replica-period", "10"},
      {"repl-ping-slave-period", "10"},
      {"repl-timeout", "60"},
      {"repl-backlog-size", "1048576"},
      {"min-replicas-to-write", "0"},
      {"min-replicas-max-lag", "10"},
      {"jemalloc-bg-thread", "yes"},
      {"activedefrag", "no"},
      {"tracking-table-max-keys", "1000000"},
      {"acllog-max-len", "128"},
      {"dynamic-hz", "yes"},
      {"crash-log-enabled", "yes"},
      {"set-proc-title", "yes"},
      {"syslog-enabled", "no"},
      {"always-show-logo", "no"},
  };
  return kDefaults;
}

const Option* FindOption(std::string_view name) {
  for (const Option& o : Options()) {
    if (EqualsNoCase(name, o.name) || (o.alias && EqualsNoCase(name, o.alias))) return &o;
  }
  return nullptr;
}

std::string GetValue(const Option& o, const Config& c) {
  switch (o.kind) {
    case Kind::kBool:
      return c.*(o.b) ? "yes" : "no";
    case Kind::kInt:
    case Kind::kMemory:
      return std::to_string(c.*(o.i));
    case Kind::kString:
      return c.*(o.s);
    case Kind::kEnum: {
      int64_t v = c.*(o.i);
      for (const auto& [name, value] : o.enum_values)
        if (value == v) return name;
      return "";
    }
    case Kind::kSpecial:
      return o.get(c);
  }
  return "";
}

std::string SetValue(const Option& o, Config& c, std::string_view v) {
  switch (o.kind) {
    case Kind::kBool:
      if (EqualsNoCase(v, "yes")) {
        c.*(o.b) = true;
      } else if (EqualsNoCase(v, "no")) {
        c.*(o.b) = false;
      } else {
        return "argument must be 'yes' or 'no'";
      }
      return "";
    case Kind::kInt: {
      int64_t x;
      if (!ParseInt64(v, &x)) return "argument couldn't be parsed into an integer";
      if (x < o.min || x > o.max)
        return "argument must be between " + std::to_string(o.min) + " and " +
               std::to_string(o.max) + " inclusive";
      c.*(o.i) = x;
      return "";
    }
    case Kind::kMemory: {
      int64_t x;
      if (!ParseMemory(v, &x)) return "argument must be a memory value";
      if (x < o.min || x > o.max)
        return "argument must be between " + std::to_string(o.min) + " and " +
               std::to_string(o.max) + " inclusive";
      c.*(o.i) = x;
      return "";
    }
    case Kind::kString:
      c.*(o.s) = std::string(v);
      return "";
    case Kind::kEnum:
      for (const auto& [name, value] : o.enum_values) {
        if (EqualsNoCase(v, name)) {
          c.*(o.i) = value;
          return "";
        }
      }
      {
        std::string names;
        for (const auto& [name, value] : o.enum_values) {
          if (!names.empty()) names += ", ";
          names += name;
        }
        return "argument(s) must be one of the following: " + names;
      }
    case Kind::kSpecial:
      return o.set(c, v);
  }
  return "unknown option kind";
}

}  // namespace

ConfigRegistry::ConfigRegistry(Config* cfg) : cfg_(cfg) {
  for (const auto& [k, v] : PassthroughDefaults()) cfg_->passthrough.emplace(k, v);
}

std::string ConfigRegistry::Set(std::string_view name, std::string_view value, bool startup) {
  if (!startup) return SetMany({{name, value}});
  const Option* o = FindOption(name);
  if (!o) {
    auto it = cfg_->passthrough.find(ToLower(name));
    if (it == cfg_->passthrough.end())
      return "Unknown option or number of arguments for CONFIG SET - '" + std::string(name) + "'";
    it->second = std::string(value);
    return "";
  }
  std::string err = SetValue(*o, *cfg_, value);
  if (err.empty() && o->apply) o->apply(*cfg_);
  return err;
}

std::string ConfigRegistry::SetMany(
    const std::vector<std::pair<std::string_view, std::string_view>>& pairs) {
  // Phase 1: resolve every name; the first problem found is reported.
  struct Target {
    const Option* opt;  // nullptr for passthrough options
    std::string key;    // canonical name
    std::string old_value;
  };
  std::vector<Target> targets;
  auto failed = [](std::string_view arg, std::string_view why) {
    return "CONFIG SET failed (possibly related to argument '" + std::string(arg) + "') - " +
           std::string(why);
  };
  for (const auto& [name, value] : pairs) {
    const Option* o = FindOption(name);
    std::string key = o ? std::string(o->name) : ToLower(name);
    if (!o && cfg_->passthrough.find(key) == cfg_->passthrough.end())
      return "Unknown option or number of arguments for CONFIG SET - '" + std::string(name) + "'";
    if (o && o->immutable) return failed(name, "can't set immutable config");
    for (const Target& t : targets)
      if (t.key == key) return failed(name, "duplicate parameter");
    targets.push_back({o, std::move(key), {}});
  }
  // Phase 2: remember old values, set new ones, roll back on failure.
  for (Target& t : targets)
    t.old_value = t.opt ? GetValue(*t.opt, *cfg_) : cfg_->passthrough[t.key];
  auto restore = [&](size_t upto) {
    for (size_t j = 0; j < upto; ++j) {
      if (targets[j].opt) {
        (void)SetValue(*targets[j].opt, *cfg_, targets[j].old_value);
      } else {
        cfg_->passthrough[targets[j].key] = targets[j].old_value;
      }
    }
  };
  for (size_t i = 0; i < targets.size(); ++i) {
    const Target& t = targets[i];
    if (!t.opt) {
      cfg_->passthrough[t.key] = std::string(pairs[i].second);
      continue;
    }
    std::string err = SetValue(*t.opt, *cfg_, pairs[i].second);
    if (!err.empty()) {
      restore(i);
      return failed(t.key, err);
    }
  }
  for (const Target& t : targets)
    if (t.opt && t.opt->apply) t.opt->apply(*cfg_);
  if (on_change_)
    for (const Target& t : targets) on_change_(t.key);
  return "";
}

std::vector<std::pair<std::string, std::string>> ConfigRegistry::Get(
    std::string_view pattern) const {
  return GetMany({pattern});
}

std::vector<std::pair<std::string, std::string>> ConfigRegistry::GetMany(
    const std::vector<std::string_view>& patterns) const {
  std::vector<std::pair<std::string, std::string>> out;
  std::vector<std::string> seen;  // lowercase names already reported
  auto add = [&](std::string_view shown, std::string value) {
    std::string low = ToLower(shown);
    for (const std::string& s : seen)
      if (s == low) return;
    seen.push_back(std::move(low));
    out.emplace_back(std::string(shown), std::move(value));
  };
  for (std::string_view p : patterns) {
    if (p.find_first_of("*?[") == std::string_view::npos) {
      if (auto v = GetOne(p)) add(p, std::move(*v));
      continue;
    }
    for (const Option& o : Options()) {
      if (GlobMatch(p, o.name, true)) add(o.name, GetValue(o, *cfg_));
      if (o.alias && GlobMatch(p, o.alias, true)) add(o.alias, GetValue(o, *cfg_));
    }
    for (const auto& [k, v] : cfg_->passthrough)
      if (GlobMatch(p, k, true)) add(k, v);
  }
  return out;
}

std::optional<std::string> ConfigRegistry::GetOne(std::string_view name) const {
  if (const Option* o = FindOption(name)) return GetValue(*o, *cfg_);
  auto it = cfg_->passthrough.find(ToLower(name));
  if (it != cfg_->passthrough.end()) return it->second;
  return std::nullopt;
}

std::string ConfigRegistry::LoadText(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    // Comments are skipped before splitting: they may hold any quoting.
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    auto args = SplitArgs(line);
    if (!args)
      return "line " + std::to_string(lineno) + ": Unbalanced quotes in configuration line";
    if (args->empty() || (*args)[0].empty() || (*args)[0][0] == '#') continue;
    std::string name = ToLower((*args)[0]);
    std::string value;
    if (name == "include" && args->size() == 2) {
      std::string err = LoadFile((*args)[1]);
      if (!err.empty()) return err;
      continue;
    }
    for (size_t k = 1; k < args->size(); ++k) {
      if (k > 1) value += ' ';
      // Re-quote so multi-word values like "save 900 1" survive.
      value += (*args)[k];
    }
    if (name == "save" && !cfg_->save.empty() && args->size() > 1 && (*args)[1] != "") {
      value = cfg_->save + " " + value;  // repeated "save" lines accumulate
    }
    if (name == "client-output-buffer-limit") {
      // Accumulate per class instead of replacing all three.
      std::string err = SetObuf(*cfg_, value);
      if (!err.empty()) return "line " + std::to_string(lineno) + ": " + err;
      continue;
    }
    if (!FindOption(name) && cfg_->passthrough.find(name) == cfg_->passthrough.end()) {
      return "line " + std::to_string(lineno) + ": Bad directive or wrong number of arguments: '" +
             (*args)[0] + "'";
    }
    std::string err = Set(name, value, /*startup=*/true);
    if (!err.empty()) return "line " + std::to_string(lineno) + ": '" + line + "': " + err;
  }
  return "";
}

std::string ConfigRegistry::LoadFile(const std::string& path) {
  std::ifstream f(path);
  if (!f) return "Fatal error, can't open config file '" + path + "'";
  std::stringstream ss;
  ss << f.rdbuf();
  return LoadText(ss.str());
}

std::string ConfigRegistry::LoadArgs(const std::vector<std::string>& args) {
  // "--port 7000 --save '' --bind a b" -> one config line per option.
  std::string text;
  for (const std::string& a : args) {
    if (a.rfind("--", 0) == 0 && a.size() > 2) {
      if (!text.empty()) text += '\n';
      text += a.substr(2);
    } else {
      text += " \"";
      for (char c : a) {
        if (c == '"' || c == '\\') text += '\\';
        text += c;
      }
      text += '"';
    }
  }
  return LoadText(text);
}

std::string ConfigRegistry::Rewrite() const {
  if (cfg_->config_file.empty()) return "The server is running without a config file";
  std::ifstream f(cfg_->config_file);
  std::vector<std::string> lines;
  std::string line;
  while (f && std::getline(f, line)) lines.push_back(line);
  // Replace the first occurrence of each option's line, drop repeats, and
  // append options that differ from nothing in the file.
  std::map<std::string, bool> written;
  std::vector<std::string> out;
  auto render = [&](const std::string& name) {
    std::string v = *GetOne(name);
    std::string quoted = "\"";
    for (char c : v) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    quoted += '"';
    if (name == "bind" || name == "client-output-buffer-limit" || name == "save" ||
        name == "latency-tracking-info-percentiles")
      return name + " " + (v.empty() ? "\"\"" : v);
    return name + " " + quoted;
  };
  for (const std::string& l : lines) {
    auto args = SplitArgs(l);
    if (!args || args->empty() || (*args)[0][0] == '#') {
      out.push_back(l);
      continue;
    }
    std::string name = ToLower((*args)[0]);
    const Option* o = FindOption(name);
    if (!o) {
      auto it = cfg_->passthrough.find(name);
      if (it == cfg_->passthrough.end()) {
        out.push_back(l);
        continue;
      }
    } else {
      name = o->name;
    }
    if (written[name]) continue;
    written[name] = true;
    out.push_back(render(name));
  }
  for (const Option& o : Options()) {
    if (written[o.name]) continue;
    Config defaults;
    if (GetValue(o, defaults) == GetValue(o, *cfg_)) continue;
    out.push_back(render(o.name));
  }
  for (const auto& [k, v] : PassthroughDefaults()) {
    if (written[k] || cfg_->passthrough.at(k) == v) continue;
    out.push_back(render(k));
  }
  // Publish crash-safely: temp file, fsync, rename, fsync the directory.
  std::string text;
  for (const std::string& l : out) text += l + '\n';
  std::string tmp = cfg_->config_file + ".tmp-rewrite";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return std::string("Rewriting config file: ") + strerror(errno);
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string err = std::string("Rewriting config file: ") + strerror(errno);
      close(fd);
      unlink(tmp.c_str());
      return err;
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) {
    std::string err = std::string("Rewriting config file: ") + strerror(errno);
    close(fd);
    unlink(tmp.c_str());
    return err;
  }
  close(fd);
  if (std::rename(tmp.c_str(), cfg_->config_file.c_str()) != 0) {
    std::string err = std::string("Rewriting config file: ") + strerror(errno);
    unlink(tmp.c_str());
    return err;
  }
  std::string dir = cfg_->config_file.substr(0, cfg_->config_file.find_last_of('/') + 1);
  int dfd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)fsync(dfd);
    close(dfd);
  }
  return "";
}

}  // namespace ordis
