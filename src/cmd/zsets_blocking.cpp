// Blocking sorted-set pops: BZPOPMIN, BZPOPMAX, BZMPOP. Each pops at once
// (through ZSetOps, like ZPOPMIN/ZMPOP) when a key has members; otherwise
// it replies a null array inside MULTI/EXEC or waits in server/blocking.h
// until a ZADD (or any write) fills one of its keys.
#include <cstdint>
#include <string>

#include "cmd/args.h"
#include "cmd/families.h"
#include "kv/zset_type.h"
#include "server/blocking.h"
#include "server/server.h"

namespace ordis {

namespace {

bool IsMax(const CommandContext& ctx) {
  return EqualsNoCase(ctx.spec->name, "bzpopmax");
}

// BZPOPMIN/BZPOPMAX reply: [key, member, score].
void ReplyFlat(CommandContext& ctx, std::string_view key, const ZScored& it) {
  ctx.reply.ArrayHeader(3);
  ctx.reply.Bulk(key);
  ctx.reply.Bulk(it.member);
  ctx.reply.Double(it.score);
}

// BZMPOP reply: [key, [[member, score], ...]].
void ReplyNested(CommandContext& ctx, std::string_view key, const std::vector<ZScored>& items) {
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(key);
  ctx.reply.ArrayHeader(static_cast<int64_t>(items.size()));
  for (const ZScored& it : items) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(it.member);
    ctx.reply.Double(it.score);
  }
}

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count], parsed in
// Redis's order (numkeys, side, COUNT; the timeout after them).
struct MPopArgs {
  std::span<const std::string_view> keys;
  bool max = false;
  int64_t count = 1;
};

bool ParseBZMPop(CommandContext& ctx, MPopArgs* out) {
  int64_t numkeys;
  if (!ArgIntRange(ctx, 2, 1, INT64_MAX, &numkeys, "ERR numkeys should be greater than 0"))
    return false;
  if (static_cast<uint64_t>(numkeys) >= ctx.argc() - 3) {
    ctx.reply.Error(err::kSyntax);
    return false;
  }
  size_t where_idx = 3 + static_cast<size_t>(numkeys);
  if (ArgIs(ctx, where_idx, "min")) {
    out->max = false;
  } else if (ArgIs(ctx, where_idx, "max")) {
    out->max = true;
  } else {
    ctx.reply.Error(err::kSyntax);
    return false;
  }
  bool has_count = false;
  for (size_t j = where_idx + 1; j < ctx.argc(); ++j) {
    if (!has_count && ArgIs(ctx, j, "count") && j + 1 < ctx.argc()) {
      has_count = true;
      if (!ArgIntRange(ctx, ++j, 1, INT64_MAX, &out->count, "ERR count should be greater than 0"))
        return false;
    } else {
      ctx.reply.Error(err::kSyntax);
      return false;
    }
  }
  out->keys = ctx.args.subspan(3, static_cast<size_t>(numkeys));
  return true;
}

// Serving a blocked client (BlockingRegistry::ServeFn): the saved
// arguments were validated when it blocked.
bool ServeBZPop(CommandContext& ctx, std::string_view key) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).Pop(key, IsMax(ctx), 1);
  if (!r.ok() || r->empty()) return false;  // gone, or not a sorted set: keep waiting
  ctx.dirty += r->size();
  ReplyFlat(ctx, key, r->front());
  return true;
}

bool ServeBZMPop(CommandContext& ctx, std::string_view key) {
  MPopArgs a;
  if (!ParseBZMPop(ctx, &a)) return true;
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).Pop(key, a.max, static_cast<uint64_t>(a.count));
  if (!r.ok() || r->empty()) return false;
  ctx.dirty += r->size();
  ReplyNested(ctx, key, *r);
  return true;
}

// BZPOPMIN/BZPOPMAX key [key ...] timeout
void BZPopCmd(CommandContext& ctx) {
  int64_t deadline;
  if (!ArgBlockTimeout(ctx, ctx.argc() - 1, &deadline)) return;
  auto keys = ctx.args.subspan(1, ctx.argc() - 2);
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).PopFirst(keys, IsMax(ctx), 1);
  if (r.ok()) {
    ctx.dirty += r->items.size();
    return ReplyFlat(ctx, keys[r->key_index], r->items.front());
  }
  if (r.status() != OpStatus::kNotFound) return (void)ReplyIfError(ctx, r.status());
  if (ctx.client.in_multi()) return ctx.reply.NullArray();
  ctx.server.blocking().Block(ctx, keys, deadline, ServeBZPop);
}

void BZMPopCmd(CommandContext& ctx) {
  MPopArgs a;
  if (!ParseBZMPop(ctx, &a)) return;
  int64_t deadline;
  if (!ArgBlockTimeout(ctx, 1, &deadline)) return;
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = ZSetOps(ctx.db(), limits).PopFirst(a.keys, a.max, static_cast<uint64_t>(a.count));
  if (r.ok()) {
    ctx.dirty += r->items.size();
    return ReplyNested(ctx, a.keys[r->key_index], r->items);
  }
  if (r.status() != OpStatus::kNotFound) return (void)ReplyIfError(ctx, r.status());
  if (ctx.client.in_multi()) return ctx.reply.NullArray();
  ctx.server.blocking().Block(ctx, a.keys, deadline, ServeBZMPop);
}

// BZMPOP's keys: numkeys of them after numkeys (none when numkeys is not a
// count of keys that are there).
std::vector<KeyRef> BZMPopKeys(ArgList args) {
  std::vector<KeyRef> keys;
  int64_t n;
  if (args.size() <= 3 || !ParseInt64(args[2], &n) || n < 1 ||
      static_cast<uint64_t>(n) > args.size() - 3) {
    return keys;
  }
  for (int64_t i = 0; i < n; ++i) keys.push_back({3 + static_cast<size_t>(i), "RW access delete"});
  return keys;
}

constexpr CommandSpec kCommands[] = {
    {"bzpopmin",
     -3,
     kCmdWrite | kCmdNoscript | kCmdBlocking | kCmdFast,
     kAclSortedSet,
     1,
     -2,
     1,
     BZPopCmd,
     "sorted-set",
     "5.0.0",
     "Remove and return the member with the lowest score from one or more sorted sets, or block "
     "until one is available",
     "O(log(N)) with N being the number of elements in the sorted set.",
     "key [key ...] timeout",
     {},
     "RW access delete"},
    {"bzpopmax",
     -3,
     kCmdWrite | kCmdNoscript | kCmdBlocking | kCmdFast,
     kAclSortedSet,
     1,
     -2,
     1,
     BZPopCmd,
     "sorted-set",
     "5.0.0",
     "Remove and return the member with the highest score from one or more sorted sets, or block "
     "until one is available",
     "O(log(N)) with N being the number of elements in the sorted set.",
     "key [key ...] timeout",
     {},
     "RW access delete"},
    {"bzmpop",
     -5,
     kCmdWrite | kCmdBlocking,
     kAclSortedSet,
     0,
     0,
     0,
     BZMPopCmd,
     "sorted-set",
     "7.0.0",
     "Remove and return members with scores in a sorted set or block until one is available",
     "O(K) + O(N*log(M)) where K is the number of provided keys, N being the number of elements "
     "in the sorted set, and M being the number of elements popped.",
     "timeout numkeys key [key ...] MIN|MAX [COUNT count]",
     {},
     "RW access delete",
     BZMPopKeys},
};

}  // namespace

std::span<const CommandSpec> ZSetBlockingCommands() {
  return kCommands;
}

}  // namespace ordis
