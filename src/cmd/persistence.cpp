// Persistence commands: SAVE, BGSAVE [SCHEDULE], LASTSAVE. The snapshots
// themselves are snapshot/ (Manager); replies and errors are Redis 7.0's.
#include "server/persistence.h"

#include <string>

#include "cmd/args.h"
#include "cmd/families.h"
#include "server/log.h"
#include "server/server.h"
#include "snapshot/snapshot_manager.h"

namespace ordis {

namespace {

void SaveCmd(CommandContext& ctx) {
  snapshot::Manager& m = ctx.server.snapshots();
  if (m.in_progress()) return ctx.reply.Error("ERR Background save already in progress");
  snapshot::Status s = m.SaveNow();
  if (!s.ok()) {
    Log(kLogWarning, "SAVE failed: %s", s.ToString().c_str());
    return ctx.reply.Error("ERR");  // Redis replies a bare ERR; the log says why
  }
  ctx.reply.Ok();
}

void BgsaveCmd(CommandContext& ctx) {
  bool schedule = false;
  if (ctx.argc() > 1) {
    if (ctx.argc() != 2 || !ArgIs(ctx, 1, "schedule")) return ctx.reply.Error("ERR syntax error");
    schedule = true;
  }
  snapshot::Manager& m = ctx.server.snapshots();
  if (m.in_progress()) return ctx.reply.Error("ERR Background save already in progress");
  // Inside a transaction the snapshot starts after it, as Redis does, so
  // the image never holds half a transaction.
  if (ctx.client.in_multi()) {
    m.Schedule();
    return ctx.reply.Simple("Background saving scheduled");
  }
  (void)schedule;  // nothing else can be in the way here: no child processes
  snapshot::Status s = m.StartBackground();
  if (!s.ok()) {
    Log(kLogWarning, "Can't save in background: %s", s.ToString().c_str());
    return ctx.reply.Error("ERR");
  }
  ctx.reply.Simple("Background saving started");
}

// BGREWRITEAOF: the WAL is compacted by a snapshot. The snapshot starts a
// new segment; once it is durable, every segment it covers is retired.
void BgrewriteaofCmd(CommandContext& ctx) {
  snapshot::Manager& m = ctx.server.snapshots();
  Persistence& p = ctx.server.persistence();
  if (!p.enabled()) {
    // As Redis with appendonly no: nothing to rewrite, but a snapshot is
    // still the compaction.
  }
  if (m.in_progress()) {
    if (p.rewrite_in_progress())
      return ctx.reply.Error("ERR Background append only file rewriting already in progress");
    m.Schedule();
    p.set_rewrite_in_progress(true);
    return ctx.reply.Simple("Background append only file rewriting scheduled");
  }
  snapshot::Status s = m.StartBackground();
  if (!s.ok()) {
    Log(kLogWarning, "Can't rewrite the append only file in background: %s", s.ToString().c_str());
    return ctx.reply.Error("ERR Can't rewrite append only file in background: fork failed");
  }
  p.set_rewrite_in_progress(true);
  ctx.reply.Simple("Background append only file rewriting started");
}

void LastSaveCmd(CommandContext& ctx) {
  ctx.reply.Integer(ctx.server.lastsave_sec);
}

constexpr CommandSpec kCommands[] = {
    {"save", 1, kCmdAdmin | kCmdNoscript | kCmdNoMulti, 0, 0, 0, 0, SaveCmd, "server", "1.0.0",
     "Synchronously save the dataset to disk",
     "O(N) where N is the total number of keys in all databases", ""},
    {"bgsave", -1, kCmdAdmin | kCmdNoscript, 0, 0, 0, 0, BgsaveCmd, "server", "1.0.0",
     "Asynchronously save the dataset to disk", "O(1)", "[SCHEDULE]"},
    {"bgrewriteaof", 1, kCmdAdmin | kCmdNoscript, 0, 0, 0, 0, BgrewriteaofCmd, "server", "1.0.0",
     "Asynchronously rewrite the append-only file to disk", "O(1)", ""},
    {"lastsave", 1, kCmdLoading | kCmdStale | kCmdFast, kAclAdmin | kAclDangerous, 0, 0, 0,
     LastSaveCmd, "server", "1.0.0", "Get the UNIX time stamp of the last successful save to disk",
     "O(1)", ""},
};

}  // namespace

std::span<const CommandSpec> PersistenceCommands() {
  return kCommands;
}

}  // namespace ordis
