// ZSkiplist: the ordered half of a large sorted set (Redis's zskiplist):
// nodes ordered by (score, member), each forward link carrying a span so
// rank queries and lookups by rank are O(log n), and a backward link for
// reverse walks.
//
// A ZSkipNode also carries `next`, the chain link of the member index
// (HashTable<ZSkipNode> keyed by member), so one allocation serves both
// structures. Nodes never move: UpdateScore relinks the same node.
//
// Also here: the score and lex ranges of ZRANGE BYSCORE/BYLEX, used by
// both zset encodings.
//
// Invariants: members are unique; order is by score, then by member bytes
// (memcmp, shorter first on a common prefix).
// Thread safety: none.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ordis {

// A score or weight argument as Redis's getDoubleFromObject reads it:
// strtod over the whole string, no leading space, no NaN, no overflow
// ("1e999") or underflow to zero; "inf" itself is fine.
bool ParseZScore(std::string_view s, double* out);

// [min, max] with optional exclusive ends ("(1.5").
struct ZScoreRange {
  double min = 0, max = 0;
  bool minex = false, maxex = false;

  // Parses two ZRANGEBYSCORE bounds the way Redis's zslParseRange does
  // (strtod, so "", " 1" and "0x10" are accepted; NaN is not).
  static bool Parse(std::string_view min, std::string_view max, ZScoreRange* out);
  bool GteMin(double v) const { return minex ? v > min : v >= min; }
  bool LteMax(double v) const { return maxex ? v < max : v <= max; }
  // False when no score can be in range.
  bool NonEmpty() const { return !(min > max || (min == max && (minex || maxex))); }
};

// Lexicographic range: "[a" inclusive, "(a" exclusive, "-" and "+" the
// infinitely small and large strings.
struct ZLexRange {
  enum Kind : uint8_t { kValue, kNegInf, kPosInf };
  struct Bound {
    Kind kind = kValue;
    bool ex = false;
    std::string value;
  };
  Bound min, max;

  static bool Parse(std::string_view min, std::string_view max, ZLexRange* out);
  bool GteMin(std::string_view v) const;
  bool LteMax(std::string_view v) const;
  bool NonEmpty() const;
};

struct ZSkipNode {
  struct Link {
    ZSkipNode* forward;
    uint64_t span;  // level-0 nodes skipped by this link, counting its target
  };

  ZSkipNode* next;      // member index chain (HashTable)
  ZSkipNode* backward;  // level-0 predecessor; nullptr for the first node
  double score;
  uint32_t len;   // member length
  uint8_t level;  // number of links
  Link links[];   // `level` links, then the member bytes

  std::string_view member() const { return {reinterpret_cast<const char*>(links + level), len}; }
  std::string_view key() const { return member(); }  // for HashTable
};

class ZSkiplist {
 public:
  static constexpr int kMaxLevel = 32;

  ZSkiplist();
  ~ZSkiplist();  // frees every node
  ZSkiplist(const ZSkiplist&) = delete;
  ZSkiplist& operator=(const ZSkiplist&) = delete;

  uint64_t size() const { return length_; }
  ZSkipNode* first() const { return header_->links[0].forward; }
  ZSkipNode* last() const { return tail_; }

  // Inserts a new node. REQUIRES: member not present.
  ZSkipNode* Insert(double score, std::string_view member);
  // Unlinks node and frees it. REQUIRES: node is in this list.
  void Erase(ZSkipNode* node);
  // Moves node to new_score's position, keeping its address.
  void UpdateScore(ZSkipNode* node, double new_score);

  // 1-based rank of node. REQUIRES: node is in this list.
  uint64_t Rank(const ZSkipNode* node) const;
  // The node at a 1-based rank, or nullptr.
  ZSkipNode* ByRank(uint64_t rank) const;

  ZSkipNode* FirstInRange(const ZScoreRange& r) const;
  ZSkipNode* LastInRange(const ZScoreRange& r) const;
  ZSkipNode* FirstInLexRange(const ZLexRange& r) const;
  ZSkipNode* LastInLexRange(const ZLexRange& r) const;

  size_t MemoryUsage() const;  // nodes included

 private:
  // Fills update[] with the last node before (score, member) on each level
  // and rank[] with their ranks.
  void Search(double score, std::string_view member, ZSkipNode** update, uint64_t* rank) const;
  void Link(ZSkipNode* x, ZSkipNode** update, uint64_t* rank);
  void Unlink(ZSkipNode* x, ZSkipNode** update);

  ZSkipNode* header_;
  ZSkipNode* tail_ = nullptr;
  uint64_t length_ = 0;
  int level_ = 1;
  uint64_t rng_state_;
};

// (score, member) order used by both encodings.
inline bool ZLess(double sa, std::string_view ma, double sb, std::string_view mb) {
  return sa < sb || (sa == sb && ma < mb);
}

}  // namespace ordis
