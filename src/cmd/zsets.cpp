// Sorted set commands: ZADD/ZINCRBY, ZREM, scores, ranks, ZCOUNT, ZLEXCOUNT,
// the ZRANGE family (by rank, score or lex, forward or reverse, with LIMIT
// and WITHSCORES) and ZRANGESTORE, ZREMRANGEBY*, the pops (ZPOPMIN/MAX,
// ZMPOP), ZRANDMEMBER and ZSCAN. The set algebra (ZUNION, ZINTER, ZDIFF,
// ...) is in zsets_algebra.cpp. Handlers parse, call kv/zset_type, reply;
// argument checks and lookups come in Redis's order.
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cmd/args.h"
#include "cmd/families.h"
#include "kv/zset_type.h"
#include "server/server.h"

namespace ordis {

namespace {

// ZADD and ZINCRBY (which is ZADD with INCR implied and the same parser).
void AddGeneric(CommandContext& ctx, bool incr) {
  ZAddFlags f;
  f.incr = incr;
  bool ch = false;
  size_t idx = 2;
  for (; idx < ctx.argc(); ++idx) {
    if (ArgIs(ctx, idx, "nx")) {
      f.nx = true;
    } else if (ArgIs(ctx, idx, "xx")) {
      f.xx = true;
    } else if (ArgIs(ctx, idx, "ch")) {
      ch = true;
    } else if (ArgIs(ctx, idx, "incr")) {
      f.incr = true;
    } else if (ArgIs(ctx, idx, "gt")) {
      f.gt = true;
    } else if (ArgIs(ctx, idx, "lt")) {
      f.lt = true;
    } else {
      break;
    }
  }
  size_t elements = ctx.argc() - idx;
  if (elements == 0 || elements % 2 != 0) return ctx.reply.Error(err::kSyntax);
  elements /= 2;
  if (f.nx && f.xx)
    return ctx.reply.Error("ERR XX and NX options at the same time are not compatible");
  if ((f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt))
    return ctx.reply.Error("ERR GT, LT, and/or NX options at the same time are not compatible");
  if (f.incr && elements > 1)
    return ctx.reply.Error("ERR INCR option supports a single increment-element pair");

  // Every score is checked before anything is written.
  std::vector<double> scores(elements);
  std::vector<std::string_view> members(elements);
  for (size_t j = 0; j < elements; ++j) {
    if (!ParseZScore(ctx.arg(idx + 2 * j), &scores[j])) return ctx.reply.Error(err::kNotFloat);
    members[j] = ctx.arg(idx + 2 * j + 1);
  }
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).Add(ctx.arg(1), scores, members, f);
  if (r.status() == OpStatus::kNanOrInf)
    return ctx.reply.Error("ERR resulting score is not a number (NaN)");
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += r->added + r->updated;
  if (f.incr) {
    if (r->processed) return ctx.reply.Double(r->score);
    return ctx.reply.Null();
  }
  ctx.reply.Integer(ch ? r->added + r->updated : r->added);
}

void ZAddCmd(CommandContext& ctx) {
  AddGeneric(ctx, false);
}
void ZIncrByCmd(CommandContext& ctx) {
  AddGeneric(ctx, true);
}

void ZRemCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).Remove(ctx.arg(1), ctx.args.subspan(2));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += *r;
  ctx.reply.Integer(*r);
}

void ZCardCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).Card(ctx.arg(1));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.Integer(*r);
}

void ReplyScore(CommandContext& ctx, const std::optional<double>& s) {
  if (s) {
    ctx.reply.Double(*s);
  } else {
    ctx.reply.Null();
  }
}

void ZScoreCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).Scores(ctx.arg(1), ctx.args.subspan(2, 1));
  if (ReplyIfError(ctx, r.status())) return;
  ReplyScore(ctx, (*r)[0]);
}

void ZMScoreCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).Scores(ctx.arg(1), ctx.args.subspan(2));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.ArrayHeader(static_cast<int64_t>(r->size()));
  for (const auto& s : *r) ReplyScore(ctx, s);
}

void RankGeneric(CommandContext& ctx, bool reverse) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).Rank(ctx.arg(1), ctx.arg(2), reverse);
  if (r.status() == OpStatus::kNotFound) return ctx.reply.Null();
  if (ReplyIfError(ctx, r.status())) return;
  if (!r->has_value()) return ctx.reply.Null();
  ctx.reply.Integer(**r);
}

void ZRankCmd(CommandContext& ctx) {
  RankGeneric(ctx, false);
}
void ZRevRankCmd(CommandContext& ctx) {
  RankGeneric(ctx, true);
}

void ZCountCmd(CommandContext& ctx) {
  ZScoreRange range;
  if (!ZScoreRange::Parse(ctx.arg(2), ctx.arg(3), &range))
    return ctx.reply.Error("ERR min or max is not a float");
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).Count(ctx.arg(1), range);
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.Integer(*r);
}

// Members, with their scores when withscores: a flat array in RESP2,
// [member, score] pairs in RESP3.
template <typename Items>
void ReplyItems(CommandContext& ctx, const Items& items, bool withscores) {
  auto n = static_cast<int64_t>(items.size());
  bool nested = withscores && ctx.reply.resp3();
  ctx.reply.ArrayHeader(withscores && !nested ? 2 * n : n);
  for (const auto& it : items) {
    if (nested) ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(it.member);
    if (withscores) ctx.reply.Double(it.score);
  }
}

enum class RangeType { kAuto, kRank, kScore, kLex };
enum class Direction { kAuto, kForward, kReverse };

// ZRANGE key min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
// [WITHSCORES], the older commands that fix the type or direction (which
// then cannot be given as options), and ZRANGESTORE dst src min max ...
// (store: no WITHSCORES).
void RangeGeneric(CommandContext& ctx, RangeType type, Direction dir, bool store = false) {
  bool withscores = false;
  int64_t offset = 0, limit = -1;
  const size_t key_idx = store ? 2 : 1;
  for (size_t j = key_idx + 3; j < ctx.argc(); ++j) {
    size_t left = ctx.argc() - j - 1;
    if (!store && ArgIs(ctx, j, "withscores")) {
      withscores = true;
    } else if (ArgIs(ctx, j, "limit") && left >= 2) {
      if (!ArgInt(ctx, j + 1, &offset) || !ArgInt(ctx, j + 2, &limit)) return;
      j += 2;
    } else if (dir == Direction::kAuto && ArgIs(ctx, j, "rev")) {
      dir = Direction::kReverse;
    } else if (type == RangeType::kAuto && ArgIs(ctx, j, "bylex")) {
      type = RangeType::kLex;
    } else if (type == RangeType::kAuto && ArgIs(ctx, j, "byscore")) {
      type = RangeType::kScore;
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
  }
  bool reverse = dir == Direction::kReverse;
  if (type == RangeType::kAuto) type = RangeType::kRank;
  // Redis tests the value: "LIMIT 0 -1" passes with a rank range.
  if (limit != -1 && type == RangeType::kRank) {
    return ctx.reply.Error(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  }
  if (withscores && type == RangeType::kLex)
    return ctx.reply.Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");

  // Score and lex ranges are given as max, min when reversed.
  size_t min_idx = key_idx + 1, max_idx = key_idx + 2;
  if (reverse && type != RangeType::kRank) std::swap(min_idx, max_idx);

  EncodingLimits limits = ctx.server.encoding_limits();
  ZSetOps ops(ctx.db(), limits);
  OpResult<std::vector<ZRangeItem>> r = std::vector<ZRangeItem>{};
  switch (type) {
    case RangeType::kScore: {
      ZScoreRange range;
      if (!ZScoreRange::Parse(ctx.arg(min_idx), ctx.arg(max_idx), &range))
        return ctx.reply.Error("ERR min or max is not a float");
      r = ops.RangeByScore(ctx.arg(key_idx), range, offset, limit, reverse);
      break;
    }
    case RangeType::kLex: {
      ZLexRange range;
      if (!ZLexRange::Parse(ctx.arg(min_idx), ctx.arg(max_idx), &range))
        return ctx.reply.Error("ERR min or max not valid string range item");
      r = ops.RangeByLex(ctx.arg(key_idx), range, offset, limit, reverse);
      break;
    }
    default: {
      int64_t start, end;
      if (!ArgInt(ctx, min_idx, &start) || !ArgInt(ctx, max_idx, &end)) return;
      r = ops.RangeByRank(ctx.arg(key_idx), start, end, reverse);
      break;
    }
  }
  if (ReplyIfError(ctx, r.status())) return;
  if (store) {
    // An empty result deletes the destination, as in Redis.
    if (ops.Store(ctx.arg(1), *r)) ++ctx.dirty;
    return ctx.reply.Integer(static_cast<int64_t>(r->size()));
  }
  ReplyItems(ctx, *r, withscores);
}

void ZRangeCmd(CommandContext& ctx) {
  RangeGeneric(ctx, RangeType::kAuto, Direction::kAuto);
}
void ZRevRangeCmd(CommandContext& ctx) {
  RangeGeneric(ctx, RangeType::kRank, Direction::kReverse);
}
void ZRangeByScoreCmd(CommandContext& ctx) {
  RangeGeneric(ctx, RangeType::kScore, Direction::kForward);
}
void ZRevRangeByScoreCmd(CommandContext& ctx) {
  RangeGeneric(ctx, RangeType::kScore, Direction::kReverse);
}
void ZRangeByLexCmd(CommandContext& ctx) {
  RangeGeneric(ctx, RangeType::kLex, Direction::kForward);
}
void ZRevRangeByLexCmd(CommandContext& ctx) {
  RangeGeneric(ctx, RangeType::kLex, Direction::kReverse);
}

void ZRangeStoreCmd(CommandContext& ctx) {
  RangeGeneric(ctx, RangeType::kAuto, Direction::kAuto, true);
}

void ZLexCountCmd(CommandContext& ctx) {
  ZLexRange range;
  if (!ZLexRange::Parse(ctx.arg(2), ctx.arg(3), &range))
    return ctx.reply.Error("ERR min or max not valid string range item");
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).LexCount(ctx.arg(1), range);
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.Integer(*r);
}

// ZREMRANGEBYRANK/SCORE/LEX key min max: the range is parsed before the
// key is looked up, as in Redis.
void ZRemRangeByRankCmd(CommandContext& ctx) {
  int64_t start, end;
  if (!ArgInt(ctx, 2, &start) || !ArgInt(ctx, 3, &end)) return;
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).RemoveRangeByRank(ctx.arg(1), start, end);
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += *r;
  ctx.reply.Integer(*r);
}

void ZRemRangeByScoreCmd(CommandContext& ctx) {
  ZScoreRange range;
  if (!ZScoreRange::Parse(ctx.arg(2), ctx.arg(3), &range))
    return ctx.reply.Error("ERR min or max is not a float");
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).RemoveRangeByScore(ctx.arg(1), range);
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += *r;
  ctx.reply.Integer(*r);
}

void ZRemRangeByLexCmd(CommandContext& ctx) {
  ZLexRange range;
  if (!ZLexRange::Parse(ctx.arg(2), ctx.arg(3), &range))
    return ctx.reply.Error("ERR min or max not valid string range item");
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).RemoveRangeByLex(ctx.arg(1), range);
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += *r;
  ctx.reply.Integer(*r);
}

// ZPOPMIN/ZPOPMAX key [count]. A flat [member, score, ...] array, except
// that RESP3 nests [member, score] pairs when a count was given.
void PopGeneric(CommandContext& ctx, bool max) {
  if (ctx.argc() > 3) return ctx.reply.Error(err::kSyntax);
  int64_t count = 1;
  bool has_count = ctx.argc() == 3;
  if (has_count &&
      !ArgIntRange(ctx, 2, 0, INT64_MAX, &count, "ERR value is out of range, must be positive"))
    return;
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).Pop(ctx.arg(1), max, static_cast<uint64_t>(count));
  if (r.status() == OpStatus::kNotFound) return ctx.reply.EmptyArray();
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += r->size();
  bool nested = has_count && ctx.reply.resp3();
  auto n = static_cast<int64_t>(r->size());
  ctx.reply.ArrayHeader(nested ? n : 2 * n);
  for (const ZScored& it : *r) {
    if (nested) ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(it.member);
    ctx.reply.Double(it.score);
  }
}

void ZPopMinCmd(CommandContext& ctx) {
  PopGeneric(ctx, false);
}
void ZPopMaxCmd(CommandContext& ctx) {
  PopGeneric(ctx, true);
}

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]. Replies
// [key, [[member, score], ...]], or a null array when no key exists.
void ZMPopCmd(CommandContext& ctx) {
  int64_t numkeys;
  if (!ArgIntRange(ctx, 1, 1, INT64_MAX, &numkeys, "ERR numkeys should be greater than 0")) return;
  // MIN|MAX must follow the keys.
  if (numkeys >= static_cast<int64_t>(ctx.argc()) - 2) return ctx.reply.Error(err::kSyntax);
  size_t where_idx = 2 + static_cast<size_t>(numkeys);
  bool max;
  if (ArgIs(ctx, where_idx, "min")) {
    max = false;
  } else if (ArgIs(ctx, where_idx, "max")) {
    max = true;
  } else {
    return ctx.reply.Error(err::kSyntax);
  }
  int64_t count = -1;
  for (size_t j = where_idx + 1; j < ctx.argc(); ++j) {
    bool more = j + 1 < ctx.argc();
    if (count == -1 && ArgIs(ctx, j, "count") && more) {
      ++j;
      if (!ArgIntRange(ctx, j, 1, INT64_MAX, &count, "ERR count should be greater than 0")) return;
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
  }
  if (count == -1) count = 1;
  EncodingLimits limits = ctx.server.encoding_limits();
  auto keys = ctx.args.subspan(2, static_cast<size_t>(numkeys));
  auto r = ZSetOps(ctx.db(), limits).PopFirst(keys, max, static_cast<uint64_t>(count));
  if (r.status() == OpStatus::kNotFound) return ctx.reply.NullArray();
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += r->items.size();
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(keys[r->key_index]);
  ctx.reply.ArrayHeader(static_cast<int64_t>(r->items.size()));
  for (const ZScored& it : r->items) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(it.member);
    ctx.reply.Double(it.score);
  }
}

// ZMPOP's keys: numkeys of them after numkeys (none when numkeys is not a
// count that fits, so COMMAND GETKEYS reports invalid arguments).
std::vector<KeyRef> ZMPopKeys(ArgList args) {
  std::vector<KeyRef> keys;
  int64_t n;
  if (!ParseInt64(args[1], &n) || n < 1 || n > static_cast<int64_t>(args.size()) - 2) return keys;
  for (int64_t i = 0; i < n; ++i) keys.push_back({2 + static_cast<size_t>(i), "RW access delete"});
  return keys;
}

// ZRANDMEMBER key [count [WITHSCORES]].
void ZRandMemberCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  ZSetOps ops(ctx.db(), limits);
  if (ctx.argc() == 2) {
    auto r = ops.RandomMember(ctx.arg(1));
    if (r.status() == OpStatus::kNotFound) return ctx.reply.Null();
    if (ReplyIfError(ctx, r.status())) return;
    return ctx.reply.Bulk(r->member);
  }
  int64_t count;
  if (!ArgInt(ctx, 2, &count)) return;
  if (count == INT64_MIN) {
    return ctx.reply.Error(
        "ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807");
  }
  bool withscores = ctx.argc() == 4;
  if (ctx.argc() > 4 || (withscores && !ArgIs(ctx, 3, "withscores")))
    return ctx.reply.Error(err::kSyntax);
  // Twice as many replies must still be countable.
  if (withscores && (count < -(INT64_MAX / 2) || count > INT64_MAX / 2))
    return ctx.reply.Error("ERR value is out of range");
  auto r = ops.RandomMembers(ctx.arg(1), count);
  if (ReplyIfError(ctx, r.status())) return;
  ReplyItems(ctx, *r, withscores);
}

// A SCAN cursor as Redis's strtoul reads it: optional sign ("-1" wraps),
// no leading space, no trailing garbage, no overflow.
bool ParseScanCursor(std::string_view arg, uint64_t* out) {
  std::string s(arg);
  if (!s.empty() && std::isspace(static_cast<unsigned char>(s[0]))) return false;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE) return false;
  *out = v;
  return true;
}

// A score as ZSCAN shows it: text (a bulk string even in RESP3), the
// shortest form Redis's listpack and %.17g produce.
std::string ScanScore(double v) {
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%.17g", v);
  return std::string(buf, static_cast<size_t>(n));
}

// ZSCAN key cursor [MATCH pattern] [COUNT count]. Redis looks the key up
// before it parses the options, so an absent key answers an empty scan and
// a wrong type WRONGTYPE whatever the options are.
void ZScanCmd(CommandContext& ctx) {
  uint64_t cursor;
  if (!ParseScanCursor(ctx.arg(2), &cursor)) return ctx.reply.Error("ERR invalid cursor");
  int64_t count = 10;
  std::string_view pattern = "*";
  std::string_view option_error;
  for (size_t i = 3; i < ctx.argc() && option_error.empty(); i += 2) {
    bool has_value = i + 1 < ctx.argc();
    if (ArgIs(ctx, i, "count") && has_value) {
      if (!ParseInt64(ctx.arg(i + 1), &count)) {
        option_error = err::kNotInteger;
      } else if (count < 1) {
        option_error = err::kSyntax;
      }
    } else if (ArgIs(ctx, i, "match") && has_value) {
      pattern = ctx.arg(i + 1);
    } else {
      option_error = err::kSyntax;
    }
  }
  EncodingLimits limits = ctx.server.encoding_limits();
  ZSetOps ops(ctx.db(), limits);
  std::vector<ZScored> items;
  uint64_t next = 0;
  if (!option_error.empty()) {
    auto card = ops.Card(ctx.arg(1));  // the lookup Redis makes first
    if (ReplyIfError(ctx, card.status())) return;
    if (*card != 0) return ctx.reply.Error(option_error);
  } else {
    auto r = ops.Scan(ctx.arg(1), cursor, count, pattern, &items);
    if (r.status() != OpStatus::kNotFound) {
      if (ReplyIfError(ctx, r.status())) return;
      next = *r;
    }
  }
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(next));
  ctx.reply.ArrayHeader(static_cast<int64_t>(2 * items.size()));
  for (const ZScored& it : items) {
    ctx.reply.Bulk(it.member);
    ctx.reply.Bulk(ScanScore(it.score));
  }
}

constexpr CommandSpec kCommands[] = {
    {"zadd",
     -4,
     kCmdWrite | kCmdDenyOom | kCmdFast,
     kAclSortedSet,
     1,
     1,
     1,
     ZAddCmd,
     "sorted-set",
     "1.2.0",
     "Add one or more members to a sorted set, or update its score if it already exists",
     "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
     "key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]",
     {},
     "RW update"},
    {"zincrby", 4, kCmdWrite | kCmdDenyOom | kCmdFast, kAclSortedSet, 1, 1, 1, ZIncrByCmd,
     "sorted-set", "1.2.0", "Increment the score of a member in a sorted set",
     "O(log(N)) where N is the number of elements in the sorted set.", "key increment member"},
    {"zrem",
     -3,
     kCmdWrite | kCmdFast,
     kAclSortedSet,
     1,
     1,
     1,
     ZRemCmd,
     "sorted-set",
     "1.2.0",
     "Remove one or more members from a sorted set",
     "O(M*log(N)) with N being the number of elements in the sorted set and M the number of "
     "elements to be removed.",
     "key member [member ...]",
     {},
     "RW delete"},
    {"zcard",
     2,
     kCmdReadonly | kCmdFast,
     kAclSortedSet,
     1,
     1,
     1,
     ZCardCmd,
     "sorted-set",
     "1.2.0",
     "Get the number of members in a sorted set",
     "O(1)",
     "key",
     {},
     "RO"},
    {"zscore", 3, kCmdReadonly | kCmdFast, kAclSortedSet, 1, 1, 1, ZScoreCmd, "sorted-set", "1.2.0",
     "Get the score associated with the given member in a sorted set", "O(1)", "key member"},
    {"zmscore", -3, kCmdReadonly | kCmdFast, kAclSortedSet, 1, 1, 1, ZMScoreCmd, "sorted-set",
     "6.2.0", "Get the score associated with the given members in a sorted set",
     "O(N) where N is the number of members being requested.", "key member [member ...]"},
    {"zrank", 3, kCmdReadonly | kCmdFast, kAclSortedSet, 1, 1, 1, ZRankCmd, "sorted-set", "2.0.0",
     "Determine the index of a member in a sorted set", "O(log(N))", "key member"},
    {"zrevrank", 3, kCmdReadonly | kCmdFast, kAclSortedSet, 1, 1, 1, ZRevRankCmd, "sorted-set",
     "2.0.0",
     "Determine the index of a member in a sorted set, with scores ordered from high to low",
     "O(log(N))", "key member"},
    {"zcount", 4, kCmdReadonly | kCmdFast, kAclSortedSet, 1, 1, 1, ZCountCmd, "sorted-set", "2.0.0",
     "Count the members in a sorted set with scores within the given values",
     "O(log(N)) with N being the number of elements in the sorted set.", "key min max"},
    {"zrange", -4, kCmdReadonly, kAclSortedSet, 1, 1, 1, ZRangeCmd, "sorted-set", "1.2.0",
     "Return a range of members in a sorted set",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
     "elements returned.",
     "key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]"},
    {"zrevrange", -4, kCmdReadonly, kAclSortedSet, 1, 1, 1, ZRevRangeCmd, "sorted-set", "1.2.0",
     "Return a range of members in a sorted set, by index, with scores ordered from high to low",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
     "elements returned.",
     "key start stop [WITHSCORES]"},
    {"zrangebyscore", -4, kCmdReadonly, kAclSortedSet, 1, 1, 1, ZRangeByScoreCmd, "sorted-set",
     "1.0.5", "Return a range of members in a sorted set, by score",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
     "elements being returned. If M is constant (e.g. always asking for the first 10 elements with "
     "LIMIT), you can consider it O(log(N)).",
     "key min max [WITHSCORES] [LIMIT offset count]"},
    {"zrevrangebyscore", -4, kCmdReadonly, kAclSortedSet, 1, 1, 1, ZRevRangeByScoreCmd,
     "sorted-set", "2.2.0",
     "Return a range of members in a sorted set, by score, with scores ordered from high to low",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
     "elements being returned. If M is constant (e.g. always asking for the first 10 elements with "
     "LIMIT), you can consider it O(log(N)).",
     "key max min [WITHSCORES] [LIMIT offset count]"},
    {"zrangebylex", -4, kCmdReadonly, kAclSortedSet, 1, 1, 1, ZRangeByLexCmd, "sorted-set", "2.8.9",
     "Return a range of members in a sorted set, by lexicographical range",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
     "elements being returned. If M is constant (e.g. always asking for the first 10 elements with "
     "LIMIT), you can consider it O(log(N)).",
     "key min max [LIMIT offset count]"},
    {"zrevrangebylex", -4, kCmdReadonly, kAclSortedSet, 1, 1, 1, ZRevRangeByLexCmd, "sorted-set",
     "2.8.9",
     "Return a range of members in a sorted set, by lexicographical range, ordered from higher to "
     "lower strings.",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
     "elements being returned. If M is constant (e.g. always asking for the first 10 elements with "
     "LIMIT), you can consider it O(log(N)).",
     "key max min [LIMIT offset count]"},
    {"zrangestore",
     -5,
     kCmdWrite | kCmdDenyOom,
     kAclSortedSet,
     1,
     2,
     1,
     ZRangeStoreCmd,
     "sorted-set",
     "6.2.0",
     "Store a range of members from sorted set into another key",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
     "elements stored into the destination key.",
     "dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]",
     {},
     "OW update,RO access"},
    {"zlexcount", 4, kCmdReadonly | kCmdFast, kAclSortedSet, 1, 1, 1, ZLexCountCmd, "sorted-set",
     "2.8.9", "Count the number of members in a sorted set between a given lexicographical range",
     "O(log(N)) with N being the number of elements in the sorted set.", "key min max"},
    {"zremrangebyrank",
     4,
     kCmdWrite,
     kAclSortedSet,
     1,
     1,
     1,
     ZRemRangeByRankCmd,
     "sorted-set",
     "2.0.0",
     "Remove all members in a sorted set within the given indexes",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
     "elements removed by the operation.",
     "key start stop",
     {},
     "RW delete"},
    {"zremrangebyscore",
     4,
     kCmdWrite,
     kAclSortedSet,
     1,
     1,
     1,
     ZRemRangeByScoreCmd,
     "sorted-set",
     "1.2.0",
     "Remove all members in a sorted set within the given scores",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
     "elements removed by the operation.",
     "key min max",
     {},
     "RW delete"},
    {"zremrangebylex",
     4,
     kCmdWrite,
     kAclSortedSet,
     1,
     1,
     1,
     ZRemRangeByLexCmd,
     "sorted-set",
     "2.8.9",
     "Remove all members in a sorted set between the given lexicographical range",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
     "elements removed by the operation.",
     "key min max",
     {},
     "RW delete"},
    {"zpopmin",
     -2,
     kCmdWrite | kCmdFast,
     kAclSortedSet,
     1,
     1,
     1,
     ZPopMinCmd,
     "sorted-set",
     "5.0.0",
     "Remove and return members with the lowest scores in a sorted set",
     "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number "
     "of elements popped.",
     "key [count]",
     {},
     "RW access delete"},
    {"zpopmax",
     -2,
     kCmdWrite | kCmdFast,
     kAclSortedSet,
     1,
     1,
     1,
     ZPopMaxCmd,
     "sorted-set",
     "5.0.0",
     "Remove and return members with the highest scores in a sorted set",
     "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number "
     "of elements popped.",
     "key [count]",
     {},
     "RW access delete"},
    {"zmpop",
     -4,
     kCmdWrite,
     kAclSortedSet,
     0,
     0,
     0,
     ZMPopCmd,
     "sorted-set",
     "7.0.0",
     "Remove and return members with scores in a sorted set",
     "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements "
     "in the sorted set, and M being the number of elements popped.",
     "numkeys key [key ...] MIN|MAX [COUNT count]",
     {},
     "RW access delete",
     ZMPopKeys},
    {"zrandmember", -2, kCmdReadonly, kAclSortedSet, 1, 1, 1, ZRandMemberCmd, "sorted-set", "6.2.0",
     "Get one or multiple random elements from a sorted set",
     "O(N) where N is the number of elements returned", "key [count [WITHSCORES]]"},
    {"zscan", -3, kCmdReadonly, kAclSortedSet, 1, 1, 1, ZScanCmd, "sorted-set", "2.8.0",
     "Incrementally iterate sorted sets elements and associated scores",
     "O(1) for every call. O(N) for a complete iteration, including enough command calls for the "
     "cursor to return back to 0. N is the number of elements inside the collection..",
     "key cursor [MATCH pattern] [COUNT count]"},
};

}  // namespace

std::span<const CommandSpec> ZSetCommands() {
  return kCommands;
}

}  // namespace ordis
