// Server statistics: global counters, per-command and per-error counts, the
// slow log and latency monitor. Plain data; INFO and the introspection
// commands read it, the dispatcher and network layer update it.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace ordis {

// Latency distribution with log2 buckets of microseconds (bucket i holds
// values in [2^(i-1), 2^i)), enough for LATENCY HISTOGRAM and percentiles.
struct LatencyHistogram {
  std::array<uint64_t, 40> buckets{};
  uint64_t count = 0;
  void Record(uint64_t usec) {
    size_t b = usec == 0 ? 0 : static_cast<size_t>(64 - __builtin_clzll(usec));
    if (b >= buckets.size()) b = buckets.size() - 1;
    ++buckets[b];
    ++count;
  }
  // Upper bound (usec) of the bucket holding percentile p (0..100).
  double Percentile(double p) const;
  void Reset() { *this = LatencyHistogram(); }
};

struct CommandStats {
  uint64_t calls = 0;
  uint64_t usec = 0;
  uint64_t rejected_calls = 0;
  uint64_t failed_calls = 0;
  LatencyHistogram latency;
};

struct SlowlogEntry {
  uint64_t id;
  int64_t time_sec;
  int64_t duration_us;
  std::vector<std::string> args;  // truncated as Redis does
  std::string peer;
  std::string client_name;
};

struct LatencySample {
  int64_t time_sec;
  int64_t latency_ms;
};

struct LatencyEvent {
  std::deque<LatencySample> samples;  // at most 160, newest last
  int64_t max_ms = 0;
};

struct ServerStats {
  int64_t start_time_ms = 0;
  uint64_t total_connections_received = 0;
  uint64_t total_commands_processed = 0;
  uint64_t rejected_connections = 0;
  uint64_t total_net_input_bytes = 0;
  uint64_t total_net_output_bytes = 0;
  uint64_t client_query_buffer_limit_disconnections = 0;
  uint64_t client_output_buffer_limit_disconnections = 0;
  uint64_t total_error_replies = 0;
  uint64_t unexpected_error_replies = 0;
  uint64_t dirty = 0;  // changes since start (rdb_changes_since_last_save)
  uint64_t total_reads_processed = 0;
  uint64_t total_writes_processed = 0;
  uint64_t io_threaded_reads_processed = 0;
  std::map<std::string, CommandStats> commands;  // key: "get", "config|set"
  std::map<std::string, uint64_t> errors;        // key: "ERR", "WRONGTYPE"
  // slow log
  std::deque<SlowlogEntry> slowlog;  // newest first
  uint64_t slowlog_next_id = 0;
  // latency monitor
  std::map<std::string, LatencyEvent> latency_events;
  // instantaneous ops/sec samples (taken by cron)
  std::array<uint64_t, 16> ops_samples{};
  size_t ops_sample_idx = 0;
  int64_t ops_last_sample_ms = 0;
  uint64_t ops_last_sample_count = 0;
  std::array<uint64_t, 16> in_samples{}, out_samples{};
  uint64_t in_last = 0, out_last = 0;

  void ResetStats();  // CONFIG RESETSTAT
};

}  // namespace ordis
