#include "server/persistence.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cmd/command_table.h"
#include "server/log.h"
#include "server/server.h"
#include "util/strutil.h"
#include "wal/file_storage.h"
#include "wal/reader.h"
#include "wal/writer.h"

namespace ordis {
namespace {


bool ReadFile(const std::string& path, std::string* out, int* err) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *err = errno;
    return false;
  }
  struct stat st {};
  fstat(fd, &st);
  out->resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < out->size()) {
    ssize_t n = read(fd, out->data() + done, out->size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *err = n < 0 ? errno : EIO;
      close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  close(fd);
  return true;
}

// Zeroes [from, to) of a segment and syncs it: truncating a torn tail while
// keeping the preallocated size.
int ZeroRange(const std::string& path, uint64_t from, uint64_t to) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  std::string zeros(static_cast<size_t>(std::min<uint64_t>(to - from, 1 << 20)), '\0');
  int rc = 0;
  for (uint64_t off = from; off < to && rc == 0;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(zeros.size(), to - off));
    ssize_t w = pwrite(fd, zeros.data(), n, static_cast<off_t>(off));
    if (w <= 0) {
      rc = w < 0 ? errno : EIO;
      break;
    }
    off += static_cast<uint64_t>(w);
  }
  if (rc == 0 && fdatasync(fd) != 0) rc = errno;
  close(fd);
  return rc;
}

bool IsCmd(std::string_view a, std::string_view name) {
  return EqualsNoCase(a, name);
}

}  // namespace

Persistence::Persistence(Server& server) : server_(server) {}
Persistence::~Persistence() = default;

uint64_t Persistence::KeyToken(int db, std::string_view key) {
  return order::Mix64(std::hash<std::string_view>{}(key) +
             static_cast<uint64_t>(db) * 0x9e3779b97f4a7c15ULL);
}
uint64_t Persistence::OrderToken(char kind, uint64_t v) {
  return order::Mix64(v * 31 + static_cast<uint64_t>(kind) + 0x51ed27);
}
uint64_t Persistence::SymbolToken(std::string_view symbol) {
  return order::Mix64(std::hash<std::string_view>{}(symbol) ^ 0x5ULL);
}

uint64_t Persistence::last_lsn() const {
  return writer_ ? writer_->last_lsn() : 0;
}

uint64_t Persistence::release_lsn() const {
  if (!writer_) return 0;
  if (writer_->policy() != wal::FsyncPolicy::kAlways) return writer_->last_lsn();
  return writer_->durable_lsn();
}

int Persistence::notify_fd() const {
  return storage_ ? storage_->notify_fd() : -1;
}

// ---- opening and recovery -------------------------------------------------

void Persistence::OpenForTest(wal::Storage* storage, uint64_t segment_size) {
  storage_ = storage;
  wal::WriterOptions o;
  o.segment_size = segment_size;
  o.policy = wal::FsyncPolicy::kAlways;
  writer_ = std::make_unique<wal::Writer>(storage, o, wal::WriterPosition{});
  gens_.assign(1, Generation{});
}

std::string Persistence::Recover() {
  const Config& cfg = server_.config();
  if (!cfg.appendonly) return "";
  std::string dir = cfg.dir + "/" + cfg.appenddirname;
  std::string manifest_path = dir + "/" + wal::ManifestName(cfg.appendfilename);
  std::vector<wal::ManifestEntry> manifest;
  std::string text;
  int err = 0;
  if (ReadFile(manifest_path, &text, &err)) {
    std::string e = wal::ParseManifest(text, &manifest);
    if (!e.empty()) return e + " of " + manifest_path;
  } else if (err != ENOENT) {
    return "Can't open the append-only manifest " + manifest_path + ": " + strerror(err);
  }
  // The snapshot's LSN: entries up to it are already in memory.
  uint64_t after = server_.snapshot_lsn();
  wal::WriterPosition pos;
  pos.next_lsn = after + 1;
  pos.seq = manifest.empty() ? 1 : manifest.back().seq;
  int64_t start_ms = Server::NowMs();
  uint64_t base_bytes = progress_.total_bytes.load();  // the snapshot's, if loaded
  for (const wal::ManifestEntry& m : manifest) {
    struct stat st {};
    if (stat((dir + "/" + m.file).c_str(), &st) == 0)
      progress_.total_bytes += static_cast<uint64_t>(st.st_size);
  }
  if (progress_.start_ms.load() == 0) {
    progress_.start_ms = start_ms;
    progress_.start_sec = start_ms / 1000;
  }
  uint64_t expect = 0;  // next LSN the log must hold (0: not known yet)
  bool torn_seen = false;
  std::string torn_where;
  server_.loading = true;
  for (size_t i = 0; i < manifest.size(); ++i) {
    std::string path = dir + "/" + manifest[i].file;
    std::string data;
    if (!ReadFile(path, &data, &err))
      return "Can't open the append-only file " + path + ": " + strerror(err);
    wal::SegmentScan scan = wal::ScanSegment(data);
    if (scan.end == wal::SegmentEnd::kCorrupt)
      return "Bad file format reading the append only file " + path + " at offset " +
             std::to_string(scan.bad_offset) + ": " + scan.error;
    if (!data.empty() && scan.seq != manifest[i].seq && !(scan.batches.empty() && scan.seq == 0))
      return "Append only file " + path + " has segment number " + std::to_string(scan.seq) +
             ", the manifest says " + std::to_string(manifest[i].seq);
    if (torn_seen && !scan.batches.empty())
      return "Bad file format reading the append only file " + torn_where +
             ": a torn batch is followed by more log in " + path;
    for (const wal::Batch& b : scan.batches) {
      if (expect == 0) {
        if (b.header.first_lsn > after + 1)
          return "The append only file " + path + " starts at LSN " +
                 std::to_string(b.header.first_lsn) + " but the snapshot covers only up to " +
                 std::to_string(after) + ": log is missing";
      } else if (b.header.first_lsn != expect &&
                 !(b.header.first_lsn > expect && b.header.first_lsn <= after + 1)) {
        // (A gap the snapshot covers is fine: see the rotation below.)
        return "Bad file format reading the append only file " + path + " at offset " +
               std::to_string(b.offset) + ": LSN " + std::to_string(b.header.first_lsn) +
               " follows " + std::to_string(expect - 1);
      }
      expect = b.last_lsn() + 1;
      progress_.loaded_bytes = base_bytes + b.offset;
      if (b.last_lsn() > after) {
        replayed_bytes_ += wal::kBatchHeaderSize + b.payload.size();
        std::string e = ReplayItems(b.payload, b.header.first_lsn, after);
        if (!e.empty())
          return "Bad file format reading the append only file " + path + " at offset " +
                 std::to_string(b.offset) + ": " + e;
      }
    }
    if (!scan.batches.empty()) {
      pos.seq = manifest[i].seq;
      pos.offset = scan.end_offset;
      pos.segments.emplace_back(manifest[i].seq, scan.batches.back().last_lsn());
    } else if (i > 0 && pos.seq == manifest[i - 1].seq && pos.offset == wal::kSegmentHeaderSize) {
      pos.seq = manifest[i].seq;
    }
    if (scan.end == wal::SegmentEnd::kTorn) {
      torn_seen = true;
      torn_where = path + " at offset " + std::to_string(scan.bad_offset);
      if (!cfg.aof_load_truncated)
        return "Bad file format reading the append only file " + torn_where + " (" + scan.error +
               "); aof-load-truncated is no";
      Log(kLogWarning,
          "!!! Warning: short read while loading the AOF file %s (%s)!!! Truncating the torn last "
          "batch at offset %llu",
          path.c_str(), scan.error.c_str(), static_cast<unsigned long long>(scan.bad_offset));
      int rc = ZeroRange(path, scan.bad_offset, scan.dirty_end);
      if (rc != 0)
        return "Can't truncate the torn tail of " + path + ": " + std::string(strerror(rc));
      pos.seq = manifest[i].seq;
      pos.offset = scan.batches.empty() ? wal::kSegmentHeaderSize : scan.end_offset;
    }
    base_bytes += data.size();
    progress_.loaded_bytes = base_bytes;
    if (manifest.size() > 1)
      Log(kLogNotice, "Loading the append only file: %zu%% (%s)", (i + 1) * 100 / manifest.size(),
          manifest[i].file.c_str());
  }
  server_.loading = false;
  // The snapshot can be ahead of the log: it was written from memory while
  // the last batches were still unsynced, then the process died. Those
  // entries were never acknowledged; the log resumes after the snapshot's
  // LSN, in a new segment so that no segment has a gap inside.
  bool snapshot_ahead = expect != 0 && after + 1 > expect;
  if (expect > pos.next_lsn) pos.next_lsn = expect;
  // Replayed commands are not client commands (as Redis's AOF loading).
  server_.stats().commands.clear();
  server_.stats().total_commands_processed = 0;
  server_.stats().dirty = 0;
  int64_t ms = Server::NowMs() - start_ms;
  if (loaded_entries_ > 0 || !manifest.empty())
    Log(kLogNotice, "DB loaded from append only file: %.3f seconds, %llu entries replayed",
        static_cast<double>(ms) / 1000.0, static_cast<unsigned long long>(loaded_entries_));

  std::string e;
  files_ =
      wal::FileStorage::Open(dir, cfg.appendfilename, static_cast<uint64_t>(cfg.wal_segment_size),
                             manifest, cfg.wal_io == 1, &e);
  if (!files_) return e;
  if (manifest.empty()) {
    int rc = files_->PrepareNow(pos.seq);
    if (rc != 0)
      return "Can't create the append only file " + files_->SegmentPath(pos.seq) + ": " +
             strerror(rc);
  }
  storage_ = files_.get();
  wal::WriterOptions o;
  o.segment_size = static_cast<uint64_t>(cfg.wal_segment_size);
  o.policy = cfg.appendfsync == 0   ? wal::FsyncPolicy::kAlways
             : cfg.appendfsync == 1 ? wal::FsyncPolicy::kEverysec
                                    : wal::FsyncPolicy::kNo;
  writer_ = std::make_unique<wal::Writer>(storage_, o, pos);
  if (snapshot_ahead) {
    Log(kLogWarning,
        "The snapshot (LSN %llu) is ahead of the log (last LSN %llu): resuming the log in a new "
        "segment",
        static_cast<unsigned long long>(after), static_cast<unsigned long long>(expect - 1));
    writer_->Rotate();
  }
  gens_.assign(1, Generation{});
  Log(kLogNotice, "WAL open: %s, segment %llu offset %llu, next LSN %llu, I/O %s", dir.c_str(),
      static_cast<unsigned long long>(pos.seq), static_cast<unsigned long long>(pos.offset),
      static_cast<unsigned long long>(pos.next_lsn), storage_->kind());
  return "";
}

std::string Persistence::ReplaySegmentBytes(std::string_view data, uint64_t after_lsn) {
  wal::SegmentScan scan = wal::ScanSegment(data);
  for (const wal::Batch& b : scan.batches) {
    if (b.last_lsn() <= after_lsn) continue;
    std::string e = ReplayItems(b.payload, b.header.first_lsn, after_lsn);
    if (!e.empty()) return e;
  }
  if (scan.end == wal::SegmentEnd::kCorrupt) return scan.error;
  return "";
}

// Runs a batch's entries with LSN > after_lsn through the command table, at
// their logged times, with expiry off.
std::string Persistence::ReplayItems(std::string_view payload, uint64_t first_lsn,
                                     uint64_t after_lsn) {
  Client c;
  c.flags |= Client::kMulti;  // blocking commands never block during replay
  c.reply.set_buffer(&c.discard);
  KeyspaceContext& kc = server_.keyspace().ctx();
  bool lazy = kc.lazy_expire_enabled;
  kc.lazy_expire_enabled = false;
  bool orders = server_.orders_created();
  if (orders) server_.orders().set_auto_expire(false);
  replaying_ = true;
  uint64_t lsn = first_lsn;
  std::string err;
  std::string e = wal::ForEachItem(
      payload,
      [&](const std::vector<std::string_view>& args) {
        if (IsCmd(args[0], "SELECT")) {
          int64_t db;
          if (args.size() != 2 || !ParseInt64(args[1], &db) || db < 0 ||
              db >= server_.keyspace().db_count()) {
            err = "bad SELECT in the log";
            return false;
          }
          c.db = static_cast<int>(db);
          return true;
        }
        uint64_t this_lsn = lsn++;
        if (this_lsn <= after_lsn) return true;
        ++loaded_entries_;
        if (IsCmd(args[0], "ORDER.EXPIRED")) {
          uint64_t id;
          if (args.size() != 2 || !ParseUint64(args[1], &id)) {
            err = "bad ORDER.EXPIRED in the log";
            return false;
          }
          server_.orders().set_auto_expire(false);
          (void)server_.orders().ExpireOrder(id, replay_time_us_);
          return true;
        }
        const CommandSpec* spec = server_.commands().Find(args[0]);
        std::string name = spec ? spec->name : "";
        if (spec && !spec->subcommands.empty() && args.size() >= 2) {
          spec = CommandTable::FindSub(*spec, args[1]);
          if (spec) name += std::string("|") + spec->name;
        }
        if (!spec || !spec->handler || !CommandTable::ArityOk(spec->arity, args.size())) {
          err = "unknown or malformed command '" + std::string(args[0].substr(0, 64)) + "'";
          return false;
        }
        if (IsCmd(args[0], "ORDER.PLACE") || IsCmd(args[0], "ORDER.RESET")) {
          server_.orders().set_auto_expire(false);  // tables may be created now
        }
        server_.set_replay_time_us(replay_time_us_);
        server_.Call(c, spec, args, name);
        c.discard.Clear();
        return true;
      },
      [&](int64_t us) { replay_time_us_ = us; });
  replaying_ = false;
  server_.set_replay_time_us(0);
  kc.lazy_expire_enabled = lazy;
  if (server_.orders_created()) server_.orders().set_auto_expire(true);
  if (!e.empty()) return e;
  return err;
}

// ---- logging ----------------------------------------------------------------

void Persistence::LogCommand(ArgList args, int db,
                             std::vector<std::vector<std::string>>* rewrites) {
  if (!writer_ || replaying_) return;
  int64_t t = server_.command_time_us();
  bool precise = args[0].size() > 6 && EqualsNoCase(args[0].substr(0, 6), "order.");
  if (!rewrites->empty()) {
    for (const auto& r : *rewrites) writer_->Append(db, t, precise, r);
    rewrites->clear();
    return;
  }
  writer_->Append(db, t, precise, args);
}

void Persistence::LogEffect(int db, std::span<const std::string_view> args, bool precise_time) {
  if (!writer_ || replaying_) return;
  writer_->Append(db, server_.command_time_us(), precise_time, args);
}

void Persistence::LogServedBlocked(const CommandSpec* spec, ArgList args, int db,
                                   std::string_view key) {
  if (!writer_ || replaying_) return;
  std::string_view name = spec->name;
  std::vector<std::string_view> out;
  if (name == "blpop" || name == "brpop") {
    out = {name == "blpop" ? "LPOP" : "RPOP", key};
  } else if (name == "bzpopmin" || name == "bzpopmax") {
    out = {name == "bzpopmin" ? "ZPOPMIN" : "ZPOPMAX", key};
  } else if (name == "blmove" && args.size() == 6) {
    out = {"LMOVE", args[1], args[2], args[3], args[4]};
  } else if (name == "brpoplpush" && args.size() == 4) {
    out = {"RPOPLPUSH", args[1], args[2]};
  } else if ((name == "blmpop" || name == "bzmpop") && args.size() >= 5) {
    // B?MPOP timeout numkeys key... where [COUNT n] -> ?MPOP 1 key where [COUNT n]
    int64_t n = 0;
    if (ParseInt64(args[2], &n) && n > 0 && static_cast<size_t>(n) + 3 < args.size() + 1) {
      out = {name == "blmpop" ? "LMPOP" : "ZMPOP", "1", key};
      for (size_t i = 3 + static_cast<size_t>(n); i < args.size(); ++i) out.push_back(args[i]);
    }
  }
  if (out.empty()) {
    // Unknown blocking command: log it as called (it was served at once).
    out.assign(args.begin(), args.end());
  }
  uint64_t lsn = writer_->Append(db, server_.command_time_us(), false, out);
  Stamp(KeyToken(db, key), lsn);
  if (name == "blmove" || name == "brpoplpush") Stamp(KeyToken(db, args[2]), lsn);
}

void Persistence::OnKeyExpired(void* self, int db, std::string_view key) {
  auto* p = static_cast<Persistence*>(self);
  if (!p->writer_ || p->replaying_) return;
  std::string_view args[] = {"DEL", key};
  uint64_t lsn = p->writer_->Append(db, p->server_.command_time_us(), false, args);
  p->Stamp(KeyToken(db, key), lsn);
}

void Persistence::OnOrderEvent(const order::OrderEvent& e) {
  if (writer_ && !replaying_) {
    cmd_tokens_.push_back(OrderToken('o', e.order->id));
    cmd_tokens_.push_back(OrderToken('u', e.order->user));
    cmd_tokens_.push_back(SymbolToken(server_.orders().SymbolName(e.symbol)));
    if (e.kind == order::EventKind::kExpired) {
      std::string id = std::to_string(e.order->id);
      std::string_view args[] = {"ORDER.EXPIRED", id};
      writer_->Append(0, e.time_us, true, args);
    }
  }
  if (next_) next_->OnOrderEvent(e);
}

// ---- pending tokens and reply dependencies --------------------------------

void Persistence::Stamp(uint64_t token, uint64_t lsn) {
  Generation& g = gens_.back();
  g.tokens[token] = lsn;
  if (lsn > g.max_lsn) g.max_lsn = lsn;
}

uint64_t Persistence::PendingOf(uint64_t token) const {
  uint64_t lsn = 0;
  for (const Generation& g : gens_) {
    auto it = g.tokens.find(token);
    if (it != g.tokens.end() && it->second > lsn) lsn = it->second;
  }
  return lsn;
}

void Persistence::Prune() {
  uint64_t rel = release_lsn();
  while (gens_.size() > 1 && gens_.front().max_lsn <= rel) gens_.pop_front();
  if (gens_.size() == 1 && gens_.front().max_lsn <= rel && !gens_.front().tokens.empty())
    gens_.front().tokens.clear();
}

uint64_t Persistence::ReadDependency(const CommandSpec* spec, ArgList args, int db) const {
  uint64_t rel = release_lsn();
  uint64_t last = writer_->last_lsn();
  if (last <= rel) return 0;  // nothing pending at all
  uint64_t dep = barrier_lsn_ > rel ? barrier_lsn_ : 0;
  std::string_view name = spec->name;
  if (name.starts_with("order.")) {
    uint64_t t = 0;
    int64_t v;
    if (name == "order.get" && args.size() == 2 && ParseInt64(args[1], &v)) {
      t = PendingOf(OrderToken('o', static_cast<uint64_t>(v)));
    } else if ((name == "order.getcid" || name == "order.open") && args.size() >= 2 &&
               ParseInt64(args[1], &v)) {
      t = PendingOf(OrderToken('u', static_cast<uint64_t>(v)));
    } else if ((name == "order.depth" || name == "order.top") && args.size() >= 2) {
      t = PendingOf(SymbolToken(args[1]));
    } else {
      t = orders_lsn_;
    }
    return std::max(dep, t > rel ? t : 0);
  }
  std::vector<size_t> keys = CommandTable::KeyPositions(*spec, args);
  if (keys.empty()) return last;  // KEYS, SCAN, DBSIZE, RANDOMKEY...: everything
  for (size_t i : keys) {
    uint64_t t = PendingOf(KeyToken(db, args[i]));
    if (t > rel && t > dep) dep = t;
  }
  return dep;
}

uint64_t Persistence::CommandDone(const CommandSpec* spec, ArgList args, int db,
                                  uint64_t lsn_before) {
  if (!writer_ || replaying_) return 0;
  uint64_t last = writer_->last_lsn();
  if (last > lsn_before) {
    // It wrote: stamp what it touched, and its reply waits for its entries.
    if (!cmd_tokens_.empty()) {
      for (uint64_t t : cmd_tokens_) Stamp(t, last);
      cmd_tokens_.clear();
      orders_lsn_ = last;
    }
    std::vector<size_t> keys = CommandTable::KeyPositions(*spec, args);
    std::string_view name = spec->name;
    if (keys.empty() || name == "move" || name == "copy") {
      if (!name.starts_with("order.")) barrier_lsn_ = last;
    }
    for (size_t i : keys) Stamp(KeyToken(db, args[i]), last);
    return last;
  }
  cmd_tokens_.clear();
  // A write that changed nothing (SET NX on an existing key, DEL of a
  // missing one) still answered from what it read.
  if (spec->flags & (kCmdReadonly | kCmdWrite)) return ReadDependency(spec, args, db);
  return 0;
}

void Persistence::EffectsDone() {
  if (!writer_ || cmd_tokens_.empty()) return;
  uint64_t last = writer_->last_lsn();
  for (uint64_t t : cmd_tokens_) Stamp(t, last);
  cmd_tokens_.clear();
  orders_lsn_ = last;
}

void Persistence::UpdateWriteError() {
  if (!writer_ || writer_->ok()) {
    if (!write_error_.empty()) {
      Log(kLogWarning, "AOF write error looks solved. Ordis can write again.");
      write_error_.clear();
    }
    return;
  }
  std::string e =
      std::string("MISCONF Errors writing to the AOF file: ") + strerror(writer_->last_errno());
  if (e != write_error_) {
    Log(kLogWarning, "Error writing to the AOF file: %s; refusing writes until it succeeds",
        strerror(writer_->last_errno()));
    write_error_ = e;
  }
}

// ---- loop -----------------------------------------------------------------

bool Persistence::OnIoEvent() {
  if (!writer_) return false;
  bool advanced = writer_->Poll(Server::NowUs());
  UpdateWriteError();
  if (advanced) Prune();
  return advanced;
}

void Persistence::EndOfPass() {
  if (!writer_) return;
  bool had_job = writer_->job_running();
  writer_->Flush(Server::NowUs());
  // A new batch went out: later writes start a new token generation.
  if (!had_job && writer_->job_running() && !gens_.back().tokens.empty()) gens_.emplace_back();
  if (writer_->policy() != wal::FsyncPolicy::kAlways) Prune();
  UpdateWriteError();
}

void Persistence::Cron() {
  if (!writer_) return;
  // CONFIG SET appendfsync takes effect here.
  int64_t f = server_.config().appendfsync;
  writer_->set_policy(f == 0   ? wal::FsyncPolicy::kAlways
                      : f == 1 ? wal::FsyncPolicy::kEverysec
                               : wal::FsyncPolicy::kNo);
  writer_->Cron(Server::NowUs());
  UpdateWriteError();
}

void Persistence::Rotate() {
  if (writer_) writer_->Rotate();
}

void Persistence::SnapshotSaved(uint64_t lsn) {
  if (rewrite_in_progress_) {
    rewrite_in_progress_ = false;
    ++rewrites_;
  }
  if (!writer_) return;
  writer_->RetireCovered(lsn);
  bytes_at_snapshot_ = writer_->stats().bytes;
  replayed_bytes_ = 0;
}

uint64_t Persistence::bytes_since_snapshot() const {
  // The log replayed at startup counts too: a server restarted often after
  // big logs still takes its snapshot.
  return writer_ ? writer_->stats().bytes + replayed_bytes_ - bytes_at_snapshot_ : 0;
}

void Persistence::AppendInfo(std::string* out) const {
  auto add = [out](const char* k, const std::string& v) {
    out->append(k);
    out->push_back(':');
    out->append(v);
    out->append("\r\n");
  };
  add("aof_enabled", writer_ ? "1" : "0");
  add("aof_rewrite_in_progress", rewrite_in_progress_ ? "1" : "0");
  add("aof_rewrite_scheduled", "0");
  add("aof_last_rewrite_time_sec", "-1");
  add("aof_current_rewrite_time_sec", "-1");
  add("aof_last_bgrewrite_status", "ok");
  add("aof_rewrites", std::to_string(rewrites_));
  add("aof_rewrites_consecutive_failures", "0");
  add("aof_last_write_status", writer_ && !writer_->ok() ? "err" : "ok");
  add("aof_last_cow_size", "0");
  add("module_fork_in_progress", "0");
  add("module_fork_last_cow_size", "0");
  if (!writer_) return;
  const wal::WriterStats& st = writer_->stats();
  add("aof_current_size", std::to_string(st.bytes));
  add("aof_base_size", "0");
  add("aof_pending_rewrite", "0");
  add("aof_buffer_length", std::to_string(writer_->pending_bytes()));
  add("aof_pending_bio_fsync", writer_->job_running() ? "1" : "0");
  add("aof_delayed_fsync", "0");
  add("wal_io", storage_->kind());
  add("wal_last_lsn", std::to_string(writer_->last_lsn()));
  add("wal_durable_lsn", std::to_string(writer_->durable_lsn()));
  add("wal_segment", std::to_string(writer_->current_seq()));
  add("wal_segment_offset", std::to_string(writer_->current_offset()));
  add("wal_batches", std::to_string(st.batches));
  add("wal_fsyncs", std::to_string(st.fsyncs));
  add("wal_write_failures", std::to_string(st.failures));
  add("wal_fsync_p50_us", std::to_string(writer_->SyncPercentile(50)));
  add("wal_fsync_p99_us", std::to_string(writer_->SyncPercentile(99)));
  add("wal_loaded_entries", std::to_string(loaded_entries_));
  add("wal_bytes_since_snapshot", std::to_string(bytes_since_snapshot()));
}

}  // namespace ordis
