// CompletedRing (order/completed_ring.h): the bounded store of recent
// terminal orders, by id and by (user, cid), across many wraps of its
// region.
#include <catch2/catch.hpp>
#include <string>

#include "order/completed_ring.h"

using namespace ordis::order;

namespace {

OrderView Make(uint64_t id, std::string_view cid) {
  OrderView v;
  v.id = id;
  v.user = 1 + id % 7;
  v.symbol = static_cast<uint16_t>(id % 300);
  v.side = id % 2 ? Side::kSell : Side::kBuy;
  v.type = id % 3 ? OrderType::kLimit : OrderType::kLimitMaker;
  v.tif = id % 5 ? Tif::kGtc : Tif::kGtd;
  v.status = id % 2 ? OrderStatus::kFilled : OrderStatus::kCanceled;
  v.price = static_cast<int64_t>(id * 1'000'003);
  v.filled = static_cast<int64_t>(id * 17);
  v.remaining = static_cast<int64_t>(id % 11);
  v.quote = static_cast<ordis::decimal::Quote>(v.price) * v.filled;
  v.created_us = 1'700'000'000'000'000 + static_cast<int64_t>(id);
  v.updated_us = v.created_us + static_cast<int64_t>(id % 1000);
  v.expire_ms = v.tif == Tif::kGtd ? 1'800'000'000'000 : 0;
  v.cid = PackCid(cid);
  return v;
}

std::string CidOf(uint64_t id) {
  // Varying lengths (0-32) so entry sizes vary.
  size_t n = id % 33;
  return std::string(n, static_cast<char>('a' + id % 26));
}

}  // namespace

TEST_CASE("CompletedRing: keeps exactly the last `keep` orders, by id and cid", "[order][ring]") {
  CompletedRing ring;
  REQUIRE(ring.Init(50).empty());
  const uint64_t kTotal = 200000;  // many wraps of a ~20 KiB region
  for (uint64_t id = 1; id <= kTotal; ++id) {
    RecentTrades rt;
    for (uint64_t t = 0; t < id % (kRecentTrades + 3); ++t)
      rt.Add(id * 100 + t, static_cast<int64_t>(t));
    ring.Add(Make(id, CidOf(id)), &rt);
    REQUIRE(ring.size() == std::min<uint64_t>(id, 50));
    if (id % 9973 != 0) continue;
    // Spot check: the newest 50 are there, the one before is gone.
    OrderView v;
    CHECK_FALSE(ring.FindById(id - 50, &v));
    for (uint64_t k = id - 49; k <= id; ++k) REQUIRE(ring.Contains(k));
  }
  for (uint64_t id = kTotal - 49; id <= kTotal; ++id) {
    OrderView v;
    RecentTrades rt;
    REQUIRE(ring.FindById(id, &v, &rt));
    OrderView want = Make(id, CidOf(id));
    CHECK(v.id == want.id);
    CHECK(v.user == want.user);
    CHECK(v.symbol == want.symbol);
    CHECK(v.side == want.side);
    CHECK(v.type == want.type);
    CHECK(v.tif == want.tif);
    CHECK(v.status == want.status);
    CHECK(v.price == want.price);
    CHECK(v.filled == want.filled);
    CHECK(v.remaining == want.remaining);
    CHECK(v.quote == want.quote);
    CHECK(v.created_us == want.created_us);
    CHECK(v.updated_us == want.updated_us);
    CHECK(v.expire_ms == want.expire_ms);
    CHECK(v.cid == want.cid);
    uint64_t n = std::min<uint64_t>(id % (kRecentTrades + 3), kRecentTrades);
    CHECK(rt.n == n);
    if (n > 0) {
      uint64_t last = id % (kRecentTrades + 3) - 1;
      REQUIRE(rt.Find(id * 100 + last) != nullptr);
      CHECK(rt.Find(id * 100 + last)->remaining == static_cast<int64_t>(last));
    }
    if (!CidOf(id).empty()) {
      OrderView c;
      // Users reuse CIDs across ids: the newest entry with (user, cid) wins.
      REQUIRE(ring.FindByCid(want.user, want.cid, &c));
      CHECK(c.user == want.user);
      CHECK(c.cid == want.cid);
      CHECK(c.id >= id);
    }
  }
  OrderView v;
  CHECK_FALSE(ring.FindById(1, &v));
  CHECK_FALSE(ring.FindById(kTotal - 50, &v));
  // Resident memory follows what is kept, not what passed through.
  CHECK(ring.memory_bytes() < 2 * 1024 * 1024);
  ring.Clear();
  CHECK(ring.size() == 0);
  CHECK_FALSE(ring.FindById(kTotal, &v));
  ring.Add(Make(7, "x"), nullptr);
  CHECK(ring.FindById(7, &v));
  CHECK(ring.FindByCid(Make(7, "x").user, PackCid("x"), &v));
}

TEST_CASE("CompletedRing: keep 0 keeps nothing", "[order][ring]") {
  CompletedRing ring;
  REQUIRE(ring.Init(0).empty());
  ring.Add(Make(1, "a"), nullptr);
  OrderView v;
  CHECK_FALSE(ring.FindById(1, &v));
  CHECK(ring.size() == 0);
  CHECK(ring.memory_bytes() == 0);
}

TEST_CASE("CompletedRing: a large ring commits memory only as it fills", "[order][ring]") {
  CompletedRing ring;
  REQUIRE(ring.Init(5'000'000).empty());  // ~1.6 GB reserved, nothing committed
  for (uint64_t id = 1; id <= 1000; ++id) ring.Add(Make(id, CidOf(id)), nullptr);
  CHECK(ring.size() == 1000);
  CHECK(ring.memory_bytes() < 1024 * 1024);
  OrderView v;
  CHECK(ring.FindById(500, &v));
}

TEST_CASE("PackCid/UnpackCid round-trip every length and character", "[order][ring]") {
  for (size_t n = 1; n <= kMaxCidLen; ++n) {
    for (char c = 0x20; c <= 0x7e; ++c) {
      std::string s;
      for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>(0x20 + (c - 0x20 + i * 7) % 95));
      REQUIRE(ValidCid(s));
      PackedCid p = PackCid(s);
      CHECK(HasCid(p));
      char buf[kMaxCidLen];
      REQUIRE(std::string(buf, UnpackCid(p, buf)) == s);
    }
  }
  CHECK_FALSE(HasCid(PackCid("")));
  CHECK_FALSE(ValidCid(""));
  CHECK_FALSE(ValidCid(std::string(33, 'a')));
  CHECK_FALSE(ValidCid("a\x7f"));
  CHECK_FALSE(ValidCid("a\n"));
}

TEST_CASE("CompletedRing: memory is returned behind the tail across wraps", "[order][ring]") {
  // A region of ~6 MiB: the 1 MiB release steps and the wrap both happen
  // many times.
  CompletedRing ring;
  const uint64_t kKeep = 20000;
  REQUIRE(ring.Init(kKeep).empty());
  size_t peak = 0;
  for (uint64_t id = 1; id <= 400000; ++id) {
    ring.Add(Make(id, CidOf(id)), nullptr);
    if (id % 1000 == 0) peak = std::max(peak, ring.memory_bytes());
    if (id % 50000 != 0) continue;
    for (uint64_t k = id - kKeep + 1; k <= id; ++k) REQUIRE(ring.Contains(k));
    REQUIRE_FALSE(ring.Contains(id - kKeep));
    OrderView v;
    REQUIRE(ring.FindById(id - kKeep + 1, &v));
    CHECK(v.price == Make(id - kKeep + 1, "").price);
  }
  // Entries here are ~70 bytes: ~1.4 MB kept, plus up to 1 MiB not yet
  // returned, plus the two indexes.
  CHECK(peak < 4 * 1024 * 1024);
}
