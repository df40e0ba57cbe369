#include "order/user_lists.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace ordis::order {

uint32_t UserLists::FindList(uint64_t user, uint16_t symbol) const {
  return index_.Find(KeyHash(user, symbol), [&](uint32_t i) {
    return pool_[i].user == user && pool_[i].symbol == symbol;
  });
}

uint32_t UserLists::NewEntry(uint64_t user, uint16_t symbol) {
  uint32_t i;
  if (!free_.empty()) {
    i = free_.back();
    free_.pop_back();
  } else {
    i = static_cast<uint32_t>(pool_.size());
    pool_.emplace_back();
  }
  pool_[i] = UserList{user, kNoSlot, kNoSlot, 0, kNoSlot, kNoSlot, symbol, 0};
  index_.Insert(KeyHash(user, symbol), i);
  return i;
}

void UserLists::FreeEntry(uint32_t i) {
  bool erased = index_.Erase(KeyHash(pool_[i].user, pool_[i].symbol), i);
  assert(erased);
  (void)erased;
  free_.push_back(i);
}

void UserLists::Append(uint32_t slot) {
  Order& o = O(slot);
  uint32_t h = FindList(o.user, kNoSymbol);
  if (h == kNoSlot) {
    h = NewEntry(o.user, kNoSymbol);
    ++users_;
  }
  uint32_t li = FindList(o.user, o.symbol);
  if (li == kNoSlot) {
    li = NewEntry(o.user, o.symbol);
    // Chain the new list at the end of the user's lists.
    UserList& hdr = pool_[h];
    pool_[li].prev = hdr.tail;
    if (hdr.tail != kNoSlot) {
      pool_[hdr.tail].next = li;
    } else {
      hdr.head = li;
    }
    hdr.tail = li;
  }
  UserList& l = pool_[li];
  o.user_prev = l.tail;
  o.user_next = kNoSlot;
  if (l.tail != kNoSlot) {
    O(l.tail).user_next = slot;
  } else {
    l.head = slot;
  }
  l.tail = slot;
  ++l.count;
  ++pool_[h].count;
}

void UserLists::Remove(uint32_t slot) {
  Order& o = O(slot);
  uint32_t h = FindList(o.user, kNoSymbol);
  uint32_t li = FindList(o.user, o.symbol);
  assert(h != kNoSlot && li != kNoSlot);
  UserList& l = pool_[li];
  if (o.user_prev != kNoSlot) {
    O(o.user_prev).user_next = o.user_next;
  } else {
    l.head = o.user_next;
  }
  if (o.user_next != kNoSlot) {
    O(o.user_next).user_prev = o.user_prev;
  } else {
    l.tail = o.user_prev;
  }
  o.user_prev = o.user_next = kNoSlot;
  --l.count;
  --pool_[h].count;
  if (l.count == 0) {
    UserList& hdr = pool_[h];
    if (l.prev != kNoSlot) {
      pool_[l.prev].next = l.next;
    } else {
      hdr.head = l.next;
    }
    if (l.next != kNoSlot) {
      pool_[l.next].prev = l.prev;
    } else {
      hdr.tail = l.prev;
    }
    FreeEntry(li);
  }
  if (pool_[h].count == 0) {
    FreeEntry(h);
    --users_;
  }
}

size_t UserLists::Count(uint64_t user, uint16_t symbol) const {
  uint32_t i = FindList(user, symbol);
  return i == kNoSlot ? 0 : pool_[i].count;
}

void UserLists::Collect(uint64_t user, uint16_t symbol, size_t limit,
                        std::vector<uint32_t>* out) const {
  if (limit == 0) return;
  if (symbol != kNoSymbol) {
    uint32_t li = FindList(user, symbol);
    if (li == kNoSlot) return;
    for (uint32_t s = pool_[li].head; s != kNoSlot && limit > 0; s = O(s).user_next, --limit)
      out->push_back(s);
    return;
  }
  uint32_t h = FindList(user, kNoSymbol);
  if (h == kNoSlot) return;
  // One list: no merge needed.
  if (pool_[h].head == pool_[h].tail) return Collect(user, pool_[pool_[h].head].symbol, limit, out);
  // k-way merge by creation time (unique and increasing per table).
  using Cursor = std::pair<int64_t, uint32_t>;  // (created, slot)
  std::vector<Cursor> heap;
  for (uint32_t li = pool_[h].head; li != kNoSlot; li = pool_[li].next) {
    uint32_t s = pool_[li].head;
    heap.emplace_back(O(s).created_us, s);
  }
  auto later = [](const Cursor& a, const Cursor& b) { return a.first > b.first; };
  std::make_heap(heap.begin(), heap.end(), later);
  while (!heap.empty() && limit > 0) {
    std::pop_heap(heap.begin(), heap.end(), later);
    uint32_t s = heap.back().second;
    heap.pop_back();
    out->push_back(s);
    --limit;
    uint32_t next = O(s).user_next;
    if (next != kNoSlot) {
      heap.emplace_back(O(next).created_us, next);
      std::push_heap(heap.begin(), heap.end(), later);
    }
  }
}

void UserLists::Clear() {
  index_.Clear();
  pool_.clear();
  pool_.shrink_to_fit();
  free_.clear();
  free_.shrink_to_fit();
  users_ = 0;
}

}  // namespace ordis::order
