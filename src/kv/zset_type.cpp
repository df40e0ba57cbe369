#include "kv/zset_type.h"

#include <algorithm>
#include <cmath>

namespace ordis {

// --- ZSetObject ------------------------------------------------------------

ZSetObject::ZSetObject(bool skiplist) {
  if (skiplist) big_ = new Big;
}

ZSetObject::ZSetObject(const ZSetObject& o) : Object(), items_(o.items_) {
  if (!o.big_) return;
  big_ = new Big;
  // Copy from the highest score down so every insert lands at the head.
  for (ZSkipNode* x = o.big_->list.last(); x; x = x->backward) AddToBig(x->score, x->member());
}

ZSetObject::~ZSetObject() {
  if (!big_) return;
  big_->index.Clear([](ZSkipNode*) {});  // nodes belong to the list
  delete big_;
}

size_t ZSetObject::MemoryUsage() const {
  size_t n = sizeof(*this) + items_.capacity() * sizeof(Item);
  for (const Item& it : items_) n += StringHeapBytes(it.member);
  if (big_) n += sizeof(Big) + big_->list.MemoryUsage() + big_->index.overhead_bytes();
  return n;
}

std::vector<ZSetObject::Item>::iterator ZSetObject::FindItem(std::string_view member) {
  return std::find_if(items_.begin(), items_.end(),
                      [&](const Item& it) { return it.member == member; });
}

void ZSetObject::InsertItem(double score, std::string_view member) {
  auto pos = std::partition_point(items_.begin(), items_.end(), [&](const Item& it) {
    return ZLess(it.score, it.member, score, member);
  });
  items_.insert(pos, Item{score, std::string(member)});
}

void ZSetObject::AddToBig(double score, std::string_view member) {
  big_->index.Insert(big_->list.Insert(score, member));
}

void ZSetObject::ConvertToSkiplist() {
  if (big_) return;
  big_ = new Big;
  for (auto it = items_.rbegin(); it != items_.rend(); ++it) AddToBig(it->score, it->member);
  items_.clear();
  items_.shrink_to_fit();
}

std::optional<double> ZSetObject::Score(std::string_view member) {
  if (big_) {
    ZSkipNode* n = big_->index.Find(member);
    if (!n) return std::nullopt;
    return n->score;
  }
  auto it = FindItem(member);
  if (it == items_.end()) return std::nullopt;
  return it->score;
}

unsigned ZSetObject::Add(double score, std::string_view member, const ZAddFlags& flags,
                         int64_t max_entries, int64_t max_value, double* new_score) {
  // The existing score, if any, from either encoding.
  std::vector<Item>::iterator item = items_.end();
  ZSkipNode* node = nullptr;
  bool exists;
  if (big_) {
    node = big_->index.Find(member);
    exists = node != nullptr;
  } else {
    item = FindItem(member);
    exists = item != items_.end();
  }

  if (exists) {
    if (flags.nx) return kZNop;
    double cur = node ? node->score : item->score;
    if (flags.incr) {
      score += cur;
      if (std::isnan(score)) return kZNan;
    }
    if ((flags.lt && score >= cur) || (flags.gt && score <= cur)) return kZNop;
    *new_score = score;
    if (score == cur) return 0;
    if (node) {
      big_->list.UpdateScore(node, score);
    } else {
      std::string m = std::move(item->member);
      items_.erase(item);
      InsertItem(score, m);
    }
    return kZUpdated;
  }

  if (flags.xx) return kZNop;
  if (!big_ && (static_cast<int64_t>(items_.size()) + 1 > max_entries ||
                static_cast<int64_t>(member.size()) > max_value)) {
    ConvertToSkiplist();
  }
  if (big_) {
    AddToBig(score, member);
  } else {
    InsertItem(score, member);
  }
  *new_score = score;
  return kZAdded;
}

bool ZSetObject::Remove(std::string_view member) {
  if (big_) {
    ZSkipNode* n = big_->index.Remove(member);
    if (!n) return false;
    big_->list.Erase(n);
    return true;
  }
  auto it = FindItem(member);
  if (it == items_.end()) return false;
  items_.erase(it);
  return true;
}

std::optional<uint64_t> ZSetObject::Rank(std::string_view member, bool reverse) {
  uint64_t rank;  // 0-based from the lowest
  if (big_) {
    ZSkipNode* n = big_->index.Find(member);
    if (!n) return std::nullopt;
    rank = big_->list.Rank(n) - 1;
  } else {
    auto it = FindItem(member);
    if (it == items_.end()) return std::nullopt;
    rank = static_cast<uint64_t>(it - items_.begin());
  }
  return reverse ? size() - 1 - rank : rank;
}

void ZSetObject::RangeByRank(uint64_t start, uint64_t end, bool reverse,
                             std::vector<ZRangeItem>* out) const {
  uint64_t n = end - start + 1;
  out->reserve(out->size() + n);
  if (big_) {
    const ZSkiplist& l = big_->list;
    ZSkipNode* x = reverse ? (start > 0 ? l.ByRank(l.size() - start) : l.last())
                           : (start > 0 ? l.ByRank(start + 1) : l.first());
    for (; n > 0 && x; --n, x = reverse ? x->backward : x->links[0].forward)
      out->push_back({x->member(), x->score});
    return;
  }
  for (uint64_t i = start; i <= end; ++i) {
    const Item& it = items_[reverse ? items_.size() - 1 - i : i];
    out->push_back({it.member, it.score});
  }
}

namespace {

// The walk shared by the score and lex ranges of both encodings: from the
// first element in range (reverse: the last), skip offset elements, then
// emit while in range and under the limit. Cursor is an index into the
// listpack or a node pointer.
template <typename Cursor, typename Step, typename InRange, typename Emit>
void WalkRange(Cursor c, bool valid, int64_t offset, int64_t limit, Step step, InRange in_range,
               Emit emit) {
  if (!valid || offset < 0) return;  // Redis walks off the end for a negative offset
  while (valid && offset > 0) {
    valid = step(&c);
    --offset;
  }
  while (valid && limit != 0 && in_range(c)) {
    emit(c);
    if (limit > 0) --limit;
    valid = step(&c);
  }
}

}  // namespace

void ZSetObject::RangeByScore(const ZScoreRange& r, int64_t offset, int64_t limit, bool reverse,
                              std::vector<ZRangeItem>* out) const {
  if (offset > 0 && static_cast<uint64_t>(offset) >= size()) return;
  if (big_) {
    ZSkipNode* x = reverse ? big_->list.LastInRange(r) : big_->list.FirstInRange(r);
    WalkRange(
        x, x != nullptr, offset, limit,
        [&](ZSkipNode** c) {
          *c = reverse ? (*c)->backward : (*c)->links[0].forward;
          return *c != nullptr;
        },
        [&](ZSkipNode* c) { return reverse ? r.GteMin(c->score) : r.LteMax(c->score); },
        [&](ZSkipNode* c) {
          out->push_back({c->member(), c->score});
        });
    return;
  }
  // Scores are sorted, so the ends of the range are binary searches.
  if (!r.NonEmpty() || items_.empty()) return;
  int64_t n = static_cast<int64_t>(items_.size());
  int64_t i;
  if (reverse) {
    auto it = std::partition_point(items_.begin(), items_.end(),
                                   [&](const Item& x) { return r.LteMax(x.score); });
    i = (it - items_.begin()) - 1;
    if (i < 0 || !r.GteMin(items_[static_cast<size_t>(i)].score)) return;
  } else {
    auto it = std::partition_point(items_.begin(), items_.end(),
                                   [&](const Item& x) { return !r.GteMin(x.score); });
    i = it - items_.begin();
    if (i >= n || !r.LteMax(items_[static_cast<size_t>(i)].score)) return;
  }
  WalkRange(
      i, true, offset, limit,
      [&](int64_t* c) {
        *c += reverse ? -1 : 1;
        return *c >= 0 && *c < n;
      },
      [&](int64_t c) {
        double s = items_[static_cast<size_t>(c)].score;
        return reverse ? r.GteMin(s) : r.LteMax(s);
      },
      [&](int64_t c) {
        const Item& it = items_[static_cast<size_t>(c)];
        out->push_back({it.member, it.score});
      });
}

void ZSetObject::RangeByLex(const ZLexRange& r, int64_t offset, int64_t limit, bool reverse,
                            std::vector<ZRangeItem>* out) const {
  if (big_) {
    ZSkipNode* x = reverse ? big_->list.LastInLexRange(r) : big_->list.FirstInLexRange(r);
    WalkRange(
        x, x != nullptr, offset, limit,
        [&](ZSkipNode** c) {
          *c = reverse ? (*c)->backward : (*c)->links[0].forward;
          return *c != nullptr;
        },
        [&](ZSkipNode* c) { return reverse ? r.GteMin(c->member()) : r.LteMax(c->member()); },
        [&](ZSkipNode* c) {
          out->push_back({c->member(), c->score});
        });
    return;
  }
  // Members are only ordered within equal scores, so scan linearly from the
  // end as Redis's listpack code does (same answer for mixed scores).
  if (!r.NonEmpty() || items_.empty()) return;
  if (!r.GteMin(items_.back().member) || !r.LteMax(items_.front().member)) return;
  int64_t n = static_cast<int64_t>(items_.size());
  int64_t i;
  if (reverse) {
    for (i = n - 1; i >= 0 && !r.LteMax(items_[static_cast<size_t>(i)].member); --i) {
    }
    if (i < 0 || !r.GteMin(items_[static_cast<size_t>(i)].member)) return;
  } else {
    for (i = 0; i < n && !r.GteMin(items_[static_cast<size_t>(i)].member); ++i) {
    }
    if (i >= n || !r.LteMax(items_[static_cast<size_t>(i)].member)) return;
  }
  WalkRange(
      i, true, offset, limit,
      [&](int64_t* c) {
        *c += reverse ? -1 : 1;
        return *c >= 0 && *c < n;
      },
      [&](int64_t c) {
        std::string_view m = items_[static_cast<size_t>(c)].member;
        return reverse ? r.GteMin(m) : r.LteMax(m);
      },
      [&](int64_t c) {
        const Item& it = items_[static_cast<size_t>(c)];
        out->push_back({it.member, it.score});
      });
}

// --- ZSetOps ---------------------------------------------------------------

namespace {

OpResult<ZSetObject*> FindZSet(Db& db, std::string_view key, bool write) {
  return FindObject<ZSetObject>(db, key, ValueType::kZSet, write);
}

}  // namespace

OpResult<ZSetOps::AddResult> ZSetOps::Add(std::string_view key, std::span<const double> scores,
                                          std::span<const std::string_view> members,
                                          const ZAddFlags& flags) {
  AddResult res;
  auto found = FindZSet(db_, key, true);
  ZSetObject* z;
  if (found.ok()) {
    z = *found;
  } else if (found.status() != OpStatus::kNotFound) {
    return found.status();
  } else {
    if (flags.xx) return res;
    // Like Redis, the first member decides the initial encoding.
    int64_t max_entries = limits_.zset_max_listpack_entries();
    bool big = max_entries == 0 ||
               limits_.zset_max_listpack_value() < static_cast<int64_t>(members[0].size());
    z = new ZSetObject(big);
    AddObject(db_, key, ValueType::kZSet, z);
  }
  int64_t max_entries = z->is_listpack() ? limits_.zset_max_listpack_entries() : 0;
  int64_t max_value = z->is_listpack() ? limits_.zset_max_listpack_value() : 0;
  for (size_t i = 0; i < members.size(); ++i) {
    double score = scores[i];
    unsigned out = z->Add(score, members[i], flags, max_entries, max_value, &score);
    if (out & kZNan) return OpStatus::kNanOrInf;
    if (out & kZAdded) ++res.added;
    if (out & kZUpdated) ++res.updated;
    if (!(out & kZNop)) {
      ++res.processed;
      res.score = score;
    }
  }
  return res;
}

OpResult<int64_t> ZSetOps::Remove(std::string_view key, std::span<const std::string_view> members) {
  auto found = FindZSet(db_, key, true);
  if (found.status() == OpStatus::kNotFound) return int64_t{0};
  if (!found.ok()) return found.status();
  ZSetObject* z = *found;
  int64_t removed = 0;
  for (std::string_view m : members) {
    if (z->Remove(m)) ++removed;
    if (z->size() == 0) {
      db_.Delete(key);
      break;
    }
  }
  return removed;
}

OpResult<int64_t> ZSetOps::Card(std::string_view key) {
  auto found = FindZSet(db_, key, false);
  if (found.status() == OpStatus::kNotFound) return int64_t{0};
  if (!found.ok()) return found.status();
  return static_cast<int64_t>((*found)->size());
}

OpResult<std::vector<std::optional<double>>> ZSetOps::Scores(
    std::string_view key, std::span<const std::string_view> members) {
  auto found = FindZSet(db_, key, false);
  std::vector<std::optional<double>> out(members.size());
  if (found.status() == OpStatus::kNotFound) return out;
  if (!found.ok()) return found.status();
  for (size_t i = 0; i < members.size(); ++i) out[i] = (*found)->Score(members[i]);
  return out;
}

OpResult<std::optional<int64_t>> ZSetOps::Rank(std::string_view key, std::string_view member,
                                               bool reverse) {
  auto found = FindZSet(db_, key, false);
  if (!found.ok()) return found.status();
  auto rank = (*found)->Rank(member, reverse);
  if (!rank) return std::optional<int64_t>();
  return std::optional<int64_t>(static_cast<int64_t>(*rank));
}

OpResult<int64_t> ZSetOps::Count(std::string_view key, const ZScoreRange& range) {
  auto found = FindZSet(db_, key, false);
  if (found.status() == OpStatus::kNotFound) return int64_t{0};
  if (!found.ok()) return found.status();
  std::vector<ZRangeItem> items;
  (*found)->RangeByScore(range, 0, -1, false, &items);
  return static_cast<int64_t>(items.size());
}

OpResult<std::vector<ZRangeItem>> ZSetOps::RangeByRank(std::string_view key, int64_t start,
                                                       int64_t end, bool reverse) {
  auto found = FindZSet(db_, key, false);
  std::vector<ZRangeItem> out;
  if (found.status() == OpStatus::kNotFound) return out;
  if (!found.ok()) return found.status();
  ZSetObject* z = *found;
  if (!ClampRange(static_cast<int64_t>(z->size()), &start, &end)) return out;
  z->RangeByRank(static_cast<uint64_t>(start), static_cast<uint64_t>(end), reverse, &out);
  return out;
}

OpResult<std::vector<ZRangeItem>> ZSetOps::RangeByScore(std::string_view key,
                                                        const ZScoreRange& range, int64_t offset,
                                                        int64_t limit, bool reverse) {
  auto found = FindZSet(db_, key, false);
  std::vector<ZRangeItem> out;
  if (found.status() == OpStatus::kNotFound) return out;
  if (!found.ok()) return found.status();
  (*found)->RangeByScore(range, offset, limit, reverse, &out);
  return out;
}

OpResult<std::vector<ZRangeItem>> ZSetOps::RangeByLex(std::string_view key, const ZLexRange& range,
                                                      int64_t offset, int64_t limit, bool reverse) {
  auto found = FindZSet(db_, key, false);
  std::vector<ZRangeItem> out;
  if (found.status() == OpStatus::kNotFound) return out;
  if (!found.ok()) return found.status();
  (*found)->RangeByLex(range, offset, limit, reverse, &out);
  return out;
}

bool ZSetOps::Store(std::string_view key, std::span<const ZRangeItem> items) {
  if (items.empty()) return db_.Delete(key);
  size_t maxlen = 0;
  for (const ZRangeItem& it : items) maxlen = std::max(maxlen, it.member.size());
  int64_t max_entries = limits_.zset_max_listpack_entries();
  int64_t max_value = limits_.zset_max_listpack_value();
  bool big = static_cast<int64_t>(items.size()) > max_entries ||
             static_cast<int64_t>(maxlen) > max_value;
  // Built in full before the old value (which items may point into) goes.
  auto* z = new ZSetObject(big);
  double ignored;
  const int64_t no_limit = INT64_MAX;  // the encoding is already decided
  for (const ZRangeItem& it : items)
    z->Add(it.score, it.member, ZAddFlags{}, no_limit, no_limit, &ignored);
  db_.Set(NewObjectEntry(key, ValueType::kZSet, z));
  return true;
}

}  // namespace ordis
