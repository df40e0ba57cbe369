#include "server/blocking.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "server/persistence.h"
#include "server/server.h"
#include "snapshot/snapshot_manager.h"

namespace ordis {

bool ArgBlockTimeout(CommandContext& ctx, size_t i, int64_t* deadline_ms) {
  std::string_view arg = ctx.arg(i);
  // Redis parses with strtold: no leading space, all of it, no NaN, no
  // overflow, no underflow to zero (string2ld; 5 KiB at most).
  long double v = 0;
  bool ok = !arg.empty() && arg.size() < 5 * 1024 && !isspace(static_cast<unsigned char>(arg[0]));
  if (ok) {
    std::string buf(arg);
    char* end = nullptr;
    errno = 0;
    v = std::strtold(buf.c_str(), &end);
    ok = end == buf.c_str() + buf.size() && !std::isnan(v) && errno != EINVAL &&
         !(errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || v == 0));
  }
  if (!ok) {
    ctx.reply.Error("ERR timeout is not a float or out of range");
    return false;
  }
  // Milliseconds rounded up. Values beyond int64 (and infinities) come out
  // negative in Redis's conversion, hence its "negative" error for them.
  long double ms = std::ceil(v * 1000.0L);
  if (!(ms > -9.2e18L && ms < 9.2e18L) || ms < 0) {
    ctx.reply.Error("ERR timeout is negative");
    return false;
  }
  int64_t t = static_cast<int64_t>(ms);  // -0.0001 rounds to 0: forever, as Redis
  *deadline_ms = t > 0 ? t + Server::NowMs() : 0;
  return true;
}

void BlockingRegistry::Block(CommandContext& ctx, std::span<const std::string_view> keys,
                             int64_t deadline_ms, ServeFn serve) {
  Client& c = ctx.client;
  Blocked& b = blocked_[&c];
  b.spec = ctx.spec;
  b.stat_name = c.last_cmd;
  b.argv.assign(ctx.args.begin(), ctx.args.end());
  b.db = c.db;
  b.deadline_ms = deadline_ms;
  b.serve = serve;
  if (keys_.size() <= static_cast<size_t>(c.db)) keys_.resize(static_cast<size_t>(c.db) + 1);
  KeyIndex& idx = keys_[static_cast<size_t>(c.db)];
  for (std::string_view key : keys) {
    bool dup = false;
    for (const auto& [k, node] : b.keys) dup = dup || k == key;
    if (dup) continue;
    auto it = idx.find(key);
    if (it == idx.end()) it = idx.emplace(std::string(key), Waiters{}).first;
    it->second.push_back(&c);
    b.keys.emplace_back(std::string(key), std::prev(it->second.end()));
  }
  if (deadline_ms > 0) timeouts_.emplace(deadline_ms, &c);
  c.flags |= Client::kBlocked;
}

BlockingRegistry::Waiters* BlockingRegistry::FindWaiters(int db, std::string_view key) {
  if (static_cast<size_t>(db) >= keys_.size()) return nullptr;
  KeyIndex& idx = keys_[static_cast<size_t>(db)];
  auto it = idx.find(key);
  return it == idx.end() ? nullptr : &it->second;
}

void BlockingRegistry::SignalKey(int db, std::string_view key) {
  if (blocked_.empty() || !FindWaiters(db, key)) return;
  std::pair<int, std::string> rk(db, std::string(key));
  if (!ready_set_.insert(rk).second) return;
  ready_.push_back(std::move(rk));
}

void BlockingRegistry::SignalDb(int db) {
  if (static_cast<size_t>(db) >= keys_.size()) return;
  std::vector<std::string> keys;
  for (const auto& [key, waiters] : keys_[static_cast<size_t>(db)]) keys.push_back(key);
  for (const std::string& key : keys) SignalKey(db, key);
}

void BlockingRegistry::ServeReadyKeys() {
  while (!ready_.empty()) {
    // Take the batch: serving may signal more keys (BLMOVE's destination).
    std::vector<std::pair<int, std::string>> batch;
    batch.swap(ready_);
    for (auto& rk : batch) {
      // Forget the signal first, so serving can signal this key again.
      ready_set_.erase(rk);
      ServeKey(rk.first, rk.second);
    }
  }
}

void BlockingRegistry::ServeKey(int db, const std::string& key) {
  Waiters* waiters = FindWaiters(db, key);
  if (!waiters) return;
  // Serving unblocks clients (editing the queue): walk a copy, and skip
  // entries no longer blocked on this key.
  std::vector<Client*> queue(waiters->begin(), waiters->end());
  Db& d = server_.keyspace().db(db);
  for (Client* c : queue) {
    if (!d.Exists(key)) break;  // popped empty: the rest wait on
    auto it = blocked_.find(c);
    if (it == blocked_.end() || it->second.db != db) continue;
    if (c->flags & Client::kCloseAsap) continue;  // being killed: leave the data
    Blocked& b = it->second;
    std::vector<std::string_view> args(b.argv.begin(), b.argv.end());
    int64_t start = Server::NowUs();
    uint64_t errors_before = c->reply.errors_written();
    // CLIENT REPLY OFF still applies to the late reply.
    if (c->flags & Client::kReplyOff) c->reply.set_buffer(&c->discard);
    CommandContext ctx{server_, *c, args, c->reply, b.spec};
    server_.keyspace().SetTime(start / 1000);
    if (server_.snapshots().in_progress()) server_.snapshots().BeforeCommand(db, *b.spec, ctx.args);
    bool served = b.serve(ctx, key);
    c->reply.set_buffer(&c->out);
    c->discard.Clear();
    if (ctx.dirty > 0) {
      server_.stats().dirty += ctx.dirty;
      server_.TouchKey(db, key);
      server_.persistence().LogServedBlocked(b.spec, args, db, key);
    }
    if (!served) continue;
    int64_t usec = Server::NowUs() - start;
    RecordUnblock(b, usec, c->reply.errors_written() != errors_before);
    if (!(b.spec->flags & kCmdSkipSlowlog)) server_.RecordSlowlog(*c, args, usec);
    Release(*c);
  }
}

void BlockingRegistry::RecordUnblock(const Blocked& b, int64_t usec, bool failed) {
  CommandStats& cs = server_.stats().commands[b.stat_name];
  cs.usec += static_cast<uint64_t>(usec);
  if (failed) ++cs.failed_calls;
  if (server_.config().latency_tracking) cs.latency.Record(static_cast<uint64_t>(usec));
}

bool BlockingRegistry::Unblock(Client& c, UnblockReason reason) {
  auto it = blocked_.find(&c);
  if (it == blocked_.end()) return false;
  if (c.flags & Client::kReplyOff) c.reply.set_buffer(&c.discard);
  if (reason == UnblockReason::kError) {
    c.reply.Error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
  } else {
    c.reply.NullArray();
  }
  c.reply.set_buffer(&c.out);
  c.discard.Clear();
  // Redis 7.0 counts every CLIENT UNBLOCK as a failed call of the command.
  RecordUnblock(it->second, 0, true);
  if (!(it->second.spec->flags & kCmdSkipSlowlog)) {
    std::vector<std::string_view> args(it->second.argv.begin(), it->second.argv.end());
    server_.RecordSlowlog(c, args, 0);
  }
  Release(c);
  return true;
}

void BlockingRegistry::CheckTimeouts(int64_t now_ms) {
  while (!timeouts_.empty() && timeouts_.begin()->first < now_ms) {
    Client* c = timeouts_.begin()->second;
    if (c->flags & Client::kReplyOff) c->reply.set_buffer(&c->discard);
    c->reply.NullArray();
    c->reply.set_buffer(&c->out);
    c->discard.Clear();
    Release(*c);  // erases the timeouts_ entry
  }
}

void BlockingRegistry::RemoveClient(Client& c) {
  if (blocked_.count(&c)) Release(c, false);
}

void BlockingRegistry::Release(Client& c, bool notify) {
  auto it = blocked_.find(&c);
  if (it == blocked_.end()) return;
  Blocked& b = it->second;
  KeyIndex& idx = keys_[static_cast<size_t>(b.db)];
  for (auto& [key, node] : b.keys) {
    auto w = idx.find(key);
    if (w == idx.end()) continue;
    w->second.erase(node);
    if (w->second.empty()) idx.erase(w);
  }
  if (b.deadline_ms > 0) timeouts_.erase({b.deadline_ms, &c});
  blocked_.erase(it);
  c.flags &= ~Client::kBlocked;
  if (ClientHost* host = server_.host(); host && notify) host->ClientUnblocked(&c);
}

}  // namespace ordis
