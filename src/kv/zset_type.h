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

class SetObject;  // kv/set_type.h; an input of the set algebra

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

// A member with its score, owning the bytes (what pops return).
struct ZScored {
  std::string member;
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

  // Counts without building the range (ZCOUNT, ZLEXCOUNT).
  uint64_t CountByScore(const ZScoreRange& range) const;
  uint64_t CountByLex(const ZLexRange& range) const;

  // ZREMRANGEBY*: remove and return how many went. The rank range is
  // inclusive, REQUIRES: start <= end < size(). The lex range removes, as
  // Redis does, from the first member (in set order) that is >= min while
  // members stay <= max.
  uint64_t RemoveRangeByRank(uint64_t start, uint64_t end);
  uint64_t RemoveRangeByScore(const ZScoreRange& range);
  uint64_t RemoveRangeByLex(const ZLexRange& range);

  // Removes up to count members from the low end (or the high end when
  // max), appending them to *out in pop order.
  void PopEnds(bool max, uint64_t count, std::vector<ZScored>* out);

  // The member at a 0-based rank from the lowest score.
  // REQUIRES: rank < size().
  ZRangeItem At(uint64_t rank) const;

  // One ZSCAN step: a listpack is returned whole (next cursor 0), a
  // skiplist walks its member index from cursor like SCAN (every member
  // present for the whole iteration is seen at least once). Calls
  // fn(member, score); fn must not modify the set.
  template <typename Fn>
  uint64_t Scan(uint64_t cursor, Fn&& fn) const {
    if (!big_) {
      ForEach(fn);
      return 0;
    }
    return big_->index.Scan(cursor, [&](const ZSkipNode* n) { fn(n->member(), n->score); });
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
  void EraseBig(ZSkipNode* x);  // unlinks from index and list, frees

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

  // ZLEXCOUNT: 0 when absent.
  OpResult<int64_t> LexCount(std::string_view key, const ZLexRange& range);
  // ZREMRANGEBYRANK/SCORE/LEX: returns how many members were removed (the
  // key goes when it empties); 0 when absent. Ranks as ZRANGE's.
  OpResult<int64_t> RemoveRangeByRank(std::string_view key, int64_t start, int64_t end);
  OpResult<int64_t> RemoveRangeByScore(std::string_view key, const ZScoreRange& range);
  OpResult<int64_t> RemoveRangeByLex(std::string_view key, const ZLexRange& range);

  // ZPOPMIN/ZPOPMAX (and later BZPOPMIN/BZPOPMAX): removes up to count
  // members from the lowest scores (or the highest when max), returned in
  // pop order; the key goes when it empties. kNotFound when absent; with
  // count 0 the type is still checked and nothing is removed.
  OpResult<std::vector<ZScored>> Pop(std::string_view key, bool max, uint64_t count);

  // ZMPOP/BZMPOP: pops from the first key of `keys` that exists. kNotFound
  // when none exists; kWrongType when the first existing key is not a
  // sorted set (later keys are not looked at, as in Redis).
  struct MPopResult {
    size_t key_index = 0;  // into keys
    std::vector<ZScored> items;
  };
  OpResult<MPopResult> PopFirst(std::span<const std::string_view> keys, bool max, uint64_t count);

  // ZRANDMEMBER without count: kNotFound when absent.
  OpResult<ZRangeItem> RandomMember(std::string_view key);
  // ZRANDMEMBER with count: count >= 0 returns min(count, size) distinct
  // members (in no particular order); a negative count returns -count
  // members drawn uniformly with repetition. Empty when absent.
  // REQUIRES: count != INT64_MIN.
  OpResult<std::vector<ZRangeItem>> RandomMembers(std::string_view key, int64_t count);

  // ZSCAN: one step from cursor; appends (member, score) pairs whose member
  // matches the glob `pattern` ("*": all) and returns the next cursor (0:
  // done). Roughly `count` members are visited per call, at most 10*count
  // buckets. kNotFound when absent.
  // REQUIRES: count >= 1.
  OpResult<uint64_t> Scan(std::string_view key, uint64_t cursor, int64_t count,
                          std::string_view pattern, std::vector<ZScored>* out);

  // --- set algebra (ZUNION, ZINTER, ZDIFF, their STORE forms, ZINTERCARD)
  // Inputs may be sorted sets or sets (every member scoring 1, as in Redis).
  // Use: OpenInputs, set weights, then Union/Inter/Diff/InterCard, with no
  // modification of the Db in between (inputs point into it).
  struct Input {
    ZSetObject* zset = nullptr;  // at most one of zset / set; neither: absent
    SetObject* set = nullptr;
    double weight = 1;
    size_t size() const;
  };
  enum class Aggregate { kSum, kMin, kMax };
  // Looks the keys up in order (read lookups); kWrongType at the first key
  // holding neither a sorted set nor a set.
  OpResult<std::vector<Input>> OpenInputs(std::span<const std::string_view> keys);
  // Results are ordered by (score, member). A weighted score that is NaN
  // (0 * inf) counts as 0, and so does a SUM of +inf and -inf.
  static std::vector<ZScored> Union(std::vector<Input> inputs, Aggregate agg);
  static std::vector<ZScored> Inter(std::vector<Input> inputs, Aggregate agg);
  // Members of the first input absent from all others, with their scores.
  static std::vector<ZScored> Diff(std::span<const Input> inputs);
  // Size of the intersection, counting stops at limit (0: no limit).
  static int64_t InterCard(std::vector<Input> inputs, int64_t limit);

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
