// The command table's types: CommandSpec (one per command, declared by each
// family file), its flags and ACL categories, and CommandContext (what a
// handler gets).
//
// A handler parses its arguments, calls storage operations (which return
// OpStatus / OpResult and never reply), and writes exactly one reply through
// ctx.reply. Arity has already been checked by the dispatcher.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "net/client.h"
#include "resp/reply_builder.h"
#include "util/status.h"

namespace ordis {

class Server;
class Db;
struct CommandContext;

using ArgList = std::span<const std::string_view>;
using Handler = void (*)(CommandContext& ctx);

// One key argument of a request: its index in args (args[0] is the command
// name) and its key-spec flags ("RW access update").
struct KeyRef {
  size_t pos;
  std::string flags;
};
// Key finder for commands whose key positions depend on other arguments
// ("movablekeys": ZUNIONSTORE's numkeys, SORT's STORE, GEORADIUS's STORE).
// Gets the whole request, arity already checked; returns the keys in order.
using KeysFn = std::vector<KeyRef> (*)(ArgList args);

// Command flags; each documented once here. Names as COMMAND INFO shows them.
enum CommandFlag : uint32_t {
  kCmdWrite = 1 << 0,         // "write": may modify the dataset (logged by the WAL)
  kCmdReadonly = 1 << 1,      // "readonly": reads the dataset only
  kCmdDenyOom = 1 << 2,       // "denyoom": may grow memory use
  kCmdAdmin = 1 << 3,         // "admin": server administration
  kCmdPubsub = 1 << 4,        // "pubsub"
  kCmdNoscript = 1 << 5,      // "noscript": not from scripts
  kCmdBlocking = 1 << 6,      // "blocking"
  kCmdLoading = 1 << 7,       // "loading": allowed while loading data
  kCmdStale = 1 << 8,         // "stale": allowed on a stale replica
  kCmdSkipMonitor = 1 << 9,   // "skip_monitor": not fed to MONITOR
  kCmdSkipSlowlog = 1 << 10,  // "skip_slowlog": not logged in SLOWLOG
  kCmdFast = 1 << 11,         // "fast": O(1) or O(log N)
  kCmdNoAuth = 1 << 12,       // "no_auth": allowed before AUTH
  kCmdMayReplicate = 1 << 13,
  kCmdNoMulti = 1 << 14,    // "no_multi": refused inside MULTI
  kCmdAllowBusy = 1 << 15,  // "allow_busy"
  kCmdNoMandatoryKeys = 1 << 16,
  kCmdTxControl = 1 << 17,  // MULTI/EXEC/DISCARD/WATCH/...: run even inside MULTI
  // get_keys only refines the flags of fixed key positions (SET: "OW update"
  // unless GET is given); COMMAND INFO then does not say "movablekeys".
  kCmdFixedKeys = 1 << 18,
};

// ACL categories (COMMAND INFO, ACL CAT). Bit positions are arbitrary.
enum AclCategory : uint64_t {
  kAclKeyspace = 1ULL << 0,
  kAclRead = 1ULL << 1,
  kAclWrite = 1ULL << 2,
  kAclSet = 1ULL << 3,
  kAclSortedSet = 1ULL << 4,
  kAclList = 1ULL << 5,
  kAclHash = 1ULL << 6,
  kAclString = 1ULL << 7,
  kAclBitmap = 1ULL << 8,
  kAclHyperLogLog = 1ULL << 9,
  kAclGeo = 1ULL << 10,
  kAclStream = 1ULL << 11,
  kAclPubsub = 1ULL << 12,
  kAclAdmin = 1ULL << 13,
  kAclFast = 1ULL << 14,
  kAclSlow = 1ULL << 15,
  kAclBlocking = 1ULL << 16,
  kAclDangerous = 1ULL << 17,
  kAclConnection = 1ULL << 18,
  kAclTransaction = 1ULL << 19,
  kAclScripting = 1ULL << 20,
  kAclOrder = 1ULL << 21,
};

struct CommandSpec {
  const char* name;  // lowercase; subcommands without the "parent|" prefix
  int arity;         // exact when >= 0; at least -arity when negative
  uint32_t flags;
  uint64_t acl;                       // categories beyond those implied by flags
  int first_key, last_key, key_step;  // 0,0,0 when the command has no keys
  Handler handler;                    // nullptr for containers (CONFIG, CLIENT, ...)
  // Documentation (COMMAND DOCS), so redis-cli can show hints.
  const char* group;
  const char* since;
  const char* summary;
  const char* complexity;
  // Argument syntax as in Redis's docs, e.g.
  // "key value [NX|XX] [GET] [EX seconds|PX milliseconds|KEEPTTL]".
  const char* syntax;
  std::span<const CommandSpec> subcommands = {};
  // Key-spec flags as COMMAND INFO and COMMAND GETKEYSANDFLAGS show them,
  // e.g. "OW update". Specs for successive keys are separated by ',' (LMOVE:
  // "RW access delete,RW insert"); the last one covers the remaining keys.
  // nullptr: "RO access" for readonly commands, else "RW access update".
  const char* key_flags = nullptr;
  // Set for movablekeys commands: finds the keys of a request. first_key..
  // key_step then describe only the fixed keys (as in Redis).
  KeysFn get_keys = nullptr;
};

struct CommandContext {
  Server& server;
  Client& client;
  ArgList args;
  ReplyBuilder& reply;
  const CommandSpec* spec;
  // Set by handlers that changed the dataset (for stats, WATCH, later WAL).
  uint64_t dirty = 0;

  Db& db();
  size_t argc() const { return args.size(); }
  std::string_view arg(size_t i) const { return args[i]; }
};

}  // namespace ordis
