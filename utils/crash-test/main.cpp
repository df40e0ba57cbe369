// crash-test: kill -9 the server at random moments and check that every
// acknowledged write survives.
//
//   crash-test [--server PATH] [--port P] [--dir D] [--cycles N] [--clients N]
//              [--seed S] [--min-ms A] [--max-ms B] [--bgsave-percent X]
//              [--rewrite-percent Y] [--rotation-percent Z] [--ctl-lead-ms L] [--no-orders]
//              [--preload N] [--no-check-times] [--no-crash-images]
//              [--max-fail-copies N] [--stop-on-failure] [--expect-loss]
//              [--keep-dir] [--ready-timeout-ms T] [--no-kill] [--tamper]
//              [--verbose] [-- server args...]
//
// One cycle: N client threads (model.h) send SET/INCR/DEL and ORDER.PLACE/
// AMEND/REDUCE/FILL/CANCEL/CANCELCID/CANCELALL one command at a time and
// record every acknowledged reply; after a random A..B ms the server's
// process group gets SIGKILL. With probability X% (Y%) a control
// connection sends BGSAVE (BGREWRITEAOF) 0..L ms before the kill, so the
// kill lands while the snapshot or rewrite runs (INFO persistence says
// whether it did). With probability Z% the kill waits (up to 3 s) for
// INFO persistence's wal_segment to change and lands right after the
// switch to a new WAL segment (small segments: -- --wal-segment-size 1mb).
// The server restarts on the same directory; once it
// answers PING with loading:0, verify.h compares everything with the
// models. A cycle with differences keeps a copy of the directory (the crash
// image as the kill left it, and the state after recovery, with the
// server's log), then FLUSHALL + ORDER.RESET start afresh.
//
// The server is started as: PATH --port P --bind 127.0.0.1 --dir D
// --appendonly yes --appendfsync always [server args...]; later arguments
// override earlier ones (ordis-server and redis-server alike).
//
// --port 0 (the default) picks a free port.
//
// --no-kill checks the tester itself: instead of SIGKILL, each client
// either stops or sends one last command and hangs up without reading the
// reply (in doubt, as after a crash), and the same verification runs
// against the live server, with no restart. Against any correct server it
// must report 0 lost and 0 mismatched, with in-doubt operations applied.
//
// --tamper checks that the verification can fail: before each verification
// the control connection makes one change no client made (a key set,
// deleted or added; an order filled, canceled or placed), and every cycle
// must then report a difference. Exit 0 only if every one did.
//
// --verbose prints every in-doubt operation and how it was settled.
//
// Output: one line per cycle, then
//   crash-test: <cycles> cycles, <n> acknowledged writes, <n> lost, <n> mismatched
// Exit status: 0 when nothing was lost or mismatched (with --expect-loss:
// 0 only when losses were detected); 1 otherwise; 2 usage or setup errors.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common.h"
#include "model.h"
#include "server.h"
#include "verify.h"

namespace crash {
namespace {

namespace fs = std::filesystem;

struct Options {
  std::string server = "build/release/ordis-server";
  int port = 0;  // 0: a free port
  std::string dir;
  int cycles = 20;
  int clients = 8;
  uint64_t seed = 0;
  int min_ms = 100;
  int max_ms = 1000;
  int bgsave_percent = 20;
  int rewrite_percent = 20;
  int rotation_percent = 20;
  int ctl_lead_ms = 50;
  bool orders = true;
  int64_t preload = 20000;
  bool check_times = true;
  bool crash_images = true;
  int max_fail_copies = 3;
  bool stop_on_failure = false;
  bool expect_loss = false;
  bool tamper = false;
  bool verbose = false;
  bool keep_dir = false;
  bool no_kill = false;
  int ready_timeout_ms = 60000;
  std::vector<std::string> server_args;
};

[[noreturn]] void Usage(const char* why) {
  fprintf(stderr, "crash-test: %s\n", why);
  fprintf(stderr,
          "usage: crash-test [--server PATH] [--port P] [--dir D] [--cycles N] [--clients N]\n"
          "                  [--seed S] [--min-ms A] [--max-ms B] [--bgsave-percent X]\n"
          "                  [--rewrite-percent Y] [--rotation-percent Z] [--ctl-lead-ms L]\n"
          "                  [--no-orders] [--preload N] [--no-check-times] [--no-crash-images]\n"
          "                  [--max-fail-copies N] [--stop-on-failure] [--expect-loss]\n"
          "                  [--keep-dir] [--ready-timeout-ms T] [--no-kill] [--tamper]\n"
          "                  [--verbose] [-- server args...]\n");
  exit(2);
}

Options Parse(int argc, char** argv) {
  Options o;
  o.seed = static_cast<uint64_t>(WallMs());
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage((a + " needs a value").c_str());
      return argv[++i];
    };
    auto number = [&]() -> int64_t {
      std::string v = value();
      char* end = nullptr;
      long long n = strtoll(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n < 0) Usage((a + ": not a number: " + v).c_str());
      return n;
    };
    if (a == "--") {
      o.server_args.assign(argv + i + 1, argv + argc);
      break;
    } else if (a == "--server") {
      o.server = value();
    } else if (a == "--port") {
      o.port = static_cast<int>(number());
    } else if (a == "--dir") {
      o.dir = value();
    } else if (a == "--cycles") {
      o.cycles = static_cast<int>(number());
    } else if (a == "--clients") {
      o.clients = static_cast<int>(number());
    } else if (a == "--seed") {
      o.seed = static_cast<uint64_t>(number());
    } else if (a == "--min-ms") {
      o.min_ms = static_cast<int>(number());
    } else if (a == "--max-ms") {
      o.max_ms = static_cast<int>(number());
    } else if (a == "--bgsave-percent") {
      o.bgsave_percent = static_cast<int>(number());
    } else if (a == "--rewrite-percent") {
      o.rewrite_percent = static_cast<int>(number());
    } else if (a == "--rotation-percent") {
      o.rotation_percent = static_cast<int>(number());
    } else if (a == "--ctl-lead-ms") {
      o.ctl_lead_ms = static_cast<int>(number());
    } else if (a == "--no-orders") {
      o.orders = false;
    } else if (a == "--preload") {
      o.preload = number();
    } else if (a == "--no-check-times") {
      o.check_times = false;
    } else if (a == "--no-crash-images") {
      o.crash_images = false;
    } else if (a == "--max-fail-copies") {
      o.max_fail_copies = static_cast<int>(number());
    } else if (a == "--stop-on-failure") {
      o.stop_on_failure = true;
    } else if (a == "--tamper") {
      o.tamper = true;
    } else if (a == "--verbose") {
      o.verbose = true;
    } else if (a == "--expect-loss") {
      o.expect_loss = true;
    } else if (a == "--no-kill") {
      o.no_kill = true;
    } else if (a == "--keep-dir") {
      o.keep_dir = true;
    } else if (a == "--ready-timeout-ms") {
      o.ready_timeout_ms = static_cast<int>(number());
    } else if (a == "-h" || a == "--help") {
      Usage("help");
    } else {
      Usage(("unknown option " + a).c_str());
    }
  }
  if (o.min_ms > o.max_ms) Usage("--min-ms is above --max-ms");
  if (o.clients < 1 || o.clients > 1000) Usage("--clients must be 1..1000");
  if (o.bgsave_percent + o.rewrite_percent + o.rotation_percent > 100)
    Usage("bgsave + rewrite + rotation percent above 100");
  return o;
}

// INFO persistence's wal_segment (the WAL segment being written).
std::string WalSegment(Conn& c, bool* has) {
  Reply r = c.Command({"INFO", "persistence"});
  *has = false;
  if (!r || r->type != REDIS_REPLY_STRING) return "";
  return InfoField(std::string_view(r->str, r->len), "wal_segment", has);
}

// A port nothing listens on now (the kernel's choice).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  if (fd >= 0) close(fd);
  return port;
}

// The server's pid for the signal handler: a tester stopped by ^C must not
// leave a server behind.
std::atomic<pid_t> g_server_pid{-1};
void OnSignal(int sig) {
  pid_t p = g_server_pid.load();
  if (p > 0) kill(-p, SIGKILL);
  signal(sig, SIG_DFL);
  raise(sig);
}

struct ClientRun {
  int64_t acked = 0;
  std::string error;
};

// One client's run: one command at a time until the connection breaks
// (or, with --no-kill, until *abandon: then it sends one more command half
// of the time and hangs up without reading the reply, leaving it in doubt).
void RunClient(ClientModel* m, int port, uint64_t seed, const std::atomic<bool>* abandon,
               ClientRun* out) {
  Rng rng(seed);
  Conn c;
  if (!c.Connect(port, 10000)) {
    out->error = "connect: " + c.error();
    return;
  }
  for (;;) {
    Operation op = m->Next(rng);
    if (abandon->load()) {
      if (rng.Percent(50) && c.Send(op.argv)) m->pending = std::move(op);
      return;
    }
    Reply r = c.Command(op.argv);
    if (!r) {
      m->pending = std::move(op);
      return;
    }
    std::string err = m->Acknowledge(op, r.get());
    if (!err.empty()) {
      m->desync = "client " + std::to_string(m->index()) + ": " + err;
      return;
    }
    ++out->acked;
  }
}

std::string Preload(Conn& c, const Options& o) {
  for (int64_t base = 0; base < o.preload; base += 1000) {
    int64_t end = std::min(o.preload, base + 1000);
    for (int64_t i = base; i < end; ++i) c.Append({"SET", PreloadKey(i), PreloadValue(o.seed, i)});
    for (int64_t i = base; i < end; ++i) {
      Reply r = c.Get();
      if (!r || r->type != REDIS_REPLY_STATUS) return "preload SET: " + ReplyText(r.get());
    }
  }
  return "";
}

// FLUSHALL (+ ORDER.RESET): after a cycle with differences, both sides
// start from nothing.
std::string ResetAll(Conn& c, const Options& o, std::vector<ClientModel>& models) {
  Reply r = c.Command({"FLUSHALL"});
  if (!r || r->type == REDIS_REPLY_ERROR) return "FLUSHALL: " + ReplyText(r.get());
  if (o.orders) {
    r = c.Command({"ORDER.RESET"});
    if (!r || r->type == REDIS_REPLY_ERROR) return "ORDER.RESET: " + ReplyText(r.get());
  }
  for (ClientModel& m : models) m.Reset();
  return Preload(c, o);
}

// Copies a file leaving holes where it holds zero blocks: a WAL
// preallocates zero-filled segments, and the image is only read back.
bool CopyFileSparse(const fs::path& from, const fs::path& to) {
  int in = open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return false;
  int out = open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) {
    close(in);
    return false;
  }
  static thread_local std::vector<char> buf(1 << 20);
  off_t size = 0;
  bool ok = true;
  for (;;) {
    ssize_t n = read(in, buf.data(), buf.size());
    if (n < 0) ok = false;
    if (n <= 0) break;
    bool zero = std::all_of(buf.begin(), buf.begin() + n, [](char c) { return c == 0; });
    if (!zero && pwrite(out, buf.data(), static_cast<size_t>(n), size) != n) ok = false;
    size += n;
  }
  if (ftruncate(out, size) != 0) ok = false;
  close(in);
  close(out);
  return ok;
}

void CopyDir(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::remove_all(to, ec);
  fs::create_directories(to, ec);
  for (const auto& e : fs::recursive_directory_iterator(from, ec)) {
    fs::path dest = fs::path(to) / fs::relative(e.path(), from, ec);
    if (e.is_directory(ec)) {
      fs::create_directories(dest, ec);
    } else if (e.is_regular_file(ec) && !CopyFileSparse(e.path(), dest)) {
      fprintf(stderr, "crash-test: copying %s: %s\n", e.path().c_str(), strerror(errno));
    }
  }
  if (ec)
    fprintf(stderr, "crash-test: copying %s to %s: %s\n", from.c_str(), to.c_str(),
            ec.message().c_str());
}

// One write behind the clients' backs (--tamper); returns what it did.
std::string Tamper(Conn& c, std::vector<ClientModel>& models, int kind, Rng& rng) {
  // Only clients with nothing in doubt: an in-doubt operation may already
  // have changed what the model still shows.
  std::vector<ClientModel*> settled;
  for (ClientModel& x : models)
    if (!x.pending) settled.push_back(&x);
  if (settled.empty()) {
    settled.push_back(&models[0]);
    kind = 2;  // a key of no client: DBSIZE tells
  }
  ClientModel& m = *settled[rng.Below(settled.size())];
  const ModelOrder* live = nullptr;
  for (ClientModel* x : settled)
    for (const ModelOrder& o : x->orders())
      if (o.cur.live() && !live) live = &o;
  std::vector<std::string> argv;
  if (kind >= 3 && !m.options().orders) kind %= 3;
  if ((kind == 3 || kind == 4) && !live) kind = 5;
  switch (kind) {
    case 0:
      argv = {"SET", m.keys()[rng.Below(m.keys().size())].name, "tampered"};
      break;
    case 1: {
      argv = {"DEL", PreloadKey(0)};
      for (const KeyModel& k : m.keys())
        if (k.cur) argv = {"DEL", k.name};
      break;
    }
    case 2:
      argv = {"SET", "ct:tamper", "x"};
      break;
    case 3:
      argv = {"ORDER.FILL", std::to_string(live->cur.id), "0.00000001", "1"};
      break;
    case 4:
      argv = {"ORDER.CANCEL", std::to_string(live->cur.id)};
      break;
    default:
      argv = {"ORDER.PLACE", std::to_string(m.users()[0]), m.symbols()[0], "BUY", "100", "1"};
      break;
  }
  Reply r = c.Command(argv);
  std::string text;
  for (const std::string& a : argv) text += (text.empty() ? "" : " ") + a;
  return text + " -> " + ReplyText(r.get());
}

constexpr uint64_t kMaxImageBytes = 256ULL << 20;

uint64_t DirBytes(const std::string& dir) {
  uint64_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file(ec)) n += e.file_size(ec);
  return n;
}

int Main(int argc, char** argv) {
  Options o = Parse(argc, argv);
  setvbuf(stdout, nullptr, _IOLBF, 0);
  bool auto_dir = o.dir.empty();
  if (auto_dir) {
    char tmpl[] = "/tmp/crash-test.XXXXXX";
    if (!mkdtemp(tmpl)) Usage("cannot create a temporary directory");
    o.dir = tmpl;
  } else {
    std::error_code ec;
    fs::create_directories(o.dir, ec);
    if (!fs::is_empty(o.dir, ec)) Usage("--dir must be new or empty (each run starts fresh)");
  }
  o.dir = fs::absolute(o.dir).string();
  if (o.port == 0) o.port = FreePort();
  if (o.port == 0) Usage("no free port");
  if (access(o.server.c_str(), X_OK) != 0) Usage(("cannot execute " + o.server).c_str());

  std::vector<std::string> argv_server = {
      o.server,       "--port", std::to_string(o.port), "--bind", "127.0.0.1", "--dir", o.dir,
      "--appendonly", "yes",    "--appendfsync",        "always"};
  argv_server.insert(argv_server.end(), o.server_args.begin(), o.server_args.end());
  std::string cmdline;
  for (const std::string& a : argv_server) cmdline += (cmdline.empty() ? "" : " ") + a;
  printf(
      "crash-test: seed %llu, %d cycles of %d-%d ms, %d clients%s, preload %lld keys, "
      "bgsave %d%%, rewrite %d%%, rotation %d%%\n",
      static_cast<unsigned long long>(o.seed), o.cycles, o.min_ms, o.max_ms, o.clients,
      o.orders ? "" : " (no orders)", static_cast<long long>(o.preload), o.bgsave_percent,
      o.rewrite_percent, o.rotation_percent);
  printf("crash-test: server: %s\n", cmdline.c_str());
  printf("crash-test: dir %s (server log: %s/crash-test-server.log)\n", o.dir.c_str(),
         o.dir.c_str());

  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  signal(SIGPIPE, SIG_IGN);
  ServerProcess srv(argv_server, o.dir + "/crash-test-server.log", o.port);
  auto start = [&](const std::string& marker, int64_t* ms) {
    std::string err = srv.Start(marker);
    g_server_pid = srv.pid();
    if (err.empty()) err = srv.WaitReady(o.ready_timeout_ms, ms);
    return err;
  };
  int64_t ready_ms = 0;
  std::string err = start("first start", &ready_ms);
  if (!err.empty()) {
    fprintf(stderr, "crash-test: %s\n", err.c_str());
    return 2;
  }
  Conn ctl;
  if (!ctl.Connect(o.port, 30000)) {
    fprintf(stderr, "crash-test: connect: %s\n", ctl.error().c_str());
    return 2;
  }
  if (o.orders) {
    Reply r = ctl.Command({"ORDER.SYMBOL", "LIST"});
    if (!r || r->type == REDIS_REPLY_ERROR) {
      fprintf(stderr, "crash-test: the server does not answer ORDER.* (%s); use --no-orders\n",
              ReplyText(r.get()).c_str());
      return 2;
    }
  }
  err = Preload(ctl, o);
  if (!err.empty()) {
    fprintf(stderr, "crash-test: %s\n", err.c_str());
    return 2;
  }

  ModelOptions mo;
  mo.orders = o.orders;
  std::vector<ClientModel> models;
  for (int i = 0; i < o.clients; ++i) models.emplace_back(i, mo);
  Rng rng(o.seed);
  // The preloaded keys are acknowledged writes too (verified every cycle).
  int64_t total_acked = o.preload, total_lost = 0, total_mismatched = 0;
  int failed_cycles = 0, fail_copies = 0, cycles_run = 0;
  int64_t in_doubt = 0, in_doubt_applied = 0;
  std::map<std::string, int> ctl_kills, ctl_during;  // action -> kills, kills while in progress
  std::set<std::string> ctl_errors_seen;
  uint64_t max_id = 0;
  int rotation_misses = 0;  // consecutive rotation-aimed kills that saw no switch
  int undetected = 0;       // --tamper: cycles whose tampering verification missed
  const std::string image = o.dir + ".crash-image";
  bool image_warned = false;

  for (int cycle = 1; cycle <= o.cycles; ++cycle) {
    cycles_run = cycle;
    std::vector<ClientRun> runs(models.size());
    std::vector<std::thread> threads;
    std::atomic<bool> abandon{false};
    bool have_image = false;
    for (size_t i = 0; i < models.size(); ++i)
      threads.emplace_back(RunClient, &models[i], o.port,
                           o.seed * 7919 + static_cast<uint64_t>(cycle) * 1000003 + i, &abandon,
                           &runs[i]);
    int run_ms = static_cast<int>(rng.Range(o.min_ms, o.max_ms));
    int r = static_cast<int>(rng.Below(100));
    std::string action;
    if (r < o.bgsave_percent) {
      action = "BGSAVE";
    } else if (r < o.bgsave_percent + o.rewrite_percent) {
      action = "BGREWRITEAOF";
    } else if (r < o.bgsave_percent + o.rewrite_percent + o.rotation_percent) {
      action = "rotation";
    }
    bool command = action == "BGSAVE" || action == "BGREWRITEAOF";
    int64_t t0 = NowMs();
    std::string during;
    if (command) {
      SleepMs(t0 + run_ms - rng.Range(0, o.ctl_lead_ms) - NowMs());
      Reply cr = ctl.Command({action});
      if (!cr || cr->type == REDIS_REPLY_ERROR) {
        std::string text = ReplyText(cr.get());
        if (ctl_errors_seen.insert(text).second)
          printf("crash-test: %s answered %s\n", action.c_str(), text.c_str());
      }
    }
    SleepMs(t0 + run_ms - NowMs());
    if (action == "rotation") {
      // Kill as soon as INFO shows the WAL on a new segment (ordis:
      // wal_segment), i.e. while the switch is fresh.
      ++ctl_kills[action];
      bool has = false;
      std::string seg0 = WalSegment(ctl, &has);
      during = has ? "no switch within 3 s" : "?";
      for (int64_t end = NowMs() + 3000; has && NowMs() < end;) {
        std::string seg = WalSegment(ctl, &has);
        if (has && seg != seg0) {
          during = "segment " + seg0 + " -> " + seg;
          ++ctl_during[action];
          break;
        }
      }
      // Segments that fill this slowly make the wait a waste of time.
      rotation_misses = during == "no switch within 3 s" ? rotation_misses + 1 : 0;
      if (rotation_misses == 2 || !has) {
        printf("crash-test: %s: no more kills aimed at segment switches%s\n",
               has ? "the WAL switched segments less often than every 3 s"
                   : "INFO persistence has no wal_segment",
               has ? " (for them: -- --wal-segment-size 1mb)" : "");
        o.rotation_percent = 0;
      }
    } else if (command) {
      ++ctl_kills[action];
      Reply info = ctl.Command({"INFO", "persistence"});
      bool has = false;
      std::string field = action == "BGSAVE" ? "rdb_bgsave_in_progress" : "aof_rewrite_in_progress";
      std::string v = info && info->type == REDIS_REPLY_STRING
                          ? InfoField(std::string_view(info->str, info->len), field, &has)
                          : "";
      during = !has ? "?" : v == "1" ? "in progress" : "done";
      if (v == "1") ++ctl_during[action];
    }
    if (o.no_kill) {
      abandon = true;
    } else {
      srv.Kill();
      g_server_pid = -1;
    }
    int64_t cycle_acked = 0;
    std::vector<std::string> client_errors;
    for (size_t i = 0; i < threads.size(); ++i) {
      threads[i].join();
      cycle_acked += runs[i].acked;
      if (!runs[i].error.empty()) client_errors.push_back(runs[i].error);
    }
    total_acked += cycle_acked;
    if (o.no_kill) {
      ready_ms = 0;
      SleepMs(50);  // the abandoned commands reach the server
    } else {
      // The crash image: the directory exactly as the kill left it (kept
      // when the cycle fails). Skipped once the directory grows large.
      if (o.crash_images) {
        uint64_t bytes = DirBytes(o.dir);
        if (bytes < kMaxImageBytes) {
          CopyDir(o.dir, image);
          have_image = true;
        } else {
          std::error_code ec;
          fs::remove_all(image, ec);
          if (!image_warned)
            printf("crash-test: the directory holds %llu MB: no more crash images\n",
                   static_cast<unsigned long long>(bytes >> 20));
          image_warned = true;
        }
      }
      err = start("cycle " + std::to_string(cycle) + " restart after kill -9", &ready_ms);
      if (!err.empty()) {
        printf("cycle %d: RESTART FAILED: %s\n", cycle, err.c_str());
        ++total_mismatched;
        ++failed_cycles;
        if (have_image) {
          CopyDir(image, o.dir + ".fail-cycle" + std::to_string(cycle) + "/crash-image");
          printf("crash-test: kept the crash image in %s.fail-cycle%d/crash-image\n", o.dir.c_str(),
                 cycle);
        }
        o.keep_dir = true;
        break;
      }
      ctl = Conn();
      if (!ctl.Connect(o.port, 30000)) {
        printf("cycle %d: cannot connect after restart: %s\n", cycle, ctl.error().c_str());
        return 2;
      }
    }
    std::string tampered;
    if (o.tamper) tampered = Tamper(ctl, models, cycle % 6, rng);
    VerifyOptions vo;
    vo.orders = o.orders;
    vo.check_times = o.check_times;
    vo.max_id_before = max_id;
    vo.preload = o.preload;
    vo.seed = o.seed;
    int64_t v0 = NowMs();
    VerifyResult res = Verify(ctl, models, vo);
    int64_t verify_ms = NowMs() - v0;
    for (const ClientModel& m : models) {
      if (!m.desync.empty()) {
        res.Mismatch("reply", m.desync);
      }
    }
    for (const std::string& e : client_errors) {
      res.Mismatch("client", e);
    }
    max_id = std::max(max_id, res.max_id);
    in_doubt += res.in_doubt;
    in_doubt_applied += res.in_doubt_applied;
    total_lost += res.lost;
    total_mismatched += res.mismatched;
    bool failed = res.lost + res.mismatched > 0;
    printf(
        "cycle %d/%d: %d ms, %lld acked, %d in doubt (%d applied)%s%s%s, restart %lld ms, "
        "verify %lld ms, lost %lld, mismatched %lld%s\n",
        cycle, o.cycles, run_ms, static_cast<long long>(cycle_acked), res.in_doubt,
        res.in_doubt_applied,
        action.empty() ? ""
        : o.no_kill    ? ", end after "
                       : ", kill after ",
        action.empty() ? "" : action.c_str(), action.empty() ? "" : (" (" + during + ")").c_str(),
        static_cast<long long>(ready_ms), static_cast<long long>(verify_ms),
        static_cast<long long>(res.lost), static_cast<long long>(res.mismatched),
        failed ? "  FAIL" : "");
    if (o.verbose)
      for (const std::string& d : res.doubts) printf("    in doubt: %s\n", d.c_str());
    if (o.tamper) {
      printf("    tampered: %s: %s\n", tampered.c_str(), failed ? "detected" : "NOT DETECTED");
      if (!failed) ++undetected;
    }
    if (!failed) continue;
    ++failed_cycles;
    printf("    differences: %s\n", res.Summary().c_str());
    size_t shown = 0;
    for (const std::string& m : res.messages) {
      if (++shown > 12) {
        printf("    ... (%zu more)\n", res.messages.size() - 12);
        break;
      }
      printf("    %s\n", m.c_str());
    }
    if (fail_copies < o.max_fail_copies && !o.no_kill && !o.tamper) {
      ++fail_copies;
      std::string keep = o.dir + ".fail-cycle" + std::to_string(cycle);
      if (have_image) CopyDir(image, keep + "/crash-image");
      CopyDir(o.dir, keep + "/after-restart");
      printf("    kept %sthe recovered directory (server log inside) in %s\n",
             have_image ? "the crash image and " : "", keep.c_str());
    }
    if (o.stop_on_failure) break;
    err = ResetAll(ctl, o, models);
    total_acked += o.preload;
    if (!err.empty()) {
      printf("crash-test: reset after a failed cycle: %s\n", err.c_str());
      return 2;
    }
    max_id = 0;  // ORDER.RESET restarts ids at 1
  }
  srv.Kill();
  g_server_pid = -1;

  std::string ctl_text;
  for (const auto& [action, n] : ctl_kills) {
    if (action == "rotation") {
      ctl_text += ", " + std::to_string(n) + " kills aimed at a WAL segment switch (" +
                  std::to_string(ctl_during[action]) + " right after one)";
    } else {
      ctl_text += ", " + std::to_string(n) + " kills shortly after " + action + " (" +
                  std::to_string(ctl_during[action]) + " while it ran)";
    }
  }
  printf("crash-test: %d failed cycles, %lld operations in doubt (%lld applied)%s\n", failed_cycles,
         static_cast<long long>(in_doubt), static_cast<long long>(in_doubt_applied),
         ctl_text.c_str());
  printf("crash-test: %d cycles, %lld acknowledged writes, %lld lost, %lld mismatched\n",
         cycles_run, static_cast<long long>(total_acked), static_cast<long long>(total_lost),
         static_cast<long long>(total_mismatched));
  // Success: nothing lost or mismatched; with --tamper every tampering
  // detected; with --expect-loss some loss detected.
  bool ok = o.tamper        ? undetected == 0 && cycles_run > 0
            : o.expect_loss ? total_lost > 0
                            : total_lost == 0 && total_mismatched == 0;
  if (o.tamper)
    printf("crash-test: --tamper: %d of %d tampered cycles undetected\n", undetected, cycles_run);
  if (o.expect_loss)
    printf("crash-test: --expect-loss: %s\n",
           total_lost > 0 ? "losses detected, as expected" : "NO LOSS DETECTED");
  std::error_code ec;
  fs::remove_all(image, ec);
  if (ok && auto_dir && !o.keep_dir) {
    fs::remove_all(o.dir, ec);
  } else {
    printf("crash-test: data directory kept: %s\n", o.dir.c_str());
  }
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace crash

int main(int argc, char** argv) {
  return crash::Main(argc, argv);
}
