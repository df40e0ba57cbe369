#include "kv/zset_type.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "kv/set_type.h"
#include "util/strutil.h"

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

void ZSetObject::EraseBig(ZSkipNode* x) {
  big_->index.Remove(x->member());
  big_->list.Erase(x);
}

uint64_t ZSetObject::CountByScore(const ZScoreRange& r) const {
  if (big_) {
    ZSkipNode* first = big_->list.FirstInRange(r);
    if (!first) return 0;
    return big_->list.Rank(big_->list.LastInRange(r)) - big_->list.Rank(first) + 1;
  }
  // Scores are sorted: the range is between two binary searches.
  auto lo = std::partition_point(items_.begin(), items_.end(),
                                 [&](const Item& x) { return !r.GteMin(x.score); });
  auto hi =
      std::partition_point(lo, items_.end(), [&](const Item& x) { return r.LteMax(x.score); });
  return static_cast<uint64_t>(hi - lo);
}

uint64_t ZSetObject::CountByLex(const ZLexRange& r) const {
  if (big_) {
    ZSkipNode* first = big_->list.FirstInLexRange(r);
    if (!first) return 0;
    return big_->list.Rank(big_->list.LastInLexRange(r)) - big_->list.Rank(first) + 1;
  }
  std::vector<ZRangeItem> items;  // a listpack is small
  RangeByLex(r, 0, -1, false, &items);
  return items.size();
}

uint64_t ZSetObject::RemoveRangeByRank(uint64_t start, uint64_t end) {
  uint64_t n = end - start + 1;
  if (!big_) {
    items_.erase(items_.begin() + static_cast<int64_t>(start),
                 items_.begin() + static_cast<int64_t>(end) + 1);
    return n;
  }
  ZSkipNode* x = big_->list.ByRank(start + 1);
  for (uint64_t i = 0; i < n && x; ++i) {
    ZSkipNode* next = x->links[0].forward;
    EraseBig(x);
    x = next;
  }
  return n;
}

uint64_t ZSetObject::RemoveRangeByScore(const ZScoreRange& r) {
  uint64_t removed = 0;
  if (!big_) {
    auto lo = std::partition_point(items_.begin(), items_.end(),
                                   [&](const Item& x) { return !r.GteMin(x.score); });
    auto hi =
        std::partition_point(lo, items_.end(), [&](const Item& x) { return r.LteMax(x.score); });
    removed = static_cast<uint64_t>(hi - lo);
    items_.erase(lo, hi);
    return removed;
  }
  for (ZSkipNode* x = big_->list.FirstInRange(r); x && r.LteMax(x->score); ++removed) {
    ZSkipNode* next = x->links[0].forward;
    EraseBig(x);
    x = next;
  }
  return removed;
}

uint64_t ZSetObject::RemoveRangeByLex(const ZLexRange& r) {
  uint64_t removed = 0;
  if (!big_) {
    if (!r.NonEmpty() || items_.empty()) return 0;
    if (!r.GteMin(items_.back().member) || !r.LteMax(items_.front().member)) return 0;
    auto lo = std::find_if(items_.begin(), items_.end(),
                           [&](const Item& x) { return r.GteMin(x.member); });
    auto hi = std::find_if(lo, items_.end(), [&](const Item& x) { return !r.LteMax(x.member); });
    removed = static_cast<uint64_t>(hi - lo);
    items_.erase(lo, hi);
    return removed;
  }
  for (ZSkipNode* x = big_->list.FirstInLexRange(r); x && r.LteMax(x->member()); ++removed) {
    ZSkipNode* next = x->links[0].forward;
    EraseBig(x);
    x = next;
  }
  return removed;
}

void ZSetObject::PopEnds(bool max, uint64_t count, std::vector<ZScored>* out) {
  for (; count > 0 && size() > 0; --count) {
    if (big_) {
      ZSkipNode* x = max ? big_->list.last() : big_->list.first();
      out->push_back({std::string(x->member()), x->score});
      EraseBig(x);
    } else {
      auto it = max ? items_.end() - 1 : items_.begin();
      out->push_back({std::move(it->member), it->score});
      items_.erase(it);
    }
  }
}

ZRangeItem ZSetObject::At(uint64_t rank) const {
  if (big_) {
    ZSkipNode* x = big_->list.ByRank(rank + 1);
    return {x->member(), x->score};
  }
  return {items_[rank].member, items_[rank].score};
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
  return static_cast<int64_t>((*found)->CountByScore(range));
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

OpResult<int64_t> ZSetOps::LexCount(std::string_view key, const ZLexRange& range) {
  auto found = FindZSet(db_, key, false);
  if (found.status() == OpStatus::kNotFound) return int64_t{0};
  if (!found.ok()) return found.status();
  return static_cast<int64_t>((*found)->CountByLex(range));
}

namespace {

// Runs remove(z) on the sorted set at key and deletes the key if it
// emptied; 0 when absent.
template <typename Fn>
OpResult<int64_t> RemoveWith(Db& db, std::string_view key, Fn remove) {
  auto found = FindZSet(db, key, true);
  if (found.status() == OpStatus::kNotFound) return int64_t{0};
  if (!found.ok()) return found.status();
  auto removed = static_cast<int64_t>(remove(*found));
  if ((*found)->size() == 0) db.Delete(key);
  return removed;
}

}  // namespace

OpResult<int64_t> ZSetOps::RemoveRangeByRank(std::string_view key, int64_t start, int64_t end) {
  return RemoveWith(db_, key, [&](ZSetObject* z) -> uint64_t {
    if (!ClampRange(static_cast<int64_t>(z->size()), &start, &end)) return 0;
    return z->RemoveRangeByRank(static_cast<uint64_t>(start), static_cast<uint64_t>(end));
  });
}

OpResult<int64_t> ZSetOps::RemoveRangeByScore(std::string_view key, const ZScoreRange& range) {
  return RemoveWith(db_, key, [&](ZSetObject* z) { return z->RemoveRangeByScore(range); });
}

OpResult<int64_t> ZSetOps::RemoveRangeByLex(std::string_view key, const ZLexRange& range) {
  return RemoveWith(db_, key, [&](ZSetObject* z) { return z->RemoveRangeByLex(range); });
}

OpResult<std::vector<ZScored>> ZSetOps::Pop(std::string_view key, bool max, uint64_t count) {
  auto found = FindZSet(db_, key, true);
  if (!found.ok()) return found.status();
  std::vector<ZScored> out;
  (*found)->PopEnds(max, count, &out);
  if ((*found)->size() == 0) db_.Delete(key);
  return out;
}

OpResult<ZSetOps::MPopResult> ZSetOps::PopFirst(std::span<const std::string_view> keys, bool max,
                                                uint64_t count) {
  for (size_t i = 0; i < keys.size(); ++i) {
    auto popped = Pop(keys[i], max, count);
    if (popped.status() == OpStatus::kNotFound) continue;
    if (!popped.ok()) return popped.status();
    MPopResult res;
    res.key_index = i;
    res.items = std::move(*popped);
    return res;
  }
  return OpStatus::kNotFound;
}

OpResult<ZRangeItem> ZSetOps::RandomMember(std::string_view key) {
  auto found = FindZSet(db_, key, false);
  if (!found.ok()) return found.status();
  ZSetObject* z = *found;
  return z->At(db_.context().rng() % z->size());
}

OpResult<std::vector<ZRangeItem>> ZSetOps::RandomMembers(std::string_view key, int64_t count) {
  auto found = FindZSet(db_, key, false);
  std::vector<ZRangeItem> out;
  if (found.status() == OpStatus::kNotFound) return out;
  if (!found.ok()) return found.status();
  ZSetObject* z = *found;
  auto& rng = db_.context().rng;
  uint64_t size = z->size();
  if (count < 0) {
    // Uniform draws by rank: O(log n) each, fair whatever the encoding.
    auto n = static_cast<uint64_t>(-count);
    out.reserve(n);
    for (uint64_t i = 0; i < n; ++i) out.push_back(z->At(rng() % size));
    return out;
  }
  auto n = static_cast<uint64_t>(count);
  if (n >= size) {
    // Highest first, the order Redis's zset iterator walks.
    z->ForEach([&](std::string_view m, double s) { out.push_back({m, s}); });
    std::reverse(out.begin(), out.end());
    return out;
  }
  // Floyd's algorithm: n distinct ranks, each subset equally likely.
  std::unordered_set<uint64_t> ranks;
  ranks.reserve(n);
  for (uint64_t j = size - n; j < size; ++j) {
    uint64_t t = rng() % (j + 1);
    ranks.insert(ranks.count(t) ? j : t);
  }
  out.reserve(n);
  for (uint64_t r : ranks) out.push_back(z->At(r));
  return out;
}

OpResult<uint64_t> ZSetOps::Scan(std::string_view key, uint64_t cursor, int64_t count,
                                 std::string_view pattern, std::vector<ZScored>* out) {
  auto found = FindZSet(db_, key, false);
  if (!found.ok()) return found.status();
  bool all = pattern == "*";
  // As Redis: stop once count members were gathered (before filtering) or
  // after 10*count bucket steps, so a sparse table cannot stall the loop.
  int64_t seen = 0, steps = count * 10;
  do {
    cursor = (*found)->Scan(cursor, [&](std::string_view m, double s) {
      ++seen;
      if (all || GlobMatch(pattern, m)) out->push_back({std::string(m), s});
    });
  } while (cursor && steps-- > 0 && seen < count);
  return cursor;
}

// --- set algebra -----------------------------------------------------------

size_t ZSetOps::Input::size() const {
  return zset ? zset->size() : set ? set->size() : 0;
}

namespace {

using Input = ZSetOps::Input;

// Calls fn(member, score) for each member of an input; set members score 1.
template <typename Fn>
void ForEachIn(const Input& in, Fn&& fn) {
  if (in.zset) {
    in.zset->ForEach(fn);
  } else if (in.set) {
    in.set->ForEach([&](std::string_view m) { fn(m, 1.0); });
  }
}

bool ScoreIn(const Input& in, std::string_view member, double* score) {
  if (in.zset) {
    auto s = in.zset->Score(member);
    if (!s) return false;
    *score = *s;
    return true;
  }
  if (in.set && in.set->Contains(member)) {
    *score = 1.0;
    return true;
  }
  return false;
}

bool SameObject(const Input& a, const Input& b) {
  return (a.zset && a.zset == b.zset) || (a.set && a.set == b.set);
}

void AggregateInto(double* target, double v, ZSetOps::Aggregate agg) {
  switch (agg) {
    case ZSetOps::Aggregate::kSum:
      *target += v;
      if (std::isnan(*target)) *target = 0;  // inf + -inf
      break;
    case ZSetOps::Aggregate::kMin:
      *target = v < *target ? v : *target;
      break;
    case ZSetOps::Aggregate::kMax:
      *target = v > *target ? v : *target;
      break;
  }
}

double Weighted(double score, double weight) {
  double v = score * weight;
  return std::isnan(v) ? 0 : v;  // 0 * inf
}

void SortResult(std::vector<ZScored>* out) {
  std::sort(out->begin(), out->end(), [](const ZScored& a, const ZScored& b) {
    return ZLess(a.score, a.member, b.score, b.member);
  });
}

// Smallest first, as Redis orders the inputs of a union or intersection
// (the order of a SUM's additions follows it).
void SortBySize(std::vector<Input>* inputs) {
  std::stable_sort(inputs->begin(), inputs->end(),
                   [](const Input& a, const Input& b) { return a.size() < b.size(); });
}

// Walks the members of inputs[0] present in every other input, calling
// fn(member, aggregated score); fn returns false to stop.
template <typename Fn>
void ForEachInAll(const std::vector<Input>& inputs, ZSetOps::Aggregate agg, Fn&& fn) {
  if (inputs.empty() || inputs[0].size() == 0) return;
  bool stop = false;
  ForEachIn(inputs[0], [&](std::string_view m, double s) {
    if (stop) return;
    double score = Weighted(s, inputs[0].weight);
    for (size_t j = 1; j < inputs.size(); ++j) {
      double v;
      // A set being iterated must not be probed (a lookup may rehash it).
      if (SameObject(inputs[j], inputs[0])) {
        v = s;
      } else if (!ScoreIn(inputs[j], m, &v)) {
        return;
      }
      AggregateInto(&score, v * inputs[j].weight, agg);
    }
    stop = !fn(m, score);
  });
}

}  // namespace

OpResult<std::vector<Input>> ZSetOps::OpenInputs(std::span<const std::string_view> keys) {
  std::vector<Input> inputs(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    Entry* e = db_.Find(keys[i]);
    if (!e) continue;
    if (e->type == ValueType::kZSet) {
      inputs[i].zset = static_cast<ZSetObject*>(e->object());
    } else if (e->type == ValueType::kSet) {
      inputs[i].set = static_cast<SetObject*>(e->object());
    } else {
      return OpStatus::kWrongType;
    }
  }
  return inputs;
}

std::vector<ZScored> ZSetOps::Union(std::vector<Input> inputs, Aggregate agg) {
  SortBySize(&inputs);
  std::unordered_map<std::string, double> acc;
  if (!inputs.empty()) acc.reserve(inputs.back().size());
  for (const Input& in : inputs) {
    ForEachIn(in, [&](std::string_view m, double s) {
      double score = Weighted(s, in.weight);
      auto [it, added] = acc.try_emplace(std::string(m), score);
      if (!added) AggregateInto(&it->second, score, agg);
    });
  }
  std::vector<ZScored> out;
  out.reserve(acc.size());
  for (auto& [m, s] : acc) out.push_back({m, s});
  SortResult(&out);
  return out;
}

std::vector<ZScored> ZSetOps::Inter(std::vector<Input> inputs, Aggregate agg) {
  SortBySize(&inputs);
  std::vector<ZScored> out;
  ForEachInAll(inputs, agg, [&](std::string_view m, double score) {
    out.push_back({std::string(m), score});
    return true;
  });
  SortResult(&out);
  return out;
}

int64_t ZSetOps::InterCard(std::vector<Input> inputs, int64_t limit) {
  SortBySize(&inputs);
  int64_t n = 0;
  ForEachInAll(inputs, Aggregate::kSum, [&](std::string_view, double) {
    ++n;
    return limit == 0 || n < limit;
  });
  return n;
}

std::vector<ZScored> ZSetOps::Diff(std::span<const Input> inputs) {
  std::vector<ZScored> out;
  if (inputs.empty() || inputs[0].size() == 0) return out;
  ForEachIn(inputs[0], [&](std::string_view m, double s) {
    for (size_t j = 1; j < inputs.size(); ++j) {
      double v;
      if (SameObject(inputs[j], inputs[0]) || ScoreIn(inputs[j], m, &v)) return;
    }
    out.push_back({std::string(m), s});
  });
  SortResult(&out);
  return out;
}

bool ZSetOps::Store(std::string_view key, std::span<const ZRangeItem> items) {
  if (items.empty()) return db_.Delete(key);
  size_t maxlen = 0;
  for (const ZRangeItem& it : items) maxlen = std::max(maxlen, it.member.size());
  int64_t max_entries = limits_.zset_max_listpack_entries();
  int64_t max_value = limits_.zset_max_listpack_value();
  bool big =
      static_cast<int64_t>(items.size()) > max_entries || static_cast<int64_t>(maxlen) > max_value;
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
