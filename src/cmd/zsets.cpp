// Sorted set commands: ZADD/ZINCRBY, ZREM, scores, ranks, ZCOUNT and the
// ZRANGE family (by rank, score or lex, forward or reverse, with LIMIT and
// WITHSCORES). Handlers parse, call kv/zset_type, reply; argument checks
// and lookups come in Redis's order.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "cmd/args.h"
#include "cmd/families.h"
#include "kv/zset_type.h"
#include "server/server.h"

namespace ordis {

namespace {

EncodingLimits Limits(CommandContext& ctx) {
  ConfigRegistry* reg = &ctx.server.config_registry();
  return EncodingLimits([reg](std::string_view name) { return reg->GetOne(name); });
}

// A score argument, as Redis's getDoubleFromObject reads it: strtod over
// the whole string, no leading space, no NaN, no overflow ("1e999") or
// underflow to zero; "inf" itself is fine.
bool ParseScore(std::string_view s, double* out) {
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
    if (!ParseScore(ctx.arg(idx + 2 * j), &scores[j])) return ctx.reply.Error(err::kNotFloat);
    members[j] = ctx.arg(idx + 2 * j + 1);
  }
  EncodingLimits limits = Limits(ctx);
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
  EncodingLimits limits = Limits(ctx);
  auto r = ZSetOps(ctx.db(), limits).Remove(ctx.arg(1), ctx.args.subspan(2));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += *r;
  ctx.reply.Integer(*r);
}

void ZCardCmd(CommandContext& ctx) {
  EncodingLimits limits = Limits(ctx);
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
  EncodingLimits limits = Limits(ctx);
  auto r = ZSetOps(ctx.db(), limits).Scores(ctx.arg(1), ctx.args.subspan(2, 1));
  if (ReplyIfError(ctx, r.status())) return;
  ReplyScore(ctx, (*r)[0]);
}

void ZMScoreCmd(CommandContext& ctx) {
  EncodingLimits limits = Limits(ctx);
  auto r = ZSetOps(ctx.db(), limits).Scores(ctx.arg(1), ctx.args.subspan(2));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.ArrayHeader(static_cast<int64_t>(r->size()));
  for (const auto& s : *r) ReplyScore(ctx, s);
}

void RankGeneric(CommandContext& ctx, bool reverse) {
  EncodingLimits limits = Limits(ctx);
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
  EncodingLimits limits = Limits(ctx);
  auto r = ZSetOps(ctx.db(), limits).Count(ctx.arg(1), range);
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.Integer(*r);
}

enum class RangeType { kAuto, kRank, kScore, kLex };
enum class Direction { kAuto, kForward, kReverse };

// ZRANGE key min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
// [WITHSCORES], and the older commands that fix the type or direction
// (which then cannot be given as options).
void RangeGeneric(CommandContext& ctx, RangeType type, Direction dir) {
  bool withscores = false;
  int64_t offset = 0, limit = -1;
  for (size_t j = 4; j < ctx.argc(); ++j) {
    size_t left = ctx.argc() - j - 1;
    if (ArgIs(ctx, j, "withscores")) {
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
  size_t min_idx = 2, max_idx = 3;
  if (reverse && type != RangeType::kRank) std::swap(min_idx, max_idx);

  EncodingLimits limits = Limits(ctx);
  ZSetOps ops(ctx.db(), limits);
  OpResult<std::vector<ZRangeItem>> r = std::vector<ZRangeItem>{};
  switch (type) {
    case RangeType::kScore: {
      ZScoreRange range;
      if (!ZScoreRange::Parse(ctx.arg(min_idx), ctx.arg(max_idx), &range))
        return ctx.reply.Error("ERR min or max is not a float");
      r = ops.RangeByScore(ctx.arg(1), range, offset, limit, reverse);
      break;
    }
    case RangeType::kLex: {
      ZLexRange range;
      if (!ZLexRange::Parse(ctx.arg(min_idx), ctx.arg(max_idx), &range))
        return ctx.reply.Error("ERR min or max not valid string range item");
      r = ops.RangeByLex(ctx.arg(1), range, offset, limit, reverse);
      break;
    }
    default: {
      int64_t start, end;
      if (!ArgInt(ctx, min_idx, &start) || !ArgInt(ctx, max_idx, &end)) return;
      r = ops.RangeByRank(ctx.arg(1), start, end, reverse);
      break;
    }
  }
  if (ReplyIfError(ctx, r.status())) return;
  // WITHSCORES: a flat array in RESP2, [member, score] pairs in RESP3.
  auto n = static_cast<int64_t>(r->size());
  bool nested = withscores && ctx.reply.resp3();
  ctx.reply.ArrayHeader(withscores && !nested ? 2 * n : n);
  for (const ZRangeItem& it : *r) {
    if (nested) ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(it.member);
    if (withscores) ctx.reply.Double(it.score);
  }
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
};

}  // namespace

std::span<const CommandSpec> ZSetCommands() {
  return kCommands;
}

}  // namespace ordis
