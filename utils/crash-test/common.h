// crash-test: small pieces every part uses — a deterministic RNG, the
// clock, fixed-point decimals printed the way ordis prints them, and RAII
// wrappers over hiredis.
//
// The decimal code is written here on purpose rather than linked from
// src/order/decimal.*: the tester is a reference model and must not share
// the server's bugs.
//
// Thread safety: Rng and Conn are owned by one thread each; the free
// functions are pure.
#pragma once

#include <hiredis/hiredis.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace crash {

// xorshift64*: cheap and deterministic for a seed.
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
  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // True with probability percent/100.
  bool Percent(int percent) { return static_cast<int>(Below(100)) < percent; }

 private:
  uint64_t s_;
};

// Monotonic milliseconds and wall-clock milliseconds since the epoch.
int64_t NowMs();
int64_t WallMs();
void SleepMs(int64_t ms);

// Fixed point as ordis keeps prices and quantities: int64 scaled by 10^8.
inline constexpr int64_t kScale = 100000000;
// Canonical text: no trailing fractional zeros, no '.' for integers
// ("27123.45", "0.001", "3"). REQUIRES: v >= 0.
std::string FormatScaled(int64_t v);
// Quote amounts: sums of price x qty, scaled by 10^16, canonical the same
// way. REQUIRES: q >= 0.
std::string FormatQuote(__int128 q);

// ---- hiredis ---------------------------------------------------------------

struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyFree>;

// One blocking connection. Every call returns nullptr when the connection
// is broken (the server died); error() then says why.
class Conn {
 public:
  Conn() = default;
  // Connects with the given I/O timeout (0: none). False on failure.
  bool Connect(int port, int timeout_ms);
  bool ok() const { return ctx_ != nullptr && ctx_->err == 0; }
  std::string error() const;

  Reply Command(const std::vector<std::string>& argv);
  // Writes the command and returns without reading the reply.
  bool Send(const std::vector<std::string>& argv);
  // Pipelining: Append any number, then Get the replies in order.
  void Append(const std::vector<std::string>& argv);
  Reply Get();

 private:
  struct CtxFree {
    void operator()(redisContext* c) const { redisFree(c); }
  };
  std::unique_ptr<redisContext, CtxFree> ctx_;
};

// A reply in one line for messages: "OK", "(integer) 3", "\"abc\"",
// "(nil)", "(error) ERR ...", "[3 elements]".
std::string ReplyText(const redisReply* r);
// The value of `field` in an INFO reply ("" when absent); *found says
// whether the field exists.
std::string InfoField(std::string_view info, std::string_view field, bool* found = nullptr);

}  // namespace crash
