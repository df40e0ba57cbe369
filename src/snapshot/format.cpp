#include "snapshot/format.h"

#include <bit>

#include "util/crc32c.h"

namespace ordis::snapshot {

static_assert(std::endian::native == std::endian::little, "the format is little-endian");

void EncodeHeader(const Header& h, char out[kHeaderSize]) {
  std::memset(out, 0, kHeaderSize);
  std::memcpy(out, kHeaderMagic, 8);
  PutFixed32(out + 8, h.version);
  PutFixed32(out + 12, static_cast<uint32_t>(kHeaderSize));
  PutFixed64(out + 16, h.lsn);
  PutFixed64(out + 24, static_cast<uint64_t>(h.created_ms));
  PutFixed64(out + 32, h.flags);
  PutFixed32(out + 44, MaskCrc(Crc32c(0, out, 44)));
}

std::string DecodeHeader(const char* p, Header* h) {
  if (std::memcmp(p, kHeaderMagic, 8) != 0) return "not an ordis snapshot (bad magic)";
  if (UnmaskCrc(GetFixed32(p + 44)) != Crc32c(0, p, 44)) return "header checksum mismatch";
  h->version = GetFixed32(p + 8);
  if (h->version != kFormatVersion)
    return "unsupported format version " + std::to_string(h->version) + " (this build reads " +
           std::to_string(kFormatVersion) + ")";
  if (GetFixed32(p + 12) != kHeaderSize) return "unexpected header size";
  h->lsn = GetFixed64(p + 16);
  h->created_ms = static_cast<int64_t>(GetFixed64(p + 24));
  h->flags = GetFixed64(p + 32);
  if (h->flags != 0) return "unknown header flags";
  return "";
}

void EncodeTrailer(const Trailer& t, char out[kTrailerSize]) {
  std::memset(out, 0, kTrailerSize);
  PutFixed64(out + 8, t.data_bytes);
  PutFixed64(out + 16, t.records);
  PutFixed32(out + 24, MaskCrc(t.file_crc));
  std::memcpy(out + 28, kTrailerMagic, 8);
  PutFixed32(out + 36, MaskCrc(Crc32c(0, out, 36)));
}

std::string DecodeTrailer(const char* p, Trailer* t) {
  if (GetFixed32(p) != 0 || GetFixed32(p + 4) != 0) return "bad end marker";
  if (std::memcmp(p + 28, kTrailerMagic, 8) != 0) return "bad trailer magic";
  if (UnmaskCrc(GetFixed32(p + 36)) != Crc32c(0, p, 36)) return "trailer checksum mismatch";
  t->data_bytes = GetFixed64(p + 8);
  t->records = GetFixed64(p + 16);
  t->file_crc = UnmaskCrc(GetFixed32(p + 24));
  return "";
}

bool Decoder::Varint(uint64_t* v) {
  uint64_t r = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p_ >= end_) return Fail();
    auto b = static_cast<uint8_t>(*p_++);
    if (shift == 63 && b > 1) return Fail();  // more than 64 bits
    r |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *v = r;
      return true;
    }
  }
  return Fail();
}

bool Decoder::Varint128(unsigned __int128* v) {
  unsigned __int128 r = 0;
  for (int shift = 0; shift < 128; shift += 7) {
    if (p_ >= end_) return Fail();
    auto b = static_cast<uint8_t>(*p_++);
    if (shift == 126 && b > 3) return Fail();
    r |= static_cast<unsigned __int128>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *v = r;
      return true;
    }
  }
  return Fail();
}

}  // namespace ordis::snapshot
