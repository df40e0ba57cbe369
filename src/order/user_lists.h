// UserLists: each user's live orders, oldest first.
//
// Orders are kept in one intrusive doubly-linked list per (user, symbol)
// (Order::user_prev/user_next), in placement order. A user's lists are
// chained under a per-user header, so
//   - the orders of (user, symbol) are walked in O(answer);
//   - all of a user's orders are a k-way merge of the user's symbol lists by
//     creation time, O(answer x log S + S) for S symbols with live orders
//     (the table makes creation times strictly increasing, so they are a
//     total order that agrees with each list's order).
// Headers and lists live in one pool (32 bytes each) indexed by a
// SlotIndex keyed by (user, symbol); a header has symbol == kNoSymbol.
// Empty lists and headers are freed at once.
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
  uint32_t head, tail;  // list: order slots; header: first/last list of the user
  uint32_t count;       // orders in the list (header: all the user's live orders)
  uint32_t prev, next;  // list: neighbours in the user's chain of lists
  uint16_t symbol;      // kNoSymbol for a header
  uint16_t spare;
};
static_assert(sizeof(UserList) == 32);

class UserLists {
 public:
  explicit UserLists(Arena* arena) : arena_(arena), index_(Keys{&pool_}) {}
  UserLists(const UserLists&) = delete;
  UserLists& operator=(const UserLists&) = delete;

  // Links the live order at slot at the end of its (user, symbol) list.
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
  uint32_t NewEntry(uint64_t user, uint16_t symbol);
  void FreeEntry(uint32_t i);

  Arena* arena_;
  std::vector<UserList> pool_;
  std::vector<uint32_t> free_;
  SlotIndex<Keys> index_;
  size_t users_ = 0;
};

}  // namespace ordis::order
