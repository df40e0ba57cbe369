#include "snapshot/snapshot_manager.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>

#include "cmd/command_table.h"
#include "order/order_table.h"
#include "server/log.h"
#include "server/persistence.h"
#include "server/server.h"
#include "snapshot/background_output.h"
#include "snapshot/snapshotter.h"

namespace ordis::snapshot {
namespace {

// Redis's CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, rules wait.
constexpr int64_t kRetryDelayMs = 5000;
// After this many abandoned snapshots in a row, stamps are reset first.
constexpr int kRestampAfter = 50;

std::string ResolvePath(const std::string& file) {
  if (!file.empty() && file[0] == '/') return file;
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return file;
  return std::string(cwd) + "/" + file;
}

int64_t MonoUs() {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

bool ParseDb(std::string_view s, int* out) {
  std::string t(s);
  char* end = nullptr;
  errno = 0;
  long v = strtol(t.c_str(), &end, 10);
  if (t.empty() || *end || errno || v < 0 || v > INT_MAX) return false;
  *out = static_cast<int>(v);
  return true;
}

}  // namespace

Manager::Manager(Server& server) : server_(server) {}

Manager::~Manager() {
  snap_.reset();
  out_.reset();
}

bool Manager::wants_steps() const {
  return snap_ && !snap_->done();
}

Status Manager::Start(bool background) {
  if (snap_) return Status::Busy("Background save already in progress");
  int64_t now = Server::NowMs();
  last_try_ms_ = now;
  path_ = ResolvePath(server_.config().dbfilename);
  Status s = BackgroundOutput::Open(path_, &out_);
  if (!s.ok()) {
    last_ok_ = false;
    return s;
  }
  Keyspace& ks = server_.keyspace();
  order::OrderTable* orders = server_.orders_created() ? &server_.orders() : nullptr;
  if (aborted_in_a_row_ >= kRestampAfter) {
    Snapshotter::Restamp(ks, orders);
    aborted_in_a_row_ = 0;
  }
  lsn_ = server_.last_lsn();
  // Later entries go to a new WAL segment, so that once this snapshot is
  // saved every older segment is covered and can be retired.
  server_.persistence().Rotate();
  start_ms_ = now;
  dirty_at_start_ = server_.stats().dirty;
  background_ = background;
  ++saves_;
  last_slice_end_us_ = 0;
  snap_ = std::make_unique<Snapshotter>(ks, orders, out_.get(), lsn_, now);
  return Status::OK();
}

Status Manager::StartBackground() {
  Status s = Start(true);
  if (s.ok()) Log(kLogNotice, "Background saving started (no fork): %s", path_.c_str());
  return s;
}

Status Manager::SaveNow() {
  Status s = Start(false);
  if (!s.ok()) return s;
  while (!snap_->Step(INT64_MAX)) {
    // Step returns early only while the writer's backlog is full.
    if (out_->finished()) break;
    usleep(200);
  }
  if (!snap_->error().empty()) {
    std::string why = snap_->error();
    Abort(why);
    return Status::Invalid(why);
  }
  out_->Wait();
  Status result = out_->status();
  Complete();
  return result;
}

void Manager::Abort(const std::string& why) {
  Log(kLogWarning, "%s failed: %s", background_ ? "Background saving" : "Saving", why.c_str());
  snap_.reset();
  out_.reset();  // stops the writer, removes the temporary file
  last_ok_ = false;
  ++aborted_in_a_row_;
}

void Manager::Complete() {
  Status s = out_->status();
  if (!s.ok()) {
    Abort(s.ToString());
    return;
  }
  int64_t now = Server::NowMs();
  const SnapshotterStats& st = snap_->stats();
  last_ok_ = true;
  aborted_in_a_row_ = 0;
  last_duration_ms_ = now - start_ms_;
  if (background_) last_bgsave_time_sec_ = last_duration_ms_ / 1000;
  last_bytes_ = out_->bytes();
  last_lsn_ = lsn_;
  last_max_slice_us_ = st.max_step_us;
  last_early_copies_ = st.early_copies;
  uint64_t& dirty = server_.stats().dirty;
  dirty = dirty > dirty_at_start_ ? dirty - dirty_at_start_ : 0;
  server_.lastsave_sec = now / 1000;
  Log(kLogNotice,
      "%s: %llu keys, %llu orders, %llu completed, %llu bytes in %lld ms (%llu slices, longest "
      "%lld "
      "us, %llu over budget by 1+ ms; %llu copied before a change)",
      background_ ? "Background saving terminated with success" : "DB saved on disk",
      static_cast<unsigned long long>(st.keys), static_cast<unsigned long long>(st.orders),
      static_cast<unsigned long long>(st.completed), static_cast<unsigned long long>(last_bytes_),
      static_cast<long long>(last_duration_ms_), static_cast<unsigned long long>(st.steps),
      static_cast<long long>(st.max_step_us), static_cast<unsigned long long>(st.slow_steps),
      static_cast<unsigned long long>(st.early_copies));
  snap_.reset();
  out_.reset();
  server_.OnSnapshotSaved(lsn_);
}

void Manager::OnLoopPass(bool served) {
  if (!snap_) return;
  int64_t now = MonoUs();
  int64_t budget = kIdleSliceUs;
  if (served) {
    budget = last_slice_end_us_ ? (now - last_slice_end_us_) / 4 : kMinBusySliceUs;
    budget = std::clamp(budget, kMinBusySliceUs, kMaxBusySliceUs);
  }
  Step(budget);
  last_slice_end_us_ = MonoUs();
}

void Manager::Step(int64_t budget_us) {
  if (!snap_) return;
  if (!snap_->done()) {
    (void)snap_->Step(budget_us);
    if (!snap_->error().empty()) return Abort(snap_->error());
  }
  // The writer also finishes early on an error; Complete() reports it.
  if (out_->finished()) Complete();
}

void Manager::Cron(int64_t now_ms) {
  Step(0);
  if (snap_) return;
  bool may_retry = last_ok_ || now_ms - last_try_ms_ > kRetryDelayMs;
  if (scheduled_ && may_retry) {
    scheduled_ = false;
    Status s = StartBackground();
    if (!s.ok()) Log(kLogWarning, "Can't start a scheduled BGSAVE: %s", s.ToString().c_str());
    return;
  }
  if (!may_retry) return;
  CheckSaveRules(now_ms);
  // The WAL grew past auto-snapshot-wal-size since the last snapshot: take
  // one, so the segments it covers are retired (bounded log and restart).
  int64_t limit = server_.config().auto_snapshot_wal_size;
  if (!snap_ && limit > 0 &&
      server_.persistence().bytes_since_snapshot() >= static_cast<uint64_t>(limit)) {
    Log(kLogNotice, "WAL grew by %llu bytes since the last snapshot: starting BGSAVE",
        static_cast<unsigned long long>(server_.persistence().bytes_since_snapshot()));
    Status st = StartBackground();
    if (!st.ok()) Log(kLogWarning, "Can't start BGSAVE: %s", st.ToString().c_str());
  }
}

void Manager::CheckSaveRules(int64_t now_ms) {
  const std::string& rules = server_.config().save;
  if (rules.empty()) return;
  uint64_t dirty = server_.stats().dirty;
  int64_t since = now_ms / 1000 - server_.lastsave_sec;
  const char* p = rules.c_str();
  for (;;) {
    char* end;
    long long seconds = strtoll(p, &end, 10);
    if (end == p) return;
    p = end;
    long long changes = strtoll(p, &end, 10);
    if (end == p) return;
    p = end;
    if (dirty >= static_cast<uint64_t>(changes) && since > seconds) {
      Log(kLogNotice, "%lld changes in %lld seconds. Saving...", static_cast<long long>(dirty),
          seconds);
      Status s = StartBackground();
      if (!s.ok()) Log(kLogWarning, "Can't save in background: %s", s.ToString().c_str());
      return;
    }
  }
}

void Manager::BeforeCommand(int db, const CommandSpec& spec, ArgList args) {
  if (!snap_ || snap_->done() || (spec.flags & kCmdReadonly)) return;
  std::string_view name = spec.name;
  if (name == "flushall") {
    snap_->BeforeFlush(-1);
  } else if (name == "flushdb") {
    snap_->BeforeFlush(db);
  } else if (name == "swapdb" && args.size() == 3) {
    int a, b;
    if (ParseDb(args[1], &a) && ParseDb(args[2], &b)) snap_->BeforeSwap(a, b);
  } else if (name == "copy") {
    // COPY src dst DB n [REPLACE] replaces dst in another database.
    for (size_t i = 3; i + 1 < args.size(); ++i) {
      int other;
      if (args[i].size() == 2 && (args[i][0] | 0x20) == 'd' && (args[i][1] | 0x20) == 'b' &&
          ParseDb(args[i + 1], &other))
        snap_->BeforeKeyChange(other, args[2]);
    }
  }
  for (size_t pos : CommandTable::KeyPositions(spec, args))
    if (pos < args.size()) snap_->BeforeKeyChange(db, args[pos]);
}

void Manager::AppendInfo(std::string* out) const {
  char buf[1024];
  int64_t now = Server::NowMs();
  snprintf(buf, sizeof buf,
           "rdb_changes_since_last_save:%llu\r\n"
           "rdb_bgsave_in_progress:%d\r\n"
           "rdb_last_save_time:%lld\r\n"
           "rdb_last_bgsave_status:%s\r\n"
           "rdb_last_bgsave_time_sec:%lld\r\n"
           "rdb_current_bgsave_time_sec:%lld\r\n"
           "rdb_saves:%llu\r\n"
           "rdb_last_cow_size:0\r\n"
           "rdb_last_load_keys_expired:%llu\r\n"
           "rdb_last_load_keys_loaded:%llu\r\n"
           "snapshot_in_progress:%d\r\n"
           "snapshot_last_duration_ms:%lld\r\n"
           "snapshot_last_bytes:%llu\r\n"
           "snapshot_lsn:%llu\r\n"
           "snapshot_last_max_slice_us:%lld\r\n"
           "snapshot_last_copied_early:%llu\r\n",
           static_cast<unsigned long long>(server_.stats().dirty), snap_ && background_ ? 1 : 0,
           static_cast<long long>(server_.lastsave_sec), last_ok_ ? "ok" : "err",
           static_cast<long long>(last_bgsave_time_sec_),
           static_cast<long long>(snap_ && background_ ? (now - start_ms_) / 1000 : -1),
           static_cast<unsigned long long>(saves_),
           static_cast<unsigned long long>(last_load_.keys_expired),
           static_cast<unsigned long long>(last_load_.keys), snap_ ? 1 : 0,
           static_cast<long long>(last_duration_ms_), static_cast<unsigned long long>(last_bytes_),
           static_cast<unsigned long long>(last_lsn_), static_cast<long long>(last_max_slice_us_),
           static_cast<unsigned long long>(last_early_copies_));
  out->append(buf);
}

bool LoadAtStartup(Server& server, uint64_t* lsn) {
  *lsn = 0;
  const std::string path = ResolvePath(server.config().dbfilename);
  LoadOptions opts;
  opts.progress = [](const LoadResult& r, uint64_t done, uint64_t total) {
    Log(kLogNotice, "Loading the snapshot: %llu keys, %llu orders so far (%d%%)",
        static_cast<unsigned long long>(r.keys), static_cast<unsigned long long>(r.orders),
        total ? static_cast<int>(done * 100 / total) : 100);
  };
  LoadResult r;
  server.loading = true;
  Status s = LoadFile(path, server.keyspace(), &server.orders(), opts, &r);
  server.loading = false;
  if (s.IsNotFound()) return true;
  if (!s.ok()) {
    Log(kLogWarning, "Can't load the snapshot: %s", s.ToString().c_str());
    Log(kLogWarning,
        "Fix or move away the file named above (the server does not start on a damaged "
        "snapshot, to never drop data silently).");
    return false;
  }
  *lsn = r.header.lsn;
  server.snapshots().set_last_load(r);
  double secs = static_cast<double>(r.duration_us) / 1e6;
  double key_secs = static_cast<double>(r.keys_us) / 1e6;
  double order_secs = secs - key_secs;  // orders, the completed ring, the indexes
  Log(kLogNotice,
      "DB loaded from disk: %.3f seconds, %.3f s CPU (%llu keys in %.3f s, %llu orders at %.0f "
      "orders/s, %llu completed, %llu bytes, LSN %llu)",
      secs, static_cast<double>(r.cpu_us) / 1e6, static_cast<unsigned long long>(r.keys),
      key_secs, static_cast<unsigned long long>(r.orders),
      order_secs > 0 ? static_cast<double>(r.orders) / order_secs : 0.0,
      static_cast<unsigned long long>(r.completed), static_cast<unsigned long long>(r.bytes),
      static_cast<unsigned long long>(r.header.lsn));
  return true;
}

}  // namespace ordis::snapshot
