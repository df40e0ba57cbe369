// String commands: GET, SET and its variants, MGET/MSET, APPEND, ranges,
// counters and LCS. Handlers parse, call kv/string_ops, reply; the order of
// argument checks and lookups follows Redis so the same request gets the
// same error.
#include <climits>

#include "cmd/args.h"
#include "cmd/families.h"
#include "kv/string_ops.h"
#include "server/server.h"

namespace ordis {

namespace {

StringOps Ops(CommandContext& ctx) {
  return StringOps(ctx.db(), ctx.server.keyspace().ctx(), ctx.server.config().proto_max_bulk_len);
}

void ReplyExpireError(CommandContext& ctx) {
  ctx.reply.Error(std::string("ERR invalid expire time in '") + ctx.spec->name + "' command");
}

// Converts an expire argument to an absolute time in ms, replying on error.
// seconds: EX/EXAT units; relative: EX/PX (added to the command time).
bool ParseExpire(CommandContext& ctx, std::string_view arg, bool seconds, bool relative,
                 int64_t* when_ms) {
  int64_t v;
  if (!ParseInt64(arg, &v)) {
    ctx.reply.Error(err::kNotInteger);
    return false;
  }
  if (v <= 0 || (seconds && v > LLONG_MAX / 1000)) {
    ReplyExpireError(ctx);
    return false;
  }
  if (seconds) v *= 1000;
  if (relative && __builtin_add_overflow(v, ctx.server.keyspace().ctx().now_ms, &v)) {
    ReplyExpireError(ctx);
    return false;
  }
  *when_ms = v;
  return true;
}

// The options of SET (from argument 3) and GETEX (from argument 2), with
// Redis's rules for which combinations are a syntax error.
enum ExtFlag : uint32_t {
  kExtNx = 1 << 0,
  kExtXx = 1 << 1,
  kExtEx = 1 << 2,
  kExtPx = 1 << 3,
  kExtKeepTtl = 1 << 4,
  kExtGet = 1 << 5,
  kExtExat = 1 << 6,
  kExtPxat = 1 << 7,
  kExtPersist = 1 << 8,
};
constexpr uint32_t kExtAnyExpire = kExtEx | kExtPx | kExtExat | kExtPxat;

struct ExtArgs {
  uint32_t flags = 0;
  std::string_view expire;  // the EX/PX/EXAT/PXAT argument, if any
};

bool ParseExtended(CommandContext& ctx, bool is_set, ExtArgs* out) {
  uint32_t& f = out->flags;
  for (size_t j = is_set ? 3 : 2; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.arg(j);
    bool has_next = j + 1 < ctx.argc();
    // Each expire option excludes the others (but may repeat itself).
    auto expire_ok = [&](uint32_t self) {
      return has_next && !(f & (kExtKeepTtl | kExtPersist)) && !(f & (kExtAnyExpire & ~self));
    };
    uint32_t expire_flag = 0;
    if (is_set && EqualsNoCase(opt, "nx") && !(f & kExtXx)) {
      f |= kExtNx;
    } else if (is_set && EqualsNoCase(opt, "xx") && !(f & kExtNx)) {
      f |= kExtXx;
    } else if (is_set && EqualsNoCase(opt, "get")) {
      f |= kExtGet;
    } else if (is_set && EqualsNoCase(opt, "keepttl") && !(f & (kExtPersist | kExtAnyExpire))) {
      f |= kExtKeepTtl;
    } else if (!is_set && EqualsNoCase(opt, "persist") && !(f & (kExtKeepTtl | kExtAnyExpire))) {
      f |= kExtPersist;
    } else if (EqualsNoCase(opt, "ex") && expire_ok(kExtEx)) {
      expire_flag = kExtEx;
    } else if (EqualsNoCase(opt, "px") && expire_ok(kExtPx)) {
      expire_flag = kExtPx;
    } else if (EqualsNoCase(opt, "exat") && expire_ok(kExtExat)) {
      expire_flag = kExtExat;
    } else if (EqualsNoCase(opt, "pxat") && expire_ok(kExtPxat)) {
      expire_flag = kExtPxat;
    } else {
      ctx.reply.Error(err::kSyntax);
      return false;
    }
    if (expire_flag) {
      f |= expire_flag;
      out->expire = ctx.arg(++j);
    }
  }
  return true;
}

bool ParseExtExpire(CommandContext& ctx, const ExtArgs& ext, int64_t* when_ms) {
  *when_ms = -1;
  if (!(ext.flags & kExtAnyExpire)) return true;
  return ParseExpire(ctx, ext.expire, ext.flags & (kExtEx | kExtExat),
                     ext.flags & (kExtEx | kExtPx), when_ms);
}

void ReplyOptional(CommandContext& ctx, const std::optional<std::string>& v) {
  if (v) {
    ctx.reply.Bulk(*v);
  } else {
    ctx.reply.Null();
  }
}

void GetCmd(CommandContext& ctx) {
  std::string scratch;
  auto r = Ops(ctx).Get(ctx.arg(1), &scratch);
  if (r.status() == OpStatus::kNotFound) return ctx.reply.Null();
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.Bulk(*r);
}

void SetCmd(CommandContext& ctx) {
  ExtArgs ext;
  if (!ParseExtended(ctx, true, &ext)) return;
  SetOptions opt;
  if (!ParseExtExpire(ctx, ext, &opt.expire_at_ms)) return;
  opt.cond = (ext.flags & kExtNx)   ? SetOptions::kIfMissing
             : (ext.flags & kExtXx) ? SetOptions::kIfExists
                                    : SetOptions::kAlways;
  opt.get = ext.flags & kExtGet;
  opt.keep_ttl = ext.flags & kExtKeepTtl;
  auto r = Ops(ctx).Set(ctx.arg(1), ctx.arg(2), opt);
  if (ReplyIfError(ctx, r.status())) return;
  if (r->applied) ++ctx.dirty;
  if (opt.get) return ReplyOptional(ctx, r->old);
  if (r->applied) return ctx.reply.Ok();
  ctx.reply.Null();
}

void SetNxCmd(CommandContext& ctx) {
  SetOptions opt;
  opt.cond = SetOptions::kIfMissing;
  auto r = Ops(ctx).Set(ctx.arg(1), ctx.arg(2), opt);
  if (ReplyIfError(ctx, r.status())) return;
  if (r->applied) ++ctx.dirty;
  ctx.reply.Integer(r->applied ? 1 : 0);
}

// SETEX (seconds) and PSETEX (milliseconds): key ttl value.
void SetWithTtl(CommandContext& ctx, bool seconds) {
  SetOptions opt;
  if (!ParseExpire(ctx, ctx.arg(2), seconds, true, &opt.expire_at_ms)) return;
  auto r = Ops(ctx).Set(ctx.arg(1), ctx.arg(3), opt);
  if (ReplyIfError(ctx, r.status())) return;
  ++ctx.dirty;
  ctx.reply.Ok();
}

void SetExCmd(CommandContext& ctx) {
  SetWithTtl(ctx, true);
}
void PSetExCmd(CommandContext& ctx) {
  SetWithTtl(ctx, false);
}

void GetSetCmd(CommandContext& ctx) {
  SetOptions opt;
  opt.get = true;
  auto r = Ops(ctx).Set(ctx.arg(1), ctx.arg(2), opt);
  if (ReplyIfError(ctx, r.status())) return;
  ++ctx.dirty;
  ReplyOptional(ctx, r->old);
}

void GetDelCmd(CommandContext& ctx) {
  auto r = Ops(ctx).GetDel(ctx.arg(1));
  if (r.status() == OpStatus::kNotFound) return ctx.reply.Null();
  if (ReplyIfError(ctx, r.status())) return;
  ++ctx.dirty;
  ctx.reply.Bulk(*r);
}

void GetExCmd(CommandContext& ctx) {
  ExtArgs ext;
  if (!ParseExtended(ctx, false, &ext)) return;
  StringOps ops = Ops(ctx);
  std::string scratch;
  auto r = ops.Get(ctx.arg(1), &scratch);
  if (r.status() == OpStatus::kNotFound) return ctx.reply.Null();
  if (ReplyIfError(ctx, r.status())) return;
  // The expire value is validated only once the key is known to exist.
  int64_t when;
  if (!ParseExtExpire(ctx, ext, &when)) return;
  ctx.reply.Bulk(*r);
  auto action = (ext.flags & kExtAnyExpire) ? StringOps::TtlAction::kExpireAt
                : (ext.flags & kExtPersist) ? StringOps::TtlAction::kPersist
                                            : StringOps::TtlAction::kNone;
  if (ops.ApplyTtl(ctx.arg(1), action, when)) ++ctx.dirty;
}

void MGetCmd(CommandContext& ctx) {
  StringOps ops = Ops(ctx);
  std::string scratch;
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.argc() - 1));
  for (size_t j = 1; j < ctx.argc(); ++j) {
    auto r = ops.Get(ctx.arg(j), &scratch);
    if (r.ok()) {
      ctx.reply.Bulk(*r);
    } else {
      ctx.reply.Null();  // missing or not a string
    }
  }
}

void MSetGeneric(CommandContext& ctx, bool nx) {
  if (ctx.argc() % 2 == 0) {
    ctx.reply.Error(std::string("ERR wrong number of arguments for '") + ctx.spec->name +
                    "' command");
    return;
  }
  OpStatus s = Ops(ctx).MSet(ctx.args.subspan(1), nx);
  if (s == OpStatus::kExists) return ctx.reply.Integer(0);
  ctx.dirty += (ctx.argc() - 1) / 2;
  if (nx) return ctx.reply.Integer(1);
  ctx.reply.Ok();
}

void MSetCmd(CommandContext& ctx) {
  MSetGeneric(ctx, false);
}
void MSetNxCmd(CommandContext& ctx) {
  MSetGeneric(ctx, true);
}

void AppendCmd(CommandContext& ctx) {
  auto r = Ops(ctx).Append(ctx.arg(1), ctx.arg(2));
  if (ReplyIfError(ctx, r.status())) return;
  ++ctx.dirty;
  ctx.reply.Integer(*r);
}

void StrlenCmd(CommandContext& ctx) {
  auto r = Ops(ctx).Strlen(ctx.arg(1));
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.Integer(*r);
}

void GetRangeCmd(CommandContext& ctx) {
  int64_t start, end;
  if (!ArgInt(ctx, 2, &start) || !ArgInt(ctx, 3, &end)) return;
  std::string scratch;
  auto r = Ops(ctx).GetRange(ctx.arg(1), start, end, &scratch);
  if (ReplyIfError(ctx, r.status())) return;
  ctx.reply.Bulk(*r);
}

void SetRangeCmd(CommandContext& ctx) {
  int64_t offset;
  if (!ArgInt(ctx, 2, &offset)) return;
  if (offset < 0) return ctx.reply.Error("ERR offset is out of range");
  bool changed;
  auto r = Ops(ctx).SetRange(ctx.arg(1), offset, ctx.arg(3), &changed);
  if (ReplyIfError(ctx, r.status())) return;
  if (changed) ++ctx.dirty;
  ctx.reply.Integer(*r);
}

void IncrByGeneric(CommandContext& ctx, int64_t delta) {
  auto r = Ops(ctx).IncrBy(ctx.arg(1), delta);
  if (ReplyIfError(ctx, r.status())) return;
  ++ctx.dirty;
  ctx.reply.Integer(*r);
}

void IncrCmd(CommandContext& ctx) {
  IncrByGeneric(ctx, 1);
}
void DecrCmd(CommandContext& ctx) {
  IncrByGeneric(ctx, -1);
}

void IncrByCmd(CommandContext& ctx) {
  int64_t delta;
  if (!ArgInt(ctx, 2, &delta)) return;
  IncrByGeneric(ctx, delta);
}

void DecrByCmd(CommandContext& ctx) {
  int64_t delta;
  if (!ArgInt(ctx, 2, &delta)) return;
  if (delta == LLONG_MIN) return ctx.reply.Error("ERR decrement would overflow");
  IncrByGeneric(ctx, -delta);
}

void IncrByFloatCmd(CommandContext& ctx) {
  auto r = Ops(ctx).IncrByFloat(ctx.arg(1), ctx.arg(2));
  if (ReplyIfError(ctx, r.status())) return;
  ++ctx.dirty;
  ctx.reply.Bulk(*r);
}

void LcsCmd(CommandContext& ctx) {
  StringOps ops = Ops(ctx);
  std::string sa, sb;
  // Both keys are looked up before the options are parsed, as in Redis.
  auto a = ops.Get(ctx.arg(1), &sa);
  auto b = ops.Get(ctx.arg(2), &sb);
  if (a.status() == OpStatus::kWrongType || b.status() == OpStatus::kWrongType)
    return ctx.reply.Error("ERR The specified keys must contain string values");
  bool getlen = false, getidx = false, withmatchlen = false;
  int64_t minmatchlen = 0;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    bool more = j + 1 < ctx.argc();
    if (ArgIs(ctx, j, "idx")) {
      getidx = true;
    } else if (ArgIs(ctx, j, "len")) {
      getlen = true;
    } else if (ArgIs(ctx, j, "withmatchlen")) {
      withmatchlen = true;
    } else if (ArgIs(ctx, j, "minmatchlen") && more) {
      if (!ArgInt(ctx, j + 1, &minmatchlen)) return;
      if (minmatchlen < 0) minmatchlen = 0;
      ++j;
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
  }
  if (getlen && getidx)
    return ctx.reply.Error("ERR If you want both the length and indexes, please just use IDX.");

  LcsOptions opt;
  opt.want_string = !getlen && !getidx;
  opt.want_matches = getidx;
  opt.min_match_len = minmatchlen;
  auto r = ComputeLcs(a.ok() ? *a : std::string_view(), b.ok() ? *b : std::string_view(), opt,
                      ctx.server.config().proto_max_bulk_len);
  switch (r.status()) {
    case OpStatus::kOk:
      break;
    case OpStatus::kTooBig:
      return ctx.reply.Error(
          "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    case OpStatus::kOutOfRange:
      return ctx.reply.Error("ERR String too long for LCS");
    default:
      return ctx.reply.Error("ERR Insufficient memory, failed allocating transient memory for LCS");
  }
  if (getidx) {
    ctx.reply.MapHeader(2);
    ctx.reply.Bulk("matches");
    ctx.reply.ArrayHeader(static_cast<int64_t>(r->matches.size()));
    for (const LcsMatch& m : r->matches) {
      ctx.reply.ArrayHeader(withmatchlen ? 3 : 2);
      ctx.reply.ArrayHeader(2);
      ctx.reply.Integer(m.a_start);
      ctx.reply.Integer(m.a_end);
      ctx.reply.ArrayHeader(2);
      ctx.reply.Integer(m.b_start);
      ctx.reply.Integer(m.b_end);
      if (withmatchlen) ctx.reply.Integer(m.len);
    }
    ctx.reply.Bulk("len");
    ctx.reply.Integer(r->len);
  } else if (getlen) {
    ctx.reply.Integer(r->len);
  } else {
    ctx.reply.Bulk(r->lcs);
  }
}

constexpr const char* kRangeComplexity =
    "O(N) where N is the length of the returned string. The complexity is ultimately determined "
    "by the returned length, but because creating a substring from an existing string is very "
    "cheap, it can be considered O(1) for small strings.";

// SET's key is overwritten ("OW update") unless GET reads the old value
// first ("RW access update"), as Redis's setGetKeys reports.
std::vector<KeyRef> SetKeys(ArgList args) {
  for (size_t i = 3; i < args.size(); ++i)
    if (EqualsNoCase(args[i], "get")) return {{1, "RW access update"}};
  return {{1, "OW update"}};
}

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"get", 2, kCmdReadonly | kCmdFast, kAclString, 1, 1, 1, GetCmd, "string", "1.0.0",
     "Get the value of a key", "O(1)", "key"},
    {"set", -3, kCmdWrite | kCmdDenyOom | kCmdFixedKeys, kAclString, 1, 1, 1, SetCmd, "string",
     "1.0.0", "Set the string value of a key", "O(1)",
     "key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT "
     "unix-time-milliseconds|KEEPTTL]",
     {}, "RW access update variable_flags", SetKeys},
    {"setnx", 3, kCmdWrite | kCmdDenyOom | kCmdFast, kAclString, 1, 1, 1, SetNxCmd, "string",
     "1.0.0", "Set the value of a key, only if the key does not exist", "O(1)", "key value", {},
     "OW insert"},
    {"setex", 4, kCmdWrite | kCmdDenyOom, kAclString, 1, 1, 1, SetExCmd, "string", "2.0.0",
     "Set the value and expiration of a key", "O(1)", "key seconds value", {}, "OW update"},
    {"psetex", 4, kCmdWrite | kCmdDenyOom, kAclString, 1, 1, 1, PSetExCmd, "string", "2.6.0",
     "Set the value and expiration in milliseconds of a key", "O(1)", "key milliseconds value", {},
     "OW update"},
    {"getset", 3, kCmdWrite | kCmdDenyOom | kCmdFast, kAclString, 1, 1, 1, GetSetCmd, "string",
     "1.0.0", "Set the string value of a key and return its old value", "O(1)", "key value"},
    {"getdel", 2, kCmdWrite | kCmdFast, kAclString, 1, 1, 1, GetDelCmd, "string", "6.2.0",
     "Get the value of a key and delete the key", "O(1)", "key", {}, "RW access delete"},
    {"getex", -2, kCmdWrite | kCmdFast, kAclString, 1, 1, 1, GetExCmd, "string", "6.2.0",
     "Get the value of a key and optionally set its expiration", "O(1)",
     "key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|"
     "PERSIST]"},
    {"mget", -2, kCmdReadonly | kCmdFast, kAclString, 1, -1, 1, MGetCmd, "string", "1.0.0",
     "Get the values of all the given keys", "O(N) where N is the number of keys to retrieve.",
     "key [key ...]"},
    {"mset", -3, kCmdWrite | kCmdDenyOom, kAclString, 1, -1, 2, MSetCmd, "string", "1.0.1",
     "Set multiple keys to multiple values", "O(N) where N is the number of keys to set.",
     "key value [key value ...]", {}, "OW update"},
    {"msetnx", -3, kCmdWrite | kCmdDenyOom, kAclString, 1, -1, 2, MSetNxCmd, "string", "1.0.1",
     "Set multiple keys to multiple values, only if none of the keys exist",
     "O(N) where N is the number of keys to set.", "key value [key value ...]", {}, "OW insert"},
    {"append", 3, kCmdWrite | kCmdDenyOom | kCmdFast, kAclString, 1, 1, 1, AppendCmd, "string",
     "2.0.0", "Append a value to a key",
     "O(1). The amortized time complexity is O(1) assuming the appended value is small and the "
     "already present value is of any size, since the dynamic string library used by Redis will "
     "double the free space available on every reallocation.",
     "key value", {}, "RW insert"},
    {"strlen", 2, kCmdReadonly | kCmdFast, kAclString, 1, 1, 1, StrlenCmd, "string", "2.2.0",
     "Get the length of the value stored in a key", "O(1)", "key", {}, "RO"},
    {"getrange", 4, kCmdReadonly, kAclString, 1, 1, 1, GetRangeCmd, "string", "2.4.0",
     "Get a substring of the string stored at a key", kRangeComplexity, "key start end"},
    {"setrange", 4, kCmdWrite | kCmdDenyOom, kAclString, 1, 1, 1, SetRangeCmd, "string", "2.2.0",
     "Overwrite part of a string at key starting at the specified offset",
     "O(1), not counting the time taken to copy the new string in place. Usually, this string is "
     "very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being "
     "the length of the value argument.",
     "key offset value", {}, "RW update"},
    {"substr", 4, kCmdReadonly, kAclString, 1, 1, 1, GetRangeCmd, "string", "1.0.0",
     "Get a substring of the string stored at a key", kRangeComplexity, "key start end"},
    {"incr", 2, kCmdWrite | kCmdDenyOom | kCmdFast, kAclString, 1, 1, 1, IncrCmd, "string", "1.0.0",
     "Increment the integer value of a key by one", "O(1)", "key"},
    {"decr", 2, kCmdWrite | kCmdDenyOom | kCmdFast, kAclString, 1, 1, 1, DecrCmd, "string", "1.0.0",
     "Decrement the integer value of a key by one", "O(1)", "key"},
    {"incrby", 3, kCmdWrite | kCmdDenyOom | kCmdFast, kAclString, 1, 1, 1, IncrByCmd, "string",
     "1.0.0", "Increment the integer value of a key by the given amount", "O(1)", "key increment"},
    {"decrby", 3, kCmdWrite | kCmdDenyOom | kCmdFast, kAclString, 1, 1, 1, DecrByCmd, "string",
     "1.0.0", "Decrement the integer value of a key by the given number", "O(1)", "key decrement"},
    {"incrbyfloat", 3, kCmdWrite | kCmdDenyOom | kCmdFast, kAclString, 1, 1, 1, IncrByFloatCmd,
     "string", "2.6.0", "Increment the float value of a key by the given amount", "O(1)",
     "key increment"},
    {"lcs", -3, kCmdReadonly, kAclString, 1, 2, 1, LcsCmd, "string", "7.0.0",
     "Find longest common substring",
     "O(N*M) where N and M are the lengths of s1 and s2, respectively",
     "key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]"},
};
// clang-format on

}  // namespace

std::span<const CommandSpec> StringCommands() {
  return kCommands;
}

}  // namespace ordis
