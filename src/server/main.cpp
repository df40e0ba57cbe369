// ordis-server entry point: `ordis-server [config-file] [--option value ...]`.
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "net/loading_responder.h"
#include "net/net_server.h"
#include "order/order_table.h"
#include "server/log.h"
#include "server/persistence.h"
#include "server/server.h"
#include "server/version.h"
#include "snapshot/snapshot_manager.h"

using namespace ordis;

namespace {

void Usage() {
  fprintf(stderr,
          "Usage: ./ordis-server [/path/to/ordis.conf] [options]\n"
          "       ./ordis-server - (read config from stdin)\n"
          "       ./ordis-server -v or --version\n"
          "       ./ordis-server -h or --help\n\n"
          "Examples:\n"
          "       ./ordis-server (run the server with default conf)\n"
          "       ./ordis-server conf/ordis.conf\n"
          "       ./ordis-server --port 7777\n"
          "       ./ordis-server conf/ordis.conf --loglevel verbose\n");
}

// Raise the open-file limit so maxclients connections fit, as Redis does.
void AdjustOpenFilesLimit(Config& cfg) {
  rlim_t want = static_cast<rlim_t>(cfg.maxclients) + 32;
  rlimit lim;
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  if (lim.rlim_cur >= want) return;
  rlimit nl{want, lim.rlim_max > want ? lim.rlim_max : want};
  if (setrlimit(RLIMIT_NOFILE, &nl) == 0) return;
  nl.rlim_cur = nl.rlim_max = lim.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &nl) == 0 || lim.rlim_cur > 32) {
    getrlimit(RLIMIT_NOFILE, &lim);
    int64_t fit = static_cast<int64_t>(lim.rlim_cur) - 32;
    if (fit < cfg.maxclients) {
      Log(kLogWarning,
          "You requested maxclients of %lld requiring at least %llu max file descriptors. Server "
          "can't set maximum open files to %llu; maxclients is now %lld.",
          static_cast<long long>(cfg.maxclients), static_cast<unsigned long long>(want),
          static_cast<unsigned long long>(want), static_cast<long long>(fit));
      cfg.maxclients = fit < 1 ? 1 : fit;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "-v" || args[0] == "--version")) {
    printf("ordis server v=%s redis_version=%s bits=64 malloc=%s\n", kOrdisVersion,
           kRedisCompatVersion, kAllocatorName);
    return 0;
  }
  if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
    Usage();
    return 0;
  }
  Config cfg;
  std::string config_file;
  size_t first_opt = 0;
  if (!args.empty() && args[0].rfind("--", 0) != 0) {
    config_file = args[0];
    first_opt = 1;
  }
  Server server(std::move(cfg));
  server.executable = argv[0];
  ConfigRegistry& reg = server.config_registry();
  if (!config_file.empty()) {
    std::string err;
    if (config_file == "-") {
      std::string text, line;
      char buf[4096];
      while (fgets(buf, sizeof buf, stdin)) text += buf;
      err = reg.LoadText(text);
    } else {
      char abs[PATH_MAX];
      if (realpath(config_file.c_str(), abs)) server.config().config_file = abs;
      err = reg.LoadFile(config_file);
    }
    if (!err.empty()) {
      fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (ordis %s) ***\n%s\n", kOrdisVersion,
              err.c_str());
      return 1;
    }
  }
  std::string err = reg.LoadArgs(
      std::vector<std::string>(args.begin() + static_cast<long>(first_opt), args.end()));
  if (!err.empty()) {
    fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (ordis %s) ***\n%s\n", kOrdisVersion,
            err.c_str());
    return 1;
  }
  Config& c = server.config();
  if (!LogInit(c.logfile, static_cast<int>(c.loglevel))) {
    fprintf(stderr, "Can't open the log file: %s\n", c.logfile.c_str());
    return 1;
  }
  if (!c.dir.empty() && chdir(c.dir.c_str()) != 0) {
    Log(kLogWarning, "Can't chdir to '%s': %s", c.dir.c_str(), strerror(errno));
    return 1;
  }
  Log(kLogNotice, "oO0OoO0OoO0Oo ordis is starting oO0OoO0OoO0Oo");
  Log(kLogNotice, "ordis version=%s, redis_version=%s, bits=64, pid=%d, just started",
      kOrdisVersion, kRedisCompatVersion, static_cast<int>(getpid()));
  if (config_file.empty())
    Log(kLogWarning, "Warning: no config file specified, using the default config.");
  else
    Log(kLogNotice, "Configuration loaded");
  AdjustOpenFilesLimit(c);
  // The keyspace was sized before the config was read: rebuild if needed.
  if (server.keyspace().db_count() != c.databases)
    server.ResizeDatabases(static_cast<int>(c.databases));
  // Order tables: reserve the arena now, so a bad memory setup stops the
  // server here rather than failing orders later.
  err = server.InitOrders();
  if (!err.empty()) {
    Log(kLogWarning, "Can't initialize the order tables: %s", err.c_str());
    if (c.order_hugepages == Config::kOrderHugePagesOn)
      Log(kLogWarning,
          "order-hugepages is 'on': reserve explicit hugepages (sysctl vm.nr_hugepages=N) or "
          "set order-hugepages to auto or off.");
    return 1;
  }
  {
    order::OrderTableStats os = server.orders().stats();
    Log(kLogNotice, "Order tables: capacity %llu orders, memory %s, NUMA node %d",
        static_cast<unsigned long long>(os.capacity), os.memory_mode, os.numa_node);
  }
  NetServer net(&server);
  err = net.Listen();
  if (!err.empty()) {
    Log(kLogWarning, "%s", err.c_str());
    return 1;
  }
  // Recovery: the newest snapshot, then the WAL after its LSN. Meanwhile
  // clients get -LOADING (and INFO shows the progress), as in Redis.
  {
    LoadingResponder responder(net.listeners(), &server.persistence().progress());
    responder.Start();
    LoadingProgress& progress = server.persistence().progress();
    progress.start_ms = Server::NowMs();
    progress.start_sec = Server::NowMs() / 1000;
    struct stat st{};
    uint64_t snapshot_bytes = 0;
    if (stat((c.dir + "/" + c.dbfilename).c_str(), &st) == 0)
      snapshot_bytes = static_cast<uint64_t>(st.st_size);
    progress.total_bytes = snapshot_bytes;
    uint64_t snapshot_lsn = 0;
    bool snapshot_ok = snapshot::LoadAtStartup(server, &snapshot_lsn);
    progress.loaded_bytes = snapshot_bytes;
    if (snapshot_ok) {
      server.set_snapshot_lsn(snapshot_lsn);
      err = server.persistence().Recover();
    }
    std::vector<LoadingResponder::Handoff> conns = responder.Stop();
    if (!snapshot_ok) {
      for (auto& h : conns) close(h.fd);
      return 1;  // LoadAtStartup logged why
    }
    if (!err.empty()) {
      for (auto& h : conns) close(h.fd);
      Log(kLogWarning, "%s", err.c_str());
      Log(kLogWarning,
          "Refusing to start: fix or move the file (utils/ordis-check-wal can "
          "verify a WAL directory and truncate a torn tail).");
      return 1;
    }
    for (auto& h : conns) net.Adopt(h.fd, h.unix_socket, h.input);
  }
  if (!c.pidfile.empty()) {
    FILE* f = fopen(c.pidfile.c_str(), "w");
    if (f) {
      fprintf(f, "%d\n", static_cast<int>(getpid()));
      fclose(f);
    }
  }
  Log(kLogNotice, "Server initialized");
  Log(kLogNotice, "Ready to accept connections tcp (port %lld)", static_cast<long long>(c.port));
  int rc = net.Run();
  Log(kLogWarning, "User requested shutdown...");
  if (!c.pidfile.empty()) unlink(c.pidfile.c_str());
  Log(kLogWarning, "ordis is now ready to exit, bye bye...");
  return rc;
}
