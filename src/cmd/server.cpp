// Server administration commands: INFO, CONFIG, DEBUG, MEMORY, SHUTDOWN,
// TIME, WAIT and the (empty) FUNCTION library.
#include "server/server.h"

#include <time.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>

#include "cmd/args.h"
#include "cmd/command_docs.h"
#include "cmd/families.h"
#include "kv/db.h"
#include "server/info.h"
#include "server/log.h"
#include "server/memory.h"

namespace ordis {

namespace {

constexpr std::string_view kDebugNotAllowed =
    "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
    "you can run it from a local connection, otherwise you need to set this option in the "
    "configuration file, and then restart the server.";

// ---------------------------------------------------------------------------
// INFO

void InfoCmd(CommandContext& ctx) {
  std::string text = RenderInfo(ctx.server, ctx.args.subspan(1));
  ctx.reply.Verbatim(text, "txt");
}

// ---------------------------------------------------------------------------
// CONFIG

void ConfigGetCmd(CommandContext& ctx) {
  std::vector<std::string_view> patterns(ctx.args.begin() + 2, ctx.args.end());
  auto pairs = ctx.server.config_registry().GetMany(patterns);
  ctx.reply.MapHeader(static_cast<int64_t>(pairs.size()));
  for (const auto& [name, value] : pairs) {
    ctx.reply.Bulk(name);
    ctx.reply.Bulk(value);
  }
}

void ConfigSetCmd(CommandContext& ctx) {
  if (ctx.argc() % 2 != 0) return ctx.reply.Error(err::kSyntax);
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  for (size_t i = 2; i + 1 < ctx.argc(); i += 2) pairs.emplace_back(ctx.arg(i), ctx.arg(i + 1));
  std::string error = ctx.server.config_registry().SetMany(pairs);
  if (!error.empty()) return ctx.reply.Error("ERR " + error);
  // Options whose effect lives outside Config are applied here.
  LogSetLevel(static_cast<int>(ctx.server.config().loglevel));
  ctx.reply.Ok();
}

void ConfigResetStatCmd(CommandContext& ctx) {
  ServerStats& st = ctx.server.stats();
  uint64_t dirty = st.dirty;  // changes since the last save are not a statistic
  st.ResetStats();
  st.dirty = dirty;
  st.ops_last_sample_ms = Server::NowMs();
  KeyspaceContext& kc = ctx.server.keyspace().ctx();
  kc.keyspace_hits = kc.keyspace_misses = 0;
  kc.expired_keys = kc.expired_stale_perc = kc.expired_time_cap_reached_count = 0;
  ctx.reply.Ok();
}

void ConfigRewriteCmd(CommandContext& ctx) {
  std::string error = ctx.server.config_registry().Rewrite();
  if (!error.empty()) {
    Log(kLogWarning, "CONFIG REWRITE failed: %s", error.c_str());
    return ctx.reply.Error("ERR " + error);
  }
  Log(kLogNotice, "CONFIG REWRITE executed with success.");
  ctx.reply.Ok();
}

void ConfigHelpCmd(CommandContext& ctx) {
  ReplyHelp(ctx, {
                     "GET <pattern>",
                     "    Return parameters matching the glob-like <pattern> and their values.",
                     "SET <directive> <value>",
                     "    Set the configuration <directive> to <value>.",
                     "RESETSTAT",
                     "    Reset statistics reported by the INFO command.",
                     "REWRITE",
                     "    Rewrite the configuration file.",
                 });
}

// ---------------------------------------------------------------------------
// DEBUG

// A 160-bit digest built from three seeded 64-bit hashes. DEBUG DIGEST
// only needs equal data to give equal digests and different data to give
// different ones with overwhelming probability; it is not cryptographic.
using Digest = std::array<uint8_t, 20>;

uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

uint64_t Hash64(const uint8_t* p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
  while (n >= 8) {
    uint64_t k;
    std::memcpy(&k, p, 8);
    h = Mix64(h ^ Mix64(k + 0x632be59bd9b4e019ULL));
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  return Mix64(h ^ Mix64(tail ^ (n << 56)));
}

Digest HashDigest(const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  uint64_t h[3] = {Hash64(p, n, 0x5851f42d4c957f2dULL), Hash64(p, n, 0x14057b7ef767814fULL),
                   Hash64(p, n, 0x2545f4914f6cdd1dULL)};
  Digest d;
  std::memcpy(d.data(), h, d.size());
  return d;
}

void XorDigest(Digest* d, const void* data, size_t n) {
  Digest h = HashDigest(data, n);
  for (size_t i = 0; i < d->size(); ++i) (*d)[i] ^= h[i];
}

// Order-dependent: xor the element in, then rehash the state.
void MixDigest(Digest* d, const void* data, size_t n) {
  XorDigest(d, data, n);
  *d = HashDigest(d->data(), d->size());
}

void MixString(Digest* d, std::string_view s) {
  MixDigest(d, s.data(), s.size());
}

// Digest of a value (and whether it has a TTL), without its key name, so
// that a copy under another name digests the same (DEBUG DIGEST-VALUE).
Digest ValueDigest(Db& db, const Entry* e) {
  Digest d{};
  if (e->is_string()) {
    std::string scratch;
    MixString(&d, e->str(&scratch));
  } else {
    // Other types arrive with later issues; until their objects expose
    // their elements, digest what identifies them.
    uint8_t type = static_cast<uint8_t>(e->type);
    MixDigest(&d, &type, 1);
    MixString(&d, e->EncodingName());
  }
  if (db.GetExpire(e) != -1) XorDigest(&d, "!!expire!!", 10);
  return d;
}

std::string DigestHex(const Digest& d) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : d) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

Digest DatasetDigest(Server& s) {
  Digest final_digest{};
  Keyspace& ks = s.keyspace();
  for (int j = 0; j < ks.db_count(); ++j) {
    Db& db = ks.db(j);
    if (db.size() == 0) continue;
    uint32_t id = static_cast<uint32_t>(j);
    MixDigest(&final_digest, &id, sizeof id);
    db.ForEach([&](Entry* e) {
      // Keys are xored in, so the result does not depend on table order.
      Digest aux{};
      MixString(&aux, e->key());
      Digest v = ValueDigest(db, e);
      MixDigest(&aux, v.data(), v.size());
      for (size_t i = 0; i < aux.size(); ++i) final_digest[i] ^= aux[i];
    });
  }
  return final_digest;
}

bool IsLocalClient(const Client& c) {
  if (c.flags & Client::kUnixSocket) return true;
  std::string_view a = c.addr;
  return a.rfind("127.", 0) == 0 || a.rfind("::1:", 0) == 0 || a.rfind("[::1]", 0) == 0;
}

void DebugProtocol(CommandContext& ctx, std::string_view type) {
  ReplyBuilder& r = ctx.reply;
  auto is = [&](const char* t) { return EqualsNoCase(type, t); };
  if (is("string")) {
    r.Bulk("Hello World");
  } else if (is("integer")) {
    r.Integer(12345);
  } else if (is("double")) {
    r.Double(3.141);
  } else if (is("bignum")) {
    r.BigNumber("1234567999999999999999999999999999999");
  } else if (is("null")) {
    r.Null();
  } else if (is("array") || is("set")) {
    if (is("array")) {
      r.ArrayHeader(3);
    } else {
      r.SetHeader(3);
    }
    for (int j = 0; j < 3; ++j) r.Integer(j);
  } else if (is("map")) {
    r.MapHeader(3);
    for (int j = 0; j < 3; ++j) {
      r.Integer(j);
      r.Bool(j == 1);
    }
  } else if (is("attrib")) {
    // An attribute precedes the real reply; RESP2 has no attributes.
    if (r.resp3()) r.Raw("|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n");
    r.Bulk("Some real reply following the attribute");
  } else if (is("push")) {
    if (!r.resp3()) return r.Error("ERR RESP2 is not supported by this command");
    r.PushHeader(2);
    r.Bulk("server-cpu-usage");
    r.Integer(42);
    r.Bulk("Some real reply following the push reply");
  } else if (is("true")) {
    r.Bool(true);
  } else if (is("false")) {
    r.Bool(false);
  } else if (is("verbatim")) {
    r.Verbatim("This is a verbatim\nstring", "txt");
  } else {
    r.Error(
        "ERR Wrong protocol type name. Please use one of the following: "
        "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
  }
}

void DebugObject(CommandContext& ctx) {
  Db& db = ctx.db();
  Entry* e = db.FindQuiet(ctx.arg(2));
  if (!e) return ctx.reply.Error(err::kNoSuchKey);
  std::string scratch;
  size_t serialized = e->is_string() ? e->str(&scratch).size() : e->MemoryUsage();
  // Small integers are shared objects in Redis (refcount INT_MAX).
  bool shared = e->enc == Encoding::kInt && e->int_value() >= 0 && e->int_value() < 10000;
  uint32_t now = ctx.server.keyspace().ctx().lru_clock;
  char buf[256];
  snprintf(buf, sizeof buf,
           "Value at:%p refcount:%d encoding:%s serializedlength:%zu lru:%u "
           "lru_seconds_idle:%llu",
           static_cast<void*>(e), shared ? 2147483647 : 1, e->EncodingName(), serialized, e->lru,
           static_cast<unsigned long long>(now >= e->lru ? now - e->lru : 0));
  ctx.reply.Simple(buf);
}

void DebugPopulate(CommandContext& ctx) {
  int64_t count, size = 0;
  if (!ArgIntRange(ctx, 2, 0, INT64_MAX, &count, "ERR value is out of range, must be positive"))
    return;
  if (ctx.argc() == 5 &&
      !ArgIntRange(ctx, 4, 0, INT64_MAX, &size, "ERR value is out of range, must be positive"))
    return;
  std::string prefix(ctx.argc() >= 4 ? ctx.arg(3) : "key");
  Db& db = ctx.db();
  for (int64_t j = 0; j < count; ++j) {
    std::string key = prefix + ":" + std::to_string(j);
    if (db.FindQuiet(key)) continue;
    std::string value = "value:" + std::to_string(j);
    if (size > 0) value.resize(static_cast<size_t>(size), '\0');
    db.Add(NewStringEntry(key, value));
    ++ctx.dirty;
  }
  ctx.reply.Ok();
}

void DebugHelp(CommandContext& ctx) {
  ReplyHelp(ctx, {
                     "CHANGE-REPL-ID",
                     "    Change the replication IDs of the instance.",
                     "DIGEST",
                     "    Output a hex signature representing the current DB content.",
                     "DIGEST-VALUE <key> [<key> ...]",
                     "    Output a hex signature of the values of all the specified keys.",
                     "ERROR <string>",
                     "    Return a Redis protocol error with <string> as message.",
                     "JMAP",
                     "    Write the allocator's statistics to the log.",
                     "LOG <message>",
                     "    Write <message> to the server log.",
                     "OBJECT <key>",
                     "    Show low level info about the <key> and associated value.",
                     "POPULATE <count> [<prefix>] [<size>]",
                     "    Create <count> string keys named key:<num>, or <prefix>:<num> if given.",
                     "PROTOCOL <type>",
                     "    Reply with a test value of the specified type: string, integer, double,",
                     "    bignum, null, array, set, map, attrib, push, verbatim, true, false.",
                     "QUICKLIST-PACKED-THRESHOLD <size>",
                     "    Accepted for compatibility (no quicklists yet).",
                     "RELOAD / LOADAOF",
                     "    Not available: ordis has no persistence until the durability issue.",
                     "SET-ACTIVE-EXPIRE <0|1>",
                     "    Disable or enable the active expiry of keys.",
                     "SLEEP <seconds>",
                     "    Stop the server for <seconds>; decimals are allowed.",
                     "STRINGMATCH-TEST",
                     "    Run a fuzz tester against the glob matcher.",
                 });
}

void DebugCmd(CommandContext& ctx) {
  int64_t mode = ctx.server.config().enable_debug_command;
  if (mode == Config::kDebugNo || (mode == Config::kDebugLocal && !IsLocalClient(ctx.client)))
    return ctx.reply.Error(kDebugNotAllowed);
  std::string sub = ToLower(ctx.arg(1));
  size_t argc = ctx.argc();
  if (sub == "help" && argc == 2) return DebugHelp(ctx);
  if (sub == "protocol" && argc == 3) return DebugProtocol(ctx, ctx.arg(2));
  if (sub == "sleep" && argc == 3) {
    double secs = strtod(std::string(ctx.arg(2)).c_str(), nullptr);
    int64_t us = static_cast<int64_t>(secs * 1e6);
    if (us > 0) {
      timespec ts{static_cast<time_t>(us / 1000000), static_cast<long>((us % 1000000) * 1000)};
      while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
      }
    }
    return ctx.reply.Ok();
  }
  if (sub == "set-active-expire" && argc == 3) {
    ctx.server.config().active_expire = atoi(std::string(ctx.arg(2)).c_str()) != 0;
    return ctx.reply.Ok();
  }
  if (sub == "object" && argc == 3) return DebugObject(ctx);
  if (sub == "log" && argc == 3) {
    Log(kLogWarning, "DEBUG LOG: %.*s", static_cast<int>(ctx.arg(2).size()), ctx.arg(2).data());
    return ctx.reply.Ok();
  }
  if (sub == "error" && argc == 3) return ctx.reply.Error(ctx.arg(2));
  if (sub == "digest" && argc == 2) return ctx.reply.Simple(DigestHex(DatasetDigest(ctx.server)));
  if (sub == "digest-value") {
    ctx.reply.ArrayHeader(static_cast<int64_t>(argc - 2));
    for (size_t j = 2; j < argc; ++j) {
      // Like Redis, logically expired keys still digest: look up with
      // lazy expiry suspended so the lookup does not delete them.
      KeyspaceContext& kc = ctx.server.keyspace().ctx();
      bool lazy = kc.lazy_expire_enabled;
      kc.lazy_expire_enabled = false;
      Entry* e = ctx.db().FindQuiet(ctx.arg(j));
      kc.lazy_expire_enabled = lazy;
      ctx.reply.Simple(DigestHex(e ? ValueDigest(ctx.db(), e) : Digest{}));
    }
    return;
  }
  if (sub == "populate" && argc >= 3 && argc <= 5) return DebugPopulate(ctx);
  if (sub == "change-repl-id" && argc == 2) {
    Log(kLogWarning, "Changing replication IDs after receiving DEBUG change-repl-id");
    ChangeReplicationId();
    return ctx.reply.Ok();
  }
  if (sub == "quicklist-packed-threshold" && argc == 3) {
    int64_t sz;
    if (!ParseMemory(ctx.arg(2), &sz) || sz < 1 || sz >= (1LL << 32))
      return ctx.reply.Error(
          "ERR argument must be a memory value bigger than 1 and smaller than 4gb");
    return ctx.reply.Ok();
  }
  if (sub == "jmap" && argc == 2) {
    std::string report = AllocatorReport();
    size_t start = 0;
    while (start < report.size()) {
      size_t nl = report.find('\n', start);
      if (nl == std::string::npos) nl = report.size();
      Log(kLogNotice, "%.*s", static_cast<int>(nl - start), report.data() + start);
      start = nl + 1;
    }
    return ctx.reply.Ok();
  }
  if ((sub == "stringmatch-test" || sub == "stringmatch-len") && argc == 2) {
    // Random patterns and strings must never crash or hang the matcher.
    std::mt19937 rng(static_cast<uint32_t>(Server::NowUs()));
    for (int i = 0; i < 100000; ++i) {
      std::string pat(rng() % 32, '\0'), str(rng() % 32, '\0');
      for (char& c : pat) c = static_cast<char>(rng() % 256);
      for (char& c : str) c = static_cast<char>(rng() % 256);
      (void)GlobMatch(pat, str, rng() % 2);
    }
    return ctx.reply.Simple("Apparently ordis did not crash: test passed");
  }
  if (sub == "reload" || sub == "loadaof") {
    return ctx.reply.Error("ERR DEBUG " + std::string(sub == "reload" ? "RELOAD" : "LOADAOF") +
                           " is not available: ordis has no persistence until the durability "
                           "issue");
  }
  std::string msg = "ERR unknown subcommand or wrong number of arguments for '" +
                    std::string(ctx.arg(1).substr(0, 128)) + "'. Try DEBUG HELP.";
  ctx.reply.Error(msg);
}

// ---------------------------------------------------------------------------
// MEMORY

void MemoryUsageCmd(CommandContext& ctx) {
  // SAMPLES bounds how many nested elements are sampled; Entry's own
  // accounting is exact, so the count is validated and otherwise unused.
  for (size_t j = 3; j < ctx.argc(); j += 2) {
    if (ArgIs(ctx, j, "samples") && j + 1 < ctx.argc()) {
      int64_t samples;
      if (!ArgInt(ctx, j + 1, &samples)) return;
      if (samples < 0) return ctx.reply.Error(err::kSyntax);
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
  }
  Entry* e = ctx.db().FindQuiet(ctx.arg(2));
  if (!e) return ctx.reply.Null();
  ctx.reply.Integer(static_cast<int64_t>(e->MemoryUsage()));
}

void MemoryStatsCmd(CommandContext& ctx) {
  Server& s = ctx.server;
  AllocatorStats a = ReadAllocatorStats();
  size_t peak = std::max(PeakMemory(), a.allocated);
  size_t startup = StartupMemory();
  size_t clients = 0;
  for (const auto& [id, c] : s.clients())
    clients += c->in.capacity() + c->out.capacity() + sizeof(Client);
  Keyspace& ks = s.keyspace();
  size_t overhead = startup + clients;
  size_t keys = 0;
  int dbs_with_keys = 0;
  for (int i = 0; i < ks.db_count(); ++i) {
    overhead += ks.db(i).overhead_bytes();
    keys += ks.db(i).size();
    if (ks.db(i).size()) ++dbs_with_keys;
  }
  size_t dataset = a.allocated > overhead ? a.allocated - overhead : 0;
  size_t net = a.allocated > startup ? a.allocated - startup : 0;
  auto ratio = [](size_t x, size_t y) {
    return y ? static_cast<double>(x) / static_cast<double>(y) : 0;
  };
  auto diff = [](size_t x, size_t y) { return static_cast<int64_t>(x) - static_cast<int64_t>(y); };

  ReplyBuilder& r = ctx.reply;
  r.MapHeader(27 + dbs_with_keys);
  auto num = [&](const char* k, int64_t v) {
    r.Bulk(k);
    r.Integer(v);
  };
  auto dbl = [&](const char* k, double v) {
    r.Bulk(k);
    r.Double(v);
  };
  num("peak.allocated", static_cast<int64_t>(peak));
  num("total.allocated", static_cast<int64_t>(a.allocated));
  num("startup.allocated", static_cast<int64_t>(startup));
  num("replication.backlog", 0);
  num("clients.slaves", 0);
  num("clients.normal", static_cast<int64_t>(clients));
  num("cluster.links", 0);
  num("aof.buffer", 0);
  num("lua.caches", 0);
  num("functions.caches", 0);
  for (int i = 0; i < ks.db_count(); ++i) {
    Db& db = ks.db(i);
    if (!db.size()) continue;
    r.Bulk("db." + std::to_string(i));
    r.MapHeader(2);
    // The expire index costs one node per key with a TTL (three words).
    size_t expires = db.expires_size() * 3 * sizeof(void*);
    size_t total = db.overhead_bytes();
    num("overhead.hashtable.main", static_cast<int64_t>(total > expires ? total - expires : 0));
    num("overhead.hashtable.expires", static_cast<int64_t>(std::min(expires, total)));
  }
  num("overhead.total", static_cast<int64_t>(overhead));
  num("keys.count", static_cast<int64_t>(keys));
  num("keys.bytes-per-key", keys ? static_cast<int64_t>(net / keys) : 0);
  num("dataset.bytes", static_cast<int64_t>(dataset));
  dbl("dataset.percentage",
      net ? 100.0 * static_cast<double>(dataset) / static_cast<double>(net) : 0);
  dbl("peak.percentage", 100.0 * ratio(a.allocated, peak));
  num("allocator.allocated", static_cast<int64_t>(a.allocated));
  num("allocator.active", static_cast<int64_t>(a.active));
  num("allocator.resident", static_cast<int64_t>(a.resident));
  dbl("allocator-fragmentation.ratio", ratio(a.active, a.allocated));
  num("allocator-fragmentation.bytes", diff(a.active, a.allocated));
  dbl("allocator-rss.ratio", ratio(a.resident, a.active));
  num("allocator-rss.bytes", diff(a.resident, a.active));
  dbl("rss-overhead.ratio", ratio(a.rss, a.resident));
  num("rss-overhead.bytes", diff(a.rss, a.resident));
  dbl("fragmentation", ratio(a.rss, a.allocated));
  num("fragmentation.bytes", diff(a.rss, a.allocated));
}

void MemoryDoctorCmd(CommandContext& ctx) {
  AllocatorStats a = ReadAllocatorStats();
  std::string report;
  if (a.allocated < (5u << 20)) {
    report =
        "Hi Sam, this instance is empty or is using very little memory, my issues detector "
        "can't be used in these conditions. Please, leave for your mission on Earth and fill it "
        "with some data. The new Sam and I will be back to our programming as soon as I "
        "finished rebooting.";
  } else {
    std::vector<std::string> issues;
    size_t peak = PeakMemory();
    if (peak > a.allocated && static_cast<double>(peak) / static_cast<double>(a.allocated) > 1.5)
      issues.push_back(
          " * Peak memory: in the past this instance used more than 150% the memory that is "
          "currently using. The allocator is normally not able to release memory after a peak, "
          "so you can expect to see a big fragmentation ratio.");
    if (a.active > a.allocated &&
        static_cast<double>(a.active) / static_cast<double>(a.allocated) > 1.1)
      issues.push_back(
          " * High allocator fragmentation: active pages exceed allocated bytes by more than "
          "10%. MEMORY PURGE may return some of them to the system.");
    if (a.rss > a.allocated && static_cast<double>(a.rss) / static_cast<double>(a.allocated) > 1.4)
      issues.push_back(
          " * High process RSS overhead: the resident set is more than 140% of the allocated "
          "memory.");
    if (issues.empty()) {
      report =
          "Hi Sam, I can't find any memory issue in your instance. I can only account for "
          "what occurs on this base.";
    } else {
      report = "Sam, I detected a few issues in this ordis instance memory implants:\n\n";
      for (const std::string& i : issues) report += i + "\n\n";
      report += "I'm here to keep you safe, Sam. I want to help you.\n";
    }
  }
  ctx.reply.Verbatim(report, "txt");
}

void MemoryMallocStatsCmd(CommandContext& ctx) {
  ctx.reply.Verbatim(AllocatorReport(), "txt");
}

void MemoryPurgeCmd(CommandContext& ctx) {
  if (!AllocatorPurge()) return ctx.reply.Error("ERR Error purging dirty pages");
  ctx.reply.Ok();
}

void MemoryHelpCmd(CommandContext& ctx) {
  ReplyHelp(ctx, {
                     "DOCTOR",
                     "    Return memory problems reports.",
                     "MALLOC-STATS",
                     "    Return internal statistics report from the memory allocator.",
                     "PURGE",
                     "    Attempt to purge dirty pages for reclamation by the allocator.",
                     "STATS",
                     "    Return information about the memory usage of the server.",
                     "USAGE <key> [SAMPLES <count>]",
                     "    Return memory in bytes used by <key> and its value. Nested values are",
                     "    sampled up to <count> times (default: 5, 0 means sample all).",
                 });
}

// ---------------------------------------------------------------------------
// SHUTDOWN, TIME, WAIT (LASTSAVE is in cmd/persistence.cpp)

void ShutdownCmd(CommandContext& ctx) {
  bool save = false, nosave = false, now = false, force = false, abort = false;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    if (ArgIs(ctx, i, "nosave")) {
      nosave = true;
    } else if (ArgIs(ctx, i, "save")) {
      save = true;
    } else if (ArgIs(ctx, i, "now")) {
      now = true;
    } else if (ArgIs(ctx, i, "force")) {
      force = true;
    } else if (ArgIs(ctx, i, "abort")) {
      abort = true;
    } else {
      return ctx.reply.Error(err::kSyntax);
    }
  }
  if ((abort && ctx.argc() != 2) || (save && nosave)) return ctx.reply.Error(err::kSyntax);
  // Shutdown never waits here (no replicas, no snapshot to write), so
  // there is never one in progress to abort.
  if (abort) return ctx.reply.Error("ERR No shutdown in progress.");
  Log(kLogWarning, "SHUTDOWN requested by client id=%llu addr=%s%s%s%s",
      static_cast<unsigned long long>(ctx.client.id), ctx.client.addr.c_str(),
      nosave ? " NOSAVE" : (save ? " SAVE" : ""), now ? " NOW" : "", force ? " FORCE" : "");
  if (save) Log(kLogNotice, "No persistence configured yet: nothing to save before exiting.");
  ctx.server.shutdown_requested = true;
  if (ClientHost* host = ctx.server.host()) host->Stop();
  // As in Redis, a successful SHUTDOWN sends no reply: the connection closes.
}

void TimeCmd(CommandContext& ctx) {
  int64_t us = Server::NowUs();
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(us / 1000000));
  ctx.reply.Bulk(std::to_string(us % 1000000));
}

void WaitCmd(CommandContext& ctx) {
  int64_t replicas, timeout;
  if (!ArgInt(ctx, 1, &replicas)) return;
  if (!ArgInt(ctx, 2, &timeout, "ERR timeout is not an integer or out of range")) return;
  if (timeout < 0) return ctx.reply.Error("ERR timeout is negative");
  // No replication: no replica can acknowledge anything.
  ctx.reply.Integer(0);
}

// ---------------------------------------------------------------------------
// FUNCTION: ordis has no scripting engine, so the library is always empty.

void FunctionFlushCmd(CommandContext& ctx) {
  if (ctx.argc() == 3 && !ArgIs(ctx, 2, "async") && !ArgIs(ctx, 2, "sync"))
    return ctx.reply.Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
  if (ctx.argc() > 3) return ctx.reply.Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
  ctx.reply.Ok();
}

void FunctionListCmd(CommandContext& ctx) {
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (ArgIs(ctx, i, "withcode")) continue;
    if (ArgIs(ctx, i, "libraryname")) {
      if (i + 1 >= ctx.argc()) return ctx.reply.Error("ERR library name argument was not given");
      ++i;
      continue;
    }
    return ctx.reply.Error("ERR Unknown argument " + std::string(ctx.arg(i)));
  }
  ctx.reply.EmptyArray();
}

void FunctionStatsCmd(CommandContext& ctx) {
  ctx.reply.MapHeader(2);
  ctx.reply.Bulk("running_script");
  ctx.reply.Null();
  ctx.reply.Bulk("engines");
  ctx.reply.MapHeader(0);
}

void FunctionDeleteCmd(CommandContext& ctx) {
  ctx.reply.Error("ERR Library not found");
}

void FunctionKillCmd(CommandContext& ctx) {
  ctx.reply.Error("NOTBUSY No scripts in execution right now.");
}

void FunctionHelpCmd(CommandContext& ctx) {
  ReplyHelp(ctx, {
                     "DELETE <library-name>",
                     "    Delete a library and all its functions.",
                     "KILL",
                     "    Kill the function currently in execution.",
                     "LIST [LIBRARYNAME <library-name-pattern>] [WITHCODE]",
                     "    Return general information on all the libraries (always empty: ordis",
                     "    has no scripting engine).",
                     "STATS",
                     "    Return information about the current function running.",
                     "FLUSH [ASYNC|SYNC]",
                     "    Delete all the libraries.",
                 });
}

// ---------------------------------------------------------------------------
// Tables

constexpr uint32_t kAdminCmd = kCmdAdmin | kCmdNoscript | kCmdLoading | kCmdStale;
constexpr uint32_t kHelpCmd = kCmdLoading | kCmdStale;

constexpr CommandSpec kConfigSubs[] = {
    {"get", -3, kAdminCmd, 0, 0, 0, 0, ConfigGetCmd, "server", "2.0.0",
     "Get the values of configuration parameters",
     "O(N) when N is the number of configuration parameters provided", "parameter [parameter ...]"},
    {"set", -4, kAdminCmd, 0, 0, 0, 0, ConfigSetCmd, "server", "2.0.0",
     "Set configuration parameters to the given values",
     "O(N) when N is the number of configuration parameters provided",
     "parameter value [parameter value ...]"},
    {"resetstat", 2, kAdminCmd, 0, 0, 0, 0, ConfigResetStatCmd, "server", "2.0.0",
     "Reset the stats returned by INFO", "O(1)", ""},
    {"rewrite", 2, kAdminCmd, 0, 0, 0, 0, ConfigRewriteCmd, "server", "2.8.0",
     "Rewrite the configuration file with the in memory configuration", "O(1)", ""},
    {"help", 2, kHelpCmd, 0, 0, 0, 0, ConfigHelpCmd, "server", "5.0.0",
     "Show helpful text about the different subcommands", "O(1)", ""},
};

constexpr CommandSpec kMemorySubs[] = {
    {"usage",
     -3,
     kCmdReadonly,
     0,
     2,
     2,
     1,
     MemoryUsageCmd,
     "server",
     "4.0.0",
     "Estimate the memory usage of a key",
     "O(N) where N is the number of samples.",
     "key [SAMPLES count]",
     {},
     "RO"},
    {"stats", 2, 0, 0, 0, 0, 0, MemoryStatsCmd, "server", "4.0.0", "Show memory usage details",
     "O(1)", ""},
    {"doctor", 2, 0, 0, 0, 0, 0, MemoryDoctorCmd, "server", "4.0.0",
     "Outputs memory problems report", "O(1)", ""},
    {"malloc-stats", 2, 0, 0, 0, 0, 0, MemoryMallocStatsCmd, "server", "4.0.0",
     "Show allocator internal stats", "Depends on how much memory is allocated, could be slow", ""},
    {"purge", 2, 0, 0, 0, 0, 0, MemoryPurgeCmd, "server", "4.0.0",
     "Ask the allocator to release memory",
     "Depends on how much memory is allocated, could be slow", ""},
    {"help", 2, kHelpCmd, 0, 0, 0, 0, MemoryHelpCmd, "server", "4.0.0",
     "Show helpful text about the different subcommands", "O(1)", ""},
};

constexpr CommandSpec kFunctionSubs[] = {
    {"flush", -2, kCmdWrite | kCmdNoscript, kAclScripting, 0, 0, 0, FunctionFlushCmd, "scripting",
     "7.0.0", "Deleting all functions", "O(N) where N is the number of functions deleted",
     "[ASYNC|SYNC]"},
    {"list", -2, kCmdNoscript, kAclScripting, 0, 0, 0, FunctionListCmd, "scripting", "7.0.0",
     "List information about all the functions", "O(N) where N is the number of functions",
     "[LIBRARYNAME library-name-pattern] [WITHCODE]"},
    {"stats", 2, kCmdNoscript | kCmdAllowBusy, kAclScripting, 0, 0, 0, FunctionStatsCmd,
     "scripting", "7.0.0",
     "Return information about the function currently running (name, description, duration)",
     "O(1)", ""},
    {"delete", 3, kCmdWrite | kCmdNoscript, kAclScripting, 0, 0, 0, FunctionDeleteCmd, "scripting",
     "7.0.0", "Delete a function by name", "O(1)", "library-name"},
    {"kill", 2, kCmdNoscript | kCmdAllowBusy, kAclScripting, 0, 0, 0, FunctionKillCmd, "scripting",
     "7.0.0", "Kill the function currently in execution.", "O(1)", ""},
    {"help", 2, kHelpCmd, kAclScripting, 0, 0, 0, FunctionHelpCmd, "scripting", "7.0.0",
     "Show helpful text about the different subcommands", "O(1)", ""},
};

constexpr CommandSpec kCommands[] = {
    {"info", -1, kCmdLoading | kCmdStale, kAclDangerous, 0, 0, 0, InfoCmd, "server", "1.0.0",
     "Get information and statistics about the server", "O(1)", "[section [section ...]]"},
    {"config", -2, 0, 0, 0, 0, 0, nullptr, "server", "2.0.0",
     "A container for server configuration commands", "Depends on subcommand.", "", kConfigSubs},
    {"debug", -2, kAdminCmd, 0, 0, 0, 0, DebugCmd, "server", "1.0.0",
     "A container for debugging commands", "Depends on subcommand.", ""},
    {"memory", -2, 0, 0, 0, 0, 0, nullptr, "server", "4.0.0",
     "A container for memory diagnostics commands", "Depends on subcommand.", "", kMemorySubs},
    {"shutdown", -1, kAdminCmd | kCmdNoMulti | kCmdAllowBusy, 0, 0, 0, 0, ShutdownCmd, "server",
     "1.0.0", "Synchronously save the dataset to disk and then shut down the server",
     "O(N) when saving, where N is the total number of keys in all databases when saving data, "
     "otherwise O(1)",
     "[NOSAVE|SAVE] [NOW] [FORCE] [ABORT]"},
    {"time", 1, kCmdLoading | kCmdStale | kCmdFast, 0, 0, 0, 0, TimeCmd, "server", "2.6.0",
     "Return the current server time", "O(1)", ""},
    {"wait", 3, kCmdNoscript, kAclConnection, 0, 0, 0, WaitCmd, "generic", "3.0.0",
     "Wait for the synchronous replication of all the write commands sent in the context of "
     "the current connection",
     "O(1)", "numreplicas timeout"},
    {"function", -2, 0, 0, 0, 0, 0, nullptr, "scripting", "7.0.0",
     "A container for function commands", "Depends on subcommand.", "", kFunctionSubs},
};

}  // namespace

std::span<const CommandSpec> ServerCommands() {
  return kCommands;
}

}  // namespace ordis
