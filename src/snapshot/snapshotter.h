// Snapshotter: writes a point-in-time image of a keyspace and an order
// table while they keep changing, without fork().
//
// The constructor captures the point in time: it starts a new snapshot
// epoch in the keyspace and the table (everything that exists is "not yet
// copied", everything created from then on counts as copied), writes the
// header, the table's counters and its symbols, and installs the hooks.
// Step() then copies in slices: a SCAN-style cursor over each database's
// hash table (every key present for the whole walk is seen; the epoch
// stamp skips keys seen twice), a slot cursor over the order arena, and a
// cursor over the completed ring, oldest first.
//
// Copy-before-write: whatever is about to change before the walk reached
// it is copied first, so the image is the state at construction:
//   - keys: the caller (the dispatcher) calls BeforeKeyChange for every key
//     a write command may change, BeforeFlush / BeforeSwap before
//     FLUSHDB / FLUSHALL / SWAPDB (which finish the databases concerned
//     synchronously); lazy and active expiry reach BeforeKeyChange through
//     KeyspaceContext::expire_hook, which the Snapshotter chains in front
//     of the hook installed before it (and restores when destroyed);
//   - orders: the table calls the SnapshotObserver methods (installed
//     here) before every change to a live order, its level neighbour's
//     link, a ring eviction, and ORDER.RESET (which finishes the table
//     synchronously).
// Extra memory is the copies of what changes during the walk plus the
// output's backlog.
//
// Abandoning a snapshot (destroying it before Step returned true) needs no
// cleanup: stale epoch stamps only matter after 63 abandoned snapshots in
// a row, and Restamp() clears them (the owner calls it then).
//
// Thread safety: the loop thread; Output may hand work to other threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kv/keyspace.h"
#include "order/order_table.h"
#include "snapshot/encoder.h"
#include "snapshot/file.h"
#include "snapshot/format.h"

namespace ordis::snapshot {

// Where a snapshot's bytes go.
class Output {
 public:
  virtual ~Output() = default;
  virtual void Begin(const Header& h) = 0;
  // A sealed block from RecordEncoder::TakeBlock holding `records` records.
  virtual void Block(std::string block, uint64_t records) = 0;
  // Every block was given: write the trailer, make the file durable.
  virtual void Finish() = 0;
  // Bytes handed over and not yet written (Step waits while it is high).
  virtual size_t backlog() const { return 0; }
  // A spent block buffer to reuse (may be empty).
  virtual std::string Recycle() { return std::string(); }
};

// Writes synchronously through a FileWriter (tests, tools).
class SyncOutput final : public Output {
 public:
  SyncOutput(WritableFile* file, std::string name) : writer_(file, std::move(name)) {}
  void Begin(const Header& h) override { Keep(writer_.WriteHeader(h)); }
  void Block(std::string block, uint64_t records) override {
    Keep(writer_.WriteBlock(&block, records));
  }
  void Finish() override { Keep(writer_.Finish()); }
  const Status& status() const { return status_; }
  uint64_t bytes() const { return writer_.bytes(); }

 private:
  void Keep(Status s) {
    if (status_.ok() && !s.ok()) status_ = std::move(s);
  }
  FileWriter writer_;
  Status status_;
};

struct SnapshotterStats {
  uint64_t keys = 0, orders = 0, completed = 0, symbols = 0;
  uint64_t early_copies = 0;  // items copied by copy-before-write
  int64_t max_step_us = 0;    // longest Step() call
  uint64_t steps = 0;         // Step() calls that did work
  uint64_t slow_steps = 0;    // of which longer than budget + 1 ms (preempted, a huge value)
  int64_t max_finish_us = 0;  // longest synchronous finish (FLUSHALL, ...)
};

class Snapshotter final : public order::SnapshotObserver {
 public:
  // Backlog above which Step() does nothing (the writer catches up).
  static constexpr size_t kMaxBacklog = 8u << 20;

  // orders may be null (no order table). REQUIRES: no other Snapshotter
  // alive on ks or orders; out outlives this.
  Snapshotter(Keyspace& ks, order::OrderTable* orders, Output* out, uint64_t lsn,
              int64_t created_ms);
  ~Snapshotter() override;
  Snapshotter(const Snapshotter&) = delete;
  Snapshotter& operator=(const Snapshotter&) = delete;

  // Copies for about budget_us (at least a little). True when the image is
  // complete: the end record and the last block were handed to the
  // output, and Output::Finish was called. Also true (at once) after an
  // error (error() is then not empty).
  bool Step(int64_t budget_us);
  bool done() const { return done_; }
  // "" or why the snapshot failed (a value the format cannot hold).
  const std::string& error() const { return error_; }
  const SnapshotterStats& stats() const { return stats_; }
  // Keys, orders and completed orders the image will hold at most (for
  // progress reporting).
  uint64_t total_estimate() const { return total_estimate_; }

  // ---- hooks ----
  void BeforeKeyChange(int db, std::string_view key);
  // FLUSHDB (db >= 0) or FLUSHALL (db < 0).
  void BeforeFlush(int db);
  void BeforeSwap(int a, int b);
  void BeforeOrderChange(uint32_t slot) override;
  void BeforeRingEvict() override;
  void BeforeReset() override;

  // Stamps every key and order with the current epoch, so that stamps left
  // by abandoned snapshots can never be mistaken for a future epoch.
  // REQUIRES: no Snapshotter alive.
  static void Restamp(Keyspace& ks, order::OrderTable* orders);

 private:
  static void ExpireTrampoline(void* arg, int db, std::string_view key);
  void TakeKey(int db, Db& d, Entry* e);
  // 32 SCAN steps of db; true when the db is done.
  bool ScanDb(int db);
  void FinishDb(int db);
  void FinishOrders();
  bool CopyRingEntry();  // false when the ring part is done
  void MaybeSeal();
  void Complete();

  Keyspace& ks_;
  order::OrderTable* orders_;
  Output* out_;
  RecordEncoder enc_;
  uint8_t epoch_ = 0;
  // keys
  std::vector<uint64_t> cursor_;  // per db
  std::vector<bool> db_done_;
  int next_db_ = 0;
  // orders
  uint32_t slot_ = 0, slot_end_ = 0;
  bool orders_done_ = false;
  // completed ring
  order::CompletedRing::Cursor ring_cur_;
  uint64_t ring_end_ = 0;
  // expire hook chained behind ours
  void (*prev_hook_)(void*, int, std::string_view) = nullptr;
  void* prev_hook_arg_ = nullptr;
  bool done_ = false;
  std::string error_;
  SnapshotterStats stats_;
  uint64_t total_estimate_ = 0;
};

}  // namespace ordis::snapshot
