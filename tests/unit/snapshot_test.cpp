// Snapshots (snapshot/): the file format and its reader against in-memory
// files that inject errors (checksum mismatch, truncation, zero-filled
// tail, short write, fsync failure), atomic publication, and round trips
// of every value type, TTLs, encodings and order tables, compared through
// canonical dumps and the tables' own behaviour after reloading.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "harness.h"
#include "order/order_table.h"
#include "snapshot/background_output.h"
#include "util/crc32c.h"
#include "snapshot/format.h"
#include "snapshot/loader.h"
#include "snapshot/reader.h"
#include "snapshot/snapshotter.h"
#include "snapshot_util.h"

using namespace ordis;
using namespace ordis::snapshot;
using ordis::test::DumpKeyspace;
using ordis::test::DumpOrders;
using ordis::test::MemFile;
using ordis::test::TempDir;
using ordis::test::TestServer;

namespace {

constexpr int64_t kS = decimal::kScale;
constexpr int64_t kT0 = 1'800'000'000'000'000;  // table time, us

order::OrderTableOptions TableOptions(uint64_t keep = 1000) {
  order::OrderTableOptions o;
  o.capacity = 100000;
  o.hugepages = Arena::HugePages::kOff;
  o.completed_keep = keep;
  return o;
}

struct Image {
  Keyspace ks{16};
  order::OrderTable table;
  explicit Image(uint64_t keep = 1000) { REQUIRE(table.Init(TableOptions(keep)).empty()); }
};

// Runs a Snapshotter to completion into memory, in small slices.
std::string SnapshotToMemory(Keyspace& ks, order::OrderTable* t, uint64_t lsn = 77) {
  MemFile f;
  SyncOutput out(&f, "mem");
  {
    Snapshotter s(ks, t, &out, lsn, 1234567);
    while (!s.Step(20)) {
    }
    REQUIRE(s.error().empty());
  }
  REQUIRE(out.status().ok());
  REQUIRE(f.syncs == 1);
  return f.data;
}

Status LoadInto(const std::string& data, Image* img, LoadResult* r = nullptr) {
  LoadResult local;
  return LoadFromMemory(data, "test.snap", img->ks, &img->table, LoadOptions{}, r ? r : &local);
}

uint64_t Place(order::OrderTable& t, int64_t* now, uint64_t user, std::string_view sym,
               order::Side side, int64_t price, int64_t qty, std::string_view cid = {},
               int64_t expire_ms = 0) {
  order::PlaceRequest r;
  r.user = user;
  r.symbol = sym;
  r.side = side;
  r.price = price;
  r.qty = qty;
  r.cid = cid;
  if (expire_ms) {
    r.tif = order::Tif::kGtd;
    r.expire_ms = expire_ms;
  }
  auto res = t.Place(r, ++*now);
  REQUIRE(res.ok());
  return *res;
}

// A table with every feature: symbols with rules, GTD orders, CIDs, trade
// ids (one order with more than kRecentTrades), FIFO changed by AMEND,
// partial fills, REDUCE, and a completed ring that already evicted.
void FillTable(order::OrderTable& t, int64_t* now) {
  using order::Side;
  REQUIRE(t.SetSymbol("BTC-USD", 1 * kS / 100, kS / 10000) == order::OrderError::kOk);
  uint64_t a = Place(t, now, 1, "BTC-USD", Side::kBuy, 100 * kS, kS, "a-1");
  uint64_t b = Place(t, now, 2, "BTC-USD", Side::kBuy, 100 * kS, 2 * kS);
  uint64_t c = Place(t, now, 1, "BTC-USD", Side::kBuy, 100 * kS, 3 * kS, "a-2");
  Place(t, now, 3, "BTC-USD", Side::kSell, 101 * kS, kS, "", kT0 / 1000 + 50'000);
  Place(t, now, 3, "BTC-USD", Side::kSell, 101 * kS, kS, "x", kT0 / 1000 + 40'000);
  Place(t, now, 4, "ETH-USD", Side::kSell, 7 * kS, 5 * kS, "", kT0 / 1000 + 40'000);
  // a loses priority (to the back of 100), then c moves away and back.
  REQUIRE(t.Amend(a, std::nullopt, 2 * kS, ++*now) == order::OrderError::kOk);
  REQUIRE(t.Amend(c, 99 * kS, std::nullopt, ++*now) == order::OrderError::kOk);
  REQUIRE(t.Amend(c, 100 * kS, std::nullopt, ++*now) == order::OrderError::kOk);
  for (uint64_t trade = 1; trade <= 11; ++trade)
    REQUIRE(t.Fill(b, kS / 10, 100 * kS, 1000 + trade, ++*now).ok());
  REQUIRE(t.Reduce(c, kS, ++*now).ok());
  for (int i = 0; i < 30; ++i) {
    uint64_t id = Place(t, now, 10 + i % 3, "SOL-USD", i % 2 ? Side::kSell : Side::kBuy,
                        (20 + i % 5) * kS, kS, "s" + std::to_string(i));
    if (i % 3 == 0) REQUIRE(t.Cancel(id, ++*now));
    if (i % 3 == 1) REQUIRE(t.Fill(id, kS, (20 + i % 5) * kS, 5000 + i, ++*now).ok());
  }
}

Entry* MakeKeys(Keyspace& ks) {
  Db& d0 = ks.db(0);
  d0.Add(NewStringEntry("a", "hello"));
  d0.Add(NewIntEntry("n", -42));
  Entry* t = NewStringEntry("ttl", "v");
  d0.Add(t);
  d0.SetExpire(t, 1'900'000'000'000);
  ks.db(7).Add(NewStringEntry("other", std::string(1000, 'x')));
  return t;
}

}  // namespace

TEST_CASE("snapshot: crc32c matches the standard check value", "[snapshot]") {
  CHECK(Crc32c(std::string_view("123456789")) == 0xE3069283u);
  CHECK(UnmaskCrc(MaskCrc(0x12345678u)) == 0x12345678u);
  CHECK(MaskCrc(0x12345678u) != 0x12345678u);
}

TEST_CASE("snapshot: header and trailer encode and decode", "[snapshot]") {
  char buf[kHeaderSize];
  Header h;
  h.lsn = 123456789012345;
  h.created_ms = 1700000000123;
  EncodeHeader(h, buf);
  Header back;
  REQUIRE(DecodeHeader(buf, &back) == "");
  CHECK(back.lsn == h.lsn);
  CHECK(back.created_ms == h.created_ms);
  buf[20] ^= 1;
  CHECK(DecodeHeader(buf, &back) == "header checksum mismatch");
  buf[0] = 'X';
  CHECK(DecodeHeader(buf, &back).find("bad magic") != std::string::npos);

  char tb[kTrailerSize];
  Trailer t{4096, 17, 0xdeadbeef};
  EncodeTrailer(t, tb);
  Trailer tback;
  REQUIRE(DecodeTrailer(tb, &tback) == "");
  CHECK(tback.data_bytes == 4096);
  CHECK(tback.records == 17);
  CHECK(tback.file_crc == 0xdeadbeef);
}

TEST_CASE("snapshot: decoder rejects short input and overlong varints", "[snapshot]") {
  std::string s;
  AppendVarint(&s, 300);
  Decoder d(s);
  uint64_t v;
  REQUIRE(d.Varint(&v));
  CHECK(v == 300);
  CHECK(d.done());
  CHECK_FALSE(d.Varint(&v));
  CHECK(d.failed());
  std::string bad(11, '\xff');
  Decoder d2(bad);
  CHECK_FALSE(d2.Varint(&v));
  std::string big;
  AppendVarint(&big, UINT64_MAX);
  Decoder d3(big);
  REQUIRE(d3.Varint(&v));
  CHECK(v == UINT64_MAX);
  CHECK(UnZigZag(ZigZag(INT64_MIN)) == INT64_MIN);
  CHECK(UnZigZag(ZigZag(-1)) == -1);
}

TEST_CASE("snapshot: keys and orders round-trip through memory", "[snapshot]") {
  Image src(8);
  int64_t now = kT0;
  MakeKeys(src.ks);
  FillTable(src.table, &now);
  std::string data = SnapshotToMemory(src.ks, &src.table, 4242);

  Image dst(8);
  LoadResult r;
  Status s = LoadInto(data, &dst, &r);
  REQUIRE(s.ok());
  CHECK(r.header.lsn == 4242);
  CHECK(r.header.created_ms == 1234567);
  CHECK(r.keys == 4);
  CHECK(r.orders == src.table.live());
  CHECK(r.completed == src.table.completed().size());
  CHECK(r.symbols == 3);
  CHECK(DumpKeyspace(dst.ks) == DumpKeyspace(src.ks));
  CHECK(DumpOrders(dst.table, 20) == DumpOrders(src.table, 20));
  CHECK(dst.table.stats().placed == src.table.stats().placed);
}

TEST_CASE("snapshot: a reloaded order table behaves like the original", "[snapshot]") {
  using order::Side;
  Image src(8);
  int64_t now = kT0;
  FillTable(src.table, &now);
  std::string data = SnapshotToMemory(src.ks, &src.table);
  Image dst(8);
  REQUIRE(LoadInto(data, &dst).ok());
  order::OrderTable* tables[2] = {&src.table, &dst.table};

  // The same next id and creation time.
  int64_t t1 = now, t2 = now;
  uint64_t id1 = Place(src.table, &t1, 9, "BTC-USD", Side::kBuy, 100 * kS, kS);
  uint64_t id2 = Place(dst.table, &t2, 9, "BTC-USD", Side::kBuy, 100 * kS, kS);
  CHECK(id1 == id2);
  // FIFO within the level, including the new order at the back.
  std::vector<uint64_t> l1, l2;
  src.table.LevelOrders("BTC-USD", Side::kBuy, 100 * kS, &l1);
  dst.table.LevelOrders("BTC-USD", Side::kBuy, 100 * kS, &l2);
  CHECK(l1 == l2);
  CHECK(l1.size() == 4);
  // TRADE idempotency: a retried trade id gets the same reply, live or not.
  for (order::OrderTable* t : tables) {
    auto r = t->Fill(2, kS / 10, 100 * kS, 1011, now + 10);  // b's last trade
    REQUIRE(r.ok());
    CHECK(*r == 2 * kS - 11 * (kS / 10));
    auto old = t->Fill(2, kS / 10, 100 * kS, 1001, now + 10);  // evicted from the 8 kept
    REQUIRE(old.ok());
    CHECK(*old == 2 * kS - 12 * (kS / 10));  // applied again: not remembered any more
  }
  // A duplicate CID is refused in both; the CID index was rebuilt.
  for (order::OrderTable* t : tables) {
    order::PlaceRequest r;
    r.user = 1;
    r.symbol = "BTC-USD";
    r.price = 100 * kS;
    r.qty = kS;
    r.cid = "a-1";
    CHECK(t->Place(r, now + 20).error() == order::OrderError::kDuplicateCid);
  }
  // GTD expiry happens in the same order.
  struct Rec : order::OrderListener {
    std::vector<uint64_t> ids;
    void OnOrderEvent(const order::OrderEvent& e) override {
      if (e.kind == order::EventKind::kExpired) ids.push_back(e.order->id);
    }
  } rec1, rec2;
  src.table.set_listener(&rec1);
  dst.table.set_listener(&rec2);
  CHECK(src.table.ExpireDue(kT0 + 100'000'000, 100) == 3);
  CHECK(dst.table.ExpireDue(kT0 + 100'000'000, 100) == 3);
  CHECK(rec1.ids == rec2.ids);
  CHECK(rec1.ids.size() == 3);
  src.table.set_listener(nullptr);
  dst.table.set_listener(nullptr);
  CHECK(DumpOrders(dst.table, 20) == DumpOrders(src.table, 20));
  CHECK(src.table.CancelAll(1, "", now + 30) == dst.table.CancelAll(1, "", now + 30));
  CHECK(DumpOrders(dst.table, 20) == DumpOrders(src.table, 20));
}

TEST_CASE("snapshot: every value type, TTL and encoding survives SAVE", "[snapshot]") {
  TempDir dir;
  Config cfg;
  cfg.dbfilename = dir.File("dump.snap");
  TestServer t(cfg);
  auto run = [&](std::initializer_list<std::string> a) { return t.Run(a); };
  run({"SET", "emb", "hello"});
  run({"SET", "int", "-9223372036854775808"});
  run({"SET", "raw", std::string(700, 'r')});
  run({"SET", "empty", ""});
  run({"SET", "bin", std::string("a\0b\r\n", 5)});
  run({"SET", "num", "12"});
  run({"APPEND", "num", "3"});  // "123" modified in place: raw, not int
  run({"SETRANGE", "sr", "3", "x"});
  run({"RPUSH", "list", "a", "b", "", "c"});
  run({"SADD", "iset", "3", "1", "2", "-5"});
  run({"SADD", "sset", "x", "y"});
  std::vector<std::string> big = {"SADD", "bigset"};
  for (int i = 0; i < 600; ++i) big.push_back(std::to_string(i));  // past 512: hashtable
  t.Run(big);
  run({"HSET", "hash", "f1", "v1", "f2", ""});
  run({"HSET", "bighash", "f", std::string(100, 'v')});  // long value: hashtable
  run({"ZADD", "z", "1.5", "a", "-inf", "b", "+inf", "c", "0", "d"});
  std::vector<std::string> bz = {"ZADD", "bigz"};
  for (int i = 0; i < 200; ++i) {
    bz.push_back(std::to_string(i * 0.25));
    bz.push_back("m" + std::to_string(i));
  }
  t.Run(bz);
  run({"SET", "ttl1", "v", "PX", "100000000"});
  run({"HSET", "ttlh", "f", "v"});
  run({"PEXPIREAT", "ttlh", "4102444800000"});
  run({"SELECT", "9"});
  run({"SET", "db9", "nine"});
  run({"SELECT", "0"});
  REQUIRE(t.Run({"SAVE"}) == "OK");
  REQUIRE(ordis::test::FileExists(cfg.dbfilename));
  CHECK_FALSE(ordis::test::FileExists(cfg.dbfilename + ".tmp"));

  TestServer t2;
  LoadResult r;
  Status s =
      LoadFile(cfg.dbfilename, t2.server().keyspace(), &t2.server().orders(), LoadOptions{}, &r);
  REQUIRE(s.ok());
  CHECK(r.keys == 18);
  CHECK(DumpKeyspace(t2.server().keyspace()) == DumpKeyspace(t.server().keyspace()));
  CHECK(t2.Run({"OBJECT", "ENCODING", "num"}) == "raw");
  CHECK(t2.Run({"OBJECT", "ENCODING", "int"}) == "int");
  CHECK(t2.Run({"OBJECT", "ENCODING", "emb"}) == "embstr");
  CHECK(t2.Run({"OBJECT", "ENCODING", "iset"}) == "intset");
  CHECK(t2.Run({"OBJECT", "ENCODING", "bigset"}) == "hashtable");
  CHECK(t2.Run({"OBJECT", "ENCODING", "bighash"}) == "hashtable");
  CHECK(t2.Run({"OBJECT", "ENCODING", "hash"}) == "listpack");
  CHECK(t2.Run({"OBJECT", "ENCODING", "z"}) == "listpack");
  CHECK(t2.Run({"OBJECT", "ENCODING", "bigz"}) == "skiplist");
  CHECK(t2.Run({"GET", "bin"}) == std::string("a\0b\r\n", 5));
  CHECK(t2.Run({"ZRANGE", "z", "0", "-1", "WITHSCORES"}).strings() ==
        std::vector<std::string>{"b", "-inf", "d", "0", "a", "1.5", "c", "inf"});
  CHECK(t2.Run({"PEXPIRETIME", "ttlh"}) == 4102444800000);
  CHECK(t2.Run({"TTL", "emb"}) == -1);
  CHECK(t2.Run({"SELECT", "9"}) == "OK");
  CHECK(t2.Run({"GET", "db9"}) == "nine");
}

TEST_CASE("snapshot: every flipped byte is detected", "[snapshot][corruption]") {
  Image src(4);
  int64_t now = kT0;
  MakeKeys(src.ks);
  FillTable(src.table, &now);
  const std::string data = SnapshotToMemory(src.ks, &src.table);
  REQUIRE(data.size() > kHeaderSize + kTrailerSize);

  SECTION("a byte in the first block: checksum mismatch at its offset") {
    std::string bad = data;
    bad[kHeaderSize + kBlockHeaderSize + 10] ^= 0x20;
    Image dst(4);
    Status s = LoadInto(bad, &dst);
    REQUIRE(s.IsCorruption());
    CHECK(s.message().find("test.snap") != std::string::npos);
    CHECK(s.message().find("at offset 48:") != std::string::npos);
    CHECK(s.message().find("checksum mismatch") != std::string::npos);
  }
  SECTION("any byte anywhere") {
    size_t undetected = 0;
    for (size_t i = 0; i < data.size(); ++i) {
      std::string bad = data;
      bad[i] ^= static_cast<char>(1 << (i % 8));
      Image dst(4);
      Status s = LoadInto(bad, &dst);
      if (s.ok() || !s.IsCorruption()) ++undetected;
      if (!s.ok()) CHECK(s.message().find("at offset") != std::string::npos);
    }
    CHECK(undetected == 0);
  }
}

TEST_CASE("snapshot: a truncated file is detected at every length", "[snapshot][corruption]") {
  Image src(4);
  int64_t now = kT0;
  MakeKeys(src.ks);
  FillTable(src.table, &now);
  const std::string data = SnapshotToMemory(src.ks, &src.table);
  size_t accepted = 0;
  for (size_t len = 0; len < data.size(); ++len) {
    Image dst(4);
    Status s = LoadInto(data.substr(0, len), &dst);
    if (!s.IsCorruption()) ++accepted;
  }
  CHECK(accepted == 0);
  Image dst(4);
  Status s = LoadInto(data.substr(0, data.size() - 3), &dst);
  CHECK(s.message().find("truncated") != std::string::npos);
  Image whole(4);
  CHECK(LoadInto(data, &whole).ok());
}

TEST_CASE("snapshot: a zero-filled tail or trailing bytes are detected", "[snapshot][corruption]") {
  Image src(4);
  int64_t now = kT0;
  MakeKeys(src.ks);
  FillTable(src.table, &now);
  const std::string data = SnapshotToMemory(src.ks, &src.table);
  size_t trailer_at = data.size() - kTrailerSize;

  // The trailer never written (a preallocated or crashed file).
  std::string zeros = data.substr(0, trailer_at) + std::string(kTrailerSize, '\0');
  Image d1(4);
  Status s = LoadInto(zeros, &d1);
  REQUIRE(s.IsCorruption());
  CHECK(s.message().find("zero-filled") != std::string::npos);
  CHECK(s.message().find("at offset " + std::to_string(trailer_at)) != std::string::npos);

  // Everything after the header zeroed.
  std::string z2 = data.substr(0, kHeaderSize) + std::string(data.size() - kHeaderSize, '\0');
  Image d2(4);
  s = LoadInto(z2, &d2);
  REQUIRE(s.IsCorruption());
  CHECK(s.message().find("zero-filled") != std::string::npos);

  // Zeros appended after a complete file.
  Image d3(4);
  s = LoadInto(data + std::string(4096, '\0'), &d3);
  REQUIRE(s.IsCorruption());
  CHECK(s.message().find("after the trailer") != std::string::npos);
}

TEST_CASE("snapshot: short writes and fsync failures fail the snapshot", "[snapshot][io]") {
  Image src(4);
  int64_t now = kT0;
  MakeKeys(src.ks);
  FillTable(src.table, &now);
  const std::string good = SnapshotToMemory(src.ks, &src.table);

  SECTION("short write (disk full)") {
    MemFile f;
    f.fail_after = good.size() / 2;
    SyncOutput out(&f, "mem");
    {
      Snapshotter s(src.ks, &src.table, &out, 1, 1);
      while (!s.Step(1000)) {
      }
    }
    REQUIRE(out.status().IsIOError());
    CHECK(out.status().message().find("no space") != std::string::npos);
    CHECK(f.data.size() == good.size() / 2);
    CHECK(f.syncs == 0);
    Image dst(4);
    CHECK(LoadInto(f.data, &dst).IsCorruption());
  }
  SECTION("fsync failure") {
    MemFile f;
    f.fail_sync = true;
    SyncOutput out(&f, "mem");
    {
      Snapshotter s(src.ks, &src.table, &out, 1, 1);
      while (!s.Step(1000)) {
      }
    }
    REQUIRE(out.status().IsIOError());
    CHECK(out.status().message().find("fsync") != std::string::npos);
  }
  SECTION("background writer: the error is reported and nothing is published") {
    TempDir dir;
    auto file = std::make_unique<MemFile>();
    MemFile* raw = file.get();
    raw->fail_sync = true;
    BackgroundOutput out(std::move(file), dir.File("x.tmp"), dir.File("x"));
    {
      Snapshotter s(src.ks, &src.table, &out, 1, 1);
      while (!s.Step(1000)) {
      }
    }
    out.Wait();
    CHECK(out.finished());
    CHECK(out.status().IsIOError());
    CHECK_FALSE(ordis::test::FileExists(dir.File("x")));
  }
  SECTION("the temporary file cannot be created") {
    std::unique_ptr<BackgroundOutput> out;
    Status s = BackgroundOutput::Open("/nonexistent-dir/sub/dump.snap", &out);
    CHECK(s.IsIOError());
    CHECK(s.message().find("/nonexistent-dir/sub/dump.snap.tmp") != std::string::npos);
  }
}

TEST_CASE("snapshot: the background writer publishes atomically", "[snapshot][io]") {
  Image src(4);
  int64_t now = kT0;
  MakeKeys(src.ks);
  FillTable(src.table, &now);
  TempDir dir;
  std::string path = dir.File("dump.snap");
  {
    std::unique_ptr<BackgroundOutput> out;
    REQUIRE(BackgroundOutput::Open(path, &out).ok());
    Snapshotter s(src.ks, &src.table, out.get(), 9, 1);
    while (!s.Step(10)) {
    }
    out->Wait();
    REQUIRE(out->status().ok());
  }
  CHECK(ordis::test::FileExists(path));
  CHECK_FALSE(ordis::test::FileExists(path + ".tmp"));
  Image dst(4);
  LoadResult r;
  REQUIRE(LoadFile(path, dst.ks, &dst.table, LoadOptions{}, &r).ok());
  CHECK(r.header.lsn == 9);
  CHECK(DumpOrders(dst.table, 20) == DumpOrders(src.table, 20));

  // Abandoned half way: the old file stays, no temporary is left.
  std::string before = ordis::test::ReadFileOrEmpty(path);
  {
    std::unique_ptr<BackgroundOutput> out;
    REQUIRE(BackgroundOutput::Open(path, &out).ok());
    Snapshotter s(src.ks, &src.table, out.get(), 10, 1);
    (void)s.Step(0);
  }
  CHECK(ordis::test::ReadFileOrEmpty(path) == before);
  CHECK_FALSE(ordis::test::FileExists(path + ".tmp"));
  CHECK(LoadFile(dir.File("missing"), dst.ks, &dst.table, LoadOptions{}, &r).IsNotFound());
}

TEST_CASE("snapshot: the loader rejects inconsistent content", "[snapshot][corruption]") {
  Image src(4);
  int64_t now = kT0;
  MakeKeys(src.ks);
  std::string data = SnapshotToMemory(src.ks, &src.table);
  SECTION("into a keyspace with fewer databases") {
    Keyspace small(4);  // the file has a key in db 7
    order::OrderTable t;
    REQUIRE(t.Init(TableOptions()).empty());
    LoadResult r;
    Status s = LoadFromMemory(data, "f", small, &t, LoadOptions{}, &r);
    REQUIRE(s.IsCorruption());
    CHECK(s.message().find("databases") != std::string::npos);
  }
  SECTION("a key already present") {
    Image dst(4);
    dst.ks.db(0).Add(NewStringEntry("a", "x"));
    Status s = LoadInto(data, &dst);
    REQUIRE(s.IsCorruption());
    CHECK(s.message().find("twice") != std::string::npos);
  }
  SECTION("orders beyond the table's capacity") {
    FillTable(src.table, &now);
    data = SnapshotToMemory(src.ks, &src.table);
    Keyspace ks(16);
    order::OrderTable tiny;
    order::OrderTableOptions o = TableOptions();
    o.capacity = 3;
    REQUIRE(tiny.Init(o).empty());
    LoadResult r;
    Status s = LoadFromMemory(data, "f", ks, &tiny, LoadOptions{}, &r);
    REQUIRE(s.IsCorruption());
    CHECK(s.message().find("order-table-capacity") != std::string::npos);
  }
}

TEST_CASE("snapshot: ScanSteps sees every key present for the whole walk", "[snapshot]") {
  // The snapshot walk's guarantee, across growth, shrinking and deletes.
  for (int steps : {1, 7, 32}) {
    Keyspace ks(1);
    Db& db = ks.db(0);
    for (int i = 0; i < 5000; ++i) db.Add(NewStringEntry("stay" + std::to_string(i), "v"));
    for (int i = 0; i < 5000; ++i) db.Add(NewStringEntry("go" + std::to_string(i), "v"));
    std::set<std::string> seen;
    uint64_t cursor = 0;
    int round = 0;
    do {
      cursor = db.ScanSteps(cursor, static_cast<size_t>(steps),
                            [&](Entry* e) { seen.insert(std::string(e->key())); });
      ++round;
      // Churn: grow past a doubling early, then delete most to force a shrink.
      if (round < 40)
        for (int j = 0; j < 300; ++j)
          db.Add(NewStringEntry("new" + std::to_string(round * 1000 + j), "v"));
      if (round == 60)
        for (int i = 0; i < 5000; ++i) (void)db.Delete("go" + std::to_string(i));
      if (round == 80)
        for (int i = 0; i < 40; ++i)
          for (int j = 0; j < 300; ++j) (void)db.Delete("new" + std::to_string(i * 1000 + j));
      (void)db.RehashStep(4);
    } while (cursor != 0);
    size_t missing = 0;
    for (int i = 0; i < 5000; ++i) missing += !seen.count("stay" + std::to_string(i));
    CHECK(missing == 0);
  }
}
