#include "server/stats.h"

namespace ordis {

double LatencyHistogram::Percentile(double p) const {
  if (count == 0) return 0;
  uint64_t target = static_cast<uint64_t>(p / 100.0 * static_cast<double>(count) + 0.5);
  if (target == 0) target = 1;
  uint64_t seen = 0;
  for (size_t i = 0; i < buckets.size(); ++i) {
    seen += buckets[i];
    if (seen >= target) return i == 0 ? 1.0 : static_cast<double>(1ULL << i);
  }
  return static_cast<double>(1ULL << (buckets.size() - 1));
}

void ServerStats::ResetStats() {
  int64_t start = start_time_ms;
  std::deque<SlowlogEntry> keep_slowlog;  // SLOWLOG survives RESETSTAT in Redis
  keep_slowlog.swap(slowlog);
  uint64_t next_id = slowlog_next_id;
  auto events = std::move(latency_events);
  *this = ServerStats();
  start_time_ms = start;
  slowlog.swap(keep_slowlog);
  slowlog_next_id = next_id;
  latency_events = std::move(events);
}

}  // namespace ordis
