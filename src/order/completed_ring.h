// CompletedRing: the most recent terminal orders (FILLED, CANCELED,
// EXPIRED), kept readable by id and by (user, client order id) until cold
// storage exists. Bounded: at most `keep` entries; adding one more evicts
// the oldest.
//
// Entries are variable-length (varint fields, the CID as plain text, the
// order's recent trade ids), typically 50-90 bytes, appended to one
// circular byte region. The region reserves address space for `keep`
// worst-case entries (MAP_NORESERVE: nothing is committed until written)
// and returns the pages behind the oldest entry to the kernel as entries
// are evicted (MADV_DONTNEED), so resident memory follows what is kept.
// Two SlotIndexes (4-byte cells) find entries by id and by (user, cid);
// when a user reused a CID, the newest entry with it is the one found.
//
// Errors: Init returns "" or a message (mmap failure). Thread safety: none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "order/order.h"
#include "order/slot_index.h"

namespace ordis::order {

class CompletedRing {
 public:
  // Largest `keep` accepted (the index cells address the region in 4-byte
  // units, so it must stay below 16 GiB).
  static constexpr uint64_t kMaxKeep = 50'000'000;

  CompletedRing();
  ~CompletedRing();
  CompletedRing(const CompletedRing&) = delete;
  CompletedRing& operator=(const CompletedRing&) = delete;

  // keep = 0 keeps nothing. REQUIRES: keep <= kMaxKeep; called once.
  [[nodiscard]] std::string Init(uint64_t keep);

  // Adds a terminal order (with its recent trades; may be null).
  void Add(const OrderView& o, const RecentTrades* trades);
  // Looks an order up; fills *out (and *trades when given). False if absent.
  bool FindById(uint64_t id, OrderView* out, RecentTrades* trades = nullptr) const;
  bool FindByCid(uint64_t user, const PackedCid& cid, OrderView* out) const;
  bool Contains(uint64_t id) const;

  uint64_t keep() const { return keep_; }
  size_t size() const { return count_; }
  // Resident bytes of the region (estimate at page granularity) + indexes.
  size_t memory_bytes() const;
  // The region's part alone: mapped outside the allocator.
  size_t region_bytes() const;
  // Drops every entry (ORDER.RESET) and returns the memory.
  void Clear();
  // Iteration oldest first (snapshots). Entries are numbered in Add order
  // since the last Clear: [first_seq(), end_seq()) are present. A Cursor
  // from Oldest() stays valid while the entries from it on are not evicted
  // (the oldest is evicted first, so a reader ahead of the evictions is
  // never overtaken) and no Clear happens.
  struct Cursor {
    uint64_t seq = 0;
    size_t offset = 0;
  };
  uint64_t first_seq() const { return added_ - count_; }
  uint64_t end_seq() const { return added_; }
  Cursor Oldest() const { return Cursor{first_seq(), tail_}; }
  // Decodes the entry at *c (with its trades) and moves *c to the next.
  // REQUIRES: first_seq() <= c->seq < end_seq().
  void ReadNext(Cursor* c, OrderView* out, RecentTrades* trades) const;

  // Incremental index work (cron).
  void Step(size_t cells) {
    by_id_.Step(cells);
    by_cid_.Step(cells);
  }

 private:
  static constexpr size_t kMaxEntryBytes = 320;  // worst-case encoded entry, rounded up

  struct IdKeys {
    const CompletedRing* ring;
    uint64_t Hash(uint32_t h) const;
  };
  struct CidKeys {
    const CompletedRing* ring;
    uint64_t Hash(uint32_t h) const;
  };

  const uint8_t* At(uint32_t h) const { return base_ + (static_cast<size_t>(h) << 2); }
  uint64_t IdOf(uint32_t h) const;
  // User and packed CID of an entry; false when it has no CID.
  bool CidOf(uint32_t h, uint64_t* user, PackedCid* cid) const;
  void Decode(uint32_t h, OrderView* out, RecentTrades* trades) const;
  void EvictOldest();
  // Where evicted pages of the tail's lap begin (past newer entries once the
  // head has wrapped).
  size_t ReleaseFrom() const;
  void TailWrapped();
  void Release(size_t from, size_t to);  // MADV_DONTNEED whole pages of [from, to)

  uint8_t* base_ = nullptr;
  size_t region_bytes_ = 0;
  uint64_t keep_ = 0;
  size_t head_ = 0;            // where the next entry goes
  size_t tail_ = 0;            // the oldest entry
  size_t released_ = 0;        // pages of the tail's lap before this offset are returned
  bool head_wrapped_ = false;  // the head is a lap ahead of the tail
  size_t count_ = 0;
  uint64_t added_ = 0;  // entries added since the last Clear
  SlotIndex<IdKeys> by_id_;
  SlotIndex<CidKeys> by_cid_;
};

}  // namespace ordis::order
