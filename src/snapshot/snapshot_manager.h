// snapshot::Manager: the server's snapshots. SAVE / BGSAVE / BGSAVE
// SCHEDULE, the `save <seconds> <changes>` rules, the copy-before-write
// hooks the dispatcher calls, completion (publishing the file, resetting
// the change counter, telling the server the LSN is covered) and the INFO
// persistence fields. LoadAtStartup loads the file before serving.
//
// A background snapshot runs as a Snapshotter (the walk, on the loop
// thread, in slices between loop passes: Step) and a BackgroundOutput (a
// thread that checksums and writes the blocks, then fsyncs, renames and
// fsyncs the directory). No fork(). The file is `dbfilename` in `dir`
// (resolved when the snapshot starts), written as `<file>.tmp` first.
//
// Thread safety: the loop thread (the output's thread is internal).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cmd/command.h"
#include "snapshot/loader.h"
#include "snapshot/status.h"

namespace ordis {
class Server;
}

namespace ordis::snapshot {

class Snapshotter;
class BackgroundOutput;

class Manager {
 public:
  // Slices between loop passes (OnLoopPass). After a pass that served
  // requests the snapshot gets a quarter of the time the loop spent since
  // the previous slice (so it slows the server by about 25% at most, and
  // goes faster when the load is light), within these bounds; after an
  // idle pass, kIdleSliceUs.
  static constexpr int64_t kMinBusySliceUs = 20;
  static constexpr int64_t kMaxBusySliceUs = 200;
  static constexpr int64_t kIdleSliceUs = 300;

  explicit Manager(Server& server);
  ~Manager();  // abandons a snapshot in progress (its temporary file is removed)
  Manager(const Manager&) = delete;
  Manager& operator=(const Manager&) = delete;

  // BGSAVE: starts a snapshot of every database and the order table as of
  // now (consistent with server.last_lsn()). Busy while one is running;
  // IOError when the file cannot be created.
  Status StartBackground();
  // SAVE: a snapshot written, synced and renamed before returning.
  Status SaveNow();
  // BGSAVE SCHEDULE (or BGSAVE inside a transaction): the cron starts one.
  void Schedule() { scheduled_ = true; }

  // A snapshot is in progress (from BGSAVE until the file is published).
  bool in_progress() const { return snap_ != nullptr; }
  // The walk still needs Step() calls: the loop should not sleep.
  bool wants_steps() const;

  // The network loop calls this after each pass (`served`: the pass
  // answered requests): runs a slice sized as above.
  void OnLoopPass(bool served);
  // Runs a slice of about budget_us and notices completion.
  void Step(int64_t budget_us);
  // Hz cron: completion, scheduled BGSAVE, `save` rules.
  void Cron(int64_t now_ms);

  // Copy-before-write for a command about to run on db: the keys it may
  // change, and the databases FLUSHDB / FLUSHALL / SWAPDB / COPY ... DB
  // touch. The dispatcher calls it only while in_progress().
  void BeforeCommand(int db, const CommandSpec& spec, ArgList args);

  // INFO persistence: the rdb_* fields from rdb_changes_since_last_save to
  // rdb_last_load_keys_loaded, then snapshot_* fields.
  void AppendInfo(std::string* out) const;
  // What LoadAtStartup loaded (INFO rdb_last_load_keys_*).
  void set_last_load(const LoadResult& r) { last_load_ = r; }

 private:
  Status Start(bool background);
  // The output is done (or failed): records the outcome, frees the state.
  void Complete();
  void Abort(const std::string& why);
  void CheckSaveRules(int64_t now_ms);

  Server& server_;
  std::unique_ptr<BackgroundOutput> out_;
  std::unique_ptr<Snapshotter> snap_;
  bool scheduled_ = false;
  bool background_ = false;
  int aborted_in_a_row_ = 0;
  int64_t last_slice_end_us_ = 0;  // monotonic
  // the snapshot in progress
  uint64_t lsn_ = 0;
  int64_t start_ms_ = 0;
  uint64_t dirty_at_start_ = 0;
  std::string path_;
  // outcome of the last one
  bool last_ok_ = true;
  int64_t last_try_ms_ = 0;
  int64_t last_bgsave_time_sec_ = -1;
  int64_t last_duration_ms_ = -1;
  uint64_t last_bytes_ = 0;
  uint64_t last_lsn_ = 0;
  int64_t last_max_slice_us_ = 0;
  uint64_t last_early_copies_ = 0;
  uint64_t saves_ = 0;
  LoadResult last_load_;
};

// Startup: loads `dbfilename` from the current directory (`dir`) into the
// server's keyspace and order table if the file exists. Returns false,
// after logging the reason (file and offset for corruption), when the
// server must not start. *lsn receives the snapshot's LSN (0 when there
// is no file).
bool LoadAtStartup(Server& server, uint64_t* lsn);

}  // namespace ordis::snapshot
