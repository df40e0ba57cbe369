// The order record and the small value types around it.
//
// One Order is one live order, stored in the Arena (order/arena.h) at a
// 32-bit slot that never changes while the order lives. Every index refers
// to orders by slot. The record is exactly 128 bytes, 64-byte aligned, and
// its first cache line holds what matching-adjacent paths touch (id, price,
// remaining, filled, user, the level and user-list links).
//
// Values:
//   - prices and quantities are int64 fixed point (order/decimal.h, 10^8);
//   - qty is not stored: qty = filled + remaining, at every moment (REDUCE
//     and AMEND change qty; CANCEL and EXPIRE leave remaining as it was, so
//     a terminal order still shows what was left unfilled; REDUCE to zero
//     leaves qty = filled);
//   - quote (sum of fill price x fill qty) is exact: an __int128 at 10^16
//     (decimal::Quote). It cannot overflow: the sum of fill quantities is at
//     most INT64_MAX and every price is below 2^63, so the total is < 2^126;
//   - times: created and updated in microseconds since the epoch; a GTD
//     order's expire time (milliseconds, the unit ORDER.PLACE takes) is kept
//     by the table in a side index, not here: few orders have one, and its
//     8 bytes hold the per-symbol list links instead;
//   - the client order id (1-32 printable ASCII characters, 0x20-0x7E) is
//     stored packed 7 bits per character in 28 bytes (PackedCid); an all-zero
//     PackedCid means "no CID" (printable characters are never 0).
//
// Thread safety: plain data; the owning table's thread only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "order/decimal.h"

namespace ordis::order {

enum class Side : uint8_t { kBuy = 0, kSell = 1 };
enum class OrderType : uint8_t { kLimit = 0, kLimitMaker = 1 };
enum class Tif : uint8_t { kGtc = 0, kIoc = 1, kFok = 2, kGtd = 3 };
// Lifecycle: NEW -> PARTIALLY_FILLED -> FILLED; NEW or PARTIALLY_FILLED ->
// CANCELED or EXPIRED. The last three are terminal.
enum class OrderStatus : uint8_t {
  kNew = 0,
  kPartiallyFilled = 1,
  kFilled = 2,
  kCanceled = 3,
  kExpired = 4,
};

inline bool IsLive(OrderStatus s) {
  return s == OrderStatus::kNew || s == OrderStatus::kPartiallyFilled;
}

const char* SideName(Side s);           // "BUY" | "SELL"
const char* TypeName(OrderType t);      // "LIMIT" | "LIMIT_MAKER"
const char* TifName(Tif t);             // "GTC" | "IOC" | "FOK" | "GTD"
const char* StatusName(OrderStatus s);  // "NEW" | "PARTIALLY_FILLED" | ...

inline constexpr uint32_t kNoSlot = UINT32_MAX;
// Symbol ids are small integers; this one is never a symbol.
inline constexpr uint16_t kNoSymbol = UINT16_MAX;
inline constexpr size_t kMaxSymbols = kNoSymbol;  // ids 0 .. 65534
inline constexpr size_t kMaxSymbolLen = 16;
inline constexpr size_t kMaxCidLen = 32;
inline constexpr size_t kPackedCidBytes = 28;  // 32 x 7 bits

// A client order id packed 7 bits per character; all zero = none.
using PackedCid = std::array<uint8_t, kPackedCidBytes>;

// True for 1-32 characters in 0x20..0x7E.
bool ValidCid(std::string_view cid);
// REQUIRES: ValidCid(cid) or cid empty (gives the "none" value).
PackedCid PackCid(std::string_view cid);
// Unpacks into buf (at least kMaxCidLen bytes); returns the length (0 = none).
size_t UnpackCid(const PackedCid& p, char* buf);
inline bool HasCid(const PackedCid& p) {
  return p[0] != 0;  // the first character's low bits are in byte 0, and never all zero
}

// Symbols: 1-16 characters of A-Z 0-9 . _ -
bool ValidSymbol(std::string_view s);

// 64-bit mixer (splitmix64 finalizer) for hash indexes.
inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}
uint64_t HashUserCid(uint64_t user, const PackedCid& cid);

// Idempotent fills: the trade ids recently applied to an order, each with
// the remaining quantity FILL replied with, so a retry gets the same reply.
inline constexpr size_t kRecentTrades = 8;
struct TradeMark {
  uint64_t trade = 0;
  int64_t remaining = 0;
};
struct RecentTrades {
  uint32_t n = 0;     // marks in use
  uint32_t next = 0;  // the one the next Add overwrites once full
  TradeMark marks[kRecentTrades];

  const TradeMark* Find(uint64_t trade) const {
    for (uint32_t i = 0; i < n; ++i)
      if (marks[i].trade == trade) return &marks[i];
    return nullptr;
  }
  void Add(uint64_t trade, int64_t remaining) {
    marks[next] = TradeMark{trade, remaining};
    next = static_cast<uint32_t>((next + 1) % kRecentTrades);
    if (n < kRecentTrades) ++n;
  }
};

struct alignas(64) Order {
  // ---- line 1: hot ----
  uint64_t id;
  int64_t price;
  int64_t remaining;
  int64_t filled;
  uint64_t user;
  uint32_t level_prev, level_next;  // FIFO of the price level (slots; kNoSlot at the ends)
  uint32_t user_prev, user_next;    // all of the user's live orders, oldest first
  uint16_t symbol;
  uint8_t bits;   // side:1 | type:1 | tif:2 | status:3 | has_trades:1
  uint8_t spare;  // zero
  // ---- straddles the line boundary (cold: CID paths only) ----
  PackedCid cid;  // bytes 60..87
  int64_t created_us;
  decimal::Quote quote;  // bytes 96..111
  int64_t updated_us;
  uint32_t usym_prev, usym_next;  // the user's live orders in this symbol, oldest first

  Side side() const { return static_cast<Side>(bits & 1); }
  OrderType type() const { return static_cast<OrderType>((bits >> 1) & 1); }
  Tif tif() const { return static_cast<Tif>((bits >> 2) & 3); }
  OrderStatus status() const { return static_cast<OrderStatus>((bits >> 4) & 7); }
  bool has_trades() const { return bits & 0x80; }
  int64_t qty() const { return filled + remaining; }

  void set_status(OrderStatus s) {
    bits = static_cast<uint8_t>((bits & ~0x70) | (static_cast<unsigned>(s) << 4));
  }
  void set_has_trades(bool v) { bits = static_cast<uint8_t>(v ? (bits | 0x80) : (bits & ~0x80)); }
  static uint8_t MakeBits(Side s, OrderType t, Tif f, OrderStatus st) {
    return static_cast<uint8_t>(static_cast<unsigned>(s) | static_cast<unsigned>(t) << 1 |
                                static_cast<unsigned>(f) << 2 | static_cast<unsigned>(st) << 4);
  }
};

static_assert(sizeof(Order) == 128, "an order is two cache lines");
static_assert(alignof(Order) == 64, "orders are cache-line aligned");
static_assert(offsetof(Order, user_next) + sizeof(uint32_t) <= 64, "hot fields in line 1");
static_assert(offsetof(Order, quote) % 16 == 0, "quote is naturally aligned");

// A copy of every field of an order, live or completed: what GET replies
// with and events carry.
struct OrderView {
  uint64_t id = 0;
  uint64_t user = 0;
  uint16_t symbol = kNoSymbol;
  Side side = Side::kBuy;
  OrderType type = OrderType::kLimit;
  Tif tif = Tif::kGtc;
  OrderStatus status = OrderStatus::kNew;
  int64_t price = 0;
  int64_t filled = 0;
  int64_t remaining = 0;
  decimal::Quote quote = 0;
  int64_t created_us = 0;
  int64_t updated_us = 0;
  int64_t expire_ms = 0;  // GTD only; 0 otherwise
  PackedCid cid{};

  int64_t qty() const { return filled + remaining; }
  // expire_ms comes from the table (the record does not hold it).
  static OrderView Of(const Order& o, int64_t expire_ms);
};

}  // namespace ordis::order
