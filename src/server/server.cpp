#include "server/server.h"

#include <numa.h>
#include <sched.h>
#include <sys/time.h>

#include <chrono>
#include <cstdio>

#include "cmd/command_docs.h"
#include "cmd/errors.h"
#include "cmd/orders_events.h"
#include "order/order_table.h"
#include "server/blocking.h"
#include "server/log.h"
#include "server/persistence.h"
#include "server/pubsub.h"
#include "snapshot/snapshot_manager.h"
#include "util/strutil.h"

namespace ordis {

Db& CommandContext::db() {
  return server.keyspace().db(client.db);
}

Server::Server(Config cfg)
    : cfg_(std::move(cfg)),
      registry_(&cfg_),
      keyspace_(std::make_unique<Keyspace>(static_cast<int>(cfg_.databases))) {
  blocking_ = std::make_unique<BlockingRegistry>(*this);
  persistence_ = std::make_unique<Persistence>(*this);
  InstallKeyspaceHooks();
  // Deliveries wake the receiver's writer through whatever host is set then.
  pubsub_ = std::make_unique<PubSub>([this](Client* c) {
    if (host_) host_->WakeWriter(c);
  });
  stats_.start_time_ms = NowMs();
  lastsave_sec = stats_.start_time_ms / 1000;
  keyspace_->SetTime(stats_.start_time_ms);
  static const char kHex[] = "0123456789abcdef";
  std::random_device rd;
  for (int i = 0; i < 40; ++i) run_id.push_back(kHex[rd() % 16]);
  snapshots_ = std::make_unique<snapshot::Manager>(*this);
}

Server::~Server() = default;

void Server::OnSnapshotSaved(uint64_t lsn) {
  persistence_->SnapshotSaved(lsn);  // the WAL retires what the snapshot covers
}

uint64_t Server::last_lsn() const {
  return persistence_->last_lsn();
}

void Server::InstallKeyspaceHooks() {
  KeyspaceContext& kc = keyspace_->ctx();
  kc.expire_hook = &Persistence::OnKeyExpired;
  kc.expire_hook_arg = persistence_.get();
}

void Server::AdvanceCommandTime() {
  int64_t now = replay_time_us_ ? replay_time_us_ : NowUs();
  if (now > cmd_time_us_ || replay_time_us_) cmd_time_us_ = now;
  keyspace_->SetTime(cmd_time_us_ / 1000);
}

std::string Server::InitOrders() {
  if (orders_) return orders_error_;
  order::OrderTableOptions o;
  o.capacity = static_cast<uint64_t>(cfg_.order_table_capacity);
  o.hugepages = cfg_.order_hugepages == Config::kOrderHugePagesOn    ? Arena::HugePages::kOn
                : cfg_.order_hugepages == Config::kOrderHugePagesOff ? Arena::HugePages::kOff
                                                                     : Arena::HugePages::kAuto;
  o.numa_node = static_cast<int>(cfg_.order_numa_node);
  if (cfg_.order_numa_node == Config::kOrderNumaAuto) {
    // The node of the CPU the loop thread runs on now.
    int cpu = sched_getcpu();
    o.numa_node = numa_available() >= 0 && cpu >= 0 ? numa_node_of_cpu(cpu) : -1;
  }
  o.completed_keep = static_cast<uint64_t>(cfg_.order_completed_keep);
  orders_ = std::make_unique<order::OrderTable>();
  orders_error_ = orders_->Init(o);
  order_events_ = MakeOrderEventPublisher(*this);
  // Persistence sees every change first (to log expiries and track what
  // is pending), then hands it to the event publisher.
  persistence_->set_next_listener(order_events_.get());
  orders_->set_listener(persistence_.get());
  return orders_error_;
}

int64_t Server::NowUs() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t Server::NowMs() {
  return NowUs() / 1000;
}

void Server::AddClient(Client* c) {
  clients_[c->id] = c;
  ++stats_.total_connections_received;
}

void Server::RemoveClient(Client* c) {
  blocking_->RemoveClient(*c);
  pubsub_->RemoveClient(*c);
  Unwatch(*c);
  clients_.erase(c->id);
  std::erase(monitors_, c);
}

size_t Server::Publish(std::string_view channel, std::string_view message) {
  return pubsub_->Publish(channel, message);
}

bool Server::HasSubscribers(std::string_view channel) const {
  return pubsub_->HasSubscribers(channel);
}

bool Server::IsPaused(const CommandSpec* spec) const {
  if (pause_until_ms == 0) return false;
  if (NowMs() >= pause_until_ms) return false;
  if (!pause_writes_only) return true;
  return spec && (spec->flags & (kCmdWrite | kCmdMayReplicate));
}

bool Server::IsPaused(const Client& c, const CommandSpec* spec) const {
  if (IsPaused(spec)) return true;
  // EXEC of a transaction that queued writes waits out a WRITE pause.
  return spec && std::string_view(spec->name) == "exec" && (c.flags & Client::kMultiWrites) &&
         pause_until_ms != 0 && NowMs() < pause_until_ms;
}

// ---- WATCH ----------------------------------------------------------------

namespace {

// Looks a key up without deleting it when expired: WATCH must tell a stale
// key (present but past its TTL) from a missing one, as Redis's keyIsExpired.
Entry* PeekKey(Keyspace& ks, int db, std::string_view key) {
  KeyspaceContext& kc = ks.ctx();
  bool lazy = kc.lazy_expire_enabled;
  kc.lazy_expire_enabled = false;
  Entry* e = ks.db(db).FindQuiet(key);
  kc.lazy_expire_enabled = lazy;
  return e;
}

Client::WatchedKey* FindWatched(Client& c, int db, std::string_view key) {
  for (Client::WatchedKey& wk : c.watched)
    if (wk.db == db && wk.key == key) return &wk;
  return nullptr;
}

}  // namespace

std::vector<Client*>* Server::Watchers(int db, std::string_view key) {
  if (static_cast<size_t>(db) >= watch_index_.size()) return nullptr;
  WatchIndex& idx = watch_index_[static_cast<size_t>(db)];
  auto it = idx.find(key);
  return it == idx.end() ? nullptr : &it->second;
}

void Server::Watch(Client& c, std::string_view key) {
  if (FindWatched(c, c.db, key)) return;
  if (watch_index_.size() < static_cast<size_t>(keyspace_->db_count()))
    watch_index_.resize(static_cast<size_t>(keyspace_->db_count()));
  WatchIndex& idx = watch_index_[static_cast<size_t>(c.db)];
  auto it = idx.find(key);
  if (it == idx.end()) it = idx.emplace(std::string(key), std::vector<Client*>{}).first;
  it->second.push_back(&c);
  Db& db = keyspace_->db(c.db);
  Entry* e = PeekKey(*keyspace_, c.db, key);
  bool expired = e && db.IsExpired(e);
  bool had_ttl = e && !expired && db.GetExpire(e) >= 0;
  c.watched.push_back({c.db, std::string(key), expired, had_ttl});
  ++watched_count_;
}

void Server::Unwatch(Client& c) {
  for (const Client::WatchedKey& wk : c.watched) {
    WatchIndex& idx = watch_index_[static_cast<size_t>(wk.db)];
    auto it = idx.find(wk.key);
    if (it == idx.end()) continue;
    std::erase(it->second, &c);
    if (it->second.empty()) idx.erase(it);
    --watched_count_;
  }
  c.watched.clear();
}

void Server::MarkDirtyCas(Client& c) {
  c.flags |= Client::kDirtyCas;
  Unwatch(c);
}

void Server::TouchKey(int db, std::string_view key) {
  blocking_->SignalKey(db, key);
  if (watched_count_ == 0) return;
  std::vector<Client*>* w = Watchers(db, key);
  if (!w) return;
  std::vector<Client*> dirty;
  for (Client* c : *w) {
    Client::WatchedKey* wk = FindWatched(*c, db, key);
    if (wk && wk->expired) {
      // A key that was already stale at WATCH time: deleting it is no
      // logical change; it staying stale is none either.
      Entry* e = PeekKey(*keyspace_, db, key);
      if (!e) {
        wk->expired = false;
        continue;
      }
      if (keyspace_->db(db).IsExpired(e)) continue;
    }
    dirty.push_back(c);
  }
  // Unwatch after the loop: it edits the vector being iterated.
  for (Client* c : dirty) MarkDirtyCas(*c);
}

void Server::TouchFlushedDb(int db) {
  if (watched_count_ == 0) return;
  int first = db < 0 ? 0 : db;
  int last = db < 0 ? keyspace_->db_count() - 1 : db;
  std::vector<Client*> dirty;
  for (int d = first; d <= last && static_cast<size_t>(d) < watch_index_.size(); ++d) {
    for (auto& [key, clients] : watch_index_[static_cast<size_t>(d)]) {
      if (!PeekKey(*keyspace_, d, key)) continue;
      for (Client* c : clients) {
        Client::WatchedKey* wk = FindWatched(*c, d, key);
        if (wk && wk->expired) {
          wk->expired = false;  // stale key deleted: no logical change
          continue;
        }
        dirty.push_back(c);
      }
    }
  }
  for (Client* c : dirty)
    if (!(c->flags & Client::kDirtyCas)) MarkDirtyCas(*c);
}

void Server::TouchSwappedDbs(int a, int b) {
  blocking_->SignalDb(a);
  blocking_->SignalDb(b);
  if (watched_count_ == 0 || a == b) return;
  std::vector<Client*> dirty;
  // A watched key changes if it exists on either side, except when a stale
  // key is replaced by nothing or by another stale key, or nothing by a
  // stale key (all logically "no key").
  for (auto [emptied, with] : {std::pair{a, b}, std::pair{b, a}}) {
    if (static_cast<size_t>(emptied) >= watch_index_.size()) continue;
    Db& with_db = keyspace_->db(with);
    for (auto& [key, clients] : watch_index_[static_cast<size_t>(emptied)]) {
      bool in_emptied = PeekKey(*keyspace_, emptied, key) != nullptr;
      Entry* repl = PeekKey(*keyspace_, with, key);
      if (!in_emptied && !repl) continue;
      bool repl_stale = repl && with_db.IsExpired(repl);
      for (Client* c : clients) {
        Client::WatchedKey* wk = FindWatched(*c, emptied, key);
        if (wk && wk->expired) {
          if (!repl) {
            wk->expired = false;
            continue;
          }
          if (repl_stale) continue;
        } else if (wk && !in_emptied && repl_stale) {
          wk->expired = true;
          continue;
        }
        dirty.push_back(c);
      }
    }
  }
  for (Client* c : dirty)
    if (!(c->flags & Client::kDirtyCas)) MarkDirtyCas(*c);
}

bool Server::WatchedKeyExpired(const Client& c) {
  for (const Client::WatchedKey& wk : c.watched) {
    if (wk.expired) continue;
    Entry* e = PeekKey(*keyspace_, wk.db, wk.key);
    if (e ? keyspace_->db(wk.db).IsExpired(e) : wk.had_ttl) return true;
  }
  return false;
}

std::string Server::UnknownCommandError(ArgList args) const {
  std::string msg = "ERR unknown command '";
  msg.append(args[0].substr(0, 128));
  msg += "', with args beginning with: ";
  std::string rest;
  for (size_t j = 1; j < args.size() && rest.size() < 128; ++j) {
    rest += '\'';
    rest.append(args[j].substr(0, 128 - rest.size()));
    rest += "' ";
  }
  return msg + rest;
}

static void CountError(void* arg, std::string_view code) {
  auto* stats = static_cast<ServerStats*>(arg);
  ++stats->total_error_replies;
  // Redis caps distinct error codes at 128 to bound memory.
  auto it = stats->errors.find(std::string(code));
  if (it != stats->errors.end()) {
    ++it->second;
  } else if (stats->errors.size() < 128) {
    stats->errors.emplace(std::string(code), 1);
  } else {
    ++stats->errors["ERRORSTATS_DISABLED"];
  }
}

// Commands a RESP2 client in subscribed mode may run (full names).
static bool AllowedWhileSubscribed(std::string_view name) {
  for (std::string_view ok : {"ping", "subscribe", "ssubscribe", "psubscribe", "unsubscribe",
                              "sunsubscribe", "punsubscribe", "quit", "reset"})
    if (name == ok) return true;
  return false;
}

void Server::RejectCommand(Client& c, const std::string& stat_name, std::string_view error) {
  if (!stat_name.empty()) ++stats_.commands[stat_name].rejected_calls;
  if (c.in_multi()) c.flags |= Client::kDirtyExec;
  c.reply.set_error_hook(CountError, &stats_);
  c.reply.Error(error);
}

void Server::Dispatch(Client& c, ArgList args) {
  const CommandSpec* spec = table_.Find(args[0]);
  c.reply.set_error_hook(CountError, &stats_);
  bool skip_reply = c.flags & Client::kReplySkip;
  if (skip_reply || (c.flags & Client::kReplyOff)) c.reply.set_buffer(&c.discard);
  struct Restore {
    Client& c;
    ~Restore() {
      c.reply.set_buffer(&c.out);
      c.discard.Clear();
    }
  } restore{c};

  if (!spec) {
    RejectCommand(c, "", UnknownCommandError(args));
    return;
  }
  std::string stat_name = spec->name;
  if (!CommandTable::ArityOk(spec->arity, args.size())) {
    RejectCommand(c, stat_name, "ERR wrong number of arguments for '" + stat_name + "' command");
    return;
  }
  // A container called alone runs its own handler (COMMAND) or fails its arity.
  if (!spec->subcommands.empty() && args.size() >= 2) {
    const CommandSpec* sub = CommandTable::FindSub(*spec, args[1]);
    if (!sub) {
      std::string up = stat_name;
      for (char& ch : up) ch = static_cast<char>(toupper(static_cast<unsigned char>(ch)));
      RejectCommand(c, "",
                    "ERR unknown subcommand '" + std::string(args[1].substr(0, 128)) + "'. Try " +
                        up + " HELP.");
      return;
    }
    spec = sub;
    stat_name += '|';
    stat_name += sub->name;
    if (!CommandTable::ArityOk(spec->arity, args.size())) {
      RejectCommand(c, stat_name, "ERR wrong number of arguments for '" + stat_name + "' command");
      return;
    }
  }
  // An empty requirepass means the default user needs no password, also for
  // clients connected while one was set (CONFIG SET requirepass "").
  if (!c.authenticated && !cfg_.requirepass.empty() && !(spec->flags & kCmdNoAuth)) {
    RejectCommand(c, stat_name, err::kNoAuth);
    return;
  }
  // A RESP2 subscriber's connection carries pushed messages that look like
  // replies, so it may only manage subscriptions (RESP3 marks pushes).
  if ((c.flags & Client::kPubSub) && c.proto == 2 && !AllowedWhileSubscribed(stat_name)) {
    RejectCommand(c, stat_name,
                  "ERR Can't execute '" + stat_name +
                      "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are "
                      "allowed in this context");
    return;
  }
  if (c.in_multi() && !(spec->flags & kCmdTxControl)) {
    if (spec->flags & kCmdNoMulti) {
      RejectCommand(c, stat_name, "ERR Command not allowed inside a transaction");
      return;
    }
    // An aborted transaction keeps answering QUEUED but stores nothing.
    if (!(c.flags & (Client::kDirtyCas | Client::kDirtyExec))) {
      c.multi_queue.emplace_back(args.begin(), args.end());
      if (spec->flags & (kCmdWrite | kCmdMayReplicate)) c.flags |= Client::kMultiWrites;
    }
    c.reply.Simple("QUEUED");
    return;
  }
  Call(c, spec, args, stat_name);
  // Clients blocked on keys this command (or EXEC) filled are served now.
  if (blocking_->has_ready()) blocking_->ServeReadyKeys();
}

void Server::Call(Client& c, const CommandSpec* spec, ArgList args, const std::string& stat_name) {
  int64_t start = NowUs();
  AdvanceCommandTime();
  uint64_t errors_before = c.reply.errors_written();
  CommandContext ctx{*this, c, args, c.reply, spec};
  int db = c.db;
  // Set before running: CLIENT LIST/INFO show the running command as "cmd".
  c.last_cmd = stat_name;
  Persistence& p = *persistence_;
  if ((spec->flags & kCmdWrite) && !p.write_error().empty() && !p.replaying()) {
    // The disk failed: no write may be acknowledged until the log works.
    RejectCommand(c, stat_name, p.write_error());
    return;
  }
  uint64_t lsn_before = p.last_lsn();
  log_rewrites_.clear();
  // Copy-before-write: a snapshot in progress copies what may change.
  if (snapshots_->in_progress()) snapshots_->BeforeCommand(db, *spec, args);
  spec->handler(ctx);
  if (p.enabled()) {
    if (ctx.dirty > 0 && (spec->flags & kCmdWrite)) p.LogCommand(args, db, &log_rewrites_);
    uint64_t dep = p.CommandDone(spec, args, db, lsn_before);
    if (dep > reply_dep_) reply_dep_ = dep;
  }
  int64_t duration = NowUs() - start;
  if ((spec->flags & kCmdWrite) && blocking_->blocked_count() > 0) {
    for (size_t i : CommandTable::KeyPositions(*spec, args)) blocking_->SignalKey(db, args[i]);
  }
  // A command that blocked records its latency when it is served.
  bool blocked = c.flags & Client::kBlocked;
  if (ctx.dirty > 0 && watched_count_ > 0) {
    // Only keys the command may write: SORT src STORE dst touches dst alone.
    for (const KeyRef& k : KeysOf(*spec, args))
      if (!k.flags.starts_with("RO")) TouchKey(db, args[k.pos]);
  }

  CommandStats& cs = stats_.commands[stat_name];
  ++cs.calls;
  cs.usec += static_cast<uint64_t>(duration);
  if (cfg_.latency_tracking && !blocked) cs.latency.Record(static_cast<uint64_t>(duration));
  if (c.reply.errors_written() != errors_before) ++cs.failed_calls;
  ++stats_.total_commands_processed;
  stats_.dirty += ctx.dirty;
  ++c.commands_processed;

  if (!(spec->flags & kCmdSkipSlowlog) && !blocked) RecordSlowlog(c, args, duration);
  if (cfg_.latency_monitor_threshold > 0 && duration / 1000 >= cfg_.latency_monitor_threshold) {
    RecordLatency((spec->flags & kCmdFast) ? "fast-command" : "command", duration / 1000);
  }
  if (!monitors_.empty() && !(spec->flags & (kCmdSkipMonitor | kCmdAdmin))) FeedMonitors(c, args);
}

void Server::RecordSlowlog(const Client& c, ArgList args, int64_t duration_us) {
  if (cfg_.slowlog_log_slower_than < 0 || duration_us < cfg_.slowlog_log_slower_than) return;
  SlowlogEntry e;
  e.id = stats_.slowlog_next_id++;
  e.time_sec = NowMs() / 1000;
  e.duration_us = duration_us;
  // Redis keeps at most 32 arguments and 128 bytes of each.
  size_t n = args.size() > 32 ? 31 : args.size();
  for (size_t i = 0; i < n; ++i) {
    if (args[i].size() > 128) {
      e.args.push_back(std::string(args[i].substr(0, 128)) + "... (" +
                       std::to_string(args[i].size() - 128) + " more bytes)");
    } else {
      e.args.emplace_back(args[i]);
    }
  }
  if (args.size() > 32)
    e.args.push_back("... (" + std::to_string(args.size() - 31) + " more arguments)");
  e.peer = c.addr;
  e.client_name = c.name;
  stats_.slowlog.push_front(std::move(e));
  while (stats_.slowlog.size() > static_cast<size_t>(cfg_.slowlog_max_len))
    stats_.slowlog.pop_back();
}

void Server::RecordLatency(const char* event, int64_t duration_ms) {
  LatencyEvent& ev = stats_.latency_events[event];
  int64_t now = NowMs() / 1000;
  if (!ev.samples.empty() && ev.samples.back().time_sec == now) {
    if (duration_ms > ev.samples.back().latency_ms) ev.samples.back().latency_ms = duration_ms;
  } else {
    ev.samples.push_back({now, duration_ms});
    if (ev.samples.size() > 160) ev.samples.pop_front();
  }
  if (duration_ms > ev.max_ms) ev.max_ms = duration_ms;
}

void Server::FeedMonitors(const Client& c, ArgList args) {
  int64_t us = NowUs();
  char head[96];
  snprintf(head, sizeof head, "+%lld.%06lld [%d %s] ", static_cast<long long>(us / 1000000),
           static_cast<long long>(us % 1000000), c.db,
           (c.flags & Client::kUnixSocket) ? "unix:" : c.addr.c_str());
  std::string line = head;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) line += ' ';
    line += '"';
    for (unsigned char ch : args[i]) {
      switch (ch) {
        case '\\':
          line += "\\\\";
          break;
        case '"':
          line += "\\\"";
          break;
        case '\n':
          line += "\\n";
          break;
        case '\r':
          line += "\\r";
          break;
        case '\t':
          line += "\\t";
          break;
        case '\a':
          line += "\\a";
          break;
        case '\b':
          line += "\\b";
          break;
        default:
          if (isprint(ch)) {
            line += static_cast<char>(ch);
          } else {
            char hex[8];
            snprintf(hex, sizeof hex, "\\x%02x", ch);
            line += hex;
          }
      }
    }
    line += '"';
  }
  line += "\r\n";
  for (Client* m : monitors_) {
    if (m == &c) continue;
    m->out.Append(line);
    if (host_) host_->WakeWriter(m);
  }
}

void Server::Cron() {
  AdvanceCommandTime();
  int64_t now = cmd_time_us_ / 1000;
  uint64_t lsn_before = persistence_->last_lsn();
  int64_t period_us = 1000000 / (cfg_.hz > 0 ? cfg_.hz : 10);
  if (cfg_.active_expire) keyspace_->ActiveExpireCycle(period_us / 4);
  if (cfg_.activerehashing) keyspace_->RehashCycle(1000);
  // instantaneous metrics, sampled every 100 ms
  if (now - stats_.ops_last_sample_ms >= 100) {
    int64_t dt = now - stats_.ops_last_sample_ms;
    size_t i = stats_.ops_sample_idx++ % stats_.ops_samples.size();
    stats_.ops_samples[i] = (stats_.total_commands_processed - stats_.ops_last_sample_count) *
                            1000 / static_cast<uint64_t>(dt);
    stats_.in_samples[i] =
        (stats_.total_net_input_bytes - stats_.in_last) * 1000 / static_cast<uint64_t>(dt);
    stats_.out_samples[i] =
        (stats_.total_net_output_bytes - stats_.out_last) * 1000 / static_cast<uint64_t>(dt);
    stats_.ops_last_sample_ms = now;
    stats_.ops_last_sample_count = stats_.total_commands_processed;
    stats_.in_last = stats_.total_net_input_bytes;
    stats_.out_last = stats_.total_net_output_bytes;
  }
  if (pause_until_ms && now >= pause_until_ms) pause_until_ms = 0;
  blocking_->CheckTimeouts(now);
  if (orders_) {
    // GTD expiry (up to 10,000 per tick) and incremental index resizing.
    orders_->ExpireDue(cmd_time_us_, 10000);
    orders_->Housekeeping(4096);
  }
  // Expiries logged above: the events they published wait for them too.
  if (persistence_->enabled()) {
    persistence_->EffectsDone();
    persistence_->Cron();
    if (persistence_->last_lsn() > lsn_before && persistence_->last_lsn() > reply_dep_)
      reply_dep_ = persistence_->last_lsn();
  }
  snapshots_->Cron(now);
  last_cron_ms_ = now;
}

}  // namespace ordis
