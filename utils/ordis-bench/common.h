// ordis-bench: what every part shares — the operations, their command
// names on each target, requests and their RESP encoding, fixed-point
// decimals, a fast RNG, the clock and /proc CPU time.
//
// One thread uses all of this; nothing here is thread-safe.
#pragma once

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace bench {

// The logical operations of the workload (one ORDER.* command each).
enum class Op : uint8_t { kPlace, kOpen, kDepth, kAmend, kCancel, kFill, kReduce, kGet, kTop };
inline constexpr int kOpCount = 9;
inline constexpr std::array<const char*, kOpCount> kOpNames = {
    "place", "open", "depth", "amend", "cancel", "fill", "reduce", "get", "top"};

// ordis speaks ORDER.* natively; redis runs utils/redis-orders.lua via FCALL.
enum class Target : uint8_t { kOrdis, kRedis };

// Fixed-point decimals as ordis stores them: int64 scaled by 10^8.
inline constexpr int64_t kScale = 100000000;
// Canonical text ("27123.45", "0.001", "3") into buf (>= 24 bytes); returns
// its length. REQUIRES: v >= 0.
size_t FormatScaled(int64_t v, char* buf);
std::string FormatScaled(int64_t v);
// Parses canonical or padded decimal text; false when it is not one
// (no sign, at most 8 fractional digits, in range).
bool ParseScaled(std::string_view s, int64_t* out);

// One command to send: the operation and its arguments after the verb
// (ORDER.PLACE / FCALL order_place 0). Arguments are views into `buf` or
// into static strings; a Request is built, encoded and dropped.
class Request {
 public:
  static constexpr int kMaxArgs = 16;
  explicit Request(Op op) : op_(op) {}
  Request(const Request&) = delete;
  Request& operator=(const Request&) = delete;

  Op op() const { return op_; }
  // `s` must outlive the request (a literal or a long-lived string).
  void Add(std::string_view s) {
    assert(argc_ < kMaxArgs);
    args_[static_cast<size_t>(argc_++)] = s;
  }
  void AddInt(uint64_t v);
  void AddScaled(int64_t v);
  // Writes the RESP array for `target` onto out.
  void Encode(Target target, std::string* out) const;

 private:
  std::string_view Store(const char* p, size_t n);

  Op op_;
  int argc_ = 0;
  std::array<std::string_view, kMaxArgs> args_;
  size_t used_ = 0;
  char buf_[384];
};

// xorshift64*: cheap, deterministic for a seed.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ULL | 1) {}
  uint64_t Next() {
    s_ ^= s_ >> 12;
    s_ ^= s_ << 25;
    s_ ^= s_ >> 27;
    return s_ * 0x2545F4914F6CDD1DULL;
  }
  // Uniform in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n) { return Next() % n; }
  // Uniform in [lo, hi].
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }

 private:
  uint64_t s_;
};

int64_t NowNs();  // CLOCK_MONOTONIC
// utime + stime of a process in seconds, or -1 (no such pid).
double CpuSeconds(int pid);

}  // namespace bench
