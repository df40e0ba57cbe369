// Persistence: the server's side of durability. It turns the effects of
// write commands into WAL entries (wal/), runs group commit from the loop,
// decides which replies must wait for which LSN, refuses writes while the
// disk fails, and recovers the dataset at startup (snapshot + WAL replay).
//
// Logging contract (what makes replay deterministic):
//   - a write command that changed data (ctx.dirty > 0) is logged as it was
//     called, in its db, with the command time as a "#T" annotation, unless
//     its handler logged a rewrite (Server::LogRewrite: SPOP -> SREM,
//     ORDER.PLACE gains its assigned ID, a served BLPOP -> LPOP ...);
//   - effects outside a command's arguments are logged as their own
//     entries when they happen: lazy/active key expiry as DEL, GTD order
//     expiry as ORDER.EXPIRED <id> (replay-only verb);
//   - replay runs with key and order expiry off and the logged times, so
//     every command sees the state and clock it saw the first time.
//
// Reply release (appendfsync always): a command's reply depends on the
// last LSN it appended, or, for a read, on the pending LSNs of the keys
// (or order users/symbols/ids) it reads; reads without key arguments
// depend on everything appended. The network layer holds each reply until
// release_lsn() reaches its dependency. Replies that depend on nothing
// pending leave at once.
//
// Thread safety: loop thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cmd/command.h"
#include "net/loading_responder.h"
#include "order/order_table.h"

namespace ordis {

class Server;
namespace wal {
class Writer;
class Storage;
class FileStorage;
}  // namespace wal

class Persistence : public order::OrderListener {
 public:
  explicit Persistence(Server& server);
  ~Persistence() override;
  Persistence(const Persistence&) = delete;
  Persistence& operator=(const Persistence&) = delete;

  // Startup: replays the WAL (when appendonly is on) after the snapshot's
  // LSN and opens the log for appending. Returns "" or the reason startup
  // must stop (corruption names the file and offset).
  std::string Recover();
  // Tests: log into storage (not owned) instead of files.
  void OpenForTest(wal::Storage* storage, uint64_t segment_size);
  // Tests / tools: replays one segment's bytes into the server (after
  // Recover's checks). Returns "" or an error.
  std::string ReplaySegmentBytes(std::string_view data, uint64_t after_lsn);

  bool enabled() const { return writer_ != nullptr; }
  // Startup progress (INFO loading_* while the LoadingResponder answers).
  LoadingProgress& progress() { return progress_; }
  bool replaying() const { return replaying_; }

  // ---- effects ----
  // After a write command changed data: logs it (or rewrites).
  void LogCommand(ArgList args, int db, std::vector<std::vector<std::string>>* rewrites);
  // An effect outside any command's arguments (expiry, served blocked
  // client): logged as its own entry.
  void LogEffect(int db, std::span<const std::string_view> args, bool precise_time);
  // A blocked client was served from key (it popped or moved data): logs
  // the non-blocking form on that key (BLPOP a b 0 served from b: LPOP b),
  // so the replay pops from the same key.
  void LogServedBlocked(const CommandSpec* spec, ArgList args, int db, std::string_view key);
  // Hook for KeyspaceContext::expire_hook.
  static void OnKeyExpired(void* self, int db, std::string_view key);
  // OrderListener: records which users/symbols/orders changed, logs
  // expiries, then forwards to the next listener (the event publisher).
  void OnOrderEvent(const order::OrderEvent& e) override;
  void set_next_listener(order::OrderListener* l) { next_ = l; }

  // ---- reply release ----
  uint64_t last_lsn() const;
  // Replies that depend on LSNs up to this may be sent.
  uint64_t release_lsn() const;
  // The LSN a command's reply depends on (0: none). lsn_before is
  // last_lsn() before it ran. Also stamps what it wrote as pending.
  uint64_t CommandDone(const CommandSpec* spec, ArgList args, int db, uint64_t lsn_before);
  // Effects logged outside a command (cron expiry): stamp what they
  // touched as pending, so reads of it wait for the log.
  void EffectsDone();
  // "" while writes are accepted; else the MISCONF error to reply.
  const std::string& write_error() const { return write_error_; }

  // ---- loop ----
  int notify_fd() const;
  // The storage signalled: collect the job. True if release_lsn advanced.
  bool OnIoEvent();
  // End of a loop pass: group commit.
  void EndOfPass();
  void Cron();
  // Starts a new segment (snapshot start, BGREWRITEAOF).
  void Rotate();
  // A durable snapshot covers every entry <= lsn.
  void SnapshotSaved(uint64_t lsn);

  // BGREWRITEAOF: a snapshot started (or scheduled) to compact the log.
  bool rewrite_in_progress() const { return rewrite_in_progress_; }
  void set_rewrite_in_progress(bool on) { rewrite_in_progress_ = on; }
  // Log bytes written since the last snapshot (auto-snapshot-wal-size).
  uint64_t bytes_since_snapshot() const;

  // INFO persistence: the aof_* fields and ours (wal_*).
  void AppendInfo(std::string* out) const;
  // Appends/replays seen at startup, for the log and INFO.
  uint64_t loaded_entries() const { return loaded_entries_; }

 private:
  struct Generation {
    uint64_t max_lsn = 0;
    std::unordered_map<uint64_t, uint64_t> tokens;  // token -> lsn
  };
  static uint64_t KeyToken(int db, std::string_view key);
  static uint64_t OrderToken(char kind, uint64_t v);
  static uint64_t SymbolToken(std::string_view symbol);
  void Stamp(uint64_t token, uint64_t lsn);
  uint64_t PendingOf(uint64_t token) const;
  void Prune();
  void UpdateWriteError();
  std::string ReplayItems(std::string_view payload, uint64_t first_lsn, uint64_t after_lsn);
  uint64_t ReadDependency(const CommandSpec* spec, ArgList args, int db) const;

  Server& server_;
  order::OrderListener* next_ = nullptr;
  std::unique_ptr<wal::FileStorage> files_;
  wal::Storage* storage_ = nullptr;
  std::unique_ptr<wal::Writer> writer_;
  bool replaying_ = false;
  int64_t replay_time_us_ = 0;
  uint64_t loaded_entries_ = 0;
  LoadingProgress progress_;

  // Tokens written by the running command (orders), stamped when it ends.
  std::vector<uint64_t> cmd_tokens_;
  // Pending tokens per batch generation (the open batch is the back).
  std::deque<Generation> gens_;
  uint64_t barrier_lsn_ = 0;  // keyless writes: every read waits for this
  uint64_t orders_lsn_ = 0;   // last order write: order reads without a token
  std::string write_error_;
  bool rewrite_in_progress_ = false;
  uint64_t rewrites_ = 0;
  uint64_t bytes_at_snapshot_ = 0;
  uint64_t replayed_bytes_ = 0;  // log after the snapshot, replayed at startup
};

}  // namespace ordis
