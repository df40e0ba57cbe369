// Latency histograms and per-operation counters of a run.
//
// Histogram: log-linear buckets over nanoseconds (exact below 64 ns, then
// 32 buckets per power of two: a reported percentile is within about 3% of
// the true value), constant memory whatever the run's length.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "common.h"

namespace bench {

class Histogram {
 public:
  Histogram() : counts_(kBuckets, 0) {}
  void Add(uint64_t ns) {
    ++counts_[Index(ns)];
    ++total_;
  }
  void Merge(const Histogram& o);
  uint64_t count() const { return total_; }
  // The p-quantile (0 < p <= 1) in microseconds; 0 when empty.
  double PercentileUs(double p) const;

 private:
  static constexpr int kSubBits = 5;  // 32 buckets per power of two
  static constexpr size_t kBuckets = 64 + (64 - 6) * 32;
  static size_t Index(uint64_t v);
  static double Midpoint(size_t index);

  std::vector<uint64_t> counts_;
  uint64_t total_ = 0;
};

// What happened to the requests of one operation type.
struct OpStats {
  Histogram latency;
  uint64_t ok = 0;        // replies counted as successful
  uint64_t errors = 0;    // error replies not explained by a race
  uint64_t not_live = 0;  // the target order was no longer live (CANCEL -> 0, "not live")
  uint64_t mismatch = 0;  // a success reply other than the one the model expected
  uint64_t elements = 0;  // OPEN: orders returned; DEPTH: levels returned
  uint64_t count() const { return latency.count(); }
};

struct RunStats {
  std::array<OpStats, kOpCount> ops;
  Histogram Total() const;
  uint64_t Errors() const;
};

}  // namespace bench
