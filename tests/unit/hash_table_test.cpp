// HashTable<Node>: lookups through incremental rehash, the SCAN guarantee
// across grow and shrink, Random, Replace, Clear.
#include "kv/hash_table.h"

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace {

struct Node {
  Node* next = nullptr;
  std::string k;
  int value = 0;
  std::string_view key() const { return k; }
};

using Table = ordis::HashTable<Node>;

// Owns the nodes the table links (the table never frees nodes).
struct Pool {
  std::vector<std::unique_ptr<Node>> nodes;
  Node* Make(const std::string& k, int v = 0) {
    nodes.push_back(std::make_unique<Node>());
    nodes.back()->k = k;
    nodes.back()->value = v;
    return nodes.back().get();
  }
};

std::string Key(int i) {
  return "key:" + std::to_string(i);
}

// Runs a full SCAN, calling between(step) after each call; returns every
// key reported (with multiplicity).
template <typename Between>
std::multiset<std::string> FullScan(const Table& t, Between between, bool* saw_rehash = nullptr) {
  std::multiset<std::string> seen;
  uint64_t cursor = 0;
  int step = 0;
  do {
    if (saw_rehash && t.rehashing()) *saw_rehash = true;
    cursor = t.Scan(cursor, [&](const Node* n) { seen.insert(n->k); });
    between(step++);
  } while (cursor != 0);
  return seen;
}

}  // namespace

TEST_CASE("HashTable empty table", "[hash_table]") {
  Table t;
  std::mt19937_64 rng(1);
  CHECK(t.size() == 0);
  CHECK(t.empty());
  CHECK(t.Find("x") == nullptr);
  CHECK(t.Remove("x") == nullptr);
  CHECK(t.Random(rng) == nullptr);
  CHECK(t.Scan(0, [](const Node*) { FAIL("no nodes expected"); }) == 0);
}

TEST_CASE("HashTable insert, find, remove through incremental rehash", "[hash_table]") {
  Table t;
  Pool pool;
  bool saw_rehash = false;
  constexpr int kN = 5000;
  for (int i = 0; i < kN; ++i) {
    t.Insert(pool.Make(Key(i), i));
    if (t.rehashing()) {
      saw_rehash = true;
      // Every key inserted so far is findable while buckets are split
      // between the two arrays.
      if (i % 97 == 0)
        for (int j = 0; j <= i; j += 13) REQUIRE(t.Find(Key(j)) != nullptr);
    }
  }
  CHECK(saw_rehash);
  CHECK(t.size() == kN);
  for (int i = 0; i < kN; ++i) {
    Node* n = t.Find(Key(i));
    REQUIRE(n != nullptr);
    CHECK(n->value == i);
  }
  CHECK(t.Find("missing") == nullptr);

  // Remove odd keys, shrinking along the way.
  for (int i = 1; i < kN; i += 2) {
    Node* n = t.Remove(Key(i));
    REQUIRE(n != nullptr);
    CHECK(n->k == Key(i));
    CHECK(n->next == nullptr);
  }
  CHECK(t.size() == kN / 2);
  CHECK(t.Remove(Key(1)) == nullptr);
  for (int i = 0; i < kN; ++i) CHECK((t.Find(Key(i)) != nullptr) == (i % 2 == 0));

  // Remove the rest: the table shrinks back to a few buckets.
  for (int i = 0; i < kN; i += 2) REQUIRE(t.Remove(Key(i)) != nullptr);
  CHECK(t.empty());
  while (t.RehashStep(100)) {
  }
  CHECK(t.bucket_count() <= 8);
}

TEST_CASE("HashTable shrinks when sparse", "[hash_table]") {
  Table t;
  Pool pool;
  for (int i = 0; i < 1024; ++i) t.Insert(pool.Make(Key(i)));
  while (t.RehashStep(100)) {
  }
  size_t big = t.bucket_count();
  CHECK(big >= 1024);
  // Removing starts a shrink, but the next one can only start once that
  // rehash is over, so the table stays oversized when the removes stop.
  for (int i = 0; i < 1020; ++i) REQUIRE(t.Remove(Key(i)) != nullptr);
  while (t.RehashStep(100)) {
  }
  size_t after_removes = t.bucket_count();
  CHECK(after_removes < big);
  CHECK(after_removes > 4);
  // The cron's ShrinkIfSparse finishes the job on a table nobody writes to.
  while (t.ShrinkIfSparse()) {
    while (t.RehashStep(100)) {
    }
  }
  CHECK(t.bucket_count() == 4);
  for (int i = 1020; i < 1024; ++i) CHECK(t.Find(Key(i)) != nullptr);
}

TEST_CASE("HashTable Replace keeps the slot and returns the old node", "[hash_table]") {
  Table t;
  Pool pool;
  for (int i = 0; i < 100; ++i) t.Insert(pool.Make(Key(i), i));
  Node* fresh = pool.Make(Key(42), 4242);
  Node* old = t.Replace(fresh);
  REQUIRE(old != nullptr);
  CHECK(old->value == 42);
  CHECK(t.Find(Key(42)) == fresh);
  CHECK(t.size() == 100);
  Node* other = pool.Make("absent");
  CHECK(t.Replace(other) == nullptr);
}

TEST_CASE("HashTable ForEach and Clear visit every node once", "[hash_table]") {
  Table t;
  Pool pool;
  for (int i = 0; i < 300; ++i) t.Insert(pool.Make(Key(i)));
  std::multiset<std::string> seen;
  t.ForEach([&](Node* n) { seen.insert(n->k); });
  CHECK(seen.size() == 300);
  CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 300);
  int cleared = 0;
  t.Clear([&](Node*) { ++cleared; });
  CHECK(cleared == 300);
  CHECK(t.empty());
  CHECK(t.Find(Key(1)) == nullptr);
  t.Insert(pool.Make("after"));  // usable after Clear
  CHECK(t.Find("after") != nullptr);
}

TEST_CASE("HashTable move swaps contents", "[hash_table]") {
  Table a, b;
  Pool pool;
  a.Insert(pool.Make("in-a"));
  b = std::move(a);
  CHECK(b.Find("in-a") != nullptr);
  Table c(std::move(b));
  CHECK(c.Find("in-a") != nullptr);
  CHECK(c.size() == 1);
}

TEST_CASE("HashTable Scan of a stable table returns each key exactly once", "[hash_table]") {
  Table t;
  Pool pool;
  for (int i = 0; i < 1000; ++i) t.Insert(pool.Make(Key(i)));
  while (t.RehashStep(100)) {
  }
  auto seen = FullScan(t, [](int) {});
  CHECK(seen.size() == 1000);
  for (int i = 0; i < 1000; ++i) CHECK(seen.count(Key(i)) == 1);
}

TEST_CASE("HashTable Scan guarantee holds while the table grows", "[hash_table]") {
  Table t;
  Pool pool;
  constexpr int kInitial = 200;
  for (int i = 0; i < kInitial; ++i) t.Insert(pool.Make(Key(i)));
  while (t.RehashStep(100)) {
  }
  int next = kInitial;
  bool saw_rehash = false;
  // Between calls insert enough keys to double the table several times
  // (bounded, or the iteration would chase the growth forever); Insert's
  // one rehash step per call leaves it mid-rehash at some calls.
  auto seen = FullScan(
      t,
      [&](int) {
        for (int j = 0; j < 40 && next < 10 * kInitial; ++j) t.Insert(pool.Make(Key(next++)));
      },
      &saw_rehash);
  CHECK(saw_rehash);
  CHECK(next > 8 * kInitial);
  for (int i = 0; i < kInitial; ++i) CHECK(seen.count(Key(i)) >= 1);
}

TEST_CASE("HashTable Scan guarantee holds while the table shrinks", "[hash_table]") {
  Table t;
  Pool pool;
  constexpr int kKeep = 40, kDoomed = 4000;
  for (int i = 0; i < kKeep; ++i) t.Insert(pool.Make("keep:" + std::to_string(i)));
  for (int i = 0; i < kDoomed; ++i) t.Insert(pool.Make(Key(i)));
  while (t.RehashStep(100)) {
  }
  size_t big = t.bucket_count();
  int removed = 0;
  bool saw_rehash = false;
  auto seen = FullScan(
      t,
      [&](int) {
        for (int j = 0; j < 150 && removed < kDoomed; ++j) REQUIRE(t.Remove(Key(removed++)));
      },
      &saw_rehash);
  CHECK(saw_rehash);
  while (t.RehashStep(100)) {
  }
  CHECK(t.bucket_count() < big);
  for (int i = 0; i < kKeep; ++i) CHECK(seen.count("keep:" + std::to_string(i)) >= 1);
}

TEST_CASE("HashTable Scan started before a grow and finished after", "[hash_table]") {
  // Take a cursor from a small table, then grow it a lot in one go and
  // complete the iteration: no original key may be missed.
  Table t;
  Pool pool;
  for (int i = 0; i < 16; ++i) t.Insert(pool.Make(Key(i)));
  while (t.RehashStep(100)) {
  }
  std::multiset<std::string> seen;
  uint64_t cursor = t.Scan(0, [&](const Node* n) { seen.insert(n->k); });
  cursor = t.Scan(cursor, [&](const Node* n) { seen.insert(n->k); });
  REQUIRE(cursor != 0);
  for (int i = 16; i < 3000; ++i) t.Insert(pool.Make(Key(i)));
  while (t.RehashStep(100)) {
  }
  while (cursor != 0) cursor = t.Scan(cursor, [&](const Node* n) { seen.insert(n->k); });
  for (int i = 0; i < 16; ++i) CHECK(seen.count(Key(i)) >= 1);
}

TEST_CASE("HashTable Random returns members, reaching all of a small table", "[hash_table]") {
  Table t;
  Pool pool;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20; ++i) t.Insert(pool.Make(Key(i)));
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    Node* n = t.Random(rng);
    REQUIRE(n != nullptr);
    REQUIRE(t.Find(n->k) == n);
    seen.insert(n->k);
  }
  CHECK(seen.size() == 20);
}

TEST_CASE("HashTable Random works mid-rehash and on a sparse table", "[hash_table]") {
  Table t;
  Pool pool;
  std::mt19937_64 rng(11);
  for (int i = 0; i < 64; ++i) t.Insert(pool.Make(Key(i)));
  // One more insert starts a grow; do not let it finish.
  while (!t.rehashing()) t.Insert(pool.Make(Key(1000 + static_cast<int>(t.size()))));
  std::set<std::string> seen;
  for (int i = 0; i < 5000; ++i) {
    Node* n = t.Random(rng);
    REQUIRE(n != nullptr);
    seen.insert(n->k);
  }
  CHECK(seen.size() > t.size() / 2);

  // Sparse: one key left in a large table still comes back.
  Table s;
  Pool pool2;
  for (int i = 0; i < 4096; ++i) s.Insert(pool2.Make(Key(i)));
  while (s.RehashStep(100)) {
  }
  for (int i = 1; i < 4096; ++i) REQUIRE(s.Remove(Key(i)));
  Node* only = s.Random(rng);
  REQUIRE(only != nullptr);
  CHECK(only->k == Key(0));
}
