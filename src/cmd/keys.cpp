// Generic key-space commands: DEL, EXISTS, TYPE, RENAME, KEYS, SCAN,
// RANDOMKEY, DBSIZE, FLUSHDB/FLUSHALL, COPY, MOVE, SWAPDB, TOUCH, OBJECT,
// the EXPIRE family, TTL family and PERSIST. Handlers parse, call kv/ key
// operations (kv/key_ops.h), reply. Replies and errors follow Redis 7.0.15.
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <iterator>
#include <string>

#include "cmd/args.h"
#include "cmd/families.h"
#include "kv/db.h"
#include "kv/key_ops.h"
#include "server/server.h"

namespace ordis {

namespace {

constexpr std::string_view kSameObject = "ERR source and destination objects are the same";
constexpr std::string_view kLfuNotSelected =
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
    "that when switching between policies at runtime LRU and LFU data will take some time to "
    "adjust.";
constexpr std::string_view kLfuSelected =
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
    "switching between policies at runtime LRU and LFU data will take some time to adjust.";

// A database index argument parsed like Redis's getIntFromObjectOrReply
// (any 32-bit integer; `error` otherwise), then range-checked.
bool ArgDbIndex(CommandContext& ctx, size_t i, int* out,
                std::string_view error = err::kNotInteger) {
  int64_t v;
  if (!ArgIntRange(ctx, i, INT_MIN, INT_MAX, &v, error)) return false;
  *out = static_cast<int>(v);
  return true;
}

bool DbInRange(CommandContext& ctx, int id) {
  return id >= 0 && id < ctx.server.keyspace().db_count();
}

std::string MaxmemoryPolicy(CommandContext& ctx) {
  return ctx.server.config_registry().GetOne("maxmemory-policy").value_or("noeviction");
}

bool PolicyIsLfu(const std::string& policy) {
  return policy.find("lfu") != std::string::npos;
}

// Redis stops sharing small integers when maxmemory is set with an LRU or
// LFU policy (each key then needs its own access data).
bool SharedIntegers(CommandContext& ctx) {
  std::string policy = MaxmemoryPolicy(ctx);
  if (policy.find("lru") == std::string::npos && !PolicyIsLfu(policy)) return true;
  int64_t maxmemory = 0;
  auto mm = ctx.server.config_registry().GetOne("maxmemory");
  return !mm || !ParseMemory(*mm, &maxmemory) || maxmemory == 0;
}

// ---- DEL / EXISTS / TYPE / TOUCH --------------------------------------

void DelCmd(CommandContext& ctx) {
  int64_t deleted = 0;
  for (size_t i = 1; i < ctx.argc(); ++i)
    if (ctx.db().Delete(ctx.arg(i))) ++deleted;
  ctx.dirty += static_cast<uint64_t>(deleted);
  ctx.reply.Integer(deleted);
}

// UNLINK frees synchronously for now: values are small until the big
// collection types arrive, and background freeing needs a thread that
// owns nothing live (design.md "Threads").
void UnlinkCmd(CommandContext& ctx) {
  DelCmd(ctx);
}

void ExistsCmd(CommandContext& ctx) {
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i)
    if (ctx.db().Lookup(ctx.arg(i), Db::kNoTouch)) ++n;
  ctx.reply.Integer(n);
}

void TypeCmd(CommandContext& ctx) {
  ctx.reply.Simple(TypeName(ctx.db().Lookup(ctx.arg(1), Db::kNoTouch)));
}

void TouchCmd(CommandContext& ctx) {
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i)
    if (ctx.db().Find(ctx.arg(i))) ++n;
  ctx.reply.Integer(n);
}

// ---- RENAME / MOVE / COPY / SWAPDB ------------------------------------

void RenameGeneric(CommandContext& ctx, bool nx) {
  OpStatus s = RenameKey(ctx.db(), ctx.arg(1), ctx.arg(2), nx);
  switch (s) {
    case OpStatus::kNotFound:
      return ctx.reply.Error(err::kNoSuchKey);
    case OpStatus::kExists:
      return ctx.reply.Integer(0);
    default:
      break;
  }
  // Renaming a key onto itself changes nothing and is not a write.
  if (ctx.arg(1) != ctx.arg(2)) ++ctx.dirty;
  if (nx) return ctx.reply.Integer(1);
  ctx.reply.Ok();
}

void RenameCmd(CommandContext& ctx) {
  RenameGeneric(ctx, false);
}
void RenamenxCmd(CommandContext& ctx) {
  RenameGeneric(ctx, true);
}

void MoveCmd(CommandContext& ctx) {
  int dst;
  if (!ArgDbIndex(ctx, 2, &dst)) return;
  if (!DbInRange(ctx, dst)) return ctx.reply.Error(err::kDbIndex);
  if (dst == ctx.client.db) return ctx.reply.Error(kSameObject);
  OpStatus s = MoveKey(ctx.db(), ctx.server.keyspace().db(dst), ctx.arg(1));
  if (s != OpStatus::kOk) return ctx.reply.Integer(0);
  ++ctx.dirty;  // the dispatcher touches the source key; the target is ours
  ctx.server.TouchKey(dst, ctx.arg(1));
  ctx.reply.Integer(1);
}

void CopyCmd(CommandContext& ctx) {
  int dst = ctx.client.db;
  bool replace = false;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    if (ArgIs(ctx, i, "replace")) {
      replace = true;
    } else if (ArgIs(ctx, i, "db") && i + 1 < ctx.argc()) {
      if (!ArgDbIndex(ctx, ++i, &dst)) return;
      if (!DbInRange(ctx, dst)) return ctx.reply.Error(err::kDbIndex);
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
  }
  if (dst == ctx.client.db && ctx.arg(1) == ctx.arg(2)) return ctx.reply.Error(kSameObject);
  OpStatus s = CopyKey(ctx.db(), ctx.arg(1), ctx.server.keyspace().db(dst), ctx.arg(2), replace);
  if (s != OpStatus::kOk) return ctx.reply.Integer(0);
  ++ctx.dirty;
  if (dst != ctx.client.db) ctx.server.TouchKey(dst, ctx.arg(2));
  ctx.reply.Integer(1);
}

void SwapdbCmd(CommandContext& ctx) {
  int a, b;
  if (!ArgDbIndex(ctx, 1, &a, "ERR invalid first DB index")) return;
  if (!ArgDbIndex(ctx, 2, &b, "ERR invalid second DB index")) return;
  if (!DbInRange(ctx, a) || !DbInRange(ctx, b)) return ctx.reply.Error(err::kDbIndex);
  if (a != b) {
    ctx.server.TouchSwappedDbs(a, b);
    ctx.server.keyspace().SwapDbs(a, b);
  }
  ++ctx.dirty;  // Redis counts a swap of a db with itself too
  ctx.reply.Ok();
}

// ---- KEYS / SCAN / RANDOMKEY / DBSIZE / FLUSH* --------------------------

void KeysCmd(CommandContext& ctx) {
  std::vector<std::string_view> keys = MatchingKeys(ctx.db(), ctx.arg(1));
  ctx.reply.ArrayHeader(static_cast<int64_t>(keys.size()));
  for (std::string_view k : keys) ctx.reply.Bulk(k);
}

// Parses a SCAN cursor the way Redis does (strtoul): an unsigned 64-bit
// number with optional sign ("-1" wraps to 2^64-1), "" reads as 0, leading
// space or trailing garbage or overflow is an error.
bool ParseCursor(std::string_view arg, uint64_t* out) {
  std::string s(arg);
  if (!s.empty() && std::isspace(static_cast<unsigned char>(s[0]))) return false;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE) return false;
  *out = v;
  return true;
}

void ScanCmd(CommandContext& ctx) {
  uint64_t cursor;
  if (!ParseCursor(ctx.arg(1), &cursor)) return ctx.reply.Error("ERR invalid cursor");
  ScanOptions opts;
  for (size_t i = 2; i < ctx.argc(); i += 2) {
    if (i + 1 >= ctx.argc()) return ctx.reply.Error(err::kSyntax);
    if (ArgIs(ctx, i, "count")) {
      if (!ArgInt(ctx, i + 1, &opts.count)) return;
      if (opts.count < 1) return ctx.reply.Error(err::kSyntax);
    } else if (ArgIs(ctx, i, "match")) {
      opts.pattern = ctx.arg(i + 1);
    } else if (ArgIs(ctx, i, "type")) {
      opts.type = ctx.arg(i + 1);
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
  }
  std::vector<std::string> keys;
  cursor = ScanKeys(ctx.db(), cursor, opts, &keys);
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(cursor));
  ctx.reply.ArrayHeader(static_cast<int64_t>(keys.size()));
  for (const std::string& k : keys) ctx.reply.Bulk(k);
}

void RandomkeyCmd(CommandContext& ctx) {
  Entry* e = ctx.db().RandomEntry();
  if (!e) return ctx.reply.Null();
  ctx.reply.Bulk(e->key());
}

void DbsizeCmd(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.db().size()));
}

// [ASYNC|SYNC]. Both free synchronously here: ASYNC would need a
// background thread handed the detached tables (design.md "Threads"); the
// reply and the resulting state are the same.
bool ParseFlushMode(CommandContext& ctx) {
  if (ctx.argc() == 1) return true;
  if (ctx.argc() == 2 && (ArgIs(ctx, 1, "async") || ArgIs(ctx, 1, "sync"))) return true;
  ctx.reply.Error(err::kSyntax);
  return false;
}

void FlushdbCmd(CommandContext& ctx) {
  if (!ParseFlushMode(ctx)) return;
  ctx.server.TouchFlushedDb(ctx.client.db);
  ctx.dirty += ctx.db().Clear();
  ctx.reply.Ok();
}

void FlushallCmd(CommandContext& ctx) {
  if (!ParseFlushMode(ctx)) return;
  ctx.server.TouchFlushedDb(-1);
  ctx.dirty += ctx.server.keyspace().FlushAll();
  ctx.reply.Ok();
}

// ---- EXPIRE family -----------------------------------------------------

// Parses [NX|XX|GT|LT] from argument 3 on, with Redis's error texts.
bool ParseExpireConditions(CommandContext& ctx, unsigned* out) {
  unsigned c = 0;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    if (ArgIs(ctx, i, "nx")) {
      c |= kExpireNx;
    } else if (ArgIs(ctx, i, "xx")) {
      c |= kExpireXx;
    } else if (ArgIs(ctx, i, "gt")) {
      c |= kExpireGt;
    } else if (ArgIs(ctx, i, "lt")) {
      c |= kExpireLt;
    } else {
      ctx.reply.Error("ERR Unsupported option " + std::string(ctx.arg(i)));
      return false;
    }
  }
  if ((c & kExpireNx) && (c & (kExpireXx | kExpireGt | kExpireLt))) {
    ctx.reply.Error("ERR NX and XX, GT or LT options at the same time are not compatible");
    return false;
  }
  if ((c & kExpireGt) && (c & kExpireLt)) {
    ctx.reply.Error("ERR GT and LT options at the same time are not compatible");
    return false;
  }
  *out = c;
  return true;
}

void ExpireGeneric(CommandContext& ctx, bool seconds, bool relative) {
  unsigned conditions;
  if (!ParseExpireConditions(ctx, &conditions)) return;
  int64_t value, when;
  if (!ArgInt(ctx, 2, &value)) return;
  int64_t base = relative ? ctx.server.keyspace().ctx().now_ms : 0;
  if (!ExpireTimeMs(value, seconds, base, &when)) {
    return ctx.reply.Error("ERR invalid expire time in '" + std::string(ctx.spec->name) +
                           "' command");
  }
  // While replaying the log a past time is stored, not turned into a DEL:
  // the log holds the DEL that followed, if any (Redis's checkAlreadyExpired).
  auto r = ExpireKey(ctx.db(), ctx.arg(1), when, conditions, !ctx.server.loading);
  if (!r.ok()) return ctx.reply.Integer(0);
  ++ctx.dirty;
  ctx.reply.Integer(1);
}

void ExpireCmd(CommandContext& ctx) {
  ExpireGeneric(ctx, true, true);
}
void PexpireCmd(CommandContext& ctx) {
  ExpireGeneric(ctx, false, true);
}
void ExpireatCmd(CommandContext& ctx) {
  ExpireGeneric(ctx, true, false);
}
void PexpireatCmd(CommandContext& ctx) {
  ExpireGeneric(ctx, false, false);
}

void TtlCmd(CommandContext& ctx) {
  ctx.reply.Integer(KeyTtl(ctx.db(), ctx.arg(1), false, false));
}
void PttlCmd(CommandContext& ctx) {
  ctx.reply.Integer(KeyTtl(ctx.db(), ctx.arg(1), true, false));
}
void ExpiretimeCmd(CommandContext& ctx) {
  ctx.reply.Integer(KeyTtl(ctx.db(), ctx.arg(1), false, true));
}
void PexpiretimeCmd(CommandContext& ctx) {
  ctx.reply.Integer(KeyTtl(ctx.db(), ctx.arg(1), true, true));
}

void PersistCmd(CommandContext& ctx) {
  if (!PersistKey(ctx.db(), ctx.arg(1))) return ctx.reply.Integer(0);
  ++ctx.dirty;
  ctx.reply.Integer(1);
}

// ---- OBJECT ------------------------------------------------------------

// OBJECT looks keys up without touching them, but counts hits/misses.
Entry* ObjectLookup(CommandContext& ctx) {
  Entry* e = ctx.db().Lookup(ctx.arg(2), Db::kNoTouch);
  if (!e) ctx.reply.Null();
  return e;
}

void ObjectEncodingCmd(CommandContext& ctx) {
  if (Entry* e = ObjectLookup(ctx)) ctx.reply.Bulk(e->EncodingName());
}

void ObjectRefcountCmd(CommandContext& ctx) {
  if (Entry* e = ObjectLookup(ctx)) ctx.reply.Integer(RefCount(e, SharedIntegers(ctx)));
}

void ObjectIdletimeCmd(CommandContext& ctx) {
  Entry* e = ObjectLookup(ctx);
  if (!e) return;
  if (PolicyIsLfu(MaxmemoryPolicy(ctx))) return ctx.reply.Error(kLfuSelected);
  ctx.reply.Integer(IdleSeconds(e, ctx.server.keyspace().ctx().lru_clock));
}

void ObjectFreqCmd(CommandContext& ctx) {
  Entry* e = ObjectLookup(ctx);
  if (!e) return;
  if (!PolicyIsLfu(MaxmemoryPolicy(ctx))) return ctx.reply.Error(kLfuNotSelected);
  ctx.reply.Integer(ctx.db().LfuCounter(e));
}

void ObjectHelpCmd(CommandContext& ctx) {
  static constexpr const char* kHelp[] = {
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply.ArrayHeader(static_cast<int64_t>(std::size(kHelp)) + 1);
  ctx.reply.Simple("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  for (const char* line : kHelp) ctx.reply.Simple(line);
}

// ---- table -------------------------------------------------------------

constexpr const char* kExpireComplexity = "O(1)";

constexpr CommandSpec kObjectSubcommands[] = {
    {"encoding", 3, kCmdReadonly, kAclKeyspace, 2, 2, 1, ObjectEncodingCmd, "generic", "2.2.3",
     "Inspect the internal encoding of a Redis object", "O(1)", "key"},
    {"freq", 3, kCmdReadonly, kAclKeyspace, 2, 2, 1, ObjectFreqCmd, "generic", "4.0.0",
     "Get the logarithmic access frequency counter of a Redis object", "O(1)", "key"},
    {"help", 2, kCmdLoading | kCmdStale, kAclKeyspace, 0, 0, 0, ObjectHelpCmd, "generic", "6.2.0",
     "Show helpful text about the different subcommands", "O(1)", ""},
    {"idletime", 3, kCmdReadonly, kAclKeyspace, 2, 2, 1, ObjectIdletimeCmd, "generic", "2.2.3",
     "Get the time since a Redis object was last accessed", "O(1)", "key"},
    {"refcount", 3, kCmdReadonly, kAclKeyspace, 2, 2, 1, ObjectRefcountCmd, "generic", "2.2.3",
     "Get the number of references to the value of the key", "O(1)", "key"},
};

constexpr CommandSpec kCommands[] = {
    {"del", -2, kCmdWrite, kAclKeyspace, 1, -1, 1, DelCmd, "generic", "1.0.0", "Delete a key",
     "O(N) where N is the number of keys that will be removed. When a key to remove holds a "
     "value other than a string, the individual complexity for this key is O(M) where M is the "
     "number of elements in the list, set, sorted set or hash. Removing a single key that holds "
     "a string value is O(1).",
     "key [key ...]"},
    {"unlink", -2, kCmdWrite | kCmdFast, kAclKeyspace, 1, -1, 1, UnlinkCmd, "generic", "4.0.0",
     "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non "
     "blocking.",
     "O(1) for each key removed regardless of its size. Then the command does O(N) work in a "
     "different thread in order to reclaim memory, where N is the number of allocations the "
     "deleted objects where composed of.",
     "key [key ...]"},
    {"exists", -2, kCmdReadonly | kCmdFast, kAclKeyspace, 1, -1, 1, ExistsCmd, "generic", "1.0.0",
     "Determine if a key exists", "O(N) where N is the number of keys to check.", "key [key ...]"},
    {"type", 2, kCmdReadonly | kCmdFast, kAclKeyspace, 1, 1, 1, TypeCmd, "generic", "1.0.0",
     "Determine the type stored at key", "O(1)", "key"},
    {"touch", -2, kCmdReadonly | kCmdFast, kAclKeyspace, 1, -1, 1, TouchCmd, "generic", "3.2.1",
     "Alters the last access time of a key(s). Returns the number of existing keys specified.",
     "O(N) where N is the number of keys that will be touched.", "key [key ...]"},
    {"rename", 3, kCmdWrite, kAclKeyspace, 1, 2, 1, RenameCmd, "generic", "1.0.0", "Rename a key",
     "O(1)", "key newkey"},
    {"renamenx", 3, kCmdWrite | kCmdFast, kAclKeyspace, 1, 2, 1, RenamenxCmd, "generic", "1.0.0",
     "Rename a key, only if the new key does not exist", "O(1)", "key newkey"},
    {"move", 3, kCmdWrite | kCmdFast, kAclKeyspace, 1, 1, 1, MoveCmd, "generic", "1.0.0",
     "Move a key to another database", "O(1)", "key db"},
    {"copy", -3, kCmdWrite | kCmdDenyOom, kAclKeyspace, 1, 2, 1, CopyCmd, "generic", "6.2.0",
     "Copy a key",
     "O(N) worst case for collections, where N is the number of nested items. O(1) for string "
     "values.",
     "source destination [DB destination-db] [REPLACE]"},
    {"swapdb", 3, kCmdWrite | kCmdFast, kAclKeyspace | kAclDangerous, 0, 0, 0, SwapdbCmd, "server",
     "4.0.0", "Swaps two Redis databases",
     "O(N) where N is the count of clients watching or blocking on keys from both databases.",
     "index1 index2"},
    {"keys", 2, kCmdReadonly, kAclKeyspace | kAclDangerous, 0, 0, 0, KeysCmd, "generic", "1.0.0",
     "Find all keys matching the given pattern",
     "O(N) with N being the number of keys in the database, under the assumption that the key "
     "names in the database and the given pattern have limited length.",
     "pattern"},
    {"scan", -2, kCmdReadonly, kAclKeyspace, 0, 0, 0, ScanCmd, "generic", "2.8.0",
     "Incrementally iterate the keys space",
     "O(1) for every call. O(N) for a complete iteration, including enough command calls for "
     "the cursor to return back to 0. N is the number of elements inside the collection.",
     "cursor [MATCH pattern] [COUNT count] [TYPE type]"},
    {"randomkey", 1, kCmdReadonly, kAclKeyspace, 0, 0, 0, RandomkeyCmd, "generic", "1.0.0",
     "Return a random key from the keyspace", "O(1)", ""},
    {"dbsize", 1, kCmdReadonly | kCmdFast, kAclKeyspace, 0, 0, 0, DbsizeCmd, "server", "1.0.0",
     "Return the number of keys in the selected database", "O(1)", ""},
    {"flushdb", -1, kCmdWrite, kAclKeyspace | kAclDangerous, 0, 0, 0, FlushdbCmd, "server", "1.0.0",
     "Remove all keys from the current database",
     "O(N) where N is the number of keys in the selected database", "[ASYNC|SYNC]"},
    {"flushall", -1, kCmdWrite, kAclKeyspace | kAclDangerous, 0, 0, 0, FlushallCmd, "server",
     "1.0.0", "Remove all keys from all databases",
     "O(N) where N is the total number of keys in all databases", "[ASYNC|SYNC]"},
    {"expire", -3, kCmdWrite | kCmdFast, kAclKeyspace, 1, 1, 1, ExpireCmd, "generic", "1.0.0",
     "Set a key's time to live in seconds", kExpireComplexity, "key seconds [NX|XX|GT|LT]"},
    {"pexpire", -3, kCmdWrite | kCmdFast, kAclKeyspace, 1, 1, 1, PexpireCmd, "generic", "2.6.0",
     "Set a key's time to live in milliseconds", kExpireComplexity,
     "key milliseconds [NX|XX|GT|LT]"},
    {"expireat", -3, kCmdWrite | kCmdFast, kAclKeyspace, 1, 1, 1, ExpireatCmd, "generic", "1.2.0",
     "Set the expiration for a key as a UNIX timestamp", kExpireComplexity,
     "key unix-time-seconds [NX|XX|GT|LT]"},
    {"pexpireat", -3, kCmdWrite | kCmdFast, kAclKeyspace, 1, 1, 1, PexpireatCmd, "generic", "2.6.0",
     "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
     kExpireComplexity, "key unix-time-milliseconds [NX|XX|GT|LT]"},
    {"ttl", 2, kCmdReadonly | kCmdFast, kAclKeyspace, 1, 1, 1, TtlCmd, "generic", "1.0.0",
     "Get the time to live for a key in seconds", "O(1)", "key"},
    {"pttl", 2, kCmdReadonly | kCmdFast, kAclKeyspace, 1, 1, 1, PttlCmd, "generic", "2.6.0",
     "Get the time to live for a key in milliseconds", "O(1)", "key"},
    {"expiretime", 2, kCmdReadonly | kCmdFast, kAclKeyspace, 1, 1, 1, ExpiretimeCmd, "generic",
     "7.0.0", "Get the expiration Unix timestamp for a key", "O(1)", "key"},
    {"pexpiretime", 2, kCmdReadonly | kCmdFast, kAclKeyspace, 1, 1, 1, PexpiretimeCmd, "generic",
     "7.0.0", "Get the expiration Unix timestamp for a key in milliseconds", "O(1)", "key"},
    {"persist", 2, kCmdWrite | kCmdFast, kAclKeyspace, 1, 1, 1, PersistCmd, "generic", "2.2.0",
     "Remove the expiration from a key", "O(1)", "key"},
    {"object", -2, 0, 0, 0, 0, 0, nullptr, "generic", "2.2.3",
     "A container for object introspection commands", "Depends on subcommand.", "",
     kObjectSubcommands},
};

}  // namespace

std::span<const CommandSpec> KeyCommands() {
  return kCommands;
}

}  // namespace ordis
