// SlotIndex: an open-addressing hash set of 32-bit values (slot numbers)
// whose keys live elsewhere (in the order records, the completed ring, a
// pool). A cell is 4 bytes; the key is reached through the value, so the
// index costs about 4 / load-factor bytes per entry (5.3 to 10.7).
//
// Traits supplies `uint64_t Hash(uint32_t value) const`: the well-mixed hash
// of the key the value refers to. Find takes the hash of the wanted key and
// a predicate `bool(uint32_t value)` that compares the key through the
// value. Erase finds the cell by value, so it never reads keys.
//
// Growth and shrinking are incremental: when the table passes 3/4 full
// (live cells + tombstones), or falls below 1/8, a new table sized to twice
// the live count is allocated (calloc: zero pages, no fill) and every later
// Insert/Erase moves the next 64 cells of the old one (Step() lets the
// owner do more when idle). Lookups search the new table, then the old.
// Only migration reads keys (Traits::Hash), a bounded amount per call.
//
// Values must be below UINT32_MAX - 1. Insert REQUIRES the key is absent
// (callers Find first). Allocation failure aborts (as std::vector would).
// Thread safety: none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

namespace ordis::order {

template <class Traits>
class SlotIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  explicit SlotIndex(Traits traits = Traits()) : traits_(traits) {}
  ~SlotIndex() { Clear(); }
  SlotIndex(const SlotIndex&) = delete;
  SlotIndex& operator=(const SlotIndex&) = delete;

  // The value whose key matches (eq(value) is true), or kNone.
  template <class Eq>
  uint32_t Find(uint64_t hash, Eq&& eq) const {
    uint32_t v = FindIn(cur_, hash, eq);
    if (v == kNone && old_.cells) v = FindIn(old_, hash, eq);
    return v;
  }

  // REQUIRES: no value with an equal key is present; value < UINT32_MAX - 1.
  void Insert(uint64_t hash, uint32_t value) {
    if (old_.cells && (cur_.used + cur_.tombs + 1) * 4 > cur_.cap * 3) Finish();
    if (!old_.cells && (cur_.used + cur_.tombs + 1) * 4 > cur_.cap * 3) Start();
    Put(cur_, hash, value);
    ++size_;
    Step(kStepCells);
  }

  // Removes value (looked up along hash's probe chain). False if absent.
  bool Erase(uint64_t hash, uint32_t value) {
    bool found = Remove(cur_, hash, value) || (old_.cells && Remove(old_, hash, value));
    if (!found) return false;
    --size_;
    if (!old_.cells && cur_.cap > kMinCap && size_ * 8 < cur_.cap) Start();
    Step(kStepCells);
    return true;
  }

  // Moves up to `cells` cells of the old table (no-op when not migrating).
  void Step(size_t cells) {
    if (!old_.cells) return;
    for (size_t n = 0; n < cells && cursor_ < old_.cap; ++n, ++cursor_) {
      uint32_t c = old_.cells[cursor_];
      if (c == kEmpty || c == kTomb) continue;
      Put(cur_, traits_.Hash(c - 1), c - 1);
      old_.cells[cursor_] = kTomb;  // keeps later probe chains intact
      --old_.used;
    }
    if (cursor_ == old_.cap) Free(old_);
  }

  // Sizes an empty index for n values, so that inserting them never
  // migrates (bulk loading). No-op unless the index is empty.
  void Reserve(size_t n) {
    if (size_ != 0 || old_.cells) return;
    size_t cap = kMinCap;
    while (cap * 3 < (n + 1) * 4) cap *= 2;
    if (cap <= cur_.cap) return;
    Free(cur_);
    cur_.cells = static_cast<uint32_t*>(calloc(cap, sizeof(uint32_t)));
    if (!cur_.cells) throw std::bad_alloc();
    cur_.cap = cap;
  }

  // Drops every entry and all memory.
  void Clear() {
    Free(cur_);
    Free(old_);
    size_ = 0;
    cursor_ = 0;
  }

  size_t size() const { return size_; }
  bool migrating() const { return old_.cells != nullptr; }
  size_t memory_bytes() const { return (cur_.cap + old_.cap) * sizeof(uint32_t); }
  Traits& traits() { return traits_; }

 private:
  static constexpr uint32_t kEmpty = 0;  // cells hold value + 1
  static constexpr uint32_t kTomb = UINT32_MAX;
  static constexpr size_t kMinCap = 16;
  static constexpr size_t kStepCells = 64;

  struct Table {
    uint32_t* cells = nullptr;
    size_t cap = 0;  // a power of two, or 0
    size_t used = 0;
    size_t tombs = 0;
  };

  template <class Eq>
  static uint32_t FindIn(const Table& t, uint64_t hash, Eq& eq) {
    if (!t.cells) return kNone;
    size_t mask = t.cap - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      uint32_t c = t.cells[i];
      if (c == kEmpty) return kNone;
      if (c != kTomb && eq(c - 1)) return c - 1;
    }
  }

  static void Put(Table& t, uint64_t hash, uint32_t value) {
    size_t mask = t.cap - 1;
    size_t i = hash & mask;
    while (t.cells[i] != kEmpty && t.cells[i] != kTomb) i = (i + 1) & mask;
    if (t.cells[i] == kTomb) --t.tombs;
    t.cells[i] = value + 1;
    ++t.used;
  }

  static bool Remove(Table& t, uint64_t hash, uint32_t value) {
    if (!t.cells) return false;
    size_t mask = t.cap - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      uint32_t c = t.cells[i];
      if (c == kEmpty) return false;
      if (c == value + 1) {
        t.cells[i] = kTomb;
        --t.used;
        ++t.tombs;
        return true;
      }
    }
  }

  // Starts moving everything into a table with room for twice the entries.
  void Start() {
    size_t cap = kMinCap;
    while (cap < (size_ + 1) * 2) cap *= 2;
    old_ = cur_;
    cur_ = Table{};
    cur_.cells = static_cast<uint32_t*>(calloc(cap, sizeof(uint32_t)));
    if (!cur_.cells) throw std::bad_alloc();
    cur_.cap = cap;
    cursor_ = 0;
    if (!old_.cells) return;
    if (old_.used == 0) Free(old_);
  }

  void Finish() { Step(SIZE_MAX); }

  static void Free(Table& t) {
    free(t.cells);
    t = Table{};
  }

  Traits traits_;
  Table cur_;
  Table old_;  // being drained into cur_ (cells before cursor_ are moved)
  size_t cursor_ = 0;
  size_t size_ = 0;
};

}  // namespace ordis::order
