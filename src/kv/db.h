// Db: one logical database (SELECT n): the key table, the expire index, lazy
// expiry on access and sampling for active expiry.
//
// Ownership: the Db owns every Entry in it and frees them on Delete/Clear.
// Entry pointers returned by Find() stay valid until the key is deleted,
// overwritten by Set(), or the Db is cleared/swapped.
//
// Time: all expiry decisions use ctx->now_ms, which the dispatcher sets once
// per command so that a command sees a consistent clock. A key is expired
// when now_ms > its expire time (Redis's keyIsExpired).
//
// Access tracking: a "touching" lookup sets Entry::lru to the LRU clock and
// bumps Entry::freq, Redis's logarithmic LFU counter (decayed by the
// minutes since the last access). Both are kept whatever maxmemory-policy
// is, since they live in separate fields here (Redis shares one).
//
// Thread safety: none; the loop thread owns all Dbs.
#pragma once

#include <cstdint>
#include <random>
#include <string_view>

#include "kv/entry.h"
#include "kv/hash_table.h"

namespace ordis {

// State shared by all Dbs of a keyspace.
struct KeyspaceContext {
  int64_t now_ms = 0;      // command time
  uint32_t lru_clock = 0;  // seconds, for OBJECT IDLETIME
  // False while replaying the log at startup (Redis's server.loading):
  // keys are then never considered expired, so replay is deterministic.
  bool lazy_expire_enabled = true;
  // LFU tuning (lfu-log-factor, lfu-decay-time in minutes), Redis defaults.
  int64_t lfu_log_factor = 10;
  int64_t lfu_decay_time = 1;
  uint64_t expired_keys = 0;  // INFO stats
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  uint64_t expired_stale_perc = 0;
  uint64_t expired_time_cap_reached_count = 0;
  std::mt19937_64 rng{0x6f726469730a};
  // Called before lazy or active expiry deletes a key (the key is still
  // present): the WAL logs the deletion, a snapshot in progress copies the
  // key first. Not called for keys deleted by commands.
  void (*expire_hook)(void* arg, int db, std::string_view key) = nullptr;
  void* expire_hook_arg = nullptr;
  // The snapshot epoch (Entry::snapshot_epoch) stamped on every entry
  // added or replaced; a snapshot starting moves it on (1..kEpochMax).
  uint8_t snapshot_epoch = 0;
};

class Db {
 public:
  Db(KeyspaceContext* ctx, int index) : ctx_(ctx), index_(index) {}
  explicit Db(KeyspaceContext* ctx) : Db(ctx, 0) {}
  // The database number (SELECT n); SWAPDB swaps contents, not numbers.
  int index() const { return index_; }
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Lookup flags, as Redis's LOOKUP_*: by default a lookup touches the key
  // (LRU/LFU) and counts a keyspace hit or miss.
  static constexpr unsigned kNoTouch = 1;  // leave lru/freq alone
  static constexpr unsigned kNoStats = 2;  // leave keyspace_hits/misses alone
  // Initial LFU counter of a new key (Redis's LFU_INIT_VAL).
  static constexpr uint8_t kLfuInit = 5;

  // Returns the live entry or nullptr; an expired key is deleted first (and
  // counted in expired_keys).
  Entry* Lookup(std::string_view key, unsigned flags);
  // Read lookup: touches and counts hit/miss (GET, TOUCH).
  Entry* Find(std::string_view key) { return Lookup(key, 0); }
  // Write lookup: touches, no stats (Redis's lookupKeyWrite).
  Entry* FindWrite(std::string_view key) { return Lookup(key, kNoStats); }
  // Neither touches nor counts.
  Entry* FindQuiet(std::string_view key) { return Lookup(key, kNoTouch | kNoStats); }
  bool Exists(std::string_view key) { return FindQuiet(key) != nullptr; }
  // The entry stored under key, expired or not: no expiry, no touch, no
  // stats (snapshots copy keys about to change).
  Entry* Peek(std::string_view key) { return keys_.Find(key); }
  // Deletes the key if it is present and expired (counted in expired_keys);
  // true only then (Redis's expireIfNeeded).
  bool ExpireIfNeeded(std::string_view key);

  KeyspaceContext& context() { return *ctx_; }

  // Inserts e. REQUIRES: no live entry with e's key (call Find first).
  // A fresh entry (freq 0) gets the initial LFU counter.
  void Add(Entry* e);
  // Stores e under its key, replacing and freeing any existing entry.
  // The old TTL is kept only if keep_ttl (an expired old key counts as
  // absent); the old LFU counter is kept, as Redis's dbOverwrite does.
  void Set(Entry* e, bool keep_ttl = false);
  // Deletes the key; returns true if it existed (expired keys count as absent).
  bool Delete(std::string_view key);
  // Removes the key without freeing it; *expire_ms receives its TTL or -1.
  // Returns nullptr if absent.
  Entry* Detach(std::string_view key, int64_t* expire_ms);

  // Absolute expire time in ms, or -1 when the key has none.
  int64_t GetExpire(const Entry* e);
  void SetExpire(Entry* e, int64_t when_ms);
  // Removes the TTL; returns true if there was one.
  bool Persist(Entry* e);

  size_t size() const { return keys_.size(); }
  size_t expires_size() const { return expires_.size(); }
  int64_t avg_ttl_ms() const { return avg_ttl_ms_; }

  // Deletes everything; returns the number of keys removed.
  size_t Clear();
  // Exchanges contents with another Db (SWAPDB).
  void SwapContents(Db& other);

  template <typename Fn>
  uint64_t Scan(uint64_t cursor, Fn&& fn) const {
    return keys_.Scan(cursor, std::forward<Fn>(fn));
  }
  // Up to `steps` Scan steps at once (HashTable::ScanSteps).
  template <typename Fn>
  uint64_t ScanSteps(uint64_t cursor, size_t steps, Fn&& fn) const {
    return keys_.ScanSteps(cursor, steps, std::forward<Fn>(fn));
  }
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    keys_.ForEach(std::forward<Fn>(fn));
  }
  // A random live key, nullptr when empty (expired ones met on the way
  // are deleted, so this ends after at most size() draws).
  Entry* RandomEntry();

  // Samples up to `samples` keys with a TTL and deletes expired ones.
  // Returns {sampled, expired}.
  std::pair<size_t, size_t> ExpireSample(size_t samples);

  // One step of incremental rehash on both tables, first starting a shrink
  // of a table under 10% full; true if more to do.
  bool RehashStep(int buckets);

  bool IsExpired(const Entry* e);
  // The LFU counter decayed to now, without changing e (OBJECT FREQ).
  uint8_t LfuCounter(const Entry* e) const;
  // Marks an access: LRU clock and LFU counter.
  void Touch(Entry* e);
  // Bytes of bucket arrays and expire nodes (INFO memory overhead).
  size_t overhead_bytes() const;

 private:
  struct ExpireNode {
    ExpireNode* next;
    Entry* entry;
    int64_t when;
    std::string_view key() const { return entry->key(); }
  };

  void DeleteEntry(Entry* e);  // e is in the table; unlink and free
  // Lazy or active expiry of e: tells the expire hook, deletes, counts.
  void DeleteExpired(Entry* e);
  void DropExpire(Entry* e);

  KeyspaceContext* ctx_;
  int index_ = 0;
  HashTable<Entry> keys_;
  HashTable<ExpireNode> expires_;
  int64_t avg_ttl_ms_ = 0;
};

}  // namespace ordis
