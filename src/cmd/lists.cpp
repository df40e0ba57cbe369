// List commands: pushes and pops at both ends, ranges, indexes, LREM,
// LTRIM, LINSERT, LPOS, moves between lists, multi-key pops, and the
// blocking pops (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP), which wait in
// server/blocking.h when no key has data. Handlers parse, call
// kv/list_type, reply; argument checks and lookups come in Redis's order
// so the same request gets the same error.
#include <climits>
#include <string>

#include "cmd/args.h"
#include "cmd/families.h"
#include "kv/list_type.h"
#include "server/blocking.h"
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

void LInsertCmd(CommandContext& ctx) {
  bool after;
  if (ArgIs(ctx, 2, "after")) {
    after = true;
  } else if (ArgIs(ctx, 2, "before")) {
    after = false;
  } else {
    return ctx.reply.Error(err::kSyntax);
  }
  auto r = ListOps(ctx.db()).Insert(ctx.arg(1), after, ctx.arg(3), ctx.arg(4));
  if (ReplyIfError(ctx, r.status())) return;
  if (*r > 0) ++ctx.dirty;
  ctx.reply.Integer(*r);
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
void LPosCmd(CommandContext& ctx) {
  int64_t rank = 1, count = -1, maxlen = 0;  // count -1: no COUNT, reply a single index
  for (size_t j = 3; j < ctx.argc(); ++j) {
    bool more = j + 1 < ctx.argc();
    if (ArgIs(ctx, j, "rank") && more) {
      if (!ArgInt(ctx, ++j, &rank)) return;
      if (rank == 0) {
        return ctx.reply.Error(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
            "or use negative to start from the end of the list");
      }
    } else if (ArgIs(ctx, j, "count") && more) {
      if (!ArgIntRange(ctx, ++j, 0, LLONG_MAX, &count, "ERR COUNT can't be negative")) return;
    } else if (ArgIs(ctx, j, "maxlen") && more) {
      if (!ArgIntRange(ctx, ++j, 0, LLONG_MAX, &maxlen, "ERR MAXLEN can't be negative")) return;
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
  }
  uint64_t limit = count == -1 ? 1 : static_cast<uint64_t>(count);
  auto r = ListOps(ctx.db()).Positions(ctx.arg(1), ctx.arg(2), rank, limit,
                                       static_cast<uint64_t>(maxlen));
  if (r.status() == OpStatus::kNotFound)
    return count == -1 ? ctx.reply.Null() : ctx.reply.EmptyArray();
  if (ReplyIfError(ctx, r.status())) return;
  if (count == -1) return r->empty() ? ctx.reply.Null() : ctx.reply.Integer(r->front());
  ctx.reply.ArrayHeader(static_cast<int64_t>(r->size()));
  for (int64_t i : *r) ctx.reply.Integer(i);
}

// LEFT|RIGHT (case-insensitive); syntax error otherwise.
bool ArgListEnd(CommandContext& ctx, size_t i, ListEnd* out) {
  if (ArgIs(ctx, i, "left")) {
    *out = ListEnd::kHead;
  } else if (ArgIs(ctx, i, "right")) {
    *out = ListEnd::kTail;
  } else {
    ctx.reply.Error(err::kSyntax);
    return false;
  }
  return true;
}

// The moving commands: LMOVE/BLMOVE name both ends, (B)RPOPLPUSH is
// RIGHT to LEFT. REQUIRES: arguments already validated when LMOVE-like.
void MoveEnds(const CommandContext& ctx, ListEnd* from, ListEnd* to) {
  if (ctx.argc() >= 5 &&
      (EqualsNoCase(ctx.spec->name, "lmove") || EqualsNoCase(ctx.spec->name, "blmove"))) {
    *from = EqualsNoCase(ctx.arg(3), "left") ? ListEnd::kHead : ListEnd::kTail;
    *to = EqualsNoCase(ctx.arg(4), "left") ? ListEnd::kHead : ListEnd::kTail;
  } else {
    *from = ListEnd::kTail;
    *to = ListEnd::kHead;
  }
}

// Runs a move whose source exists; replies the element (or the error).
void ReplyMove(CommandContext& ctx, OpResult<std::string>& r) {
  if (ReplyIfError(ctx, r.status())) return;
  ++ctx.dirty;
  ctx.reply.Bulk(*r);
}

void LMoveCmd(CommandContext& ctx) {
  ListEnd from, to;
  if (ctx.argc() == 5 && (!ArgListEnd(ctx, 3, &from) || !ArgListEnd(ctx, 4, &to))) return;
  MoveEnds(ctx, &from, &to);
  auto r = ListOps(ctx.db()).Move(ctx.arg(1), ctx.arg(2), from, to);
  if (r.status() == OpStatus::kNotFound) return ctx.reply.Null();
  ReplyMove(ctx, r);
}

// Parsed LMPOP/BLMPOP arguments: numkeys at args[numkeys_idx].
struct MPopArgs {
  std::span<const std::string_view> keys;
  ListEnd where;
  int64_t count = 1;
};

bool ParseMPop(CommandContext& ctx, size_t numkeys_idx, MPopArgs* out) {
  int64_t numkeys;
  if (!ArgIntRange(ctx, numkeys_idx, 1, LLONG_MAX, &numkeys,
                   "ERR numkeys should be greater than 0"))
    return false;
  size_t first = numkeys_idx + 1;
  if (static_cast<uint64_t>(numkeys) >= ctx.argc() - first) {
    ctx.reply.Error(err::kSyntax);
    return false;
  }
  size_t where_idx = first + static_cast<size_t>(numkeys);
  if (!ArgListEnd(ctx, where_idx, &out->where)) return false;
  bool has_count = false;
  for (size_t j = where_idx + 1; j < ctx.argc(); ++j) {
    if (!has_count && ArgIs(ctx, j, "count") && j + 1 < ctx.argc()) {
      has_count = true;
      if (!ArgIntRange(ctx, ++j, 1, LLONG_MAX, &out->count, "ERR count should be greater than 0"))
        return false;
    } else {
      ctx.reply.Error(err::kSyntax);
      return false;
    }
  }
  out->keys = ctx.args.subspan(first, static_cast<size_t>(numkeys));
  return true;
}

// Pops from the first key of `keys` that holds a list, as [key, value] or
// (with_count) [key, [values...]]. Returns false, with no reply, if no key
// holds a list; true once it replied (data or WRONGTYPE).
bool PopFirstNonEmpty(CommandContext& ctx, std::span<const std::string_view> keys, ListEnd where,
                      int64_t count, bool with_count) {
  ListOps ops(ctx.db());
  for (std::string_view key : keys) {
    auto r = ops.Pop(key, where, count);
    if (r.status() == OpStatus::kNotFound) continue;
    if (ReplyIfError(ctx, r.status())) return true;
    ctx.dirty += r->size();
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(key);
    if (with_count) ctx.reply.ArrayHeader(static_cast<int64_t>(r->size()));
    for (const std::string& v : *r) ctx.reply.Bulk(v);
    return true;
  }
  return false;
}

void LMPopCmd(CommandContext& ctx) {
  MPopArgs a;
  if (!ParseMPop(ctx, 1, &a)) return;
  if (!PopFirstNonEmpty(ctx, a.keys, a.where, a.count, true)) ctx.reply.NullArray();
}

// LMPOP's keys: numkeys of them after numkeys (none when numkeys is not a
// count of keys that are there: COMMAND GETKEYS then reports invalid
// arguments). BLMPOP has numkeys one further.
std::vector<KeyRef> MPopKeysAt(ArgList args, size_t numkeys_idx) {
  std::vector<KeyRef> keys;
  int64_t n;
  size_t first = numkeys_idx + 1;
  if (args.size() <= first || !ParseInt64(args[numkeys_idx], &n) || n < 1 ||
      static_cast<uint64_t>(n) > args.size() - first) {
    return keys;
  }
  for (int64_t i = 0; i < n; ++i)
    keys.push_back({first + static_cast<size_t>(i), "RW access delete"});
  return keys;
}
std::vector<KeyRef> LMPopKeys(ArgList args) {
  return MPopKeysAt(args, 1);
}
std::vector<KeyRef> BLMPopKeys(ArgList args) {
  return MPopKeysAt(args, 2);
}

// ---- blocking commands ----------------------------------------------------
//
// Each tries its non-blocking form first; with nothing to pop it replies a
// null inside MULTI/EXEC (blocking is not allowed there) or blocks. The
// Serve* functions finish a blocked call when a key gets data (see
// BlockingRegistry::ServeFn): they re-read the saved, validated arguments.

bool ServeBPop(CommandContext& ctx, std::string_view key) {
  if (!ListOps(ctx.db()).IsList(key)) return false;  // another type: keep waiting
  ListEnd where = EqualsNoCase(ctx.spec->name, "blpop") ? ListEnd::kHead : ListEnd::kTail;
  std::string_view keys[] = {key};
  return PopFirstNonEmpty(ctx, keys, where, 1, false);
}

bool ServeBLMPop(CommandContext& ctx, std::string_view key) {
  if (!ListOps(ctx.db()).IsList(key)) return false;
  MPopArgs a;
  if (!ParseMPop(ctx, 2, &a)) return true;  // validated when it blocked
  std::string_view keys[] = {key};
  return PopFirstNonEmpty(ctx, keys, a.where, a.count, true);
}

bool ServeBLMove(CommandContext& ctx, std::string_view key) {
  ListOps ops(ctx.db());
  if (!ops.IsList(key)) return false;
  ListEnd from, to;
  MoveEnds(ctx, &from, &to);
  auto r = ops.Move(key, ctx.arg(2), from, to);
  ReplyMove(ctx, r);  // WRONGTYPE destination: the error ends the wait too
  if (r.ok()) ctx.server.TouchKey(ctx.client.db, ctx.arg(2));  // WATCH, and its waiters
  return true;
}

void BPopGeneric(CommandContext& ctx, ListEnd where) {
  int64_t deadline;
  if (!ArgBlockTimeout(ctx, ctx.argc() - 1, &deadline)) return;
  auto keys = ctx.args.subspan(1, ctx.argc() - 2);
  if (PopFirstNonEmpty(ctx, keys, where, 1, false)) return;
  if (ctx.client.in_multi()) return ctx.reply.NullArray();
  ctx.server.blocking().Block(ctx, keys, deadline, ServeBPop);
}

void BLPopCmd(CommandContext& ctx) {
  BPopGeneric(ctx, ListEnd::kHead);
}
void BRPopCmd(CommandContext& ctx) {
  BPopGeneric(ctx, ListEnd::kTail);
}

void BLMPopCmd(CommandContext& ctx) {
  MPopArgs a;
  if (!ParseMPop(ctx, 2, &a)) return;
  int64_t deadline;
  if (!ArgBlockTimeout(ctx, 1, &deadline)) return;
  if (PopFirstNonEmpty(ctx, a.keys, a.where, a.count, true)) return;
  if (ctx.client.in_multi()) return ctx.reply.NullArray();
  ctx.server.blocking().Block(ctx, a.keys, deadline, ServeBLMPop);
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout, and
// BRPOPLPUSH source destination timeout.
void BLMoveCmd(CommandContext& ctx) {
  ListEnd from, to;
  if (ctx.argc() == 6 && (!ArgListEnd(ctx, 3, &from) || !ArgListEnd(ctx, 4, &to))) return;
  int64_t deadline;
  if (!ArgBlockTimeout(ctx, ctx.argc() - 1, &deadline)) return;
  MoveEnds(ctx, &from, &to);
  auto r = ListOps(ctx.db()).Move(ctx.arg(1), ctx.arg(2), from, to);
  if (r.status() != OpStatus::kNotFound) return ReplyMove(ctx, r);
  if (ctx.client.in_multi()) return ctx.reply.Null();
  ctx.server.blocking().Block(ctx, ctx.args.subspan(1, 1), deadline, ServeBLMove);
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
    {"linsert",
     5,
     kCmdWrite | kCmdDenyOom,
     kAclList,
     1,
     1,
     1,
     LInsertCmd,
     "list",
     "2.2.0",
     "Insert an element before or after another element in a list",
     "O(N) where N is the number of elements to traverse before seeing the value pivot. This "
     "means that inserting somewhere on the left end on the list (head) can be considered O(1) "
     "and inserting somewhere on the right end (tail) is O(N).",
     "key BEFORE|AFTER pivot element",
     {},
     "RW insert"},
    {"lpos", -3, kCmdReadonly, kAclList, 1, 1, 1, LPosCmd, "list", "6.0.6",
     "Return the index of matching elements on a list",
     "O(N) where N is the number of elements in the list, for the average case. When searching "
     "for elements near the head or the tail of the list, or when the MAXLEN option is provided, "
     "the command may run in constant time.",
     "key element [RANK rank] [COUNT num-matches] [MAXLEN len]"},
    {"lmove",
     5,
     kCmdWrite | kCmdDenyOom,
     kAclList,
     1,
     2,
     1,
     LMoveCmd,
     "list",
     "6.2.0",
     "Pop an element from a list, push it to another list and return it",
     "O(1)",
     "source destination <LEFT|RIGHT> <LEFT|RIGHT>",
     {},
     "RW access delete,RW insert"},
    {"rpoplpush",
     3,
     kCmdWrite | kCmdDenyOom,
     kAclList,
     1,
     2,
     1,
     LMoveCmd,
     "list",
     "1.2.0",
     "Remove the last element in a list, prepend it to another list and return it",
     "O(1)",
     "source destination",
     {},
     "RW access delete,RW insert"},
    {"lmpop",
     -4,
     kCmdWrite,
     kAclList,
     0,
     0,
     0,
     LMPopCmd,
     "list",
     "7.0.0",
     "Pop elements from a list",
     "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
     "numkeys key [key ...] LEFT|RIGHT [COUNT count]",
     {},
     "RW access delete",
     LMPopKeys},
    {"blpop",
     -3,
     kCmdWrite | kCmdNoscript | kCmdBlocking,
     kAclList,
     1,
     -2,
     1,
     BLPopCmd,
     "list",
     "2.0.0",
     "Remove and get the first element in a list, or block until one is available",
     "O(N) where N is the number of provided keys.",
     "key [key ...] timeout",
     {},
     "RW access delete"},
    {"brpop",
     -3,
     kCmdWrite | kCmdNoscript | kCmdBlocking,
     kAclList,
     1,
     -2,
     1,
     BRPopCmd,
     "list",
     "2.0.0",
     "Remove and get the last element in a list, or block until one is available",
     "O(N) where N is the number of provided keys.",
     "key [key ...] timeout",
     {},
     "RW access delete"},
    {"blmove",
     6,
     kCmdWrite | kCmdDenyOom | kCmdNoscript | kCmdBlocking,
     kAclList,
     1,
     2,
     1,
     BLMoveCmd,
     "list",
     "6.2.0",
     "Pop an element from a list, push it to another list and return it; or block until one is "
     "available",
     "O(1)",
     "source destination <LEFT|RIGHT> <LEFT|RIGHT> timeout",
     {},
     "RW access delete,RW insert"},
    {"brpoplpush",
     4,
     kCmdWrite | kCmdDenyOom | kCmdNoscript | kCmdBlocking,
     kAclList,
     1,
     2,
     1,
     BLMoveCmd,
     "list",
     "2.2.0",
     "Pop an element from a list, push it to another list and return it; or block until one is "
     "available",
     "O(1)",
     "source destination timeout",
     {},
     "RW access delete,RW insert"},
    {"blmpop",
     -5,
     kCmdWrite | kCmdBlocking,
     kAclList,
     0,
     0,
     0,
     BLMPopCmd,
     "list",
     "7.0.0",
     "Pop elements from a list, or block until one is available",
     "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
     "timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]",
     {},
     "RW access delete",
     BLMPopKeys},
};

}  // namespace

std::span<const CommandSpec> ListCommands() {
  return kCommands;
}

}  // namespace ordis
