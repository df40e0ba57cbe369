#include "kv/keyspace.h"

#include <chrono>

namespace ordis {

static int64_t MonotonicUs() {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

Keyspace::Keyspace(int databases) {
  for (int i = 0; i < databases; ++i) dbs_.push_back(std::make_unique<Db>(&ctx_, i));
}

size_t Keyspace::ActiveExpireCycle(int64_t budget_us) {
  // Like Redis's activeExpireCycle: per db, sample 20 keys with a TTL and
  // repeat while more than a quarter of the sample had expired.
  constexpr size_t kSamples = 20;
  int64_t start = MonotonicUs();
  size_t total = 0;
  for (size_t n = 0; n < dbs_.size(); ++n) {
    Db& db = *dbs_[expire_db_cursor_];
    expire_db_cursor_ = (expire_db_cursor_ + 1) % dbs_.size();
    int iterations = 0;
    while (db.expires_size() > 0) {
      auto [sampled, expired] = db.ExpireSample(kSamples);
      total += expired;
      if (sampled == 0 || expired * 4 <= sampled) break;
      if ((++iterations & 15) == 0 && MonotonicUs() - start > budget_us) {
        ++ctx_.expired_time_cap_reached_count;
        return total;
      }
    }
  }
  return total;
}

void Keyspace::RehashCycle(int64_t budget_us) {
  int64_t start = MonotonicUs();
  for (auto& db : dbs_) {
    while (db->RehashStep(100)) {
      if (MonotonicUs() - start > budget_us) return;
    }
  }
}

size_t Keyspace::TotalKeys() const {
  size_t n = 0;
  for (const auto& db : dbs_) n += db->size();
  return n;
}

size_t Keyspace::FlushAll() {
  size_t n = 0;
  for (auto& db : dbs_) n += db->Clear();
  return n;
}

}  // namespace ordis
