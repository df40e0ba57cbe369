#include "order/price_levels.h"

#include <cassert>

namespace ordis::order {

uint32_t PriceLevels::Find(uint32_t book, int64_t price) const {
  if (book >= books_.size()) return kNoLevel;
  uint32_t t = books_[book].root;
  while (t != kNoLevel) {
    const Level& l = At(t);
    if (l.price == price) return t;
    t = Before(book, price, l.price) ? l.left : l.right;
  }
  return kNoLevel;
}

uint32_t PriceLevels::Append(uint32_t book, uint32_t slot) {
  Order& o = O(slot);
  if (book >= books_.size()) books_.resize(book + 1);
  BookSide& bs = books_[book];
  uint32_t li = Find(book, o.price);
  if (li == kNoLevel) {
    li = NewLevel(o.price);
    bs.root = InsertNode(book, bs.root, li);
    ++bs.count;
    if (bs.best == kNoLevel || Before(book, o.price, At(bs.best).price)) bs.best = li;
  }
  Level& l = At(li);
  o.level_prev = l.tail;
  o.level_next = kNoSlot;
  if (l.tail != kNoSlot) {
    O(l.tail).level_next = slot;
  } else {
    l.head = slot;
  }
  l.tail = slot;
  ++l.count;
  l.qty += o.remaining;
  return li;
}

Level PriceLevels::Remove(uint32_t book, uint32_t li, uint32_t slot) {
  Order& o = O(slot);
  Level& l = At(li);
  assert(l.count > 0 && l.price == o.price);
  if (o.level_prev != kNoSlot) {
    O(o.level_prev).level_next = o.level_next;
  } else {
    l.head = o.level_next;
  }
  if (o.level_next != kNoSlot) {
    O(o.level_next).level_prev = o.level_prev;
  } else {
    l.tail = o.level_prev;
  }
  o.level_prev = o.level_next = kNoSlot;
  --l.count;
  l.qty -= o.remaining;
  Level after = l;
  if (l.count == 0) {
    assert(l.qty == 0);
    BookSide& bs = books_[book];
    bs.root = EraseNode(book, bs.root, l.price);
    --bs.count;
    if (bs.best == li) bs.best = Leftmost(bs.root);
    FreeLevel(li);
  }
  return after;
}

uint32_t PriceLevels::NewLevel(int64_t price) {
  uint32_t i;
  if (!free_.empty()) {
    i = free_.back();
    free_.pop_back();
  } else {
    i = next_++;
    if ((i >> kChunkShift) >= chunks_.size())
      chunks_.push_back(std::make_unique<Level[]>(kChunkSize));
  }
  At(i) = Level{price, 0, 0, kNoSlot, kNoSlot, kNoLevel, kNoLevel, 0};
  ++live_levels_;
  return i;
}

void PriceLevels::FreeLevel(uint32_t i) {
  free_.push_back(i);
  --live_levels_;
}

// Inserts node n into the subtree t; returns the subtree's new root.
uint32_t PriceLevels::InsertNode(uint32_t book, uint32_t t, uint32_t n) {
  if (t == kNoLevel) return n;
  if (Prio(n) > Prio(t)) {
    Split(book, t, At(n).price, &At(n).left, &At(n).right);
    return n;
  }
  Level& tl = At(t);
  if (Before(book, At(n).price, tl.price)) {
    tl.left = InsertNode(book, tl.left, n);
  } else {
    tl.right = InsertNode(book, tl.right, n);
  }
  return t;
}

// Splits t into the levels before `price` (*l) and the rest (*r).
void PriceLevels::Split(uint32_t book, uint32_t t, int64_t price, uint32_t* l, uint32_t* r) {
  if (t == kNoLevel) {
    *l = *r = kNoLevel;
    return;
  }
  Level& tl = At(t);
  if (Before(book, tl.price, price)) {
    Split(book, tl.right, price, &tl.right, r);
    *l = t;
  } else {
    Split(book, tl.left, price, l, &tl.left);
    *r = t;
  }
}

// Joins two subtrees; every level of l comes before every level of r.
uint32_t PriceLevels::Merge(uint32_t l, uint32_t r) {
  if (l == kNoLevel) return r;
  if (r == kNoLevel) return l;
  if (Prio(l) > Prio(r)) {
    At(l).right = Merge(At(l).right, r);
    return l;
  }
  At(r).left = Merge(l, At(r).left);
  return r;
}

uint32_t PriceLevels::EraseNode(uint32_t book, uint32_t t, int64_t price) {
  assert(t != kNoLevel);
  Level& tl = At(t);
  if (tl.price == price) return Merge(tl.left, tl.right);
  if (Before(book, price, tl.price)) {
    tl.left = EraseNode(book, tl.left, price);
  } else {
    tl.right = EraseNode(book, tl.right, price);
  }
  return t;
}

uint32_t PriceLevels::Leftmost(uint32_t t) const {
  if (t == kNoLevel) return kNoLevel;
  while (At(t).left != kNoLevel) t = At(t).left;
  return t;
}

size_t PriceLevels::memory_bytes() const {
  return chunks_.size() * kChunkSize * sizeof(Level) + free_.capacity() * sizeof(uint32_t) +
         books_.capacity() * sizeof(BookSide) + chunks_.capacity() * sizeof(void*);
}

void PriceLevels::Clear() {
  chunks_.clear();
  chunks_.shrink_to_fit();
  free_.clear();
  free_.shrink_to_fit();
  books_.clear();
  books_.shrink_to_fit();
  next_ = 0;
  live_levels_ = 0;
}

}  // namespace ordis::order
