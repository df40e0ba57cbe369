// Server: the loop thread's state (config, keyspace, clients, statistics)
// and the dispatcher that runs one request: table lookup, arity and auth
// checks, MULTI queueing, the handler, and accounting (commandstats,
// errorstats, slowlog, latency monitor, MONITOR feed).
//
// The network layer (net/) owns sockets and calls Dispatch(); it registers
// itself as the ClientHost so commands can close or wake other clients.
// Tests build a Server with no host and drive it with in-process Clients.
//
// Thread safety: none; everything here runs on the loop thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cmd/command.h"
#include "cmd/command_table.h"
#include "kv/keyspace.h"
#include "kv/types.h"
#include "net/client.h"
#include "server/config.h"
#include "server/stats.h"

namespace ordis {

class BlockingRegistry;
class PubSub;
class Persistence;
namespace order {
class OrderTable;
class OrderListener;
}  // namespace order
namespace snapshot {
class Manager;
}  // namespace snapshot

// Implemented by the network layer.
class ClientHost {
 public:
  virtual ~ClientHost() = default;
  // Close c once its pending output is written (or at once if kCloseAsap).
  virtual void CloseClient(Client* c) = 0;
  // Output was added to c outside its own request (MONITOR, CLIENT KILL...).
  virtual void WakeWriter(Client* c) = 0;
  // Stop the event loop (SHUTDOWN, signals).
  virtual void Stop() = 0;
  // Number of listening sockets / the TCP port actually bound.
  virtual int bound_port() const = 0;
  // c left a blocking command (its reply is written): flush it and resume
  // the requests c sent meanwhile.
  virtual void ClientUnblocked(Client* c) { WakeWriter(c); }
};

class Server {
 public:
  explicit Server(Config cfg);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  Config& config() { return cfg_; }
  ConfigRegistry& config_registry() { return registry_; }
  // Encoding thresholds (hash-max-listpack-entries, ...) read from the live
  // config, for the value types' encoding decisions.
  EncodingLimits encoding_limits() {
    ConfigRegistry* reg = &registry_;
    return EncodingLimits([reg](std::string_view name) { return reg->GetOne(name); });
  }
  Keyspace& keyspace() { return *keyspace_; }
  // Recreates the keyspace with n databases (startup, before any data).
  void ResizeDatabases(int n) {
    keyspace_ = std::make_unique<Keyspace>(n);
    InstallKeyspaceHooks();
  }
  const CommandTable& commands() const { return table_; }
  ServerStats& stats() { return stats_; }
  ClientHost* host() const { return host_; }
  // Clients blocked in BLPOP & co (server/blocking.h).
  BlockingRegistry& blocking() { return *blocking_; }
  void set_host(ClientHost* h) { host_ = h; }
  // Pub/Sub subscriptions (server/pubsub.h).
  PubSub& pubsub() { return *pubsub_; }

  // Pub/Sub for server code (the order tables publish their events here).
  // Publish delivers `message` on `channel` exactly as the PUBLISH command
  // does (channel subscribers, then matching patterns; RESP2 or RESP3 frame
  // per subscriber; their writers are woken) and returns the number of
  // receivers. HasSubscribers(channel) is true iff Publish(channel, ...)
  // would reach someone; it is O(1) when no pattern is subscribed, so
  // callers can skip building a message nobody reads.
  size_t Publish(std::string_view channel, std::string_view message);
  bool HasSubscribers(std::string_view channel) const;

  // The order tables (order/order_table.h). InitOrders creates them from the
  // config (order-table-capacity, order-hugepages, order-numa-node,
  // order-completed-keep) and returns "" or a message for the log; main
  // calls it at startup and refuses to start on error. orders() creates
  // them on first use otherwise (tests); after a failed init every PLACE
  // answers "table full".
  std::string InitOrders();
  order::OrderTable& orders() {
    if (!orders_) (void)InitOrders();
    return *orders_;
  }
  bool orders_created() const { return orders_ != nullptr; }

  // Runs one request for c. Replies go to c.reply (or nowhere when CLIENT
  // REPLY OFF/SKIP). args must not be empty.
  void Dispatch(Client& c, ArgList args);
  // Runs a command that is known to exist (EXEC's queued commands).
  void Call(Client& c, const CommandSpec* spec, ArgList args, const std::string& stat_name);

  // Client registry. Registered clients appear in CLIENT LIST / INFO.
  uint64_t NextClientId() { return ++last_client_id_; }
  void AddClient(Client* c);
  void RemoveClient(Client* c);
  const std::map<uint64_t, Client*>& clients() const { return clients_; }
  std::vector<Client*>& monitors() { return monitors_; }

  // Periodic work, called hz times per second by the loop.
  void Cron();

  // Durability (server/persistence.h): the WAL, reply release, recovery.
  Persistence& persistence() { return *persistence_; }
  // The time of the running command (µs since the epoch): the wall clock,
  // never going backwards, or the logged time while the WAL is replayed.
  // Order commands take their time from here; the keyspace clock is the
  // same instant in ms.
  int64_t command_time_us() const { return cmd_time_us_; }
  // Replay only: the next Call runs at this time (0: the wall clock).
  void set_replay_time_us(int64_t us) { replay_time_us_ = us; }
  // Handlers of non-deterministic writes log what they did instead of the
  // command itself (SPOP -> SREM key members..., ORDER.PLACE ... ID n).
  // Each call adds one WAL entry; used only when the command is logged.
  void LogRewrite(std::vector<std::string> args) { log_rewrites_.push_back(std::move(args)); }
  // The LSN the replies written since the last call depend on (0: none);
  // the network layer holds them until persistence().release_lsn() >= it.
  uint64_t TakeReplyDependency() {
    uint64_t d = reply_dep_;
    reply_dep_ = 0;
    return d;
  }
  // LSN the loaded snapshot covers (0: none), set before the WAL replay.
  uint64_t snapshot_lsn() const { return snapshot_lsn_; }
  void set_snapshot_lsn(uint64_t lsn) { snapshot_lsn_ = lsn; }
  // Runs f as the effect of an event outside a client command (cron
  // expiry...), at the current time.
  void AdvanceCommandTime();

  // Snapshots (snapshot/snapshot_manager.h): SAVE, BGSAVE, save rules and
  // the copy-before-write hooks Call() runs while one is in progress.
  snapshot::Manager& snapshots() { return *snapshots_; }
  // The LSN of the last write applied (the WAL's; 0 without one): a
  // snapshot started now is consistent with it.
  uint64_t last_lsn() const;
  // A snapshot consistent with `lsn` is durable and renamed into place
  // (the WAL may retire the segments it covers).
  void OnSnapshotSaved(uint64_t lsn);

  // Wall clock in ms / us since the epoch.
  static int64_t NowMs();
  static int64_t NowUs();

  // WATCH bookkeeping (MULTI/EXEC optimistic locking). Touching a key marks
  // every client watching it kDirtyCas, so its next EXEC replies a null
  // array. Call() touches the key arguments of every command that reports
  // ctx.dirty > 0; commands that change keys outside their key arguments
  // call TouchKey / TouchFlushedDb / TouchSwappedDbs themselves.
  //
  // Watches c.db/key for c (no-op if already watched).
  void Watch(Client& c, std::string_view key);
  // Forgets every key c watches (UNWATCH, EXEC, DISCARD, disconnect).
  void Unwatch(Client& c);
  // Key `key` of db `db` was modified (MOVE's target, COPY ... DB n, ...).
  void TouchKey(int db, std::string_view key);
  // FLUSHDB (db >= 0) or FLUSHALL (db = -1).
  // REQUIRES: called before the db is emptied (it checks which watched keys
  // exist, so that WATCHed stale or missing keys are not counted as changed).
  void TouchFlushedDb(int db);
  // SWAPDB a b. REQUIRES: called before the swap.
  void TouchSwappedDbs(int a, int b);
  // True if a key c watches expired after WATCH (EXEC then aborts).
  bool WatchedKeyExpired(const Client& c);
  size_t watched_keys_count() const { return watched_count_; }

  // Client pause (CLIENT PAUSE): until when, and whether only writes wait.
  int64_t pause_until_ms = 0;
  bool pause_writes_only = false;
  bool IsPaused(const CommandSpec* spec) const;
  // As above for a request of c: also holds c's EXEC under a WRITE pause
  // when its transaction queued writes (Redis pauses such EXECs too).
  bool IsPaused(const Client& c, const CommandSpec* spec) const;

  bool shutdown_requested = false;
  int64_t lastsave_sec = 0;
  std::string run_id;
  std::string executable;
  bool loading = false;

  // Rejected-command accounting for errors raised before a handler runs.
  void RejectCommand(Client& c, const std::string& stat_name, std::string_view error);
  // Adds args (run by c) to the slow log if it took long enough. Call()
  // does it, except for a command that blocked: that is logged when served.
  void RecordSlowlog(const Client& c, ArgList args, int64_t duration_us);

 private:
  void FeedMonitors(const Client& c, ArgList args);
  void InstallKeyspaceHooks();
  void RecordLatency(const char* event, int64_t duration_ms);
  std::string UnknownCommandError(ArgList args) const;
  // Watchers of (db, key), or nullptr.
  std::vector<Client*>* Watchers(int db, std::string_view key);
  // Dirties c's transaction and drops its watches (nothing left to check).
  void MarkDirtyCas(Client& c);

  Config cfg_;
  ConfigRegistry registry_;
  std::unique_ptr<Keyspace> keyspace_;
  CommandTable table_;
  ServerStats stats_;
  ClientHost* host_ = nullptr;
  std::unique_ptr<BlockingRegistry> blocking_;
  std::unique_ptr<PubSub> pubsub_;
  std::unique_ptr<Persistence> persistence_;
  std::unique_ptr<order::OrderListener> order_events_;  // outlives orders_
  std::unique_ptr<order::OrderTable> orders_;
  std::string orders_error_;
  std::map<uint64_t, Client*> clients_;
  std::vector<Client*> monitors_;
  uint64_t last_client_id_ = 0;

  // Per db: watched key -> clients watching it. Transparent hashing so a
  // touch looks keys up by string_view without allocating.
  struct StrHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using WatchIndex =
      std::unordered_map<std::string, std::vector<Client*>, StrHash, std::equal_to<>>;
  std::vector<WatchIndex> watch_index_;
  size_t watched_count_ = 0;  // (client, key) pairs; 0 keeps Call() cheap
  int64_t last_cron_ms_ = 0;
  int64_t cmd_time_us_ = 0;
  int64_t replay_time_us_ = 0;
  uint64_t reply_dep_ = 0;
  uint64_t snapshot_lsn_ = 0;
  std::vector<std::vector<std::string>> log_rewrites_;
  // Last: destroyed first, while the keyspace and order tables it hooks
  // into still exist.
  std::unique_ptr<snapshot::Manager> snapshots_;

  friend struct ErrorCounter;
};

}  // namespace ordis
