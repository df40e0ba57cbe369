// The snapshot file format (spec: src/snapshot/FORMAT.md): header, blocks,
// records, trailer, and the little-endian / varint codecs they use.
//
//   file    = header(48) block* trailer(40)
//   block   = u32 payload_len (> 0) | u32 masked crc32c(payload) | payload
//   payload = record+            (a record never spans blocks)
//   record  = u8 kind | u32 body_len | body
//   trailer = u32 0 (end marker) | u32 0 | u64 data_bytes | u64 records |
//             u32 masked crc32c(file[0, data_bytes)) | "ORDISEND" |
//             u32 masked crc32c(trailer[0, 36))
//
// Thread safety: pure functions and value types.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace ordis::snapshot {

inline constexpr char kHeaderMagic[8] = {'O', 'R', 'D', 'I', 'S', 'N', 'A', 'P'};
inline constexpr char kTrailerMagic[8] = {'O', 'R', 'D', 'I', 'S', 'E', 'N', 'D'};
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr size_t kHeaderSize = 48;
inline constexpr size_t kBlockHeaderSize = 8;
inline constexpr size_t kTrailerSize = 40;
inline constexpr size_t kRecordHeaderSize = 5;
// Writers seal a block once its payload reaches this size.
inline constexpr size_t kBlockTarget = 256 * 1024;
// The largest payload a block length can state (a value this large, e.g. a
// huge list, makes the snapshot fail with an error).
inline constexpr uint64_t kMaxBlockBytes = UINT32_MAX;

struct Header {
  uint32_t version = kFormatVersion;
  uint64_t lsn = 0;        // the WAL position the image is consistent with
  int64_t created_ms = 0;  // unix ms when the snapshot started
  uint64_t flags = 0;      // none defined; readers reject unknown bits
};

struct Trailer {
  uint64_t data_bytes = 0;  // offset of the end marker
  uint64_t records = 0;     // records in all blocks
  uint32_t file_crc = 0;    // crc32c of file[0, data_bytes), unmasked
};

void EncodeHeader(const Header& h, char out[kHeaderSize]);
// "" or why p[0, kHeaderSize) is not a valid header.
std::string DecodeHeader(const char* p, Header* h);
void EncodeTrailer(const Trailer& t, char out[kTrailerSize]);
// "" or why p[0, kTrailerSize) is not a valid trailer.
std::string DecodeTrailer(const char* p, Trailer* t);

enum class RecordKind : uint8_t {
  kTableState = 1,  // order-table counters (one, first)
  kSymbol = 2,      // one symbol, ids in order
  kKey = 3,         // one key of one database
  kOrder = 4,       // one live order
  kCompleted = 5,   // one completed-ring entry, oldest first
  kEnd = 6,         // counts of everything above (last record)
};

// How a key's value is encoded (kKey records).
enum class ValueTag : uint8_t {
  kStrBytes = 0,
  kStrInt = 1,
  kList = 2,
  kSetIntset = 3,
  kSetTable = 4,
  kHashListpack = 5,
  kHashTable = 6,
  kZSetListpack = 7,
  kZSetSkiplist = 8,
};

// kKey flag bits.
inline constexpr uint8_t kKeyHasExpire = 1;
inline constexpr uint8_t kKeyMutated = 2;  // string modified in place ("raw")

// ---- codecs -------------------------------------------------------------

inline void PutFixed32(char* p, uint32_t v) {
  std::memcpy(p, &v, 4);  // little-endian hosts only (static_assert in format.cpp)
}
inline void PutFixed64(char* p, uint64_t v) {
  std::memcpy(p, &v, 8);
}
inline uint32_t GetFixed32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline uint64_t GetFixed64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t UnZigZag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}
// Writes a varint at p (at most 10 bytes for 64 bits, 19 for 128); returns
// the end.
inline char* PutVarint(char* p, unsigned __int128 v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}
inline void AppendVarint(std::string* s, uint64_t v) {
  char buf[10];
  s->append(buf, static_cast<size_t>(PutVarint(buf, v) - buf));
}
inline void AppendBytes(std::string* s, std::string_view b) {
  AppendVarint(s, b.size());
  s->append(b);
}

// Bounds-checked reading of one record body. Every getter returns false
// (and stays failed) when the body is too short or a varint is malformed.
class Decoder {
 public:
  Decoder(const char* p, size_t n) : p_(p), end_(p + n) {}
  explicit Decoder(std::string_view s) : Decoder(s.data(), s.size()) {}

  bool Varint(uint64_t* v);
  bool Varint128(unsigned __int128* v);
  bool SignedVarint(int64_t* v) {
    uint64_t u;
    if (!Varint(&u)) return false;
    *v = UnZigZag(u);
    return true;
  }
  bool Byte(uint8_t* v) {
    if (p_ >= end_) return Fail();
    *v = static_cast<uint8_t>(*p_++);
    return true;
  }
  bool Fixed64(uint64_t* v) {
    if (end_ - p_ < 8) return Fail();
    *v = GetFixed64(p_);
    p_ += 8;
    return true;
  }
  bool Raw(size_t n, std::string_view* out) {
    if (static_cast<size_t>(end_ - p_) < n) return Fail();
    *out = std::string_view(p_, n);
    p_ += n;
    return true;
  }
  // A varint length, then that many bytes.
  bool Bytes(std::string_view* out) {
    uint64_t n;
    return Varint(&n) && Raw(n, out);
  }
  bool failed() const { return failed_; }
  bool done() const { return p_ == end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  const char* pos() const { return p_; }

 private:
  bool Fail() {
    failed_ = true;
    p_ = end_;
    return false;
  }
  const char* p_;
  const char* end_;
  bool failed_ = false;
};

}  // namespace ordis::snapshot
