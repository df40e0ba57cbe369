// PriceLevels: the price levels of every book side, best first, each a FIFO
// of the live orders at that price with their aggregate remaining quantity
// and count.
//
// A book side is identified by `book` = symbol * 2 + side. Its levels form
// a treap ordered best first (bids: highest price first; asks: lowest);
// node priorities are a hash of the level's pool index, so they cost no
// memory. Levels live in a chunked pool (40 bytes each, indices stable,
// freed levels reused), so the memory is about 40 bytes per non-empty
// level. The best level of each side is cached: Best() is O(1); Find,
// Append and Remove are O(log L) expected; ForEach visits n levels in
// O(log L + n).
//
// Orders are linked into their level through Order::level_prev/level_next
// (slots); the caller keeps Level::qty in step with the orders' remaining
// quantity (AddQty). Invariants: a level is in the tree iff count > 0;
// qty == sum of its orders' remaining.
//
// Thread safety: none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "order/arena.h"
#include "order/order.h"

namespace ordis::order {

struct Level {
  int64_t price;
  int64_t qty;     // aggregate remaining quantity of its orders
  uint32_t count;  // number of orders
  uint32_t head, tail;
  uint32_t left, right;  // treap children (level indices), kNoLevel when none
  uint32_t spare;
};
static_assert(sizeof(Level) == 40);

inline constexpr uint32_t kNoLevel = UINT32_MAX;

class PriceLevels {
 public:
  explicit PriceLevels(Arena* arena) : arena_(arena) {}
  PriceLevels(const PriceLevels&) = delete;
  PriceLevels& operator=(const PriceLevels&) = delete;

  static uint32_t Book(uint16_t symbol, Side side) {
    return static_cast<uint32_t>(symbol) * 2 + static_cast<uint32_t>(side);
  }

  // The level at price in book, or kNoLevel.
  uint32_t Find(uint32_t book, int64_t price) const;
  // Puts the order at `slot` at the back of the level of its price (created
  // if needed) and adds its remaining quantity. Returns the level.
  uint32_t Append(uint32_t book, uint32_t slot);
  // Takes the order out of `level` (its level), subtracting its remaining
  // quantity. Deletes the level when it becomes empty (then the returned
  // copy has count 0). Returns the level's state after.
  Level Remove(uint32_t book, uint32_t level, uint32_t slot);
  // Adjusts a level's aggregate quantity (fills, reductions in place).
  void AddQty(uint32_t level, int64_t delta) { At(level).qty += delta; }

  const Level& level(uint32_t idx) const { return At(idx); }
  uint32_t Best(uint32_t book) const { return book < books_.size() ? books_[book].best : kNoLevel; }
  uint32_t LevelCount(uint32_t book) const { return book < books_.size() ? books_[book].count : 0; }

  // Calls fn(const Level&) for the first n levels of book, best first.
  template <class Fn>
  void ForEach(uint32_t book, size_t n, Fn&& fn) const {
    if (book >= books_.size() || n == 0) return;
    std::vector<uint32_t>& stack = scratch_;
    stack.clear();
    uint32_t t = books_[book].root;
    while (n > 0 && (t != kNoLevel || !stack.empty())) {
      while (t != kNoLevel) {
        stack.push_back(t);
        t = At(t).left;
      }
      t = stack.back();
      stack.pop_back();
      fn(At(t));
      --n;
      t = At(t).right;
    }
  }

  size_t level_count() const { return live_levels_; }
  size_t memory_bytes() const;
  void Clear();

 private:
  static constexpr size_t kChunkShift = 10;  // 1024 levels (40 KiB) per chunk
  static constexpr size_t kChunkSize = size_t{1} << kChunkShift;

  struct BookSide {
    uint32_t root = kNoLevel;
    uint32_t best = kNoLevel;
    uint32_t count = 0;
  };

  Level& At(uint32_t i) const { return chunks_[i >> kChunkShift][i & (kChunkSize - 1)]; }
  Order& O(uint32_t slot) const { return *static_cast<Order*>(arena_->Get(slot)); }
  static bool IsBuy(uint32_t book) { return (book & 1) == 0; }
  // True if price a comes before price b in this book (better).
  static bool Before(uint32_t book, int64_t a, int64_t b) { return IsBuy(book) ? a > b : a < b; }
  static uint32_t Prio(uint32_t i) { return static_cast<uint32_t>(Mix64(i)); }

  uint32_t NewLevel(int64_t price);
  void FreeLevel(uint32_t i);
  uint32_t InsertNode(uint32_t book, uint32_t t, uint32_t n);
  void Split(uint32_t book, uint32_t t, int64_t price, uint32_t* l, uint32_t* r);
  uint32_t Merge(uint32_t l, uint32_t r);
  uint32_t EraseNode(uint32_t book, uint32_t t, int64_t price);
  uint32_t Leftmost(uint32_t t) const;

  Arena* arena_;
  std::vector<std::unique_ptr<Level[]>> chunks_;
  std::vector<uint32_t> free_;
  uint32_t next_ = 0;  // levels [0, next_) handed out at least once
  size_t live_levels_ = 0;
  std::vector<BookSide> books_;
  mutable std::vector<uint32_t> scratch_;
};

}  // namespace ordis::order
