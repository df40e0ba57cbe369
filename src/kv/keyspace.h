// Keyspace: the numbered databases (SELECT 0..N-1) and the context they
// share (clock, stats), plus the periodic maintenance: active expiry and
// incremental rehash.
//
// Thread safety: none; owned by the loop thread.
#pragma once

#include <memory>
#include <vector>

#include "kv/db.h"

namespace ordis {

class Keyspace {
 public:
  explicit Keyspace(int databases);

  int db_count() const { return static_cast<int>(dbs_.size()); }
  Db& db(int i) { return *dbs_[static_cast<size_t>(i)]; }
  KeyspaceContext& ctx() { return ctx_; }

  // Sets the command clock (ms since epoch) and the LRU clock (seconds).
  void SetTime(int64_t now_ms) {
    ctx_.now_ms = now_ms;
    ctx_.lru_clock = static_cast<uint32_t>(now_ms / 1000);
  }

  // Active expiry: samples keys with a TTL across dbs for at most
  // budget_us microseconds. Returns keys expired.
  size_t ActiveExpireCycle(int64_t budget_us);
  // Incremental rehash for at most budget_us microseconds.
  void RehashCycle(int64_t budget_us);

  size_t TotalKeys() const;
  size_t FlushAll();
  void SwapDbs(int a, int b) {
    dbs_[static_cast<size_t>(a)]->SwapContents(*dbs_[static_cast<size_t>(b)]);
  }

 private:
  KeyspaceContext ctx_;
  std::vector<std::unique_ptr<Db>> dbs_;
  size_t expire_db_cursor_ = 0;
};

}  // namespace ordis
