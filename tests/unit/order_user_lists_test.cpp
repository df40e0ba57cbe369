// UserLists (order/user_lists.h): each user's live orders, oldest first,
// all of them and per (user, symbol).
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <vector>

#include "order/arena.h"
#include "order/user_lists.h"

using namespace ordis;
using namespace ordis::order;

namespace {

struct Lists {
  Arena arena;
  UserLists lists{&arena};
  int64_t clock = 1000;

  Lists() { REQUIRE(arena.Init(sizeof(Order), 100000, Arena::HugePages::kOff, -1).empty()); }
  Order& O(uint32_t s) { return *static_cast<Order*>(arena.Get(s)); }
  uint32_t Add(uint64_t user, uint16_t symbol) {
    uint32_t s = arena.Alloc();
    REQUIRE(s != Arena::kNoSlot);
    O(s) = Order{};
    O(s).user = user;
    O(s).symbol = symbol;
    O(s).created_us = ++clock;  // strictly increasing, as the table makes it
    lists.Append(s);
    return s;
  }
  void Remove(uint32_t s) {
    lists.Remove(s);
    arena.Free(s);
  }
  std::vector<uint32_t> Open(uint64_t user, uint16_t symbol = kNoSymbol, size_t limit = SIZE_MAX) {
    std::vector<uint32_t> out;
    lists.Collect(user, symbol, limit, &out);
    return out;
  }
};

}  // namespace

TEST_CASE("UserLists: oldest first per symbol and merged across symbols", "[order][users]") {
  Lists l;
  uint32_t a = l.Add(1, 0), b = l.Add(1, 1), c = l.Add(1, 0), d = l.Add(2, 0), e = l.Add(1, 2);
  CHECK(l.Open(1) == std::vector<uint32_t>{a, b, c, e});
  CHECK(l.Open(1, 0) == std::vector<uint32_t>{a, c});
  CHECK(l.Open(1, 1) == std::vector<uint32_t>{b});
  CHECK(l.Open(1, 3).empty());
  CHECK(l.Open(2) == std::vector<uint32_t>{d});
  CHECK(l.Open(3).empty());
  CHECK(l.Open(1, kNoSymbol, 2) == std::vector<uint32_t>{a, b});
  CHECK(l.Open(1, 0, 1) == std::vector<uint32_t>{a});
  CHECK(l.Open(1, kNoSymbol, 0).empty());
  CHECK(l.lists.Count(1) == 4);
  CHECK(l.lists.Count(1, 0) == 2);
  CHECK(l.lists.Count(2) == 1);
  CHECK(l.lists.user_count() == 2);
}

TEST_CASE("UserLists: removal keeps order; empty lists and users vanish", "[order][users]") {
  Lists l;
  uint32_t a = l.Add(7, 0), b = l.Add(7, 0), c = l.Add(7, 0), d = l.Add(7, 1);
  l.Remove(b);
  CHECK(l.Open(7) == std::vector<uint32_t>{a, c, d});
  l.Remove(a);
  l.Remove(c);
  CHECK(l.Open(7) == std::vector<uint32_t>{d});
  CHECK(l.lists.Count(7, 0) == 0);
  l.Remove(d);
  CHECK(l.Open(7).empty());
  CHECK(l.lists.Count(7) == 0);
  CHECK(l.lists.user_count() == 0);
  // The user comes back with a fresh list.
  uint32_t e = l.Add(7, 1);
  CHECK(l.Open(7) == std::vector<uint32_t>{e});
}

TEST_CASE("UserLists: random operations agree with a model", "[order][users]") {
  Lists l;
  std::mt19937_64 rng(11);
  std::map<uint64_t, std::vector<uint32_t>> model;  // user -> slots oldest first
  std::vector<uint32_t> live;
  for (int step = 0; step < 20000; ++step) {
    if (live.empty() || rng() % 5 < 3) {
      uint64_t user = 1 + rng() % 20;
      uint32_t s = l.Add(user, static_cast<uint16_t>(rng() % 5));
      model[user].push_back(s);
      live.push_back(s);
    } else {
      size_t i = rng() % live.size();
      uint32_t s = live[i];
      auto& v = model[l.O(s).user];
      v.erase(std::find(v.begin(), v.end(), s));
      l.Remove(s);
      live[i] = live.back();
      live.pop_back();
    }
    if (step % 100 != 0) continue;
    for (auto& [user, slots] : model) {
      REQUIRE(l.Open(user) == slots);
      for (uint16_t sym = 0; sym < 5; ++sym) {
        std::vector<uint32_t> want;
        for (uint32_t s : slots)
          if (l.O(s).symbol == sym) want.push_back(s);
        REQUIRE(l.Open(user, sym) == want);
        REQUIRE(l.lists.Count(user, sym) == want.size());
      }
    }
  }
}
