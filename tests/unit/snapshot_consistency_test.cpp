// Snapshot consistency: a BGSAVE runs in slices (Manager::Step, as the
// loop calls it) while commands keep changing keys and orders in every way
// (deletes, in-place edits, expiry, RENAME/MOVE/COPY, SWAPDB, FLUSHDB,
// FLUSHALL, order fills, cancels, amends, GTD expiry, ORDER.RESET...). The
// reloaded file must equal the state at the moment BGSAVE started, kept as
// canonical dumps. Also: an abandoned snapshot leaves marks the next one
// handles correctly.
#include <catch2/catch.hpp>
#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"
#include "order/order_table.h"
#include "snapshot/loader.h"
#include "snapshot/snapshot_manager.h"
#include "snapshot/snapshotter.h"
#include "snapshot_util.h"

using namespace ordis;
using ordis::test::DumpKeyspace;
using ordis::test::DumpOrders;
using ordis::test::RespValue;
using ordis::test::TempDir;
using ordis::test::TestServer;

namespace {

constexpr uint64_t kUsers = 40;
const char* const kSymbols[] = {"BTC-USD", "ETH-USD", "SOL-USD"};

Config RigConfig(const std::string& path, int64_t keep) {
  Config c;
  c.dbfilename = path;
  c.order_table_capacity = 100000;
  c.order_hugepages = Config::kOrderHugePagesOff;
  c.order_numa_node = Config::kOrderNumaOff;
  c.order_completed_keep = keep;
  c.databases = 16;
  return c;
}

std::string Num(int64_t v) {
  return std::to_string(v);
}

class Workload {
 public:
  Workload(TestServer& t, uint64_t seed) : t_(t), rng_(seed) {}

  int64_t R(int64_t n) { return static_cast<int64_t>(rng_() % static_cast<uint64_t>(n)); }
  std::string Key() { return "k" + Num(R(1500)); }
  std::string Price() { return Num(100 + R(6)); }

  void Run(std::vector<std::string> args) { (void)t_.Run(args); }

  void Populate(int keys, int orders) {
    for (int i = 0; i < keys; ++i) {
      Run({"SELECT", Num(i % 4)});
      Mutate(/*allow_rare=*/false);
    }
    for (int i = 0; i < orders; ++i) OrderOp(false);
    Run({"SELECT", "0"});
  }

  // One random change (or read that may expire something).
  void Mutate(bool allow_rare) {
    std::string k = Key();
    switch (R(24)) {
      case 0:
        Run({"SET", k, "v" + Num(R(1000))});
        break;
      case 1:
        Run({"SET", k, Num(R(100000)), "PX", Num(1 + R(30))});
        break;
      case 2:
        Run({"APPEND", k, "+" + Num(R(10))});
        break;
      case 3:
        Run({"INCR", k});
        break;
      case 4:
        Run({"DEL", k, Key()});
        break;
      case 5:
        Run({"LPUSH", "l" + k, "a" + Num(R(50)), "b"});
        break;
      case 6:
        Run({"RPOP", "l" + k});
        break;
      case 7:
        Run({"SADD", "s" + k, Num(R(20)), "m" + Num(R(5))});
        break;
      case 8:
        Run({"SREM", "s" + k, Num(R(20))});
        break;
      case 9:
        Run({"HSET", "h" + k, "f" + Num(R(10)), Num(R(1000))});
        break;
      case 10:
        Run({"HDEL", "h" + k, "f" + Num(R(10))});
        break;
      case 11:
        Run({"ZADD", "z" + k, Num(R(100)), "m" + Num(R(30))});
        break;
      case 12:
        Run({"ZREM", "z" + k, "m" + Num(R(30))});
        break;
      case 13:
        Run({"PEXPIRE", k, Num(1 + R(40))});
        break;
      case 14:
        Run({"PERSIST", k});
        break;
      case 15:
        Run({"RENAME", k, Key()});
        break;
      case 16:
        Run({"MOVE", k, Num(R(4))});
        break;
      case 17:
        Run({"COPY", k, Key(), "DB", Num(R(4)), "REPLACE"});
        break;
      case 18:
        Run({"SELECT", Num(R(4))});
        break;
      case 19:
        Run({"GET", k});  // lazy expiry
        break;
      case 20:
        Run({"SETRANGE", k, Num(R(5)), "x"});
        break;
      case 21:
        Run({"LMOVE", "l" + k, "l" + Key(), "LEFT", "RIGHT"});
        break;
      case 22:
        if (allow_rare && R(40) == 0) Run({"SWAPDB", Num(R(4)), Num(R(4))});
        break;
      case 23:
        if (allow_rare && R(150) == 0) Run({"FLUSHDB"});
        if (allow_rare && R(600) == 0) Run({"FLUSHALL"});
        break;
    }
  }

  void OrderOp(bool allow_rare) {
    std::string id = Num(1 + R(next_guess_));
    switch (R(12)) {
      case 0:
      case 1:
      case 2: {
        std::vector<std::string> a = {"ORDER.PLACE",  Num(1 + R(kUsers)),
                                      kSymbols[R(3)], R(2) ? "BUY" : "SELL",
                                      Price(),        Num(1 + R(5))};
        if (R(4) == 0) {
          a.insert(a.end(), {"TIF", "GTD", "EXPIRE", Num(Server::NowMs() + 1 + R(60))});
        }
        if (R(3) == 0) a.insert(a.end(), {"CID", "c" + Num(R(100000))});
        Run(a);
        ++next_guess_;
        break;
      }
      case 3:
        Run({"ORDER.CANCEL", id});
        break;
      case 4:
      case 5:
        Run({"ORDER.FILL", id, R(2) ? "1" : "0.5", Price(), "TRADE", Num(R(50))});
        break;
      case 6:
        Run({"ORDER.REDUCE", id, "0.5"});
        break;
      case 7:
        Run({"ORDER.AMEND", id, "PRICE", Price()});
        break;
      case 8:
        Run({"ORDER.AMEND", id, "QTY", Num(1 + R(6))});
        break;
      case 9:
        Run({"ORDER.GET", id});  // may expire GTD orders
        break;
      case 10:
        if (R(20) == 0) Run({"ORDER.CANCELALL", Num(1 + R(kUsers))});
        break;
      case 11:
        if (R(8) == 0) Run({"ORDER.SYMBOL", "SET", kSymbols[R(3)], "TICK", "0.5"});
        if (allow_rare && R(400) == 0) {
          Run({"ORDER.RESET"});
          next_guess_ = 1;
        }
        break;
    }
  }

 private:
  TestServer& t_;
  std::mt19937_64 rng_;
  int64_t next_guess_ = 1;
};

struct State {
  std::map<std::string, std::string> keys;
  std::string orders;
};

State Capture(Server& s) {
  return State{DumpKeyspace(s.keyspace()), DumpOrders(s.orders(), kUsers)};
}

// Loads the file into a fresh server and returns its state.
State Reload(const std::string& path, int64_t keep) {
  TestServer fresh(RigConfig(path + ".unused", keep));
  snapshot::LoadResult r;
  snapshot::Status st = snapshot::LoadFile(path, fresh.server().keyspace(),
                                           &fresh.server().orders(), snapshot::LoadOptions{}, &r);
  INFO(st.ToString());
  REQUIRE(st.ok());
  return Capture(fresh.server());
}

std::string InfoField(TestServer& t, const std::string& name) {
  std::string info = t.Run({"INFO", "persistence"}).str;
  size_t p = info.find(name + ":");
  if (p == std::string::npos) return "";
  p += name.size() + 1;
  return info.substr(p, info.find('\r', p) - p);
}

// Drives commands between snapshot slices until the snapshot is published.
void RunDuringSnapshot(TestServer& t, Workload& w, uint64_t seed, bool rare) {
  std::mt19937_64 rng(seed * 7 + 1);
  snapshot::Manager& m = t.server().snapshots();
  int rounds = 0;
  while (m.in_progress()) {
    REQUIRE(++rounds < 200000);
    if (m.wants_steps()) {
      int n = 1 + static_cast<int>(rng() % 8);
      for (int i = 0; i < n; ++i) {
        if (rng() % 3 == 0) {
          w.OrderOp(rare);
        } else {
          w.Mutate(rare);
        }
      }
      if (rng() % 50 == 0) t.server().Cron();  // active expiry, GTD expiry
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds(200));  // the writer finishes
    }
    m.Step(static_cast<int64_t>(rng() % 10));
  }
}

}  // namespace

TEST_CASE("snapshot: the image is the state at BGSAVE while everything changes",
          "[snapshot][consistency]") {
  for (uint64_t seed : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) {
    DYNAMIC_SECTION("seed " << seed) {
      TempDir dir;
      std::string path = dir.File("c.snap");
      int64_t keep = 150;
      TestServer t(RigConfig(path, keep));
      Workload w(t, seed);
      w.Populate(5000, 4000);
      REQUIRE(t.Run({"BGSAVE"}) == "Background saving started");
      State at_start = Capture(t.server());
      RunDuringSnapshot(t, w, seed, /*rare=*/true);
      REQUIRE(InfoField(t, "rdb_last_bgsave_status") == "ok");
      CHECK(std::stoll(InfoField(t, "snapshot_last_copied_early")) > 0);
      State loaded = Reload(path, keep);
      CHECK(loaded.keys.size() == at_start.keys.size());
      CHECK(loaded.keys == at_start.keys);
      CHECK(loaded.orders == at_start.orders);
    }
  }
}

TEST_CASE("snapshot: whole-database operations during a snapshot", "[snapshot][consistency]") {
  TempDir dir;
  std::string path = dir.File("w.snap");
  TestServer t(RigConfig(path, 100));
  Workload w(t, 99);
  w.Populate(3000, 1500);
  snapshot::Manager& m = t.server().snapshots();
  std::vector<std::vector<std::string>> ops;
  SECTION("FLUSHALL") {
    ops = {{"FLUSHALL"}};
  }
  SECTION("FLUSHDB") {
    ops = {{"SELECT", "2"}, {"FLUSHDB"}, {"SELECT", "0"}};
  }
  SECTION("SWAPDB") {
    ops = {{"SWAPDB", "0", "3"}, {"SWAPDB", "1", "0"}};
  }
  SECTION("ORDER.RESET") {
    ops = {{"ORDER.RESET"}};
  }
  SECTION("MULTI/EXEC of moves") {
    ops = {{"MULTI"},           {"RENAME", "k1", "k2"},
           {"MOVE", "k3", "3"}, {"COPY", "k4", "k5", "DB", "1", "REPLACE"},
           {"DEL", "k6"},       {"EXEC"}};
  }
  REQUIRE(t.Run({"BGSAVE"}) == "Background saving started");
  State at_start = Capture(t.server());
  for (int i = 0; i < 20; ++i) m.Step(0);  // part of the way
  for (const auto& op : ops) (void)t.Run(op);
  for (int i = 0; i < 200; ++i) w.Mutate(false);
  while (m.in_progress()) {
    m.Step(100);
    if (!m.wants_steps()) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  REQUIRE(InfoField(t, "rdb_last_bgsave_status") == "ok");
  State loaded = Reload(path, 100);
  CHECK(loaded.keys == at_start.keys);
  CHECK(loaded.orders == at_start.orders);
}

TEST_CASE("snapshot: an abandoned snapshot leaves marks the next one handles",
          "[snapshot][consistency]") {
  TempDir dir;
  std::string path = dir.File("a.snap");
  TestServer t(RigConfig(path, 100));
  Workload w(t, 5);
  w.Populate(2000, 2000);
  Server& s = t.server();
  for (int attempt = 0; attempt < 3; ++attempt) {
    // Half of a snapshot, then abandoned (as on shutdown or an error).
    ordis::test::MemFile f;
    snapshot::SyncOutput out(&f, "mem");
    {
      snapshot::Snapshotter snap(s.keyspace(), &s.orders(), &out, 1, 1);
      for (int i = 0; i < 30; ++i) (void)snap.Step(0);
    }
    for (int i = 0; i < 300; ++i) w.Mutate(false);
    for (int i = 0; i < 100; ++i) w.OrderOp(false);
  }
  REQUIRE(t.Run({"BGSAVE"}) == "Background saving started");
  State at_start = Capture(s);
  RunDuringSnapshot(t, w, 11, false);
  State loaded = Reload(path, 100);
  CHECK(loaded.keys == at_start.keys);
  CHECK(loaded.orders == at_start.orders);

  // After 63+ epochs the stamps wrap: Restamp makes that safe.
  for (int i = 0; i < 70; ++i) {
    ordis::test::MemFile f;
    snapshot::SyncOutput out(&f, "mem");
    snapshot::Snapshotter snap(s.keyspace(), &s.orders(), &out, 1, 1);
    (void)snap.Step(0);
  }
  snapshot::Snapshotter::Restamp(s.keyspace(), &s.orders());
  State now = Capture(s);
  ordis::test::MemFile f;
  snapshot::SyncOutput out(&f, "mem");
  {
    snapshot::Snapshotter snap(s.keyspace(), &s.orders(), &out, 1, 1);
    while (!snap.Step(50)) {
    }
  }
  REQUIRE(out.status().ok());
  TestServer fresh(RigConfig(path + ".x", 100));
  snapshot::LoadResult r;
  REQUIRE(snapshot::LoadFromMemory(f.data, "mem", fresh.server().keyspace(),
                                   &fresh.server().orders(), snapshot::LoadOptions{}, &r)
              .ok());
  State again = Capture(fresh.server());
  CHECK(again.keys == now.keys);
  CHECK(again.orders == now.orders);
}

TEST_CASE("snapshot: a blocked BLMOVE served during a snapshot copies its target first",
          "[snapshot][consistency]") {
  TempDir dir;
  std::string path = dir.File("b.snap");
  TestServer t(RigConfig(path, 100));
  t.Run({"RPUSH", "dst", "old1", "old2"});
  RespValue blocked = t.RunOn(1, {"BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"});
  REQUIRE(blocked.str == "(no reply)");
  REQUIRE(t.Run({"BGSAVE"}) == "Background saving started");
  State at_start = Capture(t.server());
  t.Run({"RPUSH", "src", "x"});  // serves client 1: dst gets "x"
  CHECK(t.Drain(1).at(0) == "x");
  CHECK(t.Run({"LRANGE", "dst", "0", "-1"}).strings() ==
        std::vector<std::string>{"old1", "old2", "x"});
  snapshot::Manager& m = t.server().snapshots();
  while (m.in_progress()) {
    m.Step(100);
    if (!m.wants_steps()) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  State loaded = Reload(path, 100);
  CHECK(loaded.keys == at_start.keys);
  CHECK(loaded.keys.count("0:dst") == 1);
  CHECK(loaded.keys.count("0:src") == 0);
}
