// CRC-32C (Castagnoli polynomial 0x1EDC6F41, reflected), the checksum of
// snapshot blocks, the header, the trailer and the whole file. Uses the
// SSE4.2 crc32 instruction when the CPU has it (checked once), else a
// table; both give the same values.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ordis::snapshot {

// Extends crc (0 to start) over data[0, n).
uint32_t Crc32c(uint32_t crc, const void* data, size_t n);
inline uint32_t Crc32c(std::string_view s) {
  return Crc32c(0, s.data(), s.size());
}

// Stored checksums are masked, so that a checksum computed over bytes
// that themselves contain checksums is not trivially related to them.
inline uint32_t MaskCrc(uint32_t crc) {
  return ((crc >> 13) | (crc << 19)) + 0x6f726469u;
}
inline uint32_t UnmaskCrc(uint32_t masked) {
  uint32_t r = masked - 0x6f726469u;
  return (r << 13) | (r >> 19);
}

}  // namespace ordis::snapshot
