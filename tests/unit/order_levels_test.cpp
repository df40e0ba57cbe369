// PriceLevels (order/price_levels.h): per book side, levels best first,
// each a FIFO of orders with aggregate qty and count.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <vector>

#include "order/arena.h"
#include "order/price_levels.h"

using namespace ordis;
using namespace ordis::order;

namespace {

struct Book {
  Arena arena;
  PriceLevels levels{&arena};

  Book() { REQUIRE(arena.Init(sizeof(Order), 100000, Arena::HugePages::kOff, -1).empty()); }
  Order& O(uint32_t s) { return *static_cast<Order*>(arena.Get(s)); }
  uint32_t Add(uint32_t book, int64_t price, int64_t qty) {
    uint32_t s = arena.Alloc();
    REQUIRE(s != Arena::kNoSlot);
    O(s) = Order{};
    O(s).price = price;
    O(s).remaining = qty;
    levels.Append(book, s);
    return s;
  }
  Level Remove(uint32_t book, uint32_t s) {
    uint32_t li = levels.Find(book, O(s).price);
    REQUIRE(li != kNoLevel);
    Level after = levels.Remove(book, li, s);
    arena.Free(s);
    return after;
  }
  std::vector<int64_t> Prices(uint32_t book, size_t n = SIZE_MAX) {
    std::vector<int64_t> out;
    levels.ForEach(book, n, [&](const Level& l) { out.push_back(l.price); });
    return out;
  }
  std::vector<uint32_t> Fifo(uint32_t book, int64_t price) {
    std::vector<uint32_t> out;
    uint32_t li = levels.Find(book, price);
    if (li == kNoLevel) return out;
    for (uint32_t s = levels.level(li).head; s != kNoSlot; s = O(s).level_next) out.push_back(s);
    return out;
  }
};

const uint32_t kBids = PriceLevels::Book(0, Side::kBuy);
const uint32_t kAsks = PriceLevels::Book(0, Side::kSell);

}  // namespace

TEST_CASE("PriceLevels: bids best (highest) first, asks best (lowest) first", "[order][levels]") {
  Book b;
  for (int64_t p : {105, 101, 110, 103}) b.Add(kBids, p, 1);
  for (int64_t p : {205, 201, 210, 203}) b.Add(kAsks, p, 1);
  CHECK(b.Prices(kBids) == std::vector<int64_t>{110, 105, 103, 101});
  CHECK(b.Prices(kAsks) == std::vector<int64_t>{201, 203, 205, 210});
  CHECK(b.Prices(kBids, 2) == std::vector<int64_t>{110, 105});
  CHECK(b.levels.level(b.levels.Best(kBids)).price == 110);
  CHECK(b.levels.level(b.levels.Best(kAsks)).price == 201);
  CHECK(b.levels.LevelCount(kBids) == 4);
  CHECK(b.levels.level_count() == 8);
  // Another symbol's book is separate.
  CHECK(b.levels.Best(PriceLevels::Book(1, Side::kBuy)) == kNoLevel);
  CHECK(b.Prices(PriceLevels::Book(1, Side::kBuy)).empty());
}

TEST_CASE("PriceLevels: FIFO per level with aggregate qty and count", "[order][levels]") {
  Book b;
  uint32_t a = b.Add(kBids, 100, 5);
  uint32_t c = b.Add(kBids, 100, 7);
  uint32_t d = b.Add(kBids, 100, 1);
  uint32_t li = b.levels.Find(kBids, 100);
  CHECK(b.levels.level(li).qty == 13);
  CHECK(b.levels.level(li).count == 3);
  CHECK(b.Fifo(kBids, 100) == std::vector<uint32_t>{a, c, d});
  // Removing from the middle keeps the order of the rest.
  Level after = b.Remove(kBids, c);
  CHECK(after.qty == 6);
  CHECK(after.count == 2);
  CHECK(b.Fifo(kBids, 100) == std::vector<uint32_t>{a, d});
  // A fill adjusts the aggregate in place.
  b.levels.AddQty(li, -2);
  b.O(a).remaining -= 2;
  CHECK(b.levels.level(li).qty == 4);
  b.Remove(kBids, a);
  after = b.Remove(kBids, d);
  CHECK(after.count == 0);
  CHECK(b.levels.Find(kBids, 100) == kNoLevel);
  CHECK(b.levels.Best(kBids) == kNoLevel);
  CHECK(b.levels.level_count() == 0);
}

TEST_CASE("PriceLevels: removing the best level moves the best to the next", "[order][levels]") {
  Book b;
  uint32_t s1 = b.Add(kAsks, 50, 1);
  b.Add(kAsks, 60, 1);
  b.Add(kAsks, 55, 1);
  CHECK(b.levels.level(b.levels.Best(kAsks)).price == 50);
  b.Remove(kAsks, s1);
  CHECK(b.levels.level(b.levels.Best(kAsks)).price == 55);
}

TEST_CASE("PriceLevels: random operations agree with a std::map model", "[order][levels]") {
  for (uint32_t seed : {7u, 8u}) {
    Book b;
    std::mt19937_64 rng(seed);
    // model: book -> price -> FIFO of (slot)
    std::map<int64_t, std::vector<uint32_t>> bids, asks;
    std::vector<std::pair<uint32_t, uint32_t>> live;  // (book, slot)
    for (int step = 0; step < 20000; ++step) {
      bool add = live.empty() || rng() % 5 < 3;
      if (add) {
        uint32_t book = rng() % 2 ? kBids : kAsks;
        int64_t price = 1 + static_cast<int64_t>(rng() % 300);
        uint32_t s = b.Add(book, price, 1 + static_cast<int64_t>(rng() % 10));
        (book == kBids ? bids : asks)[price].push_back(s);
        live.emplace_back(book, s);
      } else {
        size_t i = rng() % live.size();
        auto [book, s] = live[i];
        auto& m = book == kBids ? bids : asks;
        int64_t price = b.O(s).price;
        auto& q = m[price];
        q.erase(std::find(q.begin(), q.end(), s));
        if (q.empty()) m.erase(price);
        b.Remove(book, s);
        live[i] = live.back();
        live.pop_back();
      }
      if (step % 50 != 0) continue;
      for (uint32_t book : {kBids, kAsks}) {
        auto& m = book == kBids ? bids : asks;
        std::vector<int64_t> want;
        for (auto& [p, q] : m) want.push_back(p);
        if (book == kBids) std::reverse(want.begin(), want.end());
        REQUIRE(b.Prices(book) == want);
        for (auto& [p, q] : m) {
          REQUIRE(b.Fifo(book, p) == q);
          int64_t sum = 0;
          for (uint32_t s : q) sum += b.O(s).remaining;
          const Level& l = b.levels.level(b.levels.Find(book, p));
          REQUIRE(l.qty == sum);
          REQUIRE(l.count == q.size());
        }
      }
    }
  }
}

TEST_CASE("PriceLevels: memory is about 40 bytes per level", "[order][levels]") {
  Book b;
  for (int64_t p = 1; p <= 10000; ++p) b.Add(kBids, p, 1);
  CHECK(b.levels.level_count() == 10000);
  CHECK(b.levels.memory_bytes() < 10000 * 40 + 64 * 1024);
  b.levels.Clear();
  CHECK(b.levels.level_count() == 0);
  CHECK(b.levels.Best(kBids) == kNoLevel);
}
