// HashTable<Node>: a chained hash table of intrusive nodes keyed by a
// string, with incremental rehashing (Redis's dict idea: two bucket arrays,
// each operation moves a few buckets) and a rehash-safe SCAN cursor.
//
// Node must have `Node* next` and `std::string_view key() const`.
// The table does not own nodes: callers allocate and free them.
//
// Guarantees of Scan(): every node present for the whole iteration is
// returned at least once, even across resizes (reverse-binary cursor).
//
// Thread safety: none.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <random>
#include <string_view>
#include <vector>

namespace ordis {

uint64_t HashKey(std::string_view key);

template <typename Node>
class HashTable {
 public:
  HashTable() = default;
  ~HashTable() = default;
  HashTable(const HashTable&) = delete;
  HashTable& operator=(const HashTable&) = delete;
  HashTable(HashTable&& o) noexcept { Swap(o); }
  HashTable& operator=(HashTable&& o) noexcept {
    Swap(o);
    return *this;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool rehashing() const { return rehash_idx_ >= 0; }
  size_t bucket_count() const { return t_[0].size() + t_[1].size(); }

  Node* Find(std::string_view key) {
    if (size_ == 0) return nullptr;
    RehashStep(1);
    uint64_t h = HashKey(key);
    for (int t = 0; t <= 1; ++t) {
      if (t_[t].empty()) continue;
      size_t idx = h & (t_[t].size() - 1);
      if (t == 0 && rehashing() && static_cast<int64_t>(idx) < rehash_idx_) continue;
      for (Node* n = t_[t][idx]; n; n = n->next)
        if (n->key() == key) return n;
      if (!rehashing()) break;
    }
    return nullptr;
  }

  // REQUIRES: no node with the same key is present.
  void Insert(Node* node) {
    ExpandIfNeeded();
    RehashStep(1);
    auto& tab = rehashing() ? t_[1] : t_[0];
    size_t idx = HashKey(node->key()) & (tab.size() - 1);
    node->next = tab[idx];
    tab[idx] = node;
    ++size_;
  }

  // Unlinks and returns the node with this key, or nullptr.
  Node* Remove(std::string_view key) {
    if (size_ == 0) return nullptr;
    RehashStep(1);
    uint64_t h = HashKey(key);
    for (int t = 0; t <= 1; ++t) {
      if (t_[t].empty()) continue;
      size_t idx = h & (t_[t].size() - 1);
      Node** pp = &t_[t][idx];
      for (; *pp; pp = &(*pp)->next) {
        if ((*pp)->key() == key) {
          Node* n = *pp;
          *pp = n->next;
          n->next = nullptr;
          --size_;
          if (size_ == 0 && bucket_count() > 4) {
            ReleaseBuckets();  // an emptied table gives its memory back at once
          } else {
            ShrinkIfNeeded();
          }
          return n;
        }
      }
      if (!rehashing()) break;
    }
    return nullptr;
  }

  // Replaces the node that has the same key as `node` (which must exist)
  // keeping its chain position; returns the old node.
  Node* Replace(Node* node) {
    uint64_t h = HashKey(node->key());
    for (int t = 0; t <= 1; ++t) {
      if (t_[t].empty()) continue;
      size_t idx = h & (t_[t].size() - 1);
      for (Node** pp = &t_[t][idx]; *pp; pp = &(*pp)->next) {
        if ((*pp)->key() == node->key()) {
          Node* old = *pp;
          node->next = old->next;
          *pp = node;
          old->next = nullptr;
          return old;
        }
      }
    }
    return nullptr;
  }

  // Calls fn(node) for every node; fn must not modify the table.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (int t = 0; t <= 1; ++t)
      for (Node* head : t_[t])
        for (Node* n = head; n;) {
          Node* next = n->next;
          fn(n);
          n = next;
        }
  }

  // Removes all nodes, calling fn(node) on each (to free it).
  template <typename Fn>
  void Clear(Fn&& fn) {
    for (int t = 0; t <= 1; ++t) {
      for (Node*& head : t_[t]) {
        for (Node* n = head; n;) {
          Node* next = n->next;
          fn(n);
          n = next;
        }
        head = nullptr;
      }
    }
    ReleaseBuckets();
  }

  // One SCAN step: calls fn(node) for the nodes of the buckets addressed by
  // cursor and returns the next cursor (0 when done). fn must not modify
  // the table.
  template <typename Fn>
  uint64_t Scan(uint64_t cursor, Fn&& fn) const {
    if (size_ == 0) return 0;
    if (!rehashing()) {
      const auto& t0 = t_[0];
      uint64_t mask = t0.size() - 1;
      for (Node* n = t0[cursor & mask]; n; n = n->next) fn(n);
      return NextCursor(cursor, mask);
    }
    // Visit the small table's bucket, then every bucket of the large table
    // that expands from it.
    const auto* small = &t_[0];
    const auto* large = &t_[1];
    if (small->size() > large->size()) std::swap(small, large);
    uint64_t m0 = small->size() - 1, m1 = large->size() - 1;
    for (Node* n = (*small)[cursor & m0]; n; n = n->next) fn(n);
    do {
      for (Node* n = (*large)[cursor & m1]; n; n = n->next) fn(n);
      cursor = NextCursor(cursor, m1);
    } while (cursor & (m0 ^ m1));
    return cursor;
  }

  // Up to `steps` Scan() steps from cursor, with the same guarantees and
  // result, faster for long walks (snapshots): while the table is not
  // rehashing, the buckets and nodes a few steps ahead are prefetched.
  template <typename Fn>
  uint64_t ScanSteps(uint64_t cursor, size_t steps, Fn&& fn) const {
    if (size_ == 0) return 0;
    if (rehashing()) {
      do {
        cursor = Scan(cursor, fn);
      } while (cursor != 0 && --steps > 0);
      return cursor;
    }
    const auto& t0 = t_[0];
    const uint64_t mask = t0.size() - 1;
    // Two cursors run ahead: bucket slots 16 steps ahead, their first
    // nodes 8 steps ahead (SCAN's reverse-binary order defeats the
    // hardware prefetcher).
    uint64_t bucket_ahead = cursor, node_ahead = cursor;
    bool bucket_end = false, node_end = false;
    auto advance = [&](uint64_t* c, bool* end) {
      *c = NextCursor(*c, mask);
      if (*c == 0) *end = true;
    };
    for (int i = 0; i < 16 && !bucket_end; ++i) {
      __builtin_prefetch(&t0[bucket_ahead & mask]);
      advance(&bucket_ahead, &bucket_end);
    }
    auto prefetch_node = [](const Node* n) {
      // Two lines: keys and small values follow a node's header.
      __builtin_prefetch(n);
      __builtin_prefetch(reinterpret_cast<const char*>(n) + 64);
    };
    for (int i = 0; i < 8 && !node_end; ++i) {
      if (Node* n = t0[node_ahead & mask]) prefetch_node(n);
      advance(&node_ahead, &node_end);
    }
    while (steps-- > 0) {
      for (Node* n = t0[cursor & mask]; n; n = n->next) fn(n);
      cursor = NextCursor(cursor, mask);
      if (cursor == 0) return 0;
      if (!bucket_end) {
        __builtin_prefetch(&t0[bucket_ahead & mask]);
        advance(&bucket_ahead, &bucket_end);
      }
      if (!node_end) {
        if (Node* n = t0[node_ahead & mask]) prefetch_node(n);
        advance(&node_ahead, &node_end);
      }
    }
    return cursor;
  }

  // A uniformly-chosen bucket's random node; nullptr when empty.
  Node* Random(std::mt19937_64& rng) {
    if (size_ == 0) return nullptr;
    RehashStep(1);
    Node* head = nullptr;
    for (int tries = 0; !head; ++tries) {
      if (rehashing()) {
        size_t total = t_[0].size() + t_[1].size() - static_cast<size_t>(rehash_idx_);
        size_t i = static_cast<size_t>(rehash_idx_) + rng() % total;
        head = i >= t_[0].size() ? t_[1][i - t_[0].size()] : t_[0][i];
      } else {
        head = t_[0][rng() & (t_[0].size() - 1)];
      }
      if (tries > 1000 && !head) return FirstNode();  // very sparse table
    }
    size_t len = 0;
    for (Node* n = head; n; n = n->next) ++len;
    size_t pick = rng() % len;
    while (pick--) head = head->next;
    return head;
  }

  // Starts shrinking a sparse table (under 10% full), as Redis's cron does:
  // Remove() alone cannot finish shrinking a table nobody writes to any
  // more, since each shrink must complete before the next can start.
  // Returns true if a rehash is (now) in progress.
  bool ShrinkIfSparse() {
    ShrinkIfNeeded();
    return rehashing();
  }

  // Moves up to n buckets from the old array; returns true if more remain.
  bool RehashStep(int n) {
    if (!rehashing()) return false;
    int empty_visits = n * 10;
    while (n-- > 0 && rehash_idx_ < static_cast<int64_t>(t_[0].size())) {
      while (!t_[0][static_cast<size_t>(rehash_idx_)]) {
        ++rehash_idx_;
        if (rehash_idx_ == static_cast<int64_t>(t_[0].size())) break;
        if (--empty_visits == 0) return true;
      }
      if (rehash_idx_ == static_cast<int64_t>(t_[0].size())) break;
      Node* node = t_[0][static_cast<size_t>(rehash_idx_)];
      while (node) {
        Node* next = node->next;
        size_t idx = HashKey(node->key()) & (t_[1].size() - 1);
        node->next = t_[1][idx];
        t_[1][idx] = node;
        node = next;
      }
      t_[0][static_cast<size_t>(rehash_idx_)] = nullptr;
      ++rehash_idx_;
    }
    if (rehash_idx_ >= static_cast<int64_t>(t_[0].size())) {
      t_[0].swap(t_[1]);
      t_[1].clear();
      t_[1].shrink_to_fit();
      rehash_idx_ = -1;
      return false;
    }
    return true;
  }

  // Bytes used by bucket arrays (nodes are the caller's).
  size_t overhead_bytes() const { return (t_[0].capacity() + t_[1].capacity()) * sizeof(Node*); }

 private:
  static uint64_t NextCursor(uint64_t v, uint64_t mask) {
    // Increment the reversed cursor: set unmasked bits, reverse, add one,
    // reverse back (so buckets are visited in an order stable under resize).
    v |= ~mask;
    v = Rev(v);
    ++v;
    return Rev(v);
  }
  static uint64_t Rev(uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
    v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
    v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((v & 0x0F0F0F0F0F0F0F0FULL) << 4);
    return __builtin_bswap64(v);
  }

  Node* FirstNode() const {
    for (int t = 0; t <= 1; ++t)
      for (Node* head : t_[t])
        if (head) return head;
    return nullptr;
  }

  void ExpandIfNeeded() {
    if (rehashing()) return;
    if (t_[0].empty()) {
      t_[0].assign(4, nullptr);
      return;
    }
    if (size_ >= t_[0].size()) StartRehash(t_[0].size() * 2);
  }

  void ShrinkIfNeeded() {
    if (rehashing() || t_[0].size() <= 4) return;
    // Shrink when under 10% full, like Redis's HASHTABLE_MIN_FILL.
    if (size_ * 10 < t_[0].size()) {
      size_t want = 4;
      while (want < size_) want *= 2;
      StartRehash(want);
    }
  }

  void ReleaseBuckets() {
    t_[0].clear();
    t_[0].shrink_to_fit();
    t_[1].clear();
    t_[1].shrink_to_fit();
    rehash_idx_ = -1;
    size_ = 0;
  }

  void StartRehash(size_t new_size) {
    t_[1].assign(new_size, nullptr);
    rehash_idx_ = 0;
  }

  void Swap(HashTable& o) {
    std::swap(t_[0], o.t_[0]);
    std::swap(t_[1], o.t_[1]);
    std::swap(rehash_idx_, o.rehash_idx_);
    std::swap(size_, o.size_);
  }

  std::vector<Node*> t_[2];
  int64_t rehash_idx_ = -1;  // next bucket of t_[0] to move, or -1
  size_t size_ = 0;
};

}  // namespace ordis
