#include "kv/db.h"

#include <algorithm>
#include <cstdlib>
#include <new>

namespace ordis {

Db::~Db() {
  Clear();
}

bool Db::IsExpired(const Entry* e) {
  if (!e->has_expire() || !ctx_->lazy_expire_enabled) return false;
  ExpireNode* n = expires_.Find(e->key());
  return n && ctx_->now_ms > n->when;
}

uint8_t Db::LfuCounter(const Entry* e) const {
  // Redis keeps the last access in minutes; compare whole minutes so a key
  // read at 12:00:59 and 12:01:00 decays by one period, as there.
  if (ctx_->lru_clock < e->lru || ctx_->lfu_decay_time <= 0) return e->freq;
  uint64_t elapsed_min = ctx_->lru_clock / 60 - e->lru / 60;
  uint64_t periods = elapsed_min / static_cast<uint64_t>(ctx_->lfu_decay_time);
  return periods >= e->freq ? 0 : static_cast<uint8_t>(e->freq - periods);
}

void Db::Touch(Entry* e) {
  uint8_t counter = LfuCounter(e);
  if (counter < 255) {
    // Logarithmic increment: the higher the counter, the less likely a
    // hit bumps it (Redis's LFULogIncr).
    double base = counter > kLfuInit ? counter - kLfuInit : 0;
    double p = 1.0 / (base * static_cast<double>(ctx_->lfu_log_factor) + 1);
    if (p >= 1.0 || std::uniform_real_distribution<double>(0, 1)(ctx_->rng) < p) ++counter;
  }
  e->freq = counter;
  e->lru = ctx_->lru_clock;
}

Entry* Db::Lookup(std::string_view key, unsigned flags) {
  Entry* e = keys_.Find(key);
  if (e && e->has_expire() && IsExpired(e)) {
    DeleteExpired(e);
    e = nullptr;
  }
  if (e && !(flags & kNoTouch)) Touch(e);
  if (!(flags & kNoStats)) ++(e ? ctx_->keyspace_hits : ctx_->keyspace_misses);
  return e;
}

bool Db::ExpireIfNeeded(std::string_view key) {
  Entry* e = keys_.Find(key);
  if (!e || !IsExpired(e)) return false;
  DeleteExpired(e);
  return true;
}

void Db::Add(Entry* e) {
  e->lru = ctx_->lru_clock;
  if (e->freq == 0) e->freq = kLfuInit;
  e->flags &= static_cast<uint8_t>(~Entry::kHasExpire);
  e->set_snapshot_epoch(ctx_->snapshot_epoch);
  keys_.Insert(e);
}

void Db::Set(Entry* e, bool keep_ttl) {
  e->lru = ctx_->lru_clock;
  e->flags &= static_cast<uint8_t>(~Entry::kHasExpire);
  e->set_snapshot_epoch(ctx_->snapshot_epoch);
  Entry* old = keys_.Find(e->key());
  if (old && old->has_expire() && IsExpired(old)) {
    DeleteExpired(old);
    old = nullptr;
  }
  if (!old) {
    if (e->freq == 0) e->freq = kLfuInit;
    keys_.Insert(e);
    return;
  }
  e->freq = old->freq;
  int64_t when = -1;
  if (old->has_expire()) {
    ExpireNode* n = expires_.Remove(old->key());
    if (n) {
      when = n->when;
      delete n;
    }
  }
  keys_.Replace(e);
  FreeEntry(old);
  if (keep_ttl && when >= 0) SetExpire(e, when);
}

void Db::DropExpire(Entry* e) {
  if (!e->has_expire()) return;
  delete expires_.Remove(e->key());
  e->flags &= static_cast<uint8_t>(~Entry::kHasExpire);
}

void Db::DeleteEntry(Entry* e) {
  DropExpire(e);
  Entry* removed = keys_.Remove(e->key());
  FreeEntry(removed);
}

void Db::DeleteExpired(Entry* e) {
  if (ctx_->expire_hook) ctx_->expire_hook(ctx_->expire_hook_arg, index_, e->key());
  DeleteEntry(e);
  ++ctx_->expired_keys;
}

bool Db::Delete(std::string_view key) {
  Entry* e = FindQuiet(key);
  if (!e) return false;
  DeleteEntry(e);
  return true;
}

Entry* Db::Detach(std::string_view key, int64_t* expire_ms) {
  Entry* e = FindQuiet(key);
  *expire_ms = -1;
  if (!e) return nullptr;
  if (e->has_expire()) {
    *expire_ms = GetExpire(e);
    DropExpire(e);
  }
  return keys_.Remove(key);
}

int64_t Db::GetExpire(const Entry* e) {
  if (!e->has_expire()) return -1;
  ExpireNode* n = expires_.Find(e->key());
  return n ? n->when : -1;
}

void Db::SetExpire(Entry* e, int64_t when_ms) {
  if (e->has_expire()) {
    ExpireNode* n = expires_.Find(e->key());
    if (n) {
      n->when = when_ms;
      return;
    }
  }
  auto* n = new ExpireNode{nullptr, e, when_ms};
  expires_.Insert(n);
  e->flags |= Entry::kHasExpire;
}

bool Db::Persist(Entry* e) {
  if (!e->has_expire()) return false;
  DropExpire(e);
  return true;
}

size_t Db::Clear() {
  size_t n = keys_.size();
  expires_.Clear([](ExpireNode* x) { delete x; });
  keys_.Clear([](Entry* e) { FreeEntry(e); });
  avg_ttl_ms_ = 0;
  return n;
}

void Db::SwapContents(Db& other) {
  std::swap(keys_, other.keys_);
  std::swap(expires_, other.expires_);
  std::swap(avg_ttl_ms_, other.avg_ttl_ms_);
}

Entry* Db::RandomEntry() {
  // Every expired pick is deleted, so the loop ends within size() draws.
  while (keys_.size() > 0) {
    Entry* e = keys_.Random(ctx_->rng);
    if (!e) return nullptr;
    if (e->has_expire() && IsExpired(e)) {
      DeleteExpired(e);
      continue;
    }
    return e;
  }
  return nullptr;
}

std::pair<size_t, size_t> Db::ExpireSample(size_t samples) {
  if (!ctx_->lazy_expire_enabled) return {0, 0};
  size_t sampled = 0, expired = 0;
  __int128 ttl_sum = 0;  // TTLs near INT64_MAX must not overflow the sum
  int64_t ttl_n = 0;
  // Never more draws than keys with a TTL (Redis samples min(n, 20)).
  samples = std::min(samples, expires_.size());
  while (sampled < samples && expires_.size() > 0) {
    ExpireNode* n = expires_.Random(ctx_->rng);
    if (!n) break;
    ++sampled;
    if (ctx_->now_ms > n->when) {
      DeleteExpired(n->entry);
      ++expired;
    } else {
      ttl_sum += n->when - ctx_->now_ms;
      ++ttl_n;
    }
  }
  if (ttl_n) {
    auto avg = static_cast<int64_t>(ttl_sum / ttl_n);
    // Running estimate, as Redis does, weighting the new sample by 2%.
    avg_ttl_ms_ = avg_ttl_ms_ == 0 ? avg : (avg_ttl_ms_ / 50) * 49 + (avg / 50);
  }
  return {sampled, expired};
}

bool Db::RehashStep(int buckets) {
  // Sparse tables start shrinking here too, as in Redis's cron.
  (void)keys_.ShrinkIfSparse();
  (void)expires_.ShrinkIfSparse();
  bool a = keys_.RehashStep(buckets);
  bool b = expires_.RehashStep(buckets);
  return a || b;
}

size_t Db::overhead_bytes() const {
  return keys_.overhead_bytes() + expires_.overhead_bytes() + expires_.size() * sizeof(ExpireNode);
}

}  // namespace ordis
