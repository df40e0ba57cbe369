// Introspection commands: COMMAND (the command table itself), SLOWLOG,
// LATENCY and MONITOR. They read the command table and ServerStats; the
// dispatcher records what they report.
#include <algorithm>
#include <climits>
#include <cstdio>

#include "cmd/args.h"
#include "cmd/command_docs.h"
#include "cmd/families.h"
#include "server/server.h"

namespace ordis {

namespace {

// ---------------------------------------------------------------------------
// COMMAND

// "get" or "config|get" -> spec; nullptr when unknown.
const CommandSpec* LookupFullName(const CommandTable& table, std::string_view name) {
  size_t bar = name.find('|');
  if (bar == std::string_view::npos) return table.Find(name);
  if (name.find('|', bar + 1) != std::string_view::npos) return nullptr;
  const CommandSpec* parent = table.Find(name.substr(0, bar));
  if (!parent || parent->subcommands.empty()) return nullptr;
  return CommandTable::FindSub(*parent, name.substr(bar + 1));
}

std::string FullName(const CommandSpec* parent, const CommandSpec& spec) {
  return parent ? std::string(parent->name) + "|" + spec.name : std::string(spec.name);
}

void CommandCmd(CommandContext& ctx) {
  const auto& all = ctx.server.commands().all();
  ctx.reply.ArrayHeader(static_cast<int64_t>(all.size()));
  for (const CommandSpec* spec : all) ReplyCommandInfo(ctx.reply, spec, spec->name);
}

void CommandCountCmd(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.server.commands().size()));
}

void CommandInfoCmd(CommandContext& ctx) {
  if (ctx.argc() == 2) return CommandCmd(ctx);
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    const CommandSpec* spec = LookupFullName(ctx.server.commands(), ctx.arg(i));
    std::string name;
    if (spec) {
      // Report the canonical (lowercase) full name.
      std::string_view arg = ctx.arg(i);
      size_t bar = arg.find('|');
      name = bar == std::string_view::npos ? std::string(spec->name)
                                           : ToLower(arg.substr(0, bar)) + "|" + spec->name;
    }
    ReplyCommandInfo(ctx.reply, spec, name);
  }
}

void CommandDocsCmd(CommandContext& ctx) {
  const CommandTable& table = ctx.server.commands();
  if (ctx.argc() == 2) {
    ctx.reply.MapHeader(static_cast<int64_t>(table.size()));
    for (const CommandSpec* spec : table.all()) {
      ctx.reply.Bulk(spec->name);
      ReplyCommandDocs(ctx.reply, *spec, false);
    }
    return;
  }
  std::vector<std::pair<std::string, const CommandSpec*>> found;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    std::string_view arg = ctx.arg(i);
    const CommandSpec* spec = LookupFullName(table, arg);
    if (!spec) continue;
    size_t bar = arg.find('|');
    found.emplace_back(bar == std::string_view::npos
                           ? std::string(spec->name)
                           : ToLower(arg.substr(0, bar)) + "|" + spec->name,
                       spec);
  }
  ctx.reply.MapHeader(static_cast<int64_t>(found.size()));
  for (const auto& [name, spec] : found) {
    ctx.reply.Bulk(name);
    ReplyCommandDocs(ctx.reply, *spec, name.find('|') != std::string::npos);
  }
}

void CommandListCmd(CommandContext& ctx) {
  enum { kNone, kModule, kAclCat, kPattern } filter = kNone;
  std::string_view filter_arg;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (ArgIs(ctx, i, "filterby") && ctx.argc() - 1 - i == 2) {
      if (ArgIs(ctx, i + 1, "module")) {
        filter = kModule;
      } else if (ArgIs(ctx, i + 1, "aclcat")) {
        filter = kAclCat;
      } else if (ArgIs(ctx, i + 1, "pattern")) {
        filter = kPattern;
      } else {
        return ctx.reply.Error(err::kSyntax);
      }
      filter_arg = ctx.arg(i + 2);
      i += 2;
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
  }
  std::string category = "@" + ToLower(filter_arg);
  auto keep = [&](const CommandSpec& spec, const std::string& fullname) {
    switch (filter) {
      case kNone:
        return true;
      case kModule:
        return false;  // no modules
      case kAclCat: {
        auto cats = CommandTable::AclNames(spec);
        return std::find(cats.begin(), cats.end(), category) != cats.end();
      }
      case kPattern:
        return GlobMatch(filter_arg, fullname, true);
    }
    return false;
  };
  std::vector<std::string> names;
  for (const CommandSpec* spec : ctx.server.commands().all()) {
    if (keep(*spec, spec->name)) names.emplace_back(spec->name);
    for (const CommandSpec& sub : spec->subcommands) {
      std::string full = FullName(spec, sub);
      if (keep(sub, full)) names.push_back(std::move(full));
    }
  }
  ctx.reply.ArrayHeader(static_cast<int64_t>(names.size()));
  for (const std::string& n : names) ctx.reply.Bulk(n);
}

void GetKeys(CommandContext& ctx, bool with_flags) {
  const CommandTable& table = ctx.server.commands();
  ArgList inner = ctx.args.subspan(2);
  const CommandSpec* spec = table.Find(inner[0]);
  if (spec && !spec->subcommands.empty() && inner.size() >= 2)
    spec = CommandTable::FindSub(*spec, inner[1]);
  if (!spec) return ctx.reply.Error("ERR Invalid command specified");
  // Shard channels (SPUBLISH...) have key specs flagged not_key: no keys.
  bool not_key = spec->key_flags && std::string_view(spec->key_flags).starts_with("not_key");
  if ((spec->first_key <= 0 && !spec->get_keys) || not_key)
    return ctx.reply.Error("ERR The command has no key arguments");
  if (!CommandTable::ArityOk(spec->arity, inner.size()))
    return ctx.reply.Error("ERR Invalid number of arguments specified for command");
  std::vector<KeyRef> keys = KeysOf(*spec, inner);
  if (keys.empty()) {
    if (spec->flags & kCmdNoMandatoryKeys) return ctx.reply.EmptyArray();
    return ctx.reply.Error("ERR Invalid arguments specified for command");
  }
  ctx.reply.ArrayHeader(static_cast<int64_t>(keys.size()));
  for (const KeyRef& k : keys) {
    if (!with_flags) {
      ctx.reply.Bulk(inner[k.pos]);
      continue;
    }
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(inner[k.pos]);
    std::vector<std::string_view> words;
    std::string_view f = k.flags;
    while (!f.empty()) {
      size_t sp = f.find(' ');
      if (sp != 0) words.push_back(f.substr(0, sp));
      if (sp == std::string_view::npos) break;
      f.remove_prefix(sp + 1);
    }
    ctx.reply.SetHeader(static_cast<int64_t>(words.size()));
    for (std::string_view w : words) ctx.reply.Simple(w);
  }
}

void CommandGetKeysCmd(CommandContext& ctx) {
  GetKeys(ctx, false);
}
void CommandGetKeysAndFlagsCmd(CommandContext& ctx) {
  GetKeys(ctx, true);
}

void CommandHelpCmd(CommandContext& ctx) {
  ReplyHelp(ctx, {
                     "(no subcommand)",
                     "    Return details about all commands.",
                     "COUNT",
                     "    Return the total number of commands in this server.",
                     "LIST",
                     "    Return a list of all commands in this server.",
                     "INFO [<command-name> ...]",
                     "    Return details about multiple commands.",
                     "    If no command names are given, documentation details for all",
                     "    commands are returned.",
                     "DOCS [<command-name> ...]",
                     "    Return documentation details about multiple commands.",
                     "    If no command names are given, documentation details for all",
                     "    commands are returned.",
                     "GETKEYS <full-command>",
                     "    Return the keys from a full command.",
                     "GETKEYSANDFLAGS <full-command>",
                     "    Return the keys and the access flags from a full command.",
                 });
}

// ---------------------------------------------------------------------------
// SLOWLOG

void SlowlogGetCmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ReplySubcommandSyntaxError(ctx);
  const auto& log = ctx.server.stats().slowlog;
  int64_t count = 10;
  if (ctx.argc() == 3 &&
      !ArgIntRange(ctx, 2, -1, LONG_MAX, &count, "ERR count should be greater than or equal to -1"))
    return;
  size_t n = count < 0 ? log.size() : std::min(log.size(), static_cast<size_t>(count));
  ctx.reply.ArrayHeader(static_cast<int64_t>(n));
  for (size_t i = 0; i < n; ++i) {
    const SlowlogEntry& e = log[i];
    ctx.reply.ArrayHeader(6);
    ctx.reply.Integer(static_cast<int64_t>(e.id));
    ctx.reply.Integer(e.time_sec);
    ctx.reply.Integer(e.duration_us);
    ctx.reply.ArrayHeader(static_cast<int64_t>(e.args.size()));
    for (const std::string& a : e.args) ctx.reply.Bulk(a);
    ctx.reply.Bulk(e.peer);
    ctx.reply.Bulk(e.client_name);
  }
}

void SlowlogLenCmd(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.server.stats().slowlog.size()));
}

void SlowlogResetCmd(CommandContext& ctx) {
  ctx.server.stats().slowlog.clear();
  ctx.reply.Ok();
}

void SlowlogHelpCmd(CommandContext& ctx) {
  ReplyHelp(ctx,
            {
                "GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
                "LEN",
                "    Return the length of the slowlog.",
                "RESET",
                "    Reset the slowlog.",
            });
}

// ---------------------------------------------------------------------------
// LATENCY

void LatencyLatestCmd(CommandContext& ctx) {
  const auto& events = ctx.server.stats().latency_events;
  ctx.reply.ArrayHeader(static_cast<int64_t>(events.size()));
  for (const auto& [name, ev] : events) {
    ctx.reply.ArrayHeader(4);
    ctx.reply.Bulk(name);
    LatencySample last = ev.samples.empty() ? LatencySample{0, 0} : ev.samples.back();
    ctx.reply.Integer(last.time_sec);
    ctx.reply.Integer(last.latency_ms);
    ctx.reply.Integer(ev.max_ms);
  }
}

void LatencyHistoryCmd(CommandContext& ctx) {
  const auto& events = ctx.server.stats().latency_events;
  auto it = events.find(std::string(ctx.arg(2)));
  if (it == events.end()) return ctx.reply.EmptyArray();
  ctx.reply.ArrayHeader(static_cast<int64_t>(it->second.samples.size()));
  for (const LatencySample& s : it->second.samples) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Integer(s.time_sec);
    ctx.reply.Integer(s.latency_ms);
  }
}

void LatencyResetCmd(CommandContext& ctx) {
  auto& events = ctx.server.stats().latency_events;
  int64_t resets = 0;
  if (ctx.argc() == 2) {
    resets = static_cast<int64_t>(events.size());
    events.clear();
  } else {
    for (size_t i = 2; i < ctx.argc(); ++i) resets += events.erase(std::string(ctx.arg(i))) ? 1 : 0;
  }
  ctx.reply.Integer(resets);
}

// An ASCII chart of an event's samples: one column per sample (the newest
// 80), four rows high, scaled between the lowest and highest value, with
// each column's age written vertically underneath.
std::string LatencyGraph(const std::string& event, const LatencyEvent& ev, int64_t now_sec) {
  constexpr size_t kCols = 80;
  constexpr int kRows = 4;
  size_t first = ev.samples.size() > kCols ? ev.samples.size() - kCols : 0;
  int64_t lo = INT64_MAX, hi = 0;
  for (size_t i = first; i < ev.samples.size(); ++i) {
    lo = std::min(lo, ev.samples[i].latency_ms);
    hi = std::max(hi, ev.samples[i].latency_ms);
  }
  if (lo == INT64_MAX) lo = 0;
  char head[256];
  snprintf(head, sizeof head, "%s - high %lld ms, low %lld ms (all time high %lld ms)\n",
           event.c_str(), static_cast<long long>(hi), static_cast<long long>(lo),
           static_cast<long long>(ev.max_ms));
  std::string out = head;
  out.append(kCols, '-');
  out += '\n';
  std::vector<int> heights;
  std::vector<std::string> labels;
  for (size_t i = first; i < ev.samples.size(); ++i) {
    const LatencySample& s = ev.samples[i];
    int h = hi == lo ? kRows : 1 + static_cast<int>((s.latency_ms - lo) * (kRows - 1) / (hi - lo));
    heights.push_back(h);
    int64_t age = now_sec - s.time_sec;
    char label[32];
    if (age < 60) {
      snprintf(label, sizeof label, "%llds", static_cast<long long>(age));
    } else if (age < 3600) {
      snprintf(label, sizeof label, "%lldm", static_cast<long long>(age / 60));
    } else if (age < 86400) {
      snprintf(label, sizeof label, "%lldh", static_cast<long long>(age / 3600));
    } else {
      snprintf(label, sizeof label, "%lldd", static_cast<long long>(age / 86400));
    }
    labels.emplace_back(label);
  }
  for (int row = kRows; row >= 1; --row) {
    std::string line;
    for (int h : heights) line += h >= row ? '#' : ' ';
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
  }
  size_t longest = 0;
  for (const std::string& l : labels) longest = std::max(longest, l.size());
  for (size_t r = 0; r < longest; ++r) {
    std::string line;
    for (const std::string& l : labels) line += r < l.size() ? l[r] : ' ';
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
  }
  return out;
}

void LatencyGraphCmd(CommandContext& ctx) {
  const auto& events = ctx.server.stats().latency_events;
  auto it = events.find(std::string(ctx.arg(2)));
  if (it == events.end()) {
    return ctx.reply.Error("ERR No samples available for event '" + std::string(ctx.arg(2)) + "'");
  }
  ctx.reply.Verbatim(LatencyGraph(it->first, it->second, Server::NowMs() / 1000), "txt");
}

void LatencyDoctorCmd(CommandContext& ctx) {
  const auto& events = ctx.server.stats().latency_events;
  const Config& cfg = ctx.server.config();
  std::string report;
  if (events.empty() && cfg.latency_monitor_threshold == 0) {
    report =
        "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this instance. "
        "You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to "
        "enable it.\n";
  } else if (events.empty()) {
    report =
        "Dave, no latency spike was observed during the lifetime of this instance, awesome! "
        "I'm glad to report that.\n";
  } else {
    report =
        "Dave, I have observed latency spikes in this instance. You don't mind talking about "
        "it, do you Dave?\n\n";
    int n = 0;
    for (const auto& [name, ev] : events) {
      int64_t sum = 0;
      for (const LatencySample& s : ev.samples) sum += s.latency_ms;
      int64_t avg = ev.samples.empty() ? 0 : sum / static_cast<int64_t>(ev.samples.size());
      char line[512];
      snprintf(line, sizeof line, "%d. %s: %zu latency spikes (average %lldms, worst %lldms).\n",
               ++n, name.c_str(), ev.samples.size(), static_cast<long long>(avg),
               static_cast<long long>(ev.max_ms));
      report += line;
    }
    report += "\nI have a few advices for you:\n\n";
    bool slow_cmds = events.count("command") || events.count("fast-command");
    if (slow_cmds) {
      report +=
          "- Check your SLOWLOG (SLOWLOG GET) for the commands that took long. Commands that "
          "are O(N) over large values (KEYS, big ranges) block every other client while they "
          "run.\n";
      if (cfg.slowlog_log_slower_than < 0 ||
          cfg.slowlog_log_slower_than / 1000 > cfg.latency_monitor_threshold) {
        report +=
            "- slowlog-log-slower-than is disabled or higher than latency-monitor-threshold, "
            "so the slow log may miss the commands that caused these spikes.\n";
      }
    }
    if (events.count("fast-command"))
      report +=
          "- Commands flagged fast were slow: the machine may be overloaded, swapping or "
          "throttled; check the system (CPU steal, memory pressure).\n";
    if (!slow_cmds)
      report += "- Look at the system for the causes of these events (disk, swap, CPU).\n";
  }
  ctx.reply.Verbatim(report, "txt");
}

void ReplyHistogram(ReplyBuilder& r, const LatencyHistogram& h) {
  r.MapHeader(2);
  r.Bulk("calls");
  r.Integer(static_cast<int64_t>(h.count));
  r.Bulk("histogram_usec");
  size_t used = 0;
  for (uint64_t b : h.buckets) used += b != 0;
  r.MapHeader(static_cast<int64_t>(used));
  uint64_t cumulative = 0;
  for (size_t i = 0; i < h.buckets.size(); ++i) {
    if (!h.buckets[i]) continue;
    cumulative += h.buckets[i];
    // Bucket i holds [2^(i-1), 2^i) usec; report its upper bound.
    r.Integer(i == 0 ? 1 : static_cast<int64_t>(1ULL << i));
    r.Integer(static_cast<int64_t>(cumulative));
  }
}

void LatencyHistogramCmd(CommandContext& ctx) {
  const auto& stats = ctx.server.stats().commands;
  std::vector<std::pair<std::string, const LatencyHistogram*>> out;
  auto add = [&](const std::string& name) {
    auto it = stats.find(name);
    if (it != stats.end() && it->second.latency.count) out.emplace_back(name, &it->second.latency);
  };
  if (ctx.argc() == 2) {
    for (const auto& [name, cs] : stats)
      if (cs.latency.count) out.emplace_back(name, &cs.latency);
  } else {
    const CommandTable& table = ctx.server.commands();
    for (size_t i = 2; i < ctx.argc(); ++i) {
      std::string_view arg = ctx.arg(i);
      const CommandSpec* spec = LookupFullName(table, arg);
      if (!spec) continue;
      size_t bar = arg.find('|');
      std::string name = bar == std::string_view::npos
                             ? std::string(spec->name)
                             : ToLower(arg.substr(0, bar)) + "|" + spec->name;
      add(name);
      for (const CommandSpec& sub : spec->subcommands) add(name + "|" + sub.name);
    }
  }
  ctx.reply.MapHeader(static_cast<int64_t>(out.size()));
  for (const auto& [name, h] : out) {
    ctx.reply.Bulk(name);
    ReplyHistogram(ctx.reply, *h);
  }
}

void LatencyHelpCmd(CommandContext& ctx) {
  ReplyHelp(ctx, {
                     "DOCTOR",
                     "    Return a human readable latency analysis report.",
                     "GRAPH <event>",
                     "    Return an ASCII latency graph for the <event> class.",
                     "HISTORY <event>",
                     "    Return time-latency samples for the <event> class.",
                     "LATEST",
                     "    Return the latest latency samples for all events.",
                     "RESET [<event> ...]",
                     "    Reset latency data of one or more <event> classes.",
                     "    (default: reset all data for all event classes)",
                     "HISTOGRAM [COMMAND ...]",
                     "    Return a cumulative distribution of latencies in the format of a "
                     "histogram for the specified command names.",
                     "    If no commands are specified then all histograms are replied.",
                 });
}

// ---------------------------------------------------------------------------
// MONITOR

void MonitorCmd(CommandContext& ctx) {
  Client& c = ctx.client;
  // A client inside MULTI expects one reply per command; a feed breaks that.
  if (c.in_multi()) return ctx.reply.Error("ERR MONITOR isn't allowed for DENY BLOCKING client");
  if (c.flags & Client::kMonitor) return;  // already monitoring: no reply, as Redis
  c.flags |= Client::kMonitor;
  ctx.server.monitors().push_back(&c);
  ctx.reply.Ok();
}

// ---------------------------------------------------------------------------
// Tables

constexpr uint32_t kIntro = kCmdLoading | kCmdStale;
constexpr uint32_t kAdminIntro = kCmdAdmin | kCmdNoscript | kCmdLoading | kCmdStale;

constexpr CommandSpec kCommandSubs[] = {
    {"count", 2, kIntro, kAclConnection, 0, 0, 0, CommandCountCmd, "server", "2.8.13",
     "Get total number of Redis commands", "O(1)", ""},
    {"info", -2, kIntro, kAclConnection, 0, 0, 0, CommandInfoCmd, "server", "2.8.13",
     "Get array of specific Redis command details, or all when no argument is given.",
     "O(N) where N is the number of commands to look up", "[command-name [command-name ...]]"},
    {"docs", -2, kIntro, kAclConnection, 0, 0, 0, CommandDocsCmd, "server", "7.0.0",
     "Get array of specific Redis command documentation",
     "O(N) where N is the number of commands to look up", "[command-name [command-name ...]]"},
    {"list", -2, kIntro, kAclConnection, 0, 0, 0, CommandListCmd, "server", "7.0.0",
     "Get an array of Redis command names", "O(N) where N is the total number of Redis commands",
     "[FILTERBY <MODULE module-name|ACLCAT category|PATTERN pattern>]"},
    {"getkeys", -4, kIntro, kAclConnection, 0, 0, 0, CommandGetKeysCmd, "server", "2.8.13",
     "Extract keys given a full Redis command",
     "O(N) where N is the number of arguments to the command", "command [arg [arg ...]]"},
    {"getkeysandflags", -4, kIntro, kAclConnection, 0, 0, 0, CommandGetKeysAndFlagsCmd, "server",
     "7.0.0", "Extract keys and access flags given a full Redis command",
     "O(N) where N is the number of arguments to the command", "command [arg [arg ...]]"},
    {"help", 2, kIntro, kAclConnection, 0, 0, 0, CommandHelpCmd, "server", "5.0.0",
     "Show helpful text about the different subcommands", "O(1)", ""},
};

constexpr CommandSpec kSlowlogSubs[] = {
    {"get", -2, kCmdAdmin | kIntro, 0, 0, 0, 0, SlowlogGetCmd, "server", "2.2.12",
     "Get the slow log's entries", "O(N) where N is the number of entries returned", "[count]"},
    {"len", 2, kCmdAdmin | kIntro, 0, 0, 0, 0, SlowlogLenCmd, "server", "2.2.12",
     "Get the slow log's length", "O(1)", ""},
    {"reset", 2, kCmdAdmin | kIntro, 0, 0, 0, 0, SlowlogResetCmd, "server", "2.2.12",
     "Clear all entries from the slow log", "O(N) where N is the number of entries in the slowlog",
     ""},
    {"help", 2, kIntro, 0, 0, 0, 0, SlowlogHelpCmd, "server", "6.2.0",
     "Show helpful text about the different subcommands", "O(1)", ""},
};

constexpr CommandSpec kLatencySubs[] = {
    {"latest", 2, kAdminIntro, 0, 0, 0, 0, LatencyLatestCmd, "server", "2.8.13",
     "Return the latest latency samples for all events.", "O(1)", ""},
    {"history", 3, kAdminIntro, 0, 0, 0, 0, LatencyHistoryCmd, "server", "2.8.13",
     "Return timestamp-latency samples for the event.", "O(1)", "event"},
    {"reset", -2, kAdminIntro, 0, 0, 0, 0, LatencyResetCmd, "server", "2.8.13",
     "Reset latency data for one or more events.", "O(1)", "[event [event ...]]"},
    {"graph", 3, kAdminIntro, 0, 0, 0, 0, LatencyGraphCmd, "server", "2.8.13",
     "Return a latency graph for the event.", "O(1)", "event"},
    {"doctor", 2, kAdminIntro, 0, 0, 0, 0, LatencyDoctorCmd, "server", "2.8.13",
     "Return a human readable latency analysis report.", "O(1)", ""},
    {"histogram", -2, kAdminIntro, 0, 0, 0, 0, LatencyHistogramCmd, "server", "7.0.0",
     "Return the cumulative distribution of latencies of a subset of commands or all.",
     "O(N) where N is the number of commands with latency information being retrieved.",
     "[command [command ...]]"},
    {"help", 2, kIntro, 0, 0, 0, 0, LatencyHelpCmd, "server", "2.8.13",
     "Show helpful text about the different subcommands.", "O(1)", ""},
};

constexpr CommandSpec kCommands[] = {
    {"command", -1, kIntro, kAclConnection, 0, 0, 0, CommandCmd, "server", "2.8.13",
     "Get array of Redis command details", "O(N) where N is the total number of Redis commands", "",
     kCommandSubs},
    {"slowlog", -2, 0, 0, 0, 0, 0, nullptr, "server", "2.2.12", "A container for slow log commands",
     "Depends on subcommand.", "", kSlowlogSubs},
    {"latency", -2, 0, 0, 0, 0, 0, nullptr, "server", "2.8.13",
     "A container for latency diagnostics commands", "Depends on subcommand.", "", kLatencySubs},
    {"monitor", 1, kAdminIntro, 0, 0, 0, 0, MonitorCmd, "server", "1.0.0",
     "Listen for all requests received by the server in real time", nullptr, ""},
};

}  // namespace

std::span<const CommandSpec> IntrospectionCommands() {
  return kCommands;
}

}  // namespace ordis
