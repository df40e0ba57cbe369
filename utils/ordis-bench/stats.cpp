#include "stats.h"

#include <bit>
#include <cmath>

namespace bench {

size_t Histogram::Index(uint64_t v) {
  if (v < 64) return static_cast<size_t>(v);
  int e = 63 - std::countl_zero(v);  // >= 6
  uint64_t m = v >> (e - kSubBits);  // [32, 63]
  return 64 + static_cast<size_t>(e - 6) * 32 + static_cast<size_t>(m - 32);
}

double Histogram::Midpoint(size_t index) {
  if (index < 64) return static_cast<double>(index);
  size_t k = index - 64;
  int e = static_cast<int>(k / 32) + 6;
  double lo = std::ldexp(static_cast<double>(k % 32 + 32), e - kSubBits);
  double width = std::ldexp(1.0, e - kSubBits);
  return lo + width / 2;
}

void Histogram::Merge(const Histogram& o) {
  for (size_t i = 0; i < kBuckets; ++i) counts_[i] += o.counts_[i];
  total_ += o.total_;
}

double Histogram::PercentileUs(double p) const {
  if (total_ == 0) return 0;
  uint64_t rank = static_cast<uint64_t>(std::ceil(p * static_cast<double>(total_)));
  if (rank < 1) rank = 1;
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return Midpoint(i) / 1000.0;
  }
  return Midpoint(kBuckets - 1) / 1000.0;
}

Histogram RunStats::Total() const {
  Histogram h;
  for (const OpStats& s : ops) h.Merge(s.latency);
  return h;
}

uint64_t RunStats::Errors() const {
  uint64_t n = 0;
  for (const OpStats& s : ops) n += s.errors;
  return n;
}

}  // namespace bench
