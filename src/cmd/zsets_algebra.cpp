// Sorted set algebra: ZUNION, ZINTER, ZDIFF, their STORE forms and
// ZINTERCARD. Inputs may be sorted sets or sets (members scoring 1), as in
// Redis. The order of checks follows Redis's zunionInterDiffGenericCommand:
// numkeys, then the key lookups (WRONGTYPE), then the options.
#include <string>
#include <vector>

#include "cmd/args.h"
#include "cmd/families.h"
#include "kv/zset_type.h"
#include "server/server.h"

namespace ordis {

namespace {

enum class SetOp { kUnion, kInter, kDiff };

// [dst] numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX]
// [WITHSCORES] / [LIMIT limit]. store: the destination is args[1];
// card_only: ZINTERCARD.
void AlgebraGeneric(CommandContext& ctx, SetOp op, bool store, bool card_only = false) {
  const size_t numkeys_idx = store ? 2 : 1;
  int64_t setnum;
  if (!ArgInt(ctx, numkeys_idx, &setnum)) return;
  if (setnum < 1) {
    return ctx.reply.Error(std::string("ERR at least 1 input key is needed for '") +
                           ctx.spec->name + "' command");
  }
  if (setnum > static_cast<int64_t>(ctx.argc() - numkeys_idx - 1))
    return ctx.reply.Error(err::kSyntax);

  auto keys = ctx.args.subspan(numkeys_idx + 1, static_cast<size_t>(setnum));
  EncodingLimits limits = ctx.server.encoding_limits();
  ZSetOps ops(ctx.db(), limits);
  auto opened = ops.OpenInputs(keys);
  if (ReplyIfError(ctx, opened.status())) return;
  std::vector<ZSetOps::Input> inputs = std::move(opened.value());

  auto agg = ZSetOps::Aggregate::kSum;
  bool withscores = false;
  int64_t limit = 0;
  const auto n = static_cast<size_t>(setnum);
  for (size_t j = numkeys_idx + 1 + n; j < ctx.argc();) {
    size_t remaining = ctx.argc() - j;
    bool weighted = op != SetOp::kDiff && !card_only;
    if (weighted && remaining >= n + 1 && ArgIs(ctx, j, "weights")) {
      ++j;
      for (size_t i = 0; i < n; ++i, ++j) {
        if (!ParseZScore(ctx.arg(j), &inputs[i].weight))
          return ctx.reply.Error("ERR weight value is not a float");
      }
    } else if (weighted && remaining >= 2 && ArgIs(ctx, j, "aggregate")) {
      if (ArgIs(ctx, j + 1, "sum")) {
        agg = ZSetOps::Aggregate::kSum;
      } else if (ArgIs(ctx, j + 1, "min")) {
        agg = ZSetOps::Aggregate::kMin;
      } else if (ArgIs(ctx, j + 1, "max")) {
        agg = ZSetOps::Aggregate::kMax;
      } else {
        return ctx.reply.Error(err::kSyntax);
      }
      j += 2;
    } else if (!store && !card_only && ArgIs(ctx, j, "withscores")) {
      withscores = true;
      ++j;
    } else if (card_only && remaining >= 2 && ArgIs(ctx, j, "limit")) {
      if (!ArgIntRange(ctx, j + 1, 0, INT64_MAX, &limit, "ERR LIMIT can't be negative")) return;
      j += 2;
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
  }

  if (card_only) return ctx.reply.Integer(ZSetOps::InterCard(std::move(inputs), limit));
  std::vector<ZScored> result;
  switch (op) {
    case SetOp::kUnion:
      result = ZSetOps::Union(std::move(inputs), agg);
      break;
    case SetOp::kInter:
      result = ZSetOps::Inter(std::move(inputs), agg);
      break;
    case SetOp::kDiff:
      result = ZSetOps::Diff(inputs);
      break;
  }
  if (store) {
    std::vector<ZRangeItem> items;
    items.reserve(result.size());
    for (const ZScored& it : result) items.push_back({it.member, it.score});
    // Written, or deleted when the result is empty (if it existed).
    if (ops.Store(ctx.arg(1), items)) ++ctx.dirty;
    return ctx.reply.Integer(static_cast<int64_t>(result.size()));
  }
  // WITHSCORES: a flat array in RESP2, [member, score] pairs in RESP3.
  auto len = static_cast<int64_t>(result.size());
  bool nested = withscores && ctx.reply.resp3();
  ctx.reply.ArrayHeader(withscores && !nested ? 2 * len : len);
  for (const ZScored& it : result) {
    if (nested) ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(it.member);
    if (withscores) ctx.reply.Double(it.score);
  }
}

void ZUnionStoreCmd(CommandContext& ctx) {
  AlgebraGeneric(ctx, SetOp::kUnion, true);
}
void ZInterStoreCmd(CommandContext& ctx) {
  AlgebraGeneric(ctx, SetOp::kInter, true);
}
void ZDiffStoreCmd(CommandContext& ctx) {
  AlgebraGeneric(ctx, SetOp::kDiff, true);
}
void ZUnionCmd(CommandContext& ctx) {
  AlgebraGeneric(ctx, SetOp::kUnion, false);
}
void ZInterCmd(CommandContext& ctx) {
  AlgebraGeneric(ctx, SetOp::kInter, false);
}
void ZDiffCmd(CommandContext& ctx) {
  AlgebraGeneric(ctx, SetOp::kDiff, false);
}
void ZInterCardCmd(CommandContext& ctx) {
  AlgebraGeneric(ctx, SetOp::kInter, false, true);
}

// Keys of "[dst] numkeys key ...": as Redis's key specs find them, none at
// all when numkeys is not a count of keys that are there (COMMAND GETKEYS
// then reports invalid arguments).
std::vector<KeyRef> NumkeysKeys(ArgList args, size_t numkeys_idx) {
  std::vector<KeyRef> keys;
  int64_t n;
  size_t first = numkeys_idx + 1;
  if (args.size() <= numkeys_idx || !ParseInt64(args[numkeys_idx], &n) || n < 1 ||
      n > static_cast<int64_t>(args.size() - first)) {
    return keys;
  }
  if (numkeys_idx == 2) keys.push_back({1, "OW update"});
  for (int64_t i = 0; i < n; ++i) keys.push_back({first + static_cast<size_t>(i), "RO access"});
  return keys;
}

std::vector<KeyRef> StoreKeys(ArgList args) {
  return NumkeysKeys(args, 2);
}
std::vector<KeyRef> ReadKeys(ArgList args) {
  return NumkeysKeys(args, 1);
}

constexpr CommandSpec kCommands[] = {
    {"zunionstore",
     -4,
     kCmdWrite | kCmdDenyOom,
     kAclSortedSet,
     1,
     1,
     1,
     ZUnionStoreCmd,
     "sorted-set",
     "2.0.0",
     "Add multiple sorted sets and store the resulting sorted set in a new key",
     "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the "
     "number of elements in the resulting sorted set.",
     "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]",
     {},
     "OW update",
     StoreKeys},
    {"zinterstore",
     -4,
     kCmdWrite | kCmdDenyOom,
     kAclSortedSet,
     1,
     1,
     1,
     ZInterStoreCmd,
     "sorted-set",
     "2.0.0",
     "Intersect multiple sorted sets and store the resulting sorted set in a new key",
     "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number "
     "of input sorted sets and M being the number of elements in the resulting sorted set.",
     "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]",
     {},
     "OW update",
     StoreKeys},
    {"zdiffstore",
     -4,
     kCmdWrite | kCmdDenyOom,
     kAclSortedSet,
     1,
     1,
     1,
     ZDiffStoreCmd,
     "sorted-set",
     "6.2.0",
     "Subtract multiple sorted sets and store the resulting sorted set in a new key",
     "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is "
     "the size of the first set, and K is the size of the result set.",
     "destination numkeys key [key ...]",
     {},
     "OW update",
     StoreKeys},
    {"zunion",
     -3,
     kCmdReadonly,
     kAclSortedSet,
     0,
     0,
     0,
     ZUnionCmd,
     "sorted-set",
     "6.2.0",
     "Add multiple sorted sets",
     "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the "
     "number of elements in the resulting sorted set.",
     "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]",
     {},
     "RO access",
     ReadKeys},
    {"zinter",
     -3,
     kCmdReadonly,
     kAclSortedSet,
     0,
     0,
     0,
     ZInterCmd,
     "sorted-set",
     "6.2.0",
     "Intersect multiple sorted sets",
     "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number "
     "of input sorted sets and M being the number of elements in the resulting sorted set.",
     "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]",
     {},
     "RO access",
     ReadKeys},
    {"zdiff",
     -3,
     kCmdReadonly,
     kAclSortedSet,
     0,
     0,
     0,
     ZDiffCmd,
     "sorted-set",
     "6.2.0",
     "Subtract multiple sorted sets",
     "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is "
     "the size of the first set, and K is the size of the result set.",
     "numkeys key [key ...] [WITHSCORES]",
     {},
     "RO access",
     ReadKeys},
    {"zintercard",
     -3,
     kCmdReadonly,
     kAclSortedSet,
     0,
     0,
     0,
     ZInterCardCmd,
     "sorted-set",
     "7.0.0",
     "Intersect multiple sorted sets and return the cardinality of the result",
     "O(N*K) worst case with N being the smallest input sorted set, K being the number of input "
     "sorted sets.",
     "numkeys key [key ...] [LIMIT limit]",
     {},
     "RO access",
     ReadKeys},
};

}  // namespace

std::span<const CommandSpec> ZSetAlgebraCommands() {
  return kCommands;
}

}  // namespace ordis
