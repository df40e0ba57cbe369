// Set commands: SADD, SREM, membership, cardinality and random members
// (SRANDMEMBER, SPOP). Handlers parse, call kv/set_type, reply; argument
// checks and lookups come in Redis's order.
#include <climits>
#include <string>

#include "cmd/args.h"
#include "cmd/families.h"
#include "kv/set_type.h"
#include "server/server.h"

namespace ordis {

namespace {

SetOps Ops(CommandContext& ctx, const EncodingLimits& limits) {
  return SetOps(ctx.db(), limits);
}

void ReplyMembers(CommandContext& ctx, const std::vector<std::string>& members, bool as_set) {
  auto n = static_cast<int64_t>(members.size());
  if (as_set) {
    ctx.reply.SetHeader(n);
  } else {
    ctx.reply.ArrayHeader(n);
  }
  for (const std::string& m : members) ctx.reply.Bulk(m);
}

void SAddCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = Ops(ctx, limits).Add(ctx.arg(1), ctx.args.subspan(2));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += *r;
  ctx.reply.Integer(*r);
}

void SRemCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = Ops(ctx, limits).Remove(ctx.arg(1), ctx.args.subspan(2));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += *r;
  ctx.reply.Integer(*r);
}

void SMembersCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = Ops(ctx, limits).Members(ctx.arg(1));
  if (ReplyIfError(ctx, r.status())) return;
  ReplyMembers(ctx, *r, true);
}

void SIsMemberCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = Ops(ctx, limits).Contains(ctx.arg(1), ctx.args.subspan(2, 1));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.Integer((*r)[0] ? 1 : 0);
}

void SMIsMemberCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = Ops(ctx, limits).Contains(ctx.arg(1), ctx.args.subspan(2));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.ArrayHeader(static_cast<int64_t>(r->size()));
  for (bool b : *r) ctx.reply.Integer(b ? 1 : 0);
}

void SCardCmd(CommandContext& ctx) {
  EncodingLimits limits = ctx.server.encoding_limits();
  auto r = Ops(ctx, limits).Card(ctx.arg(1));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.Integer(*r);
}

// SRANDMEMBER key [count]: a bulk string without count, an array with it.
void SRandMemberCmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.reply.Error(err::kSyntax);
  EncodingLimits limits = ctx.server.encoding_limits();
  if (ctx.argc() == 2) {
    auto r = Ops(ctx, limits).RandomMember(ctx.arg(1));
    if (r.status() == OpStatus::kNotFound) return ctx.reply.Null();
    if (ReplyIfError(ctx, r.status())) return;
    return ctx.reply.Bulk(*r);
  }
  int64_t count;
  if (!ArgInt(ctx, 2, &count)) return;
  if (count == LLONG_MIN) {
    return ctx.reply.Error(
        "ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807");
  }
  auto r = Ops(ctx, limits).RandomMembers(ctx.arg(1), count);
  if (ReplyIfError(ctx, r.status())) return;
  ReplyMembers(ctx, *r, false);
}

// SPOP key [count]: a bulk string without count, a set with it.
void SPopCmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.reply.Error(err::kSyntax);
  EncodingLimits limits = ctx.server.encoding_limits();
  if (ctx.argc() == 2) {
    auto r = Ops(ctx, limits).Pop(ctx.arg(1));
    if (r.status() == OpStatus::kNotFound) return ctx.reply.Null();
    if (ReplyIfError(ctx, r.status())) return;
    ++ctx.dirty;
    // Random choice: the log records which member went.
    ctx.server.LogRewrite({"SREM", std::string(ctx.arg(1)), *r});
    return ctx.reply.Bulk(*r);
  }
  int64_t count;
  if (!ArgIntRange(ctx, 2, 0, LLONG_MAX, &count, "ERR value is out of range, must be positive"))
    return;
  auto r = Ops(ctx, limits).PopMany(ctx.arg(1), count);
  if (r.status() == OpStatus::kNotFound) return ctx.reply.SetHeader(0);
  if (ReplyIfError(ctx, r.status())) return;
  ctx.dirty += r->size();
  if (!r->empty()) {
    std::vector<std::string> srem{"SREM", std::string(ctx.arg(1))};
    for (const auto& m : *r) srem.emplace_back(m);
    ctx.server.LogRewrite(std::move(srem));
  }
  ReplyMembers(ctx, *r, true);
}

constexpr CommandSpec kCommands[] = {
    {"sadd",
     -3,
     kCmdWrite | kCmdDenyOom | kCmdFast,
     kAclSet,
     1,
     1,
     1,
     SAddCmd,
     "set",
     "1.0.0",
     "Add one or more members to a set",
     "O(1) for each element added, so O(N) to add N elements when the command is called with "
     "multiple arguments.",
     "key member [member ...]",
     {},
     "RW insert"},
    {"srem",
     -3,
     kCmdWrite | kCmdFast,
     kAclSet,
     1,
     1,
     1,
     SRemCmd,
     "set",
     "1.0.0",
     "Remove one or more members from a set",
     "O(N) where N is the number of members to be removed.",
     "key member [member ...]",
     {},
     "RW delete"},
    {"smembers", 2, kCmdReadonly, kAclSet, 1, 1, 1, SMembersCmd, "set", "1.0.0",
     "Get all the members in a set", "O(N) where N is the set cardinality.", "key"},
    {"sismember",
     3,
     kCmdReadonly | kCmdFast,
     kAclSet,
     1,
     1,
     1,
     SIsMemberCmd,
     "set",
     "1.0.0",
     "Determine if a given value is a member of a set",
     "O(1)",
     "key member",
     {},
     "RO"},
    {"smismember", -3, kCmdReadonly | kCmdFast, kAclSet, 1, 1, 1, SMIsMemberCmd, "set", "6.2.0",
     "Returns the membership associated with the given elements for a set",
     "O(N) where N is the number of elements being checked for membership",
     "key member [member ...]"},
    {"scard",
     2,
     kCmdReadonly | kCmdFast,
     kAclSet,
     1,
     1,
     1,
     SCardCmd,
     "set",
     "1.0.0",
     "Get the number of members in a set",
     "O(1)",
     "key",
     {},
     "RO"},
    {"srandmember", -2, kCmdReadonly, kAclSet, 1, 1, 1, SRandMemberCmd, "set", "1.0.0",
     "Get one or multiple random members from a set",
     "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed "
     "count.",
     "key [count]"},
    {"spop",
     -2,
     kCmdWrite | kCmdFast,
     kAclSet,
     1,
     1,
     1,
     SPopCmd,
     "set",
     "1.0.0",
     "Remove and return one or multiple random members from a set",
     "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
     "key [count]",
     {},
     "RW access delete"},
};

}  // namespace

std::span<const CommandSpec> SetCommands() {
  return kCommands;
}

}  // namespace ordis
