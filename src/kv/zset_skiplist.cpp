#include "kv/zset_skiplist.h"

#include <malloc.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>

namespace ordis {

// --- ranges ----------------------------------------------------------------

namespace {

bool ParseScoreBound(std::string_view s, double* v, bool* ex) {
  *ex = !s.empty() && s[0] == '(';
  if (*ex) s.remove_prefix(1);
  // strtod on a NUL-terminated copy, as Redis does on its sds: it stops at
  // an embedded NUL and accepts what strtod accepts.
  std::string buf(s);
  char* end;
  *v = std::strtod(buf.c_str(), &end);
  return *end == '\0' && !std::isnan(*v);
}

bool ParseLexBound(std::string_view s, ZLexRange::Bound* b) {
  if (s.empty()) return false;
  switch (s[0]) {
    case '+':
    case '-':
      if (s.size() != 1) return false;
      b->kind = s[0] == '+' ? ZLexRange::kPosInf : ZLexRange::kNegInf;
      b->ex = true;
      return true;
    case '(':
    case '[':
      b->kind = ZLexRange::kValue;
      b->ex = s[0] == '(';
      b->value.assign(s.substr(1));
      return true;
    default:
      return false;
  }
}

// Redis's sdscmplex: compares a member with a bound.
int CompareLex(std::string_view v, const ZLexRange::Bound& b) {
  if (b.kind == ZLexRange::kNegInf) return 1;
  if (b.kind == ZLexRange::kPosInf) return -1;
  return v.compare(b.value);
}

}  // namespace

bool ParseZScore(std::string_view s, double* out) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return false;
  std::string buf(s);
  char* end;
  errno = 0;
  double v = std::strtod(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size() || std::isnan(v)) return false;
  if (errno == ERANGE && (std::isinf(v) || v == 0)) return false;
  *out = v;
  return true;
}

bool ZScoreRange::Parse(std::string_view min, std::string_view max, ZScoreRange* out) {
  return ParseScoreBound(min, &out->min, &out->minex) &&
         ParseScoreBound(max, &out->max, &out->maxex);
}

bool ZLexRange::Parse(std::string_view min, std::string_view max, ZLexRange* out) {
  return ParseLexBound(min, &out->min) && ParseLexBound(max, &out->max);
}

bool ZLexRange::GteMin(std::string_view v) const {
  int c = CompareLex(v, min);
  return min.ex ? c > 0 : c >= 0;
}

bool ZLexRange::LteMax(std::string_view v) const {
  int c = CompareLex(v, max);
  return max.ex ? c < 0 : c <= 0;
}

bool ZLexRange::NonEmpty() const {
  int c;
  if (min.kind == max.kind && min.kind != kValue) {
    c = 0;
  } else if (min.kind == kNegInf || max.kind == kPosInf) {
    c = -1;
  } else if (min.kind == kPosInf || max.kind == kNegInf) {
    c = 1;
  } else {
    c = min.value.compare(max.value);
  }
  return !(c > 0 || (c == 0 && (min.ex || max.ex)));
}

// --- ZSkiplist -------------------------------------------------------------

namespace {

ZSkipNode* NewNode(int level, double score, std::string_view member) {
  size_t bytes =
      sizeof(ZSkipNode) + static_cast<size_t>(level) * sizeof(ZSkipNode::Link) + member.size();
  auto* n = static_cast<ZSkipNode*>(std::malloc(bytes));
  if (!n) throw std::bad_alloc();
  n->next = nullptr;
  n->backward = nullptr;
  n->score = score;
  n->len = static_cast<uint32_t>(member.size());
  n->level = static_cast<uint8_t>(level);
  for (int i = 0; i < level; ++i) n->links[i] = {nullptr, 0};
  if (!member.empty())
    std::memcpy(reinterpret_cast<char*>(n->links + level), member.data(), member.size());
  return n;
}

}  // namespace

ZSkiplist::ZSkiplist() : header_(NewNode(kMaxLevel, 0, {})), rng_state_(0x9e3779b97f4a7c15ULL) {}

ZSkiplist::~ZSkiplist() {
  ZSkipNode* x = header_->links[0].forward;
  while (x) {
    ZSkipNode* next = x->links[0].forward;
    std::free(x);
    x = next;
  }
  std::free(header_);
}

void ZSkiplist::Search(double score, std::string_view member, ZSkipNode** update,
                       uint64_t* rank) const {
  ZSkipNode* x = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    rank[i] = i == level_ - 1 ? 0 : rank[i + 1];
    while (x->links[i].forward &&
           ZLess(x->links[i].forward->score, x->links[i].forward->member(), score, member)) {
      rank[i] += x->links[i].span;
      x = x->links[i].forward;
    }
    update[i] = x;
  }
}

void ZSkiplist::Link(ZSkipNode* x, ZSkipNode** update, uint64_t* rank) {
  int level = x->level;
  if (level > level_) {
    for (int i = level_; i < level; ++i) {
      rank[i] = 0;
      update[i] = header_;
      header_->links[i].span = length_;
    }
    level_ = level;
  }
  for (int i = 0; i < level; ++i) {
    x->links[i].forward = update[i]->links[i].forward;
    update[i]->links[i].forward = x;
    x->links[i].span = update[i]->links[i].span - (rank[0] - rank[i]);
    update[i]->links[i].span = (rank[0] - rank[i]) + 1;
  }
  for (int i = level; i < level_; ++i) update[i]->links[i].span++;
  x->backward = update[0] == header_ ? nullptr : update[0];
  if (x->links[0].forward) {
    x->links[0].forward->backward = x;
  } else {
    tail_ = x;
  }
  ++length_;
}

ZSkipNode* ZSkiplist::Insert(double score, std::string_view member) {
  ZSkipNode* update[kMaxLevel];
  uint64_t rank[kMaxLevel];
  Search(score, member, update, rank);
  // Random level with p = 1/4 per extra level (xorshift64*: the structure
  // depends only on this sequence, never on the data).
  int level = 1;
  for (;;) {
    rng_state_ ^= rng_state_ >> 12;
    rng_state_ ^= rng_state_ << 25;
    rng_state_ ^= rng_state_ >> 27;
    uint64_t r = rng_state_ * 0x2545F4914F6CDD1DULL;
    if (level >= kMaxLevel || (r >> 62) != 0) break;
    ++level;
  }
  ZSkipNode* x = NewNode(level, score, member);
  Link(x, update, rank);
  return x;
}

void ZSkiplist::Unlink(ZSkipNode* x, ZSkipNode** update) {
  for (int i = 0; i < level_; ++i) {
    if (update[i]->links[i].forward == x) {
      update[i]->links[i].span += x->links[i].span - 1;
      update[i]->links[i].forward = x->links[i].forward;
    } else {
      update[i]->links[i].span -= 1;
    }
  }
  if (x->links[0].forward) {
    x->links[0].forward->backward = x->backward;
  } else {
    tail_ = x->backward;
  }
  while (level_ > 1 && header_->links[level_ - 1].forward == nullptr) --level_;
  --length_;
}

void ZSkiplist::Erase(ZSkipNode* node) {
  ZSkipNode* update[kMaxLevel];
  uint64_t rank[kMaxLevel];
  Search(node->score, node->member(), update, rank);
  Unlink(node, update);
  std::free(node);
}

void ZSkiplist::UpdateScore(ZSkipNode* node, double new_score) {
  // Fast path: the node stays where it is.
  ZSkipNode* prev = node->backward;
  ZSkipNode* next = node->links[0].forward;
  if ((!prev || ZLess(prev->score, prev->member(), new_score, node->member())) &&
      (!next || ZLess(new_score, node->member(), next->score, next->member()))) {
    node->score = new_score;
    return;
  }
  ZSkipNode* update[kMaxLevel];
  uint64_t rank[kMaxLevel];
  Search(node->score, node->member(), update, rank);
  Unlink(node, update);
  node->score = new_score;
  for (int i = 0; i < node->level; ++i) node->links[i] = {nullptr, 0};
  node->backward = nullptr;
  Search(new_score, node->member(), update, rank);
  Link(node, update, rank);
}

uint64_t ZSkiplist::Rank(const ZSkipNode* node) const {
  uint64_t rank = 0;
  const ZSkipNode* x = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (x->links[i].forward && !ZLess(node->score, node->member(), x->links[i].forward->score,
                                         x->links[i].forward->member())) {
      rank += x->links[i].span;
      x = x->links[i].forward;
    }
    if (x == node) return rank;
  }
  return 0;
}

ZSkipNode* ZSkiplist::ByRank(uint64_t rank) const {
  uint64_t traversed = 0;
  ZSkipNode* x = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (x->links[i].forward && traversed + x->links[i].span <= rank) {
      traversed += x->links[i].span;
      x = x->links[i].forward;
    }
    if (traversed == rank) return x == header_ ? nullptr : x;
  }
  return nullptr;
}

ZSkipNode* ZSkiplist::FirstInRange(const ZScoreRange& r) const {
  if (!r.NonEmpty() || !tail_ || !r.GteMin(tail_->score) || !r.LteMax(first()->score))
    return nullptr;
  ZSkipNode* x = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (x->links[i].forward && !r.GteMin(x->links[i].forward->score)) x = x->links[i].forward;
  }
  x = x->links[0].forward;
  return x && r.LteMax(x->score) ? x : nullptr;
}

ZSkipNode* ZSkiplist::LastInRange(const ZScoreRange& r) const {
  if (!r.NonEmpty() || !tail_ || !r.GteMin(tail_->score) || !r.LteMax(first()->score))
    return nullptr;
  ZSkipNode* x = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (x->links[i].forward && r.LteMax(x->links[i].forward->score)) x = x->links[i].forward;
  }
  return x != header_ && r.GteMin(x->score) ? x : nullptr;
}

ZSkipNode* ZSkiplist::FirstInLexRange(const ZLexRange& r) const {
  if (!r.NonEmpty() || !tail_ || !r.GteMin(tail_->member()) || !r.LteMax(first()->member()))
    return nullptr;
  ZSkipNode* x = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (x->links[i].forward && !r.GteMin(x->links[i].forward->member())) x = x->links[i].forward;
  }
  x = x->links[0].forward;
  return x && r.LteMax(x->member()) ? x : nullptr;
}

ZSkipNode* ZSkiplist::LastInLexRange(const ZLexRange& r) const {
  if (!r.NonEmpty() || !tail_ || !r.GteMin(tail_->member()) || !r.LteMax(first()->member()))
    return nullptr;
  ZSkipNode* x = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (x->links[i].forward && r.LteMax(x->links[i].forward->member())) x = x->links[i].forward;
  }
  return x != header_ && r.GteMin(x->member()) ? x : nullptr;
}

size_t ZSkiplist::MemoryUsage() const {
  size_t n = sizeof(*this) + malloc_usable_size(header_);
  for (ZSkipNode* x = first(); x; x = x->links[0].forward) n += malloc_usable_size(x);
  return n;
}

}  // namespace ordis
