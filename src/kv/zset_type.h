// Sorted sets: ZSetObject (the value) and ZSetOps (the storage operations
// behind ZADD, ZINCRBY, ZRANGE, ZRANK, ...). Common rules in kv/types.h.
//
// Encodings, as Redis 7.0 reports them:
//   "listpack": a vector of (score, member) kept in order, while there are
//               at most zset-max-listpack-entries members and none longer
//               than zset-max-listpack-value bytes;
//   "skiplist": a ZSkiplist plus a member index (HashTable) otherwise.
// A sorted set never converts back to listpack here (Redis only does so in
// commands that build a new set: ZRANGESTORE, ZUNIONSTORE, ...).
//
// Order: by score, then by member bytes. Scores are never NaN.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kv/hash_table.h"
#include "kv/types.h"
#include "kv/zset_skiplist.h"

namespace ordis {

// ZADD options.
struct ZAddFlags {
  bool nx = false, xx = false, gt = false, lt = false, incr = false;
};

// What one ZADD element did (bits).
enum ZAddOutcome : unsigned {
  kZAdded = 1,    // new member
  kZUpdated = 2,  // score changed
  kZNop = 4,      // refused by NX/XX/GT/LT
  kZNan = 8,      // the increment produced NaN; nothing changed
};

struct ZRangeItem {
  std::string_view member;
  double score;
};

class ZSetObject final : public Object {
 public:
  explicit ZSetObject(bool skiplist = false);
  ZSetObject(const ZSetObject& o);
  ZSetObject& operator=(const ZSetObject&) = delete;
  ~ZSetObject() override;

  Object* Clone() const override { return new ZSetObject(*this); }
  size_t MemoryUsage() const override;
  const char* EncodingName() const override { return big_ ? "skiplist" : "listpack"; }

  bool is_listpack() const { return big_ == nullptr; }
  size_t size() const { return big_ ? big_->list.size() : items_.size(); }

  std::optional<double> Score(std::string_view member);
  // Adds or updates one member as Redis's zsetAdd does; returns ZAddOutcome
  // bits and, unless kZNop/kZNan, the resulting score in *new_score. A new
  // member converts a listpack when the set would exceed max_entries or
  // the member is longer than max_value.
  unsigned Add(double score, std::string_view member, const ZAddFlags& flags, int64_t max_entries,
               int64_t max_value, double* new_score);
  bool Remove(std::string_view member);
  // 0-based rank from the lowest score (or the highest when reverse).
  std::optional<uint64_t> Rank(std::string_view member, bool reverse);

  // Appends to *out the members of the inclusive rank range [start, end]
  // counted from the lowest score, or from the highest when reverse.
  // REQUIRES: 0 <= start <= end < size().
  void RangeByRank(uint64_t start, uint64_t end, bool reverse, std::vector<ZRangeItem>* out) const;
  // Appends the members with a score in range, in score order (reverse:
  // descending), skipping `offset` of them and returning at most `limit`
  // (negative: no limit). A negative offset yields nothing, as in Redis.
  void RangeByScore(const ZScoreRange& range, int64_t offset, int64_t limit, bool reverse,
                    std::vector<ZRangeItem>* out) const;
  void RangeByLex(const ZLexRange& range, int64_t offset, int64_t limit, bool reverse,
                  std::vector<ZRangeItem>* out) const;

  // Calls fn(member, score) in order. fn must not modify the set.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    if (big_) {
      for (ZSkipNode* x = big_->list.first(); x; x = x->links[0].forward) fn(x->member(), x->score);
      return;
    }
    for (const Item& it : items_) fn(std::string_view(it.member), it.score);
  }

  void ConvertToSkiplist();

 private:
  struct Item {
    double score;
    std::string member;
  };
  struct Big {
    ZSkiplist list;
    HashTable<ZSkipNode> index;  // member -> node (the same allocation)
  };

  std::vector<Item>::iterator FindItem(std::string_view member);
  void InsertItem(double score, std::string_view member);
  void AddToBig(double score, std::string_view member);

  std::vector<Item> items_;  // listpack encoding, ordered
  Big* big_ = nullptr;       // skiplist encoding, when not null
};

class ZSetOps {
 public:
  ZSetOps(Db& db, const EncodingLimits& limits) : db_(db), limits_(limits) {}

  struct AddResult {
    int64_t added = 0;
    int64_t updated = 0;
    int64_t processed = 0;  // elements not refused by NX/XX/GT/LT
    double score = 0;       // the last element's resulting score (INCR)
  };
  // ZADD/ZINCRBY: scores[i] goes with members[i]. Creates the key unless
  // flags.xx. kNanOrInf when an increment produced NaN (INCR takes a
  // single element, so nothing changed then).
  // REQUIRES: scores.size() == members.size() > 0; no NaN scores.
  OpResult<AddResult> Add(std::string_view key, std::span<const double> scores,
                          std::span<const std::string_view> members, const ZAddFlags& flags);
  // ZREM: returns how many members were removed; 0 when absent.
  OpResult<int64_t> Remove(std::string_view key, std::span<const std::string_view> members);
  // ZCARD: 0 when absent.
  OpResult<int64_t> Card(std::string_view key);
  // ZSCORE/ZMSCORE: one entry per member; all nullopt when absent.
  OpResult<std::vector<std::optional<double>>> Scores(std::string_view key,
                                                      std::span<const std::string_view> members);
  // ZRANK/ZREVRANK: kNotFound when the key is absent; nullopt when the
  // member is.
  OpResult<std::optional<int64_t>> Rank(std::string_view key, std::string_view member,
                                        bool reverse);
  // ZCOUNT: members with a score in range; 0 when absent.
  OpResult<int64_t> Count(std::string_view key, const ZScoreRange& range);

  // ZRANGE forms; empty when absent. Views are valid until the next
  // modification of the Db.
  OpResult<std::vector<ZRangeItem>> RangeByRank(std::string_view key, int64_t start, int64_t end,
                                                bool reverse);
  OpResult<std::vector<ZRangeItem>> RangeByScore(std::string_view key, const ZScoreRange& range,
                                                 int64_t offset, int64_t limit, bool reverse);
  OpResult<std::vector<ZRangeItem>> RangeByLex(std::string_view key, const ZLexRange& range,
                                               int64_t offset, int64_t limit, bool reverse);

  // Replaces key with a sorted set of `items` (copied), dropping any TTL, or
  // deletes key when items is empty (GEORADIUS STORE, ...). The encoding is
  // listpack when the items fit the listpack limits, as Redis's
  // zsetConvertToListpackIfNeeded decides. items may point into key's
  // current value. Returns true when the key was written or deleted.
  // REQUIRES: members distinct, scores not NaN.
  bool Store(std::string_view key, std::span<const ZRangeItem> items);

 private:
  Db& db_;
  const EncodingLimits& limits_;
};

}  // namespace ordis
