// Bitmap operations on string values: GETBIT, SETBIT, BITCOUNT, BITPOS,
// BITOP and BITFIELD. Bits are numbered from the most significant bit of
// the first byte, as in Redis; missing bytes read as zero.
//
// Counting and searching are pure functions over a string_view so that the
// command can look the key up first and parse its range afterwards (Redis
// answers a missing key before it validates the range).
//
// Thread safety: none; loop thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "kv/string_ops.h"
#include "util/status.h"

namespace ordis {

// A BITCOUNT/BITPOS range: indexes may be negative (from the end) and are
// in bytes, or in bits when bit_unit.
struct BitRange {
  int64_t start = 0;
  int64_t end = -1;
  bool bit_unit = false;
  bool end_given = true;  // BITPOS: false when only start was given
};

// Set bits in s, or in the range when r is not null.
int64_t BitCount(std::string_view s, const BitRange* r);

// Position of the first bit equal to `bit` (0 or 1) in s or the range, or
// -1. When looking for 0 without an explicit end, the value is treated as
// padded with zeros and the first bit past it is returned.
int64_t BitPos(std::string_view s, int bit, const BitRange* r);

// GETBIT: 0 for a missing key or an offset past the value.
OpResult<int> GetBit(StringOps& ops, std::string_view key, uint64_t offset);

struct SetBitOutcome {
  int old = 0;
  bool changed = false;  // key created, grown, or the bit flipped
};
// SETBIT. REQUIRES: offset already validated against proto-max-bulk-len.
OpResult<SetBitOutcome> SetBit(StringOps& ops, std::string_view key, uint64_t offset, bool on);

enum class BitOpKind { kAnd, kOr, kXor, kNot };
// BITOP into dest; missing sources count as empty strings. Returns the
// result length; a zero-length result deletes dest. *changed is set when
// the dataset was modified. REQUIRES: kNot has exactly one source.
OpResult<int64_t> BitOp(StringOps& ops, BitOpKind kind, std::string_view dest,
                        std::span<const std::string_view> srcs, bool* changed);

enum class BitOverflow : uint8_t { kWrap, kSat, kFail };

struct BitFieldOp {
  enum Kind : uint8_t { kGet, kSet, kIncrBy };
  Kind kind = kGet;
  bool is_signed = false;
  uint8_t bits = 0;  // 1..64 signed, 1..63 unsigned
  BitOverflow overflow = BitOverflow::kWrap;
  uint64_t offset = 0;  // in bits
  int64_t value = 0;    // SET value or INCRBY increment
};

struct BitFieldOutcome {
  // One per op; nullopt where OVERFLOW FAIL refused a write.
  std::vector<std::optional<int64_t>> values;
  uint64_t changes = 0;  // ops that modified the dataset
};

// BITFIELD / BITFIELD_RO. Only GETs: a read lookup and no key creation.
// Otherwise the value is grown to cover the farthest write first.
OpResult<BitFieldOutcome> BitField(StringOps& ops, std::string_view key,
                                   std::span<const BitFieldOp> fops);

}  // namespace ordis
