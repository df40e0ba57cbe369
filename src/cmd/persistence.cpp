// Persistence commands: SAVE, BGSAVE [SCHEDULE], LASTSAVE. The snapshots
// themselves are snapshot/ (Manager); replies and errors are Redis 7.0's.
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

void LastSaveCmd(CommandContext& ctx) {
  ctx.reply.Integer(ctx.server.lastsave_sec);
}

constexpr CommandSpec kCommands[] = {
    {"save", 1, kCmdAdmin | kCmdNoscript | kCmdNoMulti, 0, 0, 0, 0, SaveCmd, "server", "1.0.0",
     "Synchronously save the dataset to disk",
     "O(N) where N is the total number of keys in all databases", ""},
    {"bgsave", -1, kCmdAdmin | kCmdNoscript, 0, 0, 0, 0, BgsaveCmd, "server", "1.0.0",
     "Asynchronously save the dataset to disk", "O(1)", "[SCHEDULE]"},
    {"lastsave", 1, kCmdLoading | kCmdStale | kCmdFast, kAclAdmin | kAclDangerous, 0, 0, 0,
     LastSaveCmd, "server", "1.0.0", "Get the UNIX time stamp of the last successful save to disk",
     "O(1)", ""},
};

}  // namespace

std::span<const CommandSpec> PersistenceCommands() {
  return kCommands;
}

}  // namespace ordis
