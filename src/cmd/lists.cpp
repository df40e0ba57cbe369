// List commands: pushes and pops at both ends, ranges, indexes, LREM and
// LTRIM. Handlers parse, call kv/list_type, reply; argument checks and
// lookups come in Redis's order so the same request gets the same error.
#include <climits>
#include <string>

#include "cmd/args.h"
#include "cmd/families.h"
#include "kv/list_type.h"
#include "server/server.h"

namespace ordis {

namespace {

constexpr std::string_view kMustBePositive = "ERR value is out of range, must be positive";

void ReplyWrongArity(CommandContext& ctx) {
  ctx.reply.Error(std::string("ERR wrong number of arguments for '") + ctx.spec->name +
                  "' command");
}

void PushGeneric(CommandContext& ctx, ListEnd where, bool only_if_exists) {
  auto r = ListOps(ctx.db()).Push(ctx.arg(1), ctx.args.subspan(2), where, only_if_exists);
  if (ReplyIfError(ctx, r.status())) return;
  if (*r > 0) ctx.dirty += ctx.argc() - 2;
  ctx.reply.Integer(*r);
}

void LPushCmd(CommandContext& ctx) {
  PushGeneric(ctx, ListEnd::kHead, false);
}
void RPushCmd(CommandContext& ctx) {
  PushGeneric(ctx, ListEnd::kTail, false);
}
void LPushXCmd(CommandContext& ctx) {
  PushGeneric(ctx, ListEnd::kHead, true);
}
void RPushXCmd(CommandContext& ctx) {
  PushGeneric(ctx, ListEnd::kTail, true);
}

// LPOP/RPOP key [count]: a bulk string without count, an array with it.
void PopGeneric(CommandContext& ctx, ListEnd where) {
  if (ctx.argc() > 3) return ReplyWrongArity(ctx);
  bool has_count = ctx.argc() == 3;
  int64_t count = 1;
  if (has_count && !ArgIntRange(ctx, 2, 0, LLONG_MAX, &count, kMustBePositive)) return;
  auto r = ListOps(ctx.db()).Pop(ctx.arg(1), where, count);
  if (r.status() == OpStatus::kNotFound)
    return has_count ? ctx.reply.NullArray() : ctx.reply.Null();
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += r->size();
  if (!has_count) return ctx.reply.Bulk(r->front());
  ctx.reply.ArrayHeader(static_cast<int64_t>(r->size()));
  for (const std::string& s : *r) ctx.reply.Bulk(s);
}

void LPopCmd(CommandContext& ctx) {
  PopGeneric(ctx, ListEnd::kHead);
}
void RPopCmd(CommandContext& ctx) {
  PopGeneric(ctx, ListEnd::kTail);
}

void LRangeCmd(CommandContext& ctx) {
  int64_t start, end;
  if (!ArgInt(ctx, 2, &start) || !ArgInt(ctx, 3, &end)) return;
  auto r = ListOps(ctx.db()).Range(ctx.arg(1), start, end);
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.ArrayHeader(static_cast<int64_t>(r->size()));
  for (std::string_view s : *r) ctx.reply.Bulk(s);
}

void LLenCmd(CommandContext& ctx) {
  auto r = ListOps(ctx.db()).Len(ctx.arg(1));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.Integer(*r);
}

void LIndexCmd(CommandContext& ctx) {
  auto r = ListOps(ctx.db()).Index(ctx.arg(1), ctx.arg(2));
  if (r.status() == OpStatus::kNotFound) return ctx.reply.Null();
  if (ReplyIfError(ctx, r.status())) return;
  if (!r->has_value()) return ctx.reply.Null();
  ctx.reply.Bulk(**r);
}

void LSetCmd(CommandContext& ctx) {
  OpStatus s = ListOps(ctx.db()).Set(ctx.arg(1), ctx.arg(2), ctx.arg(3));
  if (ReplyIfError(ctx, s)) return;
  ++ctx.dirty;
  ctx.reply.Ok();
}

void LRemCmd(CommandContext& ctx) {
  int64_t count;
  if (!ArgInt(ctx, 2, &count)) return;
  auto r = ListOps(ctx.db()).Remove(ctx.arg(1), count, ctx.arg(3));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += *r;
  ctx.reply.Integer(*r);
}

void LTrimCmd(CommandContext& ctx) {
  int64_t start, end;
  if (!ArgInt(ctx, 2, &start) || !ArgInt(ctx, 3, &end)) return;
  auto r = ListOps(ctx.db()).Trim(ctx.arg(1), start, end);
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += *r;
  ctx.reply.Ok();
}

constexpr CommandSpec kCommands[] = {
    {"lpush",
     -3,
     kCmdWrite | kCmdDenyOom | kCmdFast,
     kAclList,
     1,
     1,
     1,
     LPushCmd,
     "list",
     "1.0.0",
     "Prepend one or multiple elements to a list",
     "O(1) for each element added, so O(N) to add N elements when the command is called with "
     "multiple arguments.",
     "key element [element ...]",
     {},
     "RW insert"},
    {"rpush",
     -3,
     kCmdWrite | kCmdDenyOom | kCmdFast,
     kAclList,
     1,
     1,
     1,
     RPushCmd,
     "list",
     "1.0.0",
     "Append one or multiple elements to a list",
     "O(1) for each element added, so O(N) to add N elements when the command is called with "
     "multiple arguments.",
     "key element [element ...]",
     {},
     "RW insert"},
    {"lpushx",
     -3,
     kCmdWrite | kCmdDenyOom | kCmdFast,
     kAclList,
     1,
     1,
     1,
     LPushXCmd,
     "list",
     "2.2.0",
     "Prepend an element to a list, only if the list exists",
     "O(1) for each element added, so O(N) to add N elements when the command is called with "
     "multiple arguments.",
     "key element [element ...]",
     {},
     "RW insert"},
    {"rpushx",
     -3,
     kCmdWrite | kCmdDenyOom | kCmdFast,
     kAclList,
     1,
     1,
     1,
     RPushXCmd,
     "list",
     "2.2.0",
     "Append an element to a list, only if the list exists",
     "O(1) for each element added, so O(N) to add N elements when the command is called with "
     "multiple arguments.",
     "key element [element ...]",
     {},
     "RW insert"},
    {"lpop",
     -2,
     kCmdWrite | kCmdFast,
     kAclList,
     1,
     1,
     1,
     LPopCmd,
     "list",
     "1.0.0",
     "Remove and get the first elements in a list",
     "O(N) where N is the number of elements returned",
     "key [count]",
     {},
     "RW access delete"},
    {"rpop",
     -2,
     kCmdWrite | kCmdFast,
     kAclList,
     1,
     1,
     1,
     RPopCmd,
     "list",
     "1.0.0",
     "Remove and get the last elements in a list",
     "O(N) where N is the number of elements returned",
     "key [count]",
     {},
     "RW access delete"},
    {"lrange", 4, kCmdReadonly, kAclList, 1, 1, 1, LRangeCmd, "list", "1.0.0",
     "Get a range of elements from a list",
     "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end "
     "(HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
     "key start stop"},
    {"llen",
     2,
     kCmdReadonly | kCmdFast,
     kAclList,
     1,
     1,
     1,
     LLenCmd,
     "list",
     "1.0.0",
     "Get the length of a list",
     "O(1)",
     "key",
     {},
     "RO"},
    {"lindex", 3, kCmdReadonly, kAclList, 1, 1, 1, LIndexCmd, "list", "1.0.0",
     "Get an element from a list by its index",
     "O(N) where N is the number of elements to traverse to get to the element at index. This "
     "makes asking for the first or the last element of the list O(1).",
     "key index"},
    {"lset",
     4,
     kCmdWrite | kCmdDenyOom,
     kAclList,
     1,
     1,
     1,
     LSetCmd,
     "list",
     "1.0.0",
     "Set the value of an element in a list by its index",
     "O(N) where N is the length of the list. Setting either the first or the last element of the "
     "list is O(1).",
     "key index element",
     {},
     "RW update"},
    {"lrem",
     4,
     kCmdWrite,
     kAclList,
     1,
     1,
     1,
     LRemCmd,
     "list",
     "1.0.0",
     "Remove elements from a list",
     "O(N+M) where N is the length of the list and M is the number of elements removed.",
     "key count element",
     {},
     "RW delete"},
    {"ltrim",
     4,
     kCmdWrite,
     kAclList,
     1,
     1,
     1,
     LTrimCmd,
     "list",
     "1.0.0",
     "Trim a list to the specified range",
     "O(N) where N is the number of elements to be removed by the operation.",
     "key start stop",
     {},
     "RW delete"},
};

}  // namespace

std::span<const CommandSpec> ListCommands() {
  return kCommands;
}

}  // namespace ordis
