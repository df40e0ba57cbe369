// WAL writer/reader tests against in-memory segments that inject faults
// (LevelDB log_test style), and an end-to-end check that replaying what the
// server logged rebuilds the same dataset.
#include <catch2/catch.hpp>
#include <cerrno>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "harness.h"
#include "server/persistence.h"
#include "util/crc32c.h"
#include "wal/format.h"
#include "wal/reader.h"
#include "wal/writer.h"

using namespace ordis;
using namespace ordis::wal;

namespace {

// Segments in memory. A job runs when submitted; Poll reports it. Faults
// apply to the next job (or preparation) only. `durable` is what a crash
// would leave: the bytes of each segment as of its last successful sync.
class MemStorage : public Storage {
 public:
  explicit MemStorage(uint64_t segment_size) : segment_size_(segment_size) {}

  void Submit(uint64_t seq, const char* data, size_t len, uint64_t offset, bool sync) override {
    REQUIRE(!running_);
    REQUIRE(ready_.count(seq));
    running_ = true;
    ++jobs;
    std::string& seg = segs[seq];
    size_t n = len;
    if (short_write_next > 0 && short_write_next < len) {
      n = short_write_next;
      short_write_next = 0;
    }
    if (fail_write_next) {
      result_ = -fail_write_next;
      fail_write_next = 0;
      return;
    }
    if (offset + n > seg.size()) seg.resize(offset + n, '\0');
    seg.replace(offset, n, data, n);
    result_ = static_cast<int64_t>(n);
    if (n < len) return;  // the linked sync does not run after a short write
    if (sync) {
      if (fail_sync_next) {
        result_ = -fail_sync_next;
        fail_sync_next = 0;
        return;
      }
      durable[seq] = seg;
      ++syncs;
    }
  }
  bool Poll(int64_t* result) override {
    if (!running_ || hold_completion) return false;
    running_ = false;
    *result = result_;
    return true;
  }
  int notify_fd() const override { return -1; }
  bool Ready(uint64_t seq, int* err) override {
    if (ready_.count(seq)) return true;
    if (fail_prepare) {
      *err = fail_prepare;
      return false;
    }
    std::string s = SegmentHeader(seq);
    s.resize(segment_size_, '\0');
    segs[seq] = s;
    durable[seq] = s;
    ready_.insert(seq);
    return false;  // ready from the next call, like the background preparer
  }
  void Retire(uint64_t first_kept) override {
    for (auto it = segs.begin(); it != segs.end() && it->first < first_kept;) {
      durable.erase(it->first);
      ready_.erase(it->first);
      it = segs.erase(it);
    }
    retired_below = first_kept;
  }
  const char* kind() const override { return "memory"; }

  std::map<uint64_t, std::string> segs, durable;
  int fail_write_next = 0, fail_sync_next = 0, fail_prepare = 0;
  size_t short_write_next = 0;
  bool hold_completion = false;
  int jobs = 0, syncs = 0;
  uint64_t retired_below = 0;

 private:
  uint64_t segment_size_;
  std::set<uint64_t> ready_;
  bool running_ = false;
  int64_t result_ = 0;
};

std::vector<std::string> Cmd(std::initializer_list<const char*> a) {
  return std::vector<std::string>(a.begin(), a.end());
}

// Entries of a segment as "lsn:arg0 arg1 ..." (SELECT included, unnumbered).
std::vector<std::string> Entries(const std::string& seg) {
  std::vector<std::string> out;
  SegmentScan s = ScanSegment(seg);
  for (const Batch& b : s.batches) {
    uint64_t lsn = b.header.first_lsn;
    std::string err = ForEachItem(
        b.payload,
        [&](const std::vector<std::string_view>& args) {
          std::string line = args[0] == "SELECT" ? "-" : std::to_string(lsn++);
          line += ":";
          for (size_t i = 0; i < args.size(); ++i) line += (i ? " " : "") + std::string(args[i]);
          out.push_back(line);
          return true;
        },
        [&](int64_t us) { out.push_back("T" + std::to_string(us)); });
    REQUIRE(err.empty());
  }
  return out;
}

// A writer with segment 1 ready.
struct Fixture {
  explicit Fixture(uint64_t seg_size = 4096, FsyncPolicy p = FsyncPolicy::kAlways) : st(seg_size) {
    int err = 0;
    (void)st.Ready(1, &err);
    WriterOptions o;
    o.segment_size = seg_size;
    o.policy = p;
    w = std::make_unique<Writer>(&st, o, WriterPosition{});
  }
  void Settle(int64_t now = 1) {
    for (int i = 0; i < 100 && !w->idle(); ++i) {
      w->Flush(now);
      w->Poll(now);
    }
  }
  MemStorage st;
  std::unique_ptr<Writer> w;
};

}  // namespace

TEST_CASE("wal: crc32c matches the standard check value", "[wal]") {
  CHECK(Crc32c("123456789") == 0xE3069283u);
  CHECK(Crc32c("") == 0u);
  // Split computation equals one pass (hardware and table paths agree).
  std::string s(1000, 'x');
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>(i * 7);
  CHECK(Crc32c(Crc32c(0, s.data(), 333), s.data() + 333, 667) == Crc32c(s));
}

TEST_CASE("wal: batch header round trip and crc coverage", "[wal]") {
  char h[kBatchHeaderSize];
  std::string payload = "*1\r\n$4\r\nPING\r\n";
  EncodeBatchHeader(42, 3, payload, h);
  BatchHeader d;
  REQUIRE(DecodeBatchHeader(h, &d));
  CHECK(d.len == payload.size());
  CHECK(d.first_lsn == 42);
  CHECK(d.count == 3);
  CHECK(BatchCrcOk(h, payload, d.crc));
  payload[5] ^= 1;
  CHECK_FALSE(BatchCrcOk(h, payload, d.crc));
  h[20] = 'g';  // not hex
  CHECK_FALSE(DecodeBatchHeader(h, &d));
}

TEST_CASE("wal: manifest round trip and errors", "[wal]") {
  std::vector<ManifestEntry> in{{"a.aof.1.incr.aof", 1}, {"a.aof.2.incr.aof", 2}};
  std::vector<ManifestEntry> out;
  REQUIRE(ParseManifest(EncodeManifest(in), &out).empty());
  REQUIRE(out.size() == 2);
  CHECK(out[1].file == "a.aof.2.incr.aof");
  CHECK(out[1].seq == 2);
  CHECK(ParseManifest("file x seq\n", &out) == "Invalid manifest line 1");
  CHECK(ParseManifest("file ../x seq 1 type i\n", &out) == "Invalid manifest line 1");
  CHECK(ParseManifest("file x seq 1z type i\n", &out) == "Invalid manifest line 1");
}

TEST_CASE("wal: group commit puts a pass's entries in one batch", "[wal]") {
  Fixture f;
  CHECK(f.w->Append(0, 1'000'000, false, Cmd({"SET", "a", "1"})) == 1);
  CHECK(f.w->Append(0, 1'000'400, false, Cmd({"SET", "b", "2"})) == 2);
  CHECK(f.w->Append(3, 1'002'000, false, Cmd({"DEL", "c"})) == 3);
  CHECK(f.w->Append(3, 1'002'123, true, Cmd({"ORDER.CANCEL", "7"})) == 4);
  f.st.hold_completion = true;
  f.w->Flush(10);
  CHECK(f.st.jobs == 1);
  CHECK(f.w->durable_lsn() == 0);
  // Appends while the job runs go to the next batch, submitted after it.
  CHECK(f.w->Append(0, 1'003'000, false, Cmd({"INCR", "n"})) == 5);
  f.w->Flush(11);
  CHECK(f.st.jobs == 1);
  f.st.hold_completion = false;
  CHECK(f.w->Poll(12));
  CHECK(f.w->durable_lsn() == 4);
  f.w->Flush(13);
  CHECK(f.st.jobs == 2);
  CHECK(f.w->Poll(14));
  CHECK(f.w->durable_lsn() == 5);
  // Each batch is self-contained: its own SELECT and time annotation; the
  // time is annotated per ms, or per µs for precise (order) entries.
  CHECK(Entries(f.st.durable[1]) ==
        std::vector<std::string>{"-:SELECT 0", "T1000000", "1:SET a 1", "2:SET b 2", "-:SELECT 3",
                                 "T1002000", "3:DEL c", "T1002123", "4:ORDER.CANCEL 7",
                                 "-:SELECT 0", "T1003000", "5:INCR n"});
}

TEST_CASE("wal: scan tells a torn tail from corruption", "[wal]") {
  Fixture f(1 << 16);
  for (int i = 0; i < 5; ++i) {
    f.w->Append(0, 1000, false, Cmd({"SET", "k", std::string(100, 'a' + i).c_str()}));
    f.Settle();
  }
  std::string seg = f.st.durable[1];
  SegmentScan clean = ScanSegment(seg);
  REQUIRE(clean.end == SegmentEnd::kClean);  // the zero-filled tail is the clean end
  REQUIRE(clean.batches.size() == 5);
  CHECK(clean.batches.back().last_lsn() == 5);
  uint64_t b4 = clean.batches[3].offset, b5 = clean.batches[4].offset;

  SECTION("truncated final batch (file ends inside it)") {
    SegmentScan s = ScanSegment(std::string_view(seg).substr(0, b5 + 60));
    CHECK(s.end == SegmentEnd::kTorn);
    CHECK(s.bad_offset == b5);
    CHECK(s.batches.size() == 4);
    CHECK(s.end_offset == b5);
  }
  SECTION("final batch half written, zeros after") {
    std::string t = seg;
    std::fill(t.begin() + static_cast<long>(b5) + 70, t.end(), '\0');
    SegmentScan s = ScanSegment(t);
    CHECK(s.end == SegmentEnd::kTorn);
    CHECK(s.error == "batch checksum mismatch");
    CHECK(s.dirty_end == b5 + 70);
  }
  SECTION("final batch's header lost, later bytes written") {
    std::string t = seg;
    std::fill(t.begin() + static_cast<long>(b5), t.begin() + static_cast<long>(b5) + 48, '\0');
    SegmentScan s = ScanSegment(t);
    CHECK(s.end == SegmentEnd::kTorn);
    CHECK(s.batches.size() == 4);
  }
  SECTION("checksum mismatch in the middle") {
    std::string t = seg;
    t[b4 + 60] ^= 0x20;
    SegmentScan s = ScanSegment(t);
    CHECK(s.end == SegmentEnd::kCorrupt);
    CHECK(s.bad_offset == b4);
    CHECK(s.error == "batch checksum mismatch");
  }
  SECTION("bytes missing in the middle") {
    std::string t = seg.substr(0, b4 + 10) + seg.substr(b4 + 30);
    SegmentScan s = ScanSegment(t);
    CHECK(s.end == SegmentEnd::kCorrupt);
    CHECK(s.bad_offset == b4);
  }
  SECTION("zeroed block in the middle") {
    std::string t = seg;
    std::fill(t.begin() + static_cast<long>(b4), t.begin() + static_cast<long>(b4) + 20, '\0');
    CHECK(ScanSegment(t).end == SegmentEnd::kCorrupt);
  }
  SECTION("garbage segment header") {
    std::string t = seg;
    t[3] = 'X';
    SegmentScan s = ScanSegment(t);
    CHECK(s.end == SegmentEnd::kCorrupt);
    CHECK(s.bad_offset == 0);
  }
  SECTION("an all-zero file is an unused segment") {
    SegmentScan s = ScanSegment(std::string(4096, '\0'));
    CHECK(s.end == SegmentEnd::kClean);
    CHECK(s.batches.empty());
  }
}

TEST_CASE("wal: short write resumes; durable only when all bytes are synced", "[wal]") {
  Fixture f;
  f.w->Append(0, 1000, false, Cmd({"SET", "a", std::string(300, 'x').c_str()}));
  f.st.short_write_next = 50;
  f.w->Flush(1);
  CHECK_FALSE(f.w->Poll(2));  // short: the rest is resubmitted, no sync yet
  CHECK(f.w->durable_lsn() == 0);
  CHECK(f.st.jobs == 2);  // the remainder went out at once, with the sync
  CHECK(f.w->Poll(3));
  CHECK(f.w->durable_lsn() == 1);
  CHECK(f.w->ok());
  CHECK(Entries(f.st.durable[1]).back() == "1:SET a " + std::string(300, 'x'));
}

TEST_CASE("wal: EIO and failed fsync refuse progress until a retry succeeds", "[wal]") {
  Fixture f;
  bool fail_sync = GENERATE(false, true);
  f.w->Append(0, 1000, false, Cmd({"SET", "a", "1"}));
  f.w->Flush(1);
  f.w->Poll(1);
  REQUIRE(f.w->durable_lsn() == 1);
  f.w->Append(0, 1000, false, Cmd({"SET", "a", "2"}));
  (fail_sync ? f.st.fail_sync_next : f.st.fail_write_next) = EIO;
  f.w->Flush(2);
  CHECK_FALSE(f.w->Poll(2));
  CHECK_FALSE(f.w->ok());
  CHECK(f.w->last_errno() == EIO);
  CHECK(f.w->durable_lsn() == 1);
  // Appends keep accumulating (in memory) but nothing is submitted or
  // acknowledged until the failed batch is on disk.
  f.w->Append(0, 1000, false, Cmd({"SET", "a", "3"}));
  f.w->Flush(3);
  f.w->Cron(500'000);  // before the retry time
  CHECK(f.w->durable_lsn() == 1);
  f.w->Cron(1'100'000);  // retry: the same batch, same place
  CHECK(f.w->Poll(1'100'001));
  CHECK(f.w->ok());
  CHECK(f.w->durable_lsn() == 2);
  f.Settle(1'200'000);
  CHECK(f.w->durable_lsn() == 3);
  std::vector<std::string> e = Entries(f.st.durable[1]);
  CHECK(std::count_if(e.begin(), e.end(), [](const std::string& s) { return s[0] == '2'; }) == 1);
  CHECK(e.back() == "3:SET a 3");
}

TEST_CASE("wal: batches never span segments; a full disk stops the switch", "[wal]") {
  Fixture f(1024);
  for (int i = 0; i < 6; ++i) {
    f.w->Append(0, 1000, false, Cmd({"SET", "k", std::string(200, 'a').c_str()}));
    f.Settle();
  }
  CHECK(f.w->current_seq() >= 2);
  CHECK(f.w->durable_lsn() == 6);
  for (auto& [seq, seg] : f.st.durable) {
    SegmentScan s = ScanSegment(seg);
    CHECK(s.end == SegmentEnd::kClean);
    CHECK(s.seq == seq);
  }
  // The next segment cannot be prepared (ENOSPC): the writer fails, keeps
  // the entries, and goes on when space is back.
  uint64_t before = f.w->durable_lsn();
  f.st.fail_prepare = ENOSPC;
  for (int i = 0; i < 6; ++i) {
    f.w->Append(0, 1000, false, Cmd({"SET", "k", std::string(200, 'b').c_str()}));
    f.Settle();
  }
  CHECK_FALSE(f.w->ok());
  CHECK(f.w->last_errno() == ENOSPC);
  CHECK(f.w->durable_lsn() > before);  // what fit in the current segment
  CHECK(f.w->durable_lsn() < 12);
  f.st.fail_prepare = 0;
  f.w->Cron(2'000'000);
  f.Settle(2'000'001);
  f.w->Cron(3'000'000);
  f.Settle(3'000'001);
  CHECK(f.w->ok());
  CHECK(f.w->durable_lsn() == 12);
  // A snapshot covering LSN 6 retires the segments holding only <= 6.
  f.w->RetireCovered(6);
  CHECK(f.st.retired_below > 1);
  for (auto& [seq, seg] : f.st.segs) {
    SegmentScan s = ScanSegment(seg);
    if (!s.batches.empty()) CHECK(s.batches.back().last_lsn() > 6);
  }
}

TEST_CASE("wal: a batch larger than a segment gets one of its own", "[wal]") {
  Fixture f(512);
  f.w->Append(0, 1000, false, Cmd({"SET", "a", "1"}));
  f.Settle();
  f.w->Append(0, 1000, false, Cmd({"SET", "big", std::string(2000, 'z').c_str()}));
  f.Settle();
  CHECK(f.w->durable_lsn() == 2);
  SegmentScan s = ScanSegment(f.st.durable[2]);
  REQUIRE(s.batches.size() == 1);
  CHECK(s.batches[0].header.first_lsn == 2);
}

// ---- end to end: what the server logs replays to the same state ----------

namespace {

std::string Digest(test::TestServer& t) {
  test::RespValue d = t.Run({"DEBUG", "DIGEST"});
  std::string out = d.str + " keys=" + std::to_string(t.Run({"DBSIZE"}).integer);
  for (int db = 1; db < 4; ++db) {
    t.Run({"SELECT", std::to_string(db)});
    out += " db" + std::to_string(db) + "=" + t.Run({"DEBUG", "DIGEST"}).str;
  }
  t.Run({"SELECT", "0"});
  return out;
}

std::string OrdersOf(test::TestServer& t, int users) {
  std::string out;
  for (int u = 1; u <= users; ++u) out += t.Run({"ORDER.OPEN", std::to_string(u)}).ToString();
  for (int id = 1; id < 400; ++id) out += t.Run({"ORDER.GET", std::to_string(id)}).ToString();
  out += t.Run({"ORDER.DEPTH", "ETH-USD", "50"}).ToString();
  return out;
}

std::string R(std::mt19937_64& rng, int n) {
  return std::to_string(rng() % static_cast<uint64_t>(n));
}

}  // namespace

TEST_CASE("wal: replaying the log rebuilds the dataset and the order tables", "[wal]") {
  Config cfg;
  cfg.enable_debug_command = Config::kDebugYes;
  test::TestServer a(cfg);
  MemStorage st(1 << 20);
  int err = 0;
  (void)st.Ready(1, &err);
  a.server().persistence().OpenForTest(&st, 1 << 20);
  std::mt19937_64 rng(GENERATE(1u, 2u, 3u));
  int64_t now_ms = Server::NowMs();
  for (int i = 0; i < 3000; ++i) {
    std::string k = "k" + R(rng, 30);
    switch (rng() % 24) {
      case 0:
        a.Run({"SET", k, R(rng, 1000)});
        break;
      case 1:
        a.Run({"INCR", "n" + R(rng, 5)});
        break;
      case 2:
        a.Run({"DEL", k});
        break;
      case 3:
        a.Run({"SET", k, "v", "PX", std::to_string(1 + rng() % 5)});
        break;  // expires soon
      case 4:
        a.Run({"EXPIRE", k, "100"});
        break;
      case 5:
        a.Run({"RPUSH", "l" + R(rng, 3), R(rng, 100), R(rng, 100)});
        break;
      case 6:
        a.Run({"LPOP", "l" + R(rng, 3)});
        break;
      case 7:
        a.Run({"SADD", "s" + R(rng, 3), R(rng, 50), R(rng, 50), R(rng, 50)});
        break;
      case 8:
        a.Run({"SPOP", "s" + R(rng, 3)});
        break;
      case 9:
        a.Run({"SPOP", "s" + R(rng, 3), "2"});
        break;
      case 10:
        a.Run({"ZADD", "z", R(rng, 100), "m" + R(rng, 20)});
        break;
      case 11:
        a.Run({"ZINCRBY", "z", "1.5", "m" + R(rng, 20)});
        break;
      case 12:
        a.Run({"HSET", "h" + R(rng, 3), "f" + R(rng, 10), R(rng, 9)});
        break;
      case 13:
        a.Run({"HINCRBYFLOAT", "h" + R(rng, 3), "x", "0.1"});
        break;
      case 14:
        a.Run({"SELECT", R(rng, 4)});
        break;
      case 15:
        a.Run({"GET", k});
        break;  // may expire lazily (logged as DEL)
      case 16:
        a.Run({"ORDER.PLACE", std::to_string(1 + rng() % 8), "ETH-USD", rng() % 2 ? "BUY" : "SELL",
               std::to_string(100 + rng() % 20), std::to_string(1 + rng() % 9)});
        break;
      case 17:
        // GTD orders due within a few ms: expiry by access and by cron.
        a.Run({"ORDER.PLACE", std::to_string(1 + rng() % 8), "ETH-USD", "BUY",
               std::to_string(100 + rng() % 20), "3", "TIF", "GTD", "EXPIRE",
               std::to_string(now_ms + 2 + static_cast<int64_t>(rng() % 30))});
        break;
      case 18:
        a.Run({"ORDER.FILL", R(rng, 300), "1", "100", "TRADE", R(rng, 50)});
        break;
      case 19:
        a.Run({"ORDER.CANCEL", R(rng, 300)});
        break;
      case 20:
        a.Run({"ORDER.AMEND", R(rng, 300), "PRICE", std::to_string(90 + rng() % 20)});
        break;
      case 21:
        a.Run({"ORDER.REDUCE", R(rng, 300), "1"});
        break;
      case 22:
        a.Run({"ORDER.OPEN", std::to_string(1 + rng() % 8)});
        break;
      case 23:
        a.Run({"MSET", "k1", R(rng, 9), "k2", R(rng, 9)});
        break;
    }
    if (i % 50 == 0) {
      a.server().Cron();  // active expiry and GTD expiry
      now_ms = Server::NowMs();
    }
    a.server().persistence().EndOfPass();
    a.server().persistence().OnIoEvent();
  }
  a.Run({"SELECT", "0"});
  a.server().persistence().EndOfPass();
  a.server().persistence().OnIoEvent();
  REQUIRE(a.server().persistence().release_lsn() == a.server().persistence().last_lsn());

  // Replay into a fresh server: no expiry during replay, logged times.
  test::TestServer b(cfg);
  for (auto& [seq, seg] : st.durable) {
    REQUIRE(ScanSegment(seg).end == SegmentEnd::kClean);
    REQUIRE(b.server().persistence().ReplaySegmentBytes(seg, 0).empty());
  }
  // Compare with expiry frozen on both sides (keys that expired since
  // would otherwise be dropped at different moments).
  a.server().keyspace().ctx().lazy_expire_enabled = false;
  b.server().keyspace().ctx().lazy_expire_enabled = false;
  a.server().orders().set_auto_expire(false);
  b.server().orders().set_auto_expire(false);
  CHECK(Digest(a) == Digest(b));
  CHECK(OrdersOf(a, 8) == OrdersOf(b, 8));
  // The next id continues where the original left off.
  CHECK(a.Run({"ORDER.PLACE", "1", "ETH-USD", "BUY", "1", "1"}).integer ==
        b.Run({"ORDER.PLACE", "1", "ETH-USD", "BUY", "1", "1"}).integer);
}
