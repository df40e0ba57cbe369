// Db and Keyspace: lazy expiry, active expiry sampling, lookup flags (LRU,
// LFU, hit/miss stats), Set with keep_ttl, Detach, SwapContents, RandomEntry.
#include "kv/db.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "kv/keyspace.h"

using ordis::Db;
using ordis::Entry;
using ordis::Keyspace;
using ordis::NewStringEntry;

namespace {

constexpr int64_t kT0 = 1'700'000'000'000;  // ms since the epoch

struct Fixture {
  Keyspace ks{4};
  Db& db = ks.db(0);
  Fixture() { ks.SetTime(kT0); }
  Entry* Put(const std::string& k, const std::string& v = "v", int64_t expire_at = -1) {
    Entry* e = NewStringEntry(k, v);
    db.Set(e);
    if (expire_at >= 0) db.SetExpire(e, expire_at);
    return e;
  }
  std::string Value(const std::string& k) {
    Entry* e = db.FindQuiet(k);
    std::string scratch;
    return e ? std::string(e->str(&scratch)) : "(nil)";
  }
};

}  // namespace

TEST_CASE("Db lazy expiry deletes on access and counts expired_keys", "[db]") {
  Fixture f;
  f.Put("k", "v", kT0 + 100);
  f.Put("plain");
  CHECK(f.db.size() == 2);
  CHECK(f.db.expires_size() == 1);

  f.ks.SetTime(kT0 + 100);  // exactly at the expire time: still alive
  CHECK(f.db.Find("k") != nullptr);
  CHECK(f.ks.ctx().expired_keys == 0);

  f.ks.SetTime(kT0 + 101);
  CHECK(f.db.size() == 2);  // nothing reclaimed until accessed
  CHECK(f.db.Find("k") == nullptr);
  CHECK(f.db.size() == 1);
  CHECK(f.db.expires_size() == 0);
  CHECK(f.ks.ctx().expired_keys == 1);
  CHECK(f.db.Find("plain") != nullptr);
}

TEST_CASE("Db every lookup flavour and Delete treat expired keys as absent", "[db]") {
  Fixture f;
  for (const char* k : {"a", "b", "c", "d", "e"}) f.Put(k, "v", kT0 + 10);
  f.ks.SetTime(kT0 + 11);
  CHECK(f.db.FindQuiet("a") == nullptr);
  CHECK(f.db.FindWrite("b") == nullptr);
  CHECK(f.db.Lookup("c", Db::kNoTouch) == nullptr);
  CHECK_FALSE(f.db.Delete("d"));  // an expired key is not "deleted"
  int64_t ttl = 0;
  CHECK(f.db.Detach("e", &ttl) == nullptr);
  CHECK(ttl == -1);
  CHECK(f.db.size() == 0);
  CHECK(f.ks.ctx().expired_keys == 5);
}

TEST_CASE("Db ExpireIfNeeded reports only a deletion it made", "[db]") {
  Fixture f;
  f.Put("gone", "v", kT0 + 1);
  f.Put("live", "v", kT0 + 1000);
  f.ks.SetTime(kT0 + 2);
  CHECK(f.db.ExpireIfNeeded("gone"));
  CHECK_FALSE(f.db.ExpireIfNeeded("gone"));  // already deleted
  CHECK_FALSE(f.db.ExpireIfNeeded("live"));
  CHECK_FALSE(f.db.ExpireIfNeeded("never"));
  CHECK(f.db.size() == 1);
}

TEST_CASE("Db with lazy expiry disabled (log replay) keeps expired keys", "[db]") {
  Fixture f;
  f.Put("k", "v", kT0 + 1);
  f.ks.ctx().lazy_expire_enabled = false;
  f.ks.SetTime(kT0 + 5000);
  CHECK(f.db.Find("k") != nullptr);
  CHECK(f.db.RandomEntry() != nullptr);
  CHECK(f.ks.ActiveExpireCycle(1000) == 0);
  CHECK(f.db.size() == 1);
  f.ks.ctx().lazy_expire_enabled = true;
  CHECK(f.db.Find("k") == nullptr);
}

TEST_CASE("Active expiry reclaims expired keys without any access", "[db]") {
  Fixture f;
  Db& other = f.ks.db(2);
  for (int i = 0; i < 500; ++i) f.Put("short:" + std::to_string(i), "v", kT0 + 50);
  for (int i = 0; i < 30; ++i) f.Put("long:" + std::to_string(i), "v", kT0 + 1'000'000);
  for (int i = 0; i < 30; ++i) f.Put("plain:" + std::to_string(i));
  for (int i = 0; i < 100; ++i) {
    Entry* e = NewStringEntry("o:" + std::to_string(i), "v");
    other.Set(e);
    other.SetExpire(e, kT0 + 50);
  }
  f.ks.SetTime(kT0 + 51);
  size_t total = 0;
  // Each cycle stops a db once a sample is mostly alive; a few cycles
  // (as the cron would run) drain everything.
  for (int cycle = 0; cycle < 200 && (f.db.size() > 60 || other.size() > 0); ++cycle)
    total += f.ks.ActiveExpireCycle(100000);
  CHECK(f.db.size() == 60);
  CHECK(f.db.expires_size() == 30);
  CHECK(other.size() == 0);
  CHECK(total == 600);
  CHECK(f.ks.ctx().expired_keys == 600);
  for (int i = 0; i < 30; ++i) CHECK(f.db.FindQuiet("long:" + std::to_string(i)) != nullptr);
  CHECK(f.db.avg_ttl_ms() > 0);
}

TEST_CASE("Active expiry leaves keys that are not yet due", "[db]") {
  Fixture f;
  for (int i = 0; i < 50; ++i) f.Put("k" + std::to_string(i), "v", kT0 + 1000);
  CHECK(f.ks.ActiveExpireCycle(100000) == 0);
  CHECK(f.db.size() == 50);
  auto [sampled, expired] = f.db.ExpireSample(20);
  CHECK(sampled == 20);
  CHECK(expired == 0);
  // Never more draws than keys with a TTL.
  Db& small = f.ks.db(1);
  Entry* e = NewStringEntry("only", "v");
  small.Set(e);
  small.SetExpire(e, kT0 + 1000);
  CHECK(small.ExpireSample(20).first == 1);
}

TEST_CASE("Db Set replaces, keeping the TTL only with keep_ttl", "[db]") {
  Fixture f;
  f.Put("k", "one", kT0 + 5000);
  f.db.Set(NewStringEntry("k", "two"), /*keep_ttl=*/true);
  CHECK(f.Value("k") == "two");
  CHECK(f.db.GetExpire(f.db.FindQuiet("k")) == kT0 + 5000);
  CHECK(f.db.expires_size() == 1);

  f.db.Set(NewStringEntry("k", "three"));
  CHECK(f.Value("k") == "three");
  CHECK(f.db.GetExpire(f.db.FindQuiet("k")) == -1);
  CHECK(f.db.expires_size() == 0);
  CHECK(f.db.size() == 1);
}

TEST_CASE("Db Set over an expired key does not inherit its TTL", "[db]") {
  Fixture f;
  f.Put("k", "old", kT0 + 10);
  f.ks.SetTime(kT0 + 20);
  f.db.Set(NewStringEntry("k", "new"), /*keep_ttl=*/true);
  Entry* e = f.db.FindQuiet("k");
  REQUIRE(e != nullptr);
  CHECK(f.db.GetExpire(e) == -1);
  CHECK(f.ks.ctx().expired_keys == 1);
}

TEST_CASE("Db Persist, SetExpire update and GetExpire", "[db]") {
  Fixture f;
  Entry* e = f.Put("k");
  CHECK(f.db.GetExpire(e) == -1);
  CHECK_FALSE(f.db.Persist(e));
  f.db.SetExpire(e, kT0 + 10);
  f.db.SetExpire(e, kT0 + 20);  // update in place, one index node
  CHECK(f.db.expires_size() == 1);
  CHECK(f.db.GetExpire(e) == kT0 + 20);
  CHECK(f.db.Persist(e));
  CHECK(f.db.GetExpire(e) == -1);
  CHECK(f.db.expires_size() == 0);
}

TEST_CASE("Db Detach hands over the entry and its TTL", "[db]") {
  Fixture f;
  f.Put("k", "v", kT0 + 700);
  int64_t ttl = 0;
  Entry* e = f.db.Detach("k", &ttl);
  REQUIRE(e != nullptr);
  CHECK(ttl == kT0 + 700);
  CHECK(f.db.size() == 0);
  CHECK(f.db.expires_size() == 0);
  Db& dst = f.ks.db(1);
  dst.Add(e);
  dst.SetExpire(e, ttl);
  CHECK(dst.FindQuiet("k") == e);
  CHECK(dst.GetExpire(e) == kT0 + 700);
}

TEST_CASE("Db SwapContents exchanges keys and TTLs", "[db]") {
  Fixture f;
  Db& a = f.ks.db(0);
  Db& b = f.ks.db(1);
  f.Put("in-a", "1", kT0 + 100);
  Entry* e = NewStringEntry("in-b", "2");
  b.Set(e);
  b.SetExpire(e, kT0 + 300);
  a.SwapContents(b);
  CHECK(a.FindQuiet("in-a") == nullptr);
  CHECK(b.FindQuiet("in-a") != nullptr);
  CHECK(a.FindQuiet("in-b") != nullptr);
  CHECK(a.GetExpire(a.FindQuiet("in-b")) == kT0 + 300);
  CHECK(b.GetExpire(b.FindQuiet("in-a")) == kT0 + 100);
  CHECK(a.expires_size() == 1);
  CHECK(b.expires_size() == 1);
  // TTLs keep working after the swap.
  f.ks.SetTime(kT0 + 200);
  CHECK(b.Find("in-a") == nullptr);
  CHECK(a.Find("in-b") != nullptr);
  f.ks.SwapDbs(0, 1);
  CHECK(b.FindQuiet("in-b") != nullptr);
}

TEST_CASE("Db Clear and Keyspace FlushAll count removed keys", "[db]") {
  Fixture f;
  for (int i = 0; i < 10; ++i) f.Put("k" + std::to_string(i), "v", i % 2 ? kT0 + 99 : -1);
  Entry* e = NewStringEntry("x", "v");
  f.ks.db(3).Set(e);
  CHECK(f.ks.TotalKeys() == 11);
  CHECK(f.db.Clear() == 10);
  CHECK(f.db.size() == 0);
  CHECK(f.db.expires_size() == 0);
  CHECK(f.ks.FlushAll() == 1);
  CHECK(f.ks.TotalKeys() == 0);
}

TEST_CASE("Db RandomEntry skips and deletes expired keys", "[db]") {
  Fixture f;
  CHECK(f.db.RandomEntry() == nullptr);
  for (int i = 0; i < 300; ++i) f.Put("dead" + std::to_string(i), "v", kT0 + 1);
  f.Put("alive");
  f.ks.SetTime(kT0 + 2);
  for (int i = 0; i < 20; ++i) {
    Entry* e = f.db.RandomEntry();
    REQUIRE(e != nullptr);
    CHECK(e->key() == "alive");
  }
  // All expired: nullptr, and the db is left empty.
  Db& d = f.ks.db(1);
  for (int i = 0; i < 300; ++i) {
    Entry* x = NewStringEntry("x" + std::to_string(i), "v");
    d.Set(x);
    d.SetExpire(x, kT0 + 1);
  }
  CHECK(d.RandomEntry() == nullptr);
  CHECK(d.size() == 0);
}

TEST_CASE("Db lookups: touch, stats and LFU counter", "[db]") {
  Fixture f;
  auto& ctx = f.ks.ctx();
  Entry* e = f.Put("k");
  CHECK(e->freq == Db::kLfuInit);
  CHECK(e->lru == static_cast<uint32_t>(kT0 / 1000));

  f.ks.SetTime(kT0 + 10'000);
  uint64_t hits = ctx.keyspace_hits, misses = ctx.keyspace_misses;
  CHECK(f.db.FindQuiet("k") == e);
  CHECK(f.db.Lookup("k", Db::kNoTouch) == e);
  CHECK(e->lru == static_cast<uint32_t>(kT0 / 1000));  // not touched
  CHECK(ctx.keyspace_hits == hits + 1);                // only the kNoTouch one counted
  CHECK(f.db.FindWrite("k") == e);
  CHECK(e->lru == static_cast<uint32_t>((kT0 + 10'000) / 1000));
  CHECK(ctx.keyspace_hits == hits + 1);  // writes do not count
  CHECK(f.db.Find("nope") == nullptr);
  CHECK(ctx.keyspace_misses == misses + 1);
  CHECK(f.db.Find("k") == e);
  CHECK(ctx.keyspace_hits == hits + 2);

  // Below the initial value every access counts; above it increments get
  // rarer (logarithmic), so 1000 hits stay far below 255.
  Entry* hot = f.Put("hot");
  for (int i = 0; i < 1000; ++i) (void)f.db.Find("hot");
  CHECK(hot->freq > Db::kLfuInit + 3);
  CHECK(hot->freq < 60);

  // Decay: one point per lfu-decay-time minutes without access.
  uint8_t before = hot->freq;
  f.ks.SetTime(kT0 + 10'000 + 3 * 60'000);
  CHECK(f.db.LfuCounter(hot) == before - 3);
  ctx.lfu_decay_time = 0;  // 0 disables decay
  CHECK(f.db.LfuCounter(hot) == before);
  ctx.lfu_decay_time = 1;
  f.ks.SetTime(kT0 + 10'000 + 1000 * 60'000);
  CHECK(f.db.LfuCounter(hot) == 0);
}

TEST_CASE("Db Set over a live key keeps its LFU counter", "[db]") {
  Fixture f;
  Entry* e = f.Put("k");
  e->freq = 77;
  Entry* n = NewStringEntry("k", "v2");
  f.db.Set(n);
  CHECK(n->freq == 77);
  Entry* fresh = NewStringEntry("new", "v");
  f.db.Add(fresh);
  CHECK(fresh->freq == Db::kLfuInit);
}

TEST_CASE("Db Scan visits every key across resizes", "[db]") {
  Fixture f;
  for (int i = 0; i < 100; ++i) f.Put("k" + std::to_string(i));
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int extra = 0;
  do {
    cursor = f.db.Scan(cursor, [&](const Entry* e) { seen.insert(std::string(e->key())); });
    for (int j = 0; j < 30 && extra < 1000; ++j) f.Put("x" + std::to_string(extra++));
  } while (cursor != 0);
  for (int i = 0; i < 100; ++i) CHECK(seen.count("k" + std::to_string(i)) == 1);
}
