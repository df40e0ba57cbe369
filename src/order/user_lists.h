// UserLists: each user's live orders, oldest first, all of them and per
// symbol.
//
// Every live order is in two intrusive doubly-linked lists, both in
// placement order: the user's list (Order::user_prev/user_next) and the
// (user, symbol) list (Order::usym_prev/usym_next). So "this user's open
// orders" and "this user's open orders in symbol s" are both walked in
// O(answer), and an order leaves both in O(1).
//
// List heads live in one pool (24 bytes each) indexed by a SlotIndex keyed
// by (user, symbol); the user's list is the entry with symbol == kNoSymbol.
// Empty lists are freed at once.
//
// Thread safety: none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "order/arena.h"
#include "order/order.h"
#include "order/slot_index.h"

namespace ordis::order {

struct UserList {
  uint64_t user;
  uint32_t head, tail;  // order slots, oldest first
  uint32_t count;
  uint16_t symbol;  // kNoSymbol: all of the user's orders
  uint16_t spare;
};
static_assert(sizeof(UserList) == 24);

class UserLists {
 public:
  explicit UserLists(Arena* arena) : arena_(arena), index_(Keys{&pool_}) {}
  UserLists(const UserLists&) = delete;
  UserLists& operator=(const UserLists&) = delete;

  // Links the live order at slot at the end of its user's lists.
  void Append(uint32_t slot);
  // Unlinks it (REQUIRES: linked).
  void Remove(uint32_t slot);

  // Live orders of user (in symbol, or all symbols when symbol is
  // kNoSymbol).
  size_t Count(uint64_t user, uint16_t symbol = kNoSymbol) const;
  // Appends to *out the slots of user's live orders (in symbol, or all when
  // kNoSymbol), oldest first, at most limit of them.
  void Collect(uint64_t user, uint16_t symbol, size_t limit, std::vector<uint32_t>* out) const;

  size_t user_count() const { return users_; }
  size_t memory_bytes() const {
    return pool_.capacity() * sizeof(UserList) + free_.capacity() * sizeof(uint32_t) +
           index_.memory_bytes();
  }
  void Clear();
  void Step(size_t cells) { index_.Step(cells); }

 private:
  struct Keys {
    const std::vector<UserList>* pool;
    uint64_t Hash(uint32_t i) const { return KeyHash((*pool)[i].user, (*pool)[i].symbol); }
  };
  static uint64_t KeyHash(uint64_t user, uint16_t symbol) { return Mix64(Mix64(user) ^ symbol); }
  Order& O(uint32_t slot) const { return *static_cast<Order*>(arena_->Get(slot)); }

  uint32_t FindList(uint64_t user, uint16_t symbol) const;
  uint32_t FindOrAdd(uint64_t user, uint16_t symbol);
  void FreeEntry(uint32_t i);

  Arena* arena_;
  std::vector<UserList> pool_;
  std::vector<uint32_t> free_;
  SlotIndex<Keys> index_;
  size_t users_ = 0;
};

}  // namespace ordis::order
