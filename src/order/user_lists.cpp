#include "order/user_lists.h"

#include <cassert>

namespace ordis::order {

namespace {

// The two lists share this code through pointers to their link members.
using Link = uint32_t Order::*;

Order& At(const Arena& a, uint32_t slot) {
  return *static_cast<Order*>(a.Get(slot));
}

template <Link kPrev, Link kNext>
void LinkBack(const Arena& a, UserList& l, uint32_t slot) {
  Order& o = At(a, slot);
  o.*kPrev = l.tail;
  o.*kNext = kNoSlot;
  if (l.tail != kNoSlot) {
    At(a, l.tail).*kNext = slot;
  } else {
    l.head = slot;
  }
  l.tail = slot;
  ++l.count;
}

template <Link kPrev, Link kNext>
void Unlink(const Arena& a, UserList& l, uint32_t slot) {
  Order& o = At(a, slot);
  if (o.*kPrev != kNoSlot) {
    At(a, o.*kPrev).*kNext = o.*kNext;
  } else {
    l.head = o.*kNext;
  }
  if (o.*kNext != kNoSlot) {
    At(a, o.*kNext).*kPrev = o.*kPrev;
  } else {
    l.tail = o.*kPrev;
  }
  o.*kPrev = o.*kNext = kNoSlot;
  --l.count;
}

}  // namespace

uint32_t UserLists::FindList(uint64_t user, uint16_t symbol) const {
  return index_.Find(KeyHash(user, symbol), [&](uint32_t i) {
    return pool_[i].user == user && pool_[i].symbol == symbol;
  });
}

uint32_t UserLists::FindOrAdd(uint64_t user, uint16_t symbol) {
  uint32_t i = FindList(user, symbol);
  if (i != kNoSlot) return i;
  if (!free_.empty()) {
    i = free_.back();
    free_.pop_back();
  } else {
    i = static_cast<uint32_t>(pool_.size());
    pool_.emplace_back();
  }
  pool_[i] = UserList{user, kNoSlot, kNoSlot, 0, symbol, 0};
  index_.Insert(KeyHash(user, symbol), i);
  if (symbol == kNoSymbol) ++users_;
  return i;
}

void UserLists::FreeEntry(uint32_t i) {
  bool erased = index_.Erase(KeyHash(pool_[i].user, pool_[i].symbol), i);
  assert(erased);
  (void)erased;
  if (pool_[i].symbol == kNoSymbol) --users_;
  free_.push_back(i);
}

void UserLists::Append(uint32_t slot) {
  Order& o = O(slot);
  uint32_t all = FindOrAdd(o.user, kNoSymbol);
  uint32_t sym = FindOrAdd(o.user, o.symbol);  // may grow the pool: index it afresh
  LinkBack<&Order::user_prev, &Order::user_next>(*arena_, pool_[all], slot);
  LinkBack<&Order::usym_prev, &Order::usym_next>(*arena_, pool_[sym], slot);
}

void UserLists::Remove(uint32_t slot) {
  Order& o = O(slot);
  uint32_t all = FindList(o.user, kNoSymbol);
  uint32_t sym = FindList(o.user, o.symbol);
  assert(all != kNoSlot && sym != kNoSlot);
  Unlink<&Order::user_prev, &Order::user_next>(*arena_, pool_[all], slot);
  Unlink<&Order::usym_prev, &Order::usym_next>(*arena_, pool_[sym], slot);
  if (pool_[sym].count == 0) FreeEntry(sym);
  if (pool_[all].count == 0) FreeEntry(all);
}

size_t UserLists::Count(uint64_t user, uint16_t symbol) const {
  uint32_t i = FindList(user, symbol);
  return i == kNoSlot ? 0 : pool_[i].count;
}

void UserLists::Collect(uint64_t user, uint16_t symbol, size_t limit,
                        std::vector<uint32_t>* out) const {
  uint32_t li = FindList(user, symbol);
  if (li == kNoSlot) return;
  Link next = symbol == kNoSymbol ? &Order::user_next : &Order::usym_next;
  for (uint32_t s = pool_[li].head; s != kNoSlot && limit > 0; s = O(s).*next, --limit) {
    // The caller reads the whole record next: start on its second line now.
    __builtin_prefetch(reinterpret_cast<const char*>(&O(s)) + 64);
    out->push_back(s);
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
