// ordis-bench: the order workload of issue 3 against ordis (ORDER.*) or
// stock redis-server (utils/redis-orders.lua through FCALL).
//
//   ordis-bench [--host H] [--port P] [--target ordis|redis] [--clients N]
//               [--pipeline P] [--duration S] [--users U] [--symbols K]
//               [--mix place=60,open=15,depth=10,amend=5,cancel=5,fill=5]
//               [--seed N] [--pid PID] [--prefill N] [--reset] [--lua FILE]
//               [--depth-levels N] [--open-limit N] [--cid-percent N]
//               [--no-trade-ids]
//       Runs the mix for S seconds (see workload.h) and prints a table and
//       key=value lines: ops/s and p50/p99/p99.9 per operation and in
//       total, outcome counts, the server's CPU time per operation (with
//       --pid: utime+stime from /proc/PID/stat over the run) and memory per
//       live order (ordis: INFO orders order_memory_bytes / orders_live;
//       redis: used_memory growth since the start / live orders).
//   ordis-bench ... --fill N
//       Places N orders as fast as pipelining allows and prints memory per
//       order (the 10,000,000-order memory target; by hand).
//   ordis-bench --check --port P --redis-port R [--seed N] [--ops N] [--lua FILE]
//       Compares ordis's replies with the Lua library's (check.h).
//   ordis-bench --self-test
//       Tests the reply scanner against hiredis's reader (resp_scan.h).
// --reset clears the target's orders first (ORDER.RESET, FCALL order_reset);
// --lua loads the library into redis (FUNCTION LOAD REPLACE) first.
// Exit status: 0 ok, 1 errors or mismatches in the run, 2 usage or
// connection problems, 3 the target does not answer ORDER.* (yet).
#include <hiredis/hiredis.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>

#include "check.h"
#include "common.h"
#include "driver.h"
#include "resp_scan.h"
#include "stats.h"
#include "workload.h"

namespace bench {
namespace {

struct Options {
  DriverConfig driver;
  WorkloadConfig workload;
  double duration = 10;
  int pid = 0;
  uint64_t prefill = 0;
  uint64_t fill = 0;
  bool reset = false;
  std::string lua;
  bool check = false;
  int redis_port = 0;
  int check_ops = 3000;
  bool verbose = false;
};

[[noreturn]] void Usage(const char* msg) {
  if (msg != nullptr) fprintf(stderr, "ordis-bench: %s\n", msg);
  fprintf(stderr,
          "usage: ordis-bench [--host H] [--port P] [--target ordis|redis] [--clients N]\n"
          "         [--pipeline P] [--duration S] [--users U] [--symbols K] [--mix op=w,...]\n"
          "         [--seed N] [--pid PID] [--prefill N] [--reset] [--lua FILE]\n"
          "         [--depth-levels N] [--open-limit N] [--cid-percent N] [--no-trade-ids]\n"
          "       ordis-bench ... --fill N\n"
          "       ordis-bench --check --port P --redis-port R [--seed N] [--ops N] [--lua FILE]\n"
          "       ordis-bench --self-test\n"
          "operations for --mix: place open depth amend cancel fill reduce get top\n");
  exit(2);
}

long long Number(const char* flag, const char* v, long long lo, long long hi) {
  char* end = nullptr;
  long long n = std::strtoll(v, &end, 10);
  if (*v == '\0' || *end != '\0' || n < lo || n > hi)
    Usage((std::string("bad value for ") + flag + ": " + v).c_str());
  return n;
}

Options Parse(int argc, char** argv) {
  Options o;
  std::string error;
  if (!ParseMix("place=60,open=15,depth=10,amend=5,cancel=5,fill=5", &o.workload.mix, &error))
    Usage(error.c_str());
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--check") {
      o.check = true;
      continue;
    }
    if (a == "--reset") {
      o.reset = true;
      continue;
    }
    if (a == "--no-trade-ids") {
      o.workload.trade_ids = false;
      continue;
    }
    if (a == "--verbose") {
      o.verbose = true;
      continue;
    }
    if (a == "--self-test") exit(SelfTestScanner() == 0 ? 0 : 1);
    if (a == "--help" || a == "-h") Usage(nullptr);
    if (i + 1 >= argc) Usage(("missing value for " + a).c_str());
    const char* v = argv[++i];
    const char* f = a.c_str();
    if (a == "--host") {
      o.driver.host = v;
    } else if (a == "--port") {
      o.driver.port = static_cast<int>(Number(f, v, 1, 65535));
    } else if (a == "--redis-port") {
      o.redis_port = static_cast<int>(Number(f, v, 1, 65535));
    } else if (a == "--clients") {
      o.driver.conns = static_cast<int>(Number(f, v, 1, 10000));
    } else if (a == "--pipeline") {
      o.driver.pipeline = static_cast<int>(Number(f, v, 1, 100000));
    } else if (a == "--duration") {
      o.duration = std::atof(v);
      if (!(o.duration > 0)) Usage("--duration must be positive");
    } else if (a == "--users") {
      o.workload.users = static_cast<uint32_t>(Number(f, v, 1, 1000000000));
    } else if (a == "--symbols") {
      o.workload.symbols = static_cast<uint32_t>(Number(f, v, 1, 9999));
    } else if (a == "--mix") {
      if (!ParseMix(v, &o.workload.mix, &error)) Usage(error.c_str());
    } else if (a == "--target") {
      if (std::string(v) == "ordis") {
        o.driver.target = Target::kOrdis;
      } else if (std::string(v) == "redis") {
        o.driver.target = Target::kRedis;
      } else {
        Usage("--target is ordis or redis");
      }
    } else if (a == "--seed") {
      o.workload.seed = static_cast<uint64_t>(Number(f, v, 0, INT64_MAX));
    } else if (a == "--pid") {
      o.pid = static_cast<int>(Number(f, v, 1, INT32_MAX));
    } else if (a == "--prefill") {
      o.prefill = static_cast<uint64_t>(Number(f, v, 0, INT64_MAX));
    } else if (a == "--fill") {
      o.fill = static_cast<uint64_t>(Number(f, v, 1, INT64_MAX));
    } else if (a == "--lua") {
      o.lua = v;
    } else if (a == "--ops") {
      o.check_ops = static_cast<int>(Number(f, v, 1, 100000000));
    } else if (a == "--depth-levels") {
      o.workload.depth_levels = static_cast<int>(Number(f, v, 1, 100000));
    } else if (a == "--open-limit") {
      o.workload.open_limit = static_cast<int>(Number(f, v, 0, 100000));
    } else if (a == "--cid-percent") {
      o.workload.cid_percent = static_cast<int>(Number(f, v, 0, 100));
    } else {
      Usage(("unknown option " + a).c_str());
    }
  }
  return o;
}

using ReplyPtr = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

// A blocking connection for setup and INFO, next to the driver's.
class Admin {
 public:
  Admin(const std::string& host, int port) {
    timeval tv{10, 0};
    ctx_ = redisConnectWithTimeout(host.c_str(), port, tv);
    if (ctx_ == nullptr || ctx_->err) {
      fprintf(stderr, "ordis-bench: cannot connect to %s:%d: %s\n", host.c_str(), port,
              ctx_ ? ctx_->errstr : "out of memory");
      exit(2);
    }
  }
  ~Admin() { redisFree(ctx_); }
  Admin(const Admin&) = delete;
  Admin& operator=(const Admin&) = delete;

  ReplyPtr Call(std::initializer_list<std::string> args) {
    std::vector<const char*> p;
    std::vector<size_t> len;
    for (const std::string& s : args) {
      p.push_back(s.data());
      len.push_back(s.size());
    }
    void* r = redisCommandArgv(ctx_, static_cast<int>(p.size()), p.data(), len.data());
    if (r == nullptr) {
      fprintf(stderr, "ordis-bench: %s\n", ctx_->errstr);
      exit(2);
    }
    return ReplyPtr(static_cast<redisReply*>(r), freeReplyObject);
  }

  // A numeric field of INFO <section>, if present.
  std::optional<double> Info(const std::string& section, const std::string& field) {
    ReplyPtr r = Call({"INFO", section});
    if (r->type != REDIS_REPLY_STRING) return std::nullopt;
    std::string text(r->str, r->len), key = "\n" + field + ":";
    size_t at = ("\n" + text).find(key);
    if (at == std::string::npos) return std::nullopt;
    return std::strtod(text.c_str() + at + key.size() - 1, nullptr);
  }

 private:
  redisContext* ctx_ = nullptr;
};

// Makes sure the target answers ORDER.* (loading the Lua library into
// redis when asked), and resets it with --reset. Exits when it cannot.
void Prepare(const Options& o, Admin& admin) {
  bool redis = o.driver.target == Target::kRedis;
  if (redis && !o.lua.empty()) {
    std::ifstream f(o.lua);
    std::string code((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (code.empty()) Usage(("cannot read " + o.lua).c_str());
    ReplyPtr r = admin.Call({"FUNCTION", "LOAD", "REPLACE", code});
    if (r->type == REDIS_REPLY_ERROR) {
      fprintf(stderr, "ordis-bench: FUNCTION LOAD %s: %s\n", o.lua.c_str(), r->str);
      exit(2);
    }
  }
  ReplyPtr r = redis ? admin.Call({"FCALL", "order_top", "0", "SYM0001"})
                     : admin.Call({"ORDER.TOP", "SYM0001"});
  if (r->type == REDIS_REPLY_ERROR) {
    if (redis) {
      fprintf(stderr, "ordis-bench: redis does not run the orders library (--lua FILE): %s\n",
              r->str);
    } else {
      fprintf(stderr, "ordis-bench: ordis side unavailable: ORDER.TOP -> %s\n", r->str);
    }
    exit(3);
  }
  if (o.reset) {
    r = redis ? admin.Call({"FCALL", "order_reset", "0"}) : admin.Call({"ORDER.RESET"});
    if (r->type == REDIS_REPLY_ERROR) {
      fprintf(stderr, "ordis-bench: reset failed: %s\n", r->str);
      exit(2);
    }
  }
}

std::string Num(std::optional<double> v, const char* fmt = "%.1f") {
  if (!v || !std::isfinite(*v)) return "n/a";
  char buf[64];
  snprintf(buf, sizeof buf, fmt, *v);
  return buf;
}

// Memory per live order: the primary figure (ordis: INFO orders; redis:
// used_memory growth) and used_memory growth for both.
struct Memory {
  std::optional<double> used0, used1, order_bytes, server_live;
  std::optional<double> PerOrder(Target t, uint64_t live) const {
    if (t == Target::kOrdis) {
      if (order_bytes && server_live && *server_live > 0) return *order_bytes / *server_live;
      return std::nullopt;
    }
    return UsedPerOrder(live);
  }
  std::optional<double> UsedPerOrder(uint64_t live) const {
    if (!used0 || !used1 || live == 0) return std::nullopt;
    return (*used1 - *used0) / static_cast<double>(live);
  }
};

void ReadMemoryAfter(Admin& admin, Memory* m) {
  m->used1 = admin.Info("memory", "used_memory");
  m->order_bytes = admin.Info("orders", "order_memory_bytes");
  m->server_live = admin.Info("orders", "orders_live");
}

const char* TargetName(Target t) {
  return t == Target::kOrdis ? "ordis" : "redis";
}

int Fill(const Options& o, Admin& admin) {
  WorkloadConfig wc = o.workload;
  wc.track_live = false;
  Workload w(wc);
  Memory m;
  m.used0 = admin.Info("memory", "used_memory");
  RunStats stats;
  Driver d(o.driver, &w);
  double secs = d.RunPrefill(o.fill, &stats);
  ReadMemoryAfter(admin, &m);
  uint64_t errors = stats.Errors();
  printf(
      "fill target=%s orders=%llu seconds=%.2f orders_per_sec=%.0f errors=%llu live_orders=%llu "
      "server_live_orders=%s mem_bytes_per_live_order=%s order_memory_bytes=%s "
      "used_memory_delta_per_live_order=%s\n",
      TargetName(o.driver.target), static_cast<unsigned long long>(o.fill), secs,
      static_cast<double>(o.fill) / secs, static_cast<unsigned long long>(errors),
      static_cast<unsigned long long>(w.live()), Num(m.server_live, "%.0f").c_str(),
      Num(m.PerOrder(o.driver.target, w.live())).c_str(), Num(m.order_bytes, "%.0f").c_str(),
      Num(m.UsedPerOrder(w.live())).c_str());
  if (!w.first_error().empty()) fprintf(stderr, "first error: %s\n", w.first_error().c_str());
  return errors == 0 ? 0 : 1;
}

int Run(const Options& o, Admin& admin) {
  Workload w(o.workload);
  Memory m;
  m.used0 = admin.Info("memory", "used_memory");
  Driver d(o.driver, &w);
  RunStats prefill_stats;
  if (o.prefill > 0) d.RunPrefill(o.prefill, &prefill_stats);
  if (prefill_stats.Errors() > 0) {
    fprintf(stderr, "ordis-bench: %llu errors during the prefill: %s\n",
            static_cast<unsigned long long>(prefill_stats.Errors()), w.first_error().c_str());
    return 1;
  }
  RunStats stats;
  double cpu0 = CpuSeconds(o.pid);
  int64_t t0 = NowNs();
  d.RunTimed(o.duration, &stats);
  double secs = static_cast<double>(NowNs() - t0) / 1e9;
  double cpu1 = CpuSeconds(o.pid);
  ReadMemoryAfter(admin, &m);

  Histogram total = stats.Total();
  uint64_t ops = total.count(), ok = 0, not_live = 0, mismatch = 0, errors = stats.Errors();
  for (const OpStats& s : stats.ops) {
    ok += s.ok;
    not_live += s.not_live;
    mismatch += s.mismatch;
  }
  std::optional<double> cpu;
  if (o.pid > 0 && cpu0 >= 0 && cpu1 >= 0 && ops > 0)
    cpu = (cpu1 - cpu0) * 1e6 / static_cast<double>(ops);
  const char* target = TargetName(o.driver.target);

  printf(
      "ordis-bench: %s at %s:%d, %d clients x pipeline %d, %.1f s, %u users, %u symbols, "
      "prefill %llu, seed %llu\n",
      target, o.driver.host.c_str(), o.driver.port, o.driver.conns, o.driver.pipeline, secs,
      o.workload.users, o.workload.symbols, static_cast<unsigned long long>(o.prefill),
      static_cast<unsigned long long>(o.workload.seed));
  printf("%-8s %10s %9s %9s %9s %9s %8s %7s %8s %9s\n", "op", "ops/s", "p50 ms", "p99 ms",
         "p99.9 ms", "ok", "not_live", "errors", "mismatch", "avg elems");
  auto row = [&](const char* name, const Histogram& h, uint64_t k, uint64_t nl, uint64_t e,
                 uint64_t mm, std::optional<double> elems) {
    printf("%-8s %10.0f %9.3f %9.3f %9.3f %9llu %8llu %7llu %8llu %9s\n", name,
           static_cast<double>(h.count()) / secs, h.PercentileUs(0.5) / 1000,
           h.PercentileUs(0.99) / 1000, h.PercentileUs(0.999) / 1000,
           static_cast<unsigned long long>(k), static_cast<unsigned long long>(nl),
           static_cast<unsigned long long>(e), static_cast<unsigned long long>(mm),
           Num(elems).c_str());
  };
  for (size_t i = 0; i < kOpCount; ++i) {
    const OpStats& s = stats.ops[i];
    if (s.count() == 0) continue;
    Op op = static_cast<Op>(i);
    std::optional<double> elems;
    if (op == Op::kOpen || op == Op::kDepth)
      elems = static_cast<double>(s.elements) / static_cast<double>(std::max<uint64_t>(1, s.ok));
    row(kOpNames[i], s.latency, s.ok, s.not_live, s.errors, s.mismatch, elems);
  }
  row("total", total, ok, not_live, errors, mismatch, std::nullopt);
  printf(
      "server CPU: %s µs/op; live orders: %llu (server: %s); memory per live order: %s bytes "
      "(%s), used_memory growth per live order: %s bytes\n",
      Num(cpu, "%.2f").c_str(), static_cast<unsigned long long>(w.live()),
      Num(m.server_live, "%.0f").c_str(), Num(m.PerOrder(o.driver.target, w.live())).c_str(),
      o.driver.target == Target::kOrdis ? "INFO orders" : "used_memory growth",
      Num(m.UsedPerOrder(w.live())).c_str());
  if (!w.first_error().empty()) printf("first error: %s\n", w.first_error().c_str());

  for (size_t i = 0; i < kOpCount; ++i) {
    const OpStats& s = stats.ops[i];
    if (s.count() == 0) continue;
    printf(
        "op=%s target=%s ops=%llu ops_per_sec=%.0f p50_us=%.1f p99_us=%.1f p999_us=%.1f "
        "ok=%llu not_live=%llu errors=%llu mismatch=%llu\n",
        kOpNames[i], target, static_cast<unsigned long long>(s.count()),
        static_cast<double>(s.count()) / secs, s.latency.PercentileUs(0.5),
        s.latency.PercentileUs(0.99), s.latency.PercentileUs(0.999),
        static_cast<unsigned long long>(s.ok), static_cast<unsigned long long>(s.not_live),
        static_cast<unsigned long long>(s.errors), static_cast<unsigned long long>(s.mismatch));
  }
  printf(
      "summary target=%s clients=%d pipeline=%d seconds=%.2f ops=%llu ops_per_sec=%.0f "
      "p50_us=%.1f p99_us=%.1f p999_us=%.1f errors=%llu not_live=%llu mismatch=%llu "
      "cpu_us_per_op=%s live_orders=%llu server_live_orders=%s mem_bytes_per_live_order=%s "
      "used_memory_delta_per_live_order=%s\n",
      target, o.driver.conns, o.driver.pipeline, secs, static_cast<unsigned long long>(ops),
      static_cast<double>(ops) / secs, total.PercentileUs(0.5), total.PercentileUs(0.99),
      total.PercentileUs(0.999), static_cast<unsigned long long>(errors),
      static_cast<unsigned long long>(not_live), static_cast<unsigned long long>(mismatch),
      Num(cpu, "%.3f").c_str(), static_cast<unsigned long long>(w.live()),
      Num(m.server_live, "%.0f").c_str(), Num(m.PerOrder(o.driver.target, w.live())).c_str(),
      Num(m.UsedPerOrder(w.live())).c_str());
  return errors == 0 && mismatch == 0 ? 0 : 1;
}

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
  using namespace bench;
  Options o = Parse(argc, argv);
  if (o.check) {
    if (o.redis_port == 0) Usage("--check needs --port (ordis) and --redis-port");
    CheckConfig c;
    c.host = o.driver.host;
    c.ordis_port = o.driver.port;
    c.redis_port = o.redis_port;
    c.seed = o.workload.seed;
    c.ops = o.check_ops;
    c.lua = o.lua;
    c.verbose = o.verbose;
    return RunCheck(c);
  }
  Admin admin(o.driver.host, o.driver.port);
  Prepare(o, admin);
  return o.fill > 0 ? Fill(o, admin) : Run(o, admin);
}
