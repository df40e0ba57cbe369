// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//
// Queueing happens in the dispatcher (Server::Dispatch): while kMulti is set,
// every command without kCmdTxControl is stored in Client::multi_queue and
// answered QUEUED; an error while queueing sets kDirtyExec. EXEC replays the
// queue through Server::Call, which never queues. WATCH state lives in
// Server (Watch/Unwatch/Touch*).
#include <string>
#include <vector>

#include "cmd/args.h"
#include "cmd/families.h"
#include "server/server.h"

namespace ordis {

namespace {

// Leaves MULTI state: queue, dirty flags and watched keys.
void DiscardTransaction(CommandContext& ctx) {
  Client& c = ctx.client;
  c.multi_queue.clear();
  c.flags &= ~(Client::kMulti | Client::kMultiWrites | Client::kDirtyCas | Client::kDirtyExec);
  ctx.server.Unwatch(c);
}

void MultiCmd(CommandContext& ctx) {
  if (ctx.client.in_multi()) return ctx.reply.Error("ERR MULTI calls can not be nested");
  ctx.client.flags |= Client::kMulti;
  ctx.reply.Ok();
}

void DiscardCmd(CommandContext& ctx) {
  if (!ctx.client.in_multi()) return ctx.reply.Error("ERR DISCARD without MULTI");
  DiscardTransaction(ctx);
  ctx.reply.Ok();
}

// Runs one queued command. The command existed and passed arity checks when
// it was queued, but is looked up again: the queue holds only arguments.
void RunQueued(CommandContext& ctx, const std::vector<std::string>& argv) {
  std::vector<std::string_view> args(argv.begin(), argv.end());
  Server& server = ctx.server;
  const CommandSpec* spec = server.commands().Find(args[0]);
  if (!spec) return ctx.reply.Error("ERR unknown command");
  std::string stat_name = spec->name;
  if (!spec->subcommands.empty()) {
    spec = args.size() > 1 ? CommandTable::FindSub(*spec, args[1]) : nullptr;
    if (!spec) return ctx.reply.Error("ERR unknown subcommand");
    stat_name += '|';
    stat_name += spec->name;
  }
  server.Call(ctx.client, spec, args, stat_name);
}

void ExecCmd(CommandContext& ctx) {
  Client& c = ctx.client;
  if (!c.in_multi()) return ctx.reply.Error("ERR EXEC without MULTI");
  if (ctx.server.WatchedKeyExpired(c)) c.flags |= Client::kDirtyCas;
  if (c.flags & Client::kDirtyExec) {
    ctx.reply.Error("EXECABORT Transaction discarded because of previous errors.");
    return DiscardTransaction(ctx);
  }
  if (c.flags & Client::kDirtyCas) {
    ctx.reply.NullArray();
    return DiscardTransaction(ctx);
  }
  // Unwatch first: our own writes must not dirty the transaction.
  ctx.server.Unwatch(c);
  // Move the queue out: commands run below may not add to it (kMulti stays
  // set, as in Redis, so CLIENT LIST shows the transaction and blocking
  // commands act non-blocking), and Call() never queues.
  std::vector<std::vector<std::string>> queue = std::move(c.multi_queue);
  c.multi_queue.clear();
  ctx.reply.ArrayHeader(static_cast<int64_t>(queue.size()));
  for (const auto& argv : queue) RunQueued(ctx, argv);
  c.last_cmd = "exec";  // each Call() above named itself
  DiscardTransaction(ctx);
}

void WatchCmd(CommandContext& ctx) {
  Client& c = ctx.client;
  if (c.in_multi()) return ctx.reply.Error("ERR WATCH inside MULTI is not allowed");
  // Already dirty: EXEC fails anyway, no point in watching more.
  if (!(c.flags & Client::kDirtyCas)) {
    for (size_t i = 1; i < ctx.argc(); ++i) ctx.server.Watch(c, ctx.arg(i));
  }
  ctx.reply.Ok();
}

void UnwatchCmd(CommandContext& ctx) {
  ctx.server.Unwatch(ctx.client);
  ctx.client.flags &= ~Client::kDirtyCas;
  ctx.reply.Ok();
}

constexpr uint32_t kTxFlags = kCmdNoscript | kCmdLoading | kCmdStale | kCmdAllowBusy;

constexpr CommandSpec kCommands[] = {
    {"multi", 1, kTxFlags | kCmdFast | kCmdTxControl, kAclTransaction, 0, 0, 0, MultiCmd,
     "transactions", "1.2.0", "Mark the start of a transaction block", "O(1)", ""},
    {"exec", 1, kCmdNoscript | kCmdLoading | kCmdStale | kCmdSkipSlowlog | kCmdTxControl,
     kAclTransaction, 0, 0, 0, ExecCmd, "transactions", "1.2.0",
     "Execute all commands issued after MULTI", "Depends on commands in the transaction", ""},
    {"discard", 1, kTxFlags | kCmdFast | kCmdTxControl, kAclTransaction, 0, 0, 0, DiscardCmd,
     "transactions", "2.0.0", "Discard all commands issued after MULTI",
     "O(N), when N is the number of queued commands", ""},
    {"watch", -2, kTxFlags | kCmdFast | kCmdTxControl, kAclTransaction, 1, -1, 1, WatchCmd,
     "transactions", "2.2.0", "Watch the given keys to determine execution of the MULTI/EXEC block",
     "O(1) for every key.", "key [key ...]"},
    // Not kCmdTxControl: inside MULTI, UNWATCH is queued like in Redis.
    {"unwatch", 1, kTxFlags | kCmdFast, kAclTransaction, 0, 0, 0, UnwatchCmd, "transactions",
     "2.2.0", "Forget about all watched keys", "O(1)", ""},
};

}  // namespace

std::span<const CommandSpec> TxCommands() {
  return kCommands;
}

}  // namespace ordis
