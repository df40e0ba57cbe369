// SlotIndex (order/slot_index.h): the 4-byte-cell hash index behind the
// order id, (user, cid), user-list and completed-ring lookups.
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <unordered_map>
#include <vector>

#include "order/order.h"
#include "order/slot_index.h"

using ordis::order::Mix64;
using ordis::order::SlotIndex;

namespace {

// Values are positions in a key vector, as slots are positions in the arena.
struct Keys {
  const std::vector<uint64_t>* keys;
  mutable size_t hash_calls = 0;
  uint64_t Hash(uint32_t v) const {
    ++hash_calls;
    return Mix64((*keys)[v]);
  }
};

struct Fixture {
  std::vector<uint64_t> keys;
  SlotIndex<Keys> index{Keys{&keys}};

  uint32_t Find(uint64_t key) const {
    return index.Find(Mix64(key), [&](uint32_t v) { return keys[v] == key; });
  }
  uint32_t Add(uint64_t key) {
    keys.push_back(key);
    auto v = static_cast<uint32_t>(keys.size() - 1);
    index.Insert(Mix64(key), v);
    return v;
  }
  bool Erase(uint32_t v) { return index.Erase(Mix64(keys[v]), v); }
};

}  // namespace

TEST_CASE("SlotIndex: empty index finds nothing and costs nothing", "[order][index]") {
  Fixture f;
  CHECK(f.Find(1) == SlotIndex<Keys>::kNone);
  CHECK(f.index.size() == 0);
  CHECK(f.index.memory_bytes() == 0);
  CHECK_FALSE(f.index.Erase(Mix64(1), 0));
}

TEST_CASE("SlotIndex: insert, find, erase by value", "[order][index]") {
  Fixture f;
  uint32_t a = f.Add(100), b = f.Add(200), c = f.Add(300);
  CHECK(f.Find(100) == a);
  CHECK(f.Find(200) == b);
  CHECK(f.Find(300) == c);
  CHECK(f.Find(400) == SlotIndex<Keys>::kNone);
  CHECK(f.index.size() == 3);
  CHECK(f.Erase(b));
  CHECK_FALSE(f.Erase(b));  // already gone
  CHECK(f.Find(200) == SlotIndex<Keys>::kNone);
  CHECK(f.Find(100) == a);
  CHECK(f.Find(300) == c);
  CHECK(f.index.size() == 2);
}

TEST_CASE("SlotIndex: growth is incremental and lookups work mid-migration", "[order][index]") {
  Fixture f;
  bool saw_migration = false;
  for (uint64_t k = 1; k <= 20000; ++k) {
    f.Add(k * 7919);
    if (f.index.migrating()) {
      saw_migration = true;
      // Every key is findable while the old table drains.
      if (k % 97 == 0)
        for (uint64_t j = 1; j <= k; j += 13) REQUIRE(f.Find(j * 7919) == j - 1);
    }
  }
  CHECK(saw_migration);
  for (uint64_t k = 1; k <= 20000; ++k) REQUIRE(f.Find(k * 7919) == k - 1);
  f.index.Step(SIZE_MAX);
  CHECK_FALSE(f.index.migrating());
  // Load stays between 3/8 and 3/4 once settled: 4-byte cells, so at most
  // 4 / (3/8) bytes per entry.
  CHECK(f.index.memory_bytes() <= 20000 * 4 * 8 / 3 + 64);
  CHECK(f.index.memory_bytes() >= 20000 * 4 * 4 / 3);
}

TEST_CASE("SlotIndex: shrinks after mass erase", "[order][index]") {
  Fixture f;
  std::vector<uint32_t> vals;
  for (uint64_t k = 1; k <= 50000; ++k) vals.push_back(f.Add(k));
  f.index.Step(SIZE_MAX);
  size_t big = f.index.memory_bytes();
  for (size_t i = 0; i < vals.size() - 10; ++i) REQUIRE(f.Erase(vals[i]));
  f.index.Step(SIZE_MAX);
  CHECK(f.index.size() == 10);
  CHECK(f.index.memory_bytes() < big / 100);
  for (size_t i = vals.size() - 10; i < vals.size(); ++i) CHECK(f.Find(f.keys[vals[i]]) == vals[i]);
}

TEST_CASE("SlotIndex: Clear drops everything", "[order][index]") {
  Fixture f;
  for (uint64_t k = 1; k <= 1000; ++k) f.Add(k);
  f.index.Clear();
  CHECK(f.index.size() == 0);
  CHECK(f.index.memory_bytes() == 0);
  CHECK(f.Find(5) == SlotIndex<Keys>::kNone);
  f.Add(5);
  CHECK(f.Find(5) == 1000);
}

TEST_CASE("SlotIndex: random operations agree with std::unordered_map", "[order][index]") {
  for (uint32_t seed : {1u, 2u, 3u}) {
    Fixture f;
    std::unordered_map<uint64_t, uint32_t> model;
    std::mt19937_64 rng(seed);
    for (int step = 0; step < 60000; ++step) {
      uint64_t key = rng() % 5000;  // small key space: many hits, many churns
      if (rng() % 3 != 0) {
        auto it = model.find(key);
        if (it == model.end()) {
          model[key] = f.Add(key);
        } else {
          REQUIRE(f.Erase(it->second));
          model.erase(it);
        }
      }
      uint64_t probe = rng() % 5000;
      auto it = model.find(probe);
      REQUIRE(f.Find(probe) == (it == model.end() ? SlotIndex<Keys>::kNone : it->second));
      REQUIRE(f.index.size() == model.size());
    }
    for (const auto& [k, v] : model) REQUIRE(f.Find(k) == v);
  }
}

TEST_CASE("SlotIndex: colliding hashes are told apart by the key", "[order][index]") {
  // Every key hashes alike: the probe chain decides, through the predicate.
  struct Same {
    uint64_t Hash(uint32_t) const { return 42; }
  };
  SlotIndex<Same> idx;
  std::vector<uint64_t> keys = {10, 20, 30, 40};
  for (uint32_t v = 0; v < keys.size(); ++v) idx.Insert(42, v);
  for (uint32_t v = 0; v < keys.size(); ++v)
    CHECK(idx.Find(42, [&](uint32_t x) { return keys[x] == keys[v]; }) == v);
  CHECK(idx.Erase(42, 1));
  CHECK(idx.Find(42, [&](uint32_t x) { return keys[x] == 20; }) == SlotIndex<Same>::kNone);
  CHECK(idx.Find(42, [&](uint32_t x) { return keys[x] == 40; }) == 3);
}
