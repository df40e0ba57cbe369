// Hash commands: HSET and friends, field reads, HDEL, HGETALL/HKEYS/HVALS
// and the HINCRBY counters. Handlers parse, call kv/hash_type, reply;
// argument checks and lookups come in Redis's order.
#include <cmath>
#include <string>

#include "cmd/args.h"
#include "cmd/families.h"
#include "kv/hash_type.h"
#include "server/server.h"

namespace ordis {

namespace {

void ReplyOptional(CommandContext& ctx, const std::optional<std::string_view>& v) {
  if (v) {
    ctx.reply.Bulk(*v);
  } else {
    ctx.reply.Null();
  }
}

// HSET (replies with the number of new fields) and HMSET (replies OK).
void SetGeneric(CommandContext& ctx, bool hmset) {
  if (ctx.argc() % 2 == 1) {
    return ctx.reply.Error(std::string("ERR wrong number of arguments for '") + ctx.spec->name +
                           "' command");
  }
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = HashOps(ctx.db(), limits).Set(ctx.arg(1), ctx.args.subspan(2));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += (ctx.argc() - 2) / 2;
  if (hmset) return ctx.reply.Ok();
  ctx.reply.Integer(*r);
}

void HSetCmd(CommandContext& ctx) {
  SetGeneric(ctx, false);
}
void HMSetCmd(CommandContext& ctx) {
  SetGeneric(ctx, true);
}

void HSetNxCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = HashOps(ctx.db(), limits).SetIfMissing(ctx.arg(1), ctx.arg(2), ctx.arg(3));
  if (ReplyIfError(ctx, r.status())) return;
  if (*r) ++ctx.dirty;
  ctx.reply.Integer(*r ? 1 : 0);
}

void HGetCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = HashOps(ctx.db(), limits).Get(ctx.arg(1), ctx.arg(2));
  if (r.status() == OpStatus::kNotFound) return ctx.reply.Null();
  if (ReplyIfError(ctx, r.status())) return;
  ReplyOptional(ctx, *r);
}

void HMGetCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = HashOps(ctx.db(), limits).MGet(ctx.arg(1), ctx.args.subspan(2));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.ArrayHeader(static_cast<int64_t>(r->size()));
  for (const auto& v : *r) ReplyOptional(ctx, v);
}

void HDelCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = HashOps(ctx.db(), limits).Delete(ctx.arg(1), ctx.args.subspan(2));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += *r;
  ctx.reply.Integer(*r);
}

void HLenCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = HashOps(ctx.db(), limits).Len(ctx.arg(1));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.Integer(*r);
}

void HExistsCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = HashOps(ctx.db(), limits).Exists(ctx.arg(1), ctx.arg(2));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.Integer(*r ? 1 : 0);
}

void HStrLenCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = HashOps(ctx.db(), limits).StrLen(ctx.arg(1), ctx.arg(2));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.Integer(*r);
}

// HGETALL replies with a map (RESP3), HKEYS and HVALS with arrays.
void GetAllGeneric(CommandContext& ctx, bool keys, bool values) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = HashOps(ctx.db(), limits).GetAll(ctx.arg(1));
  if (ReplyIfError(ctx, r.status())) return;
  auto n = static_cast<int64_t>(r->size());
  if (keys && values) {
    ctx.reply.MapHeader(n);
  } else {
    ctx.reply.ArrayHeader(n);
  }
  for (const auto& [f, v] : *r) {
    if (keys) ctx.reply.Bulk(f);
    if (values) ctx.reply.Bulk(v);
  }
}

void HGetAllCmd(CommandContext& ctx) {
  GetAllGeneric(ctx, true, true);
}
void HKeysCmd(CommandContext& ctx) {
  GetAllGeneric(ctx, true, false);
}
void HValsCmd(CommandContext& ctx) {
  GetAllGeneric(ctx, false, true);
}

void HIncrByCmd(CommandContext& ctx) {
  int64_t delta;
  if (!ArgInt(ctx, 3, &delta)) return;
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = HashOps(ctx.db(), limits).IncrBy(ctx.arg(1), ctx.arg(2), delta);
  if (r.status() == OpStatus::kNotInteger)
    return ctx.reply.Error("ERR hash value is not an integer");
  if (ReplyIfError(ctx, r.status())) return;
  ++ctx.dirty;
  ctx.reply.Integer(*r);
}

void HIncrByFloatCmd(CommandContext& ctx) {
  long double delta;
  if (!ParseLongDouble(ctx.arg(3), &delta)) return ctx.reply.Error(err::kNotFloat);
  if (std::isnan(delta) || std::isinf(delta))
    return ctx.reply.Error("ERR value is NaN or Infinity");
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = HashOps(ctx.db(), limits).IncrByFloat(ctx.arg(1), ctx.arg(2), delta);
  if (r.status() == OpStatus::kNotFloat) return ctx.reply.Error("ERR hash value is not a float");
  if (ReplyIfError(ctx, r.status())) return;
  ++ctx.dirty;
  ctx.reply.Bulk(*r);
}

constexpr CommandSpec kCommands[] = {
    {"hset",
     -4,
     kCmdWrite | kCmdDenyOom | kCmdFast,
     kAclHash,
     1,
     1,
     1,
     HSetCmd,
     "hash",
     "2.0.0",
     "Set the string value of a hash field",
     "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is "
     "called with multiple field/value pairs.",
     "key field value [field value ...]",
     {},
     "RW update"},
    {"hsetnx",
     4,
     kCmdWrite | kCmdDenyOom | kCmdFast,
     kAclHash,
     1,
     1,
     1,
     HSetNxCmd,
     "hash",
     "2.0.0",
     "Set the value of a hash field, only if the field does not exist",
     "O(1)",
     "key field value",
     {},
     "RW insert"},
    {"hmset",
     -4,
     kCmdWrite | kCmdDenyOom | kCmdFast,
     kAclHash,
     1,
     1,
     1,
     HMSetCmd,
     "hash",
     "2.0.0",
     "Set multiple hash fields to multiple values",
     "O(N) where N is the number of fields being set.",
     "key field value [field value ...]",
     {},
     "RW update"},
    {"hget", 3, kCmdReadonly | kCmdFast, kAclHash, 1, 1, 1, HGetCmd, "hash", "2.0.0",
     "Get the value of a hash field", "O(1)", "key field"},
    {"hmget", -3, kCmdReadonly | kCmdFast, kAclHash, 1, 1, 1, HMGetCmd, "hash", "2.0.0",
     "Get the values of all the given hash fields",
     "O(N) where N is the number of fields being requested.", "key field [field ...]"},
    {"hdel",
     -3,
     kCmdWrite | kCmdFast,
     kAclHash,
     1,
     1,
     1,
     HDelCmd,
     "hash",
     "2.0.0",
     "Delete one or more hash fields",
     "O(N) where N is the number of fields to be removed.",
     "key field [field ...]",
     {},
     "RW delete"},
    {"hlen",
     2,
     kCmdReadonly | kCmdFast,
     kAclHash,
     1,
     1,
     1,
     HLenCmd,
     "hash",
     "2.0.0",
     "Get the number of fields in a hash",
     "O(1)",
     "key",
     {},
     "RO"},
    {"hexists",
     3,
     kCmdReadonly | kCmdFast,
     kAclHash,
     1,
     1,
     1,
     HExistsCmd,
     "hash",
     "2.0.0",
     "Determine if a hash field exists",
     "O(1)",
     "key field",
     {},
     "RO"},
    {"hgetall", 2, kCmdReadonly, kAclHash, 1, 1, 1, HGetAllCmd, "hash", "2.0.0",
     "Get all the fields and values in a hash", "O(N) where N is the size of the hash.", "key"},
    {"hkeys", 2, kCmdReadonly, kAclHash, 1, 1, 1, HKeysCmd, "hash", "2.0.0",
     "Get all the fields in a hash", "O(N) where N is the size of the hash.", "key"},
    {"hvals", 2, kCmdReadonly, kAclHash, 1, 1, 1, HValsCmd, "hash", "2.0.0",
     "Get all the values in a hash", "O(N) where N is the size of the hash.", "key"},
    {"hincrby", 4, kCmdWrite | kCmdDenyOom | kCmdFast, kAclHash, 1, 1, 1, HIncrByCmd, "hash",
     "2.0.0", "Increment the integer value of a hash field by the given number", "O(1)",
     "key field increment"},
    {"hincrbyfloat", 4, kCmdWrite | kCmdDenyOom | kCmdFast, kAclHash, 1, 1, 1, HIncrByFloatCmd,
     "hash", "2.6.0", "Increment the float value of a hash field by the given amount", "O(1)",
     "key field increment"},
    {"hstrlen",
     3,
     kCmdReadonly | kCmdFast,
     kAclHash,
     1,
     1,
     1,
     HStrLenCmd,
     "hash",
     "3.2.0",
     "Get the length of the value of a hash field",
     "O(1)",
     "key field",
     {},
     "RO"},
};

}  // namespace

std::span<const CommandSpec> HashCommands() {
  return kCommands;
}

}  // namespace ordis
