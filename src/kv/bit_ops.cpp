#include "kv/bit_ops.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace ordis {

namespace {

int64_t Popcount(const uint8_t* p, size_t n) {
  int64_t count = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, sizeof w);
    count += __builtin_popcountll(w);
  }
  for (; i < n; ++i) count += __builtin_popcount(p[i]);
  return count;
}

const uint8_t* Bytes(std::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

// Redis's index normalization for BITCOUNT/BITPOS (and GETRANGE): negative
// indexes count from the end, then both are clamped into [0, total-1].
// Returns false when the range is empty.
bool Normalize(int64_t total, int64_t* start, int64_t* end) {
  if (*start < 0) *start += total;
  if (*end < 0) *end += total;
  if (*start < 0) *start = 0;
  if (*end < 0) *end = 0;
  if (*end >= total) *end = total - 1;
  return *start <= *end;
}

// First bit equal to `bit` in the inclusive bit range [sb, eb], or -1.
int64_t FindFirst(const uint8_t* p, uint64_t sb, uint64_t eb, int bit) {
  const uint64_t first = sb >> 3, last = eb >> 3;
  const uint64_t boring = bit ? 0 : ~uint64_t{0};  // words holding no candidate
  uint64_t byte = first;
  while (byte <= last) {
    auto v = static_cast<uint8_t>(bit ? p[byte] : ~p[byte]);
    unsigned mask = 0xFF;
    if (byte == first) mask &= 0xFFu >> (sb & 7);
    if (byte == last) mask &= 0xFFu << (7 - (eb & 7));
    v &= static_cast<uint8_t>(mask);
    if (v) return static_cast<int64_t>(byte * 8) + (__builtin_clz(v) - 24);
    ++byte;
    // Skip whole words that cannot contain a match; the last byte is left
    // to the masked path above.
    while (byte + 8 <= last) {
      uint64_t w;
      std::memcpy(&w, p + byte, sizeof w);
      if (w != boring) break;
      byte += 8;
    }
  }
  return -1;
}

uint64_t FieldMask(unsigned bits) {
  return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
}

// Reads a `bits`-wide big-endian field at bit offset `off`; bytes at or
// past len read as zero.
uint64_t ReadField(const uint8_t* p, uint64_t len, uint64_t off, unsigned bits) {
  const uint64_t first = off >> 3;
  const unsigned shift = off & 7;
  unsigned __int128 window = 0;  // 9 bytes = 72 bits covers any 64-bit field
  for (uint64_t k = 0; k < 9; ++k) {
    window <<= 8;
    if (first + k < len) window |= p[first + k];
  }
  return static_cast<uint64_t>(window >> (72 - shift - bits)) & FieldMask(bits);
}

// REQUIRES: p holds every byte the field touches.
void WriteField(uint8_t* p, uint64_t off, unsigned bits, uint64_t v) {
  const uint64_t first = off >> 3;
  const unsigned shift = off & 7;
  const unsigned nbytes = (shift + bits + 7) / 8;
  unsigned __int128 window = 0;
  for (unsigned k = 0; k < nbytes; ++k) window = (window << 8) | p[first + k];
  const unsigned low = nbytes * 8 - shift - bits;
  const unsigned __int128 mask = static_cast<unsigned __int128>(FieldMask(bits)) << low;
  window = (window & ~mask) | ((static_cast<unsigned __int128>(v & FieldMask(bits)) << low) & mask);
  for (unsigned k = nbytes; k-- > 0;) {
    p[first + k] = static_cast<uint8_t>(window);
    window >>= 8;
  }
}

int64_t SignExtend(uint64_t v, unsigned bits) {
  if (bits < 64 && (v >> (bits - 1)) & 1) v |= ~uint64_t{0} << bits;
  return static_cast<int64_t>(v);
}

struct FieldWrite {
  bool refused = false;  // OVERFLOW FAIL
  uint64_t stored = 0;   // raw bits to store
  int64_t reply = 0;
};

// Applies SET/INCRBY semantics, including Redis's overflow rules, to the
// field's old raw bits.
FieldWrite ComputeWrite(const BitFieldOp& op, uint64_t old_raw) {
  FieldWrite w;
  const unsigned bits = op.bits;
  if (op.is_signed) {
    const int64_t old = SignExtend(old_raw, bits);
    const __int128 hi = bits == 64 ? INT64_MAX : (int64_t{1} << (bits - 1)) - 1;
    const __int128 lo = -hi - 1;
    __int128 target = op.kind == BitFieldOp::kIncrBy ? static_cast<__int128>(old) + op.value
                                                     : static_cast<__int128>(op.value);
    int64_t result;
    if (target > hi || target < lo) {
      if (op.overflow == BitOverflow::kFail) {
        w.refused = true;
        return w;
      }
      if (op.overflow == BitOverflow::kSat) {
        result = static_cast<int64_t>(target > hi ? hi : lo);
      } else {
        result = SignExtend(static_cast<uint64_t>(target) & FieldMask(bits), bits);
      }
    } else {
      result = static_cast<int64_t>(target);
    }
    w.stored = static_cast<uint64_t>(result) & FieldMask(bits);
    w.reply = op.kind == BitFieldOp::kIncrBy ? result : old;
    return w;
  }
  const uint64_t max = FieldMask(bits);
  uint64_t result;
  bool overflow;
  bool up;
  if (op.kind == BitFieldOp::kIncrBy) {
    __int128 target = static_cast<__int128>(old_raw) + op.value;
    overflow = target > static_cast<__int128>(max) || target < 0;
    up = target > 0;
    result = static_cast<uint64_t>(target);
  } else {
    // Redis compares the SET value as unsigned: a negative value saturates
    // to the maximum.
    result = static_cast<uint64_t>(op.value);
    overflow = result > max;
    up = true;
  }
  if (overflow) {
    if (op.overflow == BitOverflow::kFail) {
      w.refused = true;
      return w;
    }
    if (op.overflow == BitOverflow::kSat) result = up ? max : 0;
  }
  result &= max;
  w.stored = result;
  w.reply = static_cast<int64_t>(op.kind == BitFieldOp::kIncrBy ? result : old_raw);
  return w;
}

int64_t FieldReply(const BitFieldOp& op, uint64_t raw) {
  return op.is_signed ? SignExtend(raw, op.bits) : static_cast<int64_t>(raw);
}

}  // namespace

int64_t BitCount(std::string_view s, const BitRange* r) {
  const uint8_t* p = Bytes(s);
  if (!r) return Popcount(p, s.size());
  int64_t start = r->start, end = r->end;
  if (start < 0 && end < 0 && start > end) return 0;
  auto total = static_cast<int64_t>(s.size());
  if (r->bit_unit) total *= 8;
  if (!Normalize(total, &start, &end)) return 0;
  if (!r->bit_unit) return Popcount(p + start, static_cast<size_t>(end - start + 1));
  const int64_t first = start >> 3, last = end >> 3;
  int64_t count = Popcount(p + first, static_cast<size_t>(last - first + 1));
  // Remove the bits of the edge bytes that lie outside the range.
  count -= __builtin_popcount(p[first] & (0xFF00u >> (start & 7)) & 0xFF);
  count -= __builtin_popcount(p[last] & (0xFFu >> ((end & 7) + 1)));
  return count;
}

int64_t BitPos(std::string_view s, int bit, const BitRange* r) {
  auto len = static_cast<int64_t>(s.size());
  int64_t start = 0, end = len - 1;
  bool bit_unit = false, end_given = false;
  if (r) {
    bit_unit = r->bit_unit;
    end_given = r->end_given;
    const int64_t total = bit_unit ? len * 8 : len;
    start = r->start;
    end = end_given ? r->end : total - 1;
    if (!Normalize(total, &start, &end)) return -1;
  } else if (start > end) {
    return -1;  // empty string
  }
  const auto sb = static_cast<uint64_t>(bit_unit ? start : start * 8);
  const auto eb = static_cast<uint64_t>(bit_unit ? end : end * 8 + 7);
  int64_t pos = FindFirst(Bytes(s), sb, eb, bit);
  if (pos >= 0) return pos;
  // No clear bit in the value: without an explicit end the value counts
  // as followed by zeros.
  if (bit == 0 && !end_given) return static_cast<int64_t>(eb + 1);
  return -1;
}

OpResult<int> GetBit(StringOps& ops, std::string_view key, uint64_t offset) {
  std::string scratch;
  auto v = ops.Get(key, &scratch);
  if (v.status() == OpStatus::kNotFound) return 0;
  if (!v.ok()) return v.status();
  const uint64_t byte = offset >> 3;
  if (byte >= v->size()) return 0;
  return (Bytes(*v)[byte] >> (7 - (offset & 7))) & 1;
}

OpResult<SetBitOutcome> SetBit(StringOps& ops, std::string_view key, uint64_t offset, bool on) {
  bool grown;
  auto buf = ops.WritableBuffer(key, (offset >> 3) + 1, &grown);
  if (!buf.ok()) return buf.status();
  auto* p = reinterpret_cast<uint8_t*>(buf->data());
  const uint64_t byte = offset >> 3;
  const unsigned shift = 7 - (offset & 7);
  SetBitOutcome out;
  out.old = (p[byte] >> shift) & 1;
  if (grown || out.old != static_cast<int>(on)) {
    p[byte] =
        static_cast<uint8_t>((p[byte] & ~(1u << shift)) | (static_cast<unsigned>(on) << shift));
    out.changed = true;
  }
  return out;
}

OpResult<int64_t> BitOp(StringOps& ops, BitOpKind kind, std::string_view dest,
                        std::span<const std::string_view> srcs, bool* changed) {
  *changed = false;
  // Views into the source entries stay valid until dest is stored below.
  std::vector<std::string> scratch(srcs.size());
  std::vector<std::string_view> vals(srcs.size());
  size_t maxlen = 0;
  for (size_t i = 0; i < srcs.size(); ++i) {
    auto v = ops.Get(srcs[i], &scratch[i]);
    if (v.status() == OpStatus::kWrongType) return OpStatus::kWrongType;
    if (v.ok()) vals[i] = *v;
    maxlen = std::max(maxlen, vals[i].size());
  }
  if (maxlen == 0) {
    *changed = ops.db().Delete(dest);
    return int64_t{0};
  }
  Entry* e = NewStringEntry(dest, "");
  auto* out = reinterpret_cast<uint8_t*>(ResizeString(e, maxlen));  // zero-filled
  if (!vals[0].empty()) std::memcpy(out, vals[0].data(), vals[0].size());
  if (kind == BitOpKind::kNot) {
    for (size_t j = 0; j < maxlen; ++j) out[j] = static_cast<uint8_t>(~out[j]);
  }
  for (size_t i = 1; i < vals.size(); ++i) {
    const uint8_t* src = Bytes(vals[i]);
    const size_t n = vals[i].size();
    size_t j = 0;
    switch (kind) {
      case BitOpKind::kAnd:
        for (; j + 8 <= n; j += 8) {
          uint64_t a, b;
          std::memcpy(&a, out + j, 8);
          std::memcpy(&b, src + j, 8);
          a &= b;
          std::memcpy(out + j, &a, 8);
        }
        for (; j < n; ++j) out[j] &= src[j];
        // Missing bytes of a shorter source are zeros.
        if (n < maxlen) std::memset(out + n, 0, maxlen - n);
        break;
      case BitOpKind::kOr:
      case BitOpKind::kXor:
        for (; j + 8 <= n; j += 8) {
          uint64_t a, b;
          std::memcpy(&a, out + j, 8);
          std::memcpy(&b, src + j, 8);
          a = kind == BitOpKind::kOr ? (a | b) : (a ^ b);
          std::memcpy(out + j, &a, 8);
        }
        for (; j < n; ++j) out[j] = kind == BitOpKind::kOr ? (out[j] | src[j]) : (out[j] ^ src[j]);
        break;
      case BitOpKind::kNot:
        break;
    }
  }
  ops.db().Set(e);
  *changed = true;
  return static_cast<int64_t>(maxlen);
}

OpResult<BitFieldOutcome> BitField(StringOps& ops, std::string_view key,
                                   std::span<const BitFieldOp> fops) {
  BitFieldOutcome out;
  out.values.reserve(fops.size());
  uint64_t highest = 0;
  bool readonly = true;
  for (const BitFieldOp& op : fops) {
    if (op.kind == BitFieldOp::kGet) continue;
    readonly = false;
    highest = std::max(highest, op.offset + op.bits - 1);
  }

  if (readonly) {
    std::string scratch;
    auto v = ops.Get(key, &scratch);
    if (v.status() == OpStatus::kWrongType) return OpStatus::kWrongType;
    std::string_view s = v.ok() ? *v : std::string_view();
    for (const BitFieldOp& op : fops)
      out.values.emplace_back(FieldReply(op, ReadField(Bytes(s), s.size(), op.offset, op.bits)));
    return out;
  }

  bool grown;
  auto buf = ops.WritableBuffer(key, (highest >> 3) + 1, &grown);
  if (!buf.ok()) return buf.status();
  auto* p = reinterpret_cast<uint8_t*>(buf->data());
  const uint64_t len = buf->size();
  for (const BitFieldOp& op : fops) {
    const uint64_t old = ReadField(p, len, op.offset, op.bits);
    if (op.kind == BitFieldOp::kGet) {
      out.values.emplace_back(FieldReply(op, old));
      continue;
    }
    FieldWrite w = ComputeWrite(op, old);
    if (w.refused) {
      out.values.emplace_back(std::nullopt);
      continue;
    }
    WriteField(p, op.offset, op.bits, w.stored);
    out.values.emplace_back(w.reply);
    if (grown || w.stored != old) ++out.changes;
  }
  return out;
}

}  // namespace ordis
