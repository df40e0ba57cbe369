// BlockingRegistry: clients waiting in a blocking command (BLPOP, BRPOP,
// BLMOVE, BRPOPLPUSH, BLMPOP, ...) until a key they wait for gets data, a
// timeout passes, or CLIENT UNBLOCK.
//
// Protocol, as Redis 7.0 (blocked.c):
//   1. A handler that finds nothing to serve at once (and is not inside
//      MULTI/EXEC) calls Block(): the client gets Client::kBlocked and no
//      reply; the network layer stops running its buffered requests.
//   2. Every write command signals its key arguments (SignalKey, done by
//      Server::Call); MOVE/COPY ... DB and SWAPDB signal through
//      Server::TouchKey / TouchSwappedDbs. Signals are cheap no-ops for keys
//      nobody waits for.
//   3. After each top-level command (Server::Dispatch), ServeReadyKeys()
//      visits the signalled keys in signal order; for each, the clients
//      blocked on it are offered the key in FIFO order through their ServeFn.
//      Serving may signal more keys (BLMOVE pushes); they are served in the
//      same call, until nothing is ready.
//   4. CheckTimeouts() (cron) answers a null array to clients whose deadline
//      passed; Unblock() serves CLIENT UNBLOCK; RemoveClient() forgets a
//      client that disconnects.
// On every way out the client loses kBlocked and the ClientHost (if any) is
// told, so it flushes the reply and resumes the client's pending input.
//
// Statistics follow Redis 7.0: the blocking call counts in commandstats
// when it blocks (Server::Call); serving adds its time and, when the reply
// is an error (or the client was unblocked by CLIENT UNBLOCK), a failed call.
//
// The registry knows nothing of value types: each blocking command passes
// a ServeFn that re-reads its own (saved) arguments.
//
// Thread safety: none; loop thread only.
#pragma once

#include <cstdint>
#include <list>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cmd/command.h"

namespace ordis {

class Server;

// Parses a blocking timeout in seconds (a float, as Redis: strtold syntax,
// "0" = forever) into an absolute deadline in ms since the epoch (0 =
// forever). On failure replies "ERR timeout is not a float or out of
// range" / "ERR timeout is negative" and returns false.
bool ArgBlockTimeout(CommandContext& ctx, size_t i, int64_t* deadline_ms);

class BlockingRegistry {
 public:
  // Offers `key` (in db ctx.client.db) to a client blocked in ctx.spec with
  // its saved arguments ctx.args. Returns true when it wrote the client's
  // one reply (data or error): the client is then unblocked. Returns false
  // (and writes nothing) when the key cannot serve it (gone, empty, another
  // type): the client stays blocked where it is in the queue.
  // May modify the dataset (ctx.dirty) and signal further keys.
  using ServeFn = bool (*)(CommandContext& ctx, std::string_view key);

  enum class UnblockReason { kTimeout, kError };

  explicit BlockingRegistry(Server& server) : server_(server) {}
  BlockingRegistry(const BlockingRegistry&) = delete;
  BlockingRegistry& operator=(const BlockingRegistry&) = delete;

  // Blocks ctx.client on `keys` (duplicates ignored) of its current db
  // until deadline_ms (0 = forever). Saves a copy of ctx.args for `serve`.
  // REQUIRES: the client is not blocked, keys is not empty, the handler
  // writes no reply.
  void Block(CommandContext& ctx, std::span<const std::string_view> keys, int64_t deadline_ms,
             ServeFn serve);

  // Key `key` of db `db` may have become able to serve a blocked client.
  void SignalKey(int db, std::string_view key);
  // Every key of db `db` may have (SWAPDB).
  void SignalDb(int db);
  bool has_ready() const { return !ready_.empty(); }
  // Serves the blocked clients of every signalled key (step 3 above).
  void ServeReadyKeys();

  // CLIENT UNBLOCK: replies a timeout (null array) or the UNBLOCKED error.
  // Returns false if c is not blocked.
  bool Unblock(Client& c, UnblockReason reason);
  // Times out the clients whose deadline is before now_ms.
  void CheckTimeouts(int64_t now_ms);
  // The earliest deadline of a blocked client, or 0 when none has one.
  int64_t next_deadline_ms() const { return timeouts_.empty() ? 0 : timeouts_.begin()->first; }
  // Forgets c (disconnect); no reply.
  void RemoveClient(Client& c);

  size_t blocked_count() const { return blocked_.size(); }
  // Blocked clients with a deadline (INFO clients_in_timeout_table).
  size_t timeout_count() const { return timeouts_.size(); }

 private:
  using Waiters = std::list<Client*>;
  struct Blocked {
    const CommandSpec* spec;
    std::string stat_name;
    std::vector<std::string> argv;
    int db;
    int64_t deadline_ms;
    ServeFn serve;
    // The keys waited for, each with the client's node in that key's queue.
    std::vector<std::pair<std::string, Waiters::iterator>> keys;
  };
  struct StrHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using KeyIndex = std::unordered_map<std::string, Waiters, StrHash, std::equal_to<>>;

  Waiters* FindWaiters(int db, std::string_view key);
  // Offers key to each client waiting on it, oldest first.
  void ServeKey(int db, const std::string& key);
  // Removes c from every index and clears kBlocked; tells the host (so it
  // flushes the reply and resumes c's input) when notify.
  void Release(Client& c, bool notify = true);
  // Commandstats for the end of a blocking call that wrote a reply.
  void RecordUnblock(const Blocked& b, int64_t usec, bool failed);

  Server& server_;
  std::unordered_map<Client*, Blocked> blocked_;
  std::vector<KeyIndex> keys_;                      // per db
  std::vector<std::pair<int, std::string>> ready_;  // signal order
  std::set<std::pair<int, std::string>, std::less<>> ready_set_;
  std::set<std::pair<int64_t, Client*>> timeouts_;
};

}  // namespace ordis
